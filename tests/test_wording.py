"""Wording faults link insertion produces, and the words a link puts into a sentence."""

from __future__ import annotations

from mechatlas.model.entities import Text
from mechatlas.model.link_text import LinkName, lower_first, plain_text, shorten
from mechatlas.model.wording import WordingFault, wording_faults
from mechatlas.pipeline import load_project


def codes(text: str) -> list[tuple[str, str]]:
    return [(f.code, f.words) for f in wording_faults(text)]


def test_a_doubled_english_word_is_found():
    assert codes("regulation of the AMPK/mTOR pathway pathway and more") == [
        ("doubled-words", "pathway")]


def test_a_doubled_phrase_is_found_whatever_its_case():
    assert codes("through mTOR signalling mTOR Signalling.") == [
        ("doubled-words", "mTOR signalling")]


def test_a_doubled_chinese_word_is_found():
    assert codes("可增强AMPK/mTOR通路通路的调控效果") == [("doubled-words", "通路")]


def test_initials_and_numbers_are_not_doubled_words():
    assert codes("THIO L L, RENSING N R. Volume 16 16.") == []


def test_a_name_repeated_inside_its_parentheses_is_found():
    assert codes("formulas and natural products (formulas and natural products) show") == [
        ("self-repeating-parenthesis", "formulas and natural products")]


def test_a_parenthesis_repeated_after_it_is_found():
    text = "Acupuncture (including electroacupuncture), including electroacupuncture, acts"
    assert codes(text) == [("self-repeating-parenthesis", "including electroacupuncture")]


def test_a_parenthesis_naming_a_kind_the_name_ends_with_is_found():
    assert codes("NF-κB pathway (Pathway) · Ketamine") == [
        ("self-repeating-parenthesis", "Pathway")]


def test_an_explaining_parenthesis_is_not_a_fault():
    assert codes("AMPK (AMPK/mTOR pathway) and Fibromodulin (FMOD) and 针刺（含电针）") == []


def test_parentheses_three_deep_are_found_once():
    assert wording_faults("in another population (rats (after injury (TBI))) only") == [
        WordingFault("nested-parentheses", "TBI", 42)]


def test_shorten_drops_an_explaining_parenthesis_but_keeps_an_abbreviation():
    assert shorten("Acupuncture (including electroacupuncture)") == "Acupuncture"
    assert shorten("mTOR signalling (mTORC1/mTORC2)") == "mTOR signalling"
    assert shorten("针刺（含电针）") == "针刺"
    assert shorten("Fibromodulin (FMOD)") == "Fibromodulin (FMOD)"
    assert shorten("Serotonin (5-HT) system") == "Serotonin (5-HT) system"


def test_lower_first_touches_only_a_plain_capitalised_word():
    assert lower_first("Drug-resistant epilepsy") == "drug-resistant epilepsy"
    assert [lower_first(n) for n in ("GABAergic system", "mTOR signalling", "NF-κB pathway",
                                     "CRISPR activation")] == [
        "GABAergic system", "mTOR signalling", "NF-κB pathway", "CRISPR activation"]


def test_a_link_says_the_short_name_lower_cased_mid_sentence_unless_a_proper_name():
    acupuncture = LinkName(Text("Acupuncture (including electroacupuncture)", "针刺（含电针）"))
    dravet = LinkName(Text("Dravet syndrome", "Dravet综合征"), proper_name=True)
    assert acupuncture.in_text("en", mid_sentence=True) == "acupuncture"
    assert acupuncture.in_text("en", mid_sentence=False) == "Acupuncture"
    assert acupuncture.in_text("zh", mid_sentence=True) == "针刺"
    assert dravet.in_text("en", mid_sentence=True) == "Dravet syndrome"


def test_an_explicit_short_name_wins():
    name = LinkName(Text("Traditional Chinese medicine formulas and natural products",
                         "中药复方及天然产物"), Text("TCM formulas", "中药复方"))
    assert name.in_text("en", mid_sentence=True) == "TCM formulas"
    assert name.in_text("zh", mid_sentence=True) == "中药复方"


def test_plain_text_reads_as_the_page_prints_it():
    names = {"ml": LinkName(Text("Machine learning (including deep learning)",
                                 "机器学习（含深度学习）"))}
    text = ("Traditional [[ml]] avoids the overfitting that deep learning suffers [@key]. "
            "[[ml]] helps; [[ml|learned models]] too.")
    assert plain_text(text, names, "en") == (
        "Traditional machine learning avoids the overfitting that deep learning suffers. "
        "Machine learning helps; learned models too.")


def warnings_of(root, code: str) -> list[str]:
    project = load_project(root)
    return [str(d) for d in project.diagnostics if d.code == code and not d.is_error]


def test_check_warns_at_the_text_line_about_a_word_doubled_by_a_link(mini_repo, write):
    write("content/methods/test-method.yaml",
          "id: test-method\nname: {en: Test imaging, zh: 测试成像}\nsummary:\n"
          "  en: It images the [[test-pathway]] pathway.\n"
          "  zh: 它显示[[test-pathway]]通路。\n")
    assert warnings_of(mini_repo, "doubled-words") == [
        "content/methods/test-method.yaml:4:7: doubled-words: warning: summary.en 'pathway' is"
        " doubled as the page prints it: “…It images the test pathway pathway.…”; reword it or"
        " write [[id|your words]]",
        "content/methods/test-method.yaml:5:7: doubled-words: warning: summary.zh '通路' is"
        " doubled as the page prints it: “…它显示测试通路通路。…”; reword it or write"
        " [[id|your words]]"]


def test_check_warns_about_a_name_repeated_in_its_own_parentheses(mini_repo, write):
    write("content/methods/test-method.yaml",
          "id: test-method\nname: {en: Test imaging, zh: 测试成像}\nsummary:\n"
          "  en: A test diet ([[test-diet]]) is imaged.\n"
          "  zh: 测试饮食（[[test-diet]]）被显示。\n")
    found = warnings_of(mini_repo, "self-repeating-parenthesis")
    assert [line.split(": warning")[0] for line in found] == [
        "content/methods/test-method.yaml:4:7: self-repeating-parenthesis",
        "content/methods/test-method.yaml:5:7: self-repeating-parenthesis"]


def test_check_warns_about_parentheses_three_deep(mini_repo, write):
    write("content/methods/test-method.yaml",
          "id: test-method\nname: {en: Test imaging, zh: 测试成像}\nsummary:\n"
          "  en: Imaging (of rats (after injury (TBI))) works.\n  zh: 测试成像有效。\n")
    assert [line.split(": warning")[0] for line in warnings_of(mini_repo, "nested-parentheses")
            ] == ["content/methods/test-method.yaml:4:7: nested-parentheses"]


def test_the_writers_own_words_are_not_flagged(mini_repo, write):
    write("content/methods/test-method.yaml",
          "id: test-method\nname: {en: Test imaging, zh: 测试成像}\nsummary:\n"
          "  en: It images the [[test-pathway|test]] pathway.\n"
          "  zh: 它显示[[test-pathway|测试]]通路。\n")
    project = load_project(mini_repo)
    assert [d for d in project.diagnostics if d.code in ("doubled-words",
                                                           "self-repeating-parenthesis")] == []


def test_a_page_gains_the_other_terms_of_each_synonym_group_it_uses():
    from mechatlas.site.search_terms import synonyms_for

    group = ("adverse effects", "side effects", "不良反应", "副作用")
    assert synonyms_for("<h2>Adverse effects</h2><p>Mild.</p>", [group]) == [
        "side effects", "不良反应", "副作用"]
    assert synonyms_for("<p>Sideways: no match.</p>", [group]) == []
    assert synonyms_for("<p>有副作用。</p>", [group]) == [
        "adverse effects", "side effects", "不良反应"]
    # The characters outside ASCII that a case-blind pattern reads as ASCII letters still count.
    assert synonyms_for("<p>\u017fIDE EFFECTS</p>", [group]) == [
        "adverse effects", "不良反应", "副作用"]
    assert synonyms_for("<p>\u212aetogenic diet</p>", [("ketogenic diet", "生酮饮食")]) == [
        "生酮饮食"]


def test_names_are_also_indexed_as_the_browser_cuts_a_query():
    from mechatlas.site.search_terms import spelled_out

    assert spelled_out(["Adenosine signalling", "腺苷", "A1受体", "腺", "CP-101,606"]) == [
        "腺 苷 腺苷", "受 体 受体", "CP-101606"]
    pieces = spelled_out(["正电子发射断层扫描"])[0].split()
    assert {"正", "电子", "发射", "断层", "扫描", "正电子"} <= set(pieces)
