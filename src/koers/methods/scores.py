"""The score of each policy in each scenario: participants combined, simple scale or MULTIPOL."""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from koers.model.strategy import Strategy
from koers.model.study import Study

__all__ = [
    "Centre",
    "Judgement",
    "Method",
    "ScoreTable",
    "Spread",
    "combine",
    "multipol",
    "scenario_weights",
    "score_table",
]

Centre = Literal["mean", "median"]
Method = Literal["scale", "multipol"]


@dataclass(frozen=True)
class Spread:
    """What several participants said about one thing, summed up.

    Attributes
    ----------
    value : float
        The centre: the arithmetic mean, or the median, of the scores.
    low, high : float
        The lowest and the highest score (the range is ``high - low``).
    deviation : float
        The population standard deviation
        :math:`\\sigma = \\sqrt{\\tfrac{1}{n}\\sum_i (x_i - \\bar x)^2}` (0 for one score).
    count : int
        How many scores there are.
    """

    value: float
    low: float
    high: float
    deviation: float
    count: int


def combine(scores: Sequence[float], *, centre: Centre = "mean") -> Spread:
    """The participants' scores of one policy in one scenario, combined.

    .. math:: \\bar x = \\tfrac{1}{n}\\sum_i x_i, \\qquad
              \\sigma = \\sqrt{\\tfrac{1}{n}\\sum_i (x_i - \\bar x)^2}

    The spread is shown as the lowest and highest score and the population standard deviation
    (divided by :math:`n`, not :math:`n-1`: the participants are the whole group that judged,
    not a sample).

    Parameters
    ----------
    scores : sequence of float
        One score per participant, at least one.
    centre : {"mean", "median"}, optional (default="mean")
        Which centre to report as ``value``.

    Returns
    -------
    Spread

    Raises
    ------
    ValueError
        When ``scores`` is empty.

    Examples
    --------
    Two participants who say +2 and 0: mean 1, range 0..2, deviation
    :math:`\\sqrt{((2-1)^2 + (0-1)^2)/2} = 1`.

    >>> combine([2, 0])
    Spread(value=1.0, low=0.0, high=2.0, deviation=1.0, count=2)
    >>> combine([2, 1, -2], centre="median").value
    1.0
    """
    if not scores:
        raise ValueError("no scores to combine")
    values = [float(score) for score in scores]
    mean = math.fsum(values) / len(values)
    value = mean if centre == "mean" else float(statistics.median(values))
    deviation = math.sqrt(math.fsum((x - mean) ** 2 for x in values) / len(values))
    return Spread(value, min(values), max(values), deviation, len(values))


def multipol(scores: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """A policy's score in a scenario from its criterion scores and the scenario's weights.

    .. math:: \\mathrm{score}(p, s) = \\frac{\\sum_c w(s, c)\\, x(p, c)}{\\sum_c w(s, c)}

    The weights of a scenario are normalised to add up to one, so the result stays on the
    scale of the criterion scores (-2..+2). Criteria with weight 0 need no score.

    Parameters
    ----------
    scores : mapping of criterion key to float
        :math:`x(p, c)`: the policy's score on each criterion.
    weights : mapping of criterion key to float
        :math:`w(s, c) \\ge 0`: the scenario's weight profile, not all zero.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        When a weight is negative, all weights are zero, or a weighted criterion has no score.

    Examples
    --------
    Effect +2 (weight 3), cost -1 (weight 1): :math:`(3 \\cdot 2 + 1 \\cdot (-1)) / 4 = 1.25`.

    >>> multipol({"effect": 2, "cost": -1}, {"effect": 3, "cost": 1})
    1.25

    References
    ----------
    Godet, M. (1994). *From Anticipation to Action: A Handbook of Strategic Prospective*.
    UNESCO Publishing, ch. 9 (MULTIPOL: multicriteria evaluation of policies under scenarios).
    """
    if any(weight < 0 for weight in weights.values()):
        raise ValueError("a weight is negative")
    used = {key: weight for key, weight in weights.items() if weight > 0}
    if not used:
        raise ValueError("all weights are zero")
    missing = sorted(set(used) - set(scores))
    if missing:
        raise ValueError(f"no score for criteria {', '.join(missing)}")
    total = math.fsum(used.values())
    return math.fsum(weight * float(scores[key]) for key, weight in used.items()) / total


@dataclass(frozen=True)
class Judgement:
    """The combined judgement of one policy in one scenario.

    ``scores`` holds each participant's own score (on the simple scale, or their MULTIPOL
    score from their own criterion scores), in the order of ``participants``.
    """

    policy: str
    scenario: str
    spread: Spread
    participants: tuple[str, ...]
    scores: tuple[float, ...]


@dataclass(frozen=True, eq=False)
class ScoreTable:
    """Policies by scenarios: the combined score of each, NaN where nobody judged.

    Attributes
    ----------
    policies, scenarios : tuple of str
        Row and column keys, in the study's order.
    values : ndarray of float64, shape (len(policies), len(scenarios))
        ``values[p, s]``: the combined score (``Spread.value``); NaN when not judged.
    cells : tuple of Judgement
        The judged cells, row by row.
    method : {"scale", "multipol"}
    centre : {"mean", "median"}
    """

    policies: tuple[str, ...]
    scenarios: tuple[str, ...]
    values: NDArray[np.float64]
    cells: tuple[Judgement, ...] = field(default=())
    method: Method = "scale"
    centre: Centre = "mean"

    def cell(self, policy: str, scenario: str) -> Judgement | None:
        """The judgement of ``policy`` in ``scenario``, or None when nobody judged it."""
        for judgement in self.cells:
            if judgement.policy == policy and judgement.scenario == scenario:
                return judgement
        return None


def scenario_weights(strategy: Strategy) -> dict[str, dict[str, float]]:
    """The weight profile of each scenario that has one: scenario -> criterion -> weight."""
    return {profile.scenario: dict(profile.weights) for profile in strategy.weights}


def score_table(
    study: Study, *, method: Method | None = None, centre: Centre = "mean"
) -> ScoreTable:
    """The score table of a study's strategy review.

    With ``method="scale"`` each cell combines the participants' scores on the simple scale
    (-2 harmful, -1 weak, 0 neutral, +1 fits, +2 strong). With ``method="multipol"`` each
    participant's score of a policy in a scenario is :func:`multipol` of their criterion
    scores under the scenario's weight profile (a participant who left a weighted criterion
    unscored is left out of that cell); the cell then combines those. ``method`` defaults to
    ``study.strategy.method``.

    Parameters
    ----------
    study : Study
        A valid study (its rules checked); a study without a strategy gives an empty table.
    method : {"scale", "multipol"} or None, optional (default=None)
    centre : {"mean", "median"}, optional (default="mean")

    Returns
    -------
    ScoreTable
    """
    strategy = study.strategy or Strategy()
    chosen: Method = method or strategy.method
    policies = tuple(policy.key for policy in strategy.policies)
    scenarios = tuple(scenario.key for scenario in study.scenarios)
    given = _participant_scores(strategy, scenarios, chosen)
    values = np.full((len(policies), len(scenarios)), np.nan, dtype=np.float64)
    cells: list[Judgement] = []
    for row, policy in enumerate(policies):
        for column, scenario in enumerate(scenarios):
            by_participant = given.get((policy, scenario))
            if not by_participant:
                continue
            participants = tuple(by_participant)
            scores = tuple(by_participant[name] for name in participants)
            spread = combine(scores, centre=centre)
            values[row, column] = spread.value
            cells.append(Judgement(policy, scenario, spread, participants, scores))
    return ScoreTable(policies, scenarios, values, tuple(cells), chosen, centre)


def _participant_scores(
    strategy: Strategy, scenarios: Sequence[str], method: Method
) -> dict[tuple[str, str], dict[str, float]]:
    given: dict[tuple[str, str], dict[str, float]] = {}
    if method == "scale":
        for score in strategy.scores:
            given.setdefault((score.policy, score.scenario), {})[score.participant] = score.score
        return given
    by_policy: dict[tuple[str, str], dict[str, float]] = {}
    for criterion_score in strategy.criterion_scores:
        key = (criterion_score.policy, criterion_score.participant)
        by_policy.setdefault(key, {})[criterion_score.criterion] = criterion_score.score
    profiles = scenario_weights(strategy)
    for (policy, participant), criteria in by_policy.items():
        for scenario in scenarios:
            weights = profiles.get(scenario)
            if weights is None:
                continue
            try:
                value = multipol(criteria, weights)
            except ValueError:
                continue
            given.setdefault((policy, scenario), {})[participant] = value
    return given
