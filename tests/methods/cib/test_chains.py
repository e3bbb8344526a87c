"""Succession chains: hand-followed chains with their reasons, held shocks, and the ends."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cib_cases import cib_global, load_somewhereland, make_matrix, small_matrices
from koers.errors import ConvergenceError, ValidationError
from koers.methods.cib import CrossImpactMatrix, succession
from koers.methods.cib.chains import Push, attractors_check, follow_chain
from koers.methods.cib.reference import brute_force, succession_step

# Rows a1 a2 b1 b2 c1 c2 (0-based scenario indices below). A and B hold each other (+-2);
# C pulls A harder (+-3) and is pulled by nothing, so C never moves.
TRIO = CrossImpactMatrix(
    ("A", "B", "C"),
    (("a1", "a2"), ("b1", "b2"), ("c1", "c2")),
    np.array(
        [
            [0, 0, 2, -2, 0, 0],
            [0, 0, -2, 2, 0, 0],
            [2, -2, 0, 0, 0, 0],
            [-2, 2, 0, 0, 0, 0],
            [3, -3, 0, 0, 0, 0],
            [-3, 3, 0, 0, 0, 0],
        ]
    ),
)


def test_a_held_shock_moves_b_and_stays() -> None:
    # Start a1 b1 c1; shock A=a2, held. In a2 b1 c1 B scores b1 = -2, b2 = +2 (A's a2 row):
    # B flips. A would flip back (a1 = b1 +2 + c1 +3 = 5 against a2 = -5), but it is held.
    # In a2 b2 c1 B scores b2 +2 > b1 -2 and C scores 0, 0: nothing free moves, the end.
    chain = follow_chain(TRIO, [0, 0, 0], {0: 1})
    assert chain.origin == (0, 0, 0)
    assert chain.shock == ((0, 1),)
    assert chain.path == ((1, 0, 0), (1, 1, 0))
    assert chain.attractor == ((1, 1, 0),) and not chain.is_cycle
    (step,) = chain.steps
    assert (step.number, step.before, step.after, step.held) == (1, (1, 0, 0), (1, 1, 0), (0,))
    (flip,) = step.flips
    assert (flip.descriptor, flip.before, flip.after) == (1, 0, 1)
    assert (flip.score_before, flip.score_after) == (-2, 2)
    assert flip.pushes == (Push(source=0, variant=1, on_before=-2, on_after=2),)


def test_a_one_off_shock_fades_and_the_reasons_come_largest_first() -> None:
    # Shock A=a2 held for the first step only. Step 1 as above: B b1 -> b2, giving a2 b2 c1.
    # Step 2 (released): A scores a1 = b2 -2 + c1 +3 = 1, a2 = b2 +2 + c1 -3 = -1: A flips
    # back. Pushes: C c1 (-3 on a2, +3 on a1): +6; B b2 (+2 on a2, -2 on a1): -4; 6 - 4 = 2.
    # B scores b2 +2 (a2) and stays. Step 3 in a1 b2 c1: B scores b1 = +2, b2 = -2 (A's a1
    # row): B flips back; A stays (1 > -1). a1 b1 c1 is consistent: the end is the origin.
    chain = follow_chain(TRIO, [0, 0, 0], {0: 1}, hold="first_step")
    assert chain.path == ((1, 0, 0), (1, 1, 0), (0, 1, 0), (0, 0, 0))
    assert chain.attractor == ((0, 0, 0),)
    assert [step.held for step in chain.steps] == [(0,), (), ()]
    (flip,) = chain.steps[1].flips
    assert (flip.descriptor, flip.before, flip.after) == (0, 1, 0)
    assert (flip.score_before, flip.score_after) == (-1, 1)
    assert flip.pushes == (
        Push(source=2, variant=0, on_before=-3, on_after=3),
        Push(source=1, variant=1, on_before=2, on_after=-2),
    )
    assert [p.difference for p in flip.pushes] == [6, -4]
    (flip,) = chain.steps[2].flips
    assert (flip.descriptor, flip.before, flip.after, flip.score_before, flip.score_after) == (
        1,
        1,
        0,
        -2,
        2,
    )


def test_global_flips_share_a_step_and_a_cycle_is_closed() -> None:
    # No shock, start a2 b1 c1: A scores a1 = b1 +2 + c1 +3 = 5 > a2 = -5; B scores
    # b2 = +2 > b1 = -2 (a2): both flip at once to a1 b2 c1. There A: a1 = -2 + 3 = 1 > -1,
    # stays; B: b1 = +2 (a1) > b2: flips to a1 b1 c1, consistent.
    chain = follow_chain(TRIO, [1, 0, 0])
    assert chain.path == ((1, 0, 0), (0, 1, 0), (0, 0, 0))
    assert [flip.descriptor for flip in chain.steps[0].flips] == [0, 1]
    # The pair of tests/methods/cib/test_succession.py: (a2, b1) -> (a1, b2) -> (a2, b1).
    pair = make_matrix(
        [2, 2], np.array([[0, 0, 2, -2], [0, 0, -2, 2], [1, -1, 0, 0], [-1, 1, 0, 0]])
    )
    cycle = follow_chain(pair, [1, 0])
    assert cycle.is_cycle and cycle.attractor == ((1, 0), (0, 1))
    assert [step.closes_cycle for step in cycle.steps] == [False, True]
    assert cycle.steps[-1].after == (1, 0)


def test_adiabatic_moves_one_descriptor_a_step() -> None:
    # a2 b1 c1 unheld: A misses by 10, B by 4: A moves to a1, which is consistent with b1 c1.
    assert follow_chain(TRIO, [1, 0, 0], rule="adiabatic").path == ((1, 0, 0), (0, 0, 0))
    # Held A=a2: only B can move (by 4), then nothing.
    held = follow_chain(TRIO, [0, 0, 0], {0: 1}, rule="adiabatic")
    assert held.path == ((1, 0, 0), (1, 1, 0))


@pytest.mark.parametrize("rule", ["global", "adiabatic"])
@pytest.mark.parametrize("load", [load_somewhereland, cib_global])
def test_without_a_shock_the_chain_is_the_succession(rule: str, load: object) -> None:
    matrix = load()  # type: ignore[operator]
    for start in itertools.product(*(range(n) for n in matrix.counts.tolist())):
        expected = succession(matrix, start, rule=rule)  # type: ignore[arg-type]
        chain = follow_chain(matrix, start, rule=rule)  # type: ignore[arg-type]
        assert chain.path == expected.path
        assert chain.attractor == expected.attractor
        assert [s.after for s in chain.steps] == list(expected.path[1:]) + (
            [expected.attractor[0]] if expected.is_cycle else []
        )


@pytest.mark.parametrize("rule", ["global", "adiabatic"])
def test_somewhereland_chains_end_at_the_attractors_of_exhaustive_succession(rule: str) -> None:
    # Against the plain reference step from every one of the 486 starts, and against basins.
    matrix = load_somewhereland()
    ends: Counter[tuple[tuple[int, ...], ...]] = Counter()
    for start in itertools.product(*(range(n) for n in matrix.counts.tolist())):
        path = [start]
        while (step := succession_step(matrix, path[-1], rule=rule)) not in path:
            path.append(step)
        expected = tuple(path[path.index(step) :])
        chain = follow_chain(matrix, start, rule=rule)  # type: ignore[arg-type]
        assert chain.attractor == expected
        ends[tuple(sorted(expected))] += 1
    check = attractors_check(matrix, rule=rule)  # type: ignore[arg-type]
    assert check.agrees and check.starts == 486
    assert dict(check.found) == dict(ends)


def _held_step(
    matrix: CrossImpactMatrix, z: tuple[int, ...], held: set[int], rule: str
) -> tuple[int, ...]:
    """The reference step with the held descriptors left out of the moves, written plainly."""
    offsets = matrix.offsets.tolist()
    theta = matrix.judgements[[offsets[i] + v for i, v in enumerate(z)]].sum(axis=0).tolist()
    moves = []
    for j, chosen in enumerate(z):
        block = theta[offsets[j] : offsets[j + 1]]
        if j not in held and block[chosen] < max(block):
            moves.append((max(block) - block[chosen], j, block.index(max(block))))
    nxt = list(z)
    if rule == "global":
        for _, j, to in moves:
            nxt[j] = to
    elif moves:
        gap = max(m[0] for m in moves)
        _, j, to = next(m for m in moves if m[0] == gap)
        nxt[j] = to
    return tuple(nxt)


@pytest.mark.parametrize("rule", ["global", "adiabatic"])
def test_held_shocks_stay_and_fixed_ends_are_consistent_under_the_intervention(rule: str) -> None:
    matrix = load_somewhereland()
    shock = {0: 2, 3: 1}  # A3 and D2 forced
    consistent = {tuple(row) for row in brute_force(matrix, fixed=shock)[0].tolist()}
    for start in itertools.product(*(range(n) for n in matrix.counts.tolist())):
        chain = follow_chain(matrix, start, shock, rule=rule)  # type: ignore[arg-type]
        assert all(z[0] == 2 and z[3] == 1 for z in chain.path)
        path = [chain.path[0]]
        while (step := _held_step(matrix, path[-1], {0, 3}, rule)) not in path:
            path.append(step)
        assert chain.path == tuple(path)
        if not chain.is_cycle:
            assert chain.attractor[0] in consistent


@settings(max_examples=40, deadline=None)
@given(small_matrices(max_descriptors=5, max_space=400), st.data())
def test_every_flip_goes_to_a_best_variant_and_its_pushes_add_up(
    matrix: CrossImpactMatrix, data: st.DataObject
) -> None:
    counts = matrix.counts.tolist()
    start = [data.draw(st.integers(0, n - 1)) for n in counts]
    j = data.draw(st.integers(0, len(counts) - 1))
    shock = {j: data.draw(st.integers(0, counts[j] - 1))}
    for rule in ("global", "adiabatic"):
        chain = follow_chain(matrix, start, shock, rule=rule)  # type: ignore[arg-type]
        offsets = matrix.offsets.tolist()
        for step in chain.steps:
            theta = matrix.judgements[[offsets[i] + v for i, v in enumerate(step.before)]].sum(0)
            for flip in step.flips:
                assert flip.descriptor != j
                block = theta[offsets[flip.descriptor] : offsets[flip.descriptor + 1]]
                assert flip.score_after == block.max() > flip.score_before
                assert sum(p.difference for p in flip.pushes) == (
                    flip.score_after - flip.score_before
                )
                assert all(p.difference != 0 for p in flip.pushes)
                diffs = [p.difference for p in flip.pushes]
                assert diffs == sorted(diffs, reverse=True)


def test_bad_options_and_long_chains() -> None:
    with pytest.raises(ValidationError, match="hold must be"):
        follow_chain(TRIO, [0, 0, 0], hold="forever")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="rule must be"):
        follow_chain(TRIO, [0, 0, 0], rule="local")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="no variant index 5"):
        follow_chain(TRIO, [0, 0, 0], {1: 5})
    with pytest.raises(ValidationError, match="one whole variant index per descriptor"):
        follow_chain(TRIO, [0, 0])
    with pytest.raises(ConvergenceError, match="max_steps"):
        follow_chain(TRIO, [1, 0, 0], max_steps=1)
    assert follow_chain(TRIO, [0, 0, 0], max_steps=0).path == ((0, 0, 0),)
