"""Provides the tutor's screens: home, lesson, playground and review."""
