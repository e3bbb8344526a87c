"""Structural analysis (MICMAC) of a direct-influence matrix file or of a study."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from koers.errors import KoersError, NotFoundError, Problem, ValidationError
from koers.io import study_yaml
from koers.io.influence_csv import read_influence_csv
from koers.methods.cib.from_study import study_matrix
from koers.methods.cib.solve import solve
from koers.methods.micmac import (
    DEFAULT_MAX_POWER,
    Analysis,
    Position,
    Suggestions,
    distinct_variants,
    micmac,
    study_influences,
    suggest,
)
from koers.model import Study

__all__ = [
    "MicmacReport",
    "micmac_document",
    "micmac_file",
    "micmac_study",
]


# Which factors drive the rest, directly and through chains of influence (issue 7,
# "Structural analysis"): the matrix from a CSV file or from a study's judgements, the
# analysis of koers.methods.micmac, and for a study the suggested axes and places for leading
# indicators.

MICMAC_SCENARIO_LIMIT = 100_000
"""The most consistent scenarios read to judge how uncertain each descriptor is."""


@dataclass(frozen=True)
class MicmacReport:
    """A structural analysis and, for a study, what it suggests.

    ``scenarios`` is the number of consistent scenarios the uncertainty was counted on and
    ``complete`` whether that is all of them (``None`` and ``True`` for a CSV matrix).
    """

    source: Literal["csv", "study"]
    analysis: Analysis
    suggestions: Suggestions | None
    scenarios: int | None
    complete: bool


def micmac_file(path: Path, *, max_power: int = DEFAULT_MAX_POWER) -> MicmacReport:
    """Structural analysis of a CSV matrix of direct influences or of a study (.yaml).

    Raises
    ------
    KoersError
        For a file of another kind; ``NotFoundError`` when there is no such file;
        ``ValidationError`` with every located problem of a bad file.
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".yaml", ".yml"):
        raise KoersError(
            f"{path}: cannot read '{path.suffix}' files; use a CSV matrix (.csv) or a study (.yaml)"
        )
    if not path.is_file():
        raise NotFoundError(f"{path}: there is no such file")
    if suffix == ".csv":
        analysis = micmac(read_influence_csv(path), max_power=max_power)
        return MicmacReport("csv", analysis, None, None, True)
    study = study_yaml.load(path)
    if len(study.descriptors) < 2:
        raise ValidationError(
            [
                Problem(
                    f"the study has {len(study.descriptors)} descriptors; structural analysis "
                    "needs two or more",
                    str(path),
                )
            ]
        )
    return micmac_study(study, max_power=max_power)


def micmac_study(study: Study, *, max_power: int = DEFAULT_MAX_POWER) -> MicmacReport:
    """Structural analysis of ``study``'s judgements, with axes and leading indicators.

    The influence of descriptor i on j is the largest absolute judgement of the section
    (i, j) (:func:`koers.methods.micmac.study_influences`). A descriptor is uncertain when
    its consistent scenarios (CIB, ties allowed, at most ``MICMAC_SCENARIO_LIMIT`` read)
    use two or more of its variants; with no consistent scenario none is, and no axes are
    suggested.
    """
    analysis = micmac(study_influences(study), max_power=max_power)
    matrix = study_matrix(study)
    solution = solve(matrix, limit=MICMAC_SCENARIO_LIMIT)
    uncertainty = distinct_variants(matrix.descriptors, solution.scenarios.tolist())
    return MicmacReport(
        "study", analysis, suggest(analysis, uncertainty), solution.count, solution.complete
    )


def micmac_document(report: MicmacReport) -> dict[str, Any]:
    """``report`` as plain JSON data: one object per factor under self-explaining keys.

    Per factor: ``direct_influence``, ``direct_dependence``, ``indirect_influence``,
    ``indirect_dependence`` (row and column sums of M and M^power, exact integers), their
    ``*_share`` (percent of the total) and ``*_rank`` (1 = largest, ties share the best),
    ``direct_class`` and ``class`` (the role on the plane of M and of M^power),
    ``influence_displacement`` and ``dependence_displacement`` (places risen, direct to
    indirect), ``hidden_driver``; with potential influences also every ``potential_*`` key.
    For a study, ``suggestions`` holds ``axes``, ``leading_indicators`` and per descriptor
    ``uncertainty`` (variants seen among the consistent scenarios).
    """
    analysis = report.analysis
    hidden = set(analysis.hidden_drivers)
    factors: dict[str, dict[str, Any]] = {}
    for index, factor in enumerate(analysis.factors):
        entry = {
            **_position_keys("direct", analysis.direct.positions[index]),
            **_position_keys("indirect", analysis.indirect.positions[index]),
            "direct_class": analysis.direct.positions[index].role,
            "class": analysis.indirect.positions[index].role,
            "influence_displacement": analysis.influence_displacement(index),
            "dependence_displacement": analysis.dependence_displacement(index),
            "hidden_driver": factor in hidden,
        }
        if analysis.potential_direct and analysis.potential_indirect:
            direct = analysis.potential_direct.positions[index]
            indirect = analysis.potential_indirect.positions[index]
            entry |= _position_keys("potential_direct", direct)
            entry |= _position_keys("potential_indirect", indirect)
            entry["potential_direct_class"] = direct.role
            entry["potential_class"] = indirect.role
        factors[factor] = entry
    document: dict[str, Any] = {
        "source": report.source,
        "power": analysis.indirect.power,
        "convergence": analysis.indirect.convergence,
        "hidden_shift": analysis.hidden_shift,
        "hidden_drivers": list(analysis.hidden_drivers),
        "factors": factors,
    }
    if analysis.potential_indirect is not None:
        document["potential_power"] = analysis.potential_indirect.power
        document["potential_convergence"] = analysis.potential_indirect.convergence
        document["potential_weight"] = analysis.potential_weight
    if report.suggestions is not None:
        suggestions = report.suggestions
        document["suggestions"] = {
            "axes": list(suggestions.axes),
            "leading_indicators": list(suggestions.leading_indicators),
            "uncertainty": dict(zip(analysis.factors, suggestions.uncertainty, strict=True)),
            "scenarios": report.scenarios,
            "complete": report.complete,
        }
    return document


def _position_keys(prefix: str, position: Position) -> dict[str, Any]:
    return {
        f"{prefix}_influence": position.influence,
        f"{prefix}_dependence": position.dependence,
        f"{prefix}_influence_share": position.influence_share,
        f"{prefix}_dependence_share": position.dependence_share,
        f"{prefix}_influence_rank": position.influence_rank,
        f"{prefix}_dependence_rank": position.dependence_rank,
    }
