"""Differential fuzzing: generated PyTorch programs print under the tutor what real PyTorch prints.

Real torch is the oracle for every program; nothing here states an expected output. The sample
is fixed (seed and count), so a failure reproduces with `python -m tests.fuzz --seed 11 …`.
"""

from __future__ import annotations

import random

import pytest
from fuzz.builder import Builder
from fuzz.compare import Run, Verdict, classify, compare, crash_origin, within_noise
from fuzz.families_autograd import retain_grad, upstream
from fuzz.generate import FAMILIES, NOT_YET_SUPPORTED, sample
from fuzz.minimise import minimise
from fuzz.ops import DIFFERENTIABLE
from fuzz.report import describe, evaluate, failures_report, rate, table

CI_SEED = 11
PER_FAMILY = 80
CI_COUNT = PER_FAMILY * len(FAMILIES)
EXACT = 0.97
EXACT_OR_NOISE = 0.995
SHOWN_PER_FAMILY = 1


@pytest.fixture(scope="module")
def tally(torch):
    return evaluate(sample(CI_COUNT, CI_SEED))


def test_the_sample_covers_every_family(tally):
    assert CI_COUNT >= 1000
    assert {f: sum(c.values()) for f, c in tally.by_family.items()} == dict.fromkeys(
        FAMILIES, PER_FAMILY
    )


def test_generated_programs_mostly_run_and_the_error_family_mostly_raises(tally):
    """The generator writes what it means to: valid programs, and failures where it aims them."""
    raised: dict[str, int] = {}
    for result in tally.results:
        if result.verdict.torch.error is not None:
            raised[result.case.family] = raised.get(result.case.family, 0) + 1
    assert raised.get("errors", 0) >= 0.9 * PER_FAMILY
    on_purpose = ("errors", "inplace", "views", "retain_graph")
    unintended = {f: n for f, n in raised.items() if f not in on_purpose}
    assert sum(unintended.values()) <= 0.02 * CI_COUNT, unintended


def test_supported_families_print_what_pytorch_prints(tally):
    counts = tally.supported()
    exact, loose = rate(counts, "exact"), rate(counts, "exact", "noise")
    if exact >= EXACT and loose >= EXACT_OR_NOISE:
        return
    supported = [f for f in FAMILIES if f not in NOT_YET_SUPPORTED]
    pytest.fail(
        f"{100 * exact:.1f}% exact (want {100 * EXACT}%), {100 * loose:.1f}% exact or noise "
        f"(want {100 * EXACT_OR_NOISE}%) over the supported families\n\n{table(tally)}\n\n"
        f"minimised failures:\n{failures_report(tally, SHOWN_PER_FAMILY, supported)}",
        pytrace=False,
    )


def _program(generator, seed: int, *args) -> str:  # noqa: ANN001
    builder = Builder(random.Random(seed))
    generator(builder, *args)
    return builder.source()


def _assert_faithful(source: str) -> None:
    verdict = compare(source)
    if verdict.kind not in ("exact", "noise"):
        pytest.fail(describe("program", minimise(source, verdict)), pytrace=False)


@pytest.mark.parametrize("op", sorted(DIFFERENTIABLE))
def test_every_op_passes_on_an_upstream_gradient_other_than_ones(op, torch):
    """`y.backward(g)` with g of all-different values: a node that drops, reorders or scales the
    incoming gradient wrongly gives other leaf gradients than PyTorch's."""
    for seed in range(4):
        _assert_faithful(_program(upstream, seed, op))


@pytest.mark.parametrize("seed", range(12))
def test_grad_accumulates_on_retained_non_leaves_over_several_backward_calls(seed, torch):
    _assert_faithful(_program(retain_grad, seed))


def test_noise_is_only_the_last_printed_digit():
    assert within_noise("tensor([0.1234, 2.0000])\n", "tensor([0.1235, 2.0000])\n")
    assert within_noise("tensor([-0.0000,  1.0000e-05])", "tensor([0.0000, 1.0001e-05])")
    assert within_noise("tensor(9.9999e-01)", "tensor(1.0000e+00)")
    assert not within_noise("tensor([0.1234])", "tensor([0.1236])")
    assert not within_noise("tensor([1., 2.])", "tensor([1., 3.])")
    assert within_noise("tensor([ 0., -2.])", "tensor([-0., -2.])")
    assert not within_noise("tensor([0.1000])", "tensor([0.1])")
    assert not within_noise("tensor([0.1234])", "tensor([1.2340e-01])")
    assert not within_noise("0.30000001192092896", "0.30000004172325134")
    assert not within_noise("tensor([0.1234])\n", "tensor([0.1234])\n\n")
    assert not within_noise("SumBackward0", "SumBackward1")


def test_a_refusal_a_crash_and_a_mismatch_are_told_apart():
    printed = Run("tensor(2.)\n", None)
    assert classify(printed, Run("tensor(2.)\n", None)) == "exact"
    assert classify(printed, Run("", None, refusal="tutor: fuzz.py:2: no")) == "refused"
    crashed = Run("", "TypeError: boom", crash="TypeError at tensor.py:1: x[0] = 1")
    assert classify(printed, crashed) == "crash"
    assert classify(printed, Run("", "TypeError: boom")) == "mismatch"
    assert classify(Run("", "TypeError: boom"), Run("", "TypeError: boom", crash="…")) == "exact"


def test_a_crash_is_an_error_the_tutor_did_not_raise_on_purpose():
    import numpy as np

    from tutor.program.checker import parse_program

    with pytest.raises(ValueError) as from_numpy:
        np.ones(3).reshape(2, 2)
    assert crash_origin(from_numpy.value) is not None
    with pytest.raises(Exception) as refused:
        parse_program("import os\n")
    assert crash_origin(refused.value) is None


def test_the_minimiser_keeps_the_failure_and_drops_the_rest():
    def judge(text: str) -> Verdict:
        kind = "mismatch" if "x.bad" in text and "import torch" in text else "exact"
        return Verdict(kind, Run("", None), Run("", None))

    source = (
        "import torch\nx = 1\nfor i in range(2):\n    y = 2\n    print(y, x.bad, i)\nprint(x)\n"
    )
    found = minimise(source, judge(source), judge=judge)
    assert found.source == "import torch\nprint(x.bad)\n"
    assert found.verdict.kind == "mismatch"
