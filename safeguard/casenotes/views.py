"""A child's case notes and documents: list, write and change a draft, finalise, correct, read a note with
its versions, upload, list and download documents.

Every view is one child's record, behind ``@child_record`` (pages that change the record ask
``changes=True``), so each look and each refusal is in the access log. POST views call a service and show
its ``ValidationError`` on the page, with what was typed kept.
"""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeguard.audit.models import AccessAction
from safeguard.audit.views import child_record, refuse
from safeguard.casenotes.files import DocumentDamaged, describe_size, open_verified
from safeguard.casenotes.forms import (
    CorrectionForm,
    FinaliseForm,
    NoteForm,
    UploadForm,
)
from safeguard.casenotes.models import CaseNote, CaseNoteStatus, Document
from safeguard.casenotes.policies import may_correct, may_edit_draft, may_write
from safeguard.casenotes.selectors import (
    current_notes,
    documents_for,
    earlier_versions,
    note_thread,
    note_versions,
)
from safeguard.casenotes.services import (
    case_note_correct,
    case_note_draft,
    case_note_finalise,
    case_note_update_draft,
    document_upload,
)
from safeguard.casework.services import VersionConflict
from safeguard.ui.forms import add_service_errors

logger = logging.getLogger(__name__)

PER_PAGE = 25
# A download is its own action in the access log where the log has one; until then it is a view.


def _versions_or_404(request, child, note_id) -> tuple:
    """The note's thread and the versions this user may see (current first), or 404: a note of another
    child, or someone else's draft, is not there for this user."""
    thread = note_thread(child=child, note_id=note_id)
    if thread is None:
        raise Http404("No such case note")
    versions = note_versions(thread=thread, user=request.user)
    if not versions:
        raise Http404("No such case note")
    return thread, versions


def _current(versions: list[CaseNote]) -> CaseNote:
    return next(v for v in versions if v.status != CaseNoteStatus.SUPERSEDED)


# ----------------------------------------------------------------------------------------------------------
# Case notes


@child_record(page="case notes")
def notes(request, child):
    page = Paginator(current_notes(child=child, user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "child": child,
        "person": child.person,
        "page": page,
        "earlier": earlier_versions(notes=list(page)),
        "may_write": may_write(request.user, child),
    }
    return render(request, "casenotes/notes.html", context)


@child_record(page="new case note", changes=True)
def new_note(request, child):
    if request.method == "POST":
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                note = case_note_draft(child=child, written_by=request.user, **form.service_arguments())
            except PermissionDenied as error:
                return refuse(request, str(error), child=child, subject="case notes")
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Your draft is saved. Finalise it when it is finished.")
                return redirect("casenotes:note", child.pk, note.thread_id)
        status = 400
    else:
        form = NoteForm(initial={"occurred_on": timezone.localdate()})
        status = 200
    context = {"child": child, "person": child.person, "form": form, "note": None}
    return render(request, "casenotes/edit_note.html", context, status=status)


@child_record(page="case note")
def note(request, child, note_id):
    thread, versions = _versions_or_404(request, child, note_id)
    current = _current(versions)
    context = {
        "child": child,
        "person": child.person,
        "thread": thread,
        "current": current,
        "earlier": [v for v in versions if v is not current],
        "documents": list(documents_for(child=child).filter(note=thread)),
        "may_edit": may_edit_draft(request.user, current),
        "may_correct": current.is_final and may_correct(request.user, current),
        "may_write": may_write(request.user, child),
    }
    return render(request, "casenotes/note.html", context)


def _own_draft_or_redirect(request, child, note_id):
    """The user's draft of this note; or, for a note since finalised, a redirect to it with a message."""
    _thread, versions = _versions_or_404(request, child, note_id)
    current = _current(versions)
    if not current.is_draft:
        messages.warning(request, "This note has been finalised: it can no longer be changed, only corrected")
        return None, redirect("casenotes:note", child.pk, note_id)
    return current, None


def _finalised_since(note: CaseNote) -> ValidationError:
    who = note.finalised_by.get_full_name() or note.finalised_by.get_username()
    when = timezone.localtime(note.finalised_at).strftime("%-d %B %Y at %H:%M")
    return ValidationError(
        f"{who} finalised this note on {when}, after you opened it, so it can no longer be changed. "
        "Your changes have not been saved: copy anything you need from below, then correct the note."
    )


def _rebound(form_class, request, error: ValidationError, **replaced):
    """The form as the user posted it (their words kept), with ``replaced`` hidden values and the error:
    after a conflict, saving again once they have read what is saved now is their decision, and it still
    fails if the record changes again meanwhile."""
    data = request.POST.copy()
    for name, value in replaced.items():
        data[name] = str(value)
    form = form_class(data)
    form.is_valid()
    add_service_errors(form, error)
    return form


@child_record(page="edit case note", changes=True)
def edit_note(request, child, note_id):
    _thread, versions = _versions_or_404(request, child, note_id)
    draft = _current(versions)
    if not draft.is_draft and request.method == "POST":
        # Finalised (in another tab, say) while this user was editing: keep what they typed on the page.
        form = _rebound(NoteForm, request, _finalised_since(draft))
        context = {"child": child, "person": child.person, "form": form, "note": draft, "saved_now": draft}
        return render(request, "casenotes/edit_note.html", context, status=409)
    if not draft.is_draft:
        messages.warning(request, "This note has been finalised: it can no longer be changed, only corrected")
        return redirect("casenotes:note", child.pk, note_id)
    if not may_edit_draft(request.user, draft):
        return refuse(request, "Only the author of a draft can change it.", child=child, subject="case notes")
    status = 200
    saved_now = None  # after a conflict: the note as it is saved now, to read before saving again
    if request.method == "POST":
        form = NoteForm(request.POST)
        if form.is_valid():
            seen = form.cleaned_data["version"] or 0  # no version read: never overwrite blindly
            try:
                case_note_update_draft(
                    note=draft, updated_by=request.user, version=seen, **form.service_arguments()
                )
            except PermissionDenied as error:
                return refuse(request, str(error), child=child, subject="case notes")
            except VersionConflict as error:
                saved_now = CaseNote.objects.select_related("modified_by").get(pk=draft.pk)
                form = _rebound(NoteForm, request, error, version=saved_now.version)
                status = 409
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                messages.success(request, "Your draft is saved")
                return redirect("casenotes:note", child.pk, note_id)
        else:
            status = 400
    else:
        form = NoteForm.for_note(draft)
    context = {"child": child, "person": child.person, "form": form, "note": draft, "saved_now": saved_now}
    return render(request, "casenotes/edit_note.html", context, status=status)


@child_record(page="finalise case note", changes=True)
def finalise_note(request, child, note_id):
    draft, elsewhere = _own_draft_or_redirect(request, child, note_id)
    if elsewhere:
        return elsewhere
    if not may_edit_draft(request.user, draft):
        return refuse(
            request, "Only the author of a draft can finalise it.", child=child, subject="case notes"
        )
    status = 200
    if request.method == "POST":
        form = FinaliseForm(request.POST)
        if form.is_valid():
            try:
                case_note_finalise(
                    note=draft, finalised_by=request.user, version=form.cleaned_data["version"]
                )
            except PermissionDenied as error:
                return refuse(request, str(error), child=child, subject="case notes")
            except ValidationError as error:
                draft = CaseNote.objects.get(pk=draft.pk)  # show what would be finalised now
                if not draft.is_draft:
                    messages.warning(request, "This note has already been finalised")
                    return redirect("casenotes:note", child.pk, note_id)
                form = _rebound(FinaliseForm, request, error, version=draft.version)
                status = 409 if isinstance(error, VersionConflict) else 400
            else:
                messages.success(request, "The case note is finalised. It is now part of the child's record.")
                return redirect("casenotes:note", child.pk, note_id)
        else:
            status = 400
    else:
        form = FinaliseForm(initial={"version": draft.version})
    context = {"child": child, "person": child.person, "form": form, "note": draft}
    return render(request, "casenotes/finalise_note.html", context, status=status)


@child_record(page="correct case note", changes=True)
def correct_note(request, child, note_id):
    thread, versions = _versions_or_404(request, child, note_id)
    current = _current(versions)
    if current.is_draft:
        return redirect("casenotes:edit_note", child.pk, note_id)
    if not may_correct(request.user, current):
        return refuse(
            request, "Only the note's author or a manager can correct it.", child=child, subject="case notes"
        )
    status = 200
    saved_now = None  # after a conflict: the note as it now reads, to read before correcting again
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        if form.is_valid():
            read = next((v for v in versions if v.pk == form.cleaned_data["corrects"]), None)
            if read is None or read.is_draft:
                raise Http404("No such version of this case note")
            try:
                correction = case_note_correct(
                    note=read,
                    corrected_by=request.user,
                    reason=form.cleaned_data["reason"],
                    **form.service_arguments(),
                )
            except PermissionDenied as error:
                return refuse(request, str(error), child=child, subject="case notes")
            except VersionConflict as error:
                saved_now = CaseNote.objects.select_related("author").get(thread=thread, status="final")
                form = _rebound(CorrectionForm, request, error, corrects=saved_now.pk)
                status = 409
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                messages.success(
                    request,
                    f"The correction is saved as version {correction.version_number}. "
                    "The note as it was stays in its history.",
                )
                return redirect("casenotes:note", child.pk, note_id)
        else:
            status = 400
    else:
        form = CorrectionForm.for_note(current)
    context = {
        "child": child,
        "person": child.person,
        "form": form,
        "note": saved_now or current,
        "thread": thread,
        "saved_now": saved_now,
    }
    return render(request, "casenotes/correct_note.html", context, status=status)


# ----------------------------------------------------------------------------------------------------------
# Documents


@child_record(page="documents")
def documents(request, child):
    page = Paginator(documents_for(child=child), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "child": child,
        "person": child.person,
        "page": page,
        "may_write": may_write(request.user, child),
        "size_text": describe_size,
    }
    return render(request, "casenotes/documents.html", context)


def _notes_to_attach(child, user) -> list[CaseNote]:
    return list(current_notes(child=child, user=user)[:100])


@child_record(page="upload document", changes=True)
def upload_document(request, child):
    attachable = _notes_to_attach(child, request.user)
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, notes=attachable)
        if form.is_valid():
            chosen = form.cleaned_data["note"]
            thread = next((n.thread for n in attachable if n.thread_id == chosen), None)
            try:
                document = document_upload(
                    child=child,
                    uploaded_by=request.user,
                    upload=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    kind=form.cleaned_data["kind"],
                    note=thread,
                )
            except PermissionDenied as error:
                return refuse(request, str(error), child=child, subject="case notes")
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"‘{document.title}’ is uploaded")
                return redirect("casenotes:documents", child.pk)
        status = 400
    else:
        initial = {}
        if (wanted := request.GET.get("note", "")).isdigit():
            initial["note"] = int(wanted)
        form = UploadForm(initial=initial, notes=attachable)
    context = {"child": child, "person": child.person, "form": form}
    return render(request, "casenotes/upload.html", context, status=status)


@child_record(action=AccessAction.DOWNLOAD, page="document")
def download(request, child, document_id):
    document = get_object_or_404(Document, child=child, pk=document_id)
    try:
        file = open_verified(stored_name=document.stored_name, sha256=document.sha256, size=document.size)
    except DocumentDamaged as error:
        logger.error("Document %s (child %s) cannot be served: %s", document.pk, child.pk, error)
        context = {"child": child, "person": child.person, "document": document}
        return render(request, "casenotes/damaged.html", context, status=500)
    response = FileResponse(
        file, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser ever render it anyway, nothing in it may run or load.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
