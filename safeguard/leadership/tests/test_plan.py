"""The improvement plan's services: who may set and change actions, evidence to mark one done, a reason to
drop one, late detection, the history and audit of every change, the baseline of a linked measure and
whether it has moved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.audit.models import AuditEvent
from safeguard.casework.tests.conftest import TODAY
from safeguard.leadership import services
from safeguard.leadership.models import ActionStatus, ActionStatusChange, ImprovementAction
from safeguard.leadership.selectors import IMPROVING, TARGET_MET, WORSE, Progress, plan_rows
from safeguard.leadership.tests import records as r

pytestmark = pytest.mark.django_db
D = datetime.date


def create(people, by=None, **changes):
    arguments = {
        "created_by": (by or people.director).user,
        "title": "Every referral decided within one working day",
        "description": "Second manager at the front door each morning",
        "owner": people.team_manager,
        "due_on": TODAY + datetime.timedelta(days=60),
        "area": people.north,
    }
    return services.action_create(**{**arguments, **changes})


def test_the_director_sets_an_action_recorded_with_its_history_and_audit(people):
    action = create(people, area=None)
    assert action.status == ActionStatus.NOT_STARTED and action.area is None
    assert list(action.status_changes.values_list("from_status", "to_status")) == [("", "not_started")]
    event = AuditEvent.objects.get(action="improvement_action.created", entity_id=str(action.pk))
    assert event.actor == people.director.user and event.changes["title"][1] == action.title


def test_a_head_of_service_sets_actions_for_their_own_area_only(people):
    assert create(people, by=people.hos).area == people.north
    with pytest.raises(PermissionDenied):
        create(people, by=people.hos, area=people.south)
    with pytest.raises(PermissionDenied):
        create(people, by=people.hos, area=None)


@pytest.mark.parametrize("persona", ["team_manager", "inspector", "social_worker"])
def test_readers_and_others_cannot_set_actions(people, persona):
    with pytest.raises(PermissionDenied):
        create(people, by=getattr(people, persona))
    assert not ImprovementAction.objects.exists()


def test_bad_input_is_refused_with_messages_and_nothing_changes(people):
    with pytest.raises(ValidationError) as refused:
        create(
            people,
            title=" ",
            description="",
            owner=people.social_worker,
            due_on=None,
            measure="nope",
            target="x",
        )
    errors = refused.value.message_dict
    assert set(errors) == {"title", "description", "owner", "due_on", "measure", "target"}
    assert "cannot own this action" in errors["owner"][0]
    assert not ImprovementAction.objects.exists() and not AuditEvent.objects.exists()


def test_done_needs_evidence_and_dropped_a_reason(people):
    action = create(people)
    with pytest.raises(ValidationError) as refused:
        services.action_set_status(
            action=action, changed_by=people.director.user, version=action.version, status="done", note=" "
        )
    assert "evidence" in refused.value.message_dict["note"][0]
    with pytest.raises(ValidationError):
        services.action_set_status(
            action=action, changed_by=people.director.user, version=action.version, status="dropped"
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED and action.status_changes.count() == 1

    started = services.action_set_status(
        action=action, changed_by=people.hos.user, version=action.version, status="in_progress"
    )
    done = services.action_set_status(
        action=started,
        changed_by=people.hos.user,
        version=started.version,
        status="done",
        note="Rota in place since 1 March; audit of 40 contacts attached to the board paper",
        on=TODAY,
    )
    assert (
        done.status == ActionStatus.DONE and done.completed_on == TODAY and done.evidence.startswith("Rota")
    )
    history = list(ActionStatusChange.objects.filter(action=done).values_list("from_status", "to_status"))
    assert history == [("", "not_started"), ("not_started", "in_progress"), ("in_progress", "done")]
    assert (
        AuditEvent.objects.filter(action="improvement_action.status_changed", entity_id=str(done.pk)).count()
        == 2
    )
    # Done is final: it cannot be dropped or reopened.
    with pytest.raises(ValidationError):
        services.action_set_status(
            action=done,
            changed_by=people.director.user,
            version=done.version,
            status="dropped",
            note="Changed mind",
        )


def test_a_stale_form_is_told_rather_than_overwriting(people):
    action = create(people)
    services.action_set_status(action=action, changed_by=people.hos.user, version=1, status="in_progress")
    with pytest.raises(services.VersionConflict):
        services.action_update(
            action=action,
            updated_by=people.director.user,
            version=1,
            title="Changed",
            description=action.description,
            owner=action.owner,
            due_on=action.due_on,
        )
    action.refresh_from_db()
    assert action.title != "Changed"


def test_late_means_past_due_and_not_done_or_dropped(people):
    late = create(people, title="Late one")
    ImprovementAction.objects.filter(pk=late.pk).update(due_on=TODAY - datetime.timedelta(days=3))
    due_today = create(people, title="Due today", due_on=TODAY)
    done = create(people, title="Done late")
    ImprovementAction.objects.filter(pk=done.pk).update(due_on=TODAY - datetime.timedelta(days=10))
    done.refresh_from_db()
    services.action_set_status(
        action=done, changed_by=people.director.user, version=done.version, status="done", note="Evidence"
    )
    assert list(ImprovementAction.objects.late(TODAY)) == [late]
    rows = {row.action.title: row for row in plan_rows(ImprovementAction.objects.all(), today=TODAY)}
    assert rows["Late one"].late and rows["Late one"].days_late == 3
    assert not rows["Due today"].late and not rows["Done late"].late
    assert due_today.is_late(TODAY + datetime.timedelta(days=1))


def test_a_linked_measure_keeps_its_baseline_and_shows_whether_it_moved(people):
    team = people.north_team
    # The 12 months to today (12 Mar 2025 - 11 Mar 2026): two North referrals, one a re-referral: 50%.
    kid = r.child()
    r.episode(kid, D(2025, 4, 1), team, closed=D(2025, 5, 1))
    r.episode(kid, D(2025, 6, 1), team, closed=D(2025, 7, 1))
    action = create(people, measure="re_referral", target="20")
    assert (action.baseline, action.baseline_numerator, action.baseline_denominator) == (50, 1, 2)
    assert action.baseline_on == TODAY and action.target == 20
    # Two more first referrals: 1 of 4 = 25%, lower is better: improving, not yet at the target.
    r.episode(r.child(), D(2025, 8, 1), team)
    r.episode(r.child(), D(2025, 9, 1), team)
    progress = plan_rows([action], today=TODAY)[0].progress
    assert (progress.current, progress.numerator, progress.denominator) == (25.0, 1, 4)
    assert progress.verdict == IMPROVING
    event = AuditEvent.objects.get(action="improvement_action.created")
    assert event.changes["measure"] == [None, "re_referral"] and event.changes["baseline"][1] == "50.0"


def test_progress_verdicts():
    def progress(better, baseline, current, target):
        return Progress("x", "X", better, baseline, current, 0, 0, target).verdict

    assert progress("higher", 70.0, 80.0, 85.0) == IMPROVING
    assert progress("higher", 70.0, 86.0, 85.0) == TARGET_MET
    assert progress("higher", 70.0, 60.0, 85.0) == WORSE
    assert progress("lower", 25.0, 30.0, 20.0) == WORSE
    assert progress("lower", 25.0, 19.5, 20.0) == TARGET_MET
