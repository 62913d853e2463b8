"""Provides the whitelists: importable modules, their attributes, safe builtins, object attributes."""

from __future__ import annotations


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# module path -> the attribute names a program may read from it
MODULE_ATTRIBUTES: dict[str, frozenset[str]] = {
    "torch": _names("""
        tensor FloatTensor DoubleTensor LongTensor IntTensor BoolTensor Tensor Size
        ones zeros ones_like zeros_like full full_like empty arange linspace eye
        rand randn randint rand_like randn_like manual_seed
        exp log sqrt abs sin cos tan tanh sigmoid relu neg square sign floor ceil round
        sum mean max min prod argmax argmin matmul mm mv dot bmm cat stack
        add sub mul div pow clamp maximum minimum where softmax log_softmax
        reshape transpose t squeeze unsqueeze flatten clone allclose equal is_tensor
        no_grad enable_grad is_grad_enabled
        float16 float32 float64 float double half int64 long int32 int bool
        nn
        """),
    "torch.nn": frozenset({"functional"}),
    "torch.nn.functional": _names("""
        relu sigmoid tanh softmax log_softmax mse_loss l1_loss linear
        cross_entropy nll_loss binary_cross_entropy
        """),
    "numpy": _names("array float32 float64 int64 allclose"),
}

# the top-level module a dotted import path must start with, and the paths allowed
IMPORTABLE = frozenset(MODULE_ATTRIBUTES)

TENSOR_ATTRIBUTES = _names("""
    grad grad_fn requires_grad is_leaf retains_grad shape dtype data T mT ndim device
    backward retain_grad detach detach_ requires_grad_ zero_ numpy item tolist
    size dim numel element_size clone contiguous float double long int bool half to type
    add add_ sub sub_ mul mul_ div div_ pow pow_ neg neg_ abs abs_ exp exp_ log log_
    sqrt sqrt_ sin cos tan tanh tanh_ sigmoid sigmoid_ relu relu_ square sign
    clamp clamp_ floor ceil round fill_ copy_ normal_ uniform_
    sum mean max min prod std var norm argmax argmin softmax log_softmax
    matmul mm mv dot bmm reshape view view_as flatten t permute transpose
    unsqueeze squeeze expand expand_as repeat new_ones new_zeros new_full new_tensor
    eq ne lt le gt ge equal allclose all any
    is_floating_point is_contiguous
    """)

NODE_ATTRIBUTES = frozenset({"name", "next_functions", "variable", "metadata"})

SIZE_ATTRIBUTES = frozenset({"numel", "count", "index"})

DTYPE_ATTRIBUTES = frozenset({"is_floating_point", "itemsize"})

NDARRAY_ATTRIBUTES = _names(
    "shape dtype ndim size T tolist item sum mean max min round copy reshape astype"
)

RESULT_TUPLE_ATTRIBUTES = frozenset({"values", "indices", "count", "index"})

STR_ATTRIBUTES = _names("upper lower strip split startswith endswith")

LIST_ATTRIBUTES = _names("append pop index count copy reverse clear")

TUPLE_ATTRIBUTES = frozenset({"count", "index"})

NUMBER_ATTRIBUTES = frozenset({"is_integer", "real", "imag"})

# every attribute name some object type allows: anything else is refused before running
ALL_ATTRIBUTES = (
    frozenset().union(*MODULE_ATTRIBUTES.values())
    | TENSOR_ATTRIBUTES
    | NODE_ATTRIBUTES
    | SIZE_ATTRIBUTES
    | DTYPE_ATTRIBUTES
    | NDARRAY_ATTRIBUTES
    | RESULT_TUPLE_ATTRIBUTES
    | STR_ATTRIBUTES
    | LIST_ATTRIBUTES
    | NUMBER_ATTRIBUTES
)

# attributes a program may assign: `x.grad = None`, `x.requires_grad = True`, `x.data = …`
ASSIGNABLE_TENSOR_ATTRIBUTES = frozenset({"grad", "requires_grad", "data"})

SAFE_BUILTINS = _names("""
    print len range float int bool str repr round abs min max sum list tuple
    enumerate zip sorted reversed any all True False None
    """)

# names refused wherever they appear, with the reason shown to the author
FORBIDDEN_NAMES = {
    name: "it could reach outside the program"
    for name in _names("""
    eval exec compile open getattr setattr delattr hasattr __import__ globals locals vars
    dir type object super breakpoint input help memoryview classmethod staticmethod property
    exit quit id hash iter next callable issubclass isinstance format bytes bytearray
    """)
}
