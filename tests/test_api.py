"""The HTTP API and the server-rendered pages, in-process (no browser): what a client of /api and a reader of the
pages rely on, and schemathesis over /openapi.json (no 5xx, responses as documented).

Two databases: `hand`, built from the small gazettes below (expected values read off these texts), and `samples`,
which `create_app` builds itself from the bundled samples because the path given does not exist yet."""

from __future__ import annotations

import json
import logging
import re
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode

from conftest import BACKENDS, new_target
from gazette_text import NOTICE_WITH_MEASURES, PERSONNEL, PROMULGATION, gazette, write
from gongbao.ingest import ingest_paths, sample_paths
from gongbao.search import search
from gongbao.store import open_corpus
from gongbao.web.app import create_app
from web_helpers import ARTIFACTS, build_db

with warnings.catch_warnings():  # starlette nudges towards httpx2; the pinned httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

LAW_TITLE = "山西省测试管理条例"
LAW = """
山西省测试管理条例
（2023年11月30日山西省第十四届人民代表大会常务委员会第六次会议通过）
第一章　总　则
第一条　为了规范测试管理工作，制定本条例。
第二条　县级以上人民政府负责本行政区域内的测试管理工作。
有关部门应当按照各自职责做好相关工作。
第三条　测试单位不得实施下列行为：
（一）伪造测试数据；
（二）拒绝接受监督检查。
第二章　附　则
第四条　本条例自2024年1月1日起施行。
"""
PROMULGATED = "山西省民营经济发展促进条例"
ANNOUNCEMENT = "山西省人民代表大会常务委员会公告"
CLI_HIT_KEYS = {"document_id", "title", "provision_id", "label", "citation", "snippet", "score", "source"}


@pytest.fixture(scope="module", params=BACKENDS)
def hand_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path | str:
    folder = tmp_path_factory.mktemp("hand")
    files = [
        write(folder, "issue.txt", gazette(PROMULGATION + NOTICE_WITH_MEASURES + PERSONNEL)),
        write(folder, "law.txt", gazette(LAW)),
    ]
    return build_db(new_target(request, request.param, folder), files)


@pytest.fixture(scope="module")
def hand(hand_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(hand_db)) as client:
        yield client


@pytest.fixture(scope="module", params=BACKENDS)
def samples_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path | str:
    # not there yet (an empty server database): the app builds it
    return new_target(request, request.param, tmp_path_factory.mktemp("samples"))


@pytest.fixture(scope="module")
def samples(samples_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(samples_db)) as client:
        yield client


def doc_id(client: TestClient, title: str) -> str:
    docs = client.get("/api/documents", params={"per_page": 100}).json()["documents"]
    (found,) = [d["id"] for d in docs if d["title"] == title]
    return found


def flat(nodes: list[dict]) -> Iterator[dict]:
    for n in nodes:
        yield n
        yield from flat(n["children"])


# ------------------------------------------------------------------------------------------ the API


def test_missing_database_is_built_from_the_bundled_samples(samples: TestClient, samples_db: Path) -> None:
    sources = samples.get("/api/sources").json()["sources"]
    with open_corpus(samples_db, readonly=True) as store:
        assert store.count("sources") == len(sample_paths())
    assert [s["file"] for s in sources] == [p.name for p in sample_paths()]
    assert all(s["document_count"] == len(s["documents"]) > 0 for s in sources)
    for s in sources:
        assert all(1 <= d["start_line"] <= d["end_line"] <= s["line_count"] for d in s["documents"])


def test_stats_are_the_store_counts(samples: TestClient, samples_db: Path) -> None:
    with open_corpus(samples_db, readonly=True) as store:
        expected = store.stats()
    assert samples.get("/api/stats").json() == json.loads(json.dumps(expected, ensure_ascii=False))


def test_documents_are_filtered_and_paged(hand: TestClient) -> None:
    notices = hand.get("/api/documents", params={"type": "通知"}).json()
    assert notices["total"] == 3
    assert {d["doc_type"] for d in notices["documents"]} == {"通知"}
    one = hand.get("/api/documents", params={"type": "通知", "limit": 1, "offset": 1}).json()
    assert (one["total"], one["limit"], one["offset"]) == (3, 1, 1)
    assert [d["id"] for d in one["documents"]] == [notices["documents"][1]["id"]]
    third = hand.get(one["next"]).json()  # the next link keeps the filter
    assert [d["id"] for d in third["documents"]] == [notices["documents"][2]["id"]] and third["next"] is None
    assert hand.get(third["previous"]).json()["documents"] == one["documents"]
    old = hand.get("/api/documents", params={"type": "通知", "per_page": 1, "page": 2}).json()  # deprecated names
    assert old["documents"] == one["documents"] and (old["limit"], old["offset"]) == (1, 1)
    by_year = hand.get("/api/documents", params={"year": 2022}).json()["documents"]
    assert by_year and all(d["date"].startswith("2022") for d in by_year)
    law_file = hand.get("/api/documents", params={"file": "law.txt"}).json()["documents"]
    assert [d["title"] for d in law_file] == [LAW_TITLE]


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/documents?per_page=101", "per_page"),
        ("/api/documents?limit=101", "limit"),
        ("/api/documents?offset=-1", "offset"),
        ("/api/documents?year=twenty", "year"),
        ("/api/documents?page=0", "page"),
        ("/api/search?q=罚款&limit=101", "limit"),
        ("/api/search?q=罚款&year=2022-23", "year"),
        ("/api/search?q=罚款&laws=maybe", "laws"),
        ("/api/search?q=" + "罚" * 201, "q"),
        ("/search.json?q=罚款&page=-1", "page"),
    ],
)
def test_bad_parameters_are_a_422_naming_the_parameter(hand: TestClient, url: str, param: str) -> None:
    response = hand.get(url)
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["status"]) == ("invalid_parameter", 422)
    assert param in error["message"] and re.search(r"[\u4e00-\u9fff]", error["message"]), "said in Chinese"
    assert [e["param"] for e in error["details"]] == [param]


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/search?q=罚款&year=2023-2021", "year"),
        ("/api/documents?year=2024-2020", "year"),
        ("/search?q=罚款&year=2023-2021", "year"),
        ("/api/sources/law.txt?start=20&end=10", "end"),
        ("/source/law.txt.json?lines=30-20", "lines"),
        ("/api/duties?due_after=2025-01-01&due_before=2024-01-01", "due_before"),
    ],
)
def test_a_reversed_range_is_a_400_saying_why(hand: TestClient, url: str, param: str) -> None:
    response = hand.get(url, headers={"accept": "application/json"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_range" and error["details"][0]["param"] == param
    assert "颠倒" in error["message"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/documents/nope",
        "/api/documents/nope/provisions/chp_1",
        "/documents/nope.json",
        "/api/sources/nope.txt",
        "/source/nope.txt.json",
        "/api/no-such-endpoint",
    ],
)
def test_unknown_ids_are_a_json_404(hand: TestClient, url: str) -> None:
    response = hand.get(url)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == "not_found" and re.search(r"[\u4e00-\u9fff]", error["message"])


def test_unknown_page_is_an_html_404(hand: TestClient) -> None:
    response = hand.get("/documents/nope")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "找不到" in response.text


def test_document_has_its_provisions_as_a_tree_with_citations(hand: TestClient) -> None:
    law = hand.get(f"/api/documents/{doc_id(hand, LAW_TITLE)}").json()
    assert law["document"]["doc_type"] == "条例"
    assert law["document"]["dates"] == {"adopted": "2023-11-30", "effective": "2024-01-01"}
    chapters = [n for n in law["provisions"] if n["kind"] == "chapter"]
    assert [(c["label"], c["heading"]) for c in chapters] == [("第一章", "总则"), ("第二章", "附则")]
    assert [a["label"] for a in chapters[0]["children"]] == ["第一条", "第二条", "第三条"]
    article_2 = chapters[0]["children"][1]
    assert [p["text"] for p in article_2["children"]] == [
        "县级以上人民政府负责本行政区域内的测试管理工作。",
        "有关部门应当按照各自职责做好相关工作。",
    ]
    citations = {n["id"]: n["citation"] for n in flat(law["provisions"])}
    assert citations["chp_1__art_2"] == "《山西省测试管理条例》第二条"
    assert citations["chp_1__art_2__para_2"] == "《山西省测试管理条例》第二条第二款"
    assert citations["chp_1__art_3__para_1__point_2"].startswith("《山西省测试管理条例》第三条")
    assert citations["chp_1__art_3__para_1__point_2"].endswith("第二项")
    assert [e["label"] for e in law["toc"]] == ["第一章", "第一条", "第二条", "第三条", "第二章", "第四条"]


def test_a_promulgated_text_is_cited_by_its_own_title(hand: TestClient) -> None:
    notice = hand.get(
        f"/api/documents/{doc_id(hand, '山西省人民政府办公厅关于印发山西省道路交通事故社会救助基金管理办法的通知')}"
    )
    articles = [n for n in flat(notice.json()["provisions"]) if n["kind"] == "article"]
    assert articles[0]["citation"] == "《山西省道路交通事故社会救助基金管理办法》第一条"


def test_document_relations_link_both_ways(hand: TestClient) -> None:
    law_id, announcement_id = doc_id(hand, PROMULGATED), doc_id(hand, ANNOUNCEMENT)
    incoming = hand.get(f"/api/documents/{law_id}").json()["relations"]["incoming"]
    assert [(r["type"], r["document_id"]) for r in incoming] == [("promulgates", announcement_id)]
    assert incoming[0]["url"] == f"/documents/{announcement_id}"
    assert "现予公布" in incoming[0]["evidence"]
    outgoing = hand.get(f"/api/documents/{announcement_id}").json()["relations"]["outgoing"]
    assert [(r["type"], r["document_id"]) for r in outgoing] == [("promulgates", law_id)]


def test_the_short_provision_ids_the_page_shows_resolve(hand: TestClient) -> None:
    law = doc_id(hand, LAW_TITLE)
    page = hand.get(f"/documents/{law}").text
    short = re.findall(r'<span class="alias" id="([^"]+)">', page)
    assert "art_3" in short
    for alias in short:
        data = hand.get(f"/api/documents/{law}/provisions/{alias}")
        assert data.status_code == 200, alias
        assert data.json()["provision"]["anchor"] == alias
    redirect = hand.get(f"/documents/{law}/provisions/art_3", follow_redirects=False)
    assert redirect.status_code == 302 and redirect.headers["location"].endswith("#art_3")


def test_one_provision_with_its_place_and_lines(hand: TestClient) -> None:
    law = doc_id(hand, LAW_TITLE)
    data = hand.get(f"/api/documents/{law}/provisions/chp_1__art_3").json()
    assert data["document"]["title"] == LAW_TITLE
    assert [p["id"] for p in data["path"]] == ["chp_1"]
    provision = data["provision"]
    assert provision["citation"] == "《山西省测试管理条例》第三条"
    assert [i["text"] for i in flat(provision["children"]) if i["kind"] == "item"] == [
        "伪造测试数据；",
        "拒绝接受监督检查。",
    ]
    source = provision["source"]
    raw = gazette(LAW).split("\n")  # law.txt as written
    assert raw[source["start_line"] - 1].startswith("第三条")
    assert raw[source["end_line"] - 1].startswith("（二）")


def test_search_gives_the_hits_of_the_cli(hand: TestClient, hand_db: Path) -> None:
    body = hand.get("/api/search", params={"q": "平等对待", "limit": 5}).json()
    with open_corpus(hand_db, readonly=True) as store:
        expected = [h.to_dict() for h in search(store, "平等对待", limit=5).hits]
    assert expected, "the query must have hits for this test to mean anything"
    for hit, want in zip(body["hits"], expected, strict=True):
        assert hit.keys() >= CLI_HIT_KEYS
        same = [k for k in want if k not in ("source", "status", "status_reason")]  # status: the API's object
        assert {k: hit[k] for k in same} == {k: want[k] for k in same}
        assert (hit["status"]["label"], hit["status"]["reason"]) == (
            (want["status"], want["status_reason"]) if want["status"] else ("无独立效力", hit["status"]["reason"])
        )
        assert {k: hit["source"][k] for k in want["source"]} == want["source"]
    assert body["hits"][0]["citation"] == f"《{PROMULGATED}》第三条"


def test_search_filters_narrow_the_hits(hand: TestClient) -> None:
    everything = hand.get("/api/search", params={"q": "人民政府"}).json()
    assert len(everything["facets"]["doc_type"]) > 1
    notices = hand.get("/api/search", params={"q": "人民政府", "type": "通知"}).json()
    assert notices["total"] == everything["facets"]["doc_type"]["通知"]
    assert {h["doc_type"] for h in notices["hits"]} == {"通知"}
    laws = hand.get("/api/search", params={"q": "人民政府", "laws": "true", "year": "2023"}).json()
    assert laws["hits"] and all(h["kind"] in ("article", "paragraph", "item") for h in laws["hits"])
    assert all(h["date"].startswith("2023") for h in laws["hits"])
    page_2 = hand.get("/api/search", params={"q": "人民政府", "limit": 2, "offset": 2}).json()
    assert [h["provision_id"] for h in page_2["hits"]] == [h["provision_id"] for h in everything["hits"][2:4]]
    assert hand.get(page_2["previous"]).json()["hits"] == hand.get("/api/search?q=人民政府&limit=2").json()["hits"]


def without_links(data: dict) -> dict:
    """An answer without its paging links (they name the path that was asked)."""
    return {k: v for k, v in data.items() if k not in ("next", "previous")}


def test_json_twins_return_what_the_pages_show(hand: TestClient) -> None:
    law = doc_id(hand, LAW_TITLE)
    assert hand.get(f"/documents/{law}.json").json() == hand.get(f"/api/documents/{law}").json()
    asked = hand.get(f"/documents/{law}", headers={"accept": "application/json"})  # one resource, HTML or JSON
    assert asked.headers["content-type"].startswith("application/json")
    assert asked.json() == hand.get(f"/api/documents/{law}").json()
    twin = hand.get("/search.json", params={"q": "测试", "type": "条例"}).json()
    api = hand.get("/api/search", params={"q": "测试", "type": "条例"}).json()
    assert without_links(twin) == without_links(api)
    page = hand.get("/search", params={"q": "测试", "type": "条例"}).text
    assert all(h["citation"] in page for h in twin["hits"])
    documents = hand.get("/documents.json?type=通知").json()
    assert without_links(documents) == without_links(hand.get("/api/documents?type=通知").json())
    home = hand.get("/index.json").json()
    assert home["stats"]["documents"] == 6
    lines = hand.get("/source/law.txt.json", params={"lines": "7-9"}).json()
    assert [(line["n"], line["text"]) for line in lines["lines"]] == [
        (7, "第一条　为了规范测试管理工作，制定本条例。"),
        (8, ""),
        (9, "第二条　县级以上人民政府负责本行政区域内的测试管理工作。"),
    ]
    for url in ("/", "/search?q=测试", "/documents", f"/documents/{law}", "/source/law.txt"):
        alternate = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)"', hand.get(url).text)
        assert alternate and hand.get(alternate.group(1).replace("&amp;", "&")).status_code == 200, url


# ------------------------------------------------------------------------------------------ the pages


def test_pages_are_chinese_html_that_work_without_javascript(hand: TestClient) -> None:
    for url in ("/", "/search?q=测试", "/documents", f"/documents/{doc_id(hand, LAW_TITLE)}", "/source/law.txt"):
        response = hand.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert '<html lang="zh-CN">' in response.text
        assert '<form class="big-search" action="/search" method="get"' in response.text or (
            '<form class="mini-search" action="/search" method="get"' in response.text
        )


def test_search_page_shows_citations_marked_snippets_facets_and_pages(samples: TestClient) -> None:
    q, q_url = "人民政府", "%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C"
    page = samples.get("/search", params={"q": q}).text
    api = samples.get("/api/search", params={"q": q}).json()
    assert api["total"] > 10
    first = api["hits"][0]
    assert (first["focus"] or first)["citation"] in page
    assert f"<mark>{q}</mark>" in page
    assert f'href="/search?q={q_url}&amp;offset=10"' in page
    facet = re.search(rf'href="(/search\?q={q_url}&amp;type=[^"]+)"', page)
    assert facet, "a facet link that narrows by type"
    narrowed_url = facet.group(1).replace("&amp;", "&")
    chosen = parse_qs(urlsplit(narrowed_url).query)["type"][0]
    narrowed = samples.get(narrowed_url.replace("/search?", "/search.json?")).json()
    # facets count the best 200 candidates of the unfiltered search, so the narrowed search finds at least as many
    assert narrowed["total"] >= api["facets"]["doc_type"][chosen]
    assert {h["doc_type"] for h in narrowed["hits"]} == {chosen}
    second = samples.get("/search.json", params={"q": q, "offset": 10}).json()
    assert second["offset"] == 10
    hits = {(h["document_id"], h["provision_id"]) for h in api["hits"]}
    assert not {(h["document_id"], h["provision_id"]) for h in second["hits"]} & hits


def test_search_page_without_hits_helps(hand: TestClient) -> None:
    page = hand.get("/search", params={"q": "火星殖民", "type": "公告"}).text
    assert "没有找到" in page
    assert "去掉「类型」" in page
    assert 'href="/search?q=%E7%81%AB%E6%98%9F%E6%AE%96%E6%B0%91"' in page  # the same query without filters
    only_marks = hand.get("/search", params={"q": "？！……"}).text
    assert "查询里没有可检索的内容" in only_marks


def test_document_page_has_anchors_toc_citations_and_source_link(hand: TestClient) -> None:
    law = doc_id(hand, LAW_TITLE)
    page = hand.get(f"/documents/{law}").text
    ids = set(re.findall(r' id="([^"]+)"', page))
    toc_targets = re.findall(r'<li class="[^"]*"><a href="#([^"]+)"', page)
    assert toc_targets and set(toc_targets) <= ids
    assert {"chp_1__art_2", "chp_1__art_2__para_2", "chp_1__art_3__para_1__point_1", "art_2"} <= ids
    cites = re.findall(r'<button type="button" class="cite" data-cite="([^"]+)" hidden>', page)
    assert cites == [f"《{LAW_TITLE}》第{n}条" for n in "一二三四"]
    assert 'href="/source/law.txt?lines=1-21#L1"' in page
    assert "<mark>" not in page
    marked = hand.get(f"/documents/{law}", params={"q": "伪造测试数据"}).text
    assert "<mark>伪造测试数据</mark>" in marked  # two terms side by side: one mark


def test_source_page_numbers_every_line_and_marks_the_cited_ones(hand: TestClient) -> None:
    page = hand.get("/source/law.txt", params={"lines": "9-11"}).text
    rows = re.findall(r'<div class="(ln[^"]*)" id="L(\d+)"><a class="no" href="#L\d+">\d+</a>', page)
    assert [int(n) for _cls, n in rows] == list(range(1, 23))
    assert [int(n) for cls, n in rows if "sel" in cls] == [9, 10, 11]
    assert "第二条　县级以上人民政府负责本行政区域内的测试管理工作。" in page


def test_home_shows_the_corpus_at_a_glance(samples: TestClient) -> None:
    page = samples.get("/").text
    stats = samples.get("/api/stats").json()
    assert f"<b>{stats['documents']}</b> 份文件" in page
    for doc_type, count in list(stats["documents_by_type"].items())[:3]:
        assert re.search(rf"{doc_type}<span class=\"count\">{count}</span>", page)
    assert all(p.name in page for p in sample_paths())
    latest = samples.get("/index.json").json()["latest"]
    assert latest and latest == sorted(latest, key=lambda d: d["date"], reverse=True)


# ------------------------------------------------------------------------------------------ serving


def test_answers_follow_the_database_when_a_file_is_ingested_while_serving(tmp_path: Path, db: Path | str) -> None:
    build_db(db, [write(tmp_path, "law.txt", gazette(LAW))])
    with TestClient(create_app(db)) as client:
        assert client.get("/api/search", params={"q": "救助基金"}).json()["total"] == 0
        documents = client.get("/index.json").json()["stats"]["documents"]
        with open_corpus(db) as store:  # another process would do the same: the server only reads
            ingest_paths(store, [write(tmp_path, "notice.txt", gazette(NOTICE_WITH_MEASURES))])
        assert client.get("/api/search", params={"q": "救助基金"}).json()["total"] > 0
        assert client.get("/index.json").json()["stats"]["documents"] == documents + 1
        assert client.get("/api/stats").json()["documents"] == documents + 1


def test_one_log_line_per_request(hand: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="gongbao.access"):
        hand.get("/api/stats")
        hand.get("/search", params={"q": "测试\n伪造"})
    lines = [r.getMessage() for r in caplog.records if r.name == "gongbao.access"]
    assert len(lines) == 2
    assert '"GET /api/stats" 200' in lines[0]
    assert "\n" not in lines[1] and "\\x0a" in lines[1]


def test_head_is_answered_like_get(hand: TestClient) -> None:
    response = hand.head("/api/stats")
    assert response.status_code == 200
    assert response.content == b""


def test_the_cli_does_not_import_the_web_stack() -> None:
    code = "import sys, gongbao.cli.main; print(any(m in sys.modules for m in ('fastapi', 'uvicorn', 'jinja2')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_serve_prints_its_address_and_logs_each_request(hand_db: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    gongbao = Path(sys.executable).with_name("gongbao")
    cmd = [str(gongbao), "serve", "--port", str(port), "--db", str(hand_db)]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                stats = json.load(urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=2))
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
                time.sleep(0.1)
        assert stats["documents"] == 6
        assert urlopen(f"http://127.0.0.1:{port}/search?q=%E6%B5%8B%E8%AF%95").status == 200
    finally:
        server.terminate()
        _out, log = server.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/" in log
    assert '"GET /api/stats" 200' in log
    assert '"GET /search?q=测试" 200' in log


def test_serve_refuses_a_database_it_cannot_open(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    result = cli("serve", "--port", "0", "--db", bad)
    assert result.exit_code == 2
    assert "bad.db" in result.stderr


# ------------------------------------------------------------------------------------------ schemathesis

EXAMPLES_PER_OPERATION = 20  # per generation mode: valid and invalid inputs


def test_schemathesis_finds_no_server_error_and_no_undocumented_response(samples: TestClient) -> None:
    """Every operation of /openapi.json with generated inputs, valid and invalid (schemathesis): no 5xx, and
    statuses, content types and bodies as the schema documents them.  The number of cases is written to
    artifacts/schemathesis.txt."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", samples.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    counts = {"cases": 0, "5xx": 0}

    def check(case: Case) -> None:
        response = case.call()
        counts["cases"] += 1
        counts["5xx"] += response.status_code >= 500
        assert response.status_code < 500, (case.as_curl_command(), response.text[:500])
        if response.status_code == 400:  # a reversed range (2147-2095): the schema's pattern cannot say "ordered"
            assert "颠倒" in response.text, response.text[:300]  # (JSON or, for a page, HTML)
            return
        case.validate_response(response)

    # random path parameters almost never name a real document or file: also run with real ones
    real = {"doc_id": doc_id(samples, "山西省民营经济发展促进条例"), "file": sample_paths()[0].name}
    runs = []
    for operation in operations:
        runs += [(operation, GenerationMode.POSITIVE, None), (operation, GenerationMode.NEGATIVE, None)]
        names = {p.name for p in operation.path_parameters}
        if names and names <= {"doc_id", "file", "provision_id"}:
            fixed = {k: v for k, v in real.items() if k in names}
            runs.append((operation, GenerationMode.POSITIVE, fixed))
    for operation, mode, fixed in runs:
        run = given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed))(check)
        run = settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,  # the same cases on every run: a failure here is reproducible
            database=None,
            suppress_health_check=list(HealthCheck),
        )(run)
        try:
            run()
        except Unsatisfiable:
            if mode is GenerationMode.POSITIVE or operation.query or operation.path_parameters:
                raise  # (an operation without parameters has no invalid input to send)
    ARTIFACTS.parent.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS.parent / "schemathesis.txt").write_text(f"{counts['cases']} cases, {counts['5xx']} 5xx\n")
    assert counts["5xx"] == 0
    assert counts["cases"] >= 300
