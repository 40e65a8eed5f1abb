"""`mechatlas coverage` and its site page: texts per kind and field, every gap in its place."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import REPO
from mechatlas.cli import main
from mechatlas.contrib.coverage import coverage_of_atlas, coverage_of_project
from mechatlas.pipeline import load_project
from mechatlas.site.generate import render_files

METHOD = "content/methods/test-method.yaml"


def run(capsys, *argv: str) -> tuple[int, list[str], list[str]]:
    try:
        code = main(list(argv))
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def coverage_json(root: Path, capsys) -> dict:
    code, out, _ = run(capsys, "--root", str(root), "coverage", "--format", "json")
    assert code == 0
    return json.loads("\n".join(out))


def gap_lines(root: Path, capsys) -> list[str]:
    code, out, _ = run(capsys, "--root", str(root), "coverage")
    assert code == 0
    return [line for line in out if line.startswith(("content/", "references.bib"))]


def test_complete_repository_reports_every_kind_fully_translated(mini_repo, capsys):
    report = coverage_json(mini_repo, capsys)
    assert {kind: (value["entries"], value["total"]["texts"], value["total"]["both"])
            for kind, value in report["kinds"].items()} == {
        "pathway": (1, 2, 2), "therapy": (1, 2, 2), "condition": (1, 2, 2), "gene": (1, 2, 2),
        "method": (1, 2, 2), "source": (1, 3, 3), "claim": (1, 5, 5), "fact": (1, 2, 2),
    }
    # A reference is still to verify (no DOI), so the report is not "complete".
    assert (report["complete"], report["total"]) == (False, {
        "texts": 20, "en": 20, "zh": 20, "both": 20, "translated_percent": 100.0})


def test_a_reference_to_verify_means_something_is_missing(mini_repo, capsys):
    code, out, _ = run(capsys, "--root", str(mini_repo), "coverage")
    assert (code, out[0], out[-1]) == (
        0, "Coverage of 8 entries: 20 texts, 100.0% in both languages",
        "0 gap(s) to fill; 1 reference(s) to verify.")


def test_per_field_counts_are_reported_for_each_kind(mini_repo, capsys):
    report = coverage_json(mini_repo, capsys)
    assert list(report["kinds"]["claim"]["fields"]) == [
        "statement", "outcome", "evidence.model", "evidence.finding", "evidence.source.locator"]


def test_missing_chinese_is_listed_with_its_position(mini_repo, capsys):
    (mini_repo / METHOD).write_text("id: test-method\nname: {en: M}\nsummary: {en: S, zh: 乙}\n")
    assert gap_lines(mini_repo, capsys) == [
        f"{METHOD}:2:7: missing-zh: method 'test-method': name has no Chinese (zh) text",
        "references.bib:10:1: to-verify: li2021review: no DOI",
    ]


def test_missing_english_is_listed_with_its_position(mini_repo, capsys):
    (mini_repo / METHOD).write_text("id: test-method\nname: {en: M, zh: 甲}\n"
                                    "summary:\n  zh: 乙\n")
    assert gap_lines(mini_repo, capsys)[0] == (
        f"{METHOD}:4:3: missing-en: method 'test-method': summary has no English (en) text")


def test_missing_translation_lowers_the_percentage(mini_repo, capsys):
    (mini_repo / METHOD).write_text("id: test-method\nname: {en: M}\nsummary: {en: S, zh: 乙}\n")
    report = coverage_json(mini_repo, capsys)
    assert (report["complete"], report["total"], report["missing"]["zh"]) == (False, {
        "texts": 20, "en": 20, "zh": 19, "both": 19, "translated_percent": 95.0}, [{
            "path": METHOD, "line": 2, "col": 7, "lang": "zh", "kind": "method",
            "id": "test-method", "field": "name"}])


def test_claim_without_evidence_is_listed(mini_repo, capsys):
    path = mini_repo / "content/claims/test-diet-inhibits-test-pathway.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("evidence:")] + "evidence: []\n")
    assert gap_lines(mini_repo, capsys)[0] == (
        "content/claims/test-diet-inhibits-test-pathway.yaml:2:5: no-evidence: claim "
        "'test-diet-inhibits-test-pathway' has no evidence")


def test_entity_no_claim_or_fact_names_is_listed(mini_repo, write, capsys):
    write("content/conditions/lonely.yaml",
          "id: lonely\nname: {en: L, zh: 孤}\nsummary: {en: S, zh: 乙}\n")
    assert gap_lines(mini_repo, capsys)[0] == (
        "content/conditions/lonely.yaml:1:5: no-claims-or-facts: condition 'lonely' is named by "
        "no claim and no fact")


def test_coverage_works_on_input_with_errors(mini_repo, capsys):
    (mini_repo / METHOD).write_text("id: [unclosed\n")
    code, out, err = run(capsys, "--root", str(mini_repo), "coverage")
    # One error: the claim that names the unreadable method is not reported a second time.
    assert (code, out[0], err) == (
        0, "Coverage of 7 entries: 18 texts, 100.0% in both languages",
        ["note: the input has 1 error(s), not counted here; run: mechatlas check"])


def test_coverage_outside_a_repository_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "coverage")[0] == 2


def _comparable(coverage) -> tuple:
    return (
        {k: (v.entries, {f: vars(c) for f, c in v.fields.items()})
         for k, v in coverage.kinds.items()},
        sorted((g.path, g.lang, g.pointer) for g in coverage.missing),
        [(i.path, i.id) for i in coverage.claims_without_evidence],
        [(i.path, i.id) for i in coverage.unconnected],
        coverage.to_verify,
    )


def test_the_model_and_the_entries_give_the_same_report_on_the_real_content():
    project = load_project(REPO)
    assert project.atlas is not None
    assert _comparable(coverage_of_atlas(project.atlas, project.references)) == _comparable(
        coverage_of_project(project.entries, project.references))


def test_the_model_and_the_entries_give_the_same_gaps(mini_repo):
    (mini_repo / METHOD).write_text("id: test-method\nname: {en: M}\nsummary: {zh: 乙}\n")
    project = load_project(mini_repo)
    assert project.atlas is not None
    assert _comparable(coverage_of_atlas(project.atlas, project.references)) == _comparable(
        coverage_of_project(project.entries, project.references))


# --- the site page ----------------------------------------------------------------------------


@pytest.fixture
def pages(mini_repo) -> dict[str, str]:
    return render_files(mini_repo).files


def visible_text(page: str) -> str:
    """What a reader reads: no front matter, tags, code or Markdown heading anchors."""
    body = page.split("\n---\n", 1)[1]
    body = re.sub(r"<(code|pre)>.*?</\1>", " ", body, flags=re.DOTALL)
    body = re.sub(r"<[^>]+>|\{#[^}]*\}", " ", body)
    return body


def test_coverage_page_never_says_nothing_is_missing_with_references_to_verify(pages):
    page = pages["en/coverage/index.md"]
    assert re.findall(r'<p class="admonition-title">(.*?)</p>', page) == ["Work to do"]


def test_coverage_page_has_a_row_per_kind_and_a_total(pages):
    rows = re.findall(r'<tr><th scope="row">(?:<a [^>]*>)?([^<]+)(?:</a>)?</th><td>(\d+)</td>'
                      r'<td>(\d+)</td>', pages["en/coverage/index.md"].split("## By field")[0])
    assert rows == [("Pathways", "1", "2"), ("Therapies", "1", "2"), ("Conditions", "1", "2"),
                    ("Genes and targets", "1", "2"), ("Methods", "1", "2"),
                    ("Source documents", "1", "3"), ("Mechanism claims", "1", "5"),
                    ("Clinical facts", "1", "2"), ("All entries", "8", "20")]


def test_coverage_page_lists_a_missing_translation(mini_repo):
    (mini_repo / METHOD).write_text("id: test-method\nname: {en: M}\nsummary: {en: S, zh: 乙}\n")
    page = render_files(mini_repo).files["en/coverage/index.md"]
    assert re.findall(r'<ul class="ma-gaps">\n(.*?)\n</ul>', page) == [
        '<li><a href="../methods/test-method/">M</a> — Name <small><code>'
        f'{METHOD}</code> · <code>name</code></small></li>']


def test_chinese_coverage_page_has_no_english_words(pages):
    assert re.findall(r"[A-Za-z]{2,}", visible_text(pages["zh/coverage/index.md"])) == []


def test_to_verify_page_links_each_record_to_the_citation_index(pages):
    page = pages["en/references/to-verify.md"]
    assert re.findall(r'<tr id="verify-([^"]+)">.*?<a href="([^"]+)">', page) == [
        ("li2021review", "../#ref-li2021review")]


def test_to_verify_page_gives_the_reasons_in_the_page_language(pages):
    reasons = [re.findall(r"<td><ul>(.*?)</ul></td>", pages[f"{lang}/references/to-verify.md"])
               for lang in ("en", "zh")]
    assert reasons == [["<li>No DOI</li>"], ["<li>缺少 DOI</li>"]]


def test_chinese_to_verify_page_has_no_english_interface_words(pages):
    page = pages["zh/references/to-verify.md"]
    # Only a name: DOI (the file references.bib is code; li2021review itself is in Chinese).
    assert sorted(set(re.findall(r"[A-Za-z]{2,}", visible_text(page)))) == ["DOI"]


def test_a_locator_without_chinese_is_a_gap_with_its_position(mini_repo, capsys):
    fact = mini_repo / "content/facts/test-diet-ratio.yaml"
    fact.write_text(fact.read_text().replace('locator: {en: "§1", zh: "第1节"}',
                                             'locator: {en: "§1"}'))
    assert gap_lines(mini_repo, capsys)[0] == (
        "content/facts/test-diet-ratio.yaml:9:39: missing-zh: fact 'test-diet-ratio': "
        "source.locator has no Chinese (zh) text")


def test_a_descriptive_title_without_chinese_is_a_gap(mini_repo, capsys):
    bib = mini_repo / "references.bib"
    bib.write_text(bib.read_text().replace("title = {A Diet Inhibits the {mTOR} Pathway}",
                                           "title = {[Untitled diet study]}"))
    report = coverage_json(mini_repo, capsys)
    assert (report["kinds"]["reference"]["total"]["texts"], report["missing"]["zh"]) == (1, [{
        "path": "references.bib", "line": 1, "col": 1, "lang": "zh", "kind": "reference",
        "id": "doe2020diet", "field": "title"}])
