"""Numeric targets and achievements, and the flag on values that may have lost their decimal point."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from gazette_text import gazette, write

PLAN = """
山西省人民政府关于印发山西省测试节能实施方案的通知
晋政发〔2022〕31号
各市、县人民政府，省人民政府各委、办、厅、局：
现将《山西省测试节能实施方案》印发给你们，请认真贯彻执行。
山西省人民政府
2022年11月21日
山西省测试节能实施方案
一、主要目标
到2025年，全省单位地区生产总值能源消耗比2020年下降14.5%，能源消费总量得到合理控制。
“十四五”时期，规模以上工业单位增加值能耗下降15%左右。
"""


def _report(numbers: list[str]) -> str:
    """A work report whose statistics print no decimal point at all, as a damaged PDF extraction does."""
    lines = "\n".join(f"全省第{i}项指标增长{n}%。" for i, n in enumerate(numbers, 1))
    return f"""
政府工作报告
——2021年1月20日在山西省第十三届人民代表大会第四次会议上
山西省省长　林武
各位代表：
一、过去一年的工作
全省地区生产总值完成176519亿元，比上年增长36%。
固定资产投资增长106%。
{lines}
"""


def _figures(parse_text, text: str) -> list[dict]:
    return [f for doc in parse_text(gazette(text)).documents for f in doc.figures]


def test_a_target_with_its_subject_year_and_baseline(parse_text) -> None:
    figures = _figures(parse_text, PLAN)
    energy = next(f for f in figures if f["subject"] == "单位地区生产总值能源消耗")
    assert (energy["change"], energy["value"], energy["unit"]) == ("下降", 14.5, "%")
    assert (energy["year"], energy["baseline_year"]) == (2025, 2020)
    assert "suspect" not in energy
    industry = next(f for f in figures if f["subject"] == "规模以上工业单位增加值能耗")
    assert (industry["value"], industry["year"]) == (15.0, 2025)  # “十四五”时期 ends with 2025


def test_values_that_may_have_lost_a_decimal_point_are_flagged(parse_text) -> None:
    figures = _figures(parse_text, _report([str(n) for n in range(40, 62)]))
    gdp = next(f for f in figures if f["unit"] == "亿元")
    assert gdp["value"] == 176519 and "decimal" in gdp["suspect"]
    investment = next(f for f in figures if f["subject"] == "固定资产投资")
    assert "decimal" in investment["suspect"]
    assert all("suspect" in f for f in figures if f["unit"] == "%")


def test_a_growth_above_100_percent_is_flagged_even_where_decimals_survive(parse_text) -> None:
    figures = _figures(parse_text, _report(["4.5", "5.5"]))
    assert "suspect" in next(f for f in figures if f["subject"] == "固定资产投资")
    assert "suspect" not in next(f for f in figures if f["value"] == 4.5)


def test_figures_command(cli, tmp_path: Path) -> None:
    assert cli("ingest", write(tmp_path, "plan.txt", gazette(PLAN))).exit_code == 0
    data = json.loads(cli("figures", "测试节能实施方案", "--json").output)
    assert {f["value"] for f in data["figures"]} == {14.5, 15.0}
    rows = list(csv.DictReader(io.StringIO(cli("figures", "测试节能实施方案", "--csv").output)))
    assert {r["baseline_year"] for r in rows} == {"2020", ""}
    assert cli("figures", "测试节能实施方案").exit_code == 0
