"""search: the hit contract, short and exact queries, query analysis, odd input, filters, snippets, re-ingest.

Every test builds its own tiny gazette (a law with its 公告 and a report in a.txt, a 印发 notice with its 办法 in
b.txt) and searches it through the CLI or through `search()`; the expected hits are read off the texts below.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gazette_text import gazette, hard_wrap, write
from gongbao.ingest import ingest_file
from gongbao.pipeline import parse_file
from gongbao.search.engine import analyze, search
from gongbao.store import Corpus, open_corpus

LAW_TITLE = "山西省粮食安全保障条例"
NOTICE_TITLE = "山西省人民政府办公厅关于印发山西省生活垃圾分类管理办法的通知"
MEASURES_TITLE = "山西省生活垃圾分类管理办法"
REPORT_TITLE = "关于2022年全省城市管理工作情况的报告"
ANNOUNCEMENT_TITLE = "山西省人民代表大会常务委员会公告"

LAW_HEAD = """
山西省人民代表大会常务委员会
公告
（第二十一号）
《山西省粮食安全保障条例》已由山西省第十四届人民代表大会常务委员会第八次会议于2023年12月1日通过，现予公布，自2024年3月1日起施行。
山西省人民代表大会常务委员会
2023年12月1日
山西省粮食安全保障条例
（2023年12月1日山西省第十四届人民代表大会常务委员会第八次会议通过）
第一章　总　则
第一条　为了保障粮食安全，根据有关法律、行政法规，结合本省实际，制定本条例。
第二条　县级以上人民政府应当建立地方储备粮制度，储备规模由省人民政府确定。
第二章　储存与运输
"""
# Hard-wrapped over five source lines, with fullwidth digits: 储备粮对外担保 is cut by a line break.
LAW_ARTICLE_3 = (
    "第三条\u3000承储企业应当建立健全储备管理制度，定期开展质量检查，每年不少于２次；发现粮食霉变的，"
    "应当在２４小时内处置并报告。承储企业不得虚报储备数量，不得擅自串换品种，不得以储备粮对外担保或者清偿债务。"
)
LAW_TAIL = """
第四条　运输粮食的车辆发生事故的，道路交通事故责任人应当及时报告。承运单位应当配合调查。
第三章　法律责任
第五条　违反本条例第二条规定，擅自动用地方储备粮的，由粮食和储备部门责令改正，处二万元以上十万元以下罚款。
情节严重的，对直接负责的主管人员依法给予处分。
第六条　本条例自2024年3月1日起施行。
"""

REPORT = """
关于2022年全省城市管理工作情况的报告
——2022年9月20日在山西省第十三届人民代表大会常务委员会第三十六次会议上
山西省住房和城乡建设厅厅长　王立伟
一、主要工作
各级人民政府推进垃圾分类，居民参与率明显提高。
二、存在问题
部分城市停车设施不足，乱停乱放现象仍然存在。
"""

NOTICE = """
山西省人民政府办公厅关于印发山西省生活垃圾分类管理办法的通知
晋政办发〔2022〕45号
各市、县人民政府，省人民政府各委、办、厅、局：
《山西省生活垃圾分类管理办法》已经省人民政府同意，现印发给你们，请认真贯彻执行。
山西省人民政府办公厅
2022年6月10日
（此件公开发布）
山西省生活垃圾分类管理办法
第一条 为了规范生活垃圾分类投放，制定本办法。
第二条 单位和个人应当按照规定分类投放生活垃圾。物业服务公司应当在住宅小区设置分类收集容器。
第三条 违反本办法第二条规定，个人未分类投放生活垃圾的，由城市管理部门责令改正，处五十元以上二百元以下罚款。
第四条 携狗出户的，应当及时清理粪便。
第五条 本办法自印发之日起施行。
"""


def law_text(head: str = LAW_HEAD) -> str:
    return gazette(head) + gazette("\n".join(hard_wrap(LAW_ARTICLE_3, 22))) + gazette(LAW_TAIL)


def law(n: int) -> str:
    return f"《{LAW_TITLE}》第{'一二三四五六'[n - 1]}条"


def measures(n: int) -> str:
    return f"《{MEASURES_TITLE}》第{'一二三四五'[n - 1]}条"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "gazettes"
    folder.mkdir()
    return {
        "a.txt": write(folder, "a.txt", law_text() + gazette(REPORT)),
        "b.txt": write(folder, "b.txt", gazette(NOTICE)),
    }


@pytest.fixture
def loaded(cli, files: dict[str, Path]):
    result = cli("ingest", *files.values())
    assert result.exit_code == 0, result.output
    return cli


@pytest.fixture
def store(files: dict[str, Path], db: Path):
    with open_corpus(db) as s:
        for path in files.values():
            ingest_file(s, path)
        yield s


def hits_of(cli, query: str, *options: str) -> list[dict]:
    result = cli("search", query, "--json", *options)
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert isinstance(hits, list)
    return hits


def citations(hits) -> list[str]:
    return [h["citation"] if isinstance(h, dict) else h.citation for h in hits]


def squeeze(text: str) -> str:
    """Source text as the index sees it: no whitespace (line breaks, justification spaces), ASCII digits."""
    return re.sub(r"\s", "", text).translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def source_text(files: dict[str, Path], source: dict) -> str:
    lines = files[source["file"]].read_text(encoding="utf-8").split("\n")
    return squeeze("\n".join(lines[source["start_line"] - 1 : source["end_line"]]))


# ------------------------------------------------------------------------------------------ hit contract

HIT_KEYS = {"document_id", "title", "provision_id", "label", "citation", "snippet", "score", "source"}


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ("粮", "粮"),
        ("罚款", "罚款"),
        ("人民政府", "人民政府"),
        ('"24小时"', "24小时"),
        ('"储备粮对外担保"', "储备粮对外担保"),
    ],
)
def test_every_hit_is_a_provision_with_source_lines_that_hold_the_match(loaded, files, query, needle) -> None:
    hits = hits_of(loaded, query, "--limit", "100")
    assert hits
    documents = {d["id"]: d for d in json.loads(loaded("list", "--json").stdout)}
    kinds: set[str] = set()
    for hit in hits:
        assert hit.keys() >= HIT_KEYS
        assert set(hit["source"]) >= {"file", "start_line", "end_line"}
        assert isinstance(hit["score"], int | float)
        doc = documents[hit["document_id"]]
        assert hit["title"] == doc["title"]
        shown = json.loads(loaded("show", hit["document_id"], "--json").stdout)
        provisions = {p["id"]: p for p in shown["provisions"]}
        assert hit["provision_id"] in provisions, "a hit names one provision of its document"
        provision = provisions[hit["provision_id"]]
        assert provision["kind"] in {"article", "paragraph", "item", "subitem", "heading", "block"}
        kinds.add(provision["kind"])
        source = hit["source"]
        assert source["file"] == doc["source"]["file"]
        assert doc["source"]["start_line"] <= source["start_line"] <= source["end_line"] <= doc["source"]["end_line"]
        assert source["start_line"] == provision["start_line"]
        assert source["end_line"] >= provision["end_line"]
        assert needle in source_text(files, source), hit
    if query == "人民政府":  # in articles of the law and in paragraphs of the notice and the report
        assert "article" in kinds and kinds - {"article"}


def test_article_hits_cite_the_law_and_the_promulgated_measures_by_their_own_titles(loaded) -> None:
    hits = hits_of(loaded, "罚款")
    by_citation = {h["citation"]: h for h in hits}
    assert set(by_citation) == {law(5), measures(3)}
    assert by_citation[law(5)]["title"] == LAW_TITLE
    assert by_citation[law(5)]["label"] == "第五条"
    assert by_citation[measures(3)]["title"] == NOTICE_TITLE  # the document is the notice …
    assert by_citation[measures(3)]["label"] == "第三条"  # … its article is cited by the 办法's title


def test_hard_wrapped_article_is_cited_with_all_its_source_lines(loaded, files) -> None:
    (hit,) = hits_of(loaded, '"储备粮对外担保"')
    assert hit["citation"] == law(3)
    text = files["a.txt"].read_text(encoding="utf-8").split("\n")
    first = next(n for n, line in enumerate(text, 1) if line.startswith("第三条"))
    last = next(n for n, line in enumerate(text, 1) if line.endswith("清偿债务。"))
    assert (hit["source"]["start_line"], hit["source"]["end_line"]) == (first, last)
    assert squeeze(LAW_ARTICLE_3) in source_text(files, hit["source"])


@pytest.mark.parametrize("query", ["粮", "人民政府", "储备粮 罚款", "小区里扔垃圾没分类罚多少钱"])
def test_scores_never_increase_and_limit_is_respected(loaded, query) -> None:
    every = hits_of(loaded, query, "--limit", "100")
    assert len(every) > 2
    scores = [h["score"] for h in every]
    assert scores == sorted(scores, reverse=True)
    assert len({(h["document_id"], h["provision_id"]) for h in every}) == len(every), "one hit per provision"
    top = hits_of(loaded, query, "--limit", "2")
    assert [h["provision_id"] for h in top] == [h["provision_id"] for h in every[:2]]


# ------------------------------------------------------------------------------- short and exact queries


def test_one_character_query_finds_every_article_containing_it(store) -> None:
    result = search(store, "粮", limit=100)
    found = set(citations(result.hits))
    assert {law(1), law(2), law(3), law(4), law(5)} <= found  # 粮食, 储备粮
    assert law(6) not in found and measures(3) not in found


def test_two_character_query_finds_exactly_the_articles_containing_it(store) -> None:
    assert sorted(citations(search(store, "罚款", limit=100).hits)) == sorted([law(5), measures(3)])


@pytest.mark.parametrize("query", ["交通事故", "事故责任", "通事", "责任人"])
def test_compound_split_differently_by_segmentation_is_found_as_a_substring(store, query) -> None:
    hits = search(store, query).hits
    assert hits and hits[0].citation == law(4)  # only 第四条 has 道路交通事故责任人


@pytest.mark.parametrize(("query", "expected"), [("公司", measures(2)), ("狗", measures(4))])
def test_word_that_is_a_thesaurus_key_still_finds_the_text_that_uses_it(store, query, expected) -> None:
    assert expected in citations(search(store, query).hits)


@pytest.mark.parametrize(
    ("query", "expected"),
    [('"储备粮"', {law(2), law(3), law(5)}), ("“道路交通事故”", {law(4)}), ('"不少于2次"', {law(3)})],
)
def test_quoted_phrase_returns_only_provisions_that_contain_it(store, query, expected) -> None:
    assert set(citations(search(store, query, limit=100).hits)) == expected


def test_quoted_phrase_that_occurs_nowhere_returns_nothing(store) -> None:
    result = search(store, '"储备粮库"', limit=100)  # 储备 and 粮库 … but 储备粮库 is in no provision
    assert result.hits == []


def test_quoted_phrase_and_a_word_both_must_match(store) -> None:
    assert citations(search(store, '"储备粮" 罚款').hits) == [law(5)]


def test_provision_with_all_the_words_ranks_above_those_with_some(store) -> None:
    ranked = citations(search(store, "储备粮 罚款", limit=100).hits)
    assert ranked[0] == law(5)  # the only article with both
    assert {law(2), law(3), measures(3)} <= set(ranked[1:])


# ------------------------------------------------------------------------------------------ query analysis


def _searched(query: str) -> set[str]:
    return {s for t in analyze(query).terms for s in [t.text, *t.alternatives]}


@pytest.mark.parametrize(
    ("question", "question_word", "subject"),
    [
        ("怎么处理过期储备粮", "怎么", "储备粮"),
        ("罚款是多少", "多少", "罚款"),
        ("可以动用储备粮吗", "吗", "储备粮"),
        ("为什么要交罚款", "为什么", "罚款"),
        ("有没有储备粮", "有没有", "储备粮"),
        ("是不是要罚款", "是不是", "罚款"),
        ("储备粮可不可以动用", "可不可以", "储备粮"),
        ("能不能动用储备粮", "能不能", "储备粮"),
        ("会不会罚款", "会不会", "罚款"),
    ],
)
def test_question_words_are_not_search_terms(question, question_word, subject) -> None:
    searched = _searched(question)
    assert subject in searched
    assert not [s for s in searched if s in question_word], searched


def test_thesaurus_maps_an_everyday_phrase_to_the_word_the_rule_uses() -> None:
    assert "罚款" in _searched("罚多少钱")
    assert "交通事故" in _searched("出车祸了怎么办")


def test_colloquial_question_finds_the_article_that_sets_the_fine(store) -> None:
    hits = search(store, "扔垃圾没分类罚多少钱").hits
    assert hits[0].citation == measures(3)
    assert "**罚款**" in hits[0].snippet


def test_the_issue_question_has_the_fine_near_the_top(store) -> None:
    hits = search(store, "小区里扔垃圾没分类罚多少钱").hits  # the issue: "first or near the top"
    assert measures(3) in citations(hits[:3])


def test_colloquial_question_finds_the_article_with_the_legal_word(store) -> None:
    assert search(store, "出车祸了谁报告").hits[0].citation == law(4)  # 车祸 → 交通事故


FTS_LOOKALIKES = ["NEAR(a b)", "a AND b", '"', '""', "*", "罚款 OR 1=1", "(", ")", "^", "-", "col:罚款", "{}"]
FTS_LOOKALIKES += ['罚款"', '"罚款', "罚款*", "NOT 罚款", "罚款 NOT 储备粮", "NEAR(罚款 储备粮, 2)", "fts_grams:罚款"]


@pytest.mark.parametrize("query", FTS_LOOKALIKES)
def test_fts5_syntax_in_a_query_is_searched_as_text(store, query) -> None:
    result = search(store, query, limit=100)
    found = set(citations(result.hits))
    if "罚款" in query:
        assert {law(5), measures(3)} <= found  # NOT, OR, *, a column name: none of them is an operator
    else:
        assert result.hits == []
    if not re.search(r"\w", query):
        assert result.notes


def test_fts5_keywords_are_words_of_the_query() -> None:
    assert {"near", "and"} <= _searched("NEAR(a b) AND c")


# ------------------------------------------------------------------------------------------- odd input

NOTHING_SEARCHABLE = [
    "",
    "   ",
    "\t\n",
    "，。！？、……",
    "!!!???",
    "\x00",
    "\x1b\x07\x7f",
    "😀🚗💰",
    "\u200f\u200e",
    "\ufeff",
]
ODD_BUT_SEARCHABLE = [
    "粮" * 10_000,
    "\x1b[31m罚款\x1b[0m",
    "罚\x00款",
    "\u200f罚款\u200e",
    "罚款😀",
    "ｒｅｄ罚款",
    "罚款" * 5000,
]


@pytest.mark.parametrize("query", NOTHING_SEARCHABLE)
def test_nothing_searchable_gives_no_hits_and_a_note(store, query) -> None:
    result = search(store, query)
    assert result.hits == []
    assert result.notes


@pytest.mark.parametrize("query", ODD_BUT_SEARCHABLE)
def test_odd_input_around_a_word_still_finds_it(store, query) -> None:
    result = search(store, query, limit=5)
    assert 0 < len(result.hits) <= 5
    word = "粮" if "粮" in query else "罚款"
    assert all(word in h.snippet.replace("**", "") for h in result.hits[:2])


def test_very_long_query_is_shortened_with_a_note(store) -> None:
    result = search(store, "储备粮" * 4000)
    assert result.hits
    assert any("shortened" in n for n in result.notes)


@pytest.mark.parametrize("query", ["\ud800", "罚款\udfff"])
def test_lone_surrogate_does_not_crash(store, query) -> None:
    search(store, query)


@pytest.mark.parametrize("query", NOTHING_SEARCHABLE + FTS_LOOKALIKES)
def test_cli_prints_an_empty_array_or_hits_and_exits_0(loaded, query) -> None:
    result = loaded("search", query, "--json")
    assert result.exit_code == 0, result.output
    assert result.exception is None
    hits = json.loads(result.stdout)
    if query in NOTHING_SEARCHABLE or not re.search(r"\w", query):
        assert hits == []
        assert "note" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("query", ODD_BUT_SEARCHABLE[:4])
def test_cli_finds_a_word_inside_odd_input(loaded, query) -> None:
    assert hits_of(loaded, query, "--limit", "3")


@pytest.mark.parametrize("query", NOTHING_SEARCHABLE + FTS_LOOKALIKES + ["[bold]罚款", "罚款[/]"])
def test_cli_readable_output_never_fails(loaded, query) -> None:
    result = loaded("search", query)
    assert result.exit_code == 0, result.output
    assert result.exception is None


@pytest.mark.parametrize("query", ["[/]", "[/bold]无此词"])
def test_cli_readable_output_of_a_query_that_looks_like_markup(loaded, query) -> None:
    result = loaded("search", query)
    assert result.exit_code == 0, result.output
    assert query in result.stdout


# ------------------------------------------------------------------------------------------------ filters

BROAD = "人民政府"  # in the law, the notice and the report, not in the 公告


def _titles(loaded, *options: str) -> set[str]:
    return {h["title"] for h in hits_of(loaded, BROAD, "--limit", "100", *options)}


def test_the_broad_query_reaches_every_document_but_the_announcement(loaded) -> None:
    assert _titles(loaded) == {LAW_TITLE, NOTICE_TITLE, REPORT_TITLE}


@pytest.mark.parametrize(
    ("options", "titles"),
    [
        pytest.param(["--type", "条例"], {LAW_TITLE}, id="type-law"),
        pytest.param(["--type", "通知"], {NOTICE_TITLE}, id="type-notice"),
        pytest.param(["--type", "报告"], {REPORT_TITLE}, id="type-report"),
        pytest.param(["--type", "决定"], set(), id="type-none"),
        pytest.param(["--issuer", "办公厅"], {NOTICE_TITLE}, id="issuer"),
        pytest.param(["--issuer", "王立伟"], {REPORT_TITLE}, id="issuer-author"),
        pytest.param(["--year", "2023"], {LAW_TITLE}, id="year"),
        pytest.param(["--year", "2022"], {NOTICE_TITLE, REPORT_TITLE}, id="year-2022"),
        pytest.param(["--year", "2022-2023"], {LAW_TITLE, NOTICE_TITLE, REPORT_TITLE}, id="year-range"),
        pytest.param(["--year", "2024-2030"], set(), id="year-range-empty"),
        pytest.param(["--file", "b.txt"], {NOTICE_TITLE}, id="file"),
        pytest.param(["--file", "a.txt"], {LAW_TITLE, REPORT_TITLE}, id="file-a"),
        pytest.param(["--laws"], {LAW_TITLE, NOTICE_TITLE}, id="laws"),
        pytest.param(["--no-laws"], {REPORT_TITLE}, id="no-laws"),
        pytest.param(["--year", "2022", "--laws"], {NOTICE_TITLE}, id="year-and-laws"),
    ],
)
def test_filters_restrict_the_hits(loaded, options, titles) -> None:
    assert _titles(loaded, *options) == titles


def test_file_filter_keeps_the_sources_of_that_file(loaded) -> None:
    hits = hits_of(loaded, "粮", "--limit", "100", "--file", "a.txt")
    assert hits and {h["source"]["file"] for h in hits} == {"a.txt"}


def test_bad_year_is_a_clear_error(loaded) -> None:
    result = loaded("search", BROAD, "--json", "--year", "last year")
    assert result.exit_code == 2
    assert "--year" in result.stderr


def test_collapse_keeps_the_best_hit_of_each_document(loaded) -> None:
    every = hits_of(loaded, "粮", "--limit", "100")
    collapsed = hits_of(loaded, "粮", "--limit", "100", "--collapse")
    best: dict[str, str] = {}
    for h in every:
        best.setdefault(h["document_id"], h["provision_id"])
    assert len(every) > len(best) >= 2
    assert [h["document_id"] for h in collapsed] == list(best)
    assert {h["document_id"]: h["provision_id"] for h in collapsed} == best


# ----------------------------------------------------------------------------------------------- snippets


def _provision_text(store: Corpus, hit) -> str:
    """The text of the hit's provision as one line: a snippet is shown on one line, so the line break between two
    款 may become nothing; every other character must be the provision's own."""
    (p,) = [p for p in store.provisions(hit.document_id) if p.id == hit.provision_id]
    return p.text.replace("\n", "")


def _marks(snippet: str) -> tuple[str, list[bool]]:
    """The snippet without its ** marks, and for each character whether it was marked."""
    parts = snippet.split("**")
    assert len(parts) % 2 == 1, snippet
    plain = "".join(parts)
    marked = [bool(i % 2) for i, part in enumerate(parts) for _ in part]
    return plain, marked


def _plain(snippet: str) -> str:
    assert snippet.count("**") % 2 == 0, snippet
    return snippet.replace("**", "").removesuffix("…")


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("罚款", ["罚款"]),
        ("储备粮 罚款", ["储备粮", "罚款"]),
        ('"储备粮对外担保"', ["储备粮对外担保"]),
        ("交通事故", ["交通事故"]),
        ("处分", ["处分"]),
    ],
)
def test_snippet_marks_the_matched_words_inside_the_provision_text(store, query, words) -> None:
    hits = search(store, query, limit=100).hits
    assert hits
    plain, marked = _marks(hits[0].snippet)
    for word in words:  # each word occurs with all its characters inside ** marks (maybe in pieces: 交通 事故)
        spots = [m.start() for m in re.finditer(re.escape(word), plain)]
        assert any(all(marked[i : i + len(word)]) for i in spots), hits[0].snippet
    for hit in hits:
        if hit.kind == "article":
            plain = _plain(hit.snippet)
            assert plain and plain in _provision_text(store, hit)


@pytest.mark.parametrize(
    ("query", "sentence"),
    [
        ("串换", "承储企业不得虚报储备数量"),
        ("霉变", "发现粮食霉变的"),
        ("承运单位", "承运单位应当配合调查。"),
        ("给予处分", "情节严重的，对直接负责的主管人员依法给予处分。"),
        ("擅自动用", "违反本条例第二条规定，擅自动用地方储备粮的"),
    ],
)
def test_snippet_is_cut_at_sentence_boundaries(store, query, sentence) -> None:
    hit = next(h for h in search(store, query).hits if h.kind == "article")
    plain = _plain(hit.snippet)
    assert plain.startswith(sentence)
    text = _provision_text(store, hit)
    at = text.index(plain)
    assert at == 0 or text[at - 1] in "。；！？"
    end = at + len(plain)
    assert hit.snippet.endswith("…") or end == len(text) or text[end - 1] in "。；！？"


def test_hit_inside_the_second_paragraph_has_the_citation_of_that_paragraph(store) -> None:
    (hit,) = search(store, "给予处分").hits[:1]
    assert hit.citation == law(5)
    assert hit.focus is not None
    assert hit.focus["citation"] == law(5) + "第二款"


# ------------------------------------------------------------------------------- index follows the store


def test_reingesting_a_changed_file_replaces_the_searchable_wording(tmp_path: Path, db: Path) -> None:
    path = write(tmp_path, "a.txt", law_text())
    with open_corpus(db) as s:
        ingest_file(s, path)
        assert citations(search(s, '"储备粮制度"').hits) == [law(2)]
        write(tmp_path, "a.txt", law_text(LAW_HEAD.replace("储备粮制度", "粮食应急保障制度")))
        assert ingest_file(s, path).status == "replaced"
        assert search(s, '"储备粮制度"', limit=100).hits == []
        assert citations(search(s, '"应急保障制度"', limit=100).hits) == [law(2)]
        hits = search(s, "粮", limit=100).hits
        assert len({(h.document_id, h.provision_id) for h in hits}) == len(hits)
        assert law(2) in citations(hits)


def test_old_wording_stays_gone_when_other_files_come_in_after_a_shorter_version(tmp_path: Path, db: Path) -> None:
    path = write(tmp_path, "a.txt", law_text() + gazette(REPORT))
    with open_corpus(db) as s:
        ingest_file(s, path)
        assert citations(search(s, '"储备粮"').hits)
        write(tmp_path, "a.txt", gazette(REPORT))  # the law is gone from a.txt
        assert ingest_file(s, path).status == "replaced"
        ingest_file(s, write(tmp_path, "b.txt", gazette(NOTICE)))
        assert search(s, '"储备粮"', limit=100).hits == []
        assert search(s, "粮", limit=100).hits == []
        assert {h.title for h in search(s, "人民政府", limit=100).hits} == {NOTICE_TITLE, REPORT_TITLE}


def test_ingesting_the_same_file_twice_does_not_duplicate_hits(tmp_path: Path, db: Path) -> None:
    path = write(tmp_path, "a.txt", law_text())
    with open_corpus(db) as s:
        ingest_file(s, path)
        before = citations(search(s, "粮", limit=100).hits)
        assert ingest_file(s, path).status == "unchanged"
        again = s.ingest(parse_file(path))  # the store itself, not only ingest_file, sees the same version
        assert again.status == "unchanged"
        after = citations(search(s, "粮", limit=100).hits)
    assert after == before
    assert len(set(after)) == len(after)


def test_cli_ingest_twice_then_search_has_each_provision_once(loaded, files) -> None:
    assert loaded("ingest", *files.values()).exit_code == 0
    hits = hits_of(loaded, "储备粮", "--limit", "100")
    assert sorted(citations(hits)) == sorted([law(2), law(3), law(5)])
