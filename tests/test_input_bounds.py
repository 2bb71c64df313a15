"""Only regular files of a bounded size are read; a folder walk names every entry it skips; Big5 is told apart
from GB18030.  One bad entry never stops the batch."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from pathlib import Path

import pytest

from gazette_text import PERSONNEL, PROMULGATION, gazette, write


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write(tmp_path, "good.txt", gazette(PERSONNEL))


def _sources(cli) -> list[str]:
    return [f["file"] for f in json.loads(cli("stats", "--json").stdout)["files"]]


def _unblock_later(fifo: Path) -> threading.Timer:
    """Should a regression open the FIFO for reading, a writer comes after a while, so the test fails, not hangs."""

    def open_and_close() -> None:
        with contextlib.suppress(OSError):  # ENXIO: nobody is reading it, as it should be
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    timer = threading.Timer(3, open_and_close)
    timer.start()
    return timer


def test_a_fifo_is_one_line_and_the_next_file_goes_in(cli, tmp_path: Path, good: Path) -> None:
    fifo = tmp_path / "x.txt"
    os.mkfifo(fifo)
    timer = _unblock_later(fifo)
    result = cli("ingest", fifo, good)
    timer.cancel()
    assert result.exit_code == 1
    assert any("x.txt" in line and "FIFO" in line for line in result.stderr.splitlines()), result.stderr
    assert _sources(cli) == ["good.txt"]


def test_a_device_is_refused_without_reading_it(cli, good: Path) -> None:
    result = cli("ingest", "/dev/zero", good)
    assert result.exit_code == 1
    assert "/dev/zero: is a character device" in result.stderr
    assert _sources(cli) == ["good.txt"]


def test_a_folder_walk_reports_every_entry_it_skips(cli, tmp_path: Path) -> None:
    folder = tmp_path / "gazettes"
    (folder / "sub").mkdir(parents=True)
    write(folder, "a.txt", gazette(PERSONNEL))
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "sub" / "up").symlink_to(folder)  # a folder link back up: walked once, not forever
    result = cli("ingest", folder)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    for name, reason in (("dangling.txt", "dangling"), ("loop.txt", "loops"), ("pipe.txt", "FIFO"), ("up", "loop")):
        assert any(name in line and reason in line for line in lines), (name, result.stderr)
    assert _sources(cli) == ["a.txt"]


def test_a_file_over_the_size_limit_is_refused_and_the_flag_raises_it(cli, tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", gazette(PROMULGATION + PERSONNEL))
    assert good.stat().st_size > 1000
    result = cli("ingest", good, "--max-size", "0.001")
    assert result.exit_code == 1
    assert "limit" in result.stderr and "--max-size" in result.stderr
    assert cli("ingest", good, "--max-size", "1").exit_code == 0
    assert _sources(cli) == ["good.txt"]


def test_big5_is_not_read_as_gb18030(cli, tmp_path: Path) -> None:
    traditional = PROMULGATION.replace("条例", "條例").replace("发展", "發展").replace("经济", "經濟")
    big5 = tmp_path / "big5.txt"
    big5.write_bytes(gazette(traditional).encode("big5", errors="replace"))
    result = cli("ingest", big5)
    assert result.exit_code == 1
    assert "looks like Big5" in result.stderr


def test_gb18030_is_still_read(cli, tmp_path: Path) -> None:
    gb = tmp_path / "gb.txt"
    gb.write_bytes(gazette(PROMULGATION).encode("gb18030"))
    assert cli("ingest", gb).exit_code == 0
    assert json.loads(cli("stats", "--json").stdout)["files"][0]["encoding"] == "gb18030"
