"""The ``mechatlas`` command: check, and the other contributor tools.

Every subcommand reports problems as ``path:line:col: code: message`` and
exits 1 on errors, 0 otherwise, 2 on a wrong call; never a traceback on bad
input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from mechatlas.diagnostics import Severity, format_github, format_plain, has_errors
from mechatlas.pipeline import load_project

FORMATTERS = {"plain": format_plain, "github": format_github}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mechatlas",
        description="Mechanism Atlas contributor tools. Run at the repository root.",
    )
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="repository root (default: the current directory)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    check = commands.add_parser(
        "check", help="validate content/ and references.bib",
        description="Validate every entry and reference; print one line per problem.")
    check.add_argument("--format", choices=sorted(FORMATTERS), default="plain",
                       help="plain lines, or GitHub Actions annotations")
    check.add_argument("--strict", action="store_true",
                       help="treat warnings (missing translations) as errors")
    check.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    check.set_defaults(run=run_check)
    return parser


def run_check(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    if not (root / "content").is_dir():
        print(f"mechatlas: {root} has no content/ folder; run at the repository root "
              "or pass --root", file=sys.stderr)
        return 2
    project = load_project(root)
    formatter = FORMATTERS[args.format]
    shown = [d for d in project.diagnostics if d.is_error or not args.quiet]
    for diagnostic in shown:
        print(formatter(diagnostic))
    errors = sum(d.is_error for d in project.diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in project.diagnostics)
    entries = len(project.entries)
    print(f"{entries} entries, {len(project.references)} references: "
          f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    if has_errors(project.diagnostics) or (args.strict and warnings):
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
