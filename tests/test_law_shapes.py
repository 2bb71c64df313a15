"""The shapes real legislation comes in, through the whole parse (read → clean → split → meta → structure):
short titles, parts of a code, amendments, judicial interpretations with long titles, qualifiers and notes."""

from __future__ import annotations

from gazette_text import gazette, line_of
from gongbao.model import Document


def _only(issue) -> Document:
    assert len(issue.documents) == 1, [d.title for d in issue.documents]
    return issue.documents[0]


def _articles(doc: Document) -> list[int]:
    return [p.number for p in doc.provisions if p.kind == "article"]


def test_a_short_title_over_an_enactment_history_is_a_law(parse_text) -> None:
    doc = _only(
        parse_text(
            gazette("""
殡葬条例
2024年1月5日 国务院第10次常务会议通过
2024年3月1日 施行
第一条 为了加强殡葬管理，制定本条例。
第二条 本条例自2024年3月1日起施行。
""")
        )
    )
    assert (doc.title, doc.doc_type, doc.dates.get("adopted")) == ("殡葬条例", "条例", "2024-01-05")
    assert _articles(doc) == [1, 2]


def test_a_part_of_a_code_printed_under_the_code_title_with_articles_from_five_hundred(parse_text) -> None:
    text = gazette("""
中华人民共和国示范法典
继承编
2024年5月28日 第十四届全国人民代表大会第二次会议通过
第一分编 通则
第一章 一般规定
第五百零一条 本编调整因继承产生的民事关系。
第五百零二条 继承从被继承人死亡时开始。
第二章 法定继承
第五百零三条 遗产按照下列顺序继承：
（一）第一顺序：配偶、子女、父母；
（二）第二顺序：兄弟姐妹。
""")
    doc = _only(parse_text(text))
    assert (doc.title, doc.doc_type) == ("中华人民共和国示范法典", "法典")
    assert _articles(doc) == [501, 502, 503]
    assert [(p.number, p.heading) for p in doc.provisions if p.kind == "chapter"] == [(1, "一般规定"), (2, "法定继承")]
    assert doc.source.start_line == line_of(text, "中华人民共和国示范法典")


def test_an_amendment_is_numbered_points_and_the_articles_it_quotes_are_not_its_own(parse_text) -> None:
    doc = _only(
        parse_text(
            gazette("""
中华人民共和国示范法修正案（三）
2024年6月28日 第十四届全国人民代表大会常务委员会第十次会议通过
一、将示范法第十七条修改为：
“第十七条 已满十六周岁的人犯罪，应当负责任。”
二、在示范法第二十条后增加一条，作为第二十条之一：
“第二十条之一 违反本法规定的，依法处理。”
三、本修正案自公布之日起施行。
""")
        )
    )
    assert doc.doc_type == "修正案"
    assert _articles(doc) == []
    assert [p.label for p in doc.provisions if p.kind == "heading"] == ["一、", "二、", "三、"]


def test_a_joint_interpretation_with_a_three_line_title_and_a_preamble(parse_text) -> None:
    doc = _only(
        parse_text(
            gazette("""
最高人民法院、最高人民检察院关于办理示范
刑事案件适用法律若干问题的解释
（二）
2024年3月1日 最高人民法院审判委员会第1900次会议通过
为依法惩治示范犯罪活动维护社会秩序和群众
利益，根据刑法有关规定，制定本解释。
第一条 具有下列情形之一的，应当认定为情节严重。
第二条 本解释自2024年4月1日起施行。
""")
        )
    )
    assert doc.title == "最高人民法院、最高人民检察院关于办理示范刑事案件适用法律若干问题的解释（二）"
    assert doc.doc_type == "解释"
    assert _articles(doc) == [1, 2]


def test_a_title_followed_by_the_first_line_of_its_preamble(parse_text) -> None:
    doc = _only(
        parse_text(
            gazette("""
最高人民法院关于审理示范纠纷案件若干问题的
规定
为依法公正及时审理示范纠纷案件保护当事人合
法权益，根据民事诉讼法的规定，制定本规定。
第一条 人民法院审理示范纠纷案件，适用本规定。
第二条 本规定自公布之日起施行。
""")
        )
    )
    assert (doc.title, doc.doc_type) == ("最高人民法院关于审理示范纠纷案件若干问题的规定", "规定")
    assert _articles(doc) == [1, 2]


def test_an_adoption_note_that_names_the_meeting_before_the_date(parse_text) -> None:
    doc = _only(
        parse_text(
            gazette("""
最高人民法院关于示范文书送达的若干规定
（最高人民法院审判委员会第1421次会议通过
2024年4月17日最高人民法院公告公布 自2024年5月1日起施行）
第一条 人民法院送达示范文书，适用本规定。
第二条 本规定自2024年5月1日起施行。
""")
        )
    )
    assert doc.doc_type == "规定"
    assert _articles(doc) == [1, 2]


def test_a_rule_dated_under_its_title_with_numbered_points(parse_text) -> None:
    doc = _only(
        parse_text(
            gazette("""
国务院关于计算示范工作年限的暂行规定
1956年1月2日
一、工作人员在国家机关工作的时间，一律计算为工作年限。
二、工作人员调动工作的，工作年限连续计算。
""")
        )
    )
    assert (doc.doc_type, doc.dates.get("issued")) == ("暂行规定", "1956-01-02")


def test_check_finds_no_gap_in_the_sub_parts_of_a_code(parse_text) -> None:
    from gongbao.check import check_document

    doc = _only(
        parse_text(
            gazette("""
中华人民共和国示范法典
2024年5月28日 第十四届全国人民代表大会第二次会议通过
第一编 总则
第一条 为了示范，制定本法。
第二编 物权
第一分编 通则
第二条 本编调整物的归属。
第二分编 所有权
第三条 所有权人依法享有权利。
第三编 合同
第一分编 通则
第四条 本编调整合同关系。
""")
        )
    )
    assert [p.label for p in doc.provisions if p.kind == "part"] == [
        "第一编", "第二编", "第一分编", "第二分编", "第三编", "第一分编"
    ]  # fmt: skip
    assert [f.message for f in check_document(doc) if f.level == "error"] == []
