"""What an office takes to a spreadsheet and tracks: search results and duties as CSV (from the pages and from
`gongbao search --csv`), duties filtered as an office asks (overdue on a day, due in a window, without a deadline,
by deadline), and the agencies with their counts."""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from gongbao.export.tables import DUTY_FIELDS, HIT_FIELDS
from gongbao.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

DAY = "2023-06-01"  # the day the questions are asked on (deadlines of the samples lie on both sides of it)
AGENCY = "省生态环境厅"


@pytest.fixture(scope="module")
def client(samples_db: Path | str) -> Iterator[TestClient]:
    with TestClient(create_app(samples_db)) as c:
        yield c


def rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "a byte-order mark: spreadsheets read the Chinese as UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_search_results_download_as_csv(client: TestClient) -> None:
    params = {"q": "罚款", "limit": 20}
    hits = client.get("/api/search", params=params).json()["hits"]
    answer = client.get("/search.csv", params=params)
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    table = rows(answer.text)
    assert list(table[0]) == list(HIT_FIELDS)
    assert [(r["citation"], r["document_id"], int(r["start_line"])) for r in table] == [
        (h["citation"], h["document_id"], h["source"]["start_line"]) for h in hits
    ]
    assert "/search.csv?" in client.get("/search", params=params).text  # the page links to it


def test_duties_download_as_csv_whole(client: TestClient) -> None:
    total = client.get("/api/duties", params={"agency": AGENCY, "limit": 1}).json()["total"]
    table = rows(client.get("/duties.csv", params={"agency": AGENCY}).text)
    assert list(table[0]) == list(DUTY_FIELDS)
    assert len(table) == total > 1, "every duty, not one page"
    assert {r["agency"] for r in table} == {"山西省生态环境厅"}


def test_duties_download_as_an_excel_workbook(client: TestClient) -> None:
    from openpyxl import load_workbook

    table = rows(client.get("/duties.csv", params={"agency": AGENCY}).text)
    answer = client.get("/duties.xlsx", params={"agency": AGENCY})
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(answer.content), read_only=True).active
    got = list(sheet.iter_rows(values_only=True))
    assert list(got[0]) == list(DUTY_FIELDS)
    assert [(r[0], r[3]) for r in got[1:]] == [(r["agency"], r["task"]) for r in table]
    assert all(isinstance(r[3], str) for r in got[1:]), "a task is text, never a formula or a number"


def test_a_workbook_never_runs_gazette_text_as_a_formula() -> None:
    from openpyxl import load_workbook

    from gongbao.export.tables import to_xlsx

    book = to_xlsx([{"agency": '=HYPERLINK("http://x")', "task": "各部门\x07落实"}], ("agency", "task"))
    (_header, row) = load_workbook(io.BytesIO(book)).active.iter_rows()
    assert row[0].data_type == "s" and row[0].value.startswith("=HYPERLINK")
    assert row[1].value == "各部门落实"


def test_duties_are_tracked_as_an_office_asks(client: TestClient) -> None:
    base = {"agency": AGENCY, "as_of": DAY, "limit": 100}
    everything = client.get("/api/duties", params=base).json()
    dated = [d for d in everything["duties"] if d["deadline"]]
    assert dated and len(dated) < len(everything["duties"])
    overdue = client.get("/api/duties", params={**base, "overdue": "true"}).json()
    assert overdue["total"] == sum(d["deadline"] < DAY for d in dated) == everything["counts"]["overdue"]
    assert all(d["deadline"] < DAY for d in overdue["duties"])
    window = client.get("/api/duties", params={**base, "due_after": DAY, "due_before": "2025-12-31"}).json()
    assert all(DAY <= d["deadline"] <= "2025-12-31" for d in window["duties"])
    undated = client.get("/api/duties", params={**base, "no_deadline": "true"}).json()
    assert undated["total"] == len(everything["duties"]) - len(dated)
    by_deadline = client.get("/api/duties", params={**base, "sort": "deadline"}).json()["duties"]
    deadlines = [d["deadline"] for d in by_deadline]
    assert deadlines[: len(dated)] == sorted(d["deadline"] for d in dated) and not any(deadlines[len(dated) :])
    part = client.get("/api/duties", params={"agency": "生态环境", "limit": 1}).json()
    assert part["total"] >= everything["total"], "a part of the name finds the agency"


def test_agencies_list_their_counts(client: TestClient) -> None:
    agencies = client.get("/api/agencies", params={"as_of": DAY, "limit": 5}).json()["agencies"]
    assert [a["count"] for a in agencies] == sorted((a["count"] for a in agencies), reverse=True)
    for a in agencies:
        duties = client.get("/api/duties", params={"agency": a["agency"], "as_of": DAY, "limit": 100}).json()
        dated = [d["deadline"] for d in duties["duties"] if d["deadline"]]
        assert (a["count"], a["dated"], a["overdue"]) == (duties["total"], len(dated), sum(x < DAY for x in dated))
    page = client.get("/agencies").text
    first = agencies[0]
    assert f'<a href="{first["url"]}">{first["agency"]}</a>' in page.replace("&amp;", "&")


def test_the_cli_prints_search_results_as_csv(samples_db: Path | str) -> None:
    from typer.testing import CliRunner

    from gongbao.cli.main import app

    def cli(*args: str):
        return CliRunner().invoke(app, [*args, "--db", str(samples_db)])

    as_json = json.loads(cli("search", "罚款", "--json", "--limit", "5").stdout)
    result = cli("search", "罚款", "--csv", "--limit", "5")
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(table[0]) == list(HIT_FIELDS)
    assert [(int(r["rank"]), r["citation"], r["file"]) for r in table] == [
        (n, h["citation"], h["source"]["file"]) for n, h in enumerate(as_json, 1)
    ]


def test_an_agency_has_a_feed_of_the_documents_that_give_it_duties(client: TestClient) -> None:
    import feedparser

    duties = client.get("/api/duties", params={"agency": AGENCY, "limit": 100}).json()["duties"]
    feed = feedparser.parse(client.get("/feeds/duties.atom", params={"agency": AGENCY}).content)
    assert not feed.bozo, feed.bozo_exception
    assert AGENCY in feed.feed.title
    linked = {e.link.rsplit("/", 1)[1] for e in feed.entries}
    assert linked == {d["document_id"] for d in duties}
    assert 'href="/feeds/duties.atom?agency=' in client.get("/duties", params={"agency": AGENCY}).text
