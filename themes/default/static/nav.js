/* Role pages: fills the sidebar with every role of the page's language
   (window.ROLEBOOK_NAV, from static/nav.<lang>.js), opens it as a drawer on
   a phone, follows the previous / next links with the arrow keys, and marks
   the section being read in the table of contents. Works over file://. */
(function () {
  "use strict";
  var sidebar = document.getElementById("rb:sidebar");
  var nav = window.ROLEBOOK_NAV;
  if (sidebar && nav) fill(sidebar, nav);
  drawer();
  arrows();
  spy();

  function fill(sidebar, nav) {
    var current = sidebar.getAttribute("data-current");
    var list = sidebar.querySelector(".sidebar-list");
    var total = 0;
    for (var d = 0; d < nav.departments.length; d++) total += nav.departments[d].roles.length;
    var box = document.createElement("div");
    box.className = "sidebar-list";
    var mark = null;
    nav.departments.forEach(function (dept) {
      var here = dept.roles.some(function (r) { return r[0] === current; });
      var details = document.createElement("details");
      // Small handbooks show every department; large ones the reader's own.
      details.open = here || total <= 150;
      var summary = document.createElement("summary");
      summary.textContent = dept.name || nav.label;
      details.appendChild(summary);
      var ul = document.createElement("ul");
      dept.roles.forEach(function (r) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = nav.href.replace("{id}", r[0]);
        a.textContent = r[1];
        if (r[0] === current) { a.setAttribute("aria-current", "page"); mark = a; }
        li.appendChild(a);
        ul.appendChild(li);
      });
      details.appendChild(ul);
      box.appendChild(details);
    });
    list.parentNode.replaceChild(box, list);
    if (mark && sidebar.scrollHeight > sidebar.clientHeight) {
      sidebar.scrollTop = mark.offsetTop - sidebar.clientHeight / 3;
    }
  }

  function drawer() {
    var button = document.querySelector(".sidebar-toggle");
    if (!button || !sidebar) return;
    button.hidden = false;
    function set(open) {
      sidebar.classList.toggle("open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) { var first = sidebar.querySelector("a"); if (first) first.focus(); }
    }
    button.addEventListener("click", function () { set(!sidebar.classList.contains("open")); });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && sidebar.classList.contains("open")) { set(false); button.focus(); }
    });
    document.addEventListener("click", function (e) {
      if (sidebar.classList.contains("open") && !sidebar.contains(e.target) && e.target !== button) set(false);
    });
  }

  function arrows() {
    document.addEventListener("keydown", function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      var rel = e.key === "ArrowLeft" ? "prev" : e.key === "ArrowRight" ? "next" : null;
      var link = rel && document.querySelector('.pager a[rel="' + rel + '"]');
      if (link) { e.preventDefault(); window.location.href = link.href; }
    });
  }

  function spy() {
    var links = document.querySelectorAll(".toc a[href^='#']");
    if (!links.length) return;
    var targets = [];
    for (var i = 0; i < links.length; i++) {
      var el = document.getElementById(decodeURIComponent(links[i].getAttribute("href").slice(1)));
      if (el) targets.push([el, links[i]]);
    }
    var ticking = false;
    function update() {
      ticking = false;
      var line = window.innerHeight * 0.3, current = null;
      for (var j = 0; j < targets.length; j++) {
        if (targets[j][0].getBoundingClientRect().top <= line) current = targets[j][1];
      }
      for (var k = 0; k < targets.length; k++) {
        if (targets[k][1] === current) targets[k][1].setAttribute("aria-current", "true");
        else targets[k][1].removeAttribute("aria-current");
      }
    }
    window.addEventListener("scroll", function () {
      if (!ticking) { ticking = true; window.requestAnimationFrame(update); }
    }, { passive: true });
    update();
  }
})();
