"""The collection year of a statutory return.

The CIN census and the SSDA903 each cover one year from 1 April to 31 March (Children Act 1989 s83; DfE CIN
census and SSDA903 guidance, DOMAIN.md §3 and §4). A year is named here, as on the command line, by the year
in which it ends: ``2025`` is 1 April 2024 to 31 March 2025, which the DfE writes "2024-25" and its validator
names ``cin2024_25``. The census's reference date is the year's last day, 31 March.
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Q

# The earliest year whose validation rules Safeguard holds (safeguard/returns/data/rules.csv starts with 2022-23).
FIRST_YEAR = 2023


@dataclass(frozen=True, order=True)
class CollectionYear:
    end_year: int  # the calendar year of the 31 March that ends the collection

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.end_year - 1, 4, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.end_year, 3, 31)

    @property
    def reference_date(self) -> datetime.date:
        """The census date (CIN census Header/CollectionDetails/ReferenceDate)."""
        return self.end

    @property
    def label(self) -> str:
        return f"{self.end_year - 1}-{self.end_year % 100:02d}"

    def __str__(self) -> str:
        return self.label

    def contains(self, day: datetime.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def as_at_end(self, day: datetime.date | None) -> datetime.date | None:
        """A date as a return sees it on 31 March: one after the year's end had not happened yet."""
        return day if day is not None and day <= self.end else None

    def open_in(self, start: str, end: str) -> Q:
        """Records started by the year's end and not ended before it began (``start`` and ``end`` name the
        date fields)."""
        return Q(**{f"{start}__lte": self.end}) & (
            Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": self.start})
        )

    @classmethod
    def containing(cls, day: datetime.date) -> "CollectionYear":
        return cls(day.year + 1 if day.month >= 4 else day.year)

    @classmethod
    def latest_complete(cls, today: datetime.date) -> "CollectionYear":
        """The last year that has ended by ``today``: the one a council returns in the spring."""
        return cls(cls.containing(today).end_year - 1)

    @classmethod
    def parse(cls, text: str) -> "CollectionYear":
        """``2025`` or ``2024-25``: the year the collection ends, as the command line and pages take it."""
        text = str(text).strip()
        if match := re.fullmatch(r"(\d{4})", text):
            return cls(int(match[1]))
        if match := re.fullmatch(r"(\d{4})\s*[-/]\s*(\d{2}|\d{4})", text):
            start, end = int(match[1]), int(match[2])
            if end % 100 == (start + 1) % 100:
                return cls(start + 1)
        raise ValueError(f"{text!r} is not a collection year: give the year it ends, like 2025 (for 2024-25)")
