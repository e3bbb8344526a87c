"""Succession chains for people: from a state and a shock, which descriptor flips next, and why.

The reasons come in the reader's language; the chain ends are labelled by the team's
preferences on scenarios (docs/methods.md, "Succession chains").
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from koers.errors import Problem, ValidationError
from koers.i18n import translator
from koers.methods.cib.chains import (
    AttractorsCheck,
    Chain,
    ChainStep,
    Flip,
    Hold,
    attractors_check,
    follow_chain,
)
from koers.methods.cib.from_study import study_matrix
from koers.methods.cib.matrix import CrossImpactMatrix
from koers.methods.cib.solve import solve
from koers.methods.cib.succession import Rule
from koers.model import Study
from koers.model.text import Language

__all__ = [
    "ChainEnd",
    "ChainFlip",
    "ChainLabel",
    "ChainPush",
    "ChainReport",
    "ChainStepView",
    "ImpactEdge",
    "ImpactNetwork",
    "chain",
    "chain_attractors_check",
]


# How a shock travels through a study's cross-impact judgements (issue 7, "Succession
# chains"): the chain step by step, why each descriptor flips, where it ends, and whether the
# team wants that end. The method is koers.methods.cib.chains.follow_chain.

ChainLabel = Literal["good", "bad", "neutral", "mixed"]


@dataclass(frozen=True)
class ChainPush:
    """A judgement that pushed a flip: the source's current variant and its two values."""

    source: str  # descriptor key
    source_variant: str
    on_before: int  # judgement on the flipping descriptor's old variant
    on_after: int  # ... and on its new variant
    difference: int  # on_after - on_before


@dataclass(frozen=True)
class ChainFlip:
    """A descriptor that flips in a step, its balance before the flip and what pushed it."""

    descriptor: str
    before: str
    after: str
    score_before: int  # impact score of the old variant in the scenario before the step
    score_after: int  # impact score of the new variant; the pushes' differences add up to
    # score_after - score_before
    pushes: tuple[ChainPush, ...]  # largest difference first
    text: str


@dataclass(frozen=True)
class ChainStepView:
    """One step of a chain: the flips, the scenario it reaches, what held, a cycle closing."""

    number: int
    flips: tuple[ChainFlip, ...]
    scenario: dict[str, str]  # descriptor -> variant after the step
    held: tuple[str, ...]  # shocked descriptors held fixed during the step
    closes_cycle: bool


@dataclass(frozen=True)
class ImpactEdge:
    """A judgement that pushed a flip, as an edge of the impact network."""

    source: str
    target: str
    step: int
    source_variant: str
    target_before: str
    target_after: str
    weight: int  # the push's difference: > 0 drove the flip, < 0 resisted it


@dataclass(frozen=True)
class ImpactNetwork:
    """The impacts involved in a chain, as plain data for a figure.

    ``nodes`` are the descriptors that flip or push, in the study's order; ``edges`` one per
    push of every flip (a source pushing twice appears twice, with its step).
    """

    nodes: tuple[str, ...]
    edges: tuple[ImpactEdge, ...]


@dataclass(frozen=True)
class ChainEnd:
    """A scenario the chain ends in, its framing quadrant's scenario and the team's view."""

    variants: dict[str, str]
    scenario: str | None  # key of the quadrant scenario, None without framing or scenario
    preference: int | None
    label: ChainLabel | None


@dataclass(frozen=True)
class ChainReport:
    """A succession chain of a study, in the terms a person reads."""

    rule: Rule
    hold: Hold
    given: dict[str, str]  # the start as given
    filled: dict[str, str]  # descriptors missing from it, taken from the nearest consistent
    shock: dict[str, str]
    start: dict[str, str]  # the complete start after the shock
    steps: tuple[ChainStepView, ...]
    ends: tuple[ChainEnd, ...]  # one consistent scenario, or the members of a cycle
    is_cycle: bool
    label: ChainLabel | None
    network: ImpactNetwork
    summary: str


def chain(
    study: Study,
    start: Mapping[str, str],
    shock: Mapping[str, str],
    rule: Rule = "global",
    *,
    hold: Hold = "fixed",
    language: Language | None = None,
) -> ChainReport:
    """The succession chain of ``study`` from ``start`` after ``shock``, explained.

    ``start`` maps descriptor keys to variant keys (the current state, or the state the
    signals observe). Descriptors it leaves out take their variants from the consistent
    scenario nearest to it: the one differing in the fewest given descriptors, then the one
    with the highest total impact score; nothing given means that best-scoring consistent
    scenario. ``shock`` forces variants; they stay fixed for the whole chain
    (``hold="fixed"``) or only during its first step (``hold="first_step"``). See
    :func:`koers.methods.cib.chains.follow_chain` for the steps and their reasons.

    The end is labelled by the team's preferences (``Scenario.preference``, -2..+2): an end
    scenario's variants of the framing's two axes name a quadrant, whose scenario is good
    when its preference is above 0, bad below 0, neutral at 0. A cycle takes its members'
    label when they share one, else ``"mixed"``. No framing, or no scenario in a member's
    quadrant: ``None`` (unlabelled). Texts are in ``language`` (default: the study's).

    Raises
    ------
    ValidationError
        For unknown descriptors or variants in ``start`` or ``shock`` (all at once), an
        unknown rule or hold, or an incomplete start in a study without consistent scenario.
    """
    given, problems = _checked(study, start, "start")
    forced, shock_problems = _checked(study, shock, "shock")
    if problems or shock_problems:
        raise ValidationError(problems + shock_problems)
    matrix = study_matrix(study)
    filled = _fill(matrix, given)
    complete = {**filled, **given}
    index = {key: i for i, key in enumerate(matrix.descriptors)}
    origin = [matrix.variants[i].index(complete[d]) for d, i in index.items()]
    fixed = {index[d]: matrix.variants[index[d]].index(v) for d, v in forced.items()}
    found = follow_chain(matrix, origin, fixed, rule=rule, hold=hold)
    words = _Words(study, language or study.language)
    steps = tuple(_step_view(matrix, step, words) for step in found.steps)
    ends = tuple(_end(study, matrix, member) for member in found.attractor)
    label = _chain_label(ends)
    return ChainReport(
        rule=rule,
        hold=hold,
        given=given,
        filled=filled,
        shock=forced,
        start=_labelled(matrix, found.path[0]),
        steps=steps,
        ends=ends,
        is_cycle=found.is_cycle,
        label=label,
        network=_network(matrix, steps),
        summary=_summary(found, ends, label, words),
    )


def chain_attractors_check(study: Study, rule: Rule = "global") -> AttractorsCheck:
    """Chains from every scenario of ``study`` against exhaustive succession (for tests)."""
    return attractors_check(study_matrix(study), rule=rule)


def _checked(
    study: Study, given: Mapping[str, str], what: str
) -> tuple[dict[str, str], list[Problem]]:
    """The known ``descriptor -> variant`` pairs of ``given`` and a problem for each other."""
    keys = [descriptor.key for descriptor in study.descriptors]
    known: dict[str, str] = {}
    problems: list[Problem] = []
    for key, variant in given.items():
        where = f"{what}.{key}"
        if key not in keys:
            close = difflib.get_close_matches(key, keys, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "choose one of: " + ", ".join(keys)
            problems.append(Problem(f"'{key}' is not a descriptor of the study; {hint}", where))
            continue
        variants = [v.key for v in study.descriptor(key).variants]
        if variant not in variants:
            problems.append(
                Problem(
                    f"'{variant}' is not a variant of '{key}'; choose one of: "
                    + ", ".join(variants),
                    where,
                )
            )
            continue
        known[key] = variant
    return known, problems


def _fill(matrix: CrossImpactMatrix, given: Mapping[str, str]) -> dict[str, str]:
    """Variants for the descriptors ``given`` leaves out, from the nearest consistent scenario.

    Nearest: fewest given descriptors differing; then the highest total impact score (the
    solver's order).
    """
    missing = [d for d in matrix.descriptors if d not in given]
    if not missing:
        return {}
    everything = solve(matrix)
    if everything.count == 0:
        raise ValidationError(
            [
                Problem(
                    "the study has no consistent scenario to complete the start from; give a "
                    "variant for every descriptor; missing: " + ", ".join(missing),
                    "start",
                )
            ]
        )
    index = {key: i for i, key in enumerate(matrix.descriptors)}
    rows = everything.scenarios.tolist()

    def distance(row: Sequence[int]) -> int:
        return sum(matrix.variants[index[d]][row[index[d]]] != v for d, v in given.items())

    nearest = min(range(len(rows)), key=lambda r: (distance(rows[r]), r))
    return {d: matrix.variants[index[d]][rows[nearest][index[d]]] for d in missing}


def _labelled(matrix: CrossImpactMatrix, scenario: Sequence[int]) -> dict[str, str]:
    """A 0-based scenario as ``descriptor -> variant``."""
    return {
        d: names[v]
        for d, names, v in zip(matrix.descriptors, matrix.variants, scenario, strict=True)
    }


class _Words:
    """Names of descriptors and variants, and Koers's own words, in one language."""

    def __init__(self, study: Study, language: Language) -> None:
        self.study = study
        self.language = language
        self.gettext = translator(language)

    def descriptor(self, key: str) -> str:
        return self.study.descriptor(key).name.get(self.language)

    def variant(self, descriptor: str, key: str) -> str:
        variant = self.study.descriptor(descriptor).variant(key)
        return variant.name.get(self.language) if variant is not None else key


def _step_view(matrix: CrossImpactMatrix, step: ChainStep, words: _Words) -> ChainStepView:
    flips = []
    for flip in step.flips:
        target = matrix.descriptors[flip.descriptor]
        before = matrix.variants[flip.descriptor][flip.before]
        after = matrix.variants[flip.descriptor][flip.after]
        pushes = tuple(
            ChainPush(
                matrix.descriptors[p.source],
                matrix.variants[p.source][p.variant],
                p.on_before,
                p.on_after,
                p.difference,
            )
            for p in flip.pushes
        )
        flips.append(
            ChainFlip(
                target,
                before,
                after,
                flip.score_before,
                flip.score_after,
                pushes,
                _flip_text(target, before, after, flip, pushes, words),
            )
        )
    return ChainStepView(
        number=step.number,
        flips=tuple(flips),
        scenario=_labelled(matrix, step.after),
        held=tuple(matrix.descriptors[j] for j in step.held),
        closes_cycle=step.closes_cycle,
    )


def _flip_text(
    target: str,
    before: str,
    after: str,
    flip: Flip,
    pushes: Sequence[ChainPush],
    words: _Words,
) -> str:
    _ = words.gettext
    old, new = words.variant(target, before), words.variant(target, after)
    text = _("{descriptor} flips from {before} to {after}: {after} scores {new}, {before} {old}.")
    parts = [
        text.format(
            descriptor=words.descriptor(target),
            before=old,
            after=new,
            new=flip.score_after,
            old=flip.score_before,
        )
    ]
    reasons = [
        _(
            "{source} {variant}: {difference:+d} ({on_before} on {before}, {on_after} on {after})"
        ).format(
            source=words.descriptor(p.source),
            variant=words.variant(p.source, p.source_variant),
            difference=p.difference,
            on_before=p.on_before,
            on_after=p.on_after,
            before=old,
            after=new,
        )
        for p in pushes
    ]
    if reasons:
        parts.append(_("Pushed by: {reasons}.").format(reasons="; ".join(reasons)))
    return " ".join(parts)


def _end(study: Study, matrix: CrossImpactMatrix, scenario: Sequence[int]) -> ChainEnd:
    variants = _labelled(matrix, scenario)
    if study.framing is None:
        return ChainEnd(variants, None, None, None)
    quadrant = {axis: variants[axis] for axis in study.framing.axes}
    for candidate in study.scenarios:
        if candidate.quadrant == quadrant:
            preference = candidate.preference
            label: ChainLabel = "good" if preference > 0 else "bad" if preference < 0 else "neutral"
            return ChainEnd(variants, candidate.key, preference, label)
    return ChainEnd(variants, None, None, None)


def _chain_label(ends: Sequence[ChainEnd]) -> ChainLabel | None:
    labels = {end.label for end in ends}
    if None in labels:
        return None
    if len(labels) == 1:
        return ends[0].label
    return "mixed"


def _network(matrix: CrossImpactMatrix, steps: Sequence[ChainStepView]) -> ImpactNetwork:
    edges = tuple(
        ImpactEdge(
            push.source,
            flip.descriptor,
            step.number,
            push.source_variant,
            flip.before,
            flip.after,
            push.difference,
        )
        for step in steps
        for flip in step.flips
        for push in flip.pushes
    )
    involved = {edge.source for edge in edges} | {edge.target for edge in edges}
    involved |= {flip.descriptor for step in steps for flip in step.flips}
    return ImpactNetwork(tuple(d for d in matrix.descriptors if d in involved), edges)


def _summary(
    found: Chain, ends: Sequence[ChainEnd], label: ChainLabel | None, words: _Words
) -> str:
    _ = words.gettext
    if found.is_cycle:
        text = _("Steps: {steps}. The chain ends in a cycle of {size} scenarios.").format(
            steps=len(found.steps), size=len(found.attractor)
        )
    else:
        text = _("Steps: {steps}. The chain ends in a consistent scenario.").format(
            steps=len(found.steps)
        )
    names = ", ".join(
        dict.fromkeys(
            words.study.scenario(end.scenario).name.get(words.language)
            for end in ends
            if end.scenario is not None
        )
    )
    verdicts = {
        "good": _("It ends in {scenario}: a future the team wants."),
        "bad": _("It ends in {scenario}: a future the team wants to avoid."),
        "neutral": _("It ends in {scenario}: a future the team is neutral about."),
        "mixed": _("It cycles through futures the team judges differently: {scenario}."),
    }
    if label is not None:
        text += " " + verdicts[label].format(scenario=names)
    return text
