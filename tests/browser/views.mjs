// Parallel-language views of a built site, opened from disk (file://).
//
//   node tests/browser/views.mjs <site-url> <part>...
//
// <site-url> is the site folder as a file:// URL ending in "/". Parts:
//
//   parallel  parallel/secretary.html: at 1280x900 the first headings of the
//             two cells of every row are level (within 4 px); at 375x800 the
//             two cells of a row stack; .parallel-swap puts the right column
//             on the left.
//   switch    en/secretary.html scrolled so that #duties is at the top of the
//             viewport: the language switch to Chinese lands on
//             zh/secretary.html#duties with that heading near the top.
//   fallback  zh/assistant.html of a site built without content/zh/assistant.md
//             shows .translation-notice and the English text (lang="en").
//
// Driven by tests/it/e2e.rs.

import { DESKTOP, PHONE, check, fail, frames, main, newPage, runStep } from './harness.mjs';

const [siteArg, ...parts] = process.argv.slice(2);
if (!siteArg || parts.length === 0) {
  console.error('usage: node views.mjs <site-url> parallel|switch|fallback...');
  process.exit(2);
}
const site = new URL(siteArg.endsWith('/') ? siteArg : `${siteArg}/`);
if (site.protocol !== 'file:') {
  console.error(`views.mjs: want a file:// URL, got ${siteArg}`);
  process.exit(2);
}
const inside = (url) => String(url).startsWith(site.href);

const LEVEL_TOLERANCE = 4;
const SECTION = 'duties';

// ----------------------------------------------------------------- parallel --

/** Geometry of every non-header row: both cells and their first h2/h3. */
function rowGeometry(page) {
  return page.evaluate(() => {
    const box = (el) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, text: el.textContent.trim().slice(0, 40) };
    };
    return [...document.querySelectorAll('.parallel-row:not(.parallel-header)')].map((row, i) => {
      const left = row.querySelector('[data-side=left]');
      const right = row.querySelector('[data-side=right]');
      return {
        i,
        left: box(left),
        right: box(right),
        leftHeading: box(left && left.querySelector('h2, h3')),
        rightHeading: box(right && right.querySelector('h2, h3')),
      };
    });
  });
}

async function parallel(context) {
  const page = await newPage(context, inside);
  const url = new URL('parallel/secretary.html', site).href;

  await runStep('side by side at 1280x900: headings level', async () => {
    await page.setViewportSize(DESKTOP);
    await page.goto(url, { waitUntil: 'load' });
    const rows = await rowGeometry(page);
    if (rows.length === 0) fail('no .parallel-row (other than .parallel-header) on parallel/secretary.html');
    if (rows.some((r) => !r.left || !r.right)) fail('a .parallel-row lacks a [data-side=left] or [data-side=right] cell');
    let paired = 0;
    for (const r of rows) {
      check(
        r.right.left >= r.left.right - 1,
        `row ${r.i}: at 1280px the cells are not side by side (left cell x ${r.left.left}-${r.left.right}, right cell x ${r.right.left}-${r.right.right})`,
      );
      if (!r.leftHeading || !r.rightHeading) continue;
      paired++;
      check(
        Math.abs(r.leftHeading.top - r.rightHeading.top) <= LEVEL_TOLERANCE,
        `row ${r.i}: headings not level: "${r.leftHeading.text}" at top ${r.leftHeading.top.toFixed(1)}, "${r.rightHeading.text}" at top ${r.rightHeading.top.toFixed(1)}`,
      );
    }
    check(paired >= 3, `only ${paired} of ${rows.length} rows have a heading in both cells; the sample secretary pairs all its sections`);
    console.log(`${rows.length} rows, ${paired} with headings in both cells`);
  });

  await runStep('side by side at 375x800: cells stack', async () => {
    await page.setViewportSize(PHONE);
    await frames(page);
    const rows = await rowGeometry(page);
    if (rows.length === 0) fail('no rows');
    for (const r of rows) {
      check(
        r.right.top >= r.left.bottom - 1,
        `row ${r.i}: at 375px the right cell (top ${r.right.top.toFixed(1)}) does not start below the left cell (bottom ${r.left.bottom.toFixed(1)})`,
      );
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 1, `at 375px the page is ${overflow}px wider than the viewport`);
  });

  await runStep('swap the columns', async () => {
    await page.setViewportSize(DESKTOP);
    await frames(page);
    const swap = page.locator('.parallel-swap');
    if ((await swap.count()) !== 1) fail(`expected one .parallel-swap, found ${await swap.count()}`);
    if (!(await swap.isVisible())) fail('.parallel-swap is not visible');
    const [before] = await rowGeometry(page);
    check(before.left.left < before.right.left, `before swapping, the left cell is not on the left (x ${before.left.left} vs ${before.right.left})`);
    await swap.click();
    await frames(page);
    const rows = await rowGeometry(page);
    for (const r of rows) {
      check(
        r.right.left < r.left.left,
        `row ${r.i}: after .parallel-swap the right cell (x ${r.right.left}) is not left of the left cell (x ${r.left.left})`,
      );
    }
    const header = await page.evaluate(() => {
      const h = document.querySelector('.parallel-header');
      if (!h) return null;
      return {
        left: h.querySelector('[data-side=left]').getBoundingClientRect().left,
        right: h.querySelector('[data-side=right]').getBoundingClientRect().left,
      };
    });
    if (header) check(header.right < header.left, `after .parallel-swap the column headers did not swap (left x ${header.left}, right x ${header.right})`);
    check((await swap.getAttribute('aria-pressed')) === 'true', `.parallel-swap has aria-pressed="${await swap.getAttribute('aria-pressed')}" after swapping`);
  });
}

// ------------------------------------------------------------------- switch --

async function languageSwitch(context) {
  const page = await newPage(context, inside);
  const enUrl = new URL('en/secretary.html', site).href;
  let hrefAtSection = null;

  /** Checks that the page is zh/secretary.html#SECTION with that heading near the top. */
  async function landedOnSection(how) {
    await frames(page);
    const landed = page.url();
    console.log(`${how}: landed on ${landed}`);
    check(landed.endsWith(`zh/secretary.html#${SECTION}`), `${how} led to ${landed}, expected …zh/secretary.html#${SECTION}`);
    const zh = page.locator(`.role-body #${SECTION}`);
    if ((await zh.count()) !== 1) fail(`zh/secretary.html has no .role-body #${SECTION}`);
    const zhTop = await zh.evaluate((el) => el.getBoundingClientRect().top);
    check(zhTop >= -2 && zhTop <= 120, `${how}: on zh/secretary.html, #${SECTION} is at top ${zhTop.toFixed(1)}, expected near the top of the viewport (0-120 px)`);
    check((await page.evaluate(() => document.documentElement.lang)) === 'zh-CN', 'zh/secretary.html is not lang="zh-CN"');
  }

  await runStep(`language switch from #${SECTION}`, async () => {
    await page.setViewportSize(DESKTOP);
    await page.goto(enUrl, { waitUntil: 'load' });
    const heading = page.locator(`.role-body #${SECTION}`);
    if ((await heading.count()) !== 1) fail(`en/secretary.html has no .role-body #${SECTION}`);
    await heading.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await frames(page);
    // The heading lands just below the sticky header (its scroll-margin-top).
    const top = await heading.evaluate((el) => el.getBoundingClientRect().top);
    const headerBottom = await page.evaluate(() => {
      const h = document.querySelector('.site-header');
      return h && getComputedStyle(h).position === 'sticky' ? h.getBoundingClientRect().bottom : 0;
    });
    if (top < -2 || top > headerBottom + 24) fail(`could not scroll #${SECTION} to the top of the viewport (its top is at ${top}, header bottom ${headerBottom})`);

    const link = page.locator('nav.language-switch a[hreflang=zh]');
    if ((await link.count()) !== 1) fail('no nav.language-switch a[hreflang=zh]');
    hrefAtSection = await link.getAttribute('href');
    console.log(`with #${SECTION} at the top, the switch links to ${hrefAtSection}`);
    check(
      hrefAtSection.endsWith(`#${SECTION}`),
      `with #${SECTION} at the top of the viewport, the language switch links to "${hrefAtSection}", not to #${SECTION}`,
    );

    // The reader now reaches for the switch. If it is out of view they scroll
    // to it first, which takes them longer than a frame; only then do they
    // click. (Playwright's click() alone would scroll and click within one
    // frame, before the page could react to the scroll.)
    const visibleAtSection = await link.evaluate((a) => {
      const r = a.getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight;
    });
    if (!visibleAtSection) {
      await link.scrollIntoViewIfNeeded();
      await frames(page, 3);
      await page.waitForTimeout(100);
    }
    const hrefAtClick = await link.getAttribute('href');
    const yAtClick = await page.evaluate(() => window.scrollY);
    console.log(`switch ${visibleAtSection ? 'in view at the section' : `out of view at the section; scrolled to it (scrollY ${yAtClick})`}, links to ${hrefAtClick}`);
    check(
      hrefAtClick.endsWith(`#${SECTION}`),
      `the language switch is ${visibleAtSection ? 'in view' : 'out of view (it is in the header, which does not stay on screen)'} ` +
        `while #${SECTION} is at the top of the viewport; ` +
        (visibleAtSection
          ? `it links to "${hrefAtClick}"`
          : `after scrolling up to it (scrollY ${yAtClick}) it links to "${hrefAtClick}": the section the reader was in is lost`),
    );
    await link.click();
    await page.waitForURL((u) => u.pathname.endsWith('/zh/secretary.html'), { waitUntil: 'load' });
    await landedOnSection('clicking the language switch');
  });

  await runStep(`the carried link itself lands on #${SECTION}`, async () => {
    if (!hrefAtSection || !hrefAtSection.endsWith(`#${SECTION}`)) fail(`no carried link to follow (the switch said "${hrefAtSection}")`);
    await page.goto(enUrl, { waitUntil: 'load' }); // a fresh document, not a jump within the last one
    await page.goto(new URL(hrefAtSection, enUrl).href, { waitUntil: 'load' });
    await landedOnSection(`opening ${hrefAtSection}`);
  });
}

// ----------------------------------------------------------------- fallback --

async function fallback(context) {
  const page = await newPage(context, inside);
  await runStep('missing translation falls back to English', async () => {
    await page.goto(new URL('zh/assistant.html', site).href, { waitUntil: 'load' });
    const notice = page.locator('.translation-notice');
    check((await notice.count()) >= 1 && (await notice.first().isVisible()), 'zh/assistant.html shows no visible .translation-notice');
    const article = page.locator('article');
    if ((await article.count()) !== 1) fail(`zh/assistant.html has ${await article.count()} <article> elements, expected 1`);
    const lang = await article.getAttribute('lang');
    check(lang === 'en', `the fallback article has lang="${lang}", expected "en" (the text shown is English)`);
    check((await page.evaluate(() => document.documentElement.lang)) === 'zh-CN', 'zh/assistant.html is not <html lang="zh-CN">');
    const noticeLang = await notice.first().getAttribute('lang');
    check(noticeLang === 'zh-CN', `.translation-notice has lang="${noticeLang}", expected the reader's language zh-CN`);
  });
}

const PARTS = { parallel, switch: languageSwitch, fallback };
for (const p of parts) {
  if (!PARTS[p]) {
    console.error(`views.mjs: unknown part ${p} (want ${Object.keys(PARTS).join(', ')})`);
    process.exit(2);
  }
}

await main('views.mjs', 60_000, async (context) => {
  for (const p of parts) await PARTS[p](context);
});
