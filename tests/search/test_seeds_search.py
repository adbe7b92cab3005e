"""seeds-expected.md, "What search must do with them": the five real seed
pages imported through `import_articles`, searched through `search --format json`."""
import io
import json

import pytest
from django.core.management import call_command

from articles.models import Article

pytestmark = pytest.mark.django_db


def search_json(*args) -> dict:
    out = io.StringIO()
    call_command("search", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def seeds(seeds_dir, search_env, django_capture_on_commit_callbacks):
    """{'000': article id, …} after importing the seeds (indexed on commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_articles", str(seeds_dir), "--workers", "1", stdout=io.StringIO(),
                     stderr=io.StringIO())
    from search.index import forget_searchers

    forget_searchers()
    by_name = {}
    for article in Article.objects.all():
        by_name[article.origin.rsplit("/", 1)[-1][:3]] = article.id
    assert sorted(by_name) == ["000", "001", "002", "003", "004"]
    return by_name


def found(data) -> set[str]:
    return {r["id"] for r in data["results"]}


def test_script_folding(seeds):
    assert seeds["002"] in found(search_json("生物医药产业周"))
    assert seeds["004"] in found(search_json("生物醫藥"))


def test_zhangjiang_in_both_languages(seeds):
    data = search_json("Zhangjiang")
    assert {seeds["000"], seeds["001"], seeds["002"]} <= found(data)
    trad = next(r for r in data["results"] if r["id"] == seeds["002"])
    assert "<mark>張江</mark>" in trad["snippet_html"]
    data = search_json("张江")
    assert {seeds["000"], seeds["001"], seeds["002"]} <= found(data)
    assert "Zhangjiang" in data["reading"]["expansions"]
    assert "張江" in data["reading"]["variants"]


def test_district_names(seeds):
    assert seeds["003"] in found(search_json("Baoshan"))
    assert seeds["003"] in found(search_json("宝山"))
    assert seeds["004"] in found(search_json("Linping"))


def test_junk_is_not_searchable(seeds):
    assert search_json("corona")["total"] == 0
    assert seeds["004"] not in found(search_json("厦门"))
    assert seeds["004"] not in found(search_json("海沧"))


def test_year_and_language_facets(seeds):
    data = search_json("")
    assert data["total"] == 5
    assert {v["value"]: v["count"] for v in data["facets"]["year"]} == {"2022": 1, "2023": 3, "2024": 1}
    assert {v["value"]: v["count"] for v in data["facets"]["language"]} == {"en": 3, "zh-hant": 1, "zh-hans": 1}


def test_facets_are_disjunctive(seeds):
    data = search_json("", "--year", "2023")
    assert {v["value"]: v["count"] for v in data["facets"]["year"]} == {"2022": 1, "2023": 3, "2024": 1}
    assert {v["value"]: v["count"] for v in data["facets"]["language"]} == {"en": 1, "zh-hant": 1, "zh-hans": 1}
    assert found(data) == {seeds["000"], seeds["002"], seeds["004"]}


def test_filters_by_any_name(seeds):
    for value in ("Pudong", "浦东新区", "浦東", "pudong"):
        assert found(search_json("", "--district", value)) == {seeds["000"], seeds["001"]}, value
    assert found(search_json("", "--event", "上海国际生物医药产业周", "--language", "zh")) == {seeds["002"]}
    assert found(search_json("", "--source", "The Paper")) == {seeds["000"], seeds["002"]}
