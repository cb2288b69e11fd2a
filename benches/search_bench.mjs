// Search budgets in a real browser: how long the index takes to load (script
// parse + the lowercased copies search.js makes once) and to answer queries.
// Usage: node benches/search_bench.mjs <built site folder>
// (needs tests/browser's playwright-core and /usr/bin/chromium)
import { chromium } from "../tests/browser/node_modules/playwright-core/index.mjs";
import { statSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const site = resolve(process.argv[2] || "public");
const queries = ["行政助理", "考勤", "attendance", "secretary", "office director", "duty", "zzqqxx"];

function htmlBytes(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += htmlBytes(p);
    else if (e.name.endsWith(".html")) total += statSync(p).size;
  }
  return total;
}

const indexPath = join(site, "static/search-index.js");
const index = readFileSync(indexPath);
const html = htmlBytes(site);
const gz = gzipSync(index, { level: 6 }).length;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
const page = await browser.newPage();
await page.goto("file://" + join(site, "en/index.html"));
const loads = [];
const perQuery = {};
for (let run = 0; run < 5; run++) {
  await page.reload();
  const load = await page.evaluate(() => new Promise((done) => {
    const t0 = performance.now();
    const s = document.createElement("script");
    s.src = "../static/search-index.js";
    s.onload = () => {
      RolebookSearch.search(window.ROLEBOOK_SEARCH, "warm", "en", 20); // builds the lowercased copies
      done(performance.now() - t0);
    };
    document.head.appendChild(s);
  }));
  loads.push(load);
  for (const q of queries) {
    const ms = await page.evaluate((q) => {
      const t0 = performance.now();
      const r = RolebookSearch.search(window.ROLEBOOK_SEARCH, q, "en", 20);
      for (const x of r.slice(0, 8)) RolebookSearch.snippet(x.doc[4], x.lower, RolebookSearch.tokenize(q));
      return performance.now() - t0;
    }, q);
    (perQuery[q] ||= []).push(ms);
  }
}
await browser.close();
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const mb = (n) => (n / 1048576).toFixed(1) + " MiB";
console.log(`HTML ${mb(html)}; index ${mb(index.length)} (${((100 * index.length) / html).toFixed(1)}% of HTML), gzip ${mb(gz)} (${((100 * gz) / html).toFixed(1)}%)`);
console.log(`index load + prepare: median ${median(loads).toFixed(0)} ms, max ${Math.max(...loads).toFixed(0)} ms (5 runs)`);
for (const q of queries) {
  console.log(`query ${JSON.stringify(q)}: median ${median(perQuery[q]).toFixed(1)} ms, max ${Math.max(...perQuery[q]).toFixed(1)} ms`);
}
