// Live preview in a real browser: a page served by `rolebook serve` reloads
// by itself after its Markdown file is saved, and keeps its scroll position.
//
//   node tests/browser/preview.mjs <page-url> <markdown-file>
//
// <page-url> is a role page of a running `rolebook serve`
// (http://127.0.0.1:PORT/en/secretary.html) and <markdown-file> its source,
// which this script edits (appends a paragraph with a unique marker).
//
// Two rounds: first as a reader's browser behaves by default; then with
// history.scrollRestoration = "manual", so that only the reload script's own
// mechanism (sessionStorage) can bring the reader back to the same place.
// The script never calls reload() or goto() after the first load.
// Driven by tests/it/e2e.rs (live_preview_reloads_and_keeps_the_scroll_position).

import fs from 'node:fs';
import { check, fail, frames, main, newPage, runStep, stepName } from './harness.mjs';

const [pageArg, mdArg] = process.argv.slice(2);
if (!pageArg || !mdArg) {
  console.error('usage: node preview.mjs <page-url> <markdown-file>');
  process.exit(2);
}
const start = new URL(pageArg);
const origin = start.origin; // http://127.0.0.1:PORT
const inside = (url) => {
  const u = new URL(url);
  return u.host === start.host && /^(https?|wss?):$/.test(u.protocol);
};

const SCROLL_TOLERANCE = 50;
const RELOAD_TIMEOUT_MS = 10_000;

await main('preview.mjs', 60_000, async (context) => {
  // A reload may cut short a request of the page it replaces (its icon, say).
  const page = await newPage(context, inside, { allowAborted: true });

  // Count completed WebSocket handshakes of the reload script (CDP), so the
  // edit is only made once the page is listening.
  let handshakes = 0;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.webSocketHandshakeResponseReceived', (e) => {
    if (e.response.status === 101) handshakes++;
  });
  let navigations = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations++;
  });

  async function waitForHandshakes(n, what) {
    const deadline = Date.now() + 5_000;
    while (handshakes < n) {
      if (Date.now() > deadline) fail(`${what}: the page did not connect to ${origin}/__rolebook/reload (no WebSocket handshake)`);
      await page.waitForTimeout(50);
    }
  }

  stepName(`open ${start.href}`);
  const res = await page.goto(start.href, { waitUntil: 'load' });
  if (!res || res.status() !== 200) fail(`${start.href} answered ${res ? res.status() : 'nothing'}`);
  await waitForHandshakes(1, 'first load');

  // Nothing has been edited yet: the page must stay put.
  const navsIdle = navigations;
  await page.waitForTimeout(1_000);
  if (navigations > navsIdle) {
    fail(
      `the page reloaded ${navigations - navsIdle} time(s) within 1 s although nothing was edited ` +
        '(rolebook serve keeps telling it to reload; see its "rebuilt in" lines)',
    );
  }
  check((await page.locator('.role-body').count()) === 1, 'no .role-body on the page');

  async function round(n, manual) {
    const label = manual ? 'scrollRestoration=manual' : 'default scroll restoration';
    const { max } = await page.evaluate(() => ({ max: document.documentElement.scrollHeight - window.innerHeight }));
    const target = Math.min(800, Math.floor(max / 2));
    if (target < 200) fail(`the page is too short to test scrolling (can scroll ${max}px)`);
    await page.evaluate((y) => window.scrollTo(0, y), target);
    await frames(page);
    const before = await page.evaluate((m) => {
      window.__rolebookBeforeEdit = true;
      if (m) history.scrollRestoration = 'manual';
      return window.scrollY;
    }, manual);
    check(Math.abs(before - target) <= 1, `scrolled to ${target} but scrollY is ${before}`);

    const marker = `rolebook-e2e-live-${process.pid}-${Date.now()}-${n}`;
    const navsBefore = navigations;
    const handshakesBefore = handshakes;
    console.log(`round ${n} (${label}): scrollY ${before}, appending ${marker} to ${mdArg}`);
    fs.appendFileSync(mdArg, `\n\nLive preview check ${marker}.\n`);

    try {
      await page.getByText(marker).first().waitFor({ state: 'attached', timeout: RELOAD_TIMEOUT_MS });
    } catch {
      fail(`round ${n} (${label}): the page did not show ${marker} within ${RELOAD_TIMEOUT_MS / 1000}s of saving ${mdArg} (navigations since the edit: ${navigations - navsBefore})`);
    }
    await page.waitForLoadState('load');
    check(navigations > navsBefore, `round ${n}: the marker appeared without the page navigating`);
    const fresh = await page.evaluate(() => window.__rolebookBeforeEdit === undefined);
    check(fresh, `round ${n}: the marker appeared but the document was not reloaded`);
    check((await page.locator('#rolebook-overlay').count()) === 0, `round ${n}: the error overlay is shown after a good edit`);

    // The reload script restores the position at once and again on "load".
    let after = -1;
    const deadline = Date.now() + 1_500;
    do {
      await frames(page);
      after = await page.evaluate(() => window.scrollY);
    } while (Math.abs(after - before) > SCROLL_TOLERANCE && Date.now() < deadline);
    check(
      Math.abs(after - before) <= SCROLL_TOLERANCE,
      `round ${n} (${label}): scroll position not kept across the reload: scrollY ${before} before, ${after} after`,
    );
    console.log(`round ${n} (${label}): reloaded, scrollY ${after}`);
    // Let the new page connect again before the next edit.
    await waitForHandshakes(handshakesBefore + 1, `round ${n}, after the reload`);
  }

  await runStep('reload after an edit (default scroll restoration)', () => round(1, false));
  await runStep('reload after an edit (scrollRestoration=manual)', () => round(2, true));
  // Late console errors still count.
  await page.waitForTimeout(200);
});
