"""The indicators-and-observations workbook: one sheet each, texts never formulas, and the
observations back in unchanged through koers.io.observations.read_observations."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from koers.errors import ValidationError
from koers.io.observations import read_observations
from koers.io.signal_export import current_observations, write_signal_workbook
from koers.model import Study, Text
from koers.model.signals import Observation
from koers.services.studies import DEMO_MUNICIPALITY, demo_observations, new_study

WHEN = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def study() -> Study:
    return new_study("corona-lokale-besturen", municipality=DEMO_MUNICIPALITY)


def _demo_records() -> list[Observation]:
    # Read with the csv module, not with Koers: the file as published is the expectation.
    with demo_observations().open(encoding="utf-8") as stream:
        return [
            Observation(
                indicator=row["indicator"],
                region=row["region"],
                period=row["period"],
                value=float(row["value"]),
                recorded=WHEN,
            )
            for row in csv.DictReader(stream)
        ]


def test_the_observations_go_back_in_unchanged(study: Study, tmp_path: Path) -> None:
    records = _demo_records()
    path = tmp_path / "signalen.xlsx"
    assert write_signal_workbook(path, study, records) == len(records) == 584
    back = read_observations(path, study)
    assert not back.skipped
    assert [(r.indicator, r.region, r.period, r.value) for r in back.rows] == [
        (r.indicator, r.region, r.period, r.value) for r in records
    ]


def test_one_sheet_each_in_the_readers_language(study: Study, tmp_path: Path) -> None:
    path = tmp_path / "signals.xlsx"
    write_signal_workbook(path, study, _demo_records()[:3], language="en")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["indicators", "observations"]
    indicators = list(workbook["indicators"].iter_rows(values_only=True))
    assert indicators[0][:3] == ("key", "name", "unit")
    assert len(indicators) == 1 + len(study.indicators)
    assert indicators[1][:2] == ("maanden-maatregelen", "Months with Corona measures")
    observations = list(workbook["observations"].iter_rows(values_only=True))
    assert observations == [
        ("indicator", "region", "period", "value"),
        ("maanden-maatregelen", "GM0344", "2020-01", 0),
        ("maanden-maatregelen", "GM0344", "2020-02", 0),
        ("maanden-maatregelen", "GM0344", "2020-03", 1),
    ]


def test_a_corrected_value_replaces_the_old_one() -> None:
    old = Observation(indicator="a", region="GM0344", period="2021-01", value=1.0, recorded=WHEN)
    other = old.model_copy(update={"period": "2021-02", "value": 5.0})
    new = old.model_copy(update={"value": 2.0, "recorded": WHEN + dt.timedelta(days=1)})
    assert current_observations([old, other, new]) == [new, other]


def test_a_text_that_looks_like_a_formula_stays_text(study: Study, tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://example.org","klik")'
    indicator = study.indicators[0].model_copy(update={"name": Text(nl=formula, en=formula)})
    changed = study.model_copy(update={"indicators": (indicator, *study.indicators[1:])})
    path = tmp_path / "signalen.xlsx"
    write_signal_workbook(path, changed, [])
    cell = openpyxl.load_workbook(path)["indicatoren"]["B2"]
    assert cell.value == formula
    assert cell.data_type == "s"


def test_only_a_workbook_is_written(study: Study, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="xlsx"):
        write_signal_workbook(tmp_path / "signalen.csv", study, [])
    assert not (tmp_path / "signalen.csv").exists()
