"""The ``koers`` commands. Each parses its options, calls one service and prints the result."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from koers.cli import admin, cib, events, micmac, report, signals, strategy
from koers.cli.render import render_study, render_templates
from koers.errors import KoersError, ValidationError
from koers.services import studies

__all__ = ["app", "main"]


class Lang(StrEnum):
    nl = "nl"
    en = "en"


class _Group(TyperGroup):
    """Turns Koers's errors into a message and exit status 2, once, for every command."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KoersError as err:
            if ctx.params.get("debug"):
                raise
            _report(err)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            Console(stderr=True).print("interrupted; nothing was written")
            raise typer.Exit(130) from None


def _report(err: KoersError) -> None:
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    problems = err.problems if isinstance(err, ValidationError) else ()
    for problem in problems or [str(err)]:
        console.print(f"[bold red]error:[/] {problem}", markup=True, emoji=False)
    if len(problems) > 1:
        console.print(f"{len(problems)} problems found", emoji=False)


app = typer.Typer(
    cls=_Group,
    help="Koers: scenario planning and early warning for local government.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


app.add_typer(cib.app, name="cib")
app.add_typer(signals.app, name="signals")
app.add_typer(strategy.app, name="strategy")
app.add_typer(events.app, name="events")
app.command("micmac")(micmac.micmac)
app.command("report")(report.report)
app.add_typer(admin.users_app, name="users")
app.command("backup")(admin.backup)
app.command("restore")(admin.restore)


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option(help="Show a traceback on errors.")] = False,
) -> None:
    """Koers: scenario planning and early warning for local government."""


def _console() -> Console:
    return Console(highlight=False, emoji=False)


@app.command()
def templates() -> None:
    """List the built-in study templates."""
    render_templates(studies.templates(), _console())


@app.command()
def new(
    output: Annotated[Path, typer.Option("--output", "-o", help="The study file to write.")],
    template: Annotated[
        str, typer.Option(help="A built-in template (see 'koers templates').")
    ] = "corona-lokale-besturen",
    lang: Annotated[Lang | None, typer.Option(help="The study's language.")] = None,
    organisation: Annotated[str | None, typer.Option(help="Your organisation's name.")] = None,
    municipality: Annotated[
        str | None, typer.Option(help="CBS municipality code, e.g. GM0344.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Create a study from a template."""
    study = studies.new_study(
        template,
        language=lang.value if lang else None,
        organisation=organisation,
        municipality=municipality,
    )
    studies.create_study(study, output, overwrite=force)
    _console().print(f"{output}: study '{study.title.get(study.language)}' created")


@app.command()
def validate(path: Annotated[Path, typer.Argument(help="The study file to check.")]) -> None:
    """Check a study file; every problem is listed with its line and column (exit 2)."""
    study = studies.load_study(path)
    counts = f"{len(study.scenarios)} scenarios, {len(study.descriptors)} descriptors"
    _console().print(f"{path}: valid ({counts})")


@app.command()
def show(
    path: Annotated[Path, typer.Argument(help="The study file to show.")],
    lang: Annotated[Lang | None, typer.Option(help="Language (default: the study's).")] = None,
) -> None:
    """Show the scenario matrix and the scenarios of a study."""
    study = studies.load_study(path)
    render_study(study, lang.value if lang else study.language, _console())


Database = Annotated[
    str | None, typer.Option("--db", help="Database URL or SQLite file (default: user data).")
]
Host = Annotated[str, typer.Option(help="The address to listen on.")]
Port = Annotated[int, typer.Option(min=1, max=65535, help="The port to listen on.")]


@app.command()
def serve(
    db: Database = None,
    host: Host = "127.0.0.1",
    port: Port = 8000,
    local: Annotated[
        bool,
        typer.Option(
            "--local",
            help="Local mode: on 127.0.0.1 only, no sign-in; you own every study.",
        ),
    ] = False,
    secret_key_file: Annotated[
        Path | None,
        typer.Option(
            help="File with the secret key that signs the forms (or env KOERS_SECRET_KEY).",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ] = None,
) -> None:
    """Serve the web workbench (pages and JSON API) until Ctrl+C.

    Everyone signs in, unless --local. On another address than 127.0.0.1 a secret key is
    required, and TLS (a reverse proxy) must be in front.
    """
    from koers.services import workbench  # the database layer loads only when needed

    secret = _secret_key(secret_key_file)
    if local and not _loopback(host):
        raise typer.BadParameter(
            f"the local mode serves 127.0.0.1 only, not {host}; leave out --host or --local",
            param_hint="--host",
        )
    if not local and not _loopback(host):
        if secret is None:
            raise typer.BadParameter(
                f"serving on {host} needs a secret key: set KOERS_SECRET_KEY or pass "
                "--secret-key-file (a file with at least 32 random characters)",
                param_hint="--host",
            )
        _console().print(
            "Warning: Koers speaks plain HTTP. Put a reverse proxy with TLS (HTTPS) in front "
            "of it; the session cookie is sent over HTTPS only."
        )
    _serve(workbench.database_url(db), host, port, "/studies", local=local, secret=secret)


def _loopback(host: str) -> bool:
    """Whether ``host`` is this computer only (127.0.0.1, ::1, localhost)."""
    return host in ("127.0.0.1", "::1", "localhost") or host.startswith("127.")


def _secret_key(path: Path | None) -> str | None:
    """The secret key from ``path``, else from KOERS_SECRET_KEY; ``None`` if neither."""
    import os

    text = (
        path.read_text(encoding="utf-8").strip()
        if path
        else os.environ.get("KOERS_SECRET_KEY", "").strip()
    )
    if text and len(text) < 32:
        raise typer.BadParameter(
            f"the secret key has {len(text)} characters; use at least 32 random ones "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(32))')",
            param_hint="--secret-key-file",
        )
    return text or None


@app.command()
def demo(
    folder: Annotated[
        Path | None, typer.Option(help="Where to keep the demo study (default: user data).")
    ] = None,
    db: Database = None,
    host: Host = "127.0.0.1",
    port: Port = 8000,
    serve: Annotated[bool, typer.Option(help="Serve the workbench after.")] = True,
) -> None:
    """Put the demo study in the database (once) and serve it in the web workbench.

    Always in the local mode: on 127.0.0.1 only, no sign-in.
    """
    from koers.services import workbench

    path, study = studies.demo_study(folder)
    url = workbench.database_url(db or (str(folder / "koers.db") if folder else None))
    with workbench.Workbench.open(url) as bench:
        study_id = bench.ensure_demo(study)
    names = ", ".join(scenario.name.get(study.language) for scenario in study.scenarios)
    _console().print(f"Demo study: {study.title.get(study.language)} ({names})\nFile: {path}")
    if serve:
        if not _loopback(host):
            raise typer.BadParameter(
                f"the demo serves 127.0.0.1 only, not {host}", param_hint="--host"
            )
        _serve(url, host, port, f"/studies/{study_id}", local=True, secret=None)


def _serve(
    database: str, host: str, port: int, page: str, *, local: bool, secret: str | None
) -> None:
    from koers.web import Settings, create_app, serve

    settings = Settings(
        database=database,
        local=local,
        secret_key=secret,
    )
    app = create_app(settings)  # a database it cannot open stops here
    _console().print(f"Koers workbench: http://{host}:{port}{page} (Ctrl+C stops)")
    serve(app, host=host, port=port)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the study file format."""
    typer.echo(json.dumps(studies.study_schema(), indent=2, ensure_ascii=False))


def main() -> None:
    """Entry point of the ``koers`` console script."""
    app()
