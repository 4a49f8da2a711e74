"""Overdue learning actions are breaches, in the same engine as every statutory duty: the ``learning_action``
duty's clock runs from the day an action is agreed to the due date agreed (no national limit: Working
Together 2023 ch.5), on the record of the child concerned, and the legal exposure register shows it.

Worked example (time frozen on Wednesday 2 December 2026): an action agreed on 2 December, due on Friday
25 December 2026 (Christmas Day), is due on that day: the date is the one agreed, in calendar days, not moved
to a working day; it is overdue from Saturday 26 December, and completing it on Tuesday 29 December (after
the substitute Boxing Day holiday) records 4 days late.
"""

import datetime

import time_machine

from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.compliance.register import breaches
from safeguard.compliance.registry import duty
from safeguard.learning import services
from safeguard.learning.models import DUTY, LearningAction, Source
from safeguard.learning.tests.conftest import TODAY
from safeguard.oversight import services as oversight_services
from safeguard.oversight.models import CaseAudit, CaseAuditAction

D = datetime.date


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 12, 0, tzinfo=datetime.UTC)


def agree(people, incident, due_on):
    return services.learning_action_agree(
        incident=incident,
        agreed_by=people.team_manager.user,
        source=Source.PRACTICE_REVIEW,
        description="Revise the pre-birth assessment procedure",
        owner=people.social_worker,
        due_on=due_on,
    )


def deadlines_of(row):
    return list(
        Deadline.objects.filter(duty_id=DUTY, scope_type=row._meta.label_lower, scope_id=row.pk).order_by(
            "pk"
        )
    )


def test_the_duty_is_local_with_its_period_from_the_record():
    item = duty(DUTY)
    assert item.local and item.period_from_record and not item.verified
    assert "Working Together to Safeguard Children 2023, ch.5" in item.citation


def test_the_worked_example_due_overdue_and_done_late_in_the_register(people, incident, frozen):
    action = agree(people, incident, D(2026, 12, 25))
    [deadline] = deadlines_of(action)
    assert (deadline.child, deadline.starts_on, deadline.due_on) == (
        people.alices_child,
        TODAY,
        D(2026, 12, 25),
    )
    assert (deadline.team, deadline.area) == (people.north_team, people.north)
    director = people.director.user
    assert not breaches(director, today=D(2026, 12, 25)).filter(pk=deadline.pk).exists()  # due today: in time
    assert breaches(director, today=D(2026, 12, 26)).filter(pk=deadline.pk).exists()  # overdue the next day
    assert breaches(people.team_manager.user, today=D(2026, 12, 26)).filter(pk=deadline.pk).exists()
    assert not breaches(people.other_worker.user, today=D(2026, 12, 26)).exists()

    frozen.move_to(noon(D(2026, 12, 29)))
    services.learning_action_complete(
        action=action,
        completed_by=people.social_worker.user,
        evidence="Procedure revised",
        version=action.version,
    )
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MET
    assert (deadline.breached_on, deadline.days_late) == (D(2026, 12, 26), 4)
    assert breaches(director, today=D(2027, 1, 4)).filter(pk=deadline.pk).exists()  # a past breach stays


def test_done_on_time_is_no_breach(people, incident, frozen):
    action = agree(people, incident, D(2026, 12, 10))
    frozen.move_to(noon(D(2026, 12, 10)))
    services.learning_action_complete(
        action=action, completed_by=people.team_manager.user, evidence="Done", version=1
    )
    [deadline] = deadlines_of(action)
    assert deadline.status == DeadlineStatus.MET and deadline.breached_on is None
    assert not breaches(people.director.user, today=D(2027, 1, 1)).exists()


def test_moving_the_due_date_before_it_falls_due_moves_the_clock_without_a_breach(people, incident, frozen):
    action = agree(people, incident, D(2026, 12, 10))
    frozen.move_to(noon(D(2026, 12, 9)))
    services.learning_action_change_due_date(
        action=action,
        changed_by=people.team_manager.user,
        due_on=D(2027, 1, 8),
        reason="Trainer ill",
        version=1,
    )
    first, second = deadlines_of(action)
    assert first.status == DeadlineStatus.CANCELLED and first.breached_on is None
    assert second.status == DeadlineStatus.OPEN
    assert (second.starts_on, second.due_on, second.team) == (
        D(2026, 12, 9),
        D(2027, 1, 8),
        people.north_team,
    )
    assert not breaches(people.director.user, today=D(2027, 1, 8)).exists()


def test_moving_the_due_date_after_it_fell_due_keeps_the_first_breach(people, incident, frozen):
    action = agree(people, incident, D(2026, 12, 10))
    frozen.move_to(noon(D(2026, 12, 14)))
    services.learning_action_change_due_date(
        action=action, changed_by=people.team_manager.user, due_on=D(2027, 1, 8), reason="Late", version=1
    )
    first, second = deadlines_of(action)
    assert first.status == DeadlineStatus.CANCELLED
    assert (first.breached_on, first.days_late) == (D(2026, 12, 11), 4)
    assert second.is_open and second.due_on == D(2027, 1, 8)
    found = set(breaches(people.director.user, today=D(2026, 12, 20)).values_list("pk", flat=True))
    assert found == {first.pk}  # the late first clock, not the new one still in time


def test_no_longer_needed_stops_the_clock(people, incident, frozen):
    action = agree(people, incident, D(2026, 12, 10))
    services.learning_action_close_not_needed(
        action=action, decided_by=people.hos.user, reason="Overtaken", version=1
    )
    [deadline] = deadlines_of(action)
    assert deadline.status == DeadlineStatus.CANCELLED and deadline.breached_on is None


def test_a_case_audit_action_raises_the_same_duty_on_the_audited_child(people, frozen):
    audit = CaseAudit.objects.create(child=people.alices_child, auditor=people.team_manager, started_on=TODAY)
    action = oversight_services.case_audit_action_add(
        audit=audit,
        added_by=people.team_manager.user,
        description="Update the chronology",
        owner=people.social_worker,
        due_on=D(2026, 12, 18),
    )
    [deadline] = deadlines_of(action)
    assert (deadline.duty_id, deadline.child, deadline.due_on) == (DUTY, people.alices_child, D(2026, 12, 18))
    assert deadline.scope_type == "oversight.caseauditaction" and deadline.team == people.north_team
    assert breaches(people.director.user, today=D(2026, 12, 19)).filter(pk=deadline.pk).exists()
    with time_machine.travel(noon(D(2026, 12, 21)), tick=False):
        oversight_services.case_audit_action_complete(
            action=CaseAuditAction.objects.get(pk=action.pk),
            completed_by=people.social_worker.user,
            evidence="Chronology updated",
        )
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MET and deadline.days_late == 3


def test_learning_actions_have_no_deadline_other_than_their_own(people, incident):
    action = agree(people, incident, D(2026, 12, 10))
    assert Deadline.objects.filter(scope_type=LearningAction._meta.label_lower).count() == 1
    assert deadlines_of(action)[0].started_by == "learning_action.agreed"


def test_an_incident_actions_deadline_is_private_to_those_who_may_see_the_incident(people, other_incident):
    """Tess answers for the team but may not see SI-T-2: its learning action's breach is not in her register
    (it would tell of the incident), though the learning-action report counts it without a description."""
    action = services.learning_action_agree(
        incident=other_incident,
        agreed_by=people.director.user,
        source=Source.RAPID_REVIEW,
        description="Escalation protocol",
        owner=people.hos,
        due_on=D(2026, 12, 10),
    )
    [deadline] = deadlines_of(action)
    late = D(2026, 12, 20)
    assert not breaches(people.team_manager.user, today=late).filter(pk=deadline.pk).exists()
    assert breaches(people.hos.user, today=late).filter(pk=deadline.pk).exists()  # the area's head of service
    assert breaches(people.director.user, today=late).filter(pk=deadline.pk).exists()
