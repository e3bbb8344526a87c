"""Adapters between files and the domain model."""
