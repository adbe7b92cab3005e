"""A deterministic, realistic demo corpus of messy biopharma news (`manage.py generate_demo`).

The corpus is what `import_articles DIR` reads and what the benchmarks run on: English, simplified and traditional
Chinese articles about the gazetteer's events, districts and places, wrapped in the junk real pages carry (breadcrumbs,
share widgets, bylines, datelines, disclaimers, related-article tails, app promotions, copyright lines) and written as
plain text in several encodings, as full HTML pages and as JSON Lines records. About 1% of the items are planted
reposts of other items; ``DIR/manifest.json`` lists them, together with each item's expected facts ("truth").

Everything is a pure function of ``(seed, item index)``: one master stream lays the corpus out (language, format,
reposts), and each item draws its content and its junk from its own ``random.Random`` streams, so the same seed gives
byte-identical files however many processes generate them.
"""
from __future__ import annotations

import bisect
import datetime as dt
import html as html_lib
import json
import multiprocessing
import os
import random
import re
import shutil
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter
from typing import Callable, Iterable

DEFAULT_GAZETTEER = Path(__file__).resolve().parent / "data" / "gazetteer.json"
MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = "biopharma_news-demo-manifest/1"

LANGUAGES = ("en", "zh-hans", "zh-hant")
LANGUAGE_WEIGHTS = (0.50, 0.42, 0.08)
FORMATS = ("txt", "html", "jsonl")
FORMAT_WEIGHTS = (0.40, 0.30, 0.30)
REPOST_RATE = 0.01
RECORDS_PER_JSONL = 1000
FILES_PER_FOLDER = 1000
CHUNK_ITEMS = 500
TARGET_CHARS = {"en": 4000, "zh": 2000}
YEARS = tuple(range(2019, 2027))
YEAR_WEIGHTS = (8, 9, 11, 12, 14, 15, 16, 15)
LAST_DAY = dt.date(2026, 11, 15)


class DemoError(ValueError):
    """A usage problem (bad count, unusable output folder, missing gazetteer)."""


# ---------------------------------------------------------------------------------------------------------------
# Vocabulary. Targets read the same in both languages; other terms are (English, simplified Chinese) pairs. The order
# of each list is its Zipf rank: the first entries are the common words that hit thousands of articles at 100,000.
# ---------------------------------------------------------------------------------------------------------------
TARGETS = (
    "PD-1", "HER2", "GLP-1", "PD-L1", "EGFR", "CLDN18.2", "TROP2", "BCMA", "CD19", "KRAS G12C", "CD20", "CD3",
    "TIGIT", "IL-17A", "B7-H3", "VEGF", "JAK1", "BTK", "GIP", "IL-23", "Nectin-4", "DLL3", "TSLP", "FGFR2", "ALK",
    "PCSK9", "c-MET", "ROS1", "CTLA-4", "GPRC5D", "CD47", "FcRn", "IL-4Rα", "LAG-3", "Lp(a)", "FXIa", "ANGPTL3",
    "CDK4/6", "PSMA", "GPC3", "CD38", "4-1BB", "HER3", "MSLN", "amylin", "APOC3", "C5", "BCL-2", "PARP1", "SHP2",
    "TYK2", "TL1A", "PRMT5", "MTAP", "CD70", "CD123", "CD7", "FAP", "PI3Kα", "STAT6", "IL-2", "NLRP3", "RIPK1",
    "α4β7", "IgE", "TNF-α", "KRAS G12D", "EZH2", "MAT2A", "CDH17", "CCR8", "ADAM9", "LIV-1", "GDF15", "ActRII",
    "FGF21", "HTRA1", "PNPLA3", "APOL1", "MASP-2", "CFB", "OX40L", "IL-36R", "KLK5", "SOST", "TMPRSS6", "HBV cccDNA",
)
MODALITIES = (
    ("antibody-drug conjugate", "抗体偶联药物"), ("bispecific antibody", "双特异性抗体"),
    ("monoclonal antibody", "单克隆抗体"), ("small-molecule inhibitor", "小分子抑制剂"),
    ("CAR-T cell therapy", "CAR-T细胞疗法"), ("ADC", "ADC"), ("gene therapy", "基因治疗"), ("siRNA drug", "小核酸药物"),
    ("mRNA vaccine", "mRNA疫苗"), ("cell therapy", "细胞治疗"), ("peptide drug", "多肽药物"),
    ("oral GLP-1 agonist", "口服GLP-1激动剂"), ("radioligand therapy", "放射性配体疗法"), ("PROTAC degrader", "PROTAC降解剂"),
    ("fusion protein", "融合蛋白"), ("trispecific antibody", "三特异性抗体"), ("CRISPR gene editing", "CRISPR基因编辑"),
    ("in vivo CAR-T", "体内CAR-T"), ("AAV gene therapy", "AAV基因疗法"), ("TCR-T therapy", "TCR-T疗法"),
    ("nanobody", "纳米抗体"), ("molecular glue", "分子胶"), ("oncolytic virus", "溶瘤病毒"), ("NK cell therapy", "NK细胞疗法"),
    ("biosimilar", "生物类似药"), ("dual-payload ADC", "双载荷ADC"), ("TIL therapy", "TIL疗法"),
    ("antisense oligonucleotide", "反义寡核苷酸"), ("long-acting injectable", "长效注射剂"), ("synthetic biology", "合成生物学"),
    ("recombinant vaccine", "重组疫苗"), ("allogeneic CAR-T", "通用型CAR-T"), ("base editing", "碱基编辑"),
    ("exosome therapy", "外泌体疗法"), ("microbiome therapy", "微生态疗法"), ("stem cell therapy", "干细胞疗法"),
)
DISEASES = (
    ("non-small cell lung cancer", "非小细胞肺癌"), ("breast cancer", "乳腺癌"), ("obesity", "肥胖症"),
    ("type 2 diabetes", "2型糖尿病"), ("gastric cancer", "胃癌"), ("multiple myeloma", "多发性骨髓瘤"),
    ("hepatocellular carcinoma", "肝细胞癌"), ("colorectal cancer", "结直肠癌"), ("psoriasis", "银屑病"),
    ("atopic dermatitis", "特应性皮炎"), ("Alzheimer's disease", "阿尔茨海默病"), ("B-cell lymphoma", "B细胞淋巴瘤"),
    ("ovarian cancer", "卵巢癌"), ("pancreatic cancer", "胰腺癌"), ("systemic lupus erythematosus", "系统性红斑狼疮"),
    ("MASH", "代谢功能障碍相关脂肪性肝炎"), ("IgA nephropathy", "IgA肾病"), ("hemophilia B", "乙型血友病"),
    ("small cell lung cancer", "小细胞肺癌"), ("prostate cancer", "前列腺癌"), ("rheumatoid arthritis", "类风湿关节炎"),
    ("ulcerative colitis", "溃疡性结肠炎"), ("Crohn's disease", "克罗恩病"), ("chronic hepatitis B", "慢性乙型肝炎"),
    ("heart failure", "心力衰竭"), ("hypercholesterolemia", "高胆固醇血症"), ("acute myeloid leukemia", "急性髓系白血病"),
    ("urothelial carcinoma", "尿路上皮癌"), ("nasopharyngeal carcinoma", "鼻咽癌"), ("esophageal cancer", "食管癌"),
    ("asthma", "哮喘"), ("COPD", "慢性阻塞性肺疾病"), ("myasthenia gravis", "重症肌无力"), ("Parkinson's disease", "帕金森病"),
    ("spinal muscular atrophy", "脊髓性肌萎缩症"), ("sickle cell disease", "镰状细胞病"), ("thalassemia", "地中海贫血"),
    ("glioblastoma", "胶质母细胞瘤"), ("endometrial cancer", "子宫内膜癌"), ("cervical cancer", "宫颈癌"),
    ("chronic kidney disease", "慢性肾病"), ("hypertension", "高血压"), ("major depressive disorder", "重度抑郁症"),
    ("neuromyelitis optica", "视神经脊髓炎"), ("Duchenne muscular dystrophy", "杜氏肌营养不良"), ("hemophilia A", "甲型血友病"),
    ("respiratory syncytial virus infection", "呼吸道合胞病毒感染"), ("influenza", "流感"), ("osteoporosis", "骨质疏松症"),
    ("dry age-related macular degeneration", "干性年龄相关性黄斑变性"), ("diabetic kidney disease", "糖尿病肾病"),
    ("cholangiocarcinoma", "胆管癌"), ("melanoma", "黑色素瘤"), ("renal cell carcinoma", "肾细胞癌"),
    ("chronic spontaneous urticaria", "慢性自发性荨麻疹"), ("hidradenitis suppurativa", "化脓性汗腺炎"),
    ("amyotrophic lateral sclerosis", "肌萎缩侧索硬化"), ("paroxysmal nocturnal hemoglobinuria", "阵发性睡眠性血红蛋白尿"),
)
PHASES = (("Phase II", "II期"), ("Phase III", "III期"), ("Phase I", "I期"), ("Phase Ib/II", "Ib/II期"),
          ("pivotal", "关键性"), ("first-in-human", "首次人体"), ("Phase IIb", "IIb期"), ("Phase Ia", "Ia期"))
REGULATORS = (("the NMPA", "国家药监局"), ("the FDA", "美国FDA"), ("the Center for Drug Evaluation", "药审中心"),
              ("the EMA", "欧洲药品管理局"), ("Japan's PMDA", "日本PMDA"), ("Hong Kong's Department of Health", "香港卫生署"))
MILESTONES = (
    ("IND clearance", "临床试验默示许可"), ("breakthrough therapy designation", "突破性治疗药物认定"),
    ("priority review", "优先审评资格"), ("conditional approval", "附条件批准"), ("orphan drug designation", "孤儿药资格认定"),
    ("fast track designation", "快速通道资格"), ("marketing approval", "上市批准"), ("a new indication approval", "新适应症批准"),
)
DEALS = (("an exclusive licence", "独家授权许可协议"), ("a strategic collaboration", "战略合作协议"),
         ("a co-development agreement", "联合开发协议"), ("a NewCo agreement", "NewCo合作协议"),
         ("an option-to-license agreement", "选择权许可协议"), ("a research collaboration", "研究合作协议"))
ROUNDS = (("Series A", "A轮"), ("Series B", "B轮"), ("angel", "天使轮"), ("pre-A", "Pre-A轮"), ("Series A+", "A+轮"),
          ("Series C", "C轮"), ("pre-IPO", "Pre-IPO轮"), ("Series B+", "B+轮"), ("Series D", "D轮"))
TOPICS = (("AI-driven drug discovery", "AI制药"), ("synthetic biology", "合成生物"), ("high-end medical devices", "高端医疗器械"),
          ("cell and gene therapy manufacturing", "细胞与基因治疗生产"), ("clinical trial efficiency", "临床研究效率"),
          ("rare diseases", "罕见病"), ("biomanufacturing", "生物制造"), ("digital health", "数字医疗"),
          ("brain-computer interfaces", "脑机接口"), ("nucleic acid drugs", "核酸药物"), ("going global", "创新药出海"),
          ("medical robotics", "医疗机器人"), ("radiopharmaceuticals", "放射性药物"), ("elderly care technology", "养老科技"))
THEMES = (("Innovation Without Borders", "创新无界 共享未来"), ("Science for Health", "科技赋能 健康未来"),
          ("Open Collaboration, Shared Future", "开放协同 共赢发展"), ("From Discovery to Patients", "从实验室到病床"),
          ("Building the Next Biopharma Hub", "聚势谋远 生生不息"), ("Connecting China and the World", "链接全球 共创价值"),
          ("New Quality Productive Forces", "新质生产力 新医药未来"), ("Together for Life", "携手同行 守护生命"))
ORDINALS = (("second", "第二"), ("third", "第三"), ("fourth", "第四"), ("fifth", "第五"), ("sixth", "第六"), ("seventh", "第七"))

# Syllables for made-up names: (pinyin, character). Pinyin is unique, so an English name maps to one Chinese name.
SYLLABLES = (
    ("rui", "瑞"), ("kang", "康"), ("xin", "信"), ("bo", "博"), ("tai", "泰"), ("heng", "恒"), ("hua", "华"), ("yuan", "源"),
    ("ji", "基"), ("yi", "益"), ("ze", "泽"), ("lin", "霖"), ("an", "安"), ("jia", "嘉"), ("sheng", "晟"), ("nuo", "诺"),
    ("wei", "维"), ("hai", "海"), ("chuang", "创"), ("tong", "同"), ("ming", "明"), ("da", "达"), ("zhi", "智"), ("yao", "耀"),
    ("xing", "星"), ("li", "立"), ("hong", "宏"), ("qi", "启"), ("chen", "辰"), ("hui", "汇"), ("jing", "景"), ("rong", "荣"),
    ("feng", "峰"), ("fu", "复"), ("mai", "迈"), ("ke", "科"), ("lan", "岚"), ("yu", "宇"), ("run", "润"), ("de", "德"),
    ("he", "和"), ("jun", "君"), ("kai", "凯"), ("tian", "天"), ("bai", "百"), ("ao", "奥"), ("xiang", "翔"), ("ning", "宁"),
    ("pu", "普"), ("sai", "赛"), ("yun", "云"), ("zhong", "众"), ("cheng", "诚"), ("guang", "光"), ("min", "敏"), ("tuo", "拓"),
    ("jin", "锦"), ("hao", "昊"), ("yang", "扬"), ("shi", "世"),
)
COMPANY_SUFFIXES = (("Biotech", "生物"), ("Pharma", "医药"), ("Therapeutics", "生物科技"), ("Biologics", "生物制药"),
                    ("Biosciences", "生命科学"), ("Medical", "医疗"), ("Pharmaceutical", "药业"), ("Gene Technology", "基因科技"),
                    ("Cell Therapy", "细胞治疗"), ("Biomedicine", "生物医药"), ("Health", "健康"), ("Bio", "生物技术"))
INVESTOR_SUFFIXES = (("Capital", "资本"), ("Ventures", "创投"), ("Healthcare Fund", "医疗基金"), ("Investment", "投资"),
                     ("Partners", "投资合伙"), ("Life Science Fund", "生命科学基金"))
WEST_START = (("Vel", "维尔"), ("Nor", "诺"), ("Ast", "阿斯"), ("Lum", "卢"), ("Cor", "科"), ("Zen", "泽"), ("Ven", "文"),
              ("Or", "奥"), ("Cal", "卡"), ("Mer", "默"), ("Pra", "普"), ("Syn", "辛"), ("Tri", "特"), ("Gal", "加"),
              ("Ly", "莱"), ("Quin", "昆"), ("Vir", "维"), ("Del", "德"), ("Ber", "伯"), ("Hal", "哈"), ("Kel", "凯"),
              ("Sol", "索"), ("Tor", "托"), ("Ar", "阿"))
WEST_END = (("ara", "拉"), ("eon", "昂"), ("ix", "克斯"), ("ova", "诺瓦"), ("ius", "乌斯"), ("ent", "恩特"), ("yx", "里克"),
            ("ica", "卡"), ("um", "姆"), ("on", "恩"), ("ant", "安特"), ("igen", "吉恩"), ("exa", "克萨"), ("ora", "欧拉"))
WEST_SUFFIXES = (("Pharma", "制药"), ("Therapeutics", "治疗公司"), ("Biosciences", "生物科学"), ("Health", "健康"),
                 ("Oncology", "肿瘤公司"), ("Bio", "生物"))
SURNAMES = (
    ("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"), ("Yang", "杨"), ("Huang", "黄"), ("Zhao", "赵"),
    ("Wu", "吴"), ("Zhou", "周"), ("Xu", "徐"), ("Sun", "孙"), ("Ma", "马"), ("Zhu", "朱"), ("Hu", "胡"), ("Guo", "郭"),
    ("He", "何"), ("Lin", "林"), ("Luo", "罗"), ("Gao", "高"), ("Zheng", "郑"), ("Liang", "梁"), ("Xie", "谢"), ("Song", "宋"),
    ("Tang", "唐"), ("Han", "韩"), ("Feng", "冯"), ("Deng", "邓"), ("Cao", "曹"), ("Peng", "彭"), ("Zeng", "曾"), ("Tian", "田"),
    ("Dong", "董"), ("Pan", "潘"), ("Yuan", "袁"), ("Cai", "蔡"), ("Jiang", "蒋"), ("Yu", "余"), ("Du", "杜"), ("Ye", "叶"),
    ("Cheng", "程"), ("Wei", "魏"), ("Su", "苏"), ("Lu", "陆"), ("Ding", "丁"), ("Ren", "任"), ("Shen", "沈"), ("Yao", "姚"),
    ("Zhong", "钟"), ("Cui", "崔"), ("Tan", "谭"), ("Fan", "范"), ("Wang", "汪"), ("Liao", "廖"), ("Shi", "石"), ("Jin", "金"),
    ("Xia", "夏"), ("Fang", "方"), ("Zou", "邹"), ("Xiong", "熊"), ("Bai", "白"), ("Meng", "孟"), ("Qin", "秦"), ("Qiu", "邱"),
    ("Hou", "侯"), ("Yin", "尹"), ("Xue", "薛"), ("Duan", "段"), ("Lei", "雷"), ("Long", "龙"), ("Tao", "陶"), ("Gu", "顾"),
    ("Mao", "毛"), ("Hao", "郝"), ("Gong", "龚"), ("Shao", "邵"), ("Qian", "钱"), ("Yan", "严"), ("Kong", "孔"), ("Wen", "温"),
)
GIVEN = (
    ("wei", "伟"), ("fang", "芳"), ("min", "敏"), ("jing", "静"), ("lei", "磊"), ("jun", "军"), ("yang", "洋"), ("yong", "勇"),
    ("yan", "艳"), ("jie", "杰"), ("tao", "涛"), ("ming", "明"), ("chao", "超"), ("xiu", "秀"), ("xia", "霞"), ("ping", "平"),
    ("gang", "刚"), ("hui", "辉"), ("hua", "华"), ("dan", "丹"), ("ling", "玲"), ("bin", "斌"), ("yu", "宇"), ("hao", "浩"),
    ("kai", "凯"), ("xin", "鑫"), ("lin", "琳"), ("peng", "鹏"), ("qiang", "强"), ("jian", "建"), ("guo", "国"), ("zhi", "志"),
    ("hong", "红"), ("li", "丽"), ("na", "娜"), ("ting", "婷"), ("xue", "雪"), ("fei", "飞"), ("long", "龙"), ("yun", "云"),
    ("shan", "珊"), ("rui", "睿"), ("zhe", "哲"), ("han", "涵"), ("chen", "晨"), ("xuan", "轩"), ("yi", "怡"), ("qing", "清"),
    ("song", "松"), ("bo", "波"), ("feng", "峰"), ("cheng", "成"), ("dong", "东"), ("liang", "亮"), ("hai", "海"), ("wen", "文"),
    ("jia", "佳"), ("yue", "悦"), ("xiao", "晓"), ("ning", "宁"), ("shu", "淑"), ("zhen", "振"), ("kang", "康"), ("sen", "森"),
)
WEST_FIRST = (("Anna", "安娜"), ("David", "大卫"), ("Laura", "劳拉"), ("Michael", "迈克尔"), ("Sophie", "索菲"),
              ("Thomas", "托马斯"), ("Elena", "埃琳娜"), ("Mark", "马克"), ("Julia", "朱莉娅"), ("Peter", "彼得"),
              ("Claire", "克莱尔"), ("Daniel", "丹尼尔"), ("Ingrid", "英格丽德"), ("Rafael", "拉斐尔"))
WEST_LAST = (("Hartmann", "哈特曼"), ("Collins", "柯林斯"), ("Moreau", "莫罗"), ("Fischer", "菲舍尔"), ("Bennett", "贝内特"),
             ("Rossi", "罗西"), ("Lindqvist", "林德奎斯特"), ("Okafor", "奥卡福"), ("Novak", "诺瓦克"), ("Keller", "凯勒"),
             ("Dubois", "杜布瓦"), ("Brennan", "布伦南"), ("Sandoval", "桑多瓦尔"), ("Weber", "韦伯"))
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
          "December")
MONTHS_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_AP = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS_HANS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
WEEKDAYS_HANT = ("週一", "週二", "週三", "週四", "週五", "週六", "週日")

# Outlets the gazetteer does not know (reserved .example domains): an importer makes them new sources for a curator.
INVENTED_OUTLETS = (
    {"slug": "pharma-herald", "name_en": "Pharma Herald", "name_zh_hans": "医药先驱网", "name_zh_hant": "醫藥先驅網",
     "domains": ["pharmaherald.example"]},
    {"slug": "bioinsight-daily", "name_en": "BioInsight Daily", "name_zh_hans": "生物洞察日报", "name_zh_hant": "生物洞察日報",
     "domains": ["bioinsight-daily.example"]},
    {"slug": "yiyao-jie", "name_en": "Yiyao Jie", "name_zh_hans": "医药界网", "name_zh_hant": "醫藥界網",
     "domains": ["yiyaojie.example"]},
    {"slug": "health-tech-wire", "name_en": "Health Tech Wire", "name_zh_hans": "健康科技快讯", "name_zh_hant": "健康科技快訊",
     "domains": ["healthtechwire.example"]},
)

# ---------------------------------------------------------------------------------------------------------------
# Sentence templates. Upper-case slots are fixed for the article (its subject, company, drug...); lower-case slots
# draw afresh each time (a trailing digit asks for another draw of the same kind). E, P, D and C name the article's
# subject event, place, district and city; od, op, oe and oc name *other* ones in passing.
# ---------------------------------------------------------------------------------------------------------------
EN = {
    "title.event_open": (
        "{Y} {E} opens at {P}", "{E} {Y} kicks off in {D} with focus on {topic}", "{P} hosts {Y} {E}",
        "Biopharma leaders gather in {C} as {Y} {E} opens", "{Y} {E} opens in {C}, {n} projects signed on day one",
        "{E} returns to {P} for its {Y} edition", "{Y} {E} opens in {D}, spotlight on {mod}",
        "Chinese biotechs bring {mod} data to {Y} {E}", "{Y} {E} opens with strong Chinese presence",
    ),
    "title.event_preview": (
        "{Y} {E} to be held at {P} from {RANGE}", "{C} gears up for {Y} {E}", "Organisers unveil programme for {Y} {E}",
        "{Y} {E} set to draw {nn} guests to {D}", "{Y} {E} will run from {RANGE} in {C}",
        "Chinese drugmakers prepare {n} presentations for {Y} {E}",
    ),
    "title.event_close": (
        "{Y} {E} closes with {n} deals signed", "{E} {Y} wraps up at {P}", "{Y} {E} ends in {C}, eyes wider global reach",
        "{Y} {E} closes in {D} after {ND} days of talks", "{Y} {E} ends with Chinese deals in focus",
    ),
    "title.park": (
        "{P} welcomes {n} new biopharma tenants", "{co} opens research centre at {P}",
        "{P} breaks ground on second-phase expansion", "{D}'s {P} bets on {mod} start-ups",
        "Occupancy at {P} climbs to {pct} as {topic} firms move in", "{P} in {C} adds pilot plant for {mod} developers",
    ),
    "title.deal": (
        "{D}-based {CO} licenses {DRUG} to {PARTNER} in deal worth up to {AMTB}", "{CO} of {D} strikes {TGT} pact with {PARTNER}",
        "{CO} signs {DEAL} with {PARTNER} for {TGT} {MOD}", "{PARTNER} pays {AMT} upfront for {D} biotech {CO}'s {TGT} asset",
    ),
    "title.financing": (
        "{D} biotech {CO} raises {AMT} in {ROUND} round", "{CO} closes {AMT} {ROUND} financing led by {INV}",
        "{INV} leads {AMT} round in {D}-based {CO}",
    ),
    "title.trial": (
        "{D}-based {CO}'s {TGT} {MOD} meets primary endpoint in {PH} {DIS} trial",
        "{D} drugmaker {CO} reports positive {PH} data for {DRUG}", "{CO} of {D} starts {PH} study of {DRUG} in {DIS}",
    ),
    "title.policy": (
        "{D} rolls out {N} measures to support biopharma innovation", "{D} offers up to {AMT} per project to drug developers",
        "{C}'s {D} unveils biopharma policy package",
    ),
    "title.city": (
        "{C} sets {AMTB} target for biopharma industry by {fy}", "{C} unveils action plan to grow biopharma cluster",
        "{C} to build {n} new biomanufacturing bases",
    ),
    "lead.event_open": (
        "The {Y} {E} opened on {MD} at {P} in {C}'s {D}, drawing about {nn} researchers, executives and investors from China and abroad.",
        "{P} in {D}, {C}, was the venue on {MD} for the opening of the {Y} {E}, which this year runs for {ND} days.",
        "More than {nn} guests gathered at {P} in {C} on {MD} as the {Y} {E} got under way.",
        "The {Y} {E} opened in {C}'s {D} on {MD}, with {n} forums scheduled across the district over {ND} days.",
        "The {Y} {E} opened in {C} on {MD}, bringing drug developers, hospitals and investors together for {ND} days.",
        "The {Y} {E} opened on {MD}, and more than {n} Chinese companies, including {co} and {co2}, are presenting {mod} data.",
    ),
    "lead.event_preview": (
        "The {Y} {E} will be held at {P} in {C}'s {D} from {RANGE}, organisers told a press conference on {MD}.",
        "Organisers said on {MD} that the {Y} {E} would take place in {C}'s {D} from {RANGE}, with about {n} parallel sessions planned.",
        "Preparations for the {Y} {E}, due to open in {C} on {EVSTART}, are largely complete, officials said on {MD}.",
        "Chinese developers plan {n} presentations at the {Y} {E}, which opens on {EVSTART}, {co} said on {MD}.",
    ),
    "lead.event_close": (
        "The {Y} {E} closed at {P} in {C}'s {D} on {MD} after {ND} days of forums, exhibitions and deal signings.",
        "After {ND} days of talks and exhibitions, the {Y} {E} wrapped up in {C} on {MD}, with organisers reporting {n} signed projects.",
        "The {Y} {E} ended in {C}'s {D} on {MD}; organisers counted {nn} partnering meetings over {ND} days.",
        "The {Y} {E} closed on {MD}; Chinese companies signed {n} partnering agreements during the {ND}-day meeting.",
    ),
    "lead.park": (
        "{P} in {C}'s {D} said on {MD} that {n} biopharma companies had moved into its new buildings so far this year.",
        "{co} has opened a research and pilot production centre at {P} in {C}'s {D}, the park's operator said on {MD}.",
        "{P}, a life-science cluster in {D}, {C}, started building the second phase of its campus on {MD}, aimed at {mod} developers.",
    ),
    "lead.deal": (
        "{CO}, a {MOD} developer based in {C}'s {D}, said on {MD} it had granted {PARTNER} global rights outside Greater China to {DRUG}, in a deal worth up to {AMTB}.",
        "{CO} of {D}, {C}, announced on {MD} {DEAL} with {PARTNER} covering its {TGT}-targeted {MOD} {DRUG}.",
    ),
    "lead.financing": (
        "{CO}, a developer of {MOD} candidates based in {C}'s {D}, said on {MD} it had closed a {ROUND} round of {AMT}, led by {INV}.",
        "{INV} has led a {AMT} {ROUND} round in {CO}, a biotech company in {C}'s {D}, the company said on {MD}.",
    ),
    "lead.trial": (
        "{CO}, based in {C}'s {D}, said on {MD} that its {TGT} {MOD} {DRUG} met the primary endpoint of a {PH} trial in patients with {DIS}.",
        "{D}-based {CO} reported on {MD} that {DRUG}, its {TGT}-directed {MOD}, showed a response rate of {PCT} in a {PH} study in {DIS}.",
    ),
    "lead.policy": (
        "{C}'s {D} released {N} measures on {MD} to support biopharma innovation, with subsidies of up to {AMT} for a single project.",
        "Authorities in {D}, {C}, published a policy package on {MD} that rewards drug developers for clinical milestones and new approvals.",
    ),
    "lead.city": (
        "{C} issued an action plan on {MD} that aims to lift the output of its biopharma industry to {AMTB} by {fy}.",
        "{C} will add {n} biomanufacturing bases and a network of clinical research wards, according to a plan released on {MD}.",
    ),
    "body.event": (
        'This year\'s edition runs under the theme "{THEME}" and features {n} parallel sessions on topics from {mod} to {topic}.',
        "Organisers expect about {n} agreements to be signed during the {E}, covering projects worth a combined {amtb}.",
        "A forum on {dis} drew a full room at {P}, where clinicians compared notes on {tgt}-directed therapies.",
        "The {E} has grown each year since its first edition, and the {Y} programme adds a track on {topic}.",
        "Exhibitors at {P} included {co}, {co2} and {co3}, which showed their {mod} pipelines to visiting investors.",
        "On the sidelines of the {E}, {co} said its {tgt} {mod} {drug} had received {ms} from {reg}.",
        "Officials from {D} used the {E} to present incentives for companies that move research teams into the district.",
        "A matchmaking session on the second day paired {n} start-ups with investors including {inv} and {inv2}.",
        "The closing session released a report on {C}'s biopharma industry, which put the sector's annual output at {amtb}.",
        "Several speakers at the {E} argued that Chinese {mod} developers should start global trials earlier.",
        "The {Y} edition also hosted a roadshow for {n} early-stage projects in {topic}.",
        "Delegations from {n} countries and regions attended the {E}, according to the organising committee.",
        "Each afternoon of the {E} was given over to closed-door meetings between licensing teams and hospital researchers.",
        "A young investigators' session at the {E} gave awards to {k} teams working on {tgt} and {tgt2}.",
        "The organisers said the {E} would keep a year-round programme of smaller meetings after the main week ended.",
        "At a panel on financing, {person}, {role}, said valuations of {mod} companies had settled after two difficult years.",
        "Visitors to {P} could also tour a showcase of {topic} products made by companies from {C}.",
        "The {E} signed up {n} hospitals to a network meant to speed up patient enrolment in early trials.",
        "Guests at the {E} watched the launch of a {amt} fund for {topic} start-ups.",
        "More than {nn} one-on-one partnering meetings were booked through the {E}'s online system before the doors opened.",
        "Speakers at the {E} spent much of the morning on {dis}, where several {tgt} programmes are now in late-stage trials.",
    ),
    "body.park": (
        "The park now hosts more than {nn} companies, from start-ups working on {mod} to contract manufacturers.",
        "Managers at {P} said occupancy had reached {pct} by the end of {Y}.",
        "The new wet-lab floors at {P} are designed for teams moving from discovery work into IND-enabling studies.",
        "A shared pilot plant at {P} gives {mod} developers GMP-grade capacity without the cost of building their own lines.",
        "{D} has set aside {amtb} in guidance funds for projects that settle in {P}.",
        "Tenants at {P} can use a public platform for animal studies, analytics and quality testing, the operator said.",
        "{co} said it chose {P} for its proximity to hospitals running early-phase trials in {C}.",
        "The second phase adds about {area} square metres of laboratory and office space.",
        "Among the latest arrivals at {P} are {co}, {co2} and {co3}, all of which work on {tgt}.",
        "The park runs an incubator that has taken in {n} teams since {yr}, {k} of which have raised venture funding.",
        "Local officials said companies at {P} generated revenue of {amtb} last year.",
        "A talent apartment complex next to {P} is due to open in {fy}, the district said.",
        "The operator of {P} has also opened an office to help tenants with customs clearance for research reagents.",
        "Companies based in {P} filed {n} applications to start clinical trials last year, according to the park.",
    ),
    "body.deal": (
        "Under the terms, {CO} will receive an upfront payment of {AMT} and is eligible for development, regulatory and sales milestones.",
        "{DRUG} is being tested in a {PH} trial in China in patients with {DIS}.",
        "The agreement is the company's {ORD} out-licensing deal since it was set up in {D} in {yr}.",
        "{PARTNER} will take charge of development and commercialisation outside Greater China, while {CO} keeps rights at home.",
        "{CO} will also receive tiered royalties on net sales, the companies said, without giving the rates.",
        "Analysts said the deal underlines demand among multinational buyers for {TGT} assets from Chinese developers.",
        "Shares of {CO} rose {pct} in Hong Kong trading after the announcement.",
        "The two companies plan to start a global {ph} study of {DRUG} in {fy}.",
        "{PARTNER} has been building its {mod} portfolio and signed a separate deal with {co} last year.",
        "The transaction is expected to close in the coming quarter, subject to antitrust clearance.",
        "{CO} said the upfront payment would fund its pipeline of {MOD} candidates through {fy}.",
        "Early data on {DRUG} presented last year showed a disease control rate of {pct}.",
        "The companies did not disclose how the milestone payments are split between development and sales targets.",
    ),
    "body.financing": (
        "Proceeds will fund {PH} trials of {DRUG} and an expansion of the company's laboratories in {D}.",
        "Existing investors {inv} and {inv2} also took part in the round.",
        "{CO} was founded in {yr} by a team of scientists who previously worked at {co}.",
        "The company has now raised more than {amt} since its founding, according to its statement.",
        "Its lead programme, {DRUG}, is a {TGT} {MOD} being developed for {DIS}.",
        "{CO} said it would use part of the money to build a GMP production line in {D}.",
        "The round was oversubscribed, {person}, {role}, told reporters.",
        "Venture funding for Chinese biotech companies has recovered unevenly, with investors favouring assets close to clinical proof of concept.",
        "{INV} said it backed {CO} because of the speed at which the team moved {DRUG} into the clinic.",
        "{CO} expects to file an IND for a second candidate, aimed at {tgt}, by the end of {Y}.",
        "The company employs about {nn} people, most of them in research and development.",
        "According to data compiled by {inv}, the number of {mod} financing rounds in China rose {pct} in the first half of the year.",
    ),
    "body.trial": (
        "The trial enrolled {nn} patients at {n} hospitals across China.",
        "The objective response rate was {pct}, and median progression-free survival reached {n} months.",
        "Most treatment-related adverse events were grade 1 or 2, and no new safety signals were seen.",
        "{CO} plans to file a marketing application with {REG} in {fy}.",
        "Full results will be presented at a medical meeting later this year, the company said.",
        "{DRUG} previously received {ms} from {reg} for {DIS}.",
        "Patients in the study had received a median of {k} prior lines of therapy.",
        "{CO} is also testing {DRUG} in combination with a {tgt} antibody in an earlier line of treatment.",
        "The principal investigator, {person}, said the data supported moving into a randomised trial.",
        "Competing {TGT} programmes from {co} and {co2} are at a similar stage of development.",
        "Enrolment in the {PH} study finished ahead of schedule, according to {CO}.",
        "The company has applied to start bridging studies in Japan and Europe.",
        "Disease control was reported in {pct} of evaluable patients at the data cut-off.",
    ),
    "body.policy": (
        "Under the measures, a company that obtains {ms} for a {mod} candidate can receive a one-off reward of up to {amt}.",
        "{D} will cover part of the rent for newly arrived research teams for up to three years.",
        "Companies that move manufacturing of an approved drug into {D} will qualify for equipment subsidies.",
        "The district will also fund clinical research wards at {n} local hospitals.",
        "The policy sets aside {amtb} over five years, according to the district's science and technology commission.",
        "{D} said it would shorten the time needed to approve new laboratory buildings to {n} working days.",
        "Overseas-trained scientists who start companies in {D} can apply for housing support and school places for their children.",
        "The measures replace an earlier package issued in {yr}, which officials said had attracted {nn} projects.",
        "A one-stop service window will handle company registration, environmental review and import permits for research materials.",
        "Officials said the policy would favour {topic} and {topic2}.",
        "Hospitals in {D} that join early-phase trials will be assessed on how quickly they start enrolling patients.",
        "{D} will also reward companies whose drugs are added to the national reimbursement list.",
    ),
    "body.city": (
        "The plan names {topic} and {topic2} as priorities for the next three years.",
        "{C} wants {k} new drugs developed in the city to reach the market each year by {fy}.",
        "The city will expand its biopharma guidance fund to {amtb}, the plan said.",
        "Officials said the plan builds on an earlier strategy that helped the industry grow {pct} a year since {yr}.",
        "The plan also promises faster ethics reviews at hospitals that run clinical trials.",
        "{C} will support companies that set up overseas clinical teams or file with {reg}.",
        "Industrial land will be reserved for biomanufacturing near the city's ports and airports.",
        "The city counts more than {nn} biopharma companies with research operations, according to the plan.",
    ),
    "body.general": (
        "Industry analysts note that {tgt} remains one of the most crowded targets in China, with more than {n} candidates in clinical trials.",
        "Interest in {mod} has grown quickly as multinational buyers look to China for assets that reach the clinic fast.",
        "{co} and {co2} are among the companies racing to bring {tgt}-directed {mod} to patients with {dis}.",
        "According to figures compiled by {inv}, Chinese biotech companies signed licensing deals worth more than {amtb} in {yr}.",
        "{co} recently started a {ph} study of {drug} in {dis}.",
        "Review times have shortened, and {reg} granted {ms} to {n} domestically developed drugs last year.",
        "Demand for contract research has recovered, with {co} reporting a {pct} rise in new orders.",
        "Hospitals in the region have joined an early-phase trial network that aims to start new studies within {k} weeks.",
        "{mod} and {mod2} now account for a growing share of the deals struck by Chinese developers.",
        "{co}'s {tgt} candidate {drug} is among the most advanced in its class.",
        "Industry groups estimate that {C} is home to about {pct} of China's clinical-stage {mod} programmes.",
        "Many of the deals now include options for the buyer to take worldwide rights later.",
        "Recruiting experienced clinical staff remains hard, executives said, especially for global trials.",
        "{co} said in its annual report that research spending rose {pct} to {amt}.",
        "The first {tgt} {mod} approved in China reached the market in {yr}, and several follow-on products are in late-stage trials.",
        "Pricing pressure from volume-based procurement has pushed many generic makers to invest in new drugs.",
        "Several companies, including {co}, have upgraded production lines to meet overseas quality standards.",
        "Investors have grown more selective, backing fewer companies with larger rounds.",
        "Chinese developers accounted for roughly {pct} of global licensing deals for {mod} assets in {yr}.",
        "{co} expects data from its {ph} trial of {drug} in {dis} in the second half of {fy}.",
        "Patient groups have asked for faster access to {mod} for {dis}, where options remain limited.",
        "Data on {tgt} combinations presented by {co} and {co2} last year drew attention from buyers.",
        "The number of first-in-class programmes from Chinese companies is still small but rising, researchers said.",
        "{reg} accepted {n} applications for {mod} products in the first {k} months of the year.",
        "A growing number of hospitals now run dedicated phase I units, shortening the time to first patient dosed.",
        "Contract manufacturers such as {co} have added capacity for {mod} to serve overseas clients.",
        "Research teams have also turned to AI tools to screen {tgt} binders, cutting early discovery time.",
        "Commercial insurance is expected to play a bigger role in paying for high-priced {mod} products.",
        "{co} and {partner} said they would jointly explore {tgt} combinations in {dis}.",
        "Licensing income has become a key source of cash for mid-sized developers such as {co}.",
        "{co} has {k} products in clinical development, with {drug} the furthest along.",
        "Since {yr}, {n} innovative drugs developed by companies in {C} have been approved.",
        "In {dis}, combinations of {tgt} and {tgt2} agents are widely seen as the next step.",
        "Overseas revenue overtook domestic sales at {co} for the first time last year, reaching {pct} of the total.",
        "One investor, who asked not to be named, said valuations in {mod} had fallen by about a third this year.",
        "The founders of {co} came from large multinational drugmakers and have on average {k} years of drug development experience.",
        "After the national price negotiations, the price of {co}'s {drug} fell by about {pct}, but volumes rose sharply.",
        "Patent filings around {mod} have become dense, and a dispute between {co} and {co2} has drawn attention.",
        "Many early teams start in incubators and rent their own laboratories only after a first funding round.",
        "Public filings show that {n} Chinese biopharma companies have applied to list in Hong Kong this year.",
        "Preclinical data showed that {drug} was well tolerated in animal models, with dose-dependent efficacy.",
        "{co} plans to expand its research staff to {nn} people within {k} years.",
        "Brokerage analysts expect the domestic market for {tgt} drugs to exceed {amtb} by {fy}.",
        "Some local governments now take small early stakes in biopharma projects, typically below {amt} each.",
        "{co} runs joint laboratories with several top-tier hospitals focused on translational research in {dis}.",
    ),
    "quote": (
        '"{q}," said {person}, {role}.', '"{q}," {person}, {role}, told reporters.', '{person}, {role}, said: "{q}."',
        '"{q}," according to {person}, {role}.',
    ),
    "q": (
        "We want to get {mod} to patients faster, and the ecosystem here lets us do that",
        "Talent is now scarcer than capital in this industry", "{D} has given us the space and the speed we need",
        "The next step is to show that {drug} works in earlier lines of therapy",
        "Overseas partners now come to us with very specific questions about {tgt}",
        "Original innovation depends on long-term investment in basic research", "Clinical resources are the bottleneck, not ideas",
        "We see {C} as a base for global development, not only for the Chinese market",
        "Our priority this year is to generate clean data in {dis}",
        "A good platform attracts good teams, and good teams attract capital",
        "The gap with the best global programmes is narrowing, but it has not closed",
        "Manufacturing quality will decide which {mod} companies survive", "Patients with {dis} have waited too long for new options",
        "We are building for the next ten years, not the next funding round",
        "Regulators have become much more predictable, which helps us plan",
    ),
    "role": (
        "chief executive of {co}", "chief medical officer at {co}", "a partner at {inv}", "head of business development at {partner}",
        "deputy director of the {D} science and technology commission", "a professor of pharmacology",
        "the oncologist who led the trial", "general manager of {P}", "founder of {co}", "vice-president of research at {co}",
        "an analyst at {inv}", "chairman of {co}",
    ),
    "list": (
        "The programme also includes sessions in {od}, {od2} and {od3}.",
        "Similar incubators have opened at {op} and {op2} in recent years.",
        "Companies from {oc}, {oc2} and {oc3} also took part.",
        "Earlier this year, the company presented data at the {oe} and met investors in {od}.",
        "Its peers cluster in {od}, {od2}, {od3} and {od4}.",
        "Other hubs named in the report include {op}, {op2} and {op3}.",
        "The organisers plan follow-up events in {oc} and {oc2} later in the year.",
        "Representatives of {op} and {op2} were among the guests.",
        "A similar forum was held at the {oe} last year, and another is planned in {od}.",
        "The company also has laboratories in {od} and a sales office in {oc}.",
        "Speakers had travelled from {oc}, {oc2}, {od} and {od2}, and several had attended the {oe} a month earlier.",
    ),
    "bullets": ("Other parks in the region include:", "Also on the list:", "Related sites:", "Other hubs:"),
    "heading": (
        "A growing cluster", "From lab to clinic", "Capital returns", "Going global", "What comes next", "Policy support",
        "Talent and infrastructure", "Inside the pipeline", "Data in focus", "Deals and partnerships", "Why location matters",
        "{MOD} in focus", "The road to approval", "Building an ecosystem", "Numbers at a glance",
    ),
}

ZH = {
    "title.event_open": (
        "{Y}{E}在{P}开幕", "{Y}{E}开幕 聚焦{topic}", "聚焦{topic}，{Y}{E}在{D}启幕", "{Y}{E}举行 首日{n}个项目签约",
        "全球生物医药精英齐聚{C} {Y}{E}开幕", "{Y}{E}在{C}开幕，{mod}成热门话题", "{Y}{E}开幕 中国药企携{mod}数据亮相",
        "{Y}{E}开幕，中国企业集中亮相",
    ),
    "title.event_preview": (
        "{Y}{E}将于{RANGE}在{P}举办", "{Y}{E}即将举办，{nn}余位嘉宾确认参会", "{C}发布{Y}{E}活动安排",
        "{Y}{E}下月在{D}举行", "{n}家中国药企将亮相{Y}{E}",
    ),
    "title.event_close": ("{Y}{E}闭幕 {n}个项目集中签约", "{Y}{E}在{P}落下帷幕", "为产业高质量发展凝聚共识 {Y}{E}闭幕",
                          "{Y}{E}在{D}闭幕", "{Y}{E}落幕 中国企业交易受关注"),
    "title.park": ("{P}今年新增{n}家生物医药企业", "{co}研发中心落户{P}", "{P}二期项目开工 重点服务{mod}企业",
                   "{D}{P}载体出租率达{pct}", "{C}{P}新建共享中试平台"),
    "title.deal": ("{D}企业{CO}与{PARTNER}达成授权合作 交易总额最高{AMTB}", "{D}企业{CO}将{DRUG}海外权益授权给{PARTNER}",
                   "{D}{CO}与{PARTNER}签署{TGT}{MOD}合作协议"),
    "title.financing": ("{D}生物医药企业{CO}完成{AMT}{ROUND}融资", "{D}企业{CO}获{AMT}{ROUND}融资 {INV}领投"),
    "title.trial": ("{D}企业{CO}{TGT}{MOD}{PH}临床研究达到主要终点", "{D}企业{CO}公布{DRUG}{PH}临床数据",
                    "{D}{CO}启动{DRUG}治疗{DIS}{PH}临床试验"),
    "title.policy": ("{D}出台{N}条措施支持生物医药产业发展", "单个项目最高支持{AMT} {D}发布生物医药新政", "{C}{D}发布生物医药产业扶持政策"),
    "title.city": ("{C}发布生物医药产业行动方案 目标{fy}年规模达{AMTB}", "{C}将新建{n}个生物制造基地", "{C}出台生物医药产业发展实施意见"),
    "lead.event_open": (
        "{MD}，{Y}{E}在{C}{D}{P}开幕，来自海内外的{nn}余位专家学者、企业代表和投资人参加。",
        "{MD}上午，{Y}{E}开幕式在位于{C}{D}的{P}举行，本届活动为期{ND}天。",
        "{MD}，{Y}{E}在{C}{P}拉开帷幕，{n}场主题论坛和专场活动将在随后{ND}天内陆续举行。",
        "{MD}，{Y}{E}在{C}{D}开幕，{n}场论坛将在区内多个场馆举行。",
        "{MD}，{Y}{E}在{C}开幕，为期{ND}天的活动吸引了众多药企、医院和投资机构参与。",
        "{MD}，{Y}{E}开幕，{co}、{co2}等{n}余家中国企业在会上公布了{mod}研究数据。",
    ),
    "lead.event_preview": (
        "记者从{MD}举行的新闻发布会上获悉，{Y}{E}将于{RANGE}在{C}{D}{P}举办。",
        "{MD}，{Y}{E}组委会对外发布活动安排，本届活动将于{RANGE}在{C}{D}举行，预计设置{n}场平行论坛。",
        "{Y}{E}将于{EVSTART}在{C}开幕，组委会{MD}表示，相关筹备工作已基本就绪。",
        "{Y}{E}将于{EVSTART}开幕，{co}{MD}表示，中国企业将在会上带来{n}项研究报告。",
    ),
    "lead.event_close": (
        "{MD}，为期{ND}天的{Y}{E}在{C}{D}{P}闭幕。",
        "{MD}，{Y}{E}在{C}落下帷幕，组委会介绍，本届活动共促成{n}个项目签约。",
        "{MD}，{Y}{E}在{C}{D}闭幕，{ND}天里共举行合作洽谈{nn}余场。",
        "{MD}，为期{ND}天的{Y}{E}闭幕，中国企业在会议期间共达成{n}项合作。",
    ),
    "lead.park": (
        "记者{MD}从{C}{D}{P}获悉，今年以来已有{n}家生物医药企业入驻园区新建楼宇。",
        "{MD}，{co}位于{C}{D}{P}的研发及中试基地正式启用。",
        "{MD}，{C}{D}{P}二期项目开工建设，将重点面向{mod}企业提供研发和中试空间。",
    ),
    "lead.deal": (
        "{MD}，总部位于{C}{D}的{CO}宣布，已将其{TGT}{MOD}{DRUG}的大中华区以外权益授权给{PARTNER}，交易总额最高可达{AMTB}。",
        "{MD}，{C}{D}企业{CO}宣布与{PARTNER}签署{DEAL}，双方将围绕{TGT}靶点{MOD}{DRUG}开展合作。",
    ),
    "lead.financing": (
        "{MD}，{C}{D}生物医药企业{CO}宣布完成{AMT}{ROUND}融资，本轮由{INV}领投。",
        "{MD}，位于{C}{D}的{MOD}研发企业{CO}宣布获得{INV}领投的{AMT}{ROUND}融资。",
    ),
    "lead.trial": (
        "{MD}，{C}{D}企业{CO}宣布，其{TGT}{MOD}{DRUG}治疗{DIS}的{PH}临床研究达到主要终点。",
        "{MD}，总部位于{C}{D}的{CO}公布{DRUG}的{PH}临床数据，客观缓解率达到{PCT}。",
    ),
    "lead.policy": (
        "{MD}，{C}{D}发布《关于促进生物医药产业高质量发展的若干措施》，共{N}条，单个项目最高可获{AMT}支持。",
        "{MD}，{C}{D}出台支持生物医药创新发展的政策措施，对企业临床研究、注册上市等环节给予奖励。",
    ),
    "lead.city": (
        "{MD}，{C}发布生物医药产业发展行动方案，提出到{fy}年全市产业规模突破{AMTB}。",
        "{MD}，{C}印发加快生物医药产业发展的实施意见，计划新建{n}个生物制造基地。",
    ),
    "body.event": (
        "本届活动以“{THEME}”为主题，设置{n}场平行论坛，议题涵盖{mod}、{topic}等前沿领域。",
        "活动期间预计将有{n}个项目集中签约，总投资额超过{amtb}。",
        "在{P}举行的{dis}专场论坛上，多位临床专家围绕{tgt}靶点药物的研发进展展开讨论。",
        "参展企业包括{co}、{co2}、{co3}等，集中展示了在{mod}领域的最新成果。",
        "{E}期间，{co}宣布其{tgt}{mod}{drug}已获得{reg}{ms}。",
        "{D}相关负责人在活动上推介了区域产业政策，对新落地的研发团队给予租金减免和人才奖励。",
        "在第二天举行的投融资对接会上，{n}家初创企业与{inv}、{inv2}等机构进行了路演交流。",
        "闭幕环节发布了{C}生物医药产业发展报告，报告显示全市产业规模已达{amtb}。",
        "与会嘉宾认为，国内{mod}企业应更早布局国际多中心临床试验。",
        "本届{E}首次设立{topic}专题，吸引了大量青年科研人员参与。",
        "据组委会介绍，共有来自{n}个国家和地区的代表团参加本届{E}。",
        "活动期间，{n}家医院加入了早期临床研究协作网络，以加快受试者入组速度。",
        "开幕式上还发布了规模{amt}的{topic}产业基金。",
        "主办方表示，主活动结束后，{E}还将全年举办系列专场活动。",
        "{P}展区内，来自{C}的企业展示了{topic}领域的多款新产品。",
        "在投融资圆桌上，{role}{person}表示，{mod}企业的估值在经历两年调整后已趋于稳定。",
        "青年科学家论坛为{k}个从事{tgt}和{tgt2}研究的团队颁发了奖项。",
        "开幕前，已有{nn}余场一对一合作洽谈通过{E}线上系统完成预约。",
        "{E}期间，{dis}成为热门话题，多款{tgt}药物已进入后期临床阶段。",
        "每天下午，{E}都安排了授权团队与医院研究者之间的闭门交流。",
    ),
    "body.park": (
        "目前园区已集聚企业{nn}余家，覆盖{mod}、{mod2}、医疗器械等多个细分领域。",
        "园区负责人介绍，截至{Y}年底，{P}载体出租率已达到{pct}。",
        "新建的湿实验室楼层主要面向从药物发现迈向临床前研究阶段的团队。",
        "{P}的共享中试平台可为{mod}企业提供符合GMP标准的生产能力，降低初创企业的固定资产投入。",
        "{D}设立了规模{amtb}的产业引导基金，重点支持落户{P}的项目。",
        "园区还搭建了动物实验、分析检测和质量评价等公共服务平台。",
        "{co}负责人表示，选择落户{P}，看中的是周边医院开展早期临床试验的能力。",
        "二期项目总建筑面积约{area}平方米，包括研发楼、中试车间和配套公寓。",
        "近期入驻{P}的企业包括{co}、{co2}和{co3}，均聚焦{tgt}靶点药物研发。",
        "园区孵化器自{yr}年运营以来已累计孵化{n}个团队，其中{k}个获得风险投资。",
        "据介绍，去年{P}内企业实现营收{amtb}。",
        "{D}表示，{P}旁的人才公寓预计将于{fy}年投入使用。",
        "{P}还设立了服务窗口，帮助企业办理研发用物品进口通关等手续。",
        "去年园区企业共提交新药临床试验申请{n}项。",
    ),
    "body.deal": (
        "根据协议，{CO}将获得{AMT}首付款，并有资格获得后续开发、注册及销售里程碑付款。",
        "{DRUG}目前正在国内开展针对{DIS}的{PH}临床试验。",
        "这是{CO}自{yr}年在{D}成立以来达成的{ORD}笔对外授权交易。",
        "{PARTNER}将负责该产品在大中华区以外的开发和商业化，{CO}保留国内权益。",
        "此外，{CO}还将按产品净销售额获得分级特许权使用费，具体比例未予披露。",
        "分析人士认为，这笔交易显示跨国药企对中国{TGT}资产的需求依然旺盛。",
        "消息公布后，{CO}股价当日上涨{pct}。",
        "双方计划于{fy}年启动{DRUG}的全球{ph}临床研究。",
        "{PARTNER}近年来持续扩充{mod}管线，去年还与{co}达成了另一项合作。",
        "该交易尚需通过反垄断审查，预计将于下一季度完成交割。",
        "{CO}表示，首付款将用于支持公司{MOD}管线的研发，资金可支撑至{fy}年。",
        "去年公布的早期数据显示，{DRUG}的疾病控制率为{pct}。",
        "双方未披露里程碑付款在研发和销售目标之间的具体分配。",
    ),
    "body.financing": (
        "本轮融资资金将主要用于{DRUG}的{PH}临床研究，以及{D}研发基地的扩建。",
        "老股东{inv}、{inv2}继续跟投。",
        "{CO}成立于{yr}年，创始团队成员曾在{co}等企业任职。",
        "据公司介绍，自成立以来累计融资额已超过{amt}。",
        "公司核心产品{DRUG}是一款{TGT}{MOD}，拟用于治疗{DIS}。",
        "{CO}表示，部分资金将用于在{D}建设GMP生产线。",
        "{role}{person}透露，本轮融资获得超额认购。",
        "业内人士指出，生物医药一级市场正在分化回暖，资本更青睐接近临床概念验证的项目。",
        "{INV}表示，看好{CO}团队推进{DRUG}进入临床的速度。",
        "{CO}预计将在{Y}年底前为另一款{tgt}候选药物提交临床试验申请。",
        "公司目前员工约{nn}人，其中大部分从事研发工作。",
        "据{inv}统计，今年上半年国内{mod}领域融资事件数量同比增长{pct}。",
    ),
    "body.trial": (
        "该研究在全国{n}家中心共入组{nn}例患者。",
        "数据显示，客观缓解率为{pct}，中位无进展生存期达到{n}个月。",
        "安全性方面，治疗相关不良事件以1-2级为主，未发现新的安全性信号。",
        "{CO}计划于{fy}年向{REG}递交上市申请。",
        "公司表示，完整数据将在今年晚些时候的学术会议上公布。",
        "此前，{DRUG}已获得{reg}授予的{ms}。",
        "入组患者既往接受过的治疗线数中位数为{k}线。",
        "{CO}还在开展{DRUG}联合{tgt}抗体用于更早线治疗的研究。",
        "主要研究者{person}表示，这些数据支持开展随机对照研究。",
        "{co}、{co2}的同类{TGT}项目目前处于相近的研发阶段。",
        "据{CO}介绍，该{PH}研究提前完成了患者入组。",
        "公司已申请在日本和欧洲开展桥接研究。",
        "截至数据截止日，可评估患者的疾病控制率为{pct}。",
    ),
    "body.policy": (
        "根据措施，企业的{mod}候选药物获得{ms}的，可获得最高{amt}的一次性奖励。",
        "对新引进的研发团队，{D}将给予最长三年的租金补贴。",
        "已上市药品生产转移至{D}的企业，可申请设备购置补贴。",
        "{D}还将支持区内{n}家医院建设研究型病房。",
        "区科委介绍，该政策未来五年将安排资金{amtb}。",
        "{D}提出，将新建实验楼的审批时限压缩至{n}个工作日。",
        "海外留学归国人员在{D}创业，可申请人才住房和子女入学支持。",
        "新政取代了{yr}年出台的旧版政策，官方称旧政已吸引{nn}个项目落地。",
        "区内将设立一站式服务窗口，统一办理企业注册、环评和研发用物品进口等事项。",
        "政策将重点向{topic}和{topic2}领域倾斜。",
        "参与早期临床试验的医院，将以受试者入组速度作为考核指标之一。",
        "产品纳入国家医保目录的企业，也将获得相应奖励。",
    ),
    "body.city": (
        "方案明确，未来三年将重点发展{topic}和{topic2}。",
        "{C}提出，到{fy}年每年将有{k}款本地研发的新药获批上市。",
        "方案提出，市级生物医药产业引导基金规模将扩大至{amtb}。",
        "有关负责人表示，此前出台的产业政策推动行业自{yr}年以来年均增长{pct}。",
        "方案还提出，将加快开展临床试验的医院伦理审查。",
        "{C}将支持企业组建海外临床团队，或向{reg}递交注册申请。",
        "在港口和机场周边将预留产业用地，用于发展生物制造。",
        "据统计，{C}拥有研发业务的生物医药企业已超过{nn}家。",
    ),
    "body.general": (
        "业内人士指出，{tgt}仍是国内竞争最为激烈的靶点之一，目前已有超过{n}款候选药物进入临床阶段。",
        "随着跨国药企加大在华寻找资产的力度，{mod}领域的交易明显升温。",
        "{co}、{co2}等企业正在加快推进{tgt}{mod}的研发，以期为{dis}患者提供新的治疗选择。",
        "据{inv}统计，{yr}年中国创新药对外授权交易总额超过{amtb}。",
        "{co}近期启动了{drug}治疗{dis}的{ph}临床试验。",
        "近年来药品审评审批持续提速，{reg}去年共授予{n}款国产新药{ms}。",
        "CRO行业需求逐步回暖，{co}新签订单同比增长{pct}。",
        "区域内多家医院加入早期临床研究网络，目标是在{k}周内启动新的临床试验。",
        "{mod}和{mod2}在国内企业对外交易中的占比持续提升。",
        "{co}的{tgt}候选药物{drug}是同类产品中进展最快的之一。",
        "行业协会估计，国内处于临床阶段的{mod}项目约有{pct}集中在{C}。",
        "目前不少交易都附带选择权条款，买方可在后期获得全球权益。",
        "多位企业负责人表示，招聘有经验的临床人才仍然困难，开展全球试验时尤为明显。",
        "{co}在年报中披露，研发投入同比增长{pct}，达到{amt}。",
        "国内首款{tgt}{mod}于{yr}年获批上市，多款同类产品已进入后期临床。",
        "集采带来的价格压力，推动不少仿制药企业加大创新药投入。",
        "包括{co}在内的多家企业已按照海外质量标准改造生产线。",
        "投资机构变得更加谨慎，资金更多集中于少数头部项目。",
        "{yr}年，中国企业在全球{mod}授权交易中的占比约为{pct}。",
        "{co}预计将于{fy}年下半年读出{drug}治疗{dis}的{ph}临床数据。",
        "患者组织呼吁加快{mod}在{dis}领域的可及性，目前该领域治疗选择仍然有限。",
        "{co}和{co2}去年公布的{tgt}联合用药数据引起了潜在买家的关注。",
        "研究人员表示，中国企业的首创新药项目数量虽然不多，但正在逐年增加。",
        "今年前{k}个月，{reg}共受理{mod}相关申请{n}件。",
        "越来越多的医院设立了专门的I期临床研究病房，缩短了首例受试者入组时间。",
        "{co}等合同生产企业新增了{mod}产能，以服务海外客户。",
        "不少研发团队开始借助人工智能工具筛选{tgt}结合分子，缩短早期发现周期。",
        "商业健康保险有望在高价{mod}产品支付中发挥更大作用。",
        "{co}与{partner}表示，将在{dis}领域共同探索{tgt}联合疗法。",
        "对于{co}这样的中型研发企业而言，授权收入已成为重要的现金来源。",
        "从研发管线看，{co}有{k}款产品处于临床阶段，其中{drug}进展最快。",
        "{yr}年以来，{C}累计有{n}款创新药获批上市，其中不少出自本地企业。",
        "在{dis}领域，{tgt}与{tgt2}的联合用药被认为是下一个突破口。",
        "去年，{co}的海外收入首次超过国内收入，占比达到{pct}。",
        "一位不愿具名的投资人告诉记者，今年{mod}赛道的估值普遍回落了三成左右。",
        "{co}创始团队来自海外大型药企，核心成员平均拥有{k}年以上新药研发经验。",
        "医保谈判结果公布后，{co}的{drug}价格降幅约为{pct}，但销量明显提升。",
        "围绕{mod}的专利布局日益密集，{co}和{co2}之间的专利纠纷也引发行业关注。",
        "记者走访发现，不少初创团队选择先在孵化器起步，待完成首轮融资后再租用独立实验室。",
        "根据公开数据，今年以来国内已有{n}家生物医药企业递交港股上市申请。",
        "临床前数据显示，{drug}在动物模型中表现出良好的耐受性和剂量依赖性疗效。",
        "{co}计划在未来{k}年内将研发团队扩充至{nn}人。",
        "多家券商研报认为，{tgt}靶点的国内市场规模有望在{fy}年突破{amtb}。",
        "一些地方政府开始以“投早投小”的方式参与生物医药项目，单笔投资通常在{amt}以内。",
        "{co}与多家三甲医院共建联合实验室，重点开展{dis}的转化医学研究。",
    ),
    "quote": ("{role}{person}表示：“{q}。”", "“{q}，”{role}{person}说。", "{role}{person}在接受采访时称，{q}。",
              "谈及未来规划，{role}{person}表示，{q}。"),
    "q": (
        "我们希望让{mod}更快惠及患者，这里的产业生态让我们能够做到这一点", "人才已经成为比资本更稀缺的资源",
        "{D}为我们提供了充足的空间和高效的服务", "下一步要证明{drug}在更早线治疗中同样有效",
        "海外合作伙伴现在会带着关于{tgt}的具体问题来找我们", "源头创新离不开对基础研究的长期投入", "临床资源才是瓶颈，而不是想法",
        "我们把{C}视为全球研发的基地，而不仅仅是面向国内市场", "今年的首要任务是在{dis}领域拿出扎实的数据",
        "好的平台吸引好的团队，好的团队吸引资本", "与全球最好的项目相比，差距正在缩小，但还没有消除",
        "生产质量将决定哪些{mod}企业能够走得更远", "{dis}患者等待新疗法的时间已经太久了", "我们着眼的是未来十年，而不是下一轮融资",
        "监管政策的可预期性明显增强，有助于企业做长期规划",
    ),
    "role": ("{co}首席执行官", "{co}首席医学官", "{inv}合伙人", "{partner}业务发展负责人", "{D}科委副主任", "药理学教授",
             "该研究主要研究者、肿瘤科主任", "{P}总经理", "{co}创始人", "{co}研发副总裁", "{inv}分析师", "{co}董事长"),
    "list": (
        "此外，{od}、{od2}和{od3}也将同期举办专场活动。", "近年来，{op}和{op2}也相继建成了类似的孵化平台。",
        "来自{oc}、{oc2}、{oc3}等地的企业也参加了活动。", "今年早些时候，该公司还参加了{oe}，并在{od}与投资人进行了交流。",
        "同类企业主要集中在{od}、{od2}、{od3}和{od4}等地。", "报告提到的其他产业载体还包括{op}、{op2}和{op3}。",
        "主办方计划今年晚些时候在{oc}和{oc2}举办后续活动。", "{op}和{op2}的代表也应邀出席。",
        "去年{oe}期间也举办过类似论坛，明年还计划在{od}举行。", "该公司在{od}设有实验室，并在{oc}设立了销售办公室。",
        "与会嘉宾分别来自{oc}、{oc2}、{od}和{od2}，其中多人一个月前刚刚参加了{oe}。",
    ),
    "bullets": ("区域内其他产业载体还包括：", "此外还有：", "相关载体：", "其他产业园区："),
    "heading": ("产业集聚效应显现", "从实验室到临床", "资本加速布局", "创新药出海提速", "政策持续加码", "人才与平台建设", "{MOD}赛道升温",
                "打造生物医药产业高地", "临床数据受关注", "合作模式不断创新", "区位优势凸显", "审评审批提速", "一组数据"),
    "prefix": ("此外，", "与此同时，", "据介绍，", "据了解，", "记者了解到，", "值得关注的是，", "另据介绍，", "另一方面，"),
}

# Interchangeable wordings, swapped at random in body sentences so that two articles built from the same template
# don't share long runs of text. None of these words occurs inside a made-up name, a term or an entity name.
SYNONYMS = {
    "en": (
        ("more than", ("more than", "over")), ("companies", ("companies", "firms")), ("start-ups", ("start-ups", "young companies")),
        ("investors", ("investors", "backers")), ("plans to", ("plans to", "intends to", "aims to")),
        ("recently", ("recently", "lately")), ("expects", ("expects", "anticipates")), ("growing", ("growing", "rising")),
        ("developers", ("developers", "drugmakers")), ("remains", ("remains", "is still")), ("quickly", ("quickly", "rapidly")),
        ("announced", ("announced", "said")), ("last year", ("last year", "a year earlier")), ("told reporters", ("told reporters", "said in an interview")),
        ("in China", ("in China", "on the mainland")),
    ),
    "zh": (
        ("表示", ("表示", "称", "介绍", "指出")), ("目前", ("目前", "当前", "眼下")), ("近年来", ("近年来", "近几年", "这些年")),
        ("持续", ("持续", "不断")), ("加快", ("加快", "加速")), ("推动", ("推动", "带动", "促进")), ("显示", ("显示", "表明")),
        ("已经", ("已经", "已")), ("大量", ("大量", "众多", "不少")), ("多位", ("多位", "不少", "一些")), ("明显", ("明显", "显著")),
        ("企业", ("企业", "公司")), ("同比增长", ("同比增长", "较上年增长")), ("预计", ("预计", "预期")), ("仍然", ("仍然", "依然", "仍")),
        ("开展", ("开展", "进行")), ("进入", ("进入", "迈入")), ("提供", ("提供", "带来")), ("正在", ("正在", "正")),
    ),
}
_VARIANTS: dict = {"en": {}, "zh": {}}


def _variants(template: str, lang: str) -> tuple:
    """The template with its interchangeable words swapped every way (at most 16 wordings), the original first."""
    found = _VARIANTS[lang].get(template)
    if found is None:
        literal = "".join(lit for lit, _, _, _ in _parse(template))
        words = []
        for word, alternatives in SYNONYMS[lang]:
            if word in literal and not any(word in w or w in word for w, _ in words):
                if lang != "en" or re.search(rf"\b{re.escape(word)}\b", literal):
                    words.append((word, alternatives))
        variants = [template]
        for word, alternatives in words[:4]:
            variants = [v.replace(word, alt) if alt != word else v for v in variants for alt in alternatives]
        found = _VARIANTS[lang][template] = tuple(dict.fromkeys(variants))
    return found


_NO_PREFIX = ("据", "此外", "目前", "与此", "记者", "“", "另", "值得", "在", "随着", "近年", "对", "根据", "截至")
KIND_WEIGHTS = (("event", 35), ("park", 15), ("deal", 12), ("financing", 12), ("trial", 11), ("policy", 10), ("city", 5))
RELATED_TOPIC = {"event": "deal", "park": "policy", "deal": "trial", "financing": "trial", "trial": "deal",
                 "policy": "park", "city": "policy"}


# ---------------------------------------------------------------------------------------------------------------
# Sampling helpers and the made-up lexicon (seed-independent: the same companies exist in every corpus).
# ---------------------------------------------------------------------------------------------------------------
class FastRandom(random.Random):
    """random.Random whose integer draws come from random() (a float multiply, not rejection sampling).

    Several times faster for the millions of small draws a corpus needs; still one deterministic stream per seed.
    """

    def _randbelow(self, n: int) -> int:
        return int(self.random() * n)

    def randrange(self, start: int, stop: int | None = None) -> int:  # type: ignore[override]
        if stop is None:
            return int(self.random() * start)
        return start + int(self.random() * (stop - start))

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


class Zipf:
    """Draws items with probability proportional to 1 / (rank + q) ** s (Zipf-Mandelbrot)."""

    __slots__ = ("items", "cum", "total", "last")

    def __init__(self, items: Iterable, s: float = 1.0, q: float = 0.0):
        self.items = list(items)
        if not self.items:
            raise ValueError("Zipf needs at least one item")
        acc, cum = 0.0, []
        for rank in range(1, len(self.items) + 1):
            acc += 1.0 / (rank + q) ** s
            cum.append(acc)
        self.cum, self.total, self.last = cum, acc, len(self.items) - 1

    def pick(self, rng: random.Random):
        i = bisect.bisect_right(self.cum, rng.random() * self.total)
        return self.items[i if i <= self.last else self.last]

    def __len__(self):
        return len(self.items)


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


@dataclass(frozen=True)
class Company:
    en: str
    zh: str
    initials: str
    rank: int

    def drug(self, k: int) -> str:
        number = 100 + _crc(f"{self.rank}:{k}") % (900 if self.rank % 3 else 9900)
        sep = "-" if self.rank % 4 else ""
        return f"{self.initials}{sep}{number}"


@dataclass
class Lexicon:
    companies: Zipf
    partners: Zipf
    investors: Zipf
    targets: Zipf
    modalities: Zipf
    diseases: Zipf
    topics: Zipf
    surnames: Zipf


def _made_up_names(rng: random.Random, count: int, suffixes) -> list[tuple[str, str, str]]:
    seen, out = set(), []
    while len(out) < count:
        (p1, h1), (p2, h2) = rng.sample(SYLLABLES, 2)
        s_en, s_zh = suffixes[min(int(rng.expovariate(0.45)), len(suffixes) - 1)]
        en = f"{p1.capitalize()}{p2} {s_en}"
        if en in seen:
            continue
        seen.add(en)
        out.append((en, f"{h1}{h2}{s_zh}", (p1[0] + p2[0]).upper()))
    return out


_LEXICON: Lexicon | None = None


def lexicon() -> Lexicon:
    global _LEXICON
    if _LEXICON is None:
        rng = random.Random("biopharma-demo-lexicon-v1")
        companies = [Company(en, zh, ini, rank) for rank, (en, zh, ini) in
                     enumerate(_made_up_names(rng, 6000, COMPANY_SUFFIXES))]
        investors = [(en, zh) for en, zh, _ in _made_up_names(rng, 1500, INVESTOR_SUFFIXES)]
        partners, seen = [], set()
        while len(partners) < 400:
            (a, ah), (b, bh), (c, ch) = rng.choice(WEST_START), rng.choice(WEST_END), rng.choice(WEST_SUFFIXES)
            if a + b + c not in seen:
                seen.add(a + b + c)
                partners.append((f"{a}{b} {c}", f"{ah}{bh}{ch}"))
        _LEXICON = Lexicon(
            companies=Zipf(companies, 1.0, 5.0), partners=Zipf(partners, 1.0, 3.0), investors=Zipf(investors, 1.0, 3.0),
            targets=Zipf(TARGETS, 1.0, 1.0), modalities=Zipf(MODALITIES, 0.9, 1.0), diseases=Zipf(DISEASES, 0.9, 1.0),
            topics=Zipf(TOPICS, 0.7), surnames=Zipf(SURNAMES, 0.8, 2.0),
        )
    return _LEXICON


# ---------------------------------------------------------------------------------------------------------------
# The gazetteer, with each entity's names sorted by script.
# ---------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entity:
    kind: str
    slug: str
    en: str
    hans: str
    hant: str
    al_en: tuple = ()
    al_hans: tuple = ()
    al_hant: tuple = ()
    parent: str | None = None
    sub: str = ""
    domains: tuple = ()
    signatures: tuple = ()
    en_text: str = ""           # the English name as prose writes it: "Taizhou", not "Taizhou (Jiangsu)"

    def name(self, script: str) -> str:
        if script == "en":
            return self.en_text or self.en
        return self.hans if script == "zh-hans" else self.hant

    def alias(self, script: str, k: int) -> str:
        pool = self.al_en if script == "en" else self.al_hans if script == "zh-hans" else self.al_hant
        return pool[k % len(pool)] if pool else self.name(script)


_PAREN_RE = re.compile(r"\s*\([^)]*\)\s*$")


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@dataclass
class Gazetteer:
    cities: list
    districts: list
    places: list
    events: list
    sources: list
    by_slug: dict
    districts_of: dict          # city slug -> districts
    places_of_city: dict        # city slug -> places
    path: str = ""
    mtime: float = 0.0
    cache: dict = field(default_factory=dict, repr=False)     # samplers and lookups derived from this gazetteer

    def city_of(self, ent: Entity) -> Entity | None:
        if ent.kind == "city":
            return ent
        if ent.kind == "district":
            return self.by_slug.get(("city", ent.parent))
        if ent.kind == "place":
            district = self.by_slug.get(("district", ent.parent))
            return self.city_of(district) if district else None
        if ent.kind == "event":
            return self.by_slug.get(("city", ent.parent)) if ent.parent else None
        return None


def load_gazetteer(path: Path | str | None = None) -> Gazetteer:
    """Reads the gazetteer JSON; aliases are sorted into English, simplified and traditional by their characters."""
    import opencc

    path = Path(path or DEFAULT_GAZETTEER)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DemoError(f"gazetteer not found: {path}") from None
    except (OSError, ValueError) as exc:
        raise DemoError(f"gazetteer unreadable: {path}: {exc}") from None
    s2t, t2s = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")

    def build(kind: str, row: dict, parent_key: str | None) -> Entity:
        names = (row["name_en"], row["name_zh_hans"], row["name_zh_hant"])
        al_en, al_hans, al_hant = [], [], []
        for alias in row.get("aliases") or []:
            if not isinstance(alias, str) or not alias.strip() or alias in names:
                continue
            alias = alias.strip()
            if not any(_is_cjk(ch) for ch in alias):
                if len(alias) >= 3 and alias not in al_en:
                    al_en.append(alias)
                continue
            if len(alias) < 2 or not all(_is_cjk(ch) or ch.isalnum() for ch in alias):
                continue
            if t2s.convert(alias) == alias and alias not in al_hans:
                al_hans.append(alias)
            if s2t.convert(alias) == alias and alias not in al_hant:
                al_hant.append(alias)
        for alias in list(al_hans):      # every simplified short form gets a traditional twin
            twin = s2t.convert(alias)
            if twin not in al_hant and twin != row["name_zh_hant"]:
                al_hant.append(twin)
        return Entity(
            kind=kind, slug=row["slug"], en=names[0], en_text=_PAREN_RE.sub("", names[0]) or names[0],
            hans=names[1], hant=names[2], al_en=tuple(al_en),
            al_hans=tuple(al_hans), al_hant=tuple(al_hant), parent=row.get(parent_key) if parent_key else None,
            sub=row.get("kind") or "", domains=tuple(row.get("domains") or ()), signatures=tuple(row.get("signatures") or ()),
        )

    try:
        cities = [build("city", r, None) for r in data.get("cities", [])]
        districts = [build("district", r, "city") for r in data.get("districts", [])]
        places = [build("place", r, "district") for r in data.get("places", [])]
        events = [build("event", r, "city") for r in data.get("events", [])]
        sources = [build("source", r, None) for r in data.get("sources", [])]
    except (KeyError, TypeError) as exc:
        raise DemoError(f"gazetteer malformed: {path}: missing {exc}") from None
    by_slug = {(e.kind, e.slug): e for group in (cities, districts, places, events, sources) for e in group}
    districts = [d for d in districts if ("city", d.parent) in by_slug]
    places = [p for p in places if ("district", p.parent) in by_slug]
    events = [e for e in events if e.parent is None or ("city", e.parent) in by_slug]
    if not districts or not events:
        raise DemoError(f"gazetteer {path} needs at least one district and one event")
    districts_of, places_of_city = {}, {}
    for d in districts:
        districts_of.setdefault(d.parent, []).append(d)
    for p in places:
        city = by_slug[("city", by_slug[("district", p.parent)].parent)]
        places_of_city.setdefault(city.slug, []).append(p)
    return Gazetteer(cities=cities, districts=districts, places=places, events=events, sources=sources, by_slug=by_slug,
                     districts_of=districts_of, places_of_city=places_of_city, path=str(path),
                     mtime=path.stat().st_mtime)


# ---------------------------------------------------------------------------------------------------------------
# Writing one article.
# ---------------------------------------------------------------------------------------------------------------
_FORMATTER = Formatter()
_SUBJECT_BITS = {"E": 1, "P": 2, "D": 4, "C": 8}
_NEEDS: dict[str, int] = {}
_FILTERED: dict = {}
PH0 = 0xE000  # private-use code points stand for entity names in Chinese text until the script is known
_PH_RE = re.compile("[\ue000-\uf8ff]")


_PARSED: dict = {}


def _parse(template: str) -> tuple:
    """(literal, slot name, slot kind without its trailing digits, whether the slot is the article's own)."""
    parsed = _PARSED.get(template)
    if parsed is None:
        rows = []
        for literal, name, _, _ in _FORMATTER.parse(template):
            base = name.rstrip("0123456789") if name else None
            rows.append((literal, name, base, bool(base) and base[0].isupper() and base not in ("E", "P", "D", "C")))
        parsed = _PARSED[template] = tuple(rows)
    return parsed


_COMPILED: dict = {}
_SPACED: set = set()
_PLANNED = frozenset({"Y", "MD", "RANGE", "EVSTART", "ND"})   # set by Writer.plan(), never drawn


def _compile(template: str) -> Callable:
    """Turns a template into a function returning its pieces: literals, and slot values drawn when first needed."""
    lines = ["def _t(w, L, F, S):"]
    pieces = []
    for i, (literal, name, base, upper) in enumerate(_parse(template)):
        if literal:
            pieces.append(repr(literal))
        if name is None:
            continue
        if base not in _SLOT_FNS and base not in _PLANNED:
            raise KeyError(f"unknown template slot {name!r} in {template!r}")
        store = "F" if upper else "L"
        lines.append(f"    v{i} = {store}.get({name!r})")
        lines.append(f"    if v{i} is None:")
        lines.append(f"        v{i} = {store}[{name!r}] = S[{base!r}](w, L)")
        pieces.append(f"v{i}")
    lines.append(f"    return ({', '.join(pieces)}{',' if len(pieces) == 1 else ''})")
    # Chinese text needs a space where two slots meet, or a slot meets a literal's Latin edge ("{TGT}{MOD}")
    rows = _parse(template)
    for (lit, name, _, _), (next_lit, next_name, _, _) in zip(rows, rows[1:]):
        if name is not None and (not next_lit and next_name is not None or next_lit[:1].isascii()):
            _SPACED.add(template)
        if lit and lit[-1:].isascii() and name is not None:
            _SPACED.add(template)
    namespace: dict = {}
    exec("\n".join(lines), namespace)  # noqa: S102 - our own templates, compiled once
    _COMPILED[template] = namespace["_t"]
    return namespace["_t"]


def _latin(ch: str) -> bool:
    return ch < "\x80" and (ch.isalnum() or ch in ")%")


def _needs(template: str) -> int:
    bits = _NEEDS.get(template)
    if bits is None:
        bits = 0
        for _, name, _, _ in _FORMATTER.parse(template):
            if name:
                bits |= _SUBJECT_BITS.get(name.rstrip("0123456789"), 0)
        _NEEDS[template] = bits
    return bits


def _available(table: dict, key: str, avail: int) -> tuple:
    cache_key = (id(table), key, avail)
    pool = _FILTERED.get(cache_key)
    if pool is None:
        pool = tuple(t for t in table[key] if _needs(t) & ~avail == 0)
        _FILTERED[cache_key] = pool
    return pool


@dataclass
class _Pools:
    events: Zipf
    districts: Zipf
    places: Zipf | None
    parks: Zipf | None
    cities: Zipf
    sources: Zipf | None
    cities_with_places: list


def _pools(gaz: Gazetteer) -> _Pools:
    pools = gaz.cache.get("pools")
    if pools is None:
        parks = [p for p in gaz.places if p.sub in ("park", "zone")] or gaz.places
        cities = gaz.cities or [gaz.city_of(gaz.districts[0])]
        pools = _Pools(
            events=Zipf(gaz.events, 0.8, 1.0), districts=Zipf(gaz.districts, 0.8, 2.0),
            places=Zipf(gaz.places, 0.8, 2.0) if gaz.places else None, parks=Zipf(parks, 0.8, 1.0) if parks else None,
            cities=Zipf(cities, 0.8, 1.0), sources=Zipf(gaz.sources, 0.7, 1.0) if gaz.sources else None,
            cities_with_places=[c for c in cities if gaz.places_of_city.get(c.slug)],
        )
        gaz.cache["pools"] = pools
    return pools


def _person(rng: random.Random, lex: Lexicon, zh: bool) -> str:
    if rng.random() < 0.12:
        (fe, fz), (le, lz) = rng.choice(WEST_FIRST), rng.choice(WEST_LAST)
        return f"{fz}·{lz}" if zh else f"{fe} {le}"
    se, sz = lex.surnames.pick(rng)
    (g1e, g1z) = rng.choice(GIVEN)
    if rng.random() < 0.7:
        (g2e, g2z) = rng.choice(GIVEN)
        return f"{sz}{g1z}{g2z}" if zh else f"{se} {g1e.capitalize()}{g2e}"
    return f"{sz}{g1z}" if zh else f"{se} {g1e.capitalize()}"


class Writer:
    """Fills templates for one article in 'en' or 'zh' (simplified, with placeholders for entity names).

    Upper-case slots are the article's own and are drawn once, when first used; lower-case slots are drawn afresh
    for every sentence (a repeated name within one sentence repeats its value).
    """

    def __init__(self, rng: random.Random, lang: str, gaz: Gazetteer, lex: Lexicon):
        self.rng, self.lang, self.gaz, self.lex = rng, lang, gaz, lex
        self.zh = lang == "zh"
        self.T = ZH if self.zh else EN
        self.pools = _pools(gaz)
        self.mentions: list = []
        self.short_p = 0.0
        self.subject: dict = {}
        self.avail = 0
        self.fixed: dict = {}
        self.year = 2024
        self.passing: list = []
        self._subject_slugs: set = set()
        self._company = None
        self._quotes: set = set()
        self._rest: dict = {}

    # -- slot fillers: each takes the sentence's local dict ------------------------------------------------------
    def _pair(self, pair) -> str:
        return pair[1] if self.zh else pair[0]

    def mention(self, ent: Entity, allow_short: bool = True) -> str:
        short = allow_short and self.short_p > 0 and self.rng.random() < self.short_p
        k = self.rng.randrange(6) if short else 0
        if not self.zh:
            return ent.alias("en", k) if short else ent.en_text or ent.en
        self.mentions.append((ent, short, k))
        return chr(PH0 + len(self.mentions) - 1)

    def _other(self, base: str, local: dict) -> str:
        rng, pools = self.rng, self.pools
        taken = local.get("\0ents")
        if taken is None:
            taken = local["\0ents"] = set()
        subject_slugs = self._subject_slugs
        zipf = (pools.districts if base == "od" else pools.places or pools.districts if base == "op"
                else pools.events if base == "oe" else pools.cities)
        ent = None
        for _ in range(6):
            cand = zipf.pick(rng)
            if cand.slug not in subject_slugs and (cand.kind, cand.slug) not in taken:
                ent = cand
                break
        if ent is None:  # a tiny gazetteer: fall back to any other entity of another kind
            for cand in pools.districts.items + pools.cities.items:
                if cand.slug not in subject_slugs and (cand.kind, cand.slug) not in taken:
                    ent = cand
                    break
        if ent is None:
            return self._pair(("another city", "其他城市"))
        taken.add((ent.kind, ent.slug))
        self.passing.append(ent)
        return self.mention(ent, ent.kind != "city")

    def _amount(self, big: bool) -> str:
        rng, r = self.rng, self.rng.random()
        if self.zh:
            if big:
                return f"{rng.randint(10, 60)}亿美元" if r < 0.5 else f"{rng.randint(20, 600)}亿元"
            if r < 0.5:
                return f"{rng.choice((500, 800, 1000, 1500, 2000, 3000, 3500, 5000, 8000))}万美元"
            return f"{rng.randint(10, 80) / 10:g}亿元" if r < 0.85 else f"{rng.choice((3000, 5000, 8000))}万元"
        if big:
            return f"US${rng.randint(10, 60) / 10:g} billion" if r < 0.5 else f"{rng.randint(2, 60)} billion yuan"
        m = rng.choice((5, 8, 10, 12, 15, 20, 25, 30, 35, 40, 50, 60, 75, 80, 100, 120, 150, 200, 250, 300))
        return f"US${m} million" if r < 0.5 else f"{m * 5} million yuan" if r < 0.8 else f"RMB{m * 5} million"

    def _pct(self) -> str:
        rng = self.rng
        return f"{rng.randint(5, 95)}%" if rng.random() < 0.6 else f"{rng.randint(50, 950) / 10:.1f}%"

    def _area(self) -> str:
        n = self.rng.randint(12, 180)
        return f"{n / 10:g}万" if self.zh else f"{n * 1000:,}"

    @property
    def company(self) -> Company:
        if self._company is None:
            self._company = self.lex.companies.pick(self.rng)
        return self._company

    def _nested(self, key: str, local: dict) -> str:
        """A nested template (a role, a quote) filled with the enclosing sentence's slots."""
        if key == "q":      # a quote is not said twice in one article
            return self.render(self.pick("q", self._quotes), local)
        return self.render(self.rng.choice(_available(self.T, key, self.avail)), local)

    # -- formatting ----------------------------------------------------------------------------------------------
    def render(self, template: str, local: dict | None = None) -> str:
        fn = _COMPILED.get(template) or _compile(template)
        parts = fn(self, {} if local is None else local, self.fixed, _SLOT_FNS)
        if not self.zh or template not in _SPACED:
            return "".join(parts)
        out = parts[0] if parts else ""
        for part in parts[1:]:   # Chinese text puts a space between two Latin words from different slots
            if part and out and out[-1] < "\x80" and part[0] < "\x80" and _latin(out[-1]) and _latin(part[0]):
                out += " " + part
            else:
                out += part
        return out

    def fmt(self, template: str) -> str:
        text = self.render(template)
        if not self.zh:
            if text[:1].islower():
                first = text.split(" ", 1)[0]
                if first.islower():
                    text = first[:1].upper() + text[1:]
            if "s's " in text:
                text = text.replace("s's ", "s' ")
        return text

    def pick(self, key: str, used: set | None = None, fallbacks: tuple = ()) -> str:
        """A template from `key`; with `used`, one not used yet in this article, else from the fallbacks."""
        if used is None:
            pool = _available(self.T, key, self.avail) or _available(self.T, "body.general", self.avail)
            return self.rng.choice(pool)
        rnd = self.rng.random
        for k in ((key,) + fallbacks if fallbacks else (key,)):
            rest = self._rest.get(k)        # this article's not-yet-drawn templates of pool k
            if rest is None:
                rest = self._rest[k] = list(_available(self.T, k, self.avail))
            while rest:
                i = int(rnd() * len(rest))
                template = rest[i]
                rest[i] = rest[-1]
                rest.pop()
                if template not in used:
                    used.add(template)
                    return template
        pool = _available(self.T, key, self.avail) or _available(self.T, "body.general", self.avail)
        return self.rng.choice(pool)

    # -- planning ------------------------------------------------------------------------------------------------
    def plan(self, kind: str | None = None, year: int | None = None) -> None:
        """Chooses a subject (event, place, district or city) and its dates; the fixed slots come when used."""
        rng, gaz, pools = self.rng, self.gaz, self.pools
        self.fixed = {}
        self._company = None
        self._rest = {}
        if kind is None:
            kind = _weighted(rng, KIND_WEIGHTS)
        if kind == "park" and not pools.parks:
            kind = "policy"
        year = _weighted(rng, _YEAR_PAIRS) if year is None else year
        subject, sub = {}, kind
        if kind == "event":
            event = pools.events.pick(rng)
            subject["E"] = event
            city = gaz.city_of(event)
            if city is not None:      # an event abroad or on tour (city unknown) is written about without a place
                subject["C"] = city
                home_place, home_district = _event_home(gaz, event)
                venues = [p for p in gaz.places_of_city.get(city.slug, []) if p.sub in ("venue", "landmark")]
                venues.sort(key=lambda p: _crc(event.slug + p.slug))
                districts = gaz.districts_of.get(city.slug, [])
                r = rng.random()
                if r < 0.65 and (home_place or venues):
                    subject["P"] = home_place or venues[0]
                elif r < 0.8 and venues:
                    subject["P"] = venues[rng.randrange(len(venues))]
                elif r < 0.92 and (home_district or districts):
                    subject["D"] = home_district or districts[rng.randrange(len(districts))]
                if "P" in subject:
                    subject["D"] = gaz.by_slug[("district", subject["P"].parent)]
            sub = "event_" + _weighted(rng, _EVENT_SUBKINDS)
            start, days = _edition(event.slug, year)
            if start + dt.timedelta(days=days + 1) > LAST_DAY:
                year -= 1
                start, days = _edition(event.slug, year)
            end = start + dt.timedelta(days=days - 1)
            if sub == "event_preview":
                news = start - dt.timedelta(days=rng.randint(3, 25))
                pub = news + dt.timedelta(days=rng.randint(0, 1))
            else:
                news = start if sub == "event_open" else end
                pub = news + dt.timedelta(days=rng.random() < 0.3)
            self.fixed.update(RANGE=self._range(start, end), EVSTART=self._md(start), ND=str(days))
        else:
            if kind == "park":
                place = pools.parks.pick(rng)
                subject["P"] = place
                subject["D"] = gaz.by_slug[("district", place.parent)]
                subject["C"] = gaz.city_of(place)
            elif kind == "city":
                subject["C"] = pools.cities.pick(rng)
            else:
                district = pools.districts.pick(rng)
                subject["D"] = district
                subject["C"] = gaz.city_of(district)
            first = dt.date(year, 1, 1)
            last = LAST_DAY if year == LAST_DAY.year else dt.date(year, 12, 31)
            news = first + dt.timedelta(days=rng.randint(0, (last - first).days))
            pub = news + dt.timedelta(days=rng.choice((0, 0, 0, 1, 2)))
            if pub.year != news.year or pub > LAST_DAY:
                pub = news
        self.kind, self.sub, self.subject, self.year = kind, sub, subject, year
        self.avail = sum(_SUBJECT_BITS[k] for k in subject if k in _SUBJECT_BITS)
        self._subject_slugs = {e.slug for e in subject.values()}
        self.passing = []
        self.news, self.pub = news, pub
        self.fixed.update(Y=str(year), MD=self._md(news))

    def _md(self, day: dt.date) -> str:
        return f"{day.month}月{day.day}日" if self.zh else f"{MONTHS[day.month - 1]} {day.day}"

    def _range(self, start: dt.date, end: dt.date) -> str:
        if self.zh:
            tail = f"{end.day}日" if end.month == start.month else f"{end.month}月{end.day}日"
            return f"{start.month}月{start.day}日至{tail}"
        if start == end:
            return f"{MONTHS[start.month - 1]} {start.day}"
        tail = str(end.day) if end.month == start.month else f"{MONTHS[end.month - 1]} {end.day}"
        return f"{MONTHS[start.month - 1]} {start.day} to {tail}"

    def title(self) -> str:
        return self.fmt(self.pick("title." + self.sub))


def _company_name(w: "Writer", local: dict) -> str:
    c = w.lex.companies.pick(w.rng)
    return c.zh if w.zh else c.en


def _main_company(w: "Writer", local: dict) -> str:
    c = w.company
    return c.zh if w.zh else c.en


def _pair_of(pick: Callable) -> Callable:
    return lambda w, local: pick(w)[1] if w.zh else pick(w)[0]


def _choice_pair(seq: tuple) -> Callable:
    return lambda w, local: seq[int(w.rng.random() * len(seq))][1 if w.zh else 0]


def _int_between(a: int, b: int) -> Callable:
    return lambda w, local: str(a + int(w.rng.random() * (b - a + 1)))


_SLOT_FNS: dict = {
    "E": lambda w, local: w.mention(w.subject["E"]), "P": lambda w, local: w.mention(w.subject["P"]),
    "D": lambda w, local: w.mention(w.subject["D"]), "C": lambda w, local: w.mention(w.subject["C"], False),
    "co": _company_name, "CO": _main_company,
    "tgt": lambda w, local: w.lex.targets.pick(w.rng), "TGT": lambda w, local: w.lex.targets.pick(w.rng),
    "mod": _pair_of(lambda w: w.lex.modalities.pick(w.rng)), "MOD": _pair_of(lambda w: w.lex.modalities.pick(w.rng)),
    "dis": _pair_of(lambda w: w.lex.diseases.pick(w.rng)), "DIS": _pair_of(lambda w: w.lex.diseases.pick(w.rng)),
    "inv": _pair_of(lambda w: w.lex.investors.pick(w.rng)), "INV": _pair_of(lambda w: w.lex.investors.pick(w.rng)),
    "partner": _pair_of(lambda w: w.lex.partners.pick(w.rng)),
    "PARTNER": _pair_of(lambda w: w.lex.partners.pick(w.rng)),
    "topic": _pair_of(lambda w: w.lex.topics.pick(w.rng)),
    "od": lambda w, local: w._other("od", local), "op": lambda w, local: w._other("op", local),
    "oe": lambda w, local: w._other("oe", local), "oc": lambda w, local: w._other("oc", local),
    "n": _int_between(3, 60), "k": _int_between(2, 9), "nn": _int_between(100, 999), "N": _int_between(8, 40),
    "pct": lambda w, local: w._pct(), "PCT": lambda w, local: w._pct(),
    "amt": lambda w, local: w._amount(False), "AMT": lambda w, local: w._amount(False),
    "amtb": lambda w, local: w._amount(True), "AMTB": lambda w, local: w._amount(True),
    "person": lambda w, local: _person(w.rng, w.lex, w.zh),
    "role": lambda w, local: w._nested("role", local), "q": lambda w, local: w._nested("q", local),
    "ph": _choice_pair(PHASES), "PH": _choice_pair(PHASES), "reg": _choice_pair(REGULATORS),
    "REG": _choice_pair(REGULATORS[:3]), "ms": _choice_pair(MILESTONES), "THEME": _choice_pair(THEMES),
    "ROUND": _choice_pair(ROUNDS), "ORD": _choice_pair(ORDINALS), "DEAL": _choice_pair(DEALS),
    "drug": lambda w, local: w.lex.companies.pick(w.rng).drug(int(w.rng.random() * 3)),
    "DRUG": lambda w, local: w.company.drug(int(w.rng.random() * 3)),
    "area": lambda w, local: w._area(),
    "yr": lambda w, local: str(2012 + int(w.rng.random() * (w.year - 2011))),
    "fy": lambda w, local: str(w.year + 1 + int(w.rng.random() * 6)),
}


def _weighted(rng: random.Random, pairs) -> object:
    total = _TOTALS.get(pairs)
    if total is None:
        total = _TOTALS[pairs] = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, weight in pairs:
        x -= weight
        if x < 0:
            return value
    return pairs[-1][0]


_TOTALS: dict = {}
_YEAR_PAIRS = tuple(zip(YEARS, YEAR_WEIGHTS))
_EVENT_SUBKINDS = (("preview", 20), ("open", 55), ("close", 25))


EVENT_MONTHS = {  # when well-known series usually meet; others get a stable made-up month
    "jp-morgan-healthcare-conference": 1, "asco-annual-meeting": 6, "bio-international-convention": 6, "ciie": 11,
    "waic": 7, "cmef": 4, "cifit": 9, "china-hi-tech-fair": 11, "zhongguancun-forum": 4, "ciftis": 9,
    "cphi-china": 6, "shanghai-biopharma-industry-week": 10, "bfa-global-health-forum": 6,
}


def _event_home(gaz: Gazetteer, event: Entity) -> tuple:
    """The place or district an event is named after (Meilan Lake for the Meilan Lake conference), if any."""
    cache = gaz.cache.setdefault("homes", {})
    if event.slug not in cache:
        city = gaz.city_of(event)
        found_place = found_district = None
        if city is not None:
            for p in gaz.places_of_city.get(city.slug, []):
                names = [n for n in (p.en, *p.al_en) if len(n) >= 4]
                if any(n in event.en for n in names) or (p.hans and p.hans in event.hans):
                    found_place = p
                    break
            for d in gaz.districts_of.get(city.slug, []):
                names = [n for n in (d.en, *d.al_en) if len(n) >= 4]
                if any(n in event.en for n in names) or any(n in event.hans for n in (d.hans, *d.al_hans)):
                    found_district = d
                    break
        cache[event.slug] = (found_place, found_district)
    return cache[event.slug]


def _edition(slug: str, year: int) -> tuple[dt.date, int]:
    """An event's edition has one start date and length, whichever article reports on it."""
    h = _crc(slug)
    month = EVENT_MONTHS.get(slug) or 3 + h % 9
    day = 1 + _crc(f"{slug}:{year}") % 24
    return dt.date(year, month, day), 1 + (h // 9) % 5


@dataclass
class Article:
    """One article's content, before its script, junk and container are chosen."""

    lang: str                   # 'en' or 'zh' (simplified, entity names as placeholders)
    kind: str
    title: str
    paras: list
    heads: frozenset            # indices of paragraphs that are subheadings
    mentions: list
    subject: dict
    year: int
    pub: dt.datetime
    company: Company
    hant_config: str            # OpenCC configuration that makes its traditional version

    def truth(self) -> dict:
        s = self.subject
        return {
            "kind": self.kind, "year": self.year, "city": s["C"].en if "C" in s else None,
            "districts": [s["D"].en] if "D" in s else [], "places": [s["P"].en] if "P" in s else [],
            "events": [s["E"].en] if "E" in s else [],
        }


def compose_article(*, seed: int, index: int, lang: str, gaz: Gazetteer, lex: Lexicon | None = None) -> Article:
    """The article at `index` of the corpus for `seed` ('en' or 'zh'): a pure function of its arguments."""
    lex = lex or lexicon()
    rng = FastRandom(f"biopharma-demo/{seed}/{index}/content")
    w = Writer(rng, lang, gaz, lex)
    w.plan()
    T, zh = w.T, w.zh
    w.short_p = 0.2
    title = w.title()
    w.short_p = 0.0
    used: set = set()
    leads = _available(w.T, "lead." + w.sub, w.avail)       # the lead names every part of the subject it can
    lead = w.fmt(rng.choice([t for t in leads if _needs(t) == w.avail] or leads))
    w.short_p = 0.25
    kind = w.kind
    if rng.random() < 0.5:
        lead += ("" if zh else " ") + w.fmt(w.pick("body." + kind, used))
    paras, heads = [lead], set()
    target = TARGET_CHARS[lang] * rng.triangular(0.5, 1.5, 1.0)
    extra = 3 if zh else 0        # a placeholder stands for a name about four characters long
    size = len(lead) + extra * len(w.mentions)
    list_at = target * rng.uniform(0.4, 0.7)
    lists_left = 1 + (rng.random() < 0.4)
    pool_keys = ("body." + kind, "body.general", "quote", "body." + RELATED_TOPIC[kind])
    known_variants = _VARIANTS[lang]
    prefixes = T.get("prefix", ())
    fallbacks = ("body.general", "body." + RELATED_TOPIC[kind], "body." + kind)
    last_heading = True
    while size < target:
        before = len(w.mentions)
        if size >= list_at and lists_left:
            lists_left -= 1
            list_at += target * 0.2
            if rng.random() < 0.25 and w.pools.places:
                block = [w.fmt(rng.choice(T["bullets"]))]
                local: dict = {}
                for b in range(rng.randint(3, 5)):
                    known = len(w.passing)
                    place_text = w.render(f"{{op{b}}}", local)
                    place = w.passing[-1] if len(w.passing) > known else None
                    district = (w.gaz.by_slug.get(("district", place.parent))
                                if place is not None and place.kind == "place" else None)
                    if district is not None:
                        w.passing.append(district)
                        d_text = w.mention(district)
                        place_text += f"（{d_text}）" if zh else f" ({d_text})"
                    block.append(("• " if rng.random() < 0.5 else "- ") + place_text)
                paras.extend(block)
                added = sum(len(b) for b in block)
            else:
                sentences = [w.fmt(w.pick("list", used)) for _ in range(1 + (rng.random() < 0.3))]
                paras.append(("" if zh else " ").join(sentences))
                added = len(paras[-1])
            last_heading = False
        elif not last_heading and len(paras) > 2 and rng.random() < 0.1:
            heads.add(len(paras))
            paras.append(w.fmt(w.pick("heading")))
            added = len(paras[-1])
            last_heading = True
        else:
            sentences = []
            for _ in range(rng.randint(2, 5 if zh else 4)):
                x = rng.random()
                key = pool_keys[0 if x < 0.45 else 1 if x < 0.77 else 2 if x < 0.9 else 3]
                if key == "quote":
                    text = w.fmt(w.pick(key))
                else:
                    template = w.pick(key, used, fallbacks)
                    variants = known_variants.get(template) or _variants(template, lang)
                    text = w.fmt(variants[int(rng.random() * len(variants))])
                if zh and key != "quote" and rng.random() < 0.15 and not text.startswith(_NO_PREFIX):
                    text = rng.choice(prefixes) + text
                sentences.append(text)
            paras.append(("" if zh else " ").join(sentences))
            added = len(paras[-1])
            last_heading = False
        size += added + extra * (len(w.mentions) - before)
    if last_heading and len(paras) > 2:
        heads.discard(len(paras) - 1)
        paras.pop()
    hour, minute = rng.randint(6, 23), rng.randint(0, 59)
    pub = dt.datetime(w.pub.year, w.pub.month, w.pub.day, hour, minute)
    hant = "s2twp" if _crc(f"biopharma-demo/{seed}/{index}/hant") % 10 < 7 else "s2t"
    return Article(lang=lang, kind=w.sub, title=title, paras=paras, heads=frozenset(heads), mentions=w.mentions,
                   subject=w.subject, year=w.year, pub=pub, company=w.company, hant_config=hant)


def finalize(lines: list, mentions: list, script: str, converter=None) -> list:
    """Puts Chinese lines into their script (OpenCC on the whole text at once) and the entity names in."""
    if script == "en":
        return list(lines)
    text = "\n".join(lines)
    if script == "zh-hant" and converter is not None:
        text = converter.convert(text)
    if mentions:
        table, cities = {}, []
        for i, (ent, short, k) in enumerate(mentions):
            table[PH0 + i] = ent.alias(script, k) if short else ent.name(script)
            if ent.kind == "city":
                cities.append(ent.name(script))
        text = _PH_RE.sub(lambda m: table[ord(m.group())], text)
        for name in cities:       # "苏州" + "苏州工业园区" reads as one name
            if name + name in text:
                text = text.replace(name + name, name)
    return text.split("\n")


# ---------------------------------------------------------------------------------------------------------------
# Junk, as real pages carry it. Every category has many phrasings per script so a cleaner can't key on one string;
# traditional pages get their own boilerplate (Taiwan and Hong Kong portals), not converted simplified text.
# ---------------------------------------------------------------------------------------------------------------
JUNK = {
    "en": {
        "breadcrumb": ("Home > News", "Home > News > Business", "Home / Biotech / China", "You are here: Home › Life Sciences › Asia",
                       "News » Healthcare » Pharma", "Home | Industry | Biopharma", "Home > Health > Drug Development",
                       "Business / Companies / Healthcare"),
        "share": ("Share this article", "Share Article", "Share: Facebook | X | LinkedIn | Email", "Copy link", "Print",
                  "Font size: A A A", "Share on WeChat", "Tweet  Share  Email", "Save article", "Listen to this article"),
        "editor": ("Editor: {editor}", "Edited by {editor}", "(Reporting by {name}; Editing by {editor})", "Editor in charge: {editor}",
                   "Copy editor: {editor}", "(Editing by {editor})"),
        "disclaimer": (
            "Disclaimer: This article is provided for information only and does not constitute investment advice.",
            "The views expressed here are those of the author and do not necessarily reflect those of this website.",
            "This content was reproduced from a third-party source; copyright remains with the original author. Contact us for removal.",
            "Forward-looking statements: This release contains forward-looking statements that involve risks and uncertainties. Actual results may differ materially.",
            "Note: Content on this site is for reference only. Readers act on it at their own risk.",
            "All information is provided as is. We make no warranty as to its accuracy or completeness.",
        ),
        "copyright": ("Copyright © {y1}-{y2} {outlet}. All Rights Reserved.", "© {y2} {outlet}. All rights reserved.",
                      "Copyright {y2} {outlet} | Terms of Use | Privacy Policy", "© {outlet} {y1}–{y2}",
                      "All content © {y2} {outlet}, unless otherwise noted."),
        "related": ("Related articles", "Related stories", "You might also like", "More from {outlet}", "Read more",
                    "Recommended", "Trending now", "Most read", "Related coverage"),
        "app": ("Get the {outlet} app for breaking news", "Download our app", "Sign up for our daily newsletter",
                "Follow us on LinkedIn", "Subscribe to {outlet} for unlimited access", "Get our morning briefing in your inbox"),
        "byline": ("By {name}", "By {name} | {outlet}", "{outlet} reporter {name}", "Reporter: {name}", "By {name} and {name2}",
                   "Written by {name}", "By {name}, staff reporter"),
        "source": ("Source: {outlet}", "Source: {outlet}", "SOURCE: {outlet}", "From: {outlet}", "Originally published by {outlet}",
                   "Via {outlet}", "Credit: {outlet}"),
        "views": ("{n} views", "Comments ({k})", "{k} min read", "Reading time: {k} minutes", "{n} reads"),
        "top": ("Skip to main content", "Menu  Search  Sign in", "Advertisement", "Subscribe | Log in",
                "Markets  Business  Tech  Health  Opinion", "Search for your content…", "Contact Us"),
        "caption": ("Photo: {name}/{outlet}", "Image credit: {outlet}", "Guests at the event. Photo: {name}",
                    "File photo. [Photo/{outlet}]", "A view of the venue. (Photo provided to {outlet})"),
        "url": ("Source URL: {url}", "Original link: {url}", "Read the original: {url}", "Link: {url}", "Permalink: {url}"),
        "cookie": ("We use cookies to improve your experience on our website. By continuing to browse, you agree to our use of cookies. Accept",
                   "This site uses cookies. Learn more  OK"),
        "end": ("Back to top", "Print this page", "Comments are closed.", "Report an error", "Contact the newsroom", "Top"),
        "contact": ("Media contact: {name}, +86 21 {d4} {d4b}", "Investor relations: {name}", "Contact: {name}, press office",
                    "For more information, contact {name}."),
        "pr_org": ("SOURCE {org}", "Issued by {org}", "Released by {org}"),
        "nav": ("Home", "News", "Business", "Science", "Health", "Markets", "Opinion", "Video", "Events", "Newsletters"),
        "footer_links": ("About us", "Contact", "Advertise", "Careers", "Privacy policy", "Terms of use", "Sitemap"),
    },
    "zh-hans": {
        "breadcrumb": ("当前位置：首页 > 新闻 > 正文", "您的位置：首页 > 产业 > 医药健康", "首页 > 资讯中心 > 行业动态",
                       "当前位置: 首页 - 科技 - 生物医药", "位置：首页 » 新闻中心 » 产业新闻", "首页 / 要闻 / 正文",
                       "当前位置：首页 > 产业信息 > 正文内容", "您现在的位置：网站首页 >> 医药资讯 >> 产业动态", "首页>财经>公司"),
        "share": ("分享到：", "分享到：微信 微博 QQ空间", "链接已复制", "打开微信“扫一扫”，打开网页后点击屏幕右上角分享按钮",
                  "字体：大 中 小", "打印 | 关闭", "分享给朋友：", "收藏本文", "扫一扫 分享到朋友圈", "字号：T|T"),
        "editor": ("责任编辑：{editor}", "【责任编辑：{editor}】", "（编辑：{editor}）", "编辑：{editor} 校对：{editor2}", "审核：{editor}",
                   "责编：{editor}", "[责任编辑:{editor}]", "编辑 {editor} 审校 {editor2}"),
        "disclaimer": (
            "免责声明：本文内容来源于网络，版权归原作者所有，转载仅为传递更多信息，不代表本站观点。如有侵权，请联系我们删除。",
            "声明：本文仅代表作者个人观点，不构成任何投资建议。",
            "特别声明：以上内容（如有图片或视频亦包括在内）为自媒体平台用户上传并发布，本平台仅提供信息存储服务。",
            "本文系转载，不代表本网立场，文章内容仅供参考。",
            "版权声明：凡注明“来源：本网”的作品，版权均属本网所有，未经授权不得转载。",
            "风险提示：市场有风险，投资需谨慎。本文不构成投资建议。",
        ),
        "copyright": ("版权所有 © {y1}-{y2} {outlet} 未经许可不得转载", "Copyright©{y1}-{y2} {outlet} 版权所有",
                      "Copyright © {y2} {outlet} All Rights Reserved", "{outlet} 版权所有 转载请注明出处", "© {y2} {outlet}"),
        "icp": ("沪ICP备{d8}号-{k}", "京ICP证{d6}号", "京公网安备 {d14}号", "浙ICP备{d8}号", "粤ICP备{d8}号-{k}",
                "互联网新闻信息服务许可证：{d11}"),
        "related": ("相关阅读", "相关新闻", "延伸阅读", "推荐阅读", "猜你喜欢", "热点推荐", "更多精彩", "相关文章", "热门文章"),
        "app": ("下载{outlet}APP，获取更多资讯", "打开APP，阅读全文", "扫描二维码，下载客户端", "关注我们的微信公众号，第一时间获取行业动态",
                "打开{outlet}APP 阅读更多精彩资讯", "点击下载{outlet}客户端"),
        "byline": ("记者 {name}", "{outlet}记者 {name}", "文/{name}", "记者：{name} 通讯员：{name2}", "（{outlet}记者 {name}）",
                   "{outlet}记者 {name} 编辑 {name2}", "作者：{name}", "本报记者 {name}"),
        "source": ("来源：{outlet}", "来源: {outlet}", "稿件来源：{outlet}", "文章来源：{outlet}", "来源：{outlet}网",
                   "本文来源：{outlet}", "来源 | {outlet}"),
        "views": ("阅读量：{n}", "浏览次数：{n}", "点击：{n}", "阅读 {n}", "{k}条评论", "人气：{n}"),
        "top": ("网站导航 | 联系我们 | 投稿邮箱 | 广告服务", "登录 | 注册", "热门搜索：创新药 集采 医保谈判", "设为首页 加入收藏",
                "今天是{today}", "手机版 | 微信 | 微博"),
        "caption": ("（图片来源：{outlet}）", "新闻发布会现场。{outlet}记者 {name} 摄", "活动现场。图片来源：主办方",
                    "图为活动现场。{name} 摄", "（资料图）", "现场图。受访者供图"),
        "url": ("原文链接：{url}", "本文链接：{url}", "原文地址：{url}", "文章链接：{url}", "转载请注明出处：{url}"),
        "aggregator": ("admin {k}个月前 ({mm}-{dd}) 产业信息 {n}", "发布者：admin  发布时间：{k}天前  浏览：{n}",
                       "小编 {k}小时前 {n}阅读"),
        "end": ("返回顶部", "打印本页 关闭窗口", "【纠错】", "【打印】【关闭】", "返回首页", "举报"),
        "nav": ("首页", "新闻", "产业", "科技", "财经", "健康", "视频", "专题", "政务", "数据"),
        "footer_links": ("关于我们", "联系我们", "广告服务", "网站地图", "法律声明", "招聘信息", "投稿指南"),
    },
    "zh-hant": {
        "breadcrumb": ("當前位置：首頁 > 新聞 > 正文", "首頁 > 財經 > 產業", "您的位置：首頁 ＞ 生技醫療", "首頁／國際／中國",
                       "首頁 > 即時新聞 > 生技", "位置：首頁 > 兩岸 > 正文", "首頁 | 健康 | 醫藥"),
        "share": ("分享至：Facebook LINE", "複製連結", "字級：小 中 大", "列印", "分享此文", "分享到：", "連結已複製",
                  "加入書籤", "分享到 Facebook  分享到 LINE  分享到 X"),
        "editor": ("責任編輯：{editor}", "【責任編輯：{editor}】", "編輯：{editor}", "（編輯：{editor}）", "核稿編輯：{editor}",
                   "責任編輯／{editor}"),
        "disclaimer": (
            "免責聲明：本文內容僅供參考，不構成任何投資建議。",
            "本網站轉載之文章，版權歸原作者所有，如有侵權請來信告知。",
            "【聲明】本文僅代表作者觀點，與本站無關。",
            "※本文由合作媒體提供，內容不代表本網立場。",
            "投資有風險，讀者應審慎評估。",
        ),
        "copyright": ("版權所有 (C) {y2} {outlet}", "本網站所有內容均受著作權保護，未經授權禁止轉載 (c) {outlet}",
                      "Copyright © {y1}-{y2} {outlet} 版權所有", "{outlet} 版權所有，轉載請註明出處",
                      "Copyright (C) {y2} {outlet} All Rights Reserved."),
        "related": ("相關閱讀", "延伸閱讀", "推薦閱讀", "熱門新聞", "你可能也會喜歡", "相關新聞", "更多新聞"),
        "app": ("下載{outlet}App，掌握第一手新聞", "立即訂閱電子報", "加入LINE好友，新聞不漏接", "追蹤我們的Facebook專頁",
                "打開App看更多", "訂閱{outlet}，支持優質新聞"),
        "byline": ("記者 {name}", "文／{name}", "{outlet}記者{name}／{city}報導", "（{outlet}記者 {name}）", "撰文：{name}",
                   "記者{name}／綜合報導", "作者：{name}"),
        "source": ("來源：{outlet}", "來源: {outlet}", "資料來源：{outlet}", "新聞來源：{outlet}", "稿源：{outlet}",
                   "本文轉載自{outlet}"),
        "views": ("瀏覽人次：{n}", "閱讀時間 {k} 分鐘", "點閱：{n}", "{k} 則留言"),
        "top": ("會員登入 | 訂閱", "即時 | 要聞 | 財經 | 國際 | 生活", "搜尋", "首頁 網站導覽 聯絡我們"),
        "caption": ("（圖片來源：{outlet}）", "活動現場。（{outlet}記者{name}攝）", "圖為活動現場。圖／主辦單位提供",
                    "（資料照片）", "圖／{outlet}"),
        "url": ("原文網址：{url}", "原文連結：{url}", "本文網址：{url}"),
        "aggregator": ("發佈者：admin  {k}個月前 ({mm}-{dd})  {n}次瀏覽", "小編 {k}小時前 {n}人看過"),
        "end": ("返回頂部", "回到頁首", "列印本頁 關閉視窗", "看更多", "檢舉"),
        "nav": ("首頁", "即時", "財經", "生技", "國際", "兩岸", "影音", "專題", "健康"),
        "footer_links": ("關於我們", "聯絡我們", "廣告刊登", "隱私權政策", "著作權聲明", "徵才"),
    },
}
EN_SPAM = ("Free shipping on orders over $50 – shop the sale now", "Hot deals: wireless earbuds, phone cases, chargers",
           "Top 10 travel destinations this summer you can't miss")
ZH_SPAM = ("免费在线观看高清影视，最新电影电视剧在线看", "热门小说免费阅读全文，最新章节无弹窗", "特价机票查询，国内国际航班一站预订",
           "二手车估价 免费在线评估 当天成交")
HANT_SPAM = ("免費線上看高清影集，最新電影電視劇一次看", "限時特價！熱銷商品全館五折起", "線上小說免費看 最新章節搶先讀")


def _invented_outlets() -> list:
    return [Entity(kind="source", slug=o["slug"], en=o["name_en"], hans=o["name_zh_hans"], hant=o["name_zh_hant"],
                   domains=tuple(o["domains"])) for o in INVENTED_OUTLETS]


_INVENTED = _invented_outlets()
_GENERIC_SITE = {"en": "News Center", "zh-hans": "新闻中心", "zh-hant": "新聞網"}
_HTML_LANG = {"en": "en", "zh-hans": "zh-CN", "zh-hant": "zh-TW"}


def _two(n: int) -> str:
    return f"{n:02d}"


def _date_line(rng: random.Random, script: str, when: dt.datetime) -> str:
    Y, m, d, H, M = when.year, when.month, when.day, when.hour, when.minute
    mm, dd, HH, MM = _two(m), _two(d), _two(H), _two(M)
    if script == "en":
        return rng.choice((
            f"{MONTHS_ABBR[m - 1]} {d}, {Y}, {HH}:{MM} ET", f"{MONTHS[m - 1]} {d}, {Y}", f"Published: {Y}-{mm}-{dd} {HH}:{MM}",
            f"{Y}-{mm}-{dd} {HH}:{MM}", f"{WEEKDAYS_EN[when.weekday()]}, {MONTHS[m - 1]} {d}, {Y}",
            f"{d} {MONTHS[m - 1]} {Y} | {HH}:{MM} GMT+8", f"Published {MONTHS_ABBR[m - 1]} {d}, {Y} {HH}:{MM} Beijing time",
            f"{MONTHS_AP[m - 1]} {d}, {Y}",
        ))
    if script == "zh-hans":
        return rng.choice((
            f"{Y}-{mm}-{dd} {HH}:{MM}", f"{Y}-{mm}-{dd} {HH}:{MM}:{_two(rng.randrange(60))}", f"{Y}年{m}月{d}日 {HH}:{MM}",
            f"{Y}年{mm}月{dd}日", f"发布时间：{Y}-{mm}-{dd} {HH}:{MM}", f"时间：{Y}/{mm}/{dd} {HH}:{MM}",
            f"{Y}-{mm}-{dd} {WEEKDAYS_HANS[when.weekday()]}", f"发布日期：{Y}年{m}月{d}日", f"{Y}年{m}月{d}日 {HH}:{MM} 星期{'一二三四五六日'[when.weekday()]}",
        ))
    return rng.choice((
        f"{Y}年{m}月{d}日 {WEEKDAYS_HANT[when.weekday()]}", f"發佈時間：{Y}-{mm}-{dd} {HH}:{MM}", f"{Y}/{mm}/{dd} {HH}:{MM}",
        f"發布日期：{Y}年{m}月{d}日", f"{Y}-{mm}-{dd} {HH}:{MM}", f"{Y}年{m}月{d}日 下午{H - 12 if H > 12 else H}:{MM}"
        if H > 12 else f"{Y}年{m}月{d}日 上午{H}:{MM}",
    ))


def _url(rng: random.Random, domain: str, when: dt.datetime, index: int) -> str:
    domain = domain[4:] if domain.startswith("www.") else domain
    ident = 10_000_000 + index * 7 + rng.randrange(7)
    Y, mm, dd = when.year, _two(when.month), _two(when.day)
    path = rng.choice((f"news/{Y}/{mm}/{dd}", f"c/{Y}-{mm}-{dd}", "article", f"a/{Y}{mm}", f"content/{Y}{mm}{dd}",
                       "biz/health", f"html/{Y}/{mm}{dd}"))
    return f"https://www.{domain}/{path}/{ident}.html"


class _Page:
    """One item's surface: its script, outlet, url, dateline and junk, drawn from the item's own stream."""

    def __init__(self, *, rng, item, article: Article, title: str, paras: list, gaz, lex, converters):
        self.rng, self.item, self.article = rng, item, article
        self.script = script = item.lang
        self.title, self.paras = title, paras
        self.J = JUNK[script]
        zh = script != "en"
        r = rng.random()
        sources = _pools(gaz).sources
        if sources is not None and r < 0.82:
            self.outlet, self.invented = sources.pick(rng), False
        elif r < 0.90:
            self.outlet, self.invented = _INVENTED[rng.randrange(len(_INVENTED))], True
        else:
            self.outlet, self.invented = None, False
        self.outlet_name = self.outlet.name(script) if self.outlet else None
        self.url = None
        if self.outlet and self.outlet.domains and rng.random() < 0.5:
            self.url = _url(rng, self.outlet.domains[rng.randrange(len(self.outlet.domains))], article.pub, item.index)
        self.date_shown = rng.random() < 0.9
        self.when = article.pub
        # how the outlet shows in a plain-text page: a source line, a byline, a signature only (photo credit,
        # wire dateline), or only the url's domain
        self.modes = set()
        self.signature = None
        if self.outlet:
            sig = [s for s in self.outlet.signatures if s and (zh or not any(_is_cjk(ch) for ch in s))]
            if sig and not self.invented and rng.random() < 0.04:
                self.modes.add("signature")
            else:
                if rng.random() < 0.7 or self.invented or not self.url:
                    self.modes.add("line")
                if rng.random() < 0.3:
                    self.modes.add("byline")
                if sig and rng.random() < 0.15:
                    self.modes.add("signature")
            self.signature = sig[rng.randrange(len(sig))] if sig else None
        self.to_hant = to_hant = converters["s2twp"].convert if script == "zh-hant" else None

        def person():
            name = _person(rng, lex, zh)
            return to_hant(name) if to_hant else name

        y2 = max(self.when.year, 2024) + rng.randint(0, 1)
        city = article.subject.get("C")
        self.f = {
            "name": person(), "name2": person(), "editor": person(), "editor2": person(),
            "outlet": self.outlet_name or _GENERIC_SITE[script], "url": self.url or "",
            "y1": str(rng.randint(1998, 2015)), "y2": str(y2), "n": str(rng.randint(20, 99999)), "k": str(rng.randint(1, 9)),
            "d4": str(rng.randint(1000, 9999)), "d4b": str(rng.randint(1000, 9999)), "d6": str(rng.randint(100000, 999999)),
            "d8": str(rng.randint(10_000_000, 99_999_999)), "d11": str(rng.randint(10 ** 10, 10 ** 11 - 1)),
            "d14": str(rng.randint(10 ** 13, 10 ** 14 - 1)), "mm": _two(rng.randint(1, 12)), "dd": _two(rng.randint(1, 28)),
            "org": article.company.en if not zh else to_hant(article.company.zh) if to_hant else article.company.zh,
            "city": city.name(script) if city else "",
            "today": f"{y2}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
        }
        self.related = self._related(gaz, lex, converters) if rng.random() < 0.4 else None

    # -- pieces ---------------------------------------------------------------------------------------------------
    def j(self, cat: str) -> str:
        return self.rng.choice(self.J[cat]).format(**self.f)

    def _related(self, gaz, lex, converters) -> tuple:
        rng, script = self.rng, self.script
        w = Writer(rng, "en" if script == "en" else "zh", gaz, lex)
        heads = []
        years = [y for y in (self.when.year - 1, self.when.year) if y in YEARS] or [self.when.year]
        for _ in range(rng.randint(3, 5)):
            w.plan(year=years[rng.randrange(len(years))])
            w.short_p = 0.2
            heads.append(w.title())
        heads = finalize(heads, w.mentions, script, converters.get("s2twp"))
        dated = rng.random() < 0.4
        out = []
        for h in heads:
            if dated:
                when = self.when + dt.timedelta(days=rng.randint(-400, -1))
                stamp = f"{_two(when.month)}-{_two(when.day)}"
                out.append((h, f"{when.year}-{stamp}" if rng.random() < 0.6 else stamp))
            else:
                out.append((h, None))
        return self.j("related"), out

    def date_text(self) -> str:
        return _date_line(self.rng, self.script, self.when)

    def source_line(self) -> str:
        return self.j("source")

    def byline(self) -> str:
        pool = self.J["byline"]
        if "byline" not in self.modes:
            pool = [b for b in pool if "{outlet}" not in b]
        else:
            pool = [b for b in pool if "{outlet}" in b] or pool
        return self.rng.choice(pool).format(**self.f)

    def signature_line(self) -> str | None:
        sig = self.signature
        if sig and self.to_hant:
            sig = self.to_hant(sig)
        if not sig:
            return None
        if sig.startswith("/") and sig.endswith("/"):
            return None   # a wire dateline tag goes into the lead, see lead_prefix()
        if sig.endswith(("记者", "記者", "Reporter", "reporter")):
            return f"{sig} {self.f['name']}"
        if any(_is_cjk(ch) for ch in sig):
            return f"（{sig}）" if self.script != "en" else f"({sig})"
        return f"Photo: {sig}" if self.rng.random() < 0.6 else f"{sig}"

    def wire_tag(self) -> str | None:
        sig = self.signature if "signature" in self.modes else None
        return sig if sig and sig.startswith("/") and sig.endswith("/") else None

    def lead_dateline(self) -> str | None:
        """'SHANGHAI, Nov. 14, 2022 /PRNewswire/ --' for wire copy ('上海2022年11月14日电 /美通社/ --' in Chinese)."""
        tag = self.wire_tag()
        if not tag:
            return None
        city = self.article.subject.get("C")
        w = self.when
        if self.script == "en":
            return f"{(city.en_text if city else 'BEIJING').upper()}, {MONTHS_AP[w.month - 1]} {w.day}, {w.year} {tag} --"
        place = city.name(self.script) if city else ("北京")
        tag = self.to_hant(tag) if self.to_hant else tag
        return f"{place}{w.year}年{w.month}月{w.day}日电 {tag} --" if self.script == "zh-hans" else \
            f"{place}{w.year}年{w.month}月{w.day}日電 {tag} --"

    def shown_source(self, fmt: str) -> str | None:
        if not self.outlet:
            return None
        if fmt == "html" or self.modes or self.url:
            return self.outlet.en
        return None


def _txt_lines(page: _Page, *, paras: list | None = None) -> list:
    """A scraped page as plain text: junk header, the article, junk footer."""
    rng, script, a = page.rng, page.script, page.article
    zh = script != "en"
    paras = page.paras if paras is None else paras
    head: list = []
    if rng.random() < 0.03:
        head.append(rng.choice(EN_SPAM if not zh else ZH_SPAM if script == "zh-hans" else HANT_SPAM))
    if rng.random() < 0.2:
        head.append(page.j("top"))
    if rng.random() < 0.4:
        head.append(page.j("breadcrumb"))
    head.append(page.title)
    meta: list = []
    if page.date_shown:
        meta.append(page.date_text())
    source_at_bottom = False
    if "line" in page.modes:
        if rng.random() < 0.25:
            source_at_bottom = True
        elif meta and zh and rng.random() < 0.4:
            meta[0] = meta[0] + "  " + page.source_line()
        else:
            meta.append(page.source_line())
    if rng.random() < 0.45 or "byline" in page.modes:
        meta.append(page.byline())
    if rng.random() < 0.4:
        meta.append(page.j("share"))
    if rng.random() < 0.15:
        meta.append(page.j("views"))
    if zh and rng.random() < 0.06:
        meta.insert(0, page.j("aggregator"))
        meta.insert(1, page.title)
    if rng.random() < 0.3:
        rng.shuffle(meta)
    head.extend(meta)
    if "signature" in page.modes:
        sig = page.signature_line()
        if sig:
            head.append(sig)
    body = list(paras)
    dateline = page.lead_dateline()
    if dateline:
        if page.item.reposted or page.item.orig != page.item.index or zh or rng.random() < 0.5:
            head.append(dateline)                   # its own line: the paragraphs stay as they are
        else:
            body[0] = f"{dateline} {body[0]}"
    if rng.random() < 0.12 and len(body) > 2:
        body.insert(rng.randint(1, 2), page.j("caption"))
    foot: list = []
    if script == "en" and rng.random() < 0.1:
        foot.append(page.j("pr_org"))
        if rng.random() < 0.5:
            foot.append(page.j("contact"))
    if rng.random() < (0.5 if zh else 0.2):
        foot.append(page.j("editor"))
    if source_at_bottom:
        foot.append(page.source_line())
    if page.url:
        foot.append(page.j("url"))
    if rng.random() < 0.3:
        foot.append(page.j("disclaimer"))
    if rng.random() < 0.25:
        foot.append(page.j("app"))
    if page.related:
        header, items = page.related
        foot.append(header)
        bullet = rng.choice(("", "· ", "- ", "• ", "▪ ") if not zh else ("", "· ", "- ", "• ", "．"))
        for text, stamp in items:
            foot.append(f"{bullet}{text}" + (f"  {stamp}" if stamp else ""))
    if rng.random() < 0.35:
        foot.append(page.j("copyright"))
        if zh and "icp" in page.J and rng.random() < 0.5:
            foot.append(page.j("icp"))
    if rng.random() < 0.2:
        foot.append(page.j("end"))
    if script == "en" and rng.random() < 0.06:
        foot.insert(0, page.j("cookie"))
    # layout: indentation, blank lines between paragraphs
    indent = ""
    if zh and rng.random() < 0.3:
        indent = "\u3000\u3000" if rng.random() < 0.7 else "  "
    elif not zh and rng.random() < 0.05:
        indent = "    "
    gap = rng.random() < 0.55
    lines = []
    for line in head:
        lines.append(line)
        if gap and rng.random() < 0.5:
            lines.append("")
    lines.append("")
    for para in body:
        lines.append(indent + para)
        if gap:
            lines.append("")
    if not gap:
        lines.append("")
    lines.extend(foot)
    return lines


def _esc(text: str) -> str:
    return html_lib.escape(text, quote=False)


def _attr(text: str) -> str:
    return html_lib.escape(text, quote=True)


def _html_page(page: _Page, charset: str) -> str:
    """A whole web page: head with meta tags and scripts, navigation, the article, share widgets, related links."""
    rng, script, a = page.rng, page.script, page.article
    zh = script != "en"
    J, f = page.J, page.f
    site = page.outlet_name or _GENERIC_SITE[script]
    layout = rng.choice(("portal", "portal", "modern", "modern", "legacy"))
    sep = rng.choice((" - ", "_", " | ", "—", " – "))
    when = page.when
    iso = f"{when.year}-{_two(when.month)}-{_two(when.day)}T{_two(when.hour)}:{_two(when.minute)}:00+08:00"
    lead = page.paras[0]
    desc = lead[:80] if zh else lead[:160]
    kw = ",".join(sorted({a.company.zh if zh else a.company.en, site}))
    head = [f'<meta charset="{charset}">' if rng.random() < 0.6 else
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_esc(page.title)}{_esc(sep)}{_esc(site)}</title>",
            f'<meta name="keywords" content="{_attr(kw)}">', f'<meta name="description" content="{_attr(desc)}">']
    if page.url:
        head.append(f'<link rel="canonical" href="{_attr(page.url)}">')
        if rng.random() < 0.5:
            head.append(f'<meta property="og:url" content="{_attr(page.url)}">')
    if rng.random() < 0.6:
        head.append(f'<meta property="og:title" content="{_attr(page.title)}">')
    if page.date_shown and rng.random() < 0.5:
        head.append(f'<meta property="article:published_time" content="{iso}">')
    head.append(f'<link rel="stylesheet" href="/static/css/article.css?v={f["k"]}{f["d4"]}">')
    head.append('<style>body{margin:0;font-family:"Helvetica Neue",Arial,sans-serif}.hide{display:none}</style>')
    head.append('<script>var _hmt=_hmt||[];(function(){var hm=document.createElement("script");'
                f'hm.src="/stat/hm.js?{f["d8"]}";var s=document.getElementsByTagName("script")[0];'
                's.parentNode.insertBefore(hm,s);})();</script>')
    if layout == "modern" and page.date_shown and rng.random() < 0.4:
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": page.title, "datePublished": iso}
        if page.outlet_name:
            ld["publisher"] = {"@type": "Organization", "name": page.outlet_name}
        head.append('<script type="application/ld+json">' + json.dumps(ld, ensure_ascii=False) + "</script>")
    nav = "".join(f'<li><a href="/{i}/">{_esc(x)}</a></li>' for i, x in enumerate(rng.sample(J["nav"], 6)))
    crumb = _esc(page.j("breadcrumb")) if rng.random() < 0.6 else ""
    meta_bits = []
    if page.date_shown:
        meta_bits.append(f'<span class="date">{_esc(page.date_text())}</span>')
    if page.outlet and ("line" in page.modes or rng.random() < 0.5):
        meta_bits.append(f'<span class="source">{_esc(page.source_line())}</span>')
    if rng.random() < 0.5:
        meta_bits.append(f'<span class="author">{_esc(page.byline())}</span>')
    if rng.random() < 0.2:
        meta_bits.append(f'<span class="views">{_esc(page.j("views"))}</span>')
    share = "".join(f'<a href="javascript:void(0)" class="s{i}">{_esc(x)}</a>'
                    for i, x in enumerate(rng.sample(J["share"], 3)))
    dateline = page.lead_dateline()
    paras = list(page.paras)
    body_prefix = []
    if dateline:    # inline only where no repost has to match these paragraphs
        if not zh and not page.item.reposted and page.item.orig == page.item.index:
            paras[0] = f"{dateline} {paras[0]}"
        else:
            body_prefix.append(f'<p class="dateline">{_esc(dateline)}</p>')
    body = list(body_prefix)
    for i, para in enumerate(paras):
        if i in a.heads:
            body.append(f"<h2>{_esc(para)}</h2>" if layout != "legacy" else f"<B>{_esc(para)}</B><BR><BR>")
        elif layout == "legacy":
            body.append(f"&nbsp;&nbsp;&nbsp;&nbsp;{_esc(para)}<BR><BR>")
        else:
            body.append(f"<p>{_esc(para)}</p>")
        if i == 1 and rng.random() < 0.15:
            body.append(f'<p class="caption"><img src="/img/{f["d8"]}.jpg" alt=""><br>{_esc(page.j("caption"))}</p>'
                        if layout != "legacy" else f'<IMG SRC="/img/{f["d8"]}.jpg"><BR>{_esc(page.j("caption"))}<BR><BR>')
    if "signature" in page.modes:
        sig = page.signature_line()
        if sig:
            body.append(f'<p class="credit">{_esc(sig)}</p>')
    tail = []
    if rng.random() < (0.5 if zh else 0.2):
        tail.append(f'<div class="editor">{_esc(page.j("editor"))}</div>')
    if rng.random() < 0.3:
        tail.append(f'<div class="statement">{_esc(page.j("disclaimer"))}</div>')
    if rng.random() < 0.3:
        tail.append(f'<div class="app-promo"><a href="/app/">{_esc(page.j("app"))}</a></div>')
    related = ""
    if page.related:
        header, items = page.related
        lis = "".join(f'<li><a href="/news/{f["d6"]}{i}.html">{_esc(t)}</a>' + (f"<span>{s}</span>" if s else "") + "</li>"
                      for i, (t, s) in enumerate(items))
        related = f'<div class="related"><h3>{_esc(header)}</h3><ul>{lis}</ul></div>'
    links = " | ".join(f'<a href="/about/{i}">{_esc(x)}</a>' for i, x in enumerate(rng.sample(J["footer_links"], 4)))
    footer = [f"<p>{links}</p>", f"<p>{_esc(page.j('copyright'))}</p>"]
    if zh and "icp" in J and rng.random() < 0.6:
        footer.append(f"<p>{_esc(page.j('icp'))}</p>")
    lang = _HTML_LANG[script]
    if layout == "portal":
        parts = [
            "<!DOCTYPE html>", f'<html lang="{lang}">', "<head>", *head, "</head>", "<body>",
            f'<div class="topbar">{_esc(page.j("top"))}</div>',
            f'<div class="header"><a class="logo" href="/">{_esc(site)}</a><ul class="nav">{nav}</ul></div>',
            f'<div class="crumb">{crumb}</div>' if crumb else "", '<div class="main"><div class="article">',
            f'<h1 class="title">{_esc(page.title)}</h1>', f'<div class="info">{" ".join(meta_bits)}</div>',
            f'<div class="share">{_esc(J["share"][0])}{share}</div>', '<div class="content" id="content">', *body, "</div>",
            *tail, "</div>", related, "</div>", f'<div class="footer">{"".join(footer)}</div>',
            '<script src="/js/common.js"></script>', "</body>", "</html>",
        ]
    elif layout == "modern":
        cookie = (f'<div class="cookie-banner">{_esc(page.j("cookie"))}</div>' if script == "en" and rng.random() < 0.3
                  else "")
        parts = [
            "<!doctype html>", f'<html lang="{lang}">', "<head>", *head, "</head>", "<body>", cookie,
            f'<header class="site-header"><a href="/" class="brand">{_esc(site)}</a><nav><ul>{nav}</ul></nav></header>',
            "<main>", f'<nav class="breadcrumbs">{crumb}</nav>' if crumb else "", '<article class="story">',
            f"<header><h1>{_esc(page.title)}</h1>", f'<div class="byline">{" · ".join(meta_bits)}</div>',
            f'<time datetime="{iso}"></time>' if page.date_shown and rng.random() < 0.3 else "", "</header>",
            f'<aside class="share-tools">{share}</aside>', '<section class="article-body">', *body, "</section>",
            *tail, "</article>", f'<aside class="more">{related}</aside>' if related else "", "</main>",
            f'<footer class="site-footer">{"".join(footer)}</footer>', "</body>", "</html>",
        ]
    else:
        parts = [
            '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">', "<HTML>", "<HEAD>", *head, "</HEAD>",
            '<BODY BGCOLOR="#FFFFFF">', f'<TABLE WIDTH="960" ALIGN="center"><TR><TD><FONT SIZE="2">{nav}</FONT></TD></TR>',
            f"<TR><TD>{crumb}</TD></TR>" if crumb else "",
            f'<TR><TD ALIGN="center"><FONT SIZE="5"><B>{_esc(page.title)}</B></FONT></TD></TR>',
            f'<TR><TD ALIGN="center"><FONT COLOR="#666666">{"&nbsp;&nbsp;".join(meta_bits)}</FONT></TD></TR>',
            "<TR><TD>", *body, "</TD></TR>", "<TR><TD>", *tail, related, "</TD></TR>", "</TABLE>",
            f'<CENTER>{"".join(footer)}</CENTER>', "</BODY>", "</HTML>",
        ]
    newline = "\r\n" if rng.random() < 0.1 else "\n"
    return newline.join(p for p in parts if p) + newline


# ---------------------------------------------------------------------------------------------------------------
# Encodings.
# ---------------------------------------------------------------------------------------------------------------
def _encode(text: str, encoding: str) -> tuple[bytes, str]:
    """Bytes in `encoding`, or in UTF-8 when the text has a character that encoding lacks."""
    if encoding == "utf-16":
        return b"\xff\xfe" + text.encode("utf-16-le"), "utf-16"
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8"), "utf-8-sig"
    for codec in (encoding,):
        try:
            return text.encode(codec), codec
        except UnicodeEncodeError:
            continue
    return text.encode("utf-8"), "utf-8"


def _text_encoding(rng: random.Random, script: str, hant_config: str = "s2twp") -> str:
    r = rng.random()
    if script == "zh-hant" and hant_config == "s2t":
        # OpenCC's standard forms (爲, 啓, 着) are not Big5: pages in Big5 use Taiwan forms
        return "utf-8" if r < 0.92 else "utf-8-sig" if r < 0.96 else "utf-16"
    if script == "en":
        return "utf-8" if r < 0.93 else "utf-8-sig" if r < 0.97 else "utf-16"
    if script == "zh-hans":
        return "utf-8" if r < 0.64 else "gb18030" if r < 0.92 else "utf-8-sig" if r < 0.96 else "utf-16"
    return "utf-8" if r < 0.4 else "big5" if r < 0.92 else "utf-8-sig" if r < 0.96 else "utf-16"


_CHARSET_SLOT = "__DEMO_CHARSET__"


def _html_bytes(rng: random.Random, script: str, page_text: str, hant_config: str = "s2twp") -> tuple[bytes, str]:
    """Chooses the page's declared charset (one it can really be encoded in) and encodes it."""
    r = rng.random()
    label, codec = "utf-8", "utf-8"
    if script == "zh-hans" and r < 0.3:
        for label in rng.choice((("gb2312", "gbk", "gb18030"), ("GBK", "gb18030"), ("gb18030",))):
            try:
                page_text.encode(label)
                codec = label
                break
            except UnicodeEncodeError:
                continue
    elif script == "zh-hant" and r < 0.35 and hant_config == "s2twp":
        # a character Big5 lacks (肽, ©) becomes a numeric character reference, as browsers and CMSs write it
        label = rng.choice(("big5", "Big5"))
        text = page_text.replace(_CHARSET_SLOT, label)
        return text.encode("big5", errors="xmlcharrefreplace"), "big5"
    elif rng.random() < 0.15:
        label = "UTF-8"
    text = page_text.replace(_CHARSET_SLOT, label)
    if codec == "utf-8" and rng.random() < 0.03:
        return b"\xef\xbb\xbf" + text.encode("utf-8"), "utf-8-sig"
    return text.encode(codec), codec.lower()


# ---------------------------------------------------------------------------------------------------------------
# Laying the corpus out, and rendering items.
# ---------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ItemPlan:
    index: int          # 0-based position in the corpus
    lang: str           # this item's language: en, zh-hans, zh-hant
    fmt: str            # txt, html or jsonl
    orig: int           # the article whose content it carries: itself, or the original of a repost
    orig_lang: str      # that article's language
    convert: bool       # a repost converted to the other Chinese script
    reposted: bool      # some later item reposts this one
    path: str           # relative path of its file (the JSON Lines part for jsonl)
    line: int = 0       # 1-based line in the JSON Lines part

    @property
    def ref(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


def plan_corpus(*, count: int, seed: int) -> list:
    """One master stream decides each item's language, format and whether it is a repost (and of what)."""
    rng = FastRandom(f"biopharma-demo/{seed}/layout")
    width = max(5, len(str(count - 1)))
    fwidth = max(3, len(str((count - 1) // FILES_PER_FOLDER)))
    rows, originals = [], []
    for i in range(count):
        fmt = _weighted(rng, tuple(zip(FORMATS, FORMAT_WEIGHTS)))
        if originals and i >= 20 and rng.random() < REPOST_RATE:
            if rng.random() < 0.5:
                j = originals[-1 - rng.randrange(min(200, len(originals)))]
            else:
                j = originals[rng.randrange(len(originals))]
            orig_lang = rows[j][1]
            lang, convert = orig_lang, False
            if orig_lang != "en" and rng.random() < 0.4:
                lang, convert = ("zh-hant" if orig_lang == "zh-hans" else "zh-hans"), True
            rows.append((i, lang, fmt, j, orig_lang, convert))
        else:
            lang = _weighted(rng, tuple(zip(LANGUAGES, LANGUAGE_WEIGHTS)))
            rows.append((i, lang, fmt, i, lang, False))
            originals.append(i)
    reposted = {row[3] for row in rows if row[3] != row[0]}
    plan, jsonl_seen = [], 0
    for i, lang, fmt, orig, orig_lang, convert in rows:
        if fmt == "jsonl":
            part, line = divmod(jsonl_seen, RECORDS_PER_JSONL)
            jsonl_seen += 1
            path, line = f"jsonl/part-{part:03d}.jsonl", line + 1
        else:
            path, line = f"{fmt}/{i // FILES_PER_FOLDER:0{fwidth}d}/{i:0{width}d}.{fmt}", 0
        plan.append(ItemPlan(i, lang, fmt, orig, orig_lang, convert, i in reposted, path, line))
    return plan


_STATE: dict = {}


def _init_worker(gazetteer_path: str) -> None:
    """Per process: the gazetteer, the lexicon and OpenCC converters (never shared across a fork)."""
    import opencc

    gaz = _STATE.get("gaz")
    if gaz is None or gaz.path != str(gazetteer_path):
        _STATE["gaz"] = load_gazetteer(gazetteer_path)
    _STATE["lex"] = lexicon()
    if _STATE.get("pid") != os.getpid():
        _STATE["conv"] = {name: opencc.OpenCC(name) for name in ("s2t", "s2twp")}
        _STATE["pid"] = os.getpid()


def render_item(*, seed: int, item: ItemPlan, gaz: Gazetteer, lex: Lexicon, converters: dict) -> tuple:
    """(bytes of a txt/html file or one JSON line, the item's truth record)."""
    base = "en" if item.orig_lang == "en" else "zh"
    article = compose_article(seed=seed, index=item.orig, lang=base, gaz=gaz, lex=lex)
    converter = None
    if item.lang == "zh-hant":
        converter = converters["s2t" if item.convert else article.hant_config]
    lines = finalize([article.title] + article.paras, article.mentions, item.lang, converter)
    rng = FastRandom(f"biopharma-demo/{seed}/{item.index}/render")
    page = _Page(rng=rng, item=item, article=article, title=lines[0], paras=lines[1:], gaz=gaz, lex=lex,
                 converters=converters)
    date = f"{article.pub.year}-{_two(article.pub.month)}-{_two(article.pub.day)}" if page.date_shown else None
    source = page.shown_source(item.fmt)
    encoding = "utf-8"
    if item.fmt == "txt":
        newline = "\r\n" if rng.random() < 0.05 else "\n"
        text = newline.join(_txt_lines(page)) + newline
        hant_config = "s2t" if item.convert else article.hant_config
        payload, encoding = _encode(text, _text_encoding(rng, item.lang, hant_config))
    elif item.fmt == "html":
        hant_config = "s2t" if item.convert else article.hant_config
        payload, encoding = _html_bytes(rng, item.lang, _html_page(page, _CHARSET_SLOT), hant_config)
    else:
        record: dict = {}
        r = rng.random()
        name = None
        if page.outlet:
            name = page.outlet.en if rng.random() < 0.7 else page.outlet_name
        if r < 0.25:
            record.update(title=page.title, language=item.lang)
            if date:
                record["date"] = date
            if name:
                record["source"] = name
            if page.url:
                record["source_url"] = page.url
            record["body"] = "\n\n".join(page.paras)
            source = page.outlet.en if page.outlet else None
        else:
            raw_html = r >= 0.8
            if rng.random() < 0.4:
                record["title"] = page.title
            if rng.random() < 0.25:
                record["language"] = item.lang
            if date and rng.random() < 0.25:
                record["date"] = date
            if name and rng.random() < 0.2:
                record["source"] = name
                source = page.outlet.en
            if page.url and rng.random() < 0.6:
                record["source_url"] = page.url
            if raw_html:
                source = page.shown_source("html") or source
                record["raw"] = _html_page(page, "utf-8")
            else:
                record["raw"] = "\n".join(_txt_lines(page)) + "\n"
        payload = json.dumps(record, ensure_ascii=False)
    truth = {
        "path": item.ref, "format": item.fmt, "encoding": encoding, "language": item.lang, "kind": article.kind,
        "title": page.title, "date": date, **article.truth(), "source": source,
        "source_in_gazetteer": (not page.invented) if source else None, "source_url": page.url,
        "repost_of": None,
    }
    return payload, truth


def _run_chunk(task: tuple) -> tuple:
    seed, out_dir, items = task
    st = _STATE
    out = Path(out_dir)
    lines, truths, written, nbytes = [], [], 0, 0
    for item in items:
        payload, truth = render_item(seed=seed, item=item, gaz=st["gaz"], lex=st["lex"], converters=st["conv"])
        if item.fmt == "jsonl":
            lines.append((item.path, payload))
        else:
            (out / item.path).write_bytes(payload)
            written += 1
            nbytes += len(payload)
        truths.append(truth)
    return lines, truths, written, nbytes


# ---------------------------------------------------------------------------------------------------------------
# The corpus.
# ---------------------------------------------------------------------------------------------------------------
@dataclass
class DemoManifest:
    count: int
    seed: int
    files: int
    reposts: list
    languages: dict
    formats: dict
    encodings: dict
    out_dir: Path
    bytes: int = 0
    articles: list = field(default_factory=list, repr=False)

    def summary(self) -> str:
        langs = ", ".join(f"{k} {v}" for k, v in self.languages.items())
        return (f"generated {self.count} articles ({langs}) in {self.files} files, {len(self.reposts)} reposts, "
                f"seed {self.seed}, {self.bytes / 1e6:.1f} MB -> {self.out_dir}")


def _prepare_out_dir(out: Path) -> Path:
    """The output folder: new, empty, or a previous demo corpus (whose own files are replaced)."""
    if out.exists() and not out.is_dir():
        raise DemoError(f"--out {out} exists and is not a directory")
    if out.is_dir():
        entries = sorted(p.name for p in out.iterdir())
        if entries:
            manifest = out / MANIFEST_NAME
            ours = False
            if manifest.is_file():
                try:
                    with manifest.open(encoding="utf-8") as fh:
                        ours = MANIFEST_FORMAT in fh.read(200)
                except (OSError, UnicodeDecodeError):
                    ours = False
            if not ours or set(entries) - {MANIFEST_NAME, "txt", "html", "jsonl"}:
                raise DemoError(f"--out {out} is not empty and holds no earlier demo corpus; choose an empty folder")
            for name in ("txt", "html", "jsonl"):
                if (out / name).is_dir():
                    shutil.rmtree(out / name)
            manifest.unlink()
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".demo-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DemoError(f"--out {out} is not writable: {exc.strerror or exc}") from None
    return out


def _gazetteer_digest(path: str) -> str:
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def generate_corpus(*, count: int, seed: int, out_dir: Path, progress: Callable[[int], None] | None = None,
                    workers: int | None = None, gazetteer: Path | str | None = None) -> DemoManifest:
    """Writes `count` items (about 1% of them planted reposts) under `out_dir`, plus `manifest.json`.

    `progress(n)` is called with the number of items finished since the last call. The same `seed` (and gazetteer)
    gives byte-identical files, whatever `workers` is.
    """
    if isinstance(count, bool) or not isinstance(count, int) or count <= 0:
        raise DemoError(f"count must be a positive integer, not {count!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise DemoError(f"seed must be an integer, not {seed!r}")
    gaz_path = str(Path(gazetteer or DEFAULT_GAZETTEER))
    gaz = load_gazetteer(gaz_path)
    out = _prepare_out_dir(Path(out_dir))
    plan = plan_corpus(count=count, seed=seed)
    for folder in sorted({str(Path(item.path).parent) for item in plan}):
        (out / folder).mkdir(parents=True, exist_ok=True)
    _STATE["gaz"] = gaz
    _init_worker(gaz_path)
    tasks = [(seed, str(out), plan[i:i + CHUNK_ITEMS]) for i in range(0, count, CHUNK_ITEMS)]
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if count >= 4 * CHUNK_ITEMS else 1
    workers = max(1, min(workers, len(tasks)))
    pool = None
    if workers > 1:
        try:
            ctx = multiprocessing.get_context("fork")
        except ValueError:
            ctx = multiprocessing.get_context()
        pool = ctx.Pool(workers, initializer=_init_worker, initargs=(gaz_path,))
        results = pool.imap(_run_chunk, tasks)
    else:
        results = map(_run_chunk, tasks)
    truths, files, nbytes = [], 0, 0
    part_path, part_fh = None, None
    finished = False
    try:
        for (lines, chunk_truths, written, chunk_bytes), task in zip(results, tasks):
            for path, line in lines:
                if path != part_path:
                    if part_fh is not None:
                        part_fh.close()
                    part_path, part_fh = path, open(out / path, "w", encoding="utf-8", newline="\n")
                    files += 1
                data = line + "\n"
                part_fh.write(data)
                nbytes += len(data.encode("utf-8"))
            truths.extend(chunk_truths)
            files += written
            nbytes += chunk_bytes
            if progress is not None:
                progress(len(task[2]))
        finished = True
    finally:
        if part_fh is not None:
            part_fh.close()
        if pool is not None:
            if finished:
                pool.close()
            else:          # an error or Ctrl-C: don't wait for the other chunks
                pool.terminate()
            pool.join()
    reposts = []
    for item in plan:
        if item.orig != item.index:
            reposts.append({"original": plan[item.orig].ref, "repost": item.ref,
                            "converted": item.convert, "language": item.lang})
            truths[item.index]["repost_of"] = plan[item.orig].ref
    languages = {lang: 0 for lang in LANGUAGES}
    formats = {fmt: 0 for fmt in FORMATS}
    encodings: dict = {}
    for item, truth in zip(plan, truths):
        languages[item.lang] += 1
        formats[item.fmt] += 1
        encodings[truth["encoding"]] = encodings.get(truth["encoding"], 0) + 1
    manifest = DemoManifest(count=count, seed=seed, files=files, reposts=reposts, languages=languages, formats=formats,
                            encodings=dict(sorted(encodings.items())), out_dir=out, bytes=nbytes, articles=truths)
    _write_manifest(out / MANIFEST_NAME, manifest, gaz_path)
    return manifest


def _write_manifest(path: Path, m: DemoManifest, gaz_path: str) -> None:
    """One JSON object; its "articles" list (each item's expected facts) holds one item per line."""
    head = {
        "format": MANIFEST_FORMAT, "count": m.count, "seed": m.seed, "files": m.files, "languages": m.languages,
        "formats": m.formats, "encodings": m.encodings, "gazetteer_sha256": _gazetteer_digest(gaz_path),
        "note": "Not an article: the demo generator's manifest. 'reposts' lists planted duplicates; 'articles' "
                "holds each item's expected title, language, date, year, city, districts, places, events and source.",
        "reposts": m.reposts,
    }
    text = json.dumps(head, ensure_ascii=False)[:-1]
    body = ",\n".join(json.dumps(a, ensure_ascii=False) for a in m.articles)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text + ', "articles": [\n' + body + "\n]}\n")
