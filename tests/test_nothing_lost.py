"""Nothing is lost: a file the parser cannot read as it expects is still stored, searchable and flagged, and a stage
that fails on one document costs only that document its structure or links (failures injected with monkeypatch)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import gongbao.pipeline as pipeline
from gazette_text import NOTICE_WITH_MEASURES, PERSONNEL, PROMULGATION, gazette, last_text_line, line_of, write
from gongbao.model import Document
from gongbao.pipeline import ParsedIssue

NO_TITLE = """
这是一段普通的文字，没有任何标题，说明本地区的若干情况。
第二段也只是正文，提到一个独特的词语鹦鹉螺号。
第三段说完了。
"""


def _stages(doc: Document) -> list[str]:
    return [w.stage for w in doc.warnings]


def _covered(issue: ParsedIssue, text: str) -> set[int]:
    """The non-blank source lines that lie in a provision (or title) of some document."""
    lines = set()
    for d in issue.documents:
        lines |= set(range(d.source.start_line, d.source.end_line + 1))
    return {n for n in lines if text.split("\n")[n - 1].strip()}


def test_file_without_a_recognisable_title_is_one_flagged_document(parse_text) -> None:
    text = gazette(NO_TITLE)
    issue = parse_text(text)
    (doc,) = issue.documents
    assert doc.doc_type is None
    assert doc.title.startswith("这是一段普通的文字")
    assert (doc.source.start_line, doc.source.end_line) == (1, last_text_line(text))
    assert _stages(doc) == ["split"]
    assert any("鹦鹉螺号" in p.text for p in doc.provisions)
    assert any("这是一段普通的文字" in p.text for p in doc.provisions)  # the cut title's paragraph is kept in full


def test_short_first_line_becomes_the_title_and_the_structure_is_still_read(parse_text) -> None:
    text = gazette("某某事项若干问题的处理\n第一条　本规定适用于某某事项。\n第二条　本规定自公布之日起施行。\n")
    (doc,) = parse_text(text).documents
    assert doc.title == "某某事项若干问题的处理"
    assert [p.number for p in doc.provisions if p.kind == "article"] == [1, 2]


def test_file_of_page_furniture_only_has_no_document_and_every_line_in_a_region(parse_text) -> None:
    issue = parse_text("—７—\n\n－８－\n")
    assert issue.documents == []
    in_regions = {n for r in issue.regions for n in range(r.start_line, r.end_line + 1)}
    assert in_regions == {1, 2, 3}


def test_structure_failure_keeps_the_document_as_blocks_and_spares_the_others(parse_text, monkeypatch) -> None:
    real = pipeline.parse_provisions

    def failing(paragraphs, inner=None):
        if any("民营经济" in p.text for p in paragraphs):
            raise ValueError("invalid literal for int(): '①'")
        return real(paragraphs, inner)

    monkeypatch.setattr(pipeline, "parse_provisions", failing)
    text = gazette(PROMULGATION + NOTICE_WITH_MEASURES)
    issue = parse_text(text)
    law = next(d for d in issue.documents if d.title == "山西省民营经济发展促进条例")
    notice = next(d for d in issue.documents if "印发" in d.title)
    assert _stages(law) == ["structure"] and "①" in law.warnings[0].message
    assert {p.kind for p in law.provisions} == {"block"}
    assert any(p.start_line == line_of(text, "第三条　各级人民政府") for p in law.provisions)
    assert [p.number for p in notice.provisions if p.kind == "article"] == [1, 2, 3]
    assert not notice.warnings


@pytest.mark.parametrize("stage", ["find_duties", "find_figures", "read_metadata", "expiry"])
def test_a_failing_stage_is_a_warning_of_that_document_only(parse_text, monkeypatch, stage: str) -> None:
    real = getattr(pipeline, stage)

    def failing(*args, **kwargs):
        if "任免" in json.dumps([str(a) for a in args], ensure_ascii=False):
            raise RuntimeError("injected")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, stage, failing)
    issue = parse_text(gazette(PERSONNEL + PROMULGATION))
    flagged = [d.title for d in issue.documents if d.warnings]
    if stage == "expiry":  # only texts with force are asked when they expire: none of these is a 任免 notice
        assert flagged == []
        return
    assert flagged == ["山西省人民政府关于董刚等任免职的通知"]
    assert "injected" in issue.documents[0].warnings[0].message
    assert len(issue.documents) == 4


def test_links_failing_on_one_document_cost_only_its_links(parse_text, monkeypatch) -> None:
    real, real_stream = pipeline.link_issue, pipeline.link_stream

    def failing(docs):
        if any("公告" in d.title for d in docs):
            raise KeyError("injected")
        real(docs)

    def failing_stream(docs):  # the issue's links, a few documents at a time (see pipeline._link)
        for doc in real_stream(docs):
            failing([doc])
            yield doc

    monkeypatch.setattr(pipeline, "link_issue", failing)
    monkeypatch.setattr(pipeline, "link_stream", failing_stream)
    issue = parse_text(gazette(PROMULGATION + NOTICE_WITH_MEASURES))
    announcement, law, notice = issue.documents
    assert _stages(announcement) == ["links"]
    assert not law.warnings and not notice.warnings
    assert [p.kind for p in law.provisions].count("article") == 4


@pytest.mark.parametrize("stage", ["clean", "split"])
def test_a_failing_file_stage_still_stores_every_line(parse_text, monkeypatch, stage: str) -> None:
    def failing(*_args):
        raise IndexError("injected")

    monkeypatch.setattr(pipeline, stage, failing)
    text = gazette(PROMULGATION)
    issue = parse_text(text)
    assert _stages(issue.documents[0]) == [stage]
    nonblank = {n for n, line in enumerate(text.split("\n"), 1) if line.strip()}
    assert _covered(issue, text) == nonblank
    in_provisions = {n for d in issue.documents for p in d.provisions for n in range(p.start_line, p.end_line + 1)}
    titles = {n for d in issue.documents for n in range(d.source.start_line, d.source.start_line + 4)}
    assert nonblank - in_provisions <= titles  # every line but those of titles and their headers is in a provision


def test_article_gap_is_recorded_as_a_numbering_warning(parse_text) -> None:
    text = gazette(PROMULGATION.replace("第三条　", "第五条　").replace("第四条　", "第六条　"))
    law = parse_text(text).documents[1]
    (w,) = law.warnings
    assert w.stage == "numbering" and "第二条" in w.message and "第五条" in w.message
    assert w.start_line == line_of(text, "第二条　") and w.end_line == line_of(text, "第五条　")


def test_ingest_reports_warnings_per_file_and_check_lists_them_with_lines(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = write(tmp_path, "notitle.txt", gazette(NO_TITLE))
    good = write(tmp_path, "good.txt", gazette(NOTICE_WITH_MEASURES))
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\xff" * 50)
    result = cli("ingest", "--json", plain, good, binary)
    assert result.exit_code == 1, result.output  # a file left out: the batch does not look like a success
    rows = {r["file"]: r for r in json.loads(result.stdout)}
    assert rows["good.txt"]["status"] == "added" and rows["good.txt"]["warnings"] == []
    assert rows["notitle.txt"]["status"] == "added" and len(rows["notitle.txt"]["warnings"]) == 1
    assert "no document title" in rows["notitle.txt"]["warnings"][0]
    assert rows["binary.txt"]["status"] == "failed" and "binary" in rows["binary.txt"]["error"]

    table = cli("ingest", plain, env={"COLUMNS": "200"})
    assert "with warnings" in table.stdout and "no document title" in table.stderr

    hits = json.loads(cli("search", "--json", "鹦鹉螺号").stdout)
    assert hits and hits[0]["source"]["file"] == "notitle.txt"

    check = cli("check")
    end = last_text_line(gazette(NO_TITLE))
    assert f"notitle.txt:1-{end}" in check.stdout and "no document title" in check.stdout


def test_export_carries_the_warnings(cli, tmp_path: Path) -> None:
    assert cli("ingest", write(tmp_path, "notitle.txt", gazette(NO_TITLE))).exit_code == 0
    out = tmp_path / "export.jsonl"
    assert cli("export", "--format", "jsonl", "--out", out).exit_code == 0
    (doc,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [w["stage"] for w in doc["warnings"]] == ["split"]
    assert doc["doc_type"] is None
