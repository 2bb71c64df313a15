"""Traditional script: texts printed in Traditional Chinese (Hong Kong, Macao, older prints) are parsed, indexed and
found as Simplified text, and shown as printed.

- `is_traditional(lines)`: a source whose Chinese has many characters that OpenCC's t2s conversion changes.
- `parse_as_printed(source, parse)`: the parse runs on the Simplified conversion of the lines (the rules of the
  pipeline are written in Simplified: 第一条, 编, 节 …); the titles and provision texts it finds are then put back
  into the printed characters by aligning them with the lines they came from.  t2s maps one character to one
  character on the texts measured (基本法, 香港政府憲報: every line kept its length), which makes the alignment
  exact; where a line's length changed, its characters are left in Simplified.
- `search_form(text)`: what the search index and the query analysis compare: Simplified.  Applied to both sides,
  a Simplified query finds a Traditional text and the reverse.

OpenCC (the `opencc` package, its dictionaries inside the wheel) does the conversion; nothing is downloaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from gongbao.model import SourceText

if TYPE_CHECKING:
    from gongbao.pipeline import ParsedIssue

_SAMPLE_CHARS = 20_000
_TRADITIONAL_SHARE = 0.03  # of the Chinese characters; Simplified gazettes measure below 0.002 (a stray 於 or 乾)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WINDOW = 40  # how far ahead in its lines a character of a parsed text is looked for


@lru_cache(maxsize=1)
def _converter():  # type: ignore[no-untyped-def]
    import opencc  # (imported on first use: only Traditional text needs it)

    return opencc.OpenCC("t2s")


TRADITIONAL_CHARS_FILE = "traditional_chars.txt"  # in gongbao/data: written by write_traditional_chars()


@lru_cache(maxsize=1)
def _traditional_chars() -> re.Pattern[str]:
    """The CJK characters that t2s changes when they stand alone: a fast test for text that needs conversion.
    Read from the data file computed from OpenCC (asking OpenCC about every ideograph costs each process 0.1 s)."""
    text = (resources.files("gongbao") / "data" / TRADITIONAL_CHARS_FILE).read_text(encoding="utf-8")
    return re.compile("[" + text.split("\n", 1)[1].strip() + "]")


def traditional_chars_from_opencc() -> str:
    """What the data file holds: every character of the CJK block that the installed OpenCC's t2s changes."""
    convert = _converter().convert
    return "".join(chr(c) for c in range(0x4E00, 0xA000) if convert(chr(c)) != chr(c))


def write_traditional_chars(folder: Path) -> None:
    """Rewrite the data file (after an OpenCC upgrade; a test says when it is stale)."""
    header = "# CJK characters that OpenCC's t2s changes when they stand alone (gongbao.parse.script)\n"
    (folder / TRADITIONAL_CHARS_FILE).write_text(header + traditional_chars_from_opencc() + "\n", encoding="utf-8")


def to_simplified(text: str) -> str:
    return _converter().convert(text)


def search_form(text: str) -> str:
    """Simplified text for the search index and for queries (text without Traditional characters unchanged)."""
    return to_simplified(text) if text and _traditional_chars().search(text) else text


def is_traditional(lines: Sequence[str]) -> bool:
    sample = "".join(lines[:2000])[:_SAMPLE_CHARS]
    # the share is taken of the characters outside ASCII (Chinese and its punctuation): counted by one encode,
    # not a regex pass; punctuation moves the share by a tenth, far inside the gap between the two scripts
    wide = len(sample) - len(sample.encode("ascii", "ignore"))
    if wide < 20:
        return False
    return len(_traditional_chars().findall(sample)) >= _TRADITIONAL_SHARE * wide


def parse_as_printed(source: SourceText, parse: Callable[[SourceText], ParsedIssue]) -> ParsedIssue:
    """Parse a Traditional source through its Simplified conversion; titles and provisions as printed."""
    simplified = tuple(to_simplified(line) for line in source.lines)
    issue = parse(replace(source, lines=simplified))
    printed = _Printed(source.lines, simplified)
    for doc in issue.documents:
        first, last = doc.source.start_line, doc.source.end_line
        doc.title = printed.restore(doc.title, first, min(last, first + 12))
        if doc.inner_title:
            doc.inner_title = printed.restore(doc.inner_title, first, min(last, first + 40))
        for p in doc.provisions:
            p.text = printed.restore(p.text, p.start_line, p.end_line)
            if p.heading:
                p.heading = printed.restore(p.heading, p.start_line, p.end_line)
            p.label = printed.restore(p.label, p.start_line, p.start_line)
    issue.source = source
    return issue


class _Printed:
    """The printed and the converted lines, side by side."""

    def __init__(self, printed: Sequence[str], simplified: Sequence[str]):
        self.printed, self.simplified = printed, simplified

    def restore(self, text: str, first: int, last: int) -> str:
        """`text` (made from lines first..last of the converted source) with each converted character put back as
        printed: found in order in those lines, it takes the printed character at the same place."""
        conv, orig = self._span(first, last)
        if not conv:
            return text
        out = []
        k = 0
        for ch in text:
            if not _CJK.match(ch):
                out.append(ch)
                continue
            j = conv.find(ch, k, k + _WINDOW)
            if j == -1:
                out.append(ch)
                continue
            out.append(orig[j])
            k = j + 1
        return "".join(out)

    def _span(self, first: int, last: int) -> tuple[str, str]:
        conv, orig = [], []
        for n in range(max(first, 1), min(last, len(self.printed)) + 1):
            a, b = self.simplified[n - 1], self.printed[n - 1]
            if len(a) == len(b):  # (a line whose length changed cannot be aligned: its characters stay converted)
                conv.append("".join(_CJK.findall(a)))
                orig.append("".join(c for c, s in zip(b, a, strict=True) if _CJK.match(s)))
        return "".join(conv), "".join(orig)
