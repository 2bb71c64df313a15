"""store + ingest: idempotent, replacing and atomic ingest per file, bad files reported, readers during a write."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import apsw
import pytest

from gazette_text import NOTICE_WITH_MEASURES, PERSONNEL, PROMULGATION, gazette, write
from gongbao.ingest import ingest_file, ingest_paths
from gongbao.store import Corpus, Store, StoreError, open_corpus
from gongbao.store.sqlite.store import SCHEMA_VERSION


def _snapshot(store: Corpus) -> dict:
    docs = store.list_documents()
    return {
        "documents": store.count("documents"),
        "provisions": store.count("provisions"),
        "sources": store.count("sources"),
        "doc_ids": [d.id for d in docs],
        "provision_ids": {d.id: [p.id for p in store.provisions(d.id)] for d in docs},
        "titles": [d.title for d in docs],
    }


def test_ingesting_the_same_file_twice_changes_nothing(tmp_path: Path, db: Path | str) -> None:
    path = write(tmp_path, "issue.txt", gazette(PROMULGATION))
    with open_corpus(db) as store:
        first = ingest_file(store, path)
        before = _snapshot(store)
        second = ingest_file(store, path)
        after = _snapshot(store)
    assert before == after
    assert (first.status, second.status) == ("added", "unchanged")
    assert before["documents"] == 2
    assert before["sources"] == 1


def test_same_file_in_a_fresh_database_gets_the_same_ids(tmp_path: Path) -> None:
    path = write(tmp_path, "issue.txt", gazette(PROMULGATION + PERSONNEL))
    snapshots = []
    for name in ("a.db", "b.db"):
        with open_corpus(tmp_path / name) as store:
            ingest_file(store, path)
            snapshots.append(_snapshot(store))
    assert snapshots[0] == snapshots[1]


def test_changed_file_replaces_its_old_version(tmp_path: Path, db: Path | str) -> None:
    path = write(tmp_path, "issue.txt", gazette(PROMULGATION))
    with open_corpus(db) as store:
        ingest_file(store, path)
        write(tmp_path, "issue.txt", gazette(NOTICE_WITH_MEASURES))
        result = ingest_file(store, path)
        snap = _snapshot(store)
        (doc,) = store.list_documents()
        provisions = store.provisions(doc.id)
        sha = store.source_sha("issue.txt")
    assert result.status == "replaced"
    assert snap["sources"] == 1
    assert snap["titles"] == ["山西省人民政府办公厅关于印发山西省道路交通事故社会救助基金管理办法的通知"]
    assert snap["provisions"] == len(provisions)
    assert any("救助基金" in p.text for p in provisions)
    assert not any("民营经济" in p.text for p in provisions)
    assert sha == hashlib.sha256(path.read_bytes()).hexdigest()


def test_batch_with_bad_files_ingests_the_good_one_and_reports_the_others(tmp_path: Path, db: Path | str) -> None:
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    good = write(tmp_path, "good.txt", gazette(PROMULGATION))
    with open_corpus(db) as store:
        report = ingest_paths(store, [binary, empty, good])
        files = [s["file"] for s in store.sources()]
    assert [r.file for r in report.results] == ["good.txt"]
    assert files == ["good.txt"]
    assert len(report.errors) == 2
    for error, path in zip(report.errors, (binary, empty), strict=True):
        assert "\n" not in error
        assert str(path) in error


_KILLED_INGEST = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from gongbao.ingest import ingest_paths
    from gongbao.store import Store

    original = Store._insert_document
    calls = []

    def slow_insert(self, doc, ordinal):
        original(self, doc, ordinal)
        calls.append(doc.id)
        if len(calls) == 1:
            print("INSERTED-FIRST-DOCUMENT", flush=True)
            time.sleep(60)

    Store._insert_document = slow_insert
    store = Store(sys.argv[1])
    ingest_paths(store, [Path(sys.argv[2])])
    print("FINISHED", flush=True)
    """
)


@pytest.mark.parametrize("had_old_version", [False, True])
def test_killed_ingest_leaves_the_database_as_it_was(tmp_path: Path, sqlite_db: Path, had_old_version: bool) -> None:
    path = write(tmp_path, "issue.txt", gazette(PROMULGATION))
    before = None
    if had_old_version:
        with Store(sqlite_db) as store:
            ingest_file(store, path)
            before = _snapshot(store)
        write(tmp_path, "issue.txt", gazette(NOTICE_WITH_MEASURES + PERSONNEL))
    else:
        Store(sqlite_db).close()
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED_INGEST, str(sqlite_db), str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        marker = proc.stdout.readline()
        assert marker.strip() == "INSERTED-FIRST-DOCUMENT"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    with Store(sqlite_db) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        if had_old_version:
            assert _snapshot(store) == before
        else:
            assert store.count("sources") == 0
            assert store.count("documents") == 0
            assert store.count("provisions") == 0


def test_reader_can_read_while_a_writer_holds_a_write_transaction(tmp_path: Path, sqlite_db: Path) -> None:
    path = write(tmp_path, "issue.txt", gazette(PROMULGATION))
    with Store(sqlite_db) as store:
        ingest_file(store, path)
        documents, provisions = store.count("documents"), store.count("provisions")
    writer = Store(sqlite_db)
    try:
        writer.db.execute("PRAGMA cache_size = 10")  # a large write spills to the file before commit
        writer.db.execute("BEGIN IMMEDIATE")
        writer.db.execute("DELETE FROM provisions")
        writer.db.executemany(
            "INSERT INTO regions VALUES (?, ?, ?, ?)", [("issue.txt", "gap", n, n) for n in range(1, 20001)]
        )
        reader = Store(sqlite_db, readonly=True)
        try:
            reader.db.setbusytimeout(200)
            assert reader.db.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
            assert (reader.count("documents"), reader.count("provisions")) == (documents, provisions)
            doc = reader.list_documents()[0]
            assert reader.document(doc.id) is not None
        except apsw.BusyError as e:  # pragma: no cover - the failure this test exists for
            pytest.fail(f"reader blocked by the writer: {e}")
        finally:
            reader.close()
        writer.db.execute("ROLLBACK")
    finally:
        writer.close()


def test_a_database_of_an_older_schema_is_rebuilt_from_its_sources(tmp_path: Path, sqlite_db: Path) -> None:
    path = write(tmp_path, "issue.txt", gazette(PROMULGATION))
    with Store(sqlite_db) as store:
        ingest_paths(store, [path])
        before = [(d.id, d.title) for d in store.list_documents()]
        # what an older version left behind: its version number, and no table for what it did not know yet
        store.db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        store.db.execute("DROP TABLE relations")
    path.unlink()  # the upgrade needs only what the database holds
    with pytest.raises(StoreError, match="older version"):
        Store(sqlite_db, readonly=True)
    with Store(sqlite_db) as store:
        assert [(d.id, d.title) for d in store.list_documents()] == before
        law = store.find_document("山西省民营经济发展促进条例")
        assert [r["type"] for r in store.relations_of(law.id)["incoming"]] == ["promulgates"]
        version = store.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        assert version == str(SCHEMA_VERSION)


def test_a_server_database_gets_its_schema_by_recorded_migrations(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    import psycopg

    from conftest import new_target
    from gongbao.store.postgres.schema import MIGRATIONS

    url = new_target(request, "postgres", tmp_path)
    with pytest.raises(StoreError, match="empty database"):
        open_corpus(url, readonly=True)
    open_corpus(url).close()
    open_corpus(url).close()  # a second writer finds nothing to do
    with psycopg.connect(url) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
        assert versions == list(range(1, len(MIGRATIONS) + 1))
        conn.execute("INSERT INTO schema_migrations VALUES (%s, 'later')", (len(MIGRATIONS) + 1,))
    with pytest.raises(StoreError, match="newer gongbao"):
        open_corpus(url, readonly=True)
