"""Engines for the two databases Koers runs on: SQLite (a file) and PostgreSQL (psycopg 3).

SQLite connections get a write-ahead log (readers do not wait for a writer), foreign keys
(off by default in SQLite, and the cascades need them) and a busy timeout. Transactions begin
with an explicit ``BEGIN``; a write transaction begins with ``BEGIN IMMEDIATE``, so it takes
the write lock before it reads what it is going to check, and two writers queue instead of
failing halfway.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.pool import NullPool, StaticPool

from koers.errors import KoersError

__all__ = ["BUSY_TIMEOUT_MS", "WRITE", "create", "parse_url"]

BUSY_TIMEOUT_MS = 15_000
"""How long a SQLite connection waits for another writer before it gives up."""

WRITE = {"koers_write": True}
"""Execution options of a connection that will write (``BEGIN IMMEDIATE`` on SQLite)."""

_BACKENDS = ("sqlite", "postgresql")


def parse_url(url: str) -> URL:
    """The database URL, checked: SQLite or PostgreSQL through psycopg 3.

    Raises
    ------
    koers.errors.KoersError
        For a URL that is not one of ``sqlite:///path.db`` or ``postgresql+psycopg://...``.
    """
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError as err:
        raise KoersError(
            f"'{url}' is not a database URL; write sqlite:///path/to/koers.db or "
            "postgresql+psycopg://user@host/database"
        ) from err
    if parsed.get_backend_name() not in _BACKENDS:
        raise KoersError(
            f"Koers stores studies in SQLite or PostgreSQL, not '{parsed.get_backend_name()}'; "
            "write sqlite:///path/to/koers.db or postgresql+psycopg://user@host/database"
        )
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "postgresql" and parsed.drivername != "postgresql+psycopg":
        raise KoersError(
            f"Koers reaches PostgreSQL through psycopg 3, not '{parsed.get_driver_name()}'; "
            "write postgresql+psycopg://user@host/database"
        )
    return parsed


def create(url: str | URL, *, foreign_keys: bool = True, pooled: bool = True) -> Engine:
    """An engine for ``url``, with Koers's SQLite settings when it is SQLite.

    ``foreign_keys=False`` is for migrations only: SQLite's batch mode copies a table and
    drops the old one, and with foreign keys on that drop would cascade into the children.
    """
    parsed = parse_url(url) if isinstance(url, str) else url
    options: dict[str, Any] = {}
    if not pooled:
        options["poolclass"] = NullPool
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed, pool_pre_ping=True, **options)
    if parsed.database in (None, "", ":memory:"):
        # One connection for the whole engine, or each connection sees an empty database.
        options["poolclass"] = StaticPool
    engine = sa.create_engine(parsed, connect_args={"check_same_thread": False}, **options)
    _configure_sqlite(engine, foreign_keys=foreign_keys)
    return engine


def _configure_sqlite(engine: Engine, *, foreign_keys: bool) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when a transaction begins; the module
        # would otherwise begin late and commit before DDL on its own.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _write_ahead_log(cursor)
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        write = connection.get_execution_options().get("koers_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _write_ahead_log(cursor: Any) -> None:
    """Switch the database to WAL, once: the mode is stored in the file.

    The switch needs the database to itself and SQLite refuses it at once (without waiting
    out the busy timeout) while another connection works in it. That happens only while a
    new database is being created by several connections at once, so retry for a while.
    """
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
