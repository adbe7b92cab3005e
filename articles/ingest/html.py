"""HTML pages -> plain lines for ``clean_text`` plus page metadata.

trafilatura finds the main content (favor_recall, no comments, no tables);
metadata comes from the same pass (title, date with htmldate's markup-only
search so a date is never guessed from running text or the clock, canonical
URL, site name, author).  The page's <h1> and the dateline / byline / source
lines printed around it are put in front of the text so that ``clean_text``
can move them to ``header`` and extraction can read them.  Truncated or
malformed HTML that trafilatura gives up on falls back to the text of <p>
elements (or of the whole body).
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .textutil import find_dates, normalise_line, units

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


def _text_of(el) -> str:
    try:
        return normalise_line(el.text_content())
    except Exception:  # comments / processing instructions
        return ""


def _is_leafish(el) -> bool:
    for d in el.iterdescendants():
        tag = d.tag if isinstance(d.tag, str) else ""
        if tag.lower() in _BLOCK_TAGS:
            return False
    return True


def _meta_lines(tree, h1, first_para: str | None) -> list[str]:
    """Short dateline / byline / source lines printed after the headline (or at the
    top of the body when there is no <h1>), before the article text starts."""
    out: list[str] = []
    started = h1 is None
    stop_key = (first_para or "")[:30]
    scanned = 0
    body = tree.find(".//body")
    root = body if body is not None else tree
    for el in root.iter():
        if el is h1:
            started = True
            continue
        if not started:
            continue
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in _SKIP_TAGS or tag not in _LEAF_TAGS:
            continue
        if any((a.tag if isinstance(a.tag, str) else "").lower() in _SKIP_TAGS for a in el.iterancestors()):
            continue
        if not _is_leafish(el):
            continue
        text = _text_of(el)
        if not text:
            continue
        scanned += 1
        if scanned > 60 or (stop_key and text.startswith(stop_key)) or units(text) > 60:
            break
        if len(text) > 120:
            continue
        if _META_LINE_RE.search(text) or (find_dates(text) and units(text) <= 25):
            if not any(text in o or o in text for o in out):
                out.append(text)
        if len(out) >= 6:
            break
    return out


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
    body = tree.find(".//body")
    root = body if body is not None else tree
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


def _parse(html: str):
    import lxml.html

    try:
        return lxml.html.document_fromstring(html)
    except Exception:
        try:
            return lxml.html.fromstring(html.encode("utf-8", "replace"))
        except Exception:
            return None


_SHORT_TEXT = 80  # units (CJK characters + words): below this the fast extraction is retried with fallbacks


def _trafilatura(source, *, fast: bool):
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
            date_extraction_params={
                "extensive_search": False,  # markup only: never a date guessed from text or 'today'
                "original_date": True,
                "max_date": datetime.date.today().isoformat(),
            },
        )
    except Exception:
        return None


def html_to_document(html: str) -> HtmlDocument:

    # lxml refuses str input with an XML encoding declaration
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html, count=1)
    tree = _parse(html)
    doc = _trafilatura(tree if tree is not None else html, fast=True)
    text_len = units(getattr(doc, "text", None) or "") if doc is not None else 0
    if text_len < _SHORT_TEXT:
        # the fast pass found little: let trafilatura compare with readability / jusText too
        slow = _trafilatura(_parse(html) if tree is not None else html, fast=False)
        if slow is not None and units(slow.text or "") > text_len:
            doc = slow
    if tree is None:
        tree = _parse(html)

    content = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
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
    content_lines = [normalise_line(l) for l in content.split("\n")]
    content_lines = [l for l in content_lines if l]

    lead: list[str] = []
    head_line = h1_text or title
    if head_line:
        lead.append(head_line)
    if tree is not None:
        first_para = next((l for l in content_lines if units(l) >= 20), None)
        for line in _meta_lines(tree, h1_el, first_para):
            if line not in content_lines[:8]:
                lead.append(line)
    text = "\n".join(lead + content_lines)

    date = getattr(doc, "date", None) if doc is not None else None
    return HtmlDocument(
        text=text,
        title=(h1_text or title or None),
        date=date or None,
        url=getattr(doc, "url", None) if doc is not None else None,
        sitename=getattr(doc, "sitename", None) if doc is not None else None,
        author=getattr(doc, "author", None) if doc is not None else None,
    )
