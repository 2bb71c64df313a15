"""A file's identity in the store is not its bare name: two files of one name from two folders are two sources,
re-runs keep each where it is, and a single file keeps the key (and document ids) it always had."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gazette_text import PERSONNEL, PROMULGATION, gazette, write


@pytest.fixture
def two_folders(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    return write(tmp_path / "a", "issue.txt", gazette(PROMULGATION)), write(
        tmp_path / "b", "issue.txt", gazette(PERSONNEL)
    )


def _stats(cli) -> dict:
    result = cli("stats", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _ids(cli) -> list[str]:
    return sorted(d["id"] for d in json.loads(cli("list", "--json").stdout))


def test_two_files_of_one_name_are_two_sources(cli, two_folders) -> None:
    a, b = two_folders
    result = cli("ingest", a, b)
    assert result.exit_code == 0, result.output
    files = {f["file"]: f["documents"] for f in _stats(cli)["files"]}
    assert set(files) == {"issue.txt", "b/issue.txt"}
    assert all(files.values())
    first = _ids(cli)
    assert cli("ingest", b, a).exit_code == 0  # again, in the other order: nothing swaps
    assert _ids(cli) == first
    assert {f["file"] for f in _stats(cli)["files"]} == {"issue.txt", "b/issue.txt"}
    assert "replaced" not in cli("ingest", a, b).stdout


def test_a_single_file_keeps_its_bare_name_and_a_changed_version_replaces_it(cli, tmp_path: Path) -> None:
    path = write(tmp_path, "issue.txt", gazette(PERSONNEL))
    assert cli("ingest", path).exit_code == 0
    assert [f["file"] for f in _stats(cli)["files"]] == ["issue.txt"]
    write(tmp_path, "issue.txt", gazette(PERSONNEL.replace("董刚", "张三")))
    result = cli("ingest", path)
    assert "replaced" in result.stdout
    assert [f["file"] for f in _stats(cli)["files"]] == ["issue.txt"]


def test_the_same_bytes_moved_to_another_folder_are_the_same_source(cli, tmp_path: Path) -> None:
    path = write(tmp_path, "issue.txt", gazette(PERSONNEL))
    assert cli("ingest", path).exit_code == 0
    ids = _ids(cli)
    (tmp_path / "moved").mkdir()
    moved = Path(shutil.move(path, tmp_path / "moved" / "issue.txt"))
    assert "unchanged" in cli("ingest", moved).stdout
    assert _ids(cli) == ids
    assert [f["file"] for f in _stats(cli)["files"]] == ["issue.txt"]


def test_a_second_source_of_one_name_can_be_read_and_filtered(cli, two_folders) -> None:
    a, b = two_folders
    assert cli("ingest", a, b).exit_code == 0
    listed = json.loads(cli("list", "--json", "--file", "b/issue.txt").stdout)
    assert listed and all(d["source"]["file"] == "b/issue.txt" for d in listed)


def test_the_web_serves_a_source_whose_key_has_a_folder(cli, db: Path, two_folders) -> None:
    import warnings
    from urllib.parse import quote

    from gongbao.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    assert cli("ingest", *two_folders).exit_code == 0
    with TestClient(create_app(db)) as client:
        for url in ("/source/" + quote("b/issue.txt", safe=""), "/source/b/issue.txt.json", "/api/sources/b/issue.txt"):
            response = client.get(url)
            assert response.status_code == 200, (url, response.text[:200])
            assert "梁栋" in response.text  # b's text, not a's
