"""crossimpact.simulate against exact probabilities enumerated here, independently of the kernel.

Statistical checks allow 4.5 binomial standard errors, sqrt(p (1 - p) / runs): a correct
simulation fails one of them with probability below 1e-5 (and the seeds are fixed, so a
passing test keeps passing).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math

import numba
import numpy as np
import pytest

from koers.errors import ValidationError
from koers.methods import _crossimpact_kernels as kernels
from koers.methods.crossimpact import (
    MAX_EVENTS,
    ORDER_RUNS,
    Simulation,
    effects,
    simulate,
    update,
    wilson_interval,
)
from koers.methods.crossimpact_reference import reference_counts
from koers.model.events import Event, EventImpact

RUNS = 200_000


def event(key: str, probability: float, start: str | None = None, end: str | None = None) -> Event:
    return Event(
        key=key,
        name={"en": key.upper()},
        probability=probability,
        start=dt.date.fromisoformat(start) if start else None,
        end=dt.date.fromisoformat(end) if end else None,
    )


def impact(source: str, target: str, strength: int) -> EventImpact:
    return EventImpact(source=source, target=target, strength=strength)


def close(estimate: float, exact: float, runs: int = RUNS) -> bool:
    return abs(estimate - exact) <= 4.5 * math.sqrt(max(exact * (1 - exact), 1e-12) / runs)


# -- the exact answer, by enumerating every order and every outcome --------------------------


def exact(
    probabilities: dict[str, float], strengths: dict[tuple[str, str], int]
) -> dict[frozenset[str], float]:
    """The probability of each set of occurred events, over all orders (equally likely)."""
    keys = list(probabilities)
    result: dict[frozenset[str], float] = {}
    orders = list(itertools.permutations(keys))
    for order in orders:
        for outcome in itertools.product((True, False), repeat=len(keys)):
            chance = 1.0 / len(orders)
            current = dict(probabilities)
            for position, key in enumerate(order):
                p = current[key]
                chance *= p if outcome[position] else 1 - p
                if outcome[position]:
                    for later in order[position + 1 :]:
                        s = strengths.get((key, later), 0) / 3
                        current[later] = current[later] + s * current[later] * (1 - current[later])
            occurred = frozenset(k for k, hit in zip(order, outcome, strict=True) if hit)
            result[occurred] = result.get(occurred, 0.0) + chance
    return result


def marginal(distribution: dict[frozenset[str], float], key: str) -> float:
    return sum(p for occurred, p in distribution.items() if key in occurred)


THREE = {"a": 0.3, "b": 0.6, "c": 0.45}
THREE_IMPACTS = {("a", "b"): 3, ("b", "c"): -2, ("c", "a"): 1, ("a", "c"): 2}


def three() -> tuple[list[Event], list[EventImpact]]:
    events = [event(k, p) for k, p in THREE.items()]
    impacts = [impact(s, t, v) for (s, t), v in THREE_IMPACTS.items()]
    return events, impacts


def test_the_enumeration_itself_on_a_case_done_by_hand() -> None:
    # a and b at 0.5, a raises b by +3. a first (half the orders): b at 0.75 if a occurred
    # (0.5 + 1 * 0.5 * 0.5), else 0.5, so 0.5 * 0.75 + 0.5 * 0.5 = 0.625; b first: 0.5.
    # P(b) = (0.625 + 0.5) / 2 = 0.5625; P(a) = 0.5.
    distribution = exact({"a": 0.5, "b": 0.5}, {("a", "b"): 3})
    assert marginal(distribution, "b") == pytest.approx(0.5625)
    assert marginal(distribution, "a") == pytest.approx(0.5)
    assert sum(distribution.values()) == pytest.approx(1.0)


def test_three_events_match_their_exact_probabilities() -> None:
    events, impacts = three()
    distribution = exact(THREE, THREE_IMPACTS)
    result = simulate(events, impacts, runs=RUNS, seed=11, top=8)
    for outcome in result.outcomes:
        assert close(outcome.probability, marginal(distribution, outcome.key)), outcome
    assert len(result.patterns) == 8  # all 2**3 combinations
    for pattern in result.patterns:
        assert close(pattern.share, distribution[frozenset(pattern.events)]), pattern


def test_the_plain_python_reference_matches_the_same_exact_probabilities() -> None:
    events, impacts = three()
    distribution = exact(THREE, THREE_IMPACTS)
    runs = 40_000
    counts = reference_counts(events, impacts, runs=runs, seed=3)
    for key, count in zip(THREE, counts, strict=True):
        assert close(count / runs, marginal(distribution, key), runs)


def test_without_impacts_the_initial_probabilities_come_back() -> None:
    probabilities = [0.05, 0.2, 0.45, 0.73, 0.9, 0.0, 1.0]
    events = [event(f"e{i}", p) for i, p in enumerate(probabilities)]
    result = simulate(events, [], runs=RUNS, seed=5)
    for outcome, p in zip(result.outcomes, probabilities, strict=True):
        assert close(outcome.probability, p), outcome
        assert outcome.low <= p <= outcome.high or p in (0.0, 1.0)
    # impossible and certain events stay so, exactly
    assert result.outcome("e5").occurrences == 0
    assert result.outcome("e6").occurrences == RUNS
    # independent events: the commonest combination is each likely event and none other
    assert result.patterns[0].events == ("e3", "e4", "e6")  # 0.95*0.8*0.55*0.73*0.9 = 0.275


def test_association_of_a_raising_event() -> None:
    # as in the hand case: P(b | a) = 0.625, P(b | not a) = 0.5, so +0.125
    events = [event("a", 0.5), event("b", 0.5)]
    result = simulate(events, [impact("a", "b", 3)], runs=RUNS, seed=2)
    assert result.association[0][0] is None
    raised = result.association[0][1]
    assert raised is not None and abs(raised - 0.125) < 0.01
    assert close(result.outcome("b").probability, 0.5625)
    lowered = simulate(events, [impact("a", "b", -3)], runs=RUNS, seed=2).association[0][1]
    assert lowered is not None and abs(lowered + 0.125) < 0.01  # 0.5 * 0.25 + 0.5 * 0.5 - 0.5


def test_association_is_none_for_an_event_that_always_occurs() -> None:
    result = simulate([event("a", 1.0), event("b", 0.5)], [], runs=1000, seed=0)
    assert result.association[0][1] is None
    assert result.association[1][0] is not None


def test_effects_of_forcing_each_event() -> None:
    # a made to occur: b at 0.75 when a comes first (half the orders), else 0.5: 0.625;
    # a made not to occur: 0.5. Effect +0.125. b cannot reach a: exactly 0 (common numbers).
    events = [event("a", 0.5), event("b", 0.5)]
    measured = effects(events, [impact("a", "b", 3)], runs=RUNS, seed=3)
    change = measured.of("a", "b")
    assert change is not None and abs(change - 0.125) <= 4.5 * math.sqrt(0.25 / RUNS)
    assert measured.of("b", "a") == 0.0
    assert measured.change[0][0] is None and measured.runs == RUNS


def test_effects_reach_through_a_chain_and_match_the_enumeration() -> None:
    events, impacts = three()
    measured = effects(events, impacts, runs=RUNS, seed=4)
    for source in THREE:
        for target in THREE:
            if source == target:
                continue
            on = marginal(exact({**THREE, source: 1.0}, THREE_IMPACTS), target)
            off = marginal(exact({**THREE, source: 0.0}, THREE_IMPACTS), target)
            change = measured.of(source, target)
            assert change is not None
            # the difference of two estimates: at most twice one's tolerance
            assert abs(change - (on - off)) <= 9 * math.sqrt(0.25 / RUNS), (source, target)


def test_a_window_that_closes_first_decides_first() -> None:
    # a in January, b in March: a always comes before b, so b -> a never acts and
    # P(b) = 0.5 * 0.75 + 0.5 * 0.5 = 0.625 (a -> b always can), P(a) = 0.5.
    events = [
        event("a", 0.5, "2027-01-01", "2027-01-31"),
        event("b", 0.5, "2027-03-01", "2027-03-31"),
    ]
    impacts = [impact("a", "b", 3), impact("b", "a", 3)]
    result = simulate(events, impacts, runs=RUNS, seed=4, top=5)
    assert close(result.outcome("a").probability, 0.5)
    assert close(result.outcome("b").probability, 0.625)
    assert all(order.events != ("b", "a") for order in result.orders)
    assert result.before[1][0] == 0 and result.before[0][1] == result.together[0][1] > 0
    counts = reference_counts(events, impacts, runs=40_000, seed=1)
    assert close(counts[1] / 40_000, 0.625, 40_000)


def test_overlapping_windows_order_events_by_a_random_moment() -> None:
    # a within [0, 1) day, b within [0, 2) days: a comes first with probability
    # 1 - E[t_a / 2] = 3/4. P(b) = 3/4 * 0.625 + 1/4 * 0.5 = 0.59375.
    # Both, a first: 3/4 * 0.5 * 0.75 = 0.28125; both, b first: 1/4 * 0.5 * 0.5 = 0.0625.
    events = [
        event("a", 0.5, "2027-01-01", "2027-01-01"),
        event("b", 0.5, "2027-01-01", "2027-01-02"),
    ]
    result = simulate(events, [impact("a", "b", 3)], runs=RUNS, seed=8)
    assert close(result.outcome("b").probability, 0.59375)
    assert close(result.together[0][1] / RUNS, 0.28125 + 0.0625)
    assert close(result.before[0][1] / RUNS, 0.28125)
    assert close(result.before[1][0] / RUNS, 0.0625)


def test_an_event_without_window_may_come_at_any_moment_of_the_span() -> None:
    # a has no dates: it takes the whole span, [0, 2) days, as b does: a random order.
    events = [event("a", 0.5), event("b", 0.5, "2027-01-01", "2027-01-02")]
    result = simulate(events, [impact("a", "b", 3)], runs=RUNS, seed=9)
    assert close(result.outcome("b").probability, 0.5625)


def test_orders_list_the_events_in_the_order_they_occurred() -> None:
    events = [event("a", 1.0), event("b", 1.0), event("c", 1.0)]
    result = simulate(events, [], runs=60_000, seed=1, top=10)
    assert {order.events for order in result.orders} == set(itertools.permutations("abc"))
    assert all(close(order.share, 1 / 6, 60_000) for order in result.orders)
    assert result.patterns[0].events == ("a", "b", "c") and result.patterns[0].share == 1.0
    assert result.order_runs == 60_000


def test_long_orders_are_marked_truncated() -> None:
    # 20 events need 5 bits each: 12 fit in a 64-bit code with its flag bit
    events = [event(f"e{i:02d}", 1.0) for i in range(20)]
    result = simulate(events, [], runs=50, seed=0, top=3)
    assert all(order.truncated and len(order.events) == 12 for order in result.orders)
    assert result.patterns == (result.patterns[0],) and len(result.patterns[0].events) == 20


def test_the_same_seed_gives_the_same_result() -> None:
    events, impacts = three()
    first = simulate(events, impacts, runs=20_000, seed=42)
    again = simulate(events, impacts, runs=20_000, seed=np.random.default_rng(42))
    other = simulate(events, impacts, runs=20_000, seed=43)
    assert isinstance(first, Simulation)
    assert first == again
    assert first != other


def test_results_do_not_depend_on_threads() -> None:
    events, impacts = three()
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        alone = simulate(events, impacts, runs=30_000, seed=6)
    finally:
        numba.set_num_threads(threads)
    assert simulate(events, impacts, runs=30_000, seed=6) == alone


def test_results_do_not_depend_on_how_runs_are_cut_into_batches() -> None:
    p0 = np.array([0.3, 0.6, 0.45])
    fac = np.array([0, 1, 2 / 3, 0, 0, -2 / 3, 1 / 3, 0, 0], dtype=np.float64)
    lo, span = np.zeros(3), np.ones(3)

    def batch(first: int, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        masks, sequences = np.empty(size, np.uint64), np.empty(size, np.uint64)
        occurred, before = np.zeros(3, np.int64), np.zeros((3, 3), np.int64)
        kernels.simulate_batch(
            np.uint64(99), first, size, p0, fac, False, lo, span, 2, 31,
            masks, sequences, occurred, before,
        )  # fmt: skip
        return masks, sequences, occurred

    whole = batch(0, 10_000)
    head, tail = batch(0, 3_333), batch(3_333, 6_667)
    assert np.array_equal(whole[0], np.concatenate((head[0], tail[0])))
    assert np.array_equal(whole[1], np.concatenate((head[1], tail[1])))
    assert np.array_equal(whole[2], head[2] + tail[2])


def test_update_keeps_probabilities_in_the_unit_interval() -> None:
    for p in np.linspace(0, 1, 101):
        for strength in range(-3, 4):
            assert 0.0 <= update(float(p), strength) <= 1.0
    assert update(0.0, 3) == 0.0 and update(1.0, -3) == 1.0
    # 0.2 + (2/3) * 0.2 * 0.8 = 0.2 + 0.10667
    assert update(0.2, 2) == pytest.approx(0.306667, abs=1e-6)


def test_wilson_interval_at_the_edges() -> None:
    # 0 of 100: centre = (1.96^2 / 200) / (1 + 1.96^2 / 100) = 0.0185, the half-width the
    # same, so [0, 0.0370]; n of n mirrors it.
    low, high = wilson_interval(0, 100)
    assert low == 0.0 and high == pytest.approx(0.0370, abs=1e-4)
    low, high = wilson_interval(100, 100)
    assert high == 1.0 and low == pytest.approx(1 - 0.0370, abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_wilson_interval_of_a_published_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17, 857-872, table I: 81 of 263 gives the
    # Wilson score interval 0.2553 to 0.3662.
    low, high = wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


@pytest.mark.parametrize(
    ("events", "impacts", "runs", "words"),
    [
        ([], [], 10, "no events"),
        ([event("a", 0.5), event("a", 0.2)], [], 10, "two events have the key 'a'"),
        ([event("a", 0.5)], [impact("a", "a", 1)], 10, "on itself"),
        ([event("a", 0.5)], [impact("a", "x", 1)], 10, "target 'x' is not an event"),
        (
            [event("a", 0.5), event("b", 0.5)],
            [impact("a", "b", 1), impact("a", "b", 2)],
            10,
            "written twice",
        ),
        ([event("a", 0.5, "2027-02-01", "2027-01-01")], [], 10, "before it starts"),
        ([event("a", 0.5)], [], 0, "runs must be"),
        ([event(f"e{i}", 0.5) for i in range(MAX_EVENTS + 1)], [], 10, "more than 64"),
    ],
)
def test_bad_input_is_refused_with_a_reason(
    events: list[Event], impacts: list[EventImpact], runs: int, words: str
) -> None:
    with pytest.raises(ValidationError, match=words):
        simulate(events, impacts, runs=runs, seed=0)


def test_orders_are_counted_over_a_bounded_number_of_runs() -> None:
    assert ORDER_RUNS >= 1_000_000
