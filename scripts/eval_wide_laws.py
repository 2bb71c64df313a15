"""Dev tool: per-file article and chapter mismatches of a law corpus against its ground truth.

    .venv/bin/python scripts/eval_wide_laws.py [CORPUS_DIR] [--only NNN,NNN] [-v]

CORPUS_DIR defaults to ../shared/corpus/laws-wide (laws-dev has the same layout: gazette/NNN.txt + gt/NNN.json).
Compares the way ../shared/eval/score.py laws does (article key = number + 之X, text prefix within 6 characters;
chapters by number) but parses in-process, so it is quick and shows *what* differs, file by file.
The ground truth is read only to measure; nothing here feeds the product.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import traceback
import unicodedata
from pathlib import Path

from gongbao.parse.numerals import zh_to_int
from gongbao.pipeline import parse_file


def core(s: str | None, n: int | None = None) -> str:
    s = "".join(ch for ch in unicodedata.normalize("NFKC", s or "") if ch.isalnum())
    return s[:n] if n else s


def article_key(p: dict) -> tuple[int | None, int | None]:
    m = re.search(r"之([一二三四五六七八九十]+|\d+)", unicodedata.normalize("NFKC", p.get("label") or ""))
    return (p.get("number"), zh_to_int(m.group(1)) if m else None)


def compare(gt: dict, docs: list[dict]) -> dict:
    got: dict = {}
    for d in docs:
        for p in d["provisions"]:
            if p["kind"] == "article":
                got.setdefault(article_key(p), []).append(core(p["text"], 40))
    want = {
        (a["number"], a.get("sub_number")): core(a.get("first_chars_gazette") or a.get("first_chars"), 10)
        for a in gt.get("articles") or []
    }
    right = {k for k, pre in want.items() if k in got and any(pre and 0 <= t.find(pre) <= 6 for t in got[k])}
    missed = [(k, want[k], got.get(k)) for k in want if k not in right]
    extra = [(k, t) for k, ts in got.items() for t in ts if k not in want or (k not in right)]
    gch = {c["number"] for c in gt.get("chapters") or [] if c.get("kind") != "enum"}
    dch = {p["number"] for d in docs for p in d["provisions"] if p["kind"] == "chapter"}
    return {
        "want": len(want),
        "right": len(right),
        "got": sum(len(v) for v in got.values()),
        "missed": missed,
        "extra": extra,
        "ch_missed": sorted(gch - dch),
        "ch_extra": sorted(dch - gch),
        "ch_want": len(gch),
        "ch_right": len(gch & dch),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default="../shared/corpus/laws-wide")
    ap.add_argument("--only", default="")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    root = Path(a.corpus)
    only = set(filter(None, a.only.split(",")))
    tp = fp = fn = ctp = cfn = cfp = 0
    errors = bad = 0
    for gt_path in sorted((root / "gt").glob("*.json")):
        name = gt_path.stem
        if only and name not in only:
            continue
        gt = json.loads(gt_path.read_text(encoding="utf-8"))
        try:
            docs = [d.to_dict() for d in parse_file(root / "gazette" / f"{name}.txt").documents]
        except Exception as e:  # a dev tool: report and go on
            errors += 1
            print(f"{name} ERROR {type(e).__name__}: {e}".splitlines()[0][:200])
            if a.verbose:
                traceback.print_exc()
            docs = []
        r = compare(gt, docs)
        tp, fn, fp = tp + r["right"], fn + r["want"] - r["right"], fp + r["got"] - r["right"]
        ctp, cfn = ctp + r["ch_right"], cfn + len(r["ch_missed"])
        cfp += len(r["ch_extra"])
        if r["right"] != r["want"] or r["got"] != r["right"] or r["ch_missed"] or r["ch_extra"]:
            bad += 1
            print(
                f"{name} {gt.get('title', '')[:30]} [{gt.get('doc_type')}] {r['right']}/{r['want']} right, "
                f"{r['got']} got; chapters missed {r['ch_missed'][:8]} extra {r['ch_extra'][:8]}; "
                f"docs {[(d['title'][:20], d['doc_type']) for d in docs][:4]}"
            )
            for k, pre, g in r["missed"][: 6 if not a.verbose else None]:
                print(f"    missed {k} want {pre!r} got {[t[:16] for t in g or []]}")
            for k, t in r["extra"][: 4 if not a.verbose else None]:
                print(f"    extra  {k} {t[:24]!r}")
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    ch = ctp / (ctp + cfn) if ctp + cfn else 0.0
    chp = ctp / (ctp + cfp) if ctp + cfp else 0.0
    print(
        f"TOTAL f1={f1:.4f} precision={p:.4f} recall={rc:.4f} chapter_recall={ch:.4f} chapter_precision={chp:.4f} "
        f"errors={errors} imperfect={bad}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
