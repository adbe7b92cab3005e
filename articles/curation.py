"""What a curator does to articles, as plain functions the admin calls.

Each operation returns how many articles it changed, records the curator's
decision in `Article.curated_fields` (so re-imports and re-tags leave it
alone) and queues index updates for the changed articles in the same
transaction. Bulk work goes through `QuerySet.update()`, which bypasses the
model's signals, so the queueing and the `updated_at` touch are explicit here.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from django.db import transaction
from django.utils import timezone

from articles.models import Article, City, District, Event, Place

__all__ = [
    "publish", "hide", "set_tag", "clear_tag", "set_place", "clear_place", "set_event", "clear_event",
    "mark_duplicates", "confirm_duplicate", "split_duplicate", "swap_original", "record_curated", "queue_reindex",
]

_TAG_FIELD = {City: "cities", District: "districts", Place: "places", Event: "events"}


def _now():
    return timezone.now().replace(microsecond=0)


def record_curated(ids: Iterable[int], fields: Iterable[str]) -> int:
    """Add `fields` to the curated fields of the articles `ids`; returns how many
    articles' records changed. One UPDATE per distinct starting list."""
    fields = set(fields)
    groups: dict[tuple, list[int]] = defaultdict(list)
    for pk, curated in Article.objects.filter(pk__in=list(ids)).values_list("pk", "curated_fields"):
        current = tuple(sorted(set(curated or [])))
        merged = tuple(sorted(set(current) | fields))
        if merged != current:
            groups[merged].append(pk)
    for merged, pks in groups.items():
        Article.objects.filter(pk__in=pks).update(curated_fields=list(merged))
    return sum(len(pks) for pks in groups.values())


def queue_reindex(ids) -> None:
    from search.indexing import enqueue

    ids = sorted(set(ids))
    if ids:
        Article.objects.filter(pk__in=ids).update(updated_at=timezone.now())
        enqueue(ids)


def _bulk(func):
    """Run a bulk operation in one transaction with deferred index writes."""

    def wrapper(*args, **kwargs):
        from search.indexing import deferred_indexing

        with deferred_indexing(), transaction.atomic():
            return func(*args, **kwargs)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    wrapper.__wrapped__ = func
    return wrapper


# ---------------------------------------------------------------- status

@_bulk
def publish(queryset) -> int:
    """Publish the selected articles. `first_published_at` is stamped once, on
    the first publication, and never reset. A duplicate that is published
    stands as its own article (its `duplicate_of` link is cleared)."""
    ids = list(queryset.exclude(status=Article.Status.PUBLISHED).values_list("pk", flat=True))
    if not ids:
        return 0
    now = _now()
    Article.objects.filter(pk__in=ids, first_published_at__isnull=True).update(first_published_at=now)
    duplicates = list(Article.objects.filter(pk__in=ids).exclude(duplicate_of=None).values_list("pk", flat=True))
    Article.objects.filter(pk__in=ids).update(status=Article.Status.PUBLISHED, duplicate_of=None)
    record_curated(ids, ["status"])
    record_curated(duplicates, ["duplicate_of"])
    queue_reindex(ids)
    return len(ids)


@_bulk
def hide(queryset) -> int:
    """Hide the selected articles (they leave the index and the site)."""
    ids = list(queryset.exclude(status=Article.Status.HIDDEN).values_list("pk", flat=True))
    if not ids:
        return 0
    Article.objects.filter(pk__in=ids).update(status=Article.Status.HIDDEN)
    record_curated(ids, ["status"])
    queue_reindex(ids)
    return len(ids)


# ---------------------------------------------------------------- tags

def _ancestors(entity) -> list[tuple[str, object]]:
    """(field, entity) for what tagging `entity` implies: a place's district and
    city, a district's city, an event's city."""
    out = []
    if isinstance(entity, Place):
        out.append(("districts", entity.district))
        out.append(("cities", entity.district.city))
    elif isinstance(entity, District):
        out.append(("cities", entity.city))
    elif isinstance(entity, Event) and entity.city_id:
        out.append(("cities", entity.city))
    return out


def _add_tag(ids: list[int], field: str, entity) -> set[int]:
    """Add `entity` to `field` for the articles `ids` that lack it; returns those ids."""
    through = getattr(Article, field).through
    column = through._meta.get_field(entity._meta.model_name).attname
    have = set(through.objects.filter(article_id__in=ids, **{column: entity.pk}).values_list("article_id", flat=True))
    missing = [pk for pk in ids if pk not in have]
    through.objects.bulk_create([through(article_id=pk, **{column: entity.pk}) for pk in missing])
    return set(missing)


@_bulk
def set_tag(queryset, entity) -> int:
    """Tag the selected articles with a city, district, place or event (and
    what it implies: a place's district and city, an event's city)."""
    field = _TAG_FIELD[type(entity)]
    ids = list(queryset.values_list("pk", flat=True))
    changed = _add_tag(ids, field, entity)
    record_curated(changed, [field])
    for parent_field, parent in _ancestors(entity):
        added = _add_tag(ids, parent_field, parent)
        record_curated(added, [parent_field])
        changed |= added
    queue_reindex(changed)
    return len(changed)


@_bulk
def clear_tag(queryset, entity) -> int:
    """Remove a city, district, place or event from the selected articles.
    Parents stay: an article about a park in Pudong may still be about Pudong."""
    field = _TAG_FIELD[type(entity)]
    through = getattr(Article, field).through
    column = through._meta.get_field(entity._meta.model_name).attname
    rows = through.objects.filter(article_id__in=queryset.values("pk"), **{column: entity.pk})
    changed = set(rows.values_list("article_id", flat=True))
    rows.delete()
    record_curated(changed, [field])
    queue_reindex(changed)
    return len(changed)


def set_place(queryset, place: Place) -> int:
    return set_tag(queryset, place)


def clear_place(queryset, place: Place) -> int:
    return clear_tag(queryset, place)


def set_event(queryset, event: Event) -> int:
    return set_tag(queryset, event)


def clear_event(queryset, event: Event) -> int:
    return clear_tag(queryset, event)


# ---------------------------------------------------------------- duplicates

def _root(article: Article) -> Article:
    seen = set()
    while article.duplicate_of_id and article.pk not in seen:
        seen.add(article.pk)
        article = article.duplicate_of
    return article


@_bulk
def mark_duplicates(queryset, original: Article) -> int:
    """Mark the selected articles as duplicates of `original` (which is never
    marked a duplicate of itself). Their own duplicates follow them."""
    original = _root(original)
    ids = list(
        queryset.exclude(pk=original.pk)
        .exclude(status=Article.Status.DUPLICATE, duplicate_of=original)
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    Article.objects.filter(pk__in=ids).update(status=Article.Status.DUPLICATE, duplicate_of=original)
    followers = list(Article.objects.filter(duplicate_of_id__in=ids).values_list("pk", flat=True))
    Article.objects.filter(pk__in=followers).update(duplicate_of=original)
    record_curated(ids, ["status", "duplicate_of"])
    record_curated(followers, ["duplicate_of"])
    queue_reindex(ids + followers)
    return len(ids)


@_bulk
def confirm_duplicate(article: Article) -> int:
    """Keep `article` as a duplicate of its original; the decision is recorded
    (curated), so a re-import never undoes it. Returns 1 if the record changed."""
    if article.status != Article.Status.DUPLICATE or not article.duplicate_of_id:
        raise ValueError(f"article {article.pk} is not a duplicate")
    changed = record_curated([article.pk], ["status", "duplicate_of"])
    article.refresh_from_db(fields=["curated_fields"])
    return changed


@_bulk
def split_duplicate(article: Article) -> int:
    """Publish a supposed duplicate as its own article."""
    if article.status != Article.Status.DUPLICATE and not article.duplicate_of_id:
        return 0
    article.status = Article.Status.PUBLISHED
    article.duplicate_of = None
    article.mark_curated(["status", "duplicate_of"])
    article.save()  # stamps first_published_at once; post_save queues the index update
    return 1


@_bulk
def swap_original(article: Article) -> int:
    """Make the duplicate `article` the original: the old original becomes its
    duplicate and the old original's other duplicates point to it. Returns how
    many articles changed."""
    if article.status != Article.Status.DUPLICATE or not article.duplicate_of_id:
        raise ValueError(f"article {article.pk} is not a duplicate")
    old = article.duplicate_of
    others = list(old.duplicates.exclude(pk=article.pk).values_list("pk", flat=True))

    article.status = old.status if old.status != Article.Status.DUPLICATE else Article.Status.PUBLISHED
    article.duplicate_of = None
    if article.first_published_at is None and article.status == Article.Status.PUBLISHED:
        # The story was first published when the old original was: the swap
        # must not make it "new" to saved searches.
        article.first_published_at = old.first_published_at
    article.mark_curated(["status", "duplicate_of"])
    article.save()

    old.status = Article.Status.DUPLICATE
    old.duplicate_of = article
    old.mark_curated(["status", "duplicate_of"])
    old.save()

    if others:
        Article.objects.filter(pk__in=others).update(duplicate_of=article)
        record_curated(others, ["duplicate_of"])
        queue_reindex(others)
    return 2 + len(others)
