"""Test sites built once per test run, shared by every pytest-xdist worker, built while other
tests run.

Each site is a recipe (how to write its repository, and the environment of its
``mkdocs build``). As soon as a worker knows which tests it may run, it starts, in the
background, the build of every site those tests ask for; a file lock in the run's shared
temporary folder (the pattern pytest-xdist documents for session fixtures) makes the first
worker to ask the builder and every other one a reader. A test that needs a site waits for
that build alone, and a failed build fails the tests that need it with its output.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock

from sitebuild import build_command

RUNNER = """
import json, subprocess, sys
from pathlib import Path
folder, cwd, argv = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
(folder / "stdout").write_text(result.stdout, "utf-8")
(folder / "stderr").write_text(result.stderr, "utf-8")
(folder / "returncode.tmp").write_text(json.dumps(result.returncode))
(folder / "returncode.tmp").rename(folder / "returncode")
"""
"""Runs one build and records its outcome, outliving the worker that started it."""
TIMEOUT = 900
"""Seconds a test waits for a build, as ``mkdocs_build`` does."""


@dataclass(frozen=True)
class Recipe:
    """A site: ``prepare`` writes its repository into the folder it is given."""

    prepare: Callable[[Path], None]
    env: dict[str, str] = field(default_factory=dict)
    inherit: bool = True
    strict: bool = True


class SharedBuilds:
    """The run's builds, by fixture name, in ``folder`` (shared by the workers of one run)."""

    def __init__(self, folder: Path, recipes: dict[str, Recipe]) -> None:
        self.folder = folder
        self.recipes = recipes

    def start(self, names: Iterable[str]) -> None:
        """Start, in the background, each named build not started yet by any worker."""
        for name in names:
            place = self.folder / name
            place.mkdir(parents=True, exist_ok=True)
            with FileLock(place / "lock"):
                if (place / "started").exists():
                    continue
                recipe = self.recipes[name]
                repo = place / "repo"
                recipe.prepare(repo)
                argv, environment = build_command(place / "site", inherit=recipe.inherit,
                                                  strict=recipe.strict, **recipe.env)
                subprocess.Popen([sys.executable, "-c", RUNNER, str(place), str(repo), *argv],
                                 env=environment, stdin=subprocess.DEVNULL)
                (place / "started").touch()

    def result(self, name: str) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
        """Wait for one build: its outcome, its repository and its site folder."""
        self.start([name])
        place = self.folder / name
        outcome = place / "returncode"
        deadline = time.monotonic() + TIMEOUT
        while not outcome.exists():
            assert time.monotonic() < deadline, f"the build of {name} did not end in {TIMEOUT} s"
            time.sleep(0.1)
        completed = subprocess.CompletedProcess(
            ["mkdocs", "build"], json.loads(outcome.read_text()),
            (place / "stdout").read_text("utf-8"), (place / "stderr").read_text("utf-8"))
        return completed, place / "repo", place / "site"
