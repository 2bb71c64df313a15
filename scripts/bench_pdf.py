"""PDF reading speed on the real gazettes of ../shared/corpus/real: text-layer extraction (pages/s, MB/s), the
ingest of the PDF (read, parse, store) against the ingest of its extracted text as a .txt (the issue's bound: at
most 3x), and OCR seconds per page of the scan when the OCR extra is installed.

Each figure is the median of --runs runs in this process (PDFium loaded once, as in a batch ingest); run it on a
quiet machine or compare two revisions with farm-bench.  `make bench` calls it after scripts/bench.py.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from gongbao.ingest import ingest_paths
from gongbao.parse import ocr, pdf
from gongbao.parse.read import read_source
from gongbao.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GONGBAO_SHARED", ROOT.parent / "shared"))
REAL = SHARED / "corpus" / "real"
OCR_PAGES = 2  # pages of a scan OCR'd for the per-page figure (a page takes seconds)


def _median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


@contextlib.contextmanager
def _ocr_off():
    """Text layers are timed as text layers: a scan met on the way is reported, not OCR'd."""
    before = os.environ.get("GONGBAO_OCR")
    os.environ["GONGBAO_OCR"] = "0"
    try:
        yield
    finally:
        if before is None:
            del os.environ["GONGBAO_OCR"]
        else:
            os.environ["GONGBAO_OCR"] = before


def _text_copy(path: Path, folder: Path) -> Path:
    """The PDF's extracted lines as a .txt: what ingesting the same issue as text costs."""
    out = folder / (path.stem + ".txt")
    out.write_text("\n".join(read_source(path).lines) + "\n", encoding="utf-8")
    return out


def _ingest_seconds(path: Path, folder: Path, runs: int) -> float:
    """Median time to ingest one file into a new database (the same work `gongbao ingest FILE` does)."""

    def once() -> None:
        db = folder / "bench.db"
        for side in folder.glob("bench.db*"):
            side.unlink()
        with Store(db) as store:
            ingest_paths(store, [path])

    return _median_seconds(once, runs)


def bench_text_layers(files: list[Path], runs: int) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            data = path.read_bytes()
            pages = pdf.read_pages(data)
            if all(p.problem for p in pages):
                continue  # a scan: see bench_ocr
            extract = _median_seconds(lambda d=data: pdf.read_pages(d), runs)
            ingest_pdf = _ingest_seconds(path, Path(tmp), runs)
            ingest_txt = _ingest_seconds(_text_copy(path, Path(tmp)), Path(tmp), runs)
            mb = len(data) / 1e6
            rows.append(
                {
                    "file": path.name,
                    "pages": len(pages),
                    "MB": mb,
                    "extract_s": extract,
                    "pages_per_s": len(pages) / extract,
                    "MB_per_s": mb / extract,
                    "ingest_s": ingest_pdf,
                    "pdf_vs_text": ingest_pdf / ingest_txt,
                }
            )
    return rows


def bench_ocr(files: list[Path]) -> list[dict]:
    """Seconds per scanned page through the OCR extra (the first pages of each scan; the engine loaded first)."""
    if not ocr.available():
        return []
    import pypdfium2 as pdfium

    rows = []
    for path in files:
        doc = pdfium.PdfDocument(path.read_bytes())
        try:
            n = min(OCR_PAGES, len(doc))
            ocr.recognise(doc[0])  # load the models once, outside the timing
            t0 = time.perf_counter()
            for i in range(n):
                ocr.recognise(doc[i])
            rows.append({"file": path.name, "pages": n, "s_per_page": (time.perf_counter() - t0) / n})
        finally:
            doc.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("folder", nargs="?", type=Path, default=REAL)
    args = ap.parse_args(argv)
    files = sorted(args.folder.rglob("*.pdf"))
    if not files:
        print(f"bench_pdf: no PDF under {args.folder}; skipped")
        return 0
    print(f"PDF text layers ({pdf.EXTRACTOR}), median of {args.runs} runs")
    print(
        f"{'file':<32} {'pages':>5} {'MB':>5} {'extract s':>9} {'pages/s':>8} {'MB/s':>6} {'ingest s':>8} "
        f"{'PDF/text ingest':>15}"
    )
    with _ocr_off():
        rows = bench_text_layers(files, args.runs)
        scans = [f for f in files if all(p.problem for p in pdf.read_pages(f.read_bytes()))]
    for r in rows:
        print(
            f"{r['file'][:32]:<32} {r['pages']:>5} {r['MB']:>5.2f} {r['extract_s']:>9.3f} "
            f"{r['pages_per_s']:>8.0f} {r['MB_per_s']:>6.1f} {r['ingest_s']:>8.2f} {r['pdf_vs_text']:>14.2f}x"
        )
    if rows:
        pages = sum(r["pages"] for r in rows)
        seconds = sum(r["extract_s"] for r in rows)
        print(
            f"{'all text-layer PDFs':<32} {pages:>5} {sum(r['MB'] for r in rows):>5.2f} {seconds:>9.3f} "
            f"{pages / seconds:>8.0f} {sum(r['MB'] for r in rows) / seconds:>6.1f}"
        )
    ocr_rows = bench_ocr(scans)
    if not ocr_rows and scans:
        print("OCR: the extra is not installed (pip install 'gongbao[ocr]'); seconds per page not measured")
    for r in ocr_rows:
        print(f"OCR ({ocr.engine_name()}): {r['file']}: {r['s_per_page']:.2f} s per page ({r['pages']} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
