"""Which backend a database address names: `postgresql://…` (or `postgres://…`) a PostgreSQL server, anything
else the path of an embedded SQLite file."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from gongbao.store.corpus import Corpus, StoreError

SERVER_SCHEMES = ("postgresql://", "postgres://")


def is_server(target: str | os.PathLike[str]) -> bool:
    return str(target).startswith(SERVER_SCHEMES)


def open_corpus(target: str | os.PathLike[str], readonly: bool = False) -> Corpus:
    """The knowledge base at `target`, created (or upgraded) unless `readonly`.  Raises StoreError."""
    if is_server(target):
        try:
            from gongbao.store.postgres.store import PostgresCorpus
        except ImportError as e:  # the driver is a dependency; a broken install says so instead of a traceback
            raise StoreError(f"{target}: the PostgreSQL driver cannot be loaded ({e})") from None
        return PostgresCorpus(str(target), readonly=readonly)
    from gongbao.store.sqlite.store import SqliteCorpus

    return SqliteCorpus(target, readonly=readonly)


def exists(target: str | os.PathLike[str]) -> bool:
    """Whether a knowledge base is there already (a server database always is: its schema is made on open)."""
    return is_server(target) or os.path.exists(target)


def describe_database_error(e: BaseException) -> str | None:
    """One line for an error raised by a database driver (a damaged file, a full disk, a lock held too long), so
    that callers above the storage wall can report it without importing the driver; None for any other error."""
    from gongbao.store.sqlite.store import describe_error

    if (found := describe_error(e)) is not None:
        return found
    try:
        from gongbao.store.postgres.store import describe_error as describe_server_error
    except ImportError:
        return None
    return describe_server_error(e)


def writer_lock(
    target: str | os.PathLike[str], notify: Callable[[str], None], timeout_s: float | None = None
) -> AbstractContextManager[None]:
    """Held by an ingest for its whole batch, so that writers queue instead of failing on a lock: for an SQLite
    file, an advisory lock beside it (store/sqlite/writers.py); a PostgreSQL server queues its writers itself."""
    if is_server(target):
        return contextlib.nullcontext()
    from gongbao.store.sqlite.writers import exclusive_writer

    path = Path(target)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"{path}: cannot create the database's folder ({e.strerror})") from None
    return exclusive_writer(path, notify, timeout_s)
