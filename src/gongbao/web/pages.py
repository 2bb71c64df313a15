"""What each page shows, as plain data.  The JSON twin of a page (and the matching `/api/...` endpoint) returns
exactly these dictionaries; the templates render them.  Everything here reads the store through its parameterised
queries: no user input is ever spliced into SQL or FTS syntax."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from gongbao.link.status import STATUSES
from gongbao.model import Document, Provision, SearchFilters, document_date
from gongbao.parse.pages import page_at, page_label
from gongbao.search import citation
from gongbao.search.engine import Filters, _label_path, search
from gongbao.store import Corpus
from gongbao.web import grammar

MAX_PER_PAGE = 100  # hard cap on any page size (documents, search hits)
MAX_QUERY_CHARS = 200  # a longer query is refused (the search itself reads only the first 200 characters)
MAX_SOURCE_LINES = 5000  # lines of a source returned by one API call
SOURCE_PAGE_LINES = 1000  # lines of a source on one page (a 30 MB gazette has 300 000)
SOURCE_CONTEXT = 50  # lines shown before a marked range
# text characters of a document on one page: the longest plans (a 纲要, ~100 000 characters) come in parts, so that
# a phone's first page stays well under 300 KB of HTML; laws of ordinary length are one part
PART_CHARS = 40_000
_NODE_WEIGHT = 40  # characters a provision's markup is worth when a document is cut into parts
# provisions whose text holds the text of their children (an article holds its 款, a 款 its 项 …)
_CONTAINING = ("article", "paragraph", "item", "subitem")
_STRUCTURE = ("part", "chapter", "section")
_PREFIX = re.compile(r"^(?:(?:part|chp|sec|subsec|title|subchp)_[^_]+__)+")
_YEARS = re.compile(r"(\d{4})(?:-(\d{4}))?")


# ------------------------------------------------------------------------------------------------ urls


def document_url(doc_id: str, anchor: str | None = None, q: str | None = None) -> str:
    """The document page; with an anchor, `at=` names it too, so that the server sends the part of a long document
    that holds it (a fragment never reaches the server)."""
    url = "/documents/" + quote(doc_id, safe="")
    params = {k: v for k, v in (("q", q), ("at", anchor)) if v}
    if params:
        url += "?" + urlencode(params)
    return url + ("#" + quote(anchor, safe="") if anchor else "")


def source_url(file: str, start: int | None = None, end: int | None = None) -> str:
    url = "/source/" + quote(file, safe="")
    if start:
        url += f"?lines={start}-{end or start}#L{start}"
    return url


# ------------------------------------------------------------------------------------------- documents


def summary(doc: Document) -> dict[str, Any]:
    """A document's metadata without its text: what lists, search results and the metadata panel show."""
    return {
        "id": doc.id,
        "title": doc.title,
        "inner_title": doc.inner_title,
        "doc_type": doc.doc_type,
        "issuer": doc.issuer,
        "doc_number": doc.doc_number,
        "dates": dict(doc.dates),
        "date": document_date(doc.dates),
        "source": {
            "file": doc.source.file,
            "start_line": doc.source.start_line,
            "end_line": doc.source.end_line,
            "url": source_url(doc.source.file, doc.source.start_line, doc.source.end_line),
        },
        "url": document_url(doc.id),
    }


@dataclass
class Node:
    """A provision in the document's tree, with the parts of its text that its children do not hold."""

    provision: Provision
    children: list[Node] = field(default_factory=list)
    lead: str = ""  # text before the first child (all of the text of a leaf or of an outline heading)
    tail: str = ""  # text after the last child
    alias: str | None = None  # a short anchor (art_19 for chp_2__art_19) when it is unique in the document
    citation: str | None = None  # 《…》第十九条第二款; None for chapters and blocks

    def to_dict(self) -> dict[str, Any]:
        out = self.provision.to_dict()
        out["citation"] = self.citation
        out["anchor"] = self.alias or self.provision.id
        out["children"] = [c.to_dict() for c in self.children]
        return out


@dataclass
class DocumentView:
    document: Document
    roots: list[Node]
    by_id: dict[str, Node]
    toc: list[dict[str, Any]]
    relations: dict[str, list[dict[str, Any]]]
    # status today, references, duties and figures (graph.document_graph): read fresh, not cached with the tree
    graph: dict[str, Any] = field(default_factory=dict)
    # the document as pages of at most PART_CHARS characters (one part for most), and the part of each anchor
    parts: list[list[Node]] = field(default_factory=list)
    part_of: dict[str, int] = field(default_factory=dict)

    def part_for(self, anchor: str | None) -> int:
        """The part (from 1) that shows `anchor` (a provision id or a short alias); 1 when it is unknown."""
        return self.part_of.get(anchor or "", 1)

    def to_dict(self, part: int = 0) -> dict[str, Any]:
        """The export contract of the page; `part` (from 1) keeps only that part's provisions (0: all of them), so
        that the JSON of a very long document is answered a part at a time as its page is."""
        doc = self.document
        meta = summary(doc)
        meta["source"]["sha256"] = doc.source.sha256
        meta["source"]["url"] = source_url(doc.source.file, doc.source.start_line, doc.source.end_line)
        if doc.source.page is not None:
            meta["source"]["page"], meta["source"]["end_page"] = doc.source.page, doc.source.end_page
            meta["source"]["page_url"] = original_url(doc.source.file, doc.source.page)
        return {
            "document": meta,
            "toc": self.toc,
            "provisions": [n.to_dict() for n in (self.parts[part - 1] if part else self.roots)],
            "relations": self.relations,
            "status": self.graph.get("status") or grammar.status_object(None),
            "references": self.graph.get("references", doc.references),
            "duties": self.graph.get("duties", []),
            "figures": self.graph.get("figures", []),
        }


def document_view(doc: Document, relations: dict[str, list[dict[str, Any]]] | None = None) -> DocumentView:
    """The document (loaded with its provisions) as a tree, with anchors, citations, contents (and the relations
    given, see `relations_of`)."""
    by_id = {p.id: Node(p) for p in doc.provisions}
    roots: list[Node] = []
    for p in doc.provisions:
        parent = by_id.get(p.parent) if p.parent else None
        (parent.children if parent else roots).append(by_id[p.id])
    _set_texts(by_id.values())
    _set_aliases(by_id)
    _set_citations(doc, by_id)
    view = DocumentView(doc, roots, by_id, _toc(roots, doc), relations or {"outgoing": [], "incoming": []})
    view.parts = split_parts(roots, PART_CHARS)
    view.part_of = _anchor_parts(view.parts)
    return view


def split_parts(roots: list[Node], budget: int) -> list[list[Node]]:
    """The provision tree cut into pages of about `budget` characters, in document order, cuts between whole
    provisions: a chapter (or outline heading) longer than a page goes on over the next pages (each shows a copy
    of it holding the provisions of it that page has, its own text on the first), an article is never cut."""
    weights: dict[int, int] = {}

    def weight(n: Node) -> int:
        if id(n) not in weights:
            weights[id(n)] = len(n.lead) + len(n.tail) + _NODE_WEIGHT + sum(weight(c) for c in n.children)
        return weights[id(n)]

    units: list[tuple[Node, tuple[Node, ...]]] = []  # (a provision shown whole, the provisions around it)

    def flatten(n: Node, around: tuple[Node, ...]) -> None:
        if weight(n) <= budget or not n.children or n.provision.kind == "article":
            units.append((n, around))
        else:
            for c in n.children:
                flatten(c, (*around, n))

    for n in roots:
        flatten(n, ())
    return _pack(units, budget, weight)


def _pack(units: list[tuple[Node, tuple[Node, ...]]], budget: int, weight: Callable[[Node], int]) -> list[list[Node]]:
    parts: list[list[Node]] = [[]]
    copies: dict[int, Node] = {}  # id of an enclosing provision → its copy on the page being filled
    last: dict[int, tuple[Node, Node]] = {}  # id of an enclosing provision → (it, its copy on its last page)
    used = 0
    for unit, around in units:
        if used and used + weight(unit) > budget:
            parts.append([])
            copies, used = {}, 0
        siblings = parts[-1]
        for outer in around:
            if id(outer) not in copies:
                first = id(outer) not in last
                copies[id(outer)] = replace(outer, children=[], lead=outer.lead if first else "", tail="")
                siblings.append(copies[id(outer)])
                used += _NODE_WEIGHT + len(copies[id(outer)].lead)
                last[id(outer)] = (outer, copies[id(outer)])
            siblings = copies[id(outer)].children
        siblings.append(unit)
        used += weight(unit)
    for outer, copy in last.values():  # the text after an enclosing provision's last child: on its last page
        copy.tail = outer.tail
    return [p for p in parts if p]


def _anchor_parts(parts: list[list[Node]]) -> dict[str, int]:
    where: dict[str, int] = {}

    def walk(n: Node, number: int) -> None:
        for key in (n.provision.id, n.alias):
            if key and key not in where:
                where[key] = number
        for c in n.children:
            walk(c, number)

    for number, part in enumerate(parts, 1):
        for n in part:
            walk(n, number)
    return where


def _set_texts(nodes) -> None:
    for n in nodes:
        n.lead, n.tail = _own_text(n)


def _own_text(node: Node) -> tuple[str, str]:
    """The text of a provision that its children do not show: an article's text repeats its 款, a 款's text its
    项 (label included); an outline heading's text is its own run-in sentence and its paragraphs are separate."""
    p, kids = node.provision, node.children
    if not kids or p.kind not in _CONTAINING:
        return p.text, ""
    first = _printed(kids[0].provision).split("\n", 1)[0]
    last = _printed(kids[-1].provision)
    start, end = p.text.find(first), p.text.rfind(last)
    if start < 0 or end < 0:  # children not found in the text: show the text, the children stay addressable
        return p.text, ""
    return p.text[:start].rstrip("\n"), p.text[end + len(last) :].lstrip("\n")


def _printed(p: Provision) -> str:
    return (p.label if p.kind in ("item", "subitem") else "") + p.text


def _set_aliases(by_id: dict[str, Node]) -> None:
    short = {pid: _PREFIX.sub("", pid) for pid in by_id}
    counts = Counter(short.values())
    for pid, alias in short.items():
        if alias != pid and counts[alias] == 1 and alias not in by_id:
            by_id[pid].alias = alias


def _set_citations(doc: Document, by_id: dict[str, Node]) -> None:
    tree = {
        pid: {"kind": n.provision.kind, "label": n.provision.label, "parent": n.provision.parent}
        for pid, n in by_id.items()
    }
    for pid, n in by_id.items():
        if n.provision.kind in _STRUCTURE or n.provision.kind == "block":
            continue
        label = _label_path(tree, pid)
        if label:
            page = page_label(n.provision.page, n.provision.end_page)
            n.citation = f"《{_cited_title(doc, n, by_id)}》{label}" + (f" ({page})" if page else "")


def _cited_title(doc: Document, node: Node, by_id: dict[str, Node]) -> str:
    """A provision of the text that a 印发 notice promulgates is cited by that text's title."""
    if not doc.inner_title:
        return doc.title
    p: Node | None = node
    while p is not None:
        if p.provision.kind == "article":
            return doc.inner_title
        p = by_id.get(p.provision.parent) if p.provision.parent else None
    return doc.title


def _toc(roots: list[Node], doc: Document) -> list[dict[str, Any]]:
    """Contents: parts, chapters, sections, articles and the top two levels of outline headings."""
    out: list[dict[str, Any]] = []

    def walk(nodes: list[Node], level: int) -> None:
        for n in nodes:
            p = n.provision
            if p.kind == "article":
                out.append(_toc_entry(n, level))
            elif p.kind in _STRUCTURE or (p.kind == "heading" and level <= 1):
                out.append(_toc_entry(n, level))
                walk(n.children, level + 1)

    walk(roots, 0)
    return out


def _toc_entry(n: Node, level: int) -> dict[str, Any]:
    p = n.provision
    # an article without a heading is named by its first words, short enough for one line of the sidebar
    text = p.heading or ("" if p.kind in _STRUCTURE else _clip(p.text.split("\n", 1)[0], 11))
    return {"id": p.id, "anchor": n.alias or p.id, "label": p.label, "heading": text, "level": level, "kind": p.kind}


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n] + "…"


def relations_of(store: Corpus, doc_id: str) -> dict[str, list[dict[str, Any]]]:
    """Relations with other documents (filled by the links stage), each with a link to the other one."""
    rel = store.relations_of(doc_id)
    for side in rel.values():
        for r in side:
            r["url"] = document_url(r["document_id"]) if r.get("document_id") else None
    return rel


def provision_data(view: DocumentView, provision_id: str) -> dict[str, Any] | None:
    """One provision, by its id (chp_2__art_19) or by the short id the page shows for it (art_19)."""
    node = view.by_id.get(provision_id) or _by_alias(view, provision_id)
    if node is None:
        return None
    path, p = [], node.provision
    while p.parent and p.parent in view.by_id:
        p = view.by_id[p.parent].provision
        path.append({"id": p.id, "kind": p.kind, "label": p.label, "heading": p.heading})
    doc = view.document
    data = node.to_dict()
    data["url"] = document_url(doc.id, node.alias or node.provision.id)
    data["source"] = {
        "file": doc.source.file,
        "start_line": node.provision.start_line,
        "end_line": node.provision.end_line,
        "url": source_url(doc.source.file, node.provision.start_line, node.provision.end_line),
    }
    if node.provision.page is not None:
        data["source"]["page"] = node.provision.page
        data["source"]["page_url"] = original_url(doc.source.file, node.provision.page)
    return {"document": summary(doc), "provision": data, "path": list(reversed(path))}


def _by_alias(view: DocumentView, alias: str) -> Node | None:
    return next((n for n in view.by_id.values() if n.alias == alias), None)


# ---------------------------------------------------------------------------------------------- search


@dataclass
class SearchParams:
    """The parameters of a search, as in the CLI (`gongbao search`), plus paging (limit, offset)."""

    q: str = ""
    type: str | None = None
    issuer: str | None = None
    year: str | None = None  # 2022 or 2021-2023
    file: str | None = None
    laws: bool | None = None
    collapse: bool = False
    limit: int = 10
    offset: int = 0
    status: str | None = None  # only texts of this status (the status facet; the word: 现行有效 …)
    in_force: bool | None = None  # only texts in force today

    def filters(self) -> Filters:
        first, last = grammar.years_range(self.year)
        return Filters(
            doc_type=self.type or None,
            issuer=self.issuer or None,
            year_from=first,
            year_to=last,
            file=self.file or None,
            has_articles=self.laws,
        )

    def start(self) -> int:
        return self.offset

    def active_filters(self) -> dict[str, Any]:
        values = {"type": self.type, "issuer": self.issuer, "year": self.year, "file": self.file, "laws": self.laws}
        values |= {"status": self.status, "in_force": self.in_force or None}
        return {k: v for k, v in values.items() if v not in (None, "")}

    def query(self, **changes: Any) -> dict[str, Any]:
        """URL parameters of this search with some changed (None removes one); defaults are left out."""
        values: dict[str, Any] = {"q": self.q, **self.active_filters(), "collapse": self.collapse or None}
        values["limit"] = self.limit if self.limit != 10 else None
        values["offset"] = self.offset or None
        values.update(changes)
        return {k: _param(v) for k, v in values.items() if v is not None and v != ""}


def _param(v: Any) -> Any:
    return ("true" if v else "false") if isinstance(v, bool) else v


def parse_years(text: str | None) -> tuple[int | None, int | None]:
    """`2022` or `2021-2023` → (first, last); a reversed range raises grammar.RangeError."""
    return grammar.years_range(text)


def search_data(store: Corpus, params: SearchParams) -> dict[str, Any]:
    """The search: hits in the CLI's shape (plus a link to each), facets, paging."""
    offset = params.start()
    if not params.q.strip():
        return _search_dict(params, offset, query="", terms=[], notes=[], total=0, facets={}, hits=[])
    result = search(
        store,
        params.q,
        limit=params.limit,
        offset=offset,
        filters=params.filters(),
        collapse=params.collapse,
        in_force=bool(params.in_force),
        status=params.status or None,
    )
    hits = []
    for h in result.hits:
        hit = h.to_dict()
        anchor = h.focus["provision_id"] if h.focus else h.provision_id
        hit["url"] = document_url(h.document_id, anchor, params.q)
        hit["source"] = {**h.source, "url": source_url(h.source["file"], h.source["start_line"], h.source["end_line"])}
        hit["status"] = grammar.status_from_words(hit["status"], hit.pop("status_reason", None))
        hits.append(hit)
    return _search_dict(
        params,
        offset,
        query=result.query,
        terms=result.terms,
        notes=result.notes,
        total=result.total,
        facets=result.facets,
        hits=hits,
    )


def _search_dict(params: SearchParams, offset: int, **parts: Any) -> dict[str, Any]:
    return {
        **parts,
        "offset": offset,
        "limit": params.limit,
        "filters": {
            **dict.fromkeys(("type", "issuer", "year", "file", "laws", "status", "in_force")),
            **params.active_filters(),
        },
        "collapse": params.collapse,
    }


# ----------------------------------------------------------------------------------------------- lists


@dataclass
class DocumentFilters:
    """What the document list can be narrowed by.  A new filter is one field here, one entry in `store_args`
    (unless, like `status`, it is computed rather than stored), and one query parameter in `api.document_filters`."""

    type: str | None = None
    issuer: str | None = None
    year: str | None = None  # 2022 or 2021-2023
    file: str | None = None
    status: str | None = None  # 现行有效 …: the status today

    def where(self) -> SearchFilters:
        first, last = grammar.years_range(self.year)
        return SearchFilters(self.type or None, self.issuer or None, first, last, self.file or None)

    def params(self) -> dict[str, Any]:
        """The filters as URL parameters (unset ones left out)."""
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def documents_data(store: Corpus, filters: DocumentFilters, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """A page of the document list with each document's status today: five queries whatever the page size."""
    limit = max(1, min(limit, MAX_PER_PAGE))
    where = filters.where()
    if filters.status:  # computed for a day, not stored: among the documents the other filters keep
        statuses = store.statuses(where=where) if filters.status in STATUSES else {}
        ids = [i for i, s in statuses.items() if s is not None and s.status == filters.status]
        total = len(ids)
        docs = store.documents(ids[offset : offset + limit])
    else:
        total = store.count_documents_where(where)
        docs = store.select_documents(where, limit=limit, offset=offset)
        statuses = store.statuses([d.id for d in docs]) if docs else {}
    summaries = [summary(d) for d in docs]
    today = date.today().isoformat()
    for d in summaries:
        d["status"] = grammar.status_object(statuses.get(d["id"]), today)
    return {"filters": dict(filters.__dict__), "total": total, "offset": offset, "limit": limit, "documents": summaries}


def latest_documents(store: Corpus, n: int = 8) -> list[dict[str, Any]]:
    """The documents with the latest dates (issued, else adopted, delivered …)."""
    docs = store.latest(n)
    statuses = store.statuses([d.id for d in docs]) if docs else {}
    today = date.today().isoformat()
    return [summary(d) | {"status": grammar.status_object(statuses.get(d.id), today)} for d in docs]


def sources_data(store: Corpus, with_documents: bool = True) -> list[dict[str, Any]]:
    """The ingested gazette issues, each with its documents and the line ranges that belong to no document."""
    out = []
    by_file: dict[str, list[Document]] = {}
    regions: dict[str, list[tuple[str, int, int]]] = {}
    if with_documents:
        for d in store.list_documents():
            by_file.setdefault(d.source.file, []).append(d)
        regions = store.all_regions()
    for s in store.sources():
        item = _source_info(s)
        if with_documents:
            item["documents"] = [_doc_brief(d) for d in by_file.get(s["file"], [])]
            item["regions"] = [{"kind": k, "start_line": a, "end_line": b} for k, a, b in regions.get(s["file"], [])]
        out.append(item)
    return out


def _source_line(n: int, text: str, runs: list[list[Any]]) -> dict[str, Any]:
    """A raw line; in a paged source (PDF) with its page and a link to that page of the original."""
    line: dict[str, Any] = {"n": n, "text": text}
    if runs:
        line["page"] = page_at(runs, n)
    return line


def original_url(file: str, page: int) -> str:
    """The original PDF at a page (served by /source/{file}/original while it is where it was ingested from)."""
    return f"/source/{quote(file)}/original#page={page}"


def original_path(store: Corpus, file: str) -> Path | None:
    """The original PDF of an ingested source, if it is still where it was read from and still has the same bytes
    (the path comes from the store, never from the request)."""
    stored = store.source_path(file)
    identity = store.source_identity(file)
    if not stored or identity is None or not stored.lower().endswith(".pdf"):
        return None
    path = Path(stored)
    try:
        same = hashlib.sha256(path.read_bytes()).hexdigest() == identity[0]
    except OSError:
        return None
    return path if same else None


def _source_info(s: dict[str, Any]) -> dict[str, Any]:
    keys = ("file", "sha256", "encoding", "line_count", "ingested_at")
    return {
        **{k: s[k] for k in keys},
        "document_count": s["documents"],
        "law_count": s["laws"],
        "url": source_url(s["file"]),
    }


def _doc_brief(d: Document) -> dict[str, Any]:
    return {
        "id": d.id,
        "title": d.title,
        "doc_type": d.doc_type,
        "start_line": d.source.start_line,
        "end_line": d.source.end_line,
        "url": document_url(d.id),
    }


def filter_choices(store: Corpus) -> dict[str, Any]:
    """What the document list's filters offer: the types (with counts) and the sources."""
    stats = store.stats()
    return {
        "documents_by_type": [{"type": t, "count": c} for t, c in stats["documents_by_type"].items()],
        "sources": sources_data(store, with_documents=False),
    }


def home_data(store: Corpus) -> dict[str, Any]:
    stats = store.stats()
    return {
        "stats": {k: stats[k] for k in ("sources", "documents", "laws", "provisions")},
        "documents_by_type": [{"type": t, "count": c} for t, c in stats["documents_by_type"].items()],
        "latest": latest_documents(store),
        "sources": sources_data(store, with_documents=False),
    }


# everyday questions of the kinds people ask (a fine, a word, an office); a test runs them on the bundled samples
EVERYDAY_EXAMPLES = ("扔垃圾没分类罚多少钱", "罚款", "开公司要去哪个部门登记")


def home_examples(store: Corpus) -> list[str]:
    """The home page's example searches: everyday questions, then the corpus's latest law by title and by a
    citation of one of its articles (the name without its place), so that those two always name what is there."""
    out = list(EVERYDAY_EXAMPLES)
    rows = store.titles()
    laws = [d for d in rows if d["has_articles"] and d["doc_type"] in ("条例", "办法", "规定", "法", "细则")]
    if not laws:
        return out
    law = max(laws, key=lambda d: (_first_date(d["dates"]), d["id"]))
    title = law["inner_title"] or law["title"]
    out.append(f"《{title}》")
    articles = [p for p in store.provisions(law["id"]) if p.kind == "article" and p.label]
    if articles:
        article = articles[min(len(articles) - 1, 2)]  # the third: past the purpose and the scope
        out.append(citation.without_place(title, citation.places(rows)) + article.label)
    return out


def _first_date(dates: dict[str, str]) -> str:
    return next((dates[k] for k in ("effective", "issued", "adopted", "published") if dates.get(k)), "")


# ---------------------------------------------------------------------------------------------- source


def parse_line_range(text: str | None) -> tuple[int, int] | None:
    """`120` or `120-130` → (120, 130); anything else → None."""
    m = re.fullmatch(r"(\d{1,7})(?:-(\d{1,7}))?", text or "")
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(2) or m.group(1))
    return (min(a, b), max(a, b)) if a >= 1 else None


def source_window(selected: tuple[int, int] | None, start: int | None, size: int) -> tuple[int, int]:
    """The lines of a source to show: from `start`, else around the marked range (a little before it, as much of it
    as fits), else from the top; at most `size` lines."""
    if start is None and selected:
        first = max(1, selected[0] - SOURCE_CONTEXT)
        return first, max(first, min(selected[1] + SOURCE_CONTEXT, first + size - 1))
    first = start or 1
    return first, first + size - 1


def window_links(data: dict[str, Any], window: tuple[int, int]) -> dict[str, Any]:
    """Where the shown part of a source is in the file, and the links to the parts before and after it."""
    first, last = window[0], min(window[1], data["line_count"])
    size = window[1] - window[0] + 1
    before = max(1, first - size)
    return {
        "first": first,
        "last": last,
        "previous": source_url(data["file"]) + f"?start={before}" if first > 1 else None,
        "next": source_url(data["file"]) + f"?start={last + 1}" if last < data["line_count"] else None,
    }


def source_data(store: Corpus, file: str, lines: tuple[int, int] | None = None) -> dict[str, Any] | None:
    """One ingested gazette file: its raw lines (all, or the range asked for), documents and other regions.  The
    file is looked up by name among the ingested sources: nothing is ever read from the file system."""
    meta = next(iter(store.sources(file)), None)
    first, last = lines if lines else (1, meta["line_count"] if meta else 0)
    raw = store.source_window(file, first, last) if meta else None  # (only these lines are read)
    if meta is None or raw is None:
        return None
    last = min(last, meta["line_count"])
    runs = store.page_runs(file)
    return {
        **_source_info(meta),
        "selected": {"start_line": lines[0], "end_line": last} if lines else None,
        "lines": [_source_line(n, text, runs) for n, text in enumerate(raw, first)],
        "warnings": store.source_warnings(file),
        "documents": [_doc_brief(d) for d in store.list_documents(file=file)],
        "regions": [{"kind": k, "start_line": a, "end_line": b} for k, a, b in store.regions(file)],
    }
