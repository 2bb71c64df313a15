"""Corpus-wide resolution of references and relations on PostgreSQL, correct with several writers.

The embedded store resolves inside the ingest transaction; on a shared server two files ingested at once by two
workers would each miss the other's title keys (neither sees the other's uncommitted documents).  Here a file's
documents are committed first, then resolved in a second, short transaction that holds one advisory lock: the
passes run one at a time, each after its own file's commit, so whichever runs second sees both files and links
them both ways.  A file whose pass did not run (the writer died in between) keeps `sources.resolved = false` and is
resolved by the next pass of any writer.  The rules (which document a key names, the article cited) are those of
the SQLite store (store/sqlite/links.py).
"""

from __future__ import annotations

from typing import Any

import psycopg

RESOLVE_LOCK = 7_220_914

_CANDIDATES = (
    "SELECT k.document_id FROM document_keys k JOIN documents t ON t.id = k.document_id "
    "WHERE k.key = %(key)s AND (%(number)s::text IS NULL OR t.doc_number IS NULL OR t.doc_number = %(number)s) "
    "ORDER BY (t.doc_number IS NOT DISTINCT FROM %(number)s) DESC, (t.file = %(file)s) DESC, t.has_articles DESC, "
    "t.rid LIMIT 2"
)


def resolve_pending(conn: psycopg.Connection, file: str, replaced: list[str]) -> None:
    """Resolve `file` (whose documents replaced `replaced`) and any file a dead writer left unresolved, in one
    transaction under the resolution lock."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (RESOLVE_LOCK,))
        pending = [r[0] for r in conn.execute("SELECT file FROM sources WHERE NOT resolved AND file != %s", (file,))]
        for f in [file, *pending]:
            resolve(conn, f, replaced if f == file else [])
        conn.execute("UPDATE sources SET resolved = true WHERE file = ANY(%s)", ([file, *pending],))


def resolve(conn: psycopg.Connection, file: str, replaced: list[str]) -> None:
    """What the file cites, what was waiting for its keys, and what pointed into its old version."""
    new_keys = [r[0] for r in conn.execute(
        "SELECT DISTINCT k.key FROM document_keys k JOIN documents d ON d.id = k.document_id WHERE d.file = %s",
        (file,))]  # fmt: skip
    best = _Ranker(conn)
    for table, key_column, number in (("refs", "key", "NULL"), ("relations", "target_key", "target_number")):
        rows = _to_resolve(conn, table, key_column, number, file, new_keys, replaced)
        existing = _existing(conn, [r[5] for r in rows if r[5]]) if table == "relations" else set()
        updates = []
        for rid, citing, citing_file, key, cited_number, current in rows:
            keep = table == "relations" and current and current in existing  # (set by the neighbours)
            updates.append((current if keep else best(key, cited_number, citing_file, citing), rid))
        with conn.cursor() as cur:
            if table == "refs":
                cur.executemany("UPDATE refs SET target_id = %s, target_provision = NULL WHERE rid = %s", updates)
                _point_at_articles(conn, [rid for _target, rid in updates])
            else:
                cur.executemany("UPDATE relations SET target_id = %s WHERE rid = %s", updates)


def _to_resolve(conn, table, key_column, number, file, new_keys, replaced) -> list[tuple[Any, ...]]:
    select = (
        f"SELECT r.rid, r.document_id, d.file, r.{key_column}, {number}, r.target_id FROM {table} r "
        "JOIN documents d ON d.id = r.document_id "
    )
    rows = conn.execute(select + f"WHERE d.file = %s AND r.{key_column} IS NOT NULL", (file,)).fetchall()
    if new_keys:  # waiting for a title the new file has
        rows += conn.execute(select + f"WHERE r.{key_column} = ANY(%s) AND r.target_id IS NULL AND d.file != %s",
                             (new_keys, file)).fetchall()  # fmt: skip
    if replaced:  # pointing into the file's old version
        rows += conn.execute(select + f"WHERE r.target_id = ANY(%s) AND d.file != %s AND r.{key_column} IS NOT NULL",
                             (replaced, file)).fetchall()  # fmt: skip
    return sorted({r[0]: r for r in rows}.values())


def _existing(conn: psycopg.Connection, ids: list[str]) -> set[str]:
    return {r[0] for r in conn.execute("SELECT id FROM documents WHERE id = ANY(%s)", (ids,))} if ids else set()


class _Ranker:
    """The best document for a key, seen from a citing document (never itself); one query per key, file and 文号."""

    def __init__(self, conn: psycopg.Connection):
        self.conn = conn
        self.cache: dict[tuple[Any, ...], list[str]] = {}

    def __call__(self, key: str, number: str | None, file: str, citing: str) -> str | None:
        found = self.cache.get((key, number, file))
        if found is None:
            args = {"key": key, "number": number, "file": file}
            found = self.cache[(key, number, file)] = [r[0] for r in self.conn.execute(_CANDIDATES, args)]
        return next((d for d in found if d != citing), None)


def _point_at_articles(conn: psycopg.Connection, rids: list[int]) -> None:
    """第X条 (第Y款) of a resolved, adopted text → its provision."""
    if not rids:
        return
    conn.execute(
        "UPDATE refs SET target_provision = (SELECT p.id FROM provisions p WHERE p.document_id = refs.target_id "
        "AND p.kind = 'article' AND p.number = refs.article ORDER BY p.seq LIMIT 1) "
        "WHERE rid = ANY(%s) AND kind = 'article' AND target_id IS NOT NULL AND draft = 0",
        (rids,),
    )
    conn.execute(  # 第X条第Y款: the paragraph, when the article has it
        "UPDATE refs SET target_provision = target_provision || '__para_' || paragraph WHERE rid = ANY(%s) "
        "AND paragraph IS NOT NULL AND strpos(target_provision, '__para_') = 0 AND EXISTS (SELECT 1 FROM provisions p "
        "WHERE p.document_id = refs.target_id AND p.id = refs.target_provision || '__para_' || refs.paragraph)",
        (rids,),
    )
