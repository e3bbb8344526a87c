"""The robustness of each policy over the scenarios: worst case, regret, satisficing, mean."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from koers.errors import Problem, ValidationError
from koers.methods.scores import ScoreTable

__all__ = [
    "Robustness",
    "expected_value",
    "likelihood_vector",
    "max_regret",
    "regret",
    "robustness",
    "satisficing_share",
    "worst_case",
]


def worst_case(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """The worst score of each policy over the scenarios it was judged in (maximin).

    .. math:: \\mathrm{worst}(p) = \\min_s x(p, s)

    The maximin rule prefers the policy whose worst case is best (Wald 1945).

    Parameters
    ----------
    values : ndarray, shape (P, S)
        Scores; NaN where not judged.

    Returns
    -------
    ndarray of float64, shape (P,)
        NaN for a policy judged nowhere.

    Examples
    --------
    >>> worst_case(np.array([[2.0, -1.0, np.nan], [np.nan, np.nan, np.nan]])).tolist()
    [-1.0, nan]

    References
    ----------
    Wald, A. (1945). Statistical decision functions which minimize the maximum risk.
    *Annals of Mathematics*, 46(2), 265-280.
    """
    filled = np.where(np.isnan(values), np.inf, values)
    worst = filled.min(axis=1) if values.shape[1] else np.full(values.shape[0], np.inf)
    return np.where(np.isinf(worst), np.nan, worst)


def regret(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """The regret of each policy in each scenario: how far it lags the best policy there.

    .. math:: r(p, s) = \\max_q x(q, s) - x(p, s)

    Parameters
    ----------
    values : ndarray, shape (P, S)
        Scores; NaN where not judged (the best is taken over the policies judged in ``s``).

    Returns
    -------
    ndarray of float64, shape (P, S)
        NaN where ``values`` is NaN.

    Examples
    --------
    >>> regret(np.array([[2.0, 0.0], [1.0, 1.0]])).tolist()
    [[0.0, 1.0], [1.0, 0.0]]

    References
    ----------
    Savage, L. J. (1951). The theory of statistical decision. *Journal of the American
    Statistical Association*, 46(253), 55-67.
    """
    filled = np.where(np.isnan(values), -np.inf, values)
    best = filled.max(axis=0) if values.shape[0] else np.full(values.shape[1], -np.inf)
    return np.where(np.isnan(values), np.nan, best[np.newaxis, :] - values)


def max_regret(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """The largest regret of each policy over the scenarios (Savage's minimax regret).

    .. math:: R(p) = \\max_s \\bigl(\\max_q x(q, s) - x(p, s)\\bigr)

    Lower is better: the minimax-regret rule prefers the policy with the smallest ``R``.

    Examples
    --------
    >>> max_regret(np.array([[2.0, 0.0], [1.0, 1.5]])).tolist()
    [1.5, 1.0]
    """
    regrets = regret(values)
    filled = np.where(np.isnan(regrets), -np.inf, regrets)
    largest = filled.max(axis=1) if values.shape[1] else np.full(values.shape[0], -np.inf)
    return np.where(np.isinf(largest), np.nan, largest)


def satisficing_share(values: NDArray[np.float64], threshold: float) -> NDArray[np.float64]:
    """The share of judged scenarios in which a policy reaches the threshold.

    .. math:: \\mathrm{share}(p) = \\frac{|\\{s : x(p, s) \\ge t\\}|}{|\\{s : x(p, s)
              \\text{ judged}\\}|}

    A decision maker who satisfices looks for a policy that is good enough in as many
    futures as possible rather than the best in one (Simon 1956).

    Examples
    --------
    >>> satisficing_share(np.array([[2.0, 1.0, 0.5, np.nan]]), 1.0).tolist()
    [0.6666666666666666]

    References
    ----------
    Simon, H. A. (1956). Rational choice and the structure of the environment.
    *Psychological Review*, 63(2), 129-138.
    """
    judged = ~np.isnan(values)
    counts = judged.sum(axis=1)
    hits = (np.where(judged, values, -np.inf) >= threshold).sum(axis=1)
    share = np.full(values.shape[0], np.nan)
    np.divide(hits, counts, out=share, where=counts > 0)
    return share


def expected_value(
    values: NDArray[np.float64], likelihoods: NDArray[np.float64]
) -> NDArray[np.float64]:
    """The expected score of each policy under the scenario likelihoods.

    .. math:: E(p) = \\frac{\\sum_s \\pi_s\\, x(p, s)}{\\sum_{s \\text{ judged}} \\pi_s}

    The likelihoods are renormalised over the scenarios in which the policy was judged; a
    policy judged only where the likelihood is zero has no expected value (NaN).

    Parameters
    ----------
    values : ndarray, shape (P, S)
    likelihoods : ndarray, shape (S,)
        Non-negative, not all zero (they need not add up to one).

    Examples
    --------
    Likelihoods 0.5, 0.3, 0.2: :math:`0.5 \\cdot 2 + 0.3 \\cdot 0 + 0.2 \\cdot (-1) = 0.8`.

    >>> expected_value(np.array([[2.0, 0.0, -1.0]]), np.array([0.5, 0.3, 0.2])).tolist()
    [0.8]
    """
    judged = ~np.isnan(values)
    mass = np.where(judged, likelihoods[np.newaxis, :], 0.0)
    totals = mass.sum(axis=1)
    weighted = (mass * np.where(judged, values, 0.0)).sum(axis=1)
    expected = np.full(values.shape[0], np.nan)
    np.divide(weighted, totals, out=expected, where=totals > 0)
    return expected


@dataclass(frozen=True)
class Robustness:
    """The robustness measures of one policy; None where it was judged in no scenario.

    Attributes
    ----------
    policy : str
    worst : float or None
        The worst case (maximin): :math:`\\min_s x(p, s)`; higher is better.
    worst_in : tuple of str
        The scenarios where the worst case is reached.
    regret : float or None
        Savage's maximum regret :math:`\\max_s (\\max_q x(q, s) - x(p, s))`; lower is better.
    regret_in : tuple of str
        The scenarios where the largest regret is reached.
    satisficing : float or None
        The share of judged scenarios in which the score is at least the threshold.
    expected : float or None
        The expected score under the scenario likelihoods.
    judged : int
        In how many scenarios the policy was judged.
    """

    policy: str
    worst: float | None
    worst_in: tuple[str, ...]
    regret: float | None
    regret_in: tuple[str, ...]
    satisficing: float | None
    expected: float | None
    judged: int


def likelihood_vector(
    scenarios: Sequence[str], likelihoods: Mapping[str, float] | None
) -> NDArray[np.float64]:
    """The likelihoods in the order of ``scenarios``, normalised to add up to one.

    A scenario the mapping leaves out gets 0; keys that are no scenario are ignored. No
    mapping means every scenario is equally likely.

    Raises
    ------
    ValidationError
        When a likelihood is negative or not finite, or all of the scenarios' likelihoods
        are zero.

    Examples
    --------
    >>> likelihood_vector(["a", "b"], {"a": 3, "b": 1}).tolist()
    [0.75, 0.25]
    >>> likelihood_vector(["a", "b"], None).tolist()
    [0.5, 0.5]
    """
    if not scenarios:
        return np.zeros(0)
    if likelihoods is None:
        return np.full(len(scenarios), 1.0 / len(scenarios))
    problems = [
        Problem(f"the likelihood of scenario '{key}' is {value}; give a number of 0 or more")
        for key, value in likelihoods.items()
        if not math.isfinite(value) or value < 0
    ]
    if problems:
        raise ValidationError(problems)
    vector = np.array([float(likelihoods.get(key, 0.0)) for key in scenarios])
    total = vector.sum()
    if total <= 0:
        raise ValidationError(
            [
                Problem(
                    "every scenario has likelihood 0; give at least one scenario a positive "
                    "likelihood, or give none to weigh them equally"
                )
            ]
        )
    normalised: NDArray[np.float64] = vector / total
    return normalised


def robustness(
    table: ScoreTable,
    *,
    threshold: float,
    likelihoods: Mapping[str, float] | None = None,
) -> tuple[Robustness, ...]:
    """The robustness measures of every policy of ``table``, in its row order.

    Parameters
    ----------
    table : ScoreTable
    threshold : float
        The satisficing threshold (``Strategy.satisficing``).
    likelihoods : mapping of scenario key to float, optional (default=None, all equal)
        For instance the scenario likelihoods of the signals assessment.

    Returns
    -------
    tuple of Robustness

    Raises
    ------
    ValidationError
        When the likelihoods are negative or all zero (see :func:`likelihood_vector`).

    References
    ----------
    McPhail, C., Maier, H. R., Kwakkel, J. H., Giuliani, M., Castelletti, A., & Westra, S.
    (2018). Robustness metrics: How are they calculated, when should they be used and why do
    they give different results? *Earth's Future*, 6(2), 169-191.

    Lempert, R. J., Popper, S. W., & Bankes, S. C. (2003). *Shaping the Next One Hundred
    Years: New Methods for Quantitative, Long-Term Policy Analysis*. RAND, MR-1626.
    """
    values = table.values
    weights = likelihood_vector(table.scenarios, likelihoods)
    worst = worst_case(values)
    regrets = regret(values)
    largest = max_regret(values)
    shares = satisficing_share(values, threshold)
    expected = expected_value(values, weights)
    results = []
    for row, policy in enumerate(table.policies):
        judged = int((~np.isnan(values[row])).sum())
        results.append(
            Robustness(
                policy=policy,
                worst=_number(worst[row]),
                worst_in=_where(table.scenarios, values[row], worst[row]),
                regret=_number(largest[row]),
                regret_in=_where(table.scenarios, regrets[row], largest[row]),
                satisficing=_number(shares[row]),
                expected=_number(expected[row]),
                judged=judged,
            )
        )
    return tuple(results)


def _number(value: np.floating | float) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number


def _where(
    scenarios: Sequence[str], row: NDArray[np.float64], target: np.floating | float
) -> tuple[str, ...]:
    if math.isnan(float(target)):
        return ()
    return tuple(
        key
        for key, value in zip(scenarios, row.tolist(), strict=True)
        if not math.isnan(value) and math.isclose(value, float(target), abs_tol=1e-12)
    )
