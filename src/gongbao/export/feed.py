"""An Atom feed (RFC 4287) of documents: the newest first, for a subscription to "new texts on 生态环境 from 山西"
(a pure function from documents to bytes; the caller chooses them and says where the feed and the pages live).

Each entry's id is the document's page URL (stable: document ids are), its updated time the document's latest
date, its author the issuer, its categories the document type and 效力级别, its summary the citation block."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from gongbao.export.citation import citation, xml_safe, xml_safe_document
from gongbao.model import Document

ATOM_NS = "http://www.w3.org/2005/Atom"
_A = f"{{{ATOM_NS}}}"


@dataclass(frozen=True)
class FeedInfo:
    title: str
    self_url: str  # the feed's own address (rel="self"), which is also its id
    site_url: str  # the page a reader of the feed goes to (rel="alternate")
    author: str = "gongbao"


def document_time(doc: Document) -> datetime | None:
    """The latest date a document states, as the start of that day in UTC (a gazette prints days, not times)."""
    days = [d for k, d in doc.dates.items() if k != "expires" and d]
    return datetime.fromisoformat(max(days)).replace(tzinfo=UTC) if days else None


def to_atom(
    docs: Sequence[Document],
    info: FeedInfo,
    page_url: Callable[[Document], str],
    level_of: Callable[[Document], str | None] = lambda _d: None,
    now: datetime | None = None,
) -> bytes:
    """The feed: `docs` in the order given (newest first is the caller's choice), `page_url(doc)` the absolute URL
    of each document's page."""
    now = now or datetime.now(UTC)
    times = [t for d in docs if (t := document_time(d))]
    feed = etree.Element(_A + "feed", nsmap={None: ATOM_NS})
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", "zh-CN")
    _text(feed, "id", info.self_url)
    _text(feed, "title", info.title)
    _text(feed, "updated", _rfc3339(max(times) if times else now))
    etree.SubElement(feed, _A + "link", rel="self", type="application/atom+xml", href=xml_safe(info.self_url))
    etree.SubElement(feed, _A + "link", rel="alternate", type="text/html", href=info.site_url)
    _text(etree.SubElement(feed, _A + "author"), "name", info.author)
    _text(feed, "generator", "gongbao")
    for doc in docs:
        _entry(feed, xml_safe_document(doc), page_url(doc), level_of(doc), now)
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _entry(feed, doc: Document, url: str, level: str | None, now: datetime) -> None:
    entry = etree.SubElement(feed, _A + "entry")
    _text(entry, "id", url)
    _text(entry, "title", doc.title)
    when = document_time(doc)
    _text(entry, "updated", _rfc3339(when or now))
    if when:
        _text(entry, "published", _rfc3339(when))
    etree.SubElement(entry, _A + "link", rel="alternate", type="text/html", href=url)
    _text(etree.SubElement(entry, _A + "author"), "name", doc.issuer or "未载明")
    for term, scheme in ((doc.doc_type, "文种"), (level, "效力级别")):
        if term:
            term = xml_safe(term)
            etree.SubElement(entry, _A + "category", term=term, label=term, scheme=f"urn:gongbao:{scheme}")
    _text(entry, "summary", citation(doc)).set("type", "text")


def _text(parent, tag: str, value: str):
    el = etree.SubElement(parent, _A + tag)
    el.text = xml_safe(value)
    return el


def _rfc3339(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
