"""Provides list, set and dict comprehensions and generator expressions, each in a scope of its
own as in Python 3, every item counted against the loop-iteration limit."""

from __future__ import annotations

import ast
import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from tutor.program.guards import loop_over_limit, safe_len
from tutor.program.limits import MAX_LOOP_ITERATIONS
from tutor.program.scopes import Frame

_NAMES = {
    ast.ListComp: "<listcomp>",
    ast.SetComp: "<setcomp>",
    ast.DictComp: "<dictcomp>",
    ast.GeneratorExp: "<genexpr>",
}


class GeneratorValue:
    """A generator expression: items are computed as they are asked for, as in Python."""

    lazy = True

    def __init__(self, items: Iterator[Any], qualname: str) -> None:
        self._items = items
        self.qualname = qualname

    def __iter__(self) -> GeneratorValue:
        return self

    def __next__(self) -> Any:
        return next(self._items)

    def __repr__(self) -> str:
        return f"<generator object {self.qualname} at 0x{id(self):x}>"


class Comprehensions:
    """The comprehension part of the Evaluator (mixed into it: eval, assign, scope_for…)."""

    frame: Frame | None
    iterations_run: int
    iterations_checked_to: int
    line: int
    loop_checkpoint: Callable[[int], None]

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
        first = self.eval(node.generators[0].iter)
        prefix = self.frame.qualname if self.frame is not None else ""
        name = prefix + _NAMES[type(node)]
        frame = Frame(
            self.scope_for(node),
            {},
            self.enclosing(),
            "comprehension",
            name + ".",
        )
        if isinstance(node, ast.GeneratorExp):
            return GeneratorValue(self._produce(node, frame, iter(first)), name)
        remaining = MAX_LOOP_ITERATIONS - self.iterations_run
        if hasattr(first, "__len__") and safe_len(first) > remaining:
            raise loop_over_limit(safe_len(first), self.iterations_run)
        items = self._produce(node, frame, iter(first))
        if isinstance(node, ast.ListComp):
            return list(items)
        if isinstance(node, ast.SetComp):
            return set(items)
        return dict(items)

    def count_iteration(self) -> None:
        self.iterations_run += 1
        if self.iterations_run > self.iterations_checked_to:
            self.loop_checkpoint(self.line)

    @contextlib.contextmanager
    def inside(self, frame: Frame | None) -> Iterator[None]:
        """Run in `frame` (never held across a yield: a generator's consumer has its own)."""
        saved, self.frame = self.frame, frame
        try:
            yield
        finally:
            self.frame = saved

    def _produce(self, node: Any, frame: Frame, first: Iterator[Any]) -> Iterator[Any]:
        yield from self._level(node, frame, 0, first)

    def _level(self, node: Any, frame: Frame, index: int, items: Iterator[Any]) -> Iterator[Any]:
        clause = node.generators[index]
        last = index + 1 == len(node.generators)
        for item in items:
            self.count_iteration()
            with self.inside(frame):
                self.assign(clause.target, item)
                keep = all(self.eval(test) for test in clause.ifs)
                if keep and not last:
                    inner = iter(self.eval(node.generators[index + 1].iter))
                elif keep:
                    value = self._element(node)
            if not keep:
                continue
            if last:
                yield value
            else:
                yield from self._level(node, frame, index + 1, inner)

    def _element(self, node: Any) -> Any:
        if isinstance(node, ast.DictComp):
            key = self.eval(node.key)
            return key, self.eval(node.value)
        return self.eval(node.elt)
