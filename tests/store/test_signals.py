"""Observations and alert statuses on SQLite and PostgreSQL: round trips, history, atomicity."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from koers.errors import NotFoundError, ValidationError
from koers.model import Alert, Observation, Study
from koers.store import Repository, mapping, migrate
from koers.store import engine as engines
from koers.store.signals import SignalStore

AMSTERDAM_WINTER = dt.timezone(dt.timedelta(hours=1))
JAN = dt.datetime(2024, 2, 1, 9, 0, tzinfo=dt.UTC)


def _observation(period: str = "2024-01", value: float = 1.0, **changes: object) -> Observation:
    fields: dict[str, object] = {
        "indicator": "ww",
        "region": "GM0344",
        "period": period,
        "value": value,
        "recorded": JAN,
        "source": "ww.csv",
    }
    fields.update(changes)
    return Observation.model_validate(fields)


def _count(repo: Repository, table: str, study_id: int | None = None) -> int:
    engine = engines.create(repo._engine.url)
    where = "" if study_id is None else f" WHERE study_id = {int(study_id)}"
    try:
        with engine.connect() as connection:
            return int(connection.execute(sa.text(f"SELECT count(*) FROM {table}{where}")).scalar())
    finally:
        engine.dispose()


@pytest.fixture
def study_id(repo: Repository, corona: Study) -> int:
    return repo.add_study(corona)


# -- observations ----------------------------------------------------------------------------


def test_observations_read_back_equal_in_the_order_they_were_recorded(
    repo: Repository, study_id: int
) -> None:
    later = dt.datetime(2024, 3, 1, 10, 0, 0, 123456, tzinfo=AMSTERDAM_WINTER)  # 09:00:00 UTC
    records = [
        _observation("2024-02", 0.1 + 0.2, recorded=later),
        _observation("2024-01", 1 / 3),
        _observation("2024-Q1", 1.7976931348623157e308, region="PV26", source=""),
        _observation("2024-W05", 5e-324, indicator="faillissementen"),
        _observation("2024", -812.25, region="NL01", source="cbs:82244NED"),
    ]
    repo.signals.append(study_id, records)
    read = repo.signals.observations(study_id)
    # Recorded order, and the order of adding among the four recorded at the same moment.
    assert read == [*records[1:], records[0]]
    # Each value is the very same double, down to the last bit. (Not -0.0: SQLite keeps it as
    # 0.0, which is equal and serves every reading the same.)
    assert [o.value.hex() for o in read] == [o.value.hex() for o in [*records[1:], records[0]]]
    # Aware and in UTC, whatever zone the moment was given in; microseconds kept.
    assert read[-1].recorded == dt.datetime(2024, 3, 1, 9, 0, 0, 123456, tzinfo=dt.UTC)
    assert {o.recorded.utcoffset() for o in read} == {dt.timedelta(0)}


def test_a_corrected_value_is_added_and_the_old_one_kept(repo: Repository, study_id: int) -> None:
    first = _observation("2024-01", 812.0)
    repo.signals.append(study_id, [first])
    correction = _observation("2024-01", 815.0, recorded=JAN + dt.timedelta(days=30))
    same_moment = _observation("2024-01", 816.0, recorded=JAN + dt.timedelta(days=30))
    repo.signals.append(study_id, [correction, same_moment])
    history = repo.signals.observations(study_id)
    assert [o.value for o in history] == [812.0, 815.0, 816.0]
    # The current value is the one recorded last; of two at one moment, the one added last.
    assert history[-1] == same_moment


def test_observations_of_one_study_stay_out_of_another(
    repo: Repository, study_id: int, corona: Study
) -> None:
    other = repo.add_study(corona)
    repo.signals.append(study_id, [_observation(value=1.0)])
    repo.signals.append(other, [_observation(value=2.0)])
    assert [o.value for o in repo.signals.observations(study_id)] == [1.0]
    assert [o.value for o in repo.signals.observations(other)] == [2.0]


def test_a_failure_midway_writes_nothing(repo: Repository, study_id: int) -> None:
    repo.signals.append(study_id, [_observation("2023-12")])
    records = [_observation(f"{2000 + i // 12}-{i % 12 + 1:02d}") for i in range(240)] * 84
    # One record past the model's checks that the database refuses (NOT NULL), at 15 000 of
    # 20 160: by then the earlier rows have gone to the database in batches.
    broken = Observation.model_construct(**{**records[15_000].model_dump(), "indicator": None})
    records[15_000] = broken
    with pytest.raises(sa.exc.IntegrityError):
        repo.signals.append(study_id, records)
    assert _count(repo, "observations") == 1
    assert [o.period for o in repo.signals.observations(study_id)] == ["2023-12"]


def test_records_the_database_cannot_keep_are_all_refused_at_once(
    repo: Repository, study_id: int
) -> None:
    naive = dt.datetime(2024, 2, 1, 9, 0)  # naive: the mistake under test
    records = [
        _observation("2024-01"),
        _observation("2024-1"),
        _observation("2024-02", recorded=naive),
        _observation("2024-03", float("nan")),
        _observation("2024-04", float("inf"), source="a\x00b"),
        _observation("2024-04-30"),
    ]
    with pytest.raises(ValidationError) as caught:
        repo.signals.append(study_id, records)
    assert [problem.path for problem in caught.value.problems] == [
        "observations.1.period",
        "observations.2.recorded",
        "observations.3.value",
        "observations.4.value",
        "observations.4.source",
        "observations.5.period",
    ]
    assert "2021-03" in caught.value.problems[0].message
    assert _count(repo, "observations") == 0


def test_twenty_thousand_observations_go_in_at_once(repo: Repository, study_id: int) -> None:
    records = [
        _observation(f"{2020 + month // 12}-{month % 12 + 1:02d}", float(i), indicator=f"i{i}")
        for i in range(400)
        for month in range(50)
    ]
    start = time.perf_counter()
    repo.signals.append(study_id, records)
    took = time.perf_counter() - start
    assert len(records) == 20_000
    assert _count(repo, "observations", study_id) == 20_000
    # Row by row in separate statements takes several seconds on either database.
    assert took < 5.0, f"appending 20 000 observations took {took:.2f} s"
    assert repo.signals.observations(study_id) == records


def test_appending_nothing_writes_nothing(repo: Repository, study_id: int) -> None:
    repo.signals.append(study_id, [])
    assert repo.signals.observations(study_id) == []
    assert repo.signals.revision(study_id) == 0


def test_an_unknown_study_is_not_found(repo: Repository) -> None:
    alert = Alert(indicator="ww", trigger="stijging", period="2024-01", level="red")
    with pytest.raises(NotFoundError, match="no study with id 42"):
        repo.signals.append(42, [_observation()])
    with pytest.raises(NotFoundError):
        repo.signals.append(42, [])
    with pytest.raises(NotFoundError):
        repo.signals.observations(42)
    with pytest.raises(NotFoundError):
        repo.signals.set_status(42, alert)
    with pytest.raises(NotFoundError):
        repo.signals.statuses(42)
    assert _count(repo, "observations") == _count(repo, "alert_statuses") == 0


# -- alert statuses --------------------------------------------------------------------------


def test_setting_a_status_again_replaces_it(repo: Repository, study_id: int) -> None:
    fired = Alert(indicator="ww", trigger="stijging", period="2024-01", level="amber")
    other_period = fired.model_copy(update={"period": "2024-02", "level": "red"})
    repo.signals.set_status(study_id, fired)
    repo.signals.set_status(study_id, other_period)
    assert repo.signals.statuses(study_id) == [fired, other_period]
    seen = fired.model_copy(
        update={
            "status": "acknowledged",
            "changed": dt.datetime(2024, 2, 3, 14, 0, tzinfo=AMSTERDAM_WINTER),
            "note": "Besproken in het MT",
        }
    )
    repo.signals.set_status(study_id, seen)
    statuses = repo.signals.statuses(study_id)
    assert statuses == [seen, other_period]
    assert statuses[0].changed == dt.datetime(2024, 2, 3, 13, 0, tzinfo=dt.UTC)
    # A later status without a note or time clears them: the row is the status set last.
    closed = fired.model_copy(update={"status": "closed"})
    repo.signals.set_status(study_id, closed)
    assert repo.signals.statuses(study_id) == [closed, other_period]
    assert _count(repo, "alert_statuses") == 2


def test_a_status_the_database_cannot_keep_is_refused(repo: Repository, study_id: int) -> None:
    alert = Alert(
        indicator="ww",
        trigger="stijging",
        period="2024-3",
        level="red",
        changed=dt.datetime(2024, 3, 1),  # naive: the mistake under test
        note="\x00",
    )
    with pytest.raises(ValidationError) as caught:
        repo.signals.set_status(study_id, alert)
    paths = [problem.path for problem in caught.value.problems]
    assert paths == ["alert.period", "alert.changed", "alert.note"]
    assert repo.signals.statuses(study_id) == []


# -- the revision and the study ----------------------------------------------------------------


def test_the_revision_grows_with_every_write(repo: Repository, study_id: int) -> None:
    signals = repo.signals
    alert = Alert(indicator="ww", trigger="stijging", period="2024-01", level="amber")
    seen = []
    seen.append(signals.revision(study_id))  # 0: nothing yet
    signals.append(study_id, [_observation(), _observation("2024-02")])
    seen.append(signals.revision(study_id))  # 2: two rows
    signals.set_status(study_id, alert)
    seen.append(signals.revision(study_id))  # 3: a status at version 1
    signals.set_status(study_id, alert.model_copy(update={"status": "closed"}))
    seen.append(signals.revision(study_id))  # 4: that status at version 2
    signals.append(study_id, [_observation(value=2.0)])
    seen.append(signals.revision(study_id))  # 5: one more row
    assert seen == [0, 2, 3, 4, 5]


def test_signals_leave_the_study_and_its_versions_alone(repo: Repository, study_id: int) -> None:
    before = repo.get_study(study_id)
    repo.signals.append(study_id, [_observation()])
    repo.signals.set_status(
        study_id, Alert(indicator="ww", trigger="stijging", period="2024-01", level="red")
    )
    after = repo.get_study(study_id)
    assert after.versions == before.versions
    assert after.study == before.study


def test_deleting_a_study_deletes_its_signals(
    repo: Repository, study_id: int, corona: Study
) -> None:
    other = repo.add_study(corona)
    alert = Alert(indicator="ww", trigger="stijging", period="2024-01", level="red")
    for target in (study_id, other):
        repo.signals.append(target, [_observation(), _observation("2024-02")])
        repo.signals.set_status(target, alert)
    repo.delete_study(study_id)
    assert _count(repo, "observations", study_id) == 0
    assert _count(repo, "alert_statuses", study_id) == 0
    assert _count(repo, "observations") == 2
    assert repo.signals.statuses(other) == [alert]
    assert repo.signals.revision(study_id) == 0


def test_the_store_of_a_repository_is_one_object_on_its_engine(repo: Repository) -> None:
    assert isinstance(repo.signals, SignalStore)
    assert repo.signals is repo.signals


# -- the migration -----------------------------------------------------------------------------


def test_a_database_with_studies_at_0001_upgrades_and_keeps_them(
    database_url: str, corona: Study
) -> None:
    migrate.upgrade(database_url, "0001")
    engine = engines.create(database_url)
    try:
        with Session(engine) as session, session.begin():
            row = mapping.new_study_row(corona, JAN)
            session.add(row)
            session.flush()
            study_id = row.id
        with engine.connect() as connection:
            tables = set(sa.inspect(connection).get_table_names())
        assert "observations" not in tables
    finally:
        engine.dispose()
    with Repository.open(database_url) as repo:
        assert repo.get_study(study_id).study == corona
        repo.signals.append(study_id, [_observation()])
        assert repo.signals.observations(study_id) == [_observation()]
        repo.delete_study(study_id)
        assert _count(repo, "observations") == 0
