"""The policy graph on the bundled samples: the acceptance checks of the links issue.  Expected values were written
from reading the sample texts (titles, dates, the task list), not from the program's output."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from gongbao.model import SearchFilters
from gongbao.store import Corpus, open_corpus

TODAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def store(samples_db: Path):
    with open_corpus(samples_db, readonly=True) as s:
        yield s


def _doc(store: Corpus, title: str):
    return store.find_document(title)


def _incoming(store: Corpus, title: str) -> Counter:
    return Counter(r["type"] for r in store.relations_of(_doc(store, title).id)["incoming"])


# ------------------------------------------------------------------------------------------ sample 000


@pytest.mark.parametrize(
    ("law", "reports"),
    [("山西省民营经济发展促进条例", 2), ("山西省城乡垃圾管理条例", 1), ("山西省消费者权益保护条例", 2)],
)
def test_000_each_law_is_linked_to_its_notice_explanation_and_reports(store: Corpus, law: str, reports: int) -> None:
    incoming = _incoming(store, law)
    assert incoming["promulgates"] == 1
    assert incoming["explains"] == 1
    assert incoming["reviews"] == reports


def test_000_each_approval_names_its_city_regulation(store: Corpus) -> None:
    decisions = [d for d in store.list_documents(file=_file(store, "000")) if "关于批准《" in d.title]
    assert len(decisions) == 7
    for d in decisions:
        named = re.search(r"关于批准《(.+)》的决定", d.title).group(1)
        approves = [r for r in store.relations_of(d.id)["outgoing"] if r["type"] == "approves"]
        assert [r["title"] for r in approves] == [named]


def test_000_inspection_reports_link_the_regulations_they_inspected(store: Corpus) -> None:
    reports = [d for d in store.list_documents(file=_file(store, "000")) if "执法检查组关于检查《" in d.title]
    assert len(reports) == 3
    for d in reports:
        inspected = re.search(r"检查《(.+)》实施情况", d.title).group(1)
        assert [(r["type"], r["title"]) for r in store.relations_of(d.id)["outgoing"]] == [("inspects", inspected)]


# ------------------------------------------------------------------------------------------ sample 001


def test_001_each_resolution_links_the_report_it_resolves_on(store: Corpus) -> None:
    docs = store.list_documents(file=_file(store, "001"))
    resolutions = [(i, d) for i, d in enumerate(docs) if d.doc_type == "决议"]
    assert len(resolutions) == 7
    for i, d in resolutions:
        targets = {r["document_id"] for r in store.relations_of(d.id)["outgoing"] if r["type"] == "resolves"}
        assert targets == {docs[i + 1].id}, d.title  # the report is printed right after its resolution


@pytest.mark.parametrize(
    "measures",
    [
        "山西省实施《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》办法",
        "山西省人民代表大会代表议案的提出和处理办法",
        "山西省人民代表大会代表建议、批评和意见的提出和处理办法",
    ],
)
def test_001_each_measures_is_linked_to_its_notice_explanations_and_reports(store: Corpus, measures: str) -> None:
    incoming = _incoming(store, measures)
    assert incoming["promulgates"] == 1
    assert incoming["explains"] == 2  # its own 说明 and the joint 说明 on all three drafts
    assert incoming["reviews"] == 2  # two 审议结果的报告 of the 法制委员会


# --------------------------------------------------------------------------------------------- citations


def test_every_citation_is_resolved_or_external_and_none_is_lost(store: Corpus) -> None:
    """Count 《 and « in the raw lines of every document independently of the parser, and compare."""
    for source in store.sources():
        raw = store.source_lines(source["file"])
        for doc in store.list_documents(file=source["file"]):
            span = "\n".join(raw[doc.source.start_line - 1 : doc.source.end_line])
            printed = span.count("《") + span.count("«")
            full = store.document(doc.id)
            found = [r for r in full.references if r["kind"] == "document" and not r.get("nested")]
            assert len(found) == printed, (source["file"], doc.title)
            text = full.title + "".join(p.text + (p.heading or "") for p in full.provisions)
            for r in found:
                assert r.get("target_id") or r["external"], r
                assert r["text"] in text  # not mangled: the citation is what the document prints


# -------------------------------------------------------------------------------------------- duties


def test_003_the_task_breakdown_has_98_tasks_each_with_leader_and_lead_unit(store: Corpus) -> None:
    doc = _doc(store, "重点工作任务分解方案")
    duties = store.duties(document_id=doc.id)
    tasks: dict[str, set[str]] = {}
    for d in duties:
        tasks.setdefault(d["provision_id"], set()).add(d["role"])
    assert len(tasks) == 98
    assert all({"leader", "lead"} <= roles for roles in tasks.values())
    first = [d for d in duties if d["task"].startswith("地区生产总值增长")]
    assert {(d["role"], d["agency"]) for d in first} == {
        ("leader", "武跃飞"),
        ("lead", "朔州市发展和改革委员会"),
        ("cooperate", "朔州市工业和信息化局"),
        ("cooperate", "朔州市商务局"),
        ("cooperate", "朔州市农业农村局"),
        ("cooperate", "朔州市住房和城乡建设局"),
        ("cooperate", "朔州市能源局"),
    }
    # 各县（市、区）政府 is one agency wherever it is listed
    assert not [d for d in duties if d["agency"] in ("各县", "市", "区）政府")]


def test_inline_assignments_of_002_and_003_are_captured(store: Corpus) -> None:
    saving = store.duties(document_id=_doc(store, "节能减排实施方案").id)
    assert {"山西省能源局", "山西省发展和改革委员会", "山西省生态环境厅"} <= {d["agency"] for d in saving}
    cleanup = store.duties(document_id=_doc(store, "市容环境集中整治专项行动实施方案").id)
    per_task: dict[str, set[str]] = {}
    for d in cleanup:
        per_task.setdefault(d["provision_id"], set()).add(d["agency"])
    assert len(per_task) == 19  # every one of the 19 tasks names 朔城区人民政府 and the development zone
    assert all({"朔城区人民政府", "朔州经济开发区管委会"} <= agencies for agencies in per_task.values())


def test_what_the_provincial_environment_department_must_do(store: Corpus) -> None:
    duties = store.duties(agency="省生态环境厅")
    assert {d["agency"] for d in duties} == {"山西省生态环境厅"}
    titles = {d["title"] for d in duties}
    assert any("节能减排" in t for t in titles) and any("新污染物" in t for t in titles)
    assert all(d["file"].startswith("002") for d in duties)  # 朔州's documents name the city's 生态环境局


# -------------------------------------------------------------------------------------------- status

# (title, status on 2023-01-01, status on 2026-11-21), from the commencement and validity clauses of each text
LAW_STATUS = [
    ("山西省民营经济发展促进条例", "尚未施行", "现行有效"),  # 自2024年1月1日起施行
    ("山西省城乡垃圾管理条例", "尚未施行", "现行有效"),
    ("山西省消费者权益保护条例", "尚未施行", "现行有效"),
    ("山西省实施《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》办法", "现行有效", "现行有效"),
    ("山西省人民代表大会代表议案的提出和处理办法", "现行有效", "现行有效"),  # 自2021年3月1日起施行
    ("山西省人民代表大会代表建议、批评和意见的提出和处理办法", "现行有效", "现行有效"),
    ("山西省防范和处置非法集资工作实施细则的通知", "现行有效", "现行有效"),  # 2022-12-30, 有效期5年
    ("山西省道路交通事故社会救助基金管理办法的通知", "现行有效", "现行有效"),  # 2022-12-01
    ("山西省尾矿库安全监督管理办法的通知", "现行有效", "现行有效"),  # 2023-01-01, 有效期5年
    ("山西省煤矿生产安全事故整顿恢复机制实施办法的通知", "现行有效", "现行有效"),  # 自印发之日起, 5年
    ("《“双随机、一公开”抽查工作细则》的通知", "现行有效", "现行有效"),  # 2022-09-20, 5年
    ("《房地产企业信用评价管理办法》的通知", "现行有效", "现行有效"),  # 2022-09-17, 5年
    ("《住宅物业服务质量星级评价管理办法（试行）》的通知", "现行有效", "失效"),  # 2022-09-18, 试行期两年
    ("《城市管理执法协管人员管理暂行规定》的通知", "现行有效", "失效"),  # 2022-10-08, 有效期两年
    ("《物业管理委员会组建运行办法（试行）》的通知", "现行有效", "失效"),  # 公布之日起三十日后, 两年
    ("《朔州市市级储备粮管理办法》的通知", "现行有效", "现行有效"),
    ("《朔州市城市建设档案管理办法》的通知", "现行有效", "现行有效"),
    ("《朔州市非法违法采矿线索举报奖励办法》的通知", "现行有效", "现行有效"),
    ("第六次会议选举办法", "尚未施行", "现行有效"),  # adopted by the meeting of 2023-11-30, in force from adoption
]


@pytest.mark.parametrize(("title", "on_2023", "today"), LAW_STATUS)
def test_status_of_every_law_in_the_samples(store: Corpus, title: str, on_2023: str, today: str) -> None:
    doc = _doc(store, title)
    assert store.status_of(doc.id, date(2023, 1, 1)).status == on_2023
    assert store.status_of(doc.id, TODAY).status == today


def test_every_text_with_articles_in_the_samples_is_in_the_status_table(store: Corpus) -> None:
    docs, _incoming = store.status_inputs(where=SearchFilters(has_articles=True))
    with_articles = {d.id for d, _articles in docs}
    listed = {_doc(store, t).id for t, _a, _b in LAW_STATUS}
    assert with_articles <= listed


def test_reports_in_the_samples_have_no_status(store: Corpus) -> None:
    for title in ("关于《山西省城乡垃圾管理条例（草案）》的说明", "山西省人民检察院工作报告"):
        assert store.status_of(_doc(store, title).id, TODAY) is None


def _file(store: Corpus, prefix: str) -> str:
    return next(s["file"] for s in store.sources() if s["file"].startswith(prefix))


# ------------------------------------------------------------------------------------------- figures


def test_001_figures_that_lost_their_decimal_point_are_flagged(store: Corpus) -> None:
    doc = _doc(store, "关于山西省2020年国民经济和社会发展计划执行情况与2021年国民经济和社会发展计划草案的报告")
    figures = store.figures(doc.id)
    gdp = next(f for f in figures if f["unit"] == "亿元" and "地区生产总值" in f["subject"])
    assert gdp["value"] == 176519 and "17651.9" in gdp["suspect"]  # printed １７６５１９亿元 for 17651.9
    growth = next(f for f in figures if f["subject"] == gdp["subject"] and f["unit"] == "%")
    assert growth["value"] == 36 and "3.6" in growth["suspect"]  # 比上年增长３６％: 3.6%
    investment = next(f for f in figures if f["subject"] == "固定资产投资" and f["value"] == 106)
    assert "suspect" in investment  # 增长１０６％: 10.6%


def test_002_targets_keep_their_baseline_year(store: Corpus) -> None:
    doc = _doc(store, "节能减排实施方案")
    energy = [f for f in store.figures(doc.id) if f["subject"].endswith("能源消耗")]
    assert any(f.get("baseline_year") == 2020 and f["change"] == "下降" for f in energy)
    assert not [f for f in energy if "suspect" in f]  # this text prints its decimal points
