"""Workshop rounds and their submissions, in tables of their own beside the studies.

A round is asked of many people at once, so its values are rows of their own
(:class:`koers.store.tables.SubmissionRow`), one per (round, participant, item). A submission
is an upsert on that unique key, all entries of one batch in one transaction: fifty people
submitting at once can neither lose nor double a value, and a participant who submits again
replaces their value. Writing submissions does not touch the study or its versions; applying
a round's aggregate to the study is done by the service, through the repository's versioned
writes, and recorded here (:meth:`RoundStore.record_application`).

The round's state is checked under a lock on its row: a submission holds a shared lock
(``FOR SHARE`` on PostgreSQL, so submitters do not wait for each other), closing holds an
exclusive one; on SQLite every write transaction holds the database (``BEGIN IMMEDIATE``). A
submission that arrives after the round closed is refused, never half-written.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from koers.errors import ConflictError, NotFoundError, Problem, ValidationError
from koers.model.rounds import (
    PARTICIPANT_LENGTH,
    Application,
    Entry,
    Item,
    Kind,
    Round,
    RoundState,
    Rule,
    Submission,
    item_key,
    parse_item,
)
from koers.store import engine as engines
from koers.store.tables import RoundRow, StudyRow, SubmissionRow

__all__ = ["RoundStore"]

_ROUNDS = cast(sa.Table, RoundRow.__table__)
_SUBMISSIONS = cast(sa.Table, SubmissionRow.__table__)


class RoundStore:
    """The workshop rounds of the studies in one database.

    Take it from :attr:`koers.store.Repository.rounds`, which shares the repository's engine.

    >>> import datetime as dt
    >>> from koers.model import Study, Text
    >>> from koers.model.rounds import Entry
    >>> from koers.store import Repository
    >>> repo = Repository.open("sqlite://")
    >>> study_id = repo.add_study(
    ...     Study(title=Text(nl="Verkenning"), organisation="Gemeente X", horizon="2030-01-01"))
    >>> moment = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
    >>> first = repo.rounds.add(study_id, "scores", [("p", "s")], facilitator="fien",
    ...                         created=moment)
    >>> repo.rounds.submit(first.id, "ann", [Entry(item=("p", "s"), value=1)], at=moment)
    >>> repo.rounds.submit(first.id, "ann", [Entry(item=("p", "s"), value=2)], at=moment)
    >>> [(s.participant, s.item, s.value) for s in repo.rounds.submissions(first.id)]
    [('ann', ('p', 's'), 2.0)]
    >>> repo.rounds.close(first.id, at=moment).state
    'closed'
    >>> repo.close()
    """

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._writer = engine.execution_options(**engines.WRITE)

    # -- reading ---------------------------------------------------------------------------

    def get(self, round_id: int) -> Round:
        """The round with ``round_id``.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such round.
        """
        with self._engine.connect() as connection:
            row = connection.execute(_select().where(_ROUNDS.c.id == round_id)).mappings().first()
        if row is None:
            raise _no_round(round_id)
        return _round(row)

    def for_study(self, study_id: int) -> list[Round]:
        """The rounds of the study, the oldest first.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such study.
        """
        query = _select().where(_ROUNDS.c.study_id == study_id).order_by(_ROUNDS.c.id)
        with self._engine.connect() as connection:
            _lock_study(connection, study_id, write=False)
            rows = connection.execute(query).mappings().all()
        return [_round(row) for row in rows]

    def submissions(self, round_id: int, *, participant: str | None = None) -> list[Submission]:
        """Every participant's current value for every item of the round, by participant and
        then in the order of the round's items; with ``participant``, only theirs.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such round.
        """
        table = _SUBMISSIONS
        query = (
            sa.select(
                table.c.participant,
                table.c.item,
                table.c.value,
                table.c.reason,
                table.c.submitted,
            )
            .where(table.c.round_id == round_id)
            .order_by(table.c.participant, table.c.id)
        )
        if participant is not None:
            query = query.where(table.c.participant == participant)
        with self._engine.connect() as connection:
            found = connection.execute(_select().where(_ROUNDS.c.id == round_id)).mappings().first()
            if found is None:
                raise _no_round(round_id)
            rows = connection.execute(query).all()
        round_ = _round(found)
        order = {key: index for index, key in enumerate(round_.keys)}
        submissions = [
            Submission(
                round=round_id,
                participant=row.participant,
                item=parse_item(round_.kind, row.item),
                value=row.value,
                reason=row.reason,
                submitted=row.submitted,
            )
            for row in rows
        ]
        submissions.sort(key=lambda s: (s.participant, order.get(item_key(s.item), len(order))))
        return submissions

    # -- writing ---------------------------------------------------------------------------

    def add(
        self,
        study_id: int,
        kind: Kind,
        items: Sequence[Item],
        *,
        facilitator: str,
        created: dt.datetime,
        rule: Rule = "median",
        tolerance: float | None = None,
        title: str | None = None,
        number: int = 1,
        previous: int | None = None,
    ) -> Round:
        """Open a new round on ``items`` of the study; the round as stored.

        The caller has checked that the items exist in the study (the service does).

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such study (or no such previous round).
        koers.errors.ValidationError
            When the round is one a database cannot keep (no items, an item repeated, a NUL
            character, a time without a time zone).
        """
        keys = [item_key(item) for item in items]
        found = _round_problems(keys, facilitator, title, created)
        if found:
            raise ValidationError(found)
        data: dict[str, Any] = {"items": keys, "title": title, "tolerance": tolerance}
        with self._writer.begin() as connection:
            _lock_study(connection, study_id, write=True)
            if previous is not None:
                query = sa.select(_ROUNDS.c.study_id).where(_ROUNDS.c.id == previous)
                if connection.execute(query).scalar() != study_id:
                    raise _no_round(previous)
            statement = sa.insert(_ROUNDS).values(
                study_id=study_id,
                previous_id=previous,
                number=number,
                kind=kind,
                state="open",
                rule=rule,
                facilitator=facilitator,
                created=created,
                closed=None,
                applied=None,
                version=1,
                data=data,
            )
            inserted = connection.execute(statement).inserted_primary_key
            assert inserted is not None
            round_id = int(inserted[0])
        return self.get(round_id)

    def submit(
        self, round_id: int, participant: str, entries: Sequence[Entry], *, at: dt.datetime
    ) -> None:
        """Keep ``entries`` as ``participant``'s values in the round, replacing any they gave
        before for the same items: all of them in one transaction, or none.

        The caller has checked the values against the round's scale (the service does).

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such round.
        koers.errors.ConflictError
            When the round is not open (any more).
        koers.errors.ValidationError
            With every entry the round does not ask for or the database cannot keep (an item
            not in the round, an item twice in one batch, a value that is not finite, a NUL
            character, a name too long); nothing is written.
        """
        problems = _time_problems(at, "submitted")
        problems.extend(_name_problems(participant, "participant"))
        by_key: dict[str, Entry] = {}
        for index, entry in enumerate(entries):
            key = item_key(entry.item)
            where = f"entries.{index}"
            if key in by_key:
                problems.append(
                    Problem(f"the item {key} is given twice; give each item once", where)
                )
            by_key[key] = entry
            if not math.isfinite(entry.value):
                problems.append(Problem(f"the value {entry.value} is not finite", f"{where}.value"))
            if entry.reason is not None and "\x00" in entry.reason:
                problems.append(_nul_problem(f"{where}.reason"))
        if problems:
            raise ValidationError(problems)
        # One order for every batch: two batches of one participant lock rows alike.
        rows = [
            {
                "round_id": round_id,
                "participant": participant,
                "item": key,
                "value": float(entry.value),
                "reason": entry.reason,
                "submitted": at,
            }
            for key, entry in sorted(by_key.items())
        ]
        with self._writer.begin() as connection:
            round_ = _lock_round(connection, round_id, exclusive=False)
            if round_.state != "open":
                raise _not_open(round_, "take submissions")
            asked = set(round_.keys)
            unknown = [
                Problem(
                    f"round {round_id} does not ask for the item {key}; give only its items",
                    f"entries.{index}.item",
                )
                for index, key in enumerate(item_key(entry.item) for entry in entries)
                if key not in asked
            ]
            if unknown:
                raise ValidationError(unknown)
            if not rows:
                return
            dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
            statement = dialect.insert(_SUBMISSIONS)
            statement = statement.on_conflict_do_update(
                index_elements=["round_id", "participant", "item"],
                set_={name: statement.excluded[name] for name in ("value", "reason", "submitted")},
            )
            connection.execute(statement, rows)

    def close(self, round_id: int, *, at: dt.datetime) -> Round:
        """Stop the round taking submissions; the round as stored.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such round.
        koers.errors.ConflictError
            When the round is not open.
        """
        found = _time_problems(at, "closed")
        if found:
            raise ValidationError(found)
        with self._writer.begin() as connection:
            round_ = _lock_round(connection, round_id, exclusive=True)
            if round_.state != "open":
                raise _not_open(round_, "be closed")
            connection.execute(
                sa.update(_ROUNDS)
                .where(_ROUNDS.c.id == round_id)
                .values(state="closed", closed=at, version=_ROUNDS.c.version + 1)
            )
        return self.get(round_id)

    def record_application(self, round_id: int, application: Application) -> Round:
        """Record that the closed round's aggregate became the study's value; the round.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such round.
        koers.errors.ConflictError
            When the round is open, or was applied already.
        """
        found = _time_problems(application.applied, "applied")
        found.extend(_name_problems(application.by, "by"))
        if found:
            raise ValidationError(found)
        with self._writer.begin() as connection:
            round_ = _lock_round(connection, round_id, exclusive=True)
            if round_.state != "closed":
                raise _not_closed(round_)
            data = connection.execute(
                sa.select(_ROUNDS.c.data).where(_ROUNDS.c.id == round_id)
            ).scalar_one()
            data = {**data, "application": application.model_dump(mode="json")}
            connection.execute(
                sa.update(_ROUNDS)
                .where(_ROUNDS.c.id == round_id)
                .values(
                    state="applied",
                    applied=application.applied,
                    data=data,
                    version=_ROUNDS.c.version + 1,
                )
            )
        return self.get(round_id)


def _select() -> sa.Select[Any]:
    return sa.select(
        *(
            _ROUNDS.c[name]
            for name in (
                "id",
                "study_id",
                "previous_id",
                "number",
                "kind",
                "state",
                "rule",
                "facilitator",
                "created",
                "closed",
                "data",
            )
        )
    )


def _round(row: sa.RowMapping) -> Round:
    data = row["data"]
    kind = cast(Kind, row["kind"])
    return Round(
        id=row["id"],
        study=row["study_id"],
        kind=kind,
        items=tuple(parse_item(kind, key) for key in data["items"]),
        number=row["number"],
        previous=row["previous_id"],
        state=cast(RoundState, row["state"]),
        rule=cast(Rule, row["rule"]),
        tolerance=data.get("tolerance"),
        title=data.get("title"),
        facilitator=row["facilitator"],
        created=row["created"],
        closed=row["closed"],
        application=data.get("application"),
    )


def _lock_round(connection: sa.Connection, round_id: int, *, exclusive: bool) -> Round:
    """The round, locked until the commit: shared for a submission, exclusive for a change."""
    query = _select().where(_ROUNDS.c.id == round_id)
    query = query.with_for_update(read=not exclusive)
    row = connection.execute(query).mappings().first()
    if row is None:
        raise _no_round(round_id)
    return _round(row)


def _lock_study(connection: sa.Connection, study_id: int, *, write: bool) -> None:
    """Check that the study exists; in a write, keep it from being deleted until the commit."""
    query = sa.select(StudyRow.id).where(StudyRow.id == study_id)
    if write:
        query = query.with_for_update(read=True, key_share=True)
    if connection.execute(query).first() is None:
        raise NotFoundError(f"there is no study with id {study_id}; it may have been deleted")


def _no_round(round_id: int) -> NotFoundError:
    return NotFoundError(f"there is no round with id {round_id}; it may have been deleted")


def _not_open(round_: Round, what: str) -> ConflictError:
    return ConflictError(
        f"round {round_.id} is {round_.state} and cannot {what} any more; "
        "ask the facilitator to open a new round",
        current=round_.state,
        attempted="open",
    )


def _not_closed(round_: Round) -> ConflictError:
    if round_.state == "open":
        message = f"round {round_.id} is still open; close it before applying its result"
    else:
        message = f"round {round_.id} was applied already; open a new round to change the values"
    return ConflictError(message, current=round_.state, attempted="closed")


def _round_problems(
    keys: Sequence[str], facilitator: str, title: str | None, created: dt.datetime
) -> list[Problem]:
    found: list[Problem] = []
    if not keys:
        found.append(Problem("a round needs at least one item", "items"))
    seen: set[str] = set()
    for index, key in enumerate(keys):
        if key in seen:
            found.append(Problem(f"the item {key} is asked twice; ask it once", f"items.{index}"))
        seen.add(key)
        if "\x00" in key:
            found.append(_nul_problem(f"items.{index}"))
    found.extend(_name_problems(facilitator, "facilitator"))
    if title is not None and "\x00" in title:
        found.append(_nul_problem("title"))
    found.extend(_time_problems(created, "created"))
    return found


def _name_problems(name: str, where: str) -> list[Problem]:
    found: list[Problem] = []
    if not name.strip():
        found.append(Problem("give a name (a user name)", where))
    if len(name) > PARTICIPANT_LENGTH:
        found.append(
            Problem(
                f"the name is {len(name)} characters long; use at most {PARTICIPANT_LENGTH}",
                where,
            )
        )
    if "\x00" in name:
        found.append(_nul_problem(where))
    return found


def _nul_problem(where: str) -> Problem:
    return Problem(
        "the text holds a NUL character (U+0000), which a database cannot store; remove it",
        where,
    )


def _time_problems(moment: dt.datetime, where: str) -> list[Problem]:
    if moment.tzinfo is None or moment.utcoffset() is None:
        return [
            Problem(
                f"the time {moment} has no time zone; give it one (for example UTC)",
                where,
            )
        ]
    return []
