"""Fixtures for the search tests: a real on-disk Whoosh index in a temporary
folder per test, real database rows, and helpers to create tagged articles.

Articles reach the index the way they do in production: a save queues an
index change, and the change is applied after the transaction commits
(pytest-django's django_capture_on_commit_callbacks runs those callbacks).

Django is imported inside the fixtures only, so pure modules in this folder
(test_glossary_data.py) still run with `-p no:django`.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest


@pytest.fixture
def search_env(settings, tmp_path):
    """A fresh, empty index folder for this test, and no cached searcher,
    expansion table or name book left over from another test. The process's
    segmenter is put back afterwards: searching and indexing load the
    gazetteer's user words into it, and pure analyzer tests expect none."""
    from search import expansion, segmenter
    from search.index import IndexStore, forget_searchers

    saved_segmenter = segmenter._current

    settings.SEARCH_BACKEND = {**settings.SEARCH_BACKEND, "PATH": tmp_path / "index"}
    forget_searchers()
    expansion.clear_cache()
    # An empty served index from the start, as on a deployed site.
    IndexStore().open()
    yield tmp_path / "index"
    forget_searchers()
    expansion.clear_cache()
    segmenter._current = saved_segmenter


def _guess_language(text: str) -> str:
    import opencc

    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    if cjk < len(text.split()) // 2 or cjk == 0:
        return "en"
    t2s = opencc.OpenCC("t2s").convert(text)
    s2t = opencc.OpenCC("s2t").convert(text)
    changed_t2s = sum(a != b for a, b in zip(text, t2s))
    changed_s2t = sum(a != b for a, b in zip(text, s2t))
    return "zh-hant" if changed_t2s > changed_s2t else "zh-hans"


def _create(spec: dict):
    from articles.models import Article, City, District, Event, Place, Source

    spec = dict(spec)
    title = spec.pop("title")
    body = spec.pop("body", "")
    language = spec.pop("language", None) or _guess_language(title + body)
    date = spec.pop("date", None)
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    year = spec.pop("year", None) or (date.year if date else None)
    source = spec.pop("source", None)
    status = spec.pop("status", Article.Status.PUBLISHED)
    first_published_at = spec.pop("first_published_at", None)
    places = [Place.objects.get(slug=s) for s in spec.pop("places", ())]
    districts = [District.objects.get(slug=s) for s in spec.pop("districts", ())]
    districts += [p.district for p in places if p.district not in districts]
    cities = [City.objects.get(slug=s) for s in spec.pop("cities", ())]
    cities += [d.city for d in districts if d.city not in cities]
    events = [Event.objects.get(slug=s) for s in spec.pop("events", ())]
    assert not spec, f"unknown article fields: {sorted(spec)}"
    article = Article(
        title=title, body=body, raw=title + "\n\n" + body, language=language, date=date, year=year,
        source=Source.objects.get(slug=source) if source else None, status=status,
    )
    if first_published_at is not None:
        article.first_published_at = first_published_at
    article.save()
    for name, values in (("cities", cities), ("districts", districts), ("places", places), ("events", events)):
        if values:
            getattr(article, name).add(*values)
    return article


@pytest.fixture
def make_articles(db, search_env, django_capture_on_commit_callbacks):
    """make_articles(dict, dict, …) -> [Article]: saved, tagged and indexed.

    A dict holds title, body and optionally language (guessed when missing),
    date ('2023-10-07'), year, source (slug), cities / districts / places /
    events (slugs; a place adds its district and city, a district its city),
    status and first_published_at."""
    from search.index import forget_searchers

    def make(*specs):
        with django_capture_on_commit_callbacks(execute=True):
            articles = [_create(spec) for spec in specs]
        forget_searchers()
        return articles

    return make


@pytest.fixture
def make_article(make_articles):
    def make(title, body="", **fields):
        return make_articles({"title": title, "body": body, **fields})[0]

    return make


@pytest.fixture
def search(search_env, db):
    """search("query", year=[...], ...) -> SearchResult, through run_search."""
    from search.query import SearchQuery, run_search

    def run(q="", **kwargs):
        for key in ("years", "cities", "districts", "places", "events", "languages", "sources"):
            if key in kwargs and isinstance(kwargs[key], (str, int)):
                kwargs[key] = [kwargs[key]]
        return run_search(SearchQuery(q=q, **kwargs))

    return run


def ids(result) -> list[int]:
    return [hit.id for hit in result.hits]


def facet(result, name) -> dict[str, int]:
    return {v.value: v.count for v in result.facets[name]}


def as_json(text: str) -> dict:
    return json.loads(text)
