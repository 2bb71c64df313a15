"""make bench (memory): peak RSS of ingest for one 200 MB gazette file and for the generated 100 MB corpus, then the
server's peak RSS while it serves the largest source and document pages of that file (bound: 500 MB).

The single file is the dev laws concatenated until it is ≥ 200 MB (one issue of some 9,000 documents); each
ingest runs as `gongbao ingest` in a child process and its peak RSS is that process's own (ru_maxrss of the
child), the server is `gongbao serve` and its peak is the kernel's high-water mark (VmHWM).  Files and databases
stay in bench-data/ (not committed).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

sys.path.insert(0, str(Path(__file__).parent))
import bench  # the 100 MB corpus and the bench folder are bench.py's

SERVER_BOUND_MB = 500
SINGLE_MB = 200
GONGBAO = str(Path(sys.executable).with_name("gongbao"))


def build_single(target_mb: int = SINGLE_MB) -> Path:
    """One file of the dev laws one after the other, repeated until ≥ target_mb (kept for the next run)."""
    path = bench.BENCH_DIR / f"single_{target_mb}mb.txt"
    if path.exists() and path.stat().st_size >= target_mb * 1_000_000:
        return path
    laws = sorted(bench.LAWS.glob("*.txt"))
    if not laws:
        sys.exit(f"bench_memory: no dev law corpus at {bench.LAWS}")
    texts = [p.read_text(encoding="utf-8").rstrip("\n") + "\n\n" for p in laws]
    bench.BENCH_DIR.mkdir(exist_ok=True)
    part = path.with_suffix(".part")
    size = 0
    with part.open("w", encoding="utf-8") as out:
        while size < target_mb * 1_000_000:
            for text in texts:
                out.write(text)
                size += len(text.encode("utf-8"))
    part.replace(path)
    return path


def _fresh(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(db) + suffix).unlink(missing_ok=True)


def ingest_peak(label: str, files: list[Path], db: Path) -> dict:
    """`gongbao ingest` of the files into a new database in a child process: seconds and its peak RSS."""
    _fresh(db)
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    largest_mb = max(p.stat().st_size for p in files) / 1e6
    t0 = time.perf_counter()
    command = [GONGBAO, "ingest", "--db", str(db), "--max-size", str(int(largest_mb) + 1), "--json"]
    status, peak_mb, err = _run_measured([*command, *map(str, files)])
    seconds = time.perf_counter() - t0
    if status != 0:
        sys.exit(f"bench_memory: ingest of {label} failed ({status}): {err[-2000:]}")
    row = {
        "ingest": label,
        "files": len(files),
        "MB": round(size_mb, 1),
        "largest_file_MB": round(largest_mb, 1),
        "seconds": round(seconds, 1),
        "peak_rss_MB": round(peak_mb, 1),
        "peak_to_largest_file": round(peak_mb / largest_mb, 2),
    }
    print(
        f"memory ingest {label:>26}: {row['MB']:6.1f} MB in {row['files']} files (largest {row['largest_file_MB']} "
        f"MB) in {row['seconds']} s, peak RSS {row['peak_rss_MB']} MB = {row['peak_to_largest_file']} x the "
        "largest file",
        flush=True,
    )
    return row


def _run_measured(command: list[str]) -> tuple[int, float, str]:
    """Run a command to its end: (exit status, its own peak RSS in MB, the end of its stderr)."""
    with open(os.devnull, "wb") as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)  # the rusage of this child alone
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return proc.returncode, usage.ru_maxrss / 1024, err.read().decode(errors="replace")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _hwm_mb(pid: int) -> float:
    """The peak resident set of a live process (the kernel's VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _largest(db: Path, file: str) -> tuple[str, int, int, int]:
    """The document of `file` with the most lines: (id, start_line, end_line), and the file's line count."""
    import apsw

    con = apsw.Connection(str(db), flags=apsw.SQLITE_OPEN_READONLY)
    try:
        doc_id, first, last = con.execute(
            "SELECT id, start_line, end_line FROM documents WHERE file = ? ORDER BY end_line - start_line DESC, "
            "ordinal LIMIT 1",
            (file,),
        ).fetchone()
        (count,) = con.execute("SELECT line_count FROM sources WHERE file = ?", (file,)).fetchone()
    finally:
        con.close()
    return doc_id, first, last, count


def serve_peak(db: Path, file: str) -> dict:
    """`gongbao serve` over the database: the largest source and document pages of `file`, the server's peak."""
    port = _free_port()
    server = subprocess.Popen(
        [GONGBAO, "serve", "--db", str(db), "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        idle = _hwm_mb(server.pid)
        doc_id, first, last, count = _largest(db, file)
        src = "/source/" + quote(file, safe="")
        doc = "/documents/" + quote(doc_id, safe="")
        paths = [
            doc,
            doc + ".json",
            doc + "?q=" + quote("第一条 规定"),
            src,
            f"{src}?lines={first}-{last}",
            f"{src}?lines={count - 20}-{count}",
            f"{src}.json?lines={first}-{last}",
            f"{src}.json?start={count // 2}",
            "/api/sources/" + quote(file, safe=""),
        ]
        fetched = [_fetch(base + p) for p in paths]
        peak = _hwm_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    verdict = "within" if peak < SERVER_BOUND_MB else "OVER"
    print(
        f"memory serve  largest pages of the {file}: peak RSS {peak:.1f} MB ({verdict} the {SERVER_BOUND_MB} MB "
        f"bound; {idle:.1f} MB idle), largest document lines {first}-{last} of {count}",
        flush=True,
    )
    for path, (status, size, seconds) in zip(paths, fetched, strict=True):
        print(f"    {status} {size / 1e3:9.1f} KB {seconds:6.2f} s  {path}", flush=True)
    return {"serve": file, "peak_rss_MB": round(peak, 1), "idle_rss_MB": round(idle, 1), "bound_MB": SERVER_BOUND_MB}


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"bench_memory: the server exited: {server.stderr.read().decode()[-2000:]}")
        try:
            with urlopen(base + "/api/stats", timeout=10):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("bench_memory: the server did not start")


def _fetch(url: str) -> tuple[int, int, float]:
    t0 = time.perf_counter()
    try:
        with urlopen(url, timeout=600) as response:
            return response.status, len(response.read()), time.perf_counter() - t0
    except OSError as e:
        return getattr(e, "code", 0), 0, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=int, default=SINGLE_MB, help="size of the single file")
    ap.add_argument("--corpus-mb", type=int, default=bench.TARGET_MB, help="size of the generated corpus")
    ap.add_argument("--no-corpus", action="store_true", help="only the single file and the server")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    t0 = time.time()
    single = build_single(a.mb)
    single_db = bench.BENCH_DIR / "single.db"
    rows = [ingest_peak(f"single {a.mb} MB file", [single], single_db)]
    if not a.no_corpus:
        corpus = bench.build_corpus(a.corpus_mb)
        rows.append(ingest_peak(f"generated {a.corpus_mb} MB corpus", corpus, bench.BENCH_DIR / "memory.db"))
    rows.append(serve_peak(single_db, single.name))
    if a.json:
        print(json.dumps(rows, ensure_ascii=False))
    print(f"(bench_memory total {time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
