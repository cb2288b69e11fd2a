// Reader-facing polish of the default theme (issue 15), on a built copy of the
// sample handbook opened from disk (file://).
//
//   node tests/browser/ui.mjs <site-url> <screenshots-dir>
//
// The copy (see e2e::reader_ui_theme_switch_skip_link_copy_and_anchors) has a
// code block appended to en/ and zh/assistant.md (so zh/assistant is stale),
// no zh/procurement-assistant.md (a fallback page) and no translated_from in
// zh/office-director.md (untracked).
//
// theme     the light / dark / auto switch: remembered after a reload, applied
//           before the first paint (data-theme is set when <body> starts, and
//           the background is right at DOMContentLoaded), auto follows the system.
// skip      the skip link, once focused, is on screen and not under the header.
// phone     at 390x844 the header is one row (< 70 px) and nothing scrolls
//           sideways; the search field opens from its button and from "/".
// copy      code blocks have a copy button that copies the code and says so,
//           in the page's interface language, also in side-by-side cells.
// anchors   every heading with an id in .role-body has a "#" link to itself,
//           labelled, visible when focused.
// bottom    after following the contents link to the last section of a short
//           page, the language switch lands on that section.
// contrast  dark mode: status cells, notices and muted text reach 4.5:1.
// overview  the translation overview: legend in the cells' words, "original"
//           column, no one-character-per-line wrapping on a phone.
// print     printing in dark mode prints dark on white; no "Swap columns".
// shots     screenshots of each changed view, both languages, light and dark,
//           desktop and phone.
//
// Driven by tests/it/e2e.rs.

import path from 'node:path';
import { check, fail, frames, main, newPage, runStep } from './harness.mjs';

const [siteArg, shots] = process.argv.slice(2);
if (!siteArg || !shots) {
  console.error('usage: node ui.mjs <site-url> <screenshots-dir>');
  process.exit(2);
}
const site = new URL(siteArg.endsWith('/') ? siteArg : `${siteArg}/`);
const inside = (url) => String(url).startsWith(site.href);
const WIDE = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const WORDS = {
  en: { copy: 'Copy', copied: 'Copied', anchor: 'Link to this section', status: ['ok', 'stale', 'untracked', 'missing'] },
  zh: { copy: '复制', copied: '已复制', anchor: '本节链接', status: ['已同步', '可能过时', '未跟踪', '缺失'] },
};

/** `file` at `viewport`, the system in `colorScheme`, the reader's own choice forgotten. */
async function open(context, file, viewport, colorScheme = 'light') {
  const page = await newPage(context, inside);
  await page.setViewportSize(viewport);
  await page.emulateMedia({ colorScheme });
  await page.goto(new URL(file, site).href);
  if (await page.evaluate(() => { const t = localStorage.getItem('rolebook-theme'); localStorage.removeItem('rolebook-theme'); return t; })) await page.reload();
  return page;
}

/** Relative luminance contrast of two CSS rgb() colours. */
function contrastOf(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Text colour and the first opaque background behind `sel`'s elements. */
function colours(page, sel) {
  return page.$$eval(sel, (els) => els.map((el) => {
    let bg = 'rgb(255, 255, 255)';
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c)) { bg = c; break; }
    }
    return { text: el.textContent.trim().slice(0, 30), color: getComputedStyle(el).color, bg };
  }));
}

/** The page's background: the body's, or the root's behind a transparent body. */
const pageBg = (page) => page.evaluate(() => {
  const b = getComputedStyle(document.body).backgroundColor;
  return /rgba\(.*,\s*0\)$|transparent/.test(b) ? getComputedStyle(document.documentElement).backgroundColor : b;
});
const isDark = (rgb) => rgb.match(/[\d.]+/g).slice(0, 3).map(Number).reduce((a, b) => a + b, 0) < 3 * 100;

/** Clicks the colour-scheme switch until <html data-theme> is `want`. */
async function chooseTheme(page, want) {
  const button = page.locator('.theme-switch');
  if ((await button.count()) !== 1 || !(await button.isVisible())) fail('no visible colour-scheme switch (.theme-switch)');
  for (let i = 0; i < 3; i++) {
    // No data-theme is auto: the system's scheme.
    if ((await page.evaluate(() => document.documentElement.dataset.theme || 'auto')) === want) return;
    await button.click();
  }
  fail(`the switch never set data-theme="${want}"`);
}

async function theme(context) {
  // What the page looks like at its very start, before any script of ours at the end of <body>.
  await context.addInitScript(() => {
    new MutationObserver((_, obs) => {
      if (document.body) {
        window.__rbThemeAtBody = document.documentElement.getAttribute('data-theme');
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
    document.addEventListener('DOMContentLoaded', () => {
      const b = getComputedStyle(document.body).backgroundColor;
      window.__rbBgAtReady = /rgba\(.*,\s*0\)$|transparent/.test(b) ? getComputedStyle(document.documentElement).backgroundColor : b;
    });
  });
  const page = await open(context, 'en/secretary.html', WIDE, 'light');
  check(!isDark(await pageBg(page)), 'light system, auto: the page is not light');
  const label = await page.locator('.theme-switch').getAttribute('aria-label').catch(() => null);
  check(label && label.includes('Colour scheme'), `the switch's label is ${JSON.stringify(label)}, expected "Colour scheme: …"`);
  await chooseTheme(page, 'dark');
  check(isDark(await pageBg(page)), 'dark chosen: the page is not dark');
  check((await page.locator('.theme-switch').getAttribute('aria-label')).includes('Dark'), 'dark chosen: the label does not say Dark');
  // localStorage reaches Chromium's browser process over IPC; a reload in the same
  // instant can start the new document (in a new renderer) before it has arrived.
  // A reader never reloads within milliseconds of a click.
  await page.waitForTimeout(500);
  await page.reload();
  check((await page.evaluate(() => document.documentElement.dataset.theme)) === 'dark', 'after a reload the dark choice is forgotten');
  check((await page.evaluate(() => window.__rbThemeAtBody)) === 'dark', `data-theme was ${await page.evaluate(() => window.__rbThemeAtBody)} when <body> started (a flash of the light scheme)`);
  const atReady = await page.evaluate(() => window.__rbBgAtReady);
  check(atReady && isDark(atReady), `background at DOMContentLoaded was ${atReady}, expected dark`);
  // Remembered across pages and languages (same file:// storage).
  await page.goto(new URL('zh/translations.html', site).href);
  check((await page.evaluate(() => document.documentElement.dataset.theme)) === 'dark', 'zh/translations.html does not keep the dark choice');
  await chooseTheme(page, 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  check(!isDark(await pageBg(page)), 'light chosen on a dark system: the page is not light');
  await chooseTheme(page, 'auto');
  check(isDark(await pageBg(page)), 'auto on a dark system: the page is not dark');
  await page.emulateMedia({ colorScheme: 'light' });
  check(!isDark(await pageBg(page)), 'auto on a light system: the page is not light');
  await page.close();
}

async function skip(context) {
  for (const viewport of [WIDE, PHONE]) {
    const page = await open(context, 'zh/secretary.html', viewport);
    await page.keyboard.press('Tab');
    const state = await page.evaluate(() => {
      const a = document.activeElement;
      const r = a.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return { cls: a.className, top: r.top, bottom: r.bottom, left: r.left, width: r.width, onTop: !!hit && a.contains(hit) };
    });
    const size = `${viewport.width}x${viewport.height}`;
    if (!check(state.cls === 'skip-link', `${size}: the first Tab focuses .${state.cls}, not the skip link`)) { await page.close(); continue; }
    check(state.top >= 0 && state.bottom <= viewport.height && state.left >= 0 && state.width > 10,
      `${size}: the focused skip link is off screen (${JSON.stringify(state)})`);
    check(state.onTop, `${size}: the focused skip link is covered (elementFromPoint at its centre is not the link)`);
    await page.close();
  }
}

async function phone(context) {
  for (const file of ['en/secretary.html', 'zh/secretary.html', 'zh/index.html', 'zh/translations.html', 'parallel/secretary.html', 'zh/secretary.parallel.html']) {
    const page = await open(context, file, PHONE);
    const h = await page.locator('.site-header').evaluate((el) => el.getBoundingClientRect().height);
    check(h < 70, `${file}: the phone header is ${h.toFixed(0)} px high (more than one row)`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    check(wide <= PHONE.width, `${file}: the page is ${wide} px wide at ${PHONE.width} px`);
    await page.close();
  }
  const page = await open(context, 'en/secretary.html', PHONE);
  const input = page.locator('#rb\\:search');
  const toggle = page.locator('.search-toggle');
  if (check((await toggle.count()) === 1 && (await toggle.isVisible()), 'phone: no visible search button')) {
    await toggle.click();
    await frames(page);
    check(await input.evaluate((el) => el === document.activeElement), 'phone: the search button does not focus the search field');
    const box = await input.boundingBox();
    check(box && box.width > 200, `phone: the opened search field is ${box && box.width} px wide`);
    await input.fill('secretary');
    await page.waitForSelector('#rb\\:search-results a', { timeout: 5000 }).catch(() => {});
    await page.screenshot({ path: path.join(shots, 'phone-search-open-en.png') });
    check(await page.locator('#rb\\:search-results a').first().isVisible(), 'phone: search results are not visible');
    await page.keyboard.press('Escape');
    await page.locator('body').click({ position: { x: 200, y: 400 } });
  }
  // Keyboard: "/" opens it too, and Tab reaches every header control.
  await page.keyboard.press('/');
  await frames(page);
  const box = await input.boundingBox();
  check(box && box.width > 200, `phone: after "/", the search field is ${box && box.width} px wide`);
  await page.keyboard.press('Escape');
  await page.close();
}

async function copy(context) {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  for (const [lang, file] of [['en', 'en/assistant.html'], ['zh', 'zh/assistant.html'], ['en', 'parallel/assistant.html']]) {
    const page = await open(context, file, WIDE);
    const pres = page.locator('.role-body pre');
    const n = await pres.count();
    if (!check(n >= 1, `${file}: no code block (the test copy should have one)`)) { await page.close(); continue; }
    const buttons = page.locator('.role-body .code-copy');
    check((await buttons.count()) === n, `${file}: ${await buttons.count()} copy buttons for ${n} code blocks`);
    if ((await buttons.count()) === 0) { await page.close(); continue; }
    const button = buttons.first();
    check((await button.textContent()).trim() === WORDS[lang].copy, `${file}: the copy button says ${JSON.stringify(await button.textContent())}`);
    const code = (await pres.first().evaluate((el) => el.textContent)).replace(/\n$/, '');
    await page.evaluate(() => navigator.clipboard.writeText('before'));
    await button.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(([b, word]) => b.textContent.trim() !== word, [await button.elementHandle(), WORDS[lang].copy]).catch(() => {});
    check((await button.textContent()).trim() === WORDS[lang].copied, `${file}: after copying the button says ${JSON.stringify(await button.textContent())}`);
    const copied = (await page.evaluate(() => navigator.clipboard.readText())).replace(/\n$/, '');
    check(copied === code, `${file}: the clipboard holds ${JSON.stringify(copied.slice(0, 60))}, expected ${JSON.stringify(code.slice(0, 60))}`);
    await page.close();
  }
}

async function anchors(context) {
  for (const [lang, file] of [['en', 'en/secretary.html'], ['zh', 'zh/secretary.html'], ['zh', 'zh/secretary.parallel.html'], ['en', 'parallel/secretary.html']]) {
    const page = await open(context, file, WIDE);
    const found = await page.$$eval('.role-body :is(h1,h2,h3,h4,h5,h6)[id]', (hs) => hs.map((h) => {
      const a = h.querySelector('a.heading-anchor');
      return { id: h.id, href: a && a.getAttribute('href'), label: a && a.getAttribute('aria-label'), text: h.textContent };
    }));
    check(found.length >= 3, `${file}: only ${found.length} headings with ids`);
    for (const f of found) {
      check(f.href === `#${encodeURIComponent(f.id)}` || f.href === `#${f.id}`, `${file}: #${f.id} has anchor ${JSON.stringify(f.href)}`);
      // The side-by-side view speaks the language of the page it was opened from.
      check(f.label === WORDS[lang].anchor, `${file}: #${f.id}'s anchor is labelled ${JSON.stringify(f.label)}`);
      // The "#" is drawn, not written: the heading's text is its own.
      check(!/#\s*$/.test(f.text), `${file}: #${f.id}'s text became ${JSON.stringify(f.text)}`);
    }
    if (found.length) {
      const a = page.locator('.role-body a.heading-anchor').first();
      if ((await a.count()) === 1) {
        await a.focus();
        const opacity = await a.evaluate((el) => Number(getComputedStyle(el).opacity));
        check(opacity > 0.5, `${file}: the focused anchor link is not visible (opacity ${opacity})`);
      }
    }
    await page.close();
  }
}

async function bottom(context) {
  const page = await open(context, 'en/secretary.html', WIDE);
  const last = await page.$$eval('.toc a[href^="#"]', (as) => as.length && as[as.length - 1].getAttribute('href'));
  if (!last) fail('en/secretary.html has no table of contents');
  await page.locator(`.toc a[href="${last}"]`).click();
  await frames(page, 3);
  const id = decodeURIComponent(last.slice(1));
  const top = await page.evaluate((i) => document.getElementById(i).getBoundingClientRect().top, id);
  console.log(`after following ${last}: its heading is at ${top.toFixed(0)} px (the page cannot scroll further)`);
  check(top > 120, `${last} reached the top of the page (${top}); the page is not short enough to test this`);
  const href = await page.locator('nav.language-switch a[hreflang=zh]').getAttribute('href');
  check(href.endsWith(last), `after following ${last} the language switch links ${href}`);
  await page.locator('nav.language-switch a[hreflang=zh]').click();
  await page.waitForLoadState('load');
  check(page.url().endsWith(`zh/secretary.html${last}`), `the switch led to ${page.url()}`);
  // And back: the Chinese page, loaded with the hash, keeps it too.
  await frames(page, 3);
  const back = await page.locator('nav.language-switch a[hreflang=en]').getAttribute('href');
  check(back.endsWith(last), `zh/secretary.html${last}: the switch back links ${back}`);
  await page.close();
}

async function contrast(context) {
  const sel = 'td.status, .notice, .notice a, .role-summary, .breadcrumbs, .site-footer, .status-legend *, small';
  for (const file of ['zh/translations.html', 'en/translations.html', 'zh/assistant.html', 'zh/procurement-assistant.html', 'parallel/secretary.html']) {
    const page = await open(context, file, WIDE, 'dark');
    check(isDark(await pageBg(page)), `${file}: dark system, auto: not dark`);
    for (const c of await colours(page, sel)) {
      const r = contrastOf(c.color, c.bg);
      check(r >= 4.5, `${file}: "${c.text}" is ${c.color} on ${c.bg}: ${r.toFixed(2)}:1`);
    }
    await page.close();
  }
}

async function overview(context) {
  for (const lang of ['en', 'zh']) {
    const page = await open(context, `${lang}/translations.html`, PHONE);
    const legend = (await page.locator('.status-legend').textContent().catch(() => '')) || '';
    for (const w of WORDS[lang].status) check(legend.includes(w), `${lang}: the legend does not use the word ${w}`);
    const first = await page.$$eval('table.translations tbody tr', (rows) => rows.map((r) => r.querySelector('td')?.textContent.trim()));
    const original = await page.locator('table.translations tbody tr td').first().textContent();
    // The word itself waits for an interface word (status_original); until
    // then the cell is marked as the original's and shows the ok word.
    const originalCells = await page.locator('table.translations tbody tr td:first-of-type.status-original').count();
    check(originalCells >= 1, `${lang}: no cell of the default language's column is marked status-original`);
    if (WORDS[lang].status.includes(original.trim())) console.log(`NOTE ${lang}: the default language's column says ${original.trim()}: add ui.status_original`);
    check(new Set(first).size >= 1, 'no rows');
    // Status words on one line, role titles on at most three: nothing
    // squeezed into a column of single characters.
    const tall = await page.$$eval('table.translations :is(td.status, th[scope=row] a)', (els) => els.filter((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      return lines > (el.matches('td') ? 1 : 3);
    }).map((el) => el.textContent.trim()));
    check(tall.length === 0, `${lang}: squeezed cells on a phone: ${JSON.stringify(tall.slice(0, 5))}`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    check(wide <= PHONE.width, `${lang}: the overview page is ${wide} px wide (the table should scroll in its own box)`);
    await page.close();
  }
}

async function print(context) {
  for (const file of ['zh/assistant.html', 'zh/procurement-assistant.html', 'parallel/secretary.html']) {
    const page = await open(context, file, WIDE, 'dark');
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    for (const c of await colours(page, '.notice, .role-summary, .role-body p, h1, td.status')) {
      check(!isDark(c.bg) && contrastOf(c.color, c.bg) >= 7, `${file} printed in dark mode: "${c.text}" is ${c.color} on ${c.bg}`);
    }
    const swap = page.locator('.parallel-swap, .code-copy, .theme-switch, .heading-anchor');
    for (let i = 0; i < (await swap.count()); i++) {
      check(!(await swap.nth(i).isVisible()), `${file}: ${await swap.nth(i).getAttribute('class')} is printed`);
    }
    await page.close();
  }
}

async function screenshots(context) {
  const views = [
    ['role', (l) => `${l}/secretary.html`],
    ['code-stale', (l) => `${l}/assistant.html`],
    ['fallback', () => 'zh/procurement-assistant.html'],
    ['translations', (l) => `${l}/translations.html`],
    ['parallel', (l) => (l === 'en' ? 'parallel/assistant.html' : `${l}/assistant.parallel.html`)],
    ['parallel-missing', (l) => (l === 'en' ? 'parallel/procurement-assistant.html' : `${l}/procurement-assistant.parallel.html`)],
    ['home', (l) => `${l}/index.html`],
  ];
  for (const [name, file] of views) {
    for (const lang of ['en', 'zh']) {
      if (name === 'fallback' && lang === 'en') continue;
      for (const scheme of ['light', 'dark']) {
        for (const [size, viewport] of [['desktop', WIDE], ['phone', PHONE]]) {
          const page = await open(context, file(lang), viewport, scheme);
          const shot = `${name}-${lang}-${scheme}-${size}.png`;
          if (name === 'role') {
            // Show a heading's anchor link as a reader hovering it would.
            const h = page.locator('.role-body h2[id]').first();
            await h.scrollIntoViewIfNeeded();
            await h.hover();
          }
          await page.screenshot({ path: path.join(shots, shot) });
          await page.close();
        }
      }
    }
  }
  // The skip link, focused.
  const page = await open(context, 'zh/secretary.html', PHONE, 'dark');
  await page.keyboard.press('Tab');
  await page.screenshot({ path: path.join(shots, 'skip-link-zh-dark-phone.png') });
  await page.close();
}

main('ui.mjs', 110_000, async (context) => {
  for (const [name, fn] of Object.entries({ theme, skip, phone, copy, anchors, bottom, contrast, overview, print, screenshots })) {
    await runStep(name, () => fn(context));
  }
});
