"""articles/curation.py: the operations behind the admin's bulk actions and the
duplicates page. Each returns how many articles changed, records the
curator's decision and queues index updates for exactly the changed articles."""
import datetime as dt

import pytest
from django.utils import timezone

from articles import curation
from articles.models import Article, City, District, Event, Place
from search.models import PendingIndexChange

pytestmark = pytest.mark.django_db

BODY = (
    "A new antibody plant opened on Monday, giving young drug developers shared clean rooms and "
    "quality-control laboratories.\n\nThe plant can host up to fifteen companies at once."
)


def make_article(title="An article", body=BODY, *, status=Article.Status.DRAFT, language="en", **kwargs):
    return Article.objects.create(title=title, body=body, raw=body, language=language, status=status, **kwargs)


class Queue:
    """Which articles got an index update queued since the last `mark()`."""

    def __init__(self):
        self.mark()

    def mark(self):
        self.start = PendingIndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def __call__(self):
        return set(PendingIndexChange.objects.filter(id__gt=self.start).values_list("article_id", flat=True))


@pytest.fixture
def queue():
    return Queue()


def ids(qs):
    return set(qs.values_list("pk", flat=True))


# ---------------------------------------------------------------- publish / hide

def test_publish_counts_changed_articles_and_stamps_first_publication_once(queue):
    earlier = timezone.now().replace(microsecond=0) - dt.timedelta(days=30)
    draft = make_article("draft")
    hidden = make_article("hidden, published before", status=Article.Status.HIDDEN)
    Article.objects.filter(pk=hidden.pk).update(first_published_at=earlier)
    published = make_article("published", status=Article.Status.PUBLISHED)
    stamp = published.first_published_at
    assert stamp is not None
    queue.mark()

    changed = curation.publish(Article.objects.filter(pk__in=[draft.pk, hidden.pk, published.pk]))

    assert changed == 2
    draft.refresh_from_db()
    hidden.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == hidden.status == Article.Status.PUBLISHED
    assert draft.first_published_at is not None
    assert hidden.first_published_at == earlier  # never reset
    assert published.first_published_at == stamp
    assert draft.is_curated("status") and hidden.is_curated("status")
    assert not published.is_curated("status")  # nothing changed there
    assert queue() == {draft.pk, hidden.pk}


def test_publishing_a_duplicate_makes_it_its_own_article():
    original = make_article("original", status=Article.Status.PUBLISHED)
    dup = make_article("dup", status=Article.Status.DUPLICATE, duplicate_of=original)
    assert curation.publish(Article.objects.filter(pk=dup.pk)) == 1
    dup.refresh_from_db()
    assert dup.status == Article.Status.PUBLISHED and dup.duplicate_of is None
    assert dup.is_curated("duplicate_of")


def test_hide(queue):
    a = make_article("a", status=Article.Status.PUBLISHED)
    b = make_article("b", status=Article.Status.HIDDEN)
    stamp = a.first_published_at
    queue.mark()
    assert curation.hide(Article.objects.filter(pk__in=[a.pk, b.pk])) == 1
    a.refresh_from_db()
    assert a.status == Article.Status.HIDDEN and a.is_curated("status")
    assert a.first_published_at == stamp
    assert a.pk in queue() and b.pk not in queue()


def test_bulk_update_touches_updated_at():
    a = make_article("a")
    before = a.updated_at
    Article.objects.filter(pk=a.pk).update(updated_at=before - dt.timedelta(hours=1))
    curation.publish(Article.objects.filter(pk=a.pk))
    a.refresh_from_db()
    assert a.updated_at > before - dt.timedelta(hours=1)


# ---------------------------------------------------------------- tags

def test_set_place_tags_its_district_and_city_too(queue):
    hall = Place.objects.get(slug="zhangjiang-science-hall")
    a, b = make_article("a"), make_article("b")
    b.places.add(hall)
    b.districts.add(hall.district)
    b.cities.add(hall.district.city)
    queue.mark()

    changed = curation.set_place(Article.objects.filter(pk__in=[a.pk, b.pk]), hall)

    assert changed == 1
    assert ids(a.places.all()) == {hall.pk}
    assert ids(a.districts.all()) == {District.objects.get(slug="pudong").pk}
    assert ids(a.cities.all()) == {City.objects.get(slug="shanghai").pk}
    a.refresh_from_db()
    assert {"places", "districts", "cities"} <= set(a.curated_fields)
    b.refresh_from_db()
    assert b.curated_fields == []
    assert queue() == {a.pk}


def test_clear_place_keeps_the_district():
    hall = Place.objects.get(slug="zhangjiang-science-hall")
    a, b = make_article("a"), make_article("b")
    a.places.add(hall)
    a.districts.add(hall.district)
    assert curation.clear_place(Article.objects.filter(pk__in=[a.pk, b.pk]), hall) == 1
    assert not a.places.exists()
    assert a.districts.filter(slug="pudong").exists()
    a.refresh_from_db()
    assert a.curated_fields == ["places"]


def test_set_and_clear_an_event():
    week = Event.objects.get(slug="shanghai-biopharma-industry-week")
    a = make_article("a")
    assert curation.set_event(Article.objects.filter(pk=a.pk), week) == 1
    assert a.events.filter(pk=week.pk).exists()
    assert a.cities.filter(slug="shanghai").exists()  # an event's city is part of what it is
    assert curation.set_event(Article.objects.filter(pk=a.pk), week) == 0
    assert curation.clear_event(Article.objects.filter(pk=a.pk), week) == 1
    assert not a.events.exists()
    a.refresh_from_db()
    assert {"events", "cities"} <= set(a.curated_fields)


# ---------------------------------------------------------------- duplicates

def test_mark_duplicates_points_everything_at_the_root():
    root = make_article("root", status=Article.Status.PUBLISHED)
    a = make_article("a", status=Article.Status.PUBLISHED)
    follower = make_article("follows a", status=Article.Status.DUPLICATE, duplicate_of=a)
    changed = curation.mark_duplicates(Article.objects.filter(pk__in=[root.pk, a.pk]), root)
    assert changed == 1  # the root is never its own duplicate
    a.refresh_from_db()
    follower.refresh_from_db()
    assert (a.status, a.duplicate_of_id) == (Article.Status.DUPLICATE, root.pk)
    assert follower.duplicate_of_id == root.pk
    root.refresh_from_db()
    assert root.status == Article.Status.PUBLISHED


def test_confirm_records_the_decision():
    original = make_article("original", status=Article.Status.PUBLISHED)
    dup = make_article("dup", status=Article.Status.DUPLICATE, duplicate_of=original)
    assert curation.confirm_duplicate(dup) == 1
    dup.refresh_from_db()
    assert dup.status == Article.Status.DUPLICATE and dup.duplicate_of_id == original.pk
    assert {"status", "duplicate_of"} <= set(dup.curated_fields)
    assert curation.confirm_duplicate(dup) == 0


def test_split_publishes_the_duplicate(queue):
    original = make_article("original", status=Article.Status.PUBLISHED)
    dup = make_article("dup", status=Article.Status.DUPLICATE, duplicate_of=original)
    assert dup.first_published_at is None
    queue.mark()
    assert curation.split_duplicate(dup) == 1
    dup.refresh_from_db()
    assert dup.status == Article.Status.PUBLISHED and dup.duplicate_of is None
    assert dup.first_published_at is not None
    assert {"status", "duplicate_of"} <= set(dup.curated_fields)
    assert dup.pk in queue()


def test_swap_makes_the_duplicate_the_original(queue):
    original = make_article("original", status=Article.Status.PUBLISHED)
    stamp = original.first_published_at
    dup = make_article("dup", status=Article.Status.DUPLICATE, duplicate_of=original)
    other = make_article("other", status=Article.Status.DUPLICATE, duplicate_of=original)
    queue.mark()

    assert curation.swap_original(dup) == 3

    for a in (original, dup, other):
        a.refresh_from_db()
    assert (dup.status, dup.duplicate_of_id) == (Article.Status.PUBLISHED, None)
    assert (original.status, original.duplicate_of_id) == (Article.Status.DUPLICATE, dup.pk)
    assert other.duplicate_of_id == dup.pk
    # The story is not "new": it was first published when the old original was.
    assert dup.first_published_at == stamp
    assert original.first_published_at == stamp
    for a in (original, dup):
        assert {"status", "duplicate_of"} <= set(a.curated_fields)
    assert "duplicate_of" in other.curated_fields
    assert queue() == {original.pk, dup.pk, other.pk}


def test_swap_refuses_an_article_that_is_no_duplicate():
    a = make_article("a", status=Article.Status.PUBLISHED)
    with pytest.raises(ValueError):
        curation.swap_original(a)


@pytest.mark.django_db(transaction=True)
def test_bulk_changes_reach_the_index_after_commit(tmp_path):
    """End to end: the queued updates are applied after the transaction commits
    and the index agrees with the database."""
    from search.index import IndexStore
    from search.indexing import check

    IndexStore().open()  # the empty index exists before the first write
    hall = Place.objects.get(slug="zhangjiang-science-hall")
    drafts = [make_article(f"draft {i}") for i in range(3)]
    qs = Article.objects.filter(pk__in=[a.pk for a in drafts])
    assert curation.publish(qs) == 3
    assert check().clean
    assert curation.set_place(qs, hall) == 3
    assert check().clean
    assert curation.hide(Article.objects.filter(pk=drafts[0].pk)) == 1
    assert curation.clear_place(qs, hall) == 3
    report = check()
    assert report.clean, report
