"""`mechatlas refs`: the references.bib records a person should verify, one line each."""

from __future__ import annotations

import pytest
import yaml

from conftest import REPO
from mechatlas.cli import main
from mechatlas.contrib.references import reason
from mechatlas.model.reference import Reference, reasons_to_verify

SECONDHAND = """
@article{luo2025,
  title = {[Adenosine in rapid antidepressant action]},
  journal = {Nature},
  year = {2025},
  note = {Known only through the news report news2025}
}
"""


def run(capsys, *argv: str) -> tuple[int, list[str], list[str]]:
    try:
        code = main(list(argv))
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def test_refs_lists_a_record_without_doi(mini_repo, capsys):
    assert run(capsys, "--root", str(mini_repo), "refs") == (
        0, ["references.bib:10:1: to-verify: li2021review: no DOI"],
        ["1 of 2 references to verify"])


def test_refs_gives_every_reason_of_a_record_known_second_hand(mini_repo, capsys):
    with (mini_repo / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(SECONDHAND)
    code, out, _ = run(capsys, "--root", str(mini_repo), "refs")
    assert (code, out[-1]) == (0, (
        "references.bib:21:1: to-verify: luo2025: no authors; no pages; no DOI; title is a "
        "bracketed description; note says known only through the news report news2025"))


def test_refs_lists_nothing_when_every_record_is_complete(mini_repo, capsys):
    bib = mini_repo / "references.bib"
    bib.write_text(bib.read_text().replace("  language = {chinese}",
                                           "  language = {chinese},\n  doi = {10.1000/abc}"))
    assert run(capsys, "--root", str(mini_repo), "refs") == (
        0, [], ["0 of 2 references to verify"])


def test_refs_on_a_malformed_bibliography_lists_what_it_can_and_says_so(mini_repo, capsys):
    bib = mini_repo / "references.bib"
    bib.write_text(bib.read_text() + "\n@article{broken,\n  title = {Unclosed\n")
    code, out, err = run(capsys, "--root", str(mini_repo), "refs")
    assert (code, out, err[-1]) == (
        0, ["references.bib:10:1: to-verify: li2021review: no DOI"],
        "note: the input has 1 error(s), not counted here; run: mechatlas check")


def test_refs_outside_a_repository_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "refs")[:2] == (2, [])


def test_refs_lists_the_real_bibliography_in_file_order(capsys):
    code, out, _ = run(capsys, "--root", str(REPO), "refs")
    lines = [int(line.split(":")[1]) for line in out]
    assert (code, lines == sorted(lines), bool(lines)) == (0, True, True)


@pytest.mark.parametrize("record", [
    Reference("a", "article", 1, 1),                      # no authors, year, journal, pages, DOI
    Reference("b", "book", 1, 1),                         # no publisher
    Reference("c", "online", 1, 1),                       # no URL
    Reference("d", "misc", 1, 1, title="[A description]"),
    Reference("e", "misc", 1, 1, fields={"note": "Cited in another review"}),
], ids=["article", "book", "online", "bracketed", "secondhand"])
def test_every_reason_to_verify_has_a_code_the_site_translates(record):
    strings = {lang: yaml.safe_load((REPO / f"docs_templates/strings/{lang}.yaml").read_text(
        "utf-8"))["coverage"]["reasons"] for lang in ("en", "zh")}
    codes = [reason(text).code for text in reasons_to_verify(record)]
    assert codes and all(code in strings["en"] and code in strings["zh"] for code in codes)

