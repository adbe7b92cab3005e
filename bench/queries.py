"""The fixed query mix (deterministic: plain lists, no randomness).

Classes:
    en      English words, one or two unquoted (two words must both match)
    zh      simplified Chinese words of 2-6 characters
    hant    traditional-script queries (folded to simplified by our engine; the naive build does not fold)
    phrase  quoted phrases, English and Chinese
    char    single Chinese characters
    filter  a word plus a district, year or event filter (facet values are slugs, as in /api/search)

Words come from the demo generator's vocabulary (articles/demo.py) so that, at 100,000 articles, most of them
hit hundreds to thousands of articles (tens to hundreds at 10,000); the benchmark reports the actual spread.
"""
from __future__ import annotations

import os

EN = (
    "melanoma", "cholangiocarcinoma", "glioblastoma", "osteoporosis", "influenza", "hypertension", "thalassemia",
    "asthma", "COPD", "TMPRSS6", "SOST", "HTRA1", "FGF21", "GDF15", "KLK5", "APOL1", "EZH2", "CCR8", "MAT2A",
    "CDH17", "TNF-α", "NLRP3", "IgE", "CD70", "CD123", "STAT6", "TYK2", "PRMT5", "SHP2", "PARP1", "PSMA", "GPC3",
    "FcRn", "PCSK9", "BioBAY", "Wuhan Biolake", "Jinji Lake", "Lujiazui", "Zhongguancun", "Chongming District",
    "Haidian District", "Series D", "pre-IPO", "angel", "Caixin", "Reuters", "renal cell carcinoma",
    "diabetic kidney disease", "heart failure", "major depressive disorder",
)

ZH = (
    "黑色素瘤", "胆管癌", "肾细胞癌", "流感", "骨质疏松症", "胶质母细胞瘤", "高血压", "慢性肾病", "宫颈癌", "地中海贫血",
    "哮喘", "帕金森病", "食管癌", "鼻咽癌", "心力衰竭", "前列腺癌", "克罗恩病", "胰腺癌", "卵巢癌", "罕见病",
    "化脓性汗腺炎", "糖尿病肾病", "甲型血友病", "视神经脊髓炎", "重度抑郁症", "镰状细胞病", "重症肌无力", "乙型血友病",
    "天使轮", "D轮", "C轮", "美通社", "澎湃新闻", "新华社", "新京报", "财新网", "第一财经", "香港科学园", "光谷生物城",
    "台州", "养老科技", "中关村", "陆家嘴", "金鸡湖", "东方美谷", "联影小镇", "沙田区", "海淀区", "脑机接口", "碱基编辑",
)

HANT = (
    "膽管癌", "腎細胞癌", "骨質疏鬆症", "膠質母細胞瘤", "高血壓", "慢性腎病", "宮頸癌", "地中海貧血", "鐮狀細胞病",
    "重症肌無力", "糖尿病腎病", "化膿性汗腺炎", "視神經脊髓炎", "重度抑鬱症", "天使輪", "C輪", "B輪", "澎湃新聞",
    "新華社", "財新網", "香港科學園", "養老科技", "中關村", "陸家嘴", "金雞湖", "東方美谷", "聯影小鎮", "腦機接口",
    "數字醫療", "罕見病",
)

PHRASE = (
    '"renal cell carcinoma"', '"chronic kidney disease"', '"spinal muscular atrophy"', '"myasthenia gravis"',
    '"sickle cell disease"', '"acute myeloid leukemia"', '"nasopharyngeal carcinoma"', '"heart failure"',
    '"Crohn\'s disease"', '"rheumatoid arthritis"', '"prostate cancer"', '"ulcerative colitis"', '"IgA nephropathy"',
    '"pancreatic cancer"', '"stem cell therapy"', '"brain-computer interfaces"', '"ovarian cancer"',
    '"Alzheimer\'s disease"', '"atopic dermatitis"', '"breakthrough therapy designation"',
    '"Innovation Without Borders"', '"战略合作协议"', '"独家授权许可协议"', '"阵发性睡眠性血红蛋白尿"', '"慢性自发性荨麻疹"',
    '"呼吸道合胞病毒感染"', '"代谢功能障碍相关脂肪性肝炎"', '"临床研究效率"', '"开放协同 共赢发展"', '"突破性治疗药物认定"',
)

CHAR = ("睡", "侧", "汗", "疹", "郁", "哮", "膜", "鼻", "竭", "溃", "胰", "卵", "巢", "膽", "腎")

# (word, filter kind, filter values): kinds are districts, years, events (SearchQuery's attribute names)
FILTER_WORDS = ("obesity", "BTK", "VEGF", "Nanjing", "罕见病", "卵巢癌", "重组疫苗", "肝细胞癌")
FILTERS = (
    ("districts", ["pudong"]),
    ("districts", ["baoshan"]),
    ("districts", ["linping"]),
    ("years", ["2024"]),
    ("years", ["2022"]),
)
EVENT_FILTERS = (
    ("forum", ["shanghai-biopharma-industry-week"]),
    ("论坛", ["shanghai-biopharma-industry-week"]),
    ("exhibitors", ["meilan-lake-biopharma-innovation-conference"]),
    ("开幕", ["meilan-lake-biopharma-innovation-conference"]),
    ("investors", ["shanghai-biopharma-industry-week"]),
)


def queries() -> list[dict]:
    """The mix, in a fixed order: [{"id", "cls", "q", "filters": {kind: [values]}}]."""
    out: list[dict] = []

    def add(cls, q, filters=None):
        out.append({"id": len(out), "cls": cls, "q": q, "filters": dict(filters or {})})

    for q in EN:
        add("en", q)
    for q in ZH:
        add("zh", q)
    for q in HANT:
        add("hant", q)
    for q in PHRASE:
        add("phrase", q)
    for q in CHAR:
        add("char", q)
    for word in FILTER_WORDS:
        for kind, values in FILTERS:
            add("filter", word, {kind: values})
    for word, values in EVENT_FILTERS:
        add("filter", word, {"events": values})
    step = int(os.environ.get("BENCH_QUERY_STEP") or 1)  # smoke tests only: every step-th query
    return out[::step] if step > 1 else out


CLASSES = ("en", "zh", "hant", "phrase", "char", "filter")

# SearchQuery attribute -> /api/search parameter
PARAM = {"districts": "district", "years": "year", "events": "event"}


if __name__ == "__main__":
    from collections import Counter

    qs = queries()
    print(len(qs), dict(Counter(q["cls"] for q in qs)))
