"""Rendering without MkDocs: each page kind, both languages, safe text, views from claims."""

from __future__ import annotations

import json
import re

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mechatlas.site.generate import render_files


def pages(root) -> dict[str, str]:
    generation = render_files(root)
    assert generation.project.ok, generation.diagnostics
    return generation.files


def front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def test_every_page_kind_is_rendered_in_both_languages(mini_repo):
    files = pages(mini_repo)
    for lang in ("en", "zh"):
        for path in ("index.md", "therapies/test-diet.md", "pathways/test-pathway.md",
                     "conditions/test-condition.md", "genes/test-gene.md",
                     "methods/test-method.md", "sources/test-review.md", "therapies/index.md",
                     "references/index.md", "matrix/index.md", "compare/index.md"):
            assert f"{lang}/{path}" in files, f"{lang}/{path}"


def test_chinese_page_links_to_chinese_names_and_relative_urls(mini_repo):
    page = pages(mini_repo)["zh/therapies/test-diet.md"]
    assert '<a class="ma-xref" href="../../pathways/test-pathway/">测试通路</a>' in page
    assert "要点速览" in page


def test_running_text_lowercases_a_common_name_but_not_at_sentence_start(mini_repo, write):
    write("content/methods/test-method.yaml",
          "id: test-method\nname: {en: Test imaging, zh: 测试成像}\nsummary:\n"
          "  en: '[[test-diet]] is studied. Unlike the [[test-diet]], it is a method.'\n"
          "  zh: 测试。\n")
    page = pages(mini_repo)["en/methods/test-method.md"]
    assert ">Test diet</a> is studied." in page
    assert 'Unlike the <a class="ma-xref" href="../../therapies/test-diet/">test diet</a>' in page


def test_entry_html_is_shown_as_text_never_as_markup(mini_repo, write):
    write("content/methods/test-method.yaml",
          "id: test-method\nname: {en: '<img src=x onerror=alert(1)>', zh: 测试}\nsummary:\n"
          "  en: '<script>alert(1)</script> [x](javascript:alert(1))'\n  zh: 测试。\n")
    page = pages(mini_repo)["en/methods/test-method.md"]
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript' not in page


def test_missing_translation_is_shown_with_a_visible_note(mini_repo, write):
    write("content/methods/test-method.yaml",
          "id: test-method\nname: {en: Test imaging, zh: 测试成像}\n"
          "summary: {en: Only in English.}\n")
    page = pages(mini_repo)["zh/methods/test-method.md"]
    assert '<span class="ma-missing" lang="en"><p>Only in English.</p></span>' in page
    assert "尚无中文译文，暂以英文显示。" in page


def test_citations_are_numbered_in_order_of_use_and_listed_on_the_page(mini_repo):
    page = pages(mini_repo)["en/therapies/test-diet.md"]
    numbers = re.findall(r'class="ma-cite" href="#cite-([^"]+)"[^>]*>\[(\d)', page)
    first_use: dict[str, str] = {}
    for key, number in numbers:
        assert first_use.setdefault(key, number) == number  # one number per key on the page
    assert list(first_use.values()) == ["1", "2"]  # numbered in order of first use
    listed = re.findall(r'<li id="cite-([^"]+)" value="(\d+)">', page)
    assert listed == list(first_use.items())  # each number lands on the entry with that number
    assert '<a class="ma-bibliography__index" href="../../references/#ref-doe2020diet">' in page


def test_citation_numbers_follow_reading_order_not_template_evaluation(mini_repo, write):
    # The glance box and the cards are evaluated in another order than they are read; the
    # numbers are assigned after the page is rendered, so the first one read is [1].
    write("content/therapies/test-diet.yaml",
          "id: test-diet\nname: {en: Test diet, zh: 测试饮食}\ncategory: diet\n"
          "summary:\n  en: A diet [@li2021review] and [@doe2020diet].\n"
          "  zh: 一种饮食 [@li2021review] 与 [@doe2020diet]。\n")
    page = pages(mini_repo)["en/therapies/test-diet.md"]
    numbers = re.findall(r'class="ma-cite" href="#cite-([^"]+)"[^>]*>\[(\d)', page)
    assert list(dict(reversed(numbers)).items())[::-1][:2] == [
        ("li2021review", "1"), ("doe2020diet", "2")]
    assert "\ue020" not in page and "\ue023" not in page


def test_a_fact_cites_its_source_once_with_the_locator(mini_repo, write):
    write("content/facts/test-diet-ratio.yaml",
          "id: test-diet-ratio\ncategory: protocol\ndose_basis: clinical\n"
          "subjects: [test-diet, test-condition]\n"
          "text:\n  en: 'Fat to non-fat ratio of 4:1 [@li2021review].'\n"
          "  zh: '脂肪与非脂肪之比为4:1 [@li2021review]。'\n"
          "source: {cite: li2021review, locator: {en: \"§1\", zh: \"第1节\"}}\n")
    page = pages(mini_repo)["en/therapies/test-diet.md"]
    fact = page.split('id="fact-test-diet-ratio"')[1].split("</li>")[0]
    assert fact.count('class="ma-cite"') == 1
    assert "4:1." in fact and '<span class="ma-locator">§1</span>' in fact


def test_reference_index_has_an_anchor_per_key_and_backlinks(mini_repo):
    page = pages(mini_repo)["en/references/index.md"]
    assert 'id="ref-doe2020diet"' in page and 'id="ref-li2021review"' in page
    cited_on = re.findall(r'<p class="ma-reference__backlinks">(.*?)</p>', page)
    # grouped by page: the claim and the fact on the therapy's page make one link to it
    assert [re.findall(r'href="([^"]+)"', line) for line in cited_on] == [
        ["../therapies/test-diet/"],
        ["../therapies/test-diet/", "../sources/test-review/"]]


def test_a_claim_added_shows_up_in_matrix_diagram_and_pathway_page(mini_repo, write):
    write("content/therapies/other.yaml",
          "id: other\nname: {en: Other drug, zh: 另一药物}\n"
          "summary: {en: A drug., zh: 一种药物。}\n")
    write("content/claims/other-activates-test-pathway.yaml", """\
id: other-activates-test-pathway
therapy: other
effect: activates
pathway: test-pathway
condition: test-condition
statement: {en: It activates the pathway., zh: 它激活该通路。}
outcome: {en: more energy, zh: 能量增加}
evidence:
  - design: in-vitro
    studied_in: {organism: not-stated, condition: test-condition}
    model: {en: cultured neurons, zh: 培养的神经元}
    finding: {en: Activity rose., zh: 活性升高。}
    direction: supports
    source: {cite: doe2020diet, locator: {en: "p. 2", zh: "第2页"}}
""")
    files = pages(mini_repo)
    assert "claim-other-activates-test-pathway" in files["en/matrix/index.md"]
    pathway = files["en/pathways/test-pathway.md"]
    assert "Other drug — activates → Test pathway" in pathway  # diagram text alternative
    assert "## Opposite directions" in pathway  # activates and inhibits side by side
    compare = files["en/compare/index.md"]  # grouped by condition, one row per claim
    assert '<h2 id="condition-test-condition">' in compare
    assert 'data-ma-therapy="other" data-ma-pathway="test-pathway"' in compare


def test_rival_explanations_are_shown_side_by_side(mini_repo, write):
    claim = (mini_repo / "content/claims/test-diet-inhibits-test-pathway.yaml").read_text()
    write("content/claims/test-diet-activates-test-gene-path.yaml",
          claim.replace("id: test-diet-inhibits-test-pathway",
                        "id: test-diet-activates-test-gene-path")
          .replace("effect: inhibits", "effect: activates")
          + "competes_with: [test-diet-inhibits-test-pathway]\n")
    page = pages(mini_repo)["en/therapies/test-diet.md"]
    assert "## Competing explanations" in page
    assert page.count('<section class="ma-column">') == 2


def test_entity_pages_carry_parseable_json_ld(mini_repo):
    meta = front_matter(pages(mini_repo)["zh/therapies/test-diet.md"])
    data = json.loads(json.dumps(meta["mechatlas_jsonld"]))
    assert (data["@type"], data["name"], data["inLanguage"]) == ("MedicalTherapy", "测试饮食",
                                                                 "zh-Hans")
    assert meta["mechatlas_entry"] == "content/therapies/test-diet.yaml"


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_plain_text_shortcut_renders_like_markdown(text):
    from mechatlas.render.prose import _MARKUP, markdown_to_safe_html, sanitise_markdown

    if text == text.strip() and text.isprintable() and not _MARKUP.search(text):
        assert sanitise_markdown(text) == markdown_to_safe_html(text)


def test_a_claim_card_and_its_rows_link_right_on_every_page_that_shows_it(mini_repo):
    files = pages(mini_repo)
    for path, opening, end in (
            ("en/therapies/test-diet.md", 'id="claim-test-diet-inhibits-test-pathway"',
             "</article>"),
            ("en/pathways/test-pathway.md", 'data-ma-claim="test-diet-inhibits-test-pathway"',
             "</li>"),
            ("en/conditions/test-condition.md",
             'data-ma-claim="test-diet-inhibits-test-pathway"', "</li>"),
            ("en/genes/test-gene.md", 'data-ma-claim="test-diet-inhibits-test-pathway"',
             "</li>")):
        card = files[path].split(opening)[1].split(end)[0]
        assert 'href="../../pathways/test-pathway/"' in card, path
        assert 'href="../../therapies/test-diet/"' in card, path


def _claim_head(page: str) -> str:
    head = re.search(r'<p class="ma-claim__head">(.*?)<span class="ma-badge', page, flags=re.S)
    assert head, "no claim head"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", head.group(1))).strip()


def test_the_chinese_claim_head_reads_as_a_chinese_sentence(mini_repo):
    page = pages(mini_repo)["zh/therapies/test-diet.md"]
    assert _claim_head(page) == "在测试癫痫中，测试饮食抑制测试通路"


def test_the_english_claim_head_keeps_its_order(mini_repo):
    page = pages(mini_repo)["en/therapies/test-diet.md"]
    assert _claim_head(page) == "Test diet ⊣ inhibits test pathway in test epilepsy"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"ab ()-/，。（）中文信号\u3000", "AMPK", "mTOR "]),
                max_size=30).map("".join))
def test_a_diagram_label_that_fits_one_line_is_broken_as_uax14_breaks_it(label):
    """The short cut for labels that fit (no line-break search) gives uniseg's lines."""
    from mechatlas.render.diagram import CHARS_PER_LINE, _broken, _display_width, wrap

    assert tuple(wrap(label)) == _broken(label)
    if label.strip() and _display_width(label) <= CHARS_PER_LINE:
        assert wrap(label) == [label.rstrip()]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([*"aZ09  中文信号龥一", "AMPK", "mTOR ", "-", "（", "κ"]),
                max_size=40).map("".join))
def test_diagram_labels_break_where_uax14_allows(label):
    """The expression for words, digits, spaces and Han characters cuts where uniseg does."""
    from uniseg.linebreak import line_break_units

    from mechatlas.render.diagram import break_units

    assert break_units(label) == list(line_break_units(label))
