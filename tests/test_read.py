"""read: bytes on disk → SourceText, or a one-line ReadError naming the file and the reason."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from gongbao.parse.read import ReadError, read_source

TEXT = "山西省人民政府公报\n\n第一条　为了规范管理，制定本办法。\n\n２０２２年１２月８日　《条例》第６条\n"
LINES = ("山西省人民政府公报", "", "第一条　为了规范管理，制定本办法。", "", "２０２２年１２月８日　《条例》第６条")

ENCODINGS = [
    pytest.param("utf-8", b"", id="utf-8"),
    pytest.param("utf-8", b"\xef\xbb\xbf", id="utf-8-bom"),
    pytest.param("gb18030", b"", id="gb18030"),
    pytest.param("gbk", b"", id="gbk"),
    pytest.param("utf-16-le", b"\xff\xfe", id="utf-16-le-bom"),
    pytest.param("utf-16-be", b"\xfe\xff", id="utf-16-be-bom"),
]


@pytest.mark.parametrize(("encoding", "bom"), ENCODINGS)
def test_encodings_decode_to_the_same_text(tmp_path: Path, encoding: str, bom: bytes) -> None:
    data = bom + TEXT.encode(encoding)
    path = tmp_path / "issue.txt"
    path.write_bytes(data)
    src = read_source(path)
    assert src.lines == LINES
    assert src.file == "issue.txt"
    assert src.sha256 == hashlib.sha256(data).hexdigest()


def test_gbk_bytes_are_not_mistaken_for_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("关于印发山西省节能减排实施方案的通知\n".encode("gbk"))
    assert read_source(path).lines == ("关于印发山西省节能减排实施方案的通知",)


UNDECODABLE = bytes(range(0x80, 0x100)) * 20  # no BOM; invalid as UTF-8 and as GB18030 (checked below)


def test_undecodable_sample_really_is_undecodable() -> None:
    for encoding in ("utf-8", "gb18030", "gbk"):
        with pytest.raises(UnicodeDecodeError):
            UNDECODABLE.decode(encoding)
    assert not UNDECODABLE.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))


BAD_FILES = [
    pytest.param(b"PK\x03\x04\x00\x00\x08\x00" + bytes(range(256)) * 4, r"binary|NUL", id="binary-nul"),
    pytest.param(b"%PDF-1.7\n\x00\x00\x00\x01\x02stream\n", r"damaged", id="pdf-bytes"),
    pytest.param(UNDECODABLE, r"decode|encoding|UTF|GB", id="undecodable"),
    pytest.param(b"", r"empty", id="empty"),
    pytest.param(b"  \n\t\n\r\n   ", r"empty|whitespace|blank", id="whitespace"),
    pytest.param("\u3000\u3000\n\n\u3000\n".encode(), r"empty|whitespace|blank", id="ideographic-spaces"),
]


def _assert_one_line_error(err: ReadError, path: Path, reason: str) -> None:
    msg = str(err)
    assert "\n" not in msg
    assert str(path) in msg
    rest = msg.replace(str(path), "")
    assert re.search(reason, rest, re.IGNORECASE), msg


@pytest.mark.parametrize(("data", "reason"), BAD_FILES)
def test_bad_file_raises_one_line_read_error(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(ReadError) as exc:
        read_source(path)
    _assert_one_line_error(exc.value, path, reason)


def test_directory_raises_read_error(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(ReadError) as exc:
        read_source(folder)
    _assert_one_line_error(exc.value, folder, r"directory")


def test_missing_file_raises_read_error(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "missing.txt"
    with pytest.raises(ReadError) as exc:
        read_source(path)
    _assert_one_line_error(exc.value, path, r"no such|not found|does not exist|missing|cannot read")


LINE_COUNTS = [
    pytest.param(b"a\nb\n", 2, id="trailing-newline"),
    pytest.param(b"a\nb", 2, id="no-trailing-newline"),
    pytest.param(b"a\r\nb\r\n", 2, id="crlf"),
    pytest.param(b"a\r\nb", 2, id="crlf-no-trailing"),
    pytest.param("第一条\n\n\n第二条\n".encode(), 4, id="blank-lines"),
    pytest.param("第一条\n\n".encode(), 2, id="trailing-blank-line"),
    pytest.param("\n第一条\n".encode(), 2, id="leading-blank-line"),
    pytest.param(b"12>", 1, id="single-line-no-newline"),
    pytest.param(
        "第一条　正文\n内容\r还在同一行\n".encode(),
        2,
        id="stray-cr-inside-a-line",
    ),
]


@pytest.mark.parametrize(("data", "expected"), LINE_COUNTS)
def test_line_count_matches_sed(tmp_path: Path, data: bytes, expected: int) -> None:
    path = tmp_path / "lines.txt"
    path.write_bytes(data)
    if shutil.which("sed"):
        sed = subprocess.run(["sed", "-n", "$=", str(path)], capture_output=True, text=True, check=True)
        assert int(sed.stdout.strip()) == expected  # the hand count agrees with sed
    lines = read_source(path).lines
    assert len(lines) == expected
    assert not any(line.endswith("\r") for line in lines)
