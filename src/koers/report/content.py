"""The board report as plain data: a cover and a flat list of blocks, in the reader's language.

The use case (:mod:`koers.services.report`) fills these from the study and its services;
the layouts (:mod:`koers.report.typst_layout` for the PDF, :mod:`koers.report.html_layout`
for the single HTML file) turn them into a document. Every text here is final: translated,
its numbers and dates already written in the reader's language. Figures are SVG strings
made by the shared figure modules (:mod:`koers.report.figures` and its siblings); a figure
that cannot be drawn keeps its slot with a ``placeholder`` text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Block",
    "Bullets",
    "Cover",
    "Facts",
    "Figure",
    "FigureGrid",
    "Heading",
    "Notice",
    "PageBreak",
    "Paragraph",
    "Report",
    "Sideways",
    "Table",
]


@dataclass(frozen=True, slots=True)
class Heading:
    """A chapter (level 1) or section (level 2, 3) title; levels 1 and 2 enter the contents."""

    text: str
    level: int = 1


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    strong: bool = False


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True, slots=True)
class Facts:
    """Label-value pairs, shown as a two-column list."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a header row; ``widths`` are relative column widths (one per column).

    ``small`` sets it in a smaller type (wide tables such as the cross-impact matrix).
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    caption: str = ""
    small: bool = False


@dataclass(frozen=True, slots=True)
class Figure:
    """A vector figure (an ``<svg>`` string), or its placeholder text when there is none.

    ``width`` is the share of the text width it takes (0..1).
    """

    svg: str | None
    caption: str
    placeholder: str = ""
    width: float = 1.0


@dataclass(frozen=True, slots=True)
class FigureGrid:
    """Small multiples: figures side by side, ``columns`` to a row."""

    figures: tuple[Figure, ...]
    columns: int = 2


@dataclass(frozen=True, slots=True)
class Notice:
    """A framed remark the reader must not miss (synthetic data, a missing part)."""

    text: str


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


@dataclass(frozen=True, slots=True)
class Sideways:
    """Blocks set on a page of their own turned sideways in the PDF (wide tables); the HTML
    shows them in the flow."""

    blocks: tuple[Heading | Paragraph | Table, ...]


Block = (
    Heading
    | Paragraph
    | Bullets
    | Facts
    | Table
    | Figure
    | FigureGrid
    | Notice
    | PageBreak
    | Sideways
)


@dataclass(frozen=True, slots=True)
class Cover:
    """The front page: what, for whom, when, and how final."""

    title: str
    subtitle: str
    organisation: str
    facts: tuple[tuple[str, str], ...]  # date, status, version, ... as label-value pairs
    notice: str | None = None  # e.g. that the data are synthetic


@dataclass(frozen=True, slots=True)
class Report:
    """A whole report: language, cover, the words of the frame, and the blocks in order."""

    language: Literal["nl", "en"]
    cover: Cover
    contents_title: str
    page_word: str  # "pagina" / "page", in the footer
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    footer: str = ""  # the study's short name and status, on every page but the cover
