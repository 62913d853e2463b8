"""Provides PyTorch 2.13's tensor repr (default print options) for numpy arrays."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

PRECISION = 4
THRESHOLD = 1000
EDGEITEMS = 3
LINEWIDTH = 80
PREFIX = "tensor("

_NUMPY_DTYPES: dict[str, type[np.generic]] = {
    "float32": np.float32,
    "float64": np.float64,
    "int64": np.int64,
    "int32": np.int32,
    "int16": np.int16,
    "int8": np.int8,
    "uint8": np.uint8,
    "bool": np.bool_,
}
# PyTorch leaves the dtype out of a non-empty tensor's repr when it can be told from the values.
_IMPLIED_DTYPES = frozenset({"float32", "int64", "bool"})


def format_size(shape: Iterable[int]) -> str:
    """What `repr(t.shape)` shows: `torch.Size([2, 2])`, `torch.Size([])`."""
    return "torch.Size([" + ", ".join(str(int(n)) for n in shape) + "])"


def format_tensor(
    data: np.ndarray,
    *,
    dtype: str,
    grad_fn: str | None = None,
    requires_grad: bool = False,
) -> str:
    """What `repr(t)` shows in PyTorch 2.13 (CPU) for a tensor `t` holding `data`.

    `grad_fn` is a node name such as "MulBackward0"; when given, it is shown instead of
    `requires_grad=True`, as PyTorch does for non-leaf tensors.
    """
    if dtype not in _NUMPY_DTYPES:
        raise ValueError(f"unsupported dtype {dtype!r}; expected one of {sorted(_NUMPY_DTYPES)}")
    values = np.asarray(data, dtype=_NUMPY_DTYPES[dtype])
    indent = len(PREFIX)
    suffixes: list[str] = []
    if values.size == 0:
        body = "[]"
        if values.ndim != 1:
            suffixes.append(f"size={tuple(int(n) for n in values.shape)}")
        if dtype != "float32":
            suffixes.append(f"dtype=torch.{dtype}")
    else:
        body = _tensor_body(values, indent)
        if dtype not in _IMPLIED_DTYPES:
            suffixes.append(f"dtype=torch.{dtype}")
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{grad_fn}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(PREFIX + body, suffixes, indent)


class _ElementFormat:
    """How every element of one tensor is written: one mode and one common width."""

    __slots__ = ("is_float", "int_mode", "sci_mode", "width")

    def __init__(
        self, is_float: bool, int_mode: bool = False, sci_mode: bool = False, width: int = 1
    ) -> None:
        self.is_float = is_float
        self.int_mode = int_mode
        self.sci_mode = sci_mode
        self.width = width

    @classmethod
    def for_values(cls, values: np.ndarray) -> _ElementFormat:
        """Choose the mode from the (summarized) values and the width from the widest entry.

        Floats: whole numbers print as `1.`; scientific notation when the nonzero finite
        magnitudes span more than 1000x, exceed 1e8 or go below 1e-4. Only nonzero finite
        values count towards the width.
        """
        flat = values.reshape(-1)
        if flat.dtype.kind != "f":
            return cls(is_float=False, width=max([1, *(len(str(v)) for v in flat.tolist())]))
        shown = flat[np.isfinite(flat) & (flat != 0)]
        if shown.size == 0:
            return cls(is_float=True, int_mode=True)
        magnitudes = np.abs(shown).astype(np.float64)
        smallest, largest = float(magnitudes.min()), float(magnitudes.max())
        probe = cls(
            is_float=True,
            int_mode=bool(np.all(shown == np.ceil(shown))),
            sci_mode=largest / smallest > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4,
        )
        width = max(len(probe.unpadded(v)) for v in shown.tolist())
        return cls(probe.is_float, probe.int_mode, probe.sci_mode, max(1, width))

    def unpadded(self, value: float | int | bool) -> str:
        """One element as PyTorch writes it, before right-alignment."""
        if not self.is_float:
            return str(value)
        if self.sci_mode:
            return f"{value:.{PRECISION}e}"
        if self.int_mode:
            text = f"{value:.0f}"
            return text if math.isnan(value) or math.isinf(value) else text + "."
        return f"{value:.{PRECISION}f}"

    def format(self, value: float | int | bool) -> str:
        """One element, right-aligned to the common width."""
        return self.unpadded(value).rjust(self.width)


def _tensor_body(values: np.ndarray, indent: int) -> str:
    """The bracketed contents of a non-empty tensor, summarized past THRESHOLD elements."""
    summarize = values.size > THRESHOLD
    element_format = _ElementFormat.for_values(_summarized(values) if summarize else values)
    if values.ndim == 0:
        return element_format.format(values.item())
    return _nested(values, indent, summarize, element_format)


def _summarized(values: np.ndarray) -> np.ndarray:
    """Only the values a summarized print shows: EDGEITEMS at each end of every long dim."""
    kept = [
        np.r_[0:EDGEITEMS, n - EDGEITEMS : n] if n > 2 * EDGEITEMS else np.arange(n)
        for n in values.shape
    ]
    return values[np.ix_(*kept)]


def _edges(length: int, summarize: bool) -> tuple[range, range] | None:
    """The index ranges shown either side of `...`, or None when the dim is shown whole."""
    if summarize and length > 2 * EDGEITEMS:
        return range(EDGEITEMS), range(length - EDGEITEMS, length)
    return None


def _nested(values: np.ndarray, indent: int, summarize: bool, fmt: _ElementFormat) -> str:
    """One bracketed level; 3-d and deeper blocks are separated by ndim-2 blank lines."""
    if values.ndim == 1:
        return _row(values, indent, summarize, fmt)
    edges = _edges(values.shape[0], summarize)
    if edges is None:
        parts = [_nested(sub, indent + 1, summarize, fmt) for sub in values]
    else:
        head, tail = edges
        parts = [_nested(values[i], indent + 1, summarize, fmt) for i in head]
        parts.append("...")
        parts.extend(_nested(values[i], indent + 1, summarize, fmt) for i in tail)
    separator = "," + "\n" * (values.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(parts) + "]"


def _row(values: np.ndarray, indent: int, summarize: bool, fmt: _ElementFormat) -> str:
    """A 1-d level, wrapped so each line holds as many elements as fit in LINEWIDTH."""
    edges = _edges(values.shape[0], summarize)
    if edges is None:
        cells = [fmt.format(v) for v in values.tolist()]
    else:
        head, tail = edges
        cells = [fmt.format(v) for v in values[: len(head)].tolist()]
        cells.append(" ...")
        cells.extend(fmt.format(v) for v in values[tail.start :].tolist())
    per_line = max(1, (LINEWIDTH - indent) // (fmt.width + 2))
    lines = [", ".join(cells[i : i + per_line]) for i in range(0, len(cells), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    """Append `, suffix` items, moving one to its own line when it would pass LINEWIDTH.

    PyTorch counts the last line as two characters longer than it is; kept for fidelity.
    """
    pieces = [text]
    line_length = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if line_length + len(suffix) + 2 > LINEWIDTH:
            pieces.append(",\n" + " " * indent + suffix)
            line_length = indent + len(suffix)
        else:
            pieces.append(", " + suffix)
            line_length += len(suffix) + 2
    pieces.append(")")
    return "".join(pieces)
