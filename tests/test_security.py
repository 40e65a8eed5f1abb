"""Injection safety: OWASP filter-evasion vectors in every reader-visible field stay inert.

A temporary repository (the frame of the real one, content written here) holds one
"slot" per vector -- a therapy, pathway, condition, gene, method, source, claim and fact
whose every reader-visible text field, in both languages, is that vector alone -- and one
slot, ``all``, whose fields hold every vector at once. The BibTeX records each slot cites
carry the vector in title, author, journal, note, url and doi. The repository is built with
the real ``mkdocs build --strict`` and then checked twice:

* statically, every HTML page, JSON-LD block, the search index and the data exports;
* in headless Chromium, one page of each kind in each language and a search, with every
  ``alert``/``confirm``/``prompt``/``print`` call and every dialog recorded.
"""

from __future__ import annotations

import csv
import functools
import html
import http.server
import io
import json
import re
import shutil
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from xss_repository import ENTITY_FOLDERS, SLOTS, ids, marker, one_line

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
TEMPLATE_EVALUATED = "XSS49"  # what {{ 'XSS' ~ 7*7 }} becomes if anything renders it
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:application",
                     "data:image/svg")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster",
                  "background", "srcset", "codebase", "cite", "longdesc", "lowsrc", "dynsrc"}
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base",
                  "math", "portal"}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def own_scripts(mini_site: Path) -> set[str]:
    """Fingerprints of the site's own <script> elements: the mini repository's clean build."""
    site = mini_site
    found: set[str] = set()
    for page in sorted(site.rglob("*.html")):
        scanner = MarkupScanner(page_url(site, page), site)
        scanner.feed(page.read_text("utf-8"))
        found |= {s.fingerprint for s in scanner.scripts if s.executable}
    return found


# --- a scanner for live markup ---------------------------------------------------------------


def page_url(site: Path, page: Path) -> str:
    return "/" + page.relative_to(site).as_posix()


def normalised_url(value: str) -> str:
    """A URL as a browser reads its scheme: entities decoded, whitespace and controls gone."""
    text = html.unescape(value)
    return re.sub(r"[\x00-\x20\x7f-\x9f]+", "", text).lower()


def dangerous_url(value: str) -> bool:
    return normalised_url(value).startswith(DANGEROUS_SCHEMES)


class Script:
    def __init__(self, attrs: dict[str, str], base: str) -> None:
        self.attrs = attrs
        self.base = base
        self.body = ""

    @property
    def kind(self) -> str:
        return (self.attrs.get("type") or "").strip().lower()

    @property
    def executable(self) -> bool:
        return self.kind in ("", "text/javascript", "module", "application/javascript")

    @property
    def fingerprint(self) -> str:
        if "src" in self.attrs:
            return "src " + urlsplit(urljoin(self.base, self.attrs["src"])).path
        body = re.sub(r'new URL\("[./]*",location\)', 'new URL("",location)', self.body)
        return "inline " + body.strip()


class MarkupScanner(HTMLParser):
    """Every live thing in one HTML document: scripts, event handlers, URL attributes."""

    def __init__(self, url: str, site: Path | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.site = site
        self.scripts: list[Script] = []
        self.problems: list[str] = []
        self.text: list[str] = []
        self._script: Script | None = None
        self._rcdata: str | None = None  # inside <title> or <textarea>: text, not elements

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._rcdata:
            self.text.append(self.get_starttag_text() or "")
            return
        values = {k: v or "" for k, v in attrs}
        where = f"<{tag}> {self.get_starttag_text()!r:.160}"
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= in {where}")
            if name in URL_ATTRIBUTES and any(dangerous_url(part) for part in value.split(",")):
                self.problems.append(f"dangerous URL in {name}= of {where}")
            if name == "style" and re.search(r"expression\s*\(|javascript:|url\s*\(",
                                             normalised_url(value)):
                self.problems.append(f"active style in {where}")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"forbidden element {where}")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.problems.append(f"meta refresh {where}")
        if tag == "script":
            self._script = Script(values, self.url)
        if tag in ("title", "textarea"):
            self._rcdata = tag

    def set_cdata_mode(self, elem: str) -> None:
        if not self._rcdata:  # a <script> or <style> inside <title> is text, as in a browser
            super().set_cdata_mode(elem)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._rcdata and tag != self._rcdata:
            return
        self._rcdata = None
        if tag == "script" and self._script is not None:
            self.scripts.append(self._script)
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.body += data
        else:
            self.text.append(data)


def scan_html(site: Path, page: Path, own: set[str]) -> tuple[list[str], MarkupScanner]:
    scanner = MarkupScanner(page_url(site, page), site)
    scanner.feed(page.read_text("utf-8"))
    scanner.close()
    problems = list(scanner.problems)
    for script in scanner.scripts:
        if script.kind in ("application/ld+json", "application/json"):
            problems += data_block_problems(script)
        elif script.fingerprint not in own:
            problems.append(f"script that is not the site's own: {script.attrs} "
                            f"{script.body.strip()[:160]!r}")
    text = "".join(scanner.text)
    if TEMPLATE_EVALUATED in text:
        problems.append(f"template syntax was evaluated: {TEMPLATE_EVALUATED!r} in the text")
    return problems, scanner


def data_block_problems(script: Script) -> list[str]:
    """A JSON data block: valid JSON that cannot close its element or open a comment."""
    problems = []
    raw = script.body
    if "<" in raw:
        at = max(raw.index("<") - 40, 0)
        problems.append(f"raw '<' inside a {script.kind} block: {raw[at:at + 120]!r}")
    try:
        json.loads(raw)
    except json.JSONDecodeError as exc:
        problems.append(f"{script.kind} block is not valid JSON ({exc}): {raw[:160]!r}")
    return problems


def fragment_problems(fragment: str, where: str) -> list[str]:
    """HTML that a script inserts with innerHTML (search results): nothing live in it."""
    scanner = MarkupScanner(where)
    scanner.feed(fragment)
    scanner.close()
    problems = list(scanner.problems)
    problems += [f"<script> {s.attrs} {s.body[:80]!r}" for s in scanner.scripts]
    bad = re.search(r"<(?:script|iframe|object|embed|svg|img|details|style|input|body|a)\b",
                    fragment, re.IGNORECASE)
    if bad:
        problems.append(f"raw markup {fragment[bad.start():bad.start() + 80]!r}")
    return [f"{where}: {p}" for p in problems]


def report(problems: dict[str, list[str]], limit: int = 40) -> str:
    lines = [f"{len(problems)} file(s) with live injected content:"]
    for where, found in sorted(problems.items())[:limit]:
        lines.append(f"  {where}:")
        lines += [f"    - {p}" for p in found[:6]]
        if len(found) > 6:
            lines.append(f"    - ... and {len(found) - 6} more")
    return "\n".join(lines)


# --- static checks ---------------------------------------------------------------------------


def test_payloads_reach_every_page_kind(xss_site: Path) -> None:
    """Not vacuous: each slot's entity pages exist and show its payload, as text."""
    missing = []
    for slot in SLOTS:
        sid = ids(slot)
        for kind, folder in ENTITY_FOLDERS.items():
            for prefix in ("", "zh/"):
                page = xss_site / prefix / folder / sid[kind] / "index.html"
                if not page.is_file():
                    missing.append(f"{page.relative_to(xss_site)} not built")
                    continue
                if marker(slot) not in page.read_text("utf-8"):
                    missing.append(f"{page.relative_to(xss_site)} lacks {marker(slot)}")
    assert missing == []


def test_pages_carry_no_live_injected_markup(xss_site: Path, own_scripts: set[str]) -> None:
    problems: dict[str, list[str]] = {}
    pages = sorted(xss_site.rglob("*.html"))
    assert len(pages) > 12 * len(SLOTS)  # six entity pages per slot, in two languages
    for page in pages:
        found, _ = scan_html(xss_site, page, own_scripts)
        if found:
            problems[page.relative_to(xss_site).as_posix()] = found
    assert problems == {}, report(problems)


def test_json_ld_is_data_that_keeps_the_payload(xss_site: Path) -> None:
    """Every JSON-LD block parses, and the therapy's name in it is the text of the YAML."""
    sid = ids("s00")
    page = (xss_site / "therapies" / sid["therapy"] / "index.html").read_text("utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["name"] == f"{one_line('s00')} {marker('s00')}"


def test_search_index_holds_no_evaluated_template_or_dangerous_url(xss_site: Path) -> None:
    """Pagefind's result data is text (the search box inserts it as text, excerpts parsed inert):
    it must carry no evaluated template syntax and link nowhere but to the site's pages."""
    from pagefind_fragments import fragments

    pages = fragments(xss_site)
    assert pages
    problems: dict[str, list[str]] = {}
    for page in pages:
        found = []
        if dangerous_url(page["url"]) or not page["url"].startswith("/"):
            found.append(f"url {page['url']!r}")
        if TEMPLATE_EVALUATED in page["content"] + page["meta"].get("title", ""):
            found.append("template syntax was evaluated")
        if found:
            problems[page["file"]] = found
    assert problems == {}, report(problems)


def _strings(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _strings(child, f"{path}.{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _strings(child, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


URL_KEYS = re.compile(r"\.(url|URL|href|src|contentUrl|identifier|DOI|@id)$")


def test_json_exports_are_data_without_active_urls(xss_site: Path) -> None:
    """atlas.json and references.json are JSON (data, never markup) with no script URLs."""
    atlas = json.loads((xss_site / "data" / "atlas.json").read_text("utf-8"))
    therapy = next(e for e in atlas["entities"] if e["id"] == ids("s00")["therapy"])
    assert therapy["name"]["en"] == f"{one_line('s00')} {marker('s00')}"  # data, verbatim
    problems = []
    for name in ("data/atlas.json", "data/references.json"):
        document = json.loads((xss_site / name).read_text("utf-8"))
        for path, value in _strings(document):
            if URL_KEYS.search(path) and dangerous_url(value):
                problems.append(f"{name}{path} = {value[:100]!r}")
            if TEMPLATE_EVALUATED in value:
                problems.append(f"{name}{path}: template syntax was evaluated")
    assert problems == [], "\n".join(problems[:40])


def test_claims_csv_has_no_formula_cells(xss_site: Path) -> None:
    """A spreadsheet opens claims.csv: no cell may start a formula (CSV injection)."""
    text = (xss_site / "data" / "claims.csv").read_text("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert len(body) >= len(SLOTS)
    problems = [f"row {n} ({row[0]}), column {header[i]}: {cell[:60]!r}"
                for n, row in enumerate(body, 2) for i, cell in enumerate(row)
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert problems == [], "\n".join(problems)


# --- in the browser --------------------------------------------------------------------------

RECORDER = """
(() => {
  window.__xss = [];
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const record = (...args) => { window.__xss.push(name + "(" + args.join(",") + ")"); };
    try { Object.defineProperty(window, name, {value: record, configurable: false}); }
    catch (e) { window[name] = record; }
  }
})();
"""
INJECTED = """
() => {
  const found = [];
  const area = document.querySelector(".md-content") || document.body;
  const selector = "script:not([src]):not([type]), [onerror], [onload], iframe, object, embed";
  for (const el of area.querySelectorAll(selector)) found.push(el.outerHTML.slice(0, 160));
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\u0000-\\u0020]+/g, "").toLowerCase();
      if (attr.name.startsWith("on")) found.push(attr.name + " on " + el.outerHTML.slice(0, 120));
      else if (value.startsWith("javascript:") || value.startsWith("vbscript:"))
        found.push(attr.name + "=" + value.slice(0, 60) + " on <" + el.tagName + ">");
    }
  }
  return found.concat(window.__xss || []);
}
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def xss_url(xss_site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(xss_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def chromium(shared_chromium):
    """The session's one Chromium (two sync Playwright instances cannot share a process)."""
    return shared_chromium


@pytest.fixture(scope="module")
def watched_context(chromium, xss_url):
    """One browser context for the module: the recorder installed, other hosts unreachable."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORDER)
    context.route(re.compile(r"^(?!http://127\.0\.0\.1:).*"), lambda route: route.abort())
    yield context
    context.close()


@pytest.fixture
def watched(watched_context, xss_url):
    """A new tab that records dialogs, recorder calls and requests that leave localhost."""
    tab = watched_context.new_page()
    tab.fired = []

    def on_dialog(dialog) -> None:
        tab.fired.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.on("request", lambda r: tab.fired.append(f"request to {r.url}")
           if not r.url.startswith((xss_url, "data:", "blob:", "about:")) else None)
    yield tab
    tab.close()


SETTLE = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(
    () => setTimeout(done, 0))))"""
"""Resolves once what a load or a change queues has run: autofocus (flushed at a rendering
update), ``toggle`` events and error events (queued tasks), the next two frames."""


ALL = ids("all")
BROWSER_PAGES = [
    "", "references/", "matrix/", "compare/", "therapies/", "sources/",
    *(f"{folder}/{ALL[kind]}/" for kind, folder in ENTITY_FOLDERS.items()),
]


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("url", BROWSER_PAGES)
def test_page_runs_no_injected_script(watched, xss_url, url, lang):
    prefix = "" if lang == "en" else "zh/"
    response = watched.goto(f"{xss_url}/{prefix}{url}", wait_until="load")
    assert response is not None and response.ok
    watched.evaluate(SETTLE)  # onfocus (autofocus) and onerror fire after load
    watched.evaluate("() => document.querySelectorAll('.md-content details')"
                     ".forEach(el => { el.open = true; })")
    watched.evaluate(SETTLE)  # ontoggle
    fired = watched.evaluate(INJECTED) + watched.fired
    assert fired == [], "\n".join(fired[:30])


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_search_results_run_no_injected_script(watched, xss_url, lang):
    """Search results come from the index: type a payload's word, nothing in them is live."""
    prefix = "" if lang == "en" else "zh/"
    watched.goto(f"{xss_url}/{prefix}", wait_until="load")
    field = watched.locator("input.md-search__input")
    field.click()
    word = marker("all").lower()
    field.press_sequentially(word, delay=20)
    # The results of the whole word (not of a prefix typed on the way): titles mark the query.
    watched.wait_for_function("""word => [...document.querySelectorAll(
        '.md-search-result__item h1 mark')].some(m => m.textContent.toLowerCase() === word)""",
                              arg=word, timeout=15000)
    watched.evaluate(SETTLE)
    found = watched.evaluate(
        "() => [...document.querySelectorAll('.md-search-result *')]"
        ".filter(el => [...el.attributes].some(a => a.name.startsWith('on'))"
        " || ['SCRIPT','IMG','IFRAME','OBJECT','EMBED','svg','INPUT']"
        ".includes(el.tagName)).map(el => el.outerHTML.slice(0, 160))")
    fired = watched.evaluate("() => window.__xss") + watched.fired + found
    assert fired == [], "\n".join(fired[:30])


def test_non_web_urls_in_bibtex_are_rejected_with_their_line(tmp_path):
    from mechatlas.load.bibtex import load_bibliography

    bib = tmp_path / "references.bib"
    bib.write_text("@misc{a,\n  title = {T},\n  url = {javascript:alert(1)}\n}\n"
                   "@misc{b,\n  title = {T},\n  url = {data:text/html,<script>x</script>}\n}\n",
                   encoding="utf-8")
    refs, problems = load_bibliography(bib, "references.bib")
    assert [(p.line, p.code) for p in problems] == [(3, "bad-url"), (7, "bad-url")]
    assert refs["a"].url == "" and refs["b"].url == ""
