"""The repository: studies in a database, read whole and edited one object at a time.

Every object a person edits (the study's own fields, a descriptor, a scenario, the judgements
of one descriptor on another) carries a version. A write names the version it was made on;
when someone else changed the object since, the write is refused with
:class:`koers.errors.ConflictError`. A write is one transaction: the change is applied, the
whole study is validated by the model, and nothing is written when that fails.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, Self, cast

import sqlalchemy as sa
from sqlalchemy.orm import selectinload, sessionmaker

from koers.errors import KoersError, NotFoundError, Problem, ValidationError
from koers.model import Language, Study, Text
from koers.model.strategy import Strategy
from koers.store import audit, guards, mapping, migrate
from koers.store import engine as engines
from koers.store.accounts import AccountStore
from koers.store.audit import AuditLog
from koers.store.mapping import Document
from koers.store.rounds import RoundStore
from koers.store.signals import SignalStore
from koers.store.tables import DescriptorRow, JudgementRow, ScenarioRow, StudyRow

__all__ = ["Repository", "StoredStudy", "StudySummary"]


@dataclass(frozen=True)
class StudySummary:
    """What a list of studies shows of each."""

    id: int
    title: Text
    organisation: str
    language: Language
    updated: dt.datetime
    version: int


@dataclass(frozen=True)
class StoredStudy:
    """A study as stored, with the version of each object in it.

    ``versions`` maps an object id to its version: ``"study"`` (the study's own fields),
    ``"descriptor:<key>"``, ``"scenario:<key>"`` and ``"judgements:<source>:<target>"``.
    """

    id: int
    study: Study
    versions: Mapping[str, int]

    @property
    def revision(self) -> int:
        """A number that grows with every write to the study: the sum of its versions.

        Each write adds 1 to one object's version or adds an object at version 1, so two
        reads of one study with the same revision hold the same study.
        """
        return sum(self.versions.values())


class Repository:
    """Studies in a SQLite or PostgreSQL database; open one with :meth:`open`.

    >>> from koers.model import Study, Text
    >>> repo = Repository.open("sqlite://")
    >>> study = Study(title=Text(nl="Verkenning"), organisation="Gemeente X",
    ...               horizon="2030-01-01")
    >>> study_id = repo.add_study(study)
    >>> stored = repo.get_study(study_id)
    >>> stored.study == study, stored.versions
    (True, {'study': 1})
    >>> stored = repo.update_study(study_id, {"organisation": "Gemeente Y"}, version=1)
    >>> stored.study.organisation, stored.versions
    ('Gemeente Y', {'study': 2})
    >>> repo.close()
    """

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        # Validated studies by id, with the stamp they were read at (see _stamp_query).
        self._cache: dict[int, tuple[sa.Row[Any], StoredStudy]] = {}
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(engine.execution_options(**engines.WRITE))

    @classmethod
    def open(cls, url: str) -> Repository:
        """The repository in the database at ``url``, migrated to the newest schema.

        ``url`` is ``sqlite:///path/to/koers.db`` (``sqlite://`` keeps it in memory) or
        ``postgresql+psycopg://user:password@host/database``.

        Raises
        ------
        koers.errors.KoersError
            When the URL is not one Koers can use, or the database cannot be reached.
        """
        parsed = engines.parse_url(url)
        engine = engines.create(parsed)
        try:
            if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
                # A database in memory lives in the engine's one connection: migrate that one.
                with engine.begin() as connection:
                    migrate.upgrade_connection(connection)
            else:
                migrate.upgrade(parsed)
        except sa.exc.OperationalError as err:
            engine.dispose()
            reason = str(err.orig).strip().splitlines()[0] if err.orig else str(err)
            raise KoersError(
                f"cannot open the database {parsed.render_as_string(hide_password=True)}: "
                f"{reason}; check the URL, and that the server runs or the folder exists"
            ) from err
        return cls(engine)

    @functools.cached_property
    def signals(self) -> SignalStore:
        """The observations and alert statuses of the studies, in this repository's database."""
        return SignalStore(self._engine)

    @functools.cached_property
    def accounts(self) -> AccountStore:
        """The users, their roles, invitations and sessions, in this repository's database."""
        return AccountStore(self._engine)

    @functools.cached_property
    def audit(self) -> AuditLog:
        """The log of every change, in this repository's database (see :mod:`koers.store.audit`)."""
        return AuditLog(self._engine)

    @functools.cached_property
    def rounds(self) -> RoundStore:
        """The workshop rounds and their submissions, in this repository's database."""
        return RoundStore(self._engine)

    def close(self) -> None:
        """Close every connection to the database."""
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- reading ---------------------------------------------------------------------------

    def list_studies(self) -> list[StudySummary]:
        """Every study, the most recently changed first."""
        query = sa.select(
            StudyRow.id,
            StudyRow.title,
            StudyRow.organisation,
            StudyRow.language,
            StudyRow.updated,
            StudyRow.version,
        ).order_by(StudyRow.updated.desc(), StudyRow.id.desc())
        with self._reader() as session:
            return [
                StudySummary(
                    id=row.id,
                    title=Text.model_validate(row.title),
                    organisation=row.organisation,
                    language=cast(Language, row.language),
                    updated=row.updated,
                    version=row.version,
                )
                for row in session.execute(query)
            ]

    def get_study(self, study_id: int) -> StoredStudy:
        """The study with ``study_id`` and the versions of its objects.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such study.
        """
        with self._reader() as session:
            stamp = session.execute(_stamp_query(study_id)).one_or_none()
            if stamp is None:
                self._cache.pop(study_id, None)
                raise _no_study(study_id)
            cached = self._cache.get(study_id)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            row = session.scalars(_study_query(study_id)).one_or_none()
            if row is None:
                raise _no_study(study_id)
            stored = _stored(row, guards.validated(mapping.study_document(row)))
        if len(self._cache) >= _CACHED_STUDIES:
            self._cache.pop(next(iter(self._cache)))
        self._cache[study_id] = (stamp, stored)
        return stored

    # -- writing ---------------------------------------------------------------------------

    def add_study(self, study: Study, *, actor: str | None = None) -> int:
        """Store a whole study (in one transaction) and give its id.

        Raises
        ------
        koers.errors.ValidationError
            When the study holds what a database cannot store (the NUL character).
        """
        guards.storable(study)
        with self._writer.begin() as session:
            row = mapping.new_study_row(study, _now())
            session.add(row)
            session.flush()
            changes = audit.document_changes(None, mapping.study_document(row))
            audit.record(session, actor=actor, study_id=row.id, action="add", changes=changes)
            return row.id

    def delete_study(self, study_id: int, *, actor: str | None = None) -> None:
        """Remove a study with everything in it.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such study.
        """
        with self._writer.begin() as session:
            row = session.scalars(_study_query(study_id).with_for_update()).one_or_none()
            if row is None:
                raise _no_study(study_id)
            changes = audit.document_changes(mapping.study_document(row), None)
            session.execute(sa.delete(StudyRow).where(StudyRow.id == study_id))
            audit.record(session, actor=actor, study_id=study_id, action="delete", changes=changes)

    def update_study(
        self,
        study_id: int,
        changes: Mapping[str, Any],
        version: int,
        *,
        actor: str | None = None,
    ) -> StoredStudy:
        """Change the study's own fields (title, organisation, horizon, framing, ...).

        ``changes`` maps field names to new values in the model's JSON form. Descriptors,
        scenarios and judgements are changed with their own methods.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such study.
        koers.errors.ConflictError
            When ``version`` is not the stored version of the study's fields.
        koers.errors.ValidationError
            When the changed study breaks a rule of the model; nothing is written.
        """
        with self._write(study_id, actor) as (row, document):
            for name in mapping.CHILDREN:
                if name in changes:
                    raise ValidationError(
                        [Problem(f"change {name} one at a time, not as a field of the study", name)]
                    )
            guards.check_version(
                "the study's own fields",
                row.version,
                version,
                current={name: document.get(name) for name in changes},
                attempted=dict(changes),
            )
            document.update(changes)
            study = guards.validated(document)
            mapping.fill_study_row(row, study)
            row.version += 1
            return _stored(row, study)

    def update_descriptor(
        self,
        study_id: int,
        key: str,
        changes: Mapping[str, Any],
        version: int,
        *,
        actor: str | None = None,
    ) -> StoredStudy:
        """Change a descriptor: its name, description, variants or key.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such study or descriptor.
        koers.errors.ConflictError
            When ``version`` is not the descriptor's stored version.
        koers.errors.ValidationError
            When the changed study breaks a rule of the model; nothing is written.
        """
        return self._update_child(study_id, "descriptors", key, changes, version, actor)

    def update_scenario(
        self,
        study_id: int,
        key: str,
        changes: Mapping[str, Any],
        version: int,
        *,
        actor: str | None = None,
    ) -> StoredStudy:
        """Change a scenario: its name, narrative, focus areas, quadrant, key, ...

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such study or scenario.
        koers.errors.ConflictError
            When ``version`` is not the scenario's stored version.
        koers.errors.ValidationError
            When the changed study breaks a rule of the model; nothing is written.
        """
        return self._update_child(study_id, "scenarios", key, changes, version, actor)

    def set_judgement(
        self,
        study_id: int,
        source: str,
        source_variant: str,
        target: str,
        target_variant: str,
        value: int,
        version: int | None,
        *,
        actor: str | None = None,
    ) -> StoredStudy:
        """Set the judgement of ``source_variant`` on ``target_variant``; 0 removes it.

        One cell of :meth:`set_section`; ``version`` is as there.
        """
        cells = {(source_variant, target_variant): value}
        return self.set_section(study_id, source, target, cells, version=version, actor=actor)

    def set_judgement_reason(
        self,
        study_id: int,
        source: str,
        target: str,
        reason: Text | None,
        version: int | None,
        *,
        actor: str | None = None,
    ) -> StoredStudy:
        """Give (or with ``None`` remove) the reason of the judgements of ``source`` on ``target``.

        The reason alone, by :meth:`set_section`; ``version`` is as there.
        """
        return self.set_section(
            study_id, source, target, {}, reason=reason, version=version, actor=actor
        )

    def set_section(
        self,
        study_id: int,
        source: str,
        target: str,
        cells: Mapping[tuple[str, str], int],
        *,
        reason: Text | Literal["keep"] | None = "keep",
        notes: Mapping[tuple[str, str], Text | None] | None = None,
        version: int | None,
        actor: str | None = None,
    ) -> StoredStudy:
        """Set judgements of ``source`` on ``target`` and their reasons in one transaction.

        ``cells`` maps (source variant, target variant) to a judgement; 0 removes it.
        ``reason`` is a text, ``None`` (remove it) or ``"keep"``. ``notes`` maps cells to
        the note on their judgement, or to ``None`` to remove it; the notes of cells it leaves
        out stay as they are (a cell set to 0 keeps its note). ``version`` is the version
        of the section ``"judgements:<source>:<target>"``, or ``None`` when the section does
        not exist yet (it is then made). All of it is written, or nothing.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such study.
        koers.errors.ConflictError
            When ``version`` is not the section's stored version; it shows the stored and
            the attempted values of the cells (reason, notes) being written; a note under
            ``"note:<source variant>-><target variant>"``.
        koers.errors.ValidationError
            When the changed study breaks a rule of the model (a value outside -3..+3, an
            unknown variant, a strong judgement without a reason); nothing is written.
        """
        attempted_reason = reason.model_dump(mode="json") if isinstance(reason, Text) else reason
        attempted_notes = {
            cell: None if text is None else text.model_dump(mode="json")
            for cell, text in (notes or {}).items()
        }
        makes_nothing = (
            all(value == 0 for value in cells.values())
            and reason in ("keep", None)
            and all(text is None for text in attempted_notes.values())
        )
        if version is None and makes_nothing:
            stored_study = self._unless_section(study_id, source, target)
            if stored_study is not None:
                return stored_study  # no section, and nothing to put in one
        with self._write(study_id, actor) as (row, document):
            section = _section(row, document, source, target)
            impacts: dict[str, dict[str, Any]] = section.setdefault("impacts", {})
            current: dict[str, Any] = {f"{a}->{b}": impacts.get(a, {}).get(b, 0) for a, b in cells}
            attempted: dict[str, Any] = {f"{a}->{b}": value for (a, b), value in cells.items()}
            if reason != "keep":
                current["reason"] = section.get("reason")
                attempted["reason"] = attempted_reason
            stored_notes: dict[str, dict[str, Any]] = section.setdefault("notes", {})
            for (a, b), text in attempted_notes.items():
                current[f"note:{a}->{b}"] = stored_notes.get(a, {}).get(b)
                attempted[f"note:{a}->{b}"] = text
            if len(cells) == 1 and reason == "keep" and not attempted_notes:
                current, attempted = next(iter(current.values())), next(iter(attempted.values()))
            elif not cells and reason != "keep" and not attempted_notes:
                current, attempted = current["reason"], attempted["reason"]
            guards.check_version(
                f"the judgements of '{source}' on '{target}'",
                _version_of(row, source, target),
                version,
                current=current,
                attempted=attempted,
            )
            for (source_variant, target_variant), value in cells.items():
                if value == 0:
                    row_cells = impacts.get(source_variant, {})
                    row_cells.pop(target_variant, None)
                    if not row_cells:
                        impacts.pop(source_variant, None)
                else:
                    impacts.setdefault(source_variant, {})[target_variant] = value
            if reason != "keep":
                section["reason"] = attempted_reason
            for (source_variant, target_variant), text in attempted_notes.items():
                if text is None:
                    row_notes = stored_notes.get(source_variant, {})
                    row_notes.pop(target_variant, None)
                    if not row_notes:
                        stored_notes.pop(source_variant, None)
                else:
                    stored_notes.setdefault(source_variant, {})[target_variant] = text
            return self._save_section(row, document, source, target)

    def set_sections(
        self,
        study_id: int,
        cells: Mapping[tuple[str, str], Mapping[tuple[str, str], int]],
        *,
        notes: Mapping[tuple[str, str], Mapping[tuple[str, str], Text | None]] | None = None,
        versions: Mapping[tuple[str, str], int | None],
        actor: str | None = None,
    ) -> StoredStudy:
        """Set judgements (and notes) of several sections in one transaction.

        ``cells`` maps each section (source, target) to its changed cells, as
        :meth:`set_section` takes them (0 removes a judgement); ``notes`` likewise maps
        sections to notes (``None`` removes one); ``versions`` maps each section to the
        version the writer read (``None``: the section does not exist yet). The study is
        checked once, with every section changed; all of it is written, or nothing (a
        workshop round's aggregate, applied at once).

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such study.
        koers.errors.ConflictError
            When a section's version is not the stored one (the first such section).
        koers.errors.ValidationError
            When the changed study breaks a rule of the model; nothing is written.
        """
        notes = notes or {}
        with self._write(study_id, actor) as (row, document):
            for (source, target), changed in cells.items():
                section = _section(row, document, source, target)
                impacts: dict[str, dict[str, Any]] = section.setdefault("impacts", {})
                guards.check_version(
                    f"the judgements of '{source}' on '{target}'",
                    _version_of(row, source, target),
                    versions.get((source, target)),
                    current={f"{a}->{b}": impacts.get(a, {}).get(b, 0) for a, b in changed},
                    attempted={f"{a}->{b}": value for (a, b), value in changed.items()},
                )
                for (source_variant, target_variant), value in changed.items():
                    if value == 0:
                        row_cells = impacts.get(source_variant, {})
                        row_cells.pop(target_variant, None)
                        if not row_cells:
                            impacts.pop(source_variant, None)
                    else:
                        impacts.setdefault(source_variant, {})[target_variant] = value
                stored_notes: dict[str, dict[str, Any]] = section.setdefault("notes", {})
                for (source_variant, target_variant), text in notes.get(
                    (source, target), {}
                ).items():
                    if text is None:
                        row_notes = stored_notes.get(source_variant, {})
                        row_notes.pop(target_variant, None)
                        if not row_notes:
                            stored_notes.pop(source_variant, None)
                    else:
                        stored_notes.setdefault(source_variant, {})[target_variant] = (
                            text.model_dump(mode="json")
                        )
            study = guards.validated(document)
            position = max((child.position for child in row.judgements), default=-1) + 1
            for index, section_model in enumerate(study.judgements):
                pair = (section_model.source, section_model.target)
                if pair not in cells:
                    continue
                child = _section_row(row, *pair)
                if child is not None:
                    mapping.fill_judgement_row(child, study.judgements[index])
                    child.version += 1
                else:
                    row.judgements.append(mapping.judgement_row(section_model, position=position))
                    position += 1
            return _stored(row, study)

    def _unless_section(self, study_id: int, source: str, target: str) -> StoredStudy | None:
        """The stored study when it has no section (source, target); ``None`` when it has.

        For writes that would make a new, empty section: they change nothing instead. (Should
        someone make the section in between, the write that follows finds it and refuses.)
        """
        stored = self.get_study(study_id)
        return None if f"judgements:{source}:{target}" in stored.versions else stored

    # -- the transaction of a write --------------------------------------------------------

    @contextmanager
    def _write(
        self, study_id: int, actor: str | None = None
    ) -> Iterator[tuple[StudyRow, Document]]:
        """A write transaction on one study: its row (locked) and its document to change.

        The study's row is locked first (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's
        ``BEGIN IMMEDIATE`` locks the database), so writes to one study queue and each one
        validates the study as the one before left it. Leaving the block with an error rolls
        everything back.

        Every field the block changed is recorded in the audit log, in the same transaction,
        as ``actor``'s change (see :func:`koers.store.audit.actor_of`).
        """
        with self._writer.begin() as session:
            row = session.scalars(_study_query(study_id).with_for_update()).one_or_none()
            if row is None:
                raise _no_study(study_id)
            before = mapping.study_document(row)
            yield row, mapping.study_document(row)
            row.updated = _now()
            changes = audit.document_changes(before, mapping.study_document(row))
            audit.record(session, actor=actor, study_id=study_id, action="edit", changes=changes)

    def _update_child(
        self,
        study_id: int,
        field: Literal["descriptors", "scenarios"],
        key: str,
        changes: Mapping[str, Any],
        version: int,
        actor: str | None,
    ) -> StoredStudy:
        what = f"{field.removesuffix('s')} '{key}'"
        with self._write(study_id, actor) as (row, document):
            children: list[DescriptorRow] | list[ScenarioRow] = getattr(row, field)
            index = _index(children, key, what, study_id)
            child = children[index]
            current = document[field][index]
            guards.check_version(
                what,
                child.version,
                version,
                current={name: current.get(name) for name in changes},
                attempted=dict(changes),
            )
            renamed = field == "scenarios" and changes.get("key", key) != key
            current.update(changes)
            if renamed and document.get("strategy"):
                strategy = Strategy.model_validate(document["strategy"])
                moved = strategy.with_scenario_renamed(key, changes["key"])
                document["strategy"] = moved.model_dump(mode="json")
            study = guards.validated(document)
            if isinstance(child, DescriptorRow):
                mapping.fill_descriptor_row(child, study.descriptors[index])
            else:
                mapping.fill_scenario_row(child, study.scenarios[index])
            if renamed:
                mapping.fill_study_row(row, study)  # the strategy's references moved along
            child.version += 1
            return _stored(row, study)

    def _save_section(
        self, row: StudyRow, document: Document, source: str, target: str
    ) -> StoredStudy:
        study = guards.validated(document)
        index = next(
            i
            for i, section in enumerate(study.judgements)
            if (section.source, section.target) == (source, target)
        )
        child = _section_row(row, source, target)
        if child is not None:
            mapping.fill_judgement_row(child, study.judgements[index])
            child.version += 1
        else:
            position = max((child.position for child in row.judgements), default=-1) + 1
            row.judgements.append(mapping.judgement_row(study.judgements[index], position=position))
        return _stored(row, study)


def _study_query(study_id: int) -> sa.Select[StudyRow]:
    return (
        sa.select(StudyRow)
        .where(StudyRow.id == study_id)
        .options(
            selectinload(StudyRow.descriptors),
            selectinload(StudyRow.scenarios),
            selectinload(StudyRow.judgements),
        )
    )


_CACHED_STUDIES = 64


def _stamp_query(study_id: int) -> sa.Select[Any]:
    """What changes with every write to a study: its time of change and its versions' sum.

    Each write adds 1 to one object's version (or adds an object at version 1), so the sum
    of all versions grows with every write, whichever process made it; a cached study with
    the same stamp is the stored one. (Reading the stamp costs one small indexed query;
    validating a study again costs milliseconds.)
    """
    totals = [
        sa.select(sa.func.coalesce(sa.func.sum(table.version), 0))
        .where(table.study_id == study_id)
        .scalar_subquery()
        for table in (DescriptorRow, ScenarioRow, JudgementRow)
    ]
    return sa.select(StudyRow.updated, StudyRow.version, *totals).where(StudyRow.id == study_id)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _no_study(study_id: int) -> NotFoundError:
    return NotFoundError(f"there is no study with id {study_id}; it may have been deleted")


def _index(children: list[Any], key: str, what: str, study_id: int) -> int:
    """The index of the child with ``key`` in its list (loaded in the order of positions)."""
    for index, child in enumerate(children):
        if child.key == key:
            return index
    raise NotFoundError(f"study {study_id} has no {what}; it may have been renamed or removed")


def _version_of(row: StudyRow, source: str, target: str) -> int | None:
    found = _section_row(row, source, target)
    return found.version if found is not None else None


def _section_row(row: StudyRow, source: str, target: str) -> JudgementRow | None:
    return next(
        (child for child in row.judgements if (child.source, child.target) == (source, target)),
        None,
    )


def _section(row: StudyRow, document: Document, source: str, target: str) -> Document:
    """The document of the section (source, target), added to ``document`` when it is new."""
    for section in document["judgements"]:
        if (section["source"], section["target"]) == (source, target):
            return cast(Document, section)
    section = {"source": source, "target": target, "impacts": {}, "reason": None}
    document["judgements"].append(section)
    return section


def _stored(row: StudyRow, study: Study) -> StoredStudy:
    return StoredStudy(id=row.id, study=study, versions=mapping.versions(row))
