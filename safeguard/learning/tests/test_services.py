"""The services: valid and bad input, who may act, the history and the audit log, a second save told."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.audit.models import AuditEvent
from safeguard.casework.services import VersionConflict
from safeguard.learning import services
from safeguard.learning.models import Entry, LearningAction, Source, Status
from safeguard.learning.tests.conftest import TODAY

D = datetime.date


def agree(people, incident, **overrides):
    values = dict(
        incident=incident,
        agreed_by=people.team_manager.user,
        source=Source.RAPID_REVIEW,
        description="Briefing on bruising in non-mobile babies",
        owner=people.social_worker,
        due_on=D(2027, 1, 15),
    )
    values.update(overrides)
    return services.learning_action_agree(**values)


def test_agreeing_an_action_records_it_its_history_and_an_audit_event(people, incident):
    action = agree(people, incident)
    assert action.status == Status.OPEN and action.agreed_on == TODAY
    assert (action.team, action.area) == (people.north_team, people.north)
    assert [e.kind for e in action.entries.all()] == [Entry.AGREED]
    event = AuditEvent.objects.get(action="learning_action.agreed", entity_id=str(action.pk))
    assert event.child == people.alices_child and event.changes["due_on"] == [None, "2027-01-15"]


def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(people, incident):
    with pytest.raises(ValidationError) as error:
        agree(people, incident, source="thematic", description="  ", owner=None, due_on=D(2026, 12, 1))
    assert set(error.value.message_dict) == {"source", "description", "owner", "due_on"}
    assert not LearningAction.objects.exists() and not AuditEvent.objects.exists()


def test_only_a_manager_who_may_see_the_incident_agrees_actions(people, incident):
    for worker in (people.colleague, people.social_worker, people.inspector, people.other_worker):
        with pytest.raises(PermissionDenied):
            agree(people, incident, agreed_by=worker.user)
    assert agree(people, incident, agreed_by=people.hos.user).pk


def test_completing_needs_evidence_and_is_done_by_the_owner(people, incident):
    action = agree(people, incident)
    with pytest.raises(ValidationError) as error:
        services.learning_action_complete(
            action=action, completed_by=people.social_worker.user, evidence=" ", version=action.version
        )
    assert "evidence" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.learning_action_complete(
            action=action, completed_by=people.colleague.user, evidence="Done", version=action.version
        )
    done = services.learning_action_complete(
        action=action,
        completed_by=people.social_worker.user,
        evidence="Briefing held 1 Dec",
        version=action.version,
    )
    assert (
        done.status == Status.DONE
        and done.completed_on == TODAY
        and done.completed_by == people.social_worker.user
    )
    assert AuditEvent.objects.filter(action="learning_action.completed", entity_id=str(action.pk)).exists()
    with pytest.raises(ValidationError):
        services.learning_action_complete(
            action=done, completed_by=people.social_worker.user, evidence="Again", version=done.version
        )


def test_a_due_date_change_needs_a_reason_and_is_recorded_with_both_dates(people, incident):
    action = agree(people, incident)
    with pytest.raises(ValidationError) as error:
        services.learning_action_change_due_date(
            action=action, changed_by=people.social_worker.user, due_on=D(2027, 2, 1), reason="", version=1
        )
    assert "reason" in error.value.message_dict
    services.learning_action_change_due_date(
        action=action,
        changed_by=people.social_worker.user,
        due_on=D(2027, 2, 1),
        reason="The trainer is ill",
        version=1,
    )
    entry = action.entries.get(kind=Entry.DUE_DATE_CHANGED)
    assert (entry.old_due_on, entry.new_due_on, entry.note) == (
        D(2027, 1, 15),
        D(2027, 2, 1),
        "The trainer is ill",
    )
    event = AuditEvent.objects.get(action="learning_action.due_date_changed")
    assert event.changes == {"due_on": ["2027-01-15", "2027-02-01"]} and event.reason == "The trainer is ill"


def test_a_second_save_on_a_stale_page_is_told_and_overwrites_nothing(people, incident):
    action = agree(people, incident)
    stale = LearningAction.objects.get(pk=action.pk)
    services.learning_action_change_due_date(
        action=action, changed_by=people.team_manager.user, due_on=D(2027, 2, 1), reason="Moved", version=1
    )
    with pytest.raises(VersionConflict) as error:
        services.learning_action_complete(
            action=stale, completed_by=people.social_worker.user, evidence="Done", version=1
        )
    assert "after you opened it" in str(error.value) and "1 February 2027" in str(error.value)
    action.refresh_from_db()
    assert action.status == Status.OPEN and action.due_on == D(2027, 2, 1)


def test_no_longer_needed_is_a_managers_decision_with_a_reason(people, incident):
    action = agree(people, incident, owner=people.social_worker)
    with pytest.raises(PermissionDenied):
        services.learning_action_close_not_needed(
            action=action, decided_by=people.social_worker.user, reason="Not mine", version=1
        )
    with pytest.raises(ValidationError):
        services.learning_action_close_not_needed(
            action=action, decided_by=people.hos.user, reason="", version=1
        )
    closed = services.learning_action_close_not_needed(
        action=action, decided_by=people.hos.user, reason="Overtaken by the LCSPR's action", version=1
    )
    assert closed.status == Status.NOT_NEEDED and closed.closed_reason
    assert AuditEvent.objects.filter(action="learning_action.not_needed").exists()


def test_progress_is_a_note_in_the_history(people, incident):
    action = agree(people, incident)
    services.learning_action_record_progress(
        action=action, recorded_by=people.social_worker.user, note="Booked"
    )
    assert action.entries.filter(kind=Entry.PROGRESS, note="Booked").exists()
    with pytest.raises(ValidationError):
        services.learning_action_record_progress(
            action=action, recorded_by=people.social_worker.user, note=" "
        )
