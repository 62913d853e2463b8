"""Differential tests: every op run through real PyTorch 2.13 and the engine, values to grads."""

from __future__ import annotations

import pytest
from test_autograd_helpers import compare_op

A = [[1.0, -2.0, 3.0], [0.5, 4.0, -1.5]]
B = [2.0, -1.0, 0.5]
P = [[0.5, 1.5, 2.0], [3.0, 0.25, 1.0]]  # positive, for log/sqrt/pow
M = [[1.0, 2.0], [3.0, 4.0], [-1.0, 0.5]]


def leaf(T, data, dtype=None):
    return T.tensor(data, dtype=dtype, requires_grad=True)


def unary(method):
    def program(T):
        a = leaf(T, P if method in ("log", "sqrt") else A)
        return getattr(a, method)(), [a]

    return program


def binary(op, right=B):
    def program(T):
        a, b = leaf(T, A), leaf(T, right)
        return op(a, b), [a, b]

    return program


def scalar(op):
    def program(T):
        a = leaf(T, P)
        return op(a), [a]

    return program


def single(op, data=A):
    def program(T):
        a = leaf(T, data)
        return op(T, a), [a]

    return program


CASES = {
    "add": binary(lambda a, b: a + b),
    "sub": binary(lambda a, b: a - b),
    "mul": binary(lambda a, b: a * b),
    "div": binary(lambda a, b: a / b),
    "pow tensor": binary(lambda a, b: a.abs() ** b),
    "add same shape": binary(lambda a, b: a + b, A),
    "mul self": scalar(lambda a: a * a),
    "add scalar": scalar(lambda a: a + 2),
    "radd scalar": scalar(lambda a: 2 + a),
    "sub scalar": scalar(lambda a: a - 2),
    "rsub scalar": scalar(lambda a: 2 - a),
    "mul scalar": scalar(lambda a: a * 2.5),
    "rmul scalar": scalar(lambda a: 3 * a),
    "div scalar": scalar(lambda a: a / 4),
    "rdiv scalar": scalar(lambda a: 2 / a),
    "pow 2": scalar(lambda a: a**2),
    "pow method": scalar(lambda a: a.pow(3)),
    "pow 0": scalar(lambda a: a**0),
    "pow half": scalar(lambda a: a**0.5),
    "rpow": scalar(lambda a: 2**a),
    "neg": scalar(lambda a: -a),
    "seed": scalar(lambda a: ((a + 2) * (a - 2)).sum()),
    "exp": unary("exp"),
    "log": unary("log"),
    "sqrt": unary("sqrt"),
    "abs": unary("abs"),
    "sin": unary("sin"),
    "cos": unary("cos"),
    "relu": unary("relu"),
    "sigmoid": unary("sigmoid"),
    "tanh": unary("tanh"),
    "clone": unary("clone"),
    "torch.exp": single(lambda T, a: T.exp(a)),
    "torch.relu": single(lambda T, a: T.relu(a)),
    "F.relu": single(lambda T, a: T.nn.functional.relu(a)),
    "F.sigmoid": single(lambda T, a: T.sigmoid(a)),
    "sum": single(lambda T, a: a.sum()),
    "sum 0": single(lambda T, a: a.sum(0)),
    "sum 1 keepdim": single(lambda T, a: a.sum(1, keepdim=True)),
    "sum dims": single(lambda T, a: a.sum(dim=(0, 1))),
    "sum -1": single(lambda T, a: a.sum(-1)),
    "mean": single(lambda T, a: a.mean()),
    "mean 1": single(lambda T, a: a.mean(1)),
    "mean dim kw": single(lambda T, a: a.mean(dim=0, keepdim=True)),
    "max": single(lambda T, a: a.max()),
    "max ties": single(lambda T, a: a.max(), [[1.0, 3.0], [3.0, 0.0]]),
    "max dim": single(lambda T, a: a.max(1).values),
    "max dim keepdim": single(lambda T, a: a.max(0, keepdim=True)[0]),
    "softmax": single(lambda T, a: a.softmax(1)),
    "softmax 0": single(lambda T, a: T.softmax(a, 0)),
    "F.softmax": single(lambda T, a: T.nn.functional.softmax(a, dim=1)),
    "log_softmax": single(lambda T, a: a.log_softmax(1)),
    "mm": single(lambda T, a: a @ T.tensor(M)),
    "mm method": single(lambda T, a: a.mm(T.tensor(M))),
    "mm both": binary(lambda a, b: a @ b.t(), A),
    "mv": binary(lambda a, b: a @ b),
    "dot": binary(lambda a, b: a[0] @ b),
    "dot method": binary(lambda a, b: b.dot(b)),
    "vector matrix": binary(lambda a, b: b @ a.t()),
    "matmul fn": binary(lambda a, b: a.matmul(b)),
    "reshape": single(lambda T, a: a.reshape(3, 2)),
    "reshape -1": single(lambda T, a: a.reshape(-1)),
    "view": single(lambda T, a: a.view(6)),
    "view tuple": single(lambda T, a: a.view((3, 2))),
    "flatten": single(lambda T, a: a.flatten()),
    "reshape non-contiguous": single(lambda T, a: a.t().reshape(6)),
    "t": single(lambda T, a: a.t()),
    "T": single(lambda T, a: a.T),
    "transpose": single(lambda T, a: a.transpose(0, 1)),
    "permute": single(lambda T, a: a.permute(1, 0)),
    "unsqueeze": single(lambda T, a: a.unsqueeze(1)),
    "unsqueeze -1": single(lambda T, a: a.unsqueeze(-1)),
    "squeeze": single(lambda T, a: a.unsqueeze(0).squeeze()),
    "squeeze dim": single(lambda T, a: a.unsqueeze(0).squeeze(0)),
    "expand": single(lambda T, a: a[0].expand(4, 3)),
    "select": single(lambda T, a: a[0]),
    "select column": single(lambda T, a: a[:, 1]),
    "select twice": single(lambda T, a: a[0, 1]),
    "select negative": single(lambda T, a: a[-1]),
    "slice": single(lambda T, a: a[0:1]),
    "slice step": single(lambda T, a: a[:, ::2]),
    "alias": single(lambda T, a: a[:, :]),
    "index list": single(lambda T, a: a[[0, 1, 0]]),
    "index mask": single(lambda T, a: a[a > 0]),
    "None index": single(lambda T, a: a[None]),
    "ellipsis": single(lambda T, a: a[..., 0]),
    "cat": binary(lambda a, b: T_cat(a, b)),
    "stack": binary(lambda a, b: T_stack(a, a * 2, 1), A),
    "mse_loss": binary(lambda a, b: mse(a, b), A),
    "linear": single(lambda T, a: T.nn.functional.linear(a, T.tensor(M).t(), T.tensor([1.0, 2.0]))),
    "linear grads": binary(lambda a, b: linear(a, b)),
    "chain": single(lambda T, a: ((a * 2).exp().sum(1) / 3).mean()),
    "broadcast scalar tensor": binary(lambda a, b: a * b[0] + b.sum(), A),
    "float64": single(lambda T, a: a * 2, [1.0, 2.0]),
}


def T_cat(a, b):
    ns = _ours() if isinstance(a, _ours().Tensor) else __import__("torch")
    return ns.cat([a, b.unsqueeze(0)], 0)


def T_stack(a, b, dim):
    ns = _ours() if isinstance(a, _ours().Tensor) else __import__("torch")
    return ns.stack([a, b], dim)


def mse(a, b):
    ns = _ours() if isinstance(a, _ours().Tensor) else __import__("torch")
    return ns.nn.functional.mse_loss(a, b * 0.5)


def linear(a, b):
    ns = _ours() if isinstance(a, _ours().Tensor) else __import__("torch")
    w = ns.tensor(M, requires_grad=True)
    return ns.nn.functional.linear(a, w.t(), b[:2])


def _ours():
    import tutor.autograd

    return tutor.autograd


@pytest.mark.parametrize("name", list(CASES))
def test_op_matches_torch(name, torch):
    compare_op(CASES[name], torch, rtol=1e-5, atol=1e-6)


def test_float64_leaf_keeps_dtype(torch):
    compare_op(lambda T: (lambda a: (a * 2, [a]))(leaf(T, [1.0, 2.0], T.float64)), torch)


def test_mixed_float_dtypes_promote_and_grads_keep_their_dtype(torch):
    def program(T):
        a = leaf(T, [1.0, 2.0])
        b = leaf(T, [3.0, 4.0], T.float64)
        return a * b, [a, b]

    compare_op(program, torch)
