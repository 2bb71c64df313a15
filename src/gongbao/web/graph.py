"""The policy graph as pages show it: references, who cites a document, its status, duties and figures.  Plain
data, like `pages`; the API returns these dictionaries and the templates render them."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from gongbao.model import Document
from gongbao.store import Corpus
from gongbao.web.pages import MAX_PER_PAGE, document_url, source_url
from gongbao.web.render import STATUS_LABELS


def status_data(store: Corpus, doc_id: str, as_of: date | None = None) -> dict[str, Any] | None:
    """The status of a document on a day (today by default), or None for texts without force of their own."""
    status = store.status_of(doc_id, as_of)
    if status is None:
        return None
    data = status.to_dict()
    data["label"] = STATUS_LABELS.get(status.status, status.status)
    if status.by:
        data["by_url"] = document_url(status.by)
    return data


def references_data(store: Corpus, doc_id: str, found: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """What a document cites, each with a link to the cited document (and article) when it is in the corpus."""
    out = []
    for r in store.references_of(doc_id) if found is None else found:
        r = dict(r)
        target = r.get("target_id")
        r["url"] = document_url(target, r.get("target_provision")) if target else None
        out.append(r)
    return out


def cited_by_data(store: Corpus, doc_id: str) -> dict[str, Any]:
    citing = []
    for c in store.cited_by(doc_id):
        c = dict(c)
        c["url"] = document_url(c["document_id"], c.get("provision_id"))
        citing.append(c)
    relations = store.relations_of(doc_id)["incoming"]
    for r in relations:
        r["url"] = document_url(r["document_id"])
    return {"cited_by": citing, "relations": relations}


def _duty_links(d: dict[str, Any]) -> dict[str, Any]:
    d = dict(d)
    d["url"] = document_url(d["document_id"], d.get("provision_id"))
    d["source_url"] = source_url(d["file"], d["start_line"], d["end_line"])
    return d


def duties_data(
    store: Corpus,
    agency: str | None = None,
    doc_id: str | None = None,
    role: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> dict[str, Any]:
    """Duties of an agency (or official) and/or of a document, a page at a time, with the agencies to choose from."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    found = store.duties(document_id=doc_id, agency=agency or None, role=role or None)
    start = (page - 1) * per_page
    return {
        "agency": agency or "",
        "document_id": doc_id,
        "role": role,
        "total": len(found),
        "page": page,
        "per_page": per_page,
        "pages": math.ceil(len(found) / per_page),
        "duties": [_duty_links(d) for d in found[start : start + per_page]],
        "agencies": [{"agency": a, "level": lvl, "count": n} for a, lvl, n in store.agencies()[:60]],
    }


def figures_data(store: Corpus, doc_id: str, found: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    out = []
    for f in store.figures(doc_id) if found is None else found:
        f = dict(f)
        f["url"] = document_url(doc_id, f.get("provision_id"))
        out.append(f)
    return out


def document_graph(store: Corpus, doc: Document) -> dict[str, Any]:
    """What the document page adds to the text: status today, references, duties and figures (`doc` loaded with
    its links)."""
    return {
        "status": status_data(store, doc.id),
        "references": references_data(store, doc.id, doc.references),
        "duties": [_duty_links(d) for d in doc.duties],
        "figures": figures_data(store, doc.id, doc.figures),
    }
