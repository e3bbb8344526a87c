"""The built-in template 'corona-lokale-besturen': Sioo's four scenarios, in Koers's own words."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from pydantic import BaseModel

from koers.io import study_yaml
from koers.methods.cib.from_study import study_matrix
from koers.model import Study, Text

TEMPLATE = Path(str(resources.files("koers.templates") / "corona-lokale-besturen.yaml"))
# CI runs with a copy of shared/ beside the clone: <root>/../shared/sources/...
SOURCE = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "sources"
    / "sioo-transformeren-2020.txt"
)

QUADRANTS = {
    "overbruggen": ("korter", "minder"),
    "overleven": ("langer", "minder"),
    "aanpassen": ("korter", "meer"),
    "transformeren": ("langer", "meer"),
}
SYNTHESES = ["overbruggen", "overleven", "aanpassen"]


@pytest.fixture(scope="module")
def study() -> Study:
    return study_yaml.load(TEMPLATE)


def _texts(node: object, where: str = "") -> Iterator[tuple[str, Text]]:
    if isinstance(node, Text):
        yield where, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _texts(getattr(node, name), f"{where}.{name}")
    elif isinstance(node, tuple | list):
        for index, item in enumerate(node):
            yield from _texts(item, f"{where}[{index}]")
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, f"{where}.{key}")


def _normal(text: str) -> str:
    """Lower case, one space between words, straight quotes."""
    text = text.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'-]+", _normal(text))


def _source_text() -> str:
    if not SOURCE.exists():
        pytest.skip(f"the Sioo source text is not beside the clone ({SOURCE}); nothing to compare")
    return SOURCE.read_text(encoding="utf-8")


def test_metadata(study: Study) -> None:
    assert study.language == "nl"
    assert study.organisation == "Voorbeeldgemeente"
    assert study.municipality is None  # the user supplies the CBS code
    assert study.horizon == dt.date(2028, 12, 31)
    assert study.description is not None
    (source,) = study.sources
    assert source.key == "sioo-2020"
    assert source.publisher == "Sioo"
    assert source.published == dt.date(2020, 6, 30)
    assert source.url is None
    assert source.note is not None
    assert "vierde" in source.note.get("nl").lower()
    assert "fourth" in source.note.get("en").lower()


def test_axes_are_duration_and_change(study: Study) -> None:
    duur, verandering = study.axes()
    assert (duur.key, verandering.key) == ("duur", "verandering")
    assert [v.key for v in duur.variants] == ["korter", "langer"]
    assert [v.key for v in verandering.variants] == ["minder", "meer"]
    assert study.framing is not None
    assert study.framing.question is not None


@pytest.mark.parametrize(("key", "poles"), QUADRANTS.items())
def test_scenario_sits_in_its_quadrant(study: Study, key: str, poles: tuple[str, str]) -> None:
    duur, verandering = study.axes()
    horizontal, vertical = duur.variant(poles[0]), verandering.variant(poles[1])
    assert horizontal is not None and vertical is not None
    assert study.quadrant_scenario(horizontal, vertical).key == key
    assert study.scenario(key).quadrant == {"duur": poles[0], "verandering": poles[1]}


def test_transformeren_comes_from_the_source(study: Study) -> None:
    scenario = study.scenario("transformeren")
    assert scenario.origin == "source"
    assert scenario.sources == ("sioo-2020",)


@pytest.mark.parametrize("key", SYNTHESES)
def test_other_scenarios_are_koers_own_elaboration(study: Study, key: str) -> None:
    scenario = study.scenario(key)
    assert scenario.origin == "synthesis"
    assert scenario.sources == ("sioo-2020",)
    said = " ".join(
        (text.nl or "") + " " + (text.en or "")
        for text in (scenario.summary, scenario.narrative)
        if text is not None
    )
    assert "eigen uitwerking" in said
    assert "own elaboration" in said


@pytest.mark.parametrize("key", list(QUADRANTS))
def test_scenario_is_worked_out(study: Study, key: str) -> None:
    scenario = study.scenario(key)
    assert scenario.summary and scenario.narrative and scenario.leadership
    for language in ("nl", "en"):
        words = len(scenario.narrative.get(language).split())
        assert 120 <= words <= 200, f"{key} narrative ({language}) has {words} words"
    assert 4 <= len(scenario.focus) <= 7
    assert 4 <= len(scenario.questions) <= 7
    assert 3 <= len(scenario.implications) <= 5


def test_transformeren_carries_the_themes_of_the_source(study: Study) -> None:
    scenario = study.scenario("transformeren")
    said = _normal(" ".join(t.nl or "" for _, t in _texts(scenario)))
    for theme in [
        "gedrag en waarden",
        "staatsschuld",
        "krappe begroting",
        "data",
        "collegeperiode",
        "laten we los",
        "jeugdbescherming, veilig thuis en politie",
        "geweld",
        "vervreemding",
        "rouw",
        "burn-out",
        "enabling leadership",
        "conflicten tussen groepen",
        "zekerheden",
        "signalen",
    ]:
        assert theme in said, theme


def test_every_text_in_dutch_and_english(study: Study) -> None:
    texts = list(_texts(study))
    assert len(texts) > 50
    missing = [where for where, text in texts if not (text.has("nl") and text.has("en"))]
    assert missing == []


def test_no_sentence_of_the_source_is_copied(study: Study) -> None:
    source = _source_text()
    sentences = [
        _normal(sentence).strip("\"' ") for sentence in re.split(r"(?<=[.?!:\u201d])\s+|\n", source)
    ]
    title = _normal(study.sources[0].title)  # the citation names the post by its title
    long_ones = [s for s in sentences if len(s.split()) >= 8 and s.rstrip(":") not in title]
    assert len(long_ones) > 20  # the split found the source's sentences
    written = [_normal(TEMPLATE.read_text(encoding="utf-8"))]
    written += [
        _normal(getattr(text, lang) or "") for _, text in _texts(study) for lang in ("nl", "en")
    ]
    copied = [s for s in long_ones if any(s in text for text in written)]
    assert copied == []


def test_no_run_of_eight_words_of_the_source(study: Study) -> None:
    """Stricter than whole sentences: no eight consecutive words are taken over."""
    source = _words(_source_text())
    runs = {tuple(source[i : i + 8]) for i in range(len(source) - 7)}
    found = []
    for where, text in _texts(study):
        for language in ("nl", "en"):
            words = _words(getattr(text, language) or "")
            found += [
                (where, " ".join(words[i : i + 8]))
                for i in range(len(words) - 7)
                if tuple(words[i : i + 8]) in runs
            ]
    assert found == []


# -- the cross-impact factors --------------------------------------------------------------

AXES = ("duur", "verandering")


def test_the_axes_have_municipal_factors_beside_them(study: Study) -> None:
    factors = [d for d in study.descriptors if d.key not in AXES]
    assert 8 <= len(factors) <= 10
    for descriptor in factors:
        assert 2 <= len(descriptor.variants) <= 4, descriptor.key
        assert descriptor.description is not None
        assert all(variant.description is not None for variant in descriptor.variants)


def test_the_axes_act_and_are_acted_on(study: Study) -> None:
    for axis in AXES:
        assert any(section.source == axis for section in study.judgements), axis
        assert any(section.target == axis for section in study.judgements), axis


def test_every_judgement_section_says_why(study: Study) -> None:
    assert len(study.judgements) >= 30
    assert all(section.reason is not None for section in study.judgements)


def test_the_matrix_has_every_descriptor_in_study_order(study: Study) -> None:
    matrix = study_matrix(study)
    assert matrix.descriptors == tuple(d.key for d in study.descriptors)
    assert matrix.judgements.shape == (matrix.offsets[-1], matrix.offsets[-1])
    assert int(abs(matrix.judgements).max()) <= 3


@pytest.fixture(scope="module")
def pictures(study: Study) -> dict[str, list[dict[str, str]]]:
    """Per scenario, the consistent full pictures with the axes fixed to its quadrant."""
    solver = pytest.importorskip("koers.methods.cib.solve")
    matrix = study_matrix(study)
    found = {}
    for scenario in study.scenarios:
        assert scenario.quadrant is not None
        fixed = {
            index: matrix.variants[index].index(scenario.quadrant[axis])
            for index, axis in enumerate(matrix.descriptors)
            if axis in AXES
        }
        solution = solver.solve(matrix, fixed=fixed)
        found[scenario.key] = [
            {
                key: matrix.variants[i][v]
                for i, (key, v) in enumerate(zip(matrix.descriptors, row, strict=True))
            }
            for row in solution.scenarios.tolist()
        ]
    return found


@pytest.mark.parametrize("key", list(QUADRANTS))
def test_each_quadrant_has_a_consistent_full_picture(
    pictures: dict[str, list[dict[str, str]]], key: str
) -> None:
    assert pictures[key], f"no consistent scenario in quadrant {key}"


def test_transformeren_matches_the_source_picture(
    pictures: dict[str, list[dict[str, str]]],
) -> None:
    # The themes of the Sioo post: tight budgets, a faster digital transition, a larger
    # role for government, more violence within families, staff under strain.
    for picture in pictures["transformeren"]:
        assert picture["financien"] == "krap"
        assert picture["digitaal"] == "versneld"
        assert picture["overheidsrol"] == "groter"
        assert picture["geweld"] == "stijgend"
        assert picture["medewerkers"] == "overbelast"
