"""The first acceptance test of the importer: the five real seed pages, imported
through the command, give what ../shared/seeds-expected.json says."""
import io
import json
import re

import pytest
from django.core.management import call_command

from articles.models import Article
from tests.conftest import SHARED

pytestmark = pytest.mark.django_db

# Junk from seeds-expected.md "Junk to strip, per file": none of it may survive in a body.
JUNK = {
    "000": ["Disclaimer", "sourced from the internet"],
    "001": ["PR Newswire", "Share Article", "Searching for your content", "In-Language News", "Contact Us",
            "News provided by", "Share this article", "Cision", "888-776-0942", "You might also like", "corona",
            "COVID"],
    "002": ["无码", "分享到", "鏈接已復制", "當前位置", "字體", "來源", "責任編輯", "返回頂部"],
    "003": ["Ti Gong"],
    "004": ["当前位置", "admin9", "新京报 记者", "打开新京报APP", "换道超车", "葛毅明", "13391219793", "版权声明",
            "分享给朋友", "相关文章", "厦门", "海沧", "临港"],
}


def squash(text):
    return re.sub(r"\s+", "", text or "")


@pytest.fixture
def imported(seeds_dir):
    out = io.StringIO()
    call_command("import_articles", str(seeds_dir), "--workers", "1", stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    by_name = {}
    for line in lines[:-1]:
        status, origin, ident = line.split(" ")[:3]
        assert status == "imported", line
        by_name[origin.rsplit("/", 1)[-1]] = Article.objects.get(pk=int(ident[3:]))
    assert lines[-1] == "imported 5, updated 0, unchanged 0, duplicate 0, rejected 0"
    return by_name


def test_seeds_give_the_expected_facts(imported):
    expected = json.loads((SHARED / "seeds-expected.json").read_text(encoding="utf-8"))
    for name, want in expected.items():
        article = imported[name]
        got = {
            "language": article.language,
            "title": squash(article.title),
            "date": article.date.isoformat() if article.date else None,
            "year": article.year,
            "districts": sorted(d.name_en for d in article.districts.all()),
            "source": article.source.name_en if article.source else None,
        }
        assert got == {**{k: want[k] for k in got}, "title": squash(want["title"])}, name
        events = sorted(e.name_en for e in article.events.all())
        if name.startswith("003"):
            # The article says the conference belongs to the Industry Week: that tag is accepted too.
            assert "Meilan Lake Biopharma Innovation Conference" in events
            assert set(events) <= {"Meilan Lake Biopharma Innovation Conference",
                                   "Shanghai International Biopharma Industry Week"}
        else:
            assert events == want["events"], name


def test_no_junk_survives_and_raw_is_kept(imported):
    for name, article in imported.items():
        for junk in JUNK[name[:3]]:
            assert junk not in article.body, (name, junk)
        assert article.raw.strip(), name
        raw = (SHARED / "seeds" / name).read_text(encoding="utf-8")
        assert squash(article.raw) == squash(raw)


def test_every_paragraph_survives_exactly_once(imported):
    for name, article in imported.items():
        paragraphs = [p for p in article.body.split("\n\n") if p.strip()]
        assert len(paragraphs) == len({squash(p) for p in paragraphs}), name
        raw = (SHARED / "seeds" / name).read_text(encoding="utf-8")
        for p in paragraphs:
            assert squash(p)[:40] in squash(raw), (name, p[:60])
    # Spot checks of real paragraphs, one of each kind.
    assert imported["000_7d44aef6555948ae.txt"].body.count("Professor Lu Bai") == 1
    assert imported["000_7d44aef6555948ae.txt"].body.count("On October 16th, the opening event") == 1
    assert imported["001_90b39c19f8d6c4fe.txt"].body.count("Adhering to innovation-driven development") == 1
    assert imported["001_90b39c19f8d6c4fe.txt"].body.count("Reinforced industrial policies") == 1
    assert imported["002_d8ad025b4a4bc9f8.txt"].body.count("10月7日下午") == 1
    assert imported["002_d8ad025b4a4bc9f8.txt"].body.count("四是全力凸顯") == 1
    assert imported["003_f40f4f3d5eba4f6c.txt"].body.count("Zhai recommended") == 1
    assert imported["004_ae0224cfa16f4bec.txt"].body.count("会议末尾") == 1
    assert imported["004_ae0224cfa16f4bec.txt"].body.count("新京报贝壳财经讯") == 1
