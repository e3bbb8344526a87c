"""The round store, on SQLite and PostgreSQL: rounds, upserted submissions, states, records."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from koers.errors import ConflictError, NotFoundError, ValidationError
from koers.model import Study
from koers.model.rounds import Application, Entry
from koers.store import Repository

MOMENT = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
LATER = MOMENT + dt.timedelta(minutes=5)
CELLS = [("duur", "korter", "financien", "gezond"), ("duur", "langer", "financien", "krap")]


def _round(repo: Repository, corona: Study, **options: object) -> tuple[int, int]:
    study_id = repo.add_study(corona)
    round_ = repo.rounds.add(
        study_id, "judgements", CELLS, facilitator="fien", created=MOMENT, **options
    )
    return study_id, round_.id


def test_a_round_is_stored_as_opened(repo: Repository, corona: Study) -> None:
    study_id, round_id = _round(repo, corona, title="Ronde 1", tolerance=0.5)
    round_ = repo.rounds.get(round_id)
    assert round_.study == study_id
    assert round_.items == tuple(CELLS)
    assert (round_.kind, round_.state, round_.rule, round_.number) == (
        "judgements",
        "open",
        "median",
        1,
    )
    assert (round_.title, round_.tolerance, round_.facilitator) == ("Ronde 1", 0.5, "fien")
    assert round_.created == MOMENT
    assert [r.id for r in repo.rounds.for_study(study_id)] == [round_id]


def test_a_second_submission_replaces_the_first(repo: Repository, corona: Study) -> None:
    _, round_id = _round(repo, corona)
    repo.rounds.submit(round_id, "ann", [Entry(item=CELLS[0], value=1, reason="a")], at=MOMENT)
    repo.rounds.submit(
        round_id,
        "ann",
        [Entry(item=CELLS[0], value=-2), Entry(item=CELLS[1], value=3)],
        at=LATER,
    )
    repo.rounds.submit(round_id, "bob", [Entry(item=CELLS[0], value=0)], at=LATER)
    found = [(s.participant, s.item, s.value, s.reason) for s in repo.rounds.submissions(round_id)]
    assert found == [
        ("ann", CELLS[0], -2.0, None),
        ("ann", CELLS[1], 3.0, None),
        ("bob", CELLS[0], 0.0, None),
    ]
    assert {s.submitted for s in repo.rounds.submissions(round_id)} == {LATER}


def test_a_batch_with_a_bad_entry_writes_nothing(repo: Repository, corona: Study) -> None:
    _, round_id = _round(repo, corona)
    other = ("duur", "korter", "economie", "herstel")
    with pytest.raises(ValidationError) as raised:
        repo.rounds.submit(
            round_id,
            "ann",
            [Entry(item=CELLS[0], value=1), Entry(item=other, value=1)],
            at=MOMENT,
        )
    assert [p.path for p in raised.value.problems] == ["entries.1.item"]
    assert "does not ask for the item duur:korter:economie:herstel" in str(raised.value)
    with pytest.raises(ValidationError, match="given twice"):
        repo.rounds.submit(
            round_id,
            "ann",
            [Entry(item=CELLS[0], value=1), Entry(item=CELLS[0], value=2)],
            at=MOMENT,
        )
    with pytest.raises(ValidationError, match="NUL"):
        repo.rounds.submit(
            round_id, "ann", [Entry(item=CELLS[0], value=1, reason="a\x00")], at=MOMENT
        )
    assert repo.rounds.submissions(round_id) == []


def test_a_closed_round_takes_no_submissions(repo: Repository, corona: Study) -> None:
    _, round_id = _round(repo, corona)
    closed = repo.rounds.close(round_id, at=LATER)
    assert (closed.state, closed.closed) == ("closed", LATER)
    with pytest.raises(ConflictError, match=r"round \d+ is closed and cannot take submissions"):
        repo.rounds.submit(round_id, "ann", [Entry(item=CELLS[0], value=1)], at=LATER)
    with pytest.raises(ConflictError, match="cannot be closed"):
        repo.rounds.close(round_id, at=LATER)
    assert repo.rounds.submissions(round_id) == []


def test_the_application_is_recorded_once(repo: Repository, corona: Study) -> None:
    _, round_id = _round(repo, corona)
    record = Application(applied=LATER, by="fien", participants=3, values={"a": 1.0})
    with pytest.raises(ConflictError, match="still open"):
        repo.rounds.record_application(round_id, record)
    repo.rounds.close(round_id, at=LATER)
    applied = repo.rounds.record_application(round_id, record)
    assert applied.state == "applied"
    assert applied.application == record
    with pytest.raises(ConflictError, match="applied already"):
        repo.rounds.record_application(round_id, record)


def test_a_delphi_round_names_its_previous_round(repo: Repository, corona: Study) -> None:
    study_id, first = _round(repo, corona)
    second = repo.rounds.add(
        study_id, "judgements", CELLS, facilitator="fien", created=LATER, number=2, previous=first
    )
    assert (second.number, second.previous) == (2, first)
    other = repo.add_study(corona)
    with pytest.raises(NotFoundError, match=f"no round with id {first}"):
        repo.rounds.add(other, "judgements", CELLS, facilitator="f", created=LATER, previous=first)


def test_deleting_the_study_removes_its_rounds(repo: Repository, corona: Study) -> None:
    study_id, round_id = _round(repo, corona)
    repo.rounds.submit(round_id, "ann", [Entry(item=CELLS[0], value=1)], at=MOMENT)
    repo.delete_study(study_id)
    with pytest.raises(NotFoundError, match=f"no round with id {round_id}"):
        repo.rounds.get(round_id)
    with pytest.raises(NotFoundError, match=f"no study with id {study_id}"):
        repo.rounds.for_study(study_id)


def test_bad_rounds_are_refused_with_every_problem(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    with pytest.raises(ValidationError) as raised:
        repo.rounds.add(
            study_id,
            "judgements",
            [CELLS[0], CELLS[0]],
            facilitator=" ",
            created=dt.datetime(2026, 1, 1),  # no time zone
        )
    assert [p.path for p in raised.value.problems] == ["items.1", "facilitator", "created"]
    with pytest.raises(NotFoundError):
        repo.rounds.add(study_id + 1, "scores", [("p", "s")], facilitator="f", created=MOMENT)


def test_fifty_participants_submitting_at_once_lose_and_double_nothing(
    repo: Repository, corona: Study
) -> None:
    study_id = repo.add_study(corona)
    items = [(f"p{k}", "s") for k in range(20)]
    round_id = repo.rounds.add(study_id, "scores", items, facilitator="f", created=MOMENT).id
    people = [f"deelnemer-{n:02d}" for n in range(50)]
    start = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def take_part(index: int, who: str) -> None:
        try:
            start.wait()
            # Two batches of ten, then the first batch again with other values: 30 writes,
            # 20 rows.
            first = [Entry(item=item, value=1) for item in items[:10]]
            repo.rounds.submit(round_id, who, first, at=MOMENT)
            rest = [Entry(item=item, value=index % 5 - 2) for item in items[10:]]
            repo.rounds.submit(round_id, who, rest, at=MOMENT)
            again = [Entry(item=item, value=-1) for item in reversed(items[:10])]
            repo.rounds.submit(round_id, who, again, at=LATER)
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=take_part, args=pair) for pair in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    found = repo.rounds.submissions(round_id)
    assert len(found) == 1000  # 50 participants x 20 items
    assert len({(s.participant, s.item) for s in found}) == 1000
    for index, who in enumerate(people):
        values = [s.value for s in found if s.participant == who]
        assert values == [-1.0] * 10 + [float(index % 5 - 2)] * 10
