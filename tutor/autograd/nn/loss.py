"""Provides the loss modules — MSELoss, L1Loss, SmoothL1Loss, HuberLoss, NLLLoss,
CrossEntropyLoss, BCELoss, BCEWithLogitsLoss — each calling its `torch.nn.functional` op with
the reduction it was made with."""

from __future__ import annotations

from . import functional as F
from .module import MODULE_ATTRIBUTES, Module

_REDUCTIONS = ("none", "mean", "sum")


class _Loss(Module):
    __tutor_attributes__ = MODULE_ATTRIBUTES | {"reduction"}

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__()
        if size_average is not None or reduce is not None:
            reduction = legacy_reduction(size_average, reduce)
        if reduction not in _REDUCTIONS:
            raise ValueError(f"{reduction} is not a valid value for reduction")
        self.reduction = reduction


def legacy_reduction(size_average, reduce) -> str:
    """The reduction the deprecated `size_average=`/`reduce=` arguments name, with PyTorch's
    warning: averaged unless size_average is false, reduced unless reduce is false."""
    import warnings

    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    reduction = ("mean" if size_average else "sum") if reduce else "none"
    warnings.warn(
        "size_average and reduce args will be deprecated, please use "
        f"reduction='{reduction}' instead.",
        UserWarning,
        stacklevel=3,
    )
    return reduction


class MSELoss(_Loss):
    """mean((input − target)²)."""

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """mean(|input − target|)."""

    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """Squared below beta, absolute above."""

    __tutor_attributes__ = _Loss.__tutor_attributes__ | {"beta"}

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean", beta: float = 1.0):
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input, target):
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """Squared below delta, delta·absolute above."""

    __tutor_attributes__ = _Loss.__tutor_attributes__ | {"delta"}

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input, target):
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class NLLLoss(_Loss):
    """−input[target], averaged."""

    __tutor_attributes__ = _Loss.__tutor_attributes__ | {"ignore_index"}

    def __init__(
        self,
        weight=None,
        size_average=None,
        ignore_index: int = -100,
        reduce=None,
        reduction="mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.weight = weight
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(
            input,
            target,
            weight=self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
        )


class CrossEntropyLoss(_Loss):
    """nll_loss(log_softmax(input, 1), target)."""

    __tutor_attributes__ = _Loss.__tutor_attributes__ | {"ignore_index", "label_smoothing"}

    def __init__(
        self,
        weight=None,
        size_average=None,
        ignore_index: int = -100,
        reduce=None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.weight = weight
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(
            input,
            target,
            weight=self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class BCELoss(_Loss):
    """−(t·log p + (1 − t)·log(1 − p)), averaged."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.weight = weight

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """BCELoss of sigmoid(input), computed stably."""

    def __init__(
        self, weight=None, size_average=None, reduce=None, reduction: str = "mean", pos_weight=None
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.weight = weight
        self.pos_weight = pos_weight

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(
            input, target, weight=self.weight, reduction=self.reduction, pos_weight=self.pos_weight
        )


for _cls in (
    MSELoss,
    L1Loss,
    SmoothL1Loss,
    HuberLoss,
    NLLLoss,
    CrossEntropyLoss,
    BCELoss,
    BCEWithLogitsLoss,
):
    _cls.__module__ = "torch.nn.modules.loss"
