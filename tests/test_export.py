"""The JSONL export contract of DESIGN.md §3, which other tools depend on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gazette_text import NOTICE_WITH_MEASURES, PERSONNEL, PROMULGATION, gazette, last_text_line, line_of, write
from gongbao.cli.main import app
from gongbao.ingest import sample_paths

DOC_KEYS = {"id", "title", "inner_title", "doc_type", "issuer", "doc_number", "dates", "source", "provisions",
            "references", "relations", "duties", "figures", "status", "level", "warnings"}  # fmt: skip
WARNING_KEYS = {"stage", "message", "start_line", "end_line"}
SOURCE_KEYS = {"file", "sha256", "start_line", "end_line"}
PROVISION_KEYS = {"id", "kind", "number", "label", "heading", "text", "parent", "start_line", "end_line"}
KINDS = {"part", "chapter", "section", "article", "paragraph", "item", "subitem", "heading", "block"}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _export(tmp_path: Path, files: list[Path]) -> list[dict]:
    runner = CliRunner()
    db, out = tmp_path / "x.db", tmp_path / "export.jsonl"
    ingest = runner.invoke(app, ["ingest", *map(str, files), "--db", str(db)])
    assert ingest.exit_code == 0, ingest.output
    result = runner.invoke(app, ["export", "--format", "jsonl", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    raw = out.read_text(encoding="utf-8")
    assert raw.endswith("\n")
    return [json.loads(line) for line in raw.splitlines()]


def _line_counts(files: list[Path]) -> dict[str, int]:
    counts = {}
    for f in files:
        data = f.read_bytes()
        counts[f.name] = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    return counts


def check_contract(docs: list[dict], line_counts: dict[str, int]) -> None:
    assert docs
    doc_ids = [d["id"] for d in docs]
    assert len(doc_ids) == len(set(doc_ids))
    for d in docs:
        assert set(d) == DOC_KEYS, d["title"]
        assert isinstance(d["id"], str) and d["id"]
        assert isinstance(d["title"], str) and d["title"] and "\n" not in d["title"]
        assert d["inner_title"] is None or isinstance(d["inner_title"], str)
        for key in ("doc_type", "issuer", "doc_number"):
            assert d[key] is None or isinstance(d[key], str)
        assert isinstance(d["dates"], dict)
        assert all(ISO.match(v) for v in d["dates"].values()), d["dates"]
        assert isinstance(d["references"], list) and isinstance(d["relations"], list)
        src = d["source"]
        for w in d["warnings"]:
            assert set(w) == WARNING_KEYS and src["start_line"] <= w["start_line"] <= w["end_line"] <= src["end_line"]
        assert set(src) == SOURCE_KEYS
        assert re.fullmatch(r"[0-9a-f]{64}", src["sha256"])
        assert 1 <= src["start_line"] <= src["end_line"] <= line_counts[src["file"]]
        seen: set[str] = set()
        for p in d["provisions"]:
            assert set(p) == PROVISION_KEYS, p
            assert p["kind"] in KINDS
            assert p["id"] not in seen, p["id"]
            assert p["parent"] is None or p["parent"] in seen, (p["id"], p["parent"])
            seen.add(p["id"])
            assert p["number"] is None or isinstance(p["number"], int)
            assert isinstance(p["label"], str) and isinstance(p["text"], str)
            assert p["heading"] is None or isinstance(p["heading"], str)
            assert src["start_line"] <= p["start_line"] <= p["end_line"] <= src["end_line"], p


def test_export_of_a_small_issue_follows_the_contract(tmp_path: Path) -> None:
    text = gazette(PROMULGATION + NOTICE_WITH_MEASURES + PERSONNEL)
    files = [write(tmp_path, "issue.txt", text)]
    docs = _export(tmp_path, files)
    check_contract(docs, _line_counts(files))
    assert len(docs) == 5
    law = docs[1]
    assert law["title"] == "山西省民营经济发展促进条例"
    assert law["source"]["file"] == "issue.txt"
    assert law["source"]["start_line"] == line_of(text, "山西省民营经济发展促进条例", exact=True)
    assert (law["dates"]["adopted"], law["dates"]["effective"]) == ("2023-11-30", "2024-01-01")
    chapter = law["provisions"][1]
    chapter_line = line_of(text, "第一章　总　则")
    assert {k: chapter[k] for k in ("id", "kind", "number", "label", "heading", "text", "parent")} == {
        "id": "chp_1", "kind": "chapter", "number": 1, "label": "第一章", "heading": "总则", "text": "",
        "parent": None,
    }  # fmt: skip
    assert (chapter["start_line"], chapter["end_line"]) == (chapter_line, chapter_line)
    article = next(p for p in law["provisions"] if p["label"] == "第二条")
    assert article["start_line"] == line_of(text, "第二条　本省行政区域内")
    assert article["text"] == "本省行政区域内促进民营经济发展的相关工作，适用本条例。"
    assert docs[-1]["source"]["end_line"] == last_text_line(text)


def test_export_lines_are_cited_against_the_original_file(tmp_path: Path) -> None:
    """Lines in the export are lines of the file on disk: CRLF and a missing final newline change nothing."""
    text = gazette(PROMULGATION).rstrip("\n").replace("\n", "\r\n")
    files = [write(tmp_path, "crlf.txt", text)]
    docs = _export(tmp_path, files)
    check_contract(docs, _line_counts(files))
    raw_lines = text.split("\r\n")
    for d in docs:
        for p in d["provisions"]:
            if p["kind"] == "article":
                assert raw_lines[p["start_line"] - 1].startswith(p["label"])


@pytest.fixture(scope="module")
def sample_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict], dict[str, int]]:
    files = sample_paths()
    return _export(tmp_path_factory.mktemp("samples"), files), _line_counts(files)


def test_export_of_the_bundled_samples_follows_the_contract(sample_export) -> None:
    docs, counts = sample_export
    check_contract(docs, counts)
    assert {d["source"]["file"] for d in docs} == set(counts)


def test_articles_in_the_samples_start_on_a_line_that_shows_their_label(sample_export) -> None:
    docs, _ = sample_export
    lines = {p.name: p.read_text(encoding="utf-8").split("\n") for p in sample_paths()}
    squeeze = str.maketrans("", "", " \u3000")
    for d in docs:
        file_lines = lines[d["source"]["file"]]
        for p in d["provisions"]:
            if p["kind"] != "article":
                continue
            raw = file_lines[p["start_line"] - 1].translate(squeeze)
            assert raw.startswith(p["label"]), (d["title"], p["label"], raw[:20])
