"""content → load → validate → model: one call that either yields an atlas or problems.

Every stage runs on everything it can, so a contributor sees all problems at
once; the model is built only from input without errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mechatlas.diagnostics import Diagnostic, has_errors
from mechatlas.load.bibtex import load_bibliography
from mechatlas.load.content import Entry, Unreadable, read_entries
from mechatlas.load.files import regular_files, symlink_error
from mechatlas.model.atlas import Atlas
from mechatlas.model.entities import claim_from, entity_from, fact_from, source_from
from mechatlas.model.kinds import ENTITY_KINDS
from mechatlas.model.reference import Reference
from mechatlas.validate.evidence import check_evidence_rules, pathway_nodes
from mechatlas.validate.links import check_links, index_ids
from mechatlas.validate.schema import check_schema
from mechatlas.validate.text import check_text
from mechatlas.validate.typography import check_typography
from mechatlas.validate.vocabulary import check_vocabularies
from mechatlas.validate.wording import check_wording, entry_link_names

BIB_FILE = "references.bib"


@dataclass
class Project:
    """Everything read from a repository, valid or not."""

    root: Path
    entries: list[Entry] = field(default_factory=list)
    references: dict[str, Reference] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    atlas: Atlas | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def schema_dir(root: Path) -> Path:
    return root / "schemas"


def load_project(root: Path, *, build_model: bool = True) -> Project:
    """Load, validate and, when there are no errors (and it is wanted), build the model."""
    root = root.resolve()
    project = Project(root)
    entries, unreadable, problems = read_entries(root)
    problems += regular_files(root / "docs", root)[1]
    bib_path = root / BIB_FILE
    references: dict[str, Reference] = {}
    bib_problems: list[Diagnostic] = []
    if bib_path.is_symlink():
        bib_problems = [symlink_error(bib_path, root)]
    elif bib_path.exists():
        references, bib_problems = load_bibliography(bib_path, BIB_FILE)
    problems += bib_problems
    problems += check_vocabularies(root)
    project.entries, project.references = entries, references
    problems += validate_entries(entries, set(references), schema_dir(root), unreadable)
    project.diagnostics = sorted(set(problems))
    if project.ok and build_model:
        project.atlas = build_atlas(entries)
    return project


def validate_entries(entries: list[Entry], citekeys: set[str], schemas: Path,
                     unreadable: list[Unreadable] | None = None) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    ids, found = index_ids(entries, unreadable or ())
    problems += found
    nodes = pathway_nodes(entries)
    names = entry_link_names(entries)
    for entry in entries:
        schema_problems = check_schema(entry, schemas)
        problems += schema_problems
        if not isinstance(entry.data, dict):
            continue
        problems += check_links(entry, ids, citekeys)
        problems += check_text(entry)
        problems += check_typography(entry)
        problems += check_wording(entry, names)
        problems += check_evidence_rules(entry, ids, nodes)
    return problems


def build_atlas(entries: list[Entry]) -> Atlas:
    entities, claims, facts = {}, {}, {}
    for entry in entries:
        if entry.kind in ENTITY_KINDS:
            entities[entry.data["id"]] = entity_from(entry.kind, entry.path, entry.data)
        elif entry.kind == "source":
            entities[entry.data["id"]] = source_from(entry.path, entry.data)
        elif entry.kind == "claim":
            claims[entry.data["id"]] = claim_from(entry.path, entry.data)
        elif entry.kind == "fact":
            facts[entry.data["id"]] = fact_from(entry.path, entry.data)
    return Atlas(entities, claims, facts)
