"""SSDA903 checks 542-635: the health and conviction items of the OC2 cohort, the decision to place a child for
adoption (PlacedAdoption), missing and away-from-placement periods (Missing), adoptions (AD1), young mothers
(Header MOTHER and MC_DOB) and previous permanence (PrevPerm).

Each check reads the DfE's rule of the same code (its condition, in plain words, is in the check's
docstring); the DfE-community validator ``data-to-insight/csc-validator-be-903`` (``lac_validator/rules``)
implements the same rules. Where its code and the DfE's wording differ, the wording wins and the docstring
says so. The codes that rules single out (placement for adoption A3-A6, adopted E11/E12, X1, short breaks
V3/V4, the parent provider PR0 with P1) are the ones ``lookedafter.rules`` checks at data entry: they are
imported from there, not written twice.

Rules that compare with last year's return say nothing when it was not given (``context.has_previous``).

Rules 543 and 545 ask about a child "looked after continuously for 12 months" at 31 March
(``common.looked_after_continuously_for_12_months``); they read only the episodes whose own dates put them in
the year, so an episode with no valid start, or one that ends before it starts, does not take a child out of
the cohort here as it does in rules 157-198.

A decision to place a child for adoption is a PlacedAdoption row; a child may have several (an earlier one
reversed, then a new one). Where a rule speaks of "the" decision, it is the latest by its date.
"""

import datetime
from collections.abc import Iterable, Iterator

from safeguard.core.years import CollectionYear
from safeguard.lookedafter.rules import (
    ADOPTED,
    CONTINUES,
    PARENT_PROVIDER,
    PLACED_FOR_ADOPTION,
    PLACEMENT_REASONS,
    SHORT_BREAKS,
    STARTED,
    WITH_PARENTS,
)
from safeguard.returns.cin_census.checks.common import day_text as _day
from safeguard.returns.cin_census.context import recognised_la_codes
from safeguard.returns.rules import Hit, check
from safeguard.returns.ssda903.checks.common import (
    AD1_ITEMS,
    COLLECTION,
    FREEING_ORDER,
    NO,
    OC2_HEALTH_ITEMS,
    PLACEMENT_ORDER,
    YES,
    birthday,
    care_leaver_rows,
    date_of_birth,
    dated_episodes,
    female_code,
    in_order,
    last_years_record,
    looked_after_continuously_for_12_months,
    same_day,
    unfilled,
)
from safeguard.returns.ssda903.model import LookedAfterChild, Row, parse_date

# From 2024-25 rule 557 looks only at placement orders (the validator's lac2024_25 rule_557).
FREEING_ORDERS_DROPPED_FROM = 2025
OTHER_REASON = "E8"  # REC "ceased for any other reason": the code for a child missing at 18 (580)

YOUNGEST_MOTHER = 11  # 620

CONVICTION_AGE = 10  # 542, 543: conviction information for children aged 10 or over
HEALTH_CHECK_UNDER = 5  # 545, 546: health promotion (development checks) for children under 5

# PrevPerm: Z1 "no previous permanence" and P4 "not known" have no order to date or place (630, 635).
NO_PREVIOUS_PERMANENCE = "Z1"
PERMANENCE_NOT_KNOWN = "P4"
PREVIOUS_PERMANENCE_FROM = datetime.date(2016, 4, 1)  # 634: collected for periods of care from 1 April 2016
# 633: LA_PERM is an English LA code (data/la_codes.csv, the DfE's list) or one of these: outside England
# (Wales, Scotland, Northern Ireland, outside the UK) or 999, which the DfE validator also accepts.
LA_PERM_OTHER = frozenset({"WAL", "SCO", "NIR", "NUK", "999"})
UNKNOWN_PART = "ZZ"  # 632: a part of DATE_PERM not known (ZZZZ for the year)


# -- helpers ------------------------------------------------------------------------------------------------


def _ceased_care(episode: Row) -> bool:
    """The episode ended the period of care: it has an end date and a reason other than X1."""
    return episode.date("DEC") is not None and episode["REC"] not in ("", CONTINUES)


def _periods_of_care(child: LookedAfterChild) -> list[tuple[datetime.date, datetime.date | None]]:
    """The child's periods of care, ``(start, end or None if open)``: episodes that follow on without a gap
    (the next starts on or before the day the last ended) make one period."""
    periods: list[tuple[datetime.date, datetime.date | None]] = []
    for episode in child.episodes:
        start = episode.date("DECOM")
        if start is None:
            continue
        end = episode.date("DEC")
        if periods and (periods[-1][1] is None or start <= periods[-1][1]):
            periods[-1] = (periods[-1][0], end)
        else:
            periods.append((start, end))
    return periods


def _in_care_on(periods, day: datetime.date) -> bool:
    return any(start <= day and (end is None or day <= end) for start, end in periods)


def _decisions(child: LookedAfterChild | None) -> list[Row]:
    return child.rows("PlacedAdoption") if child else []


def _latest_decision(child: LookedAfterChild) -> Row | None:
    """The latest decision to place for adoption by its date (the last row where none has a valid date)."""
    decisions = _decisions(child)
    dated = [row for row in decisions if row.date("DATE_PLACED")]
    if dated:
        return max(dated, key=lambda row: row.date("DATE_PLACED"))
    return decisions[-1] if decisions else None


def _is_ceased(decision: Row) -> bool:
    """The decision was reversed: the child should no longer be placed for adoption."""
    return not (decision.is_blank("DATE_PLACED_CEASED") and decision.is_blank("REASON_PLACED_CEASED"))


def _earliest_decision_day(child: LookedAfterChild) -> datetime.date | None:
    days = [row.date("DATE_PLACED") for row in _decisions(child) if row.date("DATE_PLACED")]
    return min(days) if days else None


def _overlaps(rows: Iterable[Row], start_column: str, end_column: str) -> Iterator[Row]:
    """Each row (by its start) that starts while an earlier one is open (no end) or before it ended."""
    dated = in_order(rows, start_column)
    latest_end: datetime.date | None = None
    still_open = False
    for index, row in enumerate(dated):
        if index and (still_open or row.date(start_column) < latest_end):
            yield row
        end = row.date(end_column)
        if end is None:
            still_open = True
        elif latest_end is None or end > latest_end:
            latest_end = end


# -- OC2: convictions and health promotion (542-547) --------------------------------------------------------


@check(COLLECTION, "542", fields=("CONVICTED", "DOB"))
def convicted_under_ten(child, context):
    """542: a child aged under 10 at 31 March must not have conviction information completed."""
    for row in child.rows("OC2"):
        dob = date_of_birth(child, row)
        if not row.is_blank("CONVICTED") and dob and birthday(dob, CONVICTION_AGE) > context.year.end:
            yield row


@check(COLLECTION, "543", fields=("CONVICTED", "DOB"))
def conviction_missing(child, context):
    """543: a child aged 10 or over at 31 March and looked after continuously for 12 months must have
    conviction information completed. (The validator leaves out a child whose 10th birthday is 31 March; aged
    10 on their birthday, they are in.)"""
    if not looked_after_continuously_for_12_months(child, context.year, only_episodes_open_in_year=True):
        return
    for row in child.rows("OC2"):
        dob = date_of_birth(child, row)
        if row.is_blank("CONVICTED") and dob and birthday(dob, CONVICTION_AGE) <= context.year.end:
            yield row


@check(COLLECTION, "544", fields=("CONVICTED", *OC2_HEALTH_ITEMS))
def conviction_without_health_items(child, context):
    """544: a child with conviction information completed must have immunisations, teeth check, health
    assessment and substance misuse completed. (The validator asks this only of a child convicted, 1; the
    rule says any child with the item completed, 0 or 1.)"""
    for row in child.rows("OC2"):
        missing = unfilled(row, OC2_HEALTH_ITEMS)
        if not row.is_blank("CONVICTED") and missing:
            yield Hit(row, fields=("CONVICTED", *missing))


@check(COLLECTION, "545", fields=("HEALTH_CHECK", "DOB"))
def health_check_missing(child, context):
    """545: a child aged under 5 at 31 March and looked after continuously for 12 months must have health
    promotion information (HEALTH_CHECK) completed."""
    if not looked_after_continuously_for_12_months(child, context.year, only_episodes_open_in_year=True):
        return
    for row in child.rows("OC2"):
        dob = date_of_birth(child, row)
        if row.is_blank("HEALTH_CHECK") and dob and birthday(dob, HEALTH_CHECK_UNDER) > context.year.end:
            yield row


@check(COLLECTION, "546", fields=("HEALTH_CHECK", "DOB"))
def health_check_aged_five(child, context):
    """546: a child aged 5 or over at 31 March must not have health promotion information completed. (The
    validator asks it only of children looked after for the 12 months; the rule asks it of every child.)"""
    for row in child.rows("OC2"):
        dob = date_of_birth(child, row)
        if not row.is_blank("HEALTH_CHECK") and dob and birthday(dob, HEALTH_CHECK_UNDER) <= context.year.end:
            yield row


@check(COLLECTION, "547", fields=("HEALTH_CHECK", *OC2_HEALTH_ITEMS))
def health_check_without_health_items(child, context):
    """547: a child with health promotion information completed must have immunisations, teeth check, health
    assessment and substance misuse completed. (As 544: any value, not only 1 as the validator has it.)"""
    for row in child.rows("OC2"):
        missing = unfilled(row, OC2_HEALTH_ITEMS)
        if not row.is_blank("HEALTH_CHECK") and missing:
            yield Hit(row, fields=("HEALTH_CHECK", *missing))


# -- episodes and the decision to place for adoption (550-563, 579, 583, 584) -------------------------------


@check(COLLECTION, "550", fields=("PLACE_PROVIDER", "PLACE"))
def parent_provider_not_with_parents(child, context):
    """550: the placement provider PR0 (a parent or other person with parental responsibility) goes only with
    placement P1 (placed with parents)."""
    for episode in child.episodes:
        if episode["PLACE_PROVIDER"] == PARENT_PROVIDER and episode["PLACE"] != WITH_PARENTS:
            yield episode


@check(COLLECTION, "551", fields=("DATE_PLACED", "PLACE"))
def placed_without_decision(child, context):
    """551: a child placed for adoption (A3-A6) must have a date of the decision that they should be placed
    for adoption."""
    if any(not row.is_blank("DATE_PLACED") for row in _decisions(child)):
        return
    for episode in child.episodes:
        if episode["PLACE"] in PLACED_FOR_ADOPTION:
            yield episode


@check(COLLECTION, "552", fields=("DATE_PLACED", "DECOM"))
def placed_before_decision(child, context):
    """552: the decision to place a child for adoption must be on or before the day they were first placed for
    adoption. (The validator compares the latest decision, which flags a new decision after a reversed one;
    the earliest decision is compared here.)"""
    placements = [
        episode
        for episode in child.episodes
        if episode["PLACE"] in PLACED_FOR_ADOPTION and episode.date("DECOM")
    ]
    decided = _earliest_decision_day(child)
    if placements and decided and decided > placements[0].date("DECOM"):
        placed = placements[0].date("DECOM")
        yield Hit(placements[0], detail=f"placed for adoption {_day(placed)}, decision {_day(decided)}")


def _order_without_decision(child, legal_status: str) -> Iterator[Hit | Row]:
    """553, 555: each episode under the order needs a decision to place for adoption; while the order is in
    force (an open episode), the latest decision cannot have been reversed."""
    orders = [episode for episode in child.episodes if episode["LS"] == legal_status]
    if not orders:
        return
    if all(row.is_blank("DATE_PLACED") for row in _decisions(child)):
        yield from orders
        return
    latest = _latest_decision(child)
    if any(episode.is_blank("DEC") for episode in orders) and latest and _is_ceased(latest):
        yield Hit(
            latest,
            fields=("DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
            detail="the order is still in force but the decision is recorded as ceased",
        )


@check(COLLECTION, "553", fields=("DATE_PLACED", "LS"))
def placement_order_without_decision(child, context):
    """553: a child with a placement order (E1) must have a date of the decision that they should be placed
    for adoption, and while the order is in force the decision cannot be recorded as ceased."""
    yield from _order_without_decision(child, PLACEMENT_ORDER)


def _order_before_decision(child, legal_status: str) -> Iterator[Hit]:
    """554, 556: the decision to place for adoption must be on or before the order (its first episode)."""
    orders = [
        episode for episode in child.episodes if episode["LS"] == legal_status and episode.date("DECOM")
    ]
    decided = _earliest_decision_day(child)
    if orders and decided and decided > orders[0].date("DECOM"):
        granted = orders[0].date("DECOM")
        yield Hit(orders[0], detail=f"order from {_day(granted)}, decision {_day(decided)}")


@check(COLLECTION, "554", fields=("DATE_PLACED", "DECOM", "LS"))
def placement_order_before_decision(child, context):
    """554: the decision that the child should be placed for adoption must be on or before the placement order
    (E1) was granted: the first episode under it in the return."""
    yield from _order_before_decision(child, PLACEMENT_ORDER)


@check(COLLECTION, "555", fields=("DATE_PLACED", "LS"))
def freeing_order_without_decision(child, context):
    """555: a child with a freeing order (D1) must have a date of the decision that they should be placed for
    adoption, and while the order is in force the decision cannot be recorded as ceased."""
    yield from _order_without_decision(child, FREEING_ORDER)


@check(COLLECTION, "556", fields=("DATE_PLACED", "DECOM", "LS"))
def freeing_order_before_decision(child, context):
    """556: the decision that the child should be placed for adoption must be on or before the freeing order
    (D1) was granted: the first episode under it in the return."""
    yield from _order_before_decision(child, FREEING_ORDER)


@check(COLLECTION, "557", fields=("DATE_PLACED_CEASED", "REASON_PLACED_CEASED", "REC"))
def left_care_decision_not_ceased(child, context):
    """557: a child placed for adoption (A3-A6) or under a placement order (E1; before 2024-25 also a freeing
    order, D1) who left care other than by adoption must have the date and reason the decision to place for
    adoption ceased."""
    orders = {PLACEMENT_ORDER}
    if context.year.end_year < FREEING_ORDERS_DROPPED_FROM:
        orders.add(FREEING_ORDER)
    left = [
        episode
        for episode in child.episodes
        if (episode["PLACE"] in PLACED_FOR_ADOPTION or episode["LS"] in orders)
        and episode["REC"] not in ("", CONTINUES, *ADOPTED)
    ]
    if not left:
        return
    latest = _latest_decision(child)
    if latest is None:
        yield Hit(left[0], detail="no decision to place for adoption is recorded")
    elif latest.is_blank("DATE_PLACED_CEASED") or latest.is_blank("REASON_PLACED_CEASED"):
        yield latest


@check(COLLECTION, "558", fields=("DATE_PLACED_CEASED", "REC"))
def adopted_decision_ceased(child, context):
    """558: a child who was adopted (E11, E12) must not have a date the decision to place them for adoption
    ceased. (The validator counts ceased dates in a year; the rule's words are followed: the latest decision,
    the one that led to the adoption, has none.)"""
    if not any(episode["REC"] in ADOPTED for episode in child.episodes):
        return
    latest = _latest_decision(child)
    if latest is not None and not latest.is_blank("DATE_PLACED_CEASED"):
        yield latest


@check(COLLECTION, "559", fields=("DATE_PLACED",))
def old_decision_not_in_last_return(child, context):
    """559: a decision to place for adoption dated before this year must have been in last year's return
    (nothing is checked without last year's return)."""
    if not context.has_previous:
        return
    last_year = _decisions(last_years_record(child, context))
    if any(not row.is_blank("DATE_PLACED") for row in last_year):
        return
    for row in _decisions(child):
        decided = row.date("DATE_PLACED")
        if decided and decided < context.year.start:
            yield Hit(row, detail=f"decided {_day(decided)}; last year's return has no decision")


@check(COLLECTION, "560", fields=("DATE_PLACED", "DATE_PLACED_CEASED"))
def open_decision_changed_date(child, context):
    """560: a decision to place for adoption still open in last year's return must keep its date this year
    (nothing is checked without last year's return). A row whose date matches none of last year's is at
    fault when last year's open decision is missing."""
    if not context.has_previous:
        return
    last_year = _decisions(last_years_record(child, context))
    open_last_year = [
        row for row in last_year if not row.is_blank("DATE_PLACED") and row.is_blank("DATE_PLACED_CEASED")
    ]
    this_year = _decisions(child)
    for old in open_last_year:
        if any(same_day(row["DATE_PLACED"], old["DATE_PLACED"]) for row in this_year):
            continue
        for row in this_year:
            if not any(same_day(row["DATE_PLACED"], each["DATE_PLACED"]) for each in last_year):
                yield Hit(
                    row, detail=f"last year's return had a decision dated {old['DATE_PLACED']}, still open"
                )


@check(COLLECTION, "561", fields=("DATE_PLACED",))
def ceased_decision_repeated(child, context):
    """561: a decision with the same date as one that last year's return shows as ceased cannot be returned
    again (nothing is checked without last year's return)."""
    if not context.has_previous:
        return
    ceased = [
        row
        for row in _decisions(last_years_record(child, context))
        if not row.is_blank("DATE_PLACED") and _is_ceased(row)
    ]
    for row in _decisions(child):
        if not row.is_blank("DATE_PLACED") and any(
            same_day(row["DATE_PLACED"], old["DATE_PLACED"]) for old in ceased
        ):
            yield row


@check(COLLECTION, "562", fields=("DECOM",))
def episode_missing_from_last_return(child, context):
    """562: the first episode that started before this year must be the last episode of last year's return
    (the same start date) (nothing is checked without last year's return)."""
    if not context.has_previous:
        return
    start = context.year.start
    earlier = [episode for episode in dated_episodes(child) if episode.date("DECOM") < start]
    if not earlier:
        return
    first = earlier[0]
    previous = last_years_record(child, context)
    last_year = (
        [episode.date("DECOM") for episode in previous.episodes if episode.date("DECOM")] if previous else []
    )
    if not last_year or max(last_year) != first.date("DECOM"):
        found = f"its last started {_day(max(last_year))}" if last_year else "the child is not in it"
        yield Hit(first, detail=f"started {_day(first.date('DECOM'))}; in last year's return {found}")


@check(COLLECTION, "563", fields=("DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"))
def ceased_decision_without_date(child, context):
    """563: a decision recorded as ceased (a date or a reason it ceased) must have the date of the decision.
    (The validator asks for both the ceased date and reason; either says the decision ceased.)"""
    for row in _decisions(child):
        if row.is_blank("DATE_PLACED") and _is_ceased(row):
            yield row


@check(COLLECTION, "579", fields=("DATE_PLACED", "DATE_PLACED_CEASED"))
def decisions_overlap(child, context):
    """579: a new decision to place for adoption cannot be dated while an earlier one is still open, nor before
    the date an earlier one ceased."""
    yield from _overlaps(_decisions(child), "DATE_PLACED", "DATE_PLACED_CEASED")


@check(COLLECTION, "583", fields=("DATE_PLACED", "DATE_PLACED_CEASED"))
def earlier_decision_not_revoked(child, context):
    """583: where more than one decision to place for adoption is returned, every one but the latest must have
    the date it ceased (and if two are open, both are at fault)."""
    decisions = _decisions(child)
    if len(decisions) < 2:
        return
    latest = _latest_decision(child)
    still_open = [row for row in decisions if row.is_blank("DATE_PLACED_CEASED")]
    for row in still_open:
        if row is not latest or len(still_open) > 1:
            yield row


@check(COLLECTION, "584", fields=("DATE_PLACED",))
def decision_after_ceased_not_later(child, context):
    """584: after a decision that last year's return shows as ceased, a decision this year must be dated
    after it (nothing is checked without last year's return)."""
    if not context.has_previous:
        return
    ceased = [
        row.date("DATE_PLACED")
        for row in _decisions(last_years_record(child, context))
        if row.date("DATE_PLACED") and _is_ceased(row)
    ]
    if not ceased:
        return
    last = max(ceased)
    for row in _decisions(child):
        decided = row.date("DATE_PLACED")
        if row.is_blank("DATE_PLACED") or (decided and decided <= last):
            yield Hit(row, detail=f"last year's return shows a decision of {_day(last)} ceased")


# -- missing and away from placement (564-581, 586) ---------------------------------------------------------


@check(COLLECTION, "564", fields=("MISSING", "MIS_START"))
def missing_without_start(child, context):
    """564: a missing or away-from-placement period (M or A) must have the date it started."""
    for row in child.rows("Missing"):
        if row["MISSING"].upper() in context.codes("missing_kind") and row.is_blank("MIS_START"):
            yield row


@check(COLLECTION, "565", fields=("MISSING", "MIS_START"))
def start_without_kind(child, context):
    """565: a period with a start date must say whether the child was missing or away without authorisation."""
    for row in child.rows("Missing"):
        if not row.is_blank("MIS_START") and row.is_blank("MISSING"):
            yield row


@check(COLLECTION, "566", fields=("MISSING", "MIS_END"))
def end_without_kind(child, context):
    """566: a period with an end date must say whether the child was missing or away without authorisation."""
    for row in child.rows("Missing"):
        if not row.is_blank("MIS_END") and row.is_blank("MISSING"):
            yield row


@check(COLLECTION, "567", fields=("MIS_START", "MIS_END"))
def missing_ends_before_start(child, context):
    """567: a missing or away-from-placement period cannot end before it started."""
    for row in child.rows("Missing"):
        start, end = row.date("MIS_START"), row.date("MIS_END")
        if start and end and end < start:
            yield Hit(row, detail=f"started {_day(start)}, ended {_day(end)}")


@check(COLLECTION, "570", fields=("MIS_START",))
def missing_starts_after_year(child, context):
    """570: a missing or away-from-placement period cannot start after the end of the collection year."""
    for row in child.rows("Missing"):
        start = row.date("MIS_START")
        if start and start > context.year.end:
            yield Hit(row, detail=f"started {_day(start)}")


@check(COLLECTION, "571", fields=("MIS_END",))
def missing_ends_outside_year(child, context):
    """571: a missing or away-from-placement period must end within the collection year."""
    for row in child.rows("Missing"):
        end = row.date("MIS_END")
        if end and not context.year.contains(end):
            yield Hit(row, detail=f"ended {_day(end)}")


@check(COLLECTION, "574", fields=("MIS_START", "MIS_END"))
def missing_periods_overlap(child, context):
    """574: a missing or away-from-placement period cannot start while an earlier one is still open, nor before
    an earlier one ended."""
    yield from _overlaps(child.rows("Missing"), "MIS_START", "MIS_END")


def _placement_end(child: LookedAfterChild, day: datetime.date) -> tuple[bool, datetime.date | None]:
    """``(in a placement on day, the day that placement ended or None if it goes on)``. A placement runs on
    through episodes that change only the legal status (an RNE that is not a change of placement)."""
    episodes = dated_episodes(child)
    current = None
    for index, episode in enumerate(episodes):
        if episode.date("DECOM") <= day:
            current = index
    if current is None:
        return False, None
    end = episodes[current].date("DEC")
    if end is not None and end < day:
        return False, None
    while (
        end is not None
        and current + 1 < len(episodes)
        and episodes[current + 1].date("DECOM") == end
        and episodes[current + 1]["RNE"] not in PLACEMENT_REASONS
    ):
        current += 1
        end = episodes[current].date("DEC")
    return True, end


@check(COLLECTION, "575", fields=("MIS_END",))
def placement_ended_missing_open(child, context):
    """575: when the placement the child went missing or away from ends, the missing period must have an end
    date. (The validator takes any episode's end; a change of legal status alone does not end the
    placement.)"""
    for row in child.rows("Missing"):
        start = row.date("MIS_START")
        if start is None or not row.is_blank("MIS_END"):
            continue
        placed, ended = _placement_end(child, start)
        if placed and ended is not None:
            yield Hit(row, detail=f"went missing {_day(start)}; the placement ended {_day(ended)}")


@check(COLLECTION, "576", fields=("MIS_START",))
def open_missing_not_carried_over(child, context):
    """576: a missing period open at the end of last year's return must be returned again this year, with the
    same start date (nothing is checked without last year's return)."""
    previous = last_years_record(child, context)
    if previous is None:
        return
    this_year = child.rows("Missing")
    for old in previous.rows("Missing"):
        if old.is_blank("MIS_START") or not old.is_blank("MIS_END"):
            continue
        if not any(same_day(row["MIS_START"], old["MIS_START"]) for row in this_year):
            node = min(this_year, key=lambda row: row.date("MIS_START") or datetime.date.max, default=child)
            yield Hit(node, detail=f"last year's return has a period open since {old['MIS_START']}")


@check(COLLECTION, "577", fields=("MIS_END",))
def ceased_care_missing_open(child, context):
    """577: a child who ceased to be looked after (an episode ending with a reason other than X1) on or after
    the day a missing period started must have an end date for that period. (The validator checks the period
    against whole periods of care; the rule's words are followed.)"""
    for row in child.rows("Missing"):
        start = row.date("MIS_START")
        if start is None or not row.is_blank("MIS_END"):
            continue
        ceased = [e.date("DEC") for e in child.episodes if _ceased_care(e) and e.date("DEC") >= start]
        if ceased:
            yield Hit(
                row, detail=f"went missing {_day(start)}; ceased to be looked after {_day(min(ceased))}"
            )


@check(COLLECTION, "578", fields=("MIS_START",))
def missing_after_care_ended(child, context):
    """578: a missing period cannot start after the child ceased to be looked after: on a day outside every
    period of care and after one had ended."""
    periods = _periods_of_care(child)
    for row in child.rows("Missing"):
        start = row.date("MIS_START")
        if start is None or _in_care_on(periods, start):
            continue
        ended = [end for _, end in periods if end is not None and end < start]
        if ended:
            yield Hit(row, detail=f"started {_day(start)}; care ended {_day(max(ended))}")


@check(COLLECTION, "580", fields=("REC", "MIS_END"))
def missing_at_eighteen_not_e8(child, context):
    """580: a child missing when they ceased to be looked after (a missing period ending the day the episode
    ended, their 18th birthday, as the DfE's logic and the validator have it) must have reason E8."""
    dob = date_of_birth(child)
    if dob is None:
        return
    eighteen = birthday(dob, 18)
    if not any(row.date("MIS_END") == eighteen for row in child.rows("Missing")):
        return
    for episode in child.episodes:
        if episode.date("DEC") == eighteen and episode["REC"] != OTHER_REASON:
            yield Hit(episode, detail=f"missing until {_day(eighteen)}, their 18th birthday")


@check(COLLECTION, "581", fields=("MIS_START",))
def missing_before_care(child, context):
    """581: a missing period cannot start before the child started to be looked after (their first episode).
    (The validator also flags days between periods of care; those are rule 578's.)"""
    starts = [episode.date("DECOM") for episode in dated_episodes(child)]
    if not starts:
        return
    for row in child.rows("Missing"):
        start = row.date("MIS_START")
        if start and start < min(starts):
            yield Hit(row, detail=f"started {_day(start)}; first looked after {_day(min(starts))}")


@check(COLLECTION, "586", fields=("MIS_START", "DOB"))
def missing_before_birth(child, context):
    """586: a missing period cannot start before the child's date of birth. (The validator flags the day of
    birth too; the rule says before.)"""
    for row in child.rows("Missing"):
        start, dob = row.date("MIS_START"), date_of_birth(child, row)
        if start and dob and start < dob:
            yield Hit(row, detail=f"started {_day(start)}, born {_day(dob)}")


# -- adoption (582, 601, 602) -------------------------------------------------------------------------------


def _adopted_in_year(child, year: CollectionYear) -> list[Row]:
    return [e for e in child.episodes if e["REC"] in ADOPTED and year.contains(e.date("DEC"))]


@check(COLLECTION, "582", fields=("DEC", "DATE_MATCH"))
def adopted_on_day_matched(child, context):
    """582: a child adopted (E11, E12) is expected to have been matched with adopters before the day of the
    adoption, not on it."""
    matched = {row.date("DATE_MATCH") for row in child.rows("AD1")} - {None}
    for episode in child.episodes:
        if episode["REC"] in ADOPTED and episode.date("DEC") in matched:
            yield Hit(episode, detail=f"adopted and matched on {_day(episode.date('DEC'))}")


@check(COLLECTION, "601", fields=("REC", *AD1_ITEMS))
def adopted_without_adoption_items(child, context):
    """601: a child adopted during the year (E11, E12) must have every adoption item (AD1) completed. (The
    validator passes a child with no AD1 row at all; the rule's "not completed" includes it.)"""
    adopted = _adopted_in_year(child, context.year)
    if not adopted:
        return
    rows = child.rows("AD1")
    if not rows:
        yield Hit(adopted[0], detail="no adoption items are returned")
    for row in rows:
        missing = unfilled(row, AD1_ITEMS)
        if missing:
            yield Hit(row, fields=missing)


@check(COLLECTION, "602", fields=("CHILD",))
def adoption_items_not_adopted(child, context):
    """602: adoption items (AD1) are returned only for a child whose episodes show they were adopted (E11,
    E12) during the year."""
    if _adopted_in_year(child, context.year):
        return
    for row in child.rows("AD1"):
        if any(not row.is_blank(item) for item in AD1_ITEMS):
            yield row


# -- mothers (607-628) --------------------------------------------------------------------------------------


@check(COLLECTION, "607", fields=("MOTHER", "DEC", "REC"))
def ceased_without_mother(child, context):
    """607: a girl or young woman who ceased to be looked after in the year (not from short breaks, V3/V4)
    must have the mother item completed."""
    header = child.header
    if header is None or header["SEX"] != female_code(context.year) or not header.is_blank("MOTHER"):
        return
    for episode in child.episodes:
        if (
            _ceased_care(episode)
            and episode["LS"] not in SHORT_BREAKS
            and context.year.contains(episode.date("DEC"))
        ):
            yield Hit(header, detail=f"ceased to be looked after {_day(episode.date('DEC'))}")
            return


@check(COLLECTION, "611", fields=("MOTHER", "MC_DOB"))
def mother_without_child_dob(child, context):
    """611: a child who is a mother must have the date of birth of her first child."""
    header = child.header
    if header is not None and header["MOTHER"] == YES and header.is_blank("MC_DOB"):
        yield header


@check(COLLECTION, "612", fields=("SEX", "MOTHER", "MC_DOB"))
def child_dob_but_not_mother(child, context):
    """612: a girl or young woman with a date of birth of a first child must be recorded as a mother (SEX 2
    before 2024-25, F after)."""
    header = child.header
    if (
        header is not None
        and header["SEX"] == female_code(context.year)
        and header["MOTHER"] in ("", NO)
        and not header.is_blank("MC_DOB")
    ):
        yield header


@check(COLLECTION, "620", fields=("DOB", "MOTHER"))
def mother_under_eleven(child, context):
    """620: a child recorded as a mother must be 11 or over at the start of the collection year (as the
    validator measures it)."""
    header = child.header
    dob = date_of_birth(child)
    if dob and header["MOTHER"] == YES and birthday(dob, YOUNGEST_MOTHER) > context.year.start:
        yield Hit(header, detail=f"born {_day(dob)}")


@check(COLLECTION, "621", fields=("DOB", "MC_DOB"))
def mother_younger_than_child(child, context):
    """621: a mother cannot be younger than her child: her first child's date of birth cannot be before her
    own. (The validator flags the same day too; the rule says younger.)"""
    header = child.header
    if header is None:
        return
    dob, first_child = header.date("DOB"), header.date("MC_DOB")
    if dob and first_child and first_child < dob:
        yield Hit(header, detail=f"born {_day(dob)}, her child born {_day(first_child)}")


@check(COLLECTION, "624", fields=("MC_DOB",))
def child_dob_changed(child, context):
    """624: the date of birth of the first child must be the same as in last year's return where that gave it
    (nothing is checked without last year's return)."""
    previous = last_years_record(child, context)
    before, now = (previous.header if previous else None), child.header
    if before is None or now is None or before.is_blank("MC_DOB"):
        return
    if not same_day(now["MC_DOB"], before["MC_DOB"]):
        yield Hit(now, detail=f"last year's return gave {before['MC_DOB']}")


@check(COLLECTION, "625", fields=("MC_DOB", "DEC"))
def child_born_after_year_or_care(child, context):
    """625: the date of birth of the first child cannot be after the end of the year, nor after the day the
    mother ceased to be looked after. (The validator takes the latest end of any episode; the day she ceased
    to be looked after is the end of her last episode, if it ended her care.)"""
    header = child.header
    born = header.date("MC_DOB") if header else None
    if born is None:
        return
    if born > context.year.end:
        yield Hit(header, detail=f"born {_day(born)}, after the year")
        return
    episodes = child.episodes
    if episodes and _ceased_care(episodes[-1]) and born > episodes[-1].date("DEC"):
        yield Hit(
            header, detail=f"born {_day(born)}; ceased to be looked after {_day(episodes[-1].date('DEC'))}"
        )


@check(COLLECTION, "626", fields=("MOTHER", "MC_DOB"))
def mother_before_year_but_not_last_year(child, context):
    """626: a child recorded as a mother whose first child was born before this year cannot have been recorded
    as not a mother last year (nothing is checked without last year's return)."""
    previous = last_years_record(child, context)
    before, now = (previous.header if previous else None), child.header
    if before is None or now is None:
        return
    born = now.date("MC_DOB")
    if now["MOTHER"] == YES and born and born < context.year.start and before["MOTHER"] == NO:
        yield Hit(now, detail=f"first child born {_day(born)}; last year's return said not a mother")


@check(COLLECTION, "628", fields=("MOTHER",))
def care_leaver_motherhood(child, context):
    """628: motherhood details are not returned for a care leaver who was not looked after during the year (no
    episodes, and care leaver information in OC3)."""
    header = child.header
    if header is None or child.rows("Episodes") or header.is_blank("MOTHER"):
        return
    if care_leaver_rows(child):
        yield header


# -- previous permanence (630-635) --------------------------------------------------------------------------


@check(COLLECTION, "630", fields=("RNE", "PREV_PERM", "LA_PERM", "DATE_PERM"))
def previous_permanence_missing(child, context):
    """630: a child who started to be looked after this year (RNE S) must have previous permanence information:
    the option, and for an order (not Z1 "none" or P4 "not known") the LA and date. (The validator asks LA and
    date for P4 too, which cannot be known.)"""
    started = [
        episode
        for episode in child.episodes
        if episode["RNE"] == STARTED and episode.date("DECOM") and episode.date("DECOM") >= context.year.start
    ]
    if not started:
        return
    rows = child.rows("PrevPerm")
    if not rows:
        yield Hit(started[0], detail="no previous permanence information is returned")
    for row in rows:
        if row.is_blank("PREV_PERM"):
            yield Hit(row, fields=("PREV_PERM",))
        elif row["PREV_PERM"] not in (NO_PREVIOUS_PERMANENCE, PERMANENCE_NOT_KNOWN):
            missing = unfilled(row, ("LA_PERM", "DATE_PERM"))
            if missing:
                yield Hit(row, fields=missing)


@check(COLLECTION, "631", fields=("PREV_PERM",))
def previous_permanence_invalid(child, context):
    """631: the previous permanence option, where given, must be a valid code."""
    for row in child.rows("PrevPerm"):
        if not row.is_blank("PREV_PERM") and row["PREV_PERM"] not in context.codes("previous_permanence"):
            yield row


def _earliest_possible(text: str) -> tuple[bool, datetime.date | None]:
    """``(valid, the earliest day it can be)`` of a DATE_PERM: ``dd/mm/YYYY`` where the day or month may be
    ZZ and the year ZZZZ when not known. A date whose year is not known cannot be compared (None)."""
    parts = text.split("/")
    if len(parts) != 3 or len(parts[0]) != 2 or len(parts[1]) != 2 or len(parts[2]) != 4:
        return False, None
    day, month, year = parts
    known = [day if day != UNKNOWN_PART else "01", month if month != UNKNOWN_PART else "01"]
    earliest = parse_date(f"{known[0]}/{known[1]}/{year if year != UNKNOWN_PART * 2 else '2000'}")
    if earliest is None:
        return False, None
    return True, (earliest if year != UNKNOWN_PART * 2 else None)


@check(COLLECTION, "632", fields=("DATE_PERM", "DECOM"))
def previous_permanence_date_invalid(child, context):
    """632: the date of the previous permanence order, where given, must be a valid date (a day or month may
    be ZZ, the year ZZZZ, when not known) and before the child's first episode in the return. (An unknown day
    or month is taken as the earliest it can be, so that only a date that must be too late is at fault.)"""
    starts = [episode.date("DECOM") for episode in dated_episodes(child)]
    for row in child.rows("PrevPerm"):
        if row.is_blank("DATE_PERM"):
            continue
        valid, earliest = _earliest_possible(row["DATE_PERM"])
        if not valid:
            yield Hit(row, fields=("DATE_PERM",), detail=f"{row['DATE_PERM']} is not a valid date")
        elif earliest and starts and earliest >= min(starts):
            yield Hit(row, detail=f"order {row['DATE_PERM']}; first episode started {_day(min(starts))}")


@check(COLLECTION, "633", fields=("LA_PERM",))
def previous_permanence_la_invalid(child, context):
    """633: the LA where the previous permanence option was arranged, where given, must be a valid LA code, or
    WAL, SCO, NIR or NUK for one outside England."""
    valid = recognised_la_codes() | LA_PERM_OTHER
    for row in child.rows("PrevPerm"):
        if not row.is_blank("LA_PERM") and row["LA_PERM"] not in valid:
            yield row


@check(COLLECTION, "634", fields=("PREV_PERM", "LA_PERM", "DATE_PERM", "DECOM"))
def previous_permanence_before_2016(child, context):
    """634: previous permanence information is only for a child who started to be looked after on or after 1
    April 2016: at least one episode must start on or after it. (The validator compares with the start of the
    collection year; the rule says 1 April 2016.)"""
    starts = [episode.date("DECOM") for episode in dated_episodes(child)]
    if not starts or max(starts) >= PREVIOUS_PERMANENCE_FROM:
        return
    for row in child.rows("PrevPerm"):
        if any(not row.is_blank(item) for item in ("PREV_PERM", "LA_PERM", "DATE_PERM")):
            yield Hit(row, detail=f"last episode started {_day(max(starts))}")


@check(COLLECTION, "635", fields=("PREV_PERM", "LA_PERM", "DATE_PERM"))
def no_previous_permanence_with_details(child, context):
    """635: a previous permanence option of Z1 (none) cannot have the date of an order or an LA. (The
    validator checks a blank option instead; the rule says Z1.)"""
    for row in child.rows("PrevPerm"):
        if row["PREV_PERM"] == NO_PREVIOUS_PERMANENCE and not (
            row.is_blank("LA_PERM") and row.is_blank("DATE_PERM")
        ):
            yield row
