"""Keep, adapt or let go: the recommendations of the worked example in test_robustness.

The score table (means of participants p and q, threshold 1):

             a     b     c     d        fit        fails
    schuld   2     1     1.5   1        a b c d    -          -> keep
    sport    1.5  -1    -0.5  -1.5      a          b c d
    digi    -0.5   2     1.5   0.5      b c        a d        -> adapt

Likelihoods a 0.1, b 0.4, c 0.3, d 0.2: ranked b 0.4, c 0.3 (together 0.7 >= 0.5), so the
likely scenarios are b and c. sport fails in both -> let go. With equal likelihoods every
scenario is likely; sport is fit in a, so it is adapt.
"""

from __future__ import annotations

import datetime as dt

import pytest

from koers.methods.recommendation import (
    Breaking,
    Gap,
    Reason,
    breaking_assumptions,
    find_gaps,
    likely_scenarios,
    review,
)
from koers.methods.scores import score_table
from koers.model import Text
from koers.model.strategy import Assumption, Decision
from robustness_example import LIKELIHOODS, example_strategy, example_study


def _assumption(key: str, **fields: object) -> Assumption:
    return Assumption.model_validate(
        {"key": key, "policy": "digi", "text": {"nl": key, "en": key}, **fields}
    )


ASSUMPTIONS = (
    _assumption("x1", load_bearing=True, fails_in=("d",)),  # breaks in d
    _assumption("x2", load_bearing=True, vulnerable=True),  # where unknown: a and d
    _assumption("x3", vulnerable=True, fails_in=("a",)),  # not load-bearing: never
    _assumption("x4", load_bearing=True, fails_in=("b",)),  # b is not a failing scenario
)


def test_likely_scenarios_hold_half_of_the_mass() -> None:
    assert likely_scenarios(LIKELIHOODS) == ("b", "c")
    assert likely_scenarios({"a": 0.6, "b": 0.4}) == ("a",)
    # a tie with the last one taken is taken too
    assert likely_scenarios({"a": 0.3, "b": 0.3, "c": 0.3, "d": 0.1}) == ("a", "b", "c")
    assert likely_scenarios({"a": 0.0, "b": 1.0}) == ("b",)
    assert likely_scenarios({"a": 0.0}) == ()


def test_recommendations_with_the_signals_likelihoods() -> None:
    result = review(example_study(), likelihoods=LIKELIHOODS)
    assert result.likely == ("b", "c")
    assert result.likelihoods == pytest.approx(LIKELIHOODS)
    schuld, sport, digi = result.recommendations
    assert (schuld.recommended, schuld.verdict) == ("keep", "keep")
    assert schuld.reasons == (Reason("fit-everywhere", ("a", "b", "c", "d")),)
    assert (sport.recommended, sport.fit, sport.fails) == ("let-go", ("a",), ("b", "c", "d"))
    assert sport.reasons == (
        Reason("fails-in", ("b", "c", "d")),
        Reason("fails-in-likely", ("b", "c")),
    )
    assert (digi.recommended, digi.fit, digi.fails) == ("adapt", ("b", "c"), ("a", "d"))
    assert result.gaps == ()
    assert [r.expected for r in result.robustness] == pytest.approx([1.25, -0.7, 1.3])


def test_with_equal_likelihoods_every_scenario_is_likely() -> None:
    result = review(example_study())
    assert result.likely == ("a", "b", "c", "d")
    assert [r.recommended for r in result.recommendations] == ["keep", "adapt", "adapt"]


def test_the_breaking_assumptions_are_named() -> None:
    assert breaking_assumptions(ASSUMPTIONS, "digi", ("a", "d")) == (
        Breaking("x1", ("d",)),
        Breaking("x2", ("a", "d")),
    )
    assert breaking_assumptions(ASSUMPTIONS, "sport", ("a", "d")) == ()
    strategy = example_strategy(assumptions=ASSUMPTIONS)
    digi = review(example_study(strategy)).recommendations[2]
    assert digi.reasons == (
        Reason("fails-in", ("a", "d")),
        Reason("assumptions-break", ("a", "d"), ("x1", "x2")),
    )
    assert str(digi.reasons[1]) == "load-bearing assumptions that break there: x1, x2"


def test_a_decision_overrules_and_both_are_reported() -> None:
    def decision(verdict: str, day: int) -> Decision:
        return Decision.model_validate(
            {
                "policy": "sport",
                "verdict": verdict,
                "reason": Text(nl="contract", en="contract"),
                "decided_by": "college",
                "decided_on": dt.date(2026, 3, day),
            }
        )

    # the later decision (adapt, 20 March) stands over the earlier one (keep, 10 March)
    strategy = example_strategy(decisions=(decision("adapt", 20), decision("keep", 10)))
    sport = review(example_study(strategy), likelihoods=LIKELIHOODS).recommendations[1]
    assert (sport.recommended, sport.verdict, sport.overruled) == ("let-go", "adapt", True)
    assert sport.decision is not None and sport.decision.decided_on.day == 20
    assert sport.reasons[-1] == Reason("decided")
    confirming = example_strategy(decisions=(decision("let-go", 1),))
    sport = review(example_study(confirming), likelihoods=LIKELIHOODS).recommendations[1]
    assert (sport.verdict, sport.overruled) == ("let-go", False)


def test_gaps_are_scenarios_where_no_policy_is_fit() -> None:
    # threshold 1.5: column d holds 1, -1.5, 0.5; none reaches 1.5; schuld comes closest
    strategy = example_strategy(satisficing=1.5)
    result = review(example_study(strategy))
    assert result.gaps == (Gap("d", "schuld", 1.0),)
    table = score_table(example_study())
    assert find_gaps(table, threshold=2.5) == (
        Gap("a", "schuld", 2.0),
        Gap("b", "digi", 2.0),
        Gap("c", "schuld", 1.5),
        Gap("d", "schuld", 1.0),
    )


def test_an_unjudged_policy_has_no_recommendation_and_an_unjudged_scenario_is_a_gap() -> None:
    strategy = example_strategy()
    kept = tuple(s for s in strategy.scores if s.policy != "digi" and s.scenario != "d")
    result = review(example_study(strategy.model_copy(update={"scores": kept})))
    digi = result.recommendations[2]
    assert (digi.recommended, digi.verdict) == (None, None)
    assert digi.reasons == (Reason("unjudged"),)
    assert digi.unjudged == ("a", "b", "c", "d")
    assert result.gaps == (Gap("d", None, None),)
    assert result.recommendations[0].unjudged == ("d",)
