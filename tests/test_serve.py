"""`mkdocs serve` shows an edited entry, template or reference without a restart."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, token: str, seconds: float = 90, *, present: bool = True) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (token in fetch(url)) == present:
            return True
        time.sleep(0.3)
    return False


@pytest.fixture(params=[(), ("--dirty",)], ids=["full", "dirty"])
def served(mini_repo: Path, request: pytest.FixtureRequest):
    """``mkdocs serve``, and ``mkdocs serve --dirty`` under the site's ``strict: true``."""
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", *request.param],
        cwd=mini_repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(f"{base}/therapies/test-diet/", "Test diet"), "serve did not start"
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_serve_shows_an_edited_entry_template_and_reference(served, mini_repo, request):
    entry = mini_repo / "content/therapies/test-diet.yaml"
    entry.write_text(entry.read_text().replace("A high-fat diet", "A freshly edited diet"))
    assert wait_for(f"{served}/therapies/test-diet/", "A freshly edited diet")

    strings = mini_repo / "docs_templates/strings/zh.yaml"
    strings.write_text(strings.read_text().replace("at_a_glance: 要点速览", "at_a_glance: 一览"))
    assert wait_for(f"{served}/zh/therapies/test-diet/", "一览")

    bib = mini_repo / "references.bib"
    bib.write_text(bib.read_text().replace("A Diet Inhibits", "A Diet Really Inhibits"))
    assert wait_for(f"{served}/references/", "A Diet Really Inhibits")

    if request.node.callspec.id == "full":
        # Material's templates are compiled once per session (plugin._CompiledTemplates); an
        # edited override is compiled again, in both languages. (--dirty rebuilds only the pages
        # whose Markdown changed, as MkDocs does: a theme edit needs a full rebuild.)
        main = mini_repo / "docs_templates/overrides/main.html"
        main.write_text(main.read_text().replace(
            '<meta charset="utf-8">', '<meta charset="utf-8"><meta name="ma-edited" content="1">'))
        assert wait_for(f"{served}/therapies/test-diet/", 'name="ma-edited"')
        assert 'name="ma-edited"' in fetch(f"{served}/zh/therapies/test-diet/")


@pytest.fixture
def served_site(mini_repo: Path, tmp_path: Path):
    """Plain ``mkdocs serve``, and the folder it serves (MkDocs makes it under ``TMPDIR``)."""
    port = free_port()
    tmp = tmp_path / "serve-tmp"
    tmp.mkdir()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp)}
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=mini_repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(f"{base}/therapies/test-diet/", "Test diet"), "serve did not start"
        (site,) = tmp.glob("mkdocs_*")
        yield base, site
    finally:
        process.terminate()
        process.wait(timeout=20)


def tree(site: Path) -> dict[str, bytes]:
    # The 404 page is the one MkDocs renders differently when serving (its links start at
    # the server's root), so it is left out of the comparison.
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != "404.html"}


def test_serve_rebuilds_only_what_an_edit_touched_and_ends_as_a_clean_build(
        served_site, mini_repo: Path, tmp_path: Path):
    base, site = served_site
    pages = sorted(site.rglob("*.html"))
    written = {page: page.stat().st_mtime_ns for page in pages}

    entry = mini_repo / "content/therapies/test-diet.yaml"
    entry.write_text(entry.read_text().replace("A high-fat diet", "A freshly edited diet"))
    assert wait_for(f"{base}/therapies/test-diet/", "A freshly edited diet")
    untouched = [page for page in pages if page.stat().st_mtime_ns == written[page]]
    assert len(untouched) > len(pages) / 2, "an edit of one entry rebuilt the whole site"

    gene = mini_repo / "content/genes/second-gene.yaml"
    gene.write_text((mini_repo / "content/genes/test-gene.yaml").read_text()
                    .replace("test-gene", "second-gene").replace("TG1", "SG2"))
    assert wait_for(f"{base}/genes/second-gene/", "SG2")
    gene.unlink()
    assert wait_for(f"{base}/genes/second-gene/", "SG2", present=False)

    # A file added to the theme's folder is a theme file: listed again, and served.
    (mini_repo / "docs_templates/overrides/ma-probe.txt").write_text("probe", "utf-8")
    assert wait_for(f"{base}/ma-probe.txt", "probe")

    port = base.rsplit(":", 1)[1]
    clean = tmp_path / "clean"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(clean)],
                   cwd=mini_repo, check=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1",
                        "MECHATLAS_SITE_URL": f"http://127.0.0.1:{port}/"})
    expected = tree(clean)
    deadline = time.monotonic() + 60  # the search index follows in the background
    while tree(site) != expected and time.monotonic() < deadline:
        time.sleep(0.5)
    served = tree(site)
    assert sorted(served) == sorted(expected)
    assert [name for name in expected if served[name] != expected[name]] == []


class _Theme:
    """What ``ThemeListings`` reads of a MkDocs theme."""

    def __init__(self, folder: str, custom_dir: Path | None = None) -> None:
        self.dirs, self.custom_dir, self.static_templates = [folder], custom_dir, ["404.html"]
        self.listings = 0

        class Environment:
            def list_templates(env, extensions=None, filter_func=None):
                self.listings += 1
                return [f"{folder}/page.html"]
        self.get_env = Environment


def test_each_language_theme_is_listed_once_until_its_folder_changes(tmp_path):
    """The two language builds of a rebuild list their themes from the cache in turn (a
    cache of one listing would list both again on every rebuild), and an edit in the
    project's theme folder lists that theme again."""
    from mechatlas.site.serve_rebuilds import ThemeListings

    custom = tmp_path / "overrides"
    custom.mkdir()
    listings = ThemeListings()
    english, chinese = _Theme("en", custom), _Theme("zh", custom)
    for theme in (english, chinese):
        listings.install(theme)
    for _ in range(3):
        assert english.get_env().list_templates() == ["en/page.html"]
        assert chinese.get_env().list_templates() == ["zh/page.html"]
    assert (english.listings, chinese.listings) == (1, 1)
    (custom / "main.html").write_text("{% extends 'base.html' %}", "utf-8")
    english.get_env().list_templates()
    chinese.get_env().list_templates()
    assert (english.listings, chinese.listings) == (2, 2)
