"""meta: doc_number normalisation and dates (adopted / issued / effective) read off a document's paragraphs."""

from __future__ import annotations

import pytest

from gazette_text import gazette, paragraphs
from gongbao.parse.meta import normalize_doc_number, read_metadata

DOC_NUMBERS = [
    ("晋政函[2022]109 号", "晋政函〔2022〕109号"),
    ("晋政办发〔2022〕93 号", "晋政办发〔2022〕93号"),
    ("晋建市规字［2022］160号", "晋建市规字〔2022〕160号"),
    ("晋政发(2022)25号", "晋政发〔2022〕25号"),
    ("晋政任〔2022〕 56 号", "晋政任〔2022〕56号"),
    ("(第十八号)", "第十八号"),
    ("（第十八号）", "第十八号"),
    ("第 二十 号", "第二十号"),
    pytest.param(
        "晋人办函〔２０２３〕２４号",
        "晋人办函〔2023〕24号",
    ),
    ("本条例自公布之日起施行", None),
]


@pytest.mark.parametrize(("raw", "expected"), DOC_NUMBERS)
def test_normalize_doc_number(raw: str, expected: str | None) -> None:
    assert normalize_doc_number(raw) == expected


def test_fullwidth_doc_number_in_a_file_comes_out_ascii(parse_text) -> None:
    text = gazette(
        """
山西省人民代表大会常务委员会办公厅关于征求意见的函
晋人办函〔２０２３〕２４号
省人民政府办公厅:
现将有关草案送上,请于２０２３年９月３０日前反馈意见.
山西省人民代表大会常务委员会办公厅
２０２３年９月１５日
"""
    )
    (doc,) = parse_text(text).documents
    assert doc.doc_number == "晋人办函〔2023〕24号"
    assert doc.dates["issued"] == "2023-09-15"


LAW = "山西省民营经济发展促进条例"
NOTICE = "山西省人民政府办公厅关于印发山西省煤矿整顿恢复实施办法的通知"
MEASURES = "山西省物业管理委员会组建运行办法"
ANNOUNCEMENT = "朔州市人民政府关于禁止燃放烟花爆竹的通告"

DATES = [
    pytest.param(
        LAW,
        [
            "（2023年11月30日山西省第十四届人民代表大会常务委员会第六次会议通过）",
            "第一条　为了促进民营经济发展，制定本条例。",
            "第二条　本条例自2024年1月1日起施行。",
        ],
        {"adopted": "2023-11-30", "effective": "2024-01-01"},
        id="adoption-note-and-fixed-effective-date",
    ),
    pytest.param(
        LAW,
        [
            "（2004年1月8日山西省第十届人民代表大会常务委员会第八次会议通过　2016年9月29日山西省第十二届人民代表大会"
            "常务委员会第三十次会议修正　2023年11月30日山西省第十四届人民代表大会常务委员会第六次会议修订）",
            "第一条　为了保护消费者合法权益，制定本条例。",
        ],
        {"adopted": "2023-11-30"},
        id="latest-of-several-adoptions",
    ),
    pytest.param(
        LAW,
        [
            "（2021年1月23日山西省第十三届人民代表大会第五次会议修订",
            "2016年9月29日山西省第十二届人民代表大会常务委员会第三十次会议通过）",
            "第一条　为了保障代表依法履职，制定本办法。",
        ],
        {"adopted": "2021-01-23"},
        id="latest-adoption-listed-first",
    ),
    pytest.param(
        NOTICE,
        [
            "晋政办发〔2022〕99号",
            "各市、县人民政府：",
            "现将《山西省煤矿整顿恢复实施办法》印发给你们，请认真贯彻执行。",
            "山西省人民政府办公厅",
            "2022年12月8日",
            "山西省煤矿整顿恢复实施办法",
            "第一条　为了规范整顿恢复工作，制定本办法。",
            "第十条　本办法自印发之日起施行。",
        ],
        {"issued": "2022-12-08", "effective": "2022-12-08"},
        id="effective-on-issue",
    ),
    pytest.param(
        MEASURES,
        [
            "晋建房规字〔2022〕191号",
            "各市住房和城乡建设局：",
            "山西省住房和城乡建设厅",
            "2022年12月20日",
            "第一条　为了规范物业管理委员会组建运行，制定本办法。",
            "第二十二条　本办法自公布之日起30日后施行。",
        ],
        {"issued": "2022-12-20", "effective": "2023-01-19"},
        id="thirty-days-after-publication",
    ),
    pytest.param(
        MEASURES,
        [
            "晋建房规字〔2022〕191号",
            "山西省住房和城乡建设厅",
            "2022年12月20日",
            "第二十二条　本办法自发布之日起三十日后施行。",
        ],
        {"issued": "2022-12-20", "effective": "2023-01-19"},
        id="thirty-days-in-chinese-numerals",
    ),
    pytest.param(
        ANNOUNCEMENT,
        [
            "朔政发〔2022〕5号",
            "为了保障公共安全，特通告如下：",
            "一、本通告从即日起执行。",
            "朔州市人民政府",
            "2022年1月5日",
        ],
        {"issued": "2022-01-05", "effective": "2022-01-05"},
        id="from-today",
    ),
    pytest.param(
        NOTICE,
        [
            "晋政办发〔2022〕99号",
            "各市、县人民政府：",
            "现将实施办法印发给你们，请认真贯彻执行。",
            "山西省人民政府办公厅",
            "二〇二二年十二月八日",
        ],
        {"issued": "2022-12-08"},
        id="chinese-numeral-signature-date",
    ),
    pytest.param(
        NOTICE,
        ["晋政办发〔2022〕99号", "山西省人民政府办公厅", "二○二二年十二月三十一日", "本办法自印发之日起施行。"],
        {"issued": "2022-12-31", "effective": "2022-12-31"},
        id="circle-zero-signature-date",
    ),
]


@pytest.mark.parametrize(("title", "texts", "expected"), DATES)
def test_dates(title: str, texts: list[str], expected: dict[str, str]) -> None:
    dates = read_metadata(title, None, paragraphs(*texts)).dates
    assert {k: v for k, v in dates.items() if k in ("adopted", "issued", "effective", "published")} == expected


def test_metadata_of_a_promulgation_through_the_whole_pipeline(parse_text) -> None:
    text = gazette(
        """
山西省人民代表大会常务委员会
公告
(第二十号)
«山西省消费者权益保护条例»已由山西省第十四届人民代表大会常务委员会第六次会议于２０２３年１１月３０日修订通过,现予公布,自２０２４年３月１５日起施行.
山西省人民代表大会常务委员会
二〇二三年十一月三十日
"""
    )
    (doc,) = parse_text(text).documents
    assert doc.doc_type == "公告"
    assert doc.doc_number == "第二十号"
    assert doc.issuer == "山西省人民代表大会常务委员会"
    assert doc.dates["issued"] == "2023-11-30"
    assert doc.dates["adopted"] == "2023-11-30"
    assert doc.dates["effective"] == "2024-03-15"


SPEECHES = [
    pytest.param(
        "———２０２３年９月２０日在山西省第十四届人民代表大会常务委员会第五次会议上\n",
        id="date-line-on-one-line",
    ),
    pytest.param(
        "———２０２３年９月２０日在山西省第十四届人民代表大会\n常务委员会第五次会议上\n",
        id="date-line-wrapped",
    ),
]


@pytest.mark.parametrize("date_line", SPEECHES)
def test_issuer_of_a_speech_is_its_speaker(parse_text, date_line: str) -> None:
    text = gazette(
        "关于«山西省城乡垃圾管理条例(草案)»的说明\n"
        + date_line
        + "山西省住房和城乡建设厅厅长　王　纯\n"
        + "主任、各位副主任、秘书长、各位委员:\n"
        + "我受省人民政府委托,现就条例草案作如下说明.\n"
    )
    (doc,) = parse_text(text).documents
    assert doc.doc_type == "说明"
    assert doc.issuer is not None
    assert "王纯" in doc.issuer.replace("\u3000", "").replace(" ", "")


ISSUERS = [
    pytest.param(
        "山西省人民政府办公厅关于印发山西省煤矿整顿恢复实施办法的通知",
        [
            "晋政办发〔2022〕99号",
            "各市、县人民政府：",
            "现将实施办法印发给你们。",
            "山西省人民政府办公厅",
            "2022年12月8日",
        ],
        "山西省人民政府办公厅",
        id="issuer-before-guanyu",
    ),
    pytest.param(
        "关于做好2023年度民生实事工作的通知",
        ["各市人民政府：", "现就做好民生实事工作通知如下。", "山西省人民政府办公厅", "2023年2月1日"],
        "山西省人民政府办公厅",
        id="signature-only",
    ),
    pytest.param(
        "山西省人民代表大会常务委员会公告",
        [
            "（第十八号）",
            "《山西省民营经济发展促进条例》已通过，现予公布。",
            "山西省人民代表大会常务委员会",
            "2023年11月30日",
        ],
        "山西省人民代表大会常务委员会",
        id="announcement",
    ),
    pytest.param(
        LAW,
        [
            "（2023年11月30日山西省第十四届人民代表大会常务委员会第六次会议通过）",
            "第一条　为了促进民营经济发展，制定本条例。",
        ],
        "山西省人民代表大会常务委员会",
        id="adopting-body-of-a-law",
    ),
    pytest.param(
        "国务院办公厅转发国家发展改革委关于促进民间投资若干意见的通知",
        [
            "国办发〔2022〕12号",
            "各省、自治区、直辖市人民政府：",
            "国家发展改革委《关于促进民间投资的若干意见》已经国务院同意，现转发给你们，请认真贯彻执行。",
            "国务院办公厅",
            "2022年5月9日",
        ],
        "国务院办公厅",
        id="forwarding-notice",
    ),
]


@pytest.mark.parametrize(("title", "texts", "issuer"), ISSUERS)
def test_issuer(title: str, texts: list[str], issuer: str) -> None:
    assert read_metadata(title, None, paragraphs(*texts)).issuer == issuer
