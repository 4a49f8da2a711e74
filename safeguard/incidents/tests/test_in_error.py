"""An incident recorded in error: kept and marked, its running clocks stopped (a missed one stays a breach),
its warning gone from the household's records, decided only by the director or the area's head of service."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from safeguard.audit.models import AuditEvent
from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.compliance.register import breaches
from safeguard.incidents import services
from safeguard.incidents.models import Recipient, SeriousIncident
from safeguard.incidents.views import record_notices

D = datetime.date
SCOPE = "incidents.seriousincident"


def clocks(incident):
    return {d.duty_id: d for d in Deadline.objects.filter(scope_type=SCOPE, scope_id=incident.pk)}


def test_the_director_marks_it_and_its_running_clocks_stop_but_a_missed_one_stays_a_breach(
    people, family, incident, frozen
):
    # 6 January 2027: the Panel notification (due 4 January) is late and still open; the rapid review runs.
    frozen.move_to(datetime.datetime(2027, 1, 6, 10, 0, tzinfo=datetime.UTC))
    services.serious_incident_record_in_error(
        incident=incident, decided_by=people.director.user, reason="Recorded on the wrong child"
    )
    incident.refresh_from_db()
    assert (incident.in_error_on, incident.in_error_reason) == (D(2027, 1, 6), "Recorded on the wrong child")
    found = clocks(incident)
    assert {d.status for d in found.values()} == {DeadlineStatus.CANCELLED}
    assert found["incident_panel_notification"].breached_on == D(2027, 1, 5)
    assert found["incident_rapid_review"].breached_on is None
    assert [row.duty_id for row in breaches(people.director.user, today=D(2027, 1, 6))] == [
        "incident_panel_notification"
    ]
    event = AuditEvent.objects.get(action="serious_incident.recorded_in_error")
    assert event.reason == "Recorded on the wrong child" and event.child_id == family.subject.pk


def test_the_warning_leaves_the_household_records_but_the_incident_is_kept(
    people, family, incident, client_for
):
    assert record_notices(family.sister, people.other_worker.user, D(2026, 12, 23))
    services.serious_incident_record_in_error(
        incident=incident, decided_by=people.hos.user, reason="Not a serious incident: a fall, now explained"
    )
    for child in (family.subject, family.sister):
        assert record_notices(child, people.director.user, D(2026, 12, 23)) == []
    assert SeriousIncident.objects.filter(pk=incident.pk).exists()
    page = client_for(people.director).get(reverse("incidents:incident", args=[incident.pk])).content.decode()
    assert "Recorded in error" in page and "a fall, now explained" in page
    assert "Record a notification" not in page


def test_nothing_more_is_recorded_on_it(people, incident):
    services.serious_incident_record_in_error(
        incident=incident, decided_by=people.director.user, reason="Wrong"
    )
    incident.refresh_from_db()
    with pytest.raises(ValidationError):
        services.incident_notification_record(
            incident=incident,
            recipient=Recipient.PANEL,
            notified_on=D(2026, 12, 23),
            reference="CSPRP-1",
            recorded_by=people.team_manager.user,
        )


def test_only_the_director_or_the_areas_head_of_service_decides_and_a_reason_is_needed(people, incident):
    for worker in (people.team_manager, people.social_worker, people.iro):
        with pytest.raises(PermissionDenied):
            services.serious_incident_record_in_error(
                incident=incident, decided_by=worker.user, reason="Wrong"
            )
    with pytest.raises(ValidationError) as raised:
        services.serious_incident_record_in_error(
            incident=incident, decided_by=people.director.user, reason=" "
        )
    assert "reason" in raised.value.message_dict
    incident.refresh_from_db()
    assert not incident.is_in_error
    assert {d.status for d in clocks(incident).values()} == {DeadlineStatus.OPEN}


def test_the_page_asks_for_a_reason_and_refuses_anyone_else(people, incident, client_for):
    url = reverse("incidents:in_error", args=[incident.pk])
    assert client_for(people.team_manager).get(url).status_code == 403
    director = client_for(people.director)
    assert director.get(url).status_code == 200
    assert director.post(url, {"reason": ""}).status_code == 400
    assert director.post(url, {"reason": "Recorded on the wrong child"}).status_code == 302
    # Marked: nobody marks it again.
    assert director.get(url).status_code == 403
