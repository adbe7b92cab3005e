"""Cross-language expansion data: what a query word means in the other language.

Built from the gazetteer (cities, districts, places, events) and the glossary,
once per analyzer version (search.state.analyzer_version(): it moves on with
every gazetteer or glossary edit), and keyed by the analyzer's own query terms
so a key matches whatever case, script or inflection the user typed
(Vaccines, vaccine -> vaccin; 張江, 张江 -> 张江).

A name expands to THAT entity's own names in the other language (张江 -> the
place Zhangjiang Hi-Tech Park -> "Zhangjiang"), never to its parent district's.
Names that another kept name already covers are dropped (any text containing
"Zhangjiang Hi-Tech Park" contains "Zhangjiang"), so an expansion stays short.

Also here: entity-name resolution for filters (any name, alias or slug, any
script, any case) and facet labels, cached per gazetteer version.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from search.analysis import fold, query_terms

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
MAX_FORMS_PER_SIDE = 4
MAX_KEY_TERMS = 10

KIND_LABELS = {"city": "the city", "district": "the district", "place": "the place",
               "event": "the event", "term": "the term"}


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text or ""))


@dataclass(frozen=True)
class Sense:
    """One meaning a query word can have: an entity or a glossary term."""

    kind: str  # city | district | place | event | term
    slug: str
    label: str  # English name
    label_zh: str
    english: tuple[str, ...]  # surface forms, reduced
    chinese: tuple[str, ...]  # surface forms (simplified, then traditional), reduced by folded form

    def other_forms(self, query_is_chinese: bool) -> tuple[str, ...]:
        return self.english if query_is_chinese else self.chinese

    def describe(self) -> str:
        return f"{KIND_LABELS.get(self.kind, 'the')} {self.label}" + (
            f" / {self.label_zh}" if self.kind == "term" and self.label_zh else "")


@dataclass
class ExpansionTable:
    version: str
    senses: dict[tuple[str, ...], list[Sense]] = field(default_factory=dict)
    max_key_len: int = 1

    def lookup(self, key: tuple[str, ...]) -> list[Sense]:
        return self.senses.get(tuple(key), [])


def _terms(form: str) -> tuple[str, ...]:
    try:
        return tuple(query_terms(form))
    except Exception:  # a malformed name must never break searching
        return ()


def _contains(seq: tuple, sub: tuple) -> bool:
    n, m = len(seq), len(sub)
    return m <= n and any(seq[i:i + m] == sub for i in range(n - m + 1))


def reduce_english(forms) -> tuple[str, ...]:
    """Distinct English forms, without those a shorter kept form covers."""
    cands = []
    seen = set()
    for order, form in enumerate(forms):
        form = " ".join((form or "").split())
        if not form or has_cjk(form):
            continue
        terms = _terms(form)
        if not terms or terms in seen:
            continue
        seen.add(terms)
        cands.append((len(terms), order, form, terms))
    kept: list[tuple[str, tuple]] = []
    for _n, _o, form, terms in sorted(cands):
        if any(_contains(terms, k) for _f, k in kept):
            continue
        kept.append((form, terms))
    kept.sort(key=lambda ft: next(o for _n, o, f, _t in cands if f == ft[0]))
    return tuple(f for f, _t in kept[:MAX_FORMS_PER_SIDE])


def _folded_key(form: str) -> str:
    return "".join(fold(form)[0].lower().split())


def reduce_chinese(forms) -> tuple[str, ...]:
    """Distinct Chinese forms (by folded form), without those containing a
    shorter kept one; each kept folded form is shown in every script given."""
    groups: dict[str, list[str]] = {}
    order: list[str] = []
    for form in forms:
        form = (form or "").strip()
        if not form or not has_cjk(form):
            continue
        key = _folded_key(form)
        if not key:
            continue
        if key not in groups:
            groups[key] = []
            order.append(key)
        if form not in groups[key]:
            groups[key].append(form)
    kept: list[str] = []
    for key in sorted(order, key=len):
        if any(k in key for k in kept):
            continue
        kept.append(key)
    kept.sort(key=order.index)
    out = []
    for key in kept[:MAX_FORMS_PER_SIDE]:
        out.extend(groups[key][:2])
    return tuple(out)


def _entity_senses():
    from articles.models import City, District, Event, Place

    for kind, model in (("city", City), ("district", District), ("place", Place), ("event", Event)):
        for obj in model.objects.all():
            names = obj.names
            yield (
                Sense(kind=kind, slug=obj.slug, label=obj.name_en, label_zh=obj.name_zh_hans,
                      english=reduce_english(names), chinese=reduce_chinese(names)),
                names,
            )


def _glossary_senses():
    from search.models import GlossaryTerm

    for term in GlossaryTerm.objects.all():
        yield (
            Sense(kind="term", slug=str(term.pk), label=term.en, label_zh=term.zh_hans,
                  english=reduce_english(term.english_forms), chinese=reduce_chinese(term.chinese_forms)),
            term.english_forms + term.chinese_forms,
        )


def build_table(version: str) -> ExpansionTable:
    table = ExpansionTable(version=version)
    for source in (_entity_senses, _glossary_senses):
        for sense, names in source():
            for name in names:
                key = _terms(name)
                if not key or len(key) > MAX_KEY_TERMS:
                    continue
                bucket = table.senses.setdefault(key, [])
                if sense not in bucket:
                    bucket.append(sense)
                table.max_key_len = max(table.max_key_len, len(key))
    return table


_lock = threading.Lock()
_cache: dict[str, object] = {}


def expansion_table(version: str | None = None) -> ExpansionTable:
    """The table for the current analyzer version (the caller has already
    made the segmenter hold that version's user words, and may pass the
    version ensure_user_words() returned to save a query)."""
    from search.state import analyzer_version

    version = version or analyzer_version()
    table = _cache.get("table")
    if table is None or table.version != version:
        with _lock:
            table = _cache.get("table")
            if table is None or table.version != version:
                table = build_table(version)
                _cache["table"] = table
    return table


# ---------------------------------------------------------------- entity names

FILTER_KINDS = ("city", "district", "place", "event", "source")


@dataclass
class NameBook:
    """Per gazetteer version: folded name -> slugs, and slug -> labels."""

    version: str
    slugs: dict[str, dict[str, list[str]]]
    labels: dict[str, dict[str, tuple[str, str, str]]]

    def resolve(self, kind: str, value: str) -> list[str]:
        from articles.names import fold_name

        value = (value or "").strip()
        if not value:
            return []
        book = self.slugs.get(kind, {})
        if value in self.labels.get(kind, {}):
            return [value]
        return list(book.get(fold_name(value), []) or book.get(value.lower(), []))

    def label(self, kind: str, slug: str, lang: str = "en") -> str:
        names = self.labels.get(kind, {}).get(slug)
        if not names:
            return slug
        en, hans, hant = names
        if lang == "zh-hans":
            return hans or en
        if lang == "zh-hant":
            return hant or hans or en
        return en


def _build_namebook(version: str) -> NameBook:
    from articles.models import City, District, Event, Place, Source
    from articles.names import fold_name

    slugs: dict[str, dict[str, list[str]]] = {}
    labels: dict[str, dict[str, tuple[str, str, str]]] = {}
    for kind, model in zip(FILTER_KINDS, (City, District, Place, Event, Source)):
        book: dict[str, list[str]] = {}
        lab: dict[str, tuple[str, str, str]] = {}
        for obj in model.objects.all():
            lab[obj.slug] = (obj.name_en, obj.name_zh_hans, obj.name_zh_hant)
            for name in [*obj.names, obj.slug]:
                key = fold_name(name)
                if key and obj.slug not in book.setdefault(key, []):
                    book[key].append(obj.slug)
        slugs[kind] = book
        labels[kind] = lab
    return NameBook(version=version, slugs=slugs, labels=labels)


def namebook(version: str | None = None) -> NameBook:
    """Keyed by the analyzer version (it moves on with every gazetteer edit)."""
    from search.state import analyzer_version

    version = version or analyzer_version()
    book = _cache.get("names")
    if book is None or book.version != version:
        with _lock:
            book = _cache.get("names")
            if book is None or book.version != version:
                book = _build_namebook(version)
                _cache["names"] = book
    return book


def clear_cache() -> None:
    """Forget cached tables (tests: a rolled-back database may reuse a version)."""
    with _lock:
        _cache.clear()


__all__ = ["Sense", "ExpansionTable", "expansion_table", "namebook", "NameBook", "clear_cache",
           "reduce_english", "reduce_chinese", "has_cjk"]
