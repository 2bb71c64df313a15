"""The storage wall: `Corpus`, the one interface through which everything above `store/` reads and writes a
knowledge base.  Reads: model records (`Document`, `Provision`, `Status`) and the plain dictionaries of the export
contract (references, relations, duties, figures).  Writes: one parsed file per call, atomically.

Two backends implement it: `store.sqlite.store.SqliteCorpus` (embedded, one file, the default) and
`store.postgres.store.PostgresCorpus` (a shared server).  What does not depend on the backend (finding a document
by a part of its title, streaming every document, the status of a document on a day) is written once here, over
the abstract reads.  Every read is batched: a page of the web UI costs a bounded number of queries whatever its
size (`queries` counts them, for the tests that hold the backends to it).
"""

from __future__ import annotations

import json
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gongbao.link.status import Status, in_force_from, status_of
from gongbao.model import (
    DATE_KEYS,
    Document,
    ParseWarning,
    Probe,
    Provision,
    SearchFilters,
    Source,
    document_date,
    year_of,
)

__all__ = [
    "DATE_KEYS",
    "Corpus",
    "IngestResult",
    "SearchFilters",
    "StoreError",
    "StoreNeedsUpgrade",
    "document_date",
    "stats_dict",
    "year_of",
]
TABLES = ("sources", "documents", "provisions", "regions")
# the stored columns of a duty and of a figure, in table order (the export contract's keys, both backends)
DUTY_FIELDS = ("provision_id", "agency", "agency_key", "as_printed", "level", "role", "task", "deadline",
               "deadline_text", "start_line", "end_line")  # fmt: skip
FIGURE_FIELDS = ("provision_id", "subject", "value", "unit", "change", "year", "baseline_year", "text", "suspect",
                 "start_line", "end_line")  # fmt: skip
_UNKNOWN: Any = object()  # statuses() remembers an id not in the corpus as this (and never returns it)


class StoreError(Exception):
    """The database cannot be opened, created or upgraded (the message names it and says why)."""


class StoreNeedsUpgrade(StoreError):
    """A database written by an older gongbao, opened read-only: one writable open upgrades it."""


@dataclass
class IngestResult:
    file: str
    status: str  # 'added' | 'replaced' | 'unchanged'
    documents: int
    laws: int
    articles: int
    warnings: list[str] = field(default_factory=list)  # one line each: what the parser flagged, with its lines


def warning_line(title: str, w: ParseWarning) -> str:
    """One line for a person: which document, which lines, which stage, what."""
    return f"《{title}》 lines {w.start_line}-{w.end_line}: {w.stage}: {w.message}"


def document_from_row(row: Iterable[Any]) -> Document:
    """A document's metadata from the columns both backends select for it, in this order: id, file, title,
    inner_title, doc_type, issuer, doc_number, dates (JSON), start_line, end_line, warnings (JSON), sha256."""
    doc_id, file, title, inner_title, doc_type, issuer, doc_number, dates, start, end, warnings, sha = row
    return Document(
        id=doc_id,
        title=title,
        inner_title=inner_title,
        doc_type=doc_type,
        issuer=issuer,
        doc_number=doc_number,
        dates=json.loads(dates),
        source=Source(file=file, sha256=sha, start_line=start, end_line=end),
        warnings=[ParseWarning(**w) for w in json.loads(warnings)],
    )


def reference_from_row(columns: Iterable[str], row: tuple[Any, ...]) -> dict[str, Any]:
    """A stored reference as the export contract has it: its columns (empty ones left out, offset kept), whether it
    names a text outside the corpus, and the cited document's title (the row's last value) where it is known."""
    ref = {c: v for c, v in zip(columns, row[:-1], strict=True) if v not in (None, 0) or c == "offset"}
    ref["external"] = ref.get("target_id") is None and ref["kind"] == "document"
    if row[-1]:
        ref["target_title"] = row[-1]
    return ref


def provisions_with_units(rows: Iterable[tuple[Any, ...]]) -> dict[str, tuple[list[Provision], dict[str, int]]]:
    """Rows of (document id, unit key or None, the Provision fields…) in document order → each document's
    provisions and the unit key of each provision that has one (provisions_and_units, both backends)."""
    out: dict[str, tuple[list[Provision], dict[str, int]]] = {}
    for doc, key, *row in rows:
        provisions, keys = out.setdefault(doc, ([], {}))
        provisions.append(Provision(*row))
        if key is not None:
            keys[row[0]] = key
    return out


def stats_dict(counts: tuple[int, int, int, int], groups: list[tuple[str, str, int]]) -> dict[str, Any]:
    """The stats of a corpus from its four counts (sources, documents, laws, provisions) and the rows
    ('type' | 'kind', name, count) of documents by type and provisions by kind; most first, then by name."""
    out: dict[str, Any] = dict(zip(("sources", "documents", "laws", "provisions"), counts, strict=True))
    for group, key in (("type", "documents_by_type"), ("kind", "provisions_by_kind")):
        rows = sorted(((name, n) for g, name, n in groups if g == group), key=lambda r: (-r[1], r[0]))
        out[key] = dict(rows)
    return out


class Corpus(ABC):
    """A knowledge base: sources, documents with their provisions, the policy graph, and the search index.
    Use as a context manager or call close()."""

    location: str  # the file or server address, for messages
    cache: dict[str, Any]  # derived data of this handle (search statistics …), valid while version() stays

    # ------------------------------------------------------------------------------------------ lifecycle

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def integrity(self, quick: bool = True) -> list[str]:
        """What is wrong with the stored data, one line each (empty: nothing found): the backend's own checks of
        its files (`quick`: the cheap ones, run before an ingest writes), then the tables compared with each other.
        A backend without such checks finds nothing."""
        return []

    @property
    @abstractmethod
    def queries(self) -> int:
        """How many statements this handle has sent to the database (for the tests of batched reads)."""

    @abstractmethod
    def version(self) -> int:
        """A number that changes whenever a writer commits (answers computed from the data are kept until then)."""

    def cached(self, name: str) -> dict[str, Any]:
        """This handle's derived data called `name` (search statistics, titles, statuses …), emptied whenever
        version() moves: one generation of the corpus each."""
        pinned = getattr(self._pin(), "version", None)
        version = pinned if pinned is not None else self.version()
        entry = self.cache.get(name)
        if entry is None or entry[0] != version:
            entry = self.cache[name] = (version, {})
        return entry[1]

    @contextmanager
    def pinned(self) -> Iterator[None]:
        """Inside, version() is read once (per thread): the derived data a search uses (statistics, titles,
        statuses …) costs one query to check, not one per use.  A commit meanwhile is seen by the next pinned() (or
        call outside one).  Nested uses share the outer one."""
        pin = self._pin()
        if getattr(pin, "version", None) is not None:
            yield
            return
        pin.version = self.version()
        try:
            yield
        finally:
            pin.version = None

    def _pin(self) -> threading.local:
        pin = self.__dict__.get("_pinned")
        return pin if pin is not None else self.__dict__.setdefault("_pinned", threading.local())

    # -------------------------------------------------------------------------------------------- writing

    @abstractmethod
    def source_sha(self, file: str) -> str | None:
        """The SHA-256 of the stored version of `file`, or None."""

    @abstractmethod
    def source_identity(self, file: str) -> tuple[str, str] | None:
        """(sha256 of the bytes, encoding or extractor) of the stored version of `file`, or None: the same bytes
        read by another extractor version are a changed source."""

    def sources_named(self, name: str) -> list[tuple[str, str | None, str]]:
        """(key, path, sha256) of the stored sources whose file name is `name`: keyed `name` itself or a path
        ending in it (`b/issue.txt`).  Path None: a backend that does not keep it (then the name alone is the
        identity, as before two folders could hold the same name)."""
        suffix = "/" + name
        return [
            (s["file"], None, s["sha256"]) for s in self.sources() if s["file"] == name or s["file"].endswith(suffix)
        ]

    def writer_address(self) -> str | None:
        """An address by which other processes may write into this knowledge base at the same time as this one
        (`ingest --jobs N` then stores each file from the process that parsed it), or None: one process writes."""
        return None

    @abstractmethod
    def unchanged(self, file: str) -> IngestResult:
        """The counts of a file already stored in this exact version."""

    streams_documents = False  # whether ingest() takes a pipeline.IssueStream (documents made as it writes them)

    @abstractmethod
    def ingest(self, issue: Any) -> IngestResult:
        """Store one parsed file (`pipeline.ParsedIssue`) atomically, replacing an older version of the same file,
        and resolve what it cites and what was waiting for it."""

    # -------------------------------------------------------------------------------------------- reading

    @abstractmethod
    def count(self, table: str) -> int: ...

    @abstractmethod
    def stats(self) -> dict[str, Any]:
        """sources, documents, laws, provisions, documents_by_type, provisions_by_kind."""

    @abstractmethod
    def sources(self, file: str | None = None) -> list[dict[str, Any]]:
        """The ingested files (or the one named): file, sha256, encoding, line_count, ingested_at, documents,
        laws."""

    @abstractmethod
    def source_lines(self, file: str) -> list[str] | None:
        """The raw lines of an ingested file (line n is [n - 1])."""

    def source_window(self, file: str, first: int, last: int) -> list[str] | None:
        """Raw lines first..last (1-based, inclusive; fewer at the end of the file) of an ingested file, None if
        there is no such file.  A backend that stores lines in parts reads only the parts that hold them, so a
        page of a 200 MB gazette does not load the whole file."""
        lines = self.source_lines(file)
        return None if lines is None else lines[max(0, first - 1) : max(0, last)]

    @abstractmethod
    def page_runs(self, file: str) -> list[list[Any]]:
        """[[first_line, page], …] of a paged source (PDF: sources.layout, see parse/pages.py), [] for text."""

    @abstractmethod
    def source_path(self, file: str) -> str | None:
        """Where the file was read from when it was ingested (it may have moved or changed since)."""

    @abstractmethod
    def source_warnings(self, file: str) -> list[str]:
        """What the reader of a file could not read (pages that need OCR …)."""

    @abstractmethod
    def regions(self, file: str) -> list[tuple[str, int, int]]:
        """(kind, start_line, end_line) of the lines of a file that belong to no document, in line order."""

    @abstractmethod
    def all_regions(self) -> dict[str, list[tuple[str, int, int]]]:
        """The regions of every file, by file."""

    @abstractmethod
    def select_documents(
        self, where: SearchFilters | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Document]:
        """Documents (without provisions) in file and document order."""

    @abstractmethod
    def count_documents_where(self, where: SearchFilters | None = None) -> int: ...

    @abstractmethod
    def documents(self, ids: list[str]) -> list[Document]:
        """The documents with these ids (without provisions), in the order given; unknown ids left out."""

    @abstractmethod
    def document(self, doc_id: str, with_provisions: bool = True, with_links: bool = True) -> Document | None:
        """A document; with its provisions and (unless with_links is False) its references, relations, duties and
        figures, as the export has them."""

    @abstractmethod
    def provisions(self, doc_id: str) -> list[Provision]: ...

    @abstractmethod
    def titles_containing(self, text: str) -> list[tuple[str, bool]]:
        """(id, exact) of the documents whose title or inner title contains `text` (exact: is it)."""

    @abstractmethod
    def latest(self, n: int) -> list[Document]:
        """The n documents with the latest dates (document_date), newest first."""

    @abstractmethod
    def references_of(self, doc_id: str) -> list[dict[str, Any]]:
        """What a document cites, in text order, each resolved to a document (and article) or marked external."""

    @abstractmethod
    def cited_by(self, doc_id: str) -> list[dict[str, Any]]:
        """References from other documents to this one (with the provision cited, when an article is named)."""

    @abstractmethod
    def relations_of(self, doc_id: str) -> dict[str, list[dict[str, Any]]]:
        """`outgoing`: this document promulgates, explains, repeals … the other; `incoming`: others do so to it.
        Each: type, the other document's id (None when not in the corpus) and title, evidence and its lines."""

    @abstractmethod
    def status_inputs(
        self, ids: list[str] | None = None, where: SearchFilters | None = None
    ) -> tuple[list[tuple[Document, bool]], dict[str, list[dict[str, Any]]]]:
        """What the status of documents is computed from, in two queries: the documents (by id, or all that
        `where` keeps) with whether they have articles, and per document the repeals and amendments other
        documents state about it (type, document_id, evidence, dates of the other document)."""

    @abstractmethod
    def duties(
        self, document_id: str | None = None, agency: str | None = None, role: str | None = None
    ) -> list[dict[str, Any]]:
        """Duties of one document and/or of one agency (as a user types it) and/or one role, in document order."""

    @abstractmethod
    def agencies(self) -> list[tuple[str, str | None, int]]:
        """Every agency with duties (officials left out): (normalised name, level, number of duties), most first."""

    @abstractmethod
    def figures(self, document_id: str) -> list[dict[str, Any]]: ...

    # ------------------------------------------------------------- search's reads (search/engine.py uses them)

    @abstractmethod
    def unit_count(self) -> int:
        """How many search units (hits there can be) the corpus has (at least 1)."""

    @abstractmethod
    def term_frequencies(self, strings: Iterable[str]) -> dict[str, float]:
        """About how many units contain each string (0: none), estimated from the characters' frequencies."""

    @abstractmethod
    def candidates(self, probe: Probe, filters: SearchFilters | None = None, limit: int = 200) -> dict[int, float]:
        """One retrieval pass: unit key → BM25 relevance (higher is better, headings weigh twice), the `limit`
        best."""

    def candidates_of(
        self, probes: list[Probe], filters: SearchFilters | None = None, limit: int = 200
    ) -> list[dict[int, float]]:
        """candidates() of several independent passes, each its own `limit` best: a backend that can runs them in
        one statement."""
        return [self.candidates(probe, filters, limit) for probe in probes]

    @abstractmethod
    def units(self, keys: Iterable[int]) -> list[dict[str, Any]]:
        """The units with these keys with their documents' fields (`dates` parsed), in no particular order."""

    @abstractmethod
    def titles(self) -> list[dict[str, Any]]:
        """Every document's id, title, inner_title, doc_number, doc_type, issuer, dates, file, has_articles."""

    @abstractmethod
    def provisions_and_units(self, doc_ids: list[str]) -> dict[str, tuple[list[Provision], dict[str, int]]]:
        """In one query, each document's provisions in document order and its units in order, provision id → unit
        key (a cited provision shown as a hit); a document without provisions left out."""

    def unit_keys(self, doc_id: str) -> dict[str, int]:
        """A document's units, in order: provision id → unit key."""
        return self.provisions_and_units([doc_id]).get(doc_id, ([], {}))[1]

    @abstractmethod
    def page_runs_of(self, files: Iterable[str]) -> dict[str, list[list[Any]]]:
        """page_runs() of each file, in one query ([] for a text source or an unknown file)."""

    @abstractmethod
    def repeals_and_amendments(self) -> list[tuple[str, str, str, str, dict[str, str] | None]]:
        """Every repeal and amendment a text in the corpus states about another text in it, in stored order:
        (target id, 'repeals' | 'amends', the stating document's id, evidence, that document's dates or None)."""

    def _changes(self) -> dict[str, Any]:
        """The repeals and amendments by target (what statuses are computed from) and the repealed ids, read once
        per generation (a few per law: small beside the documents)."""
        known = self.cached("relations")
        if "incoming" not in known:
            incoming: dict[str, list[dict[str, Any]]] = {}
            repealed = set()
            for target, kind, source, evidence, dates in self.repeals_and_amendments():
                if kind == "repeals":
                    repealed.add(target)
                if dates is not None:
                    row = {"type": kind, "document_id": source, "evidence": evidence, "dates": dates}
                    incoming.setdefault(target, []).append(row)
            known["incoming"], known["repealed"] = incoming, frozenset(repealed)
        return known

    def repealed(self, doc_ids: Iterable[str]) -> set[str]:
        """Those of the documents another text in the corpus repeals."""
        return set(self._changes()["repealed"].intersection(doc_ids))

    def _titles_by_id(self) -> dict[str, dict[str, Any]]:
        known = self.cached("titles")
        if "by_id" not in known:
            known["by_id"] = {d["id"]: d for d in self.titles()}
        return known["by_id"]

    @abstractmethod
    def provision_trees(self, units: list[dict[str, Any]]) -> list[dict[str, dict[str, Any]]]:
        """For each unit, in one query: its provision, the provision's ancestors and the provisions inside its
        lines, id → id, kind, label, parent, start, end, text (the hits of a page need them all)."""

    def provision_tree(self, unit: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """A unit's provision, its ancestors and the provisions inside its lines."""
        return self.provision_trees([unit])[0]

    # ------------------------------------------------------------------------ the same for every backend

    def list_documents(
        self,
        doc_type: str | None = None,
        issuer: str | None = None,
        year: int | None = None,
        file: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Document]:
        """Documents (without provisions) of a type, issuer, year and/or file, in file and document order."""
        return self.select_documents(SearchFilters(doc_type, issuer, year, year, file), limit, offset)

    def count_documents(
        self, doc_type: str | None = None, issuer: str | None = None, year: int | None = None, file: str | None = None
    ) -> int:
        return self.count_documents_where(SearchFilters(doc_type, issuer, year, year, file))

    def find_document(self, query: str) -> Document:
        """A document by id, by its exact title or inner title, or by a part of its title that only it has."""
        doc = self.document(query)
        if doc:
            return doc
        rows = self.titles_containing(query)
        exact = [i for i, is_exact in rows if is_exact]
        ids = exact if len(exact) == 1 else [i for i, _ in rows]
        if len(ids) != 1:
            more = f"; {len(ids)} titles contain it, give an id" if ids else ""
            raise LookupError(f"no document {query!r}{more}")
        return self.document(ids[0])  # type: ignore[return-value]

    def iter_documents(self) -> Iterator[Document]:
        """Every document with its provisions and links, in file and document order (one in memory at a time)."""
        for doc in self.list_documents():
            full = self.document(doc.id)
            if full:
                yield full

    def statuses(
        self, ids: list[str] | None = None, as_of: date | None = None, where: SearchFilters | None = None
    ) -> dict[str, Status | None]:
        """The status on `as_of` (default today) of the documents with these ids (or of all that `where` keeps),
        in their list order; None for texts without force of their own (reports …).  By id, they are remembered
        for the generation of the corpus (a search asks for those of its candidates every time)."""
        day = as_of or date.today()
        if ids is None:
            return self._statuses(None, day, where)
        with self.pinned():
            return self._remembered_statuses(ids, day)

    def _remembered_statuses(self, ids: list[str], day: date) -> dict[str, Status | None]:
        known = self.cached("statuses")
        if day not in known and len(known) >= 4:  # a few days asked at once at most; the oldest go
            for old in list(known)[:-3]:
                del known[old]
        on_day = known.setdefault(day, {})
        missing = [i for i in dict.fromkeys(ids) if i not in on_day]
        if missing:  # from the titles and the repeals and amendments, which every search has read already
            rows, incoming = self._titles_by_id(), self._changes()["incoming"]
            for i in missing:
                row = rows.get(i)
                on_day[i] = _UNKNOWN if row is None else _status(row, incoming.get(i, []), day)
        return {i: on_day[i] for i in ids if on_day[i] is not _UNKNOWN}

    def _statuses(self, ids: list[str] | None, day: date, where: SearchFilters | None) -> dict[str, Status | None]:
        docs, incoming = self.status_inputs(ids, where)
        return {doc.id: _status_of(doc, articles, incoming.get(doc.id, []), day) for doc, articles in docs}

    def status_of(self, doc_id: str, as_of: date | None = None) -> Status | None:
        """Whether the document is in force on `as_of` (default today); None for texts without force (reports …)."""
        return self.statuses([doc_id], as_of).get(doc_id)


def _status_of(doc: Document, articles: bool, incoming: list[dict[str, Any]], day: date) -> Status | None:
    rels = [
        {"type": r["type"], "document_id": r["document_id"], "evidence": r["evidence"],
         "effective": in_force_from(r["dates"])}
        for r in incoming
    ]  # fmt: skip
    return status_of(doc, rels, day, articles)


def _status(row: dict[str, Any], incoming: list[dict[str, Any]], day: date) -> Status | None:
    """The status of a document from its titles() row (what status_of reads of a document without provisions)."""
    doc = Document(
        id=row["id"],
        title=row["title"],
        inner_title=row["inner_title"],
        doc_type=row["doc_type"],
        issuer=row["issuer"],
        doc_number=row["doc_number"],
        dates=row["dates"],
        source=Source(file=row["file"], sha256="", start_line=0, end_line=0),
    )
    return _status_of(doc, bool(row["has_articles"]), incoming, day)
