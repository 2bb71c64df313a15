"""A large file is streamed: its documents are made one at a time and written as they come (a few held, never all of
them), linked exactly as a whole-issue pass links them; its source text is stored in parts, and a page of the source
view reads only the parts that hold its lines."""

from __future__ import annotations

from pathlib import Path

import pytest

import gongbao.pipeline as pipeline
from gongbao.ingest import ingest_paths, sample_paths
from gongbao.link import refs
from gongbao.model import Document
from gongbao.parse.read import read_source
from gongbao.store import Store
from gongbao.store.sqlite.store import SOURCE_PART_LINES
from gongbao.web import pages


def test_the_first_document_comes_out_before_the_rest_are_built(monkeypatch) -> None:
    source = read_source(sample_paths()[1])
    built = []
    real = pipeline.build_document

    def counting(*args, **kwargs):
        built.append(args[1].title)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "build_document", counting)
    stream = pipeline.parse_stream(source)
    first = next(stream.documents)
    assert len(built) == refs.NEIGHBOURS + 1  # itself and the neighbours its relations may point at
    rest = list(stream.documents)
    assert len(built) == 1 + len(rest) > 20
    assert first.title == built[0]


def _whole_issue_links(docs: list[Document]) -> None:
    """The link stage as one pass over the whole issue: every document's own links, then the neighbours."""
    relations = {}
    for doc in docs:
        units = refs._text_units(doc)
        found = refs.find_references(doc, units)
        refs.resolve_internal(doc, found)
        doc.references = [r.to_dict() for r in found]
        relations[doc.id] = refs.find_relations(doc, found, units)
    refs.resolve_neighbours(docs, relations)
    for doc in docs:
        doc.relations = [r.to_dict() for r in relations[doc.id]]


def test_streamed_links_are_the_whole_issue_links() -> None:
    targets = 0
    for sample in sample_paths():
        docs = pipeline.parse_source(read_source(sample)).documents
        streamed = [d.to_dict() for d in refs.link_stream(docs)]
        _whole_issue_links(docs)
        assert streamed == [d.to_dict() for d in docs], sample.name
        targets += sum("target" in r for d in docs for r in d.relations)
    assert targets  # (the samples have relations whose targets are found)


def test_link_stream_keeps_the_order_and_resolves_neighbours_at_the_ends() -> None:
    docs = pipeline.parse_source(read_source(sample_paths()[0])).documents
    for n in (1, 2, refs.NEIGHBOURS + 1, 2 * refs.NEIGHBOURS + 2):
        part = docs[:n]
        ids = [d.id for d in refs.link_stream(part)]
        expected = [d.to_dict() for d in part]
        _whole_issue_links(part)
        assert ids == [d.id for d in part]
        assert expected == [d.to_dict() for d in part]


@pytest.fixture
def long_source(tmp_path: Path) -> tuple[Path, list[str]]:
    """A gazette file of several source_text parts (the samples one after the other), and its lines."""
    text = "".join(p.read_text(encoding="utf-8") for p in sample_paths())
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    return path, lines[:-1] if lines[-1] == "" else lines


def test_a_window_of_a_source_is_those_lines(tmp_path: Path, long_source: tuple[Path, list[str]]) -> None:
    path, lines = long_source
    assert len(lines) > 5 * SOURCE_PART_LINES
    edge = 3 * SOURCE_PART_LINES
    with Store(tmp_path / "db.sqlite") as store:
        assert not ingest_paths(store, [path]).errors
        assert store.source_lines(path.name) == lines
        for first, last in [(1, 1), (1, 10), (edge, edge + 1), (edge + 1, edge + 1), (edge - 5, edge + 2 * 500 + 3)]:
            assert store.source_window(path.name, first, last) == lines[first - 1 : last]
        end = len(lines)
        assert store.source_window(path.name, end - 2, end + 100) == lines[-3:]
        assert store.source_window(path.name, end + 1, end + 10) == []
        assert store.source_window("no-such-file.txt", 1, 10) is None


def test_a_source_page_reads_only_its_lines(tmp_path: Path, long_source, monkeypatch) -> None:
    path, lines = long_source
    with Store(tmp_path / "db.sqlite") as store:
        assert not ingest_paths(store, [path]).errors

        def whole_file(*_args):
            raise AssertionError("the whole source was read for one page")

        monkeypatch.setattr(store, "source_lines", whole_file)
        data = pages.source_data(store, path.name, (2001, 2010))
    assert [ln["text"] for ln in data["lines"]] == lines[2000:2010]
    assert data["line_count"] == len(lines)


def test_a_database_with_the_text_in_one_column_is_upgraded(tmp_path: Path) -> None:
    """Up to schema 4 a source's text was one column (sources.raw): opening such a database for writing rebuilds
    it from that column, every line kept."""
    sample = sample_paths()[4]
    db = tmp_path / "v4.sqlite"
    with Store(db) as store:
        assert not ingest_paths(store, [sample]).errors
        lines = store.source_lines(sample.name)
        ids = [d.id for d in store.list_documents()]
        store.db.execute("ALTER TABLE sources ADD COLUMN raw TEXT NOT NULL DEFAULT ''")
        store.db.execute("UPDATE sources SET raw = ?", ("\n".join(lines),))
        store.db.execute("DROP TABLE source_text")
        store.db.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    with Store(db) as store:
        assert store.source_lines(sample.name) == lines
        assert [d.id for d in store.list_documents()] == ids


# ------------------------------------------------------------------------------------ a large file in pieces

# lines that cut a \r\n, a lone \r, blank lines, no final newline: cut into chunks of 7 bytes
AWKWARD = "第一行\r\n第二行\r\r\n\n  \nline\rwith a lone CR\n最后一行没有换行"


@pytest.fixture
def small_pieces(monkeypatch):
    """Every text file counts as large, read 7 bytes at a time and split 40 lines at a time."""
    import gongbao.parse.read as read

    monkeypatch.setattr(read, "STREAM_BYTES", 10)
    monkeypatch.setattr(read, "CHUNK_BYTES", 7)
    monkeypatch.setattr(pipeline, "PIECE_LINES", 40)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_the_lines_of_a_large_file_are_those_of_the_whole_text(tmp_path: Path, small_pieces, encoding: str) -> None:
    from gongbao.parse.read import FileLines, decode, split_lines

    data = (AWKWARD * 30).encode(encoding)
    path = tmp_path / "large.txt"
    path.write_bytes(data)
    source = read_source(path)
    assert isinstance(source.lines, FileLines)
    text, expected_encoding = decode(data)
    assert list(source.lines) == list(split_lines(text)) and len(source.lines) == len(split_lines(text))
    assert source.encoding == expected_encoding
    assert list(source.lines) == list(source.lines)  # (read again from the file each time)


@pytest.mark.parametrize(
    "data",
    [
        "标题\n正文\x00\n".encode() * 10,
        b"\xef\xbb\xbf" + "标题".encode("gb18030") * 10,
        b"\xff\xfe\x00" * 11,
        b" \n\t\n" * 10,
        "臺灣省政府公報，本府為推動施政，訂定辦法如下，請查照辦理。".encode("big5") * 10,
    ],
    ids=["nul", "bad-after-bom", "odd-utf16", "blank", "big5"],
)
def test_a_large_file_that_cannot_be_read_is_refused_as_a_small_one_is(
    tmp_path: Path, monkeypatch, data: bytes
) -> None:
    from gongbao.parse.read import ReadError

    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(ReadError) as small:
        read_source(path)
    import gongbao.parse.read as read

    monkeypatch.setattr(read, "STREAM_BYTES", 10)
    monkeypatch.setattr(read, "CHUNK_BYTES", 7)
    with pytest.raises(ReadError) as large:
        read_source(path)
    assert large.value.reason.split(" (")[0] == small.value.reason.split(" (")[0]


def _issue_of_many_documents(folder: Path) -> Path:
    from gazette_text import NOTICE_WITH_MEASURES, PERSONNEL, PROMULGATION, gazette, write

    return write(folder, "many.txt", gazette((PROMULGATION + NOTICE_WITH_MEASURES + PERSONNEL) * 12))


def test_a_large_file_is_split_piece_by_piece_into_the_documents_of_the_whole(
    tmp_path: Path, small_pieces, monkeypatch
) -> None:
    path = _issue_of_many_documents(tmp_path)
    source = read_source(path)
    whole = pipeline.parse_source(source)
    cleaned = []
    real = pipeline.clean

    def counting(src):
        cleaned.append(len(src.lines))
        return real(src)

    monkeypatch.setattr(pipeline, "clean", counting)
    stream = pipeline.parse_stream(source)
    docs = list(stream.documents)
    assert [d.to_dict() for d in docs] == [d.to_dict() for d in whole.documents]
    assert [(r.kind, r.start_line, r.end_line) for r in stream.regions] == [
        (r.kind, r.start_line, r.end_line) for r in whole.regions
    ]
    assert len(cleaned) > 10 and max(cleaned) < len(source.lines) / 5  # pieces, never the whole file


def test_a_large_file_is_stored_as_a_whole_one_is(tmp_path: Path, monkeypatch) -> None:
    path = _issue_of_many_documents(tmp_path)

    def stored(db: Path) -> tuple:
        with Store(db) as store:
            assert not ingest_paths(store, [path]).errors
            docs = [store.document(d.id).to_dict() for d in store.list_documents()]
            return docs, store.source_lines(path.name), store.regions(path.name), store.sources()[0]["line_count"]

    whole = stored(tmp_path / "whole.sqlite")
    import gongbao.parse.read as read

    monkeypatch.setattr(read, "STREAM_BYTES", 10)
    monkeypatch.setattr(pipeline, "PIECE_LINES", 40)
    assert stored(tmp_path / "pieces.sqlite") == whole
