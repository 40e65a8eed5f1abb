"""Open data: the whole atlas as JSON and CSV, and the references as BibTeX and CSL-JSON.

Files are placed at the staging root, outside the language folders, so each
is published once at a language-neutral URL (``/data/atlas.json``).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Any

from mechatlas import __version__
from mechatlas.model.atlas import Atlas
from mechatlas.model.entities import Claim, Entity, Fact, Text
from mechatlas.pipeline import Project
from mechatlas.render.citestyle import to_clean_bibtex, to_csl_json

SCHEMA_VERSION = __version__


def export_files(project: Project) -> dict[str, str]:
    atlas = project.atlas
    assert atlas is not None
    refs = [project.references[k] for k in sorted(project.references)]
    return {
        "data/atlas.json": _json(atlas_document(atlas, project)),
        "data/claims.csv": claims_csv(atlas),
        "data/references.json": _json(to_csl_json(refs)),
        "references.bib": to_clean_bibtex(refs),
        "data/atlas.schema.json": (project.root / "schemas" / "atlas.schema.json").read_text(
            "utf-8"),
    }


def atlas_document(atlas: Atlas, project: Project) -> dict[str, Any]:
    entities = [_entity(e) for e in sorted(atlas.entities.values(), key=lambda e: e.id)]
    return {
        "version": SCHEMA_VERSION,
        "entities": entities,
        "claims": [_claim(c) for c in sorted(atlas.claims.values(), key=lambda c: c.id)],
        "facts": [_fact(f) for f in sorted(atlas.facts.values(), key=lambda f: f.id)],
        "references": to_csl_json([project.references[k] for k in sorted(project.references)]),
    }


def claims_csv(atlas: Atlas) -> str:
    """One row per evidence item, for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["claim_id", "therapy", "effect", "pathway", "condition", "statement_en",
                     "statement_zh", "design", "direction", "model_en", "model_zh", "finding_en",
                     "finding_zh", "cite", "locator", "therein", "primary"])
    for claim in sorted(atlas.claims.values(), key=lambda c: c.id):
        for item in claim.evidence:
            writer.writerow([_csv_safe(str(cell)) for cell in (
                claim.id, claim.therapy, claim.effect, claim.pathway, claim.condition,
                claim.statement.en or "", claim.statement.zh or "", item.design,
                item.direction, item.model.en or "", item.model.zh or "",
                item.finding.en or "", item.finding.zh or "", item.source.cite,
                item.source.locator, item.source.therein or "", item.source.primary or "",
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


def _claim(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id, "therapy": claim.therapy, "effect": claim.effect,
        "pathway": claim.pathway, "condition": claim.condition,
        "statement": _text(claim.statement), "outcome": _text(claim.outcome),
        "note": _text(claim.note), "genes": list(claim.genes), "methods": list(claim.methods),
        "competes_with": list(claim.competes_with),
        "strongest_design": claim.strongest_design,
        "evidence": [
            {"design": e.design, "model": _text(e.model), "finding": _text(e.finding),
             "direction": e.direction, "certainty": e.certainty,
             "source": {k: v for k, v in asdict(e.source).items() if v is not None}}
            for e in claim.evidence
        ],
    }


def _fact(fact: Fact) -> dict[str, Any]:
    return {
        "id": fact.id, "category": fact.category, "subjects": list(fact.subjects),
        "text": _text(fact.text), "design": fact.design, "population": _text(fact.population),
        "note": _text(fact.note),
        "source": {k: v for k, v in asdict(fact.source).items() if v is not None},
    }


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
