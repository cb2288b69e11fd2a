// Role comparisons and "What's new" on the sample handbook, opened from disk
// (file://).
//
//   node tests/browser/compare.mjs <site-url> <screenshots-dir>
//
// level     on en/ and zh/assistant-vs-secretary.html at 1366x900, the two
//           cells of every comparison row start at the same height, side by
//           side (the sections line up: duties beside duties).
// stack     at 390x844 each row's cells stack, each named by its role, and
//           the page is no wider than the screen.
// changes   <lang>/changes.html lists roles newest first, and its link from
//           the home page works.
// Screenshots of both pages in both languages, light and dark, desktop and
// phone.
//
// Driven by tests/it/e2e.rs (e2e::role_comparisons_line_up_and_stack).

import path from 'node:path';
import { check, fail, main, newPage, runStep } from './harness.mjs';

const [siteArg, shots] = process.argv.slice(2);
if (!siteArg || !shots) {
  console.error('usage: node compare.mjs <site-url> <screenshots-dir>');
  process.exit(2);
}
const site = new URL(siteArg.endsWith('/') ? siteArg : `${siteArg}/`);
const inside = (url) => String(url).startsWith(site.href);
const WIDE = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

async function open(context, file, viewport, colorScheme = 'light') {
  const page = await newPage(context, inside);
  await page.emulateMedia({ colorScheme });
  await page.setViewportSize(viewport);
  await page.goto(new URL(file, site).href);
  return page;
}

/** Each comparison row's cells: position, size and the ids of its sections. */
function rows(page) {
  return page.$$eval('.comparison-row:not(.comparison-header)', (rs) => rs.map((r) => [...r.querySelectorAll(':scope > .comparison-cell')].map((c) => {
    const b = c.getBoundingClientRect();
    const h = c.querySelector('h2[id], h3[id]');
    return { top: b.top, left: b.left, width: b.width, height: b.height, id: h ? h.id : null, empty: !!c.querySelector('.section-missing') };
  })));
}

async function level(context) {
  for (const lang of ['en', 'zh']) {
    const page = await open(context, `${lang}/assistant-vs-secretary.html`, WIDE);
    const found = await rows(page);
    check(found.length >= 4, `${lang}: only ${found.length} comparison rows`);
    let paired = 0;
    for (const [i, cells] of found.entries()) {
      if (!check(cells.length === 2, `${lang}: row ${i} has ${cells.length} cells`)) continue;
      const [a, b] = cells;
      check(Math.abs(a.top - b.top) < 1, `${lang}: row ${i}'s cells start at ${a.top} and ${b.top}`);
      check(b.left >= a.left + a.width - 1, `${lang}: row ${i}'s cells overlap or stack at 1366 px`);
      if (a.id && b.id) {
        paired++;
        const strip = (id) => id.replace(/^[a-z-]+?--/, '');
        check(strip(a.id) === strip(b.id), `${lang}: row ${i} pairs ${a.id} with ${b.id}`);
      }
    }
    check(paired >= 4, `${lang}: only ${paired} rows pair a section of each role`);
    const duties = found.find((cells) => cells.every((c) => c.id && c.id.endsWith('--duties')));
    check(!!duties, `${lang}: no row with both roles' duties`);
    await page.close();
  }
}

async function stack(context) {
  for (const lang of ['en', 'zh']) {
    const page = await open(context, `${lang}/assistant-vs-secretary.html`, PHONE);
    const found = await rows(page);
    for (const [i, cells] of found.entries()) {
      if (cells.length !== 2) continue;
      check(cells[1].top >= cells[0].top + cells[0].height - 1, `${lang}: on a phone row ${i}'s cells do not stack`);
    }
    const labels = await page.$$eval('.comparison-row:not(.comparison-header) .comparison-role', (ls) => ls.filter((l) => l.getBoundingClientRect().height > 0).length);
    check(labels === found.length * 2, `${lang}: ${labels} visible role names for ${found.length * 2} stacked cells`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    check(wide <= PHONE.width, `${lang}: the page is ${wide} px wide at ${PHONE.width} px`);
    await page.close();
  }
}

async function changes(context) {
  for (const lang of ['en', 'zh']) {
    const page = await open(context, `${lang}/index.html`, WIDE);
    const link = page.locator('a.changes-link');
    if ((await link.count()) !== 1) fail(`${lang}/index.html has ${await link.count()} links to "What's new"`);
    await link.click();
    await page.waitForLoadState('load');
    check(page.url().endsWith(`${lang}/changes.html`), `${lang}: the link led to ${page.url()}`);
    const dates = await page.$$eval('.change time', (ts) => ts.map((t) => t.getAttribute('datetime')));
    check(dates.length >= 5, `${lang}: only ${dates.length} changes listed`);
    const sorted = [...dates].sort().reverse();
    check(JSON.stringify(dates) === JSON.stringify(sorted), `${lang}: not newest first: ${dates.join(', ')}`);
    await page.close();
  }
}

async function screenshots(context) {
  for (const lang of ['en', 'zh']) {
    for (const scheme of ['light', 'dark']) {
      for (const [size, viewport] of [['desktop', WIDE], ['phone', PHONE]]) {
        const page = await open(context, `${lang}/assistant-vs-secretary.html`, viewport, scheme);
        await page.locator('#rb\\:comparison').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(shots, `comparison-${lang}-${scheme}-${size}.png`) });
        await page.close();
        const changes = await open(context, `${lang}/changes.html`, viewport, scheme);
        await changes.screenshot({ path: path.join(shots, `changes-${lang}-${scheme}-${size}.png`) });
        await changes.close();
      }
    }
  }
}

main('compare.mjs', 90_000, async (context) => {
  for (const [name, fn] of Object.entries({ level, stack, changes, screenshots })) {
    await runStep(name, () => fn(context));
  }
});
