"""Recording a serious incident and what follows: valid and bad input, the household linked, audit events."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.audit.models import AuditEvent
from safeguard.incidents import services
from safeguard.incidents.models import (
    HouseholdRelation,
    IncidentAccess,
    IncidentNotification,
    PracticeReview,
    Recipient,
    ReviewDecision,
    SeriousIncident,
)
from safeguard.incidents.tests.conftest import AWARE, record

D = datetime.date


def test_recording_links_the_household_and_is_audited(people, family, incident):
    links = {link.child_id: link.relation for link in incident.children.all()}
    assert links == {
        family.subject.pk: HouseholdRelation.SUBJECT,
        family.sister.pk: HouseholdRelation.SIBLING,
        family.baby.pk: HouseholdRelation.HOUSEHOLD,
    }
    assert incident.reference == "SI-2026-0001"
    assert incident.team == people.north_team and incident.area == people.north
    event = AuditEvent.objects.get(action="serious_incident.recorded")
    assert event.child_id == family.subject.pk and event.actor == people.team_manager.user
    assert sorted(event.changes["children"]) == sorted([family.subject.pk, family.sister.pk, family.baby.pk])


def test_a_reference_taken_by_someone_recording_at_the_same_moment_is_drawn_again(
    people, family, incident, monkeypatch
):
    # The second recorder read the same "next" reference as the first (SI-2026-0001) before it was saved.
    drawn = iter(["SI-2026-0001", "SI-2026-0002"])
    monkeypatch.setattr(services, "_next_reference", lambda year: next(drawn))
    second = record(people, family)
    assert second.reference == "SI-2026-0002"
    assert SeriousIncident.objects.count() == 2


def test_a_child_who_left_the_household_before_the_incident_is_not_linked(people, family):
    family.baby.person.household_memberships.update(end_date=D(2026, 1, 1))
    incident = record(people, family)
    assert family.baby.pk not in set(incident.children.values_list("child_id", flat=True))


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"became_aware_on": AWARE + datetime.timedelta(days=1)}, "became_aware_on"),
        ({"occurred_on": AWARE + datetime.timedelta(days=1)}, "became_aware_on"),
        ({"summary": "  "}, "summary"),
        ({"harm": "bruised"}, "harm"),
    ],
)
def test_bad_input_saves_nothing(people, family, overrides, field):
    with pytest.raises(ValidationError) as raised:
        record(people, family, **overrides)
    assert field in raised.value.message_dict
    assert not SeriousIncident.objects.exists()
    assert not AuditEvent.objects.filter(action="serious_incident.recorded").exists()


def test_only_the_childs_manager_head_of_service_or_director_records_one(people, family):
    for worker in (people.social_worker, people.colleague, people.other_worker, people.inspector, people.iro):
        with pytest.raises(PermissionDenied):
            record(people, family, by=worker)
    # Tess does not manage Bob's child's team: she may not record one for Bob's child.
    with pytest.raises(PermissionDenied):
        record(people, family, child=family.sister)
    assert record(people, family, by=people.director).pk
    assert record(people, family, by=people.hos).pk


def test_a_panel_notification_needs_the_panels_reference_and_a_date_after_awareness(people, incident):
    tess = people.team_manager.user
    with pytest.raises(ValidationError) as raised:
        services.incident_notification_record(
            incident=incident, recipient=Recipient.PANEL, notified_on=AWARE, reference="", recorded_by=tess
        )
    assert "reference" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        services.incident_notification_record(
            incident=incident,
            recipient=Recipient.PANEL,
            notified_on=AWARE - datetime.timedelta(days=2),
            reference="CSPRP-1",
            recorded_by=tess,
        )
    assert "notified_on" in raised.value.message_dict
    assert not IncidentNotification.objects.exists()
    services.incident_notification_record(
        incident=incident, recipient=Recipient.PANEL, notified_on=AWARE, reference="CSPRP-1", recorded_by=tess
    )
    assert AuditEvent.objects.filter(action="serious_incident.notified").count() == 1


def test_a_social_worker_cannot_record_progress_even_if_they_can_see_it(people, incident):
    with pytest.raises(PermissionDenied):
        services.incident_notification_record(
            incident=incident,
            recipient=Recipient.PANEL,
            notified_on=AWARE,
            reference="X",
            recorded_by=people.social_worker.user,
        )


def test_rapid_review_deciding_on_a_practice_review_commissions_it(people, incident):
    review = services.rapid_review_record(
        incident=incident,
        completed_on=AWARE,
        sent_to_panel_on=AWARE,
        decision=ReviewDecision.LCSPR,
        summary="Learning about information sharing",
        recorded_by=people.hos.user,
    )
    assert review.pk
    practice = PracticeReview.objects.get(incident=incident)
    assert practice.commissioned_on == AWARE
    with pytest.raises(ValidationError):  # recorded once only
        services.rapid_review_record(
            incident=incident,
            completed_on=AWARE,
            sent_to_panel_on=AWARE,
            decision=ReviewDecision.NO_REVIEW,
            summary="Again",
            recorded_by=people.hos.user,
        )


def test_the_access_list_is_managed_by_the_director_head_of_service_or_lead_and_audited(people, incident):
    with pytest.raises(PermissionDenied):
        services.incident_access_add(
            incident=incident, worker=people.colleague, reason="Reviewer", added_by=people.team_manager.user
        )
    entry = services.incident_access_add(
        incident=incident, worker=people.colleague, reason="Partnership reviewer", added_by=people.hos.user
    )
    with pytest.raises(ValidationError):
        services.incident_access_add(
            incident=incident, worker=people.colleague, reason="Twice", added_by=people.hos.user
        )
    services.incident_access_end(entry=entry, ended_by=people.director.user)
    assert IncidentAccess.objects.get(pk=entry.pk).ended_at is not None
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="serious_incident.access")] == [
        "serious_incident.access_added",
        "serious_incident.access_ended",
    ]
