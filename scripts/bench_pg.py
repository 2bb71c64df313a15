"""make bench-pg: the two backends side by side at scale.

Builds a corpus of --mb megabytes (default 1024) from the real texts of ../shared/corpus/ (every gazette file of
laws-dev, laws-wide and real): multi-document issues of randomly chosen texts, each issue with its own province
name in place of the printed one and its years shifted by a random offset, so that titles, 文号 and dates vary and
no two issues are copies.  Then, for SQLite and for PostgreSQL (a throw-away cluster of the system's server
binaries, or --pg URL):

  - ingest MB/s with 1 and with 2 jobs (`gongbao ingest --jobs N`, a fresh database each time); with
    --scaling-mb M the two are timed on the first M MB of the corpus, and the whole corpus is ingested once, with
    2 jobs (a 1 GB ingest can take the better part of an hour on a shared machine),
  - the database size,
  - search p50/p99 over every development question (../shared/eval/questions),
  - web search p50/p99 with 20 and 100 concurrent clients (scripts/bench_api.py's client), one server process,
    and on PostgreSQL also `serve --workers 2`.
Everything shares this machine's cores with the load generator; the numbers include waiting for the CPU, so each
line also says how busy the machine was (the load average over the last minute, os.getloadavg()).  --reuse keeps a
database that already holds the whole corpus (its ingest line is the one saved when it was built).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BENCH_DIR = ROOT / "bench-data" / "pg"
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(ROOT / "tests"))  # the throw-away cluster of the tests

import bench_api  # noqa: E402

import pg_server  # noqa: E402

PROVINCES = [
    "山西省",
    "河北省",
    "辽宁省",
    "吉林省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "四川省",
]
TEXTS_PER_ISSUE = 12
GONGBAO = Path(sys.executable).with_name("gongbao")


def build_corpus(mb: int) -> Path:
    folder = BENCH_DIR / f"corpus-{mb}mb"
    if folder.is_dir() and sum(p.stat().st_size for p in folder.glob("*.txt")) >= mb * 1_000_000:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SHARED.glob("corpus/*/gazette/*.txt"))]
    if not texts:
        sys.exit(f"bench_pg: no texts under {SHARED}/corpus/*/gazette")
    rng, size, n = random.Random(13), 0, 0
    while size < mb * 1_000_000:
        province, shift = rng.choice(PROVINCES), rng.randint(-8, 0)
        body = "\n\n".join(rng.choice(texts).rstrip("\n") for _ in range(TEXTS_PER_ISSUE)) + "\n"
        body = re.sub(r"山西省|上海市|山东省|河北省", province, body)
        body = re.sub(r"(?<!\d)(20[12]\d)(?=年|〕|\])", lambda m, s=shift: str(int(m.group(1)) + s), body)
        path = folder / f"issue_{n:05d}.txt"
        path.write_text(body, encoding="utf-8")
        size += path.stat().st_size
        n += 1
    return folder


def ingest(target: str, files: list[Path], jobs: int) -> dict:
    mb = sum(p.stat().st_size for p in files) / 1_000_000
    start = time.perf_counter()
    subprocess.run([str(GONGBAO), "ingest", *map(str, files), "--db", target, "--jobs", str(jobs)],
                   stdout=subprocess.DEVNULL, check=True)  # fmt: skip
    seconds = time.perf_counter() - start
    return {"MB": round(mb, 1), "jobs": jobs, "seconds": round(seconds, 1), "MB_per_s": round(mb / seconds, 2),
            "load": _load()}  # fmt: skip


def _commit() -> str:
    run = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return run.stdout.strip()


def _load() -> float:
    return round(os.getloadavg()[0], 1)


def stored_sources(target: str) -> int:
    from gongbao.store import open_corpus

    try:
        with open_corpus(target, readonly=True) as store:
            return store.count("sources")
    except Exception:  # no such database yet
        return 0


def size_mb(target: str) -> float:
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target) as conn:
            return round(conn.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 1e6, 1)
    return round(sum(p.stat().st_size for p in Path(target).parent.glob(Path(target).name + "*")) / 1e6, 1)


def questions() -> list[str]:
    return [q["question"] for f in sorted((SHARED / "eval" / "questions").glob("*.json"))
            for q in json.loads(f.read_text(encoding="utf-8"))]  # fmt: skip


def search_latency(target: str) -> dict:
    from gongbao.search import search
    from gongbao.store import open_corpus

    qs = questions()
    with open_corpus(target, readonly=True) as store:
        search(store, qs[0])  # warm: segmenter, statistics
        times = []
        for q in qs:
            start = time.perf_counter()
            search(store, q)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"questions": len(qs), "p50_ms": round(statistics.median(times), 1),
            "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1), "load": _load()}  # fmt: skip


def web_latency(target: str, clients: int, seconds: float, workers: int = 1) -> dict:
    port = bench_api.free_port()
    log = BENCH_DIR / f"serve-{port}.log"
    cmd = [str(GONGBAO), "serve", "--port", str(port), "--db", target, "--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                bench_api.urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"bench_pg: the server did not start; see {log}")
                time.sleep(0.3)
        queries = bench_api.distinct_queries()
        latencies, errors, _elapsed = asyncio.run(bench_api.load(port, clients, seconds, lambda: next(queries)))
    finally:
        proc.terminate()
        proc.wait(30)
    latencies.sort()
    return {"clients": clients, "workers": workers, "requests": len(latencies), "errors": len(errors),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 1),
            "load": _load()}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=int, default=1024, help="size of the generated corpus")
    ap.add_argument("--scaling-mb", type=int, default=0, help="time 1 and 2 jobs on this many MB (0: the whole)")
    ap.add_argument("--pg", help="a PostgreSQL server to use (default: a throw-away cluster)")
    ap.add_argument("--backends", default="sqlite,postgres", help="which backends, comma-separated")
    ap.add_argument("--reuse", action="store_true", help="keep a database that holds the whole corpus already")
    ap.add_argument("--seconds", type=float, default=20, help="length of each web load run")
    a = ap.parse_args()
    folder = build_corpus(a.mb)
    backends = a.backends.split(",")
    cluster = None
    if "postgres" in backends and not a.pg and pg_server.server_bin():
        cluster = pg_server.Cluster(pg_server.server_bin()).start()  # type: ignore[arg-type]
    base = a.pg or (cluster.url() if cluster else None)
    try:
        for backend in backends:
            if backend == "postgres" and base is None:
                print("postgres: no server (install postgresql or give --pg)")
                continue
            target = bench_backend(backend, folder, a, cluster, base)
            print(json.dumps({"backend": backend, "search": search_latency(target)}, ensure_ascii=False), flush=True)
            for clients in (20, 100):
                print(json.dumps({"backend": backend, "web": web_latency(target, clients, a.seconds)}), flush=True)
            if backend == "postgres":
                print(json.dumps({"backend": backend, "web": web_latency(target, 100, a.seconds, 2)}), flush=True)
    finally:
        if cluster:
            cluster.stop()


def database(backend: str, name: str, cluster: Any, base: str | None, fresh: bool) -> str:
    """The address of a bench database (emptied first when `fresh`)."""
    if backend == "sqlite":
        target = BENCH_DIR / f"{name}.db"
        for old in BENCH_DIR.glob(f"{name}.db*") if fresh else ():
            old.unlink()
        return str(target)
    if cluster:
        return cluster.create(name) if fresh else cluster.url(name)
    server = pg_server_of(base)  # type: ignore[arg-type]
    if fresh:
        import psycopg

        with psycopg.connect(server + "postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    return server + name


def pg_server_of(url: str) -> str:
    """postgresql://user@host:port/ (without the database name)."""
    return url.rsplit("/", 1)[0] + "/"


def bench_backend(backend: str, folder: Path, a: argparse.Namespace, cluster: Any, base: str | None) -> str:
    """Ingest rows for one backend; returns the address of the database that holds the whole corpus."""
    files = sorted(folder.glob("*.txt"))
    if a.scaling_mb:
        part, size = [], 0
        for f in files:
            if size >= a.scaling_mb * 1_000_000:
                break
            part.append(f)
            size += f.stat().st_size
        for jobs in (1, 2):
            target = database(backend, f"scaling{jobs}", cluster, base, fresh=True)
            print(json.dumps({"backend": backend, "slice": True, **ingest(target, part, jobs)}), flush=True)
    saved = BENCH_DIR / f"ingest-{backend}-{a.mb}mb.json"
    target = database(backend, f"bench{a.mb}", cluster, base, fresh=False)
    if a.reuse and saved.exists() and stored_sources(target) == len(files):
        row = {**json.loads(saved.read_text()), "reused": True}
    else:
        target = database(backend, f"bench{a.mb}", cluster, base, fresh=True)
        row = {"backend": backend, **ingest(target, files, 2), "db_MB": size_mb(target), "commit": _commit()}
        saved.write_text(json.dumps(row))
        if not a.scaling_mb:
            one = database(backend, f"bench{a.mb}-1job", cluster, base, fresh=True)
            print(json.dumps({"backend": backend, **ingest(one, files, 1), "db_MB": size_mb(one)}), flush=True)
    print(json.dumps(row), flush=True)
    return target


if __name__ == "__main__":
    main()
