"""Provides the whitelists: importable modules, their attributes, safe builtins, object attributes."""

from __future__ import annotations

import importlib.util
import sys

from tutor.autograd import surface


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# module path -> the attribute names a program may read from it: for torch, exactly the names
# the engine has (tutor.autograd.surface); numpy's few names for the bridge between tensors and
# arrays (`.numpy()`, `torch.from_numpy(np.ones(5))`, `np.add(n, 1, out=n)`)
MODULE_ATTRIBUTES: dict[str, frozenset[str]] = {
    **surface.module_attributes(),
    "numpy": _names("array ones zeros add float32 float64 int64 allclose"),
}

TENSOR_ATTRIBUTES = surface.tensor_attributes()

NODE_ATTRIBUTES = frozenset({"name", "next_functions", "variable", "metadata"})

SIZE_ATTRIBUTES = frozenset({"numel", "count", "index"})

DTYPE_ATTRIBUTES = frozenset({"is_floating_point", "itemsize"})

DEVICE_ATTRIBUTES = frozenset({"type", "index"})

NDARRAY_ATTRIBUTES = _names(
    "shape dtype ndim size T tolist item sum mean max min round copy reshape astype"
)

RESULT_TUPLE_ATTRIBUTES = frozenset({"values", "indices", "count", "index"})

STR_ATTRIBUTES = _names("""
    upper lower strip split startswith endswith
    join format replace lstrip rstrip title capitalize count find index splitlines
    isdigit isalpha isspace isupper islower ljust rjust center zfill
    """)

LIST_ATTRIBUTES = _names("append pop index count copy reverse clear extend insert remove sort")

TUPLE_ATTRIBUTES = frozenset({"count", "index"})

DICT_ATTRIBUTES = _names("keys values items get pop popitem setdefault update copy clear")

SET_ATTRIBUTES = _names("""
    add remove discard pop clear copy update union intersection difference
    symmetric_difference issubset issuperset isdisjoint
    """)

NUMBER_ATTRIBUTES = frozenset({"is_integer", "real", "imag"})

EXCEPTION_ATTRIBUTES = frozenset({"args"})

# `@value.setter` inside a class body
PROPERTY_ATTRIBUTES = frozenset({"setter", "getter", "deleter"})

# the libraries besides torch a program may import (a few of their names): a part of one it
# may not use is refused as that library's ("numpy's random module is not available …")
LIBRARIES = frozenset({"numpy"})


def unavailable(path: str, name: str) -> str:
    """Why `path.name` is refused: a library's part named as that library's, an engine's
    missing part by its torch path."""
    library, _, inner = path.partition(".")
    if library not in LIBRARIES:
        return f"'{path}.{name}' is not supported in lesson programs"
    kind = " module" if _is_submodule(path, name) else ""
    what = f"{inner}.{name}" if inner else name
    return f"{library}'s {what}{kind} is not available in lesson programs"


def _is_submodule(path: str, name: str) -> bool:
    """Whether `path.name` is a module, found without running any module's code (only below a
    module already loaded)."""
    if path not in sys.modules:
        return False
    try:
        return importlib.util.find_spec(f"{path}.{name}") is not None
    except (ImportError, ValueError):
        return False


# Python's own modules a program may import: their functions and constants
PYTHON_MODULE_ATTRIBUTES: dict[str, frozenset[str]] = {
    "math": _names("""
        pi e tau inf nan sqrt exp log log2 log10 log1p expm1 pow sin cos tan asin acos atan
        atan2 sinh cosh tanh asinh acosh atanh floor ceil trunc fabs fmod modf copysign hypot
        degrees radians isclose isfinite isinf isnan fsum gcd factorial erf erfc gamma lgamma
        isqrt
        """),
    "random": _names("""
        seed random uniform randint randrange choice choices shuffle gauss normalvariate
        sample
        """),
}

# `from __future__ import …`: every feature is already on in Python 3, so each is a no-op
FUTURE_FEATURES = _names("""
    print_function division absolute_import unicode_literals generators nested_scopes
    with_statement generator_stop annotations
    """)

# engine classes a program's class may subclass, by their path under the torch module, with the
# attributes they give a subclass's objects (besides what the program defines); an engine
# class may instead declare `__tutor_subclassable__ = True` and `__tutor_attributes__`
SUBCLASSABLE: dict[str, frozenset[str]] = {
    "nn.Module": _names("""
        forward parameters named_parameters children named_children modules named_modules
        zero_grad train eval training add_module register_parameter register_buffer
        requires_grad_ state_dict load_state_dict to float double cpu apply
        """),
    "autograd.Function": frozenset({"apply"}),
}

# engine objects whose public attributes a program may set and read (a custom Function's ctx),
# with the engine's attributes they may read
_CONTEXT_ATTRIBUTES = _names("""
    save_for_backward saved_tensors needs_input_grad mark_dirty mark_non_differentiable
    set_materialize_grads
    """)
CONTEXTS: dict[str, frozenset[str]] = {
    "autograd.function.FunctionCtx": _CONTEXT_ATTRIBUTES,
    "autograd.FunctionCtx": _CONTEXT_ATTRIBUTES,
}


def _class_paths() -> dict[str, frozenset[str]]:
    """The module paths a subclassable class is reached by: torch.autograd → {Function}."""
    paths: dict[str, set[str]] = {}
    for path in SUBCLASSABLE:
        parts = ["torch", *path.split(".")]
        for depth in range(1, len(parts)):
            paths.setdefault(".".join(parts[:depth]), set()).add(parts[depth])
    return {path: frozenset(names) for path, names in paths.items()}


# every importable module path and the attributes a program may read from it
MODULE_PATHS: dict[str, frozenset[str]] = {**MODULE_ATTRIBUTES, **PYTHON_MODULE_ATTRIBUTES}
for _path, _extra in _class_paths().items():
    MODULE_PATHS[_path] = MODULE_PATHS.get(_path, frozenset()) | _extra

# the module paths an import may name
IMPORTABLE = frozenset(MODULE_PATHS)

# every attribute name some object type allows: anything else is refused before running
ALL_ATTRIBUTES = (
    frozenset().union(*MODULE_PATHS.values())
    | TENSOR_ATTRIBUTES
    | surface.object_attributes()
    | NODE_ATTRIBUTES
    | SIZE_ATTRIBUTES
    | DTYPE_ATTRIBUTES
    | DEVICE_ATTRIBUTES
    | NDARRAY_ATTRIBUTES
    | RESULT_TUPLE_ATTRIBUTES
    | STR_ATTRIBUTES
    | LIST_ATTRIBUTES
    | DICT_ATTRIBUTES
    | SET_ATTRIBUTES
    | NUMBER_ATTRIBUTES
    | EXCEPTION_ATTRIBUTES
    | PROPERTY_ATTRIBUTES
    | frozenset().union(*SUBCLASSABLE.values(), *CONTEXTS.values())
)

# the special methods a program's class may define (Python calls them for the program)
SPECIAL_METHODS = _names("""
    __init__ __repr__ __str__ __len__ __getitem__ __setitem__ __contains__ __call__ __bool__
    __eq__ __ne__ __lt__ __le__ __gt__ __ge__ __add__ __radd__ __sub__ __rsub__ __mul__
    __rmul__ __truediv__ __rtruediv__ __matmul__ __neg__ __pos__ __abs__
    """)

# the exception classes a program may name, raise, catch and subclass
EXCEPTIONS = _names("""
    Exception ArithmeticError AssertionError AttributeError IndexError KeyError LookupError
    NameError NotImplementedError OverflowError RuntimeError TypeError UnboundLocalError
    ValueError ZeroDivisionError
    """)

# attributes a program may assign: `x.grad = None`, `x.requires_grad = True`, `x.data = …`
ASSIGNABLE_TENSOR_ATTRIBUTES = frozenset({"grad", "requires_grad", "data"})

SAFE_BUILTINS = _names("""
    print len range float int bool str repr round abs min max sum list tuple
    enumerate zip sorted reversed any all True False None
    dict set isinstance type super object staticmethod classmethod property
    """) | frozenset(EXCEPTIONS)

# names refused wherever they appear, with the reason shown to the author (a program may still
# bind such a name itself: `def forward(ctx, input)`)
FORBIDDEN_NAMES = {
    name: "it could reach outside the program"
    for name in _names("""
    eval exec compile open getattr setattr delattr hasattr __import__ globals locals vars
    dir breakpoint input help memoryview exit quit id hash iter next callable issubclass
    format bytes bytearray
    """)
}
