"""More quirks from the sample notes, each on a small hand-written issue: spaced dates, same-titled documents,
tab-separated tables, a contents list with tab page numbers, a 印发 notice that ends at (此件公开发布)."""

from __future__ import annotations

from gazette_text import gazette, line_of

NOTICE = """
山西省人民政府
关于禁止在某电站淹没区新增建设项目和迁入人口的通告
晋政函[2022]109 号
某电站是国家规划的重点项目。为做好工作，现通告如下：
一、禁止在淹没区新建、扩建项目。
二、禁止迁入人口。
山西省人民政府
2022 年 11 月 18 日
(此件公开发布)
"""


def test_dates_with_justification_spaces_around_digits(parse_text) -> None:
    doc = parse_text(gazette(NOTICE)).documents[0]
    assert doc.doc_type == "通告"
    assert doc.doc_number == "晋政函〔2022〕109号"
    assert doc.dates["issued"] == "2022-11-18"


SAME_TITLES = """
山西省人民代表大会常务委员会公告
(第十八号)
《甲条例》已由常务委员会会议于２０２３年１１月３０日通过,现予公布,自２０２４年１月１日起施行.
山西省人民代表大会常务委员会
２０２３年１１月３０日
山西省人民代表大会常务委员会公告
(第十九号)
《乙条例》已由常务委员会会议于２０２３年１１月３０日通过,现予公布,自２０２４年３月１日起施行.
山西省人民代表大会常务委员会
２０２３年１１月３０日
"""


def test_documents_with_identical_titles_stay_apart(parse_text) -> None:
    docs = parse_text(gazette(SAME_TITLES)).documents
    assert [d.doc_number for d in docs] == ["第十八号", "第十九号"]
    assert docs[0].id != docs[1].id
    assert [d.dates["effective"] for d in docs] == ["2024-01-01", "2024-03-01"]


TABLE = """
朔州市人民政府办公室
关于印发重点工程项目名单的通知
朔政办发〔2022〕12号
各县（市、区）人民政府：
现将名单印发给你们，请认真抓好落实。
朔州市人民政府办公室
2022年4月22日
(此件公开发布)
附件
2022年重点工程项目名单
序号\t项目名称\t建设地点
1\t年产6万吨负极材料项目\t朔州市
2\t光伏组件项目\t怀仁市
"""


def test_table_rows_stay_rows_and_the_notice_runs_past_its_publication_note(parse_text) -> None:
    text = gazette(TABLE)
    docs = parse_text(text).documents
    assert len(docs) == 1  # (此件公开发布) does not end the document, the 附件 list is part of it
    doc = docs[0]
    assert doc.source.end_line == line_of(text, "光伏组件项目")
    rows = [p.text for p in doc.provisions if "项目" in p.text and "\u3000" in p.text]
    assert "1\u3000年产6万吨负极材料项目\u3000朔州市" in rows
    assert "2\u3000光伏组件项目\u3000怀仁市" in rows


CONTENTS = """朔州市人民政府公报
2022年第2期
目 录
【市政府文件】
朔州市人民政府关于印发《朔州市市级储备粮管理办法》的通知
朔政发〔2022〕8号\t1
朔州市人民政府关于启用印章的通知
朔政办函〔2022〕10号\t4

朔州市人民政府
关于印发《朔州市市级储备粮管理办法》的通知
朔政发〔2022〕8号
各县（市、区）人民政府：
《朔州市市级储备粮管理办法》已经市人民政府研究同意，现印发给你们，请认真贯彻执行。
朔州市人民政府
2022年3月28日
（此件公开发布）
朔州市市级储备粮管理办法
第一章 总 则
第一条 为了加强市级储备粮管理，制定本办法。
第二条 本办法自印发之日起施行。
"""


def test_contents_with_tab_page_numbers_is_issue_metadata(parse_text) -> None:
    issue = parse_text(CONTENTS)
    assert [d.title for d in issue.documents] == ["朔州市人民政府关于印发《朔州市市级储备粮管理办法》的通知"]
    doc = issue.documents[0]
    assert doc.source.start_line > line_of(CONTENTS, "朔政办函〔2022〕10号")
    assert doc.inner_title == "朔州市市级储备粮管理办法"
    assert doc.dates["effective"] == "2022-03-28"  # 自印发之日起施行, the notice's date
    toc = [r for r in issue.regions if r.kind == "toc"]
    assert toc and toc[0].start_line == line_of(CONTENTS, "目 录")
