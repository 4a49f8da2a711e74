"""Every change to case notes and documents.

Each service checks who is acting, validates, runs in one transaction and writes its own ``AuditEvent``.
A draft is changed only at the version its author read (``casework.services._guarded_update``), so a save
from a second tab or device is told what changed rather than overwriting it. A finalised note is never
changed: ``case_note_correct`` adds a new final version that says why, and marks the one it corrects as
superseded, which is the only change a finalised row ever sees.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguard.audit.services import audit_event_record, changes_between
from safeguard.casenotes.files import check_upload, store
from safeguard.casenotes.models import (
    CaseNote,
    CaseNoteStatus,
    CaseNoteSubject,
    CaseNoteThread,
    Document,
    DocumentKind,
)
from safeguard.casenotes.policies import may_correct, may_write
from safeguard.casework.services import VersionConflict, _guarded_update
from safeguard.people.models import Child

NOTE_FIELDS = ["subject", "occurred_on", "text"]
TEXT_LIMIT = 50_000
CANNOT_WRITE = "You cannot write on this child's record"


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _check_note(errors: dict, *, subject: str, occurred_on: datetime.date | None, text: str) -> None:
    if subject not in CaseNoteSubject.values:
        errors["subject"] = "Choose what the note is about"
    if occurred_on is None:
        errors["occurred_on"] = "Enter the date of the event the note records"
    elif occurred_on > timezone.localdate():
        errors["occurred_on"] = "The date of the event must be today or in the past"
    if len(text) > TEXT_LIMIT:
        errors["text"] = f"The note must be {TEXT_LIMIT:,} characters or fewer"


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# -- case notes ----------------------------------------------------------------------------------------------


def case_note_draft(
    *, child: Child, written_by, subject: str, occurred_on: datetime.date | None, text: str = ""
) -> CaseNote:
    """Start a case note as a draft. A draft may be saved without its text, and changed until finalised."""
    _require(may_write(written_by, child), CANNOT_WRITE)
    text = text.strip()
    errors: dict = {}
    _check_note(errors, subject=subject, occurred_on=occurred_on, text=text)
    _raise(errors)
    with transaction.atomic():
        thread = CaseNoteThread.objects.create(child=child, created_by=written_by)
        note = CaseNote.objects.create(
            thread=thread,
            child=child,
            subject=subject,
            occurred_on=occurred_on,
            text=text,
            author=written_by,
            created_by=written_by,
            modified_by=written_by,
        )
        audit_event_record(
            actor=written_by,
            action="case_note.drafted",
            entity=note,
            child=child,
            changes=changes_between(None, note, NOTE_FIELDS),
        )
    return note


def case_note_update_draft(
    *,
    note: CaseNote,
    updated_by,
    version: int,
    subject: str,
    occurred_on: datetime.date | None,
    text: str,
) -> CaseNote:
    """Change a draft, if it is still at the ``version`` its author read; otherwise ``VersionConflict`` says
    who saved it since and what they changed."""
    _require(may_write(updated_by, note.child), CANNOT_WRITE)
    if not note.is_draft:
        raise ValidationError("This note has been finalised: it cannot be changed, only corrected")
    _require(note.author_id == updated_by.pk, "Only the author of a draft can change it")
    text = text.strip()
    errors: dict = {}
    _check_note(errors, subject=subject, occurred_on=occurred_on, text=text)
    _raise(errors)
    before = CaseNote(**{f.attname: getattr(note, f.attname) for f in CaseNote._meta.concrete_fields})
    with transaction.atomic():
        _guarded_update(
            note, version=version, actor=updated_by, subject=subject, occurred_on=occurred_on, text=text
        )
        audit_event_record(
            actor=updated_by,
            action="case_note.draft_updated",
            entity=note,
            child=note.child,
            changes=changes_between(before, note, NOTE_FIELDS),
        )
    return note


def case_note_finalise(*, note: CaseNote, finalised_by, version: int) -> CaseNote:
    """Make a draft the record. From now on it is never changed, only corrected. ``version`` is the one its
    author read before finalising, so a change made meanwhile (in another tab) is not finalised unseen."""
    _require(may_write(finalised_by, note.child), CANNOT_WRITE)
    if not note.is_draft:
        raise ValidationError("This note has already been finalised")
    _require(note.author_id == finalised_by.pk, "Only the author of a draft can finalise it")
    if not note.text.strip():
        raise ValidationError({"text": "Write the note before finalising it"})
    now = timezone.now()
    with transaction.atomic():
        _guarded_update(
            note,
            version=version,
            actor=finalised_by,
            status=CaseNoteStatus.FINAL,
            finalised_at=now,
            finalised_by=finalised_by,
        )
        audit_event_record(
            actor=finalised_by,
            action="case_note.finalised",
            entity=note,
            child=note.child,
            changes={"status": [CaseNoteStatus.DRAFT.value, CaseNoteStatus.FINAL.value]},
        )
    return note


def _corrected_since(note: CaseNote) -> ValidationError:
    newer = CaseNote.objects.filter(corrects=note).select_related("author").first()
    if newer is None:
        return VersionConflict("This version of the note is no longer the current one: read the note again")
    who = newer.author.get_full_name() or newer.author.get_username()
    when = timezone.localtime(newer.finalised_at).strftime("%-d %B %Y at %H:%M")
    return VersionConflict(
        f"{who} corrected this note on {when}, after you opened it. Your correction has not been saved: "
        "read theirs, then correct the note again if it still needs it."
    )


def case_note_correct(
    *,
    note: CaseNote,
    corrected_by,
    subject: str,
    occurred_on: datetime.date | None,
    text: str,
    reason: str,
) -> CaseNote:
    """Correct a finalised note: a new final version with the reason, linked to ``note`` (the version the
    user read), which becomes superseded and stays on the record. The text of a final note is never
    updated. If someone else corrected ``note`` first, nothing is saved and the user is told."""
    _require(may_write(corrected_by, note.child), CANNOT_WRITE)
    if note.is_draft:
        raise ValidationError("A draft is changed, not corrected")
    _require(may_correct(corrected_by, note), "Only the note's author or a manager can correct it")
    if note.status == CaseNoteStatus.SUPERSEDED:
        raise _corrected_since(note)
    text, reason = text.strip(), reason.strip()
    errors: dict = {}
    _check_note(errors, subject=subject, occurred_on=occurred_on, text=text)
    if not text:
        errors["text"] = "Write the note as it should read"
    if not reason:
        errors["reason"] = "Say why the note is being corrected"
    if not errors and (subject, occurred_on, text) == (note.subject, note.occurred_on, note.text):
        errors["text"] = "The correction is the same as the note: change what needs correcting"
    _raise(errors)
    now = timezone.now()
    with transaction.atomic():
        superseded = CaseNote.objects.filter(pk=note.pk, status=CaseNoteStatus.FINAL).update(
            status=CaseNoteStatus.SUPERSEDED, modified_by=corrected_by, modified_at=now
        )
        if not superseded:
            raise _corrected_since(note)
        try:
            with transaction.atomic():
                correction = CaseNote.objects.create(
                    thread_id=note.thread_id,
                    child_id=note.child_id,
                    version_number=note.version_number + 1,
                    status=CaseNoteStatus.FINAL,
                    subject=subject,
                    occurred_on=occurred_on,
                    text=text,
                    author=corrected_by,
                    finalised_at=now,
                    finalised_by=corrected_by,
                    corrects=note,
                    correction_reason=reason,
                    created_by=corrected_by,
                    modified_by=corrected_by,
                )
        except IntegrityError as error:  # a correction committed between our read and our write
            raise _corrected_since(note) from error
        changes = changes_between(note, correction, NOTE_FIELDS)
        changes["corrects"] = [None, note.pk]
        audit_event_record(
            actor=corrected_by,
            action="case_note.corrected",
            entity=correction,
            child=note.child,
            changes=changes,
            reason=reason,
        )
    note.status = CaseNoteStatus.SUPERSEDED
    return correction


# -- documents -----------------------------------------------------------------------------------------------


def document_upload(
    *,
    child: Child,
    uploaded_by,
    upload,
    title: str,
    kind: str,
    note: CaseNoteThread | None = None,
) -> Document:
    """Keep a file on the child's record: its type checked by content, its size limited, stored under its
    checksum, which is recorded so every later read can be checked against it."""
    _require(may_write(uploaded_by, child), CANNOT_WRITE)
    title = title.strip()
    errors: dict = {}
    if not title:
        errors["title"] = "Enter a title for the document"
    elif len(title) > 200:
        errors["title"] = "The title must be 200 characters or fewer"
    if kind not in DocumentKind.values:
        errors["kind"] = "Choose what kind of document it is"
    if note is not None and note.child_id != child.pk:
        errors["note"] = "Choose a case note about this child"
    try:
        content_type = check_upload(upload)
    except ValidationError as error:
        errors["file"] = error.messages
    _raise(errors)
    stored = store(upload)
    original_name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1][-255:]
    with transaction.atomic():
        document = Document.objects.create(
            child=child,
            note=note,
            title=title,
            kind=kind,
            original_name=original_name,
            content_type=content_type,
            size=stored.size,
            sha256=stored.sha256,
            stored_name=stored.stored_name,
            created_by=uploaded_by,
            modified_by=uploaded_by,
        )
        audit_event_record(
            actor=uploaded_by,
            action="document.uploaded",
            entity=document,
            child=child,
            changes=changes_between(
                None,
                document,
                ["title", "kind", "note_id", "original_name", "content_type", "size", "sha256"],
            ),
        )
    return document
