"""Script and case folding for matching, with a map back to the original text.

Plain functions on plain strings (no Django imports).  One OpenCC converter per
configuration per process, built lazily (OpenCC objects cannot be pickled, so
nothing here holds one at import time).

Folding = NFKC -> OpenCC t2s (phrase level) -> lower-case.  ``fold_with_offsets``
also removes white space between two CJK characters (``杭州 生物医药`` reads as
``杭州生物医药``) and keeps, for every folded character, the span of original
characters it came from, so a match in folded text can be reported with the
original surface.  In the common case every step keeps the length, and the map
is the identity (stored as ``None``: no per-character work at all).

``fold_key`` is the form used for dictionary keys (names, titles): folded, with
hyphens/dashes/underscores read as spaces, white space collapsed, and no white
space between CJK characters.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = [
    "CJK_CHAR_CLASS",
    "CJK_RE",
    "Folded",
    "converter",
    "t2s",
    "s2t",
    "fold",
    "fold_key",
    "fold_with_offsets",
    "nfkc",
    "has_cjk",
    "is_cjk_char",
    "cjk_count",
    "SEPARATOR_CHARS",
]

# CJK ideographs (unified, extension A, compatibility) -- what Chinese text is made of.
CJK_CHAR_CLASS = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK_CHAR_CLASS}]")
# White space between two CJK characters (not U+2029, the paragraph separator the tagger uses).
_CJK_SPACE_RE = re.compile(f"(?<=[{CJK_CHAR_CLASS}])[^\\S\u2029]+(?=[{CJK_CHAR_CLASS}])")
# The same, found faster (the scan skips ahead to white space; the character before is checked after).
_SPACE_BEFORE_CJK_RE = re.compile(f"[^\\S\u2029]+(?=[{CJK_CHAR_CLASS}])")

# Characters read as a word separator inside names: white space, hyphens and dashes, underscore,
# middle dots.  (After NFKC; the dashes U+2010-U+2015 survive NFKC except U+2011.)
SEPARATOR_CHARS = " \t\n\r\f\v\u00a0\u3000-_\u2010\u2011\u2012\u2013\u2014\u2015\u00b7\u30fb"
_SEPARATORS_RE = re.compile("[" + re.escape(SEPARATOR_CHARS) + "]+")
_WS_RE = re.compile(r"\s+")


@lru_cache(maxsize=None)
def converter(config: str):
    """The process's OpenCC converter for ``config`` ('t2s', 's2t', 's2twp', ...)."""
    import opencc

    try:
        return opencc.OpenCC(config)
    except Exception:  # some builds want the file name
        return opencc.OpenCC(config + ".json")


def has_cjk(text: str) -> bool:
    if text.isascii():  # constant time for a str
        return False
    return CJK_RE.search(text) is not None


def is_cjk_char(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF


def cjk_count(text: str) -> int:
    return len(CJK_RE.findall(text))


# Full-width ASCII forms are what NFKC changes in most Chinese text; replacing them first (same
# length) usually leaves a string that is already NFKC, and CPython's NFKC costs ~0.15 us/char.
_FULLWIDTH_COMMON = (("，", ","), ("：", ":"), ("；", ";"), ("（", "("), ("）", ")"), ("！", "!"), ("？", "?"),
                     ("\u3000", " "), ("％", "%"), ("\u00a0", " "))
_FULLWIDTH_RE = re.compile("[\uff01-\uff5e]")


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, fast on typical Chinese text."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    for a, b in _FULLWIDTH_COMMON:
        if a in text:
            text = text.replace(a, b)
    if _FULLWIDTH_RE.search(text):
        text = _FULLWIDTH_RE.sub(lambda m: chr(ord(m.group()) - 0xFEE0), text)
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


def t2s(text: str) -> str:
    """Traditional -> simplified (OpenCC t2s, phrase level).  Text without CJK is returned as is."""
    if not text or not has_cjk(text):
        return text
    return converter("t2s").convert(text)


def s2t(text: str) -> str:
    """Simplified -> traditional (OpenCC s2t)."""
    if not text or not has_cjk(text):
        return text
    return converter("s2t").convert(text)


def fold(text: str) -> str:
    """NFKC, t2s, lower-case.  White space is kept as it is (see ``fold_key``)."""
    return t2s(nfkc(text)).lower()


def fold_key(text: str) -> str:
    """The comparison form of a name: ``fold`` plus hyphens/dashes/underscores/middle dots read as
    spaces, white space collapsed to one space and stripped, no space between CJK characters.

    ``fold_key("Pudong-New  Area") == fold_key("pudong new area")``;
    ``fold_key("浦東 新區") == "浦东新区"``.
    """
    text = _SEPARATORS_RE.sub(" ", fold(text)).strip()
    return _CJK_SPACE_RE.sub("", text)


@dataclass(frozen=True, slots=True, eq=False)
class Folded:
    """Folded text plus, per folded character, where it came from in the original.

    ``starts``/``ends`` (numpy int arrays) give, for each folded character, the original span it
    came from; both are ``None`` when folding kept every position (the identity map).
    """

    text: str
    original: str
    starts: np.ndarray | None = None
    ends: np.ndarray | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` that folded ``[start, end)`` came from."""
        if self.starts is None:
            return start, end
        if end <= start:
            pos = int(self.starts[start]) if start < len(self.starts) else len(self.original)
            return pos, pos
        return int(self.starts[start]), int(self.ends[end - 1])

    def original_text(self, start: int, end: int) -> str:
        s, e = self.original_span(start, end)
        return self.original[s:e]


def _nfkc_step(text: str) -> tuple[str, list[tuple[int, int]]]:
    """NFKC cluster by cluster (a base character and its combining marks), with the span map."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        norm = unicodedata.normalize("NFKC", text[i:j])
        out.append(norm)
        spans.extend([(i, j)] * len(norm))
        i = j
    return "".join(out), spans


def _per_char_step(text: str, func) -> tuple[str, list[tuple[int, int]]]:
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        conv = func(ch)
        out.append(conv)
        spans.extend([(i, i + 1)] * len(conv))
    return "".join(out), spans


def _compose(starts, ends, step: list[tuple[int, int]], n_prev: int):
    """Compose the map so far (``None`` = identity over the previous text) with a step map (new
    character -> span of the previous text)."""
    if not step:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    s = np.fromiter((a for a, _ in step), dtype=np.int64, count=len(step))
    e = np.fromiter((b for _, b in step), dtype=np.int64, count=len(step))
    if starts is None:
        return s, e
    empty = e <= s  # an inserted character: anchor it at its position
    s_idx = np.minimum(s, max(n_prev - 1, 0))
    new_s = starts[s_idx] if n_prev else np.zeros(len(s), dtype=np.int64)
    new_e = np.where(empty, new_s, ends[np.maximum(e - 1, 0)] if n_prev else new_s)
    return new_s, new_e


def fold_with_offsets(text: str) -> Folded:
    """Fold ``text`` (NFKC, t2s, lower-case, no white space between CJK characters) keeping the map
    from folded positions back to the original."""
    current = text
    starts = ends = None

    def apply(new: str, step_builder) -> None:
        nonlocal current, starts, ends
        if len(new) == len(current):
            current = new  # position-preserving: the map is unchanged
            return
        new, step = step_builder(current)
        starts, ends = _compose(starts, ends, step, len(current))
        current = new

    apply(nfkc(current), _nfkc_step)
    cjk = has_cjk(current)
    if cjk:
        conv = converter("t2s").convert
        apply(conv(current), lambda t: _per_char_step(t, conv))
    apply(current.lower(), lambda t: _per_char_step(t, str.lower))
    gaps = [m for m in _SPACE_BEFORE_CJK_RE.finditer(current) if m.start() and is_cjk_char(current[m.start() - 1])] \
        if cjk else ()
    if gaps:
        keep = np.ones(len(current), dtype=bool)
        pieces: list[str] = []
        last = 0
        for m in gaps:
            keep[m.start():m.end()] = False
            pieces.append(current[last:m.start()])
            last = m.end()
        pieces.append(current[last:])
        idx = np.flatnonzero(keep)
        if starts is None:
            starts, ends = idx, idx + 1
        else:
            starts, ends = starts[idx], ends[idx]
        current = "".join(pieces)
    return Folded(current, text, starts, ends)


def collapse_ws(text: str) -> str:
    return _WS_RE.sub(" ", text).strip()
