"""Input a contributor or an attacker can send: bounded, contained, and located exactly."""

from __future__ import annotations

import difflib
import os
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest

from mechatlas.load.bibtex import parse_bibliography
from mechatlas.load.yaml_source import MAX_DEPTH, MAX_FILE_BYTES, parse_yaml, read_text
from mechatlas.pipeline import load_project
from mechatlas.site.generate import generate
from mechatlas.validate.suggest import closest

REPO = Path(__file__).resolve().parent.parent


def problems(root: Path) -> list[str]:
    return [str(d) for d in load_project(root).diagnostics]


def billion_laughs(levels: int) -> str:
    """The classic alias bomb: each level repeats the one before nine times."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels + 1):
        name, before = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [{', '.join([f'*{before}'] * 9)}]")
    return "\n".join(lines) + "\n"


# --- bounded ------------------------------------------------------------------------------


def test_alias_bomb_is_one_located_error_in_bounded_time_and_memory():
    bomb = billion_laughs(9)  # 9**10 strings if expanded: far beyond any machine's memory
    assert len(bomb) < 700
    tracemalloc.start()
    started = time.perf_counter()
    document, found = parse_yaml(bomb, "content/pathways/bomb.yaml")
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 0.5
    assert peak < 4 * 1024 * 1024
    assert document is None
    assert [(d.line, d.col, d.code) for d in found] == [(2, 8, "yaml-alias")]
    assert "80 more" in found[0].message


def test_alias_bomb_in_a_repository_reports_only_its_own_file(mini_repo, write):
    write("content/pathways/bomb.yaml", billion_laughs(8))
    found = problems(mini_repo)
    assert len(found) == 1
    assert found[0].startswith("content/pathways/bomb.yaml:2:8: yaml-alias: alias '*a'")


def test_mkdocs_build_stops_on_the_alias_bomb_without_a_traceback(mini_repo, write, tmp_path):
    from sitebuild import mkdocs_build

    write("content/pathways/bomb.yaml", billion_laughs(8))
    started = time.perf_counter()
    result = mkdocs_build(mini_repo, tmp_path / "site")
    assert time.perf_counter() - started < 60
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert "content/pathways/bomb.yaml:2:8: yaml-alias" in output
    assert not (tmp_path / "site").exists()


def test_nesting_deeper_than_the_limit_is_located_where_it_goes_too_deep():
    text = "a: " + "[" * 500 + "]" * 500 + "\n"
    _, found = parse_yaml(text, "x.yaml")
    assert [(d.line, d.col, d.code) for d in found] == [(1, 4 + MAX_DEPTH - 1, "too-deep")]


def test_a_file_larger_than_an_entry_can_be_is_not_parsed(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("id: a\n" + "# padding\n" * (MAX_FILE_BYTES // 10 + 1), encoding="utf-8")
    text, found = read_text(path, "x.yaml")
    assert text is None
    assert [(d.line, d.col, d.code) for d in found] == [(1, 1, "file-too-large")]


# --- located ------------------------------------------------------------------------------


def test_bad_byte_after_chinese_text_is_at_its_character_column(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes("id: a\nname: 生酮饮食".encode() + b"\xff\n")
    _, found = read_text(path, "x.yaml")
    assert [(d.line, d.col) for d in found] == [(2, 11)]


def test_utf16_entry_is_named_as_utf16(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes("id: a\n".encode("utf-16"))
    _, found = read_text(path, "x.yaml")
    assert [d.code for d in found] == ["file-encoding"]
    assert "UTF-16" in found[0].message


def test_nul_character_is_located_in_characters():
    _, found = parse_yaml("id: a\nname: 生酮饮食\0x\n", "x.yaml")
    assert [(d.line, d.col, d.code) for d in found] == [(2, 11, "yaml-syntax")]
    assert "NUL" in found[0].message


def test_merge_key_is_one_error_at_the_key():
    _, found = parse_yaml("base: &b {x: 1}\nother:\n  <<: *b\n", "x.yaml")
    assert [(d.line, d.col, d.code) for d in found] == [(3, 3, "yaml-merge-key")]


def test_recursive_alias_is_located_at_the_alias():
    _, found = parse_yaml("id: a\nloop: &x\n  again: *x\n", "x.yaml")
    assert [(d.line, d.col, d.code) for d in found] == [(3, 10, "yaml-alias")]


@pytest.mark.parametrize(("text", "where"), [
    ("id: a\nlist: !!python/object:os.system [1]\n", (2, 7)),
    ("id: a\nmap: !!python/name:os.system {x: 1}\n", (2, 6)),
    ("id: a\nname: !local x\n", (2, 7)),
    ("id: a\nblob: !!binary aGk=\n", (2, 7)),
])
def test_unknown_or_unsafe_tags_are_located_errors(text, where):
    _, found = parse_yaml(text, "x.yaml")
    assert [(d.line, d.col, d.code) for d in found] == [(*where, "yaml-tag")]


def test_yaml_own_tags_are_still_accepted():
    document, found = parse_yaml("id: !!str 12\nn: !!int '3'\nl: !!seq [a]\n", "x.yaml")
    assert found == []
    assert document is not None
    assert document.data == {"id": "12", "n": 3, "l": ["a"]}


def test_an_entry_that_fails_to_parse_gives_no_errors_in_other_files(mini_repo, write):
    write("content/pathways/test-pathway.yaml", "id: test-pathway\nname: {en: P, zh: 乙\n")
    found = problems(mini_repo)
    assert len(found) == 1
    assert found[0].startswith("content/pathways/test-pathway.yaml:")


def test_a_copy_of_an_entry_is_the_duplicate_and_gets_a_valid_id(mini_repo):
    original = mini_repo / "content/therapies/test-diet.yaml"
    shutil.copy(original, mini_repo / "content/therapies/test-diet copy.yaml")
    assert problems(mini_repo) == [
        "content/therapies/test-diet copy.yaml:2:5: duplicate-id: id 'test-diet' is already used "
        "by content/therapies/test-diet.yaml; ids are unique across all kinds: give this entry "
        "its own, e.g. set id: test-diet-copy and name the file test-diet-copy.yaml",
    ]


REAL_PATHWAYS = sorted(p.stem for p in (REPO / "content" / "pathways").glob("*.yaml"))


@pytest.mark.parametrize(("old", "new", "misled_to"), [
    ("mtor-signalling", "mtor-pathway", "adenosine-signalling"),
    ("nf-kb", "nf-kappa-b", "bdnf-trkb"),
])
def test_did_you_mean_names_the_new_id_of_a_renamed_entry(old, new, misled_to):
    pool = [p for p in REAL_PATHWAYS if p != old] + [new]
    # difflib alone, as before, sends the contributor the wrong way
    assert difflib.get_close_matches(old, pool, n=1, cutoff=0.6) == [misled_to]
    assert closest(old, pool, unreferenced={new}) == new


def test_a_rename_in_the_real_content_suggests_the_new_id_everywhere(tmp_path):
    root = tmp_path / "repo"
    for name in ("content", "schemas"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "references.bib", root / "references.bib")
    old = root / "content/pathways/nf-kb.yaml"
    (root / "content/pathways/nf-kappa-b.yaml").write_text(
        old.read_text("utf-8").replace("id: nf-kb", "id: nf-kappa-b"), "utf-8")
    old.unlink()
    found = [d for d in load_project(root).diagnostics if d.code == "unknown-id"]
    assert len(found) > 10
    assert all(d.message.endswith("did you mean 'nf-kappa-b'?") for d in found)


# --- contained ----------------------------------------------------------------------------


def test_symlink_out_of_the_repository_is_an_error_and_never_published(mini_repo, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: leaked\nname: {en: TOP SECRET, zh: 机密}\nsummary: {en: S, zh: 乙}\n",
                      "utf-8")
    link = mini_repo / "content/methods/leaked.yaml"
    os.symlink(secret, link)
    found = load_project(mini_repo).diagnostics
    assert [(d.path, d.line, d.col, d.code) for d in found] == [
        ("content/methods/leaked.yaml", 1, 1, "symlink")]
    assert "outside the repository" in found[0].message
    generation = generate(mini_repo, tmp_path / "staging")
    assert not generation.project.ok
    assert not (tmp_path / "staging").exists()


def test_symlinked_folder_and_hand_written_page_are_errors(mini_repo, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.yaml").write_text("id: x\n", "utf-8")
    (outside / "page.md").write_text("# secret\n", "utf-8")
    os.symlink(outside, mini_repo / "content/genes/more")
    os.symlink(outside / "page.md", mini_repo / "docs/en/leak.md")
    found = [(d.path, d.code) for d in load_project(mini_repo).diagnostics]
    assert found == [("content/genes/more", "symlink"), ("docs/en/leak.md", "symlink")]


def test_symlinked_references_file_is_an_error(mini_repo, tmp_path):
    target = tmp_path / "elsewhere.bib"
    shutil.move(mini_repo / "references.bib", target)
    os.symlink(target, mini_repo / "references.bib")
    found = load_project(mini_repo).diagnostics
    assert ("references.bib", "symlink") in [(d.path, d.code) for d in found]


FORGED_CITATION = "\ue020nobody2000\ue022\ue021"


@pytest.mark.parametrize("text", [
    f"The diet acts {FORGED_CITATION}.",              # a forged citation slot
    f"See [[test-pathway|{FORGED_CITATION}]].",       # a forged slot inside a link label
    "A \ue010 0\ue011 literal-name marker.",          # the citation styles' markers
])
def test_renderer_markers_cannot_come_from_entries(mini_repo, write, text):
    write("content/conditions/test-condition.yaml",
          f"id: test-condition\nname: {{en: C, zh: 丙}}\nsummary: {{en: '{text}', zh: 见}}\n")
    found = load_project(mini_repo).diagnostics
    assert [(d.path, d.line, d.code) for d in found] == [
        ("content/conditions/test-condition.yaml", 3, "private-use-character")]
    assert found[0].col == 16 + text.index(next(c for c in text if "\ue000" <= c <= "\uf8ff"))


def test_renderer_markers_cannot_come_from_bibtex():
    _, found = parse_bibliography(
        "@misc{k, title = {T \ue020x\ue022\ue021}, year = 2020}\n", "references.bib")
    assert [(d.line, d.col, d.code) for d in found] == [(1, 21, "private-use-character")]
