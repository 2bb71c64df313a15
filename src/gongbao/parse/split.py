"""CleanText → IssueLayout: where each document of a gazette issue starts and ends.

A document starts with a title block: one to six short lines without sentence punctuation whose text ends with a
document-type word (条例, 办法, 报告, 通知, 公告 …), optionally preceded by an attachment label (附件1).  A title
block counts when what follows it is what follows a title in an official document: an adoption note
"(2023年11月30日…通过)", a speech line "———2023年9月20日在…", a serial number "(第十八号)", a 文号, a salutation or
addressee ending in a colon, the first article or chapter of a law, a paragraph indent, or a dated enactment
history.  The promulgated text of a 印发/转发 notice is not a document of its own: its title becomes the notice's
inner title.  Lines before the first document (cover, masthead, contents), a gazette's self-description (简介) and
the back cover are issue metadata.  The issue's table of contents is the publisher's own list of its documents:
a listed title printed on lines of its own in the body starts a document there even when the rules above would
not see it (a title without a type word, a document right after the contents page, one run into the previous
document); what the contents list but the body does not print changes nothing.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
from dataclasses import dataclass

from gongbao.model import CleanLine, CleanText, DocumentSpan, IssueLayout, IssueRegion
from gongbao.parse.clean import (
    ARTICLE_HEAD,
    DIVISION_HEAD,
    DOC_NUMBER_LINE,
    ZH_NUM,
    display,
    ends_sentence,
    join_lines,
    starts_with_marker,
)
from gongbao.parse.doctypes import (
    ALL_TYPES,
    METADATA_TYPES,
    NORMATIVE_TYPES,
    is_qualifier,
    promulgated_title,
    strip_qualifiers,
    title_type,
)
from gongbao.parse.numerals import DATE_ALONE, DATE_AT_START, DATE_PATTERN

MAX_TITLE_LINES = 8
MAX_COVER_LINES = 40  # text lines before an issue's contents that are its cover, not a document
_SENTENCE_PUNCT = re.compile(r"[，,。；;！!？?]|(?<![\dA-Za-z])[:：]|(?<=[\u4e00-\u9fff])\.")
DATE_LINE = DATE_ALONE
_DATE_START = DATE_AT_START
_ADOPTION_NOTE = re.compile(r"^[(（]\s*\d{4}\s*年\s*\d{1,2}\s*月")
_SPEECH_LINE = re.compile(r"^[—–-]{2,}\s*\d{4}\s*年")
_SERIAL = re.compile(rf"^[(（]?\s*第\s*[{ZH_NUM}\d]+\s*号\s*[)）]?$")
_LABEL_NUMBER = rf"(?:\d{{1,2}}|[{ZH_NUM}]{{1,3}})"
_ANNEX_LABEL = re.compile(rf"^附\s*(?:件|录|表)\s*{_LABEL_NUMBER}?$|^文\s*件\s*{_LABEL_NUMBER}$")  # 附件2, 附表, 文件三
_TOC_HEAD = re.compile(r"^目\s*录$|^目\s*次$")
_PLACEHOLDER = re.compile(r"X{2,}|\sX\s|第\s*X\s*号|[(（]\s+[)）]")
_CLOSING = re.compile(
    r"请予审议|请一并予以审议|请审议|请予研究|报告完毕|特此公告|现予公告|特此通知|特此通告|此件公开发布|此件附件不公开"
)
_BACK_MATTER = re.compile(
    r"ISSN|CN\s*\d{2}\s*[-—–]\s*\d{4}|总\s*编\s*辑|编辑出版|出版发行|邮\s*编\s*[:：]|定\s*价\s*[:：]|二维码|扫码关注"
)
MAX_BACK_MATTER_LINES = 120
_ABOUT = re.compile(r"关于")
# Cheap pre-filter: a title's last line ends with a type word, maybe followed by a qualifier or closing mark.
_TYPE_AT_END = re.compile("(?:" + "|".join(ALL_TYPES) + "|告|目次)\\s*(?:[(（][^()（）]{1,16}[)）])?\\s*[)）》]?\\s*$")
_TITLE_LAST_CHARS = frozenset(w[-1] for w in ALL_TYPES) | frozenset(")）》告次")
_ENACTED = re.compile(r"通过|公布|发布|施行|批准|修正|修订|会议|生效")
_ADDRESSEE = re.compile(
    r"各位|委员|代表|主任|主席|会议|同志|先生|女士|阁下|政府|厅|局|委|办|部门|单位|院|公司|机关|组织|学校|集团|机构|市|县|区|省"
)


_WS = re.compile(r"\s")


def _squeeze_ws(s: str) -> str:
    return _WS.sub("", s)


@dataclass
class _TitleBlock:
    start: int  # index into the text-line list
    end: int
    title: str
    doc_type: str
    strong: bool  # followed by something only a title is followed by


def split(clean_text: CleanText) -> IssueLayout:
    """Find the documents of an issue and the issue-metadata regions between them."""
    text = [ln for ln in clean_text.lines if ln.kind == "text"]
    if not text:
        return IssueLayout(documents=[], regions=_regions(clean_text, [], [], []))
    page_top = _page_tops(text, clean_text.source.pages)
    blocks = _title_blocks(text, clean_text.wrap_width, page_top)
    blocks = _align_with_contents(text, blocks, clean_text.wrap_width, page_top)
    docs: list[DocumentSpan] = []
    meta_starts: list[tuple[int, str]] = []  # (text index, kind) where an issue-metadata region starts
    toc_at = _toc_head(text)
    if toc_at is not None and toc_at <= MAX_COVER_LINES and _lists_documents(text):
        blocks = [tb for tb in blocks if tb.start > toc_at]  # the cover's title lines: documents follow the list
    if toc_at is not None and not any(tb.start < toc_at and tb.doc_type not in METADATA_TYPES for tb in blocks):
        meta_starts.append((toc_at, "toc"))  # the issue's contents; a 目录 after a title is that law's own
    for tb in blocks:
        if tb.doc_type in METADATA_TYPES:
            meta_starts.append((_label_start(text, tb.start), "intro" if tb.doc_type == "简介" else "toc"))
            continue
        if docs and _absorb_inner_title(docs[-1], tb, text):
            continue
        start = _label_start(text, tb.start)
        label = _squeeze_ws(text[start].text) if start != tb.start else None
        docs.append(
            DocumentSpan(
                start_line=text[start].number,
                end_line=text[-1].number,
                title_start=text[tb.start].number,
                title_end=text[tb.end].number,
                title=tb.title,
                label=label,
            )
        )
    _set_ends(docs, meta_starts, text)
    _cut_back_matter(docs, text)
    _find_inner_titles(docs, text)
    return IssueLayout(documents=docs, regions=_regions(clean_text, docs, meta_starts, text))


def whole_file(clean_text: CleanText) -> IssueLayout:
    """The layout of a file in which no document was recognised: one document from its first to its last line of
    text, titled by its first line (cut short when that line is a paragraph rather than a title, and then kept in
    the body as well: title_end < title_start says the title is not printed on lines of its own)."""
    lines = [ln for ln in clean_text.lines if ln.kind == "text"] or [ln for ln in clean_text.lines if ln.text]
    if not lines:  # (the reader refuses files without a visible character; this is for callers that do not)
        lines = [CleanLine(1, "", "", "blank")]
    first = lines[0]
    title = display(first.text)
    printed = bool(title) and len(title) <= 60 and _title_line(first)
    if not printed:
        title = (title[:30] + "…" if len(title) > 30 else title) or clean_text.source.file
    span = DocumentSpan(
        start_line=first.number,
        end_line=lines[-1].number,
        title_start=first.number,
        title_end=first.number if printed else first.number - 1,
        title=title,
    )
    return IssueLayout(documents=[span], regions=_regions(clean_text, [span], [], lines))


# ------------------------------------------------------------------------------------------- title blocks


def _page_tops(text: list[CleanLine], pages: tuple[int, ...]) -> list[int]:
    """For each text line, the index of the first text line of its page (0 for all lines of an unpaged text)."""
    tops: list[int] = []
    for i, ln in enumerate(text):
        same = i and pages and pages[ln.number - 1] == pages[text[i - 1].number - 1]
        tops.append(tops[-1] if same else (i if pages else 0))
    return tops


def _title_blocks(text: list[CleanLine], wrap_width: int, page_top: list[int]) -> list[_TitleBlock]:
    """Scan for lines that end a title (the next line is a follower) and work out where each title starts.  On a
    paged source a title begins on the page it ends on (the lines above a page break are another page's: a
    part's title page, the end of the previous document)."""
    blocks: list[_TitleBlock] = []
    toc = _toc_span(text)
    floor = 0  # a title block never reaches back into the previous one
    for k in range(len(text)):
        last_char = _unmarked(text[k].text)[-1:]
        if k < floor or last_char not in _TITLE_LAST_CHARS or (toc and toc[0] <= k <= toc[1]):
            continue
        if toc and k > toc[1]:
            floor = max(floor, toc[1] + 1)  # a title never begins inside the contents that precede it
        tail = _squeeze_ws((text[k - 1].text[-6:] if k else "") + _unmarked(text[k].text))  # …听证规 / 定
        if not _TYPE_AT_END.search(tail):
            continue
        if not _title_line(text[k]):
            continue
        tb = _title_block_ending_at(text, k, max(floor, page_top[k]), wrap_width)
        if tb is None:
            continue
        floor = k + 1
        if blocks and _repeated_title(blocks[-1], tb, text):
            continue
        if blocks and _heading_of_notice(blocks[-1], tb, text):
            blocks.pop()  # a saved page's heading: the notice that follows prints it again as what it issues
        blocks.append(tb)
    return blocks


def _heading_of_notice(prev: _TitleBlock, tb: _TitleBlock, text: list[CleanLine]) -> bool:
    """A web page (or a cover) headed by the title of the text a 印发 notice issues, then, with no sentence
    between (the page's date and source lines), the notice itself: the heading is not a document of its own."""
    obj = promulgated_title(tb.title)
    if obj is None or _core(obj) != _core(prev.title):
        return False
    between = text[prev.end + 1 : tb.start]
    return all(ln.text.rstrip()[-1:] not in "。；;！!？?" for ln in between)  # (发布机构: is a field, not a sentence)


def _repeated_title(prev: _TitleBlock, tb: _TitleBlock, text: list[CleanLine]) -> bool:
    """Laws are often printed as title, enactment history, then the title again: one document, not two."""
    a, b = _core(prev.title), _core(tb.title)
    if a != b and not a.endswith(b):
        return False
    between = text[prev.end + 1 : tb.start]
    return all(ln.text.rstrip()[-1:] not in "。.；;！!？?" for ln in between)


def _title_block_ending_at(text: list[CleanLine], k: int, floor: int, wrap_width: int) -> _TitleBlock | None:
    start = _title_start(text, k, floor)
    while start < k and not _after_a_break(text, start, wrap_width):
        start += 1
    if k + 1 < len(text) and is_qualifier(text[k + 1].text):
        k += 1  # …若干问题的解释 / （三）: the qualifier printed on a line of its own
    joined = _unmarked(join_lines(ln.text for ln in text[start : k + 1]))
    start = _earlier_copy(text, start, k, floor)  # the block covers both copies, the title is said once
    joined = _book_title(joined)
    doc_type = title_type(joined)
    if doc_type is None or not _after_a_break(text, start, wrap_width) or _PLACEHOLDER.search(joined):
        return None
    if len(strip_qualifiers(joined)) < len(doc_type) + (2 if _enacted(text, k + 1) else 3):
        return None  # 名词解释, 公告: a type word with too little before it is a heading, not a title (信访条例 is one)
    follower = _follower(text, k + 1, doc_type, text[start].indent)
    if (
        follower == "weak"
        and doc_type not in METADATA_TYPES
        and not _plausible_without_follower(text, start, joined, doc_type)
    ):
        return None
    if not follower:
        return None
    return _TitleBlock(start, k, display(joined), doc_type, follower == "strong")


_ONE_BOOK_TITLE = re.compile(r"^《([^《》]+)》$")


def _book_title(title: str) -> str:
    """A title printed as one book title (《中華人民共和國香港特別行政區維護國家安全法》, a gazette's schedule) is
    the title inside the marks."""
    m = _ONE_BOOK_TITLE.match(title.strip())
    return m.group(1).strip() if m else title


def _earlier_copy(text: list[CleanLine], start: int, k: int, floor: int) -> int:
    """The same title printed just above (without its issuer line split off): the document starts there."""
    title = _squeeze(join_lines(ln.text for ln in text[start : k + 1]))
    for n in range(1, 5):
        i = start - n
        if i < floor or not _title_line(text[i]):
            break
        if _squeeze(join_lines(ln.text for ln in text[i:start])) == title:
            return i
    return start


def _balanced(s: str) -> bool:
    return all(s.count(a) == s.count(b) for a, b in ("《》", "〈〉", "()", "（）", "“”"))


def _opened_above(s: str) -> bool:
    """The text closes a bracket it does not open (…代表法〉办法（修订草案）》的说明)."""
    for a, b in ("《》", "〈〉"):
        depth = 0
        for ch in s:
            depth += (ch == a) - (ch == b)
            if depth < 0:
                return True
    return False


def _title_start(text: list[CleanLine], k: int, floor: int) -> int:
    """Walk up from the title's last line over the lines the title began on: the head of a wrapped title, and
    above a line starting with 关于 only its issuer, which may itself be wrapped (山西省第十三届人民代表大会 /
    第四次会议议案审查委员会 / 关于代表议案的审查报告)."""
    start = k
    while start > floor and k - start < MAX_TITLE_LINES - 1:
        head = _squeeze_ws(text[start].text)
        about = 0 if _VERB_HEAD.match(head) else head.find("关于")
        prev_line = text[start - 1]
        prev = _squeeze_ws(prev_line.text)
        if _roster(prev_line.text):
            break
        if (_title_line(prev_line) or _ANNEX_LABEL.match(prev)) and _opened_above(
            join_lines(ln.text for ln in text[start : k + 1])
        ):
            start -= 1  # 代表法〉办法》的说明 / 《…基本法 / 附件一 / …修正案》的决定: the title began above
            continue
        if _annex_of_named_law(text, start, floor):
            start -= 2  # 中华人民共和国香港特别行政区基本法 / 附件二 / …修正案: the annex of a law, named in full
            continue
        if not _title_line(prev_line) or len(prev) < 5:
            break
        if about > 0 and _PLACE.match(head) and _balanced(join_lines(ln.text for ln in text[start : k + 1])):
            break  # 山西省人大法制委员会关于…: issuer and 关于 on one line, the title is complete
        if about >= 0 and not _ISSUER.search(prev):
            break  # above a 关于… line only (the first half of) an issuer belongs to the title
        if about < 0 and _PLACE.match(head) and _ISSUER.search(head):
            break  # the line is a complete issuer name already
        start -= 1
    return start


def _annex_of_named_law(text: list[CleanLine], start: int, floor: int) -> bool:
    """The line above `start` is an annex label under a line naming a law: the title names that law's annex."""
    if start - 2 < floor or not _ANNEX_LABEL.match(_squeeze_ws(text[start - 1].text)):
        return False
    above = text[start - 2]
    return _title_line(above) and title_type(above.text) in NORMATIVE_TYPES and not ends_sentence(above.text)


_PLACE = re.compile(
    r"^(?:中华人民共和国|国务院|中共|全国|最高人民|[\u4e00-\u9fff]{1,6}?(?:省|市|县|区|自治区|州|盟|旗))"
)
_VERB_HEAD = re.compile(r"^(?:转报|转发|批转|印发|关于)")
_ISSUER = re.compile(
    r"(?:委员会|常委会|人大|代表大会|政府|办公厅|办公室|检查组|工委|厅|局|委|院|会议|主席团|部|署|中心|集团|公司|协会|小组)$"
)


def _roster(t: str) -> bool:
    """A line of personal names set in columns: 张　羽　　　毛益民 / 丁小强 卫小春 马德茂."""
    tokens = t.split()
    if len(tokens) < 3 or all(len(x) == 1 for x in tokens):
        return False
    return sum(len(x) <= 4 for x in tokens) >= 0.7 * len(tokens)


_TOC_ENTRY = re.compile(r"(?:[(（]\s*\d{1,3}\s*[)）]|\t\s*\d{1,3}|\s\d{1,3})$")
# An entry of a contents page as it ends: a leader and a page number, or the page number alone on its line.
_TOC_ENTRY_END = re.compile(r"(?:…|\.{2,}|·{2,})\s*[(（]?\s*\d{1,3}\s*[)）]?$|^[(（]\s*\d{1,3}\s*[)）]$")


def _toc_head(text: list[CleanLine]) -> int | None:
    # (a text line is stripped, so a 目录 heading starts with 目: the test that skips every other line fast)
    return next(
        (
            i
            for i, ln in enumerate(text)
            if ln.text[:1] == "目" and len(ln.text) <= 8 and _TOC_HEAD.match(_squeeze_ws(ln.text))
        ),
        None,
    )


def _toc_span(text: list[CleanLine]) -> tuple[int, int] | None:
    """The table of contents: from a 目录 heading to the last line that ends with a page number."""
    head = _toc_head(text)
    if head is None:
        return None
    last = head
    for j in range(head + 1, len(text)):
        if _TOC_ENTRY.search(text[j].raw.rstrip()) or _TOC_ENTRY_END.search(text[j].text):
            last = j
        elif j - last > MAX_TITLE_LINES or (j - last > 6 and not _title_line(text[j])):
            break  # (an entry with its adoption note may wrap over up to eight lines before its page number)
    return head, last


def _lists_documents(text: list[CleanLine]) -> bool:
    """The contents page lists documents (two or more entries are titles with a type word), not only the
    chapters of the one law it is printed in (第一章 总则 …)."""
    toc = _toc_span(text)
    if toc is None:
        return False
    listed = [t for entry in _toc_titles(text, toc) for t in [*entry, *map(_entry_core, entry)]]
    listed += [_TOC_PAGE_REF.sub("", ln.text) for ln in text[toc[0] + 1 : toc[1] + 1]]  # a heading line of its own
    titled = {_squeeze(t) for t in listed if not _division_entry(t) and title_type(_unmarked(t)) is not None}
    return len(titled) >= 2


def _division_entry(title: str) -> bool:
    """A contents entry for a part of a law (第一章 总则, 序言, 附则), not for a document."""
    t = _squeeze_ws(title)
    return len(t) < 5 or bool(DIVISION_HEAD.match(t) or ARTICLE_HEAD.match(t))


# ------------------------------------------------------------------------------------ table of contents

_TOC_PAGE_REF = re.compile(r"[\s…\.·]*[(（]?\s*\d{1,3}\s*[)）]?$")
_TOC_WRAPPED_PAGE = re.compile(r"^\d{1,3}\s*[)）]")  # the tail of a page number wrapped onto the next line
_TOC_KEY_DROP = str.maketrans({"（": "(", "）": ")", "〔": "(", "〕": ")", "［": "(", "］": ")"})


def _toc_key(s: str) -> str:
    return _unmarked(_squeeze(s)).translate(_TOC_KEY_DROP)


_NOTE_MARK = re.compile(r"(?<=[\u4e00-\u9fff》）)])[*＊^#@†‡]{1,3}$")


_NOTE_MARK_CHARS = frozenset("*＊^#@†‡\n")  # what a text the pattern changes ends with ($ matches before a \n)


def _unmarked(t: str) -> str:
    """A title line without the footnote marks printed after it (香港特別行政區基本法*, …產生辦法^@)."""
    return _NOTE_MARK.sub("", t) if t[-1:] in _NOTE_MARK_CHARS else t  # (run on every line: most end otherwise)


def _toc_titles(text: list[CleanLine], toc: tuple[int, int]) -> list[list[str]]:
    """The titles a contents page lists, leader and page number removed.  An entry is read up to the line that
    ends with its page number, so a line above it that is no entry (the issue's number, a section heading) is
    glued on: each entry comes as its candidate titles, all its lines first, then without the leading lines that
    cannot begin a title."""
    titles: list[str] = []
    lines: list[str] = []
    for ln in text[toc[0] + 1 : toc[1] + 1]:
        t = _TOC_WRAPPED_PAGE.sub("", ln.text).strip() if not lines else ln.text
        if not t:
            continue
        lines.append(t)
        if _TOC_ENTRY_END.search(t) or _TOC_ENTRY.search(ln.raw.rstrip()):
            head = 0  # leading lines that cannot begin a title: the issue's number, a short section heading
            while head < len(lines) - 1 and (not _title_like(lines[head], False) or len(_squeeze(lines[head])) <= 12):
                head += 1
            entry = [_TOC_PAGE_REF.sub("", join_lines(lines[m:])) for m in range(head + 1)]
            if entry[-1]:
                titles.append(entry)
            lines = []
    return titles


def _align_with_contents(
    text: list[CleanLine], blocks: list[_TitleBlock], wrap_width: int, page_top: list[int]
) -> list[_TitleBlock]:
    """Where the issue's contents page lists a title that is printed as lines of its own in the body, a document
    starts there, whatever its type word or the line after it: the contents are the publisher's own list.  A
    listed title not found in the body changes nothing, and documents the contents do not list are kept."""
    toc = _toc_span(text)
    if toc is None:
        return blocks
    entries = [entry for entry in _toc_titles(text, toc) if not _division_entry(entry[-1])]
    entries = [list(dict.fromkeys(_toc_key(t) for t in [*entry, *map(_entry_core, entry)])) for entry in entries]
    if not entries:
        return blocks
    keys = [_toc_key(ln.text) for ln in text]
    by_head: dict[str, list[int]] = {}
    for i in range(toc[1] + 1, len(text)):
        if keys[i] and _title_line(text[i]):
            by_head.setdefault(keys[i][:2], []).append(i)
    out = list(blocks)
    after = toc[1]  # the body line of the last listed title found: the contents list the documents in order
    used: set[int] = set()
    for entry in entries:  # (chapters listed under their law are left out: the law's headings, not documents)
        found = None
        for t in entry:
            candidates = by_head.get(t[:2], [])
            found = _printed_title(text, keys, candidates, t, wrap_width, page_top)
            if found and found[0] in used:  # a title listed twice (two letters of thanks): the next printing
                found = _printed_title(text, keys, [i for i in candidates if i > after], t, wrap_width, page_top)
            if found:
                break
        if found is None:  # a title the contents and the body spell differently (OCR typos in both)
            found = next((f for t in entry if (f := _similar_title(text, keys, after, t, wrap_width, page_top))), None)
        if found is not None:
            out = _place_listed_title(text, out, *found)
            after = max(after, found[1])
            used.add(found[0])
    return sorted(out, key=lambda b: b.start)


_ENTRY_LABEL = re.compile(rf"^(?:附\s*(?:件|录)|文\s*件)\s*{_LABEL_NUMBER}\s*")
_ENTRY_NOTE = re.compile(r"\s*[(（][^()（）]*\d{4}\s*年[^()（）]*[)）]$")


def _entry_core(entry: str) -> str:
    """A contents entry without its label (附件一, 文件三) and the adoption note printed after it: the title as
    the body prints it on its title lines."""
    return _ENTRY_NOTE.sub("", _ENTRY_LABEL.sub("", entry)) or entry


_SIMILAR = 0.8  # share of matching characters for a listed title to be the body's title spelled otherwise
_MIN_SIMILAR_TITLE = 8  # a shorter listed title is matched only as printed


def _similar_title(
    text: list[CleanLine], keys: list[str], after: int, title: str, wrap_width: int, page_top: list[int]
) -> tuple[int, int] | None:
    """The run of whole title lines after line `after`, begun after a break, whose text is closest to the listed
    title and differs from it by a few characters only (a scan's text layer: 苏雑埃 / 苏维埃, 一尤五四年 /
    一九五四年); the first of equally close ones."""
    if len(title) < _MIN_SIMILAR_TITLE:
        return None
    found: tuple[float, int, int] | None = None
    matcher = difflib.SequenceMatcher(None, title, autojunk=False)
    matcher.set_seq2(title)
    for i in range(after + 1, len(text)):
        if not keys[i] or not _title_line(text[i]) or not _after_a_break(text, i, wrap_width):
            continue
        joined = ""
        best: tuple[float, int] | None = None  # (ratio, last line): the run of lines closest to the listed title
        for j in range(i, min(i + MAX_TITLE_LINES, len(text))):
            if j > i and (not _title_line(text[j]) or page_top[j] != page_top[i]):
                break
            joined += keys[j]
            if len(joined) > len(title) / _SIMILAR:
                break
            if len(joined) < _SIMILAR * len(title):
                continue
            matcher.set_seq1(joined)
            if matcher.real_quick_ratio() >= _SIMILAR and matcher.quick_ratio() >= _SIMILAR:
                ratio = matcher.ratio()
                if ratio >= _SIMILAR and (best is None or ratio > best[0]):
                    best = (ratio, j)
        if best is not None and (found is None or best[0] > found[0]):
            found = (best[0], i, best[1])  # (longer runs were weighed: the lines after the best are not the title's)
    return (found[1], found[2]) if found else None


def _printed_title(
    text: list[CleanLine], keys: list[str], candidates: list[int], title: str, wrap_width: int, page_top: list[int]
) -> tuple[int, int] | None:
    """The first run of whole title lines on one page, after a break, whose text is the listed title."""
    for i in candidates:
        joined = ""
        for j in range(i, min(i + MAX_TITLE_LINES, len(text))):
            if j > i and (not _title_line(text[j]) or page_top[j] != page_top[i]):
                break
            joined += keys[j]
            if not title.startswith(joined):
                break
            if joined == title:
                began = _after_a_break(text, i, wrap_width) or _follower(text, j + 1, "") == "strong"
                if began and not _continues_title(text, keys, j, title) and not _title_page(page_top, i, j):
                    return i, j
                break
    return None


def _title_page(page_top: list[int], i: int, j: int) -> bool:
    """Lines i..j are all a page holds (a part's title page before the text it announces)."""
    return bool(page_top[-1]) and page_top[i] == i and (j + 1 == len(page_top) or page_top[j + 1] == j + 1)


def _continues_title(text: list[CleanLine], keys: list[str], j: int, title: str) -> bool:
    """The lines after the match still read as the title's own continuation (the listed title is only its head)."""
    nxt = j + 1
    if nxt >= len(text) or not _title_line(text[nxt]):
        return False
    return text[nxt].text[-1] in _TITLE_LAST_CHARS and title_type(title) is None and len(keys[nxt]) < 8


def _place_listed_title(text: list[CleanLine], blocks: list[_TitleBlock], i: int, j: int) -> list[_TitleBlock]:
    """Make lines i..j a title block: trim a block that reaches above them (an annex heading glued on), replace
    blocks that cover only part of them, add one where there was none."""
    title = display(_unmarked(join_lines(ln.text for ln in text[i : j + 1])))
    kept: list[_TitleBlock] = []
    start = i
    for b in blocks:
        if b.end < i or b.start > j:
            kept.append(b)
        elif b.end == j and b.start < i and _toc_key(b.title) == _toc_key(title):
            start = b.start  # the title printed twice, both copies in one block
        # any other block overlapping lines i..j is replaced by the listed title
    doc_type = title_type(title) or ""
    return [*kept, _TitleBlock(start, j, title, doc_type, True)]


def _title_line(ln: CleanLine) -> bool:
    return _title_like(ln.text, "\t" in ln.raw)


@functools.lru_cache(maxsize=1 << 16)
def _title_like(t: str, tabbed: bool) -> bool:
    if len(t) > 100 or tabbed or _SENTENCE_PUNCT.search(t):
        return False
    if _DATE_START.match(t) or DOC_NUMBER_LINE.match(t) or _SERIAL.match(t) or _ADOPTION_NOTE.match(t):
        return False
    if _ANNEX_LABEL.match(_squeeze_ws(t)) or re.fullmatch(r"[(（][^()（）]*[)）]", t):
        return False
    return not starts_with_marker(t)


def _after_a_break(text: list[CleanLine], i: int, wrap_width: int) -> bool:
    """A title never continues a sentence: the line before it ends one, or is a short line of its own."""
    if i == 0:
        return True
    prev = text[i - 1]
    if ends_sentence(prev.text) or _roster(prev.text) or _TOC_ENTRY_END.search(prev.text):
        return True
    if wrap_width and prev.width < wrap_width - max(6, wrap_width // 5):
        return True
    return not wrap_width or text[i].lead_space or _ANNEX_LABEL.match(_squeeze_ws(prev.text)) is not None


def _follower(text: list[CleanLine], k: int, doc_type: str, title_indented: bool = False) -> str:
    """'strong' when line k is something that follows a title, 'weak' for a plain paragraph, '' otherwise."""
    if k >= len(text):
        return ""
    ln = text[k]
    t = ln.text
    if _PART_NAME.match(t):
        return _follower(text, k + 1, doc_type, title_indented)  # 中华人民共和国民法典 / 合同编 / 2020年5月28日…通过
    if _enacted(text, k):
        return "strong"
    if (m := ARTICLE_HEAD.match(t) or DIVISION_HEAD.match(t)) and m.group(1) not in ("一", "1"):
        return ""  # a later article or chapter continues the law above: the line before it is a heading
    if (
        _ADOPTION_NOTE.match(t)
        or _SPEECH_LINE.match(t)
        or _SERIAL.match(t)
        or DOC_NUMBER_LINE.match(t)
        or _is_salutation(text, k)
    ):
        return "strong"
    if ln.indent and not title_indented:
        return "strong"  # (an indent sets a paragraph off from a title only when the title has none)
    if doc_type in NORMATIVE_TYPES and _TOC_HEAD.match(_squeeze_ws(t)):
        return "strong"  # a law printed with its own table of contents
    if DATE_LINE.match(t) or _ONE_BOOK_TITLE.match(t):
        return "weak"  # a title dated on the line below it; a notice's line naming the instrument (《…公布》)
    if _title_line(ln) and _opens_paragraph(text, k):
        return "weak"
    if starts_with_marker(t) or _title_line(ln) or t[0] in "(（" or _TOC_ENTRY.search(ln.raw.rstrip()):
        return ""
    return "weak"


def _enacted(text: list[CleanLine], k: int) -> bool:
    """Line k is what follows the title of an enacted text: an adoption note, a dated enactment history
    (2004年1月8日 …会议通过), article 1 or chapter 1.  A code's part name (合同编) may stand between."""
    if k < len(text) and _PART_NAME.match(text[k].text):
        k += 1
    if k >= len(text):
        return False
    t = text[k].text
    m = ARTICLE_HEAD.match(t) or DIVISION_HEAD.match(t)
    if m and m.group(1) in ("一", "1"):
        return True
    near = "".join(ln.text for ln in text[k : k + 3])
    if _DATE_START.match(t) or _ADOPTION_NOTE.match(t):
        return bool(_ENACTED.search(near))
    # a note that names the meeting before the date: （最高人民法院审判委员会第1421次会议通过 2008年…）
    note = re.match(r"[(（]([^()（）]*)", near) if t[0] in "(（" else None
    return bool(note and _ENACTED.search(note.group(1)) and DATE_PATTERN.search(note.group(1)))


_PART_NAME = re.compile(r"^[\u4e00-\u9fff]{1,6}编$")  # a code's part printed under the code's title


def _opens_paragraph(text: list[CleanLine], k: int) -> bool:
    """Line k has no sentence punctuation only because the paragraph it begins wraps before the first comma:
    the next line carries on the sentence (为依法惩治…介绍卖淫 / 犯罪活动,根据刑法…)."""
    if k + 1 >= len(text) or len(text[k].text) < 16:
        return False
    nxt = text[k + 1].text
    return bool(_SENTENCE_PUNCT.search(nxt)) and not starts_with_marker(nxt) and not _title_line(text[k + 1])


def _is_salutation(text: list[CleanLine], k: int) -> bool:
    t = text[k].text
    if len(t) <= 80 and t[-1] in ":：" and not re.search(r"[。；;！？]|(?<=[\u4e00-\u9fff])\.", t):
        return bool(_ADDRESSEE.search(t))
    nxt = text[k + 1].text if k + 1 < len(text) else ""
    return t[-1] in "，," and len(t) <= 60 and bool(nxt) and nxt[-1] in ":：" and len(nxt) <= 40


def _plausible_without_follower(text: list[CleanLine], i: int, title: str, doc_type: str) -> bool:
    """A title followed directly by body text: accept one at the very start of the text, or a 关于… title right
    after a closed paragraph."""
    if i == 0:
        return True
    if not _ABOUT.search(title):
        return False
    return i == 0 or ends_sentence(text[i - 1].text) or DATE_LINE.match(text[i - 1].text) is not None


def _label_start(text: list[CleanLine], i: int) -> int:
    if i > 0 and _ANNEX_LABEL.match(_squeeze_ws(text[i - 1].text)):
        return i - 1
    return i


# --------------------------------------------------------------------------------------- inner titles


def _core(s: str) -> str:
    """Only the letters, digits and ideographs of a title: two printings of it differ in spaces and 、."""
    return "".join(ch for ch in s if ch.isalnum())


def _squeeze(s: str) -> str:
    return re.sub(r"[\s《》〈〉“”\"'‘’<>«»‹›]", "", s)


def _same_text(inner: str, obj: str) -> bool:
    a, b = _squeeze(inner), _squeeze(obj)
    if not a or not b:
        return False
    if a in b or b in a:
        return min(len(a), len(b)) >= 4
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def _absorb_inner_title(doc: DocumentSpan, tb: _TitleBlock, text: list[CleanLine]) -> bool:
    """A 印发 notice's promulgated text repeats its own title: record it as the notice's inner title."""
    if doc.inner_title is not None:
        return False
    t = text[tb.end + 1].text if tb.end + 1 < len(text) else ""
    if DOC_NUMBER_LINE.match(t) or _SERIAL.match(t):
        return False  # a 文号 or serial number: a document of its own
    obj = promulgated_title(doc.title)
    if obj is None or not _same_text(tb.title, obj):
        return False
    doc.inner_title = tb.title
    doc.inner_title_start, doc.inner_title_end = text[tb.start].number, text[tb.end].number
    return True


def _find_inner_titles(docs: list[DocumentSpan], text: list[CleanLine]) -> None:
    """For 印发 notices whose promulgated text had no follower strong enough to be a title block."""
    by_number = {ln.number: idx for idx, ln in enumerate(text)}
    for doc in docs:
        obj = promulgated_title(doc.title)
        if doc.inner_title is not None or obj is None:
            continue
        i = by_number[doc.title_end] + 1
        while i < len(text) and text[i].number <= doc.end_line:
            for k in range(i, min(i + 3, len(text))):
                if text[k].number > doc.end_line or not _title_line(text[k]):
                    break
                joined = display(join_lines(ln.text for ln in text[i : k + 1]))
                if _same_text(joined, obj) and len(_squeeze(joined)) >= 0.6 * len(_squeeze(obj)):
                    doc.inner_title = joined
                    doc.inner_title_start, doc.inner_title_end = text[i].number, text[k].number
                    break
            if doc.inner_title is not None:
                break
            i += 1


# ------------------------------------------------------------------------------------------ boundaries


def _set_ends(docs: list[DocumentSpan], meta_starts: list[tuple[int, str]], text: list[CleanLine]) -> None:
    starts = sorted([d.start_line for d in docs] + [text[i].number for i, _ in meta_starts])
    numbers = [ln.number for ln in text]
    for doc in docs:
        later = [s for s in starts if s > doc.start_line]
        limit = later[0] if later else numbers[-1] + 1
        doc.end_line = numbers[bisect.bisect_left(numbers, limit) - 1]  # the last text line before the next start


def _cut_back_matter(docs: list[DocumentSpan], text: list[CleanLine]) -> None:
    """The back cover and colophon after the last document are issue metadata."""
    if not docs:
        return
    last = docs[-1]
    tail = [ln for ln in text if last.title_end < ln.number <= last.end_line]
    first_back = next((k for k, ln in enumerate(tail) if _BACK_MATTER.search(ln.text)), None)
    if first_back is None:
        return
    closing = [k for k, ln in enumerate(tail[:first_back]) if _CLOSING.search(ln.text) or DATE_LINE.match(ln.text)]
    if closing and len(tail) - closing[-1] <= MAX_BACK_MATTER_LINES:
        last.end_line = tail[closing[-1]].number


def _regions(clean_text: CleanText, docs: list[DocumentSpan], meta_starts, text) -> list[IssueRegion]:
    """Every line that belongs to no document, as metadata regions of the issue."""
    owner = [None] * (len(clean_text.lines) + 1)
    for d in docs:
        for n in range(d.start_line, d.end_line + 1):
            owner[n] = d
    meta_kind_at = {text[i].number: kind for i, kind in meta_starts}
    first_doc = docs[0].start_line if docs else len(clean_text.lines) + 1
    regions: list[IssueRegion] = []
    kind = "front"
    for n in range(1, len(clean_text.lines) + 1):
        if owner[n] is not None:
            kind = "gap"
            continue
        ln = clean_text.line(n)
        if n in meta_kind_at:
            kind = meta_kind_at[n]
        elif n > first_doc and kind == "gap" and ln.kind == "text":
            kind = "back" if n > docs[-1].end_line else "gap"
        this = "furniture" if ln.kind == "furniture" else kind
        if regions and regions[-1].kind == this and regions[-1].end_line == n - 1:
            regions[-1].end_line = n
        else:
            regions.append(IssueRegion(kind=this, start_line=n, end_line=n))
    return regions
