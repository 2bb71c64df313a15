"""One document as Akoma Ntoso 3.0 XML (OASIS LegalDocML): a pure function from gongbao.model records to bytes.

A text with articles is an <act>; any other text (report, notice, plan, list) a <doc> with a <mainBody>.  The FRBR
work URI is built from the stable document id: /akn/{country}/{act|doc}/{date}/{id} (country cn, or cn-XX for a
province by ISO 3166-2:CN), with the Chinese expression (zho@date) and the XML manifestation below it.  Every
provision is an element whose eId is its provision id (chp_1__art_5__para_2); 款 are <paragraph>, 项 and 目 are
<point>, headings and unnumbered paragraphs of texts without articles are <hcontainer>.  Citations are <ref href>:
to the cited work's URI when the corpus holds it, to the eId of the article when it is the document's own.
The source file and lines, the status and the 效力级别 go in <proprietary> and <classification>.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from lxml import etree

from gongbao.export.citation import xml_safe, xml_safe_document
from gongbao.link.agencies import region_of
from gongbao.link.status import period_start
from gongbao.model import Document, Provision

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
GB_NS = "https://gongbao.invalid/ns/akn-proprietary/1"  # our own namespace for what AKN has no element for
_A = f"{{{AKN_NS}}}"

# ISO 3166-2:CN codes of the provincial-level divisions (a fact list)
PROVINCE_CODES = {
    "北京市": "bj", "天津市": "tj", "河北省": "he", "山西省": "sx", "内蒙古自治区": "nm", "辽宁省": "ln",
    "吉林省": "jl", "黑龙江省": "hl", "上海市": "sh", "江苏省": "js", "浙江省": "zj", "安徽省": "ah",
    "福建省": "fj", "江西省": "jx", "山东省": "sd", "河南省": "ha", "湖北省": "hb", "湖南省": "hn",
    "广东省": "gd", "广西壮族自治区": "gx", "海南省": "hi", "重庆市": "cq", "四川省": "sc", "贵州省": "gz",
    "云南省": "yn", "西藏自治区": "xz", "陕西省": "sn", "甘肃省": "gs", "青海省": "qh", "宁夏回族自治区": "nx",
    "新疆维吾尔自治区": "xj", "台湾省": "tw",
}  # fmt: skip
_ELEMENT = {"part": "part", "chapter": "chapter", "section": "section", "article": "article",
            "paragraph": "paragraph", "item": "point", "subitem": "point"}  # fmt: skip
_DATE_ORDER = ("adopted", "issued", "published", "effective", "delivered")


@dataclass(frozen=True)
class Work:
    """The FRBR identity of a document."""

    uri: str  # work: /akn/cn-sx/act/2023-11-30/2fcd77998da3
    date: str
    date_name: str
    expression: str  # /akn/…/zho@2024-01-01
    expression_date: str


def work_of(doc: Document, has_articles: bool | None = None) -> Work:
    """The work and expression URIs of a document, from its stable id, its region, its kind and its first date."""
    kind = "act" if (doc.has_articles if has_articles is None else has_articles) else "doc"
    region = region_of(doc.issuer, doc.title, "")
    country = f"cn-{PROVINCE_CODES[region.province]}" if region.province in PROVINCE_CODES else "cn"
    name, day = next(((k, doc.dates[k]) for k in _DATE_ORDER if doc.dates.get(k)), ("unknown", None))
    if day is None and (start := period_start(doc)):
        name, day = "period", start
    day = day or "0001-01-01"  # no date printed or implied: the URI still names the work by its id
    expressed = doc.dates.get("effective") or day
    uri = f"/akn/{country}/{kind}/{day}/{doc.id}"
    return Work(uri, day, name, f"{uri}/zho@{expressed}", expressed)


def to_akn(
    doc: Document,
    *,
    status: dict[str, Any] | None = None,
    level: str | None = None,
    cited_work: Callable[[str], str | None] | None = None,
    generated: date | None = None,
) -> bytes:
    """The document as AKN XML (UTF-8, with declaration).  `cited_work(document_id)` gives the work URI of a cited
    document in the corpus (None: not known); `status` is Status.to_dict() on the export day; `level` the 效力级别."""
    doc = xml_safe_document(doc)
    work = work_of(doc)
    act = doc.has_articles
    root = etree.Element(_A + "akomaNtoso", nsmap={None: AKN_NS})
    top = etree.SubElement(root, _A + ("act" if act else "doc"), name=doc.doc_type or ("act" if act else "doc"))
    _meta(top, doc, work, status, level, generated or date.today())
    _preface(top, doc)
    refs = _refs_by_provision(doc, work, cited_work or (lambda _id: None))
    body = etree.SubElement(top, _A + ("body" if act else "mainBody"))
    _provisions(body, doc.provisions, refs)
    if len(body) == 0:  # a text with no provisions still has a body: its title
        block = etree.SubElement(body, _A + "hcontainer", eId="hcontainer_1", name="block")
        _p(etree.SubElement(block, _A + "content"), doc.title, 0, [])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ------------------------------------------------------------------------------------------------- metadata


def _meta(top, doc: Document, work: Work, status, level, generated: date) -> None:
    meta = etree.SubElement(top, _A + "meta")
    ident = etree.SubElement(meta, _A + "identification", source="#gongbao")
    country = work.uri.split("/")[2]
    frbr = etree.SubElement(ident, _A + "FRBRWork")
    _el(frbr, "FRBRthis", value=f"{work.uri}/!main")
    _el(frbr, "FRBRuri", value=work.uri)
    _el(frbr, "FRBRalias", value=doc.title, name="title")
    _el(frbr, "FRBRdate", date=work.date, name=work.date_name)
    _el(frbr, "FRBRauthor", href="#issuer")
    _el(frbr, "FRBRcountry", value=country)
    if doc.doc_number:
        _el(frbr, "FRBRnumber", value=doc.doc_number, showAs=doc.doc_number)
    expr = etree.SubElement(ident, _A + "FRBRExpression")
    _el(expr, "FRBRthis", value=f"{work.expression}/!main")
    _el(expr, "FRBRuri", value=work.expression)
    _el(expr, "FRBRdate", date=work.expression_date, name="effective" if doc.dates.get("effective") else work.date_name)
    _el(expr, "FRBRauthor", href="#issuer")
    _el(expr, "FRBRlanguage", language="zho")
    manif = etree.SubElement(ident, _A + "FRBRManifestation")
    _el(manif, "FRBRthis", value=f"{work.expression}/!main.xml")
    _el(manif, "FRBRuri", value=f"{work.expression}.akn")
    _el(manif, "FRBRdate", date=generated.isoformat(), name="generation")
    _el(manif, "FRBRauthor", href="#gongbao")
    if level:
        classification = etree.SubElement(meta, _A + "classification", source="#gongbao")
        _el(classification, "keyword", value=level, showAs=level, dictionary="效力级别")
    lifecycle = etree.SubElement(meta, _A + "lifecycle", source="#gongbao")
    for i, (kind, day) in enumerate(sorted(doc.dates.items(), key=lambda kv: kv[1]), 1):
        _el(
            lifecycle,
            "eventRef",
            eId=f"evt_{i}",
            date=day,
            source="#original",
            type=_event_type(kind),
            refersTo=f"#{kind}",
        )
    if len(lifecycle) == 0:
        meta.remove(lifecycle)
    references = etree.SubElement(meta, _A + "references", source="#gongbao")
    _el(references, "original", eId="original", href=work.expression, showAs=doc.source.file)
    _el(references, "TLCOrganization", eId="gongbao", href="/ontology/organization/gongbao", showAs="gongbao")
    issuer = doc.issuer or "未载明"
    _el(
        references,
        "TLCOrganization",
        eId="issuer",
        href=f"/ontology/organization/{country}/{_slug(issuer)}",
        showAs=issuer,
    )
    for kind in sorted(doc.dates):
        _el(references, "TLCEvent", eId=kind, href=f"/ontology/event/{kind}", showAs=kind)
    proprietary = etree.SubElement(meta, _A + "proprietary", source="#gongbao")
    gb = etree.SubElement(proprietary, f"{{{GB_NS}}}gongbao", nsmap={"gb": GB_NS})
    src = doc.source
    etree.SubElement(gb, f"{{{GB_NS}}}source", file=src.file, sha256=src.sha256, start_line=str(src.start_line),
                     end_line=str(src.end_line))  # fmt: skip
    if status:
        etree.SubElement(gb, f"{{{GB_NS}}}status", **{k: xml_safe(str(v)) for k, v in status.items() if v is not None})


def _event_type(kind: str) -> str:
    return "repeal" if kind == "expires" else "generation"


def _preface(top, doc: Document) -> None:
    preface = etree.SubElement(top, _A + "preface")
    title = etree.SubElement(preface, _A + "longTitle")
    _el(title, "p").text = doc.title
    if doc.inner_title:
        p = _el(preface, "p", **{"class": "innerTitle"})
        p.text = f"《{doc.inner_title}》"
    if doc.doc_number:
        _el(_el(preface, "p"), "docNumber").text = doc.doc_number
    for kind in _DATE_ORDER:
        if doc.dates.get(kind):
            _el(_el(preface, "p"), "docDate", date=doc.dates[kind], refersTo=f"#{kind}").text = doc.dates[kind]


# --------------------------------------------------------------------------------------------------- body


@dataclass(frozen=True)
class _Ref:
    offset: int
    text: str
    href: str


def _refs_by_provision(doc: Document, work: Work, cited_work: Callable[[str], str | None]) -> dict[str, list[_Ref]]:
    """Each provision's citations that can be linked: to a work in the corpus, or to one of its own provisions."""
    out: dict[str, list[_Ref]] = {}
    for r in doc.references:
        pid, target = r.get("provision_id"), r.get("target") or r.get("target_id")
        if pid is None or not target or r.get("offset") is None:
            continue
        if target == doc.id:
            own = r.get("target_provision")
            href = f"#{own}" if own else f"{work.uri}"
        else:
            cited = cited_work(target)
            if not cited:
                continue
            own = r.get("target_provision")
            href = f"{cited}/~{own}" if own else cited  # the AKN form of a portion of another work
        out.setdefault(pid, []).append(_Ref(int(r["offset"]), r["text"], href))
    return out


def _provisions(parent, provisions: list[Provision], refs: dict[str, list[_Ref]]) -> None:
    children: dict[str | None, list[Provision]] = {}
    for p in provisions:
        children.setdefault(p.parent, []).append(p)
    known = {p.id for p in provisions}
    roots = [p for p in provisions if p.parent is None or p.parent not in known]
    seen: set[str] = set()
    for p in roots:
        _provision(parent, p, children, refs, seen)


def _provision(parent, p: Provision, children, refs, seen: set[str]) -> None:
    kids = children.get(p.id, [])
    eid = p.id if p.id not in seen else f"{p.id}_{len(seen)}"
    seen.add(eid)
    name = _ELEMENT.get(p.kind)
    el = _el(parent, name, eId=eid) if name else _el(parent, "hcontainer", eId=eid, name=p.kind)
    if p.label:
        _el(el, "num").text = p.label
    if p.heading:
        _inline(_el(el, "heading"), p.heading, 0, _heading_refs(p, refs))
    text_refs = _text_refs(p, refs)
    line_kids = [k for k in kids if k.kind in ("item", "subitem")]
    if p.kind == "article" and any(k.kind == "paragraph" for k in kids):
        for k in kids:  # the article's text is its paragraphs' text
            _provision(el, k, children, refs, seen)
    elif line_kids and p.text:
        _with_points(el, p, kids, children, refs, text_refs, seen)
    elif kids:
        if p.text:
            _lines(_el(el, "intro"), p.text, text_refs)
        for k in kids:
            _provision(el, k, children, refs, seen)
    elif p.text:
        _lines(_el(el, "content"), p.text, text_refs)
    elif p.kind in ("article", "paragraph", "item", "subitem"):
        _el(_el(el, "content"), "p")  # an empty article still has content


def _with_points(el, p: Provision, kids, children, refs, text_refs, seen) -> None:
    """A paragraph whose text prints its items (（一）…) line by line: the lines before the first item are the intro,
    each item's lines are its <point> (and its 目 the points inside); the item provisions give eId and number."""
    if not _points(el, _split_lines(p.text), kids, children, refs, text_refs, seen):
        _lines(_el(el, "intro"), p.text, text_refs)  # the items are not where the text prints them
        for k in kids:
            _provision(el, k, children, refs, seen)


def _points(el, lines: list[tuple[str, int]], kids, children, refs, text_refs, seen) -> bool:
    starts: list[tuple[int, Provision]] = []
    at = 0
    for k in kids:
        found = next((i for i in range(at, len(lines)) if k.label and lines[i][0].lstrip().startswith(k.label)), None)
        if found is None:
            return False
        starts.append((found, k))
        at = found + 1
    if starts[0][0] > 0:
        intro = _el(el, "intro")
        for text, offset in lines[: starts[0][0]]:
            _p(intro, text, offset, text_refs)
    bounds = [s for s, _k in starts] + [len(lines)]
    for (first, k), end in zip(starts, bounds[1:], strict=True):
        point = _el(el, _ELEMENT.get(k.kind, "point"), eId=k.id)
        seen.add(k.id)
        _el(point, "num").text = k.label
        own = lines[first:end]
        head, offset = own[0]
        rest = head[head.find(k.label) + len(k.label) :]
        own[0] = (rest.lstrip(), offset + len(head) - len(rest.lstrip()))
        grandchildren = children.get(k.id, [])
        if grandchildren and _points_fit(own, grandchildren):
            _points(point, own, grandchildren, children, refs, text_refs, seen)
            continue
        if grandchildren:  # 目 not where the text prints them: the text as the intro, then each 目 from its own text
            intro = _el(point, "intro")
            for text, at in own:
                _p(intro, text, at, text_refs)
            for g in grandchildren:
                _provision(point, g, children, refs, seen)
            continue
        content = _el(point, "content")
        for text, at in own:
            _p(content, text, at, text_refs)
    return True


def _points_fit(lines: list[tuple[str, int]], kids: list[Provision]) -> bool:
    at = 0
    for k in kids:
        found = next((i for i in range(at, len(lines)) if k.label and lines[i][0].lstrip().startswith(k.label)), None)
        if found is None:
            return False
        at = found + 1
    return True


def _split_lines(text: str) -> list[tuple[str, int]]:
    out, offset = [], 0
    for line in text.split("\n"):
        out.append((line, offset))
        offset += len(line) + 1
    return out


def _lines(parent, text: str, refs: list[_Ref]) -> None:
    for line, offset in _split_lines(text):
        _p(parent, line, offset, refs)


def _p(parent, text: str, offset: int, refs: list[_Ref]) -> None:
    _inline(_el(parent, "p"), text, offset, refs)


def _inline(el, text: str, offset: int, refs: list[_Ref]) -> None:
    """`text` (which starts at `offset` of its provision's text) into `el`, each citation in it as a <ref>."""
    here = sorted((r for r in refs if offset <= r.offset and r.offset + len(r.text) <= offset + len(text)),
                  key=lambda r: r.offset)  # fmt: skip
    pos, last = 0, None
    el.text = ""
    for r in here:
        start = r.offset - offset
        if start < pos or text[start : start + len(r.text)] != r.text:
            continue  # overlapping (a 〈〉 inside a 《》) or not where it says
        chunk = text[pos:start]
        if last is None:
            el.text += chunk
        else:
            last.tail = (last.tail or "") + chunk
        last = _el(el, "ref", href=r.href)
        last.text = r.text
        pos = start + len(r.text)
    if last is None:
        el.text += text[pos:]
    else:
        last.tail = (last.tail or "") + text[pos:]


def _text_refs(p: Provision, refs: dict[str, list[_Ref]]) -> list[_Ref]:
    """References found in a heading provision count their offsets in "heading text"; shift them into the text."""
    found = refs.get(p.id, [])
    if p.kind != "heading" or not p.heading:
        return found
    shift = len(p.heading) + 1
    return [_Ref(r.offset - shift, r.text, r.href) for r in found if r.offset >= shift]


def _heading_refs(p: Provision, refs: dict[str, list[_Ref]]) -> list[_Ref]:
    return [r for r in refs.get(p.id, []) if p.kind == "heading" and r.offset < len(p.heading or "")]


def _el(parent, tag: str, **attrs: str):
    return etree.SubElement(parent, _A + tag, **{k: v for k, v in attrs.items() if v is not None})


def _slug(name: str) -> str:
    return re.sub(r"[\s/#?%]+", "-", name).strip("-") or "unknown"
