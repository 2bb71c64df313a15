"""Dev tool: how well does the joiner rebuild paragraphs of the degraded law corpus (gazette/*.map.json)?"""

import glob
import json
import sys
from collections import Counter
from pathlib import Path

from gongbao.parse.clean import clean, iter_paragraphs
from gongbao.parse.read import read_source

shared = sys.argv[1] if len(sys.argv) > 1 else "../shared"
tot = ok = 0
errs = Counter()
examples = []
for f in sorted(glob.glob(f"{shared}/corpus/laws-dev/gazette/*.txt")):
    m = json.loads(Path(f[:-4] + ".map.json").read_text())["lines"]
    src = read_source(f)
    ct = clean(src)
    truth = {}
    for i, k in enumerate(m, 1):
        if k["kind"] == "text":
            truth.setdefault(k["src_line"], []).append(i)
    want = {(v[0], v[-1]) for v in truth.values()}
    got = {(p.start_line, p.end_line) for p in iter_paragraphs(ct, 1, len(ct.lines))}
    tot += len(want)
    ok += len(want & got)
    for s, e in sorted(want - got)[:3]:
        if len(examples) < 40:
            examples.append((f.split("/")[-1], s, e, ct.line(s).text[:30]))
print(
    f"paragraphs exact: {ok}/{tot} = {ok / tot:.4f}; wrap widths sample",
)
for x in examples:
    print(x)
