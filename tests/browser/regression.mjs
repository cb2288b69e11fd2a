// Browser regression checks for issue 20, each named after what broke, on a
// site built from a fixture under tests/fixtures/regression/browser-*/ and
// opened from disk (file://).
//
//   node tests/browser/regression.mjs <part> <site-url> <screenshot.png>
//
// <site-url> is the site folder as a file:// URL ending in "/". Parts:
//
//   heading-attributes     (item 1, fixture browser-heading-attributes)
//       en/guard.html, zh/guard.html and parallel/guard.html: focusing,
//       hovering and clicking every heading runs no handler (no dialog, no
//       window.__pwned, title unchanged, no page error), and no heading keeps
//       an attribute other than id and class (no on*, style, autofocus,
//       tabindex); the ids and classes written in the Markdown are kept.
//   no-results-text        (item 12, fixture browser-no-results-text)
//       a query without matches on en/index.html shows ui.no_results, which
//       is markup, as literal text: no element made from it, nothing run.
//   prototype-section-ids  (item 13, fixture browser-prototype-section-ids)
//       on en/builder.html, with #constructor, #toString or #__proto__ at the
//       top of the viewport, the language switch links to and lands on
//       zh/builder.html#<that id>; #overview still maps to #概述; and back
//       from zh to en for #constructor.
//
// Every part counts dialogs (alert, confirm, prompt) as script that ran.
// Driven by tests/it/e2e.rs (the tests named regression_*).

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { check, fail, frames, main, newPage, problem, runStep } from './harness.mjs';

const [part, siteArg, screenshot] = process.argv.slice(2);
if (!part || !siteArg || !screenshot) {
  console.error('usage: node regression.mjs heading-attributes|no-results-text|prototype-section-ids <site-url> <screenshot.png>');
  process.exit(2);
}
const site = new URL(siteArg.endsWith('/') ? siteArg : `${siteArg}/`);
if (site.protocol !== 'file:') {
  console.error(`regression.mjs: want a file:// URL, got ${siteArg}`);
  process.exit(2);
}
const inside = (url) => String(url).startsWith(site.href);

/** A watched page whose dialogs are dismissed and recorded as a problem: a dialog means script from the content ran. */
async function guardedPage(context) {
  const page = await newPage(context, inside);
  const seen = new Set();
  page.on('dialog', async (dialog) => {
    const where = page.url().slice(site.href.length);
    const key = `${where}|${dialog.type()}|${dialog.message()}`;
    if (!seen.has(key)) {
      seen.add(key); // once per page and message: handlers fire again on every poke
      problem(`a ${dialog.type()} dialog opened ("${dialog.message()}") on ${where}: script from the content ran`);
    }
    await dialog.dismiss().catch(() => {});
  });
  return page;
}

/** Fails the step on the signs, other than dialogs, that an injected handler ran. */
async function noScriptRan(page, what, title) {
  const state = await page.evaluate(() => ({ pwned: window.__pwned, title: document.title }));
  check(state.pwned === undefined, `${what}: window.__pwned is ${JSON.stringify(state.pwned)}: an injected handler ran`);
  check(state.title === title, `${what}: document.title changed from "${title}" to "${state.title}": an injected handler ran`);
}

/** The <title> the built file `rel` has on disk: what the page's title is while no script changed it. */
function builtTitle(rel) {
  const html = fs.readFileSync(fileURLToPath(new URL(rel, site)), 'utf8');
  const m = /<title>([^<]*)<\/title>/.exec(html);
  if (!m) fail(`${rel} has no <title>`);
  const entities = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" };
  return m[1].replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e) => entities[e]).trim();
}

async function shoot(page) {
  await page.screenshot({ path: screenshot, fullPage: false });
  console.log(`screenshot ${screenshot}`);
}

// ------------------------------------------------------ heading-attributes --

/** Ids and classes the fixture's headings must keep, per page. */
const HEADINGS = {
  'en/guard.html': { duties: [], rounds: ['night'], keys: [], 'spare-keys': ['spare'] },
  'zh/guard.html': { duties: [], rounds: [] },
  'parallel/guard.html': {},
};

/** Every heading of the role text, with all its attributes. */
function headingAttributes(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.role-body h1, .role-body h2, .role-body h3, .role-body h4, .role-body h5, .role-body h6')].map((h, i) => ({
      i,
      id: h.id,
      text: h.textContent.trim().slice(0, 30),
      classes: [...h.classList],
      attrs: [...h.attributes].map((a) => [a.name, a.value]),
    })),
  );
}

/** Focuses, hovers and clicks heading `i` of the role text, with real input and with events sent to the element itself (an injected style may cover it). */
async function poke(page, i) {
  const heading = page.locator('.role-body :is(h1, h2, h3, h4, h5, h6)').nth(i);
  await heading.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await frames(page);
  await heading.evaluate((el) => el.focus());
  await page.keyboard.press('Tab');
  const box = await heading.boundingBox();
  if (box) {
    const x = box.x + Math.min(box.width / 2, 20);
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y, { steps: 3 });
    await page.mouse.click(x, y);
    await page.mouse.click(x, y, { button: 'middle' });
    await page.mouse.move(1, 1);
  }
  await heading.evaluate((el) => {
    for (const type of ['focus', 'focusin', 'pointerover', 'pointerenter', 'mouseover', 'mouseenter', 'mousedown', 'mouseup', 'click', 'auxclick', 'dblclick']) {
      const Event_ = type.startsWith('pointer') ? PointerEvent : type.startsWith('focus') ? FocusEvent : MouseEvent;
      el.dispatchEvent(new Event_(type, { bubbles: !type.endsWith('enter') && type !== 'focus', cancelable: true, view: window }));
    }
  });
  await frames(page);
}

async function headingAttributesPart(context) {
  const page = await guardedPage(context);
  for (const [rel, wanted] of Object.entries(HEADINGS)) {
    await runStep(`heading attributes on ${rel}`, async () => {
      const title = builtTitle(rel);
      await page.goto(new URL(rel, site).href, { waitUntil: 'load' });
      // autofocus is processed after load, at a rendering opportunity: give
      // it time to focus (and, before the fix, to run onfocus with no click).
      await frames(page, 5);
      await page.waitForTimeout(300);
      await noScriptRan(page, `${rel} on load, before any input`, title);

      const headings = await headingAttributes(page);
      if (headings.length === 0) fail(`${rel} has no heading in .role-body`);
      for (const h of headings) {
        const extra = h.attrs.filter(([name]) => name !== 'id' && name !== 'class');
        check(
          extra.length === 0,
          `${rel}: heading "${h.text}" has attributes other than id and class: ${extra.map(([n, v]) => `${n}="${v}"`).join(' ')}`,
        );
      }
      for (const [id, classes] of Object.entries(wanted)) {
        const h = headings.find((x) => x.id === id);
        if (!check(!!h, `${rel}: no heading with id "${id}" (the {#${id}} written in the Markdown must be kept)`)) continue;
        for (const c of classes) check(h.classes.includes(c), `${rel}: heading #${id} lost its class "${c}" (classes: ${h.classes.join(' ') || 'none'})`);
      }
      console.log(`${rel}: ${headings.length} headings: ${headings.map((h) => `<${h.attrs.map(([n, v]) => (v ? `${n}="${v}"` : n)).join(' ')}>`).join(', ')}`);

      for (const h of headings) await poke(page, h.i);
      await noScriptRan(page, `${rel} after focusing, hovering and clicking every heading`, title);
      if (rel === 'en/guard.html') {
        await page.evaluate(() => window.scrollTo(0, 0));
        await frames(page);
        await shoot(page);
      }
    });
  }
}

// --------------------------------------------------------- no-results-text --

async function noResultsTextPart(context) {
  const page = await guardedPage(context);
  await runStep('ui.no_results is shown as text', async () => {
    const title = builtTitle('en/index.html');
    await page.goto(new URL('en/index.html', site).href, { waitUntil: 'load' });
    const input = page.locator('input[id="rb:search"]');
    if ((await input.count()) !== 1) fail('en/index.html has no input[id="rb:search"]');
    await input.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => fail('input[id="rb:search"] stays hidden (search.js should unhide its form)'));
    const wanted = await input.getAttribute('data-no-results');
    if (!wanted || !wanted.includes('<img')) fail(`input[id="rb:search"] has data-no-results="${wanted}", expected the fixture's markup from book.toml`);
    console.log(`ui.no_results: ${wanted}`);

    await input.fill('zzqqxx');
    try {
      await page.waitForFunction(
        () => {
          const box = document.getElementById('rb:search-results');
          return box && !box.hidden && box.textContent.trim() !== '';
        },
        null,
        { timeout: 5_000 },
      );
    } catch {
      fail('"zzqqxx": #search-results did not show a no-results message within 5 s');
    }
    // An <img src=x> fails to load asynchronously: give its onerror time to run.
    await frames(page, 3);
    await page.waitForTimeout(300);

    const box = await page.evaluate(() => {
      const el = document.getElementById('rb:search-results');
      const empty = el.querySelector('.search-empty');
      return {
        results: el.querySelectorAll('a.search-result').length,
        elements: [...el.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()),
        emptyText: empty ? empty.textContent : null,
        emptyChildren: empty ? empty.children.length : null,
      };
    });
    console.log(`#search-results holds: ${box.elements.join(', ')}; .search-empty text: ${JSON.stringify(box.emptyText)}`);
    check(box.results === 0, `"zzqqxx" listed ${box.results} results, expected none`);
    check(box.emptyText !== null, '"zzqqxx": no .search-empty in #search-results');
    const made = box.elements.filter((t) => ['img', 'b', 'script'].includes(t));
    check(made.length === 0, `ui.no_results was parsed as HTML: #search-results contains <${made.join('>, <')}> made from book.toml's words`);
    check(box.emptyChildren === 0, `.search-empty has ${box.emptyChildren} child elements, expected only text`);
    check(box.emptyText === wanted, `.search-empty reads ${JSON.stringify(box.emptyText)}, expected the literal words ${JSON.stringify(wanted)}`);
    const empty = page.locator('[id="rb:search-results"] .search-empty');
    check((await empty.count()) === 1 && (await empty.isVisible()), '.search-empty is not visible');
    check((await page.getByText(wanted, { exact: true }).count()) === 1, 'the literal words of ui.no_results are not on the page exactly once');
    await noScriptRan(page, 'after a search without results', title);
    await shoot(page);
  });
}

// --------------------------------------------------- prototype-section-ids --

/** Scrolls `#id` of `rel` to the top, clicks the switch to `lang`, and checks it lands on `target#hash`. */
async function switchFrom(page, rel, id, lang, target, hash) {
  const from = new URL(rel, site).href;
  await page.goto(from, { waitUntil: 'load' });
  const heading = page.locator(`.role-body [id="${id}"]`);
  if ((await heading.count()) !== 1) fail(`${rel} has no .role-body heading with id "${id}"`);
  await heading.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await frames(page, 3);
  const top = await heading.evaluate((el) => el.getBoundingClientRect().top);
  const headerBottom = await page.evaluate(() => {
    const h = document.querySelector('.site-header');
    return h && getComputedStyle(h).position === 'sticky' ? h.getBoundingClientRect().bottom : 0;
  });
  if (top < -2 || top > headerBottom + 24) fail(`could not scroll #${id} to the top of ${rel} (its top is at ${top}, header bottom ${headerBottom}): the fixture's page is too short`);

  const link = page.locator(`nav.language-switch a[hreflang=${lang}]`);
  if ((await link.count()) !== 1) fail(`${rel} has no nav.language-switch a[hreflang=${lang}]`);
  const href = await link.getAttribute('href');
  console.log(`${rel} with #${id} at the top: the switch links to ${href}`);
  check(href.endsWith(`${target}#${hash}`), `${rel} with #${id} at the top: the language switch links to "${href}", expected …${target}#${hash}`);

  await link.click();
  await page.waitForURL((u) => u.pathname.endsWith(`/${target}`), { waitUntil: 'load' });
  await frames(page);
  const landed = page.url();
  console.log(`  clicked: landed on ${landed.slice(site.href.length)}`);
  check(landed.endsWith(`${target}#${hash}`), `clicking the switch from ${rel}#${id} led to ${landed.slice(site.href.length)}, expected ${target}#${hash}`);
  const wantedId = decodeURIComponent(hash);
  const there = page.locator(`.role-body [id="${wantedId}"]`);
  if ((await there.count()) !== 1) fail(`${target} has no .role-body heading with id "${wantedId}"`);
  const thereTop = await there.evaluate((el) => el.getBoundingClientRect().top);
  check(thereTop >= -2 && thereTop <= 120, `after the switch from ${rel}#${id}, #${wantedId} on ${target} is at top ${thereTop.toFixed(1)}, expected near the top of the viewport (0-120 px)`);
}

async function prototypeSectionIdsPart(context) {
  const page = await guardedPage(context);
  for (const id of ['constructor', 'toString', '__proto__']) {
    await runStep(`switch en -> zh from #${id}`, async () => {
      await switchFrom(page, 'en/builder.html', id, 'zh', 'zh/builder.html', encodeURIComponent(id));
      if (id === 'constructor') await shoot(page);
    });
  }
  await runStep('switch zh -> en from #constructor', async () => {
    await switchFrom(page, 'zh/builder.html', 'constructor', 'en', 'en/builder.html', 'constructor');
  });
  // The own-property lookup must still translate ids that differ.
  await runStep('switch en -> zh from #overview (mapped to #概述)', async () => {
    await switchFrom(page, 'en/builder.html', 'overview', 'zh', 'zh/builder.html', encodeURIComponent('概述'));
  });
}

const PARTS = {
  'heading-attributes': headingAttributesPart,
  'no-results-text': noResultsTextPart,
  'prototype-section-ids': prototypeSectionIdsPart,
};
if (!PARTS[part]) {
  console.error(`regression.mjs: unknown part ${part} (want ${Object.keys(PARTS).join(', ')})`);
  process.exit(2);
}

await main(`regression.mjs ${part}`, 90_000, PARTS[part]);
