// rolebook default theme: small progressive enhancements. Every page works without it.
(function () {
  "use strict";

  themeSwitch();
  codeCopyButtons();
  headingAnchors();

  // Language chooser: point out the reader's browser language.
  var choices = document.querySelectorAll("a.language-choice");
  if (choices.length) suggest();
  function suggest() {
    var wanted = (navigator.languages || [navigator.language || ""]).map(function (l) {
      return String(l).toLowerCase();
    });
    for (var i = 0; i < wanted.length; i++) {
      for (var j = 0; j < choices.length; j++) {
        var key = (choices[j].getAttribute("hreflang") || "").toLowerCase();
        if (key && (wanted[i] === key || wanted[i].split("-")[0] === key.split("-")[0])) {
          choices[j].classList.add("suggested");
          choices[j].focus();
          return;
        }
      }
    }
  }

  // Side-by-side view: swap the columns (remembered for the session).
  var parallel = document.querySelector(".parallel");
  var swap = document.querySelector(".parallel-swap");
  if (parallel && swap) {
    swap.hidden = false;
    var setSwapped = function (on) {
      parallel.classList.toggle("swapped", on);
      swap.setAttribute("aria-pressed", on ? "true" : "false");
      try { sessionStorage.setItem("rolebook-swapped", on ? "1" : ""); } catch (e) { /* file:// may refuse */ }
    };
    var stored = "";
    try { stored = sessionStorage.getItem("rolebook-swapped") || ""; } catch (e) { /* ignore */ }
    setSwapped(stored === "1");
    swap.addEventListener("click", function () {
      setSwapped(!parallel.classList.contains("swapped"));
    });
  }

  // Language switch keeps the reader's place: carry the current section's id
  // (translated through the page's section map where the ids differ).
  var switchLinks = document.querySelectorAll("nav.language-switch a[hreflang], a.parallel-link");
  var headings = document.querySelectorAll(".role-body h2[id], .role-body h3[id]");
  if (!switchLinks.length || !headings.length) return;
  var header = document.querySelector(".site-header");
  // The side-by-side page keeps each column's ids under its language's key
  // (`zh--duties`): the link there carries the key of the language this
  // page's text is in (the original's on a page that falls back to it).
  var shown = document.querySelector(".translation-notice a[hreflang]") ||
    document.querySelector('nav.language-switch a[aria-current="page"]');
  var columnPrefix = shown ? shown.getAttribute("hreflang") + "--" : "";
  // The section the reader jumped to (a followed in-page link, or the
  // address's #fragment on arrival) and where the page was scrolled then.
  // Near the bottom of a short page the browser cannot bring that heading to
  // the top, so scroll position alone would name an earlier section: the
  // jump counts until the reader scrolls away from where it left them.
  var jumped = null, jumpedAt = null;
  function sectionOf(id) {
    var el = id && document.getElementById(id);
    if (!el) return null;
    var found = null;
    for (var k = 0; k < headings.length; k++) {
      if (headings[k] === el || (headings[k].compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) found = headings[k];
      else break;
    }
    // Only targets in the text: not the skip link's #rb:main, nor anything above the first heading.
    return found && (el === found || el.closest(".role-body")) ? found.id : null;
  }
  function jumpTo(id, settled) {
    jumped = sectionOf(id);
    jumpedAt = settled ? window.scrollY : null;
    update();
  }
  function currentSection() {
    if (jumped) {
      if (jumpedAt === null || Math.abs(window.scrollY - jumpedAt) < 40) return jumped;
      jumped = null;
    }
    // The section whose heading is at or above the bottom of the sticky header.
    var limit = (header ? header.getBoundingClientRect().bottom : 0) + 24;
    var id = "";
    for (var k = 0; k < headings.length; k++) {
      if (headings[k].getBoundingClientRect().top <= limit) id = headings[k].id;
      else break;
    }
    return id;
  }
  function fragment() {
    try { return decodeURIComponent(location.hash.slice(1)); } catch (e) { return ""; }
  }
  function update() {
    var id = currentSection();
    for (var m = 0; m < switchLinks.length; m++) {
      var a = switchLinks[m];
      var base = a.getAttribute("href").split("#")[0];
      var target = id;
      var map = a.getAttribute("data-sections");
      if (id && map) {
        // Own properties only: a section id such as `constructor` must not
        // find Object.prototype's.
        try {
          var sections = JSON.parse(map);
          target = Object.prototype.hasOwnProperty.call(sections, id) && typeof sections[id] === "string" ? sections[id] : id;
        } catch (e) { target = id; }
      }
      if (target && a.classList.contains("parallel-link")) target = columnPrefix + target;
      a.setAttribute("href", target ? base + "#" + encodeURIComponent(target) : base);
    }
  }
  var pending = false;
  window.addEventListener("scroll", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      update();
    });
  }, { passive: true });
  window.addEventListener("hashchange", function () { jumpTo(fragment(), true); });
  // Following the same in-page link again fires no hashchange.
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest('a[href^="#"]');
    if (!a || e.defaultPrevented) return;
    var id = a.getAttribute("href").slice(1);
    try { id = decodeURIComponent(id); } catch (err) { return; }
    window.setTimeout(function () { jumpTo(id, true); }, 0);
  });
  if (location.hash) {
    // The browser scrolls to the fragment during loading; where it left the page is known once loaded.
    jumpTo(fragment(), false);
    window.addEventListener("load", function () { if (jumped) jumpedAt = window.scrollY; });
  } else {
    update();
  }

  // Colour scheme: auto (the system's), light or dark, remembered in
  // localStorage (which file:// pages share). The inline script in <head>
  // applies the choice before the first paint; this is the switch.
  function themeSwitch() {
    var button = document.querySelector(".theme-switch");
    if (!button) return;
    var root = document.documentElement;
    var order = ["auto", "light", "dark"];
    var icons = { auto: "◐", light: "☀", dark: "☾" };
    function current() {
      var t = root.getAttribute("data-theme");
      return t === "light" || t === "dark" ? t : "auto";
    }
    function show(theme) {
      var name = button.getAttribute("data-" + theme) || theme;
      button.setAttribute("aria-label", (button.getAttribute("data-label") || "") + ": " + name);
      button.title = button.getAttribute("aria-label");
      button.querySelector(".theme-icon").textContent = icons[theme];
      button.querySelector(".theme-name").textContent = name;
    }
    function set(theme) {
      if (theme === "auto") root.removeAttribute("data-theme");
      else root.setAttribute("data-theme", theme);
      try {
        if (theme === "auto") localStorage.removeItem("rolebook-theme");
        else localStorage.setItem("rolebook-theme", theme);
      } catch (e) { /* storage refused: the choice lasts for this page */ }
      show(theme);
    }
    button.hidden = false;
    show(current());
    button.addEventListener("click", function () {
      set(order[(order.indexOf(current()) + 1) % order.length]);
    });
    // Another tab changed it.
    window.addEventListener("storage", function (e) {
      if (e.key === "rolebook-theme") {
        if (e.newValue === "light" || e.newValue === "dark") root.setAttribute("data-theme", e.newValue);
        else root.removeAttribute("data-theme");
        show(current());
      }
    });
  }

  // A copy button on every code block of the text (role pages and the cells
  // of the side-by-side view), in the page's interface language.
  function codeCopyButtons() {
    var words = document.body.dataset;
    var blocks = document.querySelectorAll(".role-body pre");
    for (var i = 0; i < blocks.length; i++) addCopyButton(blocks[i], words.copy || "Copy", words.copied || "Copied");
  }
  function addCopyButton(pre, copyWord, copiedWord) {
    // The button sits beside the block, not inside it: a <pre> scrolls sideways.
    var box = document.createElement("div");
    box.className = "code-block";
    pre.parentNode.insertBefore(box, pre);
    box.appendChild(pre);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "code-copy";
    button.textContent = copyWord;
    button.setAttribute("aria-live", "polite");
    box.appendChild(button);
    var timer = null;
    button.addEventListener("click", function () {
      var text = pre.textContent;
      var done = function () {
        button.textContent = copiedWord;
        button.classList.add("copied");
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          button.textContent = copyWord;
          button.classList.remove("copied");
        }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { if (copyByCommand(text)) done(); });
      } else if (copyByCommand(text)) {
        done();
      }
    });
  }
  // Where the Clipboard API is missing or refused (older browsers, some
  // file:// settings): the selection and the old copy command.
  function copyByCommand(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "-100vh";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  // A "#" link to each heading with an id in the text, shown on hover and
  // focus, for copying the section's address.
  function headingAnchors() {
    var label = document.body.dataset.anchorLink || "";
    var hs = document.querySelectorAll(
      ".role-body h1[id], .role-body h2[id], .role-body h3[id], .role-body h4[id], .role-body h5[id], .role-body h6[id]");
    for (var i = 0; i < hs.length; i++) {
      var a = document.createElement("a");
      a.className = "heading-anchor";
      a.href = "#" + encodeURIComponent(hs[i].id);
      a.setAttribute("aria-label", label);
      // The "#" is drawn by CSS: the heading's text (copied, read by
      // scripts such as the table of contents) stays the heading's own.
      hs[i].appendChild(a);
    }
  }
})();
