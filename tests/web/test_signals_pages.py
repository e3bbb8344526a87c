"""The signals dashboard: its page in both languages, its JSON twin, imports and alerts.

Most tests give the workbench a hand-made :class:`SignalStatus` (so the page is checked
against values written here); the last ones run the real assessment of the template.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from html import unescape
from typing import Any

import pytest
from starlette.testclient import TestClient

from koers.errors import Problem, ValidationError
from koers.model import Text
from koers.services.signal_views import (
    AlertView,
    Contribution,
    ImportSummary,
    IndicatorStatus,
    Move,
    Nearest,
    ScenarioLikelihood,
    SignalStatus,
    Step,
    Threshold,
    TrajectoryPoint,
)
from koers.services.workbench import Workbench

WW = Text(nl="WW-uitkeringen", en="Unemployment benefits")

ALERT = AlertView(
    indicator="ww-uitkeringen",
    indicator_name=WW,
    trigger="schok",
    period="2021-12",
    level="red",
    value=1734.5,
    status="new",
    response=Text(nl="Crisisoverleg met de wethouder.", en="Crisis meeting with the alderman."),
    inform="wethouder sociaal domein",
    changed=None,
    note=None,
)

ACKNOWLEDGED = AlertView(
    indicator="faillissementen",
    indicator_name=Text(nl="Faillissementen", en="Bankruptcies"),
    trigger="stijgend",
    period="2021-11",
    level="amber",
    value=31.0,
    status="acknowledged",
    response=None,
    inform=None,
    changed=dt.datetime(2021, 12, 3, 12, 0, tzinfo=dt.UTC),
    note="besproken in het MT",
)

STATUS = SignalStatus(
    month="2021-12",
    position=(0.62, -0.35),
    band=((0.4, 0.8), (-0.6, -0.1)),
    coverage=(0.75, 0.5),
    scenarios=(
        ScenarioLikelihood("overleven", Text(nl="Overleven", en="Survive"), 0.52),
        ScenarioLikelihood("overbruggen", Text(nl="Overbruggen", en="Bridge"), 0.3),
        ScenarioLikelihood("transformeren", Text(nl="Transformeren", en="Transform"), 0.1),
        ScenarioLikelihood("aanpassen", Text(nl="Aanpassen", en="Adapt"), 0.08),
    ),
    trajectory=(
        TrajectoryPoint("2021-10", -0.2, 0.1, "overbruggen"),
        TrajectoryPoint("2021-11", 0.3, -0.2, "overleven"),
        TrajectoryPoint("2021-12", 0.62, -0.35, "overleven"),
    ),
    explanation=(
        Contribution(
            "ww-uitkeringen", WW, "duur", "langer", "change", 21.5, "2021-12", 0.69, "2021-11"
        ),
    ),
    moves=(Move("ww-uitkeringen", WW, "duur", "langer", 0.0, 0.69, 0.32, 0.0),),
    indicators=(
        IndicatorStatus(
            key="ww-uitkeringen",
            name=WW,
            unit="personen",
            frequency="month",
            source="upload: UWV",
            region="GM0355",
            synthetic=True,
            periods=("2021-09", "2021-10", "2021-11", "2021-12"),
            values=(1200.0, None, 1430.0, 1734.5),
            thresholds=(
                Threshold("schok", "red", "change", 20.0, None),
                Threshold("piek", "red", "level", 1600.0, None),
            ),
            level="red",
            latest=("2021-12", 1734.5),
            missing=("2021-10",),
            outliers=("2021-12",),
            revised=(("2021-09", 1180.0, 1200.0),),
        ),
    ),
    alerts=(ALERT, ACKNOWLEDGED),
    nearest=Nearest(
        variants={"duur": "langer", "verandering": "minder"},
        differs=(("verandering", "meer", "minder"),),
        established={"duur": "langer"},
        remaining=3,
    ),
    follow=(Step(1, "verandering", "meer", "minder"), Step(2, "financien", "gezond", "krap")),
)

EMPTY = SignalStatus(None, None, None, None, (), (), (), (), (), (), None, ())


@dataclass
class FakeSignals:
    """Stands in for the workbench's signal methods and records what the routes ask."""

    status: SignalStatus = STATUS
    imports: list[tuple[int, bytes, str, bool]] = field(default_factory=list)
    changes: list[tuple[Any, ...]] = field(default_factory=list)

    def signal_status(self, study_id: int) -> SignalStatus:
        return self.status

    def import_observations(
        self, study_id: int, content: bytes, filename: str, *, skip_bad: bool = False
    ) -> ImportSummary:
        self.imports.append((study_id, content, filename, skip_bad))
        if content.startswith(b"bad"):
            raise ValidationError(
                [
                    Problem("'maart' is not a period", path=filename, line=3, column=3),
                    Problem("unknown indicator 'x'", path=filename, line=4, column=1),
                ]
            )
        if content.startswith(b"skip"):
            skipped = (Problem("'veel' is not a number", path=filename, line=2, column=4),)
            return ImportSummary(3, 0, 0, 1, None, skipped)
        return ImportSummary(added=5, updated=1, unchanged=2, skipped=0)

    def set_alert_status(
        self,
        study_id: int,
        indicator: str,
        trigger: str,
        period: str,
        status: str,
        note: str | None = None,
    ) -> None:
        self.changes.append((study_id, indicator, trigger, period, status, note))

    def example_observations(self) -> tuple[str, bytes]:
        return "voorbeeld-waarnemingen.csv", b"indicator,region,period,value\n"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSignals]:
    signals = FakeSignals()
    for name in ("signal_status", "import_observations", "set_alert_status"):
        method = getattr(signals, name)
        monkeypatch.setattr(
            Workbench, name, lambda self, *a, _m=method, **k: _m(*a, **k), raising=False
        )
    monkeypatch.setattr(
        Workbench,
        "example_observations",
        lambda self: signals.example_observations(),
        raising=False,
    )
    yield signals


def _text(html: str) -> str:
    """The page's text without tags and with single spaces, to look for sentences."""
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_dutch_page_says_where_the_study_stands(
    client: TestClient, study_id: int, fake: FakeSignals
) -> None:
    response = client.get(f"/studies/{study_id}/signals")
    assert response.status_code == 200
    text = _text(response.text)
    assert "In december 2021 wijzen de signalen het meest naar Overleven (52%)." in text
    # 0.62 and -0.35 with a decimal comma; the band's bounds too.
    assert "De positie is 0,62 op Duur van de crisis" in text
    assert "Zonder één van de wegwijzers ligt ze tussen 0,4 en 0,8, en tussen -0,6 en -0,1." in text
    assert "75%" in text and "50%" in text
    # Numbers of the series in Dutch: a point for thousands, a comma for decimals.
    assert "2021-09: 1.180 → 1.200" in text
    assert "1.734,5" in text
    assert "synthetische gegevens" in text
    assert "Ontbrekende perioden 2021-10" in text
    assert "Uitschieters 2021-12" in text
    assert "Crisisoverleg met de wethouder." in text
    assert "wethouder sociaal domein" in text
    assert "Nieuw (1)" in text and "Bevestigd (1)" in text
    assert "3 december 2021" in text and "besproken in het MT" in text
    assert response.text.count("<svg") == 3  # the map, the bars, one indicator chart
    assert 'aria-current="page">Signalen</a>' in response.text


def test_the_english_page(
    client: TestClient, study_id: int, fake: FakeSignals, english: Callable[[], None]
) -> None:
    english()
    text = _text(client.get(f"/studies/{study_id}/signals").text)
    assert "In December 2021 the signals point most to Survive (52%)." in text
    assert "The position is 0.62 on" in text
    assert "2021-09: 1,180 → 1,200" in text
    assert "Acknowledge" in text


def test_the_json_twin_holds_the_same_data(
    client: TestClient, study_id: int, fake: FakeSignals
) -> None:
    page = client.get(f"/api/studies/{study_id}/signals").json()
    assert page["assessment"] == {
        "month": "2021-12",
        "position": {"x": 0.62, "y": -0.35},
        "band": {"x": [0.4, 0.8], "y": [-0.6, -0.1]},
        "coverage": [0.75, 0.5],
        "scenario": {
            "key": "overleven",
            "name": {"nl": "Overleven", "en": "Survive"},
            "likelihood": 0.52,
        },
    }
    # The template: overleven is duur=langer (the second pole, +1 across) and
    # verandering=minder (the first pole, -1 up).
    signs = {q["key"]: (q["x"], q["y"]) for q in page["quadrants"]}
    assert signs == {
        "overbruggen": (-1, -1),
        "overleven": (1, -1),
        "aanpassen": (-1, 1),
        "transformeren": (1, 1),
    }
    assert [a["key"] for a in page["axes"]] == ["duur", "verandering"]
    alert = page["alerts"][0]
    assert alert["actions"]["api"] == (
        f"/api/studies/{study_id}/alerts/ww-uitkeringen/schok/2021-12"
    )
    assert page["nearest"]["differs"][0]["observed"]["key"] == "meer"
    assert page["follow"][0]["after"]["name"]["nl"]
    assert page["indicators"][0]["values"] == [1200.0, None, 1430.0, 1734.5]


def test_a_tie_is_told_as_a_tie(
    client: TestClient, study_id: int, fake: FakeSignals, english: Callable[[], None]
) -> None:
    # 0.434 and 0.426 both show as 43%: "most to" the first would claim more than it shows.
    first, second, *rest = STATUS.scenarios
    tied = (replace(first, likelihood=0.434), replace(second, likelihood=0.426), *rest)
    fake.status = replace(STATUS, scenarios=tied)
    english()
    text = _text(client.get(f"/studies/{study_id}/signals").text)
    assert "the signals point equally to Survive and Bridge (43% each)." in text


def test_a_page_without_observations(client: TestClient, study_id: int, fake: FakeSignals) -> None:
    (signpost,) = STATUS.indicators
    unread = replace(
        signpost,
        region="",
        periods=(),
        values=(),
        level=None,
        latest=None,
        missing=(),
        outliers=(),
        revised=(),
    )
    fake.status = replace(EMPTY, indicators=(unread,))
    response = client.get(f"/studies/{study_id}/signals")
    assert response.status_code == 200
    assert "Er is nog geen beoordeling" in response.text
    assert "<svg" not in response.text
    # Without an assessment nothing moved and nothing follows: those sections stay away.
    assert "Wat er kan volgen" not in response.text and "sinds vorige maand" not in response.text
    text = _text(response.text)
    assert "Nog geen waarnemingen." in text
    assert "Bron: upload: UWV · personen" in text  # no empty region between the dots


def test_acknowledging_an_alert_by_the_form(
    client: TestClient, study_id: int, fake: FakeSignals
) -> None:
    action = f"/studies/{study_id}/alerts/ww-uitkeringen/schok/2021-12"
    response = client.post(action, data={"status": "acknowledged", "note": " gebeld "})
    assert response.status_code == 303
    assert response.headers["location"].endswith("#alert-ww-uitkeringen-schok-2021-12")
    assert fake.changes == [
        (study_id, "ww-uitkeringen", "schok", "2021-12", "acknowledged", "gebeld")
    ]


def test_a_form_from_another_site_is_refused(
    client: TestClient, study_id: int, fake: FakeSignals
) -> None:
    action = f"/studies/{study_id}/alerts/ww-uitkeringen/schok/2021-12"
    response = client.post(
        action, data={"status": "closed"}, headers={"origin": "https://elders.example"}
    )
    assert response.status_code == 403
    assert fake.changes == []


def test_changing_an_alert_by_the_api(client: TestClient, study_id: int, fake: FakeSignals) -> None:
    url = f"/api/studies/{study_id}/alerts/ww-uitkeringen/schok/2021-12"
    response = client.put(url, json={"status": "closed", "note": "opgelost"})
    assert response.status_code == 200
    assert response.json()["trigger"] == "schok"
    assert fake.changes[-1][-2:] == ("closed", "opgelost")
    wrong = client.put(url, json={"status": "forgotten"})
    assert wrong.status_code == 422
    assert set(wrong.json()["error"]) >= {"status", "message", "problems"}
    bad_period = client.put(url.replace("2021-12", "december"), json={"status": "closed"})
    assert bad_period.status_code == 404


def test_an_import_by_the_form_shows_its_summary(
    client: TestClient, study_id: int, fake: FakeSignals
) -> None:
    response = client.post(
        f"/studies/{study_id}/signals/import",
        files={"file": ("waarnemingen.csv", b"indicator,region,period,value\n", "text/csv")},
        data={"skip_bad": "1"},
    )
    assert response.status_code == 303
    assert fake.imports == [
        (study_id, b"indicator,region,period,value\n", "waarnemingen.csv", True)
    ]
    page = client.get(response.headers["location"])
    assert "5 toegevoegd, 1 bijgewerkt, 2 ongewijzigd, 0 overgeslagen" in _text(page.text)


def test_a_bad_file_lists_every_problem_with_row_and_column(
    client: TestClient, study_id: int, fake: FakeSignals
) -> None:
    response = client.post(
        f"/studies/{study_id}/signals/import",
        files={"file": ("fout.csv", b"bad file", "text/csv")},
    )
    assert response.status_code == 422
    rows = re.findall(
        r"<tr>\s*<td>(\d+)</td>\s*<td>(\d+)</td>\s*<td lang=\"en\">([^<]+)</td>", response.text
    )
    assert rows == [
        ("3", "3", "&#39;maart&#39; is not a period"),
        ("4", "1", "unknown indicator &#39;x&#39;"),
    ]
    assert "Er is niets geïmporteerd uit fout.csv" in _text(response.text)


def test_skipped_rows_are_listed_after_the_import(
    client: TestClient, study_id: int, fake: FakeSignals
) -> None:
    response = client.post(
        f"/studies/{study_id}/signals/import",
        files={"file": ("deels.csv", b"skip one row", "text/csv")},
        data={"skip_bad": "1"},
    )
    assert response.status_code == 200
    text = _text(response.text)
    assert "Geïmporteerd: 3 toegevoegd, 0 bijgewerkt, 0 ongewijzigd, 1 overgeslagen." in text
    assert "2 4 'veel' is not a number" in text


def test_importing_by_the_api(client: TestClient, study_id: int, fake: FakeSignals) -> None:
    url = f"/api/studies/{study_id}/observations?skip_bad=true&name=uwv.csv"
    response = client.post(url, content=b"indicator\n", headers={"content-type": "text/csv"})
    assert response.status_code == 200
    assert response.json() == {
        "added": 5,
        "updated": 1,
        "unchanged": 2,
        "skipped": 0,
        "report": None,
        "problems": [],
    }
    assert fake.imports[-1] == (study_id, b"indicator\n", "uwv.csv", True)
    bad = client.post(url, content=b"bad", headers={"content-type": "text/csv"})
    assert bad.status_code == 422
    assert bad.json()["error"]["problems"][0] == {
        "message": "'maart' is not a period",
        "path": "uwv.csv",
        "line": 3,
        "column": 3,
    }
    wrong = client.post(url, content=b"{}", headers={"content-type": "application/json"})
    assert wrong.status_code == 415


def test_the_example_file_downloads(client: TestClient, study_id: int, fake: FakeSignals) -> None:
    for url in (
        f"/studies/{study_id}/signals/example",
        f"/api/studies/{study_id}/observations/example",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert 'filename="voorbeeld-waarnemingen.csv"' in response.headers["content-disposition"]


def test_an_unknown_study_has_no_signals(client: TestClient, fake: FakeSignals) -> None:
    assert client.get("/studies/987654/signals").status_code == 404
    assert client.get("/api/studies/987654/signals").json()["error"]["status"] == 404


def test_every_page_of_a_study_links_to_the_signals(client: TestClient, study_id: int) -> None:
    page = client.get(f"/studies/{study_id}")
    assert f'href="/studies/{study_id}/signals"' in page.text


def test_the_api_description_names_the_signal_routes(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/studies/{study_id}/signals" in paths
    assert "/api/studies/{study_id}/observations" in paths
    alerts = paths["/api/studies/{study_id}/alerts/{indicator}/{trigger}/{period}"]
    assert {"put", "post"} <= set(alerts)


def test_a_language_switch_on_the_problems_page_lands_on_the_dashboard(
    client: TestClient, study_id: int
) -> None:
    response = client.get(f"/studies/{study_id}/signals/import")
    assert response.status_code == 303
    assert response.headers["location"] == f"/studies/{study_id}/signals#import"


# --- the real assessment of the demo study ---------------------------------------------------


@pytest.fixture
def demo(client: TestClient) -> int:
    """The demo study with its shipped observations (the workbench's own, not a stand-in)."""
    workbench: Workbench = client.app.state.workbench  # type: ignore[attr-defined]
    return workbench.ensure_demo()


def _example(client: TestClient) -> tuple[str, bytes]:
    workbench: Workbench = client.app.state.workbench  # type: ignore[attr-defined]
    return workbench.example_observations()


def test_the_demo_study_has_a_dashboard(client: TestClient, demo: int) -> None:
    page = client.get(f"/api/studies/{demo}/signals").json()
    study = client.get(f"/api/studies/{demo}").json()
    assessment = page["assessment"]
    assert assessment["month"] is not None
    position = assessment["position"]
    assert -1 < position["x"] < 1 and -1 < position["y"] < 1
    assert page["trajectory"][-1]["month"] == assessment["month"]
    assert len(page["quadrants"]) == len(study["framing"]["rows"]) * 2 == 4
    assert abs(sum(s["likelihood"] for s in page["scenarios"]) - 1) < 1e-9
    html = client.get(f"/studies/{demo}/signals")
    assert html.status_code == 200
    # One chart per signpost, the map and the bars.
    assert html.text.count("<svg") == len(page["indicators"]) + 2


def test_importing_the_example_fires_a_red_alert_that_can_be_acknowledged(
    client: TestClient, demo: int
) -> None:
    name, content = _example(client)
    before = client.get(f"/api/studies/{demo}/signals").json()["alerts"]
    response = client.post(
        f"/studies/{demo}/signals/import", files={"file": (name, content, "text/csv")}
    )
    assert response.status_code == 303, response.text
    rows = len(content.decode("utf-8").strip().splitlines()) - 1  # less the header
    assert f"added={rows}&updated=0&unchanged=0&skipped=0" in response.headers["location"]

    after = client.get(f"/api/studies/{demo}/signals").json()["alerts"]
    seen = {(a["indicator"], a["trigger"], a["period"]) for a in before}
    fired = [
        a
        for a in after
        if (a["indicator"], a["trigger"], a["period"]) not in seen and a["level"] == "red"
    ]
    assert fired, "the example file fires no red trigger"
    alert = fired[0]
    assert alert["status"] == "new" and alert["response"]
    page = _text(client.get(f"/studies/{demo}/signals").text)
    assert alert["response"]["nl"] in page

    acknowledged = client.post(alert["actions"]["form"], data={"status": "acknowledged"})
    assert acknowledged.status_code == 303
    now = client.get(f"/api/studies/{demo}/signals").json()["alerts"]
    (changed,) = [a for a in now if a["actions"] == alert["actions"]]
    assert changed["status"] == "acknowledged" and changed["changed"]
    closed = client.put(alert["actions"]["api"], json={"status": "closed", "note": "klaar"})
    assert closed.json()["status"] == "closed" and closed.json()["note"] == "klaar"

    again = client.post(
        f"/api/studies/{demo}/observations?name={name}",
        content=content,
        headers={"content-type": "text/csv"},
    )
    assert again.json()["unchanged"] == rows  # the same file twice changes nothing


def test_a_real_bad_file_is_refused_with_located_problems(client: TestClient, demo: int) -> None:
    bad = b"indicator,region,period,value\nbestaat-niet,GM0344,2024-01,1\n"
    before = client.get(f"/api/studies/{demo}/signals").json()
    response = client.post(
        f"/studies/{demo}/signals/import", files={"file": ("fout.csv", bad, "text/csv")}
    )
    assert response.status_code == 422
    assert re.search(r"<td>2</td>\s*<td>\d+</td>", response.text), "row 2 is named"
    api = client.post(
        f"/api/studies/{demo}/observations", content=bad, headers={"content-type": "text/csv"}
    )
    assert api.status_code == 422
    assert api.json()["error"]["problems"][0]["line"] == 2
    assert client.get(f"/api/studies/{demo}/signals").json() == before  # nothing written


def test_a_file_of_another_kind_is_refused_with_a_message(client: TestClient, demo: int) -> None:
    response = client.post(
        f"/studies/{demo}/signals/import",
        files={"file": ("study.yaml", b"title: x", "application/yaml")},
    )
    assert response.status_code == 422
    assert "study.yaml" in _text(response.text)


def test_an_alert_that_did_not_fire_cannot_be_acknowledged(client: TestClient, demo: int) -> None:
    url = f"/api/studies/{demo}/alerts/ziekteverzuim/bestaat-niet/2024-01"
    response = client.put(url, json={"status": "acknowledged"})
    assert response.status_code == 404
    assert response.json()["error"]["message"]
