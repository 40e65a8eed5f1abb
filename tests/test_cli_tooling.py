"""The contributor tooling around the command: editor schemas, pre-commit, CI workflows."""

from __future__ import annotations

import json
import re

import yaml

from conftest import REPO
from mechatlas.model.kinds import KINDS


def test_editor_maps_every_kind_schema_to_its_folder():
    settings = json.loads((REPO / ".vscode/settings.json").read_text("utf-8"))
    assert settings["yaml.schemas"] == {
        f"./schemas/{kind.name}.schema.json": [f"content/{kind.folder}/*.yaml"]
        for kind in KINDS.values()
    }
    assert all((REPO / "schemas" / f"{kind}.schema.json").is_file() for kind in KINDS)


def test_editor_recommends_the_yaml_extension():
    extensions = json.loads((REPO / ".vscode/extensions.json").read_text("utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def test_pre_commit_runs_check_on_content_changes_and_ruff():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    check = hooks["mechatlas-check"]
    assert (check["entry"], check["pass_filenames"], check["language"]) == (
        "mechatlas check", False, "system")
    assert all(re.match(check["files"], path) for path in (
        "content/claims/x.yaml", "references.bib"))
    assert hooks["ruff"]["entry"].startswith("ruff check")


def _steps(name: str) -> list[str]:
    workflow = yaml.safe_load((REPO / ".github/workflows" / name).read_text("utf-8"))
    return [step.get("run") or step.get("uses") for job in workflow["jobs"].values()
            for step in job["steps"]]


def test_pull_request_workflow_checks_builds_and_tests():
    steps = _steps("pull-request.yml")
    for wanted in ("actions/checkout", "actions/setup-python",
                   "pip install --require-hashes -r requirements.lock", "mypy",
                   "mechatlas check --format github", "mkdocs build --strict",
                   "sudo apt-get install -y chromium fonts-noto-cjk", "python -m pytest"):
        assert any(wanted in step for step in steps), wanted


def test_pull_request_workflow_writes_the_semantic_diff_against_the_base_branch():
    workflow = yaml.safe_load((REPO / ".github/workflows/pull-request.yml").read_text("utf-8"))
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout"))
    diff = next(step for step in steps if "mechatlas diff" in step.get("run", ""))
    assert checkout["with"]["fetch-depth"] == 0
    assert diff["run"] == ('mechatlas diff "origin/${GITHUB_BASE_REF}" --format github '
                           '>> "$GITHUB_STEP_SUMMARY"')
    assert "github.event_name == 'pull_request'" in diff["if"]


def test_deploy_workflow_builds_and_publishes_pages():
    steps = _steps("deploy.yml")
    for wanted in ("mkdocs build --strict", "actions/upload-pages-artifact",
                   "actions/deploy-pages"):
        assert any(wanted in step for step in steps), wanted
    text = (REPO / ".github/workflows/deploy.yml").read_text("utf-8")
    assert "MECHATLAS_SITE_URL:" in text and "MECHATLAS_REPO_URL:" in text
