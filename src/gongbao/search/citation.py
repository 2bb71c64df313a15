"""Citation lookup: a query that names a text (and perhaps a provision of it) → that text and provision.

  read      the query's parts: the text's name (《X》, or X ending in a type word such as 条例), the provision
            (第N条, 第N条之M, 第N款, 第（N）项; Chinese or ASCII numerals), or a 文号 (晋政办发〔2022〕45号)
  resolve   the name against the corpus's titles as the link stage keys citations (refs.title_key: no spaces or
            brackets, 草案 and (试行) dropped), then, in that order: the same key, a title that ends with it (the name
            without its province or 中华人民共和国), an abbreviation (the name's characters in order in the title and
            the same type word: 垃圾条例 → 山西省城乡垃圾管理条例); among equals, the text with articles
  provision the article, its 款 (the n-th paragraph) and 项 (the item numbered n) in the document's provisions
  closest   when nothing resolves: the titles sharing the most character pairs with the name, for "did you mean"

Pure: reads only the title rows and provisions it is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gongbao.link.refs import title_key
from gongbao.model import Provision
from gongbao.parse.doctypes import title_type
from gongbao.parse.meta import normalize_doc_number
from gongbao.parse.numerals import zh_to_int

_N = r"[〇零一二三四五六七八九十百千两\d０-９]+"
_PROVISION = re.compile(
    rf"第\s*({_N})\s*条(?:之\s*({_N}))?(?:\s*第\s*({_N})\s*款)?(?:\s*第?\s*[（(]?\s*({_N})\s*[）)]?\s*项)?"
)
_QUOTED_TITLE = re.compile(r"《((?:[^《》]|《[^《》]{1,100}》){2,120})》")  # one 《》 may sit inside: 实施《X法》办法
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d+\s*号")
# a name typed without 《》: the query is only the name (and a provision), and the name ends in a type word
_BARE_NAME = re.compile(r"^[\u4e00-\u9fff（）()〈〉《》、，·“”\d]{2,80}$")
_PLACE = re.compile(r"^(?:中华人民共和国|.{2,8}?(?:省|自治区|市|自治州|县|区))")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_NAME_TYPES = ("法", "条例", "办法", "规定", "细则", "实施细则", "规则", "决定", "解释", "意见", "方案", "通知", "规划")


@dataclass
class Cited:
    """What a query cites: a text by name (or by 文号) and maybe a provision of it."""

    name: str | None  # the text's name as typed (without 《》)
    quoted: bool  # typed in 《》
    article: int | None = None
    article_sub: int | None = None  # 第N条之M
    paragraph: int | None = None  # 第N款
    item: int | None = None  # 第（N）项
    doc_number: str | None = None
    rest: str = ""  # the query without the citation: what else to look for in the text


def _int(s: str | None) -> int | None:
    return zh_to_int(s.translate(_FULLWIDTH)) if s else None


def read(query: str) -> Cited | None:
    """The citation a query makes, or None when it makes none."""
    q = query.strip()
    m = _DOC_NUMBER.search(q)
    if m:
        number = normalize_doc_number(m.group())
        if number:
            return Cited(None, False, doc_number=number, rest=(q[: m.start()] + " " + q[m.end() :]).strip())
    prov = _PROVISION.search(q)
    head = (q[: prov.start()] if prov else q).strip()
    quoted = _QUOTED_TITLE.search(q)
    if _is_bare_name(head):  # the query opens with the name: 《X》第N条, X条例第N条, 北京市实施《…》办法第二十条
        whole = _QUOTED_TITLE.fullmatch(head)
        cited = Cited(whole.group(1) if whole else re.sub(r"\s", "", head), bool(whole))
        rest = q[prov.end() :] if prov else ""
    elif quoted:
        cited = Cited(quoted.group(1).strip(), True)
        rest = q[: quoted.start()] + " " + q[quoted.end() :]
    else:
        return None
    if prov and (not quoted or prov.start() >= quoted.end()):
        cited.article, cited.article_sub = _int(prov.group(1)), _int(prov.group(2))
        cited.paragraph, cited.item = _int(prov.group(3)), _int(prov.group(4))
        rest = rest.replace(prov.group(), " ")
    cited.rest = re.sub(r"\s+", " ", rest).strip()
    return cited


def _is_bare_name(name: str) -> bool:
    """A text's name as typed: Chinese (with the marks titles hold) ending in a type word (条例, 守则, 解释（三）,
    办法（试行）); or all of it in 《》; a 《》 inside it is followed by the rest of the name (实施《X法》办法)."""
    name = re.sub(r"\s", "", name)
    whole = _QUOTED_TITLE.fullmatch(name)
    if whole:
        name = whole.group(1)
    elif "》" in name and not re.search(r"》[^《》]+$", name):
        return False  # words before a 《title》 (罚款《X条例》): a question about the text, not its name
    if not _BARE_NAME.match(name) or len(name) <= 2:
        return False
    bare = re.sub(r"[《》〈〉]", "", name)
    return bare.endswith(_NAME_TYPES) or title_type(bare) is not None


# ----------------------------------------------------------------------------------------------- resolve


def without_place(key: str, places: frozenset[str] | None = None) -> str:
    """山西省城乡垃圾管理条例 → 城乡垃圾管理条例; 中华人民共和国行政处罚法 → 行政处罚法.  With `places` (the
    corpus's own, see places()) only those are taken off, else a name ending in 省, 市, 县 … is."""
    if places is not None:
        return key[_place_length(key, places) :]
    m = _PLACE.match(key)
    return key[m.end() :] if m and len(key) - m.end() >= 3 else key


_ISSUER_PLACE = re.compile(
    r"^([\u4e00-\u9fff]{2,12}?(?:省|自治区|特别行政区|市|自治州|州|地区|盟|自治县|县|自治旗|旗|区))"
    r"(?=人民|人大|第?[一二三四五六七八九十]+届|政府|委员会)"
)
_PLACES: dict[int, tuple[list[dict[str, Any]], frozenset[str]]] = {}


def places(titles: list[dict[str, Any]]) -> frozenset[str]:
    """The places the corpus's texts come from, read off their issuers (浙江省人民代表大会常务委员会 → 浙江省), and
    中华人民共和国: the prefixes a citation may leave out."""
    cached = _PLACES.get(id(titles))
    if cached is not None and cached[0] is titles:
        return cached[1]
    found = {"中华人民共和国"}
    for d in titles:
        m = _ISSUER_PLACE.match(d.get("issuer") or "")
        if m:
            found.add(m.group(1))
    _PLACES.clear()
    _PLACES[id(titles)] = (titles, frozenset(found))
    return _PLACES[id(titles)][1]


def _place_length(key: str, places: frozenset[str]) -> int:
    """Length of the places key opens with (山东省潍坊市…: both), leaving at least a type word and two more."""
    at = 0
    while True:
        step = max((len(p) for p in places if key.startswith(p, at)), default=0)
        if not step or len(key) - at - step < 3:
            return at
        at += step


def _subsequence(short: str, long: str) -> int | None:
    """How many separate pieces `short` falls into as a subsequence of `long` (None: it is not one)."""
    pieces, at, last = 0, 0, -2
    for ch in short:
        found = long.find(ch, at)
        if found < 0:
            return None
        pieces += found != last + 1
        last, at = found, found + 1
    return pieces


def _match(key: str, doc_key: str, places: frozenset[str]) -> float:
    """How well a typed name matches a title key: 3 the same; 2.9 the national text (中华人民共和国 + the name);
    2.5 the name after a place (every province's text alike: the query does not say which); 2.x the title ends
    with it; 1.x an abbreviation (its characters in order, the same type word), by the share of the title without
    its place it spells."""
    if key == doc_key:
        return 3.0
    if doc_key.endswith(key) and len(key) >= 4:
        prefix = doc_key[: -len(key)]
        if prefix == "中华人民共和国":
            return 2.9
        if _place_length(prefix + key, places) == len(prefix):
            return 2.5
        return 2.0 + 0.4 * len(key) / len(doc_key)
    kind = title_type(key) or key[-2:]
    if not doc_key.endswith(kind) or key[0] not in doc_key:
        return 0.0
    pieces = _subsequence(key, doc_key)
    if pieces is None or pieces > 3 or len(key) < 3:
        return 0.0
    subject = doc_key[_place_length(doc_key, places) :]
    return 1.0 + 0.9 * len(key) / max(len(subject), len(key)) / pieces


def resolve(cited: Cited, titles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The documents the citation names, best first (several when a short name fits several texts equally)."""
    tiers = resolve_tiers(cited, titles)
    return tiers[0] if tiers else []


def resolve_tiers(cited: Cited, titles: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The documents the name fits, in tiers of equal fit, best first: 劳动保障监察条例 is first the national text,
    then the provinces' texts of that name (where an article the national one lacks may be)."""
    if cited.doc_number:
        found = [d for d in titles if d["doc_number"] == cited.doc_number]
        return [found] if found else []
    if not cited.name:
        return []
    key = title_key(cited.name)
    known = places(titles)
    scored = []
    for d in titles:
        keys = [title_key(d["title"])] + ([title_key(d["inner_title"])] if d["inner_title"] else [])
        s = max(_match(key, k, known) for k in keys)
        if s > 0:
            # the text itself before a notice or 决定 about it; a later version before an earlier one
            scored.append((3.0 if s >= 3.0 else round(s, 6), bool(d["has_articles"]), _date(d), d))
    scored.sort(key=lambda r: (-r[0], not r[1], _neg(r[2])))
    tiers: list[list[dict[str, Any]]] = []
    for i, row in enumerate(scored):
        if i == 0 or row[0] != scored[i - 1][0]:
            tiers.append([])
        tiers[-1].append(row[3])
    return tiers


def _date(d: dict[str, Any]) -> str:
    dates = d["dates"]
    return next((dates[k] for k in ("effective", "issued", "published", "adopted") if dates.get(k)), "")


def _neg(date: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in date)


def closest(name: str, titles: list[dict[str, Any]], n: int = 5) -> list[str]:
    """Titles that share the most character pairs with the name (Dice coefficient), for a text not in the corpus."""
    key = without_place(title_key(name))
    pairs = {key[i : i + 2] for i in range(len(key) - 1)}
    if not pairs:
        return []
    scored = []
    for d in titles:
        t = title_key(d["inner_title"] or d["title"])
        tp = {t[i : i + 2] for i in range(len(t) - 1)}
        if tp:
            scored.append((2 * len(pairs & tp) / (len(pairs) + len(tp)), d["inner_title"] or d["title"]))
    scored.sort(key=lambda x: -x[0])
    return list(dict.fromkeys(t for s, t in scored if s > 0.2))[:n]


# ---------------------------------------------------------------------------------------------- provision


def provision(cited: Cited, provisions: list[Provision]) -> tuple[Provision, Provision] | None:
    """(the article, the deepest provision cited inside it) for 第N条[之M][第K款][第（J）项], or None."""
    if cited.article is None:
        return None
    article = next((p for p in provisions if p.kind == "article" and _is_article(p, cited)), None)
    if article is None:
        return None
    inner = article
    children = [p for p in provisions if p.parent == article.id]
    if cited.paragraph:
        paras = [p for p in children if p.kind == "paragraph"]
        if len(paras) >= cited.paragraph:
            inner = paras[cited.paragraph - 1]
            children = [p for p in provisions if p.parent == inner.id]
        elif cited.paragraph > 1:
            return article, article  # a 款 the article does not have: the article itself
    if cited.item:
        item = next((p for p in children if p.kind == "item" and p.number == cited.item), None)
        if item is None:  # an item of a single-paragraph article may sit under its (only) paragraph
            item = next(
                (p for p in provisions if p.kind == "item" and p.number == cited.item and _under(p, inner, provisions)),
                None,
            )
        inner = item or inner
    return article, inner


def _is_article(p: Provision, cited: Cited) -> bool:
    if p.number != cited.article:
        return False
    sub = re.search(r"之(.+?)$", p.label or "")
    return _int(sub.group(1)) == cited.article_sub if sub else cited.article_sub is None


def _under(p: Provision, ancestor: Provision, provisions: list[Provision]) -> bool:
    by_id = {x.id: x for x in provisions}
    while p.parent:
        if p.parent == ancestor.id:
            return True
        p = by_id.get(p.parent)
        if p is None:
            return False
    return False
