"""Municipal mergers: the shipped table, successors, predecessors and harmonised series."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from koers.connectors.cbs import CbsObservation
from koers.connectors.municipalities import (
    SOURCES,
    Merger,
    MergerError,
    harmonise,
    mergers,
    predecessors,
    successor,
)
from koers.errors import ValidationError
from koers.model.periods import Frequency

TODAY = dt.date(2026, 1, 1)
CHAIN = (
    Merger(dt.date(2019, 1, 1), "whole", "GM9001", "A", "GM9002", "B", "test"),
    Merger(dt.date(2019, 1, 1), "whole", "GM9003", "C", "GM9002", "B", "test"),
    Merger(dt.date(2022, 1, 1), "whole", "GM9002", "B", "GM9004", "D", "test"),
    Merger(dt.date(2022, 1, 1), "continues", "GM9004", "D", "GM9004", "D", "test"),
)


def _obs(region: str, period: str, value: float, frequency: Frequency = "month") -> CbsObservation:
    return CbsObservation(
        "37230ned", "BevolkingAanHetBeginVanDePeriode_1", region, period, frequency, value
    )


def test_the_table_is_well_formed_and_cited() -> None:
    rows = mergers()
    assert all(re.fullmatch(r"GM\d{4}", m.old_code) for m in rows)
    assert all(re.fullmatch(r"GM\d{4}", m.new_code) for m in rows)
    assert all(m.source in SOURCES for m in rows)
    assert all(dt.date(2018, 1, 1) <= m.date <= dt.date(2026, 12, 31) for m in rows)
    wholes = Counter(m.old_code for m in rows if m.kind == "whole")
    assert max(wholes.values()) == 1  # a whole municipality goes to one place
    parts = Counter(m.old_code for m in rows if m.kind == "part")
    assert parts == {"GM0140": 3, "GM0053": 2, "GM0788": 4}  # Littenseradiel, Winsum, Haaren


@pytest.mark.parametrize(
    ("day", "fewer"),
    # CBS: 380 to 355 municipalities on 1 January 2019 (25 fewer), 352 to 345 on 1 January 2022.
    [(dt.date(2019, 1, 1), 25), (dt.date(2022, 1, 1), 7)],
)
def test_the_table_matches_the_counts_cbs_published(day: dt.date, fewer: int) -> None:
    rows = [m for m in mergers() if m.date == day]
    ended = {m.old_code for m in rows if m.kind in ("whole", "part")}
    continuing = {m.new_code for m in rows if m.kind == "continues"}
    new = {m.new_code for m in rows if m.kind != "continues"} - continuing - ended
    # Receivers of parts that existed before (Súdwest-Fryslân, Tilburg, ...) are not new.
    new -= {m.new_code for m in rows if m.kind == "part"} - {
        m.new_code for m in rows if m.kind == "whole"
    }
    assert len(ended) - len(new) == fewer


def test_successor_applies_from_the_merger_date_on() -> None:
    assert successor("GM0048", dt.date(2017, 12, 31)) == "GM0048"
    assert successor("GM0048", dt.date(2018, 1, 1)) == "GM1950"  # Vlagtwedde -> Westerwolde
    assert successor("GM0457", dt.date(2022, 3, 23)) == "GM0457"
    assert successor("GM0457", dt.date(2022, 3, 24)) == "GM0363"  # Weesp -> Amsterdam
    assert successor("GM0344", TODAY) == "GM0344"  # Utrecht never merged


def test_successor_follows_chains() -> None:
    assert successor("GM9001", dt.date(2020, 1, 1), table=CHAIN) == "GM9002"
    assert successor("GM9001", dt.date(2022, 1, 1), table=CHAIN) == "GM9004"


def test_successor_of_a_split_municipality_names_its_receivers() -> None:
    with pytest.raises(MergerError) as caught:
        successor("GM0140", TODAY)
    message = str(caught.value)
    assert "Littenseradiel (GM0140) was split on 2018-01-01" in message
    assert "Leeuwarden (GM0080)" in message
    assert "Súdwest-Fryslân (GM1900)" in message
    assert "Waadhoeke (GM1949)" in message


def test_predecessors() -> None:
    assert predecessors("GM1963", TODAY) == ("GM0584", "GM0585", "GM0588", "GM0611", "GM0617")
    assert predecessors("GM0014", TODAY) == ("GM0009", "GM0017")
    assert predecessors("GM0014", dt.date(2018, 12, 31)) == ()
    assert predecessors("GM9004", TODAY, table=CHAIN) == ("GM9001", "GM9002", "GM9003")
    # Winsum was split, so it is no predecessor of Het Hogeland as a whole.
    assert "GM0053" not in predecessors("GM1966", TODAY)


def test_harmonise_sums_the_predecessors_of_a_new_municipality() -> None:
    observations = [
        _obs("GM0007", "2017-11", 8_900),
        _obs("GM0048", "2017-11", 16_200),
        _obs("GM0007", "2017-12", 8_880),
        _obs("GM0048", "2017-12", 16_190),
        _obs("GM1950", "2018-01", 25_050),
        _obs("GM0344", "2017-12", 1),  # not a member
    ]
    result = harmonise(observations, "GM1950", TODAY, additive=True)
    assert [(o.region, o.period, o.value) for o in result] == [
        ("GM1950", "2017-11", 25_100.0),  # 8,900 + 16,200
        ("GM1950", "2017-12", 25_070.0),  # 8,880 + 16,190
        ("GM1950", "2018-01", 25_050.0),  # after the merger: Westerwolde's own figure
    ]


def test_harmonise_adds_the_absorbed_to_a_continuing_municipality() -> None:
    observations = [
        _obs("GM0014", "2018", 202_000, "year"),
        _obs("GM0017", "2018", 19_000, "year"),
        _obs("GM0009", "2018", 7_500, "year"),
        _obs("GM0014", "2019", 229_000, "year"),
    ]
    result = harmonise(observations, "GM0014", TODAY, additive=True)
    # 2018: 202,000 + 19,000 + 7,500 = 228,500; 2019: Groningen's own 229,000.
    assert [(o.period, o.value) for o in result] == [("2018", 228_500.0), ("2019", 229_000.0)]


def test_harmonise_follows_chains() -> None:
    observations = [
        _obs("GM9001", "2018", 10, "year"),
        _obs("GM9003", "2018", 20, "year"),
        _obs("GM9004", "2018", 5, "year"),
        _obs("GM9002", "2020", 31, "year"),
        _obs("GM9004", "2020", 6, "year"),
        _obs("GM9004", "2023", 40, "year"),
    ]
    result = harmonise(observations, "GM9004", TODAY, additive=True, table=CHAIN)
    # 2018: A + C + D = 10 + 20 + 5 = 35; 2020: B + D = 31 + 6 = 37; 2023: D's own 40.
    assert [(o.period, o.value) for o in result] == [("2018", 35.0), ("2020", 37.0), ("2023", 40.0)]


def test_harmonise_refuses_to_sum_a_rate() -> None:
    observations = [_obs("GM0007", "2017-12", 0.1), _obs("GM0048", "2017-12", 0.3)]
    with pytest.raises(MergerError, match=r"not additive .* GM0007, GM0048 for 2017-12"):
        harmonise(observations, "GM1950", TODAY, additive=False)


def test_harmonise_keeps_a_rate_after_the_merger() -> None:
    result = harmonise([_obs("GM1950", "2018-02", 0.2)], "GM1950", TODAY, additive=False)
    assert [o.value for o in result] == [0.2]


def test_harmonise_refuses_series_reaching_back_past_a_split() -> None:
    observations = [_obs("GM0080", "2017-12", 1), _obs("GM0081", "2017-12", 1)]
    with pytest.raises(MergerError, match=r"Littenseradiel \(GM0140\) was split"):
        harmonise(observations, "GM0080", TODAY, additive=True)
    after = harmonise([_obs("GM0080", "2018-01", 123_000)], "GM0080", TODAY, additive=True)
    assert [o.value for o in after] == [123_000.0]


def test_harmonise_reports_missing_predecessors() -> None:
    observations = [_obs("GM0007", "2017-12", 8_880)]
    with pytest.raises(ValidationError, match="2017-12: no value for GM0048"):
        harmonise(observations, "GM1950", TODAY, additive=True)


def test_harmonise_onto_a_dissolved_municipality_points_to_its_successor() -> None:
    with pytest.raises(MergerError, match=r"GM0048 no longer exists .* became GM1950"):
        harmonise([_obs("GM0048", "2017-12", 1)], "GM0048", TODAY, additive=True)
