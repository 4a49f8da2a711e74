"""Who may see the performance measures and the improvement plan, and who may change the plan.

- The measures and the plan are read by team managers, heads of service, the director and inspectors:
  counts only, no child named. The director and inspectors see the council and every area side by side; a
  head of service sees their area and the council; a team manager their team's area and the council.
- The plan is changed by the director (any action, the council's or an area's) and by heads of service
  (their own area's actions). Team managers and inspectors read it (an inspector changes nothing).
"""

from django.db.models import Q, QuerySet

from safeguard.audit.policy import worker_for
from safeguard.leadership.models import ImprovementAction
from safeguard.organisation.models import Area, Role, Worker

READERS = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR, Role.INSPECTOR}
EDITORS = {Role.HEAD_OF_SERVICE, Role.DIRECTOR}
# Who may own an action: the council's managers.
OWNER_ROLES = (Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR)


def _reader(user) -> Worker | None:
    worker = worker_for(user)
    return worker if worker is not None and worker.role in READERS else None


def may_read(user) -> bool:
    return _reader(user) is not None


def may_edit_plan(user) -> bool:
    worker = worker_for(user)
    return worker is not None and worker.role in EDITORS


def home_area_id(worker: Worker) -> int | None:
    """The area a head of service leads, or a team manager's team is in."""
    if worker.role == Role.HEAD_OF_SERVICE:
        return worker.area_id
    if worker.role == Role.TEAM_MANAGER and worker.team_id:
        return worker.team.area_id
    return None


def measure_areas(user) -> QuerySet[Area]:
    """The areas whose measures ``user`` sees beside the council's (none for anyone else)."""
    worker = _reader(user)
    if worker is None:
        return Area.objects.none()
    if worker.role in (Role.DIRECTOR, Role.INSPECTOR):
        return Area.objects.order_by("name")
    return Area.objects.filter(pk=home_area_id(worker)).order_by("name")


def may_act_for_area(user, area_id: int | None) -> bool:
    """May ``user`` create or change an action for this area (None: the whole council)?"""
    worker = worker_for(user)
    if worker is None:
        return False
    if worker.role == Role.DIRECTOR:
        return True
    return worker.role == Role.HEAD_OF_SERVICE and area_id is not None and area_id == worker.area_id


def may_change_action(user, action: ImprovementAction) -> bool:
    return may_act_for_area(user, action.area_id)


def owner_candidates(user) -> QuerySet[Worker]:
    """Who ``user`` may make an action's owner: the council's managers for the director; for a head of
    service, themselves and the team managers of their area."""
    workers = Worker.objects.filter(role__in=OWNER_ROLES, user__is_active=True).select_related("user", "team")
    worker = worker_for(user)
    if worker is None or worker.role not in EDITORS:
        return workers.none()
    if worker.role == Role.HEAD_OF_SERVICE:
        workers = workers.filter(Q(pk=worker.pk) | Q(role=Role.TEAM_MANAGER, team__area_id=worker.area_id))
    return workers.order_by("user__last_name", "user__first_name")


def area_choices(user) -> QuerySet[Area]:
    """The areas ``user`` may set an action for (a head of service: their own)."""
    worker = worker_for(user)
    if worker is None or worker.role not in EDITORS:
        return Area.objects.none()
    if worker.role == Role.HEAD_OF_SERVICE:
        return Area.objects.filter(pk=worker.area_id)
    return Area.objects.order_by("name")


# -- the city in numbers: areas' populations and deprivation (issue 9) ------------------------------------------
# Read by those who read the measures (the rates are worked out from them) and by performance analysts, who
# keep them; recorded or imported by the director and performance analysts: the figures are the council's,
# not an area's, and a population recorded wrongly changes every rate, so heads of service do not change them.
FIGURE_READERS = READERS | {Role.PERFORMANCE_ANALYST}
FIGURE_EDITORS = {Role.DIRECTOR, Role.PERFORMANCE_ANALYST}


def may_read_figures(user) -> bool:
    worker = worker_for(user)
    return worker is not None and worker.role in FIGURE_READERS


def may_edit_figures(user) -> bool:
    worker = worker_for(user)
    return worker is not None and worker.role in FIGURE_EDITORS
