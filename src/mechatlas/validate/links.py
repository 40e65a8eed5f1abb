"""Cross-references: ids, the kinds they must point at, and citation keys.

Every reference is checked against the full set of ids first collected from
all entries (two phases, as mkdocs-autorefs does), so the order of files never
matters and every unresolved reference is reported with its own location.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from mechatlas.diagnostics import Diagnostic, error
from mechatlas.load.content import Entry, Unreadable
from mechatlas.model.kinds import ENTITY_KINDS
from mechatlas.model.prose_tokens import cited_keys, links_in
from mechatlas.validate.suggest import closest

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
    entries: tuple[Entry, ...] = ()
    """What refers to ids: read only when a suggestion is needed."""
    known: Mapping[str, frozenset[str]] = dataclasses.field(default_factory=dict)
    """The ids some entries refer to, already found (by path): their data is not walked."""

    @cached_property
    def unreferenced(self) -> frozenset[str]:
        """Entities no entry refers to: a renamed entity's new id is one of them.

        Claims and sources are left out: most are referred to by nothing, so for them the
        signal means nothing.
        """
        referenced: set[str] = set()
        for entry in self.entries:
            known = self.known.get(entry.path)
            referenced.update(referenced_ids(entry) if known is None else known)
        return frozenset(i for i, k in self.kinds.items()
                         if k in ENTITY_KINDS and i not in referenced)

    def suggest(self, wanted: str, kinds: tuple[str, ...]) -> str | None:
        pool = [i for i, k in self.kinds.items() if k in kinds]
        return closest(wanted, pool, self.unreferenced)


def referenced_ids(entry: Entry) -> set[str]:
    """The ids an entry links to in its texts or names in its id fields."""
    referenced: set[str] = set()
    for pointer, value in _walk(entry.data, ()):
        if not isinstance(value, str):
            continue
        field = next((p for p in reversed(pointer) if isinstance(p, str)), "")
        if field in ("en", "zh"):
            referenced.update(links_in(value))
        elif ID_FIELDS.get((entry.kind, field)):
            referenced.add(value)
    return referenced


def index_ids(entries: list[Entry], unreadable: Iterable[Unreadable] = (),
              known: Mapping[str, frozenset[str]] | None = None,
              ) -> tuple[IdIndex, list[Diagnostic]]:
    """Collect ids; duplicates and ids that disagree with their file name are errors.

    Of two entries with one id, the one whose file name is that id keeps it, then the older
    file: the duplicate reported is the copy (``ketamine copy.yaml``), never the original.
    An entry that failed to parse still defines the id of its file name, so the references to
    it are not reported a second time, in other files, for the same problem.
    """
    kinds: dict[str, str] = {}
    first: dict[str, str] = {}
    duplicated: set[str] = set()
    problems: list[Diagnostic] = []
    claimed = {}
    for entry in entries:
        raw = entry.data.get("id") if isinstance(entry.data, dict) else None
        claimed[entry.path] = raw if isinstance(raw, str) else entry.stem
    ordered = sorted(entries, key=lambda e: (claimed[e.path] != e.stem, e.modified, e.path))
    for entry in ordered:
        entry_id = claimed[entry.path]
        line, col = entry.document.position(("id",))
        if entry_id in kinds:
            fresh = free_slug(entry.stem, set(kinds) | set(claimed.values()))
            problems.append(error(entry.path, line, col, "duplicate-id",
                                  f"id '{entry_id}' is already used by {first[entry_id]}; "
                                  f"ids are unique across all kinds: give this entry its own, "
                                  f"e.g. set id: {fresh} and name the file {fresh}.yaml"))
            duplicated.add(entry_id)
            continue
        if entry_id != entry.stem:
            slug = free_slug(entry.stem, set(claimed.values()) - {entry_id})
            problems.append(error(entry.path, line, col, "id-mismatch",
                                  f"id '{entry_id}' differs from the file name; "
                                  f"rename the file to {entry_id}.yaml or set id: {slug}"
                                  + (f" and rename the file to {slug}.yaml"
                                     if slug != entry.stem else "")))
        kinds[entry_id] = entry.kind
        first[entry_id] = entry.path
    for lost in unreadable:
        kinds.setdefault(lost.stem, lost.kind)
    return IdIndex(kinds, frozenset(duplicated), tuple(entries), known or {}), problems


def free_slug(name: str, taken: set[str]) -> str:
    """A valid id made from a file name (``Ketamine copy`` -> ``ketamine-copy``), not taken."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "entry"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


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
    return closest(word, sorted(pool))


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
