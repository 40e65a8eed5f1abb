"""Bytes a reader downloads to search once, in Chromium: everything fetched under /pagefind/
after the page has loaded, from opening the search box to the first results shown.

Used by run.py for the figure "search download for one query"; also runnable on any built site:
``python benchmarks/search_bytes.py SITE_DIR``.
"""

from __future__ import annotations

import functools
import http.server
import json
import resource
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def typical_queries(site: Path) -> dict[str, str]:
    """One query a reader would type per language: the name of the middle therapy."""
    atlas = json.loads((site / "data" / "atlas.json").read_text("utf-8"))
    therapies = [e for e in atlas["entities"] if e["kind"] == "therapy"]
    middle = therapies[len(therapies) // 2]["name"]
    return {"en": middle["en"].split(" (")[0], "zh": middle["zh"].split("（")[0]}


def measure(site: Path, queries: dict[str, str] | None = None) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    queries = queries or typical_queries(site)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    out: dict[str, Any] = {"search_queries": queries}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for lang, query in queries.items():
                page = browser.new_page()
                page.goto(f"{base}/{'' if lang == 'en' else lang + '/'}", wait_until="load")
                page.wait_for_load_state("networkidle")
                fetched: dict[str, int] = {}
                page.on("response", lambda r, f=fetched: f.__setitem__(r.url, len(r.body()))
                        if "/pagefind/" in r.url and r.ok else None)
                start = time.perf_counter()
                field = page.locator("input.md-search__input")
                field.click()
                field.press_sequentially(query, delay=30)
                page.wait_for_selector(".md-search-result__item", timeout=120000)
                page.wait_for_load_state("networkidle")
                out[f"search_{lang}_kib"] = sum(fetched.values()) / 1024
                out[f"search_{lang}_requests"] = len(fetched)
                out[f"search_{lang}_s"] = time.perf_counter() - start
                page.close()
            browser.close()
    finally:
        server.shutdown()
    out["search_bundle_kib"] = sum(
        p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file()) / 1024
    return out


def index_seconds(site: Path) -> dict[str, float]:
    """Pagefind's indexing of the built site alone (run again over it): wall and CPU seconds
    (the indexer is a child process: its CPU time is the children's)."""
    from mechatlas.site.search_index import index_site

    start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    index_site(site)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"search_index_s": time.perf_counter() - start,
            "search_index_cpu_s": (after.ru_utime - before.ru_utime)
            + (after.ru_stime - before.ru_stime)}


if __name__ == "__main__":
    target = Path(sys.argv[1])
    print(json.dumps({**measure(target), **index_seconds(target)}, indent=1,
                     ensure_ascii=False))
