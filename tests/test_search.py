"""Search in Chromium over the built real site: Pagefind's index through the site's own search
box and the box's search function (window.mechatlasSearch, over Pagefind's JavaScript API),
both languages (docs/decisions/0016).

Queries are batched in one page load (``page.evaluate``) so the suite stays fast.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from page_visits import watch_problems
from pagefind_fragments import fragments

pytestmark = [pytest.mark.browser, pytest.mark.slow]
FOLDERS = {"pathway": "pathways", "therapy": "therapies", "condition": "conditions",
           "gene": "genes", "method": "methods"}
SEARCH = """async ({queries, depth}) => {
  const out = {};
  for (const query of queries) { out[query] = await window.mechatlasSearch(query, depth); }
  return out;
}"""


@pytest.fixture
def page(shared_chromium, site_url):
    context = shared_chromium.new_context(viewport={"width": 1280, "height": 900})
    tab = watch_problems(context.new_page(), site_url)
    tab.fetched = {}  # path under /pagefind/ -> bytes
    yield tab
    context.close()


def search_all(page, url: str, queries: list[str], depth: int = 3) -> dict[str, list[str]]:
    page.goto(url)
    result: dict[str, list[str]] = page.evaluate(SEARCH, {"queries": queries, "depth": depth})
    return result


def entities(site: Path) -> list[dict[str, object]]:
    atlas = json.loads((site / "data" / "atlas.json").read_text("utf-8"))
    return [e for e in atlas["entities"] if e["kind"] in FOLDERS]


@pytest.mark.parametrize("prefix", ["", "zh/"])
def test_every_entity_is_found_by_its_english_and_its_chinese_name(page, site_url, real_site,
                                                                   prefix):
    expected = {}
    for entity in entities(real_site):
        for lang in ("en", "zh"):
            name = entity["name"].get(lang)
            if name:
                expected.setdefault(name, set()).add(
                    f"/{prefix}{FOLDERS[entity['kind']]}/{entity['id']}/")
    found = search_all(page, f"{site_url}/{prefix}", sorted(expected))
    missed = [f"{name}: {found[name]}" for name, urls in expected.items()
              if not urls & set(found[name])]
    assert missed == [], f"{len(missed)} of {len(expected)} missed on /{prefix}:\n" + "\n".join(
        missed)
    assert page.problems == []


@pytest.mark.parametrize(("query", "expected"), [
    ("雷帕霉素", "/zh/therapies/rapamycin/"),
    ("生酮饮食", "/zh/therapies/ketogenic-diet/"),
    ("腺苷", "/zh/pathways/adenosine-signalling/"),
    ("难治性癫痫", "/zh/conditions/drug-resistant-epilepsy/"),
])
def test_a_chinese_query_returns_the_right_page_first(page, site_url, query, expected):
    assert search_all(page, f"{site_url}/zh/", [query], depth=1)[query] == [expected]


def test_aliases_find_their_entity_page(page, site_url):
    found = search_all(page, f"{site_url}/", ["ECT", "aIH", "sirolimus", "K他命"])
    assert "/therapies/electroconvulsive-therapy/" in found["ECT"]
    assert "/therapies/acute-intermittent-hypoxia/" in found["aIH"]
    assert "/therapies/ketamine/" in found["K他命"]


def test_each_language_searches_its_own_pages_only(page, site_url):
    queries = ["mTOR", "rapamycin", "雷帕霉素", "epilepsy", "癫痫"]
    english = search_all(page, f"{site_url}/", queries, depth=50)
    chinese = search_all(page, f"{site_url}/zh/", queries, depth=50)
    assert all(english.values()) and all(chinese.values())
    assert [u for urls in english.values() for u in urls if u.startswith("/zh/")] == []
    assert [u for urls in chinese.values() for u in urls if not u.startswith("/zh/")] == []


HIDDEN = re.compile(r"<p hidden[^>]*>.*?</p>", re.S)
TAG = re.compile(r"<[^>]+>")


def _page_texts(site: Path, prefix: str) -> dict[str, str]:
    """Each indexed page's visible text (without the hidden lines search adds)."""
    out = {}
    for fragment in fragments(site):
        url = fragment["url"]
        if url.startswith("/zh/") == (prefix == "zh/"):
            html = (site / url.strip("/") / "index.html").read_text("utf-8")
            out[url] = TAG.sub(" ", HIDDEN.sub(" ", html))
    return out


@pytest.mark.parametrize("prefix", ["", "zh/"])
def test_a_synonym_finds_the_pages_that_use_another_term_of_its_group(page, site_url,
                                                                      real_site, prefix):
    from mechatlas.site.search_terms import load_synonyms

    groups = load_synonyms(Path(__file__).resolve().parent.parent / "search-synonyms.yaml")
    assert groups
    pages = _page_texts(real_site, prefix)
    queries, wanted = [], []
    for group in groups:
        for term in group:
            # a page whose text uses another term of the group but not this one
            users = sorted(u for u, t in pages.items()
                           if term.lower() not in t.lower()
                           and any(o.lower() in t.lower() for o in group if o != term))
            if users:
                queries.append(term)
                wanted.append((term, users[0]))
    assert len(wanted) >= len(groups)
    found = search_all(page, f"{site_url}/{prefix}", sorted(set(queries)), depth=500)
    missed = [f"{term} -> {url}" for term, url in wanted if url not in found[term]]
    assert missed == []


@pytest.mark.parametrize(("prefix", "count_text", "placeholder"), [
    ("", r"^\d+ matching documents$", "Search"),
    ("zh/", r"^\d+ 个符合条件的结果$", "搜索"),
])
def test_the_search_box_speaks_the_page_language_and_keys_work(page, site_url, prefix,
                                                               count_text, placeholder):
    page.goto(f"{site_url}/{prefix}therapies/ketamine/")
    field = page.locator("input.md-search__input")
    assert field.get_attribute("placeholder") == placeholder
    page.keyboard.press("/")  # Material's shortcut opens search
    assert page.evaluate("document.getElementById('__search').checked")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.type("mTOR")
    page.wait_for_selector(".md-search-result__item")
    meta = page.locator(".md-search-result__meta").inner_text().strip()
    assert re.match(count_text, meta), meta
    titles = page.locator(".md-search-result__article h1").all_inner_texts()
    assert titles and all("\u200b" not in t for t in titles)
    assert page.locator(".md-search-result__article mark").count() > 0  # terms highlighted
    page.keyboard.press("ArrowDown")
    first = page.locator(".md-search-result__link").first
    assert page.evaluate("document.activeElement") == first.evaluate("a => a")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("s")
    target = first.get_attribute("href")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # follows the first result
    assert page.url == f"{site_url}{target}" != f"{site_url}/{prefix}therapies/ketamine/"
    assert page.problems == []


def test_chinese_results_quote_the_pages_not_their_hidden_name_lines(page, site_url):
    """A page's own excerpt often quotes its hidden lines of names in both languages; a result
    with matching sections shows their excerpts instead, in the page's language."""
    page.goto(f"{site_url}/zh/")
    page.keyboard.press("/")
    page.keyboard.type("生酮饮食")
    page.wait_for_selector(".md-search-result__item")
    first = page.locator(".md-search-result__item").first
    assert first.locator("h2").count() > 0  # the therapy page's matching sections
    assert "classic ketogenic diet" not in first.inner_text().casefold()
    assert page.problems == []


def test_one_search_fetches_only_pieces_of_the_index(page, site_url, real_site):
    """Nothing is fetched before the reader searches; a search fetches a fraction of the index."""
    sizes: dict[str, int] = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body()))
            if "/pagefind/" in r.url and r.ok else None)
    page.goto(f"{site_url}/")
    page.wait_for_load_state("networkidle")
    assert sizes == {}
    field = page.locator("input.md-search__input")
    field.click()
    field.press_sequentially("ketogenic", delay=20)
    page.wait_for_selector(".md-search-result__item")
    page.wait_for_load_state("networkidle")
    whole = sum(p.stat().st_size for p in (real_site / "pagefind").rglob("*") if p.is_file())
    fragments_fetched = [u for u in sizes if "/fragment/" in u]
    assert 0 < len(fragments_fetched) <= 10
    assert 0 < sum(sizes.values()) < whole / 2
    assert page.problems == []


def test_excerpts_carry_no_citation_marks_or_permalink_signs_and_titles_no_breaks(real_site):
    pages = fragments(real_site)
    assert len({p["url"] for p in pages}) == len(pages) > 100
    assert [p["url"] for p in pages if "\u200b" in p["meta"].get("title", "")] == []
    prose = ("/contributing/", "/zh/contributing/")  # explains citation marks in words
    assert [p["url"] for p in pages if p["url"] not in prose
            and re.search(r"\[\d+\??\]|¶", p["content"])] == []
    assert not any(p["url"].endswith("404.html") for p in pages)


def test_search_works_when_the_site_is_served_under_a_sub_path(shared_chromium, real_site,
                                                               tmp_path):
    import functools
    import http.server
    import threading

    (tmp_path / "atlas").symlink_to(real_site, target_is_directory=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        context = shared_chromium.new_context()
        tab = context.new_page()
        tab.goto(f"http://127.0.0.1:{server.server_address[1]}/atlas/zh/therapies/ketamine/")
        found = tab.evaluate(SEARCH, {"queries": ["雷帕霉素"], "depth": 3})
        assert found["雷帕霉素"][0] == "/atlas/zh/therapies/rapamycin/"
        context.close()
    finally:
        server.shutdown()
        server.server_close()


def test_the_matrix_and_compare_pages_are_found_by_their_lead_not_their_rows(real_site):
    """Their rows repeat every claim (search_index.AGGREGATE_ROWS): the claim is found on its
    therapy's page, the page by its title and lead."""
    pages = {p["url"]: p for p in fragments(real_site)}
    therapy = pages["/therapies/ketogenic-diet/"]["content"]
    for url in ("/matrix/", "/compare/", "/zh/matrix/", "/zh/compare/"):
        assert len(pages[url]["content"]) < 1500, url
    assert "Matrix" in pages["/matrix/"]["meta"]["title"] and len(therapy) > 1500
