"""What a fired trigger means for the pathways and assumptions of the Corona template."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from koers.io import study_yaml
from koers.methods.pathways import NextAction, next_actions, signalled_assumptions
from koers.model.strategy import Strategy

TEMPLATE = Path(str(resources.files("koers.templates") / "corona-lokale-besturen.yaml"))


@pytest.fixture(scope="module")
def strategy() -> Strategy:
    found = study_yaml.load(TEMPLATE).strategy
    assert found is not None
    return found


def test_a_trigger_names_the_next_actions(strategy: Strategy) -> None:
    signpost = "schuldhulp-aanmeldingen"
    assert next_actions(strategy, signpost, "drukte") == (
        NextAction("schuldhulp-opschalen", "regulier", "maatjes", signpost, "drukte", 350.0),
    )
    # overbelasting leaves both regulier and maatjes; from maatjes only one way on
    assert [a.source for a in next_actions(strategy, signpost, "overbelasting")] == [
        "maatjes",
        "regulier",
    ]
    onward = next_actions(
        strategy, signpost, "overbelasting", current={"schuldhulp-opschalen": "maatjes"}
    )
    assert [(a.source, a.target) for a in onward] == [("maatjes", "tijdelijke-formatie")]


def test_a_transition_on_its_own_signpost(strategy: Strategy) -> None:
    (action,) = next_actions(strategy, "faillissementen", "golf")
    assert (action.source, action.target) == ("tijdelijke-formatie", "vroegsignalering-breed")
    assert next_actions(strategy, "schuldhulp-aanmeldingen", "golf") == ()
    assert next_actions(strategy, "faillissementen", "golf", current={}) == ()  # on 'regulier'


def test_the_assumptions_a_trigger_calls_into_question(strategy: Strategy) -> None:
    keys = [a.key for a in signalled_assumptions(strategy, "begrotingssaldo")]
    assert keys == ["bouwproductie", "rijkscompensatie"]
    keys = [a.key for a in signalled_assumptions(strategy, "begrotingssaldo", "tekort")]
    assert keys == ["rijkscompensatie"]
