"""The one-month clock (UK GDPR art. 12(3); ICO "How long do we have to comply?"), and its extension."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.audit.models import AuditEvent
from safeguard.sar import services
from safeguard.sar.models import RequesterKind, SarStatus, SubjectAccessRequest, response_due
from safeguard.sar.tests.conftest import receive

D = datetime.date


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2026, 9, 3), D(2026, 10, 5)),  # ICO's example: 3 Sept -> 3 Oct; 3 Oct 2026 is a Saturday -> Monday
        (D(2026, 3, 2), D(2026, 4, 2)),  # the corresponding day, a Thursday
        (D(2025, 1, 31), D(2025, 2, 28)),  # no 31 February: the last day of February (a Friday)
        (D(2024, 1, 31), D(2024, 2, 29)),  # a leap year: 29 February (a Thursday)
        (D(2026, 1, 30), D(2026, 3, 2)),  # 28 Feb 2026 is a Saturday: the next working day
        (D(2026, 3, 31), D(2026, 4, 30)),  # 31 March -> 30 April
        (D(2026, 11, 25), D(2026, 12, 29)),  # 25 Dec a Friday, 28 Dec the Boxing Day substitute: Tuesday 29th
        (D(2026, 4, 6), D(2026, 5, 6)),  # a Wednesday, no holiday
        (D(2026, 4, 25), D(2026, 5, 26)),  # 25 May 2026 is the spring bank holiday (Monday): Tuesday
        (D(2026, 8, 29), D(2026, 9, 29)),  # received on a Saturday: the clock still runs from that day
    ],
)
def test_a_request_is_due_on_the_corresponding_day_next_month_or_the_next_working_day(db, received, due):
    assert response_due(received) == due


def test_receiving_a_request_sets_its_due_date_and_is_audited(people, gina):
    sar = receive(people, gina, received_on=D(2026, 1, 31))
    assert sar.due_on == D(2026, 3, 2)  # 28 Feb 2026 is a Saturday
    assert sar.status == SarStatus.RECEIVED and sar.deadline == D(2026, 3, 2)
    event = AuditEvent.objects.get(action="subject_access_request.received")
    assert event.child == people.alices_child and event.actor == gina.user
    assert event.changes["due_on"] == [None, "2026-03-02"]


def test_when_proof_of_identity_had_to_be_asked_for_the_month_runs_from_its_arrival(people, gina):
    sar = receive(people, gina, received_on=D(2026, 2, 2), identity_requested=True, identity_checked_on=None)
    assert sar.clock_starts_on is None and sar.due_on is None
    sar = services.sar_record_identity(request=sar, by=gina.user, checked_on=D(2026, 2, 10))
    assert sar.clock_starts_on == D(2026, 2, 10) and sar.due_on == D(2026, 3, 10)


def test_overdue_requests_are_those_open_past_their_date(people, gina):
    late = receive(people, gina, received_on=D(2026, 1, 5))  # due 5 Feb
    on_time = receive(people, gina, child=people.carls_child, received_on=D(2026, 3, 2))
    refused = receive(people, gina, child=people.bobs_child, received_on=D(2026, 1, 5))
    services.sar_refuse(request=refused, by=gina.user, reason="Manifestly excessive: the fourth this month")
    overdue = SubjectAccessRequest.objects.overdue(D(2026, 3, 11))
    assert list(overdue) == [late]
    assert late.is_overdue(D(2026, 3, 11)) and not on_time.is_overdue(D(2026, 3, 11))


def test_an_extension_adds_two_months_once_with_a_reason_and_notice_in_the_first_month(people, gina, sar):
    sar = services.sar_extend(
        request=sar,
        by=gina.user,
        reason="Twelve years in care: 3,000 records to review",
        told_on=D(2026, 3, 10),
    )
    assert sar.due_on == D(2026, 4, 2)
    assert sar.extended_due_on == D(2026, 6, 2)  # three months from 2 March
    assert sar.deadline == D(2026, 6, 2)
    assert AuditEvent.objects.filter(action="subject_access_request.extended").count() == 1
    with pytest.raises(ValidationError) as again:
        services.sar_extend(request=sar, by=gina.user, reason="More", told_on=D(2026, 3, 11))
    assert "already been extended" in str(again.value)


def test_an_extension_the_requester_was_not_told_of_in_the_first_month_is_refused(people, gina):
    sar = receive(people, gina, received_on=D(2026, 1, 30))  # due Monday 2 March
    with pytest.raises(ValidationError) as late:
        services.sar_extend(request=sar, by=gina.user, reason="Complex", told_on=D(2026, 3, 3))
    assert "within the first month" in str(late.value)
    sar.refresh_from_db()
    assert sar.extended_due_on is None


@pytest.mark.parametrize(
    ("reason", "told_on", "message"),
    [
        ("", D(2026, 3, 10), "Enter why the request needs longer"),
        ("Complex", D(2026, 3, 12), "must be today or in the past"),
        ("Complex", D(2026, 2, 1), "on or after the date received"),
    ],
)
def test_a_bad_extension_says_why_and_changes_nothing(people, gina, sar, reason, told_on, message):
    with pytest.raises(ValidationError) as error:
        services.sar_extend(request=sar, by=gina.user, reason=reason, told_on=told_on)
    assert message in str(error.value)
    sar.refresh_from_db()
    assert sar.extended_due_on is None and sar.extension_reason == ""


def test_only_the_assigned_officer_extends(people, gina, otto, sar):
    with pytest.raises(PermissionDenied):
        services.sar_extend(request=sar, by=otto.user, reason="Complex", told_on=D(2026, 3, 10))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"received_on": D(2026, 3, 12)}, "received_on", "must be today or in the past"),
        ({"requester_kind": RequesterKind.PARENT}, "requester_name", "Enter the name"),
        ({"requester_kind": "cousin"}, "requester_kind", "Choose who made the request"),
        ({"identity_checked_on": D(2026, 2, 1)}, "identity_checked_on", "on or after the date received"),
    ],
)
def test_a_bad_request_is_refused_with_a_clear_message(people, gina, changes, field, message):
    with pytest.raises(ValidationError) as error:
        receive(people, gina, **changes)
    assert message in " ".join(error.value.message_dict[field])
    assert not SubjectAccessRequest.objects.exists()


def test_only_information_governance_officers_log_requests(people):
    with pytest.raises(PermissionDenied):
        receive(people, people.director)
