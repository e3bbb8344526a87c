"""The items of a workshop round: which cells, scores or bounds of a study it asks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from koers.errors import Problem, ValidationError
from koers.model import Study
from koers.model.rounds import KINDS, Item, Kind

__all__ = ["items_for", "option_problems"]


def items_for(study: Study, kind: Kind, selection: Sequence[Item] | None = None) -> list[Item]:
    """The items of a round of ``kind`` on ``selection`` of the study.

    ``judgements``: ``selection`` holds (source, target) pairs; the items are every cell of
    those sections (each source variant on each target variant); ``None`` means every section
    the study has written. ``scores``: ``selection`` holds policy keys (1-tuples); the items
    are those policies under every scenario; ``None`` means every policy. ``thresholds``:
    ``selection`` holds (indicator, trigger) pairs; the items are the bounds each trigger
    has; ``None`` means every trigger.

    Raises
    ------
    koers.errors.ValidationError
        With every selected thing the study does not have.
    """
    problems: list[Problem] = []
    items: list[Item] = []
    if kind == "judgements":
        pairs = (
            [(s.source, s.target) for s in study.judgements]
            if selection is None
            else [tuple(pair) for pair in selection]
        )
        for index, pair in enumerate(pairs):
            found = _descriptors(study, pair, f"selection.{index}", problems)
            if found is not None:
                source, target = found
                items.extend(
                    (source.key, a.key, target.key, b.key)
                    for a in source.variants
                    for b in target.variants
                )
    elif kind == "scores":
        strategy = study.strategy
        policies = [p.key for p in strategy.policies] if strategy else []
        chosen = policies if selection is None else [part for item in selection for part in item]
        for index, policy in enumerate(chosen):
            if policy not in policies:
                problems.append(
                    Problem(f"there is no policy '{policy[:64]}'", f"selection.{index}")
                )
            else:
                items.extend((policy, scenario.key) for scenario in study.scenarios)
    else:
        triggers = [(i.key, t.key) for i in study.indicators for t in i.triggers]
        chosen_pairs = triggers if selection is None else [tuple(pair) for pair in selection]
        for index, pair in enumerate(chosen_pairs):
            if pair not in triggers:
                problems.append(
                    Problem(f"there is no trigger {':'.join(pair)[:130]}", f"selection.{index}")
                )
                continue
            trigger = next(t for t in study.indicator(pair[0]).triggers if t.key == pair[1])
            items.extend(
                (pair[0], pair[1], bound)
                for bound in ("at_least", "at_most")
                if getattr(trigger.when, bound) is not None
            )
    if problems:
        raise ValidationError(problems)
    if not items:
        raise ValidationError([Problem(f"the selection gives no {kind} to ask", "selection")])
    return items


def option_problems(kind: object, rule: object, tolerance: object) -> list[Problem]:
    """The problems of a round's kind, rule and tolerance (each located by its name)."""
    found = []
    if kind not in KINDS:
        found.append(
            Problem(
                f"there is no kind of round {str(kind)[:30]!r}; choose one of {', '.join(KINDS)}",
                "kind",
            )
        )
    if rule not in ("mean", "median"):
        found.append(Problem(f"there is no rule {str(rule)[:30]!r}; choose mean or median", "rule"))
    if tolerance is not None and (
        isinstance(tolerance, bool)
        or not isinstance(tolerance, int | float)
        or not 0 <= tolerance < float("inf")
    ):
        found.append(
            Problem(
                "the tolerance is the largest interquartile range that still counts as "
                "agreement: give a number of 0 or more",
                "tolerance",
            )
        )
    return found


def _descriptors(
    study: Study, pair: tuple[str, ...], where: str, problems: list[Problem]
) -> tuple[Any, Any] | None:
    if len(pair) != 2:
        problems.append(Problem("give a section as (source, target)", where))
        return None
    found = []
    for key in pair:
        try:
            found.append(study.descriptor(key))
        except KeyError:
            problems.append(Problem(f"there is no descriptor '{key[:64]}'", where))
    if len(found) != 2:
        return None
    if pair[0] == pair[1]:
        problems.append(Problem("a descriptor has no judgements on itself", where))
        return None
    return found[0], found[1]
