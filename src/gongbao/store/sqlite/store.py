"""The knowledge base: an embedded SQLite database (through apsw, which bundles a current SQLite with FTS5).

Schema (one row per …):
  sources     gazette file ingested: file (name as cited, primary key), path, sha256 (of the file's bytes), encoding
              (or a PDF's extractor name and version), line count, time, layout (JSON page map of a paged
              source, see parse/pages.py; NULL for text)
  source_text the raw text of a source in parts of SOURCE_PART_LINES lines (first_line, the lines joined by
              newlines): written part by part, and a page of lines reads only the parts that hold them
  regions     line range of an issue that belongs to no document (cover, contents, 简介, back matter, furniture)
  documents   document: id, file, ordinal, title, inner_title, doc_type, issuer, doc_number, dates (JSON),
              year, start_line, end_line, has_articles, warnings (JSON: what the parser could not read as expected)
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

import itertools
import json
import os
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import apsw

from gongbao.model import Document, ParseWarning, Probe, Provision, SearchFilters, SourceText
from gongbao.parse.pages import attach_pages, layout_json, layout_warnings, page_lookup, with_layout
from gongbao.parse.read import ReadError
from gongbao.pipeline import IssueStream, ParsedIssue, parse_source
from gongbao.store.corpus import (
    DATE_KEYS,
    TABLES,
    Corpus,
    IngestResult,
    StoreError,
    StoreNeedsUpgrade,
    document_from_row,
    stats_dict,
    warning_line,
    year_of,
)
from gongbao.store.sqlite import audit, retrieve
from gongbao.store.sqlite import facts as factstore
from gongbao.store.sqlite import index as searchindex
from gongbao.store.sqlite import links as linkstore

__all__ = ["IngestResult", "SqliteCorpus", "Store", "StoreError", "document_conditions", "year_of"]

SCHEMA_VERSION = 5
SOURCE_PART_LINES = 500  # lines of a source_text row (~25 KB of gazette text)
# a source's file name without its folders (the key 'b/issue.txt' → 'issue.txt'), indexed: an ingest asks for the
# sources of each file's name, which without the index is a scan of every source per file
_SOURCE_NAME = "substr(file, length(rtrim(file, replace(file, '/', ''))) + 1)"
_SOURCES_NAME_INDEX = f"CREATE INDEX IF NOT EXISTS sources_name ON sources({_SOURCE_NAME})"
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    file TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    encoding TEXT NOT NULL,
    line_count INTEGER NOT NULL,
    ingested_at TEXT NOT NULL,
    layout TEXT
);
{_SOURCES_NAME_INDEX};
CREATE TABLE IF NOT EXISTS source_text (
    file TEXT NOT NULL REFERENCES sources(file) ON DELETE CASCADE,
    first_line INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (file, first_line)
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
    has_articles INTEGER NOT NULL,
    warnings TEXT NOT NULL DEFAULT '[]'
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

BUSY_TIMEOUT_MS = 10_000
_DAMAGED_HINT = "; `gongbao check` lists the damage; restore a backup, or ingest the files again into a new database"
# every table of this schema version (a database that lacks one is damaged, not new)
REQUIRED_TABLES = tuple(
    re.findall(
        r"CREATE (?:VIRTUAL )?TABLE IF NOT EXISTS (\w+)",
        _SCHEMA + searchindex.SCHEMA + linkstore.SCHEMA + factstore.SCHEMA,
    )
)

# a source's raw text from its parts, in a query on sources
_JOINED_TEXT = (
    "(SELECT group_concat(t.text, char(10) ORDER BY t.first_line) FROM source_text t WHERE t.file = sources.file)"
)
_DOC_COLUMNS = (
    "id, file, ordinal, title, inner_title, doc_type, issuer, doc_number, dates, year, start_line, "
    "end_line, has_articles, warnings"
)


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


class SqliteCorpus(Corpus):
    """A connection to an embedded knowledge base (one file).  Use as a context manager or call close()."""

    streams_documents = True

    def __init__(self, path: str | os.PathLike[str], readonly: bool = False):
        self.path = Path(path)
        self.location = str(self.path)
        self.cache: dict[str, Any] = {}  # derived data of this connection (e.g. search statistics)
        self._queries = 0
        self._writes = 0
        if not readonly:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:  # e.g. --db under a regular file
                raise StoreError(f"{self.path}: cannot create the database's folder ({e.strerror})") from None
        flags = apsw.SQLITE_OPEN_READONLY if readonly else apsw.SQLITE_OPEN_READWRITE | apsw.SQLITE_OPEN_CREATE
        try:
            self.db = apsw.Connection(str(self.path), flags=flags)
            self.db.setbusytimeout(BUSY_TIMEOUT_MS)
            self.db.exec_trace = self._count_query
            self.db.execute("PRAGMA foreign_keys = ON")
            version = self._schema_version()  # before any write: a foreign or damaged file is left as it is
            if not readonly:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
                if version != SCHEMA_VERSION:
                    with self.db:
                        if version is not None:
                            self._rebuild(version)
                        self._create()
                elif not self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sources_name'").fetchone():
                    self.db.execute(_SOURCES_NAME_INDEX)  # (a database made before the index lacks it)
            elif version is None:
                raise StoreError(f"{self.path}: an empty database (no gongbao tables): ingest files into it first")
            elif version < SCHEMA_VERSION:
                raise StoreNeedsUpgrade(
                    f"{self.path}: database of an older version; open it once for writing to upgrade"
                )
        except apsw.Error as e:
            raise StoreError(f"{self.path}: cannot open the database: {describe_error(e)}") from None

    def _create(self) -> None:
        self.db.execute(_SCHEMA)
        searchindex.create(self.db)
        linkstore.create(self.db)
        factstore.create(self.db)
        self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def _schema_version(self) -> int | None:
        """The schema version of the database (None: a new, empty file), or StoreError for one gongbao must not
        use: another program's SQLite file, a version number that is not one, a newer gongbao's database, or one
        of this version with a table missing (it would be recreated empty and the loss go unnoticed)."""
        tables = {name for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return None
        if "meta" not in tables:
            shown = ", ".join(sorted(tables)[:5])
            raise StoreError(f"{self.path}: not a gongbao database (an SQLite file of another program: {shown})")
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None or not str(row[0]).isdigit():
            found = "no schema version" if row is None else f"schema version {row[0]!r} is not a number"
            raise StoreError(f"{self.path}: damaged database ({found}){_DAMAGED_HINT}")
        version = int(row[0])
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: database written by a newer gongbao (schema {version}; this one reads "
                f"{SCHEMA_VERSION}): upgrade gongbao"
            )
        missing = sorted(set(REQUIRED_TABLES) - tables)
        if version == SCHEMA_VERSION and missing:
            raise StoreError(f"{self.path}: damaged database (table {', '.join(missing)} missing){_DAMAGED_HINT}")
        return version

    def _rebuild(self, version: int) -> None:
        """Upgrade an older database: drop everything and ingest again the raw text of every source it holds."""
        columns = {r[1] for r in self.db.execute("PRAGMA table_info(sources)")}
        layout = "layout" if "layout" in columns else "NULL"
        raw = "raw" if "raw" in columns else _JOINED_TEXT  # (up to version 4 the text was one column)
        sources = [
            with_layout(SourceText(file, path, sha, encoding, tuple(text.split("\n"))), lay)
            for file, path, sha, encoding, text, lay in self.db.execute(
                f"SELECT file, path, sha256, encoding, {raw}, {layout} FROM sources"
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

    def integrity(self, quick: bool = True) -> list[str]:
        """What is wrong with the database file, one line each (empty: nothing found).  `quick`: SQLite's
        quick_check (pages, records, free list; seconds for a large file), for an ingest to refuse a damaged
        database; otherwise integrity_check (also every index and the full-text index against its table) and the
        tables compared with each other (see audit.py), for `gongbao check`."""
        try:
            problems = audit.sqlite_check(self.db, quick)
            tables = {n for (n,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            problems += [f"table {t} missing" for t in REQUIRED_TABLES if t not in tables]
            if not quick and not problems:
                problems += audit.cross_check(self.db)
        except apsw.Error as e:
            problems = [describe_error(e)]
        return problems

    # ------------------------------------------------------------------------------------------ writing

    def source_sha(self, file: str) -> str | None:
        row = self.db.execute("SELECT sha256 FROM sources WHERE file = ?", (file,)).fetchone()
        return row[0] if row else None

    def source_identity(self, file: str) -> tuple[str, str] | None:
        row = self.db.execute("SELECT sha256, encoding FROM sources WHERE file = ?", (file,)).fetchone()
        return (row[0], row[1]) if row else None

    def sources_named(self, name: str) -> list[tuple[str, str | None, str]]:
        rows = self.db.execute(
            f"SELECT file, path, sha256 FROM sources WHERE {_SOURCE_NAME} = ? ORDER BY length(file), file", (name,)
        )
        return [tuple(r) for r in rows]

    def unchanged(self, file: str) -> IngestResult:
        """The counts of a file already stored in this exact version."""
        docs, laws, articles = self.db.execute(
            "SELECT count(*), coalesce(sum(has_articles), 0), (SELECT count(*) FROM provisions p JOIN documents d "
            "ON p.document_id = d.id WHERE d.file = ?1 AND p.kind = 'article') FROM documents WHERE file = ?1",
            (file,),
        ).fetchone()
        stored = self.db.execute("SELECT title, warnings FROM documents WHERE file = ? ORDER BY ordinal", (file,))
        warnings = [warning_line(title, ParseWarning(**w)) for title, ws in stored.fetchall() for w in json.loads(ws)]
        return IngestResult(
            file=file, status="unchanged", documents=docs, laws=laws, articles=articles, warnings=warnings
        )

    def ingest(self, issue: ParsedIssue | IssueStream) -> IngestResult:
        """Store one parsed file atomically, replacing an older version of the same file.  The documents are
        written as they come (an IssueStream makes them one at a time, so a large file is never held whole), all
        in the file's one transaction."""
        self.cache.clear()  # (data_version does not change for this connection's own writes)
        self._writes += 1
        src = issue.source
        old = self.source_identity(src.file)
        same = old == (src.sha256, src.encoding)
        result = IngestResult(src.file, "unchanged" if same else ("replaced" if old else "added"), 0, 0, 0)
        if same:
            for doc in issue.documents:
                _count(result, doc)
            return result
        self.db.exec_trace = None  # (the query count is of reads: a Python call per row written costs ingest time)
        try:
            self._write(issue, result)
        finally:
            self.db.exec_trace = self._count_query
        return result

    def _write(self, issue: ParsedIssue | IssueStream, result: IngestResult) -> None:
        """The file's one transaction; `result` counts the documents as they are written."""
        src = issue.source
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.db:  # one transaction: all of this file or nothing, documents and search index together
            old_ids = [r[0] for r in self.db.execute("SELECT id FROM documents WHERE file = ?", (src.file,))]
            searchindex.unindex_documents(self.db, old_ids)
            self.db.execute("DELETE FROM sources WHERE file = ?", (src.file,))
            self.db.execute(
                "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?)",
                (src.file, src.path, src.sha256, src.encoding, len(src.lines), now, layout_json(src)),
            )
            self._insert_text(src)
            for ordinal, doc in enumerate(issue.documents, 1):
                _count(result, doc)
                self._insert_document(doc, ordinal)
                searchindex.index_document(self.db, doc)
                linkstore.insert(self.db, doc)
                factstore.insert(self.db, doc)
            self.db.executemany(  # (after the documents: a large file's regions are found as its pieces are split)
                "INSERT INTO regions VALUES (?, ?, ?, ?)",
                [(src.file, r.kind, r.start_line, r.end_line) for r in issue.regions],
            )
            linkstore.resolve(self.db, src.file, old_ids)

    def _insert_text(self, src: SourceText) -> None:
        """The raw lines in parts, each joined only when it is written (never the whole file as one string; the
        lines of a large file are read from it as they are written)."""
        self.db.executemany("INSERT INTO source_text VALUES (?, ?, ?)", _parts(src.file, src.lines))

    def _insert_document(self, doc: Document, ordinal: int) -> None:
        self.db.execute(
            f"INSERT INTO documents ({_DOC_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                json.dumps([w.to_dict() for w in doc.warnings], ensure_ascii=False),
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

    @property
    def queries(self) -> int:
        return self._queries

    def _count_query(self, *_args: Any) -> bool:
        self._queries += 1
        return True

    def version(self) -> int:
        """SQLite's data_version (moves when another connection commits) and this handle's own ingests."""
        (data_version,) = self.db.execute("PRAGMA data_version").fetchone()
        return data_version << 24 | self._writes

    def count(self, table: str) -> int:
        if table not in TABLES:
            raise ValueError(table)
        return self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def sources(self, file: str | None = None) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT s.file, s.sha256, s.encoding, s.line_count, s.ingested_at, count(d.id), "
            "coalesce(sum(d.has_articles), 0) FROM sources s LEFT JOIN documents d ON d.file = s.file "
            "WHERE ?1 IS NULL OR s.file = ?1 GROUP BY s.file ORDER BY s.file",
            (file,),
        ).fetchall()
        keys = ("file", "sha256", "encoding", "line_count", "ingested_at", "documents", "laws")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def source_lines(self, file: str) -> list[str] | None:
        if not self.db.execute("SELECT 1 FROM sources WHERE file = ?", (file,)).fetchone():
            return None
        rows = self.db.execute("SELECT text FROM source_text WHERE file = ? ORDER BY first_line", (file,))
        return [line for (text,) in rows for line in text.split("\n")]

    def source_window(self, file: str, first: int, last: int) -> list[str] | None:
        if not self.db.execute("SELECT 1 FROM sources WHERE file = ?", (file,)).fetchone():
            return None
        first, last = max(1, first), max(0, last)
        rows = self.db.execute(
            "SELECT first_line, text FROM source_text WHERE file = ? AND first_line > ? AND first_line <= ? "
            "ORDER BY first_line",
            (file, first - SOURCE_PART_LINES, last),
        )
        out: list[str] = []
        for start, text in rows:
            part = text.split("\n")
            out += part[max(0, first - start) : max(0, last - start + 1)]
        return out

    def page_runs(self, file: str) -> list[list[Any]]:  # (cached per connection until the next write)
        key = f"pages:{file}"
        if key not in self.cache:
            row = self.db.execute("SELECT layout FROM sources WHERE file = ?", (file,)).fetchone()
            self.cache[key] = page_lookup(row[0] if row else None)
        return self.cache[key]

    def page_runs_of(self, files: Iterable[str]) -> dict[str, list[list[Any]]]:
        known = self.cached("pages")
        if "paged" not in known:  # the page maps of every paged source (PDF), once per generation
            rows = self.db.execute("SELECT file, layout FROM sources WHERE layout IS NOT NULL")
            known["paged"] = {f: runs for f, layout in rows if (runs := page_lookup(layout))}
        return {f: known["paged"].get(f, []) for f in files}

    def source_path(self, file: str) -> str | None:
        row = self.db.execute("SELECT path FROM sources WHERE file = ?", (file,)).fetchone()
        return row[0] if row else None

    def source_warnings(self, file: str) -> list[str]:
        row = self.db.execute("SELECT layout FROM sources WHERE file = ?", (file,)).fetchone()
        return layout_warnings(row[0] if row else None)

    def regions(self, file: str) -> list[tuple[str, int, int]]:
        return self.db.execute(
            "SELECT kind, start_line, end_line FROM regions WHERE file = ? ORDER BY start_line", (file,)
        ).fetchall()

    def all_regions(self) -> dict[str, list[tuple[str, int, int]]]:
        out: dict[str, list[tuple[str, int, int]]] = {}
        for file, kind, a, b in self.db.execute(
            "SELECT file, kind, start_line, end_line FROM regions ORDER BY file, start_line"
        ):
            out.setdefault(file, []).append((kind, a, b))
        return out

    def select_documents(
        self, where: SearchFilters | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Document]:
        conditions, args = _conditions(where)
        sql = _SELECT_DOCUMENTS + (" WHERE " + " AND ".join(conditions) if conditions else "")
        sql += " ORDER BY d.file, d.ordinal"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        return [document_from_row(row) for row in self.db.execute(sql, args)]

    def count_documents_where(self, where: SearchFilters | None = None) -> int:
        conditions, args = _conditions(where)
        sql = "SELECT count(*) FROM documents d" + (" WHERE " + " AND ".join(conditions) if conditions else "")
        return self.db.execute(sql, args).fetchone()[0]

    def documents(self, ids: list[str]) -> list[Document]:
        found: dict[str, Document] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            sql = _SELECT_DOCUMENTS + f" WHERE d.id IN ({','.join('?' * len(chunk))})"
            found.update((d.id, d) for d in map(document_from_row, self.db.execute(sql, chunk)))
        return [found[i] for i in ids if i in found]

    def document(self, doc_id: str, with_provisions: bool = True, with_links: bool = True) -> Document | None:
        row = self.db.execute(_SELECT_DOCUMENTS + " WHERE d.id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        doc = document_from_row(row)
        if with_provisions:
            doc.provisions = self.provisions(doc_id)
            attach_pages(doc, self.page_runs(doc.source.file))
        if with_provisions and with_links:
            doc.references = self.references_of(doc_id)
            doc.relations = linkstore.outgoing(self.db, doc_id)
            doc.duties = self.duties(document_id=doc_id)
            doc.figures = self.figures(doc_id)
        return doc

    def provisions(self, doc_id: str) -> list[Provision]:
        rows = self.db.execute(
            "SELECT id, kind, number, label, text, parent, start_line, end_line, heading FROM provisions "
            "WHERE document_id = ? ORDER BY seq",
            (doc_id,),
        )
        return [Provision(*r) for r in rows]

    def titles_containing(self, text: str) -> list[tuple[str, bool]]:
        rows = self.db.execute(
            "SELECT id, title = ?1 OR inner_title = ?1 FROM documents WHERE instr(title, ?1) OR instr(inner_title, ?1) "
            "ORDER BY file, ordinal",
            (text,),
        )
        return [(i, bool(exact)) for i, exact in rows]

    def latest(self, n: int) -> list[Document]:
        order = ", ".join(f"json_extract(d.dates, '$.{k}')" for k in DATE_KEYS)
        sql = f"{_SELECT_DOCUMENTS} ORDER BY coalesce({order}, '') DESC, d.file, d.ordinal LIMIT ?"
        return [document_from_row(row) for row in self.db.execute(sql, (n,))]

    def relations_of(self, doc_id: str) -> dict[str, list[dict[str, Any]]]:
        return linkstore.relations_of(self.db, doc_id)

    def references_of(self, doc_id: str) -> list[dict[str, Any]]:
        return linkstore.references_of(self.db, doc_id)

    # ------------------------------------------------------------------ search's reads (see retrieve.py)

    def unit_count(self) -> int:
        """How many search units (hits there can be) the corpus has."""
        return retrieve.unit_count(self.db, self.cached("totals"))

    def term_frequencies(self, strings: Iterable[str]) -> dict[str, float]:
        """About how many units contain each string (0: none)."""
        return retrieve.term_frequencies(self.db, self.cached("char_df"), self.unit_count(), strings)

    def candidates(self, probe: Probe, filters: SearchFilters | None = None, limit: int = 200) -> dict[int, float]:
        """One retrieval pass: unit key → BM25 relevance (higher is better), the `limit` best."""
        return retrieve.candidates(self.db, probe, filters, limit)

    def candidates_of(
        self, probes: list[Probe], filters: SearchFilters | None = None, limit: int = 200
    ) -> list[dict[int, float]]:
        """Several retrieval passes in one statement."""
        return retrieve.candidates_of(self.db, probes, filters, limit)

    def units(self, keys: Iterable[int]) -> list[dict[str, Any]]:
        """The units with these keys and their documents' fields (retrieve.UNIT_KEYS)."""
        return retrieve.units(self.db, keys, self._titles_by_id())

    def titles(self) -> list[dict[str, Any]]:
        """Every document's id, titles, 文号, type, issuer, dates, file, has_articles (once per generation)."""
        known = self.cached("titles")
        if "rows" not in known:
            known["rows"] = retrieve.titles(self.db)
        return known["rows"]

    def provisions_and_units(self, doc_ids: list[str]) -> dict[str, tuple[list[Provision], dict[str, int]]]:
        return retrieve.provisions_and_units(self.db, doc_ids)

    def repeals_and_amendments(self) -> list[tuple[str, str, str, str, dict[str, str] | None]]:
        return linkstore.all_repeals_and_amendments(self.db)

    def provision_trees(self, units: list[dict[str, Any]]) -> list[dict[str, dict[str, Any]]]:
        """Each unit's provision, its ancestors and the provisions inside it, in one statement."""
        return retrieve.provision_trees(self.db, units)

    def cited_by(self, doc_id: str) -> list[dict[str, Any]]:
        return linkstore.cited_by(self.db, doc_id)

    def status_inputs(
        self, ids: list[str] | None = None, where: SearchFilters | None = None
    ) -> tuple[list[tuple[Document, bool]], dict[str, list[dict[str, Any]]]]:
        if ids is not None:
            chosen = "d.id IN (SELECT value FROM json_each(?))"
            args: list[Any] = [json.dumps(ids)]
        else:
            conditions, args = _conditions(where)
            chosen = " AND ".join(conditions) or "1"
        sql = f"SELECT {_DOCUMENT_FIELDS}, d.has_articles {_FROM_DOCUMENTS} WHERE {chosen} ORDER BY d.file, d.ordinal"
        rows = self.db.execute(sql, args).fetchall()
        docs = [(document_from_row(r[:-1]), bool(r[-1])) for r in rows]
        if ids is not None:
            order = {i: n for n, i in enumerate(ids)}
            docs.sort(key=lambda x: order[x[0].id])
        incoming = linkstore.repeals_and_amendments(self.db, f"SELECT d.id FROM documents d WHERE {chosen}", args)
        return docs, incoming

    def duties(
        self, document_id: str | None = None, agency: str | None = None, role: str | None = None
    ) -> list[dict[str, Any]]:
        return factstore.duties(self.db, document_id, agency, role)

    def agencies(self) -> list[tuple[str, str | None, int]]:
        return factstore.agencies(self.db)

    def figures(self, document_id: str) -> list[dict[str, Any]]:
        return factstore.figures(self.db, document_id)

    def stats(self) -> dict[str, Any]:
        counts = self.db.execute(
            "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM documents), "
            "(SELECT count(*) FROM documents WHERE has_articles), (SELECT count(*) FROM provisions)"
        ).fetchone()
        groups = self.db.execute(
            "SELECT 'type', coalesce(doc_type, '?'), count(*) FROM documents GROUP BY 2 "
            "UNION ALL SELECT 'kind', kind, count(*) FROM provisions GROUP BY 2"
        ).fetchall()
        return stats_dict(counts, groups)


_DOCUMENT_FIELDS = (
    "d.id, d.file, d.title, d.inner_title, d.doc_type, d.issuer, d.doc_number, d.dates, d.start_line, d.end_line, "
    "d.warnings, coalesce(s.sha256, '')"
)
_FROM_DOCUMENTS = "FROM documents d LEFT JOIN sources s ON s.file = d.file"
_SELECT_DOCUMENTS = f"SELECT {_DOCUMENT_FIELDS} {_FROM_DOCUMENTS}"


def _parts(file: str, lines: Iterable[str]) -> Iterator[tuple[str, int, str]]:
    """Rows of source_text: (file, first line, SOURCE_PART_LINES lines joined by newlines)."""
    todo, first = iter(lines), 1
    while part := list(itertools.islice(todo, SOURCE_PART_LINES)):
        yield file, first, "\n".join(part)
        first += len(part)


def _count(result: IngestResult, doc: Document) -> None:
    """Add one stored document to the counts of its file."""
    result.documents += 1
    result.laws += doc.has_articles
    result.articles += sum(p.kind == "article" for p in doc.provisions)
    result.warnings += [warning_line(doc.title, w) for w in doc.warnings]


def _conditions(where: SearchFilters | None) -> tuple[list[str], list[Any]]:
    f = where or SearchFilters()
    return document_conditions("d.", f.doc_type, f.issuer, f.year_from, f.year_to, f.file, f.has_articles)


def _chunks(values: list[str], size: int = 500) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


Store = SqliteCorpus  # the name the README documents


def describe_error(e: BaseException) -> str | None:
    """One line for an error of the SQLite driver (None for any other exception).  A full disk is named as such even
    when SQLite's own rollback hid it behind "cannot rollback - no transaction is active"."""
    chain = []
    while e is not None and e not in chain:
        chain.append(e)
        e = e.__cause__ or (None if e.__suppress_context__ else e.__context__)
    kinds = [type(x) for x in chain]
    if apsw.FullError in kinds:
        return "the disk is full (database or disk is full): the file in progress was not stored, the rest is intact"
    if apsw.CorruptError in kinds or apsw.NotADBError in kinds:
        return f"the database is damaged or not a database ({chain[0]}){_DAMAGED_HINT}"
    if apsw.BusyError in kinds or apsw.LockedError in kinds:
        return f"the database is locked by another process for longer than {BUSY_TIMEOUT_MS // 1000} s ({chain[0]})"
    if apsw.ReadOnlyError in kinds or apsw.CantOpenError in kinds:
        return f"the database cannot be written or opened ({chain[0]})"
    if isinstance(chain[0], apsw.Error):
        return f"{type(chain[0]).__name__}: {chain[0]}"
    return None
