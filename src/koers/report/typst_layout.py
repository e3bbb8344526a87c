"""The PDF of the board report, laid out by Typst (the ``typst`` package from PyPI).

Why Typst: one wheel with the compiler inside, no system libraries, offline; it writes A4
PDFs with embedded, subset fonts, selectable text, an outline (bookmarks and a table of
contents), page numbers, SVG figures kept as vectors (their ``<text>`` stays text), and,
since 0.14, tagged PDF (``pdf_tags``). See docs/architecture.md, "The board report".

The frame (page, type, headings, cover, contents) is the template
``report/templates/report.typ``; this module writes the body after it from the blocks of a
:class:`~koers.report.content.Report`. Every text of the study enters as a Typst *string
literal* (or through ``sys.inputs``), never as markup, so a ``*`` or ``#`` in a policy's name
is printed, not obeyed.

Fonts: Liberation Sans (SIL Open Font License 1.1, Debian's ``fonts-liberation``) when its
folder is present, else Typst's own embedded Libertinus Serif (OFL 1.1); no system font
is read otherwise, so the same input gives the same PDF. Both are embedded in the PDF.

References
----------
Typst (2025). *Typst documentation*, version 0.14: PDF export and tagged PDF.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from koers.errors import KoersError
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

if TYPE_CHECKING:
    import typst

__all__ = ["FONT_FOLDERS", "pdf", "typst_source"]

FONT_FOLDERS = (Path("/usr/share/fonts/truetype/liberation"),)
"""Where Liberation Sans is looked for (Debian's ``fonts-liberation``)."""

_SANS = "Liberation Sans"
_FALLBACK = "Libertinus Serif"  # embedded in the Typst compiler


def pdf(report: Report, *, timestamp: dt.datetime | None = None) -> bytes:
    """The report as a tagged A4 PDF.

    ``timestamp`` is the creation date written into the PDF (default: now); a fixed one
    makes the output reproducible.

    Raises
    ------
    KoersError
        When Typst is not installed, or cannot lay the document out.
    """
    try:
        import typst
    except ImportError as err:  # pragma: no cover - typst is a dependency
        raise KoersError("the PDF report needs Typst: pip install typst") from err
    source, figures = typst_source(report)
    folders = tuple(str(folder) for folder in FONT_FOLDERS if folder.is_dir())
    fonts = _fonts(folders)
    inputs = {"meta": json.dumps(_meta(report, _families(fonts))), **figures}
    try:
        with warnings.catch_warnings():
            # Typst warns about glyphs a font lacks; the fallback font covers them.
            warnings.simplefilter("ignore")
            output = typst.compile(
                source.encode("utf-8"),
                format="pdf",
                font_paths=fonts,
                ignore_system_fonts=True,
                sys_inputs=inputs,
                timestamp=(timestamp or dt.datetime.now(dt.UTC)).replace(microsecond=0),
                pdf_tags=True,
            )
    except typst.TypstError as err:
        raise KoersError(f"the PDF report could not be laid out: {err.message}") from err
    assert isinstance(output, bytes)
    return output


def typst_source(report: Report) -> tuple[str, dict[str, str]]:
    """The Typst source of ``report`` and its figures (``sys.inputs`` name -> SVG)."""
    frame = resources.files("koers.report").joinpath("templates/report.typ").read_text("utf-8")
    figures: dict[str, str] = {}
    body = [_block(block, figures) for block in report.blocks]
    return frame + "\n" + "\n".join(body) + "\n", figures


@cache
def _fonts(folders: tuple[str, ...]) -> typst.Fonts:
    """Typst's embedded fonts and those in ``folders``; no system font (reproducible)."""
    import typst

    return typst.Fonts(include_system_fonts=False, font_paths=list(folders))


def _families(fonts: typst.Fonts) -> tuple[str, ...]:
    return (_SANS, _FALLBACK) if _SANS in fonts.families() else (_FALLBACK,)


def _meta(report: Report, fonts: tuple[str, ...]) -> dict[str, object]:
    cover = report.cover
    return {
        "lang": report.language,
        "fonts": list(fonts),
        "title": cover.title,
        "subtitle": cover.subtitle,
        "organisation": cover.organisation,
        "cover-facts": [list(pair) for pair in cover.facts],
        "cover-notice": cover.notice,
        "contents-title": report.contents_title,
        "page-word": report.page_word,
        "figure-word": "Figuur" if report.language == "nl" else "Figure",
        "footer": report.footer,
    }


def _string(text: str) -> str:
    r"""``text`` as a Typst string literal.

    >>> _string('a "b" \\ c')
    '"a \\"b\\" \\\\ c"'
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "").replace("\t", " ")
    return f'"{escaped}"'


def _strings(items: tuple[str, ...]) -> str:
    return "(" + "".join(_string(item) + ", " for item in items) + ")"


def _block(block: Block, figures: dict[str, str]) -> str:
    if isinstance(block, Heading):
        numbered = block.level <= 2  # level 3: no number, no entry in the contents
        flags = (
            'outlined: true, numbering: "1.1"' if numbered else "outlined: false, numbering: none"
        )
        return f"#heading(level: {block.level}, {flags}, {_string(block.text)})\n"
    if isinstance(block, Paragraph):
        text = _string(block.text)
        return f"#par(strong({text}))\n" if block.strong else f"#par({text})\n"
    if isinstance(block, Bullets):
        kind = "enum" if block.numbered else "list"
        return f"#{kind}(..{_strings(block.items)})\n"
    if isinstance(block, Facts):
        pairs = "(" + "".join(_strings(pair) + ", " for pair in block.pairs) + ")"
        return f"#facts({pairs})\n"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        return "#" + _figure(block, figures) + "\n"
    if isinstance(block, FigureGrid):
        cells = ", ".join(_figure(figure, figures) for figure in block.figures)
        columns = "(" + "1fr, " * block.columns + ")"
        return f"#grid(columns: {columns}, column-gutter: 14pt, row-gutter: 12pt, {cells})\n"
    if isinstance(block, Notice):
        return f"#notice({_string(block.text)})\n"
    if isinstance(block, PageBreak):
        return "#pagebreak()\n"
    if isinstance(block, Sideways):
        inner = "".join(_block(part, figures) for part in block.blocks)
        return f"#page(flipped: true)[\n{inner}]\n"
    raise TypeError(f"cannot lay out {type(block).__name__}")  # pragma: no cover


def _figure(figure: Figure, figures: dict[str, str]) -> str:
    caption = _string(figure.caption)
    if figure.svg is None:
        return f"placeholder({_string(figure.placeholder)}, {caption})"
    name = f"figure-{len(figures) + 1}"
    figures[name] = _print_fonts(figure.svg)
    return f'svg-figure("{name}", {caption}, width: {figure.width * 100:.0f}%)'


def _print_fonts(svg: str) -> str:
    """The figure with its screen font stack replaced by the report's font.

    The figures name the fonts of a screen (``system-ui``, ``Segoe UI``, ``Arial``); the
    PDF has only the fonts it embeds, so the stack becomes Liberation Sans with a sans-serif
    fallback (the sizes were laid out for a glyph width of 0.6 em, which both respect).
    """
    return re.sub(r'font-family="[^"]*"', f"font-family=\"'{_SANS}', sans-serif\"", svg)


def _table(table: Table) -> str:
    count = len(table.header)
    widths = table.widths or (1.0,) * count
    columns = "(" + "".join(f"{w:g}fr, " for w in widths) + ")"
    header = ", ".join(_string(cell) for cell in table.header)
    cells = ", ".join(_string(cell) for row in table.rows for cell in row)
    size = "7pt" if table.small else "8.5pt"
    body = (
        f"#[#set text(size: {size}); #set par(justify: false)\n"
        f"#table(columns: {columns}, table.header({header}), {cells})]\n"
    )
    if table.caption:
        body = (
            f"#block(sticky: true, text(size: 8.5pt, fill: muted, {_string(table.caption)}))\n"
            + body
        )
    return body
