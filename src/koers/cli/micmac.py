"""``koers micmac``: structural analysis (MICMAC) of a CSV matrix or a study."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:  # the service loads the CIB engine (numba) for studies
    from koers.methods.micmac import Analysis, Plane
    from koers.services.micmac import MicmacReport

__all__ = ["micmac"]

_CONVERGENCE = {
    "stable": "rankings stable at power {power} (M^{power})",
    "max_power": "rankings still change at power {power}, the maximum: read them with care",
    "no_loops": "no feedback loops: M^{next} = 0, the longest chains are those of M^{power}",
    "direct": "direct influences only",
}


def micmac(
    path: Annotated[
        Path, typer.Argument(help="A CSV matrix of direct influences (0-3, P) or a study .yaml.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Structural analysis (MICMAC): which factors drive the others, directly and indirectly."""
    from koers.services import micmac as service

    report = service.micmac_file(path)
    if as_json:
        typer.echo(json.dumps(service.micmac_document(report), ensure_ascii=False))
        return
    _render(report, Console(highlight=False, emoji=False, markup=False))


def _render(report: MicmacReport, console: Console) -> None:
    analysis = report.analysis
    console.print(_convergence(analysis.indirect))
    console.print(_table(analysis, analysis.direct, analysis.indirect))
    hidden = ", ".join(
        f"{factor} (+{analysis.influence_displacement(analysis.factors.index(factor))})"
        for factor in analysis.hidden_drivers
    )
    console.print(f"Hidden drivers (influence rank up {analysis.hidden_shift}+): {hidden or '-'}")
    if analysis.potential_direct and analysis.potential_indirect:
        console.print()
        console.print(
            f"With potential influences (P counts {analysis.potential_weight}): "
            + _convergence(analysis.potential_indirect)
        )
        console.print(_table(analysis, analysis.potential_direct, analysis.potential_indirect))
    if report.suggestions is not None:
        suggestions = report.suggestions
        seen = f"{report.scenarios}" + ("" if report.complete else "+")
        console.print()
        console.print(
            f"Suggested axes: {', '.join(suggestions.axes) or '-'} (the most influential of "
            f"the descriptors that the {seen} consistent scenarios leave open)"
        )
        console.print(
            "Places for leading indicators: " + (", ".join(suggestions.leading_indicators) or "-")
        )


def _convergence(plane: Plane) -> str:
    if not any(position.influence for position in plane.positions):
        return "the matrix holds no influences"
    text = _CONVERGENCE[plane.convergence]
    return text.format(power=plane.power, next=plane.power + 1)


def _table(analysis: Analysis, direct: Plane, indirect: Plane) -> Table:
    """One row per factor, most influential (indirect) first: ranks, shares, classes."""
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("factor", no_wrap=True, max_width=14, overflow="ellipsis")
    for measure in ("infl", "dep"):
        table.add_column(f"{measure}\ndir", justify="right")
        table.add_column(f"{measure}\nind", justify="right")
        table.add_column(f"{measure}\n%", justify="right")
    table.add_column("class\ndirect", no_wrap=True, min_width=11)
    table.add_column("\nindirect", no_wrap=True, min_width=11)
    order = sorted(
        range(len(analysis.factors)),
        key=lambda index: (indirect.positions[index].influence_rank, index),
    )
    for index in order:
        before, after = direct.positions[index], indirect.positions[index]
        table.add_row(
            analysis.factors[index],
            str(before.influence_rank),
            str(after.influence_rank),
            f"{after.influence_share:.1f}%",
            str(before.dependence_rank),
            str(after.dependence_rank),
            f"{after.dependence_share:.1f}%",
            before.role,
            after.role,
        )
    return table
