"""Server bounds: the source view is a window of a large file, never all of it; the Host header is never echoed into
a redirect; 405 says what is allowed; days are YYYY-MM-DD; the server's own refusals (malformed request, a huge
header) carry the security headers too."""

from __future__ import annotations

import contextlib
import socket
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from gazette_text import PROMULGATION, gazette, write
from gongbao.web.pages import MAX_SOURCE_LINES, SOURCE_PAGE_LINES
from web_helpers import build_db, serve

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

LONG = 2 * MAX_SOURCE_LINES  # lines in the long source


@pytest.fixture(scope="module")
def long_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long")
    filler = "".join(f"第{n}行的内容，用来把文件写长。\n" for n in range(LONG))
    write(folder, "long.txt", filler + gazette(PROMULGATION))  # (an article of 1000 款 crashes structure._zh)
    return build_db(folder / "gongbao.db", [folder / "long.txt"])


@pytest.fixture(scope="module")
def client(long_db: Path) -> Iterator[TestClient]:
    from gongbao.web.app import create_app

    with TestClient(create_app(long_db), follow_redirects=False) as c:
        yield c


def _shown_lines(html: str) -> int:
    return html.count('class="ln')


def test_the_source_view_is_a_window_around_the_marked_lines(client: TestClient) -> None:
    response = client.get("/source/long.txt", params={"lines": "7000-7010"})
    assert response.status_code == 200
    html = response.text
    assert 'id="L7000"' in html and 'id="L7010"' in html and html.count('class="ln sel') == 11
    assert 'id="L1"' not in html and f'id="L{LONG}"' not in html
    assert _shown_lines(html) <= SOURCE_PAGE_LINES


def test_the_source_view_pages_through_a_long_file(client: TestClient) -> None:
    html = client.get("/source/long.txt").text
    assert 'id="L1"' in html and _shown_lines(html) == SOURCE_PAGE_LINES
    assert f"?start={SOURCE_PAGE_LINES + 1}" in html
    later = client.get("/source/long.txt", params={"start": SOURCE_PAGE_LINES + 1}).text
    assert f'id="L{SOURCE_PAGE_LINES + 1}"' in later and 'id="L1"' not in later


def test_the_json_twin_of_the_source_is_capped(client: TestClient) -> None:
    data = client.get("/source/long.txt.json").json()
    assert len(data["lines"]) == MAX_SOURCE_LINES and data["line_count"] > MAX_SOURCE_LINES
    assert client.get("/source/long.txt.json", params={"lines": "20-22"}).json()["lines"][0]["n"] == 20


def test_the_host_header_is_never_echoed_into_a_redirect(client: TestClient) -> None:
    for url in ("/documents/", "/api/stats/"):  # the framework redirects a trailing slash away
        response = client.get(url, headers={"host": "evil.example"})
        assert response.is_redirect
        location = response.headers["location"]
        assert "evil.example" not in location and location.startswith("/") and not location.startswith("//")


def test_a_405_says_what_is_allowed(client: TestClient) -> None:
    response = client.post("/api/stats")
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]
    assert "content-security-policy" in response.headers


@pytest.mark.parametrize(("as_of", "status"), [("0", 422), ("20240101", 422), ("2024-13-01", 422), ("2024-01-01", 200)])
def test_as_of_must_be_a_day_written_yyyy_mm_dd(client: TestClient, as_of: str, status: int) -> None:
    doc = client.get("/api/documents").json()["documents"][0]["id"]
    assert client.get(f"/api/documents/{doc}/status", params={"as_of": as_of}).status_code == status


def _raw(base: str, request: bytes) -> bytes:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # refused while still sending
            s.sendall(request)
        chunks = []
        with contextlib.suppress(ConnectionResetError):  # the server closes after its answer
            while chunk := s.recv(65536):
                chunks.append(chunk)
    return b"".join(chunks)


def test_the_servers_own_refusals_carry_the_security_headers(long_db: Path) -> None:
    with serve(long_db) as base:
        malformed = _raw(base, b"NOT HTTP AT ALL\r\n\r\n")
        huge = _raw(base, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 2_000_000 + b"\r\n\r\n")
    assert malformed.startswith(b"HTTP/1.1 400")
    assert huge.startswith(b"HTTP/1.1 431")
    for answer in (malformed, huge):
        assert b"content-security-policy:" in answer.lower() and b"x-content-type-options: nosniff" in answer


@pytest.fixture(scope="module")
def huge_paragraph_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    from gongbao.web.app import create_app

    folder = tmp_path_factory.mktemp("huge")
    huge = "违反本条例规定的，处以罚款。" * 20_000  # one paragraph of 280 000 characters
    text = PROMULGATION.replace("适用本条例.", "适用本条例." + huge, 1)
    db = build_db(folder / "gongbao.db", [write(folder, "huge.txt", gazette(text))])
    with TestClient(create_app(db)) as c:
        docs = c.get("/api/documents", params={"type": "条例"}).json()["documents"]
        yield c, docs[0]["id"]


def test_highlighting_a_huge_paragraph_is_bounded(huge_paragraph_client) -> None:
    from gongbao.web.render import MAX_MARKS

    client, doc = huge_paragraph_client
    response = client.get(f"/documents/{doc}", params={"q": "罚"})
    assert response.status_code == 200
    assert 0 < response.text.count("<mark>") <= MAX_MARKS
    assert "违反本条例规定的，处以罚款。" * 100 in response.text  # the text is all there, marked or not
