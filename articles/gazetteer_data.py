"""The gazetteer as plain data, read from the database: what the pure pipeline,
worker processes and the search analyzer work from.

Cached per process under a version number that every gazetteer edit bumps
(search.state), so a curator's new park name reaches every process.
"""
from __future__ import annotations

from articles.ingest.extract import SourceSpec
from articles.ingest.gazetteer import Gazetteer
from articles.ingest.pipeline import PipelineContext
from articles.models import City, District, Event, Place, Source

_cache: dict = {}


def _names(obj):
    return {
        "slug": obj.slug,
        "name_en": obj.name_en,
        "name_zh_hans": obj.name_zh_hans,
        "name_zh_hant": obj.name_zh_hant,
        "aliases": list(obj.aliases or []),
    }


def gazetteer_dict() -> dict:
    """The database's gazetteer in the format of articles/data/gazetteer.json."""
    return {
        "cities": [_names(c) for c in City.objects.order_by("slug")],
        "districts": [_names(d) | {"city": d.city.slug} for d in District.objects.select_related("city").order_by("slug")],
        "places": [
            _names(p) | {"district": p.district.slug, "kind": p.kind}
            for p in Place.objects.select_related("district").order_by("slug")
        ],
        "events": [
            _names(e) | {"city": e.city.slug if e.city_id else None}
            for e in Event.objects.select_related("city").order_by("slug")
        ],
        "sources": [
            _names(s) | {"domains": list(s.domains or []), "signatures": list(s.signatures or [])}
            for s in Source.objects.order_by("slug")
        ],
    }


def source_specs(data: dict) -> tuple[SourceSpec, ...]:
    specs = []
    for row in data["sources"]:
        names = tuple(n for n in [row["name_en"], row["name_zh_hans"], row["name_zh_hant"], *row["aliases"]] if n)
        specs.append(
            SourceSpec(slug=row["slug"], names=names, domains=tuple(row["domains"]), signatures=tuple(row["signatures"]))
        )
    return tuple(specs)


def context_from_dict(data: dict) -> PipelineContext:
    sources = source_specs(data)
    credits = tuple(sorted({sig for s in sources for sig in s.signatures}))
    return PipelineContext(gazetteer=Gazetteer.from_dict(data), sources=sources, credit_signatures=credits)


def pipeline_context() -> PipelineContext:
    """The current context, rebuilt only when the gazetteer changed."""
    from search.state import gazetteer_version

    version = gazetteer_version()
    hit = _cache.get("ctx")
    if hit and hit[0] == version:
        return hit[1]
    data = gazetteer_dict()
    ctx = context_from_dict(data)
    _cache["ctx"] = (version, ctx)
    _cache["data"] = (version, data)
    return ctx


def current_gazetteer_dict() -> dict:
    pipeline_context()
    return _cache["data"][1]
