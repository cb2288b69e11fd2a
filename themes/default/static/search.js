// rolebook search: finds roles in every language of the handbook, offline and
// from file://. The index (static/search-index.js) is loaded as a script the
// first time the reader uses the search box. English words match by stem at
// word starts (duty/duties); Chinese matches by substring, and long Chinese
// queries also by their character bigrams (scattered). Ranking: title above
// heading above body; the exact phrase above scattered words.
var RolebookSearch = (function () {
  "use strict";

  var CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;
  var SUFFIXES = ["", "s", "es", "ed", "ing", "ings", "ies", "y", "ied", "e", "er", "ers", "ly"];

  // fold() in src/search.rs, then lowercase.
  function normalize(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
      else if (c === 0x3000) out += " ";
      else out += text[i];
    }
    return out.replace(/\s+/g, " ").trim().toLowerCase();
  }

  // The part of an English word its inflected forms share: duties, duty -> dut.
  function stem(word) {
    if (word.length <= 3) return word;
    var endings = ["ings", "ies", "ied", "ing", "ers", "es", "ed", "er", "ly", "s", "y", "e"];
    for (var i = 0; i < endings.length; i++) {
      var e = endings[i];
      if (word.length - e.length >= 3 && word.slice(-e.length) === e) return word.slice(0, -e.length);
    }
    return word;
  }

  // Query -> terms: {kind: "word", stem} for Latin words, {kind: "cjk", text,
  // bigrams, parts} for runs of Chinese/Japanese/Korean characters. `parts`
  // cuts the run into two-character pieces (行政助理 -> 行政, 助理), which
  // must all occur for a scattered match; `bigrams` are for highlighting.
  function tokenize(query) {
    var terms = [];
    var words = normalize(query).match(/[a-z0-9]+|[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+/g) || [];
    for (var i = 0; i < words.length; i++) {
      var p = words[i];
      if (CJK.test(p[0])) {
        var bigrams = [];
        for (var j = 0; j + 1 < p.length; j++) bigrams.push(p.slice(j, j + 2));
        var pieces = [];
        for (var k = 0; k < p.length; k += 2) pieces.push(k + 1 < p.length || p.length === 1 ? p.slice(k, k + 2) : p.slice(-2));
        terms.push({ kind: "cjk", text: p, bigrams: bigrams.length ? bigrams : [p], parts: pieces });
      } else {
        terms.push({ kind: "word", text: p, stem: stem(p) });
      }
    }
    return terms;
  }

  function isWordChar(ch) {
    return !!ch && /[a-z0-9]/.test(ch);
  }

  // Position of the first form of `term` in normalised `text`, or -1.
  function find(text, term) {
    if (term.kind === "cjk") return text.indexOf(term.text);
    var from = 0;
    for (;;) {
      var at = text.indexOf(term.stem, from);
      if (at < 0) return -1;
      if (!isWordChar(text[at - 1])) {
        var end = at + term.stem.length;
        while (isWordChar(text[end])) end++;
        var rest = text.slice(at + term.stem.length, end);
        if (rest === "" || SUFFIXES.indexOf(rest) >= 0 || term.text === text.slice(at, end)) return at;
      }
      from = at + 1;
    }
  }

  // Whether `term` occurs in any of `fields`, scattered pieces allowed for
  // Chinese (no string is concatenated: this runs for every section).
  function occurs(fields, term) {
    for (var f = 0; f < fields.length; f++) if (find(fields[f], term) >= 0) return true;
    if (term.kind !== "cjk") return false;
    for (var i = 0; i < term.parts.length; i++) {
      var found = false;
      for (var g = 0; g < fields.length && !found; g++) found = fields[g].indexOf(term.parts[i]) >= 0;
      if (!found) return false;
    }
    return true;
  }

  // Lowercased copies of the index, made once.
  function prepare(index) {
    if (index.lower) return;
    index.lower = index.docs.map(function (d) { return d[4].toLowerCase(); });
    index.lowerHeadings = index.docs.map(function (d) { return d[3].toLowerCase(); });
    index.lowerTitles = index.titles.map(function (t) { return t.join(" ").toLowerCase(); });
  }

  function score(index, d, terms, phrase, lang) {
    var doc = index.docs[d];
    var title = index.lowerTitles[doc[0]];
    var heading = index.lowerHeadings[d];
    var text = index.lower[d];
    var fields = [text, heading, title];
    for (var i = 0; i < terms.length; i++) if (!occurs(fields, terms[i])) return 0;
    var s = 1;
    var inTitle = 0, inHeading = 0, exact = 0;
    for (var k = 0; k < terms.length; k++) {
      var t = find(title, terms[k]) >= 0, h = find(heading, terms[k]) >= 0;
      if (t) inTitle++;
      if (h) inHeading++;
      if (t || h || find(text, terms[k]) >= 0) exact++;
    }
    if (inTitle === terms.length) s += 100;
    else s += 20 * inTitle;
    if (title.indexOf(phrase) >= 0) s += 60;
    if (inHeading === terms.length) s += 30;
    if (text.indexOf(phrase) >= 0 || heading.indexOf(phrase) >= 0) s += 40;
    s += 5 * exact;
    if (index.langs[doc[1]] === lang) s += 3;
    return s;
  }

  // Best section per role, best roles first.
  function search(index, query, lang, limit) {
    var terms = tokenize(query);
    if (!terms.length) return [];
    prepare(index);
    var phrase = normalize(query);
    var best = {};
    for (var d = 0; d < index.docs.length; d++) {
      var doc = index.docs[d];
      var s = score(index, d, terms, phrase, lang);
      if (s > 0 && (!best[doc[0]] || s > best[doc[0]].score)) best[doc[0]] = { score: s, doc: doc, lower: index.lower[d] };
    }
    var results = [];
    for (var role in best) results.push(best[role]);
    results.sort(function (a, b) { return b.score - a.score || a.doc[0] - b.doc[0]; });
    return results.slice(0, limit || 20);
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // About 90 characters of `text` around the first match, matches wrapped in
  // <mark>; `lower` is text lowercased (matches are found there).
  function snippet(text, lower, terms) {
    if (lower.length !== text.length) text = lower;
    var at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) at = find(lower, terms[i]);
    if (at < 0 && terms.length && terms[0].kind === "cjk") at = lower.indexOf(terms[0].bigrams[0]);
    var start = Math.max(0, at - 30);
    var piece = text.slice(start, start + 90);
    var lowerPiece = lower.slice(start, start + 90);
    var marks = [];
    for (var t = 0; t < terms.length; t++) {
      var needles = terms[t].kind === "cjk" ? [terms[t].text].concat(terms[t].bigrams) : [terms[t].stem];
      for (var n = 0; n < needles.length; n++) {
        var from = 0, pos;
        while (needles[n] && (pos = lowerPiece.indexOf(needles[n], from)) >= 0) {
          var end = pos + needles[n].length;
          if (terms[t].kind === "word") while (isWordChar(lowerPiece[end])) end++;
          marks.push([pos, end]);
          from = end;
        }
      }
    }
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var html = "", last = 0;
    for (var m = 0; m < marks.length; m++) {
      if (marks[m][0] < last) continue;
      html += escapeHtml(piece.slice(last, marks[m][0])) + "<mark>" + escapeHtml(piece.slice(marks[m][0], marks[m][1])) + "</mark>";
      last = marks[m][1];
    }
    html += escapeHtml(piece.slice(last));
    return (start > 0 ? "…" : "") + html + (start + 90 < text.length ? "…" : "");
  }

  return { normalize: normalize, stem: stem, tokenize: tokenize, find: find, search: search, snippet: snippet, escapeHtml: escapeHtml };
})();

if (typeof module !== "undefined") module.exports = RolebookSearch;

(function () {
  "use strict";
  if (typeof document === "undefined") return;
  var input = document.getElementById("rb:search");
  var box = document.getElementById("rb:search-results");
  if (!input || !box) return;
  var form = input.form || input.parentNode;
  if (form) form.hidden = false;
  var root = input.getAttribute("data-root") || "";
  var lang = input.getAttribute("data-lang") || "";
  var loading = false;
  var active = -1;
  var timer = 0;

  function load(then) {
    if (window.ROLEBOOK_SEARCH) return then();
    if (loading) return;
    loading = true;
    var script = document.createElement("script");
    script.src = root + "static/search-index.js";
    script.onload = function () { loading = false; then(); };
    document.head.appendChild(script);
  }

  function close() {
    box.hidden = true;
    box.innerHTML = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
  }

  function show() {
    var query = input.value;
    if (!query.trim()) return close();
    load(function () {
      var index = window.ROLEBOOK_SEARCH;
      var results = RolebookSearch.search(index, query, lang, 20);
      var terms = RolebookSearch.tokenize(query);
      var langIndex = Math.max(0, index.langs.indexOf(lang));
      if (!results.length) {
        // The words come from book.toml: shown as text, never parsed as HTML.
        var empty = document.createElement("p");
        empty.className = "search-empty";
        empty.textContent = input.getAttribute("data-no-results") || "No results";
        box.appendChild(empty);
      } else {
        var html = "<ul>";
        for (var i = 0; i < results.length; i++) {
          var doc = results[i].doc;
          var id = index.roles[doc[0]];
          var sameLang = doc[1] === langIndex;
          var href = root + index.page.replace("{lang}", index.langs[langIndex]).replace("{id}", id) + (sameLang && doc[2] ? "#" + encodeURIComponent(doc[2]) : "");
          html += '<li><a class="search-result" id="rb:search-result-' + i + '" role="option" href="' + href + '">' +
            '<span class="search-title">' + RolebookSearch.escapeHtml(index.titles[doc[0]][langIndex]) + "</span>" +
            (doc[3] ? ' <span class="search-section">' + RolebookSearch.escapeHtml(doc[3]) + "</span>" : "") +
            '<span class="search-snippet" lang="' + index.langs[doc[1]] + '">' + RolebookSearch.snippet(doc[4], results[i].lower, terms) + "</span></a></li>";
        }
        box.innerHTML = html + "</ul>";
      }
      box.hidden = false;
      active = -1;
      input.setAttribute("aria-expanded", "true");
    });
  }

  function move(step) {
    var links = box.querySelectorAll("a.search-result");
    if (!links.length) return;
    active = (active + step + links.length) % links.length;
    for (var i = 0; i < links.length; i++) links[i].classList.toggle("active", i === active);
    input.setAttribute("aria-activedescendant", links[active].id);
    links[active].scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("focus", function () { load(function () {}); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(show, 60);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (e.key === "Enter") {
      var links = box.querySelectorAll("a.search-result");
      var target = links[active >= 0 ? active : 0];
      if (target) { e.preventDefault(); window.location.href = target.href; }
    } else if (e.key === "Escape") { input.value = ""; close(); input.blur(); }
  });
  if (form) form.addEventListener("submit", function (e) { e.preventDefault(); });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
    if (e.key === "/" && !typing) { e.preventDefault(); input.focus(); }
  });
  document.addEventListener("click", function (e) {
    if (!box.contains(e.target) && e.target !== input) close();
  });
})();
