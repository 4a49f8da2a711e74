"""Case notes and documents in the chronology and on the case file, at a cost that does not grow with
the child's history."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.casenotes.casefile import CASE_NOTES_SECTION
from safeguard.casenotes.chronology import notes_and_documents
from safeguard.casenotes.services import document_upload
from safeguard.casenotes.tests.helpers import PDF, corrected_note, draft_note, final_note, upload
from safeguard.casework.casefile import SECTIONS
from safeguard.casework.chronology import SOURCES, chronology_for

pytestmark = pytest.mark.django_db


def _document(people, title="Court order"):
    return document_upload(
        child=people.alices_child,
        uploaded_by=people.social_worker.user,
        upload=upload("order.pdf", PDF),
        title=title,
        kind="court_document",
    )


def test_the_app_registers_its_section_and_source():
    assert notes_and_documents in SOURCES
    assert CASE_NOTES_SECTION in SECTIONS


def test_finalised_notes_are_in_the_chronology_on_the_date_of_the_event(people):
    week_ago = timezone.localdate() - datetime.timedelta(days=7)
    note = final_note(people, occurred_on=week_ago, subject="meeting")
    draft_note(people, text="Not the record yet")
    entries = [entry for entry in chronology_for(people.alices_child, kinds=["note"])]
    assert len(entries) == 1
    entry = entries[0]
    assert entry.on == week_ago and entry.kind == "note"
    assert entry.title == "Case note: Meeting"
    assert "Saw Kid at home" in entry.detail and entry.by == "Alice Worker"
    assert entry.url == reverse("casenotes:note", args=[people.alices_child.pk, note.thread_id])


def test_a_corrected_note_shows_once_as_it_now_reads_marked_corrected(people):
    note = final_note(people)
    corrected_note(people, note, by=people.team_manager, text="The kitchen was tidy.")
    entries = chronology_for(people.alices_child, kinds=["note"])
    assert len(entries) == 1
    assert entries[0].title == "Case note: Visit (corrected)"
    assert entries[0].detail.startswith("The kitchen was tidy.")
    assert "Corrected by Tess Worker: Wrong word recorded" in entries[0].detail
    assert entries[0].by == "Alice Worker"  # who wrote the note


def test_documents_are_in_the_chronology_on_the_day_they_were_added(people):
    _document(people)
    (entry,) = chronology_for(people.alices_child, kinds=["note"])
    assert entry.on == timezone.localdate()
    assert entry.title == "Document added: Court order" and entry.detail == "Court document"


def test_the_chronology_source_costs_two_queries_however_long_the_history(people):
    final_note(people)
    _document(people)
    with CaptureQueriesContext(connection) as few:
        notes_and_documents(people.alices_child)
    for _ in range(5):
        corrected_note(people, corrected_note(people, text="Another version"), text="And another")
        final_note(people)
        _document(people)
    with CaptureQueriesContext(connection) as many:
        entries = notes_and_documents(people.alices_child)
    assert len(few) == len(many) == 2
    notes = [entry for entry in entries if entry.title.startswith("Case note")]
    assert len(notes) == 11  # one, and two a round (one of them corrected twice): each note shows once
    assert sum(entry.title.endswith("(corrected)") for entry in notes) == 5
    assert len(entries) - len(notes) == 6


def test_the_case_file_section_shows_latest_notes_own_drafts_and_documents(people):
    final_note(people, text="First")
    corrected_note(people, final_note(people, text="Second"), text="Second, corrected")
    mine = draft_note(people, text="My draft")
    draft_note(people, author=people.colleague, text="Carl's draft")
    _document(people)
    context = CASE_NOTES_SECTION.context(people.alices_child, timezone.localdate(), people.social_worker.user)
    assert [note.text for note in context["latest"]] == ["Second, corrected", "First"]
    assert context["drafts"] == [mine]
    assert context["documents"] == 1 and context["may_write"] is True
    other = CASE_NOTES_SECTION.context(people.alices_child, timezone.localdate(), people.inspector.user)
    assert other["drafts"] == [] and other["may_write"] is False


def test_the_case_file_section_costs_the_same_however_long_the_history(people):
    user = people.social_worker.user
    final_note(people)
    with CaptureQueriesContext(connection) as few:
        CASE_NOTES_SECTION.context(people.alices_child, timezone.localdate(), user)
    for _ in range(8):
        corrected_note(people)
        draft_note(people)
        _document(people)
    with CaptureQueriesContext(connection) as many:
        context = CASE_NOTES_SECTION.context(people.alices_child, timezone.localdate(), user)
    assert len(few) == len(many)
    assert len(context["latest"]) == 5 and len(context["drafts"]) == 8 and context["documents"] == 8


def test_the_section_renders_on_the_case_file(people, client_for):
    note = final_note(people)
    mine = draft_note(people, text="Half written")
    page = client_for(people.social_worker).get(reverse("casework:case_file", args=[people.alices_child.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Case notes and documents" in html
    assert reverse("casenotes:note", args=[people.alices_child.pk, note.thread_id]) in html
    assert reverse("casenotes:edit_note", args=[people.alices_child.pk, mine.thread_id]) in html
    assert "Documents (0)" in html
