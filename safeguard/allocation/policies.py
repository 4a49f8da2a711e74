"""Who sees the unallocated queue and caseloads, who allocates, and the relationship allocation adds to the
access policy.

A child whose case is open but who has no allocated worker must not be invisible: the team that holds the
open episode (``CinEpisode.team``), and the head of service for its area, reach the child's record, so that
they can read it and allocate it (issue 5; Working Together 2023 ch.3: every child in need has a named
social worker).
"""

from safeguard.audit.policy import CASEWORK_ROLES, Reach, worker_for
from safeguard.casework.models import CinEpisode
from safeguard.organisation.models import Role, Team, Worker

RESPONSIBLE_TEAM = "team holding the open case"
QUEUE_ROLES = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR, Role.INSPECTOR}
# Allocating is a management decision, weighing the child's needs against the workers' caseloads: the team's
# manager, the area's head of service, or the director. Inspectors only read; social workers do not allocate.
ALLOCATING_ROLES = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR}


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


def may_see_caseloads(user) -> bool:
    """The caseload view is for the same people as the queue: those who allocate, and inspectors."""
    return may_see_queue(user)


def may_allocate(user) -> bool:
    """Allocates work somewhere: a team manager, a head of service or the director."""
    worker = worker_for(user)
    return worker is not None and worker.role in ALLOCATING_ROLES


def manages_team(manager: Worker | None, team: Team | None) -> bool:
    """May ``manager`` allocate work in ``team`` (and end allocations there)? Its team manager, the head of
    service for its area, or the director."""
    if manager is None or team is None:
        return False
    if manager.role == Role.DIRECTOR:
        return True
    if manager.role == Role.HEAD_OF_SERVICE:
        return manager.area_id is not None and team.area_id == manager.area_id
    if manager.role == Role.TEAM_MANAGER:
        return manager.team_id is not None and team.pk == manager.team_id
    return False
