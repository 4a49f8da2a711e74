"""Charts drawn on the server as inline SVG: no script, no CDN, nothing fetched by the browser.

A chart here is geometry only; ``ui/charts.html`` draws it. Every chart sits beside (or above) a table of the
same figures: the SVG is marked as an image with a short summary for screen readers, and the table is how
they read the numbers, as the GOV.UK Design System asks of charts.

``stacked_bars`` draws one bar per period, each split into the series given (say, breaches met late and
breaches still open), against a y-axis with round ticks.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

# GOV.UK Frontend's palette (blue, red, dark grey, green, orange), in series order: colours that stay
# distinguishable in greyscale print too, since each series is also named in the key.
SERIES_COLOURS = ("#1d70b8", "#d4351c", "#505a5f", "#00703c", "#f47738")
WIDTH = 720
HEIGHT = 260
LEFT = 56  # room for the y-axis labels
BOTTOM = 40  # room for the x-axis labels
TOP = 12
RIGHT = 8
LABEL_HALF_WIDTH = 32  # about half of "Dec 2026" at 12px


@dataclass(frozen=True)
class Segment:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str  # shown as the segment's tooltip: "March 2026, still open: 12"


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class XLabel:
    x: float
    label: str
    anchor: str = "middle"  # "end" near the right edge, so that the label is not cut off


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_bottom: float
    plot_right: float
    segments: list[Segment]
    ticks: list[Tick]
    x_labels: list[XLabel]
    key: list[tuple[str, str]]  # (colour, series name)
    summary: str  # the chart in one sentence, for screen readers


def axis_scale(highest: float, ticks: int = 4) -> tuple[float, float]:
    """The top of a y-axis from 0 that holds ``highest``, and a round step (1, 2 or 5 times a power of ten)
    splitting it into about ``ticks`` parts: (top, step)."""
    raw = max(highest, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(multiple * power for multiple in (1, 2, 5, 10) if raw <= multiple * power)
    return step * max(1, math.ceil(highest / step)), step


def stacked_bars(
    periods: Sequence[tuple[str, Sequence[int | float]]],
    *,
    series: Sequence[str],
    summary: str,
    label_every: int = 1,
) -> Chart:
    """One bar per ``(label, values)`` in ``periods``, its ``values`` stacked in the order of ``series``.

    Only every ``label_every``-th period is labelled on the x-axis, so that five years of months stay legible.
    """
    plot_bottom = HEIGHT - BOTTOM
    plot_height = plot_bottom - TOP
    plot_width = WIDTH - LEFT - RIGHT
    top, step = axis_scale(max((sum(values) for _, values in periods), default=0))
    slot = plot_width / max(1, len(periods))
    bar_width = max(1.0, slot * 0.8)
    segments, x_labels = [], []
    for index, (label, values) in enumerate(periods):
        x = LEFT + index * slot + (slot - bar_width) / 2
        base = float(plot_bottom)
        for name, value, colour in zip(series, values, SERIES_COLOURS, strict=False):
            height = plot_height * value / top
            base -= height
            if value:
                segments.append(
                    Segment(x, base, bar_width, height, colour, f"{label}, {name.lower()}: {value:,}")
                )
        if index % label_every == 0:
            centre = x + bar_width / 2
            near_edge = centre > WIDTH - RIGHT - LABEL_HALF_WIDTH
            x_labels.append(
                XLabel(WIDTH - RIGHT if near_edge else centre, label, "end" if near_edge else "middle")
            )
    ticks = [
        Tick(plot_bottom - plot_height * (n * step) / top, f"{int(n * step):,}")
        for n in range(int(round(top / step)) + 1)
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_bottom=plot_bottom,
        plot_right=WIDTH - RIGHT,
        segments=segments,
        ticks=ticks,
        x_labels=x_labels,
        key=list(zip(SERIES_COLOURS, series, strict=False)),
        summary=summary,
    )
