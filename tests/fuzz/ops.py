"""Provides DIFFERENTIABLE: each op a learner differentiates, emitted on fresh leaves with its shape.

An op builder emits the leaves it needs and returns an `Expr`: the expression's text, the shape
of its value (so a caller can write a `gradient=` of that shape) and the leaves to print grads of.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .builder import Builder, Shape


@dataclass(frozen=True)
class Expr:
    text: str
    shape: Shape
    leaves: tuple[str, ...]


def broadcast(a: Shape, b: Shape) -> Shape:
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + a, (1,) * (n - len(b)) + b
    return tuple(max(x, y) for x, y in zip(a, b, strict=True))


def distinct(b: Builder, shape: Shape) -> str:
    """A literal whose values are all different, so max/min/sort have one answer."""
    count = math.prod(shape)
    values = b.rng.sample(range(-20, 21), count) if count <= 41 else list(range(count))
    flat = iter(f"{v / 4}" for v in values)

    def nest(dims: Shape) -> str:
        if not dims:
            return next(flat)
        return "[" + ", ".join(nest(dims[1:]) for _ in range(dims[0])) + "]"

    return nest(shape)


def unary(template: str, kind: str = "float") -> Callable[[Builder], Expr]:
    def build(b: Builder) -> Expr:
        shape = b.shape()
        x = b.leaf("x", shape, kind)
        return Expr(template.format(x), shape, (x,))

    return build


def binary(template: str, kinds: tuple[str, str] = ("float", "float")) -> Callable[..., Expr]:
    def build(b: Builder) -> Expr:
        sa = b.shape()
        sb = b.broadcast_partner(sa)
        if b.chance(0.3):
            sa, sb = sb, sa
        x = b.leaf("a", sa, kinds[0])
        y = b.leaf("b", sb, kinds[1])
        return Expr(template.format(x, y), broadcast(sa, sb), (x, y))

    return build


def reduction(method: str) -> Callable[[Builder], Expr]:
    def build(b: Builder) -> Expr:
        shape = b.shape()
        x = b.fresh("x")
        b.emit(f"{x} = torch.tensor({distinct(b, shape)}, requires_grad=True)")
        if b.chance(0.3):
            return Expr(f"{x}.{method}()", (), (x,))
        dim = b.rng.randrange(len(shape))
        keep = b.chance(0.4)
        out = (
            tuple(1 if i == dim else s for i, s in enumerate(shape))
            if keep
            else shape[:dim] + shape[dim + 1 :]
        )
        suffix = ".values" if method in ("max", "min") else ""
        return Expr(f"{x}.{method}(dim={dim}, keepdim={keep}){suffix}", out, (x,))

    return build


def reshaped(b: Builder) -> Expr:
    shape = b.shape(min_dims=2)
    x = b.leaf("x", shape)
    n = math.prod(shape)
    divisors = [d for d in range(1, n + 1) if n % d == 0]
    first = b.pick(divisors)
    target = (first, n // first)
    method = b.pick(["view", "reshape"])
    spelled = f"{first}, -1" if b.chance(0.5) else f"{target[0]}, {target[1]}"
    return Expr(f"{x}.{method}({spelled})", target, (x,))


def transposed(b: Builder) -> Expr:
    shape = b.shape(min_dims=2)
    x = b.leaf("x", shape)
    i, j = b.rng.sample(range(len(shape)), 2)
    out = list(shape)
    out[i], out[j] = out[j], out[i]
    return Expr(f"{x}.transpose({i}, {j})", tuple(out), (x,))


def permuted(b: Builder) -> Expr:
    shape = b.shape(min_dims=2)
    x = b.leaf("x", shape)
    order = list(range(len(shape)))
    b.rng.shuffle(order)
    return Expr(f"{x}.permute({', '.join(map(str, order))})", tuple(shape[i] for i in order), (x,))


def matrix_t(b: Builder) -> Expr:
    shape = b.shape(2, 2)
    x = b.leaf("x", shape)
    return Expr(f"{x}.{b.pick(['t()', 'T'])}", shape[::-1], (x,))


def unsqueezed(b: Builder) -> Expr:
    shape = b.shape(max_dims=2)
    x = b.leaf("x", shape)
    dim = b.rng.randint(0, len(shape))
    return Expr(f"{x}.unsqueeze({dim})", shape[:dim] + (1,) + shape[dim:], (x,))


def squeezed(b: Builder) -> Expr:
    shape = list(b.shape(max_dims=2))
    shape.insert(b.rng.randint(0, len(shape)), 1)
    x = b.leaf("x", tuple(shape))
    if b.chance(0.5):
        return Expr(f"{x}.squeeze()", tuple(s for s in shape if s != 1), (x,))
    dim = shape.index(1)
    return Expr(f"{x}.squeeze({dim})", tuple(shape[:dim] + shape[dim + 1 :]), (x,))


def expanded(b: Builder) -> Expr:
    shape = b.shape(2, 2)
    small = (1, shape[1]) if b.chance(0.5) else (shape[0], 1)
    x = b.leaf("x", small)
    return Expr(f"{x}.expand({shape[0]}, {shape[1]})", shape, (x,))


def flattened(b: Builder) -> Expr:
    shape = b.shape(min_dims=2)
    x = b.leaf("x", shape)
    return Expr(f"{x}.flatten()", (math.prod(shape),), (x,))


def indexed(b: Builder) -> Expr:
    shape = b.shape(min_dims=2)
    x = b.leaf("x", shape)
    i = b.rng.randrange(shape[0])
    choice = b.rng.randrange(5)
    if choice == 0:
        return Expr(f"{x}[{i}]", shape[1:], (x,))
    if choice == 1:
        j = b.rng.randrange(shape[1])
        return Expr(f"{x}[:, {j}]", shape[:1] + shape[2:], (x,))
    if choice == 2:
        stop = b.rng.randint(i + 1, shape[0])
        return Expr(f"{x}[{i}:{stop}]", (stop - i,) + shape[1:], (x,))
    if choice == 3:
        rows = [b.rng.randrange(shape[0]) for _ in range(b.rng.randint(1, 3))]
        return Expr(f"{x}[{rows}]", (len(rows),) + shape[1:], (x,))
    flags = [b.chance(0.5) for _ in range(shape[0])]
    flags[i] = True
    mask = b.fresh("mask")
    b.emit(f"{mask} = torch.tensor({flags})")
    return Expr(f"{x}[{mask}]", (sum(flags),) + shape[1:], (x,))


def joined(b: Builder) -> Expr:
    shape = b.shape()
    dim = b.rng.randrange(len(shape))
    if b.chance(0.5):
        other = tuple(s if i != dim else b.rng.randint(1, 3) for i, s in enumerate(shape))
        x, y = b.leaf("a", shape), b.leaf("b", other)
        out = tuple(s + other[i] if i == dim else s for i, s in enumerate(shape))
        return Expr(f"torch.cat([{x}, {y}], dim={dim})", out, (x, y))
    x, y = b.leaf("a", shape), b.leaf("b", shape)
    return Expr(f"torch.stack([{x}, {y}], dim={dim})", shape[:dim] + (2,) + shape[dim:], (x, y))


def matmul(b: Builder) -> Expr:
    n, k, m = (b.rng.randint(1, 4) for _ in range(3))
    double = b.chance(0.1)
    form = b.rng.randrange(7)
    if form == 0:
        x, y = b.leaf("a", (n, k), double=double), b.leaf("b", (k, m), double=double)
        return Expr(
            b.pick([f"{x} @ {y}", f"torch.mm({x}, {y})", f"{x}.matmul({y})"]), (n, m), (x, y)
        )
    if form == 1:
        x, y = b.leaf("a", (n, k), double=double), b.leaf("b", (k,), double=double)
        return Expr(b.pick([f"{x} @ {y}", f"torch.mv({x}, {y})"]), (n,), (x, y))
    if form == 2:
        x, y = b.leaf("a", (k,), double=double), b.leaf("b", (k,), double=double)
        return Expr(b.pick([f"{x} @ {y}", f"torch.dot({x}, {y})"]), (), (x, y))
    batch = b.rng.randint(1, 3)
    if form == 3:
        x, y = b.leaf("a", (batch, n, k), double=double), b.leaf("b", (batch, k, m), double=double)
        return Expr(f"torch.bmm({x}, {y})", (batch, n, m), (x, y))
    if form == 4:
        x, y = b.leaf("a", (batch, n, k), double=double), b.leaf("b", (k, m), double=double)
        return Expr(f"torch.matmul({x}, {y})", (batch, n, m), (x, y))
    if form == 5:
        ba, bb = b.pick([(batch, 1), (1, batch), (batch, batch)])
        x, y = b.leaf("a", (ba, n, k), double=double), b.leaf("b", (bb, k, m), double=double)
        return Expr(f"{x} @ {y}", (max(ba, bb), n, m), (x, y))
    x, y = b.leaf("a", (k,), double=double), b.leaf("b", (batch, k, m), double=double)
    return Expr(f"torch.matmul({x}, {y})", (batch, m), (x, y))


def softmaxed(b: Builder) -> Expr:
    shape = b.shape()
    x = b.leaf("x", shape)
    dim = b.rng.randrange(-len(shape), len(shape))
    fn = b.pick(["torch.softmax", "torch.log_softmax"])
    return Expr(f"{fn}({x}, dim={dim})", shape, (x,))


def clamped(b: Builder) -> Expr:
    shape = b.shape()
    x = b.leaf("x", shape)
    low, high = b.pick([("-1", "1"), ("0", "2"), ("min=-0.5", None), (None, "max=1.0")])
    args = ", ".join(a for a in (low, high) if a)
    return Expr(f"{x}.clamp({args})", shape, (x,))


DIFFERENTIABLE: dict[str, Callable[[Builder], Expr]] = {
    "add": binary("{} + {}"),
    "sub": binary("{} - {}"),
    "mul": binary("{} * {}"),
    "div": binary("{} / {}", ("float", "nonzero")),
    "pow_tensor": binary("{} ** {}", ("positive", "float")),
    "add_scalar": unary("{} + 2"),
    "rsub": unary("1.5 - {}"),
    "mul_scalar": unary("{} * -3"),
    "rdiv": unary("2 / {}", "nonzero"),
    "pow": unary("{} ** 3"),
    "pow_half": unary("{} ** 0.5", "positive"),
    "rpow": unary("2 ** {}"),
    "neg": unary("-{}"),
    "exp": unary("{}.exp()"),
    "log": unary("torch.log({})", "positive"),
    "sqrt": unary("{}.sqrt()", "positive"),
    "abs": unary("{}.abs()"),
    "sin": unary("torch.sin({})"),
    "cos": unary("{}.cos()"),
    "tanh": unary("{}.tanh()"),
    "sigmoid": unary("torch.sigmoid({})"),
    "relu": unary("{}.relu()"),
    "square": unary("{}.square()"),
    "sum": reduction("sum"),
    "mean": reduction("mean"),
    "max": reduction("max"),
    "min": reduction("min"),
    "prod": reduction("prod"),
    "reshape": reshaped,
    "transpose": transposed,
    "permute": permuted,
    "t": matrix_t,
    "unsqueeze": unsqueezed,
    "squeeze": squeezed,
    "expand": expanded,
    "flatten": flattened,
    "index": indexed,
    "cat_stack": joined,
    "matmul": matmul,
    "softmax": softmaxed,
    "clamp": clamped,
}
