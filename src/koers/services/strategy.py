"""The strategy review: import and export its registers, and review the policies.

A study lives in a file or in the database (:func:`koers.services.signals.open_target`
opens either). Importing merges a register file into the study's strategy and writes the
study back whole or not at all: the file atomically (:func:`koers.io.study_yaml.save`), the
database through a versioned update of the study's fields. The review combines the
participants' scores, the robustness measures and the recommendations of
:mod:`koers.methods.recommendation`, weighing the scenarios by the signals assessment when
the study has observations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from koers.io import study_yaml
from koers.io.register_export import write_registers
from koers.io.registers import RegisterCounts, apply_to_study, read_registers
from koers.methods import recommendation
from koers.model import Language, Study, Text
from koers.model.strategy import Strategy, Verdict
from koers.services.signals import signal_status
from koers.services.targets import DatabaseTarget, FileTarget, Target

__all__ = [
    "CellReview",
    "DecisionView",
    "GapView",
    "PolicyReview",
    "ReasonView",
    "StrategyImport",
    "StrategyReview",
    "export_registers",
    "import_registers",
    "review",
    "review_document",
    "review_target",
    "scenario_likelihoods",
]


@dataclass(frozen=True, slots=True)
class StrategyImport:
    """What an import did, per register read (in Koers's order)."""

    counts: Mapping[str, RegisterCounts]

    @property
    def changed(self) -> bool:
        """Whether anything was added or updated (else nothing was written)."""
        return any(c.added or c.updated for c in self.counts.values())


@dataclass(frozen=True, slots=True)
class CellReview:
    """The participants' scores of a policy in one scenario, combined; ``None`` when unjudged."""

    scenario: str
    value: float | None
    low: float | None
    high: float | None
    deviation: float | None
    scores: Mapping[str, float]  # participant -> score
    fit: bool | None  # value >= threshold


@dataclass(frozen=True, slots=True)
class ReasonView:
    """One reason of a recommendation: its kind (see
    :class:`koers.methods.recommendation.Reason`), what it names, and its English text."""

    kind: str
    scenarios: tuple[str, ...]
    assumptions: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class DecisionView:
    verdict: Verdict
    reason: Text
    decided_by: str
    decided_on: str


@dataclass(frozen=True, slots=True)
class PolicyReview:
    """One policy: its scores per scenario, robustness, recommendation and decision."""

    key: str
    name: Text
    programme: str | None
    portfolio: str | None
    cells: tuple[CellReview, ...]  # in the study's scenario order
    worst: float | None
    worst_in: tuple[str, ...]
    regret: float | None
    regret_in: tuple[str, ...]
    satisficing: float | None
    expected: float | None
    recommended: Verdict | None
    verdict: Verdict | None
    reasons: tuple[ReasonView, ...]
    breaking: Mapping[str, tuple[str, ...]]  # assumption -> scenarios where it breaks
    decision: DecisionView | None
    overruled: bool


@dataclass(frozen=True, slots=True)
class GapView:
    """A scenario no policy serves well enough, with the closest policy."""

    scenario: str
    name: Text
    best: str | None
    score: float | None


@dataclass(frozen=True, slots=True)
class StrategyReview:
    """The review of a study's strategy, in plain data (JSON by :func:`review_document`).

    ``likelihoods`` are the scenario weights used, normalised; ``source`` says where they
    come from: ``"signals"`` (the assessment of ``month``) or ``"equal"``.
    """

    threshold: float
    method: str
    scenarios: tuple[tuple[str, Text], ...]
    likelihoods: Mapping[str, float]
    likely: tuple[str, ...]
    source: str
    month: str | None
    policies: tuple[PolicyReview, ...]
    gaps: tuple[GapView, ...]


# -- registers in and out ----------------------------------------------------------------


def import_registers(target: Target, file: Path, *, register: str | None = None) -> StrategyImport:
    """Merge the registers in ``file`` (CSV or .xlsx) into the strategy of ``target``'s study.

    New keys are added, known keys updated (scores by policy, scenario and participant).
    All or nothing: a bad file, or a merge that breaks a rule of the study, raises
    :class:`~koers.errors.ValidationError` with every problem and writes nothing; an import
    that changes nothing writes nothing.

    Raises
    ------
    koers.errors.FormatError, koers.errors.ValidationError
        A file Koers cannot read, or its problems.
    koers.errors.ConflictError
        When the database study changed between reading and writing.
    """
    if isinstance(target, DatabaseTarget):
        stored = target.repository.get_study(target.study_id)
        study, version = stored.study, stored.versions["study"]
    else:
        study, version = target.study, None
    registers = read_registers(file, study, register=register)
    changed, counts = apply_to_study(study, registers)
    summary = StrategyImport(counts)
    if not summary.changed:
        return summary
    if isinstance(target, DatabaseTarget):
        assert version is not None and changed.strategy is not None
        stored = target.repository.update_study(
            target.study_id, {"strategy": changed.strategy.model_dump(mode="json")}, version
        )
        target.study = stored.study
    elif isinstance(target, FileTarget):
        study_yaml.save(changed, target.path)
        target.study = changed
    else:  # pragma: no cover - the two targets are all there are
        raise TypeError(f"cannot write to {type(target).__name__}")
    return summary


def export_registers(
    study: Study, path: Path, *, register: str | None = None, language: Language | None = None
) -> tuple[str, ...]:
    """Write the registers of ``study`` to ``path`` (.xlsx: all of them, or ``register``;
    CSV: ``register``); headers and words in ``language`` (default: the study's).

    Raises
    ------
    koers.errors.ValidationError
        When a CSV is asked for without a register, or the register is unknown.
    """
    return write_registers(path, study, register=register, language=language)


# -- the review --------------------------------------------------------------------------


def scenario_likelihoods(target: Target) -> tuple[dict[str, float] | None, str | None]:
    """The scenario likelihoods of the signals assessment and its month, when the study
    has observations that give them; ``(None, None)`` otherwise."""
    if not target.records() or not target.study.scenarios:
        return None, None
    status = signal_status(target)
    if not status.scenarios or sum(s.likelihood for s in status.scenarios) <= 0:
        return None, None
    return {s.key: s.likelihood for s in status.scenarios}, status.month


def review_target(target: Target) -> StrategyReview:
    """The review of ``target``'s study, the scenarios weighed by its signals when it has
    observations."""
    likelihoods, month = scenario_likelihoods(target)
    return review(target.study, likelihoods, month=month)


def review(
    study: Study, likelihoods: Mapping[str, float] | None = None, *, month: str | None = None
) -> StrategyReview:
    """Per policy: the combined scores per scenario with their spread, the robustness
    measures, and the recommendation with its reasons and the decision; and the gaps.

    ``likelihoods`` weigh the scenarios (for the expected value and the likely ones);
    ``None`` weighs them equally. ``month`` names the assessment they come from.

    Raises
    ------
    koers.errors.ValidationError
        When the likelihoods are negative or all zero.
    """
    result = recommendation.review(study, likelihoods=likelihoods)
    table = result.table
    strategy = study.strategy or Strategy()
    policies = {policy.key: policy for policy in strategy.policies}
    measures = {item.policy: item for item in result.robustness}
    advice = {item.policy: item for item in result.recommendations}
    names = {scenario.key: scenario.name for scenario in study.scenarios}
    reviews = []
    for key in table.policies:
        policy, measure, advised = policies[key], measures[key], advice[key]
        cells = []
        for scenario in table.scenarios:
            judged = table.cell(key, scenario)
            if judged is None:
                cells.append(CellReview(scenario, None, None, None, None, {}, None))
                continue
            spread = judged.spread
            cells.append(
                CellReview(
                    scenario,
                    spread.value,
                    spread.low,
                    spread.high,
                    spread.deviation,
                    dict(zip(judged.participants, judged.scores, strict=True)),
                    spread.value >= result.threshold,
                )
            )
        decision = advised.decision
        reviews.append(
            PolicyReview(
                key=key,
                name=policy.name,
                programme=policy.programme,
                portfolio=policy.portfolio,
                cells=tuple(cells),
                worst=measure.worst,
                worst_in=measure.worst_in,
                regret=measure.regret,
                regret_in=measure.regret_in,
                satisficing=measure.satisficing,
                expected=measure.expected,
                recommended=advised.recommended,
                verdict=advised.verdict,
                reasons=tuple(
                    ReasonView(r.kind, r.scenarios, r.assumptions, str(r)) for r in advised.reasons
                ),
                breaking={b.assumption: b.scenarios for b in advised.breaking},
                decision=None
                if decision is None
                else DecisionView(
                    decision.verdict,
                    decision.reason,
                    decision.decided_by,
                    decision.decided_on.isoformat(),
                ),
                overruled=advised.overruled,
            )
        )
    return StrategyReview(
        threshold=result.threshold,
        method=table.method,
        scenarios=tuple((key, names[key]) for key in table.scenarios),
        likelihoods=result.likelihoods,
        likely=result.likely,
        source="equal" if likelihoods is None else "signals" if month else "given",
        month=month,
        policies=tuple(reviews),
        gaps=tuple(GapView(g.scenario, names[g.scenario], g.best, g.score) for g in result.gaps),
    )


def review_document(review: StrategyReview) -> dict[str, Any]:
    """The review as one JSON-ready object (texts as ``{"nl": ..., "en": ...}``)."""
    plain = _plain(asdict(review))
    assert isinstance(plain, dict)
    plain["scenarios"] = [{"key": key, "name": name} for key, name in plain["scenarios"]]
    return plain


def _plain(value: Any) -> Any:
    if isinstance(value, Text):
        return value.model_dump(mode="json")
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
