"""Small helpers for the looked-after tests: a child of a given age, a period of care, a visit, and the open
deadlines as the engine recorded them."""

import datetime

from safeguard.casework.services import visit_record
from safeguard.compliance.models import Deadline
from safeguard.lookedafter.services import period_of_care_start
from safeguard.organisation.models import AllocationRole
from tests.factories import AllocationFactory, ChildFactory, PersonFactory

D = datetime.date
TODAY = D(2029, 3, 1)  # conftest.later


def child_born(people, born: datetime.date):
    """A child born on ``born``, allocated to Alice."""
    child = ChildFactory(person=PersonFactory(date_of_birth=born))
    AllocationFactory(child=child, worker=people.social_worker, role=AllocationRole.SOCIAL_WORKER)
    return child


FOSTER = {
    "legal_status": "C2",
    "need_code": "N1",
    "placement_type": "U6",
    "placement_provider": "PR1",
    "provider_name": "Mr and Mrs Green",
    "placement_postcode": "B15 2TT",
    "home_postcode": "B1 1BB",
    "urn": "SC123456",
}


def start(child, by, on: datetime.date, **overrides):
    return period_of_care_start(child=child, started_by=by, start_date=on, **{**FOSTER, **overrides})


def visit(child, by, on: datetime.date, seen: bool = True):
    return visit_record(
        child=child,
        recorded_by=by,
        visited_on=on,
        location="placement",
        child_seen=seen,
        seen_alone=False,
        summary="Saw the child in their placement",
    )


def due(child, duty: str) -> datetime.date | None:
    """The due day of the child's open deadline of ``duty`` (as the engine recorded it), or None."""
    deadline = Deadline.objects.open().filter(child=child, duty_id=duty).first()
    return deadline.due_on if deadline else None


def open_duties(child) -> set[str]:
    return set(Deadline.objects.open().filter(child=child).values_list("duty_id", flat=True))
