"""The PDF's server-side SVG charts: well-formed XML, every text escaped, the accent colour
checked, unknown values never drawn as 0."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest

from reports import charts

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & \'quote\''


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
    return root


def texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter() if el.tag in (f"{SVG}text", f"{SVG}title")]


def test_a_line_chart_is_well_formed_and_escapes_its_title():
    days = ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"]
    root = parse(charts.line_chart(HOSTILE, days, [0, 1200, None, 5000], accent="#ff5500"))
    assert HOSTILE in texts(root)
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 2  # the unknown day breaks the line instead of dropping it to 0
    assert all(line.get("stroke") == "#ff5500" for line in lines)
    assert {"Mar 1", "Mar 4"} <= set(texts(root))


def test_a_chart_without_data_says_so():
    root = parse(charts.line_chart("Clicks", ["2026-03-01"], [None], accent="#123456"))
    assert "No daily data yet" in texts(root)
    assert "No daily data yet" in texts(parse(charts.line_chart("x", [], [], accent="")))


def test_a_bad_accent_falls_back_to_the_default():
    svg = charts.line_chart("x", ["d1", "d2"], [1, 2], accent='red" onload="x')
    assert "onload" not in svg and charts.DEFAULT_ACCENT in svg
    assert charts.mix("#000000", "#ffffff", 0.5) == "#808080"
    assert charts.ink_on("#ffffff") == charts.INK and charts.ink_on("#000000") == charts.WHITE


@pytest.mark.parametrize(("top", "step", "count"), [
    (2_153_518, 500_000, 5), (133, 50, 3), (4_414, 1_000, 5), (7_940.1, 2_000, 4), (0, 1, 1),
])
def test_axis_steps_are_round_numbers(top, step, count):
    assert charts.axis_step(top) == (step, count)


@dataclass
class Step:
    label: str
    display: str
    from_previous: str
    points: str
    text_y: float


def test_the_funnel_escapes_labels_and_keeps_only_numeric_points():
    steps = [
        Step(HOSTILE, "1,000", "", "0,0 600,0 500,52 100,52", 31.0),
        Step("Clicks", "20", "2.00% of <impressions>", '1,2" onload="x 3,4', 87.0),
    ]
    root = parse(charts.funnel_chart(steps, accent="#0a7f5c"))
    body = texts(root)
    assert HOSTILE in body and "20 · 2.00% of <impressions>" in body
    polygons = list(root.iter(f"{SVG}polygon"))
    assert polygons[0].get("fill") == "#0a7f5c" and polygons[1].get("points") == "3,4"
    assert "No funnel yet" in texts(parse(charts.funnel_chart([], accent="#0a7f5c")))


def test_the_sentiment_bar_is_well_formed():
    split = [
        {"name": "positive", "label": "Positive", "count": 60, "x": 0, "width": 60,
         "share": "60%"},
        {"name": "neutral", "label": "<Neutral>", "count": 30, "x": 60, "width": 30,
         "share": "30%"},
        {"name": "negative", "label": "Negative", "count": 10, "x": 90, "width": 10,
         "share": "10%"},
    ]
    root = parse(charts.sentiment_bar(split))
    assert "<Neutral> 30 (30%)" in texts(root)
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect")]
    assert charts.SENTIMENT_COLORS["negative"] in fills
