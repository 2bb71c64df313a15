"""Who must do what by when: task breakdowns, inline and group assignments, legal duties, agencies, deadlines."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from gazette_text import gazette, write
from gongbao.link.agencies import Region, normalize
from gongbao.link.duties import deadline, parse_assignment, split_names

BREAKDOWN = """
朔州市人民政府办公室关于印发《2023年测试重点工作任务分解方案》的通知
朔政办发〔2023〕8号
各县（市、区）人民政府，市直各有关单位：
现将《2023年测试重点工作任务分解方案》印发给你们，请认真贯彻落实。
朔州市人民政府办公室
2023年3月10日
2023年测试重点工作任务分解方案
一、主要目标
1. 地区生产总值增长 6%左右。
责任领导：王 明
牵头单位：市发改委
配合单位：市工信局、市商务局
2. 2023年底前建成测试中心。
责任领导：王 明、李 强
牵头单位：各县（市、区）政府，市住建局
二、重点任务
3. 完善测试服务体系，力争 2023 年 6 月正式运行。
责任领导：李 强
牵头单位：市行政审批局
配合单位：市财政局
"""

INLINE = """
山西省人民政府关于印发山西省测试提升实施方案的通知
晋政发〔2022〕30号
各市、县人民政府，省人民政府各委、办、厅、局：
现将《山西省测试提升实施方案》印发给你们，请认真贯彻执行。
山西省人民政府
2022年11月21日
山西省测试提升实施方案
一、重点工程
（一）煤炭测试工程。到2025年，测试覆盖率达到90%。（省能源局、省发展改革委、省生态环境厅等按职责分工负责，各市、县政府负责落实。以下均需市、县政府落实，不再列出）
（二）园区测试工程。加快园区测试设施建设。（省生态环境厅牵头，省工信厅、省住建厅等按职责分工负责）
二、政策措施
（一）支持民间测试
1. 清理测试壁垒。
2. 推行包容审慎监管。
（以上责任单位：省发展改革委等省直各部门，市县政府）
"""

LEGAL = """
山西省测试管理条例
（2023年11月30日山西省第十四届人民代表大会常务委员会第六次会议通过）
第一条　为了规范测试管理，制定本条例。
第二条　县级以上人民政府测试主管部门负责本行政区域内的测试管理工作。乡（镇）人民政府、街道办事处负责测试的日常工作。
第三条　测试机构的主要负责人对本单位的测试工作全面负责。
第四条　本条例自2024年1月1日起施行。
"""


def _duties(parse_text, text: str) -> list[dict]:
    return [d for doc in parse_text(gazette(text)).documents for d in doc.duties]


def test_a_task_breakdown_gives_each_task_its_leader_lead_and_cooperating_units(parse_text) -> None:
    duties = _duties(parse_text, BREAKDOWN)
    tasks = {d["task"] for d in duties}
    assert len(tasks) == 3
    first = [d for d in duties if d["task"].startswith("地区生产总值")]
    assert {(d["role"], d["agency"]) for d in first} == {
        ("leader", "王明"),
        ("lead", "朔州市发展和改革委员会"),
        ("cooperate", "朔州市工业和信息化局"),
        ("cooperate", "朔州市商务局"),
    }
    second = [d for d in duties if d["task"].startswith("2023年底前")]
    assert sorted(d["agency"] for d in second if d["role"] == "leader") == ["李强", "王明"]
    assert {d["agency"] for d in second if d["role"] == "lead"} == {"各县（市、区）人民政府", "朔州市住房和城乡建设局"}
    assert {d["deadline"] for d in second} == {"2023-12-31"}
    third = [d for d in duties if d["task"].startswith("完善测试服务体系")]
    assert {d["deadline"] for d in third} == {"2023-06-30"}
    assert all(d["level"] == "city" for d in duties if d["agency"].startswith("朔州市"))


def test_inline_assignments_lead_and_cooperating_and_group_scope(parse_text) -> None:
    duties = _duties(parse_text, INLINE)
    coal = [d for d in duties if d["task"].startswith("煤炭测试工程")]
    assert {(d["agency"], d["role"]) for d in coal} >= {
        ("山西省能源局", "responsible"),
        ("山西省发展和改革委员会", "responsible"),
        ("山西省生态环境厅", "responsible"),
        ("各市、县人民政府", "responsible"),
    }
    assert {d["deadline"] for d in coal} == {"2025-12-31"}
    park = [d for d in duties if d["task"].startswith("园区测试工程")]
    assert ("山西省生态环境厅", "lead") in {(d["agency"], d["role"]) for d in park}
    assert ("山西省工业和信息化厅", "cooperate") in {(d["agency"], d["role"]) for d in park}
    # 以下均需市、县政府落实，不再列出: the later tasks get those governments too
    assert "市、县人民政府" in {d["agency"] for d in park}
    # （以上责任单位：…） covers both measures of its group, and not the tasks before the group
    group = [d for d in duties if d["agency"] == "省直各部门"]
    assert {d["task"].rstrip("。") for d in group} == {"清理测试壁垒", "推行包容审慎监管"}
    first = {d["agency"] for d in duties if d["task"].startswith("清理测试壁垒")}
    assert first >= {"山西省发展和改革委员会", "市县人民政府"}


def test_legal_duties_name_the_body_a_law_makes_responsible(parse_text) -> None:
    duties = _duties(parse_text, LEGAL)
    assert {d["agency"] for d in duties} == {"县级以上人民政府测试主管部门", "乡（镇）人民政府", "街道办事处"}
    assert all(d["role"] == "responsible" and d["provision_id"] == "art_2" for d in duties)
    # 主要负责人…负责 is a person's responsibility inside an organisation, not a public body's duty


def test_agency_names_are_normalised_in_the_region_of_the_document() -> None:
    province = Region(province="山西省")
    assert normalize("省发展改革委", province).name == "山西省发展和改革委员会"
    assert normalize("省发展改革委", province).level == "province"
    city = Region(province="山西省", city="朔州市")
    assert normalize("市发改委", city).name == "朔州市发展和改革委员会"
    assert normalize("市发改委", city).level == "city"
    assert normalize("山西省发展和改革委员会").name == "山西省发展和改革委员会"
    assert normalize("省委组织部", province).name == "中共山西省委组织部"
    assert normalize("人行太原中心支行").name == "中国人民银行太原中心支行"
    assert normalize("人行大同中心支行").name == "中国人民银行大同中心支行"  # a pattern, not a list of branches
    assert normalize("河北银保监局").name == "中国银行保险监督管理委员会河北监管局"
    assert normalize("团省委", province).name == "共青团山西省委员会"


def test_collective_names_stay_one_agency() -> None:
    assert split_names("各县（市、区）政府，朔州经济开发区管委会") == ["各县（市、区）政府", "朔州经济开发区管委会"]
    assert split_names("省残联、省税务局和市、县政府") == ["省残联", "省税务局", "市、县政府"]
    assert split_names("省人力资源和社会保障厅") == ["省人力资源和社会保障厅"]  # 和 inside a name
    assert normalize("各县〔市、区〕政府").name == "各县（市、区）人民政府"
    assert normalize("各县（市、区）政府").level == "county"


def test_assignment_roles() -> None:
    assert parse_assignment("省生态环境厅牵头，省工信厅等按职责分工负责") == [
        ("省生态环境厅", "lead"),
        ("省工信厅", "cooperate"),
    ]
    assert parse_assignment("责任单位：市发改委、市住建局，各县〔市、区〕政府") == [
        ("市发改委", "responsible"),
        ("市住建局", "responsible"),
        ("各县〔市、区〕政府", "responsible"),
    ]


def test_deadlines_are_normalised() -> None:
    assert deadline("2022年底前完成改造") == ("2022-12-31", "2022年底前")
    assert deadline("到2025年，覆盖率达到90%") == ("2025-12-31", "到2025年")
    assert deadline("2023年6月底前出台办法")[0] == "2023-06-30"
    assert deadline("2024年2月29日前报送")[0] == "2024-02-29"
    assert deadline("2023年上半年完成")[0] == "2023-06-30"
    assert deadline("“十四五”期间建成")[0] == "2025-12-31"  # the plan period's last year
    assert deadline("十五五时期完成")[0] == "2030-12-31"
    assert deadline("应当自收到申请之日起5个工作日内作出决定") == (None, "自收到申请之日起5个工作日内")
    assert deadline("持续推进测试工作") == (None, None)


def test_duties_command_filters_by_agency_and_writes_csv(cli, tmp_path: Path) -> None:
    paths = [write(tmp_path, "a.txt", gazette(INLINE)), write(tmp_path, "b.txt", gazette(BREAKDOWN))]
    assert cli("ingest", *paths).exit_code == 0
    result = cli("duties", "--agency", "省生态环境厅", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert {d["agency"] for d in found} == {"山西省生态环境厅"}
    assert {d["task"][:6] for d in found} == {"煤炭测试工程", "园区测试工程"}
    # the city's 市发改委 is found by its full name and by the short form with its level
    assert {d["agency"] for d in json.loads(cli("duties", "--agency", "朔州市发展和改革委员会", "--json").output)} == {
        "朔州市发展和改革委员会"
    }
    rows = list(csv.DictReader(io.StringIO(cli("duties", "--agency", "市发改委", "--csv").output)))
    assert rows and {r["agency"] for r in rows} == {"朔州市发展和改革委员会"}
    assert {"task", "deadline", "file", "start_line"} <= set(rows[0])
    leader = json.loads(cli("duties", "--agency", "王明", "--json").output)
    assert {d["role"] for d in leader} == {"leader"} and len(leader) == 2
