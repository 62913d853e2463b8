"""Provides the math a lesson is about: which function it differentiates, its derivation, its plot.

No Textual here, and sympy only inside functions: the screens call these from thread workers.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tutor.course.model import Lesson
from tutor.program.snapshot import Snapshot
from tutor.text import Text

_LIFTED = re.compile(r"\s*d\s*/\s*d([A-Za-z_]\w*)\s+([A-Za-z_]\w*)\s*\Z")
PLOT_POINTS = 201

NO_DERIVATIVE = Text(
    "This lesson has no derivative to derive.", "이 레슨에는 유도할 미분이 없습니다."
)
NO_PLOT = Text(
    "This lesson has no elementwise function of one tensor to plot.",
    "이 레슨에는 그릴 수 있는 원소별 함수가 없습니다.",
)
NO_GRAD = Text(
    "No tensor has a .grad in this lesson, so there are no tangents to draw.",
    "이 레슨에는 .grad를 가진 텐서가 없어 접선을 그릴 수 없습니다.",
)
CANNOT = Text("Cannot derive `{of}`: {why}", "`{of}`을(를) 미분할 수 없습니다: {why}")


class MathError(Exception):
    """What cannot be derived or plotted, in one line in each language."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


@dataclass(frozen=True)
class FunctionSource:
    """Where a lesson's derivative comes from: `derivative.of` text, or a lifted variable."""

    question_id: str
    step_index: int
    wrt: str
    of: str | None = None
    variable: str | None = None
    upto: str | None = None

    @property
    def label(self) -> str:
        return self.of if self.of is not None else f"∂{self.variable}/∂{self.wrt}"


def derivative_variable(question: Any) -> str:
    """The variable an expression question differentiates by (`d/dx y`: x)."""
    if question.derivative is not None:
        return question.derivative.wrt
    match = _LIFTED.match(question.answer or "")
    return match.group(1) if match else "x"


def derivative_sources(lesson: Lesson) -> list[FunctionSource]:
    """Every expression question's function, in lesson order."""
    found: list[FunctionSource] = []
    for index, step in enumerate(lesson.steps):
        for question in step.questions:
            if question.kind != "expression":
                continue
            if question.derivative is not None:
                found.append(
                    FunctionSource(
                        question.id, index, question.derivative.wrt, of=question.derivative.of
                    )
                )
                continue
            match = _LIFTED.match(question.answer or "")
            if match is not None:
                wrt, variable = match.groups()
                found.append(
                    FunctionSource(question.id, index, wrt, variable=variable, upto=step.after)
                )
    return found


def backward_sources(lesson: Lesson) -> list[FunctionSource]:
    """For a lesson that asks no derivative: what its program's last top-level differentiation
    computes — `out.backward()` (∂out/∂ the leaf it depends on, found when derived) or
    `torch.autograd.grad(out, x)` (∂out/∂x)."""
    try:
        tree = ast.parse(lesson.program)
    except SyntaxError:
        return []
    found: list[FunctionSource] = []
    for statement in tree.body:
        call = statement.value if isinstance(statement, ast.Expr | ast.Assign) else None
        while isinstance(call, ast.Subscript):  # torch.autograd.grad(y, x)[0]
            call = call.value
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
            continue
        func = call.func
        if func.attr == "backward" and isinstance(func.value, ast.Name):
            found.append(FunctionSource("", -1, "", variable=func.value.id))
        elif (
            func.attr == "grad"
            and ast.unparse(func.value) in ("torch.autograd", "autograd")
            and len(call.args) >= 2
            and isinstance(call.args[0], ast.Name)
            and isinstance(call.args[1], ast.Name)
        ):
            found.append(FunctionSource("", -1, call.args[1].id, variable=call.args[0].id))
    return found[-1:]


def chosen_sources(lesson: Lesson, step_index: int | None = None) -> tuple[FunctionSource, ...]:
    """The lesson's main derivative (its last one) and, first, the current step's if it differs;
    without one, what its `.backward()` computes."""
    sources = derivative_sources(lesson)
    if not sources:
        return tuple(backward_sources(lesson))
    main = sources[-1]
    here = [s for s in sources if s.step_index == step_index]
    if here and here[0] != main:
        return (here[0], main)
    return (main,)


def function_of(lesson: Lesson, source: FunctionSource) -> Any:
    """The sympy function a source names (parsed, or lifted from the program)."""
    if source.of is not None:
        from tutor.symbolic.parse import parse

        try:
            return parse(source.of, variables=(source.wrt,))
        except Exception as error:  # the parser's one-line refusal
            raise MathError(CANNOT.format(of=source.of, why=_line(error))) from None
    from tutor.symbolic.lift import LiftError, lift

    assert source.variable is not None
    if not source.wrt:
        raise MathError(CANNOT.format(of=source.label, why="no leaf chosen"))
    try:
        try:
            return lift(lesson.program, upto=source.upto).function(source.variable)
        except LiftError:
            return lift(lesson.program).function(source.variable)
    except LiftError as error:
        raise MathError(CANNOT.format(of=source.label, why=_line(error))) from None


def _line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


@dataclass(frozen=True)
class Derivation:
    """A derivative derived step by step: the main path's text and, for each other path, its
    heading and text (all in both languages, so showing it needs no sympy)."""

    source: FunctionSource
    text: Text
    derivative: str
    result: Any
    others: tuple[tuple[Text, Text], ...] = ()

    def render(self, lang: str) -> str:
        parts = [self.text.get(lang)]
        parts += [f"{heading.get(lang)}\n{text.get(lang)}" for heading, text in self.others]
        return "\n\n".join(parts)


def derive(lesson: Lesson, source: FunctionSource) -> Derivation:
    """diff_steps of the source's function, with the other strategies' paths."""
    from tutor.symbolic.functions import symbol
    from tutor.symbolic.render_text import ANOTHER_PATH, PATHS, derivation_text
    from tutor.symbolic.steps import DerivationError, alternatives, diff_steps

    if not source.wrt:
        source = _with_leaf(lesson, source)
    function = function_of(lesson, source)
    var = symbol(source.wrt)
    try:
        tree = diff_steps(function, var)
        others = alternatives(function, var)
    except DerivationError as error:
        why = error.text
        raise MathError(
            Text(
                CANNOT.en.format(of=source.label, why=why.en),
                CANNOT.ko.format(of=source.label, why=why.ko),
            )
        ) from None
    except Exception as error:  # sympy's own failure on an unusual expression
        raise MathError(CANNOT.format(of=source.label, why=_line(error))) from None
    return Derivation(
        source=source,
        text=_both(lambda lang: derivation_text(tree, lang)),
        derivative=str(tree.result),
        result=tree.result,
        others=tuple(
            (
                _both(lambda lang, n=name: f"{ANOTHER_PATH.get(lang)}: {PATHS[n].get(lang)}"),
                _both(lambda lang, t=other: derivation_text(t, lang)),
            )
            for name, other in others
        ),
    )


def _with_leaf(lesson: Lesson, source: FunctionSource) -> FunctionSource:
    """The source of a `.backward()` with the leaf its output depends on (the first such)."""
    from dataclasses import replace

    from tutor.symbolic.lift import LiftError, lift

    try:
        lifted = lift(lesson.program)
        function = lifted.function(source.variable)
    except LiftError as error:
        raise MathError(CANNOT.format(of=f"{source.variable}", why=_line(error))) from None
    names = {symbol.name for symbol in getattr(function, "free_symbols", ())}
    for leaf in lifted.leaf_names:
        if leaf in names:
            return replace(source, wrt=leaf)
    raise MathError(NO_DERIVATIVE)


def _both(write: Any) -> Text:
    return Text(write("en"), write("ko"))


@dataclass(frozen=True)
class Tangent:
    """The tangent to f at one element xᵢ: its slope is the engine's gradient there."""

    x: float
    y: float
    slope: float
    xs: tuple[float, ...]
    ys: tuple[float, ...]


@dataclass(frozen=True)
class PlotData:
    """f drawn over the leaf's values, and the tangent at each element."""

    title: str
    leaf: str
    xs: np.ndarray
    ys: np.ndarray
    tangents: tuple[Tangent, ...]


def latest_gradient(snapshots: Sequence[Snapshot]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each leaf with a grad in the latest snapshot that has one: name → (values, grad)."""
    for snapshot in reversed(snapshots):
        found = {
            name: (variable.tensor.values, variable.tensor.grad)
            for name, variable in snapshot.variables.items()
            if variable.tensor is not None
            and variable.tensor.grad is not None
            and variable.tensor.is_leaf
        }
        if found:
            return found
    return {}


def backward_outputs(snapshots: Sequence[Snapshot]) -> list[str]:
    """The variables the program called `.backward()` on, latest first."""
    names: list[str] = []
    for snapshot in reversed(snapshots):
        if snapshot.kind != "backward-node":
            continue
        tree = ast.parse(snapshot.statement.text)
        call = tree.body[0].value if tree.body and isinstance(tree.body[0], ast.Expr) else None
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
            target = call.func.value
            if isinstance(target, ast.Name) and target.id not in names:
                names.append(target.id)
    return names


def plot_data(lesson: Lesson, snapshots: Sequence[Snapshot]) -> PlotData:
    """The lesson's elementwise function whose derivative is the engine's x.grad, and tangents."""
    grads = latest_gradient(snapshots)
    if not grads:
        raise MathError(NO_GRAD)
    candidates: list[tuple[str, Any]] = []
    for source in reversed(derivative_sources(lesson)):
        try:
            candidates.append((source.wrt, function_of(lesson, source)))
        except MathError:
            continue
    candidates += _lifted(lesson, snapshots)
    for wrt, function in candidates:
        if wrt in grads:
            data = _fit(function, wrt, *grads[wrt])
            if data is not None:
                return data
    raise MathError(NO_PLOT)


def _lifted(lesson: Lesson, snapshots: Sequence[Snapshot]) -> list[tuple[str, Any]]:
    from tutor.symbolic.lift import LiftError, lift

    found = []
    for output in backward_outputs(snapshots):
        try:
            lifted = lift(lesson.program)
            function = lifted.function(output)
        except LiftError:
            continue
        for leaf in lifted.leaf_names:
            found.append((leaf, function))
    return found


def _fit(function: Any, wrt: str, values: np.ndarray, grad: np.ndarray) -> PlotData | None:
    """PlotData when f is a function of `wrt` alone whose derivative matches the grad."""
    import sympy

    from tutor.symbolic.functions import elementwise_sum, symbol, to_sympy_builtin

    var = symbol(wrt)
    if function.free_symbols - {var} or var not in function.free_symbols:
        return None
    elementwise = function.replace(elementwise_sum, lambda a: a)
    plain = to_sympy_builtin(elementwise)
    points = np.asarray(values, dtype=np.float64).ravel()
    slopes = np.asarray(grad, dtype=np.float64).ravel()
    if points.shape != slopes.shape or points.size == 0:
        return None
    f = _numeric(var, plain)
    derivative = _numeric(var, sympy.diff(plain, var))
    expected = derivative(points)
    if not np.all(np.abs(expected - slopes) <= 1e-4 + 1e-4 * np.abs(slopes)):
        return None
    low, high = float(points.min()), float(points.max())
    pad = max(1.0, 0.5 * (high - low))
    xs = np.linspace(low - pad, high + pad, PLOT_POINTS)
    half = (high - low + 2 * pad) / 12
    tangents = []
    for x, slope in zip(points, slopes, strict=True):
        y = float(f(np.array([x]))[0])
        tx = (float(x - half), float(x + half))
        tangents.append(
            Tangent(float(x), y, float(slope), tx, tuple(y + float(slope) * (t - x) for t in tx))
        )
    from tutor.symbolic.render_math import TEXT

    title = f"f({wrt}) = {TEXT.expr(elementwise)}"
    expanded = sympy.expand(elementwise)
    if expanded != elementwise and sympy.count_ops(expanded) <= sympy.count_ops(elementwise) + 2:
        title += f" = {TEXT.expr(expanded)}"
    return PlotData(title, wrt, xs, f(xs), tuple(tangents))


def _numeric(var: Any, expr: Any) -> Any:
    """expr as a function of numpy arrays of `var` (NaN where it is undefined)."""
    from tutor.symbolic.probe import Unsupported, evaluate_at

    def evaluate(points: np.ndarray) -> np.ndarray:
        try:
            return np.broadcast_to(evaluate_at(expr, {var: points}), points.shape).astype(float)
        except Unsupported:
            return np.full(points.shape, np.nan)

    return evaluate
