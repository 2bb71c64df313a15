"""Page data → HTML.  One Jinja2 environment with autoescaping on for every template; the helpers the templates
use (search terms highlighted, snippet marks, Chinese labels); and per-process caches of the two expensive pieces
— a document's rendered provision tree and a source file's rendered lines — keyed by the source file's SHA-256, so
that a re-ingested file is seen at once.

Text from the corpus or from a request only reaches the HTML through autoescaping or through `escape()` here;
`Markup` is built only from escaped pieces and fixed tags."""

from __future__ import annotations

import itertools
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from gongbao.link.status import STATUSES
from gongbao.search.engine import analyze
from gongbao.web.pages import DocumentView, Node, source_url

ASSET_VERSION = "4"
DATE_LABELS = {
    "adopted": "通过",
    "issued": "印发",
    "published": "公布",
    "effective": "施行",
    "delivered": "报告日期",
}
REGION_LABELS = {
    "front": "封面",
    "toc": "目录",
    "intro": "简介",
    "back": "封底",
    "gap": "空白",
    "furniture": "页眉页码",
}
RELATION_LABELS = {
    "promulgates": "公布",
    "explains": "说明",
    "reviews": "审议",
    "approves": "批准",
    "resolves": "决议",
    "transmits": "转送",
    "implements": "实施",
    "amends": "修改",
    "repeals": "废止",
    "cites": "引用",
}
FILTER_LABELS = {
    "type": "类型",
    "issuer": "发布机关",
    "year": "年份",
    "file": "来源",
    "laws": "法规条文",
    "status": "效力",
    "in_force": "只看现行有效",
}
STATUS_LABELS = {"unknown": "效力未知"}
# a CSS class per status code (grammar.STATUS_CODES: in force, not yet, changed, ended, unknown)
STATUS_CLASSES = {"in_force": "in-force", "not_yet_in_force": "pending", "amended": "changed",
                  "partly_repealed": "changed", "repealed": "ended", "expired": "ended", "unknown": "unknown",
                  "none": "unknown"}  # fmt: skip
ROLE_LABELS = {"leader": "责任领导", "lead": "牵头", "cooperate": "配合", "responsible": "负责"}


FACET_LABELS = {
    "doc_type": ("类型", "type"),
    "issuer": ("发布机关", "issuer"),
    "year": ("年份", "year"),
    "file": ("来源", "file"),
    "status": ("效力", "status"),
}
_NOTES = (
    (re.compile(r"query shortened to its first (\d+) characters"), r"查询过长，只检索了前 \1 个字。"),
    (re.compile(r"only the first (\d+) terms are searched"), r"词太多，只检索了前 \1 个。"),
    (re.compile(r"nothing searchable in the query.*"), "查询里没有可检索的内容（只有标点、符号或疑问词）。"),
)
_SNIPPET_MARK = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)

env = Environment(
    loader=PackageLoader("gongbao.web", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,
)


def render(template: str, **context: Any) -> str:
    return env.get_template(template).render(**context)


# ------------------------------------------------------------------------------------------------ text


def _marked(text: str, spans: list[tuple[int, int]]) -> Markup:
    """`text` escaped, the given spans wrapped in <mark> (touching spans as one: 生活垃圾|分类 reads as one match)."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    out, pos = [], 0
    for start, end in merged:
        out += [escape(text[pos:start]), Markup("<mark>%s</mark>") % text[start:end]]
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def marks(snippet: str | None) -> Markup:
    """A search snippet: escaped, its **matched words** wrapped in <mark> (markup in the text stays text)."""
    text = snippet or ""
    plain, spans, pos = [], [], 0
    for m in _SNIPPET_MARK.finditer(text):
        plain.append(text[pos : m.start()])
        start = sum(map(len, plain))
        plain.append(m.group(1))
        spans.append((start, start + len(m.group(1))))
        pos = m.end()
    plain.append(text[pos:])
    return _marked("".join(plain), spans)


@lru_cache(maxsize=256)
def _term_pattern(query: str) -> re.Pattern[str] | None:
    words = {a for t in analyze(query).terms for a in t.alternatives if a.strip()}
    if not words:
        return None
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))), re.IGNORECASE)


MAX_MARKS = 2000  # marks on one page: a one-character term in a huge paragraph would otherwise mark it a million times
MAX_MARKS_PER_TEXT = 200


def highlighter(query: str | None) -> Callable[[str | None], Markup]:
    """A function that escapes a text and marks in it the words search looks for when given `query`: at most
    MAX_MARKS_PER_TEXT in one text and MAX_MARKS in all the texts it is given (the rest is shown unmarked), so that
    the time and size of a page with marks stay bounded whatever the query."""
    pattern = _term_pattern(query) if query else None
    if pattern is None:
        return lambda text: escape(text or "")
    budget = [MAX_MARKS]

    def mark(text: str | None) -> Markup:
        if budget[0] <= 0:
            return escape(text or "")
        found = [m.span() for m in itertools.islice(pattern.finditer(text or ""), min(budget[0], MAX_MARKS_PER_TEXT))]
        budget[0] -= len(found)
        return _marked(text or "", found)

    return mark


def note_zh(note: str) -> str:
    for pattern, replacement in _NOTES:
        if pattern.fullmatch(note):
            return pattern.sub(replacement, note)
    return note


def url(path: str, params: dict[str, Any] | None = None) -> str:
    return path + ("?" + urlencode(params) if params else "")


def _lines(text: str | None) -> list[str]:
    return [line for line in (text or "").split("\n") if line.strip()]


env.filters["marks"] = marks
env.filters["lines"] = _lines
env.globals.update(
    url=url,
    source_url=source_url,
    DATE_LABELS=DATE_LABELS,
    REGION_LABELS=REGION_LABELS,
    RELATION_LABELS=RELATION_LABELS,
    FILTER_LABELS=FILTER_LABELS,
    FACET_LABELS=FACET_LABELS,
    note_zh=note_zh,
    asset_version=ASSET_VERSION,
    STATUSES=STATUSES,
    STATUS_LABELS=STATUS_LABELS,
    STATUS_CLASSES=STATUS_CLASSES,
    ROLE_LABELS=ROLE_LABELS,
)


# ----------------------------------------------------------------------------------------------- caches

T = TypeVar("T")


class LRU:
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int):
        self.size = size
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = make()
        with self._lock:
            self._data[key] = value
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value

    def peek(self, key: Hashable) -> Any | None:
        """The value cached for `key` (now the most recently used), or None."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        return None

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


_bodies = LRU(64)
_sources = LRU(8)


def document_body(view: DocumentView, query: str | None = None, part: int = 1) -> Markup:
    """The text of a document (of one of its parts, from 1) as HTML, an anchor per provision; search terms marked
    when there is a query.  Without a query the result is cached per document, source version and part."""
    roots = view.parts[part - 1] if view.parts and part > 0 else view.roots  # part 0: the whole text
    if query and _term_pattern(query):
        return _render_body(roots, highlighter(query))
    doc = view.document
    return _bodies.get((doc.id, doc.source.sha256, part), lambda: _render_body(roots, highlighter(None)))


def first_part_marked(view: DocumentView, query: str | None) -> int | None:
    """The first part of a document (from 1) whose text holds a word `query` searches for, or None."""
    pattern = _term_pattern(query) if query else None
    if pattern is None or len(view.parts) < 2:
        return None
    for number, roots in enumerate(view.parts, 1):
        if any(_holds(n, pattern) for n in roots):
            return number
    return None


def _holds(node: Node, pattern: re.Pattern[str]) -> bool:
    own = pattern.search(node.lead) or pattern.search(node.tail)
    return bool(own) or any(_holds(c, pattern) for c in node.children)


def _render_body(roots: list[Node], hl: Callable[[str | None], Markup]) -> Markup:
    return Markup(render("_body.html", roots=roots, hl=hl))


def source_lines_html(data: dict[str, Any], selected: tuple[int, int] | None) -> Markup:
    """The numbered lines of a source file, each with an id (L120) to link to, the selected range marked."""
    first = data["lines"][0]["n"] if data["lines"] else 1
    key = (data["file"], data["sha256"], first, len(data["lines"]))  # one window of the file (pages.source_window)
    lines = _sources.get(key, lambda: _render_source_lines(data))
    if selected:
        lines = list(lines)
        for n in range(max(selected[0], first), min(selected[1], first + len(lines) - 1) + 1):
            # str.replace: Markup.replace would escape the replacement as if it were text
            lines[n - first] = Markup(str(lines[n - first]).replace('class="ln', 'class="ln sel', 1))
    return Markup("").join(lines)


def _render_source_lines(data: dict[str, Any]) -> list[Markup]:
    region_of: dict[int, str] = {}
    for r in data["regions"]:
        for n in range(r["start_line"], r["end_line"] + 1):
            region_of[n] = r["kind"]
    starts = {d["start_line"]: d for d in data["documents"]}
    out = []
    page = None
    for line in data["lines"]:
        n = line["n"]
        head = Markup("")
        if line.get("page") is not None and line["page"] != page:  # a paged source (PDF): where each page begins
            page = line["page"]
            url = f"/source/{quote(data['file'])}/original#page={page}"
            head += Markup('<div class="page-start" id="p%d"><a href="%s">第 %d 页</a></div>') % (page, url, page)
        if n in starts:
            d = starts[n]
            head += Markup('<div class="doc-start"><a href="%s">%s</a></div>') % (d["url"], d["title"])
        kind = region_of.get(n)
        cls = f"ln rg-{kind}" if kind else "ln"
        out.append(
            Markup('%s<div class="%s" id="L%d"><a class="no" href="#L%d">%d</a><span class="tx">%s</span></div>\n')
            % (head, cls, n, n, n, line["text"])
        )
    return out
