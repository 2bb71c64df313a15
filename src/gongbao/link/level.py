"""效力级别: a text's rank in the hierarchy of law, in the levels of the national law database (flk), read from who
issued it and what type of text it is (a pure function, no I/O).

- 法律: adopted by the 全国人民代表大会 or its 常务委员会 (a 中华人民共和国…法, a 决定 on legal questions);
- 行政法规: 条例 / 规定 / 办法 of the 国务院;
- 地方性法规: 条例 / 办法 / 规定 / 规则 adopted by a local 人民代表大会 or its 常务委员会 (省, 自治区, 直辖市, 设区的市,
  自治州), and 自治条例 / 单行条例;
- 规章: 规定 / 办法 / 细则 … of a 国务院 ministry or commission (部门规章) or of a local 人民政府 by 令 (政府规章);
- 司法解释: 解释 / 规定 / 批复 of the 最高人民法院 or 最高人民检察院;
- 规范性文件: the other texts of government bodies that bind (通知, 意见, 方案, 决定 …).

Reports, explanations, lists, speeches and other texts without force of their own have no level (None).
"""

from __future__ import annotations

import re

from gongbao.parse.doctypes import NORMATIVE_TYPES, POLICY_TYPES, REPORTING_TYPES, promulgated_title, title_type

LEVELS = ("法律", "行政法规", "地方性法规", "规章", "规范性文件", "司法解释")

_NATIONAL_CONGRESS = re.compile(r"^(?:第[一二三四五六七八九十]+届)?全国人民代表大会(?:常务委员会)?")
_LOCAL_CONGRESS = re.compile(r"人民代表大会(?:常务委员会)?|人大常委会|人大")
_STATE_COUNCIL = re.compile(r"^(?:中华人民共和国)?国务院(?:办公厅)?$")
_SUPREME_COURTS = re.compile(r"最高人民法院|最高人民检察院")
_GOVERNMENT = re.compile(r"人民政府|政府办公厅|政府办公室|国务院")
# what a congress adopts as law (决定 and 决议 on legal questions aside)
_LEGISLATION = frozenset({"法", "法典", "条例", "办法", "规定", "规则", "实施办法", "实施细则", "细则", "暂行规定",
                          "暂行办法", "准则", "章程"})  # fmt: skip
_RULE_TYPES = frozenset({"规定", "办法", "细则", "规则", "规程", "实施细则", "实施办法", "暂行规定", "暂行办法"})
_JUDICIAL_TYPES = frozenset({"解释", "规定", "批复", "决定"})


def legal_level(issuer: str | None, doc_type: str | None, title: str, inner_title: str | None = None) -> str | None:
    """The 效力级别 of a text: one of LEVELS, or None for a text without force of its own (a report, a list …).
    A notice that issues a text (关于印发《X办法》的通知) has the level of the text it issues."""
    issuer = re.sub(r"\s", "", issuer or "")
    kind = title_type(inner_title or promulgated_title(title) or "") or doc_type or title_type(title)
    if kind is None or (kind in REPORTING_TYPES and kind != "公告"):
        return None
    name = re.sub(r"\s", "", title)
    if _SUPREME_COURTS.search(issuer) and kind in _JUDICIAL_TYPES:
        return "司法解释"
    national = _NATIONAL_CONGRESS.match(issuer) or (
        not issuer and name.startswith("中华人民共和国") and kind in ("法", "法典")
    )
    if national or (_LOCAL_CONGRESS.search(issuer) and not _GOVERNMENT.search(issuer)):
        return _congress_level(kind, name, "法律" if national else "地方性法规")
    if _STATE_COUNCIL.match(issuer) and kind in ("条例", "规定", "办法", "实施细则"):
        return "行政法规"
    if kind == "公告":
        return None  # a 公告 promulgates a text; the text has the level
    if kind in _RULE_TYPES and _is_rule(issuer, name):
        return "规章"
    if kind in NORMATIVE_TYPES or kind in POLICY_TYPES:
        return "规范性文件" if issuer or kind in NORMATIVE_TYPES else None
    return None


def _congress_level(kind: str, title: str, law: str) -> str | None:
    """What a congress or its standing committee adopts: a law (法律 / 地方性法规), a decision on a legal question
    that approves, amends or repeals one (法规性决定: the same level), the rules of one of its own meetings
    (第N次会议选举办法: a 规范性文件); its other decisions (personnel, convening a session) have no level."""
    if kind == "决定":
        return law if re.search(r"(?:批准|修改|废止)[《〈]", title) else None
    if kind in _LEGISLATION:
        return "规范性文件" if re.search(r"会议[^，。]{0,12}(?:办法|规则)$", title) else law
    return "规范性文件" if kind in POLICY_TYPES else None


def _is_rule(issuer: str, title: str) -> bool:
    """A 规章 is made by a ministry (部门规章) or by a provincial or city government by order (政府规章: issued as
    …人民政府令 第N号); a rule of a government department below the State Council, or one a notice issues, is a
    规范性文件."""
    if re.search(r"人民政府令|政府令", title):
        return True
    return bool(re.fullmatch(r"(?:中华人民共和国)?[\u4e00-\u9fff]{1,12}(?:部|委员会|总局|总署|银行)", issuer)) and not (
        re.search(r"省|市|县|自治区|自治州", issuer)
    )
