"""Chinese typography: what the validator warns about, and what it leaves alone."""

from __future__ import annotations

import pytest

from mechatlas.model.entities import Text
from mechatlas.validate.typography import typography_problems


def messages(text: str) -> list[str]:
    return [problem.message for problem in typography_problems(text)]


@pytest.mark.parametrize("text", [
    "针刺“百会”“大椎”穴可提升BDNF/TrkB信号通路活性（TBI大鼠模型）。",
    "在癫痫中，生酮饮食抑制AMPK/mTOR通路，p > 0.05。",
    "综述称[[acupuncture]]有效 [@zhang2026acupuncture]。",
    "见第2.1节（连同文中参考文献[10]）；IPSC频率+35%。",
])
def test_well_set_chinese_passes(text):
    assert messages(text) == []


def test_ascii_parentheses_around_chinese_are_reported():
    assert messages("原始研究(动物实验)") == ["use full-width （） around Chinese text"]


def test_ascii_quotes_around_chinese_are_reported():
    assert messages('针刺"百会"穴') == ["use “” (not \") around Chinese words"]


def test_a_space_between_chinese_characters_is_reported():
    assert messages("临床试验 或更强") == ["no space between Chinese characters"]


def test_a_space_before_chinese_punctuation_is_reported():
    assert messages("发作[1] 。") == ["no space next to Chinese punctuation"]


def test_half_width_comma_between_chinese_is_reported_by_autocorrect():
    assert messages("生酮饮食,针刺") == ["AutoCorrect suggests “生酮饮食，针刺”"]


def test_links_and_citations_are_not_checked_as_prose():
    assert messages('[[a-b]]与[@key"x]相关') == []


def test_folding_spaces_after_chinese_punctuation_are_dropped_from_the_text():
    assert Text.of({"zh": "神经递质、 G蛋白偶联受体，\nIL-1β “百会” 穴"}) == Text(
        None, "神经递质、G蛋白偶联受体，IL-1β “百会”穴")
