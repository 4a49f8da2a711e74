"""Two serious incidents on the shared personas (``people``, in the root conftest), for learning actions.

``incident`` happened to Alice's child (North, Tess's team; Tess is its lead): under the incidents policy
the director, Hana (head of service, North), Tess, Alice (allocated) and the inspector see it; Carl (Alice's
colleague, who can open the child's record) and Bob do not. ``other_incident`` happened to Bob's child (South)
but is answered for by Tess's team: Tess counts its actions in her team's figures but may not see it.

Time is frozen on Wednesday 2 December 2026.
"""

import datetime

import pytest
import time_machine

from safeguard.incidents.models import (
    AbuseOrNeglect,
    Harm,
    HouseholdRelation,
    SeriousIncident,
    SeriousIncidentChild,
)

D = datetime.date
TODAY = D(2026, 12, 2)
NOW = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def make_incident(*, reference, child, lead, team, area):
    incident = SeriousIncident.objects.create(
        reference=reference,
        child=child,
        harm=Harm.SERIOUSLY_HARMED,
        abuse_or_neglect=AbuseOrNeglect.SUSPECTED,
        became_aware_on=D(2026, 11, 2),
        looked_after=False,
        summary="Synthetic test incident.",
        lead=lead,
        team=team,
        area=area,
    )
    SeriousIncidentChild.objects.create(incident=incident, child=child, relation=HouseholdRelation.SUBJECT)
    return incident


@pytest.fixture
def incident(people):
    return make_incident(
        reference="SI-T-1",
        child=people.alices_child,
        lead=people.team_manager,
        team=people.north_team,
        area=people.north,
    )


@pytest.fixture
def other_incident(people):
    return make_incident(
        reference="SI-T-2",
        child=people.bobs_child,
        lead=people.hos,
        team=people.north_team,
        area=people.north,
    )
