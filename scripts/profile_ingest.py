"""Where ingest's time goes, stage by stage: read, script test, clean, split, paragraphs, metadata, structure,
status, links, pages, duties, figures, and on the store's side documents, index, links, facts and the rest of the
transaction (sources row, commit), for the bundled samples, the dev law corpus and the wide corpus.

Each stage's function is wrapped with a timer that counts its own time only (a stage called inside another is
taken out of the caller's figure), so the rows add up to the whole ingest.  The store takes a file's documents as
they are parsed (parse_stream): what of the parse is no stage of its own shows in the store's last row.
`--cprofile` also prints the functions
with the most time of their own.  The CLI's start-up (imports) is the first row of the first corpus.

    python scripts/profile_ingest.py                  # samples, laws-dev, laws-wide
    python scripts/profile_ingest.py wide --cprofile  # one corpus, with a function profile
    python scripts/profile_ingest.py --paths DIR ...  # any files or folders
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GONGBAO_SHARED", ROOT.parent / "shared"))
CORPORA = {
    "samples": None,  # the bundled samples
    "dev": SHARED / "corpus" / "laws-dev" / "gazette",
    "wide": SHARED / "corpus" / "laws-wide" / "gazette",
}

_t0 = time.perf_counter()
import gongbao.ingest as ingest_mod  # noqa: E402  (timed: the start-up an ingest pays)
import gongbao.pipeline as pipeline  # noqa: E402
from gongbao.store.sqlite import facts, index, links, store  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - _t0

# (stage, module, function name): patched where the caller looks the name up
STAGES = [
    ("read", ingest_mod, "read_source"),
    ("script test", pipeline, "is_traditional"),
    ("clean", pipeline, "clean"),
    ("split", pipeline, "split"),
    ("paragraphs", pipeline, "iter_paragraphs"),
    ("metadata", pipeline, "read_metadata"),
    ("structure", pipeline, "parse_provisions"),
    ("status", pipeline, "has_force"),
    ("status", pipeline, "expiry"),
    ("links", pipeline, "link_issue"),
    ("links", pipeline, "link_stream"),
    ("pages", pipeline, "attach_pages"),
    ("duties", pipeline, "find_duties"),
    ("figures", pipeline, "find_figures"),
    ("numbering", pipeline, "numbering_warnings"),
    ("parse (rest)", pipeline, "parse_source"),
    ("parse (rest)", pipeline, "parse_stream"),
    ("store: documents", store.SqliteCorpus, "_insert_document"),
    ("store: index", index, "index_document"),
    ("store: links", links, "insert"),
    ("store: resolve", links, "resolve"),
    ("store: facts", facts, "insert"),
    ("store: rest (sources, commit)", store.SqliteCorpus, "ingest"),
    ("batch loop", ingest_mod, "ingest_paths"),
]
GENERATORS = {"iter_paragraphs", "link_stream"}  # their work is done as they are iterated


class Timers:
    """Own time per stage: a stage's elapsed time less that of the stages it called."""

    def __init__(self) -> None:
        self.own: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._stack: list[list[float]] = []  # [start, time in children]

    def wrap(self, stage: str, fn: Callable[..., Any], generator: bool) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            result = self._run(stage, fn, *args, **kwargs)
            return self._steps(stage, result) if generator else result

        return timed

    def _run(self, stage: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        self._stack.append([time.perf_counter(), 0.0])
        try:
            return fn(*args, **kwargs)
        finally:
            start, children = self._stack.pop()
            elapsed = time.perf_counter() - start
            self.own[stage] = self.own.get(stage, 0.0) + elapsed - children
            self.calls[stage] = self.calls.get(stage, 0) + 1
            if self._stack:
                self._stack[-1][1] += elapsed

    def _steps(self, stage: str, items: Iterator[Any]) -> Iterator[Any]:
        """A generator's items, each step timed as the stage (its work is done as it is iterated)."""
        done = object()
        while (item := self._run(stage, next, items, done)) is not done:
            self.calls[stage] -= 1  # (a step is not a call)
            yield item
        self.calls[stage] -= 1


def install(timers: Timers) -> None:
    for stage, owner, name in STAGES:
        if hasattr(owner, name):  # (a stage another version of the pipeline does not have is left out)
            setattr(owner, name, timers.wrap(stage, getattr(owner, name), name in GENERATORS))


def files_of(name: str | None, paths: list[str]) -> tuple[str, list[Path]]:
    if paths:
        return "given files", ingest_mod.expand(paths)
    folder = CORPORA[name]
    if folder is None:
        return name, ingest_mod.sample_paths()
    if not folder.is_dir():
        sys.exit(f"profile_ingest: no corpus at {folder}")
    return name, ingest_mod.expand([folder])


def run(label: str, files: list[Path], profile: bool, first: bool) -> None:
    timers = Timers()
    if first:
        timers.own["start-up (imports)"], timers.calls["start-up (imports)"] = IMPORT_SECONDS, 1
    install(timers)
    mb = sum(p.stat().st_size for p in files) / 1e6
    profiler = cProfile.Profile() if profile else None
    with tempfile.TemporaryDirectory() as tmp:
        db = store.SqliteCorpus(Path(tmp) / "profile.db")
        t0 = time.perf_counter()
        if profiler:
            profiler.enable()
        report = ingest_mod.ingest_paths(db, files)
        if profiler:
            profiler.disable()
        total = time.perf_counter() - t0 + (IMPORT_SECONDS if first else 0)
        db.close()
    print(
        f"\n{label}: {len(files)} files, {mb:.1f} MB, {len(report.errors)} errors, "
        f"{total:.2f} s = {mb / total:.2f} MB/s"
    )
    print(f"  {'stage':<30} {'seconds':>8} {'share':>6} {'calls':>7}")
    for stage, seconds in sorted(timers.own.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:<30} {seconds:8.3f} {seconds / total:6.1%} {timers.calls[stage]:7d}")
    print(f"  {'(timers and untimed)':<30} {total - sum(timers.own.values()):8.3f}")
    if profiler:
        print()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    for _stage, owner, name in STAGES:  # unwrap for the next corpus
        if hasattr(getattr(owner, name, None), "__wrapped__"):
            setattr(owner, name, getattr(owner, name).__wrapped__)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpora", nargs="*", default=[], help=f"any of {', '.join(CORPORA)} (default: all)")
    ap.add_argument("--paths", nargs="+", default=[], help="files or folders instead of a named corpus")
    ap.add_argument("--cprofile", action="store_true", help="also print the functions with most time of their own")
    a = ap.parse_args()
    if unknown := set(a.corpora) - set(CORPORA):
        ap.error(f"unknown corpus {', '.join(sorted(unknown))} (known: {', '.join(CORPORA)})")
    names = [None] if a.paths else (a.corpora or list(CORPORA))
    for n, name in enumerate(names):
        label, files = files_of(name, a.paths)
        run(label, files, a.cprofile, first=n == 0)


if __name__ == "__main__":
    main()
