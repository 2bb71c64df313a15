"""Dev tool: the dev questions in-process, with the rank of the first correct hit and what ranked above it."""

import json
import sys
from pathlib import Path

from gongbao.search.engine import search
from gongbao.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared"
QS = [("seed_002_questions.json", "002_97e5f3168bf50f07.txt"), ("seed_003_questions.json", "003_1709ef1e33caa0c5.txt")]


def ok(h, q, file):
    s = h.source
    if s["file"] != file:
        return False
    span = q["end_line"] - q["start_line"] + 1
    if s["end_line"] - s["start_line"] + 1 > max(80, 2 * span):
        return False
    return s["start_line"] <= q["end_line"] and s["end_line"] >= q["start_line"]


def main() -> None:
    db = sys.argv[1]
    verbose = "-v" in sys.argv
    r1 = r5 = r10 = 0
    mrr = 0.0
    n = 0
    with Store(db) as store:
        for qf, file in QS:
            for q in json.loads((SHARED / "eval" / "questions" / qf).read_text()):
                n += 1
                res = search(store, q["question"], limit=10)
                rank = next((i for i, h in enumerate(res.hits, 1) if ok(h, q, file)), None)
                if rank:
                    r1 += rank == 1
                    r5 += rank <= 5
                    r10 += 1
                    mrr += 1 / rank
                if verbose and rank != 1:
                    print(
                        f"[{rank}] {q['question']}  want {q['doc_title'][:20]} {q.get('article')} "
                        f"{q['start_line']}-{q['end_line']}   terms={res.terms}"
                    )
                    for h in res.hits[:3]:
                        print(f"      {h.score:.3f} {h.citation[:40]} {h.source['start_line']}-{h.source['end_line']}")
    print(f"recall@1={r1 / n:.3f} recall@5={r5 / n:.3f} recall@10={r10 / n:.3f} mrr@10={mrr / n:.4f}")


if __name__ == "__main__":
    main()
