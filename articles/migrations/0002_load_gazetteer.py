"""The gazetteer arrives with `migrate`: nobody must remember to load a fixture."""
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "gazetteer.json"


def load(apps, schema_editor):
    data = json.loads(DATA.read_text(encoding="utf-8"))
    City = apps.get_model("articles", "City")
    District = apps.get_model("articles", "District")
    Place = apps.get_model("articles", "Place")
    Event = apps.get_model("articles", "Event")
    Source = apps.get_model("articles", "Source")

    def names(row):
        return {k: row[k] for k in ("name_en", "name_zh_hans", "name_zh_hant")} | {"aliases": row.get("aliases", [])}

    cities = {}
    for row in data["cities"]:
        cities[row["slug"]], _ = City.objects.update_or_create(slug=row["slug"], defaults=names(row))
    districts = {}
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


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
