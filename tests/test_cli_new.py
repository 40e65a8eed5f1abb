"""`mechatlas new`: an entry written from its schema, failing `check` only on its empty texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from mechatlas.cli import main
from mechatlas.model.bilingual import bilingual_texts
from mechatlas.model.kinds import KINDS
from mechatlas.pipeline import load_project

ALL_KINDS = list(KINDS)


def run(capsys, *argv: str) -> tuple[int, list[str], list[str]]:
    try:
        code = main(list(argv))
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def new(root: Path, capsys, kind: str, entry_id: str) -> tuple[int, list[str], list[str]]:
    return run(capsys, "--root", str(root), "new", kind, entry_id)


def problems_in(root: Path, relative: str) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in load_project(root).diagnostics if d.path == relative]


def test_new_prints_the_path_it_created(mini_repo, capsys):
    assert new(mini_repo, capsys, "therapy", "new-diet") == (
        0, ["content/therapies/new-diet.yaml"],
        ["Write its texts in English and Chinese, then run: mechatlas check"])
    assert (mini_repo / "content/therapies/new-diet.yaml").is_file()


def test_new_entry_starts_with_the_editor_schema_line(mini_repo, capsys):
    new(mini_repo, capsys, "claim", "new-claim")
    first = (mini_repo / "content/claims/new-claim.yaml").read_text("utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/claim.schema.json"


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_new_entry_fails_check_only_on_its_empty_texts(mini_repo, capsys, kind):
    new(mini_repo, capsys, kind, f"new-{kind}")
    relative = f"content/{KINDS[kind].folder}/new-{kind}.yaml"
    found = load_project(mini_repo).diagnostics
    assert {d.code for d in found} == {"empty-text"}
    assert {d.path for d in found} == {relative}


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_new_entry_passes_check_once_its_texts_are_written(mini_repo, capsys, kind):
    new(mini_repo, capsys, kind, f"new-{kind}")
    path = mini_repo / "content" / KINDS[kind].folder / f"new-{kind}.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace('en: ""', 'en: "Written"').replace('zh: ""', 'zh: "已写"'),
                    "utf-8")
    assert load_project(mini_repo).diagnostics == []


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_text_of_a_new_entry_has_both_languages(mini_repo, capsys, kind):
    new(mini_repo, capsys, kind, f"new-{kind}")
    path = mini_repo / "content" / KINDS[kind].folder / f"new-{kind}.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    texts = [value for _, value in bilingual_texts(data)]
    assert texts and all(value == {"en": "", "zh": ""} for value in texts)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_written_field_of_a_new_entry_is_explained_by_a_comment(mini_repo, capsys, kind):
    new(mini_repo, capsys, kind, f"new-{kind}")
    lines = (mini_repo / "content" / KINDS[kind].folder / f"new-{kind}.yaml").read_text(
        "utf-8").splitlines()
    unexplained = [line for index, line in enumerate(lines)
                   if re.match(r"^[a-z_]+:", line) and not lines[index - 1].startswith("#")]
    assert unexplained == []


def test_new_claim_reads_as_its_schema_describes_it(mini_repo, capsys):
    new(mini_repo, capsys, "claim", "new-claim")
    lines = (mini_repo / "content/claims/new-claim.yaml").read_text("utf-8").splitlines()
    start = lines.index("id: new-claim") + 1
    assert lines[start:start + 10] == [
        "# The therapy entry's id. (Stand-in: an existing therapy; use the id of yours.)",
        "therapy: test-diet",
        "# Direction of the therapy's effect on the pathway. One of: activates, inhibits, "
        "restores,",
        "# modulates. (Stand-in: the first option.)",
        "effect: activates",
        "# The pathway entry's id. (Stand-in: an existing pathway; use the id of yours.)",
        "pathway: test-pathway",
        "# The condition entry's id. (Stand-in: an existing condition; use the id of yours.)",
        "condition: test-condition",
        "# The claim in one sentence, in your own words.",
    ]


def test_optional_fields_without_a_good_default_are_commented_out(mini_repo, capsys):
    new(mini_repo, capsys, "pathway", "new-pathway")
    text = (mini_repo / "content/pathways/new-pathway.yaml").read_text("utf-8")
    body = text.split("\n\n", 1)[1]  # after the header's explanations
    commented = re.findall(r"^# ([a-z_]+):", body, re.MULTILINE)
    assert commented == ["category", "part_of", "nodes", "short_name", "proper_name"]


def test_kind_may_be_given_by_its_folder_name(mini_repo, capsys):
    assert new(mini_repo, capsys, "methods", "new-method")[:2] == (
        0, ["content/methods/new-method.yaml"])


def test_an_id_used_by_another_kind_is_refused(mini_repo, capsys):
    assert new(mini_repo, capsys, "method", "test-diet") == (1, [], [
        "mechatlas new: id 'test-diet' is already used by content/therapies/test-diet.yaml; "
        "ids are unique across all kinds"])
    assert not (mini_repo / "content/methods/test-diet.yaml").exists()


def test_an_id_written_in_a_file_of_another_name_is_refused(mini_repo, write, capsys):
    write("content/methods/old-name.yaml",
          "id: new-name\nname: {en: M, zh: 甲}\nsummary: {en: S, zh: 乙}\n")
    assert new(mini_repo, capsys, "method", "new-name") == (1, [], [
        "mechatlas new: id 'new-name' is already used by content/methods/old-name.yaml; "
        "ids are unique across all kinds"])


def test_an_id_that_is_not_a_slug_is_refused_with_a_slug_to_try(mini_repo, capsys):
    assert new(mini_repo, capsys, "therapy", "Ketogenic Diet_2") == (1, [], [
        "mechatlas new: 'Ketogenic Diet_2' is not a slug; ids use lowercase letters a-z, digits "
        "and single hyphens, at most 80 characters: try 'ketogenic-diet-2'"])
    assert sorted(p.name for p in (mini_repo / "content/therapies").iterdir()) == [
        "test-diet.yaml"]


def test_an_unknown_kind_is_refused_with_the_list_of_kinds(mini_repo, capsys):
    assert new(mini_repo, capsys, "drug", "new-drug") == (1, [], [
        "mechatlas new: unknown kind 'drug'; use one of: pathway, therapy, condition, gene, "
        "method, source, claim, fact"])


def test_new_outside_a_repository_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "new", "therapy", "x")
    assert (code, out, err[-1]) == (2, [], f"mechatlas new: {tmp_path.resolve()} has no "
                                           "content/ folder; run at the repository root or pass "
                                           "--root")
