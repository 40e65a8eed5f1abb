"""Open data: the whole atlas as JSON and CSV, and the references as BibTeX and CSL-JSON.

Files are placed at the staging root, outside the language folders, so each
is published once at a language-neutral URL (``/data/atlas.json``).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import fields
from pathlib import Path
from typing import Any

from mechatlas import __version__
from mechatlas.model.atlas import Atlas
from mechatlas.model.entities import Claim, Entity, Fact, SourceRef, Text
from mechatlas.model.evidence import directness
from mechatlas.pipeline import Project
from mechatlas.render.citestyle import to_clean_bibtex, to_csl_json

SCHEMA_VERSION = __version__


def export_files(project: Project, schemas: Path | None = None,
                 pretty: dict[str, str] | None = None) -> dict[str, str]:
    """The open-data files; ``pretty`` (a long-running build's) keeps each record's indented
    JSON between builds, keyed by its compact JSON, so an edit re-indents only what changed."""
    atlas = project.atlas
    assert atlas is not None
    refs = [project.references[k] for k in sorted(project.references)]
    return {
        "data/atlas.json": document_json(atlas_document(atlas, project), pretty),
        "data/claims.csv": claims_csv(atlas),
        "data/references.json": _json(to_csl_json(refs)),
        "references.bib": to_clean_bibtex(refs),
        "data/atlas.schema.json": ((schemas or project.root / "schemas") / "atlas.schema.json"
                                   ).read_text("utf-8"),
    }


def atlas_document(atlas: Atlas, project: Project) -> dict[str, Any]:
    entities = [_entity(e) for e in sorted(atlas.entities.values(), key=lambda e: e.id)]
    return {
        "version": SCHEMA_VERSION,
        "entities": entities,
        "claims": [_claim(c, atlas) for c in sorted(atlas.claims.values(), key=lambda c: c.id)],
        "facts": [_fact(f) for f in sorted(atlas.facts.values(), key=lambda f: f.id)],
        "references": to_csl_json([project.references[k] for k in sorted(project.references)]),
    }


def claims_csv(atlas: Atlas) -> str:
    """One row per evidence item, for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["claim_id", "therapy", "effect", "pathway", "targets", "condition",
                     "best_direct_design", "statement_en", "statement_zh", "design",
                     "organism", "studied_condition", "directness", "direction", "model_en",
                     "model_zh", "finding_en", "finding_zh", "cite", "locator_en", "locator_zh",
                     "therein", "primary", "uncited"])
    for claim in sorted(atlas.claims.values(), key=lambda c: c.id):
        targets = " ".join(f"{t.node}:{t.effect}" for t in claim.targets)
        best = atlas.headline(claim).direct or ""
        for item in claim.evidence:
            writer.writerow([_csv_safe(str(cell)) for cell in (
                claim.id, claim.therapy, claim.effect, claim.pathway, targets, claim.condition,
                best, claim.statement.en or "", claim.statement.zh or "", item.design,
                item.studied_in.organism, item.studied_in.condition,
                directness(item, claim.condition, atlas.lineage),
                item.direction, item.model.en or "", item.model.zh or "",
                item.finding.en or "", item.finding.zh or "", item.source.cite,
                item.source.locator.en or "", item.source.locator.zh or "",
                item.source.therein or "", item.source.primary or "",
                "yes" if item.source.uncited else "",
            )])
    return buffer.getvalue()


def _csv_safe(value: str | None) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a leading = + - @ becomes text."""
    text = value or ""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _text(value: Text | None) -> dict[str, str] | None:
    if value is None:
        return None
    return {k: v for k, v in (("en", value.en), ("zh", value.zh)) if v}


def _entity(entity: Entity) -> dict[str, Any]:
    # A source entry's own "kind" (narrative-review…) must not overwrite the entity kind.
    fields = {("document_type" if k == "kind" else k): v for k, v in entity.fields.items()}
    return {"kind": entity.kind, "id": entity.id, "name": _text(entity.name),
            "summary": _text(entity.summary), "aliases": list(entity.aliases),
            "related": list(entity.related), "sources": list(entity.sources), **fields}


def _claim(claim: Claim, atlas: Atlas) -> dict[str, Any]:
    head = atlas.headline(claim)
    return {
        "id": claim.id, "therapy": claim.therapy, "effect": claim.effect,
        "pathway": claim.pathway, "condition": claim.condition,
        "targets": [{"node": t.node, "effect": t.effect} for t in claim.targets],
        "statement": _text(claim.statement), "outcome": _text(claim.outcome),
        "note": _text(claim.note), "genes": list(claim.genes), "methods": list(claim.methods),
        "competes_with": list(claim.competes_with),
        "best_direct_design": head.direct,
        "best_indirect_design": head.indirect.design if head.indirect else None,
        "conflicts_with": sorted({other.id for conflict in atlas.conflicts_of(claim.therapy)
                                  if claim in conflict.claims
                                  for other in conflict.claims if other.id != claim.id}),
        "evidence": [
            {"design": e.design, "model": _text(e.model), "finding": _text(e.finding),
             "studied_in": {"organism": e.studied_in.organism,
                            "condition": e.studied_in.condition},
             "directness": directness(e, claim.condition, atlas.lineage),
             "direction": e.direction, "certainty": e.certainty,
             "source": _source(e.source)}
            for e in claim.evidence
        ],
    }


def _source(source: SourceRef) -> dict[str, Any]:
    """A source reference without empty fields (``uncited`` only when true): what
    ``dataclasses.asdict`` gives, without its deep copy (a tenth of the open-data export)."""
    record: dict[str, Any] = {}
    for name in _SOURCE_FIELDS:
        value = getattr(source, name)
        if isinstance(value, Text):
            value = {"en": value.en, "zh": value.zh}
        if value is not None and value is not False:
            record[name] = value
    return record


_SOURCE_FIELDS = tuple(f.name for f in fields(SourceRef))


def _fact(fact: Fact) -> dict[str, Any]:
    return {
        "id": fact.id, "category": fact.category, "subjects": list(fact.subjects),
        "text": _text(fact.text), "design": fact.design, "population": _text(fact.population),
        "dose_basis": fact.dose_basis, "note": _text(fact.note),
        "source": _source(fact.source),
    }


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def document_json(document: dict[str, Any], pretty: dict[str, str] | None = None) -> str:
    """Exactly ``_json(document)``, for a mapping of lists of records: each record is indented
    by the pure-Python encoder once, then reused while its compact (C-encoded) form is equal."""
    if pretty is None:
        return _json(document)
    kept: dict[str, str] = {}
    parts = []
    for key in sorted(document):
        value = document[key]
        head = f" {json.dumps(key, ensure_ascii=False)}: "
        if not isinstance(value, list) or not value:
            parts.append(head + json.dumps(value, ensure_ascii=False, indent=1,
                                           sort_keys=True).replace("\n", "\n "))
            continue
        items = []
        for item in value:
            compact = json.dumps(item, ensure_ascii=False, sort_keys=True)
            text = pretty.get(compact)
            if text is None:
                text = "  " + json.dumps(item, ensure_ascii=False, indent=1,
                                         sort_keys=True).replace("\n", "\n  ")
            kept[compact] = text
            items.append(text)
        parts.append(head + "[\n" + ",\n".join(items) + "\n ]")
    pretty.clear()
    pretty.update(kept)
    return "{\n" + ",\n".join(parts) + "\n}\n"
