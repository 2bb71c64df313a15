"""Careless commands do not destroy data: an export never lands on the database or half-written, a read command on
a database that is not there says so, a batch with a file left out does not look like a success."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gazette_text import PERSONNEL, PROMULGATION, gazette, write


@pytest.fixture
def loaded(cli, db: Path, tmp_path: Path):
    result = cli("ingest", write(tmp_path, "issue.txt", gazette(PROMULGATION + PERSONNEL)))
    assert result.exit_code == 0, result.output
    return cli


def _documents(cli) -> int:
    result = cli("stats", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["documents"]


@pytest.mark.sqlite_file
def test_export_refuses_to_overwrite_the_database(loaded, db: Path) -> None:
    before = _documents(loaded)
    result = loaded("export", "--out", db)
    assert result.exit_code != 0
    assert "database" in result.stderr
    assert _documents(loaded) == before


@pytest.mark.sqlite_file
def test_export_refuses_the_database_under_another_name(loaded, db: Path, tmp_path: Path) -> None:
    link = tmp_path / "alias.db"
    link.symlink_to(db)
    before = _documents(loaded)
    assert loaded("export", "--out", link).exit_code != 0
    assert loaded("export", "--out", str(db) + "-wal").exit_code != 0
    assert _documents(loaded) == before


def test_export_to_a_folder_says_so(loaded, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    result = loaded("export", "--out", folder)
    assert result.exit_code == 2
    assert "folder" in result.stderr
    assert isinstance(result.exception, SystemExit)  # an answer, not a traceback
    assert list(folder.iterdir()) == []


def test_export_into_a_missing_folder_says_so(loaded, tmp_path: Path) -> None:
    result = loaded("export", "--out", tmp_path / "missing" / "x.jsonl")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert not (tmp_path / "missing").exists()


def test_export_to_a_pipe_is_refused_without_waiting(loaded, tmp_path: Path) -> None:
    fifo = tmp_path / "x.jsonl"
    os.mkfifo(fifo)
    result = loaded("export", "--out", fifo)  # opening a FIFO for writing would block until a reader comes
    assert result.exit_code == 2
    assert "regular file" in result.stderr


def test_export_writes_the_file_whole(loaded, tmp_path: Path) -> None:
    out = tmp_path / "export.jsonl"
    result = loaded("export", "--out", out)
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == _documents(loaded)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_failed_export_leaves_the_old_file_and_nothing_else(
    loaded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gongbao.export.jsonl

    out = tmp_path / "export.jsonl"
    out.write_text("the previous export\n", encoding="utf-8")

    def fail_midway(store, f) -> int:
        f.write('{"id": "half"}\n')
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(gongbao.export.jsonl, "write_jsonl", fail_midway)
    before = sorted(tmp_path.iterdir())
    result = loaded("export", "--out", out)
    assert result.exit_code == 1
    assert "disk is full" in result.stderr
    assert out.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize("command", [["stats"], ["list"], ["search", "条例"], ["export"], ["check"], ["show", "x"]])
def test_a_read_command_on_a_missing_database_says_so(cli, tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "typo.db"
    result = cli(*command, "--db", missing)
    assert result.exit_code == 2
    assert "no database" in result.stderr and "typo.db" in result.stderr
    assert not missing.exists()


def test_a_database_under_a_regular_file_is_a_clear_error(cli, tmp_path: Path) -> None:
    file = tmp_path / "plain.txt"
    file.write_text("x", encoding="utf-8")
    for command in (["ingest", write(tmp_path, "a.txt", gazette(PERSONNEL))], ["stats"]):
        result = cli(*command, "--db", file / "gongbao.db")
        assert result.exit_code == 2, result.output
        assert "plain.txt" in result.stderr
        assert isinstance(result.exception, SystemExit)


def test_ingest_exits_non_zero_when_any_file_was_not_ingested(cli, tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", gazette(PERSONNEL))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = cli("ingest", good, empty)
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr
    assert _documents(cli) > 0  # the good file still went in


@pytest.mark.sqlite_file
@pytest.mark.parametrize("fmt", ["atom", "md"])
def test_other_export_formats_refuse_the_database_too(loaded, db: Path, fmt: str) -> None:
    before = _documents(loaded)
    result = loaded("export", "--format", fmt, "--out", db)
    assert result.exit_code == 2
    assert "database" in result.stderr
    assert _documents(loaded) == before


def test_a_folder_export_writes_whole_files_only(loaded, tmp_path: Path) -> None:
    out = tmp_path / "md"
    assert loaded("export", "--format", "md", "--out", out).exit_code == 0
    names = [p.name for p in out.iterdir()]
    assert len(names) == _documents(loaded) and not [n for n in names if n.startswith(".")]
