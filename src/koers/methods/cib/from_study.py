"""The cross-impact matrix of a study, built from its written judgement sections."""

from __future__ import annotations

import numpy as np

from koers.methods.cib.matrix import CrossImpactMatrix
from koers.model import Study

__all__ = ["study_matrix"]


def study_matrix(study: Study) -> CrossImpactMatrix:
    """The cross-impact matrix of ``study``: all descriptors, all variants, all judgements.

    A study writes its judgements as sections, one per ordered pair of descriptors
    (:class:`koers.model.JudgementSection`). This lays them out in one square matrix
    ``C[(i, k), (j, l)]``: the judgement of variant k of descriptor i on variant l of
    descriptor j. Judgements a study does not write are 0, and so is every self-impact block
    (a study does not write self-impacts).

    Parameters
    ----------
    study : Study
        A valid study; its invariants guarantee that every section refers to existing
        descriptors and variants, with whole judgements in -3..+3.

    Returns
    -------
    CrossImpactMatrix
        Descriptors and their variants in the order of the study, labelled by their keys;
        judgements as int64, shape (V, V) for V variants in all.

    Examples
    --------
    >>> from koers.model import Study
    >>> def factor(key, *variants):
    ...     return {"key": key, "name": {"nl": key},
    ...             "variants": [{"key": v, "name": {"nl": v}} for v in variants]}
    >>> study = Study.model_validate({
    ...     "title": {"nl": "Voorbeeld"}, "organisation": "Gemeente", "horizon": "2028-12-31",
    ...     "descriptors": [factor("duur", "korter", "langer"),
    ...                     factor("financien", "ruim", "krap")],
    ...     "judgements": [{"source": "duur", "target": "financien",
    ...                     "impacts": {"korter": {"ruim": 1}, "langer": {"krap": 1}}}]})
    >>> matrix = study_matrix(study)
    >>> matrix.descriptors, matrix.variants
    (('duur', 'financien'), (('korter', 'langer'), ('ruim', 'krap')))
    >>> matrix.judgements.tolist()
    [[0, 0, 1, 0], [0, 0, 0, 1], [0, 0, 0, 0], [0, 0, 0, 0]]
    """
    descriptors = tuple(descriptor.key for descriptor in study.descriptors)
    variants = tuple(
        tuple(variant.key for variant in descriptor.variants) for descriptor in study.descriptors
    )
    row: dict[tuple[str, str], int] = {}
    position = 0
    for descriptor, names in zip(descriptors, variants, strict=True):
        for name in names:
            row[descriptor, name] = position
            position += 1
    judgements = np.zeros((position, position), dtype=np.int64)
    for section in study.judgements:
        for source_variant, impacts in section.impacts.items():
            for target_variant, value in impacts.items():
                judgements[
                    row[section.source, source_variant], row[section.target, target_variant]
                ] = value
    return CrossImpactMatrix(descriptors, variants, judgements)
