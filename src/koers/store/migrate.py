"""Schema migrations with Alembic, run from the installed package (no alembic.ini needed).

:func:`upgrade` brings a database to the newest schema; :class:`koers.store.Repository` calls
it when it opens a database. Developers make a new revision with the shipped ``alembic.ini``::

    KOERS_DATABASE_URL=sqlite:///scratch.db \\
        alembic -c src/koers/store/alembic.ini revision --autogenerate -m "what changed"
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, Connection

from koers.store import engine as engines

__all__ = ["MIGRATIONS", "config", "downgrade", "revisions", "upgrade", "upgrade_connection"]

_LOCK_KEY = 0x6B6F657273  # "koers": the advisory lock that queues migrations on PostgreSQL

MIGRATIONS = Path(__file__).with_name("migrations")
"""The folder of Alembic's ``env.py`` and ``versions/``, inside the installed package."""


def config(url: str | URL | None = None) -> Config:
    """Alembic's configuration for Koers's migrations, pointing at ``url`` if given."""
    settings = Config()
    settings.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        text = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
        # Alembic's options go through configparser, which reads '%' as interpolation.
        settings.set_main_option("sqlalchemy.url", text.replace("%", "%%"))
    return settings


def revisions() -> list[str]:
    """Every revision id, oldest first."""
    script = ScriptDirectory.from_config(config())
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def upgrade_connection(connection: Connection, revision: str = "head") -> None:
    """Migrate the database of ``connection`` (in its transaction) to ``revision``.

    Two processes that open one new database at once migrate it one after the other: on
    PostgreSQL the second waits for a transaction-scoped advisory lock; on SQLite the
    transaction began with ``BEGIN IMMEDIATE`` (see :func:`upgrade`). The second then finds
    the database migrated and does nothing.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    settings = config()
    settings.attributes["connection"] = connection
    command.upgrade(settings, revision)


def upgrade(url: str | URL, revision: str = "head") -> None:
    """Migrate the database at ``url`` to ``revision`` (the newest by default).

    The migration runs on a connection of its own with SQLite's foreign keys off, as SQLite's
    batch mode needs (it copies a table and drops the old one).
    """
    engine = engines.create(url, foreign_keys=False, pooled=False)
    try:
        with engine.execution_options(**engines.WRITE).begin() as connection:
            upgrade_connection(connection, revision)
    finally:
        engine.dispose()


def downgrade(url: str | URL, revision: str) -> None:
    """Migrate the database at ``url`` back to ``revision`` (``"base"`` empties it)."""
    engine = engines.create(url, foreign_keys=False, pooled=False)
    try:
        with engine.begin() as connection:
            settings = config()
            settings.attributes["connection"] = connection
            command.downgrade(settings, revision)
    finally:
        engine.dispose()
