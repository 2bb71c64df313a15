"""Robustness harness: the whole parse (read → clean → split → parse → link, no database) over every file of the
dev and wide corpora and the samples, and over the variants scripts/degrade.py makes of each, asserting for every
one: no exception; every source line in exactly one document or issue-metadata region; article numbers
consecutive within each document, or a numbering warning recorded where they are not.

  python scripts/robustness.py [--sample N] [--jobs 2] [--shared ../shared]   (make robustness: all of it)

Prints one summary row per corpus and variant and every failure; exits 1 when any file fails.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import degrade

from gongbao.parse.read import ReadError, read_source
from gongbao.pipeline import ParsedIssue, parse_source

SHARED = Path(__file__).resolve().parents[2] / "shared"


@dataclass(frozen=True)
class Case:
    corpus: str  # laws-dev, laws-wide, issues, samples
    path: str  # the original file
    plain: str | None  # its one-paragraph-per-line text, when the corpus has one


@dataclass
class Outcome:
    corpus: str
    variant: str
    file: str
    documents: int = 0
    warnings: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def cases(shared: Path) -> list[Case]:
    out = [Case("samples", str(p), None) for p in sorted((shared / "seeds").glob("*.txt"))]
    for corpus, folder in (("laws-dev", shared / "corpus/laws-dev"), ("laws-wide", shared / "corpus/laws-wide")):
        for p in sorted((folder / "gazette").glob("*.txt")):
            plain = folder / "plain" / p.name
            out.append(Case(corpus, str(p), str(plain) if plain.exists() else None))
    out += [Case("issues", str(p), None) for p in sorted((shared / "corpus/laws-wide/issues").glob("*.txt"))]
    return out


def sample(all_cases: list[Case], n: int) -> list[Case]:
    """Every k-th case of each corpus, so that a sample of n still has each corpus in it."""
    if n <= 0 or n >= len(all_cases):
        return all_cases
    step = max(1, len(all_cases) // n)
    return all_cases[::step]


def run_case(case: Case) -> list[Outcome]:
    """The original file and each of its variants, each written to a file and read back as a user's file is."""
    text = Path(case.path).read_text(encoding="utf-8")
    plain = Path(case.plain).read_text(encoding="utf-8") if case.plain else None
    out = []
    with tempfile.TemporaryDirectory(prefix="gongbao-robust-") as tmp:
        for variant, data in itertools.chain([("original", text)], degrade.variants(text, plain).items()):
            path = Path(tmp) / Path(case.path).name
            path.write_bytes(data.encode("utf-8"))
            out.append(_check(case.corpus, variant, path))
    return out


def _check(corpus: str, variant: str, path: Path) -> Outcome:
    o = Outcome(corpus, variant, path.name)
    try:
        issue = parse_source(read_source(path))
    except ReadError as e:  # only what is not text may be refused; every file here is text
        o.problems.append(f"refused: {e.reason}")
        return o
    except Exception as e:
        o.problems.append(f"exception: {type(e).__name__}: {e}")
        return o
    o.documents = len(issue.documents)
    o.warnings = Counter(w.stage for d in issue.documents for w in d.warnings)
    o.problems += coverage_problems(issue) + numbering_problems(issue)
    return o


def coverage_problems(issue: ParsedIssue) -> list[str]:
    """Every line of the source in exactly one document or one issue region."""
    n = len(issue.source.lines)
    owners = [0] * (n + 2)
    spans = [(d.source.start_line, d.source.end_line) for d in issue.documents]
    spans += [(r.start_line, r.end_line) for r in issue.regions]
    for start, end in spans:
        for k in range(max(1, start), min(n, end) + 1):
            owners[k] += 1
    none = [k for k in range(1, n + 1) if owners[k] == 0]
    many = [k for k in range(1, n + 1) if owners[k] > 1]
    out = []
    if none:
        out.append(f"{len(none)} lines in no document or region, first {none[:5]}")
    if many:
        out.append(f"{len(many)} lines in more than one document or region, first {many[:5]}")
    return out


def numbering_problems(issue: ParsedIssue) -> list[str]:
    """A break in a document's article numbers that no numbering warning of that document covers."""
    out = []
    for doc in issue.documents:
        warned = [(w.start_line, w.end_line) for w in doc.warnings if w.stage == "numbering"]
        articles = [p for p in doc.provisions if p.kind == "article"]
        for a, b in itertools.pairwise(articles):
            expected = a.number if "之" in b.label else (a.number or 0) + 1
            if b.number != expected and not any(s <= a.start_line and b.start_line <= e for s, e in warned):
                out.append(f"《{doc.title}》 {a.label} then {b.label} (line {b.start_line}) without a warning")
    return out


def summarise(outcomes: list[Outcome]) -> str:
    rows: dict[tuple[str, str], list[Outcome]] = {}
    for o in outcomes:
        rows.setdefault((o.corpus, o.variant), []).append(o)
    lines = [f"{'corpus':<10} {'variant':<15} {'files':>6} {'failed':>6} {'documents':>9}  warnings by stage"]
    for (corpus, variant), group in sorted(rows.items()):
        warnings = sum((o.warnings for o in group), Counter())
        shown = ", ".join(f"{k} {v}" for k, v in warnings.most_common()) or "-"
        failed = sum(bool(o.problems) for o in group)
        docs = sum(o.documents for o in group)
        lines.append(f"{corpus:<10} {variant:<15} {len(group):>6} {failed:>6} {docs:>9}  {shown}")
    total_failed = sum(bool(o.problems) for o in outcomes)
    lines.append(f"{len(outcomes)} files and variants, {total_failed} failed")
    return "\n".join(lines)


def run(selected: list[Case], jobs: int) -> list[Outcome]:
    if jobs <= 1:
        return [o for c in selected for o in run_case(c)]
    with Pool(jobs) as pool:
        return [o for group in pool.imap_unordered(run_case, selected, chunksize=4) for o in group]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", type=int, default=0, help="only about this many files (0: all)")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--shared", type=Path, default=SHARED)
    a = ap.parse_args()
    selected = sample(cases(a.shared), a.sample)
    if not selected:
        sys.exit(f"no corpus files under {a.shared}")
    outcomes = run(selected, a.jobs)
    print(summarise(outcomes))
    failures = [o for o in outcomes if o.problems]
    for o in failures:
        for p in o.problems:
            print(f"FAIL {o.corpus} {o.variant} {o.file}: {p}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
