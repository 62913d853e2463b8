"""Provides Builder: one generated program's lines, fresh names, and random shapes and literals."""

from __future__ import annotations

import random

Shape = tuple[int, ...]

_DIM_WEIGHTS = {0: 1.0, 1: 4.0, 2: 4.5, 3: 1.5}
_ONE_DECIMAL = [x / 2 for x in range(-6, 7)] + [-0.3, 0.2, 0.7, 1.2, -1.7, 2.4]


class Builder:
    """A program under construction: `emit` lines, then `source()`; every choice from `rng`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: list[str] = ["import torch"]
        self._used: set[str] = set()

    def emit(self, *lines: str) -> None:
        self.lines.extend(lines)

    def show(self, *expressions: str) -> None:
        self.emit(f"print({', '.join(expressions)})")

    def source(self) -> str:
        return "\n".join(self.lines) + "\n"

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, options):  # noqa: ANN001, ANN201 - any sequence, one of its items
        return self.rng.choice(list(options))

    def fresh(self, stem: str) -> str:
        """`stem`, or `stem2`, `stem3`, … if already used."""
        name, n = stem, 1
        while name in self._used:
            n += 1
            name = f"{stem}{n}"
        self._used.add(name)
        return name

    def shape(self, min_dims: int = 1, max_dims: int = 3, max_side: int = 4) -> Shape:
        dims = range(min_dims, max_dims + 1)
        ndim = self.rng.choices(dims, [_DIM_WEIGHTS.get(d, 1.0) for d in dims])[0]
        return tuple(self.rng.randint(1, max_side) for _ in range(ndim))

    def broadcast_partner(self, shape: Shape) -> Shape:
        """A shape that broadcasts with `shape`: a suffix of it, some sides set to 1."""
        keep = self.rng.randint(0, len(shape))
        tail = list(shape[len(shape) - keep :])
        for i in range(len(tail)):
            if self.chance(0.3):
                tail[i] = 1
        if self.chance(0.2):
            tail.insert(0, 1)
        return tuple(tail)

    def number(self, kind: str = "float") -> str:
        """One literal: `float` (mostly short decimals), `positive`, `nonzero`, `int`, `bool`."""
        r = self.rng
        if kind == "int":
            return str(r.randint(-4, 6))
        if kind == "natural":
            return str(r.randint(0, 5))
        if kind == "bool":
            return r.choice(["True", "False"])
        if kind == "whole":
            return f"{float(r.randint(-4, 6))}"
        if kind == "positive":
            value = r.choice([0.5, 1.0, 1.5, 2.0, 3.0, 4.0, round(r.uniform(0.1, 4.0), 2)])
            return repr(value)
        if kind == "unit":
            return repr(round(r.uniform(-0.9, 0.9), 2))
        value = r.choice(_ONE_DECIMAL) if r.random() < 0.7 else round(r.uniform(-3.0, 3.0), 2)
        if kind == "nonzero" and value == 0:
            value = 1.25
        return repr(value)

    def literal(self, shape: Shape, kind: str = "float") -> str:
        """A nested-list literal of `shape`; () gives a bare number."""
        if not shape:
            return self.number(kind)
        if kind == "float" and self.chance(0.2):
            kind = "whole"
        return self._nested(shape, kind)

    def _nested(self, shape: Shape, kind: str) -> str:
        if not shape:
            return self.number(kind)
        return "[" + ", ".join(self._nested(shape[1:], kind) for _ in range(shape[0])) + "]"

    def tensor(
        self,
        stem: str,
        shape: Shape,
        kind: str = "float",
        grad: bool = False,
        dtype: str | None = None,
    ) -> str:
        """Emit `name = torch.tensor(…)` in one of the spellings a learner uses; return the name."""
        name = self.fresh(stem)
        lit = self.literal(shape, kind)
        args = [lit]
        if dtype:
            args.append(f"dtype={dtype}")
        spelling = self.rng.random()
        if grad and spelling < 0.2:
            self.emit(f"{name} = torch.tensor({', '.join(args)}).requires_grad_()")
        elif grad and spelling < 0.3 and shape and kind == "float" and not dtype:
            self.emit(f"{name} = torch.FloatTensor({lit}).requires_grad_(True)")
        else:
            if grad:
                args.append("requires_grad=True")
            self.emit(f"{name} = torch.tensor({', '.join(args)})")
        return name

    def leaf(
        self,
        stem: str = "x",
        shape: Shape | None = None,
        kind: str = "float",
        double: bool | None = None,
    ) -> str:
        """A float leaf that requires grad (float64 now and then, unless `double` says)."""
        dtype = "torch.float64" if (self.chance(0.1) if double is None else double) else None
        return self.tensor(stem, self.shape() if shape is None else shape, kind, True, dtype)

    def grad_expression(self, shape: Shape) -> str:
        """A `torch.tensor(…)` of `shape` to pass as `gradient=`."""
        return f"torch.tensor({self.literal(shape, 'float')})" if shape else "torch.tensor(1.5)"
