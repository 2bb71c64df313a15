from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongbao.cli.main import app
from gongbao.pipeline import ParsedIssue, parse_file


@pytest.fixture
def parse_text(tmp_path: Path) -> Callable[..., ParsedIssue]:
    """Write text to a file in tmp_path and run the whole parse (read → clean → split → parse) on it."""

    def run(text: str, name: str = "issue.txt") -> ParsedIssue:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return parse_file(path)

    return run


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database path that does not exist yet."""
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


@pytest.fixture(scope="session")
def samples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of the five bundled sample gazettes, built once per test session (read it, do not write it)."""
    from gongbao.ingest import ingest_paths, sample_paths
    from gongbao.store import Store

    path = tmp_path_factory.mktemp("samples") / "samples.db"
    with Store(path) as store:
        report = ingest_paths(store, sample_paths())
    assert not report.errors, report.errors
    return path
