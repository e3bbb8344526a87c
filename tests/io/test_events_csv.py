"""events_csv: the events table read as written, and every problem located by line and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from koers.errors import FormatError, ValidationError
from koers.io.events_csv import read_events_csv, write_events_csv
from koers.model.events import Event, EventImpact

EVENTS = Path(__file__).parent.parent / "data" / "events"


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "events.csv"
    path.write_bytes(text.encode(encoding))
    return path


def problems(path: Path) -> list[tuple[int | None, int | None, str]]:
    with pytest.raises(ValidationError) as caught:
        read_events_csv(path)
    return [(p.line, p.column, p.message) for p in caught.value.problems]


def test_the_example_reads_as_written() -> None:
    table = read_events_csv(EVENTS / "gemeente.csv")
    assert [e.key for e in table.events] == ["storm", "zorg", "budget", "coalitie"]
    # 0,30 (decimal comma), 0.5, 45% and 0.2
    assert [e.probability for e in table.events] == [0.3, 0.5, 0.45, 0.2]
    storm = table.events[0]
    assert storm.name.get("nl") == "Zware storm"
    assert (storm.start, storm.end) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert table.events[1].start is None
    assert {(i.source, i.target, i.strength) for i in table.impacts} == {
        ("storm", "zorg", 2),
        ("storm", "budget", -1),
        ("zorg", "budget", -2),
        ("zorg", "coalitie", 1),
        ("budget", "zorg", 1),
        ("budget", "coalitie", 2),
    }


def test_commas_and_a_name_defaulting_to_the_key() -> None:
    table = read_events_csv(EVENTS / "three.csv")
    assert [(e.key, e.name.get("en"), e.probability) for e in table.events] == [
        ("a", "a", 0.3),
        ("b", "b", 0.6),
        ("c", "c", 0.45),
    ]
    assert len(table.impacts) == 4


def test_windows_1252_and_a_byte_order_mark(tmp_path: Path) -> None:
    text = "event;probability;name\nzorg;0,5;Zorg één\n"
    assert read_events_csv(write(tmp_path, text, "cp1252")).events[0].name.get("nl") == "Zorg één"
    bom = write(tmp_path, "\ufeff" + text)
    assert read_events_csv(bom).events[0].key == "zorg"


def test_every_problem_is_located() -> None:
    assert problems(EVENTS / "broken.csv") == [
        (1, 7, "column 'x' is not an event of the first column; choose one of: 'a', 'b'"),
        (
            2,
            2,
            "probability '1.5' is outside 0..1; write a chance from 0 (never) to 1 (certain), "
            "or a percentage from 0% to 100%",
        ),
        (
            2,
            6,
            "impact '4' is not a whole number in -3..+3; write -3 (makes it much less likely) "
            "to +3 (much more likely), or leave the cell empty",
        ),
        (3, 2, "probability 'zero' is not a number; write it as 0.3, 0,3 or 30%"),
        (3, 3, "date '2027-13-01' is not a date; write it as YYYY-MM-DD, e.g. 2027-03-31"),
        (4, 1, "two events have the key 'a' (lines 2 and 4); give each a key of its own"),
    ]


def test_the_rules_of_events_are_located(tmp_path: Path) -> None:
    text = "event;probability;start;end;a;b\na;0.5;2027-05-01;2027-04-01;2;1\nb;0.5;;;;\n"
    found = problems(write(tmp_path, text))
    assert [(line, column) for line, column, _ in found] == [(2, 4), (2, 5)]
    assert "ends on 2027-04-01, before it starts on 2027-05-01" in found[0][2]
    assert "impact of 'a' on itself" in found[1][2]


def test_a_bad_key_and_a_repeated_column(tmp_path: Path) -> None:
    text = "event,probability,b,b\nnot ok,0.5,,\nb,0.5,,\n"
    found = problems(write(tmp_path, text))
    assert found[0][:2] == (1, 4) and "written twice" in found[0][2]
    assert found[1][:2] == (2, 1) and "event key 'not ok'" in found[1][2]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "the file is empty"),
        ("name;probability\nx;0.5\n", "the first row should name the columns"),
        ("event;chance\nx;0.5\n", "the first row should name the columns"),
    ],
)
def test_unreadable_files(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(FormatError, match=words):
        read_events_csv(write(tmp_path, text))


def test_utf16_is_refused_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="UTF-16"):
        read_events_csv(write(tmp_path, "event;probability\na;0.5\n", "utf-16"))


def test_a_header_without_events(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "event;probability\n")) == [
        (1, None, "the file has a header but no events; add one row per event")
    ]


def test_written_tables_read_back(tmp_path: Path) -> None:
    events = (
        Event(key="a", name={"en": "Event a"}, probability=0.125, start=dt.date(2027, 1, 2)),
        Event(key="b", name={"nl": "Gebeurtenis b"}, probability=1 / 3),
    )
    impacts = (EventImpact(source="a", target="b", strength=-3),)
    path = tmp_path / "out.csv"
    write_events_csv(events, impacts, path)
    table = read_events_csv(path)
    assert [(e.key, e.probability, e.start, e.end) for e in table.events] == [
        ("a", 0.125, dt.date(2027, 1, 2), None),
        ("b", 1 / 3, None, None),
    ]
    assert [e.name.get("en") for e in table.events] == ["Event a", "Gebeurtenis b"]
    assert table.impacts == impacts


def test_writing_refuses_broken_events(tmp_path: Path) -> None:
    event = Event(key="a", name={"en": "A"}, probability=0.5)
    with pytest.raises(ValidationError, match="on itself"):
        write_events_csv(
            [event], [EventImpact(source="a", target="a", strength=1)], tmp_path / "x.csv"
        )
    assert not (tmp_path / "x.csv").exists()
