"""Exact, disjunctive facet counts from per-value document sets.

For every facet field the index's own postings give, per value, the set of
documents carrying it (a pyroaring BitMap). These sets, the live documents and
the per-document sort/date columns are read once per searcher and cached on it
(the process keeps one searcher until the index changes, search/index.py), so
a request only intersects bitmaps: no walk over hits, no `groupedby`.

A value's count applies every *other* facet's filter but not its own
(CONTRACTS.md), so a user can widen a selection.
"""
from __future__ import annotations

import threading
from typing import NamedTuple

import numpy as np
from pyroaring import BitMap

from search.schema import FACET_FIELDS

CONTRACT_FACETS = ("year", "city", "district", "event", "language", "source")
SHOWN_FACETS = CONTRACT_FACETS + ("place",)

LANGUAGE_LABELS = {
    "en": {"en": "English", "zh-hans": "Simplified Chinese", "zh-hant": "Traditional Chinese"},
    "zh-hans": {"en": "英文", "zh-hans": "简体中文", "zh-hant": "繁体中文"},
    "zh-hant": {"en": "英文", "zh-hans": "簡體中文", "zh-hant": "繁體中文"},
}


class FacetValue(NamedTuple):
    """One facet value (immutable; a named tuple: a page lists a few hundred)."""

    value: str
    label: str
    count: int
    selected: bool


class _SegmentPart(NamedTuple):
    """What one segment holds, in its own document numbers. Segments never
    change once written (deletions live beside them), so a part is built once
    and reused by every later searcher that still has the segment: after a
    save, only the new small segment is read."""

    values: dict[str, dict[str, BitMap]]
    columns: dict[str, np.ndarray]


_COLUMNS = ("sort_key", "date_num", "published_ts")
_parts_lock = threading.Lock()
_parts: dict[tuple, _SegmentPart] = {}


def _segment_part(leaf) -> _SegmentPart:
    values = {}
    for field in FACET_FIELDS:
        per_value = {}
        if field in leaf.schema:
            for raw in leaf.lexicon(field):
                value = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
                if value:
                    per_value[value] = BitMap(leaf.postings(field, raw).all_ids())
        values[field] = per_value
    n = leaf.doc_count_all()
    columns = {}
    for field in _COLUMNS:
        if n and leaf.has_column(field):
            creader = leaf.column_reader(field)
            columns[field] = np.fromiter((int(v or 0) for v in creader), dtype=np.int64, count=n)
        else:
            columns[field] = np.zeros(n, dtype=np.int64)
    return _SegmentPart(values, columns)


def _segment_key(searcher, leaf) -> tuple | None:
    from search.query import _segment_key as key

    folder = getattr(getattr(getattr(searcher, "_ix", None), "storage", None), "folder", None)
    return key(folder, leaf)


def _live(leaf) -> BitMap:
    live = BitMap()
    live.add_range(0, leaf.doc_count_all())
    if leaf.has_deletions():
        live -= BitMap(leaf.segment().deleted_docs())
    return live


class SearcherView:
    """What one searcher's index holds, as sets and arrays (built once, from
    per-segment parts cached across searchers)."""

    def __init__(self, searcher):
        reader = searcher.reader()
        self.doc_count_all = reader.doc_count_all()
        leaves = reader.leaf_readers()
        parts = []
        with _parts_lock:
            seen = {}
            for leaf, offset in leaves:
                key = _segment_key(searcher, leaf)
                part = _parts.get(key) if key else None
                if part is None:
                    part = _segment_part(leaf)
                if key:
                    seen[key] = part
                parts.append((leaf, offset, part))
            # Keep only the segments of the newest view (a rebuild's old
            # generation, merged-away segments go).
            _parts.clear()
            _parts.update(seen)
        self.live = BitMap()
        for leaf, offset, _ in parts:
            self.live |= _live(leaf).shift(offset) if offset else _live(leaf)
        self.values: dict[str, dict[str, BitMap]] = {}
        for field in FACET_FIELDS:
            pieces: dict[str, list[BitMap]] = {}
            for _, offset, part in parts:
                for value, ids in part.values.get(field, {}).items():
                    pieces.setdefault(value, []).append(ids.shift(offset) if offset else ids)
            per_value = {}
            for value, sets in pieces.items():
                ids = (sets[0] if len(sets) == 1 else BitMap.union(*sets)) & self.live
                if ids:
                    per_value[value] = ids
            self.values[field] = per_value
        for field in _COLUMNS:
            arrays = [part.columns[field] for _, _, part in parts]
            column = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64)
            setattr(self, field, column)
        self._newest_first = None
        self._lock = threading.Lock()

    def union(self, field: str, values) -> BitMap:
        sets = [self.values[field][v] for v in values if v in self.values.get(field, {})]
        return BitMap.union(*sets) if sets else BitMap()

    def where(self, mask: np.ndarray) -> BitMap:
        return BitMap(np.flatnonzero(mask).astype(np.uint32)) & self.live

    def newest_first(self, docs: BitMap) -> np.ndarray:
        """`docs` ordered by sort_key descending (ties: newest docnum first)."""
        ids = np.fromiter(docs, dtype=np.int64, count=len(docs))
        if not len(ids):
            return ids
        keys = self.sort_key[ids]
        order = np.lexsort((-ids, -keys))
        return ids[order]


def view_for(searcher) -> SearcherView:
    """The searcher's cached view."""
    from search.index import cached_on_searcher

    return cached_on_searcher(searcher, "_biopharma_view", SearcherView)


def count_facets(view: SearcherView, base: BitMap, selected: dict[str, BitMap | None], fields=SHOWN_FACETS):
    """{field: {value: count}}: each field's counts under every other field's filter."""
    out = {}
    for field in fields:
        docs = base
        for other, allowed in selected.items():
            if other != field and allowed is not None:
                docs = docs & allowed
        counts = {}
        if docs:
            for value, ids in view.values.get(field, {}).items():
                c = docs.intersection_cardinality(ids)
                if c:
                    counts[value] = c
        out[field] = counts
    return out


def facet_values(field: str, counts: dict[str, int], selected_values, labeller) -> list[FacetValue]:
    """Facet value dicts, ordered as the contract says; selected values stay listed."""
    selected_values = set(selected_values or ())
    values = set(counts) | selected_values if selected_values else counts.keys()
    get = counts.get
    items = [FacetValue(v, labeller(field, v), get(v, 0), v in selected_values) for v in values]
    if field == "year":
        items.sort(key=lambda fv: (-_int(fv.value), fv.value))
    else:
        items.sort(key=lambda fv: (-fv.count, fv.label.casefold(), fv.value))
    return items


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


__all__ = ["FacetValue", "SearcherView", "view_for", "count_facets", "facet_values",
           "CONTRACT_FACETS", "SHOWN_FACETS", "LANGUAGE_LABELS"]
