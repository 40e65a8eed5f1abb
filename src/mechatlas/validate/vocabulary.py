"""Hold the schemas and the interface strings to the vocabularies the generator knows.

A contributor who adds a value to a schema enum gets a located error naming the one place
(``model/vocabulary.py``) that must learn it, and one who forgets a label in one language
gets a located error in that strings file, before anything is rendered.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from mechatlas.diagnostics import Diagnostic, error
from mechatlas.load.yaml_source import safe_load
from mechatlas.model.vocabulary import VOCABULARIES, Vocabulary

LANGUAGES = ("en", "zh")
DEFINITION = "src/mechatlas/model/vocabulary.py"


def check_vocabularies(root: Path) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    schemas: dict[str, tuple[str, Any]] = {}
    for vocabulary in VOCABULARIES:
        path = root / "schemas" / vocabulary.schema_file
        if not path.is_file():
            continue
        if vocabulary.schema_file not in schemas:
            text = path.read_text("utf-8")
            schemas[vocabulary.schema_file] = (text, json.loads(text))
        problems += _schema_agrees(vocabulary, *schemas[vocabulary.schema_file])
    for lang in LANGUAGES:
        strings = root / "docs_templates" / "strings" / f"{lang}.yaml"
        if strings.is_file():
            problems += _strings_label(strings.relative_to(root).as_posix(),
                                       strings.read_text("utf-8"))
    return problems


def _schema_agrees(vocabulary: Vocabulary, text: str, schema: Any) -> list[Diagnostic]:
    where = f"schemas/{vocabulary.schema_file}"
    node = schema
    for part in vocabulary.schema_pointer:
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, list):
        return [error(where, 1, 1, "vocabulary",
                      f"no {vocabulary.name} list at /{'/'.join(vocabulary.schema_pointer)}")]
    problems = []
    for value in node:
        if value not in vocabulary.values:
            line, col = _position_of(text, json.dumps(value, ensure_ascii=False))
            problems.append(error(
                where, line, col, "vocabulary",
                f"{vocabulary.name} {value!r} is unknown to the generator; add it to "
                f"{DEFINITION} (known: {', '.join(vocabulary.values)})"))
    for value in vocabulary.values:
        if value not in node:
            problems.append(error(
                where, *_position_of(text, f'"{vocabulary.schema_pointer[-2]}"'), "vocabulary",
                f"{vocabulary.name} {value!r} of {DEFINITION} is missing from the schema"))
    return problems


def _strings_label(where: str, text: str) -> list[Diagnostic]:
    try:
        strings = safe_load(text)
    except yaml.YAMLError:
        return []  # the renderer's own loader reports a broken strings file
    problems = []
    for vocabulary in VOCABULARIES:
        for section in vocabulary.labels:
            node: Any = strings
            for part in section.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            missing = [v for v in vocabulary.values if not isinstance(node, dict) or v not in node]
            if missing:
                line, col = _position_of(text, f"{section.split('.')[-1]}:")
                problems.append(error(
                    where, line, col, "vocabulary",
                    f"section '{section}' has no label for {vocabulary.name} "
                    f"{', '.join(repr(v) for v in missing)}"))
    return problems


def _position_of(text: str, needle: str) -> tuple[int, int]:
    at = text.find(needle)
    if at < 0:
        return 1, 1
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1
