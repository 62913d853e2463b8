"""Provides tutor.checking."""
