"""Provides the backward node classes, one per PyTorch node name, grouped by family."""
