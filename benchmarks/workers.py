"""Measured work that runs in a fresh child process, so that imports, caches and memory of
one measurement never leak into the next. Called by ``run.py``; not meant to be run by hand.

    python benchmarks/workers.py generator ROOT OUT.json [--trace]
    python benchmarks/workers.py mkdocs OUT.json -- build --strict -d SITE
"""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

_STARTED = time.perf_counter()


def _timed(store: dict[str, float], name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            store[name] += time.perf_counter() - start
            store[f"{name}_cpu"] += time.process_time() - cpu
    wrapper.__wrapped__ = fn  # type: ignore[attr-defined]
    return wrapper


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def visible_bytes(text: str) -> int:
    """Bytes of the text a reader sees: no front matter, no tags, spaces collapsed."""
    body = _TAG.sub(" ", _FRONT_MATTER.sub("", text))
    return len(_SPACE.sub(" ", body).encode("utf-8"))


def link_count(text: str) -> int:
    """Links on the page: HTML anchors and Markdown links."""
    return text.count("<a ") + text.count("](")


_HEADING = re.compile(r"^#{1,6}\s|<h[1-6][\s>]", re.M)


def heading_count(text: str) -> int:
    """Headings on the page: each starts a section of the search index."""
    return len(_HEADING.findall(_FRONT_MATTER.sub("", text)))


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _resident_mib(pid: int | str = "self", field: str = "VmRSS:") -> float:
    """A process's resident memory now (``VmRSS``) or at its highest (``VmHWM``), from Linux
    ``/proc``; 0 once the process is gone. ``ru_maxrss`` cannot say it for a child: a forked
    child starts out counting its parent's pages."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def generator(root: Path, out: Path, trace: bool) -> None:
    """The build's generator once, from nothing, as ``mkdocs build`` runs it: a single build
    that writes each page into a fresh staging folder as it renders it (``generate``), with the
    time of each stage and the size of every page."""
    import tracemalloc

    import mechatlas.pipeline as pipeline
    import mechatlas.site.core as core
    import mechatlas.site.exports as exports
    import mechatlas.site.generate as generate

    stages: dict[str, float] = defaultdict(float)
    # load_project's parts, as pipeline.py calls them
    for name in ("read_entries", "load_bibliography", "validate_entries", "build_atlas"):
        if hasattr(pipeline, name):  # the stages pipeline.py has today
            setattr(pipeline, name, _timed(stages, name, getattr(pipeline, name)))
    # the build core's parts, as core.py calls them (the exports module's at call time)
    for module, name in ((core, "load_project"), (core, "hand_written"),
                         (exports, "export_files")):
        setattr(module, name, _timed(stages, name, getattr(module, name)))

    staging = out.parent / f"{out.stem}-staging"
    if trace:
        tracemalloc.start()
    start, cpu = time.perf_counter(), time.process_time()
    result = generate.generate(root, staging)
    total, total_cpu = time.perf_counter() - start, time.process_time() - cpu
    traced_peak = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()

    pages = {}
    for path in sorted(staging.glob("*/**/*.md")) if result.project.ok else ():
        relative = path.relative_to(staging).as_posix()
        if relative.split("/", 1)[0] in ("en", "zh"):
            text = path.read_text("utf-8")
            pages[relative] = [len(text.encode("utf-8")), visible_bytes(text), link_count(text),
                               heading_count(text)]
    report = {
        "ok": result.project.ok,
        "errors": sum(d.is_error for d in result.diagnostics),
        "warnings": sum(not d.is_error for d in result.diagnostics),
        "entries": len(result.project.entries),
        "references": len(result.project.references),
        "generate_s": total,
        "generate_cpu_s": total_cpu,
        "load_project_s": stages.get("load_project", 0.0),
        "load_project_cpu_s": stages.get("load_project_cpu", 0.0),
        "rendering_s": total - stages.get("load_project", 0.0),
        "rendering_cpu_s": total_cpu - stages.get("load_project_cpu", 0.0),
        "stages_s": {k: v for k, v in stages.items() if not k.endswith("_cpu")},
        "stages_cpu_s": {k[:-4]: v for k, v in stages.items() if k.endswith("_cpu")},
        "files": result.count,
        "pages": pages,
        "peak_rss_mib": _peak_rss_mib(),
        "tracemalloc_peak_mib": traced_peak / 2**20 if traced_peak is not None else None,
    }
    out.write_text(json.dumps(report), encoding="utf-8")


def mkdocs(out: Path, argv: list[str]) -> None:
    """Run the real ``mkdocs`` command line, timing the generator calls the plugin makes."""
    import mechatlas.site.plugin as plugin
    from mechatlas.site.core import BuildCore
    from mechatlas.site.plugin import MechatlasPlugin

    spent: dict[str, float] = defaultdict(float)
    BuildCore.generate = _timed(spent, "generate", BuildCore.generate)  # type: ignore[method-assign]
    # The search indexer is a child process; the build's own memory stays resident while it
    # runs, so the build's peak is the two together.
    resident_at_index: list[float] = []
    index_peaks: list[float] = []
    real_run, finish_site = subprocess.run, plugin.finish_site

    def indexer_run(command: list[str], **options: Any) -> subprocess.CompletedProcess[bytes]:
        options.pop("check", None)
        proc = subprocess.Popen(command, **options)
        peak = 0.0
        while proc.poll() is None:
            peak = max(peak, _resident_mib(proc.pid, "VmHWM:"))
            time.sleep(0.05)
        index_peaks.append(peak)
        if proc.returncode:
            raise subprocess.CalledProcessError(proc.returncode, command)
        return subprocess.CompletedProcess(command, proc.returncode)

    def indexing(site: Path) -> None:
        resident_at_index.append(_resident_mib())
        subprocess.run = indexer_run  # type: ignore[assignment]
        try:
            finish_site(site)
        finally:
            subprocess.run = real_run
    plugin.finish_site = indexing
    MechatlasPlugin.on_config = _timed(  # type: ignore[method-assign]
        spent, "on_config", MechatlasPlugin.on_config)
    from mkdocs.__main__ import cli

    sys.argv = ["mkdocs", *argv]
    code: Any = 0
    try:
        cli()
    except SystemExit as exc:
        code = exc.code
    finally:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        out.write_text(json.dumps({"self_cpu_s": usage.ru_utime + usage.ru_stime,
                                   "self_wall_s": time.perf_counter() - _STARTED,
                                   "generate_s": spent.get("generate", 0.0),
                                   "generate_cpu_s": spent.get("generate_cpu", 0.0),
                                   "on_config_s": spent.get("on_config", 0.0),
                                   "peak_rss_mib": _peak_rss_mib(),
                                   "resident_at_index_mib": max(resident_at_index, default=0.0),
                                   "index_peak_rss_mib": max(index_peaks, default=0.0)}),
                                   encoding="utf-8")
    sys.exit(code)


def main(argv: list[str]) -> None:
    if argv[0] == "generator":
        generator(Path(argv[1]), Path(argv[2]), "--trace" in argv[3:])
    elif argv[0] == "mkdocs":
        rest = argv[2:]
        if rest and rest[0] == "--":
            rest = rest[1:]
        mkdocs(Path(argv[1]), rest)
    else:
        raise SystemExit(f"unknown worker {argv[0]!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
