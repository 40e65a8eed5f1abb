/* Mechanism Atlas — small enhancements; every page works without them. */
(function () {
  "use strict";

  function setupCopyButtons() {
    document.querySelectorAll("[data-ma-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var block = button.parentElement.querySelector("pre");
        if (!block || !navigator.clipboard) { return; }
        navigator.clipboard.writeText(block.textContent).then(function () {
          button.textContent = button.getAttribute("data-ma-copied");
        }, function () { /* clipboard refused: leave the text selectable */ });
      });
    });
  }

  /* Choices live in the query string (?condition=depression&level=4), so a reload, a shared
     link or a language switch shows the same selection. */
  function readChoices(selects, attribute) {
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var wanted = params.get(select.getAttribute(attribute));
      if (wanted !== null && select.querySelector("option[value='" + CSS.escape(wanted) + "']")) {
        select.value = wanted;
      }
    });
  }

  function writeChoices(selects, attribute) {
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var key = select.getAttribute(attribute);
      if (select.value) { params.set(key, select.value); } else { params.delete(key); }
    });
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") +
      window.location.hash);
  }

  function setupFilters() {
    document.querySelectorAll("[data-ma-filter]").forEach(function (panel) {
      var target = document.querySelector(panel.getAttribute("data-ma-target") || ".ma-references");
      if (!target) { return; }
      panel.hidden = false;
      var selects = panel.querySelectorAll("select[data-ma-filter-key]");
      var counted = panel.getAttribute("data-ma-count-of") || "[data-ma-row], [data-year]";
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
          var n = Array.prototype.filter.call(target.querySelectorAll(counted),
            function (row) { return !row.hidden; }).length;
          counter.textContent = (counter.getAttribute("data-template") || "{n}").replace("{n}", String(n));
        }
        target.dispatchEvent(new Event("ma-filtered"));
      }
      readChoices(selects, "data-ma-filter-key");
      selects.forEach(function (s) {
        s.addEventListener("change", function () { apply(); writeChoices(selects, "data-ma-filter-key"); });
      });
      apply();
    });
  }

  /* The matrix as one tab stop (roving tabindex): Tab enters the grid on one link and leaves
     it with the next press; arrow keys, Home and End move between the grid's visible links. */
  function setupRovingGrid() {
    document.querySelectorAll("[data-ma-grid]").forEach(function (grid) {
      var rows = Array.prototype.slice.call(grid.querySelectorAll("tr"));
      grid.removeAttribute("tabindex");  // its links now take focus, and scroll it into view
      function visibleLinks(cell) {
        return Array.prototype.filter.call(cell.querySelectorAll("a"), function (a) { return !a.hidden; });
      }
      function linksOfRow(row) {
        return Array.prototype.reduce.call(row.children, function (all, cell) {
          return all.concat(visibleLinks(cell));
        }, []);
      }
      /* A run of empty pairs is one cell spanning its columns, so a cell's column is the sum
         of the spans before it, not its index among its siblings. */
      function columnOf(cell) {
        var column = 0;
        for (var c = cell.previousElementSibling; c; c = c.previousElementSibling) { column += c.colSpan; }
        return column;
      }
      function cellAt(row, column) {
        var start = 0;
        for (var i = 0; i < row.children.length; i++) {
          var cell = row.children[i];
          if (start === column) { return cell; }
          start += cell.colSpan;
          if (start > column) { return null; }
        }
        return null;
      }
      function position(link) {
        var cell = link.closest("td, th");
        return { row: rows.indexOf(cell.parentElement), column: columnOf(cell) };
      }
      function current() { return grid.querySelector("a[tabindex='0']"); }
      function makeCurrent(link, focus) {
        grid.querySelectorAll("a").forEach(function (a) { a.setAttribute("tabindex", "-1"); });
        link.setAttribute("tabindex", "0");
        if (focus) { link.focus(); }
      }
      function reset() {
        var active = current();
        if (active && !active.hidden) { makeCurrent(active, false); return; }
        var first = rows.map(linksOfRow).filter(function (links) { return links.length; })[0];
        if (first) { makeCurrent(first[0], false); }
      }
      function vertical(from, step) {
        var at = position(from);
        for (var r = at.row + step; r >= 0 && r < rows.length; r += step) {
          var cell = cellAt(rows[r], at.column);
          var links = cell ? visibleLinks(cell) : [];
          if (links.length) { return links[0]; }
        }
        return null;
      }
      grid.addEventListener("keydown", function (event) {
        var link = event.target.closest ? event.target.closest("a") : null;
        if (!link || !grid.contains(link)) { return; }
        var inRow = linksOfRow(rows[position(link).row]);
        var index = inRow.indexOf(link);
        var next = null;
        if (event.key === "ArrowRight") { next = inRow[index + 1]; }
        else if (event.key === "ArrowLeft") { next = inRow[index - 1]; }
        else if (event.key === "Home") { next = inRow[0]; }
        else if (event.key === "End") { next = inRow[inRow.length - 1]; }
        else if (event.key === "ArrowDown") { next = vertical(link, 1); }
        else if (event.key === "ArrowUp") { next = vertical(link, -1); }
        else { return; }
        event.preventDefault();
        if (next) { makeCurrent(next, true); }
      });
      grid.addEventListener("focusin", function (event) {
        if (event.target.matches && event.target.matches("a")) { makeCurrent(event.target, false); }
      });
      var area = grid.closest(".ma-matrix-area") || grid;
      area.addEventListener("ma-filtered", reset);
      reset();
    });
  }

  /* Compare: keep the rows whose therapy or pathway is one of the two choices. */
  function setupCompare() {
    document.querySelectorAll("[data-ma-compare]").forEach(function (form) {
      var selects = form.querySelectorAll("select[data-ma-pick]");
      var groups = document.querySelectorAll("[data-ma-group]");
      var counter = form.querySelector("[data-ma-compare-count]");
      form.hidden = false;
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      function apply() {
        var picks = Array.prototype.map.call(selects, function (s) { return s.value; })
          .filter(function (v) { return v; });
        var shown = 0;
        groups.forEach(function (group) {
          var inGroup = 0;
          group.querySelectorAll("tr[data-ma-therapy]").forEach(function (row) {
            var keep = !picks.length || picks.some(function (pick) {
              return row.getAttribute("data-ma-therapy") === pick ||
                row.getAttribute("data-ma-pathway") === pick;
            });
            row.hidden = !keep;
            if (keep) { inGroup += 1; }
          });
          group.hidden = inGroup === 0;
          shown += inGroup;
        });
        if (counter) {
          counter.textContent = shown ? counter.getAttribute("data-template").replace("{n}", String(shown))
            : counter.getAttribute("data-none");
        }
      }
      readChoices(selects, "data-ma-pick");
      selects.forEach(function (s) {
        s.addEventListener("change", function () { apply(); writeChoices(selects, "data-ma-pick"); });
      });
      apply();
    });
  }

  /* The language switch keeps the reader's place: the #anchor, or else the last element with
     an id above the top of the window (ids are the same in both languages), and the query. */
  function placeOnPage() {
    if (window.location.hash) { return window.location.hash; }
    if (window.scrollY < window.innerHeight / 2) { return ""; }  // near the top: the top is the place
    var header = document.querySelector(".md-header");
    var line = (header ? header.getBoundingClientRect().bottom : 0) + 16;
    var place = "";
    document.querySelectorAll(".md-content [id]").forEach(function (element) {
      var box = element.getBoundingClientRect();
      if (box.height && box.top <= line && !element.closest("svg")) { place = "#" + element.id; }
    });
    return place;
  }

  function setupLanguageSwitch() {
    document.querySelectorAll(".md-header a[hreflang]").forEach(function (link) {
      if (link.getAttribute("data-ma-keep-place")) { return; }
      link.setAttribute("data-ma-keep-place", "1");
      link.addEventListener("click", function () {
        var base = link.getAttribute("href").split("#")[0].split("?")[0];
        link.setAttribute("href", base + window.location.search + placeOnPage());
      });
    });
  }

  /* The colour toggle (docs_templates/overrides/partials/palette.html): a choice applies and is
     stored by window.maPalette; Enter on an option moves to the next, as in Material. The
     address bar takes the header's colour, read after the first frame, when styles are done.
     No color-scheme meta, unlike Material: the style sheets set color-scheme already, and
     adding the meta restyles the whole page once more. */
  function setupPalette() {
    var form = document.querySelector("[data-ma-palette]");
    if (!form || !window.maPalette || form.getAttribute("data-ma-ready")) { return; }
    form.setAttribute("data-ma-ready", "1");
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input"));
    var themeColor = document.createElement("meta");
    themeColor.name = "theme-color";
    document.head.appendChild(themeColor);
    function paintBar() {
      window.requestAnimationFrame(function () {
        var header = document.querySelector(".md-header") || document.body;
        themeColor.content = window.getComputedStyle(header).backgroundColor;
      });
    }
    inputs.forEach(function (input, index) {
      input.addEventListener("change", function () { window.maPalette(index, true); paintBar(); });
    });
    form.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      var current = inputs.findIndex(function (input) { return input.checked; });
      var next = inputs[(current + 1) % inputs.length];
      next.click(); next.focus();
    });
    paintBar();
  }

  function init() {
    setupCopyButtons(); setupFilters(); setupRovingGrid(); setupCompare(); setupLanguageSwitch();
    setupPalette();
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
