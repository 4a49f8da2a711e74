"""On PostgreSQL the database itself refuses to change a finalised note or a document's file, whoever asks
(migration 0002). CI runs PostgreSQL; on SQLite these tests are skipped, and the ORM guards tested in
test_notes.py and test_documents.py stand alone."""

import pytest
from django.db import DatabaseError, connection, transaction

from safeguard.casenotes.models import CaseNote, CaseNoteStatus, Document
from safeguard.casenotes.services import document_upload
from safeguard.casenotes.tests.helpers import PDF, corrected_note, draft_note, final_note, upload

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers exist on PostgreSQL only"),
]


def refused(sql: str, params: list) -> bool:
    """Run raw SQL as any client could; True if the database refused it."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        assert "cannot be" in str(error)
        return True
    return False


@pytest.mark.parametrize(
    ("column", "value"),
    [("text", "Rewritten"), ("occurred_on", "2020-01-01"), ("subject", "other"), ("correction_reason", "x")],
)
def test_the_database_refuses_to_change_what_a_finalised_note_says(people, column, value):
    note = final_note(people)
    assert refused(f"UPDATE casenotes_casenote SET {column} = %s WHERE id = %s", [value, note.pk])  # noqa: S608
    note.refresh_from_db()
    assert note.text == "Saw Kid at home; the kitchen was clean." and note.subject == "visit"


def test_the_database_refuses_to_change_a_superseded_version(people):
    correction = corrected_note(people)
    old = correction.corrects
    assert refused("UPDATE casenotes_casenote SET text = %s WHERE id = %s", ["Rewritten", old.pk])
    assert refused("UPDATE casenotes_casenote SET status = 'final' WHERE id = %s", [old.pk])


def test_the_database_refuses_to_unfinalise_or_delete_a_note(people):
    note = final_note(people)
    assert refused("UPDATE casenotes_casenote SET status = 'draft' WHERE id = %s", [note.pk])
    assert refused("DELETE FROM casenotes_casenote WHERE id = %s", [note.pk])
    assert CaseNote.objects.get(pk=note.pk).is_final


def test_the_database_lets_a_draft_change_and_a_final_note_be_superseded(people):
    draft = draft_note(people)
    assert not refused("UPDATE casenotes_casenote SET text = %s WHERE id = %s", ["Better", draft.pk])
    note = final_note(people)
    assert not refused("UPDATE casenotes_casenote SET status = 'superseded' WHERE id = %s", [note.pk])
    assert CaseNote.objects.get(pk=note.pk).status == CaseNoteStatus.SUPERSEDED


def test_the_services_work_under_the_triggers(people):
    correction = corrected_note(people, corrected_note(people), text="Third")
    assert correction.version_number == 3


def test_the_database_refuses_to_change_or_delete_a_documents_file(people):
    document = document_upload(
        child=people.alices_child,
        uploaded_by=people.social_worker.user,
        upload=upload("a.pdf", PDF),
        title="Report",
        kind="letter",
    )
    assert refused("UPDATE casenotes_document SET sha256 = %s WHERE id = %s", ["0" * 64, document.pk])
    assert refused("UPDATE casenotes_document SET stored_name = %s WHERE id = %s", ["x/y", document.pk])
    assert refused("DELETE FROM casenotes_document WHERE id = %s", [document.pk])
    assert not refused("UPDATE casenotes_document SET title = %s WHERE id = %s", ["Renamed", document.pk])
    assert Document.objects.get(pk=document.pk).sha256 == document.sha256
