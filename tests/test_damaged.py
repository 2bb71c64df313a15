"""A damaged or foreign database is reported, not used: opening checks what the file is, `check` runs SQLite's
integrity checks and compares the tables, `ingest` refuses to write into damage, a full disk is named."""

from __future__ import annotations

import json
import sqlite3  # the tests damage files by hand; the product reaches SQLite only through store/
from pathlib import Path

import pytest

from gazette_text import PERSONNEL, PROMULGATION, gazette, write
from gongbao.ingest import ingest_paths
from gongbao.store import Store

pytestmark = pytest.mark.sqlite_file  # damage to the embedded database file


@pytest.fixture
def built(cli, db: Path, tmp_path: Path) -> Path:
    result = cli("ingest", write(tmp_path, "issue.txt", gazette(PROMULGATION + PERSONNEL)))
    assert result.exit_code == 0, result.output
    return db


def _tamper(db: Path, *statements: str) -> None:
    con = sqlite3.connect(db)
    for sql in statements:
        con.execute(sql)
    con.commit()
    con.close()


def _answered(result) -> None:
    """A clear message and a non-zero status, not a traceback."""
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


@pytest.fixture
def another_file(tmp_path: Path) -> Path:
    return write(tmp_path, "other.txt", gazette(PERSONNEL.replace("董刚", "张三")))


def test_a_foreign_sqlite_file_is_named_and_left_untouched(cli, tmp_path: Path, another_file: Path) -> None:
    foreign = tmp_path / "app.db"
    _tamper(foreign, "CREATE TABLE users (name TEXT)", "INSERT INTO users VALUES ('x')")
    before = foreign.read_bytes()
    for command in (["stats"], ["ingest", another_file]):
        result = cli(*command, "--db", foreign)
        _answered(result)
        assert "not a gongbao database" in result.stderr
    assert foreign.read_bytes() == before


@pytest.mark.parametrize(
    ("statement", "said"),
    [
        ("UPDATE meta SET value = 'abc' WHERE key = 'schema_version'", "not a number"),
        ("UPDATE meta SET value = '99' WHERE key = 'schema_version'", "newer gongbao"),
        ("DROP TABLE provisions", "provisions missing"),
    ],
    ids=["version-not-a-number", "newer", "table-dropped"],
)
def test_a_damaged_or_newer_database_is_refused_by_readers_and_writers(
    cli, built: Path, another_file: Path, statement: str, said: str
) -> None:
    _tamper(built, statement)
    for command in (["stats"], ["check"], ["search", "条例"], ["ingest", another_file]):
        result = cli(*command)
        _answered(result)
        assert said in result.stderr, (command, result.stderr)
    with sqlite3.connect(built) as con:  # nothing was recreated or rewritten
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert ("provisions" in tables) == (said != "provisions missing")


def test_check_compares_the_tables(cli, built: Path) -> None:
    _tamper(
        built, "PRAGMA foreign_keys = OFF", "DELETE FROM provisions WHERE rowid IN (SELECT min(rowid) FROM provisions)"
    )
    result = cli("check")
    _answered(result)
    assert "search units whose provision is not stored" in result.stderr


def test_check_finds_index_rows_missing(cli, built: Path) -> None:
    _tamper(built, "DELETE FROM search_units WHERE rowid IN (SELECT max(rowid) FROM search_units)")
    result = cli("check")
    _answered(result)
    assert "full-text" in result.stderr


def _corrupt(db: Path) -> None:
    """Garbage over pages 4 to the middle of the file (the schema and the version stay readable, as after a bad
    disk sector in a table)."""
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    start, end = 3 * page, max(4 * page, len(data) // 2)
    data[start:end] = bytes((i * 7919) % 251 for i in range(end - start))
    db.write_bytes(bytes(data))


def test_a_corrupted_file_is_reported_and_ingest_refuses(cli, built: Path, another_file: Path) -> None:
    _corrupt(built)
    result = cli("check")
    _answered(result)
    assert "integrity_check" in result.stderr
    result = cli("ingest", another_file)
    _answered(result)
    assert "damaged" in result.stderr
    for command in (["list"], ["search", "条例"], ["export"]):  # the damage is met on reading: one line, status 2
        result = cli(*command)
        assert result.exit_code in (0, 2) and not isinstance(result.exception, Exception), result.exception


def _full_after(store: Store, pages: int) -> Store:
    """The database can grow by `pages` pages only (what SQLite reports when the disk is full)."""
    (count,) = store.db.execute("PRAGMA page_count").fetchone()
    store.db.execute(f"PRAGMA max_page_count = {count + pages}")
    return store


def test_a_full_disk_stops_the_batch_names_itself_and_keeps_the_database(built: Path, tmp_path: Path) -> None:
    big = write(tmp_path, "big.txt", gazette(PROMULGATION.replace("山西省", "山西省太原市") * 40))
    later = write(tmp_path, "later.txt", gazette(PERSONNEL))
    with Store(built) as store:
        before = store.stats()
        report = ingest_paths(_full_after(store, 2), [big, later])
    assert report.stopped and "disk is full" in report.stopped
    assert report.not_attempted == 1 and not report.results
    with Store(built) as store:
        assert store.stats() == before
        assert store.integrity(quick=False) == []


def test_ingest_on_a_full_disk_exits_non_zero(cli, built: Path, tmp_path: Path, monkeypatch) -> None:
    import gongbao.cli.main as main

    opened = main.open_corpus
    monkeypatch.setattr(main, "open_corpus", lambda target: _full_after(opened(target), 2))
    big = write(tmp_path, "big.txt", gazette(PROMULGATION.replace("山西省", "山西省太原市") * 40))
    result = cli("ingest", big)
    assert result.exit_code == 1
    assert "disk is full" in result.stderr
    assert json.loads(cli("stats", "--json").stdout)["sources"] == 1
