"""SQLite's own checks of a database file, and the tables compared with each other: what a crash, a bad disk or
someone's hand on the file can leave behind that no single table shows (`gongbao check`)."""

from __future__ import annotations

import apsw

_MAX_REPORTED = 10

# (what is wrong, a query counting the rows that show it); every one must count 0 in a sound database
_CROSS_CHECKS = (
    (
        "documents of a source that is not stored",
        "SELECT count(*) FROM documents WHERE file NOT IN (SELECT file FROM sources)",
    ),
    (
        "documents without any provision",
        "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM provisions p WHERE p.document_id = d.id)",
    ),
    (
        "provisions of a document that is not stored",
        "SELECT count(*) FROM provisions WHERE document_id NOT IN (SELECT id FROM documents)",
    ),
    (
        "documents with provisions but no search unit",
        "SELECT count(*) FROM documents d WHERE EXISTS (SELECT 1 FROM provisions p WHERE p.document_id = d.id) "
        "AND NOT EXISTS (SELECT 1 FROM search_units u WHERE u.document_id = d.id)",
    ),
    (
        "search units of a document that is not stored",
        "SELECT count(*) FROM search_units WHERE document_id NOT IN (SELECT id FROM documents)",
    ),
    (
        "search units whose provision is not stored",
        "SELECT count(*) FROM search_units u WHERE NOT EXISTS "
        "(SELECT 1 FROM provisions p WHERE p.document_id = u.document_id AND p.id = u.provision_id)",
    ),
    (
        "search units missing from the full-text index",
        "SELECT count(*) FROM search_units WHERE rowid NOT IN (SELECT rowid FROM fts_grams)",
    ),
    (
        "full-text rows without a search unit",
        "SELECT count(*) FROM fts_grams WHERE rowid NOT IN (SELECT rowid FROM search_units)",
    ),
    (
        "regions of a source that is not stored",
        "SELECT count(*) FROM regions WHERE file NOT IN (SELECT file FROM sources)",
    ),
    (
        "references of a document that is not stored",
        "SELECT count(*) FROM refs WHERE document_id NOT IN (SELECT id FROM documents)",
    ),
    (
        "relations of a document that is not stored",
        "SELECT count(*) FROM relations WHERE document_id NOT IN (SELECT id FROM documents)",
    ),
    (
        "duties of a document that is not stored",
        "SELECT count(*) FROM duties WHERE document_id NOT IN (SELECT id FROM documents)",
    ),
    (
        "figures of a document that is not stored",
        "SELECT count(*) FROM figures WHERE document_id NOT IN (SELECT id FROM documents)",
    ),
)


def sqlite_check(db: apsw.Connection, quick: bool) -> list[str]:
    """SQLite's quick_check or integrity_check (which also checks each FTS5 index), as lines; empty when sound."""
    pragma = "quick_check" if quick else "integrity_check"
    rows = [r[0] for r in db.execute(f"PRAGMA {pragma}({_MAX_REPORTED})")]
    return [] if rows == ["ok"] else [f"SQLite {pragma}: {r}" for r in rows]


def cross_check(db: apsw.Connection) -> list[str]:
    """The tables compared with each other: one line per kind of mismatch, with how many rows show it."""
    out = []
    for what, sql in _CROSS_CHECKS:
        (n,) = db.execute(sql).fetchone()
        if n:
            out.append(f"{n} {what}")
    return out
