"""The SSDA903 return as the DfE sees it: one collection year's children looked after, care leavers and
adoptions, as rows of the return's tables, grouped by child.

The tables and their columns are the DfE's (DOMAIN.md §4; the column lists the DfE community validator
checks files against, data-to-insight ``csc-validator-be-903`` ``lac_validator/config.py``). Values are kept
as the file writes them, text, with dates as ``dd/mm/YYYY``: many of the DfE's rules are about the text
itself (a date that is not a valid date, a code that is not on the list, an item left blank), so a council's
own file is validated as it was written. ``Row.date`` reads a date where a check needs one.

The same objects come from the records (``build``), from a council's files (``files.read``), go to files
(``files.write``) and are validated (``checks``).
"""

import datetime
from dataclasses import dataclass, field

from safeguard.core.years import CollectionYear
from safeguard.returns.rules import Source

# Each table's columns, in the DfE's order. Social worker episodes are returned from 2023-24.
TABLES: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "Episodes": (
        "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE",
        "HOME_POST", "PL_POST", "URN",
    ),
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "OC2": (
        "CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK",
        "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED",
    ),
    "OC3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "AD1": ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
    "PlacedAdoption": ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    "PrevPerm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "Missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "SW_Episodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    # Deprivation of liberty orders, from 2026-27 (DOMAIN.md §4; the validator's lac2026_27 rules 700-710).
    "DoLo": ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
}  # fmt: skip
# The first year (by its end) each table is returned; the rest are returned every year.
TABLE_FROM_YEAR = {"SW_Episodes": 2024, "DoLo": 2027}


def tables_for(year: CollectionYear) -> dict[str, tuple[str, ...]]:
    """The tables the year's return has."""
    return {
        name: columns for name, columns in TABLES.items() if year.end_year >= TABLE_FROM_YEAR.get(name, 0)
    }


DATE_FORMAT = "%d/%m/%Y"


def date_text(day: datetime.date | None) -> str:
    return day.strftime(DATE_FORMAT) if day else ""


def parse_date(text: str) -> datetime.date | None:
    """A ``dd/mm/YYYY`` date, or None when blank or not a valid date. The usual form is read by hand, as
    validation reads some two million dates in a large council's return and ``strptime`` is slow; anything
    else (a day or month without its leading zero) goes to ``strptime``."""
    text = text.strip()
    if len(text) == 10 and text[2] == "/" and text[5] == "/":
        day, month, year = text[:2], text[3:5], text[6:]
        if day.isdigit() and month.isdigit() and year.isdigit():
            try:
                return datetime.date(int(year), int(month), int(day))
            except ValueError:
                return None
    try:
        return datetime.datetime.strptime(text, DATE_FORMAT).date()
    except ValueError:
        return None


@dataclass(slots=True)
class Row:
    """One row of a table: its values as text, by column. A row is not changed once made (its dates are read
    once and kept)."""

    values: dict[str, str]
    source: Source | None = field(default=None, compare=False)
    # Dates already read, by column: every rule reads the same few dates of each row.
    _dates: dict[str, datetime.date | None] = field(default_factory=dict, compare=False, repr=False)

    def __getitem__(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def date(self, column: str) -> datetime.date | None:
        """The column's date, or None when it is blank or not a valid ``dd/mm/YYYY`` date."""
        if column not in self._dates:
            self._dates[column] = parse_date(self[column])
        return self._dates[column]

    def is_blank(self, column: str) -> bool:
        return self[column] == ""

    def has_invalid_date(self, column: str) -> bool:
        """Something is written in a date column that is not a valid ``dd/mm/YYYY`` date."""
        return not self.is_blank(column) and self.date(column) is None


@dataclass(slots=True)
class LookedAfterChild:
    """Everything in the return about one child: their rows in each table."""

    la_child_id: str  # CHILD
    tables: dict[str, list[Row]] = field(default_factory=dict)
    source: Source | None = field(default=None, compare=False)

    def rows(self, table: str) -> list[Row]:
        return self.tables.get(table, [])

    @property
    def header(self) -> Row | None:
        rows = self.rows("Header")
        return rows[0] if rows else None

    @property
    def episodes(self) -> list[Row]:
        """The child's episodes in order of their start (DECOM); any with no valid DECOM last."""
        return sorted(
            self.rows("Episodes"),
            key=lambda row: (row.date("DECOM") is None, row.date("DECOM") or datetime.date.min),
        )


@dataclass(slots=True)
class Ssda903Return:
    year: CollectionYear
    la_code: str
    children: list[LookedAfterChild] = field(default_factory=list)
    # The year before's return, which some rules compare with ("INT" rules, care leavers, episodes open at
    # the year's start). None when it is not available.
    previous: "Ssda903Return | None" = None

    def child(self, la_child_id: str) -> LookedAfterChild | None:
        for child in self.children:
            if child.la_child_id == la_child_id:
                return child
        return None
