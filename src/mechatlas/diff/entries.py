"""Entries compared field by field, as parsed, so an atlas that does not load still compares.

A change is a value (``Change``): which field, the old and new value, and for a text which
language changed. Evidence items carry no id, so they are paired by content and source
before their fields are compared; an item with no partner was added or removed. Ids of
renamed entries are translated first, so a claim that only follows a rename has no change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from mechatlas.load.content import Entry
from mechatlas.model.entities import Text
from mechatlas.model.kinds import KINDS

LANGUAGE_KEYS = frozenset({"en", "zh"})
_LINK = re.compile(r"\[\[\s*([^\[\]|\s]+)(\s*(?:\|[^\[\]]*)?\]\])")


@dataclass(frozen=True, order=True)
class EntryKey:
    """An entry's identity across revisions: its kind and id."""

    kind: str
    id: str


@dataclass(frozen=True)
class Change:
    """One field of one entry, before and after (``None`` when absent on that side)."""

    field: str
    """Where, in words: ``effect``, ``evidence 2 (li2021review §2) › design``."""
    before: Any
    after: Any
    language: str | None = None
    """``en`` or ``zh`` for one language of a bilingual text."""
    other_language_changed: bool | None = None
    """For a text: whether the other language changed too (``False`` flags a one-sided edit)."""


@dataclass(frozen=True)
class Side:
    """The entries of one revision, by identity; entries that did not parse are left out."""

    entries: dict[EntryKey, Entry]

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> Side:
        found: dict[EntryKey, Entry] = {}
        for entry in entries:
            if isinstance(entry.data, dict):
                raw_id = entry.data.get("id")
                found.setdefault(EntryKey(entry.kind, str(raw_id or entry.stem)), entry)
        return cls(dict(sorted(found.items())))

    def name(self, entity_id: str) -> str:
        """An entity's English name (else Chinese, else its id), as the entry gives it."""
        for kind in ("therapy", "pathway", "condition", "gene", "method", "source"):
            entry = self.entries.get(EntryKey(kind, entity_id))
            if entry is not None:
                text = Text.of(entry.data.get("name"))
                if text and (text.en or text.zh):
                    return text.en or text.zh or entity_id
        return entity_id


def without_id(data: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "id"}


def find_renames(old: Side, new: Side) -> dict[EntryKey, EntryKey]:
    """Removed entries whose content reappears, unchanged, under a new id of the same kind."""
    removed = [k for k in old.entries if k not in new.entries]
    added = [k for k in new.entries if k not in old.entries]
    renames: dict[EntryKey, EntryKey] = {}
    taken: set[EntryKey] = set()
    for old_key in removed:
        content = without_id(old.entries[old_key].data)
        for new_key in added:
            if (new_key.kind == old_key.kind and new_key not in taken
                    and without_id(new.entries[new_key].data) == content):
                renames[old_key] = new_key
                taken.add(new_key)
                break
    return renames


NOT_ENTITY_IDS = frozenset({"id", "node"})
"""Keys whose values are an entry's own id or a pathway node's id, never a link to an entry:
a node ``mtor`` must not follow a rename of the gene ``mtor``."""


def translate_ids(value: Any, ids: Mapping[str, str]) -> Any:
    """``value`` with every renamed id replaced: ids as values, and ``[[id]]`` links in text."""
    if not ids:
        return value
    if isinstance(value, dict):
        return {key: item if key in NOT_ENTITY_IDS else translate_ids(item, ids)
                for key, item in value.items()}
    if isinstance(value, list):
        return [translate_ids(item, ids) for item in value]
    if isinstance(value, str):
        if value in ids:
            return ids[value]
        return _LINK.sub(lambda m: f"[[{ids.get(m.group(1), m.group(1))}{m.group(2)}", value)
    return value


def compare_data(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every field that differs between two versions of one entry, in the entry's order."""
    return list(_compare_mapping("", old, new))


def _label(prefix: str, name: str) -> str:
    return f"{prefix} › {name}" if prefix else name


def _is_text(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= LANGUAGE_KEYS


def _compare_mapping(prefix: str, old: Mapping[str, Any],
                     new: Mapping[str, Any]) -> Iterator[Change]:
    keys = [*new, *(k for k in old if k not in new)]
    for key in keys:
        if key == "id" and not prefix:
            continue
        yield from _compare_value(_label(prefix, str(key)), str(key), old.get(key),
                                  new.get(key))


def _compare_value(label: str, key: str, old: Any, new: Any) -> Iterator[Change]:
    if old == new:
        return
    if _is_text(old) or _is_text(new):
        yield from _compare_text(label, old if _is_text(old) else {}, new if _is_text(new) else {})
    elif isinstance(old, dict) and isinstance(new, dict):
        yield from _compare_mapping(label, old, new)
    elif key == "evidence" and isinstance(old, list) and isinstance(new, list):
        yield from compare_evidence(old, new)
    elif isinstance(old, list) and isinstance(new, list) and _item_key(old + new):
        yield from _compare_keyed(label, _item_key(old + new), old, new)
    elif isinstance(old, list) and isinstance(new, list) and _all_scalars(old + new):
        gone = [item for item in old if item not in new]
        came = [item for item in new if item not in old]
        if gone or came:
            yield Change(label, gone or None, came or None)
        else:  # same items, another order
            yield Change(label, old, new)
    else:
        yield Change(label, old, new)


ITEM_KEYS = ("node", "id")
"""What names an item of a list of mappings: a claim's ``targets`` by node, a pathway's
``nodes`` by id. Items so named compare one by one, whatever their order."""


def _item_key(items: list[Any]) -> str:
    for key in ITEM_KEYS:
        if items and all(isinstance(i, dict) and isinstance(i.get(key), str) for i in items):
            return key
    return ""


def _compare_keyed(label: str, key: str, old: list[Any], new: list[Any]) -> Iterator[Change]:
    before = {item[key]: item for item in old}
    after = {item[key]: item for item in new}
    for name in [*after, *(n for n in before if n not in after)]:
        if name not in before:
            yield Change(f"{label} › {name}", None, after[name])
        elif name not in after:
            yield Change(f"{label} › {name}", before[name], None)
        else:
            yield from _compare_mapping(f"{label} › {name}", before[name], after[name])
    if [i[key] for i in old if i[key] in after] != [i[key] for i in new if i[key] in before]:
        yield Change(f"{label} order", [i[key] for i in old], [i[key] for i in new])


def _all_scalars(items: list[Any]) -> bool:
    return all(not isinstance(item, dict | list) for item in items)


def _compare_text(label: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Change]:
    before, after = Text.of(old) or Text(), Text.of(new) or Text()
    changed = [lang for lang in ("en", "zh") if before.get(lang) != after.get(lang)]
    for lang in changed:
        yield Change(label, before.get(lang), after.get(lang), lang, len(changed) == 2)


def evidence_source(item: Mapping[str, Any]) -> str:
    """``li2021review §2, ref. 6`` — how a reviewer finds an evidence item in its source."""
    source = as_dict(item.get("source"))
    parts = [str(source.get("cite", "?"))]
    locator = source.get("locator")
    if isinstance(locator, dict):  # bilingual: the report is in English, as check's messages
        locator = locator.get("en") or locator.get("zh")
    if locator is not None:
        parts.append(str(locator))
    said = " ".join(parts)
    if source.get("therein") is not None:
        said += f", ref. {source['therein']}"
    return said


def _source_key(item: Any) -> tuple[Any, ...]:
    source = as_dict(as_dict(item).get("source"))
    return tuple(source.get(k) for k in ("cite", "locator", "therein", "primary")) if source \
        else ()


def _identical(first: Any, second: Any) -> bool:
    return bool(first == second)


def _same_source(first: Any, second: Any) -> bool:
    return bool(_source_key(first)) and _source_key(first) == _source_key(second)


def _same_model(first: Any, second: Any) -> bool:
    model = as_dict(first).get("model")
    return model is not None and model == as_dict(second).get("model")


def pair_evidence(old: list[Any], new: list[Any]) -> list[tuple[int | None, int | None]]:
    """Pairs of positions (old, new): identical items first, then by source, then by model."""
    pairs: list[tuple[int | None, int | None]] = []
    left, right = list(range(len(old))), list(range(len(new)))
    for same in (_identical, _same_source, _same_model):
        for i in list(left):
            match = next((j for j in right if same(old[i], new[j])), None)
            if match is not None:
                pairs.append((i, match))
                left.remove(i)
                right.remove(match)
    pairs += [(i, None) for i in left] + [(None, j) for j in right]
    return sorted(pairs, key=lambda p: (p[1] if p[1] is not None else p[0] or 0, p[1] is None))


def compare_evidence(old: list[Any], new: list[Any]) -> Iterator[Change]:
    for i, j in pair_evidence(old, new):
        if j is None and i is not None:
            yield Change(f"evidence {i + 1} ({evidence_source(as_dict(old[i]))})", old[i], None)
        elif i is None and j is not None:
            yield Change(f"evidence {j + 1} ({evidence_source(as_dict(new[j]))})", None, new[j])
        elif i is not None and j is not None and old[i] != new[j]:
            label = f"evidence {j + 1} ({evidence_source(as_dict(new[j]))})"
            if isinstance(old[i], dict) and isinstance(new[j], dict):
                yield from _compare_mapping(label, old[i], new[j])
            else:
                yield Change(label, old[i], new[j])


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a mapping, else empty: entries of a broken revision may be odd."""
    return value if isinstance(value, dict) else {}


def has_page(key: EntryKey) -> bool:
    return key.kind in KINDS and KINDS[key.kind].has_page
