"""Timing helpers shared by the benchmarks."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Result:
    name: str
    samples_ms: list[float]
    scale: str

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def line(self) -> str:
        return (
            f"BENCH {self.name} median_ms={self.median_ms:.2f} p95_ms={self.p95_ms:.2f} "
            f"n={len(self.samples_ms)} scale={self.scale}"
        )


def measure(name: str, action: Callable[[int], object], *, runs: int, scale: str, warmup: int = 3) -> Result:
    """Call ``action(i)`` ``warmup`` times unmeasured, then ``runs`` times, timing each call."""
    for i in range(warmup):
        action(i)
    samples = []
    for i in range(runs):
        started = time.perf_counter()
        action(i)
        samples.append((time.perf_counter() - started) * 1000)
    return Result(name, samples, scale)
