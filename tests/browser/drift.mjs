// Translation drift on the side-by-side view, opened from disk (file://).
//
//   node tests/browser/drift.mjs <site-url> <screenshot-dir>
//
// The site is built from a handbook whose `clerk` role has a stale Chinese
// translation: one section (#skills) of the English original changed after
// it was marked. Checks, in both versions of the view (parallel/clerk.html
// and zh/clerk.parallel.html): exactly that row is highlighted; its diff is
// hidden until its own toggle opens it (<del>/<ins> then visible); the
// page-wide button opens and closes every row's diff and says which it will
// do. Screenshots (light and dark, 1366x900 and 390x844) of both versions
// with the diff shown, and of the stale notice on zh/clerk.html.
//
// Driven by tests/it/e2e.rs.

import path from 'node:path';
import fs from 'node:fs';
import { check, fail, frames, main, newPage, runStep } from './harness.mjs';

const [siteArg, shotsArg] = process.argv.slice(2);
if (!siteArg || !shotsArg) {
  console.error('usage: node drift.mjs <site-url> <screenshot-dir>');
  process.exit(2);
}
const site = new URL(siteArg.endsWith('/') ? siteArg : `${siteArg}/`);
if (site.protocol !== 'file:') {
  console.error(`drift.mjs: want a file:// URL, got ${siteArg}`);
  process.exit(2);
}
const inside = (url) => String(url).startsWith(site.href);
fs.mkdirSync(shotsArg, { recursive: true });

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

async function open(context, file, viewport, colorScheme = 'light') {
  const page = await newPage(context, inside);
  await page.setViewportSize(viewport);
  await page.emulateMedia({ colorScheme });
  await page.goto(new URL(file, site).href, { waitUntil: 'load' });
  await frames(page);
  return page;
}

/** What the reader sees of the drift rows. */
function rows(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.parallel-row.drift-row')].map((row) => {
      const diff = row.querySelector('.drift-diff');
      // checkVisibility: a closed <details> hides its content by content-visibility.
      const shown = (el) => !!el && el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
      return {
        kind: row.dataset.drift,
        heading: row.querySelector('[data-side=left] h2, [data-side=left] h3')?.id ?? '',
        open: !!row.querySelector('details.drift-details')?.open,
        diffShown: shown(diff),
        delShown: [...row.querySelectorAll('.drift-diff del')].some(shown),
        insShown: [...row.querySelectorAll('.drift-diff ins')].some(shown),
        marked: getComputedStyle(row).boxShadow !== 'none',
      };
    }),
  );
}

async function view(context, file, words) {
  const page = await open(context, file, DESKTOP);
  await runStep(`${file}: the changed row is highlighted, its diff hidden`, async () => {
    const found = await rows(page);
    if (found.length !== 1) fail(`${found.length} highlighted rows, expected 1 (#skills)`);
    check(found[0].heading === 'en--skills', `the highlighted row is ${found[0].heading}, expected en--skills`);
    check(found[0].kind === 'changed', `the row is ${found[0].kind}, expected changed`);
    check(found[0].marked, 'the highlighted row has no visible mark (box-shadow)');
    check(!found[0].diffShown, 'the diff shows before it is asked for');
  });
  await runStep(`${file}: one row's toggle shows its diff`, async () => {
    await page.locator('.drift-row summary').first().click();
    await frames(page);
    const [row] = await rows(page);
    check(row.open && row.diffShown, 'the row\'s diff did not open');
    check(row.delShown && row.insShown, 'the diff shows no <del> and <ins>');
    await page.locator('.drift-row summary').first().click();
    await frames(page);
    check(!(await rows(page))[0].diffShown, 'the row\'s diff did not close again');
  });
  await runStep(`${file}: the page-wide button shows and hides every diff`, async () => {
    const button = page.locator('.drift-toggle-all');
    if (!(await button.isVisible())) fail('.drift-toggle-all is not visible (drift.js did not run from file://)');
    check((await button.textContent()).trim() === words.show, `the button says "${await button.textContent()}", expected "${words.show}"`);
    await button.click();
    await frames(page);
    check((await rows(page)).every((r) => r.diffShown && r.insShown), 'not every diff opened');
    check((await button.getAttribute('aria-pressed')) === 'true', 'aria-pressed is not true with every diff open');
    check((await button.textContent()).trim() === words.hide, `the open button says "${await button.textContent()}", expected "${words.hide}"`);
    await button.click();
    await frames(page);
    check((await rows(page)).every((r) => !r.diffShown), 'the diffs did not close');
  });
  await page.close();
}

async function screenshots(context) {
  await runStep('screenshots', async () => {
    for (const file of ['parallel/clerk.html', 'zh/clerk.parallel.html']) {
      for (const scheme of ['light', 'dark']) {
        for (const [name, size] of [['desktop', DESKTOP], ['phone', PHONE]]) {
          const page = await open(context, file, size, scheme);
          await page.locator('.drift-toggle-all').click();
          await page.locator('.drift-row').first().scrollIntoViewIfNeeded();
          await frames(page);
          const base = file.replace(/[/.]/g, '-').replace(/-html$/, '');
          await page.screenshot({ path: path.join(shotsArg, `${base}-${scheme}-${name}.png`) });
          await page.close();
        }
      }
    }
    for (const scheme of ['light', 'dark']) {
      const page = await open(context, 'zh/clerk.html', DESKTOP, scheme);
      const notice = page.locator('.stale-notice');
      check(await notice.isVisible(), 'zh/clerk.html shows no stale notice');
      await page.screenshot({ path: path.join(shotsArg, `role-zh-clerk-notice-${scheme}.png`) });
      await page.close();
    }
  });
}

await main('drift.mjs', 120_000, async (context) => {
  await view(context, 'parallel/clerk.html', { show: 'Show all changes', hide: 'Hide all changes' });
  await view(context, 'zh/clerk.parallel.html', { show: '显示全部改动', hide: '收起全部改动' });
  await screenshots(context);
});
