"""Repository.set_sections: several sections of judgements in one transaction (issue 9: a
round's aggregate is applied at once, so a round killed midway leaves the study as it was).

The Corona template judges a short crisis (duur: korter) +1 on healthy finances
(financien: gezond) and has no section geweld -> duur.
"""

from __future__ import annotations

import pytest

from koers.errors import ConflictError, ValidationError
from koers.model import Study, Text
from koers.store import Repository

NOTE = Text(nl="Groepsoordeel.", en="Group judgement.")


def test_two_sections_are_written_together(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    cells = {
        ("duur", "financien"): {("korter", "gezond"): 0, ("korter", "krap"): 2},
        ("geweld", "duur"): {("stijgend", "langer"): 1},
    }
    notes = {("duur", "financien"): {("korter", "krap"): NOTE}}
    versions = {("duur", "financien"): 1, ("geweld", "duur"): None}
    stored = repo.set_sections(study_id, cells, notes=notes, versions=versions, actor="fien")
    first = stored.study.judgement_section("duur", "financien")
    second = stored.study.judgement_section("geweld", "duur")
    assert first is not None and second is not None
    assert (first.score("korter", "gezond"), first.score("korter", "krap")) == (0, 2)
    assert first.note("korter", "krap") == NOTE  # the strong +2 is explained by its note
    assert second.impacts == {"stijgend": {"langer": 1}}
    assert stored.versions["judgements:duur:financien"] == 2
    assert stored.versions["judgements:geweld:duur"] == 1
    assert repo.get_study(study_id) == stored


def test_a_stale_section_stops_every_section(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    before = repo.get_study(study_id)
    cells = {
        ("geweld", "duur"): {("stijgend", "langer"): 1},
        ("duur", "financien"): {("korter", "krap"): 1},
    }
    versions = {("geweld", "duur"): None, ("duur", "financien"): 7}  # stored: 1
    with pytest.raises(ConflictError):
        repo.set_sections(study_id, cells, versions=versions)
    assert repo.get_study(study_id) == before  # geweld -> duur was not made either


def test_a_broken_rule_in_one_section_writes_nothing(repo: Repository, corona: Study) -> None:
    study_id = repo.add_study(corona)
    before = repo.get_study(study_id)
    cells = {
        ("duur", "financien"): {("korter", "krap"): 1},
        ("geweld", "duur"): {("stijgend", "langer"): 3},  # strong, without reason or note
    }
    versions = {("duur", "financien"): 1, ("geweld", "duur"): None}
    with pytest.raises(ValidationError):
        repo.set_sections(study_id, cells, versions=versions)
    assert repo.get_study(study_id) == before
