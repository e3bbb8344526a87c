"""``koers events ...``: the event cross-impact simulation (Gordon and Hayward)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from koers.services.events import SimulationRun

__all__ = ["app"]

# The command imports koers.services.events itself: it loads numba and the compiled kernel,
# which other commands should not wait for.

app = typer.Typer(
    help="Events and their cross-impacts: how likely, and how one event changes another.",
    no_args_is_help=True,
)

SHOWN_EFFECTS = 10


@app.command("simulate")
def simulate_command(
    path: Annotated[
        Path, typer.Argument(help="A CSV table of events (docs/methods.md) or a study .yaml.")
    ],
    runs: Annotated[int, typer.Option(min=1, help="Number of Monte Carlo runs.")] = 100_000,
    seed: Annotated[
        int | None, typer.Option(min=0, help="Random seed; the same seed, the same result.")
    ] = None,
    top: Annotated[int, typer.Option(min=0, help="How many combinations and orders to list.")] = 10,
    effect_runs: Annotated[
        int | None,
        typer.Option(
            min=1, help="Runs per forced event for the effects (default: --runs, at most 100000)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Simulate the events many times: final probabilities, combinations, orders, effects."""
    from koers.services import events

    loaded = events.load_events(path)
    run = events.simulate_events(loaded, runs=runs, seed=seed, top=top, effect_runs=effect_runs)
    if as_json:
        typer.echo(json.dumps(events.document(run), ensure_ascii=False))
        return
    _render(run, Console(highlight=False, emoji=False, soft_wrap=True))


def _render(run: SimulationRun, console: Console) -> None:
    result = run.simulation
    table = Table(title=f"{result.runs:,} runs, seed {run.seed}")
    for header in ("event", "initial", "final", "95% interval", "change"):
        table.add_column(header, justify="left" if header == "event" else "right")
    for o in result.outcomes:
        change = o.probability - o.initial
        table.add_row(
            o.key,
            f"{o.initial:.3f}",
            f"{o.probability:.3f}",
            f"{o.low:.3f}-{o.high:.3f}",
            f"{change:+.3f}",
        )
    console.print(table)
    for title, patterns, runs in (
        ("most frequent combinations", result.patterns, result.runs),
        ("most frequent orders", result.orders, result.order_runs),
    ):
        console.print(f"\n{title} (share of {runs:,} runs)")
        for p in patterns:
            chain = " -> " if patterns is result.orders else ", "
            listed = chain.join(p.events) or "(none)"
            console.print(f"  {p.share:7.2%}  {listed}{' ...' if p.truncated else ''}")
    effects = sorted(
        (
            (value, source, target)
            for source, row in zip(result.keys, run.effects.change, strict=True)
            for target, value in zip(result.keys, row, strict=True)
            if value
        ),
        key=lambda effect: (-abs(effect[0]), effect[1], effect[2]),
    )[:SHOWN_EFFECTS]
    console.print(
        "\nstrongest effects: P(target | source made to occur) - P(target | made not to); "
        f"{run.effects.runs:,} runs each"
    )
    for value, source, target in effects:
        console.print(f"  {value:+.3f}  {source} on {target}")
