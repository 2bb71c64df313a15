"""The real files of ../shared/corpus/real (where present): every one goes in, and what a reader of the printed
issue sees is what gongbao says.

Checked by hand against the printed pages (rendered with PDFium and read): 民法典 第五百条 is on page 94 (the
page is printed "94"), 第一千二百六十条 on the last page, 234; 国务院公报 1954年第一号: its 目录 (pages 1-2) lists 28
documents with the page each starts on, and the PDF's pages are numbered as printed (· 3 · on page 3): every listed
title starts a document on its page (the text layer spells some of them otherwise than the 目录: 苏雑埃/苏维埃,
一尤五四年/一九五四年), the 全国人大常委会 决定 and the 复员建设军人安置暂行办法 both on page 33; the two 清单
printed after the first letter (pp. 12-13) are documents the 目录 does not list.  基本法 booklet (170 pages): a
cover, a 目录 over pages 3-11 (no document), the 宪法 from page 13, the 主席令 第二十六号 on page 51 (printed 39),
the 基本法 from page 52 and 27 related texts each printed under a label 文件一 … 文件二十七 (文件四's title names
the 基本法, then 附件二 on a line of its own, then the annex).  The Hong Kong gazette (L.N. 136 of 2020) is the
notice on page 1 and the national-security law in its schedule on pages 2-17.  The 十四五 web page is one notice
(its heading repeats the plan's title).  Counts are those of the official texts: 民法典 1,260 articles, 香港基本法
160, 宪法 143, 香港国安法 66.  The scan (1989年第11号, 31 pages) is read without OCR here: the warning must name
its pages."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from gongbao.ingest import expand, ingest_paths
from gongbao.parse.read import read_source
from gongbao.store import Store

REAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "real"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus/real is not here")


@pytest.fixture(scope="module")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    mp = pytest.MonkeyPatch()
    mp.setenv("GONGBAO_OCR", "0")  # (the optional OCR extra would take minutes on the scan)
    db = tmp_path_factory.mktemp("real") / "real.db"
    files = [f for f in expand([REAL]) if f.name != "README.md"]
    with Store(db) as store:
        report = ingest_paths(store, files)
    mp.undo()
    return db, report


def _articles(store: Store, title: str) -> list:
    doc = store.find_document(title)
    return [p for p in doc.provisions if p.kind == "article"]


def test_every_real_file_goes_in_without_an_error(real_db) -> None:
    _db, report = real_db
    assert report.errors == []
    assert len(report.results) == 7
    scan = [w for w in report.warnings if "gwyb198911.pdf" in w]
    assert scan and "pages 1–31 of 31" in scan[0] and "OCR" in scan[0]


def test_civil_code_from_pdf_has_its_articles_on_their_pages(real_db) -> None:
    db, _ = real_db
    with Store(db) as store:
        articles = _articles(store, "中华人民共和国民法典")
        assert [p.number for p in articles] == list(range(1, 1261))
        page = {p.number: p.page for p in articles}
        assert page[500] == 94 and page[1260] == 234
        assert all(a.page <= b.page for a, b in itertools.pairwise(articles))


def _listed_pages(path: Path) -> list[int]:
    """The page numbers the 目录 of an issue gives, read from the extracted text before its first document."""
    lines = read_source(path).lines
    end = next(i for i, t in enumerate(lines) if i > 5 and not _LISTED.search(t) and not _LISTED_HEAD.search(t))
    return [int(m.group(1)) for t in lines[:end] if (m := _LISTED.search(t))]


_LISTED = re.compile(r"[(（]\s*(\d{1,3})\s*[)）]\s*$")
_LISTED_HEAD = re.compile(r"^目\s*录$|[^。，]$")  # the heading, or the first line of an entry that wraps


def test_gazette_1954_documents_start_on_the_pages_its_contents_gives(real_db) -> None:
    db, _ = real_db
    listed = Counter(_listed_pages(REAL / "gwyb1954_01" / "gwyb195401.pdf"))
    assert sum(listed.values()) == 28
    with Store(db) as store:
        docs = [store.find_document(d.id) for d in store.list_documents(file="gwyb195401.pdf")]
        starts = Counter(d.source.page for d in docs)
        assert all(starts[page] >= n for page, n in listed.items()), (listed, starts)
        assert all(d.source.page >= 3 for d in docs)  # the 目录 (pages 1-2) is no document
        for title in ("全国人民代表大会常务委员会关于同外国缔结条约的批准手续的决定", "复员建设军人安置暂行办法"):
            assert store.find_document(title).source.page == 33


def test_basic_law_booklet_contents_pages_are_no_documents_and_each_related_text_is_one(real_db) -> None:
    db, _ = real_db
    path = REAL / "basiclaw_tc" / "basiclaw_full_text_tc.pdf"
    lines = read_source(path).lines
    with Store(db) as store:
        docs = [store.find_document(d.id) for d in store.list_documents(file=path.name)]
        assert min(d.source.page for d in docs) == 13  # cover and 目录 (pages 1-11) are the booklet's, not texts
        order = store.find_document("中華人民共和國主席令")
        assert (order.source.page, order.doc_number) == (51, "第二十六号")
        first_lines = [lines[d.source.start_line - 1].strip() for d in docs]
        labelled = [t for t in first_lines if re.fullmatch(r"文件[一二三四五六七八九十]+", t)]
        assert len(labelled) == 27


def test_basic_law_in_traditional_script_is_found_by_a_simplified_query(real_db, cli) -> None:
    db, _ = real_db
    with Store(db) as store:
        docs = store.list_documents(file="basiclaw_full_text_tc.pdf")
        counts = [(d.title, len(_articles(store, d.id))) for d in docs]
        assert ("中華人民共和國香港特別行政區基本法", 160) in counts  # the Basic Law itself, title as printed
        assert 143 in [n for _title, n in counts]  # the Constitution printed before it (its title is weak)
        hk = [store.find_document(d.id) for d in store.list_documents(file="cs220202444136.pdf")]
        assert [(d.doc_type, d.source.page) for d in hk] == [("公告", 1), ("法", 2)]  # the notice, its schedule
        assert len(_articles(store, hk[1].id)) == 66  # 香港国安法
    hits = json.loads(cli("search", "香港特别行政区永久性居民", "--json", "--db", str(db), use_db=False).stdout)
    assert hits and any("基本法" in h["title"] for h in hits)
    assert all(h["source"].get("page") for h in hits if h["source"]["file"].endswith(".pdf"))


def test_word_and_markdown_issues(real_db) -> None:
    db, _ = real_db
    with Store(db) as store:
        docs = store.list_documents(file="gwyb199901.docx")
        assert len(docs) >= 10
        assert "国办发〔1999〕1号" in {d.doc_number for d in docs}
        [notice] = store.list_documents(file="十四五国家应急体系规划.md")  # (the page's heading is no document)
        assert notice.doc_number == "国发〔2021〕36号"
        assert notice.inner_title == "“十四五”国家应急体系规划"
