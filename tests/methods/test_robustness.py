"""The score table and the robustness measures, against a worked example computed by hand.

The worked example: three policies judged by two participants (p, q) in four scenarios
(a, b, c, d) on the simple scale -2..+2, satisficing threshold 1.

    participant scores (p / q)       means (the score table)
             a      b      c      d         a     b     c     d
    schuld   2/2    1/1    2/1    1/1       2     1     1.5   1
    sport    1/2   -1/-1   0/-1  -2/-1      1.5  -1    -0.5  -1.5
    digi     0/-1   2/2    2/1    1/0      -0.5   2     1.5   0.5

    best per scenario (max of the column):  a 2, b 2, c 1.5, d 1

    regret = best - score        max regret    worst case (maximin)   satisficing share (>= 1)
    schuld  0    1    0    0     1   (b)       1    (b, d)            4/4 = 1
    sport   0.5  3    2    2.5   3   (b)      -1.5  (d)               1/4 = 0.25
    digi    2.5  0    0    0.5   2.5 (a)      -0.5  (a)               2/4 = 0.5

    expected value, likelihoods a 0.1, b 0.4, c 0.3, d 0.2:
    schuld  0.1*2    + 0.4*1  + 0.3*1.5    + 0.2*1    = 0.2  + 0.4 + 0.45 + 0.2 =  1.25
    sport   0.1*1.5  + 0.4*-1 + 0.3*-0.5   + 0.2*-1.5 = 0.15 - 0.4 - 0.15 - 0.3 = -0.7
    digi    0.1*-0.5 + 0.4*2  + 0.3*1.5    + 0.2*0.5  = -0.05 + 0.8 + 0.45 + 0.1 = 1.3
    with equal likelihoods (0.25 each): schuld 5.5/4 = 1.375, sport -1.5/4 = -0.375,
    digi 3.5/4 = 0.875
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from koers.errors import ValidationError
from koers.methods.robustness import (
    expected_value,
    likelihood_vector,
    max_regret,
    regret,
    robustness,
    satisficing_share,
    worst_case,
)
from koers.methods.scores import ScoreTable, combine, multipol, score_table
from koers.model.strategy import (
    Criterion,
    CriterionScore,
    Policy,
    WeightProfile,
)
from robustness_example import (
    LIKELIHOODS,
    MEANS,
    POLICIES,
    SCENARIOS,
    example_strategy,
    example_study,
    text,
)


@pytest.fixture
def table() -> ScoreTable:
    return score_table(example_study())


def test_the_table_holds_the_mean_of_the_participants(table: ScoreTable) -> None:
    assert table.policies == POLICIES
    assert table.scenarios == SCENARIOS
    assert table.values.tolist() == MEANS
    assert table.method == "scale"


def test_a_cell_keeps_each_participant_and_the_spread(table: ScoreTable) -> None:
    cell = table.cell("schuld", "c")
    assert cell is not None
    assert cell.participants == ("p", "q")
    assert cell.scores == (2.0, 1.0)
    # mean 1.5; deviations 0.5 and -0.5; sqrt((0.25 + 0.25) / 2) = 0.5
    assert cell.spread.value == 1.5
    assert (cell.spread.low, cell.spread.high) == (1.0, 2.0)
    assert cell.spread.deviation == pytest.approx(0.5)
    assert cell.spread.count == 2


def test_an_unjudged_cell_is_nan_and_has_no_judgement() -> None:
    strategy = example_strategy()
    kept = tuple(s for s in strategy.scores if not (s.policy == "digi" and s.scenario == "a"))
    table = score_table(example_study(strategy.model_copy(update={"scores": kept})))
    assert math.isnan(table.values[2, 0])
    assert table.cell("digi", "a") is None


def test_combine_with_median_and_the_population_deviation() -> None:
    # scores 2, 1, -2: sorted -2, 1, 2 -> median 1; mean 1/3;
    # squares (5/3)^2 + (2/3)^2 + (7/3)^2 = (25 + 4 + 49) / 9 = 78/9; / 3 = 78/27
    spread = combine([2, 1, -2], centre="median")
    assert spread.value == 1.0
    assert spread.deviation == pytest.approx(math.sqrt(78 / 27))
    assert (spread.low, spread.high, spread.count) == (-2.0, 2.0, 3)
    assert combine([2, 1, -2]).value == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="no scores"):
        combine([])


def test_worst_case(table: ScoreTable) -> None:
    assert worst_case(table.values).tolist() == [1.0, -1.5, -0.5]


def test_regret_against_the_best_in_each_scenario(table: ScoreTable) -> None:
    assert regret(table.values).tolist() == [
        [0.0, 1.0, 0.0, 0.0],
        [0.5, 3.0, 2.0, 2.5],
        [2.5, 0.0, 0.0, 0.5],
    ]
    assert max_regret(table.values).tolist() == [1.0, 3.0, 2.5]


def test_satisficing_share(table: ScoreTable) -> None:
    assert satisficing_share(table.values, 1.0).tolist() == [1.0, 0.25, 0.5]
    # at threshold 1.5: schuld reaches it in a and c (2/4), sport in a (1/4), digi in b, c
    assert satisficing_share(table.values, 1.5).tolist() == [0.5, 0.25, 0.5]


def test_expected_value(table: ScoreTable) -> None:
    weights = likelihood_vector(SCENARIOS, LIKELIHOODS)
    assert expected_value(table.values, weights) == pytest.approx([1.25, -0.7, 1.3])
    uniform = likelihood_vector(SCENARIOS, None)
    assert expected_value(table.values, uniform) == pytest.approx([1.375, -0.375, 0.875])


def test_expected_value_renormalises_over_the_judged_scenarios() -> None:
    # judged in a (0.1) and b (0.4) only: (0.1 * 2 + 0.4 * 0) / 0.5 = 0.4
    values = np.array([[2.0, 0.0, np.nan, np.nan], [np.nan, np.nan, np.nan, 1.0]])
    weights = np.array([0.1, 0.4, 0.5, 0.0])
    result = expected_value(values, weights)
    assert result[0] == pytest.approx(0.4)
    assert math.isnan(result[1])  # judged only where the likelihood is 0


def test_robustness_per_policy(table: ScoreTable) -> None:
    schuld, sport, digi = robustness(table, threshold=1.0, likelihoods=LIKELIHOODS)
    assert (schuld.worst, schuld.worst_in) == (1.0, ("b", "d"))
    assert (schuld.regret, schuld.regret_in) == (1.0, ("b",))
    assert (schuld.satisficing, schuld.judged) == (1.0, 4)
    assert schuld.expected == pytest.approx(1.25)
    assert (sport.worst, sport.worst_in, sport.regret, sport.regret_in) == (
        -1.5,
        ("d",),
        3.0,
        ("b",),
    )
    assert sport.satisficing == 0.25
    assert sport.expected == pytest.approx(-0.7)
    assert (digi.worst, digi.worst_in, digi.regret, digi.regret_in) == (-0.5, ("a",), 2.5, ("a",))
    assert digi.satisficing == 0.5
    assert digi.expected == pytest.approx(1.3)
    assert type(digi.expected) is float


def test_a_policy_judged_nowhere_has_no_measures() -> None:
    strategy = example_strategy()
    extra = (*strategy.policies, Policy(key="nieuw", name=text("nieuw")))
    table = score_table(example_study(strategy.model_copy(update={"policies": extra})))
    last = robustness(table, threshold=1.0)[-1]
    assert (last.worst, last.regret, last.satisficing, last.expected) == (None, None, None, None)
    assert (last.worst_in, last.regret_in, last.judged) == ((), (), 0)


def test_likelihoods_are_normalised_and_checked() -> None:
    assert likelihood_vector(SCENARIOS, {"a": 2, "b": 2}).tolist() == [0.5, 0.5, 0.0, 0.0]
    with pytest.raises(ValidationError, match="scenario 'b' is -1"):
        likelihood_vector(SCENARIOS, {"a": 1, "b": -1})
    with pytest.raises(ValidationError, match="every scenario has likelihood 0"):
        likelihood_vector(SCENARIOS, {"x": 1})


def test_multipol_weighs_the_criteria_per_scenario() -> None:
    # p: effect 2, cost -1; q: effect 1, cost 0
    # a (effect 3, cost 1): p (3*2 + 1*-1)/4 = 1.25, q (3*1 + 0)/4 = 0.75 -> mean 1.0, sd 0.25
    # b (effect 1, cost 1): p (2 - 1)/2 = 0.5, q (1 + 0)/2 = 0.5 -> mean 0.5, sd 0
    # c, d have no weight profile: not judged
    strategy = example_strategy(
        method="multipol",
        criteria=(Criterion(key="effect", name=text("e")), Criterion(key="cost", name=text("c"))),
        criterion_scores=tuple(
            CriterionScore(policy="schuld", criterion=c, participant=who, score=s)
            for who, c, s in (
                ("p", "effect", 2),
                ("p", "cost", -1),
                ("q", "effect", 1),
                ("q", "cost", 0),
            )
        ),
        weights=(
            WeightProfile(scenario="a", weights={"effect": 3, "cost": 1}),
            WeightProfile(scenario="b", weights={"effect": 1, "cost": 1}),
        ),
    )
    table = score_table(example_study(strategy))
    assert table.method == "multipol"
    assert table.values[0, :2].tolist() == [1.0, 0.5]
    assert np.isnan(table.values[0, 2:]).all()
    assert np.isnan(table.values[1:]).all()
    cell = table.cell("schuld", "a")
    assert cell is not None
    assert cell.scores == (1.25, 0.75)
    assert cell.spread.deviation == pytest.approx(0.25)
    # the simple scale is still there when asked for
    assert score_table(example_study(strategy), method="scale").values.tolist() == MEANS


def test_multipol_refuses_bad_weights() -> None:
    assert multipol({"e": 2}, {"e": 1, "c": 0}) == 2.0  # weight 0 needs no score
    with pytest.raises(ValueError, match="negative"):
        multipol({"e": 2}, {"e": -1})
    with pytest.raises(ValueError, match="all weights are zero"):
        multipol({"e": 2}, {"e": 0})
    with pytest.raises(ValueError, match="no score for criteria c"):
        multipol({"e": 2}, {"e": 1, "c": 1})


def test_a_study_without_strategy_gives_an_empty_table() -> None:
    study = example_study().model_copy(update={"strategy": None})
    table = score_table(study)
    assert table.policies == ()
    assert table.values.shape == (0, 4)
    assert robustness(table, threshold=1.0) == ()
