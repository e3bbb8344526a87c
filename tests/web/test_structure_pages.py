"""Drivers, chain reactions and events (issue 7) at the workbench: pages, JSON twins, errors.

Runs on SQLite and PostgreSQL (the ``client`` fixture). The study is the Corona template;
the events study is the same file with a few events appended through the import.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from html import unescape

import pytest
from starlette.testclient import TestClient

from koers.io import study_yaml
from koers.model import Study

EVENTS_YAML = """
events:
  - key: golf
    name: {nl: Een nieuwe besmettingsgolf, en: A new wave of infections}
    probability: 0.4
  - key: lockdown
    name: {nl: Nieuwe lockdown, en: New lockdown}
    probability: 0.2
  - key: los
    name: {nl: Een losstaande gebeurtenis, en: An unconnected event}
    probability: 0.5
event_impacts:
  - {source: golf, target: lockdown, strength: 3}
  - {source: lockdown, target: golf, strength: -1}
"""


def _text(html: str) -> str:
    """The page's words without tags, whitespace folded."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def eventful(client: TestClient, study_id: int) -> int:
    """The template study with three events (one unconnected), imported as a study file."""
    exported = client.get(f"/api/studies/{study_id}/export")
    assert exported.status_code == 200
    response = client.post(
        "/api/studies/import",
        content=exported.text + EVENTS_YAML,
        headers={"content-type": "application/yaml"},
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


# --- structure ---------------------------------------------------------------------------


def _row_sums(study: Study) -> dict[str, int]:
    """Direct influence computed here: per source descriptor, the sum over its sections of
    the largest absolute judgement in the section (docs/methods.md, "MICMAC")."""
    sums = {d.key: 0 for d in study.descriptors}
    for section in study.judgements:
        values = [abs(v) for row in section.impacts.values() for v in row.values()]
        sums[section.source] += max(values, default=0)
    return sums


def test_structure_api_gives_hand_checked_direct_influence(
    client: TestClient, study_id: int
) -> None:
    analysis = client.get(f"/api/studies/{study_id}/structure").json()["analysis"]
    exported = client.get(f"/api/studies/{study_id}/export").text
    expected = _row_sums(study_yaml.loads(exported))
    assert {f["key"]: f["direct_influence"] for f in analysis["factors"]} == expected
    for factor in analysis["factors"]:
        for key in ("indirect_influence", "indirect_dependence", "class", "hidden_driver"):
            assert key in factor
    assert analysis["power"] >= 1
    ranks = [f["indirect_influence_rank"] for f in analysis["factors"]]
    assert ranks == sorted(ranks)  # most influential first
    assert len(analysis["axes"]) == 2
    assert set(analysis["leading_indicators"]) == set(analysis["classes"]["influential"])


def test_structure_page_in_both_languages(
    client: TestClient, study_id: int, english: Callable[[], None]
) -> None:
    analysis = client.get(f"/api/studies/{study_id}/structure").json()["analysis"]
    dutch = client.get(f"/studies/{study_id}/structure")
    assert dutch.status_code == 200
    text = _text(dutch.text)
    assert "Drijvende krachten: structuuranalyse" in text
    assert 'role="img"' in dutch.text and 'class="factor"' in dutch.text
    assert dutch.text.count("<tr>") >= 12 + 2  # a row per factor under two header rows
    for key in analysis["axes"]:
        assert analysis["names"][key]["nl"] in text
    english()
    text = _text(client.get(f"/studies/{study_id}/structure").text)
    assert "Drivers: structural analysis" in text
    assert "Places for leading indicators" in text
    for key in analysis["leading_indicators"]:
        assert analysis["names"][key]["en"] in text


def test_overview_suggests_axes_and_links_to_the_drivers(client: TestClient, study_id: int) -> None:
    analysis = client.get(f"/api/studies/{study_id}/structure").json()["analysis"]
    page = client.get(f"/studies/{study_id}")
    assert page.status_code == 200
    hint = page.text[page.text.index('class="drivers-hint"') :]
    hint = hint[: hint.index("</section>")]
    assert f'href="/studies/{study_id}/structure"' in hint
    for key in analysis["axes"] + analysis["leading_indicators"]:
        assert analysis["names"][key]["nl"] in unescape(hint)
    nav = page.text[page.text.index('class="study-nav"') :]
    for address in ("structure", "chains", "events"):
        assert f'href="/studies/{study_id}/{address}"' in nav


# --- chains ------------------------------------------------------------------------------

SHOCK = "base=best&shock-verandering=minder&rule=adiabatic&hold=fixed&run=1"


def test_chain_form_and_a_chain_with_a_shock(
    client: TestClient, study_id: int, english: Callable[[], None]
) -> None:
    form = client.get(f"/studies/{study_id}/chains")
    assert form.status_code == 200
    assert form.text.count("data-shock") == 12  # one shock choice per descriptor
    page = client.get(f"/studies/{study_id}/chains?{SHOCK}")
    assert page.status_code == 200
    text = _text(page.text)
    assert "slaat om van" in text and "De keten eindigt" in text
    assert 'aria-labelledby="chain-timeline-title' in page.text
    assert 'aria-labelledby="chain-network-title' in page.text
    found = client.get(f"/api/studies/{study_id}/chains?{SHOCK}").json()["chain"]
    assert found["shock"] == {"verandering": "minder"}
    assert found["start"]["verandering"] == "minder"
    assert found["steps"], "this shock sets a chain going"
    before = found["start"]
    for step in found["steps"]:  # each step changes exactly its flips, from before to after
        changed = {k for k in before if before[k] != step["scenario"][k]}
        assert changed == {flip["descriptor"] for flip in step["flips"]}
        for flip in step["flips"]:
            assert (before[flip["descriptor"]], step["scenario"][flip["descriptor"]]) == (
                flip["before"],
                flip["after"],
            )
        before = step["scenario"]
    assert found["ends"][0]["variants"] == before
    assert found["label"] == "neutral"  # every scenario of the template has preference 0
    english()
    text = _text(client.get(f"/studies/{study_id}/chains?{SHOCK}").text)
    assert "flips from" in text and "The chain ends in" in text


def test_chain_api_post_equals_the_query_twin(client: TestClient, study_id: int) -> None:
    body = {"start": {}, "shock": {"verandering": "minder"}, "rule": "adiabatic", "hold": "fixed"}
    posted = client.post(f"/api/studies/{study_id}/chains", json=body)
    assert posted.status_code == 200, posted.text
    queried = client.get(f"/api/studies/{study_id}/chains?{SHOCK}").json()["chain"]
    assert posted.json() == queried


def test_bad_chain_input_says_everything_at_once(client: TestClient, study_id: int) -> None:
    response = client.get(f"/api/studies/{study_id}/chains?shock-nope=x&rule=sideways&run=1")
    assert response.status_code == 422
    messages = [p["message"] for p in response.json()["error"]["problems"]]
    assert any("'sideways' is not a rule" in m for m in messages)
    assert any("'nope' is not a descriptor of the study" in m for m in messages)
    page = client.get(f"/studies/{study_id}/chains?shock-verandering=veel")
    assert page.status_code == 422
    assert "'veel' is not a variant of 'verandering'" in unescape(page.text)
    posted = client.post(f"/api/studies/{study_id}/chains", json={"rule": "sideways"})
    assert posted.status_code == 422
    assert client.get("/studies/987654/chains").status_code == 404


# --- events ------------------------------------------------------------------------------


def test_events_page_without_events_explains_how_to_add_them(
    client: TestClient, study_id: int
) -> None:
    page = client.get(f"/studies/{study_id}/events")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Deze studie heeft nog geen gebeurtenissen" in text
    assert "event_impacts:" in text
    refused = client.get(f"/api/studies/{study_id}/events?runs=0&seed=-1")
    assert refused.status_code == 422
    messages = " ".join(p["message"] for p in refused.json()["error"]["problems"])
    assert "runs is 0" in messages and "seed is -1" in messages
    assert "the study lists no events" in messages


def test_events_simulation_in_both_languages(
    client: TestClient, eventful: int, english: Callable[[], None]
) -> None:
    page = client.get(f"/studies/{eventful}/events")
    assert page.status_code == 200
    assert "Een nieuwe besmettingsgolf" in page.text
    table = page.text[page.text.index('class="judgements event-matrix"') :]
    assert ">+3</td>" in table and ">-1</td>" in table
    runs = 20_000
    address = f"/api/studies/{eventful}/events?runs={runs}&seed=3"
    first = client.get(address).json()["result"]
    assert client.get(address).json()["result"] == first  # the seed reproduces the runs
    outcome = {e["key"]: e for e in first["events"]}
    # The unconnected event keeps its initial probability 0.5 within the statistical
    # tolerance: 4 standard errors, 4 * sqrt(0.5 * 0.5 / 20000) = 0.0141.
    assert abs(outcome["los"]["probability"] - 0.5) < 4 * math.sqrt(0.25 / runs)
    assert outcome["los"]["low"] < outcome["los"]["probability"] < outcome["los"]["high"]
    # golf made to occur raises lockdown (0.2) by +3 when golf is decided first (half the
    # runs): 0.2 + (3/3) * 0.2 * 0.8 = 0.36, so P = (0.36 + 0.2) / 2 = 0.28 against 0.2 when
    # golf is made not to occur: an effect of 0.08 (20 000 runs a side: 4 SE < 0.02).
    assert abs(first["effects"]["golf"]["lockdown"] - 0.08) < 0.02
    dutch = client.get(f"/studies/{eventful}/events?runs={runs}&seed=3")
    assert "20.000 runs met seed 3" in _text(dutch.text)
    assert 'aria-labelledby="event-bars-title' in dutch.text
    english()
    text = _text(client.get(f"/studies/{eventful}/events?runs={runs}&seed=3").text)
    assert "20,000 runs with seed 3" in text and "Most frequent combinations" in text
    too_many = client.get(f"/studies/{eventful}/events?runs=5000000&seed=1")
    assert too_many.status_code == 422
    assert "choose a whole number from 1 to 1000000" in unescape(too_many.text)
