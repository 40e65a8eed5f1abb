"""An ``AtlasDiff`` in words: Markdown for a terminal or a review, or a GitHub job summary.

Every piece of entry text is escaped for Markdown and HTML before it is written, so an
entry cannot inject markup into the pull request page. Text changes are shown as the
changed words in their context (``~~old~~ **new**``), with the numbers that changed.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from mechatlas.diagnostics import Diagnostic, format_plain
from mechatlas.diff.compare import AtlasDiff, ChangedEntry, EntryRef, Moved, Rename
from mechatlas.diff.entries import Change, as_dict, has_page
from mechatlas.diff.summaries import CONDITION_PAGE, THERAPY_PAGE, Labels

FORMATS = ("markdown", "github")
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese"}
CONTEXT_TOKENS = 6
"""Unchanged words shown on each side of a changed passage."""
QUOTE_LIMIT = 160
"""Characters of an added or removed text shown in full before it is cut."""

_MARKDOWN_SPECIAL = re.compile(r"[\\`*\[\]|~<>&]|(?<!\w)_|_(?!\w)")
"""What can open markup mid-line: emphasis, code, links, tables, strike-through, HTML."""
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_TOKENS = re.compile(r"\s+|[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]"
                     r"|[^\W\u3400-\u9fff\uf900-\ufaff]+|[^\w\s]")
_MARKUP = re.compile(r"\[\[[^\]]*\]\]|\[[^\]]*@[^\]]*\]")
"""Links and citations: the years in citation keys are not numbers of the finding."""
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:\s?%)?")


def md(value: object) -> str:
    """Entry text safe in Markdown and HTML: special characters escaped, lines joined."""
    text = " ".join(str(value).split())
    return _MARKDOWN_SPECIAL.sub(lambda m: _HTML.get(m.group(0), "\\" + m.group(0)), text)


def code(value: object) -> str:
    """An id or path as inline code; anything a code span cannot hold is escaped instead."""
    text = str(value)
    if not text or "`" in text or "\n" in text:
        return md(text)
    return f"`{text}`"


def quote(text: str | None) -> str:
    if not text:
        return "(empty)"
    cut = text if len(text) <= QUOTE_LIMIT else text[:QUOTE_LIMIT].rstrip() + "…"
    return f"“{md(cut)}”"


def changed_words(before: str, after: str) -> str:
    """The changed passages of a text, each in a little context: ``…a ~~b~~ **c** d…``."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    pieces: list[str] = []
    for group in matcher.get_grouped_opcodes(CONTEXT_TOKENS):
        out: list[str] = []
        for op, i1, i2, j1, j2 in _join_across_spaces(group, old):
            if op == "equal":
                out.append(_md_edges("".join(old[i1:i2])))
                continue
            gone, came = "".join(old[i1:i2]), "".join(new[j1:j2])
            marked = " ".join(part for part in (
                f"~~{md(gone)}~~" if gone.strip() else "",
                f"**{md(came)}**" if came.strip() else "") if part)
            out.append(_md_edges(gone + came, marked))
        start = "" if group[0][1] == 0 else "…"
        end = "" if group[-1][2] == len(old) else "…"
        pieces.append(f"{start}{''.join(out).strip()}{end}")
    return " ".join(pieces)


Opcode = tuple[str, int, int, int, int]


def _join_across_spaces(group: list[Opcode], old: list[str]) -> list[Opcode]:
    """One change for 'epileptic rats' → 'rats with epilepsy', not two around a space."""
    joined: list[Opcode] = []
    for opcode in group:
        if (len(joined) >= 2 and opcode[0] != "equal" and joined[-1][0] == "equal"
                and joined[-2][0] != "equal"
                and "".join(old[joined[-1][1]:joined[-1][2]]).isspace()):
            joined.pop()
            first = joined.pop()
            joined.append(("replace", first[1], opcode[2], first[3], opcode[4]))
        elif joined and opcode[0] != "equal" and joined[-1][0] != "equal":
            first = joined.pop()
            joined.append(("replace", first[1], opcode[2], first[3], opcode[4]))
        else:
            joined.append(opcode)
    return joined


def _md_edges(text: str, inner: str | None = None) -> str:
    """``inner`` (default: ``text`` escaped) with one space kept where ``text`` has one."""
    lead = " " if text[:1].isspace() else ""
    tail = " " if text[-1:].isspace() and text.strip() else ""
    body = md(text) if inner is None else inner
    return f"{lead}{body}{tail}" if body else lead


def number_change(before: str, after: str) -> str:
    """'numbers 35% → 40%' when the numbers of a text differ, else ''."""
    old, new = (_NUMBER.findall(_MARKUP.sub(" ", text)) for text in (before, after))
    gone = list(old)
    came = []
    for number in new:
        if number in gone:
            gone.remove(number)
        else:
            came.append(number)
    if not gone and not came:
        return ""
    return f" (numbers {', '.join(gone) or 'none'} → {', '.join(came) or 'none'})"


class Writer:
    """Turns the values of an ``AtlasDiff`` into lines, with the site's labels."""

    def __init__(self, diff: AtlasDiff, labels: Labels, github: bool) -> None:
        self.diff = diff
        self.labels = labels
        self.github = github

    # --- values ----------------------------------------------------------------------
    def name(self, entity_id: str) -> str:
        return md(self.diff.names.get(entity_id, entity_id))

    def named(self, entity_id: str) -> str:
        return f"{self.name(entity_id)} ({code(entity_id)})"

    def value(self, field: str, value: Any) -> str:
        """A field's value in words: design labels, entity names, evidence in brief."""
        last = field.rsplit(" › ", 1)[-1]
        if isinstance(value, list):
            return ", ".join(self.value(field, item) for item in value) or "(none)"
        if isinstance(value, dict):
            if "design" in value or "finding" in value:
                return self.evidence(value)
            return ", ".join(f"{md(k)} {self.value(f'{field} › {k}', v)}"
                             for k, v in value.items())
        if last == "design" and value in self.labels.designs:
            return md(self.labels.designs[value])
        if isinstance(value, str) and value in self.diff.names:
            return self.named(value)
        if isinstance(value, bool):
            return code("true" if value else "false")
        return code(value)

    def evidence(self, item: Mapping[str, Any]) -> str:
        design = self.labels.designs.get(str(item.get("design")), str(item.get("design")))
        studied = as_dict(item.get("studied_in"))
        where = studied.get("condition", "not-stated")
        population = self.name(where) if where in self.diff.names else md(where)
        finding = as_dict(item.get("finding"))
        return (f"{md(design)}, {md(item.get('direction'))}, studied in "
                f"{md(studied.get('organism', 'not-stated'))} / {population}: "
                f"{quote(str(finding.get('en') or finding.get('zh') or ''))}")

    # --- lines -----------------------------------------------------------------------
    def change(self, change: Change) -> str:
        field = md(change.field)
        if change.language is not None:
            return self.text_change(field, change)
        if change.before is None:
            return f"{field} added: {self.value(change.field, change.after)}"
        if change.after is None:
            return f"{field} removed: {self.value(change.field, change.before)}"
        if isinstance(change.before, list) and isinstance(change.after, list) \
                and sorted(map(str, change.before)) == sorted(map(str, change.after)):
            return f"{field} reordered: {self.value(change.field, change.after)}"
        return (f"{field}: {self.value(change.field, change.before)} → "
                f"{self.value(change.field, change.after)}")

    def text_change(self, field: str, change: Change) -> str:
        language = LANGUAGE_NAMES[change.language or "en"]
        other = LANGUAGE_NAMES["zh" if change.language == "en" else "en"]
        before, after = change.before, change.after
        if change.other_language_changed:
            head = f"{field}, {language}"
        else:
            head = f"{field}: **{language} changed, {other} not**"
        if not before:
            return f"{head}: added {quote(after)}"
        if not after:
            return f"{head}: removed (was {quote(before)})"
        return f"{head}: {changed_words(before, after)}{number_change(before, after)}"

    def entry(self, ref: EntryRef) -> str:
        return f"{md(ref.key.kind)} {code(ref.key.id)} — {md(ref.label)} ({code(ref.path)})"

    def rename(self, rename: Rename) -> list[str]:
        old, new = rename.old.key, rename.new.key
        noun = "page" if has_page(old) else "address"
        where = (f"; {noun} {code(rename.old.address)} → {code(rename.new.address)}"
                 if rename.old.address or rename.new.address else "")
        lines = [f"- {md(old.kind)} {code(old.id)} → {code(new.id)} — {md(rename.new.label)} "
                 f"({code(rename.old.path)} → {code(rename.new.path)}){where}"]
        if rename.followers:
            links = ", ".join(f"{md(f.key.kind)} {code(f.key.id)}" for f in rename.followers)
            lines.append(f"  - links that follow it ({len(rename.followers)}): {links}")
        else:
            lines.append("  - no other entry links to it")
        return lines

    def changed(self, item: ChangedEntry) -> list[str]:
        changes = [f"  - {self.change(c)}" for c in item.changes]
        if self.github:
            ref = item.entry
            summary = (f"{html.escape(ref.key.kind)} <code>{html.escape(ref.key.id)}</code> — "
                       f"{html.escape(ref.label)} (<code>{html.escape(ref.path)}</code>)")
            return [f"<details><summary>{summary}</summary>", "", *changes, "", "</details>",
                    ""]
        return [f"- {self.entry(item.entry)}", *changes]

    def problem(self, diagnostic: Diagnostic) -> str:
        return f"- {code(format_plain(diagnostic))}"

    # --- sections --------------------------------------------------------------------
    def lines(self) -> Iterator[str]:
        diff = self.diff
        yield f"# Atlas changes since {code(diff.revision)}"
        yield ""
        yield self.summary()
        yield from self.load_notes()
        yield from self.entries_section()
        yield from self.reader_section()
        yield from self.references_section()
        if diff.new_problems:
            yield from ("", "## New problems", "")
            yield from (self.problem(d) for d in diff.new_problems)

    def summary(self) -> str:
        diff = self.diff
        if diff.is_empty:
            return "No change a reader would see."
        readers = (len(list(self.headline_rows())) + len(diff.badges) + len(diff.marks)
                   + len(diff.conflicts))
        parts = [f"{len(diff.added)} added", f"{len(diff.removed)} removed",
                 f"{len(diff.renamed)} renamed", f"{len(diff.changed)} changed"]
        said = f"Entries: {', '.join(parts)}."
        if diff.summaries_compared:
            said += f" Reader-facing summaries that change: {readers}."
        said += f" New problems: {len(diff.new_problems)}."
        return said

    def load_notes(self) -> Iterator[str]:
        new = set(self.diff.new_problems)
        for side, errors in ((f"The atlas at {code(self.diff.revision)}", self.diff.old_errors),
                             ("The working tree", self.diff.new_errors)):
            if not errors:
                continue
            listed = [d for d in errors if d not in new]
            elsewhere = len(errors) - len(listed)
            yield ""
            yield (f"> **{side} does not load** ({len(errors)} "
                   f"error{'s' if len(errors) != 1 else ''}"
                   f"{f', {elsewhere} of them under New problems' if elsewhere else ''}), so "
                   "only entries, pages and references are compared: headline evidence, "
                   "matrix marks and conflicts are not.")
            if listed:
                yield ">"
                yield from (f"> {self.problem(d)}" for d in listed)

    def entries_section(self) -> Iterator[str]:
        diff = self.diff
        if not (diff.added or diff.removed or diff.renamed or diff.changed):
            return
        yield from ("", "## Entries")
        for title, refs in (("Added", diff.added), ("Removed", diff.removed)):
            if refs:
                yield from ("", f"**{title}**", "")
                yield from (f"- {self.entry(ref)}" for ref in refs)
        if diff.renamed:
            yield from ("", "**Renamed** (same content, new id)", "")
            for rename in diff.renamed:
                yield from self.rename(rename)
        if diff.changed:
            yield from ("", "**Changed**", "")
            for item in diff.changed:
                yield from self.changed(item)

    def reader_section(self) -> Iterator[str]:
        diff = self.diff
        rows = list(self.headline_rows())
        if not (rows or diff.badges or diff.marks or diff.conflicts or diff.pages_added
                or diff.pages_removed):
            return
        yield from ("", "## What readers see change")
        if rows:
            yield from ("", "**Headline evidence per therapy and condition**", "",
                        "| Therapy | Condition | Shown on | Before | After |",
                        "| --- | --- | --- | --- | --- |", *rows)
        if diff.badges:
            yield from ("", "**Evidence badges of claims**", "",
                        "| Claim | Before | After |", "| --- | --- | --- |")
            yield from (f"| {code(m.key[0])} | {_cell(m.before)} | {_cell(m.after)} |"
                        for m in diff.badges)
        if diff.marks:
            yield from ("", "**Matrix marks** (therapy × pathway)", "",
                        "| Therapy | Pathway | Before | After |", "| --- | --- | --- | --- |")
            yield from (f"| {self.name(m.key[0])} | {self.name(m.key[1])} | {_cell(m.before)} "
                        f"| {_cell(m.after)} |" for m in diff.marks)
        if diff.conflicts:
            yield from ("", "**Conflicts**", "")
            yield from (self.conflict(m) for m in diff.conflicts)
        if diff.pages_added or diff.pages_removed:
            yield from ("", "**Pages**", "")
            if diff.pages_added:
                yield f"- added: {', '.join(code(p) for p in diff.pages_added)}"
            if diff.pages_removed:
                yield f"- removed: {', '.join(code(p) for p in diff.pages_removed)}"

    def headline_rows(self) -> Iterator[str]:
        """One row per therapy and condition; the two pages share a row when they agree."""
        by_pair: dict[tuple[str, str], dict[str, Moved]] = {}
        for moved in self.diff.headlines:
            therapy, condition, where = moved.key
            by_pair.setdefault((therapy, condition), {})[where] = moved
        for (therapy, condition), places in by_pair.items():
            same = (len(places) == 2 and places[THERAPY_PAGE].before == places[CONDITION_PAGE]
                    .before and places[THERAPY_PAGE].after == places[CONDITION_PAGE].after)
            groups = [("therapy and condition pages", places[THERAPY_PAGE])] if same else [
                (where, places[where]) for where in (THERAPY_PAGE, CONDITION_PAGE)
                if where in places]
            for where, moved in groups:
                yield (f"| {self.name(therapy)} | {self.name(condition)} | {where} | "
                       f"{_cell(moved.before)} | {_cell(moved.after)} |")

    def conflict(self, moved: Moved) -> str:
        therapy, pathway, node = moved.key
        target = self.name(pathway) + (f" › {md(node)}" if node else "")
        about = f"{self.name(therapy)} on {target}"
        if moved.before is None:
            return f"- appears: {about} ({md(moved.after)})"
        if moved.after is None:
            return f"- disappears: {about} (was {md(moved.before)})"
        return f"- changes: {about}: {md(moved.before)} → {md(moved.after)}"

    def references_section(self) -> Iterator[str]:
        diff = self.diff
        rows = []
        if diff.references_added:
            rows.append(f"- added: {', '.join(code(k) for k in diff.references_added)}")
        if diff.references_removed:
            rows.append(f"- removed: {', '.join(code(k) for k in diff.references_removed)}")
        rows += [f"- newly to verify: {code(n.key)} ({md('; '.join(n.reasons))})"
                 for n in diff.newly_to_verify]
        if diff.no_longer_cited:
            rows.append("- no longer cited by any entry: "
                        + ", ".join(code(k) for k in diff.no_longer_cited))
        if rows:
            yield from ("", "## References", "", *rows)


def _cell(text: str | None) -> str:
    return md(text) if text else "—"


def write_report(diff: AtlasDiff, labels: Labels, fmt: str = "markdown") -> str:
    """The whole report as one string ending in a newline."""
    writer = Writer(diff, labels, github=fmt == "github")
    return "\n".join(_squeeze(writer.lines())) + "\n"


def _squeeze(lines: Iterable[str]) -> Iterator[str]:
    """No two blank lines in a row, none at the end."""
    previous = ""
    out = list(lines)
    while out and out[-1] == "":
        out.pop()
    for line in out:
        if line == "" and previous == "":
            continue
        yield line
        previous = line
