"""Reads for children looked after and care leavers. Pages about one child are reached through
``@child_record`` (the access policy has already said yes). Each read makes a fixed number of queries,
whatever the length of the child's history; the dates due are read from the deadline engine's open
``compliance.Deadline`` rows, never worked out again here."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from safeguard.casework.models import Visit
from safeguard.compliance.models import Deadline
from safeguard.core.calendar import add_calendar_months
from safeguard.core.years import CollectionYear
from safeguard.lookedafter.models import (
    Adoption,
    AnnualOutcome,
    CareLeaver,
    CareLeaverAccommodation,
    CareLeaverActivity,
    CareLeaverContact,
    HealthAssessment,
    HealthCheckKind,
    LacEpisode,
    LacReview,
    MissingEpisode,
    NeedsAssessment,
    PathwayPlan,
    PathwayPlanReview,
    PeriodOfCare,
    PersonalEducationPlan,
    Placement,
    UascStatus,
    convictions_apply,
    derived_health_items,
    health_check_applies,
    placements_of,
    sdq_applies,
)
from safeguard.lookedafter.rules import SHORT_BREAKS
from safeguard.people.models import Child

# What a page shows as "next due", each read from the open deadlines of these duties.
LOOKED_AFTER_DUE = {
    "review": ("lac_review_first", "lac_review_second", "lac_review"),
    "visit": ("lac_visit_first", "lac_visit"),
    "health": ("health_assessment_initial", "health_assessment_review"),
    "pep": ("pep_initial", "pep_review"),
    "care_plan": ("lac_care_plan",),
    "placement_plan": ("lac_placement_plan",),
    "return_interview": ("return_home_interview",),
}
CARE_LEAVER_DUE = {
    "needs_assessment": ("needs_assessment",),
    "pathway_review": ("pathway_plan_review",),
    "pa_visit": ("pa_visit_first", "pa_visit"),
}
RECENT_MISSING = 5  # missing episodes a summary lists (the counts cover the period)


def next_due(child: Child, groups: dict[str, tuple[str, ...]]) -> dict[str, Deadline]:
    """The soonest open deadline of each group, in one query (the partial index on open deadlines)."""
    duties = [code for codes in groups.values() for code in codes]
    group_of = {code: group for group, codes in groups.items() for code in codes}
    due: dict[str, Deadline] = {}
    rows = Deadline.objects.open().filter(child=child, duty_id__in=duties).select_related("duty")
    for deadline in rows.order_by("due_on", "pk"):
        due.setdefault(group_of[deadline.duty_id], deadline)
    return due


@dataclass
class LookedAfterSummary:
    """Where the child's time in care stands: their current (or last) period, placement and legal status,
    what is due, and the latest review, visit, health checks, PEP and missing episodes."""

    period: PeriodOfCare
    episodes: list[LacEpisode]
    placement: Placement
    legal_status_since: datetime.date
    placements_in_year: int
    due: dict[str, Deadline]
    last_review: LacReview | None
    last_visit: Visit | None
    last_health: HealthAssessment | None
    last_dental: HealthAssessment | None
    last_pep: PersonalEducationPlan | None
    missing: list[MissingEpisode] = field(default_factory=list)
    missing_count: int = 0
    away_count: int = 0

    @property
    def episode(self) -> LacEpisode:
        return self.placement.episode

    @property
    def open_missing(self) -> MissingEpisode | None:
        return next((item for item in self.missing if item.is_open), None)


def looked_after_summary(*, child: Child, today: datetime.date) -> LookedAfterSummary | None:
    """The child's latest period of care, or None if they have never been looked after. Nine queries."""
    period = PeriodOfCare.objects.filter(child=child).order_by("-start_date", "-pk").first()
    if period is None:
        return None
    episodes = list(period.episodes.order_by("start_date"))
    placements = list(placements_of(episodes))
    placement = placements[-1]
    legal_status_since = placement.episode.start_date
    for episode in reversed(episodes):
        if episode.legal_status != placement.episode.legal_status:
            break
        legal_status_since = episode.start_date
    year_ago = today - datetime.timedelta(days=365)
    placements_in_year = len(
        {item.started_on for item in placements if (item.episode.end_date or today) >= year_ago}
    )
    health = list(period.health_assessments.order_by("-done_on", "-pk"))
    missing = list(period.missing_episodes.order_by("-start_date", "-pk"))
    return LookedAfterSummary(
        period=period,
        episodes=episodes,
        placement=placement,
        legal_status_since=legal_status_since,
        placements_in_year=placements_in_year,
        due=next_due(child, LOOKED_AFTER_DUE) if period.is_open else {},
        last_review=period.reviews.order_by("-held_on", "-pk").first(),
        last_visit=Visit.objects.filter(child=child, child_seen=True, visited_on__gte=period.start_date)
        .select_related("visited_by__user")
        .order_by("-visited_on", "-pk")
        .first(),
        last_health=next((item for item in health if item.kind != HealthCheckKind.DENTAL), None),
        last_dental=next((item for item in health if item.kind == HealthCheckKind.DENTAL), None),
        last_pep=period.education_plans.order_by("-completed_on", "-pk").first(),
        missing=missing[:RECENT_MISSING] + [item for item in missing[RECENT_MISSING:] if item.is_open],
        missing_count=sum(1 for item in missing if item.kind == "M"),
        away_count=sum(1 for item in missing if item.kind == "A"),
    )


@dataclass
class CareLeaverSummary:
    """Annex A list 9 for one young person: eligibility, personal adviser, pathway plan, in touch, latest
    contact, accommodation and activity; and what is due."""

    care_leaver: CareLeaver
    needs_assessment: NeedsAssessment | None
    pathway_plan: PathwayPlan | None
    last_pathway_review: PathwayPlanReview | None
    last_contact: CareLeaverContact | None
    accommodation: CareLeaverAccommodation | None
    activity: CareLeaverActivity | None
    due: dict[str, Deadline]


def care_leaver_summary(*, child: Child) -> CareLeaverSummary | None:
    """The young person's latest leaving care record, or None. Eight queries."""
    care_leaver = (
        CareLeaver.objects.filter(child=child)
        .select_related("personal_adviser__user")
        .order_by("-start_date", "-pk")
        .first()
    )
    if care_leaver is None:
        return None
    plan = PathwayPlan.objects.filter(care_leaver=care_leaver).first()
    return CareLeaverSummary(
        care_leaver=care_leaver,
        needs_assessment=care_leaver.needs_assessments.order_by("-completed_on", "-pk").first(),
        pathway_plan=plan,
        last_pathway_review=plan.reviews.order_by("-reviewed_on", "-pk").first() if plan else None,
        last_contact=care_leaver.contacts.order_by("-contacted_on", "-pk").first(),
        accommodation=care_leaver.accommodation.order_by("-start_date", "-pk").first(),
        activity=care_leaver.activities.order_by("-start_date", "-pk").first(),
        due=next_due(child, CARE_LEAVER_DUE) if care_leaver.is_open else {},
    )


# SSDA903 OC3: a care leaver's in-touch status is the one recorded around their birthday, from 3 months
# before it to 1 month after (the DfE's SSDA903 guide [S]); the contact nearest the birthday is taken. Used by
# the SSDA903 return and the care leavers measure.
IN_TOUCH_MONTHS_BEFORE = 3
IN_TOUCH_MONTHS_AFTER = 1


def status_nearest(contacts: list[tuple[datetime.date, str]], birthday: datetime.date) -> str | None:
    """The in-touch status (IN_TOUCH) of the contact nearest ``birthday`` within the window, or None."""
    low = add_calendar_months(birthday, -IN_TOUCH_MONTHS_BEFORE)
    high = add_calendar_months(birthday, IN_TOUCH_MONTHS_AFTER)
    candidates = [(abs((day - birthday).days), day, status) for day, status in contacts if low <= day <= high]
    return min(candidates)[2] if candidates else None


# -- SSDA903 OC2 and UASC ---------------------------------------------------------------------------------------


def _overlapping(year_end: int) -> Q:
    """Rows with ``start_date``/``end_date`` that were going on at some time in the collection year."""
    return Q(start_date__lte=CollectionYear(year_end).end) & (
        Q(end_date__isnull=True) | Q(end_date__gte=CollectionYear(year_end).start)
    )


def oc2_cohort(*, year_end: int) -> QuerySet[PeriodOfCare]:
    """The periods of care of the children looked after continuously for 12 months at 31 March of
    ``year_end`` (SSDA903 OC2), one a child: the period began by 1 April and had not ended before 31 March,
    and the child had no short break (V3, V4) in the year. This is the DfE's definition (SSDA903 validation
    guide; the DfE-community validator's ``CONTINUOUSLY_LOOKED_AFTER``): looked after in the year, with no
    episode in it that started care after 1 April, left care before 31 March or was a short break. Periods
    of care never overlap, so the period that covers the year is the only one in it."""
    short_breaks = LacEpisode.objects.filter(
        _overlapping(year_end), child=OuterRef("child"), legal_status__in=SHORT_BREAKS
    )
    return (
        PeriodOfCare.objects.filter(start_date__lte=CollectionYear(year_end).start)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=CollectionYear(year_end).end))
        .exclude(Exists(short_breaks))
    )


OC2_ITEMS = (
    "sdq_score",
    "sdq_reason",
    "convicted",
    "health_check",
    "immunisations",
    "teeth_check",
    "health_assessment",
    "substance_misuse",
    "intervention_received",
    "intervention_offered",
)


@dataclass(frozen=True)
class Oc2Row:
    """One child's SSDA903 OC2 values for a year: the items a worker recorded (``outcome_id`` names the
    ``AnnualOutcome``, or None if nothing is recorded yet, when they are blank) and those derived from the
    child's health assessments. Items that do not apply at the child's age are None, as the return leaves
    them blank."""

    child_id: int
    date_of_birth: datetime.date | None
    outcome_id: int | None
    sdq_score: int | None
    sdq_reason: str
    convicted: bool | None
    health_check: bool | None
    immunisations: bool | None
    teeth_check: bool | None
    health_assessment: bool | None
    substance_misuse: bool | None
    intervention_received: bool | None
    intervention_offered: bool | None

    def values(self) -> dict[str, str]:
        """The OC2 columns after CHILD and DOB, as the file writes them: 0/1 items as "0" or "1", blank as ""."""

        def text(value) -> str:
            if value is None:
                return ""
            if isinstance(value, bool):
                return "1" if value else "0"
            return str(value)

        return {item.upper(): text(getattr(self, item)) for item in OC2_ITEMS}


@dataclass(frozen=True)
class UascRow:
    """A child's UASC status in a year's return (SSDA903 UASC: SEX, DOB, DUC). ``ceased_on`` is the day the
    status ceased if it had by 31 March; ``date_ceased`` is DUC as returned: that day, or while the status
    lasts the 18th birthday (``UascStatus.date_ceased_for_return``)."""

    child_id: int
    uasc_id: int
    sex: str
    date_of_birth: datetime.date | None
    start_date: datetime.date
    ceased_on: datetime.date | None
    date_ceased: datetime.date | None


@dataclass(frozen=True)
class Ssda903Outcomes:
    oc2: list[Oc2Row]
    uasc: list[UascRow]


def oc2_rows(*, year_end: int, child: int | None = None) -> list[Oc2Row]:
    """The OC2 values of every child in the year's cohort (``oc2_cohort``), or of one ``child`` (a pk), in
    order of child, in three queries: the cohort with the children's dates of birth, the outcomes recorded
    for the year, and the health assessments and dental checks from the 6 months before the year to its end."""
    cohort = oc2_cohort(year_end=year_end)
    if child is not None:
        cohort = cohort.filter(child_id=child)
    children = dict(
        cohort.order_by("child_id").values_list("child_id", "child__person__date_of_birth").distinct()
    )
    child_ids = cohort.values("child_id")
    recorded = {
        outcome.child_id: outcome
        for outcome in AnnualOutcome.objects.filter(year_end=year_end, child_id__in=child_ids)
    }
    checks: dict[int, list] = {child_id: [] for child_id in children}
    since = add_calendar_months(CollectionYear(year_end).start, -6)
    for child_id, kind, done_on in HealthAssessment.objects.filter(
        child_id__in=child_ids, done_on__gte=since, done_on__lte=CollectionYear(year_end).end
    ).values_list("child_id", "kind", "done_on"):
        checks[child_id].append((kind, done_on))
    rows = []
    for child_id, born in sorted(children.items()):
        outcome = recorded.get(child_id)
        derived = derived_health_items(born, year_end, checks[child_id])

        def given(name: str, applies: bool = True, outcome=outcome):
            return getattr(outcome, name) if outcome is not None and applies else None

        sdq = born is None or sdq_applies(born, year_end)
        rows.append(
            Oc2Row(
                child_id=child_id,
                date_of_birth=born,
                outcome_id=outcome.pk if outcome else None,
                sdq_score=given("sdq_score", sdq),
                sdq_reason=given("sdq_reason", sdq) or "",
                convicted=given("convicted", born is None or convictions_apply(born, year_end)),
                health_check=derived["health_check"]
                if born is None or health_check_applies(born, year_end)
                else None,
                immunisations=given("immunisations"),
                teeth_check=derived["teeth_check"],
                health_assessment=derived["health_assessment"],
                substance_misuse=given("substance_misuse"),
                intervention_received=given("intervention_received"),
                intervention_offered=given("intervention_offered"),
            )
        )
    return rows


def uasc_rows(*, year_end: int, child: int | None = None) -> list[UascRow]:
    """The UASC statuses for the year's return, in one query: a status going on at some time in the year
    (rule 104: none that ceased before 1 April), of a child looked after at some time in it (rule 1014: the
    UASC table is for children in the Episodes, not care leavers alone). A child with two statuses in the
    year (one ceased, another begun) has the later."""
    in_care = LacEpisode.objects.filter(_overlapping(year_end), child=OuterRef("child"))
    statuses = (
        UascStatus.objects.filter(_overlapping(year_end))
        .filter(Exists(in_care))
        .filter(**({} if child is None else {"child_id": child}))
        .select_related("child__person")
        .order_by("child_id", "start_date", "pk")
    )
    latest = {status.child_id: status for status in statuses}
    return [
        UascRow(
            child_id=status.child_id,
            uasc_id=status.pk,
            sex=status.child.person.sex,
            date_of_birth=status.child.person.date_of_birth,
            start_date=status.start_date,
            ceased_on=status.end_date
            if status.end_date is not None and status.end_date <= CollectionYear(year_end).end
            else None,
            date_ceased=status.date_ceased_for_return(year_end),
        )
        for status in latest.values()
    ]


def ssda903_outcomes(*, year_end: int, child: int | None = None) -> Ssda903Outcomes:
    """What the SSDA903 return of ``year_end`` (2025 for 2024-25) takes from this app beyond the episodes:
    the OC2 values of every child looked after continuously for 12 months at 31 March (``oc2_rows``) and the
    UASC statuses (``uasc_rows``). Four queries, whatever the number of children. A statutory return is made
    for the whole council, so this read is not scoped to a user: the caller (the returns app) decides who may
    run a return. ``child`` (a pk) narrows both to one child, for the checks made as a record is saved."""
    return Ssda903Outcomes(
        oc2=oc2_rows(year_end=year_end, child=child), uasc=uasc_rows(year_end=year_end, child=child)
    )


@dataclass(frozen=True)
class OutcomeYear:
    """A collection year for which a child's OC2 outcomes are recorded (``year_end``: 2025 for 2024-25): what a
    worker recorded (``outcome``, or None) and what the health records say (``derived``)."""

    year_end: int
    outcome: AnnualOutcome | None
    derived: dict[str, bool | None]
    under_way: bool  # the year has not ended: the child is in its cohort if still looked after on 31 March

    @property
    def label(self) -> str:
        return f"{self.year_end - 1}-{self.year_end % 100:02d}"


def outcome_years(*, child: Child, today: datetime.date) -> list[OutcomeYear]:
    """The years, latest first, in which the child was looked after continuously for 12 months at 31 March
    (``oc2_cohort``), and the year under way if they have been looked after since it began. Four queries."""
    current = CollectionYear.containing(today).end_year
    periods = list(PeriodOfCare.objects.filter(child=child).values_list("start_date", "end_date"))
    short_breaks = list(
        LacEpisode.objects.filter(child=child, legal_status__in=SHORT_BREAKS).values_list(
            "start_date", "end_date"
        )
    )
    years = set()
    for start, end in periods:
        first = CollectionYear.containing(start).end_year + (start > CollectionYear.containing(start).start)
        for year_end in range(first, current + 1):
            if end is not None and end < CollectionYear(year_end).end:
                break
            if not any(
                began <= CollectionYear(year_end).end
                and (ended is None or ended >= CollectionYear(year_end).start)
                for began, ended in short_breaks
            ):
                years.add(year_end)
    if not years:
        return []
    recorded = {outcome.year_end: outcome for outcome in AnnualOutcome.objects.filter(child=child)}
    checks = list(HealthAssessment.objects.filter(child=child).values_list("kind", "done_on"))
    born = child.person.date_of_birth
    return [
        OutcomeYear(
            year_end=year_end,
            outcome=recorded.get(year_end),
            derived=derived_health_items(born, year_end, checks),
            under_way=year_end == current,
        )
        for year_end in sorted(years, reverse=True)
    ]


def adoptions_of(*, child: Child) -> QuerySet[Adoption]:
    """The child's adoption journeys, latest decision first (the caller has checked the user may see the
    child)."""
    return Adoption.objects.filter(child=child).order_by("-decided_on", "-pk")


def adoptions_in_year(*, year_end: int) -> QuerySet[Adoption]:
    """Every decision that a child should be placed for adoption that stood at some time in the collection
    year ending ``year_end``: made by 31 March, not reversed before 1 April nor ended by an adoption order
    before it (SSDA903 PlacedAdoption, rules 559-561: a decision reversed in an earlier year is not returned
    again). For the SSDA903 and Ofsted's Annex A list 10; like ``ssda903_outcomes`` not scoped to a user: the
    returns app decides who may run a return. One query."""
    year = CollectionYear(year_end)
    return (
        Adoption.objects.filter(decided_on__lte=year.end)
        .exclude(reversed_on__lt=year.start)
        .exclude(order_on__lt=year.start)
        .order_by("child_id", "decided_on", "pk")
    )


def previous_permanence_in_year(*, year_end: int, child: int | None = None) -> dict[int, PeriodOfCare]:
    """For each child who started to be looked after in the collection year with their previous permanence
    recorded, the latest such period of care (SSDA903 PrevPerm: rule 630 asks it of every child who started
    to be looked after in the year; one row a child, INT35). One query."""
    year = CollectionYear(year_end)
    periods = (
        PeriodOfCare.objects.filter(start_date__range=(year.start, year.end))
        .filter(**({} if child is None else {"child_id": child}))
        .exclude(previous_permanence="")
        .order_by("child_id", "start_date")
    )
    return {period.child_id: period for period in periods}
