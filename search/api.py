"""SearchResult -> the contract's JSON object (CONTRACTS.md, "The search result").

The same dict is printed by `manage.py search --format json` and returned by
`/api/search`, so the two can never drift apart.
"""
from __future__ import annotations

import json

FACET_KEYS = ("year", "city", "district", "event", "language", "source", "place")


def hit_to_dict(hit) -> dict:
    return {
        "id": hit.id,
        "title": hit.title,
        "title_html": hit.title_html,
        "language": hit.language,
        "date": hit.date,
        "year": hit.year,
        "city": hit.city,
        "districts": list(hit.districts),
        "places": list(hit.places),
        "events": list(hit.events),
        "source": hit.source,
        "snippet_html": hit.snippet_html,
        "score": hit.score,
        "url": hit.url,
    }


def facet_value_to_dict(value) -> dict:
    return {"value": value.value, "label": value.label, "count": value.count, "selected": value.selected}


def result_to_dict(result) -> dict:
    return {
        "query": result.query,
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "sort": result.sort,
        "results": [hit_to_dict(h) for h in result.hits],
        "facets": {
            key: [facet_value_to_dict(v) for v in result.facets.get(key, [])]
            for key in FACET_KEYS
        },
        "did_you_mean": result.did_you_mean,
        "reading": {
            "terms": list(result.reading.terms),
            "variants": list(result.reading.variants),
            "expansions": list(result.reading.expansions),
            "notes": list(result.reading.notes),
        },
        "messages": list(result.messages),
        # extras
        "pages": result.pages,
        "lang": result.lang,
    }


def result_json(result, *, indent=None) -> str:
    return json.dumps(result_to_dict(result), ensure_ascii=False, indent=indent)


__all__ = ["result_to_dict", "result_json", "hit_to_dict", "FACET_KEYS"]
