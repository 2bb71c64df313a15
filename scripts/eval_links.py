"""Measure how many internal article references (第X条 of the same text) resolve to an existing article, on a
folder of law texts (default: the dev law corpus), and list the ones that do not.

    .venv/bin/python scripts/eval_links.py [FOLDER] [-v]
"""

from __future__ import annotations

import sys
from pathlib import Path

from gongbao.parse.read import ReadError
from gongbao.pipeline import parse_file

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "laws-dev" / "gazette"


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    verbose = "-v" in sys.argv
    folder = Path(args[0]) if args else DEFAULT
    total = resolved = 0
    misses: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        try:
            issue = parse_file(path)
        except ReadError as e:
            print(f"skip {e}")
            continue
        for doc in issue.documents:
            texts = {p.id: p.text for p in doc.provisions}
            for ref in doc.references:
                if ref["kind"] != "article" or ref.get("title") or ref.get("draft"):
                    continue
                total += 1
                if ref.get("target_provision"):
                    resolved += 1
                else:
                    around = texts.get(ref["provision_id"], "")[max(0, ref["offset"] - 24) : ref["offset"] + 12]
                    misses.append(f"{path.name}:{ref['start_line']} {ref['text']} in …{around}…")
    print(
        f"internal article references: {total}, resolved to an existing article: {resolved} "
        f"({resolved / max(total, 1):.4f})"
    )
    for m in misses if verbose else misses[:20]:
        print("  unresolved", m)


if __name__ == "__main__":
    main()
