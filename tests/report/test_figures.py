"""The figures, read back as XML: their elements, the places of known points, their words."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from koers.report.figures import (
    Axis,
    Band,
    format_number,
    indicator_chart,
    likelihood_bars,
    trajectory_map,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
QUADRANTS = {
    (-1, 1): "Aanpassen",
    (1, 1): "Transformeren",
    (-1, -1): "Overbruggen",
    (1, -1): "Overleven",
}
AXES = (
    Axis("Duur van de crisis", "korter", "langer"),
    Axis("Mate van verandering", "minder", "meer"),
)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def find(root: ET.Element, tag: str, cls: str | None = None) -> list[ET.Element]:
    found = root.findall(f".//svg:{tag}", NS)
    return [e for e in found if cls is None or cls in (e.get("class") or "").split()]


def texts(root: ET.Element) -> list[str]:
    return ["".join(e.itertext()) for e in find(root, "text")]


def number(element: ET.Element, name: str) -> float:
    return float(element.get(name) or "nan")


def assert_accessible(root: ET.Element) -> None:
    """role="img", a title and a description that the labelledby names, no style attribute."""
    assert root.get("role") == "img"
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert all(e.get("style") is None for e in root.iter())


def description(root: ET.Element) -> str:
    desc = root.find("svg:desc", NS)
    assert desc is not None
    return desc.text or ""


# --- indicator_chart --------------------------------------------------------------------------

# Values 10, -, 30, 40 and a red band from 35 up, on a 320 x 170 chart:
# data and bounds span 10..40; Heckbert: nice(30) = 50, step nice(50 / 3 = 16.7) = 20, so the
# ticks are 0, 20, 40. The widest tick label "20" is 2 x 10 px x 0.6 = 12 px wide, so the plot
# runs from x = 10 + 12 = 22 to 320 - 58 = 262 and from y = 22 to 170 - 24 = 146.
# Across: x(i) = 22 + i x 240 / 3 = 22, 102, 182, 262.
# Up: y(v) = 146 - v / 40 x 124, so y(10) = 115, y(30) = 53, y(35) = 37.5, y(40) = 22.
PERIODS = ["2021-01", "2021-02", "2021-03", "2021-04"]


def chart(lang: str = "nl", ident: str | None = None) -> ET.Element:
    """The chart of values 10, -, 30, 40 with a red band from 35 up."""
    svg = indicator_chart(
        PERIODS,
        [10.0, None, 30.0, 40.0],
        [Band("red", 35.0, None)],
        "personen",
        "WW-uitkeringen",
        lang,
        ident=ident,
    )
    return parse(svg)


def test_the_chart_places_known_points_where_computed_by_hand() -> None:
    root = chart()
    assert_accessible(root)
    (path,) = find(root, "path", "series")
    assert path.get("d") == "M182.0,53.0 L262.0,22.0"
    (dot,) = find(root, "circle", "point")  # the first value stands alone: a dot
    assert (number(dot, "cx"), number(dot, "cy")) == (22.0, 115.0)
    (latest,) = find(root, "circle", "latest")
    assert (number(latest, "cx"), number(latest, "cy")) == (262.0, 22.0)
    assert [t for t in texts(root) if t in ("0", "20", "40")] == ["0", "20", "40", "40"]


def test_the_latest_label_stays_off_a_rising_line() -> None:
    # The line rises into the latest point (30 to 40): the label goes above it, at
    # y(40) - 8 = 14, where the line is not; a falling line puts it below (+16).
    rising = chart()
    (label,) = [t for t in find(rising, "text") if t.get("font-weight") == "700"]
    assert (number(label, "y"), "".join(label.itertext())) == (14.0, "40")
    # A green band from 0 keeps 30 off the bottom: y(30) = 53, so the label sits at 69.
    green = [Band("green", 0.0, 10.0)]
    falling = parse(indicator_chart(["2021-01", "2021-02"], [40.0, 30.0], green, "", "x", "nl"))
    (label,) = [t for t in find(falling, "text") if t.get("font-weight") == "700"]
    assert number(label, "y") == 69.0


def test_a_missing_value_is_a_gap_with_a_mark() -> None:
    root = chart()
    assert len(find(root, "path", "series")) == 1  # the line does not bridge February
    (group,) = [g for g in find(root, "g") if g.get("class") == "missing"]
    (mark,) = list(group)
    assert number(mark, "x1") == 102.0  # February's place
    assert "Ontbrekend: 2021-02." in description(root)


def test_a_band_is_shaded_and_named_in_words() -> None:
    root = chart()
    (band,) = find(root, "rect", "band-red")
    assert (number(band, "y"), number(band, "height")) == (22.0, 15.5)  # 40 down to 35
    assert "rood" in texts(root)
    assert "Drempels: rood ten minste 35." in description(root)
    english = chart("en")
    assert "red" in texts(english)


def test_overlapping_bands_show_the_more_severe_level() -> None:
    # Amber from 60 up and red from 120 up, data 0..150: amber is drawn only from 60 to 120.
    root = parse(
        indicator_chart(
            ["2021-01", "2021-02"],
            [0.0, 150.0],
            [Band("amber", 60.0, None), Band("red", 120.0, None)],
            "opnamen",
            "Ziekenhuisopnamen",
            "nl",
        )
    )
    (amber,) = find(root, "rect", "band-amber")
    (red,) = find(root, "rect", "band-red")
    assert math.isclose(number(amber, "y"), number(red, "y") + number(red, "height"), abs_tol=0.11)
    assert {"oranje", "rood"} <= set(texts(root))


def test_numbers_are_written_in_the_readers_language() -> None:
    periods, values = ["2021-01", "2021-02"], [1000.0, 1234.5]
    dutch = parse(indicator_chart(periods, values, [], "personen", "Inwoners", "nl"))
    english = parse(indicator_chart(periods, values, [], "personen", "Inwoners", "en"))
    # Ticks: range 234.5, nice(234.5) = 500, step nice(166.7) = 200: 1000, 1200, 1400.
    assert {"1.000", "1.200", "1.400", "1.234,5"} <= set(texts(dutch))
    assert {"1,000", "1,200", "1,400", "1,234.5"} <= set(texts(english))
    assert "Laatste waarde: 1.234,5 personen in 2021-02." in description(dutch)


def test_a_series_without_values_says_so() -> None:
    root = parse(indicator_chart(["2021-01"], [None], [], "%", "Vertrouwen", "en"))
    assert not find(root, "path", "series") and not find(root, "circle", "latest")
    assert "No values yet." in description(root)


def test_periods_and_values_must_pair() -> None:
    with pytest.raises(ValueError, match="2 periods but 1 values"):
        indicator_chart(["2021-01", "2021-02"], [1.0], [], "", "x", "en")


def test_two_charts_of_one_page_have_their_own_ids() -> None:
    first = chart(ident="a")
    second = chart(ident="b")
    assert first.get("aria-labelledby") != second.get("aria-labelledby")


# --- trajectory_map ---------------------------------------------------------------------------

# size 460: the plot is a square of 460 - 62 - 12 = 386 px from (62, 12) to (448, 398);
# x(v) = 62 + (v + 1) / 2 x 386 and y(v) = 12 + (1 - v) / 2 x 386.
# (0.5, -0.5) lies at (62 + 289.5, 12 + 289.5) = (351.5, 301.5).
# The band 0.25..0.75 across and -0.75..-0.25 up: x from 62 + 0.625 x 386 = 303.25,
# y from 12 + 0.625 x 386 = 253.25, both 0.25 x 386 = 96.5 wide.


def test_the_map_places_the_latest_point_and_its_band() -> None:
    points = [("2021-01", -0.5, 0.5), ("2021-02", 0.0, 0.0), ("2021-03", 0.5, -0.5)]
    band = ((0.25, 0.75), (-0.75, -0.25))
    root = parse(trajectory_map(QUADRANTS, points, band, "nl", axes=AXES))
    assert_accessible(root)
    (latest,) = find(root, "circle", "latest")
    assert (number(latest, "cx"), number(latest, "cy")) == (351.5, 301.5)
    (rect,) = find(root, "rect", "uncertainty")
    for name, expected in (("x", 303.25), ("y", 253.25), ("width", 96.5), ("height", 96.5)):
        assert math.isclose(number(rect, name), expected, abs_tol=0.06)
    (line,) = find(root, "polyline", "trajectory")
    assert (line.get("points") or "").split()[0] == "158.5,108.5"  # (-0.5, 0.5)
    assert len(find(root, "circle", "month")) == 2
    words = description(root)
    assert "In mrt 2021 is de positie 0,5, -0,5." in words
    assert "Onzeker tussen 0,25 en 0,75 horizontaal" in words


def test_the_scenarios_stand_in_their_quadrants() -> None:
    root = parse(trajectory_map(QUADRANTS, [("2021-01", 0.1, 0.1)], None, "en"))
    names = {"".join(t.itertext()): t for t in find(root, "text", "quadrant")}
    assert set(names) == set(QUADRANTS.values())
    # Nothing in the way: each name at its quadrant's outer corner.
    assert (number(names["Aanpassen"], "x"), number(names["Aanpassen"], "y")) == (72.0, 32.0)
    assert names["Transformeren"].get("text-anchor") == "end"
    assert number(names["Overbruggen"], "y") == 388.0  # 398 - 10, at the bottom


def _boxes(root: ET.Element) -> list[tuple[float, float, float, float]]:
    """Boxes of the month labels and quadrant names, estimated as the layout does (0.6 em)."""
    boxes = []
    for text in find(root, "text", "month-label") + find(root, "text", "quadrant"):
        size = number(text, "font-size")
        width = len("".join(text.itertext())) * size * 0.6
        x, y = number(text, "x"), number(text, "y")
        x0 = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor", "")]
        boxes.append((x0, y - size, x0 + width, y + size * 0.3))
    return boxes


@pytest.mark.parametrize(("months", "last"), [(2, "feb 2020"), (12, "dec 2020"), (48, "dec 2023")])
def test_month_labels_do_not_overlap(months: int, last: str) -> None:
    # A spiral that winds inward, crowding the labels near the middle.
    points = [
        (
            f"{2020 + k // 12}-{k % 12 + 1:02d}",
            0.9 * (1 - k / months) * math.cos(k / 3),
            0.9 * (1 - k / months) * math.sin(k / 3),
        )
        for k in range(months)
    ]
    root = parse(trajectory_map(QUADRANTS, points, ((-0.1, 0.1), (-0.1, 0.1)), "nl"))
    labels = ["".join(t.itertext()) for t in find(root, "text", "month-label")]
    assert labels[:2] == [last, "jan 2020"]  # the end and the start come first
    boxes = _boxes(root)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


def test_a_name_moves_away_from_the_path() -> None:
    # The path ends in the bottom-right corner, under the name's usual place.
    points = [("2021-01", 0.5, -0.5), ("2021-02", 0.9, -0.92)]
    root = parse(trajectory_map(QUADRANTS, points, ((0.8, 0.98), (-0.98, -0.8)), "en"))
    (name,) = [t for t in find(root, "text", "quadrant") if "".join(t.itertext()) == "Overleven"]
    assert number(name, "y") < 398 - 10  # not at the bottom any more


def test_an_empty_map_says_there_is_no_position() -> None:
    root = parse(trajectory_map(QUADRANTS, [], None, "en"))
    assert not find(root, "circle", "latest")
    assert "No position yet." in description(root)


# --- likelihood_bars --------------------------------------------------------------------------

# Labels "A" and "B" are 12 px x 0.6 = 7.2 px wide; the bars start at 7.2 + 16 = 23.2 and
# may reach 440 - 52 = 388, so 100% is 364.8 px: 50% is 182.4 px and 25% is 91.2 px.
# Rows are 16 + 12 = 28 px high from y = 8; a bar is 16 px high around the row's middle:
# y = 8 + 14 - 8 = 14 and 36 + 14 - 8 = 42.


def test_bars_are_as_long_as_their_share() -> None:
    root = parse(likelihood_bars([("A", 0.5), ("B", 0.25)], "nl"))
    assert_accessible(root)
    bars = find(root, "rect", "bar")
    assert [(number(b, "x"), number(b, "y"), number(b, "width")) for b in bars] == [
        (23.2, 14.0, 182.4),
        (23.2, 42.0, 91.2),
    ]
    assert {"A", "B", "50%", "25%"} <= set(texts(root))
    assert root.get("height") == "72"  # 8 + 2 x 28 + 8
    assert description(root) == "Waarschijnlijkheid per scenario: A 50%; B 25%."


def test_a_long_name_wraps_and_half_rounds_up() -> None:
    root = parse(likelihood_bars([("Lange nasleep en diepe verdeeldheid in de stad", 0.425)], "en"))
    assert "43%" in texts(root)
    assert len([t for t in texts(root) if t and t[0].isalpha()]) >= 2  # two lines


def test_format_number_rounds_to_the_digits_asked() -> None:
    assert format_number(1234.56, "nl") == "1.234,6"
    assert format_number(-1234.0, "en", 0) == "-1,234"
