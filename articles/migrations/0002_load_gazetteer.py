"""The gazetteer arrives with `migrate`: nobody must remember to load a fixture."""
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "gazetteer.json"


def load(apps, schema_editor):
    _load(apps, json.loads(DATA.read_text(encoding="utf-8")))


def _load(apps, data):
    City = apps.get_model("articles", "City")
    District = apps.get_model("articles", "District")
    Place = apps.get_model("articles", "Place")
    Event = apps.get_model("articles", "Event")
    Source = apps.get_model("articles", "Source")

    def names(row):
        return {k: row[k] for k in ("name_en", "name_zh_hans", "name_zh_hant")} | {"aliases": row.get("aliases", [])}

    cities = {c.slug: c for c in City.objects.all()}
    for row in data["cities"]:
        cities[row["slug"]], _ = City.objects.update_or_create(slug=row["slug"], defaults=names(row))
    districts = {d.slug: d for d in District.objects.all()}
    for row in data["districts"]:
        districts[row["slug"]], _ = District.objects.update_or_create(
            slug=row["slug"], defaults=names(row) | {"city": cities[row["city"]]}
        )
    for row in data["places"]:
        Place.objects.update_or_create(
            slug=row["slug"],
            defaults=names(row) | {"district": districts[row["district"]], "kind": row.get("kind") or "park"},
        )
    for row in data["events"]:
        Event.objects.update_or_create(
            slug=row["slug"], defaults=names(row) | {"city": cities.get(row.get("city"))}
        )
    for row in data["sources"]:
        Source.objects.update_or_create(
            slug=row["slug"],
            defaults=names(row) | {"domains": row.get("domains", []), "signatures": row.get("signatures", [])},
        )


def load_missing(apps, data):
    """Create the entities of `data` whose slug is not in the database yet."""
    City = apps.get_model("articles", "City")
    District = apps.get_model("articles", "District")
    Place = apps.get_model("articles", "Place")
    Event = apps.get_model("articles", "Event")
    Source = apps.get_model("articles", "Source")
    present = {m: set(m.objects.values_list("slug", flat=True)) for m in (City, District, Place, Event, Source)}
    fresh = {
        "cities": [r for r in data["cities"] if r["slug"] not in present[City]],
        "districts": [r for r in data["districts"] if r["slug"] not in present[District]],
        "places": [r for r in data["places"] if r["slug"] not in present[Place]],
        "events": [r for r in data["events"] if r["slug"] not in present[Event]],
        "sources": [r for r in data["sources"] if r["slug"] not in present[Source]],
    }
    _load(apps, fresh)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
