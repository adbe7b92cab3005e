"""The query engine: a SearchQuery in, a SearchResult out (no request objects).

    parse (search.parsing) -> words, phrases, exclusions, OR groups, title:
      -> each word becomes a Whoosh query built from the SAME analyzer as the
         index (search.analysis):
           the word itself        Term(title|body, word) | Phrase(its pieces)
           its other script       automatic: folding puts both on one term
           its expansions         the entity's / glossary term's names in the
                                  other language, boosted lower
           its characters         Phrase(title_chars|chars, characters), lowest
      -> the query tree is answered by the engine at the end of this module:
         every matching document with Whoosh's own BM25F score, from per-term
         numpy arrays (what Whoosh's matchers would give, much faster);
         excluded words are looked for only among the documents matched
      -> that exact set intersected with the filters' cached bitmaps
         (search.facets): total and facet counts
      -> one page ranked by score (or by date), highlighted from the page's
         stored texts only (search.snippets)

Nothing raises out of run_search: bad parameters and malformed queries become
messages, and an unexpected failure becomes an empty result with a message.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import math
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
from pyroaring import BitMap
from whoosh import query as wq

from search.parsing import Clause, ParsedQuery, parse

logger = logging.getLogger(__name__)

DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
SORTS = ("relevance", "date")
INTERFACE_LANGS = ("en", "zh-hans", "zh-hant")
LANGUAGES = ("en", "zh-hans", "zh-hant")

# How much each way of satisfying a word counts (on top of the schema's field
# boosts: title x3, character fields x0.3).
OWN_BOOST = 1.0
EXPANSION_BOOST = 0.4
CHAR_BOOST = 0.6
FEW_RESULTS = 3  # "did you mean" is offered below this many hits


# ---------------------------------------------------------------- values

@dataclass
class SearchQuery:
    """What a user asked for, as text values (validated by run_search)."""

    q: str = ""
    years: list = field(default_factory=list)
    cities: list = field(default_factory=list)
    districts: list = field(default_factory=list)
    places: list = field(default_factory=list)
    events: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    date_from: object = ""  # YYYY-MM-DD or a date
    date_to: object = ""
    since: object = ""  # ISO datetime (or date) or a datetime
    sort: str = ""  # relevance | date
    page: object = 1
    per_page: object = DEFAULT_PER_PAGE
    lang: str = "en"  # interface language of facet labels


@dataclass
class Reading:
    terms: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Hit:
    id: int
    title: str
    title_html: str
    language: str
    date: str | None
    year: int | None
    city: str | None
    districts: list[str]
    places: list[str]
    events: list[str]
    source: str | None
    snippet_html: str
    score: float
    url: str
    docnum: int = -1


@dataclass
class SearchResult:
    query: str
    total: int = 0
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    sort: str = "relevance"
    hits: list[Hit] = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    did_you_mean: str | None = None
    reading: Reading = field(default_factory=Reading)
    messages: list[str] = field(default_factory=list)
    pages: int = 0
    lang: str = "en"
    took_ms: float = 0.0
    filters: dict = field(default_factory=dict)  # facet -> selected values (slugs)


# ---------------------------------------------------------------- parameters

@dataclass
class Params:
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    lang: str = "en"
    selected: dict = field(default_factory=dict)  # facet field -> [values]
    date_from: int | None = None  # yyyymmdd
    date_to: int | None = None
    since_ts: int | None = None


_YEAR = re.compile(r"^\d{4}$")
_LANG_ALIASES = {
    "en": ["en"], "english": ["en"], "eng": ["en"],
    "zh": ["zh-hans", "zh-hant"], "chinese": ["zh-hans", "zh-hant"],
    "zh-hans": ["zh-hans"], "zh-cn": ["zh-hans"], "zh-sg": ["zh-hans"], "hans": ["zh-hans"],
    "zh-hant": ["zh-hant"], "zh-tw": ["zh-hant"], "zh-hk": ["zh-hant"], "zh-mo": ["zh-hant"], "hant": ["zh-hant"],
}
_KINDS = {"city": "cities", "district": "districts", "place": "places", "event": "events", "source": "sources"}


def _as_list(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple, set)):
        items = list(value)
    else:
        items = [value]
    out = []
    for item in items:
        if item is None:
            continue
        text = _clean_value(item)
        if text and text not in out:
            out.append(text)
    return out


def _clean_value(value) -> str:
    text = str(value)
    text = "".join(ch for ch in text if not (0xD800 <= ord(ch) <= 0xDFFF) and (ch.isprintable() or ch == " "))
    return text.strip()[:200]


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


def _int_param(value, default, name, messages, *, lo, hi, clamp_high=False):
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        value = int(value)
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        messages.append(f"Ignored {name}={_short(_clean_value(value))!s}: not a whole number; using {default}.")
        return default
    if number < lo:
        messages.append(f"Ignored {name}={number}: it must be at least {lo}; using {default}.")
        return default
    if number > hi:
        if clamp_high:
            messages.append(f"{name}={number} is more than the maximum {hi}; using {hi}.")
            return hi
        messages.append(f"Ignored {name}={number}: it must be at most {hi}; using {default}.")
        return default
    return number


def _date_param(value, name, messages) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _clean_value(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    messages.append(f"Ignored {name}={_short(text)}: dates are written YYYY-MM-DD.")
    return None


def _since_param(value, messages) -> int | None:
    if value is None or value == "":
        return None
    from django.utils.dateparse import parse_date, parse_datetime

    moment = None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        text = _clean_value(value)
        try:
            moment = parse_datetime(text.replace(" ", "T", 1) if "T" not in text else text)
            if moment is None:
                day = parse_date(text)
                moment = dt.datetime.combine(day, dt.time()) if day else None
        except (ValueError, OverflowError):
            moment = None
        if moment is None:
            messages.append(f"Ignored since={_short(text)}: write an ISO date and time, e.g. 2026-11-22T10:15:00Z.")
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    try:
        return int(moment.timestamp())
    except (OverflowError, ValueError, OSError):
        messages.append("Ignored since: that moment is out of range.")
        return None


def read_params(q: SearchQuery, messages: list[str], version: str | None = None) -> Params:
    from search.expansion import namebook

    p = Params()
    sort = _clean_value(q.sort or "").lower()
    if sort in SORTS:
        p.sort = sort
    elif sort:
        messages.append(f"Unknown sort “{_short(sort)}”: sorted by relevance (choose relevance or date).")
    lang = _clean_value(q.lang or "").lower().replace("_", "-")
    lang = {"zh-cn": "zh-hans", "zh-tw": "zh-hant", "zh-hk": "zh-hant", "zh": "zh-hans"}.get(lang, lang)
    if lang in INTERFACE_LANGS:
        p.lang = lang
    elif lang:
        messages.append(f"Unknown interface language “{_short(lang)}”: using English (en, zh-hans or zh-hant).")
    p.page = _int_param(q.page, 1, "page", messages, lo=1, hi=MAX_PAGE)
    p.per_page = _int_param(q.per_page, DEFAULT_PER_PAGE, "per_page", messages, lo=1, hi=MAX_PER_PAGE,
                            clamp_high=True)

    years = []
    for value in _as_list(q.years):
        if _YEAR.match(value) and 1000 <= int(value) <= 2999:
            if value not in years:
                years.append(value)
        else:
            messages.append(f"Ignored the year “{_short(value)}”: a year is four digits, e.g. 2023.")
    if years:
        p.selected["year"] = years

    langs = []
    for value in _as_list(q.languages):
        codes = _LANG_ALIASES.get(value.lower().replace("_", "-"))
        if codes is None:
            messages.append(f"Unknown language “{_short(value)}”: ignored (use en, zh, zh-hans or zh-hant).")
            continue
        langs.extend(c for c in codes if c not in langs)
    if langs:
        p.selected["language"] = langs

    book = None
    for kind, attr in _KINDS.items():
        values = _as_list(getattr(q, attr, None))
        if not values:
            continue
        book = book or namebook(version)
        slugs = []
        for value in values:
            found = book.resolve(kind, value)
            if not found:
                messages.append(f"Unknown {kind} “{_short(value)}”: that filter was ignored.")
            slugs.extend(s for s in found if s not in slugs)
        if slugs:
            p.selected[kind] = slugs

    start = _date_param(q.date_from, "from", messages)
    end = _date_param(q.date_to, "to", messages)
    if start and end and start > end:
        messages.append("The “from” date was after the “to” date: swapped them.")
        start, end = end, start
    p.date_from = int(start.strftime("%Y%m%d")) if start else None
    p.date_to = int(end.strftime("%Y%m%d")) if end else None
    p.since_ts = _since_param(q.since, messages)
    return p


# ---------------------------------------------------------------- compiling

@dataclass
class Compiled:
    query: object | None = None  # what must match (None: every document)
    exclude: object | None = None  # what must not match (None: nothing excluded)
    reading: Reading = field(default_factory=Reading)
    sequences: list[tuple[str, ...]] = field(default_factory=list)  # highlights
    messages: list[str] = field(default_factory=list)
    plain_words: list[str] = field(default_factory=list)  # for "did you mean"
    searchable: bool = False


def _fields(fieldname):
    if fieldname == "title":
        return ("title",), ("title_chars",)
    return ("title", "body"), ("title_chars", "chars")


def _either(subs, boost=1.0):
    subs = [s for s in subs if s is not None]
    if not subs:
        return None
    if len(subs) == 1:
        # (a one-child Or would drop its boost: Whoosh matches the child alone)
        sub = subs[0]
        return sub if boost == 1.0 else _boosted(sub, getattr(sub, "boost", 1.0) * boost)
    return wq.Or(subs, boost=boost)


def _boosted(q, boost):
    """q.with_boost(boost) without Whoosh's deep copy (query trees here are
    never changed once built, so sharing their parts is safe)."""
    if type(q) in (wq.Term, wq.Phrase, wq.And, wq.Or):
        out = copy.copy(q)
        out.boost = boost
        return out
    return q.with_boost(boost)


def _normalize(q, _keys=None):
    """q.normalize(), the same tree, without Whoosh's deep copies and
    repeated recursive hashing (which were most of the time a query took to
    compile). Mirrors whoosh.query.compound.CompoundQuery.normalize for And
    and Or (the only compound queries built here); anything else is left to
    Whoosh."""
    kind = type(q)
    if kind is wq.Term:
        return q
    if kind not in (wq.And, wq.Or):
        return q.normalize()
    keys = {} if _keys is None else _keys
    subqueries = []
    for sub in q.subqueries:
        sub = _normalize(sub, keys)
        if isinstance(sub, kind):
            b = sub.boost
            subqueries += [ss if b == 1.0 else _boosted(ss, ss.boost * b) for ss in sub.subqueries]
        else:
            subqueries.append(sub)
    if all(sub is wq.NullQuery for sub in subqueries):
        return wq.NullQuery
    if any(isinstance(sub, (wq.Every, wq.TermRange, wq.NumericRange)) for sub in subqueries):
        return q.normalize()
    subqs, seen = [], set()
    for sub in subqueries:
        key = _eq_key(sub, keys)
        if key in seen:
            continue
        seen.add(key)
        subqs.append(sub)
    subqs = [sub for sub in subqs if sub is not wq.NullQuery]
    if not subqs:
        return wq.NullQuery
    if len(subqs) == 1:
        sub = subqs[0]
        sub_boost = getattr(sub, "boost", 1.0)
        if not (q.boost == 1.0 and sub_boost == 1.0):
            sub = _boosted(sub, sub_boost * q.boost)
        return sub
    if kind is wq.Or:
        return wq.Or(subqs, boost=q.boost, minmatch=q.minmatch, scale=q.scale)
    return wq.And(subqs, boost=q.boost)


def _eq_key(q, keys: dict):
    """A value equal for two queries exactly when Whoosh's __eq__ says they
    are equal (Term: field, text, boost; Phrase: field, words, slop, boost;
    And/Or: class, subqueries in order, boost), computed once per node."""
    got = keys.get(id(q))
    if got is not None:
        return got[1]
    kind = type(q)
    if kind is wq.Term:
        key = (kind, q.fieldname, q.text, q.boost)
    elif kind is wq.Phrase:
        key = (kind, q.fieldname, tuple(q.words), q.slop, q.boost)
    elif kind in (wq.And, wq.Or):
        key = (kind, q.boost, tuple(_eq_key(sub, keys) for sub in q.subqueries))
    else:
        key = (object, q)
    keys[id(q)] = (q, key)  # q kept alive, so its id is not reused meanwhile
    return key


class _Analysis:
    """search.analysis's query-side functions, remembered per segmenter (their
    answers depend only on the text and the segmenter's user words): a query
    analyses the same few words many times over."""

    MAX = 50_000

    def __init__(self):
        self._seg = None
        self._data: dict = {}

    def _get(self, name, text):
        from search import analysis, segmenter

        seg = segmenter.current()
        data = self._data
        if seg is not self._seg:
            data = {}
            self._data, self._seg = data, seg
        key = (name, text)
        got = data.get(key)
        if got is None:
            if name == "query_terms":
                got = tuple(analysis.query_terms(text))
            elif name == "query_words":
                got = tuple(analysis.query_words(text))
            elif name == "char_terms":
                got = tuple(t for t, _s, _e in analysis.char_spans(text))
            elif name == "sequence":
                from search.snippets import sequence_of

                got = sequence_of(text)
            elif name == "variant":
                got = (_variant(text),)
            if len(data) >= self.MAX:
                data.clear()
            data[key] = got
        return got

    def query_terms(self, text):
        return self._get("query_terms", text)

    def query_words(self, text):
        return self._get("query_words", text)

    def char_term_texts(self, text):
        return self._get("char_terms", text)

    def sequence_of(self, text):
        return self._get("sequence", text)

    def variant(self, text):
        return self._get("variant", text)[0]


_ANALYSIS = _Analysis()


def _terms_query(fields, terms, boost=1.0):
    if not terms:
        return None
    if len(terms) == 1:
        return _either([wq.Term(f, terms[0]) for f in fields], boost)
    return _either([wq.Phrase(f, list(terms)) for f in fields], boost)


class QueryBuilder:
    """Turns clauses into Whoosh queries with the index's own analyzer."""

    def __init__(self, table):
        self.table = table
        self.analysis = _ANALYSIS

    # -- the paths a word can be satisfied by --------------------------
    def own_query(self, text, fieldname, *, phrase=False):
        words, _chars = _fields(fieldname)
        if phrase:
            return _terms_query(words, self.analysis.query_terms(text))
        qws = self.analysis.query_words(text)
        if not qws:
            return None
        if len(qws) == 1:
            w = qws[0]
            subs = [wq.Term(f, w.term) for f in words]
            if len(w.pieces) > 1:
                subs += [wq.Phrase(f, list(w.pieces)) for f in words]
            return _either(subs)
        # several words typed as one (a Chinese word without spaces, PD-1/PD-L1):
        # all of them, in order
        return _terms_query(words, self.analysis.query_terms(text))

    def char_query(self, text, fieldname, boost=CHAR_BOOST):
        from search.expansion import has_cjk

        if not has_cjk(text):
            return None
        _words, chars = _fields(fieldname)
        terms = list(self.analysis.char_term_texts(text))
        return _terms_query(chars, terms, boost)

    def form_query(self, text, fieldname, *, phrase=False):
        return _either([self.own_query(text, fieldname, phrase=phrase), self.char_query(text, fieldname)])

    def key(self, texts) -> tuple[str, ...]:
        key = []
        for text in texts:
            key.extend(self.analysis.query_terms(text))
        return tuple(key)


def _variant(text: str) -> str | None:
    from search.expansion import has_cjk

    if not has_cjk(text):
        return None
    from search.analysis import fold

    folded = fold(text)[0]
    if folded != text:
        return folded
    other = _s2t().convert(text)
    return other if other != text else None


_S2T = []


def _s2t():
    if not _S2T:
        import opencc

        _S2T.append(opencc.OpenCC("s2t"))
    return _S2T[0]


def _add(items: list, *values):
    for v in values:
        if v and v not in items:
            items.append(v)


def compile_query(parsed: ParsedQuery, table) -> Compiled:
    """ParsedQuery -> Whoosh query, the reading, and the highlight sequences."""
    from search.expansion import has_cjk

    b = QueryBuilder(table)
    query_words = _ANALYSIS.query_words
    sequence_of = _ANALYSIS.sequence_of
    _variant = _ANALYSIS.variant
    out = Compiled()
    reading = out.reading

    def expansions_for(senses, chinese: bool, fieldname, own_texts):
        """The senses' names in the other language, minus any the user's own
        words already cover (PD-1 covers PD-1抑制剂)."""
        own = [sequence_of(t) for t in own_texts]
        forms, queries, seen = [], [], set()
        for sense in senses:
            for form in sense.other_forms(chinese):
                seq = sequence_of(form)
                if not seq or any(_contains(seq, o) for o in own if o):
                    continue
                _add(forms, form)
                if seq not in seen:  # 张江 and 張江 are one query
                    seen.add(seq)
                    queries.append(b.form_query(form, fieldname))
        return forms, _either(queries, EXPANSION_BOOST)

    def note_senses(text, senses):
        described = "; ".join(dict.fromkeys(s.describe() for s in senses))
        _add(reading.notes, f"“{text}” read as {described}")

    def clause_query(clause: Clause, *, record=True, expand=True):
        text = clause.text
        if clause.phrase:
            q = b.form_query(text, clause.field, phrase=True) if not has_cjk(text) else _either([
                b.own_query(text, clause.field, phrase=True), b.char_query(text, clause.field, boost=1.0)])
            if q is not None and record:
                _add(reading.terms, text)
                _add(reading.variants, _variant(text))
                out.sequences.append(sequence_of(text))
            return q
        own = b.own_query(text, clause.field)
        chars = b.char_query(text, clause.field)
        if own is None and chars is None:
            return None
        parts = [own, chars]
        senses = table.lookup(b.key([text])) if expand else []
        if senses:
            forms, exp = expansions_for(senses, has_cjk(text), clause.field, [text])
            parts.append(exp)
            if record:
                _add(reading.expansions, *forms)
                out.sequences.extend(sequence_of(f) for f in forms)
                note_senses(text, senses)
        if record:
            words = query_words(text)
            _add(reading.terms, *[text[w.start:w.end] for w in words])
            _add(reading.variants, _variant(text))
            out.sequences.append(sequence_of(text))
            if len(words) > 1 and has_cjk(text):
                _add(reading.notes, f"“{text}” read as " + " + ".join(text[w.start:w.end] for w in words)
                     + ", in this order")
            if not has_cjk(text) and len(words) == 1 and text.isascii() and text.isalpha():
                out.plain_words.append(text)
        return _either(parts)

    positives = []
    dropped = []
    groups = parsed.groups
    i = 0
    while i < len(groups):
        group = groups[i]
        unit = None
        if _unit_candidate(group):
            for j in range(min(len(groups), i + 8), i + 1, -1):
                span = groups[i:j]
                if not all(_unit_candidate(g) and g[0].field == group[0].field for g in span):
                    continue
                texts = [g[0].text for g in span]
                key = b.key(texts)
                if not key or len(key) > table.max_key_len:
                    continue
                senses = table.lookup(key)
                if senses:
                    unit = (j, texts, senses)
                    break
        if unit:
            j, texts, senses = unit
            fieldname = group[0].field
            words, _chars = _fields(fieldname)
            whole = " ".join(texts)
            each = [clause_query(g[0], expand=False) for g in groups[i:j]]
            each = [q for q in each if q is not None]
            phrase = _terms_query(words, list(b.key(texts)))
            forms, exp = expansions_for(senses, any(has_cjk(t) for t in texts), fieldname, [whole])
            parts = [phrase, wq.And(each) if len(each) > 1 else (each[0] if each else None), exp]
            positives.append(_either(parts))
            _add(reading.expansions, *forms)
            out.sequences.append(sequence_of(whole))
            out.sequences.extend(sequence_of(f) for f in forms)
            note_senses(whole, senses)
            i = j
            continue
        alts = []
        for clause in group:
            q = clause_query(clause)
            if q is None:
                dropped.append(clause.text)
                continue
            alts.append(q)
            if clause.field == "title":
                _add(reading.notes, f"“{clause.text}” searched in titles only")
        if alts:
            positives.append(_either(alts))
            if len(alts) > 1:
                _add(reading.notes, " OR ".join(f"“{c.text}”" for c in group) + ": any of these")
        i += 1

    negatives = []
    for clause in parsed.excluded:
        q = clause_query(clause, record=False)
        if q is None:
            dropped.append(clause.text)
            continue
        negatives.append(q)
        _add(reading.notes, f"excluding articles with “{clause.text}”"
             + (" in the title" if clause.field == "title" else ""))
    if dropped:
        shown = ", ".join(f"“{_short(t)}”" for t in dict.fromkeys(dropped))
        out.messages.append(f"Ignored {shown}: too common or nothing to search for.")

    if not positives and not negatives:
        return out
    out.searchable = True
    # Exclusions are applied to document sets, not with Whoosh's AndNot: its
    # matcher (whoosh3 3.54.0) lets through a first positive document that
    # the negative side only reaches after skipping.
    if positives:
        out.query = _normalize(positives[0] if len(positives) == 1 else wq.And(positives))
    if negatives:
        out.exclude = _normalize(negatives[0] if len(negatives) == 1 else wq.Or(negatives))
    out.sequences = [s for s in dict.fromkeys(out.sequences) if s]
    return out


def _contains(seq: tuple, sub: tuple) -> bool:
    n, m = len(seq), len(sub)
    return m <= n and any(seq[i:i + m] == sub for i in range(n - m + 1))


def _unit_candidate(group) -> bool:
    return len(group) == 1 and not group[0].phrase and not group[0].negated


# ---------------------------------------------------------------- running

def run_search(q: SearchQuery, *, store=None) -> SearchResult:
    """Answer a search. Never raises: problems become `messages`."""
    started = time.perf_counter()
    messages: list[str] = []
    try:
        result = _run(q, store, messages)
    except Exception:  # the contract: a message, never a traceback
        logger.exception("search failed for %r", getattr(q, "q", None))
        result = SearchResult(query=_clean_value(getattr(q, "q", "") or ""), messages=messages + [
            "Sorry, this search could not be run. Try simpler words."])
    result.took_ms = round((time.perf_counter() - started) * 1000, 2)
    return result


def _run(q: SearchQuery, store, messages: list[str]) -> SearchResult:
    from search.expansion import expansion_table, namebook
    from search.facets import LANGUAGE_LABELS, SHOWN_FACETS, count_facets, facet_values, view_for
    from search import segmenter
    from search.index import IndexStore
    from search.vocabulary import ensure_user_words

    version = _analyzer_version()
    if segmenter.user_words_version() != version:
        version = ensure_user_words()
    params = read_params(q, messages, version)
    parsed = parse(q.q)
    messages.extend(parsed.messages)
    compiled = Compiled()
    if not parsed.is_empty:
        compiled = compile_query(parsed, expansion_table(version))
        messages.extend(compiled.messages)
        if not compiled.searchable:
            messages.append("Nothing searchable was left in the query, so all articles are listed.")
    result = SearchResult(query=parsed.text, page=params.page, per_page=params.per_page, sort=params.sort,
                          lang=params.lang, reading=compiled.reading, messages=messages,
                          filters={k: list(v) for k, v in params.selected.items()})

    store = store if store is not None else IndexStore()
    searcher = store.searcher()
    view = view_for(searcher)

    # -- the exact matching set -------------------------------------------
    # One scored pass over the query gives both the exact set and the scores
    # (Whoosh would otherwise match phrases twice: docs_for_query, then search).
    scored = Scored.run(searcher, view, compiled)
    base = scored.docs
    if params.date_from is not None or params.date_to is not None:
        lo = params.date_from or 0
        hi = params.date_to or 99991231
        base = base & view.where((view.date_num >= max(lo, 1)) & (view.date_num <= hi))
    if params.since_ts is not None:
        base = base & view.where(view.published_ts > params.since_ts)
    selected = {f: (view.union(f, params.selected[f]) if f in params.selected else None) for f in SHOWN_FACETS}
    docs = base
    for allowed in selected.values():
        if allowed is not None:
            docs = docs & allowed
    result.total = total = len(docs)

    # -- facets --------------------------------------------------------------
    counts = count_facets(view, base, selected)
    book = namebook(version)

    def labeller(fieldname, value):
        if fieldname == "year":
            return value
        if fieldname == "language":
            return LANGUAGE_LABELS[params.lang].get(value, value)
        return book.label(fieldname, value, params.lang)

    for fieldname in SHOWN_FACETS:
        result.facets[fieldname] = facet_values(fieldname, counts.get(fieldname, {}),
                                                params.selected.get(fieldname), labeller)

    # -- one page --------------------------------------------------------------
    per_page, page = params.per_page, params.page
    result.pages = pages = math.ceil(total / per_page) if total else 0
    if page > 1 and page > pages:
        messages.append(f"Page {page} is past the last page ({max(pages, 1)}).")
        page_docs: list[tuple[int, float]] = []
    elif compiled.query is not None and params.sort == "relevance":
        page_docs = scored.best(docs, (page - 1) * per_page, page * per_page)
    else:
        ordered = view.newest_first(docs)
        chosen = [int(d) for d in ordered[(page - 1) * per_page: page * per_page]]
        page_docs = [(d, scored.score(d)) for d in chosen]

    from search.snippets import Highlighter

    highlighter = Highlighter(compiled.sequences)
    result.hits = [_hit(searcher, docnum, score, highlighter) for docnum, score in page_docs]

    # -- did you mean ----------------------------------------------------------
    if compiled.searchable and total < FEW_RESULTS and compiled.plain_words:
        from search.suggest import did_you_mean

        try:
            result.did_you_mean = did_you_mean(searcher, view, parsed, compiled, total, version)
        except Exception:  # a suggestion is a nicety; never fail the search for it
            logger.exception("did-you-mean failed")
    return result


_VERSION_SQL: dict = {}


# (checked time, this process's own edits, version): a search reads the
# shared version at most once a second. An edit made in this process is seen
# at once; one made in another process within VERSION_CHECK_SECONDS. A search
# with no filters then touches no database at all (over HTTP each request
# would otherwise open a connection just for this).
_version_memo: list = [0.0, -1, None]


def _analyzer_version() -> str:
    from django.conf import settings

    from search.state import local_edits

    max_age = float(getattr(settings, "SEARCH_BACKEND", {}).get("VERSION_CHECK_SECONDS", 1.0))
    checked, edits, version = _version_memo
    now = time.monotonic()
    if version is not None and edits == local_edits() and now - checked < max_age:
        return version
    edits = local_edits()
    version = _read_analyzer_version()
    _version_memo[:] = [now, edits, version]
    return version


def _read_analyzer_version() -> str:
    """search.state.analyzer_version(), read in one plain SQL query instead
    of two ORM queries (0.04 ms instead of ~1 ms a request)."""
    from django.db import connections, router

    from search.models import SearchState
    from search.state import GAZETTEER, GLOSSARY

    alias = router.db_for_read(SearchState)
    connection = connections[alias]
    sql = _VERSION_SQL.get(alias)
    if sql is None:
        qn = connection.ops.quote_name
        meta = SearchState._meta
        sql = _VERSION_SQL[alias] = (
            f"SELECT {qn(meta.get_field('key').column)}, {qn(meta.get_field('value').column)} "
            f"FROM {qn(meta.db_table)} WHERE {qn(meta.get_field('key').column)} IN (%s, %s)")
    with connection.cursor() as cursor:
        cursor.execute(sql, [GAZETTEER, GLOSSARY])
        rows = dict(cursor.fetchall())
    return f"g{rows.get(GAZETTEER) or '0'}.w{rows.get(GLOSSARY) or '0'}"


class Scored:
    """Every matching document with its score, from one pass of the query."""

    def __init__(self, view, ids: np.ndarray, scores: np.ndarray, docs: BitMap):
        self.view = view
        self.ids = ids  # sorted document numbers the query matched
        self.scores = scores
        self.docs = docs

    @classmethod
    def run(cls, searcher, view, compiled: Compiled) -> "Scored":
        try:
            return cls._run(engine_for(searcher), view, compiled)
        except _Unsupported:
            return cls._run_whoosh(searcher, view, compiled)

    @classmethod
    def _run(cls, engine, view, compiled: Compiled) -> "Scored":
        if compiled.query is not None:
            ids, scores = engine.run(compiled.query)
            docs = _bitmap(ids) & view.live
        else:
            ids, scores = _EMPTY_IDS, _EMPTY_SCORES
            docs = view.live
        if compiled.exclude is not None and docs:
            # excluded words are looked for only where the query matched
            restrict = ids if compiled.query is not None else None
            gone, _ = engine.run(compiled.exclude, restrict)
            if len(gone):
                docs = docs - _bitmap(gone)
        return cls(view, ids, scores, docs)

    @classmethod
    def _run_whoosh(cls, searcher, view, compiled: Compiled) -> "Scored":
        """The same answer from Whoosh's own matchers (slow; the reference)."""
        schema = searcher.schema
        if compiled.query is not None:
            results = searcher.search(whoosh_equivalent(compiled.query, schema), limit=None)
            pairs = sorted(results.items())
            ids = np.fromiter((d for d, _ in pairs), dtype=np.int64, count=len(pairs))
            scores = np.fromiter((s or 0.0 for _, s in pairs), dtype=np.float64, count=len(pairs))
            docs = _bitmap(ids) & view.live
        else:
            ids, scores = _EMPTY_IDS, _EMPTY_SCORES
            docs = view.live
        if compiled.exclude is not None:
            docs = docs - BitMap(searcher.docs_for_query(whoosh_equivalent(compiled.exclude, schema)))
        return cls(view, ids, scores, docs)

    def best(self, docs: BitMap, start: int, stop: int) -> list[tuple[int, float]]:
        """docs ranked by score (equal scores: newest first), sliced."""
        if not len(self.ids) or not docs or start >= stop:
            return []
        wanted = np.frombuffer(docs.to_array(), dtype=np.uint32).astype(np.int64)
        _, i, _j = _isect(self.ids, wanted)
        ids, scores = self.ids[i], self.scores[i]
        rounded = np.round(scores, 6)
        if stop < len(ids):
            # only documents that can reach the first `stop` places are sorted
            kth = np.partition(-rounded, stop - 1)[stop - 1]
            keep = np.flatnonzero(-rounded <= kth)
            ids, scores, rounded = ids[keep], scores[keep], rounded[keep]
        order = np.lexsort((-ids, -self.view.sort_key[ids], -rounded))[start:stop]
        return [(int(ids[k]), float(scores[k])) for k in order]

    def score(self, docnum: int) -> float:
        k = int(np.searchsorted(self.ids, docnum))
        if k < len(self.ids) and self.ids[k] == docnum:
            return float(self.scores[k])
        return 0.0


def whoosh_equivalent(q, schema):
    """q as Whoosh itself can run it on this schema: a phrase in a field that
    keeps no positions becomes the AND of its words in that field (the score
    Whoosh gives a phrase: its words' scores, summed) and, boosted to score
    nothing, the same phrase where the positions are (the positions field, or
    the adjacent pairs in the pair field)."""
    from search.analysis import pair_term
    from search.schema import PAIR_FIELDS, POSITION_FIELDS

    kind = type(q)
    if kind in (wq.And, wq.Or):
        out = copy.copy(q)
        out.subqueries = [whoosh_equivalent(sub, schema) for sub in q.subqueries]
        return out
    if kind is not wq.Phrase or q.fieldname not in schema:
        return q
    fmt = schema[q.fieldname].format
    if fmt and fmt.supports("positions"):
        return q
    words = list(q.words)
    pair_field = PAIR_FIELDS.get(q.fieldname)
    if pair_field in schema:
        pairs = [pair_term(a, b) for a, b in zip(words, words[1:])]
        where = wq.Term(pair_field, pairs[0], boost=0.0) if len(pairs) == 1 else wq.Phrase(
            pair_field, pairs, boost=0.0)
    elif POSITION_FIELDS.get(q.fieldname) in schema:
        where = wq.Phrase(POSITION_FIELDS[q.fieldname], words, boost=0.0)
    else:
        return q
    return wq.And([wq.Term(q.fieldname, w) for w in words] + [where], boost=q.boost)


def matching_docs(searcher, view, compiled: Compiled) -> BitMap:
    """The exact set of live documents the query matches (before filters)."""
    return Scored.run(searcher, view, compiled).docs


def _hit(searcher, docnum: int, score: float, highlighter) -> Hit:
    fields = searcher.stored_fields(docnum)
    try:
        display = json.loads(fields.get("display") or "{}")
    except ValueError:
        display = {}
    article_id = int(fields.get("id") or 0)
    title = fields.get("title") or ""
    body = fields.get("body") or ""
    year = fields.get("year") or display.get("year")
    try:
        year = int(year) if year else None
    except (TypeError, ValueError):
        year = None
    return Hit(
        id=article_id,
        title=title,
        title_html=highlighter.title_html(title),
        language=fields.get("language") or "",
        date=fields.get("date") or None,
        year=year,
        city=display.get("city"),
        districts=list(display.get("districts") or []),
        places=list(display.get("places") or []),
        events=list(display.get("events") or []),
        source=display.get("source"),
        snippet_html=highlighter.snippet_html(body),
        score=round(float(score or 0.0), 2),
        url=f"/articles/{article_id}/",
        docnum=docnum,
    )


# ---------------------------------------------------------------- the engine
#
# Whoosh answers a query by walking matchers document by document in Python
# (and checks phrase positions in every candidate). The engine below answers
# the same normalized Whoosh query tree over per-term numpy arrays instead:
#
#   Term     the term's postings (document numbers, weights) scored with
#            Whoosh's own BM25F (same idf, average field length and quantized
#            field lengths, the same formula on arrays)
#   And/Or   intersections / unions with summed scores, times the boost
#   Phrase   the AND of its terms' postings (summed scores, as Whoosh's
#            SpanNear2 scores them), kept where the terms sit at consecutive
#            positions: in a character field a two-character phrase is one
#            term of the pair field; positions are checked, all at once in
#            numpy, only on the documents that hold every term
#
# so the matching set and every score are Whoosh's (up to the order in which
# floating-point sums are taken). Anything else in a tree is answered by
# Whoosh itself.
#
# Decoding Whoosh's posting blocks (zlib + pickle) is the slow part, so what
# a segment's postings hold (document numbers, weights, positions) is kept per
# *segment*, in one process-wide cache: segments never change once written, so
# it stays valid across commits (which only add segments, merge some, or mark
# documents deleted). Scores depend on index-wide statistics, so they are
# computed per searcher (a vectorized formula, cheap) and kept while the
# searcher lives.

_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_SCORES = np.zeros(0, dtype=np.float64)


def _budget(name: str, default_mb: int) -> int:
    try:
        from django.conf import settings

        return int(settings.SEARCH_BACKEND.get(name, default_mb)) * 2**20
    except Exception:
        return default_mb * 2**20


class _Unsupported(Exception):
    """A query the engine does not answer (Whoosh does, the slow way)."""


class _SegTerm:
    """One term's postings in one segment."""

    __slots__ = ("ids", "weights", "pos_off", "pos", "nbytes")

    def __init__(self, ids, weights, pos_off=None, pos=None):
        self.ids = ids  # int32, segment-local document numbers, ascending
        self.weights = weights  # float32: Whoosh's stored weights, exactly
        self.pos_off = pos_off  # int64, n+1: where each posting's positions are in pos
        self.pos = pos  # int32 positions
        self.nbytes = 200 + ids.nbytes + weights.nbytes + (
            pos_off.nbytes + pos.nbytes if pos is not None else 0)


class _LRU:
    """A byte-budgeted, thread-safe LRU map."""

    def __init__(self, budget: int):
        self.budget = budget
        self.data: OrderedDict = OrderedDict()
        self.bytes = 0
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            got = self.data.get(key)
            if got is not None:
                self.data.move_to_end(key)
            return got

    def put(self, key, value, nbytes: int):
        with self.lock:
            old = self.data.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self.data[key] = (value, nbytes)
            self.bytes += nbytes
            while self.bytes > self.budget and len(self.data) > 1:
                _k, (_v, n) = self.data.popitem(last=False)
                self.bytes -= n

    def clear(self):
        with self.lock:
            self.data.clear()
            self.bytes = 0


# segment postings, shared by every searcher of the process
# (the three budgets keep a query process under 500 MB at 100,000 articles:
# at 384 + 128 + 64 MB it peaked at 503 MB there)
_SEGMENT_CACHE = _LRU(_budget("POSTINGS_CACHE_MB", 192))


def _segment_key(folder, leaf) -> tuple | None:
    """What names a segment across searchers: the index folder (a rebuild
    writes a new one), the segment's random id and its size. None (no
    process-wide caching) when any is unknown."""
    try:
        return (str(folder), leaf.segment().segment_id(), leaf.doc_count_all()) if folder else None
    except Exception:
        return None


# a segment's posting file is read with seek() and read(): one reader at a time
_READ_LOCK = threading.Lock()


def _read_segment_term(leaf, field: str, fmt, btext: bytes, positions: bool) -> _SegTerm | None:
    """Every posting of a term in one segment, decoded block by block."""
    with _READ_LOCK:
        return _read_segment_term_locked(leaf, field, fmt, btext, positions and fmt.supports("positions"))


def _read_segment_term_locked(leaf, field, fmt, btext, positions):
    from whoosh.codec.whoosh3 import W3LeafMatcher
    from whoosh.reading import TermNotFound

    try:
        m = leaf._terms.matcher(field, btext, fmt)
    except (TermNotFound, KeyError):
        return None
    except AttributeError:  # not a plain segment reader
        try:
            m = leaf.postings(field, btext)
        except (TermNotFound, KeyError):
            return None
    id_parts, w_parts, values = [], [], []
    if isinstance(m, W3LeafMatcher) and not m._byteids:
        while m.is_active():
            m._read_data()
            bids, bw, bv = m._data
            n = m._blocklength
            id_parts.append(bids)
            if bw is None:
                w_parts.append(np.ones(n, dtype=np.float32))
            elif isinstance(bw, float):
                w_parts.append(np.full(n, bw, dtype=np.float32))
            else:
                w_parts.append(np.array(bw, dtype=np.float32))
            if positions:
                values.extend(bv if bv is not None else (b"",) * n)
            if m._lastblock:
                break
            m._goto(m._nextoffset)
        # ids are delta-coded block by block, each block from 0
        deltas = np.fromiter(chain.from_iterable(id_parts), dtype=np.int64)
        counts = np.fromiter(map(len, id_parts), dtype=np.int64, count=len(id_parts))
        ids = _segment_cumsum(deltas, counts) if len(id_parts) > 1 else np.cumsum(deltas)
    else:
        ids_list, ws = [], []
        while m.is_active():
            ids_list.append(m.id())
            ws.append(m.weight())
            if positions:
                values.append(m.value())
            m.next()
        ids = np.array(ids_list, dtype=np.int64)
        w_parts = [np.array(ws, dtype=np.float32)]
    if not len(ids):
        return None
    weights = np.concatenate(w_parts) if len(w_parts) > 1 else w_parts[0]
    term = _SegTerm(ids.astype(np.int32), weights)
    if positions:
        term.pos_off, term.pos = _decode_positions(fmt, values)
        term.nbytes += term.pos_off.nbytes + term.pos.nbytes
    return term


def _decode_positions(fmt, values: list) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, positions) of a posting list's encoded positions."""
    from search.schema import CompactPositions

    n = len(values)
    off = np.zeros(n + 1, dtype=np.int64)
    if isinstance(fmt, CompactPositions):
        lens = np.fromiter(map(len, values), dtype=np.int64, count=n)
        if not (lens & 1).any():  # all narrow: uint16 deltas
            counts = lens >> 1
            d = np.frombuffer(b"".join(values), dtype="<u2").astype(np.int64)
            np.cumsum(counts, out=off[1:])
            pos = _segment_cumsum(d, counts) if len(d) else _EMPTY_IDS
            return off, pos.astype(np.int32)
    decoded = [fmt.decode_positions(v) for v in values]
    np.cumsum([len(p) for p in decoded], out=off[1:])
    pos = np.fromiter(chain.from_iterable(decoded), dtype=np.int64, count=int(off[-1]))
    return off, pos.astype(np.int32)


def _segment_cumsum(d: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Running sums of `d` restarted at every segment (lengths `counts`)."""
    c = np.cumsum(d)
    counts = counts[counts > 0]
    starts = np.cumsum(counts) - counts
    before = c[starts] - d[starts]
    return c - np.repeat(before, counts)


def _isect(a: np.ndarray, b: np.ndarray):
    """(common values, their indices in a, in b) of two ascending arrays of
    distinct values."""
    swap = len(a) > len(b)
    if swap:
        a, b = b, a
    if not len(a) or not len(b):
        common = _EMPTY_IDS
        ia = ib = _EMPTY_IDS
    else:
        idx = np.searchsorted(b, a)
        idx[idx == len(b)] = 0
        ok = b[idx] == a
        ia = np.flatnonzero(ok)
        ib = idx[ok]
        common = a[ia]
    return (common, ib, ia) if swap else (common, ia, ib)


def _bitmap(ids: np.ndarray) -> BitMap:
    from array import array

    out = array("I")
    out.frombytes(ids.astype(np.uint32).tobytes())
    return BitMap(out)


class Engine:
    """One searcher's query engine (see above). Thread-safe."""

    def __init__(self, searcher):
        from whoosh.scoring import BM25FScorer, WeightScorer

        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = self.reader.schema
        folder = getattr(getattr(getattr(searcher, "_ix", None), "storage", None), "folder", None)
        self.leaves = [(leaf, offset, _segment_key(folder, leaf)) for leaf, offset in self.reader.leaf_readers()]
        self.doc_count_all = self.reader.doc_count_all()
        self.weighting = searcher.weighting
        self._bm25 = BM25FScorer
        self._weight_scorer = WeightScorer
        self._lengths: dict[str, np.ndarray] = {}
        self._terms = _LRU(_budget("SCORES_CACHE_MB", 64))
        self._phrases = _LRU(32 * 2**20)  # phrase answers: documents (and scores)

    # ------------------------------------------------------------ reading
    def _segment_term(self, leaf, segkey, field: str, text: str, positions: bool) -> _SegTerm | None:
        key = (*segkey, field, text) if segkey else None
        got = _SEGMENT_CACHE.get(key) if key else None
        if got is not None:
            term = got[0]
            if term is False:
                return None
            if term.pos is not None or not positions:
                return term
        fieldobj = self.schema[field]
        term = _read_segment_term(leaf, field, fieldobj.format, fieldobj.to_bytes(text), positions)
        if key:
            _SEGMENT_CACHE.put(key, term if term is not None else False, term.nbytes if term else 100)
        return term

    def _parts(self, field: str, text: str, positions: bool = False):
        """[(offset, _SegTerm)] of the segments holding the term."""
        out = []
        for leaf, offset, segkey in self.leaves:
            term = self._segment_term(leaf, segkey, field, text, positions)
            if term is not None:
                out.append((offset, term))
        return out

    def _field_lengths(self, field: str) -> np.ndarray:
        got = self._lengths.get(field)
        if got is not None:
            return got
        parts = [_segment_lengths(leaf, segkey, field) for leaf, _offset, segkey in self.leaves]
        out = np.concatenate(parts) if parts else _EMPTY_SCORES
        self._lengths[field] = out
        return out

    def term(self, field: str, text: str, positions: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, unboosted scores) of one term. `positions`: its
        positions will be wanted too (read them in the same pass)."""
        key = (field, text)
        got = self._terms.get(key)
        if got is not None:
            return got[0]
        if field not in self.schema:
            return _EMPTY_IDS, _EMPTY_SCORES
        parts = self._parts(field, text, positions)
        if not parts:
            value = (_EMPTY_IDS, _EMPTY_SCORES)
        else:
            ids = np.concatenate([t.ids.astype(np.int64) + off for off, t in parts]) if len(parts) > 1 \
                else parts[0][1].ids.astype(np.int64) + parts[0][0]
            weights = np.concatenate([t.weights for _off, t in parts]) if len(parts) > 1 else parts[0][1].weights
            value = (ids, self._score(field, text, ids, weights.astype(np.float64)))
        self._terms.put(key, value, value[0].nbytes * 2 + 200)
        return value

    def _score(self, field: str, text: str, ids: np.ndarray, tf: np.ndarray) -> np.ndarray:
        scorer = self.weighting.scorer(self.searcher, field, text)
        if isinstance(scorer, self._bm25):
            # whoosh.scoring.bm25, term for term, on arrays
            idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
            fl = self._field_lengths(field)[ids]
            return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
        if isinstance(scorer, self._weight_scorer):
            return tf
        raise _Unsupported(f"weighting {type(scorer).__name__}")

    # ------------------------------------------------------------ positions
    def _positions(self, field: str, text: str, cands: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, positions) of every position of the term in the
        documents `cands` (ascending, each holding the term)."""
        docs_out, pos_out = [], []
        for offset, term in self._parts(field, text, positions=True):
            lo = np.searchsorted(cands, offset)
            hi = np.searchsorted(cands, offset + self._leaf_size(offset))
            if hi <= lo:
                continue
            local = (cands[lo:hi] - offset).astype(np.int32)
            idx = np.searchsorted(term.ids, local)
            starts = term.pos_off[idx]
            counts = term.pos_off[idx + 1] - starts
            total = int(counts.sum())
            if not total:
                continue
            out_starts = np.cumsum(counts) - counts
            flat = np.repeat(starts - out_starts, counts) + np.arange(total, dtype=np.int64)
            pos_out.append(term.pos[flat].astype(np.int64))
            docs_out.append(np.repeat(cands[lo:hi], counts))
        if not docs_out:
            return _EMPTY_IDS, _EMPTY_IDS
        return np.concatenate(docs_out), np.concatenate(pos_out)

    def _doc_ids(self, field: str, text: str, positions: bool = False) -> np.ndarray:
        """The ascending document numbers holding the term (no scores: for
        the unscored positions and pair fields)."""
        parts = self._parts(field, text, positions)
        if not parts:
            return _EMPTY_IDS
        if len(parts) == 1:
            return parts[0][1].ids.astype(np.int64) + parts[0][0]
        return np.concatenate([t.ids.astype(np.int64) + off for off, t in parts])

    def _doc_frequency(self, field: str, text: str) -> int:
        return sum(len(term.ids) for _off, term in self._parts(field, text, positions=True))

    def _leaf_size(self, offset: int) -> int:
        for leaf, off, _key in self.leaves:
            if off == offset:
                return leaf.doc_count_all()
        return 0

    def _adjacent(self, field: str, parts, cands: np.ndarray) -> np.ndarray:
        """The documents among `cands` (all of which hold every term) where
        each term of `parts` [(term, offset)] sits at p + offset for one p."""
        order = sorted(parts, key=lambda part: self._doc_frequency(field, part[0]))
        keys = None
        for text, off in order:
            if not len(cands):
                return _EMPTY_IDS
            docs, pos = self._positions(field, text, cands)
            pos = pos - off
            ok = pos >= 0
            k = (docs[ok] << 32) | pos[ok]
            if len(k) > 1 and not (k[1:] > k[:-1]).all():
                k = np.unique(k)  # positions not stored in order
            keys = k if keys is None else _isect(keys, k)[0]
            d = keys >> 32
            cands = d[np.flatnonzero(np.diff(d, prepend=-1))] if len(d) else _EMPTY_IDS
        return cands

    # ------------------------------------------------------------ phrases
    def _pairs_cover(self, field: str) -> bool:
        """Whether a pair field holds the field's adjacent pairs (a character
        field: then a phrase there is checked with the pairs)."""
        from search.schema import PAIR_FIELDS

        pair_field = PAIR_FIELDS.get(field)
        return bool(pair_field) and pair_field in self.schema

    def _position_field(self, field: str) -> str:
        """Where the field's positions are: the field itself (an index built
        before positions had fields of their own) or its positions field."""
        from search.schema import POSITION_FIELDS

        fmt = self.schema[field].format
        if fmt and fmt.supports("positions"):
            return field
        other = POSITION_FIELDS.get(field)
        if other and other in self.schema and self.schema[other].format.supports("positions"):
            return other
        raise _Unsupported(f"no positions for {field}")

    def phrase_docs(self, field: str, words: tuple[str, ...], cands: np.ndarray, whole: bool) -> np.ndarray:
        """Documents of `cands` (each holding every word) where the words are
        adjacent and in order. `whole`: cands is the phrase's whole candidate
        set, so the answer may be kept."""
        key = (field, words)
        if whole:
            got = self._phrases.get(key)
            if got is not None:
                return got[0]
        from search.analysis import pair_term
        from search.schema import PAIR_FIELDS

        pair_field = PAIR_FIELDS.get(field)
        pairs = list(zip(words, words[1:]))
        if self._pairs_cover(field):
            # one token per position in a character field: the phrase is there
            # iff its adjacent pairs are, at consecutive positions
            terms = [pair_term(a, b) for a, b in pairs]
            for t in dict.fromkeys(terms):
                cands = _isect(cands, self._doc_ids(pair_field, t, len(terms) > 1))[0]
            if len(terms) > 1 and len(cands):
                cover = list(range(0, len(terms), 2))
                if cover[-1] != len(terms) - 1:
                    cover.append(len(terms) - 1)
                cands = self._adjacent(pair_field, [(terms[i], i) for i in cover], cands)
            found = cands
        else:
            found = self._adjacent(self._position_field(field), [(w, i) for i, w in enumerate(words)], cands)
        if whole:
            self._phrases.put(key, found, found.nbytes + 200)
        return found

    # ------------------------------------------------------------ queries
    def run(self, q, restrict: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(ascending document numbers, scores) of everything `q` matches
        (within `restrict`, an ascending array, when given)."""
        from whoosh.query import And, NullQuery, Or, Phrase, Term

        kind = type(q)
        if q is NullQuery:
            return _EMPTY_IDS, _EMPTY_SCORES
        if kind is Term:
            ids, scores = self.term(q.fieldname, q.text)
            if restrict is not None:
                ids, i, _j = _isect(ids, restrict)
                scores = scores[i]
            return ids, (scores * q.boost if q.boost != 1.0 else scores)
        if kind is Phrase:
            return self._phrase(q, restrict)
        if kind is And:
            return self._and(q, restrict)
        if kind is Or:
            if q.scale or q.minmatch:
                raise _Unsupported("Or with scale or minmatch")
            ids, scores = self._union([self.run(sub, restrict) for sub in q.subqueries])
            return ids, (scores * q.boost if q.boost != 1.0 else scores)
        raise _Unsupported(kind.__name__)

    def _phrase(self, q, restrict):
        field = q.fieldname
        if field not in self.schema:
            return _EMPTY_IDS, _EMPTY_SCORES
        if q.slop != 1:
            raise _Unsupported("phrase with slop")
        words = tuple(q.words)
        key = ("phrase", field, words)
        got = self._phrases.get(key)
        if got is not None:  # the whole phrase, answered before
            ids, scores = got[0]
            if restrict is not None:
                ids, i, _j = _isect(ids, restrict)
                scores = scores[i]
        else:
            ids, scores = self._phrase_matches(field, words, restrict)
            if restrict is None:
                self._phrases.put(key, (ids, scores), ids.nbytes + scores.nbytes + 200)
        return ids, (scores * q.boost if q.boost != 1.0 else scores)

    def _phrase_matches(self, field: str, words: tuple, restrict) -> tuple[np.ndarray, np.ndarray]:
        """(documents, unboosted scores) of a phrase (within `restrict`)."""
        # read the positions with the postings when they are in the same field
        positions = not self._pairs_cover(field) and self._position_field(field) == field
        terms = [self.term(field, w, positions) for w in words]
        if any(not len(ids) for ids, _ in terms):
            return _EMPTY_IDS, _EMPTY_SCORES
        by_size = sorted(range(len(terms)), key=lambda i: len(terms[i][0]))
        cands = terms[by_size[0]][0]
        whole = restrict is None
        if restrict is not None:
            cands = _isect(cands, restrict)[0]
        for i in by_size[1:]:
            if not len(cands):
                break
            cands = _isect(cands, terms[i][0])[0]
        if len(cands):
            cands = self.phrase_docs(field, words, cands, whole)
        if not len(cands):
            return _EMPTY_IDS, _EMPTY_SCORES
        # scores: the terms' own, summed as Whoosh's binary tree of
        # IntersectionMatchers sums them
        parts = [scores[np.searchsorted(ids, cands)] for ids, scores in terms]
        return cands, _tree_sum(parts)

    def _and(self, q, restrict):
        from whoosh.query import Phrase

        subs = list(q.subqueries)
        # positional parts last: they are checked only where the rest matched
        subs.sort(key=lambda s: _has_phrase(s, Phrase))
        ids = scores = None
        for sub in subs:
            sids, sscores = self.run(sub, restrict if ids is None else ids)
            if ids is None:
                ids, scores = sids, sscores
            else:
                ids, i, j = _isect(ids, sids)
                scores = scores[i] + sscores[j]
            if not len(ids):
                return _EMPTY_IDS, _EMPTY_SCORES
        return ids, (scores * q.boost if q.boost != 1.0 else scores)

    def _union(self, parts) -> tuple[np.ndarray, np.ndarray]:
        parts = [(i, s) for i, s in parts if len(i)]
        if not parts:
            return _EMPTY_IDS, _EMPTY_SCORES
        if len(parts) == 1:
            return parts[0]
        total = sum(len(i) for i, _ in parts)
        if total * 16 < self.doc_count_all:
            ids = np.concatenate([i for i, _ in parts])
            scores = np.concatenate([s for _, s in parts])
            order = np.argsort(ids, kind="stable")
            ids, scores = ids[order], scores[order]
            first = np.flatnonzero(np.diff(ids, prepend=-1))
            return ids[first], np.add.reduceat(scores, first)
        acc = np.zeros(self.doc_count_all, dtype=np.float64)
        hit = np.zeros(self.doc_count_all, dtype=bool)
        for i, s in parts:
            acc[i] += s  # no repeats within one part
            hit[i] = True
        ids = np.flatnonzero(hit)
        return ids, acc[ids]


_LENGTHS_CACHE = _LRU(64 * 2**20)


def _segment_lengths(leaf, segkey, field: str) -> np.ndarray:
    """Whoosh's quantized field lengths of a segment's documents, as the
    scorer reads them (byte_to_length of the stored byte)."""
    key = (*segkey, field) if segkey else None
    got = _LENGTHS_CACHE.get(key) if key else None
    if got is not None:
        return got[0]
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.util.numeric import byte_to_length

    n = leaf.doc_count_all()
    table = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
    out = np.zeros(n, dtype=np.float64)
    try:
        col = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    except AttributeError:
        col = None
    if col is not None and hasattr(col, "_dbfile") and col._fixedlen == 1:
        count = min(col._count, n)
        raw = np.frombuffer(bytes(col._dbfile.get(col._basepos, count)), dtype=np.uint8)
        out[:count] = table[raw]
    else:
        for i in range(n):
            out[i] = leaf.doc_field_length(i, field, 0) or 0
    if key:
        _LENGTHS_CACHE.put(key, out, out.nbytes + 200)
    return out


def _has_phrase(q, phrase_cls) -> bool:
    if isinstance(q, phrase_cls):
        return True
    subs = getattr(q, "subqueries", None)
    return bool(subs) and any(_has_phrase(s, phrase_cls) for s in subs)


def _tree_sum(parts: list[np.ndarray]) -> np.ndarray:
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return _tree_sum(parts[:half]) + _tree_sum(parts[half:])


def engine_for(searcher) -> Engine:
    from search.index import cached_on_searcher

    return cached_on_searcher(searcher, "_biopharma_engine", Engine)


__all__ = ["SearchQuery", "SearchResult", "Hit", "Reading", "run_search", "compile_query", "read_params",
           "DEFAULT_PER_PAGE", "MAX_PER_PAGE"]
