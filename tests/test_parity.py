"""The two backends hold to one contract (bluebell's parity idea): the export of the samples is byte-identical
from SQLite and from PostgreSQL, every development question gets the same hits, and on PostgreSQL two writers of
files that cite each other, at the same moment, leave them linked both ways."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import new_target, samples_on
from gazette_text import gazette, write
from gongbao.export.jsonl import write_jsonl
from gongbao.ingest import ingest_file
from gongbao.search import search
from gongbao.store import open_corpus
from gongbao.store.postgres import store as pg_store

QUESTIONS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "questions"


def _export(target: Path | str) -> str:
    out = io.StringIO()
    with open_corpus(target, readonly=True) as store:
        write_jsonl(store, out)
    return out.getvalue()


def test_the_export_of_the_samples_is_byte_identical_from_both_backends(request: pytest.FixtureRequest) -> None:
    sqlite, postgres = _export(samples_on(request, "sqlite")), _export(samples_on(request, "postgres"))
    assert sqlite.count("\n") > 100
    assert postgres == sqlite


def _questions() -> list[str]:
    files = sorted(QUESTIONS.glob("seed_*_questions.json"))
    return [q["question"] for f in files for q in json.loads(f.read_text(encoding="utf-8"))]


@pytest.mark.skipif(not QUESTIONS.is_dir(), reason=f"no development questions at {QUESTIONS}")
def test_every_development_question_gets_the_same_hits_from_both_backends(request: pytest.FixtureRequest) -> None:
    questions = _questions()
    assert len(questions) >= 20
    with (
        open_corpus(samples_on(request, "sqlite"), readonly=True) as sqlite,
        open_corpus(samples_on(request, "postgres"), readonly=True) as postgres,
    ):
        for q in questions:
            a, b = search(sqlite, q, limit=20), search(postgres, q, limit=20)
            assert a.hits, q
            assert [h.to_dict() for h in b.hits] == [h.to_dict() for h in a.hits], q
            assert (b.total, b.facets) == (a.total, a.facets), q


# ---------------------------------------------------------------------------------- several writers at once

LAW_A = """
山西省甲项管理条例
（2023年11月30日山西省第十四届人民代表大会常务委员会第六次会议通过）
第一条　为了规范甲项管理，依据《山西省乙项管理条例》，制定本条例。
第二条　本条例自2024年1月1日起施行。
"""
LAW_B = """
山西省乙项管理条例
（2023年11月30日山西省第十四届人民代表大会常务委员会第六次会议通过）
第一条　为了规范乙项管理，参照《山西省甲项管理条例》第一条，制定本条例。
第二条　本条例自2024年1月1日起施行。
"""


def _links(target: str) -> dict[str, set[str]]:
    """Title → titles of the documents it cites that were resolved."""
    with open_corpus(target, readonly=True) as store:
        docs = {d.id: d.title for d in store.list_documents()}
        return {docs[i]: {docs[r["target_id"]] for r in store.references_of(i) if r.get("target_id")} for i in docs}


def _mutual(tmp_path: Path) -> list[Path]:
    return [write(tmp_path, "a.txt", gazette(LAW_A)), write(tmp_path, "b.txt", gazette(LAW_B))]


def test_files_citing_each_other_written_at_once_by_two_writers_are_linked_both_ways(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hard interleaving, forced: both files are committed before either writer resolves its references."""
    target = new_target(request, "postgres", tmp_path)
    open_corpus(target).close()
    both_committed = threading.Barrier(2, timeout=30)
    resolve = pg_store.resolve_pending

    def resolve_after_both(*args, **kwargs):
        both_committed.wait()
        return resolve(*args, **kwargs)

    monkeypatch.setattr(pg_store, "resolve_pending", resolve_after_both)
    errors: list[BaseException] = []

    def writer(path: Path) -> None:
        try:
            with open_corpus(target) as store:
                ingest_file(store, path)
        except BaseException as e:  # reported below: a thread's failure must fail the test
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(p,)) for p in _mutual(tmp_path)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert _links(target) == {
        "山西省甲项管理条例": {"山西省乙项管理条例"},
        "山西省乙项管理条例": {"山西省甲项管理条例"},
    }


def test_two_ingest_processes_at_once_on_one_server_database(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    target = new_target(request, "postgres", tmp_path)
    gongbao = Path(sys.executable).with_name("gongbao")
    procs = [
        subprocess.Popen([str(gongbao), "ingest", str(p), "--db", target], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for p in _mutual(tmp_path)
    ]  # fmt: skip
    for p in procs:
        _out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    assert _links(target) == {
        "山西省甲项管理条例": {"山西省乙项管理条例"},
        "山西省乙项管理条例": {"山西省甲项管理条例"},
    }


def test_ingest_with_two_parsing_processes_stores_what_one_process_stores(
    request: pytest.FixtureRequest, tmp_path: Path, db: Path | str
) -> None:
    from gongbao.ingest import ingest_paths, sample_paths

    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"\x00\x01PK\x03\x04" * 50)
    files = [*sample_paths()[:3], bad]
    with open_corpus(db) as store:
        report = ingest_paths(store, files, jobs=2)
        again = ingest_paths(store, files, jobs=2)  # nothing changed: nothing parsed again
    assert [r.status for r in report.results] == ["added"] * 3
    assert [r.status for r in again.results] == ["unchanged"] * 3
    assert len(report.errors) == 1 and str(bad) in report.errors[0]
    one = tmp_path / "one.db"
    with open_corpus(one) as store:
        ingest_paths(store, files)
    assert _export(db) == _export(one)
