"""The observations of a study's indicators, with their history, and the statuses of its alerts.

Observations change every month while the study does not, so they live in tables of their own
beside the study (see :mod:`koers.model.signals`) and do not touch its versions. They are only
ever added: a corrected figure is a new row, and the current value of (indicator, region,
period) is the one recorded last (the one added last on a tie). An alert's status is kept as
the team set it last.

:meth:`SignalStore.revision` grows with every write, as ``StoredStudy.revision`` does for
the study: a cached page that shows signals names both in its state.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import Any, cast

import pydantic
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from koers.errors import NotFoundError, Problem, ValidationError
from koers.model import Alert, Observation
from koers.model.periods import FREQUENCIES, Period
from koers.store import audit
from koers.store import engine as engines
from koers.store.tables import AlertStatusRow, ObservationRow, StudyRow

__all__ = ["SignalStore"]

_OBSERVATIONS = pydantic.TypeAdapter(list[Observation])
_ALERTS = pydantic.TypeAdapter(list[Alert])
_OBSERVATION_TABLE = cast(sa.Table, ObservationRow.__table__)
_ALERT_TABLE = cast(sa.Table, AlertStatusRow.__table__)
_OBSERVATION_COLUMNS = ("indicator", "region", "period", "value", "recorded", "source")
_ALERT_COLUMNS = ("indicator", "trigger", "period", "level", "status", "changed", "note")


class SignalStore:
    """Observations and alert statuses of the studies in one database.

    Take it from :attr:`koers.store.Repository.signals`, which shares the repository's engine.

    >>> import datetime as dt
    >>> from koers.model import Alert, Observation, Study, Text
    >>> from koers.store import Repository
    >>> repo = Repository.open("sqlite://")
    >>> study_id = repo.add_study(
    ...     Study(title=Text(nl="Verkenning"), organisation="Gemeente X", horizon="2030-01-01"))
    >>> moment = dt.datetime(2024, 2, 1, 9, 30, tzinfo=dt.UTC)
    >>> repo.signals.append(study_id, [Observation(
    ...     indicator="ww", region="GM0344", period="2024-01", value=812.0, recorded=moment)])
    >>> [(o.period, o.value) for o in repo.signals.observations(study_id)]
    [('2024-01', 812.0)]
    >>> repo.signals.set_status(study_id, Alert(
    ...     indicator="ww", trigger="stijging", period="2024-01", level="amber"))
    >>> [a.status for a in repo.signals.statuses(study_id)], repo.signals.revision(study_id)
    (['new'], 2)
    >>> repo.close()
    """

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._writer = engine.execution_options(**engines.WRITE)

    # -- reading ---------------------------------------------------------------------------

    def observations(self, study_id: int) -> list[Observation]:
        """Every observation of the study, history included, in the order they were recorded.

        Rows recorded at the same moment keep the order in which they were added.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such study.
        """
        table = _OBSERVATION_TABLE
        query = (
            sa.select(*(table.c[name] for name in _OBSERVATION_COLUMNS))
            .where(table.c.study_id == study_id)
            .order_by(table.c.recorded, table.c.id)
        )
        with self._engine.connect() as connection:
            _lock_study(connection, study_id, write=False)
            rows = connection.execute(query).mappings().all()
        return _OBSERVATIONS.validate_python([dict(row) for row in rows])

    def statuses(self, study_id: int) -> list[Alert]:
        """The status the team set last for each alert of the study, by indicator, trigger
        and period.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such study.
        """
        table = _ALERT_TABLE
        query = (
            sa.select(*(table.c[name] for name in _ALERT_COLUMNS))
            .where(table.c.study_id == study_id)
            .order_by(table.c.indicator, table.c.trigger, table.c.period)
        )
        with self._engine.connect() as connection:
            _lock_study(connection, study_id, write=False)
            rows = connection.execute(query).mappings().all()
        return _ALERTS.validate_python([dict(row) for row in rows])

    def revision(self, study_id: int) -> int:
        """A number that grows with every write to the study's signals.

        The number of observations plus the sum of the alert statuses' versions: an append
        adds its rows, a status set adds 1 (a new status starts at version 1). Two reads with
        the same revision see the same signals. ``0`` for a study without any, or no study.
        """
        observations = (
            sa.select(sa.func.count())
            .select_from(ObservationRow)
            .where(ObservationRow.study_id == study_id)
            .scalar_subquery()
        )
        statuses = (
            sa.select(sa.func.coalesce(sa.func.sum(AlertStatusRow.version), 0))
            .where(AlertStatusRow.study_id == study_id)
            .scalar_subquery()
        )
        with self._engine.connect() as connection:
            return int(connection.execute(sa.select(observations + statuses)).scalar_one())

    # -- writing ---------------------------------------------------------------------------

    def append(
        self, study_id: int, records: Sequence[Observation], *, actor: str | None = None
    ) -> None:
        """Add observations to the study's history, all of them in one transaction or none.

        The audit log records the import as ``actor``'s: how many observations, of which
        indicators, periods and sources (the rows themselves are the history).

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such study.
        koers.errors.ValidationError
            With every record the database cannot keep as it is (a time without a time zone,
            a value that is not a finite number, a period not in its own form, a NUL
            character); nothing is written.
        """
        found = _problems_of_observations(records)
        if found:
            raise ValidationError(found)
        if not records:
            with self._engine.connect() as connection:
                _lock_study(connection, study_id, write=False)
            return
        rows = [
            {
                "study_id": study_id,
                "indicator": record.indicator,
                "region": record.region,
                "period": record.period,
                "value": float(record.value),
                "recorded": record.recorded,
                "source": record.source,
            }
            for record in records
        ]
        with self._writer.begin() as connection:
            _lock_study(connection, study_id, write=True)
            # A list of parameters: one executemany (batched INSERT ... VALUES on PostgreSQL).
            connection.execute(sa.insert(_OBSERVATION_TABLE), rows)
            audit.record(
                connection,
                actor=actor,
                study_id=study_id,
                action="import",
                changes=[audit.Change("observations", None, None, _summary(records))],
            )

    def set_status(self, study_id: int, alert: Alert, *, actor: str | None = None) -> None:
        """Keep ``alert``'s level, status, time of change and note as the status the team set
        for its (indicator, trigger, period), in place of any status set before.

        ``alert.changed`` is stored as given (``None`` stays ``None``). The audit log records
        the status before and after as ``actor``'s change.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such study.
        koers.errors.ValidationError
            When the alert holds what the database cannot keep as it is (see :meth:`append`).
        """
        found = _problems_of_alert(alert)
        if found:
            raise ValidationError(found)
        values = {name: getattr(alert, name) for name in _ALERT_COLUMNS}
        with self._writer.begin() as connection:
            _lock_study(connection, study_id, write=True)
            dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
            table = _ALERT_TABLE
            key = {name: values[name] for name in ("indicator", "trigger", "period")}
            before = connection.execute(
                sa.select(*(table.c[name] for name in _ALERT_COLUMNS)).where(
                    table.c.study_id == study_id,
                    *(table.c[name] == value for name, value in key.items()),
                )
            ).first()
            statement = dialect.insert(table).values(study_id=study_id, version=1, **values)
            changes = {name: statement.excluded[name] for name in ("level", "status", "changed")}
            statement = statement.on_conflict_do_update(
                index_elements=["study_id", "indicator", "trigger", "period"],
                set_={**changes, "note": statement.excluded.note, "version": table.c.version + 1},
            )
            connection.execute(statement)
            old = None if before is None else _status_document(before._mapping)
            audit.record(
                connection,
                actor=actor,
                study_id=study_id,
                action="status",
                changes=[
                    audit.Change(
                        f"alert:{alert.indicator}:{alert.trigger}:{alert.period}",
                        None,
                        old,
                        _status_document(values),
                    )
                ],
            )


def _summary(records: Sequence[Observation]) -> dict[str, Any]:
    """What the audit log keeps of an import: counts and ranges, not the rows."""
    periods = sorted({record.period for record in records})
    return {
        "count": len(records),
        "indicators": sorted({record.indicator for record in records}),
        "periods": [periods[0], periods[-1]],
        "sources": sorted({record.source for record in records}),
    }


def _status_document(values: Any) -> dict[str, Any]:
    changed = values["changed"]
    return {
        "level": values["level"],
        "status": values["status"],
        "changed": None if changed is None else changed.isoformat(),
        "note": values["note"],
    }


def _lock_study(connection: sa.Connection, study_id: int, *, write: bool) -> None:
    """Check that the study exists; in a write, keep it from being deleted until the commit.

    ``FOR KEY SHARE`` on PostgreSQL (SQLite's ``BEGIN IMMEDIATE`` already holds the database),
    so the foreign key of the rows that follow always finds their study.
    """
    query = sa.select(StudyRow.id).where(StudyRow.id == study_id)
    if write:
        query = query.with_for_update(read=True, key_share=True)
    if connection.execute(query).first() is None:
        raise NotFoundError(f"there is no study with id {study_id}; it may have been deleted")


def _problems_of_observations(records: Sequence[Observation]) -> list[Problem]:
    found: list[Problem] = []
    canonical: dict[str, bool] = {}
    for index, record in enumerate(records):
        where = f"observations.{index}"
        if record.period not in canonical:
            canonical[record.period] = _canonical(record.period)
        if not canonical[record.period]:
            found.append(_period_problem(record.period, f"{where}.period"))
        if not isinstance(record.value, int | float) or not math.isfinite(record.value):
            found.append(
                Problem(
                    f"the value {record.value!r} is not a finite number; give a number "
                    "or leave the period out",
                    f"{where}.value",
                )
            )
        found.extend(_time_problems(record.recorded, f"{where}.recorded", required=True))
        found.extend(_nul_problems(record, ("indicator", "region", "period", "source"), where))
    return found


def _problems_of_alert(alert: Alert) -> list[Problem]:
    found = [] if _canonical(alert.period) else [_period_problem(alert.period, "alert.period")]
    found.extend(_time_problems(alert.changed, "alert.changed", required=False))
    found.extend(_nul_problems(alert, ("indicator", "trigger", "period", "note"), "alert"))
    return found


def _canonical(text: str) -> bool:
    """Whether ``text`` is a period written in its own form (``2021-03``, not ``2021-3``).

    >>> [_canonical(text) for text in ("2021-W05", "2021-03", "2021-Q1", "2021")]
    [True, True, True, True]
    >>> [_canonical(text) for text in ("2021-3", "2021-03-31", " 2021", "2021-13")]
    [False, False, False, False]
    """
    for frequency in FREQUENCIES:
        try:
            if str(Period.parse(text, frequency)) == text:
                return True
        except ValueError:
            continue
    return False


def _period_problem(text: str, where: str) -> Problem:
    return Problem(
        f"the period {text!r} is not written in its own form; write a week, month, quarter "
        "or year as 2021-W05, 2021-03, 2021-Q1 or 2021 (a date stands for the period of the "
        "indicator's frequency that holds it: convert it first)",
        where,
    )


def _time_problems(moment: dt.datetime | None, where: str, *, required: bool) -> list[Problem]:
    if moment is None and not required:
        return []
    if moment is None or moment.tzinfo is None or moment.utcoffset() is None:
        return [
            Problem(
                f"the time {moment} has no time zone; give it one (for example UTC), so that "
                "it means the same moment on every computer",
                where,
            )
        ]
    return []


def _nul_problems(record: Any, fields: Iterable[str], where: str) -> list[Problem]:
    return [
        Problem(
            "the text holds a NUL character (U+0000), which a database cannot store; remove it",
            f"{where}.{name}",
        )
        for name in fields
        if isinstance(getattr(record, name), str) and "\x00" in getattr(record, name)
    ]
