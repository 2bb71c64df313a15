"""The acceptance scoreboard: the shared scorer on the five samples and on the dev law corpus.

This is the only module that uses the shared evaluation data, and only through ../shared/eval/score.py.
It is skipped when ../shared is not there (e.g. on a fresh clone outside the workspace).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongbao.cli.main import app

SHARED = Path(__file__).resolve().parents[2] / "shared"
SCORE = SHARED / "eval" / "score.py"
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
LAWS = SHARED / "corpus" / "laws-dev"

pytestmark = pytest.mark.skipif(not SCORE.exists(), reason=f"{SHARED} (shared evaluation data) not found")


def _ingest_and_export(files: list[Path], folder: Path) -> Path:
    runner = CliRunner()
    db, out = folder / "gongbao.db", folder / "export.jsonl"
    result = runner.invoke(app, ["ingest", *map(str, files), "--db", str(db), "--strict"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["export", "--format", "jsonl", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _score(*args: str) -> dict:
    proc = subprocess.run([sys.executable, str(SCORE), *args], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def seeds_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert SEEDS, f"no sample gazettes in {SHARED / 'seeds'}"
    return _ingest_and_export(SEEDS, tmp_path_factory.mktemp("seeds"))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_sample_documents_score(seeds_export: Path, seed: Path) -> None:
    gold = SHARED / "eval" / "gold" / f"seed_{seed.name[:3]}_inventory.json"
    res = _score("docs", "--gold", str(gold), "--export", str(seeds_export), "--file", seed.name)
    detail = {k: res.get(k) for k in ("missed", "spurious")}
    assert res["recall"] >= 0.98, (res["recall"], detail)
    assert res["precision"] >= 0.98, (res["precision"], detail)
    for key, floor in (("doc_number", 1.0), ("article_count", 1.0), ("dates", 0.95), ("end_line", 0.95)):
        if res[key] is not None:
            assert res[key] >= floor, (key, res[key])


def test_dev_law_corpus_articles_score(tmp_path: Path) -> None:
    files = sorted((LAWS / "gazette").glob("*.txt"))
    if not files:
        pytest.skip(f"no dev law corpus in {LAWS}")
    export = _ingest_and_export(files, tmp_path)
    res = _score("laws", "--gt-dir", str(LAWS / "gt"), "--export", str(export))
    assert res["f1"] >= 0.995, res
    assert res["chapter_recall"] >= 0.99, res
