"""Cross-references: ids, the kinds they must point at, and citation keys.

Every reference is checked against the full set of ids first collected from
all entries (two phases, as mkdocs-autorefs does), so the order of files never
matters and every unresolved reference is reported with its own location.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from mechatlas.diagnostics import Diagnostic, error
from mechatlas.load.content import Entry
from mechatlas.model.kinds import ENTITY_KINDS
from mechatlas.model.prose_tokens import cited_keys, links_in

Pointer = tuple[str | int, ...]
_ENTITY_OR_SOURCE = (*ENTITY_KINDS, "source")

# (kind of entry, field) -> kinds the field may point at
ID_FIELDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("claim", "therapy"): ("therapy",),
    ("claim", "pathway"): ("pathway",),
    ("claim", "condition"): ("condition",),
    ("claim", "genes"): ("gene",),
    ("claim", "methods"): ("method",),
    ("claim", "competes_with"): ("claim",),
    ("therapy", "components"): ("therapy",),
    ("therapy", "conditions"): ("condition",),
    ("pathway", "genes"): ("gene",),
    ("pathway", "part_of"): ("pathway",),
    ("condition", "part_of"): ("condition",),
    ("gene", "conditions"): ("condition",),
    ("gene", "pathways"): ("pathway",),
    ("fact", "subjects"): _ENTITY_OR_SOURCE,
    **{(kind, "related"): _ENTITY_OR_SOURCE for kind in ENTITY_KINDS},
}
CITE_FIELDS = ("cite", "primary")


@dataclass(frozen=True)
class IdIndex:
    kinds: dict[str, str]
    """id -> kind of the entry that defines it."""
    duplicated: frozenset[str] = frozenset()
    """Ids defined twice: already reported, so not checked for kind again."""

    def suggest(self, wanted: str, kinds: tuple[str, ...]) -> str | None:
        pool = [i for i, k in self.kinds.items() if k in kinds]
        close = difflib.get_close_matches(wanted, pool, n=1, cutoff=0.6)
        return close[0] if close else None


def index_ids(entries: list[Entry]) -> tuple[IdIndex, list[Diagnostic]]:
    """Collect ids; duplicates and ids that disagree with their file name are errors."""
    kinds: dict[str, str] = {}
    first: dict[str, str] = {}
    duplicated: set[str] = set()
    problems: list[Diagnostic] = []
    for entry in entries:
        data = entry.data if isinstance(entry.data, dict) else {}
        raw = data.get("id")
        entry_id = raw if isinstance(raw, str) else entry.stem
        if isinstance(raw, str) and raw != entry.stem:
            line, col = entry.document.position(("id",))
            problems.append(error(entry.path, line, col, "id-mismatch",
                                  f"id '{raw}' differs from the file name; "
                                  f"rename the file to {raw}.yaml or set id: {entry.stem}"))
        if entry_id in kinds:
            line, col = entry.document.position(("id",))
            problems.append(error(entry.path, line, col, "duplicate-id",
                                  f"id '{entry_id}' is already used by {first[entry_id]}; "
                                  f"ids are unique across all kinds"))
            duplicated.add(entry_id)
            continue
        kinds[entry_id] = entry.kind
        first[entry_id] = entry.path
    return IdIndex(kinds, frozenset(duplicated)), problems


def check_links(entry: Entry, ids: IdIndex, citekeys: set[str]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    doc = entry.document
    for pointer, value in _walk(entry.data, ()):
        field = next((p for p in reversed(pointer) if isinstance(p, str)), "")
        wanted = ID_FIELDS.get((entry.kind, field)) if len(pointer) <= 2 else None
        if wanted and isinstance(value, str):
            problems += _check_id(entry, pointer, value, wanted, ids)
        elif (field in CITE_FIELDS and "source" in pointer and isinstance(value, str)) or (
            entry.kind == "source" and pointer == ("cite",) and isinstance(value, str)
        ) or (field == "sources" and len(pointer) == 2 and isinstance(value, str)):
            problems += _check_key(entry, pointer, value, citekeys)
        elif field in ("en", "zh") and isinstance(value, str):
            line, col = doc.position(pointer)
            for target in links_in(value):
                if target not in ids.kinds:
                    hint = ids.suggest(target, (*_ENTITY_OR_SOURCE, "claim"))
                    problems.append(error(entry.path, line, col, "unknown-id",
                                          f"[[{target}]] links to no entry{did_you_mean(hint)}"))
            for key in cited_keys(value):
                if key not in citekeys:
                    problems.append(error(entry.path, line, col, "unknown-citation",
                                          f"[@{key}] is not in references.bib"
                                          f"{did_you_mean(_close(key, citekeys))}"))
    return problems


def _check_id(entry: Entry, pointer: Pointer, value: str, wanted: tuple[str, ...],
              ids: IdIndex) -> list[Diagnostic]:
    line, col = entry.document.position(pointer)
    label = " or ".join(wanted) if len(wanted) < 3 else "entry"
    found = ids.kinds.get(value)
    if found is None:
        hint = ids.suggest(value, wanted)
        return [error(entry.path, line, col, "unknown-id",
                      f"unknown {label} '{value}'{did_you_mean(hint)}")]
    if found not in wanted and value not in ids.duplicated:
        return [error(entry.path, line, col, "wrong-kind",
                      f"'{value}' is a {found}, but this field takes a {label}")]
    return []


def _check_key(entry: Entry, pointer: Pointer, key: str, citekeys: set[str]) -> list[Diagnostic]:
    if key in citekeys:
        return []
    line, col = entry.document.position(pointer)
    return [error(entry.path, line, col, "unknown-citation",
                  f"citation key '{key}' is not in references.bib"
                  f"{did_you_mean(_close(key, citekeys))}")]


def _close(word: str, pool: set[str]) -> str | None:
    close = difflib.get_close_matches(word, sorted(pool), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(hint: str | None) -> str:
    return f"; did you mean '{hint}'?" if hint else ""


def _walk(value: object, pointer: Pointer) -> Iterator[tuple[Pointer, object]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _walk(child, (*pointer, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk(child, (*pointer, index))
    else:
        yield pointer, value
