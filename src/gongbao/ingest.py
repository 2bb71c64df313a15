"""Files and folders → store, one file at a time, never letting one bad file stop the batch."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import platformdirs

from gongbao.parse.read import ReadError, read_source
from gongbao.pipeline import parse_source
from gongbao.store import Corpus, IngestResult, open_corpus
from gongbao.store.backends import exists, is_server

TEXT_SUFFIXES = {".txt", ".text"}


@dataclass
class BatchReport:
    results: list[IngestResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # one line each: "path: reason"


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
    """Files as given; folders walked recursively for .txt files, in name order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(
                f
                for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES and not f.name.startswith(".")
            )
        else:
            out.append(p)
    return out


def ingest_file(store: Corpus, path: Path) -> IngestResult:
    source = read_source(path)
    if store.source_sha(source.file) == source.sha256:
        return store.unchanged(source.file)
    return store.ingest(parse_source(source))


def ingest_paths(
    store: Corpus, paths: Iterable[Path], progress: Callable[[Path, IngestResult | None], None] | None = None
) -> BatchReport:
    report = BatchReport()
    for path in paths:
        result = None
        try:
            result = ingest_file(store, path)
            report.results.append(result)
        except ReadError as e:
            report.errors.append(str(e))
        except Exception as e:  # a parser bug on one file must not lose the rest of the batch
            report.errors.append(f"{path}: internal error while parsing ({type(e).__name__}: {e})")
        if progress:
            progress(path, result)
    return report


def open_store(db: str | os.PathLike[str] | None, build_if_missing: bool = True) -> Corpus:
    """Open the knowledge base (a file or a postgresql:// address); a missing database file, or a server database
    without any source yet, is first built from the bundled samples."""
    target = db or default_db_path()
    fresh = not exists(target)
    store = open_corpus(target)
    if build_if_missing and (fresh or (is_server(target) and not store.count("sources"))):
        ingest_paths(store, sample_paths())
    return store
