"""MICMAC against a 6-factor example computed by hand, tie rules, and invariance."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.errors import ValidationError
from koers.methods.micmac import (
    InfluenceMatrix,
    distinct_variants,
    micmac,
    ranks,
    study_influences,
    suggest,
)
from koers.model import Study

# The hand example (tests/data/micmac/hand-example.csv holds the same matrix). Row i, column
# j: the direct influence of i on j. D on A is P (potential), 0 in the actual matrix.
#
#        A  B  C  D  E  F | row sum (direct influence)
#    A   0  0  2  0  0  0 | 2
#    B   0  0  3  0  3  1 | 7
#    C   0  2  0  0  3  0 | 5
#    D   P  1  0  0  0  0 | 1
#    E   1  0  0  1  0  0 | 2
#    F   2  0  0  0  0  0 | 2
#   column sum:            total 19
#        3  3  5  1  6  1   (direct dependence)
FACTORS = ("A", "B", "C", "D", "E", "F")
VALUES = (
    (0, 0, 2, 0, 0, 0),
    (0, 0, 3, 0, 3, 1),
    (0, 2, 0, 0, 3, 0),
    (0, 1, 0, 0, 0, 0),
    (1, 0, 0, 1, 0, 0),
    (2, 0, 0, 0, 0, 0),
)
POTENTIAL = frozenset({(3, 0)})
HAND = InfluenceMatrix(FACTORS, VALUES, POTENTIAL)

# The row sums of M^k are I(k) = M I(k-1) (I(1) the row sums), the column sums D(k) =
# M^T D(k-1). Power 2:
#   I(2): A 2*C5 = 10; B 3*C5 + 3*E2 + 1*F2 = 23; C 2*B7 + 3*E2 = 20; D 1*B7 = 7;
#         E 1*A2 + 1*D1 = 3; F 2*A2 = 4
#   D(2): A 1*E6 + 2*F1 = 8; B 2*C5 + 1*D1 = 11; C 2*A3 + 3*B3 = 15; D 1*E6 = 6;
#         E 3*B3 + 3*C5 = 24; F 1*B3 = 3
# (for instance (M^2)[B][E] = M[B][C] M[C][E] = 3*3 = 9 and (M^2)[F][C] = M[F][A] M[A][C] =
# 2*2 = 4, entries of those sums). Power 3:
#   I(3): A 2*C20 = 40; B 3*C20 + 3*E3 + 1*F4 = 73; C 2*B23 + 3*E3 = 55; D 1*B23 = 23;
#         E 1*A10 + 1*D7 = 17; F 2*A10 = 20                                  total 228
#   D(3): A 1*E24 + 2*F3 = 30; B 2*C15 + 1*D6 = 36; C 2*A8 + 3*B11 = 49; D 1*E24 = 24;
#         E 3*B11 + 3*C15 = 78; F 1*B11 = 11                                 total 228
# Ranks (1 = largest, equal sums share the best rank):
#   influence  direct (2,7,5,1,2,2) -> 3 1 2 6 3 3; power 2 (10,23,20,7,3,4) -> 3 1 2 4 6 5;
#              power 3 (40,73,55,23,17,20) -> 3 1 2 4 6 5: unchanged, so stable at power 3.
#   dependence direct (3,3,5,1,6,1) -> 3 3 2 5 1 5; power 2 (8,11,15,6,24,3) -> 4 3 2 5 1 6;
#              power 3 (30,36,49,24,78,11) -> 4 3 2 5 1 6: unchanged.
DIRECT_INFLUENCE = [2, 7, 5, 1, 2, 2]
DIRECT_DEPENDENCE = [3, 3, 5, 1, 6, 1]
INDIRECT_INFLUENCE = [40, 73, 55, 23, 17, 20]
INDIRECT_DEPENDENCE = [30, 36, 49, 24, 78, 11]


def test_hand_example_sums_power_and_ranks() -> None:
    result = micmac(HAND)
    direct, indirect = result.direct.positions, result.indirect.positions
    assert [p.influence for p in direct] == DIRECT_INFLUENCE
    assert [p.dependence for p in direct] == DIRECT_DEPENDENCE
    assert (result.indirect.power, result.indirect.convergence) == (3, "stable")
    assert [p.influence for p in indirect] == INDIRECT_INFLUENCE
    assert [p.dependence for p in indirect] == INDIRECT_DEPENDENCE
    assert [p.influence_rank for p in direct] == [3, 1, 2, 6, 3, 3]
    assert [p.influence_rank for p in indirect] == [3, 1, 2, 4, 6, 5]
    assert [p.dependence_rank for p in direct] == [3, 3, 2, 5, 1, 5]
    assert [p.dependence_rank for p in indirect] == [4, 3, 2, 5, 1, 6]


def test_hand_example_shares() -> None:
    result = micmac(HAND)
    # Direct: 2/19 = 10.526%; indirect: 73/228 = 32.018%, 78/228 = 34.211%.
    assert result.direct.positions[0].influence_share == pytest.approx(10.526, abs=1e-3)
    assert result.indirect.positions[1].influence_share == pytest.approx(32.018, abs=1e-3)
    assert result.indirect.positions[4].dependence_share == pytest.approx(34.211, abs=1e-3)
    for plane in (result.direct, result.indirect):
        assert sum(p.influence_share for p in plane.positions) == pytest.approx(100)
        assert sum(p.dependence_share for p in plane.positions) == pytest.approx(100)


def test_hand_example_classes_and_hidden_driver() -> None:
    result = micmac(HAND)
    # Direct, mean 19/6 = 3.17: influence high for B 7, C 5; dependence high for C 5, E 6.
    assert [p.role for p in result.direct.positions] == [
        "autonomous",
        "influential",
        "relay",
        "autonomous",
        "dependent",
        "autonomous",
    ]
    # Indirect, mean 228/6 = 38: influence high for A 40, B 73, C 55; dependence high for
    # C 49, E 78. A becomes a driver only through its chains (A -> C -> B, E).
    assert [p.role for p in result.indirect.positions] == [
        "influential",
        "influential",
        "relay",
        "autonomous",
        "dependent",
        "autonomous",
    ]
    # Displacement = direct rank - indirect rank: A 3-3, B 1-1, C 2-2, D 6-4, E 3-6, F 3-5.
    assert [result.influence_displacement(i) for i in range(6)] == [0, 0, 0, 2, -3, -2]
    # Dependence: A 3-4, B 3-3, C 2-2, D 5-5, E 1-1, F 5-6.
    assert [result.dependence_displacement(i) for i in range(6)] == [-1, 0, 0, 0, 0, -1]
    assert result.hidden_drivers == ("D",)
    assert micmac(HAND, hidden_shift=3).hidden_drivers == ()


def test_hand_example_with_potential_influence() -> None:
    # P counts 3: row D becomes (3, 1, 0, 0, 0, 0), row sum 4; column A gains 3, sum 6.
    #   I(1) = 2 7 5 4 2 2
    #   I(2): A 2*5 = 10; B 3*5 + 3*2 + 1*2 = 23; C 2*7 + 3*2 = 20; D 3*A2 + 1*B7 = 13;
    #         E 2 + 4 = 6; F 2*2 = 4                  ranks 4 1 2 3 5 6
    #   I(3): A 2*20 = 40; B 3*20 + 3*6 + 4 = 82; C 2*23 + 3*6 = 64; D 3*10 + 23 = 53;
    #         E 10 + 13 = 23; F 2*10 = 20             ranks 4 1 2 3 5 6 (total 282)
    #   D(1) = 6 3 5 1 6 1
    #   D(2): A 3*D1 + 1*E6 + 2*F1 = 11; B 2*5 + 1*1 = 11; C 2*6 + 3*3 = 21; D 6;
    #         E 3*3 + 3*5 = 24; F 3                    ranks 3 3 2 5 1 6
    #   D(3): A 3*6 + 24 + 2*3 = 48; B 2*21 + 6 = 48; C 2*11 + 3*11 = 55; D 24;
    #         E 3*11 + 3*21 = 96; F 11                 ranks 3 3 2 5 1 6
    result = micmac(HAND)
    assert result.potential_direct is not None and result.potential_indirect is not None
    assert result.potential_weight == 3
    assert [p.influence for p in result.potential_direct.positions] == [2, 7, 5, 4, 2, 2]
    assert [p.dependence for p in result.potential_direct.positions] == [6, 3, 5, 1, 6, 1]
    indirect = result.potential_indirect
    assert (indirect.power, indirect.convergence) == (3, "stable")
    assert [p.influence for p in indirect.positions] == [40, 82, 64, 53, 23, 20]
    assert [p.dependence for p in indirect.positions] == [48, 48, 55, 24, 96, 11]
    assert [p.dependence_rank for p in indirect.positions] == [3, 3, 2, 5, 1, 6]
    # Mean 282/6 = 47: influence high B C D; dependence high A 48, B 48, C, E.
    assert [p.role for p in indirect.positions] == [
        "dependent",
        "relay",
        "relay",
        "influential",
        "dependent",
        "autonomous",
    ]
    # P counting 1: row D is (1, 1, 0, ...), row sum 2.
    weak = micmac(HAND, potential_weight=1)
    assert weak.potential_direct is not None
    assert weak.potential_direct.positions[3].influence == 2


def test_no_potential_plane_without_p() -> None:
    result = micmac(InfluenceMatrix(FACTORS, VALUES))
    assert result.potential_direct is None and result.potential_indirect is None


def test_factor_exactly_at_the_mean_counts_as_low() -> None:
    # A <-> B with 1 each way: influence 1 and dependence 1, both exactly at the mean 1.
    result = micmac(InfluenceMatrix(("A", "B"), ((0, 1), (1, 0))))
    assert [p.role for p in result.direct.positions] == ["autonomous", "autonomous"]
    assert [p.influence_rank for p in result.indirect.positions] == [1, 1]
    # M^2 = I: ranks unchanged at power 2.
    assert (result.indirect.power, result.indirect.convergence) == (2, "stable")


def test_a_matrix_without_loops_stops_at_its_longest_chain() -> None:
    # A -> B 1 -> C 2: M^2 has only A -> C (1*2 = 2), M^3 = 0.
    # Influence: direct A 1, B 2, C 0 -> ranks 2 1 3; power 2: A 2, B 0, C 0 -> ranks
    # 1 2 2, a change; M^3 = 0, so the indirect plane is that of M^2.
    result = micmac(InfluenceMatrix(("A", "B", "C"), ((0, 1, 0), (0, 0, 2), (0, 0, 0))))
    assert [p.influence_rank for p in result.direct.positions] == [2, 1, 3]
    assert (result.indirect.power, result.indirect.convergence) == (2, "no_loops")
    assert [p.influence for p in result.indirect.positions] == [2, 0, 0]
    assert [p.dependence for p in result.indirect.positions] == [0, 0, 2]


def test_zero_matrix() -> None:
    result = micmac(InfluenceMatrix(("A", "B"), ((0, 0), (0, 0))))
    assert (result.indirect.power, result.indirect.convergence) == (1, "no_loops")
    assert [p.influence_share for p in result.indirect.positions] == [0.0, 0.0]


def test_a_periodic_matrix_stops_at_the_maximum_power() -> None:
    # A -> B 3, B -> C 1, C -> A 1: M^3 = 3 I, so the ranks of M^k repeat every 3 powers
    # without settling (I(1) = 3 1 1, I(2) = 3 1 3, I(3) = 3 3 3, I(4) = 9 3 3, ...).
    cycle = InfluenceMatrix(("A", "B", "C"), ((0, 3, 0), (0, 0, 1), (1, 0, 0)))
    result = micmac(cycle, max_power=10)
    assert (result.indirect.power, result.indirect.convergence) == (10, "max_power")
    # I(10) = M^9 I(1) = 27 I(1).
    assert [p.influence for p in result.indirect.positions] == [81, 27, 27]


def test_sums_stay_exact_at_high_powers() -> None:
    # A -> B 3, B -> C 3, C -> A 1: every chain of 3 steps returns with weight 3*3*1 = 9, so
    # M^3 = 9 I and I(k + 3) = 9 I(k); I(1) = (3, 3, 1), so I(100) = 9^33 I(1). 9^33 is
    # about 3e31, far past the 2^53 that float64 holds exactly.
    cycle = InfluenceMatrix(("A", "B", "C"), ((0, 3, 0), (0, 0, 3), (1, 0, 0)))
    result = micmac(cycle, max_power=100)
    assert result.indirect.convergence == "max_power"
    assert [p.influence for p in result.indirect.positions] == [3 * 9**33, 3 * 9**33, 9**33]


def test_options_are_checked() -> None:
    with pytest.raises(ValidationError) as caught:
        micmac(HAND, max_power=1, potential_weight=4, hidden_shift=0)
    assert len(caught.value.problems) == 3


@pytest.mark.parametrize(
    ("factors", "values", "potential", "fragment"),
    [
        (("A",), ((0,),), frozenset(), "two factors or more"),
        (("A", "A"), ((0, 1), (1, 0)), frozenset(), "repeat"),
        (("A", "B"), ((0, 4), (1, 0)), frozenset(), "use 0..3"),
        (("A", "B"), ((2, 1), (1, 0)), frozenset(), "on itself"),
        (("A", "B"), ((0, 1), (1, 0), (0, 0)), frozenset(), "2 x 2"),
        (("A", "B"), ((0, 1), (0, 0)), frozenset({(0, 1)}), "both 1 and potential"),
        (("A", "B"), ((0, 1), (0, 0)), frozenset({(1, 1)}), "potential influence on itself"),
    ],
)
def test_bad_matrices_are_refused(
    factors: tuple[str, ...],
    values: tuple[tuple[int, ...], ...],
    potential: frozenset[tuple[int, int]],
    fragment: str,
) -> None:
    with pytest.raises(ValidationError, match=fragment):
        InfluenceMatrix(factors, values, potential)


def test_ranks_share_the_best_place() -> None:
    assert ranks([3, 3, 1, 5]) == (2, 2, 4, 1)


def test_suggestions_on_the_hand_example() -> None:
    result = micmac(HAND)
    # Uncertainty as if scenarios had settled B (one variant) and left the others open.
    uncertainty = {"A": 2, "B": 1, "C": 3, "D": 2, "E": 2, "F": 0}
    suggestions = suggest(result, uncertainty)
    # Uncertain: A, C, D, E; by indirect influence rank C 2, A 3, D 4, E 6 -> C, A.
    assert suggestions.axes == ("C", "A")
    # Influential (indirect): A (rank 3) and B (rank 1), best rank first.
    assert suggestions.leading_indicators == ("B", "A")
    assert suggestions.uncertainty == (2, 1, 3, 2, 2, 0)


def test_distinct_variants() -> None:
    assert distinct_variants(("x", "y"), []) == {"x": 0, "y": 0}
    assert distinct_variants(("x", "y"), [(0, 2), (1, 2), (2, 2)]) == {"x": 3, "y": 1}


@st.composite
def matrices(draw: st.DrawFn) -> tuple[InfluenceMatrix, list[int]]:
    size = draw(st.integers(2, 7))
    cells = st.integers(0, 3)
    values = tuple(tuple(0 if i == j else draw(cells) for j in range(size)) for i in range(size))
    potential = frozenset(
        (i, j)
        for i in range(size)
        for j in range(size)
        if i != j and values[i][j] == 0 and draw(st.booleans())
    )
    order = draw(st.permutations(list(range(size))))
    return InfluenceMatrix(tuple(f"f{i}" for i in range(size)), values, potential), order


@settings(max_examples=150, deadline=None)
@given(matrices())
def test_permuting_the_factors_permutes_the_results(
    case: tuple[InfluenceMatrix, list[int]],
) -> None:
    matrix, order = case
    # The permuted matrix: its factor k is factor order[k] of the original.
    permuted = InfluenceMatrix(
        tuple(matrix.factors[o] for o in order),
        tuple(tuple(matrix.values[r][c] for c in order) for r in order),
        frozenset((order.index(i), order.index(j)) for i, j in matrix.potential),
    )
    first, second = micmac(matrix, max_power=12), micmac(permuted, max_power=12)
    assert set(first.hidden_drivers) == set(second.hidden_drivers)
    for name in ("direct", "indirect", "potential_direct", "potential_indirect"):
        a, b = getattr(first, name), getattr(second, name)
        if a is None:
            assert b is None
            continue
        assert (a.power, a.convergence) == (b.power, b.convergence)
        assert [a.positions[o] for o in order] == list(b.positions)


def test_study_influences_take_the_largest_absolute_judgement() -> None:
    def factor(key: str) -> dict[str, object]:
        return {
            "key": key,
            "name": {"nl": key},
            "variants": [{"key": v, "name": {"nl": v}} for v in ("a", "b")],
        }

    reason = {"nl": "reden"}
    study = Study.model_validate(
        {
            "title": {"nl": "Voorbeeld"},
            "organisation": "Gemeente",
            "horizon": "2028-12-31",
            "descriptors": [factor("x"), factor("y"), factor("z")],
            "judgements": [
                # x on y: judgements 1 and -3 -> 3; z on x: 2 -> 2; y on z: all 0 -> 0.
                {
                    "source": "x",
                    "target": "y",
                    "impacts": {"a": {"a": 1}, "b": {"b": -3}},
                    "reason": reason,
                },
                {"source": "z", "target": "x", "impacts": {"a": {"b": 2}}, "reason": reason},
                {"source": "y", "target": "z", "impacts": {"a": {"a": 0}}},
            ],
        }
    )
    matrix = study_influences(study)
    assert matrix.factors == ("x", "y", "z")
    assert matrix.values == ((0, 3, 0), (0, 0, 0), (2, 0, 0))
    assert matrix.potential == frozenset()
