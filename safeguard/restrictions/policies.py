"""Who may do what with restricted records and emergency access, and the rules this app adds to the one
access policy (``safeguard.audit.policy``: ``register_restriction``, ``register_reach``; ADR 0013)."""

from django.db.models import F, Q
from django.urls import reverse

from safeguard.audit.policy import Basis, Reach, Refusal, Restriction, access_basis, worker_for
from safeguard.organisation.models import Role, Worker
from safeguard.people.models import Child
from safeguard.restrictions.models import (
    AccessListEntry,
    CaldicottGuardian,
    EmergencyAccess,
    RecordRestriction,
    RestrictionKind,
    StaffConnection,
)

# Who may use emergency access: those who act on an emergency out of the case's own team: the front door
# (which also answers out of hours here: there is no emergency duty team kind), team managers and heads of
# service. Not administrators (no case role), analysts, inspectors, auditors or governance officers (they
# have no emergency to act on), nor the director (who sees every unrestricted child already).
EMERGENCY_ROLES = {Role.FRONT_DOOR_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE}


def _on_access_list(worker: Worker):
    return AccessListEntry.objects.current().filter(worker=worker).values("restriction__child_id")


def _in_emergency(worker: Worker):
    return EmergencyAccess.objects.active().filter(worker=worker).values("child_id")


def _in_force_unlisted(worker: Worker, child: Child) -> RecordRestriction | None:
    """The restriction in force on ``child`` unless ``worker`` is on its access list."""
    restriction = RecordRestriction.objects.in_force().filter(child=child).first()
    if restriction is None:
        return None
    if AccessListEntry.objects.current().filter(worker=worker, restriction=restriction).exists():
        return None
    return restriction


def _has_emergency_access(worker: Worker, child: Child) -> bool:
    return (
        worker.role in EMERGENCY_ROLES
        and EmergencyAccess.objects.active().filter(worker=worker, child=child).exists()
    )


def _refusal(worker: Worker, child: Child) -> str | None:
    """Per child: a staff connection first (it overrides everything, the access list and emergency access
    included); then a restriction in force that the worker is not on the list of, unless (not sealed) they
    have emergency access to it."""
    if StaffConnection.objects.current().filter(worker=worker, child=child).exists():
        return Refusal.STAFF_CONNECTION
    restriction = _in_force_unlisted(worker, child)
    if restriction is None:
        return None
    if restriction.is_sealed:
        return Refusal.SEALED
    if _has_emergency_access(worker, child):
        return None
    return Refusal.RESTRICTED


def _sole_basis(worker: Worker, child: Child) -> str | None:
    """A restricted record opened by emergency access is open on that basis alone: read only, even to a
    worker whose team holds the case (the restriction closed that relationship)."""
    if _in_force_unlisted(worker, child) is not None and _has_emergency_access(worker, child):
        return Basis.EMERGENCY
    return None


def _closed(worker: Worker) -> Q:
    """The children ``_refusal`` refuses, as one condition on ``Child``."""
    closed_restrictions = RecordRestriction.objects.in_force().exclude(child_id__in=_on_access_list(worker))
    if worker.role in EMERGENCY_ROLES:
        closed_restrictions = closed_restrictions.exclude(
            Q(child_id__in=_in_emergency(worker)) & ~Q(kind=RestrictionKind.SEALED_ADOPTION)
        )
    connected = StaffConnection.objects.current().filter(worker=worker).values("child_id")
    return Q(pk__in=closed_restrictions.values("child_id")) | Q(pk__in=connected)


RESTRICTED_RECORDS = Restriction(
    name="restricted records and staff connections", refusal=_refusal, closed=_closed, sole_basis=_sole_basis
)


def _access_list_children(worker: Worker):
    return AccessListEntry.objects.current().filter(worker=worker).values(child_id=F("restriction__child_id"))


# Being on a restricted record's access list is itself a reason to open it (the list is the decision of the
# governance officer who owns the register), whatever other relationship the worker has.
ACCESS_LIST_REACH = Reach(basis=Basis.ACCESS_LIST, children=_access_list_children)


def _emergency_children(worker: Worker):
    if worker.role not in EMERGENCY_ROLES:
        return None
    return EmergencyAccess.objects.active().filter(worker=worker).values("child_id")


EMERGENCY_REACH = Reach(basis=Basis.EMERGENCY, children=_emergency_children, read_only=True)


def is_governance_officer(user) -> bool:
    worker = worker_for(user)
    return worker is not None and worker.role == Role.INFORMATION_GOVERNANCE


def is_caldicott_guardian(user) -> bool:
    worker = worker_for(user)
    return worker is not None and CaldicottGuardian.objects.current().filter(worker=worker).exists()


def may_manage_register(user) -> bool:
    """The register of restrictions and staff connections, its access lists and the report of every access:
    the information governance officers, who own it (issue 8)."""
    return is_governance_officer(user)


def may_review_emergency_access(user) -> bool:
    """The review queue: the governance officers and the Caldicott Guardian."""
    return is_governance_officer(user) or is_caldicott_guardian(user)


def may_use_emergency_access(user) -> bool:
    worker = worker_for(user)
    return worker is not None and worker.role in EMERGENCY_ROLES


def emergency_access_refusal(user, child: Child) -> str | None:
    """Why ``user`` may not use emergency access to ``child`` now, or None when they may."""
    worker = worker_for(user)
    if worker is None or worker.role not in EMERGENCY_ROLES:
        return "Emergency access is only for front door workers, team managers and heads of service"
    if StaffConnection.objects.current().filter(worker=worker, child=child).exists():
        return "You are recorded as connected to this child, so you may not open their record"
    restriction = RecordRestriction.objects.in_force().filter(child=child).first()
    if restriction is not None and restriction.is_sealed:
        return "A sealed adoption record is never opened by emergency access: ask the information governance team"
    return None


def emergency_access_offer(user, child: Child) -> tuple[str, str] | None:
    """On a refusal page: the link to emergency access, for someone who may use it for this child."""
    if emergency_access_refusal(user, child) is not None or access_basis(user, child).allowed:
        return None
    return ("Use emergency access", reverse("restrictions:emergency_access", kwargs={"child_id": child.pk}))
