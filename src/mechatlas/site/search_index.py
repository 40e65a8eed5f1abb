"""The site's search index: Pagefind over the built site, once both languages exist.

Pagefind splits the index into small content-hashed chunks that a page fetches as the reader
types, so one search costs a few hundred kilobytes at any atlas size, where Material's lunr
index was downloaded whole (32.7 MiB at 1,008 claims; docs/decisions/0016). It writes one index
per ``<html lang>``: an English page searches English pages only, a Chinese page Chinese ones.
The extended binary (``pagefind[extended]``) segments Chinese text into words.

What is indexed is marked in the page template (``data-pagefind-body``, the hidden name and
synonym lines, ``docs_templates/overrides/main.html``); what is left out of every page is named
here, once.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

BUNDLE = "pagefind"
"""The index folder, at the site root; the search script loads ``<root>/pagefind/pagefind.js``."""
ENTRY = "pagefind-entry.json"
AGGREGATE_ROWS = (
    ".ma-matrix-area",      # the matrix's grid and its list of claims
    ".ma-compare-group",    # the compare page's rows, condition by condition
)
"""The rows of the pages made of every claim: each claim is found on its therapy's page, and
these pages by their title and lead. Indexed, they were the largest pages of the index (8 MiB
of HTML for one page at 10,000 claims) and outranked the claims' own pages."""
LEFT_OUT = (
    ".headerlink",          # the permalink sign after each heading
    ".ma-permalink",        # ... after each claim
    ".ma-glance__claim",    # ... and in the glance box
    ".ma-cite",             # citation marks: "[1]", "[2, p. 3?]"
    ".ma-therein",          # "ref. [30] therein", the source's own numbering
    ".md-content__button",  # the edit and view buttons
    *AGGREGATE_ROWS,
)
"""Elements no excerpt should quote and no search should match."""
UNUSED = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*",
          "pagefind-highlight.js")
"""Pagefind's own search interfaces: the site uses its search box and the JavaScript API."""


def index_site(site: Path) -> None:
    """Write ``site/pagefind/`` from every HTML page in ``site``, replacing an older index.

    Pagefind's command line, not its Python service: the service, closed right after writing,
    now and then left a file of the bundle empty; the command ends when every file is written.
    """
    from pagefind.service import get_executable  # with asyncio: not for the commands that check

    bundle = site / BUNDLE
    if bundle.exists():
        shutil.rmtree(bundle)
    binary = get_executable()
    if binary is None:
        raise FileNotFoundError("no Pagefind binary: install the package pagefind[extended]")
    subprocess.run([str(binary), "--site", str(site), "--output-path", str(bundle),
                    "--exclude-selectors", ", ".join(LEFT_OUT), "--silent"],
                   check=True, stdin=subprocess.DEVNULL)
    for pattern in UNUSED:
        for unused in bundle.glob(pattern):
            unused.unlink()
    _sort_languages(bundle / ENTRY)


def _sort_languages(entry: Path) -> None:
    """Pagefind lists the languages in its entry file in hash-map order, which changes from run
    to run: sorted, the file (and so the site) is the same bytes for the same pages."""
    data = json.loads(entry.read_text("utf-8"))
    data["languages"] = dict(sorted(data["languages"].items()))
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
