"""Signals: indicator series, conditions, triggers, data quality, the observation ledger and
the assessment of which scenario is unfolding (docs/methods.md, "Signals assessment").

Everything here is pure: model objects and numpy arrays in, frozen results out.
"""

from koers.methods.signals.assessment import (
    Assessment,
    AxisTrack,
    DescriptorTrack,
    TrajectoryRow,
    assess,
)
from koers.methods.signals.conditions import holds, reading, readings
from koers.methods.signals.explanation import Contribution, Move, Moves
from koers.methods.signals.kernel import DEFAULT_CAP, EvidenceArrays, Scoring, score, scoring
from koers.methods.signals.ledger import Merge, Revision, current, merge, revisions
from koers.methods.signals.quality import (
    OUTLIER_THRESHOLD,
    Outlier,
    Quality,
    modified_z,
    outliers,
    quality,
)
from koers.methods.signals.series import Series, build_series, month_index, reading_period
from koers.methods.signals.triggers import Firing, fired, levels

__all__ = [
    "DEFAULT_CAP",
    "OUTLIER_THRESHOLD",
    "Assessment",
    "AxisTrack",
    "Contribution",
    "DescriptorTrack",
    "EvidenceArrays",
    "Firing",
    "Merge",
    "Move",
    "Moves",
    "Outlier",
    "Quality",
    "Revision",
    "Scoring",
    "Series",
    "TrajectoryRow",
    "assess",
    "build_series",
    "current",
    "fired",
    "holds",
    "levels",
    "merge",
    "modified_z",
    "month_index",
    "outliers",
    "quality",
    "reading",
    "reading_period",
    "readings",
    "revisions",
    "score",
    "scoring",
]
