"""One writer at a time on an SQLite database, the others queued: SQLite itself lets a second writer wait only for
its busy timeout and then fails the write ("database is locked"), which in a batch would lose files.  So a whole
ingest holds an advisory lock on a file beside the database (`gongbao.db.lock`, flock: released by the system when
the process ends, however it ends); a second ingest waits for it, saying so after a few seconds, then does its
files.  Readers take no such lock: in WAL mode they read the last committed state while a writer writes."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

NOTICE_AFTER_S = 3.0  # how long a writer waits quietly before saying that it waits
POLL_S = 0.1


@contextlib.contextmanager
def exclusive_writer(database: Path, notify: Callable[[str], None], timeout_s: float | None = None) -> Iterator[None]:
    """Hold the writer lock of `database` for the block; wait for it first if another process holds it (`notify`
    is told once, after NOTICE_AFTER_S).  With `timeout_s`, raise TimeoutError after waiting that long."""
    lock_path = database.with_name(database.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        _acquire(fd, lock_path, notify, timeout_s)
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, lock_path: Path, notify: Callable[[str], None], timeout_s: float | None) -> None:
    start = time.monotonic()
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        waited = time.monotonic() - start
        if timeout_s is not None and waited >= timeout_s:
            raise TimeoutError(f"another ingest ({_holder(lock_path)}) still writes after {waited:.0f} s")
        if not told and waited >= NOTICE_AFTER_S:
            notify(f"waiting for another ingest into {lock_path.with_suffix('')} ({_holder(lock_path)}) to finish …")
            told = True
        time.sleep(POLL_S)


def _holder(lock_path: Path) -> str:
    try:
        pid = lock_path.read_text(encoding="ascii").strip()
    except OSError:
        pid = ""
    return f"process {pid}" if pid.isdigit() else "another process"
