"""Terminal views of studies, readable at 80 columns, in the study's language."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as RichText

from koers.i18n import translator
from koers.model import Language, Study, Text
from koers.services.studies import TemplateInfo

__all__ = ["render_study", "render_templates"]


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
