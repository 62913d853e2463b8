"""Provides the autograd tutor: a PyTorch-compatible numpy engine, a safe stepper, sympy derivations and a Textual course."""

__version__ = "0.1.0"
