"""make bench: ingest measured against the floor, then search latency.

The floor is what any ingest must pay: read the same files, decode them, NFKC-normalise the text and run one regex
over it (in one Python process).  Ingest is `gongbao ingest FILES --db NEW` as a user runs it (start-up, parse,
store, index, the report), with 1 and with 2 parsing jobs, in a fresh child process each; its ratio to the floor
is the figure to watch (issue 15: at most 4 with one job, 2.5 with two).  Corpora: the bundled samples, the dev law
corpus, the wide corpus and a generated corpus of >= 100 MB (the dev laws concatenated into multi-law issues).

    python scripts/bench.py                  # this checkout
    python scripts/bench.py --base REV       # and REV side by side (a temporary git worktree of REV)

Times are wall seconds of the child (and its parsing processes); cpu is their user + system time.  The databases
and the generated corpus stay in bench-data/ (not committed) for inspection.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GONGBAO_SHARED", ROOT.parent / "shared"))
LAWS = SHARED / "corpus" / "laws-dev" / "gazette"
WIDE = SHARED / "corpus" / "laws-wide" / "gazette"
SAMPLES = ROOT / "src" / "gongbao" / "samples"
BENCH_DIR = ROOT / "bench-data"
TARGET_MB = 100
LAWS_PER_ISSUE = 15

# The CLI of any revision: gongbao.cli.main (a package since the CLI grew), gongbao.cli before that.
_CLI = """
import sys
try:
    from gongbao.cli.main import main
except ImportError:
    from gongbao.cli import main
sys.argv[0] = "gongbao"
main()
"""
_FLOOR = """
import json, re, sys, time, unicodedata
from pathlib import Path
files = [Path(p) for p in sys.argv[1:]]
article = re.compile(r"^\\s*第[〇零一二三四五六七八九十百千两\\d]+条", re.M)
t0, c0 = time.perf_counter(), time.process_time()
found = 0
for f in files:
    text = unicodedata.normalize("NFKC", f.read_bytes().decode("utf-8", "replace"))
    found += sum(1 for _ in article.finditer(text))
print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0, "articles": found}))
"""
_SEARCH = """
import json, sys
sys.path.insert(0, sys.argv[2])
import bench_search
print(json.dumps(bench_search.measure(sys.argv[1])))
"""


@dataclass
class Corpus:
    label: str
    files: list[Path]

    @property
    def mb(self) -> float:
        return sum(p.stat().st_size for p in self.files) / 1e6


@dataclass
class Run:
    seconds: float
    cpu: float
    peak_mb: float
    ok: bool


def build_corpus(target_mb: int = TARGET_MB) -> list[Path]:
    """Multi-document issues made of the dev laws, repeated with different groupings until >= target_mb."""
    laws = sorted(LAWS.glob("*.txt"))
    if not laws:
        sys.exit(f"bench: no dev law corpus at {LAWS}")
    folder = BENCH_DIR / f"corpus-{target_mb}mb"
    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(folder.glob("issue_*.txt"))
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
            path = folder / f"issue_{round_no:03d}_{k // LAWS_PER_ISSUE:03d}.txt"
            body = "\n\n".join(texts[i].rstrip("\n") for i in order[k : k + LAWS_PER_ISSUE]) + "\n"
            path.write_text(body, encoding="utf-8")
            size += path.stat().st_size
            out.append(path)
        round_no += 1
    return out


def corpora(mb: int) -> list[Corpus]:
    out = [Corpus("bundled samples", sorted(SAMPLES.glob("*.txt")))]
    out += [Corpus(label, sorted(d.glob("*.txt"))) for label, d in (("dev laws", LAWS), ("wide laws", WIDE))]
    out.append(Corpus(f"generated {mb} MB", build_corpus(mb)))
    return [c for c in out if c.files]


def _timed(cmd: list[str], src: Path) -> Run:
    """Run a child with `src` first on its path; its wall time, and the cpu and peak memory of it and its children."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    proc.stderr.read()  # (the progress bar and warnings: read so that the child never blocks on a full pipe)
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode in (0, 1))


def floor(corpus: Corpus) -> tuple[float, float]:
    """Wall and cpu seconds of reading, decoding, normalising and scanning the corpus once."""
    proc = subprocess.run(
        [sys.executable, "-c", _FLOOR, *map(str, corpus.files)], capture_output=True, text=True, check=True
    )
    res = json.loads(proc.stdout)
    return res["seconds"], res["cpu"]


def ingest(src: Path, corpus: Corpus, jobs: int, db: Path) -> Run:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-c", _CLI, "ingest", *map(str, corpus.files), "--db", str(db)]
    return _timed(cmd + (["--jobs", str(jobs)] if jobs > 1 else []), src)


def has_jobs(src: Path) -> bool:
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.run([sys.executable, "-c", _CLI, "ingest", "--help"], env=env, capture_output=True, text=True)
    return "--jobs" in proc.stdout


def base_checkout(rev: str) -> Path:
    """A worktree of REV under bench-data (its src is put first on the children's path)."""
    sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", rev], capture_output=True, text=True)
    if sha.returncode:
        sys.exit(f"bench: {rev!r} is not a revision of this repository")
    where = BENCH_DIR / f"base-{sha.stdout.strip()}"
    if not where.exists():
        add = ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), rev]
        subprocess.run(add, check=True, capture_output=True)
    return where


def remove_checkout(where: Path) -> None:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(where)], capture_output=True)
    shutil.rmtree(where, ignore_errors=True)


def _cell(run: Run | None, floor_wall: float, floor_cpu: float) -> str:
    """Wall seconds, cpu seconds, wall / floor wall, cpu / floor cpu (the figure a loaded machine moves least)."""
    if run is None:
        return f"{'-':>7} {'-':>7} {'-':>5} {'-':>5}"
    if not run.ok:
        return f"{'failed':>7} {'':>7} {'':>5} {'':>5}"
    return f"{run.seconds:7.2f} {run.cpu:7.2f} {run.seconds / floor_wall:5.1f} {run.cpu / floor_cpu:5.1f}"


def bench_ingest(revisions: list[tuple[str, Path]], chosen: list[Corpus]) -> list[dict]:
    """Floor, then each revision's ingest with 1 and 2 jobs, per corpus; one table row per corpus and revision."""
    jobs_ok = {label: has_jobs(src) for label, src in revisions}
    run_head = f"{'wall s':>7} {'cpu s':>7} {'ratio':>5} {'cpu r':>5}"
    print(f"{'':<18} {'':>6} {'floor':>13} {'':>8} | {'ingest, 1 job':<26} | {'ingest, 2 jobs':<26} |", flush=True)
    head = f"{'corpus':<18} {'MB':>6} {'wall s':>6} {'cpu s':>6} {'rev':>8}"
    print(f"{head} | {run_head} | {run_head} | {'2j/1j':>5} {'peak MB':>7}")
    rows = []
    for corpus in chosen:
        floor_wall, floor_cpu = floor(corpus)
        for label, src in revisions:
            db = database(corpus.label, label)
            one = ingest(src, corpus, 1, db)
            two = ingest(src, corpus, 2, db) if jobs_ok[label] else None
            speedup = f"{one.seconds / two.seconds:5.2f}" if two and two.ok and one.ok else f"{'-':>5}"
            peak = max(one.peak_mb, two.peak_mb if two else 0)
            print(
                f"{corpus.label:<18} {corpus.mb:6.1f} {floor_wall:6.2f} {floor_cpu:6.2f} {label:>8} | "
                f"{_cell(one, floor_wall, floor_cpu)} | {_cell(two, floor_wall, floor_cpu)} | {speedup} {peak:7.0f}",
                flush=True,
            )
            row = {"corpus": corpus.label, "MB": round(corpus.mb, 1), "rev": label}
            row |= {"floor_s": round(floor_wall, 3), "floor_cpu": round(floor_cpu, 3)}
            for jobs, run in ((1, one), (2, two)):
                if run is not None:
                    row |= {f"jobs{jobs}_s": round(run.seconds, 2), f"jobs{jobs}_cpu": round(run.cpu, 2)}
            rows.append(row | {"peak_MB": round(peak)})
    return rows


def database(corpus: str, revision: str) -> Path:
    slug = re.sub(r"\W+", "-", corpus)
    return BENCH_DIR / "db" / f"{slug}-{revision}.db"


def search(label: str, db: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _SEARCH, str(db), str(Path(__file__).parent)], capture_output=True, text=True
    )
    if proc.returncode:
        print(f"search {label:>22}: failed ({proc.stderr.strip().splitlines()[-1:]})", flush=True)
        return {"search": label, "failed": True}
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    print(
        f"search {label:>22}: {res['queries']} queries (short words, phrases, several words, questions): "
        f"median {res['median_ms']} ms, p99 {res['p99_ms']} ms; index {res['fts_index_MB']} MB = "
        f"{res['index_to_text']} x the {res['text_MB']} MB of indexed text",
        flush=True,
    )
    return {"search": label, **res}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=int, default=TARGET_MB, help="size of the generated corpus")
    ap.add_argument("--base", metavar="REV", help="also measure this revision, side by side")
    ap.add_argument("--corpora", type=int, default=4, help="only the first N corpora (1: samples … 4: all)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    t0 = time.time()
    BENCH_DIR.mkdir(exist_ok=True)
    revisions = [("HEAD", ROOT / "src")]
    base = base_checkout(a.base) if a.base else None
    if base is not None:
        revisions.append((a.base[:8], base / "src"))
    try:
        chosen = corpora(a.mb)[: a.corpora]
        rows = bench_ingest(revisions, chosen)
        for corpus in (chosen[0], chosen[-1]) if len(chosen) > 1 else chosen:
            rows.append(search(corpus.label, database(corpus.label, "HEAD")))
    finally:
        if base is not None:
            remove_checkout(base)
    if a.json:
        print(json.dumps(rows, ensure_ascii=False))
    print(
        f"(ratio = ingest wall / floor wall, cpu r = ingest cpu / floor cpu; floor = read + NFKC + one regex pass; "
        f"total {time.time() - t0:.0f} s)"
    )


if __name__ == "__main__":
    main()
