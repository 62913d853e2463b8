"""Provides Functional: torch.nn.functional for a lifting, each loss written out as its formula."""

from __future__ import annotations

from typing import Any

import numpy as np

from tutor.symbolic.leaves import LiftError
from tutor.symbolic.symtensor import SymTensor


class Functional:
    """torch.nn.functional for a lifting: the losses written out as the formulas they are."""

    def __init__(self, torch: Any) -> None:  # the SymbolicTorch it belongs to
        self.torch = torch

    def relu(self, x: Any) -> SymTensor:
        return self.torch.as_tensor(x).relu()

    def sigmoid(self, x: Any) -> SymTensor:
        return self.torch.as_tensor(x).sigmoid()

    def tanh(self, x: Any) -> SymTensor:
        return self.torch.as_tensor(x).tanh()

    def softmax(self, x: Any, dim: int = -1) -> SymTensor:
        return self.torch.as_tensor(x).softmax(dim)

    def log_softmax(self, x: Any, dim: int = -1) -> SymTensor:
        return self.torch.as_tensor(x).log_softmax(dim)

    def linear(self, x: Any, weight: Any, bias: Any = None) -> SymTensor:
        out = self.torch.as_tensor(x) @ self.torch.as_tensor(weight).T
        return out if bias is None else out + bias

    def _reduce(self, loss: SymTensor, reduction: str) -> SymTensor:
        if reduction == "none":
            return loss
        if reduction not in ("mean", "sum"):
            raise ValueError(f"{reduction} is not a valid value for reduction")
        return loss.mean() if reduction == "mean" else loss.sum()

    def mse_loss(self, input: Any, target: Any, reduction: str = "mean") -> SymTensor:  # noqa: A002
        return self._reduce((self.torch.as_tensor(input) - target) ** 2, reduction)

    def l1_loss(self, input: Any, target: Any, reduction: str = "mean") -> SymTensor:  # noqa: A002
        return self._reduce((self.torch.as_tensor(input) - target).abs(), reduction)

    def binary_cross_entropy(self, input: Any, target: Any, reduction: str = "mean"):  # noqa: A002
        p = self.torch.as_tensor(input)
        return self._reduce(
            -(target * p.log() + (1 - p).log() * (1 - self.torch.as_tensor(target))), reduction
        )

    def nll_loss(self, input: Any, target: Any, reduction: str = "mean") -> SymTensor:  # noqa: A002
        scores, classes = self.torch.as_tensor(input), self.torch.as_tensor(target)
        if classes.requires_grad or classes.dtype.is_floating_point:
            raise LiftError("nll_loss needs integer class indices")
        picked = np.array([int(c) for c in classes.array.flat])
        if scores.array.ndim == 1:
            return -scores[int(picked[0])]
        rows = scores.result(scores.array[np.arange(len(picked)), picked], scores)
        return self._reduce(-rows, reduction)

    def cross_entropy(self, input: Any, target: Any, reduction: str = "mean"):  # noqa: A002
        scores = self.torch.as_tensor(input)
        return self.nll_loss(scores.log_softmax(-1), target, reduction)
