"""BibTeX as reference managers and journals really write it: each shape real files have."""

from __future__ import annotations

import pytest

from mechatlas.load.bibtex import latex_to_text, load_bibliography, parse_bibliography
from mechatlas.model.reference import Reference
from mechatlas.render.citestyle import CitationStyles


def parse(text: str) -> tuple[dict[str, Reference], list[str]]:
    refs, problems = parse_bibliography(text, "references.bib")
    return refs, [str(p) for p in problems]


def errors(text: str) -> list[str]:
    _, found = parse_bibliography(text, "references.bib")
    return [str(p) for p in found if p.is_error]


# --- issue 16: a missing required field is a warning, and the record still formats --------


def test_article_without_journal_is_a_located_warning_and_to_verify():
    text = ("% a preprint\n@article{pre2024,\n  author = {Doe, Jane},\n  title = {T},\n"
            "  year = 2024}\n")
    refs, found = parse_bibliography(text, "references.bib")
    assert [(d.line, d.col, d.code, d.is_error) for d in found] == [
        (2, 1, "missing-field", False)]
    assert "no journal" in refs["pre2024"].to_verify
    formatted = CitationStyles().format_all([refs["pre2024"]], "en")
    assert "Doe" in formatted["pre2024"] and "T" in formatted["pre2024"]


def test_a_missing_field_with_no_reason_of_its_own_becomes_one():
    refs, found = parse("@inproceedings{p, author = {A, B}, title = {T}, year = 2020}")
    assert [d.split(": ", 2)[1] for d in found] == ["missing-field"]
    assert "no booktitle" in refs["p"].to_verify


# --- crossref and xdata ---------------------------------------------------------------------


XAMPL_CROSSREF = """@INPROCEEDINGS{inproceedings-crossref,
   crossref = "whole-proceedings",
   author = "Alfred V. Oaho and Jeffrey D. Ullman and Mihalis Yannakakis",
   title = "On Notions of Information Transfer in {VLSI} Circuits",
   pages = "133--139",
}
@PROCEEDINGS{whole-proceedings,
   key = "OX{\\singleletter{stoc}}",
   organization = "The OX Association for Computing Machinery",
   title = "Proc. Fifteenth Annual",
   booktitle = "Proc. Fifteenth Annual",
   year = 1983,
}
"""


def test_crossref_fields_are_inherited_before_required_fields_are_checked():
    refs, found = parse(XAMPL_CROSSREF)
    assert found == []
    child = refs["inproceedings-crossref"]
    assert child.fields["booktitle"] == "Proc. Fifteenth Annual"
    assert child.year == "1983"
    assert child.title == "On Notions of Information Transfer in VLSI Circuits"


def test_biblatex_parent_title_becomes_the_child_booktitle():
    refs, found = parse("@inbook{c, crossref = {b}, author = {A, B}, title = {Chapter}}\n"
                        "@book{b, author = {A, B}, title = {The Book}, subtitle = {More},"
                        " publisher = {P}, date = {2001}}\n")
    assert found == []
    assert refs["c"].fields["booktitle"] == "The Book"
    assert refs["c"].fields["booksubtitle"] == "More"
    assert refs["c"].title == "Chapter"


def test_xdata_fields_are_inherited_and_xdata_is_not_a_reference():
    refs, found = parse("@xdata{pub, publisher = {Addison-Wesley}, location = {Reading}}\n"
                        "@book{k, author = {Knuth, D.}, title = {TAOCP}, xdata = {pub},"
                        " year = 1968}\n")
    assert found == []
    assert list(refs) == ["k"]
    assert refs["k"].fields["publisher"] == "Addison-Wesley"


def test_crossref_to_a_missing_entry_and_a_cycle_are_warnings():
    refs, found = parse("@misc{a, title = {A}, crossref = {b}}\n"
                        "@misc{b, title = {B}, crossref = {a}}\n"
                        "@misc{c, title = {C}, crossref = {nowhere}}\n")
    assert sorted(refs) == ["a", "b", "c"]
    assert all(": bad-crossref: warning: " in d for d in found)
    assert [d.split(":")[1] for d in found] == ["1", "2", "3"]


# --- @comment -------------------------------------------------------------------------------


@pytest.mark.parametrize("comment", [
    "@comment this line is a comment\n",                      # no braces: BibTeX ignores it
    "@Comment{jabref-meta: databaseType:bibtex;}\n",           # JabRef
    "@COMMENT(Mendeley (with parentheses))\n",
    "@comment{never closed\n",                                  # BibTeX reads on after the word
])
def test_comments_in_every_form_are_ignored(comment):
    refs, found = parse(f"{comment}@misc{{k, title = {{T}}}}\n")
    assert (list(refs), found) == (["k"], [])


# --- types ----------------------------------------------------------------------------------


@pytest.mark.parametrize("entry_type", [
    "set", "mvcollection", "bookinbook", "reference", "mvreference", "suppbook",
    "suppcollection", "suppperiodical", "mvproceedings", "customa", "artwork", "legislation"])
def test_biblatex_types_are_known(entry_type):
    _, found = parse(f"@{entry_type}{{k, title = {{T}}, entryset = {{a,b}},"
                     " author = {A, B}, editor = {E, F}, date = 2020}")
    assert not [d for d in found if "unknown-entry-type" in d]


# --- identifiers ----------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value"), [
    ("doi", "http://doi.acm.org/10.1145/359545.359563"),
    ("doi", "https://hdl.handle.net/10.1145/359545.359563"),
    ("doi", "https://onlinelibrary.wiley.com/doi/10.1145/359545.359563"),
    ("url", "http://doi.acm.org/10.1145/359545.359563"),
])
def test_doi_is_found_inside_resolver_addresses(field, value):
    refs, found = parse(f"@misc{{k, title = {{T}}, {field} = {{{value}}}}}")
    assert (refs["k"].doi, found) == ("10.1145/359545.359563", [])


@pytest.mark.parametrize("doi", ['10.1000/a"b', "10.1000/a\\\\b"])
def test_doi_with_a_quote_or_backslash_is_refused(doi):
    found = errors(f"@misc{{k, title = {{T}},\n  doi = {{{doi}}}}}")
    assert len(found) == 1 and ": bad-doi: " in found[0] and found[0].startswith(
        "references.bib:2:3:")


def test_sici_doi_with_angle_brackets_is_linked_percent_encoded():
    refs, found = parse("@misc{k, title = {T}, doi = {10.1002/(SICI)1096-987X(199803)19:4<377::"
                        "AID-JCC1>3.0.CO;2-P}}")
    assert refs["k"].doi == "10.1002/(SICI)1096-987X(199803)19:4%3C377::AID-JCC1%3E3.0.CO;2-P"
    assert [d.split(": ")[1:3] for d in found] == [["bad-doi", "warning"]]


def test_several_urls_in_one_field_name_the_real_problem():
    refs, found = parse("@misc{k, title = {T}, url = {http://a.org/x https://b.org/y}}")
    assert refs["k"].url == "http://a.org/x"
    assert found == ["references.bib:1:23: bad-url: warning: field 'url' holds 2 addresses "
                     "separated by spaces; the first (http://a.org/x) is used: keep one, or "
                     "move the others to 'note'"]


def test_a_space_inside_a_url_is_a_warning_and_encoded():
    refs, found = parse("@misc{k, title = {T}, url = {https://a.org/my file.pdf}}")
    assert refs["k"].url == "https://a.org/my%20file.pdf"
    assert len(found) == 1 and "contains a space" in found[0] and "warning" in found[0]


def test_script_url_still_stops_the_build():
    assert [d.split(": ")[1] for d in errors("@misc{k, title={T}, url={javascript:alert(1)}}")] \
        == ["bad-url"]


# --- macros ---------------------------------------------------------------------------------


def test_journal_macro_of_ads_exports_is_kept_not_missing():
    refs, found = parse("@article{k, author = {A, B}, title = {T}, journal = {\\aap},"
                        " year = 2019}")
    assert found == []
    assert refs["k"].fields["journal"] == "aap"


def test_undefined_string_is_a_warning_as_in_bibtex():
    refs, found = parse("@misc{k, title = {T}, booktitle = IEEE_J_PROC}")
    assert "k" in refs
    assert [d.split(": ")[1:3] for d in found] == [["undefined-macro", "warning"]]


# --- encodings ------------------------------------------------------------------------------


def test_utf16_file_is_named_by_its_bom_without_follow_on_errors(tmp_path):
    path = tmp_path / "x.bib"
    path.write_bytes("@misc{k, title = {Straße}}\n".encode("utf-16"))
    refs, found = load_bibliography(path, "x.bib")
    assert [(d.line, d.col, d.code) for d in found] == [(1, 1, "file-encoding")]
    assert "UTF-16" in found[0].message
    assert refs["k"].title == "Straße"


def test_latin1_file_is_not_called_gb18030(tmp_path):
    path = tmp_path / "x.bib"
    path.write_bytes("@misc{k, author = {Müller, Jürgen and Éric Dupont}, title = {T}}\n"
                     .encode("latin-1"))
    _, found = load_bibliography(path, "x.bib")
    assert [(d.line, d.col) for d in found] == [(1, 21)]
    assert "GB18030" not in found[0].message
    assert "Latin-1" in found[0].message


def test_gb18030_is_named_on_runs_of_han_characters(tmp_path):
    path = tmp_path / "x.bib"
    path.write_bytes("@ARTICLE{k,\n  author = {凯撒},\n  journal = {测试期刊}}\n".encode("gbk"))
    _, found = load_bibliography(path, "x.bib")
    (encoding,) = [d for d in found if d.code == "file-encoding"]
    assert (encoding.line, encoding.col) == (2, 13)
    assert "GB18030" in encoding.message


# --- LaTeX as a reader expects ----------------------------------------------------------------


@pytest.mark.parametrize(("source", "text"), [
    ("{{\\BibTeX}}ing", "BibTeXing"),
    ("The \\TeX book", "The TeXbook"),
    ("\\LaTeX\\ and \\LaTeXe", "LaTeX and LaTeX2ε"),
    ("input\\slash output", "input/output"),
    ("{\\TeX\\ and Macintosh\\dash new directions}", "TeX and Macintosh—new directions"),
    ("{\\noopsort{1973c}}1981", "1981"),
    ("So{$\\not$}rensen", "Sørensen"),
    ("\\foreignlanguage{german}{Haus}", "Haus"),
    ("A course on {\\MF} programming", "A course on METAFONT programming"),
])
def test_latex_renders_as_a_reader_expects(source, text):
    assert latex_to_text(source)[0] == text
