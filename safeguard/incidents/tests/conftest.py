"""A household for serious incident tests, on the shared personas (``people``, in the root conftest).

Alice's child (North, Tess's team) is the subject. Their sister is allocated to Bob in South, with Ira as her
named IRO. A younger child of the household is known to no one. Carl (Alice's colleague in North) can open
Alice's child's record through his team, but is not the allocated worker: he must see nothing of the incident.
"""

import datetime

import pytest
import time_machine

from safeguard.incidents import services
from safeguard.incidents.models import AbuseOrNeglect, Harm
from safeguard.organisation.models import AllocationRole
from safeguard.people.models import Household, HouseholdMembership, Relationship, RelationshipType
from tests.factories import AllocationFactory, ChildFactory

D = datetime.date
# Wednesday 23 December 2026: Friday 25 and Monday 28 December (the substitute Boxing Day) and Friday
# 1 January 2027 are bank holidays.
AWARE = D(2026, 12, 23)
NOW = datetime.datetime(2026, 12, 23, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


class Family:
    pass


@pytest.fixture
def family(people):
    f = Family()
    f.subject = people.alices_child
    f.sister = AllocationFactory(worker=people.other_worker).child
    AllocationFactory(child=f.sister, worker=people.iro, team=people.reviewing_team, role=AllocationRole.IRO)
    f.baby = ChildFactory()
    f.household = Household.objects.create(description="The Testchild household")
    for child in (f.subject, f.sister, f.baby):
        HouseholdMembership.objects.create(
            household=f.household, person=child.person, start_date=D(2020, 1, 1)
        )
    Relationship.objects.create(
        from_person=f.subject.person,
        to_person=f.sister.person,
        relationship_type=RelationshipType.SIBLING,
        start_date=D(2015, 6, 1),
    )
    return f


def record(people, family, *, by=None, looked_after=False, aware=AWARE, **overrides):
    values = dict(
        child=family.subject,
        harm=Harm.SERIOUSLY_HARMED,
        abuse_or_neglect=AbuseOrNeglect.SUSPECTED,
        occurred_on=aware - datetime.timedelta(days=1),
        became_aware_on=aware,
        looked_after=looked_after,
        summary="Admitted to hospital with unexplained injuries",
        lead=people.hos,
        recorded_by=(by or people.team_manager).user,
    )
    values.update(overrides)
    return services.serious_incident_record(**values)


@pytest.fixture
def incident(people, family):
    return record(people, family)
