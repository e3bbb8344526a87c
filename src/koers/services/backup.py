"""Backups of a Koers database, and restoring one: ``koers backup`` and ``koers restore``.

SQLite
    The backup is a copy of the database file made with SQLite's online backup API
    (:meth:`sqlite3.Connection.backup`): a consistent snapshot even while the server writes,
    written beside the target first and moved into place, so the file is whole or absent.
    Restoring copies it back the same way (into the target database, replacing its content).
PostgreSQL
    The backup is ``pg_dump --format=custom`` (one consistent snapshot of the database, or of
    the schema the URL's ``search_path`` names); restoring is ``pg_restore --clean
    --if-exists --single-transaction`` (all or nothing). The client programs come from
    Debian's ``/usr/lib/postgresql/<version>/bin`` (the newest; ``KOERS_POSTGRES_BINARIES``
    overrides the glob) or else from ``PATH``; they must be at least the server's version.

A restored database is migrated to the newest schema, so a backup of an older Koers restores
into a newer one. Restoring refuses to overwrite a database that holds anything unless asked
to (``force``).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import sqlalchemy as sa
from sqlalchemy.engine import URL

from koers.errors import KoersError, NotFoundError
from koers.store import Repository
from koers.store import engine as engines

__all__ = ["BackupInfo", "backup", "client_program", "kind_of_backup", "restore"]

POSTGRES_BINARIES: Final = os.environ.get("KOERS_POSTGRES_BINARIES", "/usr/lib/postgresql/*/bin")
_SQLITE_MAGIC: Final = b"SQLite format 3\x00"
_PGDUMP_MAGIC: Final = b"PGDMP"
_TIMEOUT_S: Final = 3600

Kind = Literal["sqlite", "postgresql"]


@dataclass(frozen=True)
class BackupInfo:
    """What a backup or restore did: the kind of database and the file."""

    kind: Kind
    file: Path
    size: int


def backup(url: str, output: Path, *, overwrite: bool = False) -> BackupInfo:
    """Write a consistent backup of the database at ``url`` to ``output``.

    Raises
    ------
    koers.errors.KoersError
        When ``output`` exists (and ``overwrite`` is not set), the database is in memory or
        cannot be read, or PostgreSQL's ``pg_dump`` is missing or fails.
    koers.errors.NotFoundError
        When the SQLite database file does not exist.
    """
    parsed = engines.parse_url(url)
    if output.exists() and not overwrite:
        raise KoersError(f"{output} exists; choose another file, or pass --force to replace it")
    if output.is_dir():
        raise KoersError(f"{output} is a folder; give the name of the backup file")
    output.parent.mkdir(parents=True, exist_ok=True)
    kind: Kind = "sqlite" if parsed.get_backend_name() == "sqlite" else "postgresql"
    with _temporary_beside(output) as partial:
        if kind == "sqlite":
            _sqlite_copy(_sqlite_path(parsed, must_exist=True), partial)
        else:
            _run(
                "pg_dump",
                ["--format=custom", "--no-owner", f"--file={partial}", *_schema_option(parsed)],
                parsed,
            )
        partial.replace(output)
    return BackupInfo(kind, output, output.stat().st_size)


def restore(url: str, file: Path, *, force: bool = False) -> BackupInfo:
    """Restore the backup ``file`` into the database at ``url``, then migrate it.

    Raises
    ------
    koers.errors.NotFoundError
        When ``file`` does not exist.
    koers.errors.KoersError
        When ``file`` is not a Koers backup for this kind of database, when the database holds
        anything and ``force`` is not set, or when ``pg_restore`` is missing or fails; the
        database is then as it was.
    """
    parsed = engines.parse_url(url)
    kind: Kind = "sqlite" if parsed.get_backend_name() == "sqlite" else "postgresql"
    found = kind_of_backup(file)
    if found != kind:
        raise KoersError(
            f"{file} is a backup of a {found} database and cannot be restored into {kind}; "
            "restore it into the kind of database it came from, then copy studies as YAML"
        )
    if not force and _holds_anything(parsed):
        raise KoersError(
            f"the database {parsed.render_as_string(hide_password=True)} is not empty; "
            "restoring replaces everything in it: pass --force to do so"
        )
    if kind == "sqlite":
        _check_sqlite_backup(file)
        target = _sqlite_path(parsed, must_exist=False)
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(file, target)
    else:
        _run(
            "pg_restore",
            [
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--no-owner",
                f"--dbname={_conninfo(parsed)}",
                str(file),
            ],
            parsed,
            with_dbname=False,
        )
    Repository.open(url).close()  # a backup of an older Koers: migrate it
    return BackupInfo(kind, file, file.stat().st_size)


def kind_of_backup(file: Path) -> Kind:
    """Which database ``file`` is a backup of, read from its first bytes.

    Raises
    ------
    koers.errors.NotFoundError
        When there is no such file.
    koers.errors.KoersError
        When it is neither a SQLite database nor a ``pg_dump`` custom-format archive.
    """
    try:
        with file.open("rb") as stream:
            head = stream.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        raise NotFoundError(f"there is no backup file {file}") from None
    except IsADirectoryError:
        raise KoersError(f"{file} is a folder; give a backup file") from None
    if head.startswith(_SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(_PGDUMP_MAGIC):
        return "postgresql"
    raise KoersError(
        f"{file} is not a Koers backup (neither a SQLite database nor a pg_dump archive); "
        "give a file made by 'koers backup'"
    )


def client_program(name: str) -> Path:
    """The PostgreSQL client program ``name`` (``pg_dump``, ``pg_restore``): the newest of
    Debian's version folders, else the one on ``PATH``.

    Raises
    ------
    koers.errors.KoersError
        When there is none, saying how to install it.
    """
    folders = [
        folder
        for folder in Path("/").glob(POSTGRES_BINARIES.lstrip("/"))
        if (folder / name).exists()
    ]
    if folders:
        return max(folders, key=lambda folder: _version(folder.parent.name)) / name
    on_path = shutil.which(name)
    if on_path:
        return Path(on_path)
    raise KoersError(
        f"{name} is not installed: it is needed to back up and restore PostgreSQL; install "
        "PostgreSQL's client programs (Debian/Ubuntu: apt-get install postgresql-client) in "
        "the version of the server or newer"
    )


# -- SQLite --------------------------------------------------------------------------------


def _sqlite_path(parsed: URL, *, must_exist: bool) -> Path:
    if parsed.database in (None, "", ":memory:"):
        raise KoersError("a database in memory has nothing to back up or restore; give a file")
    path = Path(str(parsed.database))
    if must_exist and not path.is_file():
        raise NotFoundError(f"there is no database file {path}; check --db")
    return path


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy the database ``source`` into ``target`` with SQLite's online backup API.

    The copy is one consistent snapshot of ``source`` (a writer to it waits or is restarted
    into the copy), and replaces the content of ``target`` in one step.
    """
    try:
        with (
            closing(sqlite3.connect(source, timeout=engines.BUSY_TIMEOUT_MS / 1000)) as origin,
            closing(sqlite3.connect(target, timeout=engines.BUSY_TIMEOUT_MS / 1000)) as copy,
        ):
            origin.backup(copy)
    except sqlite3.Error as err:
        raise KoersError(f"cannot copy {source} to {target}: {err}") from err


def _check_sqlite_backup(file: Path) -> None:
    try:
        with closing(sqlite3.connect(f"file:{file}?mode=ro", uri=True)) as connection:
            result = connection.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.Error as err:
        raise KoersError(f"{file} is not a readable SQLite database: {err}") from err
    if result is None or result[0] != "ok":
        raise KoersError(f"{file} is damaged (SQLite's integrity check: {result}); use another")


# -- PostgreSQL ----------------------------------------------------------------------------


def _schema_option(parsed: URL) -> list[str]:
    """``--schema=NAME`` when the URL confines its connections to one schema."""
    schema = _search_path(parsed)
    return [f"--schema={schema}"] if schema else []


def _search_path(parsed: URL) -> str | None:
    options = parsed.query.get("options")
    text = options if isinstance(options, str) else (options[0] if options else "")
    for part in text.split():
        if part.startswith("-csearch_path="):
            return part.removeprefix("-csearch_path=").split(",")[0].strip() or None
    return None


def _conninfo(parsed: URL) -> str:
    """A libpq connection URI for the client programs (the password goes by environment)."""
    query = {key: value for key, value in parsed.query.items() if isinstance(value, str)}
    return URL.create(
        "postgresql",
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=query,
    ).render_as_string(hide_password=False)


def _run(program: str, arguments: list[str], parsed: URL, *, with_dbname: bool = True) -> None:
    executable = client_program(program)
    command = [str(executable), *arguments]
    if with_dbname:
        command.append(f"--dbname={_conninfo(parsed)}")
    environment = dict(os.environ)
    if parsed.password is not None:
        environment["PGPASSWORD"] = str(parsed.password)
    try:
        result = subprocess.run(
            command,
            env=environment,
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise KoersError(f"{program} did not run: {err}") from err
    if result.returncode != 0:
        detail = result.stderr.strip() or f"exit status {result.returncode}"
        raise KoersError(f"{program} failed: {detail}")


def _holds_anything(parsed: URL) -> bool:
    """Whether the database has a table (a new, empty one has none)."""
    if parsed.get_backend_name() == "sqlite":
        path = _sqlite_path(parsed, must_exist=False)
        if not path.exists() or path.stat().st_size == 0:
            return False
    engine = engines.create(parsed, pooled=False)
    try:
        schema = _search_path(parsed) if parsed.get_backend_name() == "postgresql" else None
        return bool(sa.inspect(engine).get_table_names(schema=schema))
    except sa.exc.OperationalError as err:
        raise KoersError(f"cannot reach the database: {err.orig}") from err
    finally:
        engine.dispose()


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


@contextmanager
def _temporary_beside(target: Path) -> Iterator[Path]:
    """A path for a file being written next to ``target``; removed when left unused."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    path = Path(name)
    path.unlink()
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)
