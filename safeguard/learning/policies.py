"""Who may do what with learning actions.

Whether someone may see an action from a serious incident is whether they may see the incident: the one rule
is ``incidents.policies`` (never a rule of this app's own). The owner of an action also sees it, to do it.
The report's counts follow the organisation's rule for figures (``organisation.selectors.teams_in_reach``):
the director and inspectors see every area, a head of service theirs, a team manager their team's.
"""

from django.db.models import Q, QuerySet

from safeguard.audit.policy import worker_for
from safeguard.incidents.policies import incidents_visible_to, may_see_incident
from safeguard.organisation.models import Role

MANAGERS = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR}
REPORT_ROLES = MANAGERS | {Role.INSPECTOR}
LEADERS = {Role.HEAD_OF_SERVICE, Role.DIRECTOR}


def may_see_report(user) -> bool:
    worker = worker_for(user)
    return worker is not None and worker.role in REPORT_ROLES


def is_manager(user) -> bool:
    worker = worker_for(user)
    return worker is not None and worker.role in MANAGERS


def is_owner(user, action) -> bool:
    worker = worker_for(user)
    return worker is not None and worker.pk == action.owner_id


def may_see_action(user, action) -> bool:
    return is_owner(user, action) or may_see_incident(user, action.incident)


def may_add_action(user, incident) -> bool:
    """A manager who may see the incident agrees its actions (inspectors read only)."""
    return is_manager(user) and may_see_incident(user, incident)


def may_update_action(user, action) -> bool:
    """Progress, a new due date, completion: the owner, or a manager who may see the incident."""
    return is_owner(user, action) or may_add_action(user, action.incident)


def may_close_as_not_needed(user, action) -> bool:
    """Deciding an action is no longer needed is a manager's decision, never the owner's own."""
    return may_add_action(user, action.incident) and not is_owner(user, action)


def may_see_incident_actions(user, incident) -> bool:
    return may_see_incident(user, incident)


def visible_action_ids(user) -> QuerySet:
    """Ids of the learning actions ``user`` may see (the incident's viewers, and each action's owner): the
    deadlines of the others are private (``compliance.private``), since a clock named "learning action" on a
    child's record would tell of the incident (ADR 0018)."""
    from safeguard.learning.models import LearningAction

    worker = worker_for(user)
    allowed = Q(incident__in=incidents_visible_to(user))
    if worker is not None:
        allowed |= Q(owner_id=worker.pk)
    return LearningAction.objects.filter(allowed).values("pk")
