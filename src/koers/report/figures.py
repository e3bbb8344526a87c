"""Figures of the signals: accessible SVG drawn from plain data, for the web and the report.

Each figure is a pure function that returns one ``<svg>`` element as text. Every figure has
``role="img"``, a ``<title>`` and a ``<desc>`` that says in words what the picture shows (the
latest value, the missing periods, the thresholds, the position), and its labels are real
``<text>``, so screen readers, search and copy-and-paste reach them. Numbers are written in
the reader's language with Babel (``1.234,5`` in Dutch, ``1,234.5`` in English).

Colour never carries meaning alone: a threshold band is named (green, amber, red) beside the
chart, and the latest point is both larger and labelled. All text is ink (#1b1f24, 16:1 on
white and at least 12:1 on the light band fills); lines and marks are at least 3:1 against
white (WCAG 2.1, success criteria 1.4.3 and 1.4.11). Only presentation attributes are used,
never ``style``, so the figures pass a strict content security policy.

References
----------
Tufte, E. R. (1983). *The Visual Display of Quantitative Information*. Graphics Press
(small multiples; gaps for missing data rather than interpolation).
Heckbert, P. S. (1990). Nice numbers for graph labels. In A. Glassner (ed.), *Graphics
Gems*, pp. 61-63. Academic Press (the axis ticks, :func:`koers.report.drawing.nice_ticks`).
W3C (2021). *SVG Accessibility API Mappings* (``role="img"`` with ``<title>``/``<desc>``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from babel.dates import format_date
from babel.numbers import format_decimal

from koers.i18n import translator
from koers.report import drawing as draw
from koers.report.drawing import ACCENT, BAND_FILLS, CHAR_WIDTH, FRAME, GRID, INK, MUTED, Box

__all__ = [
    "Axis",
    "Band",
    "format_number",
    "format_percent",
    "indicator_chart",
    "likelihood_bars",
    "period_label",
    "trajectory_map",
]

_Scale = Callable[[float], float]  # a value to its height on the chart
_Place = Callable[[int], float]  # a period's index to its place across the chart


@dataclass(frozen=True, slots=True)
class Band:
    """A threshold band on the level of a series: ``level`` holds from ``low`` to ``high``.

    ``None`` leaves that side open (``low=None`` means "at most ``high``").
    """

    level: str  # green | amber | red
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class Axis:
    """An axis of the 2x2: its name and the poles at -1 (``low``) and +1 (``high``)."""

    name: str
    low: str
    high: str


def format_number(value: float, lang: str, digits: int = 1) -> str:
    """``value`` as a reader of ``lang`` writes it, with at most ``digits`` decimals.

    >>> format_number(1234.5, "nl"), format_number(1234.5, "en"), format_number(-0.25, "nl", 2)
    ('1.234,5', '1,234.5', '-0,25')
    """
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return format_decimal(round(value, digits), format=pattern, locale=lang)


def format_percent(share: float, lang: str) -> str:
    """A share in 0..1 as a whole percentage in ``lang``.

    >>> format_percent(0.425, "nl")
    '43%'
    """
    whole = math.floor(share * 100 + 0.5)  # half up, as people round: 42.5% is 43%
    return format_decimal(whole, format="#,##0", locale=lang) + "%"


def period_label(period: str, lang: str, *, long: bool = False) -> str:
    """A month (``2021-03``) as its name and year in ``lang``; other periods unchanged.

    >>> period_label("2021-03", "nl"), period_label("2021-03", "en"), period_label("2021-Q1", "nl")
    ('mrt 2021', 'Mar 2021', '2021-Q1')
    >>> period_label("2021-03", "nl", long=True)
    'maart 2021'
    """
    match = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return period
    day = dt.date(int(match.group(1)), int(match.group(2)), 1)
    return str(format_date(day, "MMMM y" if long else "MMM y", locale=lang))


# --- the chart of one indicator ---------------------------------------------------------------


def indicator_chart(
    periods: Sequence[str],
    values: Sequence[float | None],
    thresholds: Sequence[Band],
    unit: str,
    title: str,
    lang: str,
    *,
    width: int = 320,
    height: int = 170,
    ident: str | None = None,
) -> str:
    """A small line chart of one series, with its threshold bands and its latest value.

    A missing value (``None``) breaks the line, so a gap shows where data is missing, and a
    short mark on the baseline names each missing period in the ``<desc>``. The bands are
    shaded and their level is written beside the chart; the y axis covers the data and every
    finite bound, with ticks at "nice" numbers (Heckbert 1990).

    Raises ``ValueError`` when ``periods`` and ``values`` differ in length.
    """
    if len(periods) != len(values):
        raise ValueError(f"{len(periods)} periods but {len(values)} values; give one per period")
    _ = translator(lang)
    ident = ident or draw.ident("chart", title, periods, values)
    known = [v for v in values if v is not None]
    bounds = [b for band in thresholds for b in (band.low, band.high) if b is not None]
    ticks = draw.nice_ticks(min(known + bounds, default=0.0), max(known + bounds, default=1.0))
    digits = draw.digits(ticks[1] - ticks[0]) if len(ticks) > 1 else 1
    labels = [format_number(tick, lang, digits) for tick in ticks]
    left = 10 + max(draw.text_width(label, 10) for label in labels)
    right, top, bottom = width - 58, 22, height - 24
    low, high = ticks[0], ticks[-1]

    def px(index: int) -> float:
        if len(periods) < 2:
            return (left + right) / 2
        return left + index * (right - left) / (len(periods) - 1)

    def py(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    parts = [f'<text x="4" y="11" font-size="10" fill="{INK}">{escape(unit)}</text>']
    parts += _bands(thresholds, low, high, left, right, py, lang)
    for tick, label in zip(ticks, labels, strict=True):
        y = py(tick)
        parts.append(draw.line(left, y, right, y, GRID, 1))
        parts.append(draw.text(left - 5, y + 3.5, label, size=10, anchor="end"))
    parts.append(draw.line(left, bottom, right, bottom, FRAME, 1))
    parts += _series(values, px, py)
    missing = [periods[i] for i, value in enumerate(values) if value is None]
    marks = [
        draw.line(px(i), bottom - 3, px(i), bottom + 3, MUTED, 1.5)
        for i, value in enumerate(values)
        if value is None
    ]
    parts.append(f'<g class="missing">{"".join(marks)}</g>')
    if periods:
        parts.append(draw.text(left, height - 8, periods[0], size=10, anchor="start"))
        if len(periods) > 1:
            parts.append(draw.text(right, height - 8, periods[-1], size=10, anchor="end"))
    latest = next(((i, v) for i, v in reversed(list(enumerate(values))) if v is not None), None)
    if latest is not None:
        index, value = latest
        x, y = px(index), py(value)
        anchor = "end" if x > (left + right) / 2 else "start"
        label = format_number(value, lang)
        earlier = next((v for v in reversed(values[:index]) if v is not None), None)
        rising = earlier is not None and earlier < value
        unit_box = draw.box(4, 11, unit, 10, "start")
        # Above a rising line and below a falling one keeps the label off the line; inside
        # the chart and clear of the unit, or on the other side.
        sides = (y - 8, y + 16) if rising or earlier is None else (y + 16, y - 8)
        text_y = next(
            (
                side
                for side in sides
                if 11 <= side <= height - 26
                and not draw.overlap(draw.box(x, side, label, 11, anchor), unit_box)
            ),
            sides[0],
        )
        parts.append(f'<circle class="latest" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{ACCENT}"/>')
        parts.append(draw.text(x, text_y, label, size=11, anchor=anchor, bold=True, halo=True))

    described = [title + "."]
    if periods:
        described.append(
            _("%(count)s periods from %(first)s to %(last)s.")
            % {"count": len(periods), "first": periods[0], "last": periods[-1]}
        )
    if latest is not None:
        described.append(
            _("Latest value: %(value)s %(unit)s in %(period)s.")
            % {"value": format_number(latest[1], lang), "unit": unit, "period": periods[latest[0]]}
        )
    else:
        described.append(_("No values yet."))
    if missing:
        described.append(_("Missing: %(periods)s.") % {"periods": ", ".join(missing)})
    if thresholds:
        named = "; ".join(_band_words(band, lang) for band in thresholds)
        described.append(_("Thresholds: %(bands)s.") % {"bands": named})
    return draw.svg(ident, width, height, title, " ".join(described), parts)


def _bands(
    thresholds: Sequence[Band],
    low: float,
    high: float,
    left: float,
    right: float,
    py: _Scale,
    lang: str,
) -> list[str]:
    """The shaded bands, a dashed line at each finite bound, and the level names beside.

    Where bands overlap (amber from 60 up, red from 120 up) the more severe one is shown, so
    each stretch of the axis has one level and one name.
    """
    _ = translator(lang)
    parts: list[str] = []
    wanted: list[tuple[float, str]] = []
    severe_first = sorted(thresholds, key=lambda b: -_SEVERITY.get(b.level, -1))
    covered: list[tuple[float, float]] = []
    for band in severe_first:
        span = (
            low if band.low is None else max(band.low, low),
            high if band.high is None else min(band.high, high),
        )
        pieces = _subtract(span, covered)
        covered.append(span)
        for bottom_value, top_value in pieces:
            y0, y1 = py(top_value), py(bottom_value)
            parts.append(
                f'<rect class="band band-{escape(band.level)}" x="{left:.1f}" y="{y0:.1f}" '
                f'width="{right - left:.1f}" height="{y1 - y0:.1f}" '
                f'fill="{BAND_FILLS.get(band.level, GRID)}"/>'
            )
        if pieces:
            bottom_value, top_value = max(pieces, key=lambda piece: piece[1] - piece[0])
            middle = (py(top_value) + py(bottom_value)) / 2
            wanted.append((middle, _(_LEVEL_NAMES.get(band.level, band.level))))
    for bound in sorted({b for band in thresholds for b in (band.low, band.high) if b is not None}):
        if low <= bound <= high:
            parts.append(draw.line(left, py(bound), right, py(bound), MUTED, 1, dash="4 3"))
    for y, name in draw.spread(wanted, gap=12):
        parts.append(draw.text(right + 5, y + 3.5, name, size=10, anchor="start", cls="level-name"))
    return parts


def _subtract(
    span: tuple[float, float], taken: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """The parts of ``span`` (low, high) that no interval of ``taken`` covers."""
    pieces = [span] if span[1] > span[0] else []
    for cut_low, cut_high in taken:
        rest: list[tuple[float, float]] = []
        for piece_low, piece_high in pieces:
            if cut_high <= piece_low or cut_low >= piece_high:
                rest.append((piece_low, piece_high))
                continue
            if piece_low < cut_low:
                rest.append((piece_low, cut_low))
            if cut_high < piece_high:
                rest.append((cut_high, piece_high))
        pieces = rest
    return pieces


def _series(values: Sequence[float | None], px: _Place, py: _Scale) -> list[str]:
    """One path per run of known values; a run of one value is a dot."""
    parts: list[str] = []
    run: list[tuple[float, float]] = []
    for index, value in [*enumerate(values), (len(values), None)]:
        if value is not None:
            run.append((px(index), py(value)))
            continue
        if len(run) == 1:
            x, y = run[0]
            parts.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="2" fill="{ACCENT}"/>')
        elif run:
            d = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(run))
            parts.append(
                f'<path class="series" d="{d}" fill="none" stroke="{ACCENT}" stroke-width="2" '
                'stroke-linejoin="round"/>'
            )
        run = []
    return parts


def _band_words(band: Band, lang: str) -> str:
    _ = translator(lang)
    level = _(_LEVEL_NAMES.get(band.level, band.level))
    if band.low is not None and band.high is not None:
        span = _("from %(low)s to %(high)s") % {
            "low": format_number(band.low, lang),
            "high": format_number(band.high, lang),
        }
    elif band.low is not None:
        span = _("at least %(low)s") % {"low": format_number(band.low, lang)}
    else:
        span = _("at most %(high)s") % {"high": format_number(band.high or 0.0, lang)}
    return f"{level} {span}"


def N_(message: str) -> str:
    """Mark ``message`` for translation; it is translated where it is drawn."""
    return message


_LEVEL_NAMES = {"green": N_("green"), "amber": N_("amber"), "red": N_("red")}
_SEVERITY = {"green": 0, "amber": 1, "red": 2}


# --- the trajectory on the 2x2 ----------------------------------------------------------------


def trajectory_map(
    quadrants: Mapping[tuple[int, int], str],
    points: Sequence[tuple[str, float, float]],
    band: tuple[tuple[float, float], tuple[float, float]] | None,
    lang: str,
    *,
    axes: tuple[Axis, Axis] | None = None,
    title: str | None = None,
    size: int = 460,
    ident: str | None = None,
) -> str:
    """The 2x2 from -1 to 1 on both axes, the monthly path, and the latest point emphasised.

    ``quadrants`` maps the signs of a quadrant, ``(x, y)`` in ``{-1, 1}``, to its scenario's
    name: ``(-1, 1)`` is top left. ``points`` are ``(month, x, y)`` in time order; the last
    is drawn large with ``band`` (``((x low, x high), (y low, y high))``) as a dashed
    rectangle around it. Months are labelled at the start, at the end and at a few points
    between, each placed where it overlaps no other label (a label that finds no free place
    is left out, never drawn over another).
    """
    _ = translator(lang)
    title = title or _("Position and trajectory on the scenario matrix")
    ident = ident or draw.ident("map", title, sorted(quadrants.items()), points)
    margin_left, margin_bottom, margin = 62, 62, 12
    side = size - margin_left - margin
    width, height = size, margin + side + margin_bottom
    left, top = margin_left, margin
    right, bottom = left + side, top + side

    def px(x: float) -> float:
        return left + (draw.clip(x) + 1) / 2 * side

    def py(y: float) -> float:
        return top + (1 - draw.clip(y)) / 2 * side

    parts = [
        f'<rect x="{left}" y="{top}" width="{side}" height="{side}" fill="#fff" '
        f'stroke="{FRAME}" stroke-width="1"/>',
        draw.line(px(0), top, px(0), bottom, FRAME, 1.5),
        draw.line(left, py(0), right, py(0), FRAME, 1.5),
    ]
    where = [(month, px(x), py(y)) for month, x, y in points]
    marks: list[Box] = [(x - 4, y - 4, x + 4, y + 4) for _month, x, y in where]
    if band is not None:
        (x_low, x_high), (y_low, y_high) = band
        marks.append((px(x_low), py(y_high), px(x_high), py(y_low)))
    if where:
        marks.append((where[-1][1] - 9, where[-1][2] - 9, where[-1][1] + 9, where[-1][2] + 9))
    taken: list[Box] = []
    for (sx, sy), name in sorted(quadrants.items()):
        lines = draw.wrap(name, (side / 2 - 20) / (13 * CHAR_WIDTH))
        boxes = _quadrant_name(lines, (sx, sy), (px(sx), py(sy), px(0), py(0)), marks)
        anchor = "start" if sx < 0 else "end"
        for text, (name_x, name_y) in zip(lines, boxes, strict=True):
            parts.append(
                draw.text(name_x, name_y, text, size=13, anchor=anchor, bold=True, cls="quadrant")
            )
            taken.append(draw.box(name_x, name_y, text, 13, anchor))
    for value in (-1.0, 0.0, 1.0):
        label = format_number(value, lang)
        parts.append(draw.text(px(value), bottom + 14, label, size=10, anchor="middle"))
        parts.append(draw.text(left - 6, py(value) + 3.5, label, size=10, anchor="end"))
    if axes is not None:
        parts += _axis_labels(axes, left, right, top, bottom)
    if band is not None:
        (x_low, x_high), (y_low, y_high) = band
        x0, x1, y0, y1 = px(x_low), px(x_high), py(y_high), py(y_low)
        parts.append(
            f'<rect class="uncertainty" x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" '
            f'height="{y1 - y0:.1f}" fill="{ACCENT}" fill-opacity="0.08" stroke="{ACCENT}" '
            'stroke-width="1.5" stroke-dasharray="5 3"/>'
        )
    if len(where) > 1:
        line = " ".join(f"{x:.1f},{y:.1f}" for _month, x, y in where)
        parts.append(
            f'<polyline class="trajectory" points="{line}" fill="none" stroke="{MUTED}" '
            'stroke-width="1.5" stroke-linejoin="round"/>'
        )
    for _month, x, y in where[:-1]:
        parts.append(f'<circle class="month" cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{MUTED}"/>')
    if where:
        _month, x, y = where[-1]
        parts.append(
            f'<circle class="latest" cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{ACCENT}" '
            'stroke="#fff" stroke-width="2"/>'
        )
    # Month labels keep clear of the names, the dots and the latest point (not of the band).
    taken += [mark for mark in marks if mark[2] - mark[0] <= 18]
    parts += _month_labels(where, taken, (left, top, right, bottom), lang)
    return draw.svg(ident, width, height, title, _map_words(quadrants, points, band, lang), parts)


def _quadrant_name(
    lines: list[str], signs: tuple[int, int], corners: Box, marks: list[Box]
) -> list[tuple[float, float]]:
    """Where the lines of a quadrant's name go: the quadrant's first corner, outer corner
    first, where the name covers none of ``marks`` (the path, the band); else the outer one.

    ``corners`` are the quadrant's outer corner ``(x, y)`` and the centre of the matrix.
    """
    outer_x, outer_y, centre_x, centre_y = corners
    sx, sy = signs
    anchor = "start" if sx < 0 else "end"
    tried: list[list[tuple[float, float]]] = []
    for x_edge, y_edge in (
        (outer_x, outer_y),
        (outer_x, centre_y),
        (centre_x, outer_y),
        (centre_x, centre_y),
    ):
        x = x_edge - sx * 10 if x_edge == outer_x else x_edge + sx * 10
        x_anchor = anchor if x_edge == outer_x else ("end" if anchor == "start" else "start")
        top_side = (y_edge == outer_y) == (sy > 0)
        first = y_edge + 20 if top_side else y_edge - 10 - 16 * (len(lines) - 1)
        spots = [(x, first + 16 * row) for row in range(len(lines))]
        if x_anchor != anchor:  # keep the anchor of the quadrant: move x by the text's width
            widest = max(draw.text_width(line, 13) for line in lines)
            spots = [(x + (widest if anchor == "end" else -widest), y) for x, y in spots]
        tried.append(spots)
        boxes = [
            draw.box(x, y, line, 13, anchor) for (x, y), line in zip(spots, lines, strict=True)
        ]
        if not any(draw.overlap(box, mark) for box in boxes for mark in marks):
            return spots
    return tried[0]


def _axis_labels(
    axes: tuple[Axis, Axis], left: float, right: float, top: float, bottom: float
) -> list[str]:
    """The poles at the ends of each axis and the axis's name in the middle, outside the plot."""
    horizontal, vertical = axes
    middle_x, middle_y = (left + right) / 2, (top + bottom) / 2
    parts = [
        draw.text(left, bottom + 32, "← " + horizontal.low, size=11, anchor="start"),
        draw.text(right, bottom + 32, horizontal.high + " →", size=11, anchor="end"),
        draw.text(middle_x, bottom + 50, horizontal.name, size=12, anchor="middle", bold=True),
    ]
    for y, text, anchor, bold, size, dx in (
        (bottom, "← " + vertical.low, "start", False, 11, left - 24),
        (top, vertical.high + " →", "end", False, 11, left - 24),
        (middle_y, vertical.name, "middle", True, 12, left - 44),
    ):
        weight = ' font-weight="700"' if bold else ""
        parts.append(
            f'<text x="{dx:.1f}" y="{y:.1f}" transform="rotate(-90 {dx:.1f} {y:.1f})" '
            f'font-size="{size}" text-anchor="{anchor}" fill="{INK}"{weight}>{escape(text)}</text>'
        )
    return parts


def _month_labels(
    where: Sequence[tuple[str, float, float]],
    taken: list[Box],
    plot: Box,
    lang: str,
) -> list[str]:
    """Labels of the first, the last and a few months between, placed without overlap."""
    count = len(where)
    if count == 0:
        return []
    between = min(3, max(count - 2, 0))
    chosen = [count - 1, 0] + [
        round(k * (count - 1) / (between + 1)) for k in range(1, 1 + between)
    ]
    offsets = [
        (dx * scale, dy * scale, anchor)
        for scale in (1.0, 1.8, 2.8)
        for dx, dy, anchor in (
            (10, -8, "start"),
            (-10, -8, "end"),
            (10, 16, "start"),
            (-10, 16, "end"),
            (0, -12, "middle"),
            (0, 22, "middle"),
        )
    ]
    parts: list[str] = []
    for index in dict.fromkeys(chosen):  # in order, without repeats
        month, x, y = where[index]
        text = period_label(month, lang)
        for dx, dy, anchor in offsets:
            box = draw.box(x + dx, y + dy, text, 11, anchor)
            if draw.inside(box, plot) and not any(draw.overlap(box, other) for other in taken):
                taken.append(box)
                bold = index == count - 1
                parts.append(
                    draw.text(
                        x + dx,
                        y + dy,
                        text,
                        size=11,
                        anchor=anchor,
                        bold=bold,
                        halo=True,
                        cls="month-label",
                    )
                )
                break
    return parts


def _map_words(
    quadrants: Mapping[tuple[int, int], str],
    points: Sequence[tuple[str, float, float]],
    band: tuple[tuple[float, float], tuple[float, float]] | None,
    lang: str,
) -> str:
    _ = translator(lang)
    corners = {
        (-1, 1): _("top left"),
        (1, 1): _("top right"),
        (-1, -1): _("bottom left"),
        (1, -1): _("bottom right"),
    }
    words = [
        _("Scenarios: %(list)s.")
        % {"list": "; ".join(f"{corners.get(k, str(k))} {v}" for k, v in sorted(quadrants.items()))}
    ]
    if not points:
        words.append(_("No position yet."))
        return " ".join(words)
    month, x, y = points[-1]
    words.append(
        _("In %(month)s the position is %(x)s, %(y)s.")
        % {
            "month": period_label(month, lang),
            "x": format_number(x, lang, 2),
            "y": format_number(y, lang, 2),
        }
    )
    if band is not None:
        (x_low, x_high), (y_low, y_high) = band
        words.append(
            _("Uncertain between %(x_low)s and %(x_high)s across, %(y_low)s and %(y_high)s up.")
            % {
                "x_low": format_number(x_low, lang, 2),
                "x_high": format_number(x_high, lang, 2),
                "y_low": format_number(y_low, lang, 2),
                "y_high": format_number(y_high, lang, 2),
            }
        )
    words.append(
        _("The path runs over %(count)s months from %(first)s.")
        % {"count": len(points), "first": period_label(points[0][0], lang)}
    )
    return " ".join(words)


# --- likelihoods ------------------------------------------------------------------------------


def likelihood_bars(
    items: Sequence[tuple[str, float]],
    lang: str,
    *,
    title: str | None = None,
    width: int = 440,
    ident: str | None = None,
) -> str:
    """Horizontal bars of shares in 0..1, each named on the left and written as a percentage.

    The bars share one scale, 0 to 100%; a share outside 0..1 is drawn at the nearest end.
    """
    _ = translator(lang)
    title = title or _("Likelihood per scenario")
    ident = ident or draw.ident("bars", title, items)
    label_width = min(
        max((draw.text_width(label, 12) for label, _p in items), default=0), width * 0.45
    )
    rows = [draw.wrap(label, label_width / (12 * CHAR_WIDTH)) for label, _p in items]
    start, end = label_width + 16, width - 52
    parts: list[str] = []
    y = 8.0
    for (_label, share), lines in zip(items, rows, strict=True):
        row_height = 16 * len(lines) + 12
        middle = y + row_height / 2
        for number, text in enumerate(lines):
            text_y = middle + 4 + 16 * (number - (len(lines) - 1) / 2)
            parts.append(draw.text(label_width + 8, text_y, text, size=12, anchor="end"))
        length = (end - start) * min(max(share, 0.0), 1.0)
        parts.append(
            f'<rect class="bar" x="{start:.1f}" y="{middle - 8:.1f}" width="{length:.1f}" '
            f'height="16" fill="{ACCENT}"/>'
        )
        percent = format_percent(share, lang)
        parts.append(draw.text(start + length + 6, middle + 4, percent, size=12, anchor="start"))
        y += row_height
    parts.insert(0, draw.line(start, 4, start, y + 4, FRAME, 1))
    words = "; ".join(f"{label} {format_percent(share, lang)}" for label, share in items)
    return draw.svg(ident, width, round(y + 8), title, f"{title}: {words}.", parts)
