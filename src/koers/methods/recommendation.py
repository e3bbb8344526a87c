"""Keep, adapt or let go: a recommendation per policy with its reasons, and the gaps."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from koers.methods.robustness import Robustness, likelihood_vector, robustness
from koers.methods.scores import Centre, Method, ScoreTable, score_table
from koers.model.strategy import Assumption, Decision, Strategy, Verdict
from koers.model.study import Study

__all__ = [
    "LIKELY_MASS",
    "Breaking",
    "Gap",
    "Reason",
    "ReasonKind",
    "Recommendation",
    "Review",
    "breaking_assumptions",
    "find_gaps",
    "latest_decision",
    "likely_scenarios",
    "recommend",
    "review",
]

LIKELY_MASS = 0.5
"""The share of the probability mass the likely scenarios hold together (at least)."""

ReasonKind = Literal[
    "fit-everywhere", "fails-in", "assumptions-break", "fails-in-likely", "unjudged", "decided"
]


@dataclass(frozen=True)
class Breaking:
    """A load-bearing assumption of a policy that breaks in scenarios where the policy fails."""

    assumption: str
    scenarios: tuple[str, ...]


@dataclass(frozen=True)
class Reason:
    """One reason for a recommendation, as data; ``str()`` gives it in plain English.

    ``kind`` is one of: ``fit-everywhere`` (fit in every judged scenario), ``fails-in`` (the
    scenarios where the score is below the threshold), ``assumptions-break`` (the load-bearing
    assumptions that break there), ``fails-in-likely`` (it fails in every likely scenario),
    ``unjudged`` (nobody judged it), ``decided`` (a recorded decision sets the verdict).
    """

    kind: ReasonKind
    scenarios: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()

    def __str__(self) -> str:
        scenarios = ", ".join(self.scenarios)
        match self.kind:
            case "fit-everywhere":
                return "fit in every scenario it was judged in"
            case "fails-in":
                return f"below the threshold in: {scenarios}"
            case "assumptions-break":
                return f"load-bearing assumptions that break there: {', '.join(self.assumptions)}"
            case "fails-in-likely":
                return f"fails in every likely scenario: {scenarios}"
            case "unjudged":
                return "not judged in any scenario"
            case _:
                return "a recorded decision sets the verdict"


@dataclass(frozen=True)
class Recommendation:
    """What the review recommends for one policy, why, and what the team decided.

    Attributes
    ----------
    policy : str
    recommended : {"keep", "adapt", "let-go"} or None
        The review's own verdict; None when the policy was judged in no scenario.
    verdict : {"keep", "adapt", "let-go"} or None
        The verdict that stands: the latest decision's when there is one, else
        ``recommended``.
    fit, fails, unjudged : tuple of str
        Scenarios where the score is at least the threshold, below it, or missing.
    breaking : tuple of Breaking
        The load-bearing assumptions that break in the failing scenarios.
    reasons : tuple of Reason
    decision : Decision or None
        The latest recorded decision on the policy.
    overruled : bool
        Whether the decision's verdict differs from ``recommended``.
    """

    policy: str
    recommended: Verdict | None
    verdict: Verdict | None
    fit: tuple[str, ...]
    fails: tuple[str, ...]
    unjudged: tuple[str, ...]
    breaking: tuple[Breaking, ...]
    reasons: tuple[Reason, ...]
    decision: Decision | None
    overruled: bool


@dataclass(frozen=True)
class Gap:
    """A scenario in which no policy reaches the threshold; ``best`` is the closest one."""

    scenario: str
    best: str | None
    score: float | None


def likely_scenarios(
    likelihoods: Mapping[str, float], *, mass: float = LIKELY_MASS
) -> tuple[str, ...]:
    """The likely scenarios: the most likely ones that together hold ``mass`` of the total.

    Scenarios are taken in order of falling likelihood (the mapping's order among equals)
    until their likelihoods add up to at least ``mass`` of the total; every scenario as likely
    as the last one taken is taken too, so that no tie is broken at random. Scenarios with
    likelihood zero are never likely. With equal likelihoods every scenario is likely.

    Parameters
    ----------
    likelihoods : mapping of scenario key to float
        Non-negative; they need not add up to one.
    mass : float, optional (default=0.5)

    Returns
    -------
    tuple of str
        In the mapping's order.

    Examples
    --------
    0.4 alone is short of half; 0.4 + 0.3 = 0.7 reaches it:

    >>> likely_scenarios({"a": 0.1, "b": 0.4, "c": 0.3, "d": 0.2})
    ('b', 'c')
    >>> likely_scenarios({"a": 0.25, "b": 0.25, "c": 0.25, "d": 0.25})
    ('a', 'b', 'c', 'd')
    """
    total = math.fsum(likelihoods.values())
    if total <= 0:
        return ()
    ranked = sorted(likelihoods.items(), key=lambda item: -item[1])
    taken: set[str] = set()
    held = 0.0
    last = math.inf
    for key, value in ranked:
        if value <= 0:
            break
        if held >= mass * total - 1e-12 and not math.isclose(value, last):
            break
        taken.add(key)
        held += value
        last = value
    return tuple(key for key in likelihoods if key in taken)


def breaking_assumptions(
    assumptions: Sequence[Assumption], policy: str, fails: Sequence[str]
) -> tuple[Breaking, ...]:
    """The load-bearing assumptions of ``policy`` that break in the scenarios it fails in.

    An assumption breaks in a failing scenario ``s`` when it is load-bearing and either names
    ``s`` in ``fails_in``, or names no scenario at all and is marked vulnerable (where it
    breaks is then unknown, so every failing scenario counts). Assumptions that are not
    load-bearing never break a policy (Dewar 2002: a load-bearing assumption is one whose
    failure would call for significant change to the plan).

    References
    ----------
    Dewar, J. A. (2002). *Assumption-Based Planning: A Tool for Reducing Avoidable
    Surprises*. Cambridge University Press.
    """
    found = []
    for assumption in assumptions:
        if assumption.policy != policy or not assumption.load_bearing:
            continue
        if assumption.fails_in:
            where = tuple(s for s in fails if s in assumption.fails_in)
        elif assumption.vulnerable:
            where = tuple(fails)
        else:
            where = ()
        if where:
            found.append(Breaking(assumption.key, where))
    return tuple(found)


def latest_decision(decisions: Sequence[Decision], policy: str) -> Decision | None:
    """The latest decision on ``policy`` (by date; among equal dates, the last written)."""
    latest: Decision | None = None
    for decision in decisions:
        if decision.policy == policy and (
            latest is None or decision.decided_on >= latest.decided_on
        ):
            latest = decision
    return latest


def recommend(
    table: ScoreTable,
    strategy: Strategy,
    *,
    threshold: float,
    likely: Sequence[str],
) -> tuple[Recommendation, ...]:
    """A recommendation for every policy of ``table``.

    With :math:`F_p = \\{s : x(p, s) < t\\}` the judged scenarios where the policy falls
    below the threshold :math:`t` and :math:`L` the likely scenarios that were judged for it:

    - *keep* when :math:`F_p` is empty (fit in every judged scenario);
    - *let go* when :math:`L \\ne \\emptyset` and :math:`L \\subseteq F_p` (it fails in every
      likely scenario);
    - *adapt* otherwise: fit in some; the reasons name :math:`F_p` and the load-bearing
      assumptions that break there (:func:`breaking_assumptions`).

    A recorded decision sets the verdict that stands; the recommendation is kept beside it.
    """
    recommendations = []
    for row, policy in enumerate(table.policies):
        values = table.values[row]
        fit = tuple(s for s, v in zip(table.scenarios, values, strict=True) if v >= threshold)
        fails = tuple(s for s, v in zip(table.scenarios, values, strict=True) if v < threshold)
        unjudged = tuple(
            s for s, v in zip(table.scenarios, values, strict=True) if bool(np.isnan(v))
        )
        judged_likely = [s for s in likely if s not in unjudged]
        breaking = breaking_assumptions(strategy.assumptions, policy, fails)
        reasons: list[Reason] = []
        recommended: Verdict | None
        if not fit and not fails:
            recommended = None
            reasons.append(Reason("unjudged"))
        elif not fails:
            recommended = "keep"
            reasons.append(Reason("fit-everywhere", fit))
        else:
            reasons.append(Reason("fails-in", fails))
            if judged_likely and all(s in fails for s in judged_likely):
                recommended = "let-go"
                reasons.append(Reason("fails-in-likely", tuple(judged_likely)))
            else:
                recommended = "adapt"
            if breaking:
                reasons.append(
                    Reason(
                        "assumptions-break",
                        tuple(s for s in fails if any(s in b.scenarios for b in breaking)),
                        tuple(b.assumption for b in breaking),
                    )
                )
        decision = latest_decision(strategy.decisions, policy)
        verdict = recommended if decision is None else decision.verdict
        if decision is not None:
            reasons.append(Reason("decided"))
        recommendations.append(
            Recommendation(
                policy=policy,
                recommended=recommended,
                verdict=verdict,
                fit=fit,
                fails=fails,
                unjudged=unjudged,
                breaking=breaking,
                reasons=tuple(reasons),
                decision=decision,
                overruled=decision is not None and decision.verdict != recommended,
            )
        )
    return tuple(recommendations)


def find_gaps(table: ScoreTable, *, threshold: float) -> tuple[Gap, ...]:
    """The scenarios in which no policy reaches the threshold, each with the closest policy.

    A scenario nobody judged is a gap too, with no closest policy.
    """
    gaps = []
    for column, scenario in enumerate(table.scenarios):
        values = table.values[:, column]
        judged = [(v, p) for p, v in zip(table.policies, values.tolist(), strict=True)]
        judged = [(v, p) for v, p in judged if not math.isnan(v)]
        if any(v >= threshold for v, _ in judged):
            continue
        if judged:
            score, best = max(judged, key=lambda item: item[0])
            gaps.append(Gap(scenario, best, score))
        else:
            gaps.append(Gap(scenario, None, None))
    return tuple(gaps)


@dataclass(frozen=True)
class Review:
    """The whole strategy review of a study.

    Attributes
    ----------
    table : ScoreTable
    threshold : float
        The satisficing threshold used.
    likelihoods : dict of str to float
        The scenario likelihoods used, normalised (equal when none were given).
    likely : tuple of str
        The likely scenarios (:func:`likely_scenarios`).
    robustness : tuple of Robustness
    recommendations : tuple of Recommendation
    gaps : tuple of Gap
    """

    table: ScoreTable
    threshold: float
    likelihoods: dict[str, float]
    likely: tuple[str, ...]
    robustness: tuple[Robustness, ...]
    recommendations: tuple[Recommendation, ...]
    gaps: tuple[Gap, ...]


def review(
    study: Study,
    *,
    likelihoods: Mapping[str, float] | None = None,
    method: Method | None = None,
    centre: Centre = "mean",
) -> Review:
    """Review the strategy of ``study``: scores, robustness, recommendations and gaps.

    Parameters
    ----------
    study : Study
        A valid study; a study without a strategy gives an empty review.
    likelihoods : mapping of scenario key to float, optional (default=None, all equal)
        For instance ``{s.key: s.likelihood for s in SignalStatus.scenarios}``.
    method : {"scale", "multipol"} or None, optional (default=None: the strategy's own)
    centre : {"mean", "median"}, optional (default="mean")

    Raises
    ------
    ValidationError
        When the likelihoods are negative or all zero.
    """
    strategy = study.strategy or Strategy()
    table = score_table(study, method=method, centre=centre)
    weights = likelihood_vector(table.scenarios, likelihoods)
    used = {key: float(value) for key, value in zip(table.scenarios, weights, strict=True)}
    likely = likely_scenarios(used)
    threshold = strategy.satisficing
    return Review(
        table=table,
        threshold=threshold,
        likelihoods=used,
        likely=likely,
        robustness=robustness(table, threshold=threshold, likelihoods=likelihoods),
        recommendations=recommend(table, strategy, threshold=threshold, likely=likely),
        gaps=find_gaps(table, threshold=threshold),
    )
