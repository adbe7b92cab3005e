"""The "curator" group: exactly what curators need in the admin.

View, add and change articles (no delete: hiding is how an article leaves the
site); view, add, change and delete gazetteer entities and glossary terms.
No permission on users, groups or permissions. A curator account is a staff
user in this group.

Permissions are normally created after `migrate` (post_migrate), so on a fresh
database they do not exist yet: they are created here first, for these apps.
"""
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "curator"

PERMISSIONS = {
    "articles": {
        "article": ("view", "add", "change"),
        "city": ("view", "add", "change", "delete"),
        "district": ("view", "add", "change", "delete"),
        "place": ("view", "add", "change", "delete"),
        "event": ("view", "add", "change", "delete"),
        "source": ("view", "add", "change", "delete"),
    },
    "search": {
        "glossaryterm": ("view", "add", "change", "delete"),
    },
}


def _create_permissions(apps, using):
    for label in PERMISSIONS:
        app_config = apps.get_app_config(label)
        # Migration state apps have no models module; create_permissions
        # skips such apps unless told otherwise.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        try:
            create_permissions(app_config, apps=apps, using=using, verbosity=0)
        finally:
            app_config.models_module = models_module


def create_group(apps, schema_editor):
    db = schema_editor.connection.alias
    _create_permissions(apps, db)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")

    wanted = []
    for app_label, models in PERMISSIONS.items():
        for model, actions in models.items():
            ct = ContentType.objects.using(db).get(app_label=app_label, model=model)
            for action in actions:
                wanted.append(Permission.objects.using(db).get(content_type=ct, codename=f"{action}_{model}"))
    group, _ = Group.objects.using(db).get_or_create(name=GROUP)
    group.permissions.set(wanted)


def remove_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_load_gazetteer"),
        ("search", "0002_load_glossary"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
