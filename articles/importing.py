"""Importing files into articles: find the inputs, run the pure pipeline (in
worker processes for big runs), and store each article in its own transaction.

Used by `manage.py import_articles` and by the admin's upload page, so both
report the same per-article outcomes.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import multiprocessing
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify

from articles.entities import entity_index, pinned_entity_index
from articles.gazetteer_data import context_from_dict, current_gazetteer_dict, pipeline_context
from articles.ingest import fingerprint as fp
from articles.ingest.pipeline import Prepared, Rejected, prepare_bytes, prepare_record
from articles.models import Article, City, District, DuplicateBand, Event, Place, Source

OUTCOMES = ("imported", "updated", "unchanged", "duplicate", "rejected")


@dataclass
class Outcome:
    status: str
    origin: str
    article_id: int | None = None
    reason: str = ""

    def line(self) -> str:
        parts = [self.status, self.origin]
        if self.article_id is not None:
            parts.append(f"id={self.article_id}")
        if self.reason:
            parts.append(self.reason)
        return " ".join(parts)


@dataclass
class Item:
    """One thing to import: a file's bytes, a JSON Lines record, or an input
    that is already known to be bad (`error`)."""

    origin: str
    data: bytes | None = None
    record: object = None
    error: str | None = None


def summary(counts: dict) -> str:
    return ", ".join(f"{name} {counts.get(name, 0)}" for name in OUTCOMES)


# ---------------------------------------------------------------- inputs

def iter_items(paths: Iterable[str | os.PathLike], *, max_bytes: int | None = None) -> Iterator[Item]:
    """Every article-sized input under `paths`, files and folders (recursively,
    in name order). JSON Lines files are streamed record by record."""
    max_bytes = max_bytes or settings.IMPORT_MAX_BYTES
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield from _file_items(Path(root) / name, max_bytes)
        else:
            yield from _file_items(path, max_bytes)


def _file_items(path: Path, max_bytes: int) -> Iterator[Item]:
    origin = str(path)
    if path.is_symlink() and not path.exists():
        yield Item(origin, error="dangling symbolic link")
        return
    if not path.exists():
        yield Item(origin, error="no such file")
        return
    if not path.is_file():
        yield Item(origin, error="not a regular file")
        return
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield Item(origin, error=f"cannot be read ({exc.strerror or exc})")
        return
    with fh:
        try:
            head = fh.read(65536)
            if _looks_like_jsonl(head):
                fh.seek(0)
                yield from _jsonl_items(fh, origin, max_bytes)
                return
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                yield Item(origin, error=f"file is {_mb(size)}, over the {_mb(max_bytes)} limit")
                return
            data = head + fh.read()
            if _is_json_document(data):
                yield Item(origin, error="a JSON document, not JSON Lines or an article")
                return
            yield Item(origin, data=data)
        except OSError as exc:
            yield Item(origin, error=f"cannot be read ({exc.strerror or exc})")


def _looks_like_jsonl(head: bytes) -> bool:
    """JSON Lines when one of the first lines is a whole JSON object (a broken
    first record must not turn the file into one text article)."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if not text.startswith(b"{"):
        return False
    lines = [line for line in text.split(b"\n")[:6] if line.strip()]
    if len(lines[0]) >= 60000 and len(lines) == 1:
        return True  # one record longer than the peek
    for line in lines[:5]:
        try:
            if isinstance(json.loads(line.decode("utf-8")), dict):
                return True
        except (ValueError, UnicodeDecodeError):
            continue
    return False


def _is_json_document(data: bytes) -> bool:
    """A pretty-printed JSON file (a manifest, a config): not an article."""
    text = data.lstrip(b"\xef\xbb\xbf").lstrip()
    if not text.startswith((b"{", b"[")):
        return False
    try:
        json.loads(text.decode("utf-8"))
        return True
    except (ValueError, UnicodeDecodeError):
        return False


def _jsonl_items(fh, origin: str, max_bytes: int) -> Iterator[Item]:
    lineno = 0
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        lineno += 1
        where = f"{origin}:{lineno}"
        if len(line) > max_bytes and not line.endswith(b"\n"):
            # Skip the rest of the oversized record without holding it in memory.
            while line and not line.endswith(b"\n"):
                line = fh.readline(1 << 20)
            yield Item(where, error=f"record is over the {_mb(max_bytes)} limit")
            continue
        if lineno == 1:
            line = line.lstrip(b"\xef\xbb\xbf")
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError:
            yield Item(where, error="record is not valid UTF-8")
            continue
        except ValueError as exc:
            yield Item(where, error=f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield Item(where, error="a JSON Lines record must be an object")
            continue
        yield Item(where, record=record)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


# ---------------------------------------------------------------- pipeline

_worker_ctx = None


def _init_worker(data):
    global _worker_ctx
    _worker_ctx = context_from_dict(data)


def _prepare(item: Item, ctx=None):
    ctx = ctx or _worker_ctx
    if item.error:
        return item.origin, None, item.error
    try:
        if item.record is not None:
            return item.origin, prepare_record(item.record, origin=item.origin, ctx=ctx), None
        return item.origin, prepare_bytes(item.data, origin=item.origin, ctx=ctx), None
    except Rejected as exc:
        return item.origin, None, str(exc)
    except Exception as exc:  # one bad input must never stop a run
        return item.origin, None, f"could not be processed ({type(exc).__name__}: {exc})"


def prepared_stream(items: Iterable[Item], *, workers: int | None = None) -> Iterator[tuple]:
    """(origin, Prepared | None, reason) for each item, in input order.

    With workers > 1 the pure pipeline runs in a process pool while this
    process writes to the database."""
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    if workers <= 1:
        ctx = pipeline_context()
        for item in items:
            yield _prepare(item, ctx)
        return
    mp = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with mp.Pool(workers, initializer=_init_worker, initargs=(current_gazetteer_dict(),)) as pool:
        yield from pool.imap(_prepare, items, chunksize=16)


# ---------------------------------------------------------------- storing

# Articles are stored in groups: one transaction per group, a savepoint per
# article (an article is still never half-written), outcomes reported once
# their group has committed. A commit per article cost more than storing it.
GROUP_ARTICLES = 200
GROUP_SECONDS = 1.0


def import_paths(paths, *, draft=False, dry_run=False, workers=None, on_item=None, index=True) -> Iterator[Outcome]:
    """Import everything under `paths`, one outcome per article. The index is
    brought up to date once at the end (`index=False` leaves the changes queued)."""
    from search.indexing import deferred_indexing

    linker = _DuplicateLinks()
    with deferred_indexing(apply=index), pinned_entity_index():
        stream = iter(prepared_stream(iter_items(paths), workers=workers))
        while True:
            outcomes = []
            with transaction.atomic():
                started = time.monotonic()
                for origin, prepared, reason in stream:
                    if prepared is None:
                        outcomes.append(Outcome("rejected", origin, reason=reason))
                    else:
                        outcomes.append(store_prepared(prepared, draft=draft, dry_run=dry_run, linker=linker))
                    if len(outcomes) >= GROUP_ARTICLES or time.monotonic() - started > GROUP_SECONDS:
                        break
            if not outcomes:
                break
            for outcome in outcomes:
                if on_item:
                    on_item(outcome)
                yield outcome
        if not dry_run:
            linker.resolve()


def store_prepared(p: Prepared, *, draft=False, dry_run=False, linker=None) -> Outcome:
    """Store one article atomically (its own transaction, or a savepoint in
    the caller's): nothing is ever half-written."""
    try:
        with transaction.atomic():
            outcome = _store(p, draft=draft, linker=linker)
            if dry_run:
                transaction.set_rollback(True)
                outcome.article_id = None if outcome.status in ("imported", "duplicate") else outcome.article_id
            return outcome
    except Rejected as exc:
        return Outcome("rejected", p.origin, reason=str(exc))
    except DatabaseError as exc:
        # A value the database refuses (too long for a column on PostgreSQL, an
        # id clash): this article is rolled back and reported, the run goes on.
        return Outcome("rejected", p.origin, reason=f"could not be stored ({type(exc).__name__}: {exc})")


def _store(p: Prepared, *, draft: bool, linker) -> Outcome:
    notes: list[str] = []
    values, tags = _values(p, notes)
    article = _existing(p)
    if article is not None:
        if p.raw_is_body:
            for key in ("raw", "raw_format", "raw_encoding", "raw_hash", "removed_junk", "origin"):
                values.pop(key)
        changed = _apply(article, values, tags, creating=False)
        if changed:
            _save_bands(article, p)
            return Outcome("updated", p.origin, article.pk, "; ".join(notes))
        return Outcome("unchanged", p.origin, article.pk, "; ".join(notes))

    article = Article(raw=p.raw, raw_format=p.raw_format, raw_encoding=p.raw_encoding, raw_hash=p.raw_hash)
    if "id" in p.overrides:
        article.pk = _id(p.overrides["id"], "id")
    status = values.pop("status", None)
    duplicate_of = values.pop("duplicate_of", _UNSET)
    original = None
    if duplicate_of is _UNSET and status in (None, Article.Status.DUPLICATE):
        original = _find_original(p)
    if original is not None:
        values["status"], values["duplicate_of"] = Article.Status.DUPLICATE, original
    else:
        values["status"] = status or (Article.Status.DRAFT if draft else Article.Status.PUBLISHED)
        if duplicate_of is not _UNSET and duplicate_of is not None:
            target = Article.objects.filter(pk=duplicate_of).first()
            if target is None and linker is not None:
                linker.later(article, duplicate_of)
            values["duplicate_of"] = target
    _apply(article, values, tags, creating=True)
    _save_bands(article, p, creating=True)
    if values.get("status") == Article.Status.DUPLICATE and values.get("duplicate_of") is not None:
        notes.insert(0, f"duplicate of id={values['duplicate_of'].pk}")
        return Outcome("duplicate", p.origin, article.pk, "; ".join(notes))
    return Outcome("imported", p.origin, article.pk, "; ".join(notes))


class _Unset:
    pass


_UNSET = _Unset()


class _DuplicateLinks:
    """duplicate_of links to articles later in the same run (an export read back
    into an empty database), set once the whole run is in."""

    def __init__(self):
        self.pending = []

    def later(self, article, target_id):
        self.pending.append((article, target_id))

    def resolve(self):
        for article, target_id in self.pending:
            if article.pk and Article.objects.filter(pk=target_id).exists():
                Article.objects.filter(pk=article.pk).update(duplicate_of_id=target_id)


# The per-article lookups run as plain SQL: on a big import the ORM's query
# compilation cost more than the indexed lookups themselves (profiled at
# ~0.5 ms a query, half the main process's time).
_A = Article._meta.db_table
_B = DuplicateBand._meta.db_table


def _rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def _existing(p: Prepared) -> Article | None:
    """An article's identity: the export's id, else its source URL, else the
    exact input it came from."""
    if "id" in p.overrides:
        return Article.objects.filter(pk=_id(p.overrides["id"], "id")).first()
    url = p.overrides.get("source_url", p.source_url)
    if url:
        hits = _rows(f"SELECT id, source_url FROM {_A} WHERE raw_hash = %s OR source_url = %s ORDER BY id LIMIT 20",
                     [p.raw_hash, url])
    else:
        hits = _rows(f"SELECT id, source_url FROM {_A} WHERE raw_hash = %s ORDER BY id LIMIT 1", [p.raw_hash])
    if not hits:
        return None
    by_url = [pk for pk, source_url in hits if url and source_url == url]
    return Article.objects.get(pk=(by_url or [hits[0][0]])[0])


def _find_original(p: Prepared) -> Article | None:
    exact = _rows(f"SELECT id FROM {_A} WHERE fingerprint = %s AND status <> %s ORDER BY id LIMIT 1",
                  [p.fingerprint, Article.Status.DUPLICATE])
    if exact:
        return Article.objects.get(pk=exact[0][0])
    keys = sorted(set(p.bands))
    if not keys:
        return None
    candidate_ids = [row[0] for row in _rows(
        f'SELECT DISTINCT article_id FROM {_B} WHERE "key" IN ({_placeholders(keys)}) LIMIT 50', keys)]
    if not candidate_ids:
        return None
    # Band collisions between unrelated articles are common (shared boilerplate,
    # templated headlines): screen them before any tag or body is read.
    titled = [
        pk for pk, title, signature in _rows(
            f"SELECT id, title, signature FROM {_A} WHERE id IN ({_placeholders(candidate_ids)})", candidate_ids)
        if fp.may_be_copy(p.title, p.signature, title,
                          json.loads(signature) if isinstance(signature, str) else signature)
    ]
    if not titled:
        return None
    new = fp.DupInfo(
        title=p.title, body=p.body, places=frozenset(p.places), districts=frozenset(p.districts),
        events=frozenset(p.events), signature=p.signature,
    )
    candidates = (
        Article.objects.filter(pk__in=titled)
        .prefetch_related("places", "districts", "events")
        .order_by("id")
    )
    for old in candidates:
        if not old.signature:
            continue
        info = fp.DupInfo(
            title=old.title, body=old.body,
            places=frozenset(x.slug for x in old.places.all()),
            districts=frozenset(x.slug for x in old.districts.all()),
            events=frozenset(x.slug for x in old.events.all()),
            signature=tuple(old.signature),
        )
        if fp.is_near_duplicate(new, info):
            while old.status == Article.Status.DUPLICATE and old.duplicate_of_id:
                old = old.duplicate_of
            return old
    return None


def _values(p: Prepared, notes: list[str]) -> tuple[dict, dict]:
    """The article's field values and tag sets, overrides applied."""
    o = p.overrides
    values = {
        "title": (o.get("title") or p.title),
        "body": p.body,
        "removed_junk": "\n".join(p.removed),
        "language": p.language,
        "date": p.date,
        "year": p.year,
        "source": _source(p, notes),
        "source_url": p.source_url,
        "fingerprint": p.fingerprint,
        "signature": list(p.signature),
        "raw": p.raw,
        "raw_format": p.raw_format,
        "raw_encoding": p.raw_encoding,
        "raw_hash": p.raw_hash,
        "origin": p.origin,
    }
    if "language" in o:
        lang = str(o["language"]).strip().lower()
        if lang not in {"en", "zh-hans", "zh-hant"}:
            raise Rejected(f"unknown language {o['language']!r} (expected en, zh-hans or zh-hant)")
        values["language"] = lang
    if "date" in o:
        values["date"] = _date(o["date"]) if o["date"] is not None else None
    if "year" in o:
        values["year"] = _int(o["year"], "year") if o["year"] is not None else None
        if values["year"] is not None and not 1 <= values["year"] <= 9999:
            raise Rejected(f"year {o['year']!r} is out of range")
    elif "date" in o and values["date"] and values["year"] is None:
        values["year"] = values["date"].year
    if "source_url" in o:
        values["source_url"] = o["source_url"]
    if "source" in o:
        values["source"] = _entity(Source, o["source"], notes, create=True) if o["source"] else None
    if "status" in o:
        if o["status"] not in Article.Status.values:
            raise Rejected(f"unknown status {o['status']!r}")
        values["status"] = o["status"]
    if "duplicate_of" in o:
        values["duplicate_of"] = _id(o["duplicate_of"], "duplicate_of") if o["duplicate_of"] is not None else None
    if "first_published_at" in o:
        stamp = o["first_published_at"]
        parsed = parse_datetime(stamp) if isinstance(stamp, str) else None
        if stamp is not None and parsed is None:
            raise Rejected(f"first_published_at {stamp!r} is not an ISO date-time")
        values["first_published_at"] = parsed

    entities = entity_index()
    tags = {
        "cities": entities.by_slugs(City, p.cities),
        "districts": entities.by_slugs(District, p.districts),
        "places": entities.by_slugs(Place, p.places),
        "events": entities.by_slugs(Event, p.events),
    }
    for field, model in (("districts", District), ("places", Place), ("events", Event)):
        if field in o:
            tags[field] = [e for e in (_entity(model, n, notes) for n in _list(o[field])) if e is not None]
    if "cities" in o:
        tags["cities"] = [e for e in (_entity(City, n, notes) for n in _list(o["cities"])) if e is not None]
    elif "city" in o:
        city = _entity(City, o["city"], notes)
        tags["cities"] = [city] if city else []
    # A place belongs to a district, a district to a city.
    for place in tags["places"]:
        if place.district not in tags["districts"]:
            tags["districts"].append(place.district)
    for district in tags["districts"]:
        if district.city not in tags["cities"]:
            tags["cities"].append(district.city)
    return values, tags


def _apply(article: Article, values: dict, tags: dict, *, creating: bool) -> bool:
    """Write values the curator has not corrected; report whether anything changed."""
    changed = False
    for field, value in values.items():
        if not creating and field in Article.CURATABLE_FIELDS and article.is_curated(field):
            continue
        if field == "duplicate_of" and isinstance(value, int):
            value = Article.objects.filter(pk=value).first()
        current = getattr(article, field)
        if current != value:
            setattr(article, field, value)
            if field not in ("raw", "raw_hash", "origin", "raw_format", "raw_encoding"):
                changed = True
    if creating or changed:
        article.save()
    if creating:
        # A new article's document is already queued by its save: write the
        # tag rows directly instead of one m2m set (and signal) per relation.
        for field, objs in tags.items():
            if objs:
                relation = getattr(Article, field)
                through = relation.through
                own = through._meta.get_field(relation.field.m2m_field_name()).column
                other = through._meta.get_field(relation.field.m2m_reverse_field_name()).column
                rows = [(article.pk, pk) for pk in dict.fromkeys(o.pk for o in objs)]
                with connection.cursor() as cursor:
                    cursor.executemany(f"INSERT INTO {through._meta.db_table} ({own}, {other}) VALUES (%s, %s)", rows)
        return True
    for field, objs in tags.items():
        if not creating and article.is_curated(field):
            continue
        manager = getattr(article, field)
        wanted = {o.pk for o in objs}
        if creating or set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(wanted)
            changed = True
    return changed


def _save_bands(article: Article, p: Prepared, creating=False):
    if not creating:
        DuplicateBand.objects.filter(article=article).delete()
    with connection.cursor() as cursor:
        cursor.executemany(f'INSERT INTO {_B} (article_id, "key") VALUES (%s, %s)',
                           [(article.pk, key) for key in sorted(set(p.bands))])


def _source(p: Prepared, notes: list[str]) -> Source | None:
    match = p.source
    if match is None:
        return None
    if match.slug:
        hit = entity_index().by_slug.get(Source, {}).get(match.slug)
        if hit is not None:
            return hit
    return _entity(Source, match.name, notes, create=True)


def _entity(model, value, notes, *, create=False):
    name = str(value).strip()
    if not name:
        return None
    hit = entity_index().get(model, name)
    if hit is not None:
        return hit
    if create:
        # An outlet not yet in the gazetteer becomes a new Source, flagged for a curator.
        from articles.names import fold_name

        simplified = fold_name(name) if any("\u4e00" <= ch <= "\u9fff" for ch in name) else name
        slug = slugify(name)[:100] or "source"
        base, n = slug, 2
        while Source.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        source = Source.objects.create(
            slug=slug, name_en=name, name_zh_hans=simplified,
            name_zh_hant=_s2t().convert(simplified), needs_review=True,
        )
        entity_index().add(source)
        notes.append(f"new source {name!r} flagged for review")
        return source
    notes.append(f"unknown {model._meta.verbose_name} {name!r} ignored")
    return None


@functools.cache
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def _list(value):
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, str)]
    raise Rejected(f"expected a list of names, got {type(value).__name__}")


def _int(value, field):
    try:
        if isinstance(value, bool):
            raise ValueError
        return int(value)
    except (TypeError, ValueError):
        raise Rejected(f"{field} {value!r} is not a whole number") from None


def _id(value, field):
    number = _int(value, field)
    if not 1 <= number < 2**63:  # what every database's id column holds
        raise Rejected(f"{field} {value!r} is not a valid article id")
    return number


def _date(value):
    if isinstance(value, str):
        parsed = parse_date(value.strip()[:10])
        if parsed:
            return parsed
    raise Rejected(f"date {value!r} is not YYYY-MM-DD")
