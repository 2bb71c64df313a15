"""Storage: the one place that knows the database. Everything above it speaks the records of `gongbao.model`.

`from gongbao.store import Store` is the public entry point (documented in the README); the embedded SQLite
backend lives in `store/sqlite/`."""

from gongbao.store.sqlite.store import IngestResult, Store, StoreError

__all__ = ["IngestResult", "Store", "StoreError"]
