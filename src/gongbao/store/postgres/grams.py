"""The character-gram index in PostgreSQL: the same index as SQLite's FTS5 table, so that both backends find and
rank the same units.

Each search unit's heading and body become a `tsvector` with one lexeme per character and its positions (the
heading first, then the body two positions further on, so that no phrase runs from one into the other).  The
lexemes are made here, not by PostgreSQL's text parser: the token characters are those of FTS5's unicode61
tokenizer (letters, digits, private-use characters, case-folded), whatever the server's locale.  A query string is
a phrase of characters per run of letters and digits (`'罚' <-> '款'`), so a one- or two-character word is found
like any other — which pg_trgm (three-character grams, like FTS5's trigram tokenizer) cannot do.

BM25 is computed in Python with FTS5's formula (k1 = 1.2, b = 0.75, the heading weighing 2, the body 1; a phrase's
idf from the number of units that contain it), from the candidates' own text and the corpus totals kept per file,
so that the relevance the ranking sees is the one SQLite computes.

Limits of tsvector, measured to matter little: positions above 16383 are not kept (a unit is rarely longer), and a
lexeme keeps at most 256 positions per unit (a character that occurs more often than that in one unit can only
start a phrase at one of its first 256 places).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from gongbao.analyse import gram_phrases
from gongbao.model import Probe

K1, B = 1.2, 0.75
HEADING_WEIGHT, BODY_WEIGHT = 2.0, 1.0
MAX_POSITION = 16383
MAX_POSITIONS = 256
# what unicode61 keeps as a token character: letters, numbers (\w without _) and the private-use planes
_TOKEN = re.compile(r"[^\W_]|[\ue000-\uf8ff\U000f0000-\U0010ffff]")


class _Separators(dict[int, int | None]):
    """str.translate table that deletes every character that is not a token character (decided once per
    character, then looked up in C: several times faster than a regular expression over the text)."""

    def __missing__(self, code: int) -> int | None:
        value = code if _TOKEN.match(chr(code)) else None
        self[code] = value
        return value


_SEPARATORS = _Separators()


def tokens(text: str) -> str:
    """The index tokens of a text, one character each, as one string ('罚款，PM2.5' → '罚款pm25')."""
    return text.translate(_SEPARATORS).lower()


def tsvector(heading_tokens: str, body_tokens: str) -> str:
    """The tsvector (input syntax) of a unit: each character with its positions; body positions start two after
    the heading's last, so that a phrase cannot join the end of the heading to the start of the body."""
    positions: dict[str, list[int]] = {}
    offset = len(heading_tokens) + 1 if heading_tokens else 0
    for start, toks in ((0, heading_tokens), (offset, body_tokens)):
        for i, ch in enumerate(toks, start + 1):
            at = positions.setdefault(ch, [])
            if len(at) < MAX_POSITIONS and i <= MAX_POSITION:
                at.append(i)
    # a token is a letter or digit, never a quote or backslash; the positions of a lexeme must not be empty
    return " ".join(f"'{ch}':{','.join(map(str, at))}" if at else f"'{ch}'" for ch, at in positions.items())


def char_counts(units: Iterable[tuple[str, str]]) -> Counter[str]:
    """How many of the units (heading tokens, body tokens) contain each character."""
    df: Counter[str] = Counter()
    for heading, body in units:
        df.update(set(heading) | set(body))
    return df


def probe_phrases(probe: Probe) -> list[str]:
    """Every phrase of the probe's expression, in the order FTS5 numbers them (each string's runs of letters and
    digits, for each alternative of each term, required terms first)."""
    return [
        "".join(run)
        for term in (*probe.all_of, *probe.any_of)
        for alternative in term
        for run in gram_phrases(alternative)
    ]


def _string_query(text: str) -> str | None:
    runs = ["(" + " <-> ".join(f"'{ch}'" for ch in run) + ")" for run in gram_phrases(text)]
    return " & ".join(runs) if runs else None


def _term_query(alternatives: Iterable[str]) -> str | None:
    parts = [q for q in map(_string_query, alternatives) if q]
    return "(" + " | ".join(f"({q})" for q in parts) + ")" if parts else None


def probe_query(probe: Probe) -> str | None:
    """The tsquery (input syntax) of a probe: every term of all_of, and one of any_of.  Lexemes are single
    letters or digits, quoted: nothing a user types becomes an operator."""
    required = [q for q in map(_term_query, probe.all_of) if q]
    optional = [q for q in map(_term_query, probe.any_of) if q]
    if optional:
        required.append("(" + " | ".join(optional) + ")")
    return " & ".join(required) if required else None


def phrase_query(phrase: str) -> str:
    return " <-> ".join(f"'{ch}'" for ch in phrase)


def occurrences(text: str, phrase: str) -> int:
    """Overlapping occurrences of `phrase` in `text` (FTS5 counts every position a phrase matches at)."""
    if len(phrase) == 1:
        return text.count(phrase)
    n, start = 0, text.find(phrase)
    while start != -1:
        n += 1
        start = text.find(phrase, start + 1)
    return n


def idf(units: int, hits: int) -> float:
    value = math.log((units - hits + 0.5) / (hits + 0.5))
    return value if value > 0 else 1e-6


def bm25(heading: str, body: str, phrases: list[str], idfs: list[float], average_length: float) -> float:
    """FTS5's bm25() of one unit (heading and body as index tokens), as a relevance: higher is better."""
    length = len(heading) + len(body)
    norm = K1 * (1 - B + B * length / average_length) if average_length else K1
    score = 0.0
    for phrase, weight in zip(phrases, idfs, strict=True):
        freq = HEADING_WEIGHT * occurrences(heading, phrase) + BODY_WEIGHT * occurrences(body, phrase)
        score += weight * (freq * (K1 + 1.0)) / (freq + norm)
    return score


def _occurrences_sql(column: str) -> str:
    """SQL: how often the phrase parameter occurs in a tokens column, without overlap: the bytes that removing it
    takes away, over its bytes (an exact division; a byte count is stored with the text, a character count is
    not)."""
    return f"((octet_length({column}) - octet_length(replace({column}, %s::text, ''))) / %s::integer)"


def bm25_sql(phrases: list[str], idfs: list[float], average_length: float) -> tuple[str, str, list[Any], list[Any]]:
    """bm25() above as SQL over search_units `u`, so that the server ranks every match and only the best travel:
    (columns for the matching rows: the length norm `norm` and each phrase's frequency `f0`, `f1` …; the score
    over those columns; the parameters of each).  It counts a phrase's occurrences without overlap, so a phrase
    whose end can start it again (常常, 1010) may score a unit lower than FTS5 does; the caller re-scores what
    comes back with bm25() and asks for more than it keeps.  Otherwise the arithmetic is bm25()'s, in its order, in
    double precision: the two agree to the bit."""
    length = "(length(u.heading_tokens) + length(u.body_tokens))"
    if average_length:
        columns, column_args = [f"%s::float8 * (%s::float8 + %s::float8 * {length} / %s::float8) AS norm"], [
            K1, 1 - B, B, average_length,
        ]  # fmt: skip
    else:
        columns, column_args = ["%s::float8 AS norm"], [K1]
    score, score_args = "0.0::float8", []
    for i, (phrase, weight) in enumerate(zip(phrases, idfs, strict=True)):
        heading, body = _occurrences_sql("u.heading_tokens"), _occurrences_sql("u.body_tokens")
        columns.append(f"%s::float8 * {heading} + %s::float8 * {body} AS f{i}")
        size = len(phrase.encode())
        column_args += [HEADING_WEIGHT, phrase, size, BODY_WEIGHT, phrase, size]
        score += f" + %s::float8 * (f{i} * %s::float8) / (f{i} + norm)"
        score_args += [weight, K1 + 1.0]
    return ", ".join(columns), score, column_args, score_args
