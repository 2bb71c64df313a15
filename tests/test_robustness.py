"""The robustness harness (scripts/robustness.py): a sample of the corpora and their degraded variants parses with
no exception, every line in a document or an issue region, article numbers consecutive or flagged.  `make
robustness` runs all of it; the checks themselves are shown to catch what they are for."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from gazette_text import PROMULGATION, gazette, source
from gongbao.model import IssueRegion
from gongbao.pipeline import parse_source

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


robustness = _load("robustness")


@pytest.mark.skipif(not (robustness.SHARED / "corpus").is_dir(), reason="the shared corpora are not here")
def test_a_sample_of_the_corpora_and_their_variants_parses_whole() -> None:
    selected = robustness.sample(robustness.cases(robustness.SHARED), 40)
    assert {c.corpus for c in selected} >= {"laws-dev", "laws-wide", "issues"}
    outcomes = robustness.run(selected, jobs=2)
    print(robustness.summarise(outcomes))
    assert len(outcomes) >= 250
    assert {o.variant for o in outcomes} >= {"original", "crlf", "no-blank-lines", "cut", "wrap-14"}
    failures = [(o.corpus, o.variant, o.file, o.problems) for o in outcomes if o.problems]
    assert failures == []


def test_coverage_check_finds_a_line_in_no_document_and_a_line_in_two() -> None:
    issue = parse_source(source(gazette(PROMULGATION).split("\n")))
    assert robustness.coverage_problems(issue) == []
    issue.regions.append(IssueRegion("toc", 1, 1))  # line 1 is also in the first document
    issue.documents[-1].source.end_line -= 2  # the last lines of the law now belong to nothing
    problems = robustness.coverage_problems(issue)
    assert any("no document" in p for p in problems) and any("more than one" in p for p in problems)


def test_numbering_check_wants_a_warning_for_every_gap() -> None:
    issue = parse_source(
        source(gazette(PROMULGATION.replace("第三条　", "第五条　").replace("第四条　", "第六条　")).split("\n"))
    )
    assert robustness.numbering_problems(issue) == []  # the parser flagged the gap
    for doc in issue.documents:
        doc.warnings.clear()
    assert len(robustness.numbering_problems(issue)) == 1


def test_every_variant_differs_from_the_original_and_keeps_text() -> None:
    degrade = _load("degrade")
    text = gazette(PROMULGATION.replace("山西省民营经济发展促进条例\n", "－２－\n山西省民营经济发展促进条例\n", 1))
    plain = PROMULGATION.strip()
    made = degrade.variants(text, plain)
    assert set(made) >= {"no-blank-lines", "crlf", "indents", "page-numbers", "cut", "wrap-14", "wrap-40"}
    for name, variant in made.items():
        assert variant != text, name
        assert "山西省" in variant, name
