"""``koers users ...``, ``koers backup`` and ``koers restore`` as an administrator runs them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from koers.cli import admin
from koers.cli.app import _Group
from koers.services.studies import new_study
from koers.store import Repository

PASSWORD = "correct horse battery\n"


def _cli() -> typer.Typer:
    """The commands as src/koers/cli/app.py registers them."""
    cli = typer.Typer(cls=_Group, no_args_is_help=True)
    cli.add_typer(admin.users_app, name="users")
    cli.command("backup")(admin.backup)
    cli.command("restore")(admin.restore)
    return cli


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(_cli(), list(args), input=stdin, env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "koers.db"
    with Repository.open(f"sqlite:///{path}") as repo:
        repo.add_study(new_study("corona-lokale-besturen"))
    return str(path)


def test_add_grant_list_revoke(db: str) -> None:
    code, out, err = run("users", "add", "anna", "--password-stdin", "--db", db, stdin=PASSWORD)
    assert code == 0, err
    assert "user 'anna' added" in out
    assert run("users", "grant", "anna", "1", "editor", "--db", db)[0] == 0
    code, out, _ = run("users", "list", "--db", db, "--json")
    assert json.loads(out) == [
        {"name": "anna", "local": False, "locked_until": None, "studies": {"1": "editor"}}
    ]
    assert "anna: 1: editor" in run("users", "list", "--db", db)[1]
    code, out, _ = run("users", "revoke", "anna", "1", "--db", db)
    assert (code, "no longer belongs to study 1" in out) == (0, True)
    with Repository.open(f"sqlite:///{db}") as repo:
        actors = {entry.actor for entry in repo.audit.entries(None)[1:]}
    assert len(actors) == 1 and actors.pop().startswith("admin")


def test_the_password_is_asked_twice_without_stdin(db: str) -> None:
    code, _, err = run("users", "add", "anna", "--db", db, stdin=PASSWORD + PASSWORD)
    assert code == 0, err
    code, _, _ = run("users", "add", "bram", "--db", db, stdin=PASSWORD + "something else\n")
    assert code != 0  # the confirmation did not match, then input ran out
    assert "bram" not in run("users", "list", "--db", db)[1]


def test_errors_are_messages_with_exit_status_2(db: str) -> None:
    code, _, err = run("users", "add", "anna", "--password-stdin", "--db", db, stdin="short\n")
    assert code == 2 and "a password has 10 to 1024 characters" in err
    code, _, err = run(
        "users", "reset-password", "nobody", "--password-stdin", "--db", db, stdin=PASSWORD
    )
    assert code == 2 and "no user 'nobody'" in err
    code, _, err = run("users", "grant", "anna", "1", "admin", "--db", db)
    assert code == 2 and "admin" in err  # typer's choice check
    assert "Traceback" not in err


def test_reset_password(db: str) -> None:
    run("users", "add", "anna", "--password-stdin", "--db", db, stdin=PASSWORD)
    code, out, err = run(
        "users",
        "reset-password",
        "anna",
        "--password-stdin",
        "--db",
        db,
        stdin="another long one\n",
    )
    assert code == 0, err
    assert "sessions have ended" in out


def test_invite_prints_the_link_path(db: str) -> None:
    code, out, err = run("users", "invite", "1", "participant", "--days", "3", "--db", db)
    assert code == 0, err
    path = out.splitlines()[0]
    assert path.startswith("/invitations/") and len(path) > len("/invitations/") + 40
    with Repository.open(f"sqlite:///{db}") as repo:
        [invitation] = repo.accounts.invitations(1)
    assert invitation.role == "participant"
    assert invitation.expires - invitation.created == dt.timedelta(days=3)
    code, _, err = run("users", "invite", "7", "viewer", "--db", db)
    assert code == 2 and "no study with id 7" in err


def test_backup_and_restore(db: str, tmp_path: Path) -> None:
    file = tmp_path / "koers.backup"
    code, out, err = run("backup", "--db", db, "-o", str(file))
    assert code == 0, err
    assert "backup of the sqlite database" in out and file.exists()
    code, _, err = run("backup", "--db", db, "-o", str(file))
    assert code == 2 and "exists" in err
    code, _, err = run("restore", str(file), "--db", db)
    assert code == 2 and "--force" in err
    fresh = tmp_path / "fresh.db"
    code, out, err = run("restore", str(file), "--db", str(fresh))
    assert code == 0, err
    with Repository.open(f"sqlite:///{fresh}") as repo:
        assert [summary.id for summary in repo.list_studies()] == [1]
