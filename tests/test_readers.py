"""Word, web pages, Markdown and Traditional script: each goes through the same pipeline as text, with provenance to
its paragraphs.  The .docx and .html inputs are written by the tests (python-docx, plain strings)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from gongbao.ingest import expand, ingest_paths
from gongbao.parse.read import ReadError, read_source
from gongbao.parse.script import is_traditional, search_form
from gongbao.pipeline import parse_file
from gongbao.store import open_corpus

ARTICLES = [
    "第一条　为了加强城市供水管理，保障供水安全，根据有关法律、法规，结合本省实际，制定本办法。",
    "第二条　本省行政区域内城市供水的规划、建设、经营和管理，适用本办法。",
    "第三条　县级以上人民政府城市供水主管部门负责本行政区域内的城市供水管理工作。",
]


def _field_paragraph(document, instruction: str, result: str) -> None:
    """A paragraph holding a Word field: its instruction (TOC, PAGEREF …) and the result Word printed."""
    p = document.add_paragraph()
    xml = (
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r {nsdecls('w')}><w:t>{result}</w:t></w:r>"
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'
    )
    for run in parse_xml(f"<w:p {nsdecls('w')}>{xml}</w:p>"):
        p._p.append(run)


def write_docx(path: Path) -> Path:
    document = new_docx()
    title = document.add_paragraph("山西省人民政府\n关于印发山西省城市供水管理办法的通知")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number = document.add_paragraph("晋政发〔2023〕5号")
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("各市、县人民政府，省人民政府各委、办、厅、局：")
    document.add_paragraph("现将《山西省城市供水管理办法》印发给你们，请认真贯彻执行。")
    heading = document.add_paragraph("山西省城市供水管理办法")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in ARTICLES:
        document.add_paragraph(text)
    _field_paragraph(document, "PAGEREF _Toc1234 \\h", "供水单位名单见第3页。")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("序号", "水厂", "日供水能力"), ("1", "城南水厂", "10万吨"), ("2", "城北水厂", "8万吨")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.save(str(path))
    return path


def test_a_docx_goes_through_the_pipeline_with_paragraph_provenance(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "notice.docx")
    source = read_source(path)
    assert source.encoding.startswith("docx")
    issue = parse_file(path)
    assert len(issue.documents) == 1
    doc = issue.documents[0]
    assert doc.inner_title == "山西省城市供水管理办法"
    assert doc.doc_number == "晋政发〔2023〕5号"
    articles = [p for p in doc.provisions if p.kind == "article"]
    assert [p.number for p in articles] == [1, 2, 3]
    for p in articles:  # each article is one paragraph of the .docx: its line is that paragraph
        assert source.lines[p.start_line - 1].strip() == ARTICLES[p.number - 1]
    texts = "\n".join(p.text for p in doc.provisions)
    assert "PAGEREF" not in texts and "_Toc" not in texts  # the field's instruction is dropped …
    assert "供水单位名单见第3页。" in texts  # … its printed result is kept
    assert "城南水厂\t10万吨" in "\n".join(source.lines)  # a table row: its cells, tab-separated


def test_a_damaged_docx_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    good = write_docx(tmp_path / "good.docx")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(ReadError, match=r"bad\.docx.*damaged"):
        read_source(bad)


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>山西省人民政府门户网站</title>
<script>var menu = "首页";</script><style>.nav {color: red}</style></head>
<body>
<div class="header"><a href="/">首页</a> <a href="/zw">政务公开</a> <a href="/fw">办事服务</a></div>
<ul class="nav-menu"><li><a href="/a">政府信息公开目录</a></li><li><a href="/b">互动交流平台入口</a></li></ul>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 政府文件</div>
<div class="main"><div class="article">
<h1>山西省城市供水管理办法</h1>
<p style="text-align:center">（2023年3月1日山西省人民政府第5次常务会议通过）</p>
{paragraphs}
</div>
<div class="share">分享到：微信 微博</div></div>
<div class="footer">主办：山西省人民政府办公厅　网站标识码1400000000　晋ICP备05000000号</div>
</body></html>"""


def write_html(path: Path) -> Path:
    path.write_text(PAGE.replace("{paragraphs}", "\n".join(f"<p>{t}</p>" for t in ARTICLES)), encoding="utf-8")
    return path


def test_a_saved_web_page_keeps_its_main_text_and_drops_menus(tmp_path: Path) -> None:
    path = write_html(tmp_path / "page.html")
    source = read_source(path)
    text = "\n".join(source.lines)
    for chrome in ("首页", "政府信息公开目录", "当前位置", "分享到", "网站标识码", "var menu"):
        assert chrome not in text
    issue = parse_file(path)
    [doc] = issue.documents
    assert doc.title == "山西省城市供水管理办法"
    assert [p.number for p in doc.provisions if p.kind == "article"] == [1, 2, 3]


def test_a_folder_takes_pdf_docx_html_and_markdown_beside_text(tmp_path: Path, db: Path) -> None:
    write_docx(tmp_path / "a.docx")
    write_html(tmp_path / "b.html")
    (tmp_path / "c.md").write_text("# 山西省城市供水管理办法\n\n" + "\n\n".join(ARTICLES) + "\n", encoding="utf-8")
    (tmp_path / "d.png").write_bytes(b"\x89PNG\r\n")
    files = expand([tmp_path])
    assert [f.name for f in files] == ["a.docx", "b.html", "c.md"]
    with open_corpus(db) as store:
        report = ingest_paths(store, files)
    assert report.errors == []
    assert [r.articles for r in report.results] == [3, 3, 3]


TRADITIONAL = """中華人民共和國香港特別行政區郵政條例

（2020年6月30日香港特別行政區立法會通過）

第一條　為了規範郵政服務，保障郵件安全，根據《中華人民共和國香港特別行政區基本法》，制定本條例。

第二條　郵政署負責本條例的實施。郵件的寄遞應當遵守本條例關於國際郵件的規定。

第三條　違反本條例規定，擅自經營郵件寄遞業務的，由郵政署責令改正，處以罰款。
"""


def test_traditional_text_is_parsed_kept_as_printed_and_found_by_simplified_queries(
    tmp_path: Path, db: Path, cli
) -> None:
    path = tmp_path / "hk.txt"
    path.write_text(TRADITIONAL, encoding="utf-8")
    assert is_traditional(TRADITIONAL.splitlines())
    issue = parse_file(path)
    [doc] = issue.documents
    assert doc.title == "中華人民共和國香港特別行政區郵政條例"  # as printed
    articles = [p for p in doc.provisions if p.kind == "article"]
    assert [p.number for p in articles] == [1, 2, 3]
    assert articles[1].text == "郵政署負責本條例的實施。郵件的寄遞應當遵守本條例關於國際郵件的規定。"
    assert issue.source.lines == tuple(TRADITIONAL.splitlines())  # the stored source is the print
    assert cli("ingest", str(path)).exit_code == 0
    for query in ("邮政署 责令改正", "郵政署 責令改正"):  # Simplified, and Traditional as typed in Hong Kong
        hits = json.loads(cli("search", query, "--json").stdout)
        assert (hits and hits[0]["label"] == "第三条") or hits[0]["label"] == "第三條", hits


def test_a_traditional_query_finds_a_simplified_text(cli) -> None:
    assert cli("ingest").exit_code == 0  # the bundled (Simplified) samples
    hits = json.loads(cli("search", "民營經濟 發展", "--json", "--limit", "3").stdout)
    assert hits and all("民营经济" in h["title"] for h in hits)


def test_simplified_text_is_left_alone_by_the_search_form() -> None:
    text = "第十九条　县级以上人民政府应当加强民营经济发展促进工作。"
    assert search_form(text) is text
    assert not is_traditional([text] * 5)
