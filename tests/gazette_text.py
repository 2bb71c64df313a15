"""Helpers that build small gazette-like inputs for the tests (no expected values live here)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from gongbao.model import Paragraph, SourceText

RUNNING_HEADER = "\u3000山西省人民代表大会常务委员会公报２０２３\U001001706\u3000"


def source(lines: Iterable[str], file: str = "t.txt") -> SourceText:
    """A SourceText built directly from raw lines (line n is lines[n - 1])."""
    return SourceText(file=file, path=f"/nonexistent/{file}", sha256="0" * 64, encoding="utf-8", lines=tuple(lines))


def spaced(lines: Iterable[str]) -> list[str]:
    """Every line followed by a blank line, as in PDF extractions of the 人大 gazettes."""
    out: list[str] = []
    for line in lines:
        out += [line, ""]
    return out


def gazette(text: str) -> str:
    """The lines of a triple-quoted block, each followed by a blank line, with a final newline."""
    return "\n".join(spaced(text.strip("\n").splitlines())) + "\n"


def hard_wrap(text: str, width: int = 22) -> list[str]:
    """Cut a paragraph into lines of `width` characters, the way a two-column PDF layout wraps it."""
    return [text[i : i + width] for i in range(0, len(text), width)]


def paragraphs(*texts: str) -> list[Paragraph]:
    """One paragraph per text, on source lines 1, 2, 3 …"""
    return [Paragraph(text=t, start_line=i, end_line=i) for i, t in enumerate(texts, 1)]


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def line_of(text: str, needle: str, exact: bool = False, nth: int = 1) -> int:
    """1-based number of the nth line of `text` that contains `needle` (or is exactly `needle`)."""
    seen = 0
    for n, line in enumerate(text.split("\n"), 1):
        if (line == needle) if exact else (needle in line):
            seen += 1
            if seen == nth:
                return n
    raise AssertionError(f"{needle!r} not in text")


def last_text_line(text: str) -> int:
    """1-based number of the last non-blank line of `text`."""
    lines = text.split("\n")
    return max(n for n, line in enumerate(lines, 1) if line.strip())


# A 公告 that promulgates a law, then the law itself (公告: lines 1-11 of gazette(); law: from its title on).
PROMULGATION = """
山西省人民代表大会常务委员会
公告
(第十八号)
«山西省民营经济发展促进条例»已由山西省第十四届人民代表大会常务委员会第六次会议于２０２３年１１月３０日通过,现予公布,自２０２４年１月１日起施行.
山西省人民代表大会常务委员会
２０２３年１１月３０日
山西省民营经济发展促进条例
(２０２３年１１月３０日山西省第十四届人民代表大会常务委员会第六次会议通过)
第一章　总　则
第一条　为了促进民营经济持续健康发展,根据有关法律、行政法规,结合本省实际,制定本条例.
第二条　本省行政区域内促进民营经济发展的相关工作,适用本条例.
第二章　公平竞争
第三条　各级人民政府应当依法平等对待各类经营主体.
第四条　本条例自２０２４年１月１日起施行.
"""

# A 印发 notice and the 办法 it promulgates: one document.
NOTICE_WITH_MEASURES = """
山西省人民政府办公厅关于印发山西省道路交通事故社会救助基金管理办法的通知
晋政办发〔2022〕91号
各市、县人民政府，省人民政府各委、办、厅、局：
《山西省道路交通事故社会救助基金管理办法》已经省人民政府同意，现印发给你们，请认真贯彻执行。
山西省人民政府办公厅
2022年11月21日
（此件公开发布）
山西省道路交通事故社会救助基金管理办法
第一章 总 则
第一条 为了加强道路交通事故社会救助基金管理，制定本办法。
第二条 本办法适用于本省行政区域内救助基金的筹集、使用和管理。
第二章 附 则
第三条 本办法自印发之日起施行。
"""

# Two personnel notices, each with its own 文号.
PERSONNEL = """
山西省人民政府
关于董刚等任免职的通知
晋政任〔2022〕56号
各市人民政府，省人民政府各委、办、厅、局：
省人民政府决定：
任命董刚为山西省教育厅副厅长；
免去王明的山西省教育厅副厅长职务。
山西省人民政府
2022年12月8日
山西省人民政府
关于梁栋任职的通知
晋政任〔2022〕59号
各市人民政府，省人民政府各委、办、厅、局：
省人民政府决定：
任命梁栋为山西省商务厅副厅长。
山西省人民政府
2022年12月9日
"""
