"""A simple forecast, explained on the page: a straight line fitted to the recent months, carried forward.

Least squares over the last ``window`` monthly values (x = 0, 1, ..., n - 1): the slope is
sum((x - x̄)(y - ȳ)) / sum((x - x̄)²) and the line passes through (x̄, ȳ). The projection for k months after the
last value is the line at x = n - 1 + k, never below zero. Its assumptions, which the page states: the recent
trend goes on unchanged (no seasonality, no planned recruitment or restructuring), and the weights and the
caseload limit stay as they are today.
"""

from collections.abc import Sequence
from dataclasses import dataclass

WINDOW = 12  # months of history the trend is fitted to
AHEAD = 6  # months projected


@dataclass(frozen=True)
class Trend:
    slope: float  # per month
    intercept: float  # the line's value at the first month of the window
    points: int

    def at(self, x: float) -> float:
        return self.intercept + self.slope * x


def linear_trend(values: Sequence[float]) -> Trend:
    """The least-squares line through ``values`` at x = 0..n-1 (flat through the one value when n is 1)."""
    n = len(values)
    if n == 0:
        return Trend(0.0, 0.0, 0)
    mean_x = (n - 1) / 2
    mean_y = sum(values) / n
    spread = sum((x - mean_x) ** 2 for x in range(n))
    slope = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values)) / spread if spread else 0.0
    return Trend(slope, mean_y - slope * mean_x, n)


def project(values: Sequence[float], *, ahead: int = AHEAD, window: int = WINDOW) -> list[float]:
    """The next ``ahead`` monthly values on the trend of the last ``window`` values, none below zero."""
    recent = list(values)[-window:]
    trend = linear_trend(recent)
    last = len(recent) - 1
    return [max(0.0, trend.at(last + k)) for k in range(1, ahead + 1)]
