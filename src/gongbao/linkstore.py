"""References and relations in the store, and their resolution against the whole corpus.

A reference or relation names its target by a title key (links.title_key).  Keys are resolved to documents when
the file is ingested, in the same transaction: the new file's own references, and every older reference that was
waiting for a document with one of the new file's keys (a law ingested after the report that cites it).  When a
file is replaced, references to its old documents are resolved again.  A key with several documents prefers one in
the citing file, then a text with articles, then the earliest.
"""

from __future__ import annotations

import json
from typing import Any

import apsw

from .links import document_keys
from .model import Document

SCHEMA = """
CREATE TABLE IF NOT EXISTS document_keys (
    key TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS document_keys_key ON document_keys(key);
CREATE INDEX IF NOT EXISTS document_keys_document ON document_keys(document_id);
CREATE TABLE IF NOT EXISTS refs (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    provision_id TEXT,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    title TEXT,
    key TEXT,
    target_id TEXT,
    target_provision TEXT,
    article INTEGER,
    article_sub INTEGER,
    paragraph INTEGER,
    item INTEGER,
    article_to INTEGER,
    draft INTEGER NOT NULL DEFAULT 0,
    nested INTEGER NOT NULL DEFAULT 0,
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL,
    offset INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS refs_document ON refs(document_id);
CREATE INDEX IF NOT EXISTS refs_target ON refs(target_id);
CREATE INDEX IF NOT EXISTS refs_key ON refs(key);
CREATE TABLE IF NOT EXISTS relations (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    target_id TEXT,
    target_title TEXT,
    target_key TEXT,
    target_number TEXT,
    evidence TEXT NOT NULL,
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS relations_source ON relations(document_id);
CREATE INDEX IF NOT EXISTS relations_target ON relations(target_id);
CREATE INDEX IF NOT EXISTS relations_key ON relations(target_key);
"""

_REF_COLUMNS = ("provision_id", "kind", "text", "title", "key", "target_id", "target_provision", "article",
                "article_sub", "paragraph", "item", "article_to", "draft", "nested", "start_line", "end_line",
                "offset")  # fmt: skip

# the best document for a key, seen from a citing document: with the 文号 cited, if one is (not a namesake with
# another number), in the citing file, with articles, the earliest
_BEST = (
    "SELECT k.document_id FROM document_keys k JOIN documents t ON t.id = k.document_id "
    "WHERE k.key = {key} AND k.document_id != {src} AND ({number} IS NULL OR t.doc_number IS NULL "
    "OR t.doc_number = {number}) "
    "ORDER BY t.doc_number IS {number} DESC, t.file = (SELECT file FROM documents WHERE id = {src}) DESC, "
    "t.has_articles DESC, t.rowid LIMIT 1"
)


def create(db: apsw.Connection) -> None:
    db.execute(SCHEMA)


def insert(db: apsw.Connection, doc: Document) -> None:
    """A document's keys, references and relations as parsed (targets outside the document resolved later)."""
    db.executemany("INSERT INTO document_keys VALUES (?, ?)", [(k, doc.id) for k in document_keys(doc)])
    db.executemany(
        f"INSERT INTO refs (document_id, {', '.join(_REF_COLUMNS)}) VALUES (?{', ?' * len(_REF_COLUMNS)})",
        [(doc.id, *(_ref_value(r, c) for c in _REF_COLUMNS)) for r in doc.references],
    )
    db.executemany(
        "INSERT INTO relations (document_id, type, target_id, target_title, target_key, target_number, evidence, "
        "start_line, end_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                doc.id,
                r["type"],
                r.get("target"),
                r["title"],
                r["key"],
                r.get("doc_number"),
                r["evidence"],
                r["start_line"],
                r["end_line"],
            )
            for r in doc.relations
        ],
    )


def _ref_value(ref: dict[str, Any], column: str) -> Any:
    if column == "target_id":
        return ref.get("target")
    if column in ("draft", "nested"):
        return int(bool(ref.get(column)))
    return ref.get(column)


def resolve(db: apsw.Connection, file: str, replaced: list[str]) -> None:
    """Resolve what the new file cites, what was waiting for it, and what pointed to documents of its old version
    (`replaced`, ids that may be gone now) — inside the ingest transaction."""
    keys = [r[0] for r in db.execute(
        "SELECT DISTINCT k.key FROM document_keys k JOIN documents d ON d.id = k.document_id WHERE d.file = ?",
        (file,))]  # fmt: skip
    for table, values in (("new_keys", keys), ("replaced_ids", replaced)):
        db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (value TEXT PRIMARY KEY)")
        db.execute(f"DELETE FROM {table}")
        db.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?)", [(v,) for v in values])
    affected = (
        "(key IN (SELECT value FROM new_keys) OR document_id IN (SELECT id FROM documents WHERE file = :file) "
        "OR target_id IN (SELECT value FROM replaced_ids))"
    )
    db.execute(
        f"UPDATE refs SET target_id = ({_BEST.format(key='refs.key', src='refs.document_id', number='NULL')}), "
        f"target_provision = NULL WHERE key IS NOT NULL AND {affected}",
        {"file": file},
    )
    db.execute(
        "UPDATE refs SET target_provision = (SELECT p.id FROM provisions p WHERE p.document_id = refs.target_id "
        "AND p.kind = 'article' AND p.number = refs.article ORDER BY p.seq LIMIT 1) "
        f"WHERE kind = 'article' AND target_id IS NOT NULL AND key IS NOT NULL AND draft = 0 AND {affected}",
        {"file": file},
    )
    db.execute(  # 第X条第Y款: the paragraph, when the article has it
        "UPDATE refs SET target_provision = target_provision || '__para_' || paragraph WHERE paragraph IS NOT NULL "
        "AND instr(target_provision, '__para_') = 0 AND EXISTS (SELECT 1 FROM provisions p WHERE p.document_id = "
        f"refs.target_id AND p.id = refs.target_provision || '__para_' || refs.paragraph) AND {affected}",
        {"file": file},
    )
    rel_affected = affected.replace("key IN", "target_key IN")
    _best_relation = _BEST.format(key="relations.target_key", src="relations.document_id",
                                  number="relations.target_number")  # fmt: skip
    db.execute(
        "UPDATE relations SET target_id = coalesce(CASE WHEN target_id IN (SELECT id FROM documents) THEN target_id "
        f"END, ({_best_relation})) "
        f"WHERE target_key IS NOT NULL AND {rel_affected}",
        {"file": file},
    )


# ------------------------------------------------------------------------------------------------ reading


def references_of(db: apsw.Connection, doc_id: str) -> list[dict[str, Any]]:
    rows = db.execute(
        f"SELECT {', '.join(_REF_COLUMNS)}, (SELECT title FROM documents WHERE id = refs.target_id) FROM refs "
        "WHERE document_id = ? ORDER BY rowid",
        (doc_id,),
    )
    out = []
    for row in rows:
        ref = {c: v for c, v in zip(_REF_COLUMNS, row[:-1], strict=True) if v not in (None, 0) or c == "offset"}
        ref["external"] = ref.get("target_id") is None and ref["kind"] == "document"
        if row[-1]:
            ref["target_title"] = row[-1]
        out.append(ref)
    return out


def cited_by(db: apsw.Connection, doc_id: str) -> list[dict[str, Any]]:
    """References from other documents to this one (with the provision cited, when an article is named)."""
    rows = db.execute(
        "SELECT r.document_id, d.title, r.provision_id, r.text, r.target_provision, r.start_line, r.end_line, d.file "
        "FROM refs r JOIN documents d ON d.id = r.document_id WHERE r.target_id = ? AND r.document_id != ? "
        "ORDER BY d.file, d.ordinal, r.rowid",
        (doc_id, doc_id),
    )
    keys = ("document_id", "title", "provision_id", "text", "target_provision", "start_line", "end_line", "file")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def relations_of(db: apsw.Connection, doc_id: str) -> dict[str, list[dict[str, Any]]]:
    """`outgoing`: this document promulgates, explains, repeals … the other; `incoming`: others do so to it."""
    keys = ("type", "document_id", "title", "evidence", "start_line", "end_line")
    outgoing = db.execute(
        "SELECT r.type, r.target_id, coalesce(d.title, r.target_title), r.evidence, r.start_line, r.end_line "
        "FROM relations r LEFT JOIN documents d ON d.id = r.target_id WHERE r.document_id = ? ORDER BY r.rowid",
        (doc_id,),
    ).fetchall()
    incoming = db.execute(
        "SELECT r.type, r.document_id, d.title, r.evidence, r.start_line, r.end_line FROM relations r "
        "JOIN documents d ON d.id = r.document_id WHERE r.target_id = ? ORDER BY r.rowid",
        (doc_id,),
    ).fetchall()
    return {
        "outgoing": [dict(zip(keys, r, strict=True)) for r in outgoing],
        "incoming": [dict(zip(keys, r, strict=True)) for r in incoming],
    }


def repeals_and_amendments(db: apsw.Connection, doc_id: str) -> list[dict[str, Any]]:
    """What other documents say ends or changes this one: type, document_id, evidence and the dates of the other
    document (to know from when it applies)."""
    rows = db.execute(
        "SELECT r.type, r.document_id, r.evidence, d.dates FROM relations r JOIN documents d ON d.id = r.document_id "
        "WHERE r.target_id = ? AND r.type IN ('repeals', 'amends') ORDER BY r.rowid",
        (doc_id,),
    )
    return [{"type": t, "document_id": i, "evidence": e, "dates": json.loads(d)} for t, i, e, d in rows]
