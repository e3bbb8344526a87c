"""The signposts of the Corona template, its demo dataset and its example import file.

The position tests recompute, independently of ``koers.methods.signals``, the documented
assessment (docs/templates/corona-lokale-besturen.md, "How the demo moves"): evidence weight
ln(likelihood ratio) (weak 1.5, moderate 2, strong 3); per indicator and variant the holding
weights are summed and capped at ln 3; an axis position is x = tanh((S_v1 - S_v0) / 2). At month
m an indicator is read at its latest own period ending on or before the end of m (a missing
period gives no reading); a change or trend condition uses the indicator's own periods and
holds only when every value it needs is there. They check the shape of the data against that
method, not the engine.
"""

from __future__ import annotations

import csv
import itertools
import math
import statistics
from collections import defaultdict
from importlib import resources
from pathlib import Path

import pytest

from koers.io import study_yaml
from koers.model import Study
from koers.model.periods import Period
from koers.model.signals import LIKELIHOOD_RATIOS, Condition, Indicator
from koers.services.studies import DEMO_MUNICIPALITY, DEMO_ORGANISATION

FOLDER = Path(str(resources.files("koers.templates")))
TEMPLATE = FOLDER / "corona-lokale-besturen.yaml"
DATASET = FOLDER / "corona-lokale-besturen.observations.csv"
EXAMPLE = FOLDER / "corona-lokale-besturen.example-import.csv"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "templates" / "corona-lokale-besturen.md"
CAP = math.log(3)

Series = dict[str, dict[Period, float]]


@pytest.fixture(scope="module")
def study() -> Study:
    """The demo study: the template with the demo municipality, as demo_study() makes it."""
    text = TEMPLATE.read_text(encoding="utf-8")
    text = text.replace(
        "organisation: Voorbeeldgemeente\n",
        f"organisation: {DEMO_ORGANISATION}\nmunicipality: {DEMO_MUNICIPALITY}\n",
        1,
    )
    return study_yaml.loads(text, TEMPLATE.name)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=","))


def _series(study: Study, rows: list[dict[str, str]]) -> Series:
    found: Series = defaultdict(dict)
    for row in rows:
        indicator = study.indicator(row["indicator"])
        period = Period.parse(row["period"], indicator.frequency)
        found[indicator.key][period] = float(row["value"])
    return dict(found)


@pytest.fixture(scope="module")
def series(study: Study) -> Series:
    return _series(study, _rows(DATASET))


MONTHS = [
    Period.parse(f"{year}-{month:02d}", "month")
    for year in range(2020, 2024)
    for month in range(1, 13)
]


# -- the method, written out ---------------------------------------------------------------


def _read_at(values: dict[Period, float], indicator: Indicator, month: Period) -> Period | None:
    """The indicator's latest own period that ends by the end of ``month``, if it has a value.

    A missing period gives no reading: nothing is carried forward.
    """
    period = Period.containing(month.end(), indicator.frequency)
    if period.end() > month.end():
        period = period + -1
    return period if period in values else None


def _reading(values: dict[Period, float], period: Period, condition: Condition) -> float | None:
    if condition.measure == "level":
        return values[period]
    needed = [period + offset for offset in range(-condition.periods, 1)]
    if any(p not in values for p in needed):
        return None
    if condition.measure == "change":
        earlier, now = values[needed[0]], values[period]
        if not condition.relative:
            return now - earlier
        return None if earlier == 0 else 100 * (now - earlier) / earlier
    # least-squares slope of the last periods + 1 values against 0, 1, ..., periods
    ys = [values[p] for p in needed]
    xs = list(range(len(ys)))
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )


def _holds(values: dict[Period, float], period: Period, condition: Condition) -> bool:
    reading = _reading(values, period, condition)
    if reading is None:
        return False
    low = -math.inf if condition.at_least is None else condition.at_least
    high = math.inf if condition.at_most is None else condition.at_most
    return low <= reading <= high


def _scores(study: Study, series: Series, month: Period) -> dict[tuple[str, str], float]:
    """Per (descriptor, variant): the capped evidence of every indicator, summed."""
    scores: dict[tuple[str, str], float] = defaultdict(float)
    for indicator in study.indicators:
        values = series.get(indicator.key, {})
        period = _read_at(values, indicator, month)
        if period is None:
            continue
        own: dict[tuple[str, str], float] = defaultdict(float)
        for evidence in indicator.evidence:
            if _holds(values, period, evidence.when):
                own[evidence.descriptor, evidence.variant] += math.log(
                    LIKELIHOOD_RATIOS[evidence.strength]
                )
        for target, weight in own.items():
            scores[target] += min(weight, CAP)
    return scores


def _position(study: Study, series: Series, month: Period) -> tuple[float, float]:
    scores = _scores(study, series, month)
    position = []
    for axis in study.axes():
        first, second = (variant.key for variant in axis.variants)
        position.append(math.tanh((scores[axis.key, second] - scores[axis.key, first]) / 2))
    return position[0], position[1]


QUADRANTS = {
    (-1, -1): "overbruggen",
    (1, -1): "overleven",
    (-1, 1): "aanpassen",
    (1, 1): "transformeren",
}


def _quadrant(x: float, y: float) -> str | None:
    if abs(x) < 1e-9 or abs(y) < 1e-9:
        return None  # on an axis: no quadrant
    return QUADRANTS[int(math.copysign(1, x)), int(math.copysign(1, y))]


def _fired(study: Study, series: Series) -> set[tuple[str, str, str, str]]:
    """(indicator, trigger, level, period) of every trigger that holds in an observed period."""
    fired = set()
    for indicator in study.indicators:
        values = series.get(indicator.key, {})
        for period in values:
            for trigger in indicator.triggers:
                if _holds(values, period, trigger.when):
                    fired.add((indicator.key, trigger.key, trigger.level, str(period)))
    return fired


# -- the indicators ------------------------------------------------------------------------


def test_twelve_to_twenty_indicators_each_with_its_source(study: Study) -> None:
    assert 12 <= len(study.indicators) <= 20
    for indicator in study.indicators:
        assert indicator.synthetic, f"{indicator.key}: the shipped data are made up"
        assert indicator.evidence, indicator.key
        source = indicator.source
        if source.kind == "cbs":
            assert source.note is not None, indicator.key
        else:
            assert source.publisher, f"{indicator.key} names no publisher"


def test_evidence_covers_both_axes_and_the_factors(study: Study) -> None:
    covered = {(e.descriptor, e.variant) for i in study.indicators for e in i.evidence}
    for axis in study.axes():
        for variant in axis.variants:
            assert (axis.key, variant.key) in covered
    descriptors = {descriptor for descriptor, _ in covered}
    assert {"financien", "economie", "cohesie", "vertrouwen", "digitaal", "geweld"} <= descriptors
    assert "medewerkers" in descriptors


def test_every_trigger_says_what_to_do_and_whom_to_tell(study: Study) -> None:
    triggers = [t for i in study.indicators for t in i.triggers]
    assert {t.level for t in triggers} == {"green", "amber", "red"}
    for trigger in triggers:
        assert trigger.response is not None and trigger.inform
        assert trigger.response.has("nl") and trigger.response.has("en")


def test_cbs_tables_are_documented_with_their_licence(study: Study) -> None:
    docs = DOCS.read_text(encoding="utf-8")
    assert "CC BY 4.0" in docs
    for indicator in study.indicators:
        if indicator.source.kind == "cbs":
            assert indicator.source.table in docs, indicator.source.table
            assert indicator.source.measure in docs, indicator.source.measure


# -- the demo dataset ----------------------------------------------------------------------


def test_dataset_columns_and_rows_are_well_formed(study: Study) -> None:
    with DATASET.open(encoding="utf-8", newline="") as handle:
        header = handle.readline().strip()
    assert header == "indicator,region,period,value"
    rows = _rows(DATASET)
    seen = set()
    for row in rows:
        indicator = study.indicator(row["indicator"])
        assert row["region"] == study.region_of(indicator), row
        period = Period.parse(row["period"], indicator.frequency)
        assert str(period) == row["period"], row  # in the series' own form
        float(row["value"])  # '.' decimals, no thousands separator
        assert "," not in row["value"]
        key = (row["indicator"], row["region"], row["period"])
        assert key not in seen, f"duplicate {key}"
        seen.add(key)
    assert {row["indicator"] for row in rows} == {i.key for i in study.indicators}


def test_monthly_series_span_2020_to_2023_with_a_few_gaps(study: Study, series: Series) -> None:
    gaps = []
    for indicator in study.indicators:
        periods = sorted(series[indicator.key])
        assert str(periods[-1]).startswith("2023"), indicator.key
        if indicator.frequency != "month":
            continue
        expected = range(periods[0].ordinal, periods[-1].ordinal + 1)
        gaps += [
            (indicator.key, str(Period("month", o)))
            for o in expected
            if Period("month", o) not in series[indicator.key]
        ]
    assert 3 <= len(gaps) <= 6, gaps
    assert ("ziekteverzuim", "2020-08") in gaps


def test_dataset_has_one_clear_outlier(series: Series) -> None:
    """One Veilig Thuis month is counted twice: about double the series' median, and alone."""
    values = series["veilig-thuis-meldingen"]
    median = statistics.median(values.values())
    high = [str(p) for p, v in values.items() if v > 1.2 * median]
    assert high == ["2021-02"]
    assert values[Period.parse("2021-02", "month")] > 2 * median


def test_values_are_plausible_for_utrecht(series: Series) -> None:
    population = series["inwoners"]
    assert all(350_000 < v < 375_000 for v in population.values())
    # bijstand below the state pension age: about 3% of the population
    assert all(0.02 < v / 360_000 < 0.04 for v in series["bijstand"].values())


# -- the position moves --------------------------------------------------------------------


def test_a_month_computed_by_hand(study: Study, series: Series) -> None:
    # April 2020. duur: maanden-maatregelen = 2 (korter, moderate: ln 2); ziekenhuisopnamen =
    # 140 >= 60 (langer, weak: ln 1.5); WW change over 12 months not yet known.
    # x = tanh((ln 1.5 - ln 2) / 2) = (0.75 - 1) / (0.75 + 1) = -1/7, since tanh(ln(a) / 2) =
    # (a - 1) / (a + 1).
    # verandering: blijvende-gewoonten 2020-Q1 = 30 (<= 35 moderate and <= 42 weak: ln 2 +
    # ln 1.5 = ln 3, the cap); digitale-aanvragen = 71 (neither <= 60 nor >= 72).
    # y = tanh(-ln 3 / 2) = (1/3 - 1) / (1/3 + 1) = -1/2.
    x, y = _position(study, series, Period.parse("2020-04", "month"))
    assert x == pytest.approx(-1 / 7)
    assert y == pytest.approx(-1 / 2)


@pytest.mark.parametrize(
    ("month", "quadrant"),
    [
        ("2020-04", "overbruggen"),
        ("2020-06", "overbruggen"),
        ("2020-11", "overleven"),
        ("2021-06", "overleven"),
        ("2021-12", "overleven"),
        ("2022-01", "transformeren"),
        ("2022-09", "transformeren"),
        ("2023-06", "aanpassen"),
    ],
)
def test_the_story_of_the_demo(study: Study, series: Series, month: str, quadrant: str) -> None:
    assert _quadrant(*_position(study, series, Period.parse(month, "month"))) == quadrant


def test_the_quadrant_changes_at_least_twice(study: Study, series: Series) -> None:
    path = [_quadrant(*_position(study, series, month)) for month in MONTHS]
    placed = [quadrant for quadrant in path if quadrant is not None]
    changes = sum(1 for a, b in itertools.pairwise(placed) if a != b)
    assert changes >= 2, path
    assert len(placed) >= 44  # nearly every month has a position off the axes


def test_amber_and_red_triggers_fire_at_plausible_moments(study: Study, series: Series) -> None:
    fired = _fired(study, series)
    assert ("ziekenhuisopnamen-covid", "piek", "red", "2020-04") in fired
    assert ("ww-uitkeringen", "schok", "red", "2020-04") in fired
    assert ("begrotingssaldo", "groot-tekort", "red", "2020-Q2") in fired
    assert ("vertrouwen-gemeente", "dalend", "amber", "2021-Q4") in fired
    assert ("ziekteverzuim", "verhoogd", "amber", "2022-01") in fired
    assert ("veilig-thuis-meldingen", "zeer-hoog", "red", "2021-02") in fired  # the outlier
    assert not any(level == "red" and period.startswith("2023") for *_, level, period in fired)


# -- the example import --------------------------------------------------------------------


def test_example_import_makes_a_red_trigger_fire_in_2024_01(study: Study, series: Series) -> None:
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        assert handle.readline().strip() == "indicator,region,period,value"
    rows = _rows(EXAMPLE)
    assert 3 <= len(rows) <= 10
    for row in rows:
        indicator = study.indicator(row["indicator"])
        assert indicator.frequency == "month"
        assert row["period"] == "2024-01"
        assert row["region"] == study.region_of(indicator)
    before = _fired(study, series)
    assert not any(period == "2024-01" for *_, period in before)
    combined = _series(study, _rows(DATASET) + rows)
    red = {
        (key, trigger)
        for key, trigger, level, period in _fired(study, combined)
        if level == "red" and period == "2024-01"
    }
    assert ("ziekteverzuim", "kritiek") in red
