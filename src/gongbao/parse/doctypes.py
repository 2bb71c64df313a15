"""The document-type words a Chinese official title ends with (文种), and how to read them off a title."""

from __future__ import annotations

import re

# Longest first: a title ending in 实施意见 is of type 实施意见, not 意见.
COMPOUND_TYPES = (
    "实施细则", "实施意见", "指导意见", "审议意见", "研究意见", "暂行规定", "实施方案", "行动方案", "行动计划",
    "实施办法", "暂行办法", "工作要点",
)  # fmt: skip
SIMPLE_TYPES = (
    "条例", "办法", "规定", "细则", "规则", "规程", "准则", "章程", "决定", "决议", "公告", "通告", "公报", "通知",
    "通报", "意见", "批复", "复函", "函", "报告", "说明", "讲话", "名单", "议程", "纪要", "议案", "纲要", "规划",
    "计划", "方案", "预案", "要点", "清单", "解释", "答复", "措施", "建议", "致辞", "总结", "守则", "公约", "命令",
    "令", "法", "法典", "安排", "解答", "目录", "简介", "修正案", "规范",
)  # fmt: skip
ALL_TYPES = tuple(sorted(COMPOUND_TYPES + SIMPLE_TYPES, key=len, reverse=True))

# Types whose text is normally organised in articles (第X条).
NORMATIVE_TYPES = frozenset(
    {"条例", "办法", "规定", "细则", "规则", "规程", "准则", "章程", "实施细则", "暂行规定", "实施办法", "暂行办法",
     "法", "解释", "修正案", "规范"}
)  # fmt: skip
METADATA_TYPES = frozenset({"目录", "简介"})
# Types that state policy or rules in force (and so can implement, repeal, expire), besides NORMATIVE_TYPES.
POLICY_TYPES = frozenset(
    {"意见", "实施意见", "指导意见", "方案", "实施方案", "行动方案", "行动计划", "预案", "措施", "通告", "规划",
     "纲要", "计划", "工作要点", "要点", "命令", "令", "决定"}
)  # fmt: skip
# Types that report on, explain, discuss or list: they have no force of their own.
REPORTING_TYPES = frozenset(
    {"报告", "说明", "讲话", "名单", "议程", "纪要", "议案", "审议意见", "研究意见", "函", "复函", "答复", "建议",
     "致辞", "总结", "公报", "通报", "决议", "解答", "目录", "简介", "公告"}
)  # fmt: skip

# Parenthesised qualifiers that may follow the type word: (书面) (试行) (草案) (2022—2024年) …
_TRAILING_QUALIFIER = re.compile(
    r"[(（]\s*(?:书面|试行|草案|修订草案|修订|暂行|征求意见稿|送审稿|节选|摘要|全文|"
    r"\d{4}\s*[—\-–－~至]\s*\d{4}\s*年?|\d{4}\s*年(?:修订|修正)?|[一二三四五六七八九十]{1,3})\s*[)）]$"
)


def is_qualifier(text: str) -> bool:
    """A qualifier on a line of its own: （三）, （试行）, （2004年）."""
    t = re.sub(r"\s+", "", text)
    return bool(t) and _TRAILING_QUALIFIER.fullmatch(t) is not None


def strip_qualifiers(title: str) -> str:
    t = re.sub(r"\s+", "", title)
    while True:
        t2 = _TRAILING_QUALIFIER.sub("", t)
        if t2 == t:
            return t
        t = t2


_PROMULGATES = re.compile(r"(?:印发|转发|批转|发布|颁布|公布)(.+?)的(?:通知|决定|命令|令|公告)$")
_MARKS = re.compile(r"[\s《》〈〉“”\"'‘’<>«»‹›]")


def promulgated_title(title: str) -> str | None:
    """The title of the text a notice issues, without marks: 关于印发《X》的通知 → X."""
    m = _PROMULGATES.search(_MARKS.sub("", title))
    return m.group(1) if m else None


# X法 words that name a way of doing, not a law: 做法, 方法, 依法, 执法 … (办法 is a type word of its own).
_NOT_A_LAW = re.compile(r"(?:[做方看想说用写依执司立违合守算手技疗语书打玩作章文解]|办)法$")


# What may stand before 目录 in an issue's contents heading: 本期目录, 总目录, 2023年第5期目录.
_CONTENTS_LABEL = re.compile(r"^(?:本期|总|(?:[\d〇一二三四五六七八九十]+年)?(?:第[\d一二三四五六七八九十]+期)?)$")


def _law_title(t: str) -> bool:
    """A national law's full title (中华人民共和国…法, …基本法), or a short title ending in a law word
    (反分裂国家法) that is not 做法, 依法 …"""
    if "中华人民共和国" in t or t.endswith("基本法"):
        return True
    return len(t) <= 16 and not _NOT_A_LAW.search(t)


def title_type(title: str) -> str | None:
    """The type word a title ends with, or None when it ends with none."""
    t = strip_qualifiers(title)
    for word in ALL_TYPES:
        if t.endswith(word) and len(t) > len(word):
            if word == "法" and not _law_title(t):
                continue
            if word == "令" and len(t) < 3:
                continue
            if word == "目录" and not _CONTENTS_LABEL.match(t[: -len(word)]):
                continue  # 产品目录, 政府定价目录: a list a text speaks of, not an issue's table of contents
            return word
    if t in ("目录", "目次"):
        return "目录"
    return None
