"""assess: the worked example of docs/methods.md, by hand, and the rules around it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from koers.errors import ValidationError
from koers.methods.signals import assess, build_series
from koers.model import Period
from methods.signals.signals_cases import corona_study, evidence, indicator, observations

LN2, LN3, LN6 = math.log(2), math.log(3), math.log(6)


def example():
    """The worked example of docs/methods.md ("Signals assessment")."""
    study = corona_study(
        [
            indicator(
                "ww",
                evidence=[
                    evidence("duur", "langer", "strong", at_least=300),
                    evidence("duur", "langer", "moderate", measure="change", at_least=10),
                ],
            ),
            indicator("vacatures", evidence=[evidence("duur", "korter", at_least=100)]),
            indicator("digitaal", evidence=[evidence("verandering", "meer", at_least=60)]),
            indicator(
                "vertrouwen",
                frequency="quarter",
                evidence=[evidence("verandering", "minder", "weak", at_most=6.0)],
            ),
        ]
    )
    records = [
        *observations("ww", {"2021-01": 290, "2021-02": 295, "2021-03": 320}),
        *observations("vacatures", {"2021-01": 90, "2021-02": 105, "2021-03": 110}),
        *observations("digitaal", {"2021-01": 62, "2021-02": 64, "2021-03": 65}),
        *observations("vertrouwen", {"2020-Q4": 6.5}),
    ]
    return study, build_series(study, records)


def test_worked_example_march_2021() -> None:
    study, series = example()
    a = assess(study, series)
    # vertrouwen's 2020-Q4 ends on 31 December: the timeline starts in 2020-12
    assert [str(m) for m in a.months] == ["2020-12", "2021-01", "2021-02", "2021-03"]
    march = a.row("2021-03")
    x, y = a.axes
    # duur: S_korter = ln 2 (vacatures 110 >= 100); S_langer = min(ln 3, ln 3 + ln 2) = ln 3
    assert a.descriptor("duur").scores[march].tolist() == pytest.approx([LN2, LN3])
    # P(langer) = 3 / (2 + 3); x = tanh(ln(3/2) / 2) = (1.5 - 1) / (1.5 + 1) = 0.2
    assert a.descriptor("duur").probabilities[march].tolist() == pytest.approx([0.4, 0.6])
    assert x.position[march] == pytest.approx(0.2)
    # band: without ww x = tanh(-ln 2 / 2) = -1/3; without vacatures tanh(ln 3 / 2) = 0.5
    assert (x.low[march], x.high[march]) == pytest.approx((-1 / 3, 0.5))
    assert x.coverage[march] == 1.0
    # verandering: S_meer = ln 2 (digitaal 65 >= 60); vertrouwen has no 2021-Q1 value: no
    # reading, nothing carried forward. y = (2 - 1) / (2 + 1) = 1/3; band [0, 1/3]; coverage 1/2
    assert y.position[march] == pytest.approx(1 / 3)
    assert (y.low[march], y.high[march]) == pytest.approx((0.0, 1 / 3))
    assert y.coverage[march] == 0.5
    # scenarios: P(korter) P(minder) = 0.4 * 1/3, P(langer) 1/3, 0.4 * 2/3, 0.6 * 2/3
    assert a.scenarios == ("overbruggen", "overleven", "aanpassen", "transformeren")
    assert a.likelihoods[march].tolist() == pytest.approx([2 / 15, 0.2, 4 / 15, 0.4])
    assert a.trajectory()[march].scenario == "transformeren"
    # financien has no evidence: no probabilities
    assert [track.descriptor for track in a.descriptors] == ["duur", "verandering"]


def test_worked_example_explained() -> None:
    study, series = example()
    a = assess(study, series)
    got = a.explain("2021-03")
    assert [(c.indicator, c.variant, c.measure, c.period, c.since) for c in got] == [
        ("ww", "langer", "level", "2021-03", "2021-03"),
        ("ww", "langer", "change", "2021-03", "2021-03"),
        ("vacatures", "korter", "level", "2021-03", "2021-02"),
        ("digitaal", "meer", "level", "2021-03", "2021-01"),
    ]
    assert [c.reading for c in got] == [320.0, 25.0, 110.0, 65.0]
    assert [c.weight for c in got] == pytest.approx([LN3, LN2, LN2, LN2])
    # ww: both rules hold, ln 3 + ln 2 = ln 6, capped to ln 3 and shared in proportion
    assert [c.capped for c in got] == pytest.approx([LN3 * LN3 / LN6, LN2 * LN3 / LN6, LN2, LN2])
    assert [c.capped for c in got] == pytest.approx([0.67361, 0.42500, 0.69315, 0.69315], abs=1e-5)


def test_worked_example_moves_into_march() -> None:
    study, series = example()
    moves = assess(study, series).moves("2021-03")
    assert (moves.month, moves.previous) == ("2021-03", "2021-02")
    # February: S_langer - S_korter = -ln 2, x = -1/3; March x = 0.2
    assert moves.dx == pytest.approx(0.2 + 1 / 3)
    assert moves.dy == pytest.approx(0.0)
    level_share, change_share = LN3 * LN3 / LN6, LN2 * LN3 / LN6
    items = moves.items
    assert [(m.change, m.indicator, m.rule, m.before) for m in items] == [
        ("appeared", "ww", 0, 0.0),
        ("appeared", "ww", 1, 0.0),
    ]
    assert [m.after for m in items] == pytest.approx([level_share, change_share])
    # each alone, from February's log-odds -ln 2 (x = -1/3)
    assert [m.dx for m in items] == pytest.approx(
        [math.tanh((-LN2 + share) / 2) + 1 / 3 for share in (level_share, change_share)]
    )
    assert [m.dx for m in items] == pytest.approx([0.3236, 0.2001], abs=1e-4)
    assert [m.dy for m in items] == [0.0, 0.0]


def test_first_month_moves_from_no_evidence() -> None:
    study, series = example()
    a = assess(study, series, start=Period.parse("2021-01", "month"))
    moves = a.moves("2021-01")
    assert moves.previous is None
    # January: only digitaal holds (62 >= 60): y = 1/3
    assert [(m.change, m.indicator) for m in moves.items] == [("appeared", "digitaal")]
    assert moves.items[0].dy == pytest.approx(1 / 3) and moves.dy == pytest.approx(1 / 3)


def test_vanished_evidence_moves_back() -> None:
    study = corona_study(
        [indicator("ww", evidence=[evidence("duur", "langer", "strong", at_least=300)])]
    )
    series = build_series(study, observations("ww", {"2021-01": 310, "2021-02": 290}))
    moves = assess(study, series).moves("2021-02")
    # January x = tanh(ln 3 / 2) = 0.5; February 0
    assert [(m.change, m.before, m.after) for m in moves.items] == [("vanished", LN3, 0.0)]
    assert moves.items[0].dx == pytest.approx(-0.5) and moves.dx == pytest.approx(-0.5)


def test_missing_value_is_no_reading_and_breaks_since() -> None:
    study = corona_study([indicator("ww", evidence=[evidence("duur", "langer", at_least=1)])])
    records = observations("ww", {"2021-01": 5, "2021-03": 5, "2021-04": 5})
    a = assess(study, build_series(study, records))
    x = a.axes[0]
    # 2021-02 has no value: not carried forward, so position 0 and coverage 0
    assert x.position.tolist() == pytest.approx([1 / 3, 0.0, 1 / 3, 1 / 3])
    assert x.coverage.tolist() == [1.0, 0.0, 1.0, 1.0]
    assert [c.since for c in a.explain("2021-04")] == ["2021-03"]


def test_quarterly_indicator_is_read_once_its_quarter_has_ended() -> None:
    study = corona_study(
        [
            indicator("ww", evidence=[evidence("duur", "langer", at_least=0)]),
            indicator(
                "enquete", frequency="quarter", evidence=[evidence("duur", "korter", at_least=0)]
            ),
        ]
    )
    records = [
        *observations("ww", {"2021-01": 1, "2021-02": 1, "2021-03": 1, "2021-04": 1}),
        *observations("enquete", {"2021-Q1": 1}),
    ]
    a = assess(study, build_series(study, records))
    # enquete's 2021-Q1 is read from March (its last month) on, and still in April: 2021-Q2
    # has not ended by 30 April, so the latest ended quarter is 2021-Q1
    assert a.axes[0].position.tolist() == pytest.approx([1 / 3, 1 / 3, 0.0, 0.0])
    assert a.explain("2021-03")[1].period == "2021-Q1"


def test_cap_is_explicit_and_positive() -> None:
    study, series = example()
    wide = assess(study, series, cap=LN6)
    # ww now adds ln 6: S_langer - S_korter = ln 6 - ln 2 = ln 3, x = 0.5
    assert wide.axes[0].position[-1] == pytest.approx(0.5)
    with pytest.raises(ValidationError, match="cap"):
        assess(study, series, cap=0.0)


def test_refuses_wrong_months_and_empty_input() -> None:
    study, series = example()
    with pytest.raises(ValidationError) as caught:
        assess(study, series, start=Period.parse("2021-Q1", "quarter"), cap=-1)
    assert len(caught.value.problems) == 2
    with pytest.raises(ValidationError, match="no observations"):
        assess(study, {})
    with pytest.raises(ValidationError, match="before it starts"):
        assess(
            study,
            series,
            start=Period.parse("2021-03", "month"),
            end=Period.parse("2021-01", "month"),
        )
    with pytest.raises(ValidationError, match="outside the assessment"):
        assess(study, series).explain("2022-01")


def test_study_without_framing_has_probabilities_but_no_positions() -> None:
    study = corona_study(
        [indicator("ww", evidence=[evidence("financien", "tekort", "strong", at_least=1)])],
        framing=False,
    )
    a = assess(study, build_series(study, observations("ww", {"2021-01": 2})))
    assert a.axes == () and a.scenarios == () and a.trajectory() == ()
    # financien: S = (0, 0, ln 3) -> P = (1, 1, 3) / 5
    assert a.descriptor("financien").probabilities[0].tolist() == pytest.approx([0.2, 0.2, 0.6])
    assert a.moves("2021-01").dx == 0.0


def test_axis_without_evidence_sits_in_the_middle() -> None:
    study = corona_study([indicator("ww", evidence=[evidence("duur", "langer", at_least=1)])])
    a = assess(study, build_series(study, observations("ww", {"2021-01": 2})))
    y = a.axes[1]
    assert y.position.tolist() == [0.0] and y.indicators == ()
    assert np.isnan(y.coverage).all()
    # x = 1/3: P(langer) = 2/3; each quadrant of it 1/3 (y undecided)
    assert a.likelihoods[0].tolist() == pytest.approx([1 / 6, 1 / 3, 1 / 6, 1 / 3])
    # overleven and transformeren tie: no single most likely scenario
    row = a.trajectory()[0]
    assert (row.scenario, row.likelihood) == (None, pytest.approx(1 / 3))
