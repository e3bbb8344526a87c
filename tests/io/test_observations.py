"""Observation files: CSV and Excel, Dutch and English numbers, every problem located."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.errors import FormatError, Problem, ValidationError
from koers.io.observations import (
    ObservationRow,
    SkippedRow,
    parse_number,
    read_observations,
    write_skipped_report,
)
from koers.model.signals import Indicator, Upload
from koers.model.study import Study
from koers.model.text import Text

DATA = Path(__file__).parent.parent / "data" / "signals"
COLUMNS = "indicator, region, period, value (in Dutch: indicator, regio, periode, waarde)"
NO_FIGURE = "give a number, or leave the row out when the period has no figure"
NOT_DUTCH = (
    "is not a number in Dutch notation; write it like 1234,5 or 1.234,5 (a comma before the "
    "decimals), or read the file with decimal_comma=False when it uses a decimal point"
)
NOT_POINT = (
    "is not a number with a decimal point; write it like 1234.5 or 1,234.5, or read the file "
    "with decimal_comma=True when it uses Dutch notation (1.234,5)"
)
SAVE_AS = "export the table as 'CSV UTF-8' or as an Excel workbook (.xlsx)"


def _study() -> Study:
    """Two indicators: one monthly in the study's municipality, one quarterly in a province."""
    return Study(
        title=Text(nl="Proef"),
        organisation="Gemeente Utrecht",
        municipality="GM0344",
        horizon=dt.date(2030, 12, 31),
        indicators=(
            Indicator(
                key="bijstand",
                name=Text(nl="Bijstandsuitkeringen"),
                unit="uitkeringen",
                frequency="month",
                source=Upload(kind="upload"),
            ),
            Indicator(
                key="faillissementen",
                name=Text(nl="Faillissementen"),
                unit="faillissementen",
                frequency="quarter",
                region="PV26",
                source=Upload(kind="upload"),
            ),
        ),
    )


STUDY = _study()


def _problems(
    name: str, decimal_comma: bool | None = None
) -> list[tuple[int | None, int | None, str]]:
    with pytest.raises(ValidationError) as caught:
        read_observations(DATA / name, STUDY, decimal_comma=decimal_comma)
    assert all(problem.path == str(DATA / name) for problem in caught.value.problems)
    return [(problem.line, problem.column, problem.message) for problem in caught.value.problems]


def _format_error(path: Path) -> Problem:
    with pytest.raises(FormatError) as caught:
        read_observations(path, STUDY)
    (problem,) = caught.value.problems
    assert problem.path == str(path)
    return problem


# Good files ---------------------------------------------------------------------------------


def test_csv_with_a_decimal_point() -> None:
    # Columns in another order and case; a quoted "1,250" (thousands), a date standing for
    # its month, a blank line 4, a lower-case region code, and a date in quarter 2.
    read = read_observations(DATA / "good.csv", STUDY)
    assert (read.decimal_comma, read.encoding, read.skipped) == (False, "utf-8", ())
    assert read.rows == (
        ObservationRow("bijstand", "GM0344", "2021-01", 1234.5, 2),
        ObservationRow("bijstand", "GM0344", "2021-02", 1250.0, 3),
        ObservationRow("bijstand", "GM0344", "2021-03", -3.0, 5),
        ObservationRow("faillissementen", "PV26", "2021-Q1", 17.0, 6),
        ObservationRow("faillissementen", "PV26", "2021-Q2", 19.0, 7),
    )


def test_dutch_excel_csv() -> None:
    # Byte order mark, ';', CRLF, Dutch headers, a trailing row of empty cells; under Dutch
    # rules 1.234,5 = 1234.5, 12,5 = 12.5 and the ambiguous 1.234 = 1234 (a thousands dot).
    read = read_observations(DATA / "good-dutch.csv", STUDY)
    assert (read.decimal_comma, read.encoding) == (True, "utf-8")
    assert [(row.line, row.value) for row in read.rows] == [
        (2, 1234.5),
        (3, 12.5),
        (4, 1234.0),
        (5, 17.0),
    ]


def test_the_caller_overrides_the_number_format() -> None:
    # With a decimal point, 1.234 is one and a bit; 1.234,5 and 12,5 are refused.
    problems = _problems("good-dutch.csv", decimal_comma=False)
    assert problems == [
        (2, 4, f"Waarde: '1.234,5' {NOT_POINT}"),
        (3, 4, f"Waarde: '12,5' {NOT_POINT}"),
    ]
    read = read_observations(DATA / "good-dutch.csv", STUDY, decimal_comma=False, skip_bad=True)
    assert [(row.line, row.value) for row in read.rows] == [(4, 1.234), (5, 17.0)]


def test_an_excel_sep_line_names_the_delimiter() -> None:
    read = read_observations(DATA / "sep-line.csv", STUDY)
    assert read.rows == (ObservationRow("bijstand", "GM0344", "2021-01", 2.5, 3),)


def test_windows_1252_is_read_when_the_file_is_not_utf8() -> None:
    # The euro sign is byte 0x80 in Windows-1252 and invalid in UTF-8.
    read = read_observations(DATA / "windows-1252.csv", STUDY, skip_bad=True)
    assert read.encoding == "cp1252"
    assert read.rows == (ObservationRow("bijstand", "GM0344", "2021-01", 12.5, 2),)
    (skipped,) = read.skipped
    assert skipped.line == 3
    assert skipped.problems[0].message == f"value: '12,5 \u20ac' {NOT_DUTCH}"


def test_workbook_sheet_dates_numbers_and_text() -> None:
    # The sheet named Waarnemingen, not the first one; a datetime and a date cell in the
    # period column; number cells; a text cell in Dutch notation; Excel's row numbers
    # (row 4 is empty).
    read = read_observations(DATA / "good.xlsx", STUDY)
    assert (read.decimal_comma, read.encoding) == (True, None)
    assert read.rows == (
        ObservationRow("bijstand", "GM0344", "2021-01", 1234.5, 2),
        ObservationRow("bijstand", "GM0344", "2021-02", 1250.0, 3),
        ObservationRow("bijstand", "GM0344", "2021-03", 1234.5, 5),
        ObservationRow("faillissementen", "PV26", "2021-Q1", 17.0, 6),
    )


def test_rows_become_observations() -> None:
    read = read_observations(DATA / "good.csv", STUDY)
    when = dt.datetime(2021, 8, 1, 12, tzinfo=dt.UTC)
    first = read.observations(when)[0]
    assert (first.indicator, first.period, first.value) == ("bijstand", "2021-01", 1234.5)
    assert (first.recorded, first.source) == (when, "good.csv")


# Bad headers ---------------------------------------------------------------------------------


def test_wrong_columns_are_named() -> None:
    assert _problems("bad-columns.csv") == [
        (1, 3, f"column 'date' is not one Koers reads; remove it. The columns are {COLUMNS}"),
        (1, 5, f"column 'remark' is not one Koers reads; remove it. The columns are {COLUMNS}"),
        (
            1,
            None,
            f"the header lacks the column 'period'; the header row must name the columns {COLUMNS}",
        ),
    ]


def test_a_column_given_twice() -> None:
    assert _problems("bad-duplicate-column.csv") == [
        (1, 3, "column 'Regio' is the region column a second time (columns 2 and 3); keep one")
    ]


def test_a_file_without_header_names_every_column_and_what_is_missing() -> None:
    problems = _problems("bad-no-header.csv")
    assert [column for _, column, _ in problems] == [1, 2, 3, 4, None]
    assert problems[-1][2].startswith(
        "the header lacks the columns 'indicator', 'region', 'period', 'value'"
    )


def test_header_problems_are_raised_even_with_skip_bad() -> None:
    with pytest.raises(ValidationError):
        read_observations(DATA / "bad-columns.csv", STUDY, skip_bad=True)


# Bad rows -----------------------------------------------------------------------------------


def test_bad_periods() -> None:
    assert _problems("bad-periods.csv") == [
        (2, 3, "period: '2021-13' has no month 13; months run from 01 to 12"),
        (3, 3, "period: '2021-02-30' is not a date in the calendar"),
        (
            4,
            3,
            "period: '2021-Q1' is a quarter but this series is measured per month; write a "
            "month such as '2021-03', or a date",
        ),
        (5, 3, "period: '2021-Q5' has no quarter 5; quarters run from Q1 to Q4"),
        (
            6,
            3,
            "period: 'maart 2021' is not a period; write a quarter such as '2021-Q1', or a "
            "date such as '2021-03-31'",
        ),
        (
            7,
            3,
            "period: the period is empty; write it like 2021-03, 2021-Q1, 2021 or a date such "
            "as 2021-03-31",
        ),
    ]


def test_bad_numbers_with_a_decimal_point() -> None:
    assert _problems("bad-numbers.csv") == [
        (2, 4, f"value: '1,5' {NOT_POINT}"),
        (3, 4, f"value: 'abc' {NOT_POINT}"),
        (4, 4, f"value: 'NaN' is not a finite number; {NO_FIGURE}"),
        (5, 4, f"value: '-inf' is not a finite number; {NO_FIGURE}"),
        (6, 4, f"value: the value is empty; {NO_FIGURE}"),
        (7, 4, f"value: '1e999' is too large to be a finite number; {NO_FIGURE}"),
    ]


def test_bad_numbers_in_dutch_notation() -> None:
    # 1234.5 has a dot that groups no three digits, and so has 1.23: neither is guessed at.
    assert _problems("bad-numbers-dutch.csv") == [
        (2, 4, f"value: '1234.5' {NOT_DUTCH}"),
        (3, 4, f"value: '1.23' {NOT_DUTCH}"),
    ]


def test_unknown_indicators() -> None:
    assert _problems("unknown-indicators.csv") == [
        (2, 1, "indicator: 'bijstnd' is not an indicator of the study; did you mean 'bijstand'?"),
        (3, 1, "indicator: 'Bijstand' is not an indicator of the study; did you mean 'bijstand'?"),
        (
            4,
            1,
            "indicator: 'ww' is not an indicator of the study; choose one of: 'bijstand', "
            "'faillissementen'",
        ),
        (5, 1, "indicator: the indicator is empty; write the key of one of the study's indicators"),
    ]


def test_wrong_regions_name_the_allowed_one() -> None:
    # Line 5 writes the right code in lower case, which is accepted.
    assert _problems("wrong-regions.csv") == [
        (2, 2, "region: 'GM0345' is not where 'bijstand' is measured; write GM0344"),
        (3, 2, "region: 'GM0344' is not where 'faillissementen' is measured; write PV26"),
        (4, 2, "region: the region is empty; write GM0344, where 'bijstand' is measured"),
    ]


def test_duplicates_name_both_lines() -> None:
    # Line 4 repeats line 2 (2021-03-15 lies in 2021-03) with the same value; lines 6 and 7
    # repeat line 5 (2021-06-30 lies in 2021-Q2) with other values, so line 5 is wrong too.
    key = "'faillissementen' in PV26 for 2021-Q2"
    keep_one = "keep one row per indicator, region and period"
    assert _problems("duplicates.csv") == [
        (4, 3, f"'bijstand' in GM0344 for 2021-03 is already on line 2; {keep_one}"),
        (5, 3, f"{key} is also on lines 6 and 7, with another value; keep the right one"),
        (6, 3, f"{key} is already on line 5 with another value (8.5); {keep_one}"),
        (7, 3, f"{key} is already on line 5 with another value (9); {keep_one}"),
    ]


def test_skip_bad_keeps_the_good_rows() -> None:
    read = read_observations(DATA / "duplicates.csv", STUDY, skip_bad=True)
    assert [row.line for row in read.rows] == [2, 3]
    assert [skipped.line for skipped in read.skipped] == [4, 5, 6, 7]


def test_a_value_under_no_header() -> None:
    # Line 3 has an empty fifth cell, which is padding and fine.
    assert _problems("extra-cell.csv") == [
        (
            2,
            5,
            f"column 5 holds 'oops' but has no header; remove it, or name it as one of {COLUMNS}",
        )
    ]


def test_workbook_problems_name_the_cell() -> None:
    # The header stands in row 2 under an empty row; the first sheet is read.
    value = "value (cell D{})"
    assert _problems("bad.xlsx") == [
        (3, 3, "period (cell C3): '2021-13' has no month 13; months run from 01 to 12"),
        (4, 4, f"{value.format(4)}: TRUE is not a number; {NO_FIGURE}"),
        (
            5,
            4,
            f"{value.format(5)}: the cell holds a date or time (2021-03-01), not a number; "
            "format the cell as a number",
        ),
        (
            6,
            4,
            f"{value.format(6)}: the cell holds the Excel error #DIV/0!; correct the formula "
            "or type the number",
        ),
        (7, 2, "region (cell B7): 'GM0344' is not where 'faillissementen' is measured; write PV26"),
        (
            7,
            3,
            "period (cell C7): '2021' is a year but this series is measured per quarter; write "
            "a quarter such as '2021-Q1', or a date",
        ),
        (8, 4, f"{value.format(8)}: '1234.5' {NOT_DUTCH}"),
    ]


# Files that are no table ------------------------------------------------------------------------

EMPTY = "the file is empty; an observation file starts with the header row indicator, region, "


@pytest.mark.parametrize(
    ("name", "line", "column", "message"),
    [
        ("empty.csv", 1, None, EMPTY + "period, value"),
        ("blank.csv", 1, None, EMPTY + "period, value"),
        (
            "header-only.csv",
            1,
            None,
            "the file has a header but no observations below it; add one row per value",
        ),
        (
            "binary.csv",
            None,
            None,
            f"the file holds binary data (a NUL byte), not CSV text; {SAVE_AS}",
        ),
        ("utf-16.csv", 1, None, f"the file is UTF-16 text ('Unicode text' in Excel); {SAVE_AS}"),
        (
            "bad-encoding.csv",
            3,
            11,
            f"byte 0x81 is neither UTF-8 nor Windows-1252 text; {SAVE_AS}",
        ),
        (
            "workbook-named.csv",
            1,
            None,
            "this is an Excel workbook (a zip archive), not CSV text; give the file the "
            "extension .xlsx",
        ),
        (
            "not-a-zip.xlsx",
            None,
            None,
            "the file is not an Excel workbook (.xlsx) that Koers can read (File is not a zip "
            "file); open it in Excel and save it as 'Excel Workbook (.xlsx)', or export "
            "'CSV UTF-8'",
        ),
        (
            "old-format.xls",
            None,
            None,
            "this is the old Excel format (.xls), which Koers does not read; open it in Excel "
            "and save it as 'Excel Workbook (.xlsx)' or as 'CSV UTF-8'",
        ),
        ("missing.csv", None, None, "cannot read the file: No such file or directory"),
        ("missing.xlsx", None, None, "cannot read the file: No such file or directory"),
    ],
)
def test_files_that_are_no_table(
    name: str, line: int | None, column: int | None, message: str
) -> None:
    problem = _format_error(DATA / name)
    assert (problem.line, problem.column, problem.message) == (line, column, message)


# The report of skipped rows ---------------------------------------------------------------------


def test_skipped_report(tmp_path: Path) -> None:
    skipped = [
        SkippedRow(3, (Problem("value: 'x' is bad, really", "f.csv", 3, 4),)),
        SkippedRow(5, (Problem("a whole-row problem", "f.csv", 5), Problem("b", "f.csv", 5, 1))),
    ]
    report = tmp_path / "skipped.csv"
    write_skipped_report(report, skipped)
    assert report.read_bytes() == (
        b"\xef\xbb\xbfrow,column,problem\r\n"
        b"3,4,\"value: 'x' is bad, really\"\r\n"
        b"5,,a whole-row problem\r\n"
        b"5,1,b\r\n"
    )
    assert [path.name for path in tmp_path.iterdir()] == ["skipped.csv"]  # no temporary left


def test_skipped_report_of_a_real_import(tmp_path: Path) -> None:
    read = read_observations(DATA / "wrong-regions.csv", STUDY, skip_bad=True)
    report = tmp_path / "report.csv"
    write_skipped_report(report, read.skipped)
    lines = report.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "row,column,problem"
    assert lines[1] == "2,2,region: 'GM0345' is not where 'bijstand' is measured; write GM0344"
    assert len(lines) == 4


# Numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dutch", "value"),
    [
        ("1.234.567,89", True, 1234567.89),
        ("-0,5", True, -0.5),
        ("+12", True, 12.0),
        ("\u22127,25", True, -7.25),  # the typeset minus sign
        ("1,5E+3", True, 1500.0),
        ("1,234,567.89", False, 1234567.89),
        ("1234567.89", False, 1234567.89),
        ("2.5e-3", False, 0.0025),
        (" 42 ", False, 42.0),
    ],
)
def test_parse_number(text: str, dutch: bool, value: float) -> None:
    assert parse_number(text, decimal_comma=dutch) == value


@pytest.mark.parametrize(
    ("text", "dutch"),
    [
        ("1.2.3", True),
        ("12.34,5", True),
        ("1,2,3", True),
        ("1,23.4", False),
        ("12,34.5", False),
        ("", False),
        ("1 234", False),
        ("Infinity", True),
    ],
)
def test_parse_number_refuses(text: str, dutch: bool) -> None:
    with pytest.raises(ValueError, match="is not"):
        parse_number(text, decimal_comma=dutch)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_grouped_numbers_read_back_in_both_notations(cents: int) -> None:
    # Python's own grouping (format spec ",") gives the English text; swapping the marks
    # gives the Dutch one. Both stand for cents / 100.
    english = f"{cents / 100:,.2f}"
    dutch = english.replace(",", "_").replace(".", ",").replace("_", ".")
    assert parse_number(english, decimal_comma=False) == float(f"{cents / 100:.2f}")
    assert parse_number(dutch, decimal_comma=True) == float(f"{cents / 100:.2f}")
