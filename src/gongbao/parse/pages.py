"""Page provenance: which page of a paged source (PDF) each line, provision and document is printed on.

The reader of a paged format gives every extracted line its page (SourceText.pages).  The store keeps that map
beside the raw text as a small JSON "layout" (runs of lines per page, the furniture lines, the reader's warnings) and
puts pages back on documents and provisions when it reads them, so no table needs a page column.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from gongbao.model import Document, SourceText


def page_runs(pages: Sequence[int], ocr: Sequence[Sequence[float]] = ()) -> list[list[Any]]:
    """[[first_line, page], …]: the line where each page's run of lines begins; a page read by OCR has its mean
    confidence as a third element."""
    confidence = {int(page): conf for page, conf in ocr}
    runs: list[list[Any]] = []
    for n, page in enumerate(pages, 1):
        if not runs or runs[-1][1] != page:
            runs.append([n, page] + ([confidence[page]] if page in confidence else []))
    return runs


def expand_runs(runs: Sequence[Sequence[Any]], line_count: int) -> tuple[int, ...]:
    out: list[int] = []
    for i, (first, page, *_ocr) in enumerate(runs):
        last = runs[i + 1][0] - 1 if i + 1 < len(runs) else line_count
        out.extend([page] * (last - first + 1))
    return tuple(out)


def layout_json(source: SourceText) -> str | None:
    """What the store keeps of a source beyond its lines; None for a plain text file."""
    if not (source.pages or source.furniture or source.warnings):
        return None
    layout: dict[str, Any] = {"pages": page_runs(source.pages, source.ocr)}
    if source.furniture:
        layout["furniture"] = sorted(source.furniture)
    if source.warnings:
        layout["warnings"] = list(source.warnings)
    return json.dumps(layout, ensure_ascii=False)


def with_layout(source: SourceText, layout: str | None) -> SourceText:
    """A source read back from the store with the layout its reader had given it."""
    if not layout:
        return source
    data = json.loads(layout)
    runs = data.get("pages", [])
    return replace(
        source,
        pages=expand_runs(runs, len(source.lines)),
        ocr=tuple((run[1], run[2]) for run in runs if len(run) > 2),
        furniture=frozenset(data.get("furniture", [])),
        warnings=tuple(data.get("warnings", [])),
    )


def page_lookup(layout: str | None) -> list[list[Any]]:
    """The page runs of a stored layout (empty for text sources), for page_at."""
    return json.loads(layout).get("pages", []) if layout else []


def layout_warnings(layout: str | None) -> list[str]:
    return list(json.loads(layout).get("warnings", [])) if layout else []


def page_at(runs: Sequence[Sequence[Any]], line: int) -> int | None:
    """Page of a line from page runs (binary search), None for an unpaged source."""
    run = _run_at(runs, line)
    return run[1] if run else None


def _run_at(runs: Sequence[Sequence[Any]], line: int) -> Sequence[Any] | None:
    lo, hi = 0, len(runs)
    while lo < hi:
        mid = (lo + hi) // 2
        if runs[mid][0] <= line:
            lo = mid + 1
        else:
            hi = mid
    return runs[lo - 1] if lo else None


def attach_pages(doc: Document, runs: Sequence[Sequence[Any]]) -> Document:
    """Set the pages of a document and its provisions from the page runs of its source (no-op when unpaged)."""
    if not runs:
        return doc
    doc.source.page = page_at(runs, doc.source.start_line)
    doc.source.end_page = page_at(runs, doc.source.end_line)
    for p in doc.provisions:
        run = _run_at(runs, p.start_line)
        p.page, p.end_page = page_at(runs, p.start_line), page_at(runs, p.end_line)
        p.ocr = run[2] if run and len(run) > 2 else None
    return doc


def page_label(page: int | None, end_page: int | None = None) -> str:
    """ "p. 12", "pp. 12–13", or "" for an unpaged source."""
    if page is None:
        return ""
    if end_page is None or end_page == page:
        return f"p. {page}"
    return f"pp. {page}–{end_page}"
