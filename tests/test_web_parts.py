"""Long documents are sent in parts (a phone's first page stays small): every provision is on one of the parts,
the contents link to the part that holds each entry, a link to a provision (`?at=`) opens its part, and an
ordinary law is one page."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from gongbao.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

FIRST_PAGE_LIMIT = 300_000  # bytes


@pytest.fixture(scope="module")
def client(samples_db: Path | str) -> Iterator[TestClient]:
    with TestClient(create_app(samples_db)) as c:
        yield c


def all_documents(client: TestClient) -> list[dict]:
    out, url = [], "/api/documents?per_page=100"
    for page in (1, 2, 3):
        out += client.get(url + f"&page={page}").json()["documents"]
    return out


def longest(client: TestClient) -> dict:
    return max(all_documents(client), key=lambda d: d["source"]["end_line"] - d["source"]["start_line"])


def flat(nodes: list[dict]) -> Iterator[dict]:
    for n in nodes:
        yield n
        yield from flat(n["children"])


def whole_json(client: TestClient, doc_id: str) -> dict:
    return client.get(f"/api/documents/{doc_id}", params={"whole": "true"}).json()


def body_ids(html: str) -> set[str]:
    body = html[html.index('<div class="doc-body">') : html.index("</article>")]
    return set(re.findall(r' id="([^"]+)"', body))


def parts_of(client: TestClient, doc_id: str) -> list[str]:
    pages = [client.get(f"/documents/{doc_id}").text]
    while f"part={len(pages) + 1}" in pages[-1]:
        pages.append(client.get(f"/documents/{doc_id}", params={"part": len(pages) + 1}).text)
    return pages


def test_a_long_document_is_sent_in_parts_that_hold_all_of_it(client: TestClient) -> None:
    doc = longest(client)
    first = client.get(f"/documents/{doc['id']}")
    assert len(first.content) <= FIRST_PAGE_LIMIT
    pages = parts_of(client, doc["id"])
    assert len(pages) > 1
    assert client.get(f"/documents/{doc['id']}", params={"part": len(pages) + 1}).status_code == 404
    provisions = list(flat(whole_json(client, doc["id"])["provisions"]))
    seen = [body_ids(p) for p in pages]
    assert set().union(*seen) >= {p["id"] for p in provisions}, "every provision is on some part"
    for p in provisions:
        if not p["children"] and p["text"]:  # a leaf's text is on exactly one part
            holding = [i for i, ids in enumerate(seen) if p["id"] in ids]
            assert len(holding) == 1, p["id"]


def test_the_contents_and_links_to_a_provision_open_the_part_that_holds_it(client: TestClient) -> None:
    doc = longest(client)
    pages = parts_of(client, doc["id"])
    toc = client.get(f"/api/documents/{doc['id']}").json()["toc"]
    last = toc[-1]["anchor"]
    holder = next(i for i, p in enumerate(pages, 1) if last in body_ids(p))
    assert holder > 1
    assert f'href="/documents/{doc["id"]}?part={holder}#{last}"' in pages[0]
    opened = client.get(f"/documents/{doc['id']}", params={"at": last}).text
    assert last in body_ids(opened) and f'aria-current="page">{holder}<' in opened
    hits = client.get("/api/search", params={"q": "远景目标", "limit": 20}).json()["hits"]
    in_doc = [h for h in hits if h["document_id"] == doc["id"]]
    assert in_doc
    for h in in_doc:  # a hit's link names the provision for the server too (a fragment never reaches it)
        anchor = h["url"].rsplit("#", 1)[1]
        assert f"at={anchor}" in h["url"]
        assert anchor in body_ids(client.get(h["url"].split("#")[0]).text)


def test_an_ordinary_law_is_one_page(client: TestClient) -> None:
    law = next(d for d in all_documents(client) if d["doc_type"] == "条例")
    html = client.get(f"/documents/{law['id']}").text
    assert "part=2" not in html and "分部分" not in html
    assert client.get(f"/documents/{law['id']}", params={"part": 2}).status_code == 404


def test_the_whole_of_a_long_document_is_one_link_away_to_print(client: TestClient) -> None:
    doc = longest(client)
    first = client.get(f"/documents/{doc['id']}").text
    assert f'href="/documents/{doc["id"]}?whole=true"' in first
    whole = client.get(f"/documents/{doc['id']}", params={"whole": "true"}).text
    provisions = {p["id"] for p in flat(whole_json(client, doc["id"])["provisions"])}
    assert body_ids(whole) >= provisions
    assert 'rel="next"' not in whole
    contents = re.findall(r'<li class="lvl\d[^"]*"><a href="([^"]+)"', whole)
    assert contents and all(href.startswith("#") for href in contents), "the contents jump within the page"
    assert '<footer class="doc-cite">' in whole  # the citation block prints with it


def test_a_long_documents_json_comes_in_parts_that_hold_all_of_it_once(client: TestClient) -> None:
    doc = longest(client)
    whole = whole_json(client, doc["id"])
    assert whole["part"] == 0 and whole["next"] is None
    answers = [client.get(f"/api/documents/{doc['id']}").json()]
    while answers[-1]["next"]:
        assert len(answers) <= whole["parts"], "next links end"
        answers.append(client.get(answers[-1]["next"]).json())
    assert len(answers) == whole["parts"] > 1
    assert [a["part"] for a in answers] == list(range(1, len(answers) + 1))
    assert answers[0]["previous"] is None and answers[1]["previous"] == answers[0]["next"].replace("part=2", "part=1")
    leaves = [[p["id"] for p in flat(a["provisions"]) if not p["children"]] for a in answers]
    every = [p["id"] for p in flat(whole["provisions"]) if not p["children"]]
    assert sorted(i for part in leaves for i in part) == sorted(every), "each leaf provision in exactly one part"
    assert all(
        len(client.get(f"/api/documents/{doc['id']}", params={"part": n}).content)
        < len(client.get(f"/api/documents/{doc['id']}", params={"whole": "true"}).content)
        for n in (1, 2)
    )
    assert client.get(f"/api/documents/{doc['id']}", params={"part": len(answers) + 1}).status_code == 404


def test_an_ordinary_laws_json_is_whole_in_one_part(client: TestClient) -> None:
    law = next(d for d in all_documents(client) if d["doc_type"] == "条例")
    data = client.get(f"/api/documents/{law['id']}").json()
    assert (data["part"], data["parts"], data["next"], data["previous"]) == (1, 1, None, None)
    assert data["provisions"] == whole_json(client, law["id"])["provisions"]
