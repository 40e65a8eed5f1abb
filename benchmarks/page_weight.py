#!/usr/bin/env python3
"""What a reader downloads and lays out per page: HTML bytes and DOM elements per page kind,
the heaviest page of the site, and (optionally) Lighthouse's mobile performance score.

Used by ``run.py`` on each synthetic size; also runs on its own against any built site:

    python benchmarks/page_weight.py /tmp/site                  # weights only
    python benchmarks/page_weight.py /tmp/site --lighthouse     # and Lighthouse per page kind

Lighthouse is optional and never part of the tests: it runs only when ``node`` is on the path
and the pinned package is installed (``npm ci --prefix benchmarks``, see package.json), with
Debian's chromium (``CHROME_PATH``, default /usr/bin/chromium). The site is served from
this process by the standard library's HTTP server, gzip-compressing text as static hosts
(GitHub Pages, Netlify, nginx ``gzip on``) do; ``--no-gzip`` serves the bytes as they are,
like ``python -m http.server``.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
MIB = 2**20

PAGE_KINDS = {
    "home": "", "therapy": "therapies/", "pathway": "pathways/", "condition": "conditions/",
    "gene": "genes/", "method": "methods/", "source": "sources/", "matrix": "matrix/",
    "references": "references/", "compare": "compare/",
}
"""Page kind -> the folder its pages live in (English; the Chinese twin is under ``zh/``)."""


class _ElementCounter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.elements = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1


def dom_elements(html: str) -> int:
    """Elements in the served HTML (what the parser builds before any script runs)."""
    counter = _ElementCounter()
    counter.feed(html)
    counter.close()
    return counter.elements


def kind_of(relative: str) -> str | None:
    """The page kind of a built page (``therapies/x/index.html`` -> ``therapy``)."""
    path = relative.removeprefix("zh/")
    if path == "index.html":
        return "home"
    for kind, folder in PAGE_KINDS.items():
        if folder and path.startswith(folder):
            if kind in ("matrix", "references", "compare"):
                return kind if path == f"{folder}index.html" else None
            return kind if path != f"{folder}index.html" else None
    return None


def weights(site: Path) -> dict[str, Any]:
    """The heaviest page of each kind (HTML bytes, DOM elements) and of the whole site."""
    pages = sorted(site.glob("**/index.html"))
    heaviest_site: tuple[int, str] = (0, "")
    per_kind: dict[str, dict[str, Any]] = {}
    for path in pages:
        relative = path.relative_to(site).as_posix()
        size = path.stat().st_size
        heaviest_site = max(heaviest_site, (size, relative))
        kind = kind_of(relative)
        if kind is None:
            continue
        lang = "zh" if relative.startswith("zh/") else "en"
        best = per_kind.get(f"{kind}/{lang}")
        if best is None or size > best["html_bytes"]:
            per_kind[f"{kind}/{lang}"] = {"page": relative, "html_bytes": size}
    for entry in per_kind.values():
        entry["dom_elements"] = dom_elements((site / entry["page"]).read_text("utf-8"))
    return {"heaviest_page": heaviest_site[1], "heaviest_page_bytes": heaviest_site[0],
            "heaviest_page_mib": heaviest_site[0] / MIB,
            "page_kinds": dict(sorted(per_kind.items()))}


# --- Lighthouse (optional) -------------------------------------------------------------------

def lighthouse_available() -> bool:
    return shutil.which("node") is not None and LIGHTHOUSE.exists()


class _StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the client accepts it and ``compress`` is on."""

    compress = True
    TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".bib", ".csv")

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.compress and wants and path.suffix in self.TEXT and path.is_file()):
            return super().send_head()
        if path.name == "index.html" and not self.path.split("?")[0].endswith("/"):
            return super().send_head()  # the base answers "/x" with a redirect to "/x/"
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path, compress: bool) -> http.server.ThreadingHTTPServer:
    """A static server for ``site`` on a free local port, in a background thread."""
    handler = type("Handler", (_StaticHandler,), {"compress": compress})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


AUDITS = {"lcp_s": "largest-contentful-paint", "fcp_s": "first-contentful-paint",
          "tbt_ms": "total-blocking-time", "cls": "cumulative-layout-shift",
          "speed_index_s": "speed-index"}


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    audits = report["audits"]
    out: dict[str, Any] = {"score": round(100 * (report["categories"]["performance"]["score"]
                                                 or 0))}
    for name, audit in AUDITS.items():
        value = audits[audit].get("numericValue")
        if value is not None:
            out[name] = round(value / 1000, 2) if name.endswith("_s") else round(value, 2)
    dom = audits.get("dom-size-insight", audits.get("dom-size", {})).get("details", {})
    for item in dom.get("items", []):
        if item.get("statistic") == "Total elements":
            out["dom_elements"] = item["value"]["value"]
    requests = audits.get("network-requests", {}).get("details", {}).get("items", [])
    out["transfer_kib"] = round(sum(r.get("transferSize", 0) for r in requests) / 1024)
    # Lighthouse's measure of this machine's speed at the time (a loaded shared machine reads
    # low, and its simulated blocking time reads high): say what the score was measured on.
    out["benchmark_index"] = report.get("environment", {}).get("benchmarkIndex")
    return out


def lighthouse(site: Path, pages: dict[str, str], runs: int = 1, compress: bool = True,
               chrome: str | None = None,
               reports: Path | None = None) -> dict[str, dict[str, Any]]:
    """Lighthouse mobile (simulated throttling) performance of each page; the median run."""
    server = serve(site, compress)
    port = server.server_address[1]
    env = {**os.environ, "CHROME_PATH": chrome or os.environ.get("CHROME_PATH",
                                                                 "/usr/bin/chromium")}
    results: dict[str, dict[str, Any]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="mechatlas-lh-") as tmp:
            for name, page in pages.items():
                url = f"http://127.0.0.1:{port}/{page.removesuffix('index.html')}"
                scored = []
                for i in range(runs):
                    out = Path(tmp) / f"{name.replace('/', '-')}-{i}.json"
                    subprocess.run(
                        [str(LIGHTHOUSE), url, "--only-categories=performance",
                         "--form-factor=mobile", "--output=json", f"--output-path={out}",
                         "--quiet", "--chrome-flags=--headless=new --no-sandbox"],
                        env=env, check=True, timeout=300)
                    scored.append(_summary(json.loads(out.read_text("utf-8"))))
                    if reports is not None:
                        reports.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(out, reports / out.name)
                scored.sort(key=lambda r: r["score"])
                results[name] = {"page": page, **scored[len(scored) // 2]}
    finally:
        server.shutdown()
        server.server_close()
    return results


def table(weight: dict[str, Any], scores: dict[str, dict[str, Any]] | None = None) -> str:
    lines = [f"heaviest page: {weight['heaviest_page']} "
             f"({weight['heaviest_page_bytes'] / 1024:,.0f} KiB)",
             f"  {'kind/lang':<16} {'HTML KiB':>9} {'elements':>9} {'LH':>4} {'LCP s':>6} "
             f"{'TBT ms':>7}  page"]
    for name, entry in weight["page_kinds"].items():
        score = (scores or {}).get(name, {})
        lines.append(f"  {name:<16} {entry['html_bytes'] / 1024:>9,.0f} "
                     f"{entry['dom_elements']:>9,} {score.get('score', '—'):>4} "
                     f"{score.get('lcp_s', '—'):>6} {score.get('tbt_ms', '—'):>7}  "
                     f"{entry['page']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site folder")
    parser.add_argument("--lighthouse", action="store_true",
                        help="also run Lighthouse on the heaviest page of each kind")
    parser.add_argument("--lang", default="en,zh", help="languages Lighthouse measures")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (median)")
    parser.add_argument("--no-gzip", action="store_true",
                        help="serve uncompressed, like python -m http.server")
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's JSON reports here")
    parser.add_argument("--kinds", help="only these page kinds (comma-separated)")
    parser.add_argument("--json", type=Path, help="also write the result to this file")
    args = parser.parse_args(argv)
    weight = weights(args.site)
    scores = None
    if args.lighthouse:
        if not lighthouse_available():
            print("lighthouse not installed: npm ci --prefix benchmarks", file=sys.stderr)
            return 2
        langs = tuple(args.lang.split(","))
        kinds = set(args.kinds.split(",")) if args.kinds else set(PAGE_KINDS)
        pages = {name: entry["page"] for name, entry in weight["page_kinds"].items()
                 if name.split("/")[1] in langs and name.split("/")[0] in kinds}
        scores = lighthouse(args.site, pages, runs=args.runs, compress=not args.no_gzip,
                            reports=args.reports)
    result = {**weight, "lighthouse": scores}
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), "utf-8")
    print(table(weight, scores))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
