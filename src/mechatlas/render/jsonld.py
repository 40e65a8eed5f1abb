"""schema.org JSON-LD for entity pages and the home page, so search engines and
scholarly tools read what a page is about. Values are data; serialising and
escaping for a <script> element is left to Jinja's ``tojson``.
"""

from __future__ import annotations

from typing import Any

from mechatlas.model.entities import Entity
from mechatlas.model.reference import Reference

TYPES = {
    "therapy": "MedicalTherapy",
    "condition": "MedicalCondition",
    "pathway": "BioChemEntity",
    "gene": "Gene",
    "method": "MedicalTest",
    "source": "ScholarlyArticle",
}


def entity_jsonld(entity: Entity, lang: str, url: str, description: str,
                  reference: Reference | None = None) -> dict[str, Any]:
    name = entity.name.best(lang)[0]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": TYPES[entity.kind],
        "@id": url,
        "url": url,
        "name": name,
        "inLanguage": "zh-Hans" if lang == "zh" else "en",
        "description": description,
    }
    other = entity.name.get("en" if lang == "zh" else "zh")
    alternates = [a for a in (other, *entity.aliases) if a and a != name]
    if alternates:
        data["alternateName"] = alternates
    if reference is not None:
        data["headline"] = reference.title
        if reference.year:
            data["datePublished"] = reference.year
        if reference.doi:
            data["identifier"] = f"https://doi.org/{reference.doi}"
        authors = [p.literal or " ".join(x for x in (p.given, p.family) if x)
                   for p in reference.authors]
        if authors:
            data["author"] = [{"@type": "Person", "name": a} for a in authors]
    return data


def dataset_jsonld(url: str, name: str, description: str, version: str) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": url,
        "url": url,
        "name": name,
        "description": description,
        "version": version,
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": "application/json",
             "contentUrl": f"{url}data/atlas.json"},
            {"@type": "DataDownload", "encodingFormat": "text/csv",
             "contentUrl": f"{url}data/claims.csv"},
            {"@type": "DataDownload", "encodingFormat": "application/x-bibtex",
             "contentUrl": f"{url}references.bib"},
        ],
    }
