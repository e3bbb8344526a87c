"""The signals dashboard's context object: a :class:`SignalStatus` as plain JSON data.

The page ``/studies/{id}/signals`` renders it and ``/api/studies/{id}/signals`` returns it
unchanged. Keys of descriptors, variants and scenarios come with their bilingual names from
the study, so the page needs nothing else to say what the signals mean.
"""

from __future__ import annotations

from collections.abc import Sequence

from typing_extensions import TypedDict

from koers.errors import Problem
from koers.model import Study, Text
from koers.services.signal_views import (
    AlertView,
    ImportSummary,
    IndicatorStatus,
    Nearest,
    SignalStatus,
)
from koers.services.workbench import StoredStudy
from koers.web.context import heading
from koers.web.shapes import Heading, JsonText, Named

__all__ = [
    "ImportProblemsPage",
    "ImportResult",
    "SignalsPage",
    "alert_item",
    "import_problems_page",
    "import_result",
    "signals_page",
]


class SignalsLinks(TypedDict):
    page: str
    json: str
    import_form: str
    import_api: str
    example: str


class Position(TypedDict):
    x: float
    y: float


class Uncertainty(TypedDict):
    """The band around the position: ``[low, high]`` on each axis."""

    x: list[float]
    y: list[float]


class Likelihood(TypedDict):
    key: str
    name: JsonText
    likelihood: float


class Assessment(TypedDict):
    """Where the study stands in ``month``; ``coverage`` as the service gives it."""

    month: str | None
    position: Position | None
    band: Uncertainty | None
    coverage: list[float] | None
    scenario: Likelihood | None


class MapAxis(TypedDict):
    """An axis of the 2x2: the pole at -1 (``low``) and the pole at +1 (``high``)."""

    key: str
    name: JsonText
    low: Named
    high: Named


class QuadrantItem(TypedDict):
    """A scenario of the 2x2 and the signs of its quadrant (``x``, ``y`` in -1, 1)."""

    key: str
    name: JsonText
    x: int
    y: int


class TrajectoryItem(TypedDict):
    month: str
    x: float
    y: float
    scenario: str | None


class ContributionItem(TypedDict):
    indicator: str
    indicator_name: JsonText
    descriptor: Named
    variant: Named
    measure: str
    reading: float
    period: str
    weight: float
    since: str


class MoveItem(TypedDict):
    indicator: str
    indicator_name: JsonText
    descriptor: Named
    variant: Named
    before: float
    after: float
    dx: float
    dy: float


class AlertActions(TypedDict):
    """Where to change the alert's status: the page's form and the API (PUT or POST)."""

    form: str
    api: str


class PathwayStepItem(TypedDict):
    pathway: JsonText
    source: JsonText
    target: JsonText


class AlertItem(TypedDict):
    indicator: str
    indicator_name: JsonText
    trigger: str
    period: str
    level: str
    value: float
    status: str
    response: JsonText | None
    inform: str | None
    changed: str | None
    note: str | None
    next_actions: list[PathwayStepItem]
    questioned: list[JsonText]
    actions: AlertActions


class Choice(TypedDict):
    descriptor: Named
    variant: Named


class Difference(TypedDict):
    descriptor: Named
    observed: Named
    scenario: Named


class NearestItem(TypedDict):
    """The consistent scenario nearest to the observed state and how it differs."""

    variants: list[Choice]
    differs: list[Difference]
    established: list[Choice]
    remaining: int


class StepItem(TypedDict):
    """A descriptor that flips in succession step ``step`` (1 first; flips together share it)."""

    step: int
    descriptor: Named
    before: Named
    after: Named


class ThresholdItem(TypedDict):
    key: str
    level: str
    measure: str
    at_least: float | None
    at_most: float | None


class Reading(TypedDict):
    period: str
    value: float


class Revision(TypedDict):
    period: str
    old: float
    new: float


class IndicatorItem(TypedDict):
    key: str
    name: JsonText
    unit: str
    frequency: str
    source: str
    region: str
    synthetic: bool
    periods: list[str]
    values: list[float | None]
    thresholds: list[ThresholdItem]
    level: str | None
    latest: Reading | None
    missing: list[str]
    outliers: list[str]
    revised: list[Revision]


class SignalsPage(TypedDict):
    """``/studies/{id}/signals``: the assessment, its reasons, the alerts and every series."""

    study: Heading
    assessment: Assessment
    axes: list[MapAxis]
    quadrants: list[QuadrantItem]
    scenarios: list[Likelihood]
    trajectory: list[TrajectoryItem]
    explanation: list[ContributionItem]
    moves: list[MoveItem]
    alerts: list[AlertItem]
    nearest: NearestItem | None
    follow: list[StepItem]
    indicators: list[IndicatorItem]
    links: SignalsLinks


class ProblemItem(TypedDict):
    """A located problem of a file: ``line`` is its row, ``column`` its column."""

    message: str
    path: str | None
    line: int | None
    column: int | None


class ImportResult(TypedDict):
    """What an import did: rows added, updated (the old value kept), unchanged, skipped;
    with ``skip_bad``, the problems of the rows it skipped."""

    added: int
    updated: int
    unchanged: int
    skipped: int
    report: str | None
    problems: list[ProblemItem]


def signals_page(stored: StoredStudy, status: SignalStatus) -> SignalsPage:
    """The dashboard of ``stored`` from the assessment ``status``."""
    study = stored.study
    base = f"/studies/{stored.id}"
    axes, quadrants = _framing(study)
    scenarios = [
        Likelihood(key=s.key, name=_text(s.name), likelihood=s.likelihood) for s in status.scenarios
    ]
    position = status.position
    band = status.band
    return {
        "study": heading(stored),
        "assessment": {
            "month": status.month,
            "position": None if position is None else {"x": position[0], "y": position[1]},
            "band": None if band is None else {"x": list(band[0]), "y": list(band[1])},
            "coverage": None if status.coverage is None else list(status.coverage),
            "scenario": scenarios[0] if scenarios else None,
        },
        "axes": axes,
        "quadrants": quadrants,
        "scenarios": scenarios,
        "trajectory": [
            {"month": p.month, "x": p.x, "y": p.y, "scenario": p.scenario}
            for p in status.trajectory
        ],
        "explanation": [
            {
                "indicator": c.indicator,
                "indicator_name": _text(c.indicator_name),
                "descriptor": _descriptor(study, c.descriptor),
                "variant": _variant(study, c.descriptor, c.variant),
                "measure": c.measure,
                "reading": c.reading,
                "period": c.period,
                "weight": c.weight,
                "since": c.since,
            }
            for c in status.explanation
        ],
        "moves": [
            {
                "indicator": m.indicator,
                "indicator_name": _text(m.indicator_name),
                "descriptor": _descriptor(study, m.descriptor),
                "variant": _variant(study, m.descriptor, m.variant),
                "before": m.before,
                "after": m.after,
                "dx": m.dx,
                "dy": m.dy,
            }
            for m in status.moves
        ],
        "alerts": [alert_item(stored.id, alert) for alert in status.alerts],
        "nearest": None if status.nearest is None else _nearest(study, status.nearest),
        "follow": [
            {
                "step": step.step,
                "descriptor": _descriptor(study, step.descriptor),
                "before": _variant(study, step.descriptor, step.before),
                "after": _variant(study, step.descriptor, step.after),
            }
            for step in status.follow
        ],
        "indicators": [_indicator(item) for item in status.indicators],
        "links": {
            "page": f"{base}/signals",
            "json": f"/api{base}/signals",
            "import_form": f"{base}/signals/import",
            "import_api": f"/api{base}/observations",
            "example": f"{base}/signals/example",
        },
    }


def alert_item(study_id: int, alert: AlertView) -> AlertItem:
    """One alert, with the addresses that change its status."""
    where = f"/studies/{study_id}/alerts/{alert.indicator}/{alert.trigger}/{alert.period}"
    return {
        "indicator": alert.indicator,
        "indicator_name": _text(alert.indicator_name),
        "trigger": alert.trigger,
        "period": alert.period,
        "level": alert.level,
        "value": alert.value,
        "status": alert.status,
        "response": None if alert.response is None else _text(alert.response),
        "inform": alert.inform,
        "changed": None if alert.changed is None else alert.changed.isoformat(timespec="seconds"),
        "note": alert.note,
        "next_actions": [
            {
                "pathway": _text(step.pathway),
                "source": _text(step.source),
                "target": _text(step.target),
            }
            for step in alert.next_actions
        ],
        "questioned": [_text(text) for text in alert.questioned],
        "actions": {"form": where, "api": f"/api{where}"},
    }


def import_result(summary: ImportSummary) -> ImportResult:
    """The JSON form of an import's summary."""
    return {
        "added": summary.added,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "skipped": summary.skipped,
        "report": summary.report,
        "problems": _problems(summary.problems),
    }


def _problems(problems: Sequence[Problem]) -> list[ProblemItem]:
    return [
        {"message": p.message, "path": p.path, "line": p.line, "column": p.column} for p in problems
    ]


class ImportLinks(TypedDict):
    page: str
    import_form: str
    example: str


class ImportProblemsPage(TypedDict):
    """An import's problems, located: of a refused file (``imported`` is null, nothing was
    written) or of the rows an import skipped (``imported`` says what it did)."""

    study: Heading
    file: str
    imported: ImportResult | None
    problems: list[ProblemItem]
    links: ImportLinks


def import_problems_page(
    stored: StoredStudy,
    file: str,
    problems: Sequence[Problem],
    imported: ImportResult | None = None,
) -> ImportProblemsPage:
    """The page of the problems found in ``file``."""
    base = f"/studies/{stored.id}"
    return {
        "study": heading(stored),
        "file": file,
        "imported": imported,
        "problems": _problems(problems),
        "links": {
            "page": f"{base}/signals",
            "import_form": f"{base}/signals/import",
            "example": f"{base}/signals/example",
        },
    }


def _text(text: Text) -> JsonText:
    return {"nl": text.nl, "en": text.en}


def _framing(study: Study) -> tuple[list[MapAxis], list[QuadrantItem]]:
    """The axes of the 2x2 and its scenarios with their quadrant's signs."""
    if study.framing is None:
        return [], []
    axes = study.axes()
    described: list[MapAxis] = [
        {
            "key": axis.key,
            "name": _text(axis.name),
            "low": {"key": axis.variants[0].key, "name": _text(axis.variants[0].name)},
            "high": {"key": axis.variants[-1].key, "name": _text(axis.variants[-1].name)},
        }
        for axis in axes
    ]
    horizontal, vertical = axes
    quadrants: list[QuadrantItem] = []
    for y_sign, y_pole in ((1, vertical.variants[-1]), (-1, vertical.variants[0])):
        for x_sign, x_pole in ((-1, horizontal.variants[0]), (1, horizontal.variants[-1])):
            try:
                scenario = study.quadrant_scenario(x_pole, y_pole)
            except KeyError:
                continue
            quadrants.append(
                {"key": scenario.key, "name": _text(scenario.name), "x": x_sign, "y": y_sign}
            )
    return described, quadrants


def _descriptor(study: Study, key: str) -> Named:
    try:
        return {"key": key, "name": _text(study.descriptor(key).name)}
    except KeyError:
        return {"key": key, "name": {"nl": key, "en": key}}


def _variant(study: Study, descriptor: str, key: str) -> Named:
    try:
        variant = study.descriptor(descriptor).variant(key)
    except KeyError:
        variant = None
    if variant is None:
        return {"key": key, "name": {"nl": key, "en": key}}
    return {"key": key, "name": _text(variant.name)}


def _choices(study: Study, variants: dict[str, str]) -> list[Choice]:
    return [
        {"descriptor": _descriptor(study, d), "variant": _variant(study, d, v)}
        for d, v in variants.items()
    ]


def _nearest(study: Study, nearest: Nearest) -> NearestItem:
    return {
        "variants": _choices(study, nearest.variants),
        "differs": [
            {
                "descriptor": _descriptor(study, d),
                "observed": _variant(study, d, observed),
                "scenario": _variant(study, d, theirs),
            }
            for d, observed, theirs in nearest.differs
        ],
        "established": _choices(study, nearest.established),
        "remaining": nearest.remaining,
    }


def _indicator(item: IndicatorStatus) -> IndicatorItem:
    return {
        "key": item.key,
        "name": _text(item.name),
        "unit": item.unit,
        "frequency": item.frequency,
        "source": item.source,
        "region": item.region,
        "synthetic": item.synthetic,
        "periods": list(item.periods),
        "values": list(item.values),
        "thresholds": [
            {
                "key": t.key,
                "level": t.level,
                "measure": t.measure,
                "at_least": t.at_least,
                "at_most": t.at_most,
            }
            for t in item.thresholds
        ],
        "level": item.level,
        "latest": None
        if item.latest is None
        else {"period": item.latest[0], "value": item.latest[1]},
        "missing": list(item.missing),
        "outliers": list(item.outliers),
        "revised": [{"period": p, "old": old, "new": new} for p, old, new in item.revised],
    }
