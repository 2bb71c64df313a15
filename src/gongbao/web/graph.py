"""The policy graph as pages show it: references, who cites a document, its status, duties and figures.  Plain
data, like `pages`; the API returns these dictionaries and the templates render them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from gongbao.link.duties import Tracking, agency_matches, track
from gongbao.model import Document
from gongbao.store import Corpus
from gongbao.web import grammar
from gongbao.web.pages import document_url, source_url

AGENCIES_SHOWN = 60  # agencies offered beside a duties list (all of them: /api/agencies)


def status_data(store: Corpus, doc_id: str, as_of: date | None = None) -> dict[str, Any]:
    """The status of a document on a day (today by default) as the API's status object (code none: a text
    without force of its own)."""
    status = store.status_of(doc_id, as_of)
    data = grammar.status_object(status, (as_of or date.today()).isoformat())
    if status is not None and status.by:
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


@dataclass(frozen=True)
class DutyQuestion:
    """What a duties list is asked: an agency (a part of its name finds it), a document, a role, and what an office
    tracks (overdue on a day, due in a window, no deadline, sorted by deadline)."""

    agency: str | None = None
    document: str | None = None
    role: str | None = None
    overdue: bool = False
    due_after: date | None = None
    due_before: date | None = None
    no_deadline: bool = False
    sort: str = "document"
    as_of: date | None = None

    def params(self) -> dict[str, Any]:
        """The question as URL parameters (defaults left out)."""
        values = {**self.__dict__, "sort": None if self.sort == "document" else self.sort}
        return {k: (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in values.items() if v}

    def tracking(self) -> Tracking:
        today = (self.as_of or date.today()).isoformat()
        last = self.due_before.isoformat() if self.due_before else None
        return Tracking(today, self.overdue, last, self.no_deadline, self.sort == "deadline")


def duties_data(store: Corpus, ask: DutyQuestion, limit: int | None = 50, offset: int = 0) -> dict[str, Any]:
    """Duties answering `ask`, a page at a time (all of them: limit None), with the agencies to choose from."""
    found = store.duties(document_id=ask.document, agency=ask.agency or None, role=ask.role or None)
    if ask.agency and not found:  # a part of a name: 生态环境 finds 山西省生态环境厅
        everyone = store.duties(document_id=ask.document, role=ask.role or None)
        found = [d for d in everyone if agency_matches(d, ask.agency)]
    counts = _counts(found, ask.as_of)
    found = track(found, ask.tracking())
    if ask.due_after:
        first = ask.due_after.isoformat()
        found = [d for d in found if d.get("deadline") and d["deadline"] >= first]
    return {
        "agency": ask.agency or "",
        "document_id": ask.document,
        "role": ask.role,
        "filters": {k: v.isoformat() if isinstance(v, date) else v for k, v in ask.__dict__.items()},
        "counts": counts,
        "total": len(found),
        "duties": [_duty_links(d) for d in found[offset : None if limit is None else offset + limit]],
        "agencies": [{"agency": a, "level": lvl, "count": n} for a, lvl, n in store.agencies()[:AGENCIES_SHOWN]],
    }


def _counts(duties: list[dict[str, Any]], as_of: date | None) -> dict[str, int]:
    """How many duties, with a deadline, overdue on `as_of` (today), due within the next 30 days."""
    today = as_of or date.today()
    first, soon = today.isoformat(), (today + timedelta(days=30)).isoformat()
    dated = [d["deadline"] for d in duties if d.get("deadline")]
    return {
        "count": len(duties),
        "dated": len(dated),
        "overdue": sum(due < first for due in dated),
        "due_30_days": sum(first <= due <= soon for due in dated),
    }


def agencies_data(store: Corpus, as_of: date | None = None) -> list[dict[str, Any]]:
    """Every agency with duties, most first, with its counts (`_counts`) and the link to its duties."""
    by_agency: dict[str, list[dict[str, Any]]] = {}
    for d in store.duties():
        by_agency.setdefault(d["agency"], []).append(d)
    out = []
    for name, level, n in store.agencies():
        counts = _counts(by_agency.get(name, []), as_of) | {"count": n}
        out.append({"agency": name, "level": level, **counts, "url": "/duties?" + urlencode({"agency": name})})
    return out


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
