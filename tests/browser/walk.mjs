// End-to-end walk through a built rolebook site in headless Chromium.
//
//   node tests/browser/walk.mjs <start-url> <screenshot-dir>
//
// <start-url> is either the published folder over http
// (e.g. http://127.0.0.1:8080/handbook/) or the language chooser on disk
// (file:///path/to/site/index.html).
//
// The walk: language chooser -> English home -> a role page -> one cross-link
// in the role body -> language switch to Chinese -> side-by-side view ->
// missing page (http: a real 404 from the server; file://: 404.html loaded
// directly).  On every page it fails on console errors, page errors, failed
// requests, responses >= 400, requests leaving the site, and relative links
// (a[href], [src], link[href]) whose target or #fragment does not exist.
//
// Every problem is printed on its own line ("PROBLEM <page>: ..."); the exit
// status is 1 if there was any, 0 otherwise.  Driven by tests/it/e2e.rs.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { CHROMIUM, CHROMIUM_ARGS } from './harness.mjs';
const OVERALL_TIMEOUT_MS = 240_000;

const [startArg, shotArg] = process.argv.slice(2);
if (!startArg || !shotArg) {
  console.error('usage: node walk.mjs <start-url> <screenshot-dir>');
  process.exit(2);
}

// ---------------------------------------------------------------- the site --

const start = new URL(startArg);
const mode = start.protocol === 'file:' ? 'file' : start.protocol.startsWith('http') ? 'http' : null;
if (!mode) {
  console.error(`walk: unsupported start URL ${startArg} (want http://, https:// or file://)`);
  process.exit(2);
}
// The site root URL, always ending in '/': .../handbook/ or file:///.../site/
const base = new URL('.', start); // drops the file name, query and fragment
const siteDir = mode === 'file' ? fileURLToPath(base) : null;
const shotDir = path.resolve(shotArg);
fs.mkdirSync(shotDir, { recursive: true });

/** Is `url` (string or URL) inside the site? */
function insideSite(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (mode === 'http') {
    return u.origin === base.origin && u.pathname.startsWith(base.pathname);
  }
  if (u.protocol !== 'file:') return false;
  let p;
  try {
    p = fileURLToPath(u);
  } catch {
    return false;
  }
  const rel = path.relative(siteDir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Short, readable name of a URL relative to the site root. */
function show(url) {
  const s = String(url);
  return s.startsWith(base.href) ? s.slice(base.href.length) || './' : s;
}

function stripHash(url) {
  const u = new URL(url);
  u.hash = '';
  return u.href;
}

// ---------------------------------------------------------------- problems --

const problems = [];
let current = '(start)'; // the page the walk is on / navigating to, for blame
let intentional404 = null; // URL of the deliberate missing-page request
const visited = [];
let linksChecked = 0;

function problem(page, msg) {
  const line = `PROBLEM ${page}: ${msg}`;
  problems.push(line);
  console.log(line);
}

class StepFailed extends Error {}

function fail(msg) {
  problem(current, msg);
  throw new StepFailed(msg);
}

// ----------------------------------------------------------- link checking --

const targetCache = new Map(); // url without fragment -> Promise<{ok, why, ids}>

function idsOf(html) {
  const ids = new Set();
  const re = /\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
  let m;
  while ((m = re.exec(html))) ids.add(decodeEntities(m[1] ?? m[2] ?? m[3]));
  return ids;
}

function decodeEntities(s) {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(parseInt(d, 10)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function isHtmlPath(p) {
  return /\.html?$/i.test(p) || p.endsWith('/');
}

async function loadTarget(page, url) {
  if (mode === 'http') {
    let res;
    try {
      res = await page.request.get(url, { maxRedirects: 5, timeout: 15_000 });
    } catch (e) {
      return { ok: false, why: `request failed: ${e.message.split('\n')[0]}` };
    }
    if (res.status() !== 200) return { ok: false, why: `HTTP ${res.status()}` };
    if (!insideSite(res.url())) return { ok: false, why: `redirects outside the site to ${res.url()}` };
    const type = res.headers()['content-type'] || '';
    const ids = type.includes('html') ? idsOf(await res.text()) : null;
    return { ok: true, ids };
  }
  const u = new URL(url);
  u.search = '';
  let p;
  try {
    p = fileURLToPath(u);
  } catch (e) {
    return { ok: false, why: `not a local path (${e.message})` };
  }
  if (!fs.existsSync(p)) return { ok: false, why: `no such file ${p}` };
  if (fs.statSync(p).isDirectory()) {
    return { ok: false, why: `is a directory (over file:// there is no index.html fallback): ${p}` };
  }
  const ids = isHtmlPath(p) ? idsOf(fs.readFileSync(p, 'utf8')) : null;
  return { ok: true, ids };
}

async function checkLinks(page) {
  const pageUrl = page.url();
  const refs = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('a[href], link[href], [src]')) {
      const attr = el.hasAttribute('src') ? 'src' : 'href';
      out.push({ tag: el.tagName.toLowerCase(), attr, value: el.getAttribute(attr), rel: el.getAttribute('rel') || '' });
    }
    return out;
  });
  for (const { tag, attr, value, rel } of refs) {
    const raw = value.trim();
    const what = `<${tag} ${attr}="${raw}">`;
    const absolute = /^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('//');
    // Resources the browser would load (or connect to) from elsewhere; plain
    // links to other sites (<a href="https://...">) are fine.
    const fetched = attr === 'src' || (tag === 'link' && /\b(stylesheet|icon|preload|modulepreload|prefetch|preconnect|dns-prefetch|manifest)\b/i.test(rel));
    if (absolute && fetched && /^(https?:)?\/\//i.test(raw) && !insideSite(new URL(raw, pageUrl))) {
      problem(show(pageUrl), `external resource ${what}: the site must not load anything from elsewhere`);
      continue;
    }
    // Only relative references are checked: no scheme ("https:", "mailto:",
    // "data:") and not protocol-relative ("//host").  Root-relative ("/x") is
    // checked too: it breaks under a sub-path and over file://.
    if (raw === '' || absolute) continue;
    linksChecked++;
    let target;
    try {
      target = new URL(raw, pageUrl);
    } catch {
      problem(show(pageUrl), `broken link ${what}: not a valid URL`);
      continue;
    }
    if (!insideSite(target)) {
      problem(show(pageUrl), `broken link ${what}: resolves to ${target.href}, outside the site ${base.href}`);
      continue;
    }
    const doc = stripHash(target);
    if (!targetCache.has(doc)) targetCache.set(doc, loadTarget(page, doc));
    const t = await targetCache.get(doc);
    if (!t.ok) {
      problem(show(pageUrl), `broken link ${what} -> ${show(doc)}: ${t.why}`);
      continue;
    }
    if (target.hash.length > 1) {
      let frag = target.hash.slice(1);
      try {
        frag = decodeURIComponent(frag);
      } catch {
        /* keep it raw */
      }
      if (!t.ids) {
        problem(show(pageUrl), `broken link ${what}: has a #fragment but ${show(doc)} is not HTML`);
      } else if (!t.ids.has(frag)) {
        problem(show(pageUrl), `broken link ${what}: ${show(doc)} has no element with id="${frag}"`);
      }
    }
  }
}

// --------------------------------------------------------------- the walk --

/** A request the 404 page makes to find the site's root (see templates/404.html). */
function isProbe(url) {
  return insideSite(url) && /\?rolebook-probe$/.test(url);
}

function attach(page) {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location();
    // Chromium logs "Failed to load resource: ... 404" for the deliberate
    // missing page itself; that one is the point of the test.
    if (intentional404 && loc.url === intentional404 && /status of 404/.test(msg.text())) return;
    // The 404 page looks for the site's root with marked HEAD requests; the
    // wrong guesses answer 404 by design.
    if (loc.url && isProbe(loc.url) && /status of 404/.test(msg.text())) return;
    if (loc.url && /\/favicon\.ico$/.test(loc.url) && !insideSite(loc.url)) {
      // Chromium fetches /favicon.ico by itself (no 'request' event) when a
      // page declares no icon; under a sub-path that is outside the site.
      problem(
        current,
        `request outside the site: GET ${loc.url} (${msg.text()}) -- the browser's default favicon; ` +
          'the pages should declare <link rel="icon" href="...">',
      );
      return;
    }
    problem(current, `console error: ${msg.text()}${loc.url ? ` (at ${show(loc.url)}:${loc.lineNumber})` : ''}`);
  });
  page.on('pageerror', (err) => problem(current, `page error: ${err.message}`));
  page.on('request', (req) => {
    const url = req.url();
    if (/^(data|blob|about):/.test(url)) return;
    if (!insideSite(url)) problem(current, `request outside the site: ${req.method()} ${url}`);
  });
  page.on('requestfailed', (req) => {
    const url = req.url();
    if (/^(data|blob|about):/.test(url)) return;
    if (isProbe(url)) return; // a HEAD probe cut short by leaving the page
    problem(current, `request failed: ${show(url)} (${req.failure()?.errorText ?? 'unknown error'})`);
  });
  page.on('response', (res) => {
    if (res.status() < 400) return;
    if (intentional404 && res.url() === intentional404 && res.status() === 404 && res.request().isNavigationRequest()) return;
    if (isProbe(res.url()) && res.status() === 404) return;
    problem(current, `HTTP ${res.status()} for ${show(res.url())}`);
  });
}

/** Let late requests (fonts, images, scripts) happen before judging a page. */
async function settle(page) {
  await page.waitForLoadState('load');
  try {
    await page.waitForLoadState('networkidle', { timeout: 5_000 });
  } catch {
    /* a page that never goes idle is judged as it is */
  }
}

/** Bookkeeping for a page the walk has arrived at. */
async function arrived(page, label) {
  await settle(page);
  current = show(page.url());
  visited.push(`${current} (${label})`);
  await checkLinks(page);
}

async function goto(page, url, label) {
  current = show(url);
  console.log(`visit ${current} (${label})`);
  const res = await page.goto(url, { waitUntil: 'load' });
  await arrived(page, label);
  return res;
}

/** Click the first matching element and wait for the page it links to. */
async function follow(page, locator, description) {
  if ((await locator.count()) === 0) fail(`no ${description} on this page`);
  const el = locator.first();
  const href = await el.getAttribute('href');
  if (!href) fail(`${description} has no href`);
  const dest = new URL(href, page.url());
  current = show(stripHash(dest));
  console.log(`visit ${current} (${description})`);
  // A navigation that fails (e.g. a missing file over file://) never reaches
  // the expected URL; stop waiting as soon as that is known.
  let onFailed;
  const failed = new Promise((resolve) => {
    onFailed = (req) => {
      if (req.isNavigationRequest() && req.frame() === page.mainFrame()) resolve(req);
    };
    page.on('requestfailed', onFailed);
  });
  try {
    await el.click();
    const reached = page
      .waitForURL((u) => stripHash(u) === stripHash(dest), { waitUntil: 'load' })
      .then(() => null);
    const failure = await Promise.race([reached, failed]);
    if (failure) {
      reached.catch(() => {});
      fail(`following ${description} (href="${href}") did not load ${show(failure.url())}`);
    }
  } finally {
    page.off('requestfailed', onFailed);
  }
  await arrived(page, description);
  return dest;
}

async function htmlLang(page) {
  return page.evaluate(() => document.documentElement.getAttribute('lang'));
}

function roleId(url) {
  const m = new URL(url).pathname.match(/([^/]+)\.html$/);
  return m ? decodeURIComponent(m[1]) : null;
}

async function shot(page, name) {
  const file = path.join(shotDir, name);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot ${file}`);
}

async function walk(page) {
  // 1. Language chooser.
  await goto(page, start.href, 'start');
  if ((await page.locator('a.language-choice').count()) === 0) fail('no a.language-choice on the language chooser');
  for (const lang of ['en', 'zh']) {
    if ((await page.locator(`a.language-choice[hreflang=${lang}]`).count()) === 0) {
      problem(current, `no a.language-choice[hreflang=${lang}] on the language chooser`);
    }
  }

  // 2. English home.
  await follow(page, page.locator('a.language-choice[hreflang=en]'), 'a.language-choice[hreflang=en]');
  const lang = await htmlLang(page);
  if (!lang || !lang.toLowerCase().startsWith('en')) problem(current, `<html lang="${lang}"> on the English home, expected en`);

  // 3. A role page: secretary.html if the home links it, else the first role.
  const roles = page.locator('a.role-link');
  if ((await roles.count()) === 0) fail('no a.role-link on the English home');
  const secretary = page.locator('a.role-link[href="secretary.html"]');
  if ((await secretary.count()) > 0) {
    await follow(page, secretary, 'a.role-link[href="secretary.html"]');
  } else {
    await follow(page, roles, 'a.role-link (first)');
  }
  if ((await page.locator('.role-body').count()) === 0) fail('no .role-body on the role page');

  // 4. One cross-link inside the role body (a relative link to another page),
  //    preferring a plain "x.html" over "x.html#section".
  const plain = page.locator('.role-body a[href$=".html"]:not([href^="http"])');
  const withFragment = page.locator('.role-body a[href*=".html#"]:not([href^="http"])');
  if ((await plain.count()) === 0 && (await withFragment.count()) === 0) {
    fail('no cross-link in .role-body (a relative a[href] to some "x.html" or "x.html#section")');
  }
  if ((await plain.count()) > 0) {
    await follow(page, plain, '.role-body a[href$=".html"] (cross-link)');
  } else {
    await follow(page, withFragment, '.role-body a[href*=".html#"] (cross-link)');
  }
  const id = roleId(page.url());
  if (!id) fail(`cannot tell the role id from ${page.url()}`);
  if ((await page.locator('.role-body').count()) === 0) {
    problem(current, 'the cross-link does not lead to a role page (no .role-body)');
  }
  await shot(page, 'role-en.png');

  // 5. Language switch to Chinese: same role, <html lang="zh-CN">.
  await follow(page, page.locator('nav.language-switch a[hreflang=zh]'), 'nav.language-switch a[hreflang=zh]');
  const zhLang = await htmlLang(page);
  if (zhLang !== 'zh-CN') problem(current, `<html lang="${zhLang}"> after the language switch, expected zh-CN`);
  if (roleId(page.url()) !== id) problem(current, `language switch changed the role: ${id} -> ${roleId(page.url())}`);
  await shot(page, 'role-zh.png');

  // 6. Side-by-side view, opened from the Chinese page: in Chinese words.
  await follow(page, page.locator('a.parallel-link'), 'a.parallel-link');
  const pp = decodeURIComponent(new URL(page.url()).pathname);
  if (!pp.endsWith(`/zh/${id}.parallel.html`)) {
    problem(current, `a.parallel-link landed on ${show(page.url())}, expected zh/${id}.parallel.html`);
  }
  if ((await page.locator('.parallel').count()) === 0) problem(current, 'no .parallel element on the side-by-side view');
  const ppLang = await htmlLang(page);
  if (ppLang !== 'zh-CN') problem(current, `<html lang="${ppLang}"> on the side-by-side view opened from a Chinese page, expected zh-CN`);
  const pill = page.locator('nav.language-switch a[aria-current=page]');
  if ((await pill.count()) !== 1 || (await pill.getAttribute('hreflang')) !== 'zh') {
    problem(current, 'the Chinese pill is not the current one on the Chinese side-by-side view');
  }
  await shot(page, 'parallel.png');
}

async function notFound(page) {
  if (mode !== 'http') {
    await goto(page, new URL('404.html', base).href, '404.html');
    if ((await page.locator('main.not-found').count()) === 0) problem(current, 'the not-found page has no main.not-found');
    return;
  }
  // Missing addresses at every depth, under parallel/ and outside any folder
  // of the site: the 404 page must lead home, in each language, from each.
  for (const where of ['en/does-not-exist.html', 'a/b/c/missing.html', 'parallel/nope.html', 'nowhere']) {
    const missing = new URL(where, base).href;
    intentional404 = missing;
    const res = await goto(page, missing, `missing page ${where}`);
    if (!res) { fail(`no response for the missing page ${where}`); continue; }
    if (res.status() !== 404) problem(current, `missing page answered HTTP ${res.status()}, expected 404`);
    if ((await page.locator('main.not-found').count()) === 0) problem(current, 'the not-found page has no main.not-found');
    const sections = await page.locator('.not-found-language').count();
    if (sections < 2) problem(current, `the not-found page speaks ${sections} language(s), expected every language`);
    const home = new URL('en/index.html', base).href;
    const link = page.locator('a.home-link[hreflang="en"]');
    try {
      await page.waitForFunction((want) => document.querySelector('a.home-link[hreflang="en"]').href === want, home, { timeout: 5000 });
    } catch (e) {
      problem(current, `from ${where} the English home link is ${await link.getAttribute('href')} -> ${await link.evaluate((a) => a.href)}, expected ${home}`);
      continue;
    }
    if (where === 'a/b/c/missing.html') await shot(page, '404-deep.png');
    const back = await Promise.all([page.waitForNavigation(), link.click()]);
    if (!back[0] || back[0].status() !== 200) problem(current, `the home link from ${where} did not lead to a page`);
  }
  intentional404 = null;
}

async function main() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolebook-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
      timezoneId: 'UTC',
      timeout: 60_000,
    });
    context.setDefaultTimeout(15_000);
    context.setDefaultNavigationTimeout(30_000);
    const page = context.pages()[0] ?? (await context.newPage());
    attach(page);
    for (const part of [walk, notFound]) {
      try {
        await part(page);
      } catch (e) {
        if (!(e instanceof StepFailed)) problem(current, `walk aborted: ${e.message.split('\n')[0]}`);
      }
    }
    // Give late failures a moment to be reported against the last page.
    await page.waitForTimeout(200);
  } finally {
    if (context) await context.close().catch(() => {});
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

const watchdog = setTimeout(() => {
  console.log(`PROBLEM ${current}: walk timed out after ${OVERALL_TIMEOUT_MS / 1000}s`);
  process.exit(1);
}, OVERALL_TIMEOUT_MS);

try {
  await main();
} catch (e) {
  problem(current, `walk crashed: ${e.stack || e}`);
}
clearTimeout(watchdog);

if (problems.length > 0) {
  console.log(`FAILED: ${problems.length} problem(s) on ${visited.length} page(s) visited from ${start.href}`);
  process.exit(1);
}
console.log(
  `OK: ${visited.length} pages visited, ${linksChecked} links checked (${targetCache.size} distinct targets), no problems (${start.href})`,
);
