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
from dataclasses import dataclass, replace
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
from gongbao.parse.read import FileLines, read_source
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
    store writing them as they come holds a few documents, not all of them.  `regions` is complete once the
    documents are: a large file (FileLines) is split piece by piece and its regions found as its pieces are."""

    source: SourceText
    documents: Iterator[Document]
    regions: list[IssueRegion]


def parse_file(path: str | os.PathLike[str]) -> ParsedIssue:
    return parse_source(read_source(path))


def parse_source(source: SourceText) -> ParsedIssue:
    if isinstance(source.lines, FileLines):  # all its documents at once: the file is held whole
        source = replace(source, lines=tuple(source.lines))
    if is_traditional(source.lines):  # parsed through its Simplified conversion, kept as printed (parse/script.py)
        return parse_as_printed(source, _parse)
    return _parse(source)


def parse_stream(source: SourceText) -> IssueStream:
    """The documents of parse_source(source), made one at a time; those of a large file (FileLines) from pieces
    of PIECE_LINES lines cleaned and split in turn, so that its memory is that of a piece, not of the file."""
    if is_traditional(source.lines[:2000]):  # (restored as printed after the whole issue is parsed: not streamed)
        issue = parse_source(source)
        return IssueStream(issue.source, iter(issue.documents), issue.regions)
    if isinstance(source.lines, FileLines):
        regions: list[IssueRegion] = []
        return IssueStream(source, _finished(_pieces(source, regions), []), regions)
    _clean, layout, documents = _stream(source)
    return IssueStream(source, documents, layout.regions)


def _parse(source: SourceText) -> ParsedIssue:
    clean_text, layout, documents = _stream(source)
    return ParsedIssue(source=source, clean_text=clean_text, documents=list(documents), regions=layout.regions)


def _stream(source: SourceText) -> tuple[CleanText, IssueLayout, Iterator[Document]]:
    clean_text, layout, file_warnings, has_text = _layout(source)
    if not has_text:  # only page furniture (page numbers, a scanned page's placeholder): the issue's regions
        return clean_text, layout, iter(())
    runs = page_runs(source.pages, source.ocr)
    return clean_text, layout, _finished(_built(clean_text, layout, file_warnings), runs)


def _layout(source: SourceText) -> tuple[CleanText, IssueLayout, list[ParseWarning], bool]:
    """Clean and split: the clean text, the layout, what failed, and whether there is any text (not only page
    furniture).  With no document title recognised the whole text is one document, flagged."""
    file_warnings: list[ParseWarning] = []
    clean_text = _attempt(file_warnings, "clean", (1, max(1, len(source.lines))), lambda: clean(source), None)
    if clean_text is None:
        clean_text = _raw_lines(source)
    layout = _attempt(file_warnings, "split", (1, max(1, len(source.lines))), lambda: split(clean_text), None)
    if layout is not None and not any(ln.kind == "text" for ln in clean_text.lines):
        return clean_text, layout, file_warnings, False
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
    return clean_text, layout, file_warnings, True


def _finished(documents: Iterator[Document], runs: list[list[int]]) -> Iterator[Document]:
    """Each document linked (with its neighbours) and given its pages and facts, one after the other."""
    for doc in _link(documents):
        attach_pages(doc, runs)
        lines = (doc.source.start_line, doc.source.end_line)
        doc.duties = _attempt(doc.warnings, "duties", lines, lambda d=doc: [x.to_dict() for x in find_duties(d)], [])
        doc.figures = _attempt(doc.warnings, "figures", lines, lambda d=doc: [x.to_dict() for x in find_figures(d)], [])
        doc.warnings += numbering_warnings(doc)
        yield doc


def _built(clean_text: CleanText, layout: IssueLayout, file_warnings: list[ParseWarning]) -> Iterator[Document]:
    seen: Counter[str] = Counter()
    for n, span in enumerate(layout.documents):
        doc = _document(clean_text, span, seen)
        if n == 0:
            _first(doc, span, file_warnings)
        yield doc


def _document(clean_text: CleanText, span: DocumentSpan, seen: Counter[str]) -> Document:
    """build_document, counting the documents of each title so far (the id of a repeated title says which)."""
    key = re.sub(r"\s", "", span.title)
    seen[key] += 1
    return build_document(clean_text, span, seen[key])


def _first(doc: Document, span: DocumentSpan, file_warnings: list[ParseWarning]) -> None:
    """The first document of a file carries what failed for the whole file."""
    doc.warnings[:0] = file_warnings
    if span.title_end < span.title_start:
        doc.doc_type = None  # no title was recognised: its type is not known either


# lines of a large file cleaned and split at a time (some 5 MB of gazette text)
PIECE_LINES = 200_000


def _pieces(source: SourceText, regions: list[IssueRegion]) -> Iterator[Document]:
    """The documents of a large file, split a piece at a time.  A piece ends with a document that is not handed
    on (it may go on in the next lines); the next piece starts at the last document handed on, so that the split
    sees the same lines before each title as a split of the whole file does.  A document longer than a piece makes
    the piece grow until it holds it.  The regions between the documents are added to `regions`."""
    lines, held = iter(source.lines), []
    offset = done = 0  # held[0] is line offset + 1; lines 1..done are handed on
    size, seen = PIECE_LINES, Counter()
    while True:
        held += itertools.islice(lines, size - len(held))
        at_end = len(held) < size
        clean_text, layout, file_warnings, has_text = _layout(replace(source, lines=tuple(held)))
        spans = layout.documents if has_text else []
        if not at_end and len(spans) < 3:  # (one handed on before, one to hand on, one that may go on)
            size += PIECE_LINES
            continue
        cut = len(held) if at_end else spans[-1].start_line - 1  # lines of this piece handed on now
        regions += [_shifted(r, offset) for r in layout.regions if offset + r.start_line > done and r.start_line <= cut]
        for span in spans if at_end else spans[:-1]:
            if offset + span.start_line > done:
                doc = _document(clean_text, span, seen)
                if offset == 0 and span is spans[0]:
                    _first(doc, span, [])
                doc.warnings[:0], file_warnings = file_warnings, []  # (what failed for this piece)
                yield _shifted_document(doc, offset)
        if at_end:
            return
        done, restart = offset + cut, spans[-2].start_line - 1
        held, offset = held[restart:], offset + restart
        size = len(held) + PIECE_LINES


def _shifted_document(doc: Document, offset: int) -> Document:
    """A document built from a piece of a file, its lines numbered as the file's (the piece starts after line
    `offset`)."""
    if offset:
        doc.source = _shifted(doc.source, offset)
        doc.provisions = [_shifted(p, offset) for p in doc.provisions]
        doc.warnings = [_shifted(w, offset) for w in doc.warnings]
    return doc


def _shifted(item: T, offset: int) -> T:
    """A copy of something with start_line and end_line, both moved by `offset`."""
    return replace(item, start_line=item.start_line + offset, end_line=item.end_line + offset)  # type: ignore[type-var]


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
