"""Dev tool: degrade the plain dev laws in other ways than the provided gazette copies, to check that the parser
does not depend on one layout.  Writes NNN.txt files into an output folder; score them with score.py laws.

  python scripts/degrade.py OUT_DIR --variant single|u3000|justify|reversed|toc [--seed N]

`variants()` makes other versions of any gazette file (no blank lines, CRLF, ideographic indents, page numbers in
another style, the file cut in the middle, another wrap width): the robustness harness (scripts/robustness.py)
parses every one of them.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
FULLWIDTH = str.maketrans({**{str(i): chr(0xFF10 + i) for i in range(10)}, "，": ",", "。": ".", "《": "«", "》": "»"})


def wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def degrade(plain: str, variant: str, rng: random.Random) -> str:
    header = "　山西省人民代表大会常务委员会公报２０２３\U001001706　"
    width = rng.randint(18, 26)
    out: list[str] = []
    page_lines, page = 0, 1
    paras = [p.strip() for p in plain.split("\n") if p.strip()]
    if variant == "toc":  # a table of contents of the chapters between the history and the first chapter
        chapters = [p for p in paras if re.match(r"^第[一二三四五六七八九十]+章", p)]
        if chapters:
            at = paras.index(chapters[0])
            paras[at:at] = ["目　　录", *chapters]
    for para in paras:
        if variant == "u3000":
            para = para.replace(" ", "\u3000", 1) if para.startswith("第") else para
        for line in wrap(para.translate(FULLWIDTH), width):
            if variant == "justify" and rng.random() < 0.1 and len(line) > 6:
                k = rng.randint(1, len(line) - 1)
                line = line[:k] + " " + line[k:]
            out.append(line)
            page_lines += 1
            if page_lines >= 38:
                number = str(page)[::-1] if variant == "reversed" else str(page)
                out += [f"—{number.translate(FULLWIDTH)}—", header]
                page, page_lines = page + 1, 0
    sep = "\n" if variant == "single" else "\n\n"
    return sep.join([header, *out]) + "\n"


# ---------------------------------------------------------------------------- variants of any gazette text
# Each takes the text of a file (a gazette copy, an issue, a sample) and returns another file a user could bring.

_PAGE_NUMBER = re.compile(r"^\s*[-—－–]\s*([0-9０-９]{1,4})\s*[-—－–]\s*$")
_SENTENCE_END = ("。", ".", "；", "：", ":")


def no_blank_lines(text: str) -> str:
    """Wrapped lines one after another, without the blank line a PDF extraction puts between them."""
    return "\n".join(line for line in text.split("\n") if line.strip()) + "\n"


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def ideographic_indents(text: str) -> str:
    """Paragraphs that start with two ideographic spaces, and U+3000 after an article's label."""
    out, after_end = [], True
    for line in text.split("\n"):
        if line.strip():
            if after_end or re.match(r"^第[一二三四五六七八九十百千零〇]+[条章节]", line):
                line = "\u3000\u3000" + re.sub(r"^(第[一二三四五六七八九十百千零〇]+条)\s+", "\\1\u3000", line.strip())
            after_end = line.rstrip().endswith(_SENTENCE_END)
        out.append(line)
    return "\n".join(out)


def page_numbers(text: str, style: int) -> str:
    """Page numbers printed another way: 第 N 页, a bare number, · N ·, or N / M."""
    numbers = [m.group(1) for line in text.split("\n") if (m := _PAGE_NUMBER.match(line))]
    total = len(numbers) + 1
    forms = ("第 {n} 页", "{n}", "· {n} ·", "{n} / {total}")

    def repl(m: re.Match[str]) -> str:
        n = int(m.group(1).translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        return forms[style % len(forms)].format(n=n, total=total)

    return "\n".join(_PAGE_NUMBER.sub(repl, line) for line in text.split("\n"))


def cut_in_the_middle(text: str) -> str:
    """The first half of the file, ending in the middle of a line (a download that stopped)."""
    half = len(text) // 2
    return text[:half]


def rewrap(plain: str, width: int) -> str:
    """A plain text (one paragraph per line) hard-wrapped at another width, with blank lines between lines."""
    lines = [chunk for para in plain.split("\n") if para.strip() for chunk in wrap(para.strip(), width)]
    return "\n\n".join(lines) + "\n"


VARIANTS = {
    "no-blank-lines": no_blank_lines,
    "crlf": crlf,
    "indents": ideographic_indents,
    "page-numbers": lambda text: page_numbers(text, len(text)),
    "cut": cut_in_the_middle,
}


def variants(text: str, plain: str | None = None) -> dict[str, str]:
    """The variants of one file; with its plain text, also re-wrapped at a narrow and a wide width."""
    out = {name: make(text) for name, make in VARIANTS.items()}
    if plain is not None:
        out["wrap-14"] = rewrap(plain, 14)
        out["wrap-40"] = rewrap(plain, 40)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--variant", default="single", choices=["single", "u3000", "justify", "reversed", "toc"])
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(a.seed)
    for p in sorted((SHARED / "corpus" / "laws-dev" / "plain").glob("*.txt")):
        (out / p.name).write_text(degrade(p.read_text(encoding="utf-8"), a.variant, rng), encoding="utf-8")


if __name__ == "__main__":
    main()
