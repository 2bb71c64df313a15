"""Intrinsic quality checks that need no ground truth.

Errors: article numbers not consecutive within a law, chapter numbers not consecutive, an empty article, page
furniture (running header, page number) left in provision text, a source line that belongs to no document and no
issue-metadata region, or to more than one.  Warnings: a document without a type, and every warning the parser
recorded with a document (no title recognised, a stage that failed on it), with its lines; the parser's own
numbering warnings are the article-number errors above and are not listed twice.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from gongbao.model import Document
from gongbao.store import Corpus

_PAGE_NUMBER_IN_TEXT = re.compile(r"[—－-]\s*\d{1,4}\s*[—－-]$|^[—－-]\s*\d{1,4}\s*[—－-]")


@dataclass
class Finding:
    level: str  # 'error' | 'warning'
    file: str
    document: str | None
    message: str
    lines: tuple[int, int] | None = None  # the source lines concerned, when known

    def __str__(self) -> str:
        where = self.file + (f":{self.lines[0]}-{self.lines[1]}" if self.lines else "")
        where += f" [{self.document}]" if self.document else ""
        return f"{self.level}: {where}: {self.message}"


def check_store(store: Corpus) -> list[Finding]:
    findings: list[Finding] = []
    for src in store.sources():
        file = src["file"]
        docs = [store.document(d.id, with_links=False) for d in store.list_documents(file=file)]
        docs = [d for d in docs if d is not None]
        headers = _furniture_texts(store, file)
        findings += _check_coverage(store, file, src["line_count"], docs)
        for doc in docs:
            findings += check_document(doc, headers)
    return findings


def _furniture_texts(store: Corpus, file: str) -> set[str]:
    lines = store.source_lines(file) or []
    texts = set()
    for kind, start, end in store.regions(file):
        if kind == "furniture":
            texts |= {re.sub(r"\s", "", lines[n - 1]) for n in range(start, end + 1) if n <= len(lines)}
    return {t for t in texts if len(t) >= 6}  # running headers; page numbers are matched by pattern


def check_document(doc: Document, furniture: set[str] = frozenset()) -> list[Finding]:
    out: list[Finding] = []
    file = doc.source.file

    def err(msg: str) -> None:
        out.append(Finding("error", file, doc.id, msg))

    articles = [p for p in doc.provisions if p.kind == "article"]
    numbers = [(p.number, p.label) for p in articles]
    for (a, la), (b, lb) in itertools.pairwise(numbers):
        if "之" in lb:
            if b != a:
                err(f"{lb} follows {la}")
        elif b != a + 1:
            err(f"article numbers not consecutive in 《{doc.title}》: {la} then {lb}")
    for kind, sub in (("part", False), ("part", True), ("chapter", False)):  # 分编 number from 1 in each 编
        divs = [p for p in doc.provisions if p.kind == kind and ("分编" in p.label) == sub]
        for a, b in itertools.pairwise(divs):
            if b.number != a.number + 1 and not (b.number == 1 and (kind == "chapter" or sub)):
                err(f"{kind} numbers not consecutive in 《{doc.title}》: {a.label} then {b.label}")
    for p in articles:
        if not p.text.strip():
            err(f"empty article {p.label} (line {p.start_line})")
    for p in doc.provisions:
        squeezed = re.sub(r"\s", "", p.text)
        if any(h in squeezed for h in furniture) or any(_PAGE_NUMBER_IN_TEXT.search(t) for t in p.text.split("\n")):
            err(f"page furniture left in {p.id} (lines {p.start_line}-{p.end_line})")
    if not doc.doc_type:
        out.append(Finding("warning", file, doc.id, f"no document type read from title 《{doc.title}》"))
    for w in doc.warnings:
        if w.stage != "numbering":
            lines = (w.start_line, w.end_line)
            out.append(Finding("warning", file, doc.id, f"《{doc.title}》 {w.stage}: {w.message}", lines))
    return out


def _check_coverage(store: Corpus, file: str, line_count: int, docs: list[Document]) -> list[Finding]:
    owners = [0] * (line_count + 1)
    for d in docs:
        for n in range(d.source.start_line, d.source.end_line + 1):
            owners[n] += 1
    for _kind, start, end in store.regions(file):
        for n in range(start, end + 1):
            owners[n] += 1
    out = []
    unassigned = [n for n in range(1, line_count + 1) if owners[n] == 0]
    doubled = [n for n in range(1, line_count + 1) if owners[n] > 1]
    if unassigned:
        out.append(
            Finding(
                "error", file, None, f"{len(unassigned)} lines in no document or issue region, first {unassigned[:5]}"
            )
        )
    if doubled:
        out.append(
            Finding(
                "error", file, None, f"{len(doubled)} lines in more than one document or region, first {doubled[:5]}"
            )
        )
    return out
