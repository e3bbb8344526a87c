"""One study as arrays for the kernel: values, reading positions, and its evidence rules."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from koers.methods.signals.conditions import MEASURES, Floats
from koers.methods.signals.kernel import EvidenceArrays
from koers.methods.signals.series import Series, month_index, reading_period
from koers.model.periods import Period
from koers.model.signals import LIKELIHOOD_RATIOS, Evidence
from koers.model.study import Study

__all__ = ["Encoded", "encode"]

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Encoded:
    """One study as arrays for the kernel, with the names to decode them."""

    values: Floats  # (1, I, P)
    index: Ints  # (I, M)
    evidence: EvidenceArrays
    rules: tuple[tuple[int, int, Evidence], ...]  # (indicator position, rule position, rule)
    descriptors: tuple[tuple[str, tuple[str, ...], int], ...]  # key, variants, first column
    starts: tuple[Period, ...]  # the own period of values[0, i, 0]


def encode(study: Study, series: Mapping[str, Series], months: list[Period]) -> Encoded:
    """Encode ``study`` and its ``series`` for the kernel, with one region.

    Indicators keep the study's order; the variant columns run over the descriptors that
    some indicator has evidence on, in the study's order, each with all its variants.
    """
    indicators = study.indicators
    length = max([len(own) for own in series.values()], default=1) or 1
    values = np.full((1, len(indicators), length), np.nan)
    index = np.full((len(indicators), len(months)), -1, dtype=np.int64)
    starts = [reading_period(months[0], indicator.frequency) for indicator in indicators]
    for i, indicator in enumerate(indicators):
        own = series.get(indicator.key)
        if own is not None:
            values[0, i, : len(own)] = own.values
            index[i] = month_index(own, months)
            starts[i] = own.start
    used = {evidence.descriptor for indicator in indicators for evidence in indicator.evidence}
    descriptors = []
    columns: dict[tuple[str, str], int] = {}
    for descriptor in study.descriptors:
        if descriptor.key in used:
            variants = tuple(variant.key for variant in descriptor.variants)
            descriptors.append((descriptor.key, variants, len(columns)))
            for variant in variants:
                columns[(descriptor.key, variant)] = len(columns)
    rules = tuple(
        (i, r, evidence)
        for i, indicator in enumerate(indicators)
        for r, evidence in enumerate(indicator.evidence)
    )
    conditions = [evidence.when for _, _, evidence in rules]
    arrays = EvidenceArrays(
        indicator=np.array([i for i, _, _ in rules], dtype=np.int64),
        measure=np.array([MEASURES.index(c.measure) for c in conditions], dtype=np.int64),
        periods=np.array([c.periods for c in conditions], dtype=np.int64),
        relative=np.array([c.relative for c in conditions], dtype=np.bool_),
        at_least=np.array([-math.inf if c.at_least is None else c.at_least for c in conditions]),
        at_most=np.array([math.inf if c.at_most is None else c.at_most for c in conditions]),
        weight=np.array([math.log(LIKELIHOOD_RATIOS[e.strength]) for _, _, e in rules]),
        column=np.array([columns[(e.descriptor, e.variant)] for _, _, e in rules], np.int64),
        columns=len(columns),
    )
    return Encoded(values, index, arrays, rules, tuple(descriptors), tuple(starts))
