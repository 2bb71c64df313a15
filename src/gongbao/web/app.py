"""The HTTP API and the web pages, one FastAPI application over a read-only store.

  /api/...            JSON: documents (filters, pages), one document (provision tree, relations), one provision,
                      search (the CLI's parameters and hit shape, plus pages and facets), stats, sources
  /, /search, /documents, /documents/{id}, /source/{file}
                      server-rendered HTML (Jinja2, works without JavaScript); each has a JSON twin at the same
                      URL plus `.json` that returns what the page shows
  /docs, /openapi.json the API described

Every response carries a restrictive Content-Security-Policy and friends; one log line per request.  Errors are
JSON (for /api and .json URLs) or an HTML page, with the right status: unknown id 404, bad parameter 422.
Connections: a pool of read-only `Corpus` handles (SQLite or PostgreSQL), one per worker thread at a time, so each
handle's search cache is reused across requests."""

from __future__ import annotations

import json
import logging
import os
import queue
import re
import threading
import time
from collections.abc import AsyncIterator, Callable, Hashable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import astuple, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import unquote, urlsplit

import anyio.to_thread
from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BeforeValidator
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gongbao.ingest import default_db_path, open_store
from gongbao.link.duties import ROLES
from gongbao.link.status import STATUSES
from gongbao.parse.pages import attach_pages
from gongbao.store import Corpus, StoreError, open_corpus
from gongbao.store.backends import exists
from gongbao.web import graph, pages, render, schemas
from gongbao.web.exports import add_export_routes
from gongbao.web.pages import MAX_PER_PAGE, MAX_QUERY_CHARS, MAX_SOURCE_LINES, DocumentFilters, SearchParams

log = logging.getLogger("gongbao.web")
access_log = logging.getLogger("gongbao.access")

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), clipboard-write=(self)",
}
DESCRIPTION = (
    "gongbao 的 HTTP 接口：政府公报和人大常委会公报中的文件、条款与检索，只读。"
    "Read-only JSON over the gazette knowledge base: documents, provisions, search, stats and sources."
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
T = TypeVar("T")
SEARCH_THREADS = max(2, os.cpu_count() or 1)


# ------------------------------------------------------------------------------------------- plumbing


class StorePool:
    """Read-only handles on the database, handed to one request at a time and kept for the next (an SQLite
    connection is not for concurrent use; each handle keeps its own search cache), and answers computed from the
    database (search results, the home page's figures) shared by all of them until the database changes.

    Change detection: a handle's `version()` moves when a writer commits; whenever a handle handed out sees it
    moved (or is new, and so cannot tell), a new generation of answers starts."""

    def __init__(self, target: str, answers: int = 1024):
        self.target = target
        self._free: queue.SimpleQueue[Corpus] = queue.SimpleQueue()
        self._handles: list[Corpus] = []  # every handle opened, for queries()
        self._answers = render.LRU(answers)
        self._generation = 0
        self._lock = threading.Lock()
        self._limiter: anyio.CapacityLimiter | None = None

    @contextmanager
    def store(self) -> Iterator[Corpus]:
        try:
            store, fresh = self._free.get_nowait(), False
        except queue.Empty:
            store, fresh = open_corpus(self.target, readonly=True), True
            self._handles.append(store)
        try:
            self._notice_changes(store, fresh)
            yield store
        finally:
            self._free.put(store)

    def _notice_changes(self, store: Corpus, fresh: bool) -> None:
        version = store.version()
        if fresh or store.cache.get("pool:data_version") != version:
            with self._lock:
                self._generation += 1
                store.cache["pool:data_version"] = version
        store.cache["pool:generation"] = self._generation

    def searches(self) -> anyio.CapacityLimiter:
        """Searches that may run at once: they are CPU-bound Python, so more threads than cores only contend
        for the interpreter lock (and each new connection must first learn its search statistics)."""
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(SEARCH_THREADS)
        return self._limiter

    def recall(self, store: Corpus, key: Hashable) -> Any | None:
        """The answer remembered for `key` in this generation, or None."""
        return self._answers.peek((store.cache["pool:generation"], key))

    def remember(self, store: Corpus, key: Hashable, make: Callable[[], T]) -> T:
        """`make()`'s answer, computed once per generation of the database (as `store` saw it)."""
        return self._answers.get((store.cache["pool:generation"], key), make)

    def queries(self) -> int:
        """Statements sent to the database by all handles so far (the tests of batched reads count them)."""
        return sum(h.queries for h in self._handles)

    def forget(self) -> None:
        """Drop every remembered answer and cached document tree (the next requests read the database)."""
        self._answers.clear()
        _views.clear()

    def close(self) -> None:
        while True:
            try:
                self._free.get_nowait().close()
            except queue.Empty:
                return


class JSONBody(Response):
    """UTF-8 JSON, Chinese as is (not \\u escapes)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Guard:
    """ASGI middleware: the security headers on every response, one access log line per request, and HEAD
    answered as GET without the body (FastAPI routes only declare GET; link checkers and curl -I send HEAD)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 0
        method = scope["method"]
        if method == "HEAD":
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if "location" in headers:  # a redirect of the framework's (trailing slash) names the Host it got
                    headers["location"] = _relative(headers["location"])
            elif method == "HEAD" and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            access_log.info(
                '%s "%s %s" %d %.1fms',
                (scope.get("client") or ("-",))[0],
                method,
                _loggable(scope),
                status or 500,
                (time.perf_counter() - start) * 1000,
            )


def _relative(location: str) -> str:
    """A redirect target as a path on this server: the scheme and host are dropped, so that a Host header sent by
    the client is never echoed back into a Location (and a path like //evil.example cannot leave the site)."""
    parts = urlsplit(location)
    path = "/" + parts.path.lstrip("/")
    return path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def _loggable(scope: Scope) -> str:
    """The request target on one line: control characters (%0A …) shown as escapes."""
    target = scope["path"]
    if scope.get("query_string"):
        target += "?" + unquote(scope["query_string"].decode("latin-1"), errors="replace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", target)


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.endswith(".json")


def _error(request: Request, status: int, error: str, message: str, errors: list | None = None) -> Response:
    if _wants_json(request):
        body: dict[str, Any] = {"status": status, "error": error, "message": message}
        if errors is not None:
            body["errors"] = errors
        return JSONBody(body, status_code=status)
    title = {404: "找不到这一页", 422: "请求参数有误", 500: "服务器出错了"}.get(status, "出错了")
    html = render.render("error.html", status=status, title=title, message=message, json_url=None, q="")
    return HTMLResponse(html, status_code=status)


def _not_found(what: str) -> HTTPException:
    return HTTPException(404, what)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404:
            return _error(request, 404, "not_found", str(exc.detail) if exc.detail != "Not Found" else "没有这个地址")
        if exc.status_code == 405:
            response = _error(request, 405, "method_not_allowed", "method not allowed (the API is read-only: use GET)")
            response.headers["allow"] = (exc.headers or {}).get("Allow", "GET, HEAD")
            return response
        return _error(request, exc.status_code, "http_error", str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"param": ".".join(str(x) for x in e.get("loc", ())[1:]) or "?", "message": e.get("msg", "invalid")}
            for e in exc.errors()
        ]
        message = "; ".join(f"{e['param']}: {e['message']}" for e in errors)
        return _error(request, 422, "invalid_parameter", f"invalid parameter — {message}", errors)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", _loggable(request.scope))
        return _error(request, 500, "internal_error", "internal error (logged on the server)")


# --------------------------------------------------------------------------------------------- params

TypeQ = Annotated[str | None, Query(alias="type", max_length=50, description="Document type: 条例, 通知, 报告 …")]
IssuerQ = Annotated[str | None, Query(max_length=100, description="Issuer or title contains this.")]
FileQ = Annotated[str | None, Query(max_length=200, description="Source file name, e.g. 000_644bd53d4fe8cae3.txt.")]
YearQ = Annotated[int | None, Query(ge=1900, le=2100, description="Year of the document's date.")]
YearsQ = Annotated[
    str | None,
    Query(pattern=r"^(19|20|21)\d\d(-(19|20|21)\d\d)?$", description="A year or a range: 2022, 2021-2023."),
]
LawsQ = Annotated[bool | None, Query(description="Only texts with articles (true) or without (false).")]
CollapseQ = Annotated[bool, Query(description="At most one hit per document.")]
PageQ = Annotated[int, Query(ge=1, le=10_000, description="Page number, from 1.")]
LimitQ = Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description=f"Hits per page (at most {MAX_PER_PAGE}).")]
PerPageQ = Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description=f"Documents per page (at most {MAX_PER_PAGE}).")]
OffsetQ = Annotated[int | None, Query(ge=0, le=100_000, description="Skip this many hits (instead of page).")]
QueryQ = Annotated[
    str,
    Query(
        min_length=1,
        max_length=MAX_QUERY_CHARS,
        description='Words, a "quoted phrase", a 《title》 or a question in everyday Chinese.',
    ),
]
PageQueryQ = Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="The search query (may be empty).")]
HighlightQ = Annotated[str | None, Query(max_length=MAX_QUERY_CHARS, description="Search terms to mark in the text.")]
DocId = Annotated[str, PathParam(max_length=64, description="Document id, e.g. 2fcd77998da3.")]
ProvisionId = Annotated[str, PathParam(max_length=200, description="Provision id, e.g. chp_2__art_19.")]
FileName = Annotated[str, PathParam(max_length=200, description="Name of an ingested source file.")]
StartQ = Annotated[int | None, Query(ge=1, le=10_000_000, description="First line of the part of the file shown.")]
PartQ = Annotated[int | None, Query(ge=1, le=10_000, description="Part of a long document shown, from 1.")]
AtQ = Annotated[str | None, Query(max_length=200, description="Show the part that holds this provision (id).")]
LinesQ = Annotated[str | None, Query(pattern=r"^\d{1,7}(-\d{1,7})?$", description="Lines to mark: 120 or 120-130.")]


StatusQ = Annotated[
    str | None,
    Query(
        pattern="^(" + "|".join(STATUSES) + ")$",
        description="Status today: " + ", ".join(STATUSES) + " (texts without force of their own have none).",
    ),
]


def _iso_day(value: object) -> object:
    """A day written YYYY-MM-DD, nothing else: pydantic alone would read as_of=0 as 1970-01-01 (a Unix time)."""
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    raise ValueError("a day written YYYY-MM-DD, e.g. 2024-01-01")


AsOfQ = Annotated[
    date | None,
    BeforeValidator(_iso_day),
    Query(description="The day to judge on (YYYY-MM-DD; default today)."),
]
AgencyQ = Annotated[
    str | None,
    Query(max_length=60, description="An agency (省生态环境厅, 山西省生态环境厅) or an official."),
]
DocumentQ = Annotated[str | None, Query(max_length=64, description="Only this document (id).")]
RoleQ = Annotated[str | None, Query(pattern="^(" + "|".join(ROLES) + ")$", description="The role.")]


def document_filters(
    doc_type: TypeQ = None, issuer: IssuerQ = None, year: YearQ = None, file: FileQ = None, status: StatusQ = None
) -> DocumentFilters:
    """The filters of the document list (the API, the page and its twin) in one place."""
    return DocumentFilters(doc_type, issuer, year, file, status)


DocFilters = Annotated[DocumentFilters, Depends(document_filters)]
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": schemas.Error, "description": "Not found"},
    422: {"model": schemas.Error, "description": "Invalid parameter"},
}
HTML_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "Not found (an HTML page)", "content": {"text/html": {}}},
    422: {"description": "Invalid parameter (an HTML page)", "content": {"text/html": {}}},
}


# ------------------------------------------------------------------------------------------------ app


def create_app(db_path: str | Path | None = None) -> FastAPI:
    """The application over the database at `db_path`, a file or a postgresql:// address (default: the user's
    database, built from the bundled samples when missing).  The app only reads."""
    target = str(db_path or default_db_path())
    prepare_database(target)
    pool = StorePool(target)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(_warm_up, pool)
        yield
        pool.close()

    app = FastAPI(
        title="gongbao",
        version=_version(),
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.pool = pool
    app.add_middleware(Guard)
    _install_error_handlers(app)
    static = resources.files("gongbao") / "web" / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    _api_routes(app, pool)
    add_export_routes(app, pool)  # /documents/{id}/export, /feeds/…: before the pages' /documents/{id}
    _page_routes(app, pool)
    _docs_route(app)
    return app


def _warm_up(pool: StorePool) -> None:
    """What the first visitor would otherwise wait for: the templates compiled, the word segmenter and the search
    data loaded."""
    for name in render.env.list_templates():
        render.env.get_template(name)
    with pool.store() as store:
        pages.search_data(store, SearchParams(q="公报"))


def prepare_database(target: str) -> None:
    """Make sure `target` holds a database this version can read: built from the bundled samples when missing,
    upgraded (opened once for writing) when it was written with an older schema.  Raises StoreError."""
    if not exists(target):
        open_store(target).close()
        return
    try:
        open_corpus(target, readonly=True).close()
    except StoreError:
        open_store(target).close()  # an older schema is upgraded on a writable open; anything else raises again
        open_corpus(target, readonly=True).close()


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("gongbao")
    except Exception:
        return "0"


def _load_view(store: Corpus, doc_id: str) -> pages.DocumentView:
    """A document as a tree; the tree is cached per document and source version, the relations are read fresh."""
    doc = store.document(doc_id, with_provisions=False)
    if doc is None:
        raise _not_found(f"no document with id {doc_id!r}")
    view = _views.get(
        (doc.id, doc.source.sha256),
        lambda: pages.document_view(
            attach_pages(replace(doc, provisions=store.provisions(doc_id)), store.page_runs(doc.source.file))
        ),
    )
    doc.references, doc.duties, doc.figures = (
        store.references_of(doc_id),
        store.duties(document_id=doc_id),
        store.figures(doc_id),
    )
    return replace(view, relations=pages.relations_of(store, doc_id), graph=graph.document_graph(store, doc))


_views = render.LRU(64)


def _api_routes(app: FastAPI, pool: StorePool) -> None:
    tags = ["API"]

    @app.get(
        "/api/documents",
        tags=tags,
        response_model=schemas.DocumentList,
        responses=ERRORS,
        summary="Documents, filtered, a page at a time",
    )
    def api_documents(filters: DocFilters, page: PageQ = 1, per_page: PerPageQ = 50) -> Response:
        with pool.store() as store:
            return JSONBody(pages.documents_data(store, filters, page, per_page))

    @app.get(
        "/api/documents/{doc_id}",
        tags=tags,
        response_model=schemas.DocumentDetail,
        responses=ERRORS,
        summary="One document: metadata, provisions as a tree, relations",
    )
    def api_document(doc_id: DocId) -> Response:
        with pool.store() as store:
            return JSONBody(_load_view(store, doc_id).to_dict())

    @app.get(
        "/api/documents/{doc_id}/provisions/{provision_id}",
        tags=tags,
        response_model=schemas.ProvisionDetail,
        responses=ERRORS,
        summary="One provision with what it contains, its citation and its place in the document",
    )
    def api_provision(doc_id: DocId, provision_id: ProvisionId) -> Response:
        with pool.store() as store:
            data = pages.provision_data(_load_view(store, doc_id), provision_id)
        if data is None:
            raise _not_found(f"document {doc_id!r} has no provision {provision_id!r}")
        return JSONBody(data)

    @app.get(
        "/api/search",
        tags=tags,
        response_model=schemas.SearchResponse,
        responses=ERRORS,
        summary="Search provisions (the parameters and hits of `gongbao search`, plus pages and facets)",
    )
    async def api_search(
        q: QueryQ,
        doc_type: TypeQ = None,
        issuer: IssuerQ = None,
        year: YearsQ = None,
        file: FileQ = None,
        laws: LawsQ = None,
        collapse: CollapseQ = False,
        limit: LimitQ = 10,
        page: PageQ = 1,
        offset: OffsetQ = None,
    ) -> Response:
        params = SearchParams(q, doc_type, issuer, year, file, laws, collapse, limit, page, offset)
        return await _search_json(pool, params)

    def existing(store: Corpus, doc_id: str) -> None:
        if store.document(doc_id, with_provisions=False) is None:
            raise _not_found(f"no document with id {doc_id!r}")

    def document_part(path: str, model: Any, summary: str, data: Callable[[Corpus, str], Any]) -> None:
        """GET /api/documents/{id}/<path>: one part of the graph around a document (404 for an unknown id)."""

        def part(doc_id: DocId) -> Response:
            with pool.store() as store:
                existing(store, doc_id)
                return JSONBody(data(store, doc_id))

        app.get(f"/api/documents/{{doc_id}}/{path}", tags=tags, response_model=model, responses=ERRORS,
                summary=summary, operation_id=f"api_document_{path.replace('-', '_')}")(part)  # fmt: skip

    document_part(
        "references",
        list[schemas.Reference],
        "What a document cites: texts in the corpus (and the article named) or external, in text order",
        graph.references_data,
    )
    document_part(
        "cited-by",
        schemas.CitedBy,
        "Who cites a document, and which documents promulgate, explain, review, repeal … it",
        graph.cited_by_data,
    )
    document_part(
        "figures",
        list[schemas.Figure],
        "Numeric targets and achievements of a plan or report (suspect: may have lost a decimal point)",
        graph.figures_data,
    )

    @app.get(
        "/api/documents/{doc_id}/status",
        tags=tags,
        response_model=schemas.StatusAnswer,
        responses=ERRORS,
        summary="Whether a document is in force on a day (status null: a text without force of its own)",
    )
    def api_status(doc_id: DocId, as_of: AsOfQ = None) -> Response:
        with pool.store() as store:
            existing(store, doc_id)
            return JSONBody({"document_id": doc_id, "status": graph.status_data(store, doc_id, as_of)})

    @app.get(
        "/api/duties",
        tags=tags,
        response_model=schemas.DutyList,
        responses=ERRORS,
        summary="Who must do what by when: duties of an agency or official and/or of a document",
    )
    def api_duties(
        agency: AgencyQ = None,
        document: DocumentQ = None,
        role: RoleQ = None,
        page: PageQ = 1,
        per_page: PerPageQ = 50,
    ) -> Response:
        return JSONBody(_duties(pool, agency, document, role, page, per_page))

    @app.get("/api/stats", tags=tags, response_model=schemas.Stats, summary="Counts of the corpus")
    def api_stats() -> Response:
        with pool.store() as store:
            return JSONBody(pool.remember(store, "stats", store.stats))

    @app.get(
        "/api/sources",
        tags=tags,
        response_model=list[schemas.SourceWithDocuments],
        summary="The gazette issues ingested, with their documents and the lines that belong to none",
    )
    def api_sources() -> Response:
        with pool.store() as store:
            return JSONBody(pool.remember(store, "sources", lambda: pages.sources_data(store)))

    @app.get(
        "/api/sources/{file:path}",
        tags=tags,
        response_model=schemas.SourceView,
        responses=ERRORS,
        summary=f"One ingested gazette file with its raw lines (a range of at most {MAX_SOURCE_LINES})",
    )
    def api_source(
        file: FileName,
        start: Annotated[int, Query(ge=1, le=10_000_000, description="First line.")] = 1,
        end: Annotated[
            int | None, Query(ge=1, le=10_000_000, description=f"Last line (at most start + {MAX_SOURCE_LINES - 1}).")
        ] = None,
    ) -> Response:
        # at most MAX_SOURCE_LINES from `start` (the range returned says which); an end before the start gives none
        last = min(end if end is not None else start + MAX_SOURCE_LINES - 1, start + MAX_SOURCE_LINES - 1)
        with pool.store() as store:
            data = pages.source_data(store, file, (start, last))
        if data is None:
            raise _not_found(f"no ingested source file named {file!r}")
        return JSONBody(data)


def _page_routes(app: FastAPI, pool: StorePool) -> None:
    tags = ["pages (HTML, and their JSON twins)"]

    def home_data() -> dict[str, Any]:
        with pool.store() as store:
            return pool.remember(store, "home", lambda: pages.home_data(store))

    @app.get("/", tags=tags, response_class=HTMLResponse, summary="Home: search box and the corpus at a glance")
    def home() -> Response:
        data = home_data()
        return HTMLResponse(render.render("home.html", json_url="/index.json", q="", **data))

    @app.get("/index.json", tags=tags, response_model=schemas.Home, summary="JSON twin of the home page")
    def home_json() -> Response:
        return JSONBody(home_data())

    @app.get("/.json", include_in_schema=False)
    def home_json_alias() -> Response:
        return JSONBody(home_data())

    def search_params(
        q: PageQueryQ = "",
        doc_type: TypeQ = None,
        issuer: IssuerQ = None,
        year: YearsQ = None,
        file: FileQ = None,
        laws: LawsQ = None,
        collapse: CollapseQ = False,
        limit: LimitQ = 10,
        page: PageQ = 1,
    ) -> SearchParams:
        return SearchParams(q, doc_type, issuer, year, file, laws, collapse, limit, page)

    @app.get(
        "/search.json",
        tags=tags,
        response_model=schemas.SearchResponse,
        responses=ERRORS,
        summary="JSON twin of the search page",
    )
    async def search_json(
        q: PageQueryQ = "",
        doc_type: TypeQ = None,
        issuer: IssuerQ = None,
        year: YearsQ = None,
        file: FileQ = None,
        laws: LawsQ = None,
        collapse: CollapseQ = False,
        limit: LimitQ = 10,
        page: PageQ = 1,
    ) -> Response:
        params = search_params(q, doc_type, issuer, year, file, laws, collapse, limit, page)
        return await _search_json(pool, params)

    @app.get("/search", tags=tags, response_class=HTMLResponse, responses=HTML_ERRORS, summary="Search results page")
    def search_page(
        request: Request,
        q: PageQueryQ = "",
        doc_type: TypeQ = None,
        issuer: IssuerQ = None,
        year: YearsQ = None,
        file: FileQ = None,
        laws: LawsQ = None,
        collapse: CollapseQ = False,
        limit: LimitQ = 10,
        page: PageQ = 1,
    ) -> Response:
        params = search_params(q, doc_type, issuer, year, file, laws, collapse, limit, page)
        data = _search_in_thread(pool, params)  # the page is rendered in this worker thread too
        html = render.render(
            "search.html",
            data=data,
            params=params,
            q=q,
            json_url=_twin(request),
            page_link=lambda n: render.url("/search", params.query(page=n)),
        )
        return HTMLResponse(html)

    def documents_data(filters: DocumentFilters, page: int, per_page: int) -> dict[str, Any]:
        with pool.store() as store:
            return pages.documents_data(store, filters, page, per_page)

    @app.get(
        "/documents.json",
        tags=tags,
        response_model=schemas.DocumentList,
        responses=ERRORS,
        summary="JSON twin of the documents page",
    )
    def documents_json(filters: DocFilters, page: PageQ = 1, per_page: PerPageQ = 50) -> Response:
        return JSONBody(documents_data(filters, page, per_page))

    @app.get(
        "/documents",
        tags=tags,
        response_class=HTMLResponse,
        responses=HTML_ERRORS,
        summary="All documents, filtered, a page at a time",
    )
    def documents_page(request: Request, filters: DocFilters, page: PageQ = 1, per_page: PerPageQ = 50) -> Response:
        data = documents_data(filters, page, per_page)
        home = home_data()
        kept = filters.params() | ({"per_page": per_page} if per_page != 50 else {})
        html = render.render(
            "documents.html",
            data=data,
            types=home["documents_by_type"],
            sources=home["sources"],
            json_url=_twin(request),
            q="",
            page_link=lambda n: render.url("/documents", kept | ({"page": n} if n > 1 else {})),
        )
        return HTMLResponse(html)

    @app.get(
        "/documents/{doc_id}.json",
        tags=tags,
        response_model=schemas.DocumentDetail,
        responses=ERRORS,
        summary="JSON twin of a document page",
    )
    def document_json(doc_id: DocId) -> Response:
        with pool.store() as store:
            return JSONBody(_load_view(store, doc_id).to_dict())

    @app.get(
        "/documents/{doc_id}",
        tags=tags,
        response_class=HTMLResponse,
        responses=HTML_ERRORS,
        summary="A document: metadata, contents, full text with an anchor per provision",
    )
    def document_page(
        request: Request, doc_id: DocId, q: HighlightQ = None, part: PartQ = None, at: AtQ = None
    ) -> Response:
        with pool.store() as store:
            view = _load_view(store, doc_id)
        count = max(1, len(view.parts))
        # the part asked for, else the one holding the provision linked to, else the first one the query marks
        shown = part or (view.part_for(at) if at else render.first_part_marked(view, q) or 1)
        if shown > count:
            raise _not_found(f"文件「{view.document.title}」只有 {count} 部分，没有第 {shown} 部分")
        html = render.render(
            "document.html",
            view=view,
            body=render.document_body(view, q, shown),
            part=shown,
            parts=count,
            part_link=lambda n: _part_url(doc_id, q, n),
            toc_href=lambda anchor: _toc_href(view, doc_id, q, shown, anchor),
            q=q or "",
            plain_url=pages.document_url(doc_id),
            json_url=pages.document_url(doc_id) + ".json",
        )
        return HTMLResponse(html)

    @app.get(
        "/source/{file:path}.json",
        tags=tags,
        response_model=schemas.SourceView,
        responses=ERRORS,
        summary=f"JSON twin of the source view: ?lines= those lines, else {MAX_SOURCE_LINES} lines from ?start=",
    )
    def source_json(file: FileName, lines: LinesQ = None, start: StartQ = None) -> Response:
        selected = pages.parse_line_range(lines)
        window = selected if selected and start is None else pages.source_window(None, start, MAX_SOURCE_LINES)
        window = (window[0], min(window[1], window[0] + MAX_SOURCE_LINES - 1))
        with pool.store() as store:
            data = pages.source_data(store, file, window)
        if data is None:
            raise _not_found(f"no ingested source file named {file!r}")
        return JSONBody(data)

    @app.get(
        "/source/{file:path}/original",
        tags=tags,
        responses=HTML_ERRORS,
        summary="The original PDF of an ingested source (open it at a page with #page=N)",
    )
    def source_original(file: FileName) -> Response:
        with pool.store() as store:
            path = pages.original_path(store, file)
        if path is None:
            raise _not_found(f"no original PDF of {file!r} is available (moved or changed since it was ingested)")
        return FileResponse(path, media_type="application/pdf", filename=file, content_disposition_type="inline")

    @app.get(
        "/source/{file:path}",
        tags=tags,
        response_class=HTMLResponse,
        responses=HTML_ERRORS,
        summary="The original text of an ingested gazette file, numbered lines (#L120), ?lines=120-130 marked",
    )
    def source_page(request: Request, file: FileName, lines: LinesQ = None, start: StartQ = None) -> Response:
        selected = pages.parse_line_range(lines)
        window = pages.source_window(selected, start, pages.SOURCE_PAGE_LINES)
        with pool.store() as store:
            data = pages.source_data(store, file, window)
        if data is None:
            raise _not_found(f"没有名为「{file}」的已收录公报文件")
        html = render.render(
            "source.html",
            src=data,
            selected=selected,
            window=pages.window_links(data, window),
            lines_html=render.source_lines_html(data, selected),
            json_url=_twin(request),
            q="",
        )
        return HTMLResponse(html)

    @app.get(
        "/duties.json",
        tags=tags,
        response_model=schemas.DutyList,
        responses=ERRORS,
        summary="JSON twin of the duties page",
    )
    def duties_json(
        agency: AgencyQ = None, document: DocumentQ = None, role: RoleQ = None, page: PageQ = 1, per_page: PerPageQ = 50
    ) -> Response:
        return JSONBody(_duties(pool, agency, document, role, page, per_page))

    @app.get(
        "/duties",
        tags=tags,
        response_class=HTMLResponse,
        responses=HTML_ERRORS,
        summary="Who must do what by when: the duties of an agency or official",
    )
    def duties_page(
        request: Request,
        agency: AgencyQ = None,
        document: DocumentQ = None,
        role: RoleQ = None,
        page: PageQ = 1,
        per_page: PerPageQ = 50,
    ) -> Response:
        data = _duties(pool, agency, document, role, page, per_page)
        kept = {k: v for k, v in (("agency", agency), ("document", document), ("role", role)) if v}
        html = render.render(
            "duties.html",
            data=data,
            json_url=_twin(request),
            q="",
            page_link=lambda n: render.url("/duties", kept | ({"page": n} if n > 1 else {})),
        )
        return HTMLResponse(html)

    @app.get("/documents/{doc_id}/provisions/{provision_id}", include_in_schema=False)
    def provision_page(doc_id: DocId, provision_id: ProvisionId) -> Response:
        return RedirectResponse(pages.document_url(doc_id, provision_id), status_code=302)


def _duties(pool: StorePool, *args: Any) -> dict[str, Any]:
    """The duties of the API, the page and its twin: graph.duties_data(agency, document, role, page, per_page)."""
    with pool.store() as store:
        return graph.duties_data(store, *args)


def _part_url(doc_id: str, q: str | None, part: int) -> str:
    """A part of a long document's page (the search terms still marked)."""
    params = {k: v for k, v in (("q", q), ("part", part if part > 1 else None)) if v}
    return render.url(pages.document_url(doc_id), params)


def _toc_href(view: pages.DocumentView, doc_id: str, q: str | None, shown: int, anchor: str) -> str:
    """A link of the contents: on this page, or to the part of the document that holds the anchor."""
    where = view.part_for(anchor)
    return f"#{anchor}" if where == shown else f"{_part_url(doc_id, q, where)}#{anchor}"


def _twin(request: Request) -> str:
    """The page's URL with .json added to its path, the same query."""
    url = request.url.path + ".json"
    return url + ("?" + request.url.query if request.url.query else "")


def _search_in_thread(pool: StorePool, params: SearchParams) -> dict[str, Any]:
    with pool.store() as store:
        return pool.remember(store, ("search", astuple(params)), lambda: pages.search_data(store, params))


async def _search_json(pool: StorePool, params: SearchParams) -> Response:
    """A search as JSON, answered once per version of the database: people ask the same questions again and
    again, and a search costs milliseconds of CPU that a remembered answer (already encoded) does not.  A
    remembered answer is served on the event loop; only a search that must run goes to a worker thread (the
    hand-over between threads costs more than the lookup), and only as many at once as there are cores."""
    key = ("search.json", astuple(params))
    with pool.store() as store:
        body = pool.recall(store, key)
    if body is None:
        body = await anyio.to_thread.run_sync(_encoded_search, pool, key, params, limiter=pool.searches())
    return Response(body, media_type="application/json")


def _encoded_search(pool: StorePool, key: Hashable, params: SearchParams) -> bytes:
    with pool.store() as store:  # taken in the worker: a waiting request holds no connection
        data = pool.remember(store, ("search", astuple(params)), lambda: pages.search_data(store, params))
        return pool.remember(store, key, lambda: JSONBody(data).body)


def _docs_route(app: FastAPI) -> None:
    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> Response:
        spec = app.openapi()
        return HTMLResponse(render.render("apidocs.html", spec=spec, groups=_operations(spec), json_url=None, q=""))


_EXAMPLES = {
    "/api/search": "/api/search?q=罚款&limit=3",
    "/api/documents": "/api/documents?type=条例",
    "/api/stats": "/api/stats",
    "/api/sources": "/api/sources",
    "/search.json": "/search.json?q=罚款",
    "/index.json": "/index.json",
}


def _operations(spec: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                    "type": _type_name(p.get("schema", {})),
                    "description": p.get("description") or p.get("schema", {}).get("description", ""),
                }
                for p in op.get("parameters", [])
            ]
            groups.setdefault((op.get("tags") or ["other"])[0], []).append(
                {
                    "id": op.get("operationId", path),
                    "method": method,
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": params,
                    "responses": list(op.get("responses", {})),
                    "example": _EXAMPLES.get(path),
                }
            )
    return list(groups.items())


def _type_name(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type_name(s) for s in schema["anyOf"])
    name = schema.get("type", "")
    bounds = [f"{k} {schema[k]}" for k in ("minimum", "maximum", "maxLength", "pattern") if k in schema]
    return name + (f" ({', '.join(bounds)})" if bounds else "")
