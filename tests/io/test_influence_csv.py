"""Direct-influence matrices from CSV: the hand example, spreadsheet habits, located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from koers.errors import FormatError, Problem, ValidationError
from koers.io.influence_csv import read_influence_csv

DATA = Path(__file__).parent.parent / "data" / "micmac"

HAND_VALUES = (
    (0, 0, 2, 0, 0, 0),
    (0, 0, 3, 0, 3, 1),
    (0, 2, 0, 0, 3, 0),
    (0, 1, 0, 0, 0, 0),
    (1, 0, 0, 1, 0, 0),
    (2, 0, 0, 0, 0, 0),
)


def test_hand_example_with_bom_semicolons_and_crlf() -> None:
    matrix = read_influence_csv(DATA / "hand-example.csv")
    assert matrix.factors == ("A", "B", "C", "D", "E", "F")
    assert matrix.values == HAND_VALUES
    assert matrix.potential == frozenset({(3, 0)})  # row D, column A


def test_rows_in_another_order_commas_and_empty_cells() -> None:
    assert read_influence_csv(DATA / "hand-example-reordered.csv") == read_influence_csv(
        DATA / "hand-example.csv"
    )


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "matrix.csv"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[tuple[int | None, int | None, str]]:
    with pytest.raises(ValidationError) as caught:
        read_influence_csv(path)
    return [(p.line, p.column, p.message) for p in caught.value.problems]


def test_every_problem_of_a_broken_file_is_located() -> None:
    found = problems(DATA / "broken.csv")
    where = [(line, column) for line, column, _ in found]
    assert where == [(1, 4), (2, 3), (3, 1), (4, 5), (4, 4)], found
    messages = " | ".join(message for _, _, message in found)
    assert "'Zorg' appears twice (columns 3 and 4)" in messages
    assert "influence '4' is not on the scale" in messages
    assert "did you mean 'Zorg'?" in messages
    assert "has 4 cells but the header names 3 factors" in messages
    assert "influence 'x' is not on the scale" in messages
    assert all(problem.path == str(DATA / "broken.csv") for problem in _raised(DATA / "broken.csv"))


def _raised(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(ValidationError) as caught:
        read_influence_csv(path)
    return caught.value.problems


def test_value_outside_the_scale_and_unknown_word(tmp_path: Path) -> None:
    found = problems(write(tmp_path, ",A,B\nA,0,x\nB,-1,0\n"))
    assert [(line, column) for line, column, _ in found] == [(2, 3), (3, 2)]
    assert "'x' is not on the scale" in found[0][2]
    assert "'-1' is not on the scale" in found[1][2]


def test_non_zero_diagonal_is_refused(tmp_path: Path) -> None:
    found = problems(write(tmp_path, ",A,B\nA,2,1\nB,P,P\n"))
    assert [(line, column) for line, column, _ in found] == [(2, 2), (3, 3)]
    assert "'A' has influence 2 on itself" in found[0][2]
    assert "'B' has influence P on itself" in found[1][2]


def test_zero_or_empty_diagonal_is_accepted(tmp_path: Path) -> None:
    matrix = read_influence_csv(write(tmp_path, ",A,B\nA,0,1\nB,3,\n"))
    assert matrix.values == ((0, 1), (3, 0))


def test_non_square_rows(tmp_path: Path) -> None:
    found = problems(write(tmp_path, ",A,B,C\nA,0,1\nB,1,0,1,2\nC,0,0,0\n"))
    assert [(line, column) for line, column, _ in found] == [(2, 4), (3, 5)]
    assert "row 'A' has 2 cells" in found[0][2]


def test_missing_and_repeated_rows(tmp_path: Path) -> None:
    found = problems(write(tmp_path, ",A,B,C\nA,0,1,0\nA,0,1,0\nB,1,0,0\n"))
    assert "row 'A' appears twice (lines 2 and 3)" in found[0][2]
    assert found[1][2].startswith("there is no row for C")
    assert found[1][0] == 4


def test_trailing_empty_cells_of_a_spreadsheet_are_ignored(tmp_path: Path) -> None:
    matrix = read_influence_csv(write(tmp_path, ";A;B;;\nA;0;1;;\nB;2;0;;\n;;;;\n"))
    assert matrix.values == ((0, 1), (2, 0))


def test_labels_with_the_other_delimiter(tmp_path: Path) -> None:
    text = ';"Werk, inkomen";Zorg\n"Werk, inkomen";0;P\nZorg;2;0\n'
    matrix = read_influence_csv(write(tmp_path, text))
    assert matrix.factors == ("Werk, inkomen", "Zorg")
    assert matrix.potential == frozenset({(0, 1)})


def test_windows_1252_file(tmp_path: Path) -> None:
    path = tmp_path / "matrix.csv"
    path.write_bytes(";Coördinatie;Zorg\r\nCoördinatie;0;1\r\nZorg;1;0\r\n".encode("cp1252"))
    assert read_influence_csv(path).factors == ("Coördinatie", "Zorg")


def test_missing_empty_and_headerless_files(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="cannot read the file"):
        read_influence_csv(tmp_path / "absent.csv")
    with pytest.raises(FormatError, match="empty"):
        read_influence_csv(write(tmp_path, "\n\n"))
    with pytest.raises(FormatError, match="factor labels"):
        read_influence_csv(write(tmp_path, "A\nB\n"))


def test_a_single_factor_is_not_enough(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="two factors or more"):
        read_influence_csv(write(tmp_path, ",A\nA,0\n"))
