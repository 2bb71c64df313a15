"""make bench (web part): the HTTP API under load, and the render time of the largest document's page.

Starts `gongbao serve` (uvicorn, one process, loopback) over a database of the bundled samples (`gongbao ingest`), then
  - 20 concurrent clients issue search queries for 30 s, each waiting for its answer before sending the next
    (keep-alive HTTP/1.1, a minimal client so that the load generator takes little of the CPU the server needs);
    prints median and p99 latency, throughput and errors.  Twice: with a mix of 22 words, phrases and everyday
    questions asked again and again (answered from the server's cache of answers once asked), and with distinct
    queries only (words, questions, pairs of words; never repeated, so every one is searched);
  - the page of the largest document (the 十四五 纲要 in the samples) is fetched: the first render, then the median
    of repeated renders (the provision tree and body are cached per document and source version), and the median
    with search terms to mark (?q=, the body is rendered again each time).
The client and the server share this machine's cores: the latencies include waiting for the CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))  # bench_search's queries
WORDS = ["罚款", "粮", "民营企业", "融资", "生活垃圾", "安全生产", "消费者", "营商环境", "执法检查", "税收优惠"]
PHRASES = ['"双随机、一公开"', '"县级以上人民政府"', "《山西省民营经济发展促进条例》 融资", "民营企业 融资"]
QUESTIONS = [
    "小区里扔垃圾没分类罚多少钱",
    "出车祸了救助基金能垫付多少",
    "民营企业融资难怎么办",
    "开公司要去哪个部门登记",
    "消费者投诉多久处理",
    "政府拖欠企业账款怎么办",
    "汾河保护由谁负责",
    "建筑垃圾乱倒怎么处罚",
]
QUERIES = WORDS + PHRASES + QUESTIONS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_samples(db: Path) -> Path:
    exe = Path(sys.executable).with_name("gongbao")
    subprocess.run([str(exe), "ingest", "--db", str(db)], stdout=subprocess.DEVNULL, check=True)
    return db


def start_server(db: Path, port: int, log: Path) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("gongbao")
    cmd = [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--db", str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=2).read()
            return proc
        except OSError:
            if proc.poll() is not None:
                sys.exit(f"bench_api: the server exited; see {log}")
            time.sleep(0.2)
    proc.kill()
    sys.exit("bench_api: the server did not start")


async def fetch(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> tuple[int, bytes]:
    """One GET on a kept-alive connection: status and body."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next(int(v) for k, _, v in (x.partition(":") for x in lines[1:]) if k.lower() == "content-length")
    return status, await reader.readexactly(length)


def distinct_queries() -> Iterator[str]:
    """Queries never asked twice: the words and questions of the search benchmark, then pairs of its words, then
    (should a fast machine get through those) triples."""
    from bench_search import QUESTIONS as MORE_QUESTIONS
    from bench_search import SHORT

    rng = random.Random(7)
    yield from SHORT
    yield from MORE_QUESTIONS
    pairs = [f"{a} {b}" for a in SHORT for b in SHORT if a != b]
    rng.shuffle(pairs)
    yield from pairs
    seen: set[str] = set()
    while True:
        triple = " ".join(rng.sample(SHORT, 3))
        if triple not in seen:
            seen.add(triple)
            yield triple


async def client(
    port: int, until: float, next_query: Callable[[], str], latencies: list[float], errors: list[str]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < until:
            path = "/api/search?limit=10&q=" + quote(next_query())
            start = time.perf_counter()
            try:
                status, body = await fetch(reader, writer, path)
            except (OSError, asyncio.IncompleteReadError, ValueError, StopIteration) as e:
                errors.append(f"{type(e).__name__}: {e}")
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            latencies.append(time.perf_counter() - start)
            if status != 200 or "hits" not in json.loads(body):
                errors.append(f"{status} on {path}")
    finally:
        writer.close()


async def load(
    port: int, clients: int, seconds: float, next_query: Callable[[], str]
) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    start = time.perf_counter()
    until = start + seconds
    await asyncio.gather(*(client(port, until, next_query, latencies, errors) for _ in range(clients)))
    return latencies, errors, time.perf_counter() - start


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far: what the server spends, whoever else is running."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(pid: int, run: Callable[[], tuple]) -> tuple:
    before = cpu_seconds(pid)
    result = run()
    return (*result, cpu_seconds(pid) - before)


def report(label: str, clients: int, seconds: float, result: tuple) -> None:
    latencies, errors, elapsed, cpu = result
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(
        f"api search, {label}: {clients} clients x {seconds:.0f} s over loopback, {len(latencies)} requests "
        f"({len(latencies) / elapsed:.0f}/s): median {ms(statistics.median(latencies))}, p99 {ms(p99)}, "
        f"{len(errors)} errors; server CPU {ms(cpu / len(latencies))} per request",
        flush=True,
    )
    for e in errors[:5]:
        print(f"  error: {e}")


def timed_get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        assert response.status == 200
    return time.perf_counter() - start


def largest_document(base: str) -> dict:
    docs: list[dict] = []
    page = 1
    while True:
        data = json.load(urllib.request.urlopen(f"{base}/api/documents?per_page=100&page={page}"))
        docs += data["documents"]
        if page >= data["pages"]:
            break
        page += 1
    return max(docs, key=lambda d: d["source"]["end_line"] - d["source"]["start_line"])


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--renders", type=int, default=10)
    ap.add_argument("--db", type=Path, help="database to serve (default: a fresh one built from the samples)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongbao-bench-api-") as tmp:
        db = a.db or build_samples(Path(tmp) / "samples.db")
        port = free_port()
        server = start_server(db, port, Path(tmp) / "serve.log")
        base = f"http://127.0.0.1:{port}"
        try:
            for q in QUERIES:  # warm-up: dictionaries loaded, connections opened
                timed_get(f"{base}/api/search?q={quote(q)}")
            rng = random.Random(1)
            repeated = measured(
                server.pid, lambda: asyncio.run(load(port, a.clients, a.seconds, lambda: rng.choice(QUERIES)))
            )
            report("repeated queries", a.clients, a.seconds, repeated)
            fresh = distinct_queries()
            distinct = measured(server.pid, lambda: asyncio.run(load(port, a.clients, a.seconds, lambda: next(fresh))))
            report("distinct queries", a.clients, a.seconds, distinct)
            doc = largest_document(base)
            url = f"{base}/documents/{doc['id']}"
            first = timed_get(url)
            warm = statistics.median(timed_get(url) for _ in range(a.renders))
            marked = statistics.median(timed_get(f"{url}?q={quote(w)}") for w in WORDS[: a.renders])
            size = len(urllib.request.urlopen(url).read()) / 1000
            print(
                f"document page  {doc['title']} ({doc['source']['end_line'] - doc['source']['start_line'] + 1} "
                f"lines, {size:.0f} kB of HTML): first render {ms(first)}, then median {ms(warm)} "
                f"(cached tree), with ?q= terms marked median {ms(marked)}",
                flush=True,
            )
        finally:
            server.terminate()
            server.wait(10)
    print(f"(cores: {os.cpu_count()}, shared by the server and the load generator)")


if __name__ == "__main__":
    main()
