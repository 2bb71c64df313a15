"""Query expansion from the corpus's own definitions: a question's everyday word that the laws use only inside the
definition of one of their terms (本条例所称烟花爆竹，是指…鞭炮…) finds the articles written with that term.

The corpus: a law on fireworks whose article 2 defines 烟花爆竹 as including 鞭炮 and whose article 4 fines selling
them in a no-firing zone without ever saying 鞭炮; beside it a long law on roads (so that 鞭炮 is rare among the
units, as an everyday word is in a real corpus).  The expected hits are read off the texts below."""

from __future__ import annotations

from pathlib import Path

import pytest

from gazette_text import gazette, write
from gongbao.ingest import ingest_file
from gongbao.search import expand, search
from gongbao.search.query import analyze
from gongbao.store import Store

LAW = "泰安市烟花爆竹燃放管理条例"
LAW_TEXT = f"""
{LAW}
（2023年11月30日泰安市第十八届人民代表大会常务委员会第十次会议通过）
第一条　为了加强烟花爆竹燃放管理，保障公共安全，制定本条例。
第二条　本条例所称烟花爆竹，是指烟花、鞭炮、礼花弹等以烟火药为原料制成的产品。
第三条　市人民政府划定禁止燃放区域，并向社会公布。
第四条　在禁止燃放区域内经营烟花爆竹的，由应急管理部门责令停止，处二万元以上十万元以下罚款。
第五条　本条例自2024年3月1日起施行。
"""
ROADS = "泰安市城市道路管理条例"
ROADS_TEXT = f"""
{ROADS}
（2023年10月30日泰安市第十八届人民代表大会常务委员会第九次会议通过）
""" + "\n".join(f"第{n}条　城市道路第{n}段的养护由市政管理部门按照年度计划组织实施。" for n in range(1, 601))


@pytest.fixture
def store(tmp_path: Path):
    folder = tmp_path / "gazettes"
    folder.mkdir()
    files = [write(folder, "fireworks.txt", gazette(LAW_TEXT)), write(folder, "roads.txt", gazette(ROADS_TEXT))]
    with Store(tmp_path / "t.db") as s:
        for f in files:
            ingest_file(s, f)
        yield s


def test_the_corpus_definitions_are_read_with_what_they_define(store: Store) -> None:
    defined = expand.definitions(store)
    assert any(term == "烟花爆竹" and "鞭炮" in meaning for term, meaning in defined)


def test_an_everyday_word_finds_the_article_written_with_the_term_it_is_defined_under(store: Store) -> None:
    hits = search(store, "鞭炮经营", limit=3).hits
    assert hits and (hits[0].title, hits[0].label) == (LAW, "第四条")  # 第四条 never says 鞭炮
    assert "第四条" in [h.label for h in search(store, "在禁放区卖鞭炮", limit=5).hits]


def test_a_word_the_corpus_uses_often_is_not_widened(store: Store) -> None:
    analysis = analyze("道路养护")
    idf = {t.text: 0.1 for t in analysis.terms}  # as common as can be
    assert expand.widen(store, analysis, idf) is analysis
