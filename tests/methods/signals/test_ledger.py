"""The ledger: the current value, merging (added, updated, unchanged) and revisions."""

from __future__ import annotations

import datetime as dt

import pytest

from koers.errors import ValidationError
from koers.methods.signals import current, merge, revisions
from koers.model import Observation

T1 = dt.datetime(2021, 4, 1)
T2 = dt.datetime(2021, 5, 1)


def record(period: str, value: float, recorded: dt.datetime = T1, region: str = "GM0344"):
    return Observation(indicator="ww", region=region, period=period, value=value, recorded=recorded)


def test_current_is_the_last_recorded() -> None:
    records = [record("2021-03", 1, T2), record("2021-03", 2, T1), record("2021-04", 5)]
    now = current(records)
    # the later time wins even when it comes first; one record per key
    assert now[("ww", "GM0344", "2021-03")].value == 1
    assert len(now) == 2
    # the same time: the later position wins (append-only)
    assert (
        current([record("2021-03", 1), record("2021-03", 7)])[("ww", "GM0344", "2021-03")].value
        == 7
    )


def test_merge_counts_and_keeps_history() -> None:
    ledger = [record("2021-01", 10), record("2021-02", 11)]
    incoming = [
        ("ww", "GM0344", "2021-01", 10.0),  # equal: unchanged
        ("ww", "GM0344", "2021-02", 12.0),  # corrected: update
        ("ww", "GM0344", "2021-03", 13.0),  # new: added
        ("ww", "GM0363", "2021-01", 10.0),  # other region: added
    ]
    m = merge(ledger, incoming, recorded=T2, source="b.csv")
    assert (m.added, m.updated, m.unchanged) == (2, 1, 1)
    assert [(r.region, r.period, r.value, r.source) for r in m.append] == [
        ("GM0344", "2021-02", 12.0, "b.csv"),
        ("GM0344", "2021-03", 13.0, "b.csv"),
        ("GM0363", "2021-01", 10.0, "b.csv"),
    ]
    assert [(r.period, r.old, r.new) for r in m.revisions] == [("2021-02", 11.0, 12.0)]
    after = [*ledger, *m.append]
    assert current(after)[("ww", "GM0344", "2021-02")].value == 12.0
    # the old value stays in the ledger as history
    assert [r.value for r in after if r.period == "2021-02"] == [11.0, 12.0]
    # re-importing the same values changes nothing
    again = merge(after, incoming, recorded=T2, source="b.csv")
    assert (again.added, again.updated, again.unchanged, again.append) == (0, 0, 4, ())


def test_merge_refuses_duplicate_keys_all_at_once() -> None:
    incoming = [("ww", "GM0344", "2021-01", 1.0)] * 3
    with pytest.raises(ValidationError) as caught:
        merge([], incoming, recorded=T1, source="a.csv")
    assert [p.message[:22] for p in caught.value.problems] == [
        "values 1 and 2 are bot",
        "values 1 and 3 are bot",
    ]


def test_revisions_list_every_change_in_order() -> None:
    records = [
        record("2021-01", 10, T1),
        record("2021-01", 10, T1),  # the same value again: no revision
        record("2021-01", 12, T2),
        record("2021-02", 5, T1),
    ]
    assert [(r.period, r.old, r.new, r.recorded) for r in revisions(records)] == [
        ("2021-01", 10.0, 12.0, T2)
    ]
