"""``koers cib ...``: cross-impact balance analysis of a .scw, a CSV matrix or a study."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from koers.cli.options import Json
from koers.cli.render import render_basins, render_ensemble, render_succession, render_tableau

__all__ = ["app"]

# Each command imports koers.services.cib itself: it loads numba and the compiled kernels,
# which other commands (koers validate, koers show) should not wait for.

app = typer.Typer(
    help="Cross-impact balance analysis (CIB): consistent scenarios from many factors.",
    no_args_is_help=True,
)

MatrixPath = Annotated[
    Path, typer.Argument(help="A ScenarioWizard .scw, a CSV matrix or a study .yaml.")
]


class SelfImpacts(StrEnum):
    include = "include"
    exclude = "exclude"


@app.command("solve")
def solve_command(
    path: MatrixPath,
    strict: Annotated[
        bool, typer.Option("--strict", help="A chosen variant must beat every other (no ties).")
    ] = False,
    self_impacts: Annotated[
        SelfImpacts,
        typer.Option(help="Count a descriptor's judgements on itself (as ScenarioWizard does)."),
    ] = SelfImpacts.include,
    max_inconsistency: Annotated[
        int, typer.Option(min=0, help="List scenarios up to this inconsistency.")
    ] = 0,
    fix: Annotated[
        list[str] | None,
        typer.Option(help="Fix a variant, D=V (labels or 1-based numbers); repeatable."),
    ] = None,
    dask: Annotated[
        str | None, typer.Option(help="Solve on a Dask scheduler, e.g. tcp://host:8786.")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Solve on a local Dask cluster of N processes.")
    ] = None,
    as_json: Json = False,
) -> None:
    """List every consistent scenario, exactly (the scenario tableau)."""
    from koers.services import cib

    matrix = cib.load_matrix(path)
    fixed = cib.parse_assignments(matrix, fix or [])
    with _progress("solving") as progress:
        solution = cib.solve_matrix(
            matrix,
            ties="strict" if strict else "allow",
            self_impacts=self_impacts.value,
            max_inconsistency=max_inconsistency,
            fixed=fixed,
            progress=progress,
            cluster=dask if dask is not None else workers,
        )
    rows = cib.scenario_rows(matrix, solution)
    if as_json:
        document = {
            "count": solution.count,
            "complete": solution.complete,
            "space": solution.space,
            "scenarios": [
                {
                    "variants": list(row.variants),
                    "labels": list(row.labels),
                    "total_impact_score": row.total_impact_score,
                    "inconsistency": row.inconsistency,
                    "margin": row.margin,
                }
                for row in rows
            ],
        }
        typer.echo(json.dumps(document, ensure_ascii=False))
        return
    render_tableau(matrix, rows, solution.space, solution.complete, _stdout())


class Rule(StrEnum):
    global_ = "global"
    adiabatic = "adiabatic"


RuleOption = Annotated[
    Rule, typer.Option("--rule", help="global: all descriptors move at once; adiabatic: one.")
]
SelfImpactsOption = Annotated[
    SelfImpacts,
    typer.Option(help="Count a descriptor's judgements on itself (as ScenarioWizard does)."),
]


@app.command("succession")
def succession_command(
    path: MatrixPath,
    start: Annotated[
        list[str], typer.Option(help="The start scenario, D=V for every descriptor; repeatable.")
    ],
    rule: RuleOption = Rule.global_,
    self_impacts: SelfImpactsOption = SelfImpacts.include,
    as_json: Json = False,
) -> None:
    """Follow the succession from a scenario to its attractor (a scenario or a cycle)."""
    from koers.services import cib

    matrix = cib.load_matrix(path)
    result = cib.follow_succession(
        matrix, cib.parse_scenario(matrix, start), rule=rule.value, self_impacts=self_impacts.value
    )
    steps = [cib.labels_of(matrix, scenario) for scenario in result.path]
    attractor = [cib.labels_of(matrix, scenario) for scenario in result.attractor]
    if as_json:
        document = {"path": steps, "attractor": attractor, "is_cycle": result.is_cycle}
        typer.echo(json.dumps(document, ensure_ascii=False))
        return
    render_succession(matrix, steps, attractor, result.is_cycle, _stdout())


@app.command("basins")
def basins_command(
    path: MatrixPath,
    rule: RuleOption = Rule.global_,
    samples: Annotated[
        int | None, typer.Option(min=1, help="Sample this many random starts (else all).")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed of the random starts.")] = None,
    self_impacts: SelfImpactsOption = SelfImpacts.include,
    as_json: Json = False,
) -> None:
    """Volume weights: how many start scenarios end in each attractor."""
    from koers.services import cib

    matrix = cib.load_matrix(path)
    result = cib.volume_weights(
        matrix, rule=rule.value, samples=samples, seed=seed, self_impacts=self_impacts.value
    )
    rows = [
        {
            "scenarios": [cib.labels_of(matrix, scenario) for scenario in attractor.scenarios],
            "is_cycle": attractor.is_cycle,
            "weight": attractor.weight,
        }
        for attractor in result.attractors
    ]
    if as_json:
        document = {"exact": result.exact, "starts": result.starts, "attractors": rows}
        typer.echo(json.dumps(document, ensure_ascii=False))
        return
    render_basins(matrix, rows, result.exact, result.starts, _stdout())


@app.command("ensemble")
def ensemble_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Two or more matrices of the same descriptors.")
    ],
    strict: Annotated[bool, typer.Option("--strict", help="No ties.")] = False,
    self_impacts: SelfImpactsOption = SelfImpacts.include,
    max_inconsistency: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Json = False,
) -> None:
    """Solve several judges' matrices together: in how many is each scenario consistent?"""
    from koers.services import cib

    matrices = [cib.load_matrix(path) for path in paths]
    result = cib.solve_ensemble(
        matrices,
        ties="strict" if strict else "allow",
        self_impacts=self_impacts.value,
        max_inconsistency=max_inconsistency,
    )
    mean = {tuple(row) for row in result.mean_solution.scenarios.tolist()}
    rows = [
        {
            "labels": cib.labels_of(matrices[0], scenario),
            "members": int(result.agreement[index]),
            "in_mean": tuple(scenario) in mean,
        }
        for index, scenario in enumerate(result.scenarios.tolist())
    ]
    if as_json:
        document = {"members": len(matrices), "complete": result.complete, "scenarios": rows}
        typer.echo(json.dumps(document, ensure_ascii=False))
        return
    render_ensemble(matrices[0], rows, len(matrices), _stdout())


def _stdout() -> Console:
    return Console(highlight=False, emoji=False)


@contextmanager
def _progress(what: str) -> Iterator[Callable[[float], None] | None]:
    """A progress bar on a terminal's standard error; nothing when output is redirected."""
    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    columns = (TextColumn(what), BarColumn(), TextColumn("{task.percentage:>3.0f}%"))
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task(what, total=1.0)
        yield lambda fraction: bar.update(task, completed=fraction)
