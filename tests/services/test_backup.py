"""Backups and restores on SQLite and PostgreSQL: a restore gives back the very same export."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from koers.errors import KoersError, NotFoundError
from koers.io import study_yaml
from koers.model import Alert, Observation
from koers.services import backup as backups
from koers.services.studies import new_study
from koers.store import Repository

JAN = dt.datetime(2024, 2, 1, 9, 0, tzinfo=dt.UTC)
_OBSERVATIONS = TypeAdapter(list[Observation])
_ALERTS = TypeAdapter(list[Alert])


def _fill(url: str) -> None:
    """Two studies with edits, signals, a user with a role: something of every table."""
    with Repository.open(url) as repo:
        first = repo.add_study(new_study("corona-lokale-besturen"))
        second = repo.add_study(new_study("corona-lokale-besturen", language="en"))
        repo.update_study(first, {"organisation": "Gemeente Backup"}, version=1, actor="anna")
        repo.signals.append(
            first,
            [
                Observation(
                    indicator="ww",
                    region="GM0344",
                    period=f"2024-{month:02d}",
                    value=800.0 + month / 3,
                    recorded=JAN,
                    source="ww.csv",
                )
                for month in range(1, 13)
            ],
        )
        repo.signals.set_status(
            second,
            Alert(
                indicator="ww",
                trigger="stijging",
                period="2024-01",
                level="red",
                status="acknowledged",
                changed=JAN,
                note="= check",
            ),
        )
        repo.accounts.add_user("anna", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA")
        repo.accounts.grant("anna", first, "editor")


def _export(url: str) -> bytes:
    """Every study as YAML, its signals as JSON, the audit log and the accounts: one text."""
    parts: list[str] = []
    with Repository.open(url) as repo:
        for summary in sorted(repo.list_studies(), key=lambda summary: summary.id):
            stored = repo.get_study(summary.id)
            parts.append(f"# study {summary.id} {dict(stored.versions)}")
            parts.append(study_yaml.dumps(stored.study))
            parts.append(_OBSERVATIONS.dump_json(repo.signals.observations(summary.id)).decode())
            parts.append(_ALERTS.dump_json(repo.signals.statuses(summary.id)).decode())
            members = repo.accounts.members(summary.id)
            parts.append(repr(members))
        parts.append(json.dumps(repo.audit.export(None), sort_keys=True))
        parts.append(repr([(u.name, u.local, u.created) for u in repo.accounts.users()]))
    return "\n".join(parts).encode()


def _wipe(url: str, request: pytest.FixtureRequest) -> None:
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        for file in path.parent.glob(path.name + "*"):
            file.unlink()
        return
    server = request.getfixturevalue("postgres_server")
    server.drop_schema(url)
    server.execute(f'CREATE SCHEMA "{url.rsplit("%3D", 1)[1]}"', database="koers")


def test_a_restore_gives_an_identical_export(
    database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    _fill(database_url)
    before = _export(database_url)
    assert b"Gemeente Backup" in before and b"acknowledged" in before  # the export sees it all
    file = tmp_path / "koers.backup"
    made = backups.backup(database_url, file)
    assert made.size == file.stat().st_size > 0
    _wipe(database_url, request)
    with Repository.open(database_url) as repo:
        assert repo.list_studies() == []  # wiped indeed
    _wipe(database_url, request)
    backups.restore(database_url, file, force=True)
    assert _export(database_url) == before


def test_restore_refuses_a_database_that_holds_something(database_url: str, tmp_path: Path) -> None:
    _fill(database_url)
    file = tmp_path / "koers.backup"
    backups.backup(database_url, file)
    with pytest.raises(KoersError, match=r"not empty.*--force"):
        backups.restore(database_url, file)


def test_backup_will_not_overwrite_a_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    Repository.open(url).close()
    file = tmp_path / "exists.backup"
    file.write_text("mine")
    with pytest.raises(KoersError, match="exists"):
        backups.backup(url, file)
    assert file.read_text() == "mine"
    backups.backup(url, file, overwrite=True)
    assert backups.kind_of_backup(file) == "sqlite"


def test_a_sqlite_backup_is_consistent_while_another_connection_writes(tmp_path: Path) -> None:
    # A writer holds an open transaction with an uncommitted study: the backup has the
    # committed state only, and passes SQLite's integrity check.
    url = f"sqlite:///{tmp_path / 'k.db'}"
    _fill(url)
    with closing(sqlite3.connect(tmp_path / "k.db", isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("DELETE FROM observations")
        backups.backup(url, tmp_path / "during.backup")
        writer.execute("ROLLBACK")
    with closing(sqlite3.connect(tmp_path / "during.backup")) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM observations").fetchone() == (12,)


def test_the_wrong_kind_of_file_is_refused_with_a_reason(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(KoersError, match="not a Koers backup"):
        backups.restore(url, text)
    dump = tmp_path / "pg.backup"
    dump.write_bytes(b"PGDMP\x01\x0e\x00")
    with pytest.raises(KoersError, match="backup of a postgresql database"):
        backups.restore(url, dump)
    with pytest.raises(NotFoundError, match="no backup file"):
        backups.restore(url, tmp_path / "missing.backup")
    with pytest.raises(NotFoundError, match="no database file"):
        backups.backup(f"sqlite:///{tmp_path / 'none.db'}", tmp_path / "x.backup")


def test_a_damaged_sqlite_backup_is_refused_and_the_database_kept(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    _fill(url)
    file = tmp_path / "k.backup"
    backups.backup(url, file)
    data = bytearray(file.read_bytes())
    page = 4096 * 3  # the fourth page: the root of the table 'studies' (see sqlite_master)
    data[page : page + 12] = b"\xff" * 12  # its b-tree page header, now no page type at all
    file.write_bytes(bytes(data))
    before = _export(url)
    with pytest.raises(KoersError):
        backups.restore(url, file, force=True)
    assert _export(url) == before


def test_missing_postgresql_programs_are_named_with_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(backups, "POSTGRES_BINARIES", "/nonexistent/*/bin")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(KoersError, match=r"pg_dump is not installed.*postgresql-client"):
        backups.client_program("pg_dump")
