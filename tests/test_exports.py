"""Exports a user works in: Akoma Ntoso valid against the official schema and holding every provision, Word files that
open and hold every article, Markdown and text with the citation, an Atom feed that parses, CSV a spreadsheet shows
but never runs."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import docx
import feedparser
import pytest
from lxml import etree

from gongbao.export import document_file
from gongbao.export.akn import AKN_NS, to_akn, work_of
from gongbao.export.docx import to_docx as document_docx
from gongbao.export.feed import FeedInfo, to_atom
from gongbao.export.markdown import to_markdown, to_text
from gongbao.export.tables import DUTY_FIELDS, to_csv
from gongbao.ingest import open_store
from gongbao.model import Document, Provision, Source

# the official OASIS schema, vendored (see tests/data/akn/SOURCE.md)
SCHEMA = Path(__file__).parent / "data" / "akn" / "akomantoso30.xsd"
NS = {"a": AKN_NS}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


@pytest.fixture(scope="module")
def corpus(samples_db: Path):
    store = open_store(samples_db)
    yield store
    store.close()


@pytest.fixture(scope="module")
def documents(corpus) -> list[Document]:
    return list(corpus.iter_documents())


def _flat(text: str) -> str:
    return re.sub(r"\s", "", text)


def _own_text(el: etree._Element) -> str:
    """The text an element renders, without its own number and heading (a 款's or an article's number is not in the
    provision's text, a 项's is)."""
    parts = []
    for child in el:
        tag = etree.QName(child).localname
        if tag in ("num", "heading"):
            continue
        if tag == "paragraph":
            parts += [_own_text(child)]
        else:
            parts.append("".join(child.itertext()))
    return "".join(parts)


def test_every_document_of_the_samples_is_valid_akoma_ntoso(corpus, documents, schema) -> None:
    invalid = {}
    for doc in documents:
        exported = document_file(corpus, doc, "akn")
        tree = etree.fromstring(exported.content)
        if not schema.validate(tree):
            invalid[doc.title] = [e.message for e in schema.error_log][:3]
    assert not invalid
    assert len(documents) > 100


def test_every_provision_is_in_the_akn_with_its_number_and_text(corpus, documents) -> None:
    laws = [d for d in documents if d.has_articles]
    assert laws
    for doc in documents:
        tree = etree.fromstring(document_file(corpus, doc, "akn").content)
        by_eid = {el.get("eId"): el for el in tree.iter() if el.get("eId")}
        paragraphs = {p.parent for p in doc.provisions if p.kind == "paragraph"}
        for p in doc.provisions:
            el = by_eid.get(p.id)
            assert el is not None, (doc.title, p.id)
            num = el.find("a:num", NS)
            assert (num.text if num is not None else "") == p.label, (doc.title, p.id)
            if p.heading:
                assert _flat("".join(el.find("a:heading", NS).itertext())) == _flat(p.heading)
            if p.text and (p.kind != "article" or p.id not in paragraphs) and p.kind != "heading":
                assert _flat(_own_text(el)) == _flat(p.text), (doc.title, p.id)


def test_akn_identity_is_built_from_the_stable_id(corpus, documents) -> None:
    law = next(d for d in documents if d.title == "山西省消费者权益保护条例")
    tree = etree.fromstring(document_file(corpus, law, "akn").content)
    work = tree.find(".//a:FRBRWork/a:FRBRuri", NS).get("value")
    assert work == f"/akn/cn-sx/act/{law.dates['adopted']}/{law.id}"
    expression = tree.find(".//a:FRBRExpression/a:FRBRuri", NS).get("value")
    assert expression == f"{work}/zho@{law.dates['effective']}"
    assert tree.find("a:act", NS).get("name") == "条例"
    report = next(d for d in documents if d.doc_type == "报告")
    assert etree.fromstring(document_file(corpus, report, "akn").content).find("a:doc", NS) is not None


def test_citations_are_refs_to_the_cited_work_or_to_the_own_provision(corpus, documents) -> None:
    linked = [d for d in documents if any(r.get("target_id") and r.get("target_id") != d.id for r in d.references)]
    assert linked
    doc = linked[0]
    tree = etree.fromstring(document_file(corpus, doc, "akn").content)
    hrefs = [r.get("href") for r in tree.iter(f"{{{AKN_NS}}}ref")]
    targets = {r["target_id"] for r in doc.references if r.get("target_id") and r["target_id"] != doc.id}
    works = {work_of(corpus.document(t)).uri for t in targets}
    assert any(h.split("/~")[0] in works for h in hrefs)
    own = Document("d", "山西省测试条例", "条例", None, None, {"adopted": "2023-01-01"}, Source("t.txt", "", 1, 3))
    own.provisions = [
        Provision("art_1", "article", 1, "第一条", "为了测试，制定本条例。", None, 1, 1),
        Provision("art_2", "article", 2, "第二条", "依照本条例第一条处理。", None, 2, 2),
    ]
    own.references = [{"kind": "article", "text": "第一条", "provision_id": "art_2", "offset": 5,
                       "target": "d", "target_provision": "art_1"}]  # fmt: skip
    ref = etree.fromstring(to_akn(own)).find(".//a:article[@eId='art_2']//a:ref", NS)
    assert (ref.get("href"), ref.text) == ("#art_1", "第一条")


def test_text_with_markup_or_control_characters_stays_text_in_every_xml_format(schema) -> None:
    doc = Document("d", "关于<script>&“测试”的通知\x1b[31m", "通知", "机关\x00", None, {"issued": "2022-01-01"},
                   Source("t.txt", "", 1, 3))  # fmt: skip
    doc.provisions = [Provision("p_1", "block", None, "", "a < b && c > d ]]>", None, 2, 2),
                      Provision("p_2", "block", None, "", "damaged\x07 text\ud800", None, 3, 3)]  # fmt: skip
    tree = etree.fromstring(to_akn(doc))
    assert schema.validate(tree), schema.error_log
    assert "".join(tree.find(".//a:hcontainer[@eId='p_1']", NS).itertext()).strip() == "a < b && c > d ]]>"
    assert "".join(tree.find(".//a:hcontainer[@eId='p_2']", NS).itertext()).strip() == "damaged\ufffd text\ufffd"
    word = docx.Document(io.BytesIO(document_docx(doc)))
    assert any("damaged\ufffd text" in p.text for p in word.paragraphs)
    info = FeedInfo("新\x1b文件", "http://example.org/feeds/documents.atom", "http://example.org/documents")
    parsed = feedparser.parse(to_atom([doc], info, lambda d: f"http://example.org/documents/{d.id}"))
    assert not parsed.bozo and parsed.entries[0].title.startswith("关于<script>&")


def test_the_word_file_opens_and_holds_every_article(corpus, documents) -> None:
    for law in (d for d in documents if d.has_articles):
        exported = document_file(corpus, law, "docx")
        assert exported.filename.endswith(".docx")
        word = docx.Document(io.BytesIO(exported.content))
        text = "\n".join(p.text for p in word.paragraphs)
        headings = [para.text for para in word.paragraphs if para.style.name.startswith("Heading")]
        assert word.paragraphs[0].text == law.title
        for p in law.provisions:
            if p.kind == "article":
                assert re.search(rf"(?m)^{p.label}", text), (law.title, p.label)
            if p.kind == "chapter":
                assert any(h.startswith(p.label) for h in headings), (law.title, p.label)
        cells = {row.cells[0].text: row.cells[1].text for row in word.tables[0].rows}
        assert cells["来源"].startswith(law.source.file)
        assert law.id in text.split("引用：")[-1]


def test_markdown_and_text_keep_the_outline_and_end_with_the_citation(documents) -> None:
    law = next(d for d in documents if d.title == "山西省消费者权益保护条例")
    md, txt = to_markdown(law), to_text(law)
    for p in law.provisions:
        if p.kind == "chapter":
            assert f"## {p.label} {p.heading}" in md
        if p.kind == "article":
            assert f"**{p.label}**" in md
            assert re.search(rf"(?m)^{p.label}　", txt)
        if p.kind == "item":
            assert f"{p.label}{p.text}" in txt
    for out in (md, txt):
        assert law.source.file.replace("_", "\\_") in out or law.source.file in out
        assert out.rstrip().endswith(f"{law.id}。")


def test_the_atom_feed_parses_and_follows_the_rfc(documents) -> None:
    docs = documents[:10]
    info = FeedInfo("新文件", "http://example.org/feeds/documents.atom", "http://example.org/documents")
    xml = to_atom(docs, info, lambda d: f"http://example.org/documents/{d.id}")
    parsed = feedparser.parse(xml)
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == [d.title for d in docs]
    assert len({e.id for e in parsed.entries}) == len(docs)
    root = etree.fromstring(xml)
    atom = {"a": "http://www.w3.org/2005/Atom"}
    for tag in ("a:id", "a:title", "a:updated", "a:author/a:name"):  # RFC 4287 §4.1.1: what a feed must have
        assert root.find(tag, atom) is not None
    for entry in root.findall("a:entry", atom):  # §4.1.2, with the author from the issuer
        for tag in ("a:id", "a:title", "a:updated", "a:author/a:name", "a:link[@rel='alternate']"):
            assert entry.find(tag, atom) is not None
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry.find("a:updated", atom).text)


def test_csv_cells_are_shown_never_run_as_formulas() -> None:
    rows = [{"agency": '=HYPERLINK("http://x")', "task": "+1", "deadline": None, "start_line": 3}]
    parsed = list(csv.DictReader(io.StringIO(to_csv(rows, DUTY_FIELDS))))
    assert parsed[0]["agency"] == '\'=HYPERLINK("http://x")' and parsed[0]["task"] == "'+1"
    assert parsed[0]["deadline"] == "" and parsed[0]["start_line"] == "3"


def test_cli_exports_a_law_and_the_overdue_duties(cli, samples_db: Path, tmp_path: Path, schema) -> None:
    shown = cli("show", "山西省消费者权益保护条例", "--format", "akn", "--db", str(samples_db))
    assert shown.exit_code == 0, shown.output
    assert schema.validate(etree.fromstring(shown.stdout_bytes))
    out = tmp_path / "akn"
    done = cli("export", "--format", "akn", "--type", "条例", "--out", str(out), "--db", str(samples_db))
    assert done.exit_code == 0, done.output
    assert len(list(out.glob("*.akn.xml"))) == 3
    overdue = cli("duties", "--overdue", "--csv", "--today", "2024-01-01", "--db", str(samples_db))
    assert overdue.exit_code == 0, overdue.output
    rows = list(csv.DictReader(io.StringIO(overdue.stdout)))
    assert rows and all(r["deadline"] and r["deadline"] < "2024-01-01" for r in rows)
    later = cli("duties", "--overdue", "--csv", "--today", "2021-01-01", "--db", str(samples_db))
    assert len(list(csv.DictReader(io.StringIO(later.stdout)))) < len(rows)
    soon = cli("duties", "--due-before", "2023-12-31", "--sort", "deadline", "--json", "--today", "2023-01-01",
               "--db", str(samples_db))  # fmt: skip
    import json

    dated = [d["deadline"] for d in json.loads(soon.stdout)]
    assert dated == sorted(dated) and all("2023-01-01" <= d <= "2023-12-31" for d in dated)
    bad = cli("show", "山西省消费者权益保护条例", "--format", "pdf", "--db", str(samples_db))
    assert bad.exit_code == 2 and "unknown format" in bad.output


def test_the_document_page_offers_downloads_and_feeds_answer_a_query(samples_db: Path, documents, schema) -> None:
    from starlette.testclient import TestClient

    from gongbao.web.app import create_app

    law = next(d for d in documents if d.title == "山西省消费者权益保护条例")
    with TestClient(create_app(samples_db)) as client:
        page = client.get(f"/documents/{law.id}")
        assert f"/documents/{law.id}/export?format=docx" in page.text
        assert "gongbao 文档 " + law.id in page.text  # the citation block the print stylesheet keeps
        akn = client.get(f"/documents/{law.id}/export", params={"format": "akn"})
        assert akn.status_code == 200 and akn.headers["content-type"].startswith("application/akn+xml")
        assert "attachment" in akn.headers["content-disposition"]
        assert schema.validate(etree.fromstring(akn.content))
        word = client.get(f"/documents/{law.id}/export", params={"format": "docx"})
        assert docx.Document(io.BytesIO(word.content)).paragraphs[0].text == law.title
        assert client.get("/documents/nosuchdoc/export").status_code == 404
        assert client.get(f"/documents/{law.id}/export", params={"format": "pdf"}).status_code == 422
        feed = feedparser.parse(client.get("/feeds/documents.atom", params={"q": "生态环境", "issuer": "山西"}).content)
        assert not feed.bozo and feed.entries
        assert all("山西" in e.title or "山西" in e.author for e in feed.entries)
        newest = feedparser.parse(client.get("/feeds/documents.atom").content)
        dates = [e.updated for e in newest.entries]
        assert dates == sorted(dates, reverse=True) and len(newest.entries) == 50


def test_the_legal_level_is_a_field_and_a_filter_of_the_cli(cli, samples_db: Path) -> None:
    import json

    listed = cli("list", "--level", "地方性法规", "--json", "--db", str(samples_db))
    assert listed.exit_code == 0, listed.output
    docs = json.loads(listed.stdout)
    assert docs and {d["level"] for d in docs} == {"地方性法规"}
    assert "山西省消费者权益保护条例" in {d["title"] for d in docs}
    everything = json.loads(cli("list", "--json", "--db", str(samples_db)).stdout)
    assert len(docs) < len(everything) and any(d["level"] is None for d in everything)  # reports have none
    assert cli("list", "--level", "法规", "--db", str(samples_db)).exit_code == 2
