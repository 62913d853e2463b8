"""Numbers and tensors, by property: a wrong value is never accepted whatever its typed form, a
right one never refused for being typed more precisely, zero is zero however it is written."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tutor.checking import Expected, grade
from tutor.checking.answers import parse_tensor

FULL_WIDTH = str.maketrans("0123456789.-+e,[]", "０１２３４５６７８９．－＋ｅ，［］")
MAGNITUDES = st.sampled_from([1e-6, 1e-3, 0.1, 1.0, 7.0, 50.0, 1e3, 1e6])


@st.composite
def expected_arrays(draw):
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
    scale = draw(MAGNITUDES)
    unit = hnp.arrays(np.float64, shape, elements=st.floats(-1, 1, allow_subnormal=False))
    return np.asarray(np.asarray(draw(unit)) * scale, dtype=np.float32)


def typed_forms(values: np.ndarray) -> list[str]:
    """One tensor typed many ways: scientific with and without padding, full-width, a unicode
    minus, `×10^`, rows without brackets."""

    def each(fmt) -> str:
        if values.ndim == 0:
            return fmt(float(values))
        return str(np.vectorize(fmt, otypes=[object])(values).tolist()).replace("'", "")

    forms = [
        each(lambda v: f"{v:.6e}"),
        each(lambda v: f"{v * 1e-9:.20f}e9" if v else "0.0000e9"),
        each(lambda v: f"{v:.8g}"),
        each(lambda v: repr(v)),
        each(lambda v: f"{v:.6e}").replace("-", "−"),
        each(lambda v: f"{v:.6e}").translate(FULL_WIDTH),
        each(lambda v: f"{v:.6e}".replace("e", " × 10^")),
    ]
    return forms


def verdict(expected: np.ndarray, text: str):
    kind = "number" if expected.ndim == 0 else "tensor"
    return grade(None, Expected(kind, np.asarray(expected)), text)


def loosest_right(expected: np.ndarray) -> np.ndarray:
    """A bound no accepted value may exceed: rounding to 3 significant digits (0.5%) or one
    unit of the fourth decimal, whichever is larger."""
    return np.maximum(0.005 * np.abs(np.asarray(expected, dtype=np.float64)), 1e-4)


@settings(max_examples=150)
@given(expected_arrays(), st.data())
def test_no_wrong_value_is_accepted_in_any_typed_form(expected, data):
    assume(expected.size > 0)
    wrong = np.array(expected, dtype=np.float64)
    index = data.draw(st.sampled_from(list(np.ndindex(expected.shape)) or [()]))
    factor = data.draw(st.sampled_from([-1.0, 0.0, 0.5, 2.0, 1.01, 0.99, 1e9, 1e-9]))
    bump = data.draw(st.sampled_from([1.0, 1e-2, 5e3]))
    wrong[index] = wrong[index] * factor + (bump if factor in (0.0, 1e9, 1e-9) else 0.0)
    for text in typed_forms(wrong):
        typed = parse_tensor(text).values.reshape(expected.shape)
        if np.all(np.abs(typed - expected) <= loosest_right(expected)):
            continue  # the typed form rounded the wrong value back to the right one
        assert not verdict(expected, text).correct, text


@settings(max_examples=150)
@given(expected_arrays())
def test_a_right_value_is_right_in_every_typed_form(expected):
    for text in typed_forms(np.asarray(expected, dtype=np.float64)):
        assert verdict(expected, text).correct, text


@pytest.mark.parametrize(
    "zero",
    ["0", "0.", "-0.0", "0.0000e9", "-0.0000e9", "0.0000e+99", "[0.0000e9]", "０", "−0", "0/5"],
)
@pytest.mark.parametrize("expected", [1234.0, 5e-5, 1e-4, 0.3, -2.0])
def test_zero_is_zero_however_it_is_written(zero, expected):
    assert not verdict(np.float32(expected), zero).correct
    assert verdict(np.float32(0.0), zero).correct


@pytest.mark.parametrize(
    ("expected", "typed", "right"),
    [
        (0.81682, "0.817", True),
        (0.81682, "8.168e-1", True),
        (0.81682, "0.8168", True),
        (0.81682, "0.81682", True),
        (0.81682, "0.816820", True),
        (0.81682, "0.816", False),  # 3 digits, but not the rounding
        (0.81682, "0.82", False),  # rounded to 2 digits: too far
        (0.81682, "0.8", False),
        (11.3127, "11.31", True),
        (11.3127, "11.3", True),
        (11.3127, "11", False),
        (11.3127, "11.32", False),
        (0.1830497, "0.18304", True),  # within the printed unit: more digits never hurt
        (0.27067056, "0.2706", True),  # as the hint multiplies printed numbers
        (0.27067056, "0.2704", False),
        (14.778111, "14.7782", True),
        (3.0590e-07, "3.0590e-07", True),
        (3.0590e-07, "3.06e-7", True),
        (3.0590e-07, "3.1e-7", False),
        (3.0590e-07, "0", False),
        (2.0, "2", True),
        (2.0, "2.0001", False),  # a whole number prints exactly: no printed unit
    ],
)
def test_rounding_and_the_printed_unit(expected, typed, right):
    assert verdict(np.float32(expected), typed).correct is right


def test_whole_numbers_are_exact():
    assert not verdict(np.array([2.0, 4.0], dtype=np.float32), "[2.001, 4]").correct
    assert verdict(np.array([2.0, 4.0], dtype=np.float32), "[2.000001, 4]").correct


@pytest.mark.parametrize("typed", ["true", "false", "True", "[true]"])
def test_true_and_false_are_not_numbers(typed):
    result = verdict(np.float32(1.0), typed)
    assert result.outcome == "unreadable" and "True" in result.feedback.en


def test_true_and_false_are_right_for_a_boolean_tensor():
    assert verdict(np.array([True, False]), "tensor([ True, False])").correct
    assert not verdict(np.array([True, False]), "[False, False]").correct


@pytest.mark.parametrize(
    "typed", ["－０．５", "−0.5", "–0.5", "-0.5", "-5e-1", "-5 × 10^-1", "-5×10⁻¹", "-5.0000e-01"]
)
def test_korean_ime_and_typographic_forms(typed):
    assert verdict(np.float32(-0.5), typed).correct
