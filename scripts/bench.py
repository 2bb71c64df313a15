"""make bench: ingest throughput (MB/s on one core) and peak memory, on the bundled samples and on a generated
corpus of ≥ 100 MB built from the dev law corpus (laws concatenated into multi-document gazette issues).

Each measurement runs in a fresh child process pinned to one CPU, so its peak RSS is the ingest's own.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GONGBAO_SHARED", ROOT.parent / "shared"))
LAWS = SHARED / "corpus" / "laws-dev" / "gazette"
BENCH_DIR = ROOT / "bench-data"
TARGET_MB = 100
LAWS_PER_ISSUE = 15

_CHILD = """
import json, os, sys, time
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {0})
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


def measure(label: str, files: list[Path]) -> dict:
    size = sum(p.stat().st_size for p in files)
    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, str(Path(tmp) / "bench.db"), *map(str, files)],
            capture_output=True,
            text=True,
            check=True,
        )
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    mb = size / 1_000_000
    row = {
        "corpus": label,
        "files": res["files"],
        "MB": round(mb, 1),
        "documents": res["documents"],
        "errors": res["errors"],
        "seconds": round(res["seconds"], 2),
        "MB_per_s": round(mb / res["seconds"], 2),
        "peak_rss_MB": round(max(peak_kb, before) / 1024, 1),
    }
    print(
        f"ingest {label:>22}: {row['MB']:7.1f} MB in {row['seconds']:7.2f} s = {row['MB_per_s']:5.2f} MB/s "
        f"on one core, {row['documents']} documents, peak memory {row['peak_rss_MB']} MB, "
        f"{row['errors']} file errors",
        flush=True,
    )
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=int, default=TARGET_MB, help="size of the generated corpus")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    from gongbao.ingest import sample_paths

    t0 = time.time()
    rows = [measure("bundled samples", sample_paths())]
    corpus = build_corpus(a.mb)
    rows.append(measure(f"generated {a.mb} MB corpus", corpus))
    if a.json:
        print(json.dumps(rows, ensure_ascii=False))
    print(f"(bench total {time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
