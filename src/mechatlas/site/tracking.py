"""Record what each page reads, and say which recorded answers an edit changed.

The renderer is handed a ``RecordingAtlas`` and recording mappings instead of the plain
ones; every look-up adds a token to the page's ``ReadLog`` scope. A query answered from a
precomputed index (``claims_of``, ``backlinks``…) is one token, and its own inner look-ups
are not recorded. After an edit, ``Answers`` asks every recorded question again of the new
input and compares digests: a page whose every answer is unchanged would render the same
bytes, because rendering is a deterministic function of what it read (the verifying-trace
rule of build systems). That is what makes the incremental build equal a clean one.

A model method added to ``Atlas`` that reads a private index must be recorded here too;
methods that read ``entities``, ``claims`` or ``facts`` are recorded through those mappings.
Entities are handed out as ``RecordedEntity`` objects, which record any read beyond their id
and kind; so a query that answers with entities (``of_kind``, ``backlinks``, ``parts_of``,
``home_of``, ``sources_by_cite``) is digested by those entities' identities only, and a page
that goes on to read an entity's summary has recorded that read too.
``tests/test_incremental.py`` checks edits of every kind against a
clean build, so a read that escapes the log shows up there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from mechatlas.model.atlas import Atlas
from mechatlas.model.entities import Claim, Entity, Fact
from mechatlas.model.evidence import Conflict, Headline
from mechatlas.model.link_text import LinkName
from mechatlas.model.reads import ReadLog, RecordingDict, Token
from mechatlas.model.reference import Reference

MISSING = "-"


def _recorded(name: str) -> Callable[..., Any]:
    """An ``Atlas`` query recorded as one token ``("call", name, *ids)``."""
    method = getattr(Atlas, name)

    def query(self: RecordingAtlas, *args: Any) -> Any:
        log = self.log
        log.read(("call", name, *(a.id if isinstance(a, Claim) else str(a) for a in args)))
        with log.paused():
            return method(self, *args)

    query.__name__ = name
    query.__doc__ = method.__doc__
    return query


RECORDED_QUERIES = ("of_kind", "claims_of", "facts_of", "lineage", "headline", "conflicts_of",
                    "rivals_of", "backlinks", "cited_by", "name", "home_of", "sources_by_cite",
                    "parts_of", "proper_name", "link_name", "pages_citing")


_IDENTITY = frozenset({"id", "kind", "__class__", "__dict__"})


class RecordedEntity(Entity):
    """An entity whose every read beyond its identity is recorded: ``name`` as the entity's
    name, anything else as the whole entry. Queries may then answer with entities and be
    digested by identity (``of_kind``, ``backlinks``, ``home_of``) without losing a read."""

    _log: ReadLog

    @classmethod
    def of(cls, entity: Entity, log: ReadLog) -> RecordedEntity:
        recorded = cls.__new__(cls)
        recorded.__dict__.update(entity.__dict__)
        object.__setattr__(recorded, "_log", log)
        return recorded

    def __getattribute__(self, attribute: str) -> Any:
        if attribute not in _IDENTITY and not attribute.startswith("_"):
            get = object.__getattribute__
            log: ReadLog = get(self, "_log")
            if log.active:
                ident = get(self, "id")
                log.read(("call", "name", ident) if attribute == "name" else ("entity", ident))
        return object.__getattribute__(self, attribute)


class RecordingAtlas(Atlas):
    """The same atlas (its indexes are shared, not recomputed), with its reads recorded."""

    log: ReadLog

    @classmethod
    def wrap(cls, atlas: Atlas, log: ReadLog) -> RecordingAtlas:
        recording = cls.__new__(cls)
        recording.__dict__.update(atlas.__dict__)
        for index in Atlas.ENTITY_INDEXES:  # they would hand out unrecorded entities
            setattr(recording, index, None)
        recording.log = log
        recording.entities = RecordingDict(
            {k: RecordedEntity.of(e, log) for k, e in atlas.entities.items()}, ("entity",),
            ("entities",), log)
        recording.claims = RecordingDict(atlas.claims, ("claim",), ("claims",), log)
        recording.facts = RecordingDict(atlas.facts, ("fact",), ("facts",), log)
        return recording

    of_kind = _recorded("of_kind")
    claims_of = _recorded("claims_of")
    facts_of = _recorded("facts_of")
    lineage = _recorded("lineage")
    headline = _recorded("headline")
    conflicts_of = _recorded("conflicts_of")
    rivals_of = _recorded("rivals_of")
    backlinks = _recorded("backlinks")
    cited_by = _recorded("cited_by")
    name = _recorded("name")
    home_of = _recorded("home_of")
    sources_by_cite = _recorded("sources_by_cite")
    parts_of = _recorded("parts_of")
    proper_name = _recorded("proper_name")
    link_name = _recorded("link_name")
    pages_citing = _recorded("pages_citing")

    @property
    def link_names(self) -> dict[str, LinkName]:
        """Every entity's link text: depends on every name, so recorded as one question."""
        self.log.read(("call", "link_names"))
        with self.log.paused():
            return Atlas.link_names.fget(self)  # type: ignore[attr-defined,no-any-return]


class Answers:
    """The answer digest of every token, for one state of the input."""

    def __init__(self, atlas: Atlas, references: Mapping[str, Reference],
                 formatted: Mapping[str, Mapping[str, str]], templates: Path,
                 root: Path, objects: dict[int, tuple[object, str]] | None = None) -> None:
        self.atlas, self.references, self.formatted = atlas, references, formatted
        self.templates, self.root = templates, root
        self._objects: dict[int, tuple[object, str]] = {} if objects is None else objects
        """id -> (object, digest): the object is kept so that its id is never reused."""
        self._files: dict[Path, str] = {}
        self._known: dict[Token, str] = {}

    def digest(self, token: Token) -> str:
        found = self._known.get(token)
        if found is None:
            found = self._known[token] = self._digest(token)
        return found

    def _digest(self, token: Token) -> str:
        kind = token[0]
        atlas = self.atlas
        if kind == "nonempty":
            whole = {"entities": self.atlas.entities, "claims": self.atlas.claims,
                     "facts": self.atlas.facts, "refs": self.references}.get(token[1])
            found = whole if whole is not None else self.formatted.get(token[2], {})
            return "1" if found else "0"
        if kind == "has":
            return "1" if self._present(token[1:]) else "0"
        if kind == "entity":
            return self._of(atlas.entities.get(token[1]))
        if kind == "claim":
            return self._of(atlas.claims.get(token[1]))
        if kind == "fact":
            return self._of(atlas.facts.get(token[1]))
        if kind == "entities":
            return self._of(list(atlas.entities.items()))
        if kind == "claims":
            return self._of(list(atlas.claims.items()))
        if kind == "facts":
            return self._of(list(atlas.facts.items()))
        if kind == "ref":
            return self._of(self.references.get(token[1]))
        if kind == "refs":
            return self._of(sorted(self.references.items()))
        if kind == "formatted":
            return _hash(repr(self.formatted.get(token[1], {}).get(token[2])))
        if kind == "formatted-all":
            return _hash(repr(sorted(self.formatted.get(token[1], {}).items())))
        if kind == "file":
            return self._file(self.root / token[1])
        if kind == "template":
            return self._file(self.templates / token[1])
        if kind == "call":
            return self._call(token[1], token[2:])
        raise ValueError(f"unknown read token {token!r}")

    def _present(self, token: Token) -> bool:
        kind, key = token[0], token[-1]
        if kind == "formatted":
            return key in self.formatted.get(token[1], {})
        stores: dict[str, Mapping[str, object]] = {
            "entity": self.atlas.entities, "claim": self.atlas.claims, "fact": self.atlas.facts,
            "ref": self.references}
        return key in stores[kind]

    def _call(self, name: str, args: tuple[str, ...]) -> str:
        atlas = self.atlas
        if name == "headline":
            claim = atlas.claims.get(args[0])
            return self._of(atlas.headline(claim) if claim is not None else None)
        if name == "home_of":
            home = atlas.home_of(args[0])
            # Callers read only where an item lives (kind, id, anchor), never its entity's text.
            return _hash(repr(None if home is None else (home[0].kind, home[0].id, home[1])))
        if name == "link_names":
            return _hash(repr(sorted(atlas.link_names.items())))
        if name in ("backlinks", "of_kind", "parts_of", "pages_citing"):
            found: list[Entity] = getattr(atlas, name)(*args)
            return _hash(repr([(e.kind, e.id) for e in found]))
        if name == "sources_by_cite":
            return _hash(repr(sorted((cite, e.id) for cite, e in atlas.sources_by_cite().items())))
        if name not in RECORDED_QUERIES:
            raise ValueError(f"unknown recorded query {name!r}")
        return self._of(getattr(atlas, name)(*args))

    def _file(self, path: Path) -> str:
        if path not in self._files:
            self._files[path] = (hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
                                 if path.is_file() else MISSING)
        return self._files[path]

    def _of(self, value: Any) -> str:
        """A digest of a query's answer; model objects are hashed once each."""
        if value is None:
            return MISSING
        if isinstance(value, Entity | Claim | Fact | Reference):
            hit = self._objects.get(id(value))
            if hit is None or hit[0] is not value:
                hit = self._objects[id(value)] = (value, _hash(repr(value)))
            return hit[1]
        if isinstance(value, list | tuple):
            return _hash("\0".join(self._of(item) if item is not None else MISSING
                                   for item in value))
        if isinstance(value, dict):
            return self._of(sorted(value.items()))
        if isinstance(value, Headline | Conflict | str | int):
            return _hash(repr(value))
        return _hash(repr(value))


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
