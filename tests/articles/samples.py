"""Made-up articles for import tests: the project's own sentences, shaped like
the pages curators receive (junk around a real article)."""

ZH_TITLE = "临港新片区生物医药产业园二期开园 首批十二家企业入驻"

ZH_PARAGRAPHS = [
    "本报讯 11月8日上午,临港新片区生物医药产业园二期在浦东新区正式开园,首批十二家创新药和医疗器械企业同日签约入驻。",
    "园区负责人介绍,二期项目总建筑面积约二十万平方米,配备符合药品生产质量管理规范的标准厂房和公共研发平台,可满足细胞治疗、抗体药物等企业从中试到商业化生产的需求。",
    "入驻企业中,有三家专注于双特异性抗体研发,两家从事基因治疗载体生产,其余企业覆盖高端医疗器械和体外诊断领域。多家企业表示,看中的是园区完善的配套和快速审批服务。",
    "据悉,临港新片区将继续完善生物医药产业链,未来三年计划引进五十家以上创新型企业,打造具有国际影响力的生命科学产业集群。",
]

ZH_PAGE = "\n".join(
    [
        "首页 > 新闻中心 > 产业动态",
        "",
        ZH_TITLE,
        "",
        "2024-11-08 10:21  来源:新民晚报",
        "分享到:",
        "",
        *[p + "\n" for p in ZH_PARAGRAPHS],
        "【责任编辑:王敏】",
        "相关阅读",
        "张江科学城发布新一轮人才政策",
        "紫竹高新区举办创新药投融资对接会",
        "徐汇枫林生命科学园区新项目签约",
        "返回顶部",
    ]
)

EN_TITLE = "Baoshan opens new cell therapy manufacturing base near Meilan Lake"

EN_PARAGRAPHS = [
    "SHANGHAI, March 12, 2024 - A new manufacturing base for cell and gene therapies opened on Tuesday in Baoshan District, in the north of Shanghai, giving young biotech companies shared clean rooms and quality-control laboratories.",
    "The base covers about 40,000 square meters and can host up to fifteen companies at once. District officials said the first tenants include developers of CAR-T treatments for blood cancers and a maker of viral vectors.",
    "Baoshan has been trying to build a biopharma cluster around Meilan Lake for several years. Local officials said more than 400 life science companies are now registered in the district, up from fewer than 100 five years ago.",
    "Companies moving into the base can apply for rent subsidies and for help with clinical trial applications, the district government said in a statement.",
]

EN_PAGE = "\n".join(
    [
        "Home | News | Business",
        "Share this story",
        EN_TITLE,
        "Mar 12, 2024, 09:30 ET",
        "",
        *EN_PARAGRAPHS,
        "",
        "Related stories",
        "Shanghai unveils new rules for clinical trials",
        "Hangzhou forum looks at gene editing",
        "Copyright 2024. All rights reserved.",
    ]
)

# The same English story as a repost on another site: other junk around it.
EN_REPOST = "\n".join(
    [
        "Latest news from our partners",
        "Subscribe to our newsletter",
        EN_TITLE,
        "Mar 12, 2024, 09:30 ET",
        "",
        *EN_PARAGRAPHS,
        "",
        "Disclaimer: This article is reprinted for information only and does not represent the views of this site.",
        "You may also like",
        "Five things to know about biotech financing this week",
        "Why investors are watching the STAR Market",
    ]
)

HTML_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Suzhou BioBAY adds antibody plant | Example Daily</title></head>
<body>
<nav><a href="/">Home</a> <a href="/biz">Business</a> <a href="/tech">Tech</a></nav>
<div class="share">Share on WeChat | Share on Weibo</div>
<article>
<h1>Suzhou BioBAY adds antibody plant</h1>
<p class="date">2023-06-05</p>
<p>A contract manufacturer opened a new antibody production plant at BioBAY in Suzhou Industrial Park on Monday, adding four bioreactors of 2,000 liters each to serve drug developers in the Yangtze River Delta.</p>
<p>The company said the plant was built in fourteen months and will start commercial production for two clients later this year, after inspections by regulators.</p>
<p>BioBAY now hosts more than 600 companies working on antibodies, nucleic acid drugs, cell therapies and medical devices, according to the park's management.</p>
"""  # deliberately truncated: no closing tags
