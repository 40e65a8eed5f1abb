"""End to end: `mkdocs build --strict` turns a repository into a bilingual site, or stops."""

from __future__ import annotations

import json

import pytest

from sitebuild import mkdocs_build, tree_bytes

pytestmark = pytest.mark.slow


def test_build_writes_both_languages_of_every_page_kind(mini_site):
    site = mini_site
    for url in ("", "pathways/", "pathways/test-pathway/", "therapies/test-diet/",
                "conditions/test-condition/", "genes/test-gene/", "methods/test-method/",
                "sources/test-review/", "references/", "about/"):
        assert (site / url / "index.html").is_file(), url
        assert (site / "zh" / url / "index.html").is_file(), f"zh/{url}"
    atlas = json.loads((site / "data" / "atlas.json").read_text("utf-8"))
    assert [c["id"] for c in atlas["claims"]] == ["test-diet-inhibits-test-pathway"]


def test_a_content_warning_fails_mkdocs_strict_as_it_fails_check_strict(mini_repo, tmp_path):
    """One meaning of strict: the located warning reaches MkDocs as a warning."""
    from mechatlas.cli import main

    claim = mini_repo / "content/claims/test-diet-inhibits-test-pathway.yaml"
    claim.write_text(claim.read_text("utf-8").replace("  zh: 该饮食在癫痫大鼠中抑制该通路。\n", ""),
                     "utf-8")
    assert main(["--root", str(mini_repo), "check", "--strict"]) == 1
    site = tmp_path / "site"
    result = mkdocs_build(mini_repo, site)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    line = next(row for row in result.stderr.splitlines()
                if "content/claims/test-diet-inhibits-test-pathway.yaml:" in row)
    assert line.startswith("WARNING") and "missing-translation" in line, result.stderr


def test_chinese_pages_use_chinese_interface_and_lang(mini_site):
    site = mini_site
    page = (site / "zh" / "pathways" / "test-pathway" / "index.html").read_text("utf-8")
    assert '<html lang="zh"' in page
    assert "要点速览" in page and "搜索" in page
    assert '<html lang="en"' in (site / "pathways" / "test-pathway" / "index.html").read_text()


def test_errors_stop_the_build_before_the_site_directory_is_touched(mini_repo, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("previous build")
    claim = mini_repo / "content/claims/test-diet-inhibits-test-pathway.yaml"
    claim.write_text(claim.read_text().replace("therapy: test-diet", "therapy: nothing"))
    (mini_repo / "content/methods/test-method.yaml").write_text("id: [unclosed\n")
    result = mkdocs_build(mini_repo, site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/claims/test-diet-inhibits-test-pathway.yaml:3:10: unknown-id" in result.stderr
    assert "content/methods/test-method.yaml:" in result.stderr
    assert [p.name for p in site.iterdir()] == ["old.html"]


def test_same_input_builds_a_byte_identical_site(mini_site, mini_site_elsewhere):
    """Another process, hash seed, time zone and locale (SOURCE_DATE_EPOCH as inherited)."""
    assert tree_bytes(mini_site) == tree_bytes(mini_site_elsewhere)


def test_a_claim_shows_up_in_the_search_index_of_each_language(mini_site):
    from pagefind_fragments import fragments

    pages = fragments(mini_site)
    english = " ".join(p["content"] for p in pages if not p["url"].startswith("/zh/"))
    chinese = " ".join(p["content"] for p in pages if p["url"].startswith("/zh/")).replace(
        "\u200b", "")  # Pagefind's word breaks
    assert "The diet inhibits the pathway in epileptic rats." in english
    assert "饮食在癫痫大鼠中抑制该通路" in chinese
    assert "饮食在癫痫大鼠中抑制该通路" not in english

