"""What every exported or printed document carries: its metadata as label/value rows, and a citation block that says
what the text is, who issued it, when, and where in which source it was read (pure functions)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from gongbao.model import Document

DATE_LABELS = {"adopted": "通过日期", "issued": "成文日期", "published": "公布日期", "effective": "施行日期",
               "delivered": "报告日期", "expires": "有效期至"}  # fmt: skip
_DATE_VERBS = {"adopted": "通过", "issued": "印发", "published": "公布", "effective": "起施行", "delivered": "作"}
STATUS_LABELS = {"unknown": "效力未知"}


def metadata_rows(
    doc: Document, status: dict[str, Any] | None = None, level: str | None = None
) -> list[tuple[str, str]]:
    """(label, value) rows of what is known about a document, in reading order; nothing unknown is shown."""
    rows = [("标题", doc.title)]
    if doc.inner_title:
        rows.append(("印发文本", f"《{doc.inner_title}》"))
    rows += [(label, value) for label, value in (("文种", doc.doc_type), ("发布机关", doc.issuer),
                                                 ("文号", doc.doc_number), ("效力级别", level)) if value]  # fmt: skip
    rows += [(DATE_LABELS.get(kind, kind), day) for kind, day in doc.dates.items()]
    if status:
        label = STATUS_LABELS.get(status["status"], status["status"])
        rows.append(("效力", f"{label}（{status['as_of']}）"))
    rows.append(("来源", source_line(doc)))
    rows.append(("文档编号", doc.id))
    return rows


def source_line(doc: Document) -> str:
    src = doc.source
    return f"{src.file} 第{src.start_line}–{src.end_line}行"


def citation(doc: Document) -> str:
    """《山西省消费者权益保护条例》（山西省人民代表大会常务委员会2023年11月30日通过，2024年1月1日起施行）。来源：
    000_644bd53d4fe8cae3.txt 第2519–3121行，gongbao 文档 635373a407f0。"""
    what = [doc.issuer or ""]
    dates = [f"{_zh_date(day)}{_DATE_VERBS[kind]}" for kind, day in doc.dates.items() if kind in _DATE_VERBS]
    if doc.doc_number:
        what.append(doc.doc_number)
    said = "，".join(x for x in ["".join(what[:1]) + (dates[0] if dates else ""), *what[1:], *dates[1:]] if x)
    title = doc.title if doc.title.startswith("《") else f"《{doc.title}》"
    return f"{title}{f'（{said}）' if said else ''}。来源：{source_line(doc)}，gongbao 文档 {doc.id}。"


def _zh_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


# characters XML 1.0 cannot hold (C0 controls other than tab, newline and return; surrogates; U+FFFE/U+FFFF):
# a damaged source may print them, an XML or Word export shows U+FFFD in their place
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def xml_safe_document(doc: Document) -> Document:
    """A copy of the document whose every string an XML-based format writes is XML-compatible."""

    def clean(value: Any) -> Any:
        return xml_safe(value) if isinstance(value, str) else value

    provisions = [
        replace(p, label=clean(p.label), text=clean(p.text), heading=clean(p.heading)) for p in doc.provisions
    ]
    references = [{k: clean(v) for k, v in r.items()} for r in doc.references]
    return replace(doc, title=clean(doc.title), inner_title=clean(doc.inner_title), doc_type=clean(doc.doc_type),
                   issuer=clean(doc.issuer), doc_number=clean(doc.doc_number), provisions=provisions,
                   references=references, source=replace(doc.source, file=clean(doc.source.file)))  # fmt: skip
