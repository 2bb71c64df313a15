"""The parsing half of the flow for one file: read → clean → split → parse, with no I/O beyond reading it.

Nothing is lost: a file in which no document title is recognised becomes one document of all its text; a stage
that fails on one document (metadata, structure, status, links, duties, figures) leaves that document with what
the earlier stages made of it (its text as blocks when the structure failed) and a warning saying what failed and
where; the other documents of the file are not affected.  Only what cannot be read as text is refused (ReadError,
raised by the reader).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from gongbao.link.duties import find_duties
from gongbao.link.figures import find_figures
from gongbao.link.refs import link_issue, link_stream
from gongbao.link.status import expiry, has_force
from gongbao.model import (
    CleanLine,
    CleanText,
    Document,
    DocumentSpan,
    IssueLayout,
    IssueRegion,
    Paragraph,
    ParseWarning,
    Provision,
    Source,
    SourceText,
)
from gongbao.parse.clean import clean, iter_paragraphs
from gongbao.parse.meta import Metadata, read_metadata
from gongbao.parse.pages import attach_pages, page_runs
from gongbao.parse.read import read_source
from gongbao.parse.script import is_traditional, parse_as_printed
from gongbao.parse.split import split, whole_file
from gongbao.parse.structure import parse_provisions

T = TypeVar("T")


@dataclass
class ParsedIssue:
    source: SourceText
    clean_text: CleanText
    documents: list[Document]
    regions: list[IssueRegion]


@dataclass
class IssueStream:
    """A file parsed one document at a time: `documents` makes each document as it is iterated (once), so that a
    store writing them as they come holds a few documents of a large file, not all of them.  The lines of the
    whole file are still held: the split into documents reads the whole issue (its contents, running headers)."""

    source: SourceText
    documents: Iterator[Document]
    regions: list[IssueRegion]


def parse_file(path: str | os.PathLike[str]) -> ParsedIssue:
    return parse_source(read_source(path))


def parse_source(source: SourceText) -> ParsedIssue:
    if is_traditional(source.lines):  # parsed through its Simplified conversion, kept as printed (parse/script.py)
        return parse_as_printed(source, _parse)
    return _parse(source)


def parse_stream(source: SourceText) -> IssueStream:
    """The documents of parse_source(source), the same, made one at a time."""
    if is_traditional(source.lines):  # (restored as printed after the whole issue is parsed: not streamed)
        issue = parse_source(source)
        return IssueStream(issue.source, iter(issue.documents), issue.regions)
    _clean, layout, documents = _stream(source)
    return IssueStream(source, documents, layout.regions)


def _parse(source: SourceText) -> ParsedIssue:
    clean_text, layout, documents = _stream(source)
    return ParsedIssue(source=source, clean_text=clean_text, documents=list(documents), regions=layout.regions)


def _stream(source: SourceText) -> tuple[CleanText, IssueLayout, Iterator[Document]]:
    file_warnings: list[ParseWarning] = []
    clean_text = _attempt(file_warnings, "clean", (1, max(1, len(source.lines))), lambda: clean(source), None)
    if clean_text is None:
        clean_text = _raw_lines(source)
    layout = _attempt(file_warnings, "split", (1, max(1, len(source.lines))), lambda: split(clean_text), None)
    if layout is not None and not any(ln.kind == "text" for ln in clean_text.lines):
        # only page furniture (page numbers, a scanned page's placeholder): stored as the issue's regions
        return clean_text, layout, iter(())
    if layout is None or not layout.documents:
        layout = whole_file(clean_text)
        if not file_warnings:
            span = layout.documents[0]
            file_warnings.append(
                ParseWarning(
                    "split",
                    "no document title recognised: the whole file is stored as one document",
                    span.start_line,
                    span.end_line,
                )
            )
    return clean_text, layout, _documents(clean_text, layout, file_warnings)


def _documents(clean_text: CleanText, layout: IssueLayout, file_warnings: list[ParseWarning]) -> Iterator[Document]:
    """Each span of the layout built, linked (with its neighbours) and given its facts, one after the other."""
    runs = page_runs(clean_text.source.pages, clean_text.source.ocr)
    for doc in _link(_built(clean_text, layout, file_warnings)):
        attach_pages(doc, runs)
        lines = (doc.source.start_line, doc.source.end_line)
        doc.duties = _attempt(doc.warnings, "duties", lines, lambda d=doc: [x.to_dict() for x in find_duties(d)], [])
        doc.figures = _attempt(doc.warnings, "figures", lines, lambda d=doc: [x.to_dict() for x in find_figures(d)], [])
        doc.warnings += numbering_warnings(doc)
        yield doc


def _built(clean_text: CleanText, layout: IssueLayout, file_warnings: list[ParseWarning]) -> Iterator[Document]:
    seen: Counter[str] = Counter()
    for n, span in enumerate(layout.documents):
        key = re.sub(r"\s", "", span.title)
        seen[key] += 1
        doc = build_document(clean_text, span, seen[key])
        if n == 0:
            doc.warnings[:0] = file_warnings
            if span.title_end < span.title_start:
                doc.doc_type = None  # no title was recognised: its type is not known either
        yield doc


def document_id(file: str, title: str, occurrence: int) -> str:
    """Stable across re-ingests of the same file: depends on the file name, the title and which of several
    documents with that title this is, not on line numbers."""
    squeezed = re.sub(r"\s", "", title)
    key = f"{file}\n{squeezed}\n{occurrence}".encode()
    return hashlib.sha1(key).hexdigest()[:12]


def build_document(clean_text: CleanText, span: DocumentSpan, occurrence: int = 1) -> Document:
    """One document from its span; a stage that fails is recorded as a warning of the document, and the document
    keeps what the stages before it made (no metadata, or its paragraphs as blocks)."""
    warnings: list[ParseWarning] = []
    lines = (span.start_line, span.end_line)
    paragraphs = list(iter_paragraphs(clean_text, span.title_end + 1, span.end_line))
    meta = _attempt(
        warnings,
        "metadata",
        lines,
        lambda: read_metadata(span.title, span.inner_title, paragraphs),
        Metadata(doc_type=None, issuer=None, doc_number=None),
    )
    inner = (span.inner_title_start, span.inner_title_end) if span.inner_title_start else None
    provisions = _attempt(warnings, "structure", lines, lambda: parse_provisions(paragraphs, inner), None)
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
        provisions=provisions if provisions is not None else as_blocks(paragraphs),
        warnings=warnings,
    )
    expires = _attempt(warnings, "status", lines, lambda: has_force(doc) and expiry(doc), None)
    if expires:
        doc.dates["expires"] = expires
    return doc


def as_blocks(paragraphs: list[Paragraph]) -> list[Provision]:
    """Paragraphs as unlabelled blocks: the provisions of a text whose structure could not be read."""
    return [
        Provision(f"p_{n}", "block", None, "", p.text, None, p.start_line, p.end_line)
        for n, p in enumerate(paragraphs, 1)
    ]


def numbering_warnings(doc: Document) -> list[ParseWarning]:
    """Article numbers of a law run 1, 2, 3 … (a 条之一 repeats the number before it); a gap or a step back is
    most often an article the parser did not see, so it is flagged where it happens."""
    out = []
    articles = [p for p in doc.provisions if p.kind == "article"]
    for a, b in itertools.pairwise(articles):
        expected = a.number if "之" in b.label else (a.number or 0) + 1
        if b.number != expected:
            out.append(ParseWarning("numbering", f"{a.label} followed by {b.label}", a.start_line, b.end_line))
    return out


def _link(documents: Iterator[Document]) -> Iterator[Document]:
    """References and relations for the whole issue, a few documents at a time (link_stream); when that fails, the
    documents not handed on yet are linked each alone, so that one document's failure costs only its own links."""
    fed: deque[Document] = deque()  # given to the link stage and not handed on yet

    def feed() -> Iterator[Document]:
        for doc in documents:
            fed.append(doc)
            yield doc

    try:
        for doc in link_stream(feed()):
            fed.popleft()  # (link_stream hands the documents on in order)
            yield doc
        return
    except Exception:  # a bug in one document's links must not lose the file: find which document it is
        pass
    for doc in itertools.chain(list(fed), documents):
        try:
            link_issue([doc])
        except Exception as e:
            doc.warnings.append(_failure("links", e, (doc.source.start_line, doc.source.end_line)))
            doc.references, doc.relations = [], []
        yield doc


def _attempt(warnings: list[ParseWarning], stage: str, lines: tuple[int, int], run: Callable[[], T], fallback: T) -> T:
    """run(), or the fallback with a warning naming the stage, the error and the lines concerned."""
    try:
        return run()
    except Exception as e:  # any parser bug becomes a warning on the document, never a lost file
        warnings.append(_failure(stage, e, lines))
        return fallback


def _failure(stage: str, e: Exception, lines: tuple[int, int]) -> ParseWarning:
    return ParseWarning(stage, f"failed ({type(e).__name__}: {e})", *lines)


def _raw_lines(source: SourceText) -> CleanText:
    """The file's lines as they are, when cleaning itself failed: every non-blank line is text."""
    lines = [
        CleanLine(n, raw, raw.strip(), "text" if raw.strip() else "blank", width=len(raw.strip()))
        for n, raw in enumerate(source.lines, 1)
    ]
    return CleanText(source=source, lines=lines, wrap_width=0)
