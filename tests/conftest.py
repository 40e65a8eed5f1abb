"""Shared fixtures: small repositories made in a temporary folder."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from page_visits import PageVisits
from shared_sites import Recipe, SharedBuilds

REPO = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def copy_repository_frame(target: Path) -> None:
    """Schemas, templates, hand-written docs and mkdocs.yml of the real repository."""
    for name in ("schemas", "docs_templates", "docs"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")


def _mini_repository(root: Path) -> None:
    root.mkdir(parents=True)
    copy_repository_frame(root)
    shutil.copytree(MINI / "content", root / "content")
    shutil.copy(MINI / "references.bib", root / "references.bib")


def _real_repository(root: Path) -> None:
    from sitebuild import copy_inputs

    copy_inputs(root)


def _real_repository_elsewhere(root: Path) -> None:
    """Machine B of the determinism test: files created in reverse order, other mtimes."""
    from sitebuild import copy_inputs

    copy_inputs(root, reverse=True, mtime=1_000_000_000)


def _xss_repository(root: Path) -> None:
    from xss_repository import make_xss_repository

    make_xss_repository(root)


def _recipes() -> dict[str, Recipe]:
    from sitebuild import MACHINE_A

    return {
        "real_site": Recipe(_real_repository, MACHINE_A, inherit=False),
        "real_site_elsewhere": Recipe(_real_repository_elsewhere, {
            "PYTHONHASHSEED": "2742", "TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8",
            "LANG": "C.UTF-8", "SOURCE_DATE_EPOCH": MACHINE_A["SOURCE_DATE_EPOCH"]},
            inherit=False),
        "mini_site": Recipe(_mini_repository, {"PYTHONHASHSEED": "1", "TZ": "UTC"}),
        "mini_site_elsewhere": Recipe(_mini_repository, {
            "PYTHONHASHSEED": "2", "TZ": "Asia/Shanghai", "LC_ALL": "C.UTF-8"}),
        # The injection fixture's DOIs are warned about, by design: it builds without --strict.
        "xss_site": Recipe(_xss_repository, strict=False),
    }


@pytest.fixture(scope="session")
def shared_builds(tmp_path_factory: pytest.TempPathFactory) -> SharedBuilds:
    """The run's shared builds; under pytest-xdist, in the folder all workers share."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    return SharedBuilds(base / "shared-sites", _recipes())


@pytest.fixture(scope="session", autouse=True)
def _start_shared_builds(request: pytest.FixtureRequest, shared_builds: SharedBuilds) -> None:
    """Start every build this worker's tests may need, before the first test runs."""
    wanted = {name for item in request.session.items for name in item.fixturenames}
    shared_builds.start(sorted(wanted & shared_builds.recipes.keys()))


def _built(shared_builds: SharedBuilds, name: str) -> Path:
    result, _, site = shared_builds.result(name)
    assert result.returncode == 0, result.stderr[-6000:]
    return site


@pytest.fixture(scope="session")
def real_site(shared_builds: SharedBuilds) -> Path:
    """The real repository, copied and built once per test run with `mkdocs build --strict`.

    Every test of the real site reads this one build (links, pages, browser, accessibility,
    determinism); none may write to it.
    """
    return _built(shared_builds, "real_site")


@pytest.fixture(scope="session")
def real_site_elsewhere(shared_builds: SharedBuilds) -> Path:
    """A second build of the real repository, as on another machine (test_determinism.py)."""
    return _built(shared_builds, "real_site_elsewhere")


@pytest.fixture(scope="session")
def mini_site(shared_builds: SharedBuilds) -> Path:
    """The mini repository built once (strict: no warning) for the tests that only read it."""
    return _built(shared_builds, "mini_site")


@pytest.fixture(scope="session")
def mini_site_elsewhere(shared_builds: SharedBuilds) -> Path:
    """The mini repository built by another process with another hash seed, zone and locale
    (SOURCE_DATE_EPOCH as inherited)."""
    return _built(shared_builds, "mini_site_elsewhere")


@pytest.fixture(scope="session")
def xss_site(shared_builds: SharedBuilds) -> Path:
    """The injection fixture (tests/xss_repository.py), built once per test run."""
    return _built(shared_builds, "xss_site")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(real_site: Path) -> Iterator[str]:
    """The real site served on localhost, for the browser tests."""
    handler = functools.partial(_QuietHandler, directory=str(real_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def shared_chromium():
    """Debian's Chromium driven by Playwright, launched once for every browser test."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail("Debian's chromium is required: apt-get install chromium")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def page_visits(shared_chromium, site_url: str) -> Iterator[PageVisits]:
    """Each page of the real site loaded once for the checks that only read it."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    visits = PageVisits(shared_chromium, site_url, axe)
    yield visits
    visits.close()


@pytest.fixture
def mini_repo(tmp_path: Path) -> Path:
    """A complete, valid repository with one entry of each kind."""
    root = tmp_path / "repo"
    root.mkdir()
    copy_repository_frame(root)
    shutil.copytree(MINI / "content", root / "content")
    shutil.copy(MINI / "references.bib", root / "references.bib")
    return root


@pytest.fixture
def write(mini_repo: Path) -> Callable[[str, str], Path]:
    """Write (or overwrite) a file of the mini repository."""

    def _write(relative: str, text: str) -> Path:
        path = mini_repo / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write
