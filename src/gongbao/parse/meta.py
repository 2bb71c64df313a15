"""Document metadata read off its title block and text: doc_type, issuer, doc_number, dates.

Reads: the document's title (and inner title) and its paragraphs after the title block.
Writes: a Metadata record. Dates are ISO; relative effective dates ("自印发之日起施行", "自公布之日起30日后施行") are
resolved when the base date is known, and left out otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongbao.model import Paragraph
from gongbao.parse.clean import DOC_NUMBER_LINE
from gongbao.parse.doctypes import NORMATIVE_TYPES, strip_qualifiers, title_type
from gongbao.parse.numerals import DATE_ALONE, DATE_AT_START, DATE_PATTERN, add_days, first_date, parse_date, zh_to_int

HEADER_PARAGRAPHS = 6  # 文号, serial, adoption note, speech line, speaker, salutation sit in the first few

_FULLWIDTH_DIGITS = {0xFF10 + i: str(i) for i in range(10)}
_SERIAL = re.compile(r"^[(（]?\s*(第\s*[〇零一二三四五六七八九十百千\d]+\s*号)\s*[)）]?$")
_NUMBER_PARTS = re.compile(r"^(.*?)\s*[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*(\d+)\s*号$")
_DATE_ONLY = DATE_ALONE
_ADOPTION_EVENT = re.compile(r"(通过|修订|修正|推定|决定|批准|公布|发布|施行)")
_VENUE_END = re.compile(r"(?:会议|大会|会)上$|上$")
_SPEECH = re.compile(r"^[—–-]{2,}\s*(.+)")
_ISSUER_PREFIX = re.compile(r"^(.{2,40}?)(?:关于|转发|批转|印发|转报)")
_VERB_PREFIX = re.compile(r"^(?:转报|转发|批转|印发)")
_BODY = re.compile(
    r"([\u4e00-\u9fff]{2,30}?(?:人民代表大会(?:常务委员会)?|人大常委会|人民政府|人民法院|人民检察院|国务院|"
    r"委员会|主任会议|主席团|常务会议|审判委员会|检察委员会))"
)

_NUM = r"[\d〇零一二三四五六七八九十百两]+"
_EFFECTIVE_PATTERNS = (
    (re.compile(rf"自\s*({DATE_PATTERN.pattern})\s*起\s*(?:施行|实施|生效|执行|试行)"), "date"),
    (re.compile(rf"自(?:公布|发布|印发|颁布|公告)之日起\s*({_NUM})\s*日(?:后|起)\s*(?:施行|实施|生效|执行)"), "days"),
    (re.compile(r"自(?:公布|发布|印发|颁布|公告|下发|签发)之日起(?:施行|实施|生效|执行|试行)"), "base"),
    (re.compile(r"(?:从|自)即日起"), "base"),
    (re.compile(r"通过(?:之日起|后)(?:施行|实施|生效)"), "adopted"),
)
# Documents that state when they take effect; reports and explanations only mention other texts' dates.
_HAS_EFFECT = NORMATIVE_TYPES | {"公告", "通告", "决定", "通知", "意见", "实施意见", "指导意见", "方案", "实施方案",
                                 "行动方案", "行动计划", "预案", "规划", "命令", "令", "批复", "安排"}  # fmt: skip


@dataclass
class Metadata:
    doc_type: str | None
    issuer: str | None
    doc_number: str | None
    dates: dict[str, str] = field(default_factory=dict)


def normalize_doc_number(text: str) -> str | None:
    """'晋政函[2022]109 号' → '晋政函〔2022〕109号'; '(第十八号)' → '第十八号'."""
    t = re.sub(r"\s+", "", text.translate(_FULLWIDTH_DIGITS))
    m = _NUMBER_PARTS.match(t)
    if m:
        return f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3))}号"
    m = _SERIAL.match(t)
    return m.group(1) if m else None


def read_metadata(title: str, inner_title: str | None, paragraphs: list[Paragraph]) -> Metadata:
    doc_type = title_type(title)
    header = paragraphs[:HEADER_PARAGRAPHS]
    doc_number = next(
        (normalize_doc_number(p.text) for p in header if DOC_NUMBER_LINE.match(p.text) or _SERIAL.match(p.text)),
        None,
    )
    dates = _dates(doc_type, inner_title, paragraphs)
    return Metadata(doc_type=doc_type, issuer=_issuer(title, doc_type, paragraphs), doc_number=doc_number, dates=dates)


# ------------------------------------------------------------------------------------------------ dates


def _events(text: str) -> list[tuple[str, str]]:
    """(iso date, verb) for every dated event in an adoption note or enactment history."""
    out = []
    matches = list(DATE_PATTERN.finditer(text))
    for i, m in enumerate(matches):
        iso = parse_date(m)
        tail = text[m.end() : matches[i + 1].start() if i + 1 < len(matches) else len(text)]
        verbs = _ADOPTION_EVENT.findall(tail)
        if iso and verbs:
            out.append((iso, verbs[-1]))
    return out


def _history(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The adoption note or dated enactment history right after the title."""
    out = []
    open_note = False
    for p in paragraphs[:16]:
        t = p.text
        if open_note or (t[:1] in "(（" and DATE_PATTERN.search(t[:16])):
            out.append(p)
            open_note = not t.endswith((")", "）"))
        elif DATE_AT_START.match(t) and _ADOPTION_EVENT.search(t) and not _DATE_ONLY.match(t):
            out.append(p)
        elif out:
            break
    return out


def _dates(doc_type: str | None, inner_title: str | None, paragraphs: list[Paragraph]) -> dict[str, str]:
    dates: dict[str, str] = {}
    events = [e for p in _history(paragraphs) for e in _events(p.text)]
    adoptions = [d for d, verb in events if verb in ("通过", "修订", "修正", "推定", "决定")]
    if adoptions:
        dates["adopted"] = max(adoptions)
    published = [d for d, verb in events if verb in ("公布", "发布")]
    if published:
        dates["published"] = max(published)
    in_force = [d for d, verb in events if verb == "施行"]
    body = "\n".join(p.text for p in paragraphs)
    if "adopted" not in dates and doc_type in ("公告", "令", "命令"):
        m = re.search(rf"于\s*({DATE_PATTERN.pattern})\s*(?:修订|修正)?通过", body)
        if m:
            dates["adopted"] = first_date(m.group(1)) or ""
    issued = next((first_date(p.text) for p in paragraphs if _DATE_ONLY.match(p.text)), None)
    if issued:
        dates["issued"] = issued
    for p in paragraphs[:HEADER_PARAGRAPHS]:
        m = _SPEECH.match(p.text)
        if m and first_date(m.group(1)):
            dates["delivered"] = first_date(m.group(1)) or ""
            break
    effective = _effective(body, dates) if doc_type in _HAS_EFFECT or title_type(inner_title or "") else None
    if effective:
        dates["effective"] = effective
    elif in_force:
        dates["effective"] = max(in_force)
    return {k: v for k, v in dates.items() if v}


def _effective(body: str, dates: dict[str, str]) -> str | None:
    """The last statement of when this text takes effect, resolved to a date when its base date is known."""
    found: list[tuple[int, str | None]] = []
    base = dates.get("published") or dates.get("issued") or dates.get("adopted")
    for pattern, how in _EFFECTIVE_PATTERNS:
        for m in pattern.finditer(body):
            if how == "date":
                value = first_date(m.group(1))
            elif how == "days":
                n = zh_to_int(m.group(1))
                value = add_days(base, n) if base and n else None
            elif how == "adopted":
                value = dates.get("adopted") or base
            else:
                value = base
            found.append((m.start(), value))
    found.sort()
    return found[-1][1] if found else None


# ----------------------------------------------------------------------------------------------- issuer


def _issuer(title: str, doc_type: str | None, paragraphs: list[Paragraph]) -> str | None:
    t = strip_qualifiers(title)
    history = _history(paragraphs)
    if history:
        m = _BODY.search(DATE_PATTERN.sub(" ", history[0].text))
        if m:
            return _plain_body(m.group(1))
    m = _ISSUER_PREFIX.match(t)
    if m and not _VERB_PREFIX.match(m.group(1)):
        return m.group(1)
    if doc_type in ("公告", "通告", "令", "命令") and doc_type and t.endswith(doc_type):
        return t[: -len(doc_type)] or None
    speaker = _speaker(paragraphs)
    if speaker:
        return speaker
    return _signature(paragraphs)


def _plain_body(body: str) -> str:
    """'山西省第十四届人民代表大会常务委员会第六次会议' → '山西省人民代表大会常务委员会'."""
    body = re.sub(r"第[一二三四五六七八九十百\d]+届", "", body)
    body = re.sub(r"第[一二三四五六七八九十百\d]+次(?:全体)?会议.*$", "", body)
    return body


def _speaker(paragraphs: list[Paragraph]) -> str | None:
    for i, p in enumerate(paragraphs[:HEADER_PARAGRAPHS]):
        if not _SPEECH.match(p.text):
            continue
        for nxt in (q.text for q in paragraphs[i + 1 : i + 4]):
            if _VENUE_END.search(nxt):
                continue  # the rest of a wrapped "———…在…会议上" line
            if len(nxt) <= 60 and not nxt.endswith((":", "：")):
                return nxt
            return None
    return None


def _signature(paragraphs: list[Paragraph]) -> str | None:
    for i, p in enumerate(paragraphs):
        if i and _DATE_ONLY.match(p.text):
            prev = paragraphs[i - 1].text
            if len(prev) <= 40 and not re.search(r"[。，；：]", prev):
                return prev
            return None
    return None
