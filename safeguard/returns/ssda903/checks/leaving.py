"""SSDA903 checks 700-3001: deprivation of liberty orders, care leavers, missing episodes and the later rules.

The rule codes and the conditions in the docstrings are the DfE's SSDA903 validation rules (2022-23 to
2026-27), as the DfE-community validator (data-to-insight ``csc-validator-be-903``) quotes them.

**Deprivation of liberty (700-710, from 2026-27)** read the child's ``DoLo`` table: one row per order that
deprives the child of their liberty (DoLO), with ``DOLO_START`` and ``DOLO_END`` (blank while the order is in
force).

**Care leaver information** is the OC3 table's ``IN_TOUCH``, ``ACTIV`` and ``ACCOM``. The rules that say it
"should not be completed" look at OC3 rows with at least one of the three given.

Not checked, for want of data Safeguard does not have: **1008** (a URN must be on Ofsted's register of
providers) and **1015** (a placement the council provides itself must be in the council's own area, which
needs a postcode directory to find the LA of ``PL_POST``).
"""

import datetime
from itertools import pairwise

from safeguard.lookedafter.rules import ADOPTED, DIED, SHORT_BREAKS
from safeguard.returns.cin_census.checks.common import day_text as _day
from safeguard.returns.rules import Hit, check
from safeguard.returns.ssda903.checks.common import (
    COLLECTION,
    OC3_ITEMS,
    age_on,
    birthday,
    care_leaver_rows,
    care_starts,
    date_of_birth,
    dated_episodes,
    in_order,
    last_years_record,
    open_between,
    open_in_year,
    placement_text,
)

DOLO = "DoLo"  # the table of deprivation of liberty orders (2026-27)

# Codes with a meaning of their own in these rules (selections from the code sets, not code lists).
ANOTHER_LA = "E3"  # reason_episode_ceased: care taken over by another local authority
FORMER_FOSTER_CARERS = "Z"  # care_leaver_accommodation: with former foster carers (Z1 or Z2)
DOLO_EXPECTED_PLACEMENTS = frozenset({"K2", "Z12", "Z13"})  # rule 709
DOLO_BARRED_PLACEMENTS = frozenset({"K1", "P1", "R5", "K3"})  # rule 710: secure, parents, YOI, supported
# Tables that should be empty for a child with no episodes in the year (rule 1012).
ONLY_WITH_EPISODES = ("PlacedAdoption", "Missing", "Reviews", "AD1", "PrevPerm", "OC2")


# Small helpers -------------------------------------------------------------------------------------------


def _birthday_in_year(born: datetime.date, context) -> tuple[int, datetime.date]:
    """The birthday that falls in the collection year: ``(age reached, date)``."""
    age = age_on(born, context.year.end)
    return age, birthday(born, age)


def _aged_17_or_18(child, context) -> tuple[int, datetime.date] | None:
    """``(age, birthday)`` of the year's birthday when it was the 17th or 18th; otherwise None."""
    born = date_of_birth(child)
    if born is None:
        return None
    age, day = _birthday_in_year(born, context)
    return (age, day) if age in (17, 18) else None


def _final_episode(child):
    """The child's last episode (by its start), or None; also None for no child (not in last year's return)."""
    dated = dated_episodes(child) if child is not None else []
    return dated[-1] if dated else None


def _previous_episodes(child, context):
    previous = last_years_record(child, context)
    return previous.rows("Episodes") if previous else []


def _dolo_dates(row) -> tuple[datetime.date | None, datetime.date | None]:
    return row.date("DOLO_START"), row.date("DOLO_END")


def _placements_during(child, start, end):
    """The child's episodes that overlap a DoLO with both dates."""
    return [episode for episode in dated_episodes(child) if open_between(episode, start, end)]


def _placement_text(episodes) -> str:
    return "; ".join(placement_text(episode) for episode in episodes)


# Deprivation of liberty (2026-27) ---------------------------------------------------------------------


@check(COLLECTION, "700", fields=("DOLO_START",))
def dolo_start_not_a_date(child, context):
    """Rule 700: each DoLO's start date must be present and a valid date."""
    for row in child.rows(DOLO):
        if row.date("DOLO_START") is None:
            yield row


@check(COLLECTION, "701", fields=("DOLO_END",))
def dolo_end_not_a_date(child, context):
    """Rule 701: a DoLO's end date, where given, must be a valid date."""
    for row in child.rows(DOLO):
        if row.has_invalid_date("DOLO_END"):
            yield row


@check(COLLECTION, "702", fields=("DOLO_START", "DOLO_END"))
def dolo_ends_before_it_starts(child, context):
    """Rule 702: a DoLO cannot end before it started. (The DfE's wording says "before"; the validator also
    rejects an order that ends the day it starts: Safeguard follows the wording.)"""
    for row in child.rows(DOLO):
        start, end = _dolo_dates(row)
        if start and end and end < start:
            yield Hit(row, detail=f"Started {_day(start)}, ended {_day(end)}")


@check(COLLECTION, "703", fields=("DOLO_START",))
def dolo_starts_after_the_year(child, context):
    """Rule 703: a DoLO cannot start after the end of the collection year."""
    for row in child.rows(DOLO):
        start = row.date("DOLO_START")
        if start and start > context.year.end:
            yield Hit(row, detail=f"Started {_day(start)}, after {_day(context.year.end)}")


@check(COLLECTION, "704", fields=("DOLO_END",))
def dolo_ends_outside_the_year(child, context):
    """Rule 704: a DoLO's end date, where given, must fall within the collection year."""
    for row in child.rows(DOLO):
        end = row.date("DOLO_END")
        if end and not context.year.contains(end):
            yield Hit(row, detail=f"Ended {_day(end)}, outside {context.year}")


@check(COLLECTION, "705", fields=("DOLO_START", "DOLO_END"))
def dolo_starts_while_another_is_open(child, context):
    """Rule 705: a DoLO cannot start while the one before it is still open: the earlier order must have an
    end date on or before the later one's start."""
    orders = in_order(child.rows(DOLO), "DOLO_START")
    for earlier, later in pairwise(orders):
        earlier_end, later_start = earlier.date("DOLO_END"), later.date("DOLO_START")
        if earlier.is_blank("DOLO_END"):
            detail = f"The DoLO from {_day(earlier.date('DOLO_START'))} has no end date"
        elif earlier_end and later_start < earlier_end:
            detail = f"The DoLO from {_day(earlier.date('DOLO_START'))} was open until {_day(earlier_end)}"
        else:
            continue
        yield Hit(later, detail=f"Starts {_day(later_start)}. {detail}")


@check(COLLECTION, "706", fields=("DOLO_START",))
def dolo_open_last_year_missing(child, context):
    """Rule 706: a DoLO open at the end of last year's return must be in this year's return, with the same
    start date. Not checked when last year's return is not available."""
    previous = last_years_record(child, context)
    if previous is None:
        return
    starts_this_year = {row.date("DOLO_START") for row in child.rows(DOLO)}
    for row in previous.rows(DOLO):
        start = row.date("DOLO_START")
        if start and row.is_blank("DOLO_END") and start not in starts_this_year:
            yield Hit(child, detail=f"The DoLO from {_day(start)} was open at the end of last year")


@check(COLLECTION, "707", fields=("DOLO_END",))
def dolo_open_after_care_ended(child, context):
    """Rule 707: when the child has ceased to be looked after (their final episode has an end date), no DoLO
    can be left without an end date. (The validator tests each order against each period of care; Safeguard
    follows the DfE's wording.)"""
    final = _final_episode(child)
    if final is None or final.date("DEC") is None:
        return
    for row in child.rows(DOLO):
        if row.date("DOLO_START") and row.is_blank("DOLO_END"):
            yield Hit(row, detail=f"Ceased to be looked after on {_day(final.date('DEC'))}")


@check(COLLECTION, "708", fields=("DOLO_START", "DOLO_END"))
def dolo_before_birth(child, context):
    """Rule 708: a DoLO's dates cannot be before the child's date of birth. (The validator checks the start
    only, and also rejects a start on the day of birth; Safeguard follows the wording: either date, before.)"""
    born = date_of_birth(child)
    if born is None:
        return
    for row in child.rows(DOLO):
        start, end = _dolo_dates(row)
        early = [day for day in (start, end) if day and day < born]
        if early:
            yield Hit(row, detail=f"{_day(early[0])} is before the date of birth, {_day(born)}")


@check(COLLECTION, "709", fields=("DOLO_START", "PLACE"))
def dolo_in_unexpected_placement(child, context):
    """Rule 709: while a DoLO (with both dates) is in force, the child is expected to be placed in a
    children's home (K2) or an other placement Z12 or Z13; any other overlapping placement fails. An open
    episode overlaps from its start."""
    for row in child.rows(DOLO):
        start, end = _dolo_dates(row)
        if start and end:
            unexpected = [
                episode
                for episode in _placements_during(child, start, end)
                if episode["PLACE"] not in DOLO_EXPECTED_PLACEMENTS
            ]
            if unexpected:
                yield Hit(row, detail=_placement_text(unexpected))


@check(COLLECTION, "710", fields=("DOLO_START", "PLACE"))
def dolo_in_barred_placement(child, context):
    """Rule 710: while a DoLO (with both dates) is in force, the child cannot be placed in a secure children's
    home (K1), with parents (P1), in a young offender institution (R5) or in supported accommodation (K3)."""
    for row in child.rows(DOLO):
        start, end = _dolo_dates(row)
        if start and end:
            barred = [
                episode
                for episode in _placements_during(child, start, end)
                if episode["PLACE"] in DOLO_BARRED_PLACEMENTS
            ]
            if barred:
                yield Hit(row, detail=_placement_text(barred))


# Care leavers --------------------------------------------------------------------------------------------


@check(COLLECTION, "1000", fields=OC3_ITEMS)
def care_leaver_died_in_care(child, context):
    """Rule 1000: a child who died in care (an episode this year, or in last year's return when it is
    available, ended with REC E2) cannot have care leaver information."""
    episodes = child.rows("Episodes") + _previous_episodes(child, context)
    died = next((episode for episode in episodes if episode["REC"] == DIED), None)
    if died:
        for row in care_leaver_rows(child):
            yield Hit(row, detail=f"Died in care: episode ended {_day(died.date('DEC'))}")


@check(COLLECTION, "1001", fields=OC3_ITEMS)
def care_leaver_not_relevant(child, context):
    """Rule 1001: care leaver information is for relevant and former relevant children: looked after for at
    least 13 weeks (91 days) since their 14th birthday, some of it after their 16th, and not adopted.

    Only this year's and last year's episodes can be seen, so this is checked only when last year's return is
    available, and not for young people aged 20 or over at the year's end (whose care was mostly earlier).
    Short breaks (V3, V4) do not count; an open episode runs to the next one's start or the year's end."""
    born = date_of_birth(child)
    rows = care_leaver_rows(child)
    if not context.has_previous or born is None or not rows or age_on(born, context.year.end) >= 20:
        return
    previous = last_years_record(child, context)
    by_start = {row.date("DECOM"): row for row in (dated_episodes(previous) if previous else [])}
    by_start.update({row.date("DECOM"): row for row in dated_episodes(child)})  # this year's wins
    episodes = [by_start[start] for start in sorted(by_start)]
    fourteenth, sixteenth = birthday(born, 14), birthday(born, 16)
    since_14 = since_16 = 0
    for index, episode in enumerate(episodes):
        if episode["LS"] in SHORT_BREAKS:
            continue
        following = episodes[index + 1].date("DECOM") if index + 1 < len(episodes) else context.year.end
        start, end = episode.date("DECOM"), episode.date("DEC") or following
        since_14 += max(0, (end - max(start, fourteenth)).days)
        since_16 += max(0, (end - max(start, sixteenth)).days)
    if episodes and episodes[-1]["REC"] in ADOPTED:
        detail = "The final episode ended in adoption"
    elif since_14 < 91 or since_16 < 1:
        detail = f"Looked after {since_14} days since the 14th birthday, {since_16} since the 16th"
    else:
        return
    for row in rows:
        yield Hit(row, detail=detail)


@check(COLLECTION, "1002", fields=OC3_ITEMS)
def care_leaver_never_looked_after(child, context):
    """Rule 1002: a child with no episodes of care (this year or in last year's return) cannot have care
    leaver information. Not checked when last year's return is not available."""
    if context.has_previous and not child.rows("Episodes") and not _previous_episodes(child, context):
        yield from care_leaver_rows(child)


@check(COLLECTION, "1007", fields=OC3_ITEMS)
def care_leaver_still_looked_after(child, context):
    """Rule 1007: a young person whose 17th or 18th birthday falls in the year and who is still looked after
    (their final episode has no end date) should not have care leaver information. (The validator instead
    tests for an episode that ended after the birthday, which rule 1016 covers; Safeguard follows the DfE's
    rule text.)"""
    aged = _aged_17_or_18(child, context)
    final = _final_episode(child)
    if aged and final is not None and final.is_blank("DEC"):
        for row in care_leaver_rows(child):
            yield Hit(row, detail=f"Still looked after; {aged[0]} on {_day(aged[1])}")


@check(COLLECTION, "1016", fields=OC3_ITEMS)
def care_leaver_left_after_birthday(child, context):
    """Rule 1016 (from 2023-24): a young person whose 17th or 18th birthday falls in the year and who ceased
    to be looked after (their final episode ended) after that birthday should not have care leaver
    information. (The validator compares
    with the 17th birthday even for an 18-year-old; Safeguard uses the birthday in the year.)"""
    aged = _aged_17_or_18(child, context)
    if aged is None:
        return
    age, day = aged
    final = _final_episode(child)
    ceased = final.date("DEC") if final is not None else None
    if ceased and ceased > day:
        for row in care_leaver_rows(child):
            yield Hit(row, detail=f"Ceased to be looked after on {_day(ceased)}; {age} on {_day(day)}")


@check(COLLECTION, "1010", fields=OC3_ITEMS)
def care_leaver_missing_episodes(child, context):
    """Rule 1010: a child whose final episode in last year's return was still open must have episodes this
    year, not just care leaver information. Not checked when last year's return is not available."""
    if not context.has_previous or child.rows("Episodes"):
        return
    final = _final_episode(last_years_record(child, context))
    if final is not None and final.is_blank("DEC"):
        for row in care_leaver_rows(child):
            yield Hit(
                row, detail=f"An episode from {_day(final.date('DECOM'))} was open at the end of last year"
            )


@check(COLLECTION, "1011", fields=OC3_ITEMS)
def care_leaver_transferred(child, context):
    """Rule 1011: a child whose final episode ended with their care taken over by another local authority
    (REC E3) cannot have care leaver information."""
    final = _final_episode(child)
    if final is not None and final["REC"] == ANOTHER_LA:
        yield from care_leaver_rows(child)


@check(COLLECTION, "1012", fields=("CHILD",))
def data_without_episodes(child, context):
    """Rule 1012: a child with no episodes in the year (in the return only for care leaver information)
    cannot have rows in the other tables of looked-after children: adoption, missing, reviews, previous
    permanence or the OC2 outcomes."""
    if child.rows("Episodes"):
        return
    for table in ONLY_WITH_EPISODES:
        for row in child.rows(table):
            yield Hit(row, detail=f"{table} row for a child with no episodes")


@check(COLLECTION, "1014", fields=("DUC", *OC3_ITEMS))
def care_leaver_with_uasc(child, context):
    """Rule 1014: a care leaver (care leaver information, and no episode open at any time in the year) should
    not have UASC information (a date the child ceased to be an unaccompanied asylum-seeking child). (The
    validator also flags a UASC row with DUC blank, which holds no information; Safeguard does not.)"""
    in_care = any(open_in_year(episode, context.year) for episode in child.rows("Episodes"))
    if in_care or not care_leaver_rows(child):
        return
    for row in child.rows("UASC"):
        if not row.is_blank("DUC"):
            yield row


@check(COLLECTION, "3001", fields=("ACCOM",))
def care_leaver_17_with_former_foster_carers(child, context):
    """Rule 3001: care leaver information for a young person whose 17th birthday falls in the year cannot
    give their accommodation as with former foster carers (ACCOM Z1 or Z2): at 17 they would still be looked
    after there."""
    born = date_of_birth(child)
    if born is None or not context.year.contains(birthday(born, 17)):
        return
    for row in child.rows("OC3"):
        if row["ACCOM"].upper() in {FORMER_FOSTER_CARERS + "1", FORMER_FOSTER_CARERS + "2"}:
            yield row


# Missing episodes, adoption and placements ---------------------------------------------------------------


@check(COLLECTION, "1003", fields=("DATE_PLACED", "DECOM", "RNE"))
def adoption_decision_before_care(child, context):
    """Rule 1003: the date of the decision that the child should be placed for adoption cannot be before the
    child started to be looked after (the first episode of the year with RNE S)."""
    starts = care_starts(child)
    if not starts:
        return
    began = starts[0]
    for row in child.rows("PlacedAdoption"):
        decided = row.date("DATE_PLACED")
        if decided and decided < began:
            yield Hit(row, detail=f"Decided {_day(decided)}; started to be looked after {_day(began)}")


@check(COLLECTION, "1004", fields=("MIS_START",))
def missing_start_not_a_date(child, context):
    """Rule 1004: each missing or away-from-placement episode's start date must be present and valid."""
    for row in child.rows("Missing"):
        if row.date("MIS_START") is None:
            yield row


@check(COLLECTION, "1005", fields=("MIS_END",))
def missing_end_not_a_date(child, context):
    """Rule 1005: a missing or away-from-placement episode's end date, where given, must be a valid date."""
    for row in child.rows("Missing"):
        if row.has_invalid_date("MIS_END"):
            yield row


@check(COLLECTION, "1006", fields=("MISSING",))
def missing_kind_not_valid(child, context):
    """Rule 1006: the missing type, where given, must be M (missing) or A (away without authorisation)."""
    kinds = context.codes("missing_kind")
    for row in child.rows("Missing"):
        if not row.is_blank("MISSING") and row["MISSING"] not in kinds:
            yield row


@check(COLLECTION, "1009", fields=("REASON_PLACE_CHANGE",))
def reason_place_change_not_valid(child, context):
    """Rule 1009: the reason for a placement change, where given, must be a valid code."""
    reasons = context.codes("reason_place_change")
    for episode in child.rows("Episodes"):
        if not episode.is_blank("REASON_PLACE_CHANGE") and episode["REASON_PLACE_CHANGE"] not in reasons:
            yield episode
