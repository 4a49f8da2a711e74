"""Who may do what in casework. Whether a user may see or change a child's record at all is decided by the
one access policy (``safeguard.audit.policy``); this module adds casework's own relationship to it
(conference chairs) and the role a few steps need (a manager authorises)."""

from safeguard.audit.policy import Reach, may_change, worker_for
from safeguard.organisation.models import Role, Worker

MANAGER_ROLES = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE}
CHAIR_ROLES = {Role.IRO}

CONFERENCE_CHAIR = "conference chair"


def _chaired_children(worker: Worker):
    """Children on a child protection plan, or in a section 47 enquiry, whose conference the worker chaired
    (Working Together 2023 ch.3: the conference chair is independent of the case and reviews the plan)."""
    if worker.role not in CHAIR_ROLES:
        return None
    from safeguard.casework.models import ChildProtectionConference

    return ChildProtectionConference.objects.filter(chair=worker, episode__closure_date__isnull=True).values(
        "child_id"
    )


CONFERENCE_CHAIR_REACH = Reach(basis=CONFERENCE_CHAIR, children=_chaired_children)


def may_record(user, child) -> bool:
    """Record casework for ``child``: anyone the access policy lets change the record."""
    return may_change(user, child).allowed


def may_authorise(user, child) -> bool:
    """Authorise an assessment, decide a closure request or reopen a case: a team manager or head of
    service who may change the record (Working Together 2023 ch.3: the manager's oversight of the
    assessment's analysis and of the decision to end involvement)."""
    worker = worker_for(user)
    return worker is not None and worker.role in MANAGER_ROLES and may_change(user, child).allowed


def may_chair(worker: Worker | None) -> bool:
    return worker is not None and worker.role in CHAIR_ROLES


def may_decide_closure(user, request) -> bool:
    """Approve or return a closure request: a manager who may authorise for the child, and not the person
    who asked (the four-eyes rule: issue 5, "a manager's authorisation"; Working Together 2023 ch.3)."""
    return request.requested_by_id != getattr(user, "pk", None) and may_authorise(user, request.child)


def may_withdraw_closure(user, request) -> bool:
    """Withdraw a pending closure request: the worker who asked, or a manager who may authorise."""
    if not may_change(user, request.child).allowed:
        return False
    return request.requested_by_id == getattr(user, "pk", None) or may_authorise(user, request.child)


ALERT_ROLES = {Role.HEAD_OF_SERVICE, Role.DIRECTOR}


def may_see_bulk_closure_alert(user, alert) -> bool:
    """A bulk closure alert goes to the head of service for the team's area and to the director (issue 5);
    an inspector may read it (Education and Inspections Act 2006 s146)."""
    worker = worker_for(user)
    if worker is None:
        return False
    if worker.role in (Role.DIRECTOR, Role.INSPECTOR):
        return True
    return worker.role == Role.HEAD_OF_SERVICE and worker.area_id == alert.area_id


def may_acknowledge_bulk_closure_alert(user, alert) -> bool:
    worker = worker_for(user)
    return worker is not None and worker.role in ALERT_ROLES and may_see_bulk_closure_alert(user, alert)
