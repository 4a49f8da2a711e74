"""Reads for children looked after and care leavers. Pages about one child are reached through
``@child_record`` (the access policy has already said yes). Each read makes a fixed number of queries,
whatever the length of the child's history; the dates due are read from the deadline engine's open
``compliance.Deadline`` rows, never worked out again here."""

import datetime
from dataclasses import dataclass, field

from safeguard.casework.models import Visit
from safeguard.compliance.models import Deadline
from safeguard.lookedafter.models import (
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
    placements_of,
)
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
