"""SourceText → CleanText → paragraphs.

Reads: raw lines of a gazette issue as extracted from a PDF.
Writes: per line, the text with characters normalised (fullwidth digits and letters, private-use decimal points,
«» for 《》, ○ in years, markdown debris) and a kind (text / blank / furniture); the file's wrap width; and, on
request, paragraphs for any range of lines (hard-wrapped lines joined, display spacing and Chinese punctuation
restored), each with the source lines it covers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

from gongbao.model import CleanLine, CleanText, Paragraph, SourceText
from gongbao.parse.numerals import DATE_ALONE, DATE_AT_START

# ---------------------------------------------------------------------------------------------- characters

# Private-use glyphs seen in gazette PDF extraction and what they stand for.
PRIVATE_USE = {0x1001B0: ".", 0x100170: "·"}

_CHAR_MAP: dict[int, str] = {ord("«"): "《", ord("»"): "》", ord("‹"): "〈", ord("›"): "〉", **PRIVATE_USE}
_CHAR_MAP.update({0xFF10 + i: str(i) for i in range(10)})
_CHAR_MAP.update({0xFF21 + i: chr(0x41 + i) for i in range(26)})
_CHAR_MAP.update({0xFF41 + i: chr(0x61 + i) for i in range(26)})
_CHAR_MAP.update({ord(a): b for a, b in zip("％＋－＝＜＞．／＆＠＃", "%+-=<>./&@#", strict=True)})

_NEEDS_MAP = re.compile("[" + re.escape("".join(map(chr, _CHAR_MAP))) + "]")
_PRIVATE_USE_RE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")
_ZH_DIGITS = "〇零一二三四五六七八九"
# ○ for 〇 in written-out years (二○三五, 一九五○年), not as a bullet before a word (○一般项目)
_CIRCLE_ZERO = re.compile(rf"(?<=[{_ZH_DIGITS}○])○|○(?=[{_ZH_DIGITS}○]*年)")
_LATEX_SUB = re.compile(r"_\{([^{}]{1,12})\}")
_AUTOLINK = re.compile(r"<(https?://[^<>\s]+)>")
_BULLET = re.compile(r"^([-*•])\s+(?=\S)")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
# Justification spaces inside a leading label: "第 二 十条" → "第二十条".
_SPACED_LABEL = re.compile(
    r"^(第[\s〇零一二三四五六七八九十百千两\d]*?\s[\s〇零一二三四五六七八九十百千两\d]*[条章节编])(\s|之|【|$)"
)


# Anything at all that the character fixes below would change: most lines have none, and one search tells.
_NEEDS_FIX = re.compile(
    "[" + re.escape("".join(map(chr, _CHAR_MAP))) + "\r○\ue000-\uf8ff\U000f0000-\U0010ffff]|\\*\\*|_\\{|<http"
)


def normalize_chars(raw: str) -> str:
    """Character-level normalisation of one line; spacing is left for `display`."""
    s = _fix_chars(raw).strip() if _NEEDS_FIX.search(raw) else raw.strip()
    return _fix_lead(s) if s[:1] in "-*•#第" else s


def _fix_lead(s: str) -> str:
    """Markdown bullets and headings, and justification spaces inside a leading 第X条 label."""
    if s[:1] in "-*•":
        s = _BULLET.sub("", s)
    if s[:1] == "#":
        s = _MD_HEADING.sub("", s)
    if s.startswith("第") and _SPACED_LABEL.match(s):
        s = _SPACED_LABEL.sub(lambda m: _WS.sub("", m.group(1)) + m.group(2), s, count=1)
    return s


def _fix_chars(raw: str) -> str:
    s = raw.translate(_CHAR_MAP) if _NEEDS_MAP.search(raw) else raw
    if "\r" in s:
        s = s.replace("\r", " ")
    if _PRIVATE_USE_RE.search(s):  # other private-use glyphs carry no text
        s = _PRIVATE_USE_RE.sub("", s)
    if "○" in s:
        s = _CIRCLE_ZERO.sub("〇", s)
    if "**" in s:
        s = s.replace("**", "")
    if "_{" in s:
        s = _LATEX_SUB.sub(r"\1", s)
    if "<http" in s:
        s = _AUTOLINK.sub(r"\1", s)
    return s


def display_width(s: str) -> int:
    """Printed width of a line: 2 for every character of the CJK ranges (3 bytes in UTF-8: ideographs, fullwidth
    forms, and the quotes and dashes a Chinese font sets full width), 1 for the rest.  Computed from the UTF-8
    length, which is C-fast on every line of a 100 MB corpus."""
    return len(s) + (len(s.encode()) - len(s)) // 2


def is_cjk(ch: str) -> bool:
    if len(ch) != 1:
        return False
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FFFF or ch == "〇"


_WIDE_PUNCT = set("，。、；：？！“”‘’《》〈〉（）【】〔〕「」『』…—·　")


def _zh_context(ch: str) -> bool:
    return is_cjk(ch) or ch in _WIDE_PUNCT


# -------------------------------------------------------------------------------------------- furniture

_WS = re.compile(r"\s+")
_PAGE_NUMBER = re.compile(
    r"^[—\-–~－]{1,3}\s*\d{1,4}\s*[—\-–~－]{1,3}$|^第\s*\d{1,4}\s*页$|^[·•]\s*\d{1,4}\s*[·•]$|^\d{1,4}\s*/\s*\d{1,4}$"
)
_MARKDOWN_RULE = re.compile(r"^[-=|:\s]*-{3,}[-=|:\s]*$")
_GAZETTE_NAME = re.compile(r"^\S{2,40}?公报[\d·.年第期()（）总号/\-—]*$")


def _find_running_headers(texts: list[str], kinds: list[str], paged: bool = False) -> set[str]:
    """Running headers: a gazette name (…公报, maybe with year/issue) printed on more than one page, or any
    short line repeated next to page numbers.  A paged source (PDF) has had its headers found by their place on
    the page: there the line after a page number is only the next page's first line (often a title's first
    line, 中华人民共和国政府和 …), not a header."""
    counts = Counter(_WS.sub("", t) for t, k in zip(texts, kinds, strict=True) if k == "text" and "公报" in t)
    headers = {s for s, n in counts.items() if n >= 2 and _GAZETTE_NAME.match(s)}
    if paged:
        return headers
    near_page: Counter[str] = Counter()
    for i, k in enumerate(kinds):
        if k != "page":
            continue
        for j in range(i + 1, min(i + 4, len(kinds))):
            if kinds[j] == "text":
                near_page[_WS.sub("", texts[j])] += 1
                break
    headers |= {s for s, n in near_page.items() if n >= 2 and len(s) <= 40}
    return headers


# ---------------------------------------------------------------------------------------------- cleaning


def clean(source: SourceText) -> CleanText:
    texts = [normalize_chars(raw) if raw and not raw.isspace() else "" for raw in source.lines]
    kinds = [
        "blank"
        if not t
        else "page"
        if len(t) <= 16 and _PAGE_NUMBER.match(t)
        else "rule"
        if "---" in t and _MARKDOWN_RULE.match(t)
        else "text"
        for t in texts
    ]  # (inline: this runs on every line)
    headers = _find_running_headers(texts, kinds, paged=bool(source.pages))
    firsts = {h[0] for h in headers}
    furniture = source.furniture
    lines = []
    append = lines.append  # (this loop runs once per line of every file: names looked up once)
    for n, (raw, t, k) in enumerate(zip(source.lines, texts, kinds, strict=True), 1):
        if k == "blank":
            append(CleanLine(n, raw, "", k))
            continue
        if k != "text" or n in furniture or (t[0] in firsts and len(t) <= 80 and _WS.sub("", t) in headers):
            k = "furniture"
        indent = raw.startswith(("\u3000\u3000", "    "))
        lead_space = raw[:1] == " " and raw[1:2] != " "
        printed = raw.strip()
        width = len(printed) + (len(printed.encode()) - len(printed)) // 2  # display_width, inlined
        append(CleanLine(n, raw, t, k, indent, lead_space, width))
    return CleanText(source=source, lines=lines, wrap_width=_wrap_width(lines), header=min(headers, default=None))


def _wrap_width(lines: list[CleanLine]) -> int:
    """The display width at which the file was hard-wrapped, or 0 when each line is a whole paragraph."""
    widths = [ln.width for ln in lines if ln.kind == "text" and ln.width >= 16]
    if len(widths) < 20:
        return 0
    mode = Counter(widths).most_common(1)[0][0]
    near = sum(1 for w in widths if mode - 10 <= w <= mode + 4)
    return mode if near >= 0.45 * len(widths) else 0


# ------------------------------------------------------------------------------------------ line markers

ZH_NUM = "〇零一二三四五六七八九十百千两"
_NUM = rf"[{ZH_NUM}\d]+"
ARTICLE_HEAD = re.compile(rf"^第({_NUM})条(?:之({_NUM}))?(?=[\s【\[①-⑳※]|$)")  # ① a footnote mark
DIVISION_HEAD = re.compile(rf"^第({_NUM})(分编|[编章节])(?=[\s]|$|[^\s，。,.、的条款项规《〈“])")
DIVISION_SEPARATED = re.compile(rf"^第{_NUM}(?:分编|[编章节])[\s\u3000]")
_ITEM_MARK = re.compile(
    rf"^(?:[(（]\s*[{ZH_NUM}]+\s*[)）]|[(（]\s*\d{{1,2}}\s*[)）]|\d{{1,2}}\s*[.、．]|[{ZH_NUM}]+、|[①-⑳]|——)"
)
DOC_NUMBER_LINE = re.compile(r"^[\u4e00-\u9fff]{1,12}\s*[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d{1,5}\s*号$")
_ANNEX_LABEL = re.compile(r"^附\s*件\s*\d{0,2}\s*$|^附\s*件\s*\d{0,2}\s*[:：]")
_SERIAL_LINE = re.compile(r"^[(（]?\s*第\s*[\d一二三四五六七八九十百]+\s*号\s*[)）]?$")

# History lines under a title: "2004年1月8日 …会议通过" / "2010年…修正" – each its own paragraph.
_ENACTMENT_END = re.compile(r"(?:通过|批准|修正|修订|公布|发布|施行|决定|推定)[)）]?$")
_DATE_START = DATE_AT_START

_CONTENTS_HEAD = re.compile(r"^目\s*[录次]$")
_TERMINAL = set("。.；;：:！!？?…")
_CLOSERS = set("”’」』）)》〉】]")


_STRONG = re.compile(
    "|".join(
        f"(?:{p.pattern})"
        for p in (ARTICLE_HEAD, DIVISION_HEAD, DOC_NUMBER_LINE, _ANNEX_LABEL, _SERIAL_LINE, DATE_ALONE)
    )
    + "|——"
)
_MARKER = re.compile(f"(?:{_ITEM_MARK.pattern})|(?:{_STRONG.pattern})")


# What a line that _STRONG matches starts with (第 of an article, division or serial number, 附 of 附件, the
# parenthesis of a serial number, the dash of a speech line) or ends with (号 of a 文号, 日 of a date alone): the
# test that spares most lines the pattern.
_STRONG_FIRST = frozenset("第附(（—")


def is_strong_start(text: str) -> bool:
    """A line that always begins a new paragraph: article/division heads, 文号, 附件 labels, serial numbers, a
    date alone (a signature date), a dash line (———2023年…在…会议上)."""
    return _STRONG.match(text) is not None


def starts_with_marker(text: str) -> bool:
    """A strong start, or an item/outline marker: （一）, 一、, 1., （1）, ①."""
    return _MARKER.match(text) is not None


def ends_sentence(text: str, paragraph_start: str = "") -> bool:
    t = text.rstrip()
    while t and t[-1] in _CLOSERS:
        if t[-1] in ")）" and (paragraph_start or t).lstrip()[:1] in "(（":
            return True  # a complete parenthetical note: (2023年11月30日…通过)
        t = t[:-1]
    return bool(t) and t[-1] in _TERMINAL


# -------------------------------------------------------------------------------------------- paragraphs


def _full(line: CleanLine, wrap_width: int) -> bool:
    return line.width >= wrap_width - max(6, wrap_width // 5)


def _continues(
    prev: CleanLine,
    nxt: CleanLine,
    first: CleanLine,
    wrap_width: int,
    legal: bool,
    heading: bool = False,
    open_title: bool = False,
) -> bool:
    """Does `nxt` continue the paragraph whose last line so far is `prev` (first line `first`; `heading`: the
    paragraph is a 第X章/节 heading; `open_title`: it has opened a 《 it has not closed)?"""
    t = nxt.text
    if (
        nxt.indent
        or "\t" in prev.raw
        or "\t" in nxt.raw
        or ((t[:1] in _STRONG_FIRST or t[-1:] in "号日") and _STRONG.match(t))
    ):
        return False
    if (nxt.text[:1] == "目" and _CONTENTS_HEAD.match(nxt.text)) or (
        prev.text[:1] == "目" and _CONTENTS_HEAD.match(prev.text)
    ):
        return False  # a law's own 目录 stands alone, even under an over-full adoption note
    # (nxt is not a strong start: whether it starts with a marker is whether it starts with an item mark)
    if open_title and not _ITEM_MARK.match(nxt.text):
        return True  # 开展《国家体育 / 锻炼标准》: a book title is never cut by a paragraph break
    if heading:
        # 第三章　实施换道领跑战略， / 抢占“六新”发展制高点: a heading goes on only while it is visibly unfinished
        # (a short next line ends the heading or the sentence; a full one starts the body below the heading)
        return prev.text.endswith(("，", ",", "、")) or (bool(wrap_width) and not _full(nxt, wrap_width))
    terminal = ends_sentence(prev.text, first.text if prev.text[-1:] in ")）" else "")
    if wrap_width:
        if not _full(prev, wrap_width):
            return prev.text.endswith(("，", ",", "、")) and not _ITEM_MARK.match(nxt.text)
        if terminal:
            # A sentence that ends exactly at the margin usually ends its paragraph too (measured on the dev laws);
            # only an over-full line (wider than the column) is more often mid-paragraph.
            return prev.width >= wrap_width + 2 and not _ITEM_MARK.match(nxt.text) and not nxt.lead_space
        return not (_ENACTMENT_END.search(prev.text) and _DATE_START.match(nxt.text))
    if terminal or _ITEM_MARK.match(nxt.text):
        return False
    if not legal and starts_with_marker(prev.text):
        return False  # an outline heading such as 一、总体要求 stands alone
    if looks_like_title(prev.text):
        return False
    return "，" in prev.text or "," in prev.text or len(prev.text) >= 25


_TITLE_END = re.compile(r"(?:[\u4e00-\u9fff]{1,6})[)）》]?(?:[(（][^()（）]{1,16}[)）])?$")


def looks_like_title(text: str) -> bool:
    from gongbao.parse.doctypes import (
        title_type,  # local import: doctypes is a leaf module, kept out of clean's import time
    )

    return not re.search(r"[，,。；;：:！？]", text) and title_type(text) is not None and bool(_TITLE_END.search(text))


def iter_paragraphs(clean_text: CleanText, start: int, end: int, legal: bool | None = None) -> Iterator[Paragraph]:
    """Paragraphs made of the text lines in [start, end]; furniture inside a sentence is skipped over."""
    group: list[CleanLine] = []
    in_legal = bool(legal)
    heading = False
    depth = opened_at = 0  # 《 opened and not yet closed in the paragraph so far, and on which of its lines
    wrap = clean_text.wrap_width
    for ln in clean_text.lines[start - 1 : end]:
        if ln.kind != "text":
            continue
        if legal is None and not in_legal and ln.text[:1] == "第" and ARTICLE_HEAD.match(ln.text):
            in_legal = True
        # (a title runs over a few lines at most: a 》 lost in extraction must not chain a whole page)
        open_title = depth > 0 and len(group) - opened_at < 5
        if group and not _continues(group[-1], ln, group[0], wrap, in_legal, heading, open_title):
            yield make_paragraph(group)
            group, depth = [], 0
        if not group:
            heading = ln.text[:1] == "第" and DIVISION_SEPARATED.match(ln.text) is not None
        group.append(ln)
        depth = max(0, depth + ln.text.count("《") - ln.text.count("》"))
        if depth and ln.text.rfind("《") > ln.text.rfind("》"):
            opened_at = len(group)  # the title still open was opened on this line
    if group:
        yield make_paragraph(group)


def make_paragraph(lines: Iterable[CleanLine]) -> Paragraph:
    lines = list(lines)
    joined = lines[0].text if len(lines) == 1 else join_lines(ln.text for ln in lines)
    return Paragraph(text=display(joined), start_line=lines[0].number, end_line=lines[-1].number)


_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


def sentences(text: str) -> list[str]:
    """The sentences (and 。/；-separated clauses) of a paragraph, each with its closing mark."""
    return _SENTENCE.findall(text)


def join_lines(parts: Iterable[str]) -> str:
    """Join hard-wrapped lines: no separator, except between two Latin letters or digits."""
    out = ""
    for p in parts:
        if out and p and out[-1].isascii() and out[-1].isalnum() and p[0].isascii() and p[0].isalnum():
            out += " "
        out += p
    return out


# ----------------------------------------------------------------------------------------- display text

_LABEL_SEP = re.compile(rf"^(第{_NUM}(?:分编|[编章节条])(?:之{_NUM})?)[\s\u3000]+")
_SPACES = re.compile(r"[ \u3000\u00a0\u2000-\u200a]+")  # justification: ideographic, no-break, en … spaces
_TABS = re.compile(r"\t+")
_OUTLINE_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)[ \u3000]+(?=[\u4e00-\u9fff])")
_LATIN_WORD_END = re.compile(r"(?<![A-Za-z])[A-Za-z]{2,}$")
_LATIN_WORD_START = re.compile(r"^[A-Za-z]{2,}(?![A-Za-z])")


def display(text: str) -> str:
    """Display form of a paragraph: justification spaces removed, Chinese punctuation restored, one ideographic
    space kept after a leading 第X条/章 label, table cells separated by an ideographic space."""
    label = ""
    m = _LABEL_SEP.match(text) if text[:1] == "第" else None  # (each pattern is tried only where it can start)
    if m:
        label, text = m.group(1) + "\u3000", text[m.end() :]
    elif text[:1].isdecimal() and "\t" not in text and (m := _OUTLINE_NUMBER.match(text)):
        label, text = m.group(1) + " ", text[m.end() :]  # 1.1 编制目的: the outline number keeps its space
    return label + _punctuate(_cells(text) if "\t" in text else _respace(text))


def _cells(text: str) -> str:
    """A flattened table row: cells separated by an ideographic space."""
    return "\u3000".join(c for c in (_respace(c) for c in _TABS.split(text)) if c)


def _respace(s: str) -> str:
    if not _SPACES.search(s):
        return s
    parts = _SPACES.split(s.strip())
    out = parts[0] if parts else ""
    for p in parts[1:]:
        if out and p and not _bracket_edge(out[-1], p[0]):
            if not _zh_context(out[-1]) and not _zh_context(p[0]):
                out += " "
            elif _LATIN_WORD_END.search(out) or _LATIN_WORD_START.match(p):
                out += " "  # 地热能 and 生物质能: Latin words keep their spaces, digits do not (2025 年 → 2025年)
        out += p
    return out


def _bracket_edge(a: str, b: str) -> bool:
    return a in "(（[" or b in ")）]"


_ZH_CLASS = "\u3400-\u4dbf\u4e00-\u9fff〇" + "".join(sorted(_WIDE_PUNCT)).replace("\u3000", "")
_ZH = f"[{_ZH_CLASS}]"
# One pattern and a constant replacement per mark (no Python callback per match: this runs on every paragraph).
# , ; : touching Chinese text (a space may sit between the mark and the next character), so 15:00, 1,000 and
# http:// stay; . ! ? after Chinese text, and a full stop after a closing mark (…》. / …5%.).
_WIDEN = [
    (mark, re.compile(rf"(?<={_ZH}){re.escape(mark)}|{re.escape(mark)}(?= ?{_ZH})"), wide)
    for mark, wide in ((",", "，"), (";", "；"), (":", "："))
] + [(mark, re.compile(rf"(?<={_ZH}){re.escape(mark)}"), wide) for mark, wide in (("!", "！"), ("?", "？"))]
_FULL_STOP = re.compile(rf"(?<={_ZH})\.|(?<=[”’）)》〉】」』%])\.(?![A-Za-z0-9])")


_ASCII_MARKS = re.compile(r"[.,;:!?()]")


def _punctuate(s: str) -> str:
    """ASCII , . ; : ( ) ! ? used as Chinese punctuation → their fullwidth forms (digits and Latin text kept)."""
    if not s or not _ASCII_MARKS.search(s):  # (most Chinese paragraphs have none of these)
        return s
    if "." in s:
        s = _FULL_STOP.sub("。", s)
    for mark, pattern, wide in _WIDEN:
        if mark in s:
            s = pattern.sub(wide, s)
    if "(" in s or ")" in s:
        chars = list(s)
        _widen_parentheses(chars)
        s = "".join(chars)
    return s


def _widen_parentheses(chars: list[str]) -> None:
    stack: list[int] = []
    for i, ch in enumerate(chars):
        if ch == "(":
            stack.append(i)
        elif ch == ")":
            if stack:
                j = stack.pop()
                inner = chars[j + 1 : i]
                if any(_zh_context(c) for c in inner) or (j and _zh_context(chars[j - 1])):
                    chars[j], chars[i] = "（", "）"
            elif i and _zh_context(chars[i - 1]):
                chars[i] = "）"
    for j in stack:
        if j + 1 < len(chars) and _zh_context(chars[j + 1]):
            chars[j] = "（"
