"""Re-tagging articles after the gazetteer changed.

A curator who adds an alias to a park, renames a district or creates an event
expects the articles that mention it to be tagged with it, and the ones that
no longer can to lose the tag, without re-importing anything. Two steps:

* `affected_articles(old_names, new_names, entity)`: exactly the articles the
  edit can change: those whose title or body holds an added or changed name
  (in either Chinese script), plus those tagged with the entity when a name
  was removed (or its place in the hierarchy moved).
* `retag(queryset)`: re-run the tagger and the year extraction on each of them
  with the *current* gazetteer, and write the tags and year the curator has not
  corrected (`Article.curated_fields`). Index updates are queued in the same
  transactions and written once at the end.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from django.db import transaction
from django.db.models import Q, QuerySet

from articles.models import Article, City, District, Event, Place

__all__ = ["affected_articles", "retag", "retag_article", "name_variants", "entity_field", "TAG_FIELDS"]

TAG_FIELDS = ("cities", "districts", "places", "events")
_FIELD_OF = {City: "cities", District: "districts", Place: "places", Event: "events"}
_KIND_OF = {"cities": "city", "districts": "district", "places": "place", "events": "event"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")


@lru_cache(maxsize=2)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def entity_field(entity) -> str | None:
    """The Article M2M field that holds tags of this entity's kind (None for a Source)."""
    for model, field in _FIELD_OF.items():
        if isinstance(entity, model):
            return field
    return None


def _fold(name: str) -> str:
    from articles.names import fold_name

    return fold_name(name)


def name_variants(names: Iterable[str]) -> set[str]:
    """Each name as text may spell it: both Chinese scripts, and for Latin names
    with a space or hyphen both separators (the tagger reads them alike)."""
    out: set[str] = set()
    for name in names:
        name = (name or "").strip()
        if not name:
            continue
        forms = {name}
        if _CJK.search(name):
            forms |= {_converter("t2s").convert(name), _converter("s2t").convert(name)}
        for form in list(forms):
            if _SEPARATORS.search(form):
                forms |= {_SEPARATORS.sub(" ", form), _SEPARATORS.sub("-", form)}
        out |= {f for f in forms if f.strip()}
    return out


def affected_articles(old_names: set[str], new_names: set[str], entity, *, hierarchy_changed: bool = False) -> QuerySet:
    """The articles a gazetteer edit can change.

    `old_names`: the entity's names before the edit (empty for a new entity);
    `new_names`: after it (empty for a deleted one). Names compare the way the
    tagger reads them (any script, case or width), so re-casing an alias
    affects nothing.
    """
    old_by_key = {_fold(n): n for n in old_names if n and n.strip()}
    new_by_key = {_fold(n): n for n in new_names if n and n.strip()}
    added = [name for key, name in new_by_key.items() if key not in old_by_key]
    removed = [name for key, name in old_by_key.items() if key not in new_by_key]

    query = Q(pk__in=[])
    variants = name_variants(added)
    if variants:
        query |= Q(pk__in=Article.objects.mentioning_any(sorted(variants)).values("pk"))
    field = entity_field(entity)
    if field and getattr(entity, "pk", None) and (removed or hierarchy_changed):
        query |= Q(pk__in=Article.objects.filter(**{field: entity}).values("pk"))
    return Article.objects.filter(query).order_by("pk")


def articles_for_entities(entities: Iterable) -> QuerySet:
    """Every article that mentions any of these entities' names or is tagged
    with one of them (the changelist's "re-tag affected articles")."""
    query = Q(pk__in=[])
    names: set[str] = set()
    for entity in entities:
        names |= set(entity.names)
        field = entity_field(entity)
        if field:
            query |= Q(pk__in=Article.objects.filter(**{field: entity}).values("pk"))
    variants = name_variants(names)
    if variants:
        query |= Q(pk__in=Article.objects.mentioning_any(sorted(variants)).values("pk"))
    return Article.objects.filter(query).order_by("pk")


# ---------------------------------------------------------------- re-tagging

class _Lookups:
    """Slug -> pk per kind, and each entity's parents, read once per run."""

    def __init__(self):
        self.pk = {
            "cities": dict(City.objects.values_list("slug", "pk")),
            "districts": dict(District.objects.values_list("slug", "pk")),
            "places": dict(Place.objects.values_list("slug", "pk")),
            "events": dict(Event.objects.values_list("slug", "pk")),
        }
        self.place_district = dict(Place.objects.values_list("pk", "district_id"))
        self.district_city = dict(District.objects.values_list("pk", "city_id"))
        self.event_city = dict(Event.objects.exclude(city=None).values_list("pk", "city_id"))


def paragraphs_of(body: str) -> list[str]:
    text = (body or "").replace("\r\n", "\n")
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def retag_article(article: Article, *, gazetteer=None, lookups: _Lookups | None = None) -> bool:
    """Re-run tagging and year extraction on one article; write what the
    curator has not corrected. Returns whether anything changed."""
    from articles.ingest.extract import extract_year
    from articles.ingest.tagging import tag_article

    if gazetteer is None:
        from articles.gazetteer_data import pipeline_context

        gazetteer = pipeline_context().gazetteer
    lookups = lookups or _Lookups()
    paragraphs = paragraphs_of(article.body)
    tags = tag_article(title=article.title, paragraphs=paragraphs, gazetteer=gazetteer)

    current = {field: set(getattr(article, field).values_list("pk", flat=True)) for field in TAG_FIELDS}
    wanted = {}
    for field in TAG_FIELDS:
        if article.is_curated(field):
            wanted[field] = set(current[field])
        else:
            wanted[field] = {lookups.pk[field][s] for s in getattr(tags, field) if s in lookups.pk[field]}
    # A place belongs to a district, a district to a city, an event to its city:
    # parents of what the article keeps (curated tags included) stay tagged.
    if not article.is_curated("districts"):
        wanted["districts"] |= {lookups.place_district[p] for p in wanted["places"] if p in lookups.place_district}
    if not article.is_curated("cities"):
        wanted["cities"] |= {lookups.district_city[d] for d in wanted["districts"] if d in lookups.district_city}
        wanted["cities"] |= {lookups.event_city[e] for e in wanted["events"] if e in lookups.event_city}

    changed = False
    for field in TAG_FIELDS:
        if wanted[field] != current[field]:
            getattr(article, field).set(wanted[field])  # m2m_changed queues the index update
            changed = True

    if not article.is_curated("year"):
        year = extract_year(title=article.title, paragraphs=paragraphs, date=article.date, event_names=tags.event_names)
        # Extraction that finds nothing keeps the year the article has (it may
        # have come from an export's record).
        if year is not None and year != article.year:
            article.year = year
            article.save(update_fields=["year", "updated_at"])
            changed = True
    return changed


def retag(queryset) -> int:
    """Re-tag every article in `queryset` with the current gazetteer; returns
    how many changed. Call it after the gazetteer edit is saved."""
    from articles.gazetteer_data import pipeline_context
    from search.indexing import deferred_indexing

    gazetteer = pipeline_context().gazetteer
    lookups = _Lookups()
    ids = list(queryset.order_by().values_list("pk", flat=True).distinct())
    changed = 0
    with deferred_indexing():
        for start in range(0, len(ids), 200):
            chunk = Article.objects.filter(pk__in=ids[start:start + 200]).order_by("pk")
            for article in chunk:
                with transaction.atomic():
                    if retag_article(article, gazetteer=gazetteer, lookups=lookups):
                        changed += 1
    return changed
