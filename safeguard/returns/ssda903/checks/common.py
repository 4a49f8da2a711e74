"""What the SSDA903 check modules share: one definition of each idea two or more of them use.

The codes that rules single out and that the checks made at data entry use too (short breaks V3/V4, adopted
E11/E12, X1, RNE S, temporary placements T0-T4, foster placements U1-U6, placed for adoption A3-A6...) are in
``lookedafter.rules``, and the check modules import them from there. What is here is what only the return's
checks need: a few more codes, the items of the OC2, OC3 and AD1 tables, and the readings of a child's rows
(their date of birth, their episodes in order, last year's record, the cohorts some rules are about).

Dates in a detail are written with ``cin_census.checks.common.day_text``.
"""

import datetime
from collections.abc import Iterable, Iterator
from itertools import pairwise

from safeguard.core.calendar import add_calendar_months
from safeguard.core.years import CollectionYear
from safeguard.lookedafter.rules import CONTINUES, SHORT_BREAKS, STARTED
from safeguard.returns.cin_census.checks.common import day_text
from safeguard.returns.ssda903.model import LookedAfterChild, Row, parse_date

COLLECTION = "ssda903"

# Legal statuses (LS): a placement order (Adoption and Children Act 2002 s21) and the freeing order it replaced
# (Adoption Act 1976 s18, abolished from 30 December 2005).
PLACEMENT_ORDER = "E1"
FREEING_ORDER = "D1"

# Placement types (PLACE). P2, independent living, was withdrawn on 28 October 2023 (rules 217t, 222, 370).
INDEPENDENT_LIVING_PLACE = "P2"
# Codes withdrawn on 31 March 2025 and those that replaced them from 1 April 2025 (2025-26): H5 by K3, and
# the "other placement" Z1 by Z11-Z14 (rules 146, 178, 213, 222, 503D). A placement open across that day
# changes code without changing, so the 2025-26 return may start with the new code (503D).
PLACEMENTS_REPLACED_FROM = 2026
REPLACED_PLACEMENTS = {"H5": frozenset({"K3"}), "Z1": frozenset({"Z11", "Z12", "Z13", "Z14"})}
OTHER_PLACEMENTS_FROM_2026 = REPLACED_PLACEMENTS["Z1"]

# Items coded 1 (yes) or 0 (no): MOTHER, and the OC2 health and conviction items.
YES, NO = "1", "0"
YES_NO = frozenset({YES, NO})

# The SEX item is M, F or U from 2024-25 (the ``sex`` codes); before, gender 1 (male) or 2 (female).
SEX_FROM = 2025

# The items of the AD1, OC3 and OC2 tables (their CHILD and DOB aside).
AD1_ITEMS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
OC3_ITEMS = ("IN_TOUCH", "ACTIV", "ACCOM")  # care leaver information
OC2_ITEMS = (
    "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
    "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED",
)  # fmt: skip
# The OC2 items every child of the cohort has, and that conviction and health promotion information need
# (rules 182, 191, 544, 547).
OC2_HEALTH_ITEMS = ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE")


# -- the child's sex and age ----------------------------------------------------------------------------------


def female_code(year: CollectionYear) -> str:
    """The SEX code for a girl: F from 2024-25, 2 before (rules 165, 393, 607, 612)."""
    return "F" if year.end_year >= SEX_FROM else "2"


def male_code(year: CollectionYear) -> str:
    """The SEX code for a boy: M from 2024-25, 1 before (rules 101, 174)."""
    return "M" if year.end_year >= SEX_FROM else "1"


def date_of_birth(child: LookedAfterChild, row: Row | None = None) -> datetime.date | None:
    """The child's date of birth: ``row``'s own DOB where it gives a valid one (the OC2, OC3, UASC, Reviews
    and Missing tables carry one), else the header's; None when neither is a valid date."""
    if row is not None and (born := row.date("DOB")):
        return born
    return child.header.date("DOB") if child.header else None


def birthday(dob: datetime.date, years: int) -> datetime.date:
    """The day someone born on ``dob`` turns ``years``: the same day ``years`` years later, and for a
    29 February birthday 28 February in a common year (as the DfE validator counts)."""
    return add_calendar_months(dob, 12 * years)


def age_on(dob: datetime.date, day: datetime.date) -> int:
    """Age in whole years on ``day``: a child is N on their Nth ``birthday``."""
    years = day.year - dob.year
    return years if birthday(dob, years) <= day else years - 1


def same_day(one: str, other: str) -> bool:
    """Two date items name the same day: compared as dates where both are valid, else as written."""
    first, second = parse_date(one), parse_date(other)
    return first == second if first and second else one == other


# -- items of a row -------------------------------------------------------------------------------------------


def filled(row: Row, columns: Iterable[str]) -> tuple[str, ...]:
    """The ``columns`` that are not blank in ``row``."""
    return tuple(column for column in columns if not row.is_blank(column))


def unfilled(row: Row, columns: Iterable[str]) -> tuple[str, ...]:
    """The ``columns`` that are blank in ``row``."""
    return tuple(column for column in columns if row.is_blank(column))


def in_order(rows: Iterable[Row], column: str) -> list[Row]:
    """The rows with a valid date in ``column``, earliest first (ties keep the file's order)."""
    return sorted((row for row in rows if row.date(column)), key=lambda row: row.date(column))


# -- episodes -------------------------------------------------------------------------------------------------


def dated_episodes(child: LookedAfterChild) -> list[Row]:
    """The child's episodes with a valid start (DECOM), in order of it. An episode without one has no place
    in the order, and rule 141 reports it."""
    return [episode for episode in child.episodes if episode.date("DECOM")]


def consecutive_episodes(child: LookedAfterChild) -> Iterator[tuple[Row, Row]]:
    """Each episode after the first with the one before it, ``(before, episode)``, in ``dated_episodes``
    order: "the previous episode" of the DfE's rules."""
    return pairwise(dated_episodes(child))


def open_between(episode: Row, start: datetime.date, end: datetime.date) -> bool:
    """The episode shares at least one day with ``start`` to ``end``: it began by ``end`` and had not ended
    before ``start`` (an end that is blank or not a valid date counts as still open)."""
    began, ended = episode.date("DECOM"), episode.date("DEC")
    return began is not None and began <= end and (ended is None or ended >= start)


def open_in_year(episode: Row, year: CollectionYear) -> bool:
    """The child was looked after in this episode on some day of the collection year."""
    return open_between(episode, year.start, year.end)


def care_starts(child: LookedAfterChild) -> list[datetime.date]:
    """The days the child started to be looked after (episodes with RNE S), earliest first."""
    return [episode.date("DECOM") for episode in dated_episodes(child) if episode["RNE"] == STARTED]


def looked_after_other_than_short_breaks(child: LookedAfterChild) -> bool:
    """The child has an episode under a legal status other than short breaks (V3, V4): they are looked after
    for more than a series of short breaks (rules 393, 442)."""
    return any(episode["LS"] not in SHORT_BREAKS for episode in child.rows("Episodes"))


def placement_text(episode: Row) -> str:
    """How a finding's detail names a placement: its type and start, ``U4 from 3 June 2024``."""
    return f"{episode['PLACE'] or 'no placement'} from {day_text(episode.date('DECOM'))}"


def looked_after_continuously_for_12_months(
    child: LookedAfterChild, year: CollectionYear, *, only_episodes_open_in_year: bool = False
) -> bool:
    """The OC2 cohort: looked after continuously for at least 12 months at 31 March, as the DfE defines it
    (the validator's ``CONTINUOUSLY_LOOKED_AFTER``): looked after on some day of the year, with no episode
    that started care in the year (RNE S after 1 April), that left care in it (an end before 31 March with a
    reason other than X1, a blank reason included) or that was a short break (V3, V4) open in the year.

    ``only_episodes_open_in_year`` sets how an episode is read whose own dates do not put it in the year (no
    valid start, or an end before its start). By default, as the validator and rules 157-198 (``items``)
    have it, such an episode's start (RNE S) or end (not X1) in the year still takes the child out of the
    cohort; rules 543 and 545 (``later``) pass True and leave it aside."""
    looked_after = False
    for episode in child.rows("Episodes"):
        during = open_in_year(episode, year)
        if only_episodes_open_in_year and not during:
            continue
        looked_after = looked_after or during
        start, end = episode.date("DECOM"), episode.date("DEC")
        started_care = episode["RNE"] == STARTED and start is not None and year.start < start <= year.end
        left_care = episode["REC"] != CONTINUES and end is not None and year.start <= end < year.end
        if started_care or left_care or (during and episode["LS"] in SHORT_BREAKS):
            return False
    return looked_after


# -- other tables, and last year's return ---------------------------------------------------------------------


def care_leaver_rows(child: LookedAfterChild) -> list[Row]:
    """The child's OC3 rows with care leaver information: at least one of IN_TOUCH, ACTIV and ACCOM given."""
    return [row for row in child.rows("OC3") if filled(row, OC3_ITEMS)]


def last_years_record(child: LookedAfterChild, context) -> LookedAfterChild | None:
    """The child in last year's return: None when they are not in it, or last year's return was not given."""
    return context.previous.get(child.la_child_id) if context.has_previous else None


def was_uasc(child: LookedAfterChild, context, *, blank_rows_count: bool = True) -> bool:
    """The child is, or was, an unaccompanied asylum-seeking child: they have a row in this year's or last
    year's UASC table (the SSDA903 files have no UASC flag; the DfE's validator reads the table the same
    way, and also looks at the year before last, which Safeguard does not have).

    ``blank_rows_count``: whether a row that gives none of SEX, DOB and DUC counts. Rule 406 (``reviews``)
    counts any row; rule 392b (``statuses``) passes False and counts only a row with something in it."""
    for record in (child, last_years_record(child, context)):
        for row in record.rows("UASC") if record is not None else ():
            if blank_rows_count or filled(row, ("SEX", "DOB", "DUC")):
                return True
    return False
