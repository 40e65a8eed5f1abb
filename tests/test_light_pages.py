"""Light pages, read from the built real site: a claim's full card on one page, compact rows
linking to it everywhere else, and a matrix whose cells follow the claims (decision 0017)."""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path
from urllib.parse import urljoin

import pytest

pytestmark = pytest.mark.slow
CARD = re.compile(r'<article class="ma-claim [^"]*" id="claim-([^"]+)"')
ROW = re.compile(r'<li class="ma-claim-row [^"]*" data-ma-claim="([^"]+)">(.*?)</li>', re.S)
HREF = re.compile(r'href="([^"#]*)#(claim-[^"]+)"')


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text("utf-8")
            for p in sorted(site.rglob("index.html"))}


@pytest.fixture(scope="module")
def built(real_site: Path) -> dict[str, str]:
    return _pages(real_site)


@pytest.fixture(scope="module")
def claims(real_site: Path) -> dict[str, dict]:
    atlas = json.loads((real_site / "data" / "atlas.json").read_text("utf-8"))
    return {c["id"]: c for c in atlas["claims"]}


@pytest.mark.parametrize("lang", ["", "zh/"])
def test_each_claim_has_its_full_card_on_exactly_one_page_its_therapys(built, claims, lang):
    homes: dict[str, list[str]] = {}
    for path, html in built.items():
        if path.startswith("zh/") == bool(lang):
            for claim_id in CARD.findall(html):
                homes.setdefault(claim_id, []).append(path)
    assert set(homes) == set(claims)
    wrong = {c: pages for c, pages in homes.items()
             if pages != [f"{lang}therapies/{claims[c]['therapy']}/index.html"]}
    assert wrong == {}


@pytest.mark.parametrize("page", ["pathways/mtor-signalling/",
                                  "conditions/drug-resistant-epilepsy/", "genes/mtor/",
                                  "zh/pathways/mtor-signalling/", "zh/conditions/epilepsy/"])
def test_other_pages_list_claims_as_rows_whose_link_resolves_to_the_card(built, page):
    html = built[f"{page}index.html"]
    rows = ROW.findall(html)
    assert rows and not CARD.search(html)
    for claim_id, row in rows:
        links = [(href, anchor) for href, anchor in HREF.findall(row)]
        assert links, claim_id
        href, anchor = links[-1]
        assert anchor == f"claim-{claim_id}"
        target = urljoin(f"https://x/{page}", href).removeprefix("https://x/") + "index.html"
        assert f'id="{anchor}"' in built[target], (claim_id, target)


def test_a_row_leads_with_therapy_movement_condition_and_badge_in_both_languages(built):
    for page, condition in (("pathways/mtor-signalling/index.html", "in "),
                            ("zh/pathways/mtor-signalling/index.html", "在")):
        claim_id, row = ROW.findall(built[page])[0]
        head = re.search(r'<p class="ma-claim-row__head">(.*?)</p>', row, re.S)
        assert head, claim_id
        head_html = head.group(1)
        assert 'class="ma-claim__therapy"' in head_html and "ma-movement" in head_html
        assert 'class="ma-claim__condition"' in head_html and "ma-badge" in head_html
        text = re.sub(r"<[^>]+>", "", head_html)
        assert condition in text
    zh_rows = " ".join(r for _, r in ROW.findall(built["zh/pathways/mtor-signalling/index.html"]))
    assert "evidence item" not in zh_rows and "项证据" in zh_rows
    en_rows = " ".join(r for _, r in ROW.findall(built["pathways/mtor-signalling/index.html"]))
    assert "项证据" not in en_rows and "evidence item" in en_rows


@pytest.mark.parametrize("page", ["matrix/index.html", "zh/matrix/index.html"])
def test_the_matrix_has_no_cell_per_empty_pair(built, page):
    grid = built[page].split('<table class="ma-matrix">', 1)[1].split("</table>", 1)[0]
    body = grid.split("<tbody>", 1)[1]
    columns = grid.split("</thead>", 1)[0].count("<th scope=\"col\"") - 1
    for row in re.findall(r"<tr\b.*?</tr>", body, re.S):
        cells = re.findall(r"<td\b([^>]*)>(.*?)</td>", row, re.S)
        spans = [int(m.group(1)) if (m := re.search(r'colspan="(\d+)"', attrs)) else 1
                 for attrs, _ in cells]
        assert sum(spans) == columns
        empty = [content for _, content in cells if "ma-mark" not in content]
        assert all(not c.strip() for c in empty)
        # no two empty cells side by side: a run of empty pairs is one spanning cell
        kinds = ["mark" if "ma-mark" in content else "gap" for _, content in cells]
        assert all(not (a == b == "gap") for a, b in pairwise(kinds))


@pytest.mark.parametrize("page", ["compare/index.html", "zh/compare/index.html"])
def test_compare_rows_summarise_without_citations_and_link_to_the_card(built, page):
    table = built[page].split('<table class="ma-compare">', 1)[1]
    rows = re.findall(r"<tr data-ma-therapy=.*?</tr>", table, re.S)
    assert rows
    for row in rows:
        assert 'class="ma-cite"' not in row
        assert HREF.search(row), row[:200]
