"""A glossary edit re-indexes only the articles that contain the changed words,
and moves the analyzer version on so every process reloads its user words."""
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from search.models import GlossaryTerm


def _forms(term):
    return set(term.english_forms) | set(term.chinese_forms) if term else set()


@receiver(pre_save, sender=GlossaryTerm)
def remember_old_forms(sender, instance, raw=False, **kwargs):
    old = GlossaryTerm.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._old_forms = _forms(old)


@receiver(post_save, sender=GlossaryTerm)
@receiver(post_delete, sender=GlossaryTerm)
def glossary_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from articles.models import Article
    from search.indexing import enqueue
    from search.state import GLOSSARY, bump

    bump(GLOSSARY)
    old = getattr(instance, "_old_forms", set())
    new = _forms(instance) if kwargs.get("signal") is not post_delete else set()
    changed = (old ^ new) if old else _forms(instance)
    ids = list(Article.objects.published().mentioning_any(changed).values_list("pk", flat=True))
    if ids:
        Article.objects.filter(pk__in=ids).update(updated_at=timezone.now())
        enqueue(ids)
