"""Provides the value families: creation, seeded random, arithmetic, dtype mixing, unary, reductions,
and printing with f-strings and `.item()`."""

from __future__ import annotations

from .builder import Builder
from .ops import DIFFERENTIABLE, distinct

DTYPES = [
    "torch.float32",
    "torch.float64",
    "torch.int64",
    "torch.bool",
    "torch.float",
    "torch.long",
]
UNARY = ["exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu", "neg", "square"]
ROUNDING = ["floor", "ceil", "round", "sign"]


def _tuple(shape: tuple[int, ...]) -> str:
    return f"({shape[0]},)" if len(shape) == 1 else f"{shape}"


def describe(b: Builder, name: str) -> None:
    """Print one of the things a learner looks at."""
    what = b.pick(
        [name, f"{name}.dtype", f"{name}.shape", f"{name}.requires_grad", f"{name}.is_leaf"]
        + [f"{name}.size()", f"{name}.dim()", f"{name}.numel()", f"{name}.grad_fn"]
    )
    b.show(what)


def creation(b: Builder) -> None:
    for _ in range(b.rng.randint(2, 4)):
        name = b.fresh("t")
        shape = b.shape(max_side=3)
        dims = ", ".join(map(str, shape))
        dtype = f", dtype={b.pick(DTYPES)}" if b.chance(0.3) else ""
        form = b.rng.randrange(9)
        if form == 0:
            kind = b.pick(["float", "int", "bool", "whole"])
            b.emit(f"{name} = torch.tensor({b.literal(shape, kind)}{dtype})")
        elif form == 1:
            b.emit(f"{name} = torch.FloatTensor({b.literal(shape, b.pick(['float', 'int']))})")
        elif form == 2:
            b.emit(f"{name} = torch.{b.pick(['ones', 'zeros'])}({dims}{dtype})")
        elif form == 3:
            b.emit(
                f"{name} = torch.full({_tuple(shape)}, {b.number(b.pick(['float', 'int']))}{dtype})"
            )
        elif form == 4:
            stop = b.rng.randint(1, 8)
            step = b.pick(["", ", 2", ", 0.5", ", 1.5"])
            start = b.pick(["", "1, ", "-2, ", "0.5, "]) if step or b.chance(0.5) else ""
            start = start or ("0, " if step else "")
            if "." in start + step and dtype:
                dtype = f", dtype={b.pick(['torch.float32', 'torch.float64'])}"
            b.emit(f"{name} = torch.arange({start}{stop}{step}{dtype})")
        elif form == 5:
            b.emit(
                f"{name} = torch.linspace({b.number('int')}, {b.rng.randint(6, 10)}, {b.rng.randint(1, 7)})"
            )
        elif form == 6:
            b.emit(f"{name} = torch.eye({b.rng.randint(1, 4)}{dtype})")
        elif form == 7:
            other = b.tensor("src", shape, b.pick(["float", "int"]))
            b.emit(f"{name} = torch.{b.pick(['ones_like', 'zeros_like'])}({other})")
        else:
            src = b.tensor("src", shape, b.pick(["float", "int", "bool"]))
            conv = b.pick(
                [".float()", ".double()", ".long()", ".bool()", ".to(torch.float64)", ".int()"]
            )
            b.emit(f"{name} = {src}{conv}")
        describe(b, name)
        if b.chance(0.5):
            b.show(name)
        if b.chance(0.2):
            b.show(f"{name}.tolist()")


def random_values(b: Builder) -> None:
    b.emit(f"torch.manual_seed({b.rng.randint(0, 100)})")
    for _ in range(b.rng.randint(2, 4)):
        name = b.fresh("r")
        shape = b.shape(max_side=b.pick([3, 5, 9]))
        dims = ", ".join(map(str, shape))
        form = b.rng.randrange(6)
        if form == 0:
            b.emit(f"{name} = torch.{b.pick(['rand', 'randn'])}({dims})")
        elif form == 1:
            low = b.pick(["", "-3, "])
            b.emit(f"{name} = torch.randint({low}{b.rng.randint(1, 10)}, {_tuple(shape)})")
        elif form == 2:
            b.emit(f"{name} = torch.randperm({b.rng.randint(1, 12)})")
        elif form == 3:
            src = b.fresh("base")
            b.emit(
                f"{src} = torch.zeros({dims})",
                f"{name} = torch.{b.pick(['rand_like', 'randn_like'])}({src})",
            )
        elif form == 4:
            b.emit(f"{name} = torch.randn({dims}, requires_grad=True)")
            b.emit(f"({name} * {name}).sum().backward()")
            b.show(f"{name}.grad")
        else:
            b.emit(
                f"torch.manual_seed({b.rng.randint(0, 3)})", f"{name} = torch.rand({dims}) * 2 - 1"
            )
        b.show(name)


def arithmetic(b: Builder) -> None:
    op = b.pick(
        [
            "add",
            "sub",
            "mul",
            "div",
            "pow_tensor",
            "add_scalar",
            "rsub",
            "mul_scalar",
            "rdiv",
            "pow",
            "rpow",
        ]
    )
    expr = DIFFERENTIABLE[op](b)
    y = b.fresh("y")
    b.emit(f"{y} = {expr.text}")
    if b.chance(0.3):
        z = b.fresh("z")
        other = b.pick([f"{y} * {y}", f"{y} + {expr.leaves[0]}", f"{y} / 2", f"3 * {y} - 1"])
        b.emit(f"{z} = {other}")
        y = z
    b.show(y)
    b.emit(f"{y}.sum().backward()" if b.chance(0.6) else f"{y}.mean().backward()")
    for leaf in expr.leaves:
        b.show(f"{leaf}.grad")


def dtypes(b: Builder) -> None:
    shape = b.shape(max_dims=2)
    a = b.tensor("a", shape, b.pick(["int", "natural"]))
    f = b.tensor("f", b.broadcast_partner(shape), "float", dtype=b.pick([None, "torch.float64"]))
    m = b.fresh("mask")
    b.emit(f"{m} = {a} > {b.number('int')}")
    pool = [
        f"{a} + {f}",
        f"{a} * 2.5",
        f"{a} / 2",
        f"{a} // 2",
        f"{a} + True",
        f"{m} + {m}",
        f"{m} * {a}",
        f"1 - {m}.float()",
        f"{m}.sum()",
        f"{a}.sum()",
        f"{a}.float().mean()",
        f"{m}.long() * 3",
        f"{a} * {m}",
        f"{f} * {m}",
        f"{a} == {a}",
        f"{f} > 0",
        f"{a}.double() + {f}",
        f"{a} ** 2",
        f"{m}.float() ** 2",
        f"1 - ({f} > 0).float()",
        f"-{a}",
        f"{a} % 3",
        f"{a}.max()",
        f"torch.tensor(3) * {f}",
        f"{a} + 1.0",
    ]
    for expr in b.rng.sample(pool, b.rng.randint(3, 6)):
        name = b.fresh("r")
        b.emit(f"{name} = {expr}")
        b.show(name, f"{name}.dtype")


def unary(b: Builder) -> None:
    for _ in range(b.rng.randint(1, 3)):
        fn = b.pick(UNARY + ROUNDING)
        kind = "positive" if fn in ("log", "sqrt") and b.chance(0.8) else "float"
        grad = fn not in ROUNDING
        x = b.tensor("x", b.shape(), kind, grad=grad)
        spelled = b.pick([f"torch.{fn}({x})", f"{x}.{fn}()"]) if fn != "neg" else f"-{x}"
        y = b.fresh("y")
        b.emit(f"{y} = {spelled}")
        b.show(y)
        if grad:
            b.emit(f"{y}.sum().backward()")
            b.show(f"{x}.grad")


def reductions(b: Builder) -> None:
    shape = b.shape(max_side=4)
    x = b.fresh("x")
    values = distinct(b, shape) if b.chance(0.7) else b.literal(shape)
    b.emit(f"{x} = torch.tensor({values}, requires_grad=True)")
    fn = b.pick(["sum", "mean", "max", "min", "prod", "argmax", "argmin"])
    y = b.fresh("y")
    has_dim = not b.chance(0.35)
    if not has_dim:
        call = b.pick([f"{x}.{fn}()", f"torch.{fn}({x})"])
    else:
        dim = b.rng.randrange(-len(shape), len(shape))
        call = (
            f"{x}.{fn}(dim={dim}, keepdim={b.chance(0.4)})" if b.chance(0.6) else f"{x}.{fn}({dim})"
        )
    b.emit(f"{y} = {call}")
    b.show(y)
    if fn in ("max", "min") and has_dim:
        b.show(f"{y}.values", f"{y}.indices")
        b.emit(f"{y} = {y}.values")
    if fn not in ("argmax", "argmin"):
        b.emit(f"{y}.sum().backward()")
        b.show(f"{x}.grad")
    b.show(f"{y}.shape")


def formatting(b: Builder) -> None:
    x = b.leaf("x", b.shape(max_dims=1))
    y = b.fresh("y")
    b.emit(f"{y} = ({x} * {b.number('nonzero')}).{b.pick(['sum', 'mean'])}()")
    b.emit(f"{y}.backward()")
    lines = [
        f"print({y}.item())",
        f"print(f'loss={{{y}.item()}}')",
        f"print(f'{{{y}.item():.3f}}')",
        f"print(f'{{{y}}}')",
        f"print(f'grad: {{{x}.grad}}')",
        f"print({x}.grad.tolist())",
        f"print(float({y}), int({y}))",
        f"print(round({y}.item(), 2))",
        f"print(str({y}))",
        f"print(repr({x}))",
        f"print({x}.detach().numpy())",
        f"print({x}.grad[0].item())",
        f"print([{x}.shape, {x}.dtype])",
        f"print('value', {y}, sep=': ')",
        f"print({y}.item() > 0)",
        f"print(f'{{{y}.item():8.4f}}|')",
        f"print(f'{{{x}.shape}}')",
        f"print({x}.tolist())",
    ]
    for line in b.rng.sample(lines, b.rng.randint(3, 6)):
        b.emit(line)
