"""Succession chains of a study: the start, the reasons as text, labels and the network."""

from __future__ import annotations

from typing import Any

import pytest

from cib_cases import load_somewhereland
from koers.errors import ValidationError
from koers.model import Study
from koers.services.chains import (
    ChainPush,
    ImpactEdge,
    chain,
    chain_attractors_check,
)


def _factor(key: str, *variants: str) -> dict[str, Any]:
    return {
        "key": key,
        "name": {"nl": key},
        "variants": [{"key": v, "name": {"nl": v}} for v in variants],
    }


def _section(source: str, target: str, impacts: dict[str, dict[str, int]]) -> dict[str, Any]:
    return {"source": source, "target": target, "impacts": impacts, "reason": {"nl": "zo"}}


def _scenario(key: str, a: str, b: str, preference: int) -> dict[str, Any]:
    return {
        "key": key,
        "name": {"nl": key, "en": key},
        "quadrant": {"A": a, "B": b},
        "preference": preference,
    }


# A and B hold each other (+-2); C pulls A harder (+-3) and nothing pulls C. Axes A and B.
TRIO = Study.model_validate(
    {
        "title": {"nl": "Drie"},
        "organisation": "Test",
        "horizon": "2030-01-01",
        "descriptors": [
            _factor("A", "a1", "a2"),
            _factor("B", "b1", "b2"),
            _factor("C", "c1", "c2"),
        ],
        "framing": {"axes": ["A", "B"]},
        "scenarios": [
            _scenario("bloei", "a1", "b1", 2),
            _scenario("krimp", "a2", "b2", -1),
            _scenario("links", "a1", "b2", 0),
            _scenario("rechts", "a2", "b1", 0),
        ],
        "judgements": [
            _section("A", "B", {"a1": {"b1": 2, "b2": -2}, "a2": {"b1": -2, "b2": 2}}),
            _section("B", "A", {"b1": {"a1": 2, "a2": -2}, "b2": {"a1": -2, "a2": 2}}),
            _section("C", "A", {"c1": {"a1": 3, "a2": -3}, "c2": {"a1": -3, "a2": 3}}),
        ],
    }
)


def test_a_held_shock_ends_in_a_future_the_team_avoids_with_its_reasons() -> None:
    # a1 b1 c1, shock A=a2 held: in a2 b1 c1 B scores b1 -2, b2 +2 (A's a2 row) and flips;
    # a2 b2 c1 is the end (A held). Quadrant a2/b2 is 'krimp', preference -1: bad.
    report = chain(TRIO, {"A": "a1", "B": "b1", "C": "c1"}, {"A": "a2"}, language="en")
    assert report.start == {"A": "a2", "B": "b1", "C": "c1"}
    assert report.filled == {}
    (step,) = report.steps
    assert step.held == ("A",) and step.scenario == {"A": "a2", "B": "b2", "C": "c1"}
    (flip,) = step.flips
    assert (flip.descriptor, flip.before, flip.after) == ("B", "b1", "b2")
    assert (flip.score_before, flip.score_after) == (-2, 2)
    assert flip.pushes == (ChainPush("A", "a2", -2, 2, 4),)
    assert flip.text == (
        "B flips from b1 to b2: b2 scores 2, b1 -2. Pushed by: A a2: +4 (-2 on b1, 2 on b2)."
    )
    (end,) = report.ends
    assert (end.scenario, end.preference, end.label) == ("krimp", -1, "bad")
    assert report.label == "bad" and not report.is_cycle
    assert report.summary == (
        "Steps: 1. The chain ends in a consistent scenario. "
        "It ends in krimp: a future the team wants to avoid."
    )
    assert report.network.nodes == ("A", "B")
    assert report.network.edges == (ImpactEdge("A", "B", 1, "a2", "b1", "b2", 4),)


def test_the_texts_speak_the_readers_language() -> None:
    report = chain(TRIO, {"A": "a1", "B": "b1", "C": "c1"}, {"A": "a2"}, language="nl")
    assert report.steps[0].flips[0].text == (
        "B slaat om van b1 naar b2: b2 scoort 2, b1 -2. "
        "Gedreven door: A a2: +4 (-2 op b1, 2 op b2)."
    )
    assert report.summary.endswith("een toekomst die het team wil vermijden.")


def test_a_one_off_shock_fades_back_to_a_good_future() -> None:
    # Released after step 1: A scores a1 = -2 + 3 = 1 > a2 = -1 and flips back; then B
    # follows A (b1 +2): a1 b1 c1, quadrant 'bloei' (+2): good.
    report = chain(TRIO, {"A": "a1", "B": "b1", "C": "c1"}, {"A": "a2"}, hold="first_step")
    assert [s.scenario for s in report.steps][-1] == {"A": "a1", "B": "b1", "C": "c1"}
    assert report.label == "good"
    pushes = report.steps[1].flips[0].pushes
    assert [(p.source, p.difference) for p in pushes] == [("C", 6), ("B", -4)]


def test_missing_descriptors_come_from_the_nearest_consistent_scenario() -> None:
    # Consistent: a1 b1 c1 (TIS 5 + 2 + 0 = 7) and a2 b2 c2 (7). C=c2 alone: a2 b2 c2 at
    # distance 0. A=a1, C=c2: both at distance 1, equal TIS: the first (a1 b1 c1) gives B=b1.
    assert chain(TRIO, {"C": "c2"}, {}).filled == {"A": "a2", "B": "b2"}
    report = chain(TRIO, {"A": "a1", "C": "c2"}, {})
    assert report.filled == {"B": "b1"}
    assert report.start == {"A": "a1", "B": "b1", "C": "c2"}


def test_a_cycle_through_liked_and_disliked_futures_is_mixed() -> None:
    # A -> B mirror (+-2), B -> A crossed (+-1): a1 b1 -> a2 b1 -> a2 b2 -> a1 b2 -> a1 b1.
    study = TRIO.model_copy(
        update={
            "judgements": (
                TRIO.judgements[0],
                TRIO.judgements[1].model_copy(
                    update={"impacts": {"b1": {"a1": -1, "a2": 1}, "b2": {"a1": 1, "a2": -1}}}
                ),
            )
        }
    )
    report = chain(study, {"A": "a1", "B": "b1", "C": "c1"}, {})
    assert report.is_cycle and len(report.ends) == 4
    assert {end.label for end in report.ends} == {"good", "bad", "neutral"}
    assert report.label == "mixed"
    assert report.steps[-1].closes_cycle


def test_no_framing_leaves_the_chain_unlabelled() -> None:
    bare = TRIO.model_copy(update={"framing": None, "scenarios": ()})
    report = chain(bare, {"A": "a1", "B": "b1", "C": "c1"}, {"A": "a2"})
    assert report.label is None and report.ends[0].label is None


def test_bad_start_and_shock_are_reported_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        chain(TRIO, {"Q": "a1", "B": "b9"}, {"A": "x"})
    messages = [str(problem) for problem in caught.value.problems]
    assert len(messages) == 3
    assert messages[0].startswith("start.Q: 'Q' is not a descriptor")
    assert "start.B: 'b9' is not a variant of 'B'; choose one of: b1, b2" in messages[1]
    assert messages[2].startswith("shock.A: 'x' is not a variant of 'A'")


def _somewhereland_study() -> Study:
    matrix = load_somewhereland()
    offsets = matrix.offsets.tolist()
    sections = []
    for i, source in enumerate(matrix.descriptors):
        for j, target in enumerate(matrix.descriptors):
            if i == j:
                continue
            impacts = {
                sv: {
                    tv: int(matrix.judgements[offsets[i] + k, offsets[j] + m])
                    for m, tv in enumerate(matrix.variants[j])
                }
                for k, sv in enumerate(matrix.variants[i])
            }
            sections.append(_section(source, target, impacts))
    return Study.model_validate(
        {
            "title": {"nl": "Somewhereland"},
            "organisation": "Test",
            "horizon": "2030-01-01",
            "descriptors": [
                _factor(d, *names)
                for d, names in zip(matrix.descriptors, matrix.variants, strict=True)
            ],
            "judgements": sections,
        }
    )


@pytest.mark.parametrize("rule", ["global", "adiabatic"])
def test_somewhereland_chains_end_where_exhaustive_succession_ends(rule: str) -> None:
    check = chain_attractors_check(_somewhereland_study(), rule)  # type: ignore[arg-type]
    assert check.starts == 486 and check.agrees


def test_a_somewhereland_chain_ends_in_a_consistent_scenario() -> None:
    # From A1B3C1D2E3F3 (the best-scoring consistent scenario, TIS 21) with the shock D=D1.
    start = dict(zip("ABCDEF", ["A1", "B3", "C1", "D2", "E3", "F3"], strict=True))
    report = chain(_somewhereland_study(), start, {"D": "D1"})
    assert report.steps and all(s.scenario["D"] == "D1" for s in report.steps)
    for step in report.steps:
        for flip in step.flips:
            assert sum(p.difference for p in flip.pushes) == flip.score_after - flip.score_before
