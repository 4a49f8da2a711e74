"""A child's education (issue 9): the history of where they are educated, a change or a correction, and the
withdrawals from school flagged while they or a sibling were known, which a manager marks as considered.

Seen by everyone who may open the record; recorded by those who may change it; considered by its managers.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from safeguard.audit.views import child_record, refusals_logged
from safeguard.frontdoor.education import (
    education_status_change,
    may_consider_withdrawal,
    may_record_education,
    withdrawal_consider,
    withdrawal_text,
)
from safeguard.frontdoor.forms import WithdrawalConsideredForm
from safeguard.frontdoor.models import EducationWithdrawal
from safeguard.people.forms import EducationStatusForm
from safeguard.people.models import Child, EducationSource
from safeguard.people.selectors import education_history
from safeguard.ui.forms import add_service_errors


def _page(request, child: Child, *, status=200, form=None, considered_form=None, considering=None):
    history = education_history(child=child)
    corrected = {row.corrects_id: row for row in history if row.corrects_id}
    withdrawals = list(
        EducationWithdrawal.objects.filter(child=child).select_related("child__person", "considered_by")
    )
    sibling_withdrawals = list(
        EducationWithdrawal.objects.filter(known_siblings=child, considered_at__isnull=True).select_related(
            "child__person"
        )
    )
    may_record = may_record_education(request.user, child)
    context = {
        "child": child,
        "person": child.person,
        "history": history,
        "corrected": corrected,
        "current": next((row for row in history if row.pk not in corrected), None),
        "withdrawals": [(row, withdrawal_text(row, child)) for row in withdrawals],
        "sibling_withdrawals": [(row, withdrawal_text(row, child)) for row in sibling_withdrawals],
        "form": (
            form or EducationStatusForm(statuses=history, initial={"source": EducationSource.SOCIAL_WORKER})
            if may_record
            else None
        ),
        "may_consider": may_consider_withdrawal(request.user, child),
        # One form per open flag, each with its own prefix so that its field ids are unique on the page.
        "considered_forms": {
            row.pk: (
                considered_form
                if considering == row.pk
                else WithdrawalConsideredForm(prefix=f"withdrawal-{row.pk}")
            )
            for row in withdrawals
            if row.is_open
        },
        "considered_form": considered_form,
    }
    return render(request, "frontdoor/education.html", context, status=status)


@child_record(page="education")
@require_GET
def education(request, child: Child):
    return _page(request, child)


@child_record(page="education: record a change", changes=True)
@require_POST
@refusals_logged("education: record a change")
def education_record(request, child: Child):
    form = EducationStatusForm(request.POST, statuses=education_history(child=child))
    if form.is_valid():
        try:
            education_status_change(child=child, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The child's education is recorded")
            return redirect("frontdoor:education", child.pk)
    return _page(request, child, status=400, form=form)


@child_record(page="education: withdrawal considered", changes=True)
@require_POST
@refusals_logged("education: withdrawal considered")
def withdrawal_considered(request, child: Child, withdrawal_id: int):
    withdrawal = get_object_or_404(
        EducationWithdrawal.objects.select_related("child__person"), pk=withdrawal_id, child=child
    )
    # Refused before the note is read: one who may not clear the flag learns nothing from the form's errors.
    if not may_consider_withdrawal(request.user, child):
        raise PermissionDenied("Only a team manager, head of service or the director records this")
    form = WithdrawalConsideredForm(request.POST, prefix=f"withdrawal-{withdrawal.pk}")
    if form.is_valid():
        try:
            withdrawal_consider(
                withdrawal=withdrawal, considered_by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Recorded as considered on {timezone.localdate():%-d %B %Y}; the flag is cleared"
            )
            return redirect("frontdoor:education", child.pk)
    return _page(request, child, status=400, considered_form=form, considering=withdrawal.pk)
