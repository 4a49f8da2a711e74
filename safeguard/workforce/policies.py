"""Who sees the workforce pages, and who changes the establishment.

- The director and inspectors see every area; a head of service sees their own area; a team manager sees their
  own team's establishment: the same reach as their home page (``organisation.selectors.teams_in_reach``).
- Only the director (any team) and a head of service (the teams of their area) add or cut posts and record
  starters and leavers: they answer for the establishment and its budget. Team managers and inspectors only
  read (an inspector never changes a record: ``audit.policy.READ_ONLY_ROLES``).
"""

from django.db.models import QuerySet

from safeguard.audit.policy import worker_for
from safeguard.organisation.models import Area, Role, Team, Worker
from safeguard.organisation.selectors import areas_in_reach, teams_in_reach

READERS = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR, Role.INSPECTOR}
CHANGERS = {Role.HEAD_OF_SERVICE, Role.DIRECTOR}


def may_see_workforce(user) -> bool:
    worker = worker_for(user)
    return worker is not None and worker.role in READERS


def areas_for(worker: Worker | None) -> QuerySet[Area]:
    if worker is None:
        return Area.objects.none()
    return areas_in_reach(worker=worker)


def teams_for(worker: Worker | None) -> QuerySet[Team]:
    if worker is None or worker.role not in READERS:
        return Team.objects.none()
    return teams_in_reach(worker=worker)


def change_refusal(worker: Worker | None, team: Team) -> str | None:
    """Why ``worker`` may not change ``team``'s establishment, or None when they may."""
    if worker is None:
        return "You have no staff record, so you cannot change the establishment"
    if worker.role == Role.DIRECTOR:
        return None
    if worker.role == Role.HEAD_OF_SERVICE:
        if worker.area_id == team.area_id:
            return None
        return f"{team.name} is not in your area: its head of service or the director changes its posts"
    if worker.role == Role.INSPECTOR:
        return "Inspectors read the establishment; they do not change it"
    return "Only the head of service for the area or the director changes posts, starters and leavers"
