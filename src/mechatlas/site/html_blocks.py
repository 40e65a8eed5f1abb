"""Generated HTML blocks kept out of Python-Markdown's HTML parser, and put back after it.

A generated page is a few Markdown headings around HTML blocks: claim cards, rows, diagrams.
Python-Markdown passes a raw HTML block through unchanged, but only after its pure-Python
HTML parser has read every tag to find where the block ends; at 1,000 claims that parsing
was half of MkDocs' work on the site. The plugin sets each block aside before Markdown runs
(a numbered stand-in paragraph in its place) and puts it back into the converted page, so the
output is the same bytes (tests/test_html_blocks.py compares every generated page).

A block is set aside only when it certainly is one raw block to Markdown: a paragraph of
its own (blank lines around it) that opens with a block-level tag at the start of a line,
closes every element it opens, in order, and ends with a closing tag. Anything else (prose,
headings, a block holding ``<script>`` or ``<style>``, any page with a fenced code block) goes
to Markdown as before.
The generated tree itself is unchanged: another engine reads the same Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Collection

_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n)")
_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9:-]*)(?:\s[^<>]*)?/?>", re.S)
"""A comment, or a tag: (closing slash, name); it closes itself when it ends with ``/>``.
The attributes are one greedy run, not a lazy one: a lazy run tries the end of the tag after
every character, and this pattern reads every tag of every page."""
_TOKEN = re.compile(f"([^<]*)({_TAG.pattern}|<)", re.S)
"""A tag (as ``_TAG``), or a ``<`` that opens none, with the text before it: the tokens of
``findall`` cover the whole text, in one pass."""
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})
_RAW_TEXT = re.compile(r"<(?:script|style)\b|<!\[CDATA\[|<\?", re.I)
"""What a tag scan cannot bound: such a block goes to Markdown."""
_MARKDOWN_ATTRIBUTE = re.compile(r"<[^>]*\smarkdown\s*=", re.I)
"""md_in_html's ``markdown`` attribute: Markdown reads inside such a block; it goes to Markdown.
Searched for only where the word occurs (the search backtracks through every tag)."""
_OPEN, _CLOSE = "\ue030", "\ue031"
"""Private-use characters around a block's number: entry text may not hold them
(``private-use-character``), and hand-written pages have no reason to."""
_CLOSE_TIGHT = "\ue032"
"""Closes the number of a block that a heading follows on the next line."""
_STAND_IN = re.compile(f"<p>{_OPEN}(\\d+)([{_CLOSE}{_CLOSE_TIGHT}])</p>(\n?)")
_HEADING = re.compile(r"#{1,6} \S")
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)", re.M)
_TAB_LENGTH = 4
"""Python-Markdown's ``tab_length``, which MkDocs leaves at its default."""


def set_aside(markdown: str, block_level: Collection[str]) -> tuple[str, list[str]]:
    """``markdown`` with each self-contained HTML block replaced by a numbered stand-in
    paragraph, and the blocks in number order."""
    if _OPEN in markdown or _CLOSE in markdown or _CLOSE_TIGHT in markdown \
            or _FENCE.search(markdown):
        return markdown, []  # a fenced code block may hold HTML that is text: all to Markdown
    markdown = _normalized(markdown)
    blocks: list[str] = []
    pieces = _PARAGRAPH_BREAK.split(markdown)
    still_open: list[str] = []  # the elements a raw block left open over a blank line
    for index in range(0, len(pieces), 2):  # odd pieces are the blank lines between
        piece = pieces[index]
        if still_open:  # inside a block Markdown reads to its closing tag: left as it is
            after = _open_after(piece, still_open)
            if after is None:
                break  # misnested: where Markdown's block ends is not known; the rest to it
            still_open = after
            continue
        core = piece.rstrip("\n")  # a last line break before the blank line stays outside
        block = _as_block(core, block_level)
        if block is not None:
            pieces[index] = f"{_OPEN}{len(blocks)}{_CLOSE}{piece[len(core):]}"
            blocks.append(block)
            continue
        html, _, heading = core.rpartition("\n")
        block = _as_block(html, block_level) if _HEADING.match(heading) else None
        if block is not None:  # blocks, then a heading on the next line (no blank line)
            pieces[index] = f"{_OPEN}{len(blocks)}{_CLOSE_TIGHT}\n{heading}{piece[len(core):]}"
            blocks.append(block)
        elif _starts_block(piece, block_level):
            after = _open_after(piece, [])
            if after is None:
                break
            still_open = after
    return "".join(pieces), blocks


def put_back(html: str, blocks: list[str]) -> str:
    """The converted page with every stand-in paragraph replaced by its block."""
    if not blocks:
        return html
    # Markdown follows a raw block it passed through with a blank line, where a paragraph gets
    # a line break: so does the block put back (one line break when a heading follows it on
    # the next line, as for a paragraph).
    def block(match: re.Match[str]) -> str:
        after = match.group(3) * (2 if match.group(2) == _CLOSE else 1)
        return blocks[int(match.group(1))] + after

    return _STAND_IN.sub(block, html)


def _normalized(text: str) -> str:
    """What Python-Markdown makes of any source first (its ``NormalizeWhitespace``), raw HTML
    included: a block set aside gets it here instead. Applying it twice changes nothing."""
    text = text.replace("\x02", "").replace("\x03", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(_TAB_LENGTH)
    return re.sub(r"(?<=\n) +\n", "\n", text)


def _starts_block(piece: str, block_level: Collection[str]) -> bool:
    first = _TAG.match(piece)
    return first is not None and not first.group(1) and \
        (first.group(2) or "").lower() in block_level


def _element_name(tag: str, closing: str, name: str) -> str | None:
    """The lower-cased name of the element a tag opens or closes; None for a comment, a void
    element (``<br>``) or a self-closing one (``<path/>``)."""
    if not name or tag.endswith("/>") or (not closing and name.lower() in _VOID):
        return None
    return name.lower()


def _element(match: re.Match[str]) -> tuple[bool, str] | None:
    """(is closing, element name) for a tag that opens or closes an element, else None."""
    closing = match.group(1) or ""
    name = _element_name(match.group(), closing, match.group(2) or "")
    return None if name is None else (bool(closing), name)


def _open_after(piece: str, open_elements: list[str]) -> list[str] | None:
    """The elements still open after ``piece``, given those open before it; None when a
    closing tag does not match (misnested: no block boundary can be trusted)."""
    stack = list(open_elements)
    for match in _TAG.finditer(piece):
        element = _element(match)
        if element is None:
            continue
        closing, name = element
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return None
    return stack


def _as_block(piece: str, block_level: Collection[str]) -> str | None:
    """``piece`` as Markdown passes it through when it is raw HTML blocks alone, else None.

    Markdown starts a new line where a top-level element closes and the next one opens on the
    same line (``</p><p>``); the block gets that line break too.

    The hot loop of a build (600,000 tags at 1,000 claims): the tags come from one
    ``findall``, each with the text before it, so positions are sums of lengths and no match
    object is made.
    """
    if not piece.startswith("<") or not piece.endswith(">") or piece != piece.rstrip():
        return None
    if not _starts_block(piece, block_level) or _RAW_TEXT.search(piece):
        return None
    if "markdown" in piece.lower() and _MARKDOWN_ATTRIBUTE.search(piece):
        return None
    stack: list[str] = []
    breaks: list[int] = []  # where Markdown puts a line break between two elements
    top_level_end = 0  # where the last element outside any other ended
    end = 0  # where the current tag ends
    size = len(piece)
    for before, tag, closing, name in _TOKEN.findall(piece):
        if tag == "<":
            return None  # a "<" that is not a tag
        start = end + len(before)
        end = start + len(tag)
        if not stack and before.strip():
            return None  # text between two top-level elements: Markdown's paragraph
        lowered = _element_name(tag, closing, name)
        if lowered is None:
            if not stack:  # a comment, void or self-closing element outside any element
                if end < size and piece[end] != "\n":
                    return None  # ... then more on its line
                top_level_end = end
            continue
        if not closing:
            if not stack:
                if lowered not in block_level:
                    return None
                if start > 0 and piece[start - 1] != "\n":
                    if start != top_level_end:
                        return None  # after a space: Markdown would drop it
                    breaks.append(start)
            stack.append(lowered)
        elif not stack or stack.pop() != lowered:
            return None
        elif not stack:
            if end < size and piece[end] not in "\n<":
                return None  # text after the element on its line
            top_level_end = end
    if stack or piece[top_level_end:].strip():
        return None
    for at in reversed(breaks):
        piece = f"{piece[:at]}\n{piece[at:]}"
    return piece
