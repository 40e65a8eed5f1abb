"""The project's metadata and environment: installable without notices, locked, current."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
LOCK = (REPO / "requirements.lock").read_text("utf-8")
PINNED = dict(re.findall(r"(?m)^([A-Za-z0-9_.-]+)==([^\s;\\]+)", LOCK))


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_metadata_builds_without_a_deprecation_notice():
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-v", "--no-deps", "--no-build-isolation",
         "--dry-run", "-e", str(REPO)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    notices = [line for line in (result.stdout + result.stderr).splitlines()
               if re.search(r"deprecat", line, re.I)]
    assert notices == []


def test_licence_is_an_spdx_string_with_a_setuptools_that_reads_it():
    assert PROJECT["project"]["license"] == "MIT"
    assert (REPO / "LICENSE").is_file()
    assert "setuptools>=77" in PROJECT["build-system"]["requires"]


def test_engine_bounds_and_the_search_fix():
    dependencies = PROJECT["project"]["dependencies"]
    assert "mkdocs>=1.6.1,<2" in dependencies  # MkDocs 2.0 has no plugin system
    assert "mkdocs-material>=9.7.7" in dependencies  # XSS fix in search suggestions
    assert not any(d.startswith(("ruamel", "fastjsonschema", "jsonschema>")) for d in dependencies)


def test_every_declared_dependency_is_pinned_with_hashes_in_the_lock():
    declared = PROJECT["project"]["dependencies"] + PROJECT["project"]["optional-dependencies"][
        "test"]
    pinned = {_normal(name) for name in PINNED}
    for requirement in declared:
        name = _normal(re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0])
        assert name in pinned, requirement
    blocks = re.split(r"(?m)^(?=[A-Za-z0-9_.-]+==)", LOCK)[1:]
    assert blocks and all("--hash=sha256:" in block for block in blocks)


def test_the_installed_environment_is_the_locked_one():
    from importlib.metadata import PackageNotFoundError, version

    for name, wanted in PINNED.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            continue  # marked for another platform or Python
        assert installed == wanted, name


def test_scripts_install_from_the_lock_only_when_it_changed():
    install = (REPO / "scripts/install").read_text("utf-8")
    assert "--require-hashes -r requirements.lock" in install
    assert "requirements.lock pyproject.toml" in install and ".venv/.installed" in install
    for script in ("serve", "test"):
        text = (REPO / "scripts" / script).read_text("utf-8")
        assert "scripts/install" in text and "pip install" not in text, script
    assert "mypy" in (REPO / "scripts/test").read_text("utf-8")


def test_workflows_use_node24_majors():
    majors = {"actions/checkout": 7, "actions/setup-python": 7, "actions/upload-artifact": 7,
              "actions/configure-pages": 6, "actions/upload-pages-artifact": 5,
              "actions/deploy-pages": 5}
    for workflow in (REPO / ".github/workflows").glob("*.yml"):
        for job in yaml.safe_load(workflow.read_text("utf-8"))["jobs"].values():
            for step in job["steps"]:
                action, _, ref = step.get("uses", "@").partition("@")
                if action in majors:
                    assert int(ref.lstrip("v").split(".")[0]) >= majors[action], (workflow, step)
