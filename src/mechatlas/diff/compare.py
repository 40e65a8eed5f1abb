"""Two loaded projects in, one ``AtlasDiff`` out: every difference as a value, no words.

Entries compare whenever they parse; the summaries the site derives (headlines, matrix
marks, conflicts, citations) need a model, so they compare only when both sides load.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from mechatlas.contrib.references import to_verify
from mechatlas.diagnostics import Diagnostic
from mechatlas.diff.entries import (
    Change,
    EntryKey,
    Side,
    compare_data,
    find_renames,
    has_page,
    translate_ids,
)
from mechatlas.diff.summaries import Labels, Summaries, summaries_of
from mechatlas.model.kinds import KINDS
from mechatlas.pipeline import Project

K = TypeVar("K")


@dataclass(frozen=True)
class EntryRef:
    """An entry as a reviewer recognises it: kind, id, file and a short description."""

    key: EntryKey
    path: str
    label: str
    address: str = ""
    """Where readers find it: its page, or the anchor of a claim or fact on its home page."""


@dataclass(frozen=True)
class ChangedEntry:
    entry: EntryRef
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Rename:
    """Same content under a new id; ``followers`` are the entries whose links moved with it."""

    old: EntryRef
    new: EntryRef
    followers: tuple[EntryRef, ...]


@dataclass(frozen=True)
class Moved:
    """A summary before and after (``None`` where it does not exist)."""

    key: tuple[str, ...]
    before: str | None
    after: str | None


@dataclass(frozen=True)
class NewlyToVerify:
    key: str
    reasons: tuple[str, ...]


@dataclass
class AtlasDiff:
    revision: str
    old_errors: tuple[Diagnostic, ...] = ()
    new_errors: tuple[Diagnostic, ...] = ()
    added: tuple[EntryRef, ...] = ()
    removed: tuple[EntryRef, ...] = ()
    renamed: tuple[Rename, ...] = ()
    changed: tuple[ChangedEntry, ...] = ()
    pages_added: tuple[str, ...] = ()
    pages_removed: tuple[str, ...] = ()
    summaries_compared: bool = False
    headlines: tuple[Moved, ...] = ()
    badges: tuple[Moved, ...] = ()
    marks: tuple[Moved, ...] = ()
    conflicts: tuple[Moved, ...] = ()
    references_added: tuple[str, ...] = ()
    references_removed: tuple[str, ...] = ()
    newly_to_verify: tuple[NewlyToVerify, ...] = ()
    no_longer_cited: tuple[str, ...] = ()
    new_problems: tuple[Diagnostic, ...] = ()
    names: dict[str, str] = field(default_factory=dict)
    """English names of the entities both sides know, for the report."""

    @property
    def is_empty(self) -> bool:
        return not any((self.added, self.removed, self.renamed, self.changed, self.headlines,
                        self.badges, self.marks, self.conflicts, self.references_added,
                        self.references_removed, self.newly_to_verify, self.new_problems,
                        self.no_longer_cited, self.pages_added, self.pages_removed))


def entry_label(key: EntryKey, side: Side) -> str:
    """'Ketogenic diet inhibits AMPK/mTOR pathway in Epilepsy' for a claim, a name otherwise."""
    data = side.entries[key].data
    if key.kind == "claim":
        return (f"{side.name(str(data.get('therapy')))} {data.get('effect')} "
                f"{side.name(str(data.get('pathway')))} in {side.name(str(data.get('condition')))}")
    if key.kind == "fact":
        subjects = data.get("subjects")
        subjects = subjects if isinstance(subjects, list) else []
        about = ", ".join(side.name(str(s)) for s in subjects)
        return f"{data.get('category')} fact on {about}"
    return side.name(key.id)


def address(key: EntryKey, side: Side) -> str:
    """``/pathways/ampk-mtor/``; a claim on its therapy's page, a fact on its first subject's."""
    if has_page(key):
        return f"/{KINDS[key.kind].folder}/{key.id}/"
    data = side.entries[key].data
    home = data.get("therapy") if key.kind == "claim" else (
        (data.get("subjects") or [None])[0] if isinstance(data.get("subjects"), list) else None)
    owner = next((k for k in side.entries if k.id == home and has_page(k)), None)
    if owner is None:
        return ""
    return f"/{KINDS[owner.kind].folder}/{owner.id}/#{key.kind}-{key.id}"


def _ref(key: EntryKey, side: Side) -> EntryRef:
    return EntryRef(key, side.entries[key].path, entry_label(key, side), address(key, side))


def page_urls(side: Side) -> set[str]:
    """Site paths of the pages one entry each makes, in both languages."""
    own = [address(key, side) for key in side.entries if has_page(key)]
    return {*own, *(f"/zh{url}" for url in own)}


def moved(before: Mapping[K, str], after: Mapping[K, str]) -> tuple[Moved, ...]:
    """Summaries whose text differs, or that exist on one side only, in key order."""
    keys = sorted(set(before) | set(after), key=str)
    return tuple(Moved(tuple(str(part) for part in k) if isinstance(k, tuple) else (str(k),),
                       before.get(k), after.get(k))
                 for k in keys if before.get(k) != after.get(k))


def _translate_keys(summary: Mapping[K, str], ids: Mapping[str, str]) -> dict[K, str]:
    """Old keys in new ids. Only the first two parts of a key are entity ids (therapy, then
    pathway or condition); a third is a page kind or a node id, and stays."""
    def one(key: K) -> K:
        if isinstance(key, tuple):
            return tuple(ids.get(part, part) if i < 2 else part  # type: ignore[return-value]
                         for i, part in enumerate(key))
        return ids.get(key, key) if isinstance(key, str) else key  # type: ignore[return-value]

    return {one(k): v for k, v in summary.items()}


def _problem_key(diagnostic: Diagnostic) -> tuple[str, str, str]:
    """Lines move when a file is edited above a problem; a problem is the same without them."""
    return (diagnostic.path, diagnostic.code, diagnostic.message)


def compare_projects(old: Project, new: Project, revision: str, labels: Labels) -> AtlasDiff:
    """What changes from the atlas at ``revision`` (``old``) to the working tree (``new``)."""
    before, after = Side.of(old.entries), Side.of(new.entries)
    renames = find_renames(before, after)
    ids = {o.id: n.id for o, n in renames.items()}
    diff = AtlasDiff(revision)
    diff.old_errors = tuple(d for d in old.diagnostics if d.is_error)
    diff.new_errors = tuple(d for d in new.diagnostics if d.is_error)
    diff.added = tuple(_ref(k, after) for k in after.entries
                       if k not in before.entries and k not in renames.values())
    diff.removed = tuple(_ref(k, before) for k in before.entries
                         if k not in after.entries and k not in renames)
    diff.renamed = tuple(
        Rename(_ref(o, before), _ref(n, after), tuple(
            _ref(k, after) for k in after.entries if k in before.entries
            and translate_ids(before.entries[k].data, {o.id: n.id}) != before.entries[k].data))
        for o, n in renames.items())
    diff.changed = tuple(
        ChangedEntry(_ref(k, after), tuple(changes)) for k in after.entries
        if k in before.entries and (changes := compare_data(
            translate_ids(before.entries[k].data, ids), after.entries[k].data)))
    old_pages, new_pages = page_urls(before), page_urls(after)
    diff.pages_added = tuple(sorted(new_pages - old_pages))
    diff.pages_removed = tuple(sorted(old_pages - new_pages))
    _compare_references(diff, old, new)
    seen = {_problem_key(d) for d in old.diagnostics}
    diff.new_problems = tuple(d for d in new.diagnostics if _problem_key(d) not in seen)
    diff.names = {k.id: after.name(k.id) for k in after.entries} | {
        k.id: before.name(k.id) for k in before.entries if k not in after.entries}
    if old.atlas is not None and new.atlas is not None:
        keys = set(old.references) | set(new.references)
        _compare_summaries(diff, summaries_of(old.atlas, labels, keys),
                           summaries_of(new.atlas, labels, keys), ids,
                           set(old.references) & set(new.references))
    return diff


def _compare_references(diff: AtlasDiff, old: Project, new: Project) -> None:
    diff.references_added = tuple(sorted(set(new.references) - set(old.references)))
    diff.references_removed = tuple(sorted(set(old.references) - set(new.references)))
    reasons_before = {item.key: {r.text for r in item.reasons} for item in
                      to_verify(old.references)}
    found = []
    for item in to_verify(new.references):
        fresh = tuple(r.text for r in item.reasons if r.text not in
                      reasons_before.get(item.key, set()))
        if fresh:
            found.append(NewlyToVerify(item.key, fresh))
    diff.newly_to_verify = tuple(sorted(found, key=lambda n: n.key))


def _compare_summaries(diff: AtlasDiff, before: Summaries, after: Summaries,
                       ids: Mapping[str, str], kept_keys: Iterable[str]) -> None:
    diff.summaries_compared = True
    diff.headlines = moved(_translate_keys(before.headlines, ids), after.headlines)
    old_badges = _translate_keys(before.badges, ids)
    diff.badges = moved({k: v for k, v in old_badges.items() if k in after.badges},
                        {k: v for k, v in after.badges.items() if k in old_badges})
    diff.marks = moved(_translate_keys(before.marks, ids), after.marks)
    diff.conflicts = moved(_translate_keys(_conflict_texts(before, ids), ids),
                           _conflict_texts(after, {}))
    diff.no_longer_cited = tuple(key for key in sorted(kept_keys)
                                 if before.cited.get(key) and not after.cited[key])


def _conflict_texts(summaries: Summaries, ids: Mapping[str, str]) -> dict[tuple[str, ...], str]:
    """'activating: a, b; inhibiting: c' per conflict, so a conflict's sides compare too."""
    def named(claims: tuple[str, ...]) -> str:
        return ", ".join(ids.get(claim, claim) for claim in claims)

    return {key: f"activating: {named(up)}; inhibiting: {named(down)}"
            for key, (up, down) in summaries.conflicts.items()}
