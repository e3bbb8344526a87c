"""Figures of the strategy review: the heat map of policies by scenario and the pathway map.

Two pure functions, each returning one accessible ``<svg>`` element as text, for the web
workbench and the report:

- :func:`heat_map`: policies as rows, scenarios as columns; each cell is coloured on a
  diverging scale from -2 (harmful) through 0 (neutral) to +2 (strong) and carries the
  combined score as a number, the participants' range as text (``-1 … +2``) and as a bar
  on a small -2..+2 scale, so colour never carries the meaning alone;
- :func:`pathway_map`: an adaptive policy pathway as a metro map (Haasnoot et al. 2013):
  each action a coloured horizontal line on its own row, each transition a pair of stations
  joined by a vertical connector where the action in use reaches its tipping point and the
  next begins, and a short bar where a line ends. The horizontal axis is the signpost's value
  (the transitions' ``tipping_point``); transitions without a value follow, in their order.

The diverging scale runs from orange to blue (hues that people with red-green colour vision
deficiencies tell apart) through light grey; its lightness changes monotonically from each end
to the middle (ColorBrewer's PuOr and RdBu ends, Harrower and Brewer 2003). Each cell's text
is black or white, whichever contrasts more with its fill (at least 4.5:1, WCAG 2.1 SC 1.4.3).
The pathway lines are at least 3:1 against white (SC 1.4.11) and named on their row.

The figures share :mod:`koers.report.drawing` (escaping, label boxes, wrapping, nice ticks)
and :mod:`koers.report.figures`' number formats with the other figures.

References
----------
Haasnoot, M., Kwakkel, J. H., Walker, W. E., & ter Maat, J. (2013). Dynamic adaptive policy
pathways: A method for crafting robust decisions for a deeply uncertain world. *Global
Environmental Change*, 23(2), 485-498 (the metro map).
Harrower, M., & Brewer, C. A. (2003). ColorBrewer.org: An online tool for selecting colour
schemes for maps. *The Cartographic Journal*, 40(1), 27-37 (diverging schemes).
Okabe, M., & Ito, K. (2008). *Color Universal Design*, https://jfly.uni-koeln.de/color/
(the line colours of the pathway map).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from koers.i18n import translator
from koers.report import drawing as draw
from koers.report.drawing import CHAR_WIDTH, FRAME, GRID, INK, MUTED, Box
from koers.report.figures import format_number

__all__ = [
    "HEAT_STOPS",
    "LINE_COLOURS",
    "SCALE_WORDS",
    "HeatCell",
    "HeatLayout",
    "MapAction",
    "MapTransition",
    "PathwayLayout",
    "contrast",
    "heat_colour",
    "heat_layout",
    "heat_map",
    "pathway_layout",
    "pathway_map",
    "signed_number",
    "text_colour",
]

HEAT_STOPS = {
    -2: "#b35806",
    -1: "#f1a340",
    0: "#f7f7f7",
    1: "#92c5de",
    2: "#2166ac",
}
"""The fill at each whole score; values between are interpolated in sRGB."""

LINE_COLOURS = ("#0072b2", "#d55e00", "#117733", "#882255", "#332288", "#6b6b00", "#aa4499")
"""The pathway lines: Okabe and Ito's blue, vermilion and Tol's darker hues (all >= 3:1)."""

WHITE = "#ffffff"
BLACK = "#000000"  # on a cell, black or white always reaches 4.58:1 (ink alone cannot)


def N_(message: str) -> str:
    """Mark ``message`` for translation; it is translated where it is drawn."""
    return message


SCALE_WORDS = {
    -2: N_("harmful"),
    -1: N_("weak"),
    0: N_("neutral"),
    1: N_("fits"),
    2: N_("strong"),
}
"""The words of the simple scale (:data:`koers.model.strategy.FIT_RANGE`)."""


# --- colours ----------------------------------------------------------------------------------


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.1): linearised sRGB weighted 0.2126, 0.7152, 0.0722."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours, ``(L1 + 0.05) / (L2 + 0.05)``, L1 the lighter.

    >>> round(contrast("#000000", "#ffffff"), 1)
    21.0
    """
    a, b = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def heat_colour(value: float) -> str:
    """The fill of a cell scored ``value`` (clipped to -2..+2), between the two nearest stops.

    >>> heat_colour(2.0), heat_colour(-0.5)
    ('#2166ac', '#f4cd9c')
    """
    value = min(max(value, -2.0), 2.0)
    low = min(int(value // 1), 1)
    share = value - low
    start, end = _rgb(HEAT_STOPS[low]), _rgb(HEAT_STOPS[low + 1])
    mixed = (round(s + (e - s) * share) for s, e in zip(start, end, strict=True))
    return "#" + "".join(f"{c:02x}" for c in mixed)


def text_colour(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill``: at least 4.58:1 on any fill,
    since the two ratios meet at a luminance of 0.179, where each is sqrt(1.05 / 0.05).

    >>> text_colour("#2166ac"), text_colour("#f7f7f7")
    ('#ffffff', '#000000')
    """
    return BLACK if contrast(BLACK, fill) >= contrast(WHITE, fill) else WHITE


def signed_number(value: float, lang: str, digits: int = 1) -> str:
    """A score with its sign, in ``lang``: ``+1,5``, ``-2``, ``0``.

    >>> signed_number(1.5, "nl"), signed_number(-2.0, "en"), signed_number(0.04, "nl")
    ('+1,5', '-2', '0')
    """
    text = format_number(value, lang, digits)
    if text.lstrip("-") in ("0", "0,0", "0.0"):
        return "0"
    return f"+{text}" if value > 0 else text


# --- the heat map -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeatCell:
    """A policy in a scenario: the combined score and the lowest and highest participant's
    score; ``value`` is ``None`` when nobody judged it. ``count`` is the participants."""

    value: float | None
    low: float | None = None
    high: float | None = None
    count: int = 0


@dataclass(frozen=True, slots=True)
class HeatLayout:
    """Where the heat map's parts go: the cells' boxes (row by row), the row labels' and
    column labels' text boxes, and the figure's size."""

    width: int
    height: int
    cells: tuple[tuple[Box, ...], ...]
    row_labels: tuple[tuple[tuple[float, float, str], ...], ...]  # per row: (x, y, line)
    column_labels: tuple[tuple[tuple[float, float, str], ...], ...]
    legend_top: float


_HEAT_LABEL = 12  # font size of the names
_CELL_HEIGHT = 48
_LABEL_WIDTH = 220  # the widest a policy's name may run before it wraps


def heat_layout(policies: Sequence[str], scenarios: Sequence[str]) -> HeatLayout:
    """The layout of a heat map of ``policies`` (rows) by ``scenarios`` (columns).

    A column is 96 px wide, or wider when a word of its scenario's name would not fit; the
    names wrap between words. A row is 48 px high, or 16 px a line of its policy's name plus
    12. The labels' column is as wide as the longest line (at most 220 px at 12 px).
    """
    size = _HEAT_LABEL
    longest_word = max(
        (draw.text_width(word, size) for name in scenarios for word in name.split()), default=0
    )
    column = max(96.0, longest_word + 12)
    heads = [draw.wrap(name, (column - 8) / (size * CHAR_WIDTH)) for name in scenarios]
    names = [draw.wrap(name, _LABEL_WIDTH / (size * CHAR_WIDTH)) for name in policies]
    label_width = max(
        (draw.text_width(line, size) for lines in names for line in lines), default=40.0
    )
    left = 8 + label_width + 12
    head_height = 16 * max((len(lines) for lines in heads), default=1) + 10
    top = 8 + head_height
    column_labels = tuple(
        tuple(
            (left + j * column + column / 2, 8 + 13 + 16 * k, line) for k, line in enumerate(lines)
        )
        for j, lines in enumerate(heads)
    )
    rows: list[tuple[Box, ...]] = []
    row_labels = []
    y = float(top)
    for lines in names:
        height = max(float(_CELL_HEIGHT), 16.0 * len(lines) + 12)
        rows.append(
            tuple(
                (left + j * column, y, left + (j + 1) * column, y + height)
                for j in range(len(scenarios))
            )
        )
        first = y + height / 2 + 4 - 8 * (len(lines) - 1)
        row_labels.append(tuple((left - 12, first + 16 * k, line) for k, line in enumerate(lines)))
        y += height
    width = left + column * len(scenarios) + 8
    legend_top = y + 16
    return HeatLayout(
        width=round(max(width, 380)),
        height=round(legend_top + 48),
        cells=tuple(rows),
        row_labels=tuple(row_labels),
        column_labels=column_labels,
        legend_top=legend_top,
    )


def heat_map(
    policies: Sequence[str],
    scenarios: Sequence[str],
    cells: Sequence[Sequence[HeatCell]],
    lang: str,
    *,
    title: str | None = None,
    ident: str | None = None,
    words: Mapping[int, str] | None = None,
) -> str:
    """Policies by scenarios, each cell coloured and numbered by its combined score.

    ``cells[i][j]`` is policy ``i`` in scenario ``j``. A judged cell shows its score (one
    decimal, signed) in bold, and, when participants differ, their range as ``low … high``
    and as a bar on a small -2..+2 scale along the cell's foot. An unjudged cell is white
    with a dash. A legend under the map names the five points of the scale: the words of
    :data:`SCALE_WORDS`, or ``words`` (already translated) for another scale drawn on the
    same colours (a workshop round's cross-impact judgements: hinders ... promotes).

    Raises ``ValueError`` when ``cells`` is not ``len(policies)`` rows of
    ``len(scenarios)`` cells.
    """
    if len(cells) != len(policies) or any(len(row) != len(scenarios) for row in cells):
        raise ValueError(
            f"give {len(policies)} rows of {len(scenarios)} cells, one per policy and scenario"
        )
    _ = translator(lang)
    title = title or _("Policies by scenario")
    ident = ident or draw.ident("heat", title, policies, scenarios, cells)
    layout = heat_layout(policies, scenarios)
    parts: list[str] = []
    for lines in layout.column_labels:
        for x, y, line in lines:
            parts.append(draw.text(x, y, line, size=_HEAT_LABEL, anchor="middle", bold=True))
    for lines in layout.row_labels:
        for x, y, line in lines:
            parts.append(draw.text(x, y, line, size=_HEAT_LABEL, anchor="end"))
    for row, boxes in zip(cells, layout.cells, strict=True):
        for cell, cell_box in zip(row, boxes, strict=True):
            parts += _heat_cell(cell, cell_box, lang)
    legend, staggered = _heat_legend(layout, lang, words)
    parts += legend
    said_words = [
        _(
            "%(policies)s policies in %(scenarios)s scenarios, scored from -2 (harmful) to +2 "
            "(strong)."
        )
        % {"policies": len(policies), "scenarios": len(scenarios)}
        if words is None
        else f"-2 {words[-2]} … +2 {words[2]}."
    ]
    for name, row in zip(policies, cells, strict=True):
        said = []
        for scenario, cell in zip(scenarios, row, strict=True):
            if cell.value is None:
                said.append(f"{scenario} " + _("not judged"))
                continue
            text = f"{scenario} {signed_number(cell.value, lang)}"
            if cell.low is not None and cell.high is not None and cell.low != cell.high:
                text += " (" + _range_words(cell.low, cell.high, lang) + ")"
            said.append(text)
        said_words.append(f"{name}: {'; '.join(said)}.")
    height = layout.height + (_LEGEND_LINE if staggered else 0)
    return draw.svg(ident, layout.width, height, title, " ".join(said_words), parts)


def _range_words(low: float, high: float, lang: str) -> str:
    return f"{signed_number(low, lang)} … {signed_number(high, lang)}"


def _heat_cell(cell: HeatCell, where: Box, lang: str) -> list[str]:
    x0, y0, x1, y1 = where
    middle = (x0 + x1) / 2
    if cell.value is None:
        return [
            f'<rect class="cell unjudged" x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" '
            f'height="{y1 - y0:.1f}" fill="{WHITE}" stroke="{FRAME}" stroke-width="1"/>',
            draw.text(middle, (y0 + y1) / 2 + 5, "\u2013", size=14, anchor="middle"),
        ]
    fill = heat_colour(cell.value)
    ink = text_colour(fill)
    parts = [
        f'<rect class="cell" x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" '
        f'height="{y1 - y0:.1f}" fill="{fill}" stroke="{WHITE}" stroke-width="2"/>'
    ]
    spread = cell.low is not None and cell.high is not None and cell.low != cell.high
    centre = (y0 + y1) / 2
    number_y = centre - 2 if spread else centre + 5
    parts.append(_coloured_text(middle, number_y, signed_number(cell.value, lang), 14, ink, True))
    if spread and cell.low is not None and cell.high is not None:
        parts.append(
            _coloured_text(middle, centre + 11, _range_words(cell.low, cell.high, lang), 10, ink)
        )
        scale_left, scale_right = x0 + 12, x1 - 12

        def px(score: float) -> float:
            return scale_left + (min(max(score, -2.0), 2.0) + 2) / 4 * (scale_right - scale_left)

        foot = y1 - 7
        parts.append(
            f'<g class="range">{draw.line(scale_left, foot, scale_right, foot, ink, 0.5)}'
            f"{draw.line(px(cell.low), foot, px(cell.high), foot, ink, 3)}</g>"
        )
    return parts


def _coloured_text(
    x: float, y: float, text: str, size: int, colour: str, bold: bool = False
) -> str:
    weight = ' font-weight="700"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="middle" '
        f'fill="{colour}"{weight}>{escape(text)}</text>'
    )


_LEGEND_LINE = 14
"""The height of a line of the legend's words."""


def _heat_legend(
    layout: HeatLayout, lang: str, words: Mapping[int, str] | None = None
) -> tuple[list[str], bool]:
    """Five swatches, -2 to +2, each with its number and word; and whether the words stand
    on two lines (every other one lower) because one is wider than its swatch."""
    _ = translator(lang)
    swatch = 72.0
    names = {
        score: words[score] if words is not None else _(SCALE_WORDS[score])
        for score in range(-2, 3)
    }
    staggered = any(draw.text_width(name, 11) > swatch - 4 for name in names.values())
    left = max(8.0, (layout.width - 5 * swatch) / 2)
    top = layout.legend_top
    parts = []
    for index, score in enumerate(range(-2, 3)):
        x = left + index * swatch
        fill = HEAT_STOPS[score]
        parts.append(
            f'<rect class="swatch" x="{x:.1f}" y="{top:.1f}" width="{swatch:.1f}" height="20" '
            f'fill="{fill}" stroke="{WHITE}" stroke-width="2"/>'
        )
        number = f"+{score}" if score > 0 else str(score)
        parts.append(_coloured_text(x + swatch / 2, top + 14, number, 11, text_colour(fill), True))
        parts.append(
            draw.text(
                x + swatch / 2,
                top + 36 + (_LEGEND_LINE if staggered and index % 2 else 0),
                names[score],
                size=11,
                anchor="middle",
            )
        )
    return parts, staggered


# --- the pathway map --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MapAction:
    """An action of a pathway: its key and its name as drawn."""

    key: str
    name: str


@dataclass(frozen=True, slots=True)
class MapTransition:
    """``source`` gives way to ``target`` at ``at`` (the signpost's value), or, when ``at``
    is ``None``, at its place in the order; ``label`` names the trigger (drawn under the
    axis for a transition without a value)."""

    source: str
    target: str
    at: float | None
    label: str = ""


@dataclass(frozen=True, slots=True)
class PathwayLayout:
    """Where the pathway map's parts go.

    ``rows`` is each action's baseline y; ``lines`` each drawn action's ``(x start, x end,
    y)``; ``stations`` each transition's x; ``ticks`` the axis labels ``(x, y, text)``;
    ``names`` the action names ``(x, y, line)``.
    """

    width: int
    height: int
    rows: dict[str, float]
    lines: dict[str, tuple[float, float, float]]
    stations: tuple[float, ...]
    ticks: tuple[tuple[float, float, str], ...]
    names: tuple[tuple[float, float, str], ...]
    plot: Box
    axis_y: float
    key: tuple[tuple[float, float, str], ...]  # "A: trigger" lines for the unvalued ones
    value_right: float | None  # where the value scale ends, when unvalued ones follow


_ROW = 40.0
_STEP = 90.0  # the distance between transitions placed by their order
_NAME_SIZE = 12
_TICK_SIZE = 11


def pathway_layout(
    actions: Sequence[MapAction],
    transitions: Sequence[MapTransition],
    start: str,
    lang: str,
    *,
    width: int = 720,
) -> PathwayLayout:
    """The layout of a pathway map (see :func:`pathway_map`).

    The names of the actions stand in a column on the left (wrapped at 180 px); the plot
    begins 24 px to their right. Transitions with a value are placed on a linear scale from
    the nice number (Heckbert 1990) at or below the smallest value (at ``plot left + 40``)
    to the largest value (at ``value right``); transitions without one follow 90 px apart.
    Each action's line runs from the station where it begins (the plot's left edge for the
    ``start`` action) to its last tipping point, or to the plot's right edge when it has none.
    Axis labels are the tipping points' values, and letters (A, B, ...) for the transitions
    without one, named in a key under the axis; a label that would overlap the one before
    moves to a row below. A slash on the axis marks where the value scale ends.
    """
    names_wrapped = [draw.wrap(a.name, 180 / (_NAME_SIZE * CHAR_WIDTH)) for a in actions]
    label_width = max(
        (draw.text_width(line, _NAME_SIZE) for lines in names_wrapped for line in lines),
        default=40.0,
    )
    left = 8 + label_width + 24
    right = float(width - 24)
    valued = sorted({t.at for t in transitions if t.at is not None})
    unvalued = [i for i, t in enumerate(transitions) if t.at is None]
    value_right = right - 40 - _STEP * len(unvalued)
    if value_right < left + 120:  # too many without a value: widen the figure
        value_right = left + 120
        right = value_right + 40 + _STEP * len(unvalued)
    xs: list[float] = [0.0] * len(transitions)
    ticks: list[tuple[float, str]] = []
    if valued:
        low: float = draw.nice_ticks(valued[0], valued[-1])[0] if len(valued) > 1 else valued[0] - 1
        low = min(low, valued[0])
        span = valued[-1] - low or 1.0

        def px(value: float) -> float:
            return left + 40 + (value - low) / span * (value_right - left - 40)

        for i, t in enumerate(transitions):
            if t.at is not None:
                xs[i] = px(t.at)
        ticks += [(px(v), format_number(v, lang, 2)) for v in valued]
    notes: list[str] = []
    for order, i in enumerate(unvalued, start=1):
        base = value_right if valued else left
        xs[i] = base + _STEP * order - (0 if valued else _STEP / 2)
        letter = _letter(order - 1)
        ticks.append((xs[i], letter))
        notes.append(f"{letter}: {transitions[i].label or '?'}")
    rows: dict[str, float] = {}
    names: list[tuple[float, float, str]] = []
    y = 16.0
    for action, lines in zip(actions, names_wrapped, strict=True):
        height = max(_ROW, 16.0 * len(lines) + 16)
        rows[action.key] = y + height / 2
        first = y + height / 2 + 4 - 8 * (len(lines) - 1)
        names += [(left - 24, first + 16 * k, line) for k, line in enumerate(lines)]
        y += height
    bottom = y + 4
    drawn: dict[str, tuple[float, float, float]] = {}
    for action in actions:
        into = [xs[i] for i, t in enumerate(transitions) if t.target == action.key]
        out = [xs[i] for i, t in enumerate(transitions) if t.source == action.key]
        if action.key == start:
            begin = left
        elif into:
            begin = min(into)
        else:
            continue  # no way onto this action: it is named but has no line
        drawn[action.key] = (begin, max(out) if out else right, rows[action.key])
    placed = _tick_rows(ticks, bottom)
    axis_y = max((ty for _x, ty, _t in placed), default=bottom + 18) + 20
    key: list[tuple[float, float, str]] = []
    columns = (right - 8) / (_TICK_SIZE * CHAR_WIDTH)
    for note in notes:
        for line in draw.wrap(note, columns):
            key.append((8.0, axis_y + 18 * (len(key) + 1), line))
    height = (key[-1][1] if key else axis_y) + 10
    return PathwayLayout(
        width=round(right + 16),
        height=round(height),
        rows=rows,
        lines=drawn,
        stations=tuple(xs),
        ticks=tuple(placed),
        names=tuple(names),
        plot=(left, 8.0, right, bottom),
        axis_y=axis_y,
        key=tuple(key),
        value_right=value_right if valued and unvalued else None,
    )


def _letter(index: int) -> str:
    """A, B, ..., Z, AA, AB, ...: the names of the transitions without a value."""
    return ("" if index < 26 else _letter(index // 26 - 1)) + chr(65 + index % 26)


def _tick_rows(ticks: Sequence[tuple[float, str]], bottom: float) -> list[tuple[float, float, str]]:
    """Axis labels under the plot, each on the first of four rows where it overlaps none."""
    placed: list[tuple[float, float, str]] = []
    boxes: list[Box] = []
    for x, label in sorted(ticks):
        for row in range(4):
            y = bottom + 18 + 15 * row
            spot = draw.box(x, y, label, _TICK_SIZE, "middle")
            if not any(draw.overlap(spot, other) for other in boxes):
                placed.append((x, y, label))
                boxes.append(spot)
                break
    return placed


def pathway_map(
    actions: Sequence[MapAction],
    transitions: Sequence[MapTransition],
    start: str,
    lang: str,
    *,
    axis: str | None = None,
    title: str | None = None,
    width: int = 720,
    ident: str | None = None,
) -> str:
    """An adaptive policy pathway as a metro map (Haasnoot et al. 2013).

    Each action is a horizontal line on its own row, named on the left, in its own colour
    (:data:`LINE_COLOURS`, repeating with a dash pattern after seven). A transition is a
    station (a white circle) on the line it leaves and one on the line it joins, with a grey
    connector between; a short bar marks where a line ends at its tipping point. ``axis``
    names the signpost along the horizontal axis; the axis is marked at each tipping point.
    See :func:`pathway_layout` for where everything goes.

    Raises ``ValueError`` when a transition or ``start`` names an action not in ``actions``.
    """
    known = {a.key for a in actions}
    wrong = sorted({k for t in transitions for k in (t.source, t.target) if k not in known})
    if start not in known:
        wrong.insert(0, start)
    if wrong:
        raise ValueError(f"unknown actions {', '.join(wrong)}; name one of: {', '.join(known)}")
    _ = translator(lang)
    title = title or _("Pathway map")
    ident = ident or draw.ident("pathway", title, actions, transitions, start)
    layout = pathway_layout(actions, transitions, start, lang, width=width)
    left, _top, right, bottom = layout.plot
    parts = [draw.line(left, bottom, right, bottom, FRAME, 1)]
    for x in sorted(set(layout.stations)):
        parts.append(draw.line(x, 8, x, bottom, GRID, 1, dash="2 3"))
    for x, y, label in layout.names:
        parts.append(draw.text(x, y, label, size=_NAME_SIZE, anchor="end", bold=True))
    for index, action in enumerate(actions):
        if action.key not in layout.lines:
            continue
        begin, end, y = layout.lines[action.key]
        colour = LINE_COLOURS[index % len(LINE_COLOURS)]
        dash = "" if index < len(LINE_COLOURS) else "10 4"
        parts.append(
            f'<g class="action" data-action="{escape(action.key)}">'
            f"{draw.line(begin, y, end, y, colour, 6, dash)}"
            + (
                draw.line(end, y - 9, end, y + 9, colour, 3)
                if end < right
                else f'<path d="M{end - 2:.1f},{y - 7:.1f} L{end + 8:.1f},{y:.1f} '
                f'L{end - 2:.1f},{y + 7:.1f} Z" fill="{colour}"/>'
            )
            + "</g>"
        )
    for transition, x in zip(transitions, layout.stations, strict=True):
        y0, y1 = layout.rows[transition.source], layout.rows[transition.target]
        parts.append(
            f'<g class="transition">{draw.line(x, y0, x, y1, MUTED, 2)}'
            f'<circle cx="{x:.1f}" cy="{y0:.1f}" r="6" fill="{WHITE}" stroke="{INK}" '
            'stroke-width="2"/>'
            f'<circle cx="{x:.1f}" cy="{y1:.1f}" r="6" fill="{WHITE}" stroke="{INK}" '
            'stroke-width="2"/></g>'
        )
    for x, y, label in layout.ticks:
        parts.append(draw.line(x, bottom, x, bottom + 4, FRAME, 1))
        parts.append(draw.text(x, y, label, size=_TICK_SIZE, anchor="middle"))
    if axis:
        parts.append(
            draw.text(right, layout.axis_y, axis + " →", size=_TICK_SIZE, anchor="end", bold=True)
        )
    if layout.value_right is not None:  # the value scale ends; the order takes over
        x = layout.value_right + _STEP / 2
        parts.append(draw.line(x - 4, bottom + 5, x + 4, bottom - 5, INK, 1.5))
    for x, y, line in layout.key:
        parts.append(draw.text(x, y, line, size=_TICK_SIZE, anchor="start"))
    return draw.svg(
        ident,
        layout.width,
        layout.height,
        title,
        _pathway_words(actions, transitions, start, axis, lang),
        parts,
    )


def _pathway_words(
    actions: Sequence[MapAction],
    transitions: Sequence[MapTransition],
    start: str,
    axis: str | None,
    lang: str,
) -> str:
    _ = translator(lang)
    names = {a.key: a.name for a in actions}
    words = [_("Starts with %(action)s.") % {"action": names[start]}]
    for t in transitions:
        if t.at is not None:
            words.append(
                _("At %(value)s %(axis)s, %(source)s gives way to %(target)s.")
                % {
                    "value": format_number(t.at, lang, 2),
                    "axis": axis or "",
                    "source": names[t.source],
                    "target": names[t.target],
                }
            )
        else:
            words.append(
                _("When %(trigger)s fires, %(source)s gives way to %(target)s.")
                % {"trigger": t.label, "source": names[t.source], "target": names[t.target]}
            )
    return " ".join(" ".join(words).split())
