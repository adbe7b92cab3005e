"""Exact, disjunctive facet counts (CONTRACTS.md, "The search result")."""
import itertools
import random

import pytest

from tests.search.conftest import facet, ids

pytestmark = pytest.mark.django_db

SEED_SHAPE = [
    # like the five seeds: 2022 en, 2023 en + zh-hant + zh-hans, 2024 en
    {"title": "Industry Week 2023 opens", "body": "Experts met at Zhangjiang Science Hall.", "year": 2023,
     "places": ["zhangjiang-science-hall"], "events": ["shanghai-biopharma-industry-week"], "source": "the-paper",
     "language": "en"},
    {"title": "Industry Week Shanghai 2022 Kicks Off", "body": "The week opened in Zhangjiang.",
     "date": "2022-11-14", "places": ["zhangjiang-science-hall"], "events": ["shanghai-biopharma-industry-week"],
     "source": "pr-newswire", "language": "en"},
    {"title": "2023上海國際生物醫藥產業周即將舉辦", "body": "上千名重量級嘉賓參會。", "date": "2023-10-07",
     "cities": ["shanghai"], "events": ["shanghai-biopharma-industry-week"], "source": "the-paper",
     "language": "zh-hant"},
    {"title": "Baoshan hosts biopharma summit", "body": "Meilan Lake conference.", "year": 2024,
     "districts": ["baoshan"], "events": ["meilan-lake-biopharma-innovation-conference"],
     "source": "shanghai-daily", "language": "en"},
    {"title": "杭州生物医药前沿创新论坛闭幕", "body": "论坛在临平举行。", "date": "2023-04-04",
     "districts": ["linping"], "events": ["hangzhou-biopharma-frontier-innovation-forum"],
     "source": "the-beijing-news", "language": "zh-hans"},
]


@pytest.fixture
def seeds_like(make_articles):
    return make_articles(*SEED_SHAPE)


def test_the_seeds_example_year_and_language_facets(seeds_like, search):
    result = search("")
    assert facet(result, "year") == {"2022": 1, "2023": 3, "2024": 1}
    assert facet(result, "language") == {"en": 3, "zh-hant": 1, "zh-hans": 1}
    assert result.total == 5


def test_facets_are_disjunctive(seeds_like, search):
    a, b, c, d, e = seeds_like
    result = search("", years=["2023"])
    assert set(ids(result)) == {a.id, c.id, e.id}
    # the year facet does not filter itself: the user can widen the selection
    assert facet(result, "year") == {"2022": 1, "2023": 3, "2024": 1}
    assert [v.value for v in result.facets["year"]] == ["2024", "2023", "2022"]
    assert [v.selected for v in result.facets["year"]] == [False, True, False]
    # every other facet is restricted by the year
    assert facet(result, "language") == {"en": 1, "zh-hant": 1, "zh-hans": 1}
    assert facet(result, "event") == {"shanghai-biopharma-industry-week": 2,
                                      "hangzhou-biopharma-frontier-innovation-forum": 1}


def test_values_within_a_facet_or_and_facets_and(seeds_like, search):
    a, b, c, d, e = seeds_like
    result = search("", years=["2022", "2024"])
    assert set(ids(result)) == {b.id, d.id}
    result = search("", years=["2022", "2023"], languages=["en"])
    assert set(ids(result)) == {a.id, b.id}
    assert facet(result, "language") == {"en": 2, "zh-hant": 1, "zh-hans": 1}
    assert facet(result, "year") == {"2022": 1, "2023": 1, "2024": 1}


def test_a_selected_value_stays_listed_at_count_zero(seeds_like, search):
    result = search("", years=["1999"], districts=["haicang"])
    assert result.total == 0
    years = {v.value: v for v in result.facets["year"]}
    assert years["1999"].count == 0 and years["1999"].selected
    districts = {v.value: v for v in result.facets["district"]}
    assert districts["haicang"].count == 0 and districts["haicang"].selected
    assert districts["haicang"].label == "Haicang District"
    # unselected values with nothing to offer are not listed (district=haicang
    # applies to the year facet) ...
    assert "2023" not in years
    # ... but without the district filter the year facet shows what widening gives
    assert facet(search("", years=["1999"]), "year")["2023"] == 3


def test_facet_order_and_labels_in_the_interface_language(seeds_like, search):
    result = search("")
    sources = result.facets["source"]
    assert [v.value for v in sources][:1] == ["the-paper"]  # by count first
    assert [v.count for v in sources] == sorted([v.count for v in sources], reverse=True)
    same_count = [v.label for v in sources if v.count == 1]
    assert same_count == sorted(same_count, key=str.casefold)  # then by label
    labels = {v.value: v.label for v in search("", lang="zh-hans").facets["district"]}
    assert labels["baoshan"] == "宝山区"
    labels = {v.value: v.label for v in search("", lang="zh-hant").facets["district"]}
    assert labels["baoshan"] == "寶山區"
    languages = {v.value: v.label for v in search("", lang="zh-hant").facets["language"]}
    assert languages["zh-hans"] == "簡體中文"
    assert {v.value: v.label for v in search("").facets["district"]}["pudong"] == "Pudong New Area"


def test_a_place_counts_for_its_district_and_city(seeds_like, search):
    result = search("")
    assert facet(result, "district")["pudong"] == 2
    assert facet(result, "city")["shanghai"] == 4
    assert facet(result, "place") == {"zhangjiang-science-hall": 2}


def test_facets_follow_the_query(seeds_like, search):
    result = search("Zhangjiang")
    assert result.total == 2
    assert facet(result, "year") == {"2022": 1, "2023": 1}
    assert facet(result, "source") == {"the-paper": 1, "pr-newswire": 1}


def test_counts_are_exact_against_the_database(make_articles, search):
    from articles.models import Article

    rng = random.Random(7)
    districts = ["pudong", "baoshan", "linping", "xuhui"]
    specs = []
    for i in range(60):
        specs.append({
            "title": f"Report {i} vaccine" if i % 3 else f"Report {i}",
            "body": "text",
            "date": f"{rng.choice([2021, 2022, 2023])}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "districts": rng.sample(districts, rng.randint(0, 2)),
            "language": rng.choice(["en", "zh-hans", "zh-hant"]),
            "status": "draft" if i % 10 == 0 else "published",
        })
    make_articles(*specs)
    published = Article.objects.published()
    for years, langs in itertools.product([[], ["2022"], ["2021", "2023"]], [[], ["en"], ["zh"]]):
        result = search("", years=years, languages=langs)
        qs = published
        if years:
            qs = qs.filter(year__in=[int(y) for y in years])
        if langs:
            qs = qs.filter(language__in=["en"] if langs == ["en"] else ["zh-hans", "zh-hant"])
        assert result.total == qs.count()
        for value, count in facet(result, "district").items():
            assert count == qs.filter(districts__slug=value).count()
        year_qs = published.filter(language__in=["en"] if langs == ["en"] else ["zh-hans", "zh-hant"]) \
            if langs else published
        for value, count in facet(result, "year").items():
            assert count == year_qs.filter(year=int(value)).count()


def test_facet_sets_are_cached_per_searcher_and_renewed_with_the_index(make_articles, search):
    from search.facets import view_for
    from search.index import IndexStore

    make_articles({"title": "One", "body": "x", "date": "2023-01-01"})
    searcher = IndexStore().searcher()
    view = view_for(searcher)
    assert view_for(IndexStore().searcher()) is view
    make_articles({"title": "Two", "body": "x", "date": "2024-01-01"})
    assert view_for(IndexStore().searcher()) is not view
    assert facet(search(""), "year") == {"2023": 1, "2024": 1}


def test_an_updated_or_unpublished_article_changes_the_counts(make_articles, search, django_capture_on_commit_callbacks):
    from articles.models import Article

    a, b = make_articles(
        {"title": "One", "body": "x", "date": "2023-01-01"},
        {"title": "Two", "body": "x", "date": "2023-01-02"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        b.status = Article.Status.HIDDEN
        b.save()
    assert facet(search(""), "year") == {"2023": 1}
