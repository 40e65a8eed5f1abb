/* Mechanism Atlas — small enhancements; every page works without them. */
(function () {
  "use strict";

  function setupCopyButtons() {
    document.querySelectorAll("[data-ma-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var block = button.parentElement.querySelector("code");
        if (!block || !navigator.clipboard) { return; }
        navigator.clipboard.writeText(block.textContent).then(function () {
          button.textContent = button.getAttribute("data-ma-copied");
        }, function () { /* clipboard refused: leave the text selectable */ });
      });
    });
  }

  function setupFilters() {
    document.querySelectorAll("[data-ma-filter]").forEach(function (panel) {
      var target = document.querySelector(panel.getAttribute("data-ma-target") || ".ma-references");
      if (!target) { return; }
      panel.hidden = false;
      var selects = panel.querySelectorAll("select[data-ma-filter-key]");
      function apply() {
        var wanted = {};
        selects.forEach(function (s) { wanted[s.getAttribute("data-ma-filter-key")] = s.value; });
        target.querySelectorAll("[data-year], [data-ma-row]").forEach(function (row) {
          var visible = Object.keys(wanted).every(function (key) {
            var want = wanted[key];
            if (!want) { return true; }
            var have = (row.getAttribute("data-" + key) || "").split(" ");
            if (key === "level") { return Number(row.getAttribute("data-level")) <= Number(want); }
            return have.indexOf(want) !== -1;
          });
          row.hidden = !visible;
        });
        target.querySelectorAll("tr[data-ma-therapy]").forEach(function (tr) {
          var shown = tr.querySelectorAll("[data-ma-row]:not([hidden])").length;
          if (shown) { tr.removeAttribute("data-ma-empty"); } else { tr.setAttribute("data-ma-empty", ""); }
        });
        var counter = panel.querySelector("[data-ma-count]");
        if (counter) {
          var n = target.querySelectorAll("[data-ma-row]:not([hidden]), [data-year]:not([hidden])").length;
          counter.textContent = (counter.getAttribute("data-template") || "{n}").replace("{n}", String(n));
        }
      }
      selects.forEach(function (s) { s.addEventListener("change", apply); });
      apply();
    });
  }

  function init() { setupCopyButtons(); setupFilters(); }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
