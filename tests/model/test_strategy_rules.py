"""The rules of the strategy review: every reference exists, keys are unique, with hints."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pydantic
import pytest

from koers.io import study_yaml
from koers.model import Study
from koers.model.problems import Location
from koers.model.strategy import Strategy
from koers.model.strategy_rules import strategy_problems

TEMPLATE = Path(str(resources.files("koers.templates") / "corona-lokale-besturen.yaml"))


def _text(word: str) -> dict[str, str]:
    return {"nl": word, "en": word}


@pytest.fixture(scope="module")
def base() -> Study:
    return study_yaml.load(TEMPLATE).model_copy(update={"strategy": None})


def good() -> dict[str, Any]:
    """A small strategy that keeps every rule, on the template's scenarios and indicators."""
    return {
        "policies": [
            {"key": "schuldhulp", "name": _text("Schuldhulp"), "start": 2026, "end": 2028},
            {"key": "sport", "name": _text("Sport")},
        ],
        "scores": [
            {"policy": "schuldhulp", "scenario": "overleven", "participant": "a", "score": 2},
            {"policy": "schuldhulp", "scenario": "overleven", "participant": "b", "score": 1},
        ],
        "criteria": [{"key": "effect", "name": _text("Effect")}],
        "criterion_scores": [
            {"policy": "sport", "criterion": "effect", "participant": "a", "score": 1}
        ],
        "weights": [{"scenario": "overleven", "weights": {"effect": 1}}],
        "decisions": [
            {
                "policy": "sport",
                "verdict": "adapt",
                "reason": _text("contract"),
                "decided_by": "college",
                "decided_on": "2026-03-01",
            }
        ],
        "assumptions": [
            {
                "key": "capaciteit",
                "policy": "schuldhulp",
                "text": _text("genoeg mensen"),
                "load_bearing": True,
                "signpost": "schuldhulp-aanmeldingen",
                "trigger": "overbelasting",
                "fails_in": ["overleven"],
            }
        ],
        "pathways": [
            {
                "key": "route",
                "name": _text("Route"),
                "signpost": "schuldhulp-aanmeldingen",
                "start": "gewoon",
                "actions": [
                    {"key": "gewoon", "name": _text("gewoon"), "policy": "schuldhulp"},
                    {"key": "meer", "name": _text("meer")},
                ],
                "transitions": [{"source": "gewoon", "target": "meer", "trigger": "drukte"}],
            }
        ],
        "initiatives": [
            {
                "key": "maatjes",
                "kind": "idea",
                "name": _text("Maatjes"),
                "origin": "residents",
                "scenarios": ["overleven"],
                "policies": ["schuldhulp"],
                "status": "stopped",
                "reason": _text("geen vrijwilligers"),
            }
        ],
    }


def problems(base: Study, data: dict[str, Any]) -> list[tuple[Location, str]]:
    study = base.model_copy(update={"strategy": Strategy.model_validate(data)})
    return list(strategy_problems(study))


def only(base: Study, data: dict[str, Any]) -> tuple[Location, str]:
    found = problems(base, data)
    assert len(found) == 1, found
    return found[0]


def test_the_good_strategy_keeps_every_rule(base: Study) -> None:
    assert problems(base, good()) == []
    assert list(strategy_problems(base)) == []  # no strategy at all


def test_an_unknown_scenario_gets_a_did_you_mean(base: Study) -> None:
    data = good()
    data["scores"][0]["scenario"] = "overleve"
    where, message = only(base, data)
    assert where == ("strategy", "scores", 0, "scenario")
    assert "scenario 'overleve', which does not exist; did you mean 'overleven'?" in message


def test_an_unknown_policy_lists_the_choices_when_nothing_is_close(base: Study) -> None:
    data = good()
    data["decisions"][0]["policy"] = "xyz"
    where, message = only(base, data)
    assert where == ("strategy", "decisions", 0, "policy")
    assert "choose one of: 'schuldhulp', 'sport'" in message


def test_one_score_per_policy_scenario_and_participant(base: Study) -> None:
    data = good()
    data["scores"][1]["participant"] = "a"
    where, message = only(base, data)
    assert where == ("strategy", "scores", 1, "participant")
    assert "twice (scores 1 and 2)" in message
    data = good()
    data["criterion_scores"].append(dict(data["criterion_scores"][0], score=2))
    assert "twice (criterion scores 1 and 2)" in only(base, data)[1]


def test_keys_are_unique(base: Study) -> None:
    data = good()
    data["policies"][1]["key"] = "schuldhulp"
    found = problems(base, data)
    assert found[0] == (
        ("strategy", "policies", 1, "key"),
        "two policies have the key 'schuldhulp' (items 1 and 2); give each a key of its own",
    )
    data = good()
    data["pathways"][0]["actions"][1]["key"] = "gewoon"
    found = problems(base, data)
    assert found[0][0] == ("strategy", "pathways", 0, "actions", 1, "key")


def test_criterion_and_weight_rules(base: Study) -> None:
    data = good()
    data["criterion_scores"][0]["criterion"] = "efect"
    assert "did you mean 'effect'?" in only(base, data)[1]
    data = good()
    data["weights"][0]["weights"] = {"effect": -1}
    messages = [m for _, m in problems(base, data)]
    assert any("weights are 0 or more" in m for m in messages)
    data = good()
    data["weights"][0]["weights"] = {"effect": 0}
    assert "give at least one criterion a positive weight" in only(base, data)[1]
    data = good()
    data["weights"][0]["weights"] = {"efect": 1}
    where, message = only(base, data)
    assert where == ("strategy", "weights", 0, "weights", "efect")
    assert "criterion 'efect', which does not exist; did you mean 'effect'?" in message
    data = good()
    data["weights"].append({"scenario": "overleven", "weights": {"effect": 2}})
    assert "two weight profiles" in only(base, data)[1]
    data = good()
    data["method"] = "multipol"
    data["weights"] = []
    assert only(base, data)[0] == ("strategy", "method")


def test_signposts_and_triggers_exist(base: Study) -> None:
    data = good()
    data["assumptions"][0]["signpost"] = "schuldhulp-aanmelding"
    where, message = only(base, data)
    assert where == ("strategy", "assumptions", 0, "signpost")
    assert "did you mean 'schuldhulp-aanmeldingen'?" in message
    data = good()
    data["assumptions"][0]["trigger"] = "overbelast"
    where, message = only(base, data)
    assert where == ("strategy", "assumptions", 0, "trigger")
    assert "indicator 'schuldhulp-aanmeldingen' does not have; did you mean 'overbelasting'" in (
        message
    )
    data = good()
    data["assumptions"][0]["signpost"] = None
    assert "but no signpost" in only(base, data)[1]
    data = good()
    data["assumptions"][0]["fails_in"] = ["transformeer"]
    assert only(base, data)[0] == ("strategy", "assumptions", 0, "fails_in", 0)


def test_pathway_rules(base: Study) -> None:
    data = good()
    data["pathways"][0]["start"] = "begin"
    where, message = only(base, data)
    assert where == ("strategy", "pathways", 0, "start")
    assert "start action 'begin'" in message
    data = good()
    data["pathways"][0]["transitions"][0]["target"] = "gewoon"
    assert "to itself" in only(base, data)[1]
    data = good()
    data["pathways"][0]["transitions"][0]["target"] = "mer"
    assert "did you mean 'meer'?" in only(base, data)[1]
    data = good()
    data["pathways"][0]["transitions"][0]["trigger"] = "drukt"  # on the pathway's signpost
    assert only(base, data)[0] == ("strategy", "pathways", 0, "transitions", 0, "trigger")
    data = good()
    data["pathways"][0]["signpost"] = "onbekend"
    assert only(base, data)[0] == ("strategy", "pathways", 0, "signpost")
    data = good()
    data["pathways"][0]["transitions"][0].update(signpost="faillissementen", trigger="golf")
    assert problems(base, data) == []
    data = good()
    data["pathways"][0]["actions"][0]["policy"] = "schuld"
    assert only(base, data)[0] == ("strategy", "pathways", 0, "actions", 0, "policy")


def test_initiative_and_policy_rules(base: Study) -> None:
    data = good()
    del data["initiatives"][0]["reason"]
    where, message = only(base, data)
    assert where == ("strategy", "initiatives", 0, "reason")
    assert "has stopped but does not say why" in message
    data = good()
    data["initiatives"][0]["policies"] = ["schuldhulp", "sprot"]
    assert only(base, data)[0] == ("strategy", "initiatives", 0, "policies", 1)
    data = good()
    data["policies"][0]["end"] = 2025
    assert "ends (2025) before it starts (2026)" in only(base, data)[1]


def test_the_rules_run_when_a_study_is_built(base: Study) -> None:
    data = base.model_dump(mode="json")
    strategy = good()
    strategy["scores"][0]["policy"] = "schuldhulpp"
    data["strategy"] = strategy
    with pytest.raises(pydantic.ValidationError) as caught:
        Study.model_validate(data)
    errors = caught.value.errors()
    assert [e["loc"] for e in errors] == [("strategy", "scores", 0, "policy")]
    assert "did you mean 'schuldhulp'?" in errors[0]["msg"]


def test_renaming_a_scenario_or_policy_carries_every_reference() -> None:
    study = study_yaml.load(TEMPLATE)
    assert study.strategy is not None
    scenarios = tuple(
        s.model_copy(update={"key": "volhouden"}) if s.key == "overleven" else s
        for s in study.scenarios
    )
    strategy = study.strategy.with_scenario_renamed("overleven", "volhouden")
    renamed = study.model_copy(update={"scenarios": scenarios, "strategy": strategy})
    assert list(strategy_problems(renamed)) == []
    assert "overleven" not in str(strategy.model_dump())
    # without carrying the references, the rules name them
    stale = study.model_copy(update={"scenarios": scenarios})
    assert len(list(strategy_problems(stale))) > 10
    strategy = study.strategy.with_policy_renamed("schuldhulpverlening", "schuldhulp")
    assert "schuldhulpverlening" not in str(strategy.model_dump())
    assert list(strategy_problems(study.model_copy(update={"strategy": strategy}))) == []
