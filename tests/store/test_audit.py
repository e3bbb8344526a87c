"""The audit log: every write through the store records who, when, what, old and new value."""

from __future__ import annotations

import datetime as dt

import pytest

from koers.errors import ConflictError, ValidationError
from koers.model import Alert, Observation, Study, Text
from koers.store import Repository
from koers.store.audit import acting_as, document_changes

JAN = dt.datetime(2024, 2, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def study_id(repo: Repository, corona: Study) -> int:
    return repo.add_study(corona, actor="anna")


def _log(repo: Repository, study_id: int) -> list[tuple[str, str, str, str | None]]:
    return [(e.actor, e.action, e.object, e.field) for e in repo.audit.entries(study_id)]


def test_adding_a_study_records_the_whole_study(repo: Repository, study_id: int) -> None:
    [entry] = repo.audit.entries(study_id)
    assert (entry.actor, entry.action, entry.object, entry.field, entry.old) == (
        "anna",
        "add",
        "study",
        None,
        None,
    )
    assert entry.new["organisation"] == repo.get_study(study_id).study.organisation
    assert len(entry.new["descriptors"]) == 12
    assert entry.moment.tzinfo is not None


def test_an_edit_records_old_and_new_value_of_each_changed_field(
    repo: Repository, study_id: int
) -> None:
    stored = repo.get_study(study_id)
    old = stored.study.organisation
    repo.update_study(study_id, {"organisation": "Gemeente Y"}, version=1, actor="bram")
    key = stored.study.scenarios[0].key
    repo.update_scenario(
        study_id, key, {"name": {"nl": "Nieuw", "en": None}}, version=1, actor="bram"
    )
    entries = repo.audit.entries(study_id)[1:]
    assert [(e.actor, e.action, e.object, e.field) for e in entries] == [
        ("bram", "edit", "study", "organisation"),
        ("bram", "edit", f"scenario:{key}", "name"),
    ]
    assert (entries[0].old, entries[0].new) == (old, "Gemeente Y")
    assert entries[1].new == {"nl": "Nieuw", "en": None}
    assert entries[1].old == stored.study.scenarios[0].name.model_dump(mode="json")


def test_a_judgement_records_its_section(repo: Repository, study_id: int) -> None:
    # The Corona template judges duur 'korter' on financien 'gezond' +1; set it to -1.
    version = repo.get_study(study_id).versions["judgements:duur:financien"]
    repo.set_judgement(study_id, "duur", "korter", "financien", "gezond", -1, version)
    last = repo.audit.entries(study_id)[-1]
    assert (last.actor, last.action, last.object, last.field) == (
        "system",
        "edit",
        "judgements:duur:financien",
        "impacts",
    )
    assert last.old["korter"] == {"gezond": 1, "tekort": -1}
    assert last.new["korter"] == {"gezond": -1, "tekort": -1}
    assert last.new["langer"] == last.old["langer"]


def test_a_refused_write_records_nothing(repo: Repository, study_id: int) -> None:
    before = repo.audit.entries(study_id)
    with pytest.raises(ConflictError):
        repo.update_study(study_id, {"organisation": "X"}, version=7)
    with pytest.raises(ValidationError):
        repo.update_study(study_id, {"horizon": "not a date"}, version=1)
    assert repo.audit.entries(study_id) == before


def test_the_actor_comes_from_the_context_when_not_given(repo: Repository, study_id: int) -> None:
    with acting_as("carla"):
        repo.update_study(study_id, {"organisation": "A"}, version=1)
        repo.update_study(study_id, {"organisation": "B"}, version=2, actor="dirk")
    repo.update_study(study_id, {"organisation": "C"}, version=3)
    assert [actor for actor, *_ in _log(repo, study_id)[-3:]] == ["carla", "dirk", "system"]


def test_signals_imports_and_alert_statuses_are_recorded(repo: Repository, study_id: int) -> None:
    records = [
        Observation(
            indicator="ww", region="GM0344", period=p, value=1.0, recorded=JAN, source="ww.csv"
        )
        for p in ("2024-03", "2024-01", "2024-02")
    ]
    repo.signals.append(study_id, records, actor="anna")
    alert = Alert(indicator="ww", trigger="stijging", period="2024-01", level="amber")
    repo.signals.set_status(study_id, alert, actor="anna")
    repo.signals.set_status(
        study_id, alert.model_copy(update={"status": "closed", "note": "ok"}), actor="bram"
    )
    imported, first, second = repo.audit.entries(study_id)[-3:]
    assert (imported.action, imported.object, imported.new) == (
        "import",
        "observations",
        {
            "count": 3,
            "indicators": ["ww"],
            "periods": ["2024-01", "2024-03"],
            "sources": ["ww.csv"],
        },
    )
    assert (first.object, first.old, first.new["status"]) == (
        "alert:ww:stijging:2024-01",
        None,
        "new",
    )
    assert (second.actor, second.old["status"], second.new["status"], second.new["note"]) == (
        "bram",
        "new",
        "closed",
        "ok",
    )


def test_a_deleted_study_keeps_its_log(repo: Repository, study_id: int) -> None:
    repo.delete_study(study_id, actor="anna")
    last = repo.audit.entries(study_id)[-1]
    assert (last.actor, last.action, last.object, last.new) == ("anna", "delete", "study", None)
    assert last.old["title"] == repo.audit.entries(study_id)[0].new["title"]


def test_roles_and_passwords_are_recorded_without_secrets(repo: Repository, study_id: int) -> None:
    repo.accounts.add_user("anna", "$argon2id$Qx7Hash1", actor="admin")
    repo.accounts.grant("anna", study_id, "viewer", actor="admin")
    repo.accounts.grant("anna", study_id, "editor", actor="admin")
    repo.accounts.revoke("anna", study_id, actor="admin")
    repo.accounts.set_password_hash("anna", "$argon2id$Qx7Hash2", actor="admin")
    roles = [(e.action, e.old, e.new) for e in repo.audit.entries(study_id)[1:]]
    assert roles == [
        ("grant", None, "viewer"),
        ("grant", "viewer", "editor"),
        ("revoke", "editor", None),
    ]
    everything = repr(repo.audit.export(None))
    assert "Qx7Hash" not in everything
    assert [e["action"] for e in repo.audit.export(None) if e["study_id"] is None] == [
        "add",
        "password",
    ]


def test_export_is_plain_json_oldest_first(repo: Repository, study_id: int) -> None:
    repo.update_study(study_id, {"title": Text(nl="T").model_dump(mode="json")}, version=1)
    exported = repo.audit.export(study_id)
    assert [entry["id"] for entry in exported] == sorted(entry["id"] for entry in exported)
    assert set(exported[-1]) == {
        "id",
        "moment",
        "actor",
        "study_id",
        "action",
        "object",
        "field",
        "old",
        "new",
    }
    assert dt.datetime.fromisoformat(exported[-1]["moment"]).tzinfo is not None
    assert repo.audit.entries(study_id, limit=1)[0].id == exported[-1]["id"]


def test_document_changes_pairs_a_renamed_child_and_lists_added_and_removed() -> None:
    def doc(*keys: str) -> dict[str, object]:
        return {
            "organisation": "X",
            "descriptors": [{"key": key, "name": key.upper()} for key in keys],
            "scenarios": [],
            "judgements": [],
        }

    renamed = document_changes(doc("a", "b"), doc("a", "c"))
    assert [(c.object, c.field, c.old, c.new) for c in renamed] == [
        ("descriptor:c", "key", "b", "c"),
        ("descriptor:c", "name", "B", "C"),
    ]
    changed = document_changes(doc("a", "b"), doc("c", "d", "e"))
    assert [(c.object, c.field) for c in changed] == [
        ("descriptor:c", None),
        ("descriptor:d", None),
        ("descriptor:e", None),
        ("descriptor:a", None),
        ("descriptor:b", None),
    ]
    assert document_changes(doc("a"), doc("a")) == []
