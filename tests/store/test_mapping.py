"""The mapping between rows and model objects: every field without a column lands in data."""

from __future__ import annotations

import datetime as dt

from koers.model import Descriptor, JudgementSection, Scenario, Study
from koers.store import mapping

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def test_data_holds_every_field_that_has_no_column(corona: Study) -> None:
    # So a new optional model field is stored, and read back, without a migration.
    row = mapping.new_study_row(corona, NOW)
    columns = set(mapping.STUDY_COLUMNS) | set(mapping.CHILDREN)
    assert set(row.data) == set(Study.model_fields) - columns
    assert set(row.descriptors[0].data) == set(Descriptor.model_fields) - {"key"}
    assert set(row.scenarios[0].data) == set(Scenario.model_fields) - {"key"}
    assert set(row.judgements[0].data) == set(JudgementSection.model_fields) - {
        "source",
        "target",
    }


def test_rows_give_the_study_back(corona: Study) -> None:
    row = mapping.new_study_row(corona, NOW)
    assert mapping.to_study(row) == corona
    assert [d.position for d in row.descriptors] == list(range(len(corona.descriptors)))


def test_children_are_read_in_the_order_of_their_positions(corona: Study) -> None:
    row = mapping.new_study_row(corona, NOW)
    row.scenarios.reverse()
    assert mapping.to_study(row).scenarios == corona.scenarios


def test_a_document_is_a_copy(corona: Study) -> None:
    row = mapping.new_study_row(corona, NOW)
    document = mapping.study_document(row)
    document["judgements"][0]["impacts"].clear()
    document["sources"].clear()
    assert mapping.to_study(row) == corona


def test_versions_name_every_object(corona: Study) -> None:
    row = mapping.new_study_row(corona, NOW)
    versions = mapping.versions(row)
    assert versions["study"] == 1
    assert versions["scenario:overleven"] == 1
    assert versions["descriptor:duur"] == 1
    assert versions["judgements:duur:financien"] == 1
    assert len(versions) == 1 + 12 + 4 + len(corona.judgements)
