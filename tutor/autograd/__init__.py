"""Provides tutor.autograd."""
