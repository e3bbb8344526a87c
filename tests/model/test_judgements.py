"""Cross-impact judgements in a study: the sections, their defaults and their invariants."""

from __future__ import annotations

import pytest

from koers.errors import Problem, ValidationError
from koers.io import study_yaml
from koers.model import JudgementSection, Study

BASE = """\
format: 1
title: {nl: Test, en: Test}
organisation: Gemeente Test
horizon: 2028-12-31
descriptors:
  - key: duur
    name: {nl: Duur, en: Duration}
    variants:
      - {key: korter, name: {nl: korter, en: shorter}}
      - {key: langer, name: {nl: langer, en: longer}}
  - key: financien
    name: {nl: Financiën, en: Finances}
    variants:
      - {key: ruim, name: {nl: ruim, en: ample}}
      - {key: krap, name: {nl: krap, en: tight}}
  - key: vertrouwen
    name: {nl: Vertrouwen, en: Trust}
    variants:
      - {key: hoog, name: {nl: hoog, en: high}}
      - {key: midden, name: {nl: midden, en: middle}}
      - {key: laag, name: {nl: laag, en: low}}
judgements:
"""

GOOD = """\
  - source: duur
    target: financien
    impacts:
      korter: {ruim: 1, krap: -1}
      langer: {ruim: -2, krap: 2}
    reason: {nl: Een lange crisis kost geld., en: A long crisis costs money.}
  - source: financien
    target: vertrouwen
    impacts:
      krap: {hoog: -1, laag: 1}
"""


def _load(sections: str) -> Study:
    return study_yaml.loads(BASE + sections, "test.yaml")


def _problems(sections: str) -> list[Problem]:
    with pytest.raises(ValidationError) as caught:
        _load(sections)
    return list(caught.value.problems)


def _at(sections: str, needle: str) -> tuple[int, int]:
    """1-based line and column in the whole file of ``needle``'s first place in ``sections``."""
    text = BASE + sections
    start = text.index(needle, len(BASE))
    line = text.count("\n", 0, start) + 1
    return line, start - text.rfind("\n", 0, start)


def _only(sections: str) -> Problem:
    problems = _problems(sections)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_a_good_study_reads_its_judgements() -> None:
    study = _load(GOOD)
    section = study.judgement_section("duur", "financien")
    assert isinstance(section, JudgementSection)
    assert section.score("langer", "krap") == 2
    assert section.strongest == 2
    assert study.judgement_section("financien", "duur") is None


def test_a_judgement_not_written_is_zero() -> None:
    section = _load(GOOD).judgement_section("financien", "vertrouwen")
    assert section is not None
    assert section.score("krap", "midden") == 0  # variant written, target variant not
    assert section.score("ruim", "hoog") == 0  # source variant not written at all


def test_a_section_of_weak_judgements_needs_no_reason() -> None:
    section = _load(GOOD).judgement_section("financien", "vertrouwen")
    assert section is not None
    assert section.reason is None


def test_a_study_without_judgements_is_fine() -> None:
    assert _load("  []\n").judgements == ()


def test_the_judgements_survive_a_round_trip() -> None:
    study = _load(GOOD)
    assert study_yaml.loads(study_yaml.dumps(study)) == study


# One broken case per rule: (sections, needle the problem points at, words of the message).
SOURCE_UNKNOWN = """\
  - source: dur
    target: financien
    impacts: {korter: {ruim: 1}}
"""
TARGET_UNKNOWN = """\
  - source: duur
    target: financen
    impacts: {korter: {ruim: 1}}
"""
SELF_IMPACT = """\
  - source: duur
    target: duur
    impacts: {korter: {langer: -1}}
"""
SOURCE_VARIANT_UNKNOWN = """\
  - source: duur
    target: financien
    impacts: {langr: {ruim: 1}}
"""
TARGET_VARIANT_UNKNOWN = """\
  - source: duur
    target: vertrouwen
    impacts: {korter: {hoog: 1, middel: 1}}
"""
OUT_OF_RANGE = """\
  - source: duur
    target: financien
    impacts: {langer: {krap: 4}}
    reason: {nl: Heel sterk., en: Very strong.}
"""
NOT_WHOLE = """\
  - source: duur
    target: financien
    impacts: {langer: {krap: 1.5}}
"""
NOT_A_NUMBER = """\
  - source: duur
    target: financien
    impacts: {langer: {krap: veel}}
"""
TWICE = """\
  - source: duur
    target: financien
    impacts: {langer: {krap: 1}}
  - source: duur
    target: financien
    impacts: {korter: {ruim: 1}}
"""
NO_REASON = """\
  - source: duur
    target: financien
    impacts: {langer: {krap: -2}}
"""
REASON_NOT_IN_STUDY_LANGUAGE = """\
  - source: duur
    target: financien
    impacts: {langer: {krap: 3}}
    reason: {en: A long crisis costs money.}
"""
NOTE_SOURCE_VARIANT_UNKNOWN = """\
  - source: duur
    target: financien
    impacts: {langer: {krap: 1}}
    notes:
      langr: {krap: {nl: Kost geld., en: Costs money.}}
"""
NOTE_TARGET_VARIANT_UNKNOWN = """\
  - source: duur
    target: financien
    impacts: {langer: {krap: 1}}
    notes:
      langer: {krp: {nl: Kost geld., en: Costs money.}}
"""
STRONG_WITHOUT_NOTE = """\
  - source: duur
    target: financien
    impacts: {langer: {ruim: -2, krap: 2}}
    notes:
      langer: {krap: {nl: Kost geld., en: Costs money.}}
"""
NOTE_NOT_IN_STUDY_LANGUAGE = """\
  - source: duur
    target: financien
    impacts: {langer: {krap: 1}}
    notes:
      langer: {krap: {en: Costs money.}}
"""

CASES = [
    (
        "source-unknown",
        SOURCE_UNKNOWN,
        "dur\n",
        "source 'dur' is not a descriptor; did you mean 'duur'?",
    ),
    (
        "target-unknown",
        TARGET_UNKNOWN,
        "financen",
        "target 'financen' is not a descriptor; did you mean 'financien'?",
    ),
    (
        "self-impact",
        SELF_IMPACT,
        "duur\n    impacts",
        "'duur' on itself: a study does not write self-impacts",
    ),
    (
        "source-variant-unknown",
        SOURCE_VARIANT_UNKNOWN,
        "{ruim",
        "'langr' is not a variant of 'duur'; did you mean 'langer'?",
    ),
    (
        "target-variant-unknown",
        TARGET_VARIANT_UNKNOWN,
        "1}}",
        "'middel' is not a variant of 'vertrouwen'; did you mean 'midden'?",
    ),
    ("out-of-range", OUT_OF_RANGE, "4}}", "judgement +4 of 'langer' on 'krap' is outside -3..+3"),
    ("not-whole", NOT_WHOLE, "1.5", "judgement 1.5 is not a whole number"),
    ("not-a-number", NOT_A_NUMBER, "veel", "judgement 'veel' is not a number"),
    ("twice", TWICE, "financien\n    impacts: {korter", "are written twice (sections 1 and 2)"),
    ("no-reason", NO_REASON, "source", "include a strong one (±2 or more) but no reason"),
    ("reason-language", REASON_NOT_IN_STUDY_LANGUAGE, "{en: A long", "no 'nl' version"),
    (
        "note-source-variant-unknown",
        NOTE_SOURCE_VARIANT_UNKNOWN,
        "{krap: {nl",
        "note on the judgements of 'duur' on 'financien': 'langr' is not a variant of 'duur'; "
        "did you mean 'langer'?",
    ),
    (
        "note-target-variant-unknown",
        NOTE_TARGET_VARIANT_UNKNOWN,
        "{nl: Kost",
        "'krp' is not a variant of 'financien'; did you mean 'krap'?",
    ),
    (
        "strong-without-note",
        STRONG_WITHOUT_NOTE,
        "source",
        "include a strong one (±2 or more) but no reason ('langer' on 'ruim')",
    ),
    ("note-language", NOTE_NOT_IN_STUDY_LANGUAGE, "{en: Costs", "no 'nl' version"),
]


@pytest.mark.parametrize(
    ("sections", "needle", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_broken_section_is_reported_where_it_is(sections: str, needle: str, words: str) -> None:
    problem = _only(sections)
    assert words in problem.message
    assert problem.path == "test.yaml"
    assert (problem.line, problem.column) == _at(sections, needle)


def test_a_note_on_every_strong_judgement_stands_in_for_the_reason() -> None:
    sections = STRONG_WITHOUT_NOTE.replace(
        "langer: {krap:", "langer: {ruim: {nl: Zuinig., en: Frugal.}, krap:"
    )
    section = _load(sections).judgement_section("duur", "financien")
    assert section is not None
    assert section.reason is None
    note = section.note("langer", "ruim")
    assert note is not None
    assert note.en == "Frugal."


def test_a_note_may_explain_no_influence() -> None:
    sections = NOTE_SOURCE_VARIANT_UNKNOWN.replace("langr", "korter")
    section = _load(sections).judgement_section("duur", "financien")
    assert section is not None
    assert section.score("korter", "krap") == 0
    assert section.note("korter", "krap") is not None


def test_notes_survive_a_round_trip() -> None:
    study = _load(STRONG_WITHOUT_NOTE + "    reason: {nl: Geld., en: Money.}\n")
    text = study_yaml.dumps(study)
    assert "notes:" in text
    assert study_yaml.loads(text) == study


def test_a_section_without_notes_writes_none() -> None:
    assert "notes" not in study_yaml.dumps(_load(GOOD))


def test_every_problem_is_reported_at_once() -> None:
    sections = SOURCE_VARIANT_UNKNOWN + NO_REASON.replace(
        "target: financien", "target: vertrouwen"
    ).replace("krap", "laag")
    sections += SELF_IMPACT
    messages = [p.message for p in _problems(sections)]
    assert len(messages) == 3
    assert "did you mean 'langer'" in messages[0]
    assert "no reason" in messages[1]
    assert "self-impacts" in messages[2]


def test_an_unknown_descriptor_does_not_also_flag_its_variants() -> None:
    # Only the descriptor is wrong; its variants cannot be judged and are not reported.
    problems = _problems(SOURCE_UNKNOWN.replace("ruim", "rum"))
    assert [p.message.split("; ")[0].split(": ", 1)[1] for p in problems] == [
        "source 'dur' is not a descriptor",
        "'rum' is not a variant of 'financien'",
    ]
