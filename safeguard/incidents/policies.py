"""Who may see a serious incident, record one, and record what follows: the one place that decides (ADR 0018).

A serious incident is "restricted to those who need it" (issue 9): being able to open the child's record is
not enough. The incident is seen by

=================================  =======================================================================
Who                                Why
=================================  =======================================================================
the director                       answers for all of it (Children Act 2004 s18)
the head of service of its area    answers for the area's practice and signs off the notification
its lead officer                   named on the incident
team manager(s)                    of the team holding an allocation in force of the subject or of any
                                   child linked to the incident (the siblings and household)
allocated worker(s)                with an allocation in force of any linked child
the named IRO                      of any linked child (CPPCR 2010 reg 45)
inspectors                         read only: Ofsted is notified of these incidents anyway
its access list                    named people added by the director, head of service or lead (the
                                   safeguarding partnership's reviewer), until their entry is ended
=================================  =======================================================================

Everyone else, including colleagues who can open the child's record, sees nothing of it: no notice, no link,
no deadline that names it. Restricted records (``safeguard.restrictions``) apply on top: an incident whose
subject is closed to a worker is not visible to them, whoever they are.

Written twice, as the access policy is: ``incidents_visible_to`` (a query, for lists) and
``may_see_incident`` (one incident, which asks the same query).
"""

from django.db.models import Q, QuerySet

from safeguard.audit.policy import closed_children, may_change, worker_for
from safeguard.incidents.models import IncidentAccess, SeriousIncident, SeriousIncidentChild
from safeguard.organisation.models import Allocation, AllocationRole, Role
from safeguard.people.models import Child

EVERY_INCIDENT_ROLES = {Role.DIRECTOR, Role.INSPECTOR}
# Who may record an incident on a child's record, and record its notifications and reviews.
RECORDING_ROLES = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR}


def _linked_children_reached(worker) -> QuerySet:
    """Ids of children this worker reaches by an allocation in force: their own, their team's (team managers),
    or as named IRO."""
    current = Allocation.objects.in_force()
    reach = Q(worker_id=worker.pk)
    if worker.role == Role.TEAM_MANAGER and worker.team_id:
        reach |= Q(team_id=worker.team_id, role=AllocationRole.SOCIAL_WORKER)
    return current.filter(reach).values("child_id")


def incidents_visible_to(user) -> QuerySet[SeriousIncident]:
    """The serious incidents ``user`` may see."""
    worker = worker_for(user)
    incidents = SeriousIncident.objects.all()
    if worker is None or worker.role == Role.ADMINISTRATOR:
        return incidents.none()
    if worker.role not in EVERY_INCIDENT_ROLES:
        allowed = Q(lead_id=worker.pk)
        if worker.role == Role.HEAD_OF_SERVICE and worker.area_id:
            allowed |= Q(area_id=worker.area_id)
        allowed |= Q(
            pk__in=SeriousIncidentChild.objects.filter(child_id__in=_linked_children_reached(worker)).values(
                "incident_id"
            )
        )
        allowed |= Q(
            pk__in=IncidentAccess.objects.filter(worker_id=worker.pk, ended_at__isnull=True).values(
                "incident_id"
            )
        )
        incidents = incidents.filter(allowed)
    closed = closed_children(worker)
    if closed is not None:
        incidents = incidents.exclude(child_id__in=Child.objects.filter(closed).values("pk"))
    return incidents


def may_see_incident(user, incident: SeriousIncident) -> bool:
    return incidents_visible_to(user).filter(pk=incident.pk).exists()


def may_record_incident(user, child: Child) -> bool:
    """The child's team manager, the head of service of the child's area, or the director, who may also
    change the record (``may_change``)."""
    worker = worker_for(user)
    if worker is None or worker.role not in RECORDING_ROLES or not may_change(user, child).allowed:
        return False
    if worker.role == Role.DIRECTOR:
        return True
    holding = Allocation.objects.in_force().filter(child=child, role=AllocationRole.SOCIAL_WORKER)
    if worker.role == Role.TEAM_MANAGER:
        return holding.filter(team_id=worker.team_id).exists()
    return holding.filter(team__area_id=worker.area_id).exists()


def may_record_progress(user, incident: SeriousIncident) -> bool:
    """Record notifications, the rapid review and the practice review: the lead, and the managers among
    those who may see it (not inspectors, IROs or allocated workers, who read it)."""
    worker = worker_for(user)
    if worker is None or not may_see_incident(user, incident):
        return False
    return incident.lead_id == worker.pk or worker.role in RECORDING_ROLES


def may_manage_access(user, incident: SeriousIncident) -> bool:
    """Add people to the incident's access list and end their entries: the director, the head of service of
    its area, its lead."""
    worker = worker_for(user)
    if worker is None or not may_see_incident(user, incident):
        return False
    if worker.role == Role.DIRECTOR or incident.lead_id == worker.pk:
        return True
    return worker.role == Role.HEAD_OF_SERVICE and worker.area_id == incident.area_id


def may_mark_in_error(user, incident: SeriousIncident) -> bool:
    """Decide an incident was recorded in error: the director or the head of service of its area (a senior
    manager's decision, not the recorder's or the team's), while it stands."""
    worker = worker_for(user)
    if worker is None or incident.is_in_error or not may_see_incident(user, incident):
        return False
    if worker.role == Role.DIRECTOR:
        return True
    return worker.role == Role.HEAD_OF_SERVICE and worker.area_id == incident.area_id


def any_incident_visible(user) -> bool:
    """For the navigation entry."""
    return incidents_visible_to(user).exists()
