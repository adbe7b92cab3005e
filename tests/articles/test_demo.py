"""The demo corpus generator: deterministic, realistic in its mix, and honest in its manifest."""
import functools
import hashlib
import html
import io
import json
import statistics
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles import demo


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(root)).encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


@functools.lru_cache(maxsize=8)
def jsonl_lines(path: Path) -> list:
    return path.read_text(encoding="utf-8").splitlines()


def read_item(root: Path, ref: str) -> str:
    """The decoded text of a manifest reference: a file, or `part.jsonl:LINE` (its `raw` or `body`)."""
    if ".jsonl:" in ref:
        path, line = ref.rsplit(":", 1)
        record = json.loads(jsonl_lines(root / path)[int(line) - 1])
        return record.get("raw") or record["body"]
    data = (root / ref).read_bytes()
    if data.startswith(b"\xff\xfe"):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig")
    for encoding in ("utf-8", "gb18030", "big5"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError(f"undecodable {ref}")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """2,000 articles, generated once for the checks that only read."""
    out = tmp_path_factory.mktemp("demo") / "corpus"
    manifest = demo.generate_corpus(count=2000, seed=7, out_dir=out)
    return out, manifest, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_same_seed_same_bytes_different_seed_different(tmp_path):
    digests = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        demo.generate_corpus(count=300, seed=seed, out_dir=tmp_path / name)
        digests.append(tree_digest(tmp_path / name))
    assert digests[0] == digests[1]
    assert digests[0] != digests[2]


def test_output_does_not_depend_on_the_number_of_processes(tmp_path):
    demo.generate_corpus(count=600, seed=3, out_dir=tmp_path / "one", workers=1)
    demo.generate_corpus(count=600, seed=3, out_dir=tmp_path / "two", workers=2)
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_rerun_into_an_earlier_corpus_replaces_it(tmp_path):
    demo.generate_corpus(count=120, seed=1, out_dir=tmp_path / "c")
    first = tree_digest(tmp_path / "c")
    demo.generate_corpus(count=40, seed=2, out_dir=tmp_path / "c")
    demo.generate_corpus(count=120, seed=1, out_dir=tmp_path / "c")
    assert tree_digest(tmp_path / "c") == first


def test_manifest_counts_and_layout(corpus):
    out, manifest, data = corpus
    assert data["count"] == 2000 and data["seed"] == 7 and data["format"] == demo.MANIFEST_FORMAT
    assert sum(data["languages"].values()) == 2000
    assert len(data["articles"]) == 2000
    files = [p for p in out.rglob("*") if p.is_file() and p.name != "manifest.json"]
    assert data["files"] == manifest.files == len(files)
    for folder in out.rglob("*"):
        if folder.is_dir():
            assert sum(1 for _ in folder.iterdir()) <= 1000
    assert {p.suffix for p in files} == {".txt", ".html", ".jsonl"}
    assert all(p.parent.parent.name in ("txt", "html") or p.parent.name == "jsonl" for p in files)
    jsonl = sorted(out.glob("jsonl/part-*.jsonl"))
    assert jsonl and all(len(p.read_text(encoding="utf-8").splitlines()) <= 1000 for p in jsonl)
    for p in jsonl:
        for line in p.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            assert ("raw" in record) != ("body" in record)
            if "body" in record:
                assert record["title"] and record["language"] in demo.LANGUAGES


def test_language_proportions(corpus):
    _, _, data = corpus
    share = {k: v / data["count"] for k, v in data["languages"].items()}
    assert abs(share["en"] - 0.50) < 0.03
    assert abs(share["zh-hans"] - 0.42) < 0.03
    assert abs(share["zh-hant"] - 0.08) < 0.025


def test_encodings_are_really_present(corpus):
    out, _, data = corpus
    by_encoding = {}
    for a in data["articles"]:
        if a["format"] != "jsonl":
            by_encoding.setdefault(a["encoding"], []).append(a)
    for encoding, language in (("gb18030", "zh-hans"), ("big5", "zh-hant")):
        assert by_encoding.get(encoding), f"no {encoding} file"
        for a in by_encoding[encoding][:20]:
            data_bytes = (out / a["path"]).read_bytes()
            with pytest.raises(UnicodeDecodeError):
                data_bytes.decode("utf-8")
            text = html.unescape(data_bytes.decode(encoding))
            assert a["language"] == language
            assert a["title"] in text
    for a in by_encoding["utf-8-sig"][:5]:
        assert (out / a["path"]).read_bytes().startswith(b"\xef\xbb\xbf")
    for a in by_encoding["utf-16"][:5]:
        raw = (out / a["path"]).read_bytes()
        assert raw.startswith(b"\xff\xfe") and a["title"] in raw.decode("utf-16")
    html_charsets = {a["encoding"] for a in data["articles"] if a["format"] == "html"}
    assert "utf-8" in html_charsets and html_charsets & {"gb18030", "gbk", "gb2312"}
    for a in data["articles"]:
        if a["format"] == "html" and a["encoding"] in ("gbk", "gb2312", "gb18030", "big5"):
            raw = (out / a["path"]).read_bytes()
            head = raw[:400].decode("ascii", "replace").lower().replace('"', "")
            assert f"charset={a['encoding']}" in head      # the page declares the charset it is written in
            raw.decode(a["encoding"])


def test_traditional_text_is_traditional(corpus):
    import opencc

    out, _, data = corpus
    t2s = opencc.OpenCC("t2s")
    hant = [a for a in data["articles"] if a["language"] == "zh-hant"][:30]
    assert hant
    for a in hant:
        assert t2s.convert(a["title"]) != a["title"] or len(a["title"]) < 8


def test_reposts_are_about_one_percent_and_really_reposts(corpus):
    import opencc

    out, _, data = corpus
    reposts = data["reposts"]
    assert 8 <= len(reposts) <= 35
    by_path = {a["path"]: a for a in data["articles"]}
    plan = {item.ref: item for item in demo.plan_corpus(count=2000, seed=7)}
    gaz, lex = demo.load_gazetteer(), demo.lexicon()
    converters = {name: opencc.OpenCC(name) for name in ("s2t", "s2twp")}
    t2s = opencc.OpenCC("t2s")
    converted = 0
    for r in reposts:
        assert r["original"] != r["repost"]
        original, repost = by_path[r["original"]], by_path[r["repost"]]
        assert repost["repost_of"] == r["original"] and original["repost_of"] is None
        if original["language"] == repost["language"]:
            assert original["title"] == repost["title"]
        else:
            converted += 1
            assert {original["language"], repost["language"]} == {"zh-hans", "zh-hant"}
            assert t2s.convert(original["title"]) == t2s.convert(repost["title"])
        assert repost["source_url"] is None or repost["source_url"] != original["source_url"]
        assert (original["events"], original["districts"], original["places"]) == \
            (repost["events"], repost["districts"], repost["places"])
        # every body paragraph of the original is in the repost, verbatim (in the repost's script)
        item = plan[r["repost"]]
        article = demo.compose_article(seed=7, index=item.orig, lang="en" if item.orig_lang == "en" else "zh",
                                       gaz=gaz, lex=lex)
        config = "s2t" if item.convert else article.hant_config
        paras = demo.finalize(article.paras, article.mentions, item.lang, converters[config])
        text = read_item(out, r["repost"])
        if repost["format"] == "html" or "<html" in text[:300].lower():
            paras = [html.escape(p, quote=False) for p in paras]
        missing = [p for p in paras if p not in text]
        assert not missing, (r, missing[:1])
    non_reposts = [a for a in data["articles"] if a["repost_of"] is None]
    urls = [a["source_url"] for a in non_reposts if a["source_url"]]
    assert len(set(urls)) == len(urls)


def test_repost_paragraphs_match(tmp_path):
    """An article's content is a pure function of (seed, index, language)."""
    gaz = demo.load_gazetteer()
    lex = demo.lexicon()
    for index, lang in ((3, "en"), (4, "zh")):
        a = demo.compose_article(seed=9, index=index, lang=lang, gaz=gaz, lex=lex)
        b = demo.compose_article(seed=9, index=index, lang=lang, gaz=gaz, lex=lex)
        assert (a.title, a.paras) == (b.title, b.paras)


def test_lengths_near_targets():
    gaz = demo.load_gazetteer()
    lex = demo.lexicon()
    lengths = {"en": [], "zh": []}
    for i in range(240):
        lang = "en" if i % 2 else "zh"
        a = demo.compose_article(seed=11, index=i, lang=lang, gaz=gaz, lex=lex)
        script = "en" if lang == "en" else "zh-hans"
        paras = demo.finalize(a.paras, a.mentions, script)
        lengths[lang].append(sum(len(p) for p in paras))
    for lang, target in (("en", 4000), ("zh", 2000)):
        values = lengths[lang]
        assert abs(statistics.median(values) - target) < 0.15 * target, (lang, statistics.median(values))
        assert min(values) > 0.45 * target and max(values) < 1.65 * target, (lang, min(values), max(values))


def test_subject_is_in_title_or_lead_and_junk_is_present(corpus):
    out, _, data = corpus
    gaz = demo.load_gazetteer()
    names = {}
    for group in (gaz.events, gaz.places, gaz.districts, gaz.cities):
        for e in group:
            names[e.en] = e
    checked = 0
    for a in data["articles"]:
        if a["format"] != "txt" or a["language"] != "en" or a["repost_of"]:
            continue
        text = read_item(out, a["path"])
        lines = [line for line in text.splitlines() if line.strip()]
        title_at = lines.index(a["title"])
        lead = next(line for line in lines[title_at + 1:] if len(line) > 120)
        for key in ("events", "places", "districts"):
            for name in a[key]:
                ent = names[name]
                assert any(n in a["title"] + lead for n in (ent.en, ent.en_text, *ent.al_en)), (a["path"], name)
        checked += 1
    assert checked > 50
    html = [a for a in data["articles"] if a["format"] == "html"][:60]
    joined = "\n".join(read_item(out, a["path"]) for a in html)
    for marker in ("<nav", "<footer", 'class="share', "<script", "<title>"):
        assert marker in joined
    txt = "\n".join(read_item(out, a["path"]) for a in data["articles"][:300] if a["format"] == "txt")
    assert any(s in txt for s in ("当前位置", "您的位置", "Home >", "首页"))
    assert any(s in txt for s in ("责任编辑", "編輯", "Editor", "编辑"))
    assert any(s in txt for s in ("相关阅读", "相关新闻", "Related", "延伸阅读", "推荐阅读", "猜你喜欢", "You might also like"))
    with_url = sum(1 for a in data["articles"] if a["source_url"])
    assert 0.35 < with_url / len(data["articles"]) < 0.6


def test_long_tailed_vocabulary(corpus):
    import collections
    import re

    out, _, data = corpus
    texts = [read_item(out, a["path"]) for a in data["articles"][:600]]
    assert sum("PD-1" in t for t in texts) > 150          # a common term hits many articles
    lex = demo.lexicon()
    rank = {c.en: c.rank for c in lex.companies.items}
    assert len(rank) == len(lex.companies.items) >= 5000
    suffixes = "|".join(re.escape(s) for s, _ in demo.COMPANY_SUFFIXES)
    pattern = re.compile(rf"\b[A-Z][a-z]+ (?:{suffixes})\b")
    per_company = collections.Counter()
    for t in texts:
        for name in set(pattern.findall(t)):
            if name in rank:
                per_company[name] += 1
    assert len(per_company) > 1000                          # thousands of distinct made-up names...
    assert sum(1 for n in per_company.values() if n == 1) > 300          # ...most of them rare
    assert max(per_company.values()) > 20 * statistics.median(per_company.values())


def test_templates_only_use_known_slots():
    known = {"E", "P", "D", "C", "od", "op", "oe", "oc", "co", "partner", "inv", "tgt", "mod", "dis", "topic", "ph",
             "reg", "ms", "drug", "amt", "amtb", "pct", "n", "k", "nn", "area", "yr", "fy", "person", "role", "q",
             "Y", "MD", "RANGE", "EVSTART", "ND", "CO", "DRUG", "TGT", "MOD", "DIS", "PH", "THEME", "PARTNER", "INV",
             "ROUND", "AMT", "AMTB", "N", "PCT", "ORD", "DEAL", "REG"}
    for table in (demo.EN, demo.ZH):
        for key, templates in table.items():
            for template in templates:
                for _, name, base, _ in demo._parse(template):
                    assert name is None or base in known, (key, template)
    assert set(demo.EN) - {"prefix"} <= set(demo.ZH)


def test_tiny_gazetteer_still_works(tmp_path):
    gaz = {"cities": [{"slug": "c", "name_en": "Alpha City", "name_zh_hans": "阿尔法", "name_zh_hant": "阿爾法", "aliases": []}],
           "districts": [{"slug": "d", "city": "c", "name_en": "Beta District", "name_zh_hans": "贝塔区",
                          "name_zh_hant": "貝塔區", "aliases": ["Beta", "贝塔"]}],
           "places": [], "sources": [],
           "events": [{"slug": "e", "city": None, "name_en": "Gamma Forum", "name_zh_hans": "伽马论坛",
                       "name_zh_hant": "伽馬論壇", "aliases": []}]}
    path = tmp_path / "g.json"
    path.write_text(json.dumps(gaz, ensure_ascii=False), encoding="utf-8")
    m = demo.generate_corpus(count=150, seed=1, out_dir=tmp_path / "out", gazetteer=path)
    assert m.count == 150 and sum(m.languages.values()) == 150
    events = [a for a in m.articles if a["events"]]
    assert events and all(a["city"] is None for a in events)


def test_command_writes_and_summarises(tmp_path):
    out = io.StringIO()
    call_command("generate_demo", count=60, seed=2, out=str(tmp_path / "c"), stdout=out, stderr=io.StringIO())
    line = out.getvalue().strip()
    assert "\n" not in line and line.startswith("generated 60 articles")
    assert (tmp_path / "c" / "manifest.json").is_file()


@pytest.mark.parametrize("options", [
    {"count": 0}, {"count": -5}, {"count": "abc"}, {"count": "1.5"}, {"count": None}, {"out": None},
    {"seed": "x"}, {"workers": 0},
])
def test_usage_errors(tmp_path, options):
    kwargs = {"count": 10, "out": str(tmp_path / "c")} | options
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    with pytest.raises(CommandError) as err:
        call_command("generate_demo", stdout=io.StringIO(), stderr=io.StringIO(), **kwargs)
    assert err.value.returncode == 2


def test_usage_errors_about_the_output_folder(tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    for out in (a_file, a_file / "sub", busy):
        with pytest.raises(CommandError) as err:
            call_command("generate_demo", count=5, out=str(out), stdout=io.StringIO(), stderr=io.StringIO())
        assert err.value.returncode == 2
    assert (busy / "notes.txt").read_text() == "mine"


def test_command_is_deterministic_across_processes_and_hash_seeds(tmp_path):
    """The real command line, in another interpreter with other string hashing, writes the same bytes."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONHASHSEED="12345")
    done = subprocess.run(
        [sys.executable, "manage.py", "generate_demo", "--count", "150", "--seed", "4", "--out", str(tmp_path / "x")],
        cwd=root, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1 and done.stdout.startswith("generated 150 articles")
    demo.generate_corpus(count=150, seed=4, out_dir=tmp_path / "y")       # this interpreter's own hash seed
    assert tree_digest(tmp_path / "x") == tree_digest(tmp_path / "y")
    bad = subprocess.run([sys.executable, "manage.py", "generate_demo", "--count", "x", "--out", str(tmp_path / "z")],
                         cwd=root, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "count" in bad.stderr
