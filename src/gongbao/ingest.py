"""Files and folders → store, one file at a time, never letting one bad file stop the batch."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import platformdirs

from gongbao.model import DocumentSpan, SourceText
from gongbao.parse.clean import clean
from gongbao.parse.read import ReadError, read_bytes, read_source
from gongbao.pipeline import ParsedIssue, build_document, parse_source
from gongbao.store import Corpus, IngestResult, describe_database_error, open_corpus
from gongbao.store.backends import exists, is_server
from gongbao.store.corpus import StoreNeedsUpgrade

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
PAGED_SUFFIXES = {".pdf"}  # read by an extractor whose name and version are part of the stored identity
INPUT_SUFFIXES = TEXT_SUFFIXES | PAGED_SUFFIXES | {".docx", ".html", ".htm"}


@dataclass
class BatchReport:
    results: list[IngestResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # one line each: "path: reason"
    warnings: list[str] = field(default_factory=list)  # one line each: "path: what was not read" (file still stored)
    stopped: str | None = None  # why the batch stopped before its end (the database failed: full disk, damage)
    not_attempted: int = 0  # files after the one at which it stopped


def default_db_path() -> str | Path:
    """GONGBAO_DB (a file or a postgresql:// address), else the per-user data path."""
    env = os.environ.get("GONGBAO_DB")
    if env:
        return env if is_server(env) else Path(env)
    return Path(platformdirs.user_data_dir("gongbao", appauthor=False)) / "gongbao.db"


def sample_paths() -> list[Path]:
    """The bundled corpus: the sample gazette issues shipped inside the package."""
    folder = resources.files("gongbao") / "samples"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".txt"))


def expand(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files as given; folders walked recursively for the formats gongbao reads, in name order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(
                f
                for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES and not f.name.startswith(".")
            )
        else:
            out.append(p)
    return out


def ingest_file(store: Corpus, path: Path, warnings: list[str] | None = None) -> IngestResult:
    """Read, parse and store one file; what its reader could not read is appended to `warnings`."""
    if path.suffix.lower() in PAGED_SUFFIXES and (same := _unchanged_paged(store, path)):
        return same
    source = read_source(path)
    if store.source_identity(source.file) == (source.sha256, source.encoding):
        return store.unchanged(source.file)
    issue = parse_or_keep(source)
    if warnings is not None:
        warnings += [f"{path}: {w}" for w in issue.source.warnings]
    return store.ingest(issue)


def _unchanged_paged(store: Corpus, path: Path) -> IngestResult | None:
    """A PDF whose bytes and extractor version are those stored is not extracted again."""
    from gongbao.parse.pdf import extractor_id

    stored = store.source_identity(path.name)
    if stored is None or stored[1] != extractor_id():
        return None
    if stored[0] != hashlib.sha256(read_bytes(path)).hexdigest():
        return None
    return store.unchanged(path.name)


def parse_or_keep(source: SourceText) -> ParsedIssue:
    """Parse a source.  Never lose input: a file in which no document title is recognised is stored as one
    document named by its first line, and a file with no text at all whose reader said why (a scan without OCR)
    is stored with no documents; both with a warning saying so."""
    try:
        return parse_source(source)
    except ReadError:
        clean_text = clean(source)
        text = [ln for ln in clean_text.lines if ln.kind == "text"]
        if not text:
            if not source.warnings:
                raise
            return ParsedIssue(source=source, clean_text=clean_text, documents=[], regions=[])
        note = "no document title recognised: the whole file is stored as one document named by its first line"
        source = replace(source, warnings=(*source.warnings, note))
        clean_text.source = source
        first, last = text[0].number, text[-1].number
        span = DocumentSpan(first, last, first, first, text[0].text)
        return ParsedIssue(source, clean_text, [build_document(clean_text, span)], [])


def ingest_paths(
    store: Corpus, paths: Iterable[Path], progress: Callable[[Path, IngestResult | None], None] | None = None
) -> BatchReport:
    report = BatchReport()
    todo = list(paths)
    for n, path in enumerate(todo):
        result = None
        try:
            result = ingest_file(store, path, report.warnings)
            report.results.append(result)
        except ReadError as e:
            report.errors.append(str(e))
        except Exception as e:  # a parser bug on one file must not lose the rest of the batch
            if why := describe_database_error(e):  # … but when the database fails, every next file would too
                report.errors.append(f"{path}: not stored: {why}")
                report.stopped, report.not_attempted = why, len(todo) - n - 1
                break
            report.errors.append(f"{path}: internal error while parsing ({type(e).__name__}: {e})")
        if progress:
            progress(path, result)
    return report


def open_reader(target: str | os.PathLike[str]) -> Corpus:
    """A read-only handle on an existing knowledge base (a reader never takes a write lock, so it neither waits for
    nor blocks an ingest).  One written by an older gongbao is first upgraded by one writable open."""
    try:
        return open_corpus(target, readonly=True)
    except StoreNeedsUpgrade:
        open_corpus(target).close()
        return open_corpus(target, readonly=True)


def open_store(db: str | os.PathLike[str] | None, build_if_missing: bool = True) -> Corpus:
    """Open the knowledge base (a file or a postgresql:// address); a missing database file, or a server database
    without any source yet, is first built from the bundled samples."""
    target = db or default_db_path()
    fresh = not exists(target)
    store = open_corpus(target)
    if build_if_missing and (fresh or (is_server(target) and not store.count("sources"))):
        ingest_paths(store, sample_paths())
    return store
