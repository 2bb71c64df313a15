"""Chinese numerals and dates, as printed in gazettes (十九, 一百二十, 二〇二二年十二月八日, 2022 年 11 月 18 日)."""

from __future__ import annotations

import functools
import re
from datetime import date, timedelta

_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2, "○": 0}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


@functools.lru_cache(maxsize=4096)
def zh_to_int(s: str) -> int | None:
    """'十九' → 19, '一百零五' → 105, '二〇三五' → 2035, '12' → 12; None when s is not a numeral."""
    s = s.replace(" ", "").strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if any(c not in _DIGITS and c not in _UNITS for c in s):
        return None
    if not any(c in _UNITS for c in s):  # digit by digit: 二〇三五
        return int("".join(str(_DIGITS[c]) for c in s))
    total, section, digit = 0, 0, None
    for c in s:
        if c in _DIGITS:
            digit = _DIGITS[c]
        elif c == "万":
            section = (section + (digit or 0)) * 10000
            total, section, digit = total + section, 0, None
        else:
            section += (1 if digit is None else digit) * _UNITS[c]
            digit = None
    return total + section + (digit or 0)


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def circled_to_int(s: str) -> int | None:
    """'③' → 3; None for anything else (str.isdigit() is true for ③, but int('③') fails)."""
    return CIRCLED.index(s) + 1 if len(s) == 1 and s in CIRCLED else None


_ZH = "〇零一二三四五六七八九十○"
# Digits may carry justification spaces from PDF extraction: "20 23年9月1日".
_YEAR = rf"(\d(?: ?\d){{3}}|[{_ZH}]{{4}})"
_MONTH_OR_DAY = rf"(\d(?: ?\d)?|[{_ZH}]{{1,3}})"
DATE_PATTERN = re.compile(rf"{_YEAR}\s*年\s*{_MONTH_OR_DAY}\s*月\s*{_MONTH_OR_DAY}\s*日")
DATE_ALONE = re.compile(rf"^{DATE_PATTERN.pattern}$")  # a signature date line
DATE_AT_START = re.compile(rf"^{_YEAR}\s*年\s*{_MONTH_OR_DAY}\s*月")  # an enactment-history line


def parse_date(match: re.Match[str]) -> str | None:
    """ISO date from a DATE_PATTERN match, or None when it names no real day."""
    y, m, d = (zh_to_int(g) for g in match.groups())
    try:
        return date(y, m, d).isoformat() if y and m and d else None
    except ValueError:
        return None


def first_date(text: str) -> str | None:
    for m in DATE_PATTERN.finditer(text):
        iso = parse_date(m)
        if iso:
            return iso
    return None


def add_days(iso: str, days: int) -> str:
    return (date.fromisoformat(iso) + timedelta(days=days)).isoformat()


# the five-year plans and the last year of each (a plan named "十四五" runs 2021-2025)
FIVE_YEAR_PLANS = {"十三五": 2020, "十四五": 2025, "十五五": 2030}
PLAN_PERIOD = re.compile(r"“?(" + "|".join(FIVE_YEAR_PLANS) + r")”?\s*(?:期间|时期|末)")
# the long form of a plan's name in titles: 第十四个五年规划 = 十四五
_LONG_PLAN_NAME = re.compile(r"第(十[三四五])个五年")


def plan_end_year(text: str) -> int | None:
    """The last year of the five-year plan a text names (“十四五”期间, 第十四个五年规划 → 2025), or None."""
    text = _LONG_PLAN_NAME.sub(lambda m: m.group(1) + "五", text)
    return next((year for name, year in FIVE_YEAR_PLANS.items() if name in text), None)
