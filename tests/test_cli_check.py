"""`mechatlas check` as a contributor runs it: exit codes, output formats, bad input, bad calls."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mechatlas.cli import main

CLAIM = "content/claims/test-diet-inhibits-test-pathway.yaml"
METHOD = "content/methods/test-method.yaml"


@pytest.fixture(autouse=True)
def usage_width(monkeypatch):
    """argparse wraps usage lines to the terminal's width: fix it."""
    monkeypatch.setenv("COLUMNS", "80")


def run(capsys, *argv: str) -> tuple[int, list[str], list[str]]:
    """Exit code, stdout lines and stderr lines of one ``mechatlas`` call."""
    try:
        code = main(list(argv))
    except SystemExit as stop:  # argparse: --help and wrong calls
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def break_claim(root: Path) -> None:
    path = root / CLAIM
    path.write_text(path.read_text().replace("therapy: test-diet", "therapy: test-dite"))


def untranslate_method(root: Path) -> None:
    (root / METHOD).write_text("id: test-method\nname: {en: M}\nsummary: {en: S, zh: 乙}\n")


def test_clean_repository_exits_0_with_only_the_summary(mini_repo, capsys):
    assert run(capsys, "--root", str(mini_repo), "check") == (
        0, [], ["8 entries, 2 references: 0 error(s), 0 warning(s)"])


def test_an_error_exits_1_with_one_line_for_it(mini_repo, capsys):
    break_claim(mini_repo)
    assert run(capsys, "--root", str(mini_repo), "check") == (
        1,
        [f"{CLAIM}:3:10: unknown-id: unknown therapy 'test-dite'; did you mean 'test-diet'?"],
        ["8 entries, 2 references: 1 error(s), 0 warning(s)"],
    )


def test_a_warning_is_printed_but_does_not_fail(mini_repo, capsys):
    untranslate_method(mini_repo)
    assert run(capsys, "--root", str(mini_repo), "check") == (
        0,
        [f"{METHOD}:2:7: missing-translation: warning: name has no Chinese (zh) text"],
        ["8 entries, 2 references: 0 error(s), 1 warning(s)"],
    )


def test_strict_makes_a_warning_fail(mini_repo, capsys):
    untranslate_method(mini_repo)
    code, out, _ = run(capsys, "--root", str(mini_repo), "check", "--strict")
    assert (code, out) == (
        1, [f"{METHOD}:2:7: missing-translation: warning: name has no Chinese (zh) text"])


def test_quiet_prints_errors_only(mini_repo, capsys):
    untranslate_method(mini_repo)
    break_claim(mini_repo)
    code, out, _ = run(capsys, "--root", str(mini_repo), "check", "--quiet")
    assert (code, out) == (
        1, [f"{CLAIM}:3:10: unknown-id: unknown therapy 'test-dite'; did you mean 'test-diet'?"])


def test_github_format_prints_workflow_commands(mini_repo, capsys):
    untranslate_method(mini_repo)
    break_claim(mini_repo)
    code, out, _ = run(capsys, "--root", str(mini_repo), "check", "--format", "github")
    assert (code, out) == (1, [
        f"::error file={CLAIM},line=3,col=10,title=unknown-id::unknown-id: unknown therapy "
        "'test-dite'; did you mean 'test-diet'?",
        f"::warning file={METHOD},line=2,col=7,title=missing-translation::missing-translation: "
        "name has no Chinese (zh) text",
    ])


def test_root_may_follow_the_command_name(mini_repo, capsys):
    break_claim(mini_repo)
    code, out, _ = run(capsys, "check", "--root", str(mini_repo))
    assert (code, len(out)) == (1, 1)


@pytest.mark.parametrize(("content", "expected"), [
    (b"id: test-method\nname: {en: M, zh: \xff\xfe}\n",
     f"{METHOD}:2:19: file-encoding: byte 0xff is not UTF-8; save the file as UTF-8"),
    (b"",
     f"{METHOD}:1:1: empty-file: the file has no entry; fill it in or delete it"),
    (b"id: test-method\nname:\n\ten: M\n",
     f"{METHOD}:3:1: yaml-syntax: found character that cannot start any token; "
     "indent with spaces, not tabs"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00\x01\x00\x00\x00"
     b"\x10\x6b\x00\x00\x00\x00\x00\x00@\x00\x00\x00\x00\x00\x00\x00\xd0",
     f"{METHOD}:1:41: file-encoding: byte 0xd0 is not UTF-8; save the file as UTF-8"),
], ids=["not-utf8", "empty", "tabs", "binary"])
def test_bad_file_gives_one_line_and_no_traceback(mini_repo, capsys, content, expected):
    (mini_repo / METHOD).write_bytes(content)
    code, out, err = run(capsys, "--root", str(mini_repo), "check")
    # The claim names test-method, which no longer loads: one problem, reported once, in its
    # own file (the claim's reference to it is not a second problem).
    assert (code, out) == (1, [expected])
    assert not any("Traceback" in line for line in err)


def test_malformed_bibtex_gives_lines_and_no_traceback(mini_repo, capsys):
    (mini_repo / "references.bib").write_bytes(b"@article{broken,\n  title = {Unclosed\n\x00\xff")
    code, out, err = run(capsys, "--root", str(mini_repo), "check")
    assert code == 1
    assert out and all(line.startswith(("references.bib:", "content/")) for line in out)
    assert not any("Traceback" in line for line in err)


def test_an_internal_error_is_one_line_not_a_traceback(mini_repo, capsys, monkeypatch):
    def broken(root, **options):
        raise TypeError("'int' object is not iterable")

    monkeypatch.setattr("mechatlas.site.core.load_project", broken)  # what check calls
    monkeypatch.delenv("MECHATLAS_DEBUG", raising=False)
    assert run(capsys, "--root", str(mini_repo), "check") == (1, [], [
        "mechatlas check: internal error (TypeError: 'int' object is not iterable); please "
        "report it with the file you changed (MECHATLAS_DEBUG=1 shows the traceback)"])


def test_outside_a_repository_prints_usage_and_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "check") == (2, [], [
        "usage: mechatlas check [-h] [--root ROOT] [--format {github,plain}] [--strict]",
        "                       [--quiet] [--no-cache]",
        f"mechatlas check: {tmp_path.resolve()} has no content/ folder; run at the repository "
        "root or pass --root",
    ])


@pytest.mark.parametrize("command", ["check", "new", "coverage", "build", "refs", "diff"])
def test_every_command_has_help(capsys, command):
    code, out, _ = run(capsys, command, "--help")
    assert (code, out[0].split()[:3]) == (0, ["usage:", "mechatlas", command])


def test_help_of_the_program_lists_every_command(capsys):
    code, out, _ = run(capsys, "--help")
    listed = [line.split()[0] for line in out if line.startswith("    ") and line.strip()]
    assert (code, listed) == (0, ["check", "new", "coverage", "build", "finish", "refs", "diff"])


@pytest.mark.parametrize(("argv", "usage", "message"), [
    ([], "usage: mechatlas [-h] [--root ROOT] COMMAND ...",
     "mechatlas: error: the following arguments are required: COMMAND"),
    (["chek"], "usage: mechatlas [-h] [--root ROOT] COMMAND ...",
     "mechatlas: error: argument COMMAND: invalid choice: 'chek'"),
    (["check", "--strickt"], "usage: mechatlas check [-h] [--root ROOT] [--format {github,plain}] "
     "[--strict]", "mechatlas check: error: unrecognized arguments: --strickt"),
    (["new", "therapy"], "usage: mechatlas new [-h] [--root ROOT] kind id",
     "mechatlas new: error: the following arguments are required: id"),
], ids=["no-command", "unknown-command", "unknown-option", "missing-argument"])
def test_wrong_call_prints_usage_and_exits_2(capsys, argv, usage, message):
    code, out, err = run(capsys, *argv)
    # The end of argparse's messages ("choose from …") differs between Python versions.
    assert (code, out, err[0], err[-1][: len(message)]) == (2, [], usage, message)


def test_console_script_runs_without_a_traceback(mini_repo):
    (mini_repo / METHOD).write_bytes(b"\xff\xfe\x00junk")
    result = subprocess.run([sys.executable, "-m", "mechatlas.cli", "check"], cwd=mini_repo,
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout.splitlines()[-1]) == (
        1, f"{METHOD}:1:1: file-encoding: the file is UTF-16 (it starts with a UTF-16 "
           "byte-order mark); save it as UTF-8")
    assert "Traceback" not in result.stderr


def test_a_plain_string_locator_is_a_located_error_with_the_bilingual_form(mini_repo, capsys):
    fact = "content/facts/test-diet-ratio.yaml"
    path = mini_repo / fact
    path.write_text(path.read_text().replace('locator: {en: "§1", zh: "第1节"}', 'locator: "§1"'))
    code, out, _ = run(capsys, "--root", str(mini_repo), "check")
    assert (code, out) == (1, [
        f'{fact}:9:39: plain-locator: source.locator: a locator is read on both language sites; '
        'write it in both, e.g. locator: {en: "§1", zh: "第1节"}'])


def test_chinese_typography_is_a_located_warning(mini_repo, capsys):
    path = mini_repo / CLAIM
    path.write_text(path.read_text().replace("zh: 该饮食在癫痫大鼠中抑制该通路。",
                                             "zh: 该饮食(在癫痫大鼠中)抑制该通路。"))
    code, out, _ = run(capsys, "--root", str(mini_repo), "check")
    assert (code, out) == (0, [
        f"{CLAIM}:9:7: typography: warning: statement.zh: use full-width （） around Chinese "
        "text: “该饮食(在癫痫大鼠中”"])


def test_a_plain_string_where_both_languages_are_read_is_a_located_error(mini_repo, capsys):
    (mini_repo / METHOD).write_text("id: test-method\nname: gain-of-function\n"
                                    "summary: {en: S, zh: 乙}\n")
    code, out, _ = run(capsys, "--root", str(mini_repo), "check")
    assert (code, out) == (1, [
        f'{METHOD}:2:7: plain-text: name: readers of both language sites see this; write it in '
        'both, e.g. name: {en: "gain-of-function", zh: …} (the same text twice for a symbol '
        'such as HLA-B1502)'])
