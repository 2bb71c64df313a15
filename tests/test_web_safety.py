"""Safety of the web layer: text from a gazette is never markup, the source view reads nothing but ingested files,
input sizes are bounded, and every response carries a restrictive Content-Security-Policy.

The hostile gazette below is hand-written: a 通知 whose title, headings and paragraphs carry script tags, event
handler attributes, javascript: links and attribute breakouts, and a 条例 whose article text does too."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from gazette_text import gazette, write
from gongbao.web.app import create_app
from web_helpers import browser, build_db, require_chromium, serve

with warnings.catch_warnings():  # starlette nudges towards httpx2; the pinned httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

NOTICE_TITLE = "山西省人民政府办公厅关于<script>alert(1)</script>整治工作的通知"
HOSTILE = """
山西省人民政府办公厅关于<script>alert(1)</script>整治工作的通知
晋政办发〔2022〕99号
各市、县人民政府，省人民政府各委、办、厅、局：
现将<img src=x onerror=alert(2)>有关事项通知如下，请<b onmouseover=alert(3)>认真</b>贯彻执行。
一、加强<a href="javascript:alert(4)">监督</a>检查
各地要开展专项整治，"><svg onload=alert(5)>不得拖延；' onfocus='alert(6)' autofocus='。
山西省人民政府办公厅
2022年11月21日
"""
HOSTILE_LAW = """
山西省<i>标记</i>测试条例
（2023年11月30日山西省第十四届人民代表大会常务委员会第六次会议通过）
第一条　为了<script>document.title='pwned'</script>规范测试，制定本条例。
第二条　测试单位不得<iframe src="javascript:alert(7)"></iframe>伪造数据。
第三条　本条例自2024年1月1日起施行。
"""
# what would run or inject if the text were not escaped (each must appear only escaped)
RAW_MARKUP = re.compile(
    r"<script>alert|<script>document|<img src=x|<b onmouseover|<a href=\"javascript|<svg onload|<iframe|<i>标记"
)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    files = [write(folder, "hostile.txt", gazette(HOSTILE)), write(folder, "law.txt", gazette(HOSTILE_LAW))]
    return build_db(folder / "gongbao.db", files)


@pytest.fixture(scope="module")
def client(hostile_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(hostile_db)) as c:
        yield c


def hostile_pages(client: TestClient) -> list[str]:
    docs = client.get("/api/documents").json()["documents"]
    assert NOTICE_TITLE in [d["title"] for d in docs], "the hostile title reached the store as written"
    urls = ["/", "/documents", "/source/hostile.txt", "/source/law.txt?lines=1-9"]
    urls += [f"/documents/{d['id']}" for d in docs]
    urls += [f"/documents/{d['id']}?q=" + quote("<script>alert") for d in docs]
    urls += ["/search?q=" + quote(q) for q in ("alert", "监督", "伪造数据", "<script>", '"><svg onload=alert(9)>')]
    return urls


def test_no_gazette_text_reaches_the_html_as_markup(client: TestClient) -> None:
    for url in hostile_pages(client):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not RAW_MARKUP.search(response.text), url
    notice = client.get("/search?q=alert").text
    assert "&lt;script&gt;" in notice  # shown as text, so a reader sees what the gazette says
    assert "<mark>alert</mark>" in notice  # the search marks are the only tags made from text


def test_no_script_runs_in_the_browser(client: TestClient, hostile_db: Path) -> None:
    require_chromium()
    urls = hostile_pages(client)
    dialogs: list[str] = []
    with serve(hostile_db) as site, browser() as chromium:
        context = chromium.new_context(base_url=site)
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for url in urls:
            page.goto(url)
            page.wait_for_load_state("load")
            injected = page.locator("body script, img[src=x], svg[onload], iframe, b[onmouseover], a[href^=javascript]")
            assert injected.count() == 0, url
            assert page.title() != "pwned", url
            page.mouse.move(200, 300)  # hover handlers, had any been created
        context.close()
    assert dialogs == []


@pytest.mark.parametrize(
    "url",
    [
        "/source/..%2F..%2Fetc%2Fpasswd",
        "/source/..%2F..%2Fetc%2Fpasswd.json",
        "/source/%2Fetc%2Fpasswd",
        "/source/../../etc/passwd",
        "/source/%2E%2E",
        "/source/hostile.txt%00.json",
        "/api/sources/..%2Fgongbao.db",
        "/api/sources/%2Fetc%2Fhostname",
        "/static/..%2F..%2Fapi.py",
        "/static/../api.py",
    ],
)
def test_the_source_view_reads_only_ingested_files(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "root:" not in response.text


def test_a_file_beside_the_ingested_ones_is_not_served(client: TestClient, hostile_db: Path) -> None:
    (hostile_db.parent / "secret.txt").write_text("机密", encoding="utf-8")
    assert client.get("/source/secret.txt").status_code == 404
    assert client.get("/source/hostile.txt").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/search?q=" + "法" * 201,
        "/search?q=" + "法" * 201,
        "/search.json?q=" + "法" * 201,
        "/api/search?q=罚款&limit=101",
        "/search?q=罚款&limit=1000",
        "/api/documents?per_page=101",
        "/documents?per_page=100000",
        "/api/search?q=罚款&offset=100001",
        "/documents/x?q=" + "法" * 201,
    ],
)
def test_query_length_and_page_size_are_bounded(client: TestClient, url: str) -> None:
    assert client.get(url).status_code == 422


def test_a_page_at_the_bounds_is_served(client: TestClient) -> None:
    assert client.get("/api/search", params={"q": "法" * 200, "limit": 100}).status_code == 200
    assert client.get("/api/documents", params={"per_page": 100}).status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/", "/search?q=监督", "/documents", "/api/stats", "/index.json", "/static/style.css", "/nope", "/api/nope"],
)
def test_every_response_has_the_security_headers(client: TestClient, url: str) -> None:
    headers = client.get(url).headers
    csp = {d.split()[0]: d.split()[1:] for d in headers["content-security-policy"].split("; ")}
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no eval
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    """What the policy would block must not be needed: scripts and styles come from /static only."""
    for url in [*hostile_pages(client), "/docs"]:
        html = client.get(url).text
        assert re.findall(r"<script(?![^>]*\ssrc=\"/static/)[^>]*>", html) == [], url
        assert " style=" not in html and "<style" not in html, url
        # real tags (escaped text has no literal <), their quoted values blanked (they cannot hold a literal ")
        tags = [re.sub(r'"[^"]*"', '""', t) for t in re.findall(r"<[a-zA-Z][^>]*>", html)]
        assert not [t for t in tags if re.search(r"\son[a-z]+\s*=", t)], url
        assert "javascript:" not in " ".join(re.findall(r'href="([^"]*)"', html)), url
