"""The rules of tests/page_language.py on small pages: what they report and what they allow."""

from __future__ import annotations

from page_language import Allowed, chinese_on_english_page, english_on_chinese_page

ALLOWED = Allowed(frozenset({"Dravet", "Rheb"}), ("针刺", "氢化硫"))


def page(body: str) -> str:
    return f"<html><body><nav>English</nav><article>{body}</article></body></html>"


def test_an_english_locator_on_a_chinese_page_is_reported():
    assert english_on_chinese_page(page('<span class="ma-locator">section on sleep</span>'),
                                   ALLOWED) == ["'section' in 'section on sleep'",
                                                "'sleep' in 'section on sleep'"]


def test_names_abbreviations_code_units_and_reference_entries_are_allowed():
    html = page("<p>Dravet综合征中Rheb、mTOR、KCNQ2升高1.8 mmol/L，见“potassium channels”</p>"
                "<code>ketogenic-diet</code><ol class='ma-bibliography'><li>A Diet Study</li></ol>")
    assert english_on_chinese_page(html, ALLOWED) == []


def test_text_outside_the_article_is_not_read():
    assert english_on_chinese_page(page(""), ALLOWED) == []


def test_chinese_on_an_english_page_is_reported_unless_a_name():
    html = page("<p>Acupuncture (针刺) uses 氢化硫 and 百会 points</p>")
    assert chinese_on_english_page(html, ALLOWED) == [
        "'百会' in 'Acupuncture (针刺) uses 氢化硫 and 百会 points'"]


def test_templates_hold_no_reader_text_of_their_own():
    """Every word a reader sees comes from an entry or the interface strings, never a template
    (words inside <code> and <pre> are code, shown as written)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "docs_templates"
    found = []
    for path in sorted(root.rglob("*.j2")) + sorted((root / "overrides").rglob("*.html")):
        text = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", " ", path.read_text("utf-8"), flags=re.S)
        text = re.sub(r"\A\s*---\n.*?---", " ", text, flags=re.S)  # front matter: not shown
        text = re.sub(r"<(script|style|code|pre)\b.*?</\1>|<[^>]*>", " ", text, flags=re.S)
        found += [f"{path.relative_to(root)}: {word}"
                  for word in re.findall(r"[A-Za-z]{2,}|[\u3400-\u9fff]+", text)]
    assert found == []
