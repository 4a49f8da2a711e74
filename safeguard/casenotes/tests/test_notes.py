"""Case notes as their services keep them: drafted, changed, finalised, never edited after, corrected."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguard.audit.models import AuditEvent
from safeguard.casenotes.models import CaseNote, CaseNoteStatus, CaseNoteThread, RecordKeptError
from safeguard.casenotes.services import (
    case_note_correct,
    case_note_finalise,
    case_note_update_draft,
)
from safeguard.casenotes.tests.helpers import corrected_note, draft_note, final_note
from safeguard.casework.services import VersionConflict

pytestmark = pytest.mark.django_db


def test_a_note_starts_as_its_authors_draft_and_is_audited(people):
    note = draft_note(people)
    assert note.status == CaseNoteStatus.DRAFT
    assert note.version_number == 1 and note.version == 1
    assert note.author == people.social_worker.user
    assert note.thread.child == people.alices_child
    event = AuditEvent.objects.get(action="case_note.drafted")
    assert event.entity_id == str(note.pk)
    assert event.child == people.alices_child
    assert event.changes["subject"] == [None, "visit"]


def test_a_draft_may_be_saved_without_its_text_but_not_without_subject_or_date(people):
    assert draft_note(people, text="").text == ""
    with pytest.raises(ValidationError) as error:
        draft_note(people, subject="gossip", occurred_on=None)
    assert set(error.value.message_dict) == {"subject", "occurred_on"}


def test_the_event_cannot_be_in_the_future(people):
    with pytest.raises(ValidationError) as error:
        draft_note(people, occurred_on=timezone.localdate() + datetime.timedelta(days=1))
    assert "today or in the past" in error.value.message_dict["occurred_on"][0]


def test_a_worker_without_access_cannot_write_a_note(people):
    with pytest.raises(PermissionDenied):
        draft_note(people, author=people.other_worker)
    with pytest.raises(PermissionDenied):
        draft_note(people, author=people.inspector)  # reads every record, changes none
    assert not CaseNote.objects.exists()


def test_the_author_changes_a_draft_at_the_version_they_read(people):
    note = draft_note(people)
    case_note_update_draft(
        note=note,
        updated_by=people.social_worker.user,
        version=1,
        subject="phone_call",
        occurred_on=note.occurred_on,
        text="  Rang mum.  ",
    )
    note.refresh_from_db()
    assert (note.subject, note.text, note.version) == ("phone_call", "Rang mum.", 2)
    event = AuditEvent.objects.get(action="case_note.draft_updated")
    assert event.changes["subject"] == ["visit", "phone_call"]


def test_a_second_save_of_a_draft_is_told_who_changed_what(people):
    note = draft_note(people)
    first_tab = CaseNote.objects.get(pk=note.pk)
    second_tab = CaseNote.objects.get(pk=note.pk)
    case_note_update_draft(
        note=first_tab,
        updated_by=people.social_worker.user,
        version=1,
        subject="visit",
        occurred_on=note.occurred_on,
        text="Saw Kid with her brother.",
    )
    with pytest.raises(VersionConflict) as conflict:
        case_note_update_draft(
            note=second_tab,
            updated_by=people.social_worker.user,
            version=1,
            subject="visit",
            occurred_on=note.occurred_on,
            text="Something else",
        )
    message = conflict.value.messages[0]
    assert "Alice" in message and "after you opened it" in message
    # What differs between what is saved now and what this save would write: the note, not its subject.
    assert "They changed: note." in message
    note.refresh_from_db()
    assert note.text == "Saw Kid with her brother." and note.subject == "visit"


def test_only_the_author_changes_or_finalises_a_draft(people):
    note = draft_note(people)
    arguments = {"version": 1, "subject": "visit", "occurred_on": note.occurred_on, "text": "Mine now"}
    with pytest.raises(PermissionDenied):
        case_note_update_draft(note=note, updated_by=people.colleague.user, **arguments)
    with pytest.raises(PermissionDenied):
        case_note_finalise(note=note, finalised_by=people.team_manager.user, version=1)


def test_a_worker_without_access_is_refused_before_learning_anything_of_the_note(people):
    note = final_note(people)
    arguments = {"version": 2, "subject": "visit", "occurred_on": note.occurred_on, "text": "x"}
    with pytest.raises(PermissionDenied):
        case_note_update_draft(note=note, updated_by=people.other_worker.user, **arguments)
    with pytest.raises(PermissionDenied):
        case_note_finalise(note=note, finalised_by=people.other_worker.user, version=2)
    with pytest.raises(PermissionDenied):
        corrected_note(people, note, by=people.other_worker)


def test_finalising_makes_the_draft_the_record(people):
    note = draft_note(people)
    case_note_finalise(note=note, finalised_by=people.social_worker.user, version=1)
    note.refresh_from_db()
    assert note.status == CaseNoteStatus.FINAL
    assert note.finalised_by == people.social_worker.user and note.finalised_at is not None
    assert AuditEvent.objects.filter(action="case_note.finalised", entity_id=str(note.pk)).exists()


def test_an_empty_draft_cannot_be_finalised(people):
    note = draft_note(people, text="")
    with pytest.raises(ValidationError) as error:
        case_note_finalise(note=note, finalised_by=people.social_worker.user, version=1)
    assert "text" in error.value.message_dict


def test_finalising_what_was_not_read_is_refused(people):
    note = draft_note(people)
    case_note_update_draft(
        note=CaseNote.objects.get(pk=note.pk),
        updated_by=people.social_worker.user,
        version=1,
        subject="visit",
        occurred_on=note.occurred_on,
        text="Changed in another tab",
    )
    with pytest.raises(VersionConflict):
        case_note_finalise(note=note, finalised_by=people.social_worker.user, version=1)
    assert CaseNote.objects.get(pk=note.pk).is_draft


def test_a_finalised_note_is_never_edited_by_the_service(people):
    note = final_note(people)
    with pytest.raises(ValidationError, match="only corrected"):
        case_note_update_draft(
            note=note,
            updated_by=people.social_worker.user,
            version=note.version,
            subject="visit",
            occurred_on=note.occurred_on,
            text="Rewritten",
        )
    with pytest.raises(ValidationError, match="already been finalised"):
        case_note_finalise(note=note, finalised_by=people.social_worker.user, version=note.version)
    assert CaseNote.objects.get(pk=note.pk).text == "Saw Kid at home; the kitchen was clean."


def test_a_finalised_note_is_never_edited_through_the_orm(people):
    note = final_note(people)
    # An UPDATE of a note's content touches drafts only, however it was filtered.
    assert CaseNote.objects.filter(pk=note.pk).update(text="Rewritten") == 0
    note.text = "Rewritten"
    with pytest.raises(RecordKeptError):
        note.save()
    with pytest.raises(RecordKeptError):
        note.delete()
    with pytest.raises(RecordKeptError):
        CaseNote.objects.filter(pk=note.pk).delete()
    assert CaseNote.objects.get(pk=note.pk).text == "Saw Kid at home; the kitchen was clean."


def test_a_correction_is_a_new_version_with_a_reason_and_both_stay(people):
    original = final_note(people)
    correction = corrected_note(
        people, original, occurred_on=original.occurred_on - datetime.timedelta(days=1)
    )
    original.refresh_from_db()
    assert original.status == CaseNoteStatus.SUPERSEDED
    assert original.text == "Saw Kid at home; the kitchen was clean."  # untouched
    assert correction.status == CaseNoteStatus.FINAL
    assert correction.thread_id == original.thread_id
    assert correction.version_number == 2
    assert correction.corrects == original
    assert correction.correction_reason == "Wrong word recorded"
    assert correction.text == "Saw Kid at home; the kitchen was tidy."
    assert list(CaseNote.objects.filter(thread=original.thread).order_by("version_number")) == [
        original,
        correction,
    ]
    event = AuditEvent.objects.get(action="case_note.corrected")
    assert event.reason == "Wrong word recorded"
    assert event.changes["corrects"] == [None, original.pk]
    assert set(event.changes) == {"text", "occurred_on", "corrects"}


def test_a_correction_can_itself_be_corrected(people):
    second = corrected_note(people)
    third = corrected_note(people, second, text="Saw Kid at home; the kitchen was spotless.")
    assert third.version_number == 3 and third.corrects == second
    assert CaseNote.objects.filter(thread=second.thread).current().get() == third


def test_a_correction_needs_a_reason_and_a_change(people):
    note = final_note(people)
    with pytest.raises(ValidationError) as error:
        corrected_note(people, note, reason="  ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        corrected_note(people, note, text=note.text)
    assert "same as the note" in error.value.message_dict["text"][0]
    assert CaseNote.objects.get(pk=note.pk).is_final


def test_a_draft_is_not_corrected(people):
    with pytest.raises(ValidationError):
        corrected_note(people, draft_note(people))


def test_who_may_correct_a_note(people):
    note = final_note(people)
    with pytest.raises(PermissionDenied):  # a colleague in the team sees the record but did not write it
        corrected_note(people, note, by=people.colleague)
    with pytest.raises(PermissionDenied):
        corrected_note(people, note, by=people.other_worker)
    by_manager = corrected_note(people, note, by=people.team_manager)
    assert by_manager.author == people.team_manager.user
    # The original author may still correct their note after a manager has.
    assert corrected_note(people, by_manager, text="Third version").version_number == 3


def test_two_corrections_of_one_version_cannot_both_succeed(people):
    note = final_note(people)
    stale = CaseNote.objects.get(pk=note.pk)
    corrected_note(people, note, by=people.team_manager)
    with pytest.raises(VersionConflict) as conflict:
        corrected_note(people, stale, text="My own correction")
    assert "Tess Worker corrected this note" in conflict.value.messages[0]
    assert CaseNote.objects.filter(thread=note.thread).count() == 2


def test_the_database_keeps_one_current_version_per_note(people):
    note = final_note(people)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseNote.objects.create(
            thread=note.thread,
            child=note.child,
            version_number=2,
            status=CaseNoteStatus.FINAL,
            subject="visit",
            occurred_on=note.occurred_on,
            text="A second current version",
            author=note.author,
            finalised_at=timezone.now(),
            finalised_by=note.author,
            corrects=note,
            correction_reason="Sneaking in",
        )


def test_the_database_refuses_a_correction_without_a_reason(people):
    note = final_note(people)
    CaseNote.objects.filter(pk=note.pk).update(status=CaseNoteStatus.SUPERSEDED)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseNote.objects.create(
            thread=note.thread,
            child=note.child,
            version_number=2,
            status=CaseNoteStatus.FINAL,
            subject="visit",
            occurred_on=note.occurred_on,
            text="Corrected",
            author=note.author,
            finalised_at=timezone.now(),
            finalised_by=note.author,
            corrects=note,
            correction_reason="",
        )


def test_the_database_refuses_a_final_note_without_who_finalised_it(people):
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseNote.objects.create(
            thread=CaseNoteThread.objects.create(child=people.alices_child),
            child=people.alices_child,
            status=CaseNoteStatus.FINAL,
            subject="visit",
            occurred_on=timezone.localdate(),
            text="Never drafted",
            author=people.social_worker.user,
        )


def test_a_superseded_version_cannot_be_corrected_again_directly(people):
    note = final_note(people)
    corrected_note(people, note)
    note.refresh_from_db()
    with pytest.raises(VersionConflict):
        case_note_correct(
            note=note,
            corrected_by=people.social_worker.user,
            subject="visit",
            occurred_on=note.occurred_on,
            text="Another go",
            reason="Because",
        )
