"""Visits to a child. A visit in which the child was seen meets whichever statutory visit was due (a child
protection visit, a looked-after visit, a personal adviser's) and starts the clock for the next."""

from django.contrib import messages
from django.utils import timezone

from safeguard.audit.views import child_record
from safeguard.casework import services
from safeguard.casework.forms import VisitForm
from safeguard.casework.views.common import (
    due_message,
    form_page,
    new_deadlines,
    refusals_logged,
    run_service,
    to_case_file,
)


@child_record(page="record a visit", changes=True)
@refusals_logged("record a visit")
def visit(request, child):
    if request.method == "POST":
        form = VisitForm(request.POST)
        recorded = run_service(
            form, lambda data: services.visit_record(child=child, recorded_by=request.user, **data)
        )
        if recorded is not None:
            text = f"Visit on {recorded.visited_on:%-d %B %Y} recorded."
            if recorded.child_seen:
                text += due_message(
                    new_deadlines(child, started_by="visit.child_seen", on=recorded.visited_on)
                )
            messages.success(request, text)
            return to_case_file(child)
        status = 400
    else:
        form = VisitForm(initial={"visited_on": timezone.localdate()})
        status = 200
    return form_page(request, "casework/visit.html", child, form, status)
