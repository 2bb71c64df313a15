"""What the command line prints is safe for a terminal: gazette text is data, and a control character or escape
sequence inside it (ESC [ 2 J, an OSC title, a C1 CSI, a right-to-left override) must not move the cursor, clear
the screen, retitle the window or reorder what the user reads.  Such characters are shown as visible escapes
(\\x1b, \\u202e) instead; newlines and tabs stay.

`SafeConsole` does this for everything Rich prints (tables, markup, progress), below the markup, so Rich's own
styling still works; `json_text` and `csv_rows` for the machine formats, whose values keep their meaning."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

# C0 controls but newline and tab, DEL, C1 controls, and the bidirectional overrides and isolates
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# in JSON, C0 controls are already escaped by json.dumps; the rest are not
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def neutralise(text: str) -> str:
    """`text` with every control character written as a visible escape: '\\x1b[2J' prints as the six characters."""
    return _UNSAFE.sub(_visible, text)


def json_text(data: Any, indent: int | None = None) -> str:
    """JSON of `data` with the characters a terminal would act on written as \\u escapes (same value once parsed)."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def csv_rows(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """CSV rows with control characters in their text shown as escapes (CSV has no escapes of its own)."""
    for row in rows:
        yield {k: neutralise(v) if isinstance(v, str) else v for k, v in row.items()}


class SafeConsole(Console):
    """A Rich console that neutralises control characters in the text it renders (not in its own styling, which
    Rich adds when it writes the segments out, nor in its control segments such as a progress bar's cursor moves)."""

    _nested = threading.local()  # Rich renders a table's cells through render() again: scan each segment once

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        if getattr(self._nested, "depth", 0):
            yield from super().render(renderable, options)
            return
        self._nested.depth = 1
        try:
            for segment in super().render(renderable, options):
                if segment.control or not _UNSAFE.search(segment.text):
                    yield segment
                else:
                    yield Segment(neutralise(segment.text), segment.style)
        finally:
            self._nested.depth = 0
