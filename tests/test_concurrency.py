"""Many processes on one database, as SQLite allows: readers (CLI processes and the server, read-only) never fail
while writers write, a second ingest waits for the first instead of losing files, two exports to one file both
succeed whole; the database they leave is the one a serial ingest makes.  Real processes, run in parallel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

from gongbao.ingest import sample_paths
from web_helpers import serve

GONGBAO = str(Path(sys.executable).with_name("gongbao"))

# a reader process: read commands in a loop, each opening the database afresh as a CLI run does, until told to stop
READER = """
import sys, pathlib
from typer.testing import CliRunner
from gongbao.cli.main import app
db, stop, commands = sys.argv[1], pathlib.Path(sys.argv[2]), [c.split() for c in sys.argv[3:]]
runner, runs, failures = CliRunner(), 0, []
while True:
    last = stop.exists()  # one more round after the writers are done
    for command in commands:
        result = runner.invoke(app, [*command, "--db", db])
        runs += 1
        if result.exit_code != 0:
            failures.append(f"{command}: {result.exit_code} {result.output[-300:]!r} {result.exception!r}")
    if last:
        break
print(runs, len(failures))
for f in failures[:5]:
    print(f)
"""


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([GONGBAO, *args], capture_output=True, text=True, timeout=300)


@pytest.fixture
def serial_export(tmp_path: Path) -> str:
    """The export of the same files ingested one after the other, in one process."""
    from gongbao.ingest import ingest_paths
    from gongbao.store import Store

    db, out = tmp_path / "serial.db", tmp_path / "serial.jsonl"
    with Store(db) as store:
        assert not ingest_paths(store, sample_paths()[2:]).errors
    result = _run("export", "--db", str(db), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8")


def test_two_writers_and_readers_in_parallel_lose_nothing(tmp_path: Path, serial_export: str) -> None:
    first, *samples = sample_paths()[2:]  # the smaller samples: the test is about processes, not size
    db = tmp_path / "shared.db"
    assert _run("ingest", "--db", str(db), str(first)).returncode == 0  # the readers need a database
    stop = tmp_path / "writers-done"
    env = {**os.environ, "COLUMNS": "200"}
    read_commands = ["stats --json", "list --json", "search 罚款 --json"]
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(db), str(stop), *read_commands[i:], *read_commands[:i]],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i in range(3)
    ]
    with serve(db) as base:  # the server too, under a few clients, while the writers write
        clients = [_HttpClient(base, stop) for _ in range(4)]
        for c in clients:
            c.start()
        time.sleep(1)  # let the readers start reading before the writers write
        _write_in_parallel(db, samples, env, stop)
        for c in clients:
            c.join(60)
    for c in clients:
        assert c.answers and not c.failures, c.failures[:5]
        assert c.sources == sorted(c.sources)  # each answer saw the database before or after a whole file
    for r in readers:
        out, err = r.communicate(timeout=300)
        assert r.returncode == 0, err
        runs, failed = map(int, out.split("\n")[0].split())
        assert runs >= len(read_commands) and failed == 0, out
    exports = [tmp_path / "a" / "same.jsonl"] * 2
    exports[0].parent.mkdir()
    both = [
        subprocess.Popen([GONGBAO, "export", "--db", str(db), "--out", str(p)], stderr=subprocess.PIPE) for p in exports
    ]
    assert [p.wait(timeout=300) for p in both] == [0, 0]
    assert exports[0].read_text(encoding="utf-8") == serial_export
    assert [p.name for p in exports[0].parent.iterdir()] == ["same.jsonl"]  # no temporary file left


def _write_in_parallel(db: Path, samples: list[Path], env: dict[str, str], stop: Path) -> None:
    writers = []
    for part in ([samples[0]], [samples[1]]):
        command = [GONGBAO, "ingest", "--db", str(db), *map(str, part)]
        writers.append(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))
        _until_it_holds_the_writer_lock(db, writers[0])  # so that the order is the serial one (links depend on it)
    written = [w.communicate(timeout=300) for w in writers]
    stop.touch()
    for w, (_out, err) in zip(writers, written, strict=True):
        assert w.returncode == 0, err


class _HttpClient(threading.Thread):
    """Asks the server for its stats and a search until the writers are done; notes every failure and 5xx."""

    def __init__(self, base: str, stop: Path):
        super().__init__(daemon=True)
        self.base, self.stop = base, stop
        self.answers, self.failures, self.sources = 0, [], []

    def run(self) -> None:
        while not self.stop.exists():
            for path in ("/api/stats", "/api/search?q=%E7%BD%9A%E6%AC%BE", "/documents"):
                try:
                    with urlopen(self.base + path, timeout=60) as response:
                        body = response.read()
                    self.answers += 1
                    if path == "/api/stats":
                        self.sources.append(json.loads(body)["sources"])
                except (OSError, ValueError) as e:  # HTTPError (4xx, 5xx) is an OSError
                    self.failures.append(f"{path}: {e}")


def _until_it_holds_the_writer_lock(db: Path, writer: subprocess.Popen) -> None:
    lock = db.with_name(db.name + ".lock")
    deadline = time.monotonic() + 120
    while not (lock.exists() and lock.read_text(encoding="ascii").strip() == str(writer.pid)):
        assert writer.poll() is None and time.monotonic() < deadline, "the first writer never took the lock"
        time.sleep(0.05)


def test_a_second_ingest_waits_for_the_first_and_says_so(tmp_path: Path) -> None:
    from gongbao.store.sqlite.writers import exclusive_writer

    samples = sample_paths()
    db = tmp_path / "queued.db"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db), "7"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    start = time.monotonic()
    result = _run("ingest", "--db", str(db), str(samples[4]))
    holder.wait(timeout=30)
    assert result.returncode == 0, result.stderr
    assert "waiting for another ingest" in result.stderr
    assert time.monotonic() - start >= 3  # it did wait for the lock to go
    with exclusive_writer(db, print, timeout_s=1):  # and released it
        pass


def test_an_ingest_told_not_to_wait_long_exits_non_zero(tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db), "10"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    try:
        result = _run("ingest", "--db", str(db), "--wait", "1", str(sample_paths()[4]))
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 2
    assert "nothing ingested" in result.stderr and "another ingest" in result.stderr


HOLD_LOCK = """
import sys, time, pathlib
from gongbao.store.sqlite.writers import exclusive_writer
with exclusive_writer(pathlib.Path(sys.argv[1]), print):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""
