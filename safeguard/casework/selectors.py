"""Reads for casework. Pages about one child are reached through ``@child_record`` (the access policy has
already said yes); lists across children are scoped to the user here."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from safeguard.casework.models import (
    OPEN_ASSESSMENT,
    Assessment,
    CinEpisode,
    CinPlan,
    CPPlan,
    S47Enquiry,
    S47Outcome,
    Visit,
)
from safeguard.compliance.models import Deadline
from safeguard.organisation.models import Allocation, AllocationRole, Worker
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
    episode = CinEpisode.objects.open().filter(child=child).select_related("team", "area").first()
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
    )


def open_deadlines_for_child(*, child: Child) -> QuerySet[Deadline]:
    """What is due next for the child, soonest first (served by the partial index on open deadlines)."""
    return Deadline.objects.open().filter(child=child).select_related("duty").order_by("due_on", "pk")


def deadlines_due_for_worker(*, worker: Worker, today: datetime.date | None = None) -> QuerySet[Deadline]:
    """The open deadlines of every child allocated to ``worker`` today, soonest (and most overdue) first."""
    children = Allocation.objects.current(today).filter(worker=worker).values("child_id")
    return (
        Deadline.objects.open()
        .filter(child_id__in=children)
        .select_related("duty", "child__person")
        .order_by("due_on", "pk")
    )
