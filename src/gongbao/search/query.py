"""Query analysis: a question in everyday Chinese → the terms to look for and the kind of answer it wants.

Control characters are dropped, the length bounded, quoted phrases and 《titles》 kept whole, question words and
particles removed (data/stopwords.txt), everyday words mapped to the words rules use (data/thesaurus.tsv), the rest
segmented into words (rjieba with data/dictionary.txt).  Pure: no I/O beyond the bundled data files.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from gongbao.analyse import data_lines, gram_phrases, query_words
from gongbao.parse.clean import normalize_chars
from gongbao.parse.script import search_form

MAX_QUERY_CHARS = 200
MAX_TERMS = 16

_QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”|「([^」]+)」|『([^』]+)』|《([^》]+)》')
_QUESTION_FORM = re.compile(r"可不可以|是不是|有没有|(.)[不没]\1")
_QUESTION_WORD = re.compile(r"[谁哪吗啥么呢]")  # 谁来管, 哪儿, 怎么: question words carry no subject matter
_PLACEHOLDER = re.compile(r"[XxＸ×]{2,}|某某|\.\.\.|…+")


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


# ------------------------------------------------------------------------------------------ query analysis


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(data_lines("stopwords.txt"))


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
    return search_form(normalize_chars(q))  # Traditional characters compared as Simplified, as the index does


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
            # a span of time, not a date: 15日内, 三个月, 二十四小时 but not 2001年 or 4月6日
            r"(?<![\d年月〇零])(?:\d{1,3}|[一二两三四五六七八九十百]+)\s*个?(?:工作日|日|天|月|年|小时|季度)"
            r"|[日月年季]内|以内|之日起|[年月]底|前完成|每[年月季周]"
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


def answer_pattern(kind: str) -> re.Pattern[str]:
    """What a provision that answers a question of this kind contains (an amount, a time limit …)."""
    return _ANSWER_TYPES[kind][1]
