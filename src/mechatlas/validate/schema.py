"""Check entries against the JSON Schemas in ``schemas/``.

The same files drive editors (``# yaml-language-server: $schema=…``), so what
an editor underlines is what ``mechatlas check`` reports. Messages name the
field and, where a near miss is likely, the fix.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from mechatlas.diagnostics import Diagnostic, error
from mechatlas.load.content import Entry
from mechatlas.model.kinds import KINDS

_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean",
               list: "list", dict: "mapping", type(None): "null"}


@cache
def bundled_schemas(schema_dir: Path) -> dict[str, dict[str, Any]]:
    """Each kind's schema with the shared definitions copied in: no look-ups while validating."""
    shared = json.loads((schema_dir / "defs.schema.json").read_text("utf-8"))["$defs"]
    bundled = {}
    for kind in KINDS:
        schema = json.loads((schema_dir / f"{kind}.schema.json").read_text("utf-8"))
        schema["$defs"] = {**shared, **schema.get("$defs", {})}
        text = json.dumps(schema).replace('"defs.schema.json#/$defs/', '"#/$defs/')
        bundled[kind] = json.loads(text)
    return bundled


@cache
def validators(schema_dir: Path) -> dict[str, Draft202012Validator]:
    """The reference validator per kind: slow, and the source of every message."""
    return {kind: Draft202012Validator(schema)
            for kind, schema in bundled_schemas(schema_dir).items()}


@cache
def fast_validators(schema_dir: Path) -> dict[str, Callable[[Any], Any]]:
    """Compiled validators (fastjsonschema, ~20x faster) to pass valid entries quickly.

    Only a "valid" answer is trusted; anything else goes to jsonschema for its messages, so
    the two can only differ in speed. The schemas use no keyword whose meaning changed after
    draft-07, which fastjsonschema implements.
    """
    compiled = {}
    for kind, schema in bundled_schemas(schema_dir).items():
        draft7 = {**schema, "$schema": "http://json-schema.org/draft-07/schema#"}
        compiled[kind] = fastjsonschema.compile(draft7)
    return compiled


def is_valid_fast(kind: str, data: Any, schema_dir: Path) -> bool:
    try:
        fast_validators(schema_dir)[kind](data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def check_schema(entry: Entry, schema_dir: Path) -> list[Diagnostic]:
    data = entry.data
    if not isinstance(data, dict):
        line, col = entry.document.position(())
        return [error(entry.path, line, col, "schema",
                      f"an entry is a mapping of fields, not a {_type_name(data)}")]
    bad_keys = [key for key in data if not isinstance(key, str)]
    if bad_keys:
        line, col = entry.document.position((bad_keys[0],), key=True)
        return [error(entry.path, line, col, "schema",
                      f"field names are text, not {bad_keys[0]!r}")]
    if is_valid_fast(entry.kind, data, schema_dir):
        return []
    validator = validators(schema_dir)[entry.kind]
    problems = [_describe(entry, err) for err in validator.iter_errors(data)]
    return sorted(set(problems))


def _describe(entry: Entry, err: ValidationError) -> Diagnostic:
    pointer = tuple(err.absolute_path)
    doc = entry.document
    line, col = doc.position(pointer)
    where = _field_name(pointer)
    if err.validator in ("additionalProperties", "unevaluatedProperties"):
        allowed = sorted(err.schema.get("properties", {}))
        unknown = [k for k in err.instance if k not in allowed]
        key = str(unknown[0]) if unknown else "?"
        line, col = doc.position((*pointer, unknown[0] if unknown else key), key=True)
        hint = _suggest(key, allowed)
        fix = f"did you mean '{hint}'?" if hint else f"allowed fields: {', '.join(allowed)}"
        return error(entry.path, line, col, "unknown-field",
                     f"unknown field '{key}'{_in(where)}; {fix}")
    if err.validator == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return error(entry.path, line, col, "missing-field",
                     f"missing required field '{missing}'{_in(where)}")
    if err.validator == "enum":
        options = [str(o) for o in err.validator_value]
        hint = _suggest(str(err.instance), options)
        fix = f"did you mean '{hint}'?" if hint else f"use one of: {', '.join(options)}"
        return error(entry.path, line, col, "schema",
                     f"{where}: '{err.instance}' is not allowed; {fix}")
    if err.validator == "type" and pointer[-1:] == ("locator",) and isinstance(err.instance, str):
        en = json.dumps(err.instance, ensure_ascii=False)
        zh = json.dumps(_zh_locator(err.instance), ensure_ascii=False)
        return error(entry.path, line, col, "plain-locator",
                     f"{where}: a locator is read on both language sites; write it in both, "
                     f"e.g. locator: {{en: {en}, zh: {zh}}}")
    if err.validator == "type" and isinstance(err.instance, str) and _is_text(err.schema):
        value = json.dumps(err.instance, ensure_ascii=False)
        return error(entry.path, line, col, "plain-text",
                     f"{where}: readers of both language sites see this; write it in both, "
                     f"e.g. {pointer[-1]}: {{en: {value}, zh: …}} (the same text twice for a "
                     f"symbol such as HLA-B1502)")
    if err.validator == "type":
        expected = err.validator_value
        return error(entry.path, line, col, "schema",
                     f"{where}: expected {_expected(expected)}, found {_type_name(err.instance)}")
    if err.validator == "pattern" and "a-z0-9" in str(err.validator_value):
        return error(entry.path, line, col, "bad-id",
                     f"{where}: '{err.instance}' is not a slug; use lowercase letters, "
                     f"digits and single hyphens, e.g. '{_slugify(str(err.instance))}'")
    if err.validator == "minProperties":
        return error(entry.path, line, col, "empty-text", f"{where}: give the text in en and zh")
    if err.validator in ("minItems", "minLength"):
        return error(entry.path, line, col, "schema", f"{where}: must not be empty")
    if err.validator == "uniqueItems":
        return error(entry.path, line, col, "schema", f"{where}: lists an item twice")
    return error(entry.path, line, col, "schema", f"{where}: {err.message}")


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


def _field_name(pointer: tuple) -> str:
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
    return " or ".join({"object": "a mapping", "array": "a list", "string": "text"}.get(n, n)
                       for n in names)


def _type_name(value: Any) -> str:
    return {"list": "a list", "mapping": "a mapping", "string": "text", "null": "nothing"}.get(
        _JSON_TYPES.get(type(value), type(value).__name__),
        _JSON_TYPES.get(type(value), type(value).__name__),
    )


def _slugify(text: str) -> str:
    out = "".join(c.lower() if c.isascii() and c.isalnum() else "-" for c in text)
    return "-".join(part for part in out.split("-") if part) or "my-entry"
