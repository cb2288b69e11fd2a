// The print books of a built site, opened from disk (file://).
//
//   node tests/browser/print.mjs <site-url> <out-dir>
//
// For en/print.html, zh/print.html and parallel/print.html:
//
// * every role the language's home page lists is in the book (its title
//   heads a .print-role; in the bilingual book, in both columns), in the
//   home page's order, and each starts on a new page when printed;
// * no navigation chrome (header, sidebar, search, pager, scripts);
// * every in-document link (href="#...") has its target;
// * printed with the system in dark mode, the text is black on white;
// * no console errors and no request leaving the site;
// * page.pdf() writes <out-dir>/<lang>.pdf (A4, page numbers from
//   print.css), and screenshots
//   <out-dir>/<lang>-{light,dark,print-dark}.png at 1366x900.
//
// The home pages link to their print books. Driven by tests/it/e2e.rs, which
// runs pdffonts on zh.pdf and pdftotext for the page numbers.

import path from 'node:path';
import fs from 'node:fs';
import { check, fail, main, newPage, runStep } from './harness.mjs';

const [siteArg, outDir] = process.argv.slice(2);
if (!siteArg || !outDir) {
  console.error('usage: node print.mjs <site-url> <out-dir>');
  process.exit(2);
}
const site = new URL(siteArg.endsWith('/') ? siteArg : `${siteArg}/`);
if (site.protocol !== 'file:') {
  console.error(`print.mjs: want a file:// URL, got ${siteArg}`);
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });
const inside = (url) => String(url).startsWith(site.href);
const VIEWPORT = { width: 1366, height: 900 };

/** The role titles of a home page, in order, and its print links. */
async function homeRoles(page, lang) {
  await page.goto(new URL(`${lang}/index.html`, site).href, { waitUntil: 'load' });
  return page.evaluate(() => ({
    titles: [...document.querySelectorAll('.departments .role-link')].map((a) => a.textContent.trim()),
    prints: [...document.querySelectorAll('a.print-link')].map((a) => a.href),
  }));
}

/** What a print book shows, read in the page. */
function readBook(page) {
  return page.evaluate(() => {
    const roles = [...document.querySelectorAll('article.print-role')].map((r) => ({
      id: r.id,
      titles: [...r.querySelectorAll('.print-role-head h1')].map((h) => h.textContent.trim()),
    }));
    const broken = [...document.querySelectorAll('a[href^="#"]')]
      .map((a) => a.getAttribute('href').slice(1))
      .filter((id) => !document.getElementById(decodeURIComponent(id)));
    const chrome = ['.site-header', '.sidebar', 'form.search', '.pager', '.language-switch', 'script']
      .filter((sel) => document.querySelector(sel));
    return { roles, broken, chrome, links: document.querySelectorAll('a[href^="#"]').length };
  });
}

/** Computed print styles, with the page emulating print media. */
function printStyles(page) {
  return page.evaluate(() => {
    const style = (el) => el && getComputedStyle(el);
    const body = style(document.body);
    const first = style(document.querySelector('article.print-role'));
    const text = style(document.querySelector('.role-body p'));
    return {
      body: [body.color, body.backgroundColor],
      text: text && text.color,
      breakBefore: first && first.breakBefore,
    };
  });
}

async function book(context, name, file, homes) {
  // A page closed right after its PDF may cut its icon's request short
  // (net::ERR_ABORTED): not a missing file. Every other failure still counts.
  const page = await newPage(context, inside, { allowAborted: true });
  await page.setViewportSize(VIEWPORT);
  const url = new URL(file, site).href;
  await runStep(`${file}: every role, links, no chrome`, async () => {
    await page.goto(url, { waitUntil: 'load' });
    const { roles, broken, chrome, links } = await readBook(page);
    check(chrome.length === 0, `navigation chrome in the book: ${chrome.join(', ')}`);
    check(broken.length === 0, `in-document links without a target: ${broken.slice(0, 10).join(', ')}`);
    check(links > roles.length, `only ${links} in-document links for ${roles.length} roles`);
    homes.forEach((home, column) => {
      const printed = roles.map((r) => r.titles[column]);
      check(
        JSON.stringify(printed) === JSON.stringify(home.titles),
        `column ${column}: roles ${JSON.stringify(printed)}, the home page lists ${JSON.stringify(home.titles)}`,
      );
    });
    console.log(`${file}: ${roles.length} roles, ${links} in-document links`);
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ media: 'screen', colorScheme: scheme });
      await page.screenshot({ path: path.join(outDir, `${name}-${scheme}.png`) });
    }
  });
  await runStep(`${file}: printed in dark mode is dark on white`, async () => {
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    const styles = await printStyles(page);
    check(styles.body[0] === 'rgb(0, 0, 0)', `printed body text is ${styles.body[0]}`);
    check(['rgb(255, 255, 255)', 'rgba(0, 0, 0, 0)'].includes(styles.body[1]), `printed body background is ${styles.body[1]}`);
    check(styles.text === 'rgb(0, 0, 0)', `printed role text is ${styles.text}`);
    check(styles.breakBefore === 'page', `a role starts with break-before: ${styles.breakBefore}`);
    await page.evaluate(() => document.querySelector('article.print-role').scrollIntoView());
    await page.screenshot({ path: path.join(outDir, `${name}-print-dark.png`) });
    const pdf = path.join(outDir, `${name}.pdf`);
    // Page numbers come from print.css (`@page { @bottom-center }`), which
    // this Chromium supports; no displayHeaderFooter, as a reader's print
    // dialog has "Headers and footers" off by default.
    await page.pdf({ path: pdf, printBackground: true, preferCSSPageSize: true });
    const size = fs.statSync(pdf).size;
    check(size > 10_000, `${pdf} is only ${size} bytes`);
    console.log(`${pdf}: ${size} bytes`);
  });
  await page.close();
}

await main('print.mjs', 120_000, async (context) => {
  const home = await newPage(context, inside, { allowAborted: true });
  const homes = {};
  await runStep('home pages list the roles and link the print books', async () => {
    for (const lang of ['en', 'zh']) {
      homes[lang] = await homeRoles(home, lang);
      if (homes[lang].titles.length === 0) fail(`${lang}/index.html lists no .role-link`);
      const want = [new URL(`${lang}/print.html`, site).href, new URL('parallel/print.html', site).href];
      check(JSON.stringify(homes[lang].prints) === JSON.stringify(want), `${lang}/index.html print links: ${homes[lang].prints}`);
    }
  });
  if (!homes.en || !homes.zh) return;
  await book(context, 'en', 'en/print.html', [homes.en]);
  await book(context, 'zh', 'zh/print.html', [homes.zh]);
  await book(context, 'parallel', 'parallel/print.html', [homes.en, homes.zh]);
});
