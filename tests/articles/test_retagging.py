"""articles/retagging.py and the gazetteer admin: a gazetteer edit re-tags
exactly the articles it can change, with the current gazetteer, and leaves
what curators corrected alone."""
import pytest
from django.urls import reverse

from articles.models import Article, District, Event, Place
from articles.retagging import affected_articles, articles_for_entities, name_variants, retag
from search.models import PendingIndexChange

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def static_root(settings):
    # WhiteNoise warns (an error under this suite's filterwarnings) when
    # STATIC_ROOT does not exist yet in the test data folder.
    from pathlib import Path

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def fresh_pipeline_context():
    """The pipeline context is cached per process under the gazetteer version,
    which rolls back with each test's transaction: start every test afresh."""
    from articles import gazetteer_data

    gazetteer_data._cache.clear()
    yield
    gazetteer_data._cache.clear()


def make_article(title, paragraphs, **kwargs):
    body = "\n\n".join(paragraphs)
    kwargs.setdefault("language", "en")
    kwargs.setdefault("status", Article.Status.PUBLISHED)
    return Article.objects.create(title=title, body=body, raw=body, **kwargs)


def slugs(manager):
    return sorted(manager.values_list("slug", flat=True))


@pytest.fixture
def town():
    return Place.objects.get(slug="united-imaging-town")


@pytest.fixture
def articles():
    """Two articles that mention a name the gazetteer does not know yet (one in
    traditional script), one that does not, and one a curator tagged."""
    english = make_article(
        "Imaging start-ups move into UIH Smart Town",
        ["Six imaging start-ups moved into UIH Smart Town on Monday, the park's operator said.",
         "The companies make scanners and the software that reads their images."],
    )
    traditional = make_article(
        "聯影智慧小鎮迎來首批影像企業",
        ["首批六家醫學影像企業週一入駐聯影智慧小鎮,園區運營方表示。", "這些企業生產掃描設備和軟件。"],
        language="zh-hant",
    )
    other = make_article(
        "Hangzhou forum looks at gene editing",
        ["Researchers and investors met in Hangzhou on Friday to discuss gene editing.",
         "Speakers said clinical trials of base editing are moving quickly."],
    )
    curated = make_article(
        "A scanner maker raises money",
        ["A maker of CT scanners said on Tuesday it had raised new money from investors.",
         "The company plans to build a second factory."],
    )
    return {"english": english, "traditional": traditional, "other": other, "curated": curated}


# ---------------------------------------------------------------- which articles

def test_name_variants_cover_both_scripts_and_separators():
    variants = name_variants(["联影智慧小镇", "Lin-gang Park"])
    assert {"联影智慧小镇", "聯影智慧小鎮", "Lin-gang Park", "Lin gang Park", "Lin-gang-Park"} <= variants


def test_an_added_alias_affects_the_articles_that_mention_it_in_either_script(town, articles):
    old = set(town.names)
    new = old | {"UIH Smart Town", "联影智慧小镇"}
    affected = affected_articles(old, new, town)
    assert set(affected.values_list("pk", flat=True)) == {articles["english"].pk, articles["traditional"].pk}


def test_unchanged_or_recased_names_affect_nothing(town, articles):
    articles["curated"].places.add(town)
    old = set(town.names)
    assert not affected_articles(old, set(old), town).exists()
    recased = {n.upper() for n in old}
    assert not affected_articles(old, recased, town).exists()


def test_a_removed_name_affects_the_articles_tagged_with_the_entity(town, articles):
    articles["curated"].places.add(town)
    old = set(town.names) | {"UIH Smart Town"}
    affected = affected_articles(old, set(town.names), town)
    assert set(affected.values_list("pk", flat=True)) == {articles["curated"].pk}


def test_a_moved_entity_affects_its_tagged_articles(town, articles):
    articles["curated"].places.add(town)
    names = set(town.names)
    assert not affected_articles(names, names, town).exists()
    affected = affected_articles(names, names, town, hierarchy_changed=True)
    assert set(affected.values_list("pk", flat=True)) == {articles["curated"].pk}


def test_articles_for_entities_mentions_and_tags(town, articles):
    articles["curated"].places.add(town)
    assert set(articles_for_entities([town]).values_list("pk", flat=True)) == {articles["curated"].pk}


# ---------------------------------------------------------------- re-tagging

def test_retag_uses_the_current_gazetteer_and_counts_changes(town, articles):
    assert retag(Article.objects.all()) == 1  # only the Hangzhou article names a known place
    assert slugs(articles["other"].cities) == ["hangzhou"]
    assert slugs(articles["english"].places) == []
    town.aliases = ["UIH Smart Town", "联影智慧小镇"]
    town.save()
    qs = Article.objects.filter(pk__in=[articles["english"].pk, articles["traditional"].pk, articles["other"].pk])
    assert retag(qs) == 2
    for key in ("english", "traditional"):
        a = articles[key]
        assert slugs(a.places) == ["united-imaging-town"]
        assert slugs(a.districts) == ["jiading"]
        assert slugs(a.cities) == ["shanghai"]
    assert retag(qs) == 0  # idempotent


def test_retag_leaves_curated_tags_and_year_alone(town):
    a = make_article(
        "The 2024 Hangzhou Biopharma Frontier Innovation Forum opens in Linping",
        ["The 2024 Hangzhou Biopharma Frontier Innovation Forum opened on Friday in Linping District, Hangzhou.",
         "Speakers discussed gene editing and cell therapy."],
        year=2019,
    )
    ciie = Event.objects.get(slug="ciie")
    a.events.set([ciie])
    a.curated_fields = ["events", "year"]
    a.save()
    assert retag(Article.objects.filter(pk=a.pk)) == 1  # its district and city, not its event or year
    a.refresh_from_db()
    assert slugs(a.events) == ["ciie"]
    assert a.year == 2019
    assert "linping" in slugs(a.districts)
    assert "hangzhou" in slugs(a.cities)

    a.curated_fields = ["events"]
    a.save()
    retag(Article.objects.filter(pk=a.pk))
    a.refresh_from_db()
    assert a.year == 2024
    assert slugs(a.events) == ["ciie"]


def test_retag_keeps_the_parents_of_curated_places():
    a = make_article("A quiet article", ["Nothing in this text names a park, a district or a city at all."])
    a.places.set([Place.objects.get(slug="zhangjiang-science-hall")])
    a.curated_fields = ["places"]
    a.save()
    retag(Article.objects.filter(pk=a.pk))
    assert slugs(a.places) == ["zhangjiang-science-hall"]
    assert slugs(a.districts) == ["pudong"]
    assert slugs(a.cities) == ["shanghai"]


# ---------------------------------------------------------------- through the admin

def place_form(place, **changes):
    data = {
        "slug": place.slug, "name_en": place.name_en, "name_zh_hans": place.name_zh_hans,
        "name_zh_hant": place.name_zh_hant, "aliases": "\n".join(place.aliases),
        "district": place.district_id, "kind": place.kind,
    }
    data.update(changes)
    return data


def test_adding_an_alias_in_the_admin_retags_exactly_the_affected_articles(admin_client, town, articles):
    hall = Place.objects.get(slug="zhangjiang-science-hall")
    articles["curated"].places.add(hall)
    mark = PendingIndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    untouched = {k: Article.objects.get(pk=articles[k].pk).updated_at for k in ("other", "curated")}

    url = reverse("admin:articles_place_change", args=[town.pk])
    response = admin_client.post(url, place_form(town, aliases="UIH Smart Town\n联影智慧小镇\n"), follow=True)

    assert response.status_code == 200
    town.refresh_from_db()
    assert town.aliases == ["UIH Smart Town", "联影智慧小镇"]
    text = response.content.decode()
    assert "Re-tagged 2 of 2 affected articles." in text
    for key in ("english", "traditional"):
        assert slugs(articles[key].places) == ["united-imaging-town"]
        assert slugs(articles[key].districts) == ["jiading"]
    assert slugs(articles["other"].places) == []
    assert slugs(articles["curated"].places) == ["zhangjiang-science-hall"]
    for key, stamp in untouched.items():
        assert Article.objects.get(pk=articles[key].pk).updated_at == stamp
    queued = set(PendingIndexChange.objects.filter(id__gt=mark).values_list("article_id", flat=True))
    assert queued == {articles["english"].pk, articles["traditional"].pk}


def test_removing_an_alias_in_the_admin_untags_articles_that_no_longer_match(admin_client, town, articles):
    town.aliases = ["UIH Smart Town"]
    town.save()
    retag(Article.objects.all())
    assert slugs(articles["english"].places) == ["united-imaging-town"]

    url = reverse("admin:articles_place_change", args=[town.pk])
    response = admin_client.post(url, place_form(town, aliases=""), follow=True)

    assert "Re-tagged 1 of 1 affected article." in response.content.decode()
    assert slugs(articles["english"].places) == []
    assert slugs(articles["english"].districts) == []


def test_moving_a_district_retags_its_articles(admin_client):
    a = make_article("Baoshan opens a cell therapy base", ["A cell therapy base opened in Baoshan on Tuesday, officials said."])
    retag(Article.objects.filter(pk=a.pk))
    assert slugs(a.cities) == ["shanghai"]
    baoshan = District.objects.get(slug="baoshan")
    url = reverse("admin:articles_district_change", args=[baoshan.pk])
    data = {
        "slug": baoshan.slug, "name_en": baoshan.name_en, "name_zh_hans": baoshan.name_zh_hans,
        "name_zh_hant": baoshan.name_zh_hant, "aliases": "\n".join(baoshan.aliases),
        "city": baoshan.city.__class__.objects.get(slug="hangzhou").pk,
    }
    response = admin_client.post(url, data, follow=True)
    assert "Re-tagged 1 of 1 affected article." in response.content.decode()
    assert slugs(a.cities) == ["hangzhou"]


def test_the_changelist_action_retags_articles_mentioning_the_selected_entities(admin_client, town, articles):
    Place.objects.filter(pk=town.pk).update(aliases=["UIH Smart Town", "联影智慧小镇"])  # no signal, no re-tag
    from search.state import GAZETTEER, bump

    bump(GAZETTEER)
    response = admin_client.post(
        reverse("admin:articles_place_changelist"),
        {"action": "retag_affected", "_selected_action": [town.pk], "index": 0},
        follow=True,
    )
    assert "Re-tagged 2 of 2 affected articles." in response.content.decode()
    assert slugs(articles["english"].places) == ["united-imaging-town"]


def test_deleting_an_entity_reindexes_and_retags_its_articles(admin_client):
    event = Event.objects.create(slug="test-expo", name_en="Test Expo", name_zh_hans="测试博览会", name_zh_hant="測試博覽會")
    a = make_article("Test Expo opens", ["The Test Expo opened on Monday with two hundred exhibitors from ten countries."])
    a.events.add(event)
    mark = PendingIndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = admin_client.post(reverse("admin:articles_event_delete", args=[event.pk]), {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert not a.events.exists()
    assert a.pk in set(PendingIndexChange.objects.filter(id__gt=mark).values_list("article_id", flat=True))
