"""One grammar for the whole API, checked by walking every GET route of /openapi.json over the samples: each JSON
answer is an object with every field its schema declares present (null when unknown), every status the same
object, every list paged by limit/offset with total and next/previous links that work, and every error of one
shape with a stable code and a Chinese message.  Pages that answer HTML answer the same JSON when asked for it."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gongbao.ingest import sample_paths
from gongbao.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

JSON = {"accept": "application/json"}
STATUS_KEYS = {"code", "label", "reason", "reason_code", "as_of", "since", "until", "by", "by_url"}
STATUS_CODES = {"in_force", "not_yet_in_force", "amended", "partly_repealed", "repealed", "expired", "unknown", "none"}
ERROR_CODES = {"invalid_range", "not_found", "method_not_allowed", "invalid_parameter", "internal_error"}
PAGING = {"total", "limit", "offset", "next", "previous"}
CJK = re.compile(r"[\u4e00-\u9fff]")
LAW = "山西省民营经济发展促进条例"


@pytest.fixture(scope="module")
def client(samples_db: Path | str) -> Iterator[TestClient]:
    with TestClient(create_app(samples_db)) as c:
        yield c


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    return client.get("/openapi.json").json()


@pytest.fixture(scope="module")
def real(client: TestClient) -> dict[str, str]:
    """Real values for the path parameters: a law, one of its provisions, a sample file."""
    docs = client.get("/api/documents", params={"limit": 100}).json()["documents"]
    law = next(d["id"] for d in docs if d["title"] == LAW)
    provision = client.get(f"/api/documents/{law}").json()["provisions"][0]["id"]
    return {"doc_id": law, "provision_id": provision, "file": sample_paths()[0].name}


def routes(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(path, methods["get"]) for path, methods in spec["paths"].items() if "get" in methods]


def json_schema(op: dict[str, Any]) -> dict[str, Any] | None:
    content = op["responses"].get("200", {}).get("content", {})
    return content.get("application/json", {}).get("schema")


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def missing_fields(spec: dict[str, Any], schema: dict[str, Any], data: Any, where: str = "") -> list[str]:
    """Fields the schema declares that the data leaves out, anywhere in it."""
    schema = resolve(spec, schema)
    for option in schema.get("anyOf", []):  # X | None
        if option.get("type") != "null" and data is not None:
            return missing_fields(spec, option, data, where)
    out: list[str] = []
    if isinstance(data, dict) and "properties" in schema:
        for name, sub in schema["properties"].items():
            if name not in data:
                out.append(f"{where}.{name}")
            elif data[name] is not None:
                out += missing_fields(spec, sub, data[name], f"{where}.{name}")
    elif isinstance(data, list) and "items" in schema:
        for i, item in enumerate(data[:20]):
            out += missing_fields(spec, schema["items"], item, f"{where}[{i}]")
    return out


def statuses(data: Any) -> Iterator[Any]:
    """Every value under a key named status (not the filters asked for, nor facet counts)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "status":
                yield value
            elif key not in ("filters", "facets"):
                yield from statuses(value)
    elif isinstance(data, list):
        for item in data:
            yield from statuses(item)


def url(path: str, real: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: real[m.group(1)], path)


def assert_error_shape(response: Any, status: int) -> None:
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "status", "details"}
    assert error["code"] in ERROR_CODES and error["status"] == status
    assert CJK.search(error["message"]), f"the message is for a Chinese reader: {error['message']}"


def test_every_json_answer_speaks_the_one_grammar(client: TestClient, spec: dict[str, Any], real) -> None:
    checked = 0
    for path, op in routes(spec):
        schema = json_schema(op)
        if schema is None:
            continue
        names = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
        params = {"limit": 1} if "limit" in names else {}
        response = client.get(url(path, real), params=params, headers=JSON, follow_redirects=False)
        assert response.status_code == 200, (path, response.text[:300])
        assert response.headers["content-type"].startswith("application/json"), path
        data = response.json()
        assert isinstance(data, dict), f"{path}: an answer is an object, never a bare list"
        assert missing_fields(spec, schema, data) == [], f"{path}: fields dropped instead of null"
        for st in statuses(data):
            assert isinstance(st, dict) and set(st) == STATUS_KEYS and st["code"] in STATUS_CODES, (path, st)
        if "limit" in names:
            check_paging(client, path, data)
        checked += 1
    assert checked >= 15


def check_paging(client: TestClient, path: str, data: dict[str, Any]) -> None:
    """A list answer asked for one item: the paging fields, at most one item, and a next link that follows."""
    assert set(data) >= PAGING, f"{path}: {PAGING - set(data)} missing"
    assert (data["limit"], data["offset"]) == (1, 0)
    lists = [k for k, v in data.items() if isinstance(v, list) and len(v) > 1]
    assert not [k for k in lists if k not in ("agencies", "relations", "terms", "notes")], (path, lists)
    assert data["previous"] is None
    if data["total"] > 1:
        assert data["next"], path
        following = client.get(data["next"], headers=JSON).json()
        assert (following["offset"], following["limit"], following["total"]) == (1, 1, data["total"]), path
        assert following["previous"]
    else:
        assert data["next"] is None


def test_no_list_pages_another_way(spec: dict[str, Any]) -> None:
    """limit and offset everywhere; page and per_page only as deprecated names that still work."""
    for path, op in routes(spec):
        params = {p["name"]: p for p in op.get("parameters", []) if p["in"] == "query"}
        for old in ("page", "per_page"):
            if old in params:
                assert params[old].get("deprecated"), (path, old)
                assert {"limit", "offset"} <= set(params), path
        schema = json_schema(op)
        if schema and "total" in resolve(spec, schema).get("properties", {}):
            assert {"limit", "offset"} <= set(params), f"{path} is a list: it pages by limit/offset"


def test_every_error_has_the_one_shape(client: TestClient, spec: dict[str, Any], real) -> None:
    for path, op in routes(spec):
        names = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
        query = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
        if names:  # an id that is not there
            unknown = {**real, **{k: "nosuch" + k for k in names if k in ("doc_id", "file")}}
            if names & {"doc_id", "file"}:
                assert_error_shape(client.get(url(path, unknown), headers=JSON), 404)
        if "limit" in query:
            assert_error_shape(client.get(url(path, real), params={"limit": 0}, headers=JSON), 422)
    assert_error_shape(client.get("/api/no-such-thing"), 404)
    assert_error_shape(client.post("/api/stats"), 405)
    assert_error_shape(client.get("/api/search", params={"q": "罚款", "year": "2024-2020"}), 400)


def test_pages_answer_their_json_when_asked(client: TestClient, real) -> None:
    law = real["doc_id"]
    for page, api in (
        (f"/documents/{law}", f"/api/documents/{law}"),
        ("/documents?type=条例", "/api/documents?type=条例"),
        ("/search?q=罚款", "/api/search?q=罚款"),
        ("/duties?agency=省生态环境厅", "/api/duties?agency=省生态环境厅"),
    ):
        html = client.get(page)
        assert html.headers["content-type"].startswith("text/html")
        as_json = client.get(page, headers=JSON).json()
        drop = ("next", "previous")
        assert {k: v for k, v in as_json.items() if k not in drop} == {
            k: v for k, v in client.get(api).json().items() if k not in drop
        }, page


def test_cors_is_off_by_default_and_answers_the_origin_configured(samples_db: Path | str) -> None:
    origin = "https://example.org"
    with TestClient(create_app(samples_db)) as closed:
        assert "access-control-allow-origin" not in closed.get("/api/stats", headers={"origin": origin}).headers
    with TestClient(create_app(samples_db, cors=origin)) as open_:
        answer = open_.get("/api/stats", headers={"origin": origin})
        assert answer.headers["access-control-allow-origin"] == origin
        other = open_.get("/api/stats", headers={"origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers
        preflight = open_.options("/api/search", headers={"origin": origin, "access-control-request-method": "GET"})
        assert preflight.status_code == 200 and "GET" in preflight.headers["access-control-allow-methods"]
