"""``mechatlas new``: a new entry file, written from the JSON Schema of its kind.

The file has the ``yaml-language-server`` header (editors then complete and
check it), every required field, the optional fields worth filling in, the
others commented out, and above each field the schema's own description. Texts
are left empty, so ``mechatlas check`` fails on them, and only on them, until
the contributor writes them; values the schema requires but no text can stand
for (a therapy's id, a citation key) are valid placeholders, marked as such.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mechatlas.load.bibtex import load_bibliography
from mechatlas.model.kinds import KINDS, LANGUAGES
from mechatlas.validate.links import ID_FIELDS
from mechatlas.validate.schema import bundled_schemas

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_ID_LENGTH = 80
WIDTH = 100

LEADING = ("id", "cite", "name", "aliases", "symbol")
"""Fields written first, in this order, when the kind has them."""
TRAILING = ("summary", "scope", "related", "sources", "note", "short_name", "proper_name")
"""Fields written last, in this order; every other field goes between, in schema order."""
USEFUL_TEXTS = frozenset({"outcome"})
"""Optional texts written out: the claim's outcome labels the mechanism diagram."""


class ScaffoldError(Exception):
    """The entry cannot be created; the message is one line for the contributor."""


@dataclass(frozen=True)
class Context:
    """What placeholders are chosen from: existing ids by kind, citation keys."""

    entry_id: str
    kind: str
    ids: dict[str, list[str]] = field(default_factory=dict)
    citekeys: tuple[str, ...] = ()


def suggest_slug(text: str) -> str:
    out = "".join(c.lower() if c.isascii() and c.isalnum() else "-" for c in text)
    slug = "-".join(part for part in out.split("-") if part)[:MAX_ID_LENGTH].strip("-")
    return slug or "my-entry"


def kind_of(name: str) -> str | None:
    """A kind by name (``therapy``) or by folder (``therapies``)."""
    if name in KINDS:
        return name
    return next((k.name for k in KINDS.values() if k.folder == name), None)


_ID_LINE = re.compile(r"^id:[ \t]*[\"']?([^\"'\s#]+)", re.MULTILINE)


def existing_ids(content: Path) -> dict[str, str]:
    """Every id in use, mapped to its file (relative to the root): file names, and the ``id:``
    written in each file, which differs from its name in a repository with errors."""
    found: dict[str, str] = {}
    if content.is_dir():
        for path in sorted(content.rglob("*")):
            if path.suffix in (".yaml", ".yml") and path.is_file():
                relative = path.relative_to(content.parent).as_posix()
                found.setdefault(path.stem, relative)
                written = _ID_LINE.search(path.read_text("utf-8", errors="replace"))
                if written:
                    found.setdefault(written.group(1), relative)
    return found


def create_entry(root: Path, kind_name: str, entry_id: str) -> Path:
    """Write ``content/<folder>/<id>.yaml``; return its path. Raises ``ScaffoldError``."""
    kind = kind_of(kind_name)
    if kind is None:
        raise ScaffoldError(f"unknown kind '{kind_name}'; use one of: {', '.join(KINDS)}")
    if not SLUG.match(entry_id) or len(entry_id) > MAX_ID_LENGTH:
        raise ScaffoldError(f"'{entry_id}' is not a slug; ids use lowercase letters a-z, digits "
                            f"and single hyphens, at most {MAX_ID_LENGTH} characters: "
                            f"try '{suggest_slug(entry_id)}'")
    content = root / "content"
    used = existing_ids(content)
    if entry_id in used:
        raise ScaffoldError(f"id '{entry_id}' is already used by {used[entry_id]}; ids are "
                            "unique across all kinds")
    target = content / KINDS[kind].folder / f"{entry_id}.yaml"
    ids: dict[str, list[str]] = {}
    for other, path in used.items():
        folder = path.split("/")[1] if path.count("/") == 2 else ""
        other_kind = kind_of(folder)
        if other_kind and SLUG.match(other) and path.endswith(f"/{other}.yaml"):
            ids.setdefault(other_kind, []).append(other)
    bib = root / "references.bib"
    citekeys = tuple(sorted(load_bibliography(bib, "references.bib")[0])) if bib.is_file() else ()
    context = Context(entry_id, kind, {k: sorted(v) for k, v in ids.items()}, citekeys)
    text = scaffold(root / "schemas", context)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return target


# --- the schema, resolved ------------------------------------------------------------------


class _Schemas:
    """The kinds' schemas as ``mechatlas check`` validates them: bundled, references local."""

    def __init__(self, folder: Path) -> None:
        self.bundled = bundled_schemas(folder)
        self.current = ""

    def kind(self, kind: str) -> dict[str, Any]:
        self.current = kind
        return self.bundled[kind]

    def resolve(self, schema: Any) -> dict[str, Any]:
        """A property's schema with its ``$ref`` followed; its own description wins."""
        if not isinstance(schema, dict):
            return {}
        ref = schema.get("$ref")
        if not ref:
            return schema
        target = self._target(ref)
        merged = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        merged["$def"] = ref.rsplit("/", 1)[-1]
        if "description" not in schema and "description" in target:
            merged["description"] = target["description"]
        return merged

    def _target(self, ref: str) -> dict[str, Any]:
        node: Any = self.bundled[self.current]
        for part in ref.partition("#")[2].strip("/").split("/"):
            if part:
                node = node[part]
        return self.resolve(node)

    def properties(self, kind: str) -> tuple[list[tuple[str, dict[str, Any]]], set[str]]:
        """The kind's fields in writing order, each resolved, and the required ones."""
        schema = self.kind(kind)
        inherited: dict[str, Any] = {}
        required = set(schema.get("required", ()))
        for part in schema.get("allOf", ()):
            base = self.resolve(part)
            inherited.update(base.get("properties", {}))
            required |= set(base.get("required", ()))
        props: dict[str, dict[str, Any]] = {}
        for name, value in schema.get("properties", {}).items():
            props[name] = self.resolve(inherited[name] if value is True else value)
        lead = [n for n in LEADING if n in props]
        trail = [n for n in TRAILING if n in props and n not in lead]
        middle = [n for n in props if n not in lead and n not in trail]
        return [(n, props[n]) for n in (*lead, *middle, *trail)], required


# --- writing ---------------------------------------------------------------------------------


def scaffold(schema_dir: Path, context: Context) -> str:
    """The text of a new entry of ``context.kind``."""
    schemas = _Schemas(schema_dir)
    schema = schemas.kind(context.kind)
    lines = [
        f"# yaml-language-server: $schema=../../schemas/{context.kind}.schema.json",
        *_comment(f"{schema.get('title', context.kind)}: {schema.get('description', '')}", 0),
        *_comment("Write every empty \"\" text in English (en) and Chinese (zh), in your own "
                  "words; texts take Markdown, [[entity-id]] links and [@citekey] citations. "
                  "For a long text, write `en: >-` and the text on the lines below, indented.", 0),
        *_comment("Values marked 'stand-in' are valid but stand for yours: replace them. "
                  "Fields commented out are optional: remove the '# ' to use one. "
                  "Then run: mechatlas check", 0),
        "",
    ]
    properties, required = schemas.properties(context.kind)
    writer = _Writer(schemas, context)
    for name, prop in properties:
        lines += writer.field(name, prop, name in required, indent=0)
    return "\n".join(lines) + "\n"


def _comment(text: str, indent: int) -> list[str]:
    pad = " " * indent
    wrapped = textwrap.wrap(text, WIDTH - indent - 2, break_on_hyphens=False)
    return [f"{pad}# {line}" for line in wrapped]


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


class _Writer:
    def __init__(self, schemas: _Schemas, context: Context) -> None:
        self.schemas = schemas
        self.context = context

    def field(self, name: str, prop: dict[str, Any], required: bool, indent: int,
              parent: tuple[str, ...] = ()) -> list[str]:
        """Description comment, then the field: written out, or commented out if optional."""
        active = required or self._useful(name, prop)
        placeholder, body = self._body(name, prop, indent, (*parent, name), required)
        description = prop.get("description", "")
        if "enum" in prop:
            description += f" One of: {', '.join(str(o) for o in prop['enum'])}."
        if placeholder and active:
            description += f" (Stand-in: {placeholder}.)"
        lines = _comment(description.strip(), indent) if description.strip() else []
        if active:
            return lines + body
        pad = " " * indent
        return lines + [f"{pad}# {line[indent:]}" for line in body]

    def _useful(self, name: str, prop: dict[str, Any]) -> bool:
        if prop.get("type") == "array" and "minItems" not in prop:
            items = self.schemas.resolve(prop.get("items"))
            return items.get("type") == "string"  # ids, keys and aliases: an empty list is valid
        return prop.get("$def") == "text" and name in USEFUL_TEXTS

    def _body(self, name: str, prop: dict[str, Any], indent: int, path: tuple[str, ...],
              required: bool) -> tuple[str, list[str]]:
        """(what the placeholder stands for, or "", and the field's lines)."""
        pad = " " * indent
        kind = prop.get("$def")
        if kind == "text":
            return "", [f"{pad}{name}:", *(f"{pad}  {lang}: \"\"  # {_LANG_HELP[lang]}"
                                          for lang in LANGUAGES)]
        if name == "id" and not path[:-1]:
            return "", [f"{pad}id: {self.context.entry_id}"]
        if kind == "id":
            value, what = self._an_id(path, single=True)
            return what, [f"{pad}{name}: {value}"]
        if kind == "citekey":
            key = self.context.citekeys[0] if self.context.citekeys else "citekey"
            return "an existing key of references.bib", [f"{pad}{name}: {key}"]
        if kind == "source" or prop.get("type") == "object":
            return "", [f"{pad}{name}:", *self._mapping(prop, indent + 2, path)]
        if "enum" in prop:
            return ("the first option" if required else ""), [f"{pad}{name}: {prop['enum'][0]}"]
        if prop.get("type") == "array":
            return self._array(name, prop, indent, path)
        if prop.get("type") == "boolean":
            return "", [f"{pad}{name}: true"]
        if prop.get("type") == "integer":
            return "", [f"{pad}{name}: {prop.get('minimum', 1)}"]
        if name == "symbol":
            return "the id in capitals", [f"{pad}{name}: {self.context.entry_id.upper()}"]
        return "", [f"{pad}{name}: \"\""]

    def _array(self, name: str, prop: dict[str, Any], indent: int,
               path: tuple[str, ...]) -> tuple[str, list[str]]:
        pad = " " * indent
        items = self.schemas.resolve(prop.get("items"))
        if items.get("type") == "object":
            head = f"{pad}  - # One item; repeat the block for each further one."
            return "", [f"{pad}{name}:", head, *self._mapping(items, indent + 4, path)]
        if prop.get("minItems"):
            value, what = self._an_id(path, single=False)
            return what, [f"{pad}{name}: [{value}]"]
        return "", [f"{pad}{name}: []"]

    def _mapping(self, prop: dict[str, Any], indent: int, path: tuple[str, ...]) -> list[str]:
        required = set(prop.get("required", ()))
        lines: list[str] = []
        for child, schema in prop.get("properties", {}).items():
            lines += self.field(child, self.schemas.resolve(schema), child in required, indent,
                                path)
        return lines

    def _an_id(self, path: tuple[str, ...], single: bool) -> tuple[str, str]:
        wanted = ID_FIELDS.get((self.context.kind, path[-1]), ())
        for kind in wanted:
            found = [i for i in self.context.ids.get(kind, ()) if i != self.context.entry_id]
            if found:
                label = kind if single or len(wanted) < 3 else "entry"
                return found[0], f"an existing {label}; use the id of yours"
        return '""', ""


_LANG_HELP = {"en": "English text.", "zh": "简体中文文本。"}
