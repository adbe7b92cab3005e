"""Highlighted titles and snippets for one page of hits.

Only the page's own stored titles and bodies are analysed (ten texts, not
every hit), with the analyzer's character form (`char_terms`: one token per CJK
character, English words and codes as the index has them). A highlight is a
sequence of such terms from the query (a word, a phrase, a script variant or a
cross-language expansion); wherever the text's tokens spell that sequence at
consecutive positions, the original characters from the first token's start
to the last token's end are marked. Offsets come from the analyzer, so marks
always land on whole original characters in either script (馬克思 for 马克思),
and a Chinese query matched through its characters marks the character run
(灯 inside 大灯).

The terms are read as one string (search.analysis.char_stream: a character
per term), so a sequence is found with str.find, and offsets are worked out
only for the terms a match starts or ends on.

Output is HTML-escaped text whose only tags are <mark>…</mark>.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable

from search.analysis import char_spans, char_stream, symbol_generation, term_symbols

SNIPPET_CHARS = 200
CHUNK_CHARS = 600  # long bodies are analysed a chunk at a time
CHUNK_OVERLAP = 100
_LEAD = 50  # context kept before the first match of a window
_WS = re.compile(r"\s+")
_BOUNDARY = "\n。！？；!?;.…"


def sequence_of(text: str) -> tuple[str, ...]:
    """The highlight sequence for a query form."""
    try:
        return tuple(t for t, _s, _e in char_spans(text))
    except Exception:
        return ()


class Highlighter:
    def __init__(self, sequences: Iterable[tuple[str, ...]]):
        self.by_first: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        self.count = 0
        self._encoding = None
        for seq in dict.fromkeys(s for s in sequences if s):
            self.by_first.setdefault(seq[0], []).append((self.count, seq))
            self.count += 1
        for bucket in self.by_first.values():
            bucket.sort(key=lambda item: -len(item[1]))  # longest first

    def _encoded(self) -> list[tuple[int, str, int]]:
        generation = symbol_generation()
        if self._encoding is None or self._encoding[0] != generation:
            encoded = [(seq_id, term_symbols(seq), len(seq))
                       for bucket in self.by_first.values() for seq_id, seq in bucket]
            self._encoding = (generation, encoded)
        return self._encoding[1]

    def __bool__(self) -> bool:
        return bool(self.count)

    def matches(self, text: str) -> list[tuple[int, int, frozenset]]:
        """(start, end, ids of the sequences matched there) of every match,
        merged where matches overlap or touch."""
        if not text or not self.count:
            return []
        # The text's character-field terms as one string (one character a
        # term), searched with str.find for each sequence, encoded the same
        # way: the matches char_terms() would give, without a tuple per token.
        while True:
            generation = symbol_generation()
            stream = char_stream(text)
            encoded = self._encoded()
            if symbol_generation() == generation:
                break
        hay = stream.text
        occurrences = []
        for seq_id, needle, n in encoded:
            i = hay.find(needle)
            while i >= 0:
                occurrences.append((i, i + n - 1, seq_id))
                i = hay.find(needle, i + 1)
        if not occurrences:
            return []
        # offsets only of the terms that start or end a match, looked up in order
        need = sorted({i for i, _j, _s in occurrences} | {j for _i, j, _s in occurrences})
        at = dict(zip(need, stream.spans(need)))
        found = [(at[i][0], at[j][1], seq_id) for i, j, seq_id in occurrences]
        found.sort()
        merged = [[found[0][0], found[0][1], {found[0][2]}]]
        for start, end, seq_id in found[1:]:
            last = merged[-1]
            if start <= last[1]:
                last[1] = max(last[1], end)
                last[2].add(seq_id)
            else:
                merged.append([start, end, {seq_id}])
        return [(a, b, frozenset(c)) for a, b, c in merged]

    # ------------------------------------------------------------ rendering
    def title_html(self, title: str) -> str:
        title = title or ""
        return render(title, [(a, b) for a, b, _ in self.matches(title)], 0, len(title))

    def matches_early(self, text: str, width: int = SNIPPET_CHARS) -> list[tuple[int, int, frozenset]]:
        """Matches in `text` as far as the snippet window its first match
        opens: a long body is analysed a chunk at a time, and analysis stops
        once the text `width` characters past the first match has been read
        (or every query form has been seen). The rest of a long body cannot
        change the highlights of that window, only offer other windows."""
        n = len(text)
        if n <= CHUNK_CHARS or not self.count:
            return self.matches(text)
        found: list[tuple[int, int, frozenset]] = []
        seen: set = set()
        start, limit = 0, None
        while start < n:
            stop = start + CHUNK_CHARS if limit is None else max(limit, start + 2 * CHUNK_OVERLAP)
            end = _word_boundary(text, min(n, stop))
            for a, b, ids in self.matches(text[start:end]):
                found.append((a + start, b + start, ids))
                seen |= ids
            if found and limit is None:
                limit = found[0][0] + width
            if end >= n or (found and (len(seen) >= self.count or end >= limit)):
                break
            # overlap, so a phrase across the cut is still found whole
            start = _word_boundary(text, max(start + 1, end - CHUNK_OVERLAP))
        return _merge(found)

    def snippet_html(self, body: str, width: int = SNIPPET_CHARS) -> str:
        body = body or ""
        if not body:
            return ""
        spans = self.matches_early(body)
        start, end = best_window(body, spans, width)
        inside = [(a, b) for a, b, _ in spans if a >= start and b <= end]
        return render(body, inside, start, end)


def _word_boundary(text: str, i: int) -> int:
    """i, moved forward (a little) to just after white space or punctuation."""
    n = len(text)
    for j in range(i, min(n, i + 40)):
        if text[j - 1].isspace() or text[j - 1] in _BOUNDARY or text[j - 1] in "，、,":
            return j
    return min(i, n)


def _merge(spans):
    out: list[list] = []
    for a, b, ids in sorted(spans, key=lambda s: (s[0], s[1])):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
            out[-1][2] = out[-1][2] | ids
        else:
            out.append([a, b, ids])
    return [(a, b, frozenset(ids)) for a, b, ids in out]


def best_window(body: str, spans, width: int) -> tuple[int, int]:
    """The ~width-character window covering the most distinct query forms
    (then the most matches), starting a little before its first match."""
    n = len(body)
    if n <= width:
        return 0, n
    if not spans:
        return 0, _cut_end(body, 0, width)
    best = None
    for k, (a, _b, _id) in enumerate(spans):
        lo = max(0, a - _LEAD)
        hi = lo + width
        distinct, count = set(), 0
        for j in range(k, len(spans)):
            sa, sb, seq_ids = spans[j]
            if sb > hi:
                break
            distinct |= seq_ids
            count += 1
        score = (len(distinct), count, -a)
        if best is None or score > best[0]:
            best = (score, lo, a)
    _score, lo, first = best
    lo = _nice_start(body, lo, first)
    hi = min(n, lo + width)
    # never cut a mark in half
    for sa, sb, _ in spans:
        if sa < hi < sb:
            hi = sb
    hi = _cut_end(body, lo, hi - lo)
    return lo, hi


def _nice_start(body: str, lo: int, first_match: int) -> int:
    """Start after a sentence end or a space near `lo`, never past the match."""
    if lo <= 0:
        return 0
    for i in range(lo, first_match):
        if body[i - 1] in _BOUNDARY:
            return i
    for i in range(lo, min(first_match, lo + 20)):
        if body[i - 1].isspace():
            return i
    return lo


def _cut_end(body: str, lo: int, width: int) -> int:
    hi = min(len(body), lo + width)
    if hi >= len(body):
        return len(body)
    # prefer to end at a space (English) when one is near
    for i in range(hi, max(lo, hi - 20), -1):
        if body[i - 1].isspace():
            return i - 1
    return hi


def render(text: str, spans, start: int, end: int) -> str:
    """Escaped text[start:end] with <mark> around spans; '…' where cut."""
    out = []
    if start > 0:
        out.append("…")
    pos = start
    for a, b in spans:
        if a < pos or b > end:
            continue
        out.append(_piece(text[pos:a]))
        out.append("<mark>" + _piece(text[a:b]) + "</mark>")
        pos = b
    out.append(_piece(text[pos:end]))
    if end < len(text):
        out.append("…")
    result = "".join(out)
    return result.strip() if start or end < len(text) else result


def _piece(text: str) -> str:
    return html.escape(_WS.sub(" ", text), quote=False)


__all__ = ["Highlighter", "sequence_of", "render", "best_window", "SNIPPET_CHARS"]
