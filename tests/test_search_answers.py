"""Hits that answer: the snippet holds the amount or time limit asked for, every hit says whether its text is in
force (and the in-force filter keeps only those), and a question nothing answers is said to be answered weakly.

The corpus: a law in force whose fine sits in the second clause of a long article, and an 办法 on the same subject
whose two-year validity period ran out long ago; the expected hits are read off the texts below."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gazette_text import gazette, write
from gongbao.ingest import ingest_file
from gongbao.search import search
from gongbao.store import Store

LAW = "山西省河道采砂管理条例"
# the fine is in the second clause, after a first clause longer than half a snippet
ARTICLE_3 = (
    "第三条　违反本条例规定，未经许可在河道管理范围内从事采砂活动，或者在禁采区、禁采期内从事采砂活动，"
    "经水行政主管部门责令停止违法行为后仍不停止的；情节严重的，没收违法所得和采砂工具，并处十万元以上三十万元以下罚款。"
)
LAW_TEXT = f"""
{LAW}
（2023年11月30日山西省第十四届人民代表大会常务委员会第七次会议通过）
第一条　为了加强河道采砂管理，维护河势稳定，制定本条例。
第二条　在本省行政区域内的河道管理范围内从事采砂活动，应当遵守本条例。
{ARTICLE_3}
第四条　采砂许可申请人应当提交申请书和采砂作业方案。水行政主管部门应当自受理申请之日起二十日内作出是否许可的决定。
第五条　本条例自2024年3月1日起施行。
"""
OLD_NOTICE = """
山西省水利厅关于印发山西省河道采砂许可办法的通知
晋水发〔2015〕3号
各市水利局：
现将《山西省河道采砂许可办法》印发给你们，请遵照执行。
山西省水利厅
2015年1月5日
山西省河道采砂许可办法
第一条　为了规范河道采砂许可，制定本办法。
第二条　从事河道采砂的，应当向水行政主管部门申请采砂许可。
第三条　本办法自2015年1月5日起施行，有效期2年。
"""


@pytest.fixture
def store(tmp_path: Path):
    folder = tmp_path / "gazettes"
    folder.mkdir()
    files = [write(folder, "law.txt", gazette(LAW_TEXT)), write(folder, "old.txt", gazette(OLD_NOTICE))]
    with Store(tmp_path / "t.db") as s:
        for f in files:
            ingest_file(s, f)
        yield s


def plain(snippet: str) -> str:
    return snippet.replace("**", "")


def test_the_snippet_holds_the_amount_asked_for(store: Store) -> None:
    hit = search(store, "无证采砂罚款多少", limit=3).hits[0]
    assert hit.label == "第三条"
    assert "十万元以上三十万元以下罚款" in plain(hit.snippet)


def test_the_snippet_holds_the_time_limit_asked_for(store: Store) -> None:
    hits = search(store, "采砂许可申请多久作出决定", limit=3).hits
    law_hit = next(h for h in hits if h.title == LAW)
    assert "二十日内" in plain(law_hit.snippet)


def test_every_hit_says_whether_its_text_is_in_force(store: Store) -> None:
    hits = search(store, "采砂许可", limit=10, as_of=date(2025, 1, 1)).hits
    by_title = {h.title: h for h in hits}
    assert by_title[LAW].status == "现行有效"
    old = next(h for h in hits if h.title != LAW)
    assert old.status == "失效"
    assert "届满" in (old.status_reason or "")


def test_the_in_force_filter_keeps_only_texts_in_force(store: Store) -> None:
    hits = search(store, "采砂许可", limit=10, in_force=True, as_of=date(2025, 1, 1)).hits
    assert hits
    assert {h.title for h in hits} == {LAW}


def test_on_a_day_the_old_text_was_in_force_it_counts_as_in_force(store: Store) -> None:
    hits = search(store, "采砂许可", limit=10, in_force=True, as_of=date(2016, 1, 1)).hits
    assert hits and all(h.title != LAW for h in hits)  # the law was not yet in force then


def test_a_question_nothing_answers_is_said_to_be_weak(store: Store) -> None:
    result = search(store, "开餐馆要办什么营业执照", limit=10)
    assert result.weak
    assert any("没有条文很好地回答" in n for n in result.notes)
    assert all(h.match < 0.5 for h in result.hits)


def test_a_question_the_corpus_answers_is_not_weak(store: Store) -> None:
    result = search(store, "未经许可采砂罚多少", limit=10)
    assert not result.weak
    assert result.hits[0].match >= 0.5
