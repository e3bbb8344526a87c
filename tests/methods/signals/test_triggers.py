"""Triggers fire at the start of each run in which they hold; the level is the worst."""

from __future__ import annotations

from koers.methods.signals import build_series, fired, levels
from methods.signals.signals_cases import corona_study, indicator, observations, trigger


def study_and_series():
    study = corona_study(
        [
            indicator(
                "ww",
                triggers=[
                    trigger("hoog", "amber", at_least=100),
                    trigger("zeer-hoog", "red", at_least=150),
                    trigger("stijging", "amber", measure="change", at_least=20),
                ],
            ),
            indicator("stil", triggers=[trigger("laag", "green", at_most=0)]),
        ]
    )
    values = {
        "2021-01": 90,
        "2021-02": 110,  # hoog starts; change 20 >= 20: stijging starts
        "2021-03": 160,  # hoog goes on; zeer-hoog starts; change 50: stijging goes on
        "2021-04": 120,  # hoog goes on; zeer-hoog stops; change -40
        # 2021-05 missing: the runs break
        "2021-06": 130,  # hoog starts again; change not evaluable
    }
    return study, build_series(study, observations("ww", values))


def test_one_firing_per_run() -> None:
    study, series = study_and_series()
    got = [(f.trigger, f.period, f.level, f.value, f.reading) for f in fired(study, series)]
    assert got == [
        ("hoog", "2021-02", "amber", 110.0, 110.0),
        ("hoog", "2021-06", "amber", 130.0, 130.0),
        ("zeer-hoog", "2021-03", "red", 160.0, 160.0),
        ("stijging", "2021-02", "amber", 110.0, 20.0),
    ]


def test_level_is_the_most_severe_holding_trigger() -> None:
    study, series = study_and_series()
    # 'stil' has no series: no levels
    assert levels(study, series) == {
        "ww": (None, "amber", "red", "amber", None, "amber"),
    }
