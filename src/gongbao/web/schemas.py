"""The shapes of the JSON responses, for the OpenAPI document (/openapi.json, /docs).  The endpoints build plain
dictionaries (`pages`) and send them as they are; the API tests check that these models describe them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Error(BaseModel):
    status: int = Field(description="The HTTP status code.")
    error: str = Field(description="not_found, invalid_parameter, internal_error …")
    message: str = Field(description="What went wrong, for a person.")
    errors: list[dict[str, Any]] | None = Field(None, description="One entry per invalid parameter (422 only).")


class SourceRef(BaseModel):
    file: str
    start_line: int = Field(description="First line in the source file (1-based, inclusive).")
    end_line: int = Field(description="Last line (inclusive).")
    url: str | None = Field(None, description="The lines in the source view.")
    sha256: str | None = None


class DocumentSummary(BaseModel):
    id: str
    title: str
    inner_title: str | None = Field(description="Title of the text a 印发 notice promulgates.")
    doc_type: str | None = Field(description="条例, 办法, 通知, 决定, 报告 …")
    issuer: str | None
    doc_number: str | None = Field(description="文号, e.g. 晋政办发〔2022〕91号.")
    dates: dict[str, str] = Field(description="ISO dates under adopted, issued, effective, published, delivered.")
    date: str | None = Field(description="The date a list sorts by: issued, else adopted, delivered …")
    source: SourceRef
    url: str = Field(description="The document page.")


class DocumentList(BaseModel):
    filters: dict[str, Any]
    total: int
    page: int
    per_page: int
    pages: int
    documents: list[DocumentSummary]


class ProvisionNode(BaseModel):
    id: str = Field(description="Akoma Ntoso style id: chp_2__art_19__para_1.")
    kind: str = Field(description="part, chapter, section, article, paragraph, item, subitem, heading, block.")
    number: int | None
    label: str
    heading: str | None
    text: str = Field(description="The provision's whole text (an article's holds its 款 and 项).")
    parent: str | None
    start_line: int
    end_line: int
    citation: str | None = Field(description="Human citation: 《…》第十九条第二款.")
    anchor: str = Field(description="The fragment of the document page that shows it (#art_19).")
    children: list[ProvisionNode]


class TocEntry(BaseModel):
    id: str
    anchor: str
    label: str
    heading: str
    level: int
    kind: str


class Relation(BaseModel):
    type: str
    document_id: str | None = Field(description="The other document, None when it is not in the corpus.")
    title: str | None
    evidence: str = Field(description="The sentence the relation was read from.")
    start_line: int
    end_line: int
    url: str | None


class Relations(BaseModel):
    outgoing: list[Relation]
    incoming: list[Relation]


class DocumentDetail(BaseModel):
    document: DocumentSummary
    toc: list[TocEntry]
    provisions: list[ProvisionNode] = Field(description="The provision tree, in document order.")
    relations: Relations
    references: list[dict[str, Any]]


class PathEntry(BaseModel):
    id: str
    kind: str
    label: str
    heading: str | None


class ProvisionWithSource(ProvisionNode):
    url: str
    source: SourceRef


class ProvisionDetail(BaseModel):
    document: DocumentSummary
    provision: ProvisionWithSource
    path: list[PathEntry] = Field(description="The enclosing provisions, outermost first.")


class Focus(BaseModel):
    provision_id: str
    label: str
    citation: str
    start_line: int
    end_line: int


class Hit(BaseModel):
    document_id: str
    title: str
    provision_id: str
    label: str
    citation: str
    snippet: str = Field(description="Matched words marked **like this**.")
    score: float
    source: SourceRef
    kind: str
    doc_type: str | None
    issuer: str | None
    date: str | None
    focus: Focus | None = Field(description="The 款 or 项 holding the best sentence, when there is one.")
    url: str = Field(description="The hit in its document page, search terms marked.")


class SearchResponse(BaseModel):
    query: str = Field(description="The query as analysed (control characters dropped, normalised).")
    terms: list[str] = Field(description="The words searched for.")
    notes: list[str]
    total: int = Field(description="Matching provisions, all pages.")
    facets: dict[str, dict[str, int]] = Field(description="doc_type, issuer, year, file → value → count.")
    hits: list[Hit]
    offset: int
    limit: int
    page: int
    pages: int
    filters: dict[str, Any]
    collapse: bool


class Stats(BaseModel):
    sources: int
    documents: int
    laws: int
    provisions: int
    documents_by_type: dict[str, int]
    provisions_by_kind: dict[str, int]


class Region(BaseModel):
    kind: str = Field(description="front, toc, intro, back, gap, furniture.")
    start_line: int
    end_line: int


class DocumentBrief(BaseModel):
    id: str
    title: str
    doc_type: str | None
    start_line: int
    end_line: int
    url: str


class SourceInfo(BaseModel):
    file: str
    sha256: str
    encoding: str
    line_count: int
    ingested_at: str
    document_count: int
    law_count: int
    url: str


class SourceWithDocuments(SourceInfo):
    documents: list[DocumentBrief]
    regions: list[Region] = Field(description="Line ranges that belong to no document.")


class Line(BaseModel):
    n: int
    text: str


class LineRange(BaseModel):
    start_line: int
    end_line: int


class SourceView(SourceWithDocuments):
    selected: LineRange | None
    lines: list[Line]


class TypeCount(BaseModel):
    type: str
    count: int


class HomeStats(BaseModel):
    sources: int
    documents: int
    laws: int
    provisions: int


class Home(BaseModel):
    stats: HomeStats
    documents_by_type: list[TypeCount]
    latest: list[DocumentSummary]
    sources: list[SourceInfo]
