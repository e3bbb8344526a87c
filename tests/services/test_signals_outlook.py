"""The CIB side of the signals: the nearest consistent scenario and what may follow."""

from __future__ import annotations

from typing import Any

import pytest

from koers.model import Study
from koers.services.outlook import cib_outlook
from koers.services.signal_views import Nearest, Step


def _factor(key: str, *variants: str) -> dict[str, Any]:
    return {
        "key": key,
        "name": {"nl": key},
        "variants": [{"key": v, "name": {"nl": v}} for v in variants],
    }


def _mirror(source: str, target: str, strength: int) -> dict[str, Any]:
    """Variant k of ``source`` promotes variant k of ``target`` and hinders the other."""
    s1, s2, t1, t2 = f"{source}1", f"{source}2", f"{target}1", f"{target}2"
    return {
        "source": source.upper(),
        "target": target.upper(),
        "impacts": {
            s1: {t1: strength, t2: -strength},
            s2: {t1: -strength, t2: strength},
        },
        "reason": {"nl": "zo gaat dat"},
    }


STUDY = Study.model_validate(
    {
        "title": {"nl": "Klein"},
        "organisation": "Test",
        "horizon": "2030-01-01",
        "descriptors": [
            _factor("A", "a1", "a2"),
            _factor("B", "b1", "b2"),
            _factor("C", "c1", "c2"),
        ],
        # A and B hold each other (+-2); B pulls C (+-1). Consistent (ties allowed): a1 b1 c1
        # and a2 b2 c2: any C unlike B scores -1 against +1, any A unlike B -2 against +2.
        "judgements": [_mirror("a", "b", 2), _mirror("b", "a", 2), _mirror("b", "c", 1)],
    }
)


def test_nearest_breaks_a_distance_tie_by_the_signals_likelihood() -> None:
    probabilities = {"A": {"a1": 0.2, "a2": 0.8}, "C": {"c1": 0.6, "c2": 0.4}}
    nearest, follow = cib_outlook(STUDY, probabilities)
    # Observed: A=a2 (0.8, established), C=c1 (0.6, not established). Both consistent
    # scenarios differ in one observed descriptor; log-likelihoods: a1 b1 c1: ln .2 + ln .6 =
    # -2.12; a2 b2 c2: ln .8 + ln .4 = -1.14, so a2 b2 c2 is nearest, differing in C.
    # Fixing A=a2 leaves B=b2 (A's +2) and C=c2 (B's +1): one scenario remains.
    # The one that remains is ranked with the signals' likelihood P(a2) P(c2) = .8 * .4.
    assert nearest is not None
    assert nearest.ranked[0][1] == pytest.approx(0.32)
    assert nearest == Nearest(
        variants={"A": "a2", "B": "b2", "C": "c2"},
        differs=(("C", "c1", "c2"),),
        established={"A": "a2"},
        remaining=1,
        observed={"A": "a2", "C": "c1"},
        ranked=(({"A": "a2", "B": "b2", "C": "c2"}, nearest.ranked[0][1]),),
    )
    # From a2 b2 c1, C scores c1 -1 and c2 +1 under b2 and flips; then nothing moves.
    assert follow == (Step(1, "C", "c1", "c2"),)


def test_a_consistent_observed_state_is_its_own_nearest_and_nothing_follows() -> None:
    probabilities = {"A": {"a1": 0.9, "a2": 0.1}, "B": {"b1": 0.9, "b2": 0.1}}
    nearest, follow = cib_outlook(STUDY, probabilities)
    assert nearest is not None
    assert nearest.variants == {"A": "a1", "B": "b1", "C": "c1"}
    assert nearest.differs == ()
    assert follow == ()


def test_no_signals_or_no_judgements_give_no_outlook() -> None:
    assert cib_outlook(STUDY, {}) == (None, ())
    bare = STUDY.model_copy(update={"judgements": ()})
    assert cib_outlook(bare, {"A": {"a1": 1.0, "a2": 0.0}}) == (None, ())
