"""What a CIN census check may need beyond the child in front of it: the year, its code lists, and the
local authority codes the DfE recognises."""

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from safeguard.core.calendar import Counting, WorkingDayCalendar
from safeguard.core.reference import codes_valid_on
from safeguard.core.years import CollectionYear

LA_CODES_FILE = Path(__file__).parent.parent / "data" / "la_codes.csv"

# The DfE validator's calendar for the timeliness queries (8569Q, 8670Q, 8675Q): Monday to Friday less the
# England and Wales bank holidays. A council's own closure days (``CalendarOverride``) do not move the DfE's
# dates, and no check reads the database, so the council's calendar is not used.
DFE_CALENDAR = WorkingDayCalendar(counting=Counting.EXCLUSIVE)


@cache
def recognised_la_codes() -> frozenset[str]:
    """The three-digit LA codes a UPN may carry in characters 2-4 (CIN census rule 1530), from
    ``data/la_codes.csv``."""
    with LA_CODES_FILE.open(newline="", encoding="utf-8") as handle:
        return frozenset(row["code"] for row in csv.DictReader(handle))


@dataclass
class CinContext:
    year: CollectionYear
    _codes: dict[str, frozenset[str]] = field(default_factory=dict)

    def codes(self, code_set: str) -> frozenset[str]:
        """The codes of ``code_set`` (reference data) valid on the year's reference date."""
        if code_set not in self._codes:
            self._codes[code_set] = frozenset(codes_valid_on(code_set, self.year.reference_date))
        return self._codes[code_set]

    @property
    def la_codes(self) -> frozenset[str]:
        return recognised_la_codes()
