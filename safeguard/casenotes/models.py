"""Case notes and the documents kept on a child's file.

A case note is written as a **draft**, which its author may change, and then **finalised**: from then on it
is part of the record and is never edited. A mistake in a finalised note is put right by a **correction**,
a new final version of the same note that says why, and the version it corrects becomes **superseded**. Both
stay on the file: a reader sees the note as it now stands and every earlier version with its reason
(DESIGN.md "Data never lost"; the Children Act 1989 Guidance and Regulations vol. 2 on recording: records
must be accurate, and a correction must not hide what was recorded before; UK GDPR art. 16 rectification,
which a council meets by adding a correction rather than rewriting history).

The versions of one note share a ``CaseNoteThread``, the note's stable identity: links, documents and
pages point at the thread, so they still find the note after it has been corrected.

A document is a file on the child's record (a court order, a letter, a photo), stored once under a name
made from its SHA-256 checksum, which is checked again each time the file is read
(``safeguard/casenotes/files.py``).

What stops a finalised note changing:

- the services (``safeguard/casenotes/services.py``) refuse it;
- the ORM refuses it: ``CaseNote.save`` on a finalised row raises, and an UPDATE of a note's content made
  through the queryset only ever touches drafts (``CaseNoteQuerySet.update``);
- on PostgreSQL a trigger refuses it from any client (migration 0002).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguard.casework.models import Versioned
from safeguard.core.models import Recorded
from safeguard.people.models import Child


class RecordKeptError(Exception):
    """Raised when code tries to change a finalised case note (correct it instead), or to delete a case note
    or a document (nothing on a child's record is hard-deleted: DESIGN.md "Data never lost")."""


class CaseNoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"
    SUPERSEDED = "superseded", "Superseded by a correction"


class CaseNoteSubject(models.TextChoices):
    VISIT = "visit", "Visit"
    PHONE_CALL = "phone_call", "Phone call"
    MEETING = "meeting", "Meeting"
    MANAGEMENT_OVERSIGHT = "management_oversight", "Management oversight"
    OTHER = "other", "Other"


# What a case note says. Only a draft's content may change.
CONTENT_FIELDS = frozenset({"subject", "occurred_on", "text"})


class CaseNoteThread(models.Model):
    """One case note, whatever its versions: the identity that pages, links and documents point at."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="case_note_threads")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "case note"
        indexes = [models.Index(fields=["child", "created_at"], name="case_note_thread_child_idx")]

    def __str__(self) -> str:
        return f"Case note {self.pk} for {self.child_id}"

    def delete(self, *args, **kwargs):
        raise RecordKeptError("Case notes are never deleted")


class CaseNoteQuerySet(models.QuerySet):
    def current(self) -> "CaseNoteQuerySet":
        """The version of each note that stands now: a draft, or the latest final version."""
        return self.exclude(status=CaseNoteStatus.SUPERSEDED)

    def finalised(self) -> "CaseNoteQuerySet":
        """The current version of each finalised note (superseded versions are history, not the record)."""
        return self.filter(status=CaseNoteStatus.FINAL)

    def drafts_of(self, user) -> "CaseNoteQuerySet":
        return self.filter(status=CaseNoteStatus.DRAFT, author=user)

    def update(self, **kwargs):
        """An UPDATE that changes what a note says touches drafts only, whatever the caller filtered: a
        finalised note's content cannot be changed through the ORM even by mistake."""
        rows = self.filter(status=CaseNoteStatus.DRAFT) if CONTENT_FIELDS.intersection(kwargs) else self
        return super(CaseNoteQuerySet, rows).update(**kwargs)

    def delete(self):
        raise RecordKeptError("Case notes are never deleted")


class CaseNote(Recorded, Versioned):
    """One version of a case note: a draft, the final note, or a final note superseded by its correction.

    ``version`` (from ``Versioned``) is for optimistic concurrency while a draft is edited;
    ``version_number`` is the note's own version: 1 for the note as first finalised, 2 for its first
    correction, and so on.
    """

    thread = models.ForeignKey(CaseNoteThread, on_delete=models.PROTECT, related_name="versions")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="case_notes")
    version_number = models.PositiveSmallIntegerField("version number", default=1)
    status = models.CharField(max_length=10, choices=CaseNoteStatus.choices, default=CaseNoteStatus.DRAFT)
    subject = models.CharField("subject", max_length=30, choices=CaseNoteSubject.choices)
    occurred_on = models.DateField("date of the event", help_text="When what the note records happened")
    text = models.TextField("note", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who wrote this version (for a correction, who corrected it)",
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    corrects = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
        help_text="The version this one corrects (each version is corrected at most once)",
    )
    correction_reason = models.TextField(blank=True)

    objects = CaseNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            models.Index(fields=["child", "status", "occurred_on"], name="case_note_child_idx"),
            models.Index(
                fields=["author", "child"],
                condition=Q(status="draft"),
                name="case_note_draft_author_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CaseNoteStatus.values), name="case_note_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(subject__in=CaseNoteSubject.values), name="case_note_subject_valid"
            ),
            # One version of a note stands at a time: its draft, or its latest final version.
            models.UniqueConstraint(
                fields=["thread"],
                condition=~Q(status="superseded"),
                name="one_current_case_note_version",
            ),
            models.UniqueConstraint(fields=["thread", "version_number"], name="case_note_version_unique"),
            # A correction says why, and only a correction has a reason.
            models.CheckConstraint(
                condition=Q(corrects__isnull=True, correction_reason="")
                | (Q(corrects__isnull=False) & ~Q(correction_reason="")),
                name="case_note_correction_has_reason",
            ),
            # The first version corrects nothing; every later one corrects its predecessor.
            models.CheckConstraint(
                condition=Q(version_number=1, corrects__isnull=True)
                | Q(version_number__gt=1, corrects__isnull=False),
                name="case_note_correction_numbered",
            ),
            # A draft has not been finalised; anything else has, by someone, at a moment.
            models.CheckConstraint(
                condition=Q(status="draft", finalised_at__isnull=True, finalised_by__isnull=True)
                | (~Q(status="draft") & Q(finalised_at__isnull=False, finalised_by__isnull=False)),
                name="case_note_finalised_when_not_draft",
            ),
            # A correction is made final at once: it is never a draft.
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(status="draft"),
                name="case_note_correction_not_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} on {self.occurred_on} (version {self.version_number})"

    @property
    def is_draft(self) -> bool:
        return self.status == CaseNoteStatus.DRAFT

    @property
    def is_final(self) -> bool:
        return self.status == CaseNoteStatus.FINAL

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None

    def save(self, *args, **kwargs):
        if not self._state.adding and (
            type(self).objects.filter(pk=self.pk).exclude(status=CaseNoteStatus.DRAFT).exists()
        ):
            raise RecordKeptError("A finalised case note cannot be changed: correct it instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RecordKeptError("Case notes are never deleted")


class DocumentKind(models.TextChoices):
    ASSESSMENT_REPORT = "assessment_report", "Assessment or report"
    COURT_DOCUMENT = "court_document", "Court document"
    LETTER = "letter", "Letter or email"
    PHOTO = "photo", "Photo"
    OTHER = "other", "Other"


class DocumentType(models.TextChoices):
    """The file types a document may be, as their media type: each is recognised by its content
    (``safeguard/casenotes/files.py``), not by the name it was uploaded with."""

    PDF = "application/pdf", "PDF"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document (DOCX)"
    ODT = "application/vnd.oasis.opendocument.text", "OpenDocument text (ODT)"
    PNG = "image/png", "PNG image"
    JPEG = "image/jpeg", "JPEG image"
    TEXT = "text/plain", "Plain text"


class DocumentQuerySet(models.QuerySet):
    def delete(self):
        raise RecordKeptError("Documents are never deleted")


class Document(Recorded):
    """A file on a child's record. The file is stored once, named by its checksum (no personal data in the
    path), and never overwritten; ``created_by``/``created_at`` say who uploaded it and when."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="documents")
    note = models.ForeignKey(
        CaseNoteThread,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text="The case note this document belongs with, if any",
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    original_name = models.CharField(max_length=255, help_text="The file's name when it was uploaded")
    content_type = models.CharField(max_length=100, choices=DocumentType.choices)
    size = models.PositiveBigIntegerField(help_text="In bytes")
    sha256 = models.CharField("SHA-256 checksum", max_length=64)
    stored_name = models.CharField(
        max_length=100, help_text="Where the file is, under the document store: made from its checksum"
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["child", "created_at"], name="document_child_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="document_kind_valid"),
            models.CheckConstraint(
                condition=Q(content_type__in=DocumentType.values), name="document_type_allowed"
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="document_not_empty"),
            models.CheckConstraint(
                condition=~Q(sha256="") & ~Q(stored_name=""), name="document_stored_with_checksum"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_kind_display()})"

    def delete(self, *args, **kwargs):
        raise RecordKeptError("Documents are never deleted")
