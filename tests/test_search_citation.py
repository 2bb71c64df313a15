"""Citation lookup: a query that names a text and a provision finds that provision first; a title finds its text;
a 文号 its document; a text the corpus lacks is said to be missing, with the closest titles.

The corpus is two small laws of two provinces with similar names, an explanation of one of them (which names it in
its title and quotes its articles) and a notice with a 文号; the expected hits are read off the texts below."""

from __future__ import annotations

from pathlib import Path

import pytest

from gazette_text import gazette, write
from gongbao.ingest import ingest_file
from gongbao.search import citation, search
from gongbao.store import Store

LAW = "山西省城乡垃圾管理条例"
OTHER = "河北省生活垃圾管理条例"
LAW_TEXT = f"""
{LAW}
（2023年11月30日山西省第十四届人民代表大会常务委员会第七次会议通过）
第一条　为了加强城乡垃圾管理，制定本条例。
第二条　本条例适用于本省行政区域内的城乡垃圾管理活动。
第三条　县级以上人民政府应当将城乡垃圾管理纳入国民经济和社会发展规划。
乡镇人民政府负责本辖区内的城乡垃圾管理工作，履行下列职责：
（一）组织建设垃圾收集设施；
（二）督促村民委员会开展垃圾分类；
（三）协调解决垃圾转运中的问题。
第四条　禁止在道路两侧随意倾倒垃圾。
第五条　违反本条例第四条规定，随意倾倒垃圾的，由环境卫生主管部门责令改正，对个人处二百元以下罚款。
第六条　本条例自2024年3月1日起施行。
"""
EXPLANATION = f"""
关于《{LAW}（草案）》的说明
——2023年9月20日在山西省第十四届人民代表大会常务委员会第五次会议上
一、起草背景
草案第四条规定禁止在道路两侧随意倾倒垃圾，第五条规定了罚款。
"""
OTHER_TEXT = f"""
{OTHER}
（2023年5月10日河北省第十四届人民代表大会常务委员会第三次会议通过）
第一条　为了规范生活垃圾管理，制定本条例。
第二条　生活垃圾分类投放、收集、运输和处理，适用本条例。
第三条　本条例自2023年7月1日起施行。
"""
NOTICE = """
山西省人民政府办公厅关于做好冬春季垃圾清运工作的通知
晋政办发〔2023〕77号
各市、县人民政府：
为做好冬春季垃圾清运工作，现就有关事项通知如下。
一、及时清运道路积雪和垃圾。
山西省人民政府办公厅
2023年12月5日
"""


@pytest.fixture
def store(tmp_path: Path):
    folder = tmp_path / "gazettes"
    folder.mkdir()
    files = [
        write(folder, "a.txt", gazette(LAW_TEXT) + gazette(EXPLANATION)),
        write(folder, "b.txt", gazette(OTHER_TEXT) + gazette(NOTICE)),
    ]
    with Store(tmp_path / "t.db") as s:
        for f in files:
            ingest_file(s, f)
        yield s


def first(store: Store, query: str):
    result = search(store, query, limit=5)
    assert result.hits, result.notes
    return result.hits[0]


@pytest.mark.parametrize(
    "query",
    [
        f"《{LAW}》第五条",
        f"{LAW}第五条",
        "城乡垃圾管理条例第五条",
        "垃圾管理条例 第5条",
        "城乡垃圾条例第五条",
        f"{LAW} 第５条",
    ],
)
def test_a_cited_article_is_the_first_hit(store: Store, query: str) -> None:
    hit = first(store, query)
    assert hit.title == LAW
    assert hit.label == "第五条"
    assert "二百元以下罚款" in hit.snippet.replace("**", "")


def test_a_short_name_shared_by_two_provinces_gives_both_articles_first(store: Store) -> None:
    hits = search(store, "垃圾管理条例第二条", limit=5).hits
    assert {h.title for h in hits[:2]} == {LAW, OTHER}
    assert [h.label for h in hits[:2]] == ["第二条", "第二条"]


def test_a_paragraph_and_an_item_are_the_focus_of_the_hit(store: Store) -> None:
    hit = first(store, f"《{LAW}》第三条第二款第（三）项")
    assert hit.label == "第三条"
    assert hit.focus is not None
    assert hit.focus["citation"] == f"《{LAW}》第三条第二款第三项"
    assert hit.focus["start_line"] == hit.focus["end_line"]


def test_a_title_alone_gives_the_text_first_and_the_texts_about_it_after(store: Store) -> None:
    result = search(store, f"《{LAW}》", limit=10)
    assert result.hits[0].title == LAW
    assert result.cited is not None and result.cited["documents"][0]["title"] == LAW
    assert any("说明" in h.title for h in result.hits[1:])


def test_a_doc_number_gives_its_document(store: Store) -> None:
    hit = first(store, "晋政办发〔2023〕77号")
    assert hit.title.endswith("垃圾清运工作的通知")


def test_a_text_not_in_the_corpus_is_said_to_be_missing_with_the_closest_titles(store: Store) -> None:
    result = search(store, "《山西省城市垃圾管理条例》第五条", limit=5)
    assert any("没有《山西省城市垃圾管理条例》" in n for n in result.notes)
    assert LAW in result.suggestions


def test_an_article_the_text_lacks_is_said_to_be_missing(store: Store) -> None:
    result = search(store, f"《{LAW}》第九十九条", limit=5)
    assert any("没有第99条" in n for n in result.notes)


@pytest.mark.parametrize(
    ("query", "name", "article", "paragraph", "item"),
    [
        ("《民法典》第五百八十六条", "民法典", 586, None, None),
        ("民营经济条例第十九条第二款第（三）项", "民营经济条例", 19, 2, 3),
        ("垃圾条例 第55条", "垃圾条例", 55, None, None),
        ("行政处罚法第三十二条第一款", "行政处罚法", 32, 1, None),
        ("代表建议、批评和意见的处理办法第四十四条", "代表建议、批评和意见的处理办法", 44, None, None),
    ],
)
def test_reading_a_citation(query: str, name: str, article: int, paragraph: int | None, item: int | None) -> None:
    cited = citation.read(query)
    assert cited is not None
    assert (cited.name, cited.article, cited.paragraph, cited.item) == (name, article, paragraph, item)


@pytest.mark.parametrize("query", ["开餐馆需要什么手续", "垃圾分类罚款多少", "第五条", "罚款"])
def test_a_question_is_not_a_citation(query: str) -> None:
    assert citation.read(query) is None


@pytest.mark.parametrize(
    ("query", "name", "article"),
    [
        ("《北京市实施《中华人民共和国矿山安全法》办法》第二十条", "北京市实施《中华人民共和国矿山安全法》办法", 20),
        ("实施《中华人民共和国气象法》办法第十二条", "实施《中华人民共和国气象法》办法", 12),
        ("人民代表大会常务委员会组成人员守则第四条", "人民代表大会常务委员会组成人员守则", 4),
        ("住宅物业服务质量星级评价管理办法（试行）第十条", "住宅物业服务质量星级评价管理办法（试行）", 10),
        ("关于办理侵犯知识产权刑事案件具体应用法律若干问题的解释（三）第二条", None, 2),
    ],
)
def test_a_name_holding_a_title_or_a_qualifier_is_read_whole(query: str, name: str | None, article: int) -> None:
    cited = citation.read(query)
    assert cited is not None
    assert cited.name == (name or query[: query.rindex("第")])
    assert cited.article == article


@pytest.mark.parametrize("query", ["罚款《山西省城乡垃圾管理条例》", "垃圾《条例》罚款多少"])
def test_words_before_a_title_are_not_part_of_its_name(query: str) -> None:
    cited = citation.read(query)
    assert cited is not None and cited.quoted and not cited.name.startswith(("罚款", "垃圾"))


def _row(title: str, issuer: str | None, date: str = "2020-01-01") -> dict:
    return {"id": title, "title": title, "inner_title": None, "doc_number": None, "issuer": issuer,
            "dates": {"effective": date}, "has_articles": True}  # fmt: skip


ROWS = [
    _row("中华人民共和国道路运输条例", "中华人民共和国国务院"),
    _row("浙江省道路运输条例", "浙江省人民代表大会常务委员会", "2022-01-01"),
    _row("郑州市文明行为促进条例", "郑州市人民代表大会常务委员会", "2019-01-01"),
    _row("三门峡市文明行为促进条例", "三门峡市人民代表大会常务委员会", "2021-01-01"),
    _row("上海市城乡社区治理条例", "上海市人民代表大会常务委员会"),
]


def test_a_name_without_its_place_is_the_national_text_when_there_is_one() -> None:
    found = citation.resolve(citation.Cited("道路运输条例", False), ROWS)
    assert [d["title"] for d in found] == ["中华人民共和国道路运输条例"]


def test_a_name_cities_share_resolves_to_each_of_them_alike() -> None:
    found = citation.resolve(citation.Cited("文明行为促进条例", False), ROWS)
    assert {d["title"] for d in found} == {"郑州市文明行为促进条例", "三门峡市文明行为促进条例"}


def test_the_places_left_out_are_the_corpus_issuers_places() -> None:
    known = citation.places(ROWS)
    assert citation.without_place("三门峡市文明行为促进条例", known) == "文明行为促进条例"
    assert citation.without_place("上海市城乡社区治理条例", known) == "城乡社区治理条例"  # 社区 is not a place
    assert citation.without_place("城乡社区治理条例", known) == "城乡社区治理条例"


def test_the_provinces_texts_of_a_national_name_come_next() -> None:
    tiers = citation.resolve_tiers(citation.Cited("道路运输条例", False), ROWS)
    titles = [[d["title"] for d in tier] for tier in tiers[:2]]
    assert titles == [["中华人民共和国道路运输条例"], ["浙江省道路运输条例"]]
