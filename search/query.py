"""The query engine: a SearchQuery in, a SearchResult out (no request objects).

    parse (search.parsing) -> words, phrases, exclusions, OR groups, title:
      -> each word becomes a Whoosh query built from the SAME analyzer as the
         index (search.analysis):
           the word itself        Term(title|body, word) | Phrase(its pieces)
           its other script       automatic: folding puts both on one term
           its expansions         the entity's / glossary term's names in the
                                  other language, boosted lower
           its characters         Phrase(title_chars|chars, characters), lowest
      -> the exact set of matching documents (docs_for_query) intersected with
         the filters' cached bitmaps (search.facets): total and facet counts
      -> one page ranked by Whoosh's BM25F (or by date), highlighted from the
         page's stored texts only (search.snippets)

Nothing raises out of run_search: bad parameters and malformed queries become
messages, and an unexpected failure becomes an empty result with a message.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import math
import re
import time
from dataclasses import dataclass, field

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
        return sub if boost == 1.0 else sub.with_boost(getattr(sub, "boost", 1.0) * boost)
    return wq.Or(subs, boost=boost)


def _terms_query(fields, terms, boost=1.0):
    if not terms:
        return None
    if len(terms) == 1:
        return _either([wq.Term(f, terms[0]) for f in fields], boost)
    return _either([wq.Phrase(f, list(terms)) for f in fields], boost)


class QueryBuilder:
    """Turns clauses into Whoosh queries with the index's own analyzer."""

    def __init__(self, table):
        from search import analysis

        self.table = table
        self.analysis = analysis

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
        terms = [t.text for t in self.analysis.char_terms(text)]
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
    from search.analysis import query_words
    from search.expansion import has_cjk
    from search.snippets import sequence_of

    b = QueryBuilder(table)
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
        out.query = (positives[0] if len(positives) == 1 else wq.And(positives)).normalize()
    if negatives:
        out.exclude = (negatives[0] if len(negatives) == 1 else wq.Or(negatives)).normalize()
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
    from search.index import IndexStore
    from search.vocabulary import ensure_user_words

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
            result.did_you_mean = did_you_mean(searcher, view, parsed, compiled, total)
        except Exception:  # a suggestion is a nicety; never fail the search for it
            logger.exception("did-you-mean failed")
    return result


class Scored:
    """Every matching document with its score, from one pass of the query."""

    def __init__(self, view, ids: np.ndarray, scores: np.ndarray, docs: BitMap):
        self.view = view
        self.ids = ids
        self.scores = scores
        self.docs = docs
        self._by_id = None

    @classmethod
    def run(cls, searcher, view, compiled: Compiled) -> "Scored":
        if compiled.query is not None:
            results = searcher.search(compiled.query, limit=None)
            pairs = list(results.items())
            ids = np.fromiter((d for d, _ in pairs), dtype=np.int64, count=len(pairs))
            scores = np.fromiter((s or 0.0 for _, s in pairs), dtype=np.float64, count=len(pairs))
            docs = BitMap(ids.astype(np.uint32)) & view.live
        else:
            ids = np.zeros(0, dtype=np.int64)
            scores = np.zeros(0, dtype=np.float64)
            docs = view.live
        if compiled.exclude is not None:
            docs = docs - BitMap(searcher.docs_for_query(compiled.exclude))
        return cls(view, ids, scores, docs)

    def best(self, docs: BitMap, start: int, stop: int) -> list[tuple[int, float]]:
        """docs ranked by score (equal scores: newest first), sliced."""
        if not len(self.ids) or not docs:
            return []
        keep = np.fromiter((int(d) in docs for d in self.ids), dtype=bool, count=len(self.ids))
        ids, scores = self.ids[keep], self.scores[keep]
        order = np.lexsort((-ids, -self.view.sort_key[ids], -np.round(scores, 6)))[start:stop]
        return [(int(ids[i]), float(scores[i])) for i in order]

    def score(self, docnum: int) -> float:
        if self._by_id is None:
            self._by_id = dict(zip(self.ids.tolist(), self.scores.tolist()))
        return self._by_id.get(docnum, 0.0)


def matching_docs(searcher, view, compiled: Compiled) -> BitMap:
    """The exact set of live documents the query matches (before filters)."""
    if compiled.query is not None:
        docs = BitMap(searcher.docs_for_query(compiled.query)) & view.live
    else:
        docs = view.live
    if compiled.exclude is not None:
        docs = docs - BitMap(searcher.docs_for_query(compiled.exclude))
    return docs


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


__all__ = ["SearchQuery", "SearchResult", "Hit", "Reading", "run_search", "compile_query", "read_params",
           "DEFAULT_PER_PAGE", "MAX_PER_PAGE"]
