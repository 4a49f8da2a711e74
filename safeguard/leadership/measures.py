"""The performance measures inspectors and the Department for Education look at, computed from the records.

Each measure is a numerator over a denominator for a period (``start`` to ``end``, both inclusive: "the 12
months to a date"), for the council or one area, as the DfE's statistics define it. The definitions, the
statistical source and the England figure for comparison are reference data
(``data/measures.csv``, read by ``definitions()``), so a new year's England figure is a row change, not code.
Each function below says in its docstring exactly what it counts and where the definition comes from.

Where a record belongs to an area:

- child in need work (referrals, assessments, section 47 enquiries, conferences, child protection plans)
  belongs to the area of its child in need episode (``CinEpisode.area``), the census's spine;
- a looked-after child or a care leaver belongs to the area of their latest child in need episode that
  began on or before the period's last day (the looked-after records carry no area; a child in care keeps an
  open episode). One with no episode counts only in the council's figure;
- a statutory visit or review belongs to the area its deadline was recorded against (``Deadline.area``).

The council's figure counts every record, including any with no area, so it can be more than the sum of
the areas.

Cost: each measure is one or two grouped queries, whatever the size of the council (``COMPUTERS`` below:
twelve queries for every measure of every area). Rows are grouped in the database where the arithmetic can
be done there; where it needs the working-day calendar or calendar months (assessments, plan lengths,
re-referrals, placements, birthdays) the query returns grouped dates or one small row per record, and the
arithmetic is done here with the calendar taken once.
"""

import csv
import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from safeguard.casework.models import (
    Assessment,
    AssessmentStatus,
    ChildProtectionConference,
    CinEpisode,
    ConferenceKind,
    CPPlan,
    S47Enquiry,
)
from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.core.calendar import add_calendar_months, calendar
from safeguard.frontdoor.dashboard import MonthsBefore
from safeguard.lookedafter.models import (
    CareLeaver,
    CareLeaverContact,
    CareLeaverStatus,
    LacEpisode,
    PeriodOfCare,
)
from safeguard.lookedafter.rules import PLACEMENT_REASONS, SHORT_BREAKS, is_temporary
from safeguard.lookedafter.selectors import IN_TOUCH_MONTHS_AFTER, IN_TOUCH_MONTHS_BEFORE, status_nearest
from safeguard.people.models import Person

DATA_FILE = Path(__file__).parent / "data" / "measures.csv"

HIGHER = "higher"
LOWER = "lower"

# An area id, or None for records with no area.
AreaKey = int | None
# (numerator, denominator) for each area key.
Tally = dict[AreaKey, list[int]]

# Working Together 2023 ch.3 and the DfE's table C2: an assessment is in time within 45 working days of its
# start, the start day being day 0 (C2's "same day" band), which is the calendar's exclusive counting.
ASSESSMENT_WORKING_DAYS = 45
ASSESSMENT_COUNTING = "exclusive"
# A re-referral follows a referral of the same child no more than 12 calendar months before.
RE_REFERRAL_MONTHS = 12
CP_PLAN_LONG_MONTHS = 24
THREE_PLACEMENTS = 3
CARE_LEAVER_AGES = (19, 20, 21)
IN_TOUCH = "YES"
# Left out of the DfE's care leaver figures: young people who have died, or returned home to their parents
# for 6 months or more (DfE 'Children looked after in England', care leaver footnotes).
NOT_COUNTED_IN_TOUCH = frozenset({"DIED", "RHOM"})

VISIT_DUTIES = ("cp_visit", "lac_visit_first", "lac_visit")
REVIEW_DUTIES = ("cp_review_first", "cp_review", "lac_review_first", "lac_review_second", "lac_review")


@dataclass(frozen=True)
class Definition:
    """One measure's reference data: what it counts, where the definition comes from, and England's figure."""

    code: str
    name: str
    better: str  # "higher" or "lower"
    definition: str
    numerator_label: str
    denominator_label: str
    statistical_source: str
    england_value: float | None
    england_period: str
    england_source: str
    england_verified: bool


@cache
def definitions() -> dict[str, Definition]:
    """The measures in the order the page shows them, from ``data/measures.csv``."""
    with DATA_FILE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    found = {}
    for row in rows:
        if row["better"] not in (HIGHER, LOWER):
            raise ValueError(f"{row['code']}: 'better' must be higher or lower")
        found[row["code"]] = Definition(
            code=row["code"],
            name=row["name"],
            better=row["better"],
            definition=row["definition"],
            numerator_label=row["numerator"],
            denominator_label=row["denominator"],
            statistical_source=row["statistical_source"],
            england_value=float(row["england_value"]) if row["england_value"] else None,
            england_period=row["england_period"],
            england_source=row["england_source"],
            england_verified=row["england_verified"] == "yes",
        )
    return found


def percent(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


@dataclass(frozen=True)
class MeasureValue:
    """One measure for one place and period: the figure, what it was worked out from, and England's."""

    code: str
    name: str
    numerator: int
    denominator: int
    value: float | None  # percent, one decimal place; None when nothing was counted
    england: float | None
    better: str  # "higher" or "lower"
    england_period: str = ""
    england_source: str = ""

    @property
    def definition(self) -> Definition:
        return definitions()[self.code]

    def compared_with_england(self) -> str | None:
        """ "better", "worse" or "same" against England's figure (None when either is missing)."""
        if self.value is None or self.england is None:
            return None
        if self.value == self.england:
            return "same"
        return "better" if (self.value > self.england) == (self.better == HIGHER) else "worse"


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A period ends on or after its start")

    @property
    def label(self) -> str:
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (4, 1, 3, 31):
            return f"Year ending 31 March {self.end.year}"
        return f"12 months to {self.end.day} {self.end:%B %Y}"


def twelve_months_to(end: datetime.date) -> Period:
    """The 12 months ending on ``end`` (inclusive): from the day after the same date a year before."""
    return Period(add_calendar_months(end, -12) + datetime.timedelta(days=1), end)


def year_to_last_31_march(today: datetime.date) -> Period:
    """The statistical year (1 April to 31 March) that ended most recently, on or before ``today``."""
    year = today.year if (today.month, today.day) >= (3, 31) else today.year - 1
    return Period(datetime.date(year - 1, 4, 1), datetime.date(year, 3, 31))


# -- the measures ----------------------------------------------------------------------------------------------


def _tally() -> Tally:
    return defaultdict(lambda: [0, 0])


def _in_area(rows: QuerySet, area_id: int | None, field: str) -> QuerySet:
    return rows if area_id is None else rows.filter(**{field: area_id})


def re_referrals(period: Period, area_id: int | None, today: datetime.date, memo: dict) -> Tally:
    """Re-referral rate (DfE 'Children in need'; 'a re-referral occurs when a child is referred within 12
    months of a previous referral').

    Denominator: referrals with their ``CINreferralDate`` in the period (every child in need episode,
    including those closed with no further action, as the census counts referrals). Numerator: those for a
    child whose previous referral (any area) was on or after the same date 12 calendar months earlier: a
    referral on 1 April 2025 after one on 1 April 2024 is a re-referral; after one on 31 March 2024, not.
    Two referrals on the same day are one event, not a re-referral of each other.

    One grouped query: the period's referrals by area, each tested for an earlier referral of the same child
    in the 12 months before it (``EXISTS`` on the (child, referral date) index; the date arithmetic is the
    database's, clamped at a month's end as ``add_calendar_months`` is).
    """
    in_period = _in_area(
        CinEpisode.objects.filter(referral_date__gte=period.start, referral_date__lte=period.end),
        area_id,
        "area_id",
    )
    earlier = CinEpisode.objects.filter(
        child_id=OuterRef("child_id"),
        referral_date__lt=OuterRef("referral_date"),
        referral_date__gte=MonthsBefore(OuterRef("referral_date"), months=RE_REFERRAL_MONTHS),
    )
    tally = _tally()
    grouped = (
        in_period.annotate(again=Exists(earlier))
        .values("area_id")
        .annotate(n=Count("*"), again=Count("pk", filter=Q(again=True)))
        .order_by()
    )
    for item in grouped:
        tally[item["area_id"]] = [item["again"], item["n"]]
    return tally


def assessments_in_time(period: Period, area_id: int | None, today: datetime.date, memo: dict) -> Tally:
    """Assessments completed within 45 working days (DfE 'Children in need', table C2; Working Together 2023
    ch.3).

    Denominator: assessments authorised (``AssessmentAuthorisationDate``) in the period; withdrawn ones never
    were. Numerator: those authorised no more than 45 working days after ``AssessmentActualStartDate``,
    counting the start day as day 0 (the working-day calendar's "exclusive" counting, whatever the
    installation's default for deadlines): started on a Friday and authorised the next Monday is 1 day.

    One query, grouped by start date, authorisation date and area.
    """
    rows = _in_area(
        Assessment.objects.filter(
            status=AssessmentStatus.AUTHORISED,
            authorised_on__gte=period.start,
            authorised_on__lte=period.end,
        ),
        area_id,
        "episode__area_id",
    )
    tally = _tally()
    grouped = list(
        rows.values_list("start_date", "authorised_on", "episode__area_id").annotate(n=Count("*")).order_by()
    )
    if not grouped:
        return tally
    working_days = _working_days_counter(min(row[0] for row in grouped), period.end)
    for started, authorised, area, n in grouped:
        counts = tally[area]
        counts[1] += n
        if working_days(started, authorised) <= ASSESSMENT_WORKING_DAYS:
            counts[0] += n
    return tally


def _working_days_counter(
    first: datetime.date, last: datetime.date
) -> Callable[[datetime.date, datetime.date], int]:
    """Working days in ``(a, b]`` for ``first <= a <= b <= last``, as ``calendar().working_days_between(a, b,
    counting="exclusive")`` counts them (``ASSESSMENT_COUNTING``), from a running count built once: thousands
    of assessments, one subtraction each."""
    cal = calendar()
    origin = first.toordinal()
    running, total = [], 0
    for ordinal in range(origin, last.toordinal() + 1):
        total += cal.is_working_day(datetime.date.fromordinal(ordinal))
        running.append(total)

    def between(a: datetime.date, b: datetime.date) -> int:
        return running[b.toordinal() - origin] - running[a.toordinal() - origin]

    return between


def s47_to_conference(period: Period, area_id: int | None, today: datetime.date, memo: dict) -> Tally:
    """Section 47 enquiries leading to an initial child protection conference, as the DfE's table C4 gives
    the two counts: initial conferences held in the period (``DateOfInitialCPC``) over section 47 enquiries
    started in it (``S47ActualStartDate``). A conference in April from an enquiry of March counts in April's
    year, so the ratio can exceed 100% in a small area over a short time.

    Two grouped queries.
    """
    tally = _tally()
    enquiries = _in_area(
        S47Enquiry.objects.filter(start_date__gte=period.start, start_date__lte=period.end),
        area_id,
        "episode__area_id",
    )
    for area, n in enquiries.values_list("episode__area_id").annotate(n=Count("pk")).order_by():
        tally[area][1] += n
    conferences = _in_area(
        ChildProtectionConference.objects.filter(
            kind=ConferenceKind.INITIAL, held_on__gte=period.start, held_on__lte=period.end
        ),
        area_id,
        "episode__area_id",
    )
    for area, n in conferences.values_list("episode__area_id").annotate(n=Count("pk")).order_by():
        tally[area][0] += n
    return tally


def cp_plans_two_years(period: Period, area_id: int | None, today: datetime.date, memo: dict) -> Tally:
    """Child protection plans ending that lasted 2 years or more (DfE 'Children in need', table D7: duration
    from ``CPPstartDate`` to ``CPPendDate``).

    Denominator: plans ending in the period. Numerator: those ending on or after the second anniversary of
    their start (calendar years; a plan from 29 February lasts 2 years on 28 February two years on).

    One query, grouped by start date, end date and area.
    """
    rows = _in_area(
        CPPlan.objects.filter(end_date__gte=period.start, end_date__lte=period.end),
        area_id,
        "episode__area_id",
    )
    tally = _tally()
    grouped = rows.values_list("start_date", "end_date", "episode__area_id").annotate(n=Count("pk"))
    for started, ended, area, n in grouped.order_by():
        counts = tally[area]
        counts[1] += n
        if ended >= add_calendar_months(started, CP_PLAN_LONG_MONTHS):
            counts[0] += n
    return tally


def cp_plans_subsequent(period: Period, area_id: int | None, today: datetime.date, memo: dict) -> Tally:
    """Child protection plans starting that are a second or subsequent plan (DfE 'Children in need', table D3,
    formerly NI 65: a child who had been the subject of a plan before, 'regardless of how long ago').

    Denominator: plans starting (``CPPstartDate``) in the period. Numerator: those for a child with a plan
    that started earlier in this council's records, in any area. (The census's ``NumberOfPreviousCPP`` also
    counts plans made by other councils, which these records do not hold.)

    One grouped query with an ``EXISTS`` on the child's plans (served by their (child, start_date) index).
    """
    earlier = CPPlan.objects.filter(child_id=OuterRef("child_id"), start_date__lt=OuterRef("start_date"))
    rows = _in_area(
        CPPlan.objects.filter(start_date__gte=period.start, start_date__lte=period.end),
        area_id,
        "episode__area_id",
    )
    grouped = (
        rows.annotate(earlier=Exists(earlier))
        .values_list("episode__area_id")
        .annotate(subsequent=Count("pk", filter=Q(earlier=True)), total=Count("pk"))
    )
    tally = _tally()
    for area, subsequent, total in grouped.order_by():
        tally[area][0] += subsequent
        tally[area][1] += total
    return tally


def _areas_of(children: QuerySet, on: datetime.date) -> dict[int, AreaKey]:
    """Each child's area: that of their latest child in need episode begun on or before ``on`` (one query)."""
    areas: dict[int, AreaKey] = {}
    rows = (
        CinEpisode.objects.filter(child_id__in=children, referral_date__lte=on)
        .order_by("child_id", "referral_date", "pk")
        .values_list("child_id", "area_id")
    )
    for child_id, area in rows:
        areas[child_id] = area  # the last one, in date order, wins
    return areas


def placement_moves(period: Period, area_id: int | None, today: datetime.date, memo: dict) -> Tally:
    """Children looked after with 3 or more placements during the year (DfE 'Children looked after in England',
    placement stability; SSDA903 episodes).

    Denominator: children looked after at the end of the period's last day (a period of care begun by then
    and not ended on or before it), except those whose legal status that day is a short break (V3, V4), whom
    the DfE leaves out of its looked-after figures. Numerator: those of them who lived in 3 or more
    placements during the period. Placements are counted as regulation 28 counts them
    (``lookedafter.models.placements_of``): the placement they were in when the period began (or their
    first) is one, and each episode after it that began a new placement (a reason for a new episode of S,
    P, T, U or B) is another, except a temporary placement (T0-T4) and the return from it. A change of legal
    status alone is not a placement. Episodes of an earlier period of care in the same year count too.

    Two queries: the episodes that overlap the period, of the children looked after at its end, in order; and
    those children's areas.
    """
    end = period.end
    looked_after = PeriodOfCare.objects.filter(start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=end)
    )
    children = looked_after.values("child_id")
    episodes = (
        LacEpisode.objects.filter(child_id__in=children, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
        .order_by("child_id", "start_date", "pk")
        .values_list("child_id", "reason_new_episode", "placement_type", "legal_status")
    )
    placements: Counter = Counter()
    status_at_end: dict[int, str] = {}
    previous: dict[int, str] = {}  # each child's previous episode's placement type
    for child_id, reason, place, legal_status in episodes:
        before = previous.get(child_id)
        if before is None or (
            reason in PLACEMENT_REASONS and not is_temporary(place) and not is_temporary(before)
        ):
            placements[child_id] += 1
        previous[child_id] = place
        status_at_end[child_id] = legal_status  # the last episode begun by the end is the one open at it
    areas = _areas_of(children, end)
    tally = _tally()
    for child_id, count in placements.items():
        if status_at_end[child_id] in SHORT_BREAKS:
            continue
        area = areas.get(child_id)
        if area_id is not None and area != area_id:
            continue
        tally[area][1] += 1
        if count >= THREE_PLACEMENTS:
            tally[area][0] += 1
    return tally


def _deadline_counts(period: Period, area_id: int | None, today: datetime.date, memo: dict) -> dict:
    """Visit and review deadlines due in the period, met in time and late, by (duty, area): one grouped query
    for both measures (a call of ``measures`` shares it through ``memo``)."""
    key = ("deadlines", period, area_id, today)
    if key not in memo:
        rows = _in_area(
            Deadline.objects.filter(
                duty_id__in=[*VISIT_DUTIES, *REVIEW_DUTIES], due_on__gte=period.start, due_on__lte=period.end
            ),
            area_id,
            "area_id",
        )
        met = Q(status=DeadlineStatus.MET, closed_on__lte=F("due_on"), breached_on__isnull=True)
        late = (
            Q(breached_on__isnull=False)
            | Q(status=DeadlineStatus.OPEN, due_on__lt=today)
            | (~Q(status=DeadlineStatus.OPEN) & Q(closed_on__gt=F("due_on")))
        )
        # Counting a column of ``deadline_duty_due_idx`` (never null), not the id, lets PostgreSQL read the
        # index alone.
        grouped = rows.values_list("duty_id", "area_id").annotate(
            met=Count("due_on", filter=met), late=Count("due_on", filter=late)
        )
        memo[key] = {(duty, area): (in_time, overdue) for duty, area, in_time, overdue in grouped.order_by()}
    return memo[key]


def _on_time(
    duties: tuple[str, ...], period: Period, area_id: int | None, today: datetime.date, memo: dict
) -> Tally:
    tally = _tally()
    for (duty, area), (in_time, overdue) in _deadline_counts(period, area_id, today, memo).items():
        if duty in duties:
            tally[area][0] += in_time
            tally[area][1] += in_time + overdue
    return tally


def visits_on_time(period: Period, area_id: int | None, today: datetime.date, memo: dict) -> Tally:
    """Statutory visits on time, from the deadlines the compliance engine recorded (duties ``cp_visit``,
    ``lac_visit_first``, ``lac_visit``: CPPCR 2010 reg 28 and the child protection plan's frequency).

    Denominator: visit deadlines due in the period that were met, or were late (breached, open past their
    day, or met or cancelled after it). A deadline cancelled in time (the plan or placement ended first) and
    one still open on its due day are left out: nothing was owed, or it is not yet late. Numerator: those
    met on or before their day. One grouped query, shared with ``reviews_on_time``.
    """
    return _on_time(VISIT_DUTIES, period, area_id, today, memo)


def reviews_on_time(period: Period, area_id: int | None, today: datetime.date, memo: dict) -> Tally:
    """Reviews on time, from the deadlines (duties ``cp_review_first``, ``cp_review``: Working Together 2023
    ch.3; ``lac_review_first``, ``lac_review_second``, ``lac_review``: CPPCR 2010 reg 33), counted as
    ``visits_on_time`` counts visits."""
    return _on_time(REVIEW_DUTIES, period, area_id, today, memo)


def care_leavers_in_touch(period: Period, area_id: int | None, today: datetime.date, memo: dict) -> Tally:
    """Care leavers aged 19 to 21 in touch with the council (DfE 'Children looked after in England', care
    leavers now aged 19 to 21; SSDA903 OC3 IN_TOUCH; Children Act 1989 s23C).

    The cohort: each care leaver record (not only 'qualifying' for advice) begun on or before the 19th, 20th
    or 21st birthday that falls in the period. The status is that of the contact recorded nearest the
    birthday from 3 months before it to 1 month after (the earlier on a tie); none recorded counts as not in
    touch. Left out: those who had died (DIED) or returned home (RHOM). Numerator: IN_TOUCH "YES".

    Three queries: the young people with such a birthday and a care leaver record, their contacts, their
    areas.
    """
    births = _birth_dates_for(period)
    leavers = (
        CareLeaver.objects.exclude(status=CareLeaverStatus.QUALIFYING)
        .filter(child__person__date_of_birth__gte=births[0], child__person__date_of_birth__lte=births[1])
        .values_list("child_id", "child__person__date_of_birth", "start_date")
    )
    birthdays: dict[int, list[datetime.date]] = defaultdict(list)
    for child_id, born, started in leavers:
        for age in CARE_LEAVER_AGES:
            day = add_calendar_months(born, 12 * age)
            if period.start <= day <= period.end and started <= day and day not in birthdays[child_id]:
                birthdays[child_id].append(day)
    if not birthdays:
        return _tally()
    children = Person.objects.filter(pk__in=list(birthdays)).values("pk")
    window_start = add_calendar_months(period.start, -IN_TOUCH_MONTHS_BEFORE)
    window_end = add_calendar_months(period.end, IN_TOUCH_MONTHS_AFTER)
    contacts: dict[int, list[tuple[datetime.date, str]]] = defaultdict(list)
    rows = CareLeaverContact.objects.filter(
        child_id__in=children, contacted_on__gte=window_start, contacted_on__lte=window_end
    ).values_list("child_id", "contacted_on", "in_touch")
    for child_id, day, status in rows.order_by("child_id", "contacted_on", "pk"):
        contacts[child_id].append((day, status))
    areas = _areas_of(children, period.end)
    tally = _tally()
    for child_id, days in birthdays.items():
        area = areas.get(child_id)
        if area_id is not None and area != area_id:
            continue
        for birthday in days:
            status = status_nearest(contacts.get(child_id, []), birthday)
            if status in NOT_COUNTED_IN_TOUCH:
                continue
            tally[area][1] += 1
            if status == IN_TOUCH:
                tally[area][0] += 1
    return tally


def _birth_dates_for(period: Period) -> tuple[datetime.date, datetime.date]:
    """The earliest and latest dates of birth whose 19th-21st birthday can fall in the period."""
    return (
        add_calendar_months(period.start, -12 * max(CARE_LEAVER_AGES) - 1),
        add_calendar_months(period.end, -12 * min(CARE_LEAVER_AGES) + 1),
    )


# The measures, in the order of ``data/measures.csv``: code -> the function that counts it.
COMPUTERS: dict[str, Callable[[Period, int | None, datetime.date, dict], Tally]] = {
    "re_referral": re_referrals,
    "assessment_45_days": assessments_in_time,
    "s47_to_icpc": s47_to_conference,
    "cp_two_years": cp_plans_two_years,
    "cp_subsequent": cp_plans_subsequent,
    "cla_three_placements": placement_moves,
    "visits_on_time": visits_on_time,
    "reviews_on_time": reviews_on_time,
    "care_leavers_in_touch": care_leavers_in_touch,
}


def _value(code: str, numerator: int, denominator: int) -> MeasureValue:
    definition = definitions()[code]
    return MeasureValue(
        code=code,
        name=definition.name,
        numerator=numerator,
        denominator=denominator,
        value=percent(numerator, denominator),
        england=definition.england_value,
        better=definition.better,
        england_period=definition.england_period,
        england_source=definition.england_source,
    )


def measures(
    *, area_id: int | None, start: datetime.date, end: datetime.date, today: datetime.date | None = None
) -> list[MeasureValue]:
    """Every measure for the council (``area_id=None``) or one area, for ``start`` to ``end`` inclusive.

    The interface other pages (an area's dashboard) call. Twelve queries, whatever the size of the council.
    Counts only: no child is named, so it needs no access check of its own; the caller decides who may see
    which area.
    """
    period = Period(start, end)
    today = today or timezone.localdate()
    values, memo = [], {}
    for code in definitions():
        tally = COMPUTERS[code](period, area_id, today, memo)
        numerator = sum(counts[0] for counts in tally.values())
        denominator = sum(counts[1] for counts in tally.values())
        values.append(_value(code, numerator, denominator))
    return values


def measures_by_area(
    *, area_ids: Iterable[int], start: datetime.date, end: datetime.date, today: datetime.date | None = None
) -> dict[AreaKey, list[MeasureValue]]:
    """Every measure for the council (key ``None``) and for each of ``area_ids``, from one pass over the
    records (the same twelve queries as one call of ``measures``, grouped by area)."""
    period = Period(start, end)
    today = today or timezone.localdate()
    wanted = list(area_ids)
    found: dict[AreaKey, list[MeasureValue]] = {None: [], **{area: [] for area in wanted}}
    memo: dict = {}
    for code in definitions():
        tally = COMPUTERS[code](period, None, today, memo)
        found[None].append(_value(code, sum(c[0] for c in tally.values()), sum(c[1] for c in tally.values())))
        for area in wanted:
            numerator, denominator = tally.get(area, (0, 0))
            found[area].append(_value(code, numerator, denominator))
    return found


def measure_value(
    code: str,
    *,
    area_id: int | None,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date | None = None,
) -> MeasureValue:
    """One measure (for an improvement action's baseline and progress): one or two queries."""
    if code not in COMPUTERS:
        raise KeyError(code)
    tally = COMPUTERS[code](Period(start, end), area_id, today or timezone.localdate(), {})
    return _value(code, sum(c[0] for c in tally.values()), sum(c[1] for c in tally.values()))
