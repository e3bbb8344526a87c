"""Rows to model objects and back: the one place that knows both shapes.

Each object is stored as its columns plus ``data``, the model's own JSON dump of the object
minus its children and minus the fields that have a column. Reading joins the two again into
the model's JSON form (a *document*) and validates it with the model, so a study read from
the database has passed exactly the checks of a study read from a file.

>>> from koers.model import Scenario, Text
>>> scenario = Scenario(key="a", name=Text(nl="Ankers"))
>>> row = scenario_row(scenario, position=0)
>>> (row.key, row.data["name"], row.data["origin"])
('a', {'nl': 'Ankers', 'en': None}, 'team')
>>> Scenario.model_validate(scenario_document(row)) == scenario
True
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

from koers.model import Descriptor, JudgementSection, Scenario, Study
from koers.store.tables import DescriptorRow, JudgementRow, ScenarioRow, StudyRow

__all__ = [
    "CHILDREN",
    "STUDY_COLUMNS",
    "Document",
    "descriptor_document",
    "descriptor_row",
    "fill_descriptor_row",
    "fill_judgement_row",
    "fill_scenario_row",
    "fill_study_row",
    "judgement_document",
    "judgement_row",
    "new_study_row",
    "scenario_document",
    "scenario_row",
    "study_document",
    "to_study",
    "versions",
]

_Row = TypeVar("_Row", DescriptorRow, ScenarioRow, JudgementRow)

Document = dict[str, Any]
"""An object in the model's JSON form: what ``model_dump(mode="json")`` gives."""

STUDY_COLUMNS = ("format", "title", "organisation", "municipality", "horizon", "language")
"""The study fields that have a column of their own (to list and find studies)."""

CHILDREN = ("descriptors", "scenarios", "judgements")
"""The study fields stored as rows of their own tables, one row per item."""


def _data(model: BaseModel, columns: Iterable[str]) -> Document:
    return model.model_dump(mode="json", exclude=set(columns))


# -- model to rows -------------------------------------------------------------------------


def new_study_row(study: Study, now: dt.datetime) -> StudyRow:
    """A new row for ``study`` with rows for all its descriptors, scenarios and judgements."""
    row = StudyRow(version=1, created=now, updated=now)
    fill_study_row(row, study)
    row.descriptors = [descriptor_row(d, position=i) for i, d in enumerate(study.descriptors)]
    row.scenarios = [scenario_row(s, position=i) for i, s in enumerate(study.scenarios)]
    row.judgements = [judgement_row(j, position=i) for i, j in enumerate(study.judgements)]
    return row


def fill_study_row(row: StudyRow, study: Study) -> None:
    """Write the study's own fields (not its children) into ``row``."""
    row.format = study.format
    row.title = study.title.model_dump(mode="json")
    row.organisation = study.organisation
    row.municipality = study.municipality
    row.horizon = study.horizon
    row.language = study.language
    row.data = _data(study, (*STUDY_COLUMNS, *CHILDREN))


def descriptor_row(descriptor: Descriptor, *, position: int) -> DescriptorRow:
    """A new row for ``descriptor`` at ``position`` in its study."""
    row = DescriptorRow(position=position, version=1)
    fill_descriptor_row(row, descriptor)
    return row


def fill_descriptor_row(row: DescriptorRow, descriptor: Descriptor) -> None:
    """Write ``descriptor`` (with its variants) into ``row``."""
    row.key = descriptor.key
    row.data = _data(descriptor, ("key",))


def scenario_row(scenario: Scenario, *, position: int) -> ScenarioRow:
    """A new row for ``scenario`` at ``position`` in its study."""
    row = ScenarioRow(position=position, version=1)
    fill_scenario_row(row, scenario)
    return row


def fill_scenario_row(row: ScenarioRow, scenario: Scenario) -> None:
    """Write ``scenario`` into ``row``."""
    row.key = scenario.key
    row.data = _data(scenario, ("key",))


def judgement_row(section: JudgementSection, *, position: int) -> JudgementRow:
    """A new row for a judgement section at ``position`` in its study."""
    row = JudgementRow(position=position, version=1)
    fill_judgement_row(row, section)
    return row


def fill_judgement_row(row: JudgementRow, section: JudgementSection) -> None:
    """Write a judgement section into ``row``."""
    row.source = section.source
    row.target = section.target
    row.data = _data(section, ("source", "target"))


# -- rows to model -------------------------------------------------------------------------


def study_document(row: StudyRow) -> Document:
    """The whole study in the model's JSON form, its children in the order of their positions."""
    document: Document = {
        "format": row.format,
        "title": row.title,
        "organisation": row.organisation,
        "municipality": row.municipality,
        "horizon": row.horizon.isoformat(),
        "language": row.language,
    }
    document.update(copy.deepcopy(row.data))
    document["descriptors"] = [descriptor_document(d) for d in _ordered(row.descriptors)]
    document["scenarios"] = [scenario_document(s) for s in _ordered(row.scenarios)]
    document["judgements"] = [judgement_document(j) for j in _ordered(row.judgements)]
    return document


def descriptor_document(row: DescriptorRow) -> Document:
    """A descriptor in the model's JSON form (a copy: changing it leaves the row alone)."""
    return {"key": row.key, **copy.deepcopy(row.data)}


def scenario_document(row: ScenarioRow) -> Document:
    """A scenario in the model's JSON form (a copy: changing it leaves the row alone)."""
    return {"key": row.key, **copy.deepcopy(row.data)}


def judgement_document(row: JudgementRow) -> Document:
    """A judgement section in the model's JSON form (a copy, as above)."""
    return {"source": row.source, "target": row.target, **copy.deepcopy(row.data)}


def to_study(row: StudyRow) -> Study:
    """The study stored in ``row`` and its children, validated by the model.

    Raises
    ------
    pydantic.ValidationError
        When the stored study breaks the model's rules (a study written by a Koers with other
        rules); the repository turns it into :class:`koers.errors.ValidationError`.
    """
    return Study.model_validate(study_document(row))


def versions(row: StudyRow) -> dict[str, int]:
    """The version of every object of the study, by object id (``"scenario:<key>"``, ...)."""
    found = {"study": row.version}
    found.update({f"descriptor:{d.key}": d.version for d in _ordered(row.descriptors)})
    found.update({f"scenario:{s.key}": s.version for s in _ordered(row.scenarios)})
    found.update({f"judgements:{j.source}:{j.target}": j.version for j in _ordered(row.judgements)})
    return found


def _ordered(rows: Iterable[_Row]) -> list[_Row]:
    return sorted(rows, key=lambda row: row.position)
