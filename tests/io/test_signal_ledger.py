"""The signals ledger beside a study file: layout, round trip, broken files, speed."""

from __future__ import annotations

import datetime as dt
import gc
import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koers.errors import FormatError, KoersError, ValidationError
from koers.io.signal_ledger import Ledger, ledger_path, load_ledger, save_ledger
from koers.model.signals import Alert, Observation

APRIL = dt.datetime(2021, 4, 2, 9, 0, tzinfo=dt.UTC)
FIRST = Observation(
    indicator="bijstand",
    region="GM0344",
    period="2021-03",
    value=1234.5,
    recorded=APRIL,
    source="bijstand.csv",
)
SECOND = Observation(
    indicator="faillissementen",
    region="PV26",
    period="2021-Q1",
    value=17,
    recorded=dt.datetime(2021, 4, 9, 15, 30),  # naive: kept naive
    source="Kwartaalcijfers é.xlsx",
)
STATUS = Alert(
    indicator="bijstand",
    trigger="hoog",
    period="2021-03",
    level="red",
    status="acknowledged",
    changed=dt.datetime(2021, 4, 3, 10, 30, tzinfo=dt.UTC),
    note="besproken in het MT",
)
HEAD = (
    '{"format": 1, "kind": "koers-signals", '
    '"fields": ["indicator", "region", "period", "value", "recorded", "source"],\n'
)
# The layout of the module docstring, written out by hand.
GOLDEN = (
    HEAD + ' "observations": [\n'
    '["bijstand", "GM0344", "2021-03", 1234.5, "2021-04-02T09:00:00+00:00", "bijstand.csv"],\n'
    '["faillissementen", "PV26", "2021-Q1", 17.0, "2021-04-09T15:30:00", '
    '"Kwartaalcijfers é.xlsx"]\n'
    "],\n"
    ' "statuses": [\n'
    '{"indicator": "bijstand", "trigger": "hoog", "period": "2021-03", "level": "red", '
    '"status": "acknowledged", "changed": "2021-04-03T10:30:00Z", "note": "besproken in het MT"}\n'
    "]}\n"
)


def test_the_ledger_lives_beside_the_study() -> None:
    assert ledger_path(Path("/data/corona.yaml")) == Path("/data/corona.signals.json")
    assert ledger_path(Path("plan.v2.yml")) == Path("plan.v2.signals.json")


def test_a_missing_file_is_an_empty_ledger(tmp_path: Path) -> None:
    assert load_ledger(tmp_path / "none.signals.json") == Ledger((), ())


def test_the_file_layout(tmp_path: Path) -> None:
    path = tmp_path / "s.signals.json"
    save_ledger(path, Ledger((FIRST, SECOND), (STATUS,)))
    assert path.read_text(encoding="utf-8") == GOLDEN
    assert load_ledger(path) == Ledger((FIRST, SECOND), (STATUS,))


def test_an_empty_ledger_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "s.signals.json"
    save_ledger(path, Ledger())
    json.loads(path.read_text(encoding="utf-8"))  # valid JSON with empty lists
    assert load_ledger(path) == Ledger()


def test_saving_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "s.signals.json"
    save_ledger(path, Ledger((FIRST,)))
    save_ledger(path, Ledger((FIRST, SECOND)))
    assert load_ledger(path).observations == (FIRST, SECOND)
    assert [p.name for p in tmp_path.iterdir()] == ["s.signals.json"]


def test_a_value_json_cannot_hold_is_refused_and_nothing_written(tmp_path: Path) -> None:
    path = tmp_path / "s.signals.json"
    save_ledger(path, Ledger((FIRST,)))
    bad = FIRST.model_copy(update={"value": float("nan")})
    with pytest.raises(ValidationError) as caught:
        save_ledger(path, Ledger((FIRST, bad)))
    assert caught.value.problems[0].message == (
        "observation 2 (bijstand, GM0344, 2021-03) has the value nan, which a ledger cannot "
        "hold; give a finite number"
    )
    assert load_ledger(path).observations == (FIRST,)


def test_an_unwritable_place_is_a_koers_error(tmp_path: Path) -> None:
    with pytest.raises(KoersError, match="cannot write the signals ledger"):
        save_ledger(tmp_path / "no-such-folder" / "s.signals.json", Ledger())


# Broken and tampered files -------------------------------------------------------------------


def _problems(tmp_path: Path, text: str | bytes) -> list[tuple[int | None, int | None, str]]:
    path = tmp_path / "s.signals.json"
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    with pytest.raises(ValidationError) as caught:
        load_ledger(path)
    assert all(problem.path == str(path) for problem in caught.value.problems)
    return [(problem.line, problem.column, problem.message) for problem in caught.value.problems]


def test_broken_json_is_located(tmp_path: Path) -> None:
    # The golden file cut after the first record's "1234.5, ". Before the cut, line 3 holds
    # [ (1) "bijstand" (10) ", " (2) "GM0344" (8) ", " (2) "2021-03" (9) ", " (2) 1234.5 (6)
    # ", " (2) = 42 characters, so the missing value is at column 43.
    text = GOLDEN[: GOLDEN.index("1234.5, ") + len("1234.5, ")]
    (problem,) = _problems(tmp_path, text)
    assert problem == (
        3,
        43,
        "the signals ledger is not valid JSON: Expecting value; restore it from a backup or "
        "version control, or mend it by hand",
    )


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    # "é" written as Windows-1252 (0xE9) on line 4, after [ (1) "faillissementen" (17)
    # ", " (2) "PV26" (6) ", " (2) "2021-Q1" (9) ", " (2) 17.0 (4) ", " (2)
    # "2021-04-09T15:30:00" (21) ", " (2) "Kwartaalcijfers  (17) = 85 bytes: column 86.
    text = GOLDEN.replace("é", "\udce9").encode("utf-8", "surrogateescape")
    with pytest.raises(FormatError) as caught:
        load_ledger(_write(tmp_path, text))
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (4, 86)
    assert problem.message.startswith("byte 0xE9 is not UTF-8")


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "s.signals.json"
    path.write_bytes(data)
    return path


NOT_A_LEDGER = "this is not a Koers signals ledger as written by this version: "
RESTORE = "; restore the file from a backup or version control"


def test_a_newer_format_asks_for_a_newer_koers(tmp_path: Path) -> None:
    assert _problems(tmp_path, GOLDEN.replace('"format": 1', '"format": 2')) == [
        (
            None,
            None,
            "the ledger has format 2, written by a newer Koers; this Koers reads format 1: "
            "upgrade Koers",
        )
    ]


def test_wrong_keys_and_values_of_the_head(tmp_path: Path) -> None:
    text = (
        GOLDEN.replace('"kind": "koers-signals"', '"kind": "study"')
        .replace(' "statuses"', ' "alerts"')
        .replace('"format": 1', '"format": "1"')
    )
    assert _problems(tmp_path, text) == [
        (None, None, f"{NOT_A_LEDGER}it lacks the key 'statuses'{RESTORE}"),
        (None, None, f"{NOT_A_LEDGER}it has the unknown key 'alerts'{RESTORE}"),
        (None, None, f'{NOT_A_LEDGER}format is "1"; format is 1{RESTORE}'),
        (None, None, f"{NOT_A_LEDGER}kind is \"study\"; kind is 'koers-signals'{RESTORE}"),
    ]


def test_not_an_object(tmp_path: Path) -> None:
    assert _problems(tmp_path, "[1, 2]") == [
        (1, 1, f"{NOT_A_LEDGER}it is not a JSON object{RESTORE}")
    ]


def test_tampered_records_are_named_with_their_number_and_line(tmp_path: Path) -> None:
    lines = GOLDEN.splitlines(keepends=True)
    # Line 3 is observation 1, line 4 observation 2, line 7 status 1.
    lines[3] = lines[3].replace('"PV26"', '"pv26"').replace("17.0", "NaN")
    lines[2] = lines[2].replace('"bijstand.csv"', '"bijstand.csv", 5')
    lines[6] = lines[6].replace('"red"', '"purple"')
    problems = _problems(tmp_path, "".join(lines))
    assert problems == [
        (
            3,
            None,
            "observation 1 is not an array of the 6 values indicator, region, period, value, "
            "recorded, source",
        ),
        (4, None, "observation 2 value: nan is not a finite number"),
        (7, None, "status 1 level: Input should be 'green', 'amber' or 'red'"),
    ]


def test_a_refused_field_of_a_record(tmp_path: Path) -> None:
    text = GOLDEN.replace('"PV26"', '"pv26"').replace('"2021-04-02T09:00:00+00:00"', '"gisteren"')
    problems = _problems(tmp_path, text)
    assert [(line, message.split(":")[0]) for line, _, message in problems] == [
        (3, "observation 1 recorded"),
        (4, "observation 2 region"),
    ]


def test_a_record_in_another_layout_has_no_line(tmp_path: Path) -> None:
    document = json.loads(GOLDEN)
    document["observations"][1][1] = "pv26"
    problems = _problems(tmp_path, json.dumps(document))  # all on one line
    assert [(line, message.split(":")[0]) for line, _, message in problems] == [
        (None, "observation 2 region")
    ]


# Round trip and speed ------------------------------------------------------------------------

observations = st.builds(
    Observation,
    indicator=st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
    region=st.sampled_from(["GM0344", "PV26", "NL01"]),
    period=st.sampled_from(["2021-03", "2021-Q1", "2021-W05", "2021"]),
    value=st.floats(allow_nan=False, allow_infinity=False),
    recorded=st.datetimes(timezones=st.none() | st.just(dt.UTC)),
    source=st.text(max_size=20),
)


@settings(max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(observations, max_size=5))
def test_load_of_save_is_the_ledger(tmp_path: Path, records: list[Observation]) -> None:
    path = tmp_path / "s.signals.json"
    ledger = Ledger(tuple(records), (STATUS,))
    save_ledger(path, ledger)
    assert load_ledger(path) == ledger


def test_a_hundred_thousand_records_stay_fast(tmp_path: Path) -> None:
    # The bound is loose (about ten times the time measured on a laptop: save 0.2 s, load
    # 0.4 s): it catches a quadratic slip, not a slower machine.
    records = tuple(
        FIRST.model_copy(update={"period": f"{2000 + i // 12}-{i % 12 + 1:02d}", "value": i / 7})
        for i in range(100_000)
    )
    path = tmp_path / "s.signals.json"
    start = time.perf_counter()
    save_ledger(path, Ledger(records))
    saved = time.perf_counter()
    loaded = load_ledger(path)
    done = time.perf_counter()
    assert loaded.observations == records
    assert saved - start < 5 and done - saved < 5
    assert gc.isenabled()  # the collector is on again
