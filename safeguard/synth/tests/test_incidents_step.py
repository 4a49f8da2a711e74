"""Serious incidents in the synthetic city at 5,000 children: a few, on known children with their household,
clocks exactly as the engine makes them, some late, a looked-after child's Ofsted notification, at least one
practice review, and one the demo's team manager and head of service see."""

import pytest
from django.contrib.auth import get_user_model

from safeguard.compliance.models import Deadline
from safeguard.compliance.registry import duty
from safeguard.incidents.models import (
    HouseholdRelation,
    IncidentNotification,
    PracticeReview,
    Recipient,
    SeriousIncident,
)
from safeguard.incidents.policies import incidents_visible_to

pytestmark = pytest.mark.usefixtures("city", "db")


def test_a_few_incidents_on_known_children_with_their_household(city):
    incidents = list(SeriousIncident.objects.all())
    assert 3 <= len(incidents) <= 12
    assert city.context.extra["incidents"]["incidents"] == len(incidents)
    for incident in incidents:
        relations = dict(incident.children.values_list("child_id", "relation"))
        assert relations[incident.child_id] == HouseholdRelation.SUBJECT
        assert incident.team_id is not None and incident.occurred_on <= incident.became_aware_on
    assert any(incident.harm == "died" for incident in incidents)
    for incident in SeriousIncident.objects.filter(harm="died").select_related("child__person"):
        assert incident.child.person.date_of_death == incident.occurred_on


def test_the_clocks_are_the_engines(city):
    rows = Deadline.objects.filter(scope_type="incidents.seriousincident")
    assert rows.filter(duty_id="incident_panel_notification").count() == SeriousIncident.objects.count()
    for deadline in rows:
        assert deadline.due_on == duty(deadline.duty_id).due_date(deadline.starts_on)
        if deadline.duty_id != "incident_lcspr_publication":
            incident = SeriousIncident.objects.get(pk=deadline.scope_id)
            assert deadline.starts_on == incident.became_aware_on and deadline.child_id == incident.child_id


def test_reviews_notifications_and_the_personas(city):
    assert PracticeReview.objects.exists()
    assert IncidentNotification.objects.filter(recipient=Recipient.OFSTED, in_placement=True).exists()
    assert SeriousIncident.objects.filter(looked_after=True).exists()
    users = get_user_model().objects
    for persona in ("teammanager", "headofservice", "director"):
        assert incidents_visible_to(users.get(username=persona)).exists(), persona
    assert not incidents_visible_to(users.get(username="admin")).exists()
