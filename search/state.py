"""Version numbers shared by every process through the database.

A gazetteer or glossary edit bumps a version; each process compares the
version it built its caches (matcher, segmenter user words) with, and rebuilds
when they differ. The index records the analyzer version it was built with.
"""
from django.db import transaction

from search.models import SearchState

GAZETTEER = "gazetteer_version"
GLOSSARY = "glossary_version"


def _get(key: str) -> int:
    row = SearchState.objects.filter(key=key).values_list("value", flat=True).first()
    try:
        return int(row or 0)
    except ValueError:
        return 0


def bump(key: str) -> int:
    with transaction.atomic():
        row, _ = SearchState.objects.select_for_update().get_or_create(key=key, defaults={"value": "0"})
        row.value = str(int(row.value or 0) + 1)
        row.save(update_fields=["value"])
        return int(row.value)


def gazetteer_version() -> int:
    return _get(GAZETTEER)


def glossary_version() -> int:
    return _get(GLOSSARY)


def analyzer_version() -> str:
    """Which user words the segmenter must hold: changes with either source of them."""
    return f"g{gazetteer_version()}.w{glossary_version()}"


REBUILD = "rebuild_started_at"


def mark_rebuild_started() -> None:
    from django.utils import timezone

    SearchState.objects.update_or_create(key=REBUILD, defaults={"value": timezone.now().isoformat()})


def clear_rebuild_started() -> None:
    SearchState.objects.filter(key=REBUILD).delete()


def rebuild_started_at():
    from django.utils.dateparse import parse_datetime

    value = SearchState.objects.filter(key=REBUILD).values_list("value", flat=True).first()
    return parse_datetime(value) if value else None
