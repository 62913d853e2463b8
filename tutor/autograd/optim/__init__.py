"""Provides `torch.optim`: SGD, Adam and AdamW over a model's parameters."""

from .adam import Adam, AdamW
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["SGD", "Adam", "AdamW", "Optimizer"]
