"""Provides check_tree: the static walk of every node of a parsed program against the whitelist
and the nesting bound, refusing what falls outside the subset before any of it runs."""

from __future__ import annotations

import ast
import builtins

from tutor.program.errors import Refusal
from tutor.program.forms import Bindings, bindings
from tutor.program.limits import MAX_NESTING
from tutor.program.whitelist import (
    ALL_ATTRIBUTES,
    FORBIDDEN_NAMES,
    IMPORTABLE,
    LIBRARIES,
    MODULE_PATHS,
    SAFE_BUILTINS,
    SPECIAL_METHODS,
    unavailable,
)

_STATEMENTS = (
    ast.Expr,
    ast.Assign,
    ast.AugAssign,
    ast.AnnAssign,
    ast.For,
    ast.While,
    ast.If,
    ast.With,
    ast.Try,
    ast.Raise,
    ast.Assert,
    ast.FunctionDef,
    ast.ClassDef,
    ast.Return,
    ast.Global,
    ast.Nonlocal,
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
    ast.Set,
    ast.Dict,
    ast.Starred,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.Call,
    ast.IfExp,
    ast.Lambda,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.keyword,
)
_PLAIN = (
    ast.expr_context,
    ast.operator,
    ast.unaryop,
    ast.boolop,
    ast.cmpop,
    ast.alias,
    ast.arg,
    ast.arguments,
    ast.withitem,
    ast.ExceptHandler,
)

_NAMED_REFUSALS = {
    ast.AsyncFunctionDef: "async def is not supported",
    ast.AsyncFor: "async for is not supported",
    ast.AsyncWith: "async with is not supported",
    ast.TryStar: "except* is not supported",
    ast.NamedExpr: "the walrus operator := is not supported",
    ast.Await: "await is not supported",
    ast.Yield: "yield (generators) is not supported; use a list or a generator expression",
    ast.YieldFrom: "yield (generators) is not supported; use a list or a generator expression",
    ast.Match: "match is not supported",
}


def check_tree(tree: ast.AST, program: Bindings | None = None) -> None:
    """Walk every node (iteratively) against the whitelist and the nesting bound."""
    bound = bindings(tree)
    if program is not None:
        bound = Bindings(bound.names | program.names, bound.attributes | program.attributes)
    stack: list[tuple[ast.AST, int, int, bool]] = [(tree, 0, 1, False)]
    while stack:
        node, depth, line, in_class = stack.pop()
        line = getattr(node, "lineno", line)
        if depth > MAX_NESTING:
            raise Refusal(f"nesting over {MAX_NESTING} deep", line)
        _check_node(node, bound, line, in_class)
        children = list(ast.iter_child_nodes(node))
        body = set(map(id, node.body)) if isinstance(node, ast.ClassDef) else set()
        stack.extend((c, depth + 1, line, id(c) in body) for c in reversed(children))


def _check_node(node: ast.AST, bound: Bindings, line: int, in_class: bool) -> None:
    kind = type(node)
    if kind in _NAMED_REFUSALS:
        raise Refusal(_NAMED_REFUSALS[kind], line)
    if isinstance(node, ast.Module | ast.Expression):
        return
    if isinstance(node, _STATEMENTS):
        _check_statement(node, line, in_class)
    elif isinstance(node, _EXPRESSIONS):
        _check_expression(node, bound, line)
    elif isinstance(node, ast.comprehension):
        if node.is_async:
            raise Refusal("async comprehensions are not supported", line)
    elif not isinstance(node, _PLAIN):
        raise Refusal(f"{kind.__name__} is not supported in lesson programs", line)


def _check_statement(node: ast.stmt, line: int, in_class: bool) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            _check_import(alias.name, line)
    elif isinstance(node, ast.ImportFrom):
        _check_import_from(node, line)
    elif isinstance(node, ast.Delete):
        for target in node.targets:
            if not isinstance(target, ast.Name | ast.Subscript):
                raise Refusal("del is supported only for a variable or an item", line)
    elif isinstance(node, ast.With):
        for item in node.items:
            _check_with_item(item, line)
    elif isinstance(node, ast.FunctionDef | ast.ClassDef):
        _check_definition(node, line, in_class)
    elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.For):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            _check_target(target, line)
            if in_class:
                _check_class_names(target, line)


def _check_import(path: str, line: int) -> None:
    if path in IMPORTABLE:
        return
    parts = path.split(".")
    if parts[0] in LIBRARIES:  # the first part of the library that is not available
        depth = next(d for d in range(2, len(parts) + 1) if ".".join(parts[:d]) not in IMPORTABLE)
        raise Refusal(unavailable(".".join(parts[: depth - 1]), parts[depth - 1]), line)
    raise Refusal(f"import of '{path}' is not allowed: only torch, numpy, math and random", line)


def _check_import_from(node: ast.ImportFrom, line: int) -> None:
    module = node.module or ""
    if module == "__future__" and not node.level:
        return
    if not node.level and module not in IMPORTABLE:
        _check_import(module, line)
    if node.level or module not in IMPORTABLE:
        raise Refusal(f"import from '{'.' * node.level}{module}' is not allowed", line)
    for alias in node.names:
        if alias.name == "*":
            raise Refusal("import * is not supported", line)
        full = f"{module}.{alias.name}"
        if full not in IMPORTABLE and alias.name not in MODULE_PATHS[module]:
            if module.partition(".")[0] in LIBRARIES:
                raise Refusal(unavailable(module, alias.name), line)
            raise Refusal(f"'{alias.name}' cannot be imported from '{module}'", line)


def _check_definition(node: ast.FunctionDef | ast.ClassDef, line: int, in_class: bool) -> None:
    if in_class:
        _check_class_name(node.name, line)
    else:
        _check_name(node.name, None, line)
    if isinstance(node, ast.ClassDef):
        if node.decorator_list:
            raise Refusal("class decorators are not supported", line)
        if node.keywords:
            raise Refusal("class keywords (metaclass=…) are not supported", line)
        return
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if not isinstance(target, ast.Name | ast.Attribute):
            raise Refusal("a decorator must name a function: @name, @a.b or @a.b()", line)


def _check_class_names(target: ast.expr, line: int) -> None:
    for node in ast.walk(target):
        if isinstance(node, ast.Name):
            _check_class_name(node.id, line)


def _check_class_name(name: str, line: int) -> None:
    if name.startswith("_") and name not in SPECIAL_METHODS:
        raise Refusal(f"a class may not define '{name}': private and dunder names", line)


# the grad modes a `with` may enter, and how many arguments each takes
GRAD_MODES = {"no_grad": 0, "enable_grad": 0, "inference_mode": 0, "set_grad_enabled": 1}
WITH_FORMS = "with is supported only for torch's grad modes: `with torch.no_grad():` and the like"


def _check_with_item(item: ast.withitem, line: int) -> None:
    context = item.context_expr
    allowed = (
        isinstance(context, ast.Call)
        and isinstance(context.func, ast.Attribute)
        and context.func.attr in GRAD_MODES
        and len(context.args) + len(context.keywords) == GRAD_MODES[context.func.attr]
        and all(k.arg for k in context.keywords)
        and not any(isinstance(a, ast.Starred) for a in context.args)
    )
    if not allowed or item.optional_vars is not None:
        raise Refusal(WITH_FORMS, line)


def _check_target(target: ast.expr, line: int) -> None:
    if isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            _check_target(element, line)
    elif isinstance(target, ast.Starred):
        raise Refusal("starred assignment targets (a, *b = …) are not supported", line)
    elif isinstance(target, ast.Attribute):
        if target.attr.startswith("_"):
            raise Refusal(f"assigning the attribute '{target.attr}' is not allowed", line)
    elif not isinstance(target, ast.Name | ast.Subscript):
        raise Refusal(f"cannot assign to {type(target).__name__}", line)


def _check_expression(node: ast.AST, bound: Bindings, line: int) -> None:
    if isinstance(node, ast.Name):
        _check_name(node.id, bound, line, isinstance(node.ctx, ast.Load))
    elif isinstance(node, ast.Attribute):
        _check_attribute(node.attr, bound, line)
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


def _check_name(name: str, bound: Bindings | None, line: int, load: bool = False) -> None:
    if name == "__name__" and load:
        return
    if name.startswith("__") or name.endswith("__"):
        raise Refusal(f"the name '{name}' is not allowed: dunder names are off limits", line)
    if bound is None:
        return
    if name in FORBIDDEN_NAMES and name not in bound.names:
        raise Refusal(f"'{name}' is not allowed: {FORBIDDEN_NAMES[name]}", line)
    if name not in bound.names and name not in SAFE_BUILTINS and hasattr(builtins, name):
        raise Refusal(f"the builtin '{name}' is not supported in lesson programs", line)


_READABLE_DUNDERS = frozenset({"__init__", "__name__"})


def _check_attribute(name: str, bound: Bindings, line: int) -> None:
    if name in _READABLE_DUNDERS:
        return
    if name.startswith("_"):
        raise Refusal(f"the attribute '{name}' is not allowed: private and dunder names", line)
    if name not in ALL_ATTRIBUTES and name not in bound.attributes:
        raise Refusal(f"the attribute '{name}' is not supported in lesson programs", line)
