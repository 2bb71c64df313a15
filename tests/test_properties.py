"""Property: cleaning and paragraphing never fail, and paragraphs tile the text lines of any input in order."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gazette_text import RUNNING_HEADER, source
from gongbao.parse.clean import clean, display, iter_paragraphs, normalize_chars

CHARS = (
    list("第一二三四五六七八九十百条章节款项编之的了是在和人民政府公报关于印发通知办法条例年月日号〔〕")
    + list("，。；：！？、,.;:!?()（）《》«»‹›〈〉【】“”—－-*_{}#<>/|~ \u3000\t")
    + list("０１２３４５６７８９0123456789ＡａAaXx○〇")
    + ["\U001001b0", "\U00100170", "\ue000", "\U000f0000"]
)
PIECES = ["**", "- ", "PM_{2.5}", "第一条\u3000", "（一）", "1.", "附件1", "(第十八号)", "晋政发〔2022〕25号"]

token = st.one_of(
    st.sampled_from(CHARS), st.sampled_from(PIECES), st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
)
line = st.lists(token, max_size=30).map("".join)
lines = st.lists(
    st.one_of(line, line, st.just(""), st.just("—７—"), st.just("—０２１—"), st.just(RUNNING_HEADER)),
    min_size=1,
    max_size=50,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines)
def test_paragraphs_tile_the_text_lines_in_order(raw_lines: list[str]) -> None:
    ct = clean(source(raw_lines))
    assert len(ct.lines) == len(raw_lines)
    paras = list(iter_paragraphs(ct, 1, len(raw_lines)))
    text_lines = {ln.number for ln in ct.lines if ln.kind == "text"}
    covered: list[int] = []
    previous_end = 0
    for p in paras:
        assert previous_end < p.start_line <= p.end_line <= len(raw_lines)
        previous_end = p.end_line
        assert ct.line(p.start_line).kind == "text"
        assert ct.line(p.end_line).kind == "text"
        covered += [n for n in range(p.start_line, p.end_line + 1) if n in text_lines]
        assert p.text.strip()
    assert covered == sorted(text_lines)


@settings(max_examples=400, deadline=None)
@given(line)
def test_display_text_has_no_extraction_artifacts(text: str) -> None:
    shown = display(normalize_chars(text))
    assert "\n" not in shown
    assert "**" not in shown
    for ch in shown:
        assert ch not in "«»‹›"
        assert not 0xFF10 <= ord(ch) <= 0xFF19 and not 0xFF21 <= ord(ch) <= 0xFF3A
        assert unicodedata.category(ch) != "Co"
