"""Case notes and documents in a child's chronology (``casework.chronology``, kind "note").

A finalised note appears on the date of the event it records, once, as it now reads: a corrected note shows
its latest version, marked corrected (its earlier versions are on the note's page). Drafts are not the
record and do not appear. A document appears on the day it was uploaded. Two queries, whatever the length
of the child's history.
"""

from django.urls import reverse
from django.utils import timezone

from safeguard.casenotes.models import CaseNote, CaseNoteStatus, Document
from safeguard.casework.chronology import Entry, by_name
from safeguard.people.models import Child

DETAIL_LENGTH = 300


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DETAIL_LENGTH else text[: DETAIL_LENGTH - 1].rstrip() + "…"


def notes_and_documents(child: Child) -> list[Entry]:
    entries = []
    notes = (
        CaseNote.objects.filter(child=child, status=CaseNoteStatus.FINAL)
        .select_related("author", "thread__created_by")
        .order_by("occurred_on", "pk")
    )
    for note in notes:
        corrected = note.version_number > 1
        title = f"Case note: {note.get_subject_display()}" + (" (corrected)" if corrected else "")
        detail = _shortened(note.text)
        if corrected:
            detail += f" Corrected by {by_name(note.author)}: {_shortened(note.correction_reason)}"
        entries.append(
            Entry(
                on=note.occurred_on,
                kind="note",
                title=title,
                detail=detail,
                by=by_name(note.thread.created_by or note.author),
                url=reverse("casenotes:note", args=[child.pk, note.thread_id]),
            )
        )
    documents = Document.objects.filter(child=child).select_related("created_by").order_by("created_at", "pk")
    for document in documents:
        entries.append(
            Entry(
                on=timezone.localdate(document.created_at),
                kind="note",
                title=f"Document added: {document.title}",
                detail=document.get_kind_display(),
                by=by_name(document.created_by),
                url=reverse("casenotes:documents", args=[child.pk]),
            )
        )
    return entries
