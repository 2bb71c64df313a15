"""Presenting a ranked unit as a hit: the human citation 《…》第十九条第二款, the deepest provision that holds the
answer (its focus), and a snippet cut at sentence boundaries with the matched words marked **like this**."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from gongbao.link.status import Status
from gongbao.parse.pages import page_at, page_label
from gongbao.search.query import Analysis, Term, answer_pattern
from gongbao.store import Store

SNIPPET_CHARS = 140
MARK = "**"


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
    status: str | None = None  # validity on the day asked (link/status.py: 现行有效, 失效, 已废止 …); None: no force
    status_reason: str | None = None  # why, in Chinese
    match: float = 0.0  # share of the question's weight (0..1) the unit and its title hold: how well it answers

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# --------------------------------------------------------------------------------------------- results


def hits(store: Store, analysis: Analysis, idf: dict, page: list[tuple[float, dict]]) -> list[Hit]:
    """The ranked units of a page as hits, their provision trees and page maps read in one query each."""
    units = [unit for _score, unit in page]
    trees = store.provision_trees(units)
    runs = store.page_runs_of(unit["file"] for unit in units)
    return [
        hit(analysis, idf, unit, score, unit.get("_focus"), tree, runs[unit["file"]])
        for (score, unit), tree in zip(page, trees, strict=True)
    ]


def hit(
    analysis: Analysis,
    idf: dict,
    unit: dict,
    score: float,
    focus_id: str | None,
    provisions: dict[str, dict[str, Any]],
    runs: list[list[Any]],
) -> Hit:
    """The unit as a hit; `focus_id`: the provision inside it that was asked for (a cited 款 or 项);
    `provisions`: its provision tree (Corpus.provision_trees), `runs`: its source's page map."""
    snippet, best_sentence = _snippet(unit, analysis, idf)
    focus = provisions.get(focus_id) if focus_id is not None else _focus(provisions, unit, best_sentence)
    cited = _cited_title(unit, provisions)
    label = label_path(provisions, unit["provision_id"])
    dates = unit["dates"]
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
        match=round(unit.get("match", 0.0), 3),
    )
    hit.status, hit.status_reason = status_words(unit.get("status"))
    if focus and focus["id"] != unit["provision_id"]:
        flabel = label_path(provisions, focus["id"])
        hit.focus = {
            "provision_id": focus["id"],
            "label": flabel,
            "citation": f"《{cited}》{flabel}",
            "start_line": focus["start"],
            "end_line": focus["end"],
        }
    return _with_page(hit, runs)


def _with_page(hit: Hit, runs: list[list[Any]]) -> Hit:
    """A hit in a paged source (PDF) cites its page: source.page, and " (p. 12)" after the citation."""
    if runs:
        hit.source["page"] = page_at(runs, hit.source["start_line"])
        hit.source["end_page"] = page_at(runs, hit.source["end_line"])
        hit.citation += f" ({page_label(hit.source['page'], hit.source['end_page'])})"
        if hit.focus:
            hit.focus["page"] = page_at(runs, hit.focus["start_line"])
            hit.focus["citation"] += f" ({page_label(hit.focus['page'])})"
    return hit


def status_words(st: Status | None) -> tuple[str | None, str | None]:
    """A status as the link stage names it (the national law database's words: 现行有效, 尚未施行, 已被修改, 部分失效,
    失效 for a validity period that ran out, 已废止 for an explicit repeal, unknown) with its reason in Chinese."""
    if st is None:
        return None, None
    since = st.since or ""
    reasons = {
        "尚未施行": f"将于 {st.reason.rsplit(' ', 1)[-1]} 施行",
        "已被修改": f"{since} 起被修改",
        "部分失效": f"{since} 起部分条文被废止",
        "已废止": f"{since} 起被废止",
        "失效": f"有效期至 {since} 届满",
        "unknown": "未载明施行日期",
    }
    until = st.reason.rsplit(" ", 1)[-1] if "valid until" in st.reason else None
    in_force = f"自 {since} 起施行" + (f"，有效期至 {until}" if until else "")
    return st.status, reasons.get(st.status, in_force)


def _cited_title(unit: dict, provisions: dict[str, dict]) -> str:
    """A provision of the text a 印发 notice promulgates is cited by that text's title."""
    if unit["inner_title"] and unit["kind"] == "article":
        return unit["inner_title"]
    return unit["title"]


def label_path(provisions: dict[str, dict], pid: str) -> str:
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


def _snippet(unit: dict, analysis: Analysis, idf: dict) -> tuple[str, str]:
    """The sentence that holds most of the query's weight and, when the question asks for an amount, a time limit,
    a body or a permission and that sentence lacks it, the nearest sentence that holds one (the rest elided);
    matches marked.  Also returns the best sentence (for the focus)."""
    terms = analysis.terms
    body = unit["body"] or unit["heading"]
    sentences = [s for s in _SENTENCE.findall(body) if s.strip()]
    if not sentences:
        return "", ""

    lowered = [(idf[t.text] * t.weight, [a.lower() for a in t.alternatives]) for t in terms]
    weights: dict[int, float] = {}

    def weight(i: int) -> float:  # (each sentence's weight summed once, in the order of the terms)
        if i not in weights:
            low = sentences[i].lower()
            weights[i] = sum(w for w, alternatives in lowered if any(a in low for a in alternatives))
        return weights[i]

    best = max(range(len(sentences)), key=lambda i: (weight(i), -i))
    wanted = [answer_pattern(kind) for kind in analysis.asks]
    holds = [i for i, s in enumerate(sentences) if any(p.search(s) for p in wanted)]
    if holds and best not in holds:
        answer = min(holds, key=lambda i: (abs(i - best) + (i < best) * 0.5, -weight(i)))
        lo, hi = sorted((best, answer))
        joined = "".join(sentences[lo : hi + 1])
        if len(joined) <= SNIPPET_CHARS:
            text = joined
        else:
            half = SNIPPET_CHARS // 2
            text = _clip(sentences[lo], half, wanted if lo == answer else []) + "…"
            text += _clip(sentences[hi], half, wanted if hi == answer else [])
        return _mark(text.strip(), terms), sentences[best]
    text = sentences[best]
    j = best + 1
    while len(text) < SNIPPET_CHARS // 2 and j < len(sentences):
        text += sentences[j]
        j += 1
    if len(text) > SNIPPET_CHARS:
        text = _clip(text, SNIPPET_CHARS, wanted) + "…"
    return _mark(text.strip(), terms), sentences[best]


def _clip(sentence: str, n: int, wanted: list[re.Pattern[str]]) -> str:
    """At most n characters of a sentence: its start, or the stretch around what answers the question."""
    if len(sentence) <= n:
        return sentence
    at = min((m.start() for p in wanted if (m := p.search(sentence))), default=0)
    start = max(0, min(at - n // 3, len(sentence) - n))
    return ("…" if start else "") + sentence[start : start + n]


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
