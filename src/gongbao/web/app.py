"""The HTTP API and the web pages, one FastAPI application over a read-only store.

One handler per resource (search, documents, a document, a provision, duties, agencies, a source), registered on
its page (HTML for a browser, JSON for a client that sends Accept: application/json), its /api/... URL (always
JSON) and the page's older `.json` twin; parameters are declared once, as dependencies.  Every JSON answer follows
the one grammar of `grammar.py` (paging by limit/offset with next/previous links, every field present, one status
object, one error shape with stable codes and Chinese messages).

  /, /search, /documents, /documents/{id}, /duties, /agencies, /source/{file}   pages (Jinja2, no JavaScript needed)
  /api/...                                                                     the same resources as JSON
  /search.csv, /duties.csv, /documents/{id}/export, /feeds/...                 spreadsheets, downloads, feeds
  /docs, /openapi.json                                                         the API described

Every response carries a restrictive Content-Security-Policy and friends; one log line per request; CORS only for
the origins configured (`gongbao serve --cors`).  Connections: a pool of read-only `Corpus` handles (SQLite or
PostgreSQL), one per worker thread at a time, so each handle's search cache is reused across requests."""

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
from dataclasses import astuple, dataclass, replace
from datetime import date
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, ClassVar, TypeVar
from urllib.parse import quote, unquote, urlsplit

import anyio.to_thread
from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BeforeValidator
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gongbao.export.tables import DUTY_FIELDS, HIT_FIELDS, hit_rows, to_csv, to_xlsx
from gongbao.ingest import default_db_path, open_store
from gongbao.link.duties import ROLES
from gongbao.link.status import STATUSES
from gongbao.parse.pages import attach_pages
from gongbao.store import Corpus, StoreError, open_corpus
from gongbao.store.backends import exists
from gongbao.web import grammar, graph, pages, render, schemas
from gongbao.web.exports import add_export_routes
from gongbao.web.pages import MAX_QUERY_CHARS, MAX_SOURCE_LINES, DocumentFilters, SearchParams

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
    """JSON for /api/..., for a path ending in .json, and for a client that asks for JSON rather than HTML."""
    path = request.url.path
    if path.startswith("/api/") or path.endswith(".json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _error(request: Request, status: int, code: str, message: str, details: list | None = None) -> Response:
    """An error in the API's one shape (grammar.py), or as an HTML page for a reader."""
    if _wants_json(request):
        body = {"error": {"code": code, "message": message, "status": status, "details": details or []}}
        return JSONBody(body, status_code=status)
    title = {400: "请求参数有误", 404: "找不到这一页", 422: "请求参数有误", 500: "服务器出错了"}.get(status, "出错了")
    html = render.render("error.html", status=status, title=title, message=message, json_url=None, q="")
    return HTMLResponse(html, status_code=status)


def _not_found(what: str) -> HTTPException:
    return HTTPException(404, what)


# pydantic's complaints about a parameter, in Chinese
_INVALID_ZH = {
    "missing": "缺少这个参数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "date_from_datetime_parsing": "应为日期，写作 YYYY-MM-DD",
    "date_parsing": "应为日期，写作 YYYY-MM-DD",
    "string_pattern_mismatch": "格式不对",
    "string_too_long": "最多 {max_length} 个字符",
    "string_too_short": "至少 {min_length} 个字符",
    "less_than_equal": "应不大于 {le}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "greater_than": "应大于 {gt}",
}


def _invalid_zh(error: dict[str, Any]) -> str:
    template = _INVALID_ZH.get(error.get("type", ""))
    if template is None:
        return "取值无效"
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return "取值无效"


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404:
            return _error(request, 404, "not_found", str(exc.detail) if exc.detail != "Not Found" else "没有这个地址")
        if exc.status_code == 405:
            response = _error(request, 405, "method_not_allowed", "只读接口：请用 GET（或 HEAD）")
            response.headers["allow"] = (exc.headers or {}).get("Allow", "GET, HEAD")
            return response
        return _error(request, exc.status_code, "http_error", str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {"param": ".".join(str(x) for x in e.get("loc", ())[1:]) or "?", "message": _invalid_zh(e)}
            for e in exc.errors()
        ]
        message = "；".join(f"{e['param']}：{e['message']}" for e in details)
        return _error(request, 422, "invalid_parameter", f"参数有误 — {message}", details)

    @app.exception_handler(grammar.RangeError)
    async def reversed_range(request: Request, exc: grammar.RangeError) -> Response:
        details = [{"param": exc.param, "message": exc.message}]
        return _error(request, 400, "invalid_range", f"{exc.param}：{exc.message}", details)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", _loggable(request.scope))
        return _error(request, 500, "internal_error", "服务器内部错误（已记入服务器日志）")


# --------------------------------------------------------------------------------------------- params

TypeQ = Annotated[str | None, Query(alias="type", max_length=50, description="Document type: 条例, 通知, 报告 …")]
IssuerQ = Annotated[str | None, Query(max_length=100, description="Issuer or title contains this.")]
FileQ = Annotated[str | None, Query(max_length=200, description="Source file name, e.g. 000_644bd53d4fe8cae3.txt.")]
YearsQ = Annotated[
    str | None,
    Query(pattern=r"^(19|20|21)\d\d(-(19|20|21)\d\d)?$", description="A year or a range: 2022, 2021-2023."),
]
LawsQ = Annotated[bool | None, Query(description="Only texts with articles (true) or without (false).")]
CollapseQ = Annotated[bool, Query(description="At most one hit per document.")]
InForceQ = Annotated[bool | None, Query(description="Only texts in force today (现行有效, 已被修改, 部分失效).")]
LimitQ = Annotated[
    int | None,
    Query(ge=1, le=grammar.MAX_LIMIT, description=f"How many (at most {grammar.MAX_LIMIT}; default 10 hits, 50 else)."),
]
OffsetQ = Annotated[int | None, Query(ge=0, le=grammar.MAX_OFFSET, description="Skip this many, from 0.")]
PageQ = Annotated[int | None, Query(ge=1, le=10_000, deprecated=True, description="Deprecated: use offset.")]
PerPageQ = Annotated[
    int | None, Query(ge=1, le=grammar.MAX_LIMIT, deprecated=True, description="Deprecated: use limit.")
]
QueryQ = Annotated[
    str,
    Query(
        max_length=MAX_QUERY_CHARS,
        description='Words, a "quoted phrase", a 《title》 or a question in everyday Chinese (empty: no hits).',
    ),
]
HighlightQ = Annotated[str | None, Query(max_length=MAX_QUERY_CHARS, description="Search terms to mark in the text.")]
DocId = Annotated[str, PathParam(max_length=64, description="Document id, e.g. 2fcd77998da3.")]
ProvisionId = Annotated[str, PathParam(max_length=200, description="Provision id, e.g. chp_2__art_19.")]
FileName = Annotated[str, PathParam(max_length=200, description="Name of an ingested source file.")]
StartQ = Annotated[int | None, Query(ge=1, le=10_000_000, description="First line of the part of the file shown.")]
PartQ = Annotated[int | None, Query(ge=1, le=10_000, description="Part of a long document shown, from 1.")]
WholeQ = Annotated[bool, Query(description="All of a long document on one page (to print or search in it).")]
AtQ = Annotated[str | None, Query(max_length=200, description="Show the part that holds this provision (id).")]
LinesQ = Annotated[str | None, Query(pattern=r"^\d{1,7}(-\d{1,7})?$", description="Lines to mark: 120 or 120-130.")]


StatusQ = Annotated[
    str | None,
    Query(
        pattern="^(" + "|".join([*STATUSES, *grammar.STATUS_CODES.values()]) + ")$",
        description="Status today, as a code or a word: "
        + ", ".join(f"{c} ({w})" for w, c in grammar.STATUS_CODES.items()),
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
OverdueQ = Annotated[bool, Query(description="Only duties whose deadline has passed (before as_of).")]
DueAfterQ = Annotated[
    date | None, BeforeValidator(_iso_day), Query(description="Only duties due on or after this day (YYYY-MM-DD).")
]
DueBeforeQ = Annotated[
    date | None, BeforeValidator(_iso_day), Query(description="Only duties due on or before this day (YYYY-MM-DD).")
]
NoDeadlineQ = Annotated[bool, Query(description="Only duties without a date to meet.")]
SortQ = Annotated[str, Query(pattern="^(document|deadline)$", description="document (as printed) or deadline.")]


def document_filters(
    doc_type: TypeQ = None, issuer: IssuerQ = None, year: YearsQ = None, file: FileQ = None, status: StatusQ = None
) -> DocumentFilters:
    """The filters of the document list (the API and the page) in one place; a reversed year range is refused."""
    grammar.years_range(year)
    return DocumentFilters(doc_type, issuer, year, file, grammar.status_filter(status))


@dataclass(frozen=True)
class Paging:
    """Where a page of a list starts and how long it is: the one paging grammar (grammar.py)."""

    limit: int
    offset: int


def _paging(default: int) -> Callable[..., Paging]:
    def paging(limit: LimitQ = None, offset: OffsetQ = None, page: PageQ = None, per_page: PerPageQ = None) -> Paging:
        return Paging(*grammar.resolve_paging(limit, offset, page, per_page, default))

    return paging


DocFilters = Annotated[DocumentFilters, Depends(document_filters)]
HitPaging = Annotated[Paging, Depends(_paging(10))]
ListPaging = Annotated[Paging, Depends(_paging(50))]


def search_params(
    paging: HitPaging,
    q: QueryQ = "",
    doc_type: TypeQ = None,
    issuer: IssuerQ = None,
    year: YearsQ = None,
    file: FileQ = None,
    laws: LawsQ = None,
    collapse: CollapseQ = False,
    status: StatusQ = None,
    in_force: InForceQ = None,
) -> SearchParams:
    """The parameters of a search (the API, the page, its CSV) in one place; a reversed year range is refused."""
    grammar.years_range(year)
    word = grammar.status_filter(status)
    return SearchParams(q, doc_type, issuer, year, file, laws, collapse, paging.limit, paging.offset, word, in_force)


def duty_question(
    agency: AgencyQ = None,
    document: DocumentQ = None,
    role: RoleQ = None,
    overdue: OverdueQ = False,
    due_after: DueAfterQ = None,
    due_before: DueBeforeQ = None,
    no_deadline: NoDeadlineQ = False,
    sort: SortQ = "document",
    as_of: AsOfQ = None,
) -> graph.DutyQuestion:
    """What a duties list is asked (the API, the page, its CSV) in one place; a reversed window is refused."""
    if due_after and due_before and due_before < due_after:
        raise grammar.RangeError("due_before", f"期限范围颠倒了：due_after {due_after} 晚于 due_before {due_before}")
    return graph.DutyQuestion(agency, document, role, overdue, due_after, due_before, no_deadline, sort, as_of)


SearchQ = Annotated[SearchParams, Depends(search_params)]
DutyAsk = Annotated[graph.DutyQuestion, Depends(duty_question)]
_CSV: dict[int | str, dict[str, Any]] = {
    200: {"description": "CSV, UTF-8 with a header row", "content": {"text/csv": {}}},
    400: {"description": "A reversed range", "content": {"text/html": {}, "application/json": {}}},
    422: {"description": "Invalid parameter", "content": {"text/html": {}, "application/json": {}}},
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_XLSX = {**_CSV, 200: {"description": "An Excel workbook", "content": {XLSX: {}}}}
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": schemas.ErrorAnswer, "description": "A reversed range (invalid_range)"},
    404: {"model": schemas.ErrorAnswer, "description": "Not found (not_found)"},
    422: {"model": schemas.ErrorAnswer, "description": "Invalid parameter (invalid_parameter)"},
}
# a page answers HTML, or JSON when the client asks for it (Accept: application/json)
HTML_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": what, "content": {"text/html": {}, "application/json": {}}}
    for code, what in ((400, "A reversed range"), (404, "Not found"), (422, "Invalid parameter"))
}


# ------------------------------------------------------------------------------------------------ app


def create_app(db_path: str | Path | None = None, cors: str | None = None) -> FastAPI:
    """The application over the database at `db_path`, a file or a postgresql:// address (default: the user's
    database, built from the bundled samples when missing).  The app only reads.  `cors` (else GONGBAO_CORS):
    the origins, comma-separated (or *), whose browser scripts may GET from it; none by default."""
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
    origins = [o.strip() for o in (cors if cors is not None else os.environ.get("GONGBAO_CORS", "")).split(",")]
    if any(origins):
        app.add_middleware(CORSMiddleware, allow_origins=[o for o in origins if o], allow_methods=["GET", "HEAD"],
                           allow_headers=["Accept", "Accept-Language"], max_age=3600)  # fmt: skip
    _install_error_handlers(app)
    static = resources.files("gongbao") / "web" / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    add_export_routes(app, pool)  # /documents/{id}/export, /feeds/…: before the pages' /documents/{id}
    _resources(app, pool)
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
        raise _not_found(f"没有编号为「{doc_id}」的文件")
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


def _json(model: Any, data: Any, status_code: int = 200) -> Response:
    """A JSON answer with every field of its model present (null when unknown)."""
    return JSONBody(grammar.complete(model, data), status_code=status_code)


def _paged(request: Request, data: dict[str, Any], params: dict[str, Any], paging: Paging) -> dict[str, Any]:
    """A list answer's paging fields added, the links on the path asked (an /api URL, a page, its .json)."""
    data.update(grammar.paging_fields(request.url.path, params, data["total"], paging.limit, paging.offset))
    return data


def _page_of(items: list[Any], paging: Paging) -> list[Any]:
    return items[paging.offset : paging.offset + paging.limit]


class _Routes:
    """One handler per resource, registered on its /api URL (JSON), its page (HTML, or JSON when the client asks
    for it with Accept: application/json) and the page's .json twin (the same, kept for the URLs already out)."""

    API: ClassVar[list[str | Enum]] = ["API"]
    PAGES: ClassVar[list[str | Enum]] = ["pages (HTML; JSON with Accept: application/json or .json)"]

    def __init__(self, app: FastAPI):
        self.app = app

    def on(
        self, api: str | None, page: str | None, model: Any, summary: str, twin: bool = True
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(handler: Callable[..., Any]) -> Callable[..., Any]:
            if api:
                self.app.get(api, tags=self.API, response_model=model, responses=ERRORS, summary=summary)(handler)
            if page and twin:
                suffix = page.rstrip("/") + ".json" if page != "/" else "/index.json"
                self.app.get(suffix, include_in_schema=api is None and page == "/", response_model=model,
                             responses=ERRORS, tags=self.PAGES, summary=summary)(handler)  # fmt: skip
            if page:  # the page's 200 is HTML, or the model's JSON when the client asks for JSON
                self.app.get(page, tags=self.PAGES, response_class=HTMLResponse,
                             responses=_html_or_json(model.__name__), summary=summary)(handler)  # fmt: skip
            return handler

        return register


def _csv(text: str, name: str) -> Response:
    """A CSV download (UTF-8 with a byte-order mark, so that a spreadsheet reads the Chinese right)."""
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    return Response("\ufeff" + text, media_type="text/csv; charset=utf-8", headers=headers)


def _html_or_json(model: str) -> dict[int | str, dict[str, Any]]:
    """The answers of a page: HTML, or the JSON of `model` when the client asks for it (and errors so too)."""
    json_ok = {"application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}}
    return {200: {"description": "HTML, or JSON (Accept: application/json)", "content": json_ok}, **HTML_ERRORS}


def _resources(app: FastAPI, pool: StorePool) -> None:
    routes = _Routes(app)

    def home_data() -> dict[str, Any]:
        with pool.store() as store:
            return pool.remember(store, "home", lambda: pages.home_data(store))

    def home_page_data() -> dict[str, Any]:
        """What the home page shows: home_data and the example searches (only the home page needs those)."""
        with pool.store() as store:
            examples = pool.remember(store, "home_examples", lambda: pages.home_examples(store))
        return {**home_data(), "examples": examples}

    @routes.on(None, "/", schemas.Home, "Home: search box and the corpus at a glance")
    def home(request: Request) -> Response:
        data = home_page_data()
        if _wants_json(request):
            return _json(schemas.Home, data)
        return HTMLResponse(render.render("home.html", json_url="/index.json", q="", **data))

    @app.get("/.json", include_in_schema=False)
    def home_json_alias() -> Response:
        return _json(schemas.Home, home_page_data())

    @routes.on("/api/search", "/search", schemas.SearchResponse,
               "Search provisions (the parameters and hits of `gongbao search`, with facets)")  # fmt: skip
    async def search(request: Request, params: SearchQ) -> Response:
        if _wants_json(request):
            return await _search_json(pool, params, request.url.path)
        return await run_in_threadpool(_search_page, pool, params, request)

    @app.get("/search.csv", tags=routes.PAGES, response_class=Response, responses=_CSV,
             summary="The search results as CSV (a spreadsheet), the same parameters")  # fmt: skip
    def search_csv(params: SearchQ) -> Response:
        data = _search_data(pool, params, "/search.csv")
        return _csv(to_csv(hit_rows(data["hits"]), HIT_FIELDS), "search.csv")

    @routes.on("/api/documents", "/documents", schemas.DocumentList, "Documents, filtered, a page at a time")
    def documents(request: Request, filters: DocFilters, paging: ListPaging) -> Response:
        with pool.store() as store:
            data = pages.documents_data(store, filters, paging.limit, paging.offset)
        _paged(request, data, filters.params(), paging)
        if _wants_json(request):
            return _json(schemas.DocumentList, data)
        with pool.store() as store:
            choices = pool.remember(store, "choices", lambda: pages.filter_choices(store))
        html = render.render(
            "documents.html",
            data=data,
            types=choices["documents_by_type"],
            sources=choices["sources"],
            json_url=_twin(request),
            q="",
            **_pager(data, lambda n: render.url("/documents", filters.params() | _offset(n, paging, 50))),
        )
        return HTMLResponse(html)

    @routes.on("/api/documents/{doc_id}", "/documents/{doc_id}", schemas.DocumentDetail,
               "A document: metadata, contents, provisions as a tree, relations, status, duties, figures")  # fmt: skip
    def document(
        request: Request,
        doc_id: DocId,
        q: HighlightQ = None,
        part: PartQ = None,
        at: AtQ = None,
        whole: WholeQ = False,
    ) -> Response:
        with pool.store() as store:
            view = _load_view(store, doc_id)
        if _wants_json(request):
            return _json(schemas.DocumentDetail, _document_json(view, doc_id, 0 if whole else part, at))
        return HTMLResponse(_document_page(view, doc_id, q, 0 if whole else part, at))

    @routes.on("/api/documents/{doc_id}/provisions/{provision_id}", "/documents/{doc_id}/provisions/{provision_id}",
               schemas.ProvisionDetail, "One provision (its id or the short id the page shows, e.g. art_19) with "
               "what it contains, its citation and its place in the document", twin=False)  # fmt: skip
    def provision(request: Request, doc_id: DocId, provision_id: ProvisionId) -> Response:
        with pool.store() as store:
            view = _load_view(store, doc_id)
        data = pages.provision_data(view, provision_id)
        if data is None:
            raise _not_found(f"文件「{doc_id}」中没有编号为「{provision_id}」的条款")
        if _wants_json(request):
            return _json(schemas.ProvisionDetail, data)
        return RedirectResponse(data["provision"]["url"], status_code=302)

    def existing(store: Corpus, doc_id: str) -> None:
        if store.document(doc_id, with_provisions=False) is None:
            raise _not_found(f"没有编号为「{doc_id}」的文件")

    @app.get("/api/documents/{doc_id}/references", tags=routes.API, response_model=schemas.ReferenceList,
             responses=ERRORS, summary="What a document cites: texts in the corpus (and the article named) or "
             "external, in text order")  # fmt: skip
    def references(request: Request, doc_id: DocId, paging: ListPaging) -> Response:
        with pool.store() as store:
            existing(store, doc_id)
            found = graph.references_data(store, doc_id)
        return _document_list(request, doc_id, "references", found, schemas.ReferenceList, paging)

    @app.get("/api/documents/{doc_id}/cited-by", tags=routes.API, response_model=schemas.CitedBy, responses=ERRORS,
             summary="Who cites a document, and which documents promulgate, explain, review, repeal … it")  # fmt: skip
    def cited_by(request: Request, doc_id: DocId, paging: ListPaging) -> Response:
        with pool.store() as store:
            existing(store, doc_id)
            found = graph.cited_by_data(store, doc_id)
        return _document_list(request, doc_id, "cited_by", found["cited_by"], schemas.CitedBy, paging,
                              relations=found["relations"])  # fmt: skip

    @app.get("/api/documents/{doc_id}/figures", tags=routes.API, response_model=schemas.FigureList,
             responses=ERRORS, summary="Numeric targets and achievements of a plan or report (suspect: may have "
             "lost a decimal point)")  # fmt: skip
    def figures(request: Request, doc_id: DocId, paging: ListPaging) -> Response:
        with pool.store() as store:
            existing(store, doc_id)
            found = graph.figures_data(store, doc_id)
        return _document_list(request, doc_id, "figures", found, schemas.FigureList, paging)

    @app.get("/api/documents/{doc_id}/status", tags=routes.API, response_model=schemas.StatusAnswer,
             responses=ERRORS, summary="Whether a document is in force on a day (code none: a text without force "
             "of its own)")  # fmt: skip
    def status(doc_id: DocId, as_of: AsOfQ = None) -> Response:
        with pool.store() as store:
            existing(store, doc_id)
            data = {"document_id": doc_id, "status": graph.status_data(store, doc_id, as_of)}
        return _json(schemas.StatusAnswer, data)

    @routes.on("/api/duties", "/duties", schemas.DutyList,
               "Who must do what by when: duties of an agency or official and/or of a document")  # fmt: skip
    def duties(request: Request, paging: ListPaging, ask: DutyAsk) -> Response:
        with pool.store() as store:
            data = graph.duties_data(store, ask, paging.limit, paging.offset)
        _paged(request, data, ask.params(), paging)
        if _wants_json(request):
            return _json(schemas.DutyList, data)
        html = render.render(
            "duties.html",
            data=data,
            json_url=_twin(request),
            q="",
            csv_url=render.url("/duties.csv", ask.params()),
            **_pager(data, lambda n: render.url("/duties", ask.params() | _offset(n, paging, 50))),
        )
        return HTMLResponse(html)

    @app.get("/duties.csv", tags=routes.PAGES, response_class=Response, responses=_CSV,
             summary="The duties asked for as CSV (a spreadsheet), all of them, the same parameters")  # fmt: skip
    def duties_csv(ask: DutyAsk) -> Response:
        with pool.store() as store:
            data = graph.duties_data(store, ask, limit=None)
        return _csv(to_csv(data["duties"], DUTY_FIELDS), "duties.csv")

    @app.get("/duties.xlsx", tags=routes.PAGES, response_class=Response, responses=_XLSX,
             summary="The duties asked for as an Excel workbook (.xlsx), all of them, the same parameters")  # fmt: skip
    def duties_xlsx(ask: DutyAsk) -> Response:
        with pool.store() as store:
            data = graph.duties_data(store, ask, limit=None)
        headers = {"content-disposition": 'attachment; filename="duties.xlsx"'}
        return Response(to_xlsx(data["duties"], DUTY_FIELDS, "职责"), media_type=XLSX, headers=headers)

    @routes.on("/api/agencies", "/agencies", schemas.AgencyList,
               "The agencies with duties, most first, each with its counts (overdue, due within 30 days)")  # fmt: skip
    def agencies(request: Request, paging: ListPaging, as_of: AsOfQ = None) -> Response:
        with pool.store() as store:
            found = graph.agencies_data(store, as_of)
        data = _paged(request, {"agencies": _page_of(found, paging), "total": len(found)}, {}, paging)
        if _wants_json(request):
            return _json(schemas.AgencyList, data)
        link = lambda n: render.url("/agencies", _offset(n, paging, 50))  # noqa: E731
        html = render.render("agencies.html", data=data, json_url=_twin(request), q="", **_pager(data, link))
        return HTMLResponse(html)

    @app.get("/api/stats", tags=routes.API, response_model=schemas.Stats, summary="Counts of the corpus")
    def stats() -> Response:
        with pool.store() as store:
            return _json(schemas.Stats, pool.remember(store, "stats", store.stats))

    @app.get("/api/sources", tags=routes.API, response_model=schemas.SourceList, responses=ERRORS,
             summary="The gazette issues ingested, with their documents and the lines that belong to none")  # fmt: skip
    def sources(request: Request, paging: ListPaging) -> Response:
        with pool.store() as store:
            found = pool.remember(store, "sources", lambda: pages.sources_data(store))
        data = {"sources": _page_of(found, paging), "total": len(found)}
        return _json(schemas.SourceList, _paged(request, data, {}, paging))

    @app.get("/api/sources/{file:path}", tags=routes.API, response_model=schemas.SourceView, responses=ERRORS,
             summary=f"One ingested gazette file with its raw lines (at most {MAX_SOURCE_LINES})")  # fmt: skip
    def api_source(
        file: FileName,
        start: Annotated[int, Query(ge=1, le=10_000_000, description="First line.")] = 1,
        end: Annotated[
            int | None, Query(ge=1, le=10_000_000, description=f"Last line (at most start + {MAX_SOURCE_LINES - 1}).")
        ] = None,
    ) -> Response:
        if end is not None and end < start:
            raise grammar.RangeError("end", f"行范围颠倒了：end {end} 在 start {start} 之前")
        # at most MAX_SOURCE_LINES from `start` (the range returned says which)
        last = min(end if end is not None else start + MAX_SOURCE_LINES - 1, start + MAX_SOURCE_LINES - 1)
        with pool.store() as store:
            data = pages.source_data(store, file, (start, last))
        if data is None:
            raise _not_found(f"没有名为「{file}」的已收录公报文件")
        return _json(schemas.SourceView, data)

    _source_routes(app, pool)


def _source_routes(app: FastAPI, pool: StorePool) -> None:
    tags = _Routes.PAGES

    @app.get(
        "/source/{file:path}.json",
        include_in_schema=False,
        response_model=schemas.SourceView,
        responses=ERRORS,
    )
    def source_json(file: FileName, lines: LinesQ = None, start: StartQ = None) -> Response:
        selected = _line_range(lines)
        window = selected if selected and start is None else pages.source_window(None, start, MAX_SOURCE_LINES)
        window = (window[0], min(window[1], window[0] + MAX_SOURCE_LINES - 1))
        with pool.store() as store:
            data = pages.source_data(store, file, window)
        if data is None:
            raise _not_found(f"没有名为「{file}」的已收录公报文件")
        return _json(schemas.SourceView, data)

    @app.get(
        "/source/{file:path}/original",
        tags=tags,
        response_class=FileResponse,
        responses={200: {"description": "The PDF", "content": {"application/pdf": {}}}, **HTML_ERRORS},
        summary="The original PDF of an ingested source (open it at a page with #page=N)",
    )
    def source_original(file: FileName) -> Response:
        with pool.store() as store:
            path = pages.original_path(store, file)
        if path is None:
            raise _not_found(f"「{file}」的原始 PDF 不可用（收录后已移动或改动）")
        return FileResponse(path, media_type="application/pdf", filename=file, content_disposition_type="inline")

    @app.get(
        "/source/{file:path}",
        tags=tags,
        response_class=HTMLResponse,
        responses=_html_or_json("SourceView"),
        summary="The original text of an ingested gazette file, numbered lines (#L120), ?lines=120-130 marked",
    )
    def source_page(request: Request, file: FileName, lines: LinesQ = None, start: StartQ = None) -> Response:
        if _wants_json(request):
            return source_json(file, lines, start)
        selected = _line_range(lines)
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


def _line_range(lines: str | None) -> tuple[int, int] | None:
    """`lines=120-130` as a range; a reversed one (130-120) is refused."""
    if lines and "-" in lines:
        a, b = (int(x) for x in lines.split("-"))
        if b < a:
            raise grammar.RangeError("lines", f"行范围 {lines} 颠倒了：应写作 {b}-{a}")
    return pages.parse_line_range(lines)


def _offset(n: int, paging: Paging, default: int) -> dict[str, Any]:
    """The URL parameters of page `n` of a list shown `paging.limit` at a time."""
    out: dict[str, Any] = {"limit": paging.limit} if paging.limit != default else {}
    return out | ({"offset": (n - 1) * paging.limit} if n > 1 else {})


def _pager(data: dict[str, Any], link: Callable[[int], str]) -> dict[str, Any]:
    page, count = grammar.page_numbers(data)
    return {"page": page, "pages": count, "page_link": link}


def _document_page(view: pages.DocumentView, doc_id: str, q: str | None, part: int | None, at: str | None) -> str:
    """The page of a document: one part of a long one (part 0: all of it on one page, to print)."""
    shown, count = _part_shown(view, part, at, q)
    return render.render(
        "document.html",
        view=view,
        body=render.document_body(view, q, shown),
        part=shown,
        parts=count,
        part_link=lambda n: _part_url(doc_id, q, n),
        whole_url=render.url(pages.document_url(doc_id), {k: v for k, v in (("q", q), ("whole", "true")) if v}),
        toc_href=lambda anchor: _toc_href(view, doc_id, q, shown, anchor),
        q=q or "",
        plain_url=pages.document_url(doc_id),
        json_url=pages.document_url(doc_id) + ".json",
    )


def _document_list(
    request: Request, doc_id: str, name: str, found: list[Any], model: Any, paging: Paging, **more: Any
) -> Response:
    """One of a document's lists (references, cited_by, figures) a page at a time, in the API's paging grammar."""
    data = {"document_id": doc_id, name: _page_of(found, paging), **more, "total": len(found)}
    return _json(model, _paged(request, data, {}, paging))


def _part_shown(view: pages.DocumentView, part: int | None, at: str | None, q: str | None = None) -> tuple[int, int]:
    """(the part of a document shown, how many it has): the part asked for, else the one holding the provision
    linked to, else the first one the query marks, else the first; 404 past the last."""
    count = max(1, len(view.parts))
    shown = part if part is not None else (view.part_for(at) if at else render.first_part_marked(view, q) or 1)
    if shown > count:
        raise _not_found(f"文件「{view.document.title}」只有 {count} 部分，没有第 {shown} 部分")
    return shown, count


def _document_json(view: pages.DocumentView, doc_id: str, part: int | None, at: str | None) -> dict[str, Any]:
    """A document's JSON: a long one a part at a time like its page (the part asked for, else the one holding `at`,
    else the first; part 0: all of it), with the links to the parts before and after."""
    shown, count = _part_shown(view, part, at)
    base = "/api/documents/" + quote(doc_id, safe="")

    def link(n: int) -> str | None:
        return render.url(base, {"part": n}) if shown and 1 <= n <= count else None

    data = view.to_dict(shown if count > 1 else 0)
    return data | {"part": shown, "parts": count, "next": link(shown + 1), "previous": link(shown - 1)}


def _part_url(doc_id: str, q: str | None, part: int) -> str:
    """A part of a long document's page (the search terms still marked)."""
    params = {k: v for k, v in (("q", q), ("part", part if part > 1 else None)) if v}
    return render.url(pages.document_url(doc_id), params)


def _toc_href(view: pages.DocumentView, doc_id: str, q: str | None, shown: int, anchor: str) -> str:
    """A link of the contents: on this page (all of the text, for part 0), or to the part that holds it."""
    where = view.part_for(anchor)
    return f"#{anchor}" if where == shown or shown == 0 else f"{_part_url(doc_id, q, where)}#{anchor}"


def _twin(request: Request) -> str:
    """The page's URL with .json added to its path, the same query."""
    url = request.url.path + ".json"
    return url + ("?" + request.url.query if request.url.query else "")


def _search_data(pool: StorePool, params: SearchParams, path: str) -> dict[str, Any]:
    """A search's answer (remembered per version of the database), its paging links on `path`."""
    with pool.store() as store:
        data = pool.remember(store, ("search", astuple(params)), lambda: pages.search_data(store, params))
    links = grammar.paging_fields(path, params.query(), data["total"], params.limit, params.offset or 0)
    return grammar.complete(schemas.SearchResponse, {**data, **links})


def _search_page(pool: StorePool, params: SearchParams, request: Request) -> Response:
    data = _search_data(pool, params, "/search")  # the page is rendered in this worker thread too
    html = render.render(
        "search.html",
        data=data,
        params=params,
        q=params.q,
        json_url=_twin(request),
        **_pager(data, lambda n: render.url("/search", params.query(offset=(n - 1) * params.limit or None))),
    )
    return HTMLResponse(html)


async def _search_json(pool: StorePool, params: SearchParams, path: str) -> Response:
    """A search as JSON, answered once per version of the database: people ask the same questions again and
    again, and a search costs milliseconds of CPU that a remembered answer (already encoded) does not.  A
    remembered answer is served on the event loop; only a search that must run goes to a worker thread (the
    hand-over between threads costs more than the lookup), and only as many at once as there are cores."""
    key = ("search.json", path, astuple(params))
    with pool.store() as store:
        body = pool.recall(store, key)
    if body is None:
        body = await anyio.to_thread.run_sync(_encoded_search, pool, key, params, path, limiter=pool.searches())
    return Response(body, media_type="application/json")


def _encoded_search(pool: StorePool, key: Hashable, params: SearchParams, path: str) -> bytes:
    data = _search_data(pool, params, path)  # the handle is taken in the worker: a waiting request holds none
    with pool.store() as store:
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
