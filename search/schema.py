"""The index's schema and how an article becomes an index document.

Everything a results page shows is stored, so a page makes no per-hit
database query. Facet fields hold entity slugs.
"""
from __future__ import annotations

import json

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from search.analysis import bilingual_analyzer, char_analyzer

# Field weights: a title match outranks a body match; characters are the
# low-weight recall path for fragments of Chinese words.
TITLE_BOOST = 3.0
CHARS_BOOST = 0.3

FACET_FIELDS = ("year", "city", "district", "place", "event", "language", "source")


def build_schema() -> Schema:
    words = bilingual_analyzer()
    chars = char_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=words, stored=True, phrase=True, field_boost=TITLE_BOOST),
        body=TEXT(analyzer=words, stored=True, phrase=True),
        title_chars=TEXT(analyzer=chars, phrase=True, field_boost=CHARS_BOOST * TITLE_BOOST),
        chars=TEXT(analyzer=chars, phrase=True, field_boost=CHARS_BOOST),
        language=ID(stored=True),
        year=ID(stored=True),
        city=KEYWORD(stored=True, commas=True, scorable=False),
        district=KEYWORD(stored=True, commas=True, scorable=False),
        place=KEYWORD(stored=True, commas=True, scorable=False),
        event=KEYWORD(stored=True, commas=True, scorable=False),
        source=ID(stored=True),
        date=ID(stored=True),
        date_num=NUMERIC(int, bits=32, sortable=True),
        sort_key=NUMERIC(int, bits=64, sortable=True),
        published_ts=NUMERIC(int, bits=64, stored=True, sortable=True),
        display=STORED(),
        stamp=STORED(),
    )


def article_stamp(article) -> str:
    """What check_index compares to find stale documents."""
    return article.updated_at.isoformat() if article.updated_at else ""


def article_document(article) -> dict:
    """The index document for a published article (tags prefetched by the caller)."""
    cities = sorted(article.cities.all(), key=lambda e: e.name_en)
    districts = sorted(article.districts.all(), key=lambda e: e.name_en)
    places = sorted(article.places.all(), key=lambda e: e.name_en)
    events = sorted(article.events.all(), key=lambda e: e.name_en)
    source = article.source
    date = article.date
    published_ts = int(article.first_published_at.timestamp()) if article.first_published_at else 0
    day = int(date.strftime("%Y%m%d")) if date else (article.year or 0) * 10000
    display = {
        "city": cities[0].name_en if cities else None,
        "districts": [d.name_en for d in districts],
        "places": [p.name_en for p in places],
        "events": [e.name_en for e in events],
        "source": source.name_en if source else None,
        "year": article.year,
    }
    return {
        "id": str(article.pk),
        "title": article.title,
        "body": article.body,
        "title_chars": article.title,
        "chars": article.body,
        "language": article.language,
        "year": str(article.year) if article.year else "",
        "city": ",".join(c.slug for c in cities),
        "district": ",".join(d.slug for d in districts),
        "place": ",".join(p.slug for p in places),
        "event": ",".join(e.slug for e in events),
        "source": source.slug if source else "",
        "date": date.isoformat() if date else "",
        "date_num": int(date.strftime("%Y%m%d")) if date else 0,
        # Newest first: dated by day, undated by year, then by first publication.
        "sort_key": day * 10**10 + published_ts,
        "published_ts": published_ts,
        "display": json.dumps(display, ensure_ascii=False),
        "stamp": article_stamp(article),
    }
