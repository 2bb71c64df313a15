"""Numeric targets and achievements in plans and reports (pure functions, no I/O).

"“十四五”时期，单位地区生产总值能源消耗比2020年下降14.5%" → subject 单位地区生产总值能源消耗, change 下降, value 14.5,
unit %, year 2025, baseline_year 2020.  The text as printed is always kept.

Gazette PDFs lose decimal points (17651.9亿元 printed as 176519亿元, 10.6% as 106%).  Such a value cannot be repaired
from the text alone, so it is flagged, not presented as a fact: a percentage change above 100, and — in a document
that prints no decimal point at all although it is full of statistics — every measured figure of two or more digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gongbao.model import Document
from gongbao.parse.clean import sentences
from gongbao.parse.numerals import FIVE_YEAR_PLANS, PLAN_PERIOD, plan_end_year

_CHANGE = (
    "增长|下降|降低|提高|提升|减少|增加|达到|超过|突破|完成|控制在|保持在|稳定在|不低于|不少于|不超过|不高于|"
    "力争达到|实现|新增|累计|节约|压减|削减|缩短|扩大|占比|比重"
)
_UNIT = (
    "个百分点|百分点|%|万亿元|亿元|万元|元|万吨标准煤|万吨标煤|万吨|吨|亿千瓦时|万千瓦时|千瓦时|万千瓦|千瓦|亿立方米|"
    "万立方米|立方米|万平方米|平方米|公顷|万亩|亩|公里|千米|米|万人次|人次|万人|人|万户|户|万个|个|家|项|所|座|条|"
    "台|辆|倍|天|小时|件|套|张"
)
# anchored on the verb and the number; the subject is what precedes it in the clause
_FIGURE = re.compile(
    rf"(?:比(?P<base>\d{{4}})\s*年(?:底|末)?)?\s*(?P<change>{_CHANGE})(?:了|到|至)?\s*"
    rf"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>{_UNIT})(?P<qual>左右|以上|以内|以下)?"
)
_CLAUSE_START = re.compile(r"[，。；：:,;、]")
_RELATIVE_SUBJECT = re.compile(r"(?:比|较)(?:上年|去年|上年同期|前三季度|年初)?(?:同期)?|同比|环比|分别")
_TARGET_YEAR = re.compile(r"(?:到|至|在|于)?\s*(\d{4})\s*年(?:底|末)?")
_LEAD = re.compile(
    r"^(?:到\d{4}年(?:底|末)?|\d{4}年(?:底|末)?|全年|力争|其中|同比|全省|全市|累计|共|预计|"
    + f"“?(?:{'|'.join(FIVE_YEAR_PLANS)})”?(?:时期|期间|末)?)+"
)
_CHANGES_OF_SHARE = ("增长", "下降", "降低", "提高", "提升", "减少", "增加", "压减", "削减")


@dataclass
class Figure:
    subject: str
    value: float
    unit: str
    change: str
    text: str
    provision_id: str | None
    start_line: int
    end_line: int
    year: int | None = None
    baseline_year: int | None = None
    suspect: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def find_figures(doc: Document) -> list[Figure]:
    """Figures of a plan, report or policy text (laws' amounts — fines, deadlines — are not figures)."""
    if doc.has_articles:
        return []
    units = [p for p in doc.provisions if p.kind in ("block", "heading") and (p.text or p.heading)]
    body = " ".join(p.text for p in units)
    lossy = _decimals_lost(body)
    years = _section_years(doc, _title_year(doc.inner_title or doc.title))
    out = []
    for p in units:
        text = " ".join(x for x in (p.heading, p.text) if x)
        for sentence in sentences(text):
            out += _sentence_figures(sentence, p.id, p.start_line, p.end_line, years.get(p.id), lossy)
    return out


def _section_years(doc: Document, default: int | None) -> dict[str, int | None]:
    """The year a figure of each provision refers to when its sentence names none: that of the nearest enclosing
    heading naming a plan period (第一节 “十三五”发展成就 → 2020) or a target year (到2025年), else the document's."""
    out: dict[str, int | None] = {}
    for p in doc.provisions:
        inherited = out.get(p.parent or "", default) if p.parent else default
        head = " ".join(x for x in (p.label, p.heading) if x) if p.kind != "block" else ""
        if p.kind == "heading" and not p.heading:
            head = p.text[:40]  # a heading without a separate title: its text is the heading
        named = plan_end_year(head) if head else None
        if named is None and head and (m := re.search(r"(?:到|至)\s*(\d{4})\s*年", head)):
            named = int(m.group(1))
        out[p.id] = named or inherited
    return out


def _sentence_figures(sentence, provision_id, start, end, default_year, lossy) -> list[Figure]:
    out = []
    year = _year(sentence, default_year)
    if not any(c.isdigit() for c in sentence):
        return out
    previous = ""
    for m in _FIGURE.finditer(sentence):
        head = sentence[max(0, m.start() - 40) : m.start()]
        head = _CLAUSE_START.split(head)[-1]
        subject = _LEAD.sub("", re.sub(r"\s", "", head)).strip("，,、 ")
        if previous and _RELATIVE_SUBJECT.fullmatch(subject):
            subject = previous  # …完成17651.9亿元，比上年增长3.6%: the growth is of the same thing
        if not subject or re.fullmatch(r"[\d.]+", subject) or _RELATIVE_SUBJECT.fullmatch(subject):
            continue
        previous = subject
        value = float(m.group("value"))
        unit = "%" if m.group("unit") == "%" else m.group("unit")
        base = int(m.group("base")) if m.group("base") else None
        printed = (head + m.group(0)).strip()
        fig = Figure(subject, value, unit, m.group("change"), printed, provision_id, start, end, year, base)
        fig.suspect = _suspect(m.group("value"), unit, fig.change, lossy)
        out.append(fig)
    return out


def _suspect(printed: str, unit: str, change: str, lossy: bool) -> str | None:
    if "." in printed:
        return None
    value = int(printed)
    if unit == "%" and value > 100 and change in _CHANGES_OF_SHARE:
        return f"a change of {value}% is implausible: a decimal point may be lost ({value / 10:g}%?)"
    if lossy and len(printed) >= 2 and unit not in ("个", "家", "项", "人", "户", "件", "条", "所", "座"):
        return f"this text prints no decimal points: {printed} may be {value / 10:g} or {value / 100:g}"
    return None


def _decimals_lost(body: str) -> bool:
    """A statistics-heavy text with no decimal point anywhere has lost them in extraction."""
    numbers = re.findall(r"\d+(?:\.\d+)?\s*(?:%|亿元|万元|万吨|万千瓦)", body)
    return len(numbers) >= 20 and not any("." in n for n in numbers)


def _year(sentence: str, default: int | None) -> int | None:
    if m := PLAN_PERIOD.search(sentence):
        return plan_end_year(m.group(0))
    without_baselines = re.sub(r"(?:比|较|同比)\s*\d{4}\s*年(?:底|末)?", "", sentence)
    years = [int(y) for y in _TARGET_YEAR.findall(without_baselines) if 1949 <= int(y) <= 2100]
    return max(years) if years else default


def _title_year(title: str) -> int | None:
    """The year a text's figures refer to by default: the end of the plan period its title names (十四五规划和2035年
    远景目标纲要 → 2025: the long-range year counts only where a sentence says 到2035年), else a year it names."""
    if plan := plan_end_year(title):
        return plan
    m = re.search(r"(\d{4})\s*年", title)
    return int(m.group(1)) if m else None
