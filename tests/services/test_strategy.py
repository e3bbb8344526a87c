"""The strategy service: registers into a study file or a database study, and the review.

The review's figures are computed by hand below from the scores of
tests/data/strategy/scores-two-participants.csv (two participants, Anna and Bram, three
policies, the four scenarios of the Corona template).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from koers.errors import ConflictError, ValidationError
from koers.io.registers import RegisterCounts
from koers.model import Study, Text
from koers.model.strategy import Decision, Strategy
from koers.services import signals, targets
from koers.services.strategy import (
    export_registers,
    import_registers,
    review,
    review_document,
    review_target,
    scenario_likelihoods,
)
from koers.services.studies import DEMO_MUNICIPALITY, create_study, demo_observations, new_study
from koers.store.repository import Repository

DATA = Path(__file__).parents[1] / "data" / "strategy"
NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
POLICIES = ("armoedebeleid-en-schuldhulp", "ondersteuning-lokale-ondernemers", "stadsfestival")


@pytest.fixture
def bare(tmp_path: Path) -> targets.FileTarget:
    """A copy of the Corona template without its worked example."""
    study = new_study("corona-lokale-besturen", municipality=DEMO_MUNICIPALITY)
    study = study.model_copy(update={"strategy": None})
    path = tmp_path / "study.yaml"
    create_study(study, path)
    return targets.FileTarget(path, study)


def _judged(target: targets.FileTarget) -> Study:
    import_registers(target, DATA / "beleid.xlsx")
    import_registers(target, DATA / "scores-two-participants.csv")
    return target.study


def test_import_writes_the_study_file_and_a_reimport_changes_nothing(
    bare: targets.FileTarget,
) -> None:
    summary = import_registers(bare, DATA / "beleid.xlsx")
    assert summary.counts == {"policies": RegisterCounts(added=3)}
    written = bare.path.read_bytes()
    assert b"armoedebeleid-en-schuldhulp" in written
    assert targets.FileTarget(bare.path, bare.study).study == bare.study
    again = import_registers(bare, DATA / "beleid.xlsx")
    assert again.counts == {"policies": RegisterCounts(unchanged=3)} and not again.changed
    assert bare.path.read_bytes() == written


@pytest.mark.parametrize(
    "name", ["bad-scores.csv", "bad-policies.csv", "empty.csv", "not-a-zip.xlsx", "bad.xlsx"]
)
def test_a_bad_import_changes_nothing(bare: targets.FileTarget, name: str) -> None:
    import_registers(bare, DATA / "beleid.xlsx")
    before = bare.path.read_bytes()
    with pytest.raises(ValidationError):
        import_registers(bare, DATA / name)
    assert bare.path.read_bytes() == before


def test_a_rule_of_the_study_is_located_in_the_row(
    bare: targets.FileTarget, tmp_path: Path
) -> None:
    """A negative budget reads as a number but breaks the study's rule: the row is named."""
    path = tmp_path / "beleid.csv"
    path.write_text("naam,budget\nGoed,5\nSchuld,-5000\n", encoding="utf-8")
    before = bare.path.read_bytes()
    with pytest.raises(ValidationError) as caught:
        import_registers(bare, path)
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.column) == (str(path), 3, 2)
    assert problem.message.startswith("budget: policy 'schuld' has a negative budget (-5000.0)")
    assert bare.path.read_bytes() == before


def test_the_review_by_hand(bare: targets.FileTarget) -> None:
    study = _judged(bare)
    result = review(study)
    assert [p.key for p in result.policies] == list(POLICIES)
    poverty, business, festival = result.policies
    # Means per scenario (overbruggen, overleven, aanpassen, transformeren):
    #   poverty:  Anna 2 2 1 1, Bram 1 2 1 2  -> 1.5, 2.0, 1.0, 1.5
    #   business: Anna 2 1 0 -1, Bram 1 1 -1 -1 -> 1.5, 1.0, -0.5, -1.0
    #   festival: Anna 1 -2 -1 -2, Bram 0 -2 -2 -1 -> 0.5, -2.0, -1.5, -1.5
    assert [c.value for c in poverty.cells] == [1.5, 2.0, 1.0, 1.5]
    assert [c.value for c in business.cells] == [1.5, 1.0, -0.5, -1.0]
    assert [c.value for c in festival.cells] == [0.5, -2.0, -1.5, -1.5]
    first = poverty.cells[0]
    # Anna 2, Bram 1: range 1..2, population deviation sqrt(((2-1.5)^2 + (1-1.5)^2) / 2) = 0.5
    assert (first.low, first.high, first.deviation, first.scores) == (
        1.0,
        2.0,
        0.5,
        {"Anna": 2.0, "Bram": 1.0},
    )
    # Worst case: min over the row.
    assert [p.worst for p in result.policies] == [1.0, -1.0, -2.0]
    # Best per scenario: 1.5, 2.0, 1.0, 1.5. Regrets: poverty 0 0 0 0; business 0 1 1.5 2.5;
    # festival 1 4 2.5 3.
    assert [(p.regret, p.regret_in) for p in result.policies] == [
        (0.0, ("overbruggen", "overleven", "aanpassen", "transformeren")),
        (2.5, ("transformeren",)),
        (4.0, ("overleven",)),
    ]
    # Threshold 1 (the default): 4 of 4, 2 of 4, 0 of 4 scenarios.
    assert [p.satisficing for p in result.policies] == [1.0, 0.5, 0.0]
    # Equal weights: (1.5+2+1+1.5)/4 = 1.5; (1.5+1-0.5-1)/4 = 0.25; (0.5-2-1.5-1.5)/4 = -1.125
    assert [p.expected for p in result.policies] == [1.5, 0.25, -1.125]
    assert [p.verdict for p in result.policies] == ["keep", "adapt", "let-go"]
    assert [r.kind for r in business.reasons] == ["fails-in"]
    assert business.reasons[0].scenarios == ("aanpassen", "transformeren")
    assert [r.kind for r in festival.reasons] == ["fails-in", "fails-in-likely"]
    # No policy reaches +1 in no scenario: no gaps.
    assert result.gaps == ()
    assert (result.source, result.month) == ("equal", None)


def test_likelihoods_weigh_the_expected_value_and_the_likely_scenarios(
    bare: targets.FileTarget,
) -> None:
    study = _judged(bare)
    likelihoods = {"overbruggen": 0.5, "overleven": 0.3, "aanpassen": 0.2, "transformeren": 0.0}
    result = review(study, likelihoods)
    # business: 0.5*1.5 + 0.3*1.0 + 0.2*(-0.5) + 0*(-1) = 0.95
    assert math.isclose(result.policies[1].expected or 0, 0.95)
    # overbruggen alone holds half the mass: the only likely scenario. The festival fails
    # there (0.5 < 1) and is let go; business is fit there and is adapted.
    assert result.likely == ("overbruggen",)
    assert [p.verdict for p in result.policies] == ["keep", "adapt", "let-go"]
    assert result.source == "given"


def test_a_decision_overrules_and_is_shown(bare: targets.FileTarget) -> None:
    study = _judged(bare)
    assert study.strategy is not None
    decision = Decision(
        policy="stadsfestival",
        verdict="adapt",
        reason=Text(nl="Kleiner in de wijken"),
        decided_by="college",
        decided_on=dt.date(2026, 3, 10),
    )
    strategy = study.strategy.model_copy(update={"decisions": (decision,)})
    festival = review(study.model_copy(update={"strategy": strategy})).policies[2]
    assert (festival.recommended, festival.verdict, festival.overruled) == (
        "let-go",
        "adapt",
        True,
    )
    assert festival.decision is not None and festival.decision.decided_on == "2026-03-10"


def test_a_gap_is_a_scenario_no_policy_serves(bare: targets.FileTarget, tmp_path: Path) -> None:
    import_registers(bare, DATA / "beleid.xlsx")
    path = tmp_path / "scores.csv"
    path.write_text("policy,scenario,participant,score\nstadsfestival,overleven,An,-1\n")
    import_registers(bare, path)
    result = review(bare.study)
    assert [(g.scenario, g.best, g.score) for g in result.gaps] == [
        ("overbruggen", None, None),
        ("overleven", "stadsfestival", -1.0),
        ("aanpassen", None, None),
        ("transformeren", None, None),
    ]


def test_the_review_as_json(bare: targets.FileTarget) -> None:
    document = review_document(review(_judged(bare)))
    assert document["scenarios"][0] == {
        "key": "overbruggen",
        "name": {"nl": "Overbruggen", "en": "Bridging"},
    }
    policy = document["policies"][0]
    assert policy["name"] == {"nl": "Armoedebeleid en schuldhulp", "en": None}
    assert policy["cells"][0]["scores"] == {"Anna": 2.0, "Bram": 1.0}
    assert policy["reasons"][0]["text"] == "fit in every scenario it was judged in"


def test_the_signals_weigh_the_review_when_there_are_observations(
    bare: targets.FileTarget,
) -> None:
    _judged(bare)
    assert scenario_likelihoods(bare) == (None, None)
    signals.import_file(bare, demo_observations(), now=NOW)
    likelihoods, month = scenario_likelihoods(bare)
    status = signals.signal_status(bare)
    assert likelihoods == {s.key: s.likelihood for s in status.scenarios}
    assert month == status.month is not None
    result = review_target(bare)
    assert (result.source, result.month) == ("signals", month)
    total = sum(likelihoods.values())
    business = result.policies[1]
    values = [c.value or 0.0 for c in business.cells]
    weights = [likelihoods[key] / total for key, _ in result.scenarios]
    assert math.isclose(
        business.expected or 0, sum(w * v for w, v in zip(weights, values, strict=True))
    )


def test_export_then_import_changes_nothing(bare: targets.FileTarget, tmp_path: Path) -> None:
    study = _judged(bare)
    path = tmp_path / "registers.xlsx"
    assert export_registers(study, path) == ("policies", "scores", "assumptions", "initiatives")
    before = bare.path.read_bytes()
    summary = import_registers(bare, path)
    assert summary.counts["policies"] == RegisterCounts(unchanged=3)
    assert summary.counts["scores"] == RegisterCounts(unchanged=24)
    assert bare.path.read_bytes() == before


def test_a_database_study(database_url: str) -> None:
    study = new_study("corona-lokale-besturen").model_copy(update={"strategy": None})
    with Repository.open(database_url) as repository:
        study_id = repository.add_study(study)
        target = targets.DatabaseTarget(repository, study_id, study)
        summary = import_registers(target, DATA / "beleid.xlsx")
        assert summary.counts == {"policies": RegisterCounts(added=3)}
        stored = repository.get_study(study_id)
        assert stored.versions["study"] == 2
        assert stored.study.strategy is not None
        assert [p.key for p in stored.study.strategy.policies] == list(POLICIES)
        assert target.study == stored.study
        import_registers(target, DATA / "scores-two-participants.csv")
        assert review(repository.get_study(study_id).study).policies[2].verdict == "let-go"
        # A bad file leaves the stored study as it was.
        with pytest.raises(ValidationError):
            import_registers(target, DATA / "bad-scores.csv")
        assert repository.get_study(study_id).versions["study"] == 3


def test_a_database_study_changed_meanwhile_is_a_conflict(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = new_study("corona-lokale-besturen").model_copy(update={"strategy": Strategy()})
    with Repository.open(database_url) as repository:
        study_id = repository.add_study(study)
        target = targets.DatabaseTarget(repository, study_id, study)
        real = repository.get_study

        def stale(study_id: int) -> object:
            """The study as read, after which someone else changes its fields."""
            stored = real(study_id)
            repository.update_study(study_id, {"organisation": "Gemeente Y"}, version=1)
            return stored

        monkeypatch.setattr(repository, "get_study", stale)
        with pytest.raises(ConflictError):
            import_registers(target, DATA / "beleid.xlsx")
        monkeypatch.undo()
        assert repository.get_study(study_id).study.strategy == Strategy()
