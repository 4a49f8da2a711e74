"""Who sees the unallocated queue, and the relationship it adds to the access policy.

A child whose case is open but who has no allocated worker must not be invisible: the team that holds the
open episode (``CinEpisode.team``), and the head of service for its area, reach the child's record, so that
they can read it and allocate it (issue 5; Working Together 2023 ch.3: every child in need has a named
social worker).
"""

from safeguard.audit.policy import CASEWORK_ROLES, Reach, worker_for
from safeguard.casework.models import CinEpisode
from safeguard.organisation.models import Role, Worker

RESPONSIBLE_TEAM = "team holding the open case"
QUEUE_ROLES = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR, Role.INSPECTOR}


def _held_children(worker: Worker):
    if worker.role == Role.HEAD_OF_SERVICE and worker.area_id:
        return CinEpisode.objects.open().filter(area_id=worker.area_id).values("child_id")
    if worker.role in CASEWORK_ROLES and worker.team_id:
        return CinEpisode.objects.open().filter(team_id=worker.team_id).values("child_id")
    return None


RESPONSIBLE_TEAM_REACH = Reach(basis=RESPONSIBLE_TEAM, children=_held_children)


def may_see_queue(user) -> bool:
    """Managers who allocate (team managers), those who answer for an area or the service, and inspectors."""
    worker = worker_for(user)
    return worker is not None and worker.role in QUEUE_ROLES
