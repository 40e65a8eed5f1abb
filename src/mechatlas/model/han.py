"""Which characters are Chinese: one definition for every check, split and fold.

Han ideographs (CJK Unified Ideographs with extension A, the compatibility block and the
supplementary-plane extensions B–F) and, separately, CJK and full-width punctuation, for the
rules that treat "next to Chinese text" alike for characters and their punctuation.
"""

from __future__ import annotations

import re

HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
"""Han ideographs, as a character-class body: ``f"[{HAN_RANGES}]"``."""
CJK_PUNCTUATION_RANGES = "\u3000-\u303f\uff00-\uffef"
"""CJK symbols and punctuation (、。「」…) and the full-width forms (（），：；…)."""
HAN = re.compile(f"[{HAN_RANGES}]")
HAN_RUN = re.compile(f"[{HAN_RANGES}]+")
