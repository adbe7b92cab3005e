"""Facet and pagination links for the search page: all state lives in the
query string, so the back button and a copied URL restore the same view."""
from __future__ import annotations

from dataclasses import replace

from search.params import FACET_ATTRS as FACET_FIELDS
from search.params import canonical_query_string
from search.query import SearchQuery, SearchResult

FACET_TITLES = {
    "year": "Year", "city": "City", "district": "District", "event": "Event",
    "language": "Language", "source": "Source", "place": "Place",
}


def _url(query: SearchQuery) -> str:
    qs = canonical_query_string(query)
    return "?" + qs if qs else "?"


def facet_groups(query: SearchQuery, result: SearchResult) -> list[dict]:
    """Each facet with its values, every value carrying the URL that toggles it
    (page reset to 1: a new selection starts from the first page)."""
    groups = []
    for key, field in FACET_FIELDS.items():
        values = result.facets.get(key) or []
        if not values:
            continue
        selected = set(result.filters.get(key, ())) if result.filters else set()
        current = list(getattr(query, field) or [])
        items = []
        for v in values:
            if v.selected:
                remaining = [x for x in current if x != v.value and x not in _aliases_of(v, selected)]
                toggled = replace(query, **{field: remaining}, page=1)
            else:
                toggled = replace(query, **{field: [*current, v.value]}, page=1)
            items.append({"value": v.value, "label": v.label, "count": v.count, "selected": v.selected,
                          "url": _url(toggled)})
        groups.append({"key": key, "title": FACET_TITLES[key], "values": items})
    return groups


def _aliases_of(value, selected):
    # A filter typed as an alias (浦東) is resolved to the slug; dropping the
    # slug's facet must drop what the user typed for it too.
    return selected if value.value in selected else set()


def page_links(query: SearchQuery, result: SearchResult) -> dict:
    links = {}
    if result.page > 1:
        links["previous"] = _url(replace(query, page=result.page - 1))
    if result.page < (result.pages or 0):
        links["next"] = _url(replace(query, page=result.page + 1))
    return links


def sort_links(query: SearchQuery) -> dict:
    return {
        "relevance": _url(replace(query, sort="relevance", page=1)),
        "date": _url(replace(query, sort="date", page=1)),
    }
