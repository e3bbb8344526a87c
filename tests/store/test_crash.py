"""Crash safety: a write killed midway (SIGKILL) leaves the SQLite database as it was before.

A child process starts a large write through the services, as a person would (an observation
file of 26 400 rows; a strategy register of 3 000 policies). A test-only hook in the child,
an SQLAlchemy event after the first big statement of the write's transaction, writes a marker
file and sleeps; the test then kills the child with SIGKILL. The child runs with a tiny page
cache, so SQLite spills the uncommitted pages into the write-ahead log before the kill (the
test checks the log grew): the database on disk holds half a write, not just nothing yet.
Opening the database afterwards must show exactly what was there before and pass
``PRAGMA integrity_check``.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from koers.io import study_yaml
from koers.model import Observation
from koers.services import signals, studies, targets
from koers.store import Repository

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

WAIT_S = 60
TABLES = ("studies", "descriptors", "scenarios", "judgement_sections", "observations", "audit_log")

CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    url, study_id, kind, data, marker, pattern = sys.argv[1:7]

    @event.listens_for(Engine, "connect")
    def _tiny_cache(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA cache_size = -64")  # 64 KiB: pages spill to the log

    @event.listens_for(Engine, "after_cursor_execute")
    def _pause(_connection, _cursor, statement, *_):
        if statement.startswith(pattern):
            Path(marker).write_text("inside the transaction")
            time.sleep(600)

    from koers.services import signals, strategy, targets
    from koers.store import Repository

    with Repository.open(url) as repository:
        stored = repository.get_study(int(study_id))
        target = targets.DatabaseTarget(repository, stored.id, stored.study)
        if kind == "observations":
            signals.import_file(target, Path(data))
        else:
            strategy.import_registers(target, Path(data), register="policies")
    print("finished without being killed")
    """
)

_OBSERVATIONS = TypeAdapter(list[Observation])


def _snapshot(url: str, path: Path) -> tuple[dict[str, int], str]:
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        counts = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in TABLES
        }
    parts = []
    with Repository.open(url) as repo:
        for summary in repo.list_studies():
            stored = repo.get_study(summary.id)
            parts.append(study_yaml.dumps(stored.study))
            parts.append(repr(dict(stored.versions)))
            parts.append(_OBSERVATIONS.dump_json(repo.signals.observations(summary.id)).decode())
        parts.append(json.dumps(repo.audit.export(None)))
    return counts, "\n".join(parts)


@pytest.fixture
def database(tmp_path: Path) -> tuple[str, Path, int]:
    path = tmp_path / "koers.db"
    url = f"sqlite:///{path}"
    _, study = studies.demo_study(tmp_path / "demo")
    with Repository.open(url) as repo:
        study_id = repo.add_study(study)
        signals.import_file(
            targets.DatabaseTarget(repo, study_id, study), studies.demo_observations()
        )
    return url, path, study_id


def _observation_file(tmp_path: Path, url: str, study_id: int) -> Path:
    with Repository.open(url) as repo:
        study = repo.get_study(study_id).study
    lines = ["indicator,region,period,value"]
    for indicator in study.indicators:
        if indicator.frequency == "month":
            region = study.region_of(indicator)
            lines.extend(
                f"{indicator.key},{region},{year}-{month:02d},{year + month / 7:.4f}"
                for year in range(1900, 2100)
                for month in range(1, 13)
            )
    path = tmp_path / "large.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _policy_file(tmp_path: Path) -> Path:
    lines = ["sleutel;naam;budget;begin;eind"]
    lines.extend(f"beleid-{n:04d};Beleid {n};{1000 + n};2022;2026" for n in range(3000))
    path = tmp_path / "beleid.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _kill_inside_the_transaction(
    tmp_path: Path, url: str, study_id: int, kind: str, data: Path, pattern: str
) -> None:
    marker = tmp_path / "inside"
    log = tmp_path / "child.log"
    with log.open("w") as output:
        child = subprocess.Popen(
            [
                sys.executable,
                "-c",
                CHILD,
                url,
                str(study_id),
                kind,
                str(data),
                str(marker),
                pattern,
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + WAIT_S
        while not marker.exists():
            if child.poll() is not None:
                pytest.fail(f"the child ended before the hook: {log.read_text()}")
            assert time.monotonic() < deadline, "the child did not reach the transaction"
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=WAIT_S)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL


def test_an_observation_import_killed_midway_leaves_the_database_as_it_was(
    tmp_path: Path, database: tuple[str, Path, int]
) -> None:
    url, path, study_id = database
    data = _observation_file(tmp_path, url, study_id)
    before = _snapshot(url, path)
    assert before[0]["observations"] > 0
    wal = path.with_name(path.name + "-wal")
    _kill_inside_the_transaction(
        tmp_path, url, study_id, "observations", data, "INSERT INTO observations"
    )
    # Half a write was on disk: 26 400 rows of uncommitted pages in the write-ahead log.
    assert wal.stat().st_size > 256 * 1024
    assert _snapshot(url, path) == before


def test_a_strategy_import_killed_midway_leaves_the_database_as_it_was(
    tmp_path: Path, database: tuple[str, Path, int]
) -> None:
    url, path, study_id = database
    data = _policy_file(tmp_path)
    before = _snapshot(url, path)
    _kill_inside_the_transaction(tmp_path, url, study_id, "strategy", data, "UPDATE studies")
    after = _snapshot(url, path)
    assert after == before
    assert "beleid-0001" not in after[1]


def test_the_same_imports_without_a_kill_do_change_the_database(
    tmp_path: Path, database: tuple[str, Path, int]
) -> None:
    # The two tests above are only worth something if the writes they kill write something.
    url, path, study_id = database
    before = _snapshot(url, path)
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            url,
            str(study_id),
            "strategy",
            str(_policy_file(tmp_path)),
            str(tmp_path / "never"),
            "no statement starts so",
        ],
        capture_output=True,
        text=True,
        timeout=WAIT_S,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    after = _snapshot(url, path)
    assert after[0]["audit_log"] == before[0]["audit_log"] + 1
    assert "beleid-0001" in after[1]
    with Repository.open(url) as repo:
        last = repo.audit.entries(study_id)[-1]
    # The strategy import is recorded as a change of the study's field 'strategy'.
    assert (last.action, last.object, last.field) == ("edit", "study", "strategy")
    assert len(last.new["policies"]) == len(last.old["policies"] if last.old else []) + 3000
