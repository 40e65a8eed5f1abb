"""The built site as a person uses it, in headless Chromium (Debian's, no download)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from page_visits import PREFIXES, watch_problems

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def browser(shared_chromium):
    """The session's one Chromium (two sync Playwright instances cannot share a process)."""
    return shared_chromium


@pytest.fixture
def page(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield watch_problems(context.new_page(), site_url)
    context.close()


def shot(tab, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_language_switch_keeps_the_pathway_page(page, site_url):
    page.goto(f"{site_url}/pathways/ampk-mtor/")
    assert page.locator("h1").inner_text() == "AMPK/mTOR pathway"
    page.locator(".md-header .md-select").hover()
    page.locator(".md-header a[hreflang='zh']").click()
    page.wait_for_url(f"{site_url}/zh/pathways/ampk-mtor/")
    assert page.locator("html").get_attribute("lang") == "zh"
    assert page.locator("h1").inner_text() == "AMPK/mTOR通路"
    shot(page, "pathway-zh")
    assert page.problems == []


@pytest.mark.parametrize(("prefix", "pathway_name"), [("", "AMPK/mTOR pathway"),
                                                     ("/zh", "AMPK/mTOR通路")])
def test_citation_leads_to_its_reference_and_back(page, site_url, prefix, pathway_name):
    page.goto(f"{site_url}{prefix}/pathways/ampk-mtor/")
    citation = page.locator(".ma-summary a.ma-cite").first
    anchor = citation.get_attribute("href")
    number = citation.inner_text().strip("[]?").split(",")[0]
    citation.click()
    page.wait_for_url(f"{site_url}{prefix}/pathways/ampk-mtor/{anchor}")
    listed = page.locator(anchor)
    assert listed.is_visible() and listed.get_attribute("value") == number
    key = anchor.split("#cite-")[1]
    listed.locator("a.ma-bibliography__index").click()
    page.wait_for_url(f"{site_url}{prefix}/references/#ref-{key}")
    entry = page.locator(f"#ref-{key}")
    assert entry.is_visible()
    # Entries are laid out only near the viewport (content-visibility); the one reached stays
    # where it landed, below the header, while those around it are drawn.
    header = page.locator(".md-header").evaluate("e => e.getBoundingClientRect().bottom")
    tops = [entry.evaluate("e => new Promise(done => requestAnimationFrame(() => "
                           "requestAnimationFrame(() => done(e.getBoundingClientRect().top))))")
            for _ in range(3)]
    assert len(set(tops)) == 1 and header <= tops[0] < page.viewport_size["height"] / 2
    entry.locator(".ma-reference__backlinks").get_by_role(
        "link", name=pathway_name, exact=True).click()
    page.wait_for_url(f"{site_url}{prefix}/pathways/ampk-mtor/")
    assert page.problems == []


PAGE_KINDS = ["", "therapies/", "therapies/ketogenic-diet/", "pathways/adenosine-signalling/",
              "conditions/drug-resistant-epilepsy/", "genes/scn1a/", "methods/mri-7t/",
              "sources/mtor-depression-review/", "references/", "matrix/", "compare/", "about/",
              "contributing/"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_page_kind_loads_without_errors_or_outside_requests(page_visits, prefix):
    for url in PAGE_KINDS:
        visit = page_visits.visit("en" if prefix == "" else "zh", url)
        assert visit.ok and visit.headings == 1, url
        assert visit.problems == [], url


@pytest.mark.parametrize("prefix", PREFIXES)
def test_language_switch_keeps_the_page_on_every_kind(page_visits, site_url, prefix):
    other = "zh" if prefix == "" else "en"
    for url in PAGE_KINDS:  # the switch itself is clicked in the pathway and phone tests
        target = page_visits.visit("en" if prefix == "" else "zh", url).switch_href
        expected = f"{site_url}/{url}" if other == "en" else f"{site_url}/zh/{url}"
        assert target.split("#")[0] == expected, url


def test_matrix_filters_by_condition_and_evidence_level(page, site_url):
    page.goto(f"{site_url}/matrix/")
    marks = page.locator(".ma-matrix [data-ma-row]")
    total = marks.count()
    visible = "els => els.filter(e => !e.hidden).length"
    page.select_option("select[data-ma-filter-key='condition']", "depression")
    depression = marks.evaluate_all(visible)
    assert 0 < depression < total
    rows = page.locator("tr[data-ma-therapy='ketogenic-diet']")
    assert rows.get_attribute("data-ma-empty") == ""  # no ketogenic-diet claim in depression
    page.select_option("select[data-ma-filter-key='level']", "4")  # animal or stronger
    assert 0 < marks.evaluate_all(visible) <= depression
    assert page.locator("[data-ma-count]").inner_text().endswith(
        f"{marks.evaluate_all(visible)} claims shown")
    shot(page, "matrix-filtered")
    assert page.problems == []


def test_therapy_summary_box_reads_on_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(f"{site_url}/zh/therapies/rapamycin/")
    glance = tab.locator(".ma-glance")
    assert glance.is_visible()
    box = glance.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    text = glance.inner_text()
    assert "抑郁症" in text and "疾病与证据" in text and "不良反应" in text
    shot(tab, "therapy-phone-zh")
    context.close()


def test_references_filter_by_year(page, site_url):
    page.goto(f"{site_url}/references/")
    entries = page.locator(".ma-references > li")
    total = entries.count()
    page.select_option("select[data-ma-filter-key='year']", "2011")
    visible = entries.evaluate_all("els => els.filter(e => !e.hidden).map(e => e.id)")
    assert visible == ["ref-mcdaniel2011ketogenic"] and total > 1
    assert page.problems == []




def test_colour_toggle_follows_the_system_then_the_reader_on_every_page(browser, site_url):
    """The site's own toggle (docs_templates/overrides/partials/palette.html): a dark system
    setting is shown dark from the first frame, a choice is kept across pages and languages,
    and Enter on the toggle switches as a click does."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    tab = watch_problems(context.new_page(), site_url)
    tab.goto(f"{site_url}/therapies/rapamycin/")
    body = tab.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "slate"
    shown = tab.locator("[data-ma-palette] label:not([hidden])")
    assert shown.count() == 1 and shown.get_attribute("title") == "Switch to light mode"
    shown.click()
    assert body.get_attribute("data-md-color-scheme") == "default"
    assert tab.locator("[data-ma-palette] label:not([hidden])").get_attribute(
        "title") == "Switch to dark mode"
    assert body.get_attribute("data-md-color-switching") is None
    assert tab.locator("meta[name='theme-color']").get_attribute("content").startswith("rgb")
    tab.goto(f"{site_url}/zh/pathways/ampk-mtor/")
    assert tab.locator("body").get_attribute("data-md-color-scheme") == "default"
    assert tab.locator("[data-ma-palette] label:not([hidden])").get_attribute(
        "title") == "切换到深色模式"  # the chrome speaks the page's language too
    tab.locator("[data-ma-palette] input:checked").focus()
    tab.keyboard.press("Enter")
    assert tab.locator("body").get_attribute("data-md-color-scheme") == "slate"
    tab.reload()
    assert tab.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert tab.problems == []
    context.close()
