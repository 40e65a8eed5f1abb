"""Layout and labels for phones and screen readers, checked without a browser."""

from __future__ import annotations

import re

from mechatlas.render.diagram import wrap
from mechatlas.site.generate import render_files

CLOSING = "，。、；：？！）」》"
OPENING = "（「《"


def test_a_chinese_label_never_starts_a_line_with_closing_punctuation():
    assert wrap("哺乳动物雷帕霉素靶蛋白（mTOR信号通路（mTORC1/mTORC2））") == [
        "哺乳动物雷帕霉素靶蛋白", "（mTOR信号通路（mTORC1/", "mTORC2））"]


def test_a_chinese_label_never_ends_a_line_with_an_opening_bracket():
    lines = wrap("谷氨酸–GABA平衡（兴奋性与抑制性神经传递），减少发作")
    assert lines == ["谷氨酸–GABA平衡（兴奋性与", "抑制性神经传递），减少发作"]
    assert not any(line[0] in CLOSING or line[-1] in OPENING for line in lines)


def test_latin_words_in_a_label_stay_whole():
    assert wrap("Acupuncture (including electroacupuncture)") == [
        "Acupuncture (including", "electroacupuncture)"]


def _rendered(mini_repo) -> dict[str, str]:
    generation = render_files(mini_repo)
    assert generation.project.ok, generation.diagnostics
    return generation.files


def test_matrix_marks_are_named_by_therapy_pathway_condition_and_design(mini_repo):
    files = _rendered(mini_repo)
    en = re.findall(r'class="ma-mark [^"]*"[^>]*aria-label="([^"]+)"', files["en/matrix/index.md"])
    zh = re.findall(r'class="ma-mark [^"]*"[^>]*aria-label="([^"]+)"', files["zh/matrix/index.md"])
    assert en == ["Test diet inhibits test pathway — test epilepsy — animal study"]
    assert zh == ["测试饮食抑制测试通路——测试癫痫——动物实验"]


def test_matrix_lists_every_claim_under_the_grid_behind_a_skip_link(mini_repo):
    page = _rendered(mini_repo)["en/matrix/index.md"]
    assert '<a href="#matrix-claims">' in page
    listed = page.split('<h2 id="matrix-claims">', 1)[1]
    assert re.findall(r'<li data-ma-row[^>]*><a [^>]*>([^<]+)</a>', listed) == [
        "Test diet inhibits test pathway — test epilepsy — animal study"]


def test_compare_groups_every_claim_by_condition_with_both_ids_on_the_row(mini_repo):
    page = _rendered(mini_repo)["zh/compare/index.md"]
    assert re.findall(r'<h2 id="(condition-[^"]+)">', page) == ["condition-test-condition"]
    assert re.findall(r'<tr data-ma-therapy="([^"]+)" data-ma-pathway="([^"]+)">', page) == [
        ("test-diet", "test-pathway")]


def test_diagram_is_drawn_one_unit_per_pixel_in_both_languages(mini_repo):
    files = _rendered(mini_repo)
    sizes = [re.search(r'<svg [^>]*viewBox="0 0 (\d+) [\d.]+" width="(\d+)"',
                       files[f"{lang}/therapies/test-diet.md"]).groups() for lang in ("en", "zh")]
    assert sizes == [("700", "700"), ("700", "700")]


def _article_ids(page) -> set[str]:
    html = page.read_text(encoding="utf-8")
    article = html[html.find("<article"):html.find("</article>")]
    return set(re.findall(r'\sid="([^"]+)"', article))


def test_every_page_has_the_same_element_ids_in_both_languages(real_site):
    """The language switch keeps the #anchor, so each anchor must exist on the twin page."""
    differing = {}
    for english in sorted(real_site.rglob("index.html")):
        relative = english.relative_to(real_site)
        if relative.parts[0] in ("zh", "search", "assets"):
            continue
        en, zh = _article_ids(english), _article_ids(real_site / "zh" / relative)
        if en != zh:
            differing[str(relative)] = (sorted(en - zh)[:3], sorted(zh - en)[:3])
    assert differing == {}


TAB_LINK = re.compile(r'<a href="([^"]*)"[^>]*class="md-tabs__link"[^>]*>\s*([^<]+?)\s*<')


def _tabs(page) -> list[tuple[str, str]]:
    html = page.read_text(encoding="utf-8")
    start = html.find('class="md-tabs__list"')
    return TAB_LINK.findall(html[start:html.find("</ul>", start)])


def test_contributor_pages_share_one_tab_apart_from_the_reader_tabs(real_site):
    for lang, tab in (("en", "For contributors"), ("zh", "贡献者专区")):
        tabs = _tabs(real_site / ("" if lang == "en" else "zh") / "index.html")
        assert tabs[-1] == ("contributing/", tab)
        assert not {"coverage/", "performance/"} & {href for href, _ in tabs}
        contributing = (real_site / ("" if lang == "en" else "zh") / "contributing/index.html")
        html = contributing.read_text(encoding="utf-8")
        assert 'href="../coverage/"' in html and 'href="../performance/"' in html
