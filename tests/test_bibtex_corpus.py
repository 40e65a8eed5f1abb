"""``mechatlas check`` on real BibTeX from reference managers' own test suites.

Every file under ``tests/fixtures/realbib/`` (origin and licence in its README) is checked as
a repository's ``references.bib``. A file BibTeX reads without error passes (warnings are
allowed); a file BibTeX or the site cannot take is rejected, and its first error names the
line and the real problem, as listed in ``REJECTED``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mechatlas.cli import main

CORPUS = Path(__file__).parent / "fixtures" / "realbib"
FILES = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.bib"))

REJECTED = {
    # file: (first error as printed, up to the message's first words)
    "better-bibtex/Endnote-should-parse.bib":  # "@article{" then a field: BibTeX errors too
        "references.bib:2:2: missing-citekey: @article entry has no citation key",
    "better-bibtex/Some-bibtex-entries-quietly-discarded-on-import-from-bib-fil.bib":
        "references.bib:866:1: duplicate-citekey: citation key 'Schank:80' is already used by "
        "the entry at line 161",  # BibTeX: "Repeated entry"
    "bibtexparser/gbk_test.bib":
        "references.bib:1:10: file-encoding: byte 0xbf is not UTF-8 (it reads as GB18030",
    "citation-js/different-delimiters.bib":  # opened with '{', closed with ')'
        "references.bib:7:1: bibtex-syntax: entry 'b': expected ',' or '}' after field 'year' "
        "at 11:1, found ')'",
    "jabref/LNCS-minimal.bib":  # "@inproceedings{," : nothing to cite it by
        "references.bib:1:1: missing-citekey: @inproceedings entry has no citation key",
    "jabref/encoding-windows-1252-with-header.bib":
        "references.bib:3:1: missing-citekey: @article entry has no citation key",
}


def test_the_corpus_is_there_and_every_rejection_is_one_of_its_files():
    assert len(FILES) >= 50
    assert set(REJECTED) <= set(FILES)


@pytest.mark.parametrize("name", FILES)
def test_check_accepts_what_bibtex_reads_and_locates_what_it_cannot(name, tmp_path, capsys):
    (tmp_path / "content").mkdir()
    (tmp_path / "references.bib").write_bytes((CORPUS / name).read_bytes())
    code = main(["--root", str(tmp_path), "check", "--quiet"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    lines = captured.out.splitlines()
    if name in REJECTED:
        assert code == 1
        assert lines[0].startswith(REJECTED[name])
    else:
        assert (code, lines) == (0, [])
