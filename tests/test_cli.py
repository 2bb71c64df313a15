"""The gongbao command line, run in-process against a database of the test's own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gazette_text import NOTICE_WITH_MEASURES, PERSONNEL, PROMULGATION, gazette, write
from gongbao.ingest import sample_paths


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    return write(tmp_path, "issue.txt", gazette(PROMULGATION + NOTICE_WITH_MEASURES + PERSONNEL))


@pytest.fixture
def loaded(cli, issue: Path):
    result = cli("ingest", issue)
    assert result.exit_code == 0, result.output
    return cli


def _bad_files(tmp_path: Path) -> list[Path]:
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\xff\x00\xfe" * 100)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    return [binary, empty]


def test_ingest_of_only_bad_files_fails_with_one_line_per_file(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    bad = _bad_files(tmp_path)
    result = cli("ingest", *(p.name for p in bad))
    assert result.exit_code != 0
    lines = result.stderr.splitlines()
    for path, reason in zip(bad, ("binary", "empty"), strict=True):
        assert any(f"{path.name}:" in line and reason in line for line in lines), result.stderr


def test_ingest_error_stays_on_one_line_for_a_long_path(cli, tmp_path: Path) -> None:
    folder = tmp_path / ("gazettes-" + "x" * 150)
    folder.mkdir()
    (binary,) = _bad_files(folder)[:1]
    result = cli("ingest", binary, env={"COLUMNS": "80"})
    assert result.exit_code != 0
    assert any(str(binary) in line and "binary" in line for line in result.stderr.splitlines()), result.stderr


def test_ingest_with_a_bad_file_stores_the_good_one_and_fails(cli, tmp_path: Path, issue: Path) -> None:
    result = cli("ingest", issue, *_bad_files(tmp_path))
    assert result.exit_code == 1, result.output
    assert "binary.txt" in result.stderr
    listed = json.loads(cli("list", "--json").stdout)
    assert len(listed) == 5  # the good file went in


def test_ingest_of_a_folder_takes_its_text_files(cli, tmp_path: Path) -> None:
    folder = tmp_path / "gazettes"
    (folder / "sub").mkdir(parents=True)
    write(folder, "a.txt", gazette(PROMULGATION))
    write(folder / "sub", "b.txt", gazette(PERSONNEL))
    write(folder, "notes.csv", "not,a,gazette\n")  # (.md, .pdf, .docx and .html files are read too)
    assert cli("ingest", folder).exit_code == 0
    stats = json.loads(cli("stats", "--json").stdout)
    assert sorted(f["file"] for f in stats["files"]) == ["a.txt", "b.txt"]


LIST_FILTERS = [
    pytest.param(
        ["--type", "通知"],
        [
            "山西省人民政府办公厅关于印发山西省道路交通事故社会救助基金管理办法的通知",
            "山西省人民政府关于董刚等任免职的通知",
            "山西省人民政府关于梁栋任职的通知",
        ],
        id="type",
    ),
    pytest.param(["--type", "条例"], ["山西省民营经济发展促进条例"], id="type-law"),
    pytest.param(["--year", "2023"], ["山西省人民代表大会常务委员会公告", "山西省民营经济发展促进条例"], id="year"),
    pytest.param(
        ["--issuer", "山西省人民政府办公厅"],
        ["山西省人民政府办公厅关于印发山西省道路交通事故社会救助基金管理办法的通知"],
        id="issuer",
    ),
    pytest.param(["--type", "通知", "--year", "2023"], [], id="no-match"),
]


@pytest.mark.parametrize(("filters", "titles"), LIST_FILTERS)
def test_list_filters(loaded, filters: list[str], titles: list[str]) -> None:
    result = loaded("list", "--json", *filters)
    assert result.exit_code == 0, result.output
    assert [d["title"] for d in json.loads(result.stdout)] == titles


def test_show_prints_metadata_and_outline(loaded) -> None:
    docs = json.loads(loaded("list", "--json", "--type", "条例").stdout)
    result = loaded("show", docs[0]["id"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "山西省民营经济发展促进条例" in out
    assert "第一章" in out and "第二章" in out
    assert "第三条" in out
    assert out.index("第一章") < out.index("第二章")


def test_show_json_is_the_export_form_of_one_document(loaded) -> None:
    docs = json.loads(loaded("list", "--json", "--type", "通知", "--issuer", "办公厅").stdout)
    (doc,) = docs
    result = loaded("show", doc["id"], "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["id"] == doc["id"]
    assert shown["inner_title"] == "山西省道路交通事故社会救助基金管理办法"
    assert shown["doc_number"] == "晋政办发〔2022〕91号"
    assert [p["label"] for p in shown["provisions"] if p["kind"] == "article"] == ["第一条", "第二条", "第三条"]


def test_show_unknown_id_fails_with_a_message(loaded) -> None:
    result = loaded("show", "no-such-document")
    assert result.exit_code != 0
    assert "no-such-document" in result.stderr


def test_stats_json(loaded) -> None:
    result = loaded("stats", "--json")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert stats["sources"] == 1
    assert stats["documents"] == 5
    assert stats["laws"] == 2  # the 条例 and the 通知 with its 办法's articles
    assert stats["documents_by_type"] == {"通知": 3, "公告": 1, "条例": 1}
    assert stats["provisions_by_kind"]["article"] == 4 + 3


def test_check_passes_on_clean_data(loaded) -> None:
    result = loaded("check")
    assert result.exit_code == 0, result.output


def test_check_fails_on_an_article_gap(cli, tmp_path: Path) -> None:
    text = gazette(
        """
山西省城乡垃圾管理条例
(2023年11月30日山西省第十四届人民代表大会常务委员会第六次会议通过)
第一条　为了加强城乡垃圾管理,制定本条例.
第二条　本省行政区域内城乡垃圾管理工作,适用本条例.
第四条　本条例自2024年1月1日起施行.
"""
    )
    assert cli("ingest", write(tmp_path, "gap.txt", text)).exit_code == 0
    result = cli("check")
    assert result.exit_code != 0
    assert "第二条" in result.output and "第四条" in result.output


def test_export_with_an_unknown_format_exits_2(loaded) -> None:
    result = loaded("export", "--format", "xml")
    assert result.exit_code == 2
    assert "xml" in result.stderr


def test_ingest_without_files_builds_the_database_from_the_bundled_samples(cli, tmp_path: Path) -> None:
    db = tmp_path / "fresh" / "gongbao.db"
    assert cli("ingest", use_db=False, env={"GONGBAO_DB": str(db)}).exit_code == 0
    result = cli("stats", "--json", use_db=False, env={"GONGBAO_DB": str(db)})
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert sorted(f["file"] for f in stats["files"]) == sorted(p.name for p in sample_paths())
    assert all(f["documents"] > 0 for f in stats["files"])
