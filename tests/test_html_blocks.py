"""HTML blocks set aside from Python-Markdown convert to the same bytes as when it parses them."""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest
from mkdocs.utils.meta import get_data

from conftest import MINI, copy_repository_frame
from mechatlas.site.generate import render_files
from mechatlas.site.html_blocks import put_back, set_aside
from xss_repository import make_xss_repository

REPO = Path(__file__).resolve().parent.parent


def _markdown() -> markdown.Markdown:
    """The site's Markdown, as mkdocs.yml configures it."""
    return markdown.Markdown(extensions=["attr_list", "md_in_html", "admonition", "tables",
                                         "toc"], extension_configs={"toc": {"permalink": True}})


def _both_ways(text: str) -> tuple[str, str, int]:
    """The page converted as Markdown parses it, converted with its blocks set aside, and how
    many of its tags were set aside."""
    md = _markdown()
    parsed = md.reset().convert(text)
    aside, blocks = set_aside(text, md.block_level_elements)
    return parsed, put_back(md.reset().convert(aside), blocks), sum(b.count("<") for b in blocks)


@pytest.fixture(scope="module")
def generated_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every generated page of the real content, of the one-of-each fixture and of the hostile
    one, without its front matter (what MkDocs hands Markdown)."""
    mini = tmp_path_factory.mktemp("mini")
    copy_repository_frame(mini)
    shutil.copytree(MINI / "content", mini / "content")
    shutil.copy(MINI / "references.bib", mini / "references.bib")
    pages = {}
    xss = make_xss_repository(tmp_path_factory.mktemp("hostile") / "repo")
    for name, root in (("real", REPO), ("mini", mini), ("xss", xss)):
        generation = render_files(root)
        assert generation.project.ok, generation.diagnostics[:3]
        for path, text in generation.files.items():
            if path.endswith(".md") and isinstance(text, str):
                pages[f"{name}:{path}"] = get_data(text)[0]
    return pages


def test_every_generated_page_converts_to_the_same_html(generated_pages):
    tags = set_aside_tags = 0
    differing = []
    for path, text in generated_pages.items():
        parsed, fast, count = _both_ways(text)
        tags += text.count("<")
        set_aside_tags += count
        if parsed != fast:
            differing.append(path)
    assert differing == []
    assert set_aside_tags > 0.8 * tags  # most of the HTML goes around Markdown's parser


@pytest.mark.parametrize("text", [
    "<div>\n\n*not* a block\n\n</div>",             # a blank line inside: Markdown's own block
    "<div>a</div> trailing *text*",                # text after the close on the same line
    "<div><p>a</div></p>",                          # misnested
    "<span>inline</span> and *emphasis*",           # not block-level: a paragraph
    "    <div>indented</div>",                      # code block
    "<div>a</div>\n<span>b</span> *c*",             # a paragraph after the block
    "<div>\n<pre>keep\n\n  spacing</pre>\n</div>",  # raw text element
    "<pre>tab\there\n   \n  indented</pre>",       # tabs and a whitespace-only line
    "<details><pre class=\"b\">@article{k,\n  title = {A &lt;b&gt;}\n}</pre></details>",
    "<p>a < b</p>",                                 # a bare "<"
    "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n\n## Heading {#h}\n\n<p>after</p>",
    "<div class=\"x\" data-y='1 > 0'>z</div>",
    "<dl><dt>a</dt>\n<dd>b<br>c</dd></dl>\n<p>next</p>",
    "<figure><svg viewBox=\"0 0 1 1\"><path d=\"M0,0\"/><text>t</text></svg></figure>",
    "<!-- a comment -->\n<div>after a comment</div>",
    "<div>\ue030" "0\ue031</div>",                   # the stand-in characters themselves
])
def test_tricky_blocks_convert_as_markdown_converts_them(text):
    parsed, fast, _count = _both_ways(text)
    assert fast == parsed


@pytest.mark.parametrize("text", [
    "<div>a</div>\ntext between\n<div>b</div>",
    "<div>a</div>\n<div>b</div>\ntext after>",
    "<p>a</p><p>b</p>",
    "<hr>\n<div>a</div>",
    "<div markdown=\"1\">\n*emphasis* inside\n</div>",   # md_in_html: Markdown inside
    "<div>a</div>\n### Heading {#h}",
    "<div>a</div>\n### Heading {#h}\n\nafter",
    "<div>a</div>\n\n\n## H2",
    "<div>\n<p>a</div>\n\n<div>b</div>",                     # misnested, then a block
    "<div>\n\n<span>x</div></span>\n\n<div>b</div>",
    "<div>a</div>\n\n<ul>\n<li>x</li>\n\n<li>y</li>\n\n</ul>\n\n<p>z</p>",
])
def test_more_tricky_blocks(text):
    parsed, fast, _count = _both_ways(text)
    assert fast == parsed


def test_html_in_a_fenced_code_block_stays_text():
    """A site that turns on fenced code blocks: the HTML in one is shown, not set aside."""
    md = markdown.Markdown(extensions=["fenced_code", "md_in_html"])
    text = "```html\n<div>an example</div>\n\n<p>of HTML</p>\n\n```"
    aside, blocks = set_aside(text, md.block_level_elements)
    assert put_back(md.reset().convert(aside), blocks) == md.reset().convert(text)
