"""Flat CSV cross-impact matrices: Somewhereland, Dutch Excel files, located errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koers.errors import FormatError, ValidationError
from koers.io.csv_matrix import read_csv_matrix, write_csv_matrix
from koers.methods.cib.matrix import CrossImpactMatrix

DATA = Path(__file__).parent.parent / "data" / "cib"
BROKEN = DATA / "broken"
SOMEWHERELAND = DATA / "SomewhereLand.csv"


def test_somewhereland_structure() -> None:
    matrix = read_csv_matrix(SOMEWHERELAND)
    assert matrix.descriptors == ("A", "B", "C", "D", "E", "F")
    assert matrix.counts.tolist() == [3, 3, 3, 2, 3, 3]
    assert matrix.variants[3] == ("1", "2")
    assert matrix.space == 486
    # A2 acts on B3 with -3 (row A2, column B3 of the file).
    assert matrix.judgements[1, 5] == -3


def test_somewhereland_impact_balance_of_the_manuals_test_scenario() -> None:
    # The ScenarioWizard manual's test scenario A2 B1 C3 D1 E1 F1 and its impact balance,
    # from the fixtures' README: the sum of the scenario's rows.
    matrix = read_csv_matrix(SOMEWHERELAND)
    rows = [int(matrix.offsets[d]) + v for d, v in enumerate([1, 0, 2, 0, 0, 0])]
    balance = matrix.judgements[rows].sum(axis=0).tolist()
    assert balance == [0, 3, -3, 2, 1, -3, -9, -1, 10, -7, 7, 4, -1, -3, 2, -1, -1]


def test_dutch_excel_file() -> None:
    # BOM, ';', CRLF, blank self-impact cells, padding cells and an empty padding row.
    matrix = read_csv_matrix(DATA / "dutch-excel.csv")
    assert matrix.descriptors == ("Economie", "Rol")
    assert matrix.variants == (("Hoog", "Laag"), ("Regisseur", "Coördinator"))
    assert matrix.judgements.tolist() == [
        [0, 0, 1, -1],
        [0, 0, -1, 1],
        [2, -2, 0, 0],
        [-2, 2, 0, 0],
    ]


def test_plain_excel_csv_is_read_as_windows_1252() -> None:
    matrix = read_csv_matrix(DATA / "excel-windows-1252.csv")
    assert matrix.variants[1] == ("Regisseur", "Co\u00f6rdinator")


def test_a_forced_encoding_locates_the_first_bad_byte() -> None:
    path = DATA / "excel-windows-1252.csv"
    with pytest.raises(FormatError) as caught:
        read_csv_matrix(path, encoding="utf-8")
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (1, 5)
    assert "byte 0xF6 is not utf-8 text; save the file as 'CSV UTF-8'" in problem.message
    with pytest.raises(ValidationError, match="unknown encoding"):
        read_csv_matrix(path, encoding="klingon")


def test_self_impacts_are_kept() -> None:
    matrix = read_csv_matrix(DATA / "self-impacts.csv")
    assert matrix.judgements[:2, :2].tolist() == [[1, -1], [0, 0]]
    assert matrix.judgements[2, 3] == 2


def test_scale_widens_on_request() -> None:
    with pytest.raises(ValidationError) as caught:
        read_csv_matrix(DATA / "wide-scale.csv")
    # Every value outside -3..+3 is reported at once.
    assert [(p.line, p.column) for p in caught.value.problems] == [(2, 4), (2, 5), (3, 4), (3, 5)]
    matrix = read_csv_matrix(DATA / "wide-scale.csv", scale=5)
    assert matrix.variants == (("low", "high"), ("low", "high"))
    assert matrix.judgements[0, 2] == 5


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_round_trip(delimiter: str, tmp_path: Path) -> None:
    matrix = read_csv_matrix(SOMEWHERELAND)
    target = tmp_path / "m.csv"
    write_csv_matrix(matrix, target, delimiter=delimiter)
    assert read_csv_matrix(target) == matrix
    first = target.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(f"{delimiter}A:1{delimiter}A:2{delimiter}A:3{delimiter}B:1")


def test_lf_and_crlf_read_alike(tmp_path: Path) -> None:
    text = SOMEWHERELAND.read_text(encoding="utf-8")
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert read_csv_matrix(crlf) == read_csv_matrix(SOMEWHERELAND)


def test_write_refuses_labels_that_would_not_read_back(tmp_path: Path) -> None:
    matrix = CrossImpactMatrix(("a:b", "c"), (("1", "2"), ("1", "2")), np.zeros((4, 4)))
    target = tmp_path / "m.csv"
    with pytest.raises(ValidationError, match="cannot contain ':'"):
        write_csv_matrix(matrix, target)
    assert not target.exists()


def test_write_replaces_an_existing_file_atomically(tmp_path: Path) -> None:
    target = tmp_path / "m.csv"
    target.write_text("old")
    write_csv_matrix(read_csv_matrix(SOMEWHERELAND), target)
    assert read_csv_matrix(target).space == 486
    assert [p.name for p in tmp_path.iterdir()] == ["m.csv"]


# file, line, column, words the message must contain: for the first problem of each file.
# Lines and columns (cells, counted as a spreadsheet does) were read off the files by hand.
BROKEN_CASES = [
    ("csv-01-not-integer.csv", 4, 6, "judgement 'x' is not a whole number; write an integer"),
    ("csv-02-fraction.csv", 3, 4, "judgement '1.5' is not a whole number"),
    ("csv-03-out-of-scale.csv", 6, 2, "judgement 5 is outside the scale -3..+3"),
    ("csv-04-ragged-row.csv", 5, 7, "row 'B2' has 5 judgements but the header names 6"),
    ("csv-05-utf16.csv", 1, None, "UTF-16"),
    ("csv-06-bad-bytes.csv", 4, 5, "byte 0x81 is not UTF-8 or Windows-1252 text"),
    ("csv-07-empty.csv", 1, None, "the file is empty"),
    ("csv-08-missing-header.csv", 1, 1, "add a header row"),
    ("csv-09-row-label-mismatch.csv", 5, 1, "row label 'B3' does not match column label 'B2'"),
    ("csv-10-duplicate-label.csv", 1, 5, "label 'B1' appears twice (columns 4 and 5)"),
    ("csv-11-single-variant.csv", 1, 8, "descriptor 'D' has only one variant"),
    ("csv-12-too-few-rows.csv", 6, None, "add the rows for C2"),
    ("csv-13-too-many-rows.csv", 8, 1, "row 'C3' is one too many"),
    ("csv-14-bad-label.csv", 1, 2, "label 'Growth' is neither 'Descriptor:Variant' nor"),
    ("csv-15-split-descriptor.csv", 1, 4, "put each descriptor's variants next to each other"),
]


@pytest.mark.parametrize(("name", "line", "column", "words"), BROKEN_CASES)
def test_broken_files_are_located(name: str, line: int, column: int | None, words: str) -> None:
    path = BROKEN / name
    with pytest.raises(ValidationError) as caught:
        read_csv_matrix(path)
    problem = caught.value.problems[0]
    assert problem.path == str(path)
    assert (problem.line, problem.column) == (line, column)
    assert words in problem.message
    assert str(caught.value).startswith(f"{path}:{line}:")


def test_broken_header_reports_no_phantom_problems() -> None:
    with pytest.raises(ValidationError) as caught:
        read_csv_matrix(BROKEN / "csv-10-duplicate-label.csv")
    assert len(caught.value.problems) == 1


def test_missing_file_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="cannot read the file"):
        read_csv_matrix(tmp_path / "missing.csv")


labels = st.from_regex(r"[A-Za-zéü][A-Za-z0-9éü _,;\"'()-]{0,8}[A-Za-z0-9)]", fullmatch=True)


@st.composite
def matrices(draw: st.DrawFn) -> CrossImpactMatrix:
    descriptors = draw(st.lists(labels, min_size=1, max_size=4, unique=True))
    variants = tuple(
        tuple(draw(st.lists(labels | st.just("a:b"), min_size=2, max_size=3, unique=True)))
        for _ in descriptors
    )
    size = sum(len(group) for group in variants)
    values = draw(st.lists(st.integers(-3, 3), min_size=size * size, max_size=size * size))
    return CrossImpactMatrix(tuple(descriptors), variants, np.array(values).reshape(size, size))


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(matrix=matrices(), delimiter=st.sampled_from([",", ";"]))
def test_any_matrix_survives_write_and_read(
    matrix: CrossImpactMatrix, delimiter: str, tmp_path: Path
) -> None:
    target = tmp_path / "m.csv"
    write_csv_matrix(matrix, target, delimiter=delimiter)
    assert read_csv_matrix(target) == matrix
