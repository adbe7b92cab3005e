"""The five real seed pages through decode -> clean -> language / date / year /
source, compared with what the curator wants (shared/seeds-expected.*)."""
import json
import re
from pathlib import Path

import pytest

from articles.ingest.clean import clean_text
from articles.ingest.decode import decode_bytes
from articles.ingest.extract import SourceSpec, extract_date, extract_year, find_source
from articles.ingest.language import detect_language

SHARED = Path("/work/shared")
SEEDS = SHARED / "seeds"
GAZETTEER = Path(__file__).resolve().parents[2] / "articles" / "data" / "gazetteer.json"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not available")

# Used only when the gazetteer file is missing: the seeds' outlets and events.
_FALLBACK = {
    "sources": [
        {"slug": "the-paper", "name_en": "The Paper", "name_zh_hans": "澎湃新闻", "name_zh_hant": "澎湃新聞",
         "aliases": ["Pengpai", "Pengpai News"], "domains": ["thepaper.cn"], "signatures": ["Pengpai News Reporter"]},
        {"slug": "pr-newswire", "name_en": "PR Newswire", "name_zh_hans": "美通社", "name_zh_hant": "美通社",
         "aliases": ["PRNewswire"], "domains": ["prnewswire.com"], "signatures": ["/PRNewswire/"]},
        {"slug": "shanghai-daily", "name_en": "Shanghai Daily", "name_zh_hans": "上海日报", "name_zh_hant": "上海日報",
         "aliases": [], "domains": ["shine.cn"], "signatures": ["Ti Gong"]},
        {"slug": "the-beijing-news", "name_en": "The Beijing News", "name_zh_hans": "新京报", "name_zh_hant": "新京報",
         "aliases": [], "domains": ["bjnews.com.cn"], "signatures": ["新京报记者"]},
    ],
    "events": [
        {"name_en": "Shanghai International Biopharma Industry Week", "name_zh_hans": "上海国际生物医药产业周",
         "name_zh_hant": "上海國際生物醫藥產業周",
         "aliases": ["Shanghai International Biopharmaceutical Industry Week", "International Biopharma Industry Week Shanghai"]},
        {"name_en": "Meilan Lake Biopharma Innovation Conference", "name_zh_hans": "美兰湖生物医药创新大会",
         "name_zh_hant": "美蘭湖生物醫藥創新大會", "aliases": []},
        {"name_en": "Hangzhou Biopharma Frontier Innovation Forum", "name_zh_hans": "杭州生物医药前沿创新论坛",
         "name_zh_hant": "杭州生物醫藥前沿創新論壇", "aliases": []},
    ],
}


def _gazetteer() -> dict:
    if GAZETTEER.is_file():
        return json.loads(GAZETTEER.read_text(encoding="utf-8"))
    return _FALLBACK


def _names(row: dict) -> list[str]:
    return [n for n in [row.get("name_en"), row.get("name_zh_hans"), row.get("name_zh_hant"), *row.get("aliases", [])] if n]


def _sources() -> tuple[SourceSpec, ...]:
    return tuple(
        SourceSpec(slug=r["slug"], names=tuple(_names(r)), domains=tuple(r.get("domains", [])),
                   signatures=tuple(r.get("signatures", [])))
        for r in _gazetteer()["sources"]
    )


def _source_name(slug: str | None) -> str | None:
    for r in _gazetteer()["sources"]:
        if r["slug"] == slug:
            return r["name_en"]
    return None


def _event_surfaces(english_names: list[str], text: str) -> list[str]:
    """The event names as they appear in the text (what the tagger would pass)."""
    out = []
    for ev in _gazetteer()["events"]:
        if ev["name_en"] in english_names:
            out.extend(n for n in _names(ev) if n in text)
    return out


EXPECTED = json.loads((SHARED / "seeds-expected.json").read_text(encoding="utf-8")) if SEEDS.is_dir() else {}
FILES = sorted(EXPECTED)


def _nows(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _run(name: str):
    raw = decode_bytes((SEEDS / name).read_bytes())
    credits = tuple(sorted({sig for s in _sources() for sig in s.signatures}))
    cleaned = clean_text(raw, credit_signatures=credits)
    return raw, cleaned


@pytest.mark.parametrize("name", FILES)
def test_language(name):
    _raw, c = _run(name)
    assert detect_language(c.title + "\n" + c.body) == EXPECTED[name]["language"]


@pytest.mark.parametrize("name", FILES)
def test_title(name):
    _raw, c = _run(name)
    assert _nows(c.title) == _nows(EXPECTED[name]["title"])


@pytest.mark.parametrize("name", FILES)
def test_date(name):
    _raw, c = _run(name)
    d = extract_date(c)
    assert (d.isoformat() if d else None) == EXPECTED[name]["date"]


@pytest.mark.parametrize("name", FILES)
def test_year(name):
    raw, c = _run(name)
    d = extract_date(c)
    events = _event_surfaces(EXPECTED[name]["events"], c.title + "\n" + c.body)
    assert extract_year(title=c.title, paragraphs=c.paragraphs, date=d, event_names=events) == EXPECTED[name]["year"]
    # the year does not depend on the tagger having found the event
    assert extract_year(title=c.title, paragraphs=c.paragraphs, date=d) == EXPECTED[name]["year"]


@pytest.mark.parametrize("name", FILES)
def test_source(name):
    raw, c = _run(name)
    m = find_source(c, raw_text=raw, sources=_sources())
    assert m is not None and m.slug is not None, m
    assert _source_name(m.slug) == EXPECTED[name]["source"], m


# Junk listed per file in seeds-expected.md: none of it may remain in the body.
JUNK = {
    "000_7d44aef6555948ae.txt": ["Disclaimer", "sourced from the internet", "Shanghai.At the event site"],
    "001_90b39c19f8d6c4fe.txt": [
        "PR Newswire", "Share Article", "Searching for your content", "In-Language News", "Contact Us",
        "from 8 AM", "News provided by", "Share this article", "Cision", "888-776-0942", "You might also like",
        "Surviving", "corona", "Corona", "COVID", "Persian adage", "SOURCE Shanghai Biomedical",
    ],
    "002_d8ad025b4a4bc9f8.txt": ["分享到", "鏈接已復制", "當前位置", "首頁", "字體", "來源:澎湃新聞", "責任編輯", "胡俊", "返回頂部"],
    "003_f40f4f3d5eba4f6c.txt": ["Ti Gong", ".Ti", "Gong."],
    "004_ae0224cfa16f4bec.txt": [
        "当前位置", "首页", "正文内容", "admin", "9个月前", "(09-27)", "厦门产业信息", "新京报 记者 丁爽 编辑 陈莉",
        "打开新京报APP", "阅读更多精彩资讯", "黑龙江", "发改委", "新京智库", "蔡奇", "赣闽粤", "西南城市", "万亿",
        "葛毅明", "微信", "租售", "13391219793", "400 0123 021", "扫一扫", "版权声明", "厦门厂房网", "分享给朋友",
        "相关文章", "临港", "厦门", "海沧", "2019年12月", "生物医药港",
    ],
}

# Real paragraphs that must survive exactly once (a few chosen per seed; "=" marks a
# whole paragraph, e.g. a subheading).
KEEP = {
    "000_7d44aef6555948ae.txt": [
        "On October 16th, the opening event of the 2023 Shanghai International Biopharmaceutical Industry Week was held at the Zhangjiang Science Hall in Shanghai.",
        "At the event site, discussions were held among participants on topics such as innovation internationalization",
        "Professor Lu Bai from the School of Pharmacy at Tsinghua University",
        "particularly praised the \"Shanghai Biomedical Industry Investment Promotion Partnership Plan\"",
    ],
    "001_90b39c19f8d6c4fe.txt": [
        "SHANGHAI, Nov. 14, 2022 /PRNewswire/",
        "=Adhering to innovation-driven development from a global perspective",
        "Deep biology is a prerequisite for drug development",
        "=Building up the “highland” momentum under high-level opening-up",
        "contribute “Shanghai Wisdom” and “Shanghai Strength” to the Chinese path to modernization",
    ],
    "002_d8ad025b4a4bc9f8.txt": [
        "10月7日下午,上海市政府新聞辦舉行市政府新聞發布會",
        "2023上海國際生物醫藥產業周將于今年10月16日至20日舉辦",
        "=深化打造世界級生物醫藥產業會客廳",
        "=“5+360”的活動格局亮點紛呈",
        "四是全力凸顯上海生物醫藥無限發展機遇",
    ],
    "003_f40f4f3d5eba4f6c.txt": [
        "Agreements for new financial investments in biopharma tasks in Baoshan",
        "The level of technology in FDA-approved drugs.",
        "Zhai recommended the market to concentrate on precision medicine",
        "AI and also man-made biology are actually reshaping medicine",
    ],
    "004_ae0224cfa16f4bec.txt": [
        "新京报贝壳财经讯(记者丁爽)3月31日,2023杭州生物医药前沿创新论坛在杭州市临平区顺利举行",
        "此次论坛由临平区国家级经济技术开发区管理委员会",
        "科学家、企业家与投资人如何助力中国医药源头创新?",
        "会议末尾,浙江大学基础医学创新研究院副院长李大伟介绍",
    ],
}

PARAGRAPH_COUNTS = {
    "000_7d44aef6555948ae.txt": 6,
    "001_90b39c19f8d6c4fe.txt": 25,
    "002_d8ad025b4a4bc9f8.txt": 16,
    "003_f40f4f3d5eba4f6c.txt": 4,
    "004_ae0224cfa16f4bec.txt": 9,
}


@pytest.mark.parametrize("name", FILES)
def test_junk_not_in_body(name):
    _raw, c = _run(name)
    for junk in JUNK[name]:
        assert junk not in c.body, f"{junk!r} left in the body of {name}"


@pytest.mark.parametrize("name", FILES)
def test_real_paragraphs_survive_exactly_once(name):
    _raw, c = _run(name)
    for sentence in KEEP[name]:
        # "=..." is a whole paragraph (a subheading); otherwise a sentence inside one
        if sentence.startswith("="):
            sentence = sentence[1:]
            hits = [p for p in c.paragraphs if _nows(sentence) == _nows(p)]
        else:
            hits = [p for p in c.paragraphs if _nows(sentence) in _nows(p)]
        assert len(hits) == 1, f"{sentence!r}: {len(hits)} paragraphs"
    keys = [_nows(p) for p in c.paragraphs]
    assert len(keys) == len(set(keys)), "a paragraph appears twice"
    assert len(c.paragraphs) == PARAGRAPH_COUNTS[name]


def test_004_body_has_no_repost_places_and_no_phone_number():
    _raw, c = _run("004_ae0224cfa16f4bec.txt")
    assert "厦门" not in c.body and "海沧" not in c.body
    assert not re.search(r"\d{3}[\s-]?\d{4}[\s-]?\d{3,4}", c.body)
    assert "新京报 记者 丁爽 编辑 陈莉" in c.header


def test_001_body_has_no_corona():
    _raw, c = _run("001_90b39c19f8d6c4fe.txt")
    assert "corona" not in c.body.lower() and "covid" not in c.body.lower()
    assert c.paragraphs[-1].startswith("“Aiming high and scaling new heights”")


def test_002_body_has_no_simplified_spam():
    _raw, c = _run("002_d8ad025b4a4bc9f8.txt")
    for word in ("无码", "在线观看", "视频", "少妇", "av"):
        assert word not in c.body and word not in c.title
    assert "來源:澎湃新聞" in c.header


def test_003_credit_cut_and_kept_in_header():
    _raw, c = _run("003_f40f4f3d5eba4f6c.txt")
    assert "Ti Gong" in c.header
    assert c.paragraphs[0].startswith("Agreements for new financial investments")


def test_000_standfirst_dropped():
    _raw, c = _run("000_7d44aef6555948ae.txt")
    assert not any("Shanghai.At the event site" in p for p in c.paragraphs)
    assert any("Shanghai.At the event site" in r for r in c.removed)
