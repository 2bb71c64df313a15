"""The real files of ../shared/corpus/real (where present): every one goes in, and what a reader of the printed
issue sees is what gongbao says.

Checked by hand against the printed pages (rendered with PDFium and read): 民法典 第五百条 is on page 94 (the
page is printed "94"), 第一千二百六十条 on the last page, 234; 国务院公报 1954年第一号: the 全国人大常委会 决定 on the
ratification of treaties and the 复员建设军人安置暂行办法 both start on page 33, as its 目录 says ((33)) and the page
shows.  Counts are those of the official texts: 民法典 1,260 articles, 香港基本法 160, 宪法 143, 香港国安法 66.
The scan (1989年第11号, 31 pages) is read without OCR here: the warning must name its pages."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from gongbao.ingest import expand, ingest_paths
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


def test_gazette_1954_documents_start_on_the_pages_its_contents_gives(real_db) -> None:
    db, _ = real_db
    with Store(db) as store:
        for title in ("全国人民代表大会常务委员会关于同外国缔结条约的批准手续的决定", "复员建设军人安置暂行办法"):
            assert store.find_document(title).source.page == 33


def test_basic_law_in_traditional_script_is_found_by_a_simplified_query(real_db, cli) -> None:
    db, _ = real_db
    with Store(db) as store:
        docs = store.list_documents(file="basiclaw_full_text_tc.pdf")
        counts = [(d.title, len(_articles(store, d.id))) for d in docs]
        assert ("中華人民共和國香港特別行政區基本法", 160) in counts  # the Basic Law itself, title as printed
        assert 143 in [n for _title, n in counts]  # the Constitution printed before it (its title is weak)
        assert len(_articles(store, "第136號法律公告")) == 66  # 香港国安法 in the HK gazette
    hits = json.loads(cli("search", "香港特别行政区永久性居民", "--json", "--db", str(db), use_db=False).stdout)
    assert hits and any("基本法" in h["title"] for h in hits)
    assert all(h["source"].get("page") for h in hits if h["source"]["file"].endswith(".pdf"))


def test_word_and_markdown_issues(real_db) -> None:
    db, _ = real_db
    with Store(db) as store:
        docs = store.list_documents(file="gwyb199901.docx")
        assert len(docs) >= 10
        assert "国办发〔1999〕1号" in {d.doc_number for d in docs}
        [notice] = [d for d in store.list_documents(file="十四五国家应急体系规划.md") if d.doc_type == "通知"]
        assert notice.doc_number == "国发〔2021〕36号"
        assert notice.inner_title == "“十四五”国家应急体系规划"
