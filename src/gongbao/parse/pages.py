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


def page_runs(pages: Sequence[int]) -> list[list[int]]:
    """[[first_line, page], …]: the line where each page's run of lines begins."""
    runs: list[list[int]] = []
    for n, page in enumerate(pages, 1):
        if not runs or runs[-1][1] != page:
            runs.append([n, page])
    return runs


def expand_runs(runs: Sequence[Sequence[int]], line_count: int) -> tuple[int, ...]:
    out: list[int] = []
    for i, (first, page) in enumerate(runs):
        last = runs[i + 1][0] - 1 if i + 1 < len(runs) else line_count
        out.extend([page] * (last - first + 1))
    return tuple(out)


def layout_json(source: SourceText) -> str | None:
    """What the store keeps of a source beyond its lines; None for a plain text file."""
    if not (source.pages or source.furniture or source.warnings):
        return None
    layout: dict[str, Any] = {"pages": page_runs(source.pages)}
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
    return replace(
        source,
        pages=expand_runs(data.get("pages", []), len(source.lines)),
        furniture=frozenset(data.get("furniture", [])),
        warnings=tuple(data.get("warnings", [])),
    )


def page_lookup(layout: str | None) -> list[list[int]]:
    """The page runs of a stored layout (empty for text sources), for page_at."""
    return json.loads(layout).get("pages", []) if layout else []


def layout_warnings(layout: str | None) -> list[str]:
    return list(json.loads(layout).get("warnings", [])) if layout else []


def page_at(runs: Sequence[Sequence[int]], line: int) -> int | None:
    """Page of a line from page runs (binary search), None for an unpaged source."""
    lo, hi = 0, len(runs)
    while lo < hi:
        mid = (lo + hi) // 2
        if runs[mid][0] <= line:
            lo = mid + 1
        else:
            hi = mid
    return runs[lo - 1][1] if lo else None


def attach_pages(doc: Document, runs: Sequence[Sequence[int]]) -> Document:
    """Set the pages of a document and its provisions from the page runs of its source (no-op when unpaged)."""
    if not runs:
        return doc
    doc.source.page = page_at(runs, doc.source.start_line)
    doc.source.end_page = page_at(runs, doc.source.end_line)
    for p in doc.provisions:
        p.page, p.end_page = page_at(runs, p.start_line), page_at(runs, p.end_line)
    return doc


def page_label(page: int | None, end_page: int | None = None) -> str:
    """ "p. 12", "pp. 12–13", or "" for an unpaged source."""
    if page is None:
        return ""
    if end_page is None or end_page == page:
        return f"p. {page}"
    return f"pp. {page}–{end_page}"
