"""Event cross-impact use cases: read events from a CSV file or a study, and simulate them.

The result is the method's :class:`~koers.methods.crossimpact.Simulation`; ``document``
turns it into plain JSON data for the CLI's ``--json`` and the web's API.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from koers.errors import KoersError, NotFoundError
from koers.io import study_yaml
from koers.io.events_csv import read_events_csv
from koers.methods.crossimpact import DEFAULT_RUNS, Effects, Simulation, effects, simulate
from koers.model.events import Event, EventImpact

__all__ = ["EventSet", "SimulationRun", "document", "load_events", "simulate_events"]

_SUFFIXES = (".csv", ".yaml", ".yml")


@dataclass(frozen=True)
class EventSet:
    """Events and the impacts between them, as read from one file."""

    events: tuple[Event, ...]
    impacts: tuple[EventImpact, ...]


@dataclass(frozen=True)
class SimulationRun:
    """A simulation, the effects of each event, and the seed that reproduces both."""

    seed: int
    simulation: Simulation
    effects: Effects


def load_events(path: Path) -> EventSet:
    """The events in ``path``: a CSV table (:mod:`koers.io.events_csv`) or a study .yaml.

    Raises
    ------
    koers.errors.NotFoundError
        When there is no such file.
    koers.errors.KoersError
        When the suffix is not one of .csv, .yaml, .yml, or the study lists no events.
    koers.errors.ValidationError
        With every problem of the file.
    """
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        raise KoersError(
            f"{path}: cannot read '{path.suffix}' files; use one of {', '.join(_SUFFIXES)}"
        )
    if not path.is_file():
        raise NotFoundError(f"{path}: there is no such file")
    if suffix == ".csv":
        table = read_events_csv(path)
        return EventSet(table.events, table.impacts)
    study = study_yaml.load(path)
    if not study.events:
        raise KoersError(
            f"{path}: the study lists no events; add them under 'events:' (key, name, "
            "probability) and their impacts under 'event_impacts:'"
        )
    return EventSet(study.events, study.event_impacts)


def simulate_events(
    events: EventSet,
    *,
    runs: int = DEFAULT_RUNS,
    seed: int | None = None,
    top: int = 10,
    effect_runs: int | None = None,
) -> SimulationRun:
    """Simulate ``events`` and measure each one's effect on the others.

    Without a seed a fresh one is drawn, and returned for reuse. The effects take
    ``2 * len(events) * effect_runs`` runs; ``effect_runs`` defaults to ``runs``, at most
    ``DEFAULT_RUNS``.
    """
    chosen = seed if seed is not None else secrets.randbelow(2**63)
    result = simulate(events.events, events.impacts, runs=runs, seed=chosen, top=top)
    forced = effect_runs if effect_runs is not None else min(runs, DEFAULT_RUNS)
    measured = effects(events.events, events.impacts, runs=forced, seed=chosen)
    return SimulationRun(chosen, result, measured)


def document(run: SimulationRun) -> dict[str, Any]:
    """The simulation as JSON data, under self-explaining keys.

    ``events`` lists each event's ``initial_probability``, its final ``probability`` and the
    95 % Wilson interval (``low``, ``high``). ``effects`` maps each source event to the
    change ``P(target | source made to occur) - P(target | source made not to occur)`` of
    each target (from ``effect_runs`` forced runs each); ``association`` holds the
    observed ``P(target | source occurred) - P(target | source did not)`` of the same runs.
    """
    result = run.simulation
    return {
        "runs": result.runs,
        "seed": run.seed,
        "interval": "wilson 95%",
        "events": [
            {
                "key": outcome.key,
                "initial_probability": outcome.initial,
                "probability": outcome.probability,
                "low": outcome.low,
                "high": outcome.high,
                "occurrences": outcome.occurrences,
            }
            for outcome in result.outcomes
        ],
        "combinations": [
            {"events": list(p.events), "count": p.count, "share": p.share} for p in result.patterns
        ],
        "orders": [
            {"events": list(p.events), "count": p.count, "share": p.share, "truncated": p.truncated}
            for p in result.orders
        ],
        "order_runs": result.order_runs,
        "effects": _by_pair(result.keys, run.effects.change),
        "effect_runs": run.effects.runs,
        "association": _by_pair(result.keys, result.association),
    }


def _by_pair(
    keys: tuple[str, ...], matrix: tuple[tuple[float | None, ...], ...]
) -> dict[str, dict[str, float | None]]:
    return {
        source: {target: value for target, value in zip(keys, row, strict=True) if target != source}
        for source, row in zip(keys, matrix, strict=True)
    }
