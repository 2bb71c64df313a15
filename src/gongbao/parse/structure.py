"""Paragraphs of one document → Provisions.

Legal texts: 编/章/节 (part, chapter, section), 第X条 (article, 条之一 too) with an optional 【heading】, unnumbered
paragraphs (款), items （一） (项) and sub-items 1. / （1） (目).  An article counts only when its number continues
the sequence (1, 2, 3 … or 之一 after its base), so a reference such as "第十六条支持…" at the start of a line in a
report never becomes one.  Everything else (reports, plans, notices, the preamble and annexes of a law) becomes
heading provisions for 一、/（一）/1./（1）/1.1 outlines and block provisions for paragraphs.

Ids follow the Akoma Ntoso naming convention: chp_2__art_19__para_1__point_3; hcontainer_1__p_2 for outlines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongbao.model import Paragraph, Provision
from gongbao.parse.clean import ARTICLE_HEAD, DIVISION_HEAD
from gongbao.parse.numerals import CIRCLED, circled_to_int, zh_to_int

_ZH = "一二三四五六七八九十"
_ITEM = re.compile(rf"^[(（]\s*([{_ZH}]+)\s*[)）]\s*")
_SUB_ARABIC = re.compile(r"^(\d{1,2})\s*[.、．](?!\d)\s*")
_SUB_PAREN = re.compile(r"^[(（]\s*(\d{1,2})\s*[)）]\s*")
_CIRCLED = re.compile(r"^([①-⑳])\s*")
_CIRCLED_ANY = re.compile(f"[{CIRCLED}]")  # one C-speed scan instead of a Python loop per character
_HEAD_ZH = re.compile(rf"^([{_ZH}]+)、\s*")
_DECIMAL = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\s*(?=[^\d.\s])")
_DECIMAL_TOP = re.compile(r"^(\d{1,2})\s+(?=[\u4e00-\u9fff])")
_BRACKET_HEADING = re.compile(r"^[【\[［]([^】\]］]{1,30})[】\]］]\s*")
_ANNEX = re.compile(r"^附\s*(?:件|录|表)\s*\d{0,2}\s*(?:[:：]|$)|^附\s*[:：]")
MAX_DIVISION_GAP = 3
MAX_DIVISION_JUMP = 20
_CONTENTS = re.compile(r"^目\s*[录次]$")
# 分编 (a code's sub-part) is a level of its own between 编 and 章, stored as a part: 第二编 / 第一分编 / 第一章
_DIVISION_KIND = {"编": "part", "分编": "subpart", "章": "chapter", "节": "section"}
_DIVISION_ID = {"part": "part", "subpart": "subpart", "chapter": "chp", "section": "sec"}
_LEVELS = ("part", "subpart", "chapter", "section")
_PROVISION_KIND = {"subpart": "part"}


def parse_provisions(paragraphs: list[Paragraph], inner_title_lines: tuple[int, int] | None = None) -> list[Provision]:
    builder = _Builder()
    entry = _legal_entry(paragraphs)
    end = len(paragraphs) if entry is None else entry
    builder.outline(paragraphs[:end], inner_title_lines)
    if entry is not None:
        rest = builder.legal(paragraphs[entry:])
        builder.reset_outline()
        builder.outline(rest, inner_title_lines)
    return builder.provisions


def _article_head(text: str) -> tuple[int, int | None, str] | None:
    """(number, sub-number, label) when the paragraph starts with 第X条 / 第X条之一 and a separator."""
    m = ARTICLE_HEAD.match(text) if text[:1] == "第" else None  # (the pattern starts with 第: most paragraphs don't)
    if not m:
        return None
    number = zh_to_int(m.group(1))
    sub = zh_to_int(m.group(2)) if m.group(2) else None
    return (number, sub, m.group(0)) if number is not None else None


def _legal_entry(paragraphs: list[Paragraph]) -> int | None:
    """Index of the first paragraph of the legal text: article 1, with the 编/章/节 headings just above it."""
    heads = [(i, h) for i, p in enumerate(paragraphs) if (h := _article_head(p.text)) and h[1] is None]
    for n, (i, head) in enumerate(heads):
        # article 1, or an excerpt that starts later but runs on for at least three articles
        run = [h[0] for _, h in heads[n : n + 3]]
        if head[0] != 1 and any(_HEAD_ZH.match(p.text) for p in paragraphs[:i]):
            continue  # 一、将第十条修改为： / 第十条 …: the points of an amendment quote the articles they change
        if head[0] == 1 or run == list(range(head[0], head[0] + 3)):
            while i > 0 and (div := _division(paragraphs[i - 1].text)) and (div[1] == 1 or head[0] > 1):
                i -= 1
            return i
    return None


def _division(text: str) -> tuple[str, int, str, str | None] | None:
    """(kind, number, label, heading) for 第X编/章/节 headings."""
    m = DIVISION_HEAD.match(text) if text[:1] == "第" else None
    if not m:
        return None
    number = zh_to_int(m.group(1))
    rest = text[m.end() :].strip()
    if number is None or len(rest) > 40 or re.search(r"[。；;]", rest) or rest[-1:] in "，,、：:":
        return None
    if not text[m.end() : m.end() + 1].isspace() and (len(rest) > 12 or re.search(r"[，,（(：:]", rest)):
        return None  # 第二章消费者权利…（第七条至…）: a sentence about a chapter, not its heading
    return _DIVISION_KIND[m.group(2)], number, m.group(0), rest or None


@dataclass
class _Contents:
    """A law's own table of contents as it is read: the kind of its top entries (编 or 章) and the last number."""

    top: str | None = None
    listed: int = 0

    def lists(self, text: str) -> bool:
        """Is this paragraph still an entry?  The list ends where the top numbering starts again (the body)."""
        div = _division(text)
        if div is None:  # 序言, 附则 listed without a number
            return len(text) <= 12 and not re.search(r"[。，,；;：:]", text)
        self.top = self.top or div[0]
        if div[0] == self.top:
            if div[1] <= self.listed:
                return False
            self.listed = div[1]
        return True


@dataclass
class _Item:
    label: str
    number: int | None
    text: str
    start: int
    end: int
    subs: list[_Item] = field(default_factory=list)


@dataclass
class _Clause:  # 款
    text: str
    start: int
    end: int
    items: list[_Item] = field(default_factory=list)


@dataclass
class _Article:
    id: str
    label: str
    number: int
    heading: str | None
    parent: str | None
    start: int
    clauses: list[_Clause] = field(default_factory=list)
    notes: list[tuple[str, Paragraph]] = field(default_factory=list)  # (mark, paragraph): footnotes, 注


class _Builder:
    def __init__(self) -> None:
        self.provisions: list[Provision] = []
        self.ids: set[str] = set()
        self.counters: dict[str | None, int] = {}
        self.last_division: dict[str, int] = {}
        self.reset_outline()

    # ----------------------------------------------------------------------------------------- ids

    def _unique(self, pid: str) -> str:
        base, n = pid, 2
        while pid in self.ids:
            pid, n = f"{base}_{n}", n + 1
        self.ids.add(pid)
        return pid

    def _child_id(self, parent: str | None, name: str, number: int | None = None) -> str:
        if number is None:
            key = f"{parent}|{name}"
            number = self.counters[key] = self.counters.get(key, 0) + 1
        return self._unique(f"{parent}__{name}_{number}" if parent else f"{name}_{number}")

    def _add(self, **kw) -> Provision:
        p = Provision(**kw)
        self.provisions.append(p)
        return p

    def _add_block(self, parent: str | None, para: Paragraph) -> Provision:
        """A paragraph of its own (no label) under `parent`."""
        return self._add(
            id=self._child_id(parent, "p"), kind="block", number=None, label="", text=para.text, parent=parent,
            start_line=para.start_line, end_line=para.end_line,
        )  # fmt: skip

    # ------------------------------------------------------------------------------------- outline

    def reset_outline(self) -> None:
        self.stack: list[tuple[int, str]] = []  # (level, provision id)
        self.marker_order: list[str] = []

    def outline(self, paragraphs: list[Paragraph], inner_title_lines: tuple[int, int] | None) -> None:
        contents: _Contents | None = None
        for p in paragraphs:
            if _CONTENTS.match(p.text):  # a law's own table of contents: 目录 and the list of its divisions
                contents = _Contents()
                self.reset_outline()
                pid = self._child_id(None, "hcontainer")
                self._add(
                    id=pid,
                    kind="heading",
                    number=None,
                    label="",
                    heading="目录",
                    text="",
                    parent=None,
                    start_line=p.start_line,
                    end_line=p.end_line,
                )
                self.stack.append((-1, pid))
                continue
            if contents and contents.lists(p.text):
                self._add_block(self.stack[-1][1], p)
                continue
            if contents:
                contents = None
                self.reset_outline()
            if inner_title_lines and inner_title_lines[0] <= p.start_line <= inner_title_lines[1]:
                self.reset_outline()
                self._add(
                    id=self._child_id(None, "hcontainer"),
                    kind="heading",
                    number=None,
                    label="",
                    heading=p.text,
                    text="",
                    parent=None,
                    start_line=p.start_line,
                    end_line=p.end_line,
                )
                continue
            marker = _outline_marker(p.text)
            if marker is None:
                parent = self.stack[-1][1] if self.stack else None
                self._add_block(parent, p)
                continue
            style, label, number, rest = marker
            if style not in self.marker_order:
                self.marker_order.append(style)
            level = self.marker_order.index(style)
            while self.stack and self.stack[-1][0] >= level:
                self.stack.pop()
            parent = self.stack[-1][1] if self.stack else None
            heading, text = _split_heading(rest)
            if style in _DIVISION_ID:  # 第X章 of a plan or of a text whose units are not articles
                kind, pid = _PROVISION_KIND.get(style, style), self._child_id(parent, _DIVISION_ID[style], number)
            else:
                kind, pid = "heading", self._child_id(parent, "hcontainer")
            self._add(
                id=pid,
                kind=kind,
                number=number,
                label=label,
                heading=heading,
                text=text,
                parent=parent,
                start_line=p.start_line,
                end_line=p.end_line,
            )
            self.stack.append((level, pid))

    # --------------------------------------------------------------------------------------- legal

    def legal(self, paragraphs: list[Paragraph]) -> list[Paragraph]:
        """Parse the legal text; return the paragraphs after it (annexes) for the outline parser."""
        divisions: dict[str, tuple[str, int] | None] = dict.fromkeys(_LEVELS)
        last_article = (0, None)
        article: _Article | None = None
        referenced: set[str] = set()  # footnote marks met inside the text so far (…修改为①)
        for i, p in enumerate(paragraphs):
            mark = _note_mark(p.text, referenced)
            if _CIRCLED_ANY.search(p.text, 1):
                referenced.update(_CIRCLED_ANY.findall(p.text, 1))
            if mark and article is not None:
                article.notes.append((mark, p))  # a note does not end the article: its next 款 may follow
                referenced.discard(mark)
                continue
            if p.text[:1] == "附" and _ANNEX.match(p.text):
                self._close(article)
                return paragraphs[i:]
            div = _division(p.text)
            if div and self._division_fits(div, divisions, _next_opens(paragraphs, i, last_article)):
                self._close(article)
                article = None
                self._open_division(div, p, divisions)
                continue
            head = _article_head(p.text)
            if head and _continues_sequence(head, last_article):
                self._close(article)
                article = self._open_article(head, p, divisions)
                last_article = (head[0], head[1])
                continue
            if article is None:
                parent = _innermost(divisions)
                self._add_block(parent, p)
                continue
            _attach(article, p)
        self._close(article)
        return []

    def _division_fits(self, div, divisions, opens: bool) -> bool:
        """Chapters number on from the last one (from 1 again under a new part, on across its 分编); sections
        restart per chapter, 分编 per part.
        A heading lost in extraction leaves a gap: a small jump forward is accepted, a larger one only when the
        next paragraph opens the next article (or the first section) — a law printed with chapters left out."""
        current = divisions[div[0]]
        restarts = div[0] in ("section", "subpart")
        last = current[1] if current else 0 if restarts else self.last_division.get(div[0], 0)
        gap = MAX_DIVISION_GAP if not opens else MAX_DIVISION_JUMP
        return last < div[1] <= last + gap or (not current and div[1] == 1)

    def _open_division(self, div, p: Paragraph, divisions) -> None:
        kind, number, label, heading = div
        order = _LEVELS
        level = order.index(kind)
        parent = next((divisions[k][0] for k in reversed(order[:level]) if divisions[k]), None)
        name = f"{_DIVISION_ID[kind]}_{number}"
        pid = self._unique(f"{parent}__{name}" if parent else name)
        self._add(
            id=pid,
            kind=_PROVISION_KIND.get(kind, kind),
            number=number,
            label=label,
            heading=heading,
            text="",
            parent=parent,
            start_line=p.start_line,
            end_line=p.end_line,
        )
        divisions[kind] = (pid, number)
        self.last_division[kind] = number
        for k in order[level + 1 :]:
            divisions[k] = None

    def _open_article(self, head, p: Paragraph, divisions) -> _Article:
        number, sub, label = head
        body = p.text[len(label) :].lstrip("\u3000 ")
        if body[:1] in CIRCLED or body[:1] == "※":  # 第二条① …: the footnote mark of the label; its note follows
            body = body[1:].lstrip("\u3000 ")
        heading = None
        m = _BRACKET_HEADING.match(body)
        if m:
            heading, body = m.group(1), body[m.end() :]
        parent = _innermost(divisions)
        name = f"art_{number}_{sub}" if sub else f"art_{number}"
        pid = self._unique(f"{parent}__{name}" if parent else name)
        article = _Article(
            id=pid, label=label.strip(), number=number, heading=heading, parent=parent, start=p.start_line
        )
        article.clauses.append(_Clause(text=body, start=p.start_line, end=p.end_line))
        return article

    def _close(self, article: _Article | None) -> None:
        if article is None:
            return
        clauses = [c for c in article.clauses if c.text or c.items]
        end = max(
            [c.end for c in article.clauses]
            + [it.end for c in article.clauses for it in c.items]
            + [n.end_line for _, n in article.notes]
        )
        self._add(
            id=article.id,
            kind="article",
            number=article.number,
            label=article.label,
            heading=article.heading,
            text="\n".join(_clause_text(c) for c in clauses),
            parent=article.parent,
            start_line=article.start,
            end_line=end,
        )
        if len(clauses) > 1 or (clauses and clauses[0].items):
            self._emit_clauses(article, clauses)
        for n, (mark, note) in enumerate(article.notes, 1):
            self._add(
                id=self._unique(f"{article.id}__note_{n}"), kind="block", number=None, label=mark,
                heading="注", text=note.text[len(mark) :].lstrip("：:\u3000 "), parent=article.id,
                start_line=note.start_line, end_line=note.end_line,
            )  # fmt: skip

    def _emit_clauses(self, article: _Article, clauses: list[_Clause]) -> None:
        for n, clause in enumerate(clauses, 1):
            cid = self._unique(f"{article.id}__para_{n}")
            c_end = max([clause.end] + [it.end for it in clause.items])
            self._add(
                id=cid,
                kind="paragraph",
                number=n,
                label=f"第{_zh(n)}款",
                text=_clause_text(clause),
                parent=article.id,
                start_line=clause.start,
                end_line=c_end,
            )
            for m, item in enumerate(clause.items, 1):
                self._emit_item(item, cid, m, "item")

    def _emit_item(self, item: _Item, parent: str, n: int, kind: str) -> None:
        pid = self._unique(f"{parent}__point_{item.number or n}")
        end = max([item.end] + [s.end for s in item.subs])
        self._add(
            id=pid,
            kind=kind,
            number=item.number or n,
            label=item.label,
            text=_item_text(item),
            parent=parent,
            start_line=item.start,
            end_line=end,
        )
        for m, sub in enumerate(item.subs, 1):
            self._emit_item(sub, pid, m, "subitem")


_NOTE = re.compile(r"^(?:※|注\s*[:：]|注释\s*[:：]|[(（]\s*注\s*[)）])")


def _note_mark(text: str, referenced: set[str]) -> str | None:
    """The mark of an editorial note: ※…, 注：…, or ①… when ① was met earlier inside the text (a footnote
    reference) — otherwise ① starts a sub-item."""
    m = _NOTE.match(text) if text[:1] in "※注(（" else None  # (what the pattern can start with)
    if m:
        return m.group(0)
    if text[:1] in referenced:
        return text[0]
    return None


def _next_opens(paragraphs: list[Paragraph], i: int, last_article: tuple[int, int | None]) -> bool:
    """The paragraph after i is the next article of the sequence, or a first section / chapter."""
    if i + 1 >= len(paragraphs):
        return False
    text = paragraphs[i + 1].text
    head = _article_head(text)
    if head:
        return head[1] is None and head[0] == last_article[0] + 1
    div = _division(text)
    return div is not None and div[1] == 1


def _continues_sequence(head, last) -> bool:
    number, sub = head[0], head[1]
    if sub is not None:
        return number == last[0]
    return number > last[0]


def _innermost(divisions) -> str | None:
    for k in reversed(_LEVELS):
        if divisions[k] and divisions[k][0]:
            return divisions[k][0]
    return None


def _attach(article: _Article, p: Paragraph) -> None:
    """A paragraph inside an article: an item （一）, a sub-item 1./（1）, or a new 款."""
    clause = article.clauses[-1]
    m = _ITEM.match(p.text)
    if m:
        clause.items.append(
            _Item(
                label=_label(m),
                number=zh_to_int(m.group(1)),
                text=p.text[m.end() :],
                start=p.start_line,
                end=p.end_line,
            )
        )
        return
    m = _SUB_ARABIC.match(p.text) or _SUB_PAREN.match(p.text) or _CIRCLED.match(p.text)
    if m:
        number = circled_to_int(m.group(1)) or int(m.group(1))
        sub = _Item(label=_label(m), number=number, text=p.text[m.end() :], start=p.start_line, end=p.end_line)
        if clause.items and _marker_style(clause.items[-1].label) != _marker_style(sub.label):
            clause.items[-1].subs.append(sub)
        else:  # the first of a list, or the next one of a list of the same style (① after ①)
            clause.items.append(sub)
        return
    if clause.items and clause.items[-1].text and clause.items[-1].text[-1] not in "。；;.：:":
        clause.items[-1].text += p.text  # an item broken by a page break
        clause.items[-1].end = p.end_line
        return
    article.clauses.append(_Clause(text=p.text, start=p.start_line, end=p.end_line))


def _marker_style(label: str) -> str:
    """（一） / 1. / （1） / ①: which list a marker belongs to."""
    if label[:1] in "(（":
        return "paren-zh" if re.match(rf"^[(（]\s*[{_ZH}]", label) else "paren-arabic"
    return "circled" if circled_to_int(label[:1]) else "arabic"


def _label(m: re.Match[str]) -> str:
    return m.group(0).strip()


def _clause_text(c: _Clause) -> str:
    return "\n".join([c.text] * bool(c.text) + [f"{it.label}{_item_text(it)}" for it in c.items])


def _item_text(item: _Item) -> str:
    return "\n".join([item.text] + [f"{s.label}{_item_text(s)}" for s in item.subs])


def _zh(n: int) -> str:
    """12 → 十二, 105 → 一百零五: ordinal labels for 款 (第十二款)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + _zh(rest) if rest < 10 else ("一" + _zh(rest) if rest < 20 else _zh(rest)))
        return digits[n // 100] + "百" + tail
    # an article of a thousand paragraphs or more (a pasted table): 一千零五, 一千零一十, 一万零二百
    unit, name = (10000, "万") if n >= 10000 else (1000, "千")
    rest = n % unit
    if rest == 0:
        return _zh(n // unit) + name
    gap = "零" if rest < unit // 10 else ""
    return _zh(n // unit) + name + gap + ("一" + _zh(rest) if 10 <= rest < 20 else _zh(rest))


# --------------------------------------------------------------------------------------------- outline


def _outline_marker(text: str) -> tuple[str, str, int | None, str] | None:
    """(style, label, number, rest) for outline headings: 第X章, 一、, （一）, 1., （1）, ①, 1.1 / 1 总则."""
    div = _division(text)
    if div:
        return (div[0], div[2], div[1], text[len(div[2]) :].strip())
    for style, pattern in (("zh", _HEAD_ZH), ("paren-zh", _ITEM), ("paren-arabic", _SUB_PAREN), ("circled", _CIRCLED)):
        m = pattern.match(text)
        if m:
            num = m.group(1)
            number = zh_to_int(num) if style != "circled" else circled_to_int(num)
            return (style, _label(m), number, text[m.end() :])
    m = _DECIMAL.match(text)
    if m:
        return (f"decimal-{m.group(1).count('.') + 1}", m.group(1), None, text[m.end() :].strip())
    m = _SUB_ARABIC.match(text)
    if m:
        return ("arabic", _label(m), int(m.group(1)), text[m.end() :])
    m = _DECIMAL_TOP.match(text)
    if m and len(text) <= 20 and not re.search(r"[，。；：,;:\u3000]", text):  # (a table row has cells)
        return ("decimal-1", m.group(1), int(m.group(1)), text[m.end() :].strip())
    return None


def _split_heading(rest: str) -> tuple[str | None, str]:
    """A heading line, or a run-in heading: （一）高位组织推动。党组书记… → ('高位组织推动', '党组书记…')."""
    rest = rest.strip()
    if not rest:
        return None, ""
    if len(rest) <= 40 and not re.search(r"[。；;]", rest[:-1]):
        return rest.rstrip("。."), ""
    m = re.match(r"^([^。；;，,]{2,40})[。.]", rest)
    if m:
        return m.group(1), rest[m.end() :]
    return None, rest
