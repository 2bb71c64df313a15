"""Text analysis shared by the index and the queries, on both storage backends: which characters are tokens, the
phrases of characters that find a string as a substring, and the words of a query (rjieba with the domain
dictionary).  Pure: no I/O beyond the bundled data files, no database (the store and search both import it, so it
sits below both)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import rjieba

_RUN = re.compile(r"[^\W_]+")  # letters and digits (any script): what unicode61 keeps as token characters


def data_lines(name: str) -> list[str]:
    """Entries of a bundled data file: whitespace-separated words, '#' starts a comment."""
    text = (resources.files("gongbao") / "data" / name).read_text(encoding="utf-8")
    return [w for line in text.splitlines() for w in line.split("#", 1)[0].split()]


@lru_cache(maxsize=1)
def _segmenter() -> rjieba.Jieba:
    """rjieba with the domain words added, so that e.g. 市容环境卫生 or 牵头单位 stay whole."""
    import rjieba  # on first use: only queries are segmented, an ingest need not load it

    jieba = rjieba.Jieba()
    for word in data_lines("dictionary.txt"):
        jieba.add_word(word, None, None)
    return jieba


def query_words(text: str) -> list[str]:
    """Words of a query: dictionary words only (no HMM guesses, which glue a modal verb to the next word, as in
    要降 or 能算); what the dictionary does not know comes out as single characters."""
    return [w.lower() for w in _segmenter().cut(text, False) if _RUN.search(w)]


def gram_phrases(text: str) -> list[list[str]]:
    """The phrases (token lists) that find `text` as a substring: one phrase of characters per run of letters and
    digits ('PM2.5' → [p m 2], [5])."""
    return [list(run) for run in _RUN.findall(text.lower())]
