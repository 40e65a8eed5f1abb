"""The fast validator and jsonschema agree on every entry, real or mutated."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mechatlas.model.kinds import KIND_BY_FOLDER
from mechatlas.validate.schema import is_valid_fast, validators

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "schemas"
ENTRIES = [(KIND_BY_FOLDER[p.parent.name].name, yaml.safe_load(p.read_text("utf-8")))
           for p in sorted((REPO / "content").glob("*/*.yaml"))[::7]]
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=6)


def agree(kind: str, data: object) -> None:
    assert is_valid_fast(kind, data, SCHEMAS) == validators(SCHEMAS)[kind].is_valid(data)


def test_real_entries_are_valid_for_both():
    for kind, data in ENTRIES:
        assert is_valid_fast(kind, data, SCHEMAS), data.get("id")
        agree(kind, data)


@settings(max_examples=150, deadline=None)
@given(index=st.integers(0, len(ENTRIES) - 1), key=st.text(max_size=10), value=VALUES,
       drop=st.booleans())
def test_mutated_entries_get_the_same_verdict(index, key, value, drop):
    kind, data = ENTRIES[index]
    mutated = dict(data)
    if drop and mutated:
        mutated.pop(sorted(mutated)[len(key) % len(mutated)])
    else:
        target = sorted(mutated)[len(key) % len(mutated)] if key == "" else key
        mutated[target] = value
    agree(kind, mutated)


@settings(max_examples=80, deadline=None)
@given(index=st.integers(0, len(ENTRIES) - 1), value=VALUES)
def test_mutated_nested_values_get_the_same_verdict(index, value):
    kind, data = ENTRIES[index]
    mutated = yaml.safe_load(yaml.safe_dump(data))
    for field in ("name", "statement", "text", "source", "evidence", "summary"):
        if field in mutated:
            if isinstance(mutated[field], dict):
                mutated[field]["en"] = value
            elif isinstance(mutated[field], list) and mutated[field]:
                mutated[field][0] = value
            break
    agree(kind, mutated)
