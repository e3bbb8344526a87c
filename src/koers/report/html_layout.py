"""The board report as one self-contained HTML file: inline CSS, inline SVG, no scripts.

The file refers to nothing outside itself (no stylesheet, font, image or script is
loaded), so it can be mailed, archived and opened offline. The blocks of a
:class:`~koers.report.content.Report` are rendered by the Jinja template
``report/templates/report.html``; texts are escaped, the SVG figures (made by the shared
figure modules, which escape their own texts) are inserted as they are.
"""

from __future__ import annotations

import re
from functools import cache

from jinja2 import Environment, PackageLoader, Template, select_autoescape

from koers.report.content import (
    Block,
    Bullets,
    Facts,
    Figure,
    FigureGrid,
    Heading,
    Notice,
    PageBreak,
    Paragraph,
    Report,
    Sideways,
    Table,
)

__all__ = ["html"]

_KINDS: dict[type, str] = {
    Heading: "heading",
    Paragraph: "paragraph",
    Bullets: "bullets",
    Facts: "facts",
    Table: "table",
    Figure: "figure",
    FigureGrid: "grid",
    Notice: "notice",
    PageBreak: "break",
}


def html(report: Report) -> bytes:
    """The report as a UTF-8 HTML document that needs no other file."""
    blocks: list[tuple[str, Block, str]] = []
    chapters: list[tuple[str, str]] = []
    flat = [
        part
        for block in report.blocks
        for part in (block.blocks if isinstance(block, Sideways) else (block,))
    ]
    for number, block in enumerate(flat):
        anchor = ""
        if isinstance(block, Heading):
            anchor = f"s{number}-{_slug(block.text)}"
            if block.level == 1:
                chapters.append((anchor, block.text))
        blocks.append((_KINDS[type(block)], block, anchor))
    page = _template().render(report=report, blocks=blocks, chapters=chapters)
    return page.encode("utf-8")


@cache
def _template() -> Template:
    environment = Environment(
        loader=PackageLoader("koers.report", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("report.html")


def _slug(text: str) -> str:
    """A fragment identifier made of ``text``.

    >>> _slug("Waar staan we?")
    'waar-staan-we'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]
