"""Read one YAML entry and remember where every key and value is.

PyYAML's C composer gives nodes with marks, so we keep libyaml's speed and still
point at a line and column for any value. Duplicate keys, which YAML loaders
silently overwrite, are found on the node tree.
"""

from __future__ import annotations

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


def read_text(path: Path, display: str) -> tuple[str | None, list[Diagnostic]]:
    """Decode a file as UTF-8, or say where the first undecodable byte is."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [
            error(display, line, col, "file-encoding",
                  f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8")
        ]


def parse_yaml(text: str, display: str) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse one YAML document; syntax problems become diagnostics, never exceptions."""
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        return None, [error(display, 1, 1, "empty-file",
                            "the file has no entry; fill it in or delete it")]
    loader = _Loader(text)
    problems: list[Diagnostic] = []
    try:
        node = loader.get_single_node()
        document = YamlDocument(display, None)
        if node is not None:
            document.data = _build(node, (), document, problems, loader, set())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        last = max(1, len(text.splitlines()))
        if line > last:  # libyaml reports "end of stream" one line past a file without "\n"
            line, col = last, len(text.splitlines()[-1]) + 1 if text.splitlines() else 1
        problem = exc.problem or str(exc)
        lines = text.splitlines()
        has_tab = 0 < line <= len(lines) and "\t" in lines[line - 1]
        hint = "; indent with spaces, not tabs" if has_tab else ""
        if not hint and 0 < line <= len(lines) and re.search(r":\s+[\[{]", lines[line - 1]):
            hint = "; quote text that starts with [ or { (e.g. '[[id]] …')"
        return None, [error(display, line, col, "yaml-syntax", f"{problem}{hint}")]
    except (yaml.YAMLError, RecursionError, TypeError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return None, [error(display, 1, 1, "yaml-syntax", message)]
    finally:
        loader.dispose()
    return document, problems


_STR = "tag:yaml.org,2002:str"


def _build(node: yaml.Node, pointer: Pointer, doc: YamlDocument, out: list[Diagnostic],
           loader: Any, active: set[int]) -> Any:
    """Python value of ``node``, recording where every key and value is, in one pass.

    Plain strings (nearly every value) are taken from the node as they are; other scalars go
    through PyYAML's safe constructor, so ints, booleans, nulls and dates read as YAML says.
    A duplicate key is reported and its second value dropped.
    """
    doc.value_positions[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else loader.construct_object(node, deep=True)
    if id(node) in active:
        raise ValueError("an alias refers to a mapping or list that contains it")
    active = active | {id(node)}
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*pointer, i), doc, out, loader, active)
                for i, item in enumerate(node.value)]
    mapping: dict[Any, Any] = {}
    seen: dict[Any, int] = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise ValueError("merge keys (<<) are not supported in entries; write the fields out")
        if isinstance(key_node, yaml.ScalarNode):
            key = _build(key_node, (*pointer, "\0key"), doc, out, loader, active)
        else:
            key = str(key_node.value)
        position = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if not isinstance(key, str | int | float | bool) and key is not None:
            key = str(key)
        if key in seen:
            out.append(error(doc.path, *position, "duplicate-key",
                             f"key '{key}' appears twice in this mapping "
                             f"(first on line {seen[key]}); keep one"))
            continue
        seen[key] = position[0]
        child = (*pointer, key)
        doc.key_positions[child] = position
        mapping[key] = _build(value_node, child, doc, out, loader, active)
    doc.value_positions.pop((*pointer, "\0key"), None)
    return mapping
