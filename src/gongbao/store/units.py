"""What a search unit is, for every backend: the part of a document a search hit can be.

An article (with its 款/项/目, under the names of its 编/章/节), a heading of a plan or report together with the
short paragraphs under it (a task with its 责任领导/牵头单位 lines), or a paragraph.  Pure: documents in, units out;
each backend indexes them its own way (store/sqlite/index.py, store/postgres/grams.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from gongbao.model import Document, Provision

SMALL_SECTION_CHARS = 400  # a heading and its paragraphs form one unit when they are this short together


@dataclass
class Unit:
    provision_id: str
    kind: str
    title: str
    heading: str
    body: str
    start_line: int
    end_line: int


def units_of(doc: Document) -> list[Unit]:
    """The search units of a document, in document order."""
    title = doc.title + (f" {doc.inner_title}" if doc.inner_title else "")
    by_id = {p.id: p for p in doc.provisions}
    children: dict[str | None, list[Provision]] = {}
    for p in doc.provisions:
        children.setdefault(p.parent, []).append(p)
    covered: set[str] = set()
    out: list[Unit] = []
    for p in doc.provisions:
        if p.id in covered:
            continue
        context = _division_context(p, by_id)
        if p.kind == "article":
            heading = " ".join(x for x in (context, p.heading or "") if x)
            out.append(Unit(p.id, p.kind, title, heading, p.text, p.start_line, p.end_line))
        elif p.kind == "heading":
            own = " ".join(x for x in (p.label, p.heading or "", p.text) if x)
            blocks = [c for c in children.get(p.id, []) if c.kind == "block"]
            if blocks and len(own) + sum(len(b.text) for b in blocks) <= SMALL_SECTION_CHARS:
                body = "\n".join([p.text] * bool(p.text) + [b.text for b in blocks])
                covered.update(b.id for b in blocks)
                end = max(b.end_line for b in blocks)
                out.append(Unit(p.id, p.kind, title, _heading_text(p, context), body, p.start_line, end))
            elif p.text or p.heading:
                out.append(Unit(p.id, p.kind, title, _heading_text(p, context), p.text, p.start_line, p.end_line))
        elif p.kind == "block":
            parent = by_id.get(p.parent) if p.parent else None
            heading = _heading_text(parent, "") if parent is not None and parent.kind == "heading" else context
            out.append(Unit(p.id, p.kind, title, heading, p.text, p.start_line, p.end_line))
    return out


def _heading_text(p: Provision, context: str) -> str:
    return " ".join(x for x in (context, p.label, p.heading or "") if x)


def _division_context(p: Provision, by_id: dict[str, Provision]) -> str:
    """Names of the enclosing 编/章/节 (第五章 法律责任 → '法律责任'): they tell what an article is about."""
    names = []
    parent = by_id.get(p.parent) if p.parent else None
    while parent is not None:
        if parent.kind in ("part", "chapter", "section") and parent.heading:
            names.append(parent.heading)
        parent = by_id.get(parent.parent) if parent.parent else None
    return " ".join(reversed(names))
