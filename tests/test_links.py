"""References and relations: what a document cites and how documents relate, read off small hand-written issues,
and their resolution across files in the store."""

from __future__ import annotations

import json
from pathlib import Path

from gazette_text import PROMULGATION, gazette, write
from gongbao.ingest import ingest_paths
from gongbao.link.refs import title_key
from gongbao.store import open_corpus

LAW = """
山西省测试管理条例
（2023年11月30日山西省第十四届人民代表大会常务委员会第六次会议通过）
第一条　为了规范测试管理，根据《中华人民共和国行政许可法》和《山西省实施〈中华人民共和国测绘法〉办法》，制定本条例。
第二条　县级以上人民政府测试主管部门负责本行政区域内的测试管理工作。
前款所称测试，是指对产品进行的检验。
第三条　测试机构应当遵守本条例第二条的规定。
第四条　违反本条例第三条规定的，依照第五条至第七条、第九条处理。
第五条　依照第二条第二款和第4、6条的规定执行。
第六条　违反本条规定的，依照刑法第二百七十七条追究刑事责任。
第七条　本条例自2024年1月1日起施行。
第八条　第三条之一另行制定；情节严重的，依照《中华人民共和国行政处罚法》第三十二条处理。
第九条　本条例由省人民政府负责解释。
"""

EXPLANATION = """
关于《山西省测试管理条例（草案）》的说明
——2023年9月20日在山西省第十四届人民代表大会常务委员会第五次会议上
山西省市场监督管理局局长　张三
一、制定《山西省测试管理条例（草案）》（以下简称《条例》）的必要性
《条例》第三条规定了测试机构的义务，第五条规定了处理方式。
"""


def _doc(issue, title_part: str):
    return next(d for d in issue.documents if title_part in d.title)


def test_every_citation_is_found_with_its_nested_title(parse_text) -> None:
    issue = parse_text(gazette(LAW))
    law = _doc(issue, "测试管理条例")
    cited = [(r["title"], r.get("nested", False)) for r in law.references if r["kind"] == "document"]
    assert ("中华人民共和国行政许可法", False) in cited
    assert ("山西省实施〈中华人民共和国测绘法〉办法", False) in cited
    assert ("中华人民共和国测绘法", True) in cited  # the 〈〉 inside the title is a citation of its own
    assert ("中华人民共和国行政处罚法", False) in cited


def test_article_references_within_a_law_point_to_its_articles(parse_text) -> None:
    law = _doc(parse_text(gazette(LAW)), "测试管理条例")
    internal = [r for r in law.references if r["kind"] == "article" and "title" not in r]
    by_text = {r["text"]: r for r in internal}
    assert by_text["第二条"]["target_provision"] == "art_2"
    assert by_text["第三条"]["target_provision"] == "art_3"
    assert by_text["第五条至第七条"]["article"] == 5 and by_text["第五条至第七条"]["article_to"] == 7
    assert by_text["、第九条"]["target_provision"] == "art_9"  # 第五条至第七条、第九条: the list goes on
    assert by_text["第二条第二款"]["target_provision"] == "art_2__para_2"
    assert [r["article"] for r in internal if r["text"] == "第4、6条"] == [4, 6]
    assert by_text["前款"]["target_provision"] == "art_2__para_1"
    assert by_text["本条"]["target_provision"] == "art_6"
    assert by_text["第三条之一"]["article_sub"] == 1 and "target_provision" not in by_text["第三条之一"]
    assert all(r["target"] == law.id for r in internal)


def test_an_article_of_another_law_is_an_external_reference(parse_text) -> None:
    law = _doc(parse_text(gazette(LAW)), "测试管理条例")
    other = {(r["title"], r["article"]) for r in law.references if r["kind"] == "article" and "title" in r}
    assert ("中华人民共和国行政处罚法", 32) in other  # 《…》第三十二条
    assert ("刑法", 277) in other  # a short name without 《》 is another law too, not this one's 第二百七十七条


def test_an_abbreviation_defined_in_an_explanation_stands_for_the_draft(parse_text) -> None:
    issue = parse_text(gazette(EXPLANATION))
    refs = _doc(issue, "说明").references
    alias = [r for r in refs if r["text"] == "《条例》" and r["kind"] == "document"]
    assert alias and all(r["title"] == "山西省测试管理条例（草案）" and r["draft"] for r in alias)
    articles = [r for r in refs if r["kind"] == "article"]
    assert {r["article"] for r in articles} == {3, 5}
    assert all(r["title"] == "山西省测试管理条例（草案）" and r["draft"] for r in articles)


def test_title_keys_join_a_draft_and_its_adopted_text() -> None:
    assert title_key("山西省城乡垃圾管理条例（草案）") == title_key("山西省城乡垃圾管理条例")
    assert title_key("《山西省X办法（修订草案）》") == title_key("山西省X办法")
    assert title_key("国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要") == title_key(
        "国民经济和社会发展第十四个五年规划和2035年远景目标纲要"
    )
    assert title_key("山西省A条例") != title_key("山西省B条例")


# ------------------------------------------------------------------------------------------- relations

REPEALING_NOTICE = """
山西省人民政府办公厅关于印发山西省测试基金管理办法的通知
晋政办发〔2023〕12号
各市、县人民政府，省人民政府各委、办、厅、局：
《山西省测试基金管理办法》已经省人民政府同意，现印发给你们，请认真贯彻执行。2019年3月1日印发的《山西省测试基金管理办法》（晋政办发〔2019〕5号）同时废止。
山西省人民政府办公厅
2023年5月4日
（此件公开发布）
山西省测试基金管理办法
第一条　为了加强测试基金管理，根据《中华人民共和国预算法》，制定本办法。
第二条　本办法自2023年6月1日起施行。
"""

OLD_NOTICE = """
山西省人民政府办公厅关于印发山西省测试基金管理办法的通知
晋政办发〔2019〕5号
各市、县人民政府，省人民政府各委、办、厅、局：
《山西省测试基金管理办法》已经省人民政府同意，现印发给你们，请认真贯彻执行。
山西省人民政府办公厅
2019年3月1日
（此件公开发布）
山西省测试基金管理办法
第一条　为了加强测试基金管理，制定本办法。
第二条　本办法自印发之日起施行。
"""

APPROVAL = """
山西省人民代表大会常务委员会关于批准《太原市测试促进条例》的决定
（2023年11月30日山西省第十四届人民代表大会常务委员会第六次会议通过）
山西省第十四届人民代表大会常务委员会第六次会议审查了《太原市测试促进条例》，决定予以批准，由太原市人民代表大会常务委员会公布施行。
"""


def _relations(doc) -> set[tuple[str, str]]:
    return {(r["type"], r["title"]) for r in doc.relations}


def test_a_notice_repeals_the_old_version_it_names_with_its_number(parse_text) -> None:
    notice = parse_text(gazette(REPEALING_NOTICE)).documents[0]
    repeals = [r for r in notice.relations if r["type"] == "repeals"]
    assert [(r["title"], r["doc_number"]) for r in repeals] == [("山西省测试基金管理办法", "晋政办发〔2019〕5号")]
    assert "同时废止" in repeals[0]["evidence"]
    assert ("implements", "中华人民共和国预算法") in _relations(notice)


def test_relations_read_off_titles(parse_text) -> None:
    assert ("approves", "太原市测试促进条例") in _relations(parse_text(gazette(APPROVAL)).documents[0])
    explains = parse_text(gazette(EXPLANATION)).documents[0]
    assert ("explains", "山西省测试管理条例（草案）") in _relations(explains)


def test_a_promulgation_notice_promulgates_the_law_it_names(parse_text) -> None:
    notice, law = parse_text(gazette(PROMULGATION)).documents
    assert _relations(notice) == {("promulgates", "山西省民营经济发展促进条例")}
    assert not [r for r in law.relations if r["type"] == "promulgates"]


RESOLUTION_AND_REPORT = """
山西省第十三届人民代表大会第四次会议关于山西省人民政府工作报告的决议
（2021年1月23日山西省第十三届人民代表大会第四次会议通过）
山西省第十三届人民代表大会第四次会议听取和审议了省长所作的政府工作报告，会议决定批准这个报告。
政府工作报告
——2021年1月20日在山西省第十三届人民代表大会第四次会议上
山西省省长　林武
各位代表：
现在，我代表省人民政府向大会报告工作，请予审议。
"""


def test_a_resolution_resolves_on_the_report_printed_after_it(parse_text) -> None:
    resolution, report = parse_text(gazette(RESOLUTION_AND_REPORT)).documents
    assert [(r["type"], r["target"]) for r in resolution.relations] == [("resolves", report.id)]


# ------------------------------------------------------------------------------------------- the store


def test_a_citation_resolves_when_the_cited_text_is_ingested_later(tmp_path: Path, db: Path) -> None:
    explanation = write(tmp_path, "b_explanation.txt", gazette(EXPLANATION))
    law = write(tmp_path, "a_law.txt", gazette(LAW))
    with open_corpus(db) as store:
        ingest_paths(store, [explanation])
        exp = store.list_documents()[0]
        assert {r["external"] for r in store.references_of(exp.id) if r["kind"] == "document"} == {True}
        assert store.relations_of(exp.id)["outgoing"][0]["document_id"] is None
        ingest_paths(store, [law])
        law_doc = store.find_document("山西省测试管理条例")
        explains = store.relations_of(law_doc.id)["incoming"]
        assert [(r["type"], r["document_id"]) for r in explains] == [("explains", exp.id)]
        draft_refs = [r for r in store.references_of(exp.id) if r["kind"] == "document"]
        assert {r.get("target_id") for r in draft_refs} == {law_doc.id}  # the draft resolves to the adopted text
        # articles of a draft are not the adopted text's: they are not pointed at its provisions
        assert not [r for r in store.references_of(exp.id) if r.get("target_provision")]
        assert {c["document_id"] for c in store.cited_by(law_doc.id)} == {exp.id}


def test_a_repeal_with_a_number_resolves_to_that_version_only(tmp_path: Path, db: Path) -> None:
    old = write(tmp_path, "old.txt", gazette(OLD_NOTICE))
    new = write(tmp_path, "new.txt", gazette(REPEALING_NOTICE))
    with open_corpus(db) as store:
        ingest_paths(store, [new, old])
        old_doc = next(d for d in store.list_documents() if d.doc_number == "晋政办发〔2019〕5号")
        new_doc = next(d for d in store.list_documents() if d.doc_number == "晋政办发〔2023〕12号")
        repeals = [r for r in store.relations_of(new_doc.id)["outgoing"] if r["type"] == "repeals"]
        assert [r["document_id"] for r in repeals] == [old_doc.id]
        assert not [r for r in store.relations_of(old_doc.id)["outgoing"] if r["type"] == "repeals"]


def test_replacing_a_file_keeps_the_links_into_it(tmp_path: Path, db: Path) -> None:
    explanation = write(tmp_path, "explanation.txt", gazette(EXPLANATION))
    law = write(tmp_path, "law.txt", gazette(LAW))
    with open_corpus(db) as store:
        ingest_paths(store, [explanation, law])
        write(tmp_path, "law.txt", gazette(LAW.replace("制定本条例。", "制定本条例。本条例所称测试包括检测。")))
        ingest_paths(store, [law])
        law_doc = store.find_document("山西省测试管理条例")
        assert [r["type"] for r in store.relations_of(law_doc.id)["incoming"]] == ["explains"]


def test_refs_and_cited_by_commands(cli, tmp_path: Path) -> None:
    paths = [write(tmp_path, "law.txt", gazette(LAW)), write(tmp_path, "exp.txt", gazette(EXPLANATION))]
    assert cli("ingest", *paths).exit_code == 0
    refs = cli("refs", "山西省测试管理条例", "--json")
    assert refs.exit_code == 0, refs.output
    data = json.loads(refs.output)
    external = {r["title"] for r in data["references"] if r.get("external")}
    assert "中华人民共和国行政许可法" in external
    cited = json.loads(cli("cited-by", "山西省测试管理条例", "--json").output)
    assert [r["type"] for r in cited["relations"]] == ["explains"]
    readable = cli("refs", "山西省测试管理条例")
    assert "external" in readable.output and "this document" in readable.output
    missing = cli("refs", "没有这个文件")
    assert missing.exit_code == 1 and "no document" in missing.output


def test_search_puts_the_text_in_force_before_the_one_it_repealed(tmp_path: Path, db: Path) -> None:
    from gongbao.search import search

    paths = [write(tmp_path, "old.txt", gazette(OLD_NOTICE)), write(tmp_path, "new.txt", gazette(REPEALING_NOTICE))]
    with open_corpus(db) as store:
        ingest_paths(store, paths)
        hits = search(store, "测试基金管理", limit=10).hits
        numbers = [store.document(h.document_id, with_provisions=False).doc_number for h in hits]
        assert numbers.index("晋政办发〔2023〕12号") < numbers.index("晋政办发〔2019〕5号")
