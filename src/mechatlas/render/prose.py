"""Entry text to safe HTML: Markdown, then sanitising, then links and citations.

Order matters for safety: the contributor's Markdown is rendered and cleaned
by nh3 on an explicit allow-list *before* the site inserts its own markup for
``[[id]]`` links and ``[@key]`` citations, so entry text can never carry live
HTML, event handlers or ``javascript:`` URLs into a page.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any, Protocol

import markdown
import nh3

from mechatlas.model.link_text import starts_sentence
from mechatlas.model.prose_tokens import LINK, cite_blocks

ALLOWED_TAGS = {"p", "em", "strong", "code", "ul", "ol", "li", "br"}
_SINGLE_PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.S)


class ProseContext(Protocol):
    """What a page offers the prose renderer: link targets and citation numbers."""

    def link_for(self, entity_id: str) -> tuple[str, str] | None:
        """(href, label) of an entry in the page's language, or None."""

    def cite(self, key: str, suffix: str = "") -> str:
        """Safe HTML for one citation, numbered on this page."""

    def link_words(self, entity_id: str, *, mid_sentence: bool) -> str:
        """What a bare ``[[id]]`` says in running text ("the ketogenic diet", "acupuncture")."""


_RAW_FEATURES = {
    "inlinePatterns": ("html", "link", "image_link", "image_reference", "reference",
                       "short_reference", "short_image_ref", "autolink", "automail", "entity"),
    "preprocessors": ("html_block",),
    "blockprocessors": ("quote", "code", "hashheader", "setextheader", "hr"),
}


def _markdown() -> markdown.Markdown:
    """Python-Markdown without raw HTML, links, images or headings: emphasis and lists only.

    Raw HTML is not passed through but shown as the text it is; links come only
    from ``[[id]]``, so a ``javascript:`` URL has nowhere to go.
    """
    md = markdown.Markdown(extensions=[], output_format="html")
    for registry, names in _RAW_FEATURES.items():
        for name in names:
            _registry(md, registry).deregister(name, strict=False)
    return md


def _registry(md: markdown.Markdown, name: str) -> markdown.util.Registry[Any]:
    return md.parser.blockprocessors if name == "blockprocessors" else getattr(md, name)


_MD = _markdown()


_MARKUP = re.compile(r"[*_`\\&\n\r\t]|^\s*(?:[-+]|\d+\.)\s|^\s*$")


@lru_cache(maxsize=65536)
def sanitise_markdown(text: str) -> str:
    """Markdown to HTML, then nh3 on an allow-list of tags with no attributes at all.

    Text with no Markdown syntax at all (most findings and statements) takes a shortcut with
    the same result: one escaped paragraph. A test holds the two paths to the same output.
    """
    if text == text.strip() and text.isprintable() and not _MARKUP.search(text):
        return f"<p>{html.escape(text, quote=False)}</p>"
    return markdown_to_safe_html(text)


def markdown_to_safe_html(text: str) -> str:
    rendered = _MD.reset().convert(text)
    return nh3.clean(rendered, tags=ALLOWED_TAGS, attributes={}, url_schemes=set(),
                     strip_comments=True, link_rel=None)


def render_prose(text: str, context: ProseContext, *, inline: bool = False,
                 cited_after: str | None = None) -> str:
    """Safe HTML for entry text; ``inline`` drops the wrapping paragraph of one-liners.

    ``cited_after`` is the key the statement's own source reference prints right after the
    text (a fact's ``source.cite``): the text's bare citations of it are dropped, so the reader
    sees the citation once, with its locator ("… [1] §2.1", not "… [1]. [1] §2.1").
    """
    cleaned = sanitise_markdown(text)
    if inline:
        match = _SINGLE_PARAGRAPH.match(cleaned.strip())
        if match and "<p>" not in match.group(1):
            cleaned = match.group(1)
    cleaned = LINK.sub(lambda m: _link(m, context), cleaned)
    return _cite(cleaned, context, cited_after)


def _link(match: re.Match[str], context: ProseContext) -> str:
    target = context.link_for(match.group(1))
    if target is None:
        return match.group(0)
    href = target[0]
    if match.group(2) and match.group(2).strip():
        label = html.unescape(match.group(2).strip())
    else:
        label = context.link_words(
            match.group(1), mid_sentence=not starts_sentence(match.string[:match.start()]))
    return f'<a class="ma-xref" href="{html.escape(href)}">{html.escape(label)}</a>'


def _cite(cleaned: str, context: ProseContext, cited_after: str | None) -> str:
    # nh3 escapes & < > and quotes; the citation syntax itself survives unchanged.
    out, last = [], 0
    for match, cites in cite_blocks(cleaned):
        before = cleaned[last:match.start()]
        kept = [c for c in cites if c.suffix or html.unescape(c.key) != cited_after]
        out.append(before if kept else before.rstrip(" "))
        out.append("".join(context.cite(html.unescape(c.key), html.unescape(c.suffix))
                           for c in kept))
        last = match.end()
    out.append(cleaned[last:])
    return "".join(out)
