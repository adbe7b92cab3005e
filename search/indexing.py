"""Keeping the index a projection of the database.

Every change to an article writes a PendingIndexChange row in the same
transaction (articles/signals.py), so no update is lost to a crash. After the
transaction commits, the process drains the queue under the one index writer
lock; whichever process holds the lock applies everyone's pending rows.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from articles.models import Article
from search.bulk_writer import write_documents
from search.index import IndexBusy, IndexStore
from search.models import PendingIndexChange
from search.schema import TAG_RELATIONS, article_document, article_stamp
from search.vocabulary import ensure_user_words

BATCH = 500
logger = logging.getLogger(__name__)
_local = threading.local()


def _deferred() -> int:
    return getattr(_local, "deferred", 0)


def enqueue(article_ids) -> None:
    """Record that these articles' documents must be brought in step (call
    inside the transaction that changes them)."""
    ids = sorted({int(i) for i in article_ids if i is not None})
    if not ids:
        return
    PendingIndexChange.objects.bulk_create([PendingIndexChange(article_id=i) for i in ids])
    if not _deferred():
        transaction.on_commit(_drain_after_commit)


def _drain_after_commit():
    try:
        drain()
    except IndexBusy:
        # The rows stay queued; the process holding the writer, the next
        # save, or `check_index --repair` applies them.
        pass
    except Exception:
        # The change itself is committed and its row stays queued: a broken
        # or outdated index (fields from another version of the code, a full
        # disk) must not turn a curator's save into an error page.
        # `check_index` reports it; `rebuild_index` or `--repair` applies it.
        logger.exception("search index not updated; the change stays queued")


# Past this many queued articles, building a fresh generation with two
# processes is faster than updating the served one document by document.
REBUILD_THRESHOLD = 5000


@contextmanager
def deferred_indexing(*, apply: bool = True):
    """Bulk work (imports, bulk actions, re-tags) queues its changes and the
    index is written once, in batches, at the end. `apply=False` leaves them
    queued (durably) for `check_index --repair` or `rebuild_index`."""
    _local.deferred = _deferred() + 1
    try:
        yield
    finally:
        _local.deferred -= 1
        if not _deferred() and apply:
            if transaction.get_connection().in_atomic_block:
                transaction.on_commit(_catch_up)
            else:
                _catch_up()


def _catch_up():
    pending = PendingIndexChange.objects.filter(done=False).values("article_id").distinct().count()
    if pending > REBUILD_THRESHOLD:
        try:
            rebuild(procs=2)
        except IndexBusy:
            pass
    else:
        _drain_after_commit()


def _articles_for(ids):
    return (
        Article.objects.filter(pk__in=ids, status=Article.Status.PUBLISHED)
        .select_related("source")
        .prefetch_related("cities", "districts", "places", "events")
    )


def write_changes(ix, ids) -> None:
    """One writer transaction: committed whole, or cancelled (never half-written)."""
    writer = ix.writer(compound=False)
    try:
        apply_changes(writer, ids)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise


def apply_changes(writer, ids) -> None:
    """Bring the documents of `ids` in step: published articles are (re)written,
    everything else is removed."""
    for article_id in ids:
        writer.delete_by_term("id", str(article_id))
    for article in _articles_for(ids):
        writer.add_document(**article_document(article))


def drain(store: IndexStore | None = None, *, timeout: float = 60.0) -> int:
    """Apply every pending change; returns how many articles were touched."""
    store = store or IndexStore()
    if not PendingIndexChange.objects.filter(done=False).exists():
        return 0
    version = ensure_user_words()
    touched = 0
    with store.writer_lock(timeout=timeout):
        ix = store.open(locked=True)
        # A gazetteer or glossary edit queues exactly the articles holding the
        # changed words: once they are rewritten the index is current again.
        store.set_analyzer_version(version)
        while True:
            rows = list(PendingIndexChange.objects.filter(done=False).order_by("id").values_list("id", "article_id")[:BATCH * 4])
            if not rows:
                break
            ids = sorted({a for _, a in rows})
            write_changes(ix, ids)
            store.note_commit()
            PendingIndexChange.objects.filter(pk__in=[pk for pk, _ in rows]).update(done=True)
            touched += len(ids)
        purge_done()
    return touched


def purge_done(older_than: dt.timedelta = dt.timedelta(hours=1)) -> None:
    """Applied rows are kept an hour for rebuilds in flight, then dropped."""
    from search.state import rebuild_started_at

    cutoff = timezone.now() - older_than
    started = rebuild_started_at()
    if started is not None and started < cutoff:
        cutoff = started
    PendingIndexChange.objects.filter(done=True, created_at__lt=cutoff).delete()


class _Tag(NamedTuple):
    slug: str
    name_en: str


def _tags_for(pks) -> dict[str, dict[int, list[_Tag]]]:
    """{relation: {article id: its entities}}, one query per relation: a
    rebuild reads 100,000 articles' tags, and Django's prefetching builds a
    related manager per article and relation (a quarter of the reading
    process's time)."""
    out = {}
    for relation in TAG_RELATIONS:
        field = Article._meta.get_field(relation)
        target = field.m2m_reverse_field_name()
        rows = field.remote_field.through.objects.filter(article_id__in=pks).values_list(
            "article_id", f"{target}__slug", f"{target}__name_en")
        by_article: dict[int, list[_Tag]] = {}
        for article_id, slug, name_en in rows:
            by_article.setdefault(article_id, []).append(_Tag(slug, name_en))
        out[relation] = by_article
    return out


# What article_document reads of an article: a rebuild leaves the raw input,
# the removed junk and the duplicate signatures in the database.
_DOCUMENT_FIELDS = ("id", "title", "body", "language", "date", "year", "first_published_at", "updated_at",
                    "source__slug", "source__name_en")


def published_batches(ids=None):
    """Index documents of the published articles, in batches (ordered by id)."""
    qs = Article.objects.published().order_by("id")
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    pks = list(qs.values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        chunk = pks[start:start + BATCH]
        tags = _tags_for(chunk)
        articles = (Article.objects.filter(pk__in=chunk, status=Article.Status.PUBLISHED)
                    .select_related("source").only(*_DOCUMENT_FIELDS).order_by("id"))
        yield [article_document(article, {relation: tags[relation].get(article.pk, ()) for relation in tags})
               for article in articles]


def rebuild(store: IndexStore | None = None, *, procs: int = 1, progress=None, stats: dict | None = None,
            reuse: bool = True) -> int:
    """Build a whole new generation aside and swap it in.

    Searches keep answering from the old generation until the swap. Changes
    saved meanwhile are queued rows: those made after the build started are
    replayed into the new generation under the writer lock just before the
    swap. A crash midway leaves the old generation serving; its half-built
    folder is removed by the next rebuild. `reuse=False` analyses every text
    again instead of reading the last rebuild's token store.
    """
    from search.analysis import ANALYZER_VERSION
    from search.state import analyzer_version, clear_rebuild_started, mark_rebuild_started
    from search.token_store import previous_files

    store = store or IndexStore()
    ensure_user_words()
    start_mark = PendingIndexChange.objects.aggregate(m=Max("id"))["m"] or 0
    mark_rebuild_started()
    try:
        path, ix = store.create_generation(analyzer_version())
        # Non-compound segments: Whoosh copies a compound file's parts into
        # memory at every searcher open (hundreds of MB, ~0.3 s at 10,000
        # articles); plain files are read in place.
        # Text analysed by the served generation's rebuild is reused as long
        # as the analyzer and the user words are the same (search.token_store).
        tokens = {"previous": previous_files(store.current_dir()) if reuse else [],
                  "version": f"{ANALYZER_VERSION}|{analyzer_version()}"}
        count = write_documents(ix, published_batches(), procs=procs, progress=progress, tokens=tokens,
                                stats=stats, compound=False)
        with store.writer_lock():
            rows = list(PendingIndexChange.objects.filter(id__gt=start_mark).values_list("id", "article_id"))
            ids = sorted({article_id for _, article_id in rows})
            if ids:
                write_changes(ix, ids)
            store.swap_to(path)
            # The new generation reflects everything queued before it started
            # (read from the database) and everything replayed since.
            PendingIndexChange.objects.filter(done=False, id__lte=start_mark).update(done=True)
            PendingIndexChange.objects.filter(pk__in=[pk for pk, _ in rows]).update(done=True)
        return count
    finally:
        clear_rebuild_started()


@dataclass
class IndexReport:
    missing: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.missing or self.stale or self.extra)


def check(store: IndexStore | None = None) -> IndexReport:
    """Compare the index with the database: published articles missing from it,
    documents older than their article, and documents that should not be there."""
    store = store or IndexStore()
    searcher = store.searcher()
    indexed = {}
    for fields in searcher.all_stored_fields():
        indexed[int(fields["id"])] = fields.get("stamp", "")
    report = IndexReport()
    for pk, updated_at in Article.objects.published().values_list("pk", "updated_at"):
        stamp = indexed.pop(pk, None)
        if stamp is None:
            report.missing.append(pk)
        elif stamp != (updated_at.isoformat() if updated_at else ""):
            report.stale.append(pk)
    report.extra = sorted(indexed)
    report.missing.sort()
    report.stale.sort()
    return report


def repair(report: IndexReport, store: IndexStore | None = None) -> None:
    ids = report.missing + report.stale + report.extra
    if ids:
        with transaction.atomic():
            enqueue(ids)
        drain(store)


__all__ = ["enqueue", "drain", "deferred_indexing", "rebuild", "check", "repair", "article_stamp"]
