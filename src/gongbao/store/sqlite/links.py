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

from gongbao.link.refs import document_keys
from gongbao.model import Document
from gongbao.store.corpus import reference_from_row

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

# the documents a key names, best first, seen from a citing file: with the 文号 cited, if one is (not a namesake
# with another number), in the citing file, with articles, the earliest
_CANDIDATES = (
    "SELECT k.document_id FROM document_keys k JOIN documents t ON t.id = k.document_id "
    "WHERE k.key = :key AND (:number IS NULL OR t.doc_number IS NULL OR t.doc_number = :number) "
    "ORDER BY t.doc_number IS :number DESC, t.file = :file DESC, t.has_articles DESC, t.rowid LIMIT 2"
)


def create(db: apsw.Connection) -> None:
    db.execute(SCHEMA)


def insert(db: apsw.Connection, doc: Document) -> None:
    """A document's keys, references and relations as parsed (targets outside the document resolved later)."""
    db.executemany("INSERT INTO document_keys VALUES (?, ?)", [(k, doc.id) for k in document_keys(doc)])
    db.executemany(
        f"INSERT INTO refs (document_id, {', '.join(_REF_COLUMNS)}) VALUES (?{', ?' * len(_REF_COLUMNS)})",
        [(doc.id, *_ref_row(r)) for r in doc.references],
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


_REF_KEYS = tuple("target" if c == "target_id" else c for c in _REF_COLUMNS)
_FLAGS = tuple(i for i, c in enumerate(_REF_COLUMNS) if c in ("draft", "nested"))


def _ref_row(ref: dict[str, Any]) -> list[Any]:
    row = [ref.get(k) for k in _REF_KEYS]
    for i in _FLAGS:
        row[i] = int(bool(row[i]))
    return row


def resolve(db: apsw.Connection, file: str, replaced: list[str]) -> None:
    """Resolve what the new file cites, what was waiting for it, and what pointed to documents of its old version
    (`replaced`, ids that may be gone now) — inside the ingest transaction.  A reference already resolved keeps
    its target when another text with the same title arrives."""
    new_keys = [r[0] for r in db.execute(
        "SELECT DISTINCT k.key FROM document_keys k JOIN documents d ON d.id = k.document_id WHERE d.file = ?",
        (file,))]  # fmt: skip
    best = _Ranker(db)
    for table, key_column, number in (("refs", "key", "NULL"), ("relations", "target_key", "target_number")):
        rows = _to_resolve(db, table, key_column, number, file, new_keys, replaced)
        updates = []
        for rowid, citing, citing_file, key, cited_number, current in rows:
            keep = table == "relations" and current and _exists(db, current)  # (set by the neighbours)
            updates.append((current if keep else best(key, cited_number, citing_file, citing), rowid))
        if table == "refs":
            db.executemany("UPDATE refs SET target_id = ?, target_provision = NULL WHERE rowid = ?", updates)
            _point_at_articles(db, [rowid for _target, rowid in updates])
        else:
            db.executemany("UPDATE relations SET target_id = ? WHERE rowid = ?", updates)


def _to_resolve(db, table, key_column, number, file, new_keys, replaced) -> list[tuple]:
    """(rowid, citing document, its file, key, cited 文号, current target) of the rows to resolve again."""
    select = (
        f"SELECT r.rowid, r.document_id, d.file, r.{key_column}, {number}, r.target_id FROM {table} r "
        "JOIN documents d ON d.id = r.document_id "
    )
    rows = db.execute(select + f"WHERE d.file = ? AND r.{key_column} IS NOT NULL", (file,)).fetchall()
    for chunk in _chunks(new_keys):  # waiting for a title the new file has (+: look up by key, not by the NULLs)
        marks = ",".join("?" * len(chunk))
        rows += db.execute(select + f"WHERE r.{key_column} IN ({marks}) AND +r.target_id IS NULL AND d.file != ?",
                           (*chunk, file)).fetchall()  # fmt: skip
    for chunk in _chunks(replaced):  # pointing into the file's old version
        marks = ",".join("?" * len(chunk))
        rows += db.execute(select + f"WHERE r.target_id IN ({marks}) AND d.file != ? AND r.{key_column} IS NOT NULL",
                           (*chunk, file)).fetchall()  # fmt: skip
    return list({r[0]: r for r in rows}.values())


def _chunks(values: list[str], size: int = 500) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _exists(db: apsw.Connection, doc_id: str) -> bool:
    return db.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None


class _Ranker:
    """The best document for a key, seen from a citing document (never itself); one query per key, file and 文号."""

    def __init__(self, db: apsw.Connection):
        self.db = db
        self.cache: dict[tuple, list[str]] = {}

    def __call__(self, key: str, number: str | None, file: str, citing: str) -> str | None:
        found = self.cache.get((key, number, file))
        if found is None:
            args = {"key": key, "number": number, "file": file}
            found = self.cache[(key, number, file)] = [r[0] for r in self.db.execute(_CANDIDATES, args)]
        return next((d for d in found if d != citing), None)  # (the query keeps two: one may be the citing one)


def _point_at_articles(db: apsw.Connection, rowids: list[int]) -> None:
    """第X条 (第Y款) of a resolved, adopted text → its provision."""
    db.executemany(
        "UPDATE refs SET target_provision = (SELECT p.id FROM provisions p WHERE p.document_id = refs.target_id "
        "AND p.kind = 'article' AND p.number = refs.article ORDER BY p.seq LIMIT 1) "
        "WHERE rowid = ? AND kind = 'article' AND target_id IS NOT NULL AND draft = 0",
        [(r,) for r in rowids],
    )
    db.executemany(  # 第X条第Y款: the paragraph, when the article has it
        "UPDATE refs SET target_provision = target_provision || '__para_' || paragraph WHERE rowid = ? "
        "AND paragraph IS NOT NULL AND instr(target_provision, '__para_') = 0 AND EXISTS (SELECT 1 FROM provisions p "
        "WHERE p.document_id = refs.target_id AND p.id = refs.target_provision || '__para_' || refs.paragraph)",
        [(r,) for r in rowids],
    )


# ------------------------------------------------------------------------------------------------ reading


def references_of(db: apsw.Connection, doc_id: str) -> list[dict[str, Any]]:
    rows = db.execute(
        f"SELECT {', '.join(_REF_COLUMNS)}, (SELECT title FROM documents WHERE id = refs.target_id) FROM refs "
        "WHERE document_id = ? ORDER BY rowid",
        (doc_id,),
    )
    return [reference_from_row(_REF_COLUMNS, row) for row in rows]


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


_RELATION_KEYS = ("type", "document_id", "title", "evidence", "start_line", "end_line")


def outgoing(db: apsw.Connection, doc_id: str) -> list[dict[str, Any]]:
    """This document promulgates, explains, repeals … the other (None: the other is not in the corpus)."""
    rows = db.execute(
        "SELECT r.type, r.target_id, coalesce(d.title, r.target_title), r.evidence, r.start_line, r.end_line "
        "FROM relations r LEFT JOIN documents d ON d.id = r.target_id WHERE r.document_id = ? ORDER BY r.rowid",
        (doc_id,),
    )
    return [dict(zip(_RELATION_KEYS, r, strict=True)) for r in rows]


def relations_of(db: apsw.Connection, doc_id: str) -> dict[str, list[dict[str, Any]]]:
    """`outgoing`: this document promulgates, explains, repeals … the other; `incoming`: others do so to it (one
    query for both)."""
    rows = db.execute(
        "SELECT 'outgoing', r.type, r.target_id, coalesce(d.title, r.target_title), r.evidence, r.start_line, "
        "r.end_line, r.rowid FROM relations r LEFT JOIN documents d ON d.id = r.target_id WHERE r.document_id = ?1 "
        "UNION ALL SELECT 'incoming', r.type, r.document_id, d.title, r.evidence, r.start_line, r.end_line, r.rowid "
        "FROM relations r JOIN documents d ON d.id = r.document_id WHERE r.target_id = ?1 ORDER BY 8",
        (doc_id,),
    )
    out: dict[str, list[dict[str, Any]]] = {"outgoing": [], "incoming": []}
    for side, *row in rows:
        out[side].append(dict(zip(_RELATION_KEYS, row[:-1], strict=True)))
    return out


def repeals_and_amendments(db: apsw.Connection, targets: str, args: list[Any]) -> dict[str, list[dict[str, Any]]]:
    """What other documents say ends or changes the documents `targets` (a SELECT of ids, with its `args`)
    selects, by document: type, document_id, evidence and the dates of the other document (from when it applies)."""
    rows = db.execute(
        "SELECT r.target_id, r.type, r.document_id, r.evidence, d.dates FROM relations r "
        f"JOIN documents d ON d.id = r.document_id WHERE r.target_id IN ({targets}) "
        "AND r.type IN ('repeals', 'amends') ORDER BY r.rowid",
        args,
    )
    out: dict[str, list[dict[str, Any]]] = {}
    for target, t, i, e, d in rows:
        out.setdefault(target, []).append({"type": t, "document_id": i, "evidence": e, "dates": json.loads(d)})
    return out


def all_repeals_and_amendments(db: apsw.Connection) -> list[tuple[str, str, str, str, dict[str, str] | None]]:
    """Every repeal and amendment stated about a text in the corpus: (target id, type, stating document, evidence,
    that document's dates or None), in stored order."""
    rows = db.execute(
        "SELECT r.target_id, r.type, r.document_id, r.evidence, d.dates FROM relations r "
        "LEFT JOIN documents d ON d.id = r.document_id WHERE r.target_id IS NOT NULL "
        "AND r.type IN ('repeals', 'amends') ORDER BY r.rowid"
    )
    return [(t, k, i, e, json.loads(d) if d is not None else None) for t, k, i, e, d in rows]
