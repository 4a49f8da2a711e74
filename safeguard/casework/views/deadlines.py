"""Why a statutory deadline was (or will be) missed. Working Together 2023 ch.3 asks that the reasons for an
assessment going beyond 45 working days be recorded; the legal exposure register shows every reason."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from safeguard.audit.views import child_record
from safeguard.casework.forms import DelayForm
from safeguard.casework.views.common import refusals_logged, run_service, to_case_file
from safeguard.compliance.models import Deadline
from safeguard.compliance.private import without_private
from safeguard.compliance.services import deadline_explain_delay


@child_record(page="explain a delay", changes=True)
@refusals_logged("explain a delay")
def deadline_delay(request, child, deadline_id):
    deadline = get_object_or_404(
        without_private(request.user, Deadline.objects.select_related("duty")), pk=deadline_id, child=child
    )
    today = timezone.localdate()
    late = deadline.was_breached(today)
    context = {"child": child, "person": child.person, "deadline": deadline, "late": late, "today": today}
    if not (deadline.is_open or late):  # met in time: there is no delay to explain
        return render(
            request, "casework/deadline_delay.html", context, status=200 if request.method == "GET" else 400
        )
    if request.method == "POST":
        form = DelayForm(request.POST)
        explained = run_service(
            form,
            lambda data: deadline_explain_delay(
                deadline=deadline, reason=data["reason"], recorded_by=request.user, version=data["version"]
            ),
        )
        if explained is not None:
            messages.success(request, f"The reason for the delay is recorded: {deadline.duty.name}")
            return to_case_file(child)
        # The deadline engine reports a stale version as an error on the reason (the form was otherwise
        # valid, so the service ran): the form then carries the version now stored, so that saving again
        # is a decision made having read the other person's reason.
        deadline.refresh_from_db()
        read_at = form.cleaned_data.get("version")
        ran = read_at is not None and request.POST.get("reason", "").strip()
        if ran and read_at != deadline.version:
            form.take_version(deadline.version)
            form.conflict = True
        status = 400
    else:
        form = DelayForm(initial={"version": deadline.version, "reason": deadline.delay_reason})
        status = 200
    context["form"] = form
    return render(request, "casework/deadline_delay.html", context, status=status)
