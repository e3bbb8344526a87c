"""succession: hand-followed paths, cycles, ties, and the plain reference step."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cib_cases import load_somewhereland, make_matrix, small_matrices
from koers.errors import ConvergenceError, ValidationError
from koers.methods.cib import CrossImpactMatrix, evaluate, succession
from koers.methods.cib.reference import succession_step

PAIR = make_matrix([2, 2], np.array([[0, 0, 2, -2], [0, 0, -2, 2], [1, -1, 0, 0], [-1, 1, 0, 0]]))


def test_global_succession_cycles_on_the_pair() -> None:
    # (a2, b1): A = (1, -1) -> a1; B = (-2, 2) -> b2; then (a1, b2): A = (-1, 1), B = (2, -2)
    s = succession(PAIR, [1, 0])
    assert s.path == ((1, 0), (0, 1))
    assert s.attractor == ((1, 0), (0, 1))
    assert s.is_cycle


def test_adiabatic_moves_the_most_inconsistent_descriptor_only() -> None:
    # (a2, b1): A misses by 2, B by 4: only B moves, to b2; (a2, b2) is consistent.
    s = succession(PAIR, [1, 0], rule="adiabatic")
    assert s.path == ((1, 0), (1, 1))
    assert s.attractor == ((1, 1),) and not s.is_cycle


def test_adiabatic_tie_between_descriptors_moves_the_lowest_index() -> None:
    # A and B each miss by 1 in (a1, b1): A moves first.
    m = make_matrix([2, 2], np.array([[0, 0, 0, 1], [0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0]]))
    assert succession(m, [0, 0], rule="adiabatic").path[:2] == ((0, 0), (1, 0))


def test_a_tie_keeps_the_incumbent_and_moves_go_to_the_lowest_best() -> None:
    # B's three variants tie at 0 whatever A does: b3 stays. A: a3 row lifts a1 and a2 to 1.
    m = make_matrix([3, 3], np.zeros((6, 6), dtype=np.int64))
    assert succession(m, [2, 2]).path == ((2, 2),)
    judgements = np.zeros((6, 6), dtype=np.int64)
    judgements[2, 0:2] = 1
    m = make_matrix([3, 3], judgements)
    s = succession(m, [2, 2])
    assert s.path == ((2, 2), (0, 2)) and s.attractor == ((0, 2),)


def test_fixed_points_are_the_consistent_scenarios_of_somewhereland() -> None:
    m = load_somewhereland()
    s = succession(m, [1, 0, 2, 0, 0, 0])
    assert evaluate(m, s.attractor[0]).consistent or s.is_cycle
    assert succession(m, [0, 2, 0, 1, 2, 2]).path == ((0, 2, 0, 1, 2, 2),)


def test_max_steps() -> None:
    with pytest.raises(ConvergenceError, match="max_steps"):
        succession(PAIR, [1, 0], max_steps=0)
    assert succession(PAIR, [0, 0], max_steps=0).attractor == ((0, 0),)


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"rule": "sideways"}, "rule must be"),
        ({"self_impacts": "x"}, "self_impacts"),
        ({"max_steps": -1}, "max_steps"),
    ],
)
def test_invalid_options(options: dict[str, object], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        succession(PAIR, [0, 0], **options)  # type: ignore[arg-type]


def test_invalid_start() -> None:
    with pytest.raises(ValidationError, match="outside"):
        succession(PAIR, [0, 2])


@settings(max_examples=60, deadline=None)
@given(
    matrix=small_matrices(max_descriptors=6),
    rule=st.sampled_from(["global", "adiabatic"]),
    self_impacts=st.sampled_from(["include", "exclude"]),
    data=st.data(),
)
def test_engine_step_equals_reference_step(
    matrix: CrossImpactMatrix, rule: str, self_impacts: str, data: st.DataObject
) -> None:
    start = tuple(data.draw(st.integers(0, n - 1)) for n in matrix.counts.tolist())
    s = succession(matrix, start, rule=rule, self_impacts=self_impacts)  # type: ignore[arg-type]
    for before, after in zip(s.path, s.path[1:] + s.attractor[:1], strict=True):
        assert succession_step(matrix, before, rule=rule, self_impacts=self_impacts) == after  # type: ignore[arg-type]
    if not s.is_cycle:
        assert evaluate(matrix, s.attractor[0], self_impacts=self_impacts).consistent  # type: ignore[arg-type]
