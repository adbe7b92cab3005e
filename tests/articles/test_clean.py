"""clean_text on made-up pages from made-up outlets: the rules must generalise
beyond the five seeds (other sites, other phrasing, both scripts)."""
import re

import pytest

from articles.ingest.clean import Cleaned, clean_text, strip_site_suffix

EN_PAGE = """\
Home > News > Biotech
Cellverse raises $80 million to expand cell therapy plant | Bay Biotech Times
Share on Twitter
Share on Facebook
Email
By Maria Gonzalez
Published: March 3, 2024 8:15 a.m.
Cellverse, a Suzhou-based cell therapy developer, said on Tuesday it had raised $80 million in a Series C round led by two healthcare funds.
The company will use the proceeds to double the capacity of its manufacturing plant and to start two clinical trials in the United States.
Expansion plans
Chief executive Li Wen said the new plant would create 300 jobs by 2026 and would be built next to the existing campus.
"We see strong demand from hospitals for our products," she said.
Related Stories
Another biotech lists in Hong Kong
Vaccine maker opens new lab in Wuxi
Copyright © 2024 Bay Biotech Times. All rights reserved.
"""

ZH_PAGE = """\
您的位置：首页 > 医药 > 正文
江南生物新药获批上市 填补国内空白
2024年5月12日 10:20 来源：江南健康报
字号：大 中 小
本报讯（记者 李明）5月11日，江南生物宣布其自主研发的抗肿瘤新药获得国家药品监督管理局批准上市，这是国内首个同类靶点药物。
该药物在三期临床试验中显示出良好的疗效和安全性，公司计划于今年下半年在全国三十个省份的医院实现供货。
研发历程
公司研发负责人介绍，该项目历时九年，先后攻克了靶点筛选、分子优化和规模化生产等多个技术难题。
责任编辑：周红
医保目录调整方案公布 这些药品有望纳入
一季度医药工业增加值同比增长
多地出台措施支持创新药发展
商务合作请加微信号：jnhealth2024
扫码关注我们的公众号
"""


def _assert_no(body: str, *snippets: str) -> None:
    for s in snippets:
        assert s not in body, f"junk left in body: {s!r}"


def _assert_once(c: Cleaned, *snippets: str) -> None:
    for s in snippets:
        hits = [p for p in c.paragraphs if s in p]
        assert len(hits) == 1, f"{s!r} found {len(hits)} times"


# --------------------------------------------------------------------------- English page


def test_english_page_title_strips_site_suffix():
    c = clean_text(EN_PAGE)
    assert c.title == "Cellverse raises $80 million to expand cell therapy plant"


def test_english_page_widgets_breadcrumb_related_and_copyright_removed():
    c = clean_text(EN_PAGE)
    _assert_no(c.body, "Home >", "Share on", "Email", "Related Stories", "Another biotech", "Vaccine maker", "Copyright")
    assert "Share on Twitter" in c.removed and "Vaccine maker opens new lab in Wuxi" in c.removed


def test_english_page_byline_and_dateline_go_to_header():
    c = clean_text(EN_PAGE)
    assert "By Maria Gonzalez" in c.header
    assert any("March 3, 2024" in h for h in c.header)
    _assert_no(c.body, "Maria Gonzalez", "Published")


def test_english_page_keeps_paragraphs_and_subheading_in_order():
    c = clean_text(EN_PAGE)
    assert c.paragraphs[0].startswith("Cellverse, a Suzhou-based")
    assert c.paragraphs[2] == "Expansion plans"
    assert c.paragraphs[-1].startswith('"We see strong demand')
    assert len(c.paragraphs) == 5


# --------------------------------------------------------------------------- Chinese page


def test_chinese_page_title_and_header():
    c = clean_text(ZH_PAGE)
    assert c.title == "江南生物新药获批上市 填补国内空白"
    assert any("来源：江南健康报" in h for h in c.header)
    assert "责任编辑：周红" in c.header


def test_chinese_page_breadcrumb_font_widget_editor_headline_tail_and_advert_removed():
    c = clean_text(ZH_PAGE)
    _assert_no(c.body, "您的位置", "字号", "责任编辑", "医保目录", "一季度", "多地出台", "微信", "公众号")
    assert c.paragraphs[-1].startswith("公司研发负责人介绍")


def test_chinese_page_keeps_subheading_inside_body():
    c = clean_text(ZH_PAGE)
    assert "研发历程" in c.paragraphs
    assert c.paragraphs.index("研发历程") == 2


def test_traditional_page_with_simplified_spam_first_line():
    page = (
        "手机游戏下载,热门小说排行,明星八卦新闻,最新电影资源\n"
        "高雄生技聚落啟動第二期擴建\n"
        "分享到：\n"
        "高雄生技聚落啟動第二期擴建\n"
        "2024-02-20 09:00\n"
        "來源：南方生醫週報\n"
        "高雄市政府二十日宣布，生技聚落第二期擴建工程正式啟動，預計引進三十家醫材與新藥研發企業，創造一千五百個就業機會。\n"
        "市府表示，第二期園區將設置共用實驗室與法規諮詢中心，協助新創團隊縮短產品上市時程。\n"
        "【責任編輯：林小美】\n"
        "返回頂部\n"
    )
    c = clean_text(page)
    assert c.title == "高雄生技聚落啟動第二期擴建"
    _assert_no(c.body, "手机游戏", "热门小说", "分享到", "返回頂部", "責任編輯", "來源")
    assert "手机游戏下载,热门小说排行,明星八卦新闻,最新电影资源" in c.removed
    assert "來源：南方生醫週報" in c.header
    assert len(c.paragraphs) == 2
    # the title printed twice appears in neither body nor title twice
    assert not any("第二期擴建" == p for p in c.paragraphs)


def test_pornographic_spam_line_in_same_script_removed_by_vocabulary():
    page = (
        "在线观看免费视频 国产精品久久精品\n"
        "新药研发进展\n"
        "某药企今日宣布其新药进入三期临床试验阶段，预计明年提交上市申请，公司股价当日上涨百分之五。\n"
    )
    c = clean_text(page)
    assert c.title == "新药研发进展"
    assert "在线观看" not in c.body


# --------------------------------------------------------------------------- individual rules


def test_repeated_title_with_and_without_spaces():
    page = (
        "华东医药城举办招聘会吸引千人\n"
        "华东医药城举办招聘会 吸引千人\n"
        "华东医药城周六举办生物医药专场招聘会，六十余家企业提供一千多个岗位，吸引了上千名求职者到场。\n"
    )
    c = clean_text(page)
    assert c.title.replace(" ", "") == "华东医药城举办招聘会吸引千人"
    assert len(c.paragraphs) == 1 and c.paragraphs[0].startswith("华东医药城周六")


def test_hint_title_with_site_suffix_and_printed_title_removed_from_body():
    page = "Gene therapy start-up opens lab\nThe start-up, founded by two university researchers, opened a lab in Nanjing on Friday.\n"
    c = clean_text(page, hint_title="Gene therapy start-up opens lab - Jiangsu Business News")
    assert c.title == "Gene therapy start-up opens lab"
    assert c.paragraphs == ["The start-up, founded by two university researchers, opened a lab in Nanjing on Friday."]


def test_standfirst_run_together_is_dropped_and_split_paragraphs_kept_once():
    p1 = "The hospital opened a new oncology wing on Monday in Wuhan."
    p2 = "It has 400 beds and three proton therapy rooms, officials said."
    page = "Wuhan hospital opens oncology wing\n" + p1 + p2 + "\n" + p1 + "\n" + p2 + "\nMore details will follow next week, the hospital said.\n"
    c = clean_text(page)
    assert c.paragraphs[:2] == [p1, p2]
    assert sum(p1 in p for p in c.paragraphs) == 1
    assert any(p1 + p2 in r for r in c.removed)


def test_standfirst_chinese():
    p1 = "南京江北新区生物医药谷昨日迎来第一百家入驻企业。"
    p2 = "园区负责人表示，今年将重点引进细胞与基因治疗项目。"
    page = "南京生物医药谷迎来第一百家企业\n" + p1 + p2 + "\n" + p1 + "\n" + p2 + "\n"
    c = clean_text(page)
    assert c.paragraphs == [p1, p2]


def test_duplicate_paragraph_kept_once():
    p = "The regulator approved the drug for adults with advanced lung cancer after a priority review."
    c = clean_text("Regulator approves lung cancer drug\n" + p + "\n" + p + "\nSales are expected to start in June, the company said.\n")
    assert c.paragraphs.count(p) == 1


def test_repeated_promotion_line_removed_everywhere():
    promo = "Get our free biotech newsletter every morning"
    page = (
        "Contract manufacturer expands in Chengdu\n"
        "The contract manufacturer said its new Chengdu site will triple its biologics capacity by next year.\n"
        + promo + "\n"
        "The site will employ about 600 people once it reaches full production, according to the company.\n"
        + promo + "\n"
    )
    c = clean_text(page)
    assert promo not in c.body
    assert len(c.paragraphs) == 2


def test_credit_fragment_glued_between_sentences_cut_by_repetition():
    page = (
        "New vaccine plant opens in Jinan\n"
        ".Li Hua.The plant will make 50 million doses a year. Officials attended the opening on Monday.\n"
        "Li Hua.Workers inspect a production line. The company plans to export to Southeast Asia.\n"
    )
    c = clean_text(page)
    assert "Li Hua" not in c.body
    assert c.paragraphs[0].startswith("The plant will make")
    assert c.paragraphs[1].startswith("Workers inspect")
    assert "Li Hua" in c.header


def test_credit_signature_cut_even_once():
    page = "Clinic opens\nThe clinic opened on Monday.Courtesy of Harbour Herald.Doctors welcomed the first patients.\n"
    c = clean_text(page, credit_signatures=["Courtesy of Harbour Herald"])
    assert "Harbour Herald" not in c.body
    assert "The clinic opened on Monday." in c.body and "Doctors welcomed the first patients." in c.body


def test_credit_rule_does_not_cut_ordinary_sentences():
    page = (
        "Drug maker reports profit\n"
        "Profits rose in the first quarter. Sales Grew.Exports doubled in Europe and Asia over the period.\n"
        "The firm hired 200 staff. New York.Analysts expect more growth next year, the company said.\n"
    )
    c = clean_text(page)
    assert "Sales Grew" in c.body and "New York" in c.body


def test_ui_lines_hours_and_distribution_phone_removed():
    page = (
        "Biotech firm files for IPO\n"
        "Contact Us\n"
        "from 9 AM – 6 PM PT\n"
        "Newswire Services 1-800-555-0199\n"
        "The biotech company filed for an initial public offering on Wednesday, seeking to raise $150 million.\n"
        "Back to top\n"
    )
    c = clean_text(page)
    assert c.paragraphs == ["The biotech company filed for an initial public offering on Wednesday, seeking to raise $150 million."]
    assert "from 9 AM – 6 PM PT" in c.removed and "Back to top" in c.removed


def test_disclaimers_in_both_languages_removed():
    page = (
        "医疗器械企业发布年报\n"
        "该企业全年营收同比增长百分之二十，研发投入占营收比例超过百分之十五，创下历史新高。\n"
        "免责声明：本文仅供参考，不构成投资建议，如有侵权请联系删除。\n"
        "Disclaimer: This content is provided for information only and does not constitute advice.\n"
    )
    c = clean_text(page)
    _assert_no(c.body, "免责声明", "Disclaimer")
    assert len(c.paragraphs) == 1


def test_advert_block_with_phone_wechat_and_recruiting_removed():
    page = (
        "产业园新增两栋研发楼\n"
        "产业园新建的两栋研发楼日前通过竣工验收，总建筑面积约四万平方米，可满足三十家企业入驻需求。\n"
        "园区服务专员 王经理\n"
        "厂房出租/招商热线：0512-66668888\n"
        "手机：13912345678\n"
        "欢迎各类企业来电洽谈合作事宜\n"
        "长按识别二维码添加好友\n"
    )
    c = clean_text(page)
    assert not re.search(r"\d{7,}", c.body)
    _assert_no(c.body, "招商", "二维码", "洽谈")
    assert len(c.paragraphs) == 1


def test_related_articles_marker_cuts_the_tail_in_chinese():
    page = (
        "生物药出海提速\n"
        "今年前三季度，国内生物药企业对外授权交易金额同比增长一倍以上，多个项目首付款创下新高。\n"
        "推荐阅读\n"
        "某市出台生物医药产业十条措施\n"
        "这座城市的医疗器械产值突破千亿元，已有上百家企业入驻园区并形成完整的产业链条，带动就业数万人。\n"
    )
    c = clean_text(page)
    assert len(c.paragraphs) == 1
    _assert_no(c.body, "推荐阅读", "十条措施", "千亿元")


def test_app_promotion_removed():
    page = (
        "药企加码研发投入\n"
        "多家上市药企披露半年报，研发投入合计超过三百亿元，同比增长约百分之十八。\n"
        "下载健康时报客户端 查看更多新闻\n"
    )
    c = clean_text(page)
    assert "客户端" not in c.body


def test_repost_byline_with_relative_time_is_removed_not_header():
    page = (
        "当前位置：首页 > 行业动态\n"
        "某药企新厂投产\n"
        "editor3天前 (05-14)行业动态128\n"
        "某药企位于成都的新厂今日正式投产，年产能达到五千万支，将主要供应西南地区市场。\n"
    )
    c = clean_text(page)
    assert "editor3天前 (05-14)行业动态128" in c.removed
    assert not any("05-14" in h for h in c.header)


def test_replacement_characters_from_truncated_lines_are_kept():
    para = "该公司表示，新生产线预计明年投产\ufffd\ufffd届时产能将提升两倍，并带动上下游企业集聚发展。"
    c = clean_text("新生产线明年投产\n" + para + "\n")
    assert c.paragraphs == [para]


def test_paragraph_with_a_comma_run_of_phrases_inside_body_is_kept():
    para = "园区重点发展领域包括：抗体药物、细胞治疗、基因治疗、高端医疗器械、医疗人工智能等。"
    page = "园区产业定位发布\n园区管委会昨日发布新的产业定位规划，明确了未来五年的发展方向和重点任务。\n" + para + "\n"
    c = clean_text(page)
    assert para in c.paragraphs


def test_no_title_line_gives_title_from_first_sentence_and_keeps_paragraph():
    p = "The provincial health commission said on Monday that 12 new hospitals would open this year. It gave no budget."
    c = clean_text(p)
    assert c.paragraphs == [p]
    assert c.title.startswith("The provincial health commission said")


def test_empty_text():
    c = clean_text("  \n \n")
    assert c.paragraphs == [] and c.title == ""


def test_strip_site_suffix_variants():
    assert strip_site_suffix("新药获批上市_健康频道_示例网") == "新药获批上市"
    assert strip_site_suffix("Hospital opens wing | Metro Daily") == "Hospital opens wing"
    assert strip_site_suffix("Hospital opens wing – Metro Wire") == "Hospital opens wing"
    # a dash that is part of the headline stays
    assert strip_site_suffix("Shanghai – a biotech hub in the making") == "Shanghai – a biotech hub in the making"
    assert strip_site_suffix("Q&A - Why drug prices fall?") == "Q&A - Why drug prices fall?"


def test_body_property_joins_paragraphs():
    c = Cleaned(title="t", header=[], paragraphs=["a", "b"], removed=[])
    assert c.body == "a\n\nb"


def test_clean_is_fast():
    """A guard against quadratic blow-ups, not a benchmark (the machine is shared):
    ~20 KB of page must clean in well under the per-article budget times 10."""
    import time

    page = ZH_PAGE * 3 + EN_PAGE * 3
    clean_text(page)
    t = time.process_time()
    for _ in range(20):
        clean_text(page)
    per = (time.process_time() - t) / 20
    assert per < 0.05, per
    big = "\n".join(["The company said on Monday that it would expand its plant, officials said."] * 3000)
    t = time.process_time()
    c = clean_text(big)
    assert time.process_time() - t < 2.0
    assert len(c.paragraphs) == 1  # the same sentence 3,000 times is one paragraph


# --------------------------------------------------------------------------- more layouts


WIRE_SITE = """\
Skip to main content
Independent news and analysis for healthcare investors
World
Business
Healthcare
Suzhou biotech licenses antibody to European partner in $600 million deal
By Anna Lee and Tom Park
June 12, 20249:40 AM GMTUpdated 2 hours ago
SUZHOU, June 12 (Wire) - A Suzhou biotech said on Wednesday it had licensed an experimental antibody to a European partner.
The partner will pay $40 million upfront, the company said in a stock exchange filing.
Shares rose 5% in early trade.
Reporting by Anna Lee; Editing by Sam Roe
Our Standards: The Newsroom Trust Principles.
Read Next
Healthcare
Hospital chain plans Hong Kong listing
Healthcare
Vaccine maker wins tender
"""


def test_news_site_title_is_the_headline_not_the_tagline_or_a_section_label():
    c = clean_text(WIRE_SITE)
    assert c.title == "Suzhou biotech licenses antibody to European partner in $600 million deal"
    assert c.paragraphs[0].startswith("SUZHOU, June 12 (Wire)")
    assert c.paragraphs[-1] == "Shares rose 5% in early trade."
    assert "Reporting by Anna Lee; Editing by Sam Roe" in c.header
    assert any("June 12, 2024" in h for h in c.header)
    assert "Independent news and analysis for healthcare investors" in c.removed


def test_wechat_style_article():
    page = (
        "原创 李雷 药闻观察 2024-03-08 18:30 发表于江苏\n"
        "一文读懂：苏南生物医药园区发展新格局\n"
        "点击上方蓝字关注我们\n"
        "近年来，苏南地区生物医药产业园区建设加速推进，多地相继出台扶持政策，吸引大批创新企业集聚。\n"
        "园区特色\n"
        "业内人士认为，园区之间的协同发展将成为新趋势，各地将加大招商力度并与多家企业对接合作项目。\n"
        "END\n"
        "往期推荐\n"
        "无锡再添一家上市药企\n"
        "分享 收藏 点赞 在看\n"
    )
    c = clean_text(page)
    assert c.title == "一文读懂：苏南生物医药园区发展新格局"
    assert any("2024-03-08" in h for h in c.header)
    assert c.paragraphs == [
        "近年来，苏南地区生物医药产业园区建设加速推进，多地相继出台扶持政策，吸引大批创新企业集聚。",
        "园区特色",
        "业内人士认为，园区之间的协同发展将成为新趋势，各地将加大招商力度并与多家企业对接合作项目。",
    ]


def test_traditional_page_reporter_line_and_agency_dateline_go_to_header():
    page = (
        "首頁 > 財經 > 生技\n"
        "台中精密醫材園區擴建 引進二十家企業\n"
        "2024年1月9日 星期二 上午10:30\n"
        "記者陳大文／台中報導\n"
        "台中精密醫材園區今天宣布，第二期擴建工程將於明年完工，預計引進二十家醫材企業。\n"
        "園區表示，第二期將設置共用無塵室，協助新創團隊縮短產品上市時程。\n"
        "（中央社記者陳大文台中9日電）\n"
        "延伸閱讀\n"
        "生技股今年表現亮眼\n"
    )
    c = clean_text(page)
    assert "記者陳大文／台中報導" in c.header
    assert "（中央社記者陳大文台中9日電）" in c.header
    assert len(c.paragraphs) == 2


def test_site_menu_and_previous_next_links_removed():
    page = (
        "网站首页 | 新闻中心 | 行业动态 | 政策法规 | 联系我们\n"
        "皖北出台支持创新药发展若干措施\n"
        "发布时间：2024-02-06 浏览次数：321 来源：本站\n"
        "省政府办公厅近日印发若干措施，从研发、审评、生产、应用等环节提出二十条具体举措。\n"
        "措施提出，对进入临床试验的创新药给予最高三千万元资金支持。\n"
        "上一篇：另一省发布医疗器械产业规划并提出三年行动目标\n"
        "下一篇：某市召开生物医药产业推进会\n"
    )
    c = clean_text(page)
    assert c.title == "皖北出台支持创新药发展若干措施"
    assert len(c.paragraphs) == 2
    _assert_no(c.body, "网站首页", "上一篇", "下一篇")


def test_press_release_contact_block_and_issuer_line():
    page = (
        "Nova Cell Reports Phase 1 Data\n"
        "News provided by\n"
        "Nova Cell Ltd.\n"
        "Jan 10, 2024, 08:00 ET\n"
        "NANJING, China, Jan. 10, 2024 /ExampleWire/ -- Nova Cell Ltd. today reported phase 1 data for its CAR-T candidate.\n"
        "About Nova Cell\n"
        "Nova Cell is a clinical-stage company based in Nanjing.\n"
        "Media Contact:\n"
        "Mary Major\n"
        "+1 617-555-0100\n"
        "press@novacell.example\n"
        "SOURCE Nova Cell Ltd.\n"
    )
    c = clean_text(page)
    assert c.paragraphs[-1] == "Nova Cell is a clinical-stage company based in Nanjing."
    assert "SOURCE Nova Cell Ltd." in c.header
    _assert_no(c.body, "Media Contact", "Mary Major", "555-0100", "press@")


def test_body_sentences_using_boilerplate_words_are_kept():
    paras = [
        "The company said it would reprint the labels, and that the copyright on its software was not affected.",
        "园区今年将加大招商力度，与五十多家企业对接合作项目，并为入驻企业提供法律咨询服务。",
        "The hospital will share data with researchers and publish results in a journal.",
        "招聘会现场，六十余家企业提供了一千多个岗位，其中研发岗位占比超过三成。",
    ]
    for p in paras:
        c = clean_text("Headline of the day\n" + p + "\n")
        assert c.paragraphs == [p], p


def test_brief_made_of_short_lines_is_kept():
    page = "Drug approved\nThe agency approved it today.\nSales start soon.\n"
    c = clean_text(page)
    assert c.title == "Drug approved"
    assert c.paragraphs == ["The agency approved it today.", "Sales start soon."]


def test_title_chosen_by_overlap_with_the_lead_not_an_adjacent_tagline():
    page = (
        "Fresh stories from around the region\n"
        "Sign up for our morning briefing\n"
        "Wuxi hospital opens proton therapy centre\n"
        "A hospital in Wuxi opened a proton therapy centre on Monday, the first in the city, treating its first patients with cancer.\n"
        "The centre cost 1.2 billion yuan and has two treatment rooms.\n"
    )
    c = clean_text(page)
    assert c.title == "Wuxi hospital opens proton therapy centre"
    assert "Fresh stories from around the region" in c.removed
    assert len(c.paragraphs) == 2


def test_chinese_title_chosen_by_overlap():
    page = (
        "您身边的健康资讯平台\n"
        "无锡首家质子治疗中心开诊\n"
        "无锡首家质子治疗中心周一正式开诊，首批肿瘤患者接受治疗，中心总投资约十二亿元。\n"
    )
    c = clean_text(page)
    assert c.title == "无锡首家质子治疗中心开诊"
    assert "您身边的健康资讯平台" in c.removed


def test_hard_wrapped_english_paragraphs_are_joined():
    page = (
        "Regional hospital group plans new cancer centre\n\n"
        "The regional hospital group said on Monday that it would build a new\n"
        "cancer centre in the eastern district, with 300 beds and two proton\n"
        "therapy rooms, at a cost of about 2 billion yuan.\n\n"
        "Construction is expected to start next spring and to take three years,\n"
        "according to the group's annual report.\n\n"
        "Related\n\n"
        "Clinic opens in Ningbo\n"
        "Vaccine maker wins tender\n"
    )
    c = clean_text(page)
    assert c.paragraphs == [
        "The regional hospital group said on Monday that it would build a new cancer centre in the eastern "
        "district, with 300 beds and two proton therapy rooms, at a cost of about 2 billion yuan.",
        "Construction is expected to start next spring and to take three years, according to the group's annual report.",
    ]


def test_site_suffix_needs_a_site_like_name():
    assert strip_site_suffix("药企发布年度报告 - 报告摘要") == "药企发布年度报告 - 报告摘要"
    assert strip_site_suffix("药企发布年度报告——南方新闻网") == "药企发布年度报告"
    assert strip_site_suffix("药企发布年度报告 - 新华社") == "药企发布年度报告"


def test_unlabelled_tail_with_abbreviations_in_headlines():
    page = (
        "Biotech raises funds\n"
        "The biotech said on Monday it had raised $50 million to fund two clinical trials in China and Europe.\n"
        "U.S. FDA clears new diabetes device\n"
        "Drugmaker opens plant in Suzhou\n"
        "Hospital chain plans listing\n"
    )
    c = clean_text(page)
    assert len(c.paragraphs) == 1


# --------------------------------------------------------------------------- text helpers kept fast


def test_literal_alternation_matches_like_the_longest_first_list():
    import random

    from articles.ingest.textutil import literal_alternation

    rng = random.Random(7)
    alphabet = "ab.c新闻报记者"
    for _ in range(300):
        terms = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 8))}
        flat = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
        trie = re.compile(literal_alternation(terms))
        text = "".join(rng.choice(alphabet + " ") for _ in range(60))
        assert trie.findall(text) == flat.findall(text)
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]


def test_char_counts_agree_with_the_regex_counts():
    from articles.ingest.textutil import char_counts, cjk_count, script_res

    trad_re, simp_re = script_res()
    texts = [
        "上海國際生物醫藥產業周即將舉辦，上千名重量級嘉賓參會。" * 30,
        "杭州生物医药前沿创新论坛闭幕，为生物医药高质量发展出谋划策。" * 30 + "Shanghai 2023",
        "English only " * 50,
        "mixed 張江 and 张江 with a lone surrogate \ud800 " * 20,
        "短",
    ]
    for t in texts:
        assert char_counts(t) == (cjk_count(t), len(trad_re.findall(t)), len(simp_re.findall(t)))


def test_find_dates_results_are_independent_copies():
    from articles.ingest.textutil import find_dates

    a = find_dates("Published 2023-10-07 09:30")
    a.append("junk")
    assert len(find_dates("Published 2023-10-07 09:30")) == 1


def test_normalise_lines_is_normalise_line_per_line():
    from articles.ingest.textutil import normalise_line, normalise_lines

    for text in ("a  b\n\u3000c\u00a0d \n", "zero\u200bwidth  x\ny", "plain\nlines"):
        assert normalise_lines(text) == [normalise_line(l) for l in text.split("\n")]


def test_vocabulary_presence_scan_finds_every_present_term():
    # the reference rule: a Latin term counts when its first [a-z0-9]+ word is a word of
    # the text and the term occurs in it; a CJK term when it occurs (overlaps included)
    from articles.ingest import clean as cl

    def reference(text):
        words = set(re.findall(r"[a-z0-9]+", text))
        out = {}
        for name, terms in cl._VOCABS.items():
            present = []
            for t in terms:
                if t.isascii():
                    w = re.search(r"[a-z0-9]+", t)
                    if (not w or w.group(0) in words) and t in text:
                        present.append(t)
                elif t in text:
                    present.append(t)
            out[name] = cl._terms_rx(present).pattern if present else None
        return out

    texts = [
        "一区二区三区在线观看 不代表本站观点 如有侵权请联系删除",
        "call the hotel: +86 21 5555 0000, fax line closed; tel: 021-5555",
        "扫码添加微信号 公众号 长按识别二维码 招商热线",
        "plain english text about a biotech forum in suzhou with no junk at all",
        "本站仅提供存储服务 版权归原作者所有 转载请注明出处 免责声明",
    ]
    for t in texts:
        got = {k: (v.pattern if v is not None else None) for k, v in cl._vocab_scanners(t).items()}
        assert got == reference(t)


@pytest.mark.parametrize("menu", ["Subscribe | Log in", "Business / Companies / Healthcare", "视频 | 直播"])
def test_menu_line_right_above_the_headline_is_not_the_title(menu):
    # the headline shares almost no words with the lead: only its shape tells
    page = (
        f"{menu}\n"
        "Occupancy at Zhangjiang climbs to 48.6% as clinical trial efficiency firms move in\n"
        "Published Dec 26, 2024 22:15 Beijing time\n\n"
        "The park in Shanghai's Pudong New Area said on December 26 that 25 companies had moved into its new "
        "buildings so far this year, more than it had planned for.\n"
        "Tenants can use a public platform for animal studies, analytics and quality testing, the operator said.\n"
    )
    c = clean_text(page)
    assert c.title == "Occupancy at Zhangjiang climbs to 48.6% as clinical trial efficiency firms move in"


@pytest.mark.parametrize("line", ["Originally published by The Paper", "Securities Times reporter Ye Pengwen",
                                  "Menu Search Sign in", "首頁／國際／中國"])
def test_attribution_byline_and_widget_lines_are_never_the_title(line):
    page = (
        f"{line}\n"
        "Putuo rolls out 13 measures to support biopharma innovation\n"
        "Published Apr 26, 2022 07:54 Beijing time\n\n"
        "The district government said on April 25 that companies moving research teams into the district could "
        "receive rent subsidies for three years.\n"
        "Officials said the measures would be reviewed after two years.\n"
    )
    c = clean_text(page)
    assert c.title == "Putuo rolls out 13 measures to support biopharma innovation"
    assert line not in c.body
