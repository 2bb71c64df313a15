"""structure: paragraphs of one document → provisions (编/章/节/条/款/项/目, and outlines of non-legal texts)."""

from __future__ import annotations

import re

import pytest

from gazette_text import paragraphs
from gongbao.model import PROVISION_KINDS, Provision
from gongbao.parse.structure import parse_provisions


def _table(provisions: list[Provision]) -> list[tuple]:
    return [
        (p.id, p.kind, p.number, p.label, p.heading, p.text, p.parent, p.start_line, p.end_line) for p in provisions
    ]


def _by_id(provisions: list[Provision]) -> dict[str, Provision]:
    return {p.id: p for p in provisions}


def test_chapters_sections_articles_paragraphs_and_items() -> None:
    provisions = parse_provisions(
        paragraphs(
            "第一章\u3000总则",
            "第一条\u3000为了规范城乡垃圾管理，制定本条例。",
            "第二章\u3000规划与建设",
            "第一节\u3000规划",
            "第二条\u3000规划应当科学合理。",
            "第二节\u3000建设",
            "第三条\u3000建设应当符合规范。",
            "第四条\u3000有下列情形之一的，由主管部门责令改正：",
            "（一）未经批准擅自建设的；",
            "（二）擅自改变用途的。",
            "违反前款规定，情节严重的，处一万元以上罚款。",
        )
    )
    art4 = "chp_2__sec_2__art_4"
    assert _table(provisions) == [
        ("chp_1", "chapter", 1, "第一章", "总则", "", None, 1, 1),
        ("chp_1__art_1", "article", 1, "第一条", None, "为了规范城乡垃圾管理，制定本条例。", "chp_1", 2, 2),
        ("chp_2", "chapter", 2, "第二章", "规划与建设", "", None, 3, 3),
        ("chp_2__sec_1", "section", 1, "第一节", "规划", "", "chp_2", 4, 4),
        ("chp_2__sec_1__art_2", "article", 2, "第二条", None, "规划应当科学合理。", "chp_2__sec_1", 5, 5),
        ("chp_2__sec_2", "section", 2, "第二节", "建设", "", "chp_2", 6, 6),
        ("chp_2__sec_2__art_3", "article", 3, "第三条", None, "建设应当符合规范。", "chp_2__sec_2", 7, 7),
        (
            art4,
            "article",
            4,
            "第四条",
            None,
            "有下列情形之一的，由主管部门责令改正：\n（一）未经批准擅自建设的；\n（二）擅自改变用途的。\n"
            "违反前款规定，情节严重的，处一万元以上罚款。",
            "chp_2__sec_2",
            8,
            11,
        ),
        (
            f"{art4}__para_1",
            "paragraph",
            1,
            "第一款",
            None,
            "有下列情形之一的，由主管部门责令改正：\n（一）未经批准擅自建设的；\n（二）擅自改变用途的。",
            art4,
            8,
            10,
        ),
        (f"{art4}__para_1__point_1", "item", 1, "（一）", None, "未经批准擅自建设的；", f"{art4}__para_1", 9, 9),
        (f"{art4}__para_1__point_2", "item", 2, "（二）", None, "擅自改变用途的。", f"{art4}__para_1", 10, 10),
        (
            f"{art4}__para_2",
            "paragraph",
            2,
            "第二款",
            None,
            "违反前款规定，情节严重的，处一万元以上罚款。",
            art4,
            11,
            11,
        ),
    ]


def test_article_with_one_paragraph_has_no_paragraph_provisions() -> None:
    provisions = parse_provisions(
        paragraphs("第一条\u3000为了规范管理，制定本办法。", "第二条\u3000本办法自印发之日起施行。")
    )
    assert [p.kind for p in provisions] == ["article", "article"]


def test_article_with_items_has_a_paragraph_even_when_it_has_one() -> None:
    provisions = parse_provisions(
        paragraphs("第一条\u3000救助基金的来源包括：", "（一）按照规定提取的资金；", "（二）社会捐款。")
    )
    assert [(p.id, p.kind, p.parent) for p in provisions] == [
        ("art_1", "article", None),
        ("art_1__para_1", "paragraph", "art_1"),
        ("art_1__para_1__point_1", "item", "art_1__para_1"),
        ("art_1__para_1__point_2", "item", "art_1__para_1"),
    ]


def test_sub_items_under_an_item() -> None:
    provisions = parse_provisions(
        paragraphs(
            "第一条\u3000生活垃圾分为以下类别：", "（一）可回收物，包括：", "1.废纸；", "2.废塑料；", "（二）有害垃圾。"
        )
    )
    point = "art_1__para_1__point_1"
    got = [(p.id, p.kind, p.number, p.label, p.text, p.parent) for p in provisions if p.kind in ("item", "subitem")]
    assert got == [
        (point, "item", 1, "（一）", "可回收物，包括：\n1.废纸；\n2.废塑料；", "art_1__para_1"),
        (f"{point}__point_1", "subitem", 1, "1.", "废纸；", point),
        (f"{point}__point_2", "subitem", 2, "2.", "废塑料；", point),
        ("art_1__para_1__point_2", "item", 2, "（二）", "有害垃圾。", "art_1__para_1"),
    ]


def test_article_zhi_yi_has_the_base_number_a_distinct_label_and_id() -> None:
    provisions = parse_provisions(
        paragraphs(
            "第一条\u3000总则规定。",
            "第一百一十九条\u3000甲规定。",
            "第一百二十条\u3000乙规定。",
            "第一百二十条之一\u3000丙规定。",
            "第一百二十一条\u3000丁规定。",
        )
    )
    articles = [(p.number, p.label, p.text) for p in provisions if p.kind == "article"]
    assert articles[1:] == [
        (119, "第一百一十九条", "甲规定。"),
        (120, "第一百二十条", "乙规定。"),
        (120, "第一百二十条之一", "丙规定。"),
        (121, "第一百二十一条", "丁规定。"),
    ]
    zhi_yi = provisions[3]
    assert "之一" in zhi_yi.label
    assert len({p.id for p in provisions}) == 5


def test_bracketed_article_heading() -> None:
    provisions = parse_provisions(
        paragraphs(
            "第一条【目的依据】为了规范城市管理执法协管人员管理，制定本规定。",
            "第二条【适用范围】 本规定适用于本省行政区域内。",
            "第三条\u3000本规定自2023年1月1日起施行。",
        )
    )
    assert [(p.heading, p.text) for p in provisions] == [
        ("目的依据", "为了规范城市管理执法协管人员管理，制定本规定。"),
        ("适用范围", "本规定适用于本省行政区域内。"),
        (None, "本规定自2023年1月1日起施行。"),
    ]


def test_quoted_article_out_of_sequence_is_not_a_new_article() -> None:
    provisions = parse_provisions(
        paragraphs(
            "第一条\u3000甲。",
            "第二条\u3000乙。",
            "第三条\u3000丙。",
            "第四条\u3000丁。",
            "第五条\u3000将第三条修改为：",
            "第三条\u3000县级以上人民政府应当加强领导。",
            "第六条\u3000本决定自公布之日起施行。",
        )
    )
    articles = [p for p in provisions if p.kind == "article"]
    assert [p.number for p in articles] == [1, 2, 3, 4, 5, 6]
    fifth = articles[4]
    assert (fifth.start_line, fifth.end_line) == (5, 6)
    assert "县级以上人民政府应当加强领导" in fifth.text


def test_missing_chapter_heading_is_tolerated() -> None:
    provisions = parse_provisions(
        paragraphs("第一章\u3000总则", "第一条\u3000甲。", "第三章\u3000附则", "第二条\u3000乙。", "第三条\u3000丙。")
    )
    assert [(p.id, p.kind, p.parent) for p in provisions] == [
        ("chp_1", "chapter", None),
        ("chp_1__art_1", "article", "chp_1"),
        ("chp_3", "chapter", None),
        ("chp_3__art_2", "article", "chp_3"),
        ("chp_3__art_3", "article", "chp_3"),
    ]


@pytest.mark.parametrize(
    "head",
    ["第一条\u3000", "第一条 ", "第一条 \u3000 ", "第一条\u3000\u3000", "第一条【目的】"],
)
def test_article_text_starts_after_the_label(head: str) -> None:
    (article,) = parse_provisions(paragraphs(head + "为了规范管理，制定本办法。"))
    assert article.text == "为了规范管理，制定本办法。"
    assert not re.match(r"^\s*第.{1,6}条", article.text)


def test_outline_of_a_non_legal_text() -> None:
    provisions = parse_provisions(
        paragraphs(
            "为深入贯彻落实节能减排工作部署，制定本方案。",
            "一、总体要求",
            "（一）指导思想。坚持以人民为中心的发展思想。",
            "1.加强组织领导。",
            "各地要落实主体责任。",
            "（二）工作目标",
            "到2025年，完成国家下达的目标任务。",
            "二、重点任务",
            "推进重点行业节能减排。",
        )
    )
    h1, h1_1, h1_1_1 = "hcontainer_1", "hcontainer_1__hcontainer_1", "hcontainer_1__hcontainer_1__hcontainer_1"
    got = [(p.kind, p.label, p.heading, p.text, p.parent, p.start_line) for p in provisions]
    assert got == [
        ("block", "", None, "为深入贯彻落实节能减排工作部署，制定本方案。", None, 1),
        ("heading", "一、", "总体要求", "", None, 2),
        ("heading", "（一）", "指导思想", "坚持以人民为中心的发展思想。", h1, 3),
        ("heading", "1.", "加强组织领导", "", h1_1, 4),
        ("block", "", None, "各地要落实主体责任。", h1_1_1, 5),
        ("heading", "（二）", "工作目标", "", h1, 6),
        ("block", "", None, "到2025年，完成国家下达的目标任务。", provisions[5].id, 7),
        ("heading", "二、", "重点任务", "", None, 8),
        ("block", "", None, "推进重点行业节能减排。", provisions[7].id, 9),
    ]
    assert [p.number for p in provisions if p.kind == "heading"] == [1, 1, 1, 2, 2]
    assert [p.id for p in provisions][1:4] == [h1, h1_1, h1_1_1]


MIXED = (
    "山西省人民政府办公厅",
    "2022年12月8日",
    "山西省煤矿整顿恢复实施办法",
    "第一章\u3000总则",
    "第一条\u3000为了规范整顿恢复工作，制定本办法。",
    "第二条\u3000有下列情形之一的，应当停产整顿：",
    "（一）发生较大事故的；",
    "（二）存在重大隐患的。",
    "停产整顿期间，不得组织生产。",
    "第二章\u3000附则",
    "第三条\u3000本办法自印发之日起施行。",
    "附件：1.整顿恢复验收表",
)


def test_ids_are_unique_parents_come_first_and_parsing_is_deterministic() -> None:
    first = parse_provisions(paragraphs(*MIXED), (3, 3))
    second = parse_provisions(paragraphs(*MIXED), (3, 3))
    assert _table(first) == _table(second)
    ids = [p.id for p in first]
    assert len(ids) == len(set(ids))
    seen: set[str] = set()
    for p in first:
        assert p.kind in PROVISION_KINDS
        assert p.parent is None or p.parent in seen
        seen.add(p.id)
    assert [p.number for p in first if p.kind == "article"] == [1, 2, 3]
    # the appendix line after the last article is kept as addressable text
    assert any("整顿恢复验收表" in (p.text + (p.heading or "")) for p in first)


def test_an_excerpt_that_starts_after_article_one_still_has_articles() -> None:
    provisions = parse_provisions(
        paragraphs(
            "（节选）",
            "第一百一十九条\u3000有下列情形之一的，应当给予处分：",
            "（一）违反规定的；",
            "第一百二十条\u3000违反本法规定的，依法追究责任。",
            "第一百二十一条\u3000本法自公布之日起施行。",
        )
    )
    articles = [p for p in provisions if p.kind == "article"]
    assert [(p.number, p.label) for p in articles] == [
        (119, "第一百一十九条"),
        (120, "第一百二十条"),
        (121, "第一百二十一条"),
    ]
    assert provisions[0].kind == "block" and provisions[0].text == "（节选）"


def test_a_single_quoted_article_in_a_report_is_not_a_law() -> None:
    provisions = parse_provisions(
        paragraphs(
            "一、关于草案的修改",
            "第十六条\u3000支持民营资本参与重大项目建设。",
            "法制委员会建议保留该条。",
        )
    )
    assert not [p for p in provisions if p.kind == "article"]


def test_circled_numbers_inside_an_article_are_sub_items_not_a_crash() -> None:
    provisions = parse_provisions(
        paragraphs(
            "第一条\u3000申请应当提交下列材料：", "①申请书；", "②身份证明。", "第二条\u3000本办法自公布之日起施行。"
        )
    )
    subs = [(p.kind, p.number, p.label, p.text) for p in provisions if p.kind in ("item", "subitem")]
    assert subs == [("item", 1, "①", "申请书；"), ("item", 2, "②", "身份证明。")]
    assert [p.number for p in provisions if p.kind == "article"] == [1, 2]


def test_chapters_left_out_of_a_printed_law_still_open_the_chapters_that_follow() -> None:
    provisions = parse_provisions(
        paragraphs(
            "第一章\u3000总则",
            "第一条\u3000为了规范统计工作，制定本条例。",
            "第二章\u3000统计调查",
            "第二条\u3000统计调查应当依法进行。",
            "第六章\u3000法律责任",  # chapters three to five are not printed
            "第三条\u3000违反本条例的，依法处理。",
            "第七章\u3000附则",
            "第四条\u3000本条例自公布之日起施行。",
        )
    )
    assert [(p.kind, p.number) for p in provisions if p.kind == "chapter"] == [
        ("chapter", 1), ("chapter", 2), ("chapter", 6), ("chapter", 7)
    ]  # fmt: skip
    assert next(p for p in provisions if p.kind == "article" and p.number == 3).parent == "chp_6"


def test_a_far_chapter_number_quoted_inside_an_article_is_not_a_chapter() -> None:
    provisions = parse_provisions(
        paragraphs(
            "第一章\u3000总则",
            "第一条\u3000本条例所称统计资料，是指下列各章规定的资料：",
            "第九章\u3000统计资料的公布",
            "统计资料应当及时公布。",
            "第二条\u3000本条例自公布之日起施行。",
        )
    )
    assert [p.number for p in provisions if p.kind == "chapter"] == [1]


CODE_WITH_SUBPARTS = (
    "第一编\u3000总则",
    "第一章\u3000基本规定",
    "第一条\u3000为了保护民事主体的合法权益，制定本法。",
    "第二编\u3000物权",
    "第一分编\u3000通则",
    "第一章\u3000一般规定",
    "第二条\u3000本编调整物的归属和利用产生的民事关系。",
    "第二分编\u3000所有权",
    "第二章\u3000一般规定",  # chapters number on across the 分编 of one 编
    "第三条\u3000所有权人对自己的不动产或者动产，依法享有占有、使用、收益和处分的权利。",
    "第三编\u3000合同",
    "第一分编\u3000通则",
    "第一章\u3000一般规定",  # and from 1 again in the next 编
    "第四条\u3000本编调整因合同产生的民事关系。",
)


def test_a_code_with_parts_sub_parts_and_chapters() -> None:
    provisions = parse_provisions(paragraphs(*CODE_WITH_SUBPARTS))
    divisions = [(p.id, p.kind, p.label, p.parent) for p in provisions if p.kind in ("part", "chapter")]
    assert divisions == [
        ("part_1", "part", "第一编", None),
        ("part_1__chp_1", "chapter", "第一章", "part_1"),
        ("part_2", "part", "第二编", None),
        ("part_2__subpart_1", "part", "第一分编", "part_2"),
        ("part_2__subpart_1__chp_1", "chapter", "第一章", "part_2__subpart_1"),
        ("part_2__subpart_2", "part", "第二分编", "part_2"),
        ("part_2__subpart_2__chp_2", "chapter", "第二章", "part_2__subpart_2"),
        ("part_3", "part", "第三编", None),
        ("part_3__subpart_1", "part", "第一分编", "part_3"),
        ("part_3__subpart_1__chp_1", "chapter", "第一章", "part_3__subpart_1"),
    ]
    assert [p.parent for p in provisions if p.kind == "article"][-1] == "part_3__subpart_1__chp_1"


def test_the_contents_of_a_code_list_its_parts_chapters_and_sections_and_are_not_its_body() -> None:
    contents = ["目录", "第一编\u3000总则", "第一章\u3000基本规定", "第二编\u3000物权", "第一分编\u3000通则",
                "第一章\u3000一般规定", "第一节\u3000登记", "第二分编\u3000所有权", "第二章\u3000一般规定",
                "第三编\u3000合同", "第一分编\u3000通则", "第一章\u3000一般规定", "附则"]  # fmt: skip
    provisions = parse_provisions(paragraphs(*contents, *CODE_WITH_SUBPARTS))
    body_start = len(contents) + 1
    toc = [p for p in provisions if p.start_line < body_start]
    assert [(p.kind, p.heading) for p in toc[:1]] == [("heading", "目录")]
    assert {p.kind for p in toc[1:]} == {"block"} and len(toc) == len(contents)
    assert all(p.start_line >= body_start for p in provisions if p.kind in ("part", "chapter", "section"))
    assert len([p for p in provisions if p.kind == "part"]) == 6


def test_footnotes_are_notes_of_the_article_they_follow_and_do_not_end_it() -> None:
    provisions = parse_provisions(
        paragraphs(
            "第一条\u3000为了惩治犯罪，制定本法。",
            "第二条①\u3000在道路上驾驶机动车追逐竞驶的，处拘役。",
            "①根据2015年的修正案增加。",
            "有前款行为，同时构成其他犯罪的，依照处罚较重的规定定罪处罚。",
            "※本条第二款系后来增加。",
            "第三条\u3000申请应当提交下列材料：",
            "①申请书；",  # no reference mark before it: a sub-item
            "②身份证明。",
        )
    )
    by_id = _by_id(provisions)
    art2 = by_id["art_2"]
    assert (art2.label, art2.start_line, art2.end_line) == ("第二条", 2, 5)
    assert [p.text for p in provisions if p.parent == "art_2" and p.kind == "paragraph"] == [
        "在道路上驾驶机动车追逐竞驶的，处拘役。", "有前款行为，同时构成其他犯罪的，依照处罚较重的规定定罪处罚。"
    ]  # fmt: skip
    notes = [(p.kind, p.label, p.text, p.parent) for p in provisions if p.id.startswith("art_2__note")]
    assert notes == [
        ("block", "①", "根据2015年的修正案增加。", "art_2"),
        ("block", "※", "本条第二款系后来增加。", "art_2"),
    ]
    assert [p.label for p in provisions if p.kind == "item"] == ["①", "②"]
    assert [p.number for p in provisions if p.kind == "article"] == [1, 2, 3]


def test_a_note_after_an_article_is_kept_with_it() -> None:
    provisions = parse_provisions(
        paragraphs(
            "第一条\u3000本规定自公布之日起施行。", "注：本规定由部务会议通过。", "第二条\u3000本规定由部负责解释。"
        )
    )
    note = next(p for p in provisions if p.label.startswith("注"))
    assert (note.parent, note.text) == ("art_1", "本规定由部务会议通过。")
    assert [p.number for p in provisions if p.kind == "article"] == [1, 2]


def test_articles_quoted_by_the_points_of_an_amendment_are_not_its_articles() -> None:
    provisions = parse_provisions(
        paragraphs(
            "一、第十条修改为：",
            "第十条\u3000县级以上人民政府应当加强管理。",
            "第十一条\u3000有关部门应当按照职责做好工作。",
            "第十二条\u3000违反本条例规定的，依法处理。",
            "二、本决定自公布之日起施行。",
        )
    )
    assert [p for p in provisions if p.kind == "article"] == []
    assert [p.label for p in provisions if p.kind == "heading"] == ["一、", "二、"]


def test_an_article_of_over_a_thousand_paragraphs_is_parsed_with_its_labels() -> None:
    """A pasted table can give one article more than a thousand 款; their labels read 第一千零一款, not a crash."""
    rows = [f"第{i}行的内容。" for i in range(1, 1206)]
    provisions = parse_provisions(paragraphs("第一条\u3000本条例附下表：", *rows))
    labels = {p.number: p.label for p in provisions if p.kind == "paragraph"}
    assert len(labels) == 1206
    assert labels[1001] == "第一千零一款"
    assert labels[1206] == "第一千二百零六款"
