/* Mechanism Atlas — the header search box over the Pagefind index (docs/decisions/0016).
   Nothing is fetched until the reader opens search; then Pagefind loads the index chunks the
   query needs and the result data of the results shown, ten at a time. Same host only: the
   bundle lives at <site root>/pagefind/, found from Material's relative base, so the site works
   under any sub-path. Pagefind picks the index of the page's <html lang>. */
(function () {
  "use strict";

  var PAGE_SIZE = 10;
  var SUB_RESULTS = 2;

  var box = document.querySelector("[data-ma-search]");
  var toggle = document.getElementById("__search");
  var config = document.getElementById("__config");
  if (!box || !toggle || !config) { return; }
  var query = box.querySelector(".md-search__input");
  var form = box.querySelector(".md-search__form");
  var meta = box.querySelector(".md-search-result__meta");
  var list = box.querySelector(".md-search-result__list");
  var scroller = box.querySelector(".md-search__scrollwrap");
  var root = new URL(JSON.parse(config.textContent).base.replace(/\/?$/, "/"), window.location.href);
  var engine = null;      /* the Pagefind module, once loaded */
  var results = [];       /* the current query's results, data not loaded */
  var shown = 0;          /* how many of them are in the list */
  var asked = "";         /* the query those results answer */

  function say(key, count) {
    var text = box.getAttribute("data-ma-search-" + key) || "";
    return text.replace("#", String(count));
  }

  function load() {
    if (!engine) {
      meta.textContent = say("initializer");
      engine = import(new URL("pagefind/pagefind.js", root).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: root.pathname }).then(function () {
          return pagefind.init();
        }).then(function () { return pagefind; });
      });
    }
    return engine;
  }

  /* Pagefind's excerpts are escaped text with <mark> around the matched words: parsed inert,
     only the text and the marks are kept. The first hidden line of a page holds its names cut
     into pieces (src/mechatlas/site/search_terms.py): the only place where a space stands
     between two Chinese characters. An excerpt that starts there shows what follows it. */
  var PIECES = /[\u3400-\u9fff]\u200b*(?: <\/mark>|<\/mark> | )\u200b*(?:<mark>)?[\u3400-\u9fff]/g;
  function visible(excerpt) {
    var last = -1;
    var match;
    PIECES.lastIndex = 0;
    while ((match = PIECES.exec(excerpt)) !== null) {
      last = match.index;
      PIECES.lastIndex = match.index + 1;
    }
    if (last === -1) { return excerpt; }
    var end = excerpt.indexOf(". ", last);
    return end === -1 ? "" : excerpt.slice(end + 2);
  }

  function appendMarked(element, excerpt) {
    var text = excerpt.replace(/\u200b/g, "");  /* Pagefind's breaks between Chinese words */
    var parsed = new DOMParser().parseFromString("<body>" + text, "text/html").body;
    parsed.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        element.appendChild(mark);
      } else {
        element.appendChild(document.createTextNode(node.textContent));
      }
    });
  }

  /* Titles are plain text: the query's words are marked as Pagefind marks them in excerpts. */
  function appendTitle(element, title, words) {
    var pattern = words.length ? new RegExp("(" + words.map(function (w) {
      return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|") + ")", "gi") : null;
    (pattern ? title.split(pattern) : [title]).forEach(function (part, i) {
      if (i % 2) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        element.appendChild(mark);
      } else if (part) {
        element.appendChild(document.createTextNode(part));
      }
    });
  }

  function article(url, heading, title, excerpt, words, icon) {
    var link = document.createElement("a");
    link.href = url;
    link.className = "md-search-result__link";
    link.tabIndex = -1;
    var body = document.createElement("article");
    body.className = "md-search-result__article md-typeset";
    if (icon) {
      var mark = document.createElement("div");
      mark.className = "md-search-result__icon md-icon";
      body.appendChild(mark);
    }
    var head = document.createElement(heading);
    appendTitle(head, title, words);
    body.appendChild(head);
    if (excerpt && visible(excerpt)) {
      var text = document.createElement("p");
      appendMarked(text, visible(excerpt));
      body.appendChild(text);
    }
    link.appendChild(body);
    return link;
  }

  function item(data, words) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var title = (data.meta && data.meta.title) || data.url;
    var sections = (data.sub_results || []).filter(function (sub) {
      return sub.url !== data.url && sub.url.indexOf("#") !== -1;
    }).slice(0, SUB_RESULTS);
    /* A page's own excerpt often quotes its hidden name and synonym lines (every name in both
       languages): where the page has matching sections, their excerpts say more. */
    li.appendChild(article(data.url, "h1", title, sections.length ? "" : data.excerpt, words,
                           true));
    sections.forEach(function (sub) {
      li.appendChild(article(sub.url, "h2", sub.title, sub.excerpt, words, false));
    });
    return li;
  }

  /* An entity page whose name or alias is the query comes first (its names are the result's
     "names" metadata); Pagefind's order otherwise. */
  function named(text) {
    return text.toLocaleLowerCase().replace(/\s+/g, " ").trim();
  }

  function nameFirst(all, text) {
    var wanted = named(text);
    function isNamed(data) {
      return ((data.meta && data.meta.names) || "").split(" · ").some(function (name) {
        return named(name) === wanted;
      });
    }
    return all.filter(isNamed).concat(all.filter(function (d) { return !isNamed(d); }));
  }

  function showMore(words) {
    var batch = results.slice(shown, shown + PAGE_SIZE);
    if (!batch.length) { return Promise.resolve(); }
    var question = asked;
    var first = shown === 0;
    shown += batch.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (all) {
      if (question !== asked) { return; }
      (first ? nameFirst(all, question) : all).forEach(function (data) {
        list.appendChild(item(data, words));
      });
    });
  }

  /* The box's search without the box: the URLs of the first results for a query, as the box
     lists them (for scripts and the tests; one page load answers many queries). */
  window.mechatlasSearch = function (text, count) {
    return load().then(function (pagefind) {
      return pagefind.search(text);
    }).then(function (search) {
      var head = search.results.slice(0, Math.max(count || PAGE_SIZE, PAGE_SIZE));
      return Promise.all(head.map(function (r) { return r.data(); }));
    }).then(function (all) {
      return nameFirst(all, text).slice(0, count || PAGE_SIZE).map(function (d) { return d.url; });
    });
  };

  function words(text) {
    return text.split(/\s+/).filter(function (w) { return w.length > 0; });
  }

  function run() {
    var text = query.value.trim();
    if (!text) {
      asked = "";
      results = [];
      list.textContent = "";
      meta.textContent = say("prompt");
      return;
    }
    load().then(function (pagefind) {
      return pagefind.debouncedSearch(text).then(function (search) {
        if (search === null || query.value.trim() !== text) { return; }
        asked = text;
        results = search.results;
        shown = 0;
        list.textContent = "";
        var count = results.length;
        meta.textContent = count === 0 ? say("none") : count === 1 ? say("one") : say("other", count);
        return showMore(words(text));
      });
    });
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link"));
  }

  function open() {
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
  }

  function close() {
    toggle.checked = false;
    toggle.dispatchEvent(new Event("change"));
  }

  toggle.addEventListener("change", function () {
    if (toggle.checked) {
      load();
      query.focus();
      query.select();
    } else {
      query.blur();
    }
  });
  query.addEventListener("focus", function () {
    load();
    if (!toggle.checked) { open(); }
  });
  query.addEventListener("input", run);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () {
    window.setTimeout(function () { run(); query.focus(); }, 0);
  });
  list.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("a")) { close(); }
  });
  scroller.addEventListener("scroll", function () {
    if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 40) {
      showMore(words(asked));
    }
  });

  /* Material's keys: "/", "s" or "f" opens search; in it, arrows move through the results,
     Enter follows the first (or the focused) one, Escape closes. */
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) { return; }
    var target = event.target;
    var typing = target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (!toggle.checked) {
      if (!typing && (event.key === "/" || event.key === "s" || event.key === "f")) {
        event.preventDefault();
        open();
      }
      return;
    }
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) { return; }
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = at === -1 ? (step === 1 ? 0 : all.length - 1) : at + step;
      if (next < 0 || next >= all.length) { query.focus(); } else { all[next].focus(); }
    } else if (event.key === "Enter" && document.activeElement === query && all.length) {
      event.preventDefault();
      all[0].click();
    }
  });
})();
