"""Signals and early warning: import observations, assess them, and raise alerts.

A study lives in a file or in the database; its observations and alert statuses live beside
it (a companion ledger file, or the database's tables). Every function here takes either and
returns plain result objects that the CLI and the web render.
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import httpx

from koers.connectors import cbs, municipalities
from koers.errors import NotFoundError, Problem, ValidationError
from koers.io import upload_names
from koers.io.observations import read_observations, write_skipped_report
from koers.io.signal_export import write_signal_workbook
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
from koers.services.outlook import cib_outlook
from koers.services.signal_views import (
    AlertView,
    Contribution,
    ImportSummary,
    IndicatorStatus,
    Move,
    NextStep,
    ScenarioLikelihood,
    SignalStatus,
    Threshold,
    TrajectoryPoint,
)
from koers.services.targets import Target, alert_key

__all__ = [
    "UPLOAD_SUFFIXES",
    "build_status",
    "export_workbook",
    "fetch_cbs",
    "import_file",
    "import_upload",
    "record_cbs",
    "set_alert_status",
    "signal_status",
]


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
    name = upload_names.base_name(filename, "upload.csv")  # for messages, never a path
    if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
        raise ValidationError(
            [Problem(f"'{name}' is neither a CSV nor an Excel (.xlsx) file; export it as one")]
        )
    with tempfile.TemporaryDirectory(prefix="koers-upload-") as folder:
        path = Path(folder) / upload_names.disk_name(name)
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
    kept = {alert_key(s): s for s in statuses}
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
