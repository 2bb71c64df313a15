"""One document as a Word file (python-docx): title, a metadata table, the outline as Word headings, every article
with its number as printed, and the citation block at the end (a pure function to bytes)."""

from __future__ import annotations

import io
from typing import Any

from docx import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Pt

from gongbao.export.citation import citation, metadata_rows, xml_safe, xml_safe_document
from gongbao.export.markdown import OUTLINE_KINDS, lines_before_items
from gongbao.model import Document

_FONT = "SimSun"  # a font Word has for Chinese text; the east-Asian font must be set apart from the Latin one


def to_docx(doc: Document, status: dict[str, Any] | None = None, level: str | None = None) -> bytes:
    doc = xml_safe_document(doc)  # a .docx is XML inside
    word = WordDocument()
    _east_asian_font(word)
    word.core_properties.title = doc.title
    word.core_properties.author = doc.issuer or ""
    word.core_properties.identifier = doc.id
    word.add_heading(doc.title, level=0)
    rows = metadata_rows(doc, status, level)[1:]
    table = word.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = label, xml_safe(value)
    depth: dict[str, int] = {}
    has_paragraphs = {p.parent for p in doc.provisions if p.kind == "paragraph"}
    first_of: dict[str, Any] = {}
    for p in doc.provisions:
        depth[p.id] = depth.get(p.parent or "", 0) + (1 if p.kind in OUTLINE_KINDS else 0)
        if p.kind in OUTLINE_KINDS:
            title = " ".join(x for x in (p.label, p.heading or ("" if p.kind != "heading" else p.text)) if x)
            word.add_heading(title, level=min(9, max(1, depth[p.id])))
            if p.kind == "heading" and p.heading and p.text:
                word.add_paragraph(p.text)
        elif p.kind == "article":
            para = word.add_paragraph()
            para.add_run(p.label).bold = True
            if p.id in has_paragraphs:
                first_of[p.id] = para  # its first 款 is printed after the number
            else:
                para.add_run("　" + lines_before_items(doc, p, p.text))
        elif p.kind == "paragraph":
            text = lines_before_items(doc, p, p.text)
            para = first_of.pop(p.parent or "", None)
            if para is not None:
                para.add_run("　" + text)
            else:
                word.add_paragraph("　　" + text)
        elif p.kind in ("item", "subitem"):
            word.add_paragraph(("　　　　" if p.kind == "subitem" else "　　") + p.label + p.text)
        elif p.text:
            word.add_paragraph(p.text)
    word.add_paragraph()
    cite = word.add_paragraph()
    cite.add_run("引用：").bold = True
    cite.add_run(citation(doc))
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _east_asian_font(word) -> None:
    style = word.styles["Normal"]
    style.font.size = Pt(12)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), _FONT)
