"""Who may share a child's record with a partner agency, and the rule this app adds to the one access policy.

A partner-agency user is closed out of every child's ordinary record, list and search, whatever else might
reach them (a team, an access list, a front door contact set up by mistake): ``PARTNER_USERS`` is registered
as a restriction, which the policy asks before every relationship and applies to every list and search
(``safeguard.audit.policy.register_restriction``). A partner sees a child only on the shared-record page of
this app, only the shared fields, and only while the share is in force (ADR 0016).
"""

from django.db.models import Q

from safeguard.audit.policy import Reach, Restriction, may_change, worker_for
from safeguard.organisation.models import Role, Worker
from safeguard.people.models import Child

PARTNER_REFUSAL = "partner agency users see only what is shared with them"
MANAGERS_ONLY = "Only a team manager, head of service or director who can change the record may share it"
# Who decides to share: a manager who may change the record (Working Together 2023 ch.1: the decision and its
# reasons are recorded; a manager answers for it).
SHARING_ROLES = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR}


def _partner_refusal(worker: Worker, child: Child) -> str | None:
    return PARTNER_REFUSAL if worker.role == Role.PARTNER_AGENCY else None


def _partner_closed(worker: Worker) -> Q | None:
    # Every child: a condition true of every row (the primary key is never null).
    return Q(pk__isnull=False) if worker.role == Role.PARTNER_AGENCY else None


PARTNER_USERS = Restriction(name="partner agency users", refusal=_partner_refusal, closed=_partner_closed)


def is_partner(user) -> bool:
    worker = worker_for(user)
    return worker is not None and worker.role == Role.PARTNER_AGENCY


def sharing_refusal(user, child: Child) -> str | None:
    """Why ``user`` may not share ``child``'s record, or None when they may."""
    worker = worker_for(user)
    if worker is None or worker.role not in SHARING_ROLES:
        return MANAGERS_ONLY
    decision = may_change(user, child)
    # Time-limited access is for covering work, not for passing the record on.
    if not decision or decision.reason == STAFF_SHARE_BASIS:
        return MANAGERS_ONLY
    return None


def may_share(user, child: Child) -> bool:
    return sharing_refusal(user, child) is None


# -- time-limited access for staff ----------------------------------------------------------------------------

STAFF_SHARE_BASIS = "time-limited share"


def _staff_shared_children(worker: Worker):
    """The children ``worker`` has time-limited access to at this moment: read on every request, so that an
    expiry or a revocation takes effect on the very next one. Not for partners (closed to every record)."""
    from safeguard.sharing.models import StaffShare

    if worker.role == Role.PARTNER_AGENCY:
        return None
    return StaffShare.objects.in_force().filter(worker=worker).values("child_id")


STAFF_SHARE_REACH = Reach(basis=STAFF_SHARE_BASIS, children=_staff_shared_children)
