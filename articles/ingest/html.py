"""HTML pages -> plain lines for ``clean_text`` plus page metadata.

The page is parsed once (lxml, with a C-level element class lookup).
trafilatura finds the main content (favor_recall, no comments, no tables; fast
mode, and its slower comparison with readability / jusText only when the fast
pass finds little), with its options built once per process.  Metadata comes
from trafilatura's own metadata functions, only those we use (title, canonical
URL, site name, and the date from htmldate's markup-only search so a date is
never guessed from running text or the clock).  The page's <h1> and the
dateline / byline / source lines printed around it are put in front of the text
so that ``clean_text`` can move them to ``header`` and extraction can read them.

When trafilatura's text is a small part of the page's long text blocks (old table
layouts: paragraphs separated by <br><br> inside a <td>), the page's block-level
text is used instead (``_missed_article``).  Truncated or malformed HTML that
trafilatura gives up on falls back to the text of <p> elements (or of the whole
body).
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .textutil import find_dates, normalise_line, normalise_lines, units

__all__ = ["looks_like_html", "HtmlDocument", "html_to_document"]

_DOCTYPE_RE = re.compile(r"<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<html", re.IGNORECASE)
_TAG_RE = re.compile(
    r"<(/?)(html|head|body|div|p|span|a|br|meta|title|script|style|article|section|h[1-6]|ul|ol|li|"
    r"table|td|tr|img|link|header|footer|nav|main|strong|em|b|i|font|center|form|input|iframe)\b[^<>]{0,2000}>",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """Markup-based sniff: a doctype / <html> tag, or several HTML tags near the top."""
    head = text[:8000]
    if _DOCTYPE_RE.search(head[:2000]):
        return True
    tags = _TAG_RE.findall(head)
    if len(tags) < 3:
        return False
    names = {t[1].lower() for t in tags}
    closing = sum(1 for t in tags if t[0])
    return len(names) >= 2 and (closing >= 1 or len(tags) >= 6) or closing >= 3


@dataclass
class HtmlDocument:
    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    sitename: str | None = None
    author: str | None = None


# Lines near the headline that carry metadata: datelines, bylines, source lines.
_META_LINE_RE = re.compile(
    r"(?:来源|來源|稿源|出处|出處|source|作者|记者|記者|编辑|編輯|责任编辑|責任編輯|通讯员|通訊員|"
    r"发布时间|發布時間|发布日期|發布日期|published|updated|posted|by\s+[A-Z]|photo|图片来源|"
    r"本报讯|本報訊)\s*[:：]?",
    re.IGNORECASE,
)
_BLOCK_TAGS = {"div", "p", "li", "section", "article", "header", "footer", "aside", "table", "ul", "ol",
               "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dl", "dd", "dt", "tr", "td", "main"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "form", "select", "option",
              "button", "input", "textarea"}
_LEAF_TAGS = {"p", "div", "span", "li", "time", "td", "em", "small", "address", "h2", "h3", "h4", "h5",
              "h6", "strong", "b", "i", "font", "dd", "dt", "section", "header", "cite", "a"}
_SCAN_TAGS = tuple(_LEAF_TAGS | {"h1"})


def _body(tree):
    """The page's <body> (the root when there is none)."""
    body = tree.find("body")  # a direct child of <html> in a parsed document (a fast lookup)
    if body is None:
        body = tree.find(".//body")
    return body if body is not None else tree


def _text_of(el) -> str:
    try:
        return normalise_line(el.text_content())
    except Exception:  # comments / processing instructions
        return ""


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _meta_lines(tree, h1, first_para: str | None) -> list[str]:
    """Short dateline / byline / source lines printed after the headline (or at the
    top of the body when there is no <h1>), before the article text starts.

    Candidates are leaf-ish elements (no block element inside) outside scripts,
    forms and the like, in document order (the elements inside skipped ones are
    collected once; the block search runs only on elements with children)."""
    out: list[str] = []
    started = h1 is None
    stop_key = (first_para or "")[:30]
    scanned = 0
    root = _body(tree)
    if next(root.iterancestors(*_SKIP_TAGS), None) is not None:
        return out
    # the elements inside a script / form / ... (usually none or few)
    inside_skipped: set = set()
    for s in root.iter(*_SKIP_TAGS):
        if s not in inside_skipped:
            inside_skipped.update(s.iterdescendants())
    for el in root.iter(*_SCAN_TAGS):
        if el is h1:
            started = True
            continue
        if not started or _tag(el) not in _LEAF_TAGS or el in inside_skipped:
            continue
        if len(el):
            # a block element inside? (el.iter yields el itself first when el is a block)
            blocks = el.iter(*_BLOCK_TAGS)
            first = next(blocks, None)
            if first is el:
                first = next(blocks, None)
            if first is not None:
                continue
        text = _text_of(el)
        if not text:
            continue
        scanned += 1
        if scanned > 60 or (stop_key and text.startswith(stop_key)) or _more_units_than(text, 60):
            break
        if len(text) > 120:
            continue
        if _META_LINE_RE.search(text) or (find_dates(text) and units(text) <= 25):
            if not any(text in o or o in text for o in out):
                out.append(text)
        if len(out) >= 6:
            break
    return out


def _more_units_than(text: str, n: int) -> bool:
    """``units(text) > n``, looking at a prefix first: units never exceed the length,
    and a prefix never has more units than the whole text."""
    if len(text) <= n:
        return False
    if len(text) > 8 * n and units(text[: 8 * n]) > n:
        return True
    return units(text) > n


def _h1(tree):
    for el in tree.iter("h1"):
        t = _text_of(el)
        if t and 2 <= units(t) <= 80:
            return el, t
    return None, None


def _fallback_text(tree) -> str:
    """Text of <p> elements; without any, the body's text split at block elements."""
    if tree is None:
        return ""
    paras = [t for t in (_text_of(p) for p in tree.iter("p")) if t]
    if paras:
        return "\n".join(paras)
    root = _body(tree)
    out: list[str] = []

    def walk(el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS or not tag:
            out.append(el.tail or "")
            return
        block = tag in _BLOCK_TAGS or tag == "br"
        if block:
            out.append("\n")
        out.append(el.text or "")
        for child in el:
            walk(child)
        if block:
            out.append("\n")
        out.append(el.tail or "")

    walk(root)
    return "\n".join(normalise_line(l) for l in "".join(out).split("\n") if l.strip())


_PARSER: list = []


def _parser():
    """lxml's HTML parser giving lxml.html's element classes through a C-level
    class lookup: lxml.html's own lookup calls back into Python for every element
    proxy created (a large share of trafilatura's time).  Only the form-control
    subclasses (InputElement, ...) are lost, which nothing here uses."""
    if not _PARSER:
        import lxml.html
        from lxml import etree

        parser = etree.HTMLParser()
        parser.set_element_class_lookup(
            etree.ElementDefaultClassLookup(
                element=lxml.html.HtmlElement,
                comment=lxml.html.HtmlComment,
                pi=lxml.html.HtmlProcessingInstruction,
                entity=lxml.html.HtmlEntity,
            )
        )
        _PARSER.append(parser)
    return _PARSER[0]


def _parse(html: str):
    import lxml.html

    try:
        return lxml.html.document_fromstring(html, parser=_parser())
    except Exception:
        try:
            return lxml.html.fromstring(html.encode("utf-8", "replace"), parser=_parser())
        except Exception:
            return None


# ---------------------------------------------------------------------------
# Block-level text: the fallback for pages whose article trafilatura misses
# (old table layouts: paragraphs of text separated by <br><br> inside a <td>).

_BR = "\ue000"  # placeholder for <br> while the text is assembled
_BR_RUN_RE = re.compile(_BR + r"(?:\s*" + _BR + ")+")
# Not the page's text: scripts, forms, navigation, footers, sidebars.
_BLOCKTEXT_SKIP_TAGS = _SKIP_TAGS | {"head", "title", "nav", "footer", "aside", "menu"}
_BLOCKTEXT_SKIP_ATTR_RE = re.compile(
    r"comment|related|recommend|sidebar|(?<![a-z])share|footer|(?<![a-z])nav(?:bar|igation)?(?![a-z])|"
    r"(?<![a-z])menu|breadcrumb",
    re.IGNORECASE,
)
_MAIN_BLOCK_UNITS = 20  # a block this long is article text, not a label or a link


def _skipped_container(el) -> bool:
    attrs = el.attrib
    cls, ident = attrs.get("class"), attrs.get("id")
    return bool((cls and _BLOCKTEXT_SKIP_ATTR_RE.search(cls)) or (ident and _BLOCKTEXT_SKIP_ATTR_RE.search(ident)))


def _block_lines(tree) -> list[str]:
    """The body's visible text as lines: a line per block element (p, div, td, li,
    h1-h6 ...) and per paragraph break (two or more <br> in a row; a single <br>
    is a space).  Scripts, forms, <nav>, <footer>, <aside> and containers whose
    class / id names them (comments, related articles, sidebars, share bars,
    menus, breadcrumbs) are left out; other junk lines are for clean_text."""
    root = _body(tree)
    out: list[str] = []
    stack = [(root, False)]
    while stack:  # iterative: deep pages must not hit the recursion limit
        el, closing = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if closing:
            if tag in _BLOCK_TAGS:
                out.append("\n")
            if el is not root and el.tail:
                out.append(el.tail)
            continue
        if not tag or tag in _BLOCKTEXT_SKIP_TAGS or (el is not root and _skipped_container(el)):
            if el is not root and el.tail:
                out.append(el.tail)
            continue
        if tag == "br":
            out.append(_BR)
        elif tag in _BLOCK_TAGS:
            out.append("\n")
        if el.text:
            out.append(el.text)
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
    text = "".join(out)
    if _BR in text:
        text = _BR_RUN_RE.sub("\n", text).replace(_BR, " ")
    return [l for l in (normalise_line(l) for l in text.split("\n")) if l]


def _visible_len(tree) -> int:
    """An upper bound of the characters (white space aside) of the body's text
    outside scripts and styles: its length, white space included."""
    root = _body(tree)
    try:
        n = len(root.text_content())
    except Exception:
        return 0
    for el in root.iter("script", "style", "noscript", "template"):
        n -= len(el.text or "")
    return n


def _missed_article(tree, content: str) -> list[str] | None:
    """The page's block-level lines when the extracted ``content`` is a small part
    of the page's main text (its long blocks): trafilatura picked the header /
    footer of a page whose article it could not see.  None otherwise.

    General signals only: the share of the long text blocks that the extraction
    does not contain.  A cheap bound first (the extraction is under half of the
    body's text), so ordinary pages never walk the tree twice."""
    size = len(content) - content.count(" ") - content.count("\n")  # about its characters, white space aside
    if _visible_len(tree) <= 2 * size + 200:
        return None
    key = "".join(content.split())
    blocks = _block_lines(tree)
    missed = 0
    for b in blocks:
        if units(b) >= _MAIN_BLOCK_UNITS:
            k = "".join(b.split())
            if k[:40] not in key:
                missed += len(k)
    if missed >= 200 and missed > 2 * size:
        return blocks
    return None


_SHORT_TEXT = 80  # units (CJK characters + words): below this the fast extraction is retried with fallbacks
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>")


def _date_params() -> dict:
    return {
        "extensive_search": False,  # markup only: never a date guessed from text or 'today'
        "original_date": True,
        "max_date": datetime.date.today().isoformat(),
    }


def _trafilatura(source, *, fast: bool):
    """trafilatura's own text + metadata pass on an HTML string (used when lxml
    cannot parse the page: trafilatura has repairs of its own)."""
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            source,
            fast=fast,
            favor_recall=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            with_metadata=True,
            date_extraction_params=_date_params(),
        )
    except Exception:
        return None


_EXTRACTORS: dict = {}


def _extractor(fast: bool):
    """trafilatura's options, built once per process (building them re-reads the
    settings each call): recall, no comments, tables or images, no metadata (read
    separately by ``_metadata``, which skips the fields we do not use)."""
    ex = _EXTRACTORS.get(fast)
    if ex is None:
        from trafilatura.settings import Extractor

        ex = _EXTRACTORS[fast] = Extractor(
            output_format="python", fast=fast, recall=True, comments=False, tables=False, images=False,
            with_metadata=False,
        )
    return ex


def _content(tree, *, fast: bool) -> str | None:
    """trafilatura's main text of a parsed page (None when it finds none).  The
    tree is not modified (trafilatura works on a copy)."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(tree, options=_extractor(fast))
    except Exception:
        return None
    return None if doc is None else (doc.text or "")


_TM_FUNCTIONS = ("examine_meta", "extract_meta_json", "extract_title", "extract_url", "extract_sitename",
                 "META_URL", "line_processing", "unescape")


def _metadata(tree):
    """The metadata trafilatura's ``extract_metadata`` gives, for the fields we use
    (title, url, date, site name, and the author of the meta tags), without its
    costly author / category / tag / licence searches over the page.  Same
    functions, same order, so the values are the same."""
    from htmldate import find_date
    from trafilatura import metadata as tm

    if not all(hasattr(tm, f) for f in _TM_FUNCTIONS):  # another trafilatura: its whole pass
        return tm.extract_metadata(tree, None, _date_params(), True, None)
    md = tm.examine_meta(tree)
    if md.author and " " not in md.author:
        md.author = None
    try:
        md = tm.extract_meta_json(tree, md)
    except Exception:
        pass
    if not md.title:
        md.title = tm.extract_title(tree)
    if not md.url:
        md.url = tm.extract_url(tree, None)
    params = _date_params()
    params["url"] = md.url
    md.date = find_date(tree, **params)
    if not md.sitename:
        md.sitename = tm.extract_sitename(tree)
    if md.sitename:
        md.sitename = md.sitename.lstrip("@")
        if md.sitename and "." not in md.sitename and not md.sitename[0].isupper():
            md.sitename = md.sitename.title()
    elif md.url:
        m = tm.META_URL.match(md.url)
        if m:
            md.sitename = m[1]
    for name in ("title", "url", "date", "sitename", "author"):
        value = getattr(md, name)
        if isinstance(value, str):
            if len(value) > 10000:
                value = value[:9999] + "…"
            setattr(md, name, tm.line_processing(tm.unescape(value)))
    return md


_TITLE_SUFFIX_SEPS = "—–-|｜_:：·•»"


def _printed_title(lines: list[str], title: str) -> str | None:
    """A line that is ``title`` without a suffix after a separator ('Headline—Site')."""
    for line in lines:
        if line != title and len(line) >= 0.6 * len(title) and title.startswith(line):
            rest = title[len(line):].lstrip()
            if rest and rest[0] in _TITLE_SUFFIX_SEPS:
                return line
    return None


_PAGE_TITLE_SEP_RE = re.compile(r"\s*[—–|｜_]\s*|\s+[-:·]\s+")


def _split_page_title(tree, page_title: str) -> tuple[str, str]:
    """``<title>Headline—Site</title>`` -> (headline, site): at the last
    separator whose left side the page prints as text (the headline shown
    on the page) and whose right side is short; else Whoosh-style suffix
    stripping by site vocabulary. ('', '') when there is nothing to split."""
    from .clean import strip_site_suffix

    if not page_title:
        return "", ""
    body = tree.find(".//body") if tree is not None else None
    shown = " ".join(body.text_content().split()) if body is not None else ""
    if shown:
        for m in reversed(list(_PAGE_TITLE_SEP_RE.finditer(page_title))):
            head, tail = page_title[: m.start()].strip(), page_title[m.end():].strip()
            if head and tail and units(tail) <= 8 and units(head) >= 4 and " ".join(head.split()) in shown:
                return head, tail
    head = strip_site_suffix(page_title)
    tail = page_title[len(head):].strip(" -–—|｜_:：·•»") if head != page_title and page_title.startswith(head) else ""
    return head, tail


def _headline_and_site(tree, title: str | None, sitename: str | None) -> tuple[str | None, str | None]:
    """Check the metadata's title and site name against the page's own
    ``<title>Headline | Site</title>``: the metadata can keep the site's name
    glued on, or hand back the two halves swapped (the site's name as the
    title, the headline as the site)."""
    el = tree.find(".//title") if tree is not None else None
    page_title = normalise_line(_text_of(el)) if el is not None else ""
    head, tail = _split_page_title(tree, page_title)
    if title and head and tail and title != head and title in page_title:
        title = head
    if sitename:
        name = normalise_line(sitename)
        if (title and name in normalise_line(title)) or units(name) > 12 or (head and name == head):
            sitename = tail or None
    elif tail:
        sitename = tail
    return title, sitename


def html_to_document(html: str) -> HtmlDocument:

    # lxml refuses str input with an XML encoding declaration
    html = _XML_DECL_RE.sub("", html, count=1)
    tree = _parse(html)
    if tree is not None:
        content = _content(tree, fast=True)
        # (only a count under _SHORT_TEXT matters: a prefix with that many units settles it)
        text_len = 0 if not content else _SHORT_TEXT if _more_units_than(content, _SHORT_TEXT - 1) else units(content)
        if text_len < _SHORT_TEXT:
            # the fast pass found little: let trafilatura compare with readability / jusText too
            slow = _content(tree, fast=False)
            if slow is not None and units(slow) > text_len:
                content = slow
        doc = _metadata(tree) if content is not None else None
        content = (content or "").strip()
    else:
        doc = _trafilatura(html, fast=True)
        text_len = units(getattr(doc, "text", None) or "") if doc is not None else 0
        if text_len < _SHORT_TEXT:
            slow = _trafilatura(html, fast=False)
            if slow is not None and units(slow.text or "") > text_len:
                doc = slow
        tree = _parse(html)
        content = (getattr(doc, "text", None) or "").strip() if doc is not None else ""

    from_blocks = False
    if tree is not None:
        blocks = _missed_article(tree, content)
        if blocks is not None:
            content = "\n".join(blocks)
            from_blocks = True
    if tree is not None and (not content or len(content) < 40):
        fb = _fallback_text(tree)
        if len(fb) > len(content):
            content = fb

    title = getattr(doc, "title", None) if doc is not None else None
    h1_el, h1_text = (None, None)
    if tree is not None:
        h1_el, h1_text = _h1(tree)
        if not title:
            t = tree.find(".//title")
            if t is not None:
                title = _text_of(t) or None
    content_lines = [l for l in normalise_lines(content) if l]

    if from_blocks and not h1_text and title:
        # no <h1>: the headline printed on the page beats a <title> with the site's name glued on
        title = _printed_title(content_lines[:30], title) or title

    lead: list[str] = []
    head_line = h1_text or title
    if head_line:
        lead.append(head_line)
    if tree is not None:
        first_para = next((l for l in content_lines if _more_units_than(l, 19)), None)
        # (block-level text holds the page's own dateline / byline lines: a second copy would
        # make them look like repeated page furniture)
        near = content_lines if from_blocks else content_lines[:8]
        for line in _meta_lines(tree, h1_el, first_para):
            if line not in near:
                lead.append(line)
    text = "\n".join(lead + content_lines)

    date = getattr(doc, "date", None) if doc is not None else None
    sitename = getattr(doc, "sitename", None) if doc is not None else None
    title, sitename = _headline_and_site(tree, title, sitename)
    return HtmlDocument(
        text=text,
        title=(h1_text or title or None),
        date=date or None,
        url=getattr(doc, "url", None) if doc is not None else None,
        sitename=sitename,
        author=getattr(doc, "author", None) if doc is not None else None,
    )
