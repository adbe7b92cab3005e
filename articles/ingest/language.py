"""Language / script detection: 'en', 'zh-hans' or 'zh-hant'.

Rule (shared/STACK.md): English when the text has fewer CJK characters than
Latin words; otherwise traditional when more characters change under OpenCC
t2s than under s2t, else simplified.  The characters each conversion changes
are counted from tables built once per process from OpenCC's conversions
(textutil.char_counts), so no conversion runs per call.
"""
from __future__ import annotations

from .textutil import char_counts, latin_word_count, script_counts

__all__ = ["detect_language", "script_counts"]

# Longer texts are sampled: the first and last parts carry the same signal and
# the OpenCC cost stays bounded.
_SAMPLE = 20000


def detect_language(text: str) -> str:
    if len(text) > _SAMPLE:
        half = _SAMPLE // 2
        text = text[:half] + "\n" + text[-half:]
    cjk, trad, simp = char_counts(text)
    if cjk == 0 or cjk < latin_word_count(text):
        return "en"
    return "zh-hant" if trad > simp else "zh-hans"
