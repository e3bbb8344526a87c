"""ScenarioWizard projects and solution lists: golden reads, lossless writes, located errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koers.errors import FormatError, ValidationError
from koers.io.scenariowizard import (
    SCW_BOUND,
    ScenarioWizardProject,
    SolutionRecord,
    read_scw,
    read_sl,
    write_scw,
    write_sl,
)
from koers.methods.cib.matrix import CrossImpactMatrix

DATA = Path(__file__).parent.parent / "data" / "cib"
BROKEN = DATA / "broken"

# file, descriptors, variants per descriptor, scenario space (from the fixtures' README).
PROJECTS = [
    ("CIB_global", 3, (3, 3, 4), 36),
    ("CIB_natl_regional", 15, (3, 3, 3, 3, 4, 3, 3, 3, 3, 3, 3, 4, 4, 3, 2), 22_674_816),
    ("CIB_nested", 17, (3, 3, 3, 3, 4, 3, 3, 3, 3, 3, 3, 4, 4, 3, 3, 3, 4), 408_146_688),
    ("CIB_nested_simplified_nonstandard", 15, None, 22_674_816),
    ("CIB_nested_simplified_standardized", 15, None, 22_674_816),
]
SOLUTION_LISTS = [
    ("CIB_global", 4),
    ("CIB_natl_regional", 16),
    ("CIB_nested", 20),
    ("CIB_nested_simplified_standardized", 15),
]


@pytest.mark.parametrize(("stem", "descriptors", "counts", "space"), PROJECTS)
def test_reads_the_published_projects(
    stem: str, descriptors: int, counts: tuple[int, ...] | None, space: int
) -> None:
    project = read_scw(DATA / f"{stem}.scw")
    matrix = project.matrix
    assert len(matrix.descriptors) == descriptors
    if counts is not None:
        assert tuple(matrix.counts.tolist()) == counts
    assert matrix.space == space
    assert len(project.colours) == descriptors
    assert len(project.impact_texts) == descriptors


def test_global_project_in_detail() -> None:
    project = read_scw(DATA / "CIB_global.scw")
    assert project.title == "CIB_global.scw"
    assert project.version == "4.0"
    assert project.matrix.descriptors == ("WTRD", "WSEC", "WECO")
    assert project.matrix.variants == (
        ("FT", "Ntl", "Mix"),
        ("Rlx", "Mod", "Alrt"),
        ("Decl", "Stag", "ModGr", "RpdGr"),
    )
    # First and last rows, copied by hand from the file.
    assert project.matrix.judgements[0].tolist() == [0, 0, 0, 1, 2, -3, -4, -2, 3, 3]
    assert project.matrix.judgements[9].tolist() == [3, -6, 3, -1, 1, 0, 0, 0, 0, 0]
    assert project.short_names == ("", "", "")
    assert project.colours[2] == ("FFFFFF",) * 4
    assert project.text_tag == "0-0"
    assert project.newline == "\n"  # the published copies were stored with LF line ends


def test_natl_regional_has_self_impacts_and_a_description() -> None:
    project = read_scw(DATA / "CIB_natl_regional.scw")
    matrix = project.matrix
    last = int(matrix.offsets[-2])
    assert matrix.judgements[last:, last:].tolist() == [[15, -7], [-11, 9]]
    urbanisation = matrix.descriptors.index("NURB")
    assert project.impact_texts[urbanisation][matrix.descriptors.index("NINEQ")].startswith(
        "Slow urbanization allows"
    )


def test_nonstandard_project_keeps_blank_short_names() -> None:
    project = read_scw(DATA / "CIB_nested_simplified_nonstandard.scw")
    assert set(project.short_names) == {" "}
    assert project.impact_texts[0][0] == ""


def test_standardised_project_reaches_twenty() -> None:
    matrix = read_scw(DATA / "CIB_nested_simplified_standardized.scw").matrix
    assert int(np.abs(matrix.judgements).max()) == 20


@pytest.mark.parametrize("stem", [row[0] for row in PROJECTS])
def test_project_round_trip_is_byte_identical(stem: str, tmp_path: Path) -> None:
    original = DATA / f"{stem}.scw"
    project = read_scw(original)
    copy = tmp_path / original.name
    write_scw(project, copy)
    assert read_scw(copy) == project
    assert copy.read_bytes() == original.read_bytes()


def test_new_project_is_written_with_crlf_and_defaults(tmp_path: Path) -> None:
    matrix = read_scw(DATA / "CIB_global.scw").matrix
    project = ScenarioWizardProject("Nieuw", matrix, project_text="Twee regels\ntekst")
    target = tmp_path / "new.scw"
    write_scw(project, target)
    raw = target.read_bytes()
    assert raw.startswith(b"$ ScenarioWizard 4.0\r\nNieuw\r\n&WTRD\r\n -FT\r\n")
    assert b'"Twee regels\r\ntekst"' in raw
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert read_scw(target) == project


def test_windows_1252_texts_and_short_names(tmp_path: Path) -> None:
    original = DATA / "windows-1252.scw"
    project = read_scw(original)
    assert project.title == "Caf\u00e9 \u20ac-scenario\u2019s"  # é, euro, curly apostrophe
    assert project.project_text == "\u201cSlim\u201d \u2013 een test"  # curly quotes, en dash
    assert project.descriptor_texts == ("Byte \x81 blijft", "")  # undefined in Windows-1252
    assert project.impact_texts[0][1] == "Regel 1\nRegel 2"
    assert project.short_names == ("E", "B")
    assert project.variant_short_names == (("G", "K"), ("A", "P"))
    assert project.colours == (("FFFFFF", "FF0000"), ("00FF00", "0000FF"))
    assert project.newline == "\r\n"
    copy = tmp_path / original.name
    write_scw(project, copy)
    assert copy.read_bytes() == original.read_bytes()


def test_hand_written_project_with_lf_and_empty_sections() -> None:
    project = read_scw(DATA / "hand-written.scw")
    assert project.matrix.variants == (("Growth", "Decline"), ("Active", "Passive"))
    assert project.colours == (("FFFFFF", "FFFFFF"), ("FFFFFF", "FFFFFF"))
    assert project.descriptor_texts == ("", "")


def test_out_of_bound_value_reads_with_a_wider_bound() -> None:
    path = BROKEN / "scw-01-out-of-bound.scw"
    with pytest.raises(ValidationError):
        read_scw(path)
    assert read_scw(path, bound=120).matrix.judgements[0, 4] == 120
    assert SCW_BOUND == 99


def test_write_refuses_what_scenariowizard_cannot_store(tmp_path: Path) -> None:
    matrix = read_scw(DATA / "hand-written.scw").matrix
    target = tmp_path / "x.scw"
    with pytest.raises(ValidationError, match="cannot hold '\"'"):
        write_scw(ScenarioWizardProject("t", matrix, project_text='say "hi"'), target)
    with pytest.raises(ValidationError, match="outside Windows-1252"):
        write_scw(ScenarioWizardProject("Σ", matrix), target)
    spaced = CrossImpactMatrix(("A ",), (("1", "2"),), np.zeros((2, 2)))
    with pytest.raises(ValidationError, match="remove the spaces"):
        write_scw(ScenarioWizardProject("t", spaced), target)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_project_fields_must_fit_the_matrix() -> None:
    matrix = read_scw(DATA / "hand-written.scw").matrix
    with pytest.raises(ValidationError, match="short_names does not fit"):
        ScenarioWizardProject("t", matrix, short_names=("a",))
    with pytest.raises(ValidationError, match="not 'red'"):
        ScenarioWizardProject("t", matrix, colours=(("red", "FFFFFF"), ("FFFFFF", "FFFFFF")))


def test_write_replaces_an_existing_file_atomically(tmp_path: Path) -> None:
    target = tmp_path / "CIB_global.scw"
    target.write_text("old")
    write_scw(read_scw(DATA / "CIB_global.scw"), target)
    assert read_scw(target).matrix.space == 36
    assert [p.name for p in tmp_path.iterdir()] == ["CIB_global.scw"]


def test_global_solution_list() -> None:
    assert read_sl(DATA / "CIB_global.sl") == (
        SolutionRecord((2, 3, 2), 4, 0, 0, 15, ""),
        SolutionRecord((3, 1, 3), 12, 1, 0, 12, ""),
        SolutionRecord((2, 2, 2), 1, 0, 0, 9, ""),
        SolutionRecord((1, 2, 3), 2, 0, 0, 8, ""),
    )


def test_nested_solution_list_keeps_rounded_weights() -> None:
    records = read_sl(DATA / "CIB_nested.sl")
    assert records[0].variants == (1, 1, 3, 3, 2, 2, 3, 1, 1, 1, 3, 1, 1, 1, 2, 3, 2)
    assert records[0].volume_weight == pytest.approx(1.677722e07)
    assert records[5].volume_weight == 5872748
    assert records[-1].total_impact_score == 100


@pytest.mark.parametrize(("stem", "count"), SOLUTION_LISTS)
def test_solution_lists_fit_their_projects(stem: str, count: int, tmp_path: Path) -> None:
    records = read_sl(DATA / f"{stem}.sl")
    counts = read_scw(DATA / f"{stem}.scw").matrix.counts.tolist()
    assert len(records) == count
    for record in records:
        assert len(record.variants) == len(counts)
        assert all(1 <= v <= c for v, c in zip(record.variants, counts, strict=True))
    copy = tmp_path / f"{stem}.sl"
    write_sl(records, copy, newline="\n")
    assert read_sl(copy) == records
    assert copy.read_bytes() == (DATA / f"{stem}.sl").read_bytes()


def test_solution_list_is_written_with_crlf(tmp_path: Path) -> None:
    target = tmp_path / "a.sl"
    write_sl([SolutionRecord((1, 12), 2.5e7, 0, 0, 30, "note")], target)
    assert target.read_bytes() == (
        b'$ ScenarioWizard 3.0\r\nSolution set\r\n 1 \r\n\r\n" 1 12",2.5E+07,0,0,30,"note"\r\n'
    )


def test_solution_list_refuses_what_it_cannot_store(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="solution 1: the text cannot hold"):
        write_sl([SolutionRecord((1, 2), text='a "b"')], tmp_path / "a.sl")
    with pytest.raises(ValidationError, match="solution 2: the volume weight"):
        write_sl([SolutionRecord((1, 2)), SolutionRecord((1, 1), float("nan"))], tmp_path / "a.sl")
    assert list(tmp_path.iterdir()) == []


# file, line, column, words the message must contain: for the first problem of each file.
# Lines and columns were read off the files by hand.
BROKEN_CASES = [
    ("scw-01-out-of-bound.scw", 44, 5, "judgement 120 is outside -99..+99"),
    ("scw-02-too-few-rows.scw", 52, None, "the matrix has 9 rows, expected 10"),
    ("scw-03-long-row.scw", 46, 11, "this row has 11 judgements, expected 10"),
    ("scw-04-not-integer.scw", 48, 3, "judgement '1.5' is not a whole number"),
    ("scw-05-utf16.scw", 1, None, "UTF-16"),
    ("scw-06-empty.scw", 1, None, "the file is empty"),
    ("scw-07-missing-header.scw", 1, None, "the first line should be '$ ScenarioWizard 4.0'"),
    ("scw-08-single-variant.scw", 6, None, "descriptor 'Policy' has only one variant"),
    ("scw-09-duplicate-variant.scw", 5, None, "two variants named 'Growth'"),
    ("scw-10-truncated.scw", 41, None, "the file ends before the cross-impact matrix"),
    ("scw-11-bad-colour.scw", 35, 1, "colour 'FFFFFG' is not an RGB colour"),
    ("scw-12-old-version.scw", 1, None, "this is a ScenarioWizard 3.5 file"),
    ("scw-13-extra-row.scw", 54, None, "the matrix has more rows than the 10 variants"),
    ("scw-14-unclosed-text.scw", 56, None, "is its closing '\"' missing?"),
    ("scw-15-short-names.scw", 17, None, "this descriptor has 2 variant short names, expected 3"),
    ("scw-16-bad-line.scw", 5, None, "expected '&descriptor' or ' -variant', found 'Ntl'"),
    ("sl-01-count-mismatch.sl", 3, None, "announces 5 solutions but the file lists 4"),
    ("sl-02-bad-variant.sl", 6, 1, "variant 'x' is not a number from 1 up"),
    ("sl-03-ragged.sl", 7, 1, "this solution names 2 variants, the first one 3"),
    ("sl-04-missing-field.sl", 8, None, "this one has 5"),
]


@pytest.mark.parametrize(("name", "line", "column", "words"), BROKEN_CASES)
def test_broken_files_are_located(name: str, line: int, column: int | None, words: str) -> None:
    path = BROKEN / name
    reader = read_sl if path.suffix == ".sl" else read_scw
    with pytest.raises(ValidationError) as caught:
        reader(path)
    problem = caught.value.problems[0]
    assert problem.path == str(path)
    assert (problem.line, problem.column) == (line, column)
    assert words in problem.message
    assert str(caught.value).startswith(f"{path}:{line}:")


def test_unreadable_files_are_format_errors(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="cannot read the file"):
        read_scw(tmp_path / "missing.scw")
    with pytest.raises(FormatError):
        read_scw(BROKEN / "scw-05-utf16.scw")


names = st.from_regex(r"[A-Za-z0-9éü_][A-Za-z0-9éü_ .()-]{0,10}[A-Za-z0-9)]", fullmatch=True)
texts = st.text(
    st.characters(codec="cp1252", exclude_characters='"\r', exclude_categories=("Cc",))
    | st.just("\n"),
    max_size=20,
)


@st.composite
def projects(draw: st.DrawFn) -> ScenarioWizardProject:
    descriptors = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    variants = tuple(
        tuple(draw(st.lists(names, min_size=2, max_size=3, unique=True))) for _ in descriptors
    )
    size = sum(len(group) for group in variants)
    values = draw(
        st.lists(st.integers(-SCW_BOUND, SCW_BOUND), min_size=size * size, max_size=size * size)
    )
    matrix = CrossImpactMatrix(tuple(descriptors), variants, np.array(values).reshape(size, size))
    n = len(descriptors)
    short = st.text(st.characters(codec="cp1252", exclude_categories=("Cc",)), max_size=4)
    return ScenarioWizardProject(
        title=draw(names),
        matrix=matrix,
        short_names=tuple(draw(short) for _ in range(n)),
        variant_short_names=tuple(tuple(draw(short) for _ in group) for group in variants),
        colours=tuple(
            tuple(draw(st.sampled_from(["FFFFFF", "00ff7F", "123456"])) for _ in group)
            for group in variants
        ),
        project_text=draw(texts),
        descriptor_texts=tuple(draw(texts) for _ in range(n)),
        impact_texts=tuple(tuple(draw(texts) for _ in range(n)) for _ in range(n)),
        newline=draw(st.sampled_from(["\r\n", "\n"])),
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(project=projects())
def test_any_project_survives_write_and_read(
    project: ScenarioWizardProject, tmp_path: Path
) -> None:
    target = tmp_path / "p.scw"
    write_scw(project, target)
    assert read_scw(target) == project


def test_a_broken_structure_reports_no_follow_on_problems() -> None:
    with pytest.raises(ValidationError) as caught:
        read_scw(BROKEN / "scw-16-bad-line.scw")
    assert len(caught.value.problems) == 1
