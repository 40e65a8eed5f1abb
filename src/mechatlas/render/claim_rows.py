"""A claim as a compact row: how every page but its therapy's lists a claim.

A claim's full card (statement, evidence table, notes) lives on one page, the one
``Atlas.home_of`` names, so that its anchor ``#claim-<id>`` is defined once and the
pathway, condition, gene and method pages stay light at any size (docs/decisions/0017).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from mechatlas.model.entities import Claim, Text

if TYPE_CHECKING:
    from mechatlas.render.page import Page

ROW_TEMPLATE = "partials/claim_row.html.j2"
ROW_URL = "_rows/_row/"
"""Rows are rendered as if at this URL: the depth (kind/id/) of every page that lists them."""


def claim_row(page: Page, claim: Claim) -> Markup:
    """The row of ``claim``, rendered once per language and reused by every page listing it.

    Rows carry no citation slots (their lead is plain text), so one rendering serves every
    entity page: all sit at the same depth and links are relative.
    """
    site = page.site
    reads = site.reads
    if claim.id not in site.rows:
        template = site.card_template.environment.get_template(ROW_TEMPLATE)
        row_page = type(page)(site, ROW_URL)
        with reads.scope() as row_reads:  # replayed into every page that reuses the row
            reads.read(("claim", claim.id))
            reads.read(("template", ROW_TEMPLATE))
            site.rows[claim.id] = template.render(page=row_page, claim=claim)
        site.row_reads[claim.id] = frozenset(row_reads)
    else:
        reads.extend(site.row_reads[claim.id])
    return Markup(site.rows[claim.id])


def claim_lead(page: Page, claim: Claim) -> Markup:
    """The statement's first sentence as plain text: links become words, citations go (the
    card beside the evidence cites them); another language's text is marked as such."""
    from mechatlas.render.site import plain_lead  # site imports page, which imports this

    content, lang = claim.statement.best(page.lang)
    lead = plain_lead(Text(content, content), lang, page.site.atlas)
    return page.text(Text(**{lang: lead}))
