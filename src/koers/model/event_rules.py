"""The rules of a study's events and their cross-impacts: references and unique keys.

Events have unique keys; an impact names two different events that exist, each ordered
pair at most once; a time window does not end before it starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from koers.model.problems import Location, Problems, suggest, unique

if TYPE_CHECKING:
    from koers.model.events import Event, EventImpact
    from koers.model.study import Study

__all__ = ["event_list_problems", "event_problems"]


def event_problems(study: Study) -> Problems:
    """Every broken rule of the events and their cross-impacts of ``study``."""
    yield from event_list_problems(study.events, study.event_impacts)


def event_list_problems(events: Sequence[Event], impacts: Sequence[EventImpact]) -> Problems:
    """Every broken rule of ``events`` and ``impacts``, located as in a study.

    Locations start with ``events`` or ``event_impacts`` and the 0-based index of the item.
    """
    yield from unique("events", "events", [event.key for event in events])
    for index, event in enumerate(events):
        if event.start is not None and event.end is not None and event.end < event.start:
            yield (
                ("events", index, "end"),
                f"event '{event.key}' ends on {event.end.isoformat()}, before it starts on "
                f"{event.start.isoformat()}; swap the dates or correct one of them",
            )
    known = [event.key for event in events]
    first: dict[tuple[str, str], int] = {}
    for index, impact in enumerate(impacts):
        where: Location = ("event_impacts", index)
        pair = f"impact of '{impact.source}' on '{impact.target}'"
        for role, key in (("source", impact.source), ("target", impact.target)):
            if key not in known:
                yield (
                    (*where, role),
                    f"{pair}: {role} '{key}' is not an event; {suggest(key, known)}",
                )
        if impact.source == impact.target:
            yield (
                (*where, "target"),
                f"impact of '{impact.source}' on itself: an event does not change its own "
                "probability; choose another target event or remove this impact",
            )
        elif (impact.source, impact.target) in first:
            yield (
                (*where, "target"),
                f"{pair} is written twice (impacts {first[impact.source, impact.target] + 1} "
                f"and {index + 1}); keep one of them",
            )
        else:
            first[impact.source, impact.target] = index
