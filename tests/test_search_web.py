"""The search page over the bundled samples: the home page's example searches each find a good first hit, the
in-force filter keeps only texts in force, and the status facet counts the hits by status and narrows to one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gongbao.search import search
from gongbao.store import open_corpus
from gongbao.web.app import create_app
from gongbao.web.grammar import STATUS_CODES
from gongbao.web.pages import EVERYDAY_EXAMPLES

IN_FORCE = {STATUS_CODES[w] for w in ("现行有效", "已被修改", "部分失效")}


@pytest.fixture(scope="module")
def client(samples_db: Path | str) -> Iterator:
    from starlette.testclient import TestClient

    with TestClient(create_app(samples_db)) as c:
        yield c


def test_every_example_on_the_home_page_finds_a_good_first_hit(client, samples_db: Path | str) -> None:
    examples = client.get("/index.json").json()["examples"]
    assert set(EVERYDAY_EXAMPLES) <= set(examples)
    assert any(e.startswith("《") for e in examples) and any(e.endswith("条") for e in examples)
    home = client.get("/").text
    with open_corpus(samples_db, readonly=True) as store:
        for example in examples:
            assert f">{example}</a>" in home
            result = search(store, example, limit=1)
            assert result.hits and not result.weak, example
            if example.startswith("《"):  # a title: the text itself first
                assert result.hits[0].title in example or example[1:-1] in result.hits[0].citation
            elif example.endswith("条"):  # a citation: that article first
                assert example.endswith(result.hits[0].label)


def test_the_in_force_filter_keeps_only_texts_in_force(client) -> None:
    everything = client.get("/search.json", params={"q": "罚款", "limit": 100}).json()
    in_force = client.get("/search.json", params={"q": "罚款", "limit": 100, "in_force": "true"}).json()
    assert in_force["hits"] and all(h["status"]["code"] in IN_FORCE for h in in_force["hits"])
    assert in_force["total"] <= everything["total"]
    assert in_force["filters"]["in_force"] is True
    page = client.get("/search", params={"q": "罚款", "in_force": "true"}).text
    assert "只看现行有效" in page  # the chip that takes the filter off


def test_the_status_facet_counts_hits_by_status_and_narrows_to_one(client) -> None:
    data = client.get("/search.json", params={"q": "管理", "limit": 100}).json()
    facet = data["facets"]["status"]
    assert facet and sum(facet.values()) <= data["total"]
    status, count = next(iter(facet.items()))
    narrowed = client.get("/search.json", params={"q": "管理", "limit": 100, "status": status}).json()
    assert narrowed["total"] == count
    assert {h["status"]["code"] for h in narrowed["hits"]} == {STATUS_CODES[status]}
    assert "效力" in client.get("/search", params={"q": "管理"}).text
