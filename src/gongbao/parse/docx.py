"""Word (.docx) bytes → lines, one per paragraph, for the same pipeline as text.

Reads: the document body in order (paragraphs and tables, through python-docx).
Writes: one line per paragraph (a line break inside a paragraph, as in a title set on three lines, starts another
line); a body paragraph starts with a paragraph indent (two ideographic spaces) so that it is never joined to the
next one, while centred lines (titles) are left bare so that a title set over several paragraphs stays one title;
a table row is one line with its cells separated by tabs.  Field codes (TOC, PAGEREF …) are instructions, not text:
python-docx reads only the text runs, so they never appear; their results (the printed contents) do.  Word has no
fixed pages, so a .docx carries no page map: its lines are its paragraphs.
"""

from __future__ import annotations

import io
import zipfile

from docx import Document as open_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import Table
from docx.text.paragraph import Paragraph

_INDENT = "\u3000\u3000"


class DocxError(Exception):
    """A .docx that cannot be opened; the message says why in a few words."""


def docx_lines(data: bytes) -> list[str]:
    try:
        document = open_docx(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise DocxError(f"damaged or not a Word .docx file ({type(e).__name__})") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines += _paragraph_lines(block)
        elif isinstance(block, Table):
            lines += _table_lines(block)
    return lines


def _paragraph_lines(p: Paragraph) -> list[str]:
    parts = [part.strip() for part in p.text.replace("\r", "\n").split("\n")]
    parts = [part for part in parts if part]
    if not parts:
        return [""]
    if p.alignment == WD_ALIGN_PARAGRAPH.CENTER:
        return parts
    return [_INDENT + part for part in parts]


def _table_lines(table: Table) -> list[str]:
    lines = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(t.strip() for t in cell.text.split("\n") if t.strip())
            if not cells or text != cells[-1]:  # a merged cell is reported once per grid column it spans
                cells.append(text)
        lines.append("\t".join(cells))
    return lines
