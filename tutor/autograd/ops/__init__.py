"""Provides the op table: every tensor op declared once — its forward kernel, the node it records
(named as PyTorch names it, its math in the docstring, its derivative written once for numpy
arrays, recorded tensors and sympy values alike) and the names it is reached by."""
