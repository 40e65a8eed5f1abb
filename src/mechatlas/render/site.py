"""Render every generated page of both languages into a mapping path -> text.

The result is pure data: writing it somewhere is the staging module's job, so
rendering is tested without a file system or MkDocs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

from mechatlas import __version__
from mechatlas.contrib.references import reason
from mechatlas.model.atlas import Atlas
from mechatlas.model.entities import Claim, Entity, Text
from mechatlas.model.kinds import ENTITY_KINDS, KINDS, LANGUAGES
from mechatlas.model.link_text import plain_text
from mechatlas.model.reads import ReadLog, RecordingDict
from mechatlas.model.reference import Reference
from mechatlas.model.vocabulary import DESIGNS
from mechatlas.render import urls
from mechatlas.render.citestyle import CitationStyles
from mechatlas.render.diagram import build_diagram
from mechatlas.render.environment import load_strings, make_environment
from mechatlas.render.jsonld import dataset_jsonld, entity_jsonld
from mechatlas.render.matrix import build_matrix, claims_by_condition
from mechatlas.render.page import REFERENCES_URL, Page, SiteData
from mechatlas.render.reference_titles import with_translated_titles
from mechatlas.render.views import entity_view, source_view

INDEX_KINDS = (*ENTITY_KINDS, "source")
NEWEST_CLAIMS = 6


def search_names(entity: Entity) -> list[str]:
    """The words an entity page is found by first, on both language sites: its names in both
    languages and its aliases (the page template indexes them, weighted highest)."""
    terms = [entity.name.en or "", entity.name.zh or "", *entity.aliases]
    return list(dict.fromkeys(t for t in terms if t))


_SENTENCE = re.compile(r"(.+?[.。!?！？])(\s|$)")


@dataclass
class RenderedSite:
    """Generated files, keyed by path relative to the staging docs folder."""

    files: dict[str, str]


class SiteRenderer:
    def __init__(self, atlas: Atlas, references: dict[str, Reference], templates: Path,
                 styles: CitationStyles | None = None, site_url: str = "",
                 release_date: str = "", reads: ReadLog | None = None,
                 environment: Environment | None = None) -> None:
        self.release_date = release_date
        self.reads = reads
        self.site_url = site_url.rstrip("/") + "/" if site_url else "/"
        self.atlas = atlas
        self.references = references
        if environment is None:
            environment = make_environment(templates)
            if reads is not None:
                record_templates(environment, reads)
        self.env: Environment = environment
        self.templates = templates
        self.styles = styles or CitationStyles()

    def render(self) -> RenderedSite:
        files: dict[str, str] = {}
        for lang in LANGUAGES:
            site = self.site_data(lang)
            for path, text in self.render_language(site):
                files[f"{lang}/{path}"] = text
        return RenderedSite(files)

    def site_data(self, lang: str) -> SiteData:
        ordered = [self.references[k] for k in sorted(self.references)]
        formatted = with_translated_titles(self.styles.format_all(ordered, lang),
                                           self.references, lang)
        reads = self.reads or ReadLog()
        if self.reads is not None:
            formatted = RecordingDict(formatted, ("formatted", lang), ("formatted-all", lang),
                                      reads)
        return SiteData(lang, self.atlas, load_strings(self.templates, lang), self.references,
                        formatted,
                        card_template=self.env.get_template("partials/claim.html.j2"),
                        bibliography_template=self.env.get_template(
                            "partials/bibliography.md.j2"),
                        reads=reads)

    def render_language(self, site: SiteData) -> list[tuple[str, str]]:
        return [(path, make()) for path, make in self.page_makers(site)]

    def page_makers(self, site: SiteData) -> list[tuple[str, Callable[[], str]]]:
        """Every page of one language, as (path, renderer): the build core renders a subset."""
        out: list[tuple[str, Callable[[], str]]] = [
            ("index.md", lambda: self.home(site)),
            ("references/index.md", lambda: self.reference_index(site)),
            ("matrix/index.md", lambda: self.matrix(site)),
            ("compare/index.md", lambda: self.compare(site)),
            ("coverage/index.md", lambda: self.coverage_page(site)),
            ("references/to-verify.md", lambda: self.to_verify_page(site))]
        for kind in INDEX_KINDS:
            out.append((urls.source_path(urls.index_url(kind)),
                        lambda kind=kind: self.kind_index(site, kind)))  # type: ignore[misc]
            for entity in self.atlas.of_kind(kind):
                out.append((urls.source_path(urls.entity_url(kind, entity.id)),
                            lambda e=entity: self.entity_page(site, e)))  # type: ignore[misc]
        return out

    # --- page kinds ----------------------------------------------------------------------
    def entity_page(self, site: SiteData, entity: Entity) -> str:
        site.reads.read(("entity", entity.id))
        page = Page(site, urls.entity_url(entity.kind, entity.id))
        if entity.kind == "source":
            key = entity.fields["cite"]
            view = source_view(self.atlas, entity, Markup(site.formatted.get(key, key)))
        else:
            view = entity_view(self.atlas, entity, page.t, self.references)
            if entity.kind in ("therapy", "pathway"):
                view.diagram = build_diagram(
                    self.atlas, entity, self.atlas.claims_of(entity.id), site.lang,
                    page.url_of, site.strings["effects"], page.t("evidence.conflict"))
        description = plain_lead(entity.summary, site.lang, self.atlas)
        reference = self.references.get(entity.fields.get("cite", ""))
        jsonld = entity_jsonld(entity, site.lang, self.absolute(site.lang, page.url),
                               description, reference)
        template = self.env.get_template(f"{entity.kind}.md.j2")
        return page.finish(template.render(
            page=page, entity=entity, view=view, atlas=self.atlas,
            title=str(escape(entity.name.best(site.lang)[0])), description=description,
            entry_path=entity.path, search_names=search_names(entity), jsonld=jsonld,
        ))

    def _claim_year(self, claim: Claim) -> int:
        """Year of the newest document a claim's evidence comes from (0 when unknown)."""
        years = [self.references[e.source.cite].year for e in claim.evidence
                 if e.source.cite in self.references]
        return max((int(y[:4]) for y in years if y[:4].isdigit()), default=0)

    def absolute(self, lang: str, url: str) -> str:
        return f"{self.site_url}{'' if lang == 'en' else lang + '/'}{url}"

    def kind_index(self, site: SiteData, kind: str) -> str:
        page = Page(site, urls.index_url(kind))
        rows = [
            {"entity": e, "lead": Text(plain_lead(e.summary, "en", self.atlas),
                                       plain_lead(e.summary, "zh", self.atlas)),
             "aliases": page.t("scope.list_sep").join(e.aliases),
             "claims": len(self.atlas.claims_of(e.id))}
            for e in self.atlas.of_kind(kind)
        ]
        return page.finish(self.env.get_template("kind_index.md.j2").render(
            page=page, kind=kind, rows=rows, title=page.t(f"kinds.{kind}.many"),
            description=page.t(f"kind_intro.{kind}"), entry_path=None))

    def reference_index(self, site: SiteData) -> str:
        page = Page(site, REFERENCES_URL)
        rows = []
        for key in sorted(self.references):
            ref = self.references[key]
            rows.append({
                "key": key, "formatted": Markup(site.formatted.get(key, key)),
                "year": ref.year, "type": ref.csl_type, "doi": ref.doi, "pmid": ref.pmid,
                "to_verify": [reason(text) for text in ref.to_verify], "raw": ref.raw,
                "statements": sum(1 for i in self.atlas.cited_by(key)
                                  if self.atlas.home_of(i) is not None),
                "pages": self.atlas.pages_citing(key),
            })
        return page.finish(self.env.get_template("references.md.j2").render(
            page=page, rows=rows, title=page.t("labels.all_references"),
            description=page.t("labels.references_intro"), entry_path=None,
            years=sorted({r["year"] for r in rows if r["year"]}, reverse=True),
            types=sorted({r["type"] for r in rows})))

    def matrix(self, site: SiteData) -> str:
        page = Page(site, "matrix/")
        return page.finish(self.env.get_template("matrix.md.j2").render(
            page=page, matrix=build_matrix(self.atlas), designs=DESIGNS,
            lineage=self.atlas.lineage,
            claim_count=len(self.atlas.claims), title=page.t("matrix.title"),
            description=page.t("matrix.description"), entry_path=None, wide=True))

    def compare(self, site: SiteData) -> str:
        page = Page(site, "compare/")
        matrix = build_matrix(self.atlas)
        return page.finish(self.env.get_template("compare.md.j2").render(
            page=page, groups=claims_by_condition(self.atlas), therapies=matrix.therapies,
            pathways=matrix.pathways, title=page.t("compare.title"),
            description=page.t("compare.description"), entry_path=None))

    def coverage_page(self, site: SiteData) -> str:
        """Translation and completeness per kind and field (``mechatlas coverage`` as a page)."""
        from mechatlas.contrib.coverage import coverage_of_atlas

        page = Page(site, "coverage/")
        labels = site.strings["coverage"]["fields"]

        def field_label(name: str) -> Markup:
            key = name.replace(".", "_")
            return Markup.escape(labels[key]) if key in labels else Markup("<code>%s</code>") % name

        def item_link(item: object) -> Markup:
            target = getattr(item, "id", "")
            if self.atlas.home_of(target) is None:
                return Markup("<code>%s</code>") % target
            name = page.link_for(target)
            return Markup('<a href="%s">%s</a>') % (page.url_of(target), name[1] if name else "")

        return page.finish(self.env.get_template("coverage.md.j2").render(
            page=page, report=coverage_of_atlas(self.atlas, self.references),
            field_label=field_label, item_link=item_link, index_kinds=INDEX_KINDS,
            kind_urls={k: urls.index_url(k) for k in INDEX_KINDS},
            verify_url="references/to-verify/", title=page.t("coverage.title"),
            description=page.t("coverage.description"), entry_path=None))

    def to_verify_page(self, site: SiteData) -> str:
        """References whose bibliographic data a person should check, with the reasons."""
        from mechatlas.contrib.references import to_verify

        page = Page(site, "references/to-verify/")
        rows = [{"key": item.key, "reasons": item.reasons,
                 "formatted": Markup(site.formatted.get(item.key, Markup.escape(item.key)))}
                for item in to_verify(self.references)]
        return page.finish(self.env.get_template("to_verify.md.j2").render(
            page=page, rows=rows, total=len(self.references),
            title=page.t("coverage.verify.title"),
            description=page.t("coverage.verify.description"), entry_path=None))

    def home(self, site: SiteData) -> str:
        page = Page(site, "")
        browse = [(kind, page.t(f"home.browse_{KINDS[kind].folder}"), self.atlas.of_kind(kind))
                  for kind in ("therapy", "pathway", "condition")]
        counts = {
            "entities": sum(1 for e in self.atlas.entities.values() if e.kind != "source"),
            "claims": len(self.atlas.claims), "facts": len(self.atlas.facts),
            "references": len(self.references),
        }
        newest = sorted(self.atlas.claims.values(),
                        key=lambda c: (-self._claim_year(c), c.id))[:NEWEST_CLAIMS]
        return page.finish(self.env.get_template("home.md.j2").render(
            page=page, atlas=self.atlas, browse=browse, counts=counts, newest=newest,
            version=__version__, release_date=self.release_date, site_url=self.site_url,
            kind_urls={k: urls.index_url(k) for k in INDEX_KINDS},
            sources=self.atlas.of_kind("source"), title=page.t("home.title"),
            description=page.t("home.description"), entry_path=None,
            jsonld=dataset_jsonld(self.site_url, page.t("home.title"),
                                  page.t("home.description"), __version__)))


def record_templates(env: Environment, reads: ReadLog) -> None:
    """Every template a page loads (its own, includes, imports) becomes one of its reads."""
    load = env.get_template

    def get_template(name: Any, *args: Any, **kwargs: Any) -> Any:
        template = load(name, *args, **kwargs)
        reads.read(("template", str(template.name)))
        return template

    env.get_template = get_template  # type: ignore[method-assign]


def plain_lead(text: Text, lang: str, atlas: Atlas) -> str:
    """The first sentence of a summary as plain text, for descriptions and index rows."""
    content, _ = text.best(lang)
    content = plain_text(content, atlas.link_names, lang).strip()
    match = _SENTENCE.match(content)
    return (match.group(1) if match else content)[:300]
