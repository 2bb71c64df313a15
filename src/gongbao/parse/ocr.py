"""Optional OCR of PDF pages without a usable text layer (scans), with RapidOCR.

Installed by `pip install 'gongbao[ocr]'`: rapidocr-onnxruntime carries its Chinese detection and recognition
models (PP-OCRv4) inside the wheel and runs them with onnxruntime on the CPU; nothing is downloaded at run time.
Without it (or with GONGBAO_OCR=0), `available()` is False and such pages are reported as needing OCR.

Reads: one PDF page, rendered to pixels by PDFium.
Writes: the recognised text lines as fragments in PDF points, so that the page is then read like a text page
(columns, indents, furniture), and the mean confidence of the page.
"""

from __future__ import annotations

import importlib.util
import os
import re
import statistics
from functools import lru_cache
from importlib.metadata import version
from typing import Any

_PACKAGE = "rapidocr_onnxruntime"
_SCALE = 1.5  # pixels per PDF point: a 10.5 pt character becomes ~16 px.  Measured on the pages of a real scanned
# gazette (国务院公报 1989): at 2.0 the detector skips whole lines (21-25 lines a page), at 1.5 it finds them (24-28)


def available() -> bool:
    """The extra is installed and not switched off (GONGBAO_OCR=0: scans are then reported, not read)."""
    return os.environ.get("GONGBAO_OCR", "1") != "0" and importlib.util.find_spec(_PACKAGE) is not None


def engine_name() -> str:
    return f"rapidocr-onnxruntime {version('rapidocr-onnxruntime')}" if available() else ""


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def recognise(page: Any) -> tuple[list[tuple[str, float, float, float, float]], float]:
    """(text, x0, x1, top, bottom) of each recognised line of a pypdfium2 page, in PDF points from the top-left
    of its crop box, and the page's mean confidence (0 when nothing was recognised)."""
    image = page.render(scale=_SCALE).to_numpy()
    result, _elapsed = _engine()(image)
    lines = []
    confidences = []
    for box, text, confidence in result or []:
        xs = [p[0] / _SCALE for p in box]
        ys = [p[1] / _SCALE for p in box]
        if text.strip():
            lines.append((_label_gap(text.strip()), min(xs), max(xs), min(ys), max(ys)))
            confidences.append(float(confidence))
    return lines, (statistics.fmean(confidences) if confidences else 0.0)


# The recogniser returns no spaces: the gap printed after a leading 第十九条 / 第三章 is lost, and with it what tells
# an article's label from its text.  A label at the start of a recognised line gets its gap back (a wrapped line
# that happens to start with 第十九条规定的… gets one too: rare, and the cost of the rule).
_LEADING_LABEL = re.compile(r"^(第[一二三四五六七八九十百千零〇两\d]{1,8}[条章节编])(?=[\u4e00-\u9fff])")


def _label_gap(text: str) -> str:
    return _LEADING_LABEL.sub(r"\1 ", text)
