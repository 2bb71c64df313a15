"""clean: characters, display text, unwrapping and page furniture, with every paragraph's source lines."""

from __future__ import annotations

import pytest

from gazette_text import RUNNING_HEADER, hard_wrap, source, spaced
from gongbao.parse.clean import clean, display, iter_paragraphs, normalize_chars

# ------------------------------------------------------------------------------------------ characters

NORMALIZE = [
    ("２０２３年１１月３０日", "2023年11月30日"),
    ("ＡＢＣａｂｃ５Ｇ网络", "ABCabc5G网络"),
    ("完成投资８\U001001b0５６亿元", "完成投资8.56亿元"),
    ("余额７０４９\U001001b0６４亿元", "余额7049.64亿元"),
    ("４．２５亿元", "4.25亿元"),
    ("公报２０２３\U001001706", "公报2023·6"),
    ("增长１００％", "增长100%"),
    ("«山西省民营经济发展促进条例»", "《山西省民营经济发展促进条例》"),
    ("«山西省实施‹中华人民共和国土地管理法›办法»", "《山西省实施〈中华人民共和国土地管理法〉办法》"),
    ("到二○三五年基本实现", "到二〇三五年基本实现"),
    ("一九九○年", "一九九〇年"),
    ("○表示合格", "○表示合格"),
    pytest.param(
        "○一般项目",
        "○一般项目",
    ),
    ("——**经济发展稳中向好**。", "——经济发展稳中向好。"),
    ("**有效激发国有企业改革创新活力。**深化改革", "有效激发国有企业改革创新活力。深化改革"),
    ("- (一)恐吓、威胁", "(一)恐吓、威胁"),
    ("建设3-5家省实验室", "建设3-5家省实验室"),
    ("PM_{2.5}平均浓度", "PM2.5平均浓度"),
]


@pytest.mark.parametrize(("raw", "expected"), NORMALIZE)
def test_normalize_chars(raw: str, expected: str) -> None:
    assert normalize_chars(raw) == expected


DISPLAY = [
    # half-width punctuation between Chinese characters → fullwidth
    ("通过,现予公布,自2024年1月1日起施行.", "通过，现予公布，自2024年1月1日起施行。"),
    ("主要职责如下:", "主要职责如下："),
    ("(一)高位组织推动;", "（一）高位组织推动；"),
    ("填写名称(姓名)和住所", "填写名称（姓名）和住所"),
    ("以上报告,请予审议!", "以上报告，请予审议！"),
    ("怎么办?", "怎么办？"),
    # numbers, ratios, times, URLs and Latin text keep their ASCII punctuation
    ("年均增长1.5%", "年均增长1.5%"),
    ("坡度不得陡于1:3", "坡度不得陡于1:3"),
    ("每周五15:00前报送", "每周五15:00前报送"),
    ("共计1,000元", "共计1,000元"),
    ("详见http://www.shanxi.gov.cn/zw/index.html", "详见http://www.shanxi.gov.cn/zw/index.html"),
    ("ISSN 2096-207X", "ISSN 2096-207X"),
    pytest.param(
        "英文刊名Shanxi Gazette, No. 12",
        "英文刊名Shanxi Gazette, No. 12",
    ),
    # justification spaces inside Chinese text
    ("修改后 的 草 案,请 一 并 予 以", "修改后的草案，请一并予以"),
    ("山西省 高 级 人 民 法 院 工 作", "山西省高级人民法院工作"),
    ("８月 ２４ 日,省政府第 １６ 次常务会议", "8月24日，省政府第16次常务会议"),
    ("PM_{2.5}平均浓度下降至 37 微克/立方米", "PM2.5平均浓度下降至37微克/立方米"),
    # one ideographic space after a leading label
    ("第四条 　 补选办法由主席团提出.", "第四条\u3000补选办法由主席团提出。"),
    ("第一条　为了规范管理,制定本办法.", "第一条\u3000为了规范管理，制定本办法。"),
    ("第一章　总　则", "第一章\u3000总则"),
]


@pytest.mark.parametrize(("raw", "expected"), DISPLAY)
def test_display(raw: str, expected: str) -> None:
    assert display(normalize_chars(raw)) == expected


# ------------------------------------------------------------------------------------------ unwrapping

ARTICLES = [
    "为了促进和保障民营经济持续健康高质量发展，营造各类经营主体公平竞争、共同发展的良好环境，激发民营经济发展活力，"
    "根据有关法律、行政法规的规定，结合本省实际，制定本条例。",
    "本省行政区域内促进民营经济发展的相关工作，适用本条例。本条例所称民营经济，是指除国有及国有控股、外商控股以外的"
    "各类经营主体所组成的经济形态，包括民营企业、个体工商户以及其他经济组织。",
    "县级以上人民政府应当加强对民营经济发展工作的领导，建立健全民营经济发展工作协调机制，统筹研究解决民营经济发展中"
    "的重大问题，将促进民营经济发展工作纳入国民经济和社会发展规划，所需经费列入本级财政预算。",
    "省人民政府民营经济发展促进主管部门负责本省民营经济发展促进工作的统筹协调、指导推动和监督检查，其他有关部门按照"
    "各自职责做好促进民营经济发展的相关工作，共同营造良好发展环境。",
    "各级人民政府及其有关部门应当依法平等对待各类经营主体，保障民营经济组织依法平等使用资金、技术、人力资源、数据、"
    "土地等各类生产要素和公共服务资源，依法平等适用国家支持发展的政策。",
]
LABELS = "一二三四五六七八九"


def _article(i: int, text: str) -> str:
    return f"第{LABELS[i]}条\u3000{text}"


class Page:
    """Builds a spaced, hard-wrapped file and records, by construction, which lines each paragraph occupies."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.expected: list[tuple[str, int, int]] = []

    def paragraph(self, text: str, breaks: dict[int, list[str]] | None = None, resume: str = "") -> None:
        """Add one hard-wrapped paragraph; `breaks[k]` replaces the blank line after its k-th line (a page break),
        and the line after a page break starts with `resume` (a PDF text block may start with one space)."""
        first = len(self.lines) + 1
        after_break = False
        for k, part in enumerate(hard_wrap(text)):
            self.lines.append((resume if after_break else "") + part)
            last = len(self.lines)
            after_break = k in (breaks or {})
            self.lines += (breaks or {}).get(k, [""])
        self.expected.append((text, first, last))


def _paragraphs(lines: list[str]):
    ct = clean(source(lines))
    return ct, list(iter_paragraphs(ct, 1, len(lines)))


def test_hard_wrapped_lines_with_blank_lines_between_are_joined() -> None:
    page = Page()
    for i, text in enumerate(ARTICLES):
        page.paragraph(_article(i, text))
    assert sum(1 for line in page.lines if line) >= 20
    _, paras = _paragraphs(page.lines)
    assert [(p.text, p.start_line, p.end_line) for p in paras] == page.expected


FURNITURE = [
    pytest.param(
        ["", "—７—", "", RUNNING_HEADER, "", ""], ["", "—０２１—", "", RUNNING_HEADER, "", ""], "", id="reversed"
    ),
    pytest.param(
        ["", "－１２－", "", RUNNING_HEADER, ""], ["—９—", "", RUNNING_HEADER, "", ""], "", id="no-blank-before"
    ),
    pytest.param(["", "—７—", "", RUNNING_HEADER, ""], ["", "—３２１—", "", RUNNING_HEADER, ""], " ", id="block-start"),
]


@pytest.mark.parametrize(("first_break", "second_break", "resume"), FURNITURE)
def test_page_furniture_inside_a_sentence_is_removed_and_the_sentence_rejoined(
    first_break: list[str], second_break: list[str], resume: str
) -> None:
    page = Page()
    page.paragraph(_article(0, ARTICLES[0]))
    page.paragraph(_article(1, ARTICLES[1]))
    page.paragraph(_article(2, ARTICLES[2]), breaks={1: first_break}, resume=resume)  # break after its 2nd line
    page.paragraph(_article(3, ARTICLES[3]))
    page.paragraph(_article(4, ARTICLES[4]), breaks={0: second_break}, resume=resume)
    ct, paras = _paragraphs(page.lines)
    assert [(p.text, p.start_line, p.end_line) for p in paras] == page.expected
    furniture = [n for n, raw in enumerate(page.lines, 1) if raw.strip() and raw in first_break + second_break]
    assert len(furniture) == 4
    assert all(ct.line(n).kind == "furniture" for n in furniture)
    assert not any("公报" in p.text or "—" in p.text or "-" in p.text for p in paras)


def test_raw_text_is_kept_beside_the_clean_text() -> None:
    raw = "第一条　«条例»自２０２４年１月１日起施行."
    ct = clean(source([raw]))
    assert ct.line(1).raw == raw
    assert ct.line(1).text == "第一条　《条例》自2024年1月1日起施行."


def test_an_article_line_starts_a_new_paragraph_even_after_a_full_unpunctuated_line() -> None:
    page = Page()
    for i, text in enumerate(ARTICLES[:4]):
        page.paragraph(_article(i, text))
    # an article that ends exactly at the margin without punctuation (a lost full stop), then the next article
    unfinished = _article(4, ARTICLES[4][:40])
    assert len(unfinished) % 22 == 0
    page.paragraph(unfinished)
    page.paragraph(_article(5, "本条例自2024年1月1日起施行。"))
    _, paras = _paragraphs(page.lines)
    assert [(p.text, p.start_line, p.end_line) for p in paras] == page.expected


ITEM_LEADS = [
    pytest.param("有下列情形之一的，由县级以上人民政府有关主管部门责令改正，没收违法所得", id="short-last-line"),
    pytest.param(
        "有下列情形之一的，由县级以上人民政府有关主管部门责令其限期改正，没收其违法所得", id="colon-at-the-margin"
    ),
]


@pytest.mark.parametrize("lead", ITEM_LEADS)
def test_item_after_a_line_ending_with_a_colon_starts_a_new_paragraph(lead: str) -> None:
    page = Page()
    for i, text in enumerate(ARTICLES[:4]):
        page.paragraph(_article(i, text))
    page.paragraph(_article(4, lead + ":"))
    page.paragraph("(一)未经批准擅自建设的;")
    page.paragraph("(二)擅自改变规划用途的.")
    _, paras = _paragraphs(page.lines)
    got = [(p.text, p.start_line, p.end_line) for p in paras]
    assert got[:4] == page.expected[:4]
    assert [(s, e) for _, s, e in got[4:]] == [(s, e) for _, s, e in page.expected[4:]]
    assert [t for t, _, _ in got[4:]] == [
        f"第五条\u3000{lead}：",
        "（一）未经批准擅自建设的；",
        "（二）擅自改变规划用途的。",
    ]


def test_article_lines_in_a_short_unwrapped_file_are_separate_paragraphs() -> None:
    lines = spaced(["第一条　为了规范管理,制定本办法.", "第二条　本办法适用于本省", "第三条　本办法自印发之日起施行."])
    _, paras = _paragraphs(lines)
    assert [(p.start_line, p.end_line) for p in paras] == [(1, 1), (3, 3), (5, 5)]
    assert paras[1].text == "第二条\u3000本办法适用于本省"


def test_markdown_debris_is_removed_from_paragraphs() -> None:
    lines = ["——**经济发展稳中向好**。全省地区生产总值达到2.57万亿元。", "", "- 附件:1.评分标准"]
    _, paras = _paragraphs(lines)
    assert [p.text for p in paras] == ["——经济发展稳中向好。全省地区生产总值达到2.57万亿元。", "附件：1.评分标准"]
