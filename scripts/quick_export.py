"""Dev tool: parse files straight to JSONL (no store) for fast scoring loops."""

import json
import sys

from gongbao.pipeline import parse_file

with open(sys.argv[1], "w", encoding="utf-8") as out:
    for path in sys.argv[2:]:
        try:
            issue = parse_file(path)
        except Exception as e:
            print(f"{path}: {e}", file=sys.stderr)
            continue
        for d in issue.documents:
            out.write(json.dumps(d.to_dict(), ensure_ascii=False) + "\n")
