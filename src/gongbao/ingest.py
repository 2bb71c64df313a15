"""Files and folders → store, one file at a time, never letting one bad file stop the batch."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import platformdirs

from gongbao.parse.files import DEFAULT_MAX_BYTES, walk
from gongbao.parse.read import ReadError, read_bytes, read_source
from gongbao.pipeline import parse_source
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
    failures: list[tuple[Path, str]] = field(default_factory=list)  # the files among them: (path, reason)
    warnings: list[str] = field(default_factory=list)  # one line each: "path: what was not read" (file still stored)
    stopped: str | None = None  # why the batch stopped before its end (the database failed: full disk, damage)
    not_attempted: int = 0  # files after the one at which it stopped

    def fail(self, path: Path, reason: str) -> None:
        self.failures.append((path, reason))
        self.errors.append(f"{path}: {reason}")


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
    return walk(paths, INPUT_SUFFIXES).files


def ingest_file(
    store: Corpus, path: Path, warnings: list[str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> IngestResult:
    """Read, parse and store one file; what its reader could not read is appended to `warnings`."""
    if path.suffix.lower() in PAGED_SUFFIXES and (same := _unchanged_paged(store, path, max_bytes)):
        return same
    source = read_source(path, max_bytes)
    source = replace(source, file=source_key(store, source.file, source.path, source.sha256))
    if store.source_identity(source.file) == (source.sha256, source.encoding):
        return store.unchanged(source.file)
    issue = parse_source(source)
    if warnings is not None:
        warnings += [f"{path}: {w}" for w in issue.source.warnings]
    return store.ingest(issue)


def _unchanged_paged(store: Corpus, path: Path, max_bytes: int) -> IngestResult | None:
    """A PDF whose bytes and extractor version are those stored is not extracted again."""
    from gongbao.parse.pdf import extractor_id

    sha = hashlib.sha256(read_bytes(path, max_bytes)).hexdigest()
    key = source_key(store, path.name, str(path.resolve()), sha)
    stored = store.source_identity(key)
    if stored is None or stored[1] != extractor_id() or stored[0] != sha:
        return None
    return store.unchanged(key)


def source_key(store: Corpus, name: str, path: str, sha256: str) -> str:
    """The key a file is stored (and cited) under.  Its bare name, as long as no file of that name from another
    folder is stored; then the shortest end of its path that is free (`b/issue.txt`), so that two files of one name
    are two sources.  The key of a stored file is kept: the same path again (changed or not) replaces itself, and
    the same bytes moved to another folder are the same source.  The first file of a name keeps its bare name, so
    the document ids of existing databases do not change."""
    stored = store.sources_named(name)
    for key, stored_path, stored_sha in stored:
        if stored_path is None or stored_path == path or stored_sha == sha256:
            return key
    taken = {key for key, _path, _sha in stored}
    folders = Path(path).parent.parts
    for n in range(len(folders) + 1):
        key = "/".join([*folders[len(folders) - n :], name])
        if key not in taken:
            return key
    return path


def ingest_paths(
    store: Corpus,
    paths: Iterable[Path],
    progress: Callable[[Path, IngestResult | None], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> BatchReport:
    report = BatchReport()
    todo = list(paths)
    for n, path in enumerate(todo):
        result = None
        try:
            read_warnings: list[str] = []
            result = ingest_file(store, path, read_warnings, max_bytes)
            report.warnings += read_warnings
            result.warnings[:0] = [w.removeprefix(f"{path}: ") for w in read_warnings]
            report.results.append(result)
        except ReadError as e:
            report.fail(path, e.reason)
        except Exception as e:  # (parsing never raises; a storage bug on one file must not lose the batch)
            if why := describe_database_error(e):  # … but when the database fails, every next file would too
                report.fail(path, f"not stored: {why}")
                report.stopped, report.not_attempted = why, len(todo) - n - 1
                break
            report.fail(path, f"internal error while storing ({type(e).__name__}: {e})")
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
