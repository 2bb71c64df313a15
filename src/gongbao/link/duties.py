"""Who must do what, by when: responsibilities read off a document (pure functions, no I/O).

Three forms:
- task breakdowns: a numbered task followed by field lines 责任领导：… / 牵头单位：… / 配合单位：…;
- inline assignments closing a task: （省发展改革委、省能源局等按职责分工负责）, （责任单位：…）, （省生态环境厅牵头，
  省工信厅等按职责分工负责）, and the group form （以上责任单位：…） that covers the tasks before it; a blanket
  "以下均需市、县政府落实，不再列出" adds those governments to every later task;
- legal duties in articles: 县级以上人民政府住房和城乡建设主管部门负责本行政区域内…

Each duty names one agency (normalised, see agencies.py) or, for 责任领导, one official, with its role: leader, lead,
cooperate or responsible; the task text; a deadline when the task states one; the provision and source lines.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from gongbao.link.agencies import Region, normalize, region_of
from gongbao.model import Document, Provision
from gongbao.parse.clean import sentences
from gongbao.parse.numerals import PLAN_PERIOD, plan_end_year, zh_to_int

ROLES = ("leader", "lead", "cooperate", "responsible")
_FIELD_ROLES = {
    "责任领导": "leader", "牵头领导": "leader", "分管领导": "leader", "分管市领导": "leader", "责任市领导": "leader",
    "牵头单位": "lead", "牵头部门": "lead", "主办单位": "lead", "配合单位": "cooperate", "配合部门": "cooperate",
    "协办单位": "cooperate", "参与单位": "cooperate", "责任单位": "responsible", "责任部门": "responsible",
}  # fmt: skip
_FIELD = re.compile(rf"^\s*({'|'.join(_FIELD_ROLES)})\s*[：:]\s*(.+)$")
_KEYWORDS = re.compile(r"负责(?!人)|责任单位|责任部门|牵头")  # (负责人) is a person's title, not an assignment
_ANY_DUTY = re.compile(r"负责|责任|牵头|配合单位|落实")  # a document without these words assigns nothing
_ASSIGNS = re.compile(r"负责(?!人)|责任单位|责任部门|牵头|落实")  # words of an assignment (a quick test)
_GROUP = re.compile(r"^以上(?:各项)?(?:责任单位|责任部门)?\s*[：:]?")
_BLANKET = re.compile(r"以下(?:各项)?(?:[^，。,]{0,6})?均需(.{2,20}?)落实[，,]?\s*不再(?:逐一)?列出")
_SUFFIX = re.compile(
    r"(?:委员会|委|厅|局|办|办公室|院|部|会|政府|中心|集团|公司|支行|分行|联|署|所|站|队|处|管委会|协会|单位|部门|机构|"
    r"机关|银行|大学|学校|段|总队|支队|大队|领导小组|海关)$"
)
_ARTICLE_LABEL = re.compile(
    r"^第[〇零一二三四五六七八九十百千\d]+条(?:之[一二三四五六七八九十]+)?\s*(?:【[^】]{1,20}】)?\s*"
)
_ITEM_LABEL = re.compile(r"^[（(][一二三四五六七八九十\d]{1,3}[）)]\s*|^[一二三四五六七八九十]{1,3}、\s*")
# a legal duty: a government body opening the sentence, then (within the clause) 负责
_BODY = (
    r"(?:人民政府|主管部门|行政部门|有关部门|管理部门|工作部门|部门|机关|机构|委员会|办公室|管理局|街道办事处|领导小组|"
    r"厅|局|委|总队|支队|大队)"
)
_LEGAL = re.compile(
    rf"\s*(?:由)?([^，,。；;：:“”]{{0,40}}{_BODY})(?:及其有关部门|及其所属部门)?[，,]?\s*"
    r"(?:应当|要|依法|依照[^，。；]{0,12}规定[，,]?\s*|按照[^。；]{0,24}?(?:职责|原则|分工)[，,]?\s*|会同[^，。；]{0,20}?|"
    r"对[^，。；]{1,30}?(?=负责)|分别|共同|具体|统一|主要|全面)*"
    r"负责(?!人)"
)
# …，由X负责: the body named after 由 at the end of a clause (铁路沿线两侧的绿化，由铁道部门负责)
_BY_BODY = re.compile(rf"\s*由([^，,。；;：:“”由]{{2,30}}?{_BODY})(?:具体|统一|分别|共同)?负责(?!人)")


@dataclass
class Duty:
    agency: str  # normalised name (or the official's name for a leader)
    as_printed: str
    level: str | None
    role: str
    task: str
    provision_id: str | None
    start_line: int
    end_line: int
    key: str = ""  # the agency without its region (生态环境厅), to find any province's or city's
    deadline: str | None = None
    deadline_text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if v is not None}
        d["agency_key"] = d.pop("key")
        return d


class _Lazy:
    """A value made on first use."""

    def __init__(self, make: Callable[[], Any]):
        self._make, self._value = make, None

    def __getattr__(self, name: str) -> Any:
        if self._value is None:
            self._value = self._make()
        return getattr(self._value, name)


@dataclass
class _Unit:
    """A task as a reader sees it: a numbered heading with the paragraphs that continue it (hard wraps the cleaner
    could not join are separate blocks), or one article paragraph."""

    head: Provision
    text: str
    end_line: int
    fields: list[tuple[str, str, Provision]] = field(default_factory=list)


# ------------------------------------------------------------------------------------------ extraction


def find_duties(doc: Document, region: Region | None = None) -> list[Duty]:
    if not any(_ANY_DUTY.search(p.text) for p in doc.provisions):
        return []
    # read off the document only when a name needs it (省/市 prefixes): most documents have none
    region = region or _Lazy(lambda: region_of(doc.issuer, doc.title, " ".join(p.text for p in doc.provisions[:40])))
    units = _units(doc)
    out: list[Duty] = []
    blanket: list[tuple[int, str]] = []  # (from line, agencies) of 以下均需…落实
    group_start = 0  # the first task a （以上责任单位：…） can cover
    legal = doc.has_articles
    for i, unit in enumerate(units):
        if unit.fields:
            out += _field_duties(unit, region)
        if ("（" in unit.text or "(" in unit.text) and _ASSIGNS.search(unit.text):
            out += _inline_duties(unit, region, units[group_start : i + 1], blanket)
            if "以上" in unit.text and any(_GROUP.match(b) for b in _brackets(unit.text)):
                group_start = i + 1
        if legal and unit.head.kind in ("article", "paragraph"):
            out += _legal_duties(unit, region)
    return _with_blanket(out, blanket, region)


def _units(doc: Document) -> list[_Unit]:
    has_paragraphs = {p.parent for p in doc.provisions if p.kind == "paragraph"}
    units: list[_Unit] = []
    by_id: dict[str, _Unit] = {}
    for p in doc.provisions:
        owner = by_id.get(p.parent or "") if p.kind == "block" else None
        if owner is not None:
            m = _FIELD.match(p.text)
            if m:
                owner.fields.append((_FIELD_ROLES[m.group(1)], m.group(2), p))
            elif not owner.fields:
                owner.text += p.text
            owner.end_line = max(owner.end_line, p.end_line)
            continue
        if p.kind in ("article", "paragraph", "heading", "block", "item") and not (
            p.kind == "article" and p.id in has_paragraphs
        ):
            text = " ".join(x for x in (p.heading, p.text) if x) if p.kind == "heading" else p.text
            unit = _Unit(p, text, p.end_line)
            units.append(unit)
            if p.kind == "heading":
                by_id[p.id] = unit
    return units


def _field_duties(unit: _Unit, region: Region) -> list[Duty]:
    """责任领导：武跃飞 / 牵头单位：市发改委 / 配合单位：市工信局、市商务局 under a numbered task."""
    out = []
    task = _task_text(unit.text)
    for role, value, p in unit.fields:
        names = split_names(value, people=role == "leader")
        for name in names:
            out.append(_duty(name, role, task, unit, p.end_line, region, person=role == "leader"))
    return out


def _inline_duties(unit: _Unit, region: Region, since_group: list[_Unit], blanket: list[tuple[int, str]]) -> list[Duty]:
    """（…按职责分工负责） / （责任单位：…） closing a task, （以上责任单位：…） closing a group of tasks."""
    out: list[Duty] = []
    for body in _brackets(unit.text):
        blanket += [(unit.end_line, m.group(1)) for m in _BLANKET.finditer(body)]
        body = _BLANKET.sub("", body)
        if not _KEYWORDS.search(body):
            continue
        covered = [unit]
        if _GROUP.match(body):  # the tasks of the group: its siblings since the last such bracket
            covered = [u for u in since_group if u.head.parent == unit.head.parent]
            body = _GROUP.sub("", body)
        for name, role in parse_assignment(body):
            out += [_duty(name, role, _task_text(u.text), u, u.end_line, region) for u in covered]
    return out


def _legal_duties(unit: _Unit, region: Region) -> list[Duty]:
    out = []
    if "负责" not in unit.text:
        return out
    for sentence in sentences(unit.text):
        text = _ARTICLE_LABEL.sub("", sentence).lstrip()
        text = _ITEM_LABEL.sub("", re.sub(r"[（(]以下简称[^）)]*[）)]", "", text))
        for who in _legal_bodies(text):
            for name in split_names(_legal_subject(who)):
                out.append(_duty(name, "responsible", sentence.strip(), unit, unit.end_line, region))
    return out


def _legal_bodies(sentence: str) -> list[str]:
    """The bodies a sentence makes responsible: one opening a clause (X负责…, X对…负责, X依照本法规定，负责…), or one
    named by 由 (…，由X负责).  本办法由X负责解释 assigns no task to track."""
    out, done = [], 0
    for start in [0, *(m.end() for m in re.finditer(r"[，,]", sentence))]:
        if start < done:
            continue  # inside the body or the modifiers of the last match
        m = _LEGAL.match(sentence, start) or _BY_BODY.match(sentence, start)
        if m and not re.search(r"不得|禁止|单位和个人|经营者|企业", m.group(1)) and "负责解释" not in sentence[start:]:
            out.append(m.group(1))
            done = m.end()
    return out


def _legal_subject(who: str) -> str:
    """The body itself: 业主代表由居（村）民委员会 → 居（村）民委员会 (the one 由 names);
    市水行政主管部门是河道管理保护的主管部门 → 市水行政主管部门 (what it is called before 是)."""
    who = who.rsplit("由", 1)[-1].rsplit("所属的", 1)[-1]
    head = re.split(r"是(?=[^，。；]*(?:部门|机关|机构)$)", who, maxsplit=1)[0]
    return head if len(head) >= 2 else who


def _with_blanket(duties: list[Duty], blanket: list[tuple[int, str]], region: Region) -> list[Duty]:
    """以下均需市、县政府落实，不再列出: those governments share every task after the statement."""
    if not blanket:
        return duties
    out = list(duties)
    seen: set[tuple[str, int]] = set()
    for d in duties:
        for line, names in blanket:
            if d.start_line > line and d.role != "leader" and (d.task, d.start_line) not in seen:
                seen.add((d.task, d.start_line))
                for name in split_names(names):
                    agency = normalize(name, region)
                    out.append(Duty(agency.name, name, agency.level, "responsible", d.task, d.provision_id,
                                    d.start_line, d.end_line, agency.key, d.deadline, d.deadline_text))  # fmt: skip
    return out


def _duty(name: str, role: str, task: str, unit: _Unit, end: int, region: Region, person: bool = False) -> Duty:
    when, phrase = deadline(task)
    head = unit.head
    if person:
        return Duty(name, name, None, role, task, head.id, head.start_line, end, name, when, phrase)
    agency = normalize(name, region)
    return Duty(agency.name, name, agency.level, role, task, head.id, head.start_line, end, agency.key, when, phrase)


@lru_cache(maxsize=4096)
def _task_text(text: str) -> str:
    """The task without its assignment brackets."""
    out = text
    for body in _brackets(text):
        if _KEYWORDS.search(body) or _BLANKET.search(body):
            out = re.sub(r"[（(]\s*" + re.escape(body) + r"\s*[)）]", "", out)
    return out.strip()


# ------------------------------------------------------------------------------------------- parsing


def _brackets(text: str) -> list[str]:
    """The contents of top-level （…） / (…) groups (nested brackets kept inside)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "（(":
            if depth == 0:
                start = i + 1
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
            if depth == 0 and i - start <= 300:
                out.append(text[start:i])
    return out


def parse_assignment(body: str) -> list[tuple[str, str]]:
    """省生态环境厅牵头，省工信厅、省能源局等按职责分工负责 → [(省生态环境厅, lead), (省工信厅, cooperate), …];
    责任单位：A、B，各县（市、区）政府 → all responsible."""
    body = re.sub(r"^\s*(?:责任单位|责任部门|牵头单位)\s*[：:]", "", body.strip())
    role = "cooperate" if "牵头" in body else "responsible"
    out: list[tuple[str, str]] = []
    for clause in re.split(r"[，,；;。](?![^（(〔]*[)）〕])", body):
        lead = re.match(r"^(.+?)(?:共同)?牵头(?:负责)?$", clause.strip())
        if lead:
            out += [(n, "lead") for n in split_names(lead.group(1))]
            continue
        verb = re.search(
            r"(?:等)?(?:按职责分工|按照职责分工|按职责|分别|共同)?(?:负责|配合|参与|落实)(?:落实)?$", clause
        )
        out += [(n, role) for n in split_names(clause[: verb.start()] if verb else clause)]
    return [(n, r) for n, r in out if n]


def split_names(text: str, people: bool = False) -> list[str]:
    """Split a list of agencies on 、，/ and 和 (between complete names) outside brackets; keep 市、县政府,
    行业主管、监管部门 and 各县（市、区）政府 whole.  `people`: a list of officials' names."""
    text = re.sub(r"\s+and\s+", "、", text)  # a conjunction left in English by the source's converter
    text = re.sub(r"\s", "", text).strip("。；;，,")
    pieces, depth, cur = [], 0, ""
    for ch in text:
        if ch in "（(〔[":
            depth += 1
        elif ch in "）)〕]":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、，,/；;":
            pieces.append(cur)
            cur = ""
        else:
            cur += ch
    pieces.append(cur)
    out: list[str] = []
    carry = ""
    for i, piece in enumerate(pieces):
        piece = carry + piece
        carry = ""
        if _belongs_to_next(piece, pieces[i + 1] if i + 1 < len(pieces) else "", people):
            carry = piece + "、"  # 市、县政府 / 行业主管、监管部门: the first part belongs to the next name
            continue
        out += _split_on_and(piece)
    if carry:
        out.append(carry.rstrip("、"))
    out = [part for p in out for part in re.split(r"等(?=..)", p)]  # 省发展改革委等省直各部门: both
    return [re.sub(r"等$", "", p) for p in out if p and not re.fullmatch(r"等|各有关单位?", p)]


def _belongs_to_next(piece: str, following: str, people: bool) -> bool:
    """市 in 市、县政府 and 行业主管 in 行业主管、监管部门 are not names of their own; 太原海关 before
    省市场监管局 is."""
    if re.search(r"(?:^|和|及|各|设区的?)[省市县区乡镇]$", piece):
        return True
    if people or len(piece) > 6 or _SUFFIX.search(piece) or not following:
        return False
    return not re.match(r"[省市县区各]", following) and bool(re.search(r"(?:部门|单位|机构|政府|机关)$", following))


def _split_on_and(piece: str) -> list[str]:
    for m in re.finditer(r"和|以及|及(?!其)", piece):
        left, right = piece[: m.start()], piece[m.end() :]
        if _SUFFIX.search(left) and len(right) >= 2:
            return [left, *_split_on_and(right)]
    return [piece]


# ------------------------------------------------------------------------------------------ deadlines

_YEAR = r"(\d{4})\s*年"
_DEADLINES = (
    (re.compile(_YEAR + r"\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:前|以前|之前|起)?"), "day"),
    (re.compile(_YEAR + r"\s*(\d{1,2})\s*月\s*(?:底|末)?\s*(?:前|以前|之前)"), "month"),
    (re.compile(r"力争\s*" + _YEAR + r"\s*(\d{1,2})\s*月"), "month"),
    (re.compile(_YEAR + r"\s*(?:年底|底|末)\s*(?:前|以前|之前)?"), "year"),
    (re.compile(_YEAR + r"\s*上半年"), "half"),
    (re.compile(_YEAR + r"\s*(?:第)?([一二三四1-4])\s*季度"), "quarter"),
    (re.compile(r"(?:到|至|截至|于)\s*" + _YEAR), "year"),
    (re.compile(_YEAR + r"\s*(?:前|以前|之前)"), "year"),
    (PLAN_PERIOD, "plan"),
)
_RELATIVE = re.compile(
    r"((?:自|从|在|于)[^，。；,]{0,20}?(?:之日起|之日|后|起))?\s*(\d+|[一二三四五六七八九十百两]+)\s*个?\s*"
    r"(工作日|日|天|个月|月|年)\s*内"
)


@lru_cache(maxsize=4096)
def deadline(text: str) -> tuple[str | None, str | None]:
    """The earliest date a task must be done by (ISO), with the phrase it was read from; a relative time limit
    (5个工作日内, with its trigger) gives (None, phrase)."""
    found: list[tuple[str, str]] = []
    for pattern, kind in _DEADLINES:
        for m in pattern.finditer(text):
            day = _date(kind, m)
            if day:
                found.append((day, m.group(0).strip()))
    if found:
        return min(found)
    rel = _RELATIVE.search(text)
    if rel and zh_to_int(rel.group(2)):
        return None, rel.group(0).strip()
    return None, None


def _date(kind: str, m: re.Match[str]) -> str | None:
    if kind == "plan":
        return f"{plan_end_year(m.group(0))}-12-31"
    year = int(m.group(1))
    if not 1949 <= year <= 2100:
        return None
    if kind == "day":
        month, day = int(m.group(2)), int(m.group(3))
    elif kind == "month":
        month = int(m.group(2))
        day = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
    elif kind == "half":
        month, day = 6, 30
    elif kind == "quarter":
        q = "一二三四".find(m.group(2)) + 1 or int(m.group(2))
        month = q * 3
        day = calendar.monthrange(year, month)[1]
    else:
        month, day = 12, 31
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


# ------------------------------------------------------------------------------------------- tracking


@dataclass(frozen=True)
class Tracking:
    """What an office asks of its duties: those overdue on a day, due before a day, without a deadline, sorted."""

    today: str  # ISO day the question is asked on
    overdue: bool = False  # the deadline has passed (before today)
    due_before: str | None = None  # deadline on or before this day (and not past, unless overdue is asked too)
    no_deadline: bool = False  # no date to be done by (a relative time limit or none at all)
    by_deadline: bool = False  # sorted by deadline, earliest first, undated last


def track(duties: list[dict[str, Any]], ask: Tracking) -> list[dict[str, Any]]:
    """The duties (rows as the store gives them, with `deadline` when known) that answer `ask`.  A duty has no
    completion record here, so "overdue" means its deadline is before `ask.today`."""
    out = []
    for d in duties:
        due = d.get("deadline")
        if ask.no_deadline and due:
            continue
        if ask.overdue and not (due and due < ask.today):
            continue
        if ask.due_before and not (due and due <= ask.due_before and (ask.overdue or due >= ask.today)):
            continue
        out.append(d)
    if ask.by_deadline:
        out.sort(key=lambda d: (d.get("deadline") is None, d.get("deadline") or ""))
    return out


def agency_matches(duty: dict[str, Any], query: str) -> bool:
    """A part of an agency's name finds it (生态环境 → 山西省生态环境厅, 朔州市生态环境局): in its normalised name,
    the name as printed or its key."""
    q = re.sub(r"\s", "", query)
    return bool(q) and any(q in (duty.get(k) or "") for k in ("agency", "as_printed", "agency_key"))
