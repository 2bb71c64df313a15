"""Documents and provisions → references and relations (the link stage; pure functions, no I/O).

References: every 《…》 citation (and the 〈…〉 nested in it) and every article reference (第十二条, 第十二条第二款,
第十二条第（一）项, 前款, 本条, 本条例第五条, 第五条至第九条, 第二十一条、二十二条, 第4、8、25条), each with the
provision it sits in and what it points to: the document itself (本条例, a bare 第X条 in a law), a document named
by title (resolved against the corpus later, by a normalised title key; drafts — 草案 — resolve to the adopted text),
or an abbreviation defined earlier (以下简称《条例》).

Relations between documents, each with the sentence it was read from: promulgates (公告 … 现予公布), explains
(关于《X（草案）》的说明), reviews (审议意见/审议结果的报告), approves (关于批准《X》的决定), inspects
(关于检查《X》实施情况的报告), resolves (a 决议 on a report), transmits (交办/转报 函), implements
(为贯彻落实/根据《X》), repeals (…同时废止), amends (关于修改《X》的决定).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from gongbao.model import Document, Provision
from gongbao.parse.clean import sentences
from gongbao.parse.doctypes import REPORTING_TYPES, title_type
from gongbao.parse.meta import normalize_doc_number
from gongbao.parse.numerals import zh_to_int

_NUM = "〇零一二三四五六七八九十百千两\\d"
_CITATION = re.compile(r"《([^《》]{1,120})》")
_NESTED = re.compile(r"〈([^〈〉]{1,120})〉")
_ALIAS = re.compile(r"[（(]以下简称[“\"《]?([^”\"》）)]{1,20})[”\"》]?[）)]")
_SELF = re.compile(r"本(条例|办法|规定|细则|实施细则|法|决定|意见|方案|规则|章程|通知|准则|预案|解释)")
# 第十二条 / 第十二条之一 / 第十二条第二款 / 第十二条第二款第（三）项 / 第十二条第三项
_ARTICLE = re.compile(rf"第([{_NUM}]+)条(?:之([{_NUM}]+))?(?:第([{_NUM}]+)款)?(?:第?[（(]?([{_NUM}]+)[）)]?项)?")
_MORE_ARTICLES = re.compile(rf"^(?:、|和|以及|及|或者|或)第?([{_NUM}]+)条")  # 第二十一条、二十二条、第二十七条
_NUMBER_LIST = re.compile(rf"第([{_NUM}]+(?:[、,，][{_NUM}]+)+)条")  # 第4、8、25、26条
_RANGE = re.compile(rf"^至第([{_NUM}]+)条")
_THIS_ARTICLE = re.compile(r"前(两|二|三)?款|本条(?!例)|本款")
_NAME_END = re.compile(r"(?:法典|法|通则|条例|规定|办法|细则|决定|解释|规则)$")
# words before a law's short name: 依照刑法第…, 修改后的民事诉讼法第…, 违反证券法第…
_NAME_START = re.compile(r".*(?:依照|按照|根据|依据|违反|适用|参照|比照|结合|构成|属于|认定为|不影响|具有|产生|的)")
_DRAFT = re.compile(r"[(（]?(?:修订|修正)?草案(?:修改稿|[一二三]审稿)?[)）]?")
_QUALIFIERS = re.compile(r"[(（](?:试行|暂行|修订|修正)[)）]")
_ZH_YEAR = re.compile(r"[〇零一二三四五六七八九○]{4}(?=年)")


# ------------------------------------------------------------------------------------------------- keys


def title_key(title: str) -> str:
    """A citation's identity: no spaces, brackets or quotes, 草案 and (试行) dropped, years in digits, so that
    《山西省城乡垃圾管理条例（草案）》 and the adopted 山西省城乡垃圾管理条例 have the same key."""
    t = re.sub(r"\s", "", title)
    t = _ZH_YEAR.sub(lambda m: str(zh_to_int(m.group()) or m.group()), t)
    t = _DRAFT.sub("", t)
    t = _QUALIFIERS.sub("", t)
    return re.sub(r"[《》〈〉“”\"'‘’()（）【】〔〕\[\]]", "", t)


def is_draft(title: str) -> bool:
    return "草案" in title


def document_keys(doc: Document) -> set[str]:
    keys = {title_key(doc.title)}
    if doc.inner_title:
        keys.add(title_key(doc.inner_title))
    return {k for k in keys if k}


# ------------------------------------------------------------------------------------------- references


@dataclass
class Reference:
    kind: str  # 'document' | 'article'
    text: str  # as printed
    provision_id: str | None  # where it was found (None: in the title)
    start_line: int
    end_line: int
    offset: int  # character offset in the provision's text (or the title)
    title: str | None = None  # the cited document's title as printed (without 《》), None for the document itself
    key: str | None = None  # title_key(title)
    target: str | None = None  # document id, when known
    target_provision: str | None = None
    article: int | None = None  # 第X条 (之Y in article_sub), 第Z款, 第W项
    article_sub: int | None = None
    paragraph: int | None = None
    item: int | None = None
    article_to: int | None = None  # 第X条至第Y条
    draft: bool = False  # the cited text is a draft: its article numbers are not those of the adopted text
    nested: bool = False

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None and v is not False}


@dataclass
class _Context:
    doc: Document
    aliases: dict[str, str] = field(default_factory=dict)  # 条例 → 山西省城乡垃圾管理条例（草案）
    last_title: str | None = None  # the last document cited in full
    legal: bool = False  # the document has articles: a bare 第X条 is its own


def _text_units(doc: Document) -> list[Provision]:
    """Provisions whose text is not repeated in a finer provision: paragraphs rather than their article, blocks,
    headings; items are inside their paragraph's text."""
    has_paragraphs = {p.parent for p in doc.provisions if p.kind == "paragraph"}
    out = []
    for p in doc.provisions:
        if p.kind == "article" and p.id in has_paragraphs:
            continue
        if p.kind in ("article", "paragraph", "block", "heading") and (p.text or p.heading):
            out.append(p)
    return out


def find_references(doc: Document, units: list[Provision] | None = None) -> list[Reference]:
    ctx = _Context(doc, legal=doc.has_articles)
    out: list[Reference] = []
    title_lines = (doc.source.start_line, doc.source.start_line)
    out += _citations(doc.title, None, title_lines, ctx)
    by_id = {p.id: p for p in doc.provisions}
    for p in units if units is not None else _text_units(doc):
        text = p.text if p.kind != "heading" else " ".join(x for x in (p.heading, p.text) if x)
        if "《" in text or "以下简称" in text:
            out += _citations(text, p, (p.start_line, p.end_line), ctx)
        if ("第" in text and ("条" in text or "款" in text)) or "前" in text or "本条" in text or "本款" in text:
            out += _article_refs(text, p, ctx, by_id)
    return out


def _citations(text: str, p: Provision | None, lines: tuple[int, int], ctx: _Context) -> list[Reference]:
    out = []
    for m in _CITATION.finditer(text):
        title = m.group(1).strip()
        alias = ctx.aliases.get(title)
        resolved = alias or title
        if _names_itself(ctx.doc, resolved):  # 《纲要》 in the 纲要: a mention of itself, never a citation of another
            out.append(Reference("document", m.group(0), p.id if p else None, lines[0], lines[1], m.start(),
                                 target=ctx.doc.id))  # fmt: skip
            continue
        ref = Reference(
            "document",
            m.group(0),
            p.id if p else None,
            lines[0],
            lines[1],
            m.start(),
            title=resolved,
            key=title_key(resolved),
            draft=is_draft(resolved),
        )
        out.append(ref)
        for n in _NESTED.finditer(title):
            out.append(
                Reference(
                    "document",
                    n.group(0),
                    p.id if p else None,
                    lines[0],
                    lines[1],
                    m.start() + 1 + n.start(),
                    title=n.group(1),
                    key=title_key(n.group(1)),
                    nested=True,
                )
            )
        after = text[m.end() : m.end() + 30]
        am = _ALIAS.match(after.lstrip())
        if am:
            ctx.aliases[am.group(1)] = resolved
        if not alias and title not in ctx.aliases and len(title_key(title)) > 4:
            ctx.last_title = resolved
    for m in _ALIAS.finditer(text):  # aliases of things cited without 《》: (以下简称“条例”)
        ctx.aliases.setdefault(m.group(1), ctx.last_title or ctx.doc.title)
    return out


def _article_refs(text: str, p: Provision, ctx: _Context, by_id: dict[str, Provision]) -> list[Reference]:
    out = []
    legal = ctx.legal
    spans = []
    numbered = "第" in text
    for m in _NUMBER_LIST.finditer(text) if numbered else ():  # 第4、8、25、26条
        target = _whose(text, m.start(), ctx, legal)
        for n in re.split(r"[、,，]", m.group(1)):
            out.append(_article_ref(m.group(0), p, m.start(), target, zh_to_int(n)))
        spans.append((m.start(), m.end()))
    for m in _ARTICLE.finditer(text) if numbered else ():
        if any(s <= m.start() < e for s, e in spans) or _is_own_label(p, m):
            continue  # inside 第4、8、25条, a range's end or a list already read
        target = _whose(text, m.start(), ctx, legal)
        ref = _article_ref(m.group(0), p, m.start(), target, zh_to_int(m.group(1)), m.group(2), m.group(3), m.group(4))
        rest = text[m.end() :]
        rng = _RANGE.match(rest)
        pos = m.end()
        if rng:
            ref.article_to = zh_to_int(rng.group(1))
            ref.text += rng.group(0)
            pos += rng.end()
        out.append(ref)
        more = _MORE_ARTICLES.match(text[pos:])
        while more:
            out.append(_article_ref(more.group(0), p, pos, target, zh_to_int(more.group(1))))
            pos += more.end()
            more = _MORE_ARTICLES.match(text[pos:])
        spans.append((m.start(), pos))
    if p.kind in ("paragraph", "article"):
        out += [_relative_ref(m.group(0), p, m.start(), by_id) for m in _THIS_ARTICLE.finditer(text)]
    return [r for r in out if r is not None]


def _is_own_label(p: Provision, m: re.Match[str]) -> bool:
    return m.start() == 0 and p.kind == "article" and p.label.startswith(m.group(0)[:3])


def _whose(text: str, at: int, ctx: _Context, legal: bool) -> tuple[str | None, bool]:
    """Whose article is 第X条 at `at`: (title or None for this document, draft?)."""
    before = text[max(0, at - 60) : at]
    cm = re.search(r"《([^《》]{1,120})》\s*$", before)
    if cm:
        title = ctx.aliases.get(cm.group(1), cm.group(1))
        return (None, False) if _names_itself(ctx.doc, title) else (title, is_draft(title))
    if _SELF.search(before[-6:]):
        return None, False
    named = _law_named_before(before)
    if named:
        name = ctx.aliases.get(named, named)
        return name, is_draft(name)
    if legal:
        return None, False
    # in a report or explanation a bare 第X条 is the article of the text it discusses (often a draft)
    return ctx.last_title, is_draft(ctx.last_title or "") or ctx.last_title is None


def _law_named_before(before: str) -> str | None:
    """The short name of another law right before 第X条, without 《》: 刑法, 民事诉讼法, 中华人民共和国保险法."""
    tail = re.split(r"[，。；：、,;:\s（）()“”《》]", before)[-1][-30:]
    if not _NAME_END.search(tail):
        return None
    name = _NAME_START.sub("", tail)
    if len(name) < 2 or name.startswith(("本", "该", "此", "上述", "前述")) or name in ("办法", "规定", "决定", "规则"):
        return None
    return name if name.endswith(("法", "法典", "通则")) or title_type(name) else None


def _article_ref(text, p, offset, target, article, sub=None, paragraph=None, item=None) -> Reference:
    title, draft = target
    return Reference(
        "article",
        text,
        p.id,
        p.start_line,
        p.end_line,
        offset,
        title=title,
        key=title_key(title) if title else None,
        article=article,
        article_sub=zh_to_int(sub) if isinstance(sub, str) else sub,
        paragraph=zh_to_int(paragraph) if isinstance(paragraph, str) else paragraph,
        item=zh_to_int(item) if isinstance(item, str) else item,
        draft=draft,
    )


def _relative_ref(text: str, p: Provision, offset: int, by_id: dict[str, Provision]) -> Reference | None:
    """前款 / 前两款 / 本条 / 本款: provisions of the same article."""
    article = p if p.kind == "article" else by_id.get(p.parent or "")
    if article is None or article.kind != "article":
        return None
    ref = Reference(
        "article", text, p.id, p.start_line, p.end_line, offset, article=article.number, target_provision=article.id
    )
    if text.startswith("前") and p.kind == "paragraph" and p.number:
        back = {"两": 2, "二": 2, "三": 3}.get(text[1], 1)
        ref.paragraph = max(1, p.number - back)
        ref.target_provision = f"{article.id}__para_{ref.paragraph}"
    elif text == "本款" and p.kind == "paragraph":
        ref.paragraph, ref.target_provision = p.number, p.id
    return ref


def resolve_internal(doc: Document, refs: list[Reference]) -> None:
    """Point references to the document itself at its provisions (article, 款)."""
    articles: dict[tuple[int, int | None], str] = {}
    paragraphs: set[str] = set()
    for p in doc.provisions:
        if p.kind == "article":
            sub = re.search(r"之(.+)$", p.label)
            articles.setdefault((p.number, zh_to_int(sub.group(1)) if sub else None), p.id)
        elif p.kind == "paragraph":
            paragraphs.add(p.id)
    for r in refs:
        if r.kind != "article" or r.title is not None:
            continue
        r.target = doc.id
        if r.target_provision:
            continue
        art = articles.get((r.article, r.article_sub))
        if art and r.paragraph and f"{art}__para_{r.paragraph}" in paragraphs:
            art = f"{art}__para_{r.paragraph}"
        r.target_provision = art


# -------------------------------------------------------------------------------------------- relations


@dataclass
class Relation:
    type: str
    title: str  # the other document's title as cited
    key: str
    evidence: str  # the sentence (or title) it was read from
    start_line: int
    end_line: int
    target: str | None = None  # document id, when known
    doc_number: str | None = None  # the 文号 printed with the citation: 《X》（晋政办发〔2018〕108号）

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


_TITLE_RELATIONS = (
    (re.compile(r"关于批准《(.+)》的决定$"), "approves"),
    (re.compile(r"关于修改《(.+)》的决定$"), "amends"),
    (re.compile(r"关于检查《(.+)》实施情况的报告$"), "inspects"),
    (re.compile(r"关于《(.+)》(?:审议意见|审议结果)的报告$"), "reviews"),
    (re.compile(r"关于《(.+)》的(?:说明|修改说明)$"), "explains"),
    (re.compile(r"关于(.+报告)的?审议意见$"), "reviews"),
    (re.compile(r"关于(.+报告)的?研究意见$"), "reviews"),
    (re.compile(r"(?:交办|转报|转发|报送)《(.+)》的函$"), "transmits"),
    (re.compile(r"(?:交办|转报|转发|报送)((?!《).+)的函$"), "transmits"),  # 转报省财政厅关于《X》研究处理情况报告的函
)
_NUMBER_AFTER = re.compile(r"^[（(]([^（()）]{2,20}?〔\d{4}〕\d+号)[)）]")
_PROMULGATION = re.compile(r"现予公布|现予公告|予以公布|现将.{0,60}公布")
_REPEAL = re.compile(r"同时废止|予以废止|停止执行|不再执行")
_BASIS_VERB = r"(?:贯彻落实|落实|贯彻|根据|依据|依照|按照)"
_IMPLEMENTS = re.compile(_BASIS_VERB + r"[^。；]{0,20}?《")
# the texts a sentence rests on: 《X》 right after the verb, and those joined to it by 和 、 及 《Y》《Z》
_BASES = re.compile(
    _BASIS_VERB
    + r"(?:[^《。；，]{0,20}?(?<!修改)(?<!关于))((?:《[^《》]+》(?:[（(][^（()）]{0,30}[)）])?[和、及以与]{0,2})+)"
)
_PROMULGATING_TYPES = frozenset({"公告", "令", "命令"})


def find_relations(doc: Document, refs: list[Reference], units: list[Provision] | None = None) -> list[Relation]:
    """Relations a document states by its title and in its own sentences (targets resolved later)."""
    out: list[Relation] = []
    start = doc.source.start_line
    title = re.sub(r"\s", "", doc.title)
    for pattern, kind in _TITLE_RELATIONS:
        m = pattern.search(title)
        if m:  # 关于《A》《B》《C》的说明 explains three texts
            out += [Relation(kind, t, title_key(t), doc.title, start, start) for t in re.split(r"》、?《", m.group(1))]
            break
    acts = doc.doc_type not in REPORTING_TYPES  # a report that quotes a repeal does not repeal anything
    for p in units if units is not None else _text_units(doc):
        if "《" not in p.text:
            continue
        for sentence in sentences(p.text):
            cited = [c.group(1) for c in _CITATION.finditer(sentence)]
            if not cited:
                continue
            if doc.doc_type in _PROMULGATING_TYPES and _PROMULGATION.search(sentence):
                out += [_relation("promulgates", t, sentence, p) for t in cited]
            elif acts and _REPEAL.search(sentence):
                out += [_relation("repeals", _repealed(sentence, cited), sentence, p)]
            elif doc.doc_type == "决议" and ("审议" in sentence or "批准" in sentence or "审查" in sentence):
                out += [_relation("resolves", t, sentence, p) for t in cited if not _is_own(doc, t)]
            elif acts and _IMPLEMENTS.search(sentence) and p.start_line <= _first_lines(doc):
                out += [_relation("implements", t, sentence, p) for t in _bases(sentence) if not _is_own(doc, t)]
    return _unique(out)


def _relation(kind: str, title: str, sentence: str, p: Provision) -> Relation:
    rel = Relation(kind, title, title_key(title), sentence.strip(), p.start_line, p.end_line)
    at = sentence.find(f"《{title}》")
    number = _NUMBER_AFTER.match(sentence[at + len(title) + 2 :]) if at >= 0 else None
    if number:
        rel.doc_number = normalize_doc_number(number.group(1))
    return rel


def _bases(sentence: str) -> list[str]:
    """根据《A》《B》和《C》…: A, B, C; not 根据…关于修改《X》的决定 (an amendment, not a basis)."""
    out: list[str] = []
    for m in _BASES.finditer(sentence):
        out += [c.group(1) for c in _CITATION.finditer(m.group(1))]
    return list(dict.fromkeys(out))[:6]


def _repealed(sentence: str, cited: list[str]) -> str:
    """The text a 同时废止 sentence repeals: the last title before the verb."""
    head = sentence[: _REPEAL.search(sentence).start()]
    inside = [c.group(1) for c in _CITATION.finditer(head)]
    return (inside or cited)[-1]


def _is_own(doc: Document, title: str) -> bool:
    key = title_key(title)
    return key in document_keys(doc)


def _names_itself(doc: Document, title: str) -> bool:
    """《X》 printed in X itself: its full title (or that of the text a notice issues), or its bare type word used as
    its short name (《纲要》 in a 纲要, 《条例》 in a 条例)."""
    if _is_own(doc, title):
        return True
    own_types = {doc.doc_type, title_type(doc.inner_title or "")} - {None}
    return title_key(title) in own_types


def _first_lines(doc: Document) -> int:
    """Where the opening paragraphs (purpose and legal basis) end: the first article, or a few paragraphs in."""
    arts = [p for p in doc.provisions if p.kind == "article"]
    if arts:
        return arts[0].end_line
    blocks = [p for p in doc.provisions if p.kind in ("block", "heading")]
    return blocks[min(5, len(blocks) - 1)].end_line if blocks else doc.source.end_line


def _unique(relations: list[Relation]) -> list[Relation]:
    seen, out = set(), []
    for r in relations:
        if (r.type, r.key) not in seen and r.key:
            seen.add((r.type, r.key))
            out.append(r)
    return out


def _same_text(a: str, b: str) -> bool:
    """Two title keys printed near each other name the same text when one ends the other (政府工作报告 ~
    山西省人民政府工作报告), 的 aside, or when they agree from 关于 on (省发改委关于X ~ 山西省发展和改革委员会关于X)."""
    a, b = a.replace("的", ""), b.replace("的", "")
    short, long = sorted((a, b), key=len)
    if len(short) >= 6 and long.endswith(short):
        return True
    if "关于" not in a or "关于" not in b:
        return False
    tail = a[a.index("关于") :]
    return len(tail) >= 10 and tail == b[b.index("关于") :]


NEIGHBOURS = 3  # documents either side of a document in which its neighbour relations are resolved


def resolve_neighbours(docs: list[Document], relations: dict[str, list[Relation]]) -> None:
    """Relations whose target is printed next to the document under a shorter or longer title: a 函 that
    transmits the 审议意见 printed before it, a 决议 on the report that follows it.  A 决议 followed by the report
    it is about gets that relation even when its sentences do not cite the report."""
    for i, doc in enumerate(docs):
        _resolve_near(docs, i, relations.setdefault(doc.id, []))


def _resolve_near(docs: list[Document], i: int, rels: list[Relation]) -> None:
    """resolve_neighbours for docs[i]: reads the keys of the documents near it, changes only its own relations."""
    doc = docs[i]
    near = docs[max(0, i - NEIGHBOURS) : i] + docs[i + 1 : i + 1 + NEIGHBOURS]
    for r in rels:
        if r.target is None:
            r.target = next((d.id for d in near if any(_same_text(r.key, k) for k in document_keys(d))), None)
    nxt = docs[i + 1] if i + 1 < len(docs) else None
    if _resolution_on(doc, nxt) and not any(r.type == "resolves" and r.target == nxt.id for r in rels):
        start = doc.source.start_line
        rels.append(Relation("resolves", nxt.title, title_key(nxt.title), doc.title, start, start, nxt.id))


def _resolution_on(doc: Document, nxt: Document | None) -> bool:
    return bool(
        doc.doc_type == "决议" and nxt and nxt.doc_type in ("报告", "纲要", "规划", "计划") and _about(doc.title, nxt)
    )


def _about(resolution_title: str, report: Document) -> bool:
    """关于X的决议 is about the report titled X, or whose title ends like X (政府工作报告 ~ 山西省人民政府工作报告)."""
    m = re.search(r"关于(.+)的决议$", re.sub(r"\s", "", resolution_title))
    if not m:
        return False
    x = re.sub(r"草案的报告$|的报告$", "", title_key(m.group(1)))
    y = re.sub(r"草案的报告$|的报告$", "", re.sub(r"^关于", "", title_key(report.title)))
    return bool(x and y) and (x.endswith(y) or y.endswith(x) or x in y or y in x)


def link_issue(docs: list[Document]) -> None:
    """The link stage for one issue: fill each document's references and relations (targets in other documents are
    resolved against the whole corpus by the store)."""
    deque(link_stream(docs), maxlen=0)


def link_stream(docs: Iterable[Document]) -> Iterator[Document]:
    """link_issue one document at a time, for an issue too large to hold: each document is handed on, linked, as
    soon as the NEIGHBOURS documents after it are known (resolve_neighbours looks no further), so that no more than
    2 × NEIGHBOURS + 1 documents are held; the documents come out in the order they went in."""
    held: list[Document] = []  # up to NEIGHBOURS handed-on documents, then the ones not handed on yet
    relations: dict[str, list[Relation]] = {}
    done = 0  # held[:done] are handed on
    for doc in docs:
        units = _text_units(doc)
        refs = find_references(doc, units)
        resolve_internal(doc, refs)
        doc.references = [r.to_dict() for r in refs]
        relations[doc.id] = find_relations(doc, refs, units)
        held.append(doc)
        while len(held) - done > NEIGHBOURS:
            yield _linked(held, done, relations)
            done += 1
            if done > NEIGHBOURS:
                del relations[held.pop(0).id]
                done -= 1
    for i in range(done, len(held)):
        yield _linked(held, i, relations)


def _linked(held: list[Document], i: int, relations: dict[str, list[Relation]]) -> Document:
    doc = held[i]
    rels = relations.setdefault(doc.id, [])
    _resolve_near(held, i, rels)
    doc.relations = [r.to_dict() for r in rels]
    return doc
