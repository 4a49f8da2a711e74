"""The one access policy: may this user see this child's record, and on what basis?

Every list, search, record page, dashboard, export and report asks this module; nothing else decides.
Access follows a working relationship with the child (Caldicott principle 4, "access on a strict
need-to-know basis"; ASVS 5.0 V8 object-level authorisation):

=====================  ==========================================================================
Who                    Sees
=====================  ==========================================================================
director               every child (answers for all of it: Children Act 2004 s18)
inspector              every child, read only, for the inspection (Education and Inspections Act
                       2006 s146 gives Ofsted access to records)
front door team        may *find* any child (checking what is already known is the front door's job,
                       Working Together 2023 ch.2), but opens only the records of children with a
                       contact before their team (registered by the front door app, below)
allocated worker       children allocated to them
team member            children allocated to their team
management line        children allocated to anyone they manage, directly or down the line
head of service        children allocated to any team in their area
IRO                    children for whom they are the named IRO (CPPCR 2010 reg 45)
administrator          no child: they run the system, not the cases
=====================  ==========================================================================

Apps above the foundation add relationships of their own (the front door: "a contact before my team") with
``register_reach``, so the policy stays in one place without the foundation importing them.

The rules are written twice on purpose, once for one child (``access_basis``, which also says *why*) and
once as a query (``visible_children``), so that lists stay fast; a property test proves the two agree.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from safeguard.organisation.models import Allocation, AllocationRole, Role, TeamKind, Worker
from safeguard.people.models import Child

# Roles that may read any child, and the basis recorded when they do.
ALL_CHILDREN_ROLES = {Role.DIRECTOR: "director", Role.INSPECTOR: "inspector"}
# A quality assurance auditor reads the case files they are assigned to audit (safeguard/oversight) and
# changes none: their findings are the audit's, not the child's record.
READ_ONLY_ROLES = {Role.INSPECTOR, Role.AUDITOR}
CASEWORK_ROLES = {
    Role.SOCIAL_WORKER,
    Role.FAMILY_SUPPORT_WORKER,
    Role.TEAM_MANAGER,
    Role.FRONT_DOOR_WORKER,
}


class Basis:
    """Why access was allowed (stored on every ``AccessEvent``)."""

    DIRECTOR = "director"
    INSPECTOR = "inspector"
    FRONT_DOOR = "front door team"
    ALLOCATED = "allocated worker"
    TEAM = "team"
    MANAGEMENT_LINE = "management line"
    AREA = "head of service for the area"
    IRO = "named IRO"


class Refusal:
    NO_WORKER = "no staff record"
    NO_RELATIONSHIP = "no working relationship with the child"
    READ_ONLY = "read-only access"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def worker_for(user: AbstractBaseUser | AnonymousUser) -> Worker | None:
    if not user.is_authenticated:
        return None
    # A user with no staff record raises RelatedObjectDoesNotExist, an AttributeError.
    return getattr(user, "worker", None)


def managed_worker_ids(worker: Worker) -> set[int]:
    """Everyone below ``worker`` in the management line, however deep (one query per level)."""
    found: set[int] = set()
    frontier = {worker.pk}
    while frontier:
        frontier = set(Worker.objects.filter(manager_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found


@dataclass(frozen=True)
class Reach:
    """A working relationship with children that an app above the foundation defines.

    ``children(worker)`` returns a queryset of child ids (``values("child_id")``) the worker reaches this
    way, or None when the relationship cannot apply to them (a quick test on the worker alone).
    """

    basis: str
    children: Callable[[Worker], QuerySet | None]


REACHES: list[Reach] = []


def register_reach(reach: Reach) -> None:
    """Called from an app's ``AppConfig.ready``; each basis is registered once."""
    if all(existing.basis != reach.basis for existing in REACHES):
        REACHES.append(reach)


def is_front_door(worker: Worker) -> bool:
    return worker.role == Role.FRONT_DOOR_WORKER or bool(
        worker.team_id and worker.team.kind == TeamKind.FRONT_DOOR
    )


def sees_every_child(worker: Worker) -> str | None:
    """The basis on which ``worker`` may see any child at all, or None."""
    return ALL_CHILDREN_ROLES.get(worker.role)


def findable_children(user) -> QuerySet[Child]:
    """The children ``user`` may *find* by searching: those they may see, and for the front door every
    child, so that a contact is recorded against the child already known rather than a duplicate. What a
    search shows is identity only; opening a record still needs ``access_basis``."""
    worker = worker_for(user)
    if worker is not None and is_front_door(worker):
        return Child.objects.all()
    return visible_children(user)


def access_basis(user, child: Child) -> Decision:
    """May ``user`` see ``child``'s record today? The answer carries the basis, or the reason for refusal."""
    worker = worker_for(user)
    if worker is None:
        return Decision(False, Refusal.NO_WORKER)
    if worker.role == Role.ADMINISTRATOR:
        return Decision(False, Refusal.NO_RELATIONSHIP)
    every = sees_every_child(worker)
    if every:
        return Decision(True, every)
    allocations = list(Allocation.objects.current().filter(child=child).select_related("team"))
    managed = None
    for allocation in allocations:
        if allocation.role == AllocationRole.IRO:
            if allocation.worker_id == worker.pk and worker.role == Role.IRO:
                return Decision(True, Basis.IRO)
            continue
        if allocation.worker_id == worker.pk:
            return Decision(True, Basis.ALLOCATED)
    for allocation in allocations:
        if allocation.role != AllocationRole.SOCIAL_WORKER:
            continue
        if worker.role in CASEWORK_ROLES and worker.team_id == allocation.team_id:
            return Decision(True, Basis.TEAM)
        if worker.role == Role.HEAD_OF_SERVICE and allocation.team.area_id == worker.area_id:
            return Decision(True, Basis.AREA)
        if managed is None:
            managed = managed_worker_ids(worker)
        if allocation.worker_id in managed:
            return Decision(True, Basis.MANAGEMENT_LINE)
    for reach in REACHES:
        reached = reach.children(worker)
        if reached is not None and reached.filter(child_id=child.pk).exists():
            return Decision(True, reach.basis)
    return Decision(False, Refusal.NO_RELATIONSHIP)


def may_change(user, child: Child) -> Decision:
    """May ``user`` change ``child``'s record? As for seeing it, except that inspectors only read."""
    worker = worker_for(user)
    if worker is not None and worker.role in READ_ONLY_ROLES:
        return Decision(False, Refusal.READ_ONLY)
    return access_basis(user, child)


def visible_children(user) -> QuerySet[Child]:
    """Every child ``user`` may see, as one query: the set ``access_basis`` allows, child by child."""
    worker = worker_for(user)
    children = Child.objects.all()
    if worker is None or worker.role == Role.ADMINISTRATOR:
        return children.none()
    if sees_every_child(worker):
        return children
    current = Allocation.objects.current()
    caseload = current.filter(role=AllocationRole.SOCIAL_WORKER)
    reach = Q(worker_id=worker.pk)
    if worker.role in CASEWORK_ROLES and worker.team_id:
        reach |= Q(team_id=worker.team_id)
    if worker.role == Role.HEAD_OF_SERVICE:
        reach |= Q(team__area_id=worker.area_id)
    managed = managed_worker_ids(worker)
    if managed:
        reach |= Q(worker_id__in=managed)
    # "pk IN (children on these allocations)" lets the database start from the few allocations in reach
    # (indexed by worker and team) rather than test every child in the council against them.
    allowed = Q(pk__in=caseload.filter(reach).values("child_id"))
    if worker.role == Role.IRO:
        allowed |= Q(pk__in=current.filter(role=AllocationRole.IRO, worker_id=worker.pk).values("child_id"))
    for reach in REACHES:
        reached = reach.children(worker)
        if reached is not None:
            allowed |= Q(pk__in=reached)
    return children.filter(allowed)
