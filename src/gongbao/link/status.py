"""Whether a document is in force on a given day, in the vocabulary of the national law database (国家法律法规数据库):
尚未施行 (not yet in force), 现行有效 (in force), 已被修改 (amended), 已废止 (repealed by another text), 失效 (its own
validity period or plan period has run out), 部分失效 (partly repealed), or unknown (效力未知: no date and no relation
says anything).  Reports, explanations, lists and other texts without force of their own have no status.

Two halves: `expiry` reads a validity period off a document's own text when it is parsed ("自2023年1月1日起施行，有效期
5年" → 2027-12-31); `status_of` combines the dates with the repeal and amendment relations other documents state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from gongbao.model import Document
from gongbao.parse.doctypes import NORMATIVE_TYPES, POLICY_TYPES, REPORTING_TYPES, promulgated_title, title_type
from gongbao.parse.numerals import plan_end_year, zh_to_int

STATUSES = ("尚未施行", "现行有效", "已被修改", "已废止", "失效", "部分失效", "unknown")

_N = r"[\d〇零一二两三四五六七八九十]{1,3}"
# the validity clause follows the commencement clause in the same sentence: 自…起施行，有效期5年 / 试行期两年
_VALIDITY = re.compile(rf"(?:施行|实施|执行|试行)[，,、]?\s*(?:有效期|试行期)(?:为|限为)?\s*({_N})\s*年")
_VALID_UNTIL = re.compile(r"有效期(?:至|截至|到)\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_PERIOD = re.compile(r"\d{4}\s*[—\-–－~至]\s*(\d{4})\s*年")
_ONE_YEAR = re.compile(r"^(?:关于印发)?《?(\d{4})\s*年")


def _plan_end(title: str) -> str | None:
    """A plan or programme runs to the end of the period its title names: 三年行动方案（2022—2024年）, 2022年…任务
    分解方案, “十四五”…实施方案.  (Laws name years too — 2022年修订 — but do not expire with them.)"""
    if title_type(title) not in POLICY_TYPES - {"决定", "命令", "令", "通告"}:
        return None
    t = re.sub(r"\s", "", title)
    if m := _PERIOD.search(t):
        return f"{m.group(1)}-12-31"
    if m := _ONE_YEAR.match(t):
        return f"{m.group(1)}-12-31"
    year = plan_end_year(t)
    return f"{year}-12-31" if year else None


_PARTLY = re.compile(r"第[〇零一二三四五六七八九十百千\d]+条")
_STATED_PERIOD = re.compile(r"[（(]?(\d{4})\s*[—\-–－~至]\s*\d{4}\s*年[）)]?")
# relations by which another text adopts, approves or promulgates this one: its date is this one's
_ADOPTING = ("resolves", "approves", "promulgates")


def period_start(doc: Document) -> str | None:
    """The first day of the period a plan's own title or opening names: 第十四个五年（2021-2025年）规划 → 2021-01-01,
    “十四五”规划 → 2021-01-01.  A text with force whose adoption date is not printed starts with its period."""
    head = " ".join([doc.inner_title or doc.title, *(p.text for p in doc.provisions[:2])])
    head = re.sub(r"\s", "", head)
    if m := _STATED_PERIOD.search(head):
        return f"{m.group(1)}-01-01"
    end = plan_end_year(doc.inner_title or doc.title)
    return f"{end - 4}-01-01" if end else None


def in_force_from(dates: dict[str, str]) -> str | None:
    """The day a text takes effect: its commencement date, else the day it was issued or published, else (no
    commencement clause) adopted."""
    return next((dates[k] for k in ("effective", "issued", "published", "adopted") if dates.get(k)), None)


def has_force(doc: Document, has_articles: bool | None = None) -> bool:
    """Texts that are in force or not: laws, rules, and the policy documents a 通知 issues (its inner title).
    `has_articles` stands in for the provisions when the document was loaded without them."""
    articles = doc.has_articles if has_articles is None else has_articles
    if articles and doc.doc_type not in REPORTING_TYPES:
        return True
    kind = title_type(doc.inner_title or promulgated_title(doc.title) or "") or doc.doc_type
    return kind in NORMATIVE_TYPES or kind in POLICY_TYPES - {"决定", "要点", "工作要点"}


def expiry(doc: Document) -> str | None:
    """The last day of a validity period the text states, counted from the day it took effect, or the end of the
    period a plan's title names (三年行动方案（2022—2024年） → 2024-12-31)."""
    start = in_force_from(doc.dates)
    planned = _plan_end(doc.inner_title or promulgated_title(doc.title) or doc.title)
    if planned:
        return planned
    for p in doc.provisions:
        if "有效期" not in p.text and "试行期" not in p.text:
            continue
        m = _VALID_UNTIL.search(p.text)
        if m:
            return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        m = _VALIDITY.search(p.text)
        if m and start:
            years = zh_to_int(m.group(1))
            if years:
                return _add_years(date.fromisoformat(start), years).isoformat()
    return None


def _add_years(d: date, years: int) -> date:
    """The day before the same date `years` later: 5 years from 2023-01-01 run to 2027-12-31."""
    try:
        end = d.replace(year=d.year + years)
    except ValueError:  # 29 February
        end = d.replace(year=d.year + years, day=28)
    return end - timedelta(days=1)


@dataclass
class Status:
    status: str
    as_of: str
    reason: str
    since: str | None = None
    by: str | None = None  # the document (id) that repealed or amended it

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def _start(doc: Document, incoming: list[dict[str, Any]]) -> tuple[str | None, str]:
    """The day the text took effect, with a note on where it was read when it is not the text's own commencement
    clause: its adoption date, the date of the text that adopted or promulgated it, the start of its period."""
    if start := in_force_from(doc.dates):
        stated = any(doc.dates.get(k) for k in ("effective", "issued", "published"))
        return start, "" if stated else " (adopted; no commencement date is stated)"
    adopted = sorted(r["effective"] for r in incoming if r.get("type") in _ADOPTING and r.get("effective"))
    if adopted:
        return adopted[0], " (the date of the text that adopted or promulgated it)"
    if start := period_start(doc):
        return start, " (the first day of the period its text names)"
    return None, ""


def status_of(
    doc: Document, incoming: list[dict[str, Any]], as_of: date, has_articles: bool | None = None
) -> Status | None:
    """The status of `doc` on `as_of`.  `incoming`: relations other documents state about it, each with `type`,
    `document_id`, `evidence` and `effective` (the day the other document took effect, if known)."""
    if not has_force(doc, has_articles):
        return None
    day = as_of.isoformat()
    start, note = _start(doc, incoming)
    if start is None:
        return Status("unknown", day, "no date of adoption, issue or effect is stated, and no other text gives one")
    if day < start:
        return Status("尚未施行", day, f"takes effect on {start}", since=None)
    for rel in sorted(incoming, key=lambda r: r.get("effective") or ""):
        when = rel.get("effective")
        if rel["type"] != "repeals" or not when or when > day:
            continue
        partly = bool(_PARTLY.search(rel.get("evidence", "").split("废止")[0][-40:]))
        return Status("部分失效" if partly else "已废止", day, "repealed by a later text", when, rel["document_id"])
    expires = doc.dates.get("expires")
    if expires and day > expires:
        return Status("失效", day, f"its validity period ended on {expires}", expires)
    amended = [r for r in incoming if r["type"] == "amends" and r.get("effective") and r["effective"] <= day]
    if amended:
        last = max(amended, key=lambda r: r["effective"])
        return Status("已被修改", day, "amended by a later decision", last["effective"], last["document_id"])
    reason = f"in force since {start}{note}" + (f", valid until {expires}" if expires else "")
    return Status("现行有效", day, reason, start)
