"""The injection fixture's repository: one slot per OWASP vector, and one with them all.

Each slot is a therapy, pathway, condition, gene, method, source, claim and fact whose every
reader-visible text field, in both languages, is that vector alone (``all``: every vector
at once); the BibTeX records each slot cites carry the vector in title, author, journal,
note, url and doi. Used by tests/test_security.py, built once per run (tests/conftest.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import copy_repository_frame

VECTORS_FILE = Path(__file__).resolve().parent / "fixtures" / "xss" / "vectors.json"
VECTORS: list[tuple[str, str]] = [
    (v["id"], v["text"]) for v in json.loads(VECTORS_FILE.read_text("utf-8"))["vectors"]
]
SLOTS = [f"s{i:02d}" for i in range(len(VECTORS))] + ["all"]
ENTITY_FOLDERS = {"therapy": "therapies", "pathway": "pathways", "condition": "conditions",
                  "gene": "genes", "method": "methods", "source": "sources"}


def ids(slot: str) -> dict[str, str]:
    return {kind: f"xss-{kind}-{slot}" for kind in (*ENTITY_FOLDERS, "claim", "fact")} | {
        "cite": f"xssdoe-{slot}", "cite_zh": f"xssli-{slot}"}


def slot_text(slot: str) -> str:
    """The payload of a slot: its vector alone, or every vector, one paragraph each."""
    sid = ids(slot)
    if slot == "all":
        texts = [t for _, t in VECTORS]
        joined = "\n\n".join(texts)
    else:
        joined = VECTORS[int(slot[1:])][1]
    return joined.replace("%PATHWAY%", sid["pathway"]).replace("%CITE%", sid["cite"])


def marker(slot: str) -> str:
    """A plain word after each payload: proves the payload reached the page."""
    return f"XSSMARK{slot.upper()}"


def bilingual(slot: str) -> dict[str, str]:
    payload = slot_text(slot)
    return {"en": f"{payload} {marker(slot)}", "zh": f"{payload} 中文{marker(slot)}"}


def one_line(slot: str) -> str:
    """Names, aliases, locators: the payload on one line (YAML keeps what it is given)."""
    return slot_text(slot) if slot != "all" else " ".join(t for _, t in VECTORS).replace(
        "%PATHWAY%", ids(slot)["pathway"]).replace("%CITE%", ids(slot)["cite"])


def slot_entries(slot: str) -> dict[str, dict]:
    """content/<folder>/<id>.yaml -> data, for one slot."""
    sid, text, line = ids(slot), bilingual(slot), one_line(slot)
    name = {"en": f"{line} {marker(slot)}", "zh": f"中文{line} {marker(slot)}"}
    source = {"cite": sid["cite"], "locator": {"en": line, "zh": f"中文{line}"}}
    entries = {
        f"therapies/{sid['therapy']}": {
            "id": sid["therapy"], "name": name, "aliases": [line, f"alias {marker(slot)}"],
            "category": "diet", "summary": text, "conditions": [sid["condition"]],
            "related": [sid["method"]], "sources": [sid["cite"]]},
        f"pathways/{sid['pathway']}": {
            "id": sid["pathway"], "name": name, "aliases": [line], "category": "signalling",
            "genes": [sid["gene"]], "summary": text},
        f"conditions/{sid['condition']}": {
            "id": sid["condition"], "name": name, "aliases": [line], "summary": text},
        f"genes/{sid['gene']}": {
            "id": sid["gene"], "name": name, "aliases": [line], "symbol": line,
            "summary": text, "conditions": [sid["condition"]], "pathways": [sid["pathway"]],
            "variants": [{"name": {"en": line, "zh": f"中文{line}"}, "note": text,
                          "source": source}]},
        f"methods/{sid['method']}": {
            "id": sid["method"], "name": name, "aliases": [line], "category": "imaging",
            "summary": text},
        f"sources/{sid['source']}": {
            "id": sid["source"], "cite": sid["cite"], "name": name, "kind": "narrative-review",
            "summary": text, "scope": text, "note": text},
        f"claims/{sid['claim']}": {
            "id": sid["claim"], "therapy": sid["therapy"], "effect": "inhibits",
            "pathway": sid["pathway"], "condition": sid["condition"], "statement": text,
            "outcome": text, "note": text, "genes": [sid["gene"]], "methods": [sid["method"]],
            "evidence": [{"design": "animal",
                          "studied_in": {"organism": "animal", "condition": "other"},
                          "model": text, "finding": text,
                          "direction": "supports", "source": {**source, "therein": 6,
                                                              "primary": sid["cite_zh"]}}]},
        f"facts/{sid['fact']}": {
            "id": sid["fact"], "category": "outcome",
            "subjects": [sid["therapy"], sid["condition"], sid["pathway"]], "text": text,
            "design": "clinical-trial", "population": text, "note": text, "source": source},
    }
    return entries


def to_yaml(data: dict) -> str:
    """JSON is YAML: every string double-quoted, control characters as YAML escapes."""
    return "".join(f"{key}: {json.dumps(value, ensure_ascii=True)}\n"
                   for key, value in data.items())


def bib_value(text: str) -> str:
    """A braced BibTeX value: braces must balance, so unbalanced ones are dropped."""
    depth, out = 0, []
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                continue
            depth -= 1
        out.append(char)
    return "{" + "".join(out) + "}" * depth + "}"


def slot_bibtex(slot: str) -> str:
    sid = ids(slot)
    payload = one_line(slot).replace("\x00", "")
    # A DOI may not hold '"' or '\\' raw (the loader refuses them); percent-encoded, the
    # payload still reaches every page, export and link that shows the DOI.
    doi = "10.1000/" + re.sub(r'["\\]', lambda m: f"%{ord(m.group()):02X}",
                              re.sub(r"\s+", "", payload))
    web = "https://example.org/?q=" + re.sub(r"\s+", "", payload)
    return (
        f"@article{{{sid['cite']},\n"
        f"  author = {bib_value(payload + ' and Roe, Richard')},\n"
        f"  title = {bib_value(payload)},\n"
        f"  journal = {bib_value(payload)},\n"
        f"  year = {{2020}},\n"
        f"  note = {bib_value(payload)},\n"
        f"  url = {bib_value(web)},\n"
        f"  doi = {bib_value(doi)}\n}}\n"
        f"@article{{{sid['cite_zh']},\n"
        f"  author = {bib_value('李明 and ' + payload)},\n"
        f"  title = {bib_value('饮食疗法综述' + payload)},\n"
        f"  journal = {bib_value('临床医学进展' + payload)},\n"
        f"  year = {{2021}},\n"
        f"  note = {bib_value(payload)},\n"
        f"  url = {bib_value(web + '#zh')},\n"
        f"  language = {{chinese}}\n}}\n"
    )


def make_xss_repository(root: Path) -> Path:
    root.mkdir(parents=True)
    copy_repository_frame(root)
    for slot in SLOTS:
        for relative, data in slot_entries(slot).items():
            path = root / "content" / f"{relative}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(to_yaml(data), encoding="utf-8")
    (root / "references.bib").write_text("".join(slot_bibtex(s) for s in SLOTS), "utf-8")
    return root
