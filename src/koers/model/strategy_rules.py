"""The rules of a study's strategy review: references that must exist, keys that must be unique."""

from __future__ import annotations

from typing import TYPE_CHECKING

from koers.model.problems import Problems

if TYPE_CHECKING:
    from koers.model.study import Study

__all__ = ["strategy_problems"]


def strategy_problems(study: Study) -> Problems:
    """Every broken rule of the strategy review of ``study``."""
    yield from ()
