"""Reads for casework. Pages about one child are reached through ``@child_record`` (the access policy has
already said yes); lists across children are scoped to the user here."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from safeguard.audit.policy import worker_for
from safeguard.casework.models import (
    OPEN_ASSESSMENT,
    Assessment,
    BulkClosureAlert,
    CinEpisode,
    CinPlan,
    ClosureRequest,
    ClosureRequestStatus,
    CPPlan,
    S47Enquiry,
    S47Outcome,
    Visit,
)
from safeguard.compliance.models import Deadline
from safeguard.compliance.private import without_private
from safeguard.organisation.models import Allocation, AllocationRole, Role, Worker
from safeguard.people.models import Child


@dataclass(frozen=True)
class CaseSummary:
    """Where the child's case stands today: the open episode and what is open inside it."""

    episode: CinEpisode | None
    assessment: Assessment | None
    cin_plan: CinPlan | None
    s47: S47Enquiry | None
    awaiting_conference: S47Enquiry | None  # concluded "conference needed", conference not yet recorded
    cp_plan: CPPlan | None
    allocation: Allocation | None
    last_seen: Visit | None
    episodes: int
    closure_request: ClosureRequest | None = None  # the request to close the open episode, while pending

    @property
    def status(self) -> str:
        """The case status as Ofsted's Annex A list 6 names it."""
        if self.cp_plan:
            return "Child protection plan"
        if self.cin_plan:
            return "Child in need plan"
        if self.s47 or self.awaiting_conference:
            return "Section 47 enquiry"
        if self.assessment:
            return "Open assessment"
        if self.episode:
            return "Open case"
        return "Closed" if self.episodes else "Not known to children's social care"


def case_summary(*, child: Child, today: datetime.date) -> CaseSummary:
    episode = (
        CinEpisode.objects.open()
        .filter(child=child)
        .select_related("team", "area", "previous_episode")
        .first()
    )
    return CaseSummary(
        episode=episode,
        assessment=Assessment.objects.filter(child=child, status__in=OPEN_ASSESSMENT).first(),
        cin_plan=CinPlan.objects.filter(child=child, end_date__isnull=True).first(),
        s47=S47Enquiry.objects.filter(child=child, concluded_on__isnull=True).first(),
        awaiting_conference=S47Enquiry.objects.filter(
            child=child, outcome=S47Outcome.CONFERENCE, initial_conference__isnull=True
        ).first(),
        cp_plan=CPPlan.objects.filter(child=child, end_date__isnull=True).first(),
        allocation=Allocation.objects.current(today)
        .filter(child=child, role=AllocationRole.SOCIAL_WORKER)
        .select_related("worker__user", "team")
        .first(),
        last_seen=Visit.objects.filter(child=child, child_seen=True).order_by("-visited_on").first(),
        episodes=CinEpisode.objects.filter(child=child).count(),
        closure_request=ClosureRequest.objects.filter(episode=episode, status=ClosureRequestStatus.PENDING)
        .select_related("requested_by")
        .first()
        if episode is not None
        else None,
    )


def open_deadlines_for_child(*, child: Child) -> QuerySet[Deadline]:
    """What is due next for the child, soonest first (served by the partial index on open deadlines)."""
    return Deadline.objects.open().filter(child=child).select_related("duty").order_by("due_on", "pk")


def deadlines_due_for_worker(*, worker: Worker, today: datetime.date | None = None) -> QuerySet[Deadline]:
    """The open deadlines of every child allocated to ``worker`` today, soonest (and most overdue) first."""
    children = Allocation.objects.current(today).filter(worker=worker).values("child_id")
    return (
        without_private(worker.user, Deadline.objects.open())
        .filter(child_id__in=children)
        .select_related("duty", "child__person")
        .order_by("due_on", "pk")
    )


# -- closure requests and bulk closure alerts, for managers' lists and the oversight dashboard -----------------


def _closure_reach(user) -> tuple[str, int | None] | None:
    """Whose closures ``user`` oversees: ("all", None), ("team", id), ("area", id), or None for nobody's.
    A team manager oversees their team's, a head of service their area's, the director and inspectors all."""
    worker = worker_for(user)
    if worker is None:
        return None
    if worker.role in (Role.DIRECTOR, Role.INSPECTOR):
        return ("all", None)
    if worker.role == Role.HEAD_OF_SERVICE and worker.area_id:
        return ("area", worker.area_id)
    if worker.role == Role.TEAM_MANAGER and worker.team_id:
        return ("team", worker.team_id)
    return None


def pending_closure_requests(user) -> QuerySet[ClosureRequest]:
    """Closure requests waiting for a decision on the episodes ``user`` oversees (by the team and area that
    hold the episode now), oldest first. Each row's ``age_in_days(today)`` and ``age_in_working_days(today)``
    say how long it has waited. One query, served by the partial unique index on pending requests."""
    reach = _closure_reach(user)
    rows = ClosureRequest.objects.filter(status=ClosureRequestStatus.PENDING)
    if reach is None:
        return rows.none()
    kind, pk = reach
    if kind == "team":
        rows = rows.filter(episode__team_id=pk)
    elif kind == "area":
        rows = rows.filter(episode__area_id=pk)
    return rows.select_related("child__person", "episode__team", "requested_by").order_by(
        "requested_on", "pk"
    )


def closures_approved(user, since: datetime.date, until: datetime.date) -> QuerySet[ClosureRequest]:
    """Closures approved from ``since`` to ``until`` (both included, by the day of approval) by the teams
    ``user`` oversees (the team and area that held the case when it was approved), newest first."""
    reach = _closure_reach(user)
    rows = ClosureRequest.objects.filter(
        status=ClosureRequestStatus.APPROVED, decided_on__gte=since, decided_on__lte=until
    )
    if reach is None:
        return rows.none()
    kind, pk = reach
    if kind == "team":
        rows = rows.filter(team_id=pk)
    elif kind == "area":
        rows = rows.filter(area_id=pk)
    return rows.select_related("child__person", "team", "requested_by", "decided_by").order_by(
        "-decided_on", "-pk"
    )


def bulk_closure_alerts(user, *, open_only: bool = False) -> QuerySet[BulkClosureAlert]:
    """Bulk closure alerts for ``user``: the head of service's area's, every one for the director and
    inspectors, none for anyone else (a team manager's team's closures are what the alert is about)."""
    worker = worker_for(user)
    alerts = BulkClosureAlert.objects.select_related("team", "area")
    if worker is None:
        return alerts.none()
    if worker.role == Role.HEAD_OF_SERVICE and worker.area_id:
        alerts = alerts.filter(area_id=worker.area_id)
    elif worker.role not in (Role.DIRECTOR, Role.INSPECTOR):
        return alerts.none()
    if open_only:
        alerts = alerts.filter(acknowledged_on__isnull=True)
    return alerts.order_by("-raised_on", "-pk")


def alert_closures(alert: BulkClosureAlert) -> QuerySet[ClosureRequest]:
    """The approved closures an alert counts: the team's, approved within its window."""
    return (
        ClosureRequest.objects.filter(
            team_id=alert.team_id,
            status=ClosureRequestStatus.APPROVED,
            decided_on__gte=alert.window_start,
            decided_on__lte=alert.window_end,
        )
        .select_related("child__person", "requested_by", "decided_by")
        .order_by("decided_on", "pk")
    )
