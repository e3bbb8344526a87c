"""The direct-influence matrix of a study, derived from its cross-impact judgements."""

from __future__ import annotations

from koers.methods.micmac.matrix import STRONGEST, InfluenceMatrix
from koers.model import Study

__all__ = ["study_influences"]


def study_influences(study: Study) -> InfluenceMatrix:
    r"""The direct influence of each descriptor of ``study`` on each other one.

    The influence of descriptor :math:`i` on :math:`j` is the largest absolute judgement
    in the study's section :math:`(i, j)`, capped at 3, and 0 where the study writes no
    section:

    .. math::

        M_{ij} = \min\bigl(3, \max_{k, l} |C_{(i,k),(j,l)}|\bigr).

    A CIB judgement says how strongly a variant of :math:`i` promotes or hinders a variant
    of :math:`j`; its size, whatever its sign, says how much :math:`i` matters for
    :math:`j`, which is what structural analysis asks. Judgements run -3..+3, so the cap
    only guards the scale. Studies mark no potential influences.

    Examples
    --------
    >>> from koers.model import Study
    >>> def factor(key):
    ...     return {"key": key, "name": {"nl": key},
    ...             "variants": [{"key": v, "name": {"nl": v}} for v in ("a", "b")]}
    >>> study = Study.model_validate({
    ...     "title": {"nl": "Voorbeeld"}, "organisation": "Gemeente", "horizon": "2028-12-31",
    ...     "descriptors": [factor("x"), factor("y")],
    ...     "judgements": [{"source": "x", "target": "y",
    ...                     "impacts": {"a": {"a": 1}, "b": {"a": -2, "b": 1}},
    ...                     "reason": {"nl": "reden"}}]})
    >>> study_influences(study).values
    ((0, 2), (0, 0))
    """
    keys = tuple(descriptor.key for descriptor in study.descriptors)
    position = {key: index for index, key in enumerate(keys)}
    values = [[0] * len(keys) for _ in keys]
    for section in study.judgements:
        if section.source != section.target:
            values[position[section.source]][position[section.target]] = min(
                STRONGEST, section.strongest
            )
    return InfluenceMatrix(keys, tuple(tuple(row) for row in values))
