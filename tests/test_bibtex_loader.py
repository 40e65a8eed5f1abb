"""references.bib loading: real-world export shapes, and every kind of break, placed exactly."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mechatlas.load.bibtex import load_bibliography, parse_bibliography
from mechatlas.model.reference import Person, Reference, Span

FIXTURES = Path(__file__).parent / "fixtures" / "bib"


def load_fixture(name: str) -> tuple[dict[str, Reference], list[str]]:
    refs, problems = load_bibliography(FIXTURES / name, f"bib/{name}")
    return refs, [str(p) for p in problems]


def parse(text: str) -> tuple[dict[str, Reference], list[str]]:
    refs, problems = parse_bibliography(text, "references.bib")
    return refs, [str(p) for p in problems]


def one(text: str) -> Reference:
    refs, problems = parse(text)
    assert problems == []
    (ref,) = refs.values()
    return ref


ARTICLE = "author = {A, B}, journal = {J}, year = {2020}"


# --- the seed records ---------------------------------------------------------------------


def test_seed_file_loads_without_problems():
    refs, problems = load_fixture("seed.bib")
    assert problems == []
    assert list(refs) == ["zhang2026ketogenic", "mcdaniel2011ketogenic", "jia2013neurology"]


def test_chinese_names_split_into_family_and_given():
    refs, _ = load_fixture("seed.bib")
    assert refs["zhang2026ketogenic"].authors == (
        Person("张", "奇"),
        Person("王", "慧敏"),
        Person("程", "为平"),
    )


def test_chinese_article_clean_values():
    ref = load_fixture("seed.bib")[0]["zhang2026ketogenic"]
    assert (ref.entry_type, ref.line, ref.col, ref.language) == ("article", 1, 1, "zh")
    assert ref.title == "生酮饮食干预难治性癫痫相关信号通路的研究进展"
    assert ref.fields["journal"] == "临床医学进展"
    assert ref.fields["pages"] == "790–794"
    assert (ref.year, ref.doi) == ("2026", "10.12677/acm.2026.161105")
    assert ref.to_verify == ()


def test_protected_braces_are_kept_as_nocase_span():
    ref = load_fixture("seed.bib")[0]["mcdaniel2011ketogenic"]
    assert ref.title == (
        "The Ketogenic Diet Inhibits the Mammalian Target of Rapamycin (mTOR) Pathway"
    )
    assert ref.spans["title"] == (Span(63, 67, "nocase"),)
    assert ref.title[63:67] == "mTOR"


def test_initials_stay_in_given_name():
    ref = load_fixture("seed.bib")[0]["mcdaniel2011ketogenic"]
    assert ref.authors[0] == Person("McDaniel", "S. S.")
    assert len(ref.authors) == 5 and not ref.others


def test_one_line_chinese_book_is_chinese():
    ref = load_fixture("seed.bib")[0]["jia2013neurology"]
    assert (ref.line, ref.language, ref.authors) == (14, "zh", (Person("贾", "建平"),))
    assert ref.fields["publisher"] == "人民卫生出版社"
    assert ref.fields["address"] == "北京"


def test_raw_is_the_entry_exactly_as_written():
    text = (FIXTURES / "seed.bib").read_text(encoding="utf-8")
    ref = load_fixture("seed.bib")[0]["jia2013neurology"]
    assert ref.raw == text.splitlines()[13]
    assert load_fixture("seed.bib")[0]["zhang2026ketogenic"].raw == "\n".join(
        text.splitlines()[0:7]
    )


# --- exporters ----------------------------------------------------------------------------


def test_zotero_export_with_tabs_month_macro_and_file_field():
    refs, problems = load_fixture("zotero.bib")
    assert problems == []
    ref = refs["mcdaniel_ketogenic_2011"]
    assert ref.authors[2] == Person("Thio", "Liu Lin")
    assert (ref.fields["month"], ref.fields["number"], ref.doi) == (
        "3",
        "3",
        "10.1111/j.1528-1167.2011.02981.x",
    )
    assert ref.fields["file"].endswith("2011.pdf:application/pdf")


def test_zotero_corporate_author_in_braces_is_literal():
    ref = load_fixture("zotero.bib")[0]["world_health_organization_epilepsy_2019"]
    assert ref.authors == (Person("", literal="World Health Organization"),)


def test_jabref_export_with_string_macro_and_meta_comment():
    refs, problems = load_fixture("jabref.bib")
    assert problems == []
    assert list(refs) == ["Rho2017"]
    ref = refs["Rho2017"]
    assert (ref.fields["journal"], ref.fields["month"], ref.line) == ("Epilepsia", "6", 5)
    assert ref.fields["owner"] == "reviewer"


def test_mendeley_export_double_braced_title_is_protected_whole():
    refs, problems = load_fixture("mendeley.bib")
    assert problems == []
    ref = refs["Zeng2009"]
    assert ref.spans["title"] == (Span(0, len(ref.title), "nocase"),)
    assert (ref.pmid, ref.fields["abstract"]) == (
        "19474323",
        "Tuberous sclerosis complex & mTOR signalling.",
    )
    assert ref.authors[0] == Person("Zeng", "Ling-Hui")


def test_pubmed_quoted_values_with_letter_braces():
    refs, problems = load_fixture("pubmed.bib")
    assert problems == []
    ref = refs["pmid21371020"]
    assert ref.title == (
        "The ketogenic diet inhibits the mammalian target of rapamycin (mTOR) pathway"
    )
    assert ref.authors[-1] == Person("Wong", "M.")
    assert (ref.fields["pages"], ref.fields["month"]) == ("e7–11", "3")


def test_pubmed_bracketed_translated_title_needs_verifying():
    ref = load_fixture("pubmed.bib")[0]["pmid30000001"]
    assert ref.title == "[Effect of ketogenic diet on refractory epilepsy in children]"
    assert "title is a bracketed description" in ref.to_verify
    assert ref.language == "zh"  # language = {chi}


def test_cnki_semicolon_author_list_with_compound_surname():
    refs, problems = load_fixture("cnki.bib")
    assert problems == []
    ref = refs["王慧敏2021"]
    assert ref.authors == (Person("王", "慧敏"), Person("程", "为平"), Person("欧阳", "修文"))
    assert (ref.fields["pages"], ref.language) == ("150–155", "zh")


def test_loader_agrees_with_bibtexparser_on_keys_and_fields():
    for name in (
        "seed.bib",
        "zotero.bib",
        "jabref.bib",
        "mendeley.bib",
        "pubmed.bib",
        "cnki.bib",
        "latex.bib",
        "types.bib",
    ):
        library = bibtexparser.parse_file(str(FIXTURES / name))
        refs, _ = load_fixture(name)
        theirs = {e.key: {f.key.lower() for f in e.fields} for e in library.entries}
        ours = {k: set(r.fields) - {"journal", "address"} for k, r in refs.items()}
        assert ours == {k: v - {"journal", "address"} for k, v in theirs.items()}, name


# --- LaTeX and BibTeX shapes --------------------------------------------------------------


@pytest.fixture(scope="module")
def accents() -> Reference:
    return load_fixture("latex.bib")[0]["accents2020"]


def test_latex_file_with_preamble_comment_and_strings_has_no_problems():
    refs, problems = load_fixture("latex.bib")
    assert problems == []
    assert list(refs) == ["accents2020", "who2024epilepsy"]


def test_string_macros_and_concatenation_expand(accents):
    assert accents.fields["journal"] == "Journal of Neuroscience"


def test_month_macro_becomes_month_number(accents):
    assert accents.fields["month"] == "1"


def test_accented_names_and_particles(accents):
    assert accents.authors == (
        Person("Müller", "Jörg"),
        Person("O'Brien", "Seán"),
        Person("de la Fontaine", "Jean"),
        Person("Škoda", "Aleš"),
    )


def test_and_others_sets_the_flag(accents):
    assert accents.others


def test_title_accents_escapes_math_and_unescaped_percent(accents):
    assert accents.title == (
        "Österreich & β-cells: ¹⁸F-FDG, Ca²⁺ and H₂O in Drosophila and in vivo 50% of mTOR"
    )


def test_textit_and_emph_become_italic_spans(accents):
    italic = [accents.title[s.start : s.end] for s in accents.spans["title"] if s.kind == "i"]
    assert italic == ["Drosophila", "in vivo"]


def test_accent_braces_do_not_protect_case(accents):
    protected = [
        accents.title[s.start : s.end] for s in accents.spans["title"] if s.kind == "nocase"
    ]
    assert protected == ["mTOR"]


def test_double_hyphen_pages_become_en_dash(accents):
    assert accents.fields["pages"] == "101–110"


def test_doi_url_prefix_is_stripped(accents):
    assert accents.doi == accents.fields["doi"] == "10.1000/XYZ.123"


def test_url_macro_and_urldate_are_verbatim():
    ref = load_fixture("latex.bib")[0]["who2024epilepsy"]
    assert ref.fields["howpublished"] == ref.url
    assert ref.url == "https://www.who.int/news-room/fact-sheets/detail/epilepsy"
    assert ref.fields["urldate"] == "2025-01-15"
    assert ref.csl_type == "webpage"


@pytest.mark.parametrize(
    "value",
    [
        "10.1000/abc",
        "https://doi.org/10.1000/abc",
        "http://dx.doi.org/10.1000/abc",
        "doi:10.1000/abc",
        "DOI: 10.1000/abc",
        "https://doi.org/10.1000%2Fabc",
    ],
)
def test_doi_forms_normalise_to_bare_doi(value):
    ref = one(f"@article{{k, {ARTICLE}, title = {{T}}, doi = {{{value}}}}}")
    assert ref.doi == "10.1000/abc"


def test_doi_is_taken_from_a_doi_org_url():
    ref = one(f"@article{{k, {ARTICLE}, title = {{T}}, url = {{https://doi.org/10.1000/abc}}}}")
    assert ref.doi == "10.1000/abc"


def test_pmid_from_eprint():
    ref = one(f"@article{{k, {ARTICLE}, title = {{T}}, eprint = {{123}}, eprinttype = {{pubmed}}}}")
    assert ref.pmid == "123"


def test_trailing_comma_and_parenthesised_entry():
    ref = one(f"@article(k, {ARTICLE}, title = {{T}},\n)")
    assert (ref.key, ref.title) == ("k", "T")


def test_unescaped_percent_keeps_the_rest_of_the_title():
    assert one(f"@article{{k, {ARTICLE}, title = {{50% of 60% %done}}}}").title == (
        "50% of 60% %done"
    )


def test_escaped_characters():
    ref = one(rf"@article{{k, {ARTICLE}, title = {{R\&D: 5\% \$ \_x \#1}}}}")
    assert ref.title == "R&D: 5% $ _x #1"


def test_language_field_marks_a_latin_script_record_chinese():
    assert one(f"@article{{k, {ARTICLE}, title = {{T}}, language = {{Chinese}}}}").language == "zh"
    assert one(f"@article{{k, {ARTICLE}, title = {{T}}, language = {{english}}}}").language == "en"


def test_chinese_characters_in_journal_mark_record_chinese():
    ref = one("@article{k, author = {Li, M}, journal = {中华儿科杂志}, title = {T}, year = 2020}")
    assert ref.language == "zh"


def test_every_listed_entry_type_loads():
    refs, problems = load_fixture("types.bib")
    assert problems == []
    assert {r.entry_type for r in refs.values()} == {
        "article",
        "book",
        "incollection",
        "inproceedings",
        "phdthesis",
        "mastersthesis",
        "misc",
        "online",
        "techreport",
        "manual",
        "inbook",
        "proceedings",
        "unpublished",
    }


def test_inbook_uses_bibtex_name_list_for_editors():
    ref = load_fixture("types.bib")[0]["t-book"]
    assert (ref.authors, ref.editors) == ((), (Person("A", "B"),))


def test_crlf_line_endings_keep_positions():
    text = "@article{a,\r\n  title = {T},\r\n  doi = {x}\r\n}\r\n"
    _, problems = parse(text)
    assert "references.bib:3:3: bad-doi: 'x' is not a DOI (expected 10.<registrant>/<suffix>)" in (
        problems
    )


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_bytes(b"\xef\xbb\xbf@misc{k, title = {T}}")
    refs, problems = load_bibliography(path, "refs.bib")
    assert (list(refs), problems) == (["k"], [])


# --- what needs verifying -----------------------------------------------------------------


def test_to_verify_lists_what_a_journal_article_lacks():
    ref = one("@article{k, author = {A, B}, title = {T}, journal = {J}, year = {2020}}")
    assert ref.to_verify == ("no pages", "no DOI")


def test_to_verify_reads_secondhand_notes_and_bracketed_titles():
    ref = one("@misc{k, title = {[A description]}, note = {Known only through Smith 2010.}}")
    assert ref.to_verify == (
        "no authors",
        "no year",
        "title is a bracketed description",
        "note says known only through Smith 2010",
    )


# --- breaks: each reported once, at the right place ----------------------------------------


def test_unclosed_brace_is_reported_at_the_entry_start():
    text = "\n" * 9 + "@article{broken,\n  title = {Unclosed {brace,\n  year = {2020}\n}\n"
    text += "@misc{next, title = {Next}}\n"
    refs, problems = parse(text)
    assert problems == [
        "references.bib:10:1: bibtex-syntax: unbalanced braces: the '{' opening field "
        "'title' at 11:11 is never closed"
    ]
    assert list(refs) == ["next"]


def test_brace_closed_too_late_names_the_field():
    text = "@article{a,\n  title = {An {unclosed brace},\n  year = {2020}\n}\n@misc{b, title={B}}\n"
    refs, problems = parse(text)
    assert problems == [
        "references.bib:1:1: bibtex-syntax: entry 'a' is not closed before the next entry at "
        "5:1; are the braces of field 'title' at 2:11 unbalanced?"
    ]
    assert list(refs) == ["b"]


def test_unterminated_entry_at_end_of_file():
    _, problems = parse("@misc{ok, title = {A}}\n\n@misc{late, title = {T},\n")
    assert problems == [
        "references.bib:3:1: bibtex-syntax: entry 'late' is never closed: the file ends first"
    ]


def test_missing_comma_after_key():
    _, problems = parse("@misc{ok, title={A}}\n  @misc{c1 title = {x}}\n")
    assert problems == [
        "references.bib:2:3: bibtex-syntax: expected ',' after the key 'c1' at 2:12, found 'title'"
    ]


def test_missing_comma_between_fields():
    _, problems = parse("@misc{c2,\n  title = {x}\n  year = {2}\n}\n")
    assert problems == [
        "references.bib:1:1: bibtex-syntax: entry 'c2': expected ',' or '}' after field "
        "'title' at 3:3, found 'year'"
    ]


def test_garbage_instead_of_a_field_name():
    _, problems = parse("@misc{g, title = {x}, ?? = {y}}\n")
    assert problems == [
        "references.bib:1:1: bibtex-syntax: entry 'g': expected a field name at 1:23, found '?'"
    ]


def test_extra_closing_brace_inside_an_entry():
    _, problems = parse("@misc{x, title = {a}}, year = {2020}}\n")
    assert problems == [
        "references.bib:1:1: bibtex-syntax: the entry closes at 1:21 but fields follow; "
        "is there an extra '}'?"
    ]


def test_at_sign_without_entry_type():
    _, problems = parse("@ {x}\n@misc{ok, title = {A}}\n")
    assert problems == ["references.bib:1:1: bibtex-syntax: '@' is not followed by an entry type"]


def test_duplicate_citekey_names_the_first_line():
    _, problems = parse("@misc{k, title={A}}\n\n@misc{k, title={B}}\n")
    assert problems == [
        "references.bib:3:1: duplicate-citekey: citation key 'k' is already used by the entry "
        "at line 1"
    ]


def test_citekeys_differing_only_in_case_are_duplicates():
    _, problems = parse("@misc{Smith2020, title={A}}\n@misc{smith2020, title={B}}\n")
    assert problems == [
        "references.bib:2:1: duplicate-citekey: citation key 'smith2020' is already used "
        "(as 'Smith2020', differing in case) by the entry at line 1"
    ]


def test_first_of_two_duplicates_is_kept():
    refs, _ = parse("@misc{k, title={A}}\n@misc{k, title={B}}\n")
    assert refs["k"].title == "A"


@pytest.mark.parametrize("text", ["@misc{, title = {T}}", "@misc{title = {T}}", "@misc{}"])
def test_missing_citekey(text):
    refs, problems = parse(text)
    assert (refs, problems) == (
        {},
        ["references.bib:1:1: missing-citekey: @misc entry has no citation key"],
    )


def test_missing_required_fields_of_an_article():
    _, problems = parse("@article{k,\n  author = {A, B}, title = {T}}\n")
    assert problems == [
        "references.bib:1:1: missing-field: warning: @article 'k' needs 'journal' or "
        "'journaltitle'; the record is formatted without it and listed to verify",
        "references.bib:1:1: missing-field: warning: @article 'k' needs 'year' or 'date'"
        "; the record is formatted without it and listed to verify",
    ]


def test_book_needs_author_or_editor():
    _, problems = parse("@book{b, title = {T}, publisher = {P}}")
    assert problems == ["references.bib:1:1: missing-field: warning: @book 'b' needs 'author' or "
                        "'editor'; the record is formatted without it and listed to verify"]


def test_misc_and_online_need_only_a_title():
    _, problems = parse("@misc{m, note = {N}}\n@online{o, title = {T}, note = {N}}\n")
    assert problems == ["references.bib:1:1: missing-field: warning: @misc 'm' needs 'title'"
                        "; the record is formatted without it and listed to verify"]


def test_bad_doi_points_at_the_field():
    _, problems = parse(f"@article{{k, {ARTICLE}, title = {{T}},\n    doi = {{10.1000}}}}")
    assert problems == [
        "references.bib:2:5: bad-doi: '10.1000' is not a DOI (expected 10.<registrant>/<suffix>)"
    ]


def test_bad_pmid_points_at_the_field():
    _, problems = parse(f"@article{{k, {ARTICLE}, title = {{T}},\n\tpmid = {{PMC123}}}}")
    assert problems == ["references.bib:2:2: bad-pmid: 'PMC123' is not a PubMed ID (digits only)"]


def test_unknown_entry_type_is_a_warning():
    refs, problems = parse("@weird{w, title = {T}}")
    assert problems == [
        "references.bib:1:1: unknown-entry-type: warning: @weird is not a BibTeX/BibLaTeX "
        "type; it is formatted as a generic document"
    ]
    assert refs["w"].csl_type == "document"


def test_undefined_macro_points_at_the_macro():
    _, problems = parse("@misc{k, title = {T} # nosuch}")
    assert problems == [
        "references.bib:1:24: undefined-macro: warning: 'nosuch' in field 'title' is not a "
        "defined @string; it is left out"
    ]


def test_repeated_field_points_at_the_second():
    refs, problems = parse("@misc{k,\n  title = {A},\n  title = {B}}")
    assert problems == [
        "references.bib:3:3: duplicate-field: field 'title' is given twice in entry 'k'; "
        "the one at 2:3 is kept"
    ]
    assert refs["k"].title == "A"


def test_file_not_in_utf8(tmp_path):
    path = tmp_path / "gbk.bib"
    path.write_bytes("@misc{k,\n  title = {神经病学}}\n".encode("gbk"))
    refs, problems = load_bibliography(path, "gbk.bib")
    assert [str(p) for p in problems] == [
        "gbk.bib:2:12: file-encoding: byte 0xc9 is not UTF-8 (it reads as GB18030, as some "
        "Chinese databases export); save the file as UTF-8"
    ]
    assert list(refs) == ["k"]


def test_missing_file_is_a_diagnostic_not_an_exception(tmp_path):
    refs, problems = load_bibliography(tmp_path / "nope.bib", "nope.bib")
    assert refs == {} and [p.code for p in problems] == ["file-unreadable"]


def test_all_problems_are_reported_in_one_pass():
    refs, problems = load_fixture("broken.bib")
    assert problems == [
        "bib/broken.bib:4:1: duplicate-citekey: citation key 'good2020' is already used by the "
        "entry at line 1",
        "bib/broken.bib:5:1: missing-citekey: @article entry has no citation key",
        "bib/broken.bib:8:1: missing-field: warning: @article 'nojournal' needs 'journal' or "
        "'journaltitle'; the record is formatted without it and listed to verify",
        "bib/broken.bib:8:1: missing-field: warning: @article 'nojournal' needs 'year' or 'date'"
        "; the record is formatted without it and listed to verify",
        "bib/broken.bib:10:1: bibtex-syntax: entry 'unclosed' is not closed before the next "
        "entry at 15:1; are the braces of field 'title' at 12:11 unbalanced?",
        "bib/broken.bib:16:3: bad-doi: '10.1000' is not a DOI (expected 10.<registrant>/<suffix>)",
        "bib/broken.bib:16:20: bad-pmid: 'PMC12345' is not a PubMed ID (digits only)",
        "bib/broken.bib:17:1: bibtex-syntax: expected ',' after the key 'nocomma' at 17:18, "
        "found 'author'",
        "bib/broken.bib:19:1: bibtex-syntax: entry 'unterminated' is never closed: the file "
        "ends first",
    ]
    assert sorted(refs) == ["badids", "fine2", "good2020", "nojournal"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*'@{}()"=,#%\\$^_~ \nab1', " and ", "@misc{", "张"])))
def test_never_raises_on_arbitrary_text(pieces):
    _, problems = parse_bibliography("".join(pieces), "x.bib")
    assert all(p.line >= 1 and p.col >= 1 for p in problems)
