"""Every gazetteer entity by slug and by any of its names, cached per process
for one gazetteer version: name lookups (import overrides, search filters)
must not scan the tables each time."""
from __future__ import annotations

import threading
from contextlib import contextmanager

from articles.names import fold_name

_cache: dict = {}
_pins = threading.local()


class EntityIndex:
    def __init__(self):
        from articles.models import City, District, Event, Place, Source

        self.by_slug: dict = {}
        self.by_name: dict = {}
        querysets = {
            City: City.objects.all(),
            District: District.objects.select_related("city"),
            Place: Place.objects.select_related("district__city"),
            Event: Event.objects.select_related("city"),
            Source: Source.objects.all(),
        }
        for model, qs in querysets.items():
            self.by_slug[model] = {}
            self.by_name[model] = {}
            for obj in qs:
                self.add(obj)

    def add(self, obj) -> None:
        model = type(obj)
        self.by_slug.setdefault(model, {})[obj.slug] = obj
        names = self.by_name.setdefault(model, {})
        for name in obj.names:
            names.setdefault(fold_name(name), obj)

    def get(self, model, value):
        """The entity `value` names: a slug, or any name or alias in any script or case."""
        value = (value or "").strip()
        if not value:
            return None
        hit = self.by_slug.get(model, {}).get(value) or self.by_slug.get(model, {}).get(value.lower())
        return hit or self.by_name.get(model, {}).get(fold_name(value))

    def by_slugs(self, model, slugs):
        table = self.by_slug.get(model, {})
        return [table[s] for s in slugs if s in table]


def entity_index() -> EntityIndex:
    pinned = getattr(_pins, "index", None)
    if pinned is not None:
        return pinned
    from search.state import gazetteer_version

    version = gazetteer_version()
    hit = _cache.get("index")
    if hit is None or hit[0] != version:
        hit = (version, EntityIndex())
        _cache["index"] = hit
    return hit[1]


@contextmanager
def pinned_entity_index():
    """Bulk work (an import run) reads one gazetteer version throughout, as its
    pipeline workers do: checking the version on every lookup costs a query
    per article. Entities the run creates are added to the pinned index."""
    outer = getattr(_pins, "index", None)
    _pins.index = outer or entity_index()
    try:
        yield _pins.index
    finally:
        _pins.index = outer
