"""Facts from a cleaned article: publication date, the year it is about, and
the outlet that published it.  Plain functions on plain values (no Django)."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence
from urllib.parse import urlsplit

from .clean import _ISSUER_LINE_RE, Cleaned, strip_site_suffix
from .textutil import CJK_RE, find_dates, literal_alternation, normalise_line, opencc, units

__all__ = [
    "extract_date",
    "extract_year",
    "SourceSpec",
    "SourceMatch",
    "find_source",
    "MAX_FUTURE_DAYS",
    "MIN_DATE",
]

MIN_DATE = datetime.date(1990, 1, 1)
MAX_FUTURE_DAYS = 2  # a dateline may be a day ahead of our clock (time zones), not more


def _fold(text: str) -> str:
    if CJK_RE.search(text):
        text = opencc("t2s").convert(text)
    return normalise_line(text).casefold()


def _fold_lines_joined(cleaned: Cleaned, head: str | None, lines: Sequence[str]) -> str:
    """``_fold("\n".join([head, *lines]))`` (``head`` None: no head), from the folds
    clean_text stored for the paragraphs when it can: t2s never joins characters
    across a newline, and white space collapses to the spaces that join the parts.
    clean_text converted its whole text when it held CJK; the stored folds serve
    when that agrees with whether these lines hold CJK."""
    parts = list(lines) if head is None else [head, *lines]
    folds = cleaned.folds
    if folds and all(p in folds for p in lines):
        has_cjk = any(CJK_RE.search(p) for p in parts)
        if has_cjk == cleaned.folds_converted:
            out = []
            if head is not None:
                h = opencc("t2s").convert(head) if has_cjk else head
                h = normalise_line(h).casefold()
                if h:
                    out.append(h)
            out.extend(f for f in (folds[p] for p in lines) if f)
            return " ".join(out)
    return _fold("\n".join(parts))


def _plausible(d: datetime.date | None, today: datetime.date | None = None) -> bool:
    if d is None:
        return False
    today = today or datetime.date.today()
    return MIN_DATE <= d <= today + datetime.timedelta(days=MAX_FUTURE_DAYS)


# A dateline at the head of the first paragraph: "SHANGHAI, Nov. 14, 2022 /PRNewswire/ —",
# "BEIJING, Oct. 7, 2023 -", "新华社北京2023年10月7日电", "本报讯 2023年10月7日，".
_DATELINE_AFTER_RE = re.compile(r"^\s*(?:/[^/\n]{2,40}/|[-–—(（]|电|讯|,?\s*\(?[A-Z][A-Za-z]+\)?\s*[-–—])")
_DATELINE_BEFORE_RE = re.compile(
    r"^(?:[A-Z][A-Za-z.'\- ]{1,40}(?:,\s*[A-Z][A-Za-z.'\- ]{1,40}){0,2},?\s*"
    r"|[\u4e00-\u9fff]{0,12}(?:讯|电|报道)?\s*[(（]?\s*)$"
)


def _dateline_date(paragraph: str) -> datetime.date | None:
    head = paragraph[:120]
    for d, s, e in find_dates(head):
        if s > 70:
            break
        if _DATELINE_BEFORE_RE.match(head[:s]) and (_DATELINE_AFTER_RE.match(head[e:]) or s == 0):
            return d
    return None


# A portal's clock widget ("今天是2024年2月15日 星期四", "Today is Thursday,
# February 15, 2024") shows the day the page was scraped, not published.
_CLOCK_LINE_RE = re.compile(r"^\s*(?:今天是|今日是|今天|今日|当前时间|现在时间|當前時間|現在時間|today\s+is\b)", re.IGNORECASE)


def extract_date(cleaned: Cleaned, *, html_date: str | None = None) -> datetime.date | None:
    """Publication date as printed in the article's own dateline / header."""
    today = datetime.date.today()
    for line in cleaned.header:
        if _CLOCK_LINE_RE.match(line):
            continue
        for d, _s, _e in find_dates(line):
            if _plausible(d, today):
                return d
    for d, _s, _e in find_dates(cleaned.title or ""):
        if _plausible(d, today):
            return d
    for para in cleaned.paragraphs[:1]:
        d = _dateline_date(para)
        if _plausible(d, today):
            return d
    if html_date:
        m = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", str(html_date))
        if m:
            try:
                d = datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                d = None
            if _plausible(d, today):
                return d
    return None


# ---------------------------------------------------------------------------
# Year the article is about

_YEAR_RE = re.compile(
    r"(?<![\d.,/:$¥￥#-])((?:19[89]|20[0-9])\d)(?![\d%亿万千百余多个家名位项场米元人次届倍])(?!\s*(?:亿|万|多|余|家|名))"
)
_EVENT_WORDS_RE = re.compile(
    r"\b(?:conference|conferences|forum|forums|week|summit|summits|expo|exposition|exhibition|congress|"
    r"symposium|fair|festival|convention|meeting|meetings|awards|competition|challenge|show|"
    r"roadshow|salon|biennale|olympiad|games)\b"
    r"|大会|论坛|峰会|博览会|展览会|交易会|洽谈会|推介会|研讨会|年会|会议|大赛|周(?!年|期|边|末|岁|刊)|节(?!点|约|省)"
)
_SENT_BREAK_RE = re.compile(r"[.。;；!?！？]\s")


def _year_ok(y: int) -> bool:
    return 1980 <= y <= datetime.date.today().year + 6


def _years_adjacent(text: str, name: str) -> int | None:
    """A year printed right before or right after an occurrence of ``name`` in
    ``text`` (both folded): '2023 Shanghai … Week', '…Week Shanghai 2022',
    '2023·第六届…峰会', '2023杭州…论坛'."""
    if not name:
        return None
    start = 0
    while True:
        i = text.find(name, start)
        if i < 0:
            return None
        before = text[max(0, i - 24):i]
        m = re.search(
            r"((?:19|20)\d\d)(?:\s*年)?(?:\s*[·•]?\s*(?:第\s*[\d一二三四五六七八九十]+\s*届|"
            r"(?:the\s+)?\d+(?:st|nd|rd|th)\s+))?[\s·•\-–—:：“\"'‘(（]*(?:the\s+|annual\s+)?$",
            before,
        )
        if m and _year_ok(int(m.group(1))):
            return int(m.group(1))
        after = text[i + len(name): i + len(name) + 24]
        m = re.match(r"^[\s,·•\-–—(（]*(?:[^\s\d,.;:。，；：、]{1,12}\s+)?((?:19|20)\d\d)(?!\d)", after)
        if m and _year_ok(int(m.group(1))):
            return int(m.group(1))
        start = i + 1


def _first_year(text: str) -> int | None:
    for m in _YEAR_RE.finditer(text):
        y = int(m.group(1))
        if _year_ok(y):
            return y
    return None


def _year_with_event_word(text: str) -> int | None:
    for m in _YEAR_RE.finditer(text):
        y = int(m.group(1))
        if not _year_ok(y):
            continue
        window = text[m.end(): m.end() + 80]
        brk = _SENT_BREAK_RE.search(window)
        if brk:
            window = window[: brk.start()]
        ev = _EVENT_WORDS_RE.search(window)
        if not ev:
            continue
        between = window[: ev.start()]
        words = len(re.findall(r"[a-z]+", between))
        cjk = len(CJK_RE.findall(between))
        if words <= 7 and cjk <= 20 and not re.search(r"[,，、]", between):
            return y
    return None


def extract_year(
    *,
    title: str,
    paragraphs: Sequence[str],
    date: datetime.date | None,
    event_names: Sequence[str] = (),
) -> int | None:
    """The year the article is about (see CONTRACTS.md)."""
    ftitle = _fold(title or "")
    flead = _fold(" \n ".join(paragraphs[:2]))
    names = sorted({_fold(n) for n in event_names if n and n.strip()}, key=len, reverse=True)
    for text in (ftitle, flead):
        for name in names:
            y = _years_adjacent(text, name)
            if y:
                return y
    # A year the title names with an event ("2023 Suzhou … Expo"), or one not
    # after the publication ("Drug sales in 2021 rose"); a later one is a
    # target ("目标2026年规模达…", "by 2030"), not what the article is about.
    y = _year_with_event_word(ftitle)
    if y:
        return y
    y = _first_year(ftitle)
    if y and (date is None or y <= date.year):
        return y
    if date is not None:
        return date.year
    return _year_with_event_word(flead)


# ---------------------------------------------------------------------------
# Source (outlet)


@dataclass(frozen=True)
class SourceSpec:
    slug: str
    names: tuple[str, ...]
    domains: tuple[str, ...] = ()
    signatures: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceMatch:
    slug: str | None  # None: an outlet not in the gazetteer; ``name`` is what the page calls it
    name: str
    evidence: str


# Values of a 来源/Source line that name no outlet.
GENERIC_SOURCE_VALUES: tuple[str, ...] = (
    "网络", "互联网", "网络整理", "综合", "综合整理", "网友投稿", "投稿", "本站", "本网", "原创", "网友",
    "转载", "未知", "自媒体", "企业供稿", "供稿", "internet", "the internet", "web", "online",
    "agencies", "various", "staff", "unknown", "press release", "company", "wire",
    # a site's section, not an outlet (what a <title> suffix often holds)
    "news", "news center", "news centre", "newsroom", "home", "homepage", "新闻", "新闻中心", "资讯", "资讯中心",
    "首页", "新聞", "新聞中心", "資訊", "首頁",
)
_SOURCE_VALUE_CUT_RE = re.compile(
    r"\s{2,}|\s[|｜/]\s|[|｜]|\s(?=(?:作者|编辑|记者|责任编辑|发布时间|时间|日期|浏览|阅读|点击|字体|author|by|date|"
    r"published|updated)\b)|(?:作者|编辑|记者|责任编辑|发布时间|时间|日期|浏览|阅读|点击|字体)\s*[:：]"
    r"|\s[\d,]+\s*(?:reads?|views?|clicks?|hits)\b",  # a view counter printed after the source
    re.IGNORECASE,
)
_WIRE_TAG_AFTER_DATE_RE = re.compile(r"^\s*/\s*([^/\s][^/\n]{1,38}?)\s*/")


def _wire_tag(paragraph: str) -> str | None:
    """'PRNewswire' in 'SHANGHAI, Nov. 14, 2022 /PRNewswire/ -- ...': a tag between
    slashes right after the dateline's date at the head of the first paragraph."""
    head = paragraph[:160]
    for _d, s, e in find_dates(head):
        if s > 80:
            break
        m = _WIRE_TAG_AFTER_DATE_RE.match(head[e:])
        if m and len(m.group(1).split()) <= 4:
            return m.group(1).strip()
    return None
_DOMAIN_IN_TEXT_RE = re.compile(r"\b(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})\b", re.IGNORECASE)


def _compact(s: str) -> str:
    return re.sub(r"[\s.\-_'&]+", "", s)


class _Index:
    def __init__(self, sources: tuple[SourceSpec, ...]):
        self.sources = sources
        self.by_domain: list[tuple[str, SourceSpec]] = []
        names: dict[str, SourceSpec] = {}
        compact: dict[str, SourceSpec] = {}
        sigs: dict[str, SourceSpec] = {}
        for spec in sources:
            for d in spec.domains:
                d = d.strip().lower().removeprefix("www.").strip("/")
                if d:
                    self.by_domain.append((d, spec))
            for n in spec.names:
                fn = _fold(n)
                if fn:
                    names.setdefault(fn, spec)
                    if not CJK_RE.search(fn) and " " in fn:
                        compact.setdefault(_compact(fn), spec)
            for s in spec.signatures:
                fs = _fold(s)
                if fs:
                    sigs.setdefault(fs, spec)
        self.names = names
        self.compact = compact
        self.sigs = sigs
        self.name_rx = self._rx(names, min_latin=2)
        self.name_rx_body = self._rx(names, min_latin=4)
        self.compact_rx = self._rx(compact, min_latin=6)
        self.sig_rx = self._rx(sigs, min_latin=3)

    @staticmethod
    def _rx(table: dict[str, SourceSpec], *, min_latin: int):
        """(regex of the CJK terms, regex of the Latin terms): plain alternations,
        longest first; word boundaries of Latin terms are checked on each match
        (look-arounds in the pattern would cost a regex start at every position)."""
        cjk, latin = [], []
        for n in table:
            if CJK_RE.search(n):
                if len(n) >= 2:
                    cjk.append(n)
            elif len(n) >= min_latin:
                latin.append(n)
        # (trie-shaped alternations: the same matches as the longest-first lists, found faster)
        return (
            re.compile(literal_alternation(cjk)) if cjk else None,
            re.compile(literal_alternation(latin)) if latin else None,
        )

    @staticmethod
    def _first(rxs, text: str) -> tuple[int, str] | None:
        best = None
        cjk_rx, latin_rx = rxs
        if cjk_rx is not None and not text.isascii():
            m = cjk_rx.search(text)
            if m:
                best = (m.start(), m.group(0))
        if latin_rx is not None:
            n = len(text)
            for m in latin_rx.finditer(text, 0, best[0] + 40 if best else n):
                s, e = m.span()
                if best is not None and s >= best[0]:
                    break
                before = text[s - 1] if s else " "
                after = text[e] if e < n else " "
                g = m.group(0)
                if (g[0].isalnum() and before.isascii() and before.isalnum()) or (
                    g[-1].isalnum() and after.isascii() and after.isalnum()
                ):
                    continue
                best = (s, g)
                break
        return best

    def _lookup(self, matched: str) -> SourceSpec | None:
        return self.names.get(matched) or self.compact.get(matched) or self.sigs.get(matched)

    def find_name(self, folded: str, *, body: bool = False, compact: bool = False) -> tuple[SourceSpec, str] | None:
        best = self._first(self.name_rx_body if body else self.name_rx, folded)
        if compact:
            other = self._first(self.compact_rx, folded)
            if other and (best is None or other[0] < best[0]):
                best = other
        if best is None:
            return None
        spec = self._lookup(best[1])
        return (spec, best[1]) if spec else None

    def find_sig(self, folded: str) -> tuple[SourceSpec, str] | None:
        best = self._first(self.sig_rx, folded)
        return (self.sigs[best[1]], best[1]) if best else None

    def find_domain(self, host: str) -> SourceSpec | None:
        host = host.lower().removeprefix("www.")
        for d, spec in self.by_domain:
            if host == d or host.endswith("." + d):
                return spec
        return None

    def find_domain_in(self, folded: str) -> tuple[SourceSpec, str] | None:
        """The first known outlet's domain written in the text ("www.outlet.example/…")."""
        for m in _DOMAIN_IN_TEXT_RE.finditer(folded):
            spec = self.find_domain(m.group(1))
            if spec:
                return spec, m.group(1)
        return None


@lru_cache(maxsize=16)
def _index_for(sources: tuple[SourceSpec, ...]) -> _Index:
    return _Index(sources)


_LAST_INDEX: list = [None, None]  # [the sources object last seen, its index]


def _index(sources: Sequence[SourceSpec]) -> _Index:
    """The match index for a source list; the importer passes the same tuple for
    every article, so the identity check skips hashing 40+ specs each time."""
    if _LAST_INDEX[0] is sources:
        return _LAST_INDEX[1]
    idx = _index_for(tuple(sources))
    if isinstance(sources, tuple):
        _LAST_INDEX[:] = [sources, idx]
    return idx


def _display(spec: SourceSpec) -> str:
    return spec.names[0] if spec.names else spec.slug


def _match(spec: SourceSpec, evidence: str) -> SourceMatch:
    return SourceMatch(slug=spec.slug, name=_display(spec), evidence=evidence)


_SOURCE_LABEL_ANY_RE = re.compile(
    r"(?:^|(?<=[\s【\[（(|｜]))(?:转载请注明出处|请注明出处|本文来源|本文来自|文章来源|新闻来源|信息来源|原文来源|内容来源|资料来源|消息来源|来源|稿源|原文出处|"
    r"出处|转自|转载自|"
    r"source|sources)\s*[:：]\s*"
    r"|(?:^|(?<=\s))(?:originally|first)\s+published\s+(?:by|in)\s+",
    re.IGNORECASE,
)


def _source_line_value(line: str) -> str:
    """The value of a 来源/Source label in a header line ('' when there is none)."""
    line = normalise_line(line)
    folded = _fold(line)
    m = _SOURCE_LABEL_ANY_RE.search(folded)
    if not m:
        return ""
    # t2s + casefold keep the length for these texts; fall back to the folded text otherwise
    value = line[m.end():] if len(folded) == len(line) else folded[m.end():]
    cut = _SOURCE_VALUE_CUT_RE.search(value)
    if cut:
        value = value[: cut.start()]
    value = re.sub(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}.*$", "", value)
    value = value.strip(" 【】[]()（）<>《》\"'“”:：,，;；-–—")
    if CJK_RE.search(value[:1] or "") and " " in value:
        value = value.split(" ", 1)[0]  # a Chinese outlet name is one token: '澎湃新闻 分享到'
    return value


_CREDIT_LABEL_RE = re.compile(
    r"^(?:(?:from|credits?|via|courtesy|本文来自|来自|稿件来源)\s*[:：]|(?:courtesy\s+of|via)\b[:：]?)\s*",
    re.IGNORECASE)
_BYLINE_WORD_RE = re.compile(r"\b(?:reporters?|correspondents?|staff\s+writers?)\b|记者|通讯员", re.IGNORECASE)


_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def _credit_value(line: str) -> str:
    """The value of a line that starts with a credit label ("From: X", "Via X")."""
    line = normalise_line(line)
    m = _CREDIT_LABEL_RE.match(line)
    return line[m.end():].strip(" 【】[]()（）<>《》\"'“”:：") if m else ""


def _attribution_value(line: str) -> str:
    """The outlet part of a short credit or byline line ('' for anything else)."""
    line = normalise_line(line)
    if not line or units(_URL_RE.sub(" ", line)) > 16:
        return ""
    value = _source_line_value(line) or _credit_value(line)
    if value:
        return value
    if _BYLINE_WORD_RE.search(line):
        return line
    return ""


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        return (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
    except ValueError:
        return ""


_TAG_RE = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)


def _article_part_of_raw(raw: str, cleaned: Cleaned) -> str:
    """The raw text up to the end of the article's last paragraph: the junk
    after it (related articles, the repost site's footer) is left out.  HTML is
    reduced to its text first.  '' when the article cannot be located."""
    if not raw or not cleaned.paragraphs:
        return ""
    if "<" in raw and ">" in raw:
        import html as _html

        raw = _html.unescape(_TAG_RE.sub(" ", raw))
    raw = " ".join(raw.split())
    last = " ".join(cleaned.paragraphs[-1].split())
    for probe in (last[:60], last[:20]):
        pos = raw.find(probe) if probe else -1
        if pos >= 0:
            return raw[: pos + len(last)]
    return ""


def find_source(
    cleaned: Cleaned,
    *,
    raw_text: str,
    sources: Sequence[SourceSpec],
    url: str | None = None,
    sitename: str | None = None,
) -> SourceMatch | None:
    """The outlet that published the article (see module doc / CONTRACTS.md)."""
    idx = _index(sources)
    unknown: SourceMatch | None = None

    # 1. the page's own address / site name
    host = _host(url)
    if host:
        spec = idx.find_domain(host)
        if spec:
            return _match(spec, f"url {host}")
    if sitename and sitename.strip():
        fs = _fold(sitename)
        spec = idx.find_domain(fs) if "." in fs and " " not in fs else None
        found = spec and (spec, fs) or idx.find_name(fs, compact=True)
        if found:
            return _match(found[0], f"site name {sitename.strip()}")

    # 2. a 来源 / Source: line in the header
    source_line: SourceMatch | None = None
    for line in cleaned.header:
        if _ISSUER_LINE_RE.match(line):
            continue  # press release issuer, not the outlet
        value = _source_line_value(line) or _credit_value(line)
        if not value:
            continue
        fv = _fold(value)
        if fv in GENERIC_SOURCE_VALUES or len(fv) < 2:
            continue
        found = idx.find_name(fv, compact=True) or idx.find_sig(fv) or idx.find_domain_in(fv)
        if found:
            return _match(found[0], f"source line: {line}")
        source_line = SourceMatch(slug=None, name=value, evidence=f"source line: {line}")
        break

    # 3. a wire dateline tag ("SHANGHAI, Nov. 14, 2022 /PRNewswire/ --") in the first paragraph:
    #    the wire is the outlet; a "Source:" line of a press release names its issuer
    tag = _wire_tag(cleaned.paragraphs[0] if cleaned.paragraphs else "")
    if tag:
        ft = _fold(tag)
        found = idx.find_name(ft, compact=True) or idx.find_sig(ft) or idx.find_sig(_fold("/" + tag + "/"))
        if not found:
            for n, spec in list(idx.names.items()) + list(idx.compact.items()):
                if not CJK_RE.search(n) and _compact(n) == _compact(ft):
                    found = (spec, n)
                    break
        if found:
            return _match(found[0], f"wire dateline tag /{tag}/")
        unknown = SourceMatch(slug=None, name=tag, evidence=f"wire dateline tag /{tag}/")
    # a site-name suffix on the title line
    for line in cleaned.header:
        stripped = strip_site_suffix(line)
        if stripped != normalise_line(line) and normalise_line(line).startswith(stripped):
            suffix = normalise_line(line)[len(stripped):]
            found = idx.find_name(_fold(suffix), compact=True) or idx.find_sig(_fold(suffix))
            if found:
                return _match(found[0], f"title suffix {suffix.strip(' -–—|_')}")
    if source_line is not None and unknown is None:
        return source_line

    # 4. byline / credit signatures inside the article
    # (a press release's "SOURCE <issuer>" line names a company, not an outlet)
    fheader = _fold("\n".join(h for h in cleaned.header if not _ISSUER_LINE_RE.match(h)))
    farticle = _fold_lines_joined(cleaned, cleaned.title, cleaned.paragraphs)
    for text, where in ((fheader, "header"), (farticle, "article")):
        found = idx.find_sig(text)
        if found:
            return _match(found[0], f"signature '{found[1]}' in {where}")

    # 5. outlet names in the byline lines, then in the lead
    found = idx.find_name(fheader)
    if found:
        return _match(found[0], f"name '{found[1]}' in byline")
    flead = _fold_lines_joined(cleaned, None, cleaned.paragraphs[:2])
    found = idx.find_name(flead, body=True)
    if found:
        return _match(found[0], f"name '{found[1]}' in lead")
    found = idx.find_domain_in(flead)
    if found:
        return _match(found[0], f"domain {found[1]} in lead")

    # 5b. attribution lines the cleaner took out of the text ("From: X",
    #     "Credit: X", "X reporter Y"): short lines that are nothing but the
    #     attribution, naming an outlet the gazetteer knows (a related-articles
    #     list names other outlets, so no new source is made up from these)
    for line in cleaned.removed:
        value = _attribution_value(line)
        if value:
            fv = _fold(value)
            # (a domain: "转载请注明出处：https://www.outlet.example/…")
            found = idx.find_name(fv, compact=True) or idx.find_domain_in(fv)
            if found:
                return _match(found[0], f"attribution line: {normalise_line(line)}")

    # 6. signatures in the raw text, up to the end of the article (tails hold other sites' junk)
    raw = _article_part_of_raw(raw_text or "", cleaned)
    found = idx.find_sig(_fold(raw)) if raw else None
    if found:
        return _match(found[0], f"signature '{found[1]}' in raw text")

    if unknown is not None:
        return unknown
    if source_line is not None:
        return source_line
    if sitename and sitename.strip() and not re.fullmatch(r"[\w.-]+\.[a-z]{2,}", sitename.strip()) \
            and _fold(sitename.strip()) not in GENERIC_SOURCE_VALUES:
        return SourceMatch(slug=None, name=sitename.strip(), evidence="site name")
    if host:
        return SourceMatch(slug=None, name=host.removeprefix("www."), evidence=f"url {host}")
    return None
