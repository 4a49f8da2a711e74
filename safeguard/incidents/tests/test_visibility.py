"""Who sees a serious incident ("restricted to those who need it", ADR 0018): the incident, its notice on
each household child's record, its clocks among the child's deadlines, and its pages. Carl, who can open
Alice's child's record through his team, sees none of it."""

import datetime

import pytest
from django.urls import reverse

from safeguard.audit.models import AccessEvent, AccessOutcome
from safeguard.audit.policy import access_basis
from safeguard.casework.selectors import deadlines_due_for_worker
from safeguard.incidents import services
from safeguard.incidents.policies import may_see_incident
from safeguard.incidents.tests.conftest import record
from safeguard.people.models import HouseholdMembership
from safeguard.restrictions.models import RecordRestriction, RestrictionKind
from tests.factories import ChildFactory

D = datetime.date


def sees(worker, incident) -> bool:
    return may_see_incident(worker.user, incident)


def test_who_sees_the_incident(people, family, incident):
    allowed = {
        "director": people.director,
        "head of service of North": people.hos,  # also the lead
        "team manager of the subject": people.team_manager,
        "allocated worker of the subject": people.social_worker,
        "allocated worker of the sister": people.other_worker,
        "the sister's named IRO": people.iro,
        "inspector": people.inspector,
    }
    refused = {
        "colleague in the subject's team": people.colleague,
        "front door": people.front_door,
        "administrator": people.administrator,
        "analyst": people.analyst,
    }
    for who, worker in allowed.items():
        assert sees(worker, incident), who
    for who, worker in refused.items():
        assert not sees(worker, incident), who
    # Carl can open the record all the same: the incident is restricted beyond the record.
    assert access_basis(people.colleague.user, family.subject).allowed


def test_the_lead_and_the_access_list_see_it_until_their_entry_ends(people, family):
    incident = record(people, family, lead=people.colleague)
    assert sees(people.colleague, incident)
    other = record(people, family)
    assert not sees(people.colleague, other)
    entry = services.incident_access_add(
        incident=other, worker=people.colleague, reason="Partnership reviewer", added_by=people.director.user
    )
    assert sees(people.colleague, other)
    services.incident_access_end(entry=entry, ended_by=people.director.user)
    assert not sees(people.colleague, other)


def test_a_restricted_record_closes_the_incident_too(people, family, incident):
    RecordRestriction.objects.create(
        child=family.subject,
        kind=RestrictionKind.HIGH_PROFILE,
        reason="Press interest",
        set_by=people.director,
    )
    assert not sees(people.team_manager, incident)
    assert not sees(people.director, incident)


def test_the_list_page_shows_it_to_exactly_those_named(people, family, incident, client_for):
    named = {
        people.director,
        people.hos,
        people.team_manager,
        people.social_worker,
        people.other_worker,
        people.iro,
        people.inspector,
    }
    for worker in people.workers:
        page = client_for(worker).get(reverse("incidents:index")).content.decode()
        assert (incident.reference in page) is (worker in named), worker


def record_page(client_for, worker, child):
    return client_for(worker).get(reverse("children:record", kwargs={"child_id": child.pk}))


def test_the_notice_shows_on_each_household_record_only_to_those_who_may_see_it(
    people, family, incident, client_for
):
    page = record_page(client_for, people.social_worker, family.subject).content.decode()
    assert (
        "Serious incident in this household: the child was seriously harmed, aware 23 December 2026" in page
    )
    assert reverse("incidents:incident", kwargs={"incident_id": incident.pk}) in page
    assert (
        "Serious incident in this household"
        in record_page(client_for, people.other_worker, family.sister).content.decode()
    )
    response = record_page(client_for, people.colleague, family.subject)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Serious incident" not in body and incident.reference not in body


def test_a_child_who_joins_the_household_later_carries_the_notice(
    people, family, incident, client_for, frozen
):
    frozen.move_to(datetime.datetime(2027, 2, 1, 10, 0, tzinfo=datetime.UTC))
    newcomer = ChildFactory()
    HouseholdMembership.objects.create(
        household=family.household, person=newcomer.person, start_date=D(2027, 1, 20)
    )
    assert newcomer.pk not in set(incident.children.values_list("child_id", flat=True))
    page = record_page(client_for, people.director, newcomer).content.decode()
    assert "Serious incident in this household" in page


def test_the_incidents_clocks_are_hidden_from_those_who_may_not_see_it(people, family, incident, client_for):
    case_file = reverse("casework:case_file", kwargs={"child_id": family.subject.pk})
    for worker, shown in ((people.team_manager, True), (people.colleague, False)):
        body = client_for(worker).get(case_file).content.decode()
        assert ("Child Safeguarding Practice Review Panel" in body) is shown, worker
    # The allocated worker's own list of what is due keeps them: she may see the incident.
    assert {d.duty_id for d in deadlines_due_for_worker(worker=people.social_worker)} >= {
        "incident_panel_notification"
    }


def test_the_incident_page_refuses_and_logs_those_who_may_not_see_it(people, incident, client_for):
    url = reverse("incidents:incident", kwargs={"incident_id": incident.pk})
    response = client_for(people.colleague).get(url)
    assert response.status_code == 403
    assert incident.summary not in response.content.decode()
    refusal = AccessEvent.objects.filter(user=people.colleague.user).latest("pk")
    assert refusal.outcome == AccessOutcome.REFUSED and refusal.child_id == incident.child_id
    response = client_for(people.iro).get(url)
    assert response.status_code == 200
    viewed = AccessEvent.objects.filter(user=people.iro.user).latest("pk")
    assert viewed.outcome == AccessOutcome.ALLOWED and viewed.child_id == incident.child_id


@pytest.mark.parametrize("name", ["notification_new", "rapid_review", "access_add"])
def test_readers_may_not_record(people, incident, client_for, name):
    url = reverse(f"incidents:{name}", kwargs={"incident_id": incident.pk})
    for reader in (people.inspector, people.iro, people.social_worker):
        assert client_for(reader).post(url, {}).status_code == 403
