"""Signals end to end through the service: import, re-import, status, alerts, CBS.

The expected figures come from the template's demo dataset and its documentation
(docs/templates/corona-lokale-besturen.md): 584 rows; 2023 lies in 'aanpassen'; the example
import of 2024-01 makes sick leave (8.4 %) fire the red trigger 'kritiek'.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from importlib import resources
from pathlib import Path

import httpx
import pytest

from koers.connectors.cbs import replay_transport
from koers.errors import NotFoundError, ValidationError
from koers.io.signal_ledger import ledger_path, load_ledger
from koers.model import Study
from koers.services import signal_views, signals, targets
from koers.services.studies import DEMO_MUNICIPALITY, create_study, new_study
from koers.store.repository import Repository

FOLDER = Path(str(resources.files("koers.templates")))
DATASET = FOLDER / "corona-lokale-besturen.observations.csv"
EXAMPLE = FOLDER / "corona-lokale-besturen.example-import.csv"
DATA = Path(__file__).parents[1] / "data"
NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2024, 2, 15)


@pytest.fixture(scope="module")
def demo() -> Study:
    return new_study("corona-lokale-besturen", municipality=DEMO_MUNICIPALITY)


@pytest.fixture
def target(tmp_path: Path, demo: Study) -> targets.FileTarget:
    path = tmp_path / "demo.yaml"
    create_study(demo, path)
    return targets.FileTarget(path, demo)


def test_an_import_is_all_added_and_a_reimport_changes_nothing(
    target: targets.FileTarget,
) -> None:
    first = signals.import_file(target, DATASET, now=NOW)
    assert (first.added, first.updated, first.unchanged, first.skipped) == (584, 0, 0, 0)
    before = target.ledger.read_bytes()
    again = signals.import_file(target, DATASET, now=NOW + dt.timedelta(days=1))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 584)
    assert target.ledger.read_bytes() == before


def test_a_corrected_value_is_an_update_that_keeps_the_old_one(
    target: targets.FileTarget, tmp_path: Path
) -> None:
    signals.import_file(target, DATASET, now=NOW)
    corrected = tmp_path / "correctie.csv"
    corrected.write_text("indicator,region,period,value\nziekteverzuim,GM0344,2023-12,7.25\n")
    summary = signals.import_file(target, corrected, now=NOW + dt.timedelta(hours=1))
    assert (summary.added, summary.updated, summary.unchanged) == (0, 1, 0)
    history = [
        o.value
        for o in load_ledger(target.ledger).observations
        if (o.indicator, o.period) == ("ziekteverzuim", "2023-12")
    ]
    assert len(history) == 2 and history[-1] == 7.25
    status = signals.signal_status(target, today=TODAY)
    sick = next(i for i in status.indicators if i.key == "ziekteverzuim")
    assert sick.revised == (("2023-12", history[0], 7.25),)


def test_a_bad_file_changes_nothing_and_names_row_and_column(
    target: targets.FileTarget, tmp_path: Path
) -> None:
    bad = tmp_path / "fout.csv"
    bad.write_text(
        "indicator,region,period,value\n"
        "ziekteverzuim,GM0344,2024-01,6.1\n"
        "ziekteverzuimm,GM0344,2024-02,6.2\n"
        "ziekteverzuim,GM0344,2024-13,6.3\n"
    )
    with pytest.raises(ValidationError) as caught:
        signals.import_file(target, bad, now=NOW)
    lines = sorted(problem.line for problem in caught.value.problems)
    assert lines == [3, 4]
    assert "did you mean 'ziekteverzuim'" in str(caught.value)
    assert not ledger_path(target.path).exists()


def test_skip_bad_imports_the_rest_and_writes_a_report(
    target: targets.FileTarget, tmp_path: Path
) -> None:
    bad = tmp_path / "half.csv"
    bad.write_text(
        "indicator,region,period,value\n"
        "ziekteverzuim,GM0344,2024-01,6.1\n"
        "ziekteverzuim,GM0344,2024-13,6.3\n"
    )
    report = tmp_path / "overgeslagen.csv"
    summary = signals.import_file(target, bad, skip_bad=True, report=report, now=NOW)
    assert (summary.added, summary.skipped, summary.report) == (1, 1, str(report))
    assert "2024-13" in report.read_text(encoding="utf-8-sig")


def test_status_points_to_aanpassen_in_2023_and_the_example_fires_red(
    target: targets.FileTarget,
) -> None:
    signals.import_file(target, DATASET, now=NOW)
    status = signals.signal_status(target, today=TODAY)
    assert status.month == "2023-12"
    assert status.scenarios[0].key == "aanpassen"
    assert sum(s.likelihood for s in status.scenarios) == pytest.approx(1.0)
    assert {p.scenario for p in status.trajectory} >= {"overbruggen", "overleven", "aanpassen"}
    assert status.explanation and status.nearest is not None
    json.dumps(signal_views.status_document(status))  # every value is JSON data

    signals.import_file(target, EXAMPLE, now=NOW + dt.timedelta(days=1))
    status = signals.signal_status(target, today=TODAY)
    red = [a for a in status.alerts if (a.indicator, a.trigger) == ("ziekteverzuim", "kritiek")]
    assert [(a.period, a.level, a.status) for a in red] == [("2024-01", "red", "new")]
    assert red[0].response is not None and red[0].value == 8.4
    assert status.alerts[0].period == "2024-01"  # newest first

    signals.set_alert_status(
        target, "ziekteverzuim", "kritiek", "2024-01-31", "acknowledged", "MT ingelicht", now=NOW
    )
    status = signals.signal_status(target, today=TODAY)
    red = [a for a in status.alerts if (a.indicator, a.trigger) == ("ziekteverzuim", "kritiek")]
    assert (red[0].status, red[0].note) == ("acknowledged", "MT ingelicht")


def test_alert_status_refuses_what_did_not_fire(target: targets.FileTarget) -> None:
    signals.import_file(target, DATASET, now=NOW)
    with pytest.raises(NotFoundError, match="no trigger 'rood'"):
        signals.set_alert_status(target, "ziekteverzuim", "rood", "2024-01", "closed")
    with pytest.raises(NotFoundError, match="did not fire in 2023-05"):
        signals.set_alert_status(target, "ziekteverzuim", "kritiek", "2023-05", "closed")
    with pytest.raises(ValidationError, match="2023-13"):
        signals.set_alert_status(target, "ziekteverzuim", "kritiek", "2023-13", "closed")


def test_a_study_without_municipality_is_told_to_name_one(tmp_path: Path) -> None:
    study = new_study("corona-lokale-besturen")
    path = tmp_path / "s.yaml"
    create_study(study, path)
    with pytest.raises(ValidationError, match="names no municipality"):
        signals.import_file(targets.FileTarget(path, study), DATASET)


def test_an_upload_is_named_by_its_own_name(target: targets.FileTarget) -> None:
    with pytest.raises(ValidationError) as caught:
        signals.import_upload(
            target,
            b"indicator,region,period,value\nx,GM0344,2024-01,1\n",
            "C:\\Users\\an\\waarden.csv",
        )
    assert {problem.path for problem in caught.value.problems} == {"waarden.csv"}
    with pytest.raises(ValidationError, match="neither a CSV nor an Excel"):
        signals.import_upload(target, b"MZ", "virus.exe")


def test_the_database_keeps_signals_like_the_file(database_url: str, demo: Study) -> None:
    with Repository.open(database_url) as repository:
        study_id = repository.add_study(demo)
        target = targets.DatabaseTarget(repository, study_id, demo)
        assert signals.import_file(target, DATASET, now=NOW).added == 584
        assert signals.import_file(target, DATASET, now=NOW).unchanged == 584
        signals.import_file(target, EXAMPLE, now=NOW)
        signals.set_alert_status(target, "ziekteverzuim", "kritiek", "2024-01", "closed", now=NOW)
        status = signals.signal_status(target, today=TODAY)
    alert = next(a for a in status.alerts if a.trigger == "kritiek")
    assert (alert.period, alert.status) == ("2024-01", "closed")


def test_cbs_indicators_are_fetched_from_statline(tmp_path: Path, demo: Study) -> None:
    study = Study.model_validate(
        {
            **demo.model_dump(exclude={"indicators", "strategy"}),
            "indicators": [
                {
                    "key": "inwoners",
                    "name": {"nl": "Inwoners", "en": "Inhabitants"},
                    "unit": "personen",
                    "frequency": "month",
                    "source": {
                        "kind": "cbs",
                        "table": "37230ned",
                        "measure": "BevolkingAanHetBeginVanDePeriode_1",
                        "additive": True,
                    },
                }
            ],
        }
    )
    path = tmp_path / "s.yaml"
    create_study(study, path)
    target = targets.FileTarget(path, study)
    cassettes = tmp_path / "cbs"
    shutil.copytree(DATA / "cbs", cassettes)
    with httpx.Client(transport=replay_transport(cassettes)) as client:
        summary = signals.fetch_cbs(target, client=client, now=NOW)
    # The recording for Utrecht alone (37230ned-06) holds January to March 2021.
    assert (summary.added, summary.updated, summary.unchanged) == (3, 0, 0)
    values = [(o.period, o.value) for o in load_ledger(target.ledger).observations]
    assert values == [("2021-01", 361924.0), ("2021-02", 362170.0), ("2021-03", 362415.0)]


def test_an_alert_names_the_next_action_of_the_pathway_it_tips(
    target: targets.FileTarget,
) -> None:
    signals.import_file(target, DATASET, now=NOW)
    status = signals.signal_status(target, today=TODAY)
    busy = [
        a
        for a in status.alerts
        if (a.indicator, a.trigger) == ("schuldhulp-aanmeldingen", "drukte")
    ]
    assert busy, "the demo data make the debt-counselling trigger 'drukte' fire"
    # The template's pathway: when 'drukte' fires, 'regulier' gives way to 'maatjes'.
    study = target.study
    assert study.strategy is not None
    pathway = study.strategy.pathways[0]
    names = {action.key: action.name for action in pathway.actions}
    assert busy[0].next_actions == (
        signal_views.NextStep(pathway.name, names["regulier"], names["maatjes"]),
    )
