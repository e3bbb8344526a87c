"""Municipal mergers (herindelingen) since 2018, and series moved onto today's municipalities.

Every 1 January (once, for Weesp, on 24 March) some municipalities cease and their territory
goes to another one, existing or new. A series of a municipality of today therefore has, for
the periods before its merger, no figures under its own code: they sit under the codes of its
predecessors. For a count (inhabitants, births, recipients) the figure of today's territory is
the sum of the predecessors' figures; for a rate or an average it is not, and Koers refuses
rather than guess a weighting. A municipality that was *split* (its parts went to different
municipalities, as Littenseradiel in 2018, Winsum in 2019 and Haaren in 2021) cannot be
summed into any one of them either.

The mergers are data (``data/mergers.csv``), one row per dissolved municipality and receiving
municipality: ``kind`` is ``whole`` (all of it went to ``new_code``), ``part`` (a part of it
did; a split municipality has one row per receiver) or ``continues`` (``new_code`` existed
before and kept its code, e.g. Groningen absorbing Haren and Ten Boer). :data:`SOURCES` gives
the citation behind each ``source`` key; docs/cbs.md lists the table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, cast

from koers.connectors.cbs import CbsObservation
from koers.errors import KoersError, Problem, ValidationError
from koers.model.periods import Period

__all__ = [
    "CODE_SOURCES",
    "SOURCES",
    "Merger",
    "MergerError",
    "harmonise",
    "mergers",
    "predecessors",
    "successor",
]

Kind = Literal["whole", "part", "continues"]

SOURCES: dict[str, str] = {
    "m2018": (
        "Mergers of 1 January 2018 (Leeuwarden, Waadhoeke, Zevenaar, Westerwolde, "
        "Midden-Groningen; Littenseradiel split over Leeuwarden, Waadhoeke and Súdwest-Fryslân): "
        "public analysis scripts that encode them from nl.wikipedia.org 'Gemeentelijke "
        "herindelingen in Nederland' (websecmap merge command for 2018; a Python 'herindelers' "
        "table and an R recoding of municipal names); not confirmed against a CBS page"
    ),
    "m2019": (
        "CBS news release 'Sterkste daling aantal gemeenten sinds 2001' (December 2018), as "
        "reported by blikopnieuws.nl and rd.nl: 12 mergers, 37 municipalities, 380 to 355; "
        "Winsum split over Het Hogeland and Westerkwartier"
    ),
    "m2021": (
        "CBS 'Gemeentelijke indeling op 1 januari 2021' as quoted in a public data set's "
        "notes: Appingedam, Delfzijl and Loppersum form Eemsdelta; Haaren goes to Oisterwijk, "
        "Tilburg, Vught and Boxtel; a websecmap merge command dates Eemsdelta 2021-01-01"
    ),
    "m2022": (
        "CBS news release of December 2021 as reported by nd.nl and blikopnieuws.nl: 352 to "
        "345 municipalities on 1 January 2022 (Dijk en Waard, Maashorst, Land van Cuijk, "
        "Beemster into Purmerend), Weesp into Amsterdam on 24 March 2022; codes as in the "
        "gmRedirects of minvws/nl-covid19-data-dashboard"
    ),
    "m2023": (
        "gmRedirects of minvws/nl-covid19-data-dashboard (Brielle, Hellevoetsluis and "
        "Westvoorne to GM1992); a public note calls GM1992 Voorne aan Zee 'formed on 1 January "
        "2023'"
    ),
}
CODE_SOURCES = (
    "Codes of dissolved municipalities: a public SQL seed listing the CBS codes of about 2015 "
    "(GM0738 Aalburg ... GM0707 Zederik); codes of today's municipalities: a 2023 StatLine "
    "region list (padded keys 'GM1966    ': 'Het Hogeland' ... 'GM1992    ': 'Voorne aan Zee')"
)
"""No merger was found for 1 January 2020 (CBS: 'voor het eerst sinds 2008 geen
herindeling', nu.nl, December 2019). None is listed for 2024 to 2026: none could be confirmed
with the sources at hand (see docs/cbs.md)."""


@dataclass(frozen=True)
class Merger:
    """One row of the merger table: on ``date``, ``old_code`` went (in whole, in part, or by
    continuing) to ``new_code``."""

    date: dt.date
    kind: Kind
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    source: str


class MergerError(KoersError):
    """A series that cannot be moved onto today's municipality, with the reason why."""


@cache
def mergers() -> tuple[Merger, ...]:
    """The shipped merger table, in date order.

    >>> [m.new_name for m in mergers() if m.old_code == "GM0457"]
    ['Amsterdam']
    """
    text = resources.files("koers.connectors").joinpath("data/mergers.csv").read_text("utf-8")
    rows = [
        Merger(
            date=dt.date.fromisoformat(row["date"]),
            kind=cast(Kind, row["kind"]),
            old_code=row["old_code"],
            old_name=row["old_name"],
            new_code=row["new_code"],
            new_name=row["new_name"],
            source=row["source"],
        )
        for row in csv.DictReader(io.StringIO(text))
    ]
    return tuple(sorted(rows, key=lambda merger: merger.date))


def successor(code: str, on: dt.date, *, table: Sequence[Merger] | None = None) -> str:
    """The code under which the territory of ``code`` is a municipality on ``on``.

    Follows chains (A into B, later B into C gives C). A code that did not merge by ``on`` is
    its own successor.

    >>> successor("GM0048", dt.date(2018, 1, 1)), successor("GM0048", dt.date(2017, 12, 31))
    ('GM1950', 'GM0048')

    Raises
    ------
    MergerError
        ``code`` was split between several municipalities by ``on``.
    """
    rows = mergers() if table is None else table
    current = code
    for _ in range(len(rows) + 1):
        moves = [
            m for m in rows if m.old_code == current and m.kind != "continues" and m.date <= on
        ]
        if not moves:
            return current
        if any(move.kind == "part" for move in moves):
            raise MergerError(_split_message(moves))
        current = moves[0].new_code
    raise MergerError(f"the merger table has a cycle through {code}; correct data/mergers.csv")


def predecessors(
    code: str, on: dt.date, *, table: Sequence[Merger] | None = None
) -> tuple[str, ...]:
    """The codes of the municipalities that went whole into ``code`` by ``on`` (following
    chains), sorted; parts of split municipalities are not among them.

    >>> predecessors("GM1950", dt.date(2024, 1, 1))
    ('GM0007', 'GM0048')
    """
    rows = mergers() if table is None else table
    found = set()
    for old in {m.old_code for m in rows if m.kind == "whole" and m.date <= on}:
        try:
            if successor(old, on, table=rows) == code:
                found.add(old)
        except MergerError:
            continue
    return tuple(sorted(found))


def harmonise(
    observations: Iterable[CbsObservation],
    to_code: str,
    on: dt.date,
    *,
    additive: bool,
    table: Sequence[Merger] | None = None,
) -> list[CbsObservation]:
    """The series of ``to_code`` within its borders of ``on``, back to before its mergers.

    For a period that starts before a merger, the value is the sum over the municipalities
    that together made up today's territory then (``to_code`` itself if it existed, and its
    predecessors that still existed):

    .. math:: x_{\\mathrm{today}}(t) = \\sum_{m \\in M(t)} x_m(t)

    For a period that starts on or after the last merger, ``to_code``'s own value is kept.
    Observations of other regions are ignored; the result is sorted by period.

    Parameters
    ----------
    observations : iterable of CbsObservation
        One measure of one table, for ``to_code`` and its predecessors.
    additive : bool
        Whether the measure is a count that may be summed. Rates, averages and shares are not.

    Raises
    ------
    MergerError
        The measure is not additive and a period needs predecessors; a split municipality
        gave part of its territory to ``to_code`` after the first period; ``to_code`` no
        longer exists on ``on``.
    ValidationError
        Observations of several measures, or predecessors missing in a period to be summed.
    """
    rows = mergers() if table is None else table
    if successor(to_code, on, table=rows) != to_code:
        raise MergerError(
            f"{to_code} no longer exists on {on}: it became {successor(to_code, on, table=rows)}; "
            "harmonise onto that municipality"
        )
    members = (to_code, *predecessors(to_code, on, table=rows))
    series = [obs for obs in observations if obs.region in members]
    if not series:
        return []
    if len({(obs.table, obs.measure, obs.frequency) for obs in series}) > 1:
        raise ValidationError(
            [Problem("harmonise one series at a time: the observations hold several measures")]
        )
    first = min(_start(obs) for obs in series)
    _refuse_splits(rows, members, first, on)
    by_period: dict[str, dict[str, CbsObservation]] = {}
    for obs in series:
        by_period.setdefault(obs.period, {})[obs.region] = obs
    result = []
    problems = []
    for period, cells in sorted(
        by_period.items(), key=lambda item: _start(next(iter(item[1].values())))
    ):
        start = _start(next(iter(cells.values())))
        present = [code for code in members if _exists(rows, code, start)]
        if present == [to_code]:
            if to_code in cells:
                result.append(cells[to_code])
            continue
        if not additive:
            raise MergerError(
                f"{series[0].measure} is not additive (a rate, average or share), so the "
                f"figures of {', '.join(present)} for {period} cannot be summed into "
                f"{to_code}; use periods after the merger, or a count"
            )
        missing = [code for code in present if code not in cells]
        if missing:
            problems.append(
                Problem(
                    f"{period}: no value for {', '.join(missing)}, which is part of {to_code} "
                    "as of today; the sum would be too small",
                    f"{to_code}.{period}",
                )
            )
            continue
        total = sum(cells[code].value for code in present)
        sample = cells[present[0]]
        result.append(
            CbsObservation(sample.table, sample.measure, to_code, period, sample.frequency, total)
        )
    if problems:
        raise ValidationError(problems)
    return result


def _exists(rows: Sequence[Merger], code: str, day: dt.date) -> bool:
    """Whether municipality ``code`` existed on ``day`` as far as the table knows."""
    ended = [m.date for m in rows if m.old_code == code and m.kind != "continues"]
    if ended and day >= min(ended):
        return False
    formed = [m.date for m in rows if m.new_code == code and m.kind == "whole"]
    continued = any(m.old_code == code and m.kind == "continues" for m in rows)
    return continued or not formed or day >= min(formed)


def _refuse_splits(
    rows: Sequence[Merger], members: Sequence[str], first: dt.date, on: dt.date
) -> None:
    splits = [
        m for m in rows if m.kind == "part" and m.new_code in members and first < m.date <= on
    ]
    if splits:
        split = splits[0]
        parts = [m for m in rows if m.kind == "part" and m.old_code == split.old_code]
        raise MergerError(
            _split_message(parts)
            + f"; so {split.new_name} ({split.new_code}) has no comparable figures before "
            f"{split.date}: start the series on {split.date} or later"
        )


def _split_message(parts: Sequence[Merger]) -> str:
    first = parts[0]
    receivers = ", ".join(f"{m.new_name} ({m.new_code})" for m in parts)
    return (
        f"{first.old_name} ({first.old_code}) was split on {first.date} between {receivers}; "
        "its figures cannot be divided between them"
    )


def _start(obs: CbsObservation) -> dt.date:
    return Period.parse(obs.period, obs.frequency).start()
