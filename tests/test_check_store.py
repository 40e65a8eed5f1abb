"""The store of ``mechatlas check``'s results (.mechatlas-build/check.json): a second check
answers for unchanged files without parsing them, and reports exactly what a fresh check does,
whatever state the store is in."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from mechatlas.cli import main
from mechatlas.pipeline import load_project
from mechatlas.settings import BuildSettings
from mechatlas.validate import stored
from mechatlas.validate.stored import STORE_FILE, CheckStore, StoredEntry

CLAIM = "content/claims/test-diet-inhibits-test-pathway.yaml"
THERAPY = "content/therapies/test-diet.yaml"
METHOD = "content/methods/test-method.yaml"


def check(root: Path, capsys, *flags: str) -> tuple[int, str]:
    code = main(["--root", str(root), "check", *flags])
    out, err = capsys.readouterr()
    return code, out + err


def stored_check(root: Path) -> tuple[list[str], CheckStore, list[object]]:
    settings = BuildSettings(root)
    store = CheckStore(settings.work_dir, settings.schema_dir)
    project = load_project(root, build_model=False, settings=settings, store=store)
    return [str(d) for d in project.diagnostics], store, project.entries


def with_problems(root: Path) -> None:
    """An unknown therapy, a doubled word, a missing translation and a typography fault."""
    claim = root / CLAIM
    claim.write_text(claim.read_text("utf-8")
                     .replace("therapy: test-diet", "therapy: test-dite")
                     .replace("inhibits the pathway", "inhibits the the pathway")
                     .replace("该饮食在癫痫大鼠中", "该饮食在 癫痫大鼠中"), "utf-8")
    (root / METHOD).write_text("id: test-method\nname: {en: M}\nsummary: {en: S, zh: 乙}\n")


def test_a_second_check_answers_from_the_store_with_the_same_output(mini_repo, capsys):
    with_problems(mini_repo)
    fresh = check(mini_repo, capsys, "--no-cache")
    assert not (mini_repo / ".mechatlas-build" / STORE_FILE).exists()
    assert check(mini_repo, capsys) == fresh  # writes the store
    assert (mini_repo / ".mechatlas-build" / STORE_FILE).is_file()
    assert check(mini_repo, capsys) == fresh  # answered from it
    found, store, entries = stored_check(mini_repo)
    assert store.reused == len(entries) == 8
    assert all(isinstance(e, StoredEntry) for e in entries)
    assert any("unknown therapy 'test-dite'" in line for line in found)
    assert any("doubled" in line for line in found)


def test_an_edited_file_is_checked_again(mini_repo, capsys):
    check(mini_repo, capsys)
    with_problems(mini_repo)
    found, store, _ = stored_check(mini_repo)
    assert store.reused == 6  # all but the claim and the method
    assert found == stored_check_without_store(mini_repo)
    assert any("unknown therapy 'test-dite'" in line for line in found)


def test_an_unchanged_file_sees_what_changed_in_the_others(mini_repo, capsys):
    """The claim's file is unchanged, but the therapy it names is renamed: its stored
    cross-entry results are stale and it is checked again."""
    assert check(mini_repo, capsys)[0] == 0
    therapy = mini_repo / THERAPY
    therapy.write_text(therapy.read_text("utf-8").replace("id: test-diet", "id: test-dite"),
                       "utf-8")
    therapy.rename(therapy.with_name("test-dite.yaml"))
    found = stored_check(mini_repo)[0]
    assert found == stored_check_without_store(mini_repo)
    assert any(f"{CLAIM}:3:10: unknown-id: unknown therapy 'test-diet'" in line
               for line in found)


def test_an_unchanged_file_sees_a_renamed_entity_in_its_wording(mini_repo, capsys):
    """The claim links to the pathway and says "pathway" after it: a doubled word while the
    pathway is named "Test pathway", none once it is "Test signalling". The claim's file does
    not change; its stored wording result must."""
    claim, pathway = mini_repo / CLAIM, mini_repo / "content/pathways/test-pathway.yaml"
    claim.write_text(claim.read_text("utf-8").replace(
        "inhibits the pathway", "inhibits [[test-pathway]] pathway"), "utf-8")
    code, output = check(mini_repo, capsys)
    assert "doubled" in output and check(mini_repo, capsys) == (code, output)
    pathway.write_text(pathway.read_text("utf-8").replace("en: Test pathway",
                                                          "en: Test signalling"), "utf-8")
    code, output = check(mini_repo, capsys)
    assert "doubled" not in output
    assert (code, output) == check(mini_repo, capsys, "--no-cache")


def test_a_store_entry_for_other_bytes_is_not_used(mini_repo, capsys):
    """A record whose digest is not the file's (the file changed, the store did not) is
    ignored, even when it says the file had no problems."""
    check(mini_repo, capsys)
    path = mini_repo / ".mechatlas-build" / STORE_FILE
    clean = path.read_text("utf-8")
    with_problems(mini_repo)
    path.write_text(clean, "utf-8")  # the store of the clean files
    code, output = check(mini_repo, capsys)
    assert (code, output) == check(mini_repo, capsys, "--no-cache")
    assert code == 1 and "test-dite" in output


def read_store(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The store's header (checker key, digest of the rest) and its records."""
    header, _, body = path.read_text("utf-8").partition("\n")
    return json.loads(header), json.loads(body)


def write_store(path: Path, key: str, body: dict[str, Any]) -> None:
    """A store as the checker writes one: the digest in its header matches its records."""
    text = json.dumps(body)
    digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    path.write_text(f"{json.dumps({'key': key, 'digest': digest})}\n{text}", "utf-8")


def test_a_damaged_store_is_ignored_and_replaced(mini_repo, capsys):
    with_problems(mini_repo)
    fresh = check(mini_repo, capsys, "--no-cache")
    path = mini_repo / ".mechatlas-build" / STORE_FILE
    check(mini_repo, capsys)
    header, good = read_store(path)
    text = path.read_text("utf-8")
    for damage in ("", "{not json", "\x00\xff garbage", json.dumps([1, 2]),
                   text[:200], text.replace('"error"', '"warning"')):
        path.write_text(damage, "utf-8", errors="surrogateescape")
        assert check(mini_repo, capsys) == fresh
        assert read_store(path)[1]["files"]  # replaced by a good one
    for shape in ({"files": {CLAIM: [5]}, "bibliographies": {}},
                  {"files": {CLAIM: {"digest": 5}}, "bibliographies": {}},
                  {"files": good["files"], "bibliographies": {"references.bib": 7}}):
        write_store(path, header["key"], shape)  # sealed, but not what the checker writes
        assert check(mini_repo, capsys) == fresh
    assert check(mini_repo, capsys) == fresh


@pytest.mark.parametrize("forged", ["by hand", "under another checker's key"])
def test_made_up_records_are_not_trusted(mini_repo, capsys, forged):
    """Records changed by hand (the digest in the header no longer matches them), or sealed by
    another version of the checker (or for other schemas), are not used."""
    fresh = check(mini_repo, capsys, "--no-cache")
    check(mini_repo, capsys)
    path = mini_repo / ".mechatlas-build" / STORE_FILE
    header, body = read_store(path)
    for row in body["files"].values():
        row[5] = [[CLAIM, 1, 1, "schema", "made up", "error"]]  # its local problems
    if forged == "by hand":
        path.write_text(f"{json.dumps(header)}\n{json.dumps(body)}", "utf-8")
    else:
        write_store(path, "another checker", body)
    assert check(mini_repo, capsys) == fresh


def test_a_schema_edit_drops_the_store(mini_repo, capsys):
    check(mini_repo, capsys)
    schema = mini_repo / "schemas" / "method.schema.json"
    data = json.loads(schema.read_text("utf-8"))
    data["required"] = [*data.get("required", []), "made_up_field"]
    schema.write_text(json.dumps(data), "utf-8")
    found, store, _ = stored_check(mini_repo)
    assert store.reused == 0
    assert any("missing required field 'made_up_field'" in line for line in found)


def stored_check_without_store(root: Path) -> list[str]:
    settings = BuildSettings(root)
    return [str(d) for d in load_project(root, build_model=False,
                                         settings=settings).diagnostics]



def test_a_file_unchanged_since_before_the_check_is_answered_from_its_stat(
        mini_repo, capsys, monkeypatch):
    with_problems(mini_repo)
    fresh = check(mini_repo, capsys, "--no-cache")
    check(mini_repo, capsys)  # files changed just now: their stat is not trusted yet
    assert stored_check(mini_repo)[1].unread == 0
    # Files long unchanged, as in a checkout (a change time cannot be set back to fake one).
    monkeypatch.setattr(stored, "SETTLED_NS", 0)
    assert check(mini_repo, capsys) == fresh  # read and hashed: the stats are stored
    _, store, entries = stored_check(mini_repo)
    assert store.unread == store.reused == len(entries) == 8
    assert check(mini_repo, capsys) == fresh


def test_a_file_rewritten_with_its_old_size_and_time_is_read_again(
        mini_repo, capsys, monkeypatch):
    """Its change time, which no program can set back, differs: so does its stat."""
    monkeypatch.setattr(stored, "SETTLED_NS", 0)
    assert check(mini_repo, capsys)[0] == 0
    assert stored_check(mini_repo)[1].unread == 8
    claim = mini_repo / CLAIM
    before = claim.stat()
    claim.write_text(claim.read_text("utf-8").replace("therapy: test-diet", "therapy: test-dieu"),
                     "utf-8")
    os.utime(claim, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert claim.stat().st_size == before.st_size
    code, output = check(mini_repo, capsys)
    assert (code, output) == check(mini_repo, capsys, "--no-cache")
    assert code == 1 and "test-dieu" in output


def test_an_unchanged_bibliography_is_not_parsed_again(mini_repo, capsys, monkeypatch):
    """Its keys and problems come from the store; an edit of it is parsed, and reported as a
    fresh check reports it."""
    from mechatlas.load import bibtex

    parsed: list[str] = []
    parse = bibtex.load_bibliography
    monkeypatch.setattr(bibtex, "load_bibliography",
                        lambda path, display: parsed.append(display) or parse(path, display))
    fresh = check(mini_repo, capsys, "--no-cache")
    assert check(mini_repo, capsys) == fresh and len(parsed) == 2  # the second writes the store
    assert check(mini_repo, capsys) == fresh and len(parsed) == 2  # its digest is the same
    monkeypatch.setattr(stored, "SETTLED_NS", 0)
    assert check(mini_repo, capsys) == fresh  # its stat is stored
    assert check(mini_repo, capsys) == fresh and len(parsed) == 2
    bib = mini_repo / "references.bib"
    bib.write_text(bib.read_text("utf-8") + "\n@article{unfinished,\n  title = {A",
                   "utf-8")
    code, output = check(mini_repo, capsys)
    assert len(parsed) == 3 and code == 1 and "references.bib:" in output
    assert (code, output) == check(mini_repo, capsys, "--no-cache")
