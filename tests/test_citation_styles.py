"""GB/T 7714-2015 and NLM/Vancouver entries, written out by hand, and what must never leak."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mechatlas.load.bibtex import load_bibliography, parse_bibliography
from mechatlas.model.reference import Person, Reference, Span
from mechatlas.render.citestyle import (
    CitationStyles,
    safe_html,
    to_clean_bibtex,
    to_csl_json,
)

FIXTURES = Path(__file__).parent / "fixtures" / "bib"


@pytest.fixture(scope="module")
def refs() -> dict[str, Reference]:
    loaded, problems = load_bibliography(FIXTURES / "styles.bib", "styles.bib")
    assert problems == []
    return loaded


@pytest.fixture(scope="module")
def styles() -> CitationStyles:
    return CitationStyles()


@pytest.fixture(scope="module")
def zh(refs, styles) -> dict[str, str]:
    return styles.format_all(list(refs.values()), "zh")


@pytest.fixture(scope="module")
def en(refs, styles) -> dict[str, str]:
    return styles.format_all(list(refs.values()), "en")


# --- GB/T 7714-2015 (Chinese pages) -------------------------------------------------------


def test_gbt_chinese_journal_article(zh):
    assert zh["zhang2026ketogenic"] == (
        "张奇, 王慧敏, 程为平. 生酮饮食干预难治性癫痫相关信号通路的研究进展[J/OL]. "
        "临床医学进展, 2026, 16(1): 790-794. DOI:10.12677/acm.2026.161105."
    )


def test_gbt_english_journal_article(zh):
    assert zh["mcdaniel2011ketogenic"] == (
        "MCDANIEL S S, RENSING N R, THIO L L, et al. The Ketogenic Diet Inhibits the Mammalian "
        "Target of Rapamycin (mTOR) Pathway[J/OL]. Epilepsia, 2011, 52: e7-e11. "
        "DOI:10.1111/j.1528-1167.2011.02981.x."
    )


def test_gbt_chinese_book_with_edition(zh):
    assert zh["jia2013neurology"] == "贾建平. 神经病学[M]. 7版. 北京: 人民卫生出版社, 2013."


def test_gbt_english_book_with_edition(zh):
    assert zh["kandel2013principles"] == (
        "KANDEL E R, SCHWARTZ J H, JESSELL T M, et al. Principles of Neural Science[M]. "
        "5th ed. New York: McGraw-Hill, 2013."
    )


def test_gbt_chinese_chapter(zh):
    assert zh["li2018metabolic"] == (
        "李明, 赵丽. 癫痫的代谢治疗[M]//王强. 神经代谢学. 北京: 科学出版社, 2018: 45-60."
    )


def test_gbt_english_chapter(zh):
    assert zh["smith2015mitochondria"] == (
        "SMITH J. Mitochondria in Epilepsy[M]//DOE J. Metabolic Epilepsy. "
        "Berlin: Springer, 2015: 123-145."
    )


def test_gbt_chinese_web_page(zh):
    assert zh["cma2023guideline"] == (
        "中华医学会神经病学分会. 癫痫诊疗指南[EB/OL]. (2023)[2025-03-01]. "
        "https://www.cma.org.cn/guide."
    )


def test_gbt_english_web_page_keeps_organisation_case(zh):
    assert zh["who2024epilepsy"] == (
        "World Health Organization. Epilepsy[EB/OL]. (2024-02-07)[2025-01-15]. "
        "https://www.who.int/news-room/fact-sheets/detail/epilepsy."
    )


# --- NLM / Vancouver (English pages) ------------------------------------------------------


def test_nlm_chinese_journal_article(en):
    assert en["zhang2026ketogenic"] == (
        "张奇, 王慧敏, 程为平. 生酮饮食干预难治性癫痫相关信号通路的研究进展. 临床医学进展. "
        "2026;16(1):790–4. doi:10.12677/acm.2026.161105"
    )


def test_nlm_english_journal_article(en):
    assert en["mcdaniel2011ketogenic"] == (
        "McDaniel SS, Rensing NR, Thio LL, Yamada KA, Wong M. The Ketogenic Diet Inhibits the "
        "Mammalian Target of Rapamycin (mTOR) Pathway. Epilepsia. 2011;52:e7–11. "
        "doi:10.1111/j.1528-1167.2011.02981.x"
    )


def test_nlm_chinese_book(en):
    assert en["jia2013neurology"] == "贾建平. 神经病学. 7th ed. 北京: 人民卫生出版社; 2013."


def test_nlm_english_book(en):
    assert en["kandel2013principles"] == (
        "Kandel ER, Schwartz JH, Jessell TM, Siegelbaum SA. Principles of Neural Science. "
        "5th ed. New York: McGraw-Hill; 2013."
    )


def test_nlm_chinese_chapter(en):
    assert en["li2018metabolic"] == (
        "李明, 赵丽. 癫痫的代谢治疗. In: 王强, editor. 神经代谢学. 北京: 科学出版社; 2018. "
        "p. 45–60."
    )


def test_nlm_english_chapter(en):
    assert en["smith2015mitochondria"] == (
        "Smith J. Mitochondria in Epilepsy. In: Doe J, editor. Metabolic Epilepsy. "
        "Berlin: Springer; 2015. p. 123–45."
    )


def test_nlm_chinese_web_page(en):
    assert en["cma2023guideline"] == (
        "中华医学会神经病学分会. 癫痫诊疗指南 [Internet]. 2023 [cited 2025 Mar 1]. "
        "Available from: https://www.cma.org.cn/guide"
    )


def test_nlm_english_web_page(en):
    assert en["who2024epilepsy"] == (
        "World Health Organization. Epilepsy [Internet]. 2024 [cited 2025 Jan 15]. "
        "Available from: https://www.who.int/news-room/fact-sheets/detail/epilepsy"
    )


def test_editors_stand_in_for_authors_once_and_in_capitals_in_gbt(zh, en):
    assert zh["engel2008epilepsy"] == (
        "ENGEL J, PEDLEY T A. Epilepsy: A Comprehensive Textbook[M]. 2nd ed. "
        "Philadelphia: Lippincott, 2008."
    )
    assert en["engel2008epilepsy"] == (
        "Engel J, Pedley TA, editors. Epilepsy: A Comprehensive Textbook. 2nd ed. "
        "Philadelphia: Lippincott; 2008."
    )


def test_thesis_in_both_styles(zh, en):
    assert (
        zh["li2019thesis"] == "LI M. Ketogenic Diet and mTOR[D]. Beijing: Peking University, 2019."
    )
    assert en["li2019thesis"] == (
        "Li M. Ketogenic Diet and mTOR [dissertation]. [Beijing]: Peking University; 2019."
    )


# --- et al. / 等 ---------------------------------------------------------------------------


def test_gbt_truncates_a_long_chinese_list_with_deng(zh):
    assert zh["wang2020many"].startswith("王一, 李二, 张三, 等. 多作者的中文文章[J].")


def test_gbt_ends_an_english_list_with_et_al(zh):
    assert zh["kandel2013principles"].startswith("KANDEL E R, SCHWARTZ J H, JESSELL T M, et al. ")


def test_and_others_in_the_source_prints_et_al_in_gbt(zh):
    assert zh["lee2019others"].startswith("LEE A, KIM B, et al. A study")
    assert zh["zhou2021others"].startswith("周六, 吴七, 等. 作者列表")


def test_and_others_in_the_source_prints_et_al_in_nlm(en):
    assert en["lee2019others"].startswith("Lee A, Kim B, et al. A study")


def test_nlm_lists_up_to_six_authors(en):
    assert en["wang2020many"].startswith("王一, 李二, 张三, 刘四, 陈五. ")


def test_gbt_chinese_records_have_no_english_words(refs, zh):
    chinese = [key for key, ref in refs.items() if ref.language == "zh"]
    assert len(chinese) == 6
    for key in chinese:
        words = re.findall(
            r"\b(?:and|et al|ed|edition|editor|In|Available|cited|Internet)\b", zh[key]
        )
        assert words == [], (key, zh[key])


# --- nothing leaks -------------------------------------------------------------------------


def test_latex_and_markup_never_leak(zh, en):
    for html in [*zh.values(), *en.values()]:
        assert not re.search(r"[{}\\$]|--|nocase|\[\d+\]|^\d+\.", html), html
        assert re.sub(r"</?(?:i|b|sup|sub)>", "", html).count("<") == 0, html


def test_messy_latex_record_renders_clean_and_escaped(en):
    assert en["messy2022latex"] == (
        "Öztürk A, Example &amp; Partners. Österreich &amp; β-cells: mTOR in <i>vivo</i> "
        "&lt;script&gt;alert(1)&lt;/script&gt; at 50%. J Neurosci. 2022;42:1–10. "
        "doi:10.1000/messy.1"
    )


def test_doi_is_printed_once_and_never_doubled(zh, en):
    for html in (zh["messy2022latex"], en["messy2022latex"]):
        assert html.count("10.1000/messy.1") == 1
        assert "doi.org/https" not in html and "https://doi.org/" not in html


def test_no_citation_number_label(zh, en):
    assert not zh["jia2013neurology"].startswith("[")
    assert not en["jia2013neurology"][0].isdigit()


def test_nlm_minimal_page_range_keeps_differing_digit_counts():
    ref = _one(
        "@article{p, author = {A, B}, title = {T}, journal = {J}, year = 2000,"
        " volume = 1, pages = {1--10}}"
    )
    assert CitationStyles().format_all([ref], "en")["p"] == "A B. T. J. 2000;1:1–10."


def test_a_record_citeproc_renders_empty_still_gets_an_entry(styles):
    empty = Reference(key="nothing", entry_type="misc", line=1, col=1)
    assert styles.format_all([empty], "en") == {"nothing": "nothing."}
    assert styles.format_all([empty], "zh") == {"nothing": "[Z]."}


def test_format_all_keeps_the_order_and_keys_asked_for(refs, styles):
    chosen = [refs["who2024epilepsy"], refs["zhang2026ketogenic"]]
    assert list(styles.format_all(chosen, "zh")) == ["who2024epilepsy", "zhang2026ketogenic"]


def test_safe_html_keeps_only_four_bare_tags():
    assert safe_html(
        '<i>a</i> <span style="x">b</span> <b onclick="x">c</b> &amp; <sup>2</sup>'
    ) == ("<i>a</i> b <b>c</b> &amp; <sup>2</sup>")
    assert safe_html("<i>unbalanced") == "unbalanced"


@settings(max_examples=80, deadline=None)
@given(
    pieces=st.lists(st.sampled_from([*"<>&\"'{}\\$%#_^~-.,: ab张", "\ue003", "</i>"]), min_size=1),
    italic=st.booleans(),
    lang=st.sampled_from(["zh", "en"]),
)
def test_any_title_formats_to_safe_html(styles, pieces, italic, lang):
    title = "".join(pieces)
    spans = {"title": (Span(0, len(title), "i"),)} if italic else {}
    ref = Reference(
        key="k",
        entry_type="article",
        line=1,
        col=1,
        title=title,
        year="2020",
        fields={"title": title, "journal": "J", "year": "2020"},
        spans=spans,
        authors=(Person("Doe", "J"),),
        language="zh" if "张" in title else "en",
    )
    out = styles.format_all([ref], lang)["k"]
    tags = re.findall(r"<[^>]*>", out)
    assert set(tags) <= {"<i>", "</i>", "<b>", "</b>", "<sup>", "</sup>", "<sub>", "</sub>"}
    assert not re.search("[\ue000-\uf8ff]", out)
    assert re.sub(r"&(?:amp|lt|gt);", "", out).count("&") == 0


# --- downloads ------------------------------------------------------------------------------


def test_csl_json_is_sorted_and_carries_identifiers(refs):
    items = to_csl_json(refs.values())
    assert [i["id"] for i in items] == sorted(refs)
    article = next(i for i in items if i["id"] == "zhang2026ketogenic")
    assert article == {
        "id": "zhang2026ketogenic",
        "type": "article-journal",
        "author": [
            {"family": "张", "given": "奇"},
            {"family": "王", "given": "慧敏"},
            {"family": "程", "given": "为平"},
        ],
        "title": "生酮饮食干预难治性癫痫相关信号通路的研究进展",
        "container-title": "临床医学进展",
        "volume": "16",
        "issue": "1",
        "page": "790-794",
        "issued": {"date-parts": [[2026]]},
        "DOI": "10.12677/acm.2026.161105",
        "language": "zh-CN",
    }


def test_csl_json_marks_protected_case(refs):
    assert refs["mcdaniel2011ketogenic"].csl["title"] == (
        "The Ketogenic Diet Inhibits the Mammalian Target of Rapamycin "
        '(<span class="nocase">mTOR</span>) Pathway'
    )


def test_clean_bibtex_is_sorted_and_deterministic(refs):
    text = to_clean_bibtex(reversed(list(refs.values())))
    assert text == to_clean_bibtex(refs.values())
    keys = re.findall(r"^@\w+\{([^,]+),", text, flags=re.MULTILINE)
    assert keys == sorted(refs)


def test_clean_bibtex_entry_shape(refs):
    text = to_clean_bibtex([refs["mcdaniel2011ketogenic"]])
    assert text == (
        "@article{mcdaniel2011ketogenic,\n"
        "  author = {McDaniel, S. S. and Rensing, N. R. and Thio, L. L. and Yamada, K. A. and "
        "Wong, M.},\n"
        "  title = {The Ketogenic Diet Inhibits the Mammalian Target of Rapamycin ({mTOR}) "
        "Pathway},\n"
        "  journal = {Epilepsia},\n"
        "  volume = {52},\n"
        "  pages = {e7--e11},\n"
        "  year = {2011},\n"
        "  doi = {10.1111/j.1528-1167.2011.02981.x},\n"
        "}\n"
    )


@pytest.mark.parametrize("name", ["styles.bib", "latex.bib", "zotero.bib", "mendeley.bib"])
def test_clean_bibtex_reads_back_to_the_same_records(name):
    original, _ = load_bibliography(FIXTURES / name, name)
    again, problems = parse_bibliography(to_clean_bibtex(original.values()), "references.bib")
    assert problems == []
    for key, ref in original.items():
        same = again[key]
        assert (same.fields, same.authors, same.editors, same.others, same.spans) == (
            ref.fields,
            ref.authors,
            ref.editors,
            ref.others,
            ref.spans,
        ), key


def _one(text: str) -> Reference:
    refs, problems = parse_bibliography(text, "x.bib")
    assert not [p for p in problems if p.is_error]
    (ref,) = refs.values()
    return ref


DESCRIBED = """@misc{untitled,
  title = {[Review of the {mTOR} pathway in depression]},
  title-zh = {［{mTOR}通路在抑郁症中的研究进展综述］},
  language = {chinese}
}
"""


def test_a_descriptive_title_shows_its_chinese_form_on_chinese_pages(styles):
    loaded, problems = parse_bibliography(DESCRIBED, "d.bib")
    assert problems == []
    assert (styles.format_all(list(loaded.values()), "zh")["untitled"],
            styles.format_all(list(loaded.values()), "en")["untitled"]) == (
        "［mTOR通路在抑郁症中的研究进展综述］[Z].", "[Review of the mTOR pathway in depression].")


def test_a_work_s_own_title_is_never_replaced(styles):
    loaded, _ = parse_bibliography(DESCRIBED.replace("[Review of the {mTOR} pathway in depression]",
                                                     "Review of the {mTOR} pathway"), "d.bib")
    assert styles.format_all(list(loaded.values()), "zh")["untitled"] == (
        "Review of the mTOR pathway[Z].")
