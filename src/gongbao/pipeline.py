"""The parsing half of the flow for one file: read → clean → split → parse, with no I/O beyond reading it."""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass

from gongbao.link.duties import find_duties
from gongbao.link.figures import find_figures
from gongbao.link.refs import link_issue
from gongbao.link.status import expiry, has_force
from gongbao.model import CleanText, Document, DocumentSpan, IssueRegion, Source, SourceText
from gongbao.parse.clean import clean, iter_paragraphs
from gongbao.parse.meta import read_metadata
from gongbao.parse.pages import attach_pages, page_runs
from gongbao.parse.read import ReadError, read_source
from gongbao.parse.script import is_traditional, parse_as_printed
from gongbao.parse.split import split
from gongbao.parse.structure import parse_provisions


@dataclass
class ParsedIssue:
    source: SourceText
    clean_text: CleanText
    documents: list[Document]
    regions: list[IssueRegion]


def parse_file(path: str | os.PathLike[str]) -> ParsedIssue:
    return parse_source(read_source(path))


def parse_source(source: SourceText) -> ParsedIssue:
    if is_traditional(source.lines):  # parsed through its Simplified conversion, kept as printed (parse/script.py)
        return parse_as_printed(source, _parse)
    return _parse(source)


def _parse(source: SourceText) -> ParsedIssue:
    clean_text = clean(source)
    layout = split(clean_text)
    if not layout.documents:
        raise ReadError(source.path, "no recognisable document (no title followed by a 文号, date, salutation or text)")
    seen: Counter[str] = Counter()
    documents = []
    for span in layout.documents:
        key = re.sub(r"\s", "", span.title)
        seen[key] += 1
        documents.append(build_document(clean_text, span, seen[key]))
    link_issue(documents)
    runs = page_runs(source.pages, source.ocr)
    for doc in documents:
        doc.duties = [d.to_dict() for d in find_duties(doc)]
        doc.figures = [f.to_dict() for f in find_figures(doc)]
        attach_pages(doc, runs)
    return ParsedIssue(source=source, clean_text=clean_text, documents=documents, regions=layout.regions)


def document_id(file: str, title: str, occurrence: int) -> str:
    """Stable across re-ingests of the same file: depends on the file name, the title and which of several
    documents with that title this is, not on line numbers."""
    squeezed = re.sub(r"\s", "", title)
    key = f"{file}\n{squeezed}\n{occurrence}".encode()
    return hashlib.sha1(key).hexdigest()[:12]


def build_document(clean_text: CleanText, span: DocumentSpan, occurrence: int = 1) -> Document:
    paragraphs = list(iter_paragraphs(clean_text, span.title_end + 1, span.end_line))
    meta = read_metadata(span.title, span.inner_title, paragraphs)
    inner = (span.inner_title_start, span.inner_title_end) if span.inner_title_start else None
    src = clean_text.source
    doc = Document(
        id=document_id(src.file, span.title, occurrence),
        title=span.title,
        inner_title=span.inner_title,
        doc_type=meta.doc_type,
        issuer=meta.issuer,
        doc_number=meta.doc_number,
        dates=meta.dates,
        source=Source(file=src.file, sha256=src.sha256, start_line=span.start_line, end_line=span.end_line),
        provisions=parse_provisions(paragraphs, inner),
    )
    if has_force(doc) and (expires := expiry(doc)):
        doc.dates["expires"] = expires
    return doc
