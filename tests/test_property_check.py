"""Property: whatever is done to a real entry, `check` reports it in place and never crashes.

Real entries of every kind are copied into a small repository, then damaged the
ways files get damaged (characters deleted or replaced, tabs, random Unicode,
undecodable bytes, truncation) and the ways entries get wrong (a key dropped, a
value of another type). Loading must never raise, and every diagnostic must name
a file under content/ or references.bib and a line in it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from mechatlas.contrib.coverage import coverage_of_project
from mechatlas.diagnostics import format_github, format_plain
from mechatlas.pipeline import load_project

ENTRIES = (
    "content/therapies/ketogenic-diet.yaml",
    "content/pathways/ampk-mtor.yaml",
    "content/conditions/drug-resistant-epilepsy.yaml",
    "content/genes/cacna1h.yaml",
    "content/methods/machine-learning.yaml",
    "content/claims/kd-inhibits-mtor.yaml",
    "content/facts/acupuncture-adverse-effects.yaml",
    "content/sources/ketogenic-diet-dre-review-2026.yaml",
)
BIB = "references.bib"
WHOLE_FILE_CODES = frozenset({"file-unreadable"})
"""Codes that may have line 0: the problem is the whole file, not a place in it."""

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
    st.lists(st.text(max_size=8), max_size=3),
    st.dictionaries(st.text(max_size=6), st.text(max_size=6), max_size=2),
    st.sampled_from(["", "{en: x}", "[[no-such-id]] [@nokey]", "\t", "- a\n- b", "2025-01-01"]),
)
"""Values put in place of a field or item. Mappings with keys that are not text (``{0: a}``)
are left out here until the known crash below is fixed; as a whole entry they are fine."""
NOT_TEXT_KEYS = st.dictionaries(st.integers() | st.booleans() | st.none(), st.text(max_size=4),
                                min_size=1, max_size=2)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """Schemas, eight real entries (one or more of each kind) and the real references.bib."""
    root = tmp_path_factory.mktemp("property") / "repo"
    shutil.copytree(REPO / "schemas", root / "schemas")
    for relative in ENTRIES:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / relative, root / relative)
    shutil.copy(REPO / BIB, root / BIB)
    return root


def test_the_copied_entries_load(repo):
    """The starting point is sound: the copies load (their links to absent entries aside)."""
    project = load_project(repo)
    assert {d.code for d in project.diagnostics} <= {"unknown-id", "wrong-kind"}
    assert len(project.entries) == len(ENTRIES)


def check_damaged(root: Path, relative: str, damaged: bytes) -> None:
    """Write ``damaged`` over one file, load, check every diagnostic, restore the file."""
    path = root / relative
    original = path.read_bytes()
    path.write_bytes(damaged)
    try:
        project = load_project(root)
        lines_in = {relative: damaged.count(b"\n") + 1}
        for diagnostic in project.diagnostics:
            assert diagnostic.path == BIB or diagnostic.path.startswith("content/"), diagnostic
            if diagnostic.line == 0:
                assert diagnostic.code in WHOLE_FILE_CODES, diagnostic
                continue
            assert diagnostic.line >= 1 and diagnostic.col >= 1, diagnostic
            if diagnostic.path in lines_in:  # the end of input may be one line further
                assert diagnostic.line <= lines_in[diagnostic.path] + 1, diagnostic
            format_plain(diagnostic)
            format_github(diagnostic)
        coverage_of_project(project.entries, project.references)
    finally:
        path.write_bytes(original)


# --- damage to the text --------------------------------------------------------------------


@st.composite
def text_damage(draw, original: str) -> bytes:
    size = len(original)
    at = draw(st.integers(0, size))
    how = draw(st.sampled_from(["delete", "replace", "tab", "unicode", "truncate", "bytes",
                                "duplicate-line"]))
    if how == "delete":
        return (original[:at] + original[at + draw(st.integers(1, 40)):]).encode()
    if how == "replace":
        char = draw(st.characters(exclude_categories=["Cs"]))
        return (original[:at] + char + original[at + 1:]).encode()
    if how == "tab":
        return (original[:at] + "\t" + original[at:]).encode()
    if how == "unicode":
        noise = draw(st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=12))
        return (original[:at] + noise + original[at:]).encode()
    if how == "truncate":
        return original[:at].encode()
    if how == "bytes":
        encoded = original.encode()
        at = min(at, len(encoded))
        return encoded[:at] + draw(st.binary(min_size=1, max_size=8)) + encoded[at:]
    lines = original.splitlines(keepends=True) or [""]
    index = draw(st.integers(0, len(lines) - 1))
    return "".join(lines[: index + 1] + lines[index:]).encode()


@SETTINGS
@given(data=st.data())
def test_damaged_entry_text_is_reported_in_place(repo, data):
    relative = data.draw(st.sampled_from(ENTRIES), label="file")
    original = (REPO / relative).read_text("utf-8")
    check_damaged(repo, relative, data.draw(text_damage(original), label="damaged"))


@SETTINGS
@given(data=st.data())
def test_damaged_bibliography_is_reported_in_place(repo, data):
    original = (REPO / BIB).read_text("utf-8")
    check_damaged(repo, BIB, data.draw(text_damage(original), label="damaged"))


# --- damage to the structure ----------------------------------------------------------------


def pointers(value: object, pointer: tuple = ()) -> Iterator[tuple]:
    """Every place in the data: mapping keys and list items, nested."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*pointer, key)
            yield from pointers(child, (*pointer, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield (*pointer, index)
            yield from pointers(child, (*pointer, index))


def at(data: object, pointer: tuple) -> object:
    for part in pointer:
        data = data[part]  # type: ignore[index]
    return data


@st.composite
def structure_damage(draw, original: str) -> bytes:
    data = yaml.safe_load(original)
    places = list(pointers(data))
    for _ in range(draw(st.integers(1, 3))):
        places = list(pointers(data))
        if not places:
            break
        pointer = draw(st.sampled_from(places))
        parent = at(data, pointer[:-1])
        if draw(st.booleans()):
            del parent[pointer[-1]]  # type: ignore[union-attr]
        else:
            parent[pointer[-1]] = draw(VALUES)  # type: ignore[index]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()


@SETTINGS
@given(data=st.data())
def test_entry_with_dropped_keys_or_wrong_types_is_reported_in_place(repo, data):
    relative = data.draw(st.sampled_from(ENTRIES), label="file")
    original = (REPO / relative).read_text("utf-8")
    check_damaged(repo, relative, data.draw(structure_damage(original), label="damaged"))


@SETTINGS
@given(value=VALUES | NOT_TEXT_KEYS)
def test_any_value_as_a_whole_entry_is_reported_in_place(repo, value):
    damaged = yaml.safe_dump(value, allow_unicode=True).encode()
    check_damaged(repo, ENTRIES[0], damaged)


def test_a_number_as_a_key_inside_a_field_is_reported_in_place(repo):
    check_damaged(repo, "content/methods/machine-learning.yaml",
                  b"id: machine-learning\nname: {0: a}\nsummary: {en: S, zh: \xe4\xb9\x99}\n")
