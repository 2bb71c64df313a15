"""Many processes on one database, as SQLite allows: readers (CLI processes and the server, read-only) never fail
while writers write, a second ingest waits for the first instead of losing files, two exports to one file both
succeed whole; the database they leave is the one a serial ingest makes.  Real processes, run in parallel."""

from __future__ import annotations

import contextlib
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


SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV_LAWS = SHARED / "corpus" / "laws-dev" / "gazette"
READ_COMMANDS = ["stats --json", "list --json", "search 罚款 --json"]
HTTP_PATHS = ("/api/stats", "/api/search?q=%E7%BD%9A%E6%AC%BE", "/documents")


def _serial_export(folder: Path, files: list[Path]) -> str:
    """The export of the same files ingested one after the other, in one process."""
    from gongbao.ingest import ingest_paths
    from gongbao.store import Store

    db, out = folder / "serial.db", folder / "serial.jsonl"
    with Store(db) as store:
        assert not ingest_paths(store, files).errors
    result = _run("export", "--db", str(db), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8")


def test_two_writers_and_readers_in_parallel_lose_nothing(tmp_path: Path) -> None:
    files = sample_paths()[2:]  # the smaller samples: the test is about processes, not size
    _in_parallel(tmp_path, files[0], [[files[1]], [files[2]]], readers=3, clients=4, seconds=0)


@pytest.mark.soak
@pytest.mark.skipif(not DEV_LAWS.is_dir(), reason="the dev law corpus (../shared) is not here")
def test_at_full_size_two_ingests_eight_readers_twenty_clients_for_a_minute(tmp_path: Path) -> None:
    """The issue's size: 2 ingests of many files, 8 CLI readers, the server under 20 clients, at least 60 s."""
    first, *samples = sample_paths()
    laws = sorted(DEV_LAWS.glob("*.txt"))[:40]
    _in_parallel(tmp_path, first, [samples[:2] + laws[:20], samples[2:] + laws[20:]], readers=8, clients=20, seconds=60)


def _in_parallel(
    tmp_path: Path, first: Path, batches: list[list[Path]], readers: int, clients: int, seconds: float
) -> None:
    """`first` ingested, then the batches by one ingest process each, all at once, while `readers` CLI processes
    and `clients` HTTP clients read, for at least `seconds`: no file lost, no read failed, no 5xx, and the export
    is the serial ingest's (the writers queue in batch order: links depend on the order)."""
    serial = _serial_export(tmp_path, [first, *(f for batch in batches for f in batch)])
    db = tmp_path / "shared.db"
    assert _run("ingest", "--db", str(db), str(first)).returncode == 0  # the readers need a database
    stop = tmp_path / "writers-done"
    env = {**os.environ, "COLUMNS": "200"}
    reader_procs = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(db), str(stop), *_rotated(READ_COMMANDS, i)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i in range(readers)
    ]
    try:
        _read_while_writing(db, batches, env, stop, reader_procs, clients, seconds)
    finally:
        stop.touch()  # (a failed writer must not leave the readers reading forever)
        for r in reader_procs:
            if r.poll() is None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    r.wait(timeout=120)
                r.kill()
    exports = [tmp_path / "a" / "same.jsonl"] * 2
    exports[0].parent.mkdir()
    both = [
        subprocess.Popen([GONGBAO, "export", "--db", str(db), "--out", str(p)], stderr=subprocess.PIPE) for p in exports
    ]
    assert [p.wait(timeout=300) for p in both] == [0, 0]
    assert exports[0].read_text(encoding="utf-8") == serial
    assert [p.name for p in exports[0].parent.iterdir()] == ["same.jsonl"]  # no temporary file left


def _read_while_writing(
    db: Path,
    batches: list[list[Path]],
    env: dict[str, str],
    stop: Path,
    reader_procs: list[subprocess.Popen],
    clients: int,
    seconds: float,
) -> None:
    """The writers write while the readers and the server's clients read, for at least `seconds`; then every
    read answered and every reader process ran its commands without a failure."""
    started = time.monotonic()
    with serve(db) as base:  # the server too, under its clients, while the writers write
        http = [_HttpClient(base, stop, _rotated(HTTP_PATHS, i)) for i in range(clients)]
        for c in http:
            c.start()
        time.sleep(1)  # let the readers start reading before the writers write
        try:
            _write_in_parallel(db, batches, env)
            time.sleep(max(0.0, seconds - (time.monotonic() - started)))
        finally:
            stop.touch()
            for c in http:
                c.join(120)
    for c in http:
        assert c.answers and not c.failures, c.failures[:5]
        assert c.sources == sorted(c.sources)  # each answer saw the database before or after a whole file
    for r in reader_procs:
        out, err = r.communicate(timeout=300)
        assert r.returncode == 0, err
        runs, failed = map(int, out.split("\n")[0].split())
        assert runs >= len(READ_COMMANDS) and failed == 0, out


def _rotated(items: list[str] | tuple[str, ...], n: int) -> list[str]:
    k = n % len(items)
    return [*items[k:], *items[:k]]


def _write_in_parallel(db: Path, batches: list[list[Path]], env: dict[str, str]) -> None:
    """One ingest process per batch, started in order once the one before holds the writer lock; every file of
    every batch is reported ingested."""
    writers = []
    for batch in batches:
        command = [GONGBAO, "ingest", "--db", str(db), *map(str, batch)]
        writers.append(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))
        if len(writers) < len(batches):
            _until_it_holds_the_writer_lock(db, writers[-1])  # so that the order is the serial one
    written = [w.communicate(timeout=600) for w in writers]
    for w, (_out, err) in zip(writers, written, strict=True):
        assert w.returncode == 0, err


class _HttpClient(threading.Thread):
    """Asks the server for its stats, a search and a page until told to stop; notes every failure and 5xx."""

    def __init__(self, base: str, stop: Path, paths: list[str]):
        super().__init__(daemon=True)
        self.base, self.stop, self.paths = base, stop, paths
        self.answers, self.failures, self.sources = 0, [], []

    def run(self) -> None:
        while not self.stop.exists():
            for path in self.paths:
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
