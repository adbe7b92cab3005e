"""The curators' tools: Django's admin, extended where it falls short.

* Articles: list, filters, search; bulk publish / hide / set or clear a place or
  an event / mark duplicates / re-tag (articles/curation.py, articles/retagging.py);
  an edit page with the raw input beside the cleaned body, where every field a
  curator changes is recorded in `curated_fields`.
* /admin/articles/article/upload/: import uploaded files like `import_articles`.
* /admin/articles/article/duplicates/: each duplicate beside its original, with
  confirm / split / swap.
* The gazetteer (City, District, Place, Event, Source): names and aliases one a
  line; an edit re-tags exactly the articles it can change.
"""
from __future__ import annotations

import difflib
import json
import logging
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.core.paginator import Paginator
from django.db import models, transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import get_valid_filename

from articles import curation
from articles.models import Article, City, District, Event, Place, Source
from articles.retagging import affected_articles, articles_for_entities, entity_field, retag

log = logging.getLogger(__name__)


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural_word or word + 's')}"


def was(n: int) -> str:
    return f"{n} was" if n == 1 else f"{n} were"


# ---------------------------------------------------------------- lists of names

class LinesField(forms.CharField):
    """A JSON list of strings edited as text, one item a line.

    What was typed is shown back as typed when the form has errors; a value
    pasted as a JSON list (`["a", "b"]`) is read as that list. Blank lines and
    repeated items are dropped, nothing else."""

    def __init__(self, *, encoder=None, decoder=None, widget=None, **kwargs):
        kwargs.setdefault("required", False)
        kwargs["strip"] = False
        if widget is None or (isinstance(widget, type) and issubclass(widget, forms.Textarea)):
            widget = forms.Textarea(attrs={"rows": 4, "cols": 60, "class": "vLargeTextField lines-field"})
        kwargs.pop("max_length", None)
        kwargs.pop("empty_value", None)
        super().__init__(widget=widget, **kwargs)

    def prepare_value(self, value):
        if value is None:
            return ""
        if isinstance(value, (list, tuple)):
            return "\n".join(str(v) for v in value)
        if isinstance(value, str):
            return value  # typed text, shown back exactly
        return json.dumps(value, ensure_ascii=False)

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, (list, tuple)):
            items = list(value)
        else:
            text = str(value)
            items = None
            if text.strip().startswith("["):
                try:
                    parsed = json.loads(text)
                except ValueError:
                    parsed = None
                if isinstance(parsed, list) and all(isinstance(v, str) for v in parsed):
                    items = parsed
            if items is None:
                items = text.splitlines()
        out: list[str] = []
        for item in items:
            item = " ".join(str(item).split()) if "\n" in str(item) else str(item).strip()
            if item and item not in out:
                out.append(item)
        return out

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            return self.to_python(initial) != self.to_python(data)
        except forms.ValidationError:
            return True


JSON_AS_LINES = {models.JSONField: {"form_class": LinesField}}


# ---------------------------------------------------------------- the gazetteer

class EntityAdmin(admin.ModelAdmin):
    formfield_overrides = JSON_AS_LINES
    list_display = ("name_en", "name_zh_hans", "name_zh_hant", "slug")
    search_fields = ("name_en", "name_zh_hans", "name_zh_hant", "slug", "aliases")
    prepopulated_fields = {"slug": ("name_en",)}
    actions = ["retag_affected"]
    parent_field: str | None = None

    def get_search_results(self, request, queryset, search_term):
        """Django's search, plus any name or alias in any script, case or width
        (浦東 finds Pudong New Area; the gazetteer is small enough to fold in Python)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = " ".join(search_term.split()).strip('"')
        if term:
            from articles.names import fold_name

            folded = fold_name(term)
            hits = [e.pk for e in queryset if any(folded in fold_name(n) for n in e.names)]
            if hits:
                results = results | queryset.filter(pk__in=hits)
        return results, may_have_duplicates

    def _parent_id(self, obj):
        return getattr(obj, f"{self.parent_field}_id") if self.parent_field else None

    def save_model(self, request, obj, form, change):
        old_names: set[str] = set()
        old_parent = None
        if change and obj.pk:
            old = type(obj).objects.filter(pk=obj.pk).first()
            if old is not None:
                old_names, old_parent = set(old.names), self._parent_id(old)
        super().save_model(request, obj, form, change)
        if entity_field(obj) is None:
            return
        hierarchy_changed = bool(change and self.parent_field and self._parent_id(obj) != old_parent)
        affected = affected_articles(old_names, set(obj.names), obj, hierarchy_changed=hierarchy_changed)
        total = affected.count()
        if total:
            changed = retag(affected)
            self.message_user(request, f"Re-tagged {changed} of {plural(total, 'affected article')}.", messages.INFO)
        elif set(old_names) != set(obj.names) or not change:
            self.message_user(request, "Re-tagged 0 of 0 affected articles: no article mentions the new names.", messages.INFO)

    def _tagged_ids(self, objs) -> set[int]:
        ids: set[int] = set()
        for obj in objs:
            field = entity_field(obj)
            if field:
                ids |= set(Article.objects.filter(**{field: obj}).values_list("pk", flat=True))
            elif isinstance(obj, Source):
                ids |= set(Article.objects.filter(source=obj).values_list("pk", flat=True))
        return ids

    def _after_delete(self, request, ids):
        # Cascaded deletes of tag rows (and a source's SET_NULL) send no
        # signals: the articles that carried the entity are re-indexed here,
        # and re-tagged (what the entity implied may go with it).
        if not ids:
            return
        from articles.curation import queue_reindex
        from search.indexing import deferred_indexing

        with deferred_indexing(), transaction.atomic():
            queue_reindex(ids)
        if self.model is Source:
            return
        changed = retag(Article.objects.filter(pk__in=ids))
        self.message_user(request, f"Re-tagged {changed} of {plural(len(ids), 'affected article')}.", messages.INFO)

    def delete_model(self, request, obj):
        ids = self._tagged_ids([obj])
        super().delete_model(request, obj)
        self._after_delete(request, ids)

    def delete_queryset(self, request, queryset):
        ids = self._tagged_ids(list(queryset))
        super().delete_queryset(request, queryset)
        self._after_delete(request, ids)

    @admin.action(description="Re-tag affected articles", permissions=["change"])
    def retag_affected(self, request, queryset):
        affected = articles_for_entities(list(queryset))
        total = affected.count()
        changed = retag(affected) if total else 0
        self.message_user(request, f"Re-tagged {changed} of {plural(total, 'affected article')}.", messages.SUCCESS)


@admin.register(City)
class CityAdmin(EntityAdmin):
    pass


@admin.register(District)
class DistrictAdmin(EntityAdmin):
    list_display = ("name_en", "name_zh_hans", "name_zh_hant", "city", "slug")
    list_filter = ("city",)
    list_select_related = ("city",)
    parent_field = "city"


@admin.register(Place)
class PlaceAdmin(EntityAdmin):
    list_display = ("name_en", "name_zh_hans", "name_zh_hant", "district", "kind", "slug")
    list_filter = ("kind", "district__city", "district")
    list_select_related = ("district",)
    parent_field = "district"


@admin.register(Event)
class EventAdmin(EntityAdmin):
    list_display = ("name_en", "name_zh_hans", "name_zh_hant", "city", "slug")
    list_filter = ("city",)
    list_select_related = ("city",)
    parent_field = "city"


@admin.register(Source)
class SourceAdmin(EntityAdmin):
    list_display = ("name_en", "name_zh_hans", "name_zh_hant", "needs_review", "slug")
    list_filter = ("needs_review",)
    search_fields = EntityAdmin.search_fields + ("domains", "signatures")
    actions = ["mark_reviewed"]

    @admin.action(description="Mark as reviewed", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        n = queryset.filter(needs_review=True).update(needs_review=False)
        self.message_user(request, f"{plural(n, 'source')} marked as reviewed.", messages.SUCCESS)


# ---------------------------------------------------------------- articles: forms

class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ()  # the admin builds the form from its fieldsets (and formfield_overrides)

    def clean(self):
        data = super().clean()
        status, original = data.get("status"), data.get("duplicate_of")
        if original is not None and self.instance.pk and original.pk == self.instance.pk:
            self.add_error("duplicate_of", "An article cannot be a duplicate of itself.")
        elif status == Article.Status.DUPLICATE and original is None:
            self.add_error("duplicate_of", "A duplicate needs its original: give the original article's id.")
        elif original is not None and status and status != Article.Status.DUPLICATE:
            self.add_error("status", "An article with an original is a duplicate: clear the original, or set the status to duplicate.")
        return data


class EntityChoiceForm(forms.Form):
    """The intermediate page of an action that needs a place or an event."""

    def __init__(self, model, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = model.objects.all()
        if model is Place:
            qs = qs.select_related("district")
        self.fields["entity"] = forms.ModelChoiceField(
            queryset=qs.order_by("name_en"), label=model._meta.verbose_name.capitalize()
        )


class DuplicateOfForm(forms.Form):
    original = forms.IntegerField(label="Original article id", min_value=1)

    def clean_original(self):
        pk = self.cleaned_data["original"]
        article = Article.objects.filter(pk=pk).first()
        if article is None:
            raise forms.ValidationError(f"There is no article {pk}.")
        return article


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once. Empty or odd files are not form errors: the
    importer reports them, per file, like the command does."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [f for f in files if f is not None]
        if not files and self.required:
            raise forms.ValidationError("Choose one or more files to import.", code="required")
        return files


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="Files",
        help_text="Text, HTML or JSON Lines; several at once. The content decides the format, not the name.",
    )
    draft = forms.BooleanField(required=False, label="Save as drafts", help_text="New articles are not published.")
    dry_run = forms.BooleanField(required=False, label="Dry run", help_text="Show what would happen; save nothing.")


@dataclass
class UploadLine:
    status: str
    origin: str
    article_id: int | None
    reason: str
    url: str | None = None


def safe_upload_name(name: str, taken: set[str]) -> str:
    """The uploaded file's own name, made safe for the disk and unique in its folder."""
    base = os.path.basename((name or "").replace("\\", "/"))
    try:
        clean = get_valid_filename(base)
    except SuspiciousFileOperation:
        clean = ""
    clean = clean.lstrip(".")[:150] or "upload"
    stem, dot, suffix = clean.rpartition(".")
    if not dot:
        stem, suffix = clean, ""
    candidate, n = clean, 2
    while candidate.casefold() in taken:
        candidate = f"{stem}-{n}.{suffix}" if suffix else f"{stem}-{n}"
        n += 1
    taken.add(candidate.casefold())
    return candidate


def _looks_like_jsonl(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf").lstrip().startswith(b"{")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


# ---------------------------------------------------------------- articles: diffs

_MAX_HTMLDIFF_CHARS = 40_000


def diff_table(old: list[str], new: list[str], old_label: str, new_label: str, *, context=True) -> str:
    """An escaped side-by-side diff (difflib.HtmlDiff escapes the text it shows);
    very long texts get an escaped unified diff instead (HtmlDiff is quadratic)."""
    if sum(len(x) for x in old) + sum(len(x) for x in new) > _MAX_HTMLDIFF_CHARS:
        lines = difflib.unified_diff(old, new, old_label, new_label, n=1, lineterm="")
        return format_html('<pre class="unified-diff">{}</pre>', "\n".join(lines) or "(no differences)")
    table = difflib.HtmlDiff(tabsize=4, wrapcolumn=70).make_table(
        old, new, old_label, new_label, context=context, numlines=1
    )
    return mark_safe(table)  # noqa: S308 -- HtmlDiff escapes &, < and > in the texts


def _paragraphs(text: str) -> list[str]:
    from articles.retagging import paragraphs_of

    return paragraphs_of(text) or [""]


# ---------------------------------------------------------------- articles: admin

@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ("title", "language", "date", "year", "status", "source")
    list_filter = ("language", "year", "status", "cities", "districts", "events", "source")
    list_select_related = ("source",)
    search_fields = ("title",)
    list_per_page = 50
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    autocomplete_fields = ("source", "cities", "districts", "places", "events")
    raw_id_fields = ("duplicate_of",)
    readonly_fields = (
        "raw_display", "removed_junk_display", "curated_fields_display", "origin", "raw_format",
        "raw_encoding", "first_published_at", "created_at", "updated_at", "duplicates_display",
    )
    fieldsets = (
        (None, {"fields": ("title", ("language", "status"), ("date", "year"), ("source", "source_url"),
                           ("duplicate_of", "duplicates_display"))}),
        ("Tags", {"fields": ("cities", "districts", "places", "events")}),
        ("Cleaned body beside the raw input", {"classes": ("side-by-side",), "fields": (("body", "raw_display"),)}),
        ("Import record", {"fields": ("removed_junk_display", "curated_fields_display", ("origin", "raw_format",
                                      "raw_encoding"), ("first_published_at", "created_at", "updated_at"))}),
    )
    actions = [
        "publish", "hide", "set_place", "set_event", "clear_place", "clear_event", "mark_duplicate_of", "retag_articles",
    ]
    change_list_template = "admin/articles/article/change_list.html"
    change_form_template = "admin/articles/article/change_form.html"

    # -- read-only displays

    @admin.display(description="Raw input (as imported)")
    def raw_display(self, obj):
        if not obj or not obj.pk:
            return "-"
        return format_html('<pre class="raw-input" lang="{}">{}</pre>', obj.language or "", obj.raw or "")

    @admin.display(description="Removed junk")
    def removed_junk_display(self, obj):
        if not obj or not obj.removed_junk:
            return "(nothing)"
        return format_html('<pre class="removed-junk">{}</pre>', obj.removed_junk)

    @admin.display(description="Curated fields")
    def curated_fields_display(self, obj):
        fields = list(obj.curated_fields or []) if obj else []
        if not fields:
            return "(none: re-imports and re-tags may update every field)"
        return format_html(
            '{}<div class="help">Re-imports and re-tags leave these fields alone.</div>', ", ".join(fields)
        )

    @admin.display(description="Its duplicates")
    def duplicates_display(self, obj):
        if not obj or not obj.pk:
            return "-"
        dups = list(obj.duplicates.order_by("pk").values_list("pk", "title")[:20])
        if not dups:
            return "(none)"
        return format_html_join(
            ", ", '<a href="{}">#{}</a> {}',
            ((reverse("admin:articles_article_change", args=[pk]), pk, title[:40]) for pk, title in dups),
        )

    # -- saving: a curator's edits are recorded

    def save_model(self, request, obj, form, change):
        edited = [f for f in form.changed_data if f in Article.CURATABLE_FIELDS]
        if edited:
            obj.mark_curated(edited)
        if not change and not obj.raw:
            # An article written in the admin: its raw input is what was typed.
            obj.raw, obj.raw_format = obj.body, "text"
        refresh = bool({"title", "body"} & set(form.changed_data))
        if refresh:
            _refresh_fingerprint(obj)
        super().save_model(request, obj, form, change)
        bands = getattr(obj, "_bands", None)
        if refresh and bands is not None:
            from articles.models import DuplicateBand

            DuplicateBand.objects.filter(article=obj).delete()
            DuplicateBand.objects.bulk_create([DuplicateBand(article=obj, key=k) for k in sorted(set(bands))])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        # A place belongs to a district, a district to a city, an event to its city.
        added = []
        places = list(obj.places.select_related("district"))
        districts = {d.pk for d in obj.districts.all()}
        want_districts = {p.district_id for p in places} - districts
        if want_districts:
            obj.districts.add(*want_districts)
            added.append("districts")
        cities = set(obj.cities.values_list("pk", flat=True))
        want_cities = set(District.objects.filter(articles=obj).values_list("city_id", flat=True))
        want_cities |= set(obj.events.exclude(city=None).values_list("city_id", flat=True))
        if want_cities - cities:
            obj.cities.add(*(want_cities - cities))
            added.append("cities")
        if added:
            curation.record_curated([obj.pk], added)
            obj.refresh_from_db(fields=["curated_fields"])

    # -- bulk actions

    def _report(self, request, changed, total, done, already):
        msg = f"{plural(changed, 'article')} {done}"
        if total - changed:
            msg += f"; {was(total - changed)} {already}"
        self.message_user(request, msg + ".", messages.SUCCESS if changed else messages.INFO)

    @admin.action(description="Publish selected articles", permissions=["change"])
    def publish(self, request, queryset):
        total = queryset.count()
        changed = curation.publish(queryset)
        self._report(request, changed, total, "published", "already published")

    @admin.action(description="Hide selected articles", permissions=["change"])
    def hide(self, request, queryset):
        total = queryset.count()
        changed = curation.hide(queryset)
        self._report(request, changed, total, "hidden", "already hidden")

    def _entity_action(self, request, queryset, *, model, action, title, operation, done, already):
        form = None
        if "apply" in request.POST:
            form = EntityChoiceForm(model, request.POST)
            if form.is_valid():
                entity = form.cleaned_data["entity"]
                total = queryset.count()
                changed = operation(queryset, entity)
                self._report(request, changed, total, done.format(entity), already.format(entity))
                return None
        form = form or EntityChoiceForm(model)
        return self._intermediate(request, queryset, action=action, title=title, form=form)

    def _intermediate(self, request, queryset, *, action, title, form):
        select_across = request.POST.get("select_across") == "1"
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "form": form,
            "action": action,
            "select_across": select_across,
            "count": queryset.count(),
            "articles": queryset.order_by("pk")[:50],
            # What the changelist posted: with "select all" (select_across) the
            # action applies to every matching article, but Django still wants
            # the page's checked boxes.
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/article/pick_entity.html", context)

    @admin.action(description="Set a place…", permissions=["change"])
    def set_place(self, request, queryset):
        return self._entity_action(
            request, queryset, model=Place, action="set_place", title="Tag the selected articles with a place",
            operation=curation.set_place, done="tagged with {}", already="already tagged with {}",
        )

    @admin.action(description="Set an event…", permissions=["change"])
    def set_event(self, request, queryset):
        return self._entity_action(
            request, queryset, model=Event, action="set_event", title="Tag the selected articles with an event",
            operation=curation.set_event, done="tagged with {}", already="already tagged with {}",
        )

    @admin.action(description="Clear a place…", permissions=["change"])
    def clear_place(self, request, queryset):
        return self._entity_action(
            request, queryset, model=Place, action="clear_place", title="Remove a place from the selected articles",
            operation=curation.clear_place, done="no longer tagged with {}", already="not tagged with {}",
        )

    @admin.action(description="Clear an event…", permissions=["change"])
    def clear_event(self, request, queryset):
        return self._entity_action(
            request, queryset, model=Event, action="clear_event", title="Remove an event from the selected articles",
            operation=curation.clear_event, done="no longer tagged with {}", already="not tagged with {}",
        )

    @admin.action(description="Mark as duplicates of…", permissions=["change"])
    def mark_duplicate_of(self, request, queryset):
        form = None
        if "apply" in request.POST:
            form = DuplicateOfForm(request.POST)
            if form.is_valid():
                original = form.cleaned_data["original"]
                total = queryset.exclude(pk=original.pk).count()
                changed = curation.mark_duplicates(queryset, original)
                self._report(request, changed, total, f"marked as duplicates of #{original.pk}", "already one")
                return None
        return self._intermediate(
            request, queryset, action="mark_duplicate_of", title="Mark the selected articles as duplicates",
            form=form or DuplicateOfForm(),
        )

    @admin.action(description="Re-run tagging", permissions=["change"])
    def retag_articles(self, request, queryset):
        total = queryset.count()
        changed = retag(queryset)
        self.message_user(
            request,
            f"{plural(total, 'article')} re-tagged; {changed} changed, {total - changed} unchanged.",
            messages.SUCCESS,
        )

    # -- extra pages

    def get_urls(self):
        urls = [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="articles_article_upload"),
            path("duplicates/", self.admin_site.admin_view(self.duplicates_view), name="articles_article_duplicates"),
        ]
        return urls + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra = {
            "can_upload": self.has_add_permission(request),
            "can_curate_duplicates": self.has_change_permission(request),
            "duplicate_count": Article.objects.filter(status=Article.Status.DUPLICATE).count(),
        }
        return super().changelist_view(request, extra_context={**extra, **(extra_context or {})})

    def _page_context(self, request, title):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "has_view_permission": self.has_view_permission(request),
        }

    def upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        lines = None
        counts = None
        error = None
        if request.method == "POST":
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                lines, error = self._import_uploads(
                    form.cleaned_data["files"], draft=form.cleaned_data["draft"], dry_run=form.cleaned_data["dry_run"]
                )
                counts = Counter(line.status for line in lines)
        else:
            form = UploadForm()
        from articles.importing import summary

        context = {
            **self._page_context(request, "Upload articles"),
            "form": form,
            "lines": lines,
            "summary": summary(counts) if counts is not None else None,
            "rejected": [line for line in (lines or []) if line.status == "rejected"],
            "error": error,
            "dry_run": lines is not None and form.cleaned_data.get("dry_run", False),
            "max_mb": _mb(settings.IMPORT_MAX_BYTES),
        }
        return TemplateResponse(request, "admin/articles/article/upload.html", context)

    def _import_uploads(self, files, *, draft: bool, dry_run: bool):
        """Save the uploads to a temporary folder under DATA_DIR/uploads, import
        them as the command does (one worker), and return the outcome lines in
        upload order."""
        from articles.importing import Outcome, import_paths

        max_bytes = settings.IMPORT_MAX_BYTES
        base = Path(settings.DATA_DIR) / "uploads"
        base.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="upload-", dir=base))
        taken: set[str] = set()
        order: dict[str, int] = {}
        outcomes: list[tuple[int, Outcome]] = []
        paths: list[Path] = []
        error = None
        try:
            for index, upload in enumerate(files):
                name = safe_upload_name(upload.name, taken)
                order[name] = index
                upload.seek(0)
                head = upload.read(65536)
                upload.seek(0)
                if upload.size > max_bytes and not _looks_like_jsonl(head):
                    # Over the limit: reported, never stored (JSON Lines files are
                    # streamed and their limit applies per record).
                    outcomes.append((index, Outcome(
                        "rejected", name, reason=f"file is {_mb(upload.size)}, over the {_mb(max_bytes)} limit"
                    )))
                    continue
                dest = folder / name
                with open(dest, "wb") as fh:
                    for chunk in upload.chunks():
                        fh.write(chunk)
                paths.append(dest)
            if paths:
                prefix = str(folder) + os.sep
                for outcome in import_paths([str(p) for p in paths], draft=draft, dry_run=dry_run, workers=1):
                    origin = outcome.origin[len(prefix):] if outcome.origin.startswith(prefix) else outcome.origin
                    outcome.origin = origin
                    file_name = origin.rsplit(":", 1)[0] if origin.rsplit(":", 1)[0] in order else origin
                    outcomes.append((order.get(file_name, len(order)), outcome))
        except Exception as exc:  # one broken upload must not become a server error
            log.exception("upload import failed")
            error = f"The import stopped: {type(exc).__name__}: {exc}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        outcomes.sort(key=lambda pair: pair[0])  # stable: the order within a file stays
        lines = []
        for _, o in outcomes:
            url = None
            if o.article_id is not None and not (dry_run and o.status in ("imported", "duplicate")):
                url = reverse("admin:articles_article_change", args=[o.article_id])
            lines.append(UploadLine(o.status, o.origin, o.article_id, o.reason, url))
        return lines, error

    def duplicates_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            return self._duplicate_decision(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "POST"])
        qs = (
            Article.objects.filter(status=Article.Status.DUPLICATE)
            .exclude(duplicate_of=None)
            .select_related("duplicate_of", "source", "duplicate_of__source")
            .order_by("duplicate_of_id", "pk")
        )
        page = Paginator(qs, 10).get_page(request.GET.get("page"))
        rows = []
        for dup in page:
            orig = dup.duplicate_of
            rows.append({
                "duplicate": dup,
                "original": orig,
                "confirmed": dup.is_curated("duplicate_of") and dup.is_curated("status"),
                "title_diff": None if orig.title == dup.title else diff_table(
                    [orig.title], [dup.title], f"Original #{orig.pk}", f"Duplicate #{dup.pk}", context=False
                ),
                "body_diff": None if orig.body == dup.body else diff_table(
                    _paragraphs(orig.body), _paragraphs(dup.body), f"Original #{orig.pk}", f"Duplicate #{dup.pk}"
                ),
            })
        context = {
            **self._page_context(request, "Duplicates"),
            "page": page,
            "rows": rows,
            "total": page.paginator.count,
        }
        return TemplateResponse(request, "admin/articles/article/duplicates.html", context)

    def _duplicate_decision(self, request):
        article = get_object_or_404(Article.objects.select_related("duplicate_of"), pk=request.POST.get("article") or 0)
        decision = request.POST.get("decision")
        back = reverse("admin:articles_article_duplicates")
        page = request.POST.get("page", "")
        if page.isdigit() and page != "1":
            back += f"?page={page}"
        if article.status != Article.Status.DUPLICATE or not article.duplicate_of_id:
            self.message_user(request, f"Article #{article.pk} is not a duplicate any more.", messages.WARNING)
            return HttpResponseRedirect(back)
        original = article.duplicate_of
        if decision == "confirm":
            curation.confirm_duplicate(article)
            self.message_user(request, f"#{article.pk} confirmed as a duplicate of #{original.pk}.", messages.SUCCESS)
        elif decision == "split":
            curation.split_duplicate(article)
            self.message_user(request, f"#{article.pk} published as its own article.", messages.SUCCESS)
        elif decision == "swap":
            changed = curation.swap_original(article)
            self.message_user(
                request,
                f"#{article.pk} is now the original; #{original.pk} is its duplicate "
                f"({plural(changed, 'article')} changed).",
                messages.SUCCESS,
            )
        else:
            self.message_user(request, "Choose confirm, split or swap.", messages.ERROR)
        return HttpResponseRedirect(back)


def _refresh_fingerprint(article: Article) -> None:
    """Keep duplicate detection in step with a curator's edit of the text."""
    try:
        from articles.ingest import fingerprint as fp
    except ImportError:  # pragma: no cover - the pipeline is always there in production
        return
    try:
        article.fingerprint = fp.content_fingerprint(article.title, article.body)
        signature = fp.minhash_signature(article.body)
        article.signature = list(signature)
        article._bands = list(fp.lsh_keys(signature))
    except Exception:  # pragma: no cover - a fingerprint is an aid, never a reason to refuse a save
        log.exception("could not fingerprint article %s", article.pk)
