"""The worked example of the strategy review: three policies, four scenarios, computed by hand.

Import with ``from robustness_example import ...`` (pytest puts this folder on ``sys.path``).
The hand computation is written out in tests/methods/test_robustness.py.
"""

from __future__ import annotations

import datetime as dt

from koers.model import Study, Text
from koers.model.scenario import Scenario
from koers.model.strategy import Policy, PolicyScore, Strategy

SCENARIOS = ("a", "b", "c", "d")
POLICIES = ("schuld", "sport", "digi")
GIVEN = {  # policy -> participant -> scores in a, b, c, d
    "schuld": {"p": (2, 1, 2, 1), "q": (2, 1, 1, 1)},
    "sport": {"p": (1, -1, 0, -2), "q": (2, -1, -1, -1)},
    "digi": {"p": (0, 2, 2, 1), "q": (-1, 2, 1, 0)},
}
MEANS = [[2.0, 1.0, 1.5, 1.0], [1.5, -1.0, -0.5, -1.5], [-0.5, 2.0, 1.5, 0.5]]
LIKELIHOODS = {"a": 0.1, "b": 0.4, "c": 0.3, "d": 0.2}


def text(word: str) -> Text:
    return Text(nl=word, en=word)


def example_strategy(**changes: object) -> Strategy:
    scores = tuple(
        PolicyScore(policy=policy, scenario=scenario, participant=participant, score=score)
        for policy, by in GIVEN.items()
        for participant, row in by.items()
        for scenario, score in zip(SCENARIOS, row, strict=True)
    )
    strategy = Strategy(
        policies=tuple(Policy(key=key, name=text(key)) for key in POLICIES), scores=scores
    )
    return strategy.model_copy(update=changes)


def example_study(strategy: Strategy | None = None) -> Study:
    return Study(
        title=text("Voorbeeld"),
        organisation="Voorbeeldgemeente",
        horizon=dt.date(2028, 12, 31),
        scenarios=tuple(Scenario(key=key, name=text(key)) for key in SCENARIOS),
        strategy=strategy or example_strategy(),
    )
