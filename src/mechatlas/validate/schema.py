"""Check entries against the JSON Schemas in ``schemas/``.

The same files drive editors (``# yaml-language-server: $schema=…``), so what
an editor underlines is what ``mechatlas check`` reports. Messages name the
field and, where a near miss is likely, the fix.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from mechatlas.diagnostics import Diagnostic, error
from mechatlas.load.content import Entry
from mechatlas.model.kinds import KINDS

_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean",
               list: "list", dict: "mapping", type(None): "null"}
Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(schema_dir: Path) -> Fingerprint:
    """What the compiled validators depend on: every schema file's name, size and mtime.

    Caches are keyed by it, so a schema edited while `mkdocs serve` runs is seen at the
    next rebuild instead of at the next restart.
    """
    return tuple((p.name, (stat := p.stat()).st_size, stat.st_mtime_ns)
                 for p in sorted(schema_dir.glob("*.schema.json")))


def bundled_schemas(schema_dir: Path) -> dict[str, dict[str, Any]]:
    """Each kind's schema with the shared definitions copied in: no look-ups while validating."""
    return _bundled(schema_dir, fingerprint(schema_dir))


@lru_cache(maxsize=4)
def _bundled(schema_dir: Path, _: Fingerprint) -> dict[str, dict[str, Any]]:
    shared = json.loads((schema_dir / "defs.schema.json").read_text("utf-8"))["$defs"]
    bundled = {}
    for kind in KINDS:
        schema = json.loads((schema_dir / f"{kind}.schema.json").read_text("utf-8"))
        schema["$defs"] = {**shared, **schema.get("$defs", {})}
        text = json.dumps(schema).replace('"defs.schema.json#/$defs/', '"#/$defs/')
        bundled[kind] = json.loads(text)
    return bundled


def validators(schema_dir: Path) -> dict[str, jsonschema_rs.Draft202012Validator]:
    """One 2020-12 validator per kind (jsonschema-rs): fast, and the source of every message."""
    return _validators(schema_dir, fingerprint(schema_dir))


@lru_cache(maxsize=4)
def _validators(schema_dir: Path,
                key: Fingerprint) -> dict[str, jsonschema_rs.Draft202012Validator]:
    return {kind: jsonschema_rs.Draft202012Validator(schema, validate_formats=False)
            for kind, schema in _bundled(schema_dir, key).items()}


class CompiledSchemas:
    """The validators and bundled schemas of one load, looked up once rather than once per
    entry (finding them means a glob and a stat of every schema file); read on first use."""

    def __init__(self, schema_dir: Path) -> None:
        self.schema_dir = schema_dir

    @cached_property
    def key(self) -> Fingerprint:
        return fingerprint(self.schema_dir)

    @cached_property
    def validators(self) -> dict[str, jsonschema_rs.Draft202012Validator]:
        return _validators(self.schema_dir, self.key)

    @cached_property
    def bundled(self) -> dict[str, dict[str, Any]]:
        return _bundled(self.schema_dir, self.key)


def check_schema(entry: Entry, schema_dir: Path | CompiledSchemas) -> list[Diagnostic]:
    """Schema problems of one entry; pass ``CompiledSchemas`` when checking many."""
    data = entry.data
    if not isinstance(data, dict):
        line, col = entry.document.position(())
        return [error(entry.path, line, col, "schema",
                      f"an entry is a mapping of fields, not {_type_name(data)}")]
    not_json = list(_not_json(data, ()))
    if not_json:
        return [_describe_not_json(entry, pointer, value) for pointer, value in not_json]
    compiled = schema_dir if isinstance(schema_dir, CompiledSchemas) else \
        CompiledSchemas(schema_dir)
    validator = compiled.validators[entry.kind]
    if validator.is_valid(data):
        return []
    schema = compiled.bundled[entry.kind]
    problems = [_describe(entry, err, schema) for err in validator.iter_errors(data)]
    return sorted(set(problems))


def _describe(entry: Entry, err: jsonschema_rs.ValidationError,
              schema: dict[str, Any]) -> Diagnostic:
    pointer = tuple(err.instance_path)
    doc = entry.document
    line, col = doc.position(pointer)
    where = _field_name(pointer)
    kind = err.kind
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties
                  | jsonschema_rs.ValidationErrorKind.UnevaluatedProperties):
        node = _schema_node(schema, list(err.schema_path)[:-1])
        allowed = sorted(node.get("properties", {}))
        instance = err.instance if isinstance(err.instance, dict) else {}
        unknown = [k for k in instance if k not in allowed]
        key = str(unknown[0]) if unknown else "?"
        line, col = doc.position((*pointer, unknown[0] if unknown else key), key=True)
        hint = _suggest(key, allowed)
        fix = f"did you mean '{hint}'?" if hint else f"allowed fields: {', '.join(allowed)}"
        return error(entry.path, line, col, "unknown-field",
                     f"unknown field '{key}'{_in(where)}; {fix}")
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
        return error(entry.path, line, col, "missing-field",
                     f"missing required field '{kind.property}'{_in(where)}")
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Enum):
        options = [str(o) for o in kind.options]
        hint = _suggest(str(err.instance), options)
        fix = f"did you mean '{hint}'?" if hint else f"use one of: {', '.join(options)}"
        return error(entry.path, line, col, "schema",
                     f"{where}: '{err.instance}' is not allowed; {fix}")
    if (isinstance(kind, jsonschema_rs.ValidationErrorKind.Type)
            and pointer[-1:] == ("locator",) and isinstance(err.instance, str)):
        en = json.dumps(err.instance, ensure_ascii=False)
        zh = json.dumps(_zh_locator(err.instance), ensure_ascii=False)
        return error(entry.path, line, col, "plain-locator",
                     f"{where}: a locator is read on both language sites; write it in both, "
                     f"e.g. locator: {{en: {en}, zh: {zh}}}")
    if (isinstance(kind, jsonschema_rs.ValidationErrorKind.Type)
            and isinstance(err.instance, str)
            and _is_text(_schema_node(schema, list(err.schema_path)[:-1]))):
        value = json.dumps(err.instance, ensure_ascii=False)
        return error(entry.path, line, col, "plain-text",
                     f"{where}: readers of both language sites see this; write it in both, "
                     f"e.g. {pointer[-1]}: {{en: {value}, zh: …}} (the same text twice for a "
                     f"symbol such as HLA-B1502)")
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Type):
        return error(entry.path, line, col, "schema",
                     f"{where}: expected {_expected(kind.types)}, "
                     f"found {_type_name(err.instance)}")
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Pattern) and "a-z0-9" in kind.pattern:
        return error(entry.path, line, col, "bad-id",
                     f"{where}: '{err.instance}' is not a slug; use lowercase letters, "
                     f"digits and single hyphens, e.g. '{_slugify(str(err.instance))}'")
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.MinProperties):
        return error(entry.path, line, col, "empty-text", f"{where}: give the text in en and zh")
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.MinItems
                  | jsonschema_rs.ValidationErrorKind.MinLength):
        return error(entry.path, line, col, "schema", f"{where}: must not be empty")
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.UniqueItems):
        return error(entry.path, line, col, "schema", f"{where}: lists an item twice")
    return error(entry.path, line, col, "schema", f"{where}: {err.message}")


def _not_json(value: Any, pointer: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Keys and values JSON has no word for (a number as a field name, an unquoted date)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                yield (*pointer, key), _KEY
            else:
                yield from _not_json(item, (*pointer, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _not_json(item, (*pointer, index))
    elif not isinstance(value, str | int | float | bool | None):
        yield pointer, value


_KEY = object()


def _describe_not_json(entry: Entry, pointer: tuple[Any, ...], value: Any) -> Diagnostic:
    if value is _KEY:
        line, col = entry.document.position(pointer, key=True)
        return error(entry.path, line, col, "schema",
                     f"field names are text, not {pointer[-1]!r}")
    line, col = entry.document.position(pointer)
    found = "a date" if isinstance(value, date) else f"a {type(value).__name__}"
    return error(entry.path, line, col, "schema",
                 f"{_field_name(pointer)}: expected text, found {found}; put it in quotes")


def _schema_node(schema: dict[str, Any], path: list[str | int]) -> dict[str, Any]:
    """The sub-schema at a validator's schema path, following local ``$ref`` on the way."""
    node: Any = schema
    for part in path:
        if part == "$ref":
            target: Any = schema
            for step in str(node["$ref"]).partition("#")[2].strip("/").split("/"):
                target = target[step] if step else target
            node = target
            continue
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node if isinstance(node, dict) else {}


_ZH_SECTIONS = {"Abstract": "摘要", "Introduction": "引言", "Conclusion": "结论"}


def _is_text(schema: dict[str, Any]) -> bool:
    """The shared bilingual ``text`` definition: an object of ``en`` and ``zh``."""
    return set(schema.get("properties", {})) == {"en", "zh"}


def _zh_locator(locator: str) -> str:
    """A Chinese locator to suggest: 第2.1节 for §2.1, 摘要 for Abstract, else a blank to fill."""
    section = re.fullmatch(r"§\s*([0-9.]+)", locator.strip())
    if section:
        return f"第{section.group(1)}节"
    return _ZH_SECTIONS.get(locator.strip(), "（中文位置）")


def _field_name(pointer: tuple[str | int, ...]) -> str:
    if not pointer:
        return "entry"
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p))
                   for i, p in enumerate(pointer))


def _in(where: str) -> str:
    return "" if where == "entry" else f" in {where}"


def _suggest(word: str, options: list[str]) -> str | None:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return close[0] if close else None


def _expected(expected: Any) -> str:
    names = expected if isinstance(expected, list) else [expected]
    words = {"object": "a mapping", "array": "a list", "string": "text"}
    return " or ".join(words.get(str(n), str(n)) for n in names)


def _type_name(value: Any) -> str:
    return {"list": "a list", "mapping": "a mapping", "string": "text", "null": "nothing"}.get(
        _JSON_TYPES.get(type(value), type(value).__name__),
        _JSON_TYPES.get(type(value), type(value).__name__),
    )


def _slugify(text: str) -> str:
    out = "".join(c.lower() if c.isascii() and c.isalnum() else "-" for c in text)
    return "-".join(part for part in out.split("-") if part) or "my-entry"
