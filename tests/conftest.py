from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongbao.cli.main import app
from gongbao.pipeline import ParsedIssue, parse_file
from pg_server import Cluster, server_bin

# the store, search and web tests run on both backends (parity); "postgres" skips, saying why, only where no
# PostgreSQL server binary is installed (`make test` and .ci/run install it)
BACKENDS = ["sqlite", "postgres"]
_names = (uuid.uuid4().hex[:12] for _ in itertools.count())


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_file: about the embedded database file itself (not run on a server)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests of the SQLite file itself (damage, side files) get no PostgreSQL variant: deselected, not skipped."""

    def on_server(item: pytest.Item) -> bool:
        callspec = getattr(item, "callspec", None)
        return callspec is not None and callspec.params.get("db") == "postgres"

    server = [i for i in items if i.get_closest_marker("sqlite_file") and on_server(i)]
    if server:
        config.hook.pytest_deselected(items=server)
        items[:] = [i for i in items if i not in server]


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A throw-away PostgreSQL cluster for the whole session (see pg_server.py)."""
    bindir = server_bin()
    if bindir is None:
        reason = "no PostgreSQL server binaries (initdb, pg_ctl) here: apt-get install postgresql"
        if os.environ.get("GONGBAO_REQUIRE_POSTGRES"):  # CI: the PostgreSQL half must run, not skip
            pytest.fail(reason)
        pytest.skip(reason)
    cluster = Cluster(bindir).start()
    yield cluster
    from gongbao.store.postgres.store import close_pools

    close_pools()
    cluster.stop()


def new_target(request: pytest.FixtureRequest, backend: str, folder: Path, keep: bool = False) -> Path | str:
    """A database that does not exist yet (SQLite: a path in `folder`) or is empty (PostgreSQL: a new database,
    dropped when the requesting test or fixture ends, or with the cluster if `keep`)."""
    if backend == "sqlite":
        return folder / "db" / "gongbao.db"
    cluster, name = request.getfixturevalue("pg_cluster"), f"t{next(_names)}"
    url = cluster.create(name)
    if keep:
        return url

    def close() -> None:  # a finished test's connections closed, its database dropped
        from gongbao.store.postgres.store import close_pool

        close_pool(url)
        cluster.drop(name)

    request.addfinalizer(close)
    return url


@pytest.fixture
def parse_text(tmp_path: Path) -> Callable[..., ParsedIssue]:
    """Write text to a file in tmp_path and run the whole parse (read → clean → split → parse) on it."""

    def run(text: str, name: str = "issue.txt") -> ParsedIssue:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return parse_file(path)

    return run


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """A database on each backend: an SQLite path that does not exist yet, an empty PostgreSQL database."""
    return new_target(request, request.param, tmp_path)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Path:
    """An SQLite database path that does not exist yet (for what only the embedded backend has)."""
    return tmp_path / "db" / "gongbao.db"


@pytest.fixture
def cli(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run the CLI in-process; --db points at the test's own database unless the caller passes one.  The user data
    directory is redirected too, so that no test can touch a real user's database."""
    monkeypatch.delenv("GONGBAO_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    runner = CliRunner()

    def invoke(*args: str, use_db: bool = True, env: dict[str, str] | None = None):
        argv = [str(a) for a in args]
        if use_db and "--db" not in argv:
            argv += ["--db", str(db)]
        return runner.invoke(app, argv, env=env)

    return invoke


_SAMPLES: dict[str, Path | str] = {}


def samples_on(request: pytest.FixtureRequest, backend: str) -> Path | str:
    """A database of the five bundled sample gazettes on `backend`, built once per test session (read it, do not
    write it)."""
    if backend not in _SAMPLES:
        from gongbao.ingest import ingest_paths, sample_paths
        from gongbao.store import open_corpus

        folder = request.getfixturevalue("tmp_path_factory").mktemp("samples")
        target = new_target(request, backend, folder, keep=True)  # (cached for the whole session)
        with open_corpus(target) as store:
            report = ingest_paths(store, sample_paths())
        assert not report.errors, report.errors
        _SAMPLES[backend] = target
    return _SAMPLES[backend]


@pytest.fixture(scope="session", params=BACKENDS)
def samples_db(request: pytest.FixtureRequest) -> Path | str:
    """The samples database on each backend (see samples_on)."""
    return samples_on(request, request.param)
