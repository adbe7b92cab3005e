"""The whole import pipeline on plain values: bytes or a JSON Lines record in,
a `Prepared` article out. No database access, so it runs in worker processes.

decode -> (html -> text) -> clean -> detect language -> extract title/date/source
-> tag -> extract year -> fingerprint
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from articles.ingest import fingerprint as fp
from articles.ingest.clean import clean_text
from articles.ingest.decode import UndecodableInput, decode_bytes
from articles.ingest.extract import SourceMatch, SourceSpec, extract_date, extract_year, find_source
from articles.ingest.gazetteer import Gazetteer
from articles.ingest.html import html_to_document, looks_like_html
from articles.ingest.language import detect_language
from articles.ingest.tagging import tag_article

# Below this much article text a page is taken to be all junk.
MIN_BODY_CHARS = 60

# JSON Lines fields that override what detection finds (the export's fields).
OVERRIDE_FIELDS = (
    "id", "title", "language", "date", "year", "city", "cities", "districts", "places", "events",
    "source", "source_url", "status", "duplicate_of", "first_published_at",
)


class Rejected(Exception):
    """The input cannot become an article; `str(exc)` says why, for the curator."""


@dataclass(frozen=True)
class PipelineContext:
    """What the pipeline knows of the world: the gazetteer and the outlets.

    Built from the database once per run and handed to worker processes as
    plain data (see articles/gazetteer_data.py).
    """

    gazetteer: Gazetteer
    sources: tuple[SourceSpec, ...]
    credit_signatures: tuple[str, ...] = ()


@dataclass
class Prepared:
    origin: str
    raw: str
    raw_format: str
    raw_encoding: str
    raw_hash: str
    title: str
    body: str
    removed: list[str]
    language: str
    date: dt.date | None
    year: int | None
    source: SourceMatch | None
    source_url: str | None
    cities: list[str]
    districts: list[str]
    places: list[str]
    events: list[str]
    fingerprint: str
    signature: tuple[int, ...]
    bands: list[str]
    overrides: dict = field(default_factory=dict)
    # A `body` record carries clean text only: it must not replace the raw
    # input an existing article was first imported from.
    raw_is_body: bool = False


def raw_digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def prepare_bytes(data: bytes, *, origin: str, ctx: PipelineContext) -> Prepared:
    """A text or HTML file's bytes: the content decides the format, not the extension."""
    try:
        text = decode_bytes(data)
    except UndecodableInput as exc:
        raise Rejected(exc.reason) from None
    encoding = _encoding_name(data, text)
    return prepare_text(text, origin=origin, ctx=ctx, raw_encoding=encoding)


def prepare_text(
    text: str,
    *,
    origin: str,
    ctx: PipelineContext,
    raw_encoding: str = "utf-8",
    raw_format: str | None = None,
    hint_title: str | None = None,
    url: str | None = None,
    overrides: dict | None = None,
) -> Prepared:
    raw = text
    html_date = sitename = None
    if looks_like_html(text):
        doc = html_to_document(text)
        text = doc.text or ""
        hint_title = hint_title or doc.title
        html_date, url, sitename = doc.date, url or doc.url, doc.sitename
        raw_format = raw_format or "html"
    raw_format = raw_format or "text"
    if not text.strip():
        raise Rejected("no article text found (the page is empty or all markup)")
    cleaned = clean_text(text, credit_signatures=ctx.credit_signatures, hint_title=hint_title)
    if len(cleaned.body.strip()) < MIN_BODY_CHARS:
        raise Rejected("no article text found (everything on the page looks like navigation, adverts or boilerplate)")
    source = find_source(cleaned, raw_text=raw, sources=ctx.sources, url=url, sitename=sitename)
    date = extract_date(cleaned, html_date=html_date)
    return _finish(
        origin=origin, raw=raw, raw_format=raw_format, raw_encoding=raw_encoding, title=cleaned.title,
        paragraphs=cleaned.paragraphs, removed=cleaned.removed, date=date, source=source, url=url,
        ctx=ctx, overrides=overrides or {},
    )


def prepare_record(record: dict, *, origin: str, ctx: PipelineContext) -> Prepared:
    """One JSON Lines record: `raw` goes through the whole pipeline; `body` is
    already clean and trusted. The export's fields override detection."""
    if not isinstance(record, dict):
        raise Rejected("a JSON Lines record must be an object")
    overrides = {k: record[k] for k in OVERRIDE_FIELDS if k in record and record[k] not in (None, "")}
    # Explicit nulls in an export (date, source, duplicate_of) are facts too.
    for key in ("date", "year", "source", "source_url", "duplicate_of", "first_published_at"):
        if key in record and record[key] is None:
            overrides[key] = None
    raw_value, body_value = record.get("raw"), record.get("body")
    if isinstance(raw_value, str) and raw_value.strip():
        prepared = prepare_text(
            raw_value, origin=origin, ctx=ctx, raw_format="jsonl",
            hint_title=_str(record.get("title")), url=_str(record.get("source_url")), overrides=overrides,
        )
        return prepared
    if isinstance(body_value, str) and body_value.strip():
        title = _str(record.get("title"))
        if not title:
            raise Rejected("a record with `body` needs a `title`")
        paragraphs = [p.strip() for p in body_value.replace("\r\n", "\n").split("\n\n") if p.strip()]
        if not paragraphs:
            raise Rejected("the record's body is empty")
        prepared = _finish(
            origin=origin, raw=body_value, raw_format="jsonl", raw_encoding="utf-8", title=title,
            paragraphs=paragraphs, removed=[], date=None, source=None, url=_str(record.get("source_url")),
            ctx=ctx, overrides=overrides,
        )
        prepared.raw_is_body = True
        return prepared
    raise Rejected("the record has neither a non-empty `raw` nor a non-empty `body`")


def _finish(*, origin, raw, raw_format, raw_encoding, title, paragraphs, removed, date, source, url, ctx, overrides):
    title = " ".join((title or "").split())
    if not title:
        raise Rejected("no title found")
    body = "\n\n".join(paragraphs)
    language = detect_language(title + "\n" + body)
    tags = tag_article(title=title, paragraphs=paragraphs, gazetteer=ctx.gazetteer)
    year = extract_year(title=title, paragraphs=paragraphs, date=date, event_names=tags.event_names)
    signature = fp.minhash_signature(body)
    return Prepared(
        origin=origin, raw=raw, raw_format=raw_format, raw_encoding=raw_encoding, raw_hash=raw_digest(raw),
        title=title, body=body, removed=list(removed), language=language, date=date, year=year,
        source=source, source_url=url or None, cities=list(tags.cities), districts=list(tags.districts),
        places=list(tags.places), events=list(tags.events),
        fingerprint=fp.content_fingerprint(title, body), signature=tuple(signature),
        bands=list(fp.lsh_keys(signature)), overrides=overrides,
    )


def _str(value):
    return value.strip() if isinstance(value, str) and value.strip() else None


def _encoding_name(data: bytes, text: str) -> str:
    for bom, name in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                      (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return name
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    for name in ("gb18030", "big5", "cp950"):
        try:
            if data.decode(name).replace("\r\n", "\n") == text:
                return name
        except UnicodeDecodeError:
            continue
    return "detected"
