"""SVG drawing primitives and label layout for :mod:`koers.report.figures`.

Texts are escaped here and nowhere else; every element uses presentation attributes only
(no ``style``), so the figures pass a content security policy without ``'unsafe-inline'``.
Label boxes are estimated from the number of characters (:data:`CHAR_WIDTH` em a glyph, a
generous average for sans-serif faces), which is what keeps labels apart without a renderer.

References
----------
Heckbert, P. S. (1990). Nice numbers for graph labels. In A. Glassner (ed.), *Graphics
Gems*, pp. 61-63. Academic Press (:func:`nice_ticks`).
"""

from __future__ import annotations

import hashlib
import math
from html import escape

__all__ = [
    "ACCENT",
    "BAND_FILLS",
    "CHAR_WIDTH",
    "FRAME",
    "GRID",
    "INK",
    "MUTED",
    "Box",
    "box",
    "clip",
    "digits",
    "ident",
    "inside",
    "line",
    "nice_ticks",
    "overlap",
    "spread",
    "svg",
    "text",
    "text_width",
    "wrap",
]

INK = "#1b1f24"  # text: 16.6:1 on white
MUTED = "#4a5361"  # secondary marks: 7.8:1 on white
ACCENT = "#0b5394"  # the series and the bars: 7.8:1 on white
GRID = "#d0d5dc"  # decorative grid lines only
FRAME = "#8a94a3"  # axes and frames: 3.1:1 on white
BAND_FILLS = {"green": "#dcefdc", "amber": "#fde9c4", "red": "#f7d4d4"}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
CHAR_WIDTH = 0.6  # a generous estimate of a glyph's width, in font sizes, for the layout

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 of a label


def svg(ident: str, width: int, height: int, title: str, desc: str, parts: list[str]) -> str:
    """The ``<svg>`` element: ``role="img"``, labelled by its ``<title>`` and ``<desc>``."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="figure" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="{FONT}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>' + "".join(parts) + "</svg>"
    )


def text(
    x: float,
    y: float,
    text: str,
    *,
    size: int,
    anchor: str,
    bold: bool = False,
    halo: bool = False,
    cls: str | None = None,
) -> str:
    """A ``<text>`` at its baseline ``(x, y)``; ``halo`` outlines it in white over lines."""
    extra = ' font-weight="700"' if bold else ""
    if halo:  # a white outline under the letters keeps them legible over lines
        extra += ' stroke="#fff" stroke-width="3" paint-order="stroke" stroke-linejoin="round"'
    if cls:
        extra += f' class="{cls}"'
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{INK}"{extra}>{escape(text)}</text>'
    )


def line(
    x0: float, y0: float, x1: float, y1: float, colour: str, width: float, dash: str = ""
) -> str:
    """A straight line from ``(x0, y0)`` to ``(x1, y1)``."""
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="{colour}" '
        f'stroke-width="{width}"{dashed}/>'
    )


def ident(kind: str, *content: object) -> str:
    """A stable id from the figure's content, so two figures on a page do not share ids."""
    digest = hashlib.sha1(repr(content).encode(), usedforsecurity=False).hexdigest()
    return f"{kind}-{digest[:10]}"


def text_width(text: str, size: float) -> float:
    """The estimated width of ``text`` at font ``size``."""
    return len(text) * size * CHAR_WIDTH


def box(x: float, y: float, label: str, size: float, anchor: str) -> Box:
    """The estimated box of a text drawn at ``(x, y)`` (its baseline) with ``anchor``."""
    width = text_width(label, size)
    x0 = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return (x0 - 2, y - size, x0 + width + 2, y + size * 0.3)


def overlap(a: Box, b: Box) -> bool:
    """Whether two boxes share any area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(box: Box, area: Box) -> bool:
    """Whether ``box`` lies wholly within ``area``."""
    return box[0] >= area[0] and box[1] >= area[1] and box[2] <= area[2] and box[3] <= area[3]


def wrap(text: str, columns: float) -> list[str]:
    """``text`` in lines of about ``columns`` characters, broken between words."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= max(columns, 8):
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def spread(wanted: list[tuple[float, str]], gap: float) -> list[tuple[float, str]]:
    """Labels at their wanted heights, pushed down just enough to stand ``gap`` apart."""
    placed: list[tuple[float, str]] = []
    for y, text in sorted(wanted):
        if placed and y < placed[-1][0] + gap:
            y = placed[-1][0] + gap
        placed.append((y, text))
    return placed


def clip(value: float) -> float:
    """``value`` within -1..1, the range of the 2x2's axes."""
    return min(max(value, -1.0), 1.0)


def _nice(value: float, *, round_it: bool) -> float:
    """Heckbert's nice number: 1, 2, 5 or 10 times a power of ten near ``value``."""
    exponent = math.floor(math.log10(value))
    fraction = value / 10**exponent
    if round_it:
        nice = 1 if fraction < 1.5 else 2 if fraction < 3 else 5 if fraction < 7 else 10
    else:
        nice = 1 if fraction <= 1 else 2 if fraction <= 2 else 5 if fraction <= 5 else 10
    return nice * 10.0**exponent


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Ticks at nice numbers that cover ``low`` to ``high`` (Heckbert 1990).

    >>> nice_ticks(3.0, 97.0)
    [0.0, 50.0, 100.0]
    >>> nice_ticks(5.0, 5.0)
    [4.0, 4.5, 5.0, 5.5, 6.0]
    """
    if high - low < 1e-12:
        low, high = low - 1, high + 1
    step = _nice(_nice(high - low, round_it=False) / (count - 1), round_it=True)
    first, last = math.floor(low / step) * step, math.ceil(high / step) * step
    return [round(first + k * step, 10) for k in range(round((last - first) / step) + 1)]


def digits(step: float) -> int:
    """The decimals a nice tick step (1, 2 or 5 times a power of ten) needs: 0 for 5, 1 for 0.5."""
    return max(0, -math.floor(math.log10(step) + 1e-9))
