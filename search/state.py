"""Version numbers shared by every process through the database.

A gazetteer or glossary edit bumps a version; each process compares the
version it built its caches (matcher, segmenter user words) with, and rebuilds
when they differ. The index records the analyzer version it was built with.
"""
import uuid

from search.models import SearchState

GAZETTEER = "gazetteer_version"
GLOSSARY = "glossary_version"


def _get(key: str) -> str:
    return SearchState.objects.filter(key=key).values_list("value", flat=True).first() or "0"


_local_edits = 0


def local_edits() -> int:
    """How many versions this process has bumped (caches of a version compare it)."""
    return _local_edits


def bump(key: str) -> str:
    """A fresh random token, not a counter: a rolled-back edit must not leave a
    process believing a later edit with the same number is the one it cached."""
    global _local_edits
    _local_edits += 1
    token = uuid.uuid4().hex[:12]
    SearchState.objects.update_or_create(key=key, defaults={"value": token})
    return token


def gazetteer_version() -> str:
    return _get(GAZETTEER)


def glossary_version() -> str:
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
