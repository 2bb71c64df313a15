"""The shared knowledge base: a PostgreSQL server, through psycopg 3 and a connection pool per process.

Selected by a `postgresql://…` address (`--db` or GONGBAO_DB).  Same tables and rules as the embedded store
(store/sqlite/), with what a server with several writers and many readers needs:

  - ingest of one file is one transaction (COPY for the bulk rows); two writers of the same file wait for each
    other (an advisory lock per file name), writers of different files do not;
  - references are resolved after the commit, one pass at a time (postgres/links.py), so that files citing each
    other and ingested at once by two workers end linked both ways;
  - `version()` is a sequence moved after every commit: web answers are remembered until it moves;
  - the schema evolves by numbered migrations (postgres/schema.py) recorded in `schema_migrations`;
  - the search index is a character tsvector with phrase queries and FTS5's BM25 (postgres/grams.py).

A `PostgresCorpus` handle may be used by several threads: each call borrows a connection from the pool.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from gongbao.link.agencies import query_matches
from gongbao.link.refs import document_keys
from gongbao.model import (
    Document,
    ParseWarning,
    Probe,
    Provision,
    SearchFilters,
    document_date,
    year_of,
)
from gongbao.parse.pages import attach_pages, layout_json, layout_warnings, page_lookup
from gongbao.parse.script import search_form
from gongbao.store.corpus import (
    DUTY_FIELDS,
    FIGURE_FIELDS,
    TABLES,
    Corpus,
    IngestResult,
    StoreError,
    StoreNeedsUpgrade,
    document_from_row,
    provisions_with_units,
    reference_from_row,
    stats_dict,
    warning_line,
)
from gongbao.store.postgres import grams
from gongbao.store.postgres.links import resolve_pending
from gongbao.store.postgres.schema import MIGRATION_LOCK, MIGRATIONS
from gongbao.store.units import units_of

POOL_SIZE = int(os.environ.get("GONGBAO_PG_POOL", "8"))  # connections per process at most
SCORED_MARGIN = 200  # the server's BM25 cut keeps this many (at least) beyond what candidates() returns
EXACT_UP_TO = 20_000  # a corpus of up to this many units (about 7 MB of text) is scored exactly: every match …
SCORED_AT_MOST = 2_000  # … a larger one, at most this many matches per retrieval pass (and phrase counts bounded)
_pools: dict[str, ConnectionPool] = {}
_pools_lock = threading.Lock()

_REF_COLUMNS = ("provision_id", "kind", "text", "title", "key", "target_id", "target_provision", "article",
                "article_sub", "paragraph", "item", "article_to", "draft", "nested", "start_line", "end_line",
                "offset")  # fmt: skip
_REF_SQL = ", ".join(f'"{c}"' for c in _REF_COLUMNS)
_REF_KEYS = tuple("target" if c == "target_id" else c for c in _REF_COLUMNS)
_DOCUMENT_FIELDS = (
    "d.id, d.file, d.title, d.inner_title, d.doc_type, d.issuer, d.doc_number, d.dates, d.start_line, d.end_line, "
    "d.warnings, coalesce(s.sha256, '')"
)
_FROM_DOCUMENTS = "FROM documents d LEFT JOIN sources s ON s.file = d.file"
_SELECT_DOCUMENTS = f"SELECT {_DOCUMENT_FIELDS} {_FROM_DOCUMENTS}"
UNIT_KEYS = ("rowid", "document_id", "provision_id", "kind", "heading", "body", "start_line", "end_line", "title",
             "inner_title", "doc_type", "issuer", "dates", "file", "has_articles")  # fmt: skip
_OWN_KEYS = UNIT_KEYS[:8]  # the unit's own columns; the others are its document's (a titles() row)
_DOCUMENT_KEYS = UNIT_KEYS[8:]
_UNIT_COLUMNS = "rid, " + ", ".join(_OWN_KEYS[1:])


def _pool(url: str) -> ConnectionPool:
    """The process's pool for a server address (opened on first use, shared by every handle)."""
    with _pools_lock:
        pool = _pools.get(url)
        if pool is None or pool.closed:
            pool = ConnectionPool(url, min_size=1, max_size=POOL_SIZE, open=False, name="gongbao")
            try:
                pool.open(wait=True, timeout=15)
            except Exception as e:
                pool.close()
                raise StoreError(f"{_shown(url)}: cannot connect to the PostgreSQL server ({e})") from None
            _pools[url] = pool
        return pool


@atexit.register
def close_pools() -> None:
    """Close every pool of this process (at exit, or before a test drops its database)."""
    with _pools_lock:
        for pool in _pools.values():
            pool.close()
        _pools.clear()


def close_pool(url: str) -> None:
    """Close the pool of one server address (a test's database, before it is dropped)."""
    with _pools_lock:
        pool = _pools.pop(url, None)
    if pool is not None:
        pool.close()


def _shown(url: str) -> str:
    """The address without a password, for messages."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://…"
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{info.get('user', '')}@{info.get('host', '')}{port}/{info.get('dbname', '')}"


def _one_version(method: Callable[..., Any]) -> Callable[..., Any]:
    """One version() query for a read and the cached statistics it uses (each is a round trip; a search asked
    for one per statistic): the read runs inside Corpus.pinned(), which reads the version once, when the outermost
    pinned read (or the search around it) starts, in this thread."""

    @functools.wraps(method)
    def read(self: PostgresCorpus, *args: Any, **kwargs: Any) -> Any:
        with self.pinned():
            return method(self, *args, **kwargs)

    return read


@dataclass
class _Pass:
    """One retrieval pass as SQL (rid, heading_tokens, body_tokens, score) and what scores its rows exactly."""

    sql: str
    args: list[Any]
    phrases: list[str]
    idfs: list[float]
    average: float
    bounded: bool

    def scored(self, rows: list[tuple[Any, ...]], limit: int) -> dict[int, float]:
        if not self.phrases:  # the units of some documents, in order
            return {r[0]: 0.0 for r in rows}
        scored = sorted((-grams.bm25(h, b, self.phrases, self.idfs, self.average), rid) for rid, h, b, _s in rows)
        return {rid: -score for score, rid in scored[:limit]}


class PostgresCorpus(Corpus):
    """A handle on a knowledge base in a PostgreSQL database.  Use as a context manager or call close()."""

    def __init__(self, url: str, readonly: bool = False):
        self.url = url
        self.location = _shown(url)
        self.cache: dict[str, Any] = {}
        self._queries = 0
        self._lock = threading.Lock()
        self._pool = _pool(url)
        try:
            self._migrate(readonly)
        except psycopg.Error as e:
            raise StoreError(f"{self.location}: cannot open database ({e})") from None

    def _migrate(self, readonly: bool) -> None:
        with self._conn() as conn:
            applied = self._applied(conn)
            if applied > len(MIGRATIONS):
                raise StoreError(f"{self.location}: database written by a newer gongbao (schema {applied})")
            if applied == len(MIGRATIONS):
                return
            if readonly and applied == 0:
                raise StoreError(f"{self.location}: an empty database (no gongbao tables): ingest files into it first")
            if readonly:
                raise StoreNeedsUpgrade(
                    f"{self.location}: database schema {applied} is behind; open it once for writing"
                )
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at text)"
                )
                done = self._applied(conn)
                now = datetime.now(UTC).isoformat(timespec="seconds")
                for version, sql in enumerate(MIGRATIONS[done:], done + 1):
                    conn.execute(sql)
                    conn.execute("INSERT INTO schema_migrations VALUES (%s, %s)", (version, now))

    @staticmethod
    def _applied(conn: psycopg.Connection) -> int:
        if conn.execute("SELECT to_regclass('schema_migrations')").fetchone()[0] is None:
            return 0
        return conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]

    def close(self) -> None:
        """Nothing to close per handle: the connections belong to the process's pool."""

    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection]:
        with self._pool.connection() as conn:
            yield _Counted(conn, self)

    def _all(self, sql: str, args: Any = None) -> list[tuple[Any, ...]]:
        with self._conn() as conn:
            return conn.execute(sql, args).fetchall()

    def _one(self, sql: str, args: Any = None) -> tuple[Any, ...] | None:
        with self._conn() as conn:
            return conn.execute(sql, args).fetchone()

    def _counted(self) -> None:
        with self._lock:
            self._queries += 1

    @property
    def queries(self) -> int:
        return self._queries

    def version(self) -> int:
        last, called = self._one("SELECT last_value, is_called FROM generation")  # type: ignore[misc]
        return last * 2 + int(called)

    # ------------------------------------------------------------------------------------------ writing

    def source_sha(self, file: str) -> str | None:
        row = self._one("SELECT sha256 FROM sources WHERE file = %s", (file,))
        return row[0] if row else None

    def source_identity(self, file: str) -> tuple[str, str] | None:
        row = self._one("SELECT sha256, encoding FROM sources WHERE file = %s", (file,))
        return (row[0], row[1]) if row else None

    def writer_address(self) -> str:
        """The server takes several writers: files of one batch are stored by the processes that parse them."""
        return self.url

    def unchanged(self, file: str) -> IngestResult:
        docs, laws, articles = self._one(  # type: ignore[misc]
            "SELECT count(*), count(*) FILTER (WHERE has_articles), (SELECT count(*) FROM provisions p "
            "JOIN documents d ON p.document_id = d.id WHERE d.file = %(f)s AND p.kind = 'article') "
            "FROM documents WHERE file = %(f)s",
            {"f": file},
        )
        stored = self._all("SELECT title, warnings FROM documents WHERE file = %s ORDER BY ordinal", (file,))
        warnings = [warning_line(title, ParseWarning(**w)) for title, ws in stored for w in json.loads(ws)]
        return IngestResult(
            file=file, status="unchanged", documents=docs, laws=laws, articles=articles, warnings=warnings
        )

    def ingest(self, issue: Any) -> IngestResult:
        """One transaction for the file's rows, then the resolution pass (see postgres/links.py)."""
        src = issue.source
        docs = issue.documents
        result = IngestResult(
            file=src.file,
            status="added",
            documents=len(docs),
            laws=sum(d.has_articles for d in docs),
            articles=sum(p.kind == "article" for d in docs for p in d.provisions),
            warnings=[warning_line(d.title, w) for d in docs for w in d.warnings],
        )
        indexed = [(doc, _search_units(doc)) for doc in docs]  # (computed before the transaction: it holds locks)
        with self._conn() as conn:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", (1, zlib.crc32(src.file.encode()) - 2**31))
                old = conn.execute("SELECT sha256, encoding FROM sources WHERE file = %s", (src.file,)).fetchone()
                if old and tuple(old) == (src.sha256, src.encoding):
                    result.status = "unchanged"
                    return result
                result.status = "replaced" if old else "added"
                replaced = [r[0] for r in conn.execute("SELECT id FROM documents WHERE file = %s", (src.file,))]
                conn.execute("DELETE FROM sources WHERE file = %s", (src.file,))
                _write_issue(conn, issue, indexed)
            resolve_pending(conn, src.file, replaced)
            conn.execute("SELECT nextval('generation')")
        self.cache.clear()
        return result

    # ------------------------------------------------------------------------------------------ reading

    def count(self, table: str) -> int:
        if table not in TABLES:
            raise ValueError(table)
        return self._one(f"SELECT count(*) FROM {table}")[0]  # type: ignore[index]

    def stats(self) -> dict[str, Any]:
        with self._conn() as conn:
            counts = conn.execute(
                "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM documents), "
                "(SELECT count(*) FROM documents WHERE has_articles), (SELECT count(*) FROM provisions)"
            ).fetchone()
            groups = conn.execute(
                "SELECT 'type', coalesce(doc_type, '?'), count(*) FROM documents GROUP BY 2 "
                "UNION ALL SELECT 'kind', kind, count(*) FROM provisions GROUP BY 2"
            ).fetchall()
        return stats_dict(counts, groups)  # type: ignore[arg-type]

    def sources(self, file: str | None = None) -> list[dict[str, Any]]:
        rows = self._all(
            "SELECT s.file, s.sha256, s.encoding, s.line_count, s.ingested_at, count(d.id), "
            "count(d.id) FILTER (WHERE d.has_articles) FROM sources s LEFT JOIN documents d ON d.file = s.file "
            "WHERE %(f)s::text IS NULL OR s.file = %(f)s GROUP BY s.file ORDER BY s.file",
            {"f": file},
        )
        keys = ("file", "sha256", "encoding", "line_count", "ingested_at", "documents", "laws")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def source_lines(self, file: str) -> list[str] | None:
        row = self._one("SELECT raw FROM sources WHERE file = %s", (file,))
        return row[0].split("\n") if row else None

    def page_runs(self, file: str) -> list[list[int]]:  # (cached per handle, as the SQLite store does)
        key = f"pages:{file}"
        if key not in self.cache:
            with self._conn() as conn:
                self.cache[key] = _page_runs(conn, file)
        return self.cache[key]

    def source_path(self, file: str) -> str | None:
        row = self._one("SELECT path FROM sources WHERE file = %s", (file,))
        return row[0] if row else None

    def sources_named(self, name: str) -> list[tuple[str, str | None, str]]:
        rows = self._all(
            "SELECT file, path, sha256 FROM sources "
            "WHERE file = %(n)s OR right(file, length(%(n)s) + 1) = '/' || %(n)s ORDER BY length(file), file",
            {"n": name},
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]

    def source_warnings(self, file: str) -> list[str]:
        row = self._one("SELECT layout FROM sources WHERE file = %s", (file,))
        return layout_warnings(row[0] if row else None)

    def regions(self, file: str) -> list[tuple[str, int, int]]:
        return self._all("SELECT kind, start_line, end_line FROM regions WHERE file = %s ORDER BY start_line", (file,))  # type: ignore[return-value]

    def all_regions(self) -> dict[str, list[tuple[str, int, int]]]:
        out: dict[str, list[tuple[str, int, int]]] = {}
        for file, kind, a, b in self._all(
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
            sql += " LIMIT %s OFFSET %s"
            args += [limit, offset]
        return [document_from_row(row) for row in self._all(sql, args)]

    def count_documents_where(self, where: SearchFilters | None = None) -> int:
        conditions, args = _conditions(where)
        sql = "SELECT count(*) FROM documents d" + (" WHERE " + " AND ".join(conditions) if conditions else "")
        return self._one(sql, args)[0]  # type: ignore[index]

    def documents(self, ids: list[str]) -> list[Document]:
        if not ids:
            return []
        rows = self._all(_SELECT_DOCUMENTS + " WHERE d.id = ANY(%s)", (ids,))
        found = {d.id: d for d in map(document_from_row, rows)}
        return [found[i] for i in ids if i in found]

    def document(self, doc_id: str, with_provisions: bool = True, with_links: bool = True) -> Document | None:
        with self._conn() as conn:
            row = conn.execute(_SELECT_DOCUMENTS + " WHERE d.id = %s", (doc_id,)).fetchone()
            if row is None:
                return None
            doc = document_from_row(row)
            if with_provisions:
                doc.provisions = _provisions(conn, doc_id)
                attach_pages(doc, _page_runs(conn, doc.source.file))
            if with_provisions and with_links:
                doc.references = _references(conn, doc_id)
                doc.relations = _outgoing(conn, doc_id)
                doc.duties = _duties(conn, document_id=doc_id)
                doc.figures = _figures(conn, doc_id)
        return doc

    def provisions(self, doc_id: str) -> list[Provision]:
        with self._conn() as conn:
            return _provisions(conn, doc_id)

    def titles_containing(self, text: str) -> list[tuple[str, bool]]:
        rows = self._all(
            "SELECT id, coalesce(title = %(q)s OR inner_title = %(q)s, false) FROM documents "
            "WHERE strpos(title, %(q)s) > 0 OR strpos(inner_title, %(q)s) > 0 ORDER BY file, ordinal",
            {"q": text},
        )
        return [(i, bool(exact)) for i, exact in rows]

    def latest(self, n: int) -> list[Document]:
        sql = f"{_SELECT_DOCUMENTS} ORDER BY coalesce(d.sort_date, '') DESC, d.file, d.ordinal LIMIT %s"
        return [document_from_row(row) for row in self._all(sql, (n,))]

    def references_of(self, doc_id: str) -> list[dict[str, Any]]:
        with self._conn() as conn:
            return _references(conn, doc_id)

    def cited_by(self, doc_id: str) -> list[dict[str, Any]]:
        rows = self._all(
            "SELECT r.document_id, d.title, r.provision_id, r.text, r.target_provision, r.start_line, r.end_line, "
            "d.file FROM refs r JOIN documents d ON d.id = r.document_id WHERE r.target_id = %(i)s "
            "AND r.document_id != %(i)s ORDER BY d.file, d.ordinal, r.rid",
            {"i": doc_id},
        )
        keys = ("document_id", "title", "provision_id", "text", "target_provision", "start_line", "end_line", "file")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def relations_of(self, doc_id: str) -> dict[str, list[dict[str, Any]]]:
        rows = self._all(
            "SELECT 'outgoing', r.type, r.target_id, coalesce(d.title, r.target_title), r.evidence, r.start_line, "
            "r.end_line, r.rid FROM relations r LEFT JOIN documents d ON d.id = r.target_id "
            "WHERE r.document_id = %(i)s "
            "UNION ALL SELECT 'incoming', r.type, r.document_id, d.title, r.evidence, r.start_line, r.end_line, r.rid "
            "FROM relations r JOIN documents d ON d.id = r.document_id WHERE r.target_id = %(i)s ORDER BY 8",
            {"i": doc_id},
        )
        out: dict[str, list[dict[str, Any]]] = {"outgoing": [], "incoming": []}
        for side, *row in rows:
            out[side].append(dict(zip(_RELATION_KEYS, row[:-1], strict=True)))
        return out

    def status_inputs(
        self, ids: list[str] | None = None, where: SearchFilters | None = None
    ) -> tuple[list[tuple[Document, bool]], dict[str, list[dict[str, Any]]]]:
        if ids is not None:
            chosen, args = "d.id = ANY(%s)", [ids]
        else:
            conditions, args = _conditions(where)
            chosen = " AND ".join(conditions) or "true"
        with self._conn() as conn:
            sql = (
                f"SELECT {_DOCUMENT_FIELDS}, d.has_articles {_FROM_DOCUMENTS} WHERE {chosen} ORDER BY d.file, d.ordinal"
            )
            docs = [(document_from_row(r[:-1]), bool(r[-1])) for r in conn.execute(sql, args)]
            rows = conn.execute(
                "SELECT r.target_id, r.type, r.document_id, r.evidence, o.dates FROM relations r "
                f"JOIN documents o ON o.id = r.document_id WHERE r.target_id IN (SELECT d.id FROM documents d "
                f"WHERE {chosen}) AND r.type IN ('repeals', 'amends') ORDER BY r.rid",
                args,
            ).fetchall()
        if ids is not None:
            order = {i: n for n, i in enumerate(ids)}
            docs.sort(key=lambda x: order[x[0].id])
        incoming: dict[str, list[dict[str, Any]]] = {}
        for target, t, i, e, d in rows:
            incoming.setdefault(target, []).append({"type": t, "document_id": i, "evidence": e, "dates": json.loads(d)})
        return docs, incoming

    def duties(
        self, document_id: str | None = None, agency: str | None = None, role: str | None = None
    ) -> list[dict[str, Any]]:
        with self._conn() as conn:
            return _duties(conn, document_id, agency, role)

    def agencies(self) -> list[tuple[str, str | None, int]]:
        return self._all(
            "SELECT agency, level, count(*) FROM duties WHERE role != 'leader' GROUP BY agency, level "
            "ORDER BY 3 DESC, 1"
        )  # type: ignore[return-value]

    def figures(self, document_id: str) -> list[dict[str, Any]]:
        with self._conn() as conn:
            return _figures(conn, document_id)

    # ------------------------------------------------------------------------------------ search's reads

    @_one_version
    def unit_count(self) -> int:
        return max(1, self._totals()[0])

    def _totals(self) -> tuple[int, int]:
        """(units, index tokens) of the corpus, remembered until the database changes."""
        known = self._cached("totals")
        if "totals" not in known:
            units, toks = self._one("SELECT coalesce(sum(unit_count), 0), coalesce(sum(token_count), 0) FROM sources")  # type: ignore[misc]
            known["totals"] = (int(units), int(toks))
        return known["totals"]

    def _cached(self, name: str) -> dict[str, Any]:
        return self.cached(name)

    @_one_version
    def term_frequencies(self, strings: Iterable[str]) -> dict[str, float]:
        strings = list(dict.fromkeys(strings))
        known = self._char_df({tok for s in strings for phrase in grams.gram_phrases(s) for tok in phrase})
        n = self.unit_count()
        out = {}
        for s in strings:
            dfs = sorted(known.get(tok, 0) for phrase in grams.gram_phrases(s) for tok in phrase)
            out[s] = 0.0 if not dfs or dfs[0] == 0 else max(1.0, dfs[0] * _prod((d / n) ** 0.5 for d in dfs[1:]))
        return out

    def _char_df(self, chars: set[str]) -> dict[str, int]:
        """How many units contain each character (from the per-file counts; remembered per database version)."""
        known = self._cached("char_df")
        missing = sorted(chars - known.keys())
        if missing:
            found = dict(self._all("SELECT term, sum(df) FROM char_df WHERE term = ANY(%s) GROUP BY term", (missing,)))
            known.update({c: int(found.get(c, 0)) for c in missing})
        return known

    @_one_version
    def candidates(self, probe: Probe, filters: SearchFilters | None = None, limit: int = 200) -> dict[int, float]:
        """The server finds the matches and scores them with FTS5's BM25 (grams.bm25_sql); the best travel back and
        are scored again here, exactly.  On a corpus of more than EXACT_UP_TO units, a pass scores at most
        SCORED_AT_MOST matches: the commonest words of an any-of pass only score, they do not fetch (_fetching)."""
        return self.candidates_of([probe], filters, limit)[0]

    @_one_version
    def candidates_of(
        self, probes: list[Probe], filters: SearchFilters | None = None, limit: int = 200
    ) -> list[dict[int, float]]:
        """Several passes: their phrases counted in one query, and the passes that score every match sent as one
        statement (a pass bounded to SCORED_AT_MOST matches runs alone: which matches it takes is the plan's)."""
        self._phrase_idfs([p for probe in probes for p in grams.probe_phrases(probe)])
        plans = [self._pass(probe, filters, limit) for probe in probes]
        out: list[dict[int, float]] = [{} for _ in probes]
        together = [(n, plan) for n, plan in enumerate(plans) if plan is not None and not plan.bounded]
        alone = [[(n, plan)] for n, plan in enumerate(plans) if plan is not None and plan.bounded]
        for group in ([together] if together else []) + alone:
            sql = " UNION ALL ".join(f"(SELECT {n} AS pass, * FROM ({plan.sql}) p)" for n, plan in group)
            rows = self._all(sql, [a for _n, plan in group for a in plan.args])
            for n, plan in group:
                out[n] = plan.scored([r[1:] for r in rows if r[0] == n], limit)
        return out

    def _pass(self, probe: Probe, filters: SearchFilters | None, limit: int) -> _Pass | None:
        conditions, args = _conditions(filters)
        if probe.documents:
            conditions.append("u.document_id = ANY(%s)")
            args.append(list(probe.documents))
        where = "".join(f" AND {c}" for c in conditions)
        join = " JOIN documents d ON d.id = u.document_id" if filters else ""
        query = grams.probe_query(probe)
        if query is None:
            if not probe.documents:
                return None
            sql = (
                "SELECT u.rid, NULL::text AS heading_tokens, NULL::text AS body_tokens, 0.0::float8 AS score "
                f"FROM search_units u{join} WHERE true{where} ORDER BY u.rid LIMIT %s"
            )
            return _Pass(sql, [*args, limit], [], [], 0.0, False)
        bounded = self.unit_count() > EXACT_UP_TO and not probe.documents
        if bounded:
            query = grams.probe_query(self._fetching(probe)) or query
        phrases = grams.probe_phrases(probe)
        idfs = self._phrase_idfs(phrases)
        n_units, n_tokens = self._totals()
        average = n_tokens / max(1, n_units)
        columns, score, column_args, score_args = grams.bm25_sql(phrases, idfs, average)
        # OFFSET 0 (or the bound) keeps the inner query apart, so that each frequency is computed once per row
        sql = (
            f"SELECT rid, heading_tokens, body_tokens, {score} AS score FROM (SELECT u.rid, u.heading_tokens, "
            f"u.body_tokens, {columns} FROM search_units u{join} WHERE u.grams @@ %s::tsquery{where} "
            f"{'LIMIT %s' if bounded else 'OFFSET 0'}) m ORDER BY score DESC, rid LIMIT %s"
        )
        bound = [SCORED_AT_MOST] if bounded else []
        pass_args = [*score_args, *column_args, query, *args, *bound, limit + max(limit, SCORED_MARGIN)]
        return _Pass(sql, pass_args, phrases, idfs, average, bounded)

    def _fetching(self, probe: Probe) -> Probe:
        """The probe with only the rarest of its any-of terms, while the units they may fetch stay within
        SCORED_AT_MOST (at least one term); the others still count in the score of what they fetch."""
        if len(probe.any_of) < 2:
            return probe
        df = self.term_frequencies(a for term in probe.any_of for a in term)
        kept, fetched = [], 0.0
        for term in sorted(probe.any_of, key=lambda t: sum(df[a] for a in t)):
            fetched += sum(df[a] for a in term)
            if kept and fetched > SCORED_AT_MOST:
                break
            kept.append(term)
        return replace(probe, any_of=tuple(kept))

    def _phrase_idfs(self, phrases: list[str]) -> list[float]:
        """FTS5's idf of each phrase, from how many units contain it (counted once per database version).  On a
        corpus of more than EXACT_UP_TO units, a phrase whose rarest character is in more than SCORED_AT_MOST units
        is not counted (it would cost a scan of those units): its count is estimated as term_frequencies() does."""
        known = self._cached("phrase_hits")
        missing = sorted(set(phrases) - known.keys())
        n = self.unit_count()
        if missing and n > EXACT_UP_TO:
            chars = self._char_df({c for p in missing for c in p})
            common = [p for p in missing if min(chars.get(c, 0) for c in p) > SCORED_AT_MOST]
            known.update(self.term_frequencies(common))
            missing = [p for p in missing if p not in known]
        if missing:
            counts = ", ".join("(SELECT count(*) FROM search_units WHERE grams @@ %s::tsquery)" for _ in missing)
            row = self._one(f"SELECT {counts}", [grams.phrase_query(p) for p in missing])
            known.update(zip(missing, row, strict=True))  # type: ignore[arg-type]
        return [grams.idf(n, known[p]) for p in phrases]

    def units(self, keys: Iterable[int]) -> list[dict[str, Any]]:
        keys = list(keys)
        if not keys:
            return []
        documents = self._titles_by_id()
        out = []
        for row in self._all(f"SELECT {_UNIT_COLUMNS} FROM search_units WHERE rid = ANY(%s)", (keys,)):
            unit = dict(zip(_OWN_KEYS, row, strict=True))
            doc = documents.get(unit["document_id"])
            if doc is None:  # committed by another writer after this generation's titles were read: the next search
                continue
            unit.update({k: doc[k] for k in _DOCUMENT_KEYS})  # read once per generation, not joined per unit
            out.append(unit)
        return out

    @_one_version
    def titles(self) -> list[dict[str, Any]]:
        known = self._cached("titles")
        if "rows" not in known:
            keys = ("id", "title", "inner_title", "doc_number", "doc_type", "issuer", "dates", "file", "has_articles")
            rows = self._all(f"SELECT {', '.join(keys)} FROM documents ORDER BY file, ordinal")
            known["rows"] = [
                {**dict(zip(keys, r, strict=True)), "dates": json.loads(r[6]), "has_articles": int(r[8])} for r in rows
            ]
        return known["rows"]

    def provisions_and_units(self, doc_ids: list[str]) -> dict[str, tuple[list[Provision], dict[str, int]]]:
        rows = self._all(
            "SELECT p.document_id, u.rid, p.id, p.kind, p.number, p.label, p.text, p.parent, p.start_line, "
            "p.end_line, p.heading FROM provisions p LEFT JOIN search_units u ON u.document_id = p.document_id "
            "AND u.provision_id = p.id WHERE p.document_id = ANY(%s) ORDER BY p.document_id, p.seq",
            (list(doc_ids),),
        )
        return provisions_with_units(rows)

    def page_runs_of(self, files: Iterable[str]) -> dict[str, list[list[Any]]]:
        known = self._cached("pages")
        if "paged" not in known:  # the page maps of every paged source (PDF), once per generation
            rows = self._all("SELECT file, layout FROM sources WHERE layout IS NOT NULL")
            known["paged"] = {f: runs for f, layout in rows if (runs := page_lookup(layout))}
        return {f: known["paged"].get(f, []) for f in files}

    def repeals_and_amendments(self) -> list[tuple[str, str, str, str, dict[str, str] | None]]:
        rows = self._all(
            "SELECT r.target_id, r.type, r.document_id, r.evidence, d.dates FROM relations r "
            "LEFT JOIN documents d ON d.id = r.document_id WHERE r.target_id IS NOT NULL "
            "AND r.type IN ('repeals', 'amends') ORDER BY r.rid"
        )
        return [(t, k, i, e, json.loads(d) if d is not None else None) for t, k, i, e, d in rows]

    def provision_trees(self, units: list[dict[str, Any]]) -> list[dict[str, dict[str, Any]]]:
        out: list[dict[str, dict[str, Any]]] = [{} for _ in units]
        if not units:
            return out
        hits = [
            list(range(len(units))),
            [u["document_id"] for u in units],
            [u["provision_id"] for u in units],
            [u["start_line"] for u in units],
            [u["end_line"] for u in units],
        ]
        rows = self._all(
            "WITH RECURSIVE hit(n, doc, pid, a, b) AS (SELECT * FROM unnest(%s::int[], %s::text[], %s::text[], "
            "%s::int[], %s::int[])), "
            "up(n, doc, id) AS (SELECT n, doc, pid FROM hit UNION SELECT up.n, up.doc, p.parent FROM provisions p "
            "JOIN up ON p.document_id = up.doc AND p.id = up.id WHERE p.parent IS NOT NULL) "
            "SELECT up.n, p.seq, p.id, p.kind, p.label, p.parent, p.start_line, p.end_line, p.text FROM up "
            "JOIN provisions p ON p.document_id = up.doc AND p.id = up.id "
            "UNION SELECT hit.n, p.seq, p.id, p.kind, p.label, p.parent, p.start_line, p.end_line, p.text FROM hit "
            "JOIN provisions p ON p.document_id = hit.doc AND p.start_line BETWEEN hit.a AND hit.b "
            "ORDER BY 1, 2",
            hits,
        )
        keys = ("id", "kind", "label", "parent", "start", "end", "text")
        for n, _seq, *row in rows:
            out[n][row[0]] = dict(zip(keys, row, strict=True))
        return out


class _Counted:
    """A connection whose execute() counts the statements on the handle that borrowed it."""

    def __init__(self, conn: psycopg.Connection, handle: PostgresCorpus):
        self._conn = conn
        self._handle = handle

    def execute(self, sql: str, args: Any = None) -> psycopg.Cursor:
        self._handle._counted()
        return self._conn.execute(sql, args)

    def cursor(self) -> _CountedCursor:
        return _CountedCursor(self._conn.cursor(), self._handle)

    def transaction(self) -> Any:
        return self._conn.transaction()


class _CountedCursor:
    def __init__(self, cur: psycopg.Cursor, handle: PostgresCorpus):
        self._cur = cur
        self._handle = handle

    def __enter__(self) -> _CountedCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self._cur.close()

    def executemany(self, sql: str, rows: list[Any]) -> None:
        self._handle._counted()
        if rows:
            self._cur.executemany(sql, rows)

    def copy(self, sql: str) -> Any:
        self._handle._counted()
        return self._cur.copy(sql)


_RELATION_KEYS = ("type", "document_id", "title", "evidence", "start_line", "end_line")


def _search_units(doc: Document) -> list[Any]:
    """The document's search units as the index compares them: Traditional characters in Simplified (the same
    conversion as the SQLite index; queries are converted alike)."""
    return [
        replace(u, title=search_form(u.title), heading=search_form(u.heading), body=search_form(u.body))
        for u in units_of(doc)
    ]


def _prod(values: Iterable[float]) -> float:
    out = 1.0
    for v in values:
        out *= v
    return out


def _write_issue(conn: _Counted, issue: Any, indexed: list[tuple[Document, list[Any]]]) -> None:
    """Every row of one parsed file (inside the caller's transaction), bulk rows by COPY."""
    src = issue.source
    now = datetime.now(UTC).isoformat(timespec="seconds")
    unit_rows, char_units, n_tokens = [], [], 0
    for doc, units in indexed:
        for u in units:
            h, b = grams.tokens(u.heading), grams.tokens(u.body)
            n_tokens += len(h) + len(b)
            char_units.append((h, b))
            unit_rows.append((doc.id, u.provision_id, u.kind, u.title, u.heading, u.body, u.start_line, u.end_line,
                              h, b, grams.tsvector(h, b)))  # fmt: skip
    conn.execute(
        "INSERT INTO sources (file, path, sha256, encoding, line_count, raw, ingested_at, layout, unit_count, "
        "token_count) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (src.file, src.path, src.sha256, src.encoding, len(src.lines), "\n".join(src.lines), now, layout_json(src),
         len(unit_rows), n_tokens),
    )  # fmt: skip
    docs = [d for d, _u in indexed]
    tables = {
        "regions (file, kind, start_line, end_line)": [
            (src.file, r.kind, r.start_line, r.end_line) for r in issue.regions
        ],
        "documents (id, file, ordinal, title, inner_title, doc_type, issuer, doc_number, dates, year, sort_date, "
        "start_line, end_line, has_articles, warnings)": [_document_row(d, src.file, n) for n, d in enumerate(docs, 1)],
        "provisions (document_id, seq, id, kind, number, label, heading, text, parent, start_line, end_line)": [
            (d.id, seq, p.id, p.kind, p.number, p.label, p.heading, p.text, p.parent, p.start_line, p.end_line)
            for d in docs
            for seq, p in enumerate(d.provisions)
        ],
        "search_units (document_id, provision_id, kind, title, heading, body, start_line, end_line, heading_tokens, "
        "body_tokens, grams)": unit_rows,
        "char_df (file, term, df)": [(src.file, ch, n) for ch, n in sorted(grams.char_counts(char_units).items())],
        "document_keys (key, document_id)": [(k, d.id) for d in docs for k in document_keys(d)],
        f"refs (document_id, {_REF_SQL})": [(d.id, *_ref_row(r)) for d in docs for r in d.references],
        "relations (document_id, type, target_id, target_title, target_key, target_number, evidence, start_line, "
        "end_line)": [_relation_row(d.id, r) for d in docs for r in d.relations],
        f"duties (document_id, {', '.join(DUTY_FIELDS)})": [
            (d.id, *(row.get(f) for f in DUTY_FIELDS)) for d in docs for row in d.duties
        ],
        f"figures (document_id, {', '.join(FIGURE_FIELDS)})": [
            (d.id, *(row.get(f) for f in FIGURE_FIELDS)) for d in docs for row in d.figures
        ],
    }
    with conn.cursor() as cur:
        for table, rows in tables.items():
            _copy(cur, table, rows)


def _document_row(d: Document, file: str, ordinal: int) -> tuple[Any, ...]:
    dates = json.dumps(d.dates, ensure_ascii=False)
    return (d.id, file, ordinal, d.title, d.inner_title, d.doc_type, d.issuer, d.doc_number, dates, year_of(d.dates),
            document_date(d.dates), d.source.start_line, d.source.end_line, d.has_articles,
            json.dumps([w.to_dict() for w in d.warnings], ensure_ascii=False))  # fmt: skip


def _relation_row(doc_id: str, r: dict[str, Any]) -> tuple[Any, ...]:
    return (doc_id, r["type"], r.get("target"), r["title"], r["key"], r.get("doc_number"), r["evidence"],
            r["start_line"], r["end_line"])  # fmt: skip


def _copy(cur: _CountedCursor, table: str, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    with cur.copy(f"COPY {table} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _ref_row(ref: dict[str, Any]) -> list[Any]:
    row = [ref.get(k) for k in _REF_KEYS]
    for i, c in enumerate(_REF_COLUMNS):
        if c in ("draft", "nested"):
            row[i] = int(bool(row[i]))
    return row


def _conditions(where: SearchFilters | None) -> tuple[list[str], list[Any]]:
    """Conditions on documents `d` for the filters (the same as the SQLite store's), with their parameters."""
    f = where or SearchFilters()
    checks = (
        (f.doc_type, "d.doc_type = %s"),
        (f.issuer, "strpos(coalesce(d.issuer, '') || ' ' || d.title, %s) > 0"),
        (f.year_from, "d.year >= %s"),
        (f.year_to, "d.year <= %s"),
        (f.file, "d.file = %s"),
        (f.has_articles, "d.has_articles = %s"),
    )
    chosen = [(value, sql) for value, sql in checks if value not in (None, "")]
    return [sql for _v, sql in chosen], [v for v, _sql in chosen]


def _page_runs(conn: _Counted, file: str) -> list[list[int]]:
    row = conn.execute("SELECT layout FROM sources WHERE file = %s", (file,)).fetchone()
    return page_lookup(row[0] if row else None)


def _provisions(conn: _Counted, doc_id: str) -> list[Provision]:
    rows = conn.execute(
        "SELECT id, kind, number, label, text, parent, start_line, end_line, heading FROM provisions "
        "WHERE document_id = %s ORDER BY seq",
        (doc_id,),
    )
    return [Provision(*r) for r in rows]


def _references(conn: _Counted, doc_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        f"SELECT {', '.join('r.' + chr(34) + c + chr(34) for c in _REF_COLUMNS)}, t.title FROM refs r "
        "LEFT JOIN documents t ON t.id = r.target_id WHERE r.document_id = %s ORDER BY r.rid",
        (doc_id,),
    )
    return [reference_from_row(_REF_COLUMNS, row) for row in rows]


def _outgoing(conn: _Counted, doc_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT r.type, r.target_id, coalesce(d.title, r.target_title), r.evidence, r.start_line, r.end_line "
        "FROM relations r LEFT JOIN documents d ON d.id = r.target_id WHERE r.document_id = %s ORDER BY r.rid",
        (doc_id,),
    )
    return [dict(zip(_RELATION_KEYS, r, strict=True)) for r in rows]


def _duties(
    conn: _Counted, document_id: str | None = None, agency: str | None = None, role: str | None = None
) -> list[dict[str, Any]]:
    where, args = [], []
    if document_id:
        where.append("u.document_id = %s")
        args.append(document_id)
    if agency:
        name, level, key = query_matches(agency)
        where.append(
            "(u.agency = %s OR u.as_printed = %s OR (u.agency_key = %s AND (%s::text IS NULL OR u.level = %s)))"
        )
        args += [name, agency.strip(), key, level, level]
    if role:
        where.append("u.role = %s")
        args.append(role)
    sql = (
        f"SELECT {', '.join('u.' + f for f in DUTY_FIELDS)}, u.document_id, d.title, d.file FROM duties u "
        "JOIN documents d ON d.id = u.document_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY d.file, d.ordinal, u.rid"
    keys = (*DUTY_FIELDS, "document_id", "title", "file")
    return [_compact(dict(zip(keys, r, strict=True))) for r in conn.execute(sql, args)]


def _figures(conn: _Counted, document_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        f"SELECT {', '.join(FIGURE_FIELDS)} FROM figures WHERE document_id = %s ORDER BY rid", (document_id,)
    )
    return [_compact(dict(zip(FIGURE_FIELDS, r, strict=True))) for r in rows]


def _compact(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}


def describe_error(e: BaseException) -> str | None:
    """One line for an error of the PostgreSQL driver (None for any other exception)."""
    if isinstance(e, psycopg.OperationalError):
        return f"the database server cannot be reached or refused the work ({str(e).strip().splitlines()[0]})"
    if isinstance(e, psycopg.Error):
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        return f"the database server: {type(e).__name__}: {first}"
    return None
