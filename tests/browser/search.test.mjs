// Unit tests of search.js (tokeniser, ranking, snippets) and the proof that
// the index finds what a plain scan of the text finds, run with node's test
// runner by tests/it/search.rs. ROLEBOOK_SEARCH_SITES names built sites
// (folders, separated by the path delimiter): each is searched through its
// index and by the plain scan, and the sections found must be the same.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";

const require = createRequire(import.meta.url);
const S = require("../../themes/default/static/search.js");

test("normalize folds width and spaces", () => {
  assert.equal(S.normalize("  ＡＴＴＥＮＤＡＮＣＥ\t考勤　报表 "), "attendance 考勤 报表");
});

test("stems share the prefix of inflected forms", () => {
  assert.equal(S.stem("duty"), S.stem("duties"));
  assert.equal(S.stem("meeting"), S.stem("meetings"));
  assert.equal(S.stem("file"), "fil");
  assert.equal(S.stem("hr"), "hr");
});

test("tokenize splits Latin words and CJK runs, CJK into pairs", () => {
  const terms = S.tokenize("Office 行政助理 duties");
  assert.deepEqual(terms.map((t) => t.kind), ["word", "cjk", "word"]);
  assert.deepEqual(terms[1].bigrams, ["行政", "政助", "助理"]);
  assert.deepEqual(terms[1].parts, ["行政", "助理"]);
  assert.deepEqual(S.tokenize("考勤表")[0].parts, ["考勤", "勤表"]);
  assert.deepEqual(S.tokenize("考").map((t) => t.bigrams), [["考"]]);
  assert.deepEqual(S.tokenize("  ,. "), []);
  // The shard keys: stems, CJK pairs.
  assert.deepEqual(S.keys(S.tokenize("Duties 行政助理")), ["dut", "行政", "政助", "助理"]);
});

// ---- a hand-made index, to rank ------------------------------------------

const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
function num(n) {
  let out = "";
  for (;;) {
    const low = n % 32;
    n = Math.floor(n / 32);
    if (n === 0) return out + DIGITS[low];
    out += DIGITS[low + 32];
  }
}
// src/search/postings.rs's lists: titles [pages], headings/bodies {page: [sections]}.
function lists(title = [], heading = {}, body = {}) {
  const pages = (ps) => { let last = 0; return ps.map((p) => { const d = num(p - last); last = p; return d; }).join(""); };
  const secs = (m) => {
    let last = 0, out = "";
    for (const p of Object.keys(m).map(Number).sort((a, b) => a - b)) {
      out += num(p - last); last = p;
      const top = Math.max(...m[p]);
      for (let at = 0; at <= top; at += 5) {
        let d = 0;
        for (let b = 0; b < 5; b++) if (m[p].includes(at + b)) d |= 1 << b;
        out += DIGITS[at + 5 <= top ? d | 32 : d];
      }
    }
    return out;
  };
  return [pages(title), secs(heading), secs(body)];
}

// Pages: role r in language l is page 2r + l (en 0, zh 1).
const HAND = {
  t0: {
    secretar: { secretary: lists([0, 1]), secretaries: lists([], {}, { 2: [1] }) },
    meet: { meeting: lists([], { 4: [1] }, { 2: [0] }), meetings: lists([], { 6: [1] }, { 6: [1] }) },
    会议: { 会议: lists([], {}, { 1: [0], 3: [0] }) },
  },
  d0: { id: "secretary", titles: ["Secretary", "秘书"], sections: [[["", "", "Keeps files."]], [["", "", "整理文件，筹备会议。"]]] },
  d1: { id: "clerk", titles: ["Clerk", "文员"], sections: [[["", "", "Plans a meeting."], ["help", "Help", "Helps secretaries."]], [["", "", "会议记录。"]]] },
  d2: { id: "chair", titles: ["Chair", "主席"], sections: [[["", "", "Chairs."], ["meeting", "Meeting", "Runs it."]], null] },
  d3: { id: "host", titles: ["Host", "主持"], sections: [[["", "", "Hosts."], ["m", "Meetings", "Runs meetings."]], null] },
};

function run(engine, query, lang) {
  return new Promise((resolve) => engine.search(query, lang, 20, (results) => resolve(results)));
}

function engineOf(parts) {
  const e = S.engine((name, done) => done());
  e.add("entry", { langs: ["en", "zh"], page: "{lang}/{id}.html", part: "static/search/{name}.js", shards: [""], parts });
  return e;
}

test("title ranks over heading, heading over body; exact over stemmed", async () => {
  const e = engineOf(HAND);
  // secretary: title of role 0; body (stemmed) of role 1.
  assert.deepEqual((await run(e, "secretary", "en")).map((r) => r.part.id), ["secretary", "clerk"]);
  // meeting: heading exact (chair) > heading stemmed (host) > body exact (clerk).
  assert.deepEqual((await run(e, "meeting", "en")).map((r) => r.part.id), ["chair", "host", "clerk"]);
});

test("the reader's language first, each result with the other title", async () => {
  const e = engineOf(HAND);
  const en = await run(e, "secretary", "en");
  const zh = await run(e, "secretary", "zh");
  assert.equal(en[0].lang, 0);
  assert.equal(zh[0].lang, 1);
  assert.deepEqual(zh[0].part.titles, ["Secretary", "秘书"]);
  // Chinese in an English reader's search: found in the Chinese pages.
  assert.deepEqual((await run(e, "会议", "en")).map((r) => [r.part.id, r.lang]), [["secretary", 1], ["clerk", 1]]);
});


// ---- snippets ---------------------------------------------------------------

test("snippets keep Chinese punctuation and mark the match", () => {
  const html = S.snippet("整理文件，筹备会议：按时；完成。", S.tokenize("会议"));
  assert.equal(html, "整理文件，筹备<mark>会议</mark>：按时；完成。");
  assert.equal(S.snippet("Use <b> & keep DUTIES", S.tokenize("duty")), "Use &lt;b&gt; &amp; keep <mark>DUTIES</mark>");
});

test("snippets are cut at word boundaries in English", () => {
  const text = "Alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu attendance records are kept here by the office manager every single week without exception";
  const html = S.snippet(text, S.tokenize("attendance"), 60);
  const plain = html.replace(/<\/?mark>/g, "");
  assert.match(html, /<mark>attendance<\/mark>/);
  assert.ok(plain.startsWith("…") && plain.endsWith("…"), plain);
  const inner = plain.slice(1, -1).trim();
  for (const word of inner.split(" ")) assert.ok(text.split(" ").includes(word), `"${word}" is cut: ${plain}`);
});

// ---- the index finds what a plain scan finds -------------------------------

/** An engine reading a built site's index files from disk. */
function siteEngine(dir) {
  const e = S.engine((name, done) => {
    const rel = name === "entry" ? "static/search-index.js" : e.parts.entry.part.replace("{name}", name);
    const file = path.join(dir, rel);
    if (fs.existsSync(file)) {
      const context = { window: {}, RolebookSearch: { add: (n, d) => e.add(n, d) } };
      vm.runInNewContext(fs.readFileSync(file, "utf8"), context);
      if (name === "entry") e.add("entry", context.window.ROLEBOOK_SEARCH);
    }
    done();
  });
  return e;
}

/** Every page of a site: {page number: {titles, sections}}, from the role parts. */
function pageParts(dir, e) {
  e.need(["entry"], () => {});
  const entry = e.parts.entry;
  const names = entry.parts
    ? Object.keys(entry.parts).filter((n) => n.startsWith("d"))
    : fs.readdirSync(path.join(dir, path.dirname(entry.part))).filter((f) => /^d\d+\.js$/.test(f)).map((f) => f.slice(0, -3));
  e.need(names, () => {});
  const n = entry.langs.length, pages = {};
  for (const name of names) {
    const role = Number(name.slice(1)), part = e.parts[name];
    part.sections.forEach((sections, lang) => { if (sections) pages[role * n + lang] = { titles: part.titles, sections }; });
  }
  return pages;
}

/** The plain way: every section's fields scanned for every term. */
function scan(pages, query) {
  const terms = S.tokenize(query);
  const found = [];
  for (const [page, part] of Object.entries(pages)) {
    const title = S.normalize(part.titles.join(" ")).toLowerCase();
    part.sections.forEach(([, heading, text], s) => {
      const fields = [title, S.normalize(heading).toLowerCase(), S.normalize(text).toLowerCase()];
      const words = fields.flatMap((f) => f.match(/[a-z0-9]+/g) || []);
      const ok = terms.every((t) => t.kind === "word"
        ? words.some((w) => S.stem(w) === t.stem)
        : t.parts.every((p) => fields.some((f) => f.includes(p))));
      if (ok) found.push(`${page}:${s}`);
    });
  }
  return found.sort();
}

function throughIndex(e, pages, query) {
  const found = [];
  for (const m of e.match(S.tokenize(query))) {
    const secs = m.all ? pages[m.page].sections.map((_, s) => s) : Object.keys(m.sections).map(Number);
    for (const s of secs) found.push(`${m.page}:${s}`);
  }
  return found.sort();
}

const QUERIES = [
  "duty", "duties", "attendance records", "meeting", "Meetings", "files", "confidential", "branch", "hangzhou",
  "quarter weekly", "ＡＴＴＥＮＤＡＮＣＥ", "secretary", "zzqqxx", "a", "2",
  "考勤", "行政助理", "会议纪要", "印章", "考", "分公司", "档案管理员", "成都分公司行政部",
  "budget 预算", "seal 印章", "secretary 秘书", "考勤 records",
];

const sites = (process.env.ROLEBOOK_SEARCH_SITES || "").split(path.delimiter).filter(Boolean);
for (const dir of sites) {
  test(`the index finds what a plain scan finds: ${path.basename(dir)}`, () => {
    const e = siteEngine(dir);
    const pages = pageParts(dir, e);
    assert.ok(Object.keys(pages).length > 0, `${dir}: no role parts`);
    let nonEmpty = 0;
    for (const query of QUERIES) {
      const terms = S.tokenize(query);
      e.need(S.keys(terms).map((k) => shardName(e, k)), () => {});
      const expected = scan(pages, query);
      if (expected.length) nonEmpty++;
      assert.deepEqual(throughIndex(e, pages, query), expected, `"${query}" in ${dir}`);
    }
    assert.ok(nonEmpty >= 10, `only ${nonEmpty} queries found anything in ${dir}`);
  });
}

function shardName(e, key) {
  const shards = e.parts.entry.shards;
  let n = 0;
  while (n + 1 < shards.length && shards[n + 1] <= key) n++;
  return `t${n}`;
}

test("the sites to compare were given", { skip: !process.env.ROLEBOOK_SEARCH_REQUIRE_SITES }, () => {
  assert.ok(sites.length >= 2, `ROLEBOOK_SEARCH_SITES: ${process.env.ROLEBOOK_SEARCH_SITES}`);
});
