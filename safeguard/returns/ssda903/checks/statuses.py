"""SSDA903 checks 344-393: care leavers' contact, legal statuses and how long they may last, placements and the
ages they need, temporary placements and short breaks, why episodes end, and postcodes.

The rule codes, and the conditions in the docstrings, are the DfE's SSDA903 validation rules (2022-23 on, in
``data/rules.csv``) as the DfE-community validator (data-to-insight ``csc-validator-be-903``,
``lac_validator/rules/lac20xx_yy/rule_<code>.py``) applies them. Where the validator and the DfE's wording
differ, the wording wins and the check's docstring says so.

**Ages** are worked out from the header's date of birth on the day that matters (the episode's start, its
end, or a day of the collection year). A child is N on their Nth birthday; someone born on 29 February has
their birthday on 28 February in other years, as the validator counts.

**An open episode** (no date ceased) lasts, for the rules that measure it, to the collection year's last day.

The rules that single out particular codes share them with the checks made as a worker records an episode
(``lookedafter.rules``): the same rule is not written twice. ``check_legal_status`` decides 358 and 378, and
``legal_status_overrun`` decides 361-363; the minimum ages of 372-374, the postcode pattern of 392c and the
code groups come from there too.

Not checked here: **392a** (a distance must be recorded). The distance is not in the return: the DfE works
it out from the two postcodes with a directory of postcodes and their coordinates, which Safeguard does not
hold, so the rule is left unregistered and the report lists it as not checked.
"""

import datetime

from safeguard.core.calendar import add_calendar_months
from safeguard.lookedafter.rules import (
    ADOPTED,
    ADULT_CARE,
    CONTINUES,
    EARLIEST_EPISODE,
    INDEPENDENT_LIVING,
    PLACED_FOR_ADOPTION,
    PLACEMENT_MIN_AGE,
    POSTCODE,
    SECTION_20,
    SHORT_BREAKS,
    STARTED,
    WITH_PARENTS,
    check_legal_status,
    is_temporary,
    legal_status_overrun,
    normalise_postcode,
)
from safeguard.returns.cin_census.checks.common import day_text as _day
from safeguard.returns.rules import Hit, check
from safeguard.returns.ssda903.checks.common import (
    COLLECTION,
    INDEPENDENT_LIVING_PLACE,
    OC3_ITEMS,
    age_on,
    birthday,
    date_of_birth,
    dated_episodes,
    female_code,
    last_years_record,
    looked_after_other_than_short_breaks,
    was_uasc,
)

# Placement types (PLACE) these rules single out.
CHILDRENS_HOME = "K2"  # 359: the only placement for a young person looked after past 18
SUPPORTED_ACCOMMODATION = frozenset({"H5", "K3"})  # 371: H5 to 2024-25, K3 (which replaces it) after
HOSPITAL = "T1"  # 375
FOSTER_CARERS_HOLIDAY = "T3"  # 376, 377
OTHER_TEMPORARY = "T4"  # 379
LONG_TERM_FOSTERING = frozenset({"U1", "U4"})  # 384: long-term foster placements

# Legal statuses (LS) these rules single out.
SHORT_BREAK_EPISODES = "V3"  # 365-367: short breaks recorded an episode at a time
PACE = "J2"  # 364: in local authority accommodation under the Police and Criminal Evidence Act 1984
PACE_MAX_DAYS = 21  # 364: the DfE gives no figure in its message; the validator allows 21 days

# Care leavers' contact (OC3 IN_TOUCH) and the answers that mean "nothing to record".
IN_TOUCH = "YES"
NOT_TO_BE_RECORDED = frozenset({"DIED", "RHOM"})  # 344: died, or returned home for 6 months or more
REPORTED_DIED = "DIED"
NOTHING = "0"  # ACTIV and ACCOM hold 0 when the young person is not in touch
FOYER = "T"  # OC3 ACCOM letter T, a foyer (lookedafter.rules.ADULTS_ONLY_ACCOMMODATION, rule 347)

# Limits, in days unless named otherwise.
SHORT_BREAK_MAX_DAYS = 17  # 365: one short break
SHORT_BREAKS_MAX_DAYS_A_YEAR = 75  # 367
HOSPITAL_MAX_DAYS = 42  # 375: six weeks
FOSTER_CARERS_HOLIDAY_MAX_DAYS = 21  # 376: three weeks
FOSTER_CARERS_HOLIDAYS_A_YEAR = 2  # 377
OTHER_TEMPORARY_MAX_DAYS = 7  # 379
OLDEST_IN_RETURN = 25  # 351
CARE_LEAVER_AGES = (17, 21)  # 391: OC3 is for young people 17 to 21 at some time in the year

# The first collection year (by its end) of a change to a rule.
OLDER_INDEPENDENT_LIVING_FROM = 2024  # 370 and 371: 16 from 2023-24 (15 and 14 before)
RETURN_TO_SAME_POSTCODE_FROM = 2026  # 383: from 2025-26, also the same placement postcode


# -- helpers ------------------------------------------------------------------------------------------------


def _under(dob: datetime.date | None, years: int, day: datetime.date | None) -> bool:
    """Known to be under ``years`` on ``day`` (False when either date is missing)."""
    return dob is not None and day is not None and day < birthday(dob, years)


def _at_least(dob: datetime.date | None, years: int, day: datetime.date | None) -> bool:
    """Known to be ``years`` or older on ``day``."""
    return dob is not None and day is not None and day >= birthday(dob, years)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _birthday_text(dob: datetime.date, years: int) -> str:
    return f"{_ordinal(years)} birthday {_day(birthday(dob, years))}"


def _last_day(episode, context) -> datetime.date | None:
    """The day the episode ceased, the year's last day while it is open, or None when DEC is not a date."""
    if episode.is_blank("DEC"):
        return context.year.end
    return episode.date("DEC")


def _days(episode, context) -> int | None:
    """How many days the episode lasted (to the year's end while open), or None without valid dates."""
    start, end = episode.date("DECOM"), _last_day(episode, context)
    return (end - start).days if start and end else None


def _period(start: datetime.date, end: datetime.date, episode) -> str:
    ended = f"to {_day(end)}" if not episode.is_blank("DEC") else f"still open on {_day(end)}"
    return f"{_day(start)} {ended}, {(end - start).days} days"


def _longer_than(child, context, place: str, limit: int):
    """Episodes in placement ``place`` that lasted more than ``limit`` days."""
    for episode in child.episodes:
        days = _days(episode, context)
        if episode["PLACE"] == place and days is not None and days > limit:
            yield Hit(episode, detail=_period(episode.date("DECOM"), _last_day(episode, context), episode))


def _placed_too_young(child, places, years: int):
    """Episodes in one of ``places`` that started before the child was ``years`` old."""
    dob = date_of_birth(child)
    for episode in child.episodes:
        start = episode.date("DECOM")
        if episode["PLACE"] in places and _under(dob, years, start):
            yield Hit(episode, detail=f"placed {_day(start)}, {_birthday_text(dob, years)}")


def _ended_under(child, reasons, years: int):
    """Episodes that ended for one of ``reasons`` before the child was ``years`` old."""
    dob = date_of_birth(child)
    for episode in child.episodes:
        end = episode.date("DEC")
        if episode["REC"] in reasons and _under(dob, years, end):
            yield Hit(episode, detail=f"ceased {_day(end)}, {_birthday_text(dob, years)}")


def _spells(child, context, legal_status: str):
    """Each unbroken spell under ``legal_status``: its episodes, each starting the day the one before it
    ceased."""
    spell: list = []
    for episode in dated_episodes(child):
        if spell and (
            episode["LS"] != legal_status or _last_day(spell[-1], context) != episode.date("DECOM")
        ):
            yield spell
            spell = []
        if episode["LS"] == legal_status:
            spell.append(episode)
    if spell:
        yield spell


def _spell_hits(child, context, legal_status: str, too_long):
    """The episodes of each spell under ``legal_status`` that ``too_long(began, ended)`` finds too long."""
    for spell in _spells(child, context, legal_status):
        began, ended = spell[0].date("DECOM"), _last_day(spell[-1], context)
        if ended is not None and too_long(began, ended):
            detail = _period(began, ended, spell[-1])
            yield from (Hit(episode, detail=detail) for episode in spell)


# -- care leavers (OC3) -------------------------------------------------------------------------------------


@check(COLLECTION, "344", fields=("IN_TOUCH", "ACTIV", "ACCOM"))
def activity_recorded_though_died_or_home(child, context):
    """344: a young person who has died or returned home for 6 months or more (IN_TOUCH DIED or RHOM) has no
    activity or accommodation recorded (each blank or 0). The validator also fails them when left blank;
    the wording is only about items completed."""
    for row in child.rows("OC3"):
        if row["IN_TOUCH"] in NOT_TO_BE_RECORDED:
            completed = [column for column in ("ACTIV", "ACCOM") if row[column] not in {"", NOTHING}]
            if completed:
                yield Hit(row, fields=("IN_TOUCH", *completed))


@check(COLLECTION, "345", fields=("IN_TOUCH", "ACTIV", "ACCOM"))
def in_touch_but_nothing_recorded(child, context):
    """345: when the council is in touch with the young person (IN_TOUCH YES), neither activity nor
    accommodation may be 0."""
    for row in child.rows("OC3"):
        if row["IN_TOUCH"] == IN_TOUCH:
            zero = [column for column in ("ACTIV", "ACCOM") if row[column] == NOTHING]
            if zero:
                yield Hit(row, fields=("IN_TOUCH", *zero))


@check(COLLECTION, "347", fields=("ACCOM", "DOB"))
def foyer_under_18(child, context):
    """347: a care leaver in a foyer (ACCOM T1 or T2) must have been 18 by the first day of the collection
    year. (The validator compares the whole code with T, which never matches: the letter is what counts.)"""
    start = context.year.start
    for row in child.rows("OC3"):
        dob = date_of_birth(child, row)
        if row["ACCOM"][:1] == FOYER and _under(dob, 18, start):
            yield Hit(row, detail=f"{_birthday_text(dob, 18)}, after the year began")


@check(COLLECTION, "348", fields=("IN_TOUCH",))
def reported_dead_last_year(child, context):
    """348: a care leaver reported last year as having died (IN_TOUCH DIED) must be reported so again.
    Without last year's return, nothing is found."""
    previous = last_years_record(child, context)
    if previous is None or not any(row["IN_TOUCH"] == REPORTED_DIED for row in previous.rows("OC3")):
        return
    for row in child.rows("OC3"):
        if row["IN_TOUCH"] != REPORTED_DIED:
            yield Hit(row, detail="reported as having died in last year's return")


@check(COLLECTION, "391", fields=("DOB", "IN_TOUCH", "ACTIV", "ACCOM"))
def care_leaver_not_17_to_21(child, context):
    """391: care leaver information (IN_TOUCH, ACTIV, ACCOM) is only for a young person who was 17, 18, 19,
    20 or 21 at some time in the collection year. The validator looks only at the young; the wording also
    excludes anyone 22 or older for the whole year."""
    youngest, oldest = CARE_LEAVER_AGES
    for row in child.rows("OC3"):
        dob = date_of_birth(child, row)
        if all(row.is_blank(column) for column in OC3_ITEMS):
            continue
        if _under(dob, youngest, context.year.end):
            yield Hit(row, detail=f"{_birthday_text(dob, youngest)}, after the year's end")
        elif _at_least(dob, oldest + 1, context.year.start):
            yield Hit(row, detail=f"{_birthday_text(dob, oldest + 1)}, before the year began")


# -- the child's age and the episodes' dates ----------------------------------------------------------------


@check(COLLECTION, "351", fields=("DOB",))
def older_than_25(child, context):
    """351: the child cannot have been over 25 (past their 25th birthday) when the collection year began.
    The validator's message and test say 21; the DfE's wording says 25, which is followed."""
    header, dob = child.header, date_of_birth(child)
    if dob is not None and birthday(dob, OLDEST_IN_RETURN) < context.year.start:
        yield Hit(header, detail=_birthday_text(dob, OLDEST_IN_RETURN))


@check(COLLECTION, "352", fields=("DECOM", "RNE", "DOB"))
def started_at_18_or_over(child, context):
    """352: a child who started to be looked after (RNE S) must have been under 18 on that day."""
    dob = date_of_birth(child)
    for episode in child.episodes:
        start = episode.date("DECOM")
        if episode["RNE"] == STARTED and _at_least(dob, 18, start):
            yield Hit(episode, detail=f"started {_day(start)}, {_birthday_text(dob, 18)}")


@check(COLLECTION, "353", fields=("DECOM",))
def started_before_children_act(child, context):
    """353: no episode can start before 14 October 1991, when the Children Act 1989 came into force."""
    for episode in child.episodes:
        start = episode.date("DECOM")
        if start and start < EARLIEST_EPISODE:
            yield Hit(episode, detail=f"started {_day(start)}")


@check(COLLECTION, "354", fields=("DECOM",))
def started_after_year_end(child, context):
    """354: an episode must start (DECOM) on or before the last day of the collection year. The DfE's message
    repeats rule 385's ("date episode ceased"); its condition, and the validator, are about the start."""
    for episode in child.episodes:
        start = episode.date("DECOM")
        if start and start > context.year.end:
            yield Hit(episode, detail=f"started {_day(start)}")


@check(COLLECTION, "355", fields=("DECOM", "DEC"))
def ceased_the_day_it_started(child, context):
    """355: an episode should last at least a day: it cannot cease (DEC) on the day it started (DECOM)."""
    for episode in child.episodes:
        start = episode.date("DECOM")
        if start and start == episode.date("DEC"):
            yield Hit(episode, detail=f"started and ceased {_day(start)}")


@check(COLLECTION, "356", fields=("DECOM", "DEC"))
def ceased_before_it_started(child, context):
    """356: an episode cannot cease (DEC) before it started (DECOM)."""
    for episode in child.episodes:
        start, end = episode.date("DECOM"), episode.date("DEC")
        if start and end and end < start:
            yield Hit(episode, detail=f"started {_day(start)}, ceased {_day(end)}")


@check(COLLECTION, "357", fields=("RNE",))
def first_episode_not_a_start(child, context):
    """357: the child's first episode, when it starts in the collection year, must have reason for new
    episode S (started to be looked after). The validator also fails a child whose care continues from last
    year's return; with last year's return, such a child (an episode there open, or ceasing the day this one
    starts) is not failed."""
    episodes = dated_episodes(child)
    if not episodes:
        return
    first = episodes[0]
    start = first.date("DECOM")
    if first["RNE"] == STARTED or start < context.year.start:
        return
    previous = last_years_record(child, context)
    if previous is not None and any(
        episode.is_blank("DEC") or episode.date("DEC") == start for episode in previous.rows("Episodes")
    ):
        return
    yield Hit(first, detail=f"first episode {_day(start)}, reason {first['RNE'] or 'blank'}")


# -- legal statuses ------------------------------------------------------------------------------------------


@check(COLLECTION, "358", fields=("LS", "DECOM", "DOB"))
def criminal_legal_status_under_10(child, context):
    """358: a child cannot start an episode on remand, under PACE or on a youth rehabilitation order (LS J1,
    J2, J3) before their 10th birthday. The validator also fails an episode starting on the birthday; the
    wording ("under 10") does not."""
    dob = date_of_birth(child)
    for episode in child.episodes:
        start = episode.date("DECOM")
        if dob is None or start is None:
            continue
        if check_legal_status(legal_status=episode["LS"], place="", age=age_on(dob, start)):
            yield Hit(episode, detail=f"started {_day(start)}, {_birthday_text(dob, 10)}")


@check(COLLECTION, "359", fields=("DEC", "LS", "PLACE"))
def looked_after_past_18(child, context):
    """359: a young person still looked after at the year's end after their 18th birthday (an episode with no
    date ceased) must be accommodated under section 20(5) (LS V2) in a children's home (PLACE K2)."""
    dob = date_of_birth(child)
    if dob is None or birthday(dob, 18) >= context.year.end:
        return
    for episode in child.episodes:
        if episode.is_blank("DEC") and not (
            episode["LS"] == SECTION_20 and episode["PLACE"] == CHILDRENS_HOME
        ):
            yield Hit(episode, detail=_birthday_text(dob, 18))


def _over_legal_limit(child, context, legal_status: str):
    """The spells under an emergency legal status that last longer than the law allows (361-363)."""
    yield from _spell_hits(
        child,
        context,
        legal_status,
        lambda began, ended: legal_status_overrun(legal_status, began, ended) is not None,
    )


@check(COLLECTION, "361", fields=("LS", "DECOM", "DEC"))
def police_protection_too_long(child, context):
    """361: police protection (LS L1, in one or more consecutive episodes) cannot last more than 72 hours
    (3 days)."""
    yield from _over_legal_limit(child, context, "L1")


@check(COLLECTION, "362", fields=("LS", "DECOM", "DEC"))
def emergency_protection_order_too_long(child, context):
    """362: an emergency protection order (LS L2, in one or more consecutive episodes) cannot last more than
    21 days."""
    yield from _over_legal_limit(child, context, "L2")


@check(COLLECTION, "363", fields=("LS", "DECOM", "DEC"))
def child_assessment_order_too_long(child, context):
    """363: a child assessment order (LS L3, in one or more consecutive episodes) cannot last more than 7
    days."""
    yield from _over_legal_limit(child, context, "L3")


@check(COLLECTION, "364", fields=("LS", "DECOM", "DEC"))
def pace_too_long(child, context):
    """364: accommodation under PACE (LS J2, in one or more consecutive episodes) is strictly limited: the
    DfE's message gives no figure, and, as the validator, no more than 21 days are allowed."""
    yield from _spell_hits(child, context, PACE, lambda began, ended: (ended - began).days > PACE_MAX_DAYS)


# -- short breaks --------------------------------------------------------------------------------------------


@check(COLLECTION, "365", fields=("LS", "DECOM", "DEC"))
def short_break_too_long(child, context):
    """365: one short break (an episode under LS V3) cannot last more than 17 days."""
    for episode in child.episodes:
        days = _days(episode, context)
        if episode["LS"] == SHORT_BREAK_EPISODES and days is not None and days > SHORT_BREAK_MAX_DAYS:
            yield Hit(episode, detail=_period(episode.date("DECOM"), _last_day(episode, context), episode))


@check(COLLECTION, "366", fields=("LS", "RNE"))
def short_break_changed_placement(child, context):
    """366: a child cannot change placement during a short break: every episode under LS V3 starts a break
    (RNE S)."""
    for episode in child.episodes:
        if episode["LS"] == SHORT_BREAK_EPISODES and episode["RNE"] != STARTED:
            yield Hit(episode, detail=f"reason for new episode {episode['RNE'] or 'blank'}")


@check(COLLECTION, "367", fields=("LS", "DECOM", "DEC"))
def short_breaks_over_75_days(child, context):
    """367: short breaks (LS V3) cannot add up to more than 75 days in 12 months: as the validator, the days
    within the collection year are counted."""
    year = context.year
    counted, total = [], 0
    for episode in child.episodes:
        start, end = episode.date("DECOM"), _last_day(episode, context)
        if episode["LS"] != SHORT_BREAK_EPISODES or start is None or end is None:
            continue
        days = (min(end, year.end) - max(start, year.start)).days
        if days > 0:
            counted.append(episode)
            total += days
    if total > SHORT_BREAKS_MAX_DAYS_A_YEAR:
        for episode in counted:
            yield Hit(episode, detail=f"{total} days of short breaks in the year")


@check(COLLECTION, "382", fields=("LS", "PLACE"))
def short_break_in_temporary_placement(child, context):
    """382: a child on short breaks (LS V3 or V4) cannot be in a temporary placement (PLACE T0 to T4)."""
    for episode in child.episodes:
        if episode["LS"] in SHORT_BREAKS and is_temporary(episode["PLACE"]):
            yield episode


@check(COLLECTION, "384", fields=("LS", "PLACE"))
def short_break_in_long_term_fostering(child, context):
    """384: a child on short breaks (LS V3 or V4) cannot be in a long-term foster placement (PLACE U1 or
    U4)."""
    for episode in child.episodes:
        if episode["LS"] in SHORT_BREAKS and episode["PLACE"] in LONG_TERM_FOSTERING:
            yield episode


# -- placements and the ages they need -----------------------------------------------------------------------


@check(COLLECTION, "370", fields=("DECOM", "PLACE", "DOB"))
def independent_living_too_young(child, context):
    """370: a child placed in independent living (PLACE P2) must be at least 16 when the placement starts
    (15 in 2022-23). The validator looks only at episodes that have ceased; the wording covers open ones."""
    years = 16 if context.year.end_year >= OLDER_INDEPENDENT_LIVING_FROM else 15
    yield from _placed_too_young(child, {INDEPENDENT_LIVING_PLACE}, years)


@check(COLLECTION, "371", fields=("DECOM", "PLACE", "DOB"))
def supported_accommodation_too_young(child, context):
    """371: a child placed in semi-independent or supported accommodation not subject to children's homes
    regulations (PLACE H5, or K3 which replaces it) must be at least 16 when the placement starts (14 in
    2022-23). Open episodes count too (the validator looks only at ceased ones)."""
    years = 16 if context.year.end_year >= OLDER_INDEPENDENT_LIVING_FROM else 14
    yield from _placed_too_young(child, SUPPORTED_ACCOMMODATION, years)


@check(COLLECTION, "372", fields=("DECOM", "PLACE", "DOB"))
def custody_too_young(child, context):
    """372: a child placed in a young offender institution or prison (PLACE R5) must be at least 10."""
    yield from _placed_too_young(child, {"R5"}, PLACEMENT_MIN_AGE["R5"])


@check(COLLECTION, "373", fields=("DECOM", "PLACE", "DOB"))
def residential_school_too_young(child, context):
    """373: a child placed in a residential school (PLACE S1) must be at least 4."""
    yield from _placed_too_young(child, {"S1"}, PLACEMENT_MIN_AGE["S1"])


@check(COLLECTION, "374", fields=("DECOM", "PLACE", "DOB"))
def residential_employment_too_young(child, context):
    """374: a child in residential employment (PLACE P3) must be at least 14."""
    yield from _placed_too_young(child, {"P3"}, PLACEMENT_MIN_AGE["P3"])


@check(COLLECTION, "378", fields=("PLACE", "LS"))
def with_parents_under_section_20(child, context):
    """378: a child placed with parents (PLACE P1) cannot be accommodated under section 20 (LS V2)."""
    for episode in child.episodes:
        if check_legal_status(legal_status=episode["LS"], place=episode["PLACE"], age=None):
            yield episode


# -- temporary placements ------------------------------------------------------------------------------------


@check(COLLECTION, "375", fields=("DECOM", "DEC", "PLACE"))
def hospital_too_long(child, context):
    """375: a temporary period in hospital (PLACE T1) cannot last more than six weeks (42 days). Open
    episodes are measured to the year's end (the validator skips them)."""
    yield from _longer_than(child, context, HOSPITAL, HOSPITAL_MAX_DAYS)


@check(COLLECTION, "376", fields=("DECOM", "DEC", "PLACE"))
def foster_carers_holiday_too_long(child, context):
    """376: a temporary placement while the usual foster carers are on holiday (PLACE T3) cannot last more
    than three weeks (21 days). Open episodes are measured to the year's end."""
    yield from _longer_than(child, context, FOSTER_CARERS_HOLIDAY, FOSTER_CARERS_HOLIDAY_MAX_DAYS)


@check(COLLECTION, "377", fields=("PLACE", "DECOM"))
def foster_carers_holidays_too_many(child, context):
    """377: no more than two temporary placements while the usual foster carers are on holiday (PLACE T3) in
    any 12 months. A T3 episode that only changes the legal status (RNE L) is the same placement. (The
    validator counts every T3 episode in the return.)"""
    starts = [
        episode
        for episode in dated_episodes(child)
        if episode["PLACE"] == FOSTER_CARERS_HOLIDAY and episode["RNE"] != "L"
    ]
    failing: set[int] = set()
    for episode in starts:
        day = episode.date("DECOM")
        window = [
            index
            for index, other in enumerate(starts)
            if add_calendar_months(day, -12) < other.date("DECOM") <= day
        ]
        if len(window) > FOSTER_CARERS_HOLIDAYS_A_YEAR:
            failing.update(window)
    for index in sorted(failing):
        episode = starts[index]
        yield Hit(episode, detail=f"started {_day(episode.date('DECOM'))}: more than two in 12 months")


@check(COLLECTION, "379", fields=("DECOM", "DEC", "PLACE"))
def other_temporary_too_long(child, context):
    """379: a temporary placement for any other reason (PLACE T4) cannot last more than seven days. Open
    episodes are measured to the year's end."""
    yield from _longer_than(child, context, OTHER_TEMPORARY, OTHER_TEMPORARY_MAX_DAYS)


@check(COLLECTION, "380", fields=("PLACE", "RNE"))
def care_starts_in_temporary_placement(child, context):
    """380: a period of care cannot start (RNE S) in a temporary placement (PLACE T0 to T4). The validator
    asks more, that every temporary placement be a change of placement (RNE P or B); the wording is about
    the start of care only."""
    for episode in child.episodes:
        if episode["RNE"] == STARTED and is_temporary(episode["PLACE"]):
            yield episode


@check(COLLECTION, "381", fields=("PLACE", "REC"))
def care_ends_in_temporary_placement(child, context):
    """381: a period of care cannot end in a temporary placement (PLACE T0 to T4): such an episode may only
    cease with a new episode beginning (REC X1)."""
    for episode in child.episodes:
        if is_temporary(episode["PLACE"]) and not episode.is_blank("REC") and episode["REC"] != CONTINUES:
            yield episode


@check(COLLECTION, "383", fields=("PLACE", "RNE"))
def temporary_placement_not_followed_by_return(child, context):
    """383: after a temporary placement (PLACE T0 to T4, one or more episodes) the child returns to their
    usual placement: the next episode is a change of placement (RNE P) back to the placement type they had
    before, and from 2025-26 at the same placement postcode. Up to 2024-25 the temporary episodes are
    reported, from 2025-26 the episode after them (as the validator)."""
    episodes = dated_episodes(child)
    same_postcode = context.year.end_year >= RETURN_TO_SAME_POSTCODE_FROM
    index = 0
    while index < len(episodes):
        if not is_temporary(episodes[index]["PLACE"]):
            index += 1
            continue
        first = index
        while index < len(episodes) and is_temporary(episodes[index]["PLACE"]):
            index += 1
        if first == 0 or index == len(episodes):
            continue
        before, temporary, after = episodes[first - 1], episodes[first:index], episodes[index]
        wrong = []
        if after["RNE"] != "P":
            wrong.append("RNE")
        if after["PLACE"] != before["PLACE"]:
            wrong.append("PLACE")
        if same_postcode and normalise_postcode(after["PL_POST"]) != normalise_postcode(before["PL_POST"]):
            wrong.append("PL_POST")
        if not wrong:
            continue
        detail = f"before {before['PLACE'] or 'blank'}, after {after['PLACE'] or 'blank'} (RNE {after['RNE'] or 'blank'})"
        if same_postcode:
            yield Hit(after, fields=tuple(wrong), detail=detail)
        else:
            yield from (Hit(episode, fields=("PLACE",), detail=detail) for episode in temporary)


# -- why episodes end ----------------------------------------------------------------------------------------


@check(COLLECTION, "385", fields=("DEC",))
def ceased_after_year_end(child, context):
    """385: the date an episode ceased (DEC) must be on or before the last day of the collection year."""
    for episode in child.episodes:
        end = episode.date("DEC")
        if end and end > context.year.end:
            yield Hit(episode, detail=f"ceased {_day(end)}")


@check(COLLECTION, "386", fields=("REC", "DEC", "DOB"))
def adopted_at_18(child, context):
    """386: a child cannot cease to be looked after because they were adopted (REC E11 or E12) on or after
    their 18th birthday."""
    dob = date_of_birth(child)
    for episode in child.episodes:
        end = episode.date("DEC")
        if episode["REC"] in ADOPTED and _at_least(dob, 18, end):
            yield Hit(episode, detail=f"ceased {_day(end)}, {_birthday_text(dob, 18)}")


@check(COLLECTION, "387", fields=("REC", "DEC", "DOB"))
def independent_living_under_14(child, context):
    """387: a child cannot move into independent living (REC E5 or E6) before their 14th birthday."""
    yield from _ended_under(child, INDEPENDENT_LIVING, 14)


@check(COLLECTION, "388", fields=("REC", "DEC"))
def continuation_mismatch(child, context):
    """388: an episode that ceased because a new one begins (REC X1) must be followed by an episode starting
    the day it ceased; an episode followed by one starting the day it ceased must have REC X1; and the
    child's last episode, when it has ceased, cannot have REC X1."""
    episodes = dated_episodes(child)
    for index, episode in enumerate(episodes):
        end = episode.date("DEC")
        if end is None or episode.is_blank("REC"):
            continue
        following = episodes[index + 1] if index + 1 < len(episodes) else None
        continues = episode["REC"] == CONTINUES
        if following is None:
            if continues:
                yield Hit(episode, detail=f"ceased {_day(end)} and no episode follows")
            continue
        next_start = following.date("DECOM")
        if continues and next_start != end:
            yield Hit(episode, detail=f"ceased {_day(end)}, the next episode started {_day(next_start)}")
        elif not continues and next_start == end:
            yield Hit(episode, detail=f"the next episode started the day this one ceased, {_day(end)}")


@check(COLLECTION, "389", fields=("REC", "DEC", "DOB"))
def adult_care_under_16(child, context):
    """389: a child cannot move to adult social care (REC E7) before their 16th birthday."""
    yield from _ended_under(child, {ADULT_CARE}, 16)


@check(COLLECTION, "390", fields=("REC", "PLACE"))
def adopted_without_adoption_placement(child, context):
    """390: an episode that ceased because the child was adopted (REC E11 or E12) must be a placement for
    adoption (PLACE A3 to A6)."""
    for episode in child.episodes:
        if episode["REC"] in ADOPTED and episode["PLACE"] not in PLACED_FOR_ADOPTION:
            yield Hit(episode, detail=f"placement {episode['PLACE'] or 'blank'}")


# -- postcodes and the header --------------------------------------------------------------------------------


@check(COLLECTION, "392b", fields=("HOME_POST", "PL_POST"))
def postcodes_missing(child, context):
    """392b: a looked-after child's episodes give both the home and the placement postcode, except under
    short breaks (LS V3, V4) and for a child who is, or was, an unaccompanied asylum-seeking child. A UASC
    record in this year's or last year's return is what shows that (the DfE also looks at the year before
    last, which Safeguard does not have)."""
    if was_uasc(child, context, blank_rows_count=False):
        return
    for episode in child.episodes:
        if episode["LS"] in SHORT_BREAKS:
            continue
        missing = tuple(column for column in ("HOME_POST", "PL_POST") if episode.is_blank(column))
        if missing:
            yield Hit(episode, fields=missing)


@check(COLLECTION, "392c", fields=("HOME_POST", "PL_POST"))
def postcode_invalid(child, context):
    """392c: a home or placement postcode, where given, must be a valid postcode. Without a directory of
    postcodes, its form is checked (like B1 1BB, in any case and spacing): a well-formed postcode that does
    not exist is not found."""
    for episode in child.episodes:
        wrong = tuple(
            column
            for column in ("HOME_POST", "PL_POST")
            if not episode.is_blank(column) and not POSTCODE.match(normalise_postcode(episode[column]))
        )
        if wrong:
            yield Hit(episode, fields=wrong, detail=", ".join(repr(episode[column]) for column in wrong))


@check(COLLECTION, "392d", fields=("HOME_POST", "PL_POST", "PLACE"))
def home_postcode_is_placement_postcode(child, context):
    """392d: the home and placement postcodes are the same only when the child is placed with parents
    (PLACE P1)."""
    for episode in child.episodes:
        home, placement = episode["HOME_POST"], episode["PL_POST"]
        if (
            home
            and placement
            and episode["PLACE"] != WITH_PARENTS
            and normalise_postcode(home) == normalise_postcode(placement)
        ):
            yield Hit(episode, detail=f"both {normalise_postcode(home)}")


@check(COLLECTION, "393", fields=("MOTHER", "SEX"))
def mother_not_recorded(child, context):
    """393: a girl looked after (other than only on short breaks, LS V3 or V4) must have the mother field
    completed. Female is SEX F from 2024-25, 2 before."""
    header = child.header
    if header is None or header["SEX"] != female_code(context.year) or not header.is_blank("MOTHER"):
        return
    if looked_after_other_than_short_breaks(child):
        yield header
