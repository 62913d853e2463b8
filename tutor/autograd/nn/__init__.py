"""Provides `torch.nn`: here only its `functional` module."""

from . import functional

__all__ = ["functional"]
