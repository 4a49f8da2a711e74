"""SSDA903 checks of the return's integrity (INT, EPI, NoE) and of social worker episodes (SW).

The rule codes and messages are the DfE's (``data/rules.csv``); the conditions follow the DfE-community
validator (data-to-insight ``csc-validator-be-903``), whose files quote the DfE's logic, except where a
docstring says otherwise.

- **INT** rules are the DfE portal's *internal* checks: every table's rows for a child must meet a Header row
  for that child, agree with it on date of birth (and sex), and the one-row-per-child tables must hold one
  row per child. They compare tables of this year's return with one another, not with last year's.
- **EPI** warns of a child with a header but nothing to validate; **NoE** compares with last year's return.
- **SW** rules check the social worker episodes (``SW_Episodes``), returned from 2023-24 for children looked
  after on 31 March. The social worker data covers the collection year and, from 2024-25, the year before
  (the episodes open at last year's end carry over, SW16a-c).
"""

import datetime
import re

from safeguard.lookedafter.rules import SHORT_BREAKS
from safeguard.returns.cin_census.checks.common import day_text as _day
from safeguard.returns.rules import Hit, check
from safeguard.returns.ssda903.checks.common import (
    COLLECTION,
    date_of_birth,
    in_order,
    last_years_record,
    unfilled,
)
from safeguard.returns.ssda903.model import parse_date

SW_DATA_START = datetime.date(2023, 4, 1)  # social worker episodes are collected from 1 April 2023 (2023-24)
SW_PREVIOUS_YEAR_FROM = 2025  # from 2024-25 the social worker reporting period reaches back a year
SW_REASON_OPTIONAL_BEFORE_FROM = 2025  # from 2024-25 SW_REASON may be blank for episodes begun before 2023-24
# From 2024-25 a blank reason is SW15's, and SW13 asks only about a reason that is not on the list.
SW_BLANK_REASON_IS_SW15_FROM = 2025
FIRST_CONTACT_EXEMPT_FROM = 2025  # from 2024-25 SW10 does not ask a first contact to follow on
MASKED_DATES_UNTIL = 2025  # to 2024-25, "ZZ" stands for an unknown day, month or year of a social worker date
SW_ID_LENGTH_FROM = 2026  # from 2025-26 a social worker ID must also have something after its two letters
FIRST_CONTACT = "FCONTA"  # SW_REASON: first contact or re-referral (the child had no social worker before)
SW_ID_PREFIXES = ("SW", "XX")
SW_ID_MIN_LENGTH = 4
SW_CONTINUITY_DAYS = 7  # SW10: a new social worker starts within 7 days either side of the last one's end
SW_HANDOVER_DAYS = 5  # SW11a/b: an episode ending within 5 days of 31 March need not be followed in time
MASKED_DATE = re.compile(r"(\d{2}|ZZ)/(\d{2}|ZZ)/(\d{4}|ZZZZ)")


# Small helpers -------------------------------------------------------------------------------------------


def _sw_episodes(child) -> list:
    return child.rows("SW_Episodes")


def _looked_after_on_31_march(child) -> bool:
    """An episode still open at the year's end (no DEC), other than a short break (V3, V4): the validator's
    ``CLA_AT_31_MARCH``."""
    return any(row.is_blank("DEC") and row["LS"] not in SHORT_BREAKS for row in child.rows("Episodes"))


def _sw_reporting_start(context) -> datetime.date:
    """The first day of the social worker reporting period: the year's start, and a year earlier from
    2024-25."""
    start = context.year.start
    if context.year.end_year >= SW_PREVIOUS_YEAR_FROM:
        return start.replace(year=start.year - 1)
    return start


def _is_valid_sw_date(text: str, context) -> bool:
    """A ``dd/mm/YYYY`` date; to 2024-25 the validator also takes a date with ``ZZ`` for an unknown part
    (``ZZ/ZZ/ZZZZ``, ``01/ZZ/2020``)."""
    if parse_date(text):
        return True
    masked = MASKED_DATE.fullmatch(text) if context.year.end_year <= MASKED_DATES_UNTIL else None
    if not masked:
        return False
    day, month, year = (None if "Z" in part else int(part) for part in masked.groups())
    try:
        datetime.date(year or 2000, month or 1, day or 1)
    except ValueError:
        return False
    return True


# Internal checks: each table against the Header ------------------------------------------------------------


def _without_header(table: str):
    def rows_without_header(child, context):
        if not child.rows("Header"):
            yield from child.rows(table)

    return rows_without_header


def _register_without_header(code: str, table: str) -> None:
    function = _without_header(table)
    function.__name__ = f"child_in_{table.lower()}_not_in_header"
    function.__doc__ = f"Rule {code}: a child with a row in {table} must have a row in the Header."
    check(COLLECTION, code, fields=("CHILD",))(function)


for _code, _table in (
    ("INT01", "AD1"),
    ("INT02", "PlacedAdoption"),
    ("INT03", "Episodes"),
    ("INT04", "Missing"),
    ("INT05", "OC2"),
    ("INT06", "OC3"),
    ("INT07", "PrevPerm"),
    ("INT08", "Reviews"),
    ("INT09", "UASC"),
):
    _register_without_header(_code, _table)


def _other_dob(table: str):
    def dob_differs_from_header(child, context):
        header_dob = date_of_birth(child)
        if header_dob is None:
            return
        for row in child.rows(table):
            dob = row.date("DOB")
            if dob and dob != header_dob:
                yield Hit(row, detail=f"{table} has {_day(dob)}; the Header has {_day(header_dob)}")

    return dob_differs_from_header


def _register_other_dob(code: str, table: str) -> None:
    function = _other_dob(table)
    function.__name__ = f"dob_in_{table.lower()}_differs_from_header"
    function.__doc__ = f"Rule {code}: a child's DOB in {table}, where valid, must be the DOB in the Header."
    check(COLLECTION, code, fields=("DOB",))(function)


for _code, _table in (
    ("INT11", "AD1"),
    ("INT12", "PlacedAdoption"),
    ("INT13", "Missing"),
    ("INT14", "OC2"),
    ("INT15", "OC3"),
    ("INT16", "PrevPerm"),
    ("INT17", "Reviews"),
    ("INT18", "UASC"),
):
    _register_other_dob(_code, _table)


@check(COLLECTION, "INT21", fields=("SEX",))
def uasc_sex_differs_from_header(child, context):
    """Rule INT21: a child's SEX in UASC, where given, must be the SEX in the Header."""
    header = child.header
    if header is None or header.is_blank("SEX"):
        return
    for row in child.rows("UASC"):
        if not row.is_blank("SEX") and row["SEX"] != header["SEX"]:
            yield Hit(row, detail=f"UASC has {row['SEX']}; the Header has {header['SEX']}")


def _once_only(table: str):
    def child_more_than_once(child, context):
        rows = child.rows(table)
        if len(rows) > 1:
            yield Hit(rows[1], detail=f"{len(rows)} rows in {table} for this child")

    return child_more_than_once


def _register_once_only(code: str, table: str) -> None:
    function = _once_only(table)
    function.__name__ = f"child_more_than_once_in_{table.lower()}"
    function.__doc__ = f"Rule {code}: a child must have no more than one row in {table}."
    check(COLLECTION, code, fields=("CHILD",))(function)


for _code, _table in (
    ("INT31", "AD1"),
    ("INT32", "Header"),
    ("INT33", "OC2"),
    ("INT34", "OC3"),
    ("INT35", "PrevPerm"),
    ("INT36", "UASC"),
):
    _register_once_only(_code, _table)


# Episodes loaded ---------------------------------------------------------------------------------------


@check(COLLECTION, "EPI", fields=("CHILD",))
def no_episodes_loaded(child, context):
    """Rule EPI: a child in the Header needs episodes (or, for a care leaver, an OC3 row) to be validated."""
    header = child.header
    if header is not None and not child.rows("Episodes") and not child.rows("OC3"):
        yield header


@check(COLLECTION, "NoE", fields=("DECOM",))
def no_episodes_last_year(child, context):
    """Rule NoE: an episode that began before this year needs the child's episodes in last year's return
    (nothing is checked when last year's return is not given)."""
    if not context.has_previous:
        return
    last_year = last_years_record(child, context)
    if last_year is not None and last_year.rows("Episodes"):
        return
    for row in child.rows("Episodes"):
        started = row.date("DECOM")
        if started and started < context.year.start:
            yield Hit(
                row, detail=f"Started on {_day(started)}; last year's return has no episodes for this child"
            )


# Social worker episodes: each episode's items ----------------------------------------------------------


@check(COLLECTION, "SW01STG1", fields=("SW_ID", "SW_DECOM", "SW_REASON"))
def no_social_worker_episode(child, context):
    """Rule SW01STG1: a child looked after on 31 March must have social worker episodes giving, at least
    once each, a social worker ID, a start date and (to 2023-24) a reason for the change."""
    if not _looked_after_on_31_march(child):
        return
    items = ("SW_ID", "SW_DECOM")
    if context.year.end_year < SW_REASON_OPTIONAL_BEFORE_FROM:
        items += ("SW_REASON",)
    rows = _sw_episodes(child)
    if not rows:
        yield Hit(child, fields=items, detail="No social worker episodes")
        return
    missing = tuple(item for item in items if all(row.is_blank(item) for row in rows))
    if missing:
        yield Hit(child, fields=missing, detail="No social worker episode gives " + ", ".join(missing))


@check(COLLECTION, "SW01aSTG1", fields=("SW_ID",))
def incomplete_episode_begun_before_data(child, context):
    """Rule SW01aSTG1: a social worker episode that began before 1 April 2023 must give the social worker's
    ID (its reason may be blank)."""
    for row in _sw_episodes(child):
        started = row.date("SW_DECOM")
        if started and started < SW_DATA_START and row.is_blank("SW_ID"):
            yield Hit(row, fields=("SW_ID",))


@check(COLLECTION, "SW01bSTG1", fields=("SW_DECOM", "SW_ID", "SW_REASON"))
def incomplete_episode(child, context):
    """Rule SW01bSTG1: a social worker episode must give its start date and, when it began on or after
    1 April 2023, the social worker's ID and the reason for the change."""
    for row in _sw_episodes(child):
        if row.is_blank("SW_DECOM"):
            yield Hit(row, fields=("SW_DECOM",))
            continue
        started = row.date("SW_DECOM")
        if started and started >= SW_DATA_START and (missing := unfilled(row, ("SW_ID", "SW_REASON"))):
            yield Hit(row, fields=missing)


@check(COLLECTION, "SW02STG1", fields=("SW_ID",))
def social_worker_id_format(child, context):
    """Rule SW02STG1: a social worker ID, where given, begins with ``SW`` or ``XX`` (from 2025-26, followed
    by at least two more characters)."""
    long_enough = SW_ID_MIN_LENGTH if context.year.end_year >= SW_ID_LENGTH_FROM else 0
    for row in _sw_episodes(child):
        sw_id = row["SW_ID"]
        if sw_id and (not sw_id.startswith(SW_ID_PREFIXES) or len(sw_id) < long_enough):
            yield row


@check(COLLECTION, "SW03STG1", fields=("SW_ID", "SW_DECOM", "SW_REASON"))
def social_worker_episode_incomplete(child, context):
    """Rule SW03STG1: each social worker episode gives the social worker's ID, its start date and the reason
    for the change (from 2024-25, as SW01aSTG1 allows, the reason may be blank for an episode begun before
    1 April 2023)."""
    for row in _sw_episodes(child):
        items = ("SW_ID", "SW_DECOM", "SW_REASON")
        started = row.date("SW_DECOM")
        if context.year.end_year >= SW_REASON_OPTIONAL_BEFORE_FROM and started and started < SW_DATA_START:
            items = ("SW_ID", "SW_DECOM")
        if missing := unfilled(row, items):
            yield Hit(row, fields=missing)


@check(COLLECTION, "SW04STG1", fields=("SW_DECOM",))
def social_worker_start_not_a_date(child, context):
    """Rule SW04STG1: the date a social worker episode began, where given, is a valid date (to 2024-25 a
    ``ZZ`` may stand for an unknown part)."""
    for row in _sw_episodes(child):
        if not row.is_blank("SW_DECOM") and not _is_valid_sw_date(row["SW_DECOM"], context):
            yield row


@check(COLLECTION, "SW05STG1", fields=("SW_DEC",))
def social_worker_end_not_a_date(child, context):
    """Rule SW05STG1: the date a social worker episode ended, where given, is a valid date (to 2024-25 a
    ``ZZ`` may stand for an unknown part). The DfE's message says "began"; the rule is about SW_DEC. Blank
    is allowed: it is the open episode (the validator's 2025-26 version also rejects a blank, which would
    contradict SW17STG2)."""
    for row in _sw_episodes(child):
        if not row.is_blank("SW_DEC") and not _is_valid_sw_date(row["SW_DEC"], context):
            yield row


@check(COLLECTION, "SW13STG1", fields=("SW_REASON",))
def social_worker_reason_not_valid(child, context):
    """Rule SW13STG1: the reason for a change of social worker is on the DfE's list (to 2023-24 it must also
    be given; from 2024-25 a missing reason is SW15STG2's)."""
    valid = context.codes("social_worker_change")
    blank_allowed = context.year.end_year >= SW_BLANK_REASON_IS_SW15_FROM
    for row in _sw_episodes(child):
        reason = row["SW_REASON"]
        if (reason or not blank_allowed) and reason not in valid:
            yield Hit(row, detail=f"{reason} is not a reason on the list" if reason else "No reason given")


@check(COLLECTION, "SW15STG2", fields=("SW_REASON",))
def social_worker_reason_missing(child, context):
    """Rule SW15STG2: a social worker episode that began in the social worker reporting period (from the
    year before this one) gives the reason for the change."""
    start = _sw_reporting_start(context)
    for row in _sw_episodes(child):
        started = row.date("SW_DECOM")
        if row.is_blank("SW_REASON") and not (started and started < start):
            yield row


# Social worker episodes: dates and order ---------------------------------------------------------------


@check(COLLECTION, "SW06STG2", fields=("SW_DECOM",))
def social_worker_start_after_year(child, context):
    """Rule SW06STG2: a social worker episode begins on or before the collection year's last day."""
    for row in _sw_episodes(child):
        started = row.date("SW_DECOM")
        if started and started > context.year.end:
            yield Hit(row, detail=f"Began on {_day(started)}, after {_day(context.year.end)}")


@check(COLLECTION, "SW07STG2", fields=("SW_DEC",))
def social_worker_end_outside_period(child, context):
    """Rule SW07STG2: a social worker episode ends within the social worker reporting period: from the
    year's start (from 2024-25, the start of the year before) to the year's last day."""
    start = _sw_reporting_start(context)
    for row in _sw_episodes(child):
        ended = row.date("SW_DEC")
        if ended and not start <= ended <= context.year.end:
            yield Hit(
                row, detail=f"Ended on {_day(ended)}, outside {_day(start)} to {_day(context.year.end)}"
            )


@check(COLLECTION, "SW08STG2", fields=("SW_DEC",))
def social_worker_episode_not_ended(child, context):
    """Rule SW08STG2: a social worker episode followed by a later one must have ended (SW_DEC given)."""
    ordered = in_order(_sw_episodes(child), "SW_DECOM")
    for row, following in zip(ordered, ordered[1:], strict=False):
        if row.is_blank("SW_DEC"):
            yield Hit(
                row, detail=f"The next social worker episode began on {_day(following.date('SW_DECOM'))}"
            )


@check(COLLECTION, "SW09STG2", fields=("SW_DECOM", "SW_DEC"))
def social_worker_episode_under_a_day(child, context):
    """Rule SW09STG2: a social worker episode must not end on the day it began (less than 24 hours). The
    validator's 2025-26 version asks for 3 days; the DfE's wording is still 24 hours, which is followed."""
    for row in _sw_episodes(child):
        started, ended = row.date("SW_DECOM"), row.date("SW_DEC")
        if started and started == ended:
            yield row


@check(COLLECTION, "SW10STG2", fields=("SW_DECOM",))
def social_worker_episodes_not_continuous(child, context):
    """Rule SW10STG2: a social worker episode begins within 7 days either side of the end of the one before
    (the DfE's condition, "SW_DECOM = SW_DEC of the previous episode +/- 7 days", which also catches a gap;
    from 2024-25 a first contact or re-referral, FCONTA, may begin later)."""
    exempt_first_contact = context.year.end_year >= FIRST_CONTACT_EXEMPT_FROM
    ordered = sorted(
        in_order(_sw_episodes(child), "SW_DECOM"),
        key=lambda row: (row.date("SW_DECOM"), row.date("SW_DEC") or datetime.date.max),
    )
    window = datetime.timedelta(days=SW_CONTINUITY_DAYS)
    for previous, row in zip(ordered, ordered[1:], strict=False):
        ended, started = previous.date("SW_DEC"), row.date("SW_DECOM")
        if ended is None or (exempt_first_contact and row["SW_REASON"] == FIRST_CONTACT):
            continue
        if not ended - window <= started <= ended + window:
            yield Hit(
                row,
                detail=f"Began on {_day(started)}; the episode before ended on {_day(ended)}",
            )


def _ended_before_31_march(child, context, *, within_handover: bool):
    """The child's social worker episodes that ended before 31 March, either more than 5 days before it
    (``within_handover`` false) or in the 5 days before it, each with the episode that follows it (or None)."""
    if not _looked_after_on_31_march(child):
        return
    last_day = context.year.end
    cut_off = last_day - datetime.timedelta(days=SW_HANDOVER_DAYS)
    ordered = in_order(_sw_episodes(child), "SW_DECOM")
    for position, row in enumerate(ordered):
        ended = row.date("SW_DEC")
        if ended is None or ended >= last_day or (ended > cut_off) != within_handover:
            continue
        yield row, ended, (ordered[position + 1] if position + 1 < len(ordered) else None)


@check(COLLECTION, "SW11aSTG2", fields=("SW_DEC",))
def social_worker_not_followed(child, context):
    """Rule SW11aSTG2: for a child looked after on 31 March, a social worker episode that ended more than
    5 days before 31 March is followed by another beginning within 5 days of its end. From 2024-25, as for
    SW10, a first contact or re-referral (FCONTA) that follows is a subsequent episode whenever it begins: the
    DfE's rule is that "no subsequent social worker episode has been provided", and a child whose case closed
    and who was referred again months later has one (the gap is not a missing episode)."""
    window = datetime.timedelta(days=SW_HANDOVER_DAYS)
    exempt_first_contact = context.year.end_year >= FIRST_CONTACT_EXEMPT_FROM
    for row, ended, following in _ended_before_31_march(child, context, within_handover=False):
        if following is None:
            yield Hit(row, detail=f"Ended on {_day(ended)} and no social worker episode follows")
        elif exempt_first_contact and following["SW_REASON"] == FIRST_CONTACT:
            continue
        elif not ended - window <= following.date("SW_DECOM") <= ended + window:
            yield Hit(
                row,
                detail=f"Ended on {_day(ended)}; the next began on {_day(following.date('SW_DECOM'))}",
            )


@check(COLLECTION, "SW11bSTG2", fields=("SW_DEC",))
def social_worker_not_followed_near_year_end(child, context):
    """Rule SW11bSTG2: for a child looked after on 31 March, a social worker episode that ended in the 5 days
    before 31 March is followed by another (whenever it begins)."""
    for row, ended, following in _ended_before_31_march(child, context, within_handover=True):
        if following is None:
            yield Hit(row, detail=f"Ended on {_day(ended)} and no social worker episode follows")


def _care_in_year_started(child, year_start: datetime.date) -> datetime.date | None:
    """When the earliest episode (other than a short break) still open on or after ``year_start`` began."""
    starts = [
        row.date("DECOM")
        for row in child.rows("Episodes")
        if row.date("DECOM")
        and row["LS"] not in SHORT_BREAKS
        and (row.date("DEC") is None or row.date("DEC") >= year_start)
    ]
    return min(starts, default=None)


@check(COLLECTION, "SW12STG2", fields=("SW_DECOM",))
def social_worker_year_not_covered(child, context):
    """Rule SW12STG2: for a child looked after on 31 March, the social worker episodes cover the whole year,
    also before the child was looked after: the first begins on or before 1 April, unless it is a first
    contact or re-referral (FCONTA) that begins on or before the child started to be looked after.

    The DfE's rule is "all social worker episodes for the full previous year should be reported"; this is how
    it is read here (the validator's versions are incomplete), with SW10 and SW11 checking the rest of the
    year's cover."""
    if not _looked_after_on_31_march(child):
        return
    ordered = in_order(_sw_episodes(child), "SW_DECOM")
    if not ordered:
        return  # SW01STG1
    first = ordered[0]
    started = first.date("SW_DECOM")
    year_start = context.year.start
    if started <= year_start:
        return
    looked_after_from = max(_care_in_year_started(child, year_start) or year_start, year_start)
    if started > looked_after_from:
        yield Hit(
            first,
            detail=f"The first social worker episode began on {_day(started)}; the child was looked after "
            f"from {_day(looked_after_from)}",
        )
    elif first["SW_REASON"] != FIRST_CONTACT:
        yield Hit(
            first,
            detail=f"The first social worker episode began on {_day(started)}, after {_day(year_start)}, "
            "and is not a first contact: the episodes before it are missing",
        )


@check(COLLECTION, "SW14STG2", fields=("SW_DEC",))
def social_worker_end_blank(child, context):
    """Rule SW14STG2: only a child's latest social worker episode may be left without an end date."""
    rows = _sw_episodes(child)
    ordered = in_order(rows, "SW_DECOM")
    latest = ordered[-1] if ordered else None
    for row in rows:
        if row is not latest and row.is_blank("SW_DEC"):
            yield row


@check(COLLECTION, "SW17STG2", fields=("SW_DEC",))
def no_social_worker_at_31_march(child, context):
    """Rule SW17STG2: a child looked after on 31 March has a social worker episode open at 31 March: their
    latest one has no end date."""
    if not _looked_after_on_31_march(child):
        return
    ordered = in_order(_sw_episodes(child), "SW_DECOM")
    if ordered and not ordered[-1].is_blank("SW_DEC"):
        latest = ordered[-1]
        yield Hit(latest, detail=f"The latest social worker episode ended on {latest['SW_DEC']}")


# Social worker episodes: the one open at the end of last year ------------------------------------------


def _carried_over(child, context):
    """Last year's open social worker episode for the child and this year's first, when both exist (nothing
    when last year's return is not given)."""
    if (last_year := last_years_record(child, context)) is None:
        return None
    previous = in_order(_sw_episodes(last_year), "SW_DECOM")
    if not previous or not previous[-1].is_blank("SW_DEC"):
        return None
    current = in_order(_sw_episodes(child), "SW_DECOM")
    if not current:
        return None
    return previous[-1], current[0]


@check(COLLECTION, "SW16aSTG2", fields=("SW_ID",))
def carried_over_social_worker_id(child, context):
    """Rule SW16aSTG2: the first social worker episode has the social worker ID of the episode open at the
    end of last year's return. (The DfE's message names the reason; SW16cSTG2 is the reason and the
    validator checks the ID here.)"""
    if pair := _carried_over(child, context):
        open_last_year, first = pair
        if first["SW_ID"] != open_last_year["SW_ID"]:
            yield Hit(first, detail=f"Last year's open episode has {open_last_year['SW_ID'] or 'no ID'}")


@check(COLLECTION, "SW16bSTG2", fields=("SW_DECOM",))
def carried_over_social_worker_start(child, context):
    """Rule SW16bSTG2: the first social worker episode starts on the date the episode open at the end of last
    year's return started."""
    if pair := _carried_over(child, context):
        open_last_year, first = pair
        if first.date("SW_DECOM") != open_last_year.date("SW_DECOM"):
            yield Hit(
                first, detail=f"Last year's open episode began on {_day(open_last_year.date('SW_DECOM'))}"
            )


@check(COLLECTION, "SW16cSTG2", fields=("SW_REASON",))
def carried_over_social_worker_reason(child, context):
    """Rule SW16cSTG2: the first social worker episode has the reason of the episode open at the end of last
    year's return."""
    if pair := _carried_over(child, context):
        open_last_year, first = pair
        if first["SW_REASON"] != open_last_year["SW_REASON"]:
            yield Hit(
                first, detail=f"Last year's open episode has {open_last_year['SW_REASON'] or 'no reason'}"
            )
