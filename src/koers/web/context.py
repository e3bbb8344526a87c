"""The context objects of the pages: plain JSON data, rendered as HTML or sent as JSON.

Every page is drawn from one of these objects and its JSON twin under ``/api`` returns the
same object, so anything a person sees can also be read by a script. The shapes are typed
(``TypedDict``, in :mod:`koers.web.shapes`), so the OpenAPI description documents them.
Texts stay bilingual (``{"nl": ..., "en": ...}``); the page picks the reader's language.
"""

from __future__ import annotations

from koers.errors import NotFoundError
from koers.model import Descriptor, Scenario, Study, Text
from koers.services.studies import TemplateInfo
from koers.services.workbench import StoredStudy, StudySummary, Tableau
from koers.web.shapes import (
    Axis,
    DescriptorsPage,
    FramingContext,
    Heading,
    JsonText,
    Links,
    MatrixPage,
    PoleItem,
    Quadrant,
    QuadrantRow,
    ScenarioPage,
    SectionContext,
    StudiesPage,
    StudyPage,
    TableauPage,
)

__all__ = [
    "DescriptorsPage",
    "MatrixPage",
    "ScenarioPage",
    "SectionContext",
    "StudiesPage",
    "StudyPage",
    "TableauPage",
    "descriptors_page",
    "heading",
    "matrix_page",
    "scenario_page",
    "section_context",
    "studies_page",
    "study_page",
    "tableau_page",
]


def _text(text: Text) -> JsonText:
    return {"nl": text.nl, "en": text.en}


def _maybe(text: Text | None) -> JsonText | None:
    return None if text is None else _text(text)


def _links(study_id: int) -> Links:
    base = f"/studies/{study_id}"
    return {
        "page": base,
        "json": f"/api{base}",
        "export": f"/api{base}/export",
        "descriptors": f"{base}/descriptors",
        "matrix": f"{base}/matrix",
        "tableau": f"{base}/tableau",
    }


def studies_page(summaries: list[StudySummary], templates: list[TemplateInfo]) -> StudiesPage:
    """The list of studies and the templates a new study can start from."""
    return {
        "studies": [
            {
                "id": summary.id,
                "title": _text(summary.title),
                "organisation": summary.organisation,
                "language": summary.language,
                "updated": summary.updated.isoformat(timespec="seconds"),
                "version": summary.version,
                "links": _links(summary.id),
            }
            for summary in summaries
        ],
        "templates": [
            {"key": info.key, "title": _text(info.title), "language": info.study.language}
            for info in templates
        ],
    }


def heading(stored: StoredStudy) -> Heading:
    study = stored.study
    return {
        "id": stored.id,
        "title": _text(study.title),
        "organisation": study.organisation,
        "language": study.language,
        "links": _links(stored.id),
    }


def _axis(descriptor: Descriptor) -> Axis:
    return {
        "key": descriptor.key,
        "name": _text(descriptor.name),
        "variants": [{"key": v.key, "name": _text(v.name)} for v in descriptor.variants],
    }


def _framing(stored: StoredStudy) -> FramingContext | None:
    study = stored.study
    if study.framing is None:
        return None
    horizontal, vertical = study.axes()
    rows: list[QuadrantRow] = []
    for y_pole in reversed(vertical.variants):  # the second pole on top
        cells: list[Quadrant] = []
        for x_pole in horizontal.variants:
            try:
                scenario = study.quadrant_scenario(x_pole, y_pole)
            except KeyError:
                continue
            cells.append(
                {
                    "key": scenario.key,
                    "name": _text(scenario.name),
                    "summary": _maybe(scenario.summary),
                    "poles": {horizontal.key: x_pole.key, vertical.key: y_pole.key},
                    "url": f"/studies/{stored.id}/scenarios/{scenario.key}",
                }
            )
        rows.append({"pole": {"key": y_pole.key, "name": _text(y_pole.name)}, "cells": cells})
    return {
        "question": _maybe(study.framing.question),
        "horizontal": _axis(horizontal),
        "vertical": _axis(vertical),
        "rows": rows,
    }


def study_page(stored: StoredStudy) -> StudyPage:
    """The study overview: its facts, the 2x2 scenario matrix and the list of scenarios."""
    study = stored.study
    return {
        **heading(stored),
        "version": stored.versions.get("study"),
        "municipality": study.municipality,
        "horizon": study.horizon.isoformat(),
        "description": _maybe(study.description),
        "framing": _framing(stored),
        "scenarios": [
            {
                "key": scenario.key,
                "name": _text(scenario.name),
                "summary": _maybe(scenario.summary),
                "url": f"/studies/{stored.id}/scenarios/{scenario.key}",
            }
            for scenario in study.scenarios
        ],
        "counts": {
            "descriptors": len(study.descriptors),
            "scenarios": len(study.scenarios),
            "judgement_sections": len(study.judgements),
        },
    }


def scenario_page(stored: StoredStudy, key: str) -> ScenarioPage:
    """One scenario with everything it asks of the organisation, and its version."""
    study = stored.study
    scenario = _scenario(study, key)
    poles: list[PoleItem] = []
    if scenario.quadrant and study.framing:
        for axis_key in study.framing.axes:
            axis = study.descriptor(axis_key)
            pole = axis.variant(scenario.quadrant.get(axis_key, ""))
            poles.append({"axis": _text(axis.name), "pole": _text(pole.name) if pole else None})
    return {
        "study": heading(stored),
        "key": scenario.key,
        "version": stored.versions.get(f"scenario:{key}"),
        "origin": scenario.origin,
        "sources": list(scenario.sources),
        "poles": poles,
        "name": _text(scenario.name),
        "summary": _maybe(scenario.summary),
        "narrative": _maybe(scenario.narrative),
        "leadership": _maybe(scenario.leadership),
        "focus": [_text(text) for text in scenario.focus],
        "questions": [_text(text) for text in scenario.questions],
        "implications": [_text(text) for text in scenario.implications],
        "links": {
            "page": f"/studies/{stored.id}/scenarios/{key}",
            "json": f"/api/studies/{stored.id}/scenarios/{key}",
        },
    }


def descriptors_page(stored: StoredStudy) -> DescriptorsPage:
    """The descriptors and their variants, with each descriptor's version."""
    study = stored.study
    axes = study.framing.axes if study.framing else ()
    return {
        "study": heading(stored),
        "descriptors": [
            {
                "key": descriptor.key,
                "name": _text(descriptor.name),
                "description": _maybe(descriptor.description),
                "axis": descriptor.key in axes,
                "version": stored.versions.get(f"descriptor:{descriptor.key}"),
                "variants": [
                    {"key": v.key, "name": _text(v.name), "description": _maybe(v.description)}
                    for v in descriptor.variants
                ],
            }
            for descriptor in study.descriptors
        ],
    }


def section_context(stored: StoredStudy, source: Descriptor, target: Descriptor) -> SectionContext:
    """The judgements of ``source`` on ``target`` as the editor shows them."""
    section = stored.study.judgement_section(source.key, target.key)
    return {
        "source": source.key,
        "target": target.key,
        "target_name": _text(target.name),
        "version": stored.versions.get(f"judgements:{source.key}:{target.key}"),
        "reason": _maybe(section.reason) if section else None,
        "columns": [{"key": v.key, "name": _text(v.name)} for v in target.variants],
        "rows": [
            {
                "key": sv.key,
                "name": _text(sv.name),
                "cells": [
                    {
                        "target": tv.key,
                        "value": section.score(sv.key, tv.key) if section else 0,
                        "note": _maybe(section.note(sv.key, tv.key)) if section else None,
                    }
                    for tv in target.variants
                ],
            }
            for sv in source.variants
        ],
    }


def matrix_page(stored: StoredStudy, source: str | None) -> MatrixPage:
    """The judgements of one source descriptor on every other, section by section."""
    study = stored.study
    if not study.descriptors:
        raise NotFoundError("the study has no descriptors yet")
    source_d = _descriptor(study, source or study.descriptors[0].key)
    return {
        "study": heading(stored),
        "source": _axis(source_d),
        "descriptors": [
            {"key": d.key, "name": _text(d.name), "url": f"?source={d.key}"}
            for d in study.descriptors
        ],
        "sections": [
            section_context(stored, source_d, target)
            for target in study.descriptors
            if target.key != source_d.key
        ],
    }


def tableau_page(stored: StoredStudy, tableau: Tableau) -> TableauPage:
    """The consistent scenarios as a tableau (descriptors down, scenarios across)."""
    study = stored.study
    names = {d.key: {v.key: _text(v.name) for v in d.variants} for d in study.descriptors}
    return {
        "study": heading(stored),
        "descriptors": [
            {
                "key": d.key,
                "name": _text(d.name),
                "variants": [{"key": v.key, "name": _text(v.name)} for v in d.variants],
                "fixed": tableau.fixed.get(d.key),
            }
            for d in study.descriptors
        ],
        "fixed": dict(tableau.fixed),
        "count": len(tableau.scenarios),
        "baseline": tableau.baseline,
        "space": tableau.space,
        "complete": tableau.complete,
        "baseline_complete": tableau.baseline_complete,
        "scenarios": [
            {
                "number": number,
                "variants": [
                    {"key": label, "name": names[descriptor][label]}
                    for descriptor, label in zip(tableau.descriptors, row.labels, strict=True)
                ],
                "total_impact_score": row.total_impact_score,
                "inconsistency": row.inconsistency,
                "margin": row.margin,
                "kept": kept,
            }
            for number, (row, kept) in enumerate(
                zip(tableau.scenarios, tableau.kept, strict=True), start=1
            )
        ],
    }


def _scenario(study: Study, key: str) -> Scenario:
    try:
        return study.scenario(key)
    except KeyError:
        raise NotFoundError(f"the study has no scenario '{key[:64]}'") from None


def _descriptor(study: Study, key: str) -> Descriptor:
    try:
        return study.descriptor(key)
    except KeyError:
        raise NotFoundError(f"the study has no descriptor '{key[:64]}'") from None
