// rolebook search: finds roles in every language of the handbook, offline and
// from file://. The index (src/search/) is scripts that register themselves:
// static/search-index.js (the entry: languages, where results lead, the first
// key of each term part; for a small handbook every part too), term parts
// static/search/t<n>.js and role parts static/search/d<n>.js. A query loads
// the entry, the term parts of its terms, then the role parts of the results
// it shows. English words match by stem (duty/duties); Chinese by the
// character pairs of the query (行政助理: 行政 and 助理). Ranking: title over
// heading over body, exact over stemmed (or scattered), the reader's
// language first.
var RolebookSearch = (function () {
  "use strict";

  var CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;
  var TOKENS = /[a-z0-9]+|[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+/g;
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var WEIGHT = [0, 1, 10, 100]; // none, body, heading, title

  // Folds full-width ASCII and lowercases, one UTF-16 unit for one (so that
  // positions in the folded text are positions in the text); fold_char in
  // src/search/text.rs.
  function foldAligned(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      var ch = c >= 0xff01 && c <= 0xff5e ? String.fromCharCode(c - 0xfee0) : c === 0x3000 ? " " : text[i];
      var lower = ch.toLowerCase();
      out += lower.length === 1 ? lower : ch;
    }
    return out;
  }

  function normalize(text) {
    return foldAligned(text).replace(/\s+/g, " ").trim();
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

  // Query -> terms: {kind: "word", text, stem} for Latin words, {kind: "cjk",
  // text, bigrams, parts} for runs of CJK characters. `parts` cuts the run
  // into two-character pieces (行政助理 -> 行政, 助理), which must all occur;
  // all `bigrams` occurring in one field make the match exact.
  function tokenize(query) {
    var terms = [];
    var words = normalize(query).toLowerCase().match(TOKENS) || [];
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

  // The shard keys a query needs: stems, and CJK pairs (or the character).
  function keys(terms) {
    var out = [];
    for (var i = 0; i < terms.length; i++) out = out.concat(terms[i].kind === "word" ? [terms[i].stem] : terms[i].bigrams);
    return out;
  }

  // Where a term occurs: {title: {page: 1}, heading: {page: {section: 1}}, body: same}.
  function emptyPlaces() { return { title: {}, heading: {}, body: {} }; }

  // Adds the encoded lists [title, heading, body] (src/search/postings.rs) to `places`.
  function decodeInto(places, lists) {
    var fields = [places.title, places.heading, places.body];
    for (var f = 0; f < 3; f++) {
      var text = lists[f] || "", at = 0, page = 0;
      while (at < text.length) {
        var n = 0, mul = 1, d;
        do { d = DIGITS.indexOf(text[at++]); n += (d & 31) * mul; mul *= 32; } while (d >= 32 && at < text.length);
        page += n;
        if (f === 0) { fields[0][page] = 1; continue; }
        var secs = fields[f][page] || (fields[f][page] = {}), base = 0;
        do {
          d = DIGITS.indexOf(text[at++]);
          for (var b = 0; b < 5; b++) if ((d >> b) & 1) secs[base + b] = 1;
          base += 5;
        } while (d >= 32 && at < text.length);
      }
    }
    return places;
  }

  // Best field of `places` at section `s` of page `p`: 3 title, 2 heading, 1 body, 0 none.
  function level(places, p, s) {
    if (places.title[p]) return 3;
    if (places.heading[p] && places.heading[p][s]) return 2;
    return places.body[p] && places.body[p][s] ? 1 : 0;
  }

  // The best field where every one of `list` occurs.
  function levelOfAll(list, p, s) {
    for (var l = 3; l > 0; l--) {
      var all = true;
      for (var i = 0; i < list.length && all; i++) {
        var pl = list[i];
        all = l === 3 ? !!pl.title[p] : l === 2 ? !!(pl.heading[p] && pl.heading[p][s]) : !!(pl.body[p] && pl.body[p][s]);
      }
      if (all) return l;
    }
    return 0;
  }

  function pagesOf(places, into) {
    for (var f in places) for (var p in places[f]) into[p] = 1;
    return into;
  }

  // One search engine over one index. `load(name, done)` must get the part
  // named `name` ("entry", "t3", "d12") registered with `add`, then call done.
  function engine(load) {
    var entry = null, parts = {}, waiting = {};

    function add(name, data) {
      parts[name] = data;
      if (name !== "entry" || !data) return;
      entry = data;
      for (var n in data.parts || {}) parts[n] = data.parts[n];
    }

    // Calls `done` once every part of `names` is here (or failed to load).
    function need(names, done) {
      var left = 0, finished = false;
      function one() { if (--left === 0 && !finished) { finished = true; done(); } }
      left = 1;
      for (var i = 0; i < names.length; i++) {
        var name = names[i];
        if (name in parts) continue;
        left++;
        if (waiting[name]) { waiting[name].push(one); continue; }
        waiting[name] = [one];
        load(name, (function (name) {
          return function () {
            if (!(name in parts)) parts[name] = null;
            var calls = waiting[name]; delete waiting[name];
            for (var c = 0; c < calls.length; c++) calls[c]();
          };
        })(name));
      }
      one();
    }

    function shardOf(key) {
      var shards = entry.shards, lo = 0, hi = shards.length;
      while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (shards[mid] <= key) lo = mid; else hi = mid; }
      return "t" + lo;
    }

    function group(key) {
      var shard = parts[shardOf(key)];
      // Own keys only: a query for "constructor" is not Object's.
      return shard && Object.prototype.hasOwnProperty.call(shard, key) ? shard[key] : {};
    }

    // Every form of `key`'s group (or just `form`) as places.
    function places(key, form) {
      var g = group(key), out = emptyPlaces();
      for (var f in g) if (form === undefined || f === form) decodeInto(out, g[f]);
      return out;
    }

    // How each term is found: {match: [places, all needed], exact: [places, all needed]}.
    function lookups(terms) {
      return terms.map(function (t) {
        if (t.kind === "word") return { match: [places(t.stem)], exact: [places(t.stem, t.text)] };
        return { match: t.parts.map(function (k) { return places(k, k); }), exact: t.bigrams.map(function (k) { return places(k, k); }) };
      });
    }

    // Matched sections: [{page, all (the whole page, by its title), sections:
    // {section: score}}], each term's score max(0.6 x its field, its exact field).
    function match(terms) {
      var found = lookups(terms), candidates = null;
      for (var i = 0; i < found.length; i++) {
        var pages = null;
        for (var j = 0; j < found[i].match.length; j++) {
          var these = pagesOf(found[i].match[j], {});
          if (pages) for (var p in pages) { if (!these[p]) delete pages[p]; } else pages = these;
        }
        if (candidates) for (var q in candidates) { if (!pages[q]) delete candidates[q]; } else candidates = pages;
      }
      var out = [];
      for (var page in candidates) {
        page = +page;
        var all = true, secs = { 0: 1 };
        for (var t = 0; t < found.length; t++) {
          for (var m = 0; m < found[t].match.length; m++) {
            var pl = found[t].match[m];
            if (!pl.title[page]) all = false;
            for (var s in pl.heading[page] || {}) secs[s] = 1;
            for (s in pl.body[page] || {}) secs[s] = 1;
          }
        }
        var scored = {}, any = false;
        for (s in secs) {
          var score = 0;
          for (t = 0; t < found.length && score >= 0; t++) {
            var lv = 3;
            for (m = 0; m < found[t].match.length; m++) lv = Math.min(lv, level(found[t].match[m], page, s));
            if (!lv) { score = -1; break; }
            score += Math.max(0.6 * WEIGHT[lv], WEIGHT[levelOfAll(found[t].exact, page, s)]);
          }
          if (score > 0) { scored[s] = score; any = true; }
        }
        if (any) out.push({ page: page, all: all, sections: scored });
      }
      return out;
    }

    // Best section per role, best roles first: [{page, role, lang, section, score}].
    function rank(matches, langIndex, limit) {
      var n = entry.langs.length, best = {};
      for (var i = 0; i < matches.length; i++) {
        var m = matches[i], role = Math.floor(m.page / n), lang = m.page % n;
        for (var s in m.sections) {
          var r = { page: m.page, role: role, lang: lang, section: +s, score: m.sections[s] };
          if (better(r, best[role], langIndex)) best[role] = r;
        }
      }
      var out = [];
      for (var k in best) out.push(best[k]);
      out.sort(function (a, b) { return better(a, b, langIndex) ? -1 : 1; });
      return out.slice(0, limit);
    }

    function better(a, b, langIndex) {
      if (!b) return true;
      if (a.score !== b.score) return a.score > b.score;
      if ((a.lang === langIndex) !== (b.lang === langIndex)) return a.lang === langIndex;
      if (a.role !== b.role) return a.role < b.role;
      if (a.lang !== b.lang) return a.lang < b.lang;
      return a.section < b.section;
    }

    // Runs `query` for a reader of language `lang`: done(results, terms,
    // entry), each result with `part` (its role part: id, titles, sections
    // per language) and `sections` (those of its language).
    function search(query, lang, limit, done) {
      var terms = tokenize(query);
      if (!terms.length) return done([], terms);
      need(["entry"], function () {
        if (!entry) return done([], terms);
        var shards = keys(terms).map(shardOf);
        need(shards, function () {
          var langIndex = Math.max(0, entry.langs.indexOf(lang));
          var results = rank(match(terms), langIndex, limit || 20);
          need(results.map(function (r) { return "d" + r.role; }), function () {
            results = results.filter(function (r) {
              r.part = parts["d" + r.role];
              return r.part && (r.sections = r.part.sections[r.lang]);
            });
            done(results, terms, entry);
          });
        });
      });
    }

    // Starts loading what `query` will need while the reader types on: the
    // entry, and the term parts of its finished words (not the last one,
    // unless a space follows it: its shard would change with each letter).
    function prefetch(query) {
      var terms = tokenize(query);
      if (!/\s$/.test(query)) terms.pop();
      need(["entry"], function () {
        if (entry && terms.length) need(keys(terms).map(shardOf), function () {});
      });
    }

    return { add: add, need: need, search: search, prefetch: prefetch, match: match, parts: parts, tokenize: tokenize };
  }

  function isWordChar(ch) {
    return !!ch && /[A-Za-z0-9\u00c0-\u024f'\u2019]/.test(ch);
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Where `terms` occur in `folded` text: [[start, end]], sorted.
  function marks(folded, terms) {
    var out = [];
    for (var t = 0; t < terms.length; t++) {
      var term = terms[t];
      if (term.kind === "word") {
        var re = /[a-z0-9]+/g, w;
        while ((w = re.exec(folded))) if (stem(w[0]) === term.stem) out.push([w.index, w.index + w[0].length]);
        continue;
      }
      var needles = folded.indexOf(term.text) >= 0 ? [term.text] : term.parts;
      for (var n = 0; n < needles.length; n++) {
        for (var at = folded.indexOf(needles[n]); at >= 0; at = folded.indexOf(needles[n], at + 1)) out.push([at, at + needles[n].length]);
      }
    }
    return out.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
  }

  // About `size` characters of `text` around its first match, matches in
  // <mark>, the page's own punctuation kept, not cut inside a word.
  function snippet(text, terms, size) {
    size = size || 100;
    var folded = foldAligned(text);
    var found = marks(folded, terms);
    var start = Math.max(0, (found.length ? found[0][0] : 0) - 30);
    while (start > 0 && isWordChar(text[start - 1]) && isWordChar(text[start])) start--;
    var end = Math.min(text.length, start + size);
    while (end < text.length && isWordChar(text[end - 1]) && isWordChar(text[end])) end++;
    var html = "", last = start;
    for (var m = 0; m < found.length; m++) {
      var a = found[m][0], b = Math.min(found[m][1], end);
      if (a < last || a >= end) continue;
      html += escapeHtml(text.slice(last, a)) + "<mark>" + escapeHtml(text.slice(a, b)) + "</mark>";
      last = b;
    }
    html += escapeHtml(text.slice(last, end));
    return (start > 0 ? "…" : "") + html.trim() + (end < text.length ? "…" : "");
  }

  var page = null;
  // The page's engine; part scripts call RolebookSearch.add.
  function pageEngine(root) {
    if (page) return page;
    page = engine(function (name, done) {
      var script = document.createElement("script");
      if (name === "entry") {
        script.src = root + "static/search-index.js";
        script.onload = function () { page.add("entry", window.ROLEBOOK_SEARCH || null); done(); };
      } else {
        script.src = root + page.parts.entry.part.replace("{name}", name);
        script.onload = done;
      }
      script.onerror = done;
      document.head.appendChild(script);
    });
    return page;
  }

  return {
    normalize: normalize, foldAligned: foldAligned, stem: stem, tokenize: tokenize, keys: keys,
    engine: engine, snippet: snippet, escapeHtml: escapeHtml, pageEngine: pageEngine,
    add: function (name, data) { if (page) page.add(name, data); }
  };
})();

if (typeof module !== "undefined") module.exports = RolebookSearch;

(function () {
  "use strict";
  if (typeof document === "undefined") return;
  var input = document.getElementById("rb:search");
  var box = document.getElementById("rb:search-results");
  var status = document.getElementById("rb:search-status");
  if (!input || !box) return;
  var form = input.form || input.parentNode;
  if (form) form.hidden = false;
  var root = input.getAttribute("data-root") || "";
  var lang = input.getAttribute("data-lang") || "";
  var search = RolebookSearch.pageEngine(root);
  var active = -1, timer = 0, asked = 0;

  // The live region: a new query with as many results as the last is
  // announced too (a no-break space makes the text differ).
  function announce(text) {
    if (!status) return;
    status.textContent = text && status.textContent === text ? text + "\u00a0" : text;
  }

  function close() {
    asked++;
    box.hidden = true;
    box.innerHTML = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    announce("");
  }

  function count(n) {
    var words = n === 1 ? input.getAttribute("data-one-result") : input.getAttribute("data-results");
    return (words || "{n}").replace("{n}", String(n));
  }

  function render(results, terms, entry) {
    box.innerHTML = "";
    if (!results.length) {
      // The words come from book.toml: shown as text, never parsed as HTML.
      var empty = document.createElement("p");
      empty.className = "search-empty";
      empty.textContent = input.getAttribute("data-no-results") || "No results";
      box.appendChild(empty);
    } else {
      var langIndex = Math.max(0, entry.langs.indexOf(lang));
      var html = '<ul role="none">';
      for (var i = 0; i < results.length; i++) {
        var r = results[i], part = r.part, section = r.sections[r.section] || ["", "", ""];
        // The first section is the top of the page.
        var anchor = r.lang === langIndex && r.section > 0 && section[0] ? "#" + encodeURIComponent(section[0]) : "";
        var href = root + entry.page.replace("{lang}", entry.langs[langIndex]).replace("{id}", part.id) + anchor;
        var others = "";
        for (var l = 0; l < part.titles.length; l++) {
          if (l !== langIndex && part.titles[l] !== part.titles[langIndex]) {
            others += ' <span class="search-other" lang="' + entry.langs[l] + '">' + RolebookSearch.escapeHtml(part.titles[l]) + "</span>";
          }
        }
        html += '<li role="none"><a class="search-result" id="rb:search-result-' + i + '" role="option" aria-selected="false" href="' + href + '">' +
          '<span class="search-title" lang="' + entry.langs[langIndex] + '">' + RolebookSearch.escapeHtml(part.titles[langIndex]) + "</span>" + others +
          (section[1] ? ' <span class="search-section" lang="' + entry.langs[r.lang] + '">' + RolebookSearch.escapeHtml(section[1]) + "</span>" : "") +
          '<span class="search-snippet" lang="' + entry.langs[r.lang] + '">' + RolebookSearch.snippet(section[2], terms) + "</span></a></li>";
      }
      box.innerHTML = html + "</ul>";
    }
    box.hidden = false;
    active = -1;
    input.setAttribute("aria-expanded", "true");
    input.removeAttribute("aria-activedescendant");
    announce(count(results.length));
  }

  // Searches for what the box holds when the index is ready (the reader may
  // type on while parts load); an answer to an older query is dropped.
  function show() {
    if (!input.value.trim()) return close();
    var mine = ++asked;
    search.search(input.value, lang, 20, function (results, terms, entry) {
      if (mine === asked) render(results, terms, entry);
    });
  }

  function move(step) {
    var links = box.querySelectorAll("a.search-result");
    if (!links.length) return;
    active = (active + step + links.length) % links.length;
    for (var i = 0; i < links.length; i++) {
      links[i].classList.toggle("active", i === active);
      links[i].setAttribute("aria-selected", i === active ? "true" : "false");
    }
    input.setAttribute("aria-activedescendant", links[active].id);
    links[active].scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("focus", function () { search.need(["entry"], function () {}); });
  input.addEventListener("input", function () {
    // The index parts load while search.js waits for more typing.
    search.prefetch(input.value);
    clearTimeout(timer);
    timer = setTimeout(show, 40);
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
