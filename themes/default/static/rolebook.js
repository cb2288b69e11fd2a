// rolebook default theme: small progressive enhancements. Every page works without it.
(function () {
  "use strict";

  // Language chooser: point out the reader's browser language.
  var choices = document.querySelectorAll("a.language-choice");
  if (choices.length) {
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
  function currentSection() {
    // The section whose heading is at or above the bottom of the sticky header.
    var limit = (header ? header.getBoundingClientRect().bottom : 0) + 24;
    var id = "";
    for (var k = 0; k < headings.length; k++) {
      if (headings[k].getBoundingClientRect().top <= limit) id = headings[k].id;
      else break;
    }
    return id;
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
  update();
})();
