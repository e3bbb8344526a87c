"""The rules a whole study must keep, checked in one place and reported all at once.

Each problem is a location (the path of keys and indexes into the study, as pydantic
reports it) and a message that says what is wrong and how to put it right.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import BaseModel

from koers.model.event_rules import event_problems
from koers.model.judgements import JUDGEMENT_RANGE, STRONG
from koers.model.problems import Location, suggest, unique
from koers.model.strategy_rules import strategy_problems
from koers.model.text import Text

if TYPE_CHECKING:
    from koers.model.factors import Descriptor
    from koers.model.study import Study

__all__ = ["Location", "find_problems"]


def find_problems(study: Study) -> list[tuple[Location, str]]:
    """Every broken invariant of ``study``, in the order they appear in the file."""
    problems: list[tuple[Location, str]] = []
    problems += _duplicate_keys(study)
    problems += _framing(study)
    problems += _scenario_sources(study)
    problems += _judgements(study)
    problems += _indicators(study)
    problems += strategy_problems(study)
    problems += event_problems(study)
    problems += _missing_language(study)
    return problems


def _duplicate_keys(study: Study) -> Iterator[tuple[Location, str]]:
    yield from unique("sources", "sources", [s.key for s in study.sources])
    yield from unique("descriptors", "descriptors", [d.key for d in study.descriptors])
    for index, descriptor in enumerate(study.descriptors):
        yield from unique(
            ("descriptors", index, "variants"),
            f"variants of descriptor '{descriptor.key}'",
            [v.key for v in descriptor.variants],
        )
    yield from unique("scenarios", "scenarios", [s.key for s in study.scenarios])
    yield from unique("indicators", "indicators", [i.key for i in study.indicators])
    for index, indicator in enumerate(study.indicators):
        yield from unique(
            ("indicators", index, "triggers"),
            f"triggers of indicator '{indicator.key}'",
            [t.key for t in indicator.triggers],
        )


def _framing(study: Study) -> Iterator[tuple[Location, str]]:
    framing = study.framing
    placed = [(i, s) for i, s in enumerate(study.scenarios) if s.quadrant is not None]
    if framing is None:
        for index, scenario in placed:
            yield (
                ("scenarios", index, "quadrant"),
                f"scenario '{scenario.key}' names a quadrant, but the study has no framing; "
                "add a 'framing' with two axes or remove the quadrant",
            )
        return
    descriptors = {d.key: d for d in study.descriptors}
    axes_ok = True
    if framing.axes[0] == framing.axes[1]:
        axes_ok = False
        yield (("framing", "axes", 1), f"both axes are '{framing.axes[0]}'; choose two descriptors")
    for position, key in enumerate(framing.axes):
        axis = descriptors.get(key)
        if axis is None:
            axes_ok = False
            yield (
                ("framing", "axes", position),
                f"axis '{key}' is not a descriptor; {suggest(key, descriptors)}",
            )
        elif len(axis.variants) != 2:
            axes_ok = False
            yield (
                ("framing", "axes", position),
                f"axis '{key}' has {len(axis.variants)} variants; an axis needs exactly two poles",
            )
    if not axes_ok:
        return
    axes = [descriptors[key] for key in framing.axes]
    holders: dict[tuple[str, str], str] = {}
    for index, scenario in placed:
        assert scenario.quadrant is not None
        where: Location = ("scenarios", index, "quadrant")
        broken = False
        for axis_key in scenario.quadrant:
            if axis_key not in framing.axes:
                broken = True
                yield (
                    (*where, axis_key),
                    f"scenario '{scenario.key}' names '{axis_key}', which is not an axis; "
                    f"{suggest(axis_key, framing.axes)}",
                )
        for axis in axes:
            pole = scenario.quadrant.get(axis.key)
            poles = [variant.key for variant in axis.variants]
            if pole is None:
                broken = True
                yield (
                    where,
                    f"scenario '{scenario.key}' gives no pole for axis '{axis.key}'; "
                    f"add '{axis.key}: {poles[0]}' or '{axis.key}: {poles[1]}'",
                )
            elif pole not in poles:
                broken = True
                yield (
                    (*where, axis.key),
                    f"scenario '{scenario.key}' names pole '{pole}' of axis '{axis.key}'; "
                    f"{suggest(pole, poles)}",
                )
        if broken:
            continue
        cell = (scenario.quadrant[axes[0].key], scenario.quadrant[axes[1].key])
        label = "/".join(cell)
        if cell in holders:
            yield (
                where,
                f"scenario '{scenario.key}' names quadrant '{label}', which "
                f"'{holders[cell]}' already holds; each quadrant has one scenario",
            )
        else:
            holders[cell] = scenario.key
    if len(placed) == len(holders):
        for x in axes[0].variants:
            for y in axes[1].variants:
                if (x.key, y.key) not in holders:
                    yield (
                        ("scenarios",),
                        f"no scenario holds quadrant '{x.key}/{y.key}'; a 2x2 framing needs "
                        "a scenario in each of its four quadrants",
                    )


def _scenario_sources(study: Study) -> Iterator[tuple[Location, str]]:
    known = [source.key for source in study.sources]
    for index, scenario in enumerate(study.scenarios):
        for position, key in enumerate(scenario.sources):
            if key not in known:
                yield (
                    ("scenarios", index, "sources", position),
                    f"scenario '{scenario.key}' cites source '{key}', which the study does not "
                    f"list; {suggest(key, known)}",
                )
        if scenario.origin == "source" and not scenario.sources:
            yield (
                ("scenarios", index, "origin"),
                f"scenario '{scenario.key}' says it comes from a source but names none; "
                "list the source keys under 'sources'",
            )


def _judgements(study: Study) -> Iterator[tuple[Location, str]]:
    descriptors = {d.key: d for d in study.descriptors}
    low, high = JUDGEMENT_RANGE
    first: dict[tuple[str, str], int] = {}
    for index, section in enumerate(study.judgements):
        where: Location = ("judgements", index)
        pair = f"'{section.source}' on '{section.target}'"
        source = descriptors.get(section.source)
        target = descriptors.get(section.target)
        for role, key in (("source", section.source), ("target", section.target)):
            if key not in descriptors:
                yield (
                    (*where, role),
                    f"judgements of {pair}: {role} '{key}' is not a descriptor; "
                    f"{suggest(key, descriptors)}",
                )
        if section.source == section.target:
            yield (
                (*where, "target"),
                f"judgements of '{section.source}' on itself: a study does not write "
                "self-impacts; choose another target descriptor or remove this section",
            )
        elif (section.source, section.target) in first:
            yield (
                (*where, "target"),
                f"judgements of {pair} are written twice (sections "
                f"{first[section.source, section.target] + 1} and {index + 1}); merge them "
                "into one section",
            )
        else:
            first[section.source, section.target] = index
        for source_variant, row in section.impacts.items():
            at: Location = (*where, "impacts", source_variant)
            if source is not None and source.variant(source_variant) is None:
                yield (
                    at,
                    f"judgements of {pair}: '{source_variant}' is not a variant of "
                    f"'{source.key}'; {suggest(source_variant, _variant_keys(source))}",
                )
            for target_variant, value in row.items():
                if target is not None and target.variant(target_variant) is None:
                    yield (
                        (*at, target_variant),
                        f"judgements of {pair}: '{target_variant}' is not a variant of "
                        f"'{target.key}'; {suggest(target_variant, _variant_keys(target))}",
                    )
                if not low <= value <= high:
                    yield (
                        (*at, target_variant),
                        f"judgement {value:+d} of '{source_variant}' on '{target_variant}' is "
                        f"outside {low}..+{high}; write a whole number from {low} (strongly "
                        f"hinders) to +{high} (strongly promotes)",
                    )
        for source_variant, noted in section.notes.items():
            at = (*where, "notes", source_variant)
            if source is not None and source.variant(source_variant) is None:
                yield (
                    at,
                    f"note on the judgements of {pair}: '{source_variant}' is not a variant "
                    f"of '{source.key}'; {suggest(source_variant, _variant_keys(source))}",
                )
            for target_variant in noted:
                if target is not None and target.variant(target_variant) is None:
                    yield (
                        (*at, target_variant),
                        f"note on the judgements of {pair}: '{target_variant}' is not a "
                        f"variant of '{target.key}'; "
                        f"{suggest(target_variant, _variant_keys(target))}",
                    )
        unexplained = [
            f"'{source_variant}' on '{target_variant}'"
            for source_variant, row in section.impacts.items()
            for target_variant, value in row.items()
            if abs(value) >= STRONG and section.note(source_variant, target_variant) is None
        ]
        if section.reason is None and unexplained:
            yield (
                (*where, "reason"),
                f"judgements of {pair} include a strong one (±{STRONG} or more) but no "
                f"reason ({', '.join(unexplained)}); add 'reason: {{nl: ..., en: ...}}' to the "
                "section, or a note under 'notes' for each of these judgements, saying why "
                "the influence is strong",
            )


def _indicators(study: Study) -> Iterator[tuple[Location, str]]:
    descriptors = {d.key: d for d in study.descriptors}
    for index, indicator in enumerate(study.indicators):
        for position, evidence in enumerate(indicator.evidence):
            where: Location = ("indicators", index, "evidence", position)
            descriptor = descriptors.get(evidence.descriptor)
            if descriptor is None:
                yield (
                    (*where, "descriptor"),
                    f"evidence of indicator '{indicator.key}' is for '{evidence.descriptor}', "
                    f"which is not a descriptor; {suggest(evidence.descriptor, descriptors)}",
                )
            elif descriptor.variant(evidence.variant) is None:
                yield (
                    (*where, "variant"),
                    f"evidence of indicator '{indicator.key}': '{evidence.variant}' is not a "
                    f"variant of '{descriptor.key}'; "
                    f"{suggest(evidence.variant, _variant_keys(descriptor))}",
                )


def _variant_keys(descriptor: Descriptor) -> list[str]:
    return [variant.key for variant in descriptor.variants]


def _missing_language(study: Study) -> Iterator[tuple[Location, str]]:
    language = study.language
    for location, text in _texts(study, ()):
        if not text.has(language):
            yield (
                location,
                f"this text has no '{language}' version, the study's language; add "
                f"'{language}: ...'",
            )


def _texts(node: object, location: Location) -> Iterator[tuple[Location, Text]]:
    if isinstance(node, Text):
        yield location, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _texts(getattr(node, name), (*location, name))
    elif isinstance(node, tuple | list):
        for index, item in enumerate(node):
            yield from _texts(item, (*location, index))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, (*location, key))
