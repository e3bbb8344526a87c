"""The rules of a study's strategy review: references that must exist, keys that must be unique."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from koers.model.problems import Location, Problems, suggest, unique

if TYPE_CHECKING:
    from koers.model.signals import Indicator
    from koers.model.strategy import Pathway, Strategy
    from koers.model.study import Study

__all__ = ["strategy_problems"]

_HERE: Location = ("strategy",)


def strategy_problems(study: Study) -> Problems:
    """Every broken rule of the strategy review of ``study``, in the order of the file."""
    strategy = study.strategy
    if strategy is None:
        return
    yield from _keys(strategy)
    yield from _policies(strategy)
    yield from _scores(study, strategy)
    yield from _criteria(study, strategy)
    yield from _decisions(strategy)
    yield from _assumptions(study, strategy)
    for index, pathway in enumerate(strategy.pathways):
        yield from _pathway(study, strategy, index, pathway)
    yield from _initiatives(study, strategy)


def _keys(strategy: Strategy) -> Problems:
    for name, what, keys in (
        ("policies", "policies", [p.key for p in strategy.policies]),
        ("criteria", "criteria", [c.key for c in strategy.criteria]),
        ("assumptions", "assumptions", [a.key for a in strategy.assumptions]),
        ("pathways", "pathways", [p.key for p in strategy.pathways]),
        ("initiatives", "initiatives", [i.key for i in strategy.initiatives]),
    ):
        yield from unique((*_HERE, name), what, keys)
    for index, pathway in enumerate(strategy.pathways):
        yield from unique(
            (*_HERE, "pathways", index, "actions"),
            f"actions of pathway '{pathway.key}'",
            [a.key for a in pathway.actions],
        )


def _refer(where: Location, owner: str, what: str, key: str, known: Sequence[str]) -> Problems:
    if key not in known:
        yield (where, f"{owner} names {what} '{key}', which does not exist; {suggest(key, known)}")


def _policies(strategy: Strategy) -> Problems:
    for index, policy in enumerate(strategy.policies):
        if policy.start is not None and policy.end is not None and policy.start > policy.end:
            yield (
                (*_HERE, "policies", index, "end"),
                f"policy '{policy.key}' ends ({policy.end}) before it starts ({policy.start}); "
                "swap the years or correct one",
            )
        if policy.budget is not None and policy.budget < 0:
            yield (
                (*_HERE, "policies", index, "budget"),
                f"policy '{policy.key}' has a negative budget ({policy.budget}); give the "
                "euros per year it spends, 0 or more",
            )


def _participant(where: Location, owner: str, participant: str) -> Problems:
    if not participant.strip():
        yield (where, f"{owner} has no participant; write who gave the score")


def _scores(study: Study, strategy: Strategy) -> Problems:
    policies = [p.key for p in strategy.policies]
    scenarios = [s.key for s in study.scenarios]
    first: dict[tuple[str, str, str], int] = {}
    for index, score in enumerate(strategy.scores):
        where: Location = (*_HERE, "scores", index)
        owner = f"score {index + 1}"
        yield from _refer((*where, "policy"), owner, "policy", score.policy, policies)
        yield from _refer((*where, "scenario"), owner, "scenario", score.scenario, scenarios)
        yield from _participant((*where, "participant"), owner, score.participant)
        triple = (score.policy, score.scenario, score.participant)
        if triple in first:
            yield (
                (*where, "participant"),
                f"'{score.participant}' scores policy '{score.policy}' in scenario "
                f"'{score.scenario}' twice (scores {first[triple] + 1} and {index + 1}); keep "
                "one score per policy, scenario and participant",
            )
        else:
            first[triple] = index


def _criteria(study: Study, strategy: Strategy) -> Problems:
    policies = [p.key for p in strategy.policies]
    criteria = [c.key for c in strategy.criteria]
    scenarios = [s.key for s in study.scenarios]
    first: dict[tuple[str, str, str], int] = {}
    for index, score in enumerate(strategy.criterion_scores):
        where: Location = (*_HERE, "criterion_scores", index)
        owner = f"criterion score {index + 1}"
        yield from _refer((*where, "policy"), owner, "policy", score.policy, policies)
        yield from _refer((*where, "criterion"), owner, "criterion", score.criterion, criteria)
        yield from _participant((*where, "participant"), owner, score.participant)
        triple = (score.policy, score.criterion, score.participant)
        if triple in first:
            yield (
                (*where, "participant"),
                f"'{score.participant}' scores policy '{score.policy}' on criterion "
                f"'{score.criterion}' twice (criterion scores {first[triple] + 1} and "
                f"{index + 1}); keep one score per policy, criterion and participant",
            )
        else:
            first[triple] = index
    profiles: dict[str, int] = {}
    for index, profile in enumerate(strategy.weights):
        where = (*_HERE, "weights", index)
        owner = f"weight profile {index + 1}"
        yield from _refer((*where, "scenario"), owner, "scenario", profile.scenario, scenarios)
        if profile.scenario in profiles:
            yield (
                (*where, "scenario"),
                f"scenario '{profile.scenario}' has two weight profiles (weight profiles "
                f"{profiles[profile.scenario] + 1} and {index + 1}); merge them into one",
            )
        else:
            profiles[profile.scenario] = index
        for criterion, weight in profile.weights.items():
            yield from _refer(
                (*where, "weights", criterion),
                f"the weight profile of scenario '{profile.scenario}'",
                "criterion",
                criterion,
                criteria,
            )
            if weight < 0:
                yield (
                    (*where, "weights", criterion),
                    f"the weight of criterion '{criterion}' in scenario '{profile.scenario}' is "
                    f"{weight}; weights are 0 or more",
                )
        if profile.weights and all(w == 0 for w in profile.weights.values()):
            yield (
                (*where, "weights"),
                f"every weight in the profile of scenario '{profile.scenario}' is 0; give at "
                "least one criterion a positive weight",
            )
        elif not profile.weights:
            yield (
                (*where, "weights"),
                f"the weight profile of scenario '{profile.scenario}' is empty; give each "
                "criterion a weight",
            )
    if strategy.method == "multipol" and not (strategy.criteria and strategy.weights):
        yield (
            (*_HERE, "method"),
            "the review uses 'multipol' but the strategy has no criteria or no weight "
            "profiles; add them, or use method 'scale'",
        )


def _decisions(strategy: Strategy) -> Problems:
    policies = [p.key for p in strategy.policies]
    for index, decision in enumerate(strategy.decisions):
        yield from _refer(
            (*_HERE, "decisions", index, "policy"),
            f"decision {index + 1}",
            "policy",
            decision.policy,
            policies,
        )
        if not decision.decided_by.strip():
            yield (
                (*_HERE, "decisions", index, "decided_by"),
                f"decision {index + 1} does not say who decided; fill in 'decided_by'",
            )


def _signpost(
    study: Study, where: Location, owner: str, signpost: str | None, trigger: str | None
) -> Problems:
    indicators = {i.key: i for i in study.indicators}
    indicator: Indicator | None = None
    if signpost is not None:
        indicator = indicators.get(signpost)
        if indicator is None:
            yield (
                (*where, "signpost"),
                f"{owner} names signpost '{signpost}', which is not an indicator of the study; "
                f"{suggest(signpost, indicators)}",
            )
    if trigger is None:
        return
    if signpost is None:
        yield (
            (*where, "trigger"),
            f"{owner} names trigger '{trigger}' but no signpost; add the indicator it belongs "
            "to under 'signpost'",
        )
    elif indicator is not None:
        triggers = [t.key for t in indicator.triggers]
        if trigger not in triggers:
            yield (
                (*where, "trigger"),
                f"{owner} names trigger '{trigger}', which indicator '{signpost}' does not "
                f"have; {suggest(trigger, triggers)}",
            )


def _assumptions(study: Study, strategy: Strategy) -> Problems:
    policies = [p.key for p in strategy.policies]
    scenarios = [s.key for s in study.scenarios]
    for index, assumption in enumerate(strategy.assumptions):
        where: Location = (*_HERE, "assumptions", index)
        owner = f"assumption '{assumption.key}'"
        yield from _refer((*where, "policy"), owner, "policy", assumption.policy, policies)
        yield from _signpost(study, where, owner, assumption.signpost, assumption.trigger)
        for position, key in enumerate(assumption.fails_in):
            yield from _refer((*where, "fails_in", position), owner, "scenario", key, scenarios)


def _pathway(study: Study, strategy: Strategy, index: int, pathway: Pathway) -> Problems:
    where: Location = (*_HERE, "pathways", index)
    owner = f"pathway '{pathway.key}'"
    policies = [p.key for p in strategy.policies]
    actions = [a.key for a in pathway.actions]
    known_indicators = {i.key for i in study.indicators}
    if not actions:
        yield ((*where, "actions"), f"{owner} has no actions; add at least the one it starts with")
    else:
        yield from _refer((*where, "start"), owner, "start action", pathway.start, actions)
    yield from _signpost(study, where, owner, pathway.signpost, None)
    for position, action in enumerate(pathway.actions):
        if action.policy is not None:
            yield from _refer(
                (*where, "actions", position, "policy"),
                f"action '{action.key}' of {owner}",
                "policy",
                action.policy,
                policies,
            )
    for position, transition in enumerate(pathway.transitions):
        at: Location = (*where, "transitions", position)
        step = f"transition {position + 1} of {owner}"
        yield from _refer((*at, "source"), step, "action", transition.source, actions)
        yield from _refer((*at, "target"), step, "action", transition.target, actions)
        if transition.source == transition.target:
            yield (
                (*at, "target"),
                f"{step} leads from '{transition.source}' to itself; a transition goes to "
                "another action",
            )
        if transition.signpost is not None or pathway.signpost is None:
            yield from _signpost(study, at, step, transition.signpost, transition.trigger)
        elif transition.trigger is not None and pathway.signpost in known_indicators:
            # the transition reads the pathway's signpost, checked once above
            yield from _signpost(study, at, step, pathway.signpost, transition.trigger)


def _initiatives(study: Study, strategy: Strategy) -> Problems:
    policies = [p.key for p in strategy.policies]
    scenarios = [s.key for s in study.scenarios]
    for index, initiative in enumerate(strategy.initiatives):
        where: Location = (*_HERE, "initiatives", index)
        owner = f"initiative '{initiative.key}'"
        yield from _each(where, "scenarios", owner, "scenario", initiative.scenarios, scenarios)
        yield from _each(where, "policies", owner, "policy", initiative.policies, policies)
        if initiative.status == "stopped" and initiative.reason is None:
            yield (
                (*where, "reason"),
                f"{owner} has stopped but does not say why; add 'reason: {{nl: ..., en: ...}}'",
            )


def _each(
    where: Location, field: str, owner: str, what: str, keys: Iterable[str], known: Sequence[str]
) -> Problems:
    for position, key in enumerate(keys):
        yield from _refer((*where, field, position), owner, what, key, known)
