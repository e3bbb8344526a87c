"""Shared inputs for the CIB tests: Somewhereland, CIB_global and random small matrices.

Import with ``from cib_cases import ...`` (pytest puts this folder on ``sys.path``).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
from hypothesis import strategies as st

from koers.methods.cib import CrossImpactMatrix

DATA = Path(__file__).parent / "data" / "cib"

# Somewhereland facts from the ScenarioWizard manual (see tests/data/cib/README.md):
# 1-based scenario labels and total impact scores of the 10 consistent scenarios.
SOMEWHERELAND_TIS = {
    "A1B3C1D2E3F3": 21,
    "A3B2C2D1E1F2": 19,
    "A3B1C2D1E1F2": 18,
    "A2B1C3D2E2F1": 17,
    "A2B2C3D2E2F1": 15,
    "A1B3C2D1E1F2": 14,
    "A1B3C2D1E1F3": 12,
    "A1B2C2D1E1F2": 9,
    "A3B1C3D2E1F1": 9,
    "A3B2C3D2E1F1": 8,
}

# CIB_global.scw (sei-international/cibsa sample_files, MIT): 3 descriptors, 4+3+3 variants
# read off the matrix block of the file.
CIB_GLOBAL = [
    [0, 0, 0, 1, 2, -3, -4, -2, 3, 3],
    [0, 0, 0, -2, 1, 1, 3, 5, -3, -5],
    [0, 0, 0, 2, 1, -3, -2, 0, 4, -2],
    [1, -3, 2, 0, 0, 0, -1, -1, 1, 1],
    [1, -2, 1, 0, 0, 0, 0, 1, 0, -1],
    [-2, 3, -1, 0, 0, 0, 1, 2, -1, -2],
    [-3, 5, -2, -3, 1, 2, 0, 0, 0, 0],
    [-2, 3, -1, -2, 1, 1, 0, 0, 0, 0],
    [2, -4, 2, 1, 0, -1, 0, 0, 0, 0],
    [3, -6, 3, -1, 1, 0, 0, 0, 0, 0],
]


def load_somewhereland() -> CrossImpactMatrix:
    """Parse tests/data/cib/SomewhereLand.csv: header A1..F3, one row per variant."""
    with (DATA / "SomewhereLand.csv").open(newline="") as handle:
        rows = list(csv.reader(handle))
    labels = rows[0][1:]
    descriptors: list[str] = []
    variants: list[list[str]] = []
    for label in labels:
        if not descriptors or descriptors[-1] != label[0]:
            descriptors.append(label[0])
            variants.append([])
        variants[-1].append(label)
    judgements = np.array([[int(cell) for cell in row[1:]] for row in rows[1:]])
    return CrossImpactMatrix(tuple(descriptors), tuple(tuple(v) for v in variants), judgements)


def label_of(scenario: list[int]) -> str:
    """0-based Somewhereland scenario as the manual writes it: A1B3C1D2E3F3."""
    return "".join(f"{letter}{v + 1}" for letter, v in zip("ABCDEF", scenario, strict=True))


def cib_global() -> CrossImpactMatrix:
    """CIB_global: WTRD (3 variants), WSEC (3), WECO (4)."""
    return make_matrix([3, 3, 4], np.array(CIB_GLOBAL))


def make_matrix(counts: list[int], judgements: np.ndarray) -> CrossImpactMatrix:
    """A matrix with labels D0.. and v0.. for the given variant counts."""
    return CrossImpactMatrix(
        tuple(f"D{i}" for i in range(len(counts))),
        tuple(tuple(f"v{k}" for k in range(n)) for n in counts),
        judgements,
    )


@st.composite
def small_matrices(
    draw: st.DrawFn, min_descriptors: int = 2, max_descriptors: int = 8, max_space: int = 3000
) -> CrossImpactMatrix:
    """Random matrices with 2..5 variants per descriptor, sparse or dense, often tied."""
    n_desc = draw(st.integers(min_descriptors, max_descriptors))
    counts = [draw(st.integers(2, 5)) for _ in range(n_desc)]
    while math.prod(counts) > max_space:
        counts[counts.index(max(counts))] -= 1
    size = sum(counts)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    density = draw(st.sampled_from([0.1, 0.4, 1.0]))
    spread = draw(st.sampled_from([1, 3]))
    values = rng.integers(-spread, spread + 1, size=(size, size))
    return make_matrix(counts, values * (rng.random((size, size)) < density))
