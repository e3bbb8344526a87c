"""Alembic migrations: from nothing, and from every earlier revision, to the tables of the code."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import koers
from koers.store import Repository, migrate
from koers.store import engine as engines
from koers.store.tables import Base

REVISIONS = migrate.revisions()
HEAD = REVISIONS[-1]
TABLES = {
    "studies",
    "descriptors",
    "scenarios",
    "judgement_sections",
    "observations",
    "alert_statuses",
    "users",
    "memberships",
    "invitations",
    "sessions",
    "login_attempts",
    "audit_log",
    "rounds",
    "submissions",
}


def _current(url: str) -> str | None:
    engine = engines.create(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def _differences(url: str) -> list[object]:
    """What Alembic's autogenerate would change to make the database match the ORM tables."""
    engine = engines.create(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = engines.create(url)
    try:
        return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_the_revisions_form_one_line() -> None:
    script = ScriptDirectory.from_config(migrate.config())
    assert script.get_heads() == [HEAD]
    assert script.get_bases() == [REVISIONS[0]]
    for older, newer in itertools.pairwise(REVISIONS):
        assert script.get_revision(newer).down_revision == older


def test_the_migrations_ship_inside_the_package() -> None:
    package = Path(koers.__file__).parent
    assert migrate.MIGRATIONS.is_relative_to(package)
    assert (migrate.MIGRATIONS / "env.py").is_file()
    assert list((migrate.MIGRATIONS / "versions").glob("*.py"))


def test_opening_an_empty_database_migrates_it_to_the_newest_schema(database_url: str) -> None:
    Repository.open(database_url).close()
    assert _current(database_url) == HEAD
    assert _tables(database_url) == TABLES
    assert _differences(database_url) == []


def test_opening_a_migrated_database_again_changes_nothing(database_url: str) -> None:
    Repository.open(database_url).close()
    with Repository.open(database_url) as repo:
        assert repo.list_studies() == []
    assert _current(database_url) == HEAD


@pytest.mark.parametrize("start", ["base", *REVISIONS[:-1]])
def test_every_earlier_revision_upgrades_to_the_tables_of_the_code(
    database_url: str, start: str
) -> None:
    # With one revision this is the upgrade from an empty database; each new revision adds
    # a starting point here by itself.
    if start != "base":
        migrate.upgrade(database_url, start)
        assert _current(database_url) == start
    migrate.upgrade(database_url)
    assert _current(database_url) == HEAD
    assert _differences(database_url) == []


def test_downgrading_to_nothing_and_back(database_url: str) -> None:
    migrate.upgrade(database_url)
    migrate.downgrade(database_url, "base")
    assert _tables(database_url) == set()
    assert _current(database_url) is None
    migrate.upgrade(database_url)
    assert _differences(database_url) == []


@pytest.mark.parametrize("index", ["ix_scenarios_study_id", "ix_observations_study_id_key"])
def test_the_comparison_sees_a_schema_that_drifted(database_url: str, index: str) -> None:
    # The check above is only worth something if it can fail.
    migrate.upgrade(database_url)
    engine = engines.create(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP INDEX {index}"))
    finally:
        engine.dispose()
    differences = _differences(database_url)
    assert [difference[0] for difference in differences] == ["add_index"]  # type: ignore[index]


def test_two_processes_opening_a_new_database_at_once_both_succeed(database_url: str) -> None:
    errors: list[BaseException] = []

    def open_and_close() -> None:
        try:
            Repository.open(database_url).close()
        except BaseException as err:  # the test reports it below
            errors.append(err)

    threads = [threading.Thread(target=open_and_close) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _current(database_url) == HEAD


def test_the_shipped_alembic_ini_serves_the_alembic_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    migrate.upgrade(url)
    ini = migrate.MIGRATIONS.parent / "alembic.ini"
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(ini), "check"],
        env={**os.environ, "KOERS_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "No new upgrade operations detected" in result.stdout + result.stderr
