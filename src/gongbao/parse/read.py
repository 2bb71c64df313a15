"""bytes → SourceText: decode a gazette text file, or say clearly why it cannot be read.

Encodings are tried in a fixed order rather than guessed statistically (charset-normalizer and friends): the set
is closed (UTF-8 with or without BOM, UTF-16 with BOM, GB18030 which contains GBK), and strict decoding in that
order is deterministic and never mistakes valid UTF-8 for something else.
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from gongbao.model import SourceText
from gongbao.parse.files import DEFAULT_MAX_BYTES, NotReadable, regular_bytes, regular_chunks, regular_size

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}


class ReadError(Exception):
    """A file that cannot be ingested; str() is one line naming the file and the reason."""

    def __init__(self, path: str | os.PathLike[str], reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def decode(data: bytes, path: str | os.PathLike[str] = "<bytes>") -> tuple[str, str]:
    """Return (text, encoding) or raise ReadError."""
    if not data.strip():
        raise ReadError(path, "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding.replace("-sig", "")), encoding
            except UnicodeDecodeError as e:
                reason = f"not valid {encoding} although it starts with its byte-order mark ({e.reason})"
                raise ReadError(path, reason) from None
    if b"\x00" in data:
        raise ReadError(path, "binary file (contains NUL bytes), not a text gazette")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise ReadError(path, "binary file (mostly control characters), not a text gazette")
        if encoding == "gb18030" and looks_big5(data, text):
            raise ReadError(
                path,
                "looks like Big5 (traditional Chinese), which gongbao does not read; convert it to UTF-8 first "
                "(iconv -f BIG5 -t UTF-8)",
            )
        return text, encoding
    raise ReadError(path, "cannot decode: not UTF-8, UTF-16 (with BOM) or GB18030/GBK")


def looks_big5(data: bytes, gb_text: str) -> bool:
    """Whether bytes that decode as GB18030 are really Big5.  The two share their byte ranges, so Big5 text read as
    GB18030 is valid but wrong: its characters fall outside the 6763 common hanzi of GB2312 (lead byte 0xB0–0xF7,
    trail 0xA1–0xFE), where well over 90% of the characters of a real GB text lie, and less than half of a Big5
    text's do.  Only a text that is also valid Big5 (cp950) is called Big5."""
    if not _big5_sample(gb_text):
        return False
    try:
        data.decode("cp950")
    except UnicodeDecodeError:
        return False
    return True


def _big5_sample(gb_text: str) -> bool:
    pairs = [ch.encode("gb18030") for ch in gb_text[:100_000] if ord(ch) > 0x7F]  # a sample says it
    double = [b for b in pairs if len(b) == 2]
    if len(double) < 20:  # too little to tell
        return False
    common = sum(0xB0 <= b[0] <= 0xF7 and 0xA1 <= b[1] <= 0xFE for b in double)
    return common / len(double) < 0.6


# the control characters (Unicode category Cc) a text file does not contain
_CONTROLS = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in [*range(32), *range(127, 160)] if chr(c) not in _ALLOWED_CONTROLS) + "]"
)


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    return len(_CONTROLS.findall(sample)) > max(2, len(sample) // 100)  # control characters (category Cc)


def split_lines(text: str) -> tuple[str, ...]:
    """Lines as `sed -n` counts them: a final newline does not start another line."""
    text = text.replace("\r\n", "\n")  # a lone CR is not a line break for sed either
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return tuple(lines)


def read_bytes(p: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `max_bytes` (a FIFO, a device or a folder is refused before it is
    opened, so a read never blocks or runs without end: see parse/files.py)."""
    try:
        return regular_bytes(p, max_bytes)
    except NotReadable as e:
        raise ReadError(p, str(e)) from None


def read_source(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """A gazette file of any supported format as lines: text files decoded, PDFs extracted page by page.  A text
    file of more than STREAM_BYTES is not held: its lines are FileLines, read from the file when they are used."""
    p = Path(path)
    if p.suffix.lower() not in _EXTRACTED and (regular_size(p) or 0) > STREAM_BYTES:
        return _read_large(p, max_bytes)
    data = read_bytes(p, max_bytes)
    suffix = p.suffix.lower()
    if suffix == ".pdf" or data.startswith(b"%PDF-"):
        return _read_pdf(p, data)
    if suffix == ".docx":
        return _read_docx(p, data)
    if suffix in (".html", ".htm"):
        return _read_html(p, data)
    text, encoding = decode(data, p)
    lines = split_lines(text)
    if not any(line.strip() for line in lines):
        raise ReadError(p, "empty file (only whitespace)")
    return SourceText(
        file=p.name,
        path=str(p.resolve()),
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        lines=lines,
    )


def _read_pdf(p: Path, data: bytes) -> SourceText:
    from gongbao.parse import pdf  # (imported on first use: PDFium loads only for PDF input)

    try:
        pages = pdf.read_pages(data)
    except pdf.PdfError as e:
        raise ReadError(p, str(e)) from None
    if not pages:
        raise ReadError(p, "PDF without pages")
    return pdf.source_from_pages(pages, p.name, str(p.resolve()), hashlib.sha256(data).hexdigest())


def _read_docx(p: Path, data: bytes) -> SourceText:
    from importlib.metadata import version

    from gongbao.parse.docx import DocxError, docx_lines

    try:
        lines = docx_lines(data)
    except DocxError as e:
        raise ReadError(p, str(e)) from None
    return _extracted(p, data, lines, f"docx (python-docx {version('python-docx')})")


def _read_html(p: Path, data: bytes) -> SourceText:
    from gongbao.parse.html import HtmlError, html_lines

    try:
        lines = html_lines(data)
    except HtmlError as e:
        raise ReadError(p, str(e)) from None
    return _extracted(p, data, lines, "html (lxml main text)")


def _extracted(p: Path, data: bytes, lines: list[str], extractor: str) -> SourceText:
    """A source whose lines a reader extracted from a structured format: its identity is the file's bytes and the
    reader that made the lines."""
    if not any(line.strip() for line in lines):
        raise ReadError(p, "no text in the file")
    return SourceText(
        file=p.name,
        path=str(p.resolve()),
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=extractor,
        lines=tuple(line.replace("\r", " ").replace("\n", " ") for line in lines),
    )


# ------------------------------------------------------------------------------------------- large text files

STREAM_BYTES = 16_000_000  # a text file larger than this is read from disk when its lines are used, not held
CHUNK_BYTES = 1 << 20  # read at a time from a large file
_EXTRACTED = (".pdf", ".docx", ".html", ".htm")  # formats whose lines an extractor makes from the whole file
_CODECS = {"utf-8-sig": "utf-8-sig", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}  # (these drop the mark)


class FileLines:
    """The lines of a large text file as split_lines cuts them, decoded from the file each time they are iterated
    (a few MB at a time); len() is their number."""

    def __init__(self, path: Path, encoding: str, count: int, max_bytes: int):
        self.path, self.encoding, self.count, self.max_bytes = path, encoding, count, max_bytes

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[str]:
        return _lines(_decoded(self.path, self.encoding, self.max_bytes))

    def __getitem__(self, index: slice) -> tuple[str, ...]:  # (a prefix, as is_traditional asks for)
        if not isinstance(index, slice) or index.start or index.step or index.stop is None:
            raise TypeError("FileLines gives only a prefix, lines[:n]")
        return tuple(itertools.islice(self, index.stop))


def _chunks(p: Path, max_bytes: int) -> Iterator[bytes]:
    try:
        yield from regular_chunks(p, max_bytes, CHUNK_BYTES)
    except NotReadable as e:
        raise ReadError(p, str(e)) from None


def _decoded(p: Path, encoding: str, max_bytes: int) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(_CODECS.get(encoding, encoding))(errors="strict")
    for chunk in _chunks(p, max_bytes):
        yield decoder.decode(chunk)
    yield decoder.decode(b"", final=True)


def _lines(texts: Iterable[str]) -> Iterator[str]:
    """Lines of a text given in pieces, the same as split_lines of the whole (a \r\n cut in two included)."""
    pending = ""
    for text in texts:
        parts = (pending + text).split("\n")
        pending = parts.pop()
        for line in parts:
            yield line[:-1] if line.endswith("\r") else line
    if pending:
        yield pending


def _read_large(p: Path, max_bytes: int) -> SourceText:
    """A large text file known by passes over its bytes (identity, encoding, line count), its lines FileLines.
    The encoding is chosen as decode() chooses it, and the same errors are raised."""
    sha, head = hashlib.sha256(), b""
    for chunk in _chunks(p, max_bytes):
        sha.update(chunk)
        head = head or chunk
        if b"\x00" in chunk and not head.startswith(tuple(bom for bom, _enc in _BOMS)):
            raise ReadError(p, "binary file (contains NUL bytes), not a text gazette")
    encoding = next((enc for bom, enc in _BOMS if head.startswith(bom)), None)
    for candidate in [encoding] if encoding else ["utf-8", "gb18030"]:
        try:
            count, sample = _count_lines(p, candidate, max_bytes)
        except UnicodeDecodeError as e:
            if encoding:
                raise ReadError(
                    p, f"not valid {encoding} although it starts with its byte-order mark ({e.reason})"
                ) from None
            continue
        if _looks_binary(sample):
            raise ReadError(p, "binary file (mostly control characters), not a text gazette")
        if candidate == "gb18030" and _big5_sample(sample) and _decodes(p, "cp950", max_bytes):
            raise ReadError(p, "looks like Big5 (traditional Chinese), which gongbao does not read; convert it to "
                            "UTF-8 first (iconv -f BIG5 -t UTF-8)")  # fmt: skip
        if count is None:
            raise ReadError(p, "empty file (only whitespace)")
        lines = FileLines(p, candidate, count, max_bytes)
        return SourceText(file=p.name, path=str(p.resolve()), sha256=sha.hexdigest(), encoding=candidate, lines=lines)
    raise ReadError(p, "cannot decode: not UTF-8, UTF-16 (with BOM) or GB18030/GBK")


def _count_lines(p: Path, encoding: str, max_bytes: int) -> tuple[int | None, str]:
    """The number of lines (None when all are blank) and the first 100,000 characters; UnicodeDecodeError if the
    file is not valid in `encoding`."""
    count, text, sample = 0, False, ""
    for line in _lines(_decoded(p, encoding, max_bytes)):
        count += 1
        text = text or bool(line.strip())
        if len(sample) < 100_000:
            sample += line[: 100_000 - len(sample)] + "\n"
    return (count if text else None), sample


def _decodes(p: Path, encoding: str, max_bytes: int) -> bool:
    try:
        for _text in _decoded(p, encoding, max_bytes):
            pass
    except UnicodeDecodeError:
        return False
    return True
