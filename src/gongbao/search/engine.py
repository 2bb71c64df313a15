"""Search: a question in everyday Chinese → the provisions that answer it, best first, with citation and snippet.

  analyze   the query: control characters dropped, length bounded, quoted phrases and 《titles》 kept whole,
            question words and particles removed (data/stopwords.txt), everyday words mapped to the words rules use
            (data/thesaurus.tsv), the rest segmented into words (rjieba with data/dictionary.txt);
  retrieve  candidate units from the character index: every term must match if that leaves enough candidates,
            otherwise any term may (very common terms are left to ranking); user text only ever reaches FTS5 as
            quoted tokens of letters and digits, so no operator, quote or bracket typed by a user is syntax;
  rank      BM25 plus what measurably helps on the dev questions: how much of the question (weighted by rarity)
            the unit covers, matches in the document title and in headings, how close the matched words are,
            and a preference for the text of a law over reports and explanations about it;
  present   a snippet cut at sentence boundaries with the matched words marked **like this**, and the human
            citation 《…》第十九条第二款.

`search()` is the one function the CLI, the HTTP API and the web pages call.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from gongbao.parse.clean import normalize_chars
from gongbao.store.sqlite.index import _data_lines, gram_phrases, query_words
from gongbao.store.sqlite.store import Store, document_conditions

MAX_QUERY_CHARS = 200
MAX_TERMS = 16
CANDIDATES = 200
# Weights of the ranking features (their scales are 0..1), set on the dev questions in coarse steps.
W_COVER, W_TITLE, W_BM25, W_CHARS, W_PROXIMITY, W_ANSWER = 0.3, 0.2, 0.1, 0.1, 0.1, 0.06
W_EXACT_TITLE = 0.15
W_SUPERSEDED = 0.05  # about the gap between two adjacent hits: it reorders near-ties, it does not hide
RERANK = 60  # candidates that get the proximity and answer-type features
ALL_TERMS_UP_TO = 4  # a question with more words than this is searched for any of them (ranking sorts it out)
RETRIEVAL_BUDGET = 0.5  # the OR query fetches from at most about this share of the units …
MAX_RETRIEVING = 8  # … with at most this many terms; the others only rank
SNIPPET_CHARS = 140
MARK = "**"

_QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”|「([^」]+)」|『([^』]+)』|《([^》]+)》')
_ASCII_UPPER = re.compile(r"[A-Z]")
_QUESTION_FORM = re.compile(r"可不可以|是不是|有没有|(.)[不没]\1")
_QUESTION_WORD = re.compile(r"[谁哪吗啥么呢]")  # 谁来管, 哪儿, 怎么: question words carry no subject matter
_PLACEHOLDER = re.compile(r"[XxＸ×]{2,}|某某|\.\.\.|…+")


@dataclass
class Filters:
    doc_type: str | None = None
    issuer: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    file: str | None = None
    has_articles: bool | None = None


@dataclass
class Term:
    text: str  # as the user typed it (or the thesaurus key)
    alternatives: list[str]  # strings any of which satisfies the term
    weight: float = 1.0
    phrase: bool = False  # quoted: must match
    title: bool = False  # 《…》: a document title (or a text the provision cites)


@dataclass
class Analysis:
    query: str
    terms: list[Term]
    notes: list[str] = field(default_factory=list)
    asks: list[str] = field(default_factory=list)  # what kind of answer the question wants: amount, time …


@dataclass
class Hit:
    document_id: str
    title: str
    provision_id: str
    label: str
    citation: str
    snippet: str
    score: float
    source: dict[str, Any]
    kind: str
    doc_type: str | None
    issuer: str | None
    date: str | None
    focus: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class SearchResult:
    query: str
    terms: list[str]
    hits: list[Hit]
    total: int  # matching provisions (hits of every page)
    notes: list[str] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # doc_type/issuer/year/file → value → count


# ------------------------------------------------------------------------------------------ query analysis


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(_data_lines("stopwords.txt"))


@lru_cache(maxsize=1)
def _thesaurus() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(colloquial, legal alternatives), longest colloquial first."""
    from importlib import resources

    entries = []
    text = (resources.files("gongbao") / "data" / "thesaurus.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].rstrip()
        if "\t" in line:
            key, values = line.split("\t", 1)
            entries.append((key.strip(), tuple(v.strip() for v in values.split("|") if v.strip())))
    return tuple(sorted(entries, key=lambda e: -len(e[0])))


def _clean_query(query: str, notes: list[str]) -> str:
    q = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") else ch for ch in query or "")
    if len(q) > MAX_QUERY_CHARS:
        q = q[:MAX_QUERY_CHARS]
        notes.append(f"query shortened to its first {MAX_QUERY_CHARS} characters")
    return normalize_chars(q)


def analyze(query: str) -> Analysis:
    notes: list[str] = []
    q = _clean_query(query, notes)
    terms: list[Term] = []
    for m in _QUOTED.finditer(q):
        phrase = _PLACEHOLDER.sub(" ", next(g for g in m.groups() if g is not None)).strip()  # “XX财富管理”
        if gram_phrases(phrase):
            in_title = m.group(0).startswith("《")  # 《…》 names a document: it is looked for in titles too
            terms.append(Term(phrase, [phrase], 1.5, phrase=not in_title, title=in_title))
    rest = _QUOTED.sub(" ", q)
    rest = _QUESTION_FORM.sub(" ", rest)  # 能不能, 会不会, 可不可以: one question word, not 能 + 不能
    for key, alternatives in _thesaurus():
        if key in rest:
            rest = rest.replace(key, " ")
            # the word as typed still counts (公司 may be in the text), the rule's words widen it
            terms.append(Term(key, list(dict.fromkeys([key, *alternatives])), 1.2))
    stop = _stopwords()
    for w in query_words(rest):
        if w in stop or not gram_phrases(w) or _QUESTION_WORD.search(w):
            continue
        terms.append(Term(w, [w], 0.3 if len(w) == 1 else 1.0))
    terms = _dedupe(terms)
    if len(terms) > MAX_TERMS:
        notes.append(f"only the first {MAX_TERMS} terms are searched")
        terms = terms[:MAX_TERMS]
    if not terms:
        notes.append("nothing searchable in the query (only punctuation, symbols or question words)")
    asks = [kind for kind, (question, _answer) in _ANSWER_TYPES.items() if question.search(q)]
    return Analysis(query=q, terms=terms, notes=notes, asks=asks)


# What a question asks for, and what a provision that answers it contains.  A question word (多少, 多久, 谁, 能不能)
# is dropped from the terms, but it still says which kind of provision answers: one with an amount, a time limit,
# a responsible body, or a rule of what may or may not be done.
_NUMBER = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)"
_ANSWER_TYPES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "amount": (
        re.compile(
            r"多少|几[个次人名项位座家户所条倍分元万]|几成|多大|多高|多远|多重|多少钱|上限|下限|最多|最少|比例|标准"
        ),
        re.compile(
            rf"{_NUMBER}\s*(?:%|％|万|亿|元|人|名|个|次|项|倍|分|座|家|户|所|公里|米|吨|千瓦|平方米|亩)"
            r"|百分之|分之[一二三四五六七八九十]"
        ),
    ),
    "time": (
        re.compile(r"多久|多长时间|几天|几个月|几年|什么时候|何时|哪一?年|期限|最晚|截止|提前多|多少天|多少日"),
        re.compile(
            rf"{_NUMBER}\s*个?(?:工作日|日|天|月|年|小时|季度)|[日月年季]内|以内|之日起|[年月]底|前完成|每[年月季周]"
            r"|按[年月季]"
        ),
    ),
    "agent": (
        re.compile(r"谁|哪个部门|哪些部门|哪一级|哪级|哪个单位|哪些单位|哪家|向哪|找哪|归谁|由谁|哪里办|哪儿"),
        re.compile(r"负责|主管部门|牵头|责任单位|责任领导|承办|受理|审批|批准|同意|拨付|部门|机关|人民政府|委员会"),
    ),
    "permission": (
        re.compile(r"能不能|可不可以|是否|会不会|有没有|行不行|允许|能否|可否|吗[?？]?$|吗[,，。]"),
        re.compile(r"不得|禁止|严禁|应当|可以|有权|无权|不予|予以|不能|不属于|除外"),
    ),
}


def _dedupe(terms: list[Term]) -> list[Term]:
    seen: set[str] = set()
    out = []
    for t in terms:
        key = "|".join(sorted(t.alternatives))
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


# --------------------------------------------------------------------------------------------- FTS5 query


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _match_expr(text: str) -> str | None:
    """FTS5 expression that finds `text` as a substring: a phrase of characters per run (AND between runs)."""
    parts = []
    for phrase in gram_phrases(text):
        parts.append("(" + " + ".join(_quote(t) for t in phrase) + ")" if len(phrase) > 1 else _quote(phrase[0]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"


def _term_expr(term: Term) -> str | None:
    exprs = [e for e in (_match_expr(a) for a in term.alternatives) if e]
    if not exprs:
        return None
    return exprs[0] if len(exprs) == 1 else "(" + " OR ".join(exprs) + ")"


# ----------------------------------------------------------------------------------------------- search


def search(
    store: Store,
    query: str,
    limit: int = 10,
    offset: int = 0,
    filters: Filters | None = None,
    collapse: bool = False,
) -> SearchResult:
    """Provisions answering `query`, best first.  Never raises on odd input: bad queries give no hits and a note."""
    limit = max(1, min(int(limit), 100))
    offset = max(0, int(offset))
    analysis = analyze(query)
    filters = filters or Filters()
    if not analysis.terms:
        return SearchResult(analysis.query, [], [], 0, analysis.notes)
    db = store.db
    n_units = max(1, db.execute("SELECT count(*) FROM search_units").fetchone()[0])
    idf = _idfs(store, analysis.terms, n_units)
    candidates = _retrieve(db, analysis.terms, idf, n_units, filters)
    _mark_superseded(db, candidates)
    scored = _rank(analysis, idf, candidates)
    if collapse:
        best: dict[str, tuple] = {}
        for row in scored:
            best.setdefault(row[1]["document_id"], row)
        scored = list(best.values())
    page = scored[offset : offset + limit]
    hits = [_hit(db, analysis.terms, idf, unit, score) for score, unit in page]
    return SearchResult(
        analysis.query,
        [t.text for t in analysis.terms],
        hits,
        len(scored),
        analysis.notes,
        _facets(unit for _score, unit in scored),
    )


def _facets(units) -> dict[str, dict[str, int]]:
    """Counts of the matching provisions by document type, issuer, year and source file (for narrowing down)."""
    out: dict[str, dict[str, int]] = {"doc_type": {}, "issuer": {}, "year": {}, "file": {}}
    for u in units:
        dates = json.loads(u["dates"])
        year = next((dates[k][:4] for k in ("issued", "adopted", "delivered", "effective") if dates.get(k)), None)
        for key, value in (("doc_type", u["doc_type"]), ("issuer", u["issuer"]), ("year", year), ("file", u["file"])):
            if value:
                out[key][value] = out[key].get(value, 0) + 1
    return {k: dict(sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))) for k, v in out.items()}


def _idfs(store: Store, terms: list[Term], n_units: int) -> dict:
    """Rarity of each term (and of each of its alternatives) from the character vocabulary of the index, in one
    query.  A word occurs in at most as many units as its rarest character, and less often the more characters it
    has: its document frequency is estimated as that of the rarest character times the square root of each other
    character's share of the units (half-way between "the characters always occur together" and "independently")."""
    tokens = {tok for t in terms for a in t.alternatives for ph in gram_phrases(a) for tok in ph}
    df = _char_frequencies(store, tokens)
    out: dict = {}
    for t in terms:
        present = []
        for a in t.alternatives:
            a_df = _estimated_df(sorted(df.get(tok, 0) for ph in gram_phrases(a) for tok in ph), n_units)
            out[(t.text, a.lower())] = math.log(1 + n_units / (a_df + 1))
            if a_df:
                present.append(out[(t.text, a.lower())])
        # what no unit contains cannot tell units apart: it does not count in the weight of the question
        out[t.text] = max(present, default=0.0)
    return out


def _char_frequencies(store: Store, chars: set[str]) -> dict[str, int]:
    """Document frequencies of characters, cached on the store's connection until the database changes (counting
    a character's units reads its whole posting list: tens of milliseconds for common ones on a large corpus)."""
    db = store.db
    version = db.execute("PRAGMA data_version").fetchone()[0]
    cached = store.cache.get("char_df")
    if cached is None or cached[0] != version:
        cached = store.cache["char_df"] = (version, {})
    cache = cached[1]
    missing = sorted(chars - cache.keys())
    for i in range(0, len(missing), 500):
        chunk = missing[i : i + 500]
        sql = f"SELECT term, doc FROM fts_grams_vocab WHERE term IN ({','.join('?' * len(chunk))})"
        found = dict(db.execute(sql, chunk).fetchall())
        cache.update({c: found.get(c, 0) for c in chunk})
    return cache


def _estimated_df(char_dfs: list[int], n_units: int) -> float:
    if not char_dfs or char_dfs[0] == 0:
        return 0.0
    return max(1.0, char_dfs[0] * math.prod((d / n_units) ** 0.5 for d in char_dfs[1:]))


def _filter_sql(filters: Filters) -> tuple[str, list[Any]]:
    f = filters
    where, args = document_conditions("d.", f.doc_type, f.issuer, f.year_from, f.year_to, f.file, f.has_articles)
    return "".join(f" AND {w}" for w in where), args


_UNIT_COLUMNS = (
    "u.rowid, u.document_id, u.provision_id, u.kind, u.heading, u.body, u.start_line, u.end_line, "
    "d.title, d.inner_title, d.doc_type, d.issuer, d.dates, d.file, d.has_articles"
)
_UNIT_KEYS = (
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


def _retrieve(db, terms: list[Term], idf: dict[str, float], n_units: int, filters: Filters) -> dict[int, dict]:
    """Units that match: all terms when that is enough, else any term that is not too common."""
    exprs = {t.text: _term_expr(t) for t in terms}
    required = [exprs[t.text] for t in terms if t.phrase and exprs[t.text]]
    optional = [t for t in terms if not t.phrase and exprs[t.text]]
    ranked: dict[int, float] = {}
    fsql, fargs = _filter_sql(filters)

    def run(expr: str, docs: list[str] | None = None) -> None:
        # FTS alone when there is no filter (much faster than joining every match); joined when filtering
        where, args = fsql, list(fargs)
        if docs:
            where += f" AND d.id IN ({','.join('?' * len(docs))})"
            args += docs
        if where:
            sql = (
                "SELECT fts_grams.rowid, bm25(fts_grams, 2.0, 1.0) AS r FROM fts_grams JOIN search_units u "
                "ON u.rowid = fts_grams.rowid JOIN documents d ON d.id = u.document_id "
                f"WHERE fts_grams MATCH ?{where} ORDER BY r LIMIT ?"
            )
        else:
            sql = (
                "SELECT rowid, bm25(fts_grams, 2.0, 1.0) AS r FROM fts_grams WHERE fts_grams MATCH ? ORDER BY r LIMIT ?"
            )
        for rowid, rank in db.execute(sql, [expr, *args, CANDIDATES]):
            ranked.setdefault(rowid, -rank)

    # 《…》 in the question names a document: its provisions are candidates, the other words pick among them
    named = _named_documents(db, [t for t in terms if t.title], fsql, fargs)
    if named:
        others = [exprs[t.text] for t in terms if not t.title and exprs[t.text]]
        if others:
            run(" OR ".join(others), named)
        else:
            rows = db.execute(
                f"SELECT rowid FROM search_units WHERE document_id IN ({','.join('?' * len(named))}) "
                "ORDER BY rowid LIMIT ?",
                [*named, CANDIDATES],
            )
            ranked.update((r[0], 0.0) for r in rows)

    all_terms = required + [exprs[t.text] for t in optional]
    if all_terms and (len(optional) < ALL_TERMS_UP_TO or required):
        run(" AND ".join(all_terms))  # a few words: all of them must match, if enough units have them all
    if not ranked and required:  # a quoted phrase that occurs nowhere: search its words instead of nothing
        required, optional = [], [t for t in terms if exprs[t.text]]
    if len(ranked) < CANDIDATES // 3 and optional:
        any_expr = "(" + " OR ".join(exprs[t.text] for t in _retrieving(optional, idf, n_units)) + ")"
        run(" AND ".join([*required, any_expr]) if required else any_expr)
    found: dict[int, dict] = {}
    rowids = list(ranked)
    for i in range(0, len(rowids), 500):
        chunk = rowids[i : i + 500]
        sql = (
            f"SELECT {_UNIT_COLUMNS} FROM search_units u JOIN documents d ON d.id = u.document_id "
            f"WHERE u.rowid IN ({','.join('?' * len(chunk))})"
        )
        for row in db.execute(sql, chunk):
            unit = dict(zip(_UNIT_KEYS, row, strict=True))
            unit["bm25"] = ranked[unit["rowid"]]
            found[unit["rowid"]] = unit
    return found


def _retrieving(terms: list[Term], idf: dict, n_units: int) -> list[Term]:
    """The terms that fetch candidates when any may match: the rarest first, while the units they may fetch stay
    within a budget (a common word adds little but costs a long posting list); the others only rank."""
    chosen, budget = [], RETRIEVAL_BUDGET * n_units
    for t in sorted(terms, key=lambda t: -idf[t.text]):
        expected = n_units / math.expm1(idf[t.text]) if idf[t.text] > 0 else n_units  # inverse of the idf
        if chosen and (expected > budget or len(chosen) >= MAX_RETRIEVING):
            break
        chosen.append(t)
        budget -= expected
    return chosen


def _named_documents(db, titles: list[Term], fsql: str, fargs: list[Any]) -> list[str]:
    """Documents whose title or inner title contains every 《…》 of the question."""
    if not titles:
        return []
    where = " AND ".join("instr(d.title || ' ' || coalesce(d.inner_title, ''), ?) > 0" for _ in titles)
    sql = f"SELECT d.id FROM documents d WHERE {where}{fsql} LIMIT 50"
    return [r[0] for r in db.execute(sql, [t.text for t in titles] + list(fargs))]


def _positions(text: str, needle: str) -> list[int]:
    out = []
    start = text.find(needle)
    while start != -1 and len(out) < 12:
        out.append(start)
        start = text.find(needle, start + 1)
    return out


def _rank(analysis: Analysis, idf: dict[str, float], candidates: dict[int, dict]) -> list[tuple[float, dict]]:
    terms = analysis.terms
    total = sum(idf[t.text] * t.weight for t in terms) or 1.0
    top_bm25 = max((u["bm25"] for u in candidates.values()), default=1.0) or 1.0
    wanted = [_ANSWER_TYPES[kind][1] for kind in analysis.asks]
    lowered = [(t.weight, [(a.lower(), idf[(t.text, a.lower())]) for a in t.alternatives]) for t in terms]
    char_weight = _char_weights(terms, candidates)
    named = {t.text for t in terms if t.title}
    char_total = sum(char_weight.values()) or 1.0
    title_cover: dict[str, float] = {}
    exact_title: dict[str, float] = {}
    out = []
    for unit in candidates.values():
        body = _lower(unit["heading"] + "\n" + unit["body"])
        doc = unit["document_id"]
        if doc not in title_cover:
            title = _lower(unit["title"] + " " + (unit["inner_title"] or ""))
            title_cover[doc] = sum(w * max((i for a, i in alts if a in title), default=0) for w, alts in lowered)
            title_cover[doc] /= total
            # 《X》 asked for X itself: the document titled X before the texts about it
            exact = {unit["title"], unit["inner_title"]} & named
            exact_title[doc] = (W_EXACT_TITLE if len(named) < len(terms) else 1.0) * bool(exact)
        covered = 0.0
        spots = []
        for w, alts in lowered:  # a term counts with the rarity of the alternative that matched
            best, pos = 0.0, []
            for a, i in alts:
                if a in body:
                    best, pos = max(best, i), pos + _positions(body, a)
            if pos:
                covered += w * best
                spots.append(pos)
        chars = sum(w for c, w in char_weight.items() if c in body) / char_total
        score = W_COVER * covered / total + W_TITLE * title_cover[doc] + W_BM25 * unit["bm25"] / top_bm25
        score += exact_title[doc]
        out.append([score + W_CHARS * chars + _prior(unit), unit, spots])
    # the finer features only for the front runners: they move a unit by at most a few places
    out.sort(key=lambda x: -x[0])
    for row in out[:RERANK]:
        row[0] += W_PROXIMITY * _proximity(row[2]) + W_ANSWER * sum(1 for a in wanted if a.search(row[1]["body"]))
    ranked = [(round(score, 6), unit) for score, unit, _spots in out]
    ranked.sort(key=lambda x: (-x[0], x[1]["rowid"]))
    return ranked


def _lower(s: str) -> str:
    return s.lower() if _ASCII_UPPER.search(s) else s


def _char_weights(terms: list[Term], candidates: dict[int, dict]) -> dict[str, float]:
    """Characters of the question's words, weighted by how rare they are among the candidates: a partial match
    (账户 ~ 专户, 停产整顿 ~ 整顿恢复) still says something, a character every candidate has says nothing."""
    chars = {c for t in terms for c in t.text.lower() if c.isalnum()}
    n = len(candidates) or 1
    texts = [(u["heading"] + u["body"]).lower() for u in candidates.values()]
    return {c: math.log(1 + n / (1 + sum(1 for x in texts if c in x))) for c in chars}


def _proximity(spots: list[list[int]]) -> float:
    """1 when the matched terms sit close together, falling towards 0 as the smallest window grows."""
    if len(spots) < 2:
        return 0.5 if spots else 0.0
    events = sorted((p, i) for i, ps in enumerate(spots) for p in ps)
    need, have, counts, best, left = len(spots), 0, [0] * len(spots), math.inf, 0
    for pos, i in events:
        counts[i] += 1
        have += counts[i] == 1
        while have == need:
            best = min(best, pos - events[left][0])
            j = events[left][1]
            counts[j] -= 1
            have -= counts[j] == 0
            left += 1
    return 1.0 / (1.0 + best / 40.0) if best < math.inf else 0.0


_EXPLAINS = re.compile(r"说明$|审议|报告$|意见$|纪要$|议程$")


def _prior(unit: dict) -> float:
    """Small preferences: the operative text (an article, a law) over texts about it (说明, 审议报告)."""
    p = 0.0
    if unit["kind"] == "article":
        p += 0.04
    if _EXPLAINS.search(unit["doc_type"] or "") and unit["kind"] != "article":
        p -= 0.03
    if len(unit["body"]) > 300:  # of two units that match alike, the shorter one is the more precise answer
        p -= 0.02 * math.log(len(unit["body"]) / 300)
    if unit.get("superseded"):
        # a text in force before one another text repealed (one that has only run out stays: it may still be the
        # only answer, and the plan whose period ended is still what its targets were measured against)
        p -= W_SUPERSEDED
    return p


def _mark_superseded(db, candidates: dict[int, dict]) -> None:
    """Flag the units of documents another text in the corpus repeals."""
    docs = list({u["document_id"] for u in candidates.values()})
    if not docs:
        return
    marks = ",".join("?" * len(docs))
    sql = f"SELECT DISTINCT target_id FROM relations WHERE type = 'repeals' AND target_id IN ({marks})"
    rows = db.execute(sql, docs)
    repealed = {r[0] for r in rows}
    for u in candidates.values():
        u["superseded"] = u["document_id"] in repealed


# --------------------------------------------------------------------------------------------- results


def _hit(db, terms: list[Term], idf: dict[str, float], unit: dict, score: float) -> Hit:
    provisions = _provision_tree(db, unit)
    snippet, best_sentence = _snippet(unit, terms, idf)
    focus = _focus(provisions, unit, best_sentence)
    cited = _cited_title(unit, provisions)
    label = _label_path(provisions, unit["provision_id"])
    dates = json.loads(unit["dates"])
    hit = Hit(
        document_id=unit["document_id"],
        title=unit["title"],
        provision_id=unit["provision_id"],
        label=label,
        citation=f"《{cited}》{label}",
        snippet=snippet,
        score=score,
        source={"file": unit["file"], "start_line": unit["start_line"], "end_line": unit["end_line"]},
        kind=unit["kind"],
        doc_type=unit["doc_type"],
        issuer=unit["issuer"],
        date=dates.get("issued") or dates.get("adopted") or dates.get("delivered") or dates.get("effective"),
    )
    if focus and focus["id"] != unit["provision_id"]:
        flabel = _label_path(provisions, focus["id"])
        hit.focus = {
            "provision_id": focus["id"],
            "label": flabel,
            "citation": f"《{cited}》{flabel}",
            "start_line": focus["start"],
            "end_line": focus["end"],
        }
    return hit


def _provision_tree(db, unit: dict) -> dict[str, dict]:
    """The hit's provision, its ancestors (for the label path) and what lies inside it (for the focus)."""
    rows = db.execute(
        "WITH RECURSIVE up(id) AS (SELECT ?2 UNION SELECT p.parent FROM provisions p JOIN up "
        "ON p.document_id = ?1 AND p.id = up.id WHERE p.parent IS NOT NULL) "
        "SELECT id, kind, label, parent, start_line, end_line, text FROM provisions "
        "WHERE document_id = ?1 AND (id IN up OR start_line BETWEEN ?3 AND ?4)",
        (unit["document_id"], unit["provision_id"], unit["start_line"], unit["end_line"]),
    )
    return {
        r[0]: {"id": r[0], "kind": r[1], "label": r[2], "parent": r[3], "start": r[4], "end": r[5], "text": r[6]}
        for r in rows
    }


def _cited_title(unit: dict, provisions: dict[str, dict]) -> str:
    """A provision of the text a 印发 notice promulgates is cited by that text's title."""
    if unit["inner_title"] and unit["kind"] == "article":
        return unit["inner_title"]
    return unit["title"]


def _label_path(provisions: dict[str, dict], pid: str) -> str:
    """第十九条第二款第三项 for legal provisions; 三、（一） for outline headings; 第N段 is not invented."""
    chain = []
    p = provisions.get(pid)
    while p is not None:
        chain.append(p)
        p = provisions.get(p["parent"]) if p["parent"] else None
    chain.reverse()
    parts = []
    for p in chain:
        if p["kind"] in ("part", "chapter", "section"):
            continue
        if p["kind"] == "item":
            parts.append(f"第{_zh_item(p['label'])}项")
        elif p["kind"] == "subitem":
            parts.append(f"第{p['label'].rstrip('.、．')}目")
        elif p["kind"] != "block" and p["label"]:
            if parts and re.fullmatch(r"\d+(?:\.\d+)+", p["label"]) and p["label"].startswith(parts[-1] + "."):
                parts[-1] = p["label"]  # 3 → 3.4 → 3.4.1: a decimal outline number already holds its path
            else:
                parts.append(p["label"])
    return "".join(parts)


def _zh_item(label: str) -> str:
    return label.strip("（）() ")


_SENTENCE = re.compile(r"[^。；！？\n]*[。；！？]?")


def _snippet(unit: dict, terms: list[Term], idf: dict[str, float]) -> tuple[str, str]:
    """The sentence (with a neighbour if short) that holds most of the query's weight, matches marked."""
    body = unit["body"] or unit["heading"]
    sentences = [s for s in _SENTENCE.findall(body) if s.strip()]
    if not sentences:
        return "", ""

    def weight(s: str) -> float:
        low = s.lower()
        return sum(idf[t.text] * t.weight for t in terms if any(a.lower() in low for a in t.alternatives))

    best = max(range(len(sentences)), key=lambda i: (weight(sentences[i]), -i))
    text = sentences[best]
    j = best + 1
    while len(text) < SNIPPET_CHARS // 2 and j < len(sentences):
        text += sentences[j]
        j += 1
    if len(text) > SNIPPET_CHARS:
        text = text[:SNIPPET_CHARS] + "…"
    return _mark(text.strip(), terms), sentences[best]


def _mark(text: str, terms: list[Term]) -> str:
    pattern = _mark_pattern(tuple(sorted({a for t in terms for a in t.alternatives if a}, key=len, reverse=True)))
    return pattern.sub(lambda m: f"{MARK}{m.group()}{MARK}", text) if pattern else text


@lru_cache(maxsize=64)
def _mark_pattern(alternatives: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(map(re.escape, alternatives)), re.IGNORECASE) if alternatives else None


def _focus(provisions: dict[str, dict], unit: dict, sentence: str) -> dict | None:
    """The deepest provision inside the hit (款, 项) that holds the snippet's sentence."""
    if not sentence.strip():
        return None
    inside = [
        p
        for p in provisions.values()
        if p["kind"] in ("paragraph", "item", "subitem")
        and _descends(provisions, p, unit["provision_id"])
        and sentence.strip() in p["text"]
    ]
    if not inside:
        return None
    return max(inside, key=lambda p: _depth(provisions, p))


def _descends(provisions: dict[str, dict], p: dict, ancestor: str) -> bool:
    while p is not None:
        if p["parent"] == ancestor:
            return True
        p = provisions.get(p["parent"]) if p["parent"] else None
    return False


def _depth(provisions: dict[str, dict], p: dict) -> int:
    d = 0
    while p is not None and p["parent"]:
        d += 1
        p = provisions.get(p["parent"])
    return d
