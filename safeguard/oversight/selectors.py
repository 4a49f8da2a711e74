"""Reads of management oversight, always scoped to the user.

Supervision is scoped by the organisation (a team manager answers for their team, a head of service for
their area, the director and inspectors for all); decisions, audits and their actions are about children,
so they are scoped by the one access policy (``visible_children``), as every other list of children is.

The dashboard's reads (``supervision_overdue``, ``audit_grades``, ``audit_actions_overdue``,
``management_decisions``) take ``(user, today)`` or ``(user, since)`` and make a fixed number of queries.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from safeguard.allocation.selectors import teams_in_scope
from safeguard.audit.policy import CASEWORK_ROLES, sees_every_child, visible_children, worker_for
from safeguard.casework.models import CinEpisode
from safeguard.organisation.models import Allocation, AllocationRole, Role, Team, Worker
from safeguard.oversight.models import (
    AuditStatus,
    CaseAudit,
    CaseAuditAction,
    Grade,
    ManagementDecision,
    Supervision,
)
from safeguard.oversight.policies import SUPERVISED_ROLES, may_see_supervision_of
from safeguard.oversight.supervision import SupervisionStatus, next_due, status_of
from safeguard.people.models import Child

# -- supervision ----------------------------------------------------------------------------------------------


def supervision_teams(user) -> QuerySet[Team]:
    """The teams whose supervision ``user`` answers for: those whose caseloads they see."""
    return teams_in_scope(user)


def _supervised(user, today: datetime.date) -> QuerySet[Worker]:
    """The supervised workers in the teams ``user`` answers for, each with their last supervision."""
    return Worker.objects.filter(
        team__in=supervision_teams(user), role__in=SUPERVISED_ROLES, user__is_active=True
    ).annotate(last_supervised=Max("supervisions__held_on", filter=Q(supervisions__held_on__lte=today)))


def supervision_statuses(user, today: datetime.date) -> list[SupervisionStatus]:
    """Every supervised worker in the teams ``user`` answers for, with their last supervision and when the
    next is due, by team then name (one query, then arithmetic on dates)."""
    workers = (
        _supervised(user, today)
        .select_related("user", "team__area")
        .order_by("team__area__name", "team__name", "user__last_name", "user__first_name", "pk")
    )
    return [status_of(worker, worker.last_supervised, today) for worker in workers]


@dataclass(frozen=True)
class _Supervised:
    """What ``supervision.next_due`` reads of a worker, without loading the worker."""

    qualified_on: datetime.date | None
    created_at: datetime.datetime


def supervision_overdue_by_team(user, today: datetime.date) -> Counter:
    """How many workers in each team ``user`` answers for are overdue supervision, by team id: the
    dashboard's figure, from one query of plain values (the overview's rule, ``supervision.next_due``)."""
    rows = (
        _supervised(user, today)
        .values_list("team_id", "qualified_on", "created_at", "last_supervised")
        .order_by()
    )
    overdue: Counter = Counter()
    for team_id, qualified_on, created_at, last in rows:
        if next_due(_Supervised(qualified_on, created_at), last, today) < today:
            overdue[team_id] += 1
    return overdue


def supervision_overdue(user, today: datetime.date) -> list[SupervisionStatus]:
    """Workers whose supervision is overdue (worker, last supervised, due, days overdue), longest first."""
    overdue = [status for status in supervision_statuses(user, today) if status.is_overdue]
    return sorted(overdue, key=lambda status: (-status.days_overdue, status.worker.name))


def supervision_history(user, worker: Worker) -> QuerySet[Supervision]:
    """``worker``'s supervision sessions that ``user`` may see: every one for the worker, their managers,
    the director and inspectors; otherwise only the sessions ``user`` held."""
    sessions = (
        Supervision.objects.filter(worker=worker)
        .select_related("supervisor__user")
        .annotate(cases_discussed=Count("cases"))
        .order_by("-held_on", "-pk")
    )
    if may_see_supervision_of(user, worker):
        return sessions
    viewer = worker_for(user)
    return sessions.filter(supervisor_id=viewer.pk) if viewer is not None else sessions.none()


# -- children's records: decisions, audits, actions ------------------------------------------------------------


def _about_visible_children(user, rows: QuerySet, child_field: str = "child") -> QuerySet:
    """``rows`` about children ``user`` may see (the access policy's list, as a subquery)."""
    worker = worker_for(user)
    if worker is not None and sees_every_child(worker):
        return rows
    return rows.filter(**{f"{child_field}__in": visible_children(user)})


def management_decisions(user, since: datetime.date) -> QuerySet[ManagementDecision]:
    """Decisions made since ``since`` on the files of children ``user`` may see, newest first."""
    decisions = ManagementDecision.objects.filter(decided_on__gte=since).select_related(
        "child__person", "decided_by"
    )
    return _about_visible_children(user, decisions).order_by("-decided_on", "-pk")


def decisions_for_child(child: Child) -> QuerySet[ManagementDecision]:
    return (
        ManagementDecision.objects.filter(child=child)
        .select_related("decided_by", "supervision__worker__team")
        .order_by("-decided_on", "-pk")
    )


def case_audits(user, today: datetime.date) -> QuerySet[CaseAudit]:
    """Audits of children ``user`` may see, each with how many of its actions are open and overdue: in
    progress first, then the most recently completed."""
    audits = CaseAudit.objects.select_related("child__person", "auditor__user").annotate(
        open_actions=Count("actions", filter=Q(actions__status="open")),
        overdue_actions=Count("actions", filter=Q(actions__status="open", actions__due_on__lt=today)),
    )
    return _about_visible_children(user, audits).order_by("-status", "-completed_on", "-started_on", "-pk")


def audit_grades(user, since: datetime.date) -> dict[str, int]:
    """How many audits completed since ``since`` had each overall grade (every grade, zero when none), for
    children ``user`` may see."""
    completed = CaseAudit.objects.filter(status=AuditStatus.COMPLETED, completed_on__gte=since)
    counts = dict(
        _about_visible_children(user, completed)
        .order_by()
        .values_list("overall_grade")
        .annotate(count=Count("pk"))
        .values_list("overall_grade", "count")
    )
    return {grade: counts.get(grade, 0) for grade in Grade.values}


def audit_actions(user) -> QuerySet[CaseAuditAction]:
    actions = CaseAuditAction.objects.select_related("audit__child__person", "owner__user")
    return _about_visible_children(user, actions, "audit__child")


def audit_actions_overdue(user, today: datetime.date) -> QuerySet[CaseAuditAction]:
    """Open audit actions past their due date, on the files of children ``user`` may see, oldest first."""
    return audit_actions(user).overdue(today).order_by("due_on", "pk")


def audits_in_progress_for(user) -> QuerySet[CaseAudit]:
    """The audits assigned to ``user`` that are still in progress."""
    worker = worker_for(user)
    if worker is None:
        return CaseAudit.objects.none()
    return (
        CaseAudit.objects.filter(auditor=worker, status=AuditStatus.DRAFT)
        .select_related("child__person")
        .order_by("started_on", "pk")
    )


# -- choices on the recording pages -----------------------------------------------------------------------------


def worker_children(user, worker: Worker, today: datetime.date) -> list[Child]:
    """The children currently allocated to ``worker`` that ``user`` may see: the cases offered for discussion
    in ``worker``'s supervision."""
    allocated = Allocation.objects.current(today).filter(worker=worker, role=AllocationRole.SOCIAL_WORKER)
    children = Child.objects.filter(pk__in=allocated.values("child_id")).select_related("person")
    return list(
        _about_visible_children(user, children, "pk").order_by(
            "person__last_name_key", "person__first_name_key", "pk"
        )
    )


def _holding(child: Child, today: datetime.date) -> tuple[set[int], set[int], set[int]]:
    """The case's allocated workers, the teams holding it (by allocation or the open episode), and their areas."""
    allocations = Allocation.objects.current(today).filter(child=child, role=AllocationRole.SOCIAL_WORKER)
    workers = set(allocations.values_list("worker_id", flat=True))
    teams = set(allocations.values_list("team_id", flat=True))
    teams |= set(CinEpisode.objects.open().filter(child=child).values_list("team_id", flat=True))
    areas = set(Team.objects.filter(pk__in=teams).values_list("area_id", flat=True))
    return workers, teams, areas


def auditor_candidates(child: Child, today: datetime.date) -> QuerySet[Worker]:
    """Who could audit ``child``'s case file: quality assurance auditors, the director, and the head of
    service for the area holding the case, leaving out anyone who holds or directly manages it (the service
    checks the choice again, with ``policies.auditor_refusal``)."""
    workers, teams, areas = _holding(child, today)
    direct = workers | set(
        Worker.objects.filter(pk__in=workers, manager__isnull=False).values_list("manager_id", flat=True)
    )
    return (
        Worker.objects.filter(
            Q(role__in=[Role.AUDITOR, Role.DIRECTOR]) | Q(role=Role.HEAD_OF_SERVICE, area_id__in=areas),
            user__is_active=True,
        )
        .exclude(pk__in=direct)
        .exclude(role=Role.TEAM_MANAGER, team_id__in=teams)
        .select_related("user", "team")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def action_owner_candidates(child: Child, today: datetime.date) -> QuerySet[Worker]:
    """Who could own an action on ``child``'s case: the allocated worker, the holding team's case workers and
    managers, and the area's head of service (the service checks they may change the child's record)."""
    workers, teams, areas = _holding(child, today)
    return (
        Worker.objects.filter(
            Q(pk__in=workers)
            | Q(team_id__in=teams, role__in=CASEWORK_ROLES)
            | Q(role=Role.HEAD_OF_SERVICE, area_id__in=areas),
            user__is_active=True,
        )
        .select_related("user", "team")
        .order_by("user__last_name", "user__first_name", "pk")
    )
