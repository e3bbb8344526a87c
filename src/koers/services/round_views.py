"""What the people in a workshop see of a round: the heat map of the facilitator, and the
group's view that each participant gets in a Delphi round."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from koers.methods.aggregation import Summary
from koers.model.rounds import Kind, Round, Submission, item_key

__all__ = ["GroupItem", "GroupView", "HeatCell", "HeatMap", "group_view", "heat_map"]

_SPLIT: dict[Kind, int] = {"judgements": 2, "scores": 1, "thresholds": 2}
"""How many leading parts of an item name its row; the rest name its column."""


@dataclass(frozen=True)
class HeatCell:
    """One item of the heat map: the group's value, its centre and how far apart people are."""

    item: str
    value: float
    centre: float
    iqr: float
    deviation: float
    count: int
    consensus: bool | None


@dataclass(frozen=True)
class HeatMap:
    """A round's results as a matrix, ready to colour by ``iqr`` (disagreement) or ``value``.

    Rows and columns are labelled by the leading and trailing parts of the item keys:
    ``source:source_variant`` by ``target:target_variant`` for judgements, policy by
    scenario for scores, ``indicator:trigger`` by bound for thresholds, in the order the
    round asks them. ``cells[r][c]`` is ``None`` where the round asks nothing or no one
    answered yet.
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[HeatCell | None, ...], ...]


def heat_map(round_: Round, summaries: Mapping[str, Summary]) -> HeatMap:
    """The heat map of ``round_`` from the summaries of its items (by item key).

    >>> import datetime as dt
    >>> from koers.methods.aggregation import summarise
    >>> r = Round(id=1, study=1, kind="scores", items=(("p", "a"), ("p", "b"), ("q", "a")),
    ...           facilitator="f", created=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    >>> m = heat_map(r, {"p:a": summarise([1, 2]), "q:a": summarise([0])})
    >>> m.rows, m.columns, [[c and c.centre for c in row] for row in m.cells]
    (('p', 'q'), ('a', 'b'), [[1.5, None], [0.0, None]])
    """
    split = _SPLIT[round_.kind]
    rows: dict[str, int] = {}
    columns: dict[str, int] = {}
    for item in round_.items:
        rows.setdefault(item_key(item[:split]), len(rows))
        columns.setdefault(item_key(item[split:]), len(columns))
    grid: list[list[HeatCell | None]] = [[None] * len(columns) for _ in rows]
    for item in round_.items:
        key = item_key(item)
        summary = summaries.get(key)
        if summary is None:
            continue
        grid[rows[item_key(item[:split])]][columns[item_key(item[split:])]] = HeatCell(
            item=key,
            value=summary.value,
            centre=summary.centre,
            iqr=summary.iqr,
            deviation=summary.deviation,
            count=summary.count,
            consensus=summary.consensus,
        )
    return HeatMap(tuple(rows), tuple(columns), tuple(tuple(row) for row in grid))


@dataclass(frozen=True)
class GroupItem:
    """One item as a participant sees it in a Delphi round.

    ``group`` is the summary of the round before (``None`` when no one answered it there);
    ``reasons`` every reason given there, without names and in alphabetical order (Delphi's
    anonymity: arguments count, not who made them); ``own_before`` and ``own_reason_before``
    what this participant gave there; ``own_now`` and ``own_reason_now`` what they gave in
    this round so far.
    """

    item: str
    group: Summary | None
    reasons: tuple[str, ...]
    own_before: float | None
    own_reason_before: str | None
    own_now: float | None
    own_reason_now: str | None


@dataclass(frozen=True)
class GroupView:
    """What one participant sees of the group in a Delphi round, item by item."""

    round: Round
    participant: str
    items: tuple[GroupItem, ...]


def group_view(
    round_: Round,
    summaries_before: Mapping[str, Summary],
    before: Sequence[Submission],
    now: Sequence[Submission],
    participant: str,
) -> GroupView:
    """The group's view for ``participant`` in ``round_``, from the summaries and the
    submissions of the round before (``before``) and of this round (``now``)."""
    reasons: dict[str, list[str]] = {}
    own_before: dict[str, Submission] = {}
    for s in before:
        key = item_key(s.item)
        if s.reason:
            reasons.setdefault(key, []).append(s.reason)
        if s.participant == participant:
            own_before[key] = s
    own_now = {item_key(s.item): s for s in now if s.participant == participant}
    items = []
    for key in round_.keys:
        earlier = own_before.get(key)
        current = own_now.get(key)
        items.append(
            GroupItem(
                item=key,
                group=summaries_before.get(key),
                reasons=tuple(sorted(reasons.get(key, []))),
                own_before=earlier.value if earlier else None,
                own_reason_before=earlier.reason if earlier else None,
                own_now=current.value if current else None,
                own_reason_now=current.reason if current else None,
            )
        )
    return GroupView(round=round_, participant=participant, items=tuple(items))
