"""Provides instructor quiz mode."""
