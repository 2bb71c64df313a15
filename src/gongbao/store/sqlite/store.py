"""The knowledge base: an embedded SQLite database (through apsw, which bundles a current SQLite with FTS5).

Schema (one row per …):
  sources     gazette file ingested: file (name as cited, primary key), path, sha256, encoding, raw text, time
  regions     line range of an issue that belongs to no document (cover, contents, 简介, back matter, furniture)
  documents   document: id, file, ordinal, title, inner_title, doc_type, issuer, doc_number, dates (JSON),
              year, start_line, end_line, has_articles
  provisions  provision of a document in document order: document_id, seq, id, kind, number, label, heading,
              text, parent, start_line, end_line
  meta        key/value: schema_version
  document_keys, refs, relations   the link stage's output and its resolution (see linkstore.py)
  duties, figures                   responsibilities and numeric targets (see factstore.py)
  search_units, fts_grams           the search index (see searchindex.py)

Ingest of one file is one transaction: the same file twice changes nothing; a changed file (same name, new
content) replaces its old version; a crash mid-file leaves the database as it was.  WAL lets readers read while
a writer ingests.  A database of an older schema version is rebuilt from the raw sources it holds when it is
first opened for writing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import apsw

from gongbao.link.status import Status, in_force_from, status_of
from gongbao.model import Document, Probe, Provision, SearchFilters, Source, SourceText
from gongbao.parse.read import ReadError
from gongbao.pipeline import ParsedIssue, parse_source
from gongbao.store.sqlite import facts as factstore
from gongbao.store.sqlite import index as searchindex
from gongbao.store.sqlite import links as linkstore
from gongbao.store.sqlite import retrieve

SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    file TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    encoding TEXT NOT NULL,
    line_count INTEGER NOT NULL,
    raw TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS regions (
    file TEXT NOT NULL REFERENCES sources(file) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    file TEXT NOT NULL REFERENCES sources(file) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    title TEXT NOT NULL,
    inner_title TEXT,
    doc_type TEXT,
    issuer TEXT,
    doc_number TEXT,
    dates TEXT NOT NULL,
    year INTEGER,
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL,
    has_articles INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_file ON documents(file, ordinal);
CREATE INDEX IF NOT EXISTS documents_type ON documents(doc_type);
CREATE INDEX IF NOT EXISTS documents_year ON documents(year);
CREATE TABLE IF NOT EXISTS provisions (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    number INTEGER,
    label TEXT NOT NULL,
    heading TEXT,
    text TEXT NOT NULL,
    parent TEXT,
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL,
    PRIMARY KEY (document_id, id)
);
CREATE INDEX IF NOT EXISTS provisions_order ON provisions(document_id, seq);
CREATE INDEX IF NOT EXISTS provisions_lines ON provisions(document_id, start_line);
"""

_DOC_COLUMNS = (
    "id, file, ordinal, title, inner_title, doc_type, issuer, doc_number, dates, year, start_line, "
    "end_line, has_articles"
)


class StoreError(Exception):
    pass


@dataclass
class IngestResult:
    file: str
    status: str  # 'added' | 'replaced' | 'unchanged'
    documents: int
    laws: int
    articles: int


def year_of(dates: dict[str, str]) -> int | None:
    for key in ("issued", "adopted", "delivered", "effective", "published"):
        if dates.get(key):
            return int(dates[key][:4])
    return None


def document_conditions(
    table: str = "",
    doc_type: str | None = None,
    issuer: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    file: str | None = None,
    has_articles: bool | None = None,
) -> tuple[list[str], list[Any]]:
    """SQL conditions on the documents table (its alias in `table`, e.g. "d."), with their parameters: the filters
    of document lists and of search."""
    checks = (
        (doc_type, f"{table}doc_type = ?"),
        (issuer, f"instr(coalesce({table}issuer, '') || ' ' || {table}title, ?) > 0"),
        (year_from, f"{table}year >= ?"),
        (year_to, f"{table}year <= ?"),
        (file, f"{table}file = ?"),
        (None if has_articles is None else int(has_articles), f"{table}has_articles = ?"),
    )
    where = [sql for value, sql in checks if value not in (None, "")]
    return where, [value for value, _sql in checks if value not in (None, "")]


class Store:
    """A connection to the knowledge base.  Use as a context manager or call close()."""

    def __init__(self, path: str | os.PathLike[str], readonly: bool = False):
        self.path = Path(path)
        self.cache: dict[str, Any] = {}  # derived data of this connection (e.g. search statistics)
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        flags = apsw.SQLITE_OPEN_READONLY if readonly else apsw.SQLITE_OPEN_READWRITE | apsw.SQLITE_OPEN_CREATE
        try:
            self.db = apsw.Connection(str(self.path), flags=flags)
            self.db.setbusytimeout(10_000)
            self.db.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
                version = self._schema_version()
                with self.db:
                    if version is not None and version != SCHEMA_VERSION:
                        self._rebuild(version)
                    self._create()
            elif self._schema_version() not in (None, SCHEMA_VERSION):
                raise StoreError(f"{self.path}: database of an older version; open it once for writing to upgrade")
        except apsw.Error as e:
            raise StoreError(f"{self.path}: cannot open database ({e})") from None

    def _create(self) -> None:
        self.db.execute(_SCHEMA)
        searchindex.create(self.db)
        linkstore.create(self.db)
        factstore.create(self.db)
        self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def _schema_version(self) -> int | None:
        if not self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
            return None
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else None

    def _rebuild(self, version: int) -> None:
        """Upgrade an older database: drop everything and ingest again the raw text of every source it holds."""
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: database written by a newer gongbao (schema {version})")
        sources = [
            SourceText(file, path, sha, encoding, tuple(raw.split("\n")))
            for file, path, sha, encoding, raw in self.db.execute(
                "SELECT file, path, sha256, encoding, raw FROM sources"
            )
        ]
        for kind in ("CREATE VIRTUAL TABLE%", "CREATE TABLE%"):  # virtual tables drop their own shadow tables
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE ? AND name NOT LIKE 'sqlite_%'"
            names = [r[0] for r in self.db.execute(sql, (kind,))]
            for name in names:
                self.db.execute(f'DROP TABLE IF EXISTS "{name}"')
        self._create()
        for src in sources:
            try:
                self.ingest(parse_source(src))
            except ReadError as e:
                raise StoreError(f"{self.path}: cannot upgrade, {e}") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------------------ writing

    def source_sha(self, file: str) -> str | None:
        row = self.db.execute("SELECT sha256 FROM sources WHERE file = ?", (file,)).fetchone()
        return row[0] if row else None

    def unchanged(self, file: str) -> IngestResult:
        """The counts of a file already stored in this exact version."""
        docs, laws, articles = self.db.execute(
            "SELECT count(*), coalesce(sum(has_articles), 0), (SELECT count(*) FROM provisions p JOIN documents d "
            "ON p.document_id = d.id WHERE d.file = ?1 AND p.kind = 'article') FROM documents WHERE file = ?1",
            (file,),
        ).fetchone()
        return IngestResult(file=file, status="unchanged", documents=docs, laws=laws, articles=articles)

    def ingest(self, issue: ParsedIssue) -> IngestResult:
        """Store one parsed file atomically, replacing an older version of the same file."""
        self.cache.clear()  # (data_version does not change for this connection's own writes)
        src = issue.source
        old = self.source_sha(src.file)
        docs = issue.documents
        result = IngestResult(
            file=src.file,
            status="unchanged" if old == src.sha256 else ("replaced" if old else "added"),
            documents=len(docs),
            laws=sum(d.has_articles for d in docs),
            articles=sum(p.kind == "article" for d in docs for p in d.provisions),
        )
        if old == src.sha256:
            return result
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.db:  # one transaction: all of this file or nothing, documents and search index together
            old_ids = [r[0] for r in self.db.execute("SELECT id FROM documents WHERE file = ?", (src.file,))]
            searchindex.unindex_documents(self.db, old_ids)
            self.db.execute("DELETE FROM sources WHERE file = ?", (src.file,))
            self.db.execute(
                "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?)",
                (src.file, src.path, src.sha256, src.encoding, len(src.lines), "\n".join(src.lines), now),
            )
            self.db.executemany(
                "INSERT INTO regions VALUES (?, ?, ?, ?)",
                [(src.file, r.kind, r.start_line, r.end_line) for r in issue.regions],
            )
            for ordinal, doc in enumerate(docs, 1):
                self._insert_document(doc, ordinal)
                searchindex.index_document(self.db, doc)
                linkstore.insert(self.db, doc)
                factstore.insert(self.db, doc)
            linkstore.resolve(self.db, src.file, old_ids)
        return result

    def _insert_document(self, doc: Document, ordinal: int) -> None:
        self.db.execute(
            f"INSERT INTO documents ({_DOC_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc.id,
                doc.source.file,
                ordinal,
                doc.title,
                doc.inner_title,
                doc.doc_type,
                doc.issuer,
                doc.doc_number,
                json.dumps(doc.dates, ensure_ascii=False),
                year_of(doc.dates),
                doc.source.start_line,
                doc.source.end_line,
                int(doc.has_articles),
            ),
        )
        self.db.executemany(
            "INSERT INTO provisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (doc.id, seq, p.id, p.kind, p.number, p.label, p.heading, p.text, p.parent, p.start_line, p.end_line)
                for seq, p in enumerate(doc.provisions)
            ],
        )

    # ------------------------------------------------------------------------------------------ reading

    def count(self, table: str) -> int:
        if table not in ("sources", "documents", "provisions", "regions"):
            raise ValueError(table)
        return self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def sources(self) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT s.file, s.sha256, s.encoding, s.line_count, s.ingested_at, count(d.id), "
            "coalesce(sum(d.has_articles), 0) FROM sources s LEFT JOIN documents d ON d.file = s.file "
            "GROUP BY s.file ORDER BY s.file"
        ).fetchall()
        keys = ("file", "sha256", "encoding", "line_count", "ingested_at", "documents", "laws")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def source_lines(self, file: str) -> list[str] | None:
        row = self.db.execute("SELECT raw FROM sources WHERE file = ?", (file,)).fetchone()
        return row[0].split("\n") if row else None

    def regions(self, file: str) -> list[tuple[str, int, int]]:
        return self.db.execute(
            "SELECT kind, start_line, end_line FROM regions WHERE file = ? ORDER BY start_line", (file,)
        ).fetchall()

    def list_documents(
        self,
        doc_type: str | None = None,
        issuer: str | None = None,
        year: int | None = None,
        file: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Document]:
        where, args = document_conditions("", doc_type, issuer, year, year, file)
        sql = f"SELECT {_DOC_COLUMNS} FROM documents"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY file, ordinal"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        return [self._document(row, with_provisions=False) for row in self.db.execute(sql, args)]

    def count_documents(
        self, doc_type: str | None = None, issuer: str | None = None, year: int | None = None, file: str | None = None
    ) -> int:
        where, args = document_conditions("", doc_type, issuer, year, year, file)
        sql = "SELECT count(*) FROM documents" + (" WHERE " + " AND ".join(where) if where else "")
        return self.db.execute(sql, args).fetchone()[0]

    def document(self, doc_id: str, with_provisions: bool = True, with_links: bool = True) -> Document | None:
        """A document; with its provisions and (unless with_links is False) its references, relations, duties and
        figures, as the export has them."""
        row = self.db.execute(f"SELECT {_DOC_COLUMNS} FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return self._document(row, with_provisions, with_provisions and with_links) if row else None

    def find_document(self, query: str) -> Document:
        """A document by id, by its exact title or inner title, or by a part of its title that only it has."""
        doc = self.document(query)
        if doc:
            return doc
        rows = self.db.execute(
            "SELECT id, title = ?1 OR inner_title = ?1 FROM documents WHERE instr(title, ?1) OR instr(inner_title, ?1)",
            (query,),
        ).fetchall()
        exact = [r[0] for r in rows if r[1]]
        ids = exact if len(exact) == 1 else [r[0] for r in rows]
        if len(ids) != 1:
            more = f"; {len(ids)} titles contain it, give an id" if ids else ""
            raise LookupError(f"no document {query!r}{more}")
        return self.document(ids[0])  # type: ignore[return-value]

    def iter_documents(self) -> Iterator[Document]:
        """Every document with its provisions, in file and document order (streams: one document in memory)."""
        ids = [r[0] for r in self.db.execute("SELECT id FROM documents ORDER BY file, ordinal")]
        for doc_id in ids:
            doc = self.document(doc_id)
            if doc:
                yield doc

    def provisions(self, doc_id: str) -> list[Provision]:
        rows = self.db.execute(
            "SELECT id, kind, number, label, text, parent, start_line, end_line, heading FROM provisions "
            "WHERE document_id = ? ORDER BY seq",
            (doc_id,),
        )
        return [Provision(*r) for r in rows]

    def _document(self, row: Iterable[Any], with_provisions: bool, with_links: bool = False) -> Document:
        (
            doc_id,
            file,
            _ordinal,
            title,
            inner_title,
            doc_type,
            issuer,
            doc_number,
            dates,
            _year,
            start,
            end,
            _has_articles,
        ) = row
        sha = self.source_sha(file) or ""
        return Document(
            id=doc_id,
            title=title,
            inner_title=inner_title,
            doc_type=doc_type,
            issuer=issuer,
            doc_number=doc_number,
            dates=json.loads(dates),
            source=Source(file=file, sha256=sha, start_line=start, end_line=end),
            provisions=self.provisions(doc_id) if with_provisions else [],
            references=linkstore.references_of(self.db, doc_id) if with_links else [],
            relations=linkstore.relations_of(self.db, doc_id)["outgoing"] if with_links else [],
            duties=factstore.duties(self.db, document_id=doc_id) if with_links else [],
            figures=factstore.figures(self.db, doc_id) if with_links else [],
        )

    def relations_of(self, doc_id: str) -> dict[str, list[dict[str, Any]]]:
        """Relations of a document with others: `outgoing` (this document promulgates, explains, repeals … the
        target) and `incoming` (other documents that do so to this one).  Each: type, the other document's id (None
        when it is not in the corpus) and title, and the sentence it was read from with its lines."""
        return linkstore.relations_of(self.db, doc_id)

    def references_of(self, doc_id: str) -> list[dict[str, Any]]:
        """What a document cites, in text order, each resolved to a document (and article) or marked external."""
        return linkstore.references_of(self.db, doc_id)

    def status_of(self, doc_id: str, as_of: date | None = None) -> Status | None:
        """Whether the document is in force on `as_of` (default today); None for texts without force (reports …)."""
        doc = self.document(doc_id, with_provisions=False)
        if doc is None:
            return None
        (articles,) = self.db.execute("SELECT has_articles FROM documents WHERE id = ?", (doc_id,)).fetchone()
        incoming = linkstore.repeals_and_amendments(self.db, doc_id)
        for rel in incoming:
            d = rel.pop("dates")
            rel["effective"] = in_force_from(d)
        return status_of(doc, incoming, as_of or date.today(), bool(articles))

    # ------------------------------------------------------------------ search's reads (see retrieve.py)

    def unit_count(self) -> int:
        """How many search units (hits there can be) the corpus has."""
        return retrieve.unit_count(self.db)

    def term_frequencies(self, strings: Iterable[str]) -> dict[str, float]:
        """About how many units contain each string (0: none)."""
        return retrieve.term_frequencies(self.db, self.cache, strings)

    def candidates(self, probe: Probe, filters: SearchFilters | None = None, limit: int = 200) -> dict[int, float]:
        """One retrieval pass: unit key → BM25 relevance (higher is better), the `limit` best."""
        return retrieve.candidates(self.db, probe, filters, limit)

    def units(self, keys: Iterable[int]) -> list[dict[str, Any]]:
        """The units with these keys and their documents' fields (retrieve.UNIT_KEYS)."""
        return retrieve.units(self.db, keys)

    def titles(self) -> list[dict[str, Any]]:
        """Every document's id, titles, 文号, type, issuer, dates, file, has_articles (cached per connection)."""
        return retrieve.titles(self.db, self.cache)

    def repealed(self, doc_ids: Iterable[str]) -> set[str]:
        """Those of the documents another text in the corpus repeals."""
        return retrieve.repealed(self.db, doc_ids)

    def provision_tree(self, unit: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """A unit's provision, its ancestors and the provisions inside it."""
        return retrieve.provision_tree(self.db, unit)

    def statuses(self, doc_ids: Iterable[str], as_of: date | None = None) -> dict[str, Status | None]:
        """status_of for many documents in two queries (None for texts without force)."""
        day = as_of or date.today()
        return {
            doc_id: status_of(doc, incoming, day, articles)
            for doc_id, (doc, incoming, articles) in retrieve.validity(self.db, doc_ids).items()
        }

    def cited_by(self, doc_id: str) -> list[dict[str, Any]]:
        return linkstore.cited_by(self.db, doc_id)

    def stats(self) -> dict[str, Any]:
        by_type = self.db.execute(
            "SELECT coalesce(doc_type, '?'), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall()
        by_kind = self.db.execute("SELECT kind, count(*) FROM provisions GROUP BY 1 ORDER BY 2 DESC").fetchall()
        return {
            "sources": self.count("sources"),
            "documents": self.count("documents"),
            "laws": self.db.execute("SELECT count(*) FROM documents WHERE has_articles").fetchone()[0],
            "provisions": self.count("provisions"),
            "documents_by_type": dict(by_type),
            "provisions_by_kind": dict(by_kind),
        }
