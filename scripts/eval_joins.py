"""Dev tool: classify join decisions on the degraded law corpus against gazette/*.map.json."""

import glob
import itertools
import json
import sys
from collections import Counter
from pathlib import Path

from gongbao.parse.clean import _continues, clean, ends_sentence, starts_with_marker
from gongbao.parse.read import read_source

shared = sys.argv[1] if len(sys.argv) > 1 else "../shared"
c = Counter()
ex = {}
for f in sorted(glob.glob(f"{shared}/corpus/laws-dev/gazette/*.txt")):
    m = json.loads(Path(f[:-4] + ".map.json").read_text())["lines"]
    ct = clean(read_source(f))
    W = ct.wrap_width
    text = [ln for ln in ct.lines if ln.kind == "text"]
    first = text[0]
    for p, n in itertools.pairwise(text):
        truth = m[p.number - 1]["src_line"] == m[n.number - 1]["src_line"]
        got = _continues(p, n, first, W, True)
        full = p.width >= W - max(6, W // 5)
        key = (
            truth,
            got,
            "full" if full else "short",
            "term" if ends_sentence(p.text) else "open",
            "mark" if starts_with_marker(n.text) else "",
        )
        c[key] += 1
        if truth != got:
            ex.setdefault(key, []).append((f.split("/")[-1], p.number, W, p.width, p.text[-12:], n.text[:12]))
        if not got:
            first = n
for k, v in sorted(c.items(), key=lambda x: -x[1]):
    print(k, v)
for k, v in ex.items():
    print(k)
    for x in v[:8]:
        print("   ", x)
