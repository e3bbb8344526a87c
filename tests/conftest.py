"""Fixtures for every test: fresh databases, on SQLite and on a throwaway PostgreSQL server.

Public fixtures
---------------
``database_url``
    The URL of a fresh, empty database for one test, parametrised ``"sqlite"`` (a file in the
    test's temporary folder) and ``"postgresql"`` (a new schema on the session's server, the
    only one on the URL's search path: empty like a new database, and made in milliseconds).
    A test that asks for it runs once on each; pick one with ``-k sqlite`` or
    ``-k postgresql``. Nothing is migrated yet: ``Repository.open(database_url)`` does that.
``postgres_server``
    The session's PostgreSQL server (:class:`PostgresServer`), started on first use from
    Debian's binaries (``/usr/lib/postgresql/<version>/bin``): ``initdb`` into a temporary
    folder (as the ``postgres`` user when the tests run as root), ``pg_ctl start`` on
    127.0.0.1 with a free port and the socket in that folder; stopped and removed at the end
    of the session. ``create_database()`` gives the URL of a new empty database (slower than
    the schema ``database_url`` gives).

Without the binaries the PostgreSQL tests skip, saying why; with ``KOERS_REQUIRE_POSTGRES=1``
(as CI sets it) they fail instead. ``KOERS_POSTGRES_BINARIES`` overrides where the binaries
are looked for (a glob; default ``/usr/lib/postgresql/*/bin``).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

POSTGRES_BINARIES = os.environ.get("KOERS_POSTGRES_BINARIES", "/usr/lib/postgresql/*/bin")
START_TIMEOUT_S = 30
SHARED_DATABASE = "koers"


def require_postgres(reason: str) -> None:
    """Skip with ``reason``, or fail when ``KOERS_REQUIRE_POSTGRES=1`` demands PostgreSQL."""
    if os.environ.get("KOERS_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason} (KOERS_REQUIRE_POSTGRES=1)", pytrace=False)
    pytest.skip(reason)


@dataclass
class PostgresServer:
    """A PostgreSQL server of this test session, reached over TCP on 127.0.0.1."""

    port: int
    user: str = "postgres"
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, database: str, schema: str | None = None) -> str:
        """The SQLAlchemy URL of ``database`` on this server, in ``schema`` if given."""
        url = f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"
        return f"{url}?options=-csearch_path%3D{schema}" if schema else url

    def create_database(self) -> str:
        """A new empty database; its URL. (Slow: about half a second.)"""
        name = f"koers_test_{next(self._names)}"
        self.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Remove the database of ``url``, closing whatever connections are left open."""
        name = url.rsplit("/", 1)[1]
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def create_schema(self) -> str:
        """A new empty schema in the shared database ``koers``; the URL that works in it.

        Every connection of that URL has the schema as its only search path, so what a test
        creates, migrates and reads lives there: a fresh database in all but name, made in
        milliseconds where ``CREATE DATABASE`` takes half a second.
        """
        name = f"test_{next(self._names)}"
        self.execute(f'CREATE SCHEMA "{name}"', database=SHARED_DATABASE)
        return self.url(SHARED_DATABASE, schema=name)

    def drop_schema(self, url: str) -> None:
        """Remove the schema of ``url`` with everything in it."""
        name = url.rsplit("%3D", 1)[1]
        self.execute(
            f"SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS \"{name}\" CASCADE",
            database=SHARED_DATABASE,
        )

    def execute(self, statement: str, database: str = "postgres") -> None:
        """Run one statement outside a transaction (as CREATE DATABASE needs)."""
        dsn = f"host=127.0.0.1 port={self.port} user={self.user} dbname={database}"
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(statement.encode())


def _binaries() -> Path | None:
    """The newest Debian PostgreSQL ``bin`` folder with ``initdb`` and ``pg_ctl``, if any."""
    found = [
        folder
        for folder in Path("/").glob(POSTGRES_BINARIES.lstrip("/"))
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists()
    ]
    return max(found, key=lambda folder: _version(folder.parent.name), default=None)


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's throwaway PostgreSQL server (see the module docstring)."""
    binaries = _binaries()
    if binaries is None:
        require_postgres(
            f"PostgreSQL is not installed: no initdb and pg_ctl in {POSTGRES_BINARIES} "
            "(apt-get install postgresql)"
        )
        return
    as_root = os.geteuid() == 0
    prefix: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="koers-postgres-"))
    if as_root:
        runuser = shutil.which("runuser")
        try:
            shutil.chown(folder, user="postgres", group="postgres")
        except (LookupError, PermissionError) as err:
            shutil.rmtree(folder, ignore_errors=True)
            require_postgres(f"cannot run PostgreSQL as root and there is no postgres user: {err}")
        if runuser is None:
            shutil.rmtree(folder, ignore_errors=True)
            require_postgres("cannot run PostgreSQL as root and runuser is missing")
        prefix = [str(runuser), "-u", "postgres", "--"]
    data = folder / "data"
    log = folder / "server.log"

    def run(*command: str) -> None:
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    def start(port: int) -> None:
        options = (
            f"-h 127.0.0.1 -p {port} -k {folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        run(
            str(binaries / "pg_ctl"),
            *("--pgdata", str(data), "--log", str(log), "--options", options),
            *("--wait", f"--timeout={START_TIMEOUT_S}", "start"),
        )

    try:
        run(
            str(binaries / "initdb"),
            *("--pgdata", str(data), "--username", "postgres", "--auth", "trust"),
            *("--encoding", "UTF8", "--no-locale", "--no-sync"),
        )
        for attempt in range(3):  # another process may take the free port before the server
            port = _free_port()
            try:
                start(port)
                break
            except subprocess.CalledProcessError:
                if attempt == 2:
                    raise
    except subprocess.CalledProcessError as err:
        detail = (err.stderr or b"").decode(errors="replace").strip()
        if log.exists():
            detail += "\n" + log.read_text(errors="replace")
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start: {detail}", pytrace=False)
    try:
        server = PostgresServer(port=port)
        server.execute(f"CREATE DATABASE {SHARED_DATABASE}")
        yield server
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            run(str(binaries / "pg_ctl"), "--pgdata", str(data), "--mode", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for one test, on SQLite and on PostgreSQL (see above)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'koers.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_schema()
    try:
        yield url
    finally:
        server.drop_schema(url)
