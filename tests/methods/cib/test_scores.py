"""evaluate: impact balances checked by hand and against the ScenarioWizard manual."""

from __future__ import annotations

import numpy as np
import pytest

from cib_cases import load_somewhereland, make_matrix
from koers.errors import ValidationError
from koers.methods.cib import evaluate, solve


def test_somewhereland_test_scenario_of_the_manual() -> None:
    # A2 B1 C3 D1 E1 F1 (manual, section 2.3.2, Fig. 2-3)
    e = evaluate(load_somewhereland(), [1, 0, 2, 0, 0, 0])
    assert e.balance.tolist() == [0, 3, -3, 2, 1, -3, -9, -1, 10, -7, 7, 4, -1, -3, 2, -1, -1]
    assert e.inconsistency == 14
    assert e.total_impact_score == 14
    # D: chosen D1 scores -7 against D2's 7; every other chosen variant is best
    assert e.descriptor_inconsistencies == (0, 0, 0, 14, 0, 0)
    assert e.descriptor_margins == (3, 1, 11, -14, 5, 3)
    assert e.margin == -14
    assert not e.consistent and not e.strictly_consistent


def test_hand_computed_balance_with_and_without_self_impacts() -> None:
    # A: a1 a2; B: b1 b2 b3. Rows: a1 = [1, 0 | 2, 0, -1], a2 = [0, 0 | 0, 0, 0],
    # b1 = [-1, 1 | 0, 0, 0], b2 = [0, 0 | 0, 0, 0], b3 = [0, 0 | 0, 0, 4].
    m = make_matrix(
        [2, 3],
        np.array(
            [
                [1, 0, 2, 0, -1],
                [0, 0, 0, 0, 0],
                [-1, 1, 0, 0, 0],
                [0, 0, 0, 0, 0],
                [0, 0, 0, 0, 4],
            ]
        ),
    )
    # (a1, b1): A = a1 row + b1 row = (1 - 1, 0 + 1) = (0, 1); B = (2, 0, -1)
    e = evaluate(m, (0, 0))
    assert e.balance.tolist() == [0, 1, 2, 0, -1]
    assert e.descriptor_inconsistencies == (1, 0)
    assert e.descriptor_margins == (-1, 2)
    assert (e.inconsistency, e.margin, e.total_impact_score) == (1, -1, 2)
    # (a1, b3) with self-impacts: B = (2, 0, -1 + 4) -> b3 (3) beats b1 (2)
    e = evaluate(m, (0, 2))
    assert e.balance.tolist() == [1, 0, 2, 0, 3]
    assert e.consistent and e.strictly_consistent and e.margin == 1
    e = evaluate(m, (0, 2), self_impacts="exclude")
    assert e.balance.tolist() == [0, 0, 2, 0, -1]
    assert e.descriptor_inconsistencies == (0, 3)
    assert e.total_impact_score == -1


def test_ties_are_consistent_but_not_strict() -> None:
    m = make_matrix([2], np.zeros((2, 2), dtype=np.int64))
    e = evaluate(m, [1])
    assert e.consistent and not e.strictly_consistent and e.margin == 0


def test_evaluate_agrees_with_solve_on_somewhereland() -> None:
    m = load_somewhereland()
    s = solve(m)
    for row, tis, margin in zip(s.scenarios, s.total_impact_scores, s.margins, strict=True):
        e = evaluate(m, row)
        assert e.consistent and (e.total_impact_score, e.margin) == (tis, margin)


@pytest.mark.parametrize(
    ("scenario", "words"),
    [
        ([0], "one whole variant index per descriptor"),
        ([0.5, 1], "one whole variant index per descriptor"),
        ([0, 3], "variant index 3 is outside 0..2"),
        ([-1, 0], "variant index -1 is outside 0..1"),
    ],
)
def test_invalid_scenarios(scenario: list[float], words: str) -> None:
    m = make_matrix([2, 3], np.zeros((5, 5), dtype=np.int64))
    with pytest.raises(ValidationError, match=words):
        evaluate(m, scenario)


def test_invalid_self_impacts() -> None:
    m = make_matrix([2], np.zeros((2, 2), dtype=np.int64))
    with pytest.raises(ValidationError, match="self_impacts"):
        evaluate(m, [0], self_impacts="yes")  # type: ignore[arg-type]
