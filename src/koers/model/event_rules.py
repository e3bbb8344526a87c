"""The rules of a study's events and their cross-impacts: references and unique keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from koers.model.problems import Problems

if TYPE_CHECKING:
    from koers.model.study import Study

__all__ = ["event_problems"]


def event_problems(study: Study) -> Problems:
    """Every broken rule of the events and their cross-impacts of ``study``."""
    yield from ()
