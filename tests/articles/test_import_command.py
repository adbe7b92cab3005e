"""`manage.py import_articles` and `export_articles`: outcomes, exit codes and
bad input, as a curator running them would see them."""
import io
import json
import os
import struct
import zlib

import opencc
import pytest
from django.core.management import call_command

from articles.models import Article, Source
from tests.articles import samples

pytestmark = pytest.mark.django_db


def run_import(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_articles", *map(str, args), "--workers", "1", stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    lines = out.getvalue().splitlines()
    return code, lines


def outcome_of(lines, path):
    path = str(path)
    hits = [line for line in lines if line.split(" ")[1] == path or line.split(" ")[1].startswith(path + ":")]
    assert hits, f"no outcome line for {path} in {lines}"
    return hits


def png_bytes():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"\x00\xff\x00\x00" * 4
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_good_files_import_and_report_one_line_each(tmp_path):
    (tmp_path / "zh.txt").write_text(samples.ZH_PAGE, encoding="utf-8")
    (tmp_path / "en.txt").write_text(samples.EN_PAGE, encoding="utf-8")
    code, lines = run_import(tmp_path)
    assert code == 0
    assert lines[-1] == "imported 2, updated 0, unchanged 0, duplicate 0, rejected 0"
    for name in ("zh.txt", "en.txt"):
        (line,) = outcome_of(lines, tmp_path / name)
        assert line.startswith("imported ") and " id=" in line
    zh = Article.objects.get(language="zh-hans")
    assert zh.title == samples.ZH_TITLE
    for paragraph in samples.ZH_PARAGRAPHS:
        assert zh.body.count(paragraph[10:40]) == 1
    assert "责任编辑" not in zh.body and "相关阅读" not in zh.body and "张江科学城" not in zh.body
    assert "责任编辑" in zh.raw  # nothing is lost: the raw input is kept
    assert zh.status == Article.Status.PUBLISHED and zh.first_published_at is not None


def test_rerun_reports_unchanged_and_changes_nothing(tmp_path):
    (tmp_path / "en.txt").write_text(samples.EN_PAGE, encoding="utf-8")
    run_import(tmp_path)
    before = list(Article.objects.values_list("id", "title", "body", "updated_at"))
    code, lines = run_import(tmp_path)
    assert code == 0
    assert lines[-1] == "imported 0, updated 0, unchanged 1, duplicate 0, rejected 0"
    assert list(Article.objects.values_list("id", "title", "body", "updated_at")) == before


def test_same_file_under_another_name_is_not_a_second_article(tmp_path):
    (tmp_path / "a.txt").write_text(samples.EN_PAGE, encoding="utf-8")
    run_import(tmp_path / "a.txt")
    (tmp_path / "copy.txt").write_text(samples.EN_PAGE, encoding="utf-8")
    code, lines = run_import(tmp_path / "copy.txt")
    assert code == 0
    assert lines[0].split()[0] in {"unchanged", "duplicate"}
    assert Article.objects.published().count() == 1


def test_repost_with_other_junk_is_a_duplicate_kept_unpublished(tmp_path):
    (tmp_path / "a.txt").write_text(samples.EN_PAGE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(samples.EN_REPOST, encoding="utf-8")
    code, lines = run_import(tmp_path / "a.txt", tmp_path / "b.txt")
    assert code == 0
    original = Article.objects.get(origin=str(tmp_path / "a.txt"))
    (line,) = outcome_of(lines, tmp_path / "b.txt")
    assert line.startswith("duplicate ")
    repost = Article.objects.get(status=Article.Status.DUPLICATE)
    assert repost.duplicate_of == original
    assert "Latest news from our partners" in repost.raw
    assert Article.objects.published().count() == 1


def test_repost_in_the_other_script_is_a_duplicate(tmp_path):
    (tmp_path / "zh.txt").write_text(samples.ZH_PAGE, encoding="utf-8")
    traditional = opencc.OpenCC("s2t").convert(samples.ZH_PAGE).replace("新民晚報", "文匯報")
    (tmp_path / "zh-hant.txt").write_text("繁體版 轉載\n" + traditional, encoding="utf-8")
    run_import(tmp_path / "zh.txt")
    code, lines = run_import(tmp_path / "zh-hant.txt")
    assert lines[0].startswith("duplicate ")
    dup = Article.objects.get(status=Article.Status.DUPLICATE)
    assert dup.language == "zh-hant"


@pytest.mark.parametrize(
    "name,content,reason_word",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \t\n", "empty"),
        ("image.txt", None, "PNG"),
        ("nul.txt", b"\x00" * 5000, "NUL"),
    ],
    ids=["empty", "blank", "png", "nul"],
)
def test_bad_files_are_rejected_with_a_reason_naming_the_file(tmp_path, name, content, reason_word):
    good = tmp_path / "good.txt"
    good.write_text(samples.EN_PAGE, encoding="utf-8")
    bad = tmp_path / name
    bad.write_bytes(png_bytes() if content is None else content)
    code, lines = run_import(tmp_path)
    assert code == 1
    (line,) = outcome_of(lines, bad)
    assert line.startswith(f"rejected {bad} ")
    assert reason_word.lower() in line.lower()
    # Good files in the same run are always imported.
    (good_line,) = outcome_of(lines, good)
    assert good_line.startswith("imported ")
    assert lines[-1] == "imported 1, updated 0, unchanged 0, duplicate 0, rejected 1"


def test_file_over_the_size_limit_is_rejected(tmp_path):
    big = tmp_path / "big.txt"
    paragraph = ("生物医药产业园区建设持续推进,创新药企业不断集聚。" * 40 + "\n\n").encode("utf-8")
    with open(big, "wb") as fh:
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(paragraph * 64)
    code, lines = run_import(big)
    assert code == 1
    assert lines[0].startswith(f"rejected {big} ") and "limit" in lines[0]
    assert Article.objects.count() == 0


def test_page_of_only_junk_is_rejected(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_text(
        "Home > News > Business\nShare on Twitter\nShare on Facebook\nContact Us\nPrivacy Policy\n"
        "Copyright 2024 Example Media. All rights reserved.\n分享到:\n返回顶部\n",
        encoding="utf-8",
    )
    code, lines = run_import(junk)
    assert code == 1
    assert lines[0].startswith(f"rejected {junk} ")


def test_dangling_symlink_and_unreadable_file_are_rejected(tmp_path):
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    # Root reads any file, so use one whose read fails for everybody.
    (tmp_path / "unreadable.txt").symlink_to("/proc/self/mem")
    (tmp_path / "good.txt").write_text(samples.ZH_PAGE, encoding="utf-8")
    code, lines = run_import(tmp_path)
    assert code == 1
    (line,) = outcome_of(lines, tmp_path / "dangling.txt")
    assert "symbolic link" in line
    (line,) = outcome_of(lines, tmp_path / "unreadable.txt")
    assert line.startswith("rejected ") and ("read" in line or "empty" in line)
    assert outcome_of(lines, tmp_path / "good.txt")[0].startswith("imported ")


@pytest.mark.parametrize(
    "name,encode",
    [
        ("gb18030.txt", lambda s: s.encode("gb18030")),
        ("utf16.txt", lambda s: s.encode("utf-16")),
        ("utf8bom.txt", lambda s: b"\xef\xbb\xbf" + s.encode("utf-8")),
    ],
)
def test_chinese_in_other_encodings_imports_correctly(tmp_path, name, encode):
    path = tmp_path / name
    path.write_bytes(encode(samples.ZH_PAGE))
    code, lines = run_import(path)
    assert code == 0, lines
    article = Article.objects.get()
    assert article.title == samples.ZH_TITLE  # no BOM left in the title
    assert samples.ZH_PARAGRAPHS[1][:30] in article.body


def test_big5_file_imports_as_traditional(tmp_path):
    # Taiwan forms: Big5 has 群 but not the s2t variant 羣.
    traditional = opencc.OpenCC("s2tw").convert(samples.ZH_PAGE)
    path = tmp_path / "big5.txt"
    path.write_bytes(traditional.encode("big5", errors="strict"))
    code, lines = run_import(path)
    assert code == 0, lines
    article = Article.objects.get()
    assert article.language == "zh-hant"
    assert article.title == opencc.OpenCC("s2tw").convert(samples.ZH_TITLE)


def test_truncated_html_still_gives_its_article(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(samples.HTML_PAGE, encoding="utf-8")
    code, lines = run_import(path)
    assert code == 0, lines
    article = Article.objects.get()
    assert article.title.startswith("Suzhou BioBAY adds antibody plant")
    assert "four bioreactors" in article.body
    assert "Share on WeChat" not in article.body
    assert article.raw_format == "html"


def test_jsonl_with_one_broken_line(tmp_path):
    path = tmp_path / "batch.jsonl"
    records = [
        json.dumps({"raw": samples.EN_PAGE}),
        '{"raw": "broken',
        json.dumps({"title": samples.ZH_TITLE, "body": "\n\n".join(samples.ZH_PARAGRAPHS), "language": "zh-hans"},
                   ensure_ascii=False),
    ]
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    code, lines = run_import(path)
    assert code == 1
    assert lines[0].startswith(f"imported {path}:1 ")
    assert lines[1].startswith(f"rejected {path}:2 ") and "JSON" in lines[1]
    assert lines[2].startswith(f"imported {path}:3 ")
    assert Article.objects.count() == 2


def test_jsonl_values_out_of_range_are_rejected_and_neighbours_kept(tmp_path):
    # Each record is stored in a savepoint of a bigger transaction: one refused
    # in the middle must take nothing else with it.
    def record(n, **extra):
        return json.dumps({"title": f"Forum number {n} in Zhangjiang",
                           "body": f"Zhangjiang Science Hall in Pudong hosted forum number {n} on new drugs.",
                           "language": "en", **extra})

    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join([
        record(1),
        record(2, id=10**20),
        record(3, id=-5),
        record(4, year=10**20),
        record(5, duplicate_of=0),
        record(6),
    ]) + "\n", encoding="utf-8")
    code, lines = run_import(path)
    assert code == 1
    assert [line.split(" ")[0] for line in lines[:6]] == ["imported"] + ["rejected"] * 4 + ["imported"]
    assert "not a valid article id" in lines[1] and "not a valid article id" in lines[2]
    assert "year" in lines[3] and "out of range" in lines[3]
    assert "duplicate_of 0" in lines[4]
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "Forum number 1 in Zhangjiang", "Forum number 6 in Zhangjiang"]


def test_dry_run_writes_nothing(tmp_path):
    (tmp_path / "en.txt").write_text(samples.EN_PAGE, encoding="utf-8")
    code, lines = call_dry = run_import(tmp_path, "--dry-run")
    assert code == 0 and lines[0].startswith("imported ")
    assert Article.objects.count() == 0


def test_draft_flag_keeps_new_articles_unpublished(tmp_path):
    (tmp_path / "en.txt").write_text(samples.EN_PAGE, encoding="utf-8")
    run_import(tmp_path, "--draft")
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT and article.first_published_at is None


def test_usage_error_exits_2(tmp_path):
    from django.core.management import CommandError

    with pytest.raises((SystemExit, CommandError)) as info:
        call_command("import_articles", str(tmp_path), "--workers", "0")
    code = getattr(info.value, "code", None) or getattr(info.value, "returncode", None)
    assert code == 2


def test_unknown_outlet_becomes_a_source_flagged_for_review(tmp_path):
    page = samples.ZH_PAGE.replace("来源:新民晚报", "来源:浦江生物日报")
    (tmp_path / "zh.txt").write_text(page, encoding="utf-8")
    run_import(tmp_path)
    article = Article.objects.get()
    assert article.source is not None and article.source.needs_review
    assert "浦江生物日报" in article.source.names


def test_export_imports_back_unchanged(tmp_path):
    (tmp_path / "zh.txt").write_text(samples.ZH_PAGE, encoding="utf-8")
    (tmp_path / "en.txt").write_text(samples.EN_PAGE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(samples.EN_REPOST, encoding="utf-8")
    run_import(tmp_path)
    out = io.StringIO()
    call_command("export_articles", "--format", "jsonl", "--status", "all", stdout=out)
    lines = out.getvalue().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 3
    keys = {"id", "title", "language", "date", "year", "city", "districts", "places", "events", "source",
            "source_url", "status", "duplicate_of", "first_published_at", "body"}
    assert all(keys <= set(r) for r in records)
    dump = tmp_path / "export" / "all.jsonl"
    dump.parent.mkdir()
    dump.write_text(out.getvalue() + "\n", encoding="utf-8")

    code, import_lines = run_import(dump)
    assert code == 0
    assert import_lines[-1] == "imported 0, updated 0, unchanged 3, duplicate 0, rejected 0"

    # Into an empty database: the same ids, statuses and duplicate links.
    Article.objects.all().delete()
    code, import_lines = run_import(dump)
    assert code == 0, import_lines
    out2 = io.StringIO()
    call_command("export_articles", "--format", "jsonl", "--status", "all", stdout=out2)
    assert [json.loads(x) for x in out2.getvalue().splitlines()] == records


def test_export_prints_only_json_lines_of_published_by_default(tmp_path):
    (tmp_path / "en.txt").write_text(samples.EN_PAGE, encoding="utf-8")
    run_import(tmp_path, "--draft")
    (tmp_path / "zh.txt").write_text(samples.ZH_PAGE, encoding="utf-8")
    run_import(tmp_path / "zh.txt")
    out = io.StringIO()
    call_command("export_articles", "--format", "jsonl", stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["language"] for r in records] == ["zh-hans"]
    assert records[0]["status"] == "published"
    assert Source.objects.filter(name_en=records[0]["source"]).exists() or records[0]["source"] is None
