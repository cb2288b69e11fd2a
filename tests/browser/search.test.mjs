// Unit tests of the search tokeniser and ranking (themes/default/static/search.js),
// run with node's test runner by tests/it/search.rs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const S = require("../../themes/default/static/search.js");

test("normalize folds width, case and spaces like src/search.rs fold()", () => {
  assert.equal(S.normalize("  ＡＴＴＥＮＤＡＮＣＥ\t考勤　报表 "), "attendance 考勤 报表");
});

test("stems share the prefix of inflected forms", () => {
  assert.equal(S.stem("duty"), S.stem("duties"));
  assert.equal(S.stem("meeting"), S.stem("meetings"));
  assert.equal(S.stem("file"), "fil");
  assert.equal(S.stem("hr"), "hr");
});

test("tokenize splits Latin words and CJK runs, CJK into bigrams", () => {
  const terms = S.tokenize("Office 行政助理 duties");
  assert.deepEqual(terms.map((t) => t.kind), ["word", "cjk", "word"]);
  assert.deepEqual(terms[1].bigrams, ["行政", "政助", "助理"]);
  assert.deepEqual(terms[1].parts, ["行政", "助理"]);
  assert.deepEqual(S.tokenize("考勤表")[0].parts, ["考勤", "勤表"]);
  assert.deepEqual(S.tokenize("考").map((t) => t.bigrams), [["考"]]);
  assert.deepEqual(S.tokenize("  ,. "), []);
});

test("find matches English forms at word starts only", () => {
  const duty = S.tokenize("duty")[0];
  assert.ok(S.find("the duties of", duty) >= 0);
  assert.equal(S.find("reduty", duty), -1);
  assert.equal(S.find("dutch", duty), -1);
});

const index = {
  langs: ["en", "zh"],
  roles: ["secretary", "assistant", "admin"],
  titles: [["Secretary", "秘书"], ["Assistant", "文员助理"], ["Administrative Assistant", "行政助理"]],
  docs: [
    [0, 0, "duties", "Duties", "Keeps files and prepares meetings for the director."],
    [0, 1, "duties", "主要职责", "整理文件，筹备会议。"],
    [1, 0, "duties", "Duties", "Files papers and helps the secretary with meetings."],
    [2, 0, "duties", "Duties", "Keeps staff attendance records."],
    [2, 1, "duties", "主要职责", "负责员工考勤，管理行政事务和助理工作。"],
    [1, 1, "duties", "职责", "协助行政工作，做好助理的本职。"],
  ],
};

test("title matches rank above body matches", () => {
  const ids = S.search(index, "secretary", "en").map((r) => index.roles[r.doc[0]]);
  assert.deepEqual(ids, ["secretary", "assistant"]);
});

test("the exact phrase ranks above scattered characters", () => {
  const ids = S.search(index, "行政助理", "zh").map((r) => index.roles[r.doc[0]]);
  assert.equal(ids[0], "admin");
  // 文员助理's body has 行政 and 助理 apart: found, but ranked lower.
  assert.ok(ids.includes("assistant"));
});

test("a word only in a body is found, in either language", () => {
  assert.deepEqual(S.search(index, "考勤", "en").map((r) => index.roles[r.doc[0]]), ["admin"]);
  assert.deepEqual(S.search(index, "attendance", "zh").map((r) => index.roles[r.doc[0]]), ["admin"]);
  assert.deepEqual(S.search(index, "nothing-like-this", "en"), []);
});

test("snippet marks the match and escapes HTML", () => {
  const html = S.snippet("Use <b> & keep DUTIES", "use <b> & keep duties", S.tokenize("duty"));
  assert.equal(html, "Use &lt;b&gt; &amp; keep <mark>DUTIES</mark>");
});
