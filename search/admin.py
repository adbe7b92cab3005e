"""The glossary, editable by curators. An edit re-indexes the articles that
contain the changed words (search/signals.py)."""
from django.contrib import admin

from articles.admin import JSON_AS_LINES
from search.models import GlossaryTerm


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    formfield_overrides = JSON_AS_LINES
    list_display = ("en", "zh_hans", "zh_hant", "category")
    list_filter = ("category",)
    search_fields = ("en", "zh_hans", "zh_hant", "en_aliases", "zh_aliases")
    fields = ("en", "zh_hans", "zh_hant", "en_aliases", "zh_aliases", "category")
