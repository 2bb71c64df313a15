"""The policy graph in the HTTP API and the pages: status (and the status filter), references, who cites a
document, duties by agency, figures.  Over the bundled samples (expected values read off their texts) and over a
small hand-written gazette whose agency names carry markup."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from gazette_text import gazette, write
from gongbao.web.app import create_app
from web_helpers import build_db

with warnings.catch_warnings():  # starlette nudges towards httpx2; the pinned httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

LAW = "山西省城乡垃圾管理条例"
TRIAL = "山西省住房和城乡建设厅关于印发《住宅物业服务质量星级评价管理办法（试行）》的通知"


@pytest.fixture(scope="module")
def samples(samples_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(samples_db)) as client:
        yield client


def _id(client: TestClient, title: str) -> str:
    for page in (1, 2):
        docs = client.get("/api/documents", params={"per_page": 100, "page": page}).json()["documents"]
        found = [d["id"] for d in docs if d["title"] == title]
        if found:
            return found[0]
    raise AssertionError(title)


def test_documents_can_be_filtered_by_their_status_today(samples: TestClient) -> None:
    ended = samples.get("/api/documents", params={"status": "失效", "per_page": 100}).json()
    assert TRIAL in {d["title"] for d in ended["documents"]}  # 试行期两年 from 2022-09-18: expired, not repealed
    assert {(d["status"]["code"], d["status"]["label"]) for d in ended["documents"]} == {("expired", "失效")}
    by_code = samples.get("/api/documents", params={"status": "expired", "per_page": 100}).json()
    assert by_code["documents"] == ended["documents"]
    assert ended["total"] == len(ended["documents"])
    in_force = samples.get("/api/documents", params={"status": "现行有效", "type": "条例"}).json()
    assert LAW in {d["title"] for d in in_force["documents"]}
    assert samples.get("/api/documents", params={"status": "in force"}).status_code == 422
    page = samples.get("/documents", params={"status": "失效"})
    assert page.status_code == 200 and "st-ended" in page.text


def test_status_on_a_day(samples: TestClient) -> None:
    law = _id(samples, LAW)
    before = samples.get(f"/api/documents/{law}/status", params={"as_of": "2023-01-01"}).json()
    assert (before["status"]["code"], before["status"]["label"]) == ("not_yet_in_force", "尚未施行")
    assert before["status"]["reason"].startswith("将于")
    now = samples.get(f"/api/documents/{law}/status").json()["status"]
    assert (now["code"], now["reason_code"]) == ("in_force", "in_force_since") and now["since"]
    notice = _id(samples, "关于《山西省城乡垃圾管理条例（草案）》的说明")
    assert samples.get(f"/api/documents/{notice}/status").json()["status"]["code"] == "none"
    bad = samples.get(f"/api/documents/{law}/status", params={"as_of": "2023-02-30"})
    assert bad.status_code == 422 and "as_of" in bad.json()["error"]["message"]
    assert samples.get("/api/documents/nosuchid/status").status_code == 404


def test_who_cites_a_law_and_what_it_cites(samples: TestClient) -> None:
    law = _id(samples, LAW)
    cited = samples.get(f"/api/documents/{law}/cited-by").json()
    assert {"promulgates", "explains", "reviews"} <= {r["type"] for r in cited["relations"]}
    assert all(c["url"].startswith("/documents/") for c in cited["cited_by"])
    refs = samples.get(f"/api/documents/{law}/references").json()
    external = {r["title"] for r in refs["references"] if r["external"]}
    assert "中华人民共和国固体废物污染环境防治法" in external
    detail = samples.get(f"/api/documents/{law}").json()
    assert detail["status"]["code"] == "in_force" and detail["duties"]


def test_duties_of_an_agency_a_page_at_a_time(samples: TestClient) -> None:
    first = samples.get("/api/duties", params={"agency": "省生态环境厅", "limit": 10}).json()
    assert first["total"] > 10 and len(first["duties"]) == 10 and first["next"]
    assert {d["agency"] for d in first["duties"]} == {"山西省生态环境厅"}
    second = samples.get(first["next"]).json()
    assert second["offset"] == 10 and second["filters"]["agency"] == "省生态环境厅"
    assert not {(d["task"], d["start_line"]) for d in first["duties"]} & {
        (d["task"], d["start_line"]) for d in second["duties"]
    }
    assert samples.get("/api/duties", params={"per_page": 500}).status_code == 422
    assert samples.get("/api/duties", params={"role": "boss"}).status_code == 422
    page = samples.get("/duties", params={"agency": "省生态环境厅"})
    assert page.status_code == 200 and "山西省生态环境厅" in page.text
    assert samples.get("/duties.json", params={"agency": "省生态环境厅"}).json()["total"] == first["total"]


def test_figures_flag_values_that_may_have_lost_a_decimal_point(samples: TestClient) -> None:
    report = _id(samples, "关于山西省2020年国民经济和社会发展计划执行情况与2021年国民经济和社会发展计划草案的报告")
    figures = samples.get(f"/api/documents/{report}/figures", params={"limit": 100}).json()["figures"]
    assert any(f["value"] == 176519 and f["suspect"] for f in figures)
    page = samples.get(f"/documents/{report}").text
    last_part = re.search(r'href="([^"#]*)#figures">指标数据', page)  # a long report: at the end of its last part
    if last_part:
        page = samples.get(last_part.group(1).replace("&amp;", "&")).text
    assert "小数点可能丢失" in page


def test_document_page_shows_status_references_and_duties(samples: TestClient) -> None:
    page = samples.get(f"/documents/{_id(samples, LAW)}").text
    assert "现行有效" in page and "引用的文件" in page and "职责分工" in page
    assert "中华人民共和国固体废物污染环境防治法" in page


MARKUP = """
山西省人民政府关于印发山西省测试实施方案的通知
晋政发〔2023〕9号
各市、县人民政府，省人民政府各委、办、厅、局：
现将《山西省测试实施方案》印发给你们，请认真贯彻执行。
山西省人民政府
2023年3月1日
山西省测试实施方案
一、重点任务
（一）推进测试。加快测试工作。（<script>alert(1)</script>省测试厅、<b>省测评局</b>等按职责分工负责）
"""


def test_agency_names_with_markup_are_shown_as_text(tmp_path: Path) -> None:
    db = build_db(tmp_path / "gongbao.db", [write(tmp_path, "markup.txt", gazette(MARKUP))])
    with TestClient(create_app(db)) as client:
        duties = client.get("/api/duties").json()["duties"]
        assert any("<b>" in d["agency"] for d in duties)  # kept as printed in the data
        for url in ("/duties", f"/documents/{duties[0]['document_id']}"):
            html = client.get(url).text
            assert "<script>alert" not in html and "<b>省测评局" not in html
            assert "&lt;b&gt;" in html
