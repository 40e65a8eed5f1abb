"""The built site on a 390 px phone and from the keyboard, in headless Chromium (Debian's)."""

from __future__ import annotations

import pytest

from page_visits import DESK, LANGUAGES, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EVERY_PAGE_KIND = [
    "", "therapies/", "pathways/", "conditions/", "genes/", "methods/", "sources/",
    "therapies/ketogenic-diet/", "pathways/ampk-mtor/", "conditions/drug-resistant-epilepsy/",
    "genes/scn1a/", "methods/mri-7t/", "sources/mtor-depression-review/", "references/",
    "matrix/", "compare/", "about/", "contributing/", "coverage/", "performance/",
]
KD_NF_KB = "claim-kd-inhibits-nf-kb-neuroinflammation"


@pytest.fixture
def open_tab(shared_chromium, site_url):
    """A fresh tab at a viewport size; every context is closed at the end of the test."""
    contexts = []

    def _open(viewport: dict[str, int], javascript: bool = True):
        context = shared_chromium.new_context(viewport=viewport, java_script_enabled=javascript)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def _prefix(lang: str) -> str:
    return "" if lang == "en" else "/zh"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_page_kind_scrolls_sideways_on_a_phone(page_visits, lang):
    too_wide = {}
    for url in EVERY_PAGE_KIND:
        width = page_visits.visit(lang, url).phone_width
        if width > PHONE["width"]:
            too_wide[url] = width
    assert too_wide == {}


DIAGRAM_TEXT_PX = """() => {
  const svg = document.querySelector('.ma-diagram__svg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('text')].map(
    t => parseFloat(getComputedStyle(t).fontSize) * scale);
  return Math.min(...sizes);
}"""


@pytest.mark.parametrize("url", ["therapies/ketogenic-diet/", "pathways/ampk-mtor/"])
def test_diagram_text_is_legible_on_a_phone_and_equal_in_both_languages(open_tab, site_url, url):
    tab = open_tab(PHONE)
    sizes = []
    for lang in ("en", "zh"):
        tab.goto(f"{site_url}{_prefix(lang)}/{url}")
        tab.wait_for_selector(".ma-diagram__svg text")
        sizes.append(round(tab.evaluate(DIAGRAM_TEXT_PX), 2))
        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert sizes[0] == sizes[1] and sizes[0] >= 11, sizes


@pytest.mark.parametrize(("start", "other"), [("en", "zh"), ("zh", "en")])
def test_language_switch_lands_on_the_same_claim(open_tab, site_url, start, other):
    tab = open_tab(DESK)
    tab.goto(f"{site_url}{_prefix(start)}/therapies/ketogenic-diet/#{KD_NF_KB}")
    tab.locator(".md-header .md-select").hover()
    tab.locator(f".md-header a[hreflang='{other}']").click()
    tab.wait_for_url(f"{site_url}{_prefix(other)}/therapies/ketogenic-diet/#{KD_NF_KB}")
    assert tab.locator("html").get_attribute("lang") == other
    top = tab.locator(f"#{KD_NF_KB}").evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < DESK["height"] / 2


def test_language_switch_keeps_the_place_scrolled_to_without_an_anchor(open_tab, site_url):
    tab = open_tab(DESK)
    tab.goto(f"{site_url}/therapies/ketogenic-diet/")
    # The site's script has set up every part of the page (the language switch comes last),
    # and the text has its final height.
    tab.wait_for_selector(".md-header a[hreflang='zh'][data-ma-keep-place]", state="attached")
    tab.evaluate("document.fonts.ready.then(() => null)")
    for _ in range(5):  # 100 px inside the claim, and still there two frames later
        placed = tab.locator(f"#{KD_NF_KB}").evaluate("""e => {
            const inside = () => Math.abs(e.getBoundingClientRect().top
                - document.querySelector('.md-header').offsetHeight + 100) < 2;
            window.scrollTo(0, window.scrollY + 100 + e.getBoundingClientRect().top
                - document.querySelector('.md-header').offsetHeight);
            return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(
                () => done(inside()))));
        }""")
        if placed:
            break
    assert placed
    # The link's own click, as the menu gives it: no pointer move or scroll in between (the
    # menu's hover and click are test_language_switch_lands_on_the_same_claim's).
    tab.locator(".md-header a[hreflang='zh']").dispatch_event("click")
    tab.wait_for_url(f"{site_url}/zh/therapies/ketogenic-diet/#**")
    landed = tab.evaluate("location.hash")
    assert landed == f"#{KD_NF_KB}" or tab.locator(landed).evaluate(
        f"(e) => !!e.closest('#{KD_NF_KB}')")


@pytest.mark.parametrize("url", ["therapies/ketogenic-diet/", "zh/sources/mtor-depression-review/"])
def test_skip_to_content_lands_on_the_glance(open_tab, site_url, url):
    tab = open_tab(DESK)
    tab.goto(f"{site_url}/{url}")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.classList.contains('md-skip')")
    tab.keyboard.press("Enter")
    tab.wait_for_function("location.hash === '#ma-glance'")
    top = tab.locator("#ma-glance").evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < DESK["height"] / 2


@pytest.mark.parametrize(("lang", "name"), [
    ("en", "Ketogenic diet inhibits NF-κB pathway — epilepsy — animal study"),
    ("zh", "生酮饮食抑制NF-κB通路——癫痫——动物实验"),
])
def test_matrix_marks_name_therapy_pathway_condition_and_design(open_tab, site_url, lang, name):
    tab = open_tab(DESK)
    tab.goto(f"{site_url}{_prefix(lang)}/matrix/")
    mark = tab.locator(".ma-matrix").get_by_role("link", name=name, exact=True)
    assert mark.count() == 1
    assert mark.get_attribute("href").endswith(f"#{KD_NF_KB}")


FOCUSABLE_IN_GRID = """g => [...g.querySelectorAll('a, [tabindex]')].filter(
    e => e.tabIndex >= 0 && !e.hidden).length"""


def test_matrix_grid_is_one_tab_stop_with_arrow_keys_inside(open_tab, site_url):
    tab = open_tab(DESK)
    tab.goto(f"{site_url}/matrix/")
    grid = tab.locator("[data-ma-grid]")
    tab.wait_for_selector("[data-ma-grid] a[tabindex='0']", state="attached")
    assert grid.evaluate(FOCUSABLE_IN_GRID) == 1
    tab.locator(".ma-skip-grid a").focus()
    tab.keyboard.press("Tab")
    first = tab.evaluate("document.activeElement.textContent")
    assert grid.evaluate("g => g.contains(document.activeElement)")
    tab.keyboard.press("ArrowRight")
    assert grid.evaluate("g => g.contains(document.activeElement)")
    assert tab.evaluate("document.activeElement.textContent") != first
    tab.keyboard.press("Tab")
    assert not grid.evaluate("g => g.contains(document.activeElement)")


COLUMN_OF = """a => { let c = a.closest('td'), n = 0;
  for (let s = c.previousElementSibling; s; s = s.previousElementSibling) n += s.colSpan;
  return [n, Array.from(c.closest('tbody').rows).indexOf(c.parentElement)]; }"""


def test_matrix_arrow_down_stays_in_its_column_across_spanned_gaps(open_tab, site_url):
    tab = open_tab(DESK)
    tab.goto(f"{site_url}/matrix/")
    tab.wait_for_selector("[data-ma-grid] a[tabindex='0']", state="attached")
    marks = tab.locator(".ma-matrix tbody .ma-mark")
    places = marks.evaluate_all(f"as => as.map({COLUMN_OF})")
    # a mark with another mark lower in its column, and a spanned gap before one of them
    start = next(i for i, (col, row) in enumerate(places)
                 if any(c == col and r > row for c, r in places))
    marks.nth(start).focus()
    tab.keyboard.press("ArrowDown")
    column, row = tab.evaluate(f"({COLUMN_OF})(document.activeElement)")
    below = min(r for c, r in places if c == places[start][0] and r > places[start][1])
    assert (column, row) == (places[start][0], below)
    assert tab.locator(".ma-matrix td[colspan]").count() > 0


def test_matrix_skip_link_passes_the_grid_to_the_list_of_claims(open_tab, site_url):
    tab = open_tab(DESK)
    tab.goto(f"{site_url}/matrix/")
    tab.locator(".ma-skip-grid a").click()
    tab.wait_for_function("location.hash === '#matrix-claims'")
    assert tab.locator("#matrix-claims").is_visible()
    listed = tab.locator(".ma-matrix-list li").count()
    assert listed == tab.locator(".ma-matrix .ma-mark").count() > 0


SHOWN = "els => els.filter(e => !e.hidden).length"


def test_matrix_filters_live_in_the_url_and_survive_a_reload(open_tab, site_url):
    tab = open_tab(DESK)
    tab.goto(f"{site_url}/matrix/")
    tab.select_option("select[data-ma-filter-key='condition']", "depression")
    tab.select_option("select[data-ma-filter-key='level']", "4")
    tab.wait_for_url(f"{site_url}/matrix/?condition=depression&level=4")
    listed = tab.locator(".ma-matrix-list li").evaluate_all(SHOWN)
    assert 0 < listed == tab.locator(".ma-matrix .ma-mark").evaluate_all(SHOWN)
    tab.reload()
    assert tab.locator("select[data-ma-filter-key='condition']").input_value() == "depression"
    assert tab.locator("select[data-ma-filter-key='level']").input_value() == "4"
    assert tab.locator(".ma-matrix-list li").evaluate_all(SHOWN) == listed


ROWS_SHOWN = """rows => rows.filter(r => !r.hidden).map(
    r => [r.dataset.maTherapy, r.dataset.maPathway, r.closest('section').querySelector('h2').id])"""


def test_compare_sets_two_therapies_side_by_side_by_condition(open_tab, site_url):
    tab = open_tab(DESK)
    tab.goto(f"{site_url}/compare/")
    tab.select_option("select[data-ma-pick='a']", "ketogenic-diet")
    tab.select_option("select[data-ma-pick='b']", "ketamine")
    tab.wait_for_url(f"{site_url}/compare/?a=ketogenic-diet&b=ketamine")
    rows = tab.locator("tr[data-ma-therapy]").evaluate_all(ROWS_SHOWN)
    assert {therapy for therapy, _, _ in rows} == {"ketogenic-diet", "ketamine"}
    shown_groups = tab.locator("[data-ma-group]").evaluate_all(
        "gs => gs.filter(g => !g.hidden).map(g => g.querySelector('h2').id)")
    assert shown_groups == list(dict.fromkeys(group for _, _, group in rows))
    assert "condition-depression" in shown_groups and "condition-epilepsy" in shown_groups


def test_compare_sets_a_therapy_against_a_pathway_from_the_url(open_tab, site_url):
    tab = open_tab(DESK)
    tab.goto(f"{site_url}/zh/compare/?a=ketamine&b=nf-kb")
    tab.wait_for_selector("[data-ma-compare]:not([hidden])")
    assert tab.locator("select[data-ma-pick='b']").input_value() == "nf-kb"
    rows = tab.locator("tr[data-ma-therapy]").evaluate_all(ROWS_SHOWN)
    assert rows and all(t == "ketamine" or p == "nf-kb" for t, p, _ in rows)
    assert {p for _, p, _ in rows} >= {"nf-kb"} and {t for t, _, _ in rows} >= {"ketamine"}


def test_compare_without_script_lists_every_claim(open_tab, site_url):
    tab = open_tab(PHONE, javascript=False)
    tab.goto(f"{site_url}/compare/")
    assert tab.locator("[data-ma-compare]").is_hidden()
    rows = tab.locator("tr[data-ma-therapy]")
    assert rows.count() == rows.evaluate_all(SHOWN) > 0
