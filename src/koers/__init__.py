"""Koers: scenario planning and early warning for local government."""

__version__ = "0.1.0"
