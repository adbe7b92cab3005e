"""extract_date / extract_year / find_source on made-up articles."""
import datetime

import pytest

from articles.ingest.clean import Cleaned, clean_text
from articles.ingest.extract import SourceMatch, SourceSpec, extract_date, extract_year, find_source

D = datetime.date


def _c(header=(), paragraphs=("Body text of the article.",), title="A title"):
    return Cleaned(title=title, header=list(header), paragraphs=list(paragraphs), removed=[])


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "line,expected",
    [
        ("Mar 3, 2024, 08:15 ET", D(2024, 3, 3)),
        ("Nov 30, 2021, 23:59 ET", D(2021, 11, 30)),  # no time-zone shift to the next day
        ("2023-10-07 14:43", D(2023, 10, 7)),
        ("发布时间：2023年10月7日 09:00", D(2023, 10, 7)),
        ("2023/10/07", D(2023, 10, 7)),
        ("2023.10.07 来源：某某日报", D(2023, 10, 7)),
        ("Published: October 7, 2023", D(2023, 10, 7)),
        ("Updated 7 Oct 2023", D(2023, 10, 7)),
        ("7th October, 2023 | 10:20", D(2023, 10, 7)),
        ("２０２３年１０月７日", D(2023, 10, 7)),  # full-width digits
        ("発行 2023 年 10 月 7 日", D(2023, 10, 7)),
        ("25/12/2022", D(2022, 12, 25)),
    ],
)
def test_header_date_formats(line, expected):
    assert extract_date(_c(header=[line])) == expected


def test_first_header_date_wins_over_later_ones():
    c = _c(header=["2024-01-05 10:00", "Updated: 2024-02-01"])
    assert extract_date(c) == D(2024, 1, 5)


@pytest.mark.parametrize("clock", ["今天是2024年2月15日 星期四", "Today is Thursday, February 15, 2024"])
def test_a_portals_clock_above_the_title_is_not_the_date(clock):
    c = _c(header=[clock, "2023-07-06 11:02:08"])
    assert extract_date(c) == D(2023, 7, 6)


def test_body_dates_are_never_used():
    c = _c(paragraphs=["The trial started on 2021-06-01 and ended on March 3, 2023.", "More text."])
    assert extract_date(c) is None


def test_month_day_without_year_is_not_a_date():
    assert extract_date(_c(header=["10月7日 14:43"])) is None
    assert extract_date(_c(header=["Oct 7, 14:43"])) is None


def test_repost_relative_time_byline_is_ignored():
    page = "某药企新厂投产\nwebmaster 3天前 (05-14) 行业动态 128\n某药企位于成都的新厂今日正式投产，年产能达到五千万支，将主要供应西南地区市场。\n"
    c = clean_text(page)
    assert extract_date(c) is None
    assert not any("05-14" in h for h in c.header)


def test_dateline_with_update_note_still_dated():
    page = (
        "Drugmaker licenses cancer drug\nBy Jane Doe\nMarch 5, 20242:15 AM GMTUpdated 3 hours ago\n"
        "SHANGHAI, March 5 (Wire) - A drugmaker said on Tuesday it had licensed a cancer drug to a U.S. company.\n"
    )
    assert extract_date(clean_text(page)) == D(2024, 3, 5)


def test_impossible_and_future_dates_rejected():
    assert extract_date(_c(header=["2023-02-30"])) is None
    assert extract_date(_c(header=["2023-13-01"])) is None
    future = datetime.date.today() + datetime.timedelta(days=400)
    assert extract_date(_c(header=[future.isoformat()])) is None
    assert extract_date(_c(header=["1901-01-01"])) is None


def test_wire_dateline_in_first_paragraph():
    c = _c(paragraphs=["HANGZHOU, China, March 5, 2024 /GlobeWire/ -- A biotech company today announced results.", "x"])
    assert extract_date(c) == D(2024, 3, 5)
    c = _c(paragraphs=["BEIJING, Jan. 9, 2023 -- The company said on Monday it had raised funds.", "x"])
    assert extract_date(c) == D(2023, 1, 9)


def test_chinese_news_agency_dateline():
    c = _c(paragraphs=["新华社北京2023年10月7日电 国家药监局7日发布公告。"])
    assert extract_date(c) == D(2023, 10, 7)


def test_date_inside_first_paragraph_text_is_not_a_dateline():
    c = _c(paragraphs=["The company, founded on March 5, 2019, said sales rose last year."])
    assert extract_date(c) is None


def test_html_date_is_a_fallback():
    assert extract_date(_c(), html_date="2022-08-09") == D(2022, 8, 9)
    assert extract_date(_c(header=["2023-01-02"]), html_date="2022-08-09") == D(2023, 1, 2)
    assert extract_date(_c(), html_date="garbage") is None


def test_date_from_cleaned_page():
    page = (
        "Hospital group opens research centre\n"
        "By Chen Li\n"
        "Sep 1, 2023, 10:00 ET\n"
        "The hospital group opened a research centre on Friday, with 200 scientists working on gene therapy.\n"
        "The centre was first announced in 2019.\n"
    )
    assert extract_date(clean_text(page)) == D(2023, 9, 1)


# --------------------------------------------------------------------------- year


def test_year_adjacent_to_event_in_title_wins():
    y = extract_year(
        title="2025 Suzhou Medical Devices Expo opens",
        paragraphs=["The expo, first held in 2015, runs until Friday."],
        date=D(2024, 12, 30),
        event_names=["Suzhou Medical Devices Expo"],
    )
    assert y == 2025


def test_year_after_event_name():
    y = extract_year(
        title="Highlights from Bio Innovation Week Chengdu 2021",
        paragraphs=["..."],
        date=D(2022, 1, 3),
        event_names=["Bio Innovation Week"],
    )
    assert y == 2021


def test_year_adjacent_to_event_in_lead_wins_over_publication_year():
    y = extract_year(
        title="Forum closes with record attendance",
        paragraphs=["On Sunday the 2019 Guangzhou Pharma Forum closed after three days.", "In 2022 it will move."],
        date=D(2020, 1, 2),
        event_names=["Guangzhou Pharma Forum"],
    )
    assert y == 2019


def test_chinese_event_year_with_edition_number_and_traditional_name():
    y = extract_year(
        title="峰會開幕",
        paragraphs=["「2022·第三屆西湖醫藥創新峰會」今日在杭州開幕。"],
        date=D(2023, 1, 1),
        event_names=["西湖医药创新峰会"],
    )
    assert y == 2022


def test_year_in_title_without_event():
    assert extract_year(title="Drug sales in 2021 rose", paragraphs=["x"], date=D(2022, 3, 1)) == 2021


def test_target_year_in_title_is_not_the_articles_year():
    # published 2021 about a plan for 2026: the article's year is 2021
    assert extract_year(title="杭州发布生物医药产业行动方案 目标2026年规模达374亿元", paragraphs=["x"],
                        date=D(2021, 3, 31)) == 2021
    assert extract_year(title="City sets US$2.9 billion biopharma target for 2028", paragraphs=["x"],
                        date=D(2024, 5, 1)) == 2024
    # an event's edition in the title still wins, whatever its year
    assert extract_year(title="2026 Summit on cell therapy to open in Suzhou", paragraphs=["x"],
                        date=D(2025, 11, 2)) == 2026


def test_amounts_are_not_years():
    assert extract_year(title="公司投资2000亿元建设新基地", paragraphs=["x"], date=D(2023, 5, 1)) == 2023
    assert extract_year(title="Sales hit 2,024 units", paragraphs=["x"], date=None) is None


def test_publication_year_before_body_years():
    y = extract_year(title="Company reports results", paragraphs=["Revenue grew from 2018 to 2020."], date=D(2021, 4, 1))
    assert y == 2021


def test_event_word_in_lead_when_nothing_else():
    y = extract_year(
        title="Experts discuss drug pricing",
        paragraphs=["At the 2020 Wuhan Health Summit, experts discussed pricing.", "Prices fell in 2019."],
        date=None,
    )
    assert y == 2020
    y = extract_year(title="专家热议", paragraphs=["2021南京生物医药创新大会上，专家表示……"], date=None)
    assert y == 2021


def test_no_year_at_all():
    assert extract_year(title="Experts discuss pricing", paragraphs=["Prices fell in 2019 and rose later."], date=None) is None


def test_year_never_from_beyond_the_lead():
    paras = ["Lead paragraph without years.", "Second paragraph.", "The 2018 Beijing Biotech Conference was mentioned."]
    assert extract_year(title="t", paragraphs=paras, date=None, event_names=["Beijing Biotech Conference"]) is None


# --------------------------------------------------------------------------- source

SOURCES = [
    SourceSpec("metro-daily", ("Metro Daily", "都市日报", "都市日報"), ("metrodaily.example",), ("Photo: Metro Daily", "Staff Photographer")),
    SourceSpec("globewire", ("GlobeWire", "Globe Wire", "环球通讯"), ("globewire.example",), ()),
    SourceSpec("health-times", ("Health Times", "健康时报", "健康時報"), ("healthtimes.example",), ("健康时报记者",)),
    SourceSpec("river-post", ("River Post", "江河报"), ("riverpost.example",), ()),
]


def test_url_domain_wins():
    m = find_source(_c(), raw_text="", sources=SOURCES, url="https://www.metrodaily.example/a/1.html")
    assert m.slug == "metro-daily" and "url" in m.evidence


def test_subdomain_and_sitename():
    assert find_source(_c(), raw_text="", sources=SOURCES, url="http://m.news.healthtimes.example/x").slug == "health-times"
    assert find_source(_c(), raw_text="", sources=SOURCES, sitename="健康時報").slug == "health-times"


def test_traditional_source_line_matches_simplified_name():
    c = _c(header=["2023-01-02 10:00", "來源：都市日報"])
    m = find_source(c, raw_text="", sources=SOURCES)
    assert m == SourceMatch(slug="metro-daily", name="Metro Daily", evidence="source line: 來源：都市日報")


def test_source_line_case_insensitive_english():
    m = find_source(_c(header=["Source: METRO DAILY"]), raw_text="", sources=SOURCES)
    assert m.slug == "metro-daily"


def test_unknown_outlet_in_source_line_is_reported_for_a_curator():
    m = find_source(_c(header=["2024-03-01 来源：长江医药网 作者：张三"]), raw_text="", sources=SOURCES)
    assert m.slug is None and m.name == "长江医药网"


def test_generic_source_values_are_not_outlets():
    m = find_source(_c(header=["来源：网络"]), raw_text="", sources=SOURCES)
    assert m is None


def test_press_release_issuer_is_not_the_outlet():
    c = _c(
        header=["SOURCE Riverbank Pharmaceuticals Co., Ltd."],
        paragraphs=["SUZHOU, China, May 2, 2024 /GlobeWire/ -- Riverbank Pharmaceuticals announced results.", "x"],
    )
    m = find_source(c, raw_text="", sources=SOURCES)
    assert m.slug == "globewire"


def test_unknown_wire_tag_becomes_unknown_outlet():
    c = _c(header=["SOURCE Acme Bio"], paragraphs=["BOSTON, May 2, 2024 /NovaWire/ -- Acme Bio announced results.", "x"])
    m = find_source(c, raw_text="", sources=SOURCES)
    assert m == SourceMatch(slug=None, name="NovaWire", evidence="wire dateline tag /NovaWire/")


def test_title_suffix_names_the_wire():
    page = "Acme Bio doses first patient – Globe Wire\nAcme Bio said on Monday it had dosed the first patient in a phase 2 trial.\n"
    c = clean_text(page)
    assert c.title == "Acme Bio doses first patient"
    assert find_source(c, raw_text=page, sources=SOURCES).slug == "globewire"


def test_photo_credit_signature_in_article():
    c = _c(paragraphs=["Doctors at work. Staff Photographer Wang Hong", "The hospital opened."])
    assert find_source(c, raw_text="", sources=SOURCES).slug == "metro-daily"


def test_cut_credit_in_header_counts():
    page = "Clinic opens\nThe clinic opened on Monday.Photo: Metro Daily.Doctors welcomed the first patients.\n"
    c = clean_text(page, credit_signatures=["Photo: Metro Daily"])
    assert "Metro Daily" not in c.body
    assert find_source(c, raw_text=page, sources=SOURCES).slug == "metro-daily"


def test_name_in_byline_and_lead():
    c = _c(header=["健康时报 记者 王五 编辑 赵六"])
    assert find_source(c, raw_text="", sources=SOURCES).slug == "health-times"
    c = _c(paragraphs=["江河报讯（记者 李四）3月1日，某医院新院区启用。"])
    assert find_source(c, raw_text="", sources=SOURCES).slug == "river-post"


def test_repost_sites_own_name_in_junk_is_not_the_source():
    page = (
        "当前位置：首页 > 江河报 > 正文\n"
        "新院区启用\n"
        "某医院新院区于三月一日正式启用，共设置床位一千二百张，将缓解周边居民就医难的问题。\n"
        "相关文章\n"
        "江河报：另一篇文章的标题\n"
    )
    c = clean_text(page)
    assert find_source(c, raw_text=page, sources=SOURCES) is None


def test_raw_text_signature_before_tail_is_used():
    c = _c(paragraphs=["某医院新院区启用，床位一千二百张。"])
    raw = "健康时报记者 摄\n某医院新院区启用，床位一千二百张。\n相关文章\n江河报的文章"
    assert find_source(c, raw_text=raw, sources=SOURCES).slug == "health-times"


@pytest.mark.parametrize("line", ["From: Metro Daily", "Credit: Metro Daily", "Courtesy of Metro Daily",
                                  "Metro Daily reporter Li Si", "健康时报记者 王五"])
def test_attribution_line_the_cleaner_removed_names_a_known_outlet(line):
    c = Cleaned(title="A title", header=[], paragraphs=["Body text of the article."],
                removed=["Share this article", line])
    m = find_source(c, raw_text="", sources=SOURCES)
    assert m is not None and m.slug in ("metro-daily", "health-times") and "attribution line" in m.evidence


@pytest.mark.parametrize("line", ["Originally published by Metro Daily", "資料來源：都市日報", "First published in Metro Daily"])
def test_more_ways_pages_name_their_outlet(line):
    m = find_source(_c(header=[line]), raw_text="", sources=SOURCES)
    assert m is not None and m.slug == "metro-daily"


@pytest.mark.parametrize("line", ["本文来源：都市日报", "转载请注明出处：https://www.metrodaily.example/news/2026/01/23/1.html",
                                  "From: Metro Daily"])
def test_closing_attribution_lines_name_the_outlet(line):
    c = Cleaned(title="A title", header=[], paragraphs=["Body text of the article."], removed=[line, "相关阅读"])
    m = find_source(c, raw_text="", sources=SOURCES)
    assert m is not None and m.slug == "metro-daily"


def test_removed_lines_never_make_up_an_outlet():
    # a related-articles list or an unknown credit is no evidence of the outlet
    c = Cleaned(title="A title", header=[], paragraphs=["Body text of the article."],
                removed=["From: Valley Biotech Journal", "· Metro Daily: clinic opens, patients arrive and doctors "
                         "welcome them in the new wing of the hospital 2023-01-02"])
    assert find_source(c, raw_text="", sources=SOURCES) is None


def test_section_name_as_site_name_is_not_an_outlet():
    assert find_source(_c(), raw_text="", sources=SOURCES, sitename="News Center") is None
    assert find_source(_c(), raw_text="", sources=SOURCES, sitename="新闻中心") is None


def test_unknown_sitename_is_last_resort():
    m = find_source(_c(), raw_text="", sources=SOURCES, sitename="Valley Biotech Journal")
    assert m.slug is None and m.name == "Valley Biotech Journal"


def test_no_evidence_gives_none():
    assert find_source(_c(), raw_text="Nothing here.", sources=SOURCES) is None


# --------------------------------------------------------------------------- HTML pages

from articles.ingest.decode import decode_bytes  # noqa: E402
from articles.ingest.html import html_to_document, looks_like_html  # noqa: E402

HTML_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>江南药业完成新一轮融资_健康频道_江南都市网</title>
<link rel="canonical" href="https://health.jiangnan.example/2023/1008/123.html">
<meta property="og:site_name" content="江南都市网">
</head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/health">健康</a> &gt; 正文</div>
<div class="article">
<h1>江南药业完成新一轮融资</h1>
<div class="info"><span>2023-10-08 09:30</span> <span>来源：都市日报</span> <span>作者：王五</span></div>
<div class="share">分享到：<a>微信</a><a>微博</a></div>
<p>本报讯 10月8日，江南药业宣布完成数亿元人民币的新一轮融资，本轮融资由多家知名投资机构联合领投，资金将主要用于创新药物的临床研究和生产基地建设。</p>
<p>公司创始人表示，本轮融资将帮助公司加快推进核心产品的三期临床试验，同时扩大在苏州和上海两地的研发团队规模，进一步提升自主创新能力。</p>
<p>业内人士认为，随着生物医药产业政策持续优化，创新药企业的融资环境正在逐步改善，资本市场对于具有核心技术的企业依然保持较高关注。</p>
<p class="editor">【责任编辑：赵六】</p>
</div>
<div class="related"><h3>相关阅读</h3><ul><li><a href="/1">另一家药企获批上市</a></li><li><a href="/2">医疗器械展会在京开幕</a></li></ul></div>
<div class="footer">版权所有 © 江南都市网 京ICP备12345678号</div>
</body></html>
"""


def test_looks_like_html():
    assert looks_like_html(HTML_PAGE)
    assert looks_like_html("<div><p>One</p><p>Two</p><p>Three</p></div>")
    assert not looks_like_html("A plain text article that mentions the <p> tag once.\nAnd more text.")
    assert not looks_like_html("上海国际生物医药产业周开幕。\n" * 20)
    assert not looks_like_html("Price < 5 and > 3 in 2023.")


def test_html_page_to_clean_article():
    doc = html_to_document(HTML_PAGE)
    assert doc.title == "江南药业完成新一轮融资"
    assert doc.url == "https://health.jiangnan.example/2023/1008/123.html"
    assert doc.sitename == "江南都市网"
    c = clean_text(doc.text, hint_title=doc.title)
    assert c.title == "江南药业完成新一轮融资"
    assert len(c.paragraphs) == 3
    assert "分享到" not in c.body and "相关阅读" not in c.body and "版权所有" not in c.body
    assert extract_date(c, html_date=doc.date) == D(2023, 10, 8)
    m = find_source(c, raw_text=HTML_PAGE, sources=SOURCES, url=doc.url, sitename=doc.sitename)
    assert m.slug == "metro-daily" and m.evidence.startswith("source line")


def test_html_page_without_a_date_gets_none_not_today():
    page = HTML_PAGE.replace("<span>2023-10-08 09:30</span>", "").replace("/2023/1008/", "/a/")
    doc = html_to_document(page)
    assert doc.date is None
    c = clean_text(doc.text, hint_title=doc.title)
    assert extract_date(c, html_date=doc.date) is None


def test_truncated_html_still_gives_the_article():
    cut = HTML_PAGE.index("业内人士认为") + 20
    doc = html_to_document(HTML_PAGE[:cut])
    assert "本轮融资由多家知名投资机构联合领投" in doc.text
    assert "扩大在苏州和上海两地的研发团队规模" in doc.text
    c = clean_text(doc.text, hint_title=doc.title)
    assert c.title == "江南药业完成新一轮融资"
    assert len(c.paragraphs) >= 2


def test_malformed_fragment_without_html_or_body_tags():
    frag = (
        "<h1>Clinic opens in Ningbo<p>The new clinic opened on Monday with 40 beds and a day-surgery unit for local patients."
        "<p>It is run by a private hospital group that plans five more clinics in the province by next year.<div>"
    )
    doc = html_to_document(frag)
    assert "40 beds" in doc.text and "five more clinics" in doc.text


def test_gbk_html_bytes_decode_and_extract():
    data = HTML_PAGE.replace('charset="utf-8"', 'charset="gbk"').replace("©", "").encode("gbk")
    text = decode_bytes(data)
    doc = html_to_document(text)
    assert doc.title == "江南药业完成新一轮融资"
    assert "都市日报" in doc.text


def test_english_html_page_with_byline_and_wire_dateline():
    page = """<html><head><title>Acme Bio doses first patient | Valley Biotech Journal</title>
    <meta property="article:published_time" content="2024-05-02T08:00:00-04:00"></head><body>
    <nav><a>Home</a> <a>News</a> <a>Contact Us</a></nav>
    <article><h1>Acme Bio doses first patient</h1><p class="byline">By Mary Major</p>
    <p>SUZHOU, China, May 2, 2024 /GlobeWire/ -- Acme Bio said on Thursday it had dosed the first patient in a phase 2 study of its antibody.</p>
    <p>The company expects data from the study in the second half of next year, it said in a statement.</p></article>
    <aside><h3>Related Stories</h3><ul><li>Another company raises money</li></ul></aside></body></html>"""
    doc = html_to_document(page)
    c = clean_text(doc.text, hint_title=doc.title)
    assert c.title == "Acme Bio doses first patient"
    assert "By Mary Major" in c.header
    assert c.paragraphs[0].startswith("SUZHOU, China, May 2, 2024")
    assert extract_date(c, html_date=doc.date) == D(2024, 5, 2)
    assert find_source(c, raw_text=page, sources=SOURCES).slug == "globewire"


def test_source_line_of_a_press_release_names_the_issuer_when_a_wire_dateline_exists():
    c = _c(
        header=["Source: Riverbank Pharmaceuticals"],
        paragraphs=["SUZHOU, China, May 2, 2024 /GlobeWire/ -- Riverbank Pharmaceuticals announced results.", "x"],
    )
    assert find_source(c, raw_text="", sources=SOURCES).slug == "globewire"


def test_url_slashes_in_the_lead_are_not_a_wire_tag():
    c = _c(paragraphs=["See https://www.example.org/report/ for the full report on the new hospital.", "x"])
    assert find_source(c, raw_text="", sources=SOURCES) is None


def test_issuer_named_like_an_outlet_is_not_the_source():
    c = _c(header=["SOURCE River Post Pharmaceutical Co., Ltd."], paragraphs=["The company announced results.", "x"])
    assert find_source(c, raw_text="", sources=SOURCES) is None


# --------------------------------------------------------------------------- pages trafilatura misses

_TABLE_PARAS = [
    "The Riverside Biotech Forum opened on Monday in Suzhou Industrial Park, drawing about 400 researchers, "
    "executives and investors from China and abroad to two days of panels and partnering meetings.",
    "Organisers said 18 cooperation agreements worth a combined 2.1 billion yuan were signed on the first day, "
    "most of them between local drug developers and contract manufacturers.",
    "A session on cell therapy drew the largest crowd, as speakers argued that shorter review times now allow "
    "Chinese developers to start global trials much earlier than they could five years ago.",
    "The forum closes on Tuesday with a roadshow for twelve early-stage projects in rare diseases and a report "
    "on the region's biopharma output, which the organisers put at 95 billion yuan last year.",
]


def _table_page(paras=_TABLE_PARAS) -> str:
    """An old table layout: no <p>, paragraphs are &nbsp;-indented text separated by <BR><BR> in a <TD>."""
    body = "".join(f"&nbsp;&nbsp;&nbsp;&nbsp;{p}<BR><BR>\n" for p in paras)
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<HTML><HEAD><meta charset="utf-8"><title>Riverside Biotech Forum opens in Suzhou—Metro Daily</title></HEAD>
<BODY BGCOLOR="#FFFFFF">
<TABLE WIDTH="960" ALIGN="center"><TR><TD><FONT SIZE="2"><li><a href="/">Home</a></li><li><a href="/h">Health</a></li>
<li><a href="/b">Business</a></li><li><a href="/e">Events</a></li></FONT></TD></TR>
<TR><TD ALIGN="center"><FONT SIZE="5"><B>Riverside Biotech Forum opens in Suzhou</B></FONT></TD></TR>
<TR><TD ALIGN="center"><FONT COLOR="#666666"><span>May 6, 2024</span>&nbsp;&nbsp;<span>Source: Metro Daily</span>
&nbsp;&nbsp;<span>5120 reads</span></FONT></TD></TR>
<TR><TD>
{body}</TD></TR>
<TR><TD><div class="app-promo"><a href="/app/">Download our app</a></div></TD></TR>
</TABLE>
<CENTER><p><a href="/a">Privacy policy</a> | <a href="/c">Careers</a> | <a href="/d">Contact</a> | <a href="/s">Sitemap</a></p>
<p>Copyright 2024 Metro Daily | Terms of Use | Privacy Policy</p></CENTER>
</BODY></HTML>"""


def test_table_layout_with_br_paragraphs_gives_the_article():
    page = _table_page()
    doc = html_to_document(page)
    for p in _TABLE_PARAS:
        assert p in doc.text.split("\n")  # one line per <BR><BR> paragraph
    c = clean_text(doc.text, hint_title=doc.title)
    assert c.title == "Riverside Biotech Forum opens in Suzhou"
    assert c.paragraphs == _TABLE_PARAS
    assert "Privacy policy" not in c.body and "Copyright" not in c.body and "Download our app" not in c.body
    assert extract_date(c, html_date=doc.date) == D(2024, 5, 6)
    m = find_source(c, raw_text=page, sources=SOURCES, url=doc.url, sitename=doc.sitename)
    assert m.slug == "metro-daily"


def test_a_single_br_inside_a_paragraph_is_a_space():
    paras = [_TABLE_PARAS[0].replace(" drawing about", "<br>drawing about"), *_TABLE_PARAS[1:]]
    doc = html_to_document(_table_page(paras))
    assert _TABLE_PARAS[0] in doc.text.split("\n")


def test_article_in_divs_without_p_elements():
    paras = [
        "浦东新区张江科学城11月8日举行生物医药产业推进会，二十余家创新药和医疗器械企业与园区签署入驻协议，"
        "涉及细胞治疗、抗体药物和高端医疗器械等多个领域。",
        "园区负责人介绍，新建的公共研发平台配备符合药品生产质量管理规范的标准厂房，可满足企业从中试到商业化生产的需求，"
        "预计明年上半年全面投入使用。",
        "多家企业负责人表示，看中的是园区完善的产业配套、集聚的临床资源和快速的审批服务，"
        "希望借此加快核心产品的临床试验和上市进程。",
    ]
    page = (
        '<html><head><meta charset="utf-8"><title>张江科学城举行生物医药产业推进会_都市日报</title></head><body>'
        '<div class="top"><div class="menu"><a href="/">首页</a> <a href="/n">新闻</a> <a href="/c">产业</a></div></div>'
        '<div class="main"><div class="headline">张江科学城举行生物医药产业推进会</div>'
        '<div class="info">2023-11-08 09:30 来源：都市日报</div>'
        '<div class="content">' + "".join(f"<div>{p}</div>" for p in paras) + "</div></div>"
        '<div class="foot">版权所有 © 都市日报</div></body></html>'
    )
    doc = html_to_document(page)
    c = clean_text(doc.text, hint_title=doc.title)
    assert c.title == "张江科学城举行生物医药产业推进会"
    assert c.paragraphs == paras
    assert extract_date(c, html_date=doc.date) == D(2023, 11, 8)
    assert find_source(c, raw_text=page, sources=SOURCES, url=doc.url, sitename=doc.sitename).slug == "metro-daily"


def test_an_extracted_article_is_not_replaced_by_the_page_text():
    # trafilatura finds the article: the long comment-free sidebar text must not take over
    doc = html_to_document(HTML_PAGE)
    assert "相关阅读" not in doc.text and "另一家药企获批上市" not in doc.text


def test_div_article_recovered_when_the_extractor_returns_only_page_furniture(monkeypatch):
    # whatever the extractor's reason, a result far shorter than the page's long text blocks
    # gives way to the page's block-level text
    import articles.ingest.html as html_mod

    paras = _TABLE_PARAS
    page = (
        '<html><head><meta charset="utf-8"><title>Riverside Biotech Forum opens in Suzhou | Metro Daily</title></head>'
        '<body><div id="nav"><a href="/">Home</a> <a href="/n">News</a></div>'
        '<div class="wrap"><div class="headline">Riverside Biotech Forum opens in Suzhou</div>'
        '<div class="meta">2024-05-06 10:20 Source: Metro Daily</div>'
        + "".join(f"<div>{p}</div>" for p in paras)
        + '</div><div class="comments"><div>'
        + "A reader comment that goes on for quite a while about something else entirely. " * 3
        + "</div></div><footer>Copyright 2024 Metro Daily</footer></body></html>"
    )
    monkeypatch.setattr(html_mod, "_content", lambda tree, fast: "Copyright 2024 Metro Daily")
    doc = html_to_document(page)
    c = clean_text(doc.text, hint_title=doc.title)
    assert c.title == "Riverside Biotech Forum opens in Suzhou"
    assert c.paragraphs == paras  # no comments, no navigation, no footer
    assert extract_date(c, html_date=doc.date) == D(2024, 5, 6)


def test_headline_and_site_name_from_a_title_element_are_not_swapped():
    # (the metadata extractor skips a <title> segment holding a dot: "J.P. Morgan")
    headline = "J.P. Morgan forum opens in Qingpu District with focus on medical robotics"
    paragraph = ("&nbsp;&nbsp;The forum opened on March 18 in Shanghai's Qingpu District, drawing about 600 researchers, "
                 "executives and investors from China and abroad to talk about robots in hospitals.<BR><BR>")
    page = (
        '<HTML><HEAD><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        f"<title>{headline} | News Center</title>"
        '<meta name="keywords" content="News Center,Zeqi Pharma"></HEAD><BODY><TABLE WIDTH="960">'
        '<TR><TD><li><a href="/0/">Science</a></li><li><a href="/1/">Opinion</a></li></TD></TR>'
        f'<TR><TD ALIGN="center"><FONT SIZE="5"><B>{headline}</B></FONT></TD></TR>'
        '<TR><TD><span class="date">March 19, 2021</span></TD></TR>'
        f"<TR><TD>{paragraph * 6}</TD></TR></TABLE>"
        "<CENTER><p>© News Center 2004–2024</p></CENTER></BODY></HTML>"
    )
    doc = html_to_document(page)
    assert doc.title == headline
    assert doc.sitename in (None, "News Center")


@pytest.mark.parametrize("site", ["新闻中心", "Xinhua News Agency"])
def test_site_name_glued_to_the_title_with_a_dash_is_cut_when_the_page_prints_the_headline(site):
    headline = "宝山区生物医药企业完成2.1亿元C轮融资"
    paragraph = "<p>10月25日，上海宝山区一家生物医药企业宣布完成2.1亿元C轮融资，本轮由多家机构联合投资，资金将用于临床研究。</p>"
    page = (
        f'<html><head><meta charset="utf-8"><title>{headline}—{site}</title></head><body>'
        f'<div class="nav"><a href="/">首页</a></div><div class="headline"><b>{headline}</b></div>'
        f'<div class="content">{paragraph * 5}</div></body></html>'
    )
    doc = html_to_document(page)
    assert doc.title == headline
    assert doc.sitename == site
