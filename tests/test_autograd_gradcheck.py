"""Gradients against central differences in float64, for every differentiable op."""

from __future__ import annotations

import numpy as np
import pytest

import tutor.autograd as T

RNG = np.random.default_rng(7)
X = RNG.uniform(0.5, 2.0, size=(2, 3))
Y = RNG.uniform(0.5, 2.0, size=(2, 3))
V = RNG.uniform(0.5, 2.0, size=(3,))
W = RNG.uniform(-1.0, 1.0, size=(3, 4))


def numeric_grads(f, arrays, eps=1e-6):
    """∂ sum(f(arrays) · weights)/∂ each array, by central differences."""
    grads = []
    for k, base in enumerate(arrays):
        g = np.zeros_like(base)
        for i in np.ndindex(base.shape):
            plus = [a.copy() for a in arrays]
            minus = [a.copy() for a in arrays]
            plus[k][i] += eps
            minus[k][i] -= eps
            g[i] = (_value(f, plus) - _value(f, minus)) / (2 * eps)
        grads.append(g)
    return grads


def _value(f, arrays):
    with T.no_grad():
        out = f(*[T.tensor(a, dtype=T.float64) for a in arrays])
    return float((out._data * _weights(out._data.shape)).sum())


def _weights(shape):
    return np.linspace(0.3, 1.7, num=max(int(np.prod(shape)), 1)).reshape(shape)


def analytic_grads(f, arrays):
    leaves = [T.tensor(a, dtype=T.float64, requires_grad=True) for a in arrays]
    out = f(*leaves)
    out.backward(T.tensor(_weights(out._data.shape), dtype=T.float64))
    return [leaf.grad._data for leaf in leaves]


OPS = {
    "add": (lambda a, b: a + b, [X, Y]),
    "add broadcast": (lambda a, b: a + b, [X, V]),
    "sub": (lambda a, b: a - b, [X, Y]),
    "rsub": (lambda a: 3 - a, [X]),
    "mul": (lambda a, b: a * b, [X, V]),
    "div": (lambda a, b: a / b, [X, Y]),
    "rdiv": (lambda a: 2 / a, [X]),
    "neg": (lambda a: -a, [X]),
    "pow scalar": (lambda a: a**3, [X]),
    "pow tensor": (lambda a, b: a**b, [X, Y]),
    "rpow": (lambda a: 1.5**a, [X]),
    "exp": (lambda a: a.exp(), [X]),
    "log": (lambda a: a.log(), [X]),
    "sqrt": (lambda a: a.sqrt(), [X]),
    "abs": (lambda a: (a - 1.2).abs(), [X]),
    "sin": (lambda a: a.sin(), [X]),
    "cos": (lambda a: a.cos(), [X]),
    "relu": (lambda a: (a - 1.2).relu(), [X]),
    "sigmoid": (lambda a: a.sigmoid(), [X]),
    "tanh": (lambda a: a.tanh(), [X]),
    "sum": (lambda a: a.sum(), [X]),
    "sum dim": (lambda a: a.sum(1), [X]),
    "mean": (lambda a: a.mean(), [X]),
    "mean dim": (lambda a: a.mean(0, keepdim=True), [X]),
    "max": (lambda a: a.max(), [X]),
    "max dim": (lambda a: a.max(1).values, [X]),
    "softmax": (lambda a: a.softmax(1), [X]),
    "log_softmax": (lambda a: a.log_softmax(0), [X]),
    "mm": (lambda a, w: a @ w, [X, W]),
    "mv": (lambda a, v: a @ v, [X, V]),
    "dot": (lambda u, v: u @ v, [V, V * 2]),
    "mse_loss": (lambda a, b: T.nn.functional.mse_loss(a, b), [X, Y]),
    "linear": (lambda a, w: T.nn.functional.linear(a, w.t(), w[0]), [X, W]),
    "transpose": (lambda a: a.t() * T.tensor(V.reshape(3, 1)), [X]),
    "reshape": (lambda a: a.reshape(3, 2) ** 2, [X]),
    "index": (lambda a: a[[0, 0, 1]] ** 2, [X]),
    "select": (lambda a: a[1, 2] * a[0], [X]),
    "slice": (lambda a: a[:, 1:] ** 2, [X]),
    "cat": (lambda a, b: T.cat([a, b**2], 1), [X, Y]),
    "stack": (lambda a, b: T.stack([a, a * b], 0), [X, Y]),
    "expand": (lambda v: v.expand(2, 3) * T.tensor(X), [V]),
    "seed": (lambda a: ((a + 2) * (a - 2)).sum(), [X]),
}


@pytest.mark.parametrize("name", list(OPS))
def test_gradient_matches_central_difference(name):
    f, arrays = OPS[name]
    for got, want in zip(analytic_grads(f, arrays), numeric_grads(f, arrays), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_seed_program_gradient_is_2x():
    x = T.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
    y = ((x + 2) * (x - 2)).sum()
    y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), 2 * x.detach().numpy())
    assert x.grad.dtype == T.float32
