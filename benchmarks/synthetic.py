"""Deterministic synthetic content for the benchmark: valid entries at any size.

``write_repository(root, claims, seed)`` writes ``content/<folder>/<id>.yaml``
and ``references.bib`` under ``root`` with, for ``claims`` claims:

* therapies claims/10, pathways claims/15, conditions, genes and methods
  claims/50 each, sources claims/200, facts claims/2, references claims/10
  (each at least 2, sources at least 1);
* both languages filled everywhere, ``[[id]]`` links and ``[@key]``
  citations in summaries, statements, findings and facts, and every
  cross-reference field the schemas know (related, sources, genes, methods,
  part_of, components, competes_with, subjects, variants…), always pointing
  at entries and keys that exist.

Texts are about as long as the real entries' (an entity summary is 3–5
sentences in each language, a claim has 1–3 evidence items). The same seed
gives byte-identical files.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

try:
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]



def _words(text: str) -> list[str]:
    return text.split()


EN_WORDS = _words(
    "signalling pathway neuronal excitability hippocampal synaptic plasticity inflammation "
    "microglial activation oxidative stress mitochondrial metabolism receptor expression protein "
    "synthesis seizure threshold antidepressant response kinase phosphorylation transcription "
    "factor cytokine release astrocytes interneurons glutamate release inhibitory tone energy "
    "homeostasis autophagy flux dendritic spines cortical network rodent model clinical cohort "
    "treatment response baseline levels downstream targets upstream regulators chronic stress "
    "acute exposure dose dependent effect reported increased decreased restored modulated "
    "measured observed compared controls after weeks of treatment in the prefrontal cortex and "
    "the hippocampus with lower firing rates"
)
ZH_WORDS = _words(
    "信号 通路 神经元 兴奋性 海马 突触 可塑性 炎症 小胶质细胞 激活 氧化应激 "
    "线粒体 代谢 受体 表达 蛋白 合成 发作 阈值 抗抑郁 反应 激酶 磷酸化 "
    "转录因子 细胞因子 释放 星形胶质细胞 中间神经元 谷氨酸 抑制性 能量 稳态 "
    "自噬 树突棘 皮层 网络 动物模型 临床 队列 治疗 基线 水平 下游 靶点 "
    "上游 调控 慢性应激 急性 暴露 剂量依赖 效应 报道 升高 降低 恢复 调节 "
    "测得 观察到 对照组 数周 前额叶 放电"
)
ZH_NAME_CHARS = ("雷帕霉素生酮饮食针刺氯胺酮电休克睡眠剥夺"
                 "间歇低氧基因疗法通路受体蛋白酶调节因子抑制激活")

THERAPY_CATEGORIES = ("diet", "drug", "procedure", "neuromodulation",
                      "traditional-chinese-medicine", "supplement", "gene-therapy", "lifestyle")
PATHWAY_CATEGORIES = ("signalling", "neurotransmission", "inflammation", "oxidative-stress",
                      "metabolism", "gut-brain", "neurotrophic", "cellular-process")
METHOD_CATEGORIES = ("genomics", "imaging", "computation", "device", "molecular-tool")
SOURCE_KINDS = ("narrative-review", "systematic-review", "news-report", "primary-study",
                "guideline", "book")
DESIGNS = ("in-vitro", "animal", "human-observational", "clinical-trial", "systematic-review",
           "narrative-review", "expert-opinion")
ORGANISM_OF_DESIGN = {"in-vitro": "in-vitro", "animal": "animal",
                      "human-observational": "human", "clinical-trial": "human",
                      "systematic-review": "human", "narrative-review": "not-stated",
                      "expert-opinion": "not-stated"}
CERTAINTIES = ("high", "moderate", "low", "very-low")
EFFECTS = ("activates", "inhibits", "restores", "modulates")
FACT_CATEGORIES = ("definition", "epidemiology", "protocol", "outcome", "adverse-effect",
                   "limitation", "open-question", "diagnostics", "background")
SURNAMES = ("Zhang", "Wang", "Li", "Smith", "Garcia", "Müller", "Rossi", "Kim", "Sato", "Novak")
ZH_SURNAMES = "张王李赵陈刘杨黄周吴"
JOURNALS = ("Epilepsia", "Neuron", "Brain Research", "Journal of Neuroinflammation",
            "Molecular Psychiatry", "Epilepsy & Behavior", "中华神经科杂志", "临床医学进展")


@dataclass(frozen=True)
class Sizes:
    claims: int
    therapies: int
    pathways: int
    conditions: int
    genes: int
    methods: int
    sources: int
    facts: int
    references: int

    @classmethod
    def for_claims(cls, claims: int) -> Sizes:
        return cls(claims=claims, therapies=max(2, claims // 10), pathways=max(2, claims // 15),
                   conditions=max(2, claims // 50), genes=max(2, claims // 50),
                   methods=max(2, claims // 50), sources=max(1, claims // 200),
                   facts=max(2, claims // 2), references=max(2, claims // 10))

    @property
    def entries(self) -> int:
        return (self.claims + self.therapies + self.pathways + self.conditions + self.genes
                + self.methods + self.sources + self.facts)


@dataclass
class _Ids:
    therapy: list[str] = field(default_factory=list)
    pathway: list[str] = field(default_factory=list)
    condition: list[str] = field(default_factory=list)
    gene: list[str] = field(default_factory=list)
    method: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)

    @property
    def linkable(self) -> list[str]:
        return [*self.therapy, *self.pathway, *self.condition, *self.gene, *self.method]


class _Writer:
    def __init__(self, root: Path, rng: random.Random, sizes: Sizes) -> None:
        self.root, self.rng, self.sizes = root, rng, sizes
        self.ids = _Ids()
        self.files = 0

    # --- text -------------------------------------------------------------------------------
    def en_sentence(self, links: list[str], cites: list[str]) -> str:
        words = [self.rng.choice(EN_WORDS) for _ in range(self.rng.randint(12, 22))]
        for target in links:
            words.insert(self.rng.randint(1, len(words)), f"[[{target}]]")
        if self.rng.random() < 0.15:
            i = self.rng.randrange(len(words))
            if not words[i].startswith("[["):
                words[i] = f"*{words[i]}*"
        text = " ".join(words)
        text = text[0].upper() + text[1:]
        cite = f" [@{'; @'.join(cites)}]" if cites else ""
        return f"{text}{cite}."

    def zh_sentence(self, links: list[str], cites: list[str]) -> str:
        words = [self.rng.choice(ZH_WORDS) for _ in range(self.rng.randint(10, 18))]
        for target in links:
            words.insert(self.rng.randint(1, len(words)), f"[[{target}]]")
        cite = f" [@{'; @'.join(cites)}]" if cites else ""
        return "".join(words) + cite + "。"

    def text(self, sentences: int, links: list[str], cites: list[str]) -> dict[str, str]:
        """Both languages, the same links and citations spread over the sentences."""
        plan_links = [links[i::sentences] for i in range(sentences)]
        plan_cites = [cites[i::sentences] for i in range(sentences)]
        en = " ".join(self.en_sentence(plan_links[i], plan_cites[i]) for i in range(sentences))
        zh = "".join(self.zh_sentence(plan_links[i], plan_cites[i]) for i in range(sentences))
        return {"en": en, "zh": zh}

    def short(self) -> dict[str, str]:
        en = " ".join(self.rng.choice(EN_WORDS) for _ in range(self.rng.randint(3, 7)))
        zh = "".join(self.rng.choice(ZH_WORDS) for _ in range(self.rng.randint(3, 6)))
        return {"en": en, "zh": zh}

    def zh_name(self, n: int) -> str:
        return "".join(self.rng.choice(ZH_NAME_CHARS) for _ in range(n))

    def pick(self, pool: list[str], k: int, exclude: str = "") -> list[str]:
        choices = [p for p in self.rng.sample(pool, min(len(pool), k + 1)) if p != exclude]
        return choices[:k]

    def keys(self, k: int) -> list[str]:
        return self.rng.sample(self.ids.keys, min(k, len(self.ids.keys)))

    def source_ref(self) -> dict:
        ref: dict = {"cite": self.rng.choice(self.ids.keys),
                     "locator": f"§{self.rng.randint(1, 6)}.{self.rng.randint(1, 9)}"}
        if self.rng.random() < 0.4:
            ref["therein"] = self.rng.randint(1, 120)
        if self.rng.random() < 0.1:
            ref["primary"] = self.rng.choice(self.ids.keys)
        return ref

    # --- files ------------------------------------------------------------------------------
    def write(self, folder: str, kind: str, data: dict) -> None:
        path = self.root / "content" / folder / f"{data['id']}.yaml"
        body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
        path.write_text(f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n{body}",
                        encoding="utf-8")
        self.files += 1

    def references(self) -> None:
        lines = []
        for i in range(self.sizes.references):
            first = self.rng.choice(SURNAMES)
            year = 2000 + self.rng.randint(0, 25)
            key = f"{first.lower().replace('ü', 'u')}{year}r{i}"
            self.ids.keys.append(key)
            journal = self.rng.choice(JOURNALS).replace("&", r"\&")
            chinese = i % 4 == 3
            if chinese:
                authors = " and ".join(self.rng.choice(ZH_SURNAMES) + self.zh_name(2)
                                       for _ in range(self.rng.randint(1, 4)))
                title = "".join(self.rng.choice(ZH_WORDS) for _ in range(8)) + "的研究进展"
            else:
                authors = " and ".join(f"{self.rng.choice(SURNAMES)}, {chr(65 + j)}."
                                       for j in range(self.rng.randint(1, 5)))
                title = " ".join(self.rng.choice(EN_WORDS) for _ in range(9)).capitalize()
            fields = [f"  author  = {{{authors}}}", f"  title   = {{{title}}}",
                      f"  journal = {{{journal}}}", f"  year    = {{{year}}}",
                      f"  volume  = {{{self.rng.randint(1, 90)}}}",
                      f"  pages   = {{{(p := self.rng.randint(1, 900))}--{p + 9}}}"]
            if chinese:
                fields.append("  language = {chinese}")
            else:
                fields.append(f"  doi     = {{10.{5000 + i % 4000}/bench.{year}.{i}}}")
            lines.append(f"@article{{{key},\n" + ",\n".join(fields) + "\n}\n")
        (self.root / "references.bib").write_text("\n".join(lines), encoding="utf-8")

    def plan_ids(self) -> None:
        s = self.sizes
        self.ids.therapy = [f"therapy-{i}" for i in range(s.therapies)]
        self.ids.pathway = [f"pathway-{i}" for i in range(s.pathways)]
        self.ids.condition = [f"condition-{i}" for i in range(s.conditions)]
        self.ids.gene = [f"gene-{i}" for i in range(s.genes)]
        self.ids.method = [f"method-{i}" for i in range(s.methods)]
        self.ids.source = [f"source-{i}" for i in range(s.sources)]

    def entity(self, kind: str, entity_id: str, index: int, en_name: str, zh_name: str) -> dict:
        links = self.pick(self.ids.linkable, self.rng.randint(2, 4), exclude=entity_id)
        cites = self.keys(self.rng.randint(1, 3))
        data: dict = {
            "id": entity_id,
            "name": {"en": en_name, "zh": zh_name},
            "aliases": [f"{kind[:3].upper()}{index}", f"{zh_name}类"],
            "summary": self.text(self.rng.randint(3, 5), links, cites),
            "related": self.pick(self.ids.linkable + self.ids.source, self.rng.randint(2, 5),
                                 exclude=entity_id),
            "sources": sorted(set(cites)),
        }
        return data

    def entities(self) -> None:
        ids = self.ids
        for i, entity_id in enumerate(ids.therapy):
            en_name = f"Therapy {i} ({self.rng.choice(EN_WORDS)})"
            data = self.entity("therapy", entity_id, i, en_name, f"疗法{i}{self.zh_name(2)}")
            if i >= 2 and self.rng.random() < 0.05:
                data["category"] = "combination"
                data["components"] = self.rng.sample(ids.therapy[:i], 2)
            else:
                data["category"] = self.rng.choice(THERAPY_CATEGORIES)
            data["conditions"] = self.pick(ids.condition, self.rng.randint(1, 2))
            self.write("therapies", "therapy", data)
        for i, entity_id in enumerate(ids.pathway):
            data = self.entity("pathway", entity_id, i, f"Pathway {i} signalling",
                               f"通路{i}{self.zh_name(2)}信号")
            data["category"] = self.rng.choice(PATHWAY_CATEGORIES)
            data["genes"] = self.pick(ids.gene, self.rng.randint(0, 3))
            if i >= 1 and self.rng.random() < 0.2:
                data["part_of"] = self.rng.choice(ids.pathway[:i])
            self.write("pathways", "pathway", data)
        for i, entity_id in enumerate(ids.condition):
            data = self.entity("condition", entity_id, i, f"Condition {i}",
                               f"疾病{i}{self.zh_name(2)}")
            if i >= 1 and self.rng.random() < 0.3:
                data["part_of"] = self.rng.choice(ids.condition[:i])
            self.write("conditions", "condition", data)
        for i, entity_id in enumerate(ids.gene):
            data = self.entity("gene", entity_id, i, f"GENE{i} (synthetic target)",
                               f"GENE{i}（{self.zh_name(3)}）")
            data["symbol"] = f"GENE{i}"
            data["conditions"] = self.pick(ids.condition, self.rng.randint(0, 2))
            data["pathways"] = self.pick(ids.pathway, self.rng.randint(1, 2))
            if self.rng.random() < 0.2:
                data["variants"] = [{"name": f"GENE{i} variant {j}", "note": self.short(),
                                     "source": self.source_ref()} for j in range(2)]
            self.write("genes", "gene", data)
        for i, entity_id in enumerate(ids.method):
            data = self.entity("method", entity_id, i, f"Method {i}", f"方法{i}{self.zh_name(2)}")
            data["category"] = self.rng.choice(METHOD_CATEGORIES)
            self.write("methods", "method", data)
        for i, entity_id in enumerate(ids.source):
            links = self.pick(ids.linkable, 3)
            data = {
                "id": entity_id, "cite": ids.keys[i % len(ids.keys)],
                "name": {"en": f"Source document {i}", "zh": f"来源文献{i}"},
                "kind": self.rng.choice(SOURCE_KINDS),
                "summary": self.text(4, links, [ids.keys[i % len(ids.keys)]]),
                "scope": self.text(3, [], []),
            }
            if self.rng.random() < 0.5:
                data["note"] = self.text(2, [], [])
            self.write("sources", "source", data)

    def claims(self) -> None:
        ids = self.ids
        claim_ids: list[str] = []
        for i in range(self.sizes.claims):
            therapy = ids.therapy[i % len(ids.therapy)]
            pathway = self.rng.choice(ids.pathway)
            claim_id = f"claim-{i}"
            data: dict = {
                "id": claim_id, "therapy": therapy, "effect": self.rng.choice(EFFECTS),
                "pathway": pathway, "condition": self.rng.choice(ids.condition),
                "statement": self.text(self.rng.randint(1, 2), [therapy, pathway],
                                       self.keys(1) if self.rng.random() < 0.3 else []),
                "outcome": self.short(),
            }
            genes = self.pick(ids.gene, self.rng.randint(0, 2))
            if genes:
                data["genes"] = genes
            if self.rng.random() < 0.3:
                data["methods"] = self.pick(ids.method, 1)
            # rival explanations: an earlier claim about the same therapy
            same = [c for c in claim_ids[-len(ids.therapy) * 3:]
                    if int(c.split("-")[1]) % len(ids.therapy) == i % len(ids.therapy)]
            if same and self.rng.random() < 0.05:
                data["competes_with"] = [self.rng.choice(same)]
            if self.rng.random() < 0.2:
                data["note"] = self.text(2, self.pick(ids.linkable, 1), self.keys(1))
            data["evidence"] = []
            for _ in range(self.rng.randint(1, 3)):
                design = self.rng.choice(DESIGNS)
                item: dict = {
                    "design": design, "model": self.short(),
                    # where it was studied follows from the design, so the random stream (and
                    # the rest of the content) is the same as before the field was required
                    "studied_in": {"organism": ORGANISM_OF_DESIGN[design],
                                   "condition": data["condition"]},
                    "finding": self.text(self.rng.randint(1, 2), [],
                                         self.keys(1) if self.rng.random() < 0.2 else []),
                    "direction": "supports" if self.rng.random() < 0.9 else "contradicts",
                }
                if self.rng.random() < 0.2:
                    item["certainty"] = self.rng.choice(CERTAINTIES)
                item["source"] = self.source_ref()
                data["evidence"].append(item)
            self.write("claims", "claim", data)
            claim_ids.append(claim_id)

    def facts(self) -> None:
        ids = self.ids
        subjects_pool = ids.linkable + ids.source
        for i in range(self.sizes.facts):
            subjects = self.pick(subjects_pool, self.rng.randint(1, 2))
            data: dict = {
                "id": f"fact-{i}", "category": self.rng.choice(FACT_CATEGORIES),
                "subjects": subjects,
                "text": self.text(self.rng.randint(1, 3), subjects[:1], self.keys(1)),
            }
            if self.rng.random() < 0.5:
                data["design"] = self.rng.choice(DESIGNS)
            if self.rng.random() < 0.2:
                data["population"] = self.short()
            if self.rng.random() < 0.1:
                data["note"] = self.text(1, [], [])
            if data["category"] == "protocol":
                data["dose_basis"] = "no-dose"  # synthetic texts state no dose
            data["source"] = self.source_ref()
            self.write("facts", "fact", data)


def write_repository(root: Path, claims: int, seed: int = 20240601) -> Sizes:
    """Write ``content/`` and ``references.bib`` for ``claims`` claims; returns the counts."""
    sizes = Sizes.for_claims(claims)
    rng = random.Random(f"{seed}:{claims}")
    for folder in ("therapies", "pathways", "conditions", "genes", "methods", "sources",
                   "claims", "facts"):
        (root / "content" / folder).mkdir(parents=True, exist_ok=True)
    writer = _Writer(root, rng, sizes)
    writer.plan_ids()
    writer.references()
    writer.entities()
    writer.claims()
    writer.facts()
    return sizes


# --- plain Markdown pages of the same number and size, for the MkDocs baseline ------------------

def plain_page(rng: random.Random, lang: str, text_size: int, links: int, headings: int,
               title: str, others: list[str]) -> str:
    """Ordinary hand-written-looking Markdown with the text, links and headings of a page.

    Paragraphs and bullet lists in the page's language until the prose is as long (in UTF-8
    bytes) as the visible text of the generated page it stands for, with as many relative
    links to other pages (``others``, relative to this page's folder) and as many ``##``
    headings (each starts a search-index section) spread through it. Without the generated
    page's HTML markup, the file itself is smaller.
    """
    words, join = (EN_WORDS, " ") if lang == "en" else (ZH_WORDS, "")
    end = "." if lang == "en" else "。"
    head = f"---\ntitle: {title}\n---\n\n"  # Material shows the title as the page's h1
    parts, text, placed, titled = [head], len(title.encode()), 0, 0
    section = 0

    def link() -> str:
        return f"[{rng.choice(words)}]({rng.choice(others)})"

    while text < text_size or titled < headings:
        progress = min(1.0, text / text_size) if text_size else 1.0
        if titled < headings and (titled < headings * progress or text >= text_size):
            line = join.join(rng.choice(words) for _ in range(4))
            parts.append(f"## {line} {titled}\n\n")
            text += len(line.encode())
            titled += 1
            continue
        if section % 6 == 4:
            items = [join.join(rng.choice(words) for _ in range(6)) for _ in range(5)]
            line = " ".join(items)
            block = "".join(f"- {item}\n" for item in items) + "\n"
        else:
            chosen = [rng.choice(words) for _ in range(40 if lang == "en" else 30)]
            line = join.join(chosen) + end
            due = (links * min(1.0, (text + len(line.encode())) / text_size) - placed
                   if others else 0)
            for _ in range(int(due)):
                chosen.insert(rng.randint(0, len(chosen)), link())
                placed += 1
            block = join.join(chosen) + end + "\n\n"
        parts.append(block)
        text += len(line.encode())
        section += 1
    if others and placed < links:
        parts.append("".join(f"- {link()}\n" for _ in range(links - placed)) + "\n")
    return "".join(parts)
