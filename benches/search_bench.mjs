// Search budgets in a real browser, from file:// (issue 19): for each query,
// on a fresh page (nothing of the index loaded: cold), the time from the last
// keystroke to the results shown (search.js waits 40 ms for more typing,
// included), and the bytes of index files the page requested (their size on
// disk); then a second query on the same page (bytes loaded on top). Also
// the index's size against the HTML's.
//
// Usage: node benches/search_bench.mjs <built site folder> [runs]
// (needs tests/browser's playwright-core and /usr/bin/chromium; the
// 10,000-role site: ../shared/bench/gen_corpus.py --roles 10000 --seed 1)
import { chromium } from "../tests/browser/node_modules/playwright-core/index.mjs";
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const site = resolve(process.argv[2] || "public");
const runs = Number(process.argv[3] || 5);
// [first query, second query]: two English words, four Chinese characters,
// then the other way round, then cross-language.
const PAIRS = [
  ["attendance records", "行政助理"],
  ["档案管理", "meeting minutes"],
  ["seal keeper", "考勤记录"],
  ["budget 预算", "reception visitors"],
];

function sizes(dir, test) {
  let total = 0, count = 0, max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const s = sizes(p, test);
      total += s.total; count += s.count; max = Math.max(max, s.max);
    } else if (test(p)) {
      const n = statSync(p).size;
      total += n; count++; max = Math.max(max, n);
    }
  }
  return { total, count, max };
}

const html = sizes(site, (p) => p.endsWith(".html"));
const entry = statSync(join(site, "static/search-index.js")).size;
const terms = sizes(join(site, "static/search"), (p) => /\/t\d+\.js$/.test(p));
const pages = sizes(join(site, "static/search"), (p) => /\/d\d+\.js$/.test(p));
const index = entry + terms.total + pages.total;
const mb = (n) => (n / 1048576).toFixed(1) + " MiB";
const kb = (n) => (n / 1000).toFixed(0) + " kB";
console.log(`HTML ${mb(html.total)} in ${html.count} files; index ${mb(index)} (${((100 * index) / html.total).toFixed(1)}% of HTML)`);
console.log(`  entry ${kb(entry)}; ${terms.count} term parts, ${mb(terms.total)}, largest ${kb(terms.max)}; ${pages.count} role parts, ${mb(pages.total)}, largest ${kb(pages.max)}`);

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});

// Milliseconds from the query's last keystroke (an input event) to its
// results in the box (search.js replaces the box's content when they come).
async function timed(page, query) {
  return page.evaluate((q) => new Promise((done, fail) => {
    const input = document.getElementById("rb:search");
    const box = document.getElementById("rb:search-results");
    const t0 = performance.now();
    new MutationObserver((_, obs) => { obs.disconnect(); done(performance.now() - t0); })
      .observe(box, { childList: true });
    setTimeout(() => fail(new Error(`"${q}": no results after 10 s`)), 10_000);
    input.value = q;
    input.dispatchEvent(new Event("input"));
  }), query);
}

const rows = [];
for (const [first, second] of PAIRS) {
  const row = { first, second, ms1: [], ms2: [], kb1: 0, kb2: 0, results: "" };
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const loaded = [];
    page.on("request", (r) => { if (/\/static\/(search-index\.js|search\/)/.test(r.url())) loaded.push(r.url()); });
    await page.goto("file://" + join(site, "en/index.html"), { waitUntil: "load" });
    const bytes = (urls) => urls.reduce((s, u) => s + statSync(fileURLToPath(u)).size, 0);
    row.ms1.push(await timed(page, first));
    const after1 = loaded.length;
    row.kb1 = Math.max(row.kb1, bytes(loaded));
    row.ms2.push(await timed(page, second));
    row.kb2 = Math.max(row.kb2, bytes(loaded.slice(after1)));
    row.results = await page.evaluate(() => document.getElementById("rb:search-status").textContent);
    await context.close();
  }
  rows.push(row);
}
await browser.close();
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const r of rows) {
  console.log(`cold "${r.first}": median ${median(r.ms1).toFixed(0)} ms, max ${Math.max(...r.ms1).toFixed(0)} ms, ${kb(r.kb1)} loaded`);
  console.log(`  then "${r.second}": median ${median(r.ms2).toFixed(0)} ms, max ${Math.max(...r.ms2).toFixed(0)} ms, ${kb(r.kb2)} more (${r.results})`);
}
