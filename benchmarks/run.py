#!/usr/bin/env python3
"""Mechanism Atlas benchmark: how the generator and the site build scale with content.

For each size (number of claims) it writes deterministic synthetic content into a
temporary copy of the repository and measures, each in a fresh process:

* ``mechatlas check`` (the contributor's command);
* the generator alone, ``mechatlas.site.generate.generate(root, staging)`` (load, validate,
  model, render, each page written as it is made, as ``mkdocs build`` runs it), split into
  ``load_project`` and rendering, with the peak memory of that process and, in a second
  run, tracemalloc's peak;
* the whole ``mkdocs build --strict`` (clean: no staging folder, no site folder), with the
  time the hook spends in the generator and the build's peak memory (its own, or, if
  larger, what it holds while the search indexer runs as its child plus the indexer's peak);
* plain MkDocs building the same number of pages per language, of the same sizes, written
  as ordinary Markdown in ``docs/en`` and ``docs/zh`` with the same ``mkdocs.yml`` minus
  the mechatlas hook (same theme, overrides, plugins incl. i18n, same nav);
* ``mkdocs serve`` (and ``mkdocs serve --dirty``): seconds from saving an edited entry to
  the served page showing the edit.

A table goes to stdout and, as its last line, one JSON object with every figure and the
ratios the targets are stated in. Usage (from the repository root, venv active):

    python benchmarks/run.py                      # 100, 1000, 10000 claims (long: ~1 h)
    python benchmarks/run.py --quick              # 100 and 200 claims, no serve: ~1 min
    python benchmarks/run.py --sizes 100,1000 --serve-sizes 1000
    python benchmarks/run.py --plot docs/assets/performance.png

Only the Python standard library and what the project installs are used (matplotlib
for ``--plot``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import page_weight  # noqa: E402
import search_bytes  # noqa: E402
import synthetic  # noqa: E402
import targets  # noqa: E402

COPIED = ("mkdocs.yml", "schemas", "docs_templates", "docs")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
ENV.pop("MECHATLAS_SITE_URL", None)
DEFAULT_SIZES = (100, 1000, 10000)
QUICK_SIZES = (100, 200)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- processes ------------------------------------------------------------------------------

def run_measured(cmd: list[str], cwd: Path, logfile: Path, timeout: float) -> dict[str, Any]:
    """Run ``cmd``; wall seconds, exit code and the child's own peak RSS (``wait4``)."""
    with open(logfile, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise TimeoutError(f"{' '.join(cmd)} took more than {timeout:.0f} s")
            time.sleep(0.01)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"s": wall, "code": proc.returncode, "peak_rss_mib": usage.ru_maxrss / 1024,
            "cpu_s": usage.ru_utime + usage.ru_stime, "load": os.getloadavg()[0]}


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def mechatlas_command() -> list[str]:
    script = Path(sys.executable).with_name("mechatlas")
    return [str(script)] if script.exists() else python("-m", "mechatlas.cli")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- repositories ---------------------------------------------------------------------------

BASE = REPO
"""Where repositories are copied from: the real repository, or its snapshot (see snapshot)."""


def tree_fingerprint(paths: list[Path]) -> tuple[str, float]:
    """sha256 over the files under ``paths`` (names and bytes), and the newest mtime."""
    digest, newest = hashlib.sha256(), 0.0
    for base in paths:
        files = [base] if base.is_file() else sorted(
            p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            name = path.relative_to(base).as_posix() if path != base else path.name
            digest.update(name.encode() + b"\0" + path.read_bytes())
            newest = max(newest, path.stat().st_mtime)
    return digest.hexdigest()[:16], newest


def snapshot(workdir: Path) -> dict[str, Any]:
    """Freeze the code and site files measured: other people edit src/ and templates while a
    long run goes on, and every size must be measured on the same code. The package source is
    copied to ``workdir/pkg`` and put first on the children's PYTHONPATH (the editable install
    would otherwise import whatever src/ holds at that moment); mkdocs.yml, schemas/,
    docs_templates/, docs/ and hooks/ are copied to ``workdir/base`` for every repository."""
    global BASE
    package = REPO / "src" / "mechatlas"
    fingerprint, newest = tree_fingerprint([package])
    pkg = workdir / "pkg"
    shutil.copytree(package, pkg / "mechatlas", ignore=shutil.ignore_patterns("__pycache__"))
    ENV["PYTHONPATH"] = os.pathsep.join(p for p in (str(pkg), ENV.get("PYTHONPATH", "")) if p)
    base = workdir / "base"
    BASE = REPO
    copy_repository(base)
    BASE = base
    site_fingerprint, _ = tree_fingerprint([base / n for n in COPIED])
    return {"src_sha256": fingerprint, "src_newest_mtime": time.strftime(
                "%Y-%m-%d %H:%M:%S", time.localtime(newest)),
            "site_files_sha256": site_fingerprint, "taken": time.strftime("%Y-%m-%d %H:%M:%S")}


def use_snapshot(other: Path) -> dict[str, Any]:
    """Measure the code another run's work directory froze (runs in parallel, same code)."""
    global BASE
    ENV["PYTHONPATH"] = os.pathsep.join(p for p in (str(other / "pkg"), ENV.get("PYTHONPATH", ""))
                                        if p)
    BASE = other / "base"
    code = other / "code.json"
    if code.is_file():
        return json.loads(code.read_text("utf-8"))
    return {"src_sha256": tree_fingerprint([other / "pkg" / "mechatlas"])[0],
            "from": str(other)}


def copy_repository(target: Path, names: tuple[str, ...] = COPIED) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        source = BASE / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)


def plain_config(text: str) -> str:
    """The project's mkdocs.yml minus the mechatlas plugin (its comment lines and options)."""
    without = re.sub(r"(?m)^(?:  #[^\n]*\n)*  - mechatlas(?::[^\n]*)?\n(?:[ ]{6,}[^\n]*\n)*", "",
                     text)
    if without == text or re.search(r"(?m)^\s+- mechatlas\b|^hooks:", without):
        raise RuntimeError("could not remove the mechatlas plugin from mkdocs.yml")
    return without


def write_plain_repository(target: Path, pages: dict[str, list[int]], seed: int) -> int:
    """Same number of pages per language, same paths, as ordinary Markdown with as much
    visible text and as many links as each generated page; returns the bytes written."""
    target.mkdir(parents=True)
    (target / "mkdocs.yml").write_text(plain_config((BASE / "mkdocs.yml").read_text("utf-8")),
                                       encoding="utf-8")
    shutil.copytree(BASE / "docs_templates", target / "docs_templates")  # theme overrides
    shutil.copytree(BASE / "schemas", target / "schemas")
    (target / "content").mkdir()  # watched by `watch:`, unused by a plain build
    (target / "references.bib").write_text("", encoding="utf-8")
    shutil.copytree(BASE / "docs" / "assets", target / "docs" / "assets")
    rng = random.Random(f"plain:{seed}:{len(pages)}")
    written = 0
    by_lang: dict[str, list[str]] = {}
    for path in sorted(pages):
        lang, rel = path.split("/", 1)
        by_lang.setdefault(lang, []).append(rel)
    for path in sorted(pages):
        lang, rel = path.split("/", 1)
        here = os.path.dirname(rel)
        others = [os.path.relpath(o, here or ".") for o in rng.sample(by_lang[lang],
                                                                       min(5, len(by_lang[lang])))
                  if o != rel]
        title = f"Page {rel}" if lang == "en" else f"页面 {rel}"
        _size, text_size, links, headings = pages[path]
        text = synthetic.plain_page(rng, lang, text_size, links, headings, title, others)
        file = target / "docs" / lang / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
        written += len(text.encode("utf-8"))
    return written


# --- measurements ---------------------------------------------------------------------------

def measure_check(root: Path, work: Path, repeat: int) -> dict[str, Any]:
    """``mechatlas check --strict`` twice over: every file checked afresh (``--no-cache``, as
    on a first run or in CI), and answered from the store the first stored run writes (the
    contributor's second run); ``check_s`` is the stored figure."""
    command = [*mechatlas_command(), "--root", str(root), "check", "--strict"]
    fresh = [run_measured([*command, "--no-cache"], root, work / "check.log", 600)
             for _ in range(repeat)]
    (root / ".mechatlas-build" / "check.json").unlink(missing_ok=True)
    stored = [run_measured(command, root, work / "check.log", 600) for _ in range(repeat + 1)]
    first, stored = stored[0], stored[1:]
    if any(r["code"] != 0 for r in (*fresh, first, *stored)):
        raise RuntimeError(f"mechatlas check failed on {root}: see {work / 'check.log'}")
    return {"check_s": min(r["s"] for r in stored),
            "check_cpu_s": min(r["cpu_s"] for r in stored),
            "check_fresh_s": min(r["s"] for r in fresh),
            "check_fresh_cpu_s": min(r["cpu_s"] for r in fresh),
            "check_writing_store_cpu_s": first["cpu_s"],
            "check_peak_mib": max(r["peak_rss_mib"] for r in (*fresh, first, *stored))}


def measure_generator(root: Path, work: Path, repeat: int, trace: bool) -> dict[str, Any]:
    reports = []
    for i in range(repeat):
        out = work / f"generator-{i}.json"
        run = run_measured(python(str(HERE / "workers.py"), "generator", str(root), str(out)),
                           root, work / "generator.log", 3600)
        if run["code"] != 0:
            raise RuntimeError(f"generator worker failed: see {work / 'generator.log'}")
        reports.append(json.loads(out.read_text("utf-8")))
    best = min(reports, key=lambda r: r["generate_s"])
    if not best["ok"]:
        raise RuntimeError(f"synthetic content has {best['errors']} error(s)")
    result = {
        "generator_s": best["generate_s"],
        "generator_cpu_s": min(r["generate_cpu_s"] for r in reports),
        "load_project_s": best["load_project_s"],
        "load_project_cpu_s": best["load_project_cpu_s"],
        "rendering_s": best["rendering_s"],
        "rendering_cpu_s": best["rendering_cpu_s"],
        "stages_s": best["stages_s"],
        "stages_cpu_s": best.get("stages_cpu_s"),
        "generator_peak_mib": max(r["peak_rss_mib"] for r in reports),
        "pages": best["pages"],
        "entries": best["entries"],
        "references": best["references"],
        "generated_files": best["files"],
    }
    if trace:
        out = work / "generator-trace.json"
        run = run_measured(python(str(HERE / "workers.py"), "generator", str(root), str(out),
                                  "--trace"), root, work / "generator.log", 7200)
        if run["code"] == 0:
            traced = json.loads(out.read_text("utf-8"))
            result["generator_tracemalloc_mib"] = traced["tracemalloc_peak_mib"]
    return result


def measure_build(root: Path, work: Path, repeat: int, timeout: float) -> dict[str, Any]:
    """Clean ``mkdocs build --strict``: staging folder and site removed before each run."""
    runs = []
    for i in range(repeat):
        shutil.rmtree(root / ".mechatlas-build", ignore_errors=True)
        site = work / "site"
        shutil.rmtree(site, ignore_errors=True)
        out = work / f"build-{i}.json"
        run = run_measured(python(str(HERE / "workers.py"), "mkdocs", str(out), "--", "build",
                                  "--strict", "-d", str(site)), root, work / "build.log", timeout)
        if run["code"] != 0:
            raise RuntimeError(f"mkdocs build failed: see {work / 'build.log'}")
        run.update(json.loads(out.read_text("utf-8")))
        runs.append(run)
    best = min(runs, key=lambda r: r["s"])
    return {"build_s": best["s"], "build_cpu_s": min(r["cpu_s"] for r in runs),
            "build_generator_s": best["generate_s"],
            "build_generator_cpu_s": min(r["generate_cpu_s"] for r in runs),
            "build_on_config_s": best["on_config_s"],
            "build_peak_mib": max(max(r["peak_rss_mib"],
                                      r["resident_at_index_mib"] + r["index_peak_rss_mib"])
                                  for r in runs),
            "build_process_peak_mib": max(r["peak_rss_mib"] for r in runs),
            "build_index_peak_mib": max(r["index_peak_rss_mib"] for r in runs),
            "build_resident_at_index_mib": max(r["resident_at_index_mib"] for r in runs),
            "build_load_avg": [round(r["load"], 2) for r in runs],
            "site_files": sum(1 for p in (work / "site").rglob("*") if p.is_file()),
            **search_bytes.measure(work / "site"),
            **search_bytes.index_seconds(work / "site"),
            "page_weight": page_weight.weights(work / "site")}


def measure_plain(root: Path, work: Path, repeat: int, timeout: float) -> dict[str, Any]:
    runs = []
    for _ in range(repeat):
        site = work / "plain-site"
        shutil.rmtree(site, ignore_errors=True)
        run = run_measured(python("-m", "mkdocs", "build", "--strict", "-d", str(site)), root,
                           work / "plain-build.log", timeout)
        if run["code"] != 0:
            raise RuntimeError(f"plain mkdocs build failed: see {work / 'plain-build.log'}")
        runs.append(run)
    best = min(runs, key=lambda r: r["s"])
    return {"plain_build_s": best["s"], "plain_cpu_s": min(r["cpu_s"] for r in runs),
            "plain_peak_mib": max(r["peak_rss_mib"] for r in runs),
            "plain_load_avg": [round(r["load"], 2) for r in runs]}


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_serve(root: Path, work: Path, entity: str, dirty: bool, edits: int,
                  startup_timeout: float, edit_timeout: float) -> dict[str, Any]:
    """Start ``mkdocs serve``, edit one therapy's English summary, time until it is served."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/therapies/{entity}/"
    entry = root / "content" / "therapies" / f"{entity}.yaml"
    original = entry.read_text("utf-8")
    # mkdocs.yml sets strict: true, and MkDocs warns on every --dirty build ("A 'dirty'
    # build is being performed…"), so --dirty only runs with --no-strict.
    cmd = python("-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "--livereload",
                 *(["--dirty", "--no-strict"] if dirty else []))
    logfile = open(work / f"serve{'-dirty' if dirty else ''}.log", "wb")  # noqa: SIM115
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=root, env=ENV, stdout=logfile, stderr=subprocess.STDOUT,
                            start_new_session=True)
    result: dict[str, Any] = {"dirty": dirty}
    try:
        while _get(url) is None:
            if proc.poll() is not None:
                raise RuntimeError(f"mkdocs serve exited: see {logfile.name}")
            if time.perf_counter() - start > startup_timeout:
                raise TimeoutError("mkdocs serve did not come up")
            time.sleep(0.1)
        result["startup_s"] = time.perf_counter() - start
        time.sleep(1.5)  # let the watcher take its first snapshot
        seconds: list[float | None] = []
        cpu: list[float | None] = []
        for n in range(edits):
            token = f"benchtoken{n}x{random.Random(n + port).randrange(10**9)}"
            edited = re.sub(r"(?m)^(summary:\n  en: )", rf"\g<1>{token} ", original, count=1)
            assert edited != original, "summary.en not found"
            cpu_start = _cpu_seconds(proc.pid)
            edit_start = time.perf_counter()
            entry.write_text(edited, encoding="utf-8")
            while True:
                page = _get(url)
                if page is not None and token in page:
                    seconds.append(time.perf_counter() - edit_start)
                    cpu.append(_cpu_seconds(proc.pid) - cpu_start)
                    break
                if proc.poll() is not None:
                    raise RuntimeError(f"mkdocs serve exited: see {logfile.name}")
                if time.perf_counter() - edit_start > edit_timeout:
                    seconds.append(None)
                    cpu.append(None)
                    break
                time.sleep(0.05)
            time.sleep(1.0)
        result["edit_to_view_s"] = seconds
        result["edit_server_cpu_s"] = cpu
        result["load_avg"] = round(os.getloadavg()[0], 2)
        valid = [s for s in seconds if s is not None]
        result["edit_to_view_max_s"] = max(valid) if len(valid) == len(seconds) else None
        valid_cpu = [s for s in cpu if s is not None]
        result["edit_server_cpu_max_s"] = max(valid_cpu) if len(valid_cpu) == len(cpu) else None
    finally:
        entry.write_text(original, encoding="utf-8")
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        logfile.close()
    return result


# --- one size ---------------------------------------------------------------------------------

def measure_size(claims: int, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    work = workdir / f"n{claims}"
    root, plain_root = work / "repo", work / "plain"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    repeat = args.repeat if args.repeat else (3 if claims <= 300 else 2 if claims <= 1000 else 1)
    timeout = args.timeout

    log(f"{claims} claims: writing synthetic content")
    copy_repository(root)
    start = time.perf_counter()
    sizes = synthetic.write_repository(root, claims, args.seed)
    result: dict[str, Any] = {"claims": claims, "counts": sizes.__dict__,
                              "content_write_s": time.perf_counter() - start, "repeat": repeat}

    log(f"{claims} claims: mechatlas check")
    result.update(measure_check(root, work, repeat))
    log(f"{claims} claims: generator (a single build into a staging folder)")
    result.update(measure_generator(root, work, repeat, trace=not args.no_trace))
    pages = result.pop("pages")
    result["pages_per_language"] = {lang: sum(1 for p in pages if p.startswith(f"{lang}/"))
                                    for lang in ("en", "zh")}
    result["page_mib"] = sum(p[0] for p in pages.values()) / 2**20
    result["page_text_mib"] = sum(p[1] for p in pages.values()) / 2**20
    result["page_links"] = sum(p[2] for p in pages.values())
    result["page_headings"] = sum(p[3] for p in pages.values())
    result["largest_pages_kib"] = {p: round(s[0] / 1024) for p, s in
                                   sorted(pages.items(), key=lambda kv: -kv[1][0])[:4]}
    log(f"{claims} claims: mkdocs build --strict")
    result.update(measure_build(root, work, repeat, timeout))
    log(f"{claims} claims: plain MkDocs, {len(pages)} pages")
    result["plain_page_mib"] = write_plain_repository(plain_root, pages, args.seed) / 2**20
    result.update(measure_plain(plain_root, work, repeat, timeout))
    save(work / "result.json", result)
    derive(result, args.clock)

    if claims in args.serve_sizes:
        entity = f"therapy-{sizes.therapies // 2}"
        for dirty in (False, True):
            log(f"{claims} claims: mkdocs serve{' --dirty' if dirty else ''}")
            try:
                served = measure_serve(root, work, entity, dirty, args.edits,
                                       startup_timeout=timeout, edit_timeout=args.edit_timeout)
            except (RuntimeError, TimeoutError) as exc:
                served = {"dirty": dirty, "error": str(exc)}
            result["serve_dirty" if dirty else "serve"] = served
    if args.lighthouse and claims == max(args.sizes):
        result["lighthouse"] = measure_lighthouse(work / "site", result["page_weight"])
    save(work / "result.json", result)
    if not args.keep:
        shutil.rmtree(work / "site", ignore_errors=True)
        shutil.rmtree(work / "plain-site", ignore_errors=True)
    log(f"{claims} claims: done ({summary_line(result)})")
    return result


def measure_lighthouse(site: Path, weight: dict[str, Any]) -> dict[str, Any]:
    """Lighthouse mobile performance of the heaviest page of each kind, both languages; only
    where node and the pinned package are installed (``npm ci --prefix benchmarks``)."""
    if not page_weight.lighthouse_available():
        log("lighthouse: not installed (npm ci --prefix benchmarks), skipped")
        return {"skipped": "lighthouse not installed"}
    log("lighthouse: heaviest page of each kind")
    pages = {name: entry["page"] for name, entry in weight["page_kinds"].items()}
    return page_weight.lighthouse(site, pages)


def derive(result: dict[str, Any], clock: str) -> None:
    """The per-size ratios, on both clocks; the unsuffixed ones on ``clock``."""
    claims = result["claims"]
    for name, suffix in (("wall", "_s"), ("cpu", "_cpu_s")):
        gen, build = result[f"generator{suffix}"], result[f"build{suffix}"]
        plain = result["plain_build_s" if name == "wall" else "plain_cpu_s"]
        result[f"generator_share_{name}"] = gen / build
        result[f"build_vs_plain_{name}"] = build / plain
        result[f"build_ms_per_claim_{name}"] = 1000 * build / claims
    result["generator_share"] = result[f"generator_share_{clock}"]
    result["build_vs_plain"] = result[f"build_vs_plain_{clock}"]
    result["build_ms_per_claim"] = result[f"build_ms_per_claim_{clock}"]


def save(path: Path, result: dict[str, Any]) -> None:
    """Each size's figures as soon as they are measured: a long run can be merged later."""
    path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


def summary_line(r: dict[str, Any]) -> str:
    return (f"check {r['check_s']:.2f}s, generator {r['generator_s']:.2f}s, "
            f"build {r['build_s']:.1f}s, plain {r['plain_build_s']:.1f}s")


# --- reporting ------------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    from importlib.metadata import version

    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "mkdocs": version("mkdocs"), "mkdocs_material": version("mkdocs-material"),
            "mkdocs_static_i18n": version("mkdocs-static-i18n"),
            "mechatlas": version("mechatlas")}


def _at(results: dict[int, dict[str, Any]], claims: int, key: str) -> Any:
    return results.get(claims, {}).get(key)


def ratios(results: dict[int, dict[str, Any]], clock: str) -> dict[str, Any]:
    """The figures the targets are stated in; times on ``clock`` (cpu or wall)."""
    def t(r: dict[str, Any], name: str) -> float:
        if name == "plain_build":
            return r["plain_cpu_s" if clock == "cpu" else "plain_build_s"]
        return r[f"{name}_cpu_s" if clock == "cpu" else f"{name}_s"]

    largest = max(results)
    big = 10000 if 10000 in results else largest
    r = results[big]
    out: dict[str, Any] = {
        "clock": clock,
        "at_claims": big,
        "generator_share": t(r, "generator") / t(r, "build"),
        "build_generator_share": t(r, "build_generator") / t(r, "build"),
        "build_vs_plain": t(r, "build") / t(r, "plain_build"),
        "check_s": t(r, "check"),
        "peak_mib": max(r[k] for k in ("build_peak_mib", "check_peak_mib",
                                       "generator_peak_mib", "plain_peak_mib")),
        "build_peak_mib": r["build_peak_mib"],
        "build_s": t(r, "build"),
        "plain_build_s": t(r, "plain_build"),
        "generator_s": t(r, "generator"),
    }
    sizes = sorted(results)
    a, b = (1000, 10000) if 1000 in results and 10000 in results else (
        (sizes[-2], sizes[-1]) if len(sizes) >= 2 else (None, None))
    if a is not None:
        out["per_claim_ratio"] = (t(results[b], "build") / b) / (t(results[a], "build") / a)
        out["generator_per_claim_ratio"] = ((t(results[b], "generator") / b)
                                            / (t(results[a], "generator") / a))
        out["per_claim_ratio_sizes"] = [a, b]
    searched = 1000 if 1000 in results else largest
    if "search_en_kib" in results[searched]:
        out["search_at_claims"] = searched
        out["search_kib"] = max(results[searched]["search_en_kib"],
                                results[searched]["search_zh_kib"])
    weighed = 1000 if "page_weight" in results.get(1000, {}) else next(
        (n for n in sorted(results, reverse=True) if "page_weight" in results[n]), None)
    if weighed is not None:
        weight = results[weighed]["page_weight"]
        out["heaviest_page_at_claims"] = weighed
        out["heaviest_page"] = weight["heaviest_page"]
        out["heaviest_page_mib"] = weight["heaviest_page_mib"]
    scored = {n: r["lighthouse"] for n, r in results.items()
              if r.get("lighthouse") and "skipped" not in r["lighthouse"]}
    if scored:
        at = max(scored)
        worst = min(scored[at].items(), key=lambda kv: kv[1]["score"])
        out["lighthouse_at_claims"] = at
        out["lighthouse_min"] = worst[1]["score"]
        out["lighthouse_worst_page"] = worst[1]["page"]
    serve_size = 1000 if "serve" in results.get(1000, {}) else next(
        (n for n in sorted(results) if "serve" in results[n]), None)
    if serve_size is not None:
        out["edit_to_view_at_claims"] = serve_size
        out["edit_to_view_s"] = results[serve_size]["serve"].get("edit_to_view_max_s")
        out["edit_to_view_dirty_s"] = results[serve_size].get("serve_dirty", {}).get(
            "edit_to_view_max_s")
        out["edit_server_cpu_s"] = results[serve_size]["serve"].get("edit_server_cpu_max_s")
        out["edit_server_cpu_dirty_s"] = results[serve_size].get("serve_dirty", {}).get(
            "edit_server_cpu_max_s")
    return out


def fmt(value: Any, spec: str = ".2f") -> str:
    return "—" if value is None else format(value, spec)


def served(r: dict[str, Any]) -> str:
    """Edit-to-view: server CPU seconds (wall seconds), the slower edit."""
    if not r:
        return "—"
    if "error" in r:
        return "error"
    cpu, wall = r.get("edit_server_cpu_max_s"), r.get("edit_to_view_max_s")
    return f"{fmt(cpu, '.1f')} ({fmt(wall, '.1f')})"


def table(results: dict[int, dict[str, Any]]) -> str:
    head = ("claims", "entries", "pages/lang", "check s", "load s", "render s", "generator s",
            "build s", "plain s", "gen share", "build/plain", "ms/claim", "peak MiB",
            "serve edit s", "serve --dirty s")
    rows = [head]
    for n in sorted(results):
        r = results[n]
        serve = r.get("serve", {})
        dirty = r.get("serve_dirty", {})

        def both(wall: float, cpu: float, spec: str = ".2f") -> str:
            return f"{cpu:{spec}} ({wall:{spec}})"

        rows.append((
            f"{n:,}", f"{r['entries']:,}", f"{r['pages_per_language']['en']:,}",
            both(r["check_s"], r["check_cpu_s"]),
            both(r["load_project_s"], r["load_project_cpu_s"]),
            both(r["rendering_s"], r["rendering_cpu_s"]),
            both(r["generator_s"], r["generator_cpu_s"]),
            both(r["build_s"], r["build_cpu_s"], ".1f"),
            both(r["plain_build_s"], r["plain_cpu_s"], ".1f"),
            f"{100 * r['generator_share']:.1f} %", f"{r['build_vs_plain']:.2f}x",
            f"{r['build_ms_per_claim']:.1f}",
            f"{max(r['build_peak_mib'], r['check_peak_mib'], r['generator_peak_mib']):.0f}",
            served(serve), served(dirty),
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


MD_HEADS = {
    "en": ("claims", "entries", "pages per language", "Markdown generated", "`check`",
           "`load_project`", "rendering", "generator", "whole build", "plain MkDocs",
           "generator share", "build / plain", "build ms per claim", "peak memory"),
    "zh": ("论断数", "条目数", "每种语言页数", "生成的 Markdown", "`check`",
           "`load_project`", "渲染", "生成器合计", "完整构建", "纯 MkDocs",
           "生成器占比", "完整构建 / 纯 MkDocs", "每条论断构建毫秒数", "内存峰值"),
}


def markdown_table(results: dict[int, dict[str, Any]], lang: str) -> str:
    """The results as a Markdown table for docs/<lang>/performance.md (CPU seconds)."""
    def sec(value: float | None) -> str:
        if value is None:
            return "—"
        return f"{value:.2f} s" if value < 10 else f"{value:.1f} s" if value < 100 else \
            f"{value:.0f} s"

    head = MD_HEADS[lang]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for n in sorted(results):
        r = results[n]
        peak = max(r[k] for k in ("build_peak_mib", "check_peak_mib", "generator_peak_mib"))
        lines.append("| " + " | ".join((
            f"{n:,}", f"{r['entries']:,}", f"{r['pages_per_language']['en']:,}",
            f"{r['page_mib']:.0f} MiB" if r["page_mib"] >= 10 else f"{r['page_mib']:.1f} MiB",
            sec(r["check_cpu_s"]), sec(r["load_project_cpu_s"]), sec(r["rendering_cpu_s"]),
            sec(r["generator_cpu_s"]), sec(r["build_cpu_s"]), sec(r["plain_cpu_s"]),
            f"{100 * r['generator_share_cpu']:.1f} %", f"{r['build_vs_plain_cpu']:.2f}×",
            f"{r['build_ms_per_claim_cpu']:.0f}", f"{peak:,.0f} MiB",
        )) + " |")
    return "\n".join(lines)


def plot(results: dict[int, dict[str, Any]], path: Path) -> None:
    """PNG of time against size; matplotlib from this interpreter or, in a virtual environment
    without it, from the base interpreter the environment was made from."""
    try:
        import matplotlib
    except ImportError:
        base = getattr(sys, "_base_executable", "")
        if not base or sys.prefix == sys.base_prefix:
            raise
        data = path.with_suffix(".plot.json")
        data.write_text(json.dumps({str(n): r for n, r in results.items()}), encoding="utf-8")
        try:
            subprocess.run([base, str(Path(__file__).resolve()), "--plot-data", str(data),
                            "--plot", str(path)], check=True)
        finally:
            data.unlink(missing_ok=True)
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(results)
    fig, ax = plt.subplots(figsize=(7.5, 4.6), dpi=120)
    series = (("whole build (mkdocs build --strict)", "build_cpu_s", "o-", "#3f51b5"),
              ("plain MkDocs, same pages", "plain_cpu_s", "s--", "#777777"),
              ("generator", "generator_cpu_s", "^-", "#e65100"),
              ("mechatlas check", "check_cpu_s", "v:", "#2e7d32"))
    for label, key, style, color in series:
        ax.plot(sizes, [results[n][key] for n in sizes], style, color=color, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(sizes, [f"{n:,}" for n in sizes])
    ax.set_xlabel("claims (entities, facts and references in proportion)")
    ax.set_ylabel("CPU seconds of the measured process")
    ax.set_title("Mechanism Atlas: build time against content size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


# --- main ---------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="comma-separated claim counts (default 100,1000,10000)")
    parser.add_argument("--quick", action="store_true",
                        help="100 and 200 claims, one run each, no serve (about a minute)")
    parser.add_argument("--serve-sizes",
                        help="sizes at which to time mkdocs serve (default: 1000 if measured, "
                             "else the smallest size; none with --quick)")
    parser.add_argument("--edits", type=int, default=2, help="edits timed per serve run")
    parser.add_argument("--repeat", type=int, default=0,
                        help="runs per measurement, the fastest kept (default 3/2/1 by size)")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                        help="time the ratios and targets use: CPU seconds of the measured "
                             "process (default; robust when other jobs share the CPUs) or "
                             "wall-clock seconds")
    parser.add_argument("--plot", type=Path, help="write a PNG of build time against size")
    parser.add_argument("--json", type=Path, help="also write the JSON result to this file")
    parser.add_argument("--workdir", type=Path,
                        help="where the temporary repositories go (default: a new temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep repositories and sites")
    parser.add_argument("--from-results", type=Path, nargs="+", metavar="WORKDIR",
                        help="measure nothing: report the per-size result.json files of "
                             "earlier runs' work directories (e.g. sizes run in parallel)")
    parser.add_argument("--markdown", action="store_true",
                        help="also print the results as Markdown tables (English, Chinese)")
    parser.add_argument("--code-from", type=Path, metavar="WORKDIR",
                        help="measure the code snapshot of another run's work directory")
    parser.add_argument("--live-src", action="store_true",
                        help="measure src/ as it is at each step instead of a snapshot taken "
                             "at the start")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc run")
    parser.add_argument("--lighthouse", action="store_true",
                        help="Lighthouse (mobile) on the heaviest page of each kind at the "
                             "largest size; needs node and npm ci --prefix benchmarks")
    parser.add_argument("--timeout", type=float, default=3600.0,
                        help="seconds allowed for one build or serve start-up")
    parser.add_argument("--edit-timeout", type=float, default=600.0,
                        help="seconds allowed for an edit to appear in mkdocs serve")
    args = parser.parse_args(argv)
    if args.sizes:
        args.sizes = tuple(int(s.replace("_", "")) for s in args.sizes.split(","))
    else:
        args.sizes = QUICK_SIZES if args.quick else DEFAULT_SIZES
    if args.quick:
        args.repeat = args.repeat or 1
        args.no_trace = True
    if args.serve_sizes is not None:
        args.serve_sizes = {int(s) for s in args.serve_sizes.split(",") if s.strip()}
    elif args.quick:
        args.serve_sizes = set()
    else:
        args.serve_sizes = {1000} if 1000 in args.sizes else {min(args.sizes)}
    return args


def main(argv: list[str] | None = None) -> int:
    if argv is None and "--plot-data" in sys.argv:  # the plot alone, see plot()
        data = Path(sys.argv[sys.argv.index("--plot-data") + 1])
        target = Path(sys.argv[sys.argv.index("--plot") + 1])
        plot({int(n): r for n, r in json.loads(data.read_text("utf-8")).items()}, target)
        return 0
    args = parse_args(argv)
    started = time.perf_counter()
    if args.from_results:
        return report_saved(args, started)
    own_workdir = args.workdir is None
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="mechatlas-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    log(f"sizes {list(args.sizes)}, serve at {sorted(args.serve_sizes)}, work in {workdir}")
    if args.code_from:
        frozen = use_snapshot(args.code_from)
    elif args.live_src:
        frozen = {"src_sha256": tree_fingerprint([REPO / "src" / "mechatlas"])[0], "live": True}
    else:
        frozen = snapshot(workdir)
    (workdir / "code.json").write_text(json.dumps(frozen) + "\n", encoding="utf-8")
    log(f"measuring mechatlas source {frozen['src_sha256']}"
        f" (PYTHONPATH={ENV.get('PYTHONPATH', 'live src/')})")
    results: dict[int, dict[str, Any]] = {}
    try:
        for claims in sorted(args.sizes):
            results[claims] = measure_size(claims, args, workdir)
    finally:
        if own_workdir and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return report(args, results, frozen, started)


def report_saved(args: argparse.Namespace, started: float) -> int:
    results: dict[int, dict[str, Any]] = {}
    codes = set()
    frozen: dict[str, Any] = {}
    for workdir in args.from_results:
        for path in sorted(workdir.glob("n*/result.json")):
            result = json.loads(path.read_text("utf-8"))
            derive(result, args.clock)
            results[int(result["claims"])] = result
        code = workdir / "code.json"
        if code.is_file():
            frozen = json.loads(code.read_text("utf-8"))
            codes.add(frozen["src_sha256"])
    if len(codes) > 1:
        log(f"warning: the runs measured different code: {sorted(codes)}")
        frozen = {**frozen, "src_sha256": " / ".join(sorted(codes))}
    return report(args, results, frozen, started)


def report(args: argparse.Namespace, results: dict[int, dict[str, Any]],
           frozen: dict[str, Any], started: float) -> int:
    summary = ratios(results, args.clock)
    figures = targets.measured(results, args.clock)
    report = {"machine": machine(), "code": frozen, "sizes": sorted(results), "seed": args.seed,
              "results": {str(n): r for n, r in results.items()}, "ratios": summary,
              "targets": figures, "total_s": time.perf_counter() - started}
    if args.plot:
        plot(results, args.plot)
        log(f"plot written to {args.plot}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    m = report["machine"]
    print(f"Code: mechatlas source {frozen['src_sha256']}"
          + (f", snapshot taken {frozen['taken']}" if "taken" in frozen else ""))
    print(f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['ram_gib']} GiB RAM, Python "
          f"{m['python']}, MkDocs {m['mkdocs']}, Material {m['mkdocs_material']}, "
          f"static-i18n {m['mkdocs_static_i18n']}")
    print("Times: CPU seconds of the measured process, wall-clock in brackets; ratios and "
          f"targets use {args.clock} time.")
    print()
    print(table(results))
    print()
    print("Targets (each at the size it is stated at; the row names the size measured):")
    print(targets.target_lines(figures))
    print()
    for n in sorted(results):
        if "page_weight" in results[n]:
            print(f"Page weight at {n:,} claims (heaviest page of each kind):")
            print(page_weight.table(results[n]["page_weight"], results[n].get("lighthouse")))
            print()
    if args.markdown:
        for lang in ("en", "zh"):
            print(markdown_table(results, lang))
            print()
    print(json.dumps(report, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
