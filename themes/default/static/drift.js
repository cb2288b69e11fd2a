// Translation drift on the side-by-side view: one button opens or closes the
// original's diff in every changed row (each row also opens on its own:
// a <details>, which needs no script). Works from file:// (no requests).
(function () {
  "use strict";
  var button = document.querySelector(".drift-toggle-all");
  var rows = document.querySelectorAll("details.drift-details");
  if (!button || !rows.length) return;
  button.hidden = false;
  var sync = function () {
    var open = Array.prototype.every.call(rows, function (d) { return d.open; });
    button.setAttribute("aria-pressed", open ? "true" : "false");
    button.textContent = open ? button.dataset.hide : button.dataset.show;
  };
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-pressed") !== "true";
    Array.prototype.forEach.call(rows, function (d) { d.open = open; });
    sync();
  });
  Array.prototype.forEach.call(rows, function (d) {
    d.addEventListener("toggle", sync);
  });
  sync();
})();
