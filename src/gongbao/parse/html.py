"""A saved web page (.html/.htm) → the lines of its main text.

Reads: HTML as saved from a gazette or gov.cn page (any encoding the page declares, through lxml).
Writes: one line per block (paragraph, heading, list item, table row with tab-separated cells) of the page's main
text.  The main text is the element holding the most Chinese text in its paragraphs once navigation, menus,
headers, footers, scripts and forms are dropped (a page's article body, not its link lists: link text counts
against an element).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "select", "button")
_CHROME = re.compile(r"nav|menu|footer|header|breadcrumb|crumb|sidebar|share|banner|toolbar|copyright|link", re.I)
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "pre", "blockquote", "dt", "dd", "section"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SPACE = re.compile(r"[ \t\r\n\u00a0]+")
_INDENT = "\u3000\u3000"


class HtmlError(Exception):
    pass


def html_lines(data: bytes) -> list[str]:
    try:
        root = lxml.html.document_fromstring(data)
    except (etree.ParserError, ValueError) as e:
        raise HtmlError(f"not a readable HTML page ({e})") from None
    _strip_chrome(root)
    main = _main_element(root)
    lines: list[str] = []
    _collect(main, lines)
    return [part for ln in lines for part in ln.split("\n") if part.strip()]


def _strip_chrome(root: etree._Element) -> None:
    for el in root.iter(*_DROP_TAGS):
        el.drop_tree() if el.getparent() is not None else None
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        marks = " ".join(filter(None, (el.get("id"), el.get("class"), el.get("role"))))
        if marks and _CHROME.search(marks) and _text_weight(el) < 200:
            el.drop_tree()


def _text_weight(el: etree._Element) -> int:
    """Chinese characters of an element outside links (link lists are navigation)."""
    total = len(_CJK.findall(el.text_content()))
    linked = sum(len(_CJK.findall(a.text_content())) for a in el.iter("a"))
    return total - 2 * linked


def _main_element(root: etree._Element) -> etree._Element:
    """The smallest element that holds nearly all the paragraph text of the page's best-scoring container."""
    body = root.find("body")
    candidates = [(el, _paragraph_weight(el)) for el in root.iter("div", "article", "section", "td", "main")]
    candidates = [(el, w) for el, w in candidates if w > 0]
    if not candidates:
        return body if body is not None else root
    top = max(w for _el, w in candidates)
    near = [el for el, w in candidates if w >= 0.8 * top]
    return min(near, key=lambda el: len(el.text_content()))


def _paragraph_weight(el: etree._Element) -> int:
    """Chinese text in an element's paragraphs (or, without <p>, in its own text), links not counted."""
    ps = list(el.iter("p"))
    if ps:
        return sum(max(0, _text_weight(p)) for p in ps)
    return max(0, _text_weight(el))


def _collect(el: etree._Element, lines: list[str]) -> None:
    if el.tag == "tr":
        cells = [_SPACE.sub(" ", c.text_content()).strip() for c in el.iter("td", "th")]
        lines.append("\t".join(cells))
        return
    if el.tag == "br":
        lines.append("")
    has_block_child = any(isinstance(c.tag, str) and c.tag in _BLOCKS | {"table", "ul", "ol"} for c in el)
    if el.tag in _BLOCKS and not has_block_child:
        text = _block_text(el)
        if _is_heading(el):
            lines.append(text)
        else:  # a paragraph of its own: the indent keeps the text pipeline from joining it to the next
            lines.append("\n".join(_INDENT + t for t in text.split("\n") if t))
        return
    if el.text and el.text.strip():
        lines.append(_SPACE.sub(" ", el.text).strip())
    for child in el:
        if isinstance(child.tag, str):
            _collect(child, lines)
        if child.tail and child.tail.strip():
            lines.append(_SPACE.sub(" ", child.tail).strip())


def _is_heading(el: etree._Element) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return el.tag in ("h1", "h2", "h3", "h4", "h5", "h6") or el.get("align") == "center" or "text-align:center" in style


def _block_text(el: etree._Element) -> str:
    """A block's text; <br> inside it breaks the line (kept as a newline, split by the caller's reader)."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "br":
            parts.append("\n")
        elif isinstance(child.tag, str):
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return "\n".join(_SPACE.sub(" ", p).strip() for p in "".join(parts).split("\n"))
