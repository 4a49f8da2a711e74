"""England's workforce figures, the comparators every rate on the workforce pages is shown against.

They are reference data in ``data/england.csv`` (each row with the date it is as at, its source and where it
was published), not literals in code: a new year's census adds a row, and the pages show the latest figure for
each measure on or before the date being looked at, with its date, so a reader sees what is compared with what.
"""

import csv
import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ENGLAND_FILE = Path(__file__).parent / "data" / "england.csv"


@dataclass(frozen=True)
class EnglandFigure:
    measure: str
    value: float  # a percentage for rates ("18.9"), a number otherwise
    as_at: datetime.date
    label: str
    source: str
    url: str


@cache
def england_figures(path: Path = ENGLAND_FILE) -> tuple[EnglandFigure, ...]:
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple(
            EnglandFigure(
                measure=row["measure"],
                value=float(row["value"]),
                as_at=datetime.date.fromisoformat(row["as_at"]),
                label=row["label"],
                source=row["source"],
                url=row["url"],
            )
            for row in csv.DictReader(handle)
        )


def england(measure: str, on: datetime.date | None = None) -> EnglandFigure | None:
    """The latest England figure for ``measure`` as at ``on`` or before (the latest of all without ``on``);
    the earliest one if every figure is later than ``on`` (the nearest comparator there is)."""
    rows = sorted((row for row in england_figures() if row.measure == measure), key=lambda row: row.as_at)
    if not rows:
        return None
    before = [row for row in rows if on is None or row.as_at <= on]
    return before[-1] if before else rows[0]
