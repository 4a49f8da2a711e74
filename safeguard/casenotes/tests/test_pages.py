"""The case notes and documents pages, as workers use them, and as they refuse those without access."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AccessAction, AccessEvent, AccessOutcome
from safeguard.casenotes.models import CaseNote, CaseNoteStatus, Document
from safeguard.casenotes.services import case_note_finalise, case_note_update_draft, document_upload
from safeguard.casenotes.tests.helpers import EXE, PDF, TEXT, corrected_note, draft_note, final_note, upload

pytestmark = pytest.mark.django_db

DOWNLOAD = getattr(AccessAction, "DOWNLOAD", AccessAction.VIEW)


def html(response) -> str:
    return response.content.decode()


def note_form(**overrides) -> dict:
    day = timezone.localdate() - datetime.timedelta(days=2)
    data = {
        "subject": "phone_call",
        "occurred_on_day": str(day.day),
        "occurred_on_month": str(day.month),
        "occurred_on_year": str(day.year),
        "text": "Rang the school: attendance is 92%.",
    }
    data.update(overrides)
    return data


def url(name, *args):
    return reverse(f"casenotes:{name}", args=args)


# -- writing and finalising ---------------------------------------------------------------------------------


def test_a_worker_writes_a_draft_and_sees_it(people, client_for):
    child = people.alices_child
    client = client_for(people.social_worker)
    page = client.get(url("new_note", child.pk))
    assert page.status_code == 200
    assert "Write a case note" in html(page)
    response = client.post(url("new_note", child.pk), note_form())
    note = CaseNote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("note", child.pk, note.thread_id)
    assert note.is_draft and note.subject == "phone_call"
    shown = html(client.get(response["Location"]))
    assert "attendance is 92%" in shown and "Draft" in shown and "Finalise" in shown
    logged = AccessEvent.objects.filter(child=child, subject="new case note", outcome=AccessOutcome.ALLOWED)
    assert logged.count() == 2  # the form, and the post


def test_bad_input_is_shown_the_govuk_way_and_kept(people, client_for):
    client = client_for(people.social_worker)
    response = client.post(
        url("new_note", people.alices_child.pk), note_form(subject="", occurred_on_year="", text="Kept words")
    )
    assert response.status_code == 400
    page = html(response)
    assert "There is a problem" in page
    assert "Choose what the note is about" in page
    assert "The date of the event must include a year" in page
    assert "Kept words" in page
    assert not CaseNote.objects.exists()


def test_another_worker_cannot_see_write_or_read_notes(people, client_for):
    note = final_note(people)
    child = people.alices_child
    client = client_for(people.other_worker)
    for address in (
        url("notes", child.pk),
        url("note", child.pk, note.thread_id),
        url("new_note", child.pk),
        url("documents", child.pk),
        url("upload_document", child.pk),
    ):
        response = client.get(address)
        assert response.status_code == 403, address
        assert "Saw Kid" not in html(response)
    assert client.post(url("new_note", child.pk), note_form()).status_code == 403
    assert CaseNote.objects.count() == 1
    refused = AccessEvent.objects.filter(child=child, user=people.other_worker.user)
    assert refused.count() == 6 and set(refused.values_list("outcome", flat=True)) == {AccessOutcome.REFUSED}


def test_an_inspector_reads_notes_but_writes_none(people, client_for):
    note = final_note(people)
    client = client_for(people.inspector)
    page = client.get(url("notes", people.alices_child.pk))
    assert page.status_code == 200 and "Saw Kid at home" in html(page)
    assert "Write a case note" not in html(page)
    assert client.get(url("note", people.alices_child.pk, note.thread_id)).status_code == 200
    assert client.get(url("new_note", people.alices_child.pk)).status_code == 403


def test_a_draft_is_its_authors_alone(people, client_for):
    note = draft_note(people)
    colleague = client_for(people.colleague)  # in the same team: sees the record, not the draft
    assert colleague.get(url("note", people.alices_child.pk, note.thread_id)).status_code == 404
    assert colleague.get(url("edit_note", people.alices_child.pk, note.thread_id)).status_code == 404
    assert "Saw Kid" not in html(colleague.get(url("notes", people.alices_child.pk)))


def test_the_author_edits_a_draft(people, client_for):
    note = draft_note(people)
    client = client_for(people.social_worker)
    address = url("edit_note", people.alices_child.pk, note.thread_id)
    page = client.get(address)
    assert page.status_code == 200 and "Saw Kid at home" in html(page)
    response = client.post(address, note_form(text="Better words", version="1"))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "Better words" and note.version == 2


def test_a_second_save_of_a_draft_is_told_and_keeps_what_was_typed(people, client_for):
    note = draft_note(people)
    case_note_update_draft(
        note=CaseNote.objects.get(pk=note.pk),
        updated_by=people.social_worker.user,
        version=1,
        subject="visit",
        occurred_on=note.occurred_on,
        text="Saved from the laptop",
    )
    client = client_for(people.social_worker)
    address = url("edit_note", people.alices_child.pk, note.thread_id)
    response = client.post(address, note_form(text="Typed on the phone", version="1"))
    assert response.status_code == 409
    page = html(response)
    assert "There is a problem" in page
    assert "saved this record" in page and "after you opened it" in page
    assert "Saved from the laptop" in page  # what is saved now, to read
    assert "Typed on the phone" in page  # what they typed, kept
    assert 'name="version" value="2"' in page
    assert CaseNote.objects.get(pk=note.pk).text == "Saved from the laptop"
    # Having read it, saving again is their decision.
    assert client.post(address, note_form(text="Typed on the phone", version="2")).status_code == 302
    assert CaseNote.objects.get(pk=note.pk).text == "Typed on the phone"


def test_a_draft_finalised_elsewhere_while_editing_keeps_what_was_typed(people, client_for):
    note = draft_note(people)
    client = client_for(people.social_worker)
    address = url("edit_note", people.alices_child.pk, note.thread_id)
    client.get(address)
    case_note_finalise(note=CaseNote.objects.get(pk=note.pk), finalised_by=note.author, version=1)
    response = client.post(address, note_form(text="Typed before I knew", version="1"))
    assert response.status_code == 409
    page = html(response)
    assert "finalised this note" in page and "Typed before I knew" in page
    assert "Saw Kid at home" in page  # the note as finalised
    assert "Save draft" not in page and "correct the note" in page
    assert CaseNote.objects.get(pk=note.pk).text == "Saw Kid at home; the kitchen was clean."


def test_finalising_from_its_page(people, client_for):
    note = draft_note(people)
    client = client_for(people.social_worker)
    address = url("finalise_note", people.alices_child.pk, note.thread_id)
    page = client.get(address)
    assert page.status_code == 200 and "cannot be edited" in html(page)
    response = client.post(address, {"version": "1"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.status == CaseNoteStatus.FINAL
    # Finalised: no more editing, from any page.
    edit = client.get(url("edit_note", people.alices_child.pk, note.thread_id))
    assert edit.status_code == 302
    assert client.post(address, {"version": "2"}).status_code == 302
    shown = html(client.get(url("note", people.alices_child.pk, note.thread_id), follow=True))
    assert "Correct this note" in shown and "Edit draft" not in shown


def test_finalising_an_empty_draft_is_refused_on_the_page(people, client_for):
    note = draft_note(people, text="")
    client = client_for(people.social_worker)
    response = client.post(url("finalise_note", people.alices_child.pk, note.thread_id), {"version": "1"})
    assert response.status_code == 400
    assert "Write the note before finalising it" in html(response)
    assert CaseNote.objects.get(pk=note.pk).is_draft


def test_finalising_after_a_change_elsewhere_shows_the_change_first(people, client_for):
    note = draft_note(people)
    case_note_update_draft(
        note=CaseNote.objects.get(pk=note.pk),
        updated_by=people.social_worker.user,
        version=1,
        subject="visit",
        occurred_on=note.occurred_on,
        text="Changed elsewhere",
    )
    client = client_for(people.social_worker)
    response = client.post(url("finalise_note", people.alices_child.pk, note.thread_id), {"version": "1"})
    assert response.status_code == 409
    assert "Changed elsewhere" in html(response) and 'name="version" value="2"' in html(response)
    assert CaseNote.objects.get(pk=note.pk).is_draft


# -- correcting ---------------------------------------------------------------------------------------------


def test_correcting_a_note_keeps_both_versions_visible(people, client_for):
    note = final_note(people)
    client = client_for(people.social_worker)
    address = url("correct_note", people.alices_child.pk, note.thread_id)
    page = client.get(address)
    assert page.status_code == 200 and f'name="corrects" value="{note.pk}"' in html(page)
    response = client.post(
        address,
        note_form(
            subject="visit", text="Saw Kid at school.", reason="It was at school", corrects=str(note.pk)
        ),
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.status == CaseNoteStatus.SUPERSEDED
    correction = CaseNote.objects.get(corrects=note)
    assert correction.correction_reason == "It was at school"
    shown = html(client.get(url("note", people.alices_child.pk, note.thread_id)))
    assert "Saw Kid at school." in shown and "Saw Kid at home; the kitchen was clean." in shown
    assert "It was at school" in shown and "Version 1" in shown and "Corrected" in shown
    listed = html(client.get(url("notes", people.alices_child.pk)))
    assert listed.count(f'id="note-{note.thread_id}"') == 1  # once, as it now reads
    assert "Saw Kid at school." in listed
    assert "What the note said before (1 earlier version)" in listed
    assert "Saw Kid at home; the kitchen was clean." in listed


def test_a_correction_needs_a_reason_on_the_page(people, client_for):
    note = final_note(people)
    client = client_for(people.social_worker)
    response = client.post(
        url("correct_note", people.alices_child.pk, note.thread_id),
        note_form(text="Different", reason="", corrects=str(note.pk)),
    )
    assert response.status_code == 400
    assert "Say why the note is being corrected" in html(response) and "Different" in html(response)
    assert CaseNote.objects.get(pk=note.pk).is_final


def test_a_correction_made_meanwhile_is_shown_before_correcting_again(people, client_for):
    note = final_note(people)
    corrected_note(people, CaseNote.objects.get(pk=note.pk), by=people.team_manager, text="Manager's fix")
    client = client_for(people.social_worker)
    response = client.post(
        url("correct_note", people.alices_child.pk, note.thread_id),
        note_form(text="My fix", reason="Typo", corrects=str(note.pk)),
    )
    assert response.status_code == 409
    page = html(response)
    assert "Tess Worker corrected this note" in page
    assert "Manager&#39;s fix" in page and "My fix" in page
    assert CaseNote.objects.filter(thread=note.thread).count() == 2


def test_a_colleague_cannot_correct_someone_elses_note(people, client_for):
    note = final_note(people)
    client = client_for(people.colleague)
    assert client.get(url("note", people.alices_child.pk, note.thread_id)).status_code == 200
    assert "Correct this note" not in html(client.get(url("note", people.alices_child.pk, note.thread_id)))
    response = client.post(
        url("correct_note", people.alices_child.pk, note.thread_id),
        note_form(text="Mine", reason="Because", corrects=str(note.pk)),
    )
    assert response.status_code == 403
    assert CaseNote.objects.count() == 1
    # The refusal is in the access log, with the reason given.
    from safeguard.audit.models import AccessEvent

    refusal = AccessEvent.objects.filter(user=people.colleague.user, outcome="refused").get()
    assert refusal.child_id == people.alices_child.pk and refusal.basis.startswith("Only the note")


def test_a_note_of_another_child_is_not_found_through_this_child(people, client_for):
    note = final_note(people)
    client = client_for(people.director)
    assert client.get(url("note", people.carls_child.pk, note.thread_id)).status_code == 404


# -- documents ----------------------------------------------------------------------------------------------


def test_uploading_a_document(people, client_for):
    note = final_note(people)
    client = client_for(people.social_worker)
    address = url("upload_document", people.alices_child.pk)
    page = html(client.get(f"{address}?note={note.thread_id}"))
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
    assert f'value="{note.thread_id}" selected' in page
    response = client.post(
        address,
        {
            "file": upload("report.pdf", PDF),
            "title": "Paediatric report",
            "kind": "assessment_report",
            "note": str(note.thread_id),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.note == note.thread and document.sha256 == hashlib.sha256(PDF).hexdigest()
    listed = html(client.get(url("documents", people.alices_child.pk)))
    assert "Paediatric report" in listed and "report.pdf" in listed
    assert "Paediatric report" in html(client.get(url("note", people.alices_child.pk, note.thread_id)))


def test_a_refused_upload_says_why_and_keeps_the_rest(people, client_for):
    client = client_for(people.social_worker)
    response = client.post(
        url("upload_document", people.alices_child.pk),
        {"file": upload("invoice.pdf", EXE), "title": "Kept title", "kind": "letter"},
    )
    assert response.status_code == 400
    page = html(response)
    assert "There is a problem" in page and "not a real PDF" in page and "Kept title" in page
    assert not Document.objects.exists()
    missing = client.post(url("upload_document", people.alices_child.pk), {"title": "T", "kind": "letter"})
    assert "Select a file" in html(missing)


def _uploaded(people, content=TEXT, name="notes.txt"):
    return document_upload(
        child=people.alices_child,
        uploaded_by=people.social_worker.user,
        upload=upload(name, content),
        title="School nurse's notes",
        kind="letter",
    )


def test_a_download_is_an_attachment_checked_and_logged(people, client_for):
    document = _uploaded(people)
    client = client_for(people.colleague)  # same team: may see the record
    response = client.get(url("download", people.alices_child.pk, document.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TEXT
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="notes.txt"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"
    event = AccessEvent.objects.get(child=people.alices_child, subject="document")
    assert event.user == people.colleague.user
    assert event.action == DOWNLOAD and event.outcome == AccessOutcome.ALLOWED


def test_a_download_without_access_is_refused_and_logged(people, client_for):
    document = _uploaded(people)
    client = client_for(people.other_worker)
    response = client.get(url("download", people.alices_child.pk, document.pk))
    assert response.status_code == 403
    assert TEXT not in response.content
    event = AccessEvent.objects.get(child=people.alices_child, subject="document")
    assert event.outcome == AccessOutcome.REFUSED and event.user == people.other_worker.user


def test_a_document_is_downloaded_only_through_its_own_child(people, client_for):
    document = _uploaded(people)
    client = client_for(people.director)
    assert client.get(url("download", people.carls_child.pk, document.pk)).status_code == 404


def test_a_damaged_file_is_not_sent(people, client_for, document_store):
    document = _uploaded(people)
    path = document_store / document.stored_name
    path.chmod(0o600)
    path.write_bytes(TEXT.upper())
    response = client_for(people.social_worker).get(url("download", people.alices_child.pk, document.pk))
    assert response.status_code == 500
    assert "cannot be opened" in html(response) and TEXT.upper().decode() not in html(response)
