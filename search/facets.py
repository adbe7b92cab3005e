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


class SearcherView:
    """What one searcher's index holds, as sets and arrays (built once)."""

    def __init__(self, searcher):
        reader = searcher.reader()
        self.doc_count_all = reader.doc_count_all()
        self.live = BitMap(reader.all_doc_ids())
        self.values: dict[str, dict[str, BitMap]] = {}
        for field in FACET_FIELDS:
            per_value = {}
            if field in reader.schema:
                for raw in reader.lexicon(field):
                    value = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
                    if not value:
                        continue
                    ids = BitMap(reader.postings(field, raw).all_ids()) & self.live
                    if ids:
                        per_value[value] = ids
            self.values[field] = per_value
        self.sort_key = self._column(reader, "sort_key")
        self.date_num = self._column(reader, "date_num")
        self.published_ts = self._column(reader, "published_ts")
        self._newest_first = None
        self._lock = threading.Lock()

    def _column(self, reader, field) -> np.ndarray:
        n = self.doc_count_all
        if n == 0 or not reader.has_column(field):
            return np.zeros(n, dtype=np.int64)
        creader = reader.column_reader(field)
        return np.fromiter((int(v or 0) for v in creader), dtype=np.int64, count=n)

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


_views_lock = threading.Lock()


def view_for(searcher) -> SearcherView:
    """The searcher's cached view (the searcher lives until the index changes)."""
    view = getattr(searcher, "_biopharma_view", None)
    if view is None:
        with _views_lock:
            view = getattr(searcher, "_biopharma_view", None)
            if view is None:
                view = SearcherView(searcher)
                searcher._biopharma_view = view
    return view


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
