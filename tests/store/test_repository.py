"""The repository on SQLite and PostgreSQL: round trips, edits, conflicts, rollbacks, deletes."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
import sqlalchemy as sa

from koers.errors import ConflictError, NotFoundError, ValidationError
from koers.io import study_yaml
from koers.model import Study, Text
from koers.store import Repository, StoredStudy
from koers.store import engine as engines

# -- whole studies ---------------------------------------------------------------------------


def test_the_corona_template_round_trips(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    stored = repo.get_study(study_id)
    assert stored.id == study_id
    assert stored.study == corona
    # Equal YAML means equal order too: descriptors, scenarios, sections and their cells.
    assert study_yaml.dumps(stored.study) == study_yaml.dumps(corona)


def test_every_object_starts_at_version_1(repo: Repository, corona: Study) -> None:
    stored = repo.get_study(repo.add_study(corona))
    expected = {
        "study",
        *(f"descriptor:{d.key}" for d in corona.descriptors),
        *(f"scenario:{s.key}" for s in corona.scenarios),
        *(f"judgements:{j.source}:{j.target}" for j in corona.judgements),
    }
    assert set(stored.versions) == expected
    assert set(stored.versions.values()) == {1}


def test_a_study_with_nothing_in_it_round_trips(repo: Repository) -> None:
    study = Study(title=Text(en="Empty"), organisation="X", horizon="2040-01-01", language="en")
    assert repo.get_study(repo.add_study(study)).study == study


def test_studies_are_listed_newest_first(repo: Repository, corona: Study) -> None:
    first = repo.add_study(corona)
    second = repo.add_study(corona.model_copy(update={"organisation": "Gemeente Twee"}))
    assert [summary.id for summary in repo.list_studies()] == [second, first]
    repo.update_study(first, {"organisation": "Gemeente Een"}, version=1)
    summaries = repo.list_studies()
    assert [summary.id for summary in summaries] == [first, second]
    newest = summaries[0]
    assert (newest.title, newest.organisation, newest.language, newest.version) == (
        corona.title,
        "Gemeente Een",
        "nl",
        2,
    )
    assert newest.updated.tzinfo is not None
    assert newest.updated > summaries[1].updated


def test_an_empty_database_lists_no_studies(repo: Repository) -> None:
    assert repo.list_studies() == []


def test_a_missing_study_is_not_found(repo: Repository) -> None:
    with pytest.raises(NotFoundError, match="no study with id 42"):
        repo.get_study(42)
    with pytest.raises(NotFoundError):
        repo.delete_study(42)
    with pytest.raises(NotFoundError):
        repo.update_study(42, {"organisation": "X"}, version=1)
    with pytest.raises(NotFoundError):
        repo.set_judgement(42, "a", "b", "c", "d", 1, None)


def test_deleting_a_study_removes_all_its_rows(
    repo: Repository, corona: Study, database_url: str
) -> None:
    gone = repo.add_study(corona)
    kept = repo.add_study(corona)
    repo.delete_study(gone)
    with pytest.raises(NotFoundError):
        repo.get_study(gone)
    assert repo.get_study(kept).study == corona
    engine = engines.create(database_url)
    try:
        with engine.connect() as connection:
            for table in ("descriptors", "scenarios", "judgement_sections"):
                count = sa.text(f"SELECT count(*) FROM {table} WHERE study_id = :id")
                assert connection.execute(count, {"id": gone}).scalar_one() == 0, table
                assert connection.execute(count, {"id": kept}).scalar_one() > 0, table
    finally:
        engine.dispose()


def test_the_database_cascades_a_delete_by_itself(repo: Repository, corona: Study) -> None:
    # A plain DELETE, not through the repository: the foreign keys do the cascading.
    study_id = repo.add_study(corona)
    engine = repo._engine
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM studies WHERE id = :id"), {"id": study_id})
    with engine.connect() as connection:
        left = connection.execute(sa.text("SELECT count(*) FROM scenarios")).scalar_one()
    assert left == 0


# -- edits -------------------------------------------------------------------------------------


def _unchanged(repo: Repository, before: StoredStudy) -> None:
    after = repo.get_study(before.id)
    assert after.study == before.study
    assert after.versions == before.versions


def test_update_study(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    changes: dict[str, Any] = {
        "title": {"nl": "Nieuwe titel", "en": "New title"},
        "horizon": "2035-06-30",
        "municipality": "GM0344",
        "description": None,
    }
    stored = repo.update_study(study_id, changes, version=1)
    assert stored.study.title == Text(nl="Nieuwe titel", en="New title")
    assert stored.study.horizon == dt.date(2035, 6, 30)
    assert stored.study.municipality == "GM0344"
    assert stored.study.description is None
    assert stored.versions["study"] == 2
    assert repo.get_study(study_id) == stored
    expected = corona.model_copy(
        update={
            "title": stored.study.title,
            "horizon": dt.date(2035, 6, 30),
            "municipality": "GM0344",
            "description": None,
        }
    )
    assert stored.study == expected


def test_update_scenario(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    narrative = {"nl": "Een nieuw verhaal.", "en": "A new story."}
    focus = [{"nl": "Eerst dit"}, {"nl": "Dan dat", "en": "Then that"}]
    stored = repo.update_scenario(
        study_id, "overleven", {"narrative": narrative, "focus": focus}, version=1
    )
    scenario = stored.study.scenario("overleven")
    assert scenario.narrative == Text(**narrative)
    assert scenario.focus == (Text(nl="Eerst dit"), Text(nl="Dan dat", en="Then that"))
    assert stored.versions["scenario:overleven"] == 2
    assert stored.versions["scenario:overbruggen"] == 1
    assert stored.versions["study"] == 1
    assert repo.get_study(study_id) == stored
    assert [s.key for s in stored.study.scenarios] == [s.key for s in corona.scenarios]


def test_update_descriptor(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    digitaal = corona.descriptor("digitaal").model_dump(mode="json")
    variants = [*digitaal["variants"], {"key": "terug", "name": {"nl": "Terug naar papier"}}]
    stored = repo.update_descriptor(
        study_id,
        "digitaal",
        {"name": {"nl": "Digitalisering", "en": "Digitalisation"}, "variants": variants},
        version=1,
    )
    descriptor = stored.study.descriptor("digitaal")
    assert descriptor.name == Text(nl="Digitalisering", en="Digitalisation")
    assert [v.key for v in descriptor.variants] == ["voorheen", "versneld", "terug"]
    assert stored.versions["descriptor:digitaal"] == 2
    assert repo.get_study(study_id) == stored


def test_renaming_a_scenario_moves_its_version(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    stored = repo.update_scenario(study_id, "overleven", {"key": "volhouden"}, version=1)
    assert "scenario:overleven" not in stored.versions
    assert stored.versions["scenario:volhouden"] == 2
    assert [s.key for s in stored.study.scenarios][1] == "volhouden"
    strategy = repo.get_study(study_id).study.strategy
    assert strategy is not None  # the template's scores follow the scenario to its new key
    assert {score.scenario for score in strategy.scores} >= {"volhouden"}
    assert "overleven" not in {score.scenario for score in strategy.scores}
    with pytest.raises(NotFoundError, match="no scenario 'overleven'"):
        repo.update_scenario(study_id, "overleven", {"summary": None}, version=2)


def test_set_judgement_changes_adds_and_removes_cells(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    key = "judgements:duur:financien"
    stored = repo.set_judgement(study_id, "duur", "korter", "financien", "krap", -1, version=1)
    section = stored.study.judgement_section("duur", "financien")
    assert section is not None
    assert section.impacts["korter"] == {"gezond": 1, "tekort": -1, "krap": -1}
    assert stored.versions[key] == 2
    stored = repo.set_judgement(study_id, "duur", "korter", "financien", "gezond", 0, version=2)
    stored = repo.set_judgement(study_id, "duur", "korter", "financien", "tekort", 0, version=3)
    stored = repo.set_judgement(study_id, "duur", "korter", "financien", "krap", 0, version=4)
    section = stored.study.judgement_section("duur", "financien")
    assert section is not None
    assert "korter" not in section.impacts
    assert section.score("korter", "krap") == 0
    assert stored.versions[key] == 5
    assert repo.get_study(study_id) == stored
    others = {k: v for k, v in stored.versions.items() if k != key}
    assert set(others.values()) == {1}


def test_set_judgement_makes_a_new_section(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    assert corona.judgement_section("geweld", "duur") is None
    stored = repo.set_judgement(study_id, "geweld", "stijgend", "duur", "langer", 1, version=None)
    section = stored.study.judgement_section("geweld", "duur")
    assert section is not None
    assert section.impacts == {"stijgend": {"langer": 1}}
    assert section.reason is None
    assert stored.study.judgements[-1] == section
    assert stored.versions["judgements:geweld:duur"] == 1
    assert repo.get_study(study_id) == stored


def test_set_judgement_reason(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    reason = Text(nl="Onrust vraagt om een lange adem.", en="Unrest takes a long breath.")
    stored = repo.set_judgement_reason(study_id, "geweld", "duur", reason, version=None)
    section = stored.study.judgement_section("geweld", "duur")
    assert section is not None
    assert (section.impacts, section.reason) == ({}, reason)
    stored = repo.set_judgement(study_id, "geweld", "stijgend", "duur", "langer", 3, version=1)
    assert stored.versions["judgements:geweld:duur"] == 2
    stored = repo.set_judgement(study_id, "geweld", "stijgend", "duur", "langer", 1, version=2)
    stored = repo.set_judgement_reason(study_id, "geweld", "duur", None, version=3)
    section = stored.study.judgement_section("geweld", "duur")
    assert section is not None
    assert section.reason is None
    assert stored.versions["judgements:geweld:duur"] == 4
    assert repo.get_study(study_id) == stored


def test_set_section_writes_cells_and_reason_at_once(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    reason = Text(nl="Geweld rekt de crisis.", en="Violence drags the crisis out.")
    cells = {("stijgend", "langer"): 2, ("stijgend", "korter"): -2}
    stored = repo.set_section(study_id, "geweld", "duur", cells, reason=reason, version=None)
    section = stored.study.judgement_section("geweld", "duur")
    assert section is not None
    assert section.impacts == {"stijgend": {"langer": 2, "korter": -2}}
    assert section.reason == reason
    assert stored.versions["judgements:geweld:duur"] == 1
    assert repo.get_study(study_id) == stored


def test_set_section_is_all_or_nothing(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    before = repo.get_study(study_id)
    # The first cell is fine; the second is strong and the section has no reason.
    cells = {("stijgend", "langer"): 1, ("stijgend", "korter"): -3}
    with pytest.raises(ValidationError):
        repo.set_section(study_id, "geweld", "duur", cells, version=None)
    _unchanged(repo, before)
    with pytest.raises(ValidationError):
        repo.set_section(study_id, "duur", "financien", {("korter", "krap"): 4}, version=1)
    _unchanged(repo, before)


def test_a_conflict_on_a_section_shows_every_cell_being_written(
    repo: Repository, corona: Study
) -> None:
    study_id = repo.add_study(corona)
    repo.set_judgement(study_id, "duur", "korter", "financien", "krap", -1, version=1)
    cells = {("korter", "krap"): 1, ("langer", "krap"): 0}
    with pytest.raises(ConflictError) as caught:
        repo.set_section(study_id, "duur", "financien", cells, version=1)
    # The template judges a long crisis +1 on tight finances.
    assert caught.value.current == {"korter->krap": -1, "langer->krap": 1}
    assert caught.value.attempted == {"korter->krap": 1, "langer->krap": 0}
    assert caught.value.version == 2


def test_set_section_writes_notes_with_the_cells(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    note = Text(nl="Onrust rekt de crisis.", en="Unrest drags the crisis out.")
    none = Text(nl="Geen verband.", en="No link.")
    cells = {("stijgend", "langer"): 2}
    notes = {("stijgend", "langer"): note, ("stijgend", "korter"): none}
    # A note on each strong judgement stands in for the section's reason.
    stored = repo.set_section(study_id, "geweld", "duur", cells, notes=notes, version=None)
    section = stored.study.judgement_section("geweld", "duur")
    assert section is not None
    assert section.reason is None
    assert section.notes == {"stijgend": {"langer": note, "korter": none}}
    assert repo.get_study(study_id) == stored
    # Removing one note keeps the others; a cell set to 0 keeps its note.
    stored = repo.set_section(
        study_id,
        "geweld",
        "duur",
        {("stijgend", "langer"): 0},
        notes={("stijgend", "korter"): None},
        version=1,
    )
    section = stored.study.judgement_section("geweld", "duur")
    assert section is not None
    assert section.impacts == {}
    assert section.notes == {"stijgend": {"langer": note}}
    assert stored.versions["judgements:geweld:duur"] == 2
    assert repo.get_study(study_id) == stored


def test_removing_the_note_of_a_strong_judgement_writes_nothing(
    repo: Repository, corona: Study
) -> None:
    study_id = repo.add_study(corona)
    note = Text(nl="Onrust rekt de crisis.", en="Unrest drags the crisis out.")
    cell = ("stijgend", "langer")
    repo.set_section(study_id, "geweld", "duur", {cell: 3}, notes={cell: note}, version=None)
    before = repo.get_study(study_id)
    # The cell change is fine, but the strong judgement would be left without a reason.
    with pytest.raises(ValidationError) as caught:
        repo.set_section(
            study_id,
            "geweld",
            "duur",
            {("stijgend", "korter"): 1},
            notes={cell: None},
            version=1,
        )
    assert "no reason ('stijgend' on 'langer')" in str(caught.value)
    _unchanged(repo, before)
    with pytest.raises(ValidationError):
        repo.set_section(study_id, "geweld", "duur", {}, notes={("sterk", "x"): note}, version=1)
    _unchanged(repo, before)


def test_a_conflict_on_a_section_shows_the_notes_being_written(
    repo: Repository, corona: Study
) -> None:
    study_id = repo.add_study(corona)
    old = Text(nl="Eerst.", en="First.")
    new = Text(nl="Later.", en="Later.")
    repo.set_section(study_id, "duur", "financien", {}, notes={("korter", "krap"): old}, version=1)
    with pytest.raises(ConflictError) as caught:
        repo.set_section(
            study_id,
            "duur",
            "financien",
            {("korter", "krap"): 1},
            notes={("korter", "krap"): new},
            version=1,
        )
    assert caught.value.current == {
        "korter->krap": 0,
        "note:korter->krap": {"nl": "Eerst.", "en": "First."},
    }
    assert caught.value.attempted == {
        "korter->krap": 1,
        "note:korter->krap": {"nl": "Later.", "en": "Later."},
    }
    assert caught.value.version == 2


def test_a_zero_in_a_section_that_was_never_written_changes_nothing(
    repo: Repository, corona: Study
) -> None:
    study_id = repo.add_study(corona)
    before = repo.get_study(study_id)
    updated = repo.list_studies()[0].updated
    stored = repo.set_judgement(study_id, "geweld", "stijgend", "duur", "langer", 0, None)
    assert stored == before
    assert repo.list_studies()[0].updated == updated


def test_removing_a_reason_that_was_never_written_changes_nothing(
    repo: Repository, corona: Study
) -> None:
    study_id = repo.add_study(corona)
    before = repo.get_study(study_id)
    stored = repo.set_judgement_reason(study_id, "geweld", "duur", None, version=None)
    assert stored == before


# -- conflicts -------------------------------------------------------------------------------


def test_a_stale_version_is_a_conflict_and_changes_nothing(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    repo.update_scenario(study_id, "overleven", {"summary": {"nl": "Eerste"}}, version=1)
    before = repo.get_study(study_id)
    with pytest.raises(ConflictError) as caught:
        repo.update_scenario(study_id, "overleven", {"summary": {"nl": "Tweede"}}, version=1)
    err = caught.value
    message = str(err)
    assert "scenario 'overleven'" in message
    assert "stored version is 2" in message
    assert "made on version 1" in message
    assert "Eerste" in message and "Tweede" in message
    assert err.version == 2
    assert err.current == {"summary": {"nl": "Eerste", "en": None}}
    assert err.attempted == {"summary": {"nl": "Tweede"}}
    _unchanged(repo, before)


@pytest.mark.parametrize(
    "write",
    [
        lambda repo, i: repo.update_study(i, {"organisation": "Y"}, version=7),
        lambda repo, i: repo.update_descriptor(i, "duur", {"description": None}, version=7),
        lambda repo, i: repo.update_scenario(i, "aanpassen", {"summary": None}, version=7),
        lambda repo, i: repo.set_judgement(i, "duur", "korter", "regio", "hechter", 1, 7),
        lambda repo, i: repo.set_judgement_reason(i, "duur", "regio", None, 7),
    ],
    ids=["study", "descriptor", "scenario", "judgement", "reason"],
)
def test_every_write_checks_its_version(repo: Repository, corona: Study, write: Any) -> None:
    study_id = repo.add_study(corona)
    before = repo.get_study(study_id)
    with pytest.raises(
        ConflictError, match="stored version is 1, and your change was made on version 7"
    ):
        write(repo, study_id)
    _unchanged(repo, before)


def test_a_conflict_on_a_judgement_shows_both_values(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    repo.set_judgement(study_id, "duur", "langer", "regio", "hechter", 2, version=1)
    with pytest.raises(ConflictError) as caught:
        repo.set_judgement(study_id, "duur", "langer", "regio", "hechter", -1, version=1)
    assert (caught.value.current, caught.value.attempted, caught.value.version) == (2, -1, 2)
    assert "the judgements of 'duur' on 'regio'" in str(caught.value)


def test_a_section_written_meanwhile_is_a_conflict(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    repo.set_judgement(study_id, "geweld", "stijgend", "duur", "langer", 1, version=None)
    with pytest.raises(ConflictError, match="someone else wrote") as caught:
        repo.set_judgement(study_id, "geweld", "stijgend", "duur", "langer", -1, version=None)
    assert caught.value.version == 1


def test_a_section_removed_meanwhile_is_a_conflict(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    with pytest.raises(ConflictError, match="someone else removed") as caught:
        repo.set_judgement(study_id, "geweld", "stijgend", "duur", "langer", 1, version=3)
    assert caught.value.version is None


def test_concurrent_writers_of_one_object_exactly_one_wins(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    outcomes: list[str] = []
    lock = threading.Lock()

    def write(number: int) -> None:
        try:
            repo.update_scenario(
                study_id, "aanpassen", {"summary": {"nl": f"Schrijver {number}"}}, version=1
            )
            outcome = "won"
        except ConflictError:
            outcome = "conflict"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=write, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "won"]
    assert repo.get_study(study_id).versions["scenario:aanpassen"] == 2


# -- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("write", "path", "words"),
    [
        (
            lambda repo, i: repo.update_scenario(
                i, "overleven", {"quadrant": {"duur": "korter", "verandering": "minder"}}, 1
            ),
            "scenarios.1.quadrant",
            "already holds",
        ),
        (
            lambda repo, i: repo.update_descriptor(
                i, "duur", {"variants": [{"key": "kort", "name": {"nl": "Kort"}}] * 2}, 1
            ),
            "descriptors.0.variants.1.key",
            "two variants",
        ),
        (
            lambda repo, i: repo.update_study(i, {"municipality": "Utrecht"}, 1),
            "municipality",
            "pattern",
        ),
        (
            lambda repo, i: repo.update_scenario(i, "overleven", {"mood": "grim"}, 1),
            "scenarios.1.mood",
            "no field 'mood'",
        ),
        (
            lambda repo, i: repo.set_judgement(i, "duur", "korter", "regio", "hechter", 5, 1),
            "judgements.7.impacts.korter.hechter",
            "outside -3..+3",
        ),
        (
            lambda repo, i: repo.set_judgement(i, "geweld", "stijgend", "duur", "langer", 3, None),
            "judgements.53.reason",
            "no reason",
        ),
        (
            lambda repo, i: repo.set_judgement(i, "duur", "korter", "regio", "nergens", 1, 1),
            "judgements.7.impacts.korter.nergens",
            "not a variant",
        ),
        (
            lambda repo, i: repo.update_study(i, {"scenarios": []}, 1),
            "scenarios",
            "one at a time",
        ),
    ],
    ids=[
        "quadrant",
        "variants",
        "municipality",
        "unknown-field",
        "range",
        "reason",
        "variant",
        "children",
    ],
)
def test_a_change_that_breaks_the_study_is_refused_and_rolled_back(
    repo: Repository, corona: Study, write: Any, path: str, words: str
) -> None:
    study_id = repo.add_study(corona)
    before = repo.get_study(study_id)
    updated = repo.list_studies()[0].updated
    with pytest.raises(ValidationError) as caught:
        write(repo, study_id)
    problems = caught.value.problems
    assert any(problem.path == path and words in problem.message for problem in problems), [
        str(problem) for problem in problems
    ]
    _unchanged(repo, before)
    assert repo.list_studies()[0].updated == updated


def test_a_nul_character_is_refused_on_both_databases(repo: Repository, corona: Study) -> None:
    with pytest.raises(ValidationError, match="organisation: the text holds a NUL"):
        repo.add_study(corona.model_copy(update={"organisation": "Gemeente\x00X"}))
    assert repo.list_studies() == []
    study_id = repo.add_study(corona)
    sources = [source.model_dump(mode="json") for source in corona.sources]
    sources[0]["title"] += "\x00"
    with pytest.raises(ValidationError) as caught:
        repo.update_study(study_id, {"sources": sources}, version=1)
    assert [problem.path for problem in caught.value.problems] == ["sources.0.title"]
    assert repo.get_study(study_id).study == corona


def test_a_rejected_new_section_is_not_made(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    with pytest.raises(ValidationError):
        repo.set_judgement(study_id, "geweld", "stijgend", "duur", "langer", 3, version=None)
    stored = repo.get_study(study_id)
    assert "judgements:geweld:duur" not in stored.versions
    assert stored.study.judgement_section("geweld", "duur") is None


def test_a_write_through_another_repository_is_seen_at_once(
    repo: Repository, corona: Study, database_url: str
) -> None:
    # Reads are cached per study; a write by another process (here: another repository on
    # the same database) must still show on the next read.
    study_id = repo.add_study(corona)
    first = repo.get_study(study_id)
    assert repo.get_study(study_id) is first  # served from the cache
    other = Repository.open(database_url)
    try:
        other.update_scenario(study_id, "overleven", {"name": {"nl": "Volhouden"}}, version=1)
        other.update_study(study_id, {"organisation": "Gemeente Elders"}, version=1)
    finally:
        other.close()
    seen = repo.get_study(study_id)
    assert seen.study.scenario("overleven").name.nl == "Volhouden"
    assert seen.study.organisation == "Gemeente Elders"
    assert (seen.versions["scenario:overleven"], seen.versions["study"]) == (2, 2)
    repo.delete_study(study_id)
    with pytest.raises(NotFoundError):
        repo.get_study(study_id)
