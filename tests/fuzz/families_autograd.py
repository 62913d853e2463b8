"""Provides the autograd families: backward with `gradient=`, retain_graph, retain_grad, `.grad`
accumulation, `inputs=`, detach/requires_grad_, grad_fn names and next_functions, grad modes,
and hand-written SGD loops."""

from __future__ import annotations

from .builder import Builder
from .ops import DIFFERENTIABLE, distinct


def _chain(b: Builder, x: str) -> str:
    """Emit y = some function of x; return y's name."""
    y = b.fresh("y")
    b.emit(
        f"{y} = {b.pick([f'{x} * {x}', f'{x}.exp()', f'{x} ** 3', f'torch.tanh({x})', f'{x} * 2 + 1', f'{x}.sin() * {x}', f'({x} - 1) ** 2'])}"
    )
    return y


def upstream(b: Builder, op: str) -> None:
    """y = op(leaves); y.backward(g) with g all different values, none of them ones."""
    expr = DIFFERENTIABLE[op](b)
    y, g = b.fresh("y"), b.fresh("g")
    b.emit(f"{y} = {expr.text}")
    b.emit(f"{g} = torch.tensor({distinct(b, expr.shape)})")
    b.emit(b.pick([f"{y}.backward(gradient={g})", f"{y}.backward({g})"]))
    for leaf in expr.leaves:
        b.show(f"{leaf}.grad")


def gradient(b: Builder) -> None:
    upstream(b, b.pick(list(DIFFERENTIABLE)))


def retain_graph(b: Builder) -> None:
    x = b.leaf("x")
    y = _chain(b, x)
    s = b.fresh("s")
    b.emit(f"{s} = {y}.sum()" if b.chance(0.7) else f"{s} = {y}.mean()")
    times = b.rng.randint(2, 3)
    for k in range(times):
        last = k == times - 1
        b.emit(f"{s}.backward()" if last else f"{s}.backward(retain_graph=True)")
        b.show(f"{x}.grad")
    if b.chance(0.25):
        b.emit(f"{s}.backward()")
        b.show(f"{x}.grad")


def retain_grad(b: Builder) -> None:
    """Retained non-leaves read after each of several backward calls through different losses."""
    x = b.leaf("x")
    y = _chain(b, x)
    b.emit(f"{y}.retain_grad()")
    h = b.fresh("h")
    b.emit(f"{h} = {y} * {b.number('nonzero')}")
    if b.chance(0.5):
        b.emit(f"{h}.retain_grad()")
    if b.chance(0.3):
        b.show(f"{y}.retains_grad", f"{x}.retains_grad", f"{h}.is_leaf")
    losses = [
        f"{h}.sum()",
        f"({h} ** 2).sum()",
        f"({y} * {h}).mean()",
        f"{y}.sum() * 2",
        f"({y}.exp() + {h}).sum()",
        f"{h}.mean()",
    ]
    rounds = b.rng.randint(2, 4)
    for k in range(rounds):
        loss = b.fresh("loss")
        b.emit(f"{loss} = {b.pick(losses)}")
        b.emit(f"{loss}.backward()" if k == rounds - 1 else f"{loss}.backward(retain_graph=True)")
        b.show(f"{y}.grad", f"{h}.grad" if b.chance(0.5) else f"{x}.grad")
        if k < rounds - 1 and b.chance(0.2):
            b.emit(b.pick([f"{y}.grad.zero_()", f"{y}.grad = None"]))
    b.show(f"{x}.grad")


def accumulation(b: Builder) -> None:
    x = b.leaf("x")
    for _ in range(b.rng.randint(2, 4)):
        y = b.fresh("loss")
        b.emit(
            f"{y} = ({x} * {b.number('nonzero')} + {x} ** 2).sum()"
            if b.chance(0.5)
            else f"{y} = {x}.exp().mean()"
        )
        b.emit(f"{y}.backward()")
        b.show(f"{x}.grad")
        if b.chance(0.25):
            b.emit(b.pick([f"{x}.grad.zero_()", f"{x}.grad = None", f"{x}.grad.data.zero_()"]))
    if b.chance(0.3):
        b.emit(f"for i in range({b.rng.randint(2, 4)}):", f"    ({x} * i).sum().backward()")
        b.show(f"{x}.grad")


def inputs(b: Builder) -> None:
    x, w = b.leaf("x", (3,)), b.leaf("w", (3,))
    y = b.fresh("y")
    b.emit(f"{y} = ({x} * {w} + {w} ** 2).sum()")
    which = b.pick([f"[{x}]", f"[{w}]", f"[{x}, {w}]", f"{w}"])
    b.emit(f"{y}.backward(inputs={which}, retain_graph=True)")
    b.show(f"{x}.grad", f"{w}.grad")
    if b.chance(0.5):
        b.emit(f"{y}.backward()")
        b.show(f"{x}.grad", f"{w}.grad")


def detach(b: Builder) -> None:
    x = b.leaf("x")
    y = _chain(b, x)
    d = b.fresh("d")
    form = b.rng.randrange(5)
    if form == 0:
        b.emit(f"{d} = {y}.detach()")
        b.show(d, f"{d}.requires_grad", f"{d}.is_leaf")
        b.emit(f"{d}[0] = 100" if b.chance(0.5) else f"{d}.zero_()")
        b.show(y)
    elif form == 1:
        b.emit(f"{y}.detach_()")
        b.show(y, f"{y}.grad_fn", f"{y}.is_leaf", f"{y}.requires_grad")
        return
    elif form == 2:
        b.emit(f"{d} = {x}.detach().requires_grad_()")
        b.emit(f"({d} * {y}.detach()).sum().backward()")
        b.show(f"{d}.grad", f"{x}.grad")
        return
    elif form == 3:
        b.emit(f"{d} = {x}.data", f"{d} += 1")
        b.show(x, f"{d}.requires_grad")
    else:
        plain = b.tensor("p", b.shape())
        b.emit(f"{plain}.requires_grad_()" if b.chance(0.5) else f"{plain}.requires_grad = True")
        b.emit(f"({plain} * 3).sum().backward()")
        b.show(f"{plain}.grad", f"{plain}.is_leaf")
    b.emit(f"{y}.sum().backward()")
    b.show(f"{x}.grad")


def grad_fn(b: Builder) -> None:
    expr = DIFFERENTIABLE[b.pick(list(DIFFERENTIABLE))](b)
    y = b.fresh("y")
    b.emit(f"{y} = {expr.text}")
    if b.chance(0.5):
        z = b.fresh("z")
        b.emit(f"{z} = {b.pick([f'{y}.sum()', f'{y} * 2', f'{y}.exp()', f'{y}.mean()'])}")
        y = z
    b.show(f"{y}.grad_fn")
    b.show(f"{y}.grad_fn.name()")
    b.show(f"{y}.grad_fn.next_functions")
    if b.chance(0.5):
        b.emit(
            f"for fn, k in {y}.grad_fn.next_functions:",
            "    print(fn.name() if fn is not None else None, k)",
            "    if fn is not None:",
            "        print(fn.next_functions)",
        )
    b.show(f"{y}.is_leaf", f"{y}.requires_grad")


def grad_mode(b: Builder) -> None:
    x = b.leaf("x")
    y = b.fresh("y")
    form = b.rng.randrange(5)
    if form == 0:
        b.emit("with torch.no_grad():", f"    {y} = {x} * 2")
    elif form == 1:
        b.emit("with torch.no_grad():", "    with torch.enable_grad():", f"        {y} = {x} * 2")
    elif form == 2:
        mode = b.chance(0.5)
        b.emit(f"with torch.set_grad_enabled({mode}):", f"    {y} = {x} ** 2")
    elif form == 3:
        b.emit("torch.set_grad_enabled(False)", f"{y} = {x}.exp()", "torch.set_grad_enabled(True)")
    else:
        b.emit("with torch.no_grad():", f"    {y} = {x} + 1", "    print(torch.is_grad_enabled())")
    b.show(y, f"{y}.requires_grad", f"{y}.grad_fn", "torch.is_grad_enabled()")
    z = b.fresh("z")
    b.emit(f"{z} = ({x} * {y}).sum()", f"{z}.backward()")
    b.show(f"{x}.grad")


def sgd_loop(b: Builder) -> None:
    w = b.leaf("w", (b.rng.randint(1, 3),))
    x = b.tensor("x", (4,) if b.chance(0.5) else (), "float")
    lr = b.pick(["0.1", "0.01", "0.5", "0.05"])
    steps = b.rng.randint(2, 5)
    loss = b.fresh("loss")
    target = b.number()
    b.emit(f"for step in range({steps}):")
    b.emit(f"    {loss} = (({w}.sum() * {x} - {target}) ** 2).mean()")
    b.emit(f"    {loss}.backward()")
    b.emit("    with torch.no_grad():")
    b.emit(
        b.pick(
            [
                f"        {w} -= {lr} * {w}.grad",
                f"        {w}.sub_({lr} * {w}.grad)",
                f"        {w}.data -= {lr} * {w}.grad",
                f"        {w}.add_({w}.grad, alpha=-{lr})",
            ]
        )
    )
    b.emit(b.pick([f"    {w}.grad.zero_()", f"    {w}.grad = None"]))
    if b.chance(0.5):
        b.emit(
            b.pick(
                [
                    f"    print(step, {loss}.item())",
                    f"    print({loss})",
                    f"    print(f'{{step}}: {{{loss}.item():.4f}}')",
                ]
            )
        )
    b.show(w)
    b.show(f"{w}.grad")
