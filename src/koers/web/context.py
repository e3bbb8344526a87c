"""The context objects of the pages: plain JSON data, rendered as HTML or sent as JSON.

Every page is drawn from one of these objects and its JSON twin under ``/api`` returns the
same object, so anything a person sees can also be read by a script. Texts stay bilingual
(``{"nl": ..., "en": ...}``); the page picks the reader's language.
"""

from __future__ import annotations

from typing import Any

from koers.errors import NotFoundError
from koers.model import Descriptor, Scenario, Study, Text
from koers.services.studies import TemplateInfo
from koers.services.workbench import StoredStudy, StudySummary, Tableau

__all__ = [
    "descriptors_page",
    "matrix_page",
    "scenario_page",
    "studies_page",
    "study_page",
    "tableau_page",
]

JsonText = dict[str, str | None] | None


def _text(text: Text | None) -> JsonText:
    return None if text is None else {"nl": text.nl, "en": text.en}


def _links(study_id: int) -> dict[str, str]:
    base = f"/studies/{study_id}"
    return {
        "page": base,
        "json": f"/api{base}",
        "export": f"/api{base}/export",
        "descriptors": f"{base}/descriptors",
        "matrix": f"{base}/matrix",
        "tableau": f"{base}/tableau",
    }


def studies_page(summaries: list[StudySummary], templates: list[TemplateInfo]) -> dict[str, Any]:
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


def _heading(stored: StoredStudy) -> dict[str, Any]:
    study = stored.study
    return {
        "id": stored.id,
        "title": _text(study.title),
        "organisation": study.organisation,
        "language": study.language,
        "links": _links(stored.id),
    }


def _named(descriptor: Descriptor) -> dict[str, Any]:
    return {
        "key": descriptor.key,
        "name": _text(descriptor.name),
        "variants": [{"key": v.key, "name": _text(v.name)} for v in descriptor.variants],
    }


def study_page(stored: StoredStudy) -> dict[str, Any]:
    """The study overview: its facts, the 2x2 scenario matrix and the list of scenarios."""
    study = stored.study
    framing = None
    if study.framing is not None:
        horizontal, vertical = study.axes()
        rows = []
        for y_pole in reversed(vertical.variants):  # the second pole on top
            row = []
            for x_pole in horizontal.variants:
                try:
                    scenario = study.quadrant_scenario(x_pole, y_pole)
                except KeyError:
                    continue
                row.append(
                    {
                        "key": scenario.key,
                        "name": _text(scenario.name),
                        "summary": _text(scenario.summary),
                        "poles": {horizontal.key: x_pole.key, vertical.key: y_pole.key},
                        "url": f"/studies/{stored.id}/scenarios/{scenario.key}",
                    }
                )
            rows.append({"pole": {"key": y_pole.key, "name": _text(y_pole.name)}, "cells": row})
        framing = {
            "question": _text(study.framing.question),
            "horizontal": _named(horizontal),
            "vertical": _named(vertical),
            "rows": rows,
        }
    return {
        **_heading(stored),
        "version": stored.versions.get("study"),
        "municipality": study.municipality,
        "horizon": study.horizon.isoformat(),
        "description": _text(study.description),
        "framing": framing,
        "scenarios": [
            {
                "key": scenario.key,
                "name": _text(scenario.name),
                "summary": _text(scenario.summary),
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


def scenario_page(stored: StoredStudy, key: str) -> dict[str, Any]:
    """One scenario with everything it asks of the organisation, and its version."""
    study = stored.study
    scenario = _scenario(study, key)
    poles = []
    if scenario.quadrant and study.framing:
        for axis_key in study.framing.axes:
            axis = study.descriptor(axis_key)
            pole = axis.variant(scenario.quadrant.get(axis_key, ""))
            poles.append({"axis": _text(axis.name), "pole": _text(pole.name) if pole else None})
    return {
        "study": _heading(stored),
        "key": scenario.key,
        "version": stored.versions.get(f"scenario:{key}"),
        "origin": scenario.origin,
        "sources": list(scenario.sources),
        "poles": poles,
        "name": _text(scenario.name),
        "summary": _text(scenario.summary),
        "narrative": _text(scenario.narrative),
        "leadership": _text(scenario.leadership),
        "focus": [_text(text) for text in scenario.focus],
        "questions": [_text(text) for text in scenario.questions],
        "implications": [_text(text) for text in scenario.implications],
        "links": {
            "page": f"/studies/{stored.id}/scenarios/{key}",
            "json": f"/api/studies/{stored.id}/scenarios/{key}",
        },
    }


def descriptors_page(stored: StoredStudy) -> dict[str, Any]:
    """The descriptors and their variants, with each descriptor's version."""
    study = stored.study
    axes = study.framing.axes if study.framing else ()
    return {
        "study": _heading(stored),
        "descriptors": [
            {
                **_named(descriptor),
                "description": _text(descriptor.description),
                "axis": descriptor.key in axes,
                "version": stored.versions.get(f"descriptor:{descriptor.key}"),
                "variants": [
                    {
                        "key": v.key,
                        "name": _text(v.name),
                        "description": _text(v.description),
                    }
                    for v in descriptor.variants
                ],
            }
            for descriptor in study.descriptors
        ],
    }


def matrix_page(stored: StoredStudy, source: str | None) -> dict[str, Any]:
    """The judgements of one source descriptor on every other, section by section."""
    study = stored.study
    if not study.descriptors:
        raise NotFoundError("the study has no descriptors yet")
    source = source or study.descriptors[0].key
    try:
        source_d = study.descriptor(source)
    except KeyError:
        raise NotFoundError(f"the study has no descriptor '{source[:64]}'") from None
    sections = []
    for target_d in study.descriptors:
        if target_d.key == source:
            continue
        section = study.judgement_section(source, target_d.key)
        sections.append(
            {
                "source": source,
                "target": target_d.key,
                "target_name": _text(target_d.name),
                "version": stored.versions.get(f"judgements:{source}:{target_d.key}"),
                "reason": _text(section.reason) if section else None,
                "columns": [{"key": v.key, "name": _text(v.name)} for v in target_d.variants],
                "rows": [
                    {
                        "key": sv.key,
                        "name": _text(sv.name),
                        "cells": [
                            {
                                "target": tv.key,
                                "value": section.score(sv.key, tv.key) if section else 0,
                            }
                            for tv in target_d.variants
                        ],
                    }
                    for sv in source_d.variants
                ],
            }
        )
    return {
        "study": _heading(stored),
        "source": _named(source_d),
        "descriptors": [
            {"key": d.key, "name": _text(d.name), "url": f"?source={d.key}"}
            for d in study.descriptors
        ],
        "sections": sections,
    }


def tableau_page(stored: StoredStudy, tableau: Tableau) -> dict[str, Any]:
    """The consistent scenarios as a tableau (descriptors down, scenarios across)."""
    study = stored.study
    names = {d.key: {v.key: _text(v.name) for v in d.variants} for d in study.descriptors}
    return {
        "study": _heading(stored),
        "descriptors": [
            {**_named(d), "fixed": tableau.fixed.get(d.key)} for d in study.descriptors
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
