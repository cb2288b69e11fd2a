// Finding one's way on role pages of a built site, opened from disk (file://).
//
//   node tests/browser/nav.mjs <site-url> <screenshots-dir>
//
// sidebar   en/secretary.html at 1366x900: the sidebar (a <nav> with a
//           label) lists every English role of the home page, the current one
//           marked aria-current="page"; zh/secretary.html the same in Chinese.
// drawer    at 390x844 the sidebar is hidden until the menu button opens it
//           as a drawer; Escape closes it.
// pager     previous / next links with rel=prev / rel=next at the end of the
//           page; the right arrow key follows "next", but not while typing in
//           the search box.
// toc       the table of contents nests h3 entries under their h2, sits beside
//           the text at 1366 px and stays in view; scrolling marks the section
//           being read.
//
// Driven by tests/it/e2e.rs (e2e::role_pages_have_a_sidebar_pager_and_toc).

import path from 'node:path';
import { check, fail, main, newPage, runStep } from './harness.mjs';

const [siteArg, shots] = process.argv.slice(2);
if (!siteArg || !shots) {
  console.error('usage: node nav.mjs <site-url> <screenshots-dir>');
  process.exit(2);
}
const site = new URL(siteArg.endsWith('/') ? siteArg : `${siteArg}/`);
const inside = (url) => String(url).startsWith(site.href);
const WIDE = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

async function open(context, file, viewport) {
  const page = await newPage(context, inside);
  await page.setViewportSize(viewport);
  await page.goto(new URL(file, site).href);
  return page;
}

/** Role titles listed on a language's home page, in order. */
async function homeRoles(context, lang) {
  const page = await open(context, `${lang}/index.html`, WIDE);
  const titles = await page.locator('.role-list .role-link').allTextContents();
  await page.close();
  return titles.map((t) => t.trim());
}

async function sidebar(context) {
  for (const lang of ['en', 'zh']) {
    const expected = await homeRoles(context, lang);
    if (expected.length < 5) fail(`${lang}: the home page lists ${expected.length} roles`);
    const page = await open(context, `${lang}/secretary.html`, WIDE);
    const nav = page.locator('nav.sidebar');
    check((await nav.getAttribute('aria-label'))?.length > 0, `${lang}: the sidebar has no label`);
    const listed = (await nav.locator('li a').allTextContents()).map((t) => t.trim());
    check(JSON.stringify(listed) === JSON.stringify(expected),
      `${lang}: sidebar lists ${JSON.stringify(listed)}, home page ${JSON.stringify(expected)}`);
    const current = nav.locator('a[aria-current="page"]');
    check((await current.count()) === 1, `${lang}: ${await current.count()} current entries in the sidebar`);
    check((await current.getAttribute('href')) === 'secretary.html', `${lang}: the current entry links ${await current.getAttribute('href')}`);
    check(await current.isVisible(), `${lang}: the current role is not visible in the sidebar`);
    await page.screenshot({ path: path.join(shots, `nav-sidebar-${lang}.png`) });
    await page.close();
  }
}

async function drawer(context) {
  const page = await open(context, 'zh/secretary.html', PHONE);
  const nav = page.locator('nav.sidebar');
  check(!(await nav.isVisible()), 'phone: the sidebar shows before the menu button is pressed');
  const button = page.locator('.sidebar-toggle');
  check(await button.isVisible(), 'phone: no visible menu button');
  await button.click();
  check(await nav.isVisible(), 'phone: the menu button did not open the sidebar');
  check((await button.getAttribute('aria-expanded')) === 'true', 'phone: aria-expanded is not true when open');
  await page.screenshot({ path: path.join(shots, 'nav-drawer-zh.png') });
  await page.keyboard.press('Escape');
  check(!(await nav.isVisible()), 'phone: Escape did not close the drawer');
  await page.close();
}

async function pager(context) {
  const page = await open(context, 'en/secretary.html', WIDE);
  const prev = page.locator('.pager a[rel="prev"]');
  const next = page.locator('.pager a[rel="next"]');
  check((await prev.count()) === 1 && (await next.count()) === 1, 'no rel=prev / rel=next pair at the end of the page');
  const sidebarLinks = (await page.locator('nav.sidebar li a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))));
  const at = sidebarLinks.indexOf('secretary.html');
  check((await prev.getAttribute('href')) === sidebarLinks[at - 1], `prev is ${await prev.getAttribute('href')}, sidebar says ${sidebarLinks[at - 1]}`);
  check((await next.getAttribute('href')) === sidebarLinks[at + 1], `next is ${await next.getAttribute('href')}, sidebar says ${sidebarLinks[at + 1]}`);
  await page.locator('[id="rb:search"]').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(200);
  check(page.url().endsWith('/en/secretary.html'), `the arrow key moved the page while typing: ${page.url()}`);
  await page.locator('h1').click();
  await Promise.all([page.waitForNavigation(), page.keyboard.press('ArrowRight')]);
  check(page.url().endsWith(`/en/${sidebarLinks[at + 1]}`), `ArrowRight led to ${page.url()}`);
  await page.close();
}

async function toc(context) {
  const page = await open(context, 'en/office-director.html', WIDE);
  const nested = await page.locator('nav.toc ol ol a').count();
  const h3 = await page.locator('.role-body h3[id]').count();
  check(h3 === 0 || nested > 0, `the page has ${h3} h3 headings but the contents have no nested entries`);
  const box = await page.locator('nav.toc').boundingBox();
  const text = await page.locator('.role-body').boundingBox();
  check(box && text && box.x > text.x + text.width - 1, 'the contents are not beside the text at 1366 px');
  const last = page.locator('nav.toc a').last();
  const id = decodeURIComponent((await last.getAttribute('href')).slice(1));
  await page.evaluate((id) => document.getElementById(id).scrollIntoView(), id);
  await page.waitForTimeout(300);
  check(await page.locator('nav.toc').isVisible(), 'the contents scrolled out of view');
  const marked = await page.locator('nav.toc a[aria-current="true"]').allTextContents();
  check(marked.length === 1, `after scrolling to #${id}, ${marked.length} entries are marked`);
  await page.screenshot({ path: path.join(shots, 'nav-toc-en.png') });
  await page.close();
}

await main('nav.mjs', 90_000, async (context) => {
  await runStep('sidebar', () => sidebar(context));
  await runStep('drawer', () => drawer(context));
  await runStep('pager', () => pager(context));
  await runStep('toc', () => toc(context));
});
