"""The words the segmenter must keep whole: every Chinese name in the gazetteer
and every Chinese glossary term. Loaded lazily (never in AppConfig.ready, which
would break `migrate` on a fresh database) and reloaded in every process when
the analyzer version in the database moves on."""
from __future__ import annotations

import re

from search import segmenter
from search.analysis import fold

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def chinese_words(names) -> list[str]:
    words = set()
    for name in names:
        if name and _CJK.search(name):
            folded, _ = fold(name)
            folded = "".join(folded.split())
            if len(folded) >= 2:
                words.add(folded)
    return sorted(words)


def current_user_words() -> list[str]:
    from articles.models import City, District, Event, Place, Source
    from search.models import GlossaryTerm

    names = []
    for model in (City, District, Place, Event, Source):
        for obj in model.objects.all():
            names.extend(obj.names)
    for term in GlossaryTerm.objects.all():
        names.extend(term.chinese_forms)
    return chinese_words(names)


def ensure_user_words() -> str:
    """Make this process's segmenter hold the current user words; returns the version."""
    from search.state import analyzer_version

    version = analyzer_version()
    if segmenter.user_words_version() != version:
        segmenter.set_user_words(current_user_words(), version=version)
    return version
