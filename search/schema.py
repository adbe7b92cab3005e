"""The index's schema and how an article becomes an index document.

Everything a results page shows is stored, so a page makes no per-hit
database query. Facet fields hold entity slugs.
"""
from __future__ import annotations

import json
import sys
from array import array

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions

from search.analysis import pair_analyzer, shared_bilingual_analyzer, shared_char_analyzer

# Field weights: a title match outranks a body match; characters are the
# low-weight recall path for fragments of Chinese words.
TITLE_BOOST = 3.0
CHARS_BOOST = 0.3

FACET_FIELDS = ("year", "city", "district", "place", "event", "language", "source")

# Positions live in fields of their own, never scored: the scored fields keep
# frequencies only (the same weights and field lengths, so the same BM25F
# scores), and their posting blocks decode an order of magnitude faster
# without positions (search.query reads whole posting lists).
#  - title_pos / body_pos: the title's and body's tokens at their positions
#    (a phrase of words is checked there, on the documents holding every word)
#  - title_pairs / pairs: every two adjacent terms of the character stream as
#    one term (search.analysis.pair_term), at the first one's position: a
#    phrase of two characters is one term lookup, a longer one a few pair
#    terms whose positions are checked only where they all are
POSITION_FIELDS = {"title": "title_pos", "body": "body_pos"}
PAIR_FIELDS = {"title_chars": "title_pairs", "chars": "pairs"}

_BIG_ENDIAN = sys.byteorder == "big"


class CompactPositions(Positions):
    """Whoosh's Positions format (a phrase matches as with Whoosh's own) with a
    value that decodes in bulk: the position deltas as little-endian uint16
    (an even number of bytes), or, where a delta does not fit (positions out
    of order, or a document of more than 65,534 tokens), the byte 0x01 then
    int32 deltas (an odd number). Whole posting lists of narrow values decode
    with one join and a few numpy calls (search.query)."""

    def encode(self, poslist) -> bytes:
        if len(poslist) == 1 and 0 <= poslist[0] < 0xFFFF:  # most postings: one position
            return poslist[0].to_bytes(2, "little")
        deltas = array("i")
        base = 0
        for pos in poslist:
            deltas.append(pos - base)
            base = pos
        if deltas and (max(deltas) >= 0xFFFF or min(deltas) < 0):
            out, prefix = deltas, b"\x01"
        else:
            out, prefix = array("H", deltas), b""
        if _BIG_ENDIAN:
            out.byteswap()
        return prefix + out.tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        if len(valuestring) % 2:
            deltas = array("i")
            deltas.frombytes(valuestring[1:])
        else:
            deltas = array("H")
            deltas.frombytes(valuestring)
        if _BIG_ENDIAN:
            deltas.byteswap()
        position = 0
        positions = []
        for code in deltas:
            position += code
            positions.append(position)
        return positions

    def decode_frequency(self, valuestring: bytes) -> int:
        if len(valuestring) % 2:
            return (len(valuestring) - 1) // 4
        return len(valuestring) // 2

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost


def _positions_field(analyzer) -> TEXT:
    """Positions only: never stored, never scored (no length column)."""
    field = TEXT(analyzer=analyzer, phrase=True)
    field.format = CompactPositions()
    field.scorable = False
    return field


def build_schema() -> Schema:
    words = shared_bilingual_analyzer()
    chars = shared_char_analyzer()
    pairs = pair_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=words, stored=True, phrase=False, field_boost=TITLE_BOOST),
        body=TEXT(analyzer=words, stored=True, phrase=False),
        title_chars=TEXT(analyzer=chars, phrase=False, field_boost=CHARS_BOOST * TITLE_BOOST),
        chars=TEXT(analyzer=chars, phrase=False, field_boost=CHARS_BOOST),
        title_pos=_positions_field(words),
        body_pos=_positions_field(words),
        title_pairs=_positions_field(pairs),
        pairs=_positions_field(pairs),
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


TAG_RELATIONS = ("cities", "districts", "places", "events")


def article_document(article, tags: dict | None = None) -> dict:
    """The index document for a published article. Its tags are read from
    `tags` ({relation: entities with slug and name_en}) if given, else from
    the article (prefetched by the caller)."""
    if tags is None:
        tags = {relation: getattr(article, relation).all() for relation in TAG_RELATIONS}
    cities = sorted(tags["cities"], key=lambda e: e.name_en)
    districts = sorted(tags["districts"], key=lambda e: e.name_en)
    places = sorted(tags["places"], key=lambda e: e.name_en)
    events = sorted(tags["events"], key=lambda e: e.name_en)
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
        "title_pos": article.title,
        "body_pos": article.body,
        "title_pairs": article.title,
        "pairs": article.body,
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
