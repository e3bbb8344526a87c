"""The strategy figures: the heat map's cells and colours, the pathway map's stations, read
back as XML and checked against positions and colours computed by hand."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest

from koers.report import drawing as draw
from koers.report.strategy_figures import (
    LINE_COLOURS,
    HeatCell,
    MapAction,
    MapTransition,
    contrast,
    heat_colour,
    heat_layout,
    heat_map,
    pathway_layout,
    pathway_map,
    text_colour,
)

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//svg:text", NS)


def text_box(element: ET.Element) -> draw.Box:
    return draw.box(
        float(element.get("x", 0)),
        float(element.get("y", 0)),
        element.text or "",
        float(element.get("font-size", 10)),
        element.get("text-anchor", "start"),
    )


# --- colours ----------------------------------------------------------------------------------


def test_the_stops_and_a_value_between_them() -> None:
    assert heat_colour(-2) == "#b35806"
    assert heat_colour(0) == "#f7f7f7"
    assert heat_colour(2) == "#2166ac"
    # +1.5 lies halfway from #92c5de (146, 197, 222) to #2166ac (33, 102, 172):
    # (146+33)/2 = 89.5 -> 90, (197+102)/2 = 149.5 -> 150, (222+172)/2 = 197 -> #5a96c5.
    assert heat_colour(1.5) == "#5a96c5"
    assert heat_colour(5) == heat_colour(2)  # clipped to the scale


def test_dark_cells_get_white_text_and_light_cells_black() -> None:
    # #b35806: linearised R 0.4508, G 0.0975, B 0.0018; L = 0.2126*0.4508 + 0.7152*0.0975
    # + 0.0722*0.0018 = 0.1657. White: 1.05 / 0.2157 = 4.87; black: 0.2157 / 0.05 = 4.31.
    assert contrast("#ffffff", "#b35806") == pytest.approx(4.87, abs=0.01)
    assert text_colour("#b35806") == "#ffffff"
    assert text_colour("#f7f7f7") == "#000000"


def test_every_shade_of_the_scale_has_text_at_aa_contrast() -> None:
    for step in range(-200, 201):
        fill = heat_colour(step / 100)
        assert contrast(text_colour(fill), fill) >= 4.5, fill


def test_the_pathway_lines_stand_out_from_white() -> None:
    assert all(contrast(colour, "#ffffff") >= 3 for colour in LINE_COLOURS)


# --- the heat map -----------------------------------------------------------------------------


def test_heat_layout_by_hand() -> None:
    layout = heat_layout(["A", "B"], ["X", "Y"])
    # Names "A"/"B" at 12 px are 12 * 0.6 = 7.2 wide: left = 8 + 7.2 + 12 = 27.2.
    # One header line: 16 + 10 = 26, so the cells start at 8 + 26 = 34; columns are 96 wide,
    # rows 48 high.
    assert layout.cells[0][0] == pytest.approx((27.2, 34, 123.2, 82))
    assert layout.cells[1][1] == pytest.approx((123.2, 82, 219.2, 130))
    # The column's name is centred over it: 27.2 + 96 / 2 = 75.2, on the first header line.
    assert layout.column_labels[0][0] == pytest.approx((75.2, 21, "X"))
    # A row's name ends 12 px left of the cells, on the row's middle: 34 + 24 + 4 = 62.
    assert layout.row_labels[0][0] == pytest.approx((15.2, 62, "A"))
    assert layout.width == 380  # at least the legend's width
    assert layout.legend_top == pytest.approx(146)  # 130 + 16


def test_each_cell_shows_colour_number_and_range() -> None:
    cells = [
        [HeatCell(1.5, 1, 2, 2), HeatCell(-2, -2, -2, 2)],
        [HeatCell(None), HeatCell(0.0, 0, 0, 1)],
    ]
    root = parse(heat_map(["A", "B"], ["X", "Y"], cells, "nl", ident="h"))
    rects = root.findall(".//svg:rect[@class='cell']", NS)
    assert [(r.get("x"), r.get("y"), r.get("fill")) for r in rects] == [
        ("27.2", "34.0", "#5a96c5"),
        ("123.2", "34.0", "#b35806"),
        ("123.2", "82.0", "#f7f7f7"),
    ]
    unjudged = root.findall(".//svg:rect[@class='cell unjudged']", NS)
    assert [(r.get("x"), r.get("y")) for r in unjudged] == [("27.2", "82.0")]
    words = [t.text for t in texts(root)]
    assert "+1,5" in words and "+1 … +2" in words  # the number and the participants' range
    assert "-2" in words and "-2 … -2" not in words  # no range where everyone agreed
    # The range bar runs from +1 to +2 on the cell's -2..+2 scale: from 27.2 + 12 = 39.2 to
    # 123.2 - 12 = 111.2, so +1 at 39.2 + 3/4 * 72 = 93.2 and +2 at 111.2.
    bar = root.findall(".//svg:g[@class='range']/svg:line", NS)[1]
    assert (bar.get("x1"), bar.get("x2")) == ("93.2", "111.2")
    number = next(t for t in texts(root) if t.text == "-2" and t.get("font-weight") == "700")
    assert number.get("fill") == "#ffffff"
    desc = root.find("svg:desc", NS)
    assert desc is not None and "A: X +1,5 (+1 … +2); Y -2." in (desc.text or "")
    assert root.get("role") == "img" and root.find("svg:title", NS) is not None


def test_heat_map_labels_do_not_overlap() -> None:
    policies = [
        "Schuldhulpverlening en vroegsignalering voor alle inwoners van de gemeente",
        "Lokale economie",
        "Woningbouw",
    ]
    scenarios = ["Overbruggen", "Overleven", "Een scenario met een lange naam", "Transformeren"]
    cells = [[HeatCell(1.0, 0, 2, 2)] * 4] * 3
    root = parse(heat_map(policies, scenarios, cells, "en"))
    labels = [t for t in texts(root) if t.get("fill") == draw.INK]
    boxes = [text_box(t) for t in labels]
    for a, b in itertools.combinations(boxes, 2):
        assert not draw.overlap(a, b)
    width = float(root.get("width", 0))
    assert all(box[0] >= 0 and box[2] <= width for box in boxes)
    layout = heat_layout(policies, scenarios)
    cell_boxes = [box for row in layout.cells for box in row]
    for label in labels:
        if label.get("text-anchor") == "end":  # a policy's name stays left of every cell
            assert text_box(label)[2] <= cell_boxes[0][0]


def test_heat_map_refuses_a_ragged_table() -> None:
    with pytest.raises(ValueError, match="give 1 rows of 2 cells"):
        heat_map(["A"], ["X", "Y"], [[HeatCell(1)]], "en")


# --- the pathway map --------------------------------------------------------------------------

ACTIONS = [MapAction("a", "A"), MapAction("b", "B"), MapAction("c", "C")]


def test_pathway_layout_by_hand() -> None:
    transitions = [MapTransition("a", "b", 10), MapTransition("b", "c", 20)]
    layout = pathway_layout(ACTIONS, transitions, "a", "en")
    # Names 7.2 wide: the plot starts at 8 + 7.2 + 24 = 39.2 and ends at 720 - 24 = 696.
    # The scale runs from nice_ticks(10, 20)[0] = 10 at 39.2 + 40 = 79.2 to 20 at
    # 696 - 40 = 656.
    assert layout.stations == pytest.approx((79.2, 656))
    # Rows 40 high from y = 16: their middles at 36, 76, 116.
    assert layout.rows == pytest.approx({"a": 36, "b": 76, "c": 116})
    assert layout.lines["a"] == pytest.approx((39.2, 79.2, 36))  # from the start
    assert layout.lines["b"] == pytest.approx((79.2, 656, 76))
    assert layout.lines["c"] == pytest.approx((656, 696, 116))  # on to the edge
    # The axis is at 16 + 120 + 4 = 140; its labels 18 below.
    assert [pytest.approx(tick) for tick in layout.ticks] == [(79.2, 158, "10"), (656, 158, "20")]


def test_a_transition_without_a_value_follows_the_others_lettered() -> None:
    actions = [*ACTIONS, MapAction("d", "D")]
    transitions = [
        MapTransition("a", "b", 10),
        MapTransition("b", "c", 20),
        MapTransition("c", "d", None, "bankruptcies: wave"),
    ]
    layout = pathway_layout(actions, transitions, "a", "en")
    # The value scale now ends at 696 - 40 - 90 = 566; the unvalued one stands 90 further.
    assert layout.stations == pytest.approx((79.2, 566, 656))
    assert layout.ticks[-1][2] == "A"
    assert [line for _x, _y, line in layout.key] == ["A: bankruptcies: wave"]
    svg = pathway_map(actions, transitions, "a", "en", axis="Requests", ident="p")
    root = parse(svg)
    assert len(root.findall(".//svg:g[@class='transition']", NS)) == 3
    words = [t.text for t in texts(root)]
    assert "Requests →" in words and "A: bankruptcies: wave" in words


def test_close_tipping_points_move_their_labels_apart() -> None:
    transitions = [
        MapTransition("a", "b", 10),
        MapTransition("a", "c", 10.1),
        MapTransition("b", "c", 20),
    ]
    layout = pathway_layout(ACTIONS, transitions, "a", "en")
    # 10.1 stands at 79.2 + 0.1 / 10 * 576.8 = 84.97, too near 10's label: one row lower.
    assert [y for _x, y, _t in layout.ticks] == pytest.approx([158, 173, 158])
    root = parse(pathway_map(ACTIONS, transitions, "a", "en"))
    boxes = [text_box(t) for t in texts(root)]
    for a, b in itertools.combinations(boxes, 2):
        assert not draw.overlap(a, b)
    width = float(root.get("width", 0))
    assert all(box[0] >= 0 and box[2] <= width for box in boxes)


def test_the_map_says_in_words_what_it_shows() -> None:
    transitions = [MapTransition("a", "b", 10), MapTransition("b", "c", None, "wave")]
    root = parse(pathway_map(ACTIONS, transitions, "a", "en", axis="requests"))
    desc = root.find("svg:desc", NS)
    assert desc is not None
    assert desc.text == (
        "Starts with A. At 10 requests, A gives way to B. When wave fires, B gives way to C."
    )


def test_an_unknown_action_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown actions x"):
        pathway_map(ACTIONS, [MapTransition("a", "x", 1)], "a", "en")


def test_long_legend_words_stand_on_two_lines_without_overlap() -> None:
    # "slightly promotes" (17 characters) is wider than a 72 px swatch at 11 px (17 x 6.6 =
    # 112 px), so every other word moves one line (14 px) down and the figure grows by 14 px.
    words = {
        -2: "hinders",
        -1: "slightly hinders",
        0: "no influence",
        1: "slightly promotes",
        2: "promotes",
    }
    cells = [[HeatCell(1.0, 1.0, 1.0)]]
    plain = ET.fromstring(heat_map(["p"], ["s"], cells, "en"))
    long = ET.fromstring(heat_map(["p"], ["s"], cells, "en", words=words))
    assert float(long.get("height") or 0) == float(plain.get("height") or 0) + 14
    baselines = {
        t.text: float(t.get("y") or 0)
        for t in long.findall(".//svg:text", NS)
        if t.text in words.values()
    }
    assert baselines["slightly hinders"] - baselines["hinders"] == 14
    assert baselines["no influence"] == baselines["hinders"]
