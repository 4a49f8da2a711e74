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
``register_reach``, so the policy stays in one place without the foundation importing them. A reach may be
read only (emergency "break-glass" access: it opens a record to read, never to change).

Some records are closed to people who would otherwise see them, whatever their relationship: a restricted
record (sealed adoption, high-profile, staff-connected) to anyone not on its access list, and any child to a
member of staff recorded as connected to them. The restrictions app registers that rule with
``register_restriction`` (ADR 0013); it is asked before every relationship, the director's and the
inspector's included, and its closed children are taken out of every list and search.

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
# changes none: their findings are the audit's, not the child's record. An information governance officer
# reads a record only to answer a subject access request about it (safeguard/sar), and changes nothing.
READ_ONLY_ROLES = {Role.INSPECTOR, Role.AUDITOR, Role.INFORMATION_GOVERNANCE}
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
    # Registered by safeguard.restrictions (ADR 0013): named here so that every reader of the log knows them.
    ACCESS_LIST = "restricted record access list"
    EMERGENCY = "emergency access"


class Refusal:
    NO_WORKER = "no staff record"
    NO_RELATIONSHIP = "no working relationship with the child"
    READ_ONLY = "read-only access"
    # Registered by safeguard.restrictions (ADR 0013).
    RESTRICTED = "restricted record: not on its access list"
    SEALED = "sealed adoption record: not on its access list"
    STAFF_CONNECTION = "staff connection to the child"


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
    way, or None when the relationship cannot apply to them (a quick test on the worker alone). A
    ``read_only`` reach lets the worker read the record but never change it (``may_change`` refuses), and is
    asked after every other relationship, so that a worker who also has a working relationship keeps it.
    """

    basis: str
    children: Callable[[Worker], QuerySet | None]
    read_only: bool = False


REACHES: list[Reach] = []


def register_reach(reach: Reach) -> None:
    """Called from an app's ``AppConfig.ready``; each basis is registered once."""
    if all(existing.basis != reach.basis for existing in REACHES):
        REACHES.append(reach)


def _reaches_in_order() -> list[Reach]:
    return [reach for reach in REACHES if not reach.read_only] + [
        reach for reach in REACHES if reach.read_only
    ]


@dataclass(frozen=True)
class Restriction:
    """A rule, defined by an app above the foundation, that closes records to workers whatever their
    relationship with the child. Written twice, like the policy itself:

    ``refusal(worker, child)``: why ``child`` is closed to ``worker``, or None when it is not;
    ``closed(worker)``: the same as a condition on ``Child`` (a ``Q``), or None when nothing is closed to them;
    ``sole_basis(worker, child)`` (optional): a basis on which the rule itself opens a child it would otherwise
    close, and only on that basis, not on the relationships it closed (emergency access to a restricted
    record is read only even for a worker whose team holds the case). A child so opened must be reached by a
    registered ``Reach`` with that basis, so that lists agree.
    """

    name: str
    refusal: Callable[[Worker, Child], str | None]
    closed: Callable[[Worker], Q | None]
    sole_basis: Callable[[Worker, Child], str | None] | None = None


RESTRICTIONS: list[Restriction] = []


def register_restriction(restriction: Restriction) -> None:
    """Called from an app's ``AppConfig.ready``; each rule is registered once, by name."""
    if all(existing.name != restriction.name for existing in RESTRICTIONS):
        RESTRICTIONS.append(restriction)


def restriction_decision(worker: Worker, child: Child) -> "Decision | None":
    """Every rule's refusal first (any one closes the record), then any rule's sole basis; None: no say."""
    for restriction in RESTRICTIONS:
        reason = restriction.refusal(worker, child)
        if reason:
            return Decision(False, reason)
    for restriction in RESTRICTIONS:
        basis = restriction.sole_basis(worker, child) if restriction.sole_basis else None
        if basis:
            return Decision(True, basis)
    return None


def closed_children(worker: Worker) -> Q | None:
    """The children closed to ``worker`` by every registered restriction, as one condition, or None."""
    closed = None
    for restriction in RESTRICTIONS:
        condition = restriction.closed(worker)
        if condition is not None:
            closed = condition if closed is None else closed | condition
    return closed


def _open_only(children: QuerySet[Child], worker: Worker) -> QuerySet[Child]:
    closed = closed_children(worker)
    return children if closed is None else children.exclude(closed)


def without_closed(user, rows: QuerySet, *, child_field: str = "child") -> QuerySet:
    """``rows`` (contacts, episodes, deadlines...) less those about a child closed to ``user`` by a
    restriction, for lists scoped by team or role rather than by ``visible_children``: a restricted record's
    very existence is what the restriction hides, so it is not listed or counted either (ADR 0013). Rows with
    no child are kept."""
    worker = worker_for(user)
    closed = closed_children(worker) if worker is not None else None
    if closed is None:
        return rows
    return rows.exclude(**{f"{child_field}__in": Child.objects.filter(closed).values("pk")})


# What a refusal page may offer instead ("use emergency access"), registered by apps above the foundation:
# each returns (text, url) for this user and child, or None. The refusal page itself is the caller's.
REFUSAL_OFFERS: list[Callable[[object, Child], tuple[str, str] | None]] = []


def register_refusal_offer(offer: Callable[[object, Child], tuple[str, str] | None]) -> None:
    if offer not in REFUSAL_OFFERS:
        REFUSAL_OFFERS.append(offer)


def refusal_offers(user, child: Child) -> list[tuple[str, str]]:
    """What the refusal page for ``child`` may offer ``user``; empty for most."""
    return [offered for offer in REFUSAL_OFFERS if (offered := offer(user, child)) is not None]


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
    search shows is identity only; opening a record still needs ``access_basis``. A record closed to them
    (restricted, or a staff connection) is not found at all: its existence is itself what a restriction hides."""
    worker = worker_for(user)
    if worker is not None and is_front_door(worker):
        return _open_only(Child.objects.all(), worker)
    return visible_children(user)


def access_basis(user, child: Child) -> Decision:
    """May ``user`` see ``child``'s record today? The answer carries the basis, or the reason for refusal."""
    worker = worker_for(user)
    if worker is None:
        return Decision(False, Refusal.NO_WORKER)
    if worker.role == Role.ADMINISTRATOR:
        return Decision(False, Refusal.NO_RELATIONSHIP)
    restricted = restriction_decision(worker, child)
    if restricted is not None:
        return restricted
    every = sees_every_child(worker)
    if every:
        return Decision(True, every)
    allocations = list(Allocation.objects.in_force().filter(child=child).select_related("team"))
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
    for reach in _reaches_in_order():
        reached = reach.children(worker)
        if reached is not None and reached.filter(child_id=child.pk).exists():
            return Decision(True, reach.basis)
    return Decision(False, Refusal.NO_RELATIONSHIP)


def may_change(user, child: Child) -> Decision:
    """May ``user`` change ``child``'s record? As for seeing it, except that inspectors only read, and access
    on a read-only basis (emergency access) only reads."""
    worker = worker_for(user)
    if worker is not None and worker.role in READ_ONLY_ROLES:
        return Decision(False, Refusal.READ_ONLY)
    decision = access_basis(user, child)
    if decision.allowed and decision.reason in {reach.basis for reach in REACHES if reach.read_only}:
        return Decision(False, Refusal.READ_ONLY)
    return decision


def visible_children(user) -> QuerySet[Child]:
    """Every child ``user`` may see, as one query: the set ``access_basis`` allows, child by child."""
    worker = worker_for(user)
    children = Child.objects.all()
    if worker is None or worker.role == Role.ADMINISTRATOR:
        return children.none()
    if sees_every_child(worker):
        return _open_only(children, worker)
    current = Allocation.objects.in_force()
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
    return _open_only(children.filter(allowed), worker)
