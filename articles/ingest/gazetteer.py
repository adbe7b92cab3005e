"""The gazetteer as an immutable lookup structure, and the one-pass name matcher.

Plain values only (no Django imports).  One input format: the dict of
``articles/data/gazetteer.json`` (the database gives the same shape)::

    {"cities":    [{"slug", "name_en", "name_zh_hans", "name_zh_hant", "aliases"}],
     "districts": [{"slug", "city", "name_en", ... , "aliases"}],
     "places":    [{"slug", "district", "kind", "name_en", ..., "aliases"}],
     "events":    [{"slug", "city" (or null), "name_en", ..., "aliases"}],
     "sources":   [...]}                    # ignored here

Matching (``Matcher``, built lazily once per Gazetteer): every name and alias is folded
(NFKC, OpenCC t2s, lower-case, hyphens and dashes read as spaces, white space collapsed;
see ``folding.fold_key``) and compiled into two trie-shaped regular expressions, one for
names that start with a Latin letter or digit, one for the others (CJK).  The text is
folded the same way (``folding.fold_with_offsets`` keeps the map back to the original)
and scanned once by each.  Latin names only match at letter boundaries (``Baoshan`` is
not found in ``Baoshanxyz``, ``Pudong`` is found in ``Pudong's`` and in ``在Pudong举行``);
a space in a name matches any run of white space, hyphens or dashes.  Where spans overlap
the longest match wins (``Meilan Lake Biopharma Innovation Conference`` is the event, not
also the place ``Meilan Lake``), also when the longer name starts inside the shorter one.
A name shared by several entities yields a match with every candidate; the tagger chooses
from context.  One-character names (沪) are kept for ``lookup`` but never matched in text.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

from articles.ingest.folding import Folded, fold_key, fold_with_offsets

__all__ = ["Entity", "Gazetteer", "Match", "Matcher", "KINDS", "GazetteerError"]

KINDS = ("city", "district", "place", "event")
_SECTIONS = {"city": "cities", "district": "districts", "place": "places", "event": "events"}
_PARENT_FIELD = {"city": None, "district": "city", "place": "district", "event": "city"}


class GazetteerError(ValueError):
    """The gazetteer data is inconsistent (a duplicate slug, an unknown parent, a missing field)."""


@dataclass(frozen=True)
class Entity:
    kind: str  # 'city' | 'district' | 'place' | 'event'
    slug: str
    name_en: str
    names: tuple[str, ...]  # every name and alias, every script, as written in the data
    parent: str | None  # district slug (place), city slug (district), city slug or None (event)
    name_zh_hans: str = ""
    name_zh_hant: str = ""
    subkind: str = ""  # a place's "kind" in the data (park, venue, ...)

    @cached_property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.slug)

    def __hash__(self) -> int:  # the key identifies an entity; hashing every name is slow
        return hash((self.kind, self.slug))


class Match(NamedTuple):
    """One occurrence of a gazetteer name in folded text (folded offsets)."""

    start: int
    end: int
    key: str  # the folded name that matched
    candidates: tuple[Entity, ...]  # every entity with that name (more than one: ambiguous)


# --------------------------------------------------------------------------------------------
# The matcher

_LATIN_LETTER = "a-z\u00c0-\u024f"
_LATIN_LETTER_RE = re.compile(f"[{_LATIN_LETTER}]")
_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_INNER_WORD_RE = re.compile(f"(?<![{_LATIN_LETTER}])[{_LATIN_LETTER}]+|(?<![0-9])[0-9]+")
_AFTER_CJK_RE = re.compile(f"[{_CJK_CLASS}]([{_LATIN_LETTER}0-9])")
_LATIN_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz" + "".join(chr(c) for c in range(0xC0, 0x250)))
# A space in a name matches any run of white space, hyphens, dashes, underscores or middle dots --
# but never U+2029 (PARAGRAPH SEPARATOR), which the tagger puts between paragraphs.
_SEP_PATTERN = r"(?:[^\S\u2029]|[\-_\u2010-\u2015\u00b7\u30fb])+"
_MATCH_SEP_RE = re.compile(_SEP_PATTERN)
_SEP = object()  # the trie unit for "a separator in a name"
_APOSTROPHES = "'\u2019\u2018"


def _units(key: str) -> list:
    return [_SEP if ch == " " else ch for ch in key]


def _unit_pattern(unit) -> str:
    if unit is _SEP:
        return _SEP_PATTERN
    if unit in _APOSTROPHES:
        return "['\u2019\u2018]"
    return re.escape(unit)


class _Node:
    __slots__ = ("children", "terminal", "last")

    def __init__(self) -> None:
        self.children: dict = {}
        self.terminal = False
        self.last = ""


def _sort_unit(unit) -> str:
    return "\x00" if unit is _SEP else unit


def _emit(node: _Node) -> str:
    alts = []
    for unit in sorted(node.children, key=_sort_unit):
        alts.append(_unit_pattern(unit) + _emit(node.children[unit]))
    if node.terminal:
        # Last alternative: longer names are tried first, so the longest name at a position wins.
        # A Latin name ends at a letter boundary ("Baoshan" is not found in "Baoshanxyz").
        alts.append(f"(?![{_LATIN_LETTER}])" if _LATIN_LETTER_RE.fullmatch(node.last) else "")
    if not alts:
        return ""
    if len(alts) == 1:
        return alts[0]
    return "(?:" + "|".join(alts) + ")"


def _compile_trie(keys: Iterable[str]) -> re.Pattern | None:
    root = _Node()
    for key in keys:
        node = root
        for unit in _units(key):
            node = node.children.setdefault(unit, _Node())
        node.terminal = True
        node.last = key[-1]
    if not root.children:
        return None
    return re.compile(_emit(root), re.S)


# Word tokens of folded text: a Latin name can only start where one of these starts.
_TOKEN_RE = re.compile(f"[{_LATIN_LETTER}]+|[0-9]+")


class Matcher:
    """All names of a gazetteer compiled into trie-shaped regexes.  Built once per Gazetteer.

    Names that start with a letter or digit (Latin names) are matched by a pattern that first
    consumes the character before the name, which must not be a letter: the regex engine then
    skips ahead with a character-set test to the few word starts instead of trying the trie at
    every letter (five times fewer instructions on English text than trying every position).  The
    other (CJK) names are found by a second scan, which skips ahead on their first characters.
    """

    def __init__(self, index: dict[str, tuple[Entity, ...]]) -> None:
        # A one-character name (沪, 京) would match all over the place: such names are for lookups
        # (search filters), not for finding mentions in text.
        index = {k: v for k, v in index.items() if len(k) > 1}
        self.index = index
        word_keys = [k for k in index if _TOKEN_RE.match(k)]
        other_keys = [k for k in index if not _TOKEN_RE.match(k)]
        self.word_pattern = _compile_trie(word_keys)
        # The character before a Latin name: anything but a Latin letter.  CJK characters are left
        # out of this class (in Chinese text nearly every position would start an attempt); a Latin
        # name right after a CJK character is found by ``_AFTER_CJK_RE`` instead.
        self.word_lead_pattern = (
            re.compile(f"[^{_LATIN_LETTER}{_CJK_CLASS}]" + self.word_pattern.pattern, re.S)
            if self.word_pattern else None
        )
        self.word_first = frozenset(k[0] for k in word_keys)
        self.first_words = frozenset(_TOKEN_RE.match(k).group() for k in word_keys)
        self.other_pattern = _compile_trie(other_keys)
        self.other_first = frozenset(k[0] for k in other_keys)

    def _key_of(self, matched: str) -> str:
        return _MATCH_SEP_RE.sub(" ", matched).replace("\u2019", "'").replace("\u2018", "'")

    def _candidates(self, text: str) -> Iterator[tuple[int, int]]:
        wp, op = self.word_pattern, self.other_pattern
        if wp is not None:
            wfirst = self.word_first
            found = []
            if text and text[0] in wfirst:
                m = wp.match(text, 0)
                if m is not None and m.end() > 0:
                    found.append((0, m.end()))
            found.extend((m.start() + 1, m.end()) for m in self.word_lead_pattern.finditer(text))
            for m in _AFTER_CJK_RE.finditer(text):  # "在Pudong举行"
                if m.group(1) in wfirst:
                    w = wp.match(text, m.start(1))
                    if w is not None:
                        found.append(w.span())
            first_words = self.first_words
            for s, e in found:
                if e <= s:
                    continue
                yield s, e
                # A longer name may start at a later word inside this one ("A B" found, "B C D" also
                # there): look at the inner words that begin some name.
                if e - s > 3 and not text[s:e].isalpha():
                    for w in _INNER_WORD_RE.finditer(text, s + 1, e):
                        if w.group() in first_words:
                            inner = wp.match(text, w.start())
                            if inner is not None and inner.end() > e:
                                yield inner.span()
        if op is not None:
            ofirst = self.other_first
            for m in op.finditer(text):
                s, e = m.span()
                if e <= s:
                    continue
                yield s, e
                # A longer name may start inside this one ("A B" found, "B C D" also there): look.
                for p in range(s + 1, e):
                    if text[p] in ofirst:
                        inner = op.match(text, p)
                        if inner is not None and inner.end() > e:
                            yield inner.span()

    def find(self, folded_text: str) -> list[Match]:
        """Non-overlapping matches in folded text, longest first where spans overlap, in text order."""
        return [Match(*t) for t in self.find_tuples(folded_text)]

    def find_tuples(self, folded_text: str) -> list[tuple]:
        """``find`` as plain (start, end, key, candidates) tuples."""
        spans = sorted(set(self._candidates(folded_text)))
        if len(spans) > 1:
            spans = _resolve_overlaps(spans)
        out = []
        index = self.index
        for s, e in spans:
            key = folded_text[s:e]
            cands = index.get(key)
            if cands is None:  # separators written differently ("Pudong-New  Area"): normalise them
                key = self._key_of(key)
                cands = index.get(key)
                if cands is None:
                    key = fold_key(key)
                    cands = index.get(key)
            if cands:
                out.append((s, e, key, cands))
        return out


def _resolve_overlaps(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """From spans sorted by start, keep non-overlapping ones, the longest first within each cluster
    of overlapping spans."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(spans)
    while i < n:
        j, end = i + 1, spans[i][1]
        while j < n and spans[j][0] < end:
            end = max(end, spans[j][1])
            j += 1
        if j == i + 1:
            out.append(spans[i])
        else:
            chosen: list[tuple[int, int]] = []
            for s, e in sorted(spans[i:j], key=lambda se: (se[0] - se[1], se[0])):
                if all(e <= cs or s >= ce for cs, ce in chosen):
                    chosen.append((s, e))
            out.extend(sorted(chosen))
        i = j
    return out


# --------------------------------------------------------------------------------------------
# The gazetteer


def _names_of(row: dict) -> tuple[str, ...]:
    names: list[str] = []
    for value in (row.get("name_en"), row.get("name_zh_hans"), row.get("name_zh_hant"), *(row.get("aliases") or ())):
        if isinstance(value, str) and value.strip() and value.strip() not in names:
            names.append(value.strip())
    return tuple(names)


@dataclass(frozen=True)
class Gazetteer:
    """Immutable lookup structure over cities > districts > places, and events.

    Build once per process (``from_dict``/``from_json``) and rebuild when the data changes
    (compare ``digest``).  Picklable: the matcher is rebuilt lazily in the receiving process.
    """

    entities: tuple[Entity, ...]
    _by_key: dict = field(init=False, repr=False, compare=False)
    _by_name: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_key: dict[tuple[str, str], Entity] = {}
        for ent in self.entities:
            if ent.kind not in KINDS:
                raise GazetteerError(f"unknown entity kind {ent.kind!r} ({ent.slug})")
            if ent.key in by_key:
                raise GazetteerError(f"duplicate {ent.kind} slug {ent.slug!r}")
            by_key[ent.key] = ent
        for ent in self.entities:
            parent_kind = {"district": "city", "place": "district", "event": "city"}.get(ent.kind)
            if ent.parent is not None and (parent_kind is None or (parent_kind, ent.parent) not in by_key):
                raise GazetteerError(f"{ent.kind} {ent.slug!r}: unknown parent {ent.parent!r}")
            if ent.parent is None and ent.kind in ("district", "place"):
                raise GazetteerError(f"{ent.kind} {ent.slug!r} has no parent")
        by_name: dict[str, list[Entity]] = {}
        for ent in self.entities:
            for name in ent.names:
                k = fold_key(name)
                if k:
                    lst = by_name.setdefault(k, [])
                    if ent not in lst:
                        lst.append(ent)
        object.__setattr__(self, "_by_key", by_key)
        object.__setattr__(self, "_by_name", {k: tuple(v) for k, v in by_name.items()})
        object.__setattr__(self, "_matcher", None)
        object.__setattr__(self, "_city_by_key", {e.key: self._city_of_entity(e) for e in self.entities})

    def __reduce__(self):
        return (Gazetteer, (self.entities,))

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict) -> "Gazetteer":
        """From the gazetteer.json shape (sources are ignored)."""
        entities: list[Entity] = []
        for kind in KINDS:
            for row in data.get(_SECTIONS[kind]) or ():
                slug = row.get("slug")
                if not slug:
                    raise GazetteerError(f"a {kind} without a slug: {row!r}")
                parent_field = _PARENT_FIELD[kind]
                parent = row.get(parent_field) if parent_field else None
                entities.append(
                    Entity(
                        kind=kind,
                        slug=str(slug),
                        name_en=str(row.get("name_en") or slug),
                        names=_names_of(row),
                        parent=str(parent) if parent else None,
                        name_zh_hans=str(row.get("name_zh_hans") or ""),
                        name_zh_hant=str(row.get("name_zh_hant") or ""),
                        subkind=str(row.get("kind") or "") if kind == "place" else "",
                    )
                )
        return cls(tuple(entities))

    @classmethod
    def from_json(cls, path: str | Path) -> "Gazetteer":
        with open(path, encoding="utf-8") as fh:
            return cls.from_dict(json.load(fh))

    # -- lookups --------------------------------------------------------------------------
    @property
    def digest(self) -> str:
        """A stable digest of the content: rebuild caches when it changes."""
        h = hashlib.sha1()
        for e in sorted(self.entities, key=lambda e: e.key):
            h.update(json.dumps([e.kind, e.slug, e.name_en, list(e.names), e.parent], ensure_ascii=False).encode())
        return h.hexdigest()

    def get(self, kind: str, slug: str) -> Entity | None:
        return self._by_key.get((kind, slug))

    def of_kind(self, kind: str) -> tuple[Entity, ...]:
        return tuple(e for e in self.entities if e.kind == kind)

    def district_of(self, place_slug: str) -> str | None:
        ent = self.get("place", place_slug)
        return ent.parent if ent else None

    def city_of(self, district_slug: str) -> str | None:
        ent = self.get("district", district_slug)
        return ent.parent if ent else None

    def city_of_place(self, place_slug: str) -> str | None:
        d = self.district_of(place_slug)
        return self.city_of(d) if d else None

    def city_of_entity(self, entity: Entity) -> str | None:
        """The city an entity lies in (itself for a city; an event's city, which may be None)."""
        return self._city_by_key.get(entity.key)

    def _city_of_entity(self, entity: Entity) -> str | None:
        if entity.kind == "city":
            return entity.slug
        if entity.kind in ("district", "event"):
            return entity.parent
        return self.city_of_place(entity.slug)

    def ancestors(self, entity: Entity) -> list[Entity]:
        """Parents up the hierarchy: a place's district and city, a district's city, an event's city."""
        out = []
        kind = {"place": "district", "district": "city", "event": "city"}.get(entity.kind)
        parent = entity.parent
        while kind and parent:
            ent = self.get(kind, parent)
            if ent is None:
                break
            out.append(ent)
            kind = {"district": "city"}.get(ent.kind)
            parent = ent.parent
        return out

    def lookup(self, name: str) -> tuple[Entity, ...]:
        """Every entity with this name or alias (any script, case, spacing)."""
        return self._by_name.get(fold_key(name), ())

    def resolve(self, kind: str, value: str) -> Entity | None:
        """An entity of ``kind`` by slug or by any of its names (first match)."""
        ent = self.get(kind, value) or self.get(kind, value.strip().lower())
        if ent is not None:
            return ent
        for cand in self.lookup(value):
            if cand.kind == kind:
                return cand
        return None

    # -- matching -------------------------------------------------------------------------
    @property
    def matcher(self) -> Matcher:
        m = self.__dict__.get("_matcher")
        if m is None:
            m = Matcher(self._by_name)
            object.__setattr__(self, "_matcher", m)
        return m

    def find_in_folded(self, folded_text: str) -> list[Match]:
        return self.matcher.find(folded_text)

    def find(self, text: str) -> tuple[Folded, list[Match]]:
        """Fold ``text`` and find every mention; spans are in folded coordinates (map them back with
        ``folded.original_span``)."""
        folded = fold_with_offsets(text)
        return folded, self.matcher.find(folded.text)

    def names_for_segmenter(self) -> Iterable[str]:
        """Every folded name (for a segmenter's user dictionary)."""
        return tuple(self._by_name)
