"""Figures of structural analysis, succession chains and events: accessible SVG from plain data.

Four pure functions, each returning one ``<svg>`` element as text, for the web workbench and
the report (issue 7, "Visuals"):

- :func:`influence_map`: MICMAC's influence-dependence plane (Godet 1994), dependence across
  and influence up, the axes at the means, the four quadrants named (influential, relay,
  dependent, autonomous), each factor at its indirect position with an arrow from its direct
  one (the displacement that reveals hidden drivers);
- :func:`impact_network`: the judgements that pushed a succession chain, as a directed
  network laid out by networkx's spring layout (Fruchterman and Reingold 1991) with a fixed
  seed, so the same chain is always drawn the same way;
- :func:`succession_timeline`: a chain as a grid, steps as columns and descriptors as rows,
  each flip marked and explained on hover (its ``<title>``);
- :func:`probability_bars`: events' simulated probabilities with their 95 % intervals and
  their initial probabilities.

They share :mod:`koers.report.drawing` with :mod:`koers.report.figures` (escaping, label boxes,
nice ticks) and its number formats. Labels are placed by :func:`place_labels`, which tries
spots around each mark and keeps a label only where it overlaps no other label, mark or the
edge of the figure; a label that finds no spot becomes a number near its mark (with a leader
line when it had to go further), named in a key under the figure, so no text is ever drawn
over another.

References
----------
Godet, M. (1994). *From Anticipation to Action: A Handbook of Strategic Prospective*.
UNESCO Publishing (the influence-dependence plane and its four sectors).
Fruchterman, T. M. J. and Reingold, E. M. (1991). Graph drawing by force-directed placement.
*Software: Practice and Experience* 21(11), 1129-1164 (``networkx.spring_layout``).
Gordon, T. J. and Hayward, H. (1968). Initial experiments with the cross impact matrix method
of forecasting. *Futures* 1(2), 100-116 (the events whose probabilities are drawn).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from koers.i18n import translator
from koers.report import drawing as draw
from koers.report.drawing import ACCENT, FRAME, GRID, INK, MUTED, Box
from koers.report.figures import format_number, format_percent

__all__ = [
    "NETWORK_SEED",
    "EventBar",
    "MapFactor",
    "NetworkEdge",
    "TimelineFlip",
    "TimelineRow",
    "impact_network",
    "influence_map",
    "place_labels",
    "probability_bars",
    "succession_timeline",
]

NETWORK_SEED = 7
"""The seed of the network layout: the same chain is always drawn the same way."""

RESIST = "#a4161a"  # a push against a flip: 7.8:1 on white, and dashed, so not colour alone
FLIP_FILL = "#d5e6f5"  # a flipped cell: ink on it is 13:1
SHOCK_FILL = "#fde9c4"  # a shocked cell: ink on it is 14:1
CELL_WIDTH = 130  # the widest a timeline's column gets; longer variants wrap


def N_(message: str) -> str:
    """Mark ``message`` for translation; it is translated where it is drawn."""
    return message


# --- label placement --------------------------------------------------------------------------


NEAR = (1.0, 2.0, 3.2)  # how far from its mark a label may go, in steps of 3 px
FAR = (1.0, 2.0, 3.2, 5.0, 7.0, 10.0, 14.0)  # ... and a number, with a leader line


def _spots(
    radius: float, size: float, scales: Sequence[float] = NEAR
) -> list[tuple[float, float, str]]:
    """Offsets (dx, dy of the baseline) and anchors around a mark of ``radius``, near first."""
    spots: list[tuple[float, float, str]] = []
    for scale in scales:
        gap = radius + 3 * scale
        spots += [
            (gap, size * 0.35, "start"),
            (-gap, size * 0.35, "end"),
            (0, -gap - 1, "middle"),
            (0, gap + size, "middle"),
            (gap * 0.8, -gap * 0.8, "start"),
            (-gap * 0.8, -gap * 0.8, "end"),
            (gap * 0.8, gap * 0.8 + size * 0.7, "start"),
            (-gap * 0.8, gap * 0.8 + size * 0.7, "end"),
        ]
    return spots


def place_labels(
    anchors: Sequence[tuple[float, float]],
    labels: Sequence[str],
    taken: list[Box],
    area: Box,
    *,
    size: float,
    radius: float,
    scales: Sequence[float] = NEAR,
    soft: Sequence[Box] = (),
) -> list[tuple[float, float, str] | None]:
    """Where each label goes: ``(x, y, anchor)`` beside its anchor, or ``None`` if no room.

    Labels are placed in the given order, each at the first spot of :func:`_spots` whose box
    (:func:`koers.report.drawing.box`) lies inside ``area`` and overlaps nothing in ``taken``,
    preferring spots that also keep clear of ``soft`` (lines it may cross if it must); the
    boxes of placed labels are added to ``taken``.

    >>> place_labels([(50, 50)], ["a"], [], (0, 0, 100, 100), size=10, radius=4)
    [(57.0, 53.5, 'start')]
    """
    placed: list[tuple[float, float, str] | None] = []
    for (x, y), label in zip(anchors, labels, strict=True):
        free = []
        for dx, dy, anchor in _spots(radius, size, scales):
            spot = draw.box(x + dx, y + dy, label, size, anchor)
            if draw.inside(spot, area) and not any(draw.overlap(spot, other) for other in taken):
                free.append((spot, (x + dx, y + dy, anchor)))
        clear = [item for item in free if not any(draw.overlap(item[0], s) for s in soft)]
        chosen = clear[0] if clear else free[0] if free else None
        if chosen is not None:
            taken.append(chosen[0])
        placed.append(None if chosen is None else chosen[1])
    return placed


def _mark_box(x: float, y: float, radius: float) -> Box:
    return (x - radius, y - radius, x + radius, y + radius)


def _key(numbered: Sequence[tuple[int, str]], left: float, top: float, lang: str) -> list[str]:
    """The key of labels shown as numbers: one line each under the figure."""
    _ = translator(lang)
    if not numbered:
        return []
    parts = [draw.text(left, top, _("Key"), size=11, anchor="start", bold=True)]
    for row, (number, label) in enumerate(numbered, start=1):
        parts.append(draw.text(left, top + 15 * row, f"{number}: {label}", size=11, anchor="start"))
    return parts


# --- the influence-dependence map -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MapFactor:
    """A factor on the plane: its name and its shares (percent of the matrix total).

    ``direct`` and ``indirect`` are ``(dependence share, influence share)``: across, up.
    """

    label: str
    direct: tuple[float, float]
    indirect: tuple[float, float]


_QUADRANTS = {
    "influential": N_("Influential"),
    "relay": N_("Relay"),
    "dependent": N_("Dependent"),
    "autonomous": N_("Autonomous"),
}


def influence_map(
    factors: Sequence[MapFactor],
    lang: str,
    *,
    title: str | None = None,
    width: int = 720,
    height: int = 540,
    ident: str | None = None,
) -> str:
    """The influence-dependence plane: dependence across, influence up, both in percent.

    The axes cross at the means (``100 / n`` percent on both, n factors); the four sectors are
    named in their corners: influential (top left), relay (top right), dependent (bottom
    right), autonomous (bottom left). Each factor is a dot at its indirect position; a grey
    arrow runs from its direct position (a ring) when the two differ. Both scales start at 0
    and end at the nice number (Heckbert 1990) at or above the largest share.

    The plot spans ``x`` from 64 to ``width - 16`` and ``y`` from 16 to ``height - 60``.
    """
    _ = translator(lang)
    title = title or _("Influence and dependence of the factors")
    ident = ident or draw.ident("micmac", title, factors)
    left, top, right, bottom = 64.0, 16.0, width - 16.0, height - 60.0
    count = max(len(factors), 1)
    mean = 100 / count
    highest_x = max([f.direct[0] for f in factors] + [f.indirect[0] for f in factors] + [mean])
    highest_y = max([f.direct[1] for f in factors] + [f.indirect[1] for f in factors] + [mean])
    x_ticks = draw.nice_ticks(0.0, highest_x, 6)
    y_ticks = draw.nice_ticks(0.0, highest_y, 6)
    x_max, y_max = x_ticks[-1], y_ticks[-1]

    def px(share: float) -> float:
        return left + share / x_max * (right - left)

    def py(share: float) -> float:
        return bottom - share / y_max * (bottom - top)

    parts = [
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{right - left:.1f}" '
        f'height="{bottom - top:.1f}" fill="#fff" stroke="{FRAME}" stroke-width="1"/>',
        f'<defs><marker id="{ident}-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{MUTED}"/></marker></defs>',
    ]
    for tick in x_ticks:
        label = format_number(tick, lang, draw.digits(x_ticks[1] - x_ticks[0]))
        parts.append(draw.line(px(tick), bottom, px(tick), bottom + 4, FRAME, 1))
        parts.append(draw.text(px(tick), bottom + 16, label, size=10, anchor="middle"))
    for tick in y_ticks:
        label = format_number(tick, lang, draw.digits(y_ticks[1] - y_ticks[0]))
        parts.append(draw.line(left - 4, py(tick), left, py(tick), FRAME, 1))
        parts.append(draw.text(left - 7, py(tick) + 3.5, label, size=10, anchor="end"))
    parts.append(draw.line(px(mean), top, px(mean), bottom, FRAME, 1.5, dash="6 3"))
    parts.append(draw.line(left, py(mean), right, py(mean), FRAME, 1.5, dash="6 3"))
    across = _("Dependence (% of all influence)")
    up = _("Influence (% of all influence)")
    parts.append(draw.text((left + right) / 2, height - 28, across, size=12, anchor="middle"))
    middle = (top + bottom) / 2
    parts.append(
        f'<text x="16" y="{middle:.1f}" transform="rotate(-90 16 {middle:.1f})" font-size="12" '
        f'text-anchor="middle" fill="{INK}">{escape(up)}</text>'
    )
    taken: list[Box] = []
    corners = (
        ("influential", left + 6, top + 16, "start"),
        ("relay", right - 6, top + 16, "end"),
        ("dependent", right - 6, bottom - 8, "end"),
        ("autonomous", left + 6, bottom - 8, "start"),
    )
    for role, x, y, anchor in corners:
        name = _(_QUADRANTS[role])
        parts.append(draw.text(x, y, name, size=13, anchor=anchor, bold=True, cls="sector"))
        taken.append(draw.box(x, y, name, 13, anchor))
    dots = [(px(f.indirect[0]), py(f.indirect[1])) for f in factors]
    rings = [(px(f.direct[0]), py(f.direct[1])) for f in factors]
    taken += [_mark_box(x, y, 5) for x, y in dots + rings]
    for (x0, y0), (x1, y1) in zip(rings, dots, strict=True):
        parts.append(
            f'<circle class="direct" cx="{x0:.1f}" cy="{y0:.1f}" r="3.5" fill="#fff" '
            f'stroke="{MUTED}" stroke-width="1.5"/>'
        )
        length = math.hypot(x1 - x0, y1 - y0)
        if length > 8:  # shorten the arrow so that its head stops at the dot's edge
            end_x, end_y = x1 - (x1 - x0) * 5 / length, y1 - (y1 - y0) * 5 / length
            parts.append(
                f'<line class="displacement" x1="{x0:.1f}" y1="{y0:.1f}" x2="{end_x:.1f}" '
                f'y2="{end_y:.1f}" stroke="{MUTED}" stroke-width="1.2" '
                f'marker-end="url(#{ident}-arrow)"/>'
            )
    for factor, (x, y) in zip(factors, dots, strict=True):
        hover = _("%(factor)s: influence %(influence)s%%, dependence %(dependence)s%%") % {
            "factor": factor.label,
            "influence": format_number(factor.indirect[1], lang),
            "dependence": format_number(factor.indirect[0], lang),
        }
        parts.append(
            f'<circle class="factor" cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{ACCENT}">'
            f"<title>{escape(hover)}</title></circle>"
        )
    plot = (left, top, right, bottom)
    labels = [f.label for f in factors]
    parts += _labels(dots, labels, taken, plot, 11, 5, (left, height + 4.0), lang)
    extra = _key_height(parts)
    words = [title + "."]
    words.append(
        _("The axes cross at the mean share, %(mean)s%%.") % {"mean": format_number(mean, lang)}
    )
    for factor in factors:
        words.append(
            _("%(factor)s: influence %(influence)s%%, dependence %(dependence)s%%")
            % {
                "factor": factor.label,
                "influence": format_number(factor.indirect[1], lang),
                "dependence": format_number(factor.indirect[0], lang),
            }
            + "."
        )
    return draw.svg(ident, width, height + extra, title, " ".join(words), parts)


def _labels(
    anchors: Sequence[tuple[float, float]],
    labels: Sequence[str],
    taken: list[Box],
    area: Box,
    size: int,
    radius: float,
    key_at: tuple[float, float],
    lang: str,
    soft: Sequence[Box] = (),
) -> list[str]:
    """Labels beside their marks; those without room as numbers, named in a key below."""
    places = place_labels(anchors, labels, taken, area, size=size, radius=radius, soft=soft)
    parts: list[str] = []
    numbered: list[tuple[int, str]] = []
    for (x, y), label, place in zip(anchors, labels, places, strict=True):
        if place is not None:
            parts.append(
                draw.text(place[0], place[1], label, size=size, anchor=place[2], halo=True)
            )
            continue
        number = len(numbered) + 1
        spot = place_labels(
            [(x, y)], [str(number)], taken, area, size=size, radius=radius, scales=FAR, soft=soft
        )[0]
        if spot is None:  # no room even for a number: the key says it is not on the figure
            numbered.append((number, label + " (" + translator(lang)("not shown") + ")"))
            continue
        numbered.append((number, label))
        if abs(spot[0] - x) + abs(spot[1] - y) > radius + 24:  # far: a line leads to it
            parts.append(draw.line(x, y, spot[0], spot[1] - size * 0.35, MUTED, 0.8))
        parts.append(draw.text(spot[0], spot[1], str(number), size=size, anchor=spot[2], halo=True))
    key = _key(numbered, key_at[0], key_at[1], lang)
    if key:
        parts.append(f'<g class="key" data-lines="{len(numbered) + 1}">' + "".join(key) + "</g>")
    return parts


def _key_height(parts: list[str]) -> int:
    """The height a key under the figure needs (0 without one)."""
    for part in parts:
        if part.startswith('<g class="key" data-lines="'):
            lines = int(part.split('"')[3])
            return 15 * lines + 8
    return 0


# --- the impact network of a chain ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NetworkEdge:
    """A push in a chain: ``source`` pushed ``target`` by ``weight`` in ``step``."""

    source: str
    target: str
    weight: int
    step: int
    text: str = ""  # what the push was, for the hover title


def impact_network(
    nodes: Sequence[tuple[str, str]],
    edges: Sequence[NetworkEdge],
    lang: str,
    *,
    flipped: Sequence[str] = (),
    title: str | None = None,
    width: int = 720,
    ident: str | None = None,
) -> str:
    """The network of the impacts in a chain: who pushed whom, and how hard.

    ``nodes`` are ``(key, label)``; a node in ``flipped`` is drawn filled, the others as
    rings. An arrow per pair of nodes: solid blue when the pushes drove the flip (their sum
    is positive), dashed red when they resisted it; its width grows with the sum; its
    ``<title>`` lists the pushes. Arrows bend slightly, so two opposite arrows stay apart.
    The layout is :func:`networkx.spring_layout` with :data:`NETWORK_SEED`; the height grows
    with the number of nodes, and the drawing grows (up to twice) until every label fits.
    """
    import networkx as nx

    _ = translator(lang)
    title = title or _("Network of the impacts in the chain")
    keys = [key for key, _label in nodes]
    ident = ident or draw.ident("network", title, nodes, edges)
    graph = nx.DiGraph()
    graph.add_nodes_from(keys)
    pairs: dict[tuple[str, str], list[NetworkEdge]] = {}
    for edge in edges:
        pairs.setdefault((edge.source, edge.target), []).append(edge)
        graph.add_edge(edge.source, edge.target)
    layout = nx.spring_layout(graph, seed=NETWORK_SEED, k=1.6 / math.sqrt(max(len(keys), 1)))
    labels = [label for _key, label in nodes]
    base_height = int(max(320, 220 + 16 * len(keys)))
    for grow in (1.0, 1.25, 1.5, 1.75, 2.0):
        scaled_width, height = int(width * grow), int(base_height * grow)
        margin = 12 + max((draw.text_width(label, 12) for label in labels), default=0) / 2
        margin = min(margin, scaled_width / 4)
        where = _scale(layout, keys, (margin, 24, scaled_width - margin, height - 24))
        taken = [_mark_box(*where[key], 9) for key in keys]
        lines = [
            (px - 2, py - 2, px + 2, py + 2)
            for source, target in pairs
            for px, py in _along(_curve(where[source], where[target]))
        ]
        trial = place_labels(
            [where[key] for key in keys],
            labels,
            list(taken),
            (0, 0, scaled_width, height),
            size=12,
            radius=7,
            soft=lines,
        )
        if all(place is not None for place in trial):
            break
    parts = [
        "<defs>"
        + "".join(
            f'<marker id="{ident}-{kind}" viewBox="0 0 10 10" refX="9" refY="5" '
            f'markerWidth="6" markerHeight="6" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
            for kind, colour in (("drive", ACCENT), ("resist", RESIST))
        )
        + "</defs>"
    ]
    for (source, target), pushes in pairs.items():
        parts.append(_arrow(where[source], where[target], pushes, ident, lang))
    for key, label in nodes:
        x, y = where[key]
        filled = key in flipped
        fill = ACCENT if filled else "#fff"
        parts.append(
            f'<circle class="node{" flipped" if filled else ""}" cx="{x:.1f}" cy="{y:.1f}" '
            f'r="7" fill="{fill}" stroke="{ACCENT}" stroke-width="2"><title>{escape(label)}'
            "</title></circle>"
        )
    area = (0.0, 0.0, float(scaled_width), float(height))
    at = (12.0, height + 12.0)
    parts += _labels([where[key] for key in keys], labels, taken, area, 12, 7, at, lang, lines)
    extra = _key_height(parts)
    driving = sum(1 for pushes in pairs.values() if sum(e.weight for e in pushes) > 0)
    words = [
        title + ".",
        _("%(nodes)s factors, %(edges)s impacts: %(driving)s drove a flip, %(resisting)s resisted.")
        % {
            "nodes": len(keys),
            "edges": len(pairs),
            "driving": driving,
            "resisting": len(pairs) - driving,
        },
    ]
    names = dict(nodes)
    for (source, target), pushes in pairs.items():
        total = sum(e.weight for e in pushes)
        words.append(f"{names.get(source, source)} → {names.get(target, target)} ({total:+d}).")
    return draw.svg(ident, scaled_width, height + extra, title, " ".join(words), parts)


def _scale(
    layout: Mapping[str, Sequence[float]], keys: Sequence[str], area: Box
) -> dict[str, tuple[float, float]]:
    """The layout's positions stretched to fill ``area`` (one node: its centre)."""
    xs = [float(layout[key][0]) for key in keys]
    ys = [float(layout[key][1]) for key in keys]
    x0, y0, x1, y1 = area

    def stretch(value: float, low: float, high: float, start: float, end: float) -> float:
        if high - low < 1e-9:
            return (start + end) / 2
        return start + (value - low) / (high - low) * (end - start)

    return {
        key: (
            stretch(x, min(xs), max(xs), x0, x1),
            stretch(y, min(ys), max(ys), y0, y1),
        )
        for key, x, y in zip(keys, xs, ys, strict=True)
    }


_Curve = tuple[float, float, float, float, float, float]  # start, control, end of a curve


def _curve(start: tuple[float, float], end: tuple[float, float]) -> _Curve:
    """The quadratic curve of an arrow: from the source's edge, bent to the left of the
    straight line by a sixth of its length (at most 24 px), to 10 px before the target."""
    (x0, y0), (x1, y1) = start, end
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    sx, sy = x0 + ux * 9, y0 + uy * 9
    ex, ey = x1 - ux * 10, y1 - uy * 10
    bend = min(24.0, length / 6)
    return sx, sy, (sx + ex) / 2 - uy * bend, (sy + ey) / 2 + ux * bend, ex, ey


def _along(curve: _Curve, count: int = 24) -> list[tuple[float, float]]:
    """Points along a quadratic curve, at ``count`` even steps of its parameter."""
    sx, sy, cx, cy, ex, ey = curve
    points = []
    for step in range(count + 1):
        t = step / count
        points.append(
            (
                (1 - t) ** 2 * sx + 2 * (1 - t) * t * cx + t**2 * ex,
                (1 - t) ** 2 * sy + 2 * (1 - t) * t * cy + t**2 * ey,
            )
        )
    return points


def _arrow(
    start: tuple[float, float],
    end: tuple[float, float],
    pushes: Sequence[NetworkEdge],
    ident: str,
    lang: str,
) -> str:
    """A bent arrow from ``start`` to ``end``, stopping at the target's edge."""
    _ = translator(lang)
    total = sum(edge.weight for edge in pushes)
    sx, sy, cx, cy, ex, ey = _curve(start, end)
    kind, colour = ("drive", ACCENT) if total > 0 else ("resist", RESIST)
    dash = "" if total > 0 else ' stroke-dasharray="5 3"'
    stroke = 1.2 + min(abs(total), 6) * 0.45
    lines = [edge.text or f"{edge.source} → {edge.target}: {edge.weight:+d}" for edge in pushes]
    hover = "\n".join(
        _("Step %(step)s: %(push)s") % {"step": edge.step, "push": line}
        for edge, line in zip(pushes, lines, strict=True)
    )
    return (
        f'<path class="impact impact-{kind}" d="M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} '
        f'{ex:.1f},{ey:.1f}" fill="none" stroke="{colour}" stroke-width="{stroke:.1f}"{dash} '
        f'marker-end="url(#{ident}-{kind})"><title>{escape(hover)}</title></path>'
    )


# --- the succession timeline ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimelineFlip:
    """A descriptor's new variant in a step and why it flipped (for the hover title)."""

    variant: str
    reason: str


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """A descriptor: its label, its variant at the start and its flips by step number."""

    label: str
    start: str
    flips: Mapping[int, TimelineFlip]
    shocked: bool = False


def succession_timeline(
    rows: Sequence[TimelineRow],
    steps: int,
    lang: str,
    *,
    title: str | None = None,
    ident: str | None = None,
) -> str:
    """A chain as a grid: the start and each step as columns, the descriptors as rows.

    A cell names the descriptor's variant after the step. A flipped cell is filled blue and
    its variant bold, with the reason as its ``<title>``; a shocked descriptor's start cell is
    filled amber and marked with an exclamation mark; unchanged cells are left white. The
    columns are as wide as their longest variant, at most :data:`CELL_WIDTH` (longer names
    wrap between words).
    """
    _ = translator(lang)
    title = title or _("The chain step by step")
    ident = ident or draw.ident("timeline", title, rows, steps)
    heads = [_("Start")] + [_("Step %(step)s") % {"step": n} for n in range(1, steps + 1)]
    columns: list[list[tuple[str, TimelineFlip | None]]] = []
    current = [row.start for row in rows]
    columns.append([(row.start + (" !" if row.shocked else ""), None) for row in rows])
    for number in range(1, steps + 1):
        column: list[tuple[str, TimelineFlip | None]] = []
        for index, row in enumerate(rows):
            flip = row.flips.get(number)
            if flip is not None:
                current[index] = flip.variant
            column.append((current[index], flip))
        columns.append(column)
    label_width = max((draw.text_width(row.label, 12) for row in rows), default=40) + 16
    widths = [
        min(
            max([draw.text_width(head, 12)] + [draw.text_width(text, 12) for text, _f in column]),
            CELL_WIDTH,
        )
        + 20
        for head, column in zip(heads, columns, strict=True)
    ]
    cells = [
        [draw.wrap(text, (width - 20) / (12 * draw.CHAR_WIDTH)) for text, _f in column]
        for column, width in zip(columns, widths, strict=True)
    ]
    lines = max((len(cell) for column in cells for cell in column), default=1)
    row_height, head_height = 16 * lines + 10, 30
    width = int(label_width + sum(widths) + 8)
    height = int(head_height + row_height * len(rows) + 8)
    parts: list[str] = []
    x = label_width
    for head, column_width in zip(heads, widths, strict=True):
        parts.append(draw.text(x + column_width / 2, 20, head, size=12, anchor="middle", bold=True))
        x += column_width
    for index, row in enumerate(rows):
        y = head_height + row_height * index
        middle = y + row_height / 2
        parts.append(draw.line(0, y, width - 8, y, GRID, 1))
        parts.append(draw.text(label_width - 8, middle + 4, row.label, size=12, anchor="end"))
        x = label_width
        for number, (column, column_width) in enumerate(zip(columns, widths, strict=True)):
            _text, flip = column[index]
            shocked = number == 0 and row.shocked
            fill = FLIP_FILL if flip else SHOCK_FILL if shocked else None
            cell = ""
            if fill:
                cell = (
                    f'<rect x="{x + 2:.1f}" y="{y + 2:.1f}" width="{column_width - 4:.1f}" '
                    f'height="{row_height - 4}" rx="3" fill="{fill}" '
                    f'stroke="{ACCENT if flip else "#a15c00"}" stroke-width="1"/>'
                )
            wrapped = cells[number][index]
            for line_number, text in enumerate(wrapped):
                text_y = middle + 4 + 16 * (line_number - (len(wrapped) - 1) / 2)
                cell += draw.text(
                    x + column_width / 2, text_y, text, size=12, anchor="middle", bold=bool(flip)
                )
            if flip is not None:
                parts.append(f'<g class="flip"><title>{escape(flip.reason)}</title>{cell}</g>')
            elif shocked:
                parts.append(f'<g class="shock"><title>{escape(_("Shock"))}</title>{cell}</g>')
            else:
                parts.append(cell)
            x += column_width
    last = head_height + row_height * len(rows)
    parts.append(draw.line(0, last, width - 8, last, GRID, 1))
    flips = sum(len(row.flips) for row in rows)
    words = [
        title + ".",
        _("%(steps)s steps, %(flips)s flips.") % {"steps": steps, "flips": flips},
    ]
    for number in range(1, steps + 1):
        for row in rows:
            if number in row.flips:
                words.append(row.flips[number].reason)
    return draw.svg(ident, width, height, title, " ".join(words), parts)


# --- the events' probabilities ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventBar:
    """An event's initial and simulated probability with its interval, all in 0..1."""

    label: str
    initial: float
    probability: float
    low: float
    high: float


def probability_bars(
    items: Sequence[EventBar],
    lang: str,
    *,
    title: str | None = None,
    width: int = 560,
    ident: str | None = None,
) -> str:
    """Horizontal bars of the simulated probabilities, whiskers for their 95 % intervals and a
    dark tick for each initial probability, on one scale from 0 to 100 %.

    The scale runs from ``x = label width + 16`` to ``width - 60``; each row is 16 px per
    line of its (wrapped) label plus 14.
    """
    _ = translator(lang)
    title = title or _("Probability of each event")
    ident = ident or draw.ident("events", title, items)
    label_width = min(
        max((draw.text_width(item.label, 12) for item in items), default=0), width * 0.4
    )
    start, end = label_width + 16, width - 60.0

    def px(share: float) -> float:
        return start + (end - start) * min(max(share, 0.0), 1.0)

    legend_y = 14.0
    parts = [
        f'<rect x="{start:.1f}" y="{legend_y - 9:.1f}" width="14" height="10" fill="{ACCENT}"/>',
        draw.text(start + 18, legend_y, _("simulated"), size=11, anchor="start"),
    ]
    offset = start + 24 + draw.text_width(_("simulated"), 11)
    parts.append(draw.line(offset, legend_y - 4, offset + 16, legend_y - 4, INK, 1.5))
    parts.append(draw.text(offset + 20, legend_y, _("95% interval"), size=11, anchor="start"))
    offset += 30 + draw.text_width(_("95% interval"), 11)
    parts.append(draw.line(offset, legend_y - 10, offset, legend_y + 1, INK, 3))
    parts.append(draw.text(offset + 6, legend_y, _("initial"), size=11, anchor="start"))
    y = 28.0
    rows = [draw.wrap(item.label, label_width / (12 * draw.CHAR_WIDTH)) for item in items]
    for item, lines in zip(items, rows, strict=True):
        row_height = 16 * len(lines) + 14
        middle = y + row_height / 2
        for number, text in enumerate(lines):
            text_y = middle + 4 + 16 * (number - (len(lines) - 1) / 2)
            parts.append(draw.text(label_width + 8, text_y, text, size=12, anchor="end"))
        parts.append(
            f'<rect class="bar" x="{start:.1f}" y="{middle - 7:.1f}" '
            f'width="{px(item.probability) - start:.1f}" height="14" fill="{ACCENT}" '
            f'fill-opacity="0.75"/>'
        )
        low, high = px(item.low), px(item.high)
        parts.append(
            f'<g class="interval">{draw.line(low, middle, high, middle, INK, 1.5)}'
            f"{draw.line(low, middle - 5, low, middle + 5, INK, 1.5)}"
            f"{draw.line(high, middle - 5, high, middle + 5, INK, 1.5)}</g>"
        )
        initial = px(item.initial)
        parts.append(
            f'<line class="initial" x1="{initial:.1f}" y1="{middle - 10:.1f}" '
            f'x2="{initial:.1f}" y2="{middle + 10:.1f}" stroke="{INK}" stroke-width="3"/>'
        )
        text = format_percent(item.probability, lang)
        right = max(px(item.probability), high, initial)
        parts.append(draw.text(right + 6, middle + 4, text, size=12, anchor="start"))
        y += row_height
    parts.insert(0, draw.line(start, 22, start, y + 2, FRAME, 1))
    for share in (0.0, 0.5, 1.0):
        parts.append(draw.line(px(share), y + 2, px(share), y + 6, FRAME, 1))
        parts.append(
            draw.text(px(share), y + 18, format_percent(share, lang), size=10, anchor="middle")
        )
    words = [title + "."]
    for item in items:
        words.append(
            _(
                "%(event)s: %(probability)s (95%% interval %(low)s to %(high)s; "
                "initially %(initial)s)"
            )
            % {
                "event": item.label,
                "probability": format_percent(item.probability, lang),
                "low": format_percent(item.low, lang),
                "high": format_percent(item.high, lang),
                "initial": format_percent(item.initial, lang),
            }
            + "."
        )
    return draw.svg(ident, width, round(y + 26), title, " ".join(words), parts)
