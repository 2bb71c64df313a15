"""Ranking: each candidate unit gets a vector of features (each on a scale of about 0..1) and its score is their
weighted sum.  The weights are data (data/rank_weights.json), fitted by cross-validation over the dev and wide
questions with scripts/eval_search_cv.py; nothing here knows a question.

Features (FEATURES, in this order):
  cover       how much of the question, weighted by rarity, the unit's heading and body contain
  title       how much of it the document's title contains
  doc_cover   how much of it the document contains anywhere among the candidates (the right law, then its article)
  bm25        the index's BM25 relative to the best candidate's
  chars       characters of the question's words in the unit, weighted by rarity among the candidates (账户 ~ 专户)
  proximity   how close together the matched words sit
  answer      the unit holds what the question asks for (an amount, a time limit, a body, a permission)
  named       the document is the text a 《…》 of the question names
  article     the unit is an article (the operative text)
  explains    the unit is a paragraph of a report or explanation about a text
  long        log of how much longer than 300 characters the unit is (of two alike, the shorter is more precise)
  superseded  another text in the corpus repeals the document
  title_fit   the share of the question's character pairs the document's title holds (search/titles.py)
  inner_cover cover counting only the terms the document's title lacks: the title's words find the law, the
              others its article (an article that repeats the title — 《X》同时废止 — says nothing more)
  answer_near a sentence of the unit holds both what the question asks for and one of its words the title lacks
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from gongbao.search.query import Analysis, answer_pattern

FEATURES = (
    "cover",
    "title",
    "doc_cover",
    "bm25",
    "chars",
    "proximity",
    "answer",
    "named",
    "article",
    "explains",
    "long",
    "superseded",
    "title_fit",
    "inner_cover",
    "answer_near",
)
# Weights the questions cannot inform (few name a text in 《》, none asks for a repealed one): set by the rule they
# stand for (a text in force before the one it replaced, when both match alike), not fitted.
FIXED = frozenset({"named", "superseded"})
_SENTENCE = re.compile(r"[^。；！？\n]+")
_ASCII_UPPER = re.compile(r"[A-Z]")
_EXPLAINS = re.compile(r"说明$|审议|报告$|意见$|纪要$|议程$")


@lru_cache(maxsize=1)
def weights() -> dict[str, float]:
    """The shipped weights (a feature missing from the file weighs 0)."""
    text = (resources.files("gongbao") / "data" / "rank_weights.json").read_text(encoding="utf-8")
    data = json.loads(text)["weights"]
    return {name: float(data.get(name, 0.0)) for name in FEATURES}


def score(vector: list[float], w: dict[str, float]) -> float:
    return sum(w[name] * x for name, x in zip(FEATURES, vector, strict=True))


def scores(vectors: list[list[float]], w: dict[str, float]) -> list[float]:
    """score() of each vector, to the last bit (the weights looked up once; a feature at 0 adds nothing, as in
    the sum from 0 that score() makes, where adding ±0.0 leaves any sum as it is)."""
    ws = [w[name] for name in FEATURES]
    out = []
    for vector in vectors:
        total = 0.0
        for a, x in zip(ws, vector, strict=True):
            if x:
                total += a * x
        out.append(total)
    return out


def _lower(s: str) -> str:
    return s.lower() if _ASCII_UPPER.search(s) else s


def _positions(text: str, needle: str) -> list[int]:
    out = []
    start = text.find(needle)
    while start != -1 and len(out) < 12:
        out.append(start)
        start = text.find(needle, start + 1)
    return out


def features(analysis: Analysis, idf: dict[Any, float], units: list[dict[str, Any]]) -> list[list[float]]:
    """The feature vector of each unit (in the order of FEATURES).  `idf`: rarity of each term (by its text) and of
    each of its alternatives (by (text, alternative)); a unit has its `bm25` and `superseded` set."""
    terms = analysis.terms
    total = sum(idf[t.text] * t.weight for t in terms) or 1.0
    top_bm25 = max((u["bm25"] for u in units), default=1.0) or 1.0
    wanted = [answer_pattern(kind) for kind in analysis.asks]
    lowered = [(t.weight, [(a.lower(), idf[(t.text, a.lower())]) for a in t.alternatives]) for t in terms]
    char_weight = _char_weights(analysis, units)
    char_total = sum(char_weight.values()) or 1.0
    named = {t.text for t in terms if t.title}
    rarity = [t.weight * max(i for _a, i in alts) for t, (_w, alts) in zip(terms, lowered, strict=True)]
    rarity_total = sum(rarity) or 1.0
    titles: dict[str, tuple[float, list[float], float]] = {}
    per_doc: dict[str, _Untitled] = {}
    rows = []
    for unit in units:
        doc = unit["document_id"]
        if doc not in titles:
            title = _lower(unit["title"] + " " + (unit["inner_title"] or ""))
            per_term = [max((i for a, i in alts if a in title), default=0.0) for _w, alts in lowered]
            exact = bool({unit["title"], unit["inner_title"]} & named)
            titles[doc] = (sum(w * x for (w, _a), x in zip(lowered, per_term, strict=True)) / total, per_term, exact)
            per_doc[doc] = _untitled(terms, idf, per_term, unit["doc_type"])
        in_title = titles[doc][1]
        untitled = per_doc[doc]
        body = _lower(unit["heading"] + "\n" + unit["body"])
        matched, spots = [], []
        # cover: the weighted matches; match: how much of the question the unit and its title hold, whatever the
        # weights (the confidence shown: a word no unit has weighs most here, it is what the corpus cannot
        # answer).  Both summed term by term from 0, as sum() adds them
        covered, match = 0, 0
        for j, (w, alts) in enumerate(lowered):  # a term counts with the rarity of the alternative that matched
            best, pos = 0.0, []
            for a, i in alts:
                if a in body:
                    best, pos = max(best, i), pos + _positions(body, a)
            matched.append(best)
            if pos:
                spots.append(pos)
            covered += w * best
            if best or in_title[j]:
                match += rarity[j]
        unit["_matched"] = matched
        unit["match"] = match / rarity_total
        covered = covered / total
        inner = 0.0
        for j, weight in untitled.weights:
            inner += weight * bool(matched[j])
        chars = sum(w for c, w in char_weight.items() if c in body) / char_total
        text = unit["body"]
        rows.append(
            [
                covered,
                titles[doc][0],
                0.0,  # doc_cover, below: it needs every candidate of the document
                unit["bm25"] / top_bm25,
                chars,
                _proximity(spots),
                sum(1 for a in wanted if a.search(text)) / (len(wanted) or 1),
                float(titles[doc][2]),
                float(unit["kind"] == "article"),
                float(untitled.explains and unit["kind"] != "article"),
                math.log(len(text) / 300) if len(text) > 300 else 0.0,
                float(bool(unit.get("superseded"))),
                unit.get("title_fit", 0.0),
                inner / (untitled.total or 1.0),
                _answer_near(text, wanted, untitled.alternatives) if wanted and untitled.alternatives else 0.0,
            ]
        )
    _doc_cover(units, rows, titles, lowered, total)
    return rows


@dataclass
class _Untitled:
    """What the features of a document's units share: the question's terms its title lacks (their positions with
    their weight × rarity, and their sum), those terms' alternatives (lowered), and whether it is a report or an
    explanation about another text."""

    weights: list[tuple[int, float]]
    total: float
    alternatives: list[str]
    explains: bool


def _untitled(terms: list, idf: dict[Any, float], in_title: list[float], doc_type: str | None) -> _Untitled:
    weights, total, alternatives = [], 0.0, []
    for j, (t, found) in enumerate(zip(terms, in_title, strict=True)):
        if not found:
            weights.append((j, t.weight * idf[t.text]))
            total += t.weight * idf[t.text]
            alternatives.extend(a.lower() for a in t.alternatives)
    return _Untitled(weights, total, alternatives, bool(_EXPLAINS.search(doc_type or "")))


def _answer_near(body: str, wanted: list[re.Pattern[str]], alternatives: list[str]) -> float:
    """1 when one sentence holds an answer of the kind asked for and a word of the question the title lacks (one
    of `alternatives`, lowered)."""
    for sentence in _SENTENCE.findall(body):
        if any(p.search(sentence) for p in wanted):
            low = _lower(sentence)
            if any(a in low for a in alternatives):
                return 1.0
    return 0.0


def _doc_cover(units, rows, titles, lowered, total) -> None:
    """What share of the question the document holds: per term, the best match in its title or any candidate."""
    best: dict[str, list[float]] = {}
    for unit in units:
        doc = unit["document_id"]
        have = best.setdefault(doc, list(titles[doc][1]))
        for i, x in enumerate(unit.pop("_matched")):
            if x > have[i]:
                have[i] = x
    at = FEATURES.index("doc_cover")
    cover = {doc: sum(w * x for (w, _a), x in zip(lowered, have, strict=True)) / total for doc, have in best.items()}
    for unit, row in zip(units, rows, strict=True):
        row[at] = cover[unit["document_id"]]


def _char_weights(analysis: Analysis, units: list[dict[str, Any]]) -> dict[str, float]:
    """Characters of the question's words, weighted by how rare they are among the candidates: a partial match
    (账户 ~ 专户, 停产整顿 ~ 整顿恢复) still says something, a character every candidate has says nothing."""
    chars = {c for t in analysis.terms for c in t.text.lower() if c.isalnum()}
    n = len(units) or 1
    texts = [(u["heading"] + u["body"]).lower() for u in units]
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
