"""Outside inputs -> SearchQuery, and SearchQuery -> its canonical query string.

The web page, its htmx partials, `/api/search`, the `search` command and saved
searches all speak the same parameter names (CONTRACTS.md, "Web and API
parameters"). Values are passed through as text: the query engine validates
them and turns bad ones into messages, so every interface reports the same
thing for the same input.
"""
from __future__ import annotations

from urllib.parse import urlencode

from search.query import DEFAULT_PER_PAGE, SearchQuery

# The contract's order; `per_page` and `lang` are extras (appended when not default).
MULTI_PARAMS = ("year", "city", "district", "place", "event", "language", "source")
CANONICAL_ORDER = ("q", *MULTI_PARAMS, "from", "to", "since", "sort", "page")
MAX_VALUES_PER_PARAM = 50

# URL parameter -> SearchQuery field, for the facets.
FACET_ATTRS = {
    "year": "years",
    "city": "cities",
    "district": "districts",
    "place": "places",
    "event": "events",
    "language": "languages",
    "source": "sources",
}


def _values(getlist, name) -> list[str]:
    out = []
    for value in getlist(name)[:MAX_VALUES_PER_PARAM]:
        if value is None:
            continue
        # A comma-separated list is accepted too (?year=2022,2023).
        for part in str(value).split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def _first(get, name) -> str:
    value = get(name)
    return "" if value is None else str(value).strip()


def query_from_querydict(data) -> SearchQuery:
    """A QueryDict (request.GET) or any mapping of lists -> SearchQuery."""
    getlist = data.getlist if hasattr(data, "getlist") else (lambda k: _as_list(data.get(k)))
    get = (lambda k: (getlist(k) or [None])[-1])
    kwargs = {attr: _values(getlist, name) for name, attr in FACET_ATTRS.items()}
    return SearchQuery(
        q=get("q") or "",
        date_from=_first(get, "from"),
        date_to=_first(get, "to"),
        since=_first(get, "since"),
        sort=_first(get, "sort"),
        page=_first(get, "page"),
        per_page=_first(get, "per_page"),
        lang=_first(get, "lang"),
        **kwargs,
    )


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def query_from_options(options: dict) -> SearchQuery:
    """The `search` command's parsed options -> SearchQuery."""

    def many(key):
        return _values(lambda k: _as_list(options.get(k)), key)

    def one(key):
        value = options.get(key)
        return "" if value is None else str(value).strip()

    return SearchQuery(
        q=options.get("query") or "",
        years=many("year"),
        cities=many("city"),
        districts=many("district"),
        places=many("place"),
        events=many("event"),
        languages=many("language"),
        sources=many("source"),
        date_from=one("date_from"),
        date_to=one("date_to"),
        since=one("since"),
        sort=one("sort"),
        page=one("page"),
        per_page=one("per_page"),
        lang=one("lang"),
    )


def canonical_params(q: SearchQuery) -> list[tuple[str, str]]:
    """(name, value) pairs in the contract's order, repeated values sorted,
    empty and default values dropped."""
    pairs: list[tuple[str, str]] = []
    text = " ".join(str(q.q or "").split())
    if text:
        pairs.append(("q", text))
    for name in MULTI_PARAMS:
        values = sorted({str(v).strip() for v in getattr(q, FACET_ATTRS[name]) or [] if str(v).strip()})
        pairs.extend((name, v) for v in values)
    for name, value in (("from", q.date_from), ("to", q.date_to), ("since", q.since)):
        value = "" if value is None else str(value).strip()
        if value:
            pairs.append((name, value))
    sort = str(q.sort or "").strip()
    if sort and sort != "relevance":
        pairs.append(("sort", sort))
    page = str(q.page or "").strip()
    if page and page != "1":
        pairs.append(("page", page))
    per_page = str(q.per_page or "").strip()
    if per_page and per_page != str(DEFAULT_PER_PAGE):
        pairs.append(("per_page", per_page))
    return pairs


def canonical_query_string(q: SearchQuery) -> str:
    """What a saved search stores and what the page pushes to the URL."""
    return urlencode(canonical_params(q))


__all__ = ["query_from_querydict", "query_from_options", "canonical_params", "canonical_query_string"]
