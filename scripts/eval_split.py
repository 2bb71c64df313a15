"""Dev tool: compare the splitter's document starts with the gold inventories (titles/starts only)."""

import json
import sys
from pathlib import Path

from gongbao.parse.clean import clean
from gongbao.parse.read import read_source
from gongbao.parse.split import split

shared = "../shared"
files = {
    0: "000_644bd53d4fe8cae3.txt",
    1: "001_3191d9a98261c202.txt",
    2: "002_97e5f3168bf50f07.txt",
    3: "003_1709ef1e33caa0c5.txt",
    4: "004_4ede1d7ba8387c37.txt",
}
verbose = "-v" in sys.argv
for k, f in files.items():
    gold = [
        g
        for g in json.loads(Path(f"{shared}/eval/gold/seed_00{k}_inventory.json").read_text())
        if g["doc_type"] not in ("目录", "简介")
    ]
    lay = split(clean(read_source(f"{shared}/seeds/{f}")))
    got = {d.start_line: d for d in lay.documents}
    gs = {g["start_line"]: g for g in gold}
    miss = [g for g in gold if not any(abs(s - g["start_line"]) <= 3 for s in got)]
    spur = [d for d in lay.documents if not any(abs(d.start_line - s) <= 3 for s in gs)]
    endbad = [
        (g["start_line"], g["end_line"], d.end_line)
        for g in gold
        for d in lay.documents
        if abs(d.start_line - g["start_line"]) <= 3 and abs(d.end_line - g["end_line"]) > 3
    ]
    print(
        f"{k}: gold {len(gold)} got {len(lay.documents)} missed {len(miss)} spurious {len(spur)} badend {len(endbad)}"
    )
    if verbose:
        for g in miss:
            print("   MISS", g["start_line"], g["title"][:50])
        for d in spur:
            print("   SPUR", d.start_line, d.title[:50])
        for e in endbad:
            print("   END", e)
