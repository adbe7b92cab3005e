"""The one analyzer: index time, query time and highlighting.

Pipeline (:func:`analyze`)::

    original text
      -> fold(): NFKC, then OpenCC t2s at phrase level (one converter per
         process, one call per text, protected names kept), with a map from
         every folded character back to the ORIGINAL offsets
      -> split into CJK runs and non-CJK tokens (one regex pass)
      -> CJK runs: rjieba default mode, HMM off, with the user words, plus
         jieba's search-mode sub-words (search/segmenter.py)
      -> non-CJK tokens: codes kept whole (PD-1, PD-L1, CAR-T, IL-6, HER2,
         18.2 ...), lower-cased; English words lower-cased, stop words
         dropped, Snowball-stemmed (cached)
      -> tokens numbered 0, 1, 2 ... (positions count tokens, never characters)
         with start/end offsets into the original text

Positions (the choice, and why)
-------------------------------
Search mode emits overlapping words: 上海浦东新区 gives 上海, 浦东, 新区 and
上海浦东新区.  Positions follow a *main path* through that lattice, chosen per
exact (default-mode) word by :meth:`search.segmenter.Segmenter.lattice`:

* if the word's search-mode sub-words tile it (上海|浦东|新区, 生物|医药,
  马克思|主义), the pieces are the main path and take consecutive positions;
  the whole word takes the position of its first piece (like a synonym) and
  any other sub-word the position of the piece it starts in;
* otherwise (抑制剂, 信迪利单抗 as a user word, any 1-2 character word) the
  word itself is the main path and takes one position, its sub-words share it.

Non-CJK tokens take one position each; stop words take none (so "inhibitor
of PD-1" matches the phrase "inhibitor PD-1" as Whoosh's own StopFilter would).

``analyze(q, for_query=True)`` (and Whoosh ``mode="query"``) returns the main
path only, with consecutive positions, so a phrase query is simply the query's
main-path terms in order.  It lines up with a document wherever the document
contains the same characters segmented into the same pieces - which holds
even where the exact segmentation differs: the query 浦东新区 (one dictionary
word) reads as 浦东, 新区, and so does the document text 上海浦东新区 (one
bigger dictionary word).  Whoosh's query parser builds such phrases itself
(quoted text -> Phrase of the tokens), and ANDs the pieces of an unquoted
word.  :func:`query_words` also gives each exact word with its pieces, for an
engine that wants ``Term(word) | Phrase(pieces)``.

Offsets
-------
``fold`` keeps, for every folded character, the original offset of the
character (or NFKC cluster: ﬁ, ㈱, e+combining accent) it came from.  A token's
start maps to the start of its first cluster and its end to the end of its
last cluster, so ``original[tok.start:tok.end]`` is always the token's surface
in the original script (醫藥 for the term 医药, ＰＤ－１ for pd-1, ﬁ for "fi").
In the common cases (ASCII, or only 1:1 changes such as full-width
punctuation and t2s) the map is the identity and costs nothing.

Everything heavy (OpenCC, rjieba, the NFKC tables) is built lazily once per
process and never stored on the Whoosh objects, so analyzers pickle small.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_right
from itertools import accumulate, chain, islice
from dataclasses import dataclass
from typing import Any, NamedTuple

from whoosh.analysis import STOP_WORDS as _WHOOSH_STOP_WORDS
from whoosh.analysis import Token, Tokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer

from . import segmenter as _segmenter
from .segmenter import CJK_CHARS

__all__ = [
    "ANALYZER_VERSION",
    "PROTECTED_NAMES",
    "STOP_WORDS",
    "BilingualTokenizer",
    "CharTokenizer",
    "QueryWord",
    "Tok",
    "analyze",
    "bilingual_analyzer",
    "char_analyzer",
    "char_terms",
    "fold",
    "query_terms",
    "query_words",
]

# Bump when a change alters the terms or positions produced for some text:
# the tokenizers compare equal only at the same version, so a schema check
# (``ix.schema != schema``) notices that the index needs a rebuild.
ANALYZER_VERSION = 1

# Names OpenCC t2s gets wrong, in the form the index must keep (checked with
# opencc 1.4.2: t2s writes 乾县 (Qian County) as 干县, 乾安 as 干安, 乾佑 as
# 干佑, the surname 於 as 于).  Their traditional spellings (OpenCC s2t, s2tw,
# s2hk of each) fold to the same form.  Only names t2s actually changes
# belong here; each is protected with same-length placeholders, so offsets
# are unaffected.
PROTECTED_NAMES: tuple[str, ...] = (
    "乾县",
    "乾安",
    "乾佑",
    "於梨华",
)

# Whoosh's list without 'us' (the US), 'may' (the month), 'tbd', plus a few
# common function words.  Applied to lower-case and Capitalized words only:
# all-caps tokens (US, WHO, IT) are kept.
STOP_WORDS: frozenset[str] = (frozenset(_WHOOSH_STOP_WORDS) - {"us", "may", "tbd"}) | {
    "also",
    "been",
    "but",
    "had",
    "has",
    "into",
    "its",
    "s",
    "t",
    "than",
    "their",
    "they",
    "was",
    "were",
    "which",
}

MAX_TERM_CHARS = 80  # longer non-CJK tokens (base64, URLs glued together) are dropped

# ---------------------------------------------------------------------------
# Regular expressions (compiled once)

_CJK_RUN_RE = re.compile(f"[{CJK_CHARS}]+")
_WORDCH = rf"[^\W_{CJK_CHARS}]"
_UNIT = rf"{_WORDCH}+(?:(?<=\d)\.\d{_WORDCH}*)*"  # 18.2, 3.5mg, HER2, mRNA
_JOIN = "[-\u2010\u2011&]"  # hyphens (ASCII, U+2010, U+2011 non-breaking) and R&D
# group 1: a CJK run; otherwise a non-CJK token ("China's" gives china + s,
# and s is a stop word)
_TOKEN_RE = re.compile(rf"([{CJK_CHARS}]+)|{_UNIT}(?:{_JOIN}{_UNIT})*")
_JOIN_RE = re.compile(_JOIN)
_DIGIT_RE = re.compile(r"\d")
# lone surrogates (possible in a str from JSON) and our placeholder range
_BAD_RE = re.compile("[\ud800-\udfff\U0010fc00-\U0010ffff]")
_PLACEHOLDER_BASE = 0x10FC00
_PLACEHOLDER_RUN_RE = re.compile("([\U0010fc00-\U0010ffff])\\1*")

# Hyphen rules (see _classify): short parts that are English, not codes.
_SHORT_ENGLISH = frozenset({"in", "up", "on", "of", "to", "by", "at", "or", "an", "as"})
# Leading parts split off a code: anti-PD-1 -> anti, pd-1.
_PREFIXES = frozenset({"anti", "non", "pre", "post", "pan", "multi", "semi"})

# ---------------------------------------------------------------------------
# Per-process lazy singletons (never pickled)

_lock = threading.Lock()
_t2s = None
_protect: tuple[re.Pattern[str], dict[str, int], tuple[str, ...]] | None = None
_nfkc: tuple[dict[int, str], re.Pattern[str], frozenset[str]] | None = None
_stemmer = None


def _converter():
    global _t2s
    conv = _t2s
    if conv is None:
        with _lock:
            if _t2s is None:
                import opencc

                _t2s = opencc.OpenCC("t2s")
            conv = _t2s
    return conv


def _protection() -> tuple[re.Pattern[str], dict[str, int], tuple[str, ...]]:
    """(regex matching any protected name or a traditional spelling of it,
    spelling -> placeholder number, placeholder number -> name)."""
    global _protect
    prot = _protect
    if prot is not None:
        return prot
    import opencc

    convs = [opencc.OpenCC(c) for c in ("s2t", "s2tw", "s2hk")]
    index: dict[str, int] = {}
    targets: list[str] = []
    for name in PROTECTED_NAMES:
        name = unicodedata.normalize("NFKC", name)
        if not name or name in index:
            continue
        idx = len(targets)
        targets.append(name)
        index[name] = idx
        for conv in convs:
            spelling = conv.convert(name)
            if len(spelling) == len(name):  # placeholders keep lengths
                index.setdefault(spelling, idx)
    if index:
        alts = sorted(index, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(v) for v in alts))
    else:
        pattern = re.compile("(?!x)x")
    prot = _protect = (pattern, index, tuple(targets))
    return prot


def _nfkc_tables() -> tuple[dict[int, str], re.Pattern[str], frozenset[str]]:
    """(1:1 translate table, regex of 'hard' characters, 'attach' set).

    Built once per process by scanning U+0000..U+2FFFF (~0.1 s); every
    character NFKC changes lies below U+30000.

    * easy: NFKC gives one character that neither combines nor composes
      (full-width forms, ①, compatibility ideographs): done by str.translate,
      lengths unchanged.
    * attach: characters that may combine with the character before them
      (combining marks, second halves of canonical pairs, Hangul V/T jamo,
      and characters whose NFKC begins with one, e.g. half-width voiced
      kana mark).
    * hard: everything else NFKC changes (ﬁ, ㈱, …) plus attach characters;
      handled cluster by cluster with an offset map.
    """
    global _nfkc
    tables = _nfkc
    if tables is not None:
        return tables
    with _lock:
        if _nfkc is not None:
            return _nfkc
        norm = unicodedata.normalize
        comb = unicodedata.combining
        decomp = unicodedata.decomposition
        limit = 0x30000
        maybe = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
        for cp in range(limit):
            if 0xD800 <= cp < 0xE000:
                continue
            d = decomp(chr(cp))
            if d and d[0] != "<":
                parts = d.split()
                if len(parts) == 2:
                    maybe.add(int(parts[1], 16))
        maybe_chars = {chr(cp) for cp in maybe}

        def attaches(ch: str) -> bool:
            return bool(comb(ch)) or ch in maybe_chars

        easy: dict[int, str] = {}
        hard: list[int] = []
        attach: set[str] = set()
        for cp in range(limit):
            if 0xD800 <= cp < 0xE000:
                continue
            c = chr(cp)
            n = norm("NFKC", c)
            is_attach = attaches(c) or (n != "" and attaches(n[0]))
            if is_attach:
                attach.add(c)
                hard.append(cp)
            elif n != c:
                if len(n) == 1 and not attaches(n):
                    easy[cp] = n
                else:
                    hard.append(cp)
        # sre tests a class with ranges above U+FFFF range by range; keep the
        # BMP part (a bitmap) separate and guard the rest with one range test.
        bmp = [cp for cp in hard if cp < 0x10000]
        astral = [cp for cp in hard if cp >= 0x10000]
        alts = [f"[{_ranges(bmp)}]"]
        if astral:
            alts.append(f"(?=[\U00010000-\U0010ffff])[{_ranges(astral)}]")
        hard_re = re.compile(f"(?:{'|'.join(alts)})+")
        _nfkc = (easy, hard_re, frozenset(attach))
        return _nfkc


def _ranges(cps: list[int]) -> str:
    out = []
    cps = sorted(cps)
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        a, b = cps[i], cps[j]
        out.append(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}")
        i = j + 1
    return "".join(out)


_stem_lock = threading.Lock()


def _stem_word(word: str) -> str:
    """Snowball English.  A stemmer object keeps state between calls, so it
    is shared under a lock (called only on a cache miss in _latin)."""
    global _stemmer
    with _stem_lock:
        if _stemmer is None:
            import snowballstemmer

            _stemmer = snowballstemmer.stemmer("english")
        return _stemmer.stemWord(word)


# ---------------------------------------------------------------------------
# Folding and the offset map


class _ClusterMap:
    """Folded -> original offsets, stored as the few places where they are
    not a plain shift: clusters (fs, fe) of folded text made from original
    (os, oe) with a different length or more than one character (ﬁ -> fi,
    … -> ..., ㈱ -> (株), e + U+0301 -> é).  Between clusters,
    original = folded + (oe - fe of the cluster before).

    A token starting inside a cluster starts at the cluster's original start;
    one ending inside a cluster ends at its original end, so the surface of a
    token always covers whole original characters.
    """

    __slots__ = ("fs", "fe", "os", "oe")

    def __init__(self, fs: list[int], fe: list[int], os: list[int], oe: list[int]):
        self.fs, self.fe, self.os, self.oe = fs, fe, os, oe

    def start(self, f: int) -> int:
        i = bisect_right(self.fs, f) - 1
        if i < 0:
            return f
        if f < self.fe[i]:
            return self.os[i]
        return f + self.oe[i] - self.fe[i]

    def end(self, f: int) -> int:
        g = f - 1
        i = bisect_right(self.fs, g) - 1
        if i < 0:
            return f
        if g < self.fe[i]:
            return self.oe[i]
        return f + self.oe[i] - self.fe[i]


class _ListMap:
    """Folded -> original offsets as full lists (the rare t2s fallback)."""

    __slots__ = ("starts", "ends")

    def __init__(self, starts: list[int], ends: list[int]):
        self.starts, self.ends = starts, ends

    def start(self, f: int) -> int:
        return self.starts[f]

    def end(self, f: int) -> int:
        return self.ends[f]


OffsetMap = _ClusterMap | _ListMap


class _Shifts:
    """Walks a map's clusters along increasing spans: ``at(s, e)`` is the
    constant shift of folded span [s, e) if no cluster touches it, else None
    (then use the map's start()/end()).  Spans must not go backwards."""

    __slots__ = ("fs", "fe", "oe", "n", "i", "d")

    def __init__(self, omap: OffsetMap | None):
        self.i = 0
        self.d = 0
        if isinstance(omap, _ClusterMap):
            self.fs, self.fe, self.oe, self.n = omap.fs, omap.fe, omap.oe, len(omap.fs)
        else:
            self.fs = self.fe = self.oe = []
            self.n = -1  # a list map (or none): always exact

    def at(self, s: int, e: int) -> int | None:
        n = self.n
        if n < 0:
            return None
        i = self.i
        fe = self.fe
        while i < n and fe[i] <= s:
            self.d = self.oe[i] - fe[i]
            i += 1
        self.i = i
        if i < n and self.fs[i] < e:
            return None
        return self.d


def _nfkc_hard(t: str, hard_re: re.Pattern[str], attach: frozenset[str]) -> tuple[str, _ClusterMap]:
    """NFKC of ``t`` (already translated by the easy table), cluster by
    cluster around the hard characters, with the cluster map."""
    pieces: list[str] = []
    fs: list[int] = []
    fe: list[int] = []
    os_: list[int] = []
    oe: list[int] = []
    last = 0  # original offset consumed so far
    flen = 0  # folded length produced so far
    norm = unicodedata.normalize
    for m in hard_re.finditer(t):
        a, b = m.span()
        if a > last and t[a] in attach:
            a -= 1  # the character a combining mark may compose with
        if a > last:
            pieces.append(t[last:a])
            flen += a - last
        i = a
        while i < b:
            j = i + 1
            while j < b and t[j] in attach:
                j += 1
            seg = norm("NFKC", t[i:j])
            k = len(seg)
            if k != 1 or j != i + 1:
                fs.append(flen)
                fe.append(flen + k)
                os_.append(i)
                oe.append(j)
            pieces.append(seg)
            flen += k
            i = j
        last = b
    if last < len(t):
        pieces.append(t[last:])
    return "".join(pieces), _ClusterMap(fs, fe, os_, oe)


def _protect_names(text: str) -> str:
    pattern, index, _targets = _protection()
    if pattern.search(text) is None:
        return text

    def repl(m: re.Match[str]) -> str:
        return chr(_PLACEHOLDER_BASE + index[m.group()]) * len(m.group())

    return pattern.sub(repl, text)


def _restore_names(text: str) -> str:
    _pattern, _index, targets = _protection()

    def repl(m: re.Match[str]) -> str:
        run = m.group()
        name = targets[ord(run[0]) - _PLACEHOLDER_BASE]
        return name * (len(run) // len(name))

    return _PLACEHOLDER_RUN_RE.sub(repl, text)


def _t2s_chunked(conv, text: str, inner: OffsetMap | None) -> tuple[str, _ListMap]:
    """Fallback when t2s changed the text's length: convert each CJK run on
    its own; a run whose length changed becomes one cluster.  ``inner`` maps
    ``text`` to the original (None: identity)."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = [0]
    last = 0
    for m in _CJK_RUN_RE.finditer(text):
        a, b = m.span()
        if a > last:
            pieces.append(text[last:a])
            starts.extend(range(last, a))
            ends.extend(range(last + 1, a + 1))
        out = conv.convert(m.group())
        if len(out) == b - a:
            starts.extend(range(a, b))
            ends.extend(range(a + 1, b + 1))
        else:
            starts.extend([a] * len(out))
            ends.extend([b] * len(out))
        pieces.append(out)
        last = b
    n = len(text)
    if last < n:
        pieces.append(text[last:])
        starts.extend(range(last, n))
        ends.extend(range(last + 1, n + 1))
    starts.append(n)
    if inner is not None:
        starts = [inner.start(k) for k in starts]
        ends = [inner.end(k) for k in ends]
    return "".join(pieces), _ListMap(starts, ends)


def _fold(text: str) -> tuple[str, OffsetMap | None]:
    """Folded text and its offset map (None: the identity)."""
    if text.isascii():
        return text, None
    if _BAD_RE.search(text) is not None:
        text = _BAD_RE.sub("\ufffd", text)  # same length: offsets unchanged
    omap: OffsetMap | None = None
    if unicodedata.is_normalized("NFKC", text):
        nf = text
    else:
        easy, hard_re, attach = _nfkc_tables()
        nf = text.translate(easy)
        if hard_re.search(nf) is not None:
            nf, omap = _nfkc_hard(nf, hard_re, attach)
            if not omap.fs:
                omap = None
    if _CJK_RUN_RE.search(nf) is not None:
        conv = _converter()
        protected = _protect_names(nf)
        out = conv.convert(protected)
        if len(out) != len(protected):
            out, omap = _t2s_chunked(conv, protected, omap)
        if protected is not nf:
            out = _restore_names(out)
        nf = out
    return nf, omap


def fold(text: str) -> tuple[str, list[int]]:
    """NFKC + t2s (protected names kept), converted once per text.

    Returns the folded text and, for each folded character index plus one
    past the end, the original offset (the start of the original character
    or NFKC cluster the folded character came from; the last entry is
    ``len(text)``)."""
    folded, omap = _fold(text)
    n = len(folded)
    if omap is None:
        return folded, list(range(n + 1))
    starts = [omap.start(k) for k in range(n)]
    starts.append(omap.end(n) if n else 0)
    return folded, starts


# ---------------------------------------------------------------------------
# Non-CJK tokens

_latin_cache: dict[str, tuple[tuple[str, str, int, int, bool], ...]] = {}
_LATIN_CACHE_MAX = 200_000


def _single(raw: str, a: int, b: int) -> tuple[str, str, int, int, bool]:
    low = raw.lower()
    if _DIGIT_RE.search(raw) is not None:
        return (low, "code", a, b, False)
    # all caps (ADC, WHO, US) or inner capitals (mRNA, BioNTech, iPSC)
    caps = raw != low and len(raw) > 1 and raw[1:] != low[1:]
    if not caps and low in STOP_WORDS:
        return (low, "word", a, b, True)
    return (_stem_word(low), "code" if caps else "word", a, b, False)


def _classify(raw: str) -> tuple[tuple[str, str, int, int, bool], ...]:
    """Terms for one non-CJK token: (term, kind, rel_start, rel_end, is_stop).

    * a digit anywhere, or a hyphen/& joining parts where some part has a
      digit or is 1-2 characters (PD-1, PD-L1, CAR-T, IL-6, GLP-1, COVID-19,
      R&D, A-share): one code, lower-cased, not stemmed, never a stop word.
      Leading English prefixes are split off: anti-PD-1 -> anti, pd-1.
    * parts joined by hyphens that are all words (well-known, non-small-cell,
      first-in-class): one word each.
    * a single word: lower-cased and Snowball-stemmed (vaccines -> vaccin);
      a stop word if it is lower-case or Capitalized; all-caps or inner-caps
      words (ADC, mRNA, ADCs) are kind 'code' and never stop words, but are
      stemmed like any word so that case never changes the term (ADCs ->
      adc, like adcs).
    """
    if len(raw) > MAX_TERM_CHARS:
        return ()
    if _JOIN_RE.search(raw) is None:
        return (_single(raw, 0, len(raw)),)
    spans = []
    last = 0
    for m in _JOIN_RE.finditer(raw):
        spans.append((last, m.start()))
        last = m.end()
    spans.append((last, len(raw)))
    parts = [raw[a:b] for a, b in spans]
    is_code = any(
        _DIGIT_RE.search(p) is not None or (len(p) <= 2 and p.lower() not in _SHORT_ENGLISH)
        for p in parts
    )
    if not is_code:
        return tuple(_single(p, a, b) for p, (a, b) in zip(parts, spans))
    out = []
    k = 0
    while k < len(parts) - 1 and parts[k].lower() in _PREFIXES:
        out.append(_single(parts[k], *spans[k]))
        k += 1
    a = spans[k][0]
    rest = raw[a:]
    if k == len(parts) - 1:
        out.append(_single(rest, a, len(raw)))
    else:
        out.append((rest.lower(), "code", a, len(raw), False))
    return tuple(out)


def _latin(raw: str) -> tuple[tuple[str, str, int, int, bool], ...]:
    got = _latin_cache.get(raw)
    if got is None:
        got = _classify(raw)
        if len(_latin_cache) >= _LATIN_CACHE_MAX:
            _latin_cache.clear()
        _latin_cache[raw] = got
    return got


# ---------------------------------------------------------------------------
# The analyzer core (tuples; Tok objects only at the public edge)

RawTok = tuple[str, int, int, int, str, bool]  # text, pos, start, end, kind, stopped


def _segment_runs(folded: str):
    """Exact segmentation of every CJK run of ``folded`` in one rjieba call.

    Returns (segmenter, per-run lists of (offset in run, word)) in run order.
    The runs are joined with newlines, where jieba always breaks."""
    seg = _segmenter.current()
    runs = _CJK_RUN_RE.findall(folded)
    if not runs:
        return seg, []
    per_run: list[list[tuple[int, str]]] = [[] for _ in runs]
    bases = []
    total = 0
    for r in runs:
        bases.append(total)
        total += len(r) + 1
    nruns = len(runs)
    r = 0
    base = 0
    nxt = bases[1] if nruns > 1 else total
    cur = per_run[0]
    for w, s, _e in seg.exact("\n".join(runs)):
        if w == "\n":
            continue
        if s >= nxt:
            while r + 1 < nruns and s >= bases[r + 1]:
                r += 1
            base = bases[r]
            nxt = bases[r + 1] if r + 1 < nruns else total
            cur = per_run[r]
        cur.append((s - base, w))
    return seg, per_run


def _analyze_raw(text: str, for_query: bool = False, keep_stops: bool = False) -> list[RawTok]:
    folded, omap = _fold(text)
    seg = _segmenter.current()
    # Every CJK run is segmented in one rjieba call, the runs joined by
    # newlines (where jieba always breaks); the tokens are then consumed run
    # by run in the single pass below.
    runs = _CJK_RUN_RE.findall(folded)
    toks = seg.exact("\n".join(runs)) if runs else []
    ntok = len(toks)
    ti = 0
    jb = 0  # offset of the current run in the joined string
    cache = seg._lattices
    lattice = seg.lattice
    which = 2 if for_query else 0
    out: list[RawTok] = []
    append = out.append
    pos = 0
    shifts = _Shifts(omap)
    for m in _TOKEN_RE.finditer(folded):
        s, e = m.span()
        d = 0 if omap is None else shifts.at(s, e)
        if m.lastindex == 1:  # a CJK run
            jend = jb + e - s
            delta = s - jb  # folded offset = joined offset + delta
            while ti < ntok:
                w, js, je = toks[ti]
                if js >= jend:
                    break
                ti += 1
                if d is not None:
                    base = js + delta + d
                    if je - js <= 2:  # 1-2 characters: no sub-words, one position
                        append((w, pos, base, base + je - js, "cjk", False))
                        pos += 1
                        continue
                    lat = cache.get(w)
                    if lat is None:
                        lat = lattice(w)
                    for t, a, b, rp in lat[which]:
                        append((t, pos + rp, base + a, base + b, "cjk", False))
                else:
                    base = js + delta
                    lat = cache.get(w)
                    if lat is None:
                        lat = lattice(w)
                    for t, a, b, rp in lat[which]:
                        append((t, pos + rp, omap.start(base + a), omap.end(base + b), "cjk", False))
                pos += lat[1]
            jb = jend + 1
            while ti < ntok and toks[ti][1] < jb:  # the separator
                ti += 1
        else:
            for term, kind, a, b, stop in _latin(m.group()):
                if d is not None:
                    so, eo = s + a + d, s + b + d
                else:
                    so, eo = omap.start(s + a), omap.end(s + b)
                if stop:
                    if keep_stops:
                        append((term, pos, so, eo, kind, True))
                    continue
                append((term, pos, so, eo, kind, False))
                pos += 1
    return out


def _char_raw(text: str, keep_stops: bool = False) -> list[RawTok]:
    folded, omap = _fold(text)
    out: list[RawTok] = []
    append = out.append
    pos = 0
    shifts = _Shifts(omap)
    for m in _TOKEN_RE.finditer(folded):
        s, e = m.span()
        d = 0 if omap is None else shifts.at(s, e)
        if m.lastindex == 1:
            if d is not None:
                for i in range(s, e):
                    append((folded[i], pos, i + d, i + d + 1, "cjk", False))
                    pos += 1
            else:
                for i in range(s, e):
                    append((folded[i], pos, omap.start(i), omap.end(i + 1), "cjk", False))
                    pos += 1
        else:
            for term, kind, a, b, stop in _latin(m.group()):
                if d is not None:
                    so, eo = s + a + d, s + b + d
                else:
                    so, eo = omap.start(s + a), omap.end(s + b)
                if stop:
                    if keep_stops:
                        append((term, pos, so, eo, kind, True))
                    continue
                append((term, pos, so, eo, kind, False))
                pos += 1
    return out


# ---------------------------------------------------------------------------
# The index streams alone (a rebuild): the terms and positions of
# _analyze_raw(text) and _char_raw(text), without offsets or a tuple per token.

_latin_terms_cache: dict[str, tuple[str, ...]] = {}


def _latin_terms(raw: str) -> tuple[str, ...]:
    got = _latin_terms_cache.get(raw)
    if got is None:
        got = tuple(term for term, _kind, _a, _b, stop in _latin(raw) if not stop)
        if len(_latin_terms_cache) >= _LATIN_CACHE_MAX:
            _latin_terms_cache.clear()
        _latin_terms_cache[raw] = got
    return got


_NON_CJK_TOKEN_RE = re.compile(rf"{_UNIT}(?:{_JOIN}{_UNIT})*")


def _non_cjk_terms(folded: str) -> list[str]:
    """The terms of a folded text without CJK: the tokens of _TOKEN_RE, each
    through _latin_terms, in C loops where cached."""
    raws = _NON_CJK_TOKEN_RE.findall(folded)
    found = list(map(_latin_terms_cache.get, raws))
    if None in found:
        for i, got in enumerate(found):
            if got is None:
                found[i] = _latin_terms(raws[i])
    return list(chain.from_iterable(found))


def index_streams(text: str) -> tuple[list[str], list[int], list[str]]:
    """What a rebuild indexes of ``text``, folded once: the terms and
    positions of ``_analyze_raw(text)``, in the same order, and the terms of
    ``_char_raw(text)`` (whose positions are 0, 1, 2 …). Non-CJK terms are
    the same in both."""
    folded, omap = _fold(text)
    if _CJK_RUN_RE.search(folded) is None:  # English: one position per term in both
        terms = _non_cjk_terms(folded)
        return terms, list(range(len(terms))), list(terms)
    seg = _segmenter.current()
    runs = _CJK_RUN_RE.findall(folded)
    toks = seg.exact("\n".join(runs)) if runs else []
    ntok = len(toks)
    ti = 0
    jb = 0
    cache = seg._lattices
    lattice = seg.lattice
    texts: list[str] = []
    positions: list[int] = []
    chars: list[str] = []
    add_text = texts.append
    add_pos = positions.append
    add_chars = chars.extend
    pos = 0
    shifts = None if omap is None else _Shifts(omap)
    for m in _TOKEN_RE.finditer(folded):
        if m.lastindex == 1:
            s, e = m.span()
            add_chars(m.group())  # one character term per character
            # _analyze_raw takes its one-position shortcut only where the
            # span's offsets shift by a constant.
            shortcut = shifts is None or shifts.at(s, e) is not None
            jend = jb + e - s
            while ti < ntok:
                w, js, je = toks[ti]
                if js >= jend:
                    break
                ti += 1
                if shortcut and je - js <= 2:
                    add_text(w)
                    add_pos(pos)
                    pos += 1
                    continue
                lat = cache.get(w)
                if lat is None:
                    lat = lattice(w)
                for t, _a, _b, rp in lat[0]:
                    add_text(t)
                    add_pos(pos + rp)
                pos += lat[1]
            jb = jend + 1
            while ti < ntok and toks[ti][1] < jb:
                ti += 1
        else:
            terms = _latin_terms(m.group())
            if terms:
                add_chars(terms)
                texts.extend(terms)
                positions.extend(range(pos, pos + len(terms)))
                pos += len(terms)
    return texts, positions, chars


# ---------------------------------------------------------------------------
# Public API


@dataclass(frozen=True, slots=True)
class Tok:
    text: str  # the indexed term
    pos: int  # token position (counts tokens, never characters)
    start: int  # offsets in the ORIGINAL text: original[start:end] is the surface
    end: int
    kind: str  # 'cjk' | 'word' | 'code'


def analyze(text: str, *, for_query: bool = False) -> list[Tok]:
    """Tokens of ``text`` (stop words removed).

    Index form (default): the main path plus, at the same positions, the
    exact words and search-mode sub-words.  ``for_query=True``: the main path
    only, positions 0, 1, 2 ... strictly increasing (see the module docstring).
    """
    return [Tok(t, p, s, e, k) for t, p, s, e, k, _stop in _analyze_raw(text, for_query)]


def query_terms(word: str) -> list[str]:
    """The index terms a user's query word (or phrase) becomes, in order: the
    main path ('醫藥' -> ['医药'], 'PD-1' -> ['pd-1'], 'Vaccines' -> ['vaccin'],
    '浦东新区' -> ['浦东', '新区']).  All must match (adjacent, for a phrase)."""
    return [t[0] for t in _analyze_raw(word, True)]


class QueryWord(NamedTuple):
    term: str  # the exact (default-mode) word, folded; for non-CJK the term
    pieces: tuple[str, ...]  # its main-path terms (== (term,) unless tiled)
    start: int  # offsets in the original query text
    end: int


def query_words(text: str) -> list[QueryWord]:
    """The query's exact words, each with its main-path pieces.

    For an engine that wants ``Term(term) | Phrase(pieces)`` per word: the
    term alone is precise and cheap, the phrase of pieces also finds the word
    inside a longer dictionary word (浦东新区 inside 上海浦东新区)."""
    folded, omap = _fold(text)
    seg, per_run = _segment_runs(folded)
    out: list[QueryWord] = []
    run_i = 0

    def span(a: int, b: int) -> tuple[int, int]:
        return (a, b) if omap is None else (omap.start(a), omap.end(b))

    for m in _TOKEN_RE.finditer(folded):
        s = m.start()
        if m.lastindex == 1:
            for off, word in per_run[run_i]:
                main = seg.lattice(word)[2]
                out.append(QueryWord(word, tuple(p[0] for p in main), *span(s + off, s + off + len(word))))
            run_i += 1
        else:
            for term, _kind, a, b, stop in _latin(m.group()):
                if not stop:
                    out.append(QueryWord(term, (term,), *span(s + a, s + b)))
    return out


def char_terms(text: str) -> list[Tok]:
    """For a separate, low-weight character field: each CJK character as a
    token (folded), positions sequential, offsets into the original; non-CJK
    words and codes exactly as in :func:`analyze`.  A phrase of adjacent
    characters then finds any substring (灯 in 大灯, 浦东新区 anywhere)."""
    return [Tok(t, p, s, e, k) for t, p, s, e, k, _stop in _char_raw(text)]


# ---------------------------------------------------------------------------
# Whoosh


class _BaseTokenizer(Tokenizer):
    """The whole Whoosh tokenizer protocol over a raw-token function.

    positions / chars / start_pos / start_char / keeporiginal / removestops /
    mode ('query' -> main path only) / tokenize=False (the whole value, folded
    and lower-cased, as one token, as for range and wildcard text).  One Token
    object is reused, as Whoosh expects.  No per-process objects are stored on
    the instance: it pickles as ``{'version': ANALYZER_VERSION}``.
    """

    def __init__(self) -> None:
        self.version = ANALYZER_VERSION

    def __eq__(self, other: object) -> bool:
        return (
            other is not None
            and self.__class__ is other.__class__
            and getattr(self, "version", None) == getattr(other, "version", None)
        )

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, getattr(self, "version", None)))

    def _raw(self, value: str, mode: str, keep_stops: bool) -> list[RawTok]:
        raise NotImplementedError

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ):
        assert isinstance(value, str), f"{value!r} is not unicode"
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.text = fold(value)[0].lower()
            t.original = value
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return
        raw = self._raw(value, mode, not removestops)
        t.boost = 1.0
        if positions and chars and not keeporiginal:  # what indexing asks for
            for text, pos, s, e, _kind, stopped in raw:
                t.text = text
                t.stopped = stopped
                t.pos = start_pos + pos
                t.startchar = start_char + s
                t.endchar = start_char + e
                yield t
            return
        for text, pos, s, e, _kind, stopped in raw:
            t.text = text
            t.stopped = stopped
            if keeporiginal:
                t.original = value[s:e]
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = start_char + s
                t.endchar = start_char + e
            yield t


class BilingualTokenizer(_BaseTokenizer):
    """Whoosh tokenizer running :func:`analyze` (stemming and stop words
    inside, so indexing, parsing and highlighting share one function)."""

    def _raw(self, value: str, mode: str, keep_stops: bool) -> list[RawTok]:
        return _analyze_raw(value, mode == "query", keep_stops)


class CharTokenizer(_BaseTokenizer):
    """Whoosh tokenizer running :func:`char_terms`."""

    def _raw(self, value: str, mode: str, keep_stops: bool) -> list[RawTok]:
        return _char_raw(value, keep_stops)


def bilingual_analyzer() -> CompositeAnalyzer:
    return CompositeAnalyzer(BilingualTokenizer())


def char_analyzer() -> CompositeAnalyzer:
    return CompositeAnalyzer(CharTokenizer())


# ---------------------------------------------------------------------------
# Additions for the query engine (they change nothing above)


def char_spans(text: str) -> list[tuple[str, int, int]]:
    """:func:`char_terms` as plain ``(term, start, end)`` tuples, in order.

    Same terms and original offsets as ``char_terms`` (positions are the
    list indices), without building a Tok per token: what the highlighter
    needs, at a fraction of the cost."""
    return [(t, s, e) for t, _p, s, e, _k, _stop in _char_raw(text)]


def _is_cjk_term(term: str) -> bool:
    return bool(term) and _CJK_RUN_RE.match(term) is not None


def pair_term(a: str, b: str) -> str:
    """The index term for two adjacent character-field terms. A term of the
    character stream is a single CJK character or a non-CJK word or code with
    neither CJK nor spaces in it, so the pair is written as the two joined,
    with a space between two non-CJK terms: never ambiguous."""
    if _is_cjk_term(a) or _is_cjk_term(b):
        return a + b
    return a + " " + b


def _pair_raw(text: str, keep_stops: bool = False) -> list[RawTok]:
    """Adjacent pairs of the character stream (:func:`_char_raw`, which has
    exactly one token per position): for positions p and p+1, the pair term
    at position p, offsets from the first token's start to the second's end.
    So a phrase of character-field terms t1..tk is in a document exactly when
    the pairs (t1,t2)@p, (t2,t3)@p+1, … are: two terms need only the pair
    term, no position check."""
    raw = _cached_raw("chars", text, False)
    out: list[RawTok] = []
    append = out.append
    for i in range(len(raw) - 1):
        a = raw[i]
        b = raw[i + 1]
        if b[1] != a[1] + 1:
            continue
        append((pair_term(a[0], b[0]), a[1], a[2], b[3], "pair", False))
    return out


# Indexing runs each analysis twice on the same text (title and title_pos,
# body and body_pos; chars and pairs): a few results are kept per thread so
# the second field reuses the first's work.
_raw_cache = threading.local()


def _cached_raw(kind: str, value: str, keep_stops: bool, mode: str = "") -> list[RawTok]:
    if len(value) > 200_000:  # not worth keeping alive
        return _char_raw(value, keep_stops) if kind == "chars" else _analyze_raw(value, mode == "query", keep_stops)
    entries = getattr(_raw_cache, "entries", None)
    if entries is None:
        entries = _raw_cache.entries = []
    for k, v, ks, m, result in entries:
        if k == kind and ks == keep_stops and m == mode and (v is value or v == value):
            return result
    if kind == "chars":
        result = _char_raw(value, keep_stops)
    else:
        result = _analyze_raw(value, mode == "query", keep_stops)
    entries.insert(0, (kind, value, keep_stops, mode, result))
    del entries[4:]
    return result


class PairTokenizer(_BaseTokenizer):
    """Whoosh tokenizer emitting :func:`_pair_raw` (the character pair fields)."""

    def _raw(self, value: str, mode: str, keep_stops: bool) -> list[RawTok]:
        return _pair_raw(value, keep_stops)


class SharedBilingualTokenizer(BilingualTokenizer):
    """:class:`BilingualTokenizer` (the same tokens) that hands the same text's
    tokens to the next field asking for them (title, then title_pos)."""

    def _raw(self, value: str, mode: str, keep_stops: bool) -> list[RawTok]:
        if len(value) < 64:
            return _analyze_raw(value, mode == "query", keep_stops)
        return _cached_raw("words", value, keep_stops, "query" if mode == "query" else "")


class SharedCharTokenizer(CharTokenizer):
    """:class:`CharTokenizer` (the same tokens), sharing its work with the pair
    field of the same text."""

    def _raw(self, value: str, mode: str, keep_stops: bool) -> list[RawTok]:
        if len(value) < 64:
            return _char_raw(value, keep_stops)
        return _cached_raw("chars", value, keep_stops)


def pair_analyzer() -> CompositeAnalyzer:
    return CompositeAnalyzer(PairTokenizer())


def shared_bilingual_analyzer() -> CompositeAnalyzer:
    return CompositeAnalyzer(SharedBilingualTokenizer())


def shared_char_analyzer() -> CompositeAnalyzer:
    return CompositeAnalyzer(SharedCharTokenizer())


# The character stream as a string, for fast matching (the highlighter):
# every term of :func:`char_terms` becomes one character of a string - a CJK
# term is its own (folded) character, any other term a private-use symbol
# given out once per process - so a sequence of terms is found with str.find
# instead of by walking a list of tokens, and a CJK run costs one slice
# instead of one tuple per character.

_SYMBOL_BASE = 0xF0000  # planes 15-16, below the protected-name placeholders
_SYMBOL_LIMIT = 0x10FC00 - _SYMBOL_BASE
_symbols: dict[str, str] = {}
_symbol_lock = threading.Lock()
_symbol_generation = [0]


def _symbol(term: str) -> str:
    sym = _symbols.get(term)
    if sym is None:
        with _symbol_lock:
            sym = _symbols.get(term)
            if sym is None:
                if len(_symbols) >= _SYMBOL_LIMIT:
                    _symbols.clear()
                    _stream_terms.clear()
                    _symbol_generation[0] += 1
                sym = _symbols[term] = chr(_SYMBOL_BASE + len(_symbols))
    return sym


def symbol_generation() -> int:
    """Changes when the symbol table was emptied (a stream and a sequence
    encoded across a change must be encoded again)."""
    return _symbol_generation[0]


def term_symbols(terms) -> str:
    """A sequence of character-field terms, encoded like :func:`char_stream`."""
    return "".join(t if _is_cjk_term(t) and len(t) == 1 else _symbol(t) for t in terms)


class CharStream:
    """The character-field terms of a text as one string (``text``: one
    character per term, in order, as :func:`char_terms` lists them) and the
    original offsets of any term by its index (:meth:`span`)."""

    __slots__ = ("text", "_starts", "_segs", "_omap")

    def __init__(self, text: str, starts: list[int], segs: list, omap):
        self.text = text
        self._starts = starts  # term index where each segment begins
        # (False, folded start, shift or None): a CJK run (a term a character)
        # (True, start, end): one non-CJK term
        self._segs = segs
        self._omap = omap

    def span(self, i: int) -> tuple[int, int]:
        """Original (start, end) of term ``i``: char_terms(text)[i].start/end."""
        k = bisect_right(self._starts, i) - 1
        seg = self._segs[k]
        if seg[0]:
            return seg[1], seg[2]
        f = seg[1] + i - self._starts[k]
        d = seg[2]
        if d is not None:
            return f + d, f + d + 1
        return self._omap.start(f), self._omap.end(f + 1)

    def spans(self, indices) -> list[tuple[int, int]]:
        """span(i) for each of `indices` (ascending)."""
        return [self.span(i) for i in indices]


_stream_terms: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}


def _stream_entry(raw: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """(symbols of the raw token's terms, their (start, end) in the token),
    stop words left out, as in the character stream."""
    got = _stream_terms.get(raw)
    if got is None:
        kept = [(term, a, b) for term, _kind, a, b, stop in _latin(raw) if not stop]
        got = ("".join(_symbol(t) for t, _a, _b in kept), tuple((a, b) for _t, a, b in kept))
        if len(_stream_terms) >= _LATIN_CACHE_MAX:
            _stream_terms.clear()
        _stream_terms[raw] = got
    return got


def char_stream(text: str) -> CharStream:
    """:func:`char_terms` of ``text`` as a :class:`CharStream` (same terms,
    same order, same offsets)."""
    folded, omap = _fold(text)
    if omap is None:
        return _PlainStream(folded)
    pieces: list[str] = []
    starts: list[int] = []
    segs: list = []
    ntok = 0
    shifts = _Shifts(omap)
    latin = _latin
    symbols = _symbols
    for m in _TOKEN_RE.finditer(folded):
        s, e = m.span()
        d = shifts.at(s, e)
        if m.lastindex == 1:
            pieces.append(folded[s:e])
            starts.append(ntok)
            segs.append((False, s, d))
            ntok += e - s
            continue
        for term, _kind, a, b, stop in latin(m.group()):
            if stop:
                continue
            sym = symbols.get(term) or _symbol(term)
            pieces.append(sym)
            starts.append(ntok)
            if d is not None:
                segs.append((True, s + a + d, s + b + d))
            else:
                segs.append((True, omap.start(s + a), omap.end(s + b)))
            ntok += 1
    return CharStream("".join(pieces), starts, segs, omap)


class _PlainStream:
    """A CharStream for text whose folding kept every offset (the common
    case), built with one findall: the regex's matches (CJK runs and non-CJK
    tokens) in C, their terms' symbols joined by one comprehension, and the
    offsets of a term worked out only when a match asks for them."""

    __slots__ = ("text", "_folded", "_items", "_cum", "_found", "_it", "_next")

    def __init__(self, folded: str):
        self._folded = folded
        items = _TOKEN2_RE.findall(folded)
        entries = _stream_terms
        per_item = [cjk or (entries.get(raw) or _stream_entry(raw))[0] for cjk, raw in items]
        self.text = "".join(per_item)
        self._items = per_item
        self._cum = None
        self._found: dict = {}
        self._it = None
        self._next = 0

    def _match(self, r: int):
        m = self._found.get(r)
        if m is None:
            if self._it is None or r < self._next:
                self._it, self._next = _TOKEN2_RE.finditer(self._folded), 0
            m = next(islice(self._it, r - self._next, None))
            self._next = r + 1
            self._found[r] = m
        return m

    def spans(self, indices) -> list[tuple[int, int]]:
        """span(i) for each of `indices` (ascending: one pass of the regex)."""
        return [self.span(i) for i in indices]

    def span(self, i: int) -> tuple[int, int]:
        cum = self._cum
        if cum is None:
            cum = self._cum = list(accumulate(map(len, self._items)))
        r = bisect_right(cum, i)
        k = i - (cum[r - 1] if r else 0)
        m = self._match(r)
        at = m.start()
        if m.lastindex == 1:
            return at + k, at + k + 1
        a, b = _stream_entry(m.group(2))[1][k]
        return at + a, at + b


# _TOKEN_RE with the non-CJK token as a second group, for findall
_TOKEN2_RE = re.compile(rf"([{CJK_CHARS}]+)|({_UNIT}(?:{_JOIN}{_UNIT})*)")
