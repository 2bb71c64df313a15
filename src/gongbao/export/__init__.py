"""Exporters: turn documents into files other tools and people read — one module per format, each a pure function
from gongbao.model records to bytes or text (jsonl streams the whole corpus).

`document_file` is the one place that gathers what a single-document export needs from a corpus (status, 效力级别,
the works it cites) and picks the format, for the CLI (`gongbao show ID --format …`) and the web's download links.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gongbao.link.level import legal_level
from gongbao.model import Document

if TYPE_CHECKING:
    from gongbao.store import Corpus

# format → (media type, file suffix)
DOCUMENT_FORMATS = {
    "akn": ("application/akn+xml", ".akn.xml"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "md": ("text/markdown; charset=utf-8", ".md"),
    "txt": ("text/plain; charset=utf-8", ".txt"),
}


@dataclass(frozen=True)
class ExportedFile:
    content: bytes
    media_type: str
    filename: str


def document_file(corpus: Corpus, doc: Document, fmt: str) -> ExportedFile:
    """One document (loaded with its provisions and links) in `fmt` (a key of DOCUMENT_FORMATS)."""
    if fmt not in DOCUMENT_FORMATS:
        raise ValueError(f"unknown format {fmt!r} (available: {', '.join(DOCUMENT_FORMATS)})")
    status = corpus.status_of(doc.id)
    state = status.to_dict() if status else None
    level = legal_level(doc.issuer, doc.doc_type, doc.title, doc.inner_title)
    if fmt == "akn":
        from gongbao.export.akn import to_akn, work_of

        def cited_work(doc_id: str) -> str | None:
            cited = corpus.document(doc_id, with_links=False)  # its provisions say whether it is an act
            return work_of(cited).uri if cited else None

        content = to_akn(doc, status=state, level=level, cited_work=cited_work)
    elif fmt == "docx":
        from gongbao.export.docx import to_docx

        content = to_docx(doc, state, level)
    else:
        from gongbao.export.markdown import to_markdown, to_text

        content = (to_markdown if fmt == "md" else to_text)(doc, state, level).encode("utf-8")
    media, suffix = DOCUMENT_FORMATS[fmt]
    return ExportedFile(content, media, doc.id + suffix)
