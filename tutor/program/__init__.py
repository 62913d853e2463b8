"""Provides tutor.program."""
