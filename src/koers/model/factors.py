"""Descriptors (factors) and their variants: the building blocks of scenarios."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from koers.model.text import Text

__all__ = ["Descriptor", "Key", "Variant"]

Key = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64),
]
"""A short identifier: letters, digits, ``_``, ``.`` and ``-``; it starts with a letter or digit."""


class Variant(BaseModel):
    """One possible state of a descriptor (for an axis: one of its two poles)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    name: Text
    description: Text | None = None


class Descriptor(BaseModel):
    """A factor of the future with mutually exclusive variants."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    name: Text
    description: Text | None = None
    variants: tuple[Variant, ...] = Field(min_length=2)

    def variant(self, key: str) -> Variant | None:
        """The variant with ``key``, or ``None``."""
        return next((variant for variant in self.variants if variant.key == key), None)
