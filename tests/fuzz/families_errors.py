"""Provides the errors family: programs that print a little, then fail on purpose the ways learners
make them fail (compared on stdout and the traceback's last line)."""

from __future__ import annotations

from .builder import Builder


def _shape_text(shape: tuple[int, ...]) -> str:
    return ", ".join(map(str, shape))


def errors(b: Builder) -> None:
    x = b.leaf("x", b.shape(min_dims=2, max_dims=2, max_side=3))
    rows = b.fresh("rows")
    b.emit(f"{rows} = {x}.shape[0]")
    if b.chance(0.5):
        b.show(x)
    kind = b.rng.randrange(len(_FAILURES))
    for line in _FAILURES[kind](b, x):
        b.emit(line)
    b.emit("print('not reached')")


def _broadcast(b: Builder, x: str) -> list[str]:
    return [f"y = {x} + torch.ones({b.rng.randint(4, 5)})"]


def _mm(b: Builder, x: str) -> list[str]:
    return [
        b.pick(
            [
                f"y = torch.mm({x}, torch.ones(5, 2))",
                f"y = torch.matmul({x}, torch.ones(4))",
                f"y = {x} @ torch.ones(2, 5, 2)",
                f"y = torch.mv({x}, torch.ones(6))",
            ]
        )
    ]


def _dot(b: Builder, x: str) -> list[str]:
    return [f"y = torch.dot({x}[0], torch.ones(7))", "print(y)"]


def _twice(b: Builder, x: str) -> list[str]:
    fn = b.pick(["exp()", "sigmoid()", "pow(2)", "tanh()", "sqrt()"])
    return [f"y = {x}.abs().{fn}.sum()", "y.backward()", f"print({x}.grad)", "y.backward()"]


def _numpy(b: Builder, x: str) -> list[str]:
    target = b.pick([x, f"({x} * 2)", f"{x}[0]"])
    return [f"print({target}.numpy())"]


def _leaf_inplace(b: Builder, x: str) -> list[str]:
    return [
        b.pick(
            [
                f"{x}.add_(1)",
                f"{x} += 1",
                f"{x}.zero_()",
                f"{x}[0] = 0",
                f"{x}.mul_(2)",
                f"{x} /= 2",
            ]
        )
    ]


def _view_inplace(b: Builder, x: str) -> list[str]:
    return [f"v = {b.pick([f'{x}[0]', f'{x}.view(-1)', f'{x}.t()', f'{x}[:, 0]'])}", "v.mul_(2)"]


def _nonscalar(b: Builder, x: str) -> list[str]:
    return [f"y = {x} * 2", "y.backward()"]


def _no_grad_fn(b: Builder, x: str) -> list[str]:
    return [f"y = {x}.detach() * 2", "print(y.requires_grad)", "y.sum().backward()"]


def _int_grad(b: Builder, x: str) -> list[str]:
    if b.chance(0.5):
        return [f"t = torch.tensor({b.literal((2,), 'int')}, requires_grad=True)"]
    return [f"t = torch.arange({b.rng.randint(1, 5)})", "t.requires_grad_(True)"]


def _nonleaf_flag(b: Builder, x: str) -> list[str]:
    return [f"y = {x} * 2", b.pick(["y.requires_grad_(False)", "y.requires_grad = False"])]


def _gradient_shape(b: Builder, x: str) -> list[str]:
    return [f"y = {x} * 3", f"y.backward(torch.ones({b.rng.randint(4, 6)}))"]


def _version(b: Builder, x: str) -> list[str]:
    return b.pick(
        [
            [f"y = {x}.exp()", "y.add_(1)", "y.sum().backward()"],
            [f"y = {x} * 1", "z = y ** 2", "y.mul_(2)", "z.sum().backward()"],
            [f"y = {x}.sigmoid()", "y[0, 0] = 0", "y.sum().backward()"],
            [
                f"y = {x} * 1",
                "z = y * y",
                "with torch.no_grad():",
                "    y.zero_()",
                "z.sum().backward()",
            ],
        ]
    )


def _index(b: Builder, x: str) -> list[str]:
    return [
        b.pick([f"print({x}[5])", f"print({x}[0, 7])", f"print({x}[:, -9])", f"print({x}[[0, 6]])"])
    ]


def _view_stride(b: Builder, x: str) -> list[str]:
    return [f"y = {x}.t()", "print(y.is_contiguous())", "z = y.view(-1)"]


def _cat(b: Builder, x: str) -> list[str]:
    return [f"y = torch.{b.pick(['cat', 'stack'])}([{x}, torch.ones(3, 5)])"]


def _item(b: Builder, x: str) -> list[str]:
    return [b.pick([f"print({x}.item())", f"print(float({x}))", f"print(int({x}.sum(0)))"])]


def _reshape(b: Builder, x: str) -> list[str]:
    return [f"y = {x}.{b.pick(['reshape', 'view'])}(5, 7)"]


def _grad_none(b: Builder, x: str) -> list[str]:
    return [f"y = {x} * 2", f"print({x}.grad)", f"{x}.grad.zero_()"]


def _dim(b: Builder, x: str) -> list[str]:
    return [
        b.pick(
            [
                f"y = {x}.sum(dim=3)",
                f"y = {x}.transpose(0, 2)",
                f"y = {x}.squeeze(4)",
                f"y = {x}.unsqueeze(5)",
                f"y = torch.softmax({x}, dim=2)",
                f"y = {x}.max(dim=-3)",
            ]
        )
    ]


def _dtype_inplace(b: Builder, x: str) -> list[str]:
    return [
        f"t = torch.tensor({b.literal((3,), 'int')})",
        "print(t)",
        f"t.{b.pick(['add_(1.5)', 'mul_(0.5)', 'div_(2)'])}",
    ]


def _ragged(b: Builder, x: str) -> list[str]:
    return ["t = torch.tensor([[1.0, 2.0], [3.0]])"]


def _expand(b: Builder, x: str) -> list[str]:
    return [f"y = {x}.expand(4, 6)"]


def _bool_neg(b: Builder, x: str) -> list[str]:
    return [f"m = {x} > 0", "print(m)", b.pick(["print(-m)", "print(torch.tensor([2, 3]) ** -1)"])]


def _matmul_scalar(b: Builder, x: str) -> list[str]:
    return [f"s = {x}.sum()", f"y = torch.matmul(s, {x})"]


def _dtype_matmul(b: Builder, x: str) -> list[str]:
    return [
        b.pick(
            [
                f"y = {x} @ {x}.t().double()",
                f"y = torch.mv({x}.double(), {x}[0])",
                f"y = torch.dot({x}[0], {x}[0].double())",
            ]
        )
    ]


def _name(b: Builder, x: str) -> list[str]:
    return [f"y = {x} * 2", "print(y.sum())", "print(undefined_name)"]


_FAILURES = [
    _broadcast,
    _mm,
    _dot,
    _twice,
    _numpy,
    _leaf_inplace,
    _view_inplace,
    _nonscalar,
    _no_grad_fn,
    _int_grad,
    _nonleaf_flag,
    _gradient_shape,
    _version,
    _index,
    _view_stride,
    _cat,
    _item,
    _reshape,
    _grad_none,
    _dim,
    _dtype_inplace,
    _ragged,
    _expand,
    _bool_neg,
    _matmul_scalar,
    _name,
    _dtype_matmul,
]
