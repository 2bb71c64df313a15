"""Downloads and feeds: a document as Akoma Ntoso, Word, Markdown or text (/documents/{id}/export?format=…), and
Atom feeds of the newest documents, of a query, an issuer or a type (/feeds/documents.atom?q=生态环境&issuer=山西),
and of the documents that give an agency duties (/feeds/duties.atom?agency=省生态环境厅).
Registered on the app by create_app; the formats themselves are gongbao.export's."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from gongbao.export import DOCUMENT_FORMATS, document_file
from gongbao.export.feed import FeedInfo, document_time, to_atom
from gongbao.link.level import legal_level
from gongbao.model import Document, SearchFilters

FEED_SIZE = 50
FormatQ = Annotated[str, Query(pattern="^(" + "|".join(DOCUMENT_FORMATS) + ")$", description="akn, docx, md or txt.")]
# errors come as an HTML page or as JSON, by what the client accepts (the app's error handlers)
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": what, "content": {"text/html": {}, "application/json": {}}}
    for code, what in ((404, "Not found"), (422, "Invalid parameter"))
}
DocId = Annotated[str, PathParam(max_length=64, description="Document id, e.g. 2fcd77998da3.")]


def add_export_routes(app: FastAPI, pool: Any) -> None:
    tags: list[str | Enum] = ["exports"]

    @app.get(
        "/documents/{doc_id}/export",
        tags=tags,
        summary="A document as Akoma Ntoso 3.0 XML, Word (.docx), Markdown or plain text, with its citation",
        response_class=Response,
        responses={200: {"content": {m: {} for m, _s in DOCUMENT_FORMATS.values()}}, **_ERRORS},
    )
    def export_document(doc_id: DocId, format: FormatQ = "akn") -> Response:
        with pool.store() as store:
            doc = store.document(doc_id)
            if doc is None:
                raise HTTPException(404, f"没有编号为「{doc_id}」的文件")
            exported = document_file(store, doc, format)
        disposition = f"attachment; filename*=UTF-8''{quote(exported.filename)}"
        return Response(exported.content, media_type=exported.media_type, headers={"Content-Disposition": disposition})

    @app.get(
        "/feeds/documents.atom",
        tags=tags,
        summary="Atom feed of the newest documents, of a query, an issuer, a type or a year",
        response_class=Response,
        responses={200: {"content": {"application/atom+xml": {}}}, **_ERRORS},
    )
    def documents_feed(
        request: Request,
        q: Annotated[str | None, Query(max_length=200, description="Only documents that answer this query.")] = None,
        issuer: Annotated[str | None, Query(max_length=100, description="Issuer or title contains this.")] = None,
        type: Annotated[str | None, Query(max_length=20, description="Document type, e.g. 通知.")] = None,
        year: Annotated[int | None, Query(ge=1949, le=2100, description="Year of the document.")] = None,
    ) -> Response:
        filters = SearchFilters(doc_type=type, issuer=issuer, year_from=year, year_to=year)
        with pool.store() as store:
            docs = _matching(store, q, filters)
        base = str(request.base_url).rstrip("/")
        named = "，".join(x for x in (q, issuer, type, str(year) if year else None) if x)
        info = FeedInfo(f"gongbao：{named or '最新文件'}", str(request.url), f"{base}/documents")
        body = to_atom(docs, info, lambda d: f"{base}/documents/{d.id}",
                       lambda d: legal_level(d.issuer, d.doc_type, d.title, d.inner_title))  # fmt: skip
        return Response(body, media_type="application/atom+xml")

    _add_duty_feed(app, pool, tags)


def _add_duty_feed(app: FastAPI, pool: Any, tags: list[str | Enum]) -> None:
    @app.get(
        "/feeds/duties.atom",
        tags=tags,
        summary="Atom feed of the documents that give an agency duties, newest first (subscribe per agency)",
        response_class=Response,
        responses={200: {"content": {"application/atom+xml": {}}}, **_ERRORS},
    )
    def duties_feed(
        request: Request,
        agency: Annotated[str, Query(min_length=1, max_length=60, description="An agency, e.g. 省生态环境厅.")],
    ) -> Response:
        from gongbao.link.duties import agency_matches

        with pool.store() as store:
            found = store.duties(agency=agency) or [d for d in store.duties() if agency_matches(d, agency)]
            docs = store.documents(list(dict.fromkeys(d["document_id"] for d in found)))
        dated = sorted(docs, key=lambda d: (document_time(d) is not None, document_time(d) or 0), reverse=True)
        base = str(request.base_url).rstrip("/")
        info = FeedInfo(f"gongbao：{agency}的职责", str(request.url), f"{base}/duties?{urlencode({'agency': agency})}")
        body = to_atom(dated[:FEED_SIZE], info, lambda d: f"{base}/documents/{d.id}",
                       lambda d: legal_level(d.issuer, d.doc_type, d.title, d.inner_title))  # fmt: skip
        return Response(body, media_type="application/atom+xml")


def _matching(store: Any, q: str | None, filters: SearchFilters) -> list[Document]:
    """The newest documents (by their latest date) that the filters keep and, with a query, that answer it."""
    if q and q.strip():
        from gongbao.search.engine import search

        hits = search(store, q, limit=100, filters=filters, collapse=True).hits
        docs = store.documents(list(dict.fromkeys(h.document_id for h in hits)))
    else:
        docs = store.select_documents(filters, None, 0)
    dated = sorted(docs, key=lambda d: (document_time(d) is not None, document_time(d) or 0), reverse=True)
    return dated[:FEED_SIZE]
