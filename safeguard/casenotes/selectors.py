"""Reads of case notes and documents. Every page that calls these is one child's, reached through
``@child_record`` (the access policy has already said yes); what is read here is scoped to that child, and
drafts to their author. Each read is a fixed number of queries, whatever the length of the history."""

from django.db.models import Q, QuerySet

from safeguard.casenotes.models import CaseNote, CaseNoteStatus, CaseNoteThread, Document
from safeguard.people.models import Child


def current_notes(*, child: Child, user) -> QuerySet[CaseNote]:
    """The version of each note that stands now: every finalised note, and the user's own drafts. A
    corrected note appears once, as its latest version (``version_number`` > 1 says it was corrected)."""
    return (
        CaseNote.objects.filter(child=child)
        .filter(Q(status=CaseNoteStatus.FINAL) | Q(status=CaseNoteStatus.DRAFT, author=user))
        .select_related("author", "finalised_by")
        .order_by("-occurred_on", "-pk")
    )


def earlier_versions(*, notes: list[CaseNote]) -> dict[int, list[CaseNote]]:
    """For a page of current notes, the versions each corrected (one query for the page), newest first,
    keyed by thread: what was on the record before, and why it changed."""
    corrected = [note.thread_id for note in notes if note.version_number > 1]
    earlier: dict[int, list[CaseNote]] = {thread_id: [] for thread_id in corrected}
    if corrected:
        for version in (
            CaseNote.objects.filter(thread_id__in=corrected, status=CaseNoteStatus.SUPERSEDED)
            .select_related("author")
            .order_by("-version_number")
        ):
            earlier[version.thread_id].append(version)
    return earlier


def finalised_notes(*, child: Child) -> QuerySet[CaseNote]:
    return (
        CaseNote.objects.filter(child=child)
        .finalised()
        .select_related("author", "finalised_by")
        .order_by("-occurred_on", "-pk")
    )


def drafts(*, child: Child, user) -> QuerySet[CaseNote]:
    return CaseNote.objects.filter(child=child).drafts_of(user).order_by("-modified_at", "-pk")


def note_thread(*, child: Child, note_id: int) -> CaseNoteThread | None:
    return CaseNoteThread.objects.filter(child=child, pk=note_id).first()


def note_versions(*, thread: CaseNoteThread, user) -> list[CaseNote]:
    """Every version of a note the user may see, newest first: the current one, then what it corrected."""
    versions = (
        CaseNote.objects.filter(thread=thread)
        .select_related("author", "finalised_by", "thread")
        .order_by("-version_number", "-pk")
    )
    return [v for v in versions if not v.is_draft or v.author_id == user.pk]


def documents_for(*, child: Child) -> QuerySet[Document]:
    return Document.objects.filter(child=child).select_related("created_by", "note")
