"""Agency names as printed → one normalised name with its level (province / city / county).

A document says 省发展改革委, 市发改委 or 朔州市发展和改革委员会; the region a 省 or 市 prefix stands for is read off
the document (its issuer, its title, the province it names most), and the short form is expanded through the alias
table in data/agencies.tsv.  Collective names (各县（市、区）政府, 市县政府, 省直各部门) stay one agency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# the provincial-level divisions (their full names; a fact list, not data about any sample)
PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省",
    "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区", "西藏自治区",
    "宁夏回族自治区", "新疆维吾尔自治区",
)  # fmt: skip
_PROVINCE = re.compile("|".join(PROVINCES))
_CITY = re.compile(r"^([\u4e00-\u9fff]{2,5}?(?:市|自治州|地区|盟))(?:人民政府|政府|人民代表大会|人大|委员会|$)")
_COUNTY = re.compile(r"^([\u4e00-\u9fff]{1,5}?(?:县|区|旗))(?:人民政府|人民代表大会|人大|$)")
_LEVEL_OF_PREFIX = {"省": "province", "市": "city", "县": "county", "区": "county", "乡": "township", "镇": "township"}
_BRACKETS = str.maketrans({"〔": "（", "〕": "）", "(": "（", ")": "）", "[": "（", "]": "）"})


@dataclass(frozen=True)
class Region:
    """Where a document's 省 / 市 / 县 prefixes point."""

    province: str | None = None
    city: str | None = None
    county: str | None = None


@dataclass(frozen=True)
class Agency:
    name: str  # normalised full name
    key: str  # the name without its region, expanded (生态环境厅): what 省生态环境厅 means in any province
    level: str | None  # province / city / county, None when unknown or not a government body


def region_of(issuer: str | None, title: str, text: str) -> Region:
    """The region a document speaks for: its issuer's (朔州市人民政府 → city 朔州市), and the province it names."""
    head = re.sub(r"\s", "", issuer or "") or re.sub(r"\s", "", title)
    province = _PROVINCE.match(head)
    if province:
        head = head[province.end() :]
    city = _CITY.match(head) if not (province and head.startswith(("人民", "人大"))) else None
    county = _COUNTY.match(head[city.end(1) :] if city else head) if not province or city else None
    named = _PROVINCE.findall(text)
    # the province named most often; of several named as often, the first named (not a set's order, which changes
    # with the interpreter's hash seed: the same file ingested twice got two provinces)
    prov = province.group() if province else (max(dict.fromkeys(named), key=named.count) if named else None)
    if city and city.group(1) in PROVINCES:
        prov, city = city.group(1), None
    return Region(prov, city.group(1) if city else None, county.group(1) if county else None)


@dataclass(frozen=True)
class _Aliases:
    parts: dict[str, str]  # 发改委 → 发展和改革委员会 (after a region prefix)
    whole: dict[str, str]  # 团省委 → 共青团{province}委员会
    patterns: tuple[tuple[re.Pattern[str], str], ...]  # 人行(X)中心支行 → 中国人民银行\1中心支行


@lru_cache(maxsize=1)
def _aliases() -> _Aliases:
    parts: dict[str, str] = {}
    whole: dict[str, str] = {}
    patterns: list[tuple[re.Pattern[str], str]] = []
    text = resources.files("gongbao").joinpath("data/agencies.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        short, full = line.split("\t")[:2]
        if short.startswith("="):
            whole[short[1:]] = full
        elif short.startswith("~"):
            patterns.append((re.compile(short[1:]), full))
        else:
            parts[short] = full
    return _Aliases(parts, whole, tuple(patterns))


def normalize(printed: str, region: Region | None = None) -> Agency:
    """省发展改革委 → 山西省发展和改革委员会 (province); 各县（市、区）政府 → 各县（市、区）人民政府 (county)."""
    region = region or Region()
    name = re.sub(r"\s", "", printed).translate(_BRACKETS).rstrip("等")
    aliases = _aliases()
    if name in aliases.whole:
        return Agency(aliases.whole[name].replace("{province}", region.province or "省"), name, None)
    for pattern, template in aliases.patterns:
        if m := pattern.fullmatch(name):
            return Agency(m.expand(template), name, None)
    if name.startswith(_COLLECTIVE_STARTS) or _SEVERAL_LEVELS.match(name):
        return _collective(name)
    level, place, rest = _split_region(name, region)
    full = aliases.parts.get(rest, rest)
    key = full.replace("{region}", "")
    named = full.replace("{region}", place or "") if "{region}" in full else (place or "") + full
    return Agency(named, key, level)


# bodies of every unit of a level, or of several levels: 各市人民政府, 省直各部门, 县级以上人民政府X主管部门,
# 市县政府, 省、市物业行政主管部门, 县（市、区）住房城乡建设主管部门
_COLLECTIVE_STARTS = (
    "各",
    "省直",
    "市直",
    "县直",
    "省级",
    "市级",
    "县级",
    "设区的",
    "设区市",
    "乡级",
    "乡（镇）",
    "乡镇",
)
_SEVERAL_LEVELS = re.compile(
    r"^[省市县区乡](?:、?[省市县区乡镇](?![场村]))+|^县（市(?:、区)?）|^[市县]（区）"
)  # not 省市场…


def _collective(name: str) -> Agency:
    """各市人民政府, 各县（市、区）政府, 市县政府, 省直各部门: one agency, at the level of its first unit."""
    full = re.sub(r"政府$", "人民政府", name) if not name.endswith("人民政府") else name
    first = next((c for c in name.lstrip("各") if c in _LEVEL_OF_PREFIX), None)
    return Agency(full, full, _LEVEL_OF_PREFIX.get(first or ""))


def _split_region(name: str, region: Region) -> tuple[str | None, str | None, str]:
    """(level, region name, the rest): 省生态环境厅 → (province, 山西省, 生态环境厅)."""
    province = _PROVINCE.match(name)
    if province:
        rest = name[province.end() :]
        city = _CITY.match(rest) or None
        if city and rest[city.end(1) :]:
            return "city", province.group() + city.group(1), rest[city.end(1) :]
        return "province", province.group(), rest
    for place, level in ((region.city, "city"), (region.county, "county")):
        if place and name.startswith(place) and len(name) > len(place):
            return level, place, name[len(place) :]
    city = _CITY.match(name)
    if city and len(name) > len(city.group(1)) and not name.startswith(("市", "省", "县")):
        return "city", city.group(1), name[city.end(1) :]
    county = re.match(r"^([\u4e00-\u9fff]{1,3}[县区旗])(?=人民政府|政府)", name)
    if county:
        return "county", county.group(1), name[county.end(1) :]
    # 省 / 市 / 县 stand for the document's own region; the prefix stays as printed when the region is not known
    if name.startswith("省") and len(name) > 2:
        return "province", region.province or "省", name[1:]
    if name.startswith("市") and len(name) > 2 and not name.startswith("市场"):  # 市场监督管理部门: no prefix
        if not region.city and region.province and region.province.endswith("市"):  # 上海市: 市 is the province
            return "province", region.province, name[1:]
        return "city", region.city or "市", name[1:]
    if name.startswith(("县", "区")) and len(name) > 2:
        return "county", region.county or name[0], name[1:]
    return None, None, name


def query_matches(query: str) -> tuple[str, str | None, str]:
    """What a user's agency query means: (normalised name, level, key).  省生态环境厅 → (省生态环境厅, province,
    生态环境厅): any province's 生态环境厅; 山西省生态环境厅 → that one."""
    a = normalize(query)
    return a.name, a.level, a.key
