"""A persistent cache of ``mechatlas check``'s results, so a second check reads, but does not
parse or check again, the entry files whose bytes it has already seen.

Like ruff's and mypy's caches it lives in the work folder (``.mechatlas-build/check.json``)
and never changes what is reported (docs/decisions/0020-check-cache.md):

* an entry's own results (parse, schema, text and typography problems) are kept under the
  digest of its bytes; a file whose size, times and inode are the ones stored is not even read
  (as git and mypy do), unless it changed less than ``SETTLED_NS`` before the check began;
  the whole store is dropped when the checker changes (the package's source, the versions of
  the libraries that produce messages) or the schemas' bytes do;
* its cross-entry results (links, wording, evidence rules) are kept with a digest of
  everything they read from other entries: ids and kinds, citation keys, pathway nodes, the
  fields link names are made of and the entities nothing refers to. When that digest moves,
  every entry is checked again, parsed from its file;
* ``references.bib`` is kept as a file is, with the citation keys and problems found in it;
* the file is plain JSON, read with ``json`` only: a line holding the checker's key and the
  digest of the rest, then the records as lists. A damaged or hand-edited store (its digest
  no longer matches) is ignored and replaced, never trusted to run anything.

An entry taken from the store is a ``StoredEntry``: an ``Entry`` whose data holds only the
fields the cross-entry indexes read (id, names, therapy, pathway, nodes).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from mechatlas.diagnostics import Diagnostic, Severity
from mechatlas.load.content import Entry, read_entry
from mechatlas.load.yaml_source import MAX_FILE_BYTES, YamlDocument
from mechatlas.validate.links import IdIndex, referenced_ids

STORE_FILE = "check.json"
FORMAT = 3
SETTLED_NS = 2_000_000_000
"""A file changed this shortly before a check began may change again within the resolution of
its timestamps, unseen ("racy git"): its stat is not stored, and its bytes are read next time."""
_LIBRARIES = ("autocorrect-py", "jsonschema-rs", "PyYAML", "mkdocs-bibtex")
_INDEXED = ("id", "name", "short_name", "proper_name", "therapy", "pathway")
"""The fields of an entry that other entries' checks read (with ``nodes``)."""


@dataclass
class StoredEntry(Entry):
    """An unchanged entry, as the store remembers it: enough for the cross-entry indexes."""

    file: str = ""
    local: list[Diagnostic] = field(default_factory=list)
    """Its schema, text and typography problems."""
    references: frozenset[str] = frozenset()
    cross_key: str = ""
    cross: list[Diagnostic] = field(default_factory=list)

    def parsed(self) -> Entry | None:
        """The entry read from its file again, for checks the store cannot answer."""
        entry, _ = read_entry(self.file, self.path, self.kind)
        return entry


@dataclass
class Record:
    """What the store keeps of one entry file."""

    digest: str
    problems: list[Diagnostic]
    """Reading and parsing problems (duplicate keys, private-use characters…)."""
    unreadable: bool = False
    index: dict[str, Any] | None = None
    """The indexed fields, None when they are not plain JSON (then the file is parsed)."""
    id_position: tuple[int, int] = (1, 1)
    local: list[Diagnostic] = field(default_factory=list)
    references: frozenset[str] = frozenset()
    cross_key: str = ""
    cross: list[Diagnostic] = field(default_factory=list)
    stat: tuple[int, ...] | None = None
    """Size, modification and change times (ns) and inode when the digest was taken."""
    row: list[Any] | None = None
    """The record as the store holds it, while it is unchanged: written back as it was read."""


@dataclass
class BibliographyRecord:
    """What the store keeps of ``references.bib``: what the entries' checks read of it."""

    digest: str
    keys: frozenset[str]
    problems: list[Diagnostic]
    stat: tuple[int, ...] | None = None


def file_stat(stat: os.stat_result) -> tuple[int, ...]:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


class CheckStore:
    """The store of one check: read at the start, written at the end."""

    def __init__(self, work_dir: Path, schema_dir: Path) -> None:
        self.path = work_dir / STORE_FILE
        self.key = checker_key(schema_dir)
        self.records: dict[str, Record] = {}
        self.fresh: dict[str, Record] = {}
        self.bibliographies: dict[str, BibliographyRecord] = {}
        self.fresh_bibliographies: dict[str, BibliographyRecord] = {}
        self.reused = 0
        self.unread = 0
        """Files answered from their stat alone, their bytes not read."""
        self._settled_before = time.time_ns() - SETTLED_NS
        self.changed = False
        """Whether a result differs from the stored ones: only then is the store written."""
        try:
            header_line, _, body = self.path.read_text("utf-8").partition("\n")
            header = json.loads(header_line)
            if header.get("key") == self.key and header.get("digest") == _digest(body.encode()):
                stored = json.loads(body)
                self.records = {path: _record(row) for path, row in stored["files"].items()}
                self.bibliographies = {path: _bibliography_record(row)
                                       for path, row in stored["bibliographies"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError):
            # missing, damaged or from another checker: start afresh
            self.records, self.bibliographies = {}, {}

    def _kept_stat(self, stat: os.stat_result) -> tuple[int, ...] | None:
        """The stat to store beside a digest: none for a file that may still be changing."""
        settled = max(stat.st_mtime_ns, stat.st_ctime_ns) < self._settled_before
        return file_stat(stat) if settled else None

    def bibliography(self, path: Path, display: str,
                     ) -> tuple[frozenset[str], list[Diagnostic]]:
        """The citation keys and problems of a bibliography, parsed only when its bytes are not
        the ones stored."""
        from mechatlas.load.bibtex import load_bibliography  # its parser's imports cost 0.1 s

        try:
            stat = path.stat()
            kept = self._kept_stat(stat)
            record = self.bibliographies.get(display)
            if record is None or kept is None or record.stat != kept:
                digest = _digest(path.read_bytes())
                if record is None or record.digest != digest:
                    references, problems = load_bibliography(path, display)
                    record = BibliographyRecord(digest, frozenset(references), problems)
                    self.changed = True
                if record.stat != kept:
                    record.stat = kept
                    self.changed = True
        except OSError:
            references, problems = load_bibliography(path, display)  # which says what failed
            return frozenset(references), problems
        self.fresh_bibliographies[display] = record
        return record.keys, record.problems

    def read(self, path: str, display: str, kind: str) -> tuple[Entry | None, list[Diagnostic]]:
        """The entry of one file, from the store when its bytes are the ones it has seen."""
        try:
            stat = os.stat(path)
        except OSError:
            return read_entry(path, display, kind)
        record = self.records.get(display)
        kept = self._kept_stat(stat)
        known = record is not None and (record.unreadable or record.index is not None)
        if record is not None and known and kept is not None and record.stat == kept:
            self.unread += 1
        else:
            try:
                raw = _read_bytes(path) if stat.st_size <= MAX_FILE_BYTES else None
            except OSError:
                raw = None
            if raw is None:
                return read_entry(path, display, kind)
            digest = _digest(raw)
            if record is None or record.digest != digest or not known:
                entry, problems = read_entry(path, display, kind)
                self.fresh[display] = Record(digest, problems, unreadable=entry is None,
                                             stat=kept)
                self.changed = True
                return entry, problems
            if record.stat != kept:
                record.stat, record.row = kept, None
                self.changed = True
        self.fresh[display] = record
        self.reused += 1
        if record.unreadable:
            return None, record.problems
        assert record.index is not None
        document = YamlDocument(display, _stub_data(record.index),
                                {("id",): record.id_position})
        stem = os.path.splitext(os.path.basename(path))[0]
        return StoredEntry(kind, stem, document, stat.st_mtime_ns, file=path,
                           local=record.local, references=record.references,
                           cross_key=record.cross_key, cross=record.cross), record.problems

    def remember(self, entry: Entry, local: list[Diagnostic], cross_key: str,
                 cross: list[Diagnostic]) -> None:
        """Keep what was found for an entry, for the next check."""
        record = self.fresh.get(entry.path)
        if record is None:
            return
        if isinstance(entry, StoredEntry) and record.cross_key == cross_key:
            return  # as stored
        self.changed = True
        if not isinstance(entry, StoredEntry):
            record.index = _index_of(entry.data)
            record.id_position = entry.document.position(("id",))
            record.references = frozenset(referenced_ids(entry))
        record.local, record.cross_key, record.cross = local, cross_key, cross
        record.row = None

    def save(self) -> None:
        """Write the store (atomically) when it changed; a store that cannot be written is no
        error."""
        if not self.changed and self.fresh.keys() == self.records.keys() \
                and self.fresh_bibliographies.keys() == self.bibliographies.keys():
            return
        files = {path: _raw(record) for path, record in sorted(self.fresh.items())}
        bibliographies = {path: _raw_bibliography(record)
                          for path, record in sorted(self.fresh_bibliographies.items())}
        body = json.dumps({"files": files, "bibliographies": bibliographies},
                          ensure_ascii=False, separators=(",", ":"))
        header = json.dumps({"key": self.key, "digest": _digest(body.encode())})
        text = f"{header}\n{body}"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(".tmp")
            partial.write_text(text, "utf-8")
            os.replace(partial, self.path)
        except OSError:
            pass


_NAMED_BY = ("name", "short_name", "proper_name", "therapy", "pathway")
"""The fields the words of a link are made of (``link_text.LinkName.of``, a claim's therapy
and pathway)."""


def cross_key(ids: IdIndex, citekeys: set[str], nodes: dict[str, list[str]],
              entries: list[Entry]) -> str:
    """A digest of everything one entry's cross-entry checks read of the others.

    Of the link names it holds what they are made of, not the names themselves: a superset,
    so it moves whenever they do, and it costs a tenth of working out 17,000 names."""
    named = sorted((e.path, [e.data.get(k) for k in _NAMED_BY]) for e in entries
                   if isinstance(e.data, dict))
    parts = [sorted(ids.kinds.items()), sorted(ids.duplicated), sorted(citekeys),
             sorted(ids.unreferenced), sorted(nodes.items()), named]
    return hashlib.blake2b(json.dumps(parts, ensure_ascii=False, default=repr).encode(),
                           digest_size=16).hexdigest()


def checker_key(schema_dir: Path) -> str:
    """What every stored result depends on besides its file: the checker and the schemas."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"format {FORMAT}".encode())
    for library in _LIBRARIES:
        try:
            digest.update(f"{library} {metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} -".encode())
    package = Path(__file__).resolve().parent.parent
    for folder in (package, schema_dir):
        for source in sorted([*folder.rglob("*.py"), *folder.glob("*.json")]):
            digest.update(source.relative_to(folder).as_posix().encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def _digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _index_of(data: Any) -> dict[str, Any] | None:
    """The indexed fields of an entry's data, or None when JSON cannot keep them exactly."""
    if not isinstance(data, dict):
        return None
    index = {key: data[key] for key in _INDEXED if key in data}
    nodes = data.get("nodes")
    if isinstance(nodes, list):
        index["nodes"] = [n["id"] for n in nodes
                          if isinstance(n, dict) and isinstance(n.get("id"), str)]
    try:
        same = json.loads(json.dumps(index, ensure_ascii=False)) == index
    except (TypeError, ValueError):
        return None
    if not same or not all(type(v) in (str, bool, dict, list) for v in index.values()):
        return None
    return index


def _stub_data(index: dict[str, Any]) -> dict[str, Any]:
    data = dict(index)
    if "nodes" in data:
        data["nodes"] = [{"id": node} for node in data["nodes"]]
    return data


def _diagnostics(raw: list[list[Any]]) -> list[Diagnostic]:
    if not raw:  # nearly every record
        return []
    return [Diagnostic(p, line, col, code, message, Severity(severity))
            for p, line, col, code, message, severity in raw]


def _raw_diagnostics(found: list[Diagnostic]) -> list[list[Any]]:
    if not found:
        return []
    return [[d.path, d.line, d.col, d.code, d.message, d.severity.value] for d in found]


def _record(row: list[Any]) -> Record:
    """A record as ``_raw`` wrote it: the store's digest vouches for the types."""
    digest, problems, unreadable, index, position, local, references, cross_key, cross, \
        stat = row
    return Record(digest, _diagnostics(problems), unreadable, index, tuple(position),
                  _diagnostics(local), frozenset(references), cross_key, _diagnostics(cross),
                  None if stat is None else tuple(stat), row)


def _raw(record: Record) -> list[Any]:
    if record.row is not None:
        return record.row
    return [record.digest, _raw_diagnostics(record.problems), record.unreadable, record.index,
            list(record.id_position), _raw_diagnostics(record.local), sorted(record.references),
            record.cross_key, _raw_diagnostics(record.cross),
            None if record.stat is None else list(record.stat)]


def _bibliography_record(row: list[Any]) -> BibliographyRecord:
    digest, keys, problems, stat = row
    return BibliographyRecord(digest, frozenset(keys), _diagnostics(problems),
                              None if stat is None else tuple(stat))


def _raw_bibliography(record: BibliographyRecord) -> list[Any]:
    return [record.digest, sorted(record.keys), _raw_diagnostics(record.problems),
            None if record.stat is None else list(record.stat)]
