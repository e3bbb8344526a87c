"""The web workbench's use cases: studies in a database, edited object by object.

A :class:`Workbench` wraps the storage :class:`~koers.store.repository.Repository` and adds
what a person at the workbench asks for: create a study from a template, import and export
study YAML, edit a scenario, a descriptor or a section of cross-impact judgements (each write
checked against the version the person saw), and solve the study's cross-impact balance with
some variants fixed (an intervention). Solutions are cached per study version.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic

from koers.errors import NotFoundError, Problem, ValidationError
from koers.io import study_yaml
from koers.methods.cib.from_study import study_matrix
from koers.methods.cib.scores import evaluate
from koers.methods.cib.solve import solve
from koers.model import JUDGEMENT_RANGE, Language, Study, Text
from koers.model.signals import AlertStatus
from koers.services import signals, studies
from koers.services.cib import SolvedScenario, scenario_rows
from koers.store.repository import Repository, StoredStudy, StudySummary

__all__ = [
    "MAX_OBSERVATION_BYTES",
    "MAX_YAML_BYTES",
    "SCENARIO_FIELDS",
    "TABLEAU_LIMIT",
    "Repository",
    "StoredStudy",
    "StudySummary",
    "Tableau",
    "Workbench",
    "database_url",
    "default_database_url",
    "parse_judgement",
]

MAX_YAML_BYTES = 2_000_000
"""The largest study YAML the workbench imports (the Corona template is about 90 kB)."""

MAX_OBSERVATION_BYTES = 20_000_000
"""The largest observation file the workbench imports (100 000 CSV rows are about 4 MB)."""

SCENARIO_FIELDS = (
    "name",
    "summary",
    "narrative",
    "leadership",
    "focus",
    "questions",
    "implications",
)
"""The fields of a scenario a person edits at the workbench."""

DESCRIPTOR_FIELDS = ("name", "description")
STUDY_FIELDS = ("title", "organisation", "description")
_CACHE_SIZE = 64
TABLEAU_LIMIT = 200
"""The most scenarios a tableau lists (a matrix of mostly zeros makes nearly all consistent)."""


def default_database_url() -> str:
    """SQLite in the user's data folder: ``$XDG_DATA_HOME/koers/koers.db``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return database_url(str(Path(base) / "koers" / "koers.db"))


def database_url(value: str | None) -> str:
    """A database URL from a URL (kept as it is) or a file path (made a SQLite URL).

    >>> database_url("postgresql+psycopg://koers@db/koers")
    'postgresql+psycopg://koers@db/koers'
    >>> database_url("/tmp/k.db")
    'sqlite:////tmp/k.db'
    """
    if not value:
        return default_database_url()
    if "://" in value:
        return value
    path = Path(value).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def parse_judgement(raw: object) -> int:
    """One judgement from a form or JSON value: empty is 0; a whole number in -3..+3.

    >>> parse_judgement("+2"), parse_judgement(""), parse_judgement(-3)
    (2, 0, -3)
    """
    low, high = JUDGEMENT_RANGE
    hint = f"write a whole number from {low} to +{high}"
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return 0
    if isinstance(raw, bool):
        raise ValueError(f"judgement {raw!r} is not a number; {hint}")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip().replace("\u2212", "-")
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"judgement '{raw[:20]}' is not a whole number; {hint}") from None
    else:
        raise ValueError(f"judgement {raw!r} is not a whole number; {hint}")
    if not low <= value <= high:
        raise ValueError(f"judgement {value:+d} is outside {low}..+{high}; {hint}")
    return value


@dataclass(frozen=True)
class Tableau:
    """The consistent scenarios of a study, possibly with some variants fixed.

    ``scenarios`` are rows of :func:`koers.services.cib.scenario_rows` (labels are variant
    keys); ``kept[i]`` says whether scenario ``i`` is also consistent without the fixed
    variants; ``baseline`` is the number of consistent scenarios without them.
    """

    descriptors: tuple[str, ...]
    fixed: Mapping[str, str]
    scenarios: tuple[SolvedScenario, ...]
    kept: tuple[bool, ...]
    baseline: int
    space: int
    complete: bool
    baseline_complete: bool = True


class Workbench:
    """Studies in one database, as the web workbench reads and edits them."""

    def __init__(self, repository: Repository) -> None:
        self.repository = repository
        self._cache: OrderedDict[tuple[Any, ...], Tableau] = OrderedDict()
        self._statuses: OrderedDict[tuple[Any, ...], signals.SignalStatus] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def open(cls, url: str | None = None) -> Workbench:
        """The workbench over the database at ``url`` (a URL or a path; default: user data)."""
        return cls(Repository.open(database_url(url)))

    def close(self) -> None:
        """Close the database."""
        self.repository.close()

    def __enter__(self) -> Workbench:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # Studies ---------------------------------------------------------------------------

    def list_studies(self) -> list[StudySummary]:
        """Every study, newest first."""
        return self.repository.list_studies()

    def templates(self) -> list[studies.TemplateInfo]:
        """The built-in templates a study can be created from."""
        return studies.templates()

    def create_from_template(
        self,
        template: str,
        *,
        organisation: str | None = None,
        municipality: str | None = None,
        language: Language | None = None,
    ) -> int:
        """A new study from a built-in template; its id."""
        study = studies.new_study(
            template,
            language=language,
            organisation=organisation or None,
            municipality=municipality or None,
        )
        return self.repository.add_study(study)

    def import_yaml(self, text: str | bytes, name: str = "<upload>") -> int:
        """Import a study from YAML text; every problem is reported with line and column."""
        if len(text) > MAX_YAML_BYTES:
            raise ValidationError(
                [Problem(f"the file is larger than {MAX_YAML_BYTES // 1_000_000} MB", name)]
            )
        if isinstance(text, bytes):
            try:
                decoded = text.decode("utf-8")
            except UnicodeDecodeError as err:
                line = text[: err.start].count(b"\n") + 1
                raise ValidationError(
                    [Problem("the file is not UTF-8 text; save it as UTF-8", name, line)]
                ) from None
            text = decoded
        return self.repository.add_study(study_yaml.loads(text, name))

    def export_yaml(self, study_id: int) -> str:
        """The study as YAML text, the format of ``koers new`` and ``koers validate``."""
        return study_yaml.dumps(self.get(study_id).study)

    def get(self, study_id: int) -> StoredStudy:
        """The study with its object versions; ``NotFoundError`` if there is none."""
        return self.repository.get_study(study_id)

    def delete(self, study_id: int) -> None:
        """Remove a study."""
        self.repository.delete_study(study_id)

    def ensure_demo(self, demo: Study | None = None) -> int:
        """The id of the demo study in this database, added once.

        ``demo`` is the demo study to add (default: the Corona template for the example
        municipality, :func:`koers.services.studies.demo_study`); a study with its title
        and organisation counts as present.
        """
        demo = demo or _demo()
        for summary in self.list_studies():
            if summary.organisation == demo.organisation and summary.title == demo.title:
                return summary.id
        study_id = self.repository.add_study(demo)
        if demo.indicators:
            target = signals.DatabaseTarget(self.repository, study_id, demo)
            signals.import_file(target, studies.demo_observations())
        return study_id

    # Edits -----------------------------------------------------------------------------

    def update_study(self, study_id: int, changes: Mapping[str, Any], version: int) -> StoredStudy:
        """Change study fields (title, organisation, description) seen at ``version``."""
        _only(changes, STUDY_FIELDS, "study")
        return self.repository.update_study(study_id, changes, version)

    def update_scenario(
        self, study_id: int, key: str, changes: Mapping[str, Any], version: int
    ) -> StoredStudy:
        """Change fields of scenario ``key`` seen at ``version``."""
        _only(changes, SCENARIO_FIELDS, "scenario")
        return self.repository.update_scenario(study_id, key, changes, version)

    def update_descriptor(
        self, study_id: int, key: str, changes: Mapping[str, Any], version: int
    ) -> StoredStudy:
        """Change the name or description of descriptor ``key`` seen at ``version``."""
        _only(changes, DESCRIPTOR_FIELDS, "descriptor")
        return self.repository.update_descriptor(study_id, key, changes, version)

    def save_section(
        self,
        study_id: int,
        source: str,
        target: str,
        cells: Mapping[tuple[str, str], object],
        *,
        version: int | None,
        reason: Text | str | None = "keep",
        notes: Mapping[tuple[str, str], Text | None] | None = None,
    ) -> StoredStudy:
        """Write judgements of ``source`` on ``target`` and their reasons, all or nothing.

        ``cells`` maps (source variant, target variant) to a judgement (an int or its text;
        empty is 0). ``reason`` is a :class:`Text`, ``None`` (remove) or ``"keep"``.
        ``notes`` maps cells to the note on their judgement, ``None`` removing it; cells it
        leaves out keep their notes. The section as a whole is checked first (values,
        variants, a reason or note for strong judgements); nothing is written when anything
        is wrong. ``version`` is the
        section's version as the person saw it (``None`` when it was not written yet).
        """
        stored = self.get(study_id)
        study = stored.study
        source_d = _descriptor(study, source)
        target_d = _descriptor(study, target)
        if source == target:
            raise ValidationError([Problem("a descriptor has no judgements on itself")])
        current = study.judgement_section(source, target)
        values: dict[tuple[str, str], int] = {}
        problems = []
        for (source_variant, target_variant), raw in cells.items():
            where = f"{source}.{source_variant} -> {target}.{target_variant}"
            if source_d.variant(source_variant) is None:
                problems.append(Problem(f"'{source_variant}' is not a variant of '{source}'"))
            elif target_d.variant(target_variant) is None:
                problems.append(Problem(f"'{target_variant}' is not a variant of '{target}'"))
            else:
                try:
                    values[source_variant, target_variant] = parse_judgement(raw)
                except ValueError as err:
                    problems.append(Problem(str(err), where))
        for source_variant, target_variant in notes or {}:
            if source_d.variant(source_variant) is None:
                problems.append(Problem(f"'{source_variant}' is not a variant of '{source}'"))
            elif target_d.variant(target_variant) is None:
                problems.append(Problem(f"'{target_variant}' is not a variant of '{target}'"))
        if problems:
            raise ValidationError(problems)
        changed_notes = {
            cell: text
            for cell, text in (notes or {}).items()
            if (current.note(*cell) if current else None) != text
        }
        old_reason = current.reason if current else None
        new_reason = old_reason if isinstance(reason, str) else reason
        changed = {
            cell: value
            for cell, value in values.items()
            if (current.score(*cell) if current else 0) != value
        }
        _check_section(study, current, source, target, changed, new_reason, changed_notes)
        return self.repository.set_section(
            study_id,
            source,
            target,
            changed,
            reason="keep" if new_reason == old_reason else new_reason,
            notes=changed_notes or None,
            version=version,
        )

    # Signals ---------------------------------------------------------------------------

    def signal_status(self, study_id: int) -> signals.SignalStatus:
        """Where the study stands: assessment, reasons, alerts, signposts (cached per change)."""
        stored = self.get(study_id)
        key = ("signals", stored.id, stored.revision, self.repository.signals.revision(study_id))
        with self._lock:
            if key in self._statuses:
                return self._statuses[key]
        status = signals.signal_status(self._target(stored))
        with self._lock:
            self._statuses[key] = status
            while len(self._statuses) > _CACHE_SIZE:
                self._statuses.popitem(last=False)
        return status

    def import_observations(
        self, study_id: int, content: bytes, filename: str, *, skip_bad: bool = False
    ) -> signals.ImportSummary:
        """Import an uploaded CSV or .xlsx of observations; all or nothing unless skip_bad."""
        if len(content) > MAX_OBSERVATION_BYTES:
            raise ValidationError(
                [
                    Problem(
                        f"the file is larger than {MAX_OBSERVATION_BYTES // 1_000_000} MB; "
                        "split it into smaller files",
                        filename,
                    )
                ]
            )
        target = self._target(self.get(study_id))
        return signals.import_upload(target, content, filename, skip_bad=skip_bad)

    def set_alert_status(
        self,
        study_id: int,
        indicator: str,
        trigger: str,
        period: str,
        status: AlertStatus,
        note: str | None = None,
    ) -> None:
        """Acknowledge or close an alert that fired (or make it new again)."""
        target = self._target(self.get(study_id))
        signals.set_alert_status(target, indicator, trigger, period, status, note)

    def example_observations(self) -> tuple[str, bytes]:
        """The name and content of the template's example import file."""
        path = studies.example_observations()
        return path.name, path.read_bytes()

    def _target(self, stored: StoredStudy) -> signals.DatabaseTarget:
        return signals.DatabaseTarget(self.repository, stored.id, stored.study)

    # Cross-impact balance --------------------------------------------------------------

    def tableau(self, stored: StoredStudy, fixed: Mapping[str, str] | None = None) -> Tableau:
        """The consistent scenarios of ``stored``, with the variants in ``fixed`` imposed.

        ``fixed`` maps descriptor keys to variant keys; the result is cached per study
        version, so a page view solves at most once.
        """
        study = stored.study
        fixed = dict(fixed or {})
        indexes: dict[int, int] = {}
        problems = []
        for descriptor_key, variant_key in fixed.items():
            try:
                descriptor = study.descriptor(descriptor_key)
            except KeyError:
                problems.append(Problem(f"'{descriptor_key}' is not a descriptor"))
                continue
            keys = [variant.key for variant in descriptor.variants]
            if variant_key not in keys:
                problems.append(Problem(f"'{variant_key}' is not a variant of '{descriptor_key}'"))
                continue
            indexes[study.descriptors.index(descriptor)] = keys.index(variant_key)
        if problems:
            raise ValidationError(problems)
        key = (stored.id, _solve_key(stored), tuple(sorted(indexes.items())))
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        matrix = study_matrix(study)
        solution = solve(matrix, fixed=indexes, limit=TABLEAU_LIMIT)
        rows = tuple(scenario_rows(matrix, solution))
        baseline = solution
        if indexes:
            baseline = solve(matrix, limit=TABLEAU_LIMIT)
        result = Tableau(
            descriptors=matrix.descriptors,
            fixed=fixed,
            scenarios=rows,
            kept=tuple(evaluate(matrix, [v - 1 for v in row.variants]).consistent for row in rows),
            baseline=baseline.count,
            space=solution.space,
            complete=solution.complete,
            baseline_complete=baseline.complete,
        )
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return result


def _demo() -> Study:
    return studies.new_study(
        "corona-lokale-besturen",
        organisation=studies.DEMO_ORGANISATION,
        municipality=studies.DEMO_MUNICIPALITY,
    )


def _solve_key(stored: StoredStudy) -> tuple[object, ...]:
    """What a solution depends on: the descriptors, their variants and the judgements."""
    shape = tuple((d.key, tuple(v.key for v in d.variants)) for d in stored.study.descriptors)
    judged = tuple(sorted(v for v in stored.versions.items() if v[0].startswith("judgements:")))
    return shape, judged


def _only(changes: Mapping[str, Any], allowed: tuple[str, ...], what: str) -> None:
    wrong = [name for name in changes if name not in allowed]
    if wrong:
        names = ", ".join(f"'{name}'" for name in wrong)
        raise ValidationError(
            [Problem(f"cannot change {names} of a {what}; change one of: {', '.join(allowed)}")]
        )
    if not changes:
        raise ValidationError([Problem(f"nothing to change; give one of: {', '.join(allowed)}")])


def _descriptor(study: Study, key: str) -> Any:
    try:
        return study.descriptor(key)
    except KeyError:
        raise NotFoundError(f"the study has no descriptor '{key[:64]}'") from None


def _check_section(
    study: Study,
    current: Any,
    source: str,
    target: str,
    changed: Mapping[tuple[str, str], int],
    reason: Text | None,
    notes: Mapping[tuple[str, str], Text | None],
) -> None:
    """Validate the study as it would be after the write, before writing anything."""
    impacts: dict[str, dict[str, int]] = {
        k: dict(row) for k, row in (current.impacts.items() if current else ())
    }
    for (source_variant, target_variant), value in changed.items():
        row = impacts.setdefault(source_variant, {})
        if value:
            row[target_variant] = value
        else:
            row.pop(target_variant, None)
    impacts = {k: row for k, row in impacts.items() if row}
    all_notes: dict[str, dict[str, Text]] = {
        k: dict(row) for k, row in (current.notes.items() if current else ())
    }
    for (source_variant, target_variant), text in notes.items():
        row_notes = all_notes.setdefault(source_variant, {})
        if text is None:
            row_notes.pop(target_variant, None)
        else:
            row_notes[target_variant] = text
    section = {
        "source": source,
        "target": target,
        "impacts": impacts,
        "reason": reason,
        "notes": {k: row for k, row in all_notes.items() if row},
    }
    sections = [s for s in study.judgements if (s.source, s.target) != (source, target)]
    data = study.model_dump()
    data["judgements"] = [s.model_dump() for s in sections] + [section]
    try:
        Study.model_validate(data)
    except pydantic.ValidationError as err:
        problems = study_yaml.describe_errors(err).problems
        raise ValidationError(problems) from None
