"""The ``mechatlas`` command: check, and the other contributor tools.

Every subcommand reports problems as ``path:line:col: code: message`` and
exits 1 on errors, 0 otherwise, 2 on a wrong call; never a traceback on bad
input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from mechatlas.diagnostics import (
    Diagnostic,
    Severity,
    format_github,
    format_plain,
    has_errors,
)
from mechatlas.model.kinds import KINDS
from mechatlas.pipeline import BIB_FILE, load_project
from mechatlas.site.built_site import finish_site
from mechatlas.site.config_file import read_settings
from mechatlas.site.core import BuildCore
from mechatlas.site.engines import ENGINES, EngineError, build_site

FORMATTERS = {"plain": format_plain, "github": format_github}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mechatlas",
        description="Mechanism Atlas contributor tools. Run at the repository root.",
    )
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="repository root (default: the current directory)")
    # The same option after the command name ("mechatlas check --root x") works too.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=argparse.SUPPRESS,
                        help="repository root (default: the current directory)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    check = commands.add_parser(
        "check", parents=[common], help="validate content/ and references.bib",
        description="Validate every entry and reference; print one line per problem.")
    check.add_argument("--format", choices=sorted(FORMATTERS), default="plain",
                       help="plain lines, or GitHub Actions annotations")
    check.add_argument("--strict", action="store_true",
                       help="treat warnings (missing translations) as errors")
    check.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    check.add_argument("--no-cache", action="store_true",
                       help="check every file afresh, ignoring and not writing the store of "
                            "results in .mechatlas-build/ (the output is the same)")
    check.set_defaults(run=run_check, parser=check)

    new = commands.add_parser(
        "new", parents=[common], help="create a new entry from its kind's schema",
        description="Create content/<folder>/<id>.yaml with every field of the kind, each "
                    "explained, and empty texts to write in English and Chinese.")
    new.add_argument("kind", help=f"one of: {', '.join(KINDS)}")
    new.add_argument("id", help="the new entry's id: a lowercase slug such as 'ampk-mtor'")
    new.set_defaults(run=run_new, parser=new)

    coverage = commands.add_parser(
        "coverage", parents=[common], help="report translation and completeness",
        description="Count texts in English and Chinese per kind and per field, and list what "
                    "is missing: translations, evidence, claims or facts, reference data.")
    coverage.add_argument("--format", choices=("plain", "json"), default="plain",
                          help="a readable report (default), or JSON")
    coverage.set_defaults(run=run_coverage, parser=coverage)

    build = commands.add_parser(
        "build", parents=[common], help="write the generated docs tree, without MkDocs",
        description="Validate, then render every page of both languages as Markdown, with the "
                    "hand-written pages and the open-data files, into the staging folder that "
                    "mkdocs.yml names (or --out): the tree any static-site engine can build.")
    build.add_argument("--out", type=Path, help="write the tree here instead")
    build.add_argument("--site-url", help="the address the site is published at "
                                          "(default: mkdocs.yml's site_url)")
    build.add_argument("--engine", choices=ENGINES,
                       help="then build the site from the tree with this engine, without the "
                            "mechatlas plugin (docs/en/engines.md)")
    build.add_argument("--site", type=Path, default=Path("site"),
                       help="where --engine writes the site (default: site/)")
    build.set_defaults(run=run_build, parser=build)

    finish = commands.add_parser(
        "finish", parents=[common], help="the post-build steps, on a site any engine built",
        description="Run the steps that follow an engine's build (the search index per "
                    "language) on a built site folder.")
    finish.add_argument("site", type=Path, help="the built site folder")
    finish.set_defaults(run=run_finish, parser=finish)

    refs = commands.add_parser(
        "refs", parents=[common], help="list references whose data is to verify",
        description="List the records of references.bib that a person should check by hand "
                    "(no DOI, no pages, a descriptive title, known only second-hand…).")
    refs.set_defaults(run=run_refs, parser=refs)

    diff = commands.add_parser(
        "diff", parents=[common], help="what the working tree changes for readers, since REV",
        description="Compare the atlas in the working tree with the atlas at git revision REV "
                    "and report, in Markdown, what a reader would see change.")
    diff.add_argument("revision", metavar="REV", help="any revision git understands: main, "
                      "HEAD~1, a commit")
    diff.add_argument("--format", choices=("markdown", "github"), default="markdown",
                      help="Markdown (default), or a GitHub Actions job summary")
    diff.set_defaults(run=run_diff, parser=diff)
    return parser


def repository_root(args: argparse.Namespace) -> Path | None:
    """The root, or None after printing a usage message: the command needs ``content/``."""
    root: Path = args.root.resolve()
    if (root / "content").is_dir():
        return root
    args.parser.print_usage(sys.stderr)
    print(f"{args.parser.prog}: {root} has no content/ folder; run at the repository root "
          "or pass --root", file=sys.stderr)
    return None


def run_check(args: argparse.Namespace) -> int:
    root = repository_root(args)
    if root is None:
        return 2
    settings, config_problems = read_settings(root)
    # check needs no model: faster; unchanged files are answered from the store on disk.
    project = BuildCore(settings, incremental=False).check(stored=not args.no_cache)
    project.diagnostics = sorted({*config_problems, *project.diagnostics})
    formatter = FORMATTERS[args.format]
    shown = [d for d in project.diagnostics if d.is_error or not args.quiet]
    for diagnostic in shown:
        print(formatter(diagnostic))
    errors = sum(d.is_error for d in project.diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in project.diagnostics)
    entries = len(project.entries)
    print(f"{entries} entries, {len(project.citation_keys)} references: "
          f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    if has_errors(project.diagnostics) or (args.strict and warnings):
        return 1
    return 0


def run_build(args: argparse.Namespace) -> int:
    root = repository_root(args)
    if root is None:
        return 2
    settings, problems = read_settings(root)
    if args.out is not None:
        settings = replace(settings, staging=os.path.relpath(args.out.resolve(), root))
    if args.site_url is not None:
        settings = replace(settings, site_url=args.site_url)
    update = (BuildCore(settings, incremental=False).generate(force=True)
              if not problems else None)
    diagnostics = problems if update is None else update.diagnostics
    for diagnostic in diagnostics:
        print(format_plain(diagnostic))
    if has_errors(diagnostics) or update is None:
        print(f"{sum(d.is_error for d in diagnostics)} error(s): nothing was written",
              file=sys.stderr)
        return 1
    print(f"{settings.staging_dir.resolve()}: {update.count} files, {update.written} "
          "written",
          file=sys.stderr)
    if args.engine is None:
        return 0
    try:
        build_site(args.engine, root, settings, args.site.resolve())
    except EngineError as problem:
        print(f"mechatlas build: {problem}", file=sys.stderr)
        return 1
    print(f"{args.site.resolve()}: built with {args.engine}", file=sys.stderr)
    return 0


def run_finish(args: argparse.Namespace) -> int:
    root = repository_root(args)
    if root is None:
        return 2
    site: Path = args.site.resolve()
    if not (site / "index.html").is_file():
        print(f"mechatlas finish: {site} has no index.html: not a built site", file=sys.stderr)
        return 1
    finish_site(site)
    return 0


def run_new(args: argparse.Namespace) -> int:
    from mechatlas.contrib.scaffold import ScaffoldError, create_entry  # only this command's

    root = repository_root(args)
    if root is None:
        return 2
    try:
        path = create_entry(root, args.kind, args.id)
    except ScaffoldError as problem:
        print(f"mechatlas new: {problem}", file=sys.stderr)
        return 1
    print(path.relative_to(root).as_posix())
    print("Write its texts in English and Chinese, then run: mechatlas check", file=sys.stderr)
    return 0


def run_coverage(args: argparse.Namespace) -> int:
    from mechatlas.contrib.coverage import coverage_of_project, report_lines

    root = repository_root(args)
    if root is None:
        return 2
    project = load_project(root)
    coverage = coverage_of_project(project.entries, project.references)
    if args.format == "json":
        print(json.dumps(coverage.as_json(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(report_lines(coverage)))
    _note_errors(project.diagnostics)
    return 0


def run_refs(args: argparse.Namespace) -> int:
    from mechatlas.contrib.references import to_verify
    from mechatlas.load.bibtex import load_bibliography

    root = repository_root(args)
    if root is None:
        return 2
    bib = root / BIB_FILE
    references, problems = load_bibliography(bib, BIB_FILE) if bib.is_file() else ({}, [])
    listed = to_verify(references)
    for item in listed:
        print(item.line_text())
    print(f"{len(listed)} of {len(references)} references to verify", file=sys.stderr)
    _note_errors(problems)
    return 0


def run_diff(args: argparse.Namespace) -> int:
    """Exit 0 with a report, 1 when the working tree does not load, 2 for an unknown REV."""
    from mechatlas.diff.command import diff_against  # not imported by the other commands
    from mechatlas.diff.revision import RevisionError

    root = repository_root(args)
    if root is None:
        return 2
    try:
        result = diff_against(root, args.revision, args.format)
    except RevisionError as problem:
        print(f"mechatlas diff: {problem}", file=sys.stderr)
        return 2
    sys.stdout.write(result.report)
    return 0 if result.working_tree_loads else 1


def _note_errors(diagnostics: Sequence[Diagnostic]) -> None:
    errors = sum(d.is_error for d in diagnostics)
    if errors:
        print(f"note: the input has {errors} error(s), not counted here; run: mechatlas check",
              file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # the usage line of the command that was called, not of mechatlas
        getattr(args, "parser", parser).error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return int(args.run(args))
    except BrokenPipeError:  # the reader went away (``mechatlas check | head``)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as problem:  # a file that cannot be read: say which, no traceback
        where = f"{problem.filename}: " if problem.filename else ""
        print(f"mechatlas {args.command}: {where}{problem.strerror or problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as problem:  # a bug of ours, not the contributor's: one line, no traceback
        if os.environ.get("MECHATLAS_DEBUG"):
            raise
        print(f"mechatlas {args.command}: internal error ({type(problem).__name__}: {problem}); "
              "please report it with the file you changed (MECHATLAS_DEBUG=1 shows the "
              "traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
