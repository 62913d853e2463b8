"""Provides the tutor's widgets."""
