"""Escape sequences inside a gazette are data: the command line never sends them to the terminal as such."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from gazette_text import PROMULGATION, gazette, write

# a screen clear (CSI 2 J), an 8-bit CSI and a right-to-left override, inside an article and a title
HOSTILE = "\x1b[2J\x9b31m\u202e"
UNSAFE = ("\x1b", "\x9b", "\u202e")


@pytest.fixture
def hostile(cli, tmp_path: Path):
    text = PROMULGATION.replace("制定本条例", "制定本条例" + HOSTILE, 1)
    result = cli("ingest", write(tmp_path, "hostile.txt", gazette(text)))
    assert result.exit_code == 0, result.output
    return cli


@pytest.mark.parametrize(
    "args",
    [
        ("search", "制定本条例"),
        ("show", "民营经济发展促进条例"),
        ("list",),
        ("duties",),
        ("refs", "民营经济发展促进条例"),
    ],
)
def test_gazette_text_with_escape_sequences_is_printed_inert(hostile, args) -> None:
    result = hostile(*args)
    assert result.exit_code == 0, result.output
    assert not any(c in result.output for c in UNSAFE), repr(result.output)


def test_the_escapes_are_shown_not_dropped(hostile) -> None:
    result = hostile("search", "制定本条例")
    assert "\\x1b[2J" in result.output


@pytest.mark.parametrize("args", [("search", "制定本条例", "--json"), ("show", "民营经济发展促进条例", "--json")])
def test_json_output_is_inert_and_keeps_the_text(hostile, args) -> None:
    result = hostile(*args)
    assert result.exit_code == 0, result.output
    assert not any(c in result.stdout for c in UNSAFE)
    assert HOSTILE in _strings(json.loads(result.stdout))  # the value itself is unchanged


def _strings(data: object) -> str:
    if isinstance(data, dict):
        return "".join(map(_strings, data.values()))
    if isinstance(data, list):
        return "".join(map(_strings, data))
    return data if isinstance(data, str) else ""


def test_csv_output_is_inert() -> None:
    from gongbao.cli.terminal import csv_rows

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["task"])
    writer.writerows(csv_rows([{"task": "做" + HOSTILE}]))
    assert not any(c in out.getvalue() for c in UNSAFE)
