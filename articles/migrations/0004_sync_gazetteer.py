"""Brings an existing database's gazetteer up to articles/data/gazetteer.json:
new entities are created, new aliases added; nothing a curator typed (names,
aliases, removals of other entities) is overwritten."""
import importlib
import json

from django.db import migrations

LOADER = importlib.import_module("articles.migrations.0002_load_gazetteer")
KINDS = (("cities", "City"), ("districts", "District"), ("places", "Place"), ("events", "Event"), ("sources", "Source"))


def sync(apps, schema_editor):
    data = json.loads(LOADER.DATA.read_text(encoding="utf-8"))
    missing = False
    for key, model_name in KINDS:
        model = apps.get_model("articles", model_name)
        for row in data[key]:
            obj = model.objects.filter(slug=row["slug"]).first()
            if obj is None:
                missing = True
                continue
            known = {a.casefold() for a in obj.aliases or []}
            added = [a for a in row.get("aliases", []) if a.casefold() not in known]
            if added:
                obj.aliases = [*(obj.aliases or []), *added]
                obj.save(update_fields=["aliases"])
    if missing:
        # New entities: the first load creates what is not there by slug.
        LOADER.load_missing(apps, data)


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_curator_group")]
    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
