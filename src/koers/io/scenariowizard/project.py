"""The ScenarioWizard 4 project (.scw): what the file holds, checked against its matrix."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from koers.errors import Problem, ValidationError
from koers.methods.cib.matrix import CrossImpactMatrix

__all__ = ["SCW_BOUND", "ScenarioWizardProject"]

SCW_BOUND = 99
"""Largest absolute judgement :func:`read_scw` accepts unless told otherwise."""

_WHITE = "FFFFFF"
_COLOUR = re.compile(r"[0-9A-Fa-f]{6}")


@dataclass(frozen=True)
class ScenarioWizardProject:
    """Everything a ScenarioWizard 4 project file holds.

    Only ``title`` and ``matrix`` are needed; the other fields default to what ScenarioWizard
    writes for a new project (blank short names and texts, white colours).

    Parameters
    ----------
    title : str
    matrix : CrossImpactMatrix
    short_names : tuple of str
        Short name per descriptor.
    variant_short_names : tuple of tuple of str
        Short name per variant, grouped by descriptor.
    colours : tuple of tuple of str
        Display colour per variant as six hex digits (``"FFFFFF"``), grouped by descriptor.
    project_text : str
        Free text on the project.
    descriptor_texts : tuple of str
        Free text per descriptor.
    impact_texts : tuple of tuple of str
        ``impact_texts[i][j]``: free text on the impacts of descriptor i on descriptor j.
    text_tag : str
        The header of the project text block (``"0-0"`` in every known file).
    reserved : tuple of tuple of str
        The lines of the two sections ScenarioWizard leaves empty, kept for round trips.
    version : str
        The format version of the first line.
    newline : str
        Line end used when writing; the one of the file when read. Not compared.
    """

    title: str
    matrix: CrossImpactMatrix
    short_names: tuple[str, ...] = ()
    variant_short_names: tuple[tuple[str, ...], ...] = ()
    colours: tuple[tuple[str, ...], ...] = ()
    project_text: str = ""
    descriptor_texts: tuple[str, ...] = ()
    impact_texts: tuple[tuple[str, ...], ...] = ()
    text_tag: str = "0-0"
    reserved: tuple[tuple[str, ...], ...] = ((), ())
    version: str = "4.0"
    newline: str = field(default="\r\n", compare=False)

    def __post_init__(self) -> None:
        n = len(self.matrix.descriptors)
        variants = self.matrix.variants
        defaults = {
            "short_names": ("",) * n,
            "variant_short_names": tuple(("",) * len(names) for names in variants),
            "colours": tuple((_WHITE,) * len(names) for names in variants),
            "descriptor_texts": ("",) * n,
            "impact_texts": tuple(("",) * n for _ in range(n)),
        }
        problems = []
        for name, default in defaults.items():
            value = getattr(self, name)
            if not value:
                object.__setattr__(self, name, default)
            elif _shape(value) != _shape(default):
                problems.append(Problem(f"{name} does not fit the matrix's descriptors"))
        bad = [c for group in self.colours for c in group if not _COLOUR.fullmatch(c)]
        if bad:
            problems.append(Problem(f"colours are six hex digits (RRGGBB), not {bad[0]!r}"))
        if len(self.reserved) != 2:
            problems.append(Problem("reserved holds the lines of exactly two sections"))
        if self.newline not in ("\r\n", "\n"):
            problems.append(Problem("newline is '\\r\\n' or '\\n'"))
        if problems:
            raise ValidationError(problems)


def _shape(value: Sequence[object]) -> tuple[object, ...]:
    return tuple(_shape(item) if isinstance(item, tuple) else None for item in value)
