"""The glossary arrives with `migrate`, editable in the admin afterwards."""
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "glossary.json"


def load(apps, schema_editor):
    GlossaryTerm = apps.get_model("search", "GlossaryTerm")
    for row in json.loads(DATA.read_text(encoding="utf-8")):
        GlossaryTerm.objects.update_or_create(
            en=row["en"],
            defaults={
                "zh_hans": row["zh_hans"],
                "zh_hant": row["zh_hant"],
                "en_aliases": row.get("en_aliases", []),
                "zh_aliases": row.get("zh_aliases", []),
                "category": row.get("category", ""),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
