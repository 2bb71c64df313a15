"""One document as Markdown or as plain text, each with its metadata and citation block (pure functions).

The outline is kept: 编/章/节 and the headings of texts without articles become Markdown headings (by depth), an
article starts with its number in bold, 款 follow as paragraphs, 项 and 目 as lines of their own.  The plain text is
the document as printed (numbers and text), for a reader or a mail, with the same citation at its end."""

from __future__ import annotations

import re
from typing import Any

from gongbao.export.citation import citation, metadata_rows
from gongbao.model import Document, Provision

OUTLINE_KINDS = ("part", "chapter", "section", "heading")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def to_markdown(doc: Document, status: dict[str, Any] | None = None, level: str | None = None) -> str:
    out = [f"# {_md(doc.title)}", ""]
    out += [f"- **{label}**：{_md(value)}" for label, value in metadata_rows(doc, status, level)[1:]]
    out.append("")
    depth = _depths(doc.provisions)
    labels = {p.id: p.label for p in doc.provisions}
    has_paragraphs = {p.parent for p in doc.provisions if p.kind == "paragraph"}
    for p in doc.provisions:
        if p.kind in OUTLINE_KINDS:
            head = " ".join(x for x in (p.label, p.heading or ("" if p.kind != "heading" else p.text)) if x)
            out += [f"{'#' * min(6, depth[p.id] + 1)} {_md(head)}", ""]
            if p.kind == "heading" and p.heading and p.text:
                out += [_md(p.text), ""]
        elif p.kind == "article":
            text = "" if p.id in has_paragraphs else p.text
            out += [f"**{_md(p.label)}** {_md_lines(lines_before_items(doc, p, text))}".rstrip(), ""]
        elif p.kind == "paragraph" and len(out) > 1 and out[-2] == f"**{_md(labels.get(p.parent or '', ''))}**":
            out[-2] = f"{out[-2]} {_md_lines(lines_before_items(doc, p, p.text))}"  # the first 款 follows the number
        elif p.kind == "paragraph":
            out += [_md_lines(lines_before_items(doc, p, p.text)), ""]
        elif p.kind in ("item", "subitem"):
            indent = "    " if p.kind == "subitem" else ""
            out += [f"{indent}{_md(p.label)}{_md(p.text)}", ""]
        elif p.text:
            out += [_md_lines(p.text), ""]
    out += ["---", "", f"> {_md(citation(doc))}", ""]
    return "\n".join(out)


def to_text(doc: Document, status: dict[str, Any] | None = None, level: str | None = None) -> str:
    out = [doc.title, ""]
    out += [f"{label}：{value}" for label, value in metadata_rows(doc, status, level)[1:]]
    out.append("")
    has_paragraphs = {p.parent for p in doc.provisions if p.kind == "paragraph"}
    for p in doc.provisions:
        if p.kind in OUTLINE_KINDS:
            head = " ".join(x for x in (p.label, p.heading) if x)
            out += [x for x in (head, p.text) if x]
        elif p.kind == "article":
            out.append(p.label if p.id in has_paragraphs else f"{p.label}　{lines_before_items(doc, p, p.text)}")
        elif p.kind == "paragraph" and p.number == 1 and out[-1] in _labels_of_articles(doc):
            out[-1] += f"　{lines_before_items(doc, p, p.text)}"  # the first 款 is printed after the article's number
        elif p.kind == "paragraph":
            out.append(f"　　{lines_before_items(doc, p, p.text)}")
        elif p.kind in ("item", "subitem"):
            out.append(f"　　{p.label}{p.text}")
        elif p.text:
            out.append(p.text)
    out += ["", "——", citation(doc), ""]
    return "\n".join(out)


def _labels_of_articles(doc: Document) -> set[str]:
    return {p.label for p in doc.provisions if p.kind == "article"}


def lines_before_items(doc: Document, p: Provision, text: str) -> str:
    """A 款 prints its 项 as lines; they are written as provisions of their own, so keep only the lines before them."""
    items = [q for q in doc.provisions if q.parent == p.id and q.kind in ("item", "subitem")]
    if not items:
        return text
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.lstrip().startswith(items[0].label)), len(lines))
    return "\n".join(lines[:first])


def _depths(provisions: list[Provision]) -> dict[str, int]:
    depth: dict[str, int] = {}
    for p in provisions:
        depth[p.id] = depth.get(p.parent or "", 0) + 1 if p.kind in OUTLINE_KINDS else depth.get(p.parent or "", 0)
    return depth


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_lines(text: str) -> str:
    return "  \n".join(_md(line) for line in text.split("\n"))
