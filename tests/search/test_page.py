"""The search page: whole page, or the results partial htmx swaps in."""
import pytest

from articles.models import Article, District

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(django_capture_on_commit_callbacks):
    pudong = District.objects.get(slug="pudong")
    with django_capture_on_commit_callbacks(execute=True):
        a = Article.objects.create(title="张江生物医药新园区开园", body="张江科学城新的生物医药产业园今日开园。",
                                   raw="r", language="zh-hans", year=2023, status="published")
        a.districts.add(pudong)
        b = Article.objects.create(title="Zhangjiang park opens", body="A new biopharma park opened in Zhangjiang.",
                                   raw="r", language="en", year=2024, status="published")
        b.districts.add(pudong)
    return a, b


def test_page_renders_results_facets_and_links(client, articles):
    response = client.get("/", {"q": "Zhangjiang"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and "htmx" in html
    assert "<mark>" in html
    assert 'href="/articles/' in html
    assert "Pudong New Area" in html
    assert "?q=Zhangjiang&amp;district=pudong" in html or "?q=Zhangjiang&district=pudong" in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_htmx_request_gets_only_the_results_partial(client, articles):
    response = client.get("/", {"q": "Zhangjiang"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert "results" in html and "<mark>" in html


def test_selected_facet_is_marked_and_toggles_off(client, articles):
    html = client.get("/", {"q": "", "year": "2023"}).content.decode()
    assert 'aria-current="true"' in html
    assert "1 result" in html


@pytest.mark.parametrize("params", [
    {"page": "-3"}, {"year": "abc"}, {"q": "x" * 3000}, {"q": '"unbalanced'}, {"from": "2023-13-45"},
    {"district": "Atlantis"}, {"q": "*" * 50},
])
def test_bad_parameters_give_a_normal_page_with_a_message(client, articles, params):
    response = client.get("/", params)
    assert response.status_code == 200
    assert 'class="message"' in response.content.decode()


def test_api_and_article_page(client, articles):
    data = client.get("/api/search", {"q": "张江"}).json()
    assert data["total"] == 2
    response = client.get(data["results"][0]["url"])
    assert response.status_code == 200
    assert client.get("/articles/999999/").status_code == 404
