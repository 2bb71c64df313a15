"""Small gazette PDFs written by the tests themselves (reportlab, with the non-embedded Adobe CID font STSong-Light,
so no font file is needed).  A `Flow` of titles and paragraphs is set into one or two columns per page, with a
running header and a page number, and records the page each item starts on: that is the truth a test checks the
extracted page numbers against."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

WIDTH, HEIGHT = A4
MARGIN = 60
TOP = HEIGHT - 80
BOTTOM = 70
BODY = 10.5
LEADING = 16


@dataclass
class Item:
    kind: str  # 'title' | 'note' | 'para'
    text: str
    page: int = 0  # page its first line was set on (filled by the layout)


@dataclass
class Flow:
    columns: int = 2
    header: str | None = "山西省人民政府公报"
    page_number: str | None = "— {n} —"  # format of the page number under each page; None for none
    items: list[Item] = field(default_factory=list)

    def title(self, text: str) -> Item:
        return self._add("title", text)

    def note(self, text: str) -> Item:
        return self._add("note", text)

    def para(self, text: str) -> Item:
        return self._add("para", text)

    def _add(self, kind: str, text: str) -> Item:
        item = Item(kind, text)
        self.items.append(item)
        return item

    def write(self, path: Path, encrypt: str | None = None) -> Path:
        c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
        _Layout(self, c).run()
        c.save()
        return path


class _Layout:
    def __init__(self, flow: Flow, c: canvas.Canvas):
        self.flow, self.c = flow, c
        self.page = 1
        self.column = 0
        self.y = TOP
        gutter = 24
        self.col_width = (WIDTH - 2 * MARGIN - gutter * (flow.columns - 1)) / flow.columns
        self.col_x = [MARGIN + i * (self.col_width + gutter) for i in range(flow.columns)]
        self._furniture()

    def run(self) -> None:
        for item in self.flow.items:
            if item.kind == "para":
                self._paragraph(item)
            else:
                self._centred(item, 14 if item.kind == "title" else BODY)
        self.c.showPage()

    def _furniture(self) -> None:
        c = self.c
        if self.flow.header:
            c.setFont(FONT, 9)
            c.drawCentredString(WIDTH / 2, HEIGHT - 50, self.flow.header)
            c.line(MARGIN, HEIGHT - 56, WIDTH - MARGIN, HEIGHT - 56)
        if self.flow.page_number:
            c.setFont(FONT, 9)
            c.drawCentredString(WIDTH / 2, 40, self.flow.page_number.format(n=self.page))

    def _next_line(self, leading: float) -> None:
        self.y -= leading
        if self.y < BOTTOM:
            self.column += 1
            self.y = TOP
            if self.column == self.flow.columns:
                self.c.showPage()
                self.page += 1
                self.column = 0
                self._furniture()

    def _centred(self, item: Item, size: float) -> None:
        per_line = int(self.col_width // size) - 2
        for i in range(0, len(item.text), per_line):
            if i == 0:
                item.page = self.page
            part = item.text[i : i + per_line]
            self.c.setFont(FONT, size)
            x = self.col_x[self.column] + self.col_width / 2
            self.c.drawCentredString(x, self.y, part)
            self._next_line(size * 1.6)
        self._next_line(LEADING / 2)

    def _paragraph(self, item: Item) -> None:
        per_line = int(self.col_width // BODY)
        text, first = item.text, True
        while text:
            n = per_line - 2 if first else per_line
            part, text = text[:n], text[n:]
            if first:
                item.page = self.page
            x = self.col_x[self.column] + (2 * BODY if first else 0)
            self.c.setFont(FONT, BODY)
            self.c.drawString(x, self.y, part)
            first = False
            self._next_line(LEADING)
