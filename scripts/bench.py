"""make bench: ingest throughput (MB/s on one core) and peak memory, then search latency, on the bundled samples
and on a generated corpus of ≥ 100 MB built from the dev law corpus (laws concatenated into multi-document issues).

Each measurement runs in a fresh child process pinned to one CPU, so its time and peak RSS are its own.  The
databases stay in bench-data/ (not committed) for inspection.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GONGBAO_SHARED", ROOT.parent / "shared"))
LAWS = SHARED / "corpus" / "laws-dev" / "gazette"
BENCH_DIR = ROOT / "bench-data"
TARGET_MB = 100
LAWS_PER_ISSUE = 15

_PIN = "import os; os.sched_setaffinity(0, {0}) if hasattr(os, 'sched_setaffinity') else None\n"
_INGEST = (
    _PIN
    + """
import json, sys, time
from pathlib import Path
from gongbao.ingest import expand, ingest_paths
from gongbao.store import Store
files = expand([Path(p) for p in sys.argv[2:]])
t0 = time.perf_counter()
with Store(sys.argv[1]) as store:
    report = ingest_paths(store, files)
    docs = store.count("documents")
elapsed = time.perf_counter() - t0
print(json.dumps({"seconds": elapsed, "files": len(files), "errors": len(report.errors), "documents": docs}))
"""
)
_SEARCH = (
    _PIN
    + """
import json, sys
sys.path.insert(0, sys.argv[2])
import bench_search
print(json.dumps(bench_search.measure(sys.argv[1])))
"""
)


def build_corpus(target_mb: int = TARGET_MB) -> list[Path]:
    """Multi-document issues made of the dev laws, repeated with different groupings until ≥ target_mb."""
    laws = sorted(LAWS.glob("*.txt"))
    if not laws:
        sys.exit(f"bench: no dev law corpus at {LAWS}")
    BENCH_DIR.mkdir(exist_ok=True)
    existing = sorted(BENCH_DIR.glob("issue_*.txt"))
    if existing and sum(p.stat().st_size for p in existing) >= target_mb * 1_000_000:
        return existing
    for p in existing:
        p.unlink()
    texts = [p.read_text(encoding="utf-8") for p in laws]
    size, round_no, out = 0, 0, []
    while size < target_mb * 1_000_000:
        order = list(range(len(texts)))
        random.Random(round_no).shuffle(order)
        for k in range(0, len(order), LAWS_PER_ISSUE):
            path = BENCH_DIR / f"issue_{round_no:03d}_{k // LAWS_PER_ISSUE:03d}.txt"
            body = "\n\n".join(texts[i].rstrip("\n") for i in order[k : k + LAWS_PER_ISSUE]) + "\n"
            path.write_text(body, encoding="utf-8")
            size += path.stat().st_size
            out.append(path)
        round_no += 1
    return out


def _child(code: str, *args: str) -> tuple[dict, float]:
    """Run code in a fresh interpreter; its JSON result and the peak RSS (MB) of the children so far."""
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return json.loads(proc.stdout.strip().splitlines()[-1]), peak_mb


def ingest(label: str, files: list[Path], db: Path) -> dict:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    size = sum(p.stat().st_size for p in files) / 1_000_000
    res, peak = _child(_INGEST, str(db), *map(str, files))
    row = {
        "ingest": label,
        "files": res["files"],
        "MB": round(size, 1),
        "documents": res["documents"],
        "file_errors": res["errors"],
        "seconds": round(res["seconds"], 2),
        "MB_per_s": round(size / res["seconds"], 2),
        "peak_rss_MB": round(peak, 1),
    }
    print(
        f"ingest {label:>22}: {row['MB']:6.1f} MB in {row['seconds']:6.2f} s = {row['MB_per_s']:4.2f} MB/s on "
        f"one core (clean+split+parse+store+index), {row['documents']} documents, {row['file_errors']} file "
        f"errors, peak memory {row['peak_rss_MB']} MB",
        flush=True,
    )
    return row


def search(label: str, db: Path) -> dict:
    res, _ = _child(_SEARCH, str(db), str(Path(__file__).parent))
    print(
        f"search {label:>22}: {res['queries']} queries (short words, phrases, several words, questions): "
        f"median {res['median_ms']} ms, p99 {res['p99_ms']} ms; index {res['fts_index_MB']} MB = "
        f"{res['index_to_text']} x the {res['text_MB']} MB of indexed text",
        flush=True,
    )
    return {"search": label, **res}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=int, default=TARGET_MB, help="size of the generated corpus")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    from gongbao.ingest import sample_paths

    t0 = time.time()
    BENCH_DIR.mkdir(exist_ok=True)
    corpus_label = f"generated {a.mb} MB corpus"
    samples_db, corpus_db = BENCH_DIR / "samples.db", BENCH_DIR / "corpus.db"
    rows = [ingest("bundled samples", sample_paths(), samples_db)]
    rows.append(ingest(corpus_label, build_corpus(a.mb), corpus_db))
    rows.append(search("bundled samples", samples_db))
    rows.append(search(corpus_label, corpus_db))
    if a.json:
        print(json.dumps(rows, ensure_ascii=False))
    print(f"(bench total {time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
