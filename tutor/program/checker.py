"""Provides check_program: the static whitelist walk that refuses a program before any of it runs."""

from __future__ import annotations

import ast
import builtins

from tutor.program.errors import Refusal
from tutor.program.limits import MAX_NESTING, MAX_SOURCE_BYTES
from tutor.program.whitelist import (
    ALL_ATTRIBUTES,
    ASSIGNABLE_TENSOR_ATTRIBUTES,
    FORBIDDEN_NAMES,
    IMPORTABLE,
    MODULE_ATTRIBUTES,
    SAFE_BUILTINS,
)

_STATEMENTS = (
    ast.Expr,
    ast.Assign,
    ast.AugAssign,
    ast.For,
    ast.If,
    ast.With,
    ast.Pass,
    ast.Break,
    ast.Continue,
    ast.Delete,
    ast.Import,
    ast.ImportFrom,
)
_EXPRESSIONS = (
    ast.Constant,
    ast.Name,
    ast.Attribute,
    ast.Subscript,
    ast.Slice,
    ast.Tuple,
    ast.List,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.Call,
    ast.IfExp,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.keyword,
)
_PLAIN = (ast.expr_context, ast.operator, ast.unaryop, ast.boolop, ast.cmpop, ast.alias)

_NAMED_REFUSALS = {
    ast.Lambda: "lambda is not supported",
    ast.FunctionDef: "def is not supported: lesson programs are straight-line PyTorch",
    ast.AsyncFunctionDef: "def is not supported: lesson programs are straight-line PyTorch",
    ast.ClassDef: "class is not supported: lesson programs are straight-line PyTorch",
    ast.While: "while loops are not supported; use `for i in range(n)`",
    ast.Try: "try is not supported",
    ast.Raise: "raise is not supported",
    ast.Global: "global is not supported",
    ast.Nonlocal: "nonlocal is not supported",
    ast.Starred: "starred expressions (*args) are not supported",
    ast.ListComp: "comprehensions are not supported; use a for loop",
    ast.SetComp: "comprehensions are not supported; use a for loop",
    ast.DictComp: "comprehensions are not supported; use a for loop",
    ast.GeneratorExp: "generator expressions are not supported; use a for loop",
    ast.Dict: "dicts are not supported",
    ast.Set: "sets are not supported",
    ast.NamedExpr: "the walrus operator := is not supported",
    ast.Await: "await is not supported",
    ast.Yield: "yield is not supported",
    ast.YieldFrom: "yield is not supported",
    ast.AnnAssign: "annotated assignments are not supported",
    ast.Assert: "assert is not supported; use print",
    ast.Return: "return is not supported",
    ast.Match: "match is not supported",
}


def parse_program(source: str | bytes, filename: str = "<program>") -> ast.Module:
    """Parse and check a whole program; raise Refusal (with its line) if any of it is refused."""
    text = _decode(source)
    try:
        tree = ast.parse(text, filename=filename)
    except SyntaxError as exc:
        raise Refusal(f"SyntaxError: {exc.msg}", exc.lineno or 1) from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise Refusal(f"the program cannot be parsed: {_reason(exc)}", 1) from None
    check_tree(tree)
    _check_loop_control(tree.body, in_loop=False)
    return tree


def parse_expression(text: str) -> ast.Expression:
    """Parse and check one expression (the course evaluates these on a Stepper's live state)."""
    if len(text.encode("utf-8", "replace")) > MAX_SOURCE_BYTES:
        raise Refusal(f"the expression is over {MAX_SOURCE_BYTES:,} bytes", 1)
    if _bracket_depth(text) > MAX_NESTING:
        raise Refusal(f"nesting over {MAX_NESTING} deep", 1)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise Refusal(f"SyntaxError: {exc.msg}", exc.lineno or 1) from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise Refusal(f"the expression cannot be parsed: {_reason(exc)}", 1) from None
    check_tree(tree)
    return tree


def _decode(source: str | bytes) -> str:
    if isinstance(source, bytes):
        if len(source) > MAX_SOURCE_BYTES:
            raise Refusal(f"the source is over {MAX_SOURCE_BYTES:,} bytes", 1)
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise Refusal(f"the source is not UTF-8 ({exc.reason})", 1) from None
    if len(source.encode("utf-8", "replace")) > MAX_SOURCE_BYTES:
        raise Refusal(f"the source is over {MAX_SOURCE_BYTES:,} bytes", 1)
    if "\x00" in source:
        raise Refusal("the source contains a NUL byte", 1)
    if _bracket_depth(source) > MAX_NESTING:
        raise Refusal(f"nesting over {MAX_NESTING} deep", _deepest_line(source))
    return source


def _reason(exc: BaseException) -> str:
    return "nesting too deep" if isinstance(exc, RecursionError | MemoryError) else str(exc)


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    return deepest


def _deepest_line(text: str) -> int:
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for char in line:
            depth += (char in "([{") - (char in ")]}")
            if depth > MAX_NESTING:
                return number
    return 1


def check_tree(tree: ast.AST) -> None:
    """Walk every node (iteratively) against the whitelist and the nesting bound."""
    bound = _bound_names(tree)
    stack: list[tuple[ast.AST, int, int]] = [(tree, 0, 1)]
    while stack:
        node, depth, line = stack.pop()
        line = getattr(node, "lineno", line)
        if depth > MAX_NESTING:
            raise Refusal(f"nesting over {MAX_NESTING} deep", line)
        _check_node(node, bound, line)
        children = list(ast.iter_child_nodes(node))
        stack.extend((child, depth + 1, line) for child in reversed(children))


def _check_loop_control(body: list[ast.stmt], in_loop: bool) -> None:
    for node in body:
        if isinstance(node, ast.Break | ast.Continue) and not in_loop:
            word = "break" if isinstance(node, ast.Break) else "continue"
            raise Refusal(f"SyntaxError: '{word}' outside loop", node.lineno)
        if isinstance(node, ast.For):
            _check_loop_control(node.body, in_loop=True)
        elif isinstance(node, ast.If):
            _check_loop_control(node.body, in_loop)
            _check_loop_control(node.orelse, in_loop)
        elif isinstance(node, ast.With):
            _check_loop_control(node.body, in_loop)


def _bound_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.split(".")[0])
    return names


def _check_node(node: ast.AST, bound: set[str], line: int) -> None:
    kind = type(node)
    if kind in _NAMED_REFUSALS:
        raise Refusal(_NAMED_REFUSALS[kind], line)
    if isinstance(node, ast.Module | ast.Expression | ast.arguments):
        return
    if isinstance(node, _STATEMENTS):
        _check_statement(node, line)
    elif isinstance(node, _EXPRESSIONS):
        _check_expression(node, bound, line)
    elif not isinstance(node, (*_PLAIN, ast.withitem)):
        raise Refusal(f"{kind.__name__} is not supported in lesson programs", line)


def _check_statement(node: ast.stmt, line: int) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            _check_import(alias.name, line)
    elif isinstance(node, ast.ImportFrom):
        module = node.module or ""
        if node.level or module not in IMPORTABLE:
            raise Refusal(f"import from '{'.' * node.level}{module}' is not allowed", line)
        for alias in node.names:
            if alias.name == "*":
                raise Refusal("import * is not supported", line)
            full = f"{module}.{alias.name}"
            if full not in IMPORTABLE and alias.name not in MODULE_ATTRIBUTES[module]:
                raise Refusal(f"'{alias.name}' cannot be imported from '{module}'", line)
    elif isinstance(node, ast.Delete):
        for target in node.targets:
            if not isinstance(target, ast.Name):
                raise Refusal("del is supported only for a variable name", line)
    elif isinstance(node, ast.With):
        for item in node.items:
            _check_with_item(item, line)
    elif isinstance(node, ast.For) and node.orelse:
        raise Refusal("for … else is not supported", line)
    elif isinstance(node, ast.Assign | ast.AugAssign | ast.For):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            _check_target(target, line)


def _check_import(path: str, line: int) -> None:
    if path not in IMPORTABLE:
        raise Refusal(f"import of '{path}' is not allowed: only torch and numpy", line)


def _check_with_item(item: ast.withitem, line: int) -> None:
    context = item.context_expr
    allowed = (
        isinstance(context, ast.Call)
        and not context.args
        and not context.keywords
        and isinstance(context.func, ast.Attribute)
        and context.func.attr in ("no_grad", "enable_grad")
    )
    if not allowed or item.optional_vars is not None:
        raise Refusal("with is supported only as `with torch.no_grad():`", line)


def _check_target(target: ast.expr, line: int) -> None:
    if isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            _check_target(element, line)
    elif isinstance(target, ast.Attribute):
        if target.attr not in ASSIGNABLE_TENSOR_ATTRIBUTES:
            raise Refusal(f"assigning the attribute '{target.attr}' is not supported", line)
    elif not isinstance(target, ast.Name | ast.Subscript):
        raise Refusal(f"cannot assign to {type(target).__name__}", line)


def _check_expression(node: ast.AST, bound: set[str], line: int) -> None:
    if isinstance(node, ast.Name):
        _check_name(node.id, bound, line)
    elif isinstance(node, ast.Attribute):
        _check_attribute(node.attr, line)
    elif isinstance(node, ast.keyword) and node.arg is None:
        raise Refusal("**kwargs is not supported", line)
    elif isinstance(node, ast.Constant) and isinstance(node.value, bytes):
        raise Refusal("bytes literals are not supported", line)
    elif _is_print_to_file(node):
        raise Refusal("print(file=…) is not supported", line)


def _is_print_to_file(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "print"
        and any(k.arg == "file" for k in node.keywords)
    )


def _check_name(name: str, bound: set[str], line: int) -> None:
    if name.startswith("__") or name.endswith("__"):
        raise Refusal(f"the name '{name}' is not allowed: dunder names are off limits", line)
    if name in FORBIDDEN_NAMES:
        raise Refusal(f"'{name}' is not allowed: {FORBIDDEN_NAMES[name]}", line)
    if name not in bound and name not in SAFE_BUILTINS and hasattr(builtins, name):
        raise Refusal(f"the builtin '{name}' is not supported in lesson programs", line)


def _check_attribute(name: str, line: int) -> None:
    if name.startswith("_"):
        raise Refusal(f"the attribute '{name}' is not allowed: private and dunder names", line)
    if name not in ALL_ATTRIBUTES:
        raise Refusal(f"the attribute '{name}' is not supported in lesson programs", line)
