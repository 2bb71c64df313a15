"""Rows as CSV for spreadsheets: duties, figures and search hits (pure functions to text), and as an .xlsx workbook.

A cell that a spreadsheet would run as a formula (=, +, -, @ first) is written with a leading apostrophe, so that
gazette text opened in Excel or LibreOffice is shown, never evaluated; in a workbook, text cells are typed as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

DUTY_FIELDS = ("agency", "role", "level", "task", "deadline", "deadline_text", "title", "document_id",
               "provision_id", "file", "start_line", "end_line", "as_printed")  # fmt: skip
FIGURE_FIELDS = ("subject", "change", "value", "unit", "year", "baseline_year", "suspect", "text", "provision_id",
                 "start_line", "end_line")  # fmt: skip
HIT_FIELDS = ("rank", "citation", "title", "document_id", "provision_id", "label", "snippet", "score", "file",
              "start_line", "end_line")  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_csv(rows: Iterable[dict[str, Any]], fields: Sequence[str]) -> str:
    """CSV with a header row; missing fields are empty, fields not named are left out."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def hit_rows(hits: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Search hits (the JSON contract of DESIGN.md §3) as flat rows, ranked from 1."""
    rows = []
    for rank, h in enumerate(hits, 1):
        source = h.get("source") or {}
        rows.append({**h, "rank": rank, "file": source.get("file"), "start_line": source.get("start_line"),
                     "end_line": source.get("end_line")})  # fmt: skip
    return rows


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_xlsx(rows: Iterable[dict[str, Any]], fields: Sequence[str], sheet: str = "gongbao") -> bytes:
    """An .xlsx workbook (openpyxl) of one sheet: a header row, then one row per item; text is always a text cell
    (never a formula), characters a workbook cannot hold (control characters) are dropped."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    page = book.create_sheet(sheet)
    page.append(list(fields))
    for row in rows:
        cells = []
        for name in fields:
            value = row.get(name)
            cell = WriteOnlyCell(page, value=ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value)
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        page.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
