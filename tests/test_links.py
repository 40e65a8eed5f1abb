"""Every link of the built real site leads somewhere, and nothing is loaded from elsewhere.

The real repository's build inputs are copied to a temporary folder and built there once
(the shared staging folder of the working tree is never touched). Every HTML page of both
languages is parsed with the standard library's html.parser:

* every internal href/src (relative, root-relative or absolute on the site's own host)
  must name a file of the site, and its #anchor an id (or an <a name>) of that page;
* external links are listed in test-artifacts/external-links.txt and never fetched;
* nothing a page needs to render (scripts, stylesheets, fonts, images, frames) comes from
  another host, in the HTML or in the site's own CSS;
* pages under /zh/ are <html lang="zh">, all others <html lang="en">.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default site_url, which the shared build uses
SITE_ORIGIN = "http://127.0.0.1:8000"
LOCAL = "http://site.invalid"  # stands for the site's root while resolving relative URLs
LINK_ATTRIBUTES = {"href", "src", "xlink:href", "poster", "data", "action", "formaction"}
RENDER_LINK_RELS = {"stylesheet", "preload", "modulepreload", "icon", "shortcut",
                    "apple-touch-icon", "manifest", "mask-icon", "prefetch", "preconnect",
                    "dns-prefetch"}


@pytest.fixture(scope="module")
def site(real_site: Path) -> Path:
    """The shared real build: its site_url is mkdocs.yml's default, SITE_URL."""
    return real_site


class Link:
    def __init__(self, tag: str, attribute: str, value: str, attrs: dict[str, str]) -> None:
        self.tag, self.attribute, self.value, self.attrs = tag, attribute, value, attrs

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attribute}={self.value!r}>"


class PageParser(HTMLParser):
    """Links, ids, the <html lang> and the <style> text of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self.ids: set[str] = set()
        self.lang: str | None = None
        self.styles: list[str] = []
        self.fragment_refs: list[str] = []  # url(#id) in SVG attributes
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = values.get("lang")
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for name, value in values.items():
            if name in LINK_ATTRIBUTES:
                self.links.append(Link(tag, name, value, values))
            elif name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.links.append(Link(tag, name, candidate.split()[0], values))
            elif name == "style":
                self.styles.append(value)
            elif name != "content":
                self.fragment_refs += re.findall(r"url\(#([^)]+)\)", value)
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


@cache
def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text("utf-8"))
    parser.close()
    return parser


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def page_path(site: Path, page: Path) -> str:
    return "/" + page.relative_to(site).as_posix()


def target_file(site: Path, path: str) -> Path | None:
    """The file a site path serves, as a static server with directory indexes does."""
    relative = unquote(path).lstrip("/")
    candidate = site / relative
    if path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def classify(link: Link, base: str) -> tuple[str, str]:
    """('internal', absolute local URL) | ('external', URL) | ('other', value)."""
    value = link.value.strip()
    scheme = urlsplit(value).scheme.lower()
    if scheme in ("mailto", "tel", "data", "blob", "about"):
        return "other", value
    if value.startswith("//"):
        value = "http:" + value
        scheme = "http"
    if scheme in ("http", "https"):
        parts = urlsplit(value)
        if f"{parts.scheme}://{parts.netloc}" == SITE_ORIGIN:
            return "internal", LOCAL + parts.path + (f"#{parts.fragment}" if parts.fragment
                                                     else "")
        return "external", value
    if scheme:
        return "other", value
    return "internal", urljoin(base, value)


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    broken: dict[str, list[str]] = defaultdict(list)
    checked = 0
    for page in pages(site):
        here = page_path(site, page)
        base = LOCAL + here
        parsed = parse(page)
        for link in parsed.links:
            kind, url = classify(link, base)
            if kind != "internal":
                if kind == "other" and url.lower().startswith(("javascript:", "vbscript:")):
                    broken[here].append(f"{link!r}: script URL")
                continue
            checked += 1
            parts = urlsplit(url)
            target = target_file(site, parts.path)
            if target is None:
                broken[here].append(f"{link!r}: no file for {parts.path}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in parse(target).ids:
                broken[here].append(f"{link!r}: no id {fragment!r} in "
                                    f"{page_path(site, target)}")
        for ref in parsed.fragment_refs:
            if ref not in parsed.ids:
                broken[here].append(f"url(#{ref}): no such id on the page")
    assert checked > 1000
    lines = [f"{page}: {problem}" for page, problems in sorted(broken.items())
             for problem in problems]
    assert lines == [], f"{len(lines)} broken link(s):\n" + "\n".join(lines[:60])


def test_sitemap_lists_only_pages_that_exist(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    locations = re.findall(r'(?:<loc>|href=")([^<"]+)', sitemap)
    assert locations
    missing = [loc for loc in locations
               if not loc.startswith(SITE_URL)
               or target_file(site, "/" + loc[len(SITE_URL):]) is None]
    assert missing == []


def test_external_links_are_listed_never_fetched(site: Path) -> None:
    found: dict[str, set[str]] = defaultdict(set)
    for page in pages(site):
        for link in parse(page).links:
            kind, url = classify(link, LOCAL + page_path(site, page))
            if kind == "external":
                found[url].add(page_path(site, page))
    ARTIFACTS.mkdir(exist_ok=True)
    lines = [f"{url}\t{len(where)} page(s)\te.g. {min(where)}"
             for url, where in sorted(found.items())]
    (ARTIFACTS / "external-links.txt").write_text(
        "# External links of the built site: listed by tests/test_links.py, never fetched.\n"
        "# url<TAB>pages linking to it<TAB>one of them\n" + "\n".join(lines) + "\n",
        encoding="utf-8")
    assert all(urlsplit(url).scheme in ("http", "https") for url in found)


def test_nothing_needed_to_render_comes_from_another_host(site: Path) -> None:
    problems: list[str] = []
    for page in pages(site):
        here = page_path(site, page)
        parsed = parse(page)
        for link in parsed.links:
            needed = (
                (link.tag in ("script", "img", "iframe", "source", "video", "audio", "embed",
                              "object", "input", "track", "image", "use", "frame")
                 and link.attribute in ("src", "data", "poster", "srcset", "href",
                                        "xlink:href"))
                or (link.tag == "link" and link.attribute == "href"
                    and set(link.attrs.get("rel", "").lower().split()) & RENDER_LINK_RELS)
            )
            if needed and classify(link, LOCAL + here)[0] == "external":
                problems.append(f"{here}: {link!r}")
        for style in parsed.styles:
            problems += [f"{here}: style {ref}" for ref in external_css_refs(style)]
    for sheet in sorted(site.rglob("*.css")):
        text = sheet.read_text("utf-8", errors="replace")
        problems += [f"/{sheet.relative_to(site)}: {ref}" for ref in external_css_refs(text)]
    assert problems == [], "\n".join(problems[:60])


def external_css_refs(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    refs = re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
    refs += re.findall(r"@import\s+['\"]([^'\"]+)", css)
    return [ref for ref in refs if re.match(r"(?:https?:)?//", ref.strip(), re.I)]


def test_html_lang_matches_the_language_folder(site: Path) -> None:
    wrong = []
    for page in pages(site):
        here = page_path(site, page)
        expected = "zh" if here.startswith("/zh/") else "en"
        if parse(page).lang != expected:
            wrong.append(f"{here}: lang={parse(page).lang!r}, expected {expected!r}")
        if f'<html lang="{expected}"' not in page.read_text("utf-8")[:2000]:
            wrong.append(f'{here}: no literal <html lang="{expected}"')
    assert len(pages(site)) > 50
    assert wrong == [], "\n".join(wrong[:40])


def test_citations_are_parsed_by_mkdocs_bibtex_through_its_public_module(monkeypatch):
    import mkdocs_bibtex.citation

    from mechatlas.model import prose_tokens

    parsed: list[str] = []
    original = mkdocs_bibtex.citation.CitationBlock.from_markdown

    def spy(markdown: str):
        parsed.append(markdown)
        return original(markdown)

    # Imported when first needed (it imports MkDocs), but always from the public module.
    monkeypatch.setattr(mkdocs_bibtex.citation.CitationBlock, "from_markdown", spy)
    assert list(prose_tokens.cited_keys("Shown [@doe2020, p. 3].")) == ["doe2020"]
    assert parsed == ["[@doe2020, p. 3]"]


_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S)
_LIST_MARKER_LINE = re.compile(r"\n[ \t]*(?:[*+-]|\d+\.) \S")


def test_no_markdown_list_is_left_as_paragraph_text(site: Path) -> None:
    """A list written without the blank line (or the four-space indent) Python-Markdown needs
    reads as "… removed: * the claim cards …" in one paragraph; no page may show that."""
    found = [f"{page_path(site, page)}: {match.group(1)[:80]!r}"
             for page in pages(site) if "pagefind" not in page.parts
             for match in _PARAGRAPH.finditer(page.read_text("utf-8"))
             if _LIST_MARKER_LINE.search(match.group(1))]
    assert found == []
