"""Responsibilities (duties) and numeric figures in the store: one row each, with the document and lines they
were read from.  Written in the ingest transaction of their document; deleted with it."""

from __future__ import annotations

from typing import Any

import apsw

from gongbao.link.agencies import query_matches
from gongbao.model import Document
from gongbao.store.corpus import DUTY_FIELDS, FIGURE_FIELDS

SCHEMA = """
CREATE TABLE IF NOT EXISTS duties (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    provision_id TEXT,
    agency TEXT NOT NULL,
    agency_key TEXT NOT NULL,
    as_printed TEXT NOT NULL,
    level TEXT,
    role TEXT NOT NULL,
    task TEXT NOT NULL,
    deadline TEXT,
    deadline_text TEXT,
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS duties_document ON duties(document_id);
CREATE INDEX IF NOT EXISTS duties_agency ON duties(agency);
CREATE INDEX IF NOT EXISTS duties_agency_key ON duties(agency_key);
CREATE TABLE IF NOT EXISTS figures (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    provision_id TEXT,
    subject TEXT NOT NULL,
    value REAL,
    unit TEXT,
    change TEXT,
    year INTEGER,
    baseline_year INTEGER,
    text TEXT NOT NULL,
    suspect TEXT,
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS figures_document ON figures(document_id);
"""


def create(db: apsw.Connection) -> None:
    db.execute(SCHEMA)


def insert(db: apsw.Connection, doc: Document) -> None:
    for table, fields, rows in (("duties", DUTY_FIELDS, doc.duties), ("figures", FIGURE_FIELDS, doc.figures)):
        db.executemany(
            f"INSERT INTO {table} (document_id, {', '.join(fields)}) VALUES ({', '.join('?' * (len(fields) + 1))})",
            [(doc.id, *(row.get(f) for f in fields)) for row in rows],
        )


def duties(
    db: apsw.Connection, document_id: str | None = None, agency: str | None = None, role: str | None = None
) -> list[dict[str, Any]]:
    """Duties of one document and/or of one agency, in document order.  `agency` as a user types it: a full name
    (山西省生态环境厅), a short one with its level (省生态环境厅: the 生态环境厅 of a province), or a bare one
    (生态环境厅, 发改委: at any level); an official's name finds the tasks they lead."""
    where, args = [], []
    if document_id:
        where.append("u.document_id = ?")
        args.append(document_id)
    if agency:
        name, level, key = query_matches(agency)
        where.append("(u.agency = ? OR u.as_printed = ? OR (u.agency_key = ? AND (? IS NULL OR u.level = ?)))")
        args += [name, agency.strip(), key, level, level]
    if role:
        where.append("u.role = ?")
        args.append(role)
    sql = (
        f"SELECT {', '.join('u.' + f for f in DUTY_FIELDS)}, u.document_id, d.title, d.file FROM duties u "
        "JOIN documents d ON d.id = u.document_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY d.file, d.ordinal, u.rowid"
    keys = (*DUTY_FIELDS, "document_id", "title", "file")
    return [_compact(dict(zip(keys, r, strict=True))) for r in db.execute(sql, args)]


def agencies(db: apsw.Connection) -> list[tuple[str, str | None, int]]:
    """Every agency with duties (officials left out): (normalised name, level, number of duties), most first."""
    return db.execute(
        "SELECT agency, level, count(*) FROM duties WHERE role != 'leader' GROUP BY agency, level ORDER BY 3 DESC, 1"
    ).fetchall()


def figures(db: apsw.Connection, document_id: str) -> list[dict[str, Any]]:
    rows = db.execute(
        f"SELECT {', '.join(FIGURE_FIELDS)} FROM figures WHERE document_id = ? ORDER BY rowid", (document_id,)
    )
    return [_compact(dict(zip(FIGURE_FIELDS, r, strict=True))) for r in rows]


def _compact(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}
