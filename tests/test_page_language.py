"""The whole built site, both languages: each page reads in its own language.

Chinese pages carry no English words outside names, abbreviations, gene symbols, code and
reference entries; English pages carry no Chinese outside names, aliases and reference
entries; Chinese text follows Chinese typography. What counts as a name comes from the data
(see tests/page_language.py), never from a list of page text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mechatlas.validate.typography import typography_problems
from page_language import (
    allowed_from_data,
    chinese_on_english_page,
    english_on_chinese_page,
    names_of_twin,
    site_pages,
    text_nodes,
)

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parent.parent
HAND_WRITTEN = sorted(p.stem for p in (REPO / "docs" / "zh").glob("*.md"))


@pytest.fixture(scope="module")
def allowed(real_site):
    strings = yaml.safe_load((REPO / "docs_templates/strings/en.yaml").read_text("utf-8"))
    return allowed_from_data(real_site, (strings["site_name"],))


def _twin_names(site: Path, page: Path) -> frozenset[str]:
    relative = page.relative_to(site / "zh")
    if relative.parts[0] not in HAND_WRITTEN:
        return frozenset()
    return names_of_twin((site / relative).read_text("utf-8"))


def test_no_english_words_on_chinese_pages(real_site, allowed):
    found = [f"{page.relative_to(real_site)}: {problem}"
             for page in site_pages(real_site, "zh")
             for problem in english_on_chinese_page(page.read_text("utf-8"), allowed,
                                                    _twin_names(real_site, page))]
    assert found == []


def test_no_chinese_on_english_pages(real_site, allowed):
    found = [f"{page.relative_to(real_site)}: {problem}"
             for page in site_pages(real_site, "en")
             for problem in chinese_on_english_page(page.read_text("utf-8"), allowed)]
    assert found == []


def test_chinese_pages_follow_chinese_typography(real_site):
    found = [f"{page.relative_to(real_site)}: {problem.message}: “{problem.excerpt}”"
             for page in site_pages(real_site, "zh")
             for node in text_nodes(page.read_text("utf-8"))
             for problem in typography_problems(node)]
    assert found == []


def test_the_reference_type_filter_is_in_the_page_language(real_site):
    zh = (real_site / "zh/references/index.html").read_text("utf-8")
    en = (real_site / "references/index.html").read_text("utf-8")
    assert ('<option value="article-journal">期刊论文</option>' in zh,
            '<option value="article-journal">Journal article</option>' in en) == (True, True)
