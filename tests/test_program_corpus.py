"""The program corpus: each program's output under the interpreter equals real PyTorch's."""

from __future__ import annotations

import pytest
from torch_runner import corpus, mask, run_with_torch

from tutor.program import run_program

PROGRAMS = corpus()
IDS = [p.stem for p in PROGRAMS]

# program -> the engine gap that makes it differ from real PyTorch (strict: flips when fixed)
ENGINE_GAPS: dict[str, str] = {}


@pytest.fixture(scope="module")
def references(torch):
    return {p.stem: run_with_torch(p.read_text(encoding="utf-8"), p.name) for p in PROGRAMS}


def _compare(outcome, reference):
    assert outcome.refusal is None, outcome.refusal
    assert mask(outcome.stdout) == mask(reference.stdout)
    assert mask(outcome.error) == mask(reference.error)
    assert outcome.status == reference.status


def test_the_corpus_is_large_enough():
    assert len(PROGRAMS) >= 40


@pytest.mark.parametrize("path", PROGRAMS, ids=IDS)
def test_interpreter_on_real_torch_matches_python(path, torch, references):
    """The interpreter itself is faithful: bound to real torch it prints what Python prints."""
    outcome = run_program(path.read_text(encoding="utf-8"), path.name, torch_module=torch)
    _compare(outcome, references[path.stem])


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=ENGINE_GAPS[p.stem]))
        if p.stem in ENGINE_GAPS
        else p
        for p in PROGRAMS
    ],
    ids=IDS,
)
def test_engine_matches_real_torch(path, references):
    """`tutor exec`'s engine prints byte for byte what PyTorch 2.13 prints."""
    outcome = run_program(path.read_text(encoding="utf-8"), path.name)
    _compare(outcome, references[path.stem])
