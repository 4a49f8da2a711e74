"""Who may do what in management oversight, on top of the one access policy (``safeguard.audit.policy``).

Supervision
    A worker is supervised by their line manager (``Worker.manager``), a team manager of their team, or the
    head of service for their team's area: the people who answer for their practice (LGA Standards for
    employers of social workers in England, 2020). Nobody supervises themselves.
    A supervision record is about the worker, so it is seen by the worker, whoever held the session, and the
    worker's managers (anyone above them in the management line, their team's managers, their area's head
    of service), the director, and inspectors (Ofsted reads supervision records in an inspection). The
    *decisions* made in it are on each child's file, for anyone who may see the child.

Management decisions
    A team manager, head of service or the director who may change the child's record (Working Together
    2023 ch.3: managers answer for decisions on a child's case).

Case audits
    Commissioned by a team manager, head of service or the director who may change the child's record, and
    carried out by one of those or by a quality assurance auditor. The auditor must be independent of the
    case: not its allocated worker, not that worker's line manager and not a team manager of the team holding
    the case (those answer for the practice the audit grades; ADR 7). A quality assurance auditor sees no
    child's record except those they have an audit in progress for (``AUDITOR_REACH``), and only reads them
    (``audit.policy.READ_ONLY_ROLES``).
"""

import datetime

from django.db.models import Q, QuerySet

from safeguard.audit.policy import Reach, access_basis, managed_worker_ids, may_change, worker_for
from safeguard.casework.models import CinEpisode
from safeguard.organisation.models import Allocation, AllocationRole, Role, Worker
from safeguard.oversight.models import AuditStatus, CaseAudit, CaseAuditAction, Supervision
from safeguard.people.models import Child

# Whose supervision is recorded and tracked (everyone who works with children or manages those who do).
SUPERVISED_ROLES = {
    Role.SOCIAL_WORKER,
    Role.FAMILY_SUPPORT_WORKER,
    Role.FRONT_DOOR_WORKER,
    Role.TEAM_MANAGER,
    Role.IRO,
    Role.HEAD_OF_SERVICE,
}
MANAGER_ROLES = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR}
# Who sees the team supervision overview and the audits list.
OVERSEER_ROLES = MANAGER_ROLES | {Role.INSPECTOR}
SEES_ALL = {Role.DIRECTOR, Role.INSPECTOR}
# Who leads, or inspects, a devolved area: the areas of organisation.selectors.areas_in_reach.
AREA_ROLES = {Role.HEAD_OF_SERVICE, Role.DIRECTOR, Role.INSPECTOR}
AUDITOR_ROLES = MANAGER_ROLES | {Role.AUDITOR}
AUDITS_LIST_ROLES = OVERSEER_ROLES | {Role.AUDITOR}

CASE_AUDITOR = "case auditor"


# -- supervision ----------------------------------------------------------------------------------------------


def supervision_refusal(supervisor: Worker | None, worker: Worker) -> str | None:
    """Why ``supervisor`` may not record a supervision of ``worker``, or None when they may."""
    if supervisor is None:
        return "You have no staff record, so you cannot record a supervision"
    if supervisor.pk == worker.pk:
        return "You cannot record your own supervision: your manager records it"
    if worker.role not in SUPERVISED_ROLES:
        return f"Supervision is not recorded here for a {worker.get_role_display().lower()}"
    if not worker.user.is_active:
        return f"{worker.name} has left: their account is closed"
    if worker.manager_id == supervisor.pk:
        return None
    if supervisor.role == Role.TEAM_MANAGER and worker.team_id and supervisor.team_id == worker.team_id:
        return None
    if (
        supervisor.role == Role.HEAD_OF_SERVICE
        and worker.team_id
        and supervisor.area_id
        and worker.team.area_id == supervisor.area_id
    ):
        return None
    return (
        f"You can record supervision only for workers you manage: {worker.name}'s line manager, a team "
        "manager of their team or the head of service for their area"
    )


def supervisees(supervisor: Worker | None) -> QuerySet[Worker]:
    """The workers ``supervisor`` may supervise (the same rule as ``supervision_refusal``, as a query)."""
    if supervisor is None:
        return Worker.objects.none()
    reach = Q(manager_id=supervisor.pk)
    if supervisor.role == Role.TEAM_MANAGER and supervisor.team_id:
        reach |= Q(team_id=supervisor.team_id)
    if supervisor.role == Role.HEAD_OF_SERVICE and supervisor.area_id:
        reach |= Q(team__area_id=supervisor.area_id)
    return (
        Worker.objects.filter(reach, role__in=SUPERVISED_ROLES, user__is_active=True)
        .exclude(pk=supervisor.pk)
        .select_related("user", "team")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def may_supervise(user) -> bool:
    """Has this user anyone to supervise (navigation and the "record a supervision" link)."""
    return supervisees(worker_for(user)).exists()


class SupervisionSight:
    """Whose supervision records a user may read: the worker themself, the worker's managers (above them in
    the management line, a team manager of their team, the head of service for their team's area), the
    director and inspectors; and a session, also whoever held it. The management line is worked out once
    per viewer, so a page listing many sessions makes a fixed number of queries."""

    def __init__(self, user) -> None:
        self.viewer = worker_for(user)
        self._managed: set[int] | None = None

    def of_worker(self, worker: Worker) -> bool:
        viewer = self.viewer
        if viewer is None:
            return False
        if viewer.pk == worker.pk or viewer.role in SEES_ALL:
            return True
        if viewer.role == Role.TEAM_MANAGER and viewer.team_id and viewer.team_id == worker.team_id:
            return True
        if viewer.role == Role.HEAD_OF_SERVICE and worker.team_id and viewer.area_id == worker.team.area_id:
            return True
        if self._managed is None:
            self._managed = managed_worker_ids(viewer)
        return worker.pk in self._managed

    def of_session(self, supervision: Supervision) -> bool:
        if self.viewer is not None and self.viewer.pk == supervision.supervisor_id:
            return True
        return self.of_worker(supervision.worker)


def may_see_supervision_of(user, worker: Worker) -> bool:
    """May ``user`` see every supervision record of ``worker``."""
    return SupervisionSight(user).of_worker(worker)


def may_see_supervision(user, supervision: Supervision) -> bool:
    return SupervisionSight(user).of_session(supervision)


def held_children(worker: Worker, on: datetime.date) -> set[int]:
    """The children ``worker`` or their team holds on ``on``: a current allocation to the worker or in their
    team, or an open child in need episode their team holds (two queries)."""
    allocations = Allocation.objects.current(on).filter(role=AllocationRole.SOCIAL_WORKER)
    reach = Q(worker_id=worker.pk)
    if worker.team_id:
        reach |= Q(team_id=worker.team_id)
    held = set(allocations.filter(reach).values_list("child_id", flat=True))
    if worker.team_id:
        episodes = CinEpisode.objects.filter(team_id=worker.team_id, referral_date__lte=on).filter(
            Q(closure_date__isnull=True) | Q(closure_date__gte=on)
        )
        held |= set(episodes.values_list("child_id", flat=True))
    return held


# -- management decisions --------------------------------------------------------------------------------------


def may_decide(user, child: Child) -> bool:
    """Record a management decision on ``child``'s file."""
    worker = worker_for(user)
    return worker is not None and worker.role in MANAGER_ROLES and may_change(user, child).allowed


# -- case audits ----------------------------------------------------------------------------------------------


def may_commission_audit(user, child: Child) -> bool:
    """Start an audit of ``child``'s case file (and choose its auditor)."""
    return may_decide(user, child)


def directly_manages(auditor: Worker, child: Child, on: datetime.date) -> bool:
    """Does ``auditor`` hold or directly manage ``child``'s case: the allocated worker, that worker's line
    manager, or a team manager of a team holding the case (by allocation or the open episode)."""
    allocations = list(
        Allocation.objects.current(on)
        .filter(child=child, role=AllocationRole.SOCIAL_WORKER)
        .select_related("worker")
    )
    teams = {allocation.team_id for allocation in allocations}
    teams |= set(CinEpisode.objects.open().filter(child=child).values_list("team_id", flat=True))
    for allocation in allocations:
        if auditor.pk in (allocation.worker_id, allocation.worker.manager_id):
            return True
    return auditor.role == Role.TEAM_MANAGER and auditor.team_id in teams


def auditor_refusal(auditor: Worker | None, child: Child, on: datetime.date) -> str | None:
    """Why ``auditor`` may not audit ``child``'s case file, or None when they may."""
    if auditor is None or not auditor.user.is_active:
        return "Choose who will carry out the audit"
    if auditor.role not in AUDITOR_ROLES:
        return (
            f"{auditor.name} cannot audit case files: choose a team manager, head of service, the director "
            "or a quality assurance auditor"
        )
    if directly_manages(auditor, child, on):
        return f"{auditor.name} holds or directly manages this case: choose an auditor independent of it"
    if auditor.role != Role.AUDITOR and not access_basis(auditor.user, child).allowed:
        return (
            f"{auditor.name} cannot see this child's record: choose a manager who can, or a quality "
            "assurance auditor"
        )
    return None


def is_auditor(user, audit: CaseAudit) -> bool:
    worker = worker_for(user)
    return worker is not None and worker.pk == audit.auditor_id


def may_work_on_audit(user, audit: CaseAudit) -> bool:
    """Answer and complete the audit: its auditor, while it is in progress."""
    return audit.is_draft and is_auditor(user, audit)


def may_add_action(user, audit: CaseAudit) -> bool:
    """Set an action: the auditor while the audit is in progress, or a manager who may change the record."""
    return may_work_on_audit(user, audit) or may_decide(user, audit.child)


def may_complete_action(user, action: CaseAuditAction) -> bool:
    """Mark an action done: its owner, or a manager, if they may change the child's record."""
    worker = worker_for(user)
    if worker is None or not may_change(user, action.audit.child).allowed:
        return False
    return worker.pk == action.owner_id or worker.role in MANAGER_ROLES


def may_see_audits(user) -> bool:
    worker = worker_for(user)
    return worker is not None and worker.role in AUDITS_LIST_ROLES


def may_see_areas(user) -> bool:
    """The area dashboards are for those who answer for an area: its head of service, the director, and
    inspectors (``organisation.selectors.areas_in_reach``)."""
    worker = worker_for(user)
    return worker is not None and worker.role in AREA_ROLES


def may_oversee(user) -> bool:
    worker = worker_for(user)
    return worker is not None and worker.role in OVERSEER_ROLES


def _audited_children(worker: Worker):
    """Children whose case file a quality assurance auditor has an audit in progress for: the auditor reads
    them to audit them, and no longer once the audit is completed."""
    if worker.role != Role.AUDITOR:
        return None
    return CaseAudit.objects.filter(auditor_id=worker.pk, status=AuditStatus.DRAFT).values("child_id")


AUDITOR_REACH = Reach(basis=CASE_AUDITOR, children=_audited_children)
