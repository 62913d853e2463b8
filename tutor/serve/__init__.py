"""Provides `tutor serve` and the class it serves: rosters (tutor.serve.roster), accounts and
access codes (tutor.serve.accounts), `tutor class` (tutor.serve.class_command). Import the
modules themselves; this package imports nothing."""
