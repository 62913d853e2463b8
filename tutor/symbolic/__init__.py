"""Provides the symbolic half of the tutor: parsing typed expressions, derivations as data, equivalence, lifting."""
