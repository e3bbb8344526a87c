"""Workshop rounds: open a round on items of a study, take everyone's values, show the group's
view, and make the aggregate the study's value.

A facilitator opens a round on cross-impact cells, policy-per-scenario scores or trigger
bounds (:mod:`koers.model.rounds`); participants submit their own values (checked: the round
is open, the item is asked, the value on the scale; each batch all or nothing, a repeat
replacing the earlier value); the facilitator follows the progress, sees the aggregate and the
disagreement per item (:func:`koers.methods.aggregation.summarise`, laid out as a heat map),
closes the round, may run a Delphi round in which each participant sees the group's view of
the last one, and applies the aggregate to the study through the repository's versioned
writes, which keeps the record of the round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from koers.errors import ConflictError, NotFoundError, Problem, ValidationError
from koers.methods import aggregation
from koers.methods.aggregation import Progress, Summary
from koers.methods.cib.ensemble import Ensemble, ensemble
from koers.methods.cib.from_study import study_matrix
from koers.methods.cib.matrix import CrossImpactMatrix
from koers.model.rounds import (
    Application,
    Entry,
    Item,
    Kind,
    Round,
    Rule,
    Submission,
    item_key,
    parse_item,
    scale_of,
    value_problem,
)
from koers.services import round_apply
from koers.services.round_items import items_for, option_problems
from koers.services.round_views import GroupView, HeatMap, group_view, heat_map
from koers.store.repository import Repository

__all__ = [
    "GroupView",
    "HeatMap",
    "Results",
    "RoundEnsemble",
    "Rounds",
    "items_for",
]


@dataclass(frozen=True)
class Results:
    """What a round gave so far: the summary of each item with at least one value.

    ``summaries`` maps item keys to :class:`koers.methods.aggregation.Summary` in the round's
    order; ``participants`` is how many people gave at least one value; ``heat_map`` lays
    the summaries out as rows and columns.
    """

    round: Round
    participants: int
    summaries: Mapping[str, Summary]
    heat_map: HeatMap


@dataclass(frozen=True)
class RoundEnsemble:
    """The CIB ensemble of a judgements round: one matrix per participant.

    ``participants[k]`` judged member ``k`` of ``ensemble``; each member is the study's
    matrix with that participant's cells of the round in place of the study's.
    """

    participants: tuple[str, ...]
    ensemble: Ensemble


class Rounds:
    """The workshop rounds of the studies in one repository.

    ``now`` gives the current time (aware); tests pass a fixed clock.
    """

    def __init__(
        self, repository: Repository, *, now: Callable[[], dt.datetime] | None = None
    ) -> None:
        self.repository = repository
        self._now = now or (lambda: dt.datetime.now(dt.UTC))

    # -- the facilitator -----------------------------------------------------------------

    def open_round(
        self,
        study_id: int,
        kind: Kind,
        *,
        facilitator: str,
        selection: Sequence[Item] | None = None,
        rule: Rule = "median",
        tolerance: float | None = None,
        title: str | None = None,
    ) -> Round:
        """Open round 1 on the items :func:`items_for` gives for ``selection``.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such study.
        koers.errors.ValidationError
            With every problem of the options and the selection at once.
        """
        problems = option_problems(kind, rule, tolerance)
        if problems:
            raise ValidationError(problems)
        study = self.repository.get_study(study_id).study
        items = items_for(study, kind, selection)
        return self.repository.rounds.add(
            study_id,
            kind,
            items,
            facilitator=facilitator.strip(),
            created=self._now(),
            rule=rule,
            tolerance=tolerance,
            title=title,
        )

    def rounds(self, study_id: int) -> list[Round]:
        """The study's rounds, the oldest first."""
        return self.repository.rounds.for_study(study_id)

    def get(self, round_id: int) -> Round:
        """The round with ``round_id`` (a ``NotFoundError`` when there is none)."""
        return self.repository.rounds.get(round_id)

    def close(self, round_id: int) -> Round:
        """Stop the round taking values (a ``ConflictError`` when it is not open)."""
        return self.repository.rounds.close(round_id, at=self._now())

    def second_round(
        self, round_id: int, *, facilitator: str, only_disputed: bool = False
    ) -> Round:
        """A Delphi round on the items of the closed round ``round_id``: the same kind, rule
        and tolerance, number one higher. With ``only_disputed``, only the items on which
        the group did not agree (see :class:`~koers.methods.aggregation.Summary`).

        Raises
        ------
        koers.errors.ConflictError
            When round ``round_id`` is still open.
        koers.errors.ValidationError
            When ``only_disputed`` leaves no item.
        """
        earlier = self.get(round_id)
        if earlier.state == "open":
            raise ConflictError(
                f"round {round_id} is still open; close it before starting the next round",
                current="open",
                attempted="closed",
            )
        items = list(earlier.items)
        if only_disputed:
            summaries = self.results(round_id).summaries
            items = [
                item
                for item in earlier.items
                if (found := summaries.get(item_key(item))) is None or found.consensus is False
            ]
            if not items:
                raise ValidationError(
                    [
                        Problem(
                            f"the group agreed on every item of round {round_id}; no need "
                            "for another round",
                            "only_disputed",
                        )
                    ]
                )
        return self.repository.rounds.add(
            earlier.study,
            earlier.kind,
            items,
            facilitator=facilitator.strip(),
            created=self._now(),
            rule=earlier.rule,
            tolerance=earlier.tolerance,
            title=earlier.title,
            number=earlier.number + 1,
            previous=earlier.id,
        )

    def progress(self, round_id: int, expected: Iterable[str] = ()) -> Progress:
        """Who gave a value for which item; ``expected`` adds people who gave none yet."""
        round_ = self.get(round_id)
        pairs = [
            (s.participant, item_key(s.item)) for s in self.repository.rounds.submissions(round_id)
        ]
        return aggregation.progress(round_.keys, pairs, expected)

    def results(self, round_id: int) -> Results:
        """The aggregate and the disagreement of every item with at least one value."""
        round_ = self.get(round_id)
        submissions = self.repository.rounds.submissions(round_id)
        summaries = _summaries(round_, submissions)
        return Results(
            round=round_,
            participants=len({s.participant for s in submissions}),
            summaries=summaries,
            heat_map=heat_map(round_, summaries),
        )

    def apply(self, round_id: int, *, by: str) -> Round:
        """Make the closed round's aggregate the study's value, and record that in the round.

        Judgements are written in one transaction (:meth:`Repository.set_sections`; a strong
        group judgement without a reason gets a note naming the round and the participants'
        reasons), policy scores as the participant ``group/<round id>``, thresholds as the
        triggers' bounds (:meth:`Repository.update_study`). Items nobody answered keep their
        value. The whole changed study is checked before anything is written. Applying is
        safe to repeat after a failure: a round stays ``closed`` until its record is written,
        and what is already in the study is not written again.

        Raises
        ------
        koers.errors.ConflictError
            When the round is open or already applied, or the study changed meanwhile.
        koers.errors.ValidationError
            When no one gave a value, or the study would break a rule; nothing is written.
        """
        round_ = self.get(round_id)
        if round_.state != "closed":
            verb = "close it first" if round_.state == "open" else "it was applied already"
            raise ConflictError(
                f"round {round_id} is {round_.state}: {verb}",
                current=round_.state,
                attempted="closed",
            )
        submissions = self.repository.rounds.submissions(round_id)
        summaries = _summaries(round_, submissions)
        if not summaries:
            raise ValidationError(
                [Problem(f"no one gave a value in round {round_id}; nothing to apply", "round")]
            )
        reasons: dict[str, list[str]] = {}
        for s in submissions:
            if s.reason:
                reasons.setdefault(item_key(s.item), []).append(s.reason.strip())
        values = {key: summary.value for key, summary in summaries.items()}
        participants = len({s.participant for s in submissions})
        round_apply.apply(
            self.repository,
            round_,
            values,
            round_apply.Record(
                participants=participants,
                reasons={key: tuple(sorted(found)) for key, found in reasons.items()},
                by=by.strip(),
            ),
        )
        application = Application(
            applied=self._now(), by=by.strip(), participants=participants, values=values
        )
        return self.repository.rounds.record_application(round_id, application)

    def ensemble(self, round_id: int, **options: Any) -> RoundEnsemble:
        """The CIB ensemble of a judgements round's individual matrices.

        Each participant's matrix is the study's matrix with the cells they judged in the
        round in place of the study's; ``options`` go to :func:`koers.methods.cib.ensemble`.

        Raises
        ------
        koers.errors.ValidationError
            When the round is not about judgements, or no one gave a value yet.
        """
        round_ = self.get(round_id)
        if round_.kind != "judgements":
            raise ValidationError(
                [
                    Problem(
                        f"round {round_id} is about {round_.kind}, not judgements; a CIB "
                        "ensemble needs a judgements round",
                        "round",
                    )
                ]
            )
        submissions = self.repository.rounds.submissions(round_id)
        if not submissions:
            raise ValidationError(
                [Problem(f"no one gave a value in round {round_id} yet", "round")]
            )
        base = study_matrix(self.repository.get_study(round_.study).study)
        index = _variant_index(base)
        by_participant: dict[str, list[Submission]] = {}
        for s in submissions:
            by_participant.setdefault(s.participant, []).append(s)
        matrices = []
        for found in by_participant.values():
            judgements = np.array(base.judgements, dtype=np.int64)
            for s in found:
                source, source_variant, target, target_variant = s.item
                row = index.get((source, source_variant))
                column = index.get((target, target_variant))
                if row is not None and column is not None:
                    judgements[row, column] = int(s.value)
            matrices.append(CrossImpactMatrix(base.descriptors, base.variants, judgements))
        return RoundEnsemble(tuple(by_participant), ensemble(matrices, **options))

    # -- the participant -----------------------------------------------------------------

    def submit(
        self,
        round_id: int,
        participant: str,
        values: Mapping[str | Item, object],
        reasons: Mapping[str | Item, str | None] | None = None,
    ) -> list[Submission]:
        """Keep ``participant``'s ``values`` (item key or parts to value) with their
        ``reasons``, replacing what they gave before for those items; all of them or none.
        The participant's submissions in the round, as stored.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such round.
        koers.errors.ConflictError
            When the round is closed (or applied).
        koers.errors.ValidationError
            With every problem at once: an item the round does not ask, a value off the
            scale, a reason for an item without a value; nothing is written.
        """
        round_ = self.get(round_id)
        if round_.state != "open":
            raise ConflictError(
                f"round {round_id} is {round_.state}: it takes no more values. Your values "
                "were not saved; ask the facilitator whether a new round is open",
                current=round_.state,
                attempted="open",
            )
        name = participant.strip()
        problems: list[Problem] = []
        if not name:
            problems.append(Problem("say who you are: give your user name", "participant"))
        asked = set(round_.keys)
        entries: list[Entry] = []
        reasons = {_key(k): v for k, v in (reasons or {}).items()}
        for raw_key, raw in values.items():
            key = _key(raw_key)
            where = f"values.{key[:260]}"
            if key not in asked:
                problems.append(
                    Problem(
                        f"round {round_id} does not ask for {key[:260]}; give only its items", where
                    )
                )
                continue
            number = _number(raw)
            problem = value_problem(round_.kind, number)
            if problem is not None:
                problems.append(Problem(problem, where))
                continue
            assert isinstance(number, int | float)
            reason = reasons.get(key)
            text = reason.strip() if isinstance(reason, str) and reason.strip() else None
            entries.append(Entry(item=parse_item(round_.kind, key), value=number, reason=text))
        given = {_key(k) for k in values}
        problems.extend(
            Problem(
                f"a reason for {key[:260]} without a value; give the value too",
                f"reasons.{key[:260]}",
            )
            for key in reasons
            if key not in given and reasons[key]
        )
        if problems:
            raise ValidationError(problems)
        self.repository.rounds.submit(round_id, name, entries, at=self._now())
        return self.repository.rounds.submissions(round_id, participant=name)

    def group_view(self, round_id: int, participant: str) -> GroupView:
        """What ``participant`` sees in a Delphi round: per item, the group's aggregate,
        spread and (anonymous) reasons in the round before, their own earlier value, and
        what they gave in this round so far.

        Raises
        ------
        koers.errors.NotFoundError
            When round ``round_id`` is not a second (or later) round.
        """
        round_ = self.get(round_id)
        if round_.previous is None:
            raise NotFoundError(
                f"round {round_id} is a first round; there is no group view before it"
            )
        earlier = self.get(round_.previous)
        before = self.repository.rounds.submissions(earlier.id)
        now = self.repository.rounds.submissions(round_id)
        return group_view(round_, _summaries(earlier, before), before, now, participant.strip())


def _summaries(round_: Round, submissions: Sequence[Submission]) -> dict[str, Summary]:
    values: dict[str, list[float]] = {}
    for s in submissions:
        values.setdefault(item_key(s.item), []).append(s.value)
    scale = scale_of(round_.kind)
    return {
        key: aggregation.summarise(
            values[key], rule=round_.rule, scale=scale, tolerance=round_.tolerance
        )
        for key in round_.keys
        if key in values
    }


def _key(raw: str | Item) -> str:
    return raw if isinstance(raw, str) else item_key(tuple(raw))


def _number(raw: object) -> object:
    """A form's text as a number (``+2``, ``-1`` or with U+2212, ``12,5``); else as is."""
    if not isinstance(raw, str):
        return raw
    text = raw.strip().replace("\u2212", "-").replace(",", ".")
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return raw[:20]


def _variant_index(matrix: CrossImpactMatrix) -> dict[tuple[str, str], int]:
    index: dict[tuple[str, str], int] = {}
    position = 0
    for descriptor, names in zip(matrix.descriptors, matrix.variants, strict=True):
        for name in names:
            index[descriptor, name] = position
            position += 1
    return index
