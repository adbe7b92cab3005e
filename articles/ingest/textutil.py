"""Small text helpers shared by the ingest modules (no Django imports).

Everything here works on plain ``str`` values.  Regexes are compiled once at
import time and OpenCC converters are created once per configuration per
process (they are not picklable, so they are built lazily).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "CJK_RE",
    "LATIN_WORD_RE",
    "cjk_count",
    "latin_word_count",
    "units",
    "is_cjk_dominant",
    "opencc",
    "t2s",
    "s2t",
    "fold",
    "key",
    "loose_key",
    "changed_chars",
    "script_counts",
    "script_res",
    "char_counts",
    "normalise_line",
    "normalise_lines",
    "literal_alternation",
    "last_visible",
    "ends_sentence",
    "SENTENCE_END",
    "find_dates",
    "strip_dates",
    "TIME_RE",
]

# CJK Unified Ideographs (+ extension A, compatibility ideographs). Kana/Hangul
# are not counted: a Japanese or Korean page is not Chinese.
CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Runs of CJK characters: counting runs is ~4x faster than counting characters one match each.
_CJK_RUN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN_WORD_RE = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'’\-]*")

# Characters that end a sentence (the final visible character of a line).
SENTENCE_END = frozenset(".。!！?？;；…:：")
_CLOSERS = "\"'”’」』）)]】》>"

_WS_RE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
# For comparison keys: drop everything that is not a letter/digit/CJK.
_KEY_DROP_RE = re.compile(r"[\W_]+", re.UNICODE)


def cjk_count(text: str) -> int:
    if text.isascii():
        return 0
    return sum(map(len, _CJK_RUN_RE.findall(text)))


def latin_word_count(text: str) -> int:
    return len(LATIN_WORD_RE.findall(text))


def units(text: str) -> int:
    """Length in 'reading units': one per CJK character plus one per Latin word
    (and per run of digits)."""
    return cjk_count(text) + latin_word_count(text) + len(_DIGITS_RE.findall(text))


_DIGITS_RE = re.compile(r"\d+(?:[.,:]\d+)*")


def is_cjk_dominant(text: str) -> bool:
    return cjk_count(text) >= latin_word_count(text) and cjk_count(text) > 0


@lru_cache(maxsize=None)
def opencc(config: str):
    """One OpenCC converter per config per process."""
    import opencc as _opencc  # imported lazily: not needed for English-only work

    try:
        return _opencc.OpenCC(config)
    except Exception:  # some builds want the .json suffix
        return _opencc.OpenCC(config + ".json")


def t2s(text: str) -> str:
    if not text or not CJK_RE.search(text):
        return text
    return opencc("t2s").convert(text)


def s2t(text: str) -> str:
    if not text or not CJK_RE.search(text):
        return text
    return opencc("s2t").convert(text)


def fold(text: str) -> str:
    """Case- and script-folded form for matching: NFKC, traditional -> simplified,
    casefold, collapsed white space."""
    text = unicodedata.normalize("NFKC", text)
    text = t2s(text)
    return _WS_RE.sub(" ", text).casefold().strip()


def key(text: str) -> str:
    """Comparison key: NFKC, casefolded, with all white space and punctuation removed
    (so 'Shanghai.At the' == 'Shanghai. At the', and titles printed with or without
    a space compare equal).  No script folding: callers fold first when needed."""
    return _KEY_DROP_RE.sub("", unicodedata.normalize("NFKC", text).casefold())


def loose_key(text: str) -> str:
    return key(t2s(text))


_SCRIPT_RES: list = []


def script_res():
    """Regexes matching the characters OpenCC t2s changes (traditional-only) and
    the characters s2t changes (simplified-only).  Built once per process from
    one conversion of the whole CJK range (~0.1 s); counting with them is a
    C-speed scan, and agrees with counting the changes of a whole-text
    conversion (the rule in STACK.md) to within a few characters per thousand."""
    if not _SCRIPT_RES:
        chars = "".join(
            chr(i) for r in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)) for i in range(*r)
        )
        t = opencc("t2s").convert(chars)
        s = opencc("s2t").convert(chars)
        if len(t) == len(chars) and len(s) == len(chars):
            trad = "".join(a for a, b in zip(chars, t) if a != b)
            simp = "".join(a for a, b in zip(chars, s) if a != b)
        else:  # never seen: fall back to per-character conversion
            trad = "".join(c for c in chars if opencc("t2s").convert(c) != c)
            simp = "".join(c for c in chars if opencc("s2t").convert(c) != c)
        _SCRIPT_RES[:] = [re.compile("[" + re.escape(trad) + "]"), re.compile("[" + re.escape(simp) + "]")]
        _SCRIPT_CHARS[:] = [trad, simp]
    return _SCRIPT_RES


_SCRIPT_CHARS: list = []
_CHAR_TABLE: list = []
# Below this length the regexes count faster than a numpy pass.
_TABLE_MIN_LEN = 400


def _char_table():
    """A class per code point (1: CJK_RE, 2: traditional-only, 4: simplified-only),
    from the same character sets as CJK_RE and script_res: counting a long text is
    one table lookup over its code points."""
    if not _CHAR_TABLE:
        import numpy as np

        script_res()
        trad, simp = _SCRIPT_CHARS
        table = np.zeros(0x110000, dtype=np.uint8)
        for a, b in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)):
            table[a:b] = 1
        table[np.fromiter(map(ord, trad), dtype=np.uint32, count=len(trad))] |= 2
        table[np.fromiter(map(ord, simp), dtype=np.uint32, count=len(simp))] |= 4
        _CHAR_TABLE.append(table)
    return _CHAR_TABLE[0]


def char_counts(text: str) -> tuple[int, int, int]:
    """(CJK characters, traditional-only characters, simplified-only characters):
    ``cjk_count`` and ``script_counts`` in one pass."""
    if not text or text.isascii():
        return 0, 0, 0
    if len(text) < _TABLE_MIN_LEN:
        c = cjk_count(text)
        return (c, *script_counts(text)) if c else (0, 0, 0)
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    n = np.bincount(_char_table()[codes], minlength=8)
    return int(n[1::2].sum()), int(n[2] + n[3] + n[6] + n[7]), int(n[4] + n[5] + n[6] + n[7])


def script_counts(text: str) -> tuple[int, int]:
    """(traditional-only characters, simplified-only characters) in ``text``."""
    if not text or text.isascii():
        return 0, 0
    if len(text) >= _TABLE_MIN_LEN:
        return char_counts(text)[1:]
    trad_re, simp_re = script_res()
    return len(trad_re.findall(text)), len(simp_re.findall(text))


def changed_chars(a: str, b: str) -> int:
    """Number of positions where ``b`` (a conversion of ``a``) differs."""
    if a == b:
        return 0
    if len(a) == len(b):
        return sum(map(str.__ne__, a, b))
    # Phrase conversions may change length; fall back to a multiset difference.
    from collections import Counter

    ca, cb = Counter(a), Counter(b)
    return sum((ca - cb).values())


def literal_alternation(terms) -> str:
    """A regex source matching the same as the alternation of ``terms`` (literal
    strings) sorted longest first: at each position the longest term that matches.
    Built as a trie (``(?:ab(?:cd|d)?|x)`` for ab, abcd, abd, x), which Python's
    engine runs faster than a flat list of alternatives."""
    terms = set(terms)
    if "" in terms:  # an empty alternative matches everywhere: keep the plain form
        return "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    trie: dict = {}
    for t in terms:
        node = trie
        for ch in t:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:  # a term ends here: the longer ones are tried first
            return "(?:" + body + ")?" if len(alts) == 1 else body + "?"
        return body

    return build(trie)


_ZERO_WIDTH_RE = re.compile("[\u200b-\u200d\u2060\ufeff]")


def normalise_line(line: str) -> str:
    """Collapse runs of white space (incl. NBSP / ideographic space), drop
    zero-width characters, and strip the line."""
    s = " ".join(line.split())
    if not s.isascii() and _ZERO_WIDTH_RE.search(s):
        s = " ".join(_ZERO_WIDTH_RE.sub("", s).split())
    return s


def normalise_lines(text: str) -> list[str]:
    """``normalise_line`` of each of the text's newline-separated lines (the
    zero-width check runs once for the whole text)."""
    lines = text.split("\n")
    if not text.isascii() and _ZERO_WIDTH_RE.search(text):
        return [normalise_line(l) for l in lines]
    return [" ".join(l.split()) for l in lines]


def last_visible(line: str) -> str:
    s = line.rstrip()
    while s and s[-1] in _CLOSERS:
        s = s[:-1].rstrip()
    return s[-1] if s else ""


def ends_sentence(line: str) -> bool:
    """True when the line ends like a sentence (., 。, !, ?, …), looking through
    closing quotes and brackets."""
    return last_visible(line) in SENTENCE_END


# --------------------------------------------------------------------------
# Dates printed in text.  dateparser is wrong on Chinese month-day forms
# (STACK.md), so these are our own regexes; they only return *full* dates
# (year, month and day), never a month-day without a year.

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_RE = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# 2023-10-07, 2023/10/07, 2023.10.07, 2023年10月7日, 2023 年 10 月 7 日
_YMD_RE = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d\d)\s*(?P<s1>[-/.年])\s*(?P<m>\d{1,2})\s*(?P<s2>[-/.月])\s*(?P<d>\d{1,2})"
    r"(?:\s*日)?(?![\d])"
)
# Oct 7, 2023 / October 7th 2023 / Nov. 14, 2022
_MDY_RE = re.compile(
    r"(?<![a-z])" + _MONTH_RE + r"\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)"
    r"(?:(?!\d)|(?=\d{1,2}:\d\d))",  # 'March 5, 20242:15 AM' (a year glued to a time)
    re.IGNORECASE,
)
# 7 Oct 2023 / 7th October, 2023
_DMY_RE = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_RE + r"\.?,?\s+(?P<y>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
# 07/10/2023 (only when unambiguous: one part > 12)
_NUMERIC_DMY_RE = re.compile(r"(?<![\d/])(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>(?:19|20)\d\d)(?![\d/])")

TIME_RE = re.compile(
    r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:am|pm|a\.m\.|p\.m\.))?"
    r"(?:\s*\(?(?:[A-Z]{1,4}T|UTC|GMT|ET|PT|CT|MT|北京时间|北京時間)(?:[+-]\d{1,2}(?::?\d\d)?)?\)?)?",
    re.IGNORECASE,
)


def _mk_date(y: int, m: int, d: int):
    import datetime as _dt

    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


# Every full date holds a year 19xx / 20xx: lines without one skip the date regexes
# (whose leading look-behinds make them try every position).
_YEAR_QUICK_RE = re.compile(r"(?:19|20)\d\d")
_FULLWIDTH_DIGIT_RE = re.compile("[０-９]")
_MONTH_QUICK_RE = re.compile(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", re.IGNORECASE)


def find_dates(text: str):
    """All full dates printed in ``text``, in order: list of (date, start, end)."""
    if len(text) <= 200:
        # short strings (datelines, bylines, titles) are asked about by several
        # stages: clean's classification, then date extraction
        return list(_find_dates_cached(text))
    return _find_dates(text)


@lru_cache(maxsize=2048)
def _find_dates_cached(text: str) -> tuple:
    return tuple(_find_dates(text))


def _find_dates(text: str) -> list:
    if not text.isascii() and _FULLWIDTH_DIGIT_RE.search(text):
        text = text.translate(_FULLWIDTH_DIGITS)
    if not _YEAR_QUICK_RE.search(text):
        return []
    found = []
    for m in _YMD_RE.finditer(text):
        s1, s2 = m.group("s1"), m.group("s2")
        # separators must agree: 2023-10-07, 2023/10/07, 2023年10月…
        if (s1 == "年") != (s2 == "月") or (s1 != "年" and s1 != s2):
            continue
        dt = _mk_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if dt:
            found.append((dt, m.start(), m.end()))
    for rx in (_MDY_RE, _DMY_RE) if _MONTH_QUICK_RE.search(text) else ():
        for m in rx.finditer(text):
            dt = _mk_date(int(m.group("y")), _MONTHS[m.group("mon")[:3].lower()], int(m.group("d")))
            if dt:
                found.append((dt, m.start(), m.end()))
    for m in _NUMERIC_DMY_RE.finditer(text):
        a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        if a > 12 >= b:
            dt = _mk_date(y, b, a)
        elif b > 12 >= a:
            dt = _mk_date(y, a, b)
        else:
            dt = None  # 07/10/2023: ambiguous, not used
        if dt:
            found.append((dt, m.start(), m.end()))
    found.sort(key=lambda t: t[1])
    # drop overlaps (keep the first-starting)
    out = []
    last_end = -1
    for item in found:
        if item[1] >= last_end:
            out.append(item)
            last_end = item[2]
    return out


def strip_dates(text: str) -> str:
    """``text`` with its dates and clock times removed (to see what else a line holds)."""
    t = text.translate(_FULLWIDTH_DIGITS) if not text.isascii() and _FULLWIDTH_DIGIT_RE.search(text) else text
    spans = [(s, e) for _, s, e in find_dates(t)]
    for s, e in reversed(spans):
        t = t[:s] + " " + t[e:]
    return TIME_RE.sub(" ", t) if ":" in t else t  # a clock time holds a colon
