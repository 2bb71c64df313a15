"""Storage: the one place that knows the database.  Everything above it speaks the records of `gongbao.model`
through the `Corpus` interface (`store/corpus.py`); nothing outside this package imports a database driver or holds
SQL (a test greps for it).

  corpus.py     the interface, and what is computed the same way for every backend (status, find, iterate)
  backends.py   open_corpus(target): a file path → SQLite, a postgresql:// address → PostgreSQL
  sqlite/       the embedded backend (apsw): the default, one file, nothing to start
  postgres/     the shared backend (psycopg 3 with a connection pool): several writers, many readers

`from gongbao.store import Store` is the public entry point documented in the README (the SQLite backend)."""

from typing import Any

from gongbao.store.backends import describe_database_error, open_corpus
from gongbao.store.corpus import Corpus, IngestResult, StoreError

__all__ = ["Corpus", "IngestResult", "SqliteCorpus", "Store", "StoreError", "describe_database_error", "open_corpus"]


def __getattr__(name: str) -> Any:
    """Store and SqliteCorpus are imported on first use: the SQLite backend pulls in the whole parser (it re-ingests
    an older database), which the commands that only print help or read a server database do not need."""
    if name in ("SqliteCorpus", "Store"):
        from gongbao.store.sqlite import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
