"""Query expansion from the corpus's own definitions: a law says what its terms mean in the words people use
(本条例所称烟花爆竹，是指…鞭炮…; 互联网上网服务营业场所，是指…网吧…), so a word of the question the corpus rarely
uses, found inside a definition, also matches the term that definition defines.

  definitions  every "X，是指Y" (本条例所称X…, the items （一）X，是指… of a 用语含义 article) of the corpus whose X is
               in some title (X names the subject of a text, not a word of one article), read once per corpus through
               the store's retrieval (the units holding 是指) and kept until the corpus changes
  widen        the analysis with those terms as further alternatives of the rare word (an alternative counts with its
               own rarity, so a common legal term weighs less than the rare word it stands in for)

Nothing here knows a question; the limits below were checked on the held-out folds of scripts/eval_search_cv.py.
"""

from __future__ import annotations

import math
import re
from typing import Any

from gongbao.model import Probe
from gongbao.search.citation import places
from gongbao.search.query import Analysis, Term
from gongbao.store.corpus import Corpus

RARE_SHARE = 0.005  # a word in fewer than this share of the units is one the corpus rarely uses
MAX_DEFINED = 3  # a word inside the definitions of more terms than this is too general to widen (工资, 单位)
MAX_EXPANSIONS = 4  # alternatives added to one question
MAX_UNITS = 20000  # definitions read from at most this many units
_DEFINITION = re.compile(
    r"(?:所称的?|^|[；。：\n]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、])\s*[“\"「]?"
    r"([\u4e00-\u9fff（）()、]{2,24}?)[”\"」]?\s*[，,]?\s*是指([^。；\n]{2,300})"
)
_SCOPE = re.compile(r"^本(?:条例|办法|规定|法|细则|决定|规则|实施办法|实施细则)(?:中)?所称的?")
_NOT_A_TERM = re.compile(r"所[指称]|以下|简称|第[一二三四五六七八九十百\d]+[条款]")
_ITEM = re.compile(r"^[（(][一二三四五六七八九十\d]+[）)]")


def definitions(store: Corpus) -> list[tuple[str, str]]:
    """(term, what it is said to mean) of the definitions in the corpus whose term names the subject of a text
    (is in a title: 烟花爆竹, 轨道交通), not a word only one article uses."""
    known = store.cached("definitions")  # read once per generation of the corpus
    if "found" in known:
        return known["found"]
    named = "\n".join(d["title"] + "\n" + (d["inner_title"] or "") for d in store.titles())
    keys = store.candidates(Probe(all_of=(("是指",),)), None, MAX_UNITS)
    found: dict[tuple[str, str], None] = {}
    for unit in sorted(store.units(keys), key=lambda u: u["rowid"]):
        for m in _DEFINITION.finditer(unit["body"]):
            term = _ITEM.sub("", _SCOPE.sub("", m.group(1))).strip("（）()、")
            if len(term) >= 2 and term in named and not _NOT_A_TERM.search(term):
                found[(term, m.group(2))] = None
    known["found"] = list(found)
    return known["found"]


def widen(store: Corpus, analysis: Analysis, idf: dict[Any, float]) -> Analysis:
    """The analysis with, as further alternatives of each word of the question the corpus rarely uses, the terms
    whose definitions hold it (网吧 → 互联网上网服务营业场所); the analysis itself when there are none.  A place's
    name (重庆 in the definition of 长江流域) says where, not what: it is not widened."""
    known = places(store.titles())
    rare = math.log(1 + 1 / RARE_SHARE)
    defined: list[tuple[str, str]] | None = None
    have = {a for t in analysis.terms for a in t.alternatives}
    out: list[Term] = []
    added = 0
    for t in analysis.terms:
        extra: list[str] = []
        plain = not (t.phrase or t.title) and len(t.text) >= 2 and idf.get(t.text, 0.0) >= rare
        if plain and added < MAX_EXPANSIONS and not any(p.startswith(t.text) for p in known):
            defined = definitions(store) if defined is None else defined
            terms = list(dict.fromkeys(x for x, meaning in defined if t.text in meaning and t.text not in x))
            if len(terms) <= MAX_DEFINED:
                extra = [x for x in terms if x not in have][: MAX_EXPANSIONS - added]
        have.update(extra)
        added += len(extra)
        out.append(Term(t.text, t.alternatives + extra, t.weight, t.phrase, t.title) if extra else t)
    return Analysis(analysis.query, out, analysis.notes, analysis.asks) if added else analysis
