"""Whether a text is in force on a given day: dates of effect, validity periods, repeals and amendments."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from gazette_text import PROMULGATION, gazette, write
from gongbao.ingest import ingest_paths
from gongbao.link.status import expiry, status_of
from gongbao.model import Document, Provision, Source
from gongbao.store import open_corpus
from test_links import OLD_NOTICE, REPEALING_NOTICE


def _doc(doc_type: str, dates: dict[str, str], text: str = "", title: str = "山西省测试办法") -> Document:
    provisions = [Provision("art_1", "article", 1, "第一条", text or "第一条 测试。", None, 1, 1)]
    return Document("d1", title, doc_type, None, None, dates, Source("t.txt", "", 1, 1), provisions=provisions)


def test_a_law_is_not_in_force_before_its_commencement_day() -> None:
    law = _doc("条例", {"adopted": "2023-11-30", "effective": "2024-01-01"})
    assert status_of(law, [], date(2023, 12, 31)).status == "尚未施行"
    assert status_of(law, [], date(2024, 1, 1)).status == "现行有效"


def test_a_validity_period_runs_from_the_day_of_effect() -> None:
    measures = _doc(
        "办法", {"issued": "2022-12-08", "effective": "2023-01-01"}, "本办法自2023年1月1日起施行，有效期5年。"
    )
    assert expiry(measures) == "2027-12-31"
    trial = _doc("办法", {"effective": "2022-09-18"}, "本办法自2022年9月18日起施行,试行期两年。")
    assert expiry(trial) == "2024-09-17"
    trial.dates["expires"] = expiry(trial)
    assert status_of(trial, [], date(2024, 9, 17)).status == "现行有效"
    ended = status_of(trial, [], date(2024, 9, 18))
    assert ended.status == "失效" and ended.since == "2024-09-17"  # expired (flk: 失效), not repealed (已废止)


def test_a_validity_clause_about_something_else_is_not_the_texts_own() -> None:
    rules = _doc("办法", {"effective": "2022-09-17"}, "信用评价结果有效期两年。")
    assert expiry(rules) is None


def test_a_plan_for_named_years_ends_with_its_last_year() -> None:
    plan = _doc("通知", {"issued": "2022-11-21"}, "测试。", title="关于印发山西省测试三年行动方案（2022—2024年）的通知")
    plan.inner_title = "山西省测试三年行动方案（2022—2024年）"
    assert expiry(plan) == "2024-12-31"


def test_repeal_and_amendment_by_later_texts() -> None:
    law = _doc("条例", {"effective": "2020-01-01"})
    repeal = {
        "type": "repeals",
        "document_id": "d2",
        "evidence": "《山西省测试办法》同时废止。",
        "effective": "2023-06-01",
    }
    assert status_of(law, [repeal], date(2023, 5, 31)).status == "现行有效"
    repealed = status_of(law, [repeal], date(2023, 6, 1))
    assert (repealed.status, repealed.by, repealed.since) == ("已废止", "d2", "2023-06-01")
    partly = dict(repeal, evidence="《山西省测试办法》第五条、第六条同时废止。")
    assert status_of(law, [partly], date(2024, 1, 1)).status == "部分失效"
    amend = {"type": "amends", "document_id": "d3", "evidence": "", "effective": "2022-03-01"}
    assert status_of(law, [amend], date(2022, 3, 1)).status == "已被修改"
    assert status_of(law, [amend], date(2022, 2, 28)).status == "现行有效"


def test_reports_and_lists_have_no_status() -> None:
    report = _doc("报告", {"delivered": "2023-11-28"}, "一、主要工作")
    report.provisions = [Provision("p_1", "block", None, "", "一、主要工作", None, 1, 1)]
    assert status_of(report, [], date(2024, 1, 1)) is None
    names = _doc("名单", {}, "张三")
    names.provisions = []
    assert status_of(names, [], date(2024, 1, 1)) is None


def test_a_text_without_any_date_has_unknown_status() -> None:
    assert status_of(_doc("办法", {}), [], date(2024, 1, 1)).status == "unknown"


def test_status_in_the_store_follows_a_repeal_from_another_file(tmp_path: Path, db: Path) -> None:
    paths = [write(tmp_path, "old.txt", gazette(OLD_NOTICE)), write(tmp_path, "new.txt", gazette(REPEALING_NOTICE))]
    with open_corpus(db) as store:
        ingest_paths(store, paths)
        old = next(d for d in store.list_documents() if d.doc_number == "晋政办发〔2019〕5号")
        # the new notice is issued 2023-05-04 and takes effect 2023-06-01: the repeal applies from then
        assert store.status_of(old.id, date(2023, 5, 31)).status == "现行有效"
        assert store.status_of(old.id, date(2023, 6, 1)).status == "已废止"


def test_status_command(cli, tmp_path: Path) -> None:
    assert cli("ingest", write(tmp_path, "law.txt", gazette(PROMULGATION))).exit_code == 0
    before = json.loads(cli("status", "山西省民营经济发展促进条例", "--as-of", "2023-12-31", "--json").output)
    assert before["status"]["status"] == "尚未施行"
    after = json.loads(cli("status", "山西省民营经济发展促进条例", "--as-of", "2024-01-01", "--json").output)
    assert after["status"]["status"] == "现行有效"
    notice = json.loads(cli("status", "山西省人民代表大会常务委员会公告", "--json").output)
    assert notice["status"] is None  # a 公告 has no force of its own; the law it promulgates has
    bad = cli("status", "山西省民营经济发展促进条例", "--as-of", "next year")
    assert bad.exit_code == 2 and "--as-of" in bad.output


def test_show_prints_the_status_and_the_relations(cli, tmp_path: Path) -> None:
    assert cli("ingest", write(tmp_path, "law.txt", gazette(PROMULGATION))).exit_code == 0
    shown = cli("show", "山西省民营经济发展促进条例").output
    assert "现行有效" in shown  # in force since 2024-01-01
    assert "promulgates ← 山西省人民代表大会常务委员会公告" in shown
    data = json.loads(cli("show", "山西省民营经济发展促进条例", "--json").output)
    assert data["status"]["status"] == "现行有效" and data["relations"] == []
