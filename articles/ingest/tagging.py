"""Tag an article with the places, districts, events (and cities) it is *about*.

Plain values in and out (no Django imports).  The rule (CONTRACTS.md, "Tagging rule"):
an article is tagged with what it itself states: where it says its event is held, what
its title or lead names, what it reports on at length.  Something named in passing, or
in a list of other activities, is not a tag; an event's usual venue is not assumed.

The title and paragraphs are folded together (NFKC, OpenCC t2s, lower-case) and scanned
once for gazetteer names (``gazetteer.Matcher``).  Each mention is then read:

* title     -- a mention in the title is a tag (a title names what the article is about),
               unless it is part of an organisation's name ("Zhangjiang Group");
* lead      -- the first sentences of the body's first prose paragraphs (datelines,
               subheadings and teaser headlines left at the top are skipped): at least one
               sentence, more while fewer than LEAD_WEIGHT Latin-equivalent characters came
               before (a CJK character counts 3), at most LEAD_MAX_SENTENCES.  A mention
               there is a tag unless it sits in a list or names an organisation;
* held      -- "held at/in X", "took place in X", "opened ... in X", "X hosts", "在X举行/举办/
               召开/开幕", "X举办" (and an event that is the subject of held/opened/kicks off/
               举办/开幕/闭幕): a tag within the first HELD_PARAGRAPHS paragraphs and HELD_WEIGHT
               characters, where an article says where its event is; deeper it is an ordinary
               mention (often another event's venue);
* at length -- every other mention outside a list weighs 1; AT_LENGTH_WEIGHT (3) is a tag;
* list      -- no weight.  A mention is listed when its item (the text between separators
               、 ， , ; and or 和 及 与 以及 ...) is short (<= 4 units: a name, a word, two CJK
               characters) and sits in a run of short items -- the first item may be a long
               clause ending with the name, the last one a long clause starting with it --
               that has 2+ other gazetteer entities, or 3+ items of list shape (joined by 、,
               "A, B and C", or bare names), or is opened by "such as/including/包括/例如" or
               closed by "等/etc.".  Also listed: every mention in a list laid out one item per
               paragraph (bulleted or numbered short lines, or 3+ consecutive very short
               paragraphs with names), and a qualifier in parentheses ("Zhangjiang (Pudong)");
* not a mention at all: a person's name containing a place name ("said Lei Linping",
  "陈临平表示").

A name shared by several entities (an alias both Huangpu districts carry) is resolved by
the cities the article otherwise names; left ambiguous, it is dropped.  黄浦 and 黄埔 are
different strings and need no resolving.

Hierarchy: a place tags its district and city, a district its city, an event its city (the
city is part of what the event is; its venue is not assumed).  Decisions are made places and
events first, then districts, then cities, so that a district or city already implied needs
no look at its own mentions; ``Tags.reasons`` says why each tag is there.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Sequence

from articles.ingest.folding import CJK_CHAR_CLASS, Folded, fold_with_offsets
from articles.ingest.gazetteer import Entity, Gazetteer, Match

__all__ = ["Mention", "Tags", "tag_article", "LEAD_WEIGHT", "AT_LENGTH_WEIGHT"]

LEAD_WEIGHT = 250  # Latin-equivalent characters before a sentence for it to still be in the lead
LEAD_MAX_SENTENCES = 4
HELD_PARAGRAPHS = 3  # "held at X" in the first paragraphs ...
HELD_WEIGHT = 900  # ... and within this much text (Latin-equivalent characters) is where the article says
# its event is; deeper, it is more often another event's venue
AT_LENGTH_WEIGHT = 3
LIST_WINDOW = 160  # characters either side of a mention that the list detector looks at
_EMPTY_SET: frozenset = frozenset()
EVENT_IMPLIES_CITY = True


@dataclass(slots=True)
class Mention:
    entity: Entity
    paragraph: int  # -1 = title
    start: int  # offsets in the original (unfolded) paragraph / title
    end: int
    surface: str  # the original text
    in_lead: bool = False
    in_list: bool = False
    held: bool = False
    as_org: bool = False  # part of an organisation's name ("Zhangjiang Group", "…开发区管理委员会")
    # in_list / held / as_org are looked at only when the decision needed them (the entity was not
    # tagged by an earlier mention); examined says whether they were.
    examined: bool = False


@dataclass
class Tags:
    cities: list[str]
    districts: list[str]
    places: list[str]
    events: list[str]
    mentions: list[Mention]
    event_names: list[str]  # surfaces of the tagged events' mentions (title first), for year extraction
    reasons: dict[str, str] = field(default_factory=dict)  # "district:pudong" -> why (for curators, debugging)


# --------------------------------------------------------------------------------------------
# Sentences and the lead

_CJK = f"[{CJK_CHAR_CLASS}]"
_CJK_RE = re.compile(_CJK)
# Sentence ends: CJK/fullwidth stops always; "." when followed by a capital (checked on the original).
_STOP_RE = re.compile(r"[。！？!?]+[”」』\"')）]*|\.(?=[\"'“”‘’(]?\s*\w)|\.\s*$|\n+")


def _is_stop(folded, m) -> bool:
    """Is this ``_STOP_RE`` match a sentence end?  "Nov. 14", "Co., Ltd. and" are not; "Friday.The"
    and "Hall. At" are (a full stop ends a sentence when a capital follows, in the original)."""
    if not m.group().startswith("."):
        return True
    text = folded.text
    nxt = m.end()
    while nxt < len(text) and not text[nxt].isalnum():
        nxt += 1
    if nxt >= len(text):
        return True
    o = folded.original_span(nxt, nxt + 1)[0]
    ch = folded.original[o] if o < len(folded.original) else ""
    return ch.isupper()


def _iter_sentences(folded, start: int = 0):
    """Sentence spans of folded text from ``start``, lazily."""
    text = folded.text
    for m in _STOP_RE.finditer(text, start):
        if _is_stop(folded, m):
            end = m.end()
            if end > start:
                yield start, end
            start = end
    if start < len(text):
        yield start, len(text)


SENTENCE_REACH = 400  # a sentence is looked for within this many characters of a mention


def _sentence_at(folded, start: int, end: int) -> tuple[int, int]:
    """The sentence around folded [start, end), found locally (a sentence longer than
    SENTENCE_REACH on either side is cut there)."""
    text = folded.text
    w0, w1 = max(0, start - SENTENCE_REACH), min(len(text), end + SENTENCE_REACH)
    s0, s1 = w0, w1
    for m in _STOP_RE.finditer(text, w0, w1):
        if m.end() <= start:
            if _is_stop(folded, m):
                s0 = m.end()
        elif m.end() >= end and _is_stop(folded, m):
            s1 = m.end()
            break
    return s0, s1


_PROSE_END_RE = re.compile(r"[.。!?！？…;；:：][\"'”’」』)）\]]*\s*$")


def _is_prose(text: str) -> bool:
    """Running text, as opposed to a short line that does not end like a sentence."""
    text = text.strip()
    return bool(text) and (len(text) >= 200 or _PROSE_END_RE.search(text) is not None)


def _weight(text: str) -> int:
    """Latin-equivalent length: a CJK character counts 3 (its UTF-8 length, which is fast to get)."""
    return len(text.encode("utf-8", "surrogatepass"))


# --------------------------------------------------------------------------------------------
# Lists

# Every alternative starts with a literal character, so the engine skips ahead on their first
# characters; the left word boundary of the Latin ones is checked afterwards (``_left_ok``).
_INTRO = (
    r"(?:such as|including|includes|include|e\.g\.|namely|among them|among which|for example|"
    r"for instance|especially|particularly)\b|包括|包含|例如|诸如|比如|譬如|涵盖"
)
_OUTRO = r"等等|等(?![级待候于量])|(?:etc\b\.?|and so on\b|and others\b|among others\b)"
_SEP_RE = re.compile(
    rf"(?P<intro>{_INTRO})|(?P<outro>{_OUTRO})|"
    r"(?P<sep>、|，|,|；|;|&|以及|及|和|与|或|(?:and|or|plus|as well as)\b)"
)
_LATIN_START = frozenset("abcdefghijklmnopqrstuvwxyz")


def _left_ok(text: str, a: int) -> bool:
    """A Latin separator word must not be the end of a longer word ("island", "vendor")."""
    return text[a] not in _LATIN_START or a == 0 or not text[a - 1].isalnum()


_AND_SEP = {"and", "or", "和", "与", "及", "以及", "或", "&", "plus", "as well as"}
_WORD_RE = re.compile(r"[a-z0-9\u00c0-\u024f]+")


_EDGE_FILLER_RE = re.compile(r"[\W_]*(?:the|a|an)?[\W_]*")
_SHORT = 4


class _Item:
    """One list item candidate: the text between two separators of a sentence."""

    __slots__ = ("start", "end", "spans", "intro", "outro", "sep_after", "_size", "_text")

    def __init__(self, text: str, start: int, end: int, *, intro=False, outro=False, sep_after="") -> None:
        self._text = text
        self.start, self.end = start, end
        self.spans: list[tuple[int, int, int]] = []  # mentions inside the item
        self.intro = intro  # opened by "such as"/"包括"
        self.outro = outro  # closed by "等"/"etc."
        self.sep_after = sep_after
        self._size: int | None = None

    @property
    def mentions(self) -> list[int]:
        return [k for _, _, k in self.spans]

    @property
    def head(self) -> int | None:
        """The mention the item starts with ("Zizhu to host firms")."""
        if self.spans and _EDGE_FILLER_RE.fullmatch(self._text, self.start, self.spans[0][0]):
            return self.spans[0][2]
        return None

    @property
    def tail(self) -> int | None:
        """The mention the item ends with ("parks in Zhangjiang")."""
        if self.spans and _EDGE_FILLER_RE.fullmatch(self._text, self.spans[-1][1], self.end):
            return self.spans[-1][2]
        return None

    @property
    def size(self) -> int:
        """A mention counts one unit, other Latin words one, CJK characters one per two."""
        if self._size is None:
            rest, pos = [], self.start
            for ms, me, _ in self.spans:
                rest.append(self._text[pos:ms])
                pos = me
            rest.append(self._text[pos:self.end])
            rest_text = " ".join(rest)
            cjk = len(_CJK_RE.findall(rest_text))
            self._size = len(self.spans) + len(_WORD_RE.findall(rest_text)) + (cjk + 1) // 2
        return self._size

    @property
    def short(self) -> bool:
        return self.size <= _SHORT


def _items(text: str, s0: int, s1: int, spans: list[tuple[int, int, int]]) -> list[_Item]:
    """Split sentence [s0, s1) into list items; ``spans`` are (start, end, mention index), sorted."""
    items: list[_Item] = []
    pos = s0
    pending_intro = False
    for m in _SEP_RE.finditer(text, s0, s1):
        a, b = m.span()
        if not _left_ok(text, a) or any(a < me and b > ms for ms, me, _ in spans):
            continue  # a separator inside a word, or inside a name ("和平区"), is no separator
        kind = m.lastgroup
        if kind == "intro":
            if text[pos:a].strip():
                items.append(_Item(text, pos, a))
            pos = b
            pending_intro = True
            continue
        items.append(_Item(text, pos, a, intro=pending_intro, outro=(kind == "outro"),
                           sep_after=m.group() if kind == "sep" else ""))
        pending_intro = False
        pos = b
    items.append(_Item(text, pos, s1, intro=pending_intro))
    items = [it for it in items if text[it.start:it.end].strip()]
    k = 0
    for it in items:
        while k < len(spans) and spans[k][0] < it.start:
            k += 1
        j = k
        while j < len(spans) and spans[j][1] <= it.end:
            it.spans.append(spans[j])
            j += 1
        k = j
    return items


def _joinable(left: _Item, right: _Item) -> bool:
    return not right.intro and not left.outro


def _run_around(items: list[_Item], idx: int) -> list[tuple[int, int]]:
    """The runs (first, last item index) that item ``idx`` can belong to.

    A run is consecutive items: short ones, except that the first may be a long clause ending with
    a mention ("parks in Zhangjiang, Lingang and Zizhu") and the last a long clause starting with
    one ("Zhangjiang, Lingang and Zizhu to host firms").
    """
    n = len(items)

    def left_from(i: int) -> int:
        while i > 0 and _joinable(items[i - 1], items[i]):
            if items[i - 1].short:
                i -= 1
            elif items[i - 1].tail is not None:
                return i - 1
            else:
                break
        return i

    def right_from(j: int) -> int:
        while j + 1 < n and _joinable(items[j], items[j + 1]):
            if items[j + 1].short:
                j += 1
            elif items[j + 1].head is not None:
                return j + 1
            else:
                break
        return j

    it = items[idx]
    if it.short:
        return [(left_from(idx), right_from(idx))]
    runs = []
    if it.tail is not None:
        runs.append((idx, right_from(idx)))
    if it.head is not None:
        runs.append((left_from(idx), idx))
    return runs


def _is_list(run: list[_Item], entities) -> list[int]:
    """The mentions that are list members in this run, or [] when the run is not a list."""
    if len(run) < 2:
        return []
    members: list[list[int]] = []
    sizes: list[int] = []
    last = len(run) - 1
    for pos, it in enumerate(run):
        if it.short:
            members.append(it.mentions)
            sizes.append(it.size)
        else:
            edge = it.tail if pos == 0 else it.head if pos == last else None
            members.append([edge] if edge is not None else [])
            sizes.append(1)
    ents = {entities[mi].key for mem in members for mi in mem}
    with_mentions = sum(1 for mem in members if mem)
    seps = [it.sep_after for it in run[:-1]]
    if with_mentions >= 3 and len(ents) >= 3:
        ok = True  # the mention plus two other gazetteer entities
    elif len(run) >= 3 and (
        "、" in seps
        or (seps[-1] in _AND_SEP and all(x in (",", "，", "、") for x in seps[:-1]) and max(sizes) <= 3)
        or max(sizes) <= 1
    ):
        ok = True  # three items of list shape
    else:
        ok = run[0].intro or run[-1].outro or (not run[0].short and run[1].intro)  # "such as A and B", "A、B等"
    return [mi for mem in members for mi in mem] if ok else []


def _in_long_clause(text: str, s0: int, s1: int, start: int, end: int, matches) -> bool:
    """Is the mention [start, end) inside a long list item (the text between the separators around
    it), neither at its start nor at its end?  Such a mention cannot be a list member.
    ``matches`` are the segment's matches (other names in the item count one unit each)."""
    lo = max(s0, start - LIST_WINDOW)
    a = lo
    for m in _SEP_RE.finditer(text, lo, start):
        if _left_ok(text, m.start()):
            a = m.end()
    hi = min(s1, end + LIST_WINDOW)
    m = _SEP_RE.search(text, end, hi)
    while m is not None and not _left_ok(text, m.start()):
        m = _SEP_RE.search(text, m.end(), hi)
    b = m.start() if m is not None else hi
    if _EDGE_FILLER_RE.fullmatch(text, a, start) or _EDGE_FILLER_RE.fullmatch(text, end, b):
        return False  # the mention starts or ends its item: it can be a list's first or last member
    # The item's size as ``_Item.size`` counts it: each name one unit, other words one, CJK
    # characters one per two.
    pieces, pos, names = [], a, 0
    for mm in matches:
        if mm.start >= pos and mm.start >= a and mm.end <= b:
            pieces.append(text[pos:mm.start])
            pos = mm.end
            names += 1
    pieces.append(text[pos:b])
    rest = " ".join(pieces)
    cjk = len(_CJK_RE.findall(rest))
    return names + len(_WORD_RE.findall(rest)) + (cjk + 1) // 2 > _SHORT


def _list_membership(
    text: str, s0: int, s1: int, spans: list[tuple[int, int, int]], entities, truncated: tuple[bool, bool] = (False, False)
) -> set[int]:
    """Mention indexes (from ``spans``) that sit in a list inside sentence [s0, s1).  ``truncated``
    says that [s0, s1) is a window cut out of a longer sentence: its edge items are then partial
    and count as long."""
    items = _items(text, s0, s1, spans)
    if items and truncated[0]:
        items[0]._size = _SHORT + 100
    if items and truncated[1]:
        items[-1]._size = _SHORT + 100
    listed: set[int] = set()
    seen: set[tuple[int, int]] = set()
    for idx, it in enumerate(items):
        if not it.spans:
            continue
        for run in _run_around(items, idx):
            if run not in seen:
                seen.add(run)
                listed.update(_is_list(items[run[0]:run[1] + 1], entities))
    return listed


# --------------------------------------------------------------------------------------------
# "Held at X", "X hosts", the event as the subject

_HELD_VERBS = (
    r"held|hosted|took place|takes place|take place|taking place|opened|opens|kicked off|kicks off|"
    r"began|begins|started|starts|convened|convenes|staged|inaugurated|closed|concluded|wrapped up|"
    r"launched|kick off|open|opening|be held|is held|are held"
)
_LAT_HELD_BEFORE_RE = re.compile(
    rf"\b(?:{_HELD_VERBS})\b(?:[^\w]+[\w'’]+){{0,8}}?[^\w]+(?:at|in|inside)[^\w]+(?:the[^\w]+)?(?:[\w'’]+[^\w]+){{0,3}}$"
)
_LAT_HOSTS_AFTER_RE = re.compile(
    r"^(?:['’]s)?[^\w]+(?:(?:district|city|new area|area|county)[^\w]+)?"
    r"(?:hosts|hosted|will host|is hosting|to host|played host|plays host|welcomed|welcomes)\b"
)
_LAT_EVENT_VERB_AFTER_RE = re.compile(
    rf"^(?:[^\w]+[\w'’]+){{0,6}}?[^\w]+(?:was |is |will be |were |has been |had been )?(?:{_HELD_VERBS})\b"
)
_LAT_EVENT_VERB_BEFORE_RE = re.compile(
    r"\b(?:opening|closing|launch|kick-?off|opening ceremony|closing ceremony|opening event|opening session)"
    r"[^\w]+(?:\w+[^\w]+){0,2}?(?:of|for)[^\w]+(?:the[^\w]+)?(?:\w+[^\w]+){0,3}$"
)
_ZH_VERBS = r"举行|举办|召开|开幕|闭幕|落幕|启幕|揭幕|开启|启动|开展|拉开帷幕|盛大开幕|顺利召开|隆重开幕"
_ZH_HELD_BEFORE_RE = re.compile(r"(?:在|于|落户)[^，,。；;！？!?、]{0,14}$")
_ZH_HELD_AFTER_RE = re.compile(rf"^[^，,。；;！？!?]{{0,14}}?(?:{_ZH_VERBS})")
_ZH_HOSTS_AFTER_RE = re.compile(r"^(?:举办|举行|召开|迎来)")
_ZH_EVENT_AFTER_RE = re.compile(rf"^[^，,。；;！？!?]{{0,24}}?(?:{_ZH_VERBS})")
_ZH_EVENT_BEFORE_RE = re.compile(r"(?:举办|举行|召开|开幕|启动)(?:了|的)?[^，,。；;！？!?]{0,6}$")


# A name followed by one of these is an organisation's name, not the place: a company or fund
# ("Zhangjiang Group", "Daxing Healthcare Fund", "临港集团") -- for any place, district or city ...
_COMPANY_AFTER_RE = re.compile(
    r"(?:[^，,。、；;！？!?\s]{0,4}?(?:集团|公司|控股|股份|基金|资本|创投)"
    r"|(?:\s+[\w.&-]+){0,2}?\s+(?:group|co\.|co,|company|corporation|corp\.?|holdings?|ltd\.?|limited|inc\.?|"
    r"fund|capital|ventures|bank)\b)"
)
# ... or an administration ("…开发区管理委员会", "Lingang administration") -- for a place only: a
# zone's administration organising an event does not put the event in the zone, while a district's
# government speaks for the district.
_ADMIN_AFTER_RE = re.compile(
    r"(?:[^，,。、；;！？!?\s]{0,4}?(?:管理委员会|管委会|委员会|管委|政府|办公室|办事处|(?<![布格结大全])局)"
    r"|(?:\s+[\w.&-]+){0,2}?\s+(?:administration|(?:management|administrative) committee|committee|authority|"
    r"bureau|government)\b)"
)


def _is_org(text: str, end: int, kind: str = "place") -> bool:
    if kind == "event":
        return False
    stop = min(len(text), end + 40)
    if _COMPANY_AFTER_RE.match(text, end, stop):
        return True
    return kind == "place" and _ADMIN_AFTER_RE.match(text, end, stop) is not None


def _is_held(text: str, s0: int, s1: int, start: int, end: int, kind: str) -> bool:
    before = text[max(s0, start - 160):start]
    after = text[end:min(s1, end + 80)]
    if kind == "event":
        return bool(
            _ZH_EVENT_AFTER_RE.search(after)
            or _ZH_EVENT_BEFORE_RE.search(before)
            or _LAT_EVENT_VERB_AFTER_RE.search(after)
            or _LAT_EVENT_VERB_BEFORE_RE.search(before)
        )
    if _ZH_HELD_BEFORE_RE.search(before) and _ZH_HELD_AFTER_RE.search(after):
        return True
    if _ZH_HOSTS_AFTER_RE.search(after) or _LAT_HOSTS_AFTER_RE.search(after):
        return True
    return bool(_LAT_HELD_BEFORE_RE.search(before))


# --------------------------------------------------------------------------------------------
# Names that are not places: people, bulleted lists, parenthesised qualifiers

# Common Chinese surnames in pinyin: "said Lei Linping" is a person, not Linping District.
_PINYIN_SURNAMES = frozenset("""
    wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao zheng liang xie song
    tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei su lu ding ren yao
    shen zhong cui tan fan liao shi jin jia xia fu fang zou xiong bai meng qin qiu hou yin xue yan duan lei
    long tao mao hao gu gong shao wan qian dai kong xiang chang kang wen niu zhai geng guan hong lan lai ou
    qi rong shang tong xing yue zhan zhuang mo ge bao ji ning qu sheng zhuo miao
""".split())
_CAPITALISED_BEFORE_RE = re.compile(r"\b([A-Z][a-z]{0,5}) $")
# ... and in Chinese: a surname character, a short name, then what follows a person's name.
_ZH_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟"
    "姜崔谭陆范汪廖石金韦贾夏付傅方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万钱严覃武戴莫孔汤"
)
_ZH_AFTER_PERSON_RE = re.compile(
    r"(?:表示|说|称|介绍|指出|认为|透露|强调|坦言|告诉|回应|提出|分享|[:：]|教授|博士|先生|女士|主任|院长|所长|"
    r"总经理|总裁|董事长|经理|副?局长|主席|医生|研究员|院士|书记)"
)


def _is_person(seg: "_Seg", m: Match, o0: int, o1: int) -> bool:
    """Is this a person's name that contains a place name ("Lei Linping", "陈临平表示")?"""
    surface = seg.text[o0:o1]
    if surface.isascii():
        if " " in surface or not surface[:1].isupper():
            return False
        b = _CAPITALISED_BEFORE_RE.search(seg.text, max(0, o0 - 8), o0)
        return b is not None and b.group(1).lower() in _PINYIN_SURNAMES
    text = seg.folded.text
    if len(m.key) != 2 or m.start == 0 or text[m.start - 1] not in _ZH_SURNAMES:
        return False
    return _ZH_AFTER_PERSON_RE.match(text, m.end, m.end + 4) is not None


_BULLET_RE = re.compile(
    r"\s*(?:[•·\-–—*●▪◆◇■□►▶○◦◎★☆]|\(?\d{1,2}[.)、]|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)"
)
_LIST_PARAGRAPH_UNITS = 12  # a bulleted paragraph this short is a list item
_RUN_PARAGRAPH_UNITS = 8  # three or more consecutive paragraphs this short, each with a name, are a list


def _units(text: str) -> int:
    cjk = len(_CJK_RE.findall(text))
    return len(_WORD_RE.findall(text)) + (cjk + 1) // 2


def _list_paragraphs(segs: list["_Seg"], resolved) -> set[int]:
    """Body paragraphs that are items of a list laid out one per line ("• Zhangjiang (Pudong)")."""
    short: dict[int, bool] = {}
    out: set[int] = set()
    for seg, ents in zip(segs[1:], resolved[1:]):
        n = len(seg.text)
        if n > 160 or not any(e is not None for e in ents):
            continue
        if _BULLET_RE.match(seg.text):
            units = _units(seg.folded.text)
            if units <= _LIST_PARAGRAPH_UNITS:
                out.add(seg.index)
        elif n <= 90:  # longer than that is never 8 units
            units = _units(seg.folded.text)
        else:
            continue
        if units <= _RUN_PARAGRAPH_UNITS:
            short[seg.index] = True
    run: list[int] = []
    for i in sorted(short) + [None]:
        if run and (i is None or i != run[-1] + 1):
            if len(run) >= 3:
                out.update(run)
            run = []
        if i is not None:
            run.append(i)
    return out


def _is_qualifier(seg: "_Seg", prev: Match, prev_ent: Entity, m: Match, ent: Entity, gazetteer: Gazetteer) -> bool:
    """"Zhangjiang (Pudong New Area)": the district in parentheses qualifies the place before it."""
    text = seg.folded.text
    if text[prev.end:m.start].strip() != "(" or not text[m.end:m.end + 2].lstrip().startswith(")"):
        return False
    return any(a.key == ent.key for a in gazetteer.ancestors(prev_ent))


# --------------------------------------------------------------------------------------------
# The tagger


_PARA_SEP = "\u2029"  # joins title and paragraphs so the whole article is folded and scanned once


class _SegFold:
    """One segment's view of the whole article's fold (same interface as ``Folded``)."""

    __slots__ = ("whole", "text", "original", "fbase", "obase")

    def __init__(self, whole: Folded, fbase: int, fend: int, obase: int, original: str) -> None:
        self.whole = whole
        self.text = whole.text[fbase:fend]
        self.original = original
        self.fbase, self.obase = fbase, obase

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if self.whole.starts is None and self.fbase == self.obase:
            return start, end
        s, e = self.whole.original_span(self.fbase + start, self.fbase + end)
        return s - self.obase, e - self.obase


@dataclass
class _Seg:
    index: int
    text: str
    folded: _SegFold | Folded
    matches: list[Match]


def _segments(texts: list[str], gazetteer: Gazetteer) -> list[_Seg]:
    """Fold and scan the title and paragraphs in one pass (one OpenCC call, one regex scan)."""
    joined = _PARA_SEP.join(t.replace(_PARA_SEP, "\n") for t in texts)
    whole = fold_with_offsets(joined)
    parts = whole.text.split(_PARA_SEP)
    if len(parts) != len(texts):  # cannot happen (folding keeps U+2029); be safe anyway
        segs = []
        for i, t in enumerate(texts):
            f = fold_with_offsets(t)
            segs.append(_Seg(i - 1, t, f, gazetteer.find_in_folded(f.text) if f.text else []))
        return segs
    fbases, obases = [], []
    fpos = opos = 0
    for part, t in zip(parts, texts):
        fbases.append(fpos)
        obases.append(opos)
        fpos += len(part) + 1
        opos += len(t) + 1
    per_seg: list[list[Match]] = [[] for _ in texts]
    for s, e, key, cands in gazetteer.matcher.find_tuples(whole.text):
        i = bisect_right(fbases, s) - 1
        b = fbases[i]
        per_seg[i].append(Match(s - b, e - b, key, cands))
    return [
        _Seg(i - 1, t, _SegFold(whole, fbases[i], fbases[i] + len(parts[i]), obases[i], t), per_seg[i])
        for i, t in enumerate(texts)
    ]


def _resolve(matches_by_seg: list[list[Match]], gazetteer: Gazetteer) -> list[list[Entity | None]]:
    """Choose one entity per match; an ambiguous name is settled by the cities named elsewhere."""
    if all(len(m.candidates) == 1 for matches in matches_by_seg for m in matches):
        return [[m.candidates[0] for m in matches] for matches in matches_by_seg]
    context: set[str] = set()
    for matches in matches_by_seg:
        for m in matches:
            if len(m.candidates) == 1:
                city = gazetteer.city_of_entity(m.candidates[0])
                if city:
                    context.add(city)
    out = []
    for matches in matches_by_seg:
        row: list[Entity | None] = []
        for m in matches:
            if len(m.candidates) == 1:
                row.append(m.candidates[0])
                continue
            fit = [c for c in m.candidates if gazetteer.city_of_entity(c) in context]
            if len(fit) != 1:
                # Prefer the broadest reading when one candidate is the city of the others.
                fit = fit or list(m.candidates)
                cities = [c for c in fit if c.kind == "city"]
                fit = cities if len(cities) == 1 and all(gazetteer.city_of_entity(c) == cities[0].slug for c in fit) else fit
            row.append(fit[0] if len(fit) == 1 else None)
        out.append(row)
    return out


_PASSES = (("place", "event"), ("district",), ("city",))
_PASS_OF = {kind: i for i, kinds in enumerate(_PASSES) for kind in kinds}


def tag_article(*, title: str, paragraphs: Sequence[str], gazetteer: Gazetteer) -> Tags:
    segs = _segments([title or ""] + [p or "" for p in paragraphs], gazetteer)

    resolved = _resolve([s.matches for s in segs], gazetteer)

    # The lead: sentences from the start of the body while little text came before them.
    lead_limit: dict[int, int] = {}  # paragraph -> folded offset up to which it is lead
    count = 0
    before = 0
    for seg in segs[1:]:
        if count >= LEAD_MAX_SENTENCES or (count and before >= LEAD_WEIGHT):
            break
        if not _is_prose(seg.folded.text):
            continue  # a dateline, a subheading, a teaser headline left at the top: not the lead
        for s0, s1 in _iter_sentences(seg.folded):
            if count >= LEAD_MAX_SENTENCES or (count and before >= LEAD_WEIGHT):
                break
            lead_limit[seg.index] = s1
            count += 1
            before += _weight(seg.folded.text[s0:s1].strip())

    list_paras = _list_paragraphs(segs, resolved)
    para_offset: dict[int, int] = {}  # paragraph -> weight of the body text before it
    total = 0
    for seg in segs[1:]:
        para_offset[seg.index] = total
        if total < HELD_WEIGHT:
            total += _weight(seg.folded.text)
        else:
            total += HELD_WEIGHT  # far enough: exact values no longer matter

    def early(seg: _Seg, pos: int) -> bool:
        """Is folded position ``pos`` of body paragraph ``seg`` where an article states its venue?"""
        if seg.index >= HELD_PARAGRAPHS or para_offset[seg.index] >= HELD_WEIGHT:
            return False
        return para_offset[seg.index] + _weight(seg.folded.text[:pos]) < HELD_WEIGHT

    # Mentions, in document order (title first).
    mentions: list[Mention] = []
    where: list[tuple[_Seg, int]] = []  # (segment, match index) of each mention
    for seg, ents in zip(segs, resolved):
        limit = lead_limit.get(seg.index, -1)
        listed_para = seg.index in list_paras
        prev = prev_ent = None
        for k, (m, ent) in enumerate(zip(seg.matches, ents)):
            if ent is None:
                continue
            o0, o1 = seg.folded.original_span(m.start, m.end)
            if _is_person(seg, m, o0, o1):
                continue
            men = Mention(ent, seg.index, o0, o1, seg.text[o0:o1], in_lead=m.start < limit)
            if listed_para or (prev is not None and _is_qualifier(seg, prev, prev_ent, m, ent, gazetteer)):
                men.in_list = men.examined = True  # counts for nothing
            mentions.append(men)
            where.append((seg, k))
            prev, prev_ent = m, ent

    # Decide, looking closer (lists, "held at", organisation names) only at the mentions of
    # entities not tagged yet: most repeated mentions ("Shanghai" forty times) cost nothing.
    listed_cache: dict[tuple[int, int], frozenset | set] = {}
    resolved_by_seg = {seg.index: ents for seg, ents in zip(segs, resolved)}

    def examine(men: Mention, seg: _Seg, k: int) -> None:
        m = seg.matches[k]
        text = seg.folded.text
        s0, s1 = _sentence_at(seg.folded, m.start, m.end)
        if _in_long_clause(text, s0, s1, m.start, m.end, seg.matches):
            # The mention sits inside a long clause, away from its ends: never a list member.
            # (Skips the sentence's item analysis for most mentions.)
            listed = _EMPTY_SET
        else:
            ck = (seg.index, s0)
            listed = listed_cache.get(ck)
            if listed is None:
                ents = resolved_by_seg[seg.index]
                idx = [j for j, mm in enumerate(seg.matches) if s0 <= mm.start < s1 and ents[j] is not None]
                # Lists are local: look at the sentence only within LIST_WINDOW characters of its mentions.
                w0 = max(s0, seg.matches[idx[0]].start - LIST_WINDOW)
                w1 = min(s1, max(seg.matches[j].end for j in idx) + LIST_WINDOW)
                spans = [(seg.matches[j].start, min(seg.matches[j].end, w1), j) for j in idx]
                listed = _list_membership(text, w0, w1, spans, _KeyList({j: ents[j] for j in idx}),
                                          truncated=(w0 > s0, w1 < s1))
                listed_cache[ck] = listed
        men.in_list = k in listed
        men.held = _is_held(text, s0, s1, m.start, m.end, men.entity.kind)
        men.as_org = _is_org(text, m.end, men.entity.kind)
        men.examined = True

    # Body mentions of each entity (an upper bound on what "at length" can still reach).
    remaining: dict[tuple[str, str], int] = {}
    by_key: dict[tuple[str, str], Entity] = {}
    for men in mentions:
        key = men.entity.key
        by_key[key] = men.entity
        if men.paragraph >= 0:
            remaining[key] = remaining.get(key, 0) + 1

    direct: dict[tuple[str, str], str] = {}
    implied: set[tuple[str, str]] = set()  # districts and cities that tagged entities imply
    weight: dict[tuple[str, str], int] = {}
    # Places and events first, then districts, then cities: a district or city that a tag already
    # implies needs no look at its own mentions (the result is the same, and cheaper).
    by_pass: list[list[int]] = [[] for _ in _PASSES]
    for i, men in enumerate(mentions):
        by_pass[_PASS_OF[men.entity.kind]].append(i)
    for order in by_pass:
        for i in order:
            men = mentions[i]
            seg, k = where[i]
            ent = men.entity
            key = ent.key
            if men.paragraph >= 0:
                remaining[key] -= 1
            if key in direct or key in implied:
                continue
            if men.paragraph == -1:
                if not _is_org(seg.folded.text, seg.matches[k].end, ent.kind):
                    direct[key] = "title"  # a title names what the article is about
                continue
            if men.in_list:  # a bulleted list item, or a qualifier in parentheses
                continue
            if (
                not men.in_lead
                and men.paragraph >= HELD_PARAGRAPHS
                and weight.get(key, 0) + remaining[key] + 1 < AT_LENGTH_WEIGHT
            ):
                continue  # cannot become a tag whatever this mention turns out to be
            examine(men, seg, k)
            if men.in_list:
                continue
            if men.as_org:  # an organisation named after a place is not the place: at most "at length"
                w = 1
            elif men.in_lead:
                direct[key] = "lead"
                continue
            elif men.held and early(seg, seg.matches[k].start):
                direct[key] = "held"
                continue
            else:
                w = 1  # deep in the body, even "held in X" is often another event's venue
            weight[key] = weight.get(key, 0) + w
            if weight[key] >= AT_LENGTH_WEIGHT:
                direct[key] = "at length"
        for key in direct:
            ent = by_key[key]
            if ent.kind != "event" or EVENT_IMPLIES_CITY:
                implied.update(a.key for a in gazetteer.ancestors(ent))

    reasons: dict[str, str] = {}
    tagged: dict[str, set[str]] = {k: set() for k in ("city", "district", "place", "event")}
    for key, why in direct.items():
        ent = by_key[key]
        tagged[ent.kind].add(ent.slug)
        reasons[f"{ent.kind}:{ent.slug}"] = why
        if ent.kind == "event" and not EVENT_IMPLIES_CITY:
            continue
        for anc in gazetteer.ancestors(ent):
            tagged[anc.kind].add(anc.slug)
            reasons.setdefault(f"{anc.kind}:{anc.slug}", f"via {ent.kind}:{ent.slug}")

    event_names: list[str] = []
    for men in mentions:
        if men.entity.kind == "event" and men.entity.slug in tagged["event"] and men.surface not in event_names:
            event_names.append(men.surface)

    return Tags(
        cities=sorted(tagged["city"]),
        districts=sorted(tagged["district"]),
        places=sorted(tagged["place"]),
        events=sorted(tagged["event"]),
        mentions=mentions,
        event_names=event_names,
        reasons=reasons,
    )


class _KeyList:
    """Index -> entity view used by the list detector."""

    def __init__(self, mapping: dict[int, Entity]) -> None:
        self.mapping = mapping

    def __getitem__(self, k: int) -> Entity:
        return self.mapping[k]
