"""The shapes of the pages' context objects, typed so that OpenAPI documents the API.

See :mod:`koers.web.context`, which builds them.
"""

from __future__ import annotations

from typing_extensions import TypedDict

__all__ = [
    "DescriptorsPage",
    "MatrixPage",
    "ScenarioPage",
    "SectionContext",
    "StudiesPage",
    "StudyPage",
    "TableauPage",
]


class JsonText(TypedDict):
    """A text in Dutch and English; one of the two may be null."""

    nl: str | None
    en: str | None


class Links(TypedDict):
    """The addresses of a study's pages and of its JSON and YAML."""

    page: str
    json: str
    export: str
    descriptors: str
    matrix: str
    tableau: str


class StudyItem(TypedDict):
    id: int
    title: JsonText
    organisation: str
    language: str
    updated: str
    version: int
    links: Links


class TemplateItem(TypedDict):
    key: str
    title: JsonText
    language: str


class StudiesPage(TypedDict):
    """``/studies``: every study, newest first, and the built-in templates."""

    studies: list[StudyItem]
    templates: list[TemplateItem]


class Heading(TypedDict):
    """The study a page belongs to."""

    id: int
    title: JsonText
    organisation: str
    language: str
    links: Links


class Named(TypedDict):
    key: str
    name: JsonText


class Axis(TypedDict):
    key: str
    name: JsonText
    variants: list[Named]


class Quadrant(TypedDict):
    key: str
    name: JsonText
    summary: JsonText | None
    poles: dict[str, str]
    url: str


class QuadrantRow(TypedDict):
    pole: Named
    cells: list[Quadrant]


class FramingContext(TypedDict):
    """The 2x2 matrix: rows top to bottom (the vertical axis's second pole on top)."""

    question: JsonText | None
    horizontal: Axis
    vertical: Axis
    rows: list[QuadrantRow]


class ScenarioItem(TypedDict):
    key: str
    name: JsonText
    summary: JsonText | None
    url: str


class Counts(TypedDict):
    descriptors: int
    scenarios: int
    judgement_sections: int


class StudyPage(TypedDict):
    """``/studies/{id}``: the study's facts, its 2x2 matrix and its scenarios."""

    id: int
    title: JsonText
    organisation: str
    language: str
    links: Links
    version: int | None
    municipality: str | None
    horizon: str
    description: JsonText | None
    framing: FramingContext | None
    scenarios: list[ScenarioItem]
    counts: Counts


class PoleItem(TypedDict):
    axis: JsonText
    pole: JsonText | None


class ScenarioLinks(TypedDict):
    page: str
    json: str


class ScenarioPage(TypedDict):
    """``/studies/{id}/scenarios/{key}``: one scenario and its version."""

    study: Heading
    key: str
    version: int | None
    origin: str
    sources: list[str]
    poles: list[PoleItem]
    name: JsonText
    summary: JsonText | None
    narrative: JsonText | None
    leadership: JsonText | None
    focus: list[JsonText]
    questions: list[JsonText]
    implications: list[JsonText]
    links: ScenarioLinks


class VariantItem(TypedDict):
    key: str
    name: JsonText
    description: JsonText | None


class DescriptorItem(TypedDict):
    key: str
    name: JsonText
    description: JsonText | None
    axis: bool
    version: int | None
    variants: list[VariantItem]


class DescriptorsPage(TypedDict):
    """``/studies/{id}/descriptors``: descriptors, their variants and versions."""

    study: Heading
    descriptors: list[DescriptorItem]


class Cell(TypedDict):
    """One judgement: the target variant, the value (0 when not written) and its note."""

    target: str
    value: int
    note: JsonText | None


class SectionRow(TypedDict):
    key: str
    name: JsonText
    cells: list[Cell]


class SectionContext(TypedDict):
    """The judgements of ``source`` on ``target``: rows are source variants."""

    source: str
    target: str
    target_name: JsonText
    version: int | None
    reason: JsonText | None
    columns: list[Named]
    rows: list[SectionRow]


class SourceLink(TypedDict):
    key: str
    name: JsonText
    url: str


class MatrixPage(TypedDict):
    """``/studies/{id}/matrix?source=``: one section per target descriptor."""

    study: Heading
    source: Axis
    descriptors: list[SourceLink]
    sections: list[SectionContext]


class FixableDescriptor(TypedDict):
    key: str
    name: JsonText
    variants: list[Named]
    fixed: str | None


class TableauScenario(TypedDict):
    number: int
    variants: list[Named]
    total_impact_score: int
    inconsistency: int
    margin: int
    kept: bool


class TableauPage(TypedDict):
    """``/studies/{id}/tableau``: consistent scenarios, descriptors down, scenarios across."""

    study: Heading
    descriptors: list[FixableDescriptor]
    fixed: dict[str, str]
    count: int
    baseline: int
    space: int
    complete: bool
    baseline_complete: bool
    scenarios: list[TableauScenario]
