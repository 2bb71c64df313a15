"""doctypes: the type word a title ends with (文种)."""

from __future__ import annotations

import pytest

from gongbao.parse.doctypes import title_type


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("中华人民共和国刑法修正案（九）", "修正案"),
        ("中华人民共和国宪法修正案（2018年）", "修正案"),
        ("药品经营质量管理规范（试行）", "规范"),
        ("反恐怖主义国家法", "法"),  # a short law title without 中华人民共和国
        ("中华人民共和国道路交通安全法", "法"),
        ("香港特别行政区基本法", "法"),
        ("关于推广基层治理的主要做法", None),  # 做法, 方法, 依法 … are no laws
        ("科学研究方法", None),
        ("严格依法", None),
        ("城乡规划实施办法", "实施办法"),
    ],
)
def test_type_word_at_the_end_of_a_title(title: str, doc_type: str | None) -> None:
    assert title_type(title) == doc_type


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [("本期目录", "目录"), ("2024年第3期目录", "目录"), ("目录", "目录"), ("本省公共信用信息目录", None)],
)
def test_only_a_contents_heading_is_of_type_contents(title: str, doc_type: str | None) -> None:
    assert title_type(title) == doc_type
