"""Workshop rounds on the Corona template, on SQLite and PostgreSQL: a two-round Delphi,
applying the aggregate, refusals with clear messages, and the CIB ensemble."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

import pytest

from koers.errors import ConflictError, NotFoundError, ValidationError
from koers.model import Study
from koers.services.rounds import Rounds, items_for
from koers.services.studies import new_study
from koers.store import Repository

START = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
KRAP = "duur:langer:financien:krap"  # the template judges it +1, with a section reason
GEZOND = "duur:korter:financien:gezond"  # the template judges it +1


@pytest.fixture(scope="module")
def corona() -> Study:
    return new_study("corona-lokale-besturen")


@pytest.fixture
def rounds(database_url: str) -> Iterator[Rounds]:
    ticks = itertools.count()
    repository = Repository.open(database_url)
    try:
        yield Rounds(repository, now=lambda: START + dt.timedelta(minutes=next(ticks)))
    finally:
        repository.close()


def test_a_two_round_delphi_ends_in_the_study(rounds: Rounds, corona: Study) -> None:
    study_id = rounds.repository.add_study(corona)
    first = rounds.open_round(
        study_id, "judgements", facilitator="fien", selection=[("duur", "financien")]
    )
    assert len(first.items) == 2 * 3  # duur has 2 variants, financien 3
    rounds.submit(first.id, "ann", {KRAP: 3, GEZOND: "+1"}, {KRAP: "Reserves raken op."})
    rounds.submit(first.id, "bob", {KRAP: 2}, {KRAP: "Het Rijk compenseert laat."})
    rounds.submit(first.id, "cas", {KRAP: -1})

    results = rounds.results(first.id)
    # -1, 2, 3: median 2; type-7 quartiles at h = 1.5 and 2.5: -1 + 0.5(3) = 0.5 and
    # 2 + 0.5(1) = 2.5, so the IQR is 2: no consensus.
    krap = results.summaries[KRAP]
    assert (krap.median, krap.q1, krap.q3, krap.iqr, krap.consensus) == (2, 0.5, 2.5, 2, False)
    assert results.participants == 3
    assert results.heat_map.rows == ("duur:korter", "duur:langer")
    assert results.heat_map.columns == ("financien:gezond", "financien:krap", "financien:tekort")
    cell = results.heat_map.cells[1][1]
    assert cell is not None and (cell.item, cell.value, cell.count) == (KRAP, 2.0, 3)
    assert results.heat_map.cells[1][0] is None  # no one judged langer -> gezond
    progress = rounds.progress(first.id, expected=["dirk"])
    assert progress.by_item[KRAP] == ("ann", "bob", "cas")
    assert progress.by_participant["dirk"] == ()

    rounds.close(first.id)
    second = rounds.second_round(first.id, facilitator="fien")
    assert (second.number, second.previous, second.items) == (2, first.id, first.items)
    view = rounds.group_view(second.id, "ann")
    krap_view = next(item for item in view.items if item.item == KRAP)
    assert krap_view.group is not None and krap_view.group.median == 2
    assert krap_view.reasons == ("Het Rijk compenseert laat.", "Reserves raken op.")
    assert (krap_view.own_before, krap_view.own_now) == (3.0, None)

    rounds.submit(second.id, "ann", {KRAP: 2})
    rounds.submit(second.id, "bob", {KRAP: 2})
    rounds.submit(second.id, "cas", {KRAP: 1})
    assert rounds.group_view(second.id, "ann").items[4].own_now == 2.0
    # 1, 2, 2: median 2; Q1 at h = 1.5: 1 + 0.5(1) = 1.5; Q3 at h = 2.5: 2; IQR 0.5 <= 1.
    assert rounds.results(second.id).summaries[KRAP].consensus is True
    rounds.close(second.id)
    applied = rounds.apply(second.id, by="fien")

    section = rounds.repository.get_study(study_id).study.judgement_section("duur", "financien")
    assert section is not None and section.score("langer", "krap") == 2
    assert section.score("korter", "gezond") == 1  # not asked in round 2: unchanged
    assert applied.state == "applied"
    assert applied.application is not None
    assert applied.application.participants == 3
    assert applied.application.values == {KRAP: 2.0}
    assert applied.application.by == "fien"
    assert rounds.get(second.id).application == applied.application


def test_a_closed_round_refuses_values_clearly(rounds: Rounds, corona: Study) -> None:
    study_id = rounds.repository.add_study(corona)
    round_ = rounds.open_round(study_id, "scores", facilitator="fien")
    rounds.close(round_.id)
    with pytest.raises(ConflictError, match=r"round \d+ is closed: it takes no more values"):
        rounds.submit(round_.id, "ann", {"jeugdzorg-veilig-thuis:overleven": 1})
    with pytest.raises(ConflictError, match="cannot be closed"):
        rounds.close(round_.id)


def test_bad_values_are_refused_with_their_place(rounds: Rounds, corona: Study) -> None:
    study_id = rounds.repository.add_study(corona)
    round_ = rounds.open_round(
        study_id, "judgements", facilitator="fien", selection=[("duur", "financien")]
    )
    with pytest.raises(ValidationError) as raised:
        rounds.submit(
            round_.id,
            "ann",
            {
                KRAP: 5,
                GEZOND: "veel",
                "duur:langer:economie:krimp": 1,
                "duur:korter:financien:krap": 1.5,
            },
            {"duur:langer:financien:tekort": "want"},
        )
    problems = {p.path: p.message for p in raised.value.problems}
    assert problems == {
        f"values.{KRAP}": "the judgement +5 is outside -3..+3; give a whole number from -3 to +3",
        f"values.{GEZOND}": "the judgement 'veel' is not a number; give a whole number from -3 "
        "to +3",
        "values.duur:langer:economie:krimp": f"round {round_.id} does not ask for "
        "duur:langer:economie:krimp; give only its items",
        "values.duur:korter:financien:krap": "the judgement 1.5 is not a whole number; give a "
        "whole number from -3 to +3",
        "reasons.duur:langer:financien:tekort": "a reason for duur:langer:financien:tekort "
        "without a value; give the value too",
    }
    assert rounds.repository.rounds.submissions(round_.id) == []  # all or nothing


def test_scores_enter_the_strategy_as_the_group(rounds: Rounds, corona: Study) -> None:
    study_id = rounds.repository.add_study(corona)
    round_ = rounds.open_round(
        study_id, "scores", facilitator="fien", selection=[("jeugdzorg-veilig-thuis",)], rule="mean"
    )
    assert len(round_.items) == 4  # one policy under four scenarios
    item = "jeugdzorg-veilig-thuis:overleven"
    for who, value in (("ann", 2), ("bob", 1), ("cas", -2), ("dirk", 2)):
        rounds.submit(round_.id, who, {item: value})
    rounds.close(round_.id)
    rounds.apply(round_.id, by="fien")
    strategy = rounds.repository.get_study(study_id).study.strategy
    assert strategy is not None
    group = [s for s in strategy.scores if s.participant == f"group/{round_.id}"]
    # mean (2 + 1 - 2 + 2) / 4 = 0.75, rounded half away from zero: 1.
    assert [(s.policy, s.scenario, s.score) for s in group] == [
        ("jeugdzorg-veilig-thuis", "overleven", 1)
    ]
    assert len(strategy.scores) == len(corona.strategy.scores) + 1  # type: ignore[union-attr]


def test_thresholds_move_the_trigger(rounds: Rounds, corona: Study) -> None:
    study_id = rounds.repository.add_study(corona)
    round_ = rounds.open_round(
        study_id, "thresholds", facilitator="fien", selection=[("faillissementen", "golf")]
    )
    assert [":".join(item) for item in round_.items] == ["faillissementen:golf:at_least"]
    for who, value in (("ann", "45"), ("bob", 38.5), ("cas", 50)):
        rounds.submit(round_.id, who, {"faillissementen:golf:at_least": value})
    rounds.close(round_.id)
    rounds.apply(round_.id, by="fien")
    study = rounds.repository.get_study(study_id).study
    trigger = next(t for t in study.indicator("faillissementen").triggers if t.key == "golf")
    assert trigger.when.at_least == 45.0  # the median of 38.5, 45, 50


def test_a_strong_group_judgement_gets_a_note(rounds: Rounds, corona: Study) -> None:
    study_id = rounds.repository.add_study(corona)
    round_ = rounds.open_round(
        study_id, "judgements", facilitator="fien", selection=[("financien", "duur")]
    )
    cell = "financien:tekort:duur:langer"
    rounds.submit(round_.id, "ann", {cell: 3}, {cell: "Geen geld voor maatregelen."})
    rounds.submit(round_.id, "bob", {cell: 2})
    rounds.close(round_.id)
    rounds.apply(round_.id, by="fien")
    section = rounds.repository.get_study(study_id).study.judgement_section("financien", "duur")
    assert section is not None and section.score("tekort", "langer") == 3  # 2.5 -> 3
    note = section.note("tekort", "langer")
    assert note is not None and note.en is not None
    assert note.en.startswith(f"Group judgement of round {round_.id} (median of 2 participants)")
    assert note.en.endswith("Reasons: Geen geld voor maatregelen.")


def test_applying_needs_a_closed_round_with_values(rounds: Rounds, corona: Study) -> None:
    study_id = rounds.repository.add_study(corona)
    round_ = rounds.open_round(study_id, "scores", facilitator="fien")
    with pytest.raises(ConflictError, match="is open: close it first"):
        rounds.apply(round_.id, by="fien")
    rounds.close(round_.id)
    with pytest.raises(ValidationError, match="no one gave a value"):
        rounds.apply(round_.id, by="fien")
    with pytest.raises(NotFoundError, match="first round"):
        rounds.group_view(round_.id, "ann")


def test_the_ensemble_has_one_member_per_participant(rounds: Rounds, corona: Study) -> None:
    study_id = rounds.repository.add_study(corona)
    round_ = rounds.open_round(
        study_id, "judgements", facilitator="fien", selection=[("duur", "financien")]
    )
    rounds.submit(round_.id, "ann", {KRAP: 1})
    rounds.submit(round_.id, "bob", {KRAP: -3})
    found = rounds.ensemble(round_.id, limit=10)
    assert found.participants == ("ann", "bob")
    # Each member is the study's matrix with the participant's own cell in place of the
    # study's +1: the members' sum holds 1 + (-3) = -2 there.
    total = found.ensemble.total
    variants = [
        (d, v) for d, names in zip(total.descriptors, total.variants, strict=True) for v in names
    ]
    row = variants.index(("duur", "langer"))
    column = variants.index(("financien", "krap"))
    assert int(total.judgements[row, column]) == 1 - 3


def test_selections_name_what_the_study_lacks(corona: Study) -> None:
    with pytest.raises(ValidationError) as raised:
        items_for(corona, "judgements", [("duur", "nergens"), ("duur", "duur")])
    assert [p.message for p in raised.value.problems] == [
        "there is no descriptor 'nergens'",
        "a descriptor has no judgements on itself",
    ]
    with pytest.raises(ValidationError, match="there is no trigger bijstand:golf"):
        items_for(corona, "thresholds", [("bijstand", "golf")])
    assert len(items_for(corona, "scores")) == 10 * 4  # ten policies, four scenarios


def test_bad_options_are_refused_at_once(rounds: Rounds, corona: Study) -> None:
    study_id = rounds.repository.add_study(corona)
    with pytest.raises(ValidationError) as raised:
        rounds.open_round(
            study_id,
            "wensen",  # type: ignore[arg-type]
            facilitator="fien",
            rule="modus",  # type: ignore[arg-type]
            tolerance=-1,
        )
    assert [p.path for p in raised.value.problems] == ["kind", "rule", "tolerance"]
    assert rounds.rounds(study_id) == []
