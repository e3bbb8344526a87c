"""Terminal views of studies, readable at 80 columns, in the study's language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from babel.numbers import format_decimal, format_percent
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as RichText

from koers.i18n import translator
from koers.model import Language, Study, Text

if TYPE_CHECKING:  # only for types: the CIB engine loads numba, which takes a while
    from koers.methods.cib.matrix import CrossImpactMatrix
    from koers.services.cib import SolvedScenario
    from koers.services.signal_views import SignalStatus
    from koers.services.studies import TemplateInfo

__all__ = [
    "render_basins",
    "render_ensemble",
    "render_signal_status",
    "render_study",
    "render_succession",
    "render_tableau",
    "render_templates",
]


def render_templates(found: Sequence[TemplateInfo], console: Console) -> None:
    table = Table("template", "title", "language", box=None, header_style="bold")
    for info in found:
        language = info.study.language
        table.add_row(info.key, info.title.get(language), language)
    console.print(table)


def render_study(study: Study, lang: Language, console: Console) -> None:
    _ = translator(lang)
    console.print(RichText(study.title.get(lang), style="bold"))
    details = [study.organisation]
    if study.municipality:
        details.append(study.municipality)
    details.append(f"{_('horizon')} {study.horizon.isoformat()}")
    console.print(" · ".join(details), style="dim")
    if study.framing is not None:
        console.print()
        console.print(_matrix(study, lang))
    for scenario in study.scenarios:
        parts: list[RichText | Group] = []
        if scenario.narrative:
            parts.append(RichText(scenario.narrative.get(lang)))
        if scenario.leadership:
            parts.append(_section(_("Leadership role"), [scenario.leadership], lang, bullets=False))
        for title, texts in (
            (_("Focus areas"), scenario.focus),
            (_("Key questions"), scenario.questions),
            (_("Implications"), scenario.implications),
        ):
            if texts:
                parts.append(_section(title, texts, lang))
        if scenario.origin == "synthesis":
            parts.append(RichText(_("Elaborated by Koers on the framework of the source."), "dim"))
        title = scenario.name.get(lang)
        if scenario.quadrant and study.framing:
            poles = [
                study.descriptor(axis).variant(scenario.quadrant[axis])
                for axis in study.framing.axes
            ]
            title += " (" + ", ".join(pole.name.get(lang) for pole in poles if pole) + ")"
        console.print()
        console.print(Panel(Group(*_spaced(parts)), title=title, title_align="left"))


def _matrix(study: Study, lang: Language) -> Table:
    """The 2x2: the first axis across, the second axis up, its second pole on top."""
    horizontal, vertical = study.axes()
    grid = Table(
        title=f"{horizontal.name.get(lang)} / {vertical.name.get(lang)}",
        show_lines=True,
        expand=True,
    )
    grid.add_column(vertical.name.get(lang), style="bold", ratio=1)
    for pole in horizontal.variants:
        grid.add_column(f"{horizontal.name.get(lang)}: {pole.name.get(lang)}", ratio=2)
    for pole in reversed(vertical.variants):
        cells: list[RichText | str] = [pole.name.get(lang)]
        for x_pole in horizontal.variants:
            scenario = study.quadrant_scenario(x_pole, pole)
            cell = RichText(scenario.name.get(lang), style="bold")
            if scenario.summary:
                cell.append("\n" + scenario.summary.get(lang), style="not bold")
            cells.append(cell)
        grid.add_row(*cells)
    return grid


def _section(title: str, texts: Sequence[Text], lang: Language, *, bullets: bool = True) -> Group:
    """A heading over its texts; bullets hang, so wrapped lines align with the text."""
    items = Table.grid(padding=(0, 1) if bullets else 0)
    if bullets:
        items.add_column(no_wrap=True)
    items.add_column()
    for text in texts:
        items.add_row(*(["•"] if bullets else []), text.get(lang))
    return Group(RichText(title, style="bold"), items)


def _spaced(parts: list[RichText | Group]) -> list[RichText | Group]:
    spaced: list[RichText | Group] = []
    for index, part in enumerate(parts):
        if index:
            spaced.append(RichText(""))
        spaced.append(part)
    return spaced


def render_tableau(
    matrix: CrossImpactMatrix,
    rows: Sequence[SolvedScenario],
    space: int,
    complete: bool,
    console: Console,
) -> None:
    """The scenario tableau of ScenarioWizard: descriptors down, scenarios across.

    Wide solutions are split into blocks of scenarios that fit the terminal.
    """
    state = "complete" if complete else "incomplete: the search stopped at its limit"
    console.print(f"{len(rows)} scenarios of {space:,} ({state})")
    label_width = max((len(label) for label in matrix.descriptors), default=0)
    cell_width = max((len(v) for names in matrix.variants for v in names), default=1)
    cell_width = max(cell_width, 4)
    per_block = max(1, (console.width - label_width - 4) // (cell_width + 3))
    for start in range(0, len(rows), per_block):
        block = rows[start : start + per_block]
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("", style="bold", no_wrap=True)
        for number in range(start + 1, start + len(block) + 1):
            table.add_column(f"#{number}", no_wrap=True, min_width=cell_width)
        for index, descriptor in enumerate(matrix.descriptors):
            table.add_row(descriptor, *(row.labels[index] for row in block))
        table.add_row("TIS", *(str(row.total_impact_score) for row in block), style="dim")
        table.add_row("IC", *(str(row.inconsistency) for row in block), style="dim")
        table.add_row("margin", *(str(row.margin) for row in block), style="dim")
        console.print()
        console.print(table)


def render_succession(
    matrix: CrossImpactMatrix,
    steps: Sequence[Sequence[str]],
    attractor: Sequence[Sequence[str]],
    is_cycle: bool,
    console: Console,
) -> None:
    """The succession path as a table: descriptors down, steps across; changes in bold."""
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("", style="bold", no_wrap=True)
    for number in range(len(steps)):
        table.add_column(f"step {number}" if number else "start", no_wrap=True)
    for index, descriptor in enumerate(matrix.descriptors):
        cells = []
        for number, step in enumerate(steps):
            moved = number > 0 and steps[number - 1][index] != step[index]
            cells.append(RichText(step[index], style="bold" if moved else ""))
        table.add_row(descriptor, *cells)
    console.print(table)
    ending = "a cycle of" if is_cycle else "the consistent scenario"
    shown = " -> ".join(" ".join(scenario) for scenario in attractor)
    console.print(f"\nEnds in {ending}: {shown}")


def render_basins(
    matrix: CrossImpactMatrix,
    rows: Sequence[dict[str, object]],
    exact: bool,
    starts: int,
    console: Console,
) -> None:
    """Attractors and their volume weights, heaviest first."""
    how = "all" if exact else "a random sample of"
    console.print(f"{len(rows)} attractors; {how} {starts:,} start scenarios")
    table = Table("weight", "share", "kind", "attractor", box=None, header_style="bold")
    for row in rows:
        weight = int(str(row["weight"]))
        scenarios = row["scenarios"]
        assert isinstance(scenarios, list)
        table.add_row(
            f"{weight:,}",
            f"{weight / starts:.1%}",
            "cycle" if row["is_cycle"] else "scenario",
            " -> ".join(" ".join(scenario) for scenario in scenarios),
        )
    console.print(table)


def render_ensemble(
    matrix: CrossImpactMatrix,
    rows: Sequence[dict[str, object]],
    members: int,
    console: Console,
) -> None:
    """Scenarios by the number of members in which they are consistent."""
    console.print(f"{len(rows)} scenarios consistent in at least one of {members} matrices")
    table = Table("members", "mean", *matrix.descriptors, box=None, header_style="bold")
    for row in rows:
        labels = row["labels"]
        assert isinstance(labels, list)
        table.add_row(f"{row['members']}/{members}", "yes" if row["in_mean"] else "", *labels)
    console.print(table)


ALERTS_SHOWN = 8
"""The newest open alerts the terminal view lists; --json gives them all."""


def render_signal_status(status: SignalStatus, lang: Language, console: Console) -> None:
    """The assessment in words first, then its reasons, the alerts and the signposts."""
    _ = translator(lang)
    if status.month is None:
        console.print(_("No observations yet: import a file with 'koers signals import'."))
        return

    def percent(share: float) -> str:
        return str(format_percent(share, locale=lang))

    lead = status.scenarios[0] if status.scenarios else None
    if lead is not None:
        console.print(
            RichText(
                _("In {month} the signals point most to {scenario} ({share}).").format(
                    month=status.month, scenario=lead.name.get(lang), share=percent(lead.likelihood)
                ),
                style="bold",
            )
        )
        console.print(
            "  ".join(f"{s.name.get(lang)} {percent(s.likelihood)}" for s in status.scenarios)
        )
    if status.position is not None and status.band is not None:
        (x_low, x_high), (y_low, y_high) = status.band
        x, y = status.position
        console.print(
            _(
                "Position {x:+.2f}, {y:+.2f}; without any one signpost between {x_low:+.2f} and "
                "{x_high:+.2f}, {y_low:+.2f} and {y_high:+.2f}."
            ).format(x=x, y=y, x_low=x_low, x_high=x_high, y_low=y_low, y_high=y_high)
        )
    if status.explanation:
        why = Table(
            _("signpost"),
            _("reading"),
            _("period"),
            _("points to"),
            _("weight"),
            _("since"),
            box=None,
            header_style="bold",
            title=_("Why"),
        )
        for item in status.explanation:
            why.add_row(
                item.indicator_name.get(lang),
                format_decimal(item.reading, locale=lang),
                item.period,
                f"{item.descriptor}: {item.variant}",
                f"{item.weight:.2f}",
                item.since,
            )
        console.print(why)
    open_alerts = [alert for alert in status.alerts if alert.status != "closed"]
    if open_alerts:
        alerts = Table(
            _("level"),
            _("signpost"),
            _("period"),
            _("status"),
            _("response"),
            box=None,
            header_style="bold",
            title=_("Alerts"),
        )
        for alert in open_alerts[:ALERTS_SHOWN]:
            response = alert.response.get(lang) if alert.response else ""
            alerts.add_row(
                _(alert.level),
                alert.indicator_name.get(lang),
                alert.period,
                _(alert.status),
                response,
            )
        console.print(alerts)
        if len(open_alerts) > ALERTS_SHOWN:
            console.print(
                _("{count} older open alerts are listed by --json.").format(
                    count=len(open_alerts) - ALERTS_SHOWN
                )
            )
    if status.nearest is not None:
        differs = ", ".join(f"{d}: {seen} → {there}" for d, seen, there in status.nearest.differs)
        console.print(
            _("Nearest consistent scenario: {scenario}").format(
                scenario=", ".join(f"{d}={v}" for d, v in status.nearest.variants.items())
            )
            + (f" ({_('differs in')} {differs})" if differs else "")
        )
    if status.follow:
        console.print(
            _("What may follow: {chain}").format(
                chain="; ".join(
                    f"{s.step}. {s.descriptor}: {s.before} → {s.after}" for s in status.follow
                )
            )
        )
