"""Cross-impact balance use cases: load a matrix from any supported file and solve it.

A matrix comes from a ScenarioWizard project (``.scw``), a flat CSV matrix (``.csv``) or a
study (``.yaml``/``.yml``). Solving runs here, in this process, or on a Dask cluster.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from koers.errors import KoersError, NotFoundError, Problem, ValidationError
from koers.io import csv_matrix, scenariowizard, study_yaml
from koers.methods.cib.basins import basins
from koers.methods.cib.ensemble import ensemble
from koers.methods.cib.from_study import study_matrix
from koers.methods.cib.matrix import CrossImpactMatrix
from koers.methods.cib.scores import SelfImpacts, Ties
from koers.methods.cib.solve import Solution, solve
from koers.methods.cib.succession import succession
from koers.services.dask_search import solve_on_dask

__all__ = [
    "SolvedScenario",
    "follow_succession",
    "labels_of",
    "load_matrix",
    "parse_assignments",
    "parse_scenario",
    "scenario_rows",
    "solve_ensemble",
    "solve_matrix",
    "volume_weights",
]

# The pure methods, offered here so that adapters need only this module.
follow_succession = succession
volume_weights = basins
solve_ensemble = ensemble

_READERS: dict[str, Callable[[Path], CrossImpactMatrix]] = {
    ".scw": lambda path: scenariowizard.read_scw(path).matrix,
    ".csv": csv_matrix.read_csv_matrix,
    ".yaml": lambda path: study_matrix(study_yaml.load(path)),
    ".yml": lambda path: study_matrix(study_yaml.load(path)),
}


@dataclass(frozen=True)
class SolvedScenario:
    """One scenario of a solution, in the terms a person reads (1-based, labelled)."""

    variants: tuple[int, ...]
    labels: tuple[str, ...]
    total_impact_score: int
    inconsistency: int
    margin: int


def load_matrix(path: Path) -> CrossImpactMatrix:
    """The cross-impact matrix in ``path``, read by the reader its suffix names."""
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        kinds = ", ".join(sorted(_READERS))
        raise KoersError(f"{path}: cannot read '{path.suffix}' files; use one of {kinds}")
    if not path.is_file():
        raise NotFoundError(f"{path}: there is no such file")
    return reader(path)


def parse_assignments(matrix: CrossImpactMatrix, texts: Sequence[str]) -> dict[int, int]:
    """``["D=V", ...]`` as ``{descriptor index: variant index}``, 0-based.

    D and V are labels (``Economy=Growth``) or 1-based numbers (``3=2``).
    """
    chosen: dict[int, int] = {}
    problems = []
    for text in texts:
        descriptor_text, sep, variant_text = text.partition("=")
        if not sep:
            problems.append(Problem(f"'{text}' is not of the form DESCRIPTOR=VARIANT"))
            continue
        descriptor = _index(descriptor_text.strip(), matrix.descriptors, "descriptor")
        if isinstance(descriptor, str):
            problems.append(Problem(descriptor))
            continue
        name = matrix.descriptors[descriptor]
        variant_text = variant_text.strip()
        if (
            variant_text.startswith(name)
            and variant_text[len(name) :] in matrix.variants[descriptor]
        ):
            variant_text = variant_text[len(name) :]  # "A=A3" for letter-digit labels
        variant = _index(
            variant_text,
            matrix.variants[descriptor],
            f"variant of '{matrix.descriptors[descriptor]}'",
        )
        if isinstance(variant, str):
            problems.append(Problem(variant))
        elif chosen.get(descriptor, variant) != variant:
            problems.append(Problem(f"'{descriptor_text}' is given two different variants"))
        else:
            chosen[descriptor] = variant
    if problems:
        raise ValidationError(problems)
    return chosen


def parse_scenario(matrix: CrossImpactMatrix, texts: Sequence[str]) -> tuple[int, ...]:
    """A whole scenario from ``["D=V", ...]``: every descriptor must be given."""
    chosen = parse_assignments(matrix, texts)
    missing = [label for j, label in enumerate(matrix.descriptors) if j not in chosen]
    if missing:
        raise ValidationError(
            [Problem("give a variant for every descriptor; missing: " + ", ".join(missing))]
        )
    return tuple(chosen[j] for j in range(len(matrix.descriptors)))


def labels_of(matrix: CrossImpactMatrix, scenario: Sequence[int]) -> list[str]:
    """The variant labels of a 0-based scenario."""
    return [names[v] for names, v in zip(matrix.variants, scenario, strict=True)]


def solve_matrix(
    matrix: CrossImpactMatrix,
    *,
    ties: Ties = "allow",
    self_impacts: SelfImpacts = "include",
    max_inconsistency: int = 0,
    fixed: Mapping[int, int] | None = None,
    progress: Callable[[float], object] | None = None,
    cluster: str | int | None = None,
) -> Solution:
    """Every scenario within ``max_inconsistency``, exactly.

    ``cluster`` runs the search on Dask: a scheduler address (``tcp://host:8786``) or a
    number of local worker processes. The result is the same as in one process.
    """
    options: dict[str, Any] = {
        "ties": ties,
        "self_impacts": self_impacts,
        "max_inconsistency": max_inconsistency,
        "fixed": fixed,
    }
    if cluster is None:
        return solve(matrix, progress=progress, **options)
    return solve_on_dask(matrix, options, cluster, progress)


def scenario_rows(matrix: CrossImpactMatrix, solution: Solution) -> list[SolvedScenario]:
    """The scenarios of ``solution`` as labelled, 1-based rows, best score first."""
    rows = []
    for index in range(solution.count):
        variants = solution.scenarios[index].tolist()
        rows.append(
            SolvedScenario(
                variants=tuple(v + 1 for v in variants),
                labels=tuple(names[v] for names, v in zip(matrix.variants, variants, strict=True)),
                total_impact_score=int(solution.total_impact_scores[index]),
                inconsistency=int(solution.inconsistencies[index]),
                margin=int(solution.margins[index]),
            )
        )
    return rows


def _index(text: str, labels: Sequence[str], what: str) -> int | str:
    """The 0-based index of ``text`` among ``labels``, or a message saying what is wrong."""
    if text in labels:
        return labels.index(text)
    if text.isdigit() and 1 <= int(text) <= len(labels):
        return int(text) - 1
    close = difflib.get_close_matches(text, labels, n=1)
    hint = f"did you mean '{close[0]}'?" if close else "choose one of: " + ", ".join(labels)
    return f"'{text}' is not a {what}; {hint}"
