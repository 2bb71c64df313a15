"""Search's reads of the SQLite index: a few coarse primitives, each one or two queries whatever the query's size.

  unit_count          how many search units there are (the N of an idf), counted once per generation
  term_frequencies    how many units (about) contain each of some strings: one vocabulary lookup for all of them
  candidates          one retrieval pass (a `Probe`): unit keys with a BM25 relevance, best first
  units               the rows of some units by key, with their document's fields (from the titles)
  titles              every document's id, titles, 文号, type, issuer and dates (for citation lookup)
  provision_trees     each hit's provision with its ancestors and what lies inside it (for labels and focus)
  provisions_and_units  the provisions and units of some documents (a cited provision shown as a hit)

What is derived from the whole corpus (counts, titles, character frequencies) is kept in a dict the store hands in,
one per generation of the database (Corpus.cached).

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
from gongbao.model import Probe, Provision, SearchFilters
from gongbao.store.corpus import provisions_with_units

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
_OWN_KEYS = UNIT_KEYS[:8]  # the unit's own columns; the others are its document's (a titles() row)
_DOCUMENT_KEYS = UNIT_KEYS[8:]
_UNIT_COLUMNS = ", ".join(_OWN_KEYS)
_CHUNK = 500  # SQLite's bound parameters per statement stay well under its limit


def unit_count(db: apsw.Connection, known: dict[str, Any]) -> int:
    """Counting the units reads the whole table (milliseconds on a large corpus): once per generation."""
    if "units" not in known:
        known["units"] = max(1, db.execute("SELECT count(*) FROM search_units").fetchone()[0])
    return known["units"]


def term_frequencies(db: apsw.Connection, known: dict[str, int], n: int, strings: Iterable[str]) -> dict[str, float]:
    """Estimated number of units that contain each string.  The index knows the document frequency of each
    character; a string occurs in at most as many units as its rarest character, and less often the more
    characters it has: estimated as that of the rarest character times the square root of each other character's
    share of the units (half-way between "always together" and "independent").  0 when a character occurs nowhere."""
    strings = list(dict.fromkeys(strings))
    chars = {tok for s in strings for phrase in gram_phrases(s) for tok in phrase}
    df = _char_frequencies(db, known, chars)
    out = {}
    for s in strings:
        dfs = sorted(df.get(tok, 0) for phrase in gram_phrases(s) for tok in phrase)
        out[s] = 0.0 if not dfs or dfs[0] == 0 else max(1.0, dfs[0] * math.prod((d / n) ** 0.5 for d in dfs[1:]))
    return out


def _char_frequencies(db: apsw.Connection, known: dict[str, int], chars: set[str]) -> dict[str, int]:
    """Counting a character's units reads its posting list (tens of ms for common ones on a large corpus): kept."""
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
    return candidates_of(db, [probe], filters, limit)[0]


def candidates_of(
    db: apsw.Connection, probes: list[Probe], filters: SearchFilters | None, limit: int
) -> list[dict[int, float]]:
    """candidates() of each probe, all in one statement (one pass each, its own `limit` best)."""
    passes = [(n, found) for n, probe in enumerate(probes) if (found := _pass_sql(probe, filters)) is not None]
    out: list[dict[int, float]] = [{} for _ in probes]
    if not passes:
        return out
    sql = " UNION ALL ".join(f"SELECT {n}, * FROM ({pass_sql} LIMIT ?)" for n, (pass_sql, _args) in passes)
    args = [a for _n, (_sql, pass_args) in passes for a in (*pass_args, limit)]
    for n, rowid, rank in db.execute(sql, args):
        out[n][rowid] = -rank
    return out


def _pass_sql(probe: Probe, filters: SearchFilters | None) -> tuple[str, list[Any]] | None:
    """One retrieval pass as a SELECT of (unit key, rank: lower is better) in rank order, and its parameters."""
    fsql, args = filter_sql(filters)
    docs = list(probe.documents)
    expr = _probe_expr(probe)
    if docs and expr is not None:
        return _within_documents(expr, docs, fsql, args)
    if docs:
        fsql += f" AND d.id IN ({','.join('?' * len(docs))})"
        args += docs
    if expr is None:
        if not docs:
            return None
        sql = (
            "SELECT u.rowid, 0.0 FROM search_units u JOIN documents d ON d.id = u.document_id "
            f"WHERE 1{fsql} ORDER BY u.rowid"
        )
        return sql, args
    if fsql:
        sql = (
            "SELECT fts_grams.rowid, bm25(fts_grams, 2.0, 1.0) AS r FROM fts_grams JOIN search_units u "
            "ON u.rowid = fts_grams.rowid JOIN documents d ON d.id = u.document_id "
            f"WHERE fts_grams MATCH ?{fsql} ORDER BY r"
        )
    else:  # FTS alone when nothing narrows it: much faster than joining every match
        sql = "SELECT rowid, bm25(fts_grams, 2.0, 1.0) AS r FROM fts_grams WHERE fts_grams MATCH ? ORDER BY r"
    return sql, [expr, *args]


def _within_documents(expr: str, docs: list[str], fsql: str, args: list[Any]) -> tuple[str, list[Any]]:
    """A pass within some documents: the index is searched within the rowid span of each document's units (they
    are keyed together when a document is indexed), not over the whole corpus and then joined — FTS5 seeks to a
    span.  The spans come in key order, so matches reach the sort in the order a scan of the index gives (ties
    at the limit fall as they did)."""
    marks = ",".join("?" * len(docs))
    sql = (
        "WITH span AS (SELECT document_id AS doc, min(rowid) AS lo, max(rowid) AS hi FROM search_units "
        f"WHERE document_id IN ({marks}) GROUP BY document_id ORDER BY lo) "
        "SELECT f.rowid, bm25(f.fts_grams, 2.0, 1.0) AS r FROM span CROSS JOIN fts_grams f CROSS JOIN search_units u "
        "JOIN documents d ON d.id = u.document_id WHERE f.fts_grams MATCH ? AND f.rowid BETWEEN span.lo AND span.hi "
        f"AND u.rowid = f.rowid AND u.document_id = span.doc{fsql} ORDER BY r"
    )
    return sql, [*docs, expr, *args]


def units(db: apsw.Connection, keys: Iterable[int], documents: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of the units (the fields of UNIT_KEYS), in no particular order; the document's fields come from
    `documents` (id → titles() row: read once per generation, not joined and parsed again for every unit)."""
    out = []
    sql = f"SELECT {_UNIT_COLUMNS} FROM search_units WHERE rowid IN (SELECT value FROM json_each(?))"
    for row in db.execute(sql, (json.dumps(list(keys)),)):
        unit = dict(zip(_OWN_KEYS, row, strict=True))
        doc = documents.get(unit["document_id"])
        if doc is None:  # committed by another process after this generation's titles were read: the next search
            continue
        unit.update({k: doc[k] for k in _DOCUMENT_KEYS})
        out.append(unit)
    return out


def titles(db: apsw.Connection) -> list[dict[str, Any]]:
    """Every document: id, title, inner_title, doc_number, doc_type, issuer, dates, file, has_articles."""
    keys = ("id", "title", "inner_title", "doc_number", "doc_type", "issuer", "dates", "file", "has_articles")
    rows = db.execute(f"SELECT {', '.join(keys)} FROM documents ORDER BY file, ordinal")
    return [{**dict(zip(keys, r, strict=True)), "dates": json.loads(r[6])} for r in rows]


TREE_KEYS = ("id", "kind", "label", "parent", "start", "end", "text")


def provision_trees(db: apsw.Connection, units: list[dict[str, Any]]) -> list[dict[str, dict[str, Any]]]:
    """For each unit: its provision, its ancestors and the provisions inside its lines (id → id, kind, label,
    parent, start, end, text), in line order, all in one statement."""
    out: list[dict[str, dict[str, Any]]] = [{} for _ in units]
    if not units:
        return out
    hits = json.dumps(
        [[n, u["document_id"], u["provision_id"], u["start_line"], u["end_line"]] for n, u in enumerate(units)]
    )
    rows = db.execute(
        "WITH RECURSIVE hit(n, doc, pid, a, b) AS (SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, "
        "value ->> 4 FROM json_each(?1)), "
        "up(n, doc, id) AS (SELECT n, doc, pid FROM hit UNION SELECT up.n, up.doc, p.parent FROM provisions p "
        "JOIN up ON p.document_id = up.doc AND p.id = up.id WHERE p.parent IS NOT NULL) "
        "SELECT up.n, p.start_line AS s, p.seq AS q, p.id, p.kind, p.label, p.parent, p.start_line, p.end_line, "
        "p.text FROM up JOIN provisions p ON p.document_id = up.doc AND p.id = up.id "
        "UNION SELECT hit.n, p.start_line, p.seq, p.id, p.kind, p.label, p.parent, p.start_line, p.end_line, "
        "p.text FROM hit JOIN provisions p ON p.document_id = hit.doc AND p.start_line BETWEEN hit.a AND hit.b "
        "ORDER BY 1, 2, 3",
        (hits,),
    )
    for n, _start, _seq, *row in rows:
        out[n][row[0]] = dict(zip(TREE_KEYS, row, strict=True))
    return out


def provisions_and_units(
    db: apsw.Connection, document_ids: list[str]
) -> dict[str, tuple[list[Provision], dict[str, int]]]:
    """Each document's provisions in order and its units (provision id → unit key, in order: units are keyed in
    the order of their provisions), in one statement."""
    rows = db.execute(
        "SELECT p.document_id, u.rowid, p.id, p.kind, p.number, p.label, p.text, p.parent, p.start_line, "
        "p.end_line, p.heading FROM provisions p LEFT JOIN search_units u ON u.document_id = p.document_id "
        "AND u.provision_id = p.id WHERE p.document_id IN (SELECT value FROM json_each(?)) ORDER BY p.document_id, "
        "p.seq",
        (json.dumps(list(document_ids)),),
    )
    return provisions_with_units(rows)
