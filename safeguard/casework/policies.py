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
    """Authorise an assessment: a team manager or head of service who may change the record (Working
    Together 2023 ch.3: the manager's oversight of the assessment's analysis and decision)."""
    worker = worker_for(user)
    return worker is not None and worker.role in MANAGER_ROLES and may_change(user, child).allowed


def may_chair(worker: Worker | None) -> bool:
    return worker is not None and worker.role in CHAIR_ROLES
