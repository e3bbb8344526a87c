"""Reading and writing study files: located errors, lossless round trips, atomic saves."""

from __future__ import annotations

from pathlib import Path

import pytest

from koers.errors import ValidationError
from koers.io import atomic, study_yaml

DATA = Path(__file__).parent.parent / "data" / "studies"
BROKEN = DATA / "broken"

# file, then (line, column, words the message must contain) for its first problem.
# Lines and columns were read off the files by hand.
CASES = [
    ("01-yaml-syntax", 28, 10, "expected ',' or ']'"),
    ("02-duplicate-yaml-key", 8, 1, 'duplicate key "language"'),
    ("03-unknown-key", 5, 1, "unknown key 'titel'; did you mean 'title'?"),
    ("04-missing-horizon", 1, 1, "'horizon' is missing"),
    ("05-municipality-code", 5, 15, "'GM34' is not a CBS municipality code"),
    ("06-impossible-date", 6, 10, "'2028-13-45' is not a date"),
    ("07-unknown-language", 7, 11, "language 'fr' is not allowed"),
    ("08-text-not-mapping", 3, 8, "write it as {nl: ..., en: ...}"),
    ("09-empty-text", 32, 16, "give the text in at least one language"),
    ("10-missing-default-language", 36, 11, "no 'nl' version"),
    ("11-duplicate-scenario-key", 35, 10, "two scenarios have the key 'overbruggen'"),
    ("12-duplicate-descriptor-key", 19, 10, "two descriptors have the key 'duur'"),
    ("13-duplicate-variant-key", 17, 14, "two variants of descriptor 'duur' have the key 'korter'"),
    ("14-axis-unknown", 27, 16, "did you mean 'verandering'?"),
    ("15-axis-three-poles", 29, 16, "axis 'verandering' has 3 variants"),
    ("16-same-axis-twice", 27, 16, "both axes are 'duur'"),
    (
        "17-quadrant-taken",
        40,
        15,
        "scenario 'aanpassen' names quadrant 'korter/minder', which 'overbruggen' already holds",
    ),
    ("18-unknown-pole", 37, 22, "pole 'lang' of axis 'duur'; did you mean 'langer'?"),
    ("19-pole-missing", 37, 15, "gives no pole for axis 'verandering'"),
    ("20-unknown-source", 45, 15, "cites source 'sio'"),
    ("21-source-origin-without-source", 44, 13, "comes from a source but names none"),
    ("22-quadrant-without-framing", 29, 15, "the study has no framing"),
    ("23-not-a-mapping", 1, None, "a study file is a mapping"),
    ("24-bad-key", 38, 10, "'aan passen' is not a valid key"),
    ("25-unknown-nested-key", 32, 5, "did you mean 'narrative'?"),
    ("26-future-format", 2, 9, "study format 2"),
    ("27-empty-file", 1, None, "a study file is a mapping"),
    ("28-axis-not-in-quadrant", 37, 58, "names 'tempo', which is not an axis"),
    ("29-not-utf8", 3, None, "not UTF-8"),
]


@pytest.mark.parametrize(("name", "line", "column", "words"), CASES, ids=[c[0] for c in CASES])
def test_broken_file_gives_located_message(
    name: str, line: int, column: int | None, words: str
) -> None:
    path = BROKEN / f"{name}.yaml"
    with pytest.raises(ValidationError) as caught:
        study_yaml.load(path)
    first = caught.value.problems[0]
    assert (first.path, first.line, first.column) == (str(path), line, column)
    assert words in first.message


def test_every_broken_file_is_in_the_table() -> None:
    assert sorted(p.stem for p in BROKEN.glob("*.yaml")) == [c[0] for c in CASES]


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        study_yaml.load(BROKEN / "22-quadrant-without-framing.yaml")
    lines = [problem.line for problem in caught.value.problems]
    assert lines == [29, 35, 38, 41]


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="cannot read the file"):
        study_yaml.load(tmp_path / "nothing.yaml")


def test_minimal_study_round_trips(tmp_path: Path) -> None:
    study = study_yaml.load(DATA / "minimal.yaml")
    target = tmp_path / "copy.yaml"
    study_yaml.save(study, target)
    assert study_yaml.load(target) == study


def test_save_keeps_comments_of_unchanged_parts(tmp_path: Path) -> None:
    target = tmp_path / "study.yaml"
    text = (DATA / "minimal.yaml").read_text(encoding="utf-8")
    target.write_text(text.replace("horizon:", "# agreed with the board\nhorizon:"), "utf-8")
    study = study_yaml.load(target)
    study_yaml.save(study.model_copy(update={"organisation": "Gemeente Anders"}), target)
    saved = target.read_text(encoding="utf-8")
    assert "# agreed with the board" in saved
    assert "organisation: Gemeente Anders" in saved
    assert "# A small, complete study used by the tests." in saved


def test_save_is_atomic_and_leaves_no_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "study.yaml"
    study = study_yaml.load(DATA / "minimal.yaml")
    study_yaml.save(study, target)
    before = target.read_bytes()

    def disk_full(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        study_yaml.save(study.model_copy(update={"organisation": "Elders"}), target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["study.yaml"]


def test_written_file_starts_with_format_and_has_stable_key_order() -> None:
    study = study_yaml.load(DATA / "minimal.yaml")
    text = study_yaml.dumps(study)
    keys = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert keys == [
        "format",
        "title",
        "organisation",
        "municipality",
        "horizon",
        "language",
        "sources",
        "descriptors",
        "framing",
        "scenarios",
    ]
    assert study_yaml.dumps(study_yaml.loads(text)) == text
