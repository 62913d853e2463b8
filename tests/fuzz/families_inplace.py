"""Provides the in-place families: in-place ops and augmented assignment on plain tensors, leaves,
non-leaves and 0-d tensors, under grad and no_grad; and writes through views of leaves and
non-leaves, read back through the base, the view and the gradient."""

from __future__ import annotations

from .builder import Builder


def _in_place(b: Builder, target: str) -> str:
    """One in-place statement on `target`, in one of the spellings a learner writes."""
    n = b.number("nonzero")
    return b.pick(
        [
            f"{target}.add_({n})",
            f"{target}.mul_({n})",
            f"{target}.div_({n})",
            f"{target}.sub_(1)",
            f"{target}.zero_()",
            f"{target}.fill_({n})",
            f"{target}.clamp_(-1, 1)",
            f"{target}.copy_(torch.ones_like({target}) * {n})",
            f"{target}.pow_(2)",
            f"{target} += {n}",
            f"{target} -= 1",
            f"{target} *= {n}",
            f"{target} /= {n}",
            f"{target} **= 2",
            f"{target}.exp_()",
            f"{target}.neg_()",
        ]
    )


def inplace(b: Builder) -> None:
    shape = b.shape(min_dims=0, max_dims=2)
    form = b.rng.randrange(5)
    if form == 0:
        t = b.tensor("t", shape, b.pick(["float", "whole"]))
        alias = b.fresh("alias")
        b.emit(f"{alias} = {t}")
        for _ in range(b.rng.randint(1, 3)):
            b.emit(_in_place(b, t))
        b.show(t, alias, f"{t} is {alias}")
        return
    x = b.leaf("x", shape)
    if form == 1:
        b.emit("with torch.no_grad():")
        for _ in range(b.rng.randint(1, 2)):
            b.emit("    " + _in_place(b, x))
        b.show(x, f"{x}.requires_grad", f"{x}.is_leaf")
        b.emit(f"({x} * 2).sum().backward()")
        b.show(f"{x}.grad")
        return
    if form == 2:
        b.emit(_in_place(b, x))
        b.show(x)
        return
    y = b.fresh("y")
    b.emit(f"{y} = {x} {b.pick(['* 1', '+ 0', '* 2', '- 1'])}")
    for _ in range(b.rng.randint(1, 2)):
        b.emit(_in_place(b, y))
    b.show(y)
    if b.chance(0.5):
        b.show(f"{y}.grad_fn")
    if form == 3:
        b.emit(f"{y}.sum().backward()")
    else:
        z = b.fresh("z")
        b.emit(
            f"{z} = {x}.exp() * 1",
            f"{z}.mul_({b.number('nonzero')})",
            f"({y} + {z}).sum().backward()",
        )
    b.show(f"{x}.grad")


def _view(b: Builder, base: str, rows: int, cols: int) -> str:
    i = b.rng.randrange(rows)
    return b.pick(
        [
            f"{base}[{i}]",
            f"{base}[:, {b.rng.randrange(cols)}]",
            f"{base}[{i}:]",
            f"{base}.view(-1)",
            f"{base}.t()",
            f"{base}[{i}, {b.rng.randrange(cols)}]",
            f"{base}.transpose(0, 1)",
            f"{base}.unsqueeze(0)",
            f"{base}.reshape({rows * cols})",
        ]
    )


def views(b: Builder) -> None:
    rows, cols = b.rng.randint(1, 3), b.rng.randint(1, 3)
    x = b.leaf("x", (rows, cols))
    form = b.rng.randrange(6)
    v = b.fresh("v")
    if form == 0:
        b.emit(f"{v} = {_view(b, x, rows, cols)}")
        b.emit(_in_place(b, v))
        b.show(x)
        return
    if form == 1:
        b.emit(
            "with torch.no_grad():",
            f"    {v} = {_view(b, x, rows, cols)}",
            f"    {_in_place(b, v)}",
        )
        b.show(x, f"{v}.requires_grad")
        return
    y = b.fresh("y")
    b.emit(f"{y} = {x} * {b.pick(['1', '2', '-1', '0.5'])}")
    b.emit(f"{v} = {_view(b, y, rows, cols)}")
    if form == 2:
        b.emit(_in_place(b, v))
        b.show(y, f"{y}.grad_fn")
        b.emit(f"{y}.sum().backward()" if b.chance(0.6) else f"({y} * {y}).sum().backward()")
    elif form == 3:
        b.emit(_in_place(b, y))
        b.show(v, f"{v}.grad_fn")
        b.emit(f"{v}.sum().backward()")
    elif form == 4:
        b.emit(f"{v}.fill_({b.number()})" if b.chance(0.5) else f"{v}.zero_()")
        b.show(y, f"{y}.grad_fn")
        b.emit(f"({y} * {b.number('nonzero')}).sum().backward()")
    else:
        d = b.fresh("d")
        b.emit(f"{d} = {y}.detach()", _in_place(b, d))
        b.show(y, f"{v}")
        b.emit(f"{y}.sum().backward()")
    b.show(f"{x}.grad")
