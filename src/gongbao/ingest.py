"""Files and folders → store, one file at a time, never letting one bad file stop the batch."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from gongbao.parse.files import DEFAULT_MAX_BYTES, walk
from gongbao.parse.read import ReadError, read_bytes, read_source
from gongbao.store import Corpus, IngestResult, describe_database_error, open_corpus
from gongbao.store.backends import exists, is_server
from gongbao.store.corpus import StoreNeedsUpgrade

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

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
    from gongbao.pipeline import parse_source, parse_stream  # (the parser is imported by the first file, not by --help)

    issue = parse_stream(source) if store.streams_documents else parse_source(source)
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


def source_key(store: Corpus, name: str, path: str, sha256: str, pending: Iterable[tuple[str, str, str]] = ()) -> str:
    """The key a file is stored (and cited) under.  Its bare name, as long as no file of that name from another
    folder is stored; then the shortest end of its path that is free (`b/issue.txt`), so that two files of one name
    are two sources.  The key of a stored file is kept: the same path again (changed or not) replaces itself, and
    the same bytes moved to another folder are the same source.  The first file of a name keeps its bare name, so
    the document ids of existing databases do not change."""
    stored = [*store.sources_named(name), *(p for p in pending if p[0].rsplit("/", 1)[-1] == name)]
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
    jobs: int = 1,
) -> BatchReport:
    """Ingest files one by one, or parsed by `jobs` processes while this one writes (parsing needs no storage) —
    or, on a database that takes several writers at once (a server's), parsed and written by each of those
    processes; each file that cannot be read or parsed is reported and the others go on."""
    report = BatchReport()
    todo = list(paths)
    with _few_collections():
        _ingest_batch(store, todo, report, progress, max_bytes, jobs)
    return report


@contextlib.contextmanager
def _few_collections() -> Iterator[None]:
    """The cyclic garbage collector run less often during a batch: parsing makes millions of short-lived objects
    that reference counting frees, and a collection every 700 of them costs the parse a few percent."""
    threshold = gc.get_threshold()
    _collect_less()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def _collect_less() -> None:
    gc.set_threshold(50_000, *gc.get_threshold()[1:])


def _ingest_batch(
    store: Corpus,
    todo: list[Path],
    report: BatchReport,
    progress: Callable[[Path, IngestResult | None], None] | None,
    max_bytes: int,
    jobs: int,
) -> None:
    parsed = _parsed_in_parallel(store, todo, jobs, max_bytes) if jobs > 1 else ((p, None) for p in todo)
    for n, (path, outcome) in enumerate(parsed):
        result = None
        try:
            read_warnings: list[str] = []
            if outcome is None:
                result = ingest_file(store, path, read_warnings, max_bytes)
            else:
                result = _store_parsed(store, path, outcome, read_warnings)
            report.warnings += read_warnings
            result.warnings[:0] = [w.removeprefix(f"{path}: ") for w in read_warnings]
            report.results.append(result)
        except ReadError as e:
            report.fail(path, e.reason)
        except Exception as e:  # (parsing never raises; a storage bug on one file must not lose the batch)
            why = e.database if isinstance(e, _NotStored) else describe_database_error(e)
            if why:  # … but when the database fails, every next file would too
                report.fail(path, f"not stored: {why}")
                report.stopped, report.not_attempted = why, len(todo) - n - 1
                break
            report.fail(
                path, str(e) if isinstance(e, _NotStored) else f"internal error while storing ({type(e).__name__}: {e})"
            )
        if progress:
            progress(path, result)


# What a parsing process hands to the writer: ('issue', ParsedIssue) | ('unchanged', key) | ('error', reason), or
# when it wrote the file itself: ('stored', (IngestResult, the reader's warnings)) | ('unstored', (reason, database
# failure or None)).  An error travels as its reason (exceptions with their own constructor do not survive pickling).
_Outcome = tuple[str, Any]


class _NotStored(Exception):
    """A parsing process could not store its file: `database` says why when the database itself failed."""

    def __init__(self, reason: str, database: str | None):
        super().__init__(reason)
        self.database = database


def _parse_job(
    path: Path, key: str, known: tuple[str, str] | None, max_bytes: int, writer: str | None = None
) -> _Outcome:
    """In a parsing process: read and parse one file under its key; a stored version is not parsed.  With a
    `writer` address (a database that takes several writers), the file is stored from here too."""
    from gongbao.pipeline import parse_source

    try:
        source = replace(read_source(path, max_bytes), file=key)
        if (source.sha256, source.encoding) == known:
            return ("unchanged", key)
        issue = parse_source(source)
    except ReadError as e:
        return ("error", e.reason)
    except Exception as e:  # a parser bug on one file must not lose the rest of the batch
        return ("error", f"internal error while parsing ({type(e).__name__}: {e})")
    if writer is not None:
        return _write_job(writer, issue)
    # the writer stores the source, the documents and the regions: the cleaned lines (an object per line) stay here
    # rather than being pickled to it (they cost the two processes more than the parse gains)
    issue.clean_text = replace(issue.clean_text, lines=[])
    return ("issue", issue)


def _write_job(writer: str, issue: Any) -> _Outcome:
    """Store one parsed file from a parsing process: on a server the write (index rows, the server's own work) is
    most of an ingest, and several writers share it out over the cores where one writer would be the bottleneck."""
    try:
        with open_corpus(writer) as store:  # (a server backend keeps one connection pool per process)
            return ("stored", (store.ingest(issue), issue.source.warnings))
    except Exception as e:
        why = describe_database_error(e)
        reason = f"not stored: {why}" if why else f"internal error while storing ({type(e).__name__}: {e})"
        return ("unstored", (reason, why))


def _store_parsed(store: Corpus, path: Path, outcome: _Outcome, warnings: list[str]) -> IngestResult:
    kind, value = outcome
    if kind == "error":
        raise ReadError(path, value)
    if kind == "unchanged":
        return store.unchanged(value)
    if kind == "unstored":
        raise _NotStored(*value)
    if kind == "stored":
        result, read_warnings = value
        warnings += [f"{path}: {w}" for w in read_warnings]
        return result
    warnings += [f"{path}: {w}" for w in value.source.warnings]
    return store.ingest(value)


def _parsed_in_parallel(store: Corpus, paths: list[Path], jobs: int, max_bytes: int) -> Iterator[tuple[Path, _Outcome]]:
    """(path, outcome) in the order of `paths`, parsed by `jobs` processes; at most 2 × jobs parsed files wait for
    the writer, so memory stays bounded on a large batch.  Each file's key is chosen here, before it is parsed
    (its document ids depend on it), counting the files of the batch already handed out."""
    import multiprocessing  # (the process pool's modules are imported only when --jobs asks for it)
    from concurrent.futures import Future, ProcessPoolExecutor

    handed: list[tuple[str, str, str]] = []  # (key, path, sha256) of this batch, not all stored yet
    writer = store.writer_address()

    def submit(pool: ProcessPoolExecutor, path: Path) -> Future[_Outcome]:
        try:
            sha = hashlib.sha256(read_bytes(path, max_bytes)).hexdigest()
        except ReadError as e:
            done: Future[_Outcome] = Future()
            done.set_result(("error", e.reason))
            return done
        where = str(path.resolve())  # (the path a reader records)
        key = source_key(store, path.name, where, sha, handed)
        handed.append((key, where, sha))
        return pool.submit(_parse_job, path, key, store.source_identity(key), max_bytes, writer)

    context = multiprocessing.get_context("spawn")  # (no fork of a process that holds database connections)
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_collect_less) as pool:
        todo = iter(paths)
        pending = deque((p, submit(pool, p)) for p in itertools.islice(todo, 2 * jobs))
        while pending:
            path, future = pending.popleft()
            pending.extend((p, submit(pool, p)) for p in itertools.islice(todo, 1))
            try:
                yield path, future.result()
            except Exception as e:  # the parsing process itself died
                yield path, ("error", f"internal error while parsing ({type(e).__name__}: {e})")


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
