"""Reads of serious incidents, always through the policy (``policies.incidents_visible_to``)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.core.calendar import add_working_days
from safeguard.incidents.models import SeriousIncident
from safeguard.incidents.policies import incidents_visible_to
from safeguard.people.models import Child, HouseholdMembership

SCOPE_TYPE = SeriousIncident._meta.label_lower


def incidents_for(user) -> QuerySet[SeriousIncident]:
    return incidents_visible_to(user).select_related("child__person", "lead__user", "team", "area")


def in_household_of(child: Child, today: datetime.date) -> Q:
    """A condition on ``SeriousIncident``: linked to ``child``, or to any child in a household with them today,
    even one who joined it after the incident (issue 9: "every earlier serious incident in the household")."""
    households = (
        HouseholdMembership.objects.current_on(today).filter(person_id=child.pk).values("household_id")
    )
    housemates = (
        HouseholdMembership.objects.current_on(today).filter(household_id__in=households).values("person_id")
    )
    return Q(children__child_id=child.pk) | Q(children__child_id__in=housemates)


def household_incidents(child: Child, user, today: datetime.date) -> list[SeriousIncident]:
    """The incidents ``user`` may see in ``child``'s household, latest first."""
    ids = incidents_visible_to(user).filter(in_household_of(child, today)).values("pk")
    return list(SeriousIncident.objects.filter(pk__in=ids).select_related("child__person"))


def clocks(incident: SeriousIncident) -> list[Deadline]:
    """Every deadline of the incident, met or open, in the order they fall due."""
    return list(
        Deadline.objects.filter(scope_type=SCOPE_TYPE, scope_id=incident.pk)
        .select_related("duty")
        .order_by("due_on", "pk")
    )


@dataclass
class ClockSummary:
    due: int = 0
    met: int = 0
    late: int = 0
    next_due: Deadline | None = None


def clock_summaries(incidents: list[SeriousIncident], today: datetime.date) -> dict[int, ClockSummary]:
    """Per incident: clocks open and not late, met, late (open past their day or closed late); the next due."""
    found = {incident.pk: ClockSummary() for incident in incidents}
    rows = (
        Deadline.objects.filter(scope_type=SCOPE_TYPE, scope_id__in=list(found))
        .select_related("duty")
        .order_by("due_on", "pk")
    )
    for deadline in rows:
        summary = found[deadline.scope_id]
        if deadline.was_breached(today):
            summary.late += 1
        elif deadline.status == DeadlineStatus.CANCELLED:
            continue  # stopped (the incident recorded in error): neither due nor met
        elif deadline.is_open:
            summary.due += 1
        else:
            summary.met += 1
        if deadline.is_open and summary.next_due is None:
            summary.next_due = deadline
    return found


def clocks_due_soon(user, today: datetime.date) -> tuple[int, int]:
    """(open clocks due in the next 5 working days, open clocks overdue) on the incidents ``user`` may see."""
    ids = list(incidents_visible_to(user).values_list("pk", flat=True))
    open_rows = Deadline.objects.open().filter(scope_type=SCOPE_TYPE, scope_id__in=ids)
    soon = open_rows.filter(due_on__gte=today, due_on__lte=add_working_days(today, 5)).count()
    return soon, open_rows.filter(due_on__lt=today).count()
