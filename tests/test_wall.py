"""The storage wall: no module outside store/ talks to a database, and every page or API answer costs a bounded
number of queries whatever the page size or filter (a page of 100 documents must not cost 100 round trips to a
database server)."""

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

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "gongbao"
DRIVER = re.compile(r"^\s*(?:import|from)\s+(?:apsw|psycopg|psycopg_pool|sqlite3)\b", re.M)
# a backend's module imports its driver: importing one from outside store/ leaks the driver in by the back door
BACKEND = re.compile(r"^\s*(?:import|from)\s+gongbao\.store\.(?:sqlite|postgres)\b", re.M)
SQL = re.compile(
    r"\b(?:SELECT\s+[\w*(]|INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(?:TABLE|INDEX)|"
    r"PRAGMA\s+\w|WITH\s+RECURSIVE|\w+\s+MATCH\s+\?)"
)
MAX_QUERIES = 10
OUTSIDE = sorted(p for p in PACKAGE.rglob("*.py") if "store" not in p.relative_to(PACKAGE).parts[:1])


@pytest.mark.parametrize("path", [pytest.param(p, id=str(p.relative_to(PACKAGE))) for p in OUTSIDE])
def test_no_module_outside_store_imports_a_driver_or_holds_sql(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not DRIVER.search(text), f"{path.name} imports a database driver"
    assert not BACKEND.search(text), f"{path.name} imports a storage backend's module"
    found = SQL.search(text)
    assert not found, f"{path.name} holds SQL: {found.group()!r}"


def test_the_sql_pattern_sees_sql() -> None:
    """The grep above would catch what the store holds (so a pass means something)."""
    store_sql = (PACKAGE / "store" / "sqlite" / "store.py").read_text(encoding="utf-8")
    assert SQL.search(store_sql) and DRIVER.search(store_sql)
    assert BACKEND.search((PACKAGE / "store" / "backends.py").read_text(encoding="utf-8"))


def test_one_backend_does_not_import_the_other() -> None:
    """What the backends share (the export's columns, what a search unit is) lives in store/ itself, not in one
    of them: either can change or go without breaking the other."""
    for own, other in (("postgres", "sqlite"), ("sqlite", "postgres")):
        imports_other = re.compile(rf"^\s*(?:import|from)\s+gongbao\.store\.{other}\b", re.M)
        for path in sorted((PACKAGE / "store" / own).glob("*.py")):
            text = path.read_text(encoding="utf-8")
            assert not imports_other.search(text), f"store/{own}/{path.name} imports store/{other}"


@pytest.fixture(scope="module")
def client(samples_db: Path | str) -> Iterator[TestClient]:
    with TestClient(create_app(samples_db)) as c:
        yield c


def _first(client: TestClient, path: str, key: str) -> dict:
    return client.get(path).json()[key][0]


PAGES = [
    "/",
    "/index.json",
    "/documents",
    "/documents.json?per_page=100",
    "/documents.json?per_page=100&status=现行有效",
    "/documents?status=已废止",
    "/api/documents?per_page=100&type=条例",
    "/api/stats",
    "/api/sources",
    "/duties",
    "/api/duties?per_page=100",
    "/duties.json?agency=省生态环境厅",
    "/docs",
]
CITATION = "/search?q=《山西省民营经济发展促进条例》第十九条第二款"
SEARCHES = [
    "/search?q=罚款",
    "/search.json?q=罚款&limit=100",
    "/api/search?q=营商环境&limit=100",
    "/api/search?q=开公司需要去哪里办营业执照&limit=100&collapse=true",
    CITATION,  # a citation: the text's provisions and units too
    "/api/search?q=条例&type=条例&limit=100",
]


def _count(client: TestClient, url: str) -> int:
    pool = client.app.state.pool
    pool.forget()  # nothing remembered: the worst case
    before = pool.queries()
    response = client.get(url)
    assert response.status_code == 200, (url, response.text[:300])
    return pool.queries() - before


@pytest.mark.parametrize("url", PAGES)
def test_a_page_or_api_answer_costs_a_bounded_number_of_queries(client: TestClient, url: str) -> None:
    assert _count(client, url) <= MAX_QUERIES


def test_document_pages_cost_a_bounded_number_of_queries(client: TestClient) -> None:
    docs = client.get("/api/documents", params={"per_page": 100}).json()["documents"]
    law = max(docs, key=lambda d: d["source"]["end_line"] - d["source"]["start_line"])  # the largest text
    doc = law["id"]
    file = law["source"]["file"]
    provision = client.get(f"/api/documents/{doc}").json()["provisions"][0]["id"]
    urls = [f"/documents/{doc}", f"/documents/{doc}.json", f"/api/documents/{doc}",
            f"/api/documents/{doc}/provisions/{provision}", f"/api/documents/{doc}/references",
            f"/api/documents/{doc}/cited-by", f"/api/documents/{doc}/figures", f"/api/documents/{doc}/status",
            f"/source/{file}", f"/source/{file}.json?lines=1-40", f"/api/sources/{file}"]  # fmt: skip
    counts = {url: _count(client, url) for url in urls}
    assert max(counts.values()) <= MAX_QUERIES, counts


@pytest.mark.parametrize("url", SEARCHES)
def test_a_search_costs_a_bounded_number_of_queries(client: TestClient, url: str) -> None:
    """Whatever the page size, filter or kind of query.  The first search of a generation of the corpus also reads
    what every search needs of it as a whole (titles, counts, repeals, page maps: STATISTICS queries, once); a
    search of other words reads those first."""
    _count(client, "/api/search?q=档案")
    assert _count(client, url) <= MAX_QUERIES


STATISTICS = 4


def test_the_first_search_of_a_generation_reads_its_statistics_once(client: TestClient) -> None:
    for handle in client.app.state.pool._handles:  # as a fresh worker or a new generation finds them
        handle.cache.clear()
    assert _count(client, "/search?q=营商环境") <= MAX_QUERIES + STATISTICS
