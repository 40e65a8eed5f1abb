"""axe-core on one page of each kind, in both languages: no serious or critical violation.

The real repository's build inputs are copied to a temporary folder, built once with the
real ``mkdocs build --strict`` and served on localhost; Debian's Chromium opens each page
and axe-core (``axe_playwright_python``, run inside the page: nothing is fetched) checks it.
Every violation found is printed with its id, impact, help and first target; the test fails
on those of impact "serious" or "critical".
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from page_visits import LANGUAGES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
FAILING_IMPACTS = ("serious", "critical")
PREFERRED = {  # pages rich in what each kind shows (diagram, claims, variants); else the first
    "therapies": "ketogenic-diet", "pathways": "ampk-mtor", "conditions": "epilepsy",
    "genes": "scn1a", "methods": "", "sources": "",
}


def entry_page(folder: str) -> str:
    entries = sorted(p.stem for p in (REPO / "content" / folder).glob("*.yaml"))
    if not entries:
        pytest.skip(f"no entry in content/{folder}")
    chosen = PREFERRED[folder] if PREFERRED[folder] in entries else entries[0]
    return f"{folder}/{chosen}/"


PAGES = {
    "home": lambda: "",
    "therapy": lambda: entry_page("therapies"),
    "pathway": lambda: entry_page("pathways"),
    "condition": lambda: entry_page("conditions"),
    "gene": lambda: entry_page("genes"),
    "method": lambda: entry_page("methods"),
    "source": lambda: entry_page("sources"),
    "references": lambda: "references/",
    "matrix": lambda: "matrix/",
    "compare": lambda: "compare/",
    "about": lambda: "about/",
}


def describe(violation: dict) -> str:
    first = violation["nodes"][0]["target"] if violation.get("nodes") else "-"
    return (f"{violation['id']} [{violation['impact']}] {violation['help']} "
            f"({len(violation.get('nodes', []))} node(s); first: {first})")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", list(PAGES))
def test_page_has_no_serious_accessibility_violation(page_visits, kind, lang):
    visit = page_visits.visit(lang, PAGES[kind](), axe=True)
    assert visit.ok, visit.url
    for violation in visit.violations:
        print(f"{kind}/{lang}: {describe(violation)}")
    serious = [describe(v) for v in visit.violations if v["impact"] in FAILING_IMPACTS]
    assert serious == [], f"{visit.url}:\n" + "\n".join(serious)
