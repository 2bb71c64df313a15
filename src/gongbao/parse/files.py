"""What gongbao opens: regular files only, of a bounded size, and folders walked with every skipped entry named.

A FIFO named x.txt would block the read forever and /dev/zero would never end, so the kind of a path is asked with
stat() before it is opened; it is then opened non-blocking (in case it was swapped for a pipe in between), asked
again with fstat(), and read only up to the size limit plus one byte.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

DEFAULT_MAX_BYTES = 100_000_000  # per file (a text file over 16 MB is read in pieces: README, Known limits)


class NotReadable(Exception):
    """A path that is not read; str() is the reason, without the path."""


def kind_of(mode: int) -> str:
    """'a folder', 'a FIFO (named pipe)', … for a stat mode that is not a regular file."""
    for test, name in (
        (stat.S_ISDIR, "a directory (folder)"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def why_not(p: Path, e: OSError) -> str:
    """The reason an OSError on `p` gives, in words (a dangling or looping symbolic link named as such)."""
    if e.errno == errno.ELOOP:
        return "a symbolic link that loops (it points back to itself)"
    if e.errno == errno.ENOENT and p.is_symlink():
        return f"a dangling symbolic link (to {os.readlink(p)}, which does not exist)"
    if e.errno == errno.ENOENT:
        return "no such file"
    return f"cannot read: {e.strerror or e}"


def regular_bytes(p: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of the regular file `p`, or NotReadable: not a regular file, larger than `max_bytes`, or an error
    of the system (each said in words)."""
    with _open_regular(p, max_bytes) as f:
        try:
            # read what fstat says (a buffer of max_bytes for every small file costs 0.25 ms of page faults), then
            # on up to the limit if the file grew meanwhile
            want = min(os.fstat(f.fileno()).st_size, max_bytes) + 1
            data = f.read(want)
            if len(data) == want and want <= max_bytes:
                data += f.read(max_bytes + 1 - want)
        except OSError as e:
            raise NotReadable(why_not(p, e)) from None
    _check_size(len(data), max_bytes)  # a file that grew meanwhile
    return data


def regular_size(p: Path) -> int | None:
    """The size of `p` if it is a regular file (else None: the read says why)."""
    try:
        st = os.stat(p)
    except OSError:
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


def regular_chunks(p: Path, max_bytes: int = DEFAULT_MAX_BYTES, size: int = 1 << 20) -> Iterator[bytes]:
    """The bytes of the regular file `p` in chunks of `size`, with the checks of regular_bytes, for a file read
    without holding it whole."""
    with _open_regular(p, max_bytes) as f:
        total = 0
        while True:
            try:
                chunk = f.read(size)
            except OSError as e:
                raise NotReadable(why_not(p, e)) from None
            if not chunk:
                return
            total += len(chunk)
            _check_size(total, max_bytes)  # a file that grew meanwhile
            yield chunk


def _open_regular(p: Path, max_bytes: int) -> BinaryIO:
    try:
        st = os.stat(p)
    except OSError as e:
        raise NotReadable(why_not(p, e)) from None
    if not stat.S_ISREG(st.st_mode):
        raise NotReadable(f"is {kind_of(st.st_mode)}, not a regular file: not read")
    _check_size(st.st_size, max_bytes)
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise NotReadable(why_not(p, e)) from None
    f = os.fdopen(fd, "rb")
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):  # swapped after the stat above
        f.close()
        raise NotReadable(f"is {kind_of(mode)}, not a regular file: not read")
    return f


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise NotReadable(
            f"{size / 1e6:.1f} MB, over the limit of {max_bytes / 1e6:g} MB per file (raise it with --max-size MB)"
        )


@dataclass
class Walk:
    files: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one line each: "path: why it was not taken"


def walk(paths: Iterable[str | os.PathLike[str]], suffixes: set[str]) -> Walk:
    """Files as given (checked when read); folders walked recursively, in name order, for names with one of
    `suffixes` (hidden names left out).  Every entry with such a name that is not taken is reported with the reason:
    a dangling or looping symbolic link, a FIFO, a device, a folder that cannot be listed; a symbolic link to a
    folder is followed unless it leads back into a folder already walked."""
    out = Walk()
    for p in map(Path, paths):
        if p.is_dir():
            _walk_folder(p, suffixes, out, set())
        else:
            out.files.append(p)
    return out


def _walk_folder(folder: Path, suffixes: set[str], out: Walk, seen: set[tuple[int, int]]) -> None:
    try:
        st = folder.stat()
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        out.skipped.append(f"{folder}: folder not walked: {why_not(folder, e)}")
        return
    if (st.st_dev, st.st_ino) in seen:
        out.skipped.append(f"{folder}: folder not walked again: a symbolic link loops back to a folder above it")
        return
    seen = seen | {(st.st_dev, st.st_ino)}
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()  # follows a symbolic link
        except OSError:
            is_dir = False
        if is_dir:
            _walk_folder(path, suffixes, out, seen)
            continue
        if path.suffix.lower() not in suffixes:
            continue
        try:
            mode = path.stat().st_mode
        except OSError as e:
            out.skipped.append(f"{path}: skipped: {why_not(path, e)}")
            continue
        if stat.S_ISREG(mode):
            out.files.append(path)
        else:
            out.skipped.append(f"{path}: skipped: {kind_of(mode)}, not a regular file")
