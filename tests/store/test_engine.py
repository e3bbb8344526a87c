"""Database URLs and engines: SQLite's settings, write transactions, refused URLs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from koers.errors import KoersError
from koers.model import Study
from koers.store import Repository
from koers.store import engine as engines


def test_sqlite_runs_with_a_write_ahead_log_foreign_keys_and_a_busy_timeout(
    tmp_path: Path,
) -> None:
    engine = engines.create(f"sqlite:///{tmp_path / 'k.db'}")
    try:
        with engine.connect() as connection:

            def pragma(name: str) -> Any:
                return connection.exec_driver_sql(f"PRAGMA {name}").scalar_one()

            assert pragma("journal_mode") == "wal"
            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") == engines.BUSY_TIMEOUT_MS
    finally:
        engine.dispose()


def test_sqlite_writes_take_the_write_lock_first(tmp_path: Path, corona: Study) -> None:
    statements: list[str] = []
    with Repository.open(f"sqlite:///{tmp_path / 'k.db'}") as repo:
        study_id = repo.add_study(corona)

        @sa.event.listens_for(repo._engine, "before_cursor_execute")
        def record(*args: Any) -> None:
            statements.append(args[2])

        repo.get_study(study_id)
        assert statements[0] == "BEGIN"
        statements.clear()
        repo.update_study(study_id, {"organisation": "X"}, version=1)
        assert statements[0] == "BEGIN IMMEDIATE"


def test_a_database_in_memory_works(corona: Study) -> None:
    with Repository.open("sqlite://") as repo:
        assert repo.get_study(repo.add_study(corona)).study == corona


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("mysql://koers@db/koers", "SQLite or PostgreSQL, not 'mysql'"),
        ("not a url", "is not a database URL"),
        ("postgresql+asyncpg://koers@db/koers", "through psycopg 3, not 'asyncpg'"),
    ],
)
def test_other_urls_are_refused(url: str, words: str) -> None:
    with pytest.raises(KoersError, match=words):
        Repository.open(url)


def test_postgresql_urls_use_psycopg_3() -> None:
    assert engines.parse_url("postgresql://k@db/k").drivername == "postgresql+psycopg"
    assert engines.parse_url("postgresql+psycopg://k@db/k").drivername == "postgresql+psycopg"


def test_a_database_that_cannot_be_opened_is_explained(tmp_path: Path) -> None:
    with pytest.raises(KoersError, match=r"cannot open the database .*folder exists"):
        Repository.open(f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'k.db'}")


def test_a_postgresql_server_that_is_not_there_is_explained() -> None:
    with pytest.raises(
        KoersError, match=r"cannot open the database postgresql\+psycopg://k:\*\*\*@"
    ):
        Repository.open("postgresql+psycopg://k:secret@127.0.0.1:1/koers")


def test_migrations_run_with_sqlite_foreign_keys_off(tmp_path: Path) -> None:
    # Batch mode drops and re-creates tables; with foreign keys on, that would cascade.
    engine = engines.create(f"sqlite:///{tmp_path / 'k.db'}", foreign_keys=False)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 0
    finally:
        engine.dispose()
