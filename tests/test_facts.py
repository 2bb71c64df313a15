"""Facts read off a text must be the text's own: a figure's year from the plan period it is written under, no
citation of a document by itself, a status from the text's own dates, and the 效力级别 from issuer and type."""

from __future__ import annotations

from datetime import date

import pytest

from gongbao.link.figures import find_figures
from gongbao.link.level import LEVELS, legal_level
from gongbao.link.refs import link_issue
from gongbao.link.status import expiry, status_of
from gongbao.model import Document, Provision, Source

PLAN_TITLE = "山西省国民经济和社会发展第十四个五年规划和2035年远景目标纲要"


def _plan(*provisions: Provision, title: str = PLAN_TITLE, doc_type: str = "纲要") -> Document:
    return Document("plan", title, doc_type, None, None, {}, Source("t.txt", "", 1, 99), provisions=list(provisions))


def _p(
    pid: str, kind: str, text: str, parent: str | None = None, heading: str | None = None, label: str = ""
) -> Provision:
    return Provision(pid, kind, None, label, text, parent, 1, 1, heading)


PLAN = _plan(
    _p("chp_1", "chapter", "", heading="坚决扛起历史使命", label="第一章"),
    _p("chp_1__sec_1", "section", "", "chp_1", heading="“十三五”发展成就", label="第一节"),
    _p("chp_1__sec_1__p_1", "block", "经济综合实力显著增强，地区生产总值年均增长5.4%。", "chp_1__sec_1"),
    _p("chp_1__sec_2", "section", "", "chp_1", heading="主要目标", label="第二节"),
    _p(
        "chp_1__sec_2__p_1",
        "block",
        "高新技术企业达到5000家。到2035年，全省森林覆盖率达到30%。",
        "chp_1__sec_2",
    ),
)


def _year_of(figures, subject_part: str) -> int | None:
    return next(f.year for f in figures if subject_part in f.subject)


def test_figures_take_the_year_of_the_plan_period_they_are_written_under() -> None:
    figures = find_figures(PLAN)
    assert _year_of(figures, "地区生产总值") == 2020  # under “十三五”发展成就: 2016–2020, not the title's 2035
    assert _year_of(figures, "高新技术企业") == 2025  # the plan's own period: 第十四个五年 = 2021–2025
    assert _year_of(figures, "森林覆盖率") == 2035  # 到2035年 where it is written


def test_a_document_does_not_cite_itself() -> None:
    plan = _plan(
        _p("p_1", "block", "《纲要》主要阐明全省发展战略。本规划根据《中共山西省委关于制定规划的建议》编制。"),
        _p("p_2", "block", f"《{PLAN_TITLE}》是全省人民共同的行动纲领。"),
    )
    link_issue([plan])
    documents = [r for r in plan.references if r["kind"] == "document"]
    assert len(documents) == 3  # every 《 printed is kept
    own = [r for r in documents if r.get("target") == plan.id]
    assert {r["text"] for r in own} == {"《纲要》", f"《{PLAN_TITLE}》"}
    assert all("key" not in r for r in own)  # nothing left for the store to resolve to another text
    other = next(r for r in documents if r.get("target") != plan.id)
    assert other["title"] == "中共山西省委关于制定规划的建议"


def test_the_short_name_of_another_text_is_not_a_self_citation() -> None:
    law = Document("law", "山西省测试条例", "条例", None, None, {}, Source("t.txt", "", 1, 9))
    law.provisions = [
        Provision(
            "art_1",
            "article",
            1,
            "第一条",
            "根据《中华人民共和国测试法》（以下简称《测试法》）和《测试法》的规定，制定本条例。",
            None,
            1,
            1,
        ),
    ]
    link_issue([law])
    assert all(r.get("target") != law.id for r in law.references if r["kind"] == "document")


def test_a_plan_without_printed_dates_is_dated_by_its_period() -> None:
    plan = _plan(
        _p(
            "p_1",
            "block",
            "山西省国民经济和社会发展第十四个五年（2021-2025年）规划和2035年远景目标纲要，主要阐明战略意图。",
        )
    )
    plan.dates["expires"] = expiry(plan)
    assert plan.dates["expires"] == "2025-12-31"
    on = status_of(plan, [], date(2023, 6, 1))
    assert (on.status, on.since) == ("现行有效", "2021-01-01")
    assert status_of(plan, [], date(2026, 1, 1)).status == "失效"  # its period ran out: 失效, not 已废止


def test_the_date_of_the_resolution_that_adopts_a_text_dates_it() -> None:
    plan = _plan(_p("p_1", "block", "全省发展的行动纲领。"), title="山西省测试发展纲要")
    adopted = {"type": "resolves", "document_id": "r1", "evidence": "", "effective": "2021-01-23"}
    assert status_of(plan, [adopted], date(2021, 1, 22)).status == "尚未施行"
    assert status_of(plan, [adopted], date(2021, 2, 1)).since == "2021-01-23"
    assert status_of(plan, [], date(2021, 2, 1)).status == "unknown"  # 效力未知: nothing says anything


def test_an_expired_validity_period_is_shixiao_and_a_repeal_is_feizhi() -> None:
    article = Provision("art_1", "article", 1, "第一条", "测试。", None, 1, 1)
    dates = {"effective": "2020-01-01", "expires": "2021-12-31"}
    rules = Document("r", "山西省测试办法", "办法", None, None, dates, Source("t.txt", "", 1, 1), provisions=[article])
    assert status_of(rules, [], date(2022, 1, 1)).status == "失效"
    repeal = {
        "type": "repeals",
        "document_id": "x",
        "evidence": "《山西省测试办法》同时废止。",
        "effective": "2021-06-01",
    }
    assert status_of(rules, [repeal], date(2022, 1, 1)).status == "已废止"


LEVEL_CASES = [
    ("全国人民代表大会常务委员会", "法", "中华人民共和国测试法", None, "法律"),
    ("国务院", "条例", "测试管理条例", None, "行政法规"),
    ("山西省人民代表大会常务委员会", "条例", "山西省城乡垃圾管理条例", None, "地方性法规"),
    (
        "山西省人民代表大会常务委员会",
        "决定",
        "山西省人民代表大会常务委员会关于批准《太原市测试条例》的决定",
        None,
        "地方性法规",
    ),
    (
        "山西省人民代表大会常务委员会",
        "决定",
        "山西省人民代表大会常务委员会关于召开山西省第十四届人民代表大会第二次会议的决定",
        None,
        None,
    ),
    ("中华人民共和国生态环境部", "办法", "测试管理办法", None, "规章"),
    ("山西省人民政府", "办法", "山西省测试管理办法（山西省人民政府令第300号）", None, "规章"),
    (
        "山西省人民政府办公厅",
        "通知",
        "山西省人民政府办公厅关于印发山西省测试管理办法的通知",
        "山西省测试管理办法",
        "规范性文件",
    ),
    ("山西省住房和城乡建设厅", "通知", "山西省住房和城乡建设厅关于印发《测试细则》的通知", "测试细则", "规范性文件"),
    ("山西省人民政府办公厅", "实施意见", "山西省人民政府办公厅关于进一步促进民间投资的实施意见", None, "规范性文件"),
    ("最高人民法院", "解释", "最高人民法院关于审理测试案件适用法律若干问题的解释", None, "司法解释"),
    ("山西省人大法制委员会", "报告", "山西省人大法制委员会关于《山西省测试条例（草案）》审议结果的报告", None, None),
    (None, "说明", "关于《山西省测试条例（草案）》的说明", None, None),
    ("山西省人民政府", "通知", "山西省人民政府关于张三任职的通知", None, None),
]


@pytest.mark.parametrize(("issuer", "doc_type", "title", "inner", "level"), LEVEL_CASES)
def test_the_legal_level_is_read_from_issuer_and_type(issuer, doc_type, title, inner, level) -> None:
    assert legal_level(issuer, doc_type, title, inner) == level
    assert level is None or level in LEVELS
