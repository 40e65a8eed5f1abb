"""Open data: the exports describe every claim and validate against their published schema."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema_rs

from mechatlas.pipeline import load_project
from mechatlas.site.exports import atlas_document, claims_csv, export_files

REPO = Path(__file__).resolve().parent.parent


def _schema() -> dict:
    return json.loads((REPO / "schemas" / "atlas.schema.json").read_text("utf-8"))


def test_real_atlas_json_validates_against_its_schema():
    project = load_project(REPO)
    document = json.loads(export_files(project)["data/atlas.json"])
    errors = [f"{list(e.instance_path)}: {e.message}"
              for e in jsonschema_rs.Draft202012Validator(_schema()).iter_errors(document)]
    assert errors == []
    assert len(document["claims"]) == len(project.atlas.claims)


def test_source_entities_keep_their_kind_and_document_type(mini_repo):
    project = load_project(mini_repo)
    sources = [e for e in atlas_document(project.atlas, project)["entities"] if e["id"] ==
               "test-review"]
    assert (sources[0]["kind"], sources[0]["document_type"]) == ("source", "narrative-review")


def test_a_claim_added_shows_up_in_the_data_export(mini_repo, write):
    write("content/claims/test-diet-restores-test-pathway.yaml",
          (mini_repo / "content/claims/test-diet-inhibits-test-pathway.yaml").read_text()
          .replace("id: test-diet-inhibits-test-pathway", "id: test-diet-restores-test-pathway")
          .replace("effect: inhibits", "effect: restores"))
    project = load_project(mini_repo)
    ids = [c["id"] for c in atlas_document(project.atlas, project)["claims"]]
    assert ids == ["test-diet-inhibits-test-pathway", "test-diet-restores-test-pathway"]


def test_claims_csv_has_one_row_per_evidence_item(mini_repo):
    project = load_project(mini_repo)
    rows = list(csv.DictReader(io.StringIO(claims_csv(project.atlas))))
    assert [(r["claim_id"], r["design"], r["finding_en"]) for r in rows] == [
        ("test-diet-inhibits-test-pathway", "animal", "pS6 fell by 35%.")]


def test_claims_csv_neutralises_spreadsheet_formulas(mini_repo):
    path = mini_repo / "content/claims/test-diet-inhibits-test-pathway.yaml"
    path.write_text(path.read_text().replace("en: pS6 fell by 35%.", "en: '=HYPERLINK(\"x\")'"))
    rows = list(csv.DictReader(io.StringIO(claims_csv(load_project(mini_repo).atlas))))
    assert rows[0]["finding_en"] == "'=HYPERLINK(\"x\")"
