"""The deadline engine's rules: start, meet, chain, cancel, breach, and the delay reason."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.compliance.services import compliance_event, deadline_explain_delay, deadlines_record_breaches
from safeguard.organisation.models import Allocation

D = datetime.date


@pytest.fixture
def child(people):
    return people.alices_child


@pytest.fixture
def scope(people):
    """Any saved row will do as the record a clock belongs to; two distinct ones for scope tests."""
    allocations = list(Allocation.objects.order_by("pk")[:2])
    return allocations


def test_an_event_starts_the_duties_it_triggers_on_its_record(people, child, scope):
    outcome = compliance_event(
        event="cp_plan.started", child=child, on=D(2026, 4, 24), scope=scope[0], team=people.north_team
    )
    started = {deadline.duty_id: deadline for deadline in outcome.opened}
    assert set(started) == {"core_group_first", "cp_review_first", "cp_visit"}
    review = started["cp_review_first"]
    assert (review.starts_on, review.due_on, review.status) == (D(2026, 4, 24), D(2026, 7, 24), "open")
    assert (review.scope_type, review.scope_id) == ("organisation.allocation", scope[0].pk)
    assert review.team == people.north_team
    assert started["core_group_first"].due_on == D(2026, 5, 11)  # early May bank holiday skipped


def test_meeting_on_time_is_not_a_breach_and_starts_the_next_in_the_chain(child, scope):
    compliance_event(event="cp_plan.started", child=child, on=D(2026, 4, 24), scope=scope[0])
    outcome = compliance_event(event="cp_review.held", child=child, on=D(2026, 7, 20), scope=scope[0])
    (met,) = outcome.met
    assert (met.duty_id, met.status, met.closed_on, met.breached_on, met.days_late) == (
        "cp_review_first",
        DeadlineStatus.MET,
        D(2026, 7, 20),
        None,
        None,
    )
    (following,) = outcome.opened
    # The next review runs from the day the last was held: at most six months.
    assert (following.duty_id, following.starts_on, following.due_on) == (
        "cp_review",
        D(2026, 7, 20),
        D(2027, 1, 20),
    )


def test_meeting_late_records_the_breach_and_how_long_it_ran(child, scope):
    compliance_event(event="cp_plan.started", child=child, on=D(2026, 4, 24), scope=scope[0])
    outcome = compliance_event(event="cp_review.held", child=child, on=D(2026, 8, 3), scope=scope[0])
    (met,) = outcome.met
    assert met.breached_on == D(2026, 7, 25)  # the first day it was late
    assert met.days_late == 10
    assert met.was_breached()


def test_a_record_scoped_event_touches_only_its_own_records_clocks(child, scope):
    compliance_event(event="cp_plan.started", child=child, on=D(2026, 4, 24), scope=scope[0])
    compliance_event(event="cp_plan.started", child=child, on=D(2026, 4, 24), scope=scope[1])
    compliance_event(event="cp_plan.ended", child=child, on=D(2026, 5, 1), scope=scope[0])
    assert Deadline.objects.for_scope(scope[0]).open().count() == 0
    assert Deadline.objects.for_scope(scope[1]).open().count() == 3


def test_an_event_without_a_record_meets_the_childs_clocks_on_any_record(child, scope):
    """A visit meets whichever visit was due, and the next visit belongs to the same record as the last."""
    compliance_event(event="cp_plan.started", child=child, on=D(2026, 4, 24), scope=scope[0])
    outcome = compliance_event(event="visit.child_seen", child=child, on=D(2026, 5, 1))
    assert [deadline.duty_id for deadline in outcome.met] == ["cp_visit"]
    (following,) = outcome.opened
    assert (following.duty_id, following.scope_id, following.due_on) == (
        "cp_visit",
        scope[0].pk,
        D(2026, 5, 18),
    )


def test_an_event_dated_before_a_clock_started_does_not_meet_it(child, scope):
    compliance_event(event="cp_plan.started", child=child, on=D(2026, 4, 24), scope=scope[0])
    outcome = compliance_event(event="visit.child_seen", child=child, on=D(2026, 4, 20))
    assert outcome.met == []


def test_cancelling_before_the_day_leaves_no_breach_after_it_leaves_the_breach(child, scope):
    compliance_event(event="cp_plan.started", child=child, on=D(2026, 4, 24), scope=scope[0])
    outcome = compliance_event(event="cp_plan.ended", child=child, on=D(2026, 5, 12), scope=scope[0])
    by_duty = {deadline.duty_id: deadline for deadline in outcome.cancelled}
    assert by_duty["cp_review_first"].breached_on is None
    # The first core group was due on 11 May and never met: ending the plan does not erase that.
    assert by_duty["core_group_first"].breached_on == D(2026, 5, 12)
    assert by_duty["core_group_first"].status == DeadlineStatus.CANCELLED
    assert Deadline.objects.breached(D(2026, 5, 12)).filter(duty="core_group_first").count() == 1


def test_the_same_clock_never_runs_twice_for_one_record(child, scope):
    compliance_event(event="cp_plan.started", child=child, on=D(2026, 4, 24), scope=scope[0])
    again = compliance_event(event="cp_plan.started", child=child, on=D(2026, 4, 24), scope=scope[0])
    assert again.opened == []
    assert Deadline.objects.filter(duty="cp_review_first").count() == 1


def test_a_meeting_event_meets_a_clock_once(child, scope):
    """Two people recording the same review: the first meets the deadline; the second finds it closed."""
    compliance_event(event="cp_plan.started", child=child, on=D(2026, 4, 24), scope=scope[0])
    first = compliance_event(event="cp_review.held", child=child, on=D(2026, 7, 20), scope=scope[0])
    second = compliance_event(event="cp_review.held", child=child, on=D(2026, 7, 20), scope=scope[0])
    assert len(first.met) == 1
    # The second meets the review that the first one started (held again the same day), not the first one.
    assert [deadline.duty_id for deadline in second.met] == ["cp_review"]
    assert Deadline.objects.filter(duty="cp_review_first").get().status == DeadlineStatus.MET


def test_the_death_of_a_child_stops_every_clock(child, scope):
    compliance_event(event="cp_plan.started", child=child, on=D(2026, 4, 24), scope=scope[0])
    compliance_event(event="lac.started", child=child, on=D(2026, 4, 24), scope=scope[1])
    compliance_event(event="child.died", child=child, on=D(2026, 4, 30))
    assert not Deadline.objects.open().filter(child=child).exists()


def test_unknown_events_and_unscoped_triggers_are_refused(child, scope):
    with pytest.raises(ValueError, match="Unknown compliance event"):
        compliance_event(event="cp_plan.begun", child=child, on=D(2026, 4, 24), scope=scope[0])
    with pytest.raises(ValueError, match="needs the record"):
        compliance_event(event="cp_plan.started", child=child, on=D(2026, 4, 24))


def test_the_record_can_set_the_period_of_a_duty_that_allows_it(child, scope, monkeypatch):
    from safeguard.compliance.registry import Period

    record = scope[0]
    monkeypatch.setattr(
        type(record),
        "statutory_period",
        lambda self, code, on: Period(4, "weeks") if code == "cp_visit" else None,
        raising=False,
    )
    outcome = compliance_event(event="cp_plan.started", child=child, on=D(2026, 4, 24), scope=record)
    due = {deadline.duty_id: deadline.due_on for deadline in outcome.opened}
    assert due["cp_visit"] == D(2026, 5, 22)  # the plan's four weeks
    assert due["cp_review_first"] == D(
        2026, 7, 24
    )  # a review's period is the law's, whatever the record says


def test_the_daily_sweep_records_breaches_once(child, scope):
    compliance_event(event="cp_plan.started", child=child, on=D(2026, 4, 24), scope=scope[0])
    # The first core group and the first visit are both due on 11 May (10 working days).
    assert deadlines_record_breaches(today=D(2026, 5, 11)) == 0  # due today: not late yet
    assert deadlines_record_breaches(today=D(2026, 5, 12)) == 2
    assert deadlines_record_breaches(today=D(2026, 5, 13)) == 0
    late = Deadline.objects.get(duty="core_group_first")
    assert late.breached_on == D(2026, 5, 12) and late.is_open
    assert late.days_overdue(D(2026, 5, 20)) == 9


def test_the_sweep_command(child, scope, capsys):
    compliance_event(event="cp_plan.started", child=child, on=D(2026, 4, 24), scope=scope[0])
    with time_machine.travel(datetime.datetime(2026, 5, 12, 9, 0), tick=False):
        call_command("compliance", "record-breaches")
    assert "2 deadlines newly recorded as breached" in capsys.readouterr().out


def test_working_days_left(child, scope):
    (deadline,) = compliance_event(event="s47.started", child=child, on=D(2026, 4, 1), scope=scope[0]).opened
    assert deadline.due_on == D(2026, 4, 24)
    assert deadline.working_days_left(D(2026, 4, 20)) == 4
    assert deadline.working_days_left(D(2026, 4, 24)) == 0
    assert deadline.working_days_left(D(2026, 4, 28)) == -2


def test_a_delay_reason_is_kept_and_a_stale_save_is_told(people, child, scope):
    (deadline,) = compliance_event(event="s47.started", child=child, on=D(2026, 4, 1), scope=scope[0]).opened
    user = people.social_worker.user
    stale = Deadline.objects.get(pk=deadline.pk)
    deadline_explain_delay(deadline=deadline, reason="Police could not attend", recorded_by=user, version=1)
    with pytest.raises(ValidationError, match="Police could not attend"):
        deadline_explain_delay(
            deadline=stale, reason="Family on holiday", recorded_by=user, version=stale.version
        )
    assert Deadline.objects.get(pk=deadline.pk).delay_reason == "Police could not attend"
    with pytest.raises(ValidationError, match="Enter the reason"):
        deadline_explain_delay(deadline=deadline, reason="  ", recorded_by=user, version=deadline.version)


def test_only_someone_who_may_change_the_record_explains_a_delay(people, child, scope):
    (deadline,) = compliance_event(event="s47.started", child=child, on=D(2026, 4, 1), scope=scope[0]).opened
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        deadline_explain_delay(
            deadline=deadline, reason="Nosy", recorded_by=people.other_worker.user, version=1
        )
    with pytest.raises(PermissionDenied):
        deadline_explain_delay(
            deadline=deadline, reason="Reading", recorded_by=people.inspector.user, version=1
        )


def test_a_deadline_met_on_time_has_no_delay_to_explain(people, child, scope):
    (deadline,) = compliance_event(event="s47.started", child=child, on=D(2026, 4, 1), scope=scope[0]).opened
    (met,) = compliance_event(event="icpc.held", child=child, on=D(2026, 4, 20), scope=scope[0]).met
    with pytest.raises(ValidationError, match="met on time"):
        deadline_explain_delay(
            deadline=met, reason="None", recorded_by=people.social_worker.user, version=met.version
        )


def test_a_record_can_say_a_duty_does_not_apply_to_the_child(child, scope, monkeypatch):
    record = scope[0]
    monkeypatch.setattr(
        type(record), "duty_applies", lambda self, code, on: code != "cp_visit", raising=False
    )
    outcome = compliance_event(event="cp_plan.started", child=child, on=D(2026, 4, 24), scope=record)
    assert {deadline.duty_id for deadline in outcome.opened} == {"core_group_first", "cp_review_first"}
