"""Writing a round's aggregate into the study, through the repository's versioned writes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from koers.errors import Problem, ValidationError
from koers.model import STRONG, Study, Text
from koers.model.rounds import Round, parse_item
from koers.model.strategy import PolicyScore, Strategy
from koers.store.guards import validated
from koers.store.repository import Repository, StoredStudy

__all__ = ["Record", "apply", "group_participant"]


@dataclass(frozen=True)
class Record:
    """What the study is told of the round: how many took part, their reasons per item (by
    key, anonymous), and who applied it."""

    participants: int
    reasons: Mapping[str, tuple[str, ...]]
    by: str


def group_participant(round_id: int) -> str:
    """The participant name under which a scores round's aggregate enters the study.

    >>> group_participant(7)
    'group/7'
    """
    return f"group/{round_id}"


def apply(
    repository: Repository, round_: Round, values: Mapping[str, float], record: Record
) -> None:
    """Write ``values`` (item key to the group's value) into the study of ``round_``.

    Raises
    ------
    koers.errors.ConflictError
        When the study changed between reading and writing (apply again).
    koers.errors.ValidationError
        When the changed study breaks a rule; nothing is written.
    """
    stored = repository.get_study(round_.study)
    if round_.kind == "judgements":
        _judgements(repository, stored, round_, values, record)
    elif round_.kind == "scores":
        _scores(repository, stored, round_, values, record)
    else:
        _thresholds(repository, stored, round_, values, record)


def _note(round_: Round, record: Record, key: str) -> Text:
    rule_nl = "mediaan" if round_.rule == "median" else "gemiddelde"
    n = record.participants
    nl = f"Groepsoordeel uit ronde {round_.id} ({rule_nl} van {n} deelnemers)."
    en = f"Group judgement of round {round_.id} ({round_.rule} of {n} participants)."
    reasons = "; ".join(" ".join(reason.split()) for reason in record.reasons.get(key, ()))
    if reasons:
        nl += f" Redenen: {reasons}"
        en += f" Reasons: {reasons}"
    return Text(nl=nl, en=en)


def _judgements(
    repository: Repository,
    stored: StoredStudy,
    round_: Round,
    values: Mapping[str, float],
    record: Record,
) -> None:
    study = stored.study
    cells: dict[tuple[str, str], dict[tuple[str, str], int]] = {}
    notes: dict[tuple[str, str], dict[tuple[str, str], Text]] = {}
    for key, value in values.items():
        source, source_variant, target, target_variant = parse_item("judgements", key)
        section = study.judgement_section(source, target)
        whole = int(value)
        if (section.score(source_variant, target_variant) if section else 0) == whole:
            continue
        cells.setdefault((source, target), {})[source_variant, target_variant] = whole
        explained = section is not None and (
            section.reason is not None or section.note(source_variant, target_variant)
        )
        if abs(whole) >= STRONG and not explained:
            notes.setdefault((source, target), {})[source_variant, target_variant] = _note(
                round_, record, key
            )
    if not cells:
        return
    _check(_changed_document(study, cells, notes))
    repository.set_sections(  # every section in one transaction: all of it or nothing
        round_.study,
        cells,
        notes=notes,
        versions={
            (source, target): stored.versions.get(f"judgements:{source}:{target}")
            for source, target in cells
        },
        actor=record.by,
    )


def _changed_document(
    study: Study,
    cells: Mapping[tuple[str, str], Mapping[tuple[str, str], int]],
    notes: Mapping[tuple[str, str], Mapping[tuple[str, str], Text]],
) -> dict[str, Any]:
    """The study's document with every section's new cells and notes, to check at once."""
    document = study.model_dump(mode="json")
    sections = {(s["source"], s["target"]): s for s in document["judgements"]}
    for pair, changed in cells.items():
        section = sections.get(pair)
        if section is None:
            section = {"source": pair[0], "target": pair[1], "impacts": {}}
            document["judgements"].append(section)
        impacts = section.setdefault("impacts", {})
        for (a, b), value in changed.items():
            if value == 0:
                impacts.get(a, {}).pop(b, None)
                if not impacts.get(a, True):
                    impacts.pop(a)
            else:
                impacts.setdefault(a, {})[b] = value
        for (a, b), text in notes.get(pair, {}).items():
            section.setdefault("notes", {}).setdefault(a, {})[b] = text.model_dump(mode="json")
    return document


def _check(document: Mapping[str, Any]) -> None:
    """Refuse, before anything is written, a change that breaks a rule of the study."""
    try:
        validated(document)
    except ValidationError as err:
        raise ValidationError(
            [
                Problem(f"applying the round would break a rule: {p.message}", p.path)
                for p in err.problems
            ]
        ) from None


def _scores(
    repository: Repository,
    stored: StoredStudy,
    round_: Round,
    values: Mapping[str, float],
    record: Record,
) -> None:
    strategy = stored.study.strategy or Strategy()
    group = group_participant(round_.id)
    pairs = {parse_item("scores", key): value for key, value in values.items()}
    kept = [
        s for s in strategy.scores if s.participant != group or (s.policy, s.scenario) not in pairs
    ]
    for (policy, scenario), value in pairs.items():
        kept.append(
            PolicyScore(
                policy=policy,
                scenario=scenario,
                participant=group,
                score=int(value),
                reason=_note(round_, record, f"{policy}:{scenario}"),
            )
        )
    changed = strategy.model_copy(update={"scores": tuple(kept)})
    repository.update_study(
        round_.study,
        {"strategy": changed.model_dump(mode="json")},
        stored.versions["study"],
        actor=record.by,
    )


def _thresholds(
    repository: Repository,
    stored: StoredStudy,
    round_: Round,
    values: Mapping[str, float],
    record: Record,
) -> None:
    indicators = [i.model_dump(mode="json") for i in stored.study.indicators]
    by_key = {i["key"]: i for i in indicators}
    problems = []
    for key, value in values.items():
        indicator, trigger, bound = parse_item("thresholds", key)
        found = [t for t in by_key.get(indicator, {}).get("triggers", []) if t["key"] == trigger]
        if not found:
            problems.append(
                Problem(f"the study no longer has the trigger {indicator}:{trigger}", key)
            )
            continue
        found[0]["when"][bound] = value
    if problems:
        raise ValidationError(problems)
    repository.update_study(
        round_.study, {"indicators": indicators}, stored.versions["study"], actor=record.by
    )
