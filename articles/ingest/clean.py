"""Plain text of a scraped page -> title, metadata lines, article paragraphs.

Every rule keys on general signals (shape, position, repetition, script,
boilerplate vocabularies kept as data below), never on strings of particular
pages.  Vocabulary matching runs on a folded copy of each line (OpenCC t2s on
the whole text once, casefolded), so simplified entries cover traditional text.
Work that does not depend on a line's neighbours is done in whole-text passes
where that gives the same per-line answers (vocabulary hits, phone numbers,
credit fragments, script counts); per-line regexes are guarded by the substrings
every match must hold.

Pipeline (``clean_text``):
 1. split into lines, normalise white space, fold;
 2. cut photo-credit fragments glued between sentences (credit_signatures, and
    short capitalised fragments glued between full stops that repeat);
 3. classify each line on its own: spam, breadcrumb, UI widget, hours, phone /
    advert, app promotion, disclaimer, tail marker, relative-time repost byline,
    or metadata (dateline, byline, source line, credit) for ``header``;
 4. title: hint_title, else a line printed twice near the top, else the first
    title-shaped line; other copies of it are dropped;
 5. position: short lines before the body starts, lines in the other script or
    language before the body, everything after a "related articles" marker, a
    trailing run of headline-shaped lines, advert blocks;
 6. repetition: duplicate paragraphs, repeated short lines, standfirsts that
    are the next paragraphs run together.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

from .textutil import (
    CJK_RE,
    cjk_count,
    ends_sentence,
    find_dates,
    last_visible,
    latin_word_count,
    literal_alternation,
    normalise_line,
    normalise_lines,
    opencc,
    script_counts,
    script_res,
    strip_dates,
    units,
)

__all__ = ["Cleaned", "clean_text", "strip_site_suffix"]


@dataclass
class Cleaned:
    title: str
    header: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # Folded forms (t2s + casefold) of the paragraphs as clean_text computed them, and
    # whether t2s was applied (the text held CJK): lets extraction skip a second OpenCC
    # pass over the article.  Not part of the value.
    folds: dict = field(default_factory=dict, repr=False, compare=False)
    folds_converted: bool = field(default=False, repr=False, compare=False)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


# ---------------------------------------------------------------------------
# Vocabularies (folded: simplified Chinese, lower-case English).  General word
# lists, not lines of any particular page.

# Whole short lines that are page furniture (compared after stripping punctuation).
UI_LINES: tuple[str, ...] = (
    # English
    "share", "share article", "share this article", "share this", "share this story", "share this post",
    "share on facebook", "share on twitter", "share on linkedin", "share on x", "share on weibo",
    "share on wechat", "share via email", "share via", "tweet", "email", "e-mail", "print", "print this",
    "print this article", "print article", "copy link", "link copied", "copied", "contact us", "contact",
    "subscribe", "subscribe now", "sign up", "sign in", "log in", "login", "register", "follow us",
    "follow", "menu", "search", "home", "back", "back to top", "top", "go to top", "scroll to top",
    "next", "previous", "next article", "previous article", "next story", "previous story",
    "comments", "comment", "leave a comment", "post a comment", "reply", "read more", "more",
    "view more", "load more", "show more", "see more", "loading", "advertisement", "advertising",
    "sponsored", "sponsored content", "close", "skip to content", "skip to main content",
    "accept", "accept cookies", "facebook", "twitter", "linkedin", "whatsapp", "weibo", "wechat",
    "reddit", "pinterest", "telegram", "listen", "listen to this article", "font size", "text size",
    "a a a", "a+ a-", "save", "bookmark", "like", "news provided by", "provided by", "posted by",
    "written by", "in-language news", "searching for your content", "searching", "photo", "video",
    "gallery", "download", "download pdf", "language", "english", "中文", "简体", "繁体", "繁體中文",
    "简体中文", "related", "tags", "topics", "keywords", "end", "the end", "more news",
    # Chinese (simplified; traditional text is folded before matching)
    "分享", "分享到", "分享至", "分享给朋友", "分享到微信", "分享到微博", "链接已复制", "复制链接",
    "已复制", "字体", "字号", "大 中 小", "大中小", "返回顶部", "回到顶部", "返回首页", "返回",
    "返回列表", "打印", "打印本页", "打印文章", "关闭", "关闭窗口", "收藏", "点赞", "评论",
    "我要评论", "发表评论", "网友评论", "上一篇", "下一篇", "上一条", "下一条", "更多", "查看更多",
    "加载更多", "阅读全文", "展开全文", "点击查看", "举报", "纠错", "我要纠错", "微信", "微博",
    "qq空间", "qq", "扫一扫", "手机看", "手机版", "手机阅读", "登录", "注册", "首页", "订阅",
    "关注我们", "关注", "在看", "阅读", "播放", "视频", "图片", "图集", "朗读", "听新闻",
    "完", "结束", "全文完", "(完)", "点击进入", "进入专题", "专题", "推荐", "热门", "广告",
)
UI_SET = frozenset(UI_LINES)

# Short lines that start with one of these are furniture / meta labels.
UI_PREFIXES: tuple[str, ...] = (
    "share on ", "share via ", "share to ", "follow us on ", "subscribe to ", "sign up for ", "sign up to ",
    "download our ", "get our ", "join our ", "tags:", "tags ", "topics:", "keywords:",
    "filed under", "categories:", "category:", "related topics", "font size", "text size",
    "分享到", "分享至", "字体", "字号", "标签", "关键词", "关键字", "分类:", "栏目:", "浏览次数",
    "阅读量", "点击数", "点击量", "浏览量", "阅读次数", "人阅读", "次阅读",
)

# A short line equal to / starting with one of these ends the article: what follows is a list
# of other articles.
TAIL_MARKERS: tuple[str, ...] = (
    "you might also like", "you may also like", "you might like", "you may like", "related articles",
    "related article", "related stories", "related story", "related posts", "related news",
    "related content", "related coverage", "related reading", "recommended", "recommended for you",
    "recommended articles", "recommended stories", "more from", "more stories", "more articles",
    "more on this", "more in", "read next", "up next", "popular", "most popular", "popular articles",
    "popular posts", "most read", "most viewed", "trending", "trending now", "editors picks",
    "editor's picks", "editor s picks", "latest news", "latest stories", "latest articles",
    "further reading", "see also", "also read", "don't miss", "dont miss", "top stories",
    "相关文章", "相关阅读", "相关新闻", "相关推荐", "相关资讯", "相关报道", "相关链接", "推荐阅读",
    "延伸阅读", "扩展阅读", "热门推荐", "热门文章", "热门资讯", "热点推荐", "热点新闻", "热门新闻",
    "猜你喜欢", "你可能还喜欢", "您可能还喜欢", "你可能感兴趣", "您可能感兴趣", "精彩推荐", "更多阅读",
    "更多精彩", "往期回顾", "往期推荐", "往期精彩", "为您推荐", "为你推荐", "最新文章", "最新资讯",
    "最新新闻", "大家都在看", "点击排行", "阅读排行", "排行榜", "今日推荐", "编辑推荐", "相关专题",
    "同类文章", "上一篇", "下一篇",
)

# Lines starting with these are disclaimers / copyright notices.
DISCLAIMER_STARTS: tuple[str, ...] = (
    "disclaimer", "copyright", "©", "(c) ", "all rights reserved", "legal notice", "terms of use",
    "our standards", "editorial standards", "editor's note: this article", "this story has been corrected",
    "privacy policy", "this article is reproduced", "this article is sourced", "reprinted from",
    "免责声明", "版权声明", "版权所有", "声明:", "特别声明", "郑重声明", "本文来源于网络", "本文来自网络",
    "本文转载", "转载请注明", "转载声明", "本站声明", "本网声明", "未经授权", "未经许可", "凡本网注明",
    "原创声明", "风险提示", "投资有风险",
)
# Phrases that make a line a disclaimer even when it starts otherwise: strong
# phrases are boilerplate on their own, weak words only alongside a strong one.
DISCLAIMER_STRONG: tuple[str, ...] = (
    "all rights reserved", "for reference only", "does not represent", "do not represent",
    "not necessarily reflect", "views expressed", "will be deleted", "we will handle it",
    "please contact us to delete", "does not constitute", "not constitute investment advice",
    "如有侵权", "联系删除", "联系我们删除", "请联系我们", "仅供参考", "不代表本", "观点仅代表", "不构成投资建议",
    "转载请注明", "未经授权", "未经许可", "版权归", "版权所有", "予以删除", "立即删除", "不承担",
    "与本站立场无关", "本站仅提供", "请勿用于商业", "commercial purposes", "respect copyright",
)
DISCLAIMER_WEAK: tuple[str, ...] = (
    "copyright", "reprint", "infringe", "original author", "版权", "转载", "侵权", "侵犯", "原作者", "出处",
    "商业用途", "删除",
)
# Spam (adult / gambling) vocabulary: two distinct hits mark a line as spam.
SPAM_TERMS: tuple[str, ...] = (
    "无码", "有码", "少妇", "人妻", "一区二区", "二区三区", "在线观看", "免费视频", "免费观看",
    "成人视频", "成人影", "色情", "国产精品", "久久精品", "伦理片", "三级片", "黄色网站", "视频网站",
    "博彩", "赌场", "赌博", "娱乐城", "百家乐", "老虎机", "时时彩", "六合彩", "真人娱乐", "代孕",
    "代开发票", "casino", "porn", "xxx", "viagra", "cialis", "escort", "hentai", "onlyfans",
)
_SPAM_AV_RE = re.compile(r"(?<![a-z])av(?![a-z])")

# Advert / contact vocabulary (WeChat, QR codes, recruiting, leasing, hotlines).
# Advert vocabulary: ways to get in touch ...
CONTACT_TERMS: tuple[str, ...] = (
    "微信", "公众号", "手机", "电话", "热线", "联系人", "联系方式", "联系我们", "扫一扫", "扫码", "二维码",
    "长按", "qq", "传真", "邮箱", "wechat", "whatsapp", "qr code", "scan the", "hotline", "call us",
    "tel:", "tel.", "phone:", "fax", "e-mail:", "email:", "contact us", "media contact", "press contact",
)
# ... and what is on offer (recruiting, leasing, franchising, business deals).
OFFER_TERMS: tuple[str, ...] = (
    "招商", "租售", "出租", "出售", "招聘", "求职", "加盟", "代理", "对接", "咨询", "洽谈", "商务合作",
    "投稿", "厂房", "写字楼", "for rent", "for lease", "for sale", "we are hiring", "now hiring",
    "apply now", "advertise", "sponsorship",
)
# Any one of these in a short line is an advert.
ADVERT_STRONG: tuple[str, ...] = (
    "微信号", "扫一扫", "扫码", "二维码", "长按识别", "长按", "公众号", "qr code", "scan the",
    "wechat id", "添加微信", "加微信",
)

# Byline / credit vocabulary.
BYLINE_ROLES: tuple[str, ...] = (
    "记者", "编辑", "责编", "通讯员", "作者", "摄影", "摄像", "校对", "审核", "审校", "编审", "监制",
    "实习生", "撰文", "撰稿", "主编", "美编", "编译", "翻译",
)
_BYLINE_CN_START_RE = re.compile(
    r"^[【\[（(〔]?\s*(?:本报记者|本报通讯员|特约记者|见习记者|实习记者|首席记者|记者|通讯员|责任编辑|责编|编辑|"
    r"作者|撰文|撰稿|文字|文|图|图文|摄影|摄|视频|校对|审核|审校|编审|监制|出品|策划|主编|美编|"
    r"实习生|编译|翻译|统筹)\s*[:：|/｜丨\s]"
)
# "记者王小明／台北报导", "本报记者 李明 摄"
_BYLINE_CN_NAME_RE = re.compile(
    r"^[【\[（(〔]?\s*(?:本报|本刊|特约|见习|实习)?记者\s*[\u4e00-\u9fff·]{2,4}(?:\s|[／/|｜、，,]|报道|报导|摄|$)"
)
# "（中央社记者王小明台北6日电）": a news agency's dateline printed as its own line
_AGENCY_DATELINE_RE = re.compile(
    r"^[（(【\[]?\s*[\u4e00-\u9fff]{2,12}?(?:记者[\u4e00-\u9fff·]{2,4})?[\u4e00-\u9fff]{0,6}"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})日(?:电|讯)\s*[)）】\]]?$"
)
_BYLINE_EN_RE = re.compile(
    r"^(?:by|written by|reported by|reporting by|words by|story by|text by|author|authors|"
    r"reporter|reporters|editor|editors|edited by|editor in charge|editor-in-charge|"
    r"correspondent|contributor|translated by|translator)\b\s*[:：]?\s*\S",
    re.IGNORECASE,
)
# The outlet before the role: "Securities Times reporter Ye Pengwen".
_BYLINE_EN_OUTLET_RE = re.compile(
    r"^[A-Z][\w'&.\-]*(?:\s+[A-Z0-9][\w'&.\-]*){0,5}\s+(?:staff\s+)?(?:reporters?|correspondents?|writers?)"
    r"\s+[A-Z][\w'\-]+(?:\s+[A-Z][\w'\-]+){0,3}$"
)
_CREDIT_RE = re.compile(
    r"^[（(\[]?\s*(?:photo|photos|image|images|picture|pictures|graphic|video|photograph|"
    r"photo credit|image credit|图片来源|图片|图源|图/|配图|视频来源|摄影|供图|题图|头图|封面图)"
    r"(?:\s*(?:by|credit|courtesy|source|来源))?\s*[:：/|]",
    re.IGNORECASE,
)
_SOURCE_LINE_RE = re.compile(
    r"^[【\[（(〔]?\s*(?:本文来源|本文来自|文章来源|新闻来源|信息来源|原文来源|内容来源|来源|稿源|出处|转自|转载自|source|sources|"
    r"originally published)\s*[:：]|^(?:originally|first)\s+published\s+(?:by|in)\s+\S",
    re.IGNORECASE,
)
# A press release's closing "SOURCE <issuer>" line (upper-case label, no colon).
_ISSUER_LINE_RE = re.compile(r"^SOURCE\s+\S")
_RELATIVE_TIME_RE = re.compile(
    r"(?<!\d)\d{1,2}\s*(?:秒|分钟|分鐘|小时|小時|天|周|週|星期|个月|個月)前|刚刚|剛剛|昨天|前天|"
    r"\b\d+\s*(?:sec|secs|second|seconds|min|mins|minute|minutes|hr|hrs|hour|hours|day|days|"
    r"week|weeks|month|months|year|years)\s+ago\b|\bjust now\b|\byesterday\b",
    re.IGNORECASE,
)


def _may_be_relative_time(fold: str) -> bool:
    """Every _RELATIVE_TIME_RE match holds one of these (``fold`` is casefolded):
    substring tests before the full pattern, whose leading look-behind makes it try
    every position."""
    return (
        "前" in fold or "ago" in fold or "刚刚" in fold or "剛剛" in fold or "昨天" in fold
        or "yesterday" in fold or "just now" in fold
    )


_META_WORDS_RE = re.compile(
    r"发布时间|发布日期|发表时间|更新时间|时间|日期|发布于|发表于|发布|更新|原创|上午|下午|"
    r"published|updated|posted|"
    r"last updated|release date|date|on|at|time|et|est|edt|pt|pst|gmt|utc|cst|bjt|北京时间|"
    r"星期[一二三四五六日天]|周[一二三四五六日]|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"mon|tue|wed|thu|fri|sat|sun",
    re.IGNORECASE,
)

_BREADCRUMB_WORDS: tuple[str, ...] = (
    "当前位置", "您的位置", "你的位置", "您现在的位置", "你现在的位置", "所在位置", "现在位置",
    "当前页面", "you are here", "your location", "current location", "breadcrumb",
)
_HOME_WORDS = frozenset(("首页", "主页", "网站首页", "home", "homepage", "home page", "news", "新闻", "资讯"))
_BREADCRUMB_SEP_RE = re.compile(r"\s*(?:>>|>|»|›|→|/|\\|＞|》)\s*")

_PREV_NEXT_RE = re.compile(
    r"^[【\[(（]?\s*(?:上一篇|下一篇|上一条|下一条|上一页|下一页|previous|next|prev)"
    r"(?:\s*(?:article|post|story|news|文章|新闻))?\s*[:：>»]"
)
_APP_PROMO_RE = re.compile(
    r"(?:打开|下载|安装|进入|点击).{0,12}(?:app|客户端)|(?:app|客户端).{0,6}(?:阅读|查看|下载)|"
    r"阅读更多精彩|更多精彩(?:内容|资讯)|查看更多精彩|点击(?:上方|下方|蓝字|关注)|关注我们|关注公众号|"
    r"download (?:the|our) .{0,20}app|get the .{0,20}app|open (?:in|the) app|read (?:it )?in (?:the )?app",
    re.IGNORECASE,
)


def _may_be_app_promo(fold: str) -> bool:
    """Every _APP_PROMO_RE alternative holds one of these (``fold`` is casefolded)."""
    return "app" in fold or "客户端" in fold or "精彩" in fold or "点击" in fold or "关注" in fold


_HOURS_RE = re.compile(
    r"^(?:from\s+|open\s+|hours:?\s*)?\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)\s*(?:-|–|—|to)\s*"
    r"\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)(?:\s+[a-z]{2,4})?$",
    re.IGNORECASE,
)
_PHONE_RE = re.compile(
    r"(?<![\d.,])(?:"
    r"1[3-9]\d{9}"  # CN mobile
    r"|0\d{2,3}[-\s]?\d{7,8}"  # CN landline
    r"|\(0\d{2,3}\)\s*\d{7,8}"
    r"|[48]00[-\s]?\d{3,4}[-\s]?\d{3,4}"  # CN 400/800
    r"|(?:\+?1[-.\s])?\(?[2-9]\d{2}\)?[-.\s]\d{3}[-.\s]\d{4}"  # NANP
    r"|\+\d{1,3}[-\s]?\(?\d{1,4}\)?[-\s]?\d{3,4}[-\s]?\d{3,4}"  # international
    r")(?![\d亿万元%])"
)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|\[email(?:&#160;|\s)?protected\]", re.IGNORECASE)
_URL_ONLY_RE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_PUNCT_ONLY_RE = re.compile(r"^[\W_]+$")
_MENU_SPLIT_RE = re.compile(r"\s*[|｜·]\s*|\s{2,}")
_COMMA_SPLIT_RE = re.compile(r"[,，、|｜]")

# Titles: a site name after the last separator.
_TITLE_SEP_RE = re.compile(r"\s+[|｜\-–—:·]\s+|\s*[_｜|]\s*|\s*[-–—]{1,2}\s*(?=[\u4e00-\u9fff])")
SITE_WORDS: tuple[str, ...] = (
    "news", "newswire", "wire", "daily", "times", "post", "herald", "journal", "tribune", "gazette",
    "press", "media", "online", "network", "magazine", "weekly", "review", "agency", "tv", "radio",
    "channel", "portal", "observer", "global", "today", "insider", "reuters", "xinhua",
    ".com", ".cn", ".net", ".org", ".hk", ".tw", "网", "报", "新闻", "频道", "在线", "资讯", "门户",
    "官网", "平台", "客户端", "头条", "社", "号", "周刊", "杂志", "电视台", "广播",
)
# Latin site words anywhere in the suffix; Chinese ones end it (新浪网, 新京报, 新华社, 澎湃号).
_SITE_WORD_RE = re.compile(
    r"|".join(
        [r"\b" + re.escape(w) + r"\b" for w in SITE_WORDS if w.isascii() and w[0].isalpha()]
        + [re.escape(w) for w in SITE_WORDS if w.startswith(".")]
        + [r"(?:" + "|".join(re.escape(w) for w in SITE_WORDS if not w.isascii()) + r")\W*$"]
    ),
    re.IGNORECASE,
)

# Photo credits glued between sentences: ".Ti Gong.The ..." -- a short
# capitalised fragment after a sentence end (or the line start), directly
# followed by a full stop and a capital letter.  Run on "." + line so the line
# start counts as a sentence end; the leading character class keeps it fast.
_GLUED_FRAGMENT_RE = re.compile(
    r"[.!?。！？][ .]*(?P<frag>[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3})\.(?=[A-Z“\"‘])"
)

_GLUED_STOP_RE = re.compile(r"\.[A-Z“\"‘]")

_SENT_END_STRICT = frozenset(".。;；:：,，、")
# a full stop between two sentences ("rose. Sales"), not an initial or abbreviation ("U.S. FDA")
_SENTENCE_BREAK_RE = re.compile(r"[a-z\d)]{2}\. [A-Z]")


# ---------------------------------------------------------------------------


class _Line:
    """One non-empty line with its folded forms and measurements."""

    __slots__ = ("idx", "text", "fold", "wkey", "units", "cjk", "kind", "reason", "_key", "_bare",
                 "hits", "phone", "_sentence", "_para")

    def __init__(self, idx: int, text: str, fold: str, units_: int, cjk: bool):
        self.idx = idx
        self.text = text
        self.fold = fold  # t2s + casefold
        # cheap key: folded, no white space (lines are normalised: a space is the only white space left)
        self.wkey = fold.replace(" ", "")
        self.units = units_
        self.cjk = cjk  # CJK-dominant
        self.kind = ""  # "" (body), "junk", "header", "title", "marker"
        self.reason = ""
        self._key: str | None = None
        self._bare: str | None = None
        self.hits: dict[str, set[str]] = _NO_HITS  # vocabulary -> the terms of it the line holds
        self.phone = False  # holds a phone number
        self._sentence: bool | None = None
        self._para: bool | None = None

    @property
    def sentence(self) -> bool:
        """The line ends like a sentence (``ends_sentence``)."""
        if self._sentence is None:
            self._sentence = ends_sentence(self.text)
        return self._sentence

    @property
    def key(self) -> str:
        """Comparison key: folded, without white space and punctuation (computed on demand)."""
        if self._key is None:
            self._key = _KEY_DROP_RE.sub("", self.wkey)
        return self._key

    @property
    def bare(self) -> str:
        """Folded text without leading / trailing punctuation (runs of ``[\\W_]``),
        found with two searches for the first word character from each end."""
        if self._bare is None:
            f = self.fold
            m = _WORD_CHAR_RE.search(f)
            if m is None:
                self._bare = ""
            else:
                r = f[::-1]
                self._bare = f[m.start(): len(f) - _WORD_CHAR_RE.search(r).start()]
        return self._bare


_NO_HITS: dict = {}
_KEY_DROP_RE = re.compile(r"[\W_]+")
_WORD_CHAR_RE = re.compile(r"[^\W_]")


def _text_key(text: str) -> str:
    """Key of a free-standing string (a title), comparable with _Line.key."""
    if CJK_RE.search(text):
        text = opencc("t2s").convert(text)
    return _KEY_DROP_RE.sub("", "".join(normalise_line(text).casefold().split()))


def _measure(t: str) -> tuple[int, int, int]:
    """(units, CJK characters, Latin words) of a line, cheaply."""
    c = cjk_count(t)
    if c == 0:
        # a normalised line: words are separated by single spaces
        n = t.count(" ") + 1 if "  " not in t else len(t.split())
        return n, 0, n
    w = latin_word_count(t)
    return c + w + len(_DIGITS_RE.findall(t)), c, w


_DIGITS_RE = re.compile(r"\d+(?:[.,:]\d+)*")


def _fold_lines(lines: list[str]) -> tuple[list[str], bool]:
    """t2s + casefolded copies of the lines: one OpenCC call and one casefold for
    the whole text; and whether t2s was applied (the text holds CJK)."""
    joined = "\n".join(lines)
    converted = not joined.isascii() and CJK_RE.search(joined) is not None
    if not converted:
        t = joined.casefold().split("\n")
    else:
        t = opencc("t2s").convert(joined).casefold().split("\n")
    if len(t) != len(lines):  # never seen; be safe
        t = [opencc("t2s").convert(l).casefold() if converted else l.casefold() for l in lines]
    return t, converted


def _terms_rx(terms: Sequence[str]) -> re.Pattern:
    """The terms as one regex, the longest first at each position."""
    return re.compile(literal_alternation(terms))


_DISCLAIMER_START_RX = re.compile(
    r"^[【\[(（\s]{0,3}(?:" + "|".join(re.escape(t) for t in sorted(DISCLAIMER_STARTS, key=len, reverse=True)) + ")"
)
_UI_PREFIX_RX = re.compile("^(?:" + "|".join(re.escape(t) for t in UI_PREFIXES) + ")")
_TAIL_RX = re.compile("^(?:" + "|".join(re.escape(t) for t in sorted(TAIL_MARKERS, key=len, reverse=True)) + ")")
_YEARISH_RE = re.compile(r"(?:19|20)\d\d")
_ROLES_RX = _terms_rx(BYLINE_ROLES)
# Candidates for _PHONE_RE: a fast scan (starts with a character class) before the full check.

# Vocabularies scanned per line, but only for the terms the whole text contains
# (one substring test per term per article; most articles skip most lists).
_VOCABS: dict[str, tuple[str, ...]] = {
    "spam": SPAM_TERMS,
    "disclaimer": DISCLAIMER_STRONG,
    "disclaimer_weak": DISCLAIMER_WEAK,
    "contact": CONTACT_TERMS,
    "offer": OFFER_TERMS,
    "advert_strong": ADVERT_STRONG,
    "roles": BYLINE_ROLES,
    "breadcrumb": _BREADCRUMB_WORDS,
}


@lru_cache(maxsize=4096)
def _present_rx(terms: tuple[str, ...]) -> re.Pattern:
    return _terms_rx(terms)


_WORD_RE = re.compile(r"[a-z0-9]+")




def _vocab_scanners(folded_text: str, short_text: str | None = None) -> dict[str, re.Pattern | None]:
    """For each vocabulary, a regex of the terms the text contains (None: none).
    Latin terms are looked up by their first word in the text's set of words;
    CJK terms with one trie-shaped regex per group of vocabularies, searched from
    each match's start + 1 so that overlapping terms are all seen (a term found
    brings the terms it contains).  ``short_text`` (default: the text) is where
    the CJK terms of the vocabularies consulted on short lines only are looked
    for: a CJK term absent from the lines a regex is run on can never match
    there, so leaving it out changes nothing."""
    found: set[tuple[str, int, str]] = set()
    # the text's [a-z0-9]+ words (as _WORD_RE finds them), as bytes: a C-level translate
    # and split instead of one regex match per word, intersected with the small set of
    # first words (no set of all the words)
    words = _LATIN_FIRST_WORDS.intersection(
        folded_text.encode("utf-8", "surrogatepass").translate(_NON_WORD_BYTES).split()
    )
    for w in words:
        found.update(e for e in _LATIN_FIRST_B[w] if e[2] in folded_text)
    found.update(e for e in _LATIN_NO_WORD if e[2] in folded_text)
    if not folded_text.isascii():
        for rx, contained, text in (
            (_CJK_ALL_RX, _CJK_ALL_CONTAINED, folded_text),
            (_CJK_SHORT_RX, _CJK_SHORT_CONTAINED, folded_text if short_text is None else short_text),
        ):
            if rx is None or text.isascii():
                continue
            pos = 0
            search = rx.search
            while (m := search(text, pos)) is not None:
                found.update(contained[m.group()])
                pos = m.start() + 1
    by_vocab: dict[str, list[tuple[int, str]]] = {}
    for name, pos, t in found:
        by_vocab.setdefault(name, []).append((pos, t))
    out: dict[str, re.Pattern | None] = {}
    for name in _VOCABS:
        present = by_vocab.get(name)
        # the vocabulary's order, so that the cached regexes are keyed the same way
        out[name] = _present_rx(tuple(t for _p, t in sorted(present))) if present else None
    return out


def _index_vocabs():
    latin_first: dict[str, list[tuple[str, int, str]]] = {}
    latin_no_word: list[tuple[str, int, str]] = []
    cjk: list[tuple[str, int, str]] = []
    for name, terms in _VOCABS.items():
        for pos, t in enumerate(terms):
            if t.isascii():
                w = _WORD_RE.search(t)
                if w:
                    latin_first.setdefault(w.group(0), []).append((name, pos, t))
                else:
                    latin_no_word.append((name, pos, t))
            else:
                # (never overlaps a Latin term in a text: no CJK term holds an ASCII character)
                assert not any(c.isascii() for c in t) and CJK_RE.search(t), t
                cjk.append((name, pos, t))

    def group(entries):
        """(regex of the terms, term -> the entries whose term it contains)."""
        if not entries:
            return None, {}
        terms = {t for _n, _p, t in entries}
        contained = {y: tuple(e for e in entries if e[2] in y) for y in terms}
        return re.compile(literal_alternation(terms)), contained

    all_rx, all_contained = group([e for e in cjk if e[0] in _ALL_LINE_VOCABS])
    short_rx, short_contained = group([e for e in cjk if e[0] not in _ALL_LINE_VOCABS])
    return latin_first, tuple(latin_no_word), all_rx, all_contained, short_rx, short_contained


# Vocabularies _classify consults on every line; the others only on lines of at most
# _SHORT_VOCAB_UNITS units or with a phone number (see _classify).
_ALL_LINE_VOCABS = ("spam", "disclaimer")
_SHORT_VOCAB_UNITS = 80
(_LATIN_FIRST, _LATIN_NO_WORD, _CJK_ALL_RX, _CJK_ALL_CONTAINED, _CJK_SHORT_RX,
 _CJK_SHORT_CONTAINED) = _index_vocabs()
_LATIN_FIRST_B = {w.encode("ascii"): v for w, v in _LATIN_FIRST.items()}
_LATIN_FIRST_WORDS = frozenset(_LATIN_FIRST_B)
_NON_WORD_BYTES = bytes(b if chr(b) in "abcdefghijklmnopqrstuvwxyz0123456789" else 32 for b in range(256))
# Phone candidates over the whole text (lines are joined by newlines, and the only
# white space inside a normalised line is a space: same candidates as per line).
_PHONE_CAND_LINES_RE = re.compile(r"[(+\d][\d ().+-]{6,}\d")


def _joined(lines: list[_Line], attr: str) -> tuple[str, list[int]]:
    starts: list[int] = []
    pos = 0
    parts = []
    for ln in lines:
        v = getattr(ln, attr)
        starts.append(pos)
        parts.append(v)
        pos += len(v) + 1
    return "\n".join(parts), starts


def _scan_lines(lines: list[_Line]) -> dict[str, re.Pattern | None]:
    """One pass per vocabulary (and for phone numbers) over the joined lines instead
    of one per line: each line gets ``hits`` (vocabulary -> the distinct terms of
    the vocabulary's regex found in the line) and ``phone`` (a _PHONE_RE match
    around a run of digits, spaces and phone punctuation).  Terms
    hold no newline, so the matches are those of each line on its own.  The
    vocabularies _classify only consults on short lines are only scanned there.
    Returns the vocabulary regexes (``_vocab_scanners`` of the whole text, CJK terms
    looked for where they are used)."""
    from bisect import bisect_right

    # phone numbers (consulted on lines of up to 150 units)
    raw, starts = _joined(lines, "text")
    for m in _PHONE_CAND_LINES_RE.finditer(raw):
        i = bisect_right(starts, m.start()) - 1
        ln = lines[i]
        if ln.phone:
            continue
        s0, e0 = m.start() - starts[i], m.end() - starts[i]
        if _PHONE_RE.search(ln.text, max(0, s0 - 1), e0 + 1):
            ln.phone = True

    folded, fstarts = _joined(lines, "fold")
    short = [ln for ln in lines if ln.units <= _SHORT_VOCAB_UNITS or ln.phone]
    if len(short) == len(lines):
        short_text, sstarts = folded, fstarts
    else:
        short_text, sstarts = _joined(short, "fold")
    vx = _vocab_scanners(folded, short_text)
    for name in _VOCABS:
        if name in _ALL_LINE_VOCABS:
            rx, text, st, group = vx[name], folded, fstarts, lines
        else:
            rx, text, st, group = vx[name], short_text, sstarts, short
        if rx is None or name == "breadcrumb":
            continue
        for m in rx.finditer(text):
            ln = group[bisect_right(st, m.start()) - 1]
            if ln.hits is _NO_HITS:
                ln.hits = {}
            ln.hits.setdefault(name, set()).add(m.group())
    return vx


def _max_headline_units(line: _Line) -> int:
    return 40 if line.cjk else 20


def _is_paragraph_shaped(line: _Line) -> bool:
    p = line._para
    if p is None:
        p = line._para = line.units >= (45 if line.cjk else 25) or (
            line.units >= 8 and line.sentence and last_visible(line.text) not in ":："
        )
    return p


def _is_headline_shaped(line: _Line) -> bool:
    if line.units < 2 or line.units > _max_headline_units(line):
        return False
    if last_visible(line.text) in _SENT_END_STRICT:
        return False
    # sentences inside ("xx。yy") or a run of clauses (a cut-off paragraph) -> not a headline
    if "。" in line.text[:-1] or _SENTENCE_BREAK_RE.search(line.text):
        return False
    return line.text.count(",") + line.text.count("，") + line.text.count("；") + line.text.count(";") < 2


def _is_teaser(line: _Line) -> bool:
    t = line.text.rstrip()
    return t.endswith("...") or t.endswith("…") and not t.endswith("……")


def _ui_phrases_only(bare: str) -> bool:
    """The line is widget words and phrases end to end ("Menu Search Sign in")."""
    words = bare.split()
    i = 0
    while i < len(words):
        for n in (3, 2, 1):
            if i + n <= len(words) and " ".join(words[i:i + n]) in UI_SET:
                i += n
                break
        else:
            return False
    return True


_MENU_PARTS_RE = re.compile(r"\s*[|｜·•›»>＞/／→]\s*")


def _menu_like(text: str) -> bool:
    """Short items between separators ("Subscribe | Log in", "Business /
    Companies / Healthcare"): a menu or breadcrumb, never a headline, even
    where the line classifier let it pass as too short to be sure."""
    parts = [p for p in _MENU_PARTS_RE.split(text) if p.strip()]
    return len(parts) >= 2 and all(units(p) <= 3 for p in parts)


def _is_title_shaped(line: _Line) -> bool:
    if line.units < 2 or line.units > (60 if line.cjk else 35):
        return False
    return last_visible(line.text) not in "。.;；:：,，、"


def strip_site_suffix(title: str) -> str:
    """'Headline – PR Newswire' -> 'Headline'; 'Headline_新浪网' -> 'Headline'.  A
    trailing segment after a separator is dropped when it is short and reads
    like a site name (site vocabulary, or a '|' / '_' separator)."""
    title = normalise_line(title)
    for _ in range(3):
        matches = list(_TITLE_SEP_RE.finditer(title))
        if not matches:
            break
        m = matches[-1]
        head, tail = title[: m.start()].strip(), title[m.end():].strip()
        sep = m.group(0).strip()
        if not head or not tail:
            break
        if units(head) < 3 or units(tail) > 8 or len(tail) > 40:
            break
        if tail and last_visible(tail) in "?!？！":
            break
        if not (_SITE_WORD_RE.search(tail) or sep in ("|", "｜", "_")):
            break
        title = head
    return title


# ---------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _signatures(signatures: tuple[str, ...]) -> tuple[re.Pattern | None, re.Pattern | None]:
    """(regex of the signatures as written, regex of their folded forms) -- built
    once per distinct signature list (the importer passes the same list every time)."""
    sigs = sorted({s.strip() for s in signatures if s and s.strip()}, key=len, reverse=True)
    if not sigs:
        return None, None
    folded = {opencc("t2s").convert(s).casefold() if CJK_RE.search(s) else s.casefold() for s in sigs}
    return _terms_rx(sigs), _terms_rx(folded)


def _cut_credits(lines: list[str], credit_signatures: Sequence[str]) -> tuple[list[str], list[str]]:
    """Remove photo-credit fragments glued into sentences.  Returns (lines, credits)."""
    frags: dict[str, int] = {}
    joined = "\n".join(lines)
    # (a fragment ends with a full stop glued to the next capital / quote: without one, nothing to find)
    if "." in joined and _GLUED_STOP_RE.search(joined):
        # one scan of ".line1\n.line2...": a match never crosses a newline, so these are
        # the matches of each "." + line on its own
        for f in _GLUED_FRAGMENT_RE.findall("." + joined.replace("\n", "\n.")):
            if len(f) >= 4 and f.lower() not in ("the", "this", "that", "mr", "mrs", "dr", "ms"):
                frags[f] = frags.get(f, 0) + 1
    cut = {f for f, n in frags.items() if n >= 2}
    sig_rx = _signatures(tuple(credit_signatures))[0]
    if sig_rx is not None:
        cut.update(sig_rx.findall(joined))
    if not cut:
        return lines, []
    alt = "|".join(re.escape(f) for f in sorted(cut, key=len, reverse=True))
    # fragment bounded by a sentence end (or line start) before, and a full stop, a glued
    # capital or the line end after.
    rx = re.compile(
        r"(?P<pre>^|(?<=[.!?。！？]))[ .]*(?P<frag>" + alt + r")[ ]*(?:[.。]|(?=$))[ ]*(?P<next>(?=\S)|$)"
    )
    credits: list[str] = []
    out: list[str] = []
    for line in lines:
        if not any(f in line for f in cut):
            out.append(line)
            continue

        def repl(m: re.Match) -> str:
            credits.append(m.group("frag"))
            at_start = m.start() == 0
            at_end = m.end() >= len(line)
            return "" if (at_start or at_end) else " "

        new = rx.sub(repl, line).strip()
        out.append(new)
    seen: list[str] = []
    for c in credits:
        if c not in seen:
            seen.append(c)
    return out, seen


def _classify(line: _Line, sig_rx: re.Pattern | None, vx: dict[str, re.Pattern | None]) -> tuple[str, str]:
    """(kind, reason) for one line on its own; kind '' means 'maybe body'.
    Vocabulary hits and phone numbers come precomputed (``_scan_lines``)."""
    text, fold, u = line.text, line.fold, line.units
    hits = line.hits

    if u > 150:
        # a long paragraph: only whole-line boilerplate can make it junk
        if len(hits.get("spam", ())) >= 3:
            return "junk", "spam"
        if _DISCLAIMER_START_RX.match(fold) or len(hits.get("disclaimer", ())) >= 3:
            return "junk", "disclaimer"
        return "", ""

    if _PUNCT_ONLY_RE.match(text):
        return "junk", "ornament"
    if u <= 3 and _URL_ONLY_RE.match(text):
        return "junk", "bare url"

    # spam vocabulary
    spam = len(hits.get("spam", ())) + (1 if line.cjk and "av" in fold and _SPAM_AV_RE.search(fold) else 0)
    if spam >= 2:
        return "junk", "spam"

    short = u <= (30 if line.cjk else 14)
    sentence = line.sentence
    bare = line.bare if u <= 40 else ""

    # breadcrumbs
    if u <= 40 and vx["breadcrumb"] is not None and vx["breadcrumb"].search(fold, 0, 20):
        return "junk", "breadcrumb"
    if u <= 30 and not sentence and _BREADCRUMB_SEP_RE.search(bare):
        parts = [p for p in _BREADCRUMB_SEP_RE.split(bare) if p.strip()]
        seps = len(_BREADCRUMB_SEP_RE.findall(bare))
        if len(parts) >= 2 and all(units(p) <= 10 for p in parts):
            if (parts[0].strip() in _HOME_WORDS) or (seps >= 2 and len(parts) >= 3 and "/" not in bare):
                return "junk", "breadcrumb"

    # navigation menus: "首页 | 新闻中心 | 行业动态 | 联系我们"
    if u <= 40 and ("|" in text or "｜" in text or "·" in text):
        parts = [p for p in _MENU_SPLIT_RE.split(text) if p.strip()]
        if len(parts) >= 3 and all(units(p) <= 6 for p in parts):
            return "junk", "navigation menu"

    # UI widgets
    if u <= 8 and bare in UI_SET:
        return "junk", "ui"
    if u <= 10 and _UI_PREFIX_RX.match(fold):
        return "junk", "ui"
    if u <= 12 and _HOURS_RE.match(text):
        return "junk", "ui hours"

    # source / issuer lines (metadata, kept in header)
    if u <= 40 and _SOURCE_LINE_RE.match(fold):
        return "header", "source"
    if u <= 15 and _ISSUER_LINE_RE.match(text):
        return "header", "issuer"

    # disclaimers
    if _DISCLAIMER_START_RX.match(fold):
        return "junk", "disclaimer"
    dterms = len(hits.get("disclaimer", ()))
    if dterms >= 2 or (dterms == 1 and (u <= 25 or (u <= 80 and hits.get("disclaimer_weak")))):
        return "junk", "disclaimer"

    # adverts: phones, WeChat / QR, recruiting / leasing
    has_phone = line.phone
    contact = len(hits.get("contact", ()))
    offer = len(hits.get("offer", ()))
    if has_phone and (u <= 25 or contact or offer or dterms):
        return "junk", "advert phone"
    if u <= 40 and "advert_strong" in hits:
        return "junk", "advert"
    if contact and offer and u <= 60:
        return "junk", "advert"
    if contact >= 2 and u <= 40:
        return "junk", "advert"
    if u <= 20 and ("@" in text or "[" in text) and _EMAIL_RE.search(text):
        return "junk", "contact"
    if u <= 6 and contact and last_visible(text) in ":：":
        return "junk", "contact"

    if u <= 40 and _PREV_NEXT_RE.match(fold):
        return "junk", "ui previous/next"
    # a line made only of widget words ("分享 收藏 点赞 在看", "Print Email Share")
    if u <= 12 and " " in bare and _ui_phrases_only(bare):
        return "junk", "ui"

    # app promotions
    if u <= 30 and _may_be_app_promo(fold) and _APP_PROMO_RE.search(fold):
        return "junk", "app promotion"

    # tail markers (decided by position later)
    if u <= 8 and not sentence:
        m = _TAIL_RX.match(bare)
        if m and len(bare) - m.end() <= 24:
            return "marker", "related"

    # repost site bylines: a relative time ("9个月前", "3 hours ago")
    if u <= 30 and not sentence and _may_be_relative_time(fold) and _RELATIVE_TIME_RE.search(fold) and not find_dates(text):
        return "junk", "repost byline"

    # datelines: a full date and little else
    if u <= 40 and _YEARISH_RE.search(text) and find_dates(text):
        rest = _META_WORDS_RE.sub(" ", strip_dates(fold))
        if units(rest) <= 10 or _SOURCE_LINE_RE.search(rest.strip()) or (
            units(rest) <= 20 and _ROLES_RX.search(rest)
        ):
            return "header", "dateline"

    # bylines
    if u <= 30 and _AGENCY_DATELINE_RE.search(fold):
        return "header", "dateline"
    if short and not ends_sentence(text.rstrip("】]）)")):
        if line.cjk or CJK_RE.search(text):
            if _BYLINE_CN_START_RE.match(fold) or _BYLINE_CN_NAME_RE.match(fold):
                return "header", "byline"
            if u <= 25 and len(hits.get("roles", ())) >= 2:
                return "header", "byline"
        if u <= 12 and not text.rstrip().endswith(".") and (
                _BYLINE_EN_RE.match(text) or _BYLINE_EN_OUTLET_RE.match(text.strip())):
            return "header", "byline"
    if u <= 20 and _BYLINE_CN_START_RE.match(fold) and fold.lstrip("【[（(〔 ").startswith(("责任编辑", "责编")):
        return "header", "byline"
    if u <= 14 and _CREDIT_RE.match(fold):
        return "header", "credit"
    if sig_rx is not None and u <= 14 and sig_rx.search(fold):
        return "header", "credit"
    return "", ""


_WRAP_WIDTH = 120


def _unwrap_blocks(lines: list[str]) -> list[str]:
    """Blank-line separated blocks of hard-wrapped English text (a paragraph broken
    into lines of similar width, the breaks mostly followed by a lower-case word)
    joined back into one line each.  Other blocks are left alone."""
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if len(block) >= 2 and _is_wrapped(block):
            out.append(" ".join(block))
        else:
            out.extend(block)
        block.clear()

    for line in lines:
        if line:
            block.append(line)
        else:
            flush()
            out.append("")
    flush()
    return out


def _is_wrapped(block: list[str]) -> bool:
    widest = max(len(l) for l in block)
    if widest > _WRAP_WIDTH or widest < 40 or CJK_RE.search(block[0]):
        return False
    if any(len(l) < 0.7 * widest for l in block[:-1]):
        return False
    lower_starts = sum(1 for l in block[1:] if l[:1].islower() or l[:1] in "(\"'“‘")
    return lower_starts * 2 >= len(block) - 1


def clean_text(
    text: str,
    *,
    credit_signatures: Sequence[str] = (),
    hint_title: str | None = None,
) -> Cleaned:
    raw_lines = normalise_lines(text.replace("\r\n", "\n").replace("\r", "\n"))
    if "" in raw_lines:
        raw_lines = _unwrap_blocks(raw_lines)
    raw_lines = [l for l in raw_lines if l]
    raw_lines, credits = _cut_credits(raw_lines, credit_signatures)
    raw_lines = [l for l in raw_lines if l]
    if not raw_lines:
        return Cleaned(title=strip_site_suffix(hint_title or ""), header=list(credits))

    fold_lines, converted = _fold_lines(raw_lines)
    lines: list[_Line] = []
    cjk_total = latin_total = 0
    for i, (t, ts) in enumerate(zip(raw_lines, fold_lines)):
        u, c, w = _measure(t)
        cjk_total += c
        latin_total += w
        lines.append(_Line(i, t, ts, u, c > 0 and c >= w))
    # script counts of the whole text (the per-line counts are only needed, and
    # computed, in opposite_script)
    total_trad, total_simp = script_counts("\n".join(raw_lines)) if cjk_total else (0, 0)
    article_cjk = cjk_total > 0 and cjk_total >= latin_total
    article_trad = total_trad > total_simp
    trad_re, simp_re = script_res() if cjk_total else (None, None)

    sig_rx = _signatures(tuple(credit_signatures))[1]

    vx = _scan_lines(lines)
    for ln in lines:
        ln.kind, ln.reason = _classify(ln, sig_rx, vx)

    def opposite_script(ln: _Line) -> bool:
        """A line in the other script: in a traditional article, >= 2 simplified-only
        characters and no traditional-only one (and the other way round, >= 3)."""
        if not article_cjk or not ln.cjk:
            return False
        if article_trad:
            if total_trad < 10 or trad_re.search(ln.text):
                return False
            return len(simp_re.findall(ln.text)) >= 2
        if total_simp < 10 or simp_re.search(ln.text):
            return False
        return len(trad_re.findall(ln.text)) >= 3

    def other_language(ln: _Line) -> bool:
        return ln.units >= 4 and ln.cjk != article_cjk

    def comma_run(ln: _Line) -> bool:
        if ends_sentence(ln.text):
            return False
        parts = [p for p in _COMMA_SPLIT_RE.split(ln.text) if p.strip()]
        return len(parts) >= 4 and all(units(p) <= 12 for p in parts)

    # Spam in the other script / a comma-run of phrases in the other script.
    for ln in lines:
        if ln.kind:
            continue
        if opposite_script(ln) and (comma_run(ln) or not _is_paragraph_shaped(ln)):
            ln.kind, ln.reason = "junk", "spam (other script)"

    # ---- where does the body start?  First paragraph-shaped line still unclassified.
    def body_start() -> int:
        for ln in lines:
            if not ln.kind and _is_paragraph_shaped(ln):
                return ln.idx
        return len(lines)

    start = body_start()

    # ---- title
    title, title_line_idx, title_raw = _find_title(lines, start, hint_title)
    title_key = _text_key(title) if title else ""
    header_extra: dict[int, str] = {}
    if title_key:
        for ln in lines:
            if ln.kind in ("junk", "header"):
                continue
            if len(ln.wkey) < len(title_key) or len(ln.wkey) > 2 * len(title_key) + 40:
                continue
            if ln.key == title_key or (
                ln.idx < max(start, 1) + 3 and len(title_key) >= 6 and ln.key.startswith(title_key)
                and len(ln.key) - len(title_key) <= 30 and not _is_paragraph_shaped(ln)
            ):
                if ln.idx == title_line_idx:
                    ln.kind, ln.reason = "title", "title"
                    if title_raw and _text_key(title_raw) != title_key:
                        header_extra[ln.idx] = title_raw
                else:
                    ln.kind, ln.reason = "junk", "repeated title"
    start = body_start()

    # ---- lines before the body: above the title, spam, other language, short navigation
    for ln in lines:
        if ln.idx >= start or ln.kind:
            continue
        if title_line_idx is not None and ln.idx < title_line_idx:
            ln.kind, ln.reason = "junk", "navigation (above the title)"
        elif opposite_script(ln) or other_language(ln) or comma_run(ln):
            ln.kind, ln.reason = "junk", "spam (before title)" if ln.idx < (title_line_idx or 0) else "navigation"
        elif start < len(lines) and (ln.units <= 6 or (not ln.cjk and ln.units <= 8 and not ends_sentence(ln.text))):
            # (only when a body was found: a brief made of short lines keeps them)
            ln.kind, ln.reason = "junk", "navigation"

    # ---- the tail: from a "related articles" marker after the body started
    has_body_before = False
    cut_from = None
    for ln in lines:
        if ln.kind == "marker":
            if has_body_before:
                cut_from = ln.idx
                break
            ln.kind, ln.reason = "junk", "navigation"
        elif not ln.kind and _is_paragraph_shaped(ln):
            has_body_before = True
    if cut_from is not None:
        for ln in lines[cut_from:]:
            if ln.kind != "header" or ln.reason not in ("source",):
                ln.kind, ln.reason = "junk", "related-articles tail"
    for ln in lines:
        if ln.kind == "marker":
            ln.kind, ln.reason = "junk", "navigation"

    # ---- adverts come in blocks: a line between two advert lines is advert too
    body_like = [ln for ln in lines if ln.kind in ("", "junk")]
    for a, b, c in zip(body_like, body_like[1:], body_like[2:]):
        if not b.kind and a.reason.startswith("advert") and c.reason.startswith(("advert", "disclaimer")):
            if b.units <= 80:
                b.kind, b.reason = "junk", "advert"

    # ---- repeated short lines (app promotions, widgets printed twice)
    counts: dict[str, int] = {}
    for ln in lines:
        if ln.wkey:
            counts[ln.wkey] = counts.get(ln.wkey, 0) + 1
    for ln in lines:
        if not ln.kind and ln.units <= 30 and counts.get(ln.wkey, 0) >= 2 and not _is_paragraph_shaped(ln):
            ln.kind, ln.reason = "junk", "repeated line"

    # ---- trailing run of headline-shaped lines (unlabelled related-articles lists)
    kept = [ln for ln in lines if not ln.kind]
    run: list[_Line] = []
    for ln in reversed(kept):
        if _is_headline_shaped(ln) or _is_teaser(ln):
            run.append(ln)
        else:
            break
    if len(run) == 1 and run[0].units > (15 if run[0].cjk else 6) and not _is_teaser(run[0]):
        run = []  # one line: a subheading or a cut-off paragraph as likely as a stray link
    if run and len(run) < len(kept):
        for ln in run:
            ln.kind, ln.reason = "junk", "headline list tail"

    # ---- duplicates and standfirsts among the remaining paragraphs
    kept = [ln for ln in lines if not ln.kind]
    seen: set[str] = set()
    for ln in kept:
        if not ln.wkey:
            continue
        if ln.wkey in seen:
            ln.kind, ln.reason = "junk", "duplicate paragraph"
        else:
            seen.add(ln.wkey)
    kept = [ln for ln in lines if not ln.kind]
    for i, ln in enumerate(kept):
        n = len(ln.wkey)
        if n < 20:
            continue
        slack = n // 20 + 6  # punctuation / spacing differences ("Shanghai.At" vs "Shanghai. At")
        teaser = _is_teaser(ln)
        # a standfirst: the next 2-5 paragraphs run together (or a cut-off teaser of them)
        total, group = 0, []
        for nxt in kept[i + 1 : i + 6]:
            total += len(nxt.wkey)
            group.append(nxt)
            if total + slack >= n:
                break
        if len(group) >= (1 if teaser else 2) and (abs(total - n) <= slack or (teaser and total >= n - slack)):
            joined = "".join(g.key for g in group)
            k = ln.key
            if joined == k or (teaser and len(k) > 20 and joined.startswith(k[: len(k) - 1])):
                ln.kind, ln.reason = "junk", "standfirst"
                continue
        # or a summary printed after them: the previous 2-5 paragraphs run together
        total, group = 0, []
        for prev in reversed(kept[max(0, i - 5) : i]):
            if prev.kind:
                break
            total += len(prev.wkey)
            group.insert(0, prev)
            if total + slack >= n:
                break
        if len(group) >= 2 and abs(total - n) <= slack and "".join(g.key for g in group) == ln.key:
            ln.kind, ln.reason = "junk", "standfirst"

    header: list[str] = []
    paragraphs: list[str] = []
    removed: list[str] = []
    folds: dict[str, str] = {}
    for ln in lines:
        if ln.idx in header_extra:
            header.append(header_extra[ln.idx])
        if ln.kind == "header":
            header.append(ln.text)
        elif ln.kind == "junk":
            removed.append(ln.text)
        elif ln.kind == "title":
            pass
        else:
            paragraphs.append(ln.text)
            folds[ln.text] = ln.fold
    header.extend(c for c in credits if c not in header)

    if not title:
        title = _fallback_title(paragraphs)
    return Cleaned(
        title=title, header=header, paragraphs=paragraphs, removed=removed, folds=folds,
        folds_converted=converted,
    )


def _find_title(lines: list[_Line], start: int, hint_title: str | None) -> tuple[str, int | None, str | None]:
    """(title, index of the line that holds it or None, that line's raw text)."""
    if hint_title and hint_title.strip():
        title = strip_site_suffix(hint_title)
        tk = _text_key(title)
        hk = _text_key(hint_title)
        # the page prints the title as a line: prefer that line (no site suffix)
        for ln in lines[: max(start, 1) + 3]:
            if ln.kind in ("junk", "header") or len(ln.wkey) > 2 * len(hk) + 40:
                continue
            if ln.key and (ln.key == tk or ln.key == hk):
                return title, ln.idx, ln.text
            if ln.key and len(ln.key) >= 6 and hk.startswith(ln.key) and len(ln.key) >= 0.6 * len(tk):
                return ln.text, ln.idx, ln.text
        return title, None, None

    region = [ln for ln in lines[: max(start, 1) + 2][:40]
              if not ln.kind and _is_title_shaped(ln) and not _menu_like(ln.text)]
    # 1. a line printed twice (a page prints its title in the header and above the article)
    later_keys: dict[str, list[_Line]] = {}
    for ln in lines:
        if ln.kind in ("junk", "header") or ln.units > 80 or not ln.key:
            continue
        later_keys.setdefault(ln.key, []).append(ln)
    for ln in region:
        if ln.units < (5 if ln.cjk else 4):
            continue
        copies = later_keys.get(ln.key, [])
        # printed twice near the top; a label repeated all over the page is not a title
        if 2 <= len(copies) <= 3 and all(c.idx <= start + 1 for c in copies):
            best = max(copies, key=lambda c: (len(c.text), -c.idx))
            return strip_site_suffix(best.text), ln.idx, ln.text
        # 'Title - Site' followed later by 'Title'
        for other in region:
            if other is not ln and len(other.key) >= 8 and ln.key.startswith(other.key) and ln.key != other.key:
                return strip_site_suffix(other.text), ln.idx, ln.text
    # 2. the headline: of the title-shaped lines before the body, the one that shares
    #    most words with the lead (taglines and menus share none); ties go to the line
    #    closest to the body
    cands = [
        ln for ln in lines[: start if start < len(lines) else min(len(lines), 40)]
        if not ln.kind and _is_title_shaped(ln) and ln.units >= (5 if ln.cjk else 4) and not _menu_like(ln.text)
    ]
    if cands:
        lead_lines = [ln for ln in lines[start:] if not ln.kind][:2]
        lead = _tokens(" ".join(ln.fold for ln in lead_lines))
        best, best_score = None, 0.0
        for ln in cands:
            toks = _tokens(ln.fold)
            score = len(toks & lead) / len(toks) if toks else 0.0
            if score >= best_score and score > 0:
                best, best_score = ln, score
        if best is not None and best_score >= 0.25:
            return strip_site_suffix(best.text), best.idx, best.text
        # no overlap to go by: the first line of the last group of candidates
        # (navigation comes earlier, separated from the headline by short menu lines)
        groups: list[list[_Line]] = []
        current: list[_Line] = []
        cand_ids = {ln.idx for ln in cands}
        for ln in lines[: cands[-1].idx + 1]:
            if ln.kind in ("junk", "header", "marker"):
                continue
            if ln.idx in cand_ids:
                current.append(ln)
            elif current:
                groups.append(current)
                current = []
        if current:
            groups.append(current)
        ln = groups[-1][0]
        return strip_site_suffix(ln.text), ln.idx, ln.text
    # 3. any title-shaped line before the body
    for ln in region:
        if ln.idx < start or start == len(lines):
            return strip_site_suffix(ln.text), ln.idx, ln.text
    return "", None, None


_STOPWORDS = frozenset(
    "the a an and or of to in on at for with by from as is are was were be been it its this that these "
    "those into over after before about new our your their his her has have had will would can could "
    "than then more most also not no but".split()
)
_TOKEN_RE = re.compile(r"[a-z0-9]{3,}|[\u3400-\u9fff]{2,}")


def _tokens(folded: str) -> set[str]:
    """Content tokens for overlap: Latin words (3+ letters, no stop words) and CJK bigrams."""
    out: set[str] = set()
    for m in _TOKEN_RE.finditer(folded):
        t = m.group(0)
        if t[0].isascii():
            if t not in _STOPWORDS:
                out.add(t)
        else:
            out.update(t[i : i + 2] for i in range(len(t) - 1))
    return out


def _fallback_title(paragraphs: Sequence[str]) -> str:
    if not paragraphs:
        return ""
    first = paragraphs[0]
    m = re.search(r"[。！？!?]|\.(?=\s|$)", first)
    sent = first[: m.end()] if m else first
    if len(sent) > 120:
        sent = sent[:117].rstrip() + "…"
    return sent.rstrip("。.")
