"""Differential tests: format_tensor/format_size against real PyTorch 2.13 repr."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tutor.autograd.printing import format_size, format_tensor

DTYPE_NAMES = {
    np.dtype(np.float32): "float32",
    np.dtype(np.float64): "float64",
    np.dtype(np.int64): "int64",
    np.dtype(np.bool_): "bool",
}
# "plain": no grad; "leaf": requires_grad=True; "mul": (leaf * 1) has a real grad_fn;
# "long<n>": a custom autograd.Function whose grad_fn name is n+8 characters long.
SUFFIX_MODES = ["plain", "leaf", "mul", "long20", "long45"]


def _custom_function(torch, name_length: int):
    name = ("Wide" * name_length)[:name_length]
    return type(
        name,
        (torch.autograd.Function,),
        {
            "forward": staticmethod(lambda ctx, x: x.clone()),
            "backward": staticmethod(lambda ctx, grad: grad),
        },
    )


def _torch_tensor(torch, array: np.ndarray, mode: str):
    """The torch tensor holding `array`, with the autograd state `mode` names."""
    plain = torch.from_numpy(array.copy())
    if mode == "plain" or array.dtype.kind != "f":
        return plain
    leaf = plain.clone().requires_grad_(True)
    if mode == "leaf":
        return leaf
    if mode == "mul":
        return leaf * 1
    return _custom_function(torch, int(mode.removeprefix("long"))).apply(leaf)


def assert_matches_torch(torch, array: np.ndarray, mode: str = "plain") -> None:
    """format_tensor of `array` equals repr of the same tensor built in torch."""
    tensor = _torch_tensor(torch, array, mode)
    grad_fn = None if tensor.grad_fn is None else type(tensor.grad_fn).__name__
    ours = format_tensor(
        array,
        dtype=DTYPE_NAMES[array.dtype],
        grad_fn=grad_fn,
        requires_grad=tensor.requires_grad and grad_fn is None,
    )
    assert ours == repr(tensor)


def f32(values) -> np.ndarray:
    return np.array(values, dtype=np.float32)


def _ramp(n: int, scale: float = 1.0, dtype=np.float32) -> np.ndarray:
    return (np.arange(n, dtype=np.float64) * scale).astype(dtype)


CURATED: dict[str, np.ndarray] = {
    # the seed lesson and the reference notes
    "seed-x": f32([[1, 2], [3, 4]]),
    "seed-x1": f32([[3, 4], [5, 6]]),
    "seed-x2": f32([[-1, 0], [1, 2]]),
    "seed-x3": f32([[-3, 0], [5, 12]]),
    "seed-y": f32(14),
    "seed-grad": f32([[2, 4], [6, 8]]),
    "ref-mean": f32(1.5),
    "ref-sci": f32([1e-5, 1e5, 3]),
    "ref-negzero": f32([[1, -0.0, -10], [2.5, 3, 4]]),
    "ref-float64": np.array([2.0, 4.0]),
    "ref-int64": np.arange(4, dtype=np.int64),
    # fixed point, rounding and ties
    "tenth": f32([0.1, 0.2, 0.3]),
    "ties": f32([0.03125, 0.09375, 0.15625, 2.5e-4, 1.00005]),
    "tie-2.5e-05": f32([2.5e-05, 1.0]),
    "mixed-signs": f32([[-1.5, 2.25], [3.125, -4.0625]]),
    "thirds": f32([1 / 3, -2 / 3, 10 / 3]),
    # negative zero in each mode
    "negzero-int": f32([-0.0, 1.0, 2.0]),
    "negzero-only": f32([-0.0, 0.0]),
    "negzero-fixed": f32([-0.0, 1.5]),
    "negzero-sci": f32([-0.0, 1e-6, 1.0]),
    "negzero-0d": f32(-0.0),
    # scientific mode and its thresholds
    "ratio-1000": f32([1.0, 1000.0]),
    "ratio-over-1000": f32([1.0, 1000.5]),
    "max-1e8": f32([1e8, 2e8]),
    "max-over-1e8": f32([1.5e8, 1.0]),
    "min-1e-4": f32([1e-4, 2e-4]),
    "min-below-1e-4": f32([9e-5, 5e-5]),
    "sci-int": f32([1.0, 1e6]),
    "sci-neg": f32([[-1e-7, 3.0], [4e-3, -2e2]]),
    "huge": f32([3.0e38, -1.0, 1e-38]),
    "subnormal": f32([1e-45, 1e-40, 1.0]),
    "sci-0d": f32(1e-9),
    "big-int-0d": f32(123456789.0),
    # nan and inf
    "nan-inf-int": f32([np.nan, 1.0, np.inf, -np.inf]),
    "nan-inf-fixed": f32([np.nan, 1.5, -np.inf]),
    "nan-inf-sci": f32([np.nan, 1e-9, np.inf]),
    "nan-only": f32([np.nan, np.nan]),
    "inf-0d": f32(-np.inf),
    "zeros": np.zeros((2, 3), dtype=np.float32),
    # other dtypes
    "int64-mixed": np.array([[-5, 10], [300, -4000]], dtype=np.int64),
    "int64-extreme": np.array([2**63 - 1, -(2**63)], dtype=np.int64),
    "int64-0d": np.array(7, dtype=np.int64),
    "bool": np.array([[True, False], [False, True]]),
    "bool-0d": np.array(False),
    "float64-fixed": np.array([[0.1, -2.5], [1e3, 7.0]]),
    "float64-sci": np.array([1e-10, 1.0]),
    "float64-0d": np.array(2.5),
    "float64-tie": np.array([0.00015, 0.00025, 1.00005]),
    # empty tensors
    "empty": np.zeros((0,), dtype=np.float32),
    "empty-2d": np.zeros((0, 3), dtype=np.float32),
    "empty-3d": np.zeros((2, 0, 1), dtype=np.float32),
    "empty-int64": np.zeros((0,), dtype=np.int64),
    "empty-int64-2d": np.zeros((3, 0), dtype=np.int64),
    "empty-bool": np.zeros((0,), dtype=np.bool_),
    "empty-float64": np.zeros((0, 2), dtype=np.float64),
    # nesting
    "3d": _ramp(24, 0.5).reshape(2, 3, 4),
    "4d": _ramp(48, -0.25).reshape(2, 2, 3, 4),
    "size-one-dims": _ramp(3, 1.5).reshape(1, 3, 1),
    "4d-ones": np.ones((1, 1, 1, 1), dtype=np.float32),
    # long rows that wrap
    "long-row": _ramp(100, 0.37),
    "long-row-int": np.arange(60, dtype=np.int64) * 997,
    "long-row-2d": _ramp(90, 1.7).reshape(3, 30),
    "long-row-3d": _ramp(100, 1e-6).reshape(2, 2, 25),
    "long-bool": np.arange(40) % 3 == 0,
    # summarization beyond 1000 elements
    "sum-1d": _ramp(1001, 0.5),
    "sum-2d": _ramp(1600, 0.1).reshape(40, 40),
    "sum-narrow-rows": _ramp(1200).reshape(2, 600),
    "sum-3d": _ramp(1331, -1.0).reshape(11, 11, 11),
    "sum-4d": _ramp(2401, 0.01).reshape(7, 7, 7, 7),
    "sum-int64": np.arange(5000, dtype=np.int64).reshape(50, 100),
    "sum-bool": (np.arange(2000) % 2 == 0).reshape(20, 100),
    "sum-float64": _ramp(1500, 1.25, np.float64),
    "sum-hidden-outlier": np.concatenate([f32([1.5] * 600), f32([1e9]), f32([2.5] * 600)]),
}

WIDE_ROW = _ramp(12, 1.125).reshape(1, 12)


@pytest.mark.parametrize("name", sorted(CURATED))
def test_curated_plain(torch, name):
    assert_matches_torch(torch, CURATED[name])


FLOAT_CURATED = sorted(name for name, a in CURATED.items() if a.dtype.kind == "f")


@pytest.mark.parametrize("mode", SUFFIX_MODES[1:])
@pytest.mark.parametrize("name", FLOAT_CURATED)
def test_curated_with_suffixes(torch, name, mode):
    assert_matches_torch(torch, CURATED[name], mode)


@pytest.mark.parametrize("name_length", [1, 10, 30, 40, 50, 60, 64, 66, 70, 75])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_suffix_wraps_at_linewidth(torch, name_length, dtype):
    for array in (WIDE_ROW.astype(dtype), _ramp(8, 1.125, dtype), np.array(3.0, dtype=dtype)):
        assert_matches_torch(torch, array, f"long{name_length}")


def test_seed_program(torch):
    x = torch.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
    x1 = x + 2
    x2 = x - 2
    x3 = x1 * x2
    y = x3.sum()
    y.backward()
    for t in (x1, x2, x3, y):
        name = type(t.grad_fn).__name__
        assert format_tensor(t.detach().numpy(), dtype="float32", grad_fn=name) == repr(t)
    assert format_tensor(x.detach().numpy(), dtype="float32", requires_grad=True) == repr(x)
    assert format_tensor(x.grad.numpy(), dtype="float32") == repr(x.grad)


def test_reference_float64_with_grad_fn(torch):
    leaf = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    doubled = leaf * 2
    name = type(doubled.grad_fn).__name__
    ours = format_tensor(doubled.detach().numpy(), dtype="float64", grad_fn=name)
    assert ours == repr(doubled)


def test_values_are_cast_to_the_named_dtype(torch):
    values = np.array([0.1, 1 / 3, 2.5e-05])
    assert format_tensor(values, dtype="float32") == repr(torch.tensor(values.tolist()))
    assert format_tensor([1, 2], dtype="float64") == repr(torch.tensor([1, 2.0]).double())


@pytest.mark.parametrize("shape", [(), (0,), (3,), (2, 2), (1, 0, 4), (2, 3, 4, 5)])
def test_format_size(torch, shape):
    assert format_size(shape) == repr(torch.Size(shape))
    assert format_size(np.zeros(shape).shape) == repr(torch.zeros(shape).shape)


def test_unknown_dtype_is_refused():
    with pytest.raises(ValueError, match="unsupported dtype 'complex64'"):
        format_tensor(np.zeros(2), dtype="complex64")


# ---- generated cases -------------------------------------------------------------------------

_F32_MAX = float(np.finfo(np.float32).max)
float32_values = st.one_of(
    st.integers(-1000, 1000).map(float),
    st.integers(-(2**24), 2**24).map(float),
    st.integers(-2000, 2000).map(lambda k: k / 32),
    st.integers(-100_000, 100_000).map(lambda k: k * 2.0**-14),
    st.floats(-10, 10, width=32),
    st.floats(width=32, allow_nan=True, allow_infinity=True),
    st.floats(-1e-3, 1e-3),
    st.sampled_from([0.0, -0.0, 1e-45, -1e-38, 1e-4, 1e8, _F32_MAX, 2.5e-05, 0.1]),
).map(lambda v: float(np.float32(v)))
shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5)
modes = st.sampled_from(SUFFIX_MODES)
GENERATED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@GENERATED
@given(array=hnp.arrays(np.float32, shapes, elements=float32_values), mode=modes)
def test_generated_float32(torch, array, mode):
    assert_matches_torch(torch, array, mode)


@GENERATED
@given(array=hnp.arrays(np.float32, shapes, elements=st.integers(-99, 99).map(float)))
def test_generated_whole_floats(torch, array):
    assert_matches_torch(torch, array, "mul")


@GENERATED
@given(
    array=hnp.arrays(
        np.float64, shapes, elements=st.one_of(st.floats(), st.integers(-50, 50).map(float))
    ),
    mode=modes,
)
def test_generated_float64(torch, array, mode):
    assert_matches_torch(torch, array, mode)


@GENERATED
@given(
    array=hnp.arrays(
        np.int64,
        shapes,
        elements=st.one_of(st.integers(-20, 20), st.integers(-(2**63), 2**63 - 1)),
    )
)
def test_generated_int64(torch, array):
    assert_matches_torch(torch, array)


@GENERATED
@given(array=hnp.arrays(np.bool_, shapes))
def test_generated_bool(torch, array):
    assert_matches_torch(torch, array)


@settings(max_examples=40, deadline=None)
@given(
    shape=st.sampled_from([(1001,), (7, 150), (2, 501), (11, 10, 10), (3, 7, 7, 7), (1, 1, 1003)]),
    seed=st.integers(0, 2**32 - 1),
    kind=st.sampled_from(["normal", "whole", "wide", "int64", "bool"]),
    mode=modes,
)
def test_generated_summarized(torch, shape, seed, kind, mode):
    rng = np.random.default_rng(seed)
    if kind == "int64":
        array = rng.integers(-(10**6), 10**6, size=shape)
    elif kind == "bool":
        array = rng.random(shape) < 0.5
    elif kind == "whole":
        array = rng.integers(-500, 500, size=shape).astype(np.float32)
    elif kind == "wide":
        array = (rng.standard_normal(shape) * 10.0 ** rng.integers(-9, 9, size=shape)).astype(
            np.float32
        )
    else:
        array = rng.standard_normal(shape).astype(np.float32)
    assert_matches_torch(torch, array, mode)
