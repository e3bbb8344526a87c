"""Signals and early warning: import observations, assess them, and raise alerts.

A study lives in a file or in the database; its observations and alert statuses live beside
it (a companion ledger file, or the database's tables). Every function here takes either and
returns plain result objects that the CLI and the web render.
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import httpx

from koers.connectors import cbs, municipalities
from koers.errors import NotFoundError, Problem, ValidationError
from koers.io import signal_ledger
from koers.io.observations import read_observations, write_skipped_report
from koers.io.signal_export import write_signal_workbook
from koers.methods.cib.chains import follow_chain
from koers.methods.cib.from_study import study_matrix
from koers.methods.cib.solve import solve
from koers.methods.pathways import next_actions, signalled_assumptions
from koers.methods.signals import (
    Assessment,
    Series,
    assess,
    build_series,
    fired,
    levels,
    merge,
    quality,
)
from koers.model import Frequency, Language, Period, Study, Text
from koers.model.signals import SEVERITY, Alert, AlertStatus, CbsTable, Level, Observation
from koers.services.studies import load_study
from koers.store.repository import Repository

__all__ = [
    "ESTABLISH",
    "UPLOAD_SUFFIXES",
    "AlertView",
    "Contribution",
    "DatabaseTarget",
    "FileTarget",
    "ImportSummary",
    "IndicatorStatus",
    "Move",
    "Nearest",
    "NextStep",
    "ScenarioLikelihood",
    "SignalStatus",
    "Step",
    "Target",
    "Threshold",
    "TrajectoryPoint",
    "build_status",
    "cib_outlook",
    "export_workbook",
    "fetch_cbs",
    "import_file",
    "import_upload",
    "open_target",
    "record_cbs",
    "set_alert_status",
    "signal_status",
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


ESTABLISH = 0.75
"""A variant counts as established by the signals, and is fixed in the CIB search, when its
probability reaches this share (docs/methods.md, "Signals assessment")."""


RANKED = 5
"""How many of the consistent scenarios left under the signals' intervention are listed."""


def cib_outlook(
    study: Study,
    probabilities: Mapping[str, Mapping[str, float]],
    *,
    establish: float = ESTABLISH,
) -> tuple[Nearest | None, tuple[Step, ...]]:
    """The nearest consistent scenario to what the signals show, and what may follow.

    ``probabilities`` gives, per descriptor the signals speak about, the probability of each
    variant. The observed state takes the most likely variant of each such descriptor; the
    established variants (probability >= ``establish``) are fixed as a CIB intervention, and
    the consistent scenarios that remain are counted and ranked by how likely the signals find
    them (the product of the probabilities of their variants; the best :data:`RANKED`).

    The nearest consistent scenario (of the whole matrix) differs from the observed state in
    the fewest observed descriptors; among equals the one the signals find most likely, then
    the one with the higher total impact score. What may follow is the global CIB succession
    from the observed state (an unshocked :func:`koers.methods.cib.chains.follow_chain`, up
    to the first repeat), the other descriptors taken from the nearest scenario.
    ``(None, ())`` when the study has no judgements or no signals.
    """
    if not study.judgements or not probabilities:
        return None, ()
    matrix = study_matrix(study)
    index = {key: i for i, key in enumerate(matrix.descriptors)}
    observed: dict[str, str] = {}
    established: dict[str, str] = {}
    for descriptor, shares in probabilities.items():
        variant, share = max(shares.items(), key=lambda item: (item[1], item[0]))
        observed[descriptor] = variant
        if share >= establish:
            established[descriptor] = variant
    fixed = {index[d]: matrix.variants[index[d]].index(v) for d, v in established.items()}
    everything = solve(matrix)
    if everything.count == 0:
        return None, ()
    kept = solve(matrix, fixed=fixed) if fixed else everything

    def log_likelihood(row: Sequence[int]) -> float:
        total = 0.0
        for descriptor, shares in probabilities.items():
            chosen = matrix.variants[index[descriptor]][row[index[descriptor]]]
            total += math.log(max(shares.get(chosen, 0.0), 1e-12))
        return total

    def distance(row: Sequence[int]) -> int:
        return sum(matrix.variants[index[d]][row[index[d]]] != v for d, v in observed.items())

    rows = [tuple(int(v) for v in row) for row in everything.scenarios]
    best = min(
        range(len(rows)),
        key=lambda i: (distance(rows[i]), -log_likelihood(rows[i]), i),
    )
    chosen = rows[best]
    variants = {d: matrix.variants[i][chosen[i]] for i, d in enumerate(matrix.descriptors)}
    differs = tuple(
        (d, observed[d], variants[d])
        for d in matrix.descriptors
        if d in observed and observed[d] != variants[d]
    )
    kept_rows = [tuple(int(v) for v in row) for row in kept.scenarios]
    order = sorted(range(len(kept_rows)), key=lambda i: (-log_likelihood(kept_rows[i]), i))
    ranked = tuple(
        (
            {d: matrix.variants[j][kept_rows[i][j]] for j, d in enumerate(matrix.descriptors)},
            math.exp(log_likelihood(kept_rows[i])),
        )
        for i in order[:RANKED]
    )
    nearest = Nearest(
        variants=variants,
        differs=differs,
        established=established,
        remaining=kept.count,
        observed=observed,
        ranked=ranked,
    )
    start = [
        matrix.variants[i].index(observed.get(d, variants[d]))
        for i, d in enumerate(matrix.descriptors)
    ]
    chain = follow_chain(matrix, start)
    steps = [
        Step(
            step.number,
            matrix.descriptors[flip.descriptor],
            matrix.variants[flip.descriptor][flip.before],
            matrix.variants[flip.descriptor][flip.after],
        )
        for step in chain.steps
        if not step.closes_cycle  # the path up to the first repeat, as before
        for flip in step.flips
    ]
    return nearest, tuple(steps)


# -- where a study's signals live --------------------------------------------------------


class Target(Protocol):
    """A study and the place its observations and alert statuses are kept."""

    @property
    def study(self) -> Study: ...

    def records(self) -> Sequence[Observation]:
        """Every observation recorded, history included, in recorded order."""
        ...

    def statuses(self) -> Sequence[Alert]: ...

    def append(self, records: Sequence[Observation]) -> None:
        """Add ``records`` to the history, all or nothing."""
        ...

    def set_status(self, alert: Alert) -> None: ...


@dataclass
class FileTarget:
    """A study file; its signals live in the ledger beside it (``NAME.signals.json``)."""

    path: Path
    study: Study

    @property
    def ledger(self) -> Path:
        return signal_ledger.ledger_path(self.path)

    def records(self) -> Sequence[Observation]:
        return signal_ledger.load_ledger(self.ledger).observations

    def statuses(self) -> Sequence[Alert]:
        return signal_ledger.load_ledger(self.ledger).statuses

    def append(self, records: Sequence[Observation]) -> None:
        ledger = signal_ledger.load_ledger(self.ledger)
        changed = replace(ledger, observations=(*ledger.observations, *records))
        signal_ledger.save_ledger(self.ledger, changed)

    def set_status(self, alert: Alert) -> None:
        ledger = signal_ledger.load_ledger(self.ledger)
        kept = tuple(s for s in ledger.statuses if _alert_key(s) != _alert_key(alert))
        signal_ledger.save_ledger(self.ledger, replace(ledger, statuses=(*kept, alert)))


@dataclass
class DatabaseTarget:
    """A study in the database; its signals live in the database's tables."""

    repository: Repository
    study_id: int
    study: Study

    def records(self) -> Sequence[Observation]:
        return self.repository.signals.observations(self.study_id)

    def statuses(self) -> Sequence[Alert]:
        return self.repository.signals.statuses(self.study_id)

    def append(self, records: Sequence[Observation]) -> None:
        self.repository.signals.append(self.study_id, records)

    def set_status(self, alert: Alert) -> None:
        self.repository.signals.set_status(self.study_id, alert)


@contextmanager
def open_target(study: str, database: str | None = None) -> Iterator[Target]:
    """The study ``study`` names: a study file, or the number of a study in ``database``."""
    if study.isdigit() and not Path(study).exists():
        from koers.services.workbench import database_url

        with Repository.open(database_url(database)) as repository:
            stored = repository.get_study(int(study))
            yield DatabaseTarget(repository, stored.id, stored.study)
        return
    path = Path(study)
    yield FileTarget(path, load_study(path))


# -- observations in ---------------------------------------------------------------------


def import_file(
    target: Target,
    file: Path,
    *,
    skip_bad: bool = False,
    report: Path | None = None,
    decimal_comma: bool | None = None,
    now: dt.datetime | None = None,
) -> ImportSummary:
    """Import the observations of a CSV or .xlsx ``file`` into ``target``.

    All or nothing: a file with any bad row raises :class:`ValidationError` listing every
    problem and changes nothing, unless ``skip_bad``: then the good rows go in and the bad
    ones are written to ``report``. Values equal to the current ones change nothing (a
    re-import is harmless); a different value is recorded as an update and the old one stays
    in the history.
    """
    _require_regions(target.study)
    parsed = read_observations(file, target.study, decimal_comma=decimal_comma, skip_bad=skip_bad)
    incoming = [(row.indicator, row.region, row.period, row.value) for row in parsed.rows]
    merged = merge(
        target.records(), incoming, recorded=now or dt.datetime.now(dt.UTC), source=file.name
    )
    if merged.append:
        target.append(merged.append)
    written = None
    if parsed.skipped and report is not None:
        write_skipped_report(report, parsed.skipped)
        written = str(report)
    problems = tuple(problem for row in parsed.skipped for problem in row.problems)
    return ImportSummary(
        merged.added, merged.updated, merged.unchanged, len(parsed.skipped), written, problems
    )


UPLOAD_SUFFIXES = (".csv", ".txt", ".xlsx")


def import_upload(
    target: Target, content: bytes, filename: str, *, skip_bad: bool = False
) -> ImportSummary:
    """Import an uploaded file's ``content``; problems name the upload's own ``filename``."""
    name = Path(filename.replace("\\", "/")).name or "upload.csv"
    if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
        raise ValidationError(
            [Problem(f"'{name}' is neither a CSV nor an Excel (.xlsx) file; export it as one")]
        )
    with tempfile.TemporaryDirectory(prefix="koers-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            return import_file(target, path, skip_bad=skip_bad)
        except ValidationError as err:
            raise ValidationError(
                [replace(problem, path=name) for problem in err.problems]
            ) from None


def _require_regions(study: Study) -> None:
    missing = [i.key for i in study.indicators if study.region_of(i) is None]
    if missing:
        raise ValidationError(
            [
                Problem(
                    f"the study names no municipality, so indicators {', '.join(missing)} "
                    "have no region; add 'municipality: GM....' (your CBS code) to the study"
                )
            ]
        )


def fetch_cbs(
    target: Target,
    *,
    client: httpx.Client | None = None,
    now: dt.datetime | None = None,
) -> ImportSummary:
    """Fetch the observations of the study's CBS indicators from StatLine and import them.

    A municipality formed by a merger gets its series back to before the merger: the
    predecessors' values are summed for measures marked ``additive`` (counts); for other
    measures only the periods since the merger are kept (docs/cbs.md).
    """
    study = target.study
    _require_regions(study)
    moment = now or dt.datetime.now(dt.UTC)
    incoming: list[tuple[str, str, str, float]] = []
    for indicator in study.indicators:
        source = indicator.source
        if not isinstance(source, CbsTable):
            continue
        region = study.region_of(indicator)
        assert region is not None
        earlier = municipalities.predecessors(region, moment.date())
        found: Sequence[cbs.CbsObservation] = cbs.fetch(
            source.table,
            source.measure,
            source.filters,
            [region, *earlier],
            frequency=indicator.frequency,
            client=client,
        )
        if earlier:
            if source.additive:
                found = municipalities.harmonise(found, region, moment.date(), additive=True)
            else:
                found = [o for o in found if o.region == region]
        incoming += [
            (indicator.key, region, o.period, o.value) for o in found if o.region == region
        ]
    merged = merge(target.records(), incoming, recorded=moment, source="CBS StatLine")
    if merged.append:
        target.append(merged.append)
    return ImportSummary(merged.added, merged.updated, merged.unchanged, 0)


def record_cbs(folder: Path, study: Study | None = None) -> list[Path]:
    """Refresh the recorded CBS responses in ``folder`` from StatLine (needs the internet).

    The recordings are the requests the demo study's CBS indicators make.
    """
    from koers.services.studies import DEMO_MUNICIPALITY, new_study

    study = study or new_study("corona-lokale-besturen", municipality=DEMO_MUNICIPALITY)
    written: list[Path] = []
    for indicator in study.indicators:
        source = indicator.source
        if isinstance(source, CbsTable):
            region = study.region_of(indicator)
            assert region is not None
            written += cbs.record(source.table, source.measure, source.filters, [region], folder)
    return written


def export_workbook(target: Target, path: Path, *, language: Language | None = None) -> int:
    """Write the study's indicators and current observations to an Excel workbook (a sheet
    each); the observations sheet imports back unchanged. The number of observations."""
    return write_signal_workbook(path, target.study, target.records(), language=language)


# -- alerts ------------------------------------------------------------------------------


def set_alert_status(
    target: Target,
    indicator: str,
    trigger: str,
    period: str,
    status: AlertStatus,
    note: str | None = None,
    *,
    now: dt.datetime | None = None,
) -> None:
    """Record what the team did with an alert that fired: acknowledged, closed or new."""
    study = target.study
    try:
        found = study.indicator(indicator)
    except KeyError:
        keys = ", ".join(i.key for i in study.indicators)
        raise NotFoundError(
            f"there is no indicator '{indicator}'; the indicators: {keys}"
        ) from None
    chosen = next((t for t in found.triggers if t.key == trigger), None)
    if chosen is None:
        keys = ", ".join(t.key for t in found.triggers) or "none"
        raise NotFoundError(
            f"indicator '{indicator}' has no trigger '{trigger}'; its triggers: {keys}"
        )
    try:
        canonical = str(Period.parse(period, found.frequency))
    except ValueError as err:
        raise ValidationError([Problem(f"period: {err}")]) from None
    series = build_series(study, target.records())
    if not any(
        (f.indicator, f.trigger, f.period) == (indicator, trigger, canonical)
        for f in fired(study, series)
    ):
        raise NotFoundError(f"trigger {indicator}/{trigger} did not fire in {canonical}")
    target.set_status(
        Alert(
            indicator=indicator,
            trigger=trigger,
            period=canonical,
            level=chosen.level,
            status=status,
            changed=now or dt.datetime.now(dt.UTC),
            note=note or None,
        )
    )


def _strategy_links(
    study: Study, indicator: str, trigger: str
) -> tuple[tuple[NextStep, ...], tuple[Text, ...]]:
    """What a fired trigger means for the strategy: the pathways' next actions and the
    assumptions it calls into question."""
    strategy = study.strategy
    if strategy is None:
        return (), ()
    pathways = {pathway.key: pathway for pathway in strategy.pathways}
    steps = []
    for found in next_actions(strategy, indicator, trigger):
        pathway = pathways[found.pathway]
        names = {action.key: action.name for action in pathway.actions}
        steps.append(NextStep(pathway.name, names[found.source], names[found.target]))
    questioned = tuple(a.text for a in signalled_assumptions(strategy, indicator, trigger))
    return tuple(steps), questioned


def _alert_key(alert: Alert) -> tuple[str, str, str]:
    return alert.indicator, alert.trigger, alert.period


# -- the assessment ----------------------------------------------------------------------


def signal_status(target: Target, *, today: dt.date | None = None) -> SignalStatus:
    """Where ``target``'s study stands now; see :func:`build_status`."""
    return build_status(target.study, target.records(), target.statuses(), today=today)


def build_status(
    study: Study,
    records: Sequence[Observation],
    statuses: Sequence[Alert],
    *,
    today: dt.date | None = None,
) -> SignalStatus:
    """The assessment of the latest month with its reasons, the alerts and the signposts.

    A series is overdue for the periods after its last value that ended by ``today``; by
    default ``today`` is the end of the latest period any indicator reports, so a study of
    past data is judged by its own present, not by the calendar.
    """
    series = build_series(study, records)
    if today is None and series:
        today = max(own.end.end() for own in series.values())
    indicators = tuple(
        _indicator_status(study, indicator.key, series, records, today)
        for indicator in study.indicators
    )
    alerts = _alerts(study, series, statuses)
    if not series:
        return SignalStatus(None, None, None, None, (), (), (), (), indicators, alerts, None, ())
    assessment = assess(study, series)
    month = assessment.months[-1]
    k = assessment.row(month)
    trajectory = assessment.trajectory()
    position = band = coverage = None
    if trajectory:
        last = trajectory[-1]
        position = (last.x, last.y)
        band = ((last.x_low, last.x_high), (last.y_low, last.y_high))
        coverage = (last.x_coverage, last.y_coverage)
    names = {i.key: i.name for i in study.indicators}
    scenarios = tuple(
        sorted(
            (
                ScenarioLikelihood(key, study.scenario(key).name, float(share))
                for key, share in zip(assessment.scenarios, assessment.likelihoods[k], strict=True)
            ),
            key=lambda item: -item.likelihood,
        )
    )
    explanation = tuple(
        Contribution(
            c.indicator,
            names[c.indicator],
            c.descriptor,
            c.variant,
            c.measure,
            c.reading,
            c.period,
            c.capped,
            c.since,
        )
        for c in assessment.explain(month)
    )
    moves = tuple(
        Move(
            m.indicator, names[m.indicator], m.descriptor, m.variant, m.before, m.after, m.dx, m.dy
        )
        for m in assessment.moves(month).items
    )
    nearest, follow = cib_outlook(study, _observed(assessment, k))
    return SignalStatus(
        month=str(month),
        position=position,
        band=band,
        coverage=coverage,
        scenarios=scenarios,
        trajectory=tuple(TrajectoryPoint(r.month, r.x, r.y, r.scenario) for r in trajectory),
        explanation=explanation,
        moves=moves,
        indicators=indicators,
        alerts=alerts,
        nearest=nearest,
        follow=follow,
    )


def _observed(assessment: Assessment, k: int) -> dict[str, dict[str, float]]:
    """The variant probabilities of the descriptors some evidence speaks about in row ``k``."""
    return {
        track.descriptor: dict(zip(track.variants, map(float, track.probabilities[k]), strict=True))
        for track in assessment.descriptors
        if bool((track.scores[k] != 0).any())
    }


def _indicator_status(
    study: Study,
    key: str,
    series: Mapping[str, Series],
    records: Sequence[Observation],
    today: dt.date | None,
) -> IndicatorStatus:
    indicator = study.indicator(key)
    source = indicator.source
    label = (
        f"CBS {source.table}"
        if isinstance(source, CbsTable)
        else f"{source.kind}: {source.publisher}"
        if source.publisher
        else source.kind
    )
    thresholds = tuple(
        Threshold(t.key, t.level, t.when.measure, t.when.at_least, t.when.at_most)
        for t in indicator.triggers
    )
    own = series.get(key)
    periods: tuple[str, ...] = ()
    values: tuple[float | None, ...] = ()
    level: Level | None = None
    latest = None
    missing: tuple[str, ...] = ()
    outliers: tuple[str, ...] = ()
    revised: tuple[tuple[str, float, float], ...] = ()
    if own is not None:
        periods = tuple(str(p) for p in own.periods())
        values = tuple(None if math.isnan(v) else float(v) for v in own.values)
        level = levels(study, {key: own})[key][-1]
        latest = next(
            ((p, v) for p, v in zip(periods[::-1], values[::-1], strict=True) if v is not None),
            None,
        )
        found = quality(own, records, today=today)
        missing = _runs(found.gaps, indicator.frequency) + _runs(found.overdue, indicator.frequency)
        outliers = tuple(o.period for o in found.outliers)
        revised = tuple((r.period, r.old, r.new) for r in found.revisions)
    return IndicatorStatus(
        key=key,
        name=indicator.name,
        unit=indicator.unit,
        frequency=indicator.frequency,
        source=label,
        region=study.region_of(indicator) or "",
        synthetic=indicator.synthetic,
        periods=periods,
        values=values,
        thresholds=thresholds,
        level=level,
        latest=latest,
        missing=missing,
        outliers=outliers,
        revised=revised,
    )


def _runs(periods: Sequence[str], frequency: Frequency) -> tuple[str, ...]:
    """Consecutive periods folded into ISO 8601 intervals.

    >>> _runs(["2021-01", "2021-02", "2021-03", "2021-05"], "month")
    ('2021-01/2021-03', '2021-05')
    """
    parsed = [Period.parse(p, frequency) for p in periods]
    runs: list[list[Period]] = []
    for period in parsed:
        if runs and period - runs[-1][-1] == 1:
            runs[-1].append(period)
        else:
            runs.append([period])
    return tuple(str(r[0]) if len(r) == 1 else f"{r[0]}/{r[-1]}" for r in runs)


def _alerts(
    study: Study, series: Mapping[str, Series], statuses: Sequence[Alert]
) -> tuple[AlertView, ...]:
    kept = {_alert_key(s): s for s in statuses}
    views = []
    for firing in fired(study, series):
        indicator = study.indicator(firing.indicator)
        trigger = next(t for t in indicator.triggers if t.key == firing.trigger)
        state = kept.get((firing.indicator, firing.trigger, firing.period))
        steps, questioned = _strategy_links(study, firing.indicator, firing.trigger)
        views.append(
            AlertView(
                indicator=firing.indicator,
                indicator_name=indicator.name,
                trigger=firing.trigger,
                period=firing.period,
                level=firing.level,
                value=firing.value,
                status=state.status if state else "new",
                response=trigger.response,
                inform=trigger.inform,
                changed=state.changed if state else None,
                note=state.note if state else None,
                next_actions=steps,
                questioned=questioned,
            )
        )
    views.sort(
        key=lambda a: (
            Period.parse(a.period, study.indicator(a.indicator).frequency).end(),
            SEVERITY[a.level],
        ),
        reverse=True,
    )
    return tuple(views)


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
