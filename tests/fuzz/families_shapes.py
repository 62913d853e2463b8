"""Provides the shape families: views and reshapes, cat/stack/chunk/split, indexing, `__setitem__`,
the matmul family, where/masked_fill/gather, clamp, and softmax/log_softmax/cross_entropy."""

from __future__ import annotations

from .builder import Builder
from .ops import DIFFERENTIABLE, Expr

SHAPE_OPS = ["reshape", "transpose", "permute", "t", "unsqueeze", "squeeze", "expand", "flatten"]


def _weighted_backward(b: Builder, expr: Expr, show_fn: bool = True) -> None:
    """y = expr; print it (and its grad_fn); backward through a weighted sum; print the grads."""
    y = b.fresh("y")
    b.emit(f"{y} = {expr.text}")
    b.show(y)
    if show_fn and b.chance(0.5):
        b.show(f"{y}.grad_fn")
    if b.chance(0.5):
        b.show(f"{y}.shape")
    weight = f"torch.tensor({b.literal(expr.shape)})" if expr.shape else b.number()
    b.emit(f"({y} * {weight}).sum().backward()")
    for leaf in expr.leaves:
        b.show(f"{leaf}.grad")


def shape(b: Builder) -> None:
    expr = DIFFERENTIABLE[b.pick(SHAPE_OPS)](b)
    if b.chance(0.3):
        inner = b.fresh("v")
        b.emit(f"{inner} = {expr.text}")
        b.show(f"{inner}.is_contiguous()" if b.chance(0.5) else f"{inner}.size()")
        expr = Expr(f"{inner}.reshape(-1)", (_numel(expr.shape),), expr.leaves)
    _weighted_backward(b, expr)


def _numel(shape: tuple[int, ...]) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


def cat_stack(b: Builder) -> None:
    if b.chance(0.6):
        _weighted_backward(b, DIFFERENTIABLE["cat_stack"](b))
        return
    shape = b.shape()
    x = b.leaf("x", shape)
    dim = b.rng.randrange(len(shape))
    parts = b.fresh("parts")
    if b.chance(0.5):
        b.emit(f"{parts} = {x}.chunk({b.rng.randint(1, 3)}, dim={dim})")
    else:
        b.emit(f"{parts} = torch.split({x}, {b.rng.randint(1, 3)}, dim={dim})")
    b.show(f"len({parts})", f"{parts}[0].shape" if b.chance(0.3) else f"{parts}[0]")
    b.emit(
        f"({parts}[0] * 2).sum().backward()" if b.chance(0.5) else f"{parts}[-1].sum().backward()"
    )
    b.show(f"{x}.grad")


def indexing(b: Builder) -> None:
    expr = DIFFERENTIABLE["index"](b)
    _weighted_backward(b, expr)
    if b.chance(0.4):
        x = expr.leaves[0]
        b.show(f"{x}[0, 0]", f"{x}[-1]", f"{x}[..., 0]" if b.chance(0.5) else f"{x}[:, :1]")


def setitem(b: Builder) -> None:
    shape = b.shape(min_dims=2, max_dims=2, max_side=3)
    x = b.leaf("x", shape)
    y = b.fresh("y")
    b.emit(f"{y} = {x} * {b.number('nonzero')}")
    for _ in range(b.rng.randint(1, 3)):
        i = b.rng.randrange(shape[0])
        j = b.rng.randrange(shape[1])
        target = b.pick(
            [f"{y}[{i}]", f"{y}[{i}, {j}]", f"{y}[:, {j}]", f"{y}[{y} > 0]", f"{y}[{i}:]"]
        )
        value = b.pick([b.number(), "0", f"{x}[{i}, {j}] * 2", f"{x}.detach()[{i}, {j}]"])
        b.emit(f"{target} = {value}")
    b.show(y)
    if b.chance(0.5):
        b.show(f"{y}.grad_fn")
    b.emit(f"{y}.sum().backward()" if b.chance(0.5) else f"({y} * {y}).sum().backward()")
    b.show(f"{x}.grad")
    if b.chance(0.4):
        plain = b.tensor("p", shape)
        b.emit(f"{plain}[0] = {b.number()}", f"{plain}[:, -1] += 1")
        b.show(plain)


def matmul(b: Builder) -> None:
    expr = DIFFERENTIABLE["matmul"](b)
    _weighted_backward(b, expr)
    if b.chance(0.3):
        b.emit("with torch.no_grad():", f"    {expr.leaves[0]}.mul_(2)")
        b.emit(f"({expr.text}).sum().backward()")
        b.show(*(f"{leaf}.grad" for leaf in expr.leaves))


def selection(b: Builder) -> None:
    shape = b.shape(min_dims=2, max_dims=2, max_side=3)
    x = b.leaf("x", shape)
    y = b.fresh("y")
    form = b.rng.randrange(4)
    if form == 0:
        other = b.pick(["torch.zeros_like(" + x + ")", b.number(), f"{x} * 2"])
        b.emit(f"{y} = torch.where({x} > {b.number()}, {x}, {other})")
    elif form == 1:
        b.emit(f"{y} = {x}.masked_fill({x} < 0, {b.number()})")
    elif form == 2:
        index = [[b.rng.randrange(shape[1]) for _ in range(shape[1])] for _ in range(shape[0])]
        b.emit(f"{y} = {x}.gather(1, torch.tensor({index}))")
    else:
        b.emit(f"{y} = torch.where({x} > 0, {x} ** 2, -{x})")
    b.show(y)
    b.emit(f"{y}.sum().backward()")
    b.show(f"{x}.grad")


def clamp(b: Builder) -> None:
    expr = DIFFERENTIABLE["clamp"](b)
    _weighted_backward(b, expr)
    if b.chance(0.4):
        z = b.tensor("z", b.shape())
        b.emit(f"{z}.clamp_({b.number()}, 3)")
        b.show(z, f"torch.clamp({z}, max=0)")


def softmax(b: Builder) -> None:
    if b.chance(0.6):
        _weighted_backward(b, DIFFERENTIABLE["softmax"](b))
        return
    n, c = b.rng.randint(1, 4), b.rng.randint(2, 4)
    logits = b.leaf("logits", (n, c))
    target = b.fresh("target")
    b.emit(f"{target} = torch.tensor({[b.rng.randrange(c) for _ in range(n)]})")
    b.emit("import torch.nn.functional as F")
    loss = b.fresh("loss")
    form = b.pick(
        [
            f"F.cross_entropy({logits}, {target})",
            f"F.nll_loss(F.log_softmax({logits}, dim=1), {target})",
            f"-F.log_softmax({logits}, dim=1)[0, 0]",
            f"F.softmax({logits}, dim=1).max()",
        ]
    )
    b.emit(f"{loss} = {form}")
    b.show(loss)
    b.emit(f"{loss}.backward()")
    b.show(f"{logits}.grad")
