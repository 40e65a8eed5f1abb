"""The real content is faithful to the five seed documents and complete.

The seeds live outside the repository (``../shared/seeds`` or
``$MECHATLAS_SEEDS``); these tests are skipped, with a reason, where they are absent.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from mechatlas.diagnostics import Severity
from mechatlas.pipeline import load_project

REPO = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("MECHATLAS_SEEDS", REPO.parent / "shared" / "seeds"))
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed documents not at {SEEDS}")

# Entities and claims each seed must contribute (ids), as a reader would look for them.
EXPECTED = {
    "000": {
        "pathway": ["ampk-mtor", "glutamate-gaba-balance", "nrf2-ho1", "nf-kb",
                    "microbiota-gut-brain-axis"],
        "therapy": ["ketogenic-diet", "probiotics"],
        "condition": ["epilepsy", "drug-resistant-epilepsy", "temporal-lobe-epilepsy",
                      "tuberous-sclerosis-complex", "status-epilepticus"],
        "gene": ["gad1"],
        "claim": ["kd-activates-ampk-inhibits-mtor", "kd-inhibits-mtor-tuberous-sclerosis",
                  "kd-bhb-enhances-gabaergic-inhibition", "kd-activates-nrf2-ho1",
                  "kd-inhibits-nf-kb-neuroinflammation",
                  "probiotics-gut-brain-seizure-control-dre", "kd-reshapes-gut-microbiota-dre"],
        "source": ["ketogenic-diet-dre-review-2026"],
    },
    "001": {
        "pathway": ["gabaergic-system", "nlrp3-inflammasome", "serotonin",
                    "mitochondrial-energy-metabolism"],
        "therapy": ["acupuncture", "acupuncture-ketogenic-diet", "epilepsy-surgery"],
        "source": ["acupuncture-ketogenic-diet-review-2026"],
    },
    "002": {
        "therapy": ["antiseizure-medications", "antisense-oligonucleotides",
                    "gene-supplementation-therapy", "crispr-genome-editing", "crispr-activation",
                    "closed-loop-neurostimulation"],
        "condition": ["dravet-syndrome", "gefs-plus", "developmental-epileptic-encephalopathy"],
        "gene": ["scn1a", "kcnq2", "cacna1h", "cacna1c", "tsc1", "tsc2", "mtor", "csmd1",
                 "ep400", "slc25a22", "kcna1", "hla-b"],
        "method": ["whole-genome-sequencing", "whole-exome-sequencing", "rna-seq", "mri-7t",
                   "fmri", "dti", "pet", "spect", "machine-learning", "brain-computer-interface",
                   "multimodal-data-integration"],
        "claim": ["base-prime-editing-repairs-scn1a-dravet",
                  "crispra-kcna1-lowers-excitability-tle"],
        "source": ["epilepsy-precision-medicine-review"],
    },
    "003": {
        "pathway": ["mtor-signalling", "pi3k-akt-mtor", "glutamate-receptors", "bdnf-trkb",
                    "autophagy", "mapk-erk"],
        "therapy": ["ketamine", "esketamine", "cp-101606", "rapamycin", "zhizichi-decoction",
                    "tcm-formulas", "daidzein", "hydrogen-sulfide", "fibromodulin",
                    "deep-brain-stimulation", "aerobic-exercise", "ssris"],
        "condition": ["depression"],
        "gene": ["grin2b", "ntrk2"],
        "claim": ["ketamine-activates-mtor-synaptic-protein-synthesis",
                  "rapamycin-inhibits-mtor-depression"],
        "source": ["mtor-depression-review"],
    },
    "004": {
        "pathway": ["adenosine-signalling"],
        "therapy": ["electroconvulsive-therapy", "sleep-deprivation", "acute-intermittent-hypoxia",
                    "ketamine-derivatives"],
        "condition": ["treatment-resistant-depression"],
        "gene": ["adora1", "adora2a"],
        "method": ["grab-sensors"],
        "claim": ["ketamine-activates-adenosine-signalling", "ect-activates-adenosine-signalling",
                  "sleep-deprivation-activates-adenosine-signalling",
                  "acute-intermittent-hypoxia-activates-adenosine-signalling",
                  "ketamine-derivatives-activate-adenosine-signalling"],
        "source": ["adenosine-rapid-antidepressant-news-2025"],
    },
}
NUMBER = re.compile(r"(?<![A-Za-z0-9.])\d+(?:\.\d+)?(?![A-Za-z0-9])")
ANY_NUMBER = re.compile(r"\d+(?:\.\d+)?")
HLA_ALLELE = re.compile(r"\*(\d{2}):(\d{2})")


@pytest.fixture(scope="module")
def project():
    loaded = load_project(REPO)
    assert loaded.ok, "\n".join(str(d) for d in loaded.diagnostics if d.is_error)
    return loaded


@pytest.fixture(scope="module")
def seed_numbers() -> set[str]:
    text = "\n".join(p.read_text("utf-8", errors="replace") for p in sorted(SEEDS.glob("*.txt")))
    return set(ANY_NUMBER.findall(text))


def test_real_content_has_no_errors_and_no_missing_translations(project):
    assert [str(d) for d in project.diagnostics if d.severity is Severity.WARNING] == []


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_every_expected_entity_and_claim_of_a_seed_is_present(project, seed):
    atlas = project.atlas
    present = {**{e.id: e.kind for e in atlas.entities.values()},
               **{c: "claim" for c in atlas.claims}}
    missing = [f"{kind} {item}" for kind, ids in EXPECTED[seed].items() for item in ids
               if present.get(item) != kind]
    assert missing == [], f"seed {seed}: add these entries under content/"


def test_every_source_page_lists_claims_or_facts(project):
    atlas = project.atlas
    for source in atlas.of_kind("source"):
        key = source.fields["cite"]
        used = [c for c in atlas.claims.values() if any(e.source.cite == key for e in c.evidence)]
        used += [f for f in atlas.facts.values() if f.source.cite == key]
        assert used, f"source {source.id} ({key}) is cited by no claim or fact"


@needs_seeds
def test_every_number_in_the_content_occurs_in_the_seeds(project, seed_numbers):
    unknown = []
    atlas = project.atlas
    texts = []
    for claim in atlas.claims.values():
        texts += [(claim.path, t) for t in (claim.statement, claim.note, claim.outcome) if t]
        for item in claim.evidence:
            texts += [(claim.path, item.finding), (claim.path, item.model)]
    for fact in atlas.facts.values():
        texts += [(fact.path, t) for t in (fact.text, fact.population, fact.note) if t]
    for entity in atlas.entities.values():
        texts.append((entity.path, entity.summary))
    for path, text in texts:
        for value in (text.en, text.zh):
            # HLA nomenclature written beside the seed's "HLA-B1502": "HLA-B*15:02" is that allele.
            value = HLA_ALLELE.sub(r"\1\2", value or "")
            for number in NUMBER.findall(re.sub(r"\[@[^\]]*\]|\[\[[^\]]*\]\]", "", value)):
                if number not in seed_numbers:
                    unknown.append(f"{path}: {number}")
    assert unknown == [], "numbers not found in any seed document"


@needs_seeds
def test_every_doi_in_references_bib_occurs_in_the_seeds(project):
    seeds = "\n".join(p.read_text("utf-8", errors="replace") for p in SEEDS.glob("*.txt")).lower()
    invented = [ref.key for ref in project.references.values()
                if ref.doi and ref.doi.lower() not in seeds]
    assert invented == []
