"""Administration: ``koers users ...``, ``koers backup`` and ``koers restore``.

These commands work on the database directly and are for whoever runs the server; every
change they make is recorded in the audit log as ``admin:<login name>``.
"""

from __future__ import annotations

import getpass
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from koers.cli.options import Json, console

if TYPE_CHECKING:
    from koers.services.accounts import Accounts
    from koers.store import Repository

__all__ = ["backup", "restore", "users_app"]

users_app = typer.Typer(
    help="Accounts: add users, reset passwords, give roles in studies, invite by link.",
    no_args_is_help=True,
)


class Role(StrEnum):
    owner = "owner"
    facilitator = "facilitator"
    editor = "editor"
    participant = "participant"
    viewer = "viewer"


Database = Annotated[
    str | None, typer.Option("--db", help="Database URL or SQLite file (default: user data).")
]
UserName = Annotated[str, typer.Argument(help="The user's name (what they sign in with).")]
StudyNumber = Annotated[int, typer.Argument(min=1, help="The number of the study in the database.")]
PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input."
    ),
]


def _actor() -> str:
    try:
        return f"admin:{getpass.getuser()}"
    except (KeyError, OSError):
        return "admin"


def _open(db: str | None) -> tuple[Repository, Accounts]:
    """The repository and its accounts (the database layer loads only when needed)."""
    from koers.services import accounts, workbench
    from koers.store import Repository

    repository = Repository.open(workbench.database_url(db))
    return repository, accounts.Accounts(repository)


@users_app.command("add")
def add(name: UserName, password_stdin: PasswordStdin = False, db: Database = None) -> None:
    """Add a user with a password (asked for twice, or read with --password-stdin)."""
    from koers.services import accounts as service

    password = _read_password(password_stdin, service.MIN_PASSWORD)
    repository, accounts = _open(db)
    with repository:
        user = accounts.create_user(name, password, actor=_actor())
    console().print(f"user '{user.name}' added; give them a role with 'koers users grant'")


@users_app.command("reset-password")
def reset_password(
    name: UserName, password_stdin: PasswordStdin = False, db: Database = None
) -> None:
    """Give a user a new password; lifts a lock-out and signs them out everywhere."""
    from koers.services import accounts as service

    password = _read_password(password_stdin, service.MIN_PASSWORD)
    repository, accounts = _open(db)
    with repository:
        accounts.set_password(name, password, actor=_actor())
    console().print(f"the password of '{name}' is reset; their sessions have ended")


@users_app.command("list")
def list_users(db: Database = None, as_json: Json = False) -> None:
    """List the users, with their roles per study and whether they are locked out."""
    repository, accounts = _open(db)
    with repository:
        rows: list[dict[str, Any]] = []
        for user in accounts.users():
            roles = {m.study_id: m.role for m in repository.accounts.memberships(user.id)}
            rows.append(
                {
                    "name": user.name,
                    "local": user.local,
                    "locked_until": user.locked_until.isoformat() if user.locked_until else None,
                    "studies": {str(study): role for study, role in roles.items()},
                }
            )
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    out = console()
    if not rows:
        out.print("no users yet; add one with 'koers users add NAME'")
    for row in rows:
        studies = ", ".join(f"{study}: {role}" for study, role in row["studies"].items())
        notes = [note for note in ("local" if row["local"] else "",) if note]
        if row["locked_until"]:
            notes.append(f"locked until {row['locked_until']}")
        extra = f" ({'; '.join(notes)})" if notes else ""
        out.print(f"{row['name']}{extra}: {studies or 'no studies'}")


@users_app.command("grant")
def grant(name: UserName, study: StudyNumber, role: Role, db: Database = None) -> None:
    """Give a user a role in a study (in place of the role they had there)."""
    repository, accounts = _open(db)
    with repository:
        accounts.grant(name, study, role.value, actor=_actor())
    console().print(f"'{name}' is now {role.value} of study {study}")


@users_app.command("revoke")
def revoke(name: UserName, study: StudyNumber, db: Database = None) -> None:
    """Take a user's role in a study away."""
    repository, accounts = _open(db)
    with repository:
        had = accounts.revoke(name, study, actor=_actor())
    message = "no longer belongs to" if had else "did not belong to"
    console().print(f"'{name}' {message} study {study}")


@users_app.command("invite")
def invite(
    study: StudyNumber,
    role: Role,
    days: Annotated[int, typer.Option(min=1, max=365, help="How long the link works.")] = 7,
    db: Database = None,
) -> None:
    """Make an invitation link to a study with a role: it works once, for --days days."""
    from koers.services import accounts as service

    repository, accounts = _open(db)
    with repository:
        token = accounts.invite(study, role.value, days=days, created_by=_actor())
    typer.echo(service.invitation_path(token))
    console().print(
        f"an invitation as {role.value} of study {study}, for {days} days and one person; "
        "put the server's address in front of the path. It is shown only now.",
        style="dim",
    )


def _read_password(from_stdin: bool, minimum: int) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.removesuffix("\n").removesuffix("\r")
    entered: str = typer.prompt(
        f"Password (at least {minimum} characters)", hide_input=True, confirmation_prompt=True
    )
    return entered


def backup(
    output: Annotated[Path, typer.Option("--output", "-o", help="The backup file to write.")],
    db: Database = None,
    force: Annotated[bool, typer.Option(help="Replace an existing backup file.")] = False,
) -> None:
    """Back up the database while it is in use (SQLite: online backup; PostgreSQL: pg_dump)."""
    from koers.services import backup as service
    from koers.services import workbench

    made = service.backup(workbench.database_url(db), output, overwrite=force)
    console().print(f"{made.file}: backup of the {made.kind} database ({made.size:,} bytes)")


def restore(
    file: Annotated[Path, typer.Argument(help="A backup made by 'koers backup'.")],
    db: Database = None,
    force: Annotated[
        bool, typer.Option(help="Replace everything in a database that is not empty.")
    ] = False,
) -> None:
    """Restore a backup into the database (stop the server first); refuses to overwrite
    a database that holds anything unless --force."""
    from koers.services import backup as service
    from koers.services import workbench

    done = service.restore(workbench.database_url(db), file, force=force)
    console().print(f"{file}: restored into the {done.kind} database")
