// Search in a real browser, from a built site opened from disk (file://).
//
//   node tests/browser/search.mjs <site-url>
//
// <site-url> is the site folder as a file:// URL ending in "/". Checks, with
// the sample handbook: on en/index.html "行政助理" (a Chinese title), "考勤"
// (a word only in a Chinese body) and "attendance" list the administrative
// assistant; on zh/index.html "secretary" lists 秘书 (secretary.html); a
// query without matches shows .search-empty; "/" focuses the box, ArrowDown
// then Enter opens the first result, Escape closes the results. No console
// errors and no request outside the site folder.
// Driven by tests/it/e2e.rs (search_finds_roles_in_both_languages_offline).

import { check, fail, frames, main, newPage, runStep } from './harness.mjs';

const [siteArg] = process.argv.slice(2);
if (!siteArg) {
  console.error('usage: node search.mjs <site-url>');
  process.exit(2);
}
const site = new URL(siteArg.endsWith('/') ? siteArg : `${siteArg}/`);
if (site.protocol !== 'file:') {
  console.error(`search.mjs: want a file:// URL, got ${siteArg}`);
  process.exit(2);
}
const inside = (url) => String(url).startsWith(site.href);

const ADMIN = /\/administrative-assistant\.html(#.*)?$/;
const SECRETARY = /\/secretary\.html(#.*)?$/; // not assistant-vs-secretary.html: needs the "/"

/** Opens `rel` and waits for search.js to reveal the box. */
async function open(page, rel) {
  await page.goto(new URL(rel, site).href, { waitUntil: 'load' });
  const input = page.locator('input[id="rb:search"]');
  if ((await input.count()) !== 1) fail(`${rel} has no input[id="rb:search"]`);
  try {
    await input.waitFor({ state: 'visible', timeout: 5_000 });
  } catch {
    fail(`${rel}: input[id="rb:search"] stays hidden (search.js should unhide its form)`);
  }
  return input;
}

/** The visible results for `query`: [{href, title, text}], or null for the no-results message. */
async function results(page, input, query) {
  // Start from an empty, closed box so results of an earlier query cannot count.
  await input.fill('');
  await page.locator('[id="rb:search-results"]').waitFor({ state: 'hidden', timeout: 5_000 });
  await input.fill(query);
  try {
    await page.waitForFunction(
      () => {
        const box = document.getElementById('rb:search-results');
        return box && !box.hidden && box.querySelector('a.search-result, .search-empty');
      },
      null,
      { timeout: 5_000 },
    );
  } catch {
    fail(`"${query}": #search-results did not show results or a no-results message within 5 s`);
  }
  check(await page.locator('[id="rb:search-results"]').isVisible(), `"${query}": #search-results is not visible`);
  check((await input.getAttribute('aria-expanded')) === 'true', `"${query}": input[id="rb:search"] has aria-expanded="${await input.getAttribute('aria-expanded')}" with results shown`);
  return page.evaluate(() => {
    const box = document.getElementById('rb:search-results');
    if (box.querySelector('.search-empty') && !box.querySelector('a.search-result')) return null;
    return [...box.querySelectorAll('a.search-result')].map((a) => ({
      href: a.href,
      title: (a.querySelector('.search-title')?.textContent ?? '').trim(),
      text: a.textContent.replace(/\s+/g, ' ').trim().slice(0, 80),
    }));
  });
}

function list(found) {
  return found === null ? '(no results)' : found.map((r) => `${r.title} -> ${r.href.slice(site.href.length)}`).join('; ');
}

async function expectRole(page, input, query, pattern, wanted, title) {
  const found = await results(page, input, query);
  console.log(`"${query}": ${list(found)}`);
  const hit = (found ?? []).find((r) => pattern.test(r.href) && (title === undefined || r.title === title));
  check(!!hit, `"${query}" does not list ${wanted}${title ? ` titled ${title}` : ''}; results: ${list(found)}`);
  if (hit) check(inside(hit.href), `"${query}": result ${hit.href} is outside the site`);
}

await main('search.mjs', 60_000, async (context) => {
  const page = await newPage(context, inside);

  await runStep('search on en/index.html', async () => {
    const input = await open(page, 'en/index.html');
    await expectRole(page, input, '行政助理', ADMIN, 'administrative-assistant.html');
    await expectRole(page, input, '考勤', ADMIN, 'administrative-assistant.html');
    await expectRole(page, input, 'attendance', ADMIN, 'administrative-assistant.html');
    const none = await results(page, input, 'zzqqxx');
    console.log(`"zzqqxx": ${list(none)}`);
    check(none === null, `"zzqqxx" should find nothing, got ${list(none)}`);
    check(await page.locator('[id="rb:search-results"] .search-empty').isVisible(), '"zzqqxx": .search-empty is not visible');
  });

  await runStep('search on zh/index.html', async () => {
    const input = await open(page, 'zh/index.html');
    await expectRole(page, input, 'secretary', SECRETARY, 'secretary.html', '秘书');
  });

  await runStep('keyboard: "/" focuses, Escape closes', async () => {
    const input = await open(page, 'en/secretary.html');
    await page.locator('h1').first().click(); // focus on the page, not in a field
    check(!(await input.evaluate((el) => el === document.activeElement)), 'input[id="rb:search"] is focused before pressing "/"');
    await page.keyboard.press('/');
    check(await input.evaluate((el) => el === document.activeElement), 'pressing "/" does not focus input[id="rb:search"]');
    check((await input.inputValue()) === '', `pressing "/" typed into the box: "${await input.inputValue()}"`);
    await page.keyboard.type('attendance');
    await page.locator('[id="rb:search-results"] a.search-result').first().waitFor({ state: 'visible', timeout: 5_000 });
    await page.keyboard.press('Escape');
    await frames(page);
    check(!(await page.locator('[id="rb:search-results"]').isVisible()), 'Escape does not close #search-results');
    check((await input.getAttribute('aria-expanded')) === 'false', `after Escape input[id="rb:search"] has aria-expanded="${await input.getAttribute('aria-expanded')}"`);
  });

  await runStep('keyboard: ArrowDown then Enter opens the first result', async () => {
    const input = await open(page, 'en/secretary.html');
    await page.locator('h1').first().click();
    await page.keyboard.press('/');
    check(await input.evaluate((el) => el === document.activeElement), 'pressing "/" does not focus input[id="rb:search"]');
    await page.keyboard.type('attendance');
    const first = page.locator('[id="rb:search-results"] a.search-result').first();
    await first.waitFor({ state: 'visible', timeout: 5_000 });
    const href = await first.evaluate((a) => a.href);
    await page.keyboard.press('ArrowDown');
    check(await first.evaluate((a) => a.classList.contains('active')), 'ArrowDown does not mark the first result .active');
    check((await input.getAttribute('aria-activedescendant')) === (await first.getAttribute('id')), 'ArrowDown does not set aria-activedescendant to the first result');
    await Promise.all([page.waitForURL(href, { waitUntil: 'load' }), page.keyboard.press('Enter')]);
    console.log(`Enter opened ${page.url().slice(site.href.length)}`);
    check(page.url() === href, `Enter opened ${page.url()}, expected the first result ${href}`);
    check((await page.locator('.role-body').count()) === 1, `the first result ${href} is not a role page`);
  });

  await page.waitForTimeout(200);
});
