"""The strategy pages: the review with its heat map, imports, judging, decisions, assumptions,
pathways and the register of gains and ideas, in both languages and as JSON."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from starlette.testclient import TestClient

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows: list[list[Any]], title: str = "Beleid") -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def review(client: TestClient, study_id: int) -> dict[str, Any]:
    response = client.get(f"/api/studies/{study_id}/strategy")
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def policy(data: dict[str, Any], key: str) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in data["policies"] if p["key"] == key)
    return found


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# --- the review -------------------------------------------------------------------------------


def test_the_worked_example_is_reviewed_as_computed_by_hand(
    client: TestClient, study_id: int
) -> None:
    data = review(client, study_id)
    assert 8 <= len(data["policies"]) <= 12
    assert [s["key"] for s in data["scenarios"]] == [
        "overbruggen",
        "overleven",
        "aanpassen",
        "transformeren",
    ]
    assert data["source"] == "equal" and data["threshold"] == 1.0
    # The template's scores of schuldhulpverlening (adviseur, controller): overbruggen 2, 1;
    # overleven 2, 2; aanpassen 2, 2; transformeren 2, 1: means 1.5, 2, 2, 1.5.
    debt = policy(data, "schuldhulpverlening")
    assert [c["value"] for c in debt["cells"]] == [1.5, 2.0, 2.0, 1.5]
    assert debt["cells"][0]["scores"] == {"adviseur": 2, "controller": 1}
    assert (debt["cells"][0]["low"], debt["cells"][0]["high"]) == (1, 2)
    assert debt["worst"] == 1.5 and debt["satisficing"] == 1.0
    assert debt["recommended"] == "keep"
    # lokale-economie: (2+1)/2 = 1.5, (1+1)/2 = 1, (1+0)/2 = 0.5, (0-1)/2 = -0.5. Worst -0.5 in
    # transformeren; fit (>= 1) in 2 of 4; expected (1.5 + 1 + 0.5 - 0.5) / 4 = 0.625.
    economy = policy(data, "lokale-economie")
    assert economy["worst"] == -0.5 and economy["worst_in"] == ["transformeren"]
    assert economy["satisficing"] == 0.5
    assert economy["expected"] == pytest.approx(0.625)
    assert economy["recommended"] == "adapt"
    kinds = [r["kind"] for r in economy["reasons"]]
    assert "fails-in" in kinds
    fails = next(r for r in economy["reasons"] if r["kind"] == "fails-in")
    assert fails["scenarios"] == ["aanpassen", "transformeren"]


def test_the_review_page_in_dutch_and_english(
    client: TestClient, study_id: int, english: Callable[[], None]
) -> None:
    response = client.get(f"/studies/{study_id}/strategy")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="nl">' in html
    assert 'role="img"' in html and 'aria-labelledby="heat-map-title heat-map-desc"' in html
    words = text_of(html)
    assert "Beleid per scenario" in words
    assert "Onder de drempel in: Aanpassen, Transformeren." in words
    assert f'href="/studies/{study_id}/strategy"' in html  # the study's navigation links here
    assert f'action="/studies/{study_id}/strategy/import"' in html
    english()
    words = text_of(client.get(f"/studies/{study_id}/strategy").text)
    assert "Strategy review" in words and "Policies by scenario" in words
    assert "Below the threshold in: Adapting, Transforming." in words


# --- imports ----------------------------------------------------------------------------------


def test_a_policy_list_from_excel_is_added(client: TestClient, study_id: int) -> None:
    before = len(review(client, study_id)["policies"])
    content = workbook(
        [
            ["Naam", "Programma", "Budget"],
            ["Buurtteams", "Sociaal domein", 250000],
            ["Groen", "Ruimte", 8],
        ]
    )
    response = client.post(
        f"/studies/{study_id}/strategy/import", files={"file": ("beleid.xlsx", content, XLSX)}
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith("?added=2&updated=0&unchanged=0#import")
    data = review(client, study_id)
    assert len(data["policies"]) == before + 2
    added = policy(data, "buurtteams")
    assert added["programme"] == "Sociaal domein" and added["recommended"] is None
    page = text_of(client.get(response.headers["location"]).text)
    assert "Geïmporteerd: 2 toegevoegd, 0 bijgewerkt, 0 ongewijzigd." in page


def test_a_bad_import_lists_row_and_column_and_changes_nothing(
    client: TestClient, study_id: int
) -> None:
    before = review(client, study_id)
    content = workbook([["Naam", "Budget"], ["Iets", "veel"], ["", 3]])
    response = client.post(
        f"/studies/{study_id}/strategy/import", files={"file": ("slecht.xlsx", content, XLSX)}
    )
    assert response.status_code == 422
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", response.text)
    assert rows == [("slecht.xlsx", "2", "2"), ("slecht.xlsx", "3", "1")]
    assert "Er is niets geïmporteerd uit slecht.xlsx" in text_of(response.text)
    answer = client.post(
        f"/api/studies/{study_id}/strategy/registers?name=slecht.xlsx",
        content=content,
        headers={"content-type": XLSX},
    )
    assert answer.status_code == 422
    problems = answer.json()["error"]["problems"]
    assert [(p["line"], p["column"]) for p in problems] == [(2, 2), (3, 1)]
    assert "'veel' is not a number" in problems[0]["message"]
    wrong_kind = client.post(
        f"/studies/{study_id}/strategy/import",
        files={"file": ("notes.txt", b"hello", "text/plain")},
    )
    assert wrong_kind.status_code == 422
    assert review(client, study_id) == before


def test_the_export_imports_back_unchanged(client: TestClient, study_id: int) -> None:
    response = client.get(f"/studies/{study_id}/strategy/registers.xlsx")
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    sheets = load_workbook(io.BytesIO(response.content)).sheetnames
    assert len(sheets) == 4
    again = client.post(
        f"/api/studies/{study_id}/strategy/registers",
        content=response.content,
        headers={"content-type": XLSX},
    )
    assert again.status_code == 200, again.text
    assert again.json()["changed"] is False


# --- judging and deciding ---------------------------------------------------------------------


def _judge(client: TestClient, study_id: int, name: str, score: str) -> None:
    form = {"participant": name, "score:buurtteams:overbruggen": score}
    form["reason:buurtteams:overbruggen"] = f"{name} weet het"
    response = client.post(f"/studies/{study_id}/strategy/judge", data=form)
    assert response.status_code == 303, response.text
    assert "saved=1" in response.headers["location"]


def test_two_participants_judge_and_both_are_kept(client: TestClient, study_id: int) -> None:
    client.post(
        f"/studies/{study_id}/strategy/import",
        files={"file": ("beleid.xlsx", workbook([["Naam"], ["Buurtteams"]]), XLSX)},
    )
    form = client.get(f"/studies/{study_id}/strategy/judge").text
    assert 'name="score:buurtteams:overbruggen"' in form and "schadelijk" in form
    _judge(client, study_id, "Anna", "2")
    _judge(client, study_id, "Bram", "0")
    cell = policy(review(client, study_id), "buurtteams")["cells"][0]
    # The mean of 2 and 0 is 1; the range 0 to 2.
    assert cell["scores"] == {"Anna": 2, "Bram": 0}
    assert (cell["value"], cell["low"], cell["high"]) == (1.0, 0, 2)
    mine = client.get(f"/api/studies/{study_id}/strategy/judge?participant=Anna").json()
    assert mine["given"]["buurtteams"]["overbruggen"]["score"] == 2
    assert mine["participants"][:2] == ["adviseur", "Anna"]
    # Anna changes her mind through the API: only her score moves.
    answer = client.put(
        f"/api/studies/{study_id}/strategy/scores",
        json={
            "participant": "Anna",
            "scores": [{"policy": "buurtteams", "scenario": "overbruggen", "score": -2}],
        },
    )
    assert answer.status_code == 200, answer.text
    cell = policy(review(client, study_id), "buurtteams")["cells"][0]
    assert cell["scores"] == {"Anna": -2, "Bram": 0}


def test_bad_scores_are_refused_and_change_nothing(client: TestClient, study_id: int) -> None:
    before = review(client, study_id)
    bad = {"participant": "Anna", "score:schuldhulpverlening:overbruggen": "3"}
    response = client.post(f"/studies/{study_id}/strategy/judge", data=bad)
    assert response.status_code == 422
    nameless = {"participant": " ", "score:schuldhulpverlening:overbruggen": "1"}
    assert client.post(f"/studies/{study_id}/strategy/judge", data=nameless).status_code == 422
    unknown = client.put(
        f"/api/studies/{study_id}/strategy/scores",
        json={
            "participant": "Anna",
            "scores": [{"policy": "nope", "scenario": "overbruggen", "score": 1}],
        },
    )
    assert unknown.status_code == 422
    assert "there is no policy 'nope'" in unknown.json()["error"]["problems"][0]["message"]
    assert review(client, study_id) == before


def test_a_decision_shows_beside_the_recommendation(client: TestClient, study_id: int) -> None:
    data = review(client, study_id)
    assert policy(data, "lokale-economie")["recommended"] == "adapt"
    response = client.post(
        f"/studies/{study_id}/strategy/decisions",
        data={
            "policy": "lokale-economie",
            "verdict": "keep",
            "reason": "De ondernemers hebben het loket nu nodig.",
            "decided_by": "college",
            "version": str(data["version"]),
        },
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith("#policy-lokale-economie")
    after = policy(review(client, study_id), "lokale-economie")
    assert after["recommended"] == "adapt" and after["verdict"] == "keep"
    assert after["overruled"] is True
    assert after["decision"]["reason"]["nl"] == "De ondernemers hebben het loket nu nodig."
    html = client.get(f"/studies/{study_id}/strategy").text
    block = html[html.index('id="policy-lokale-economie"') :]
    block = text_of(block[: block.index("</details>")])
    assert "Aanbeveling: bijstellen" in block and "Besluit: behouden" in block
    assert "De ondernemers hebben het loket nu nodig." in block
    assert "wijkt af van de aanbeveling" in block
    stale = client.post(
        f"/studies/{study_id}/strategy/decisions",
        data={
            "policy": "lokale-economie",
            "verdict": "let-go",
            "reason": "Te laat gezien.",
            "decided_by": "college",
            "version": str(data["version"]),
        },
    )
    assert stale.status_code == 409
    api = client.post(
        f"/api/studies/{study_id}/strategy/decisions",
        json={"policy": "nope", "verdict": "keep", "reason": "x", "decided_by": "college"},
    )
    assert api.status_code == 422


# --- assumptions, pathways, initiatives -------------------------------------------------------


def test_assumptions_show_their_signposts(client: TestClient, study_id: int) -> None:
    data = client.get(f"/api/studies/{study_id}/strategy/assumptions").json()
    with_assumptions = [p for p in data["policies"] if p["assumptions"]]
    assert with_assumptions
    signposted = [a for p in with_assumptions for a in p["assumptions"] if a["signpost"]]
    assert signposted and all(a["signpost"]["name"]["nl"] for a in signposted)
    html = client.get(f"/studies/{study_id}/strategy/assumptions").text
    assert "Sturende acties" in html and "Indekkende acties" in html


def test_the_pathway_map_and_its_tipping_points(client: TestClient, study_id: int) -> None:
    data = client.get(f"/api/studies/{study_id}/strategy/pathways").json()
    pathway = data["pathways"][0]
    assert pathway["key"] == "schuldhulp-opschalen" and pathway["start"] == "regulier"
    assert [t["tipping_point"] for t in pathway["transitions"]] == [350, 400, 400, None]
    html = client.get(f"/studies/{study_id}/strategy/pathways").text
    assert 'id="pathway-schuldhulp-opschalen-title"' in html  # the map, titled
    assert "Kantelpunten" in html


def test_initiatives_filter_and_status(client: TestClient, study_id: int) -> None:
    everything = client.get(f"/api/studies/{study_id}/strategy/initiatives").json()
    assert len(everything["initiatives"]) >= 2
    embedded = client.get(f"/api/studies/{study_id}/strategy/initiatives?embedded=2026").json()
    keys = [i["key"] for i in embedded["initiatives"]]
    assert "casusoverleg-keten" in keys  # embedded on 2026-02-01
    assert all(i["status"] == "embedded" for i in embedded["initiatives"])
    idea = next(i for i in everything["initiatives"] if i["status"] != "embedded")
    response = client.post(
        f"/studies/{study_id}/strategy/initiatives/{idea['key']}",
        data={"status": "stopped", "reason": "Geen trekker gevonden."},
    )
    assert response.status_code == 303
    after = client.get(f"/api/studies/{study_id}/strategy/initiatives").json()
    changed = next(i for i in after["initiatives"] if i["key"] == idea["key"])
    assert changed["status"] == "stopped" and changed["reason"]["nl"] == "Geen trekker gevonden."
    missing = client.put(
        f"/api/studies/{study_id}/strategy/initiatives/nope", json={"status": "pilot"}
    )
    assert missing.status_code == 404
    page = client.get(f"/studies/{study_id}/strategy/initiatives?embedded=2026")
    assert page.status_code == 200 and 'aria-current="page"' in page.text
