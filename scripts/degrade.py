"""Dev tool: degrade the plain dev laws in other ways than the provided gazette copies, to check that the parser
does not depend on one layout.  Writes NNN.txt files into an output folder; score them with score.py laws.

  python scripts/degrade.py OUT_DIR --variant single|u3000|justify|reversed|toc [--seed N]
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
