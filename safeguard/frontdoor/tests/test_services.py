"""Every front door service: its rules, its errors, its audit events, and the one-working-day clock."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safeguard.audit.models import AuditEvent
from safeguard.casework.models import CinEpisode
from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.frontdoor.models import (
    REFERRAL_OUTCOMES,
    Contact,
    ContactStatus,
    Outcome,
    Rag,
    Referral,
    ThresholdDecision,
    decision_deadlines,
)
from safeguard.frontdoor.services import (
    contact_acknowledge,
    contact_decide,
    contact_record,
    mash_check_request,
    mash_check_respond,
)
from safeguard.organisation.models import Role
from tests.factories import WorkerFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def manager(people):
    return WorkerFactory(role=Role.TEAM_MANAGER, team=people.front_door_team)


def record(people, **overrides):
    arguments = {
        "recorded_by": people.front_door.user,
        "child": people.unallocated_child,
        "team": people.front_door_team,
        "area": people.north,
        "source": "2A",
        "reported": "Child came to school hungry and bruised",
        "worry": "Neglect",
        "consent": "given",
    }
    arguments.update(overrides)
    return contact_record(**arguments)


def deadline_of(contact) -> Deadline:
    return decision_deadlines().get(scope_id=contact.pk)


def decide(contact, manager, **overrides):
    arguments = {
        "contact": contact,
        "decided_by": manager.user,
        "level_of_need": "child_in_need",
        "rag": "amber",
        "rationale": "Needs an assessment of neglect",
        "outcome": Outcome.ASSESSMENT,
    }
    arguments.update(overrides)
    if arguments["outcome"] in REFERRAL_OUTCOMES:
        arguments.setdefault("primary_need", "N1")
    return contact_decide(**arguments)


# ----------------------------------------------------------------------------------------------------------
# Recording


def test_recording_a_contact_sets_its_clock_and_audits(people):
    with time_machine.travel(at(2026, 12, 2, 9, 30), tick=False):
        contact = record(people, referrer_name="  Ms Green ", external_reference="S-1")
    assert contact.decision_due == datetime.date(2026, 12, 3)
    assert contact.status == ContactStatus.AWAITING_DECISION
    assert contact.referrer_name == "Ms Green"
    event = AuditEvent.objects.get(action="contact.recorded")
    assert event.child == people.unallocated_child and event.changes["source"] == [None, "2A"]
    assert event.changes["decision_due"] == [None, "2026-12-03"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"source": "99"}, "source"),
        ({"reported": "  "}, "reported"),
        ({"worry": ""}, "worry"),
        ({"consent": "maybe"}, "consent"),
        ({"rag": "blue"}, "rag"),
        ({"received_at": timezone.now() + datetime.timedelta(hours=1)}, "received_at"),
    ],
)
def test_recording_refuses_bad_input_field_by_field(people, overrides, field):
    with pytest.raises(ValidationError) as caught:
        record(people, **overrides)
    assert field in caught.value.message_dict
    assert not Contact.objects.exists()


def test_a_source_not_yet_valid_is_refused():
    """5D (LA services: early help) arrived in 2022-23: a contact dated before then cannot use it."""
    from safeguard.frontdoor.services import validate_source

    validate_source("5D", datetime.date(2022, 4, 1))
    with pytest.raises(ValidationError):
        validate_source("5D", datetime.date(2022, 3, 31))


def test_only_front_door_staff_record(people):
    with pytest.raises(PermissionDenied):
        record(people, recorded_by=people.social_worker.user)


def test_immediate_risk_without_a_priority_is_red(people):
    assert record(people, immediate_risk=True).rag == Rag.RED
    assert record(people, immediate_risk=True, rag=Rag.AMBER, child=people.bobs_child).rag == Rag.AMBER


# ----------------------------------------------------------------------------------------------------------
# The one-working-day clock


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (at(2026, 12, 2, 16, 0), datetime.date(2026, 12, 3)),  # Wednesday: Thursday
        (at(2026, 12, 4, 17, 30), datetime.date(2026, 12, 7)),  # Friday: Monday
        (at(2026, 12, 5, 11, 0), datetime.date(2026, 12, 7)),  # Saturday: Monday
        (at(2026, 12, 24, 15, 0), datetime.date(2026, 12, 29)),  # Christmas Eve: Tuesday 29th
        (at(2026, 12, 31, 23, 30), datetime.date(2027, 1, 4)),  # New Year's Eve, late: Monday 4 January
    ],
)
def test_decision_is_due_by_the_end_of_the_next_working_day(db, received, due):
    assert Contact.decision_due_for(received) == due


def test_recording_a_contact_opens_its_decision_deadline_over_christmas(people):
    """The clock is the compliance engine's ``contact_decision`` duty (Working Together 2023 ch.3). Thursday
    24 December 2026: Friday 25th is Christmas Day and Monday 28th the substitute Boxing Day, so the
    decision is due by the end of Tuesday 29th."""
    with time_machine.travel(at(2026, 12, 24, 15, 0), tick=False):
        contact = record(people)
    deadline = deadline_of(contact)
    assert (deadline.starts_on, deadline.due_on) == (datetime.date(2026, 12, 24), datetime.date(2026, 12, 29))
    assert deadline.status == DeadlineStatus.OPEN and deadline.started_by == "contact.received"
    assert deadline.child == people.unallocated_child
    assert (deadline.team, deadline.area) == (people.front_door_team, people.north)
    assert deadline.created_by == people.front_door.user
    assert Contact.objects.get(pk=contact.pk).decision_due == deadline.due_on


def test_a_contact_received_just_after_midnight_starts_its_clock_on_the_local_day(people):
    """00:30 on Thursday 20 August 2026 in London (British Summer Time) is 23:30 on Wednesday in UTC: the
    clock starts on Thursday, due by the end of Friday."""
    received = at(2026, 8, 20, 0, 30)
    with time_machine.travel(received + datetime.timedelta(hours=1), tick=False):
        contact = record(people, received_at=received)
    deadline = deadline_of(contact)
    assert (deadline.starts_on, deadline.due_on) == (datetime.date(2026, 8, 20), datetime.date(2026, 8, 21))


def test_christmas_contact_is_not_overdue_until_the_30th(people):
    """Thursday 24 December 2026: Friday 25th is Christmas Day, Monday 28th the substitute Boxing Day."""
    with time_machine.travel(at(2026, 12, 24, 15, 0), tick=False):
        contact = record(people)
        assert contact.working_days_waited() == 0
    assert contact.decision_due == datetime.date(2026, 12, 29)
    with time_machine.travel(at(2026, 12, 28, 12, 0), tick=False):
        assert not contact.is_overdue() and contact.working_days_waited() == 0
    with time_machine.travel(at(2026, 12, 29, 17, 59), tick=False):
        assert not contact.is_overdue() and contact.working_days_waited() == 1
    with time_machine.travel(at(2026, 12, 30, 9, 0), tick=False):
        assert contact.is_overdue() and contact.working_days_waited() == 2


def test_a_weekend_contact_waits_no_working_days_until_monday(people):
    with time_machine.travel(at(2026, 12, 4, 18, 0), tick=False):
        contact = record(people)
    with time_machine.travel(at(2026, 12, 6, 12, 0), tick=False):
        assert contact.working_days_waited() == 0 and not contact.is_overdue()
    with time_machine.travel(at(2026, 12, 8, 9, 0), tick=False):
        assert contact.is_overdue()


def test_a_decision_on_the_due_day_is_on_time_and_after_it_late(people, manager):
    with time_machine.travel(at(2026, 12, 24, 15, 0), tick=False):
        first = record(people)
        second = record(people, child=people.bobs_child)
    with time_machine.travel(at(2026, 12, 29, 17, 0), tick=False):
        assert decide(first, manager).was_on_time
    with time_machine.travel(at(2026, 12, 30, 9, 0), tick=False):
        late = decide(second, manager)
    assert not late.was_on_time
    assert AuditEvent.objects.filter(action="contact.decided", entity_id=str(second.pk)).get().changes[
        "on_time"
    ] == [None, False]


def test_a_decision_on_time_meets_the_deadline(people, manager):
    """Decided at 5pm on Tuesday 29 December, the last day: met, never breached."""
    with time_machine.travel(at(2026, 12, 24, 15, 0), tick=False):
        contact = record(people)
    with time_machine.travel(at(2026, 12, 29, 17, 0), tick=False):
        decide(contact, manager, outcome=Outcome.NO_FURTHER_ACTION, level_of_need="universal")
    deadline = deadline_of(contact)
    assert deadline.status == DeadlineStatus.MET and deadline.closed_by == "contact.decided"
    assert deadline.closed_on == datetime.date(2026, 12, 29)
    assert deadline.breached_on is None and deadline.days_late is None
    assert deadline.modified_by == manager.user
    assert not Deadline.objects.open().filter(duty_id="contact_decision").exists()


def test_a_late_decision_meets_the_deadline_and_keeps_the_breach(people, manager):
    """Decided on Thursday 31 December, two days after the due day: breached from Wednesday 30th."""
    with time_machine.travel(at(2026, 12, 24, 15, 0), tick=False):
        contact = record(people)
    with time_machine.travel(at(2026, 12, 31, 10, 0), tick=False):
        decide(contact, manager, outcome=Outcome.NO_FURTHER_ACTION, level_of_need="universal")
    deadline = deadline_of(contact)
    assert deadline.status == DeadlineStatus.MET and deadline.closed_on == datetime.date(2026, 12, 31)
    assert deadline.breached_on == datetime.date(2026, 12, 30) and deadline.days_late == 2
    assert Deadline.objects.breached(datetime.date(2027, 1, 4)).get() == deadline


def test_a_decision_made_after_midnight_is_dated_by_the_local_day(people, manager):
    """Due by the end of Thursday 20 August 2026; decided at 00:30 on Friday in London (23:30 on Thursday in
    UTC): a day late."""
    with time_machine.travel(at(2026, 8, 19, 10, 0), tick=False):
        contact = record(people)
    with time_machine.travel(at(2026, 8, 21, 0, 30), tick=False):
        assert not decide(contact, manager).was_on_time
    deadline = deadline_of(contact)
    assert (deadline.due_on, deadline.closed_on) == (datetime.date(2026, 8, 20), datetime.date(2026, 8, 21))
    assert deadline.days_late == 1


def test_a_refused_second_decision_leaves_the_deadline_as_the_first_met_it(people, manager):
    with time_machine.travel(at(2026, 12, 24, 15, 0), tick=False):
        contact = record(people)
    with time_machine.travel(at(2026, 12, 29, 12, 0), tick=False):
        decide(contact, manager)
    stale = Contact.objects.get(pk=contact.pk)
    stale.status = ContactStatus.AWAITING_DECISION
    with time_machine.travel(at(2027, 1, 6, 12, 0), tick=False), pytest.raises(ValidationError):
        decide(stale, people.hos, outcome=Outcome.NO_FURTHER_ACTION, level_of_need="universal")
    deadline = deadline_of(contact)
    assert deadline.closed_on == datetime.date(2026, 12, 29) and deadline.days_late is None


# ----------------------------------------------------------------------------------------------------------
# Acknowledgement


def test_acknowledgement_is_recorded_once(people):
    contact = record(people)
    contact_acknowledge(contact=contact, acknowledged_by=people.front_door.user)
    first = Contact.objects.get(pk=contact.pk).acknowledged_at
    with pytest.raises(ValidationError):
        contact_acknowledge(contact=contact, acknowledged_by=people.front_door.user)
    assert Contact.objects.get(pk=contact.pk).acknowledged_at == first
    assert AuditEvent.objects.filter(action="contact.acknowledged").count() == 1


def test_acknowledgement_cannot_predate_the_contact_or_come_from_outside(people):
    contact = record(people)
    with pytest.raises(ValidationError):
        contact_acknowledge(
            contact=contact,
            acknowledged_by=people.front_door.user,
            at=contact.received_at - datetime.timedelta(minutes=1),
        )
    with pytest.raises(PermissionDenied):
        contact_acknowledge(contact=contact, acknowledged_by=people.social_worker.user)


# ----------------------------------------------------------------------------------------------------------
# MASH checks


def test_a_check_is_requested_once_per_agency(people):
    contact = record(people)
    check = mash_check_request(contact=contact, agency="police", requested_by=people.front_door.user)
    assert check.is_outstanding
    with pytest.raises(ValidationError) as caught:
        mash_check_request(contact=contact, agency="police", requested_by=people.front_door.user)
    assert "agency" in caught.value.message_dict
    with pytest.raises(ValidationError):
        mash_check_request(contact=contact, agency="astrology", requested_by=people.front_door.user)
    with pytest.raises(PermissionDenied):
        mash_check_request(contact=contact, agency="health", requested_by=people.social_worker.user)
    assert AuditEvent.objects.filter(action="mash_check.requested").count() == 1


def test_no_check_after_the_decision(people, manager):
    contact = record(people)
    decide(contact, manager)
    with pytest.raises(ValidationError):
        mash_check_request(contact=contact, agency="police", requested_by=people.front_door.user)


def test_a_check_response_is_not_overwritten(people):
    contact = record(people)
    check = mash_check_request(contact=contact, agency="health", requested_by=people.front_door.user)
    today = timezone.localdate()
    mash_check_respond(
        check=check, responded_on=today, response="Known to CAMHS", recorded_by=people.front_door.user
    )
    with pytest.raises(ValidationError):
        mash_check_respond(
            check=check, responded_on=today, response="Other", recorded_by=people.front_door.user
        )
    check.refresh_from_db()
    assert check.response == "Known to CAMHS" and not check.is_outstanding
    assert AuditEvent.objects.filter(action="mash_check.responded").count() == 1


@pytest.mark.parametrize(
    ("days", "response", "field"),
    [(1, "Said something", "responded_on"), (-5, "Before the request", "responded_on"), (0, " ", "response")],
)
def test_a_check_response_must_be_dated_sensibly_and_say_something(people, days, response, field):
    contact = record(people)
    check = mash_check_request(contact=contact, agency="health", requested_by=people.front_door.user)
    with pytest.raises(ValidationError) as caught:
        mash_check_respond(
            check=check,
            responded_on=timezone.localdate() + datetime.timedelta(days=days),
            response=response,
            recorded_by=people.front_door.user,
        )
    assert field in caught.value.message_dict


# ----------------------------------------------------------------------------------------------------------
# The threshold decision


def test_a_non_manager_cannot_decide(people):
    contact = record(people)
    for worker in (people.front_door, people.social_worker, people.team_manager):  # tess manages CIN North
        with pytest.raises(PermissionDenied):
            decide(contact, worker)
    assert Contact.objects.get(pk=contact.pk).status == ContactStatus.AWAITING_DECISION


def test_a_head_of_service_may_decide(people):
    assert decide(record(people), people.hos).outcome == Outcome.ASSESSMENT


def test_a_second_decision_is_refused_and_the_first_stands(people, manager):
    contact = record(people)
    decide(contact, manager)
    stale = Contact.objects.get(pk=contact.pk)
    stale.status = ContactStatus.AWAITING_DECISION  # as a second manager's page still shows it
    with pytest.raises(ValidationError):
        decide(stale, people.hos, outcome=Outcome.NO_FURTHER_ACTION, level_of_need="universal")
    decision = ThresholdDecision.objects.get(contact=contact)
    assert decision.outcome == Outcome.ASSESSMENT and decision.decided_by == manager.user
    assert Referral.objects.filter(contact=contact).count() == 1


@pytest.mark.parametrize(
    ("outcome", "level", "makes_referral", "urgent"),
    [
        (Outcome.NO_FURTHER_ACTION, "universal", False, False),
        (Outcome.SIGNPOST, "universal", False, False),
        (Outcome.EARLY_HELP, "early_help", False, False),
        (Outcome.ASSESSMENT, "child_in_need", True, False),
        (Outcome.STRATEGY_DISCUSSION, "child_protection", True, True),
    ],
)
def test_a_referral_is_made_for_assessment_and_strategy_outcomes_only(
    people, manager, outcome, level, makes_referral, urgent
):
    contact = record(people)
    decide(contact, manager, outcome=outcome, level_of_need=level)
    referral = Referral.objects.filter(contact=contact).first()
    assert (referral is not None) == makes_referral
    if referral:
        assert referral.child == contact.child and referral.source == "2A"
        assert referral.referral_date == timezone.localtime(contact.received_at).date()
        assert referral.urgent_child_protection == urgent
        assert AuditEvent.objects.filter(action="referral.created", entity_id=str(referral.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"level_of_need": "severe"}, "level_of_need"),
        ({"rag": ""}, "rag"),
        ({"outcome": "prison"}, "outcome"),
        ({"rationale": "  "}, "rationale"),
        ({"level_of_need": "child_protection", "outcome": Outcome.ASSESSMENT}, "outcome"),
        ({"level_of_need": "child_in_need", "outcome": Outcome.STRATEGY_DISCUSSION}, "level_of_need"),
        ({"primary_need": ""}, "primary_need"),  # a referral needs its primary need (CIN census 8610)
        ({"primary_need": "N10"}, "primary_need"),
        ({"outcome": Outcome.SIGNPOST, "level_of_need": "universal", "primary_need": "N1"}, "primary_need"),
    ],
)
def test_a_decision_needs_each_part(people, manager, overrides, field):
    contact = record(people)
    with pytest.raises(ValidationError) as caught:
        decide(contact, manager, **overrides)
    assert field in caught.value.message_dict
    assert Contact.objects.get(pk=contact.pk).status == ContactStatus.AWAITING_DECISION


def test_a_decision_cannot_predate_the_contact(people, manager):
    contact = record(people)
    with pytest.raises(ValidationError):
        decide(contact, manager, decided_at=contact.received_at - datetime.timedelta(hours=1))


def test_a_referrals_primary_need_opens_its_episode(people, manager):
    contact = record(people)
    decide(contact, manager, primary_need="N4")
    assert CinEpisode.objects.get(child=contact.child).primary_need == "N4"
