"""Who may do what at the front door. Reading a child's record still goes through safeguard.audit.policy;
this module adds the front door's own relationship to it and answers the front door's own questions."""

import datetime

from django.utils import timezone

from safeguard.audit.policy import Basis, Reach, is_front_door, worker_for
from safeguard.frontdoor.models import Contact, ContactStatus
from safeguard.organisation.models import Role, TeamKind, Worker

# How long after a contact arrives its child's record stays open to the front door team that took it: long
# enough to gather checks, decide and answer the referrer's follow-up, short enough that the front door
# does not browse case files (issue 3; Caldicott principle 4, need to know).
RECENT_CONTACT_DAYS = 30


def _contact_children(worker: Worker):
    if not is_front_door(worker) or not worker.team_id:
        return None
    since = timezone.now() - datetime.timedelta(days=RECENT_CONTACT_DAYS)
    recent = Contact.objects.filter(team_id=worker.team_id, received_at__gte=since)
    awaiting = Contact.objects.filter(team_id=worker.team_id, status=ContactStatus.AWAITING_DECISION)
    return (recent | awaiting).values("child_id")


FRONT_DOOR_REACH = Reach(basis=Basis.FRONT_DOOR, children=_contact_children)


def may_work_at_front_door(user) -> bool:
    """Record contacts, request checks, acknowledge referrers: anyone in a front door team."""
    worker = worker_for(user)
    return worker is not None and is_front_door(worker)


def may_decide(user) -> bool:
    """Threshold decisions are a manager's (issue 3): the front door's team managers, and heads of service."""
    worker = worker_for(user)
    if worker is None:
        return False
    if worker.role == Role.HEAD_OF_SERVICE:
        return True
    return (
        worker.role == Role.TEAM_MANAGER and bool(worker.team_id) and worker.team.kind == TeamKind.FRONT_DOOR
    )


def may_see_front_door_figures(user) -> bool:
    """The front door dashboard: its managers, heads of service and the director."""
    worker = worker_for(user)
    return worker is not None and (may_decide(user) or worker.role == Role.DIRECTOR)


def may_see_queue(user) -> bool:
    """The queue of contacts awaiting decision: front door staff, and those who answer for its timeliness."""
    return may_work_at_front_door(user) or may_see_front_door_figures(user)
