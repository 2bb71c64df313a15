"""How well each document's title fits a question, by the character pairs of its words: a question names the
subject of the law it needs in other words than the title does (信访部门 ~ 信访条例, 煤气 ~ 燃气 does not), so a
term counts with the share of its character pairs the title holds.  Pure; the pair index of the titles is built
once per list of titles (the store caches that list until the database changes).
"""

from __future__ import annotations

from typing import Any

from gongbao.search.query import Analysis

_INDEX: dict[int, tuple[list[dict[str, Any]], dict[str, list[int]]]] = {}


def _grams(text: str) -> list[str]:
    text = text.lower()
    if len(text) < 2:
        return [text] if text.strip() else []
    return list(dict.fromkeys(text[i : i + 2] for i in range(len(text) - 1)))


def _index(titles: list[dict[str, Any]]) -> dict[str, list[int]]:
    """character pair (and single character) → positions of the titles that contain it."""
    cached = _INDEX.get(id(titles))
    if cached is not None and cached[0] is titles:
        return cached[1]
    index: dict[str, list[int]] = {}
    for i, d in enumerate(titles):
        full = (d["title"] + " " + (d["inner_title"] or "")).lower()
        keys = set(full) | {full[j : j + 2] for j in range(len(full) - 1)}
        for k in keys:
            index.setdefault(k, []).append(i)
    _INDEX.clear()  # one corpus per process at a time is the common case; a new list replaces the old
    _INDEX[id(titles)] = (titles, index)
    return index


def title_fit(analysis: Analysis, idf: dict[Any, float], titles: list[dict[str, Any]]) -> dict[str, float]:
    """document id → share of the question's weight (0..1) its title holds, for the documents with any share."""
    index = _index(titles)
    total = sum(idf[t.text] * t.weight for t in analysis.terms) or 1.0
    fit: dict[int, float] = {}
    for t in analysis.terms:
        best: dict[int, float] = {}
        for a in t.alternatives:
            grams = _grams(a)
            if not grams:
                continue
            counts: dict[int, int] = {}
            for g in grams:
                for i in index.get(g, ()):
                    counts[i] = counts.get(i, 0) + 1
            for i, c in counts.items():
                best[i] = max(best.get(i, 0.0), c / len(grams))
        for i, share in best.items():
            fit[i] = fit.get(i, 0.0) + idf[t.text] * t.weight * share
    return {titles[i]["id"]: f / total for i, f in fit.items()}


def best_documents(fit: dict[str, float], n: int, floor: float) -> list[str]:
    """The n documents whose titles fit best, if they fit at least `floor`."""
    ranked = sorted(fit.items(), key=lambda kv: -kv[1])[:n]
    return [doc for doc, f in ranked if f >= floor]
