"""Provides `torch.optim`: SGD, Adam, AdamW and RMSprop over a model's parameters."""

from .adam import Adam, AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "RMSprop"]
