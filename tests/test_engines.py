"""The generated tree, built by engines that know nothing of the ``mechatlas`` plugin.

ProperDocs (the maintained MkDocs 1.x fork, a test dependency) builds the real content once
per session and runs in CI; Zensical only where it is installed (it is not a dependency:
docs/en/engines.md says how to install the tested version).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from mechatlas.cli import main
from mechatlas.site.config_file import PLUGIN_NAME
from mechatlas.site.engines import (
    EngineError,
    engine_command,
    language_config,
    language_tree,
    plugin_free_config,
    without_plugin,
)
from mechatlas.site.generate import settings_for

REPO = Path(__file__).resolve().parent.parent
THERAPY_EN = "Ketogenic diet"
THERAPY_ZH = "生酮饮食"
EDIT = settings_for(REPO).edit_url


def _edit_links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"[^>]*rel="edit"', html)


def _lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match, "page without <html lang>"
    return match.group(1)


@pytest.fixture(scope="session")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The real repository's inputs, built by `mechatlas build --engine properdocs`."""
    from sitebuild import copy_inputs

    pytest.importorskip("properdocs")
    base = tmp_path_factory.mktemp("properdocs")
    root = copy_inputs(base / "repo")
    site = base / "site"
    assert main(["--root", str(root), "build", "--engine", "properdocs", "--site",
                 str(site)]) == 0
    return root, site


@pytest.mark.slow
def test_properdocs_builds_both_languages_of_the_generated_tree(
        properdocs_site: tuple[Path, Path]) -> None:
    root, site = properdocs_site
    config = yaml.safe_load((root / ".mechatlas-build/engines/properdocs/mkdocs.yml")
                            .read_text("utf-8"))
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert PLUGIN_NAME not in names and "i18n" in names
    english = (site / "therapies/ketogenic-diet/index.html").read_text("utf-8")
    chinese = (site / "zh/therapies/ketogenic-diet/index.html").read_text("utf-8")
    assert _lang(english) == "en" and _lang(chinese) == "zh"
    assert "<h1" in english and THERAPY_EN in english and 'id="ma-glance"' in english
    assert THERAPY_ZH in chinese and 'id="ma-glance"' in chinese
    assert (site / "zh/index.html").is_file() and (site / "data/atlas.json").is_file()
    # The post-build step ran on the engine's output: one search index per language.
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text("utf-8"))
    assert sorted(entry["languages"]) == ["en", "zh"]
    assert not (site / "search/search_index.json").exists()
    # Edit links, from the pages themselves: an entry's YAML file; none for a page made from
    # many entries; a hand-written page's own file.
    assert _edit_links(english) == [f"{EDIT}content/therapies/ketogenic-diet.yaml"]
    assert _edit_links(chinese) == [f"{EDIT}content/therapies/ketogenic-diet.yaml"]
    assert _edit_links((site / "therapies/index.html").read_text("utf-8")) == []
    assert _edit_links((site / "zh/about/index.html").read_text("utf-8")) == [
        f"{EDIT}docs/zh/about.md"]


def test_plugin_free_config_drops_the_plugin_and_keeps_the_rest(tmp_path: Path) -> None:
    settings = settings_for(REPO)
    config = plugin_free_config(REPO, settings, tmp_path / "tree", tmp_path / "site")
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert PLUGIN_NAME not in names and "i18n" in names
    assert config["docs_dir"] == str((tmp_path / "tree").resolve())
    assert Path(config["theme"]["custom_dir"]).is_absolute()
    assert config["extra"]["mechatlas_edit_url"] == settings.edit_url and "watch" not in config


def test_without_plugin_reads_list_and_mapping_forms() -> None:
    assert without_plugin(["search", {PLUGIN_NAME: {}}, {"i18n": {}}]) == ["search",
                                                                          {"i18n": {}}]
    assert without_plugin({PLUGIN_NAME: None, "search": {"lang": ["en"]}}) == [
        {"search": {"lang": ["en"]}}]


def test_language_config_translates_names_and_navigation() -> None:
    chinese = language_config(REPO, "zh", engine_settings={"theme": {"variant": "classic"}})
    assert chinese["site_name"] == "机制图谱" and chinese["theme"]["language"] == "zh"
    assert chinese["theme"]["variant"] == "classic" and chinese["theme"]["name"] == "material"
    titles = [next(iter(item)) for item in chinese["nav"]]
    assert titles[:2] == ["首页", "疗法"]
    assert chinese["site_url"].endswith("/zh/")
    names = [next(iter(p)) if isinstance(p, dict) else p for p in chinese["plugins"]]
    assert "i18n" not in names and PLUGIN_NAME not in names
    english = language_config(REPO, "en", engine_settings={})
    assert english["site_name"] == "Mechanism Atlas"
    assert [next(iter(item)) for item in english["nav"]][:2] == ["Home", "Therapies"]


def test_language_tree_keeps_one_language_and_the_shared_files(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    for name, text in {
        "en/about.md": "[data](../data/atlas.json) [page](therapies/index.md)",
        "en/therapies/x.md": "[up](../index.md) [asset](../../assets/a.png)",
        "zh/about.md": "[数据](../data/atlas.json)",
        "assets/a.png": "png",
        "data/atlas.json": "{}",
    }.items():
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_text(text, "utf-8")
    english = language_tree(tree, "en")
    assert sorted(english) == ["about.md", "assets/a.png", "data/atlas.json", "therapies/x.md"]
    assert english["about.md"] == b"[data](data/atlas.json) [page](therapies/index.md)"
    # A link inside the language folder stays; one to a shared file climbs one level less.
    assert english["therapies/x.md"] == b"[up](../index.md) [asset](../assets/a.png)"
    assert language_tree(tree, "zh")["about.md"] == "[数据](data/atlas.json)".encode()


def test_a_missing_engine_is_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(EngineError, match="no-such-engine is not installed"):
        engine_command("no-such-engine")


@pytest.mark.slow
def test_zensical_builds_one_site_per_language(tmp_path: Path) -> None:
    """Runs only where the tested Zensical is installed; it is never downloaded here."""
    from sitebuild import copy_inputs

    if shutil.which("zensical") is None and not (Path(__import__("sys").executable).parent
                                                  / "zensical").is_file():
        pytest.skip("zensical is not installed (docs/en/engines.md)")
    root = copy_inputs(tmp_path / "repo")
    shutil.copytree(REPO / "engines", root / "engines")
    site = tmp_path / "site"
    assert main(["--root", str(root), "build", "--engine", "zensical", "--site",
                 str(site)]) == 0
    english = (site / "therapies/ketogenic-diet/index.html").read_text("utf-8")
    chinese = (site / "zh/therapies/ketogenic-diet/index.html").read_text("utf-8")
    assert _lang(english) == "en" and _lang(chinese) == "zh"
    assert THERAPY_EN in english and THERAPY_ZH in chinese
    for lang_root, title in ((site, THERAPY_EN), (site / "zh", THERAPY_ZH)):
        index = json.loads((lang_root / "search.json").read_text("utf-8"))
        assert any(item["title"] == title for item in index["items"])
    assert "api.github.com" not in english


def test_finish_indexes_each_language_of_a_built_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "zh").mkdir(parents=True)
    (site / "index.html").write_text(
        '<html lang="en"><body><main data-pagefind-body><h1>Ketogenic diet</h1>'
        "<p>A diet.</p></main></body></html>", "utf-8")
    (site / "zh/index.html").write_text(
        '<html lang="zh"><body><main data-pagefind-body><h1>生酮饮食</h1>'
        "<p>一种饮食。</p></main></body></html>", "utf-8")
    assert main(["--root", str(REPO), "finish", str(site)]) == 0
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text("utf-8"))
    assert sorted(entry["languages"]) == ["en", "zh"]
    assert all(entry["languages"][lang]["page_count"] == 1 for lang in ("en", "zh"))
    assert main(["--root", str(REPO), "finish", str(tmp_path / "nothing")]) == 1
