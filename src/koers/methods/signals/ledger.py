"""The observation ledger: append-only records, the current value, and merging new values in."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from koers.errors import Problem, ValidationError
from koers.model.signals import Observation

__all__ = ["Incoming", "Key", "Merge", "Revision", "current", "merge", "revisions"]

Key = tuple[str, str, str]
"""(indicator, region, period), the period in its canonical text (``Period.parse`` then
``str``)."""

Incoming = tuple[str, str, str, float]
"""(indicator, region, period, value) of a value to merge in."""


@dataclass(frozen=True)
class Revision:
    """A value of (indicator, region, period) replaced by another one recorded later."""

    indicator: str
    region: str
    period: str
    old: float
    new: float
    recorded: dt.datetime
    source: str = ""


@dataclass(frozen=True)
class Merge:
    """What merging incoming values into the ledger does.

    Attributes
    ----------
    append : tuple of Observation
        The records to append, in the order of the incoming values (added and updated).
    added, updated, unchanged : int
        Incoming values for a new key, for a key whose current value differs, and for a key
        whose current value is equal (re-importing a file changes nothing).
    revisions : tuple of Revision
        One per updated value: the old current value and the new one.
    """

    append: tuple[Observation, ...]
    added: int
    updated: int
    unchanged: int
    revisions: tuple[Revision, ...]


def current(records: Iterable[Observation]) -> dict[Key, Observation]:
    """The current record of each (indicator, region, period): the last one recorded.

    "Last" is the latest ``recorded`` time; of records with the same time, the later in
    ``records`` (the ledger is append-only, so later means recorded later).

    >>> t = dt.datetime(2021, 4, 1)
    >>> a = Observation(indicator="ww", region="GM0344", period="2021-03", value=1, recorded=t)
    >>> b = a.model_copy(update={"value": 2.0})
    >>> current([a, b])[("ww", "GM0344", "2021-03")].value
    2.0
    """
    latest: dict[Key, Observation] = {}
    for record in records:
        key = (record.indicator, record.region, record.period)
        held = latest.get(key)
        if held is None or record.recorded >= held.recorded:
            latest[key] = record
    return latest


def merge(
    records: Iterable[Observation],
    incoming: Sequence[Incoming],
    *,
    recorded: dt.datetime,
    source: str,
) -> Merge:
    """Compare ``incoming`` values with the ledger and say which records to append.

    Per incoming (indicator, region, period, value), against the current value of its key:
    absent -> added; equal -> unchanged (nothing appended); different -> updated (a new record
    is appended; the old one stays in the ledger as history). Values are equal when they are
    the same float (two NaN count as equal). Periods are compared as text: canonicalise them
    with ``str(Period.parse(text, frequency))`` first.

    Raises
    ------
    ValidationError
        When ``incoming`` gives one key more than once (every such key, at once).

    Examples
    --------
    >>> t = dt.datetime(2021, 4, 1)
    >>> m = merge([], [("ww", "GM0344", "2021-03", 5.0)], recorded=t, source="a.csv")
    >>> (m.added, m.updated, m.unchanged)
    (1, 0, 0)
    >>> again = merge(m.append, [("ww", "GM0344", "2021-03", 5.0)], recorded=t, source="a.csv")
    >>> (again.added, again.updated, again.unchanged, again.append)
    (0, 0, 1, ())
    """
    now = current(records)
    _refuse_duplicates(incoming)
    append: list[Observation] = []
    found: list[Revision] = []
    added = updated = unchanged = 0
    for indicator, region, period, value in incoming:
        held = now.get((indicator, region, period))
        if held is not None and _same(held.value, value):
            unchanged += 1
            continue
        record = Observation(
            indicator=indicator,
            region=region,
            period=period,
            value=value,
            recorded=recorded,
            source=source,
        )
        append.append(record)
        if held is None:
            added += 1
        else:
            updated += 1
            found.append(
                Revision(indicator, region, period, held.value, float(value), recorded, source)
            )
    return Merge(tuple(append), added, updated, unchanged, tuple(found))


def revisions(records: Iterable[Observation]) -> tuple[Revision, ...]:
    """Every change of a recorded value: consecutive records of one key with different values.

    Records of a key are taken in the order of :func:`current` (by ``recorded``, then by
    position); a record that repeats the value before it is no revision.
    """
    history: dict[Key, list[Observation]] = {}
    for record in records:
        history.setdefault((record.indicator, record.region, record.period), []).append(record)
    found: list[Revision] = []
    for (indicator, region, period), kept in history.items():
        ordered = sorted(kept, key=lambda record: record.recorded)  # stable: ties keep order
        for old, new in itertools.pairwise(ordered):
            if not _same(old.value, new.value):
                found.append(
                    Revision(
                        indicator, region, period, old.value, new.value, new.recorded, new.source
                    )
                )
    return tuple(found)


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def _refuse_duplicates(incoming: Sequence[Incoming]) -> None:
    first: dict[Key, int] = {}
    problems: list[Problem] = []
    for position, (indicator, region, period, _) in enumerate(incoming):
        key = (indicator, region, period)
        if key in first:
            problems.append(
                Problem(
                    f"values {first[key] + 1} and {position + 1} are both for indicator "
                    f"'{indicator}', region {region}, period {period}; keep one of them"
                )
            )
        else:
            first[key] = position
    if problems:
        raise ValidationError(problems)
