"""The unallocated queue: every child with an open case and no allocated qualified social worker.

It is derived, never stored: an open child in need episode (``casework.CinEpisode``) whose child has no
current allocation, in the allocated-worker role, to a qualified social worker who can still sign in and is
still in the team the allocation names. So no open case can drop out of it: the moment an allocation ends,
or its worker leaves (their account is disabled) or moves team, the child is in the queue again; how long
they have waited counts from the end of their last allocation (or the referral, if later).

Scoped to the user: a team manager sees their team's open cases, a head of service their area's, the
director and inspectors every one.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from safeguard.audit.policy import worker_for
from safeguard.casework.models import OPEN_ASSESSMENT, Assessment, CinEpisode, CinPlan, CPPlan, S47Enquiry
from safeguard.compliance.models import Deadline
from safeguard.core.calendar import working_days_between
from safeguard.frontdoor.models import Rag
from safeguard.lookedafter.models import PeriodOfCare
from safeguard.organisation.models import Allocation, AllocationRole, Role


def queue_scope(user) -> QuerySet[CinEpisode]:
    """The open episodes whose allocation this user answers for."""
    worker = worker_for(user)
    episodes = CinEpisode.objects.open()
    if worker is None:
        return episodes.none()
    if worker.role in (Role.DIRECTOR, Role.INSPECTOR):
        return episodes
    if worker.role == Role.HEAD_OF_SERVICE and worker.area_id:
        return episodes.filter(area_id=worker.area_id)
    if worker.role == Role.TEAM_MANAGER and worker.team_id:
        return episodes.filter(team_id=worker.team_id)
    return episodes.none()


def held_by_a_social_worker(today: datetime.date) -> QuerySet:
    """Children whose case a qualified social worker holds today: a current allocation in the allocated-worker
    role to a qualified worker who can still sign in and is still in the team the allocation names. A
    worker who leaves (their account is disabled) or moves team no longer holds their children, from that
    moment, whether or not anyone has ended the allocations yet."""
    return (
        Allocation.objects.current(today)
        .filter(
            role=AllocationRole.SOCIAL_WORKER,
            worker__is_qualified=True,
            worker__user__is_active=True,
            team_id=F("worker__team_id"),
        )
        .values("child_id")
    )


def unallocated_count(*, user, today: datetime.date) -> int:
    """How many children are in ``user``'s queue (one query, for home pages)."""
    return queue_scope(user).exclude(child_id__in=held_by_a_social_worker(today)).count()


def unallocated_queue(*, user, today: datetime.date) -> QuerySet[CinEpisode]:
    """Open episodes without an allocated qualified social worker, with what the queue shows of each:
    the kind of case, the front door's priority, the day their last worker's allocation ended, and how many
    statutory deadlines are overdue. Highest priority first, then the longest open."""
    child = OuterRef("child_id")
    last_ended = (
        Allocation.objects.filter(child_id=child, role=AllocationRole.SOCIAL_WORKER, end_date__isnull=False)
        .order_by()
        .values("child_id")
        .annotate(last=Max("end_date"))
        .values("last")
    )
    overdue = (
        Deadline.objects.overdue(today)
        .filter(child_id=child)
        .order_by()
        .values("child_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        queue_scope(user)
        .exclude(child_id__in=held_by_a_social_worker(today))
        .select_related("child__person", "team", "area", "referral__contact__decision")
        .annotate(
            looked_after=Exists(PeriodOfCare.objects.open().filter(child_id=child)),
            on_cp_plan=Exists(CPPlan.objects.filter(child_id=child, end_date__isnull=True)),
            in_s47=Exists(S47Enquiry.objects.filter(child_id=child, concluded_on__isnull=True)),
            on_cin_plan=Exists(CinPlan.objects.filter(child_id=child, end_date__isnull=True)),
            in_assessment=Exists(Assessment.objects.filter(child_id=child, status__in=OPEN_ASSESSMENT)),
            last_allocation_ended=Subquery(last_ended, output_field=DateField()),
            overdue_deadlines=Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)),
            priority_rank=Case(
                When(referral__contact__decision__rag=Rag.RED, then=Value(0)),
                When(referral__contact__decision__rag=Rag.AMBER, then=Value(1)),
                When(referral__contact__decision__rag=Rag.GREEN, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            ),
        )
        # Waiting since the case opened, or since the last worker's allocation ended if that was later.
        .annotate(waiting_since=Greatest(Coalesce("last_allocation_ended", "referral_date"), "referral_date"))
        .order_by("priority_rank", "waiting_since", "pk")
    )


@dataclass(frozen=True)
class QueueRow:
    episode: CinEpisode
    kind: str
    priority: str
    waiting_since: datetime.date
    working_days_waited: int

    @property
    def child(self):
        return self.episode.child


def case_kind(episode: CinEpisode) -> str:
    """The kind of case, most serious first (Ofsted Annex A list 6's case status)."""
    if episode.looked_after:
        return "Looked after"
    if episode.on_cp_plan:
        return "Child protection plan"
    if episode.in_s47:
        return "Section 47 enquiry"
    if episode.on_cin_plan:
        return "Child in need plan"
    if episode.in_assessment:
        return "Assessment"
    return "Referral awaiting assessment"


def queue_rows(episodes, today: datetime.date) -> list[QueueRow]:
    """One page of the queue, as the page shows it."""
    rows = []
    for episode in episodes:
        contact = episode.referral.contact if episode.referral_id else None
        decision = getattr(contact, "decision", None) if contact is not None else None
        rows.append(
            QueueRow(
                episode=episode,
                kind=case_kind(episode),
                priority=decision.rag if decision is not None else "",
                waiting_since=episode.waiting_since,
                working_days_waited=working_days_between(episode.waiting_since, today)
                if episode.waiting_since <= today
                else 0,
            )
        )
    return rows
