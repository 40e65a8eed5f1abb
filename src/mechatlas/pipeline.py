"""content → load → validate → model: one call that either yields an atlas or problems.

Every stage runs on everything it can, so a contributor sees all problems at
once; the model is built only from input without errors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mechatlas.diagnostics import Diagnostic, has_errors
from mechatlas.load.content import Entry, EntryCache, Unreadable, read_entries
from mechatlas.load.files import regular_files, symlink_error
from mechatlas.model.atlas import Atlas
from mechatlas.model.bilingual import Texts, bilingual_texts
from mechatlas.model.entities import (
    Claim,
    Entity,
    Fact,
    claim_from,
    entity_from,
    fact_from,
    source_from,
)
from mechatlas.model.kinds import ENTITY_KINDS
from mechatlas.model.link_text import LinkName
from mechatlas.model.reference import Reference
from mechatlas.settings import DEFAULT_BIBLIOGRAPHY, BuildSettings
from mechatlas.validate.evidence import check_evidence_rules, pathway_nodes
from mechatlas.validate.links import IdIndex, check_links, index_ids
from mechatlas.validate.schema import CompiledSchemas, check_schema
from mechatlas.validate.schema import fingerprint as schema_fingerprint
from mechatlas.validate.stored import CheckStore, StoredEntry, cross_key
from mechatlas.validate.text import check_text
from mechatlas.validate.typography import check_typography
from mechatlas.validate.vocabulary import check_vocabularies
from mechatlas.validate.wording import check_wording, entry_link_names

BIB_FILE = DEFAULT_BIBLIOGRAPHY
LocalChecks = Callable[[Entry, Texts], list[Diagnostic]]
"""The checks of one entry that read nothing but the entry (schema, text), given its texts."""


@dataclass
class Project:
    """Everything read from a repository, valid or not."""

    root: Path
    entries: list[Entry] = field(default_factory=list)
    references: dict[str, Reference] = field(default_factory=dict)
    """The bibliography's records; empty when a check store answered for its file."""
    citation_keys: frozenset[str] = frozenset()
    """The keys entries may cite: the records' keys, also when a check store gave them."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    atlas: Atlas | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def schema_dir(root: Path) -> Path:
    return root / "schemas"


@dataclass
class LoadCache:
    """What a long-running build keeps between loads: an unchanged file is not parsed or
    schema-checked again. Keyed by each file's size and mtime, and by the schema files'."""

    entries: EntryCache = field(default_factory=dict)
    local: dict[int, tuple[Entry, tuple[object, ...], list[Diagnostic]]] = field(
        default_factory=dict)
    bibliography: tuple[tuple[int, int], dict[str, Reference], list[Diagnostic]] | None = None
    cross: dict[int, tuple[Entry, list[Diagnostic]]] = field(default_factory=dict)
    """Link, wording and evidence-rule problems per entry, valid while ids (with their kinds),
    keys, nodes and link names are equal. Only results without a problem are reused: a
    problem's suggestion also reads which entities nothing refers to, which any edit moves."""
    cross_key: object = None
    models: dict[int, tuple[Entry, object]] = field(default_factory=dict)
    """The model object made from each entry (entries are immutable once loaded)."""
    vocabularies: tuple[object, list[Diagnostic]] | None = None

    def cross_checks(self, ids: IdIndex, citekeys: set[str], nodes: dict[str, list[str]],
                     names: object = None) -> dict[int, tuple[Entry, list[Diagnostic]]]:
        """The cached cross-entry problems, or a fresh store when what they depend on moved.

        The key holds what a problem-free result reads of the other entries: not the entries
        themselves (``ids.entries``), which change with every edit."""
        key = (ids.kinds, ids.duplicated, frozenset(citekeys),
               {k: tuple(v) for k, v in nodes.items()}, names)
        if key != self.cross_key:
            self.cross, self.cross_key = {}, key
        return self.cross

    def check_vocabularies(self, root: Path, schemas: Path, templates: Path) -> list[Diagnostic]:
        files = sorted([*schemas.glob("*.json"), *(templates / "strings").glob("*.yaml")])
        stamp = tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files)
        if self.vocabularies is None or self.vocabularies[0] != stamp:
            self.vocabularies = (stamp, check_vocabularies(root))
        return self.vocabularies[1]

    def local_checks(self, schemas: Path) -> LocalChecks:
        key = tuple(schema_fingerprint(schemas)) if schemas.is_dir() else ()
        kept: dict[int, tuple[Entry, tuple[object, ...], list[Diagnostic]]] = {}
        previous = self.local
        compiled = CompiledSchemas(schemas)

        def checks(entry: Entry, texts: Texts) -> list[Diagnostic]:
            cached = previous.get(id(entry))
            if cached is not None and cached[0] is entry and cached[1] == key:
                kept[id(entry)] = cached
                return cached[2]
            found = local_checks(entry, compiled, texts)
            kept[id(entry)] = (entry, key, found)
            return found

        self.local = kept  # entries no longer loaded are forgotten at the next load
        return checks

    def load_bibliography(self, path: Path, display: str) -> tuple[dict[str, Reference],
                                                                    list[Diagnostic]]:
        stat = path.stat()
        stamp = (stat.st_size, stat.st_mtime_ns)
        if self.bibliography is None or self.bibliography[0] != stamp:
            self.bibliography = (stamp, *read_bibliography(path, display))
        return self.bibliography[1], self.bibliography[2]


def read_bibliography(path: Path, display: str) -> tuple[dict[str, Reference],
                                                         list[Diagnostic]]:
    """``bibtex.load_bibliography``, its module imported only when a file is parsed: its
    parser's imports (0.1 s) are not needed by a check that the store answers."""
    from mechatlas.load.bibtex import load_bibliography

    return load_bibliography(path, display)


def load_project(root: Path, *, build_model: bool = True, settings: BuildSettings | None = None,
                 cache: LoadCache | None = None, store: CheckStore | None = None) -> Project:
    """Load, validate and, when there are no errors (and it is wanted), build the model.

    A ``store`` (``mechatlas check``'s, never with a model) answers for unchanged files; the
    entries it gives hold only their indexed fields."""
    settings = settings or BuildSettings(root.resolve())
    root = settings.root.resolve()
    project = Project(root)
    entries, unreadable, problems = read_entries(
        root, settings.content, cache.entries if cache is not None else None,
        store.read if store is not None else None)
    problems += regular_files(root / settings.docs, root)[1]
    bib_path = root / settings.bibliography
    references: dict[str, Reference] = {}
    bib_problems: list[Diagnostic] = []
    citation_keys: frozenset[str] = frozenset()
    if bib_path.is_symlink():
        bib_problems = [symlink_error(bib_path, root)]
    elif not bib_path.exists():
        pass
    elif store is not None:
        citation_keys, bib_problems = store.bibliography(bib_path, settings.bibliography)
    elif cache is not None:
        references, bib_problems = cache.load_bibliography(bib_path, settings.bibliography)
    else:
        references, bib_problems = read_bibliography(bib_path, settings.bibliography)
    if store is None:
        citation_keys = frozenset(references)
    problems += bib_problems
    schemas = root / settings.schemas
    problems += (cache.check_vocabularies(root, schemas, root / settings.templates)
                 if cache is not None else check_vocabularies(root))
    project.entries, project.references = entries, references
    project.citation_keys = citation_keys
    problems += validate_entries(entries, set(citation_keys), schemas,
                                 cache.local_checks(schemas) if cache is not None else None,
                                 cache, unreadable, store)
    if store is not None:
        store.save()
    project.diagnostics = sorted(set(problems))
    if project.ok and build_model:
        project.atlas = build_atlas(entries, cache)
    return project


def local_checks(entry: Entry, schemas: Path | CompiledSchemas,
                 texts: Texts | None = None) -> list[Diagnostic]:
    """The checks that read nothing but the entry: schema, text, typography."""
    problems = check_schema(entry, schemas)
    if isinstance(entry.data, dict):
        texts = list(bilingual_texts(entry.data)) if texts is None else texts
        problems += check_text(entry, texts)
        problems += check_typography(entry, texts)
    return problems


def validate_entries(entries: list[Entry], citekeys: set[str], schemas: Path,
                     checks: LocalChecks | None = None,
                     cache: LoadCache | None = None,
                     unreadable: list[Unreadable] | None = None,
                     store: CheckStore | None = None) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    known = {e.path: e.references for e in entries if isinstance(e, StoredEntry)}
    ids, found = index_ids(entries, unreadable or (), known)
    problems += found
    nodes = pathway_nodes(entries)
    names: dict[str, LinkName] | None = None
    if cache is not None:
        names = entry_link_names(entries)
    cross = cache.cross_checks(ids, citekeys, nodes, names) if cache is not None else {}
    context = cross_key(ids, citekeys, nodes, entries) if store is not None else ""
    kept: dict[int, tuple[Entry, list[Diagnostic]]] = {}
    compiled = CompiledSchemas(schemas)
    for entry in entries:
        if isinstance(entry, StoredEntry):
            local = entry.local
            problems += local
            if entry.cross_key == context:  # nothing it reads of other entries moved
                problems += entry.cross
                assert store is not None
                store.remember(entry, local, context, entry.cross)
                continue
            entry = entry.parsed() or entry  # its own results stand; its links are rechecked
            texts = list(bilingual_texts(entry.data)) if isinstance(entry.data, dict) else []
        else:
            # Walked once, read by the text, typography and wording checks alike.
            texts = list(bilingual_texts(entry.data)) if isinstance(entry.data, dict) else []
            local = (checks(entry, texts) if checks is not None
                     else local_checks(entry, compiled, texts))
            problems += local
        if store is not None and not isinstance(entry.data, dict):
            store.remember(entry, local, context, [])
        if not isinstance(entry.data, dict):
            continue
        hit = cross.get(id(entry))
        if hit is None or hit[0] is not entry or hit[1]:
            if names is None:  # only when an entry is checked: not for a store's answers
                names = entry_link_names(entries)
            hit = (entry, check_links(entry, ids, citekeys) + check_wording(entry, names, texts)
                   + check_evidence_rules(entry, ids, nodes))
        kept[id(entry)] = hit
        problems += hit[1]
        if store is not None:
            store.remember(entry, local, context, hit[1])
    if cache is not None:
        cache.cross = kept
    return problems


def build_atlas(entries: list[Entry], cache: LoadCache | None = None) -> Atlas:
    """The model; with a cache, an unchanged entry keeps the very object made from it before,
    which is also what lets the build core recognise it as unchanged."""
    entities: dict[str, Entity] = {}
    claims: dict[str, Claim] = {}
    facts: dict[str, Fact] = {}
    previous = cache.models if cache is not None else {}
    made: dict[int, tuple[Entry, object]] = {}
    for entry in entries:
        hit = previous.get(id(entry))
        item = hit[1] if hit is not None and hit[0] is entry else model_of(entry)
        made[id(entry)] = (entry, item)
        if isinstance(item, Entity):
            entities[entry.data["id"]] = item
        elif isinstance(item, Claim):
            claims[entry.data["id"]] = item
        elif isinstance(item, Fact):
            facts[entry.data["id"]] = item
    if cache is not None:
        cache.models = made
    return Atlas(entities, claims, facts)


def model_of(entry: Entry) -> Entity | Claim | Fact | None:
    if entry.kind in ENTITY_KINDS:
        return entity_from(entry.kind, entry.path, entry.data)
    if entry.kind == "source":
        return source_from(entry.path, entry.data)
    if entry.kind == "claim":
        return claim_from(entry.path, entry.data)
    if entry.kind == "fact":
        return fact_from(entry.path, entry.data)
    return None
