"""Provides tutor.course."""
