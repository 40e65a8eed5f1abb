"""The built site as a reader reads it, both languages: wording, citations, back-links, search.

One rule per test over every page of the real site (the session's ``real_site``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from lxml import html

from mechatlas.model.wording import wording_faults

_BLOCKS = (".//p|.//li|.//td|.//th|.//h1|.//h2|.//h3|.//h4|.//figcaption|.//dd|.//dt"
           "|.//summary|.//div[contains(@class,'ma-reference__text')]")
_SEPARATE = ("contains(@class,'ma-badge') or contains(@class,'ma-flag') or "
             "contains(@class,'ma-kind') or contains(@class,'ma-directness')")
_LINE_BREAK = "\u2029"


def articles(site: Path) -> list[tuple[str, html.HtmlElement]]:
    found = []
    for path in sorted(site.rglob("*.html")):
        article = html.parse(str(path)).xpath("//article")
        if article:
            found.append((path.relative_to(site).as_posix(), article[0]))
    return found


def reader_lines(article: html.HtmlElement) -> list[str]:
    """The text of each innermost block as a reader sees it: badges apart, <br> a new line."""
    for hidden in article.xpath(".//*[contains(@class,'headerlink')]|.//pre|.//script"):
        hidden.drop_tree()
    for chip in article.xpath(f".//*[{_SEPARATE}]"):
        chip.tail = " " + (chip.tail or "")
    for br in article.xpath(".//br"):
        br.tail = _LINE_BREAK + (br.tail or "")
    lines = []
    for block in article.xpath(_BLOCKS):
        if block.xpath(".//p|.//li|.//td|.//div[contains(@class,'ma-reference__text')]"):
            continue
        lines += block.text_content().replace("\u200b", "").split(_LINE_BREAK)
    return lines


def test_no_page_has_a_doubled_word_or_a_self_repeating_or_deep_parenthesis(real_site):
    faults = [f"{name}: {fault.describe()}: “{line[max(0, fault.offset - 30):][:90]}”"
              for name, article in articles(real_site)
              for line in reader_lines(article) for fault in wording_faults(line)]
    assert faults == [], f"{len(faults)} wording faults:\n" + "\n".join(faults[:40])


def test_every_citation_number_lands_on_the_list_entry_with_that_number(real_site):
    wrong, checked = [], 0
    for name, article in articles(real_site):
        entries = {li.get("id"): li.get("value") for li in
                   article.xpath(".//ol[contains(@class,'ma-bibliography')]/li")}
        for link in article.xpath(".//a[contains(@class,'ma-cite')]"):
            number = re.match(r"\[(\d+)", link.text_content()).group(1)
            href = link.get("href", "")
            if href.startswith("#"):
                checked += 1
                if entries.get(href[1:]) != number:
                    wrong.append(f"{name}: [{number}] → {href} is entry {entries.get(href[1:])}")
            elif entries:
                wrong.append(f"{name}: [{number}] leaves a page that has its own list ({href})")
    assert wrong == [] and checked > 1000, "\n".join(wrong[:20])


def test_each_page_numbers_its_references_one_to_n(real_site):
    gaps = []
    for name, article in articles(real_site):
        values = [li.get("value") for li in
                  article.xpath(".//ol[contains(@class,'ma-bibliography')]/li")]
        if values != [str(n) for n in range(1, len(values) + 1)]:
            gaps.append(f"{name}: {values}")
    assert gaps == []


def test_back_links_are_unique_per_page(real_site):
    """"Cited on" and "Linked from" name each page once (not once per claim on it)."""
    duplicated = []
    for name, article in articles(real_site):
        for line in article.xpath(".//p[contains(@class,'ma-reference__backlinks')]"
                                  "|.//div[contains(@class,'ma-links')]//li"):
            targets = Counter(a.get("href", "").split("#")[0] for a in line.xpath(".//a"))
            duplicated += [f"{name}: {href} ×{n}" for href, n in targets.items() if n > 1]
    assert duplicated == []


def test_cited_on_lists_each_page_once_and_stays_short(real_site):
    for prefix in ("", "zh/"):
        page = html.parse(str(real_site / prefix / "references" / "index.html"))
        lengths = [len(p.xpath(".//a")) for p in
                   page.xpath("//p[contains(@class,'ma-reference__backlinks')]")]
        atlas = json.loads((real_site / "data" / "atlas.json").read_text("utf-8"))
        pages = sum(1 for e in atlas["entities"] if e["kind"] != "source") + len(
            [e for e in atlas["entities"] if e["kind"] == "source"])
        assert lengths and max(lengths) <= pages


def test_a_chinese_reference_on_an_english_page_shows_its_english_title(real_site):
    page = (real_site / "therapies" / "ketogenic-diet" / "index.html").read_text("utf-8")
    assert ("生酮饮食干预难治性癫痫相关信号通路的研究进展 [Research Progress on Signaling Pathways"
            " Involved in the Intervention of Ketogenic Diet for Drug-Resistant Epilepsy]") in page
    zh = (real_site / "zh" / "therapies" / "ketogenic-diet" / "index.html").read_text("utf-8")
    assert "[Research Progress" not in zh


def test_every_entity_page_names_the_entity_in_the_other_language(real_site):
    atlas = json.loads((real_site / "data" / "atlas.json").read_text("utf-8"))
    missing = []
    for entity in atlas["entities"]:
        folder = {"pathway": "pathways", "therapy": "therapies", "condition": "conditions",
                  "gene": "genes", "method": "methods", "source": "sources"}[entity["kind"]]
        for prefix, other in (("", "zh"), ("zh/", "en")):
            name = entity["name"].get(other)
            page = real_site / prefix / folder / entity["id"] / "index.html"
            names = html.parse(str(page)).xpath("//p[contains(@class,'ma-names')]")
            if name and not (names and name in names[0].text_content()):
                missing.append(f"{prefix}{folder}/{entity['id']}: {name}")
    assert missing == []
