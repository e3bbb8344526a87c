"""The web workbench's use cases: studies in a database, edited object by object.

A :class:`Workbench` wraps the storage :class:`~koers.store.repository.Repository` and adds
what a person at the workbench asks for: create a study from a template, import and export
study YAML, edit a scenario, a descriptor or a section of cross-impact judgements (each write
checked against the version the person saw), and solve the study's cross-impact balance with
some variants fixed (an intervention). Solutions are cached per study version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pydantic

from koers.errors import ConflictError, NotFoundError, Problem, ValidationError
from koers.io import study_yaml, upload_names
from koers.methods.cib.chains import Hold
from koers.methods.cib.from_study import study_matrix
from koers.methods.cib.scores import evaluate
from koers.methods.cib.solve import solve
from koers.methods.cib.succession import Rule
from koers.model import JUDGEMENT_RANGE, Language, Study, Text
from koers.model.rounds import Round
from koers.model.signals import AlertStatus
from koers.model.strategy import FIT_RANGE, Decision, PolicyScore, Strategy, Verdict
from koers.services import signal_views, signals, studies, targets
from koers.services import strategy as strategy_service
from koers.services.chains import ChainReport, chain
from koers.services.cib import SolvedScenario, scenario_rows
from koers.services.events import EventSet, SimulationRun, simulate_events
from koers.services.micmac import MicmacReport, micmac_study
from koers.services.rounds import Rounds
from koers.store.repository import Repository, StoredStudy, StudySummary

__all__ = [
    "EVENT_EFFECT_RUNS",
    "EVENT_RUNS_LIMIT",
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
EVENT_RUNS_LIMIT = 1_000_000
"""The most runs of an event simulation at the workbench (about a second of work)."""
EVENT_EFFECT_RUNS = 20_000
"""Forced runs per event and side when the workbench measures each event's effect."""


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
        self._statuses: OrderedDict[tuple[Any, ...], signal_views.SignalStatus] = OrderedDict()
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
        name = upload_names.base_name(name, "<upload>")
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
            target = targets.DatabaseTarget(self.repository, study_id, demo)
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

    def signal_status(self, study_id: int) -> signal_views.SignalStatus:
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
    ) -> signal_views.ImportSummary:
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

    def _target(self, stored: StoredStudy) -> targets.DatabaseTarget:
        return targets.DatabaseTarget(self.repository, stored.id, stored.study)

    # Strategy review -------------------------------------------------------------------
    # Thin use cases of issue 6 for the web workbench (koers.web.routes.strategy). Scores and
    # decisions are merged into the study's strategy as it is stored now, so two participants
    # judging at once do not overwrite each other; a write that loses a race is retried.

    def strategy_review(self, study_id: int) -> strategy_service.StrategyReview:
        """The review of the study's strategy, the scenarios weighed by its signals when it
        has an assessment (equally otherwise)."""
        stored = self.get(study_id)
        likelihoods: dict[str, float] | None = None
        month: str | None = None
        if stored.study.scenarios and stored.study.indicators:
            status = self.signal_status(study_id)
            if status.month and sum(s.likelihood for s in status.scenarios) > 0:
                likelihoods = {s.key: s.likelihood for s in status.scenarios}
                month = status.month
        return strategy_service.review(stored.study, likelihoods, month=month)

    def import_registers(
        self, study_id: int, content: bytes, filename: str
    ) -> strategy_service.StrategyImport:
        """Merge an uploaded register file (.xlsx or CSV) into the study's strategy; all or
        nothing, every problem with its row and column, named after the upload."""
        name = upload_names.base_name(filename, "upload.xlsx")  # for messages, never a path
        if len(content) > MAX_OBSERVATION_BYTES:
            limit = MAX_OBSERVATION_BYTES // 1_000_000
            raise ValidationError([Problem(f"the file is larger than {limit} MB", name)])
        if Path(name).suffix.lower() not in REGISTER_SUFFIXES:
            raise ValidationError(
                [Problem(f"'{name}' is neither an Excel (.xlsx) nor a CSV file; save it as one")]
            )
        target = self._target(self.get(study_id))
        with tempfile.TemporaryDirectory(prefix="koers-upload-") as folder:
            path = Path(folder) / upload_names.disk_name(name)
            path.write_bytes(content)
            try:
                return strategy_service.import_registers(target, path)
            except ValidationError as err:
                raise ValidationError(
                    [
                        dataclasses.replace(p, path=p.path.replace(str(path), name))
                        if p.path
                        else p
                        for p in err.problems
                    ]
                ) from None

    def export_registers(self, study_id: int, language: Language | None = None) -> bytes:
        """The study's registers as an Excel workbook (headers in ``language``)."""
        study = self.get(study_id).study
        with tempfile.TemporaryDirectory(prefix="koers-export-") as folder:
            path = Path(folder) / "registers.xlsx"
            strategy_service.export_registers(study, path, language=language)
            return path.read_bytes()

    def set_scores(
        self,
        study_id: int,
        participant: str,
        scores: Mapping[tuple[str, str], int | None],
        reasons: Mapping[tuple[str, str], Text | None] | None = None,
    ) -> StoredStudy:
        """Write one participant's judgements: ``scores`` maps (policy, scenario) to a score
        in -2..+2, or ``None`` to withdraw it; ``reasons`` the optional reason of a cell.

        Merged by (policy, scenario, participant): other participants' scores stay. Every
        problem (an unknown policy or scenario, a score out of range, no name) is reported
        at once and nothing is written.
        """
        name = participant.strip()
        reasons = reasons or {}

        def change(strategy: Strategy, study: Study) -> Strategy:
            problems = _score_problems(study, strategy, name, scores)
            if problems:
                raise ValidationError(problems)
            kept = [
                s
                for s in strategy.scores
                if s.participant != name or (s.policy, s.scenario) not in scores
            ]
            for (policy, scenario), value in scores.items():
                if value is not None:
                    kept.append(
                        PolicyScore(
                            policy=policy,
                            scenario=scenario,
                            participant=name,
                            score=value,
                            reason=reasons.get((policy, scenario)),
                        )
                    )
            return strategy.model_copy(update={"scores": tuple(kept)})

        return self._change_strategy(study_id, change)

    def record_decision(
        self,
        study_id: int,
        policy: str,
        verdict: Verdict,
        reason: Text,
        decided_by: str,
        *,
        version: int | None = None,
        today: dt.date | None = None,
    ) -> StoredStudy:
        """Record the team's verdict on ``policy`` with its reason (it overrules or confirms
        the recommendation, which the review keeps showing beside it). ``version`` is the
        study's version the person saw; a stale one raises ``ConflictError``."""
        who = decided_by.strip()

        def change(strategy: Strategy, study: Study) -> Strategy:
            problems = []
            if policy not in {p.key for p in strategy.policies}:
                problems.append(Problem(f"there is no policy '{policy[:64]}'", "policy"))
            if not who:
                problems.append(Problem("say who decided (a name or a body)", "decided_by"))
            if problems:
                raise ValidationError(problems)
            decision = Decision(
                policy=policy,
                verdict=verdict,
                reason=reason,
                decided_by=who,
                decided_on=today or dt.date.today(),
            )
            return strategy.model_copy(update={"decisions": (*strategy.decisions, decision)})

        return self._change_strategy(study_id, change, version=version)

    def set_initiative_status(
        self,
        study_id: int,
        key: str,
        status: InitiativeStatus,
        reason: Text | None = None,
        *,
        today: dt.date | None = None,
    ) -> StoredStudy:
        """Move initiative ``key`` to ``status`` (idea, pilot, embedded, stopped) as of
        ``today``; ``reason`` says why it stopped or how it was embedded (kept when None)."""

        def change(strategy: Strategy, study: Study) -> Strategy:
            items = list(strategy.initiatives)
            found = [i for i, item in enumerate(items) if item.key == key]
            if not found:
                raise NotFoundError(f"the study has no initiative '{key[:64]}'")
            item = items[found[0]]
            update: dict[str, Any] = {"status": status}
            if status != item.status:
                update["changed"] = today or dt.date.today()
            if reason is not None:
                update["reason"] = reason
            items[found[0]] = item.model_copy(update=update)
            return strategy.model_copy(update={"initiatives": tuple(items)})

        return self._change_strategy(study_id, change)

    def _change_strategy(
        self,
        study_id: int,
        change: Callable[[Strategy, Study], Strategy],
        *,
        version: int | None = None,
    ) -> StoredStudy:
        """Apply ``change`` to the stored strategy and write it at the study's version:
        ``version`` when given (a stale one is a conflict), else the one just read (retried
        twice when another write came in between)."""
        for attempt in range(3):
            stored = self.get(study_id)
            changed = change(stored.study.strategy or Strategy(), stored.study)
            document = {"strategy": changed.model_dump(mode="json")}
            try:
                return self.repository.update_study(
                    study_id, document, stored.versions["study"] if version is None else version
                )
            except ConflictError:
                if version is not None or attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    # End of the strategy review section ------------------------------------------------

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

    # Structure: MICMAC, chains, events -------------------------------------------------
    # Thin use cases of issue 7 for the web workbench (koers.web.routes.structure); each
    # result is cached per study version (its revision), like ``tableau``.

    def micmac(self, stored: StoredStudy) -> MicmacReport:
        """The structural analysis (MICMAC) of ``stored``'s judgements, with its suggestions.

        A study with fewer than two descriptors has none: ``ValidationError`` says so.
        """
        count = len(stored.study.descriptors)
        if count < 2:
            raise ValidationError(
                [
                    Problem(
                        f"the study has {count} descriptors; structural analysis needs two or "
                        "more: add descriptors in the study file",
                        "descriptors",
                    )
                ]
            )
        report: MicmacReport = self._structure_cached(
            ("micmac", stored.id, stored.revision), lambda: micmac_study(stored.study)
        )
        return report

    def chain(
        self,
        stored: StoredStudy,
        start: Mapping[str, str],
        shock: Mapping[str, str],
        rule: Rule = "global",
        *,
        hold: Hold = "fixed",
        language: Language | None = None,
    ) -> ChainReport:
        """The succession chain of ``stored`` from ``start`` after ``shock`` (see
        :func:`koers.services.chains.chain`), its texts in ``language``."""
        key = (
            "chain",
            stored.id,
            stored.revision,
            tuple(sorted(start.items())),
            tuple(sorted(shock.items())),
            rule,
            hold,
            language,
        )
        report: ChainReport = self._structure_cached(
            key, lambda: chain(stored.study, start, shock, rule, hold=hold, language=language)
        )
        return report

    def simulate_events(self, stored: StoredStudy, *, runs: int, seed: int) -> SimulationRun:
        """The Gordon-Hayward simulation of ``stored``'s events, ``runs`` runs from ``seed``.

        ``runs`` is 1 to :data:`EVENT_RUNS_LIMIT`; each event's effect on the others is
        measured from at most :data:`EVENT_EFFECT_RUNS` forced runs. A study without events
        has nothing to simulate: ``ValidationError`` says how to add them.
        """
        problems = []
        if not 1 <= runs <= EVENT_RUNS_LIMIT:
            problems.append(
                Problem(
                    f"runs is {runs}; choose a whole number from 1 to {EVENT_RUNS_LIMIT}", "runs"
                )
            )
        if not 0 <= seed < 2**63:
            problems.append(
                Problem(f"seed is {seed}; choose a whole number from 0 to 2^63 - 1", "seed")
            )
        if not stored.study.events:
            problems.append(
                Problem(
                    "the study lists no events; add them under 'events:' (key, name, "
                    "probability) and their impacts under 'event_impacts:' in the study file",
                    "events",
                )
            )
        if problems:
            raise ValidationError(problems)
        events = EventSet(stored.study.events, stored.study.event_impacts)
        run: SimulationRun = self._structure_cached(
            ("events", stored.id, stored.revision, runs, seed),
            lambda: simulate_events(
                events, runs=runs, seed=seed, effect_runs=min(runs, EVENT_EFFECT_RUNS)
            ),
        )
        return run

    def _structure_cached(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """``compute()``, remembered under ``key`` (the most recent ``_CACHE_SIZE`` kept)."""
        cache: OrderedDict[tuple[Any, ...], Any] | None = getattr(self, "_structure", None)
        with self._lock:
            if cache is None:
                cache = OrderedDict()
                self._structure: OrderedDict[tuple[Any, ...], Any] = cache
            if key in cache:
                cache.move_to_end(key)
                return cache[key]
        value = compute()
        with self._lock:
            cache[key] = value
            while len(cache) > _CACHE_SIZE:
                cache.popitem(last=False)
        return value

    # End of the structure section ------------------------------------------------------

    # Workshop rounds -------------------------------------------------------------------
    # Thin use cases of issue 9 for the web workbench (koers.web.routes.rounds); the rules
    # live in koers.services.rounds.

    @property
    def workshop(self) -> Rounds:
        """The workshop rounds of the studies (:class:`koers.services.rounds.Rounds`)."""
        return Rounds(self.repository)

    def study_rounds(self, study_id: int) -> list[Round]:
        """The rounds of study ``study_id``, the oldest first (a ``NotFoundError`` without it)."""
        self.repository.get_study(study_id)
        return self.workshop.rounds(study_id)

    def study_round(self, study_id: int, round_id: int) -> Round:
        """Round ``round_id`` of study ``study_id``; a ``NotFoundError`` when it is another's."""
        found = self.workshop.get(round_id)
        if found.study != study_id:
            raise NotFoundError(f"study {study_id} has no round {round_id}")
        return found

    # End of the workshop rounds section ------------------------------------------------


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


# Strategy review helpers -----------------------------------------------------------------

REGISTER_SUFFIXES = (".xlsx", ".csv")
"""The register files the workbench imports."""

InitiativeStatus = Literal["idea", "pilot", "embedded", "stopped"]


def _score_problems(
    study: Study,
    strategy: Strategy,
    participant: str,
    scores: Mapping[tuple[str, str], int | None],
) -> list[Problem]:
    """What is wrong with a participant's scores, all at once."""
    low, high = FIT_RANGE
    problems = []
    if not participant:
        problems.append(Problem("give your name, so your scores are kept apart", "participant"))
    elif len(participant) > 80:
        problems.append(Problem("the name is longer than 80 characters", "participant"))
    policies = {p.key for p in strategy.policies}
    scenarios = {s.key for s in study.scenarios}
    for (policy, scenario), value in scores.items():
        where = f"{policy}.{scenario}"
        if policy not in policies:
            problems.append(Problem(f"there is no policy '{policy[:64]}'", where))
        elif scenario not in scenarios:
            problems.append(Problem(f"there is no scenario '{scenario[:64]}'", where))
        elif value is not None and not low <= value <= high:
            problems.append(
                Problem(
                    f"score {value:+d} is outside {low}..+{high}; choose one of the five", where
                )
            )
    return problems
