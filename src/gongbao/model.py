"""The domain model: plain dataclasses passed from one stage of the flow to the next.

read → SourceText → clean → CleanText → split → IssueLayout (DocumentSpan*) → parse → Document → store.
Every piece of text keeps the 1-based, inclusive range of source lines it came from.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PROVISION_KINDS = ("part", "chapter", "section", "article", "paragraph", "item", "subitem", "heading", "block")
DATE_KINDS = ("adopted", "issued", "effective", "published")
DATE_KEYS = ("issued", "adopted", "delivered", "effective", "published")  # the order a document is dated by


def document_date(dates: dict[str, str]) -> str | None:
    """The date a document is shown and sorted by: issued, else adopted, delivered, effective, published."""
    return next((dates[k] for k in DATE_KEYS if dates.get(k)), None)


def year_of(dates: dict[str, str]) -> int | None:
    """The year a document is filed under (of its document_date)."""
    day = document_date(dates)
    return int(day[:4]) if day else None


@dataclass(frozen=True)
class SourceText:
    """A gazette file as read from disk: decoded text split into raw lines."""

    file: str  # file name as cited (basename)
    path: str
    sha256: str
    encoding: str  # how the bytes became text: a text encoding, or the extractor (name, version) of a PDF/Word file
    lines: tuple[str, ...]  # raw lines; line n is lines[n - 1]
    # What a reader of a paged format (PDF) knows beyond the lines; empty for plain text:
    pages: tuple[int, ...] = ()  # page of each line (pages[n - 1] is line n's page, 1-based as a PDF viewer counts)
    furniture: frozenset[int] = frozenset()  # lines the reader recognised as running header/footer/page number
    warnings: tuple[str, ...] = ()  # what the reader could not read (pages that need OCR …), one sentence each
    ocr: tuple[tuple[int, float], ...] = ()  # (page, mean confidence) of the pages whose text OCR recognised

    def page_of(self, line: int) -> int | None:
        return self.pages[line - 1] if 0 < line <= len(self.pages) else None


@dataclass(slots=True)
class CleanLine:
    """One source line after character normalisation.  `text` is stripped and never empty for kind 'text'."""

    number: int
    raw: str
    text: str
    kind: str  # 'text' | 'blank' | 'furniture' (running header, page number, markdown rule)
    indent: bool = False  # starts with a paragraph indent (two ideographic spaces)
    lead_space: bool = False  # starts with one half-width space: a PDF text block starts here
    width: int = 0  # display width (CJK = 2) of the text as printed, justification spaces included


@dataclass
class CleanText:
    """A whole file after cleaning: normalised lines plus what the cleaner learned about its layout."""

    source: SourceText
    lines: list[CleanLine]
    wrap_width: int  # typical display width of a hard-wrapped line, 0 when lines are whole paragraphs
    header: str | None = None  # the running header text, when one was found

    def line(self, number: int) -> CleanLine:
        return self.lines[number - 1]


@dataclass(frozen=True)
class Paragraph:
    """Display text of one paragraph and the source lines it spans."""

    text: str
    start_line: int
    end_line: int


@dataclass
class DocumentSpan:
    """Where one document sits in an issue, as found by the splitter."""

    start_line: int
    end_line: int
    title_start: int  # first line of the title block (after any 附件 label)
    title_end: int
    title: str
    inner_title: str | None = None
    inner_title_start: int | None = None  # first line of the promulgated text's own title
    inner_title_end: int | None = None
    label: str | None = None  # an attachment label such as 附件1


@dataclass
class IssueRegion:
    """Lines of an issue that belong to no document: cover, contents, self-description, page furniture."""

    kind: str  # 'front' | 'toc' | 'intro' | 'back' | 'furniture' | 'gap'
    start_line: int
    end_line: int


@dataclass
class IssueLayout:
    documents: list[DocumentSpan]
    regions: list[IssueRegion]


@dataclass
class Provision:
    id: str
    kind: str
    number: int | None
    label: str
    text: str
    parent: str | None
    start_line: int
    end_line: int
    heading: str | None = None
    page: int | None = None  # PDF page (1-based, as a viewer counts) of start_line and end_line; None for text
    end_page: int | None = None
    ocr: float | None = None  # where its page was read by OCR: that page's mean confidence

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "kind": self.kind,
            "number": self.number,
            "label": self.label,
            "heading": self.heading,
            "text": self.text,
            "parent": self.parent,
            "start_line": self.start_line,
            "end_line": self.end_line,
        }
        if self.page is not None:
            out["page"], out["end_page"] = self.page, self.end_page
        if self.ocr is not None:
            out["ocr"] = self.ocr
        return out


@dataclass
class Source:
    file: str
    sha256: str
    start_line: int
    end_line: int
    page: int | None = None  # pages of start_line and end_line where the source is paged (PDF)
    end_page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        if self.page is None:
            del out["page"], out["end_page"]
        return out


@dataclass(frozen=True)
class ParseWarning:
    """Something the parser could not read as it expected, kept with the document it concerns: the document is
    stored anyway (its text as blocks where a stage failed), and `gongbao check` lists the warning.
    `stage`: split (no title recognised), metadata, structure, links, duties, figures, status, numbering."""

    stage: str
    message: str
    start_line: int
    end_line: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Document:
    id: str
    title: str
    doc_type: str | None
    issuer: str | None
    doc_number: str | None
    dates: dict[str, str]
    source: Source
    inner_title: str | None = None
    provisions: list[Provision] = field(default_factory=list)
    references: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    duties: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    @property
    def has_articles(self) -> bool:
        return any(p.kind == "article" for p in self.provisions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "inner_title": self.inner_title,
            "doc_type": self.doc_type,
            "issuer": self.issuer,
            "doc_number": self.doc_number,
            "dates": dict(self.dates),
            "source": self.source.to_dict(),
            "provisions": [p.to_dict() for p in self.provisions],
            "references": list(self.references),
            "relations": list(self.relations),
            "duties": list(self.duties),
            "figures": list(self.figures),
            "warnings": [w.to_dict() for w in self.warnings],
        }


# ------------------------------------------------------------------------------ search ↔ store (any backend)


@dataclass
class SearchFilters:
    """What a search can be narrowed to: documents of a type, an issuer (or a word of the title), a span of years,
    one source file, texts with (or without) articles."""

    doc_type: str | None = None
    issuer: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    file: str | None = None
    has_articles: bool | None = None


@dataclass(frozen=True)
class Probe:
    """One retrieval pass over the search units.  A term is a tuple of alternative strings; a unit satisfies it
    when its heading or body contains one of them as a substring (case-folded; what is not a letter or digit
    separates).  A unit is a candidate when it satisfies every term of `all_of` and, if `any_of` is not empty, at
    least one of it; `documents`, when not empty, restricts the pass to those documents' units."""

    all_of: tuple[tuple[str, ...], ...] = ()
    any_of: tuple[tuple[str, ...], ...] = ()
    documents: tuple[str, ...] = ()
