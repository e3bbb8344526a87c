"""The audit log: every change made through the store, who made it, when, from what to what.

Each write of :class:`koers.store.Repository`, :class:`koers.store.signals.SignalStore` and
:class:`koers.store.accounts.AccountStore` adds its entries in its own transaction, so a
change and its record are written together or not at all.

Who made a change: the ``actor`` a write method is given, else the name set with
:func:`acting_as` for the current context (a web request, a command), else ``"system"``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any, cast

import sqlalchemy as sa

from koers.store.tables import AuditRow

__all__ = [
    "SYSTEM",
    "AuditEntry",
    "AuditLog",
    "Change",
    "acting_as",
    "actor_of",
    "document_changes",
    "record",
]

SYSTEM = "system"
"""The actor of a change no person is named for (a migration, a script, a test)."""

_AUDIT_TABLE = cast(sa.Table, AuditRow.__table__)
_ACTOR: contextvars.ContextVar[str | None] = contextvars.ContextVar("koers_actor", default=None)


@contextmanager
def acting_as(name: str | None) -> Iterator[None]:
    """Record the changes made inside the block (in this thread or task) as ``name``'s.

    >>> with acting_as("anna"):
    ...     actor_of(None)
    'anna'
    >>> actor_of(None), actor_of("bram")
    ('system', 'bram')
    """
    token = _ACTOR.set(name)
    try:
        yield
    finally:
        _ACTOR.reset(token)


def actor_of(actor: str | None) -> str:
    """The actor to record: ``actor`` if given, else the one of :func:`acting_as`, else system."""
    return actor or _ACTOR.get() or SYSTEM


@dataclass(frozen=True)
class Change:
    """One changed field of one object: ``old`` and ``new`` are JSON values (``None``: absent)."""

    object: str
    field: str | None
    old: Any
    new: Any


@dataclass(frozen=True)
class AuditEntry:
    """One recorded change, as the log shows it."""

    id: int
    moment: dt.datetime
    actor: str
    study_id: int | None
    action: str
    object: str
    field: str | None
    old: Any
    new: Any


def record(
    connection: sa.Connection | Any,
    *,
    actor: str | None,
    study_id: int | None,
    action: str,
    changes: Sequence[Change],
    moment: dt.datetime | None = None,
) -> None:
    """Add ``changes`` to the log in the transaction of ``connection`` (a connection or an ORM
    session); nothing when there are none."""
    if not changes:
        return
    when = moment or dt.datetime.now(dt.UTC)
    who = actor_of(actor)
    rows = [
        {
            "moment": when,
            "actor": who,
            "study_id": study_id,
            "action": action,
            "object": change.object,
            "field": change.field,
            "old": change.old,
            "new": change.new,
        }
        for change in changes
    ]
    connection.execute(sa.insert(_AUDIT_TABLE), rows)


def document_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[Change]:
    """The changed fields between two documents of a whole study (``None``: no study).

    Objects are named as in ``StoredStudy.versions``: ``study`` for the study's own fields,
    ``descriptor:<key>``, ``scenario:<key>``, ``judgements:<source>:<target>``. A child that
    only one side has is one change of the object as a whole (``field`` ``None``); a child
    renamed in place (one left, one arrived) is a change of its ``key`` and other fields.

    >>> old = {"organisation": "X", "descriptors": [{"key": "a", "name": 1}], "scenarios": [],
    ...        "judgements": []}
    >>> new = {"organisation": "Y", "descriptors": [{"key": "b", "name": 1}], "scenarios": [],
    ...        "judgements": []}
    >>> [(c.object, c.field, c.old, c.new) for c in document_changes(old, new)]
    [('study', 'organisation', 'X', 'Y'), ('descriptor:b', 'key', 'a', 'b')]
    """
    if old is None or new is None:
        return [Change("study", None, _plain(old), _plain(new))] if old != new else []
    found = _field_changes("study", _own(old), _own(new))
    for field, prefix, keys in (
        ("descriptors", "descriptor", ("key",)),
        ("scenarios", "scenario", ("key",)),
        ("judgements", "judgements", ("source", "target")),
    ):
        found.extend(_child_changes(prefix, keys, old.get(field, []), new.get(field, [])))
    return found


def _own(document: Mapping[str, Any]) -> dict[str, Any]:
    children = ("descriptors", "scenarios", "judgements")
    return {name: value for name, value in document.items() if name not in children}


def _plain(document: Mapping[str, Any] | None) -> Any:
    return None if document is None else dict(document)


def _field_changes(name: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    fields = [*old, *(field for field in new if field not in old)]
    return [
        Change(name, field, old.get(field), new.get(field))
        for field in fields
        if old.get(field) != new.get(field)
    ]


def _child_changes(
    prefix: str,
    keys: tuple[str, ...],
    old: Sequence[Mapping[str, Any]],
    new: Sequence[Mapping[str, Any]],
) -> list[Change]:
    def name(child: Mapping[str, Any]) -> str:
        return ":".join([prefix, *(str(child[key]) for key in keys)])

    before = {name(child): child for child in old}
    after = {name(child): child for child in new}
    left = [key for key in before if key not in after]
    arrived = [key for key in after if key not in before]
    found: list[Change] = []
    if len(left) == len(arrived) == 1:  # a rename
        found.extend(_field_changes(arrived[0], before[left[0]], after[arrived[0]]))
        left, arrived = [], []
    for key, child in after.items():
        if key in before:
            found.extend(_field_changes(key, before[key], child))
        elif key in arrived:
            found.append(Change(key, None, None, dict(child)))
    found.extend(Change(key, None, dict(before[key]), None) for key in left)
    return found


class AuditLog:
    """The audit log in one database; take it from :attr:`koers.store.Repository.audit`."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def entries(self, study_id: int | None = None, *, limit: int | None = None) -> list[AuditEntry]:
        """The log of one study (``None``: of everything), oldest first; the last ``limit``."""
        table = _AUDIT_TABLE
        query = sa.select(table)
        if study_id is not None:
            query = query.where(table.c.study_id == study_id)
        if limit is not None:
            query = query.order_by(table.c.id.desc()).limit(limit)
        with self._engine.connect() as connection:
            rows = connection.execute(query.order_by(table.c.id)).mappings().all()
        entries = [AuditEntry(**dict(row)) for row in rows]
        return sorted(entries, key=lambda entry: entry.id)

    def export(self, study_id: int | None) -> list[dict[str, Any]]:
        """The log of a study (``None``: everything) as plain JSON-ready dicts, oldest first.

        Each has ``id``, ``moment`` (ISO 8601, UTC), ``actor``, ``study_id``, ``action``,
        ``object``, ``field``, ``old`` and ``new``.
        """
        exported = []
        for entry in self.entries(study_id):
            item = asdict(entry)
            item["moment"] = entry.moment.isoformat()
            exported.append(item)
        return exported
