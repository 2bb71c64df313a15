"""Where a command writes a file (`export --out`): never over the database, never anything but a regular file in a
folder that exists, and atomically — the new file appears whole under its name or not at all, and a failure leaves
no temporary file behind.  Two exports to the same name at once each write their own temporary file; the last to
finish wins, whole."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

# the files SQLite keeps beside a database while it is open
_DATABASE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


class OutputError(Exception):
    """The output path cannot (or must not) be written; str() says which and why."""


def check_output_path(out: Path, database: str | os.PathLike[str] | None) -> None:
    """Raise OutputError unless `out` is a path where a regular file may be written, which is not the database."""
    folder = out.parent if str(out.parent) else Path(".")
    if database is not None and _is_database(out, Path(database)):
        raise OutputError(f"{out}: is the database itself; choose another file for the export")
    try:
        st = out.stat()
    except FileNotFoundError:
        st = None
    except OSError as e:  # e.g. a path through a regular file: "Not a directory"
        raise OutputError(f"{out}: cannot write here ({e.strerror})") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError(f"{out}: is a folder; give the name of a file to write (e.g. {out / 'export.jsonl'})")
        if not stat.S_ISREG(st.st_mode):
            raise OutputError(f"{out}: is not a regular file (a device, a pipe or a socket); give a file name")
        if not os.access(out, os.W_OK):
            raise OutputError(f"{out}: the file is not writable")
    if not folder.is_dir():
        raise OutputError(f"{out}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{out}: cannot create files in the folder {folder} (permission denied)")


def check_output_folder(out: Path, database: str | os.PathLike[str] | None) -> None:
    """Raise OutputError unless `out` is a folder (or may become one) to write files into, and not the database."""
    if database is not None and _is_database(out, Path(database)):
        raise OutputError(f"{out}: is the database itself; give a folder for the exported files")
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: is a file, not a folder; this format writes one file per document into a folder")
    parent = next((p for p in (out, *out.parents) if p.exists()), Path("."))
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{out}: cannot create or write files in {parent}")


def write_atomically(out: Path, content: bytes) -> None:
    """`content` as the file `out`, whole or not at all (see atomic_text_file)."""
    with atomic_text_file(out) as f:
        f.flush()
        f.buffer.write(content)


def _is_database(out: Path, database: Path) -> bool:
    for suffix in _DATABASE_SIDE_FILES:
        side = database.with_name(database.name + suffix)
        if out.absolute() == side.absolute():
            return True
        with contextlib.suppress(OSError):
            if out.exists() and side.exists() and os.path.samefile(out, side):
                return True
    return False


@contextlib.contextmanager
def atomic_text_file(out: Path) -> Iterator[TextIO]:
    """A text file to write that becomes `out` only when the block ends without an error (temporary file in the
    same folder, then os.replace); on any error, or Ctrl-C, the temporary file is removed and `out` is as before."""
    folder = out.parent if str(out.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{out.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode_for(out))
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _mode_for(out: Path) -> int:
    """The mode a replaced file had, else what the umask gives a new file (mkstemp makes it private)."""
    try:
        return stat.S_IMODE(out.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def describe_os_error(e: OSError) -> str:
    """One line for an OSError while writing: a full disk is called that."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full (no space left on device)"
    return e.strerror or str(e)
