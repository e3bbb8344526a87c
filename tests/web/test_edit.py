"""Editing at the workbench: a form per field, saved with the object's version."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient


def scenario(client: TestClient, study_id: int, key: str = "overleven") -> dict[str, Any]:
    data: dict[str, Any] = client.get(f"/api/studies/{study_id}/scenarios/{key}").json()
    return data


def test_edit_a_scenario_field_with_the_form(client: TestClient, study_id: int) -> None:
    before = scenario(client, study_id)
    response = client.post(
        f"/studies/{study_id}/scenarios/overleven",
        data={
            "field": "leadership",
            "version": before["version"],
            "nl": "Volhouder en bruggenbouwer.",
            "en": "Stayer and bridge builder.",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/studies/{study_id}/scenarios/overleven#leadership"
    after = scenario(client, study_id)
    assert after["leadership"] == {
        "nl": "Volhouder en bruggenbouwer.",
        "en": "Stayer and bridge builder.",
    }
    assert after["version"] == before["version"] + 1
    assert (
        "Volhouder en bruggenbouwer." in client.get(f"/studies/{study_id}/scenarios/overleven").text
    )


def test_edit_a_list_field_pairs_the_lines(client: TestClient, study_id: int) -> None:
    version = scenario(client, study_id)["version"]
    client.post(
        f"/studies/{study_id}/scenarios/overleven",
        data={"field": "focus", "version": version, "nl": "Eén\nTwee\n", "en": "One\r\nTwo"},
    )
    assert scenario(client, study_id)["focus"] == [
        {"nl": "Eén", "en": "One"},
        {"nl": "Twee", "en": "Two"},
    ]


def test_edit_a_scenario_through_the_api(client: TestClient, study_id: int) -> None:
    version = scenario(client, study_id)["version"]
    response = client.patch(
        f"/api/studies/{study_id}/scenarios/overleven",
        json={"version": version, "changes": {"summary": {"nl": "Kort.", "en": "Short."}}},
    )
    assert response.status_code == 200
    assert response.json()["summary"] == {"nl": "Kort.", "en": "Short."}


def test_a_stale_version_gives_the_conflict_page_in_dutch(
    client: TestClient, study_id: int
) -> None:
    version = scenario(client, study_id)["version"]
    client.patch(
        f"/api/studies/{study_id}/scenarios/overleven",
        json={
            "version": version,
            "changes": {"leadership": {"nl": "Eerst opgeslagen.", "en": "First."}},
        },
    )
    response = client.post(
        f"/studies/{study_id}/scenarios/overleven",
        data={"field": "leadership", "version": version, "nl": "Mijn <b>tekst</b>.", "en": "Mine."},
    )
    assert response.status_code == 409
    html = response.text
    assert '<html lang="nl">' in html
    assert "Iemand anders heeft dit al gewijzigd" in html
    assert "Eerst opgeslagen." in html  # the stored value
    assert "Mijn &lt;b&gt;tekst&lt;/b&gt;." in html  # yours, escaped
    assert "Mijn version opslaan" not in html and "Mijn versie opslaan" in html
    # Choosing "save my version" posts again with the current version and wins.
    retry = client.post(
        f"/studies/{study_id}/scenarios/overleven",
        data={"field": "leadership", "version": version + 1, "nl": "Mijn tekst.", "en": "Mine."},
    )
    assert retry.status_code == 303
    assert scenario(client, study_id)["leadership"]["nl"] == "Mijn tekst."


def test_a_stale_version_in_the_api_is_a_409_with_both_values(
    client: TestClient, study_id: int
) -> None:
    version = scenario(client, study_id)["version"]
    body = {"version": version, "changes": {"summary": {"nl": "A", "en": "A"}}}
    assert (
        client.patch(f"/api/studies/{study_id}/scenarios/overleven", json=body).status_code == 200
    )
    body["changes"] = {"summary": {"nl": "B", "en": "B"}}
    response = client.patch(f"/api/studies/{study_id}/scenarios/overleven", json=body)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["status"] == 409
    assert "scenario 'overleven'" in error["message"]
    assert error["conflict"]["version"] == version + 1
    assert error["conflict"]["current"] == {"summary": {"nl": "A", "en": "A"}}
    assert error["conflict"]["attempted"] == {"summary": {"nl": "B", "en": "B"}}


def test_edit_a_descriptor_name(client: TestClient, study_id: int) -> None:
    descriptors = client.get(f"/api/studies/{study_id}/descriptors").json()["descriptors"]
    duur = next(d for d in descriptors if d["key"] == "duur")
    response = client.post(
        f"/studies/{study_id}/descriptors/duur",
        data={"field": "name", "version": duur["version"], "nl": "Duur", "en": "Length"},
    )
    assert response.status_code == 303
    assert "Duur" in client.get(f"/studies/{study_id}").text


def test_an_invalid_edit_is_explained_and_writes_nothing(client: TestClient, study_id: int) -> None:
    before = scenario(client, study_id)
    response = client.post(
        f"/studies/{study_id}/scenarios/overleven",
        data={"field": "name", "version": before["version"], "nl": "", "en": ""},
    )
    assert response.status_code == 422
    assert "Controleer uw invoer" in response.text
    assert scenario(client, study_id) == before
    wrong_field = client.patch(
        f"/api/studies/{study_id}/scenarios/overleven",
        json={"version": before["version"], "changes": {"key": "x"}},
    )
    assert wrong_field.status_code == 422


def section(client: TestClient, study_id: int, source: str, target: str) -> dict[str, Any]:
    page = client.get(f"/api/studies/{study_id}/matrix?source={source}").json()
    found: dict[str, Any] = next(s for s in page["sections"] if s["target"] == target)
    return found


def cells(data: dict[str, Any]) -> dict[str, dict[str, int]]:
    return {row["key"]: {c["target"]: c["value"] for c in row["cells"]} for row in data["rows"]}


def tableau(client: TestClient, study_id: int, query: str = "") -> list[list[str]]:
    data = client.get(f"/api/studies/{study_id}/tableau{query}").json()
    return [[v["key"] for v in s["variants"]] for s in data["scenarios"]]


def test_a_judgement_edit_changes_the_tableau(client: TestClient, study_id: int) -> None:
    before = tableau(client, study_id)
    assert before
    # Make 'less change' strongly promote a short crisis and hinder a long one.
    current = section(client, study_id, "verandering", "duur")
    response = client.post(
        f"/studies/{study_id}/matrix/verandering/duur",
        data={
            "version": "" if current["version"] is None else current["version"],
            "c:minder:korter": "+3",
            "c:minder:langer": "-3",
            "c:meer:korter": "-3",
            "c:meer:langer": "3",
            "reason_nl": "Wie weinig verandert, komt sneller uit de crisis.",
            "reason_en": "Who changes little leaves the crisis sooner.",
        },
    )
    assert response.status_code == 303, response.text
    assert cells(section(client, study_id, "verandering", "duur")) == {
        "minder": {"korter": 3, "langer": -3},
        "meer": {"korter": -3, "langer": 3},
    }
    after = tableau(client, study_id)
    assert after != before
    assert all((s[0], s[1]) in {("korter", "minder"), ("langer", "meer")} for s in after)


def test_judgements_through_the_api(client: TestClient, study_id: int) -> None:
    current = section(client, study_id, "duur", "financien")
    response = client.put(
        f"/api/studies/{study_id}/judgements/duur/financien",
        json={"version": current["version"], "cells": {"korter": {"krap": -1, "gezond": 0}}},
    )
    assert response.status_code == 200, response.text
    assert cells(response.json())["korter"] == {"gezond": 0, "krap": -1, "tekort": -1}
    assert response.json()["reason"] == current["reason"]  # kept when not given
    stale = client.put(
        f"/api/studies/{study_id}/judgements/duur/financien",
        json={"version": current["version"], "cells": {"korter": {"krap": 1}}},
    )
    assert stale.status_code == 409


@pytest.mark.parametrize("value", ["4", "x", "-4", "1.5", "++1"])
def test_an_invalid_judgement_is_refused_and_nothing_is_written(
    client: TestClient, study_id: int, value: str
) -> None:
    before = section(client, study_id, "duur", "financien")
    response = client.post(
        f"/studies/{study_id}/matrix/duur/financien",
        data={"version": before["version"], "c:korter:krap": "1", "c:korter:gezond": value},
    )
    assert response.status_code == 422
    assert "-3" in response.text and "+3" in response.text
    assert section(client, study_id, "duur", "financien") == before
    api = client.put(
        f"/api/studies/{study_id}/judgements/duur/financien",
        json={"version": before["version"], "cells": {"korter": {"gezond": value}}},
    )
    assert api.status_code == 422
    problems = api.json()["error"]["problems"]
    assert problems and "whole number from -3 to +3" in problems[0]["message"]
    assert section(client, study_id, "duur", "financien") == before


def test_a_strong_judgement_needs_a_reason(client: TestClient, study_id: int) -> None:
    before = section(client, study_id, "geweld", "regio")
    response = client.put(
        f"/api/studies/{study_id}/judgements/geweld/regio",
        json={"version": before["version"], "cells": {"stijgend": {"hechter": 3}}, "reason": None},
    )
    assert response.status_code == 422
    assert "reason" in response.text
    assert section(client, study_id, "geweld", "regio") == before


def test_a_stale_section_gives_the_conflict_page(client: TestClient, study_id: int) -> None:
    before = section(client, study_id, "duur", "financien")
    url = f"/studies/{study_id}/matrix/duur/financien"
    assert (
        client.post(url, data={"version": before["version"], "c:korter:krap": "1"}).status_code
        == 303
    )
    response = client.post(url, data={"version": before["version"], "c:korter:krap": "-2"})
    assert response.status_code == 409
    assert "Uw versie" in response.text and "Opgeslagen versie" in response.text


def notes(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        row["key"]: {c["target"]: c["note"] for c in row["cells"] if c["note"]}
        for row in data["rows"]
        if any(c["note"] for c in row["cells"])
    }


def test_the_matrix_page_has_a_labelled_note_field_per_judgement(
    client: TestClient, study_id: int
) -> None:
    page = client.get(f"/studies/{study_id}/matrix?source=duur").text
    # duur on financien: korter judges gezond and tekort, langer judges all three.
    for row, column in [("korter", "gezond"), ("korter", "tekort"), ("langer", "krap")]:
        for code in ("nl", "en"):
            field = f"n-financien-{row}-{column}-{code}"
            assert f'<label for="{field}">' in page
            assert f'id="{field}" name="note_{code}:{row}:{column}"' in page
    assert 'name="note_nl:korter:krap"' not in page  # a 0 without a note has no field
    assert "Onderbouwing voor korter → gezond (Nederlands)" in page
    client.post("/language", data={"lang": "en", "next": f"/studies/{study_id}/matrix"})
    english = client.get(f"/studies/{study_id}/matrix?source=duur").text
    assert "Reason for shorter → sound (English)" in english


def test_save_a_note_with_the_form(client: TestClient, study_id: int) -> None:
    before = section(client, study_id, "duur", "financien")
    url = f"/studies/{study_id}/matrix/duur/financien"
    response = client.post(
        url,
        data={
            "version": before["version"],
            "c:korter:krap": "",
            "note_nl:korter:krap": "Een korte crisis raakt de begroting niet.",
            "note_en:korter:krap": "",
            "note_nl:langer:gezond": "De reserves raken op.",
            "note_en:langer:gezond": "The reserves run out.",
        },
    )
    assert response.status_code == 303, response.text
    after = section(client, study_id, "duur", "financien")
    assert notes(after) == {
        "korter": {"krap": {"nl": "Een korte crisis raakt de begroting niet.", "en": None}},
        "langer": {"gezond": {"nl": "De reserves raken op.", "en": "The reserves run out."}},
    }
    assert after["reason"] == before["reason"]
    assert after["version"] == before["version"] + 1
    # The page now shows the note of the 0 too; empty fields remove it.
    page = client.get(f"/studies/{study_id}/matrix?source=duur").text
    assert 'name="note_nl:korter:krap"' in page
    assert "Een korte crisis raakt de begroting niet." in page
    response = client.post(
        url,
        data={
            "version": after["version"],
            "note_nl:korter:krap": "",
            "note_en:korter:krap": "",
        },
    )
    assert response.status_code == 303, response.text
    assert notes(section(client, study_id, "duur", "financien")) == {
        "langer": {"gezond": {"nl": "De reserves raken op.", "en": "The reserves run out."}}
    }


def test_notes_through_the_api(client: TestClient, study_id: int) -> None:
    before = section(client, study_id, "geweld", "regio")
    note = {"nl": "Onrust splijt buurten.", "en": "Unrest splits neighbourhoods."}
    url = f"/api/studies/{study_id}/judgements/geweld/regio"
    # A note on the strong judgement stands in for the section's reason.
    response = client.put(
        url,
        json={
            "version": before["version"],
            "cells": {"stijgend": {"hechter": -3}},
            "reason": None,
            "notes": {"stijgend": {"hechter": note}},
        },
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["reason"] is None
    assert notes(data) == {"stijgend": {"hechter": note}}
    assert section(client, study_id, "geweld", "regio") == data
    # Removing that note would leave the strong judgement unexplained: refused, nothing written.
    refused = client.put(
        url, json={"version": data["version"], "notes": {"stijgend": {"hechter": None}}}
    )
    assert refused.status_code == 422
    assert "no reason" in refused.text
    assert section(client, study_id, "geweld", "regio") == data
    unknown = client.put(url, json={"version": data["version"], "notes": {"stijgnd": {"x": note}}})
    assert unknown.status_code == 422
    assert section(client, study_id, "geweld", "regio") == data


def test_a_stale_note_gives_the_conflict_page_with_both_notes(
    client: TestClient, study_id: int
) -> None:
    before = section(client, study_id, "duur", "financien")
    url = f"/studies/{study_id}/matrix/duur/financien"
    first = {
        "version": before["version"],
        "note_nl:langer:gezond": "Eerst opgeslagen.",
        "note_en:langer:gezond": "",
    }
    assert client.post(url, data=first).status_code == 303
    mine = {
        "version": before["version"],
        "c:langer:gezond": "-3",
        "note_nl:langer:gezond": "Mijn onderbouwing.",
        "note_en:langer:gezond": "My reason.",
    }
    response = client.post(url, data=mine)
    assert response.status_code == 409
    page = response.text
    assert "Onderbouwing voor langer → gezond (Nederlands)" in page
    assert "Mijn onderbouwing." in page and "Eerst opgeslagen." in page
    assert "My reason." in page
    # Saving mine resubmits the notes with the current version.
    assert 'name="note_nl:langer:gezond" value="Mijn onderbouwing."' in page
    api = client.put(
        f"/api/studies/{study_id}/judgements/duur/financien",
        json={
            "version": before["version"],
            "notes": {"langer": {"gezond": {"nl": "Weer van mij.", "en": None}}},
        },
    )
    assert api.status_code == 409
    conflict = api.json()["error"]
    assert "Eerst opgeslagen." in str(conflict) and "Weer van mij." in str(conflict)


def test_interventions_fix_variants(client: TestClient, study_id: int) -> None:
    data = client.get(f"/api/studies/{study_id}/tableau?fix-duur=korter").json()
    assert data["fixed"] == {"duur": "korter"}
    assert data["baseline"] >= 1
    assert all(s["variants"][0]["key"] == "korter" for s in data["scenarios"])
    assert all(isinstance(s["kept"], bool) for s in data["scenarios"])
    html = client.get(f"/studies/{study_id}/tableau?fix-duur=korter").text
    assert '<option value="korter" selected>' in html
    wrong = client.get(f"/api/studies/{study_id}/tableau?fix-duur=nope")
    assert wrong.status_code == 422


def test_edit_the_study_title_and_meet_a_conflict(client: TestClient, study_id: int) -> None:
    version = client.get(f"/api/studies/{study_id}").json()["version"]
    form = {"field": "title", "version": version, "nl": "Zeist na corona", "en": "Zeist after"}
    assert client.post(f"/studies/{study_id}", data=form).status_code == 303
    assert client.get(f"/api/studies/{study_id}").json()["title"]["nl"] == "Zeist na corona"
    stale = client.post(f"/studies/{study_id}", data={**form, "nl": "Anders"})
    assert stale.status_code == 409
    assert "Zeist na corona" in stale.text and "Anders" in stale.text
    assert f'name="version" value="{version + 1}"' in stale.text


def test_a_tableau_of_very_many_scenarios_is_cut_and_says_so(
    client: TestClient, study_id: int
) -> None:
    text = client.get(f"/api/studies/{study_id}/export").text
    without = text[: text.index("\njudgements:")] + "\n"  # no judgements: all consistent
    headers = {"content-type": "application/yaml"}
    new_id = client.post("/api/studies/import", content=without, headers=headers).json()["id"]
    data = client.get(f"/api/studies/{new_id}/tableau").json()
    assert data["complete"] is False
    assert data["count"] == 200 < data["space"]
    html = client.get(f"/studies/{new_id}/tableau").text
    assert "de lijst stopt bij de eerste 200" in html
