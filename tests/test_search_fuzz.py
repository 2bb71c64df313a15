"""search properties: every 1–6 character string that occurs in a provision finds it; no query ever raises.

The corpus is a small law and a report written below.  The expected provisions of a string are the paragraphs of
that text that contain it, located by their line in the file: a hit must cite source lines that cover it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gazette_text import gazette, line_of, write
from gongbao.ingest import ingest_file
from gongbao.search import search
from gongbao.store import Corpus, open_corpus

HEAD = """
山西省城市数字化管理条例
（2024年5月30日山西省第十四届人民代表大会常务委员会第十二次会议通过）
第一章　总　则
"""
ARTICLES = [
    "第一条　为了推进城市数字化管理，提升5G网络和APP政务服务水平，制定本条例。",
    "第二条　县级以上人民政府应当将PM2.5监测数据接入城市运行管理平台，每季度公开1次。",
    "第三条　数据主管部门负责公共数据的汇聚、共享和开放；其他有关部门在各自职责范围内做好相关工作。",
    "第二章　平台建设",
    "第四条　平台运营单位应当保障系统7×24小时稳定运行，发生故障的，应当在２小时内恢复。",
    "第五条　任何单位和个人不得窃取、篡改或者非法提供公共数据。",
    "第六条　违反本条例第五条规定的，由网信部门没收违法所得，并处10万元以上100万元以下罚款。",
    "第七条　本条例自2024年10月1日起施行。",
]
REPORT = """
关于2023年全省数字政府建设情况的报告
——2023年11月28日在山西省第十四届人民代表大会常务委员会第七次会议上
山西省政务信息管理局局长　李明
一、工作进展
全省政务云平台承载业务系统386个，GDP核算数据实现按月共享。
二、下一步打算
加快建设一体化数据资源体系，推动IPv6规模部署。
"""
REPORT_PARAGRAPHS = [
    "全省政务云平台承载业务系统386个，GDP核算数据实现按月共享。",
    "加快建设一体化数据资源体系，推动IPv6规模部署。",
]

TEXT = gazette(HEAD + "\n".join(ARTICLES) + "\n" + REPORT)
FULLWIDTH = str.maketrans(
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ",
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
)


def _paragraphs() -> list[tuple[int, str]]:
    """(source line, text as the index sees it) of every paragraph that carries text: articles without their
    label, and the report's paragraphs."""
    out = []
    for article in ARTICLES:
        if "条" in article[:4]:
            out.append((line_of(TEXT, article), article.split("\u3000", 1)[1].translate(FULLWIDTH)))
    out += [(line_of(TEXT, p), p) for p in REPORT_PARAGRAPHS]
    return out


PARAGRAPHS = _paragraphs()
SUBSTRINGS = sorted(
    {
        run[i : i + n]
        for _line, text in PARAGRAPHS
        for run in re.findall(r"[^\W_]+", text)
        for n in range(1, 7)
        for i in range(len(run) - n + 1)
    }
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("fuzz")
    with open_corpus(folder / "gongbao.db") as s:
        assert ingest_file(s, write(folder, "digital.txt", TEXT)).documents == 2
        yield s


def _missing(store: Corpus, query: str, needle: str) -> list[int]:
    """Lines of paragraphs containing `needle` that no hit of `query` covers."""
    hits = search(store, query, limit=100).hits
    assert len(hits) <= 100
    spans = [(h.source["start_line"], h.source["end_line"]) for h in hits if h.source["file"] == "digital.txt"]
    wanted = [line for line, text in PARAGRAPHS if needle.lower() in text.lower()]
    return [line for line in wanted if not any(a <= line <= b for a, b in spans)]


def test_the_corpus_has_enough_substrings() -> None:
    assert len(PARAGRAPHS) == 9
    assert len(SUBSTRINGS) > 1000
    assert {"5", "G", "PM2", "Pv6", "罚", "罚款", "公共数据"} <= set(SUBSTRINGS)


def test_every_substring_of_1_to_6_characters_finds_every_provision_containing_it(store) -> None:
    failures = {}
    for s in SUBSTRINGS:
        missing = _missing(store, f'"{s}"', s)
        if missing:
            failures[s] = missing
    assert not failures, (
        f"{len(failures)} of {len(SUBSTRINGS)} substrings miss provisions: {list(failures.items())[:10]}"
    )


QUOTES = [('"', '"'), ("“", "”"), ("「", "」"), ("『", "』")]


def _fullwidth(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in s)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    s=st.sampled_from(SUBSTRINGS),
    quotes=st.sampled_from(QUOTES),
    case=st.sampled_from([str, str.upper, str.lower, str.swapcase]),
    wide=st.booleans(),
    pad=st.sampled_from(["", " ", "\u3000", "\t", "，", "？"]),
)
def test_a_quoted_substring_typed_in_any_case_and_width_finds_its_provisions(store, s, quotes, case, wide, pad) -> None:
    typed = case(s)
    if wide:
        typed = _fullwidth(typed)
    query = f"{pad}{quotes[0]}{typed}{quotes[1]}{pad}"
    assert _missing(store, query, s) == [], query


# --------------------------------------------------------------------------------------------- fuzzing

OPERATORS = ["AND", "OR", "NOT", "NEAR", "NEAR(", ",", "*", "^", "+", "-", ":", "(", ")", "{", "}", "col:", "body:"]
QUOTE_CHARS = ['"', "'", "“", "”", "《", "》", "「", "」", "『", "』", '""', "\\"]
ODD = [
    "\x00",
    "\x1b[31m",
    "\u200f",
    "\u200e",
    "\ufeff",
    "\u3000",
    "😀",
    "👨‍👩‍👧",
    "\U0010fffd",
    "\ue000",
    "…",
    "XX",
    "某某",
]
WORDS = ["罚款", "公共数据", "平台", "罚多少钱", "能不能", "怎么", "吗", "PM2.5", "GDP", "IPv6", "２小时", "第五条"]
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
ASCII_PUNCT = st.sampled_from(list("!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ "))
piece = st.one_of(
    st.sampled_from(OPERATORS),
    st.sampled_from(QUOTE_CHARS),
    st.sampled_from(ODD),
    st.sampled_from(WORDS),
    st.sampled_from(SUBSTRINGS),
    CJK,
    ASCII_PUNCT,
)
composed = st.lists(piece, max_size=40).map(" ".join) | st.lists(piece, max_size=40).map("".join)


def _check(store: Corpus, query: str, limit: int) -> None:
    result = search(store, query, limit=limit)
    assert len(result.hits) <= limit
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    for hit in result.hits:
        assert hit.provision_id and hit.citation.startswith("《")
        assert hit.snippet.count("**") % 2 == 0
        assert 1 <= hit.source["start_line"] <= hit.source["end_line"]
    if not result.terms:
        assert result.hits == [] and result.notes


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=300), limit=st.integers(1, 20))
def test_any_text_is_a_valid_query(store, query, limit) -> None:
    _check(store, query, limit)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=composed, limit=st.integers(1, 20))
def test_any_mix_of_words_operators_quotes_and_odd_characters_is_a_valid_query(store, query, limit) -> None:
    _check(store, query, limit)


@pytest.fixture(scope="module")
def db_file(store: Corpus) -> Path:
    return store.path


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=composed.filter(lambda q: not q.startswith("-")))
def test_cli_prints_a_json_array_for_any_query(cli, db_file, query) -> None:
    result = cli("search", query, "--json", "--limit", "5", "--db", str(db_file))
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert isinstance(hits, list) and len(hits) <= 5
