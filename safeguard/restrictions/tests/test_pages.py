"""The pages: emergency access, the register, the report of every access, the review queue and the alerts."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from safeguard.audit.models import AccessEvent, AccessOutcome
from safeguard.audit.policy import Basis, Refusal
from safeguard.restrictions import services
from safeguard.restrictions.models import (
    AccessListEntry,
    CaldicottGuardian,
    EmergencyAccess,
    EmergencyAlert,
    RecordRestriction,
    RestrictionKind,
    StaffConnection,
)
from safeguard.restrictions.tests.conftest import PASSWORD

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def guardian(people):
    return CaldicottGuardian.objects.create(
        worker=people.director, start_date=datetime.date(2020, 1, 1)
    ).worker


def emergency_url(child):
    return reverse("restrictions:emergency_access", kwargs={"child_id": child.pk})


def test_emergency_access_with_a_wrong_password_grants_nothing_and_says_why(
    people, client_for, with_password
):
    client = client_for(with_password(people.front_door))
    response = client.post(
        emergency_url(people.alices_child),
        {"reason_category": "risk_of_harm", "reason": "Police call", "password": "wrong"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "Your password is not right" in page
    assert "Police call" in page  # what they typed is kept (not the password)
    assert not EmergencyAccess.objects.exists()
    assert (
        client.get(reverse("children:record", kwargs={"child_id": people.alices_child.pk})).status_code == 403
    )


def test_emergency_access_opens_the_record_and_every_view_is_logged_on_its_basis(
    people, client_for, with_password, guardian
):
    client = client_for(with_password(people.front_door))
    response = client.post(
        emergency_url(people.alices_child),
        {"reason_category": "risk_of_harm", "reason": "Police call at 2am", "password": PASSWORD},
    )
    record = reverse("children:record", kwargs={"child_id": people.alices_child.pk})
    assert response.status_code == 302 and response["Location"] == record
    assert client.get(record).status_code == 200
    event = AccessEvent.objects.filter(child=people.alices_child, user=people.front_door.user).latest("pk")
    assert event.outcome == AccessOutcome.ALLOWED and event.basis == Basis.EMERGENCY


def test_emergency_access_page_refuses_other_roles_and_sealed_records(people, client_for, governance):
    assert client_for(people.social_worker).get(emergency_url(people.bobs_child)).status_code == 403
    services.restriction_set(
        child=people.bobs_child,
        kind=RestrictionKind.SEALED_ADOPTION,
        reason="Adopted",
        set_by=governance.user,
    )
    response = client_for(people.front_door).get(emergency_url(people.bobs_child))
    assert response.status_code == 403 and "sealed adoption" in response.content.decode()
    assert AccessEvent.objects.filter(child=people.bobs_child, outcome=AccessOutcome.REFUSED).count() == 2


def test_the_governance_officer_restricts_a_record_and_manages_its_access_list(
    people, client_for, governance
):
    client = client_for(governance)
    response = client.post(
        reverse("restrictions:restriction_new"),
        {"child": people.alices_child.la_child_id, "kind": "high_profile", "reason": "Reported in the press"},
    )
    restriction = RecordRestriction.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("restrictions:restriction", kwargs={"restriction_id": restriction.pk}))
    assert people.alices_child.person.full_name in page.content.decode()
    response = client.post(
        reverse("restrictions:restriction", kwargs={"restriction_id": restriction.pk}),
        {"form": "add", "worker": people.social_worker.pk, "reason": "Allocated worker"},
    )
    assert response.status_code == 302
    assert AccessListEntry.objects.get().worker == people.social_worker
    assert (
        client_for(people.colleague)
        .get(reverse("children:record", kwargs={"child_id": people.alices_child.pk}))
        .status_code
        == 403
    )


def test_a_restriction_form_with_an_unknown_child_says_so(people, client_for, governance):
    response = client_for(governance).post(
        reverse("restrictions:restriction_new"), {"child": "NOSUCH1", "kind": "high_profile", "reason": "x"}
    )
    assert response.status_code == 400 and "No child has that local child ID" in response.content.decode()
    assert not RecordRestriction.objects.exists()


def test_a_staff_connection_is_recorded_from_the_register(people, client_for, governance):
    response = client_for(governance).post(
        reverse("restrictions:connection_new"),
        {"worker": people.colleague.pk, "child": people.alices_child.la_child_id, "kind": "neighbour"},
    )
    assert response.status_code == 302 and StaffConnection.objects.current().count() == 1
    assert (
        client_for(people.colleague)
        .get(reverse("children:record", kwargs={"child_id": people.alices_child.pk}))
        .status_code
        == 403
    )
    assert AccessEvent.objects.filter(basis=Refusal.STAFF_CONNECTION).exists()


def test_every_access_to_a_restricted_record_is_reported_to_the_owner(people, client_for, governance):
    services.restriction_set(
        child=people.alices_child, kind=RestrictionKind.HIGH_PROFILE, reason="Press", set_by=governance.user
    )
    record = reverse("children:record", kwargs={"child_id": people.alices_child.pk})
    assert client_for(people.director).get(record).status_code == 403
    assert client_for(people.colleague).get(record).status_code == 403
    client_for(people.social_worker).get(
        reverse("children:record", kwargs={"child_id": people.carls_child.pk})
    )
    response = client_for(governance).get(reverse("restrictions:accesses"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Refused") >= 2 and "Dev" in page and "Carl" in page
    assert people.carls_child.la_child_id not in page  # unrestricted children are not reported
    # Nobody else reads the report.
    assert client_for(people.director).get(reverse("restrictions:accesses")).status_code == 403


def test_alerts_appear_on_the_recipients_home_page_until_seen(people, client_for, with_password, guardian):
    with_password(people.front_door)
    services.emergency_access_grant(
        user=people.front_door.user,
        child=people.alices_child,
        reason_category="out_of_hours",
        reason="Hospital called",
        password=PASSWORD,
    )
    for recipient in [people.director, people.team_manager]:
        home = client_for(recipient).get("/").content.decode()
        assert "Emergency access used" in home and people.alices_child.la_child_id in home
    alert = EmergencyAlert.objects.get(recipient=people.team_manager)
    client_for(people.team_manager).post(reverse("restrictions:alert_seen", kwargs={"alert_id": alert.pk}))
    assert "Emergency access used" not in client_for(people.team_manager).get("/").content.decode()
    # Someone else cannot mark it seen.
    other = EmergencyAlert.objects.get(recipient=people.director)
    assert (
        client_for(people.hos)
        .post(reverse("restrictions:alert_seen", kwargs={"alert_id": other.pk}))
        .status_code
        == 403
    )


def test_the_review_queue_shows_overdue_reviews_and_records_a_review(
    people, client_for, with_password, governance, guardian
):
    with_password(people.front_door)
    with time_machine.travel(datetime.datetime(2026, 12, 24, 22, tzinfo=LONDON), tick=False):
        use = services.emergency_access_grant(
            user=people.front_door.user,
            child=people.alices_child,
            reason_category="risk_of_harm",
            reason="Police",
            password=PASSWORD,
        )
    with time_machine.travel(datetime.datetime(2027, 1, 6, 9, tzinfo=LONDON)):
        page = client_for(governance).get(reverse("restrictions:reviews")).content.decode()
        assert "Overdue" in page and "5 January 2027" in page
        response = client_for(guardian).post(
            reverse("restrictions:review", kwargs={"emergency_access_id": use.pk}),
            {"outcome": "justified", "notes": "Checked the police log"},
        )
        assert response.status_code == 302
    use.refresh_from_db()
    assert use.reviewed_by == guardian
    assert client_for(people.social_worker).get(reverse("restrictions:reviews")).status_code == 403


def test_every_page_of_the_register_shows_its_rows(people, client_for, with_password, governance, guardian):
    restriction = services.restriction_set(
        child=people.alices_child, kind=RestrictionKind.HIGH_PROFILE, reason="Press", set_by=governance.user
    )
    services.access_list_add(
        restriction=restriction,
        worker=people.social_worker,
        reason="Allocated worker",
        end_date=None,
        added_by=governance.user,
    )
    services.staff_connection_record(
        worker=people.colleague,
        child=people.bobs_child,
        kind="friend",
        details="School friend's child",
        recorded_by=governance.user,
    )
    with_password(people.front_door)
    use = services.emergency_access_grant(
        user=people.front_door.user,
        child=people.carls_child,
        reason_category="missing",
        reason="Missing overnight",
        password=PASSWORD,
    )
    client = client_for(governance)
    register = client.get(reverse("restrictions:register")).content.decode()
    assert people.alices_child.la_child_id in register and "School friend" in register
    assert (
        "Allocated worker"
        in client.get(
            reverse("restrictions:restriction", kwargs={"restriction_id": restriction.pk})
        ).content.decode()
    )
    for name in ["restrictions:restriction_new", "restrictions:connection_new", "restrictions:reviews"]:
        assert client.get(reverse(name)).status_code == 200, name
    review = client.get(
        reverse("restrictions:review", kwargs={"emergency_access_id": use.pk})
    ).content.decode()
    assert "Missing overnight" in review and "Nothing: they did not open the record" in review
    # A high-profile record is open to emergency access; the form does not name the child.
    form = client_for(people.front_door).get(emergency_url(people.alices_child))
    assert form.status_code == 200 and "Your password" in form.content.decode()
    assert people.alices_child.person.last_name not in form.content.decode()
