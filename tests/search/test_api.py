"""/api/search and the parameter plumbing shared with the page, the command
and saved searches."""
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.http import QueryDict

from search.params import canonical_query_string, query_from_querydict
from search.query import SearchQuery

pytestmark = pytest.mark.django_db

CONTRACT_KEYS = {"query", "total", "page", "per_page", "sort", "results", "facets", "did_you_mean", "reading",
                 "messages"}
HIT_KEYS = {"id", "title", "title_html", "language", "date", "year", "city", "districts", "events", "source",
            "snippet_html", "score", "url"}
FACET_KEYS = {"year", "city", "district", "event", "language", "source"}


@pytest.fixture
def articles(make_articles):
    return make_articles(
        {"title": "Zhangjiang vaccine plant", "body": "A vaccine plant opened in Zhangjiang.", "date": "2023-10-16",
         "places": ["zhangjiang-science-hall"], "events": ["shanghai-biopharma-industry-week"], "source": "the-paper"},
        {"title": "张江疫苗工厂投产", "body": "张江的疫苗工厂今天投产。", "date": "2022-11-14", "districts": ["pudong"],
         "source": "pr-newswire"},
        {"title": "Baoshan summit", "body": "Biopharma leaders met in Baoshan.", "year": 2024,
         "districts": ["baoshan"], "source": "shanghai-daily"},
    )


def test_api_returns_the_contract_json(client, articles):
    response = client.get("/api/search", {"q": "张江"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "charset=utf-8" in response["Content-Type"]
    assert "张江".encode() in response.content  # UTF-8, not \\u escapes
    data = response.json()
    assert CONTRACT_KEYS <= set(data)
    assert data["query"] == "张江" and data["total"] == 2 and data["page"] == 1 and data["per_page"] == 10
    assert data["sort"] == "relevance"
    assert FACET_KEYS <= set(data["facets"])
    for hit in data["results"]:
        assert HIT_KEYS <= set(hit)
        assert hit["url"] == f"/articles/{hit['id']}/"
        assert isinstance(hit["score"], float)
    for values in data["facets"].values():
        for value in values:
            assert set(value) == {"value", "label", "count", "selected"}
    assert data["reading"] == {"terms": ["张江"], "variants": ["張江"], "expansions": ["Zhangjiang"],
                               "notes": data["reading"]["notes"]}
    assert data["did_you_mean"] is None and data["messages"] == []


def test_api_filters_repeat_and_combine(client, articles):
    a, b, c = articles
    data = client.get("/api/search?q=&district=浦東&district=Baoshan&year=2024").json()
    assert [r["id"] for r in data["results"]] == [c.id]
    assert {v["value"]: v["count"] for v in data["facets"]["year"]} == {"2022": 1, "2023": 1, "2024": 1}
    data = client.get("/api/search", {"language": "zh"}).json()
    assert [r["id"] for r in data["results"]] == [b.id]


def test_api_only_answers_get(client, articles):
    assert client.post("/api/search", {"q": "x"}).status_code == 405


@pytest.mark.parametrize("params", [
    {"q": "vaccine " * 400},
    {"q": "张" * 3000},
    {"q": '"unbalanced OR'},
    {"page": "-3", "per_page": "100000", "year": "abc", "sort": "foo", "from": "2023-13-45", "city": "Atlantis"},
    {"since": "yesterday", "to": "31/12/2023", "lang": "xx", "language": "klingon"},
])
def test_api_bad_parameters_give_messages_never_a_500(client, articles, params):
    response = client.get("/api/search", params)
    assert response.status_code == 200
    data = response.json()
    assert data["messages"]
    assert CONTRACT_KEYS <= set(data)


def test_api_and_command_give_the_same_json(client, articles):
    params = [("q", "vaccine"), ("year", "2023"), ("year", "2022"), ("district", "Pudong"), ("sort", "date"),
              ("lang", "zh-hant"), ("per_page", "5")]
    query = QueryDict(mutable=True)
    for k, v in params:
        query.appendlist(k, v)
    api = client.get("/api/search?" + query.urlencode()).json()
    out = StringIO()
    call_command("search", "vaccine", "--year", "2023", "--year", "2022", "--district", "Pudong", "--sort", "date",
                 "--lang", "zh-hant", "--per-page", "5", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == api
    assert api["total"] == 2


def test_the_search_page_renders(client, articles):
    assert client.get("/", {"q": "张江"}).status_code == 200
    assert client.get("/", {"q": "x" * 3000, "page": "-1"}).status_code == 200


# ------------------------------------------------------------------ parameters

def test_query_from_querydict_reads_every_parameter():
    qd = QueryDict("q=%E5%BC%A0%E6%B1%9F&year=2023&year=2022&city=Shanghai&district=pudong&place=p&event=e"
                   "&language=zh&source=the-paper&from=2023-01-01&to=2023-12-31&since=2026-11-01T00:00:00Z"
                   "&sort=date&page=2&per_page=20&lang=zh-hans")
    q = query_from_querydict(qd)
    assert q.q == "张江" and q.years == ["2023", "2022"] and q.cities == ["Shanghai"]
    assert q.districts == ["pudong"] and q.places == ["p"] and q.events == ["e"]
    assert q.languages == ["zh"] and q.sources == ["the-paper"]
    assert (q.date_from, q.date_to, q.since) == ("2023-01-01", "2023-12-31", "2026-11-01T00:00:00Z")
    assert (q.sort, q.page, q.per_page, q.lang) == ("date", "2", "20", "zh-hans")


def test_canonical_query_string_orders_sorts_and_drops_empty_values():
    q = SearchQuery(q="  张江  vaccine ", years=["2023", "2022", ""], districts=["pudong", "baoshan"],
                    languages=[], sources=["the-paper"], date_from="2023-01-01", date_to="", since="",
                    sort="date", page="2", cities=["shanghai"], events=["x"], places=["p"])
    assert canonical_query_string(q) == (
        "q=%E5%BC%A0%E6%B1%9F+vaccine&year=2022&year=2023&city=shanghai&district=baoshan&district=pudong"
        "&place=p&event=x&source=the-paper&from=2023-01-01&sort=date&page=2")
    assert canonical_query_string(SearchQuery()) == ""
    assert canonical_query_string(SearchQuery(q="x", sort="relevance", page=1)) == "q=x"


def test_canonical_query_string_round_trips():
    q = SearchQuery(q="gene therapy", years=["2024", "2023"], languages=["zh"], since="2026-11-01T00:00:00Z")
    again = query_from_querydict(QueryDict(canonical_query_string(q)))
    assert canonical_query_string(again) == canonical_query_string(q)
