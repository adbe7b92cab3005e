"""What an article is, and the gazetteer it is tagged against.

The database is the source of truth; the search index is a projection of it
(see search/indexing.py), kept in step by the signals in articles/signals.py.
"""
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify


LANGUAGE_CHOICES = [("en", "English"), ("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]


class NamedEntity(models.Model):
    """Names in three scripts plus aliases in any language.

    English names and slugs are unique (CONTRACTS.md): they are what exports,
    facets and URLs use.
    """

    slug = models.SlugField(max_length=120, unique=True)
    name_en = models.CharField("English name", max_length=200, unique=True)
    name_zh_hans = models.CharField("simplified Chinese name", max_length=200)
    name_zh_hant = models.CharField("traditional Chinese name", max_length=200)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names in any language or script, short forms included.")

    class Meta:
        abstract = True
        ordering = ["name_en"]

    def __str__(self):
        return self.name_en

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name_en)[:120] or slugify(self.name_zh_hans, allow_unicode=True)[:120]
        super().save(*args, **kwargs)

    @property
    def names(self):
        """Every name this entity goes by, de-duplicated, in a stable order."""
        seen, out = set(), []
        for name in [self.name_en, self.name_zh_hans, self.name_zh_hant, *(self.aliases or [])]:
            name = (name or "").strip()
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                out.append(name)
        return out

    def label(self, language="en"):
        if language == "zh-hans":
            return self.name_zh_hans or self.name_en
        if language == "zh-hant":
            return self.name_zh_hant or self.name_en
        return self.name_en


class EntityQuerySet(models.QuerySet):
    def named(self, value):
        """Entities any of whose names, aliases or slug is `value` (any script, any case)."""
        from articles.entities import entity_index

        hit = entity_index().get(self.model, value)
        return self.filter(pk=hit.pk) if hit is not None else self.none()


class City(NamedEntity):
    objects = EntityQuerySet.as_manager()

    class Meta(NamedEntity.Meta):
        verbose_name_plural = "cities"


class District(NamedEntity):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="districts")
    objects = EntityQuerySet.as_manager()


class Place(NamedEntity):
    KIND_CHOICES = [("park", "park"), ("landmark", "landmark"), ("venue", "venue"), ("zone", "zone")]
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="places")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES, default="park")
    objects = EntityQuerySet.as_manager()


class Event(NamedEntity):
    """A recurring series; its edition is the article's year."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="events", null=True, blank=True)
    objects = EntityQuerySet.as_manager()


class Source(NamedEntity):
    """The outlet that published an article (a wire service or a newspaper)."""

    domains = models.JSONField(default=list, blank=True, help_text="Web domains, e.g. thepaper.cn")
    signatures = models.JSONField(
        default=list, blank=True, help_text="Credit lines, bylines and photo credits that identify the outlet."
    )
    needs_review = models.BooleanField(
        default=False, help_text="Created by an import from an outlet the gazetteer did not know."
    )
    objects = EntityQuerySet.as_manager()


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def in_language(self, language):
        if language == "zh":
            return self.filter(language__in=["zh-hans", "zh-hant"])
        return self.filter(language=language)

    def mentioning_any(self, names):
        """Articles whose title or body contains any of `names` (for re-tagging after a gazetteer edit)."""
        q = Q()
        for name in names:
            if name:
                q |= Q(title__icontains=name) | Q(body__icontains=name)
        return self.filter(q) if q else self.none()


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "draft"
        PUBLISHED = "published", "published"
        HIDDEN = "hidden", "hidden"
        DUPLICATE = "duplicate", "duplicate"

    # Fields a curator may correct; an edit to any of them is recorded in
    # `curated_fields`, and re-imports and re-tags leave them alone.
    CURATABLE_FIELDS = (
        "title", "body", "language", "date", "year", "source", "source_url",
        "status", "duplicate_of", "cities", "districts", "places", "events",
    )

    title = models.TextField()
    body = models.TextField(help_text="The cleaned article text, paragraphs separated by blank lines.")
    raw = models.TextField(help_text="The input exactly as imported (decoded), junk included. Never discarded.")
    raw_format = models.CharField(max_length=10, default="text")  # text | html | jsonl
    raw_encoding = models.CharField(max_length=20, blank=True)
    origin = models.CharField(max_length=1000, blank=True, help_text="The file (and line) it was imported from.")
    removed_junk = models.TextField(blank=True, help_text="What the cleaner removed, one line each.")

    language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES)
    date = models.DateField(null=True, blank=True, help_text="Publication date as printed in the article's dateline.")
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The year the article is about.")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    source_url = models.URLField(max_length=2000, null=True, blank=True, db_index=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)

    cities = models.ManyToManyField(City, blank=True, related_name="articles")
    districts = models.ManyToManyField(District, blank=True, related_name="articles")
    places = models.ManyToManyField(Place, blank=True, related_name="articles")
    events = models.ManyToManyField(Event, blank=True, related_name="articles")

    raw_hash = models.CharField(max_length=64, db_index=True, blank=True, editable=False)
    fingerprint = models.CharField(max_length=64, db_index=True, blank=True)
    signature = models.JSONField(null=True, blank=True, editable=False, help_text="MinHash of the folded body.")
    curated_fields = models.JSONField(default=list, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["status", "year"])]

    def __str__(self):
        return self.title[:80]

    def get_absolute_url(self):
        return reverse("article-detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.stamp_first_publication()
        super().save(*args, **kwargs)

    def stamp_first_publication(self):
        # Set once: a re-publish, an edit or a rebuild never makes an old article new.
        if self.status == self.Status.PUBLISHED and self.first_published_at is None:
            # Whole seconds, so an export's timestamp reads back identical.
            self.first_published_at = timezone.now().replace(microsecond=0)

    def mark_curated(self, fields):
        merged = sorted(set(self.curated_fields or []) | set(fields))
        self.curated_fields = merged

    def is_curated(self, field):
        return field in (self.curated_fields or [])

    @property
    def city(self):
        first = self.cities.order_by("name_en").first()
        return first


class DuplicateBand(models.Model):
    """Locality-sensitive-hashing keys of an article's MinHash: candidates for
    near-duplicate checks are the articles sharing a key, never every pair."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bands")
    key = models.CharField(max_length=40, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "key"], name="unique_article_band")]
