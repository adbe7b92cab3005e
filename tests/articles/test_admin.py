"""The curators' admin: the article list and its bulk actions, the edit page,
uploads, the duplicates page, the gazetteer and glossary forms, and what the
curator group may do. Real database, Django's test client."""
import json
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.importing import import_paths
from articles.models import Article, District, Event, Place, Source
from articles.retagging import retag
from search.models import GlossaryTerm, PendingIndexChange

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:articles_article_changelist"
BODY = (
    "A new antibody plant opened on Monday, giving young drug developers shared clean rooms and "
    "quality-control laboratories.\n\nThe plant can host up to fifteen companies at once."
)
GOOD_TEXT = """Zhangjiang Science Hall hosts biotech investment day

SHANGHAI, May 20, 2024 - More than 300 investors and founders gathered at Zhangjiang Science Hall on Monday for a day of pitches from young drug developers, organisers said.

The event featured presentations from companies working on antibody drugs, cell therapies and diagnostic tools, and a panel on financing conditions for early-stage biotech firms in China.

Organisers said they plan to hold the investment day twice a year and to invite more overseas funds to future editions.
"""
JSONL_GOOD = {
    "title": "Suzhou BioBAY opens an antibody plant",
    "body": "BioBAY in Suzhou Industrial Park opened a new antibody plant on Tuesday, its operator said.\n\n"
            "The plant will make clinical batches for twelve companies.",
    "language": "en",
    "date": "2024-06-04",
}


@pytest.fixture(autouse=True)
def static_root(settings):
    # WhiteNoise warns (an error under this suite's filterwarnings) when
    # STATIC_ROOT does not exist yet in the test data folder.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def fresh_pipeline_context():
    from articles import gazetteer_data

    gazetteer_data._cache.clear()
    yield
    gazetteer_data._cache.clear()


@pytest.fixture
def curator_client(db):
    user = User.objects.create_user("curator", password="not-a-real-password", is_staff=True)
    user.groups.add(Group.objects.get(name="curator"))
    client = Client()
    client.force_login(user)
    return client


def make_article(title="An article", body=BODY, *, status=Article.Status.DRAFT, language="en", **kwargs):
    return Article.objects.create(title=title, body=body, raw=kwargs.pop("raw", body), language=language,
                                  status=status, **kwargs)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def run_action(client, action, articles, **extra):
    data = {"action": action, "_selected_action": [a.pk for a in articles], "index": 0, **extra}
    return client.post(reverse(CHANGELIST), data, follow=True)


def queued_since(mark):
    return set(PendingIndexChange.objects.filter(id__gt=mark).values_list("article_id", flat=True))


def queue_mark():
    return PendingIndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0


def slugs(manager):
    return sorted(manager.values_list("slug", flat=True))


def png_bytes():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00" * 4))
        + chunk(b"IEND", b"")
    )


# ---------------------------------------------------------------- the list

def test_changelist_columns_filters_and_search(admin_client):
    pudong = District.objects.get(slug="pudong")
    week = Event.objects.get(slug="shanghai-biopharma-industry-week")
    paper = Source.objects.get(slug="the-paper")
    a = make_article("Pudong antibody plant opens", year=2024, source=paper, status=Article.Status.PUBLISHED)
    a.districts.add(pudong)
    a.cities.add(pudong.city)
    a.events.add(week)
    make_article("张江新药研发", language="zh-hans", year=2023)

    response = admin_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    cl = response.context["cl"]
    assert list(cl.list_display)[1:] == ["title", "language", "date", "year", "status", "source"]
    text = response.content.decode()
    for heading in ("By language", "By year", "By status", "By cities", "By districts", "By events", "By source"):
        assert heading in text
    assert "Upload files" in text and "Duplicates (0)" in text

    def count(query):
        return admin_client.get(reverse(CHANGELIST) + query).context["cl"].result_count

    assert count("?q=antibody") == 1
    assert count("?language__exact=zh-hans") == 1
    assert count("?year=2024") == 1
    assert count("?status__exact=published") == 1
    assert count(f"?districts__id__exact={pudong.pk}") == 1
    assert count(f"?cities__id__exact={pudong.city_id}") == 1
    assert count(f"?events__id__exact={week.pk}") == 1
    assert count(f"?source__id__exact={paper.pk}") == 1


# ---------------------------------------------------------------- bulk actions

def test_publish_action_reports_and_stamps_once(admin_client):
    drafts = [make_article("one"), make_article("two")]
    published = make_article("three", status=Article.Status.PUBLISHED)
    stamp = published.first_published_at
    mark = queue_mark()

    response = run_action(admin_client, "publish", drafts + [published])

    assert messages_of(response) == ["2 articles published; 1 was already published."]
    for a in drafts:
        a.refresh_from_db()
        assert a.status == "published" and a.first_published_at is not None and a.is_curated("status")
    published.refresh_from_db()
    assert published.first_published_at == stamp
    assert queued_since(mark) == {a.pk for a in drafts}


def test_hide_action(admin_client):
    a = make_article("one", status=Article.Status.PUBLISHED)
    b = make_article("two", status=Article.Status.HIDDEN)
    mark = queue_mark()
    response = run_action(admin_client, "hide", [a, b])
    assert messages_of(response) == ["1 article hidden; 1 was already hidden."]
    a.refresh_from_db()
    assert a.status == "hidden"
    assert queued_since(mark) == {a.pk}


@pytest.mark.parametrize(
    "action, model, slug, before, expected_message",
    [
        ("set_place", Place, "zhangjiang-science-hall", [False, False, True],
         "2 articles tagged with Zhangjiang Science Hall; 1 was already tagged with Zhangjiang Science Hall."),
        ("set_event", Event, "ciie", [False, True, True],
         "1 article tagged with China International Import Expo; 2 were already tagged with China International Import Expo."),
        ("clear_place", Place, "zhangjiang-science-hall", [True, True, False],
         "2 articles no longer tagged with Zhangjiang Science Hall; 1 was not tagged with Zhangjiang Science Hall."),
        ("clear_event", Event, "ciie", [True, False, False],
         "1 article no longer tagged with China International Import Expo; 2 were not tagged with China International Import Expo."),
    ],
)
def test_tag_actions_ask_for_the_entity_then_apply(admin_client, action, model, slug, before, expected_message):
    entity = model.objects.get(slug=slug)
    field = "places" if model is Place else "events"
    articles = [make_article(f"article {i}") for i in range(3)]
    for article, tagged in zip(articles, before):
        if tagged:
            getattr(article, field).add(entity)
            if model is Place:
                article.districts.add(entity.district)
            article.cities.add(entity.district.city if model is Place else entity.city)
    mark = queue_mark()

    # Step 1: the intermediate page asks which place or event.
    page = run_action(admin_client, action, articles)
    assert page.status_code == 200
    assert page.templates[0].name == "admin/articles/article/pick_entity.html"
    text = page.content.decode()
    assert 'name="entity"' in text and f'value="{action}"' in text
    assert all(f'value="{a.pk}"' in text for a in articles)
    assert not queued_since(mark)

    # Step 2: apply.
    response = run_action(admin_client, action, articles, apply="Apply", entity=entity.pk)
    assert messages_of(response) == [expected_message]
    adding = action.startswith("set_")
    changed = {a.pk for a, tagged in zip(articles, before) if tagged != adding}
    for article in articles:
        assert getattr(article, field).filter(pk=entity.pk).exists() == adding
        article.refresh_from_db()
        assert article.is_curated(field) == (article.pk in changed)
    assert queued_since(mark) == changed


def test_tag_action_without_a_choice_shows_the_form_again(admin_client):
    a = make_article("one")
    response = run_action(admin_client, "set_place", [a], apply="Apply", entity="")
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not a.places.exists()


def test_tag_action_on_every_matching_article(admin_client):
    articles = [make_article(f"article {i}") for i in range(3)]
    hall = Place.objects.get(slug="zhangjiang-science-hall")
    # "Select all 3": the page's boxes are checked and select_across is set.
    data = {"action": "set_place", "select_across": "1", "index": 0, "_selected_action": [articles[0].pk]}
    page = admin_client.post(reverse(CHANGELIST), data)
    assert "3 selected articles" in page.content.decode()
    data.update({"apply": "Apply", "entity": hall.pk})
    response = admin_client.post(reverse(CHANGELIST), data, follow=True)
    assert messages_of(response) == ["3 articles tagged with Zhangjiang Science Hall."]


def test_retag_action(admin_client):
    a = make_article(GOOD_TEXT.splitlines()[0], "\n\n".join(GOOD_TEXT.split("\n\n")[1:]))
    b = make_article("Nothing here", "A text that names no place, no district and no event at all, at any length.")
    response = run_action(admin_client, "retag_articles", [a, b])
    assert messages_of(response) == ["2 articles re-tagged; 1 changed, 1 unchanged."]
    assert slugs(a.places) == ["zhangjiang-science-hall"]


def test_mark_duplicate_of_action(admin_client):
    original = make_article("original", status=Article.Status.PUBLISHED)
    a, b = make_article("a"), make_article("b")
    page = run_action(admin_client, "mark_duplicate_of", [a, b])
    assert 'name="original"' in page.content.decode()
    response = run_action(admin_client, "mark_duplicate_of", [a, b], apply="Apply", original=original.pk)
    assert messages_of(response) == [f"2 articles marked as duplicates of #{original.pk}."]
    a.refresh_from_db()
    assert (a.status, a.duplicate_of_id) == ("duplicate", original.pk)


# ---------------------------------------------------------------- the edit page

def article_form_data(article, **changes):
    data = {
        "title": article.title, "language": article.language, "status": article.status,
        "date": article.date.isoformat() if article.date else "", "year": article.year or "",
        "source": article.source_id or "", "source_url": article.source_url or "",
        "duplicate_of": article.duplicate_of_id or "", "body": article.body,
        "cities": [x.pk for x in article.cities.all()], "districts": [x.pk for x in article.districts.all()],
        "places": [x.pk for x in article.places.all()], "events": [x.pk for x in article.events.all()],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != []}


def test_edit_page_shows_raw_beside_body_and_the_import_record(admin_client):
    a = make_article(
        "An <b>edited</b> title", raw="<nav>Home</nav>\nAn edited title\n" + BODY, removed_junk="Home | News",
        curated_fields=["title"],
    )
    response = admin_client.get(reverse("admin:articles_article_change", args=[a.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "side-by-side" in text
    assert '<pre class="raw-input" lang="en">&lt;nav&gt;Home&lt;/nav&gt;' in text
    assert "Home | News" in text
    assert "Curated fields" in text and "Re-imports and re-tags leave these fields alone." in text
    body_at = text.index('name="body"')
    raw_at = text.index('class="raw-input"')
    assert abs(raw_at - body_at) < 5000  # in the same row


def test_a_curators_edits_are_recorded(admin_client):
    a = make_article("Original title", status=Article.Status.PUBLISHED, year=2023)
    hall = Place.objects.get(slug="zhangjiang-science-hall")
    url = reverse("admin:articles_article_change", args=[a.pk])
    response = admin_client.post(url, article_form_data(a, title="Corrected title", places=[hall.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    a.refresh_from_db()
    assert a.title == "Corrected title"
    # The place brings its district and city (a place belongs to a district).
    assert slugs(a.districts) == ["pudong"] and slugs(a.cities) == ["shanghai"]
    assert set(a.curated_fields) == {"title", "places", "districts", "cities"}
    # Saving again without changes records nothing more.
    admin_client.post(url, article_form_data(a))
    a.refresh_from_db()
    assert set(a.curated_fields) == {"title", "places", "districts", "cities"}


def test_a_curated_tag_survives_reimport_and_retag(admin_client, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")
    (outcome,) = list(import_paths([path], workers=1))
    assert outcome.status == "imported", outcome.line()
    a = Article.objects.get(pk=outcome.article_id)
    assert slugs(a.places) == ["zhangjiang-science-hall"]

    # The curator removes the place and adds an event the text does not name.
    ciie = Event.objects.get(slug="ciie")
    url = reverse("admin:articles_article_change", args=[a.pk])
    response = admin_client.post(url, article_form_data(a, places=[], events=[ciie.pk], year=2025))
    assert response.status_code == 302
    a.refresh_from_db()
    assert {"places", "events", "year"} <= set(a.curated_fields)

    (again,) = list(import_paths([path], workers=1))
    assert again.article_id == a.pk and again.status in ("unchanged", "updated")
    a.refresh_from_db()
    assert slugs(a.places) == [] and slugs(a.events) == ["ciie"] and a.year == 2025

    retag(Article.objects.filter(pk=a.pk))
    a.refresh_from_db()
    assert slugs(a.places) == [] and slugs(a.events) == ["ciie"] and a.year == 2025
    assert "pudong" in slugs(a.districts)  # not curated: still the tagger's


# ---------------------------------------------------------------- uploads

UPLOAD = "admin:articles_article_upload"


def outcome_lines(response):
    text = response.content.decode()
    items = re.findall(r'<li class="(\w+)"><span class="status">\w+</span> (.*?)</li>', text, re.S)
    return [(status, re.sub(r"<[^>]+>", "", rest).strip()) for status, rest in items]


def test_upload_reports_each_article_and_the_summary(admin_client):
    records = json.dumps(JSONL_GOOD) + "\n" + '{"title": "broken", "body": \n'
    files = [
        SimpleUploadedFile("good story.txt", GOOD_TEXT.encode("utf-8")),
        SimpleUploadedFile("records.jsonl", records.encode("utf-8")),
        SimpleUploadedFile("picture.txt", png_bytes()),
    ]
    response = admin_client.post(reverse(UPLOAD), {"files": files})

    assert response.status_code == 200
    lines = outcome_lines(response)
    assert [(s, o.split(" ")[0]) for s, o in lines] == [
        ("imported", "good_story.txt"),
        ("imported", "records.jsonl:1"),
        ("rejected", "records.jsonl:2"),
        ("rejected", "picture.txt"),
    ]
    assert "not valid JSON" in lines[2][1]
    text = response.content.decode()
    assert "imported 2, updated 0, unchanged 0, duplicate 0, rejected 2" in text
    assert "2 inputs rejected" in text
    assert Article.objects.count() == 2
    story = Article.objects.get(title__startswith="Zhangjiang Science Hall")
    assert story.status == "published"
    assert f'href="{reverse("admin:articles_article_change", args=[story.pk])}"' in text
    # The temporary folder is gone.
    from django.conf import settings

    assert not any((Path(settings.DATA_DIR) / "uploads").glob("upload-*"))

    # The same files again: nothing changes.
    files = [SimpleUploadedFile("good story.txt", GOOD_TEXT.encode("utf-8"))]
    again = admin_client.post(reverse(UPLOAD), {"files": files})
    assert outcome_lines(again) == [("unchanged", f"good_story.txt id={story.pk}")]


def test_upload_as_drafts_and_dry_run(admin_client):
    files = [SimpleUploadedFile("story.txt", GOOD_TEXT.encode("utf-8"))]
    response = admin_client.post(reverse(UPLOAD), {"files": files, "dry_run": "on"})
    assert outcome_lines(response) == [("imported", "story.txt")]
    assert "Dry run: nothing was saved" in response.content.decode()
    assert Article.objects.count() == 0

    files = [SimpleUploadedFile("story.txt", GOOD_TEXT.encode("utf-8"))]
    response = admin_client.post(reverse(UPLOAD), {"files": files, "draft": "on"})
    assert outcome_lines(response)[0][0] == "imported"
    assert Article.objects.get().status == "draft"


def test_an_oversize_upload_is_rejected_not_an_error(admin_client, settings):
    settings.IMPORT_MAX_BYTES = 200
    files = [
        SimpleUploadedFile("big.txt", GOOD_TEXT.encode("utf-8")),
        SimpleUploadedFile("big.jsonl", (json.dumps(JSONL_GOOD) + "\n").encode("utf-8")),
    ]
    response = admin_client.post(reverse(UPLOAD), {"files": files})
    assert response.status_code == 200
    lines = outcome_lines(response)
    assert [s for s, _ in lines] == ["rejected", "rejected"]
    assert "over the" in lines[0][1] and "limit" in lines[0][1]
    assert lines[1][1].startswith("big.jsonl:1 ")  # JSON Lines: the limit is per record
    assert Article.objects.count() == 0


def test_upload_names_are_sanitised(admin_client):
    files = [
        SimpleUploadedFile("../../etc/evil name.txt", GOOD_TEXT.encode("utf-8")),
        SimpleUploadedFile("报道.txt", GOOD_TEXT.replace("Monday", "Tuesday").encode("utf-8")),
    ]
    response = admin_client.post(reverse(UPLOAD), {"files": files})
    origins = [o.split(" ")[0] for _, o in outcome_lines(response)]
    assert origins == ["evil_name.txt", "报道.txt"]


def test_upload_page_without_files_shows_the_form_again(admin_client):
    response = admin_client.post(reverse(UPLOAD), {})
    assert response.status_code == 200
    assert "Choose one or more files to import." in response.content.decode()
    page = admin_client.get(reverse(UPLOAD))
    assert 'type="file"' in page.content.decode() and "multiple" in page.content.decode()


def test_upload_needs_the_add_permission(db):
    user = User.objects.create_user("viewer", password="x", is_staff=True)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client = Client()
    client.force_login(user)
    assert client.get(reverse(CHANGELIST)).status_code == 200
    assert "Upload files" not in client.get(reverse(CHANGELIST)).content.decode()
    assert client.get(reverse(UPLOAD)).status_code == 403
    assert client.get(reverse("admin:articles_article_duplicates")).status_code == 403


# ---------------------------------------------------------------- duplicates

DUPLICATES = "admin:articles_article_duplicates"


@pytest.fixture
def pair():
    original = make_article("Plant opens in <Pudong>", BODY, status=Article.Status.PUBLISHED)
    dup = make_article(
        "Plant opens in <Pudong> <script>alert(1)</script>", BODY + "\n\nReprinted from another site.",
        status=Article.Status.DUPLICATE, duplicate_of=original,
    )
    other = make_article("Plant opens", BODY, status=Article.Status.DUPLICATE, duplicate_of=original)
    return original, dup, other


def test_duplicates_page_shows_each_pair_with_escaped_diffs(admin_client, pair):
    original, dup, other = pair
    response = admin_client.get(reverse(DUPLICATES))
    assert response.status_code == 200
    text = response.content.decode()
    assert f'id="dup-{dup.pk}"' in text and f'id="dup-{other.pk}"' in text
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;" in text
    assert "Reprinted" in text and 'class="diff"' in text
    assert "csrfmiddlewaretoken" in text
    # Looking changes nothing.
    dup.refresh_from_db()
    assert dup.curated_fields == []


def test_confirm_split_and_swap(admin_client, pair):
    original, dup, other = pair
    url = reverse(DUPLICATES)

    response = admin_client.post(url, {"article": other.pk, "decision": "confirm"}, follow=True)
    assert messages_of(response) == [f"#{other.pk} confirmed as a duplicate of #{original.pk}."]
    other.refresh_from_db()
    assert other.status == "duplicate" and {"status", "duplicate_of"} <= set(other.curated_fields)
    assert "(confirmed)" in response.content.decode()

    response = admin_client.post(url, {"article": dup.pk, "decision": "swap"}, follow=True)
    assert f"#{dup.pk} is now the original" in messages_of(response)[0]
    for a in (original, dup, other):
        a.refresh_from_db()
    assert (dup.status, dup.duplicate_of_id) == ("published", None)
    assert (original.status, original.duplicate_of_id) == ("duplicate", dup.pk)
    assert other.duplicate_of_id == dup.pk

    response = admin_client.post(url, {"article": original.pk, "decision": "split"}, follow=True)
    assert messages_of(response) == [f"#{original.pk} published as its own article."]
    original.refresh_from_db()
    assert (original.status, original.duplicate_of_id) == ("published", None)
    assert original.is_curated("duplicate_of")


def test_duplicate_decisions_need_post_csrf_and_permission(pair, admin_user):
    original, dup, other = pair
    url = reverse(DUPLICATES)
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.post(url, {"article": dup.pk, "decision": "split"}).status_code == 403
    dup.refresh_from_db()
    assert dup.status == "duplicate"
    # A GET with the same parameters changes nothing.
    client.get(url, {"article": dup.pk, "decision": "split"})
    dup.refresh_from_db()
    assert dup.status == "duplicate"

    viewer = User.objects.create_user("viewer", password="x", is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    plain = Client()
    plain.force_login(viewer)
    assert plain.post(url, {"article": dup.pk, "decision": "split"}).status_code == 403


def test_a_decision_on_an_article_that_is_no_duplicate_is_refused(admin_client):
    a = make_article("a", status=Article.Status.PUBLISHED)
    response = admin_client.post(reverse(DUPLICATES), {"article": a.pk, "decision": "swap"}, follow=True)
    assert messages_of(response) == [f"Article #{a.pk} is not a duplicate any more."]
    assert admin_client.post(reverse(DUPLICATES), {"article": 999999, "decision": "swap"}).status_code == 404


# ---------------------------------------------------------------- the gazetteer and the glossary

def test_alias_lists_are_edited_one_a_line(admin_client):
    town = Place.objects.get(slug="united-imaging-town")
    url = reverse("admin:articles_place_change", args=[town.pk])
    hall = Place.objects.get(slug="zhangjiang-science-hall")
    page = admin_client.get(reverse("admin:articles_place_change", args=[hall.pk])).content.decode()
    assert "Shanghai Zhangjiang Science Hall\nZhangjiang Science Center Hall\n" in page  # a textarea, one a line

    base = {"slug": town.slug, "name_en": town.name_en, "name_zh_hans": town.name_zh_hans,
            "name_zh_hant": town.name_zh_hant, "district": town.district_id, "kind": town.kind}
    admin_client.post(url, {**base, "aliases": "  UIH Town \n\n联影小鎮\nUIH Town\n"})
    town.refresh_from_db()
    assert town.aliases == ["UIH Town", "联影小鎮"]
    # A JSON list pasted in is read as a list.
    admin_client.post(url, {**base, "aliases": '["UIH Smart Town", "Lianying Town"]'})
    town.refresh_from_db()
    assert town.aliases == ["UIH Smart Town", "Lianying Town"]
    # A form with an error shows back exactly what was typed.
    typed = "First alias\nSecond, with a comma\n"
    response = admin_client.post(url, {**base, "name_en": "", "aliases": typed})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name_en"]
    assert typed.rstrip("\n") in response.content.decode()
    town.refresh_from_db()
    assert town.aliases == ["UIH Smart Town", "Lianying Town"]


def test_source_list_filters_needs_review_and_edits_domains(admin_client):
    Source.objects.create(slug="new-outlet", name_en="New Outlet", name_zh_hans="新媒体", name_zh_hant="新媒體",
                          needs_review=True)
    response = admin_client.get(reverse("admin:articles_source_changelist") + "?needs_review__exact=1")
    assert response.context["cl"].result_count == 1
    source = Source.objects.get(slug="new-outlet")
    url = reverse("admin:articles_source_change", args=[source.pk])
    data = {"slug": source.slug, "name_en": source.name_en, "name_zh_hans": source.name_zh_hans,
            "name_zh_hant": source.name_zh_hant, "aliases": "", "domains": "newoutlet.cn\nm.newoutlet.cn",
            "signatures": "Source: New Outlet", "needs_review": ""}
    assert admin_client.post(url, data).status_code == 302
    source.refresh_from_db()
    assert source.domains == ["newoutlet.cn", "m.newoutlet.cn"]
    assert source.signatures == ["Source: New Outlet"]
    assert source.needs_review is False


def test_glossary_admin(admin_client):
    term = GlossaryTerm.objects.create(en="test antibody", zh_hans="测试抗体", zh_hant="測試抗體",
                                       en_aliases=["test mAb"], category="modality")
    changelist = reverse("admin:search_glossaryterm_changelist")
    response = admin_client.get(changelist, {"q": "测试抗体"})
    assert response.status_code == 200 and response.context["cl"].result_count == 1
    assert admin_client.get(changelist, {"q": "test antibody"}).context["cl"].result_count == 1
    assert "By category" in admin_client.get(changelist).content.decode()
    url = reverse("admin:search_glossaryterm_change", args=[term.pk])
    data = {"en": term.en, "zh_hans": term.zh_hans, "zh_hant": term.zh_hant, "en_aliases": "test mAb\ntest MAB",
            "zh_aliases": "测试单抗", "category": "modality"}
    assert admin_client.post(url, data).status_code == 302
    term.refresh_from_db()
    assert term.en_aliases == ["test mAb", "test MAB"] and term.zh_aliases == ["测试单抗"]


# ---------------------------------------------------------------- the curator group

def test_curator_group_has_exactly_the_curation_permissions():
    group = Group.objects.get(name="curator")
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("articles", "change_article") in codenames
    assert ("articles", "delete_article") not in codenames
    assert ("search", "change_glossaryterm") in codenames
    assert ("articles", "delete_place") in codenames
    assert not {c for c in codenames if c[0] in ("auth", "contenttypes", "sessions", "admin")}


def test_curator_can_curate_but_not_manage_users(curator_client):
    assert curator_client.get(reverse(CHANGELIST)).status_code == 200
    assert curator_client.get(reverse(UPLOAD)).status_code == 200
    assert curator_client.get(reverse(DUPLICATES)).status_code == 200
    assert curator_client.get("/admin/auth/user/").status_code == 403
    assert curator_client.get("/admin/auth/group/").status_code == 403
    assert curator_client.get("/admin/auth/user/add/").status_code == 403
    hall = Place.objects.get(slug="zhangjiang-science-hall")
    assert curator_client.get(reverse("admin:articles_place_change", args=[hall.pk])).status_code == 200
    assert curator_client.get(reverse("admin:search_glossaryterm_changelist")).status_code == 200
    a = make_article("a")
    assert curator_client.get(reverse("admin:articles_article_delete", args=[a.pk])).status_code == 403
    response = run_action(curator_client, "publish", [a])
    assert messages_of(response) == ["1 article published."]
    files = [SimpleUploadedFile("story.txt", GOOD_TEXT.encode("utf-8"))]
    assert outcome_lines(curator_client.post(reverse(UPLOAD), {"files": files}))[0][0] == "imported"


def test_entity_search_and_article_autocomplete_find_aliases(curator_client):
    changelist = reverse("admin:articles_place_changelist")
    response = curator_client.get(changelist, {"q": "\"Zhangjiang Pharma Valley\""})
    assert [p.slug for p in response.context["cl"].result_list] == ["zhangjiang-hi-tech-park"]
    response = curator_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "places", "term": "Science Hall"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Zhangjiang Science Hall"]


def test_deleting_a_source_reindexes_its_articles(admin_client):
    source = Source.objects.create(slug="gone", name_en="Gone Daily", name_zh_hans="消失日报", name_zh_hant="消失日報")
    a = make_article("a", source=source, status=Article.Status.PUBLISHED)
    mark = queue_mark()
    admin_client.post(reverse("admin:articles_source_delete", args=[source.pk]), {"post": "yes"})
    a.refresh_from_db()
    assert a.source is None
    assert a.pk in queued_since(mark)


def test_the_edit_form_keeps_duplicate_links_consistent(admin_client):
    a = make_article("a", status=Article.Status.PUBLISHED)
    url = reverse("admin:articles_article_change", args=[a.pk])
    for changes, field in (
        ({"status": "duplicate"}, "duplicate_of"),
        ({"status": "duplicate", "duplicate_of": a.pk}, "duplicate_of"),
    ):
        response = admin_client.post(url, article_form_data(a, **changes))
        assert response.status_code == 200
        assert field in response.context["adminform"].form.errors
    other = make_article("other", status=Article.Status.PUBLISHED)
    response = admin_client.post(url, article_form_data(a, duplicate_of=other.pk))
    assert "status" in response.context["adminform"].form.errors
    response = admin_client.post(url, article_form_data(a, status="duplicate", duplicate_of=other.pk))
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.duplicate_of_id) == ("duplicate", other.pk)
    assert {"status", "duplicate_of"} <= set(a.curated_fields)


def test_entity_search_reads_any_script(curator_client):
    changelist = reverse("admin:articles_place_changelist")
    response = curator_client.get(changelist, {"q": "臨港生命蓝湾"})  # mixed scripts
    assert [p.slug for p in response.context["cl"].result_list] == ["life-science-blue-bay"]
    response = curator_client.get(reverse("admin:articles_district_changelist"), {"q": "浦東"})
    assert [d.slug for d in response.context["cl"].result_list] == ["pudong"]
