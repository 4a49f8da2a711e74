"""Uploading a file of notifications (a police batch, or any agency's) to become contacts, all or nothing.

The page takes the file and who sent it; ``safeguard.frontdoor.imports.contacts_import`` does the rest. A
rejected file changes nothing and the page lists every problem, row by row, so the sender's file can be
fixed and uploaded again whole. After a successful import the browser is sent back to this page
(post/redirect/get), which says what was imported, so refreshing it cannot submit the file twice.
"""

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AccessAction
from safeguard.audit.policy import Decision, worker_for
from safeguard.audit.services import access_event_record
from safeguard.audit.views import policy
from safeguard.core.reference import codes_valid_on
from safeguard.frontdoor.imports import COLUMNS, MAX_BYTES, MAX_ROWS, ImportRejected, contacts_import
from safeguard.frontdoor.policies import may_work_at_front_door

POLICE = "6"  # CIN census ReferralSource 6: police, who send most batches (domestic abuse notifications)
DONE_KEY = "contact_imports_done"


class ContactImportForm(forms.Form):
    source = forms.ChoiceField(
        label="Who sent the file",
        help_text="Every contact in the file is recorded as coming from this source",
    )
    file = forms.FileField(
        label="Upload a file",
        help_text=f"A CSV file (UTF-8) of at most {MAX_ROWS:,} rows and {MAX_BYTES // (1024 * 1024)} MB",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = list(codes_valid_on("referral_source", timezone.localdate()).items())
        self.fields["source"].initial = POLICE

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {MAX_BYTES // (1024 * 1024)} MB: "
                f"split it into files of at most {MAX_ROWS:,} rows"
            )
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("The selected file must be a CSV file")
        return upload


def _refuse(request):
    reason = "Only front door staff import contacts."
    access_event_record(
        request=request, action=AccessAction.VIEW, decision=Decision(False, reason), subject="import contacts"
    )
    return render(request, "ui/403.html", {"reason": reason}, status=403)


@policy("front door staff: upload a batch of notifications")
def upload(request):
    if not may_work_at_front_door(request.user):
        return _refuse(request)
    context = {"columns": COLUMNS, "rejected": None, "done": None}
    if request.method == "POST":
        form = ContactImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = contacts_import(
                    uploaded_by=request.user,
                    file_name=upload.name,
                    data=upload.read(),
                    source=form.cleaned_data["source"],
                    team=worker_for(request.user).team,
                )
            except ImportRejected as rejected:
                whole_file = [problem.message for problem in rejected.problems if problem.row is None]
                if whole_file:
                    form.add_error("file", whole_file[0])
                else:
                    context["rejected"] = rejected
                    context["file_name"] = upload.name
            else:
                done = request.session.get(DONE_KEY, {})
                done[str(result.batch.pk)] = {
                    "file_name": result.batch.file_name,
                    "contacts": len(result.contacts),
                    "children_created": result.children_created,
                    "children_matched": result.children_matched,
                }
                request.session[DONE_KEY] = dict(list(done.items())[-10:])
                return redirect(f"{reverse('frontdoor:import')}?done={result.batch.pk}")
        context["form"] = form
        return render(request, "frontdoor/import.html", context, status=400)
    context["form"] = ContactImportForm()
    context["done"] = request.session.get(DONE_KEY, {}).get(request.GET.get("done", ""))
    return render(request, "frontdoor/import.html", context)
