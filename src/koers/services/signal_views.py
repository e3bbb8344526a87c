"""What the signals services return: plain result objects that the CLI, the web and the report
render, and their JSON form.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from koers.errors import Problem
from koers.model import Text
from koers.model.signals import AlertStatus, Level

__all__ = [
    "AlertView",
    "Contribution",
    "ImportSummary",
    "IndicatorStatus",
    "Move",
    "Nearest",
    "NextStep",
    "ScenarioLikelihood",
    "SignalStatus",
    "Step",
    "Threshold",
    "TrajectoryPoint",
    "status_document",
]


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did: counts, and the rows it skipped (only with ``skip_bad``)."""

    added: int
    updated: int
    unchanged: int
    skipped: int
    report: str | None = None  # where the skipped rows were written, if anywhere
    problems: tuple[Problem, ...] = field(default=(), compare=False)  # of the skipped rows


@dataclass(frozen=True, slots=True)
class Threshold:
    """A trigger drawn on an indicator's chart: the band its condition marks on the level."""

    key: str
    level: Level
    measure: str  # level | change | trend: only level thresholds are drawn as bands
    at_least: float | None
    at_most: float | None


@dataclass(frozen=True, slots=True)
class IndicatorStatus:
    """One signpost on the dashboard: its series, thresholds, level and data quality."""

    key: str
    name: Text
    unit: str
    frequency: str
    source: str  # a short label: "CBS 37230ned", "upload: UWV", "manual"
    region: str
    synthetic: bool
    periods: tuple[str, ...]
    values: tuple[float | None, ...]
    thresholds: tuple[Threshold, ...]
    level: Level | None  # the most severe trigger holding in the latest period
    latest: tuple[str, float] | None
    missing: tuple[str, ...]
    outliers: tuple[str, ...]
    revised: tuple[tuple[str, float, float], ...]  # period, old value, new value


@dataclass(frozen=True, slots=True)
class AlertView:
    """A fired trigger with the response agreed in advance and what the team did with it."""

    indicator: str
    indicator_name: Text
    trigger: str
    period: str
    level: Level
    value: float
    status: AlertStatus
    response: Text | None
    inform: str | None
    changed: dt.datetime | None
    note: str | None
    next_actions: tuple[NextStep, ...] = ()  # pathways whose tipping point this trigger marks
    questioned: tuple[Text, ...] = ()  # assumptions this trigger calls into question


@dataclass(frozen=True, slots=True)
class NextStep:
    """On ``pathway`` the action ``source`` gives way to ``target`` (a tipping point)."""

    pathway: Text
    source: Text
    target: Text


@dataclass(frozen=True, slots=True)
class Contribution:
    """How one indicator's reading counts for one variant in a month."""

    indicator: str
    indicator_name: Text
    descriptor: str
    variant: str
    measure: str
    reading: float
    period: str
    weight: float  # after the cap
    since: str


@dataclass(frozen=True, slots=True)
class Move:
    """A change from the previous month and how far it moved the position."""

    indicator: str
    indicator_name: Text
    descriptor: str
    variant: str
    before: float  # the contribution's weight in the previous month (0 when absent)
    after: float
    dx: float
    dy: float


@dataclass(frozen=True, slots=True)
class TrajectoryPoint:
    month: str
    x: float
    y: float
    scenario: str | None  # the most likely quadrant scenario


@dataclass(frozen=True, slots=True)
class ScenarioLikelihood:
    key: str
    name: Text
    likelihood: float


@dataclass(frozen=True, slots=True)
class Nearest:
    """The consistent CIB scenario nearest to the state the signals show."""

    variants: dict[str, str]  # descriptor -> variant of the consistent scenario
    differs: tuple[tuple[str, str, str], ...]  # descriptor, observed variant, scenario's variant
    established: dict[str, str]  # the variants the signals fix (the intervention)
    remaining: int  # consistent scenarios left under that intervention
    observed: dict[str, str] = field(default_factory=dict)  # the most likely variant per signal
    ranked: tuple[tuple[dict[str, str], float], ...] = ()  # the best RANKED that remain


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the chain that may follow: a descriptor flips to another variant."""

    step: int  # 1 for the first succession step; descriptors flipping together share it
    descriptor: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class SignalStatus:
    """Where the study stands: the assessment of the latest month and everything behind it."""

    month: str | None
    position: tuple[float, float] | None  # x, y in (-1, 1); None without a framing or data
    band: tuple[tuple[float, float], tuple[float, float]] | None  # (x low, x high), (y ...)
    coverage: tuple[float, float] | None
    scenarios: tuple[ScenarioLikelihood, ...]  # most likely first
    trajectory: tuple[TrajectoryPoint, ...]
    explanation: tuple[Contribution, ...]
    moves: tuple[Move, ...]
    indicators: tuple[IndicatorStatus, ...]
    alerts: tuple[AlertView, ...]  # newest first
    nearest: Nearest | None
    follow: tuple[Step, ...]  # what may follow: CIB succession from the observed state


def status_document(status: SignalStatus) -> dict[str, Any]:
    """``status`` as JSON-ready data: texts as {nl, en}, tuples as lists."""
    document: dict[str, Any] = _plain(asdict(status))
    return document


def _plain(value: Any) -> Any:
    if isinstance(value, Text):
        return value.model_dump(exclude_none=True)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
