"""The demand and capacity chart, drawn on the server as inline SVG: no script, no CDN.

Geometry only (``templates/workforce/_chart.html`` draws it): two lines over the months, weighted caseload and
capacity, each continued as a dashed line for the forecast months. The page puts the same figures in a table
beside it, which is how a screen reader reads them; the SVG carries a one-sentence summary.
"""

from dataclasses import dataclass

from safeguard.ui.charts import axis_scale

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 44
COLOURS = {"weighted": "#d4351c", "capacity": "#1d70b8"}  # GOV.UK red and blue


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    points: str  # "x,y x,y ..." for <polyline>
    forecast: str  # the dashed continuation, starting at the last actual point
    dashed: bool = False


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    lines: list[Line]
    ticks: list[tuple[float, str]]  # (y, label)
    labels: list[tuple[float, str]]  # (x, month label)
    forecast_x: float | None  # where the forecast begins
    summary: str


def demand_chart(series, *, area_name: str) -> Chart:
    """Weighted caseload and capacity by month, with the forecast dashed after today's month."""
    months = series.months
    ahead = series.ahead
    count = len(months) + len(ahead)
    top_value, step = axis_scale(
        max([p.weighted for p in months + ahead] + [p.capacity for p in months + ahead] + [0])
    )
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    bottom = TOP + plot_h

    def x(i: int) -> float:
        return round(LEFT + plot_w * (i / max(1, count - 1)), 1)

    def y(value: float) -> float:
        return round(bottom - plot_h * (value / top_value), 1)

    lines = []
    for key, name in (("weighted", "Weighted caseload"), ("capacity", "Capacity")):
        actual = [(x(i), y(getattr(p, key))) for i, p in enumerate(months)]
        projected = [actual[-1]] + [(x(len(months) + k), y(getattr(p, key))) for k, p in enumerate(ahead)]
        lines.append(
            Line(
                name=name,
                colour=COLOURS[key],
                points=" ".join(f"{a},{b}" for a, b in actual),
                forecast=" ".join(f"{a},{b}" for a, b in projected) if ahead else "",
            )
        )
    ticks = []
    value = 0.0
    while value <= top_value + 1e-9:
        ticks.append((y(value), f"{value:g}"))
        value += step
    every = 3
    days = [p.day for p in months] + [p.day for p in ahead]
    labels = [(x(i), f"{day:%b %y}") for i, day in enumerate(days) if i % every == 0]
    now = months[-1]
    summary = (
        f"{area_name}: weighted caseload {now.weighted:.0f} against capacity {now.capacity:.0f} today"
        + (
            f"; projected {ahead[-1].weighted:.0f} against {ahead[-1].capacity:.0f} by {ahead[-1].day:%B %Y}"
            if ahead
            else ""
        )
        + ". The figures are in the table that follows."
    )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=bottom,
        lines=lines,
        ticks=ticks,
        labels=labels,
        forecast_x=x(len(months) - 1) if ahead else None,
        summary=summary,
    )
