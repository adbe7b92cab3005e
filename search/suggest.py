"""“Did you mean”: corrections for misspelt English words and names.

Offered only when a query finds few or no results. Candidates come from the
index's own vocabulary (the title and body lexicons, Damerau-Levenshtein
distance <= 2 through Whoosh's automata) and from the gazetteer's English
names; the closest wins, then the most frequent. A suggestion is made only if
the corrected query finds more than the original one.
"""
from __future__ import annotations

import re

_ALPHA = re.compile(r"^[a-z]+$")


def distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment (Damerau-Levenshtein) distance, or limit+1
    when it is more than limit. Only cells within `limit` of the diagonal
    are computed (any other is more than limit away)."""
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return limit + 1
    big = limit + 1
    prev2 = None
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [big] * (lb + 1)
        best = big
        if i <= limit:
            cur[0] = best = i
        ai = a[i - 1]
        ap = a[i - 2] if i > 1 else None
        for j in range(max(1, i - limit), min(lb, i + limit) + 1):
            v = prev[j] + 1
            w = cur[j - 1] + 1
            if w < v:
                v = w
            w = prev[j - 1] + (ai != b[j - 1])
            if w < v:
                v = w
            if prev2 is not None and j > 1 and ai == b[j - 2] and ap == b[j - 1]:
                w = prev2[j - 2] + 1
                if w < v:
                    v = w
            cur[j] = v
            if v < best:
                best = v
        if best > limit:
            return big
        prev2, prev = prev, cur
    return min(prev[lb], big)


def _doc_freq(reader, term: str) -> int:
    return max(reader.doc_frequency("title", term), reader.doc_frequency("body", term))


def _gazetteer_words(version: str | None = None) -> set[str]:
    from search.expansion import namebook

    words = set()
    book = namebook(version)
    for kind in ("city", "district", "place", "event"):
        for names in book.labels.get(kind, {}).values():
            for word in re.findall(r"[A-Za-z]{4,}", names[0]):
                words.add(word)
    for kind, folded in book.slugs.items():
        if kind == "source":
            continue
        for name in folded:
            for word in re.findall(r"[a-z]{4,}", name):
                words.add(word)
    return words


def _surface(searcher, view, stem: str) -> str | None:
    """The word as the articles most often spell it, for an index term (a stem)."""
    from collections import Counter

    from search.analysis import analyze

    cache = view.__dict__.setdefault("_surfaces", {})
    if stem in cache:
        return cache[stem]
    reader = searcher.reader()
    seen = Counter()
    for fieldname in ("title", "body"):
        if not reader.doc_frequency(fieldname, stem):
            continue
        for n, docnum in enumerate(reader.postings(fieldname, stem).all_ids()):
            if n >= 5:
                break
            text = searcher.stored_fields(docnum).get(fieldname) or ""
            for tok in analyze(text):
                if tok.text == stem:
                    seen[text[tok.start:tok.end].lower()] += 1
    found = min(seen, key=lambda w: (-seen[w], len(w), w)) if seen else None
    cache[stem] = found
    return found


def terms_within(view, reader, fieldname: str, text: str, maxdist: int) -> list[str]:
    """reader.terms_within(fieldname, text, maxdist, prefix=1), faster: the
    field's terms with the word's first letter are read once per searcher and
    grouped by length, and only those whose length is within maxdist are
    compared (the same Damerau-Levenshtein distance, stopping early)."""
    if not text:
        return []
    cache = view.__dict__.setdefault("_terms_by_initial", {})
    key = (fieldname, text[0])
    groups = cache.get(key)
    if groups is None:
        groups = {}
        fieldobj = reader.schema[fieldname]
        for btext in reader.expand_prefix(fieldname, text[:1]):
            word = fieldobj.from_bytes(btext)
            groups.setdefault(len(word), []).append(word)
        cache[key] = groups
    n = len(text)
    out = []
    for length in range(n - maxdist, n + maxdist + 1):
        for word in groups.get(length, ()):
            if distance(word, text, maxdist) <= maxdist:
                out.append(word)
    return out


def correction(searcher, view, word: str, version: str | None = None) -> str | None:
    from search.analysis import query_terms

    terms = query_terms(word)
    if len(terms) != 1 or len(word) < 3:
        return None
    term = terms[0]
    reader = searcher.reader()
    own_df = _doc_freq(reader, term)
    maxdist = 1 if len(word) <= 4 else 2
    candidates = []  # (distance, -df, preference, surface)
    seen = set()
    for fieldname in ("title", "body"):
        try:
            near = terms_within(view, reader, fieldname, term, maxdist)
        except Exception:
            near = []
        for cand in near:
            if cand == term or cand in seen or not _ALPHA.match(cand):
                continue
            seen.add(cand)
            df = _doc_freq(reader, cand)
            if df <= own_df:
                continue
            candidates.append((distance(term, cand, maxdist), -df, 1, cand))
    low = word.lower()
    for name in _gazetteer_words(version):
        d = distance(low, name.lower(), maxdist)
        if d == 0 or d > maxdist:
            continue
        name_terms = query_terms(name)
        df = _doc_freq(reader, name_terms[0]) if len(name_terms) == 1 else 0
        if own_df and df <= own_df:
            continue
        candidates.append((d, -df, 0, name))
    if not candidates:
        return None
    candidates.sort()
    d, _negdf, kind, cand = candidates[0]
    if d > maxdist:
        return None
    if kind == 0:
        return cand
    surface = _surface(searcher, view, cand)
    if not surface:
        return None
    return surface if word == low else surface.capitalize() if word[:1].isupper() else surface


def did_you_mean(searcher, view, parsed, compiled, total: int, version: str | None = None) -> str | None:
    from search.expansion import expansion_table
    from search.parsing import parse
    from search.query import compile_query

    text = parsed.text
    changed = False
    reader = searcher.reader()
    for word in dict.fromkeys(compiled.plain_words):
        from search.analysis import query_terms

        terms = query_terms(word)
        if len(terms) != 1:
            continue
        df = _doc_freq(reader, terms[0])
        if df >= 2:
            continue
        fix = correction(searcher, view, word, version)
        if not fix or fix.lower() == word.lower():
            continue
        pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
        new_text = pattern.sub(lambda _m: fix, text)
        if new_text != text:
            text, changed = new_text, True
    if not changed:
        return None
    from search.query import matching_docs

    new = compile_query(parse(text), expansion_table(version))
    if not new.searchable:
        return None
    found = len(matching_docs(searcher, view, new))
    return text if found > total else None


__all__ = ["did_you_mean", "correction", "distance"]
