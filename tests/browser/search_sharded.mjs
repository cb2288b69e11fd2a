// Search with a sharded index, in a real browser, from file://.
//
//   node tests/browser/search_sharded.mjs <site-url>
//
// <site-url> is a site built from search_corpus.mjs (a few hundred roles, so
// the index is sharded) as a file:// URL ending in "/". Checks: the bytes of
// index files the page loads (their size on disk) for a first and a second
// query stay within 300 kB each and come from several parts, not one file;
// an English, a Chinese and a cross-language query list the roles expected;
// a query typed before the index has loaded is answered; the box is an ARIA
// combobox whose options get aria-selected with the arrow keys and whose
// live region says how many roles were found. No request outside the site.
// Driven by tests/it/search.rs (search_with_a_sharded_index_in_a_browser).

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { check, fail, main, newPage, runStep } from './harness.mjs';

const BUDGET = 300_000;
const [siteArg] = process.argv.slice(2);
if (!siteArg) {
  console.error('usage: node search_sharded.mjs <site-url>');
  process.exit(2);
}
const site = new URL(siteArg.endsWith('/') ? siteArg : `${siteArg}/`);
const inside = (url) => String(url).startsWith(site.href);
const isIndex = (url) => /\/static\/(search-index\.js|search\/[td]\d+\.js)$/.test(url);

await main('search_sharded.mjs', 60_000, async (context) => {
  const page = await newPage(context, inside);
  const loaded = [];
  page.on('request', (req) => { if (isIndex(req.url())) loaded.push(req.url()); });
  const bytes = (urls) => urls.reduce((sum, u) => sum + fs.statSync(fileURLToPath(u)).size, 0);

  async function query(input, text) {
    // An empty box closes the results and empties the live region, so that
    // results of an earlier query cannot count.
    await input.fill('');
    await page.waitForFunction(() => document.getElementById('rb:search-status')?.textContent === '', null, { timeout: 5_000 });
    const before = loaded.length;
    await input.fill(text);
    await page.waitForFunction((q) => {
      const box = document.getElementById('rb:search-results');
      const status = document.getElementById('rb:search-status');
      return box && !box.hidden && status && status.textContent !== '' && document.getElementById('rb:search').value === q;
    }, text, { timeout: 10_000 });
    const found = await page.evaluate(() => [...document.querySelectorAll('#rb\\:search-results a.search-result')].map((a) => ({
      href: a.getAttribute('href'),
      title: a.querySelector('.search-title')?.textContent ?? '',
      other: a.querySelector('.search-other')?.textContent ?? '',
      snippet: a.querySelector('.search-snippet')?.textContent ?? '',
    })));
    const urls = loaded.slice(before);
    console.log(`"${text}": ${found.length} results, ${urls.length} index files, ${bytes(urls)} bytes; first: ${found[0]?.title} / ${found[0]?.other}`);
    return { found, urls, size: bytes(urls) };
  }

  await runStep('a query typed while the index loads is answered, within budget', async () => {
    await page.goto(new URL('en/index.html', site).href, { waitUntil: 'load' });
    const input = page.locator('input[id="rb:search"]');
    await input.waitFor({ state: 'visible', timeout: 5_000 });
    check((await input.getAttribute('role')) === 'combobox', 'input[id="rb:search"] is not role="combobox"');
    // Typed at once, before anything of the index was requested.
    const first = await query(input, 'attendance records');
    check(first.size <= BUDGET, `first query loaded ${first.size} bytes of index (budget ${BUDGET})`);
    check(first.urls.some((u) => /\/static\/search\/t\d+\.js$/.test(u)), 'the first query loaded no term part (is the index sharded?)');
    check(first.urls.some((u) => /\/static\/search\/d\d+\.js$/.test(u)), 'the first query loaded no page part');
    check(first.found.length > 0 && /attendance/.test(first.found[0].href), `"attendance records": first result ${first.found[0]?.href} is not an attendance role`);
    check(first.found.every((r) => r.other !== ''), '"attendance records": a result lacks its title in the other language');
    const second = await query(input, '行政助理');
    check(second.size <= BUDGET, `second query loaded ${second.size} more bytes of index (budget ${BUDGET})`);
    check(second.found.length > 0 && /-assistant(-|\.html)/.test(second.found[0].href), `"行政助理": first result ${second.found[0]?.href} is not an assistant role`);
    check(second.found[0]?.title.startsWith('Administration'), `"行政助理" on en/: first result titled "${second.found[0]?.title}", not Administration Administrative Assistant`);
  });

  await runStep('cross-language: English words on a Chinese page', async () => {
    await page.goto(new URL('zh/index.html', site).href, { waitUntil: 'load' });
    const input = page.locator('input[id="rb:search"]');
    await input.waitFor({ state: 'visible', timeout: 5_000 });
    const r = await query(input, 'seal keeper');
    check(r.found.length > 0 && r.found.every((x) => /seal/.test(x.href)), `"seal keeper" on zh/: ${r.found.map((x) => x.href).join(' ')}`);
    check(/印章管理员/.test(r.found[0]?.title ?? ''), `"seal keeper" on zh/: first title "${r.found[0]?.title}" is not the Chinese one`);
    check(r.found[0]?.href.startsWith('') && !/\/en\//.test(r.found[0]?.href ?? ''), `"seal keeper" on zh/ leads to ${r.found[0]?.href}, not a Chinese page`);
    const status = await page.locator('[id="rb:search-status"]').textContent();
    check(status.includes(String(r.found.length)), `the live region says "${status}" for ${r.found.length} results`);
  });

  await runStep('arrow keys move through the options', async () => {
    const input = page.locator('input[id="rb:search"]');
    await input.focus();
    const options = page.locator('[id="rb:search-results"] [role="option"]');
    if ((await options.count()) < 2) fail('fewer than two options to move through');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    check((await options.nth(1).getAttribute('aria-selected')) === 'true', 'ArrowDown twice: the second option is not aria-selected');
    check((await options.nth(0).getAttribute('aria-selected')) === 'false', 'ArrowDown twice: the first option is still aria-selected');
    check((await input.getAttribute('aria-activedescendant')) === (await options.nth(1).getAttribute('id')), 'aria-activedescendant is not the second option');
    await page.keyboard.press('ArrowUp');
    check((await options.nth(0).getAttribute('aria-selected')) === 'true', 'ArrowUp: the first option is not aria-selected');
  });
});
