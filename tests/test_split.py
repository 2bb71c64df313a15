"""split (through pipeline.parse_file): where each document of an issue starts and ends, and what is not one."""

from __future__ import annotations

import pytest

from gazette_text import (
    NOTICE_WITH_MEASURES,
    PERSONNEL,
    PROMULGATION,
    gazette,
    last_text_line,
    line_of,
)
from gongbao.pipeline import ParsedIssue


def _spans(issue: ParsedIssue) -> list[tuple[str, int, int]]:
    return [(d.title, d.source.start_line, d.source.end_line) for d in issue.documents]


def _assert_ordered_and_disjoint(issue: ParsedIssue) -> None:
    last = 0
    for d in issue.documents:
        assert last < d.source.start_line <= d.source.end_line
        last = d.source.end_line


def test_announcement_and_the_law_it_promulgates_are_two_documents(parse_text) -> None:
    text = gazette(PROMULGATION)
    issue = parse_text(text)
    law_start = line_of(text, "山西省民营经济发展促进条例", exact=True)
    announcement_end = line_of(text, "２０２３年１１月３０日", exact=True)
    assert _spans(issue) == [
        ("山西省人民代表大会常务委员会公告", 1, announcement_end),
        ("山西省民营经济发展促进条例", law_start, last_text_line(text)),
    ]
    announcement, law = issue.documents
    assert (announcement.doc_type, announcement.doc_number) == ("公告", "第十八号")
    assert law.doc_type == "条例"
    assert [p.number for p in law.provisions if p.kind == "article"] == [1, 2, 3, 4]
    assert not any(p.kind == "article" for p in announcement.provisions)


def test_notice_that_promulgates_measures_is_one_document_with_inner_title(parse_text) -> None:
    text = gazette(NOTICE_WITH_MEASURES)
    issue = parse_text(text)
    assert _spans(issue) == [
        ("山西省人民政府办公厅关于印发山西省道路交通事故社会救助基金管理办法的通知", 1, last_text_line(text)),
    ]
    (doc,) = issue.documents
    assert doc.inner_title == "山西省道路交通事故社会救助基金管理办法"
    assert doc.doc_type == "通知"
    assert doc.doc_number == "晋政办发〔2022〕91号"
    articles = [p for p in doc.provisions if p.kind == "article"]
    assert [p.number for p in articles] == [1, 2, 3]
    assert articles[0].start_line == line_of(text, "第一条 为了加强")


def test_notice_works_without_blank_lines_between_lines(parse_text) -> None:
    text = NOTICE_WITH_MEASURES.lstrip("\n")
    issue = parse_text(text)
    assert [d.title for d in issue.documents] == [
        "山西省人民政府办公厅关于印发山西省道路交通事故社会救助基金管理办法的通知"
    ]
    assert issue.documents[0].source.end_line == last_text_line(text)


FRONT_MATTER = """
山西省人民政府公报
2022年第12期
《山西省人民政府公报》简介
《山西省人民政府公报》是山西省人民政府主办的政府出版物，刊登省政府规章和省政府及办公厅发布的文件。
根据《中华人民共和国立法法》规定，在本公报上刊登的规章文本为标准文本。
目　录
山西省人民政府关于董刚等任免职的通知(晋政任〔2022〕56号)(75)
山西省人民政府关于梁栋任职的通知	(77)
"""


@pytest.mark.parametrize("with_blank_lines", [True, False])
def test_contents_and_self_description_are_not_documents(parse_text, with_blank_lines: bool) -> None:
    raw = FRONT_MATTER.lstrip("\n") + PERSONNEL.lstrip("\n")
    text = gazette(raw) if with_blank_lines else raw
    issue = parse_text(text)
    step = 2 if with_blank_lines else 1  # the issuer line sits above the 关于… line
    assert [(d.title, d.source.start_line) for d in issue.documents] == [
        ("山西省人民政府关于董刚等任免职的通知", line_of(text, "关于董刚等任免职的通知", exact=True) - step),
        ("山西省人民政府关于梁栋任职的通知", line_of(text, "关于梁栋任职的通知", exact=True) - step),
    ]


def test_each_personnel_notice_is_its_own_document(parse_text) -> None:
    text = gazette(PERSONNEL)
    issue = parse_text(text)
    second_start = line_of(text, "关于梁栋任职的通知") - 2  # the issuer line above it
    assert _spans(issue) == [
        ("山西省人民政府关于董刚等任免职的通知", 1, line_of(text, "2022年12月8日")),
        ("山西省人民政府关于梁栋任职的通知", second_start, last_text_line(text)),
    ]
    assert [d.doc_number for d in issue.documents] == ["晋政任〔2022〕56号", "晋政任〔2022〕59号"]
    assert [d.dates.get("issued") for d in issue.documents] == ["2022-12-08", "2022-12-09"]


ATTACHMENT = """
山西省人民代表大会常务委员会关于山西省2022年省级决算的审议意见
晋人常办〔2023〕20号
省人民政府：
省十四届人大常委会第五次会议审议了省人民政府关于2022年省级决算的报告，现将审议意见函告如下。
一、加强预算管理
各级政府要严格执行预算，提高资金使用效益。
附件：1.关于省级决算审查情况的报告
山西省人民代表大会常务委员会办公厅
2023年10月8日
附件1
山西省人大财政经济委员会关于省级决算审查情况的报告
晋人财经〔2023〕12号
山西省人民代表大会常务委员会：
财政经济委员会对省级决算进行了审查，现将审查情况报告如下。
一、总体评价
决算编制总体规范。
"""


def test_attachment_with_its_own_number_starts_at_its_label(parse_text) -> None:
    text = gazette(ATTACHMENT)
    issue = parse_text(text)
    label = line_of(text, "附件1", exact=True)
    assert _spans(issue) == [
        ("山西省人民代表大会常务委员会关于山西省2022年省级决算的审议意见", 1, line_of(text, "2023年10月8日")),
        ("山西省人大财政经济委员会关于省级决算审查情况的报告", label, last_text_line(text)),
    ]
    assert [d.doc_number for d in issue.documents] == ["晋人常办〔2023〕20号", "晋人财经〔2023〕12号"]


REPEATED_TITLE = [
    pytest.param(
        """
山西省实施«中华人民共和国代表法»办法
(1993年6月26日山西省第八届人民代表大会常务委员会第四次会议通过
2010年11月26日山西省第十一届人民代表大会常务委员会第二十次会议修订
2021年1月23日山西省第十三届人民代表大会第五次会议修订)
山西省实施«中华人民共和国代表法»办法
第一条　为了保证代表依法行使职权,制定本办法.
第二条　本办法自2021年3月1日起施行.
""",
        "山西省实施《中华人民共和国代表法》办法",
        id="parenthesised-history",
    ),
    pytest.param(
        """
山西省消费者权益保护条例
2004年1月8日山西省第十届人民代表大会常务委员会第八次会议通过
2016年9月29日山西省第十二届人民代表大会常务委员会第三十次会议修正
山西省消费者权益保护条例
第一条　为了保护消费者的合法权益,制定本条例.
第二条　本条例自公布之日起施行.
""",
        "山西省消费者权益保护条例",
        id="bare-history-lines",
    ),
]


@pytest.mark.parametrize(("raw", "title"), REPEATED_TITLE)
def test_law_printed_as_title_history_title_is_one_document(parse_text, raw: str, title: str) -> None:
    text = gazette(raw)
    issue = parse_text(text)
    assert _spans(issue) == [(title, 1, last_text_line(text))]
    assert [p.number for p in issue.documents[0].provisions if p.kind == "article"] == [1, 2]


REPORT = """
山西省人大法制委员会
关于«山西省民营经济发展促进条例(草案)»
审议结果的报告
———２０２３年１１月２８日在山西省第十四届人民代表大会
常务委员会第六次会议上
山西省人大法制委员会副主任委员　李　鑫
主任、各位副主任、秘书长、各位委员:
常委会第五次会议对条例草案进行了初次审议.现将审议结果报告如下:
一、关于立法目的
第十六条支持民营资本参与国有企业改革,这一规定得到普遍认同.
一、回应社会关切,作出了具体规定.
以上报告,请予审议.
"""


def test_title_over_several_lines_with_issuer_line_is_one_title_and_body_lines_are_not_documents(parse_text) -> None:
    text = gazette(REPORT)
    issue = parse_text(text)
    assert _spans(issue) == [
        ("山西省人大法制委员会关于《山西省民营经济发展促进条例（草案）》审议结果的报告", 1, last_text_line(text)),
    ]
    doc = issue.documents[0]
    assert doc.doc_type == "报告"
    assert doc.issuer == "山西省人大法制委员会"
    assert not any(p.kind == "article" for p in doc.provisions)  # 第十六条支持… is a reference, not an article


def test_issue_with_several_kinds_of_documents(parse_text) -> None:
    text = gazette(PROMULGATION + NOTICE_WITH_MEASURES + PERSONNEL)
    issue = parse_text(text)
    assert [d.title for d in issue.documents] == [
        "山西省人民代表大会常务委员会公告",
        "山西省民营经济发展促进条例",
        "山西省人民政府办公厅关于印发山西省道路交通事故社会救助基金管理办法的通知",
        "山西省人民政府关于董刚等任免职的通知",
        "山西省人民政府关于梁栋任职的通知",
    ]
    _assert_ordered_and_disjoint(issue)
    law = issue.documents[1]
    assert law.source.end_line == line_of(text, "第四条　本条例自")


def test_text_without_a_document_is_one_document_of_the_whole_file(parse_text) -> None:
    text = "这是一段普通的文字，没有任何标题。\n\n第二段也只是正文，说明一些情况。\n"
    (doc,) = parse_text(text, name="nodoc.txt").documents
    assert (doc.source.start_line, doc.source.end_line, doc.doc_type) == (1, 3, None)


ISSUE_WITH_CONTENTS = """
山西省人民代表大会常务委员会公报
目　　录
２０２４年第１期
山西省城市绿化条例……（２）
城市绿化工作若干问题……（５）
本期未刊登的一份材料……（９）
－１－
山西省城市绿化条例
（2024年1月1日山西省第十四届人民代表大会常务委员会第八次会议通过）
第一条　为了加强城市绿化，制定本条例。
第二条　城市绿化工作若干问题由市人民政府另行规定。
第三条　本条例自2024年3月1日起施行。
城市绿化工作若干问题
一、城市绿化应当统筹规划，合理布局。
二、城市绿化应当节约用水，优先使用再生水。
"""


def test_contents_page_finds_the_first_document_and_a_title_without_type_word(parse_text) -> None:
    text = gazette(ISSUE_WITH_CONTENTS)
    issue = parse_text(text)
    law_start = line_of(text, "山西省城市绿化条例", exact=True)
    notes_start = line_of(text, "城市绿化工作若干问题", exact=True)
    assert _spans(issue) == [
        ("山西省城市绿化条例", law_start, notes_start - 2),
        ("城市绿化工作若干问题", notes_start, last_text_line(text)),
    ]
    toc = [r for r in issue.regions if r.kind == "toc"]
    assert toc and toc[0].start_line == line_of(text, "目　　录") and toc[0].end_line < law_start


def test_contents_entry_missing_from_the_body_and_body_document_missing_from_contents(parse_text) -> None:
    listed_only = ISSUE_WITH_CONTENTS.replace("城市绿化工作若干问题……（５）\n", "")
    issue = parse_text(gazette(listed_only))
    assert [d.title for d in issue.documents] == ["山西省城市绿化条例"]  # the unlisted notes stay in the law
    unlisted = ISSUE_WITH_CONTENTS.replace("山西省城市绿化条例……（２）\n", "")
    issue = parse_text(gazette(unlisted))
    assert [d.title for d in issue.documents] == ["山西省城市绿化条例", "城市绿化工作若干问题"]


def test_heading_before_a_later_article_and_indented_lines_do_not_start_documents(parse_text) -> None:
    law = """
山西省城乡规划条例
（2024年1月1日山西省第十四届人民代表大会常务委员会第八次会议通过）
第一条　为了加强城乡规划管理，制定本条例。
　　建设项目选址规划
　　第二条　建设项目选址应当符合城乡规划。
　　听取和审议人民政府的专项工作报告
　　常务委员会每年听取和审议人民政府的专项工作报告。
· 2 ·
第三条　本条例自2024年3月1日起施行。
"""
    text = gazette(law)
    issue = parse_text(text)
    assert [d.title for d in issue.documents] == ["山西省城乡规划条例"]
    (doc,) = issue.documents
    assert [p.number for p in doc.provisions if p.kind == "article"] == [1, 2, 3]
    page = line_of(text, "· 2 ·")
    assert not any(p.start_line <= page <= p.end_line and "2 ·" in p.text for p in doc.provisions)


# A contents page and a body whose text layer came from a scan: the two spell some titles differently, one title
# is listed (and printed) twice, and the titles have no type word a rule could see.
ISSUE_WITH_TYPOS = """
国务院公报
一九五四年第一号
目　　录
中华人民共和国政府和苏维埃社会主义共和国联盟政府联合宜言……（3）
毛泽东主席向政府代表团致谢的信……（4）
政府代表团赠送机器和装备事致毛泽东主席的信……（5）
毛泽东主席向政府代表团致谢的信……（6）
中华人民共和国政府和苏维埃社会主义共和国联盟政府联合宣言
　　两国政府确认，在两国间日益发展的全面合作方面，两国的观点是完全一致的。
　　一九五四年十月十二日
毛泽东主席向政府代表团致谢的信
亲爱的同志们：
　　我谨代表中国人民表示衷心的感谢。
　　一九五四年十月十二日
政府代表团贈送机器和装备事致毛泽束主席的信
亲爱的毛泽东同志：
　　特请你们接受这些机器和设备。
　　一九五四年十月五日
毛泽东主席向政府代表团致谢的信
亲爱的同志们：
　　来信敬悉，谨致以衷心的感谢。
　　一九五四年十月十二日
"""


def test_contents_entries_find_titles_spelled_otherwise_and_a_title_listed_twice(parse_text) -> None:
    text = gazette(ISSUE_WITH_TYPOS)
    issue = parse_text(text)
    starts = [d.source.start_line for d in issue.documents]
    assert starts == [
        line_of(text, "中华人民共和国政府和苏维埃社会主义共和国联盟政府联合宣言", exact=True),
        line_of(text, "毛泽东主席向政府代表团致谢的信", exact=True, nth=1),
        line_of(text, "政府代表团贈送机器和装备事致毛泽束主席的信", exact=True),
        line_of(text, "毛泽东主席向政府代表团致谢的信", exact=True, nth=2),
    ]
    assert issue.documents[0].title.endswith("联合宣言")  # the title as the body prints it
    toc = [r for r in issue.regions if r.kind == "toc"]
    assert toc and toc[0].end_line < starts[0]


# A book's cover and contents: the contents list two texts (each with its chapters) and end their entries with
# leader dots and page numbers run together; the first text's title is printed after the contents.
BOOK_WITH_CONTENTS = """
山西省城市绿化条例
山西省城乡规划条例
2024年7月版本
目　　录
山西省城市绿化条例
第一章 总 则..............................3
第二章 附 则..............................5
山西省城乡规划条例..............................6
第一章 总 则..............................6
山西省城市绿化条例
（2024年1月1日山西省第十四届人民代表大会常务委员会第八次会议通过）
第一章　总　则
第一条　为了加强城市绿化，制定本条例。
第二章　附　则
第二条　本条例自2024年3月1日起施行。
山西省城乡规划条例*
（2024年1月1日山西省第十四届人民代表大会常务委员会第八次会议通过）
第一章　总　则
第一条　为了加强城乡规划管理，制定本条例。
第二条　本条例自2024年3月1日起施行。
"""


def test_a_cover_and_a_contents_page_with_chapters_are_not_documents(parse_text) -> None:
    text = gazette(BOOK_WITH_CONTENTS)
    issue = parse_text(text)
    green = line_of(text, "山西省城市绿化条例", exact=True, nth=3)
    planning = line_of(text, "山西省城乡规划条例*", exact=True)
    assert _spans(issue) == [
        ("山西省城市绿化条例", green, planning - 2),
        ("山西省城乡规划条例", planning, last_text_line(text)),  # (the footnote mark is not the title's)
    ]
    assert [len([p for p in d.provisions if p.kind == "article"]) for d in issue.documents] == [2, 2]


def test_a_law_printed_as_one_book_title_is_a_document_after_its_schedule_label(parse_text) -> None:
    text = gazette(
        """
2020年第136号法律公告
《2020年全国性法律公布》
　　因此本人现公布：列于附表的《山西省城乡规划条例》自2020年6月30日起实施。
附表
《山西省城乡规划条例》
（2020年6月30日山西省第十三届人民代表大会常务委员会第二十次会议通过）
第一条　为了加强城乡规划管理，制定本条例。
第二条　本条例自公布之日起施行。
"""
    )
    issue = parse_text(text)
    assert [(d.title, d.doc_type) for d in issue.documents] == [
        ("2020年第136号法律公告", "公告"),
        ("山西省城乡规划条例", "条例"),
    ]
    assert issue.documents[1].source.start_line == line_of(text, "附表", exact=True)


def test_a_saved_pages_heading_repeated_by_the_notice_is_not_a_document(parse_text) -> None:
    text = gazette(
        """
# 山西省城市绿化管理办法
**发布日期**: 2024年1月
**发布机构**:
**来源**: https://www.shanxi.gov.cn/zfxxgk/content_1.htm
山西省人民政府关于印发
山西省城市绿化管理办法的通知
晋政发〔2024〕1号
各市人民政府：
　　现将《山西省城市绿化管理办法》印发给你们，请认真贯彻执行。
山西省城市绿化管理办法
第一条　为了加强城市绿化，制定本办法。
第二条　本办法自2024年3月1日起施行。
"""
    )
    issue = parse_text(text)
    [notice] = issue.documents
    assert notice.title == "山西省人民政府关于印发山西省城市绿化管理办法的通知"
    assert notice.inner_title == "山西省城市绿化管理办法"
    assert notice.source.start_line == line_of(text, "山西省人民政府关于印发")
    assert [r.kind for r in issue.regions if r.start_line == 1] == ["front"]
