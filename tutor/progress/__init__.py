"""Provides tutor.progress."""
