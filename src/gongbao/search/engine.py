"""Search: a question in everyday Chinese → the provisions that answer it, best first, with citation and snippet.

  query     analyse the question (search/query.py)
  retrieve  candidate units through the store's retrieval passes: every term must match if that leaves enough
            candidates, otherwise any term may (very common terms are left to ranking)
  rank      a weighted sum of features (search/rank.py; the weights are data, fitted by cross-validation)
  present   citation, focus and snippet of each hit (search/present.py)

`search()` is the one function the CLI, the HTTP API and the web pages call.  Nothing here speaks SQL: every read
goes through the store (Store.candidates, Store.units, Store.term_frequencies …).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gongbao.analyse import gram_phrases
from gongbao.link.status import Status
from gongbao.model import Probe, Provision, SearchFilters
from gongbao.search import citation, expand, rank, titles
from gongbao.search.present import Hit, hits, label_path, status_words
from gongbao.search.query import MAX_QUERY_CHARS, Analysis, Term, analyze
from gongbao.store import Store

Filters = SearchFilters
_label_path = label_path  # the name the web pages import
CANDIDATES = 200
ALL_TERMS_UP_TO = 4  # a question with more words than this is searched for any of them (ranking sorts it out)
RETRIEVAL_BUDGET = 0.5  # the OR query fetches from at most about this share of the units …
MAX_RETRIEVING = 8  # … with at most this many terms; the others only rank
TITLE_DOCUMENTS = 5  # the documents whose titles fit the question best …
TITLE_FLOOR = 0.2  # … and fit at least this share of it give candidates of their own
WEAK_MATCH = 0.5  # the best hit holds less than half the weight of the question's words: say the answer is weak
IN_FORCE = frozenset({"现行有效", "已被修改", "部分失效"})

__all__ = ["MAX_QUERY_CHARS", "Analysis", "Filters", "Hit", "SearchResult", "analyze", "label_path", "search"]


@dataclass
class SearchResult:
    query: str
    terms: list[str]
    hits: list[Hit]
    total: int  # matching provisions (hits of every page)
    notes: list[str] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # doc_type/issuer/year/file → value → count
    cited: dict[str, Any] | None = None  # the text (and provision) the query names, when it names one
    suggestions: list[str] = field(default_factory=list)  # titles closest to a named text the corpus lacks
    weak: bool = False  # no unit holds most of the question: the hits are the nearest, not answers


def search(
    store: Store,
    query: str,
    limit: int = 10,
    offset: int = 0,
    filters: Filters | None = None,
    collapse: bool = False,
    in_force: bool = False,
    as_of: date | None = None,
    status: str | None = None,
) -> SearchResult:
    """Provisions answering `query`, best first.  Never raises on odd input: bad queries give no hits and a note.
    `in_force`: only texts in force on `as_of` (default today: 现行有效, 已修改, 部分失效); every hit carries its
    status on that day; `status`: only texts of that status (现行有效, 失效 … as the hits name it)."""
    with store.pinned():  # the corpus's statistics, titles and statuses checked against its version once
        return _search(store, query, limit, offset, filters, collapse, in_force, as_of, status)


def _search(
    store: Store,
    query: str,
    limit: int,
    offset: int,
    filters: Filters | None,
    collapse: bool,
    in_force: bool,
    as_of: date | None,
    status: str | None = None,
) -> SearchResult:
    limit = max(1, min(int(limit), 100))
    offset = max(0, int(offset))
    analysis = analyze(query)
    lookup = _lookup(store, analysis.query)
    if lookup.suggestions or (lookup.notes and not lookup.first):
        analysis = analyze(re.sub(r"[《》]", " ", analysis.query))  # a text not in the corpus: look for its words
    if not analysis.terms and not lookup.first:
        return SearchResult(analysis.query, [], [], 0, analysis.notes)
    cited: dict[int, dict[str, Any]] = {key: {} for key, _focus in lookup.first}  # read with the candidates
    idf, units, vectors = candidates(store, analysis, filters, as_of, cited) if analysis.terms else ({}, [], [])
    scored = sorted(
        ((round(score, 6), u) for u, score in zip(units, rank.scores(vectors, rank.weights()), strict=True)),
        key=lambda x: (-x[0], x[1]["rowid"]),
    )
    scored = _cited_first(store, lookup, scored, as_of, cited)
    if in_force:
        scored = [row for row in scored if _in_force(row[1].get("status"))]
    if status:  # the status facet: the texts of one status, as the hits name it
        scored = [row for row in scored if status_words(row[1].get("status"))[0] == status]
    notes = analysis.notes + lookup.notes
    weak = bool(analysis.terms) and not lookup.first and (not scored or scored[0][1]["match"] < WEAK_MATCH)
    if weak:
        notes.append(_weak_note(store, analysis, idf, scored))
    if collapse:
        best: dict[str, tuple[float, dict]] = {}
        for row in scored:
            best.setdefault(row[1]["document_id"], row)
        scored = list(best.values())
    page = scored[offset : offset + limit]
    return SearchResult(
        analysis.query,
        [t.text for t in analysis.terms],
        hits(store, analysis, idf, page),
        len(scored),
        notes,
        _facets(unit for _score, unit in scored),
        lookup.cited,
        lookup.suggestions,
        weak,
    )


def _in_force(st: Status | None) -> bool:
    return st is not None and st.status in IN_FORCE


def _weak_note(store: Store, analysis: Analysis, idf: dict, scored: list[tuple[float, dict]]) -> str:
    """What to say when no unit holds most of the question: the rare words no good hit has, what to try."""
    top = scored[0][1] if scored else None
    body = (top["title"] + top["heading"] + top["body"]).lower() if top else ""
    missing = [
        t.text
        for t in sorted(analysis.terms, key=lambda t: -idf[t.text])
        if not any(a.lower() in body for a in t.alternatives)
    ][:4]
    fit = titles.title_fit(analysis, idf, store.titles())
    by_id = {d["id"]: d for d in store.titles()}
    closest = [by_id[d]["inner_title"] or by_id[d]["title"] for d in titles.best_documents(fit, 3, TITLE_FLOOR)]
    note = "没有条文很好地回答这个问题"
    if missing:
        note += "（最接近的条文不含：" + "、".join(missing) + "）"
    note += "；可以换用更宽泛或更正式的词"
    if closest:
        note += "，或看看：" + "、".join(f"《{t}》" for t in closest)
    return note


@dataclass
class _Lookup:
    first: list[tuple[int, str | None]] = field(default_factory=list)  # unit keys to show first, with a focus
    cited: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)


def _lookup(store: Store, query: str) -> _Lookup:
    """The provision (or the document) the query cites, resolved as the link stage resolves references."""
    cited = citation.read(query)
    out = _Lookup()
    if cited is None:
        return out
    rows = store.titles()
    tiers = citation.resolve_tiers(cited, rows)
    docs = tiers[0][:10] if tiers else []
    named = cited.quoted or cited.article is not None or cited.doc_number is not None
    if not docs:
        if named:
            what = cited.doc_number or f"《{cited.name}》"
            out.suggestions = citation.closest(cited.name, rows) if cited.name else []
            out.notes.append(
                f"语料库中没有{what}" + ("；相近的标题：" + "、".join(out.suggestions) if out.suggestions else "")
            )
        return out
    out.cited = {"documents": [{"id": d["id"], "title": d["title"]} for d in docs]}
    _cite_in(cited, docs, store.provisions_and_units([d["id"] for d in docs]), out, notes=True)
    if cited.article is not None and not out.first and len(tiers) > 1:
        # the texts that fit the name less well, when the best lack the article cited (read together)
        later = [tier[:10] for tier in tiers[1:3]]
        read = store.provisions_and_units([d["id"] for tier in later for d in tier])
        for tier in later:
            if out.first:
                break
            _cite_in(cited, tier, read, out, notes=False)
    return out


def _cite_in(
    cited: citation.Cited,
    docs: list[dict],
    read: dict[str, tuple[list[Provision], dict[str, int]]],
    out: _Lookup,
    notes: bool,
) -> None:
    """The cited provision (or the start) of each of the documents, to show first; notes on what docs[0] lacks.
    `read`: the documents' provisions and units (Corpus.provisions_and_units)."""
    for d in docs:
        provisions, keys = read.get(d["id"], ([], {}))
        if not keys:
            continue
        if cited.article is None:
            out.first.append((next(iter(keys.values())), None))
            continue
        found = citation.provision(cited, provisions)
        if found and found[0].id in keys:
            article, inner = found
            out.first.append((keys[article.id], inner.id))
            if out.cited is not None:
                out.cited.setdefault("provision_id", inner.id)
            if notes and d is docs[0] and (cited.paragraph or cited.item) and inner.id == article.id:
                out.notes.append(f"《{d['inner_title'] or d['title']}》第{cited.article}条没有所引的款、项")
        elif notes and d is docs[0]:
            out.notes.append(f"《{d['inner_title'] or d['title']}》中没有第{cited.article}条")


def _cited_first(
    store: Store,
    lookup: _Lookup,
    scored: list[tuple[float, dict]],
    as_of: date | None,
    read: dict[int, dict[str, Any]],
) -> list[tuple[float, dict]]:
    """The cited units ahead of the ranked ones (each once); `read`: those already read with the candidates."""
    if not lookup.first:
        return scored
    top = (scored[0][0] if scored else 0.0) + 1.0
    if any(not unit for unit in read.values()):  # no candidates were read (nothing to search but the citation)
        read = {u["rowid"]: u for u in store.units(read)}
    units = {key: unit for key, unit in read.items() if unit}
    statuses = store.statuses(list({u["document_id"] for u in units.values()}), as_of)
    for u in units.values():
        u["status"], u["match"] = statuses.get(u["document_id"]), 1.0
    first = []
    for key, focus in lookup.first:
        if key in units:
            unit = {**units[key], "_focus": focus}
            first.append((round(top, 6), unit))
    keys = {u["rowid"] for _s, u in first}
    return first + [row for row in scored if row[1]["rowid"] not in keys]


def candidates(
    store: Store,
    analysis: Analysis,
    filters: Filters | None = None,
    as_of: date | None = None,
    also: dict[int, dict[str, Any]] | None = None,
) -> tuple[dict[Any, float], list[dict[str, Any]], list[list[float]]]:
    """The idf of the terms, the candidate units and their feature vectors (the ranking's input, which the
    evaluation script also fits weights on).  `also`: unit keys to read in the same query, each filled with a
    copy of its unit as read (the cited units shown first)."""
    n_units = store.unit_count()
    idf = _idfs(store, analysis.terms, n_units)
    wider = expand.widen(store, analysis, idf)  # the corpus's own definitions: 鞭炮 → 烟花爆竹
    if wider is not analysis:
        analysis, idf = wider, _idfs(store, wider.terms, n_units)
    fit = titles.title_fit(analysis, idf, store.titles())
    # the laws whose titles fit the question best: their matching units are candidates whatever BM25 says (run
    # with the first retrieval passes, counted after all of them)
    docs = titles.best_documents(fit, TITLE_DOCUMENTS, TITLE_FLOOR)
    terms = tuple(_searchable(t) for t in analysis.terms if _searchable(t))
    by_title = Probe(any_of=terms, documents=tuple(docs)) if docs and terms else None
    found, titled = _retrieve(store, analysis.terms, idf, n_units, filters, by_title)
    for key, relevance in titled.items():
        found.setdefault(key, relevance)
    units = store.units([*found, *(k for k in also or () if k not in found)])
    for u in units:
        if also is not None and u["rowid"] in also:
            also[u["rowid"]] = dict(u)
    units = [u for u in units if u["rowid"] in found]
    repealed = store.repealed(u["document_id"] for u in units)
    statuses = store.statuses(list({u["document_id"] for u in units}), as_of)
    for u in units:
        u["bm25"] = found[u["rowid"]]
        u["status"] = statuses.get(u["document_id"])
        # a text another one repealed, or whose validity period ran out, after the texts in force that match alike
        lapsed = u["status"] is not None and u["status"].status in ("已废止", "失效")
        u["superseded"] = 1.0 if u["document_id"] in repealed else 0.5 if lapsed else 0.0
        u["title_fit"] = fit.get(u["document_id"], 0.0)
    return idf, units, rank.features(analysis, idf, units)


def _facets(units: Iterable[dict]) -> dict[str, dict[str, int]]:
    """Counts of the matching provisions by document type, issuer, year and source file (for narrowing down)."""
    out: dict[str, dict[str, int]] = {"doc_type": {}, "issuer": {}, "year": {}, "file": {}, "status": {}}
    for u in units:
        dates = u["dates"]
        year = next((dates[k][:4] for k in ("issued", "adopted", "delivered", "effective") if dates.get(k)), None)
        status = status_words(u.get("status"))[0]
        facets = (("doc_type", u["doc_type"]), ("issuer", u["issuer"]), ("year", year), ("file", u["file"]))
        for key, value in (*facets, ("status", status)):
            if value:
                out[key][value] = out[key].get(value, 0) + 1
    return {k: dict(sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))) for k, v in out.items()}


def _idfs(store: Store, terms: list[Term], n_units: int) -> dict[Any, float]:
    """Rarity of each alternative of each term, and of each term (its rarest alternative that occurs at all: what
    no unit contains cannot tell units apart, so it does not count in the weight of the question)."""
    df = store.term_frequencies(a for t in terms for a in t.alternatives)
    out: dict[Any, float] = {}
    for t in terms:
        present = []
        for a in t.alternatives:
            out[(t.text, a.lower())] = math.log(1 + n_units / (df[a] + 1))
            if df[a]:
                present.append(out[(t.text, a.lower())])
        out[t.text] = max(present, default=0.0)
    return out


def _searchable(t: Term) -> tuple[str, ...]:
    return tuple(a for a in t.alternatives if gram_phrases(a))


def _retrieve(
    store: Store, terms: list[Term], idf: dict, n_units: int, filters: Filters | None, extra: Probe | None = None
) -> tuple[dict[int, float], dict[int, float]]:
    """Units that match: all terms when that is enough, else any term that is not too common; and the units the
    `extra` pass finds (run with the first passes: one statement for the passes that do not wait on another)."""
    required = [_searchable(t) for t in terms if t.phrase and _searchable(t)]
    optional = [t for t in terms if not t.phrase and _searchable(t)]
    first: list[Probe] = []
    # 《…》 in the question names a document: its provisions are candidates, the other words pick among them
    named = named_documents(store, [t.text for t in terms if t.title])
    if named:
        others = tuple(_searchable(t) for t in terms if not t.title and _searchable(t))
        first.append(Probe(any_of=others, documents=tuple(named)))
    all_terms = required + [_searchable(t) for t in optional]
    everything = bool(all_terms) and (len(optional) < ALL_TERMS_UP_TO or bool(required))
    if everything:
        first.append(Probe(all_of=tuple(all_terms)))  # a few words: all must match, if enough units have them all
    found = store.candidates_of([*first, extra] if extra else first, filters, CANDIDATES)
    ranked: dict[int, float] = {}
    for passed in found[: len(first)]:
        for key, relevance in passed.items():
            ranked.setdefault(key, relevance)
    if not ranked and required:  # a quoted phrase that occurs nowhere: search its words instead of nothing
        required, optional = [], [t for t in terms if _searchable(t)]
    if len(ranked) < CANDIDATES // 3 and optional:
        any_of = tuple(_searchable(t) for t in _retrieving(optional, idf, n_units))
        # one word, and the pass of all words found every unit with it (fewer than the limit): nothing to add
        same = everything and not required and len(any_of) == 1 and [*any_of] == all_terms
        if not (same and len(found[len(first) - 1]) < CANDIDATES):
            for key, relevance in store.candidates(
                Probe(all_of=tuple(required), any_of=any_of), filters, CANDIDATES
            ).items():
                ranked.setdefault(key, relevance)
    return ranked, found[-1] if extra else {}


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


def named_documents(store: Store, titles: list[str], limit: int = 50) -> list[str]:
    """Documents whose title or inner title contains every one of `titles`."""
    if not titles:
        return []
    out = []
    for d in store.titles():
        full = d["title"] + " " + (d["inner_title"] or "")
        if all(t in full for t in titles):
            out.append(d["id"])
            if len(out) >= limit:
                break
    return out
