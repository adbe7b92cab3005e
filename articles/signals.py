"""Every change to an article queues its index document for an update in the
same transaction (search/indexing.py applies the queue after commit)."""
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from articles.models import Article, City, District, Event, Place, Source


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        from search.indexing import enqueue

        enqueue([instance.pk])


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance, **kwargs):
    from search.indexing import enqueue

    enqueue([instance.pk])


def _tags_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from search.indexing import enqueue

    if reverse:
        # An entity's articles changed (entity.articles.add(...)).
        ids = list(pk_set or [])
    else:
        ids = [instance.pk]
    if ids:
        # Tags live in their own table: touch the article so check_index sees
        # its document as stale until it is rewritten.
        Article.objects.filter(pk__in=ids).update(updated_at=timezone.now())
        enqueue(ids)


for _field in ("cities", "districts", "places", "events"):
    m2m_changed.connect(_tags_changed, sender=getattr(Article, _field).through, dispatch_uid=f"article-{_field}")


_ENTITY_FIELD = {City: "cities", District: "districts", Place: "places", Event: "events"}


def _entity_changed(sender, instance, raw=False, **kwargs):
    """A gazetteer edit: every process rebuilds its matcher and segmenter, and
    the articles tagged with the entity are re-indexed (their stored names changed)."""
    if raw:
        return
    from search.indexing import enqueue
    from search.state import GAZETTEER, bump

    bump(GAZETTEER)
    if isinstance(instance, Source):
        ids = list(Article.objects.filter(source=instance).values_list("pk", flat=True))
    else:
        field = _ENTITY_FIELD[type(instance)]
        ids = list(Article.objects.filter(**{field: instance}).values_list("pk", flat=True)) if instance.pk else []
    if ids:
        Article.objects.filter(pk__in=ids).update(updated_at=timezone.now())
        enqueue(ids)


for _model in (City, District, Place, Event, Source):
    post_save.connect(_entity_changed, sender=_model, dispatch_uid=f"entity-saved-{_model.__name__}")
    post_delete.connect(_entity_changed, sender=_model, dispatch_uid=f"entity-deleted-{_model.__name__}")
