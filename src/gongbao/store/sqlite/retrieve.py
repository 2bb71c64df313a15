"""Search's reads of the SQLite index: a few coarse primitives, each one or two queries whatever the query's size.

  unit_count          how many search units there are (the N of an idf)
  term_frequencies    how many units (about) contain each of some strings: one vocabulary lookup for all of them
  candidates          one retrieval pass (a `Probe`): unit keys with a BM25 relevance, best first
  units               the rows of some units with their document's fields, by key
  titles              every document's id, titles, 文号, type, issuer and dates (for citation lookup), cached
  repealed            which of some documents a text in the corpus repeals
  provision_tree      a hit's provision with its ancestors and what lies inside it (for labels and focus)

Every user string reaches FTS5 only as quoted tokens of letters and digits, so no operator a user types is syntax.
A unit key is the rowid of search_units.  A PostgreSQL backend implements the same functions with its own SQL.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

import apsw

from gongbao.analyse import gram_phrases
from gongbao.link.status import in_force_from
from gongbao.model import Document, Probe, SearchFilters, Source

UNIT_KEYS = (
    "rowid",
    "document_id",
    "provision_id",
    "kind",
    "heading",
    "body",
    "start_line",
    "end_line",
    "title",
    "inner_title",
    "doc_type",
    "issuer",
    "dates",
    "file",
    "has_articles",
)
_UNIT_COLUMNS = ", ".join(("d." if k in UNIT_KEYS[8:] else "u.") + k for k in UNIT_KEYS)
_CHUNK = 500  # SQLite's bound parameters per statement stay well under its limit


def unit_count(db: apsw.Connection) -> int:
    return max(1, db.execute("SELECT count(*) FROM search_units").fetchone()[0])


def _data_version(db: apsw.Connection) -> int:
    return db.execute("PRAGMA data_version").fetchone()[0]


def _cached(db: apsw.Connection, cache: dict[str, Any], name: str) -> dict:
    """A per-connection cache that is emptied when another connection changes the database."""
    version = _data_version(db)
    entry = cache.get(name)
    if entry is None or entry[0] != version:
        entry = cache[name] = (version, {})
    return entry[1]


def term_frequencies(db: apsw.Connection, cache: dict[str, Any], strings: Iterable[str]) -> dict[str, float]:
    """Estimated number of units that contain each string.  The index knows the document frequency of each
    character; a string occurs in at most as many units as its rarest character, and less often the more
    characters it has: estimated as that of the rarest character times the square root of each other character's
    share of the units (half-way between "always together" and "independent").  0 when a character occurs nowhere."""
    strings = list(dict.fromkeys(strings))
    chars = {tok for s in strings for phrase in gram_phrases(s) for tok in phrase}
    df = _char_frequencies(db, cache, chars)
    n = unit_count(db)
    out = {}
    for s in strings:
        dfs = sorted(df.get(tok, 0) for phrase in gram_phrases(s) for tok in phrase)
        out[s] = 0.0 if not dfs or dfs[0] == 0 else max(1.0, dfs[0] * math.prod((d / n) ** 0.5 for d in dfs[1:]))
    return out


def _char_frequencies(db: apsw.Connection, cache: dict[str, Any], chars: set[str]) -> dict[str, int]:
    """Counting a character's units reads its posting list (tens of ms for common ones on a large corpus): cached."""
    known = _cached(db, cache, "char_df")
    missing = sorted(chars - known.keys())
    for i in range(0, len(missing), _CHUNK):
        chunk = missing[i : i + _CHUNK]
        sql = f"SELECT term, doc FROM fts_grams_vocab WHERE term IN ({','.join('?' * len(chunk))})"
        found = dict(db.execute(sql, chunk).fetchall())
        known.update({c: found.get(c, 0) for c in chunk})
    return known


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _string_expr(text: str) -> str | None:
    """FTS5 expression that finds `text` as a substring: a phrase of characters per run (AND between runs)."""
    parts = [
        "(" + " + ".join(map(_quote, phrase)) + ")" if len(phrase) > 1 else _quote(phrase[0])
        for phrase in gram_phrases(text)
    ]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"


def _term_expr(alternatives: Iterable[str]) -> str | None:
    exprs = [e for e in map(_string_expr, alternatives) if e]
    if not exprs:
        return None
    return exprs[0] if len(exprs) == 1 else "(" + " OR ".join(exprs) + ")"


def _probe_expr(probe: Probe) -> str | None:
    required = [e for e in map(_term_expr, probe.all_of) if e]
    optional = [e for e in map(_term_expr, probe.any_of) if e]
    if optional:
        required.append("(" + " OR ".join(optional) + ")" if len(optional) > 1 else optional[0])
    return " AND ".join(required) if required else None


def filter_sql(filters: SearchFilters | None) -> tuple[str, list[Any]]:
    """` AND …` conditions on documents `d` for the filters, with their parameters."""
    from gongbao.store.sqlite.store import document_conditions

    f = filters or SearchFilters()
    where, args = document_conditions("d.", f.doc_type, f.issuer, f.year_from, f.year_to, f.file, f.has_articles)
    return "".join(f" AND {w}" for w in where), args


def candidates(db: apsw.Connection, probe: Probe, filters: SearchFilters | None, limit: int) -> dict[int, float]:
    """Units matching the probe (and the filters): key → BM25 relevance (higher is better; headings count twice),
    the `limit` best.  A probe with no term and some documents gives those documents' units in order, relevance 0."""
    fsql, args = filter_sql(filters)
    docs = list(probe.documents)
    if docs:
        fsql += f" AND d.id IN ({','.join('?' * len(docs))})"
        args += docs
    expr = _probe_expr(probe)
    if expr is None:
        if not docs:
            return {}
        sql = (
            "SELECT u.rowid, 0.0 FROM search_units u JOIN documents d ON d.id = u.document_id "
            f"WHERE 1{fsql} ORDER BY u.rowid LIMIT ?"
        )
        return dict(db.execute(sql, [*args, limit]).fetchall())
    if fsql:
        sql = (
            "SELECT fts_grams.rowid, bm25(fts_grams, 2.0, 1.0) AS r FROM fts_grams JOIN search_units u "
            "ON u.rowid = fts_grams.rowid JOIN documents d ON d.id = u.document_id "
            f"WHERE fts_grams MATCH ?{fsql} ORDER BY r LIMIT ?"
        )
    else:  # FTS alone when nothing narrows it: much faster than joining every match
        sql = "SELECT rowid, bm25(fts_grams, 2.0, 1.0) AS r FROM fts_grams WHERE fts_grams MATCH ? ORDER BY r LIMIT ?"
    return {rowid: -rank for rowid, rank in db.execute(sql, [expr, *args, limit])}


def units(db: apsw.Connection, keys: Iterable[int]) -> list[dict[str, Any]]:
    """Rows of the units (the fields of UNIT_KEYS; `dates` parsed), in no particular order."""
    keys = list(keys)
    out = []
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i : i + _CHUNK]
        sql = (
            f"SELECT {_UNIT_COLUMNS} FROM search_units u JOIN documents d ON d.id = u.document_id "
            f"WHERE u.rowid IN ({','.join('?' * len(chunk))})"
        )
        for row in db.execute(sql, chunk):
            unit = dict(zip(UNIT_KEYS, row, strict=True))
            unit["dates"] = json.loads(unit["dates"])
            out.append(unit)
    return out


def titles(db: apsw.Connection, cache: dict[str, Any]) -> list[dict[str, Any]]:
    """Every document: id, title, inner_title, doc_number, doc_type, issuer, dates, file, has_articles."""
    known = _cached(db, cache, "titles")
    if "rows" not in known:
        keys = ("id", "title", "inner_title", "doc_number", "doc_type", "issuer", "dates", "file", "has_articles")
        rows = db.execute(f"SELECT {', '.join(keys)} FROM documents ORDER BY file, ordinal")
        known["rows"] = [{**dict(zip(keys, r, strict=True)), "dates": json.loads(r[6])} for r in rows]
    return known["rows"]


def repealed(db: apsw.Connection, document_ids: Iterable[str]) -> set[str]:
    """Those of the documents that another text in the corpus repeals."""
    docs = list(set(document_ids))
    out: set[str] = set()
    for i in range(0, len(docs), _CHUNK):
        chunk = docs[i : i + _CHUNK]
        sql = (
            "SELECT DISTINCT target_id FROM relations WHERE type = 'repeals' "
            f"AND target_id IN ({','.join('?' * len(chunk))})"
        )
        out.update(r[0] for r in db.execute(sql, chunk))
    return out


def provision_tree(db: apsw.Connection, unit: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The unit's provision, its ancestors and the provisions inside its lines: id → id, kind, label, parent,
    start, end, text."""
    rows = db.execute(
        "WITH RECURSIVE up(id) AS (SELECT ?2 UNION SELECT p.parent FROM provisions p JOIN up "
        "ON p.document_id = ?1 AND p.id = up.id WHERE p.parent IS NOT NULL) "
        "SELECT id, kind, label, parent, start_line, end_line, text FROM provisions "
        "WHERE document_id = ?1 AND (id IN up OR start_line BETWEEN ?3 AND ?4)",
        (unit["document_id"], unit["provision_id"], unit["start_line"], unit["end_line"]),
    )
    keys = ("id", "kind", "label", "parent", "start", "end", "text")
    return {r[0]: dict(zip(keys, r, strict=True)) for r in rows}


Validity = tuple[Document, list[dict[str, Any]], bool]


def validity(db: apsw.Connection, document_ids: Iterable[str]) -> dict[str, Validity]:
    """What the status of each document is read from, in two queries: the document (without provisions), the
    repeals and amendments other documents state about it (type, document_id, evidence, effective) and whether it
    has articles (which the provisions not loaded would tell)."""
    docs = list(set(document_ids))
    out: dict[str, Validity] = {}
    for i in range(0, len(docs), _CHUNK):
        chunk = docs[i : i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            "SELECT id, title, inner_title, doc_type, issuer, doc_number, dates, file, start_line, end_line, "
            f"has_articles FROM documents WHERE id IN ({marks})",
            chunk,
        )
        for id_, title, inner, dtype, issuer, number, dates, file, start, end, articles in rows:
            doc = Document(
                id=id_,
                title=title,
                inner_title=inner,
                doc_type=dtype,
                issuer=issuer,
                doc_number=number,
                dates=json.loads(dates),
                source=Source(file=file, sha256="", start_line=start, end_line=end),
            )
            out[id_] = (doc, [], bool(articles))
        rels = db.execute(
            "SELECT r.target_id, r.type, r.document_id, r.evidence, d.dates FROM relations r "
            "JOIN documents d ON d.id = r.document_id "
            f"WHERE r.target_id IN ({marks}) AND r.type IN ('repeals', 'amends') ORDER BY r.rowid",
            chunk,
        )
        for target, kind, source, evidence, dates in rels:
            if target in out:
                effective = in_force_from(json.loads(dates))
                out[target][1].append(
                    {"type": kind, "document_id": source, "evidence": evidence, "effective": effective}
                )
    return out


def unit_keys(db: apsw.Connection, document_id: str) -> dict[str, int]:
    """A document's units: provision id → unit key (to show a cited provision as a hit)."""
    rows = db.execute(
        "SELECT provision_id, rowid FROM search_units WHERE document_id = ? ORDER BY rowid", (document_id,)
    )
    return dict(rows.fetchall())
