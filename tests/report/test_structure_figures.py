"""The figures of issue 7: coordinates computed by hand, and labels that never overlap."""

from __future__ import annotations

import itertools
import re
from html import unescape

import pytest

from koers.report import drawing as draw
from koers.report.structure_figures import (
    EventBar,
    MapFactor,
    NetworkEdge,
    TimelineFlip,
    TimelineRow,
    impact_network,
    influence_map,
    probability_bars,
    succession_timeline,
)

TEXT = re.compile(
    r'<text x="([-\d.]+)" y="([-\d.]+)" font-size="(\d+)" text-anchor="(\w+)"[^>]*>([^<]*)</text>'
)
CIRCLE = re.compile(
    r'<circle class="(?:node|factor)[^"]*" cx="([-\d.]+)" cy="([-\d.]+)" r="([\d.]+)"'
)
VIEWBOX = re.compile(r'viewBox="0 0 (\d+) (\d+)"')


def _texts(svg: str) -> list[tuple[str, draw.Box]]:
    return [
        (unescape(label), draw.box(float(x), float(y), unescape(label), float(size), anchor))
        for x, y, size, anchor, label in TEXT.findall(svg)
    ]


# --- the influence-dependence map ------------------------------------------------------------

# Four factors, shares in percent as (dependence, influence). The mean is 100 / 4 = 25. The
# largest share is 40; nice_ticks(0, 40, 6): the range 40 rounds up to 50, 50 / 5 = 10, so the
# ticks are 0, 10, 20, 30, 40 and both scales end at 40. The plot of the default 720 x 540
# figure runs from x = 64 to 704 (640 px) and from y = 16 to 480 (464 px), so
#   px(s) = 64 + s / 40 * 640 = 64 + 16 s      py(s) = 480 - s / 40 * 464 = 480 - 11.6 s.
FACTORS = [
    MapFactor("Aa", direct=(20.0, 40.0), indirect=(10.0, 40.0)),  # moved left by 10 points
    MapFactor("Bb", direct=(30.0, 10.0), indirect=(30.0, 10.0)),
    MapFactor("Cc", direct=(40.0, 30.0), indirect=(40.0, 30.0)),
    MapFactor("Dd", direct=(20.0, 20.0), indirect=(20.0, 20.0)),
]


def test_influence_map_places_factors_means_and_sectors_where_computed_by_hand() -> None:
    svg = influence_map(FACTORS, "en", ident="m")
    dots = [(float(x), float(y)) for x, y, _r in CIRCLE.findall(svg)]
    # Aa (10, 40): 64 + 160 = 224, 480 - 464 = 16; Bb (30, 10): 544, 364;
    # Cc (40, 30): 704, 132; Dd (20, 20): 384, 248.
    assert dots == [(224.0, 16.0), (544.0, 364.0), (704.0, 132.0), (384.0, 248.0)]
    # The means: px(25) = 64 + 400 = 464 across, py(25) = 480 - 290 = 190 up.
    assert '<line x1="464.0" y1="16.0" x2="464.0" y2="480.0"' in svg
    assert '<line x1="64.0" y1="190.0" x2="704.0" y2="190.0"' in svg
    for sector in ("Influential", "Relay", "Dependent", "Autonomous"):
        assert f">{sector}</text>" in svg
    # One displacement arrow (Aa's): from its ring at px(20) = 384 to 5 px short of its dot,
    # 224 + 5 = 229 (the arrow runs 160 px straight left).
    arrows = re.findall(r'class="displacement" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)"', svg)
    assert arrows == [("384.0", "16.0", "229.0")]
    assert 'role="img"' in svg
    assert "Aa: influence 40%, dependence 10%" in svg  # the description says the numbers


def test_influence_map_writes_numbers_in_the_readers_language() -> None:
    factors = [
        MapFactor("Aa", (12.5, 37.5), (12.5, 37.5)),
        MapFactor("Bb", (87.5, 62.5), (87.5, 62.5)),
    ]
    assert "invloed 37,5%" in influence_map(factors, "nl")
    assert "influence 37.5%" in influence_map(factors, "en")


def test_influence_map_labels_stay_apart_and_inside_the_plot() -> None:
    # Twelve factors in a tight cluster: labels must move apart or become numbers in a key.
    factors = [
        MapFactor(f"Factor number {i}", (20 + i % 3, 20 + i // 3), (21 + i % 3, 20 + i // 3))
        for i in range(12)
    ]
    svg = influence_map(factors, "en")
    labels = [(t, b) for t, b in _texts(svg) if t.startswith("Factor") or t.isdigit()]
    for (_a, one), (_b, other) in itertools.combinations(labels, 2):
        assert not draw.overlap(one, other)
    shown = {t for t, _b in _texts(svg)}
    for factor in factors:  # every factor is named: beside its dot, or in the key
        assert factor.label in shown or any(t.endswith(": " + factor.label) for t in shown)


# --- the impact network ----------------------------------------------------------------------


def _thirty() -> tuple[list[tuple[str, str]], list[NetworkEdge]]:
    nodes = [(f"d{i}", f"Descriptor with a long name {i}") for i in range(30)]
    edges = [NetworkEdge(f"d{i}", f"d{(i + 1) % 30}", 2, 1 + i % 3) for i in range(30)]
    edges += [NetworkEdge(f"d{i}", f"d{(i * 7 + 3) % 30}", -1, 2) for i in range(0, 30, 2)]
    return nodes, edges


def test_network_of_thirty_factors_has_no_overlapping_labels() -> None:
    nodes, edges = _thirty()
    svg = impact_network(nodes, edges, "en", flipped=["d1", "d2"])
    width, height = (int(v) for v in VIEWBOX.search(svg).groups())  # type: ignore[union-attr]
    texts = _texts(svg)
    circles = [
        (float(x) - float(r), float(y) - float(r), float(x) + float(r), float(y) + float(r))
        for x, y, r in CIRCLE.findall(svg)
    ]
    assert len(circles) == 30
    for (first, one), (second, other) in itertools.combinations(texts, 2):
        assert not draw.overlap(one, other), f"'{first}' overlaps '{second}'"
    for label, box in texts:
        assert draw.inside(box, (0, 0, width, height)), f"'{label}' is cut off"
        for circle in circles:
            assert not draw.overlap(box, circle), f"'{label}' covers a node"
    named = {label for label, _box in texts}
    for _key, label in nodes:
        assert label in named or any(t.endswith(": " + label) for t in named)


def test_network_is_drawn_the_same_way_every_time_and_shows_both_kinds_of_push() -> None:
    nodes, edges = _thirty()
    assert impact_network(nodes, edges, "en") == impact_network(nodes, edges, "en")
    svg = impact_network(
        nodes[:3], [NetworkEdge("d0", "d1", 2, 1), NetworkEdge("d2", "d1", -3, 1)], "en"
    )
    assert svg.count('class="impact impact-drive"') == 1
    assert svg.count('class="impact impact-resist"') == 1
    assert 'stroke-dasharray="5 3"' in svg  # resisting is dashed, not only red
    assert "3 factors, 2 impacts: 1 drove a flip, 1 resisted." in svg


# --- the succession timeline -----------------------------------------------------------------


def test_timeline_marks_flips_with_their_reasons_and_the_shock() -> None:
    rows = [
        TimelineRow("Duration", "shorter", {1: TimelineFlip("longer", "pushed by A: +2")}, True),
        TimelineRow("Economy", "recovery", {2: TimelineFlip("shrinking", "pushed by B: +1")}),
    ]
    svg = succession_timeline(rows, 2, "en")
    assert re.findall(r'<g class="flip"><title>([^<]*)</title>', svg) == [
        "pushed by A: +2",
        "pushed by B: +1",
    ]
    assert svg.count('<g class="shock">') == 1
    cells = [t for t, _b in _texts(svg)]
    # Row by row, column by column: the start, step 1, step 2.
    assert cells[:3] == ["Start", "Step 1", "Step 2"]
    assert cells[3:7] == ["Duration", "shorter !", "longer", "longer"]
    assert cells[7:] == ["Economy", "recovery", "recovery", "shrinking"]


def test_timeline_wraps_long_variants_instead_of_widening_without_end() -> None:
    long = "thriving, alongside the municipality and its partners"
    svg = succession_timeline([TimelineRow("Initiatives", long, {})], 0, "en")
    texts = [t for t, _b in _texts(svg)]
    assert long not in texts and " ".join(texts[2:]) == long


# --- the events' probability bars ------------------------------------------------------------


def test_probability_bars_at_coordinates_computed_by_hand() -> None:
    # Labels "A" and "B": 1 glyph x 12 x 0.6 = 7.2 px, so the scale runs from 7.2 + 16 = 23.2
    # to 560 - 60 = 500: px(p) = 23.2 + 476.8 p.
    svg = probability_bars(
        [EventBar("A", 0.25, 0.5, 0.4, 0.6), EventBar("B", 0.1, 0.0, 0.0, 0.02)], "en"
    )
    widths = re.findall(r'class="bar" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    assert widths == [("23.2", "238.4"), ("23.2", "0.0")]  # 476.8 x 0.5 = 238.4
    # A's interval 0.4..0.6: 23.2 + 190.72 = 213.92 and 23.2 + 286.08 = 309.28.
    assert '<line x1="213.9" y1="' in svg and '<line x1="309.3" y1="' in svg
    # A's initial 0.25: 23.2 + 119.2 = 142.4.
    assert '<line class="initial" x1="142.4"' in svg
    assert ">50%</text>" in svg and ">0%</text>" in svg
    assert "A: 50% (95% interval 40% to 60%; initially 25%)." in svg


@pytest.mark.parametrize("language, word", [("nl", "aanvankelijk"), ("en", "initially")])
def test_probability_bars_speak_the_readers_language(language: str, word: str) -> None:
    svg = probability_bars([EventBar("A", 0.25, 0.5, 0.4, 0.6)], language)
    assert word in svg
