"""The built real site, read as files: no leaked markup, every page kind in both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
LEAKS = ("{\\", "$\\", "{.nocase}", "\\%", "doi.org/https", "\\textit", "\\emph", "[@", "[[")


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_bibtex_latex_or_pandoc_markup_leaks_into_any_page(real_site):
    leaks = []
    for path in html_pages(real_site):
        text = path.read_text("utf-8")
        # Code shows syntax on purpose (raw BibTeX, the contributing guide's examples).
        text = re.sub(r"<pre\b.*?</pre>|<code\b.*?</code>", "", text, flags=re.S)
        leaks += [f"{path.relative_to(real_site)}: {m}" for m in LEAKS if m in text]
    assert leaks == []


def test_every_entity_page_exists_in_both_languages(real_site):
    atlas = json.loads((real_site / "data" / "atlas.json").read_text("utf-8"))
    folders = {"pathway": "pathways", "therapy": "therapies", "condition": "conditions",
               "gene": "genes", "method": "methods", "source": "sources"}
    missing = [f"{prefix}{folders[e['kind']]}/{e['id']}/"
               for e in atlas["entities"] for prefix in ("", "zh/")
               if not (real_site / prefix / folders[e["kind"]] / e["id"] / "index.html").is_file()]
    assert missing == []


def test_each_language_has_its_own_search_index(real_site):
    from pagefind_fragments import fragments

    entry = json.loads((real_site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    pages = fragments(real_site)
    chinese = [p for p in pages if p["url"].startswith("/zh/")]
    assert sorted(entry["languages"]) == ["en", "zh"]
    assert entry["languages"]["zh"]["page_count"] == len(chinese)
    assert entry["languages"]["en"]["page_count"] == len(pages) - len(chinese)
    assert any(p["url"] == "/zh/therapies/rapamycin/" and "雷帕霉素" in p["meta"]["title"]
               for p in chinese)
    assert not list(real_site.rglob("search_index.json"))  # Material's whole index is gone


def test_every_entity_page_carries_valid_json_ld(real_site):
    pages = list((real_site / "therapies").glob("*/index.html"))
    pages += list((real_site / "zh" / "conditions").glob("*/index.html"))
    assert pages
    for path in pages:
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>',
                            path.read_text("utf-8"), flags=re.S)
        assert len(blocks) == 1, path
        data = json.loads(blocks[0])
        assert data["@context"] == "https://schema.org" and data["name"], path


def test_downloads_are_published(real_site):
    for name in ("data/atlas.json", "data/atlas.schema.json", "data/claims.csv",
                 "data/references.json", "references.bib"):
        assert (real_site / name).stat().st_size > 0, name
