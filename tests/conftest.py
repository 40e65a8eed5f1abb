"""Shared fixtures: small repositories made in a temporary folder."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def copy_repository_frame(target: Path) -> None:
    """Schemas, templates, hand-written docs and mkdocs.yml of the real repository."""
    for name in ("schemas", "docs_templates", "docs"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real repository, copied and built once per test session with `mkdocs build --strict`.

    Every test of the real site reads this one build (links, pages, browser, accessibility,
    determinism); none may write to it.
    """
    from sitebuild import MACHINE_A, copy_inputs, mkdocs_build

    base = tmp_path_factory.mktemp("real")
    site = base / "site"
    result = mkdocs_build(copy_inputs(base / "repo"), site, inherit=False, **MACHINE_A)
    assert result.returncode == 0, result.stderr[-4000:]
    return site


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini repository built once (strict: no warning) for the tests that only read it."""
    from sitebuild import mkdocs_build

    base = tmp_path_factory.mktemp("mini-site")
    root = base / "repo"
    root.mkdir()
    copy_repository_frame(root)
    shutil.copytree(MINI / "content", root / "content")
    shutil.copy(MINI / "references.bib", root / "references.bib")
    result = mkdocs_build(root, base / "site", PYTHONHASHSEED="1", TZ="UTC")
    assert result.returncode == 0, result.stderr
    return base / "site"


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
