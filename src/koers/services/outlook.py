"""From signals to the cross-impact balance: the nearest consistent scenario to what the signals
show, and what may follow (docs/methods.md, "From signals to the cross-impact balance").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from koers.methods.cib.chains import follow_chain
from koers.methods.cib.from_study import study_matrix
from koers.methods.cib.solve import solve
from koers.model import Study
from koers.services.signal_views import Nearest, Step

__all__ = [
    "ESTABLISH",
    "RANKED",
    "cib_outlook",
]


ESTABLISH = 0.75
"""A variant counts as established by the signals, and is fixed in the CIB search, when its
probability reaches this share (docs/methods.md, "Signals assessment")."""


RANKED = 5
"""How many of the consistent scenarios left under the signals' intervention are listed."""


def cib_outlook(
    study: Study,
    probabilities: Mapping[str, Mapping[str, float]],
    *,
    establish: float = ESTABLISH,
) -> tuple[Nearest | None, tuple[Step, ...]]:
    """The nearest consistent scenario to what the signals show, and what may follow.

    ``probabilities`` gives, per descriptor the signals speak about, the probability of each
    variant. The observed state takes the most likely variant of each such descriptor; the
    established variants (probability >= ``establish``) are fixed as a CIB intervention, and
    the consistent scenarios that remain are counted and ranked by how likely the signals find
    them (the product of the probabilities of their variants; the best :data:`RANKED`).

    The nearest consistent scenario (of the whole matrix) differs from the observed state in
    the fewest observed descriptors; among equals the one the signals find most likely, then
    the one with the higher total impact score. What may follow is the global CIB succession
    from the observed state (an unshocked :func:`koers.methods.cib.chains.follow_chain`, up
    to the first repeat), the other descriptors taken from the nearest scenario.
    ``(None, ())`` when the study has no judgements or no signals.
    """
    if not study.judgements or not probabilities:
        return None, ()
    matrix = study_matrix(study)
    index = {key: i for i, key in enumerate(matrix.descriptors)}
    observed: dict[str, str] = {}
    established: dict[str, str] = {}
    for descriptor, shares in probabilities.items():
        variant, share = max(shares.items(), key=lambda item: (item[1], item[0]))
        observed[descriptor] = variant
        if share >= establish:
            established[descriptor] = variant
    fixed = {index[d]: matrix.variants[index[d]].index(v) for d, v in established.items()}
    everything = solve(matrix)
    if everything.count == 0:
        return None, ()
    kept = solve(matrix, fixed=fixed) if fixed else everything

    def log_likelihood(row: Sequence[int]) -> float:
        total = 0.0
        for descriptor, shares in probabilities.items():
            chosen = matrix.variants[index[descriptor]][row[index[descriptor]]]
            total += math.log(max(shares.get(chosen, 0.0), 1e-12))
        return total

    def distance(row: Sequence[int]) -> int:
        return sum(matrix.variants[index[d]][row[index[d]]] != v for d, v in observed.items())

    rows = [tuple(int(v) for v in row) for row in everything.scenarios]
    best = min(
        range(len(rows)),
        key=lambda i: (distance(rows[i]), -log_likelihood(rows[i]), i),
    )
    chosen = rows[best]
    variants = {d: matrix.variants[i][chosen[i]] for i, d in enumerate(matrix.descriptors)}
    differs = tuple(
        (d, observed[d], variants[d])
        for d in matrix.descriptors
        if d in observed and observed[d] != variants[d]
    )
    kept_rows = [tuple(int(v) for v in row) for row in kept.scenarios]
    order = sorted(range(len(kept_rows)), key=lambda i: (-log_likelihood(kept_rows[i]), i))
    ranked = tuple(
        (
            {d: matrix.variants[j][kept_rows[i][j]] for j, d in enumerate(matrix.descriptors)},
            math.exp(log_likelihood(kept_rows[i])),
        )
        for i in order[:RANKED]
    )
    nearest = Nearest(
        variants=variants,
        differs=differs,
        established=established,
        remaining=kept.count,
        observed=observed,
        ranked=ranked,
    )
    start = [
        matrix.variants[i].index(observed.get(d, variants[d]))
        for i, d in enumerate(matrix.descriptors)
    ]
    chain = follow_chain(matrix, start)
    steps = [
        Step(
            step.number,
            matrix.descriptors[flip.descriptor],
            matrix.variants[flip.descriptor][flip.before],
            matrix.variants[flip.descriptor][flip.after],
        )
        for step in chain.steps
        if not step.closes_cycle  # the path up to the first repeat, as before
        for flip in step.flips
    ]
    return nearest, tuple(steps)
