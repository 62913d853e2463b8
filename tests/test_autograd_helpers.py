"""Provides the differential-test helpers: run one program on real torch and on the engine."""

from __future__ import annotations

import numpy as np

import tutor.autograd as ours


def graph(fn) -> object:
    """The whole backward graph below `fn` as nested (name, children) tuples; None stays None."""
    if fn is None:
        return None
    return (fn.name(), tuple(graph(child) for child, _ in fn.next_functions))


def as_numpy(t) -> np.ndarray:
    return t.detach().numpy() if hasattr(t, "detach") else np.asarray(t)


def assert_same_tensor(mine, theirs, rtol: float = 1e-5, atol: float = 1e-6) -> None:
    """Same values (within tolerance), shape, dtype and requires_grad."""
    assert str(mine.dtype) == str(theirs.dtype)
    assert tuple(mine.shape) == tuple(theirs.shape)
    assert mine.requires_grad == theirs.requires_grad
    np.testing.assert_allclose(as_numpy(mine), as_numpy(theirs), rtol=rtol, atol=atol)


def compare_op(program, torch, rtol: float = 1e-5, atol: float = 1e-6) -> None:
    """Runs `program(ns) -> (output, leaves)` on torch and on the engine and compares them all:
    output values, dtype, shape, graph names; then backward with a gradient of ones, and grads."""
    out_t, leaves_t = program(torch)
    out_o, leaves_o = program(ours)
    assert_same_tensor(out_o, out_t, rtol, atol)
    assert graph(out_o.grad_fn) == graph(out_t.grad_fn)
    if not out_t.requires_grad:
        return
    out_t.backward(torch.ones_like(out_t))
    out_o.backward(ours.ones_like(out_o))
    for mine, theirs in zip(leaves_o, leaves_t, strict=True):
        if theirs.grad is None:
            assert mine.grad is None
        else:
            assert_same_tensor(mine.grad, theirs.grad, rtol, atol)


def compare_error(program, torch) -> None:
    """`program(ns)` raises the same exception type with the same message on both."""
    expected = _raised(program, torch)
    assert expected is not None, "torch did not raise"
    got = _raised(program, ours)
    assert got is not None, f"engine did not raise; torch raised {expected!r}"
    assert (type(got).__name__, str(got)) == (type(expected).__name__, str(expected))


def _raised(program, ns) -> BaseException | None:
    try:
        program(ns)
    except Exception as exc:  # noqa: BLE001 - the point is to capture it
        return exc
    return None
