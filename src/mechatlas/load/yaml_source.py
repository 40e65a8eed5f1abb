"""Read one YAML entry and remember where every key and value is.

PyYAML's C composer gives nodes with marks, so we keep libyaml's speed and still
point at a line and column for any value. Duplicate keys, which YAML loaders
silently overwrite, are found on the node tree.

Bounded by construction: aliases (a 600-byte "billion laughs" file would otherwise expand to
gigabytes), merge keys, unknown tags, more than ``MAX_NODES`` values and nesting deeper than
``MAX_DEPTH`` are refused, each at the place it occurs; files larger than ``MAX_FILE_BYTES``
are not parsed at all. Entries need none of these: they are small, flat records written by
hand. So the tree is composed first (libyaml bounds nesting at 1,000 levels and composes an
alias as a second reference to one node, not a copy) and the limits are met as it is turned
into data; a file with anything to refuse is read again, event by event
(``_refuse_unbounded``), which says where each problem is. A third of a first
``mechatlas check`` was that event pass on every file.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mechatlas.diagnostics import Diagnostic, error

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Pointer = tuple[str | int, ...]


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` through libyaml: for the project's own YAML (strings, synonyms,
    engine configuration), which needs no positions; several times faster than PyYAML's
    pure-Python parser on the interface strings."""
    return yaml.load(text, Loader=_Loader)


@dataclass
class YamlDocument:
    """A parsed entry: plain data plus the positions of its keys and values."""

    path: str
    data: Any
    value_positions: dict[Pointer, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Pointer, tuple[int, int]] = field(default_factory=dict)

    def position(self, pointer: Pointer, *, key: bool = False) -> tuple[int, int]:
        """Line and column of ``pointer``, or of its nearest ancestor that has one."""
        table = self.key_positions if key else self.value_positions
        probe = tuple(pointer)
        while probe:
            if probe in table:
                return table[probe]
            if not key and probe in self.key_positions:
                return self.key_positions[probe]
            probe = probe[:-1]
        return self.value_positions.get((), (1, 1))

    def release_positions(self) -> None:
        """Forget where keys and values are, once nothing will be reported in this file."""
        self.value_positions, self.key_positions = {}, {}


MAX_FILE_BYTES = 256 * 1024
"""The largest entry is about 6 KB; anything this big is not an entry written by hand."""
MAX_DEPTH = 16
"""Entries nest about five levels deep (claim → evidence → item → finding → en)."""
MAX_NODES = 20_000
"""Values in one file; the largest entry has a few hundred."""
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
"""Unicode's private-use area: the renderer's own markers live here, so input may not."""

_STANDARD_SCALARS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")
)
_NODE_TAGS: dict[type, frozenset[str]] = {
    yaml.ScalarNode: _STANDARD_SCALARS,
    yaml.SequenceNode: frozenset({"tag:yaml.org,2002:seq"}),
    yaml.MappingNode: frozenset({"tag:yaml.org,2002:map"}),
}
"""The tags a node composed without the event pass may carry; any other is its to judge."""
_COLLECTION_TAGS = {
    yaml.MappingStartEvent: "tag:yaml.org,2002:map",
    yaml.SequenceStartEvent: "tag:yaml.org,2002:seq",
}


def read_text(path: Path, display: str) -> tuple[str | None, list[Diagnostic]]:
    """Decode a file as UTF-8, or say where the first undecodable byte is.

    The column counts characters, as editors do, not bytes: a bad byte after Chinese text
    is reported where the cursor would stand.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [error(display, 1, 1, "file-too-large",
                                f"the file has {size:,} bytes, more than the {MAX_FILE_BYTES:,} "
                                "an entry may have; split it into several entries")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error(display, 1, 1, "file-unreadable",
                            f"cannot read the file: {exc.strerror or exc}")]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [error(display, 1, 1, "file-encoding",
                            "the file is UTF-16 (it starts with a UTF-16 byte-order mark); "
                            "save it as UTF-8")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        col = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        return None, [
            error(display, line, col, "file-encoding",
                  f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8")
        ]


def parse_yaml(text: str, display: str, *, compose_first: bool = True,
               ) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse one YAML document; syntax problems become diagnostics, never exceptions.

    ``compose_first=False`` always runs the event pass first: the same result, slower (the
    reference the tests hold the fast path to)."""
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        return None, [error(display, 1, 1, "empty-file",
                            "the file has no entry; fill it in or delete it")]
    if compose_first:
        # The tree is composed at once (libyaml bounds its nesting, and composes an alias as
        # a second reference, not a copy) and its size and depth are checked as it is built.
        # Anything the event pass would report, or words better (an alias, a tag, a syntax
        # error, a complex or duplicate key), goes the long way, for the same diagnostics.
        try:
            return _parse(text, display)
        except _Unscreened:
            pass
    try:
        refused = _refuse_unbounded(text, display)
    except (yaml.YAMLError, TypeError, ValueError) as exc:
        return None, [_yaml_problem(exc, text, display)]
    if refused:
        return None, refused
    return _parse(text, display, screened=True)


class _Unscreened(Exception):
    """The fast path met what the event pass describes better: take the long way."""


class _Refused(Exception):
    def __init__(self, problem: Diagnostic) -> None:
        self.problem = problem


def _parse(text: str, display: str, *, screened: bool = False,
           ) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Compose and build the tree; ``screened``: the event pass has run."""
    try:
        loader = _Loader(text)
        problems: list[Diagnostic] = []
        try:
            node = loader.get_single_node()
            document = YamlDocument(display, None)
            if node is not None:
                document.data = _build(node, (), document, problems, loader, _Budget(screened))
        finally:
            loader.dispose()
    except _Refused as refused:
        return None, [refused.problem]
    except (yaml.YAMLError, TypeError, ValueError) as exc:
        if not screened:
            raise _Unscreened from exc
        return None, [_yaml_problem(exc, text, display)]
    problems += _private_use(document, text)
    return document, problems


def _yaml_problem(exc: Exception, text: str, display: str) -> Diagnostic:
    """The diagnostic for what PyYAML raised while reading ``text``."""
    if isinstance(exc, yaml.MarkedYAMLError):
        return _syntax_error(exc, text, display)
    if isinstance(exc, yaml.reader.ReaderError):
        line, col = _offset_position(text, exc.position)
        return error(display, line, col, "yaml-syntax", _reader_message(exc))
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return error(display, 1, 1, "yaml-syntax", message)


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, display: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    last = max(1, len(lines))
    if line > last:  # libyaml reports "end of stream" one line past a file without "\n"
        line, col = last, len(lines[-1]) + 1 if lines else 1
    problem = exc.problem or str(exc)
    has_tab = 0 < line <= len(lines) and "\t" in lines[line - 1]
    hint = "; indent with spaces, not tabs" if has_tab else ""
    if not hint and 0 < line <= len(lines) and re.search(r":\s+[\[{]", lines[line - 1]):
        hint = "; quote text that starts with [ or { (e.g. '[[id]] …')"
    return error(display, line, col, "yaml-syntax", f"{problem}{hint}")


def _offset_position(text: str, byte_offset: int) -> tuple[int, int]:
    """Line and character column of a libyaml reader offset, which counts UTF-8 bytes."""
    before = text.encode("utf-8")[:byte_offset].decode("utf-8", "ignore")
    line_start = before.rfind("\n") + 1
    return before.count("\n") + 1, len(before) - line_start + 1


def _reader_message(exc: yaml.reader.ReaderError) -> str:
    character = exc.character if isinstance(exc.character, str) else ""
    code = f"U+{ord(character):04X}" if len(character) == 1 else "a control character"
    if character == "?" or not character:  # libyaml does not say which one
        code = "a control character (NUL, or another below U+0020)"
    return f"{code} is not allowed in YAML; delete it (it is often invisible in an editor)"


def _refuse_unbounded(text: str, display: str) -> list[Diagnostic]:
    """One pass over the event stream: what could make the node tree unbounded, or unsafe.

    Aliases are refused outright (counting expansions would still let a small file build a
    large tree); so are merge keys, which need them, tags other than YAML's own scalars, and
    nesting deeper than ``MAX_DEPTH``. Every problem is reported where it occurs.
    """
    problems: list[Diagnostic] = []
    anchors: dict[str, int] = {}
    stack: list[list[Any]] = []  # [is_mapping, children seen]
    nodes = aliases = 0
    first_alias = -1
    after_merge_key = False
    loader = _Loader(text)
    try:
        while loader.check_event():
            event: Any = loader.get_event()  # libyaml events always carry marks
            line, col = event.start_mark.line + 1, event.start_mark.column + 1
            if isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                if stack:
                    stack[-1][1] += 1
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            nodes += 1
            is_key = bool(stack) and stack[-1][0] and stack[-1][1] % 2 == 0
            if nodes > MAX_NODES:
                problems.append(error(display, line, col, "too-many-values",
                                      f"more than {MAX_NODES:,} values in one entry; "
                                      "split it into several entries"))
                break
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases == 1 and not after_merge_key:
                    defined = anchors.get(event.anchor or "")
                    where = f" (defined on line {defined})" if defined else ""
                    first_alias = len(problems)
                    problems.append(error(display, line, col, "yaml-alias",
                                          f"alias '*{event.anchor}' repeats the value of anchor "
                                          f"'&{event.anchor}'{where}; aliases are not allowed "
                                          "in entries: write the value out"))
                after_merge_key = False
            else:
                if event.anchor:
                    anchors.setdefault(event.anchor, line)
                problems += _tag_problem(event, display, line, col)
                if (is_key and isinstance(event, yaml.ScalarEvent) and event.value == "<<"
                        and event.implicit[0]):
                    problems.append(error(display, line, col, "yaml-merge-key",
                                          "merge keys (<<) are not allowed in entries; "
                                          "write the fields out"))
                    after_merge_key = True
                    aliases -= 1  # its alias is part of this problem, not another one
                else:
                    after_merge_key = False
            if isinstance(event, yaml.CollectionStartEvent):
                if len(stack) >= MAX_DEPTH:
                    problems.append(error(display, line, col, "too-deep",
                                          f"values nest more than {MAX_DEPTH} levels deep "
                                          "here; entries need far fewer: check the indentation"))
                    break
                stack.append([isinstance(event, yaml.MappingStartEvent), 0])
            elif stack:
                stack[-1][1] += 1
    finally:
        loader.dispose()
    if aliases > 1 and first_alias >= 0:
        first = problems[first_alias]
        problems[first_alias] = dataclasses.replace(
            first, message=f"{first.message} ({aliases - 1:,} more alias(es) in this file)")
    return problems


def _tag_problem(event: Any, display: str, line: int, col: int) -> list[Diagnostic]:
    """A tag YAML's safe schema does not define (``!!python/object``, ``!local``) is refused."""
    tag = event.tag
    if tag is None or tag == "!":
        return []
    allowed = (_COLLECTION_TAGS.get(type(event)) if isinstance(event, yaml.CollectionStartEvent)
               else None)
    if tag == allowed or (isinstance(event, yaml.ScalarEvent) and tag in _STANDARD_SCALARS):
        return []
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return [error(display, line, col, "yaml-tag",
                  f"the tag '{shown}' is not allowed in entries; delete it and write the "
                  "value plainly")]


def _private_use(document: YamlDocument, text: str) -> list[Diagnostic]:
    """Private-use characters are the renderer's internal markers: never accepted as input."""
    problems: list[Diagnostic] = []
    for line_number, line in enumerate(text.split("\n"), start=1):
        match = PRIVATE_USE.search(line)
        if match:
            problems.append(error(document.path, line_number, match.start() + 1,
                                  "private-use-character",
                                  f"U+{ord(match.group()):04X} is a private-use character, "
                                  "which the site reserves for itself; delete it"))
    return problems


_STR = "tag:yaml.org,2002:str"


class _Budget:
    """The values counted so far and the collections open, against ``MAX_NODES`` and
    ``MAX_DEPTH``: the event pass's limits, met at the same node, when it has not run."""

    def __init__(self, screened: bool) -> None:
        self.screened = screened
        self.nodes = 0
        self.depth = 0
        self._seen: set[int] = set()

    def enter(self, node: yaml.Node, display: str) -> None:
        if not self.screened:
            if node.tag not in _NODE_TAGS[type(node)]:
                raise _Unscreened  # a tag, written (!!python/object) or implied (a date, <<)
            if id(node) in self._seen:
                raise _Unscreened  # an alias: the node is composed once and met twice
            self._seen.add(id(node))
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Refused(error(display, node.start_mark.line + 1, node.start_mark.column + 1,
                                 "too-many-values", f"more than {MAX_NODES:,} values in one "
                                 "entry; split it into several entries"))
        if self.depth >= MAX_DEPTH and type(node) is not yaml.ScalarNode:
            raise _Refused(error(display, node.start_mark.line + 1, node.start_mark.column + 1,
                                 "too-deep", f"values nest more than {MAX_DEPTH} levels deep "
                                 "here; entries need far fewer: check the indentation"))


def _build(node: yaml.Node, pointer: Pointer, doc: YamlDocument, out: list[Diagnostic],
           loader: Any, budget: _Budget) -> Any:
    """Python value of ``node``, recording where every key and value is, in one pass.

    Plain strings (nearly every value) are taken from the node as they are; other scalars go
    through PyYAML's safe constructor, so ints, booleans, nulls and dates read as YAML says.
    A duplicate key is reported and its second value dropped. ``budget`` counts values and
    depth against the limits; without the event pass, it also stops at an alias (a node met
    twice) and at a tag, so the tree is walked as a tree and never beyond ``MAX_NODES``.
    """
    budget.enter(node, doc.path)
    doc.value_positions[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else loader.construct_object(node, deep=True)
    budget.depth += 1
    if isinstance(node, yaml.SequenceNode):
        items = [_build(item, (*pointer, i), doc, out, loader, budget)
                 for i, item in enumerate(node.value)]
        budget.depth -= 1
        return items
    mapping: dict[Any, Any] = {}
    seen: dict[Any, int] = {}
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            key = _build(key_node, (*pointer, "\0key"), doc, out, loader, budget)
        elif not budget.screened:
            raise _Unscreened  # the values inside a complex key are the event pass's to count
        else:
            key = str(key_node.value)
        position = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if not isinstance(key, str | int | float | bool) and key is not None:
            key = str(key)
        if key in seen:
            if not budget.screened:
                raise _Unscreened  # its value, never built, still counts for the event pass
            out.append(error(doc.path, *position, "duplicate-key",
                             f"key '{key}' appears twice in this mapping "
                             f"(first on line {seen[key]}); keep one"))
            continue
        seen[key] = position[0]
        child = (*pointer, key)
        doc.key_positions[child] = position
        mapping[key] = _build(value_node, child, doc, out, loader, budget)
    doc.value_positions.pop((*pointer, "\0key"), None)
    budget.depth -= 1
    return mapping
