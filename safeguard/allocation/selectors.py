"""The unallocated queue: every child with an open case and no allocated qualified social worker.

It is derived, never stored: an open child in need episode (``casework.CinEpisode``) whose child has no
current allocation, in the allocated-worker role, to a qualified social worker who can still sign in and is
still in the team the allocation names. So no open case can drop out of it: the moment an allocation ends,
or its worker leaves (their account is disabled) or moves team, the child is in the queue again; how long
they have waited counts from the end of their last allocation (or the referral, if later).

Scoped to the user: a team manager sees their team's open cases, a head of service their area's, the
director and inspectors every one.

Also the reads behind allocating (the workers a manager may choose, a child's siblings to allocate with
them) and the caseload view (weighted caseloads per team and area, in the same scope; ``caseload.py`` does
the weighting), and the over-limit decisions the oversight dashboard lists.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from safeguard.allocation.caseload import Caseload, ChildLoad, caseload_with, weighted_caseloads
from safeguard.allocation.models import OverLimitAllocation
from safeguard.allocation.policies import ALLOCATING_ROLES
from safeguard.audit.policy import without_closed, worker_for
from safeguard.casework.models import OPEN_ASSESSMENT, Assessment, CinEpisode, CinPlan, CPPlan, S47Enquiry
from safeguard.compliance.models import Deadline
from safeguard.core.calendar import working_days_between
from safeguard.frontdoor.models import Rag
from safeguard.lookedafter.models import PeriodOfCare
from safeguard.organisation.models import Allocation, AllocationRole, Area, Role, Team, Worker
from safeguard.organisation.selectors import teams_in_reach
from safeguard.people.models import SIBLING_TYPES, Relationship


def queue_scope(user) -> QuerySet[CinEpisode]:
    """The open episodes whose allocation this user answers for (less restricted records not open to them)."""
    worker = worker_for(user)
    episodes = without_closed(user, CinEpisode.objects.open())
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


# -- allocating ----------------------------------------------------------------------------------------------


def eligible_workers(*, user, episode: CinEpisode) -> QuerySet[Worker]:
    """The workers ``user`` may allocate ``episode``'s child to: qualified social workers who can sign in, in a
    team of the episode's area that the user manages (a case moves between areas by transfer, not by
    allocation)."""
    manager = worker_for(user)
    workers = Worker.objects.filter(
        role=Role.SOCIAL_WORKER,
        is_qualified=True,
        user__is_active=True,
        team__isnull=False,
        team__area_id=episode.area_id,
    ).select_related("user", "team")
    if manager is None or manager.role not in ALLOCATING_ROLES:
        return workers.none()
    if manager.role == Role.HEAD_OF_SERVICE:
        workers = workers.filter(team__area_id=manager.area_id)
    elif manager.role == Role.TEAM_MANAGER:
        workers = workers.filter(team_id=manager.team_id)
    return workers.order_by("team__name", "user__last_name", "user__first_name", "pk")


@dataclass(frozen=True)
class Sibling:
    episode: CinEpisode
    how: str  # how they are related ("sibling", "half-sibling", "step-sibling")
    held_by: Worker | None  # their allocated social worker today, if any

    @property
    def child(self):
        return self.episode.child


def recorded_siblings(child) -> dict[int, str]:
    """The child's recorded siblings, half-siblings and step-siblings, with how each is related: the sibling
    group a caseload counts once plus a part (``caseload.py``). One query."""
    related = {}
    for relationship in Relationship.objects.filter(relationship_type__in=SIBLING_TYPES).filter(
        Q(from_person_id=child.pk) | Q(to_person_id=child.pk)
    ):
        other = (
            relationship.to_person_id
            if relationship.from_person_id == child.pk
            else relationship.from_person_id
        )
        related[other] = relationship.get_relationship_type_display().lower()
    return related


def siblings_to_allocate(*, user, child, episode: CinEpisode, today: datetime.date) -> list[Sibling]:
    """The child's recorded siblings with an open case that ``user`` allocates, in the same area: they may be
    allocated together with the child, and count as one group on the worker's caseload. Three queries."""
    related = recorded_siblings(child)
    if not related:
        return []
    episodes = (
        queue_scope(user)
        .filter(child_id__in=list(related), area_id=episode.area_id)
        .select_related("child__person", "team")
        .order_by("child__person__date_of_birth", "pk")
    )
    episodes = list(episodes)
    holders = {
        allocation.child_id: allocation.worker
        for allocation in Allocation.objects.filter(
            pk__in=held_by_a_social_worker(today)
            .filter(child_id__in=[e.child_id for e in episodes])
            .values("pk")
        ).select_related("worker__user")
    }
    return [Sibling(e, related[e.child_id], holders.get(e.child_id)) for e in episodes]


def current_holder(child) -> Allocation | None:
    """The child's open allocated-worker allocation (whether or not its worker still holds the case)."""
    return (
        Allocation.objects.filter(child=child, role=AllocationRole.SOCIAL_WORKER, end_date__isnull=True)
        .select_related("worker__user", "team")
        .first()
    )


def has_had_a_social_worker(child, episode: CinEpisode) -> bool:
    """Whether the child had a social worker in this case (an allocation open on or after its referral): the
    next one is then a change, whose reason the SSDA903 asks (SW_REASON), not a first contact."""
    return (
        Allocation.objects.filter(child=child, role=AllocationRole.SOCIAL_WORKER)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=episode.referral_date))
        .exists()
    )


# -- caseloads -----------------------------------------------------------------------------------------------


def teams_in_scope(user) -> QuerySet[Team]:
    """The teams whose caseloads ``user`` sees: a team manager their team, a head of service their area's, the
    director and inspectors every team (the organisation's one rule, ``organisation.selectors``)."""
    worker = worker_for(user)
    if worker is None:
        return Team.objects.none()
    return teams_in_reach(worker=worker).order_by("area__name", "name")


@dataclass
class Totals:
    """Workers, hours, children and weighted cases of a team or an area, against the sum of their limits."""

    workers: int = 0
    fte: Decimal = Decimal(0)
    children: int = 0
    weighted: Decimal = Decimal(0)
    limit: Decimal = Decimal(0)
    over: int = 0  # workers over their limit

    def add(self, caseload: Caseload) -> None:
        self.workers += 1
        self.fte += caseload.worker.fte
        self.children += caseload.children
        self.weighted += caseload.weighted
        self.limit += caseload.limit
        self.over += caseload.over

    @property
    def percent(self) -> int:
        return round(self.weighted * 100 / self.limit) if self.limit else 0


@dataclass(frozen=True)
class LeftBehind:
    """Allocations still open in a team for a worker who has left or moved team: their children are already
    back in the queue; the allocations wait to be ended formally."""

    worker: Worker
    allocations: int

    @property
    def why(self) -> str:
        if not self.worker.user.is_active:
            return "Has left"
        return f"Moved to {self.worker.team.name}" if self.worker.team_id else "No longer in a team"


@dataclass
class TeamCaseloads:
    team: Team
    caseloads: list[Caseload] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)
    left_behind: list[LeftBehind] = field(default_factory=list)


@dataclass
class AreaCaseloads:
    area: Area
    teams: list[TeamCaseloads] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)


def caseload_workers(teams: QuerySet[Team]) -> QuerySet[Worker]:
    """The social workers whose caseloads a team's figures are made of: those who can still sign in."""
    return (
        Worker.objects.filter(team__in=teams, role=Role.SOCIAL_WORKER, user__is_active=True)
        .select_related("user", "team")
        # Only what a caseload row shows: a city has hundreds of workers, and building each one's user with
        # every column (dates converted one by one) cost more than the query.
        .only(
            "fte",
            "is_qualified",
            "role",
            "team_id",
            "team__name",
            "team__area_id",
            "user__first_name",
            "user__last_name",
            "user__username",
            "user__is_active",
        )
        .order_by("user__last_name", "user__first_name", "pk")
    )


def caseloads_by_area(
    *,
    user,
    today: datetime.date,
    team_id: int | None = None,
    area_id: int | None = None,
    caseloads: dict[int, Caseload] | None = None,
) -> list[AreaCaseloads]:
    """Every team in ``user``'s scope (or the one team or area asked for, within it) with its social workers'
    weighted caseloads and limits, team and area totals, and anyone who has left the team still holding
    allocations in it. A fixed number of queries: teams, workers, those of the caseloads, the left-behind.

    ``caseloads``: weighted caseloads already computed today (``weighted_caseloads``) for at least these
    workers, by worker id, when a page shows several views of the same workers (the area dashboards): a
    worker's caseload depends on their own allocations only, so it is the same whoever else was computed."""
    teams = teams_in_scope(user)
    if team_id is not None:
        teams = teams.filter(pk=team_id)
    if area_id is not None:
        teams = teams.filter(area_id=area_id)
    team_list = list(teams)
    workers = list(caseload_workers(teams))
    if caseloads is None:
        caseloads = weighted_caseloads(workers, today=today)
    by_team = {team.pk: TeamCaseloads(team=team) for team in team_list}
    for worker in workers:
        row = by_team[worker.team_id]
        row.caseloads.append(caseloads[worker.pk])
        row.totals.add(caseloads[worker.pk])
    left = (
        Allocation.objects.filter(role=AllocationRole.SOCIAL_WORKER, end_date__isnull=True, team__in=teams)
        .filter(
            Q(worker__user__is_active=False) | ~Q(worker__team_id=F("team_id")) | Q(worker__team__isnull=True)
        )
        .values("team_id", "worker_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    left_rows = list(left)
    departed = {
        worker.pk: worker
        for worker in Worker.objects.filter(pk__in={item["worker_id"] for item in left_rows}).select_related(
            "user", "team"
        )
    }
    for item in left_rows:
        by_team[item["team_id"]].left_behind.append(LeftBehind(departed[item["worker_id"]], item["count"]))
    areas: dict[int, AreaCaseloads] = {}
    for team in team_list:
        row = by_team[team.pk]
        if not row.caseloads and not row.left_behind:
            continue  # a team without case-holding social workers (the front door, reviewing officers)
        area = areas.setdefault(team.area_id, AreaCaseloads(area=team.area))
        area.teams.append(row)
        for caseload in row.caseloads:
            area.totals.add(caseload)
    return list(areas.values())


def may_see_worker(user, worker: Worker) -> bool:
    """A worker's case list is for whoever sees their team's caseloads, or a team they still hold children in."""
    teams = teams_in_scope(user)
    if worker.team_id and teams.filter(pk=worker.team_id).exists():
        return True
    return Allocation.objects.filter(worker=worker, end_date__isnull=True, team__in=teams).exists()


@dataclass(frozen=True)
class CaseListRow:
    allocation: Allocation
    load: ChildLoad | None  # None for an allocation that no longer counts (left behind in another team)

    @property
    def child(self):
        return self.allocation.child


def worker_case_list(*, user, worker: Worker, today: datetime.date) -> tuple[Caseload, list[CaseListRow]]:
    """The worker's weighted caseload, and their open allocated-worker allocations in teams ``user`` sees,
    each with the weight it counts."""
    caseload = caseload_with(worker, today=today)
    loads = {load.child_id: load for load in caseload.loads}
    allocations = (
        without_closed(
            user,
            Allocation.objects.filter(
                worker=worker,
                role=AllocationRole.SOCIAL_WORKER,
                end_date__isnull=True,
                team__in=teams_in_scope(user),
            ),
        )
        .select_related("child__person", "team")
        .order_by("child__person__last_name_key", "child__person__first_name_key", "pk")
    )
    return caseload, [CaseListRow(allocation, loads.get(allocation.child_id)) for allocation in allocations]


# -- over-limit decisions ------------------------------------------------------------------------------------


def over_limit_allocations(user, since: datetime.date) -> QuerySet[OverLimitAllocation]:
    """Allocations made over a worker's caseload limit since ``since``, in ``user``'s scope (the team the
    worker was in), newest first: management decisions the oversight dashboard lists with their reasons."""
    return (
        OverLimitAllocation.objects.filter(team__in=teams_in_scope(user), decided_at__date__gte=since)
        .select_related("worker__user", "team__area", "decided_by")
        .prefetch_related("allocations__child__person")
        .order_by("-decided_at", "-pk")
    )
