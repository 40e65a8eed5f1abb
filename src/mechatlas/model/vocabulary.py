"""Every closed vocabulary of the data model, defined once.

Each vocabulary names its values (in the order the site uses them), where the JSON Schema
spells them and which interface-string sections label them. ``validate.vocabulary`` holds
the schemas and both languages' strings to these definitions before anything is rendered,
so a value the renderer does not know stops `mechatlas check` with a located error
instead of crashing `mkdocs build`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Vocabulary:
    name: str
    values: tuple[str, ...]
    schema_file: str
    schema_pointer: tuple[str, ...]
    """Path to the ``enum`` list inside ``schema_file``."""
    labels: tuple[str, ...] = ()
    """Dotted interface-string sections that must label every value, in every language."""
    css_prefix: str | None = None
    """A class ``<prefix><value>`` in the site's stylesheet for every value."""


DESIGN = Vocabulary(
    "design",
    ("systematic-review", "clinical-trial", "human-observational", "animal", "in-vitro",
     "narrative-review", "expert-opinion"),
    "defs.schema.json", ("$defs", "design", "enum"), ("designs", "designs_short"))
"""Study designs, strongest first: the order in which headline evidence is ranked."""
EFFECT = Vocabulary(
    "effect", ("activates", "inhibits", "restores", "modulates"),
    "defs.schema.json", ("$defs", "effect", "enum"), ("effects", "effect_symbols"),
    "ma-effect--")
DIRECTION = Vocabulary(
    "direction", ("supports", "contradicts"),
    "claim.schema.json", ("properties", "evidence", "items", "properties", "direction", "enum"),
    ("directions",))
CERTAINTY = Vocabulary(
    "certainty", ("high", "moderate", "low", "very-low"),
    "defs.schema.json", ("$defs", "certainty", "enum"), ("certainty",))
ORGANISM = Vocabulary(
    "organism", ("human", "animal", "in-vitro", "not-stated"),
    "defs.schema.json", ("$defs", "organism", "enum"), ("evidence.organisms",))
"""What an evidence item was studied in (``studied_in.organism``)."""
FACT_CATEGORY = Vocabulary(
    "fact category",
    ("definition", "epidemiology", "protocol", "outcome", "adverse-effect", "limitation",
     "open-question", "diagnostics", "background"),
    "fact.schema.json", ("properties", "category", "enum"), ("facts",))
DOSE_BASIS = Vocabulary(
    "dose basis", ("clinical", "experimental", "mechanistic", "no-dose"),
    "fact.schema.json", ("properties", "dose_basis", "enum"))
THERAPY_CATEGORY = Vocabulary(
    "therapy category",
    ("diet", "drug", "procedure", "neuromodulation", "traditional-chinese-medicine",
     "supplement", "gene-therapy", "lifestyle", "combination"),
    "therapy.schema.json", ("properties", "category", "enum"), ("therapy_categories",))
SOURCE_KIND = Vocabulary(
    "source kind",
    ("narrative-review", "systematic-review", "news-report", "primary-study", "guideline",
     "book"),
    "source.schema.json", ("properties", "kind", "enum"), ("source_kinds", "scope.kinds"))
PATHWAY_CATEGORY = Vocabulary(
    "pathway category",
    ("signalling", "neurotransmission", "inflammation", "oxidative-stress", "metabolism",
     "gut-brain", "neurotrophic", "cellular-process"),
    "pathway.schema.json", ("properties", "category", "enum"))
METHOD_CATEGORY = Vocabulary(
    "method category", ("genomics", "imaging", "computation", "device", "molecular-tool"),
    "method.schema.json", ("properties", "category", "enum"))

VOCABULARIES = (DESIGN, EFFECT, DIRECTION, CERTAINTY, ORGANISM, FACT_CATEGORY, DOSE_BASIS,
                THERAPY_CATEGORY, SOURCE_KIND, PATHWAY_CATEGORY, METHOD_CATEGORY)

DESIGNS = DESIGN.values
FACT_CATEGORIES = FACT_CATEGORY.values
