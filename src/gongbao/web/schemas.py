"""The shapes of the JSON responses, for the OpenAPI document (/openapi.json, /docs).  The endpoints build plain
dictionaries (`pages`) and send them as they are; the API tests check that these models describe them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorDetail(BaseModel):
    param: str = Field(description="The parameter at fault.")
    message: str = Field(description="What is wrong with it, in Chinese.")


class Error(BaseModel):
    code: str = Field(description="Stable: invalid_range (400), not_found (404), method_not_allowed (405), "
                      "invalid_parameter (422), internal_error (500).")  # fmt: skip
    message: str = Field(description="What went wrong, for a person (in Chinese).")
    status: int = Field(description="The HTTP status code.")
    details: list[ErrorDetail] = Field(description="One entry per parameter at fault (empty otherwise).")


class ErrorAnswer(BaseModel):
    error: Error


class Paged(BaseModel):
    """The paging fields every list answer has (limit/offset parameters)."""

    total: int = Field(description="Items in the whole list.")
    limit: int = Field(description="Items asked for (at most 100).")
    offset: int = Field(description="Items skipped.")
    next: str | None = Field(description="The URL of the next page, null on the last.")
    previous: str | None = Field(description="The URL of the previous page, null on the first.")


class StatusInfo(BaseModel):
    """The same object wherever a status is shown."""

    code: str = Field(description="in_force, not_yet_in_force, amended, partly_repealed, repealed, expired, unknown, "
                      "or none (a text without force of its own).")  # fmt: skip
    label: str = Field(description="现行有效, 尚未施行, 已被修改, 部分失效, 已废止, 失效, 效力未知, 无独立效力.")
    reason: str = Field(description="Why, in Chinese.")
    reason_code: str = Field(description="in_force_since, takes_effect_later, amended_by, partly_repealed_by, "
                             "repealed_by, validity_ended, no_date_stated, no_force_of_its_own.")  # fmt: skip
    as_of: str = Field(description="The day judged on.")
    since: str | None = Field(description="The day the status began (known on document answers).")
    until: str | None = Field(description="The end of a validity period.")
    by: str | None = Field(description="The document that repealed or amended it.")
    by_url: str | None


class SourceRef(BaseModel):
    file: str
    start_line: int = Field(description="First line in the source file (1-based, inclusive).")
    end_line: int = Field(description="Last line (inclusive).")
    url: str | None = Field(None, description="The lines in the source view.")
    sha256: str | None = None
    page: int | None = Field(None, description="The page of a paged source (PDF) the lines start on.")
    end_page: int | None = None
    page_url: str | None = Field(None, description="The original PDF at that page.")


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


class ListedDocument(DocumentSummary):
    status: StatusInfo = Field(description="Status today.")


class DocumentList(Paged):
    filters: dict[str, Any]
    documents: list[ListedDocument]


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


class Reference(BaseModel):
    kind: str = Field(description="document (a 《…》 citation) or article (第X条 …).")
    text: str = Field(description="As printed.")
    provision_id: str | None = Field(None, description="Where it is cited (None: in the title).")
    start_line: int
    end_line: int
    offset: int = Field(description="Character offset in the provision's text.")
    title: str | None = Field(None, description="The cited text's title (an abbreviation resolved).")
    key: str | None = None
    target_id: str | None = Field(None, description="The cited document, when it is in the corpus.")
    target_title: str | None = None
    target_provision: str | None = Field(None, description="The cited article or paragraph.")
    article: int | None = None
    article_sub: int | None = None
    paragraph: int | None = None
    item: int | None = None
    article_to: int | None = None
    draft: int | None = Field(None, description="1: a draft is cited (its article numbers are the draft's).")
    nested: int | None = Field(None, description="1: a 〈…〉 inside a citation.")
    external: bool = Field(description="A text that is not in the corpus.")
    url: str | None = None


class Citing(BaseModel):
    document_id: str
    title: str
    provision_id: str | None
    text: str
    target_provision: str | None
    start_line: int
    end_line: int
    file: str
    url: str


class CitedBy(Paged):
    document_id: str
    cited_by: list[Citing]
    relations: list[Relation] = Field(description="Relations other documents state about it (all of them).")


class ReferenceList(Paged):
    document_id: str
    references: list[Reference]


class StatusAnswer(BaseModel):
    document_id: str
    status: StatusInfo


class Duty(BaseModel):
    agency: str = Field(description="Normalised agency name, or an official's name (role leader).")
    agency_key: str
    as_printed: str
    level: str | None = Field(None, description="province, city, county, township.")
    role: str = Field(description="leader, lead, cooperate or responsible.")
    task: str
    deadline: str | None = None
    deadline_text: str | None = None
    provision_id: str | None = None
    start_line: int
    end_line: int
    document_id: str
    title: str
    file: str
    url: str
    source_url: str


class AgencyCount(BaseModel):
    agency: str
    level: str | None
    count: int


class Agency(AgencyCount):
    dated: int = Field(description="Duties with a date to meet.")
    overdue: int = Field(description="Of those, past (before as_of, today by default).")
    due_30_days: int = Field(description="Due within the next 30 days.")
    url: str = Field(description="Its duties page.")


class AgencyList(Paged):
    agencies: list[Agency]


class DutyCounts(BaseModel):
    count: int = Field(description="Duties of the agency, document and role asked (before the tracking filters).")
    dated: int = Field(description="Of those, with a date to meet.")
    overdue: int = Field(description="Past their date on as_of (today by default).")
    due_30_days: int = Field(description="Due within the next 30 days.")


class DutyList(Paged):
    agency: str
    document_id: str | None
    role: str | None
    filters: dict[str, Any] = Field(description="The question: agency, document, role, overdue, due_after, "
                                    "due_before, no_deadline, sort, as_of.")  # fmt: skip
    counts: DutyCounts
    duties: list[Duty]
    agencies: list[AgencyCount] = Field(description="The agencies with most duties, to choose from.")


class Figure(BaseModel):
    subject: str
    value: float
    unit: str | None = None
    change: str | None = None
    year: int | None = None
    baseline_year: int | None = None
    text: str
    suspect: str | None = Field(None, description="Why the value may be damaged (a lost decimal point).")
    provision_id: str | None = None
    start_line: int
    end_line: int
    url: str


class FigureList(Paged):
    document_id: str
    figures: list[Figure]


class DocumentDetail(BaseModel):
    document: DocumentSummary
    toc: list[TocEntry]
    provisions: list[ProvisionNode] = Field(description="The provision tree, in document order.")
    relations: Relations
    status: StatusInfo = Field(description="Status today (code none for texts without force of their own).")
    references: list[Reference]
    duties: list[Duty]
    figures: list[Figure]
    part: int = Field(description="The part of a long document whose provisions are given, from 1 (0: all of them).")
    parts: int = Field(description="How many parts the document is answered in (1 for most; ?whole=true: all).")
    next: str | None = Field(description="The next part's URL, or null.")
    previous: str | None = Field(description="The previous part's URL, or null.")


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
    status: StatusInfo = Field(description="Status of the hit's document today (since: null in hits).")
    match: float | None = Field(None, description="Share of the question's weight the provision holds (0..1).")
    url: str = Field(description="The hit in its document page, search terms marked.")


class SearchResponse(Paged):
    query: str = Field(description="The query as analysed (control characters dropped, normalised).")
    terms: list[str] = Field(description="The words searched for.")
    notes: list[str]
    total: int = Field(description="Matching provisions, all pages.")
    facets: dict[str, dict[str, int]] = Field(description="doc_type, issuer, year, file → value → count.")
    hits: list[Hit]
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


class SourceList(Paged):
    sources: list[SourceWithDocuments]


class Line(BaseModel):
    n: int
    text: str
    page: int | None = Field(None, description="The page of a paged source (PDF).")


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
    latest: list[ListedDocument]
    sources: list[SourceInfo]
    examples: list[str] = Field(description="Example searches: everyday questions, a title, a citation.")
