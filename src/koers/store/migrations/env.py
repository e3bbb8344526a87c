"""Alembic's entry point for Koers's migrations.

It migrates the connection that :mod:`koers.store.migrate` hands over, or, when Alembic runs
from the command line, the database of ``sqlalchemy.url`` or of ``KOERS_DATABASE_URL``.
SQLite needs ``render_as_batch`` (it cannot alter most of a table in place).
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy.engine import Connection

from koers.store import engine as engines
from koers.store.tables import Base


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _online() -> None:
    given = context.config.attributes.get("connection")
    if isinstance(given, Connection):
        _migrate(given)
        return
    url = context.config.get_main_option("sqlalchemy.url") or os.environ.get("KOERS_DATABASE_URL")
    if not url:
        raise SystemExit("set KOERS_DATABASE_URL (or sqlalchemy.url) to the database to migrate")
    engine = engines.create(url, foreign_keys=False, pooled=False)
    try:
        with engine.begin() as connection:
            _migrate(connection)
    finally:
        engine.dispose()


def _offline() -> None:
    url = context.config.get_main_option("sqlalchemy.url") or os.environ.get(
        "KOERS_DATABASE_URL", "sqlite://"
    )
    context.configure(
        url=url,
        target_metadata=Base.metadata,
        render_as_batch=url.startswith("sqlite"),
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


# Alembic installs ``context.config`` before it runs this file; other importers (pytest
# collecting doctests, for one) find no configuration and run nothing.
if getattr(context, "config", None) is not None:
    if context.is_offline_mode():
        _offline()
    else:
        _online()
