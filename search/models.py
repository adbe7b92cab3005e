"""Search-side state kept in the database: the glossary, the durable queue of
index changes, and the analyzer version every segmenting process follows."""
from django.db import models


class GlossaryTerm(models.Model):
    """A biopharma concept in both languages: query words expand across it and
    its Chinese forms are loaded into the segmenter as user words."""

    en = models.CharField("English", max_length=200, unique=True)
    zh_hans = models.CharField("simplified Chinese", max_length=200, unique=True)
    zh_hant = models.CharField("traditional Chinese", max_length=200)
    en_aliases = models.JSONField(default=list, blank=True)
    zh_aliases = models.JSONField(default=list, blank=True)
    category = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["en"]

    def __str__(self):
        return f"{self.en} / {self.zh_hans}"

    @property
    def english_forms(self):
        return [t for t in [self.en, *(self.en_aliases or [])] if t]

    @property
    def chinese_forms(self):
        return [t for t in [self.zh_hans, self.zh_hant, *(self.zh_aliases or [])] if t]


class PendingIndexChange(models.Model):
    """One article whose index document must be brought in step with the database.

    Rows are written in the same transaction as the change itself, so a crash
    after commit never loses an update; whichever process holds the index
    writer drains them (search/indexing.py).
    """

    article_id = models.BigIntegerField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Applied rows stay a while: a rebuild replays every change made since it
    # started into the index it is about to swap in.
    done = models.BooleanField(default=False, db_index=True)

    class Meta:
        ordering = ["id"]


class SearchState(models.Model):
    """Small named values shared by every process (e.g. the analyzer version)."""

    key = models.CharField(max_length=100, primary_key=True)
    value = models.TextField(blank=True)

    def __str__(self):
        return f"{self.key}={self.value}"
