"""Chinese word segmentation for the search analyzer.

The engine is rjieba (jieba-rs), always with the HMM off: with HMM off it
agrees with jieba token for token, offsets included (see STACK.md and
tests/search/test_segmenter.py), and it is 10-35x faster.  It loads in ~0.1 s
and never touches the network or pip.

rjieba facts this module relies on (checked against rjieba 0.2.2):

* ``rjieba`` exposes a module-level default instance (``rjieba._DEFAULT_JIEBA``)
  whose bound methods are the module functions; ``add_word`` on it changes the
  module functions for every caller in the process.  We never touch it: each
  user-word version gets its own private ``rjieba.Jieba()``.
* ``Jieba.add_word(word, freq, tag)`` needs all three arguments; ``freq=None``
  means "the frequency that makes the word segment as one word"
  (``suggest_freq``).  There is no ``load_userdict`` and no way to delete a
  word, so a new word list means a new instance (built, then swapped in whole).
* ``Jieba.tokenize(text, mode, hmm)`` returns ``[(word, start, end)]`` with
  offsets in Python characters (a non-BMP ideograph counts one).

Besides jieba's two modes this module builds, per exact (default-mode) word, a
*lattice* for the analyzer: the word's search-mode sub-words plus a tiling of
the word by those sub-words, which is what the analyzer numbers positions by
(see :func:`Segmenter.lattice` and ``search/analysis.py``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

__all__ = [
    "CJK_CHARS",
    "Segmenter",
    "current",
    "segment_exact",
    "segment_search",
    "set_user_words",
    "user_words_version",
]

# Characters that form "CJK runs": Han ideographs (URO, Ext A, compatibility,
# Ext B and beyond), the iteration mark and ideographic zero, and kana.  Kept
# here because user words must consist of these characters to ever be seen
# by the segmenter (the analyzer only hands it CJK runs).
CJK_CHARS = (
    "\u3005\u3007"  # 々 〇
    "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff"  # hiragana, katakana (+ext)
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Ext A, URO, compatibility
    "\U00020000-\U0003134f"  # Ext B .. Ext H, compatibility supplement
)

_LATTICE_CACHE_MAX = 300_000

Entry = tuple[str, int, int, int]  # (word, rel_start, rel_end, rel_pos)
# (all entries in emission order, number of positions used, main-path entries)
Lattice = tuple[tuple[Entry, ...], int, tuple[Entry, ...]]


class Segmenter:
    """One rjieba instance with a fixed set of user words, plus caches.

    Instances are immutable once published (the engine is never mutated after
    :func:`set_user_words` swaps it in), so threads may share one freely.
    """

    __slots__ = ("engine", "version", "words", "_lattices")

    def __init__(self, words: frozenset[str] = frozenset(), version: str | None = None):
        import rjieba  # local: keep import cost out of modules that never segment

        engine = rjieba.Jieba()
        for word in sorted(words):
            engine.add_word(word, None, None)
        self.engine = engine
        self.version = version
        self.words = words
        self._lattices: dict[str, Lattice] = {}

    # -- jieba's two modes -------------------------------------------------
    def exact(self, text: str) -> list[tuple[str, int, int]]:
        return self.engine.tokenize(text, "default", False)

    def search(self, text: str) -> list[tuple[str, int, int]]:
        return self.engine.tokenize(text, "search", False)

    # -- lattice -----------------------------------------------------------
    def subwords(self, word: str) -> list[tuple[str, int, int]]:
        """The sub-words jieba's search mode emits for one exact word, in
        jieba's order (all dictionary 2-grams, then, for words longer than
        three characters, all dictionary 3-grams), without the word itself.

        Context-free: search mode derives them from the word alone.
        """
        n = len(word)
        out: list[tuple[str, int, int]] = []
        if n > 2:
            has_word = self.engine.has_word
            for i in range(n - 1):
                gram = word[i : i + 2]
                if has_word(gram):
                    out.append((gram, i, i + 2))
            if n > 3:
                for i in range(n - 2):
                    gram = word[i : i + 3]
                    if has_word(gram):
                        out.append((gram, i, i + 3))
        return out

    def lattice(self, word: str) -> Lattice:
        """Tokens and positions for one exact word (cached per word).

        Returns ``(entries, npos, main)``: every token as
        ``(text, rel_start, rel_end, rel_pos)`` in emission order, the number
        of positions the word uses, and the main-path entries alone.

        * If the word's sub-words can tile it (cover it end to end without
          overlap), the tiling with the fewest pieces (ties: longer piece
          first) is the *main path*: pieces get positions 0, 1, ..., npos-1.
          The whole word gets position 0 (like a synonym of its first piece);
          every other sub-word gets the position of the piece it starts in.
        * Otherwise the word is atomic: it is the main path at position 0,
          its sub-words share position 0, and npos is 1.

        Entries are ordered by position; within one position the whole word
        first, then the other sub-words, then the piece, so that consecutive
        matched pieces stay adjacent in the stream (Whoosh's highlighter
        merges adjacent matched tokens into one highlight).
        """
        cached = self._lattices.get(word)
        if cached is not None:
            return cached
        n = len(word)
        subs = self.subwords(word)
        tiling = _fewest_pieces(n, subs) if subs else None
        if tiling is None:
            whole = (word, 0, n, 0)
            entries = [whole]
            entries.extend((s, a, b, 0) for s, a, b in subs)
            result: Lattice = (tuple(entries), 1, (whole,))
        else:
            starts = [a for a, _ in tiling]
            pieces = set(tiling)
            by_pos: list[list[Entry]] = [[] for _ in tiling]
            by_pos[0].append((word, 0, n, 0))
            seen = {(word[a:b], p) for p, (a, b) in enumerate(tiling)}
            for s, a, b in subs:
                if (a, b) in pieces:
                    continue
                p = _piece_containing(starts, a)
                if (s, p) in seen:
                    continue
                seen.add((s, p))
                by_pos[p].append((s, a, b, p))
            main = tuple((word[a:b], a, b, p) for p, (a, b) in enumerate(tiling))
            for p, piece in enumerate(main):
                by_pos[p].append(piece)
            result = (tuple(e for group in by_pos for e in group), len(tiling), main)
        if len(self._lattices) >= _LATTICE_CACHE_MAX:
            self._lattices.clear()
        self._lattices[word] = result
        return result


def _piece_containing(starts: list[int], offset: int) -> int:
    p = 0
    for i, a in enumerate(starts):
        if a <= offset:
            p = i
        else:
            break
    return p


def _fewest_pieces(n: int, subs: list[tuple[str, int, int]]) -> list[tuple[int, int]] | None:
    """A tiling of [0, n) by the sub-word spans with the fewest pieces, or None."""
    from_start: dict[int, list[int]] = {}
    for _s, a, b in subs:
        ends = from_start.setdefault(a, [])
        if b not in ends:
            ends.append(b)
    # best[i] = (pieces needed to tile [i, n), next cut) ; best[n] = (0, n)
    best: dict[int, tuple[int, int]] = {n: (0, n)}
    for i in range(n - 1, -1, -1):
        choice = None
        for b in sorted(from_start.get(i, ()), reverse=True):  # longer first
            if b in best:
                count = best[b][0] + 1
                if choice is None or count < choice[0]:
                    choice = (count, b)
        if choice is not None:
            best[i] = choice
    if 0 not in best:
        return None
    out = []
    i = 0
    while i < n:
        j = best[i][1]
        out.append((i, j))
        i = j
    return out


# -- process-wide state -----------------------------------------------------------

_lock = threading.Lock()
_current: Segmenter | None = None


def current() -> Segmenter:
    """The process's segmenter (built lazily; replaced by set_user_words)."""
    seg = _current
    if seg is None:
        with _lock:
            seg = _current
            if seg is None:
                seg = _set_current(Segmenter())
    return seg


def _set_current(seg: Segmenter) -> Segmenter:
    global _current
    _current = seg
    return seg


_ONLY_CJK = re.compile(f"[{CJK_CHARS}]+")


def _clean_words(words: Iterable[str]) -> frozenset[str]:
    only_cjk = _ONLY_CJK
    out = set()
    for word in words:
        if not isinstance(word, str):
            continue
        word = word.strip()
        # The analyzer segments CJK runs only, so a word with any other
        # character (a space, Latin letters, punctuation) could never match.
        if len(word) >= 2 and only_cjk.fullmatch(word):
            out.add(word)
    return frozenset(out)


def set_user_words(words: Iterable[str], *, version: str) -> None:
    """Make ``words`` segment as single words (jieba user words).

    ``words`` are the gazetteer's names and the glossary's Chinese terms, in
    the analyzer's folded form (simplified; the caller folds them with
    ``search.analysis.fold``).  Words that are not entirely CJK characters, or
    shorter than two characters, are ignored (they could never be seen as one
    word by the segmenter).

    Idempotent per ``version``: calling again with the version already loaded
    does nothing (cheap enough to call in every process, every request).  A
    new version *replaces* the previous word list (a fresh rjieba instance is
    built, ~0.1 s, then swapped in), so removed words stop segmenting.

    Index and queries must use the same version: a document indexed with a
    different word list may segment differently.
    """
    if not isinstance(version, str):
        raise TypeError("version must be a str")
    if _current is not None and _current.version == version:
        return
    cleaned = _clean_words(words)
    with _lock:
        if _current is not None and _current.version == version:
            return
        _set_current(Segmenter(cleaned, version))


def user_words_version() -> str | None:
    seg = _current
    return None if seg is None else seg.version


def segment_search(text: str) -> list[tuple[str, int, int]]:
    """jieba search mode, HMM off: ``(word, start, end)`` in jieba's order,
    including the 2- and 3-character sub-words of long words before the word
    itself (生物医药产业 -> 生物, 医药, 生物医药, 产业, ...)."""
    return current().search(text)


def segment_exact(text: str) -> list[tuple[str, int, int]]:
    """jieba default mode, HMM off: ``(word, start, end)``, a tiling of text."""
    return current().exact(text)
